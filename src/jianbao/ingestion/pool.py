"""Worker processes for ingest's parse and understand: started in the background once a run has read enough,
forked from a clean fork server, and a job whose worker dies retried once in a fresh pool.

The runner sees three things: ``Workers(setting, preload=...)``, ``await workers.run(job)`` and
``workers.close()``. A job is ``job(pooled)() -> result``: it is told whether it runs in a worker process,
so it can hand a worker only what pickles (a function of picklable records, defined at module level in
one of the ``preload`` modules, which the fork server imports once for every worker).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gc
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import forkserver
from multiprocessing.connection import wait
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["GC_YOUNG", "POOL_AFTER_BYTES", "Measured", "WorkerDied", "Workers", "cpu_count"]

log = logging.getLogger(__name__)

T = TypeVar("T")

# A run that reads less than this parses in this process: starting worker processes costs more than they
# would save (about 1,000 feed entries; the bundled samples are a tenth of it).
POOL_AFTER_BYTES = 4_000_000
# Allocations between two young collections in a worker, and in the runner while a run is under way (700 by
# default): a run makes a few hundred thousand short-lived records, and a longer interval lets most of them
# die before one is examined.
GC_YOUNG = 10_000


class WorkerDied(Exception):
    """A worker process died (killed, or crashed in C code) twice on the same job."""


class Workers:
    """Where parse and understand run: a thread of this process until the run has read
    ``POOL_AFTER_BYTES`` (``setting = "auto"``, one process per core), else ``setting`` worker processes
    from the start (0: always the thread).

    The pool starts in the background, so a run never waits for it; a job whose worker dies is retried
    once in a fresh pool, so a killed worker costs time but no source.
    """

    def __init__(self, setting: int | str, *, preload: Sequence[str] = ()) -> None:
        auto = setting == "auto"
        self.count = cpu_count() if auto else int(setting)
        self.after = POOL_AFTER_BYTES if auto else 0
        self.preload = [__name__, *preload]  # this module too: a worker runs its Measured and _worker_init
        self.read = 0
        self.cpu = 0.0  # CPU seconds spent in worker processes (which the parent's own clock does not see)
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jianbao-parse")
        self.pool: ProcessPoolExecutor | None = None
        self.warm: concurrent.futures.Future[None] | None = None
        self.starter: threading.Thread | None = None
        if self.count > 0 and self.after == 0:
            self._start()

    @property
    def counting(self) -> bool:
        """True while ``offer`` can still start the pool: only then are the bytes read worth finding out."""
        return self.count > 0 and self.pool is None

    def offer(self, nbytes: int) -> None:
        """Count bytes read by the run; an ``"auto"`` pool starts once they reach ``POOL_AFTER_BYTES``."""
        self.read += nbytes
        if self.count > 0 and self.pool is None and self.read >= self.after:
            self._start()

    async def run(self, job: Callable[[bool], Callable[[], T]], *, in_process: bool = False) -> T:
        """Run ``job(pooled)()`` in a worker process, or in this process's thread when there is no pool
        (yet) or ``in_process``; ``job`` is told which, so it can hand a worker only what pickles.

        Raises ``WorkerDied`` when the job's worker died twice.
        """
        loop = asyncio.get_running_loop()
        for _attempt in range(2):
            pool = None if in_process else await self._pool()
            if pool is None:
                return await loop.run_in_executor(self.thread, job(False))
            try:
                result, cpu = await loop.run_in_executor(pool, Measured(job(True)))
            except BrokenProcessPool:
                log.warning("a worker process died; retrying its job in a fresh pool")
                self._renew(pool)
            else:
                self.cpu += cpu
                return result
        raise WorkerDied("the worker process reading it died twice")

    def close(self) -> None:
        """Wait for the jobs under way, then stop the thread and the worker processes."""
        self.thread.shutdown(wait=True)
        if self.starter is not None:  # a pool still starting when the run ends: let it finish, then stop it
            self.starter.join()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.count, mp_context=_context(self.preload), initializer=_worker_init)

    def _start(self) -> None:
        try:
            self.pool = self._new_pool()
        except Exception as exc:  # e.g. no fork server on this system: the thread does the work
            log.warning("worker processes cannot start (%s); parsing in this process", exc)
            self.count = 0
            return
        pool = self.pool
        self.warm = concurrent.futures.Future()
        warm = self.warm

        def start() -> None:  # forking blocks until the fork server has imported the parsers
            try:
                for job in [pool.submit(_ready) for _ in range(self.count)]:
                    job.result()
            except Exception as exc:  # no pool: the thread does the work
                log.warning("worker processes did not start (%s); parsing in this process", exc)
                warm.set_exception(exc)
            else:
                warm.set_result(None)

        self.starter = threading.Thread(target=start, name="jianbao-pool-start", daemon=True)
        self.starter.start()

    async def _pool(self) -> ProcessPoolExecutor | None:
        """The pool once started; a run with workers from the start waits for it, an auto run does not."""
        if self.pool is None or self.warm is None:
            return None
        if not self.warm.done():
            if self.after:
                return None
            await asyncio.wrap_future(self.warm)
        if self.warm.exception() is not None:
            return None
        return self.pool

    def _renew(self, broken: ProcessPoolExecutor) -> None:
        if self.pool is broken:
            _end(broken)
            self.pool = None
            try:
                self.pool = self._new_pool()
            except Exception as exc:  # the thread does the rest of the work
                log.warning("worker processes cannot start again (%s); parsing in this process", exc)


class Measured(Generic[T]):
    """A job as a worker runs it: its result, and the CPU seconds it took there (which the parent's own
    clock never sees). A class rather than a closure, so it pickles."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self.fn = fn

    def __call__(self) -> tuple[T, float]:
        c0 = time.thread_time()
        result = self.fn()
        return result, time.thread_time() - c0


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _worker_init() -> None:
    """Workers leave Ctrl-C to the parent (which finishes the transaction under way and stops cleanly), and
    exit as soon as it is gone: after a kill -9 of the parent nothing else would stop them. The garbage
    collector is set as the runner sets it for a run (``runner._frozen``): what the fork server imported is
    frozen out of its sight (the jobs' collections walk only what the jobs made, and the pages shared with the
    server stay shared), and young collections are ``GC_YOUNG`` allocations apart."""
    gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], GC_YOUNG), *threshold[1:])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    sentinel = parent.sentinel  # a pipe only the parent writes to: readable (EOF) once it has died

    def watch() -> None:
        wait([sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="jianbao-orphan-watch", daemon=True).start()


def _ready() -> int:
    return os.getpid()


def _context(preload: Sequence[str]) -> BaseContext:
    """forkserver: workers fork from a clean single-threaded server with ``preload`` (the job's module and
    the parsers) already imported, never from this process and its threads (event loop, store writer,
    progress bar)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    # The server starts from a fresh interpreter with this environment, and (up to Python 3.12) without this
    # process's sys.path: name the folder this jianbao comes from, so workers run the very same code.
    root = str(Path(__file__).resolve().parents[2])
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([root, before] if before else [root])
    try:
        forkserver.ensure_running()
    finally:
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before
    return context


def _end(broken: ProcessPoolExecutor) -> None:
    """Shut a broken pool down and stop its surviving workers: on Python 3.11 a worker was seen to outlive
    the break, waiting for work forever while the pool's thread waited for it, so the interpreter hung at
    exit."""
    processes = list((getattr(broken, "_processes", None) or {}).values())
    broken.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
