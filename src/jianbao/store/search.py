"""Full-text search over the store's ``search_docs``: CJK bigram and trigram indexes, ranked, title hits first.

Matching is substring-exact (an editor searching 开源 or StyleCLIP wants exactly that text, and CJK has no
word boundaries to disagree about) and case-insensitive for Latin. A query made only of CJK characters is
answered from the bigram index (overlapping character pairs, written with each row by ``bigram_columns``),
so two-character queries such as 开源 are indexed too: FTS5 on SQLite, a ``tsvector`` GIN index on
PostgreSQL. Other queries of three characters or more use trigrams (FTS5 ``trigram``, pg_trgm); anything
shorter scans. Title hits come first, then relevance (BM25-shaped, from substring counts; the same on both
backends), then the newest date. Each of the two phases (title hits, the rest) ranks the ``WINDOW`` newest
matches, so a frequent term costs a bounded amount of work; a larger ``limit`` widens the window. On SQLite
the window is scored in Python from the rows' bytes (``_sqlite_scores``, bit-identical to the SQL), and
trigram title hits come from a title-only index (``search_title``, m007). This module holds SQLite's half;
PostgreSQL's is ``search_pg``, and what both share (the window, the title boost, the scan) ``search_rank``.

The rows searched and their index columns are written by ``jianbao.store.search_docs``; its text functions
(``bigram_terms``, ``latin_text``…) are named here too, where callers have always found them.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import contains, itemgetter, methodcaller
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import (
    Connection,
    column,
    table,
)

from jianbao.store import schema as t
from jianbao.store import search_rank
from jianbao.store.core import StoreCore
from jianbao.store.search_docs import (
    CJK_ANY,
    LATIN_BREAK,
    bigram_columns,
    bigram_terms,
    index_columns,
    latin_columns,
    latin_text,
)
from jianbao.store.search_pg import _postgresql_search
from jianbao.store.search_rank import (
    MIN_INDEXED,
    TITLE_BOOST,
    Hit,
    _like_pattern,
    _pairs,
    _scan,
    _squash,
)

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


_BATCH = 500  # rows read a statement from a list of rowids (_narrowed)


_NARROWS = 4  # bigram rowids worth reading per trigram candidate, to read fewer rows (_narrowed)


_FTS = {name: table(name, column("rowid")) for name in ("search_fts", "search_cjk", "search_title")}


_SQL_DOC = (
    "(coalesce(search_docs.title, '') || ' ' || coalesce(search_docs.body, '') || ' ' || "
    "coalesce(search_docs.source, ''))"
)  # _DOC as SQLite's text: what a mixed query is looked for in (_fts_top)


# A row of a ranking window (``_fts_top``): id, ISO date, title, body and source bytes, and the title's and
# the body's lengths as stored (m021; None where a row has none).
Window = tuple[int, str | None, bytes, bytes, bytes, int | None, int | None]


# A window's texts folded by ``bytes.lower``, by their place in its rows (2: title, 3: body, 4: source).
Lowered = dict[int, list[bytes]]


# Which rows of a window hold the query, and the texts it folded to find out (``_holds``).
Check = Callable[[Sequence[Window]], tuple[list[bool], Lowered]]


_COLUMNS = ("title", "body", "source")


_CONTINUATION = bytes(range(0x80, 0xC0))  # UTF-8 bytes that continue a character


_characters = methodcaller("translate", None, _CONTINUATION)  # a text's bytes that start a character


@dataclass(slots=True)
class SearchHit:
    """One search result: where it is (issue and section, or an entry), its text and its score."""

    kind: str  # entry, item, other, trending, insight, intro, one_liner
    issue_id: str | None
    date: dt.date | None
    section: str | None
    title: str
    source: str | None
    url: str | None
    snippet: str
    score: float


def _snippet(title: str, body: str, query: str, *, width: int = 60) -> str:
    """The stretch of body around the first hit (or its start), on one line."""
    flat = " ".join(body.split())
    at = flat.lower().find(query.lower())
    if at < 0:
        return flat[:width] + ("…" if len(flat) > width else "") if flat else title
    start = max(0, at - width // 3)
    end = min(len(flat), at + len(query) + width)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def _fts_top(
    conn: Connection,
    name: str,
    match: str,
    query: str,
    *,
    check: Check | None,
    exact: str | None = None,
    narrow: tuple[str, int] | None = None,
    since: dt.date | None,
    source: str | None,
    want: int,
    exclude: set[int],
) -> list[Hit]:
    """The ``want`` most relevant rows for an FTS5 match, as (row, relevance), ranked among a window.

    The indexes know which columns of a row hold every trigram (bigram) of the query, not where (m014:
    ``detail=column``, a fifth of the positions' size), so a candidate is a hit only once the query is found
    in it: ``exact``, when not None, is that test in SQL (``LIKE``, for mixed queries, as it always was);
    otherwise ``check`` tests the rows' bytes here (``_holds``, as the index's own phrase match found it),
    or is None where the match is exact itself (a single bigram). ``narrow``, a bigram match every hit
    holds and a bound of its count, may keep to the candidates both indexes hold (``_narrowed``).
    FTS5's bm25 first counts every row the phrase matches (for its idf, the same for every hit of a
    one-phrase query) and ``ORDER BY rank`` scores them all: tens of thousands for GitHub or 模型. The
    match is instead read newest-written first, which FTS5 does lazily, and the first ``WINDOW`` hits are
    scored (``_relevance``, as on PostgreSQL): a term with fewer matches is ranked over all of them, and
    the window grows with ``want`` so no match is out of reach. Filters go into SQL, so the window holds
    only rows that pass them. The window is read through the driver's cursor as raw bytes (a thousand rows,
    where SQLAlchemy's rows and SQL's ``length`` cost as much as the read), checked and scored here
    (``_sqlite_scores``, bit-identical to the SQL), and only the ``want`` best rows are read whole.
    """
    size = max(search_rank.WINDOW, want)
    filters = ""
    params: list[object] = []
    if since is not None:
        filters += " AND search_docs.date >= ?"
        params.append(f"{since.year:04d}-{since.month:02d}-{since.day:02d}")  # as SQLAlchemy's Date stores it
    if source is not None:
        filters += " AND lower(search_docs.source) = ?"
        params.append(source.lower())
    if exclude:
        filters += f" AND search_docs.id NOT IN ({', '.join('?' * len(exclude))})"
        params += sorted(exclude)
    if exact is not None:
        filters += f" AND {exact}"
        params.append(_like_pattern(query))
    columns = (
        "SELECT search_docs.id, search_docs.date, CAST(coalesce(search_docs.title, '') AS BLOB), "
        "CAST(coalesce(search_docs.body, '') AS BLOB), CAST(coalesce(search_docs.source, '') AS BLOB), "
        "search_docs.title_chars, search_docs.body_chars "
    )
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        lowered: Lowered = {}
        if narrow is not None:
            window = _narrowed(cursor, columns, name, match, narrow, filters, params, size)
        elif check is None:
            sql = (
                f"{columns}FROM {name} JOIN search_docs ON search_docs.id = {name}.rowid "
                f"WHERE {name} MATCH ?{filters} ORDER BY {name}.rowid DESC LIMIT ?"
            )
            window = cursor.execute(sql, (match, *params, size)).fetchall()
        else:
            window, lowered = _checked(cursor, columns, name, match, check, filters, params, size)
    finally:
        cursor.close()
    best = _sqlite_scores(window, query, want=want, lowered=lowered)
    if not best:
        return []
    return [(row, score) for row, (_, score) in zip(_shown(conn, [i for i, _ in best]), best, strict=True)]


_SHOWN = ("id", "kind", "issue_id", "date", "section", "title", "source", "url", "body")  # what a hit shows


def _shown(conn: Connection, ids: list[int]) -> list[dict[str, Any]]:
    """The rows ``ids`` as a hit shows them (``_SHOWN``), in that order: read through the driver's cursor,
    the date made a ``date`` as SQLAlchemy's ``Date`` makes it (a select of the table cost a millisecond)."""
    date = t.search_docs.c.date.type.dialect_impl(conn.dialect).result_processor(conn.dialect, None)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        sql = f"SELECT {', '.join(_SHOWN)} FROM search_docs WHERE id IN ({', '.join('?' * len(ids))})"
        rows = {row[0]: row for row in cursor.execute(sql, ids).fetchall()}
    finally:
        cursor.close()
    shown = []
    for id_ in ids:
        row = dict(zip(_SHOWN, rows[id_], strict=True))
        if date is not None:
            row["date"] = date(row["date"])
        shown.append(row)
    return shown


