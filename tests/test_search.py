from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import LargeBinary, String, cast, func, select, text, type_coerce

from jianbao.records import Entry, Issue, Item, OtherLink, Section
from jianbao.store import Store, open_store, search_pg, search_rank
from jianbao.store import schema as t
from jianbao.store import search as search_module
from jianbao.store.migrations import m002_search_index, m014_contentless_search_index
from jianbao.store.search import bigram_columns, bigram_terms, latin_columns, latin_text, search

_CONTENTLESS = m014_contentless_search_index.__name__  # after which SQLite's indexes have no triggers


def _issue(day: dt.date, items: list[tuple[str, str, str]], *, other: list[str] = ()) -> Issue:  # type: ignore[assignment]
    return Issue(
        date=day,
        format="weekly",
        state="published",
        sections=[
            Section(
                "AI 前沿",
                [
                    Item(
                        title=title,
                        summary=summary,
                        source=source,
                        section="AI 前沿",
                        number=i + 1,
                        url=f"https://example.com/{day}/{i}",
                    )
                    for i, (title, summary, source) in enumerate(items)
                ],
            )
        ],
        other=[
            OtherLink(title=o, url=f"https://example.com/o/{i}", source="量子位") for i, o in enumerate(other)
        ],
    )


CORPUS = [
    ("开源X源代码发布", "跨越两段的文字不应拼成一个词。", "机器之心"),
    ("一个轻量化的人脸检测器", "开源了代码和模型，可在手机上运行。", "量子位"),
    ("GPT-5.6 与 Kimi K3 对比", '两个大模型在 arXiv 上的评测：OR NEAR (括号) "引号" 星号*', "新智元"),
    ("模型", "只有两个字的标题。", "开源中国"),
    ("图像生成", "StyleCLIP 用 CLIP 引导 StyleGAN；模型的模型的模型。", "GitHub"),
]


@pytest.fixture
def corpus(any_store: Store) -> Store:
    any_store.save_issue(_issue(dt.date(2021, 3, 5), CORPUS[:3], other=["开源框架周报"]))
    any_store.save_issue(_issue(dt.date(2021, 4, 2), CORPUS[3:]))
    return any_store


def _expected(store: Store, query: str) -> set[tuple[str, str]]:
    """Every document whose title, body or source contains the query, by a plain substring test."""
    docs = t.search_docs
    with store.engine.connect() as conn:
        rows = conn.execute(select(docs.c.kind, docs.c.title, docs.c.body, docs.c.source)).all()
    q = query.lower()
    return {(r.kind, r.title) for r in rows if q in f"{r.title} {r.body} {r.source or ''}".lower()}


def test_bigram_terms_pair_each_cjk_run_and_close_it() -> None:
    assert bigram_terms("开源大模型 Kimi K3 发布") == "开源 源大 大模 模型 x 发布 x"
    assert bigram_terms("A 字 B") == ""  # one character alone makes no pair
    assert bigram_terms(None) == ""
    assert bigram_columns("模型", "正文", "机器之心") == {
        "title_bigrams": "模型 x",
        "body_bigrams": "正文 x 机器 器之 之心 x",
    }


def test_latin_text_keeps_every_cjk_free_stretch_and_breaks_at_cjk() -> None:
    assert latin_text("GPT-5.6 与 Kimi K3 发布") == "GPT-5.6 \n Kimi K3 \n"
    assert latin_text("。，StyleCLIP（开源）") == "。，StyleCLIP（\n）"  # punctuation is not CJK letters
    assert latin_text(None) == ""
    assert latin_columns("模型 v2", "正文 text", "GitHub") == {
        "title_latin": "\n v2",
        "body_latin": "\n text\nGitHub",
    }


@pytest.mark.parametrize(
    "query",
    [
        "开源",
        "模型",
        "源代",
        "开源代",
        "源代码",
        "轻量化",
        "机器之心",
        "人",
        "GPT-5.6",
        "kimi k3",
        "styleclip",
        "OR",
        "NEAR",
        '"引号"',
        "星号*",
        "(括号",
        "a:b",
        "-",
        "arXiv 上",
        "Kimi K3 对比",
        "5.6 与 Kimi",
        "K3 对比",
        "X源代码",
        "开源X源",
        "arXiv 大模型",  # both parts are in one body, but not side by side
        "CLIP 引导 StyleGAN",
        "用 CLIP",
    ],
)
def test_search_returns_exactly_the_documents_that_contain_the_query(corpus: Store, query: str) -> None:
    hits = search(corpus, query, limit=100)
    assert {(h.kind, h.title) for h in hits} == _expected(corpus, query)
    assert len(hits) == len({(h.kind, h.title) for h in hits})  # no document twice


