"""copy_store and `jianbao db copy`: SQLite → PostgreSQL → SQLite keeps every row, id and answer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import insert, text
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.errors import StoreError
from jianbao.records import Entry, Intro, Issue, Item, Link, OtherLink, Section, Source
from jianbao.store import Store, open_store
from jianbao.store import schema as t
from jianbao.store.copy import copy_store, store_checksums
from jianbao.store.migrations import MIGRATIONS
from jianbao.store.search import search


def _populate(store: Store) -> None:
    store.sync_sources(
        [Source(name="量子位", url="https://qbitai/feed", weight=1.5, options={"b": 1, "a": [1, 2]})]
    )
    store.record_fetch("量子位", ok=True, etag='"e1"')
    store.upsert_entries(
        [
            Entry(
                source="量子位",
                url=f"https://example.com/{n}?utm=x",
                canonical_url=f"https://example.com/{n}",
                title=f"开源模型 {n} 发布",
                published=dt.datetime(2021, 3, n + 1, 8, 30, 15, 123456, tzinfo=dt.UTC),
                summary="摘要",
                content="正文 " * 50,
                images=["https://img/1.png"],
                extra={"hn": {"points": 12.5}},
                links=[
                    Link(url=f"https://arxiv.org/abs/2103.0000{n}", kind="paper", key=f"arxiv:2103.0000{n}")
                ],
            )
            for n in range(6)
        ]
    )
    for day in (dt.date(2021, 3, 5), dt.date(2021, 3, 12)):
        store.save_issue(
            Issue(
                date=day,
                format="weekly",
                state="published",
                intro=Intro(
                    issue_date=day.strftime("%Y%m%d"),
                    item_count=2,
                    chars=1234,
                    read_minutes=(3, 5),
                    almanac="今日惊蛰",
                ),
                sections=[
                    Section(
                        "AI 前沿",
                        [
                            Item(
                                title=f"StyleCLIP {day}",
                                url="https://mp.weixin.qq.com/s/a",
                                source="量子位",
                                section="AI 前沿",
                                number=1,
                                summary="轻量化的编辑器",
                                links=[Link("https://github.com/orpatashnik/StyleCLIP", "code")],
                            ),
                            Item(
                                title="DeepFaceLab 更新",
                                url=f"https://github.com/iperov/DeepFaceLab?d={day}",
                                source="GitHub",
                                section="有趣的开源项目",
                                number=2,
                            ),
                        ],
                    )
                ],
                other=[OtherLink("其他新闻", "https://x.com/1", "机器之心")],
            ),
            markdown=f"# {day}",
        )
    store.cache_put("k1", "缓存值", model="m")
    with store.begin() as conn:
        conn.execute(
            insert(t.stories).values(
                id="s1",
                title="故事",
                score=0.1 + 0.2,
                data={"z": 1, "a": "中"},
                first_seen=dt.datetime(2021, 3, 1),
                updated_at=dt.datetime(2021, 3, 2),
            )
        )
        conn.execute(insert(t.story_entries).values(story_id="s1", entry_id=1))
        conn.execute(
            insert(t.link_meta).values(
                key="github:a/b", kind="code", data={"stars": 10}, fetched_at=dt.datetime(2021, 3, 3)
            )
        )


QUERIES = ("开源", "StyleCLIP", "轻量化", "deepfacelab")


def _answers(store: Store) -> tuple[object, ...]:
    history = store.history(before=dt.date(2021, 4, 1), days=60)
    return (
        [(h.issue_id, h.position, h.title, h.keys) for h in history],
        # The same hits on each backend; their order is the backend's own ranking (bm25 vs trigram similarity).
        [sorted((h.kind, h.title, h.issue_id or "") for h in search(store, q)) for q in QUERIES],
        store.get_issue("weekly:2021-03-05"),
        store.counts(),
    )


def test_sqlite_to_postgresql_and_back(tmp_path: Path, pg_store_url: str) -> None:
    first = f"sqlite:///{tmp_path / 'a.db'}"
    back = f"sqlite:///{tmp_path / 'b.db'}"
    with open_store(first) as store:
        _populate(store)
        expected = _answers(store)
        ranked = [search(store, q) for q in QUERIES]
        sums = store_checksums(store)
    seen: list[tuple[str, int, int]] = []
    report = copy_store(first, pg_store_url, progress=lambda *args: seen.append(args))
    assert report.ok and report.rows == sum(n for n, _ in sums.values()) > 30
    assert {c.table: (c.copied_rows, c.copied_checksum) for c in report.tables} == sums
    assert ("entries", 6, 6) in seen
    assert copy_store(pg_store_url, back).ok
    for url in (pg_store_url, back):
        with open_store(url) as store:
            assert store_checksums(store) == sums
            assert _answers(store) == expected
            if url == back:  # SQLite again: the same ranking and scores too
                assert [search(store, q) for q in QUERIES] == ranked
            # ids were preserved and sequences reset: a new row takes the next id, no collision.
            new = store.upsert_entries([Entry(source="s", url="https://new.example/1", title="新")])
            assert new.ids == [7]


@pytest.mark.parametrize("direction", ["postgresql-to-sqlite", "sqlite-to-postgresql"])
def test_copy_indexes_search_for_the_destination(tmp_path: Path, pg_store_url: str, direction: str) -> None:
    """Each backend keeps its own index texts (SQLite: CJK-free trigram text and bigrams in FTS5; PostgreSQL:
    bigram columns): a copy works them out for the destination, so Latin, CJK and mixed queries answer there
    as they did at the source. PostgreSQL → SQLite once left SQLite's Latin index empty."""
    lite = f"sqlite:///{tmp_path / 'lite.db'}"
    src, dst = (pg_store_url, lite) if direction == "postgresql-to-sqlite" else (lite, pg_store_url)
    queries = (*QUERIES, "StyleCLIP 2021", "DeepFaceLab 更新", "开源模型 3", "orpatashnik")
    with open_store(src) as store:
        _populate(store)
        expected = {q: sorted((h.kind, h.title) for h in search(store, q, limit=50)) for q in queries}
    assert all(expected.values())
    assert copy_store(src, dst).ok
    with open_store(dst) as store:
        assert {q: sorted((h.kind, h.title) for h in search(store, q, limit=50)) for q in queries} == expected
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                for index in ("search_fts", "search_cjk", "search_title"):
                    conn.execute(text(f"INSERT INTO {index}({index}) VALUES ('integrity-check')"))


