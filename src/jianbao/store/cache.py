"""The LLM cache in the store (table ``llm_cache``): validated model answers kept by prompt key, so a
rebuild never pays twice for the same prompt."""

from __future__ import annotations

from sqlalchemy import select

from jianbao.store import schema as t
from jianbao.store.core import StoreCore, insert_on_conflict, utc_now

__all__ = ["CacheMixin"]


class CacheMixin(StoreCore):
    """The ``Store`` methods for the LLM cache; ``get`` and ``put`` make a store a ``summarize.llm.Cache``."""

    def cache_get(self, key: str) -> str | None:
        """The cached answer for ``key``, or None."""
        with self.engine.connect() as conn:
            value: str | None = conn.execute(
                select(t.llm_cache.c.value).where(t.llm_cache.c.key == key)
            ).scalar_one_or_none()
        return value

    def cache_put(self, key: str, value: str, *, model: str = "") -> None:
        """Keep (or replace) the answer for ``key``, noting the model that gave it."""
        stmt = insert_on_conflict(t.llm_cache, dialect=self.dialect).values(
            key=key, value=value, model=model, created_at=utc_now()
        )
        upsert = stmt.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "value": stmt.excluded.value,
                "model": stmt.excluded.model,
                "created_at": stmt.excluded.created_at,
            },
        )
        with self.begin() as conn:
            conn.execute(upsert)

    # alias names so the store satisfies the summarize.Cache protocol directly
    def get(self, key: str) -> str | None:
        return self.cache_get(key)

    def put(self, key: str, value: str) -> None:
        self.cache_put(key, value)
