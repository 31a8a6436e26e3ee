"""Full-text search over the store's ``search_docs``: FTS5 trigram on SQLite, pg_trgm on PostgreSQL.

Matching is substring-exact (an editor searching 轻量化 or StyleCLIP wants exactly that text, and CJK has no
word boundaries to disagree about) and case-insensitive for Latin. Ranking puts title hits first, then the
backend's relevance (FTS5 bm25 on SQLite, the same BM25 shape from substring counts on PostgreSQL), then the newest date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Float,
    Select,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
)

from jianbao.store import Store
from jianbao.store import schema as t

__all__ = ["MIN_INDEXED", "SearchHit", "search"]

MIN_INDEXED = 3  # trigram indexes need three characters; shorter queries scan
TITLE_BOOST = 10.0
_FTS = table("search_fts", column("rowid"))
_DOC = (
    func.coalesce(t.search_docs.c.title, "")
    + literal(" ")
    + func.coalesce(t.search_docs.c.body, "")
    + literal(" ")
    + func.coalesce(t.search_docs.c.source, "")
)  # must stay the exact expression of the PG index ix_search_docs_trgm (migration m002)


@dataclass(slots=True)
class SearchHit:
    kind: str  # entry, item, other, trending, insight, intro, one_liner
    issue_id: str | None
    date: dt.date | None
    section: str | None
    title: str
    source: str | None
    url: str | None
    snippet: str
    score: float


def _like_pattern(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _snippet(title: str, body: str, query: str, *, width: int = 60) -> str:
    """The stretch of body around the first hit (or its start), on one line."""
    flat = " ".join(body.split())
    at = flat.lower().find(query.lower())
    if at < 0:
        return flat[:width] + ("…" if len(flat) > width else "") if flat else title
    start = max(0, at - width // 3)
    end = min(len(flat), at + len(query) + width)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def _filtered(query: Select[Any], *, since: dt.date | None, source: str | None) -> Select[Any]:
    if since is not None:
        query = query.where(t.search_docs.c.date >= since)
    if source is not None:
        query = query.where(func.lower(t.search_docs.c.source) == source.lower())
    return query


def _title_hit(pattern: str) -> Any:
    return case(
        (func.lower(t.search_docs.c.title).like(func.lower(pattern), escape="\\"), TITLE_BOOST), else_=0.0
    )


def _sqlite_query(query: str, pattern: str) -> Select[Any]:
    docs = t.search_docs
    if len(query) >= MIN_INDEXED:
        phrase = '"' + query.replace('"', '""') + '"'
        # bm25 is smaller for better matches; columns weighted title, body, source.
        relevance = -func.bm25(literal_column("search_fts"), 5.0, 1.0, 2.0)
        return (
            select(docs, (_title_hit(pattern) + relevance).label("score"))
            .select_from(_FTS.join(docs, docs.c.id == _FTS.c.rowid))
            .where(text("search_fts MATCH :phrase").bindparams(phrase=phrase))
        )
    # SQLite's LIKE is case-insensitive for ASCII, which is what Latin queries need.
    hit = or_(*(c.like(pattern, escape="\\") for c in (docs.c.title, docs.c.body, docs.c.source)))
    return select(docs, (_title_hit(pattern) + 1.0).label("score")).where(hit)


def _occurrences(col: Any, needle: str, *, folded: bool) -> Any:
    hay = func.lower(func.coalesce(col, "")) if folded else func.coalesce(col, "")
    return (func.length(hay) - func.length(func.replace(hay, needle, ""))) / float(len(needle))


def _saturated(tf: Any, col: Any, average: float) -> Any:
    # BM25's term-frequency part (k1=1.2, b=0.75): repeated hits count less and less, long texts are damped.
    return tf / (tf + 1.2 * (0.25 + 0.75 * func.length(func.coalesce(col, "")) / average))


def _postgresql_query(query: str, pattern: str) -> Select[Any]:
    """BM25-shaped ranking from substring counts: for a one-phrase query bm25's idf is the same for every
    hit, so term frequency and length normalisation are all that order them (cheap C string functions,
    where pg_trgm's word_similarity over long bodies cost ten times more)."""
    docs = t.search_docs
    folded = query.lower() != query.upper()  # Latin letters: match and count case-insensitively
    needle = query.lower() if folded else query
    relevance = 5.0 * _saturated(
        _occurrences(docs.c.title, needle, folded=folded), docs.c.title, 40.0
    ) + _saturated(_occurrences(docs.c.body, needle, folded=folded), docs.c.body, 300.0)
    # LIKE where case cannot matter (CJK): same GIN index, no per-row lower-casing of every document.
    match = _DOC.ilike(pattern, escape="\\") if folded else _DOC.like(pattern, escape="\\")
    return select(docs, cast(_title_hit(pattern) + relevance, Float).label("score")).where(match)


def search(
    store: Store,
    query: str,
    *,
    since: dt.date | None = None,
    source: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Documents containing ``query`` (entries and every part of every issue), best first.

    ``since`` keeps documents dated on or after that day; ``source`` keeps one source (any case).
    """
    query = " ".join(query.split())
    if not query or limit <= 0:
        return []
    pattern = _like_pattern(query)
    build = _postgresql_query if store.dialect == "postgresql" else _sqlite_query
    stmt = _filtered(build(query, pattern), since=since, source=source)
    stmt = stmt.order_by(
        literal_column("score").desc(), t.search_docs.c.date.desc(), t.search_docs.c.id
    ).limit(limit)
    with store.engine.connect() as conn:
        if store.dialect == "postgresql" and len(query) < MIN_INDEXED:
            # No trigram to look up: a GIN scan would visit the whole index, slower than reading the table.
            conn.execute(text("SET LOCAL enable_bitmapscan = off"))
        rows = conn.execute(stmt).mappings().all()
    return [
        SearchHit(
            kind=row["kind"],
            issue_id=row["issue_id"],
            date=row["date"],
            section=row["section"],
            title=row["title"],
            source=row["source"],
            url=row["url"],
            snippet=_snippet(row["title"], row["body"] or "", query),
            score=round(float(row["score"]), 4),
        )
        for row in rows
    ]
