"""PostgreSQL search: the title-bigram index (m017), the date cut of the ranking window, and Python's folding
of the window's texts must each leave results exactly as the plain SQL predicates and ``_relevance`` give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import cast, func, literal, literal_column, select, text, update
from sqlalchemy.dialects.postgresql import TSQUERY

from jianbao.records import Issue, Item, Section
from jianbao.store import Store, open_store
from jianbao.store import schema as t
from jianbao.store import search as search_module
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
    monkeypatch.setattr(search_module, "_WINDOW", 4)
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
    monkeypatch.setattr(search_module, "_estimated_rows", lambda plan: 1e9)
    for cut in [*days, dt.date(2020, 1, 1), dt.date(2030, 1, 1)]:
        # a cut per share asked (1.5 and 6 windows' worth of the "expected" matches): days apart
        monkeypatch.setattr(
            search_module,
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
        unsafe = search_module._python_folds(conn)
        assert unsafe is not None  # the test cluster is UTF-8 with a libc locale
        assert unsafe("İ") and unsafe("Σ") and unsafe("𠀀") and not unsafe("开源 GitHub 模型")
        for sample in samples:
            lowered = conn.execute(select(func.lower(sample))).scalar()
            assert unsafe(sample) or sample.lower() == lowered, sample
        rows = [(i, None, sample, sample + " x") for i, sample in enumerate(samples)]
        folded = search_module._folded(conn, rows)  # rows Python may not fold are folded by the database
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
    relevance = search_module._relevance(query).label("relevance")
    with pg_store.engine.connect() as conn:
        expected = conn.execute(
            select(docs.c.id, relevance).order_by(relevance.desc(), docs.c.date.desc(), docs.c.id)
        ).all()
        everything = [search_module._Phase("true", "true", 0.0)]
        ranked = search_module._pg_ranked(
            conn, everything, query, {}, since=None, source=None, limit=len(expected)
        )
    assert [(row["id"], score) for row, _, score in ranked] == [(id_, score) for id_, score in expected]