def _checked(
    cursor: Any,
    columns: str,
    name: str,
    match: str,
    check: Check,
    filters: str,
    params: list[object],
    size: int,
) -> tuple[list[Window], Lowered]:
    """The first ``size`` matches that pass ``check``, newest first (with their texts ``check`` folded): read
    in batches, each resuming below the last rowid read, until the window is full or the match is read out."""
    window: list[Window] = []
    lowered: Lowered = {}
    ask, last = size, None
    while True:
        below = "" if last is None else f" AND {name}.rowid < {last:d}"
        sql = (
            f"{columns}FROM {name} JOIN search_docs ON search_docs.id = {name}.rowid "
            f"WHERE {name} MATCH ?{below}{filters} ORDER BY {name}.rowid DESC LIMIT ?"
        )
        rows = cursor.execute(sql, (match, *params, ask)).fetchall()
        hits, folded = check(rows)
        kept = list(compress(range(len(rows)), hits))
        window += [rows[i] for i in kept]
        for at, texts in folded.items():
            lowered.setdefault(at, []).extend([texts[i] for i in kept])
        if len(rows) < ask or len(window) >= size:
            return window[:size], {at: texts[:size] for at, texts in lowered.items()}
        last, ask = rows[-1][0], max(2 * (size - len(window)), 256)


