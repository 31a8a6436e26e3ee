"""Batched entry writes: many rows per INSERT on SQLite, stored exactly as SQLAlchemy's own INSERT stores them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import insert, text

import jianbao.store.core as store_core
import jianbao.store.search_index as search_index
from jianbao.records import Entry, Link
from jianbao.store import Store, open_store
from jianbao.store import schema as t
from jianbao.store.search import search


def _entry(n: int) -> Entry:
    return Entry(
        source="s1",
        url=f"https://example.com/b/{n}",
        canonical_url=f"https://example.com/b/{n}",
        title=f"开源模型第{n}号 Model{n:03d}",
        published=dt.datetime(2026, 11, 19, 8, n % 60, tzinfo=dt.UTC),
        summary=f"摘要 {n}",
        content=f"正文讲到轻量化推理 token{n:03d} 与数据集。",
        links=[Link(url=f"https://github.com/lab/p{n}", kind="code", key=f"github:lab/p{n}", label="代码")],
    )


def test_a_batch_spanning_several_statements_stores_and_indexes_every_entry(
    any_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_core, "_ROWS_PER_INSERT", 4)  # 23 entries: six INSERTs, the last one short
    entries = [_entry(n) for n in range(23)]
    counts = any_store.upsert_entries(entries)
    assert counts.new == 23 and len(set(counts.ids)) == 23
    stored = any_store.get_entries(counts.ids)
    assert [e.canonical_url for e in stored] == [
        e.canonical_url for e in entries
    ]  # ids in the caller's order
    assert [e.links[0].key for e in stored] == [f"github:lab/p{n}" for n in range(23)]
    for n in (0, 3, 4, 22):  # either side of a statement boundary, and the last row
        hits = search(any_store, f"token{n:03d}")
        assert [h.url for h in hits] == [f"https://example.com/b/{n}"]
    assert len(search(any_store, "轻量化", limit=50)) == 23  # CJK bigram index, every row
    with any_store.engine.connect() as conn:
        docs = conn.execute(text("SELECT ref FROM search_docs WHERE kind = 'entry'")).scalars().all()
        if any_store.dialect == "sqlite":
            for index in ("search_fts", "search_cjk"):
                conn.execute(text(f"INSERT INTO {index}({index}) VALUES ('integrity-check')"))
    assert sorted(docs) == sorted(str(i) for i in counts.ids)


def test_replaced_entries_leave_the_index_and_the_index_texts_are_not_stored(
    any_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "_VARIABLES", 40)  # SQLite: several index statements per batch
    any_store.upsert_entries([_entry(n) for n in range(12)])
    changed = [_entry(n) for n in range(12)]
    for entry in changed[::2]:
        entry.content = entry.content.replace("轻量化", "重构") + " Rewritten"
    counts = any_store.upsert_entries(changed)
    assert counts.updated == 6 and counts.unchanged == 6
    assert len(search(any_store, "轻量化", limit=50)) == 6
    assert len(search(any_store, "重构", limit=50)) == 6
    assert {h.url for h in search(any_store, "Rewritten", limit=50)} == {
        f"https://example.com/b/{n}" for n in range(0, 12, 2)
    }
    with any_store.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT title_bigrams, body_bigrams, title_latin, body_latin FROM search_docs")
        ).all()
        if any_store.dialect == "sqlite":  # the FTS5 tables hold them (m014)
            assert {tuple(row) for row in stored} == {(None, None, None, None)}
            for index in ("search_fts", "search_cjk", "search_title"):
                conn.execute(text(f"INSERT INTO {index}({index}) VALUES ('integrity-check')"))
        else:  # PostgreSQL's generated tsvector reads the bigram columns
            assert all(row.title_bigrams and row.body_bigrams for row in stored)


def test_driver_insert_stores_the_values_sqlalchemy_would(tmp_path: Path) -> None:
    """Datetimes (aware and naive), NULLs and JSON with CJK go through each column's own bind processor."""
    row = {
        "canonical_url": "https://example.com/x",
        "source": "s1",
        "url": "https://example.com/x?utm=1",
        "title": '标题 "quoted" \\ back',
        "author": None,
        "published": dt.datetime(2026, 3, 5, 8, 30, 15, 120),
        "fetched": dt.datetime(2026, 3, 5, 9, 0),
        "summary": "",
        "content": "正文\n第二段",
        "html": "<p>正文</p>",
        "language": "zh",
        "images": ["https://img.example.com/1.jpg"],
        "extra": {"tags": ["AI", "开源"], "stars": 12, "nested": {"a": None}},
        "content_hash": "0" * 64,
        "updated_at": dt.datetime(2026, 3, 5, 9, 0, 1),
    }
    stored = []
    for way in ("driver", "sqlalchemy"):
        with open_store(f"sqlite:///{tmp_path / way}.db") as store, store.begin() as conn:
            if way == "driver":
                returned = store._driver_insert(conn, t.entries, [row], returning=("canonical_url", "id"))
                assert returned == [("https://example.com/x", 1)]
            else:
                conn.execute(insert(t.entries), [row])
            stored.append(conn.exec_driver_sql("SELECT * FROM entries").all())
    assert stored[0] == stored[1]
    assert stored[0][0][t.entries.c.keys().index("published")] == "2026-03-05 08:30:15.000120"


def test_driver_insert_skips_a_key_stored_meanwhile(tmp_path: Path) -> None:
    """The insert half of a race another writer won: its row stays, ours is skipped and not returned."""
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        first = store.upsert_entries([_entry(1)])
        with store.begin() as conn:
            values = Store._entry_values(_entry(2), dt.datetime(2026, 1, 1))
            rows = [{"canonical_url": e.canonical_url, **values} for e in (_entry(1), _entry(2))]
            returned = store._driver_insert(conn, t.entries, rows, returning=("canonical_url", "id"))
        assert [key for key, _id in returned] == ["https://example.com/b/2"]
        assert store.get_entries(first.ids)[0].title == _entry(1).title