def test_two_character_query_ranks_title_hits_first(corpus: Store) -> None:
    hits = search(corpus, "模型")
    assert hits[0].title == "模型" and hits[0].score > 10 > hits[1].score
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    # the body that says 模型 three times outranks those that say it once
    assert hits[1].title == "图像生成" and len(hits) == 4
    assert hits[1].date == dt.date(2021, 4, 2) and hits[1].section == "AI 前沿" and hits[1].url


def test_filters_that_exclude_the_best_hits_still_find_the_rest(any_store: Store) -> None:
    many = [(f"开源项目 {i}", "开源 开源 开源", "量子位") for i in range(30)]
    any_store.save_issue(
        _issue(dt.date(2021, 5, 7), [*many, ("冷门", "一段很长的正文，" * 20 + "开源", "机器之心")])
    )
    only = search(any_store, "开源", source="机器之心", limit=3)
    assert [h.title for h in only] == ["冷门"]
    assert len(search(any_store, "开源", since=dt.date(2021, 5, 1), limit=50)) == 31
    assert search(any_store, "开源", since=dt.date(2022, 1, 1)) == []


@pytest.mark.parametrize("query", ["开源", "开源项目", "StyleCLIP"])
def test_ranking_window_never_hides_a_match(
    any_store: Store, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    # More matches than the ranking window, in titles and in bodies only: a frequent term, scaled down.
    monkeypatch.setattr(search_rank, "WINDOW", 3)
    titled = [(f"{query} 第{i}期", "正文", "量子位") for i in range(5)]
    bodied = [(f"条目{i}", f"正文提到 {query}。" * (i + 1), "机器之心") for i in range(5)]
    any_store.save_issue(_issue(dt.date(2021, 5, 7), titled[:3] + bodied[:3]))
    any_store.save_issue(_issue(dt.date(2021, 5, 14), titled[3:] + bodied[3:]))
    everything = search(any_store, query, limit=100)
    assert {(h.kind, h.title) for h in everything} == _expected(any_store, query)
    assert [h.score > 10 for h in everything] == [True] * 5 + [False] * 5  # all title hits first
    top = search(any_store, query, limit=7)
    assert [h.score > 10 for h in top] == [True] * 5 + [False] * 2
    assert [h.score for h in top] == sorted((h.score for h in top), reverse=True)


@pytest.mark.parametrize("query", ["模型", "StyleCLIP", "clip", "ärger", "Ärger", "k3", "的模型的"])
def test_window_scores_equal_the_sql_relevance_to_the_bit(any_store: Store, backend: str, query: str) -> None:
    # Each backend ranks its window without writing _relevance out in SQL (SQLite in Python from the rows'
    # bytes, PostgreSQL with each count taken once): the scores and their order must be exactly the SQL's.
    tricky = [
        ("Ärger mit StyleCLIP", "ÄRGER ärger Ärger styleclip STYLECLIP 模型的模型的模型", "GitHub"),
        ("k3 K3 ｋ3", "Kimi K3 k3 K3", "量子位"),
        (
            "é😀 clip 模型",
            "😀😀 模型 ñé K3 " * 3,
            "Ünï",
        ),  # two- and four-byte characters: lengths count them once
    ]
    if backend == "sqlite":  # SQLite's length() stops at a NUL; PostgreSQL text cannot hold one
        tricky.append(("K3\x00K3 模型", "k3 \x00 k3 K3 模型", "x"))
    any_store.save_issue(_issue(dt.date(2021, 3, 5), CORPUS + tricky))
    any_store.save_issue(_issue(dt.date(2021, 4, 2), CORPUS[:2]))
    docs = t.search_docs
    relevance = search_pg._relevance(query).label("relevance")
    with any_store.engine.connect() as conn:
        expected = conn.execute(
            select(docs.c.id, relevance).order_by(relevance.desc(), docs.c.date.desc(), docs.c.id)
        ).all()
        if backend == "sqlite":
            title, body = func.coalesce(docs.c.title, ""), func.coalesce(docs.c.body, "")
            rows = conn.execute(
                select(
                    docs.c.id,
                    type_coerce(docs.c.date, String),
                    cast(title, LargeBinary),
                    cast(body, LargeBinary),
                )
            ).all()
            got = search_module._sqlite_scores(rows, query)
            # The best few alone, as a window is cut: the same as the head of the whole ranking.
            assert search_module._sqlite_scores(rows, query, want=3) == got[:3]
        else:
            everything = [search_pg._Phase("true", None, 0.0)]
            ranked = search_pg._pg_ranked(
                conn, everything, query, {}, since=None, source=None, limit=len(expected)
            )
            got = [(row["id"], relevance) for row, _, relevance in ranked]
    assert len(expected) > 5 and any(score > 0 for _, score in expected)
    assert got == [(id_, score) for id_, score in expected]


def test_store_from_before_the_bigram_index_is_backfilled(store_url: str, backend: str) -> None:
    with open_store(store_url) as store:
        store.save_issue(_issue(dt.date(2021, 3, 5), CORPUS[:2]))
        with store.engine.begin() as conn:
            if backend == "sqlite":
                for trigger in ("search_docs_cjk_ai", "search_docs_cjk_ad", "search_docs_cjk_au"):
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))  # none since m014
                conn.execute(text("DROP TABLE search_cjk"))
            else:
                conn.execute(text("ALTER TABLE search_docs DROP COLUMN bigram_tsv"))
            conn.execute(text("UPDATE search_docs SET title_bigrams = NULL, body_bigrams = NULL"))
            conn.execute(text("DELETE FROM migrations WHERE name = 'm004_cjk_bigram_index'"))
            conn.execute(text(f"DELETE FROM migrations WHERE name = '{_CONTENTLESS}'"))  # a store that old
    with open_store(store_url) as store:
        assert store.migrations_ran == ["m004_cjk_bigram_index", _CONTENTLESS]
        assert {h.title for h in search(store, "开源")} == {"开源X源代码发布", "一个轻量化的人脸检测器"}
        assert search(store, "开源代") == []
        store.save_issue(_issue(dt.date(2021, 3, 5), CORPUS[2:3]))  # re-saved: old rows leave the index
        assert [h.title for h in search(store, "大模型")] == ["GPT-5.6 与 Kimi K3 对比"]
        assert search(store, "开源") == []