def _narrowed(
    cursor: Any,
    columns: str,
    name: str,
    match: str,
    narrow: tuple[str, int],
    filters: str,
    params: list[object],
    size: int,
) -> list[Window]:
    """The first ``size`` rows matching ``match`` (on ``name``) and passing ``filters``, newest first, read a
    batch at a time by rowid. When the bigram match ``narrow[0]``, which every hit holds, has few documents
    (at most ``narrow[1]``) against the matches, only the rows both indexes hold are read."""
    bigrams, documents = narrow
    ids = [rowid for (rowid,) in cursor.execute(f"SELECT rowid FROM {name} WHERE {name} MATCH ?", (match,))]
    if ids and documents <= _NARROWS * len(ids):  # the bigrams' rowids cost less than the rows they save
        held = cursor.execute("SELECT rowid FROM search_cjk WHERE search_cjk MATCH ?", (bigrams,)).fetchall()
        ids = list({rowid for (rowid,) in held}.intersection(ids))
    ids.sort(reverse=True)
    window: list[Window] = []
    for start in range(0, len(ids), _BATCH):
        part = ids[start : start + _BATCH]
        sql = f"{columns}FROM search_docs WHERE search_docs.id IN ({', '.join('?' * len(part))}){filters}"
        window += sorted(cursor.execute(sql, (*part, *params)).fetchall(), reverse=True)
        if len(window) >= size:
            break
    return window[:size]


def _holds(query: str, within: tuple[str, ...]) -> Check:
    """Which rows of a window hold ``query`` in one of the ``within`` columns (title, body, source): what
    the indexes' phrase match answered before m014.

    Case folds as the FTS5 tokenizers fold it: ASCII letters always (the folded texts are handed on, for
    the scores to count in); other letters (Ä, Ｋ) by their lower case, on the decoded text, only for a
    query that has some (a CJK query has none). A needle without ASCII letters is looked for in the texts
    as they are (``_folds``).
    """
    at = [_COLUMNS.index(column) + 2 for column in within]  # their place in a window row
    if all(c.isascii() or c.lower() == c.upper() for c in query):
        needle = query.lower().encode()
        folds = _folds(needle)

        def found(rows: Sequence[Window]) -> tuple[list[bool], Lowered]:
            hits = np.zeros(len(rows), dtype=bool)
            lowered: Lowered = {}
            for i in at:  # C loops over the column's texts
                texts = _texts(rows, i)
                if folds:
                    texts = lowered[i] = list(map(bytes.lower, texts))
                hits |= np.fromiter(map(contains, texts, repeat(needle)), dtype=bool, count=len(rows))
            return hits.tolist(), lowered

        return found
    folded = query.lower()

    def decoded(value: bytes) -> bool:
        return folded in value.decode("utf-8", "replace").lower()

    return lambda rows: (
        [any(map(decoded, row)) for row in zip(*(_texts(rows, i) for i in at), strict=True)],
        {},
    )


