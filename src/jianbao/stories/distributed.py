"""Past one machine: the signature and embedding passes of clustering as Dask tasks (``[scale] dask``).

The tasks are the functions one machine runs: ``jianbao.stories.signature.compute_packed`` (a chunk of reports
→ packed signatures, what ``jianbao.stories.parallel`` runs in local processes) and the configured embedding
backend's ``embed`` (a chunk of texts → vectors), so a cluster gives byte-identical signatures and vectors,
hence identical stories. What stays in the calling process: reading and keeping the story index and the
embeddings cache (the store), and clustering itself (the union of confirmed pairs is one ordered pass).

Results are read back in order, a chunk at a time, while later chunks are still computing. Each worker
builds its embedding backend once (the local model loads once per worker process, not once per task).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from jianbao.config import EmbedSettings
from jianbao.stories.embed import Embedder, EndpointEmbedder, LocalEmbedder, Vectors, backend_of
from jianbao.stories.parallel import POOL_MIN, chunks
from jianbao.stories.settings import ClusterSettings
from jianbao.stories.signature import Compute, Report, compute_packed

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Client

__all__ = ["DaskEmbedder", "DaskSession", "dask_compute"]

EMBED_CHUNK = 512  # texts per embedding task


class DaskSession:
    """A cluster connected on first need: a build whose signatures and vectors are all in the store never
    connects, and a batch under ``minimum`` reports is computed in this process (a round trip costs more)."""

    def __init__(self, connect: Callable[[], Client], *, minimum: int = POOL_MIN) -> None:
        self._connect = connect
        self._client: Client | None = None
        self._minimum = minimum

    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = self._connect()
        return self._client

    def compute(self, reports: Sequence[Report], settings: ClusterSettings, /) -> Iterable[bytes]:
        if len(reports) < self._minimum:
            return compute_packed(reports, settings)
        return dask_compute(self.client)(reports, settings)

    def embedder(self, settings: EmbedSettings, model: str) -> Embedder:
        return DaskEmbedder(self.client, settings, model)

    def close(self) -> None:
        """Let go of the cluster (and stop it when it was started for this session)."""
        if self._client is None:
            return
        client: Any = self._client  # distributed's close() carries no annotations
        cluster = client.cluster  # a LocalCluster this session started, else None
        client.close()
        if cluster is not None:
            cluster.close()
        self._client = None


def dask_compute(client: Client) -> Compute:
    """A ``Compute`` whose chunks of reports are Dask tasks on ``client``'s cluster."""

    def compute(reports: Sequence[Report], settings: ClusterSettings, /) -> Iterator[bytes]:
        if not reports:
            return
        futures = list(client.map(compute_packed, chunks(reports), settings=settings, pure=False))
        futures.reverse()
        while futures:  # in order; a chunk read is let go (its result leaves the cluster) before the next
            yield from futures.pop().result()

    return compute


class DaskEmbedder:
    """The configured embedding backend, run on Dask workers: ``embed`` sends chunks of texts as tasks.

    The store's cache stays in front of it (``CachedEmbedder``), so only texts never embedded travel.
    """

    def __init__(self, client: Client, settings: EmbedSettings, model: str) -> None:
        self._client = client
        # the backend as this process resolved it ($JIANBAO_EMBED included): workers may not share its environment
        self._settings = settings.model_copy(update={"backend": backend_of(settings)}).model_dump_json()
        self._model = model

    @property
    def model(self) -> str:
        return self._model

    def embed(self, texts: Sequence[str]) -> Vectors:
        parts = [list(texts[start : start + EMBED_CHUNK]) for start in range(0, len(texts), EMBED_CHUNK)]
        if not parts:
            return np.zeros((0, 1), dtype=np.float32)
        futures = self._client.map(embed_on_worker, parts, settings=self._settings, pure=False)
        rows = [future.result() for future in futures]
        return np.concatenate(rows).astype(np.float32)


def embed_on_worker(texts: list[str], *, settings: str) -> Vectors:
    """The task: embed ``texts`` with the backend ``settings`` (JSON of ``EmbedSettings``) names, built once per
    worker process."""
    return _backend(settings).embed(texts)


@functools.cache
def _backend(settings: str) -> Embedder:
    parsed = EmbedSettings.model_validate(json.loads(settings))
    if parsed.backend == "openai":
        return EndpointEmbedder(parsed)
    return LocalEmbedder(threads=parsed.threads, batch=parsed.batch)