def test_trigram_index_holds_no_cjk(store_url: str, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL keeps its trigram index over the full text")
    with open_store(store_url) as store:
        store.save_issue(_issue(dt.date(2021, 3, 5), CORPUS))
        with store.engine.connect() as conn:
            terms = [row[0] for row in conn.execute(text("SELECT term FROM search_fts_terms"))]
    assert "gpt" in terms and "kim" in terms
    assert not [term for term in terms if latin_text(term) != term]


def test_store_from_before_the_latin_trigram_index_is_rebuilt(store_url: str, backend: str) -> None:
    with open_store(store_url) as store:
        store.save_issue(_issue(dt.date(2021, 3, 5), CORPUS[:3]))
        with store.engine.begin() as conn:
            if backend == "sqlite":  # back to m002's trigram table over the full text
                for name in ("search_docs_ai", "search_docs_ad", "search_docs_au"):
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))  # none since m014
                for name in ("search_fts_terms", "search_cjk_terms", "search_fts"):
                    conn.execute(text(f"DROP TABLE {name}"))
                m002_search_index(conn)
                conn.execute(text("UPDATE search_docs SET title_latin = NULL, body_latin = NULL"))
            else:
                conn.execute(text("ALTER TABLE search_docs DROP COLUMN title_latin, DROP COLUMN body_latin"))
            conn.execute(text("DELETE FROM migrations WHERE name = 'm006_latin_trigram_index'"))
            conn.execute(text(f"DELETE FROM migrations WHERE name = '{_CONTENTLESS}'"))  # a store that old
    with open_store(store_url) as store:
        assert store.migrations_ran == ["m006_latin_trigram_index", _CONTENTLESS]
        for query in ("Kimi K3", "GPT-5.6 与 Kimi", "源代码", "arXiv 上"):
            assert {(h.kind, h.title) for h in search(store, query, limit=50)} == _expected(store, query), (
                query
            )
        store.save_issue(_issue(dt.date(2021, 3, 5), CORPUS[3:]))  # re-saved: old rows leave the index
        assert search(store, "Kimi K3") == []
        assert [h.title for h in search(store, "StyleCLIP 用")] == ["图像生成"]