def _sqlite_scores(
    rows: Sequence[Window], query: str, *, want: int | None = None, lowered: Lowered | None = None
) -> list[tuple[int, float]]:
    """(id, ``_relevance``) of each (id, ISO date, title bytes, body bytes, …), best first (the ``want`` best).

    The very arithmetic SQLite does for ``_relevance``, so scores are identical to the bit, at a fraction
    of the cost: SQLite evaluates each count twice (no common subexpressions) and ``replace`` copies the
    text where ``bytes.count`` only reads it; here each column is counted in C loops over the window. SQLite's
    ``lower`` folds ASCII only, as ``bytes.lower`` does, and only a needle with ASCII letters can tell a
    folded text from its own (``_folds``); ``lowered`` may hold the window's title and body so folded
    already (by ``_holds``). ``length`` (counted by SQLite) stops at a NUL, and so does the text counted
    in. The lengths are read as the rows store them (``title_chars``, ``body_chars``: m021), where a window
    has them, and counted here otherwise. Order: relevance, then newest date (none last), then id.
    """
    if not rows:
        return []
    needle = (query.lower() if query.lower() != query.upper() else query).encode()
    folds = _folds(needle)
    count = len(rows)
    columns = []
    for at in (2, 3):  # title, body
        texts = _texts(rows, at)
        cut = any(map(contains, texts, repeat(b"\0")))  # length() and so the count stop at a NUL
        if cut:
            texts = [value.split(b"\0", 1)[0] for value in texts]
        if not folds:
            hay: Iterable[bytes] = texts
        elif lowered is not None and at in lowered:
            hay = [value.split(b"\0", 1)[0] for value in lowered[at]] if cut else lowered[at]
        else:
            hay = map(bytes.lower, texts)
        stored = _texts(rows, at + 3) if len(rows[0]) > at + 3 else [None]
        if None not in stored:
            lengths = np.array(stored, dtype=np.int64)
        else:  # length() counts characters: the bytes of the (valid) UTF-8 text that do not continue one.
            lengths = np.fromiter(map(len, map(_characters, texts)), dtype=np.int64, count=count)
        tf = np.fromiter(map(methodcaller("count", needle), hay), dtype=np.float64, count=count)
        columns.append((tf, lengths))
    (title_tf, title_length), (body_tf, body_length) = columns
    scores = _relevance_of(title_tf, title_length, body_tf, body_length)
    keep = count if want is None else min(want, count)
    # Only rows scoring at least the keep-th best score can be among the best (ties included).
    least = np.partition(scores, count - keep)[count - keep]
    pool: list[int] = np.flatnonzero(scores >= least).tolist()
    relevance: list[float] = scores.tolist()
    best = heapq.nlargest(keep, pool, key=lambda i: (relevance[i], rows[i][1] or "", -rows[i][0]))
    return [(rows[i][0], relevance[i]) for i in best]


def _relevance_of(
    title_tf: NDArray[np.float64],
    title_length: NDArray[Any],
    body_tf: NDArray[np.float64],
    body_length: NDArray[Any],
) -> NDArray[np.float64]:
    """``_relevance`` of rows from their counts and lengths, operation for operation as SQLite computes it."""
    scores: NDArray[np.float64] = (
        5.0 * (title_tf / (title_tf + 1.2 * (0.25 + 0.75 * title_length / 40.0)))
        + body_tf / (body_tf + 1.2 * (0.25 + 0.75 * body_length / 300.0))
    ) / 6.0
    return scores


def _folds(needle: bytes) -> bool:
    """Whether ASCII case folding (``bytes.lower``, SQLite's ``lower`` and ``LIKE``) can change where the
    (lower-cased) ``needle`` is found: only if it holds ASCII letters. A byte that is no letter is never
    made by folding, and folding leaves it be, so a needle without letters (CJK, digits) is found at the
    same places in a text and in its folded copy, which then need not be made."""
    return needle != needle.upper()


def _texts(rows: Sequence[Window], at: int) -> list[Any]:
    """Column ``at`` (2: title, 3: body, 4: source; 5, 6: their lengths) of a window's rows."""
    return list(map(itemgetter(at), rows))


def _every(terms: list[str]) -> str:
    """An FTS5 query for rows holding every term (the indexes keep no positions for a phrase: ``_found``)."""
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


@dataclass(slots=True)
class _Index:
    """One index a query asks: its FTS5 table, title column, MATCH expression, and the index terms; for the
    trigram index of a mixed query, the MATCH expression of the title-only index (``_sqlite_plan``)."""

    table: str
    title: str
    match: str
    terms: list[str]
    titled: str | None = None


