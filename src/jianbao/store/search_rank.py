"""What both backends' search shares: the window a phase ranks, the title boost, the query's pairs and LIKE
pattern, and the scan that answers what no index can. ``jianbao.store.search`` runs a search and holds
SQLite's half; PostgreSQL's is ``search_pg``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import (
    Case,
    ColumnElement,
    Connection,
    Select,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)

from jianbao.store import schema as t
from jianbao.store.search_docs import (
    CJK_RUN,
)

MIN_INDEXED = 3  # trigram indexes need three characters; shorter queries that are not CJK scan


TITLE_BOOST = 10.0


WINDOW = 1000  # newest matches ranked per phase (see _fts_top, _pg_ranked)


_POSITIONS_KEPT = 256  # a tsvector keeps at most this many positions of one lexeme (MAXNUMPOS)


_DOC = (
    func.coalesce(t.search_docs.c.title, "")
    + literal(" ")
    + func.coalesce(t.search_docs.c.body, "")
    + literal(" ")
    + func.coalesce(t.search_docs.c.source, "")
)  # must stay the exact expression of the PG index ix_search_docs_trgm (migration m002)


Hit = tuple[Mapping[Any, Any], float]  # a search_docs row (what a hit shows, at least) and its score


_Select = TypeVar("_Select", bound="Select[*tuple[Any, ...]]")


def _pairs(query: str) -> list[str] | None:
    """The bigrams of an all-CJK query of two characters or more; None when the bigram index cannot answer."""
    if not CJK_RUN.fullmatch(query):
        return None
    return [query[i : i + 2] for i in range(len(query) - 1)]


def _like_pattern(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _squash(relevance: float) -> float:
    # Any relevance into [0, 1): below the title boost, so scores always read in rank order.
    relevance = max(0.0, relevance)
    return relevance / (1.0 + relevance)


def _filtered(query: _Select, *, since: dt.date | None, source: str | None) -> _Select:
    if since is not None:
        query = query.where(t.search_docs.c.date >= since)
    if source is not None:
        query = query.where(func.lower(t.search_docs.c.source) == source.lower())
    return query


def _title_hit(pattern: str) -> Case[float]:
    return case(
        (func.lower(t.search_docs.c.title).like(func.lower(pattern), escape="\\"), TITLE_BOOST), else_=0.0
    )


def _scan(
    conn: Connection, query: str, *, since: dt.date | None, source: str | None, limit: int
) -> list[Hit]:
    """One- or two-character queries the indexes cannot answer: a scan, title hits first then newest."""
    docs = t.search_docs
    pattern = _like_pattern(query)
    hit: ColumnElement[bool]
    if conn.dialect.name == "postgresql":
        hit = _DOC.ilike(pattern, escape="\\")
        conn.execute(text("SET LOCAL enable_bitmapscan = off"))  # a GIN scan with no trigram reads it all
    else:  # SQLite's LIKE is case-insensitive for ASCII, which is what Latin queries need
        hit = or_(*(c.like(pattern, escape="\\") for c in (docs.c.title, docs.c.body, docs.c.source)))
    score = _title_hit(pattern) + 0.5
    stmt = _filtered(select(docs, score.label("score")).where(hit), since=since, source=source)
    stmt = stmt.order_by(literal_column("score").desc(), docs.c.date.desc(), docs.c.id).limit(limit)
    return [(row, float(row["score"])) for row in conn.execute(stmt).mappings()]
