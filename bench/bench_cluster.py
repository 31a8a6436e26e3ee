"""Clustering benchmark: time, peak memory, precision and recall on planted rewrites, vs brute force, for
lexical-only clustering and lexical + semantic clustering with cached embeddings, side by side.

Run: ``python bench/bench_cluster.py [--n 100000] [--small 10000] [--baseline 5000]``; issue #21's row alone
(100k entries cold, this checkout beside another): ``--cold-only [--baseline-src /work/main/src]``. Each measurement
runs in its own subprocess so peak RSS (``ru_maxrss``) belongs to that measurement alone.

The semantic rows read every vector from the store's embeddings cache, as a daily run does once its
entries have been embedded: a subprocess first fills a SQLite store with synthetic vectors (untimed; an
event's reports lie close together, unrelated reports at the cosine e5 gives unrelated news), then the
measured subprocess clusters with a ``CachedEmbedder`` whose backend refuses to run, so any vector not
read from the store would fail the run. Time includes reading the vectors from the store.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# a baseline child runs another checkout's jianbao (``--baseline-src``)
sys.path.insert(0, os.environ.get("JIANBAO_BENCH_SRC") or str(HERE.parent / "src"))

from synth import generate, pair_scores  # noqa: E402


def _labels_from_stories(entries, stories) -> list[str]:
    by_url = {e.url: s.id for s in stories for e in s.entries}
    return [by_url[e.url] for e in entries]


MODEL = "synthetic/bench"


def _store_url(n: int) -> str:
    return f"sqlite:///{Path(tempfile.gettempdir()) / f'jianbao-bench-cluster-{n}.db'}"


def fill_store(n: int, dim: int = 384) -> None:
    """Synthetic vectors of every text ``cluster_entries`` embeds for ``generate(n)``, into the store."""
    import numpy as np

    from jianbao.store import open_store
    from jianbao.stories.embed import text_hash
    from jianbao.stories.neighbours import entry_texts
    from jianbao.stories.settings import DEFAULT_SETTINGS

    synth = generate(n)
    rng = np.random.default_rng(11)
    mean = rng.normal(size=dim)
    mean /= np.linalg.norm(mean)
    events = rng.normal(size=(max(synth.truth) + 1, dim))
    events /= np.linalg.norm(events, axis=1, keepdims=True)
    leads, heads = entry_texts(synth.entries, DEFAULT_SETTINGS)
    Path(_store_url(n).removeprefix("sqlite:///")).unlink(missing_ok=True)
    with open_store(_store_url(n)) as store:
        for start in range(0, n, 5000):
            rows = {}
            for texts in (leads, heads):
                chunk = texts[start : start + 5000]
                noise = rng.normal(size=(len(chunk), dim))
                noise /= np.linalg.norm(noise, axis=1, keepdims=True)
                v = 2.0 * mean + events[synth.truth[start : start + len(chunk)]] + 0.5 * noise
                v /= np.linalg.norm(v, axis=1, keepdims=True)
                rows.update({text_hash(t): x.astype("<f4").tobytes() for t, x in zip(chunk, v, strict=True)})
            store.embeddings_put(MODEL, dim, rows)


def _refuse() -> object:
    raise AssertionError("a vector was not in the store: the benchmark measures cached embeddings")


def run_cluster(n: int, semantic: bool = False) -> dict:
    from jianbao.store import open_store
    from jianbao.stories.cluster import cluster_entries
    from jianbao.stories.embed import CachedEmbedder
    try:
        from jianbao.stories.parallel import STATS
    except ImportError:  # a baseline checkout from before the pool: everything ran in this process
        STATS = None

    synth = generate(n)
    store = open_store(_store_url(n)) if semantic else None
    embedder = CachedEmbedder(MODEL, _refuse, store) if store is not None else None  # type: ignore[arg-type]
    start, cpu = time.perf_counter(), time.process_time()
    stories = cluster_entries(synth.entries, embedder=embedder)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if store is not None:
        store.close()
    p, r = pair_scores(synth.truth, _labels_from_stories(synth.entries, stories))
    shape = [[s.id, [e.url for e in s.entries]] for s in stories]
    return {
        "n": n, "seconds": elapsed, "cpu": cpu, "stories": len(stories), "precision": p, "recall": r,
        "workers_cpu": STATS.cpu if STATS else 0.0, "worker_peak_mb": STATS.peak_mb if STATS else 0.0,
        "digest": hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16],
    }  # fmt: skip


def run_baseline(n: int, cutoff: float = 85.0) -> dict:
    """Brute force: every pair's rapidfuzz token_set_ratio of titles (``process.cdist``), then union-find."""
    import numpy as np
    from rapidfuzz import fuzz, process

    from jianbao.stories.cluster import _UnionFind

    synth = generate(n)
    texts = [e.title.lower() for e in synth.entries]
    start, cpu = time.perf_counter(), time.process_time()
    scores = process.cdist(
        texts, texts, scorer=fuzz.token_set_ratio, score_cutoff=cutoff, workers=1, dtype=np.uint8
    )
    uf = _UnionFind(n)
    for i, j in zip(*np.nonzero(np.triu(scores, k=1)), strict=True):
        uf.union(int(i), int(j))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    labels = [str(uf.find(i)) for i in range(n)]
    p, r = pair_scores(synth.truth, labels)
    return {"n": n, "seconds": elapsed, "cpu": cpu, "stories": len(set(labels)), "precision": p, "recall": r}


