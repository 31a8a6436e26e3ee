"""Benchmark the editor's desk: every page's render time for a 30-item draft over the whole imported archive.

Run: PYTHONPATH=src python bench/bench_web.py [--rounds 30]
Reads the real archive from $JIANBAO_SHARED (default: the folder shared/ beside the checkout) and the bundled samples.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from jianbao.archive import read_issue_file
from jianbao.config import Config
from jianbao.demo import sample_sources
from jianbao.ingestion.runner import ingest
from jianbao.store import open_store
from jianbao.web import create_app, desk

TARGET_MS = 100.0  # issue #21: desk pages p95 ≤ 100 ms ...
GOAL_ENTRIES = 50_000  # ... with at least this many entries in the store


def _populate(url: str, shared: Path) -> tuple[int, int]:
    store = open_store(url)
    imported = 0
    try:
        for path in sorted((shared / "archive").rglob("*.md")):
            result = read_issue_file(path)
            if result.issue is None:
                continue
            store.save_issue(dataclasses.replace(result.issue, state="published"))
            imported += 1
        _day, sources = sample_sources()
        store.sync_sources(sources)
        ingest(store, sources, config=Config())
        return imported, store.count_entries()
    finally:
        store.close()


def _fill_draft(url: str, config: Config, day: object, n: int) -> int:
    store = open_store(url)
    try:
        stories = [s for s in desk.gather(store, config, day, "weekly") if s.state != "published"]  # type: ignore[arg-type]
        for story in sorted(stories, key=lambda s: -s.score)[:n]:
            version = desk.load_draft(store, day, "weekly", config).version  # type: ignore[arg-type]
            desk.pick(store, config, day, "weekly", version=version, story_id=story.id)  # type: ignore[arg-type]
        return len(desk.load_draft(store, day, "weekly", config).issue.items)  # type: ignore[arg-type]
    finally:
        store.close()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--items", type=int, default=30)
    args = parser.parse_args()
    shared = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    if not (shared / "archive").is_dir():
        print(f"shared archive not found at {shared}", file=sys.stderr)
        return 2
    snapshot, _sources = sample_sources()
    config = Config.model_validate({"weekly": {"max_items": 40}})
    with tempfile.TemporaryDirectory(prefix="jianbao-bench-web-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        t0 = time.perf_counter()
        imported, entries = _populate(url, shared)
        items = _fill_draft(url, config, snapshot, args.items)
        print(
            f"store: {imported} archive issues, {entries} entries; draft of {items} items "
            f"(setup {time.perf_counter() - t0:.1f}s)"
        )
        query = f"date={snapshot.isoformat()}&format=weekly"
        pages = {
            "candidates": f"/candidates?{query}",
            "candidates (filtered)": f"/candidates?{query}&lang=zh&q=模型",
            "draft": f"/draft?{query}",
            "preview": f"/preview?{query}",
            "archive (list)": f"/archive?{query}",
            "archive (search)": f"/archive?{query}&q=目标检测",
        }
        with TestClient(create_app(config, url)) as client:
            cold = time.perf_counter()
            client.get(pages["candidates"]).raise_for_status()
            print(
                f"first candidates request (clusters the window): {(time.perf_counter() - cold) * 1000:.0f} ms"
            )
            print(f"{'page':24} {'median ms':>10} {'p95 ms':>8} {'bytes':>8}")
            worst = 0.0
            for name, path in pages.items():
                times = []
                size = 0
                for _ in range(args.rounds):
                    start = time.perf_counter()
                    response = client.get(path)
                    times.append((time.perf_counter() - start) * 1000)
                    response.raise_for_status()
                    size = len(response.content)
                med, p95 = statistics.median(times), _pct(times, 0.95)
                worst = max(worst, p95)
                print(f"{name:24} {med:10.1f} {p95:8.1f} {size:8d}")
            # one autosave round trip (edit a summary), the action an editor repeats most
            token = client.cookies.get("jianbao_csrf") or ""
            store = open_store(url)
            times = []
            for i in range(args.rounds):
                _issue, version = store.get_issue(f"weekly:{snapshot.isoformat()}")  # type: ignore[misc]
                start = time.perf_counter()
                response = client.post(
                    "/edit",
                    headers={"X-CSRF-Token": token},
                    data={
                        "date": snapshot.isoformat(),
                        "format": "weekly",
                        "version": str(version),
                        "index": "0",
                        "name": "summary",
                        "value": f"基准测试改写的摘要 {i}。",
                    },
                )
                times.append((time.perf_counter() - start) * 1000)
                response.raise_for_status()
            store.close()
            print(f"{'edit (autosave POST)':24} {statistics.median(times):10.1f} {_pct(times, 0.95):8.1f}")
    ok = worst <= TARGET_MS
    print(f"worst page p95 {worst:.1f} ms (goal ≤ {TARGET_MS:.0f} ms): {'PASS' if ok else 'FAIL'}")
    if entries < GOAL_ENTRIES:
        print(f"  but the store holds {entries:,} entries: the goal is measured with ≥ {GOAL_ENTRIES:,} (not met)")
    return 0 if ok and entries >= GOAL_ENTRIES else 1


if __name__ == "__main__":
    sys.exit(main())