def _sqlite_plan(query: str) -> tuple[list[_Index], bool] | None:
    """The indexes a query asks and whether hits need the substring test; None when none can answer.

    All-CJK queries ask the bigram index and CJK-free ones the trigram index (over ``latin_text``), each
    exactly. A mixed query (GPT-5.6 发布) asks both: trigrams for its non-CJK stretches of three characters
    or more, bigrams for its CJK runs of two or more. A document holding the query holds each of those,
    but one holding them all need not hold the query, hence the substring test.
    """
    pairs = _pairs(query)
    if pairs is not None:
        return [_Index("search_cjk", "title_bigrams", _every(_covering(pairs, 2)), pairs)], False
    runs = CJK_ANY.findall(query)
    if not runs:
        if len(query) < MIN_INDEXED:
            return None
        return [_Index("search_fts", "title_latin", _every(_grams(query)), _trigrams(query))], False
    plan: list[_Index] = []
    cjk = [[run[i : i + 2] for i in range(len(run) - 1)] for run in runs if len(run) >= 2]
    if cjk:
        match = " AND ".join(_every(_covering(run_pairs, 2)) for run_pairs in cjk)
        plan.append(_Index("search_cjk", "title_bigrams", match, [p for run_pairs in cjk for p in run_pairs]))
    pieces = CJK_ANY.split(query)  # the non-CJK stretches: a CJK run stood between each two
    latin = [(at, part) for at, part in enumerate(pieces) if len(part) >= MIN_INDEXED]
    if latin:
        match = " AND ".join(_every(_grams(part)) for _, part in latin)
        # A title holding the query holds each stretch beside the CJK runs it stands by, which its
        # latin_text replaces by LATIN_BREAK: "GitHub 项目" holds "GitHub \n", a far rarer match.
        beside = [
            (LATIN_BREAK if at else "") + part + (LATIN_BREAK if at + 1 < len(pieces) else "") for at, part in latin
        ]
        titled = " AND ".join(_every(_grams(part)) for part in beside)
        terms = [g for _, part in latin for g in _covering(_trigrams(part), 3)]
        plan.append(_Index("search_fts", "title_latin", match, terms, titled))
    return (plan, True) if plan else None


def _grams(text_: str) -> list[str]:
    """Trigrams of the query as typed that cover it (``_covering``), each one term, which the trigram
    tokenizer folds as it folded the rows."""
    return _covering([text_[i : i + 3] for i in range(len(text_) - 2)], 3)


def _covering(grams: list[str], width: int) -> list[str]:
    """Of a text's overlapping ``width``-character grams, those that cover it: every ``width``-th one and the
    last (Transformer: Tra nsf orm mer; 自然语言处理: 自然 语言 处理).

    The indexes keep no positions, so a row holding every gram of the query is only a candidate, checked for
    the query itself; one holding a covering few is a candidate too, and hardly ever another row. FTS5 merges
    each term's list of rows, so the eight overlapping trigrams of a ten-letter word cost twice what four do.
    """
    at = list(range(0, len(grams), width))
    if at and at[-1] != len(grams) - 1:
        at.append(len(grams) - 1)
    return [grams[i] for i in at]


def _trigrams(text_: str) -> list[str]:
    folded = text_.lower()  # as the trigram tokenizer folds case (exact for ASCII; only a cost estimate)
    return [folded[i : i + 3] for i in range(len(folded) - 2)]


