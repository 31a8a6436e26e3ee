"""Many sources stored in one transaction: each source's entries, fetch state and log together, a failing
source rolled back alone."""

from __future__ import annotations

from jianbao.records import Entry, Source
from jianbao.store import Fetched, Store


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
