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

# (script and toy-size arguments, a line its last stage prints, needs the shared archive)
RUNS = [
    (["bench_stories.py", "--entries", "200", "--rounds", "1"], "stories: ", False),
    (["bench_fetch.py", "--feeds", "3", "--entries", "10"], "workers 'auto' vs '0'", False),
    (["bench_search.py", "--items", "300", "--no-pg"], "sqlite: p95", True),
    (
        ["bench_cluster.py", "--n", "1000", "--small", "500", "--baseline", "300"],
        "growth, lexical+semantic",
        False,
    ),
    (["bench_web.py", "--entries", "200", "--rounds", "2", "--items", "10"], "worst page p95", True),
]


@pytest.mark.parametrize(("args", "last", "needs_archive"), RUNS, ids=[r[0][0] for r in RUNS])
def test_bench_runs_to_its_last_figure(
    args: list[str], last: str, needs_archive: bool, tmp_path: Path
) -> None:
    shared = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    if needs_archive and not (shared / "archive").is_dir():
        pytest.skip(f"this bench reads the shared archive, not found at {shared} (set JIANBAO_SHARED)")
    env = os.environ | {"TMPDIR": str(tmp_path), "JIANBAO_SHARED": str(shared)}
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