def test_store_from_before_the_title_index_is_indexed(store_url: str, backend: str) -> None:
    with open_store(store_url) as store:
        store.save_issue(_issue(dt.date(2021, 3, 5), CORPUS[:3]))
        with store.engine.begin() as conn:
            if backend == "sqlite":
                for name in ("search_docs_title_ai", "search_docs_title_ad", "search_docs_title_au"):
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))  # none since m014
                conn.execute(text("DROP TABLE search_title"))
            conn.execute(text("DELETE FROM migrations WHERE name = 'm007_title_latin_index'"))
            conn.execute(text(f"DELETE FROM migrations WHERE name = '{_CONTENTLESS}'"))  # a store that old
    with open_store(store_url) as store:
        assert store.migrations_ran == ["m007_title_latin_index", _CONTENTLESS]
        hits = search(store, "kimi k3")
        assert [(h.title, h.score > 10) for h in hits] == [("GPT-5.6 与 Kimi K3 对比", True)]
        store.save_issue(_issue(dt.date(2021, 3, 5), CORPUS[3:]))  # re-saved: old rows leave the index
        assert search(store, "Kimi K3") == []
        hits = search(store, "StyleCLIP")
        assert [(h.title, h.score > 10) for h in hits] == [("图像生成", False)]  # a body hit only
        if backend == "sqlite":
            with store.engine.connect() as conn:
                titled = conn.execute(  # every trigram of kimi (the index keeps no positions since m014)
                    text("""SELECT rowid FROM search_title WHERE search_title MATCH '"kim" AND "imi"'""")
                )
                assert titled.all() == []


@pytest.fixture(scope="module")
def _archive_issues() -> list[Issue]:
    import os

    from jianbao.archive import read_issue_file
    from jianbao.archive.files import find_issue_files

    shared = Path(os.environ.get("JIANBAO_SHARED", "/work/shared"))
    if not (shared / "archive").is_dir():
        pytest.skip(f"shared archive not found at {shared} (set JIANBAO_SHARED)")
    results = (read_issue_file(p) for p in find_issue_files([shared / "archive"]))
    return [r.issue for r in results if r.issue is not None]


def test_real_archive_every_mention_is_found_on_both_backends(
    any_store: Store, _archive_issues: list[Issue]
) -> None:
    for issue in _archive_issues:
        any_store.save_issue(issue)
    for term in (
        "DeepFaceLab",
        "轻量化",
        "StyleCLIP",
        "Kimi K3",
        "开源",
        "人脸",
        "GAN",
        "AI 芯片",
        "GitHub 项目",
    ):
        hits = search(any_store, term, limit=5000)
        expected = _expected(any_store, term)
        assert expected, term
        assert {(h.kind, h.title) for h in hits} == expected, term
        if any(term.lower() in title.lower() for _, title in expected):
            assert term.lower() in hits[0].title.lower(), term


# -- ranking and filters over a small hand-made store --------------------------------------------


@pytest.fixture
def searchable(any_store: Store) -> Store:
    any_store.save_issue(
        _issue(
            dt.date(2021, 3, 5),
            [
                ("StyleCLIP：文字驱动的图像编辑", "用 CLIP 引导 StyleGAN 的潜空间。", "量子位"),
                ("一个轻量化的人脸检测器", "开源了代码和模型，可在手机上运行。", "机器之心"),
                ("DeepFaceLab 换脸工具更新", "这个开源项目支持 StyleCLIP 风格的编辑。", "GitHub"),
            ],
        )
    )
    any_store.save_issue(
        _issue(
            dt.date(2021, 4, 2),
            [
                ("开源大模型 Kimi K3 发布", "月之暗面发布新模型，100% 开放权重。", "机器之心"),
                ("轻量化部署指南", "把模型压缩到 4 bit。", "量子位"),
            ],
        )
    )
    any_store.upsert_entries(
        [
            Entry(
                source="arxiv",
                url="https://example.com/a/9",
                canonical_url="https://example.com/a/9",
                title="A note on stylecliP latents",
                summary="english entry",
                content="正文",
                language="en",
                published=dt.datetime(2026, 11, 19, 8, 9, tzinfo=dt.UTC),
            )
        ]
    )
    return any_store


