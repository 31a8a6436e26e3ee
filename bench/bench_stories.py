"""Stories kept as entries arrive: a build from a warm store against the ingest that filled it.

Run: ``python bench/bench_stories.py [--entries 5000] [--rounds 3] [--embed none]``

Writes ``--entries`` synthetic news entries (``bench/synth.py``: reports of one event across outlets and
languages) as RSS files, 50 to a feed, dated over the week before the issue's day; ingests them into a fresh
SQLite store (timed: parse, understand, store and the story index the ingest keeps); then builds the weekly
issue from that warm store, and opens the desk's candidates page (its first request after the entries
changed: nothing cached in the process), each ``--rounds`` times. Beside them, from the same run: the same
build after ``jianbao stories --recluster`` dropped the index (the full re-cluster of the window, as every
build did before the index existed), and the stories of both compared.

``--baseline-src /work/main/src`` also ingests and builds the same feeds with another checkout (main before the
index) in a subprocess, printed beside. Goal (issue #21): the build ≤ 1 s and ≤ 0.15× the ingest; the
candidates page likewise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
if __name__ == "__main__":  # the baseline's child imports this module with another checkout's src first
    sys.path.insert(0, str(HERE.parent / "src"))

from synth import generate  # noqa: E402

GOAL_SECONDS = 1.0
GOAL_SHARE = 0.15
DAY = dt.date(2026, 6, 8)


def write_feeds(folder: Path, n: int, per_feed: int = 50) -> list[Path]:
    """``n`` synthetic entries as RSS files of ``per_feed`` items, published over the week before ``DAY``."""
    entries = generate(n).entries
    end = dt.datetime.combine(DAY, dt.time(12), tzinfo=dt.UTC)
    step = dt.timedelta(days=6.5) / max(1, n)
    paths = []
    for feed, start in enumerate(range(0, n, per_feed)):
        items = []
        for k, e in enumerate(entries[start : start + per_feed], start=start):
            when = end - step * (n - k)
            items.append(
                f"<item><title>{escape(e.title)}</title><link>{escape(e.url)}</link>"
                f"<guid>{escape(e.url)}</guid><pubDate>{when:%a, %d %b %Y %H:%M:%S} GMT</pubDate>"
                f"<description>{escape(e.summary)}</description></item>"
            )
        path = folder / f"feed{feed:04d}.xml"
        path.write_text(
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Feed {feed}</title><link>https://feed{feed}.example/</link>{''.join(items)}</channel></rss>",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def _seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _story_sets(stories) -> list[tuple[str, ...]]:
    return sorted(tuple(sorted(e.url for e in s.entries)) for s in stories)


def baseline(src: str, entries: int, rounds: int) -> dict:
    """Ingest and build with the jianbao at ``src`` (another checkout, e.g. main before the index), in a
    subprocess so the two never share imports."""
    code = (
        "import sys, json; sys.path[:0] = [sys.argv[1], sys.argv[2]]; import bench_stories as b; "
        "print(json.dumps(b.plain_run(int(sys.argv[3]), int(sys.argv[4]))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, src, str(HERE), str(entries), str(rounds)],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": src},
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def plain_run(entries: int, rounds: int) -> dict:
    """Ingest, then build ``rounds`` times, with whatever jianbao is importable (the baseline's child)."""
    from jianbao.config import Config
    from jianbao.ingestion.runner import ingest
    from jianbao.issue.build import build
    from jianbao.records import Source
    from jianbao.store import open_store

    config = Config()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_feeds(folder, entries)
        sources = [Source(name=f"feed{i:04d}", url=str(p), kind="rss") for i, p in enumerate(paths)]
        store = open_store(f"sqlite:///{folder / 'bench.db'}")
        store.sync_sources(sources)
        ingest_s = _seconds(lambda: ingest(store, sources, config=config))
        builds = [_seconds(lambda: build(store, config, DAY, "weekly")) for _ in range(rounds)]
        store.close()
    import jianbao

    return {"ingest": ingest_s, "builds": builds, "jianbao": jianbao.__file__}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--embed", default="none", help="[embed] backend for the run (default none: lexical)")
    parser.add_argument(
        "--baseline-src", default="", help="src/ of another checkout (main) to ingest and build beside this one"
    )
    args = parser.parse_args()
    os.environ["JIANBAO_EMBED"] = args.embed
    before = baseline(args.baseline_src, args.entries, args.rounds) if args.baseline_src else None

    from jianbao.config import Config
    from jianbao.editions import get_edition
    from jianbao.ingestion.runner import ingest
    from jianbao.issue.build import build
    from jianbao.issue.gather import gather_stories
    from jianbao.records import Source
    from jianbao.store import open_store
    from jianbao.stories.index import drop_index
    from jianbao.web import desk

    config = Config()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_feeds(folder, args.entries)
        sources = [Source(name=f"feed{i:04d}", url=str(p), kind="rss") for i, p in enumerate(paths)]
        store = open_store(f"sqlite:///{folder / 'bench.db'}")
        store.sync_sources(sources)
        timings: dict[str, float] = {}
        ingest_s = _seconds(lambda: ingest(store, sources, config=config, timings=timings))
        count = store.count_entries()

        def build_once() -> None:
            build(store, config, DAY, "weekly")

        def candidates_once() -> None:
            desk.forget()
            desk.gather(store, config, DAY, "weekly")

        def weekly():
            return gather_stories(store, config=config, day=DAY, edition=get_edition("weekly"))

        builds = [_seconds(build_once) for _ in range(args.rounds)]
        pages = [_seconds(candidates_once) for _ in range(args.rounds)]
        kept = _story_sets(weekly())
        full_builds = []
        for _ in range(args.rounds):
            drop_index(store)
            full_builds.append(_seconds(build_once))
        drop_index(store)
        full_pages = []
        for _ in range(args.rounds):
            drop_index(store)
            full_pages.append(_seconds(candidates_once))
        drop_index(store)
        full = _story_sets(weekly())
        store.close()

    def row(name: str, values: list[float]) -> None:
        best, worst = min(values), max(values)
        share = statistics.median(values) / ingest_s
        ok = best <= GOAL_SECONDS and share <= GOAL_SHARE
        print(
            f"{name:<38} {best:6.2f}–{worst:5.2f} s  {share:5.3f}× ingest  "
            f"{'PASS' if ok else 'FAIL'} (goal ≤ {GOAL_SECONDS:.0f} s and ≤ {GOAL_SHARE}× ingest)"
        )

    index_s, evidence_s = timings.get("stories", 0.0), timings.get("relevance", 0.0)
    print(
        f"{count} entries ingested in {ingest_s:.2f} s ({count / ingest_s:,.0f}/s), "
        f"of which the story index {index_s:.2f} s, the relevance evidence {evidence_s:.2f} s"
    )
    if before is not None:
        b_ingest, b_builds = before["ingest"], before["builds"]
        print(f"baseline: {Path(before['jianbao']).parents[1]}")
        print(
            f"{'baseline: ingest':<38} {b_ingest:6.2f} s; build {min(b_builds):.2f}–{max(b_builds):.2f} s "
            f"({statistics.median(b_builds) / b_ingest:.3f}× its ingest)"
        )
    row("build, stories kept by ingest", builds)
    row("candidates page, stories kept", pages)
    row("build, full re-cluster (before)", full_builds)
    row("candidates page, full re-cluster", full_pages)
    print(f"stories: {len(kept)} kept, {len(full)} re-clustered, {'identical' if kept == full else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
