"""Extractive summary speed: one 3,000-character Chinese article, the size of a long 机器之心 post.

Baseline: ~15 ms per summary on the dev machine (target ≤ 20 ms; 50 ms would mean something grew
quadratically in the characters). This used to be an assertion in tests/test_summarize_extractive.py; a
wall-clock bound fails on a busy machine and proves nothing on a quiet one, so the figure lives here.

Run: python bench/bench_summarize.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from jianbao.summarize import clean_text, summarize  # noqa: E402

RESOURCES = HERE.parent / "tests" / "resources" / "summarize"
BASELINE_MS = 15.0
TARGET_MS = 20.0


def chinese_article(chars: int = 3000) -> str:
    """The Chinese test articles cleaned and joined, cut to ``chars`` characters."""
    bodies = []
    for path in sorted(RESOURCES.glob("*.txt")):
        head, body = path.read_text(encoding="utf-8").split("---\n", 1)
        if "lang: zh" in head.splitlines():
            bodies.append(clean_text(body))
    return "\n\n".join(bodies)[:chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed summaries after one warm-up")
    args = parser.parse_args()
    body = chinese_article()
    started = time.perf_counter()
    summarize(body, title="DeepSeek 发布 V4")  # jieba loads its dictionary once per process
    first = time.perf_counter() - started
    runs = []
    for _ in range(args.runs):
        started = time.perf_counter()
        summarize(body, title="DeepSeek 发布 V4")
        runs.append((time.perf_counter() - started) * 1000)
    print(f"article: {len(body)} characters; first call (jieba start-up included): {first:.2f} s")
    print(
        f"summary: min {min(runs):.1f} ms, median {statistics.median(runs):.1f} ms, max {max(runs):.1f} ms "
        f"over {args.runs} runs (baseline ~{BASELINE_MS:g} ms, target ≤ {TARGET_MS:g} ms)"
    )


if __name__ == "__main__":
    main()