def test_search_puts_title_hits_first_and_ignores_latin_case(searchable: Store) -> None:
    hits = search(searchable, "styleclip")
    # The two title hits (either case) come first, in the backend's relevance order; the body hit last.
    assert {h.title for h in hits[:2]} == {"A note on stylecliP latents", "StyleCLIP：文字驱动的图像编辑"}
    assert hits[-1].title == "DeepFaceLab 换脸工具更新"  # body hit only: last
    assert hits[-1].score < hits[0].score
    assert "StyleCLIP" in hits[-1].snippet
    assert {h.kind for h in hits} == {"item", "entry"}


def test_search_cjk_short_and_long_queries(searchable: Store) -> None:
    two = search(searchable, "开源")  # two characters: below the trigram index, answered by a scan
    assert two[0].title == "开源大模型 Kimi K3 发布"
    assert {h.title for h in two} == {
        "开源大模型 Kimi K3 发布",
        "一个轻量化的人脸检测器",
        "DeepFaceLab 换脸工具更新",
    }
    three = search(searchable, "轻量化")
    assert [h.title for h in three] == [
        "轻量化部署指南",
        "一个轻量化的人脸检测器",
    ]  # equal boost: newest first
    assert three[0].date == dt.date(2021, 4, 2) and three[0].issue_id == "weekly:2021-04-02"


def test_search_filters_and_literal_characters(searchable: Store) -> None:
    assert [h.title for h in search(searchable, "kimi k3")] == ["开源大模型 Kimi K3 发布"]
    assert [h.title for h in search(searchable, "开源", since=dt.date(2021, 4, 1))] == [
        "开源大模型 Kimi K3 发布"
    ]
    assert [h.title for h in search(searchable, "轻量化", source="机器之心")] == ["一个轻量化的人脸检测器"]
    assert [h.title for h in search(searchable, "100%")] == ["开源大模型 Kimi K3 发布"]
    assert search(searchable, "0%") != [] and search(searchable, "_") == [] and search(searchable, "  ") == []
    assert search(searchable, '"StyleCLIP"') == []  # quotes are text, not FTS syntax
    assert len(search(searchable, "开源", limit=1)) == 1


def test_rows_holding_every_gram_but_not_the_query_are_no_hits(any_store: Store) -> None:
    """The indexes keep which columns hold each trigram (bigram), not where (m014): a row holding them all,
    apart or in different columns, is a candidate that the substring test turns away."""
    items = [
        ("abca xcab", "自然 然语 语言", "s"),  # every gram of abcab and of 自然语言, never together
        ("abc", "bcab 自然语", "语言"),  # split between title, body and source
        ("the abcab one", "它讲自然语言处理", "s"),  # the hits
        ("ÄRGER um nichts", "", "s"),  # case folds beyond ASCII, as the trigram tokenizer folds it
    ]
    any_store.save_issue(_issue(dt.date(2021, 3, 5), items))
    assert [h.title for h in search(any_store, "abcab")] == ["the abcab one"]
    assert [h.title for h in search(any_store, "自然语言")] == ["the abcab one"]
    assert [h.title for h in search(any_store, "ärger")] == ["ÄRGER um nichts"]
    assert [h.title for h in search(any_store, "Ärger um")] == ["ÄRGER um nichts"]


def test_stored_text_lengths_are_what_sql_counts_and_older_stores_get_them(store_url: str, backend: str) -> None:
    """search_docs keeps its title's and body's lengths (m021), which a SQLite window scores with instead of
    counting: they are SQL's length(coalesce(…, '')) of the texts on both backends (up to a NUL on SQLite),
    written by every insert and filled for the rows of a store from before, which then ranks the same."""
    tricky = [("é😀 clip 模型", "😀😀 模型 ñé K3 " * 3, "Ünï"), ("", "", None)]
    if backend == "sqlite":  # SQLite's length() stops at a NUL; PostgreSQL text cannot hold one
        tricky.append(("K3\x00K3 模型", "k3 \x00 k3 K3 模型", "x"))
    sql_lengths = text(
        "SELECT id, title_chars, body_chars, length(coalesce(title, '')), length(coalesce(body, '')) "
        "FROM search_docs ORDER BY id"
    )
    with open_store(store_url) as store:
        store.save_issue(_issue(dt.date(2021, 3, 5), CORPUS + tricky))
        with store.engine.connect() as conn:
            rows = conn.execute(sql_lengths).all()
        assert len(rows) > 5 and all(r[1] == r[3] and r[2] == r[4] for r in rows)
        queries = ("模型", "K3", "clip", "大模型")
        before = {q: [(h.title, h.score) for h in search(store, q, limit=3)] for q in queries}
        with store.engine.begin() as conn:  # the store as the jianbao before m021 left it
            for name in ("title_chars", "body_chars"):
                conn.execute(text(f"ALTER TABLE search_docs DROP COLUMN {name}"))
            conn.execute(text("DELETE FROM migrations WHERE name = 'm021_search_text_lengths'"))
    with open_store(store_url) as store:
        assert store.migrations_ran == ["m021_search_text_lengths"]
        with store.engine.connect() as conn:
            assert conn.execute(sql_lengths).all() == rows
        assert {q: [(h.title, h.score) for h in search(store, q, limit=3)] for q in queries} == before


