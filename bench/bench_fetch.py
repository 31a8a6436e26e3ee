"""Benchmark of ``ingest`` end to end (fetch, parse, understand, store) against feedparser alone.

Run: python bench/bench_fetch.py [--feeds 200] [--entries 50] [--workers 0 auto] [--profile]
Serves generated RSS feeds on loopback (HTML bodies with arXiv, GitHub and image links), ingests them into a
fresh SQLite store once per ``[fetch] workers`` setting (0: parse in the main process; "auto": worker
processes), and prints entries/s, each stage's busy time, the store's size, and the cost relative to feedparser
parsing the same bytes as jianbao would call it without its fast path (sanitising off: the "lean" call), in
CPU time, worker processes included. Goals (issue #21), each printed PASS/FAIL beside its baseline from the
same run: ingest ≤ 1.5× the lean call's CPU; the store ≤ 2× the feed bytes; stretch: ≥ 20,000 entries/s.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import feedparser

from jianbao.config import Config
from jianbao.ingestion.fetch import FetchRequest, fetch_all_sync, fetch_settings
from jianbao.ingestion.runner import ingest
from jianbao.records import Source
from jianbao.store import Store, open_store

CPU_GOAL = 1.5  # ingest CPU / lean feedparser CPU
STORE_GOAL = 2.0  # store bytes / feed bytes
STRETCH_RATE = 20_000  # entries/s

WORDS = [
    "model",
    "agent",
    "inference",
    "benchmark",
    "dataset",
    "training",
    "open-source",
    "edge",
    "quantization",
    "transformer",
    "vision",
    "language",
    "robot",
    "latency",
    "memory",
    "accuracy",
    "paper",
    "release",
    "weights",
    "GPU",
    "token",
    "context",
]
ZH = "研究人员发布了新的轻量化模型在端侧推理速度提升明显同时开源了代码与数据集引发社区广泛关注"


def _paragraph(rng: random.Random) -> str:
    en = " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 60)))
    zh = "".join(rng.choice(ZH) for _ in range(rng.randint(40, 120)))
    return f"<p>{en.capitalize()}. {zh}。</p>"


def _body(rng: random.Random, feed: int, n: int) -> str:
    arxiv = f"{2400 + feed % 12:04d}.{rng.randint(10000, 99999)}"
    parts = [_paragraph(rng) for _ in range(rng.randint(3, 7))]
    parts.insert(1, f'<p><img src="https://img.example.com/{feed}/{n}.jpg" width="640"></p>')
    parts.append(f'<p>论文：<a href="https://arxiv.org/abs/{arxiv}">https://arxiv.org/abs/{arxiv}</a></p>')
    parts.append(f'<p>代码：<a href="https://github.com/lab{feed}/project-{n}">GitHub</a></p>')
    parts.append(f'<p>More: <a href="https://blog.example.com/{feed}/{n}?utm_source=rss">read on</a></p>')
    return "".join(parts)


def make_feed(feed: int, entries: int) -> bytes:
    rng = random.Random(feed)
    items = []
    for n in range(entries):
        title = (
            f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}：{ZH[n % 20 : n % 20 + 12]} #{feed}-{n}"
        )
        items.append(
            f"<item><title>{escape(title)}</title><link>https://news{feed}.example.com/posts/{n}.html</link>"
            f"<guid>https://news{feed}.example.com/posts/{n}.html</guid>"
            f"<pubDate>Mon, 02 Mar 2026 {n % 24:02d}:{feed % 60:02d}:00 GMT</pubDate>"
            f"<author>editor@example.com (Editor {feed})</author><category>AI</category>"
            f"<description>{escape(_body(rng, feed, n))}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {feed}</title><link>https://news{feed}.example.com/</link>{''.join(items)}</channel></rss>"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16
    feeds: dict[str, bytes] = {}  # noqa: RUF012 (filled once before serving)

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = self.feeds[self.path]
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print the top functions of the ingest run's main thread (the event loop; parse, understand and "
        "store run on other threads or processes: profile jianbao.ingestion.runner._prepare and Store.upsert_entries directly)",
    )
    parser.add_argument(
        "--workers",
        nargs="+",
        default=["0", "auto"],
        help='the [fetch] workers settings to run side by side (default: 0 and "auto")',
    )
    parser.add_argument(
        "--without-fts",
        action="store_true",
        help="diagnostic: drop the full-text trigger first, to see what the trigram index costs",
    )
    args = parser.parse_args()

    feeds = {f"/feed{i}.xml": make_feed(i, args.entries) for i in range(args.feeds)}
    _Handler.feeds = feeds
    server = _Server(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    total_entries = args.feeds * args.entries
    size = sum(map(len, feeds.values()))

    cpu0, t0 = time.process_time(), time.perf_counter()
    parsed = sum(len(feedparser.parse(body).entries) for body in feeds.values())
    bare = time.perf_counter() - t0  # feedparser as anyone would call it: defaults
    bare_cpu = time.process_time() - cpu0
    assert parsed == total_entries
    cpu0, t0 = time.process_time(), time.perf_counter()
    for body in feeds.values():
        feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    bare_lean = time.perf_counter() - t0  # feedparser as jianbao calls it
    lean_cpu = time.process_time() - cpu0

    requests = [FetchRequest(url=base + path, source=path, configured=True) for path in feeds]
    t0 = time.perf_counter()
    results = fetch_all_sync(requests, fetch_settings(Config()))
    fetch_only = time.perf_counter() - t0
    assert all(r.ok for r in results)

    sources = [Source(name=f"feed{i}", url=f"{base}/feed{i}.xml") for i in range(args.feeds)]
    runs = {mode: _ingest_run(sources, mode, total_entries, args) for mode in args.workers}

    print(
        f"{args.feeds} feeds × {args.entries} entries = {total_entries} entries, {size / 1e6:.1f} MB of RSS"
    )
    print(
        f"feedparser alone (defaults)   {bare:6.2f} s wall  {bare_cpu:6.2f} s CPU  {total_entries / bare:,.0f} entries/s"
    )
    print(
        f"feedparser alone (lean)       {bare_lean:6.2f} s wall  {lean_cpu:6.2f} s CPU  (sanitising off: the baseline)"
    )
    print(f"fetch alone (no parsing)      {fetch_only:6.2f} s wall")
    for mode, run in runs.items():
        timings = run["timings"]
        busy = sum(timings[stage] for stage in ("parse", "understand", "store")) or 1.0
        print(f"\ningest, workers = {mode!r}")
        print(f"  {'stage':<26}{'busy s':>8}{'share':>8}")
        for stage in ("parse", "understand", "store"):
            print(f"  {stage:<26}{timings[stage]:>8.2f}{timings[stage] / busy:>8.0%}")
        print(f"  {'network wait not overlapped':<26}{timings['fetch']:>8.2f}")
        wall, cpu = run["wall"], run["cpu"]
        print(
            f"  {'ingest total':<26}{wall:>8.2f} s wall  {cpu:6.2f} s CPU  {total_entries / wall:,.0f} entries/s"
        )
        print(f"  {'re-ingest (unchanged)':<26}{run['again']:>8.2f} s wall")
        ratio, stored = cpu / lean_cpu, run["bytes"] / size
        rate = total_entries / cpu
        print(f"  ingest CPU / lean feedparser CPU = {ratio:.2f}× (goal ≤ {CPU_GOAL}×): {_verdict(ratio <= CPU_GOAL)}")
        print(
            f"  store {run['bytes'] / 1e6:.1f} MB for {size / 1e6:.1f} MB of feeds = {stored:.2f}× "
            f"(goal ≤ {STORE_GOAL:.0f}×): {_verdict(stored <= STORE_GOAL)}"
        )
        print(
            f"  {rate:,.0f} entries per CPU second (stretch ≥ {STRETCH_RATE:,}): {_verdict(rate >= STRETCH_RATE)};"
            f" re-ingest {run['again'] / bare:.2f}× the default feedparser call's wall time"
        )
    if len(runs) > 1:
        first, *rest = runs
        for mode in rest:
            print(
                f"\nworkers {mode!r} vs {first!r}: {runs[first]['wall'] / runs[mode]['wall']:.2f}× faster wall"
            )


def _ingest_run(sources: list[Source], mode: str, total_entries: int, args: argparse.Namespace) -> dict:
    """One ingest into a fresh store, then one re-ingest of the unchanged feeds."""
    config = Config.model_validate({"fetch": {"workers": mode if mode == "auto" else int(mode)}})
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        store.sync_sources(sources)
        if args.without_fts and store.dialect == "sqlite":
            with store.begin() as conn:
                conn.exec_driver_sql("DROP TRIGGER IF EXISTS search_docs_ai")
        timings: dict[str, float] = {}
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        cpu0, t0 = time.process_time(), time.perf_counter()
        report = ingest(store, sources, config=config, timings=timings)
        wall = time.perf_counter() - t0
        cpu = time.process_time() - cpu0 + timings.get("workers_cpu", 0.0)
        if profiler:
            profiler.disable()
        stored = store.count_entries()
        size = _store_bytes(store, Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        ingest(store, sources, config=config, timings={})  # everything unchanged now
        again = time.perf_counter() - t0
        store.close()
    assert not report.failed and stored == total_entries, (report.failed[:3], stored)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    return {"timings": timings, "wall": wall, "cpu": cpu, "again": again, "bytes": size}


def _store_bytes(store: Store, path: Path) -> int:
    """The store file's size once its write-ahead log is folded in (what a copy of the store takes).

    Through the store's own engine: a second SQLite library (the stdlib's) opening the same file in this
    process would drop the first one's POSIX locks when it closes, which corrupts the file."""
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


if __name__ == "__main__":
    main()
