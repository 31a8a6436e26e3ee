"""Past one machine: ingest's parse and understand jobs run as Dask tasks (``[scale] dask`` or ``--dask``).

The jobs are the very functions ``jianbao.ingestion.pool`` runs in local worker processes (plain functions of
picklable records), so a run on a cluster stores exactly the entries a run on one machine stores. What
stays in the calling process: the fetches (one polite client per run, with its per-host limits), and the
single store writer, which commits source by source and records each source's ETag only after its commit.
Workers read the store's raw hashes through their own connection, so the store must be one they can reach:
PostgreSQL for a real cluster (a SQLite file works on one machine, ``--dask local``).

``"local"`` starts a ``LocalCluster`` of one single-threaded worker process per core; any other value is a
scheduler address (``tcp://host:8786``). Dask brings what ``pool.Workers`` does by hand: a worker that dies
has its task rescheduled on another (three deaths and the task fails: ``WorkerDied``), and a worker whose
scheduler is gone shuts itself down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from jianbao.errors import JianbaoError
from jianbao.ingestion.pool import Measured, WorkerDied, cpu_count

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["LOCAL", "DaskWorkers", "connect"]

T = TypeVar("T")
LOCAL = "local"

log = logging.getLogger(__name__)


def connect(address: str, *, workers: int | None = None) -> Client:
    """A Dask client: of a new ``LocalCluster`` (``"local"``, ``workers`` processes, one per core by default)
    or of the scheduler at ``address``; a ``JianbaoError`` when Dask is missing or the scheduler is not there."""
    try:
        from distributed import Client, LocalCluster  # lazy: Dask is an optional extra, 0.5 s to import
    except ImportError:
        raise JianbaoError(
            "--dask needs Dask, which is not installed", hint="pip install 'jianbao[scale]'"
        ) from None
    try:
        if address == LOCAL:
            cluster = LocalCluster(
                n_workers=workers or cpu_count(),
                threads_per_worker=1,  # parse and understand hold the GIL: one job per process
                processes=True,
                dashboard_address=":0",  # any free port: two clusters at once must not both want 8787
                silence_logs=logging.ERROR,
            )
            return Client(cluster, set_as_default=False)
        return Client(address, timeout=10, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise JianbaoError(
            f"cannot reach the Dask scheduler at {address}: {exc}",
            hint="start one with `dask scheduler`, or use --dask local",
        ) from None


class DaskWorkers:
    """``pool.Workers`` on a Dask cluster: the same ``offer`` / ``run`` / ``close`` and ``cpu``."""

    def __init__(self, address: str) -> None:
        self.client = connect(address)
        self.local = address == LOCAL
        self.cpu = 0.0  # CPU seconds spent in the jobs on the workers
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jianbao-parse")
        # Waiting for a task's result blocks a thread; a run has at most one job per source in flight.
        self.waiters = ThreadPoolExecutor(max_workers=64, thread_name_prefix="jianbao-dask")

    counting = False  # a cluster is used from the first job: ``offer`` decides nothing

    def offer(self, nbytes: int) -> None:
        """Bytes read so far; a cluster is used from the first job, so nothing to decide."""

    async def run(self, job: Callable[[bool], Callable[[], T]], *, in_process: bool = False) -> T:
        """Run ``job(True)()`` as a Dask task (``job(False)()`` in this process when ``in_process``)."""
        from distributed import KilledWorker  # lazy: Dask is an optional extra

        loop = asyncio.get_running_loop()
        if in_process:
            return await loop.run_in_executor(self.thread, job(False))
        future = self.client.submit(Measured(job(True)), pure=False)
        try:
            outcome: tuple[T, float] = await loop.run_in_executor(self.waiters, _result, future)
        except KilledWorker:
            raise WorkerDied("the Dask workers reading it died three times") from None
        result, cpu = outcome
        self.cpu += cpu
        return result

    def close(self) -> None:
        """Wait for the jobs under way, then let go of the cluster (and stop it when it was started here)."""
        self.thread.shutdown(wait=True)
        self.waiters.shutdown(wait=True)
        cluster = self.client.cluster if self.local else None
        self.client.close()
        if cluster is not None:
            cluster.close()


def _result(future: Any) -> Any:
    return future.result()
