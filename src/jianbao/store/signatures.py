"""The story index in the store (table ``story_index``): one packed signature per report text, by hash.

Ingest fills it for the entries it stores; clustering reads it, so a build computes no entry's features
again. The store keeps bytes and knows nothing of their layout: packing and unpacking, and what the hash
covers, are ``jianbao.stories.signature``'s business. Hashes are hex strings to callers and raw bytes in
the table (half the size, and the key is the table's only index).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import delete

from jianbao.store import schema as t
from jianbao.store.core import StoreCore

__all__ = ["SignaturesMixin"]


class SignaturesMixin(StoreCore):
    """The ``Store`` methods of the story index; together they make a store a ``stories.signature.SignatureCache``."""

    def signatures_get(self, hashes: Sequence[str]) -> dict[str, bytes]:
        """The stored signatures of those ``hashes`` that have one, by hash."""
        found = self._blobs_get(t.story_index, [bytes.fromhex(h) for h in hashes])
        return {key.hex(): data for key, data in found.items()}

    def signatures_put(self, rows: Mapping[str, bytes]) -> None:
        """Keep signatures by hash; a hash stored already keeps its row (same hash, same signature)."""
        self._blobs_put(t.story_index, {bytes.fromhex(h): data for h, data in rows.items()})

    def signatures_count(self) -> int:
        return self._blobs_count(t.story_index)

    def signatures_drop(self) -> int:
        """Empty the story index (``jianbao stories --recluster``); returns how many signatures were dropped."""
        with self.begin() as conn:
            return int(conn.execute(delete(t.story_index)).rowcount or 0)
