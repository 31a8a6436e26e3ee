"""Paper and repository metadata (real titles, authors, stars, licence) for every link key, cached in the store.

``core`` runs the lookups (``enrich``, ``enrich_links`` for a build) and applies what is stored to links;
``arxiv``, ``repos`` (GitHub, Gitee) and ``citation`` (landing pages) each turn one service's answer into
metadata, without I/O. A build calls in here after ingest; nothing here imports the build.
"""

from jianbao.ingestion.enrich.core import (
    KINDS,
    EnrichReport,
    KindReport,
    apply_meta,
    apply_stored_meta,
    enrich,
    enrich_links,
    fetch_settings_for,
    is_fresh,
    key_kind,
)
from jianbao.store.enrich import LinkMeta, get_link_meta, put_link_meta

__all__ = [
    "KINDS",
    "EnrichReport",
    "KindReport",
    "LinkMeta",
    "apply_meta",
    "apply_stored_meta",
    "enrich",
    "enrich_links",
    "fetch_settings_for",
    "get_link_meta",
    "is_fresh",
    "key_kind",
    "put_link_meta",
]