def test_window_scores_from_stored_lengths_equal_the_counted_ones() -> None:
    # A window row with its stored lengths (m021) scores exactly as one whose lengths are counted here.
    texts = [("k3 K3 ｋ3", "Kimi K3 k3 K3"), ("é😀 K3 模型", "😀😀 模型 ñé K3 " * 3), ("K3\x00K3", "k3 \x00 k3 K3")]
    texts += [(f"K3 {'长' * n}", "k3 " * n) for n in range(1, 30)]
    counted = [(i, "2021-03-05", t.encode(), b.encode(), b"s") for i, (t, b) in enumerate(texts)]
    lengths = [(len(t.partition("\0")[0]), len(b.partition("\0")[0])) for t, b in texts]
    stored = [(*row, *n) for row, n in zip(counted, lengths, strict=True)]
    for query in ("K3", "k3 ", "模型"):
        expected = search_module._sqlite_scores(counted, query)  # type: ignore[arg-type]
        assert search_module._sqlite_scores(stored, query) == expected  # type: ignore[arg-type]
        assert search_module._sqlite_scores(stored, query, want=4) == expected[:4]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("grams", "width", "covering"),
    [
        (["Tra", "ran", "ans", "nsf", "sfo", "for", "orm", "rme", "mer"], 3, ["Tra", "nsf", "orm", "mer"]),
        (["Ope", "pen", "enA", "nAI"], 3, ["Ope", "nAI"]),
        (["GAN"], 3, ["GAN"]),
        (["自然", "然语", "语言", "言处", "处理"], 2, ["自然", "语言", "处理"]),
        (["大模", "模型"], 2, ["大模", "模型"]),
    ],
)
def test_an_index_is_asked_for_grams_that_cover_the_query(grams: list[str], width: int, covering: list[str]) -> None:
    got = search_module._covering(grams, width)
    assert got == covering
    reached = 0  # every character of the text is in one of the grams asked
    for gram in got:
        at = grams.index(gram)
        assert at <= reached
        reached = at + width
    assert reached >= len(grams) - 1 + width


def test_a_mixed_query_finds_its_title_hits_beside_the_cjk_they_stand_by(any_store: Store) -> None:
    """A mixed query's title hits come from the title-only trigram index asked for its Latin stretches with
    the line break that stands for the CJK run beside them (GitHub 项目: "GitHub \\n"): exactly the titles
    holding the query, whatever else holds its parts."""
    items = [
        ("用 GitHub 项目管理代码", "正文", "s"),  # the title hit
        ("GitHub 的新项目", "正文里的 GitHub 项目", "s"),  # parts apart in the title; the query in the body
        ("项目 GitHub", "无关", "s"),  # both parts, the wrong way round
        ("Go 与 github 项目", "小写也算", "s"),  # ASCII case folds
        ("MyGitHub 项目集", "前面还有字母", "s"),  # the stretch need not start a word
        ("GitHub", "只有拉丁文的标题", "s"),  # the title holds only the Latin stretch
    ]
    any_store.save_issue(_issue(dt.date(2021, 3, 5), items))
    hits = search(any_store, "GitHub 项目")
    titled = {"用 GitHub 项目管理代码", "Go 与 github 项目", "MyGitHub 项目集"}
    assert {h.title for h in hits if h.score > 10} == titled
    for query in ("GitHub 项目", "Hub 项目", "的新项", "与 github", "项目 GitHub"):
        assert {(h.kind, h.title) for h in search(any_store, query, limit=50)} == _expected(any_store, query), query
