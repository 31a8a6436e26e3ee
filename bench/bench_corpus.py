"""Per-source fixed cost: every file of feedparser's own corpus ingested as a local source, against feedparser.

Run: python bench/bench_corpus.py [--limit N] [--workers 0] [--profile]
The corpus (``$JIANBAO_SHARED/corpus/feedparser-tests``, 2,107 small well- and ill-formed feeds) is nearly all
fixed cost: a few entries a file, so what ingest spends per source (its plan, its transaction, its fetch state)
dominates. Printed: feedparser alone on the same bytes (lean call: sanitising off), then ingest into a fresh
SQLite store, both in CPU seconds (the main process; worker processes included when there are any), and the
ratio against the goal (≤ 3× feedparser, issue #21).
"""

# ruff: noqa: E402  (imports follow the sys.path set-up below)
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import feedparser

from jianbao.config import Config
from jianbao.ingestion.runner import ingest
from jianbao.records import Source
from jianbao.store import open_store

GOAL = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N files")
    parser.add_argument("--workers", default="0", help='[fetch] workers for the ingest (0 or "auto")')
    parser.add_argument("--rounds", type=int, default=3, help="best of N rounds of each side")
    parser.add_argument("--profile", action="store_true", help="print the ingest's top functions")
    args = parser.parse_args()
    root = Path(os.environ.get("JIANBAO_SHARED", "/work/shared")) / "corpus" / "feedparser-tests"
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in (".xml", ".rss", ".atom", ".rdf")
    )
    if not files:
        sys.exit(f"no corpus at {root} (set JIANBAO_SHARED)")
    files = files[: args.limit] if args.limit else files
    payloads = [p.read_bytes() for p in files]
    size = sum(map(len, payloads))

    def bare() -> float:
        cpu = time.process_time()
        for payload in payloads:
            feedparser.parse(io.BytesIO(payload), sanitize_html=False, resolve_relative_uris=False)
        return time.process_time() - cpu

    sources = [Source(name=f"f{i:04d}", url=str(path)) for i, path in enumerate(files)]
    workers = args.workers if args.workers == "auto" else int(args.workers)
    config = Config.model_validate({"fetch": {"workers": workers}})
    profiler = cProfile.Profile() if args.profile else None

    stages: dict[str, float] = {}

    def ingest_once() -> tuple[float, int]:
        with tempfile.TemporaryDirectory() as tmp, open_store(f"sqlite:///{tmp}/corpus.db") as store:
            store.sync_sources(sources)
            timings: dict[str, float] = {}
            if profiler:
                profiler.enable()
            cpu = time.process_time()
            ingest(store, sources, config=config, timings=timings)
            spent = time.process_time() - cpu + timings.get("workers_cpu", 0.0)
            stages.update(timings)
            if profiler:
                profiler.disable()
            return spent, store.count_entries()

    base = min(bare() for _ in range(args.rounds))
    runs = [ingest_once() for _ in range(args.rounds)]
    spent, entries = min(runs)
    ratio = spent / base
    print(f"{len(files)} files, {size / 1e6:.1f} MB, {entries} entries stored")
    print(
        f"feedparser alone (lean)  {base:6.2f} s CPU  {base / len(files) * 1000:6.2f} ms a file   (baseline)"
    )
    print(f"ingest                   {spent:6.2f} s CPU  {spent / len(files) * 1000:6.2f} ms a source")
    busy = ", ".join(f"{stage} {stages[stage]:.2f}" for stage in ("parse", "understand", "store"))
    print(f"  busy seconds (last round): {busy}")
    print(f"ingest / feedparser = {ratio:.1f}× (goal ≤ {GOAL:.0f}×): {'PASS' if ratio <= GOAL else 'FAIL'}")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
