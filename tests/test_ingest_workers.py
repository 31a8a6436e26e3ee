"""Ingest with worker processes: the same entries as in one process, the unchanged skip, a worker that dies,
and the sources that must stay in this process (plugin kinds, an in-memory store)."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import importlib
import logging
import os
from pathlib import Path

import pytest

from jianbao.config import Config, parse_config
from jianbao.demo import sample_sources
from jianbao.errors import ConfigError
from jianbao.ingestion import pool as workers_pool
from jianbao.ingestion import sources as kinds
from jianbao.ingestion.pool import WorkerDied, Workers
from jianbao.ingestion.runner import _PRELOAD, _prepare, ingest
from jianbao.ingestion.sources import ParsedFeed
from jianbao.records import Entry, Source, to_dict
from jianbao.store import Store, open_store

NOW = dt.datetime(2026, 3, 5, 8, tzinfo=dt.UTC)


def workers(n: int | str) -> Config:
    return Config.model_validate({"fetch": {"workers": n}})


def everything(store: Store) -> list[dict]:
    """Every stored entry, as records (ids and all): two stores filled alike must compare equal."""
    return [to_dict(e) for e in store.get_entries(list(range(1, store.count_entries() + 1)))]


def feed(name: str, count: int, *, note: str = "") -> str:
    items = "".join(
        f"<item><title>{name} story {i}</title><link>https://news.example.com/{name}/{i}</link>"
        f"<description>&lt;p&gt;Story {i}{note}: a model https://arxiv.org/abs/2403.{i:05d} and code "
        f"https://github.com/lab/{name}-{i}&lt;/p&gt;</description>"
        f"<pubDate>Mon, 02 Mar 2026 0{i % 10}:00:00 GMT</pubDate></item>"
        for i in range(count)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>{items}</channel></rss>'


def test_workers_store_exactly_what_one_process_stores(tmp_path: Path) -> None:
    _day, sources = sample_sources()
    results = []
    for n in (0, 2):
        with open_store(f"sqlite:///{tmp_path}/w{n}.db") as store:
            store.sync_sources(sources)
            timings: dict[str, float] = {}
            report = ingest(store, sources, config=workers(n), now=NOW, timings=timings)
            results.append((everything(store), [(s.name, s.new, s.error) for s in report.sources]))
            assert (timings["workers_cpu"] > 0) == (n > 0)  # the work really ran in the worker processes
    (one, one_report), (two, two_report) = results
    assert len(one) > 150
    assert two == one  # the same records under the same ids: local sources are stored in the order given
    assert two_report == one_report


def test_workers_skip_unchanged_entries_and_store_changed_ones(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(feed("lab", 20), encoding="utf-8")
    source = Source(name="lab", url=str(path))
    with open_store(f"sqlite:///{tmp_path}/s.db") as store:
        store.sync_sources([source])
        first = ingest(store, [source], config=workers(2), now=NOW)
        assert (first.new, first.sources[0].unchanged) == (20, 0)
        again = ingest(store, [source], config=workers(2), now=NOW)
        assert (again.new, again.sources[0].updated, again.sources[0].unchanged) == (0, 0, 20)
        path.write_text(feed("lab", 21, note=" (updated)"), encoding="utf-8")
        changed = ingest(store, [source], config=workers(2), now=NOW)
        assert (changed.new, changed.sources[0].updated, changed.sources[0].unchanged) == (1, 20, 0)
        assert all("(updated)" in e.summary for e in store.get_entries(list(range(1, 22))))


def test_a_job_whose_worker_dies_is_retried_once_in_a_fresh_pool(caplog: pytest.LogCaptureFixture) -> None:
    payload = feed("lab", 5).encode()
    source = Source(name="lab", url="https://lab.example/feed.xml")
    no_hashes = functools.partial(dict.fromkeys, [])  # picklable: "nothing stored yet"
    real = functools.partial(_prepare, source, [(source.url, payload)], NOW, False, no_hashes)
    die = functools.partial(os._exit, 1)  # what a worker killed mid-job looks like to the pool

    async def scenario() -> tuple[list[bool], object, list[bool]]:
        pool = Workers(2, preload=_PRELOAD)
        try:
            first: list[bool] = []
            done = await pool.run(lambda pooled: first.append(pooled) or (die if len(first) == 1 else real))
            second: list[bool] = []
            with pytest.raises(WorkerDied):
                await pool.run(lambda pooled: second.append(pooled) or die)
            return first, done, second
        finally:
            pool.close()

    with caplog.at_level(logging.WARNING, logger="jianbao.ingestion.pool"):
        first, done, second = asyncio.run(scenario())
    assert first == [True, True]  # in a worker, and again in a fresh one
    assert [e.title for e in done.entries] == [f"lab story {i}" for i in range(5)]  # type: ignore[attr-defined]
    assert second == [True, True]  # a job that kills every worker it meets fails alone, after one retry
    assert caplog.text.count("a worker process died") == 3


class _LinesKind:
    """A kind registered at run time: worker processes cannot know it, so its sources parse here."""

    name = "lines"

    def requests(self, source: Source) -> list[str]:
        return [source.url]

    def parse(
        self, source: Source, payload: bytes, *, url: str, fetched: dt.datetime | None = None
    ) -> ParsedFeed:
        entries = []
        for line in payload.decode().splitlines():
            link, _, title = line.partition(" ")
            entries.append(Entry(source=source.name, url=link, title=title, fetched=fetched))
        return ParsedFeed(entries=entries)


def test_plugin_kinds_and_in_memory_stores_stay_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kinds.kinds()
    monkeypatch.setattr(kinds, "_registry", dict(kinds._registry))
    kinds.register(_LinesKind())
    lines = tmp_path / "list.txt"
    lines.write_text("https://x.example/1 First\nhttps://x.example/2 Second\n", encoding="utf-8")
    rss = tmp_path / "feed.xml"
    rss.write_text(feed("lab", 3), encoding="utf-8")
    sources = [Source(name="toy", url=str(lines), kind="lines"), Source(name="lab", url=str(rss))]
    for url in (f"sqlite:///{tmp_path}/s.db", "sqlite://"):
        with open_store(url) as store:
            store.sync_sources(sources)
            report = ingest(store, sources, config=workers(2), now=NOW)
            assert not report.failed, [(s.name, s.error) for s in report.failed]
            assert [(s.name, s.new) for s in report.sources] == [("toy", 2), ("lab", 3)]
            titles = {e.title for e in store.get_entries([1, 2])}
            assert titles == {"First", "Second"}


@pytest.mark.parametrize("value", ["many", -1, 2.5, True])
def test_workers_setting_is_checked(value: object) -> None:
    shown = f'"{value}"' if isinstance(value, str) else str(value).lower()
    with pytest.raises(ConfigError) as info:
        parse_config(f"[fetch]\nworkers = {shown}\n")
    assert 'fetch.workers: must be "auto" or a number of processes' in info.value.message
    assert parse_config('[fetch]\nworkers = "auto"\n').fetch.workers == "auto"
    assert parse_config("[fetch]\nworkers = 3\n").fetch.workers == 3


def test_workers_read_the_stored_hashes_on_either_backend(any_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(feed("lab", 12), encoding="utf-8")
    source = Source(name="lab", url=str(path))
    any_store.sync_sources([source])
    timings: dict[str, float] = {}
    first = ingest(any_store, [source], config=workers(2), now=NOW, timings=timings)
    assert first.new == 12 and timings["workers_cpu"] > 0
    again_timings: dict[str, float] = {}
    again = ingest(any_store, [source], config=workers(2), now=NOW, timings=again_timings)
    assert (again.new, again.sources[0].updated, again.sources[0].unchanged) == (0, 0, 12)
    # The worker read the stored raw hashes through its own connection, so it understood nothing.
    assert again_timings["workers_cpu"] > 0 and again_timings["understand"] == 0.0


def test_no_worker_processes_means_parsing_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_processes(preload: list[str]) -> None:
        raise OSError("no fork server here")

    monkeypatch.setattr(workers_pool, "_context", no_processes)
    path = tmp_path / "feed.xml"
    path.write_text(feed("lab", 4), encoding="utf-8")
    source = Source(name="lab", url=str(path))
    with open_store(f"sqlite:///{tmp_path}/s.db") as store:
        store.sync_sources([source])
        timings: dict[str, float] = {}
        with caplog.at_level(logging.WARNING, logger="jianbao.ingestion.pool"):
            report = ingest(store, [source], config=workers(2), now=NOW, timings=timings)
    assert report.new == 4 and not report.failed and timings["workers_cpu"] == 0
    assert "worker processes cannot start (no fork server here); parsing in this process" in caplog.text


def test_auto_starts_processes_only_once_a_run_has_read_enough() -> None:
    pool = Workers("auto")
    try:
        assert pool.count == len(os.sched_getaffinity(0)) and pool.pool is None
        pool.offer(1_000_000)
        assert pool.pool is None  # the bundled samples are a fraction of this: they parse in this process
        pool.offer(3_500_000)
        assert pool.pool is not None
    finally:
        pool.close()
    assert Workers(0).pool is None


def test_the_fork_server_preloads_the_job_and_the_parsers() -> None:
    """The preload list names modules by dotted path, and the fork server skips a name that does not import:
    a module renamed without it would only make every worker import it again, silently."""
    preload = Workers(0, preload=_PRELOAD).preload
    for name in preload:
        importlib.import_module(name)
    assert _prepare.__module__ in preload  # the job the runner hands its workers
    assert workers_pool.__name__ in preload  # what wraps each job in a worker
    assert {"jianbao.ingestion.sources.rss", "jianbao.ingestion.extract"} <= set(preload)
