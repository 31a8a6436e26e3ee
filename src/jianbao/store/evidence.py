"""The stored relevance evidence (table ``relevance_evidence``): one packed record per entry reading, by hash.

Ingest fills it for the entries it stores; a build's relevance rules read it, so a build judges no entry's
words again. Like the story index, the store keeps bytes and knows nothing of their layout: what the hash
covers (the entry's words and the topic's word lists) and the packing are ``jianbao.issue.relevance``'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import func, select

from jianbao.store import schema as t
from jianbao.store.core import StoreCore, insert_on_conflict

__all__ = ["EvidenceMixin"]

_CHUNK = 500  # hashes per IN (…) list


class EvidenceMixin(StoreCore):
    """The ``Store`` methods of the stored relevance evidence (a ``issue.relevance.EvidenceCache``)."""

    def evidence_get(self, hashes: Sequence[bytes]) -> dict[bytes, bytes]:
        """The stored evidence of those ``hashes`` that have some, by hash."""
        out: dict[bytes, bytes] = {}
        wanted = list(dict.fromkeys(hashes))
        ev = t.relevance_evidence.c
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                if self.dialect == "sqlite":  # the driver's own IN list: a third of SQLAlchemy's expanding one
                    found = conn.exec_driver_sql(
                        f"SELECT hash, data FROM relevance_evidence WHERE hash IN ({', '.join('?' * len(chunk))})",
                        tuple(chunk),
                    )
                else:
                    found = conn.execute(select(ev.hash, ev.data).where(ev.hash.in_(chunk)))
                out.update((bytes(h), bytes(data)) for h, data in found)
        return out

    def evidence_put(self, rows: Mapping[bytes, bytes]) -> None:
        """Keep evidence by hash; a hash stored already keeps its row (same hash, same evidence)."""
        if not rows:
            return
        values = [{"hash": h, "data": data} for h, data in rows.items()]
        with self.begin() as conn:
            for start in range(0, len(values), _CHUNK):
                stmt = insert_on_conflict(t.relevance_evidence, dialect=self.dialect).on_conflict_do_nothing(
                    index_elements=["hash"]
                )
                conn.execute(stmt, values[start : start + _CHUNK])

    def evidence_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.relevance_evidence)).scalar_one())
