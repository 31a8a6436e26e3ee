"""The benchmarks still run: each at a toy size, end to end, printing its figures.

A bench nobody runs rots (bench_web asked from a Host the desk had learnt to refuse; bench_fetch once
stopped after its fetch-only step). These runs check that each reaches its last figure without a
traceback; the figures themselves are measured at full size, side by side, never asserted here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"

# (script and toy-size arguments, a line its last stage prints, the folder of the shared data it reads)
RUNS = [
    (["bench_stories.py", "--entries", "200", "--rounds", "1"], "stories: ", None),
    (["bench_fetch.py", "--feeds", "3", "--entries", "10"], "workers 'auto' vs '0'", None),
    (["bench_search.py", "--items", "300", "--no-pg"], "sqlite: p95", "archive"),
    (["bench_store.py", "--items", "300"], "items", "archive"),
    (
        ["bench_cluster.py", "--n", "1000", "--small", "500", "--baseline", "300"],
        "growth, lexical+semantic",
        None,
    ),
    (["bench_web.py", "--entries", "200", "--rounds", "2", "--items", "10"], "worst page p95", "archive"),
    (["bench_corpus.py", "--limit", "10", "--rounds", "1"], "ingest / feedparser", "corpus"),
    (["bench_enrich.py", "--papers", "20", "--repos", "20"], "--stale, repos aged", None),
    (["bench_summarize.py", "--runs", "2"], "summary: min", None),
    (["bench_dask.py", "--entries", "1000", "--per-feed", "500", "--workers", "1"], "peak memory", None),
    (
        [
            "bench_stories_dask.py",
            "--entries",
            "2000",
            "--chunk",
            "1000",
            "--embed-texts",
            "0",
            "--workers",
            "1",
        ],
        "LSH candidates over",
        None,
    ),
]


@pytest.mark.parametrize(("args", "last", "reads"), RUNS, ids=[r[0][0] for r in RUNS])
def test_bench_runs_to_its_last_figure(args: list[str], last: str, reads: str | None) -> None:
    shared = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    if reads is not None and not (shared / reads).is_dir():
        pytest.skip(f"this bench reads {shared / reads}, not found (set JIANBAO_SHARED)")
    env = os.environ | {"JIANBAO_SHARED": str(shared)}
    done = subprocess.run(
        [sys.executable, str(BENCH / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    # a bench exits 1 when a goal is not met at this toy size; anything else is a failure to run
    assert done.returncode in (0, 1), done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert last in done.stdout, done.stdout[-3000:]
