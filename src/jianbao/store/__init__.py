"""The store: records in and out of SQLite (default) or PostgreSQL through one SQLAlchemy Core layer.

Every write is one transaction and idempotent: entries are upserted by canonical URL, issues by id
(``weekly:2021-03-05``), so re-running a fetch or an import never duplicates and a crash never leaves half
an issue behind.

``Store`` is one handle composed of a mixin per concern, each in its own module on the base in ``core``
(engine, transactions, batched inserts): ``sources``, ``entries``, ``fetched`` (an ingest's writes for many
sources in one transaction), ``issues``, ``cache`` (the LLM cache), ``runs`` (`jianbao run`: run records, the
run lock, deliveries), ``health`` (source health), ``embeddings`` (cached embedding vectors) and ``signatures`` (the story
index: each report's clustering signature, kept by ingest) and ``evidence`` (each entry's relevance evidence,
kept by ingest).
Beside them: ``search`` (full-text queries) over the rows ``search_docs`` writes, ``enrich`` (link
metadata), ``copy`` (store to store), ``schema`` and ``migrations``.
"""

from __future__ import annotations

from jianbao.store.cache import CacheMixin
from jianbao.store.core import TransientStoreError, make_engine, utc_naive
from jianbao.store.embeddings import EmbeddingsMixin
from jianbao.store.entries import UpsertCounts, content_hash, raw_hashes_at
from jianbao.store.evidence import EvidenceMixin
from jianbao.store.fetched import Fetched, FetchedMixin, Written
from jianbao.store.health import HealthChange, HealthMixin, SourceHealth
from jianbao.store.issues import HistoryItem, IssuesMixin, IssueSummary, IssueVersion
from jianbao.store.runs import RunLock, RunRecord, RunsMixin
from jianbao.store.signatures import SignaturesMixin

__all__ = [
    "Fetched",
    "HealthChange",
    "HistoryItem",
    "IssueSummary",
    "IssueVersion",
    "RunLock",
    "RunRecord",
    "SourceHealth",
    "Store",
    "TransientStoreError",
    "UpsertCounts",
    "Written",
    "content_hash",
    "make_engine",
    "open_store",
    "raw_hashes_at",
    "utc_naive",
]


class Store(
    FetchedMixin, IssuesMixin, CacheMixin, RunsMixin, HealthMixin, EmbeddingsMixin, SignaturesMixin, EvidenceMixin
):
    """A handle on one store; open with ``open_store(url)`` and close (or use as a context manager)."""


def open_store(url: str) -> Store:
    """Open (creating and migrating as needed) the store at a SQLAlchemy URL."""
    return Store(url)
