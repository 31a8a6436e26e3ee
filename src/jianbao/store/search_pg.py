"""PostgreSQL's half of ``jianbao.store.search``: the phases of a query (title hits from the title-only bigram
or trigram index, then the rest), each phase's window read past date cuts in one statement and one round
trip, its rows scored in Python with the very arithmetic of ``_relevance`` (the SQL kept as the reference)."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import math
import re
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import (
    Cast,
    Column,
    ColumnElement,
    Connection,
    Engine,
    Float,
    cast,
    func,
    text,
)

from jianbao.store import schema as t
from jianbao.store import search_rank
from jianbao.store.search_rank import (
    _POSITIONS_KEPT,
    MIN_INDEXED,
    TITLE_BOOST,
    Hit,
    _like_pattern,
    _pairs,
    _scan,
    _squash,
)


class _Parts(Protocol):
    """``_relevance_parts`` by name, as a dict or as the columns of a subquery that selected them."""

    def __getitem__(self, name: str, /) -> ColumnElement[Any]: ...


def _occurrences(col: Column[str], needle: str, *, folded: bool) -> ColumnElement[float | Decimal]:
    hay = func.lower(func.coalesce(col, "")) if folded else func.coalesce(col, "")
    return (func.length(hay) - func.length(func.replace(hay, needle, ""))) / float(len(needle))


def _saturated(tf: ColumnElement[float], length: ColumnElement[int], average: float) -> ColumnElement[float]:
    # BM25's term-frequency part (k1=1.2, b=0.75): repeated hits count less and less, long texts are damped.
    return tf / (tf + 1.2 * (0.25 + 0.75 * length / average))


def _relevance_parts(query: str) -> dict[str, ColumnElement[float] | ColumnElement[int]]:
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


def _relevance_of(parts: _Parts) -> Cast[float]:
    title = _saturated(parts["title_tf"], parts["title_length"], 40.0)
    body = _saturated(parts["body_tf"], parts["body_length"], 300.0)
    return cast((5.0 * title + body) / 6.0, Float)


def _relevance(query: str) -> Cast[float]:
    """BM25-shaped relevance in [0, 1) from substring counts: for a one-phrase query bm25's idf is the same
    for every hit, so term frequency and length normalisation are all that order them (cheap C string
    functions, where pg_trgm's word_similarity over long bodies cost ten times more)."""
    return _relevance_of(_relevance_parts(query))


def _newest_share(bounds: Sequence[dt.date], share: float) -> dt.date | None:
    """A date on or after which about ``share`` of the documents lie, from the planner's histogram of
    ``search_docs.date`` (``bounds``; none before the table's first ANALYZE): a cut only decides how much
    the window's steps read, never what they find."""
    if len(bounds) < 2:
        return None
    cut: dt.date = bounds[max(0, round((len(bounds) - 1) * (1.0 - share)))]
    return cut


def _date_cuts(expected: float, size: int, bounds: Sequence[dt.date]) -> list[dt.date]:
    """The window's date cuts, newest first, for ``expected`` matches (``_CUT_AT``); none for few matches."""
    cuts: list[dt.date] = []
    for times in _CUT_AT:
        share = times * size / max(expected, 1.0)
        cut = _newest_share(bounds, share) if share < 1.0 else None
        if cut is not None and (not cuts or cut < cuts[-1]):
            cuts.append(cut)
    return cuts


_CUT_AT = (1.5, 6.0)  # the window's date cuts, in shares of the expected matches: 1.5 and 6 windows' worth


def _estimated_rows(
    stats: _PgStats,
    driver: _Driver | None,
    *,
    since: dt.date | None,
    source: str | None,
    fewest: bool = False,
) -> float:
    """How many rows a phase's ``driver`` is expected to match (all, for none), from ``stats`` as the planner
    reads them (``patternsel`` for LIKE; pairs as below), the filters reckoned in too."""
    share = 1.0
    if driver is not None and driver.column in stats.samples:  # LIKE '%…%': the sampled texts holding it
        common, histogram, nulls = stats.samples[driver.column]
        (needle,) = driver.terms
        holds: Callable[[str], bool] = (
            (lambda v: needle in v.lower()) if driver.folded else (lambda v: needle in v)
        )
        sampled = sum(map(holds, histogram)) / len(histogram) if histogram else _DEFAULT_SHARE
        sampled = min(max(sampled, 0.0001), 0.9999)
        share = sum(f for v, f in common if holds(v)) + sampled * (1.0 - nulls - sum(f for _, f in common))
    elif driver is not None:  # pairs all held: the rarest pair's frequency
        # The pairs of a word come together: the planner multiplies their frequencies, as if independent,
        # and expects 2 of 目标检测's 2,325 titles, so its window would be read from every one of them.
        # Whether a window may hold too few is judged by the product, the fewer (``fewest``).
        frequencies, least = stats.elements.get(driver.column, ({}, 2 * _DEFAULT_SHARE))
        each = [frequencies.get(pair, min(_DEFAULT_SHARE, least / 2)) for pair in driver.terms]
        share = math.prod(each) if fewest else min(each)
    if since is not None and stats.dates:
        share *= sum(1 for day in stats.dates if day >= since) / len(stats.dates)
    if source is not None:
        share *= _DEFAULT_SHARE
    return share * stats.rows


@dataclass(frozen=True, slots=True)
class _Driver:
    """What a phase's expected matches are estimated from: the sampled texts of a column (a key of
    ``_PgStats.samples``) holding the one term, case folded or not, or a tsvector's element frequencies (a
    key of ``_PgStats.elements``) for the terms, all held."""

    column: str
    terms: tuple[str, ...]
    folded: bool = False


@dataclass(frozen=True, slots=True)
class _PgStats:
    """What the planner knows of ``search_docs`` (``pg_stats``; nothing before its first ANALYZE): rows,
    the date histogram, the title's and the document's common values (with frequencies), histogram and
    share of nulls, and the bigram tsvectors' element frequencies with the least kept. Read once a minute
    per engine, so the estimates that size the windows' date cuts cost no round trip of their own."""

    rows: float
    dates: list[dt.date]
    samples: dict[str, tuple[list[tuple[str, float]], list[str], float]]
    elements: dict[str, tuple[dict[str, float], float]]


_DEFAULT_SHARE = (
    0.005  # the planner's default for an equality or a text-search match it has no statistics for
)


_STATS_OF = {  # pg_stats' (tablename, attname) of what _PgStats keeps, by its key there
    "date": ("search_docs", "date"),
    "title": ("search_docs", "title"),
    "doc": ("ix_search_docs_trgm", "expr"),  # _PG_DOC, the trigram index's expression
    "bigrams": ("search_docs", "bigram_tsv"),
    "title_bigrams": ("ix_search_docs_title_bigrams", "to_tsvector"),  # _PG_TITLE_PAIRS
}


_STATS = (
    "SELECT s.tablename, s.attname, s.null_frac, s.most_common_vals::text::text[], s.most_common_freqs, "
    "s.histogram_bounds::text::text[], s.most_common_elems::text::text[], s.most_common_elem_freqs, "
    "(SELECT c.reltuples FROM pg_class c WHERE c.oid = to_regclass('search_docs')) "
    "FROM pg_stats s WHERE s.schemaname = current_schema() AND (s.tablename, s.attname) IN ("
    + ", ".join(f"('{table}', '{column}')" for table, column in _STATS_OF.values())
    + ")"
)


_KEPT: weakref.WeakKeyDictionary[Engine, tuple[float, _PgStats]] = weakref.WeakKeyDictionary()


_KEPT_FOR = 60.0  # seconds


def _pg_stats(conn: Connection) -> _PgStats:
    """``search_docs``' statistics (``_PgStats``), kept a minute per engine once there are any."""
    now = time.monotonic()
    kept = _KEPT.get(conn.engine)
    if kept is not None and now - kept[0] <= _KEPT_FOR:
        return kept[1]
    named = {where: key for key, where in _STATS_OF.items()}
    rows, dates = 0.0, []
    samples: dict[str, tuple[list[tuple[str, float]], list[str], float]] = {}
    elements: dict[str, tuple[dict[str, float], float]] = {}
    read = conn.connection.driver_connection.execute(_STATS, prepare=False).fetchall()  # type: ignore[union-attr]
    for (
        relation,
        attribute,
        nulls,
        common,
        frequencies,
        histogram,
        elems,
        elem_frequencies,
        reltuples,
    ) in read:
        key = named[relation, attribute]
        rows = max(rows, float(reltuples or 0))
        if key == "date":
            dates = sorted(dt.date.fromisoformat(day) for day in histogram or [] if _ISO_DAY.fullmatch(day))
        elif elems is not None:
            freqs = list(elem_frequencies or [])
            elements[key] = (
                dict(zip(elems, freqs, strict=False)),
                freqs[len(elems)] if len(freqs) > len(elems) else 0.0,
            )
        else:
            samples[key] = (
                list(zip(common or [], frequencies or [], strict=False)),
                list(histogram or []),
                float(nulls or 0),
            )
    stats = _PgStats(rows, dates, samples, elements)
    if read:  # none yet (no ANALYZE): asked again next time
        _KEPT[conn.engine] = (now, stats)
    return stats


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


# Per engine: whether a text holds characters Python's str.lower may fold unlike the database's lower()
# (None: Python folds nothing for it). See _python_folds.
_FOLDS: weakref.WeakKeyDictionary[Engine, Callable[[str], bool] | None] = weakref.WeakKeyDictionary()


_PROBED = 0x20000  # the Basic and Supplementary Multilingual Planes are probed, once per engine


def _python_folds(conn: Connection) -> Callable[[str], bool] | None:
    """A test for texts that Python's ``str.lower`` may fold otherwise than the database's ``lower()``, which
    the counts have always used; None when Python folds nothing for this database.

    PostgreSQL lowers as its locale (or ICU) says, and ``lower()`` in SQL costs eight microseconds a window
    row where Python's takes one. With a libc locale it maps each character on its own, so one ``lower()`` of
    every character of the two first planes shows, character by character, where the two agree: texts made
    only of those are folded here exactly. Capital sigma (Python folds it by its context) and characters past
    the probe are left to the database, and so is everything under a provider whose folding changes lengths
    (ICU) or an encoding other than UTF-8.
    """
    engine = conn.engine
    if engine in _FOLDS:
        return _FOLDS[engine]
    test: Callable[[str], bool] | None = None
    if conn.execute(text("SHOW server_encoding")).scalar() == "UTF8":
        probe = "".join(chr(c) for c in range(1, _PROBED) if not 0xD800 <= c <= 0xDFFF)
        lowered = conn.execute(text("SELECT lower(:probe)"), {"probe": probe}).scalar()
        if isinstance(lowered, str) and len(lowered) == len(probe):
            differ = sorted(
                {c for c, low in zip(probe, lowered, strict=True) if c.lower() != low} | {"\u03a3"}
            )
            beyond = re.compile(f"[{chr(_PROBED)}-\U0010ffff]")
            if len(differ) <= 32:  # a few: str's own search, far faster than a character class

                def test(value: str) -> bool:
                    return any(c in value for c in differ) or (
                        not value.isascii()
                        and len(value.encode("utf-16-le", "surrogatepass")) != 2 * len(value)  # past the BMP
                        and beyond.search(value) is not None
                    )
            else:
                pattern = re.compile(f"[{''.join(map(re.escape, differ))}{chr(_PROBED)}-\U0010ffff]")

                def test(value: str) -> bool:
                    return pattern.search(value) is not None

    _FOLDS[engine] = test
    return test


def _folded(conn: Connection, rows: list[_WindowRow]) -> list[_WindowRow]:
    """``rows`` with their title and body lower-cased as the database's ``lower()`` does: by Python where
    it folds every character of the texts alike (``_python_folds``), the others by the database."""
    unsafe = _python_folds(conn)
    anywhere = unsafe is None or unsafe("".join(text_ for row in rows for text_ in row[2:]))
    out = [(id_, date, title.lower(), body.lower()) for id_, date, title, body in rows]
    asked = [
        at
        for at, (_, _, title, body) in enumerate(rows)
        if anywhere and (unsafe is None or unsafe(title) or unsafe(body))
    ]
    if asked:  # the texts themselves, as read: the rows may have changed since
        values = [value for at in asked for value in rows[at][2:]]
        lowered = (
            conn.execute(
                text(
                    "SELECT lower(v) FROM unnest(CAST(:values AS text[])) WITH ORDINALITY AS u(v, n) ORDER BY n"
                ),
                {"values": values},
            )
            .scalars()
            .all()
        )
        for n, at in enumerate(asked):
            id_, date, _, _ = rows[at]
            out[at] = (id_, date, lowered[2 * n], lowered[2 * n + 1])
    return out


def _pg_scores(
    rows: Iterable[_WindowRow], folded: Iterable[_WindowRow], needle: str, best: int
) -> list[tuple[int, dt.date | None, float]]:
    """(id, date, ``_relevance``) of the ``best`` window rows, best first (relevance, newest date with none
    first, then id), as PostgreSQL computes ``_relevance``: lengths of the ``rows``' texts, counts ``length(t)
    - length(replace(t, needle, ''))`` over the ``folded`` ones (``str.count`` times the needle's length: both
    take non-overlapping matches from the left), then the same IEEE double operations in the same order, so
    scores agree to the bit."""
    size = len(needle)
    step = float(size)
    scored = []
    for (id_, date, title, body), (_, _, title_hay, body_hay) in zip(rows, folded, strict=True):
        title_tf = float(title_hay.count(needle) * size) / step
        body_tf = float(body_hay.count(needle) * size) / step
        relevance = (
            5.0 * (title_tf / (title_tf + 1.2 * (0.25 + 0.75 * len(title) / 40.0)))
            + body_tf / (body_tf + 1.2 * (0.25 + 0.75 * len(body) / 300.0))
        ) / 6.0
        # Ascending key of the order: relevance descending, then date descending with none first, then id.
        scored.append((-relevance, date is not None, -date.toordinal() if date else 0, id_, date))
    return [(id_, date, -negated) for negated, _, _, id_, date in heapq.nsmallest(best, scored)]


# A window row: id, date, title and body (as stored, or lower-cased for the count).
_WindowRow = tuple[int, dt.date | None, str, str]


# The PostgreSQL search's SQL is written out: one text per query shape, psycopg's named parameters. _PG_DOC is
# the exact expression of the trigram index ix_search_docs_trgm (m002), _PG_TITLE_PAIRS that of the title
# bigram index ix_search_docs_title_bigrams (m017).
_PG_DOC = (
    "(coalesce(search_docs.title, '') || ' ' || coalesce(search_docs.body, '') || ' ' || "
    "coalesce(search_docs.source, ''))"
)


_PG_TITLE_PAIRS = "to_tsvector('simple', coalesce(search_docs.title_bigrams, ''))"


# What a window reads of a row: what it is ranked by, then what a hit shows (SearchHit).
_PG_WINDOW = ("id", "date", "title", "body", "kind", "issue_id", "section", "source", "url")


_PG_SHOWN = _PG_WINDOW[4:]


@dataclass(frozen=True, slots=True)
class _Phase:
    """One ranked phase of a PostgreSQL search: the rows it ranks (SQL over ``search_docs``), what its
    expected matches, which size its window's date cuts, are estimated from (the title pairs, where a title
    ``LIKE '%…%'`` would be guessed; None: every row), and the score added to its hits."""

    where: str
    driver: _Driver | None
    boost: float


def _pg_phases(query: str) -> tuple[list[_Phase], dict[str, Any]] | None:
    """The two phases of an indexed query (title hits, then the rest) and their parameters; None when no
    index can answer it (``_scan``)."""
    pattern = _like_pattern(query)
    pairs = _pairs(query)
    params: dict[str, Any] = {"pattern": pattern}
    if pairs is not None:
        # Bigram phrase over the tsvector finds the matches. A CJK query is in the title exactly when the
        # title contains it, and LIKE on the title is far cheaper per row than a weighted (':A') phrase
        # test, which must detoast each candidate's whole tsvector (300 ms at 100k rows for 视频).
        params["phrase"] = " <-> ".join(f"'{p}'" for p in pairs)
        params["pairs"] = " & ".join(f"'{p}'" for p in pairs)
        matches = "search_docs.bigram_tsv @@ CAST(%(phrase)s AS tsquery)"
        title_like = "search_docs.title LIKE %(pattern)s ESCAPE '\\'"
        # A title holding the query holds each of its pairs, which the title-only bigram index (m017) finds
        # among a frequent pair's matches (3,608 titles of 数据's 18,063 rows); the tsvector cannot. Its
        # title part is those pairs at their positions: holding one pair there is matching a two-character
        # query, and a longer one matches in any title short enough to keep every position (a lexeme keeps
        # 256), so only longer titles pay for the phrase test, which detoasts the row's whole tsvector.
        every_pair = f"{_PG_TITLE_PAIRS} @@ CAST(%(pairs)s AS tsquery)"
        # Whether the title holds the query is asked with strpos (LIKE's answer: a CJK query has no wildcard),
        # which no index serves: with LIKE the planner may add the title trigram index to the pairs', whose
        # candidates are then rechecked, and the recheck recomputes the index's tsvector for every row
        # (30 ms at 100k items for 大模型's 1,566 titles); the pairs' index alone answers exactly.
        params["query"] = query
        title_phase = f"strpos(search_docs.title, %(query)s) > 0 AND ({every_pair})"
        if len(pairs) > 1:
            title_phase += f" AND (length(search_docs.title) <= {_POSITIONS_KEPT} OR {matches})"
        title_driver = _Driver("title_bigrams", tuple(pairs))
        driver = _Driver("bigrams", tuple(pairs))
    elif len(query) >= MIN_INDEXED:
        folded = query.lower() != query.upper()
        # LIKE where case cannot matter: same GIN index, no per-row lower-casing of every document.
        matches = f"{_PG_DOC} {'ILIKE' if folded else 'LIKE'} %(pattern)s ESCAPE '\\'"
        title_like = "search_docs.title ILIKE %(pattern)s ESCAPE '\\'"
        # The document starts with the title, so a title hit matches it too: the title phase rechecks
        # titles only (the title trigram index, m005), not the whole text of every candidate.
        title_phase = title_like if folded else f"({matches}) AND ({title_like})"
        title_driver = _Driver("title", (query.lower(),), folded=True)
        driver = _Driver("doc", (query.lower() if folded else query,), folded=folded)
    else:
        return None
    # The rest: matches whose title does not hold the query (matches & not (matches & title hit), with the
    # match tested once: it is the costly part, a phrase or a whole-document ILIKE).
    rest = _Phase(f"({matches}) AND NOT ({title_like})", driver, 0.0)
    return [_Phase(title_phase, title_driver, TITLE_BOOST), rest], params


def _pg_filters(params: dict[str, Any], *, since: dt.date | None, source: str | None) -> str:
    """The SQL of the ``since`` and ``source`` filters (`` AND …``), their values put in ``params``."""
    filters = ""
    if since is not None:
        filters += " AND search_docs.date >= %(since)s"
        params["since"] = since
    if source is not None:
        filters += " AND lower(search_docs.source) = %(source)s"
        params["source"] = source.lower()
    return filters


def _pg_ranges(cuts: list[dt.date]) -> list[str]:
    """The date ranges a window is read in, newest first (undated rows first of all), as SQL conditions:
    one unbounded range without cuts. Disjoint and in order, so their rows in turn are the window."""
    if not cuts:
        return [""]
    ranges = [f" AND (search_docs.date >= DATE '{cuts[0].isoformat()}' OR search_docs.date IS NULL)"]
    ranges += [
        f" AND search_docs.date < DATE '{newer.isoformat()}' AND search_docs.date >= DATE '{older.isoformat()}'"
        for newer, older in itertools.pairwise(cuts)
    ]
    ranges.append(f" AND search_docs.date < DATE '{cuts[-1].isoformat()}'")
    return ranges


_SPECULATE = 5  # the rest's first part is asked with the title hits' when fewer than this many limits of those are expected


_Part = tuple[int, int]  # a window part: (phase, date range)


# A part of a statement reading windows: (phase, date range), the SQL choosing its rows, the window size,
# and when it is read: always (None), or while the parts before it at those places hold fewer rows than that.
_PartRead = tuple[_Part, str, int, tuple[tuple[int, ...], int] | None]


def _pg_parts_sql(parts: list[_PartRead], filters: str) -> str:
    """One statement reading window parts: each the newest ``size`` rows (of ``_PG_WINDOW``) of the rows
    ``where`` (a phase's, and one of its date ranges) chooses, a materialised CTE, tagged with its part.

    Only the first part is read for certain. A later one (the next date range of the same window, or the
    rest's window beside the title hits') is read only while earlier parts hold fewer rows than a bound: that
    condition refers to no row, so PostgreSQL tests it once, before the part's scan, and skips the scan when
    it fails; what sending the part's own statement when needed would read, without the round trip.
    """
    columns = ", ".join(f"search_docs.{name}" for name in _PG_WINDOW)
    ctes: list[str] = []
    selects: list[str] = []
    for n, ((phase, part), where, size, gate) in enumerate(parts):
        needed = ""
        if gate is not None:
            earlier, bound = gate
            needed = f" AND {' + '.join(f'(SELECT count(*) FROM w{e:d})' for e in earlier)} < {bound:d}"
        ctes.append(
            f"w{n} AS MATERIALIZED (SELECT {columns} FROM search_docs WHERE {where}{filters}{needed} "
            f"ORDER BY search_docs.date DESC, search_docs.id LIMIT {size:d})"
        )
        selects.append(f"SELECT {phase:d}, {part:d}, * FROM w{n}")
    return f"WITH {', '.join(ctes)} {' UNION ALL '.join(selects)}"


def _newest(row: tuple[Any, ...]) -> tuple[bool, int, int]:
    # A window's order: date descending with none first, then id (row: phase, part, id, date, …).
    date: dt.date | None = row[3]
    return (date is not None, -date.toordinal() if date else 0, row[2])


def _pg_read(conn: Connection, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql``, read with parallel workers off (they start slower than these statements run), in
    one round trip.

    The setting and the statement go as one query string, their values bound here (psycopg's client-side
    binding). Outside a transaction the string runs in autocommit, as one implicit transaction that sets,
    reads and resets: psycopg would otherwise wait for a ``BEGIN`` of its own first, and the pool for the
    ``ROLLBACK`` after. Within the caller's transaction the setting is local to it, as before.
    """
    from psycopg import ClientCursor  # here: a SQLite store's search never loads psycopg (76 ms)
    from psycopg.pq import TransactionStatus

    driver: Any = conn.connection.driver_connection
    cursor = ClientCursor(driver)
    try:
        if driver.autocommit or driver.info.transaction_status != TransactionStatus.IDLE:
            local = "" if driver.autocommit else "LOCAL "
            reset = "; RESET max_parallel_workers_per_gather" if driver.autocommit else ""
            cursor.execute(f"SET {local}max_parallel_workers_per_gather = 0; {sql}{reset}", params)
        else:
            driver.autocommit = True
            try:
                cursor.execute(
                    f"SET max_parallel_workers_per_gather = 0; {sql}; RESET max_parallel_workers_per_gather",
                    params,
                )
            finally:
                driver.autocommit = False
        cursor.nextset()  # past the setting
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    finally:
        cursor.close()
    return rows


def _pg_ranked(
    conn: Connection,
    phases: list[_Phase],
    query: str,
    params: dict[str, Any],
    *,
    since: dt.date | None,
    source: str | None,
    limit: int,
) -> list[tuple[dict[str, Any], _Phase, float]]:
    """The best ``limit`` hits of the phases in turn, each phase's hits ranked among its ``WINDOW`` newest
    matches (a larger ``limit`` widens the window): (row, its phase, its relevance); ``params`` are the
    phases' SQL parameters (the filters' are added).

    PostgreSQL's GIN indexes find matches but cannot hand them over best-first, and scoring every match of
    a frequent term (GitHub, 模型) reads every one of them; the window bounds that work. A GIN index finds
    matches in no useful order either, so the newest of them are known only once every match's date has
    been read: 7,000 title hits for OpenAI at 100k items, on pages all over the table. When the planner
    expects many more matches than the window, they are first asked for among the newest documents only (a
    date cut from its histogram, at half as much again as the window's share of the matches), so only rows
    past the cut are read; should fewer than ``size`` be there, the rest come from the next range back
    (``_CUT_AT``). The ranges are disjoint and in order: the window is the same, the estimate only decides
    how much each step reads. Terms with fewer matches than the window are ranked over all of them.

    Round trips are what a search costs most on a busy server. The estimates are made here from the
    planner's statistics, read once a minute (``_pg_stats``), not asked of it with ``EXPLAIN``; a window's
    next date range, and the rest's window beside the title hits' when those may be too few, are asked in the
    same statement, read only if needed (``_pg_parts_sql``; the rest's window is the same whatever the title
    hits are, as long as the limit is within ``WINDOW``); and each statement goes with its setting in one
    query string (``_pg_read``). A search is then one round trip after the pool's ping, most often. The windows come with their texts and are
    scored here (``_folded``, ``_pg_scores``), to the bit as ``_relevance`` scores them: ``lower`` and
    ``replace`` in SQL cost five to eight microseconds a row.
    """
    folded = query.lower() != query.upper()  # Latin letters: count case-insensitively
    needle = query.lower() if folded else query
    filters = _pg_filters(params, since=since, source=source)
    stats = _pg_stats(conn)
    expected = [_estimated_rows(stats, phase.driver, since=since, source=source) for phase in phases]
    fewest = [
        _estimated_rows(stats, phase.driver, since=since, source=source, fewest=True) for phase in phases
    ]
    bounds = stats.dates

    def read(parts: list[_PartRead]) -> dict[_Part, list[tuple[Any, ...]]]:
        """The parts that were read (whose bounds held) and their rows."""
        rows = _pg_read(conn, _pg_parts_sql(parts, filters), params)
        found: list[list[tuple[Any, ...]]] = [[] for _ in parts]
        at = {part: n for n, (part, _, _, _) in enumerate(parts)}
        for row in rows:
            found[at[row[0], row[1]]].append(row)
        return {
            part: found[n]
            for n, (part, _, _, gate) in enumerate(parts)
            if gate is None or sum(len(found[e]) for e in gate[0]) < gate[1]
        }

    def ranges(p: int, size: int) -> list[str]:
        return [
            f"({phases[p].where}){in_range}" for in_range in _pg_ranges(_date_cuts(expected[p], size, bounds))
        ]

    hits: list[tuple[dict[str, Any], _Phase, float]] = []
    kept: dict[_Part, list[tuple[Any, ...]]] = {}  # parts read, not yet taken
    base = search_rank.WINDOW
    for p, phase in enumerate(phases):
        if len(hits) >= limit:
            break
        want = limit - len(hits)
        size = max(base, want)
        rows: list[tuple[Any, ...]] = []
        steps = ranges(p, size)
        for r, where in enumerate(steps):
            if (p, r) not in kept:
                parts: list[_PartRead] = [((p, r), where, size, None)]
                if r + 1 < len(steps):  # the next range back, should this one hold too few
                    parts.append(((p, r + 1), steps[r + 1], size, ((0,), size)))
                ahead = p + 1
                if not r and ahead < len(phases) and limit <= base and fewest[p] < _SPECULATE * want:
                    # The next phase's window is the same whatever this one finds (its size is WINDOW).
                    parts.append(((ahead, 0), ranges(ahead, base)[0], base, (tuple(range(len(parts))), want)))
                kept.update(read(parts))
            rows += sorted(kept.pop((p, r)), key=_newest)[: size - len(rows)]
            if len(rows) >= size:
                break
        window = [(row[2], row[3], row[4] or "", row[5] or "") for row in rows]
        hay = _folded(conn, window) if folded else window
        shown = {row[2]: row for row in rows}
        for id_, _, relevance in _pg_scores(window, hay, needle, want):
            hits.append((dict(zip(_PG_WINDOW, shown[id_][2:], strict=True)), phase, relevance))
    return hits


def _postgresql_search(
    conn: Connection, query: str, *, since: dt.date | None, source: str | None, limit: int
) -> list[Hit]:
    planned = _pg_phases(query)
    if planned is None:
        return _scan(conn, query, since=since, source=source, limit=limit)
    phases, params = planned
    ranked = _pg_ranked(conn, phases, query, params, since=since, source=source, limit=limit)
    return [(row, phase.boost + _squash(relevance)) for row, phase, relevance in ranked]
