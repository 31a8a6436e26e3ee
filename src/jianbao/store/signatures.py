"""The story index in the store (table ``story_index``): one packed signature per report text, by hash.

Ingest fills it for the entries it stores; clustering reads it, so a build computes no entry's features
again. The store keeps bytes and knows nothing of their layout: packing and unpacking, and what the hash
covers, are ``jianbao.stories.signature``'s business. Hashes are hex strings to callers and raw bytes in
the table (half the size, and the key is the table's only index).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import delete, func, select

from jianbao.store import schema as t
from jianbao.store.core import StoreCore, insert_on_conflict

__all__ = ["SignaturesMixin"]

_CHUNK = 500  # hashes per IN (…) list


class SignaturesMixin(StoreCore):
    """The ``Store`` methods of the story index; together they make a store a ``stories.signature.SignatureCache``."""

    def signatures_get(self, hashes: Sequence[str]) -> dict[str, bytes]:
        """The stored signatures of those ``hashes`` that have one, by hash."""
        out: dict[str, bytes] = {}
        wanted = [bytes.fromhex(h) for h in dict.fromkeys(hashes)]
        sig = t.story_index.c
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), _CHUNK):
                query = select(sig.hash, sig.data).where(sig.hash.in_(wanted[start : start + _CHUNK]))
                out.update((bytes(row.hash).hex(), bytes(row.data)) for row in conn.execute(query))
        return out

    def signatures_put(self, rows: Mapping[str, bytes]) -> None:
        """Keep signatures by hash; a hash stored already keeps its row (same hash, same signature)."""
        if not rows:
            return
        values = [{"hash": bytes.fromhex(h), "data": data} for h, data in rows.items()]
        with self.begin() as conn:
            if self.dialect == "sqlite":  # a few multi-row statements, not SQLAlchemy's per-row parameters
                self._driver_insert(conn, t.story_index, values, keep="hash")
                return
            for start in range(0, len(values), _CHUNK):
                stmt = insert_on_conflict(t.story_index, dialect=self.dialect).on_conflict_do_nothing(
                    index_elements=["hash"]
                )
                conn.execute(stmt, values[start : start + _CHUNK])

    def signatures_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.story_index)).scalar_one())

    def signatures_drop(self) -> int:
        """Empty the story index (``jianbao stories --recluster``); returns how many signatures were dropped."""
        with self.begin() as conn:
            return int(conn.execute(delete(t.story_index)).rowcount or 0)
