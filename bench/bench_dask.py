"""Ingest past one machine: synthetic feeds parsed, understood and imported as Dask tasks on a LocalCluster.

Run: python bench/bench_dask.py [--entries 1000000] [--workers 2] [--per-feed 500] [--store URL]
Each task is one synthetic feed (bench_fetch's generator, made on the worker so the client holds no bytes):
``runner._prepare`` — the very job ``jianbao fetch`` runs in its worker processes or on ``--dask`` — then
``Store.store_fetched`` into the shared store (a fresh SQLite file unless ``--store`` names one, e.g. a
PostgreSQL URL every worker can reach). Printed: entries/s, CPU seconds per entry, and each worker's peak
memory (sampled every half second), beside the same jobs run in this one process on a slice of the feeds.
"""

# ruff: noqa: E402  (imports follow the sys.path set-up below)
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from bench_fetch import make_feed

from jianbao.ingestion.runner import _prepare
from jianbao.ingestion.scale import connect
from jianbao.records import Source
from jianbao.store import Fetched, open_store

NOW = dt.datetime(2026, 3, 3, tzinfo=dt.UTC)


def feed_job(number: int, per_feed: int, store_url: str) -> tuple[int, float]:
    """One synthetic feed through parse, understand and import; (entries stored, CPU seconds)."""
    cpu = time.process_time()
    source = Source(name=f"feed{number}", url=f"https://news{number}.example.com/feed.xml")
    payload = make_feed(number, per_feed)
    prepared = _prepare(source, [(source.url, payload)], NOW, False, lambda _keys: {})
    with open_store(store_url) as store:
        written = store.store_fetched([Fetched(source.name, prepared.entries)])
    return written[0].counts.new, time.process_time() - cpu


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--per-feed", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--store", help="store URL the workers share (default: a fresh SQLite file)")
    args = parser.parse_args()
    feeds = max(1, args.entries // args.per_feed)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.store or f"sqlite:///{tmp}/dask.db"
        with open_store(url) as store:
            store.sync_sources([Source(name=f"feed{i}", url="x") for i in range(feeds)])
        # The same job in this one process, on a slice, as the baseline.
        local_feeds = max(1, min(feeds, 4))
        local_url = f"sqlite:///{tmp}/local.db"
        with open_store(local_url) as store:
            store.sync_sources([Source(name=f"feed{i}", url="x") for i in range(local_feeds)])
        t0 = time.perf_counter()
        local = [feed_job(i, args.per_feed, local_url) for i in range(local_feeds)]
        local_wall = time.perf_counter() - t0
        local_rate = sum(n for n, _ in local) / local_wall

        client = connect("local", workers=args.workers)
        peaks: dict[str, int] = {}
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.5):
                for worker, rss in client.run(_rss).items():
                    peaks[worker] = max(peaks.get(worker, 0), rss)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        t0 = time.perf_counter()
        futures = client.map(feed_job, range(feeds), per_feed=args.per_feed, store_url=url, pure=False)
        results = client.gather(futures)
        wall = time.perf_counter() - t0
        stop.set()
        sampler.join()
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()
        stored = sum(n for n, _ in results)
        cpu = sum(c for _, c in results)
        with open_store(url) as store:
            assert store.count_entries() == stored == feeds * args.per_feed, (store.count_entries(), stored)
    print(f"{feeds} synthetic feeds × {args.per_feed} entries = {stored:,} entries, LocalCluster of {args.workers}")
    print(f"one process (baseline, {local_feeds} feeds)  {local_rate:8,.0f} entries/s")
    print(f"Dask, {args.workers} workers              {stored / wall:8,.0f} entries/s  ({stored / wall / local_rate:.2f}×)")
    print(f"  {wall:.1f} s wall, {cpu / stored * 1000:.2f} ms CPU an entry (parse, understand, import)")
    for worker, peak in sorted(peaks.items()):
        print(f"  worker {worker}: peak memory {peak / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()
