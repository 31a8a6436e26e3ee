"""The embeddings cache in the store (table ``embeddings``): one vector per model and text hash, so a text is
embedded once per model however many builds, checks and benchmarks ask for it.

The store keeps the vector as bytes (float32, little-endian) and knows nothing of numpy; turning bytes
into arrays, and deciding what to embed, is ``jianbao.stories.embed``'s business.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from sqlalchemy import func, select

from jianbao.store import schema as t
from jianbao.store.core import SQLITE_MMAP, StoreCore, insert_on_conflict, utc_now

__all__ = ["EmbeddingsMixin"]

_CHUNK = 500  # hashes per IN (…) list


class EmbeddingsMixin(StoreCore):
    """The ``Store`` methods for cached embeddings; together they make a store a ``stories.embed.VectorCache``."""

    def embeddings_get(self, model: str, hashes: Sequence[str]) -> dict[str, bytes]:
        """The stored vectors of ``model`` for those of ``hashes`` that have one, by hash."""
        out: dict[str, bytes] = {}
        wanted = list(dict.fromkeys(hashes))
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                # read through the page cache, not a memory map: tens of thousands of vectors read once would
                # otherwise stay mapped into the process (its resident size) for as long as the connection lives
                conn.exec_driver_sql("PRAGMA mmap_size=0")
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                query = select(t.embeddings.c.hash, t.embeddings.c.vector).where(
                    t.embeddings.c.model == model, t.embeddings.c.hash.in_(chunk)
                )
                out.update((row.hash, bytes(row.vector)) for row in conn.execute(query))
            if self.dialect == "sqlite":
                conn.exec_driver_sql(f"PRAGMA mmap_size={SQLITE_MMAP}")
        return out

    def embeddings_put(self, model: str, dim: int, vectors: Mapping[str, bytes]) -> None:
        """Keep the vectors of ``model`` by hash; a hash stored already keeps its first vector."""
        if not vectors:
            return
        now = utc_now()
        rows = [
            {"model": model, "hash": h, "dim": dim, "vector": v, "created_at": now}
            for h, v in vectors.items()
        ]
        with self.begin() as conn:
            for chunk in _chunks(rows, _CHUNK):
                stmt = insert_on_conflict(t.embeddings, dialect=self.dialect).on_conflict_do_nothing(
                    index_elements=["model", "hash"]
                )
                conn.execute(stmt, chunk)

    def embeddings_count(self, model: str | None = None) -> int:
        """How many vectors are stored (for one model, or all)."""
        query = select(func.count()).select_from(t.embeddings)
        if model is not None:
            query = query.where(t.embeddings.c.model == model)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())


def _chunks(rows: list[dict[str, object]], size: int) -> Iterator[list[dict[str, object]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
