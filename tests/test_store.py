from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from jianbao.errors import StoreError
from jianbao.records import Entry, Intro, Issue, Item, Link, OtherLink, Section, Source
from jianbao.store import Store, open_store
from jianbao.store.migrations import MIGRATIONS

UTC = dt.UTC


def _entry(n: int, **kw) -> Entry:
    base = {
        "source": "s1", "url": f"https://example.com/a/{n}", "canonical_url": f"https://example.com/a/{n}",
        "title": f"标题 {n}", "published": dt.datetime(2026, 11, 19, 8, n, tzinfo=UTC), "summary": "摘要",
        "content": "正文", "language": "zh",
        "links": [Link(url="https://arxiv.org/abs/2611.00001", kind="paper", key="arxiv:2611.00001", label="论文")],
    }
    base.update(kw)
    return Entry(**base)


def test_file_store_is_created_and_versioned(store_path: Path) -> None:
    with open_store(f"sqlite:///{store_path}") as store:
        assert store_path.exists()
        assert store.schema_version == len(MIGRATIONS)
        assert store.migrations_ran == [m.__name__ for m in MIGRATIONS]
    with open_store(f"sqlite:///{store_path}") as store:
        assert store.migrations_ran == []  # reopening migrates nothing


def test_old_store_is_migrated_in_place_without_loss(store_path: Path) -> None:
    # A store made by a jianbao that only knew m001: data written then must survive the upgrade.
    with open_store(f"sqlite:///{store_path}") as store:
        store.upsert_entries([_entry(1)])
        with store.engine.begin() as conn:
            conn.execute(text("DROP TABLE search_fts"))
            conn.execute(text("DROP TRIGGER search_docs_ai"))
            conn.execute(text("DELETE FROM migrations WHERE name = 'm002_search_index'"))
    with open_store(f"sqlite:///{store_path}") as store:
        assert store.migrations_ran == ["m002_search_index"]
        assert store.count_entries() == 1
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :q"), {"q": '"标题 1"'}).scalar() == 1


def test_upsert_is_idempotent_and_detects_changes(fresh_store: Store) -> None:
    counts = fresh_store.upsert_entries([_entry(1), _entry(2)])
    assert (counts.new, counts.updated, counts.unchanged) == (2, 0, 0)
    counts = fresh_store.upsert_entries([_entry(1), _entry(2)])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 0, 2)
    counts = fresh_store.upsert_entries([_entry(1, title="标题 1（更新）")])
    assert (counts.new, counts.updated) == (0, 1)
    assert fresh_store.count_entries() == 2
    entries = fresh_store.entries_between(dt.datetime(2026, 11, 19, tzinfo=UTC), dt.datetime(2026, 11, 20, tzinfo=UTC))
    assert [e.title for e in entries] == ["标题 1（更新）", "标题 2"]
    assert entries[0].links[0].key == "arxiv:2611.00001"
    assert entries[0].published == dt.datetime(2026, 11, 19, 8, 1, tzinfo=UTC)


def test_sources_keep_fetch_state_across_syncs(fresh_store: Store) -> None:
    fresh_store.sync_sources([Source(name="a", url="https://a/feed", title="A")])
    fresh_store.record_fetch("a", ok=True, etag='"v1"', last_modified="Wed, 18 Nov 2026 10:00:00 GMT")
    for _ in range(5):
        fresh_store.record_fetch("a", ok=False, error="HTTP 500")
    fresh_store.sync_sources([Source(name="a", url="https://a/feed", title="A renamed", weight=2.0)])
    src = fresh_store.get_source("a")
    assert src is not None
    assert (src.title, src.weight, src.etag, src.failures, src.last_error) == ("A renamed", 2.0, '"v1"', 5, "HTTP 500")


def _issue(state: str = "published") -> Issue:
    return Issue(
        date=dt.date(2021, 3, 5), format="weekly", state=state,  # type: ignore[arg-type]
        intro=Intro(issue_date="20210305", item_count=1, chars=100, read_minutes=(1, 2), almanac="今日惊蛰，一候桃始华"),
        sections=[Section("AI 前沿", [Item(title="StyleCLIP 开源", url="https://mp.weixin.qq.com/s/abc", source="量子位",
                                           section="AI 前沿", number=1,
                                           links=[Link("https://github.com/orpatashnik/StyleCLIP", "code")])])],
        other=[OtherLink("其他新闻", "https://x.com/1", "机器之心")],
    )


def test_issue_round_trip_versions_and_history(fresh_store: Store) -> None:
    v1 = fresh_store.save_issue(_issue(), markdown="# md")
    issue, version = fresh_store.get_issue("weekly:2021-03-05")  # type: ignore[misc]
    assert version == v1 == 1
    assert issue.intro is not None and issue.intro.read_minutes == (1, 2)
    assert issue.items[0].links[0].url == "https://github.com/orpatashnik/StyleCLIP"
    assert fresh_store.save_issue(_issue()) == 2  # replaced in place, never duplicated
    assert fresh_store.counts()["items"] == 1
    history = fresh_store.history(before=dt.date(2021, 3, 20), days=28)
    assert [h.title for h in history] == ["StyleCLIP 开源"]
    assert "github:orpatashnik/styleclip" in history[0].keys
    assert fresh_store.history(before=dt.date(2021, 5, 20), days=28) == []


def test_last_write_detection(fresh_store: Store) -> None:
    fresh_store.save_issue(_issue("draft"))
    fresh_store.save_issue(_issue("draft"), expected_version=1)
    with pytest.raises(StoreError, match="changed elsewhere"):
        fresh_store.save_issue(_issue("draft"), expected_version=1)


def test_bad_urls_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a store URL"):
        open_store("not a url")
    with pytest.raises(StoreError, match="unsupported store backend"):
        open_store("mysql://u@h/db")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        open_store(f"sqlite:///{blocker}/sub/j.db")


def test_same_article_from_two_sources_is_one_entry_without_ping_pong(fresh_store: Store) -> None:
    weekly = _entry(7, source="github-weekly", extra={"stars": 100})
    trending = _entry(7, source="github-trending", title="owner/repo", content="", extra={"stars": 150, "stars_period": 40})
    fresh_store.upsert_entries([weekly])
    counts = fresh_store.upsert_entries([trending])
    assert (counts.new, counts.updated) == (0, 1)
    for _ in range(2):  # re-fetching both changes nothing further
        again = fresh_store.upsert_entries([_entry(7, source="github-weekly", extra={"stars": 100}),
                                            _entry(7, source="github-trending", title="owner/repo", content="",
                                                   extra={"stars": 150, "stars_period": 40})])
        assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    [entry] = fresh_store.get_entries(counts.ids)
    assert entry.source == "github-weekly" and entry.title == "标题 7" and entry.content == "正文"
    assert entry.extra["stars_period"] == 40 and entry.extra["seen_in"] == ["github-trending"]
