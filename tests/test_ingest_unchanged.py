"""Re-ingesting an unchanged feed skips ``understand``; a changed entry is understood and stored again."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.config import Config
from jianbao.ingestion import extract
from jianbao.ingestion.runner import ingest, raw_hash
from jianbao.records import Entry, Source
from jianbao.store import open_store


def _feed(descriptions: list[str]) -> str:
    items = "".join(
        f"<item><title>Story {i}</title><link>https://news.example.com/{i}</link>"
        f"<description>&lt;p&gt;{text} https://arxiv.org/abs/2401.0000{i}&lt;/p&gt;</description></item>"
        for i, text in enumerate(descriptions)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = extract.understand

    def counting(entry: Entry) -> Entry:
        seen.append(entry.url)
        return real(entry)

    monkeypatch.setattr(extract, "understand", counting)
    return seen


def test_unchanged_entries_skip_understand(tmp_path: Path, calls: list[str]) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(_feed(["A model.", "A paper.", "Some code."]), encoding="utf-8")
    source = Source(name="local", url=str(feed))
    with open_store(f"sqlite:///{tmp_path}/s.db") as store:
        store.sync_sources([source])
        first = ingest(store, [source], config=Config())
        assert first.new == 3 and len(calls) == 3
        stored = store.get_entries(list(range(1, 4)))
        assert all(entry.extra.get("raw_hash") for entry in stored)
        assert [link.key for link in stored[0].links] == ["arxiv:2401.00000"]

        calls.clear()
        again = ingest(store, [source], config=Config())
        assert calls == [] and again.sources[0].unchanged == 3 and again.new == 0

        feed.write_text(_feed(["A model.", "A better paper.", "Some code."]), encoding="utf-8")
        changed = ingest(store, [source], config=Config())
        assert calls == ["https://news.example.com/1"]
        assert (changed.sources[0].updated, changed.sources[0].unchanged) == (1, 2)
        assert "better" in store.get_entries([2])[0].summary


def test_raw_hash_tracks_what_the_parser_gave() -> None:
    entry = Entry(source="s", url="https://example.com/a", title="T", html="<p>x</p>")
    same = Entry(source="s", url="https://example.com/a", title="T", html="<p>x</p>")
    assert raw_hash(entry) == raw_hash(same)
    assert raw_hash(entry) != raw_hash(
        Entry(source="s", url="https://example.com/a", title="T", html="<p>y</p>")
    )
    assert raw_hash(entry) != raw_hash(
        Entry(source="other", url="https://example.com/a", title="T", html="<p>x</p>")
    )


def test_a_run_hands_the_frozen_objects_back_to_the_collector(tmp_path: Path, calls: list[str]) -> None:
    """ingest freezes what the process held before it (gc.freeze) and spaces young collections out only while
    it runs, even when it fails."""
    import gc

    feed = tmp_path / "feed.xml"
    feed.write_text(_feed(["A model."]), encoding="utf-8")
    source = Source(name="local", url=str(feed))
    frozen: list[int] = []
    real = extract.understand

    def watching(entry: Entry) -> Entry:
        frozen.append(gc.get_freeze_count())
        thresholds.append(gc.get_threshold())
        return real(entry)

    thresholds: list[tuple[int, int, int]] = []
    before, threshold = gc.get_freeze_count(), gc.get_threshold()
    with open_store(f"sqlite:///{tmp_path}/s.db") as store:
        store.sync_sources([source])
        extract.understand = watching  # the calls fixture restores the real one
        assert ingest(store, [source], config=Config()).new == 1
        assert frozen and frozen[0] > before and gc.get_freeze_count() == before
        assert thresholds[0][0] >= 10_000 and gc.get_threshold() == threshold
        with pytest.raises(AttributeError):  # a run that fails on its way
            ingest(store, [source], config=None)  # type: ignore[arg-type]
        assert gc.get_freeze_count() == before and gc.get_threshold() == threshold
