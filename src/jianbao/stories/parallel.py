"""Signatures computed on every core: a large batch of reports split into chunks, each chunk the task
``jianbao.stories.signature.compute_packed`` in a worker process (``concurrent.futures``), the packed results
read back in order. The same task runs on Dask (``jianbao.stories.distributed``), so one process, a pool and
a cluster give byte-identical signatures, hence identical stories.

Below ``POOL_MIN`` reports a pool's start-up (a fork server importing the word lists, about half a second)
costs more than it saves, and the work stays in this process. A pool that breaks (a worker killed) leaves
the work to this process: slower, never different.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import repeat

from jianbao.stories.settings import ClusterSettings
from jianbao.stories.signature import Compute, Report, compute_packed

__all__ = ["POOL_MIN", "STATS", "WorkerStats", "chunks", "cpu_count", "measured", "pooled"]

log = logging.getLogger("jianbao.stories")

POOL_MIN = 20_000  # reports; fewer are computed in this process (a pool starts in about half a second)
CHUNK = 2500  # reports per task: small enough to balance the workers, large enough to pay for the trip


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chunks(reports: Sequence[Report], size: int = CHUNK) -> list[Sequence[Report]]:
    return [reports[start : start + size] for start in range(0, len(reports), size)]


def pooled(workers: int | None = None, *, minimum: int = POOL_MIN) -> Compute:
    """A ``Compute`` on ``workers`` processes (default: one per core) once there are ``minimum`` reports; the
    signatures come back in order, chunk by chunk, while the later chunks are still computing."""

    def compute(reports: Sequence[Report], settings: ClusterSettings, /) -> Iterator[bytes]:
        count = workers or cpu_count()
        if len(reports) < minimum or count < 2:
            yield from compute_packed(reports, settings)
            return
        done = 0
        try:
            for packed in _in_pool(reports, settings, count):
                done += 1
                yield packed
        except BrokenProcessPool as error:
            log.warning("signature workers failed (%s): computing the rest in this process", error)
            yield from compute_packed(reports[done:], settings)

    return compute


@dataclass(slots=True)
class WorkerStats:
    """What the worker processes spent, for benchmarks: CPU seconds (summed) and the largest peak RSS."""

    cpu: float = 0.0
    peak_mb: float = 0.0
    tasks: int = 0


STATS = WorkerStats()


def measured(reports: Sequence[Report], settings: ClusterSettings) -> tuple[list[bytes], float, float]:
    """``compute_packed`` with the worker's CPU seconds for it and its peak RSS in MiB (Linux reports KiB)."""
    start = time.process_time()
    packed = compute_packed(reports, settings)
    return packed, time.process_time() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_pool(reports: Sequence[Report], settings: ClusterSettings, workers: int) -> Iterator[bytes]:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["jianbao.stories.signature"])
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for packed, cpu, peak in pool.map(measured, chunks(reports), repeat(settings)):
            STATS.cpu += cpu
            STATS.peak_mb = max(STATS.peak_mb, peak)
            STATS.tasks += 1
            yield from packed
