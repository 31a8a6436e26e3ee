"""The stored relevance evidence (table ``relevance_evidence``): one packed record per entry reading, by hash.

Ingest fills it for the entries it stores; a build's relevance rules read it, so a build judges no entry's
words again. Like the story index, the store keeps bytes and knows nothing of their layout: what the hash
covers (the entry's words and the topic's word lists) and the packing are ``jianbao.issue.relevance``'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from jianbao.store import schema as t
from jianbao.store.core import StoreCore

__all__ = ["EvidenceMixin"]


class EvidenceMixin(StoreCore):
    """The ``Store`` methods of the stored relevance evidence (a ``issue.relevance.EvidenceCache``)."""

    def evidence_get(self, hashes: Sequence[bytes]) -> dict[bytes, bytes]:
        """The stored evidence of those ``hashes`` that have some, by hash."""
        return self._blobs_get(t.relevance_evidence, hashes)

    def evidence_put(self, rows: Mapping[bytes, bytes]) -> None:
        """Keep evidence by hash; a hash stored already keeps its row (same hash, same evidence)."""
        self._blobs_put(t.relevance_evidence, rows)

    def evidence_count(self) -> int:
        return self._blobs_count(t.relevance_evidence)