def test_destination_with_rows_needs_force(tmp_path: Path, pg_store_url: str) -> None:
    src = f"sqlite:///{tmp_path / 'a.db'}"
    with open_store(src) as store:
        _populate(store)
    with open_store(pg_store_url) as store:
        store.upsert_entries([Entry(source="s", url="https://other.example/1", title="别的")])
    with pytest.raises(StoreError, match="not empty"):
        copy_store(src, pg_store_url)
    with pytest.raises(StoreError, match="same store"):
        copy_store(src, src)
    assert copy_store(src, pg_store_url, force=True).ok
    with open_store(pg_store_url) as store:
        assert store.count_entries() == 6 and search(store, "别的") == []


def test_checksums_notice_a_changed_value(tmp_path: Path) -> None:
    src, dst = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    with open_store(src) as store:
        _populate(store)
    copy_store(src, dst)
    with open_store(dst) as store:
        with store.begin() as conn:
            conn.execute(text('UPDATE stories SET data = \'{"z": 1, "a": "中", "x": 0}\''))
        changed = store_checksums(store)
    with open_store(src) as store:
        original = store_checksums(store)
    assert {name for name in original if original[name] != changed[name]} == {"stories"}


def test_db_copy_command(tmp_path: Path) -> None:
    src, dst = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    with open_store(src) as store:
        _populate(store)
    runner = CliRunner()
    result = runner.invoke(app, ["db", "copy", src, dst])
    assert result.exit_code == 0, result.output
    assert "entries" in result.stdout and "6" in result.stdout and "all tables match" in result.stdout
    again = runner.invoke(app, ["db", "copy", src, dst])
    assert again.exit_code != 0 and "not empty" in again.output
    assert runner.invoke(app, ["db", "copy", src, dst, "--force"]).exit_code == 0


def test_db_upgrade_and_info_commands(blank_store_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["db", "upgrade", "--store", blank_store_url])
    assert result.exit_code == 0, result.output
    assert "applied m001_initial, m002_search_index, m003_unbounded_text" in result.stdout
    assert "already up to date" in runner.invoke(app, ["db", "upgrade", "--store", blank_store_url]).stdout
    info = runner.invoke(app, ["db", "info", "--store", blank_store_url])
    assert info.exit_code == 0 and f"schema  version {len(MIGRATIONS)}" in info.stdout


def test_search_finds_the_same_documents_on_both_backends(
    shared_dir: Path, tmp_path: Path, pg_store_url: str
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'archive.db'}"
    result = CliRunner().invoke(app, ["import", str(shared_dir / "archive" / "2021"), "--store", sqlite_url])
    assert result.exit_code == 0, result.output
    assert copy_store(sqlite_url, pg_store_url).ok
    with open_store(sqlite_url) as lite, open_store(pg_store_url) as pg:
        for query in ("开源", "轻量化", "人脸", "StyleCLIP", "deepfacelab", "GAN", "Transformer", "AI"):
            on_sqlite = sorted((h.kind, h.issue_id or "", h.title) for h in search(lite, query, limit=10_000))
            on_pg = sorted((h.kind, h.issue_id or "", h.title) for h in search(pg, query, limit=10_000))
            assert on_sqlite == on_pg, query
            assert on_sqlite, query
            for store in (lite, pg):  # where some title contains the query, a title hit ranks first
                top = search(store, query, limit=1)[0]
                assert (query.lower() in top.title.lower()) == any(
                    query.lower() in t.lower() for *_, t in on_pg
                )
