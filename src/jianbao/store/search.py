"""Full-text search over the store's ``search_docs``: CJK bigram and trigram indexes, ranked, title hits first.

Matching is substring-exact (an editor searching 开源 or StyleCLIP wants exactly that text, and CJK has no
word boundaries to disagree about) and case-insensitive for Latin. A query made only of CJK characters is
answered from the bigram index (overlapping character pairs, written with each row by ``bigram_columns``),
so two-character queries such as 开源 are indexed too: FTS5 on SQLite, a ``tsvector`` GIN index on
PostgreSQL. Other queries of three characters or more use trigrams (FTS5 ``trigram``, pg_trgm); anything
shorter scans. Title hits come first, then relevance (BM25-shaped, from substring counts; the same on both
backends), then the newest date. Each of the two phases (title hits, the rest) ranks the ``_WINDOW`` newest
matches, so a frequent term costs a bounded amount of work; a larger ``limit`` widens the window. On SQLite
the window is scored in Python from the rows' bytes (``_sqlite_scores``, bit-identical to the SQL), and
trigram title hits come from a title-only index (``search_title``, m007).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from operator import add
from typing import Any

from sqlalchemy import (
    Connection,
    Float,
    LargeBinary,
    Select,
    String,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    table,
    text,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from jianbao.store import Store
from jianbao.store import schema as t

__all__ = [
    "LATIN_BREAK",
    "MIN_INDEXED",
    "SearchHit",
    "bigram_columns",
    "bigram_terms",
    "index_columns",
    "latin_columns",
    "latin_text",
    "search",
]

MIN_INDEXED = 3  # trigram indexes need three characters; shorter queries that are not CJK scan
TITLE_BOOST = 10.0
RUN_END = "x"  # closes each CJK run in the bigram text; never a CJK pair, so no query ever matches it
LATIN_BREAK = "\n"  # stands for each CJK run in the trigram text; never in a (whitespace-normalised) query
# The search_docs columns a hit is built and ranked from.
_HIT_COLUMNS = ("id", "kind", "issue_id", "date", "section", "title", "body", "source", "url")
_WINDOW = 1000  # newest matches ranked per phase (see _fts_top, _postgresql_phase)
# CJK letters that SQLite's unicode61 tokenizer (Unicode 6.1 tables) and PostgreSQL's parser both take as
# word characters: kana, CJK ideographs (BMP, extension A), Hangul syllables. A query with any other
# character takes the trigram path, so the bigram index is only asked what it answers exactly.
_CJK = "\u3041-\u3096\u30a1-\u30fa\u3400-\u4db5\u4e00-\u9fcc\uac00-\ud7a3"
_CJK_RUN = re.compile(f"[{_CJK}]{{2,}}")
_CJK_ANY = re.compile(f"[{_CJK}]+")
_CJK_SPLIT = re.compile(f"([{_CJK}]+)")  # split keeps the runs: [text, run, text, run, …, text]
_FTS = {name: table(name, column("rowid")) for name in ("search_fts", "search_cjk", "search_title")}
_BIGRAM_TSV = literal_column("search_docs.bigram_tsv")  # PostgreSQL only: generated column (m004)
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


def bigram_terms(value: str | None) -> str:
    """The CJK runs of ``value`` as overlapping character pairs, each run closed by ``RUN_END``.

    开源大模型 → ``开源 源大 大模 模型 x``. A CJK query's own pairs, as a phrase, then match exactly where the
    query occurs: consecutive pairs come from one run only, and the marker stops a phrase spanning two.
    """
    return _bigrams(_CJK_RUN.findall(value or ""))


def _bigrams(runs: Iterable[str]) -> str:
    # map(add, run, run[1:]) pairs a run in C: the store writes about a million pairs per 3,000 entries.
    parts = [" ".join(map(add, run, run[1:])) for run in runs if len(run) > 1]
    return f" {RUN_END} ".join(parts) + f" {RUN_END}" if parts else ""


def _split(value: str | None) -> tuple[str, str]:
    """``bigram_terms(value)`` and ``latin_text(value)`` from one scan of the text."""
    pieces = _CJK_SPLIT.split(value or "")
    return _bigrams(pieces[1::2]), LATIN_BREAK.join(pieces[0::2])


def bigram_columns(title: str | None, body: str | None, source: str | None) -> dict[str, str]:
    """``title_bigrams`` and ``body_bigrams`` of a search_docs row, written beside its text."""
    return {
        "title_bigrams": bigram_terms(title),
        "body_bigrams": " ".join(filter(None, (bigram_terms(body), bigram_terms(source)))),
    }


def latin_text(value: str | None) -> str:
    """``value`` with each CJK run replaced by ``LATIN_BREAK``: what the SQLite trigram index reads.

    Every substring without CJK letters survives unchanged and none spans a break (queries hold no line
    break), so a trigram match here is a match in the original; CJK is left to the bigram index.
    """
    return _CJK_ANY.sub(LATIN_BREAK, value or "")


def latin_columns(title: str | None, body: str | None, source: str | None) -> dict[str, str]:
    """``title_latin`` and ``body_latin`` of a search_docs row (SQLite), written beside its text."""
    return {
        "title_latin": latin_text(title),
        "body_latin": latin_text(body) + LATIN_BREAK + latin_text(source),
    }


def index_columns(
    title: str | None, body: str | None, source: str | None, *, latin: bool
) -> dict[str, str | None]:
    """``bigram_columns`` and, when ``latin`` (SQLite), ``latin_columns`` of a row, each text scanned once.

    Without ``latin`` the trigram columns are None (PostgreSQL's trigram index reads the text itself).
    """
    if not latin:
        return {**bigram_columns(title, body, source), "title_latin": None, "body_latin": None}
    title_pairs, title_latin = _split(title)
    body_pairs, body_latin = _split(body)
    source_pairs, source_latin = _split(source)
    return {
        "title_bigrams": title_pairs,
        "body_bigrams": " ".join(filter(None, (body_pairs, source_pairs))),
        "title_latin": title_latin,
        "body_latin": body_latin + LATIN_BREAK + source_latin,
    }


def _pairs(query: str) -> list[str] | None:
    """The bigrams of an all-CJK query of two characters or more; None when the bigram index cannot answer."""
    if not _CJK_RUN.fullmatch(query):
        return None
    return [query[i : i + 2] for i in range(len(query) - 1)]


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


def _squash(relevance: float) -> float:
    # Any relevance into [0, 1): below the title boost, so scores always read in rank order.
    relevance = max(0.0, relevance)
    return relevance / (1.0 + relevance)


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


def _newest_first(row: Any) -> tuple[int, int]:
    return (-(row["date"].toordinal() if row["date"] else 0), row["id"])


def _fts_top(
    conn: Connection,
    name: str,
    match: str,
    query: str,
    *,
    exact: Any,
    since: dt.date | None,
    source: str | None,
    want: int,
    exclude: set[int],
) -> list[tuple[Any, float]]:
    """The ``want`` most relevant rows for an FTS5 match, as (row, relevance), ranked among a window.

    ``exact``, when not None, is the substring test that makes an index's candidates exact hits.
    FTS5's bm25 first counts every row the phrase matches (for its idf, the same for every hit of a
    one-phrase query) and ``ORDER BY rank`` scores them all: tens of thousands for GitHub or 模型. The
    match is instead read newest-written first, which FTS5 does lazily, and the first ``_WINDOW`` are
    scored (``_relevance``, as on PostgreSQL): a term with fewer matches is ranked over all of them, and
    the window grows with ``want`` so no match is out of reach. Filters go into SQL, so the window holds
    only rows that pass them. The scores are computed here from each row's raw bytes (``_sqlite_scores``),
    and only the ``want`` best rows are read whole.
    """
    docs = t.search_docs
    fts = _FTS[name]
    title = func.coalesce(docs.c.title, "")
    body = func.coalesce(docs.c.body, "")
    window = _filtered(
        select(
            docs.c.id,
            type_coerce(docs.c.date, String),  # ISO text: sorts as the date does, without parsing
            func.length(title),
            func.length(body),
            cast(title, LargeBinary),
            cast(body, LargeBinary),
        )
        .select_from(fts.join(docs, docs.c.id == fts.c.rowid))
        .where(text(f"{name} MATCH :match").bindparams(match=match)),
        since=since,
        source=source,
    )
    if exact is not None:
        window = window.where(exact)
    if exclude:
        window = window.where(docs.c.id.not_in(exclude))
    window = window.order_by(fts.c.rowid.desc()).limit(max(_WINDOW, want))
    best = _sqlite_scores(conn.execute(window).all(), query)[:want]
    if not best:
        return []
    rows = {
        row["id"]: row
        for row in conn.execute(select(docs).where(docs.c.id.in_([i for i, _ in best]))).mappings()
    }
    return [(rows[id_], score) for id_, score in best]


def _sqlite_scores(rows: Iterable[Any], query: str) -> list[tuple[int, float]]:
    """(id, ``_relevance``) of each (id, date, title length, body length, title bytes, body bytes), best first.

    The very arithmetic SQLite does for ``_relevance``, so scores are identical to the bit, at a fraction
    of the cost: SQLite evaluates each count twice (no common subexpressions) and ``replace`` copies the
    text where ``bytes.count`` only reads it. SQLite's ``lower`` folds ASCII only, as ``bytes.lower`` does;
    ``length`` (counted by SQLite) stops at a NUL, and so does the text counted in. Order: relevance, then
    newest date (none last), then id.
    """
    folded = query.lower() != query.upper()
    needle = (query.lower() if folded else query).encode()
    scored = []
    for id_, date, title_length, body_length, title, body in rows:
        if b"\0" in title or b"\0" in body:  # length() and so the count stop at a NUL
            title, body = title.split(b"\0", 1)[0], body.split(b"\0", 1)[0]
        if folded:
            title, body = title.lower(), body.lower()
        title_tf = float(title.count(needle))
        body_tf = float(body.count(needle))
        relevance = (
            5.0 * (title_tf / (title_tf + 1.2 * (0.25 + 0.75 * title_length / 40.0)))
            + body_tf / (body_tf + 1.2 * (0.25 + 0.75 * body_length / 300.0))
        ) / 6.0
        scored.append((relevance, date or "", id_))
    scored.sort(key=lambda s: s[2])  # stable sorts, least significant key first
    scored.sort(key=lambda s: s[1], reverse=True)
    scored.sort(key=lambda s: s[0], reverse=True)
    return [(id_, relevance) for relevance, _, id_ in scored]


def _phrase(terms: list[str]) -> str:
    return '"' + " ".join(term.replace('"', '""') for term in terms) + '"'


@dataclass(slots=True)
class _Index:
    """One index a query asks: its FTS5 table, title column, MATCH expression, and the index terms."""

    table: str
    title: str
    match: str
    terms: list[str]


def _sqlite_plan(query: str) -> tuple[list[_Index], bool] | None:
    """The indexes a query asks and whether hits need the substring test; None when none can answer.

    All-CJK queries ask the bigram index and CJK-free ones the trigram index (over ``latin_text``), each
    exactly. A mixed query (GPT-5.6 发布) asks both: trigrams for its non-CJK stretches of three characters
    or more, bigrams for its CJK runs of two or more. A document holding the query holds each of those,
    but one holding them all need not hold the query, hence the substring test.
    """
    pairs = _pairs(query)
    if pairs is not None:
        return [_Index("search_cjk", "title_bigrams", _phrase(pairs), pairs)], False
    runs = _CJK_ANY.findall(query)
    if not runs:
        if len(query) < MIN_INDEXED:
            return None
        return [_Index("search_fts", "title_latin", _phrase([query]), _trigrams(query))], False
    plan: list[_Index] = []
    cjk = [[run[i : i + 2] for i in range(len(run) - 1)] for run in runs if len(run) >= 2]
    if cjk:
        match = " AND ".join(_phrase(run_pairs) for run_pairs in cjk)
        plan.append(_Index("search_cjk", "title_bigrams", match, [p for run_pairs in cjk for p in run_pairs]))
    latin = [part for part in _CJK_ANY.split(query) if len(part) >= MIN_INDEXED]
    if latin:
        match = " AND ".join(_phrase([part]) for part in latin)
        plan.append(
            _Index("search_fts", "title_latin", match, [g for part in latin for g in _trigrams(part)])
        )
    return (plan, True) if plan else None


def _trigrams(text_: str) -> list[str]:
    folded = text_.lower()  # as the trigram tokenizer folds case (exact for ASCII; only a cost estimate)
    return [folded[i : i + 3] for i in range(len(folded) - 2)]


def _rarest(conn: Connection, plan: list[_Index]) -> _Index:
    """The index whose part of the query matches the fewest documents (bounded by its rarest term).

    A mixed query is read from that index alone, each candidate checked by the substring test: asking
    the other index as well would read all of its matches, which for AI or 模型 is most of the store.
    """
    if len(plan) == 1:
        return plan[0]

    def documents(index: _Index) -> int:
        vocab = table(f"{index.table}_terms", column("term"), column("doc"))
        found = dict(
            conn.execute(select(vocab.c.term, vocab.c.doc).where(vocab.c.term.in_(set(index.terms)))).all()
        )
        return min(found.get(term, 0) for term in index.terms)

    return min(plan, key=documents)


def _sqlite_search(
    conn: Connection, query: str, *, since: dt.date | None, source: str | None, limit: int
) -> list[tuple[Any, float]]:
    plan = _sqlite_plan(query)
    if plan is None:
        return _scan(conn, query, since=since, source=source, limit=limit)
    indexes, inexact = plan
    index = _rarest(conn, indexes)
    pattern = _like_pattern(query)
    docs = t.search_docs
    options = {"since": since, "source": source}
    # Title hits first (the whole of them when fewer than the limit), then the rest, each by relevance.
    exact = docs.c.title.like(pattern, escape="\\") if inexact else None
    # Trigram title hits come from the title-only index (m007): a column filter on search_fts reads the
    # positions of every body match too. Bigram pairs are rarer than trigrams, so their filter is cheap.
    if index.table == "search_fts":
        titles, in_title = "search_title", index.match
    else:
        titles, in_title = index.table, f"{index.title} : ({index.match})"
    title_hits = _fts_top(conn, titles, in_title, query, exact=exact, **options, want=limit, exclude=set())
    hits = [(row, TITLE_BOOST + _squash(score)) for row, score in title_hits]
    if len(hits) < limit:
        seen = {row["id"] for row, _ in hits}
        exact = _DOC.like(pattern, escape="\\") if inexact else None
        rest = _fts_top(
            conn,
            index.table,
            index.match,
            query,
            exact=exact,
            **options,
            want=limit - len(hits),
            exclude=seen,
        )
        hits += [(row, _squash(score)) for row, score in rest]
    return hits


def _scan(
    conn: Connection, query: str, *, since: dt.date | None, source: str | None, limit: int
) -> list[tuple[Any, float]]:
    """One- or two-character queries the indexes cannot answer: a scan, title hits first then newest."""
    docs = t.search_docs
    pattern = _like_pattern(query)
    if conn.dialect.name == "postgresql":
        hit = _DOC.ilike(pattern, escape="\\")
        conn.execute(text("SET LOCAL enable_bitmapscan = off"))  # a GIN scan with no trigram reads it all
    else:  # SQLite's LIKE is case-insensitive for ASCII, which is what Latin queries need
        hit = or_(*(c.like(pattern, escape="\\") for c in (docs.c.title, docs.c.body, docs.c.source)))
    score = _title_hit(pattern) + 0.5
    stmt = _filtered(select(docs, score.label("score")).where(hit), since=since, source=source)
    stmt = stmt.order_by(literal_column("score").desc(), docs.c.date.desc(), docs.c.id).limit(limit)
    return [(row, float(row["score"])) for row in conn.execute(stmt).mappings()]


def _occurrences(col: Any, needle: str, *, folded: bool) -> Any:
    hay = func.lower(func.coalesce(col, "")) if folded else func.coalesce(col, "")
    return (func.length(hay) - func.length(func.replace(hay, needle, ""))) / float(len(needle))


def _saturated(tf: Any, length: Any, average: float) -> Any:
    # BM25's term-frequency part (k1=1.2, b=0.75): repeated hits count less and less, long texts are damped.
    return tf / (tf + 1.2 * (0.25 + 0.75 * length / average))


def _relevance_parts(query: str) -> dict[str, Any]:
    """The inputs of ``_relevance``: each column's substring count and length, by name."""
    docs = t.search_docs
    folded = query.lower() != query.upper()  # Latin letters: count case-insensitively
    needle = query.lower() if folded else query
    return {
        "title_tf": _occurrences(docs.c.title, needle, folded=folded),
        "title_length": func.length(func.coalesce(docs.c.title, "")),
        "body_tf": _occurrences(docs.c.body, needle, folded=folded),
        "body_length": func.length(func.coalesce(docs.c.body, "")),
    }


