"""Keeping the story index as entries arrive, and dropping it for a full re-cluster.

``index_stored`` is the one call ingest makes after its writes (it notes ``reports_of`` each stored batch): the signatures of the entries it stored
(``jianbao.stories.signature``), computed once so that every later build, desk page and ``jianbao stories``
clusters its window from the index instead of recomputing each entry. The index is a cache keyed by what
each signature is computed from: losing it (``drop_index``, ``jianbao stories --recluster``) only means the
next clustering computes the signatures again, and gives the same stories.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from jianbao.config import Config
from jianbao.errors import JianbaoError
from jianbao.records import Entry
from jianbao.stories.parallel import pooled
from jianbao.stories.settings import cluster_settings
from jianbao.stories.signature import Compute, Report, SignatureCache, entry_report, index_reports

__all__ = ["Index", "drop_index", "index_stored", "reports_of"]

log = logging.getLogger("jianbao.stories")


class Index(SignatureCache, Protocol):
    """A story index that can also be emptied (the store)."""

    def signatures_drop(self) -> int: ...


def reports_of(entries: Sequence[Entry], config: Config) -> list[Report]:
    """What the index is computed from, read off entries ingest has stored: a few hundred bytes an entry, so a
    long run holds these rather than its entries until it indexes them."""
    settings = cluster_settings(config)
    return [entry_report(e, settings) for e in entries]


def index_stored(
    index: SignatureCache,
    stored: Sequence[Entry] | Sequence[Report],
    config: Config,
    *,
    compute: Compute | None = None,
) -> int:
    """Keep the signatures of what ingest has just stored (its entries, or their ``reports_of``); returns how
    many were computed.

    The index only saves later work, so a failure to keep it is one warning, never a failed ingest: the next
    build computes what is missing.
    """
    if not stored:
        return 0
    reports = [s if isinstance(s, tuple) else entry_report(s, cluster_settings(config)) for s in stored]
    try:
        return index_reports(index, reports, cluster_settings(config), compute=compute or pooled())
    except JianbaoError as error:
        log.warning("story index not kept (%s): the next build computes the signatures", error.message)
        return 0


def drop_index(index: Index) -> int:
    """Empty the story index, so the next clustering computes every signature again (a full re-cluster)."""
    return index.signatures_drop()
