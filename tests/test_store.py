from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from jianbao.errors import StoreError
from jianbao.records import Entry, Intro, Issue, Item, Link, OtherLink, Section, Source
from jianbao.store import Store, open_store
from jianbao.store.migrations import MIGRATIONS
from jianbao.store.search import search

UTC = dt.UTC


def _entry(n: int, **kw) -> Entry:
    base = {
        "source": "s1",
        "url": f"https://example.com/a/{n}",
        "canonical_url": f"https://example.com/a/{n}",
        "title": f"标题 {n}",
        "published": dt.datetime(2026, 11, 19, 8, n, tzinfo=UTC),
        "summary": "摘要",
        "content": "正文",
        "language": "zh",
        "links": [
            Link(url="https://arxiv.org/abs/2611.00001", kind="paper", key="arxiv:2611.00001", label="论文")
        ],
    }
    base.update(kw)
    return Entry(**base)


def test_file_store_is_created_and_versioned(store_path: Path) -> None:
    with open_store(f"sqlite:///{store_path}") as store:
        assert store_path.exists()
        assert store.schema_version == len(MIGRATIONS)
    with open_store(f"sqlite:///{store_path}") as store:
        assert store.migrations_ran == []


def test_blank_store_is_migrated_once(blank_store_url: str) -> None:
    with open_store(blank_store_url) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.migrations_ran == [m.__name__ for m in MIGRATIONS]
    with open_store(blank_store_url) as store:
        assert store.migrations_ran == []  # reopening migrates nothing


def test_old_store_is_migrated_in_place_without_loss(store_url: str, backend: str) -> None:
    # A store made by a jianbao that only knew m001: data written then must survive the upgrade.
    with open_store(store_url) as store:
        store.upsert_entries([_entry(1)])
        with store.engine.begin() as conn:
            if backend == "sqlite":
                conn.execute(text("DROP TABLE search_fts"))
                conn.execute(text("DROP TRIGGER IF EXISTS search_docs_ai"))  # none since m014
            else:
                conn.execute(text("DROP INDEX ix_search_docs_trgm"))
            conn.execute(text("DELETE FROM migrations WHERE name = 'm002_search_index'"))
            # A store that old has none of the later ones that rebuild search_fts either.
            for later in ("m006_latin_trigram_index", "m014_contentless_search_index"):
                conn.execute(text(f"DELETE FROM migrations WHERE name = '{later}'"))
    with open_store(store_url) as store:
        ran = ["m002_search_index", "m006_latin_trigram_index", "m014_contentless_search_index"]
        assert store.migrations_ran == ran
        assert store.count_entries() == 1
        assert [h.title for h in search(store, "标题 1")] == ["标题 1"]
        with store.engine.connect() as conn:
            if backend == "sqlite":
                found = conn.execute(  # CJK is indexed as bigrams (m004), the trigram index holds the rest
                    text("SELECT count(*) FROM search_cjk WHERE search_cjk MATCH :q"), {"q": '"标题"'}
                )
            else:
                found = conn.execute(
                    text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_search_docs_trgm'")
                )
            assert found.scalar() == 1


def test_upsert_is_idempotent_and_detects_changes(any_store: Store) -> None:
    counts = any_store.upsert_entries([_entry(1), _entry(2)])
    assert (counts.new, counts.updated, counts.unchanged) == (2, 0, 0)
    counts = any_store.upsert_entries([_entry(1), _entry(2)])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 2)
    counts = any_store.upsert_entries([_entry(1, title="标题 1（更新）")])
    assert (counts.new, counts.updated) == (0, 1)
    assert any_store.count_entries() == 2
    entries = any_store.entries_between(
        dt.datetime(2026, 11, 19, tzinfo=UTC), dt.datetime(2026, 11, 20, tzinfo=UTC)
    )
    assert [e.title for e in entries] == ["标题 1（更新）", "标题 2"]
    assert entries[0].links[0].key == "arxiv:2611.00001"
    assert entries[0].published == dt.datetime(2026, 11, 19, 8, 1, tzinfo=UTC)


def test_sources_keep_fetch_state_across_syncs(any_store: Store) -> None:
    any_store.sync_sources([Source(name="a", url="https://a/feed", title="A")])
    any_store.record_fetch("a", ok=True, etag='"v1"', last_modified="Wed, 18 Nov 2026 10:00:00 GMT")
    for _ in range(5):
        any_store.record_fetch("a", ok=False, error="HTTP 500")
    any_store.sync_sources([Source(name="a", url="https://a/feed", title="A renamed", weight=2.0)])
    src = any_store.get_source("a")
    assert src is not None
    assert (src.title, src.weight, src.etag, src.failures, src.last_error) == (
        "A renamed",
        2.0,
        '"v1"',
        5,
        "HTTP 500",
    )