def _measure(kind: str, n: int, src: str = "") -> dict:
    if kind == "semantic":
        subprocess.run([sys.executable, __file__, "--child", "fill", "--n", str(n)], check=True)
    env = {**os.environ, "JIANBAO_BENCH_SRC": src} if src else None
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--n", str(n)], capture_output=True, text=True, check=True,
        env=env,
    )  # fmt: skip
    if kind == "semantic":
        Path(_store_url(n).removeprefix("sqlite:///")).unlink(missing_ok=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000, help="size for the growth ratio")
    parser.add_argument("--baseline", type=int, default=5_000, help="size of the brute-force comparison")
    parser.add_argument("--child", choices=["cluster", "semantic", "fill", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument(
        "--cold-only", action="store_true", help="only the cold lexical clustering of --n entries (issue #21's row)"
    )
    parser.add_argument("--baseline-src", default="", help="src/ of another checkout (main) measured beside it")
    args = parser.parse_args()
    if args.child:
        if args.child == "fill":
            fill_store(args.n)
            return
        if args.child == "baseline":
            result = run_baseline(args.n)
        else:
            result = run_cluster(args.n, semantic=args.child == "semantic")
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    if args.cold_only:
        cold(args.n, args.baseline_src)
        return
    rows = [
        ("brute force cdist", _measure("baseline", args.baseline)),
        ("lexical", _measure("cluster", args.baseline)),
        ("lexical+semantic", _measure("semantic", args.baseline)),
        ("lexical", _measure("cluster", args.small)),
        ("lexical+semantic", _measure("semantic", args.small)),
        ("lexical", _measure("cluster", args.n)),
        ("lexical+semantic", _measure("semantic", args.n)),
    ]
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (2 cores: wall time above 2 means waiting)")
    print(f"{'method':<20}{'entries':>9}{'seconds':>10}{'CPU s':>8}{'peak MB':>10}{'stories':>9}{'P':>8}{'R':>8}")
    for name, r in rows:
        print(
            f"{name:<20}{r['n']:>9}{r['seconds']:>10.2f}{r['cpu']:>8.2f}{r['peak_mb']:>10.0f}{r['stories']:>9}"
            f"{r['precision']:>8.3f}{r['recall']:>8.3f}"
        )
    for name, small, big in (("lexical", rows[3][1], rows[5][1]), ("lexical+semantic", rows[4][1], rows[6][1])):
        ratio, cpu_ratio = big["seconds"] / small["seconds"], big["cpu"] / small["cpu"]
        print(f"growth, {name}: {big['n'] // small['n']}× entries → {ratio:.1f}× time ({cpu_ratio:.1f}× CPU)")


COLD_SECONDS = 20.0  # issue #21: 100k entries clustered cold in ≤ 20 s, ≤ 1 GB, on both cores
COLD_MB = 1024.0


def cold(n: int, baseline_src: str) -> None:
    """Issue #21's row: ``n`` entries clustered cold (no story index), this checkout beside a baseline."""
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (2 cores: above 2, wall time includes waiting)")
    rows = [("this checkout", _measure("cluster", n))]
    if baseline_src:
        rows.append((f"baseline {baseline_src}", _measure("cluster", n, baseline_src)))
    print(f"{'':<28}{'seconds':>9}{'CPU main':>10}{'CPU workers':>12}{'peak MB main':>14}{'peak MB worker':>16}"
          f"{'stories':>9}  digest")  # fmt: skip
    for name, r in rows:
        print(
            f"{name[:28]:<28}{r['seconds']:>9.2f}{r['cpu']:>10.2f}{r['workers_cpu']:>12.2f}{r['peak_mb']:>14.0f}"
            f"{r['worker_peak_mb']:>16.0f}{r['stories']:>9}  {r['digest']}"
        )
    mine = rows[0][1]
    ok = mine["seconds"] <= COLD_SECONDS and mine["peak_mb"] <= COLD_MB and mine["workers_cpu"] > 0
    print(f"goal ≤ {COLD_SECONDS:.0f} s, ≤ {COLD_MB:.0f} MB, both cores: {'PASS' if ok else 'FAIL'}"
          f" (CPU-bound estimate on a quiet machine: {max((mine['cpu'] + mine['workers_cpu']) / 2, mine['cpu']):.1f}–"
          f"{mine['cpu'] + mine['workers_cpu'] / 2:.1f} s)")  # fmt: skip
    if len(rows) > 1:
        same = rows[0][1]["digest"] == rows[1][1]["digest"]
        print(f"stories {'identical' if same else 'DIFFERENT'} to the baseline's")


if __name__ == "__main__":
    main()
