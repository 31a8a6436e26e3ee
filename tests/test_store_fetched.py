"""Many sources stored in one transaction: each source's entries, fetch state and log together, a failing
source rolled back alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.records import Entry, Source
from jianbao.store import Fetched, Store, open_store
from jianbao.store.search import search
from jianbao.store.search_index import Deferred


def _entry(source: str, n: int, *, title: str | None = None) -> Entry:
    url = f"https://example.com/{source}/{n}"
    return Entry(source=source, url=url, canonical_url=url, title=title or f"{source} {n}")


def test_a_batch_stores_every_source_and_its_fetch_state(any_store: Store) -> None:
    any_store.sync_sources([Source(name=n, url=f"https://example.com/{n}.xml") for n in ("a", "b", "c")])
    results = any_store.store_fetched(
        [
            Fetched("a", [_entry("a", 1), _entry("a", 2)], etag='"a1"'),
            Fetched("b", [], error="HTTP 500"),
            Fetched("c", [_entry("c", 1)], last_modified="Mon, 02 Mar 2026 08:00:00 GMT"),
        ]
    )
    assert [(r.counts.new, r.error) for r in results] == [(2, None), (0, "HTTP 500"), (1, None)]
    sources = {s.name: s for s in any_store.list_sources()}
    assert sources["a"].etag == '"a1"' and sources["c"].last_modified == "Mon, 02 Mar 2026 08:00:00 GMT"
    assert any_store.count_entries() == 3


def test_a_source_whose_write_fails_is_rolled_back_alone(any_store: Store) -> None:
    any_store.sync_sources([Source(name=n, url=f"https://example.com/{n}.xml") for n in ("a", "b")])
    bad = _entry("b", 1)
    bad.title = None  # type: ignore[assignment]  (NOT NULL: the database refuses the row)
    results = any_store.store_fetched(
        [Fetched("a", [_entry("a", 1)], etag='"a"'), Fetched("b", [bad], etag='"b"')]
    )
    assert results[0].error is None and results[1].error and results[1].error.startswith("store error")
    sources = {s.name: s for s in any_store.list_sources()}
    assert sources["a"].etag == '"a"' and sources["b"].etag is None  # no validators without the entries
    assert [e.source for e in any_store.get_entries([1, 2, 3])] == ["a"]


def _index_terms(store: Store) -> list[tuple[object, ...]]:
    with store.engine.connect() as conn:
        return [
            tuple(row)
            for name in ("search_fts_terms", "search_cjk_terms")
            for row in conn.exec_driver_sql(f"SELECT '{name}', term, doc, cnt FROM {name} ORDER BY term")
        ]


def test_a_batch_indexes_at_its_end_what_source_by_source_writes_index(tmp_path: Path) -> None:
    """The batch's index writes are held until its end (search_index.Deferred): a document replaced or rolled
    back meanwhile never reaches the index, and the index holds what writing each source alone gives."""
    names = ("a", "b", "c")
    first = [_entry("a", 1, title="开源模型 first"), _entry("a", 2, title="轻量化 second")]
    again = [
        _entry("a", 1, title="重构模型 replaced")
    ]  # the same article, its text changed, in the same batch
    bad = _entry("b", 1, title="never indexed")
    bad.url = None  # type: ignore[assignment]  (NOT NULL: the database refuses the row)
    batch = [
        Fetched("a", first),
        Fetched("a", again),
        Fetched("b", [_entry("b", 2), bad]),
        Fetched("c", [_entry("c", 1)]),
    ]
    held = open_store(f"sqlite:///{tmp_path}/held.db")
    alone = open_store(f"sqlite:///{tmp_path}/alone.db")
    for store in (held, alone):
        store.sync_sources([Source(name=n, url=f"https://example.com/{n}.xml") for n in names])
    results = held.store_fetched(batch)
    assert [r.error is None for r in results] == [True, True, False, True]
    for fetched in batch:
        if fetched is not batch[2]:
            alone.upsert_entries(fetched.entries)
    assert _index_terms(held) == _index_terms(alone)
    assert [h.url for h in search(held, "重构")] == ["https://example.com/a/1"]
    assert search(held, "开源") == [] and search(held, "never") == []
    with held.engine.connect() as conn:
        for index in ("search_fts", "search_cjk", "search_title"):
            conn.exec_driver_sql(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
    held.close()
    alone.close()


def test_held_index_writes_are_taken_back_with_their_savepoint() -> None:
    deferred = Deferred()
    deferred.add((1, "one", "", "s"))
    with pytest.raises(RuntimeError), deferred.savepoint():
        deferred.add((2, "two", "", "s"))
        assert deferred.take(1) and not deferred.take(3)
        with deferred.savepoint():  # an inner savepoint that succeeds is still part of the outer one
            deferred.add((3, "three", "", "s"))
        raise RuntimeError
    assert deferred.docs == {1: (1, "one", "", "s")}
    with deferred.savepoint():
        assert deferred.take(1)
    assert deferred.docs == {}
