"""jianbao (简报): Chinese AI news briefings — the weekly AI 简报 and the daily AI 早报.

The public API is what ``__all__`` lists; everything else may change between releases.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Config",
    "ConfigError",
    "Entry",
    "FetchError",
    "Intro",
    "Issue",
    "Item",
    "JianbaoError",
    "LLMError",
    "Link",
    "OtherLink",
    "Section",
    "Source",
    "SourceError",
    "Store",
    "StoreError",
    "Story",
    "TrendingRow",
    "__version__",
    "almanac",
    "build",
    "canonical_url",
    "cluster_entries",
    "count_chars",
    "hookimpl",
    "ingest",
    "link_key",
    "load_config",
    "mine_links",
    "open_store",
    "read_issue_file",
    "search",
]

_LAZY = {
    "Config": "jianbao.config",
    "load_config": "jianbao.config",
    "open_store": "jianbao.store",
    "Store": "jianbao.store",
    "almanac": "jianbao.issue.intro",
    "count_chars": "jianbao.issue.intro",
    "canonical_url": "jianbao.urls",
    "link_key": "jianbao.urls",
    "mine_links": "jianbao.ingestion.extract",
    "cluster_entries": "jianbao.stories.cluster",
    "ingest": "jianbao.ingestion.runner",
    "build": "jianbao.issue.build",
    "hookimpl": "jianbao.hookspecs",
    "read_issue_file": "jianbao.archive",
    "search": "jianbao.store.search",
}

from jianbao.errors import ConfigError, FetchError, JianbaoError, LLMError, SourceError, StoreError  # noqa: E402
from jianbao.records import Entry, Intro, Issue, Item, Link, OtherLink, Section, Source, Story, TrendingRow  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover
    from jianbao.archive import read_issue_file
    from jianbao.config import Config, load_config
    from jianbao.hookspecs import hookimpl
    from jianbao.ingestion.extract import mine_links
    from jianbao.ingestion.runner import ingest
    from jianbao.issue.build import build
    from jianbao.issue.intro import almanac, count_chars
    from jianbao.store import Store, open_store
    from jianbao.store.search import search
    from jianbao.stories.cluster import cluster_entries
    from jianbao.urls import canonical_url, link_key


def __getattr__(name: str) -> Any:
    # Stages load on first use: `import jianbao` stays cheap for the CLI's --help and --version.
    # No lazy name may equal a subpackage's name (`from jianbao import render` must give the package).
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'jianbao' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
