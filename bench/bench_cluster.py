"""Clustering benchmark: time, peak memory, precision and recall on planted rewrites, vs brute force.

Run: ``python bench/bench_cluster.py [--n 100000] [--baseline 5000]``. Each measurement
runs in its own subprocess so peak RSS (``ru_maxrss``) belongs to that measurement alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from synth import generate, pair_scores  # noqa: E402


def _labels_from_stories(entries, stories) -> list[str]:
    by_url = {e.url: s.id for s in stories for e in s.entries}
    return [by_url[e.url] for e in entries]


def run_cluster(n: int) -> dict:
    from jianbao.stories.cluster import cluster_entries

    synth = generate(n)
    start = time.perf_counter()
    stories = cluster_entries(synth.entries)
    elapsed = time.perf_counter() - start
    p, r = pair_scores(synth.truth, _labels_from_stories(synth.entries, stories))
    return {"n": n, "seconds": elapsed, "stories": len(stories), "precision": p, "recall": r}


def run_baseline(n: int, cutoff: float = 85.0) -> dict:
    """Brute force: every pair's rapidfuzz token_set_ratio of titles (``process.cdist``), then union-find."""
    import numpy as np
    from rapidfuzz import fuzz, process

    from jianbao.stories.cluster import _UnionFind

    synth = generate(n)
    texts = [e.title.lower() for e in synth.entries]
    start = time.perf_counter()
    scores = process.cdist(
        texts, texts, scorer=fuzz.token_set_ratio, score_cutoff=cutoff, workers=1, dtype=np.uint8
    )
    uf = _UnionFind(n)
    for i, j in zip(*np.nonzero(np.triu(scores, k=1)), strict=True):
        uf.union(int(i), int(j))
    elapsed = time.perf_counter() - start
    labels = [str(uf.find(i)) for i in range(n)]
    p, r = pair_scores(synth.truth, labels)
    return {"n": n, "seconds": elapsed, "stories": len(set(labels)), "precision": p, "recall": r}


def _measure(kind: str, n: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--n", str(n)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000, help="size for the growth ratio")
    parser.add_argument("--baseline", type=int, default=5_000, help="size of the brute-force comparison")
    parser.add_argument("--child", choices=["cluster", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = run_cluster(args.n) if args.child == "cluster" else run_baseline(args.n)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    rows = [
        ("cluster_entries", _measure("cluster", args.baseline)),
        ("brute force cdist", _measure("baseline", args.baseline)),
        ("cluster_entries", _measure("cluster", args.small)),
        ("cluster_entries", _measure("cluster", args.n)),
    ]
    print(f"{'method':<20}{'entries':>9}{'seconds':>10}{'peak MB':>10}{'stories':>9}{'P':>8}{'R':>8}")
    for name, r in rows:
        print(
            f"{name:<20}{r['n']:>9}{r['seconds']:>10.2f}{r['peak_mb']:>10.0f}{r['stories']:>9}"
            f"{r['precision']:>8.3f}{r['recall']:>8.3f}"
        )
    small, big = rows[2][1], rows[3][1]
    ratio = big["seconds"] / small["seconds"]
    print(f"growth: {big['n'] // small['n']}× entries → {ratio:.1f}× time")


if __name__ == "__main__":
    main()