def _relevance_of(parts: Any) -> Any:
    title = _saturated(parts["title_tf"], parts["title_length"], 40.0)
    body = _saturated(parts["body_tf"], parts["body_length"], 300.0)
    return cast((5.0 * title + body) / 6.0, Float)


def _relevance(query: str) -> Any:
    """BM25-shaped relevance in [0, 1) from substring counts: for a one-phrase query bm25's idf is the same
    for every hit, so term frequency and length normalisation are all that order them (cheap C string
    functions, where pg_trgm's word_similarity over long bodies cost ten times more)."""
    return _relevance_of(_relevance_parts(query))


def _postgresql_phase(
    conn: Connection, where: Any, query: str, *, since: dt.date | None, source: str | None, limit: int
) -> list[Any]:
    """The best ``limit`` rows matching ``where``, ranked among at most ``_WINDOW`` newest matches.

    PostgreSQL's GIN indexes find matches but cannot hand them over best-first, and scoring every match of
    a frequent term (GitHub, 模型) reads every one of them; the window bounds that work. Terms with fewer
    matches than the window are ranked over all of them. The substring counts are taken once per row in
    a subquery (``OFFSET 0`` keeps the planner from inlining them back): ``_relevance`` written out
    uses each count twice, and PostgreSQL does not share common subexpressions.
    """
    docs = t.search_docs
    window = (
        _filtered(select(docs.c.id).where(where), since=since, source=source)
        .order_by(docs.c.date.desc(), docs.c.id)
        .limit(max(_WINDOW, limit))
        .subquery()
    )
    counted = (
        select(docs.c.id, *(value.label(name) for name, value in _relevance_parts(query).items()))
        .join(window, window.c.id == docs.c.id)
        .offset(0)
        .subquery()
    )
    stmt = (
        select(docs, _relevance_of(counted.c).label("relevance"))
        .join(counted, counted.c.id == docs.c.id)
        .order_by(literal_column("relevance").desc(), docs.c.date.desc(), docs.c.id)
        .limit(limit)
    )
    return list(conn.execute(stmt).mappings())


