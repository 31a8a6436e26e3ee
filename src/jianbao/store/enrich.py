"""Store access for enrichment: the cached metadata of paper and repository keys (table ``link_meta``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select

from jianbao.store import schema as t
from jianbao.store.core import StoreCore, insert_on_conflict

__all__ = ["LinkMeta", "MetaState", "get_link_meta", "known_link_keys", "put_link_meta"]

MetaState = Literal["ok", "missing", "failed"]
_CHUNK = 500


@dataclass(slots=True)
class LinkMeta:
    """What the last lookup of one key found; ``data`` survives a failed refresh so renderers keep it."""

    key: str
    kind: str  # arxiv, github, gitee, citation
    data: dict[str, Any] = field(default_factory=dict)
    status: int | None = None  # HTTP status of the last lookup (404 for a paper arXiv does not know)
    etag: str | None = None
    fetched_at: dt.datetime | None = None  # aware UTC
    error: str | None = None

    @property
    def state(self) -> MetaState:
        if self.error is None:
            return "ok"
        return "missing" if self.status in (404, 410) else "failed"


def _naive(value: dt.datetime | None) -> dt.datetime:
    value = value or dt.datetime.now(dt.UTC)
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def _chunks(items: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield list(items[start : start + _CHUNK])


def get_link_meta(store: StoreCore, keys: Iterable[str]) -> dict[str, LinkMeta]:
    """The stored metadata of those keys that have any; unknown keys are simply absent."""
    wanted = sorted({k for k in keys if k})
    out: dict[str, LinkMeta] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(wanted):
            for row in conn.execute(select(t.link_meta).where(t.link_meta.c.key.in_(chunk))).mappings():
                fetched = row["fetched_at"]
                out[row["key"]] = LinkMeta(
                    key=row["key"],
                    kind=row["kind"],
                    data=dict(row["data"] or {}),
                    status=row["status"],
                    etag=row["etag"],
                    fetched_at=fetched.replace(tzinfo=dt.UTC) if fetched is not None else None,
                    error=row["error"],
                )
    return out


def put_link_meta(store: StoreCore, metas: Iterable[LinkMeta]) -> int:
    """Insert or replace rows by key in one transaction; returns how many were written."""
    latest = {m.key: m for m in metas}  # one row per key: PG refuses ON CONFLICT touching a row twice
    rows = [
        {
            "key": m.key,
            "kind": m.kind,
            "data": m.data,
            "status": m.status,
            "etag": m.etag,
            "fetched_at": _naive(m.fetched_at),
            "error": m.error,
        }
        for _, m in sorted(latest.items())
    ]
    if not rows:
        return 0
    stmt = insert_on_conflict(t.link_meta, dialect=store.dialect)
    upsert = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={c: stmt.excluded[c] for c in ("kind", "data", "status", "etag", "fetched_at", "error")},
    )
    with store.begin() as conn:
        conn.execute(upsert, rows)
    return len(rows)


def known_link_keys(store: StoreCore) -> dict[str, str | None]:
    """Every key the store knows, from entry links and published items, with a URL where one was seen.

    Items only keep keys (``item_keys``), so their URL is None unless an entry link has the same key.
    """
    out: dict[str, str | None] = {}
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(t.links.c.key, t.links.c.url).where(t.links.c.key.is_not(None)).order_by(t.links.c.id)
        )
        for key, url in rows:
            out.setdefault(key, url)
        for (key,) in conn.execute(select(t.item_keys.c.key).distinct()):
            if not key.startswith("url:"):
                out.setdefault(key, None)
    return out