def _issue(state: str = "published") -> Issue:
    return Issue(
        date=dt.date(2021, 3, 5),
        format="weekly",
        state=state,  # type: ignore[arg-type]
        intro=Intro(
            issue_date="20210305",
            item_count=1,
            chars=100,
            read_minutes=(1, 2),
            almanac="今日惊蛰，一候桃始华",
        ),
        sections=[
            Section(
                "AI 前沿",
                [
                    Item(
                        title="StyleCLIP 开源",
                        url="https://mp.weixin.qq.com/s/abc",
                        source="量子位",
                        section="AI 前沿",
                        number=1,
                        links=[Link("https://github.com/orpatashnik/StyleCLIP", "code")],
                    )
                ],
            )
        ],
        other=[OtherLink("其他新闻", "https://x.com/1", "机器之心")],
    )


def test_issue_round_trip_versions_and_history(any_store: Store) -> None:
    v1 = any_store.save_issue(_issue(), markdown="# md")
    issue, version = any_store.get_issue("weekly:2021-03-05")  # type: ignore[misc]
    assert version == v1 == 1
    assert issue.intro is not None and issue.intro.read_minutes == (1, 2)
    assert issue.items[0].links[0].url == "https://github.com/orpatashnik/StyleCLIP"
    assert any_store.save_issue(_issue()) == 2  # replaced in place, never duplicated
    assert any_store.counts()["items"] == 1
    history = any_store.history(before=dt.date(2021, 3, 20), days=28)
    assert [h.title for h in history] == ["StyleCLIP 开源"]
    assert "github:orpatashnik/styleclip" in history[0].keys
    assert any_store.history(before=dt.date(2021, 5, 20), days=28) == []


def test_last_write_detection(any_store: Store) -> None:
    any_store.save_issue(_issue("draft"))
    any_store.save_issue(_issue("draft"), expected_version=1)
    with pytest.raises(StoreError, match="changed elsewhere"):
        any_store.save_issue(_issue("draft"), expected_version=1)


def test_bad_urls_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a store URL"):
        open_store("not a url")
    with pytest.raises(StoreError, match="unsupported store backend"):
        open_store("mysql://u@h/db")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        open_store(f"sqlite:///{blocker}/sub/j.db")


def test_outside_text_has_no_length_limit(any_store: Store) -> None:
    # SQLite never enforced VARCHAR(n); PostgreSQL would reject these if the columns were bounded.
    long_source = "源" * 300
    any_store.sync_sources(
        [Source(name=long_source, url="https://a/feed", kind="rss" * 20, region="国际" * 10)]
    )
    link = Link(url="https://example.com/" + "x" * 400, kind="k" * 30, key="url:" + "y" * 400)
    counts = any_store.upsert_entries([_entry(1, source=long_source, language="zh-Hans-CN-x", links=[link])])
    assert counts.new == 1
    (entry,) = any_store.get_entries(counts.ids)
    assert (entry.source, entry.language, entry.links[0].key) == (long_source, "zh-Hans-CN-x", link.key)
    assert any_store.get_source(long_source) is not None


def test_unbounded_text_migration_widens_old_columns(store_url: str, backend: str) -> None:
    with open_store(store_url) as store, store.engine.begin() as conn:
        if backend == "postgresql":
            conn.execute(text("ALTER TABLE entries ALTER COLUMN language TYPE varchar(10)"))
        conn.execute(text("DELETE FROM migrations WHERE name = 'm003_unbounded_text'"))
    with open_store(store_url) as store:
        assert store.migrations_ran == ["m003_unbounded_text"]
        assert store.upsert_entries([_entry(1, language="x" * 50)]).new == 1


def test_batch_with_the_same_url_twice_keeps_the_last_version(any_store: Store) -> None:
    counts = any_store.upsert_entries([_entry(1, title="旧"), _entry(1, title="新"), _entry(2)])
    assert (counts.new, counts.updated, len(counts.ids), counts.ids[0] == counts.ids[1]) == (2, 1, 3, True)
    assert [e.title for e in any_store.get_entries(counts.ids[:1])] == ["新"]
    assert any_store.counts()["links"] == 2  # one link per entry, not per batch row


