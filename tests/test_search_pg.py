"""PostgreSQL search: the title-bigram index (m017), the date cut of the ranking window, the parts of a window read
ahead in one statement, and Python's folding of the window's texts must each leave results exactly as the plain SQL
predicates and ``_relevance`` give; the search GIN indexes' pending lists stay small (m019)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

import pytest
from sqlalchemy import cast, func, literal, literal_column, select, text, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import TSQUERY

from jianbao.records import Issue, Item, Section
from jianbao.store import Store, open_store, search_pg, search_rank
from jianbao.store import schema as t
from jianbao.store.migrations import GIN_PENDING_KB, SEARCH_GIN_INDEXES
from jianbao.store.search import search

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_store(pg_store_url: str) -> Iterator[Store]:
    store = open_store(pg_store_url)
    yield store
    store.close()


def _issue(day: dt.date, items: list[tuple[str, str]]) -> Issue:
    return Issue(
        date=day,
        format="weekly",
        state="published",
        sections=[
            Section(
                "AI 前沿",
                [
                    Item(title=title, summary=summary, source="量子位", section="AI 前沿", number=i + 1,
                         url=f"https://example.com/{day}/{i}")
                    for i, (title, summary) in enumerate(items)
                ],
            )
        ],
    )  # fmt: skip


def _ranked(store: Store, query: str, limit: int) -> list[tuple[str, dt.date | None, str, float]]:
    return [(h.kind, h.date, h.title, h.score) for h in search(store, query, limit=limit)]


def test_store_from_before_the_title_bigram_index_gets_it(pg_store_url: str) -> None:
    with open_store(pg_store_url) as store:
        store.save_issue(_issue(dt.date(2021, 3, 5), [("开源模型发布", "正文")]))
        with store.engine.begin() as conn:
            conn.execute(text("DROP INDEX ix_search_docs_title_bigrams"))
            conn.execute(text("DELETE FROM migrations WHERE name = 'm017_title_bigram_index'"))
    with open_store(pg_store_url) as store:
        assert store.migrations_ran == ["m017_title_bigram_index"]
        with store.engine.connect() as conn:
            names = conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'search_docs'"))
            assert "ix_search_docs_title_bigrams" in set(names.scalars())
        assert [(h.title, h.score > 10) for h in search(store, "开源")] == [("开源模型发布", True)]


def test_title_phase_is_the_title_hits_the_phrase_finds(pg_store: Store) -> None:
    # Titles longer than a tsvector keeps positions for (256 of one lexeme) are tested by the phrase itself:
    # 哈哈笑 is in the long title's text but not in its tsvector, which never matched it.
    long_title = "哈" * 300 + "哈笑"
    pg_store.save_issue(
        _issue(
            dt.date(2021, 3, 5),
            [
                (long_title, "正文"),
                ("哈哈笑的模型" + "，很长的标题" * 60, "正文"),  # long, and found within its first positions
                ("模型", "哈哈笑"),
                ("短标题哈哈笑", "无"),
            ],
        )
    )
    docs = t.search_docs
    for query in ("哈哈笑", "哈哈", "模型"):
        phrase = " <-> ".join(f"'{query[i : i + 2]}'" for i in range(len(query) - 1))
        matches = literal_column("search_docs.bigram_tsv").op("@@")(cast(literal(phrase), TSQUERY))
        with pg_store.engine.connect() as conn:
            titled = set(
                conn.execute(select(docs.c.title).where(matches & docs.c.title.like(f"%{query}%"))).scalars()
            )
            rest = set(
                conn.execute(select(docs.c.title).where(matches & ~docs.c.title.like(f"%{query}%"))).scalars()
            )
        hits = search(pg_store, query, limit=50)
        assert {h.title for h in hits if h.score > 10} == titled
        assert {h.title for h in hits if h.score < 10} == rest
    assert long_title not in {h.title for h in search(pg_store, "哈哈笑", limit=50)}


@pytest.mark.parametrize("query", ["开源", "开源项目", "StyleCLIP", "AI 芯片", "kimi k3"])
def test_a_date_cut_never_changes_the_window(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    # Many matches expected: the window is asked past a date cut first, then before it. Wherever the cut
    # falls, the window (and so the ranking) is the one read without a cut; undated rows come first.
    monkeypatch.setattr(search_rank, "WINDOW", 4)
    days = [dt.date(2021, 1, 1) + dt.timedelta(days=7 * i) for i in range(6)]
    for n, day in enumerate(days):
        pg_store.save_issue(
            _issue(
                day,
                [
                    (f"{query} 第{n}期", f"正文 {query}" * (n % 3 + 1)),
                    (f"条目{n}", f"正文提到 {query}。" * (n % 2 + 1)),
                    (f"无关{n}", "什么也没有"),
                    (f"AI 前沿{n}", f"{query} 与 AI 芯片、Kimi K3、StyleCLIP"),
                ],
            )
        )
    with pg_store.engine.begin() as conn:  # some rows undated, as entries without a published date are
        conn.execute(update(t.search_docs).where(t.search_docs.c.title.like("条目1%")).values(date=None))
        conn.execute(text("ANALYZE search_docs"))
    expected = {limit: _ranked(pg_store, query, limit) for limit in (1, 3, 7, 50)}
    assert any(date is None for _, date, _, _ in expected[50])
    monkeypatch.setattr(search_pg, "_estimated_rows", lambda *args, **kwargs: 1e9)
    for cut in [*days, dt.date(2020, 1, 1), dt.date(2030, 1, 1)]:
        # a cut per share asked (1.5 and 6 windows' worth of the "expected" matches): days apart
        monkeypatch.setattr(
            search_pg,
            "_newest_share",
            lambda bounds, share, cut=cut: cut - dt.timedelta(days=round(share * 1e9)),
        )
        for limit, ranked in expected.items():
            assert _ranked(pg_store, query, limit) == ranked, (cut, limit)


def test_python_folds_only_what_it_folds_as_the_database_does(pg_store: Store) -> None:
    samples = [
        "ÄRGER Ärger",
        "İstanbul",
        "ΟΔΟΣ ΣΟΦΟΣ",
        "\u212a3 ｋ3 K3",
        "𐐀𐐨 Deseret",
        "𠀀 扩展",
        "🚀 GPT",
        "ǅ ǈ ǋ",
        "ẞ ß",
    ]
    with pg_store.engine.connect() as conn:
        unsafe = search_pg._python_folds(conn)
        assert unsafe is not None  # the test cluster is UTF-8 with a libc locale
        assert unsafe("İ") and unsafe("Σ") and unsafe("𠀀") and not unsafe("开源 GitHub 模型")
        for sample in samples:
            lowered = conn.execute(select(func.lower(sample))).scalar()
            assert unsafe(sample) or sample.lower() == lowered, sample
        rows = [(i, None, sample, sample + " x") for i, sample in enumerate(samples)]
        folded = search_pg._folded(conn, rows)  # rows Python may not fold are folded by the database
    for (_, _, title, _), (_, _, low, _) in zip(rows, folded, strict=True):
        with pg_store.engine.connect() as conn:
            assert low == conn.execute(select(func.lower(title))).scalar(), title


@pytest.mark.parametrize("query", ["οδος", "istanbul", "ärger", "k3", "σοφος"])
def test_window_scores_equal_the_sql_relevance_for_texts_the_database_folds(
    pg_store: Store, query: str
) -> None:
    pg_store.save_issue(
        _issue(
            dt.date(2021, 3, 5),
            [
                ("ΟΔΟΣ ΣΟΦΟΣ οδος", "ΟΔΟΣ οδος ΟδοΣ σοφος ΣΟΦΟΣ"),
                ("İstanbul ISTANBUL istanbul", "İSTANBUL İstanbul"),
                ("Ärger \u212a3 K3", "ÄRGER ärger k3 K3 \u212a3"),
                ("模型", "普通的正文 k3"),
            ],
        )
    )
    docs = t.search_docs
    relevance = search_pg._relevance(query).label("relevance")
    with pg_store.engine.connect() as conn:
        expected = conn.execute(
            select(docs.c.id, relevance).order_by(relevance.desc(), docs.c.date.desc(), docs.c.id)
        ).all()
        everything = [search_pg._Phase("true", None, 0.0)]
        ranked = search_pg._pg_ranked(
            conn, everything, query, {}, since=None, source=None, limit=len(expected)
        )
    assert [(row["id"], score) for row, _, score in ranked] == [(id_, score) for id_, score in expected]


def _sql_ranked(
    store: Store, query: str, limit: int, *, since: dt.date | None
) -> list[tuple[int, float, float]]:
    """The hits as plain SQL ranks them: each phase's newest ``_WINDOW`` matches (more for a larger limit),
    ranked by ``_relevance``, then date, then id; (id, boost, relevance)."""
    planned = search_pg._pg_phases(query)
    assert planned is not None
    phases, params = planned
    relevance = search_pg._relevance(query).compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    since_sql = " AND search_docs.date >= %(since)s" if since else ""
    hits: list[tuple[int, float, float]] = []
    with store.engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for phase in phases:
            want = limit - len(hits)
            if want <= 0:
                break
            size = max(search_rank.WINDOW, want)
            cursor.execute(
                f"WITH w AS (SELECT * FROM search_docs WHERE ({phase.where}){since_sql} "
                f"ORDER BY date DESC, id LIMIT {size}) "
                f"SELECT id, {relevance} AS r FROM w AS search_docs ORDER BY r DESC, date DESC, id LIMIT {want}",
                {**params, "since": since},
            )
            hits += [(id_, phase.boost, score) for id_, score in cursor.fetchall()]
    return hits


@pytest.mark.parametrize("query", ["开源", "开源项目", "StyleCLIP", "AI 芯片", "kimi k3"])
def test_reading_ahead_and_in_ranges_never_changes_the_hits(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    # The rest's window may be read beside the title hits' (behind a gate on their count) or after them, and
    # each window in one date range or in several: the hits are always the plain SQL ranking's, for limits
    # below, at and past the window (where the rest's window grows with the hits still wanted).
    monkeypatch.setattr(search_rank, "WINDOW", 4)
    days = [dt.date(2021, 1, 1) + dt.timedelta(days=7 * i) for i in range(6)]
    for n, day in enumerate(days):
        pg_store.save_issue(
            _issue(
                day,
                [
                    (f"{query} 第{n}期" if n % 2 else f"第{n}期", f"正文 {query}" * (n % 3 + 1)),
                    (f"条目{n}", f"正文提到 {query}。" * (n % 2 + 1)),
                    (f"无关{n}", "什么也没有"),
                    (f"AI 前沿{n}", f"{query} 与 AI 芯片、Kimi K3、StyleCLIP"),
                ],
            )
        )
    with pg_store.engine.begin() as conn:
        conn.execute(update(t.search_docs).where(t.search_docs.c.title.like("条目1%")).values(date=None))
        conn.execute(text("ANALYZE search_docs"))
    planned = search_pg._pg_phases(query)
    assert planned is not None
    phases, params = planned
    limits, starts = (1, 2, 3, 4, 5, 9, 50), (None, days[2])
    expected = {
        (limit, since): _sql_ranked(pg_store, query, limit, since=since)
        for limit in limits
        for since in starts
    }
    assert any(boost == 0 for _, boost, _ in expected[50, None]) and any(
        boost for _, boost, _ in expected[50, None]
    )
    cut = days[3]
    for ahead, ranges in itertools.product((0, 10**9), (False, True)):
        monkeypatch.setattr(search_pg, "_SPECULATE", ahead)
        if ranges:  # a cut per share asked, days apart (see test_a_date_cut_never_changes_the_window)
            monkeypatch.setattr(search_pg, "_estimated_rows", lambda *args, **kwargs: 1e9)
            monkeypatch.setattr(
                search_pg,
                "_newest_share",
                lambda bounds, share: cut - dt.timedelta(days=round(share * 1e9)),
            )
        for (limit, since), hits in expected.items():
            with pg_store.engine.connect() as conn:
                ranked = search_pg._pg_ranked(
                    conn, phases, query, dict(params), since=since, source=None, limit=limit
                )
            got = [(row["id"], phase.boost, relevance) for row, phase, relevance in ranked]
            assert got == hits, (ahead, ranges, limit, since)


def test_a_search_leaves_its_connection_as_it_found_it(pg_store: Store) -> None:
    # A search reads its windows in autocommit, setting and resetting parallel workers in one query string:
    # the connection goes back to the pool as it came, in no transaction, with the setting it had.
    pg_store.save_issue(_issue(dt.date(2021, 3, 5), [("开源模型发布", "正文 StyleCLIP")]))
    with pg_store.engine.connect() as conn:
        default = conn.execute(text("SHOW max_parallel_workers_per_gather")).scalar()
    assert default != "0"
    for query in ("开源", "StyleCLIP", "正文 StyleCLIP"):
        assert search(pg_store, query)
        with pg_store.engine.connect() as conn:
            assert conn.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == default
            assert conn.connection.driver_connection.autocommit is False  # type: ignore[union-attr]
    with pg_store.engine.connect() as conn:  # within a transaction of the caller's, the setting is its own
        conn.execute(text("SELECT 1"))
        assert search_pg._pg_read(
            conn, "SELECT current_setting('max_parallel_workers_per_gather')", {}
        ) == [("0",)]
        assert conn.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == "0"
        conn.rollback()
        assert conn.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == default


def test_analyze_merges_what_the_search_indexes_hold_pending(pg_store: Store) -> None:
    # m019 bounds each search GIN index's pending list (every scan reads it all); Store.analyze, run after a
    # bulk import, merges what a import left there, as VACUUM would.
    with pg_store.engine.connect() as conn:
        options = dict(
            conn.execute(
                text("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(:names)"),
                {"names": list(SEARCH_GIN_INDEXES)},
            ).all()
        )
    assert options == {key: [f"gin_pending_list_limit={GIN_PENDING_KB}"] for key in SEARCH_GIN_INDEXES}
    merge = "SELECT gin_clean_pending_list(CAST(:name AS regclass))"
    pg_store.save_issue(_issue(dt.date(2021, 3, 5), [("开源模型发布 StyleCLIP", "正文 GitHub 开源")]))
    with pg_store.engine.begin() as conn:  # new rows wait in the pending lists
        assert conn.execute(text(merge), {"name": "ix_search_docs_title_trgm"}).scalar()
    pg_store.save_issue(_issue(dt.date(2021, 3, 12), [("开源模型发布 StyleCLIP", "正文 GitHub 开源")]))
    pg_store.analyze()
    with pg_store.engine.begin() as conn:
        assert [conn.execute(text(merge), {"name": name}).scalar() for name in SEARCH_GIN_INDEXES] == [0] * 4
    assert [h.title for h in search(pg_store, "StyleCLIP")] == ["开源模型发布 StyleCLIP"] * 2