def _postgresql_search(
    conn: Connection, query: str, *, since: dt.date | None, source: str | None, limit: int
) -> list[tuple[Any, float]]:
    docs = t.search_docs
    pairs = _pairs(query)
    pattern = _like_pattern(query)
    if pairs is not None:
        # Bigram phrase over the tsvector finds the matches. A CJK query is in the title exactly when the
        # title contains it, and LIKE on the title is far cheaper per row than a weighted (':A') phrase
        # test, which must detoast each candidate's whole tsvector (300 ms at 100k rows for 视频).
        matches = _BIGRAM_TSV.op("@@")(cast(literal(" <-> ".join(f"'{p}'" for p in pairs)), TSQUERY))
        in_title = matches & docs.c.title.like(pattern, escape="\\")
    elif len(query) >= MIN_INDEXED:
        folded = query.lower() != query.upper()
        # LIKE where case cannot matter: same GIN index, no per-row lower-casing of every document.
        matches = _DOC.ilike(pattern, escape="\\") if folded else _DOC.like(pattern, escape="\\")
        in_title = matches & docs.c.title.ilike(pattern, escape="\\")
    else:
        return _scan(conn, query, since=since, source=source, limit=limit)
    hits: list[tuple[Any, float]] = []
    for where, boost in ((in_title, TITLE_BOOST), (matches & not_(in_title), 0.0)):
        if len(hits) < limit:
            rows = _postgresql_phase(conn, where, query, since=since, source=source, limit=limit - len(hits))
            hits += [(row, boost + _squash(float(row["relevance"]))) for row in rows]
    return hits


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
    run = _postgresql_search if store.dialect == "postgresql" else _sqlite_search
    with store.engine.connect() as conn:
        hits = run(conn, query, since=since, source=source, limit=limit)
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
            score=round(score, 4),
        )
        for row, score in hits
    ]