def _rarest(conn: Connection, plan: list[_Index]) -> tuple[_Index, int, int, str]:
    """The index whose part of the query matches the fewest documents (bounded by its rarest term; the
    first of the plan on a tie), with the bounds for the bigram and the trigram index of a mixed plan (the
    trigram one no higher than the bigram one), and an FTS5 match of the trigram index's rarest term.

    A mixed query is read from that index alone, each candidate checked by the substring test: asking
    the other index as well would read all of its matches, which for AI or 模型 is most of the store.
    The vocabulary counts every document of a term (tens of thousands for a trigram such as "ai "), so the
    trigram index's ASCII terms are instead counted only up to the bigram bound: whether one is rarer.
    Each is counted only up to the fewest found so far (the bound is the same): a count stops early once an
    earlier term is known to be rarer.
    """

    def documents(index: _Index) -> tuple[int, str]:
        terms = sorted(set(index.terms))
        sql = f"SELECT term, doc FROM {index.table}_terms WHERE term IN ({', '.join('?' * len(terms))})"
        found: dict[str, int] = dict(cursor.execute(sql, terms).fetchall())
        return min((found.get(term, 0), term) for term in index.terms)

    def bounded(index: _Index, least: int) -> tuple[int, str]:
        if not all(term.isascii() for term in index.terms):  # folded as the tokenizer folds: only ASCII here
            fewest, term = documents(index)
            return min(fewest, least), term
        count = f"SELECT count(*) FROM (SELECT 1 FROM {index.table} WHERE {index.table} MATCH ? LIMIT ?)"
        rarest = (least, index.terms[0])
        for term in dict.fromkeys(index.terms):
            (found,) = cursor.execute(count, (_every([term]), rarest[0])).fetchone()
            if found < rarest[0]:
                rarest = (found, term)
        return rarest

    if len(plan) == 1:
        return plan[0], 0, 0, plan[0].match
    first, second = plan  # the bigram index, then the trigram index (_sqlite_plan)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        least, _ = documents(first)
        trigram, term = bounded(second, least)
    finally:
        cursor.close()
    return (second if trigram < least else first), least, trigram, _every([term])


def _sqlite_search(
    conn: Connection, query: str, *, since: dt.date | None, source: str | None, limit: int
) -> list[Hit]:
    plan = _sqlite_plan(query)
    if plan is None:
        return _scan(conn, query, since=since, source=source, limit=limit)
    indexes, inexact = plan
    index, documents, trigram, rarest = _rarest(conn, indexes)
    # Title hits first (the whole of them when fewer than the limit), then the rest, each by relevance. A
    # one-bigram query's match is exact; any other is checked in each candidate (``_fts_top``).
    single = index.table == "search_cjk" and not inexact and len(index.terms) == 1
    # Trigram title hits come from the title-only index (m007): a column filter on search_fts reads the
    # positions of every body match too. Bigram pairs are rarer than trigrams, so their filter is cheap.
    # A mixed query's title hits (LIKE on the title) are in both indexes' title matches, so the bigram one
    # may answer while the trigram one answers the rest: trigram matches of GitHub cost milliseconds to
    # merge, bigram ones far less, unless they are many more (模型).
    cjk = next((i for i in indexes if i.table == "search_cjk"), None)
    if inexact and index.titled is not None:  # the trigram index is the rarer: so is its title-only one
        titles, in_title = "search_title", index.titled
    elif inexact and cjk is not None and (cjk is index or documents <= _NARROWS * trigram):
        titles, in_title = cjk.table, f"{cjk.title} : ({cjk.match})"
    elif index.table == "search_fts":
        titles, in_title = "search_title", index.match
    else:
        titles, in_title = index.table, f"{index.title} : ({index.match})"
    title_hits = _fts_top(
        conn,
        titles,
        in_title,
        query,
        check=None if single or inexact else _holds(query, ("title",)),
        exact="search_docs.title LIKE ? ESCAPE '\\'" if inexact else None,
        since=since,
        source=source,
        want=limit,
        exclude=set(),
    )
    hits = [(row, TITLE_BOOST + _squash(score)) for row, score in title_hits]
    if len(hits) < limit:
        seen = {row["id"] for row, _ in hits}
        rest = _fts_top(
            conn,
            index.table,
            # Narrowed by the bigrams, the rarest trigram alone finds few more candidates than all of them
            # (each checked anyway), and merging many trigrams' matches cost more than reading those.
            rarest if cjk is not None and cjk is not index and len(set(index.terms)) > 2 else index.match,
            query,
            check=None if single or inexact else _holds(query, _COLUMNS),
            exact=f"{_SQL_DOC} LIKE ? ESCAPE '\\'" if inexact else None,
            # Read from the trigram index, it keeps to rows holding the query's CJK bigrams too: a hit holds
            # each CJK run, and a run (no space in it) never spans two of the texts LIKE reads as one.
            narrow=(cjk.match, documents) if cjk is not None and cjk is not index else None,
            since=since,
            source=source,
            want=limit - len(hits),
            exclude=seen,
        )
        hits += [(row, _squash(score)) for row, score in rest]
    return hits


def search(
    store: StoreCore,
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