def test_a_second_source_does_not_take_over_an_entry(any_store: Store) -> None:
    any_store.upsert_entries([_entry(1, source="first")])
    counts = any_store.upsert_entries([_entry(1, source="second", title="改过的标题")])
    assert counts.updated == 1  # only seen_in changed
    (entry,) = any_store.get_entries(counts.ids)
    assert (entry.source, entry.title, entry.extra["seen_in"]) == ("first", "标题 1", ["second"])
    assert any_store.counts()["links"] == 1


def test_llm_cache_overwrites(any_store: Store) -> None:
    assert any_store.get("k") is None
    any_store.put("k", "一")
    any_store.cache_put("k", "二", model="m")
    assert any_store.get("k") == "二"


def test_naive_and_aware_datetimes_round_trip_as_utc(any_store: Store) -> None:
    shanghai = dt.timezone(dt.timedelta(hours=8))
    any_store.upsert_entries([_entry(1, published=dt.datetime(2026, 11, 19, 16, 30, tzinfo=shanghai))])
    (entry,) = any_store.entries_between(
        dt.datetime(2026, 11, 19, 8, tzinfo=UTC), dt.datetime(2026, 11, 19, 9, tzinfo=UTC)
    )
    assert entry.published == dt.datetime(2026, 11, 19, 8, 30, tzinfo=UTC)
    assert entry.published.tzinfo is not None


def test_same_article_from_two_sources_is_one_entry_without_ping_pong(any_store: Store) -> None:
    weekly = _entry(7, source="github-weekly", extra={"stars": 100})
    trending = _entry(
        7, source="github-trending", title="owner/repo", content="", extra={"stars": 150, "stars_period": 40}
    )
    any_store.upsert_entries([weekly])
    counts = any_store.upsert_entries([trending])
    assert (counts.new, counts.updated) == (0, 1)
    for _ in range(2):  # re-fetching both changes nothing further
        again = any_store.upsert_entries(
            [
                _entry(7, source="github-weekly", extra={"stars": 100}),
                _entry(
                    7,
                    source="github-trending",
                    title="owner/repo",
                    content="",
                    extra={"stars": 150, "stars_period": 40},
                ),
            ]
        )
        assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    [entry] = any_store.get_entries(counts.ids)
    assert entry.source == "github-weekly" and entry.title == "标题 7" and entry.content == "正文"
    assert entry.extra["stars_period"] == 40 and entry.extra["seen_in"] == ["github-trending"]


def test_link_meta_batch_with_a_key_twice_keeps_the_last(any_store: Store) -> None:
    from jianbao.store.enrich import LinkMeta, get_link_meta, put_link_meta

    metas = [LinkMeta("github:a/b", "github", {"stars": 1}), LinkMeta("github:a/b", "github", {"stars": 2})]
    assert put_link_meta(any_store, metas) == 1
    assert (
        put_link_meta(
            any_store, [LinkMeta("github:a/b", "github", {"stars": 3}, error="HTTP 500", status=500)]
        )
        == 1
    )
    meta = get_link_meta(any_store, ["github:a/b"])["github:a/b"]
    assert (meta.data, meta.state) == ({"stars": 3}, "failed")


def test_the_store_imports_nothing_of_the_stages_above_it() -> None:
    """The store sits under every stage: it may read records, errors and URL helpers, never a stage that
    itself reads the store (issue, editions, render, web, cli…), and no import hides inside a function."""
    import ast

    import jianbao.store

    # jianbao.safety (the URL gate) is a leaf like urls: the store gates every entry and issue it saves.
    allowed = ("jianbao.store", "jianbao.records", "jianbao.errors", "jianbao.urls", "jianbao.safety")
    for path in sorted(Path(jianbao.store.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in (n for n in names if n.startswith("jianbao")):
                assert name.startswith(allowed), f"{path.name} imports {name}"
                assert node.col_offset == 0, f"{path.name}:{node.lineno} imports {name} inside a function"


def test_a_store_from_before_source_scopes_gets_them_as_auto(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with open_store(url) as store:
        store.sync_sources([Source(name="hn", url="https://hn.example/rss", scope="general")])
        with store.engine.begin() as conn:
            conn.execute(text("ALTER TABLE sources DROP COLUMN scope"))
            conn.execute(text("DELETE FROM migrations WHERE name = 'm013_source_scope'"))
    with open_store(url) as store:
        assert store.migrations_ran == ["m013_source_scope"]
        assert [s.scope for s in store.list_sources()] == ["auto"]
        store.sync_sources([Source(name="hn", url="https://hn.example/rss", scope="general")])
        assert store.get_source("hn").scope == "general"
