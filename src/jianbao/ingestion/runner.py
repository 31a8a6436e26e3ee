"""Run an ingest: every enabled source fetched, parsed, understood and stored; one bad source never stops the rest.

Reading order: ``ingest`` plans each source's requests, ``_Run`` fetches them on the event loop, hands each
source's documents to ``_prepare`` (parse, skip what is stored unchanged, understand) on the worker pool
(``jianbao.ingestion.pool``, or a Dask cluster: ``jianbao.ingestion.scale``), and queues each source for the
one store writer, which commits whatever is queued in one transaction (``Store.store_fetched``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import gc
import hashlib
import logging
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

from sqlalchemy.engine import make_url

from jianbao.config import Config, SourceSettings
from jianbao.errors import JianbaoError, SourceError
from jianbao.ingestion import extract
from jianbao.ingestion import sources as kinds
from jianbao.ingestion.articles import Guard, follow_articles, wants_article
from jianbao.ingestion.fetch import (
    Attempt,
    Fetcher,
    FetchKind,
    FetchRequest,
    FetchResult,
    check_public_url,
    fetch_settings,
)
from jianbao.ingestion.pool import GC_YOUNG, WorkerDied, Workers
from jianbao.ingestion.scale import DaskWorkers
from jianbao.records import Entry, Source
from jianbao.safety import UrlGate, gate_entry
from jianbao.store import Fetched, Store, raw_hashes_at
from jianbao.stories.index import index_stored, reports_of
from jianbao.stories.signature import Report
from jianbao.urls import canonical_url

__all__ = [
    "STAGES",
    "IngestReport",
    "Progress",
    "SourceReport",
    "Timings",
    "fetch_settings",  # where it was first found; it lives in jianbao.ingestion.fetch
    "ingest",
    "raw_hash",
    "sources_from_config",
    "to_source",
]

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# (stage, advance): first ("planned", number of sources), then each source once through each of STAGES.
Progress = Callable[[str, int], None]
STAGES = ("fetched", "parsed", "stored")
Timings = dict[str, float]
_STAGES = ("fetch", "parse", "understand", "store", "total")
_EVIDENCE_BATCH = 2000  # relevance evidence rows kept per write
# Stored hashes as ``lookup`` returns them: canonical URL → (owning source, raw hash).
Lookup = Callable[[list[str]], dict[str, tuple[str, str | None]]]

@dataclass(slots=True)
class SourceReport:
    name: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    not_modified: bool = False
    error: str | None = None
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class IngestReport:
    sources: list[SourceReport] = field(default_factory=list)

    @property
    def failed(self) -> list[SourceReport]:
        return [s for s in self.sources if s.error]

    @property
    def new(self) -> int:
        return sum(s.new for s in self.sources)


def to_source(settings: SourceSettings) -> Source:
    """One ``[[sources]]`` table as a ``Source`` record."""
    return Source(
        name=settings.name,
        url=settings.url,
        kind=settings.kind,
        title=settings.title,
        region=settings.region,
        weight=settings.weight,
        enabled=settings.enabled,
        options=dict(settings.options),
        scope=settings.scope,
    )


def sources_from_config(config: Config) -> list[Source]:
    """The config's ``[[sources]]`` as records; a name defined twice is a ``SourceError``."""
    sources = [to_source(s) for s in config.sources]
    names = [s.name for s in sources]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise SourceError(sorted(dupes)[0], "defined twice in the config")
    return sources


def ingest(
    store: Store,
    sources: Sequence[Source],
    *,
    config: Config,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    timings: Timings | None = None,
    article_guard: Guard = check_public_url,
) -> IngestReport:
    """Read every enabled source, parse, understand and store its entries; one bad source never stops the rest.

    Each source is stored as soon as its documents are in, with its fetch state (the ETag) in the same
    transaction as its entries (the writer groups the sources queued meanwhile into one transaction, each
    behind a savepoint): a crash at any point leaves the store consistent, and the next run fetches again
    whatever was not committed (it cannot get a 304 for entries it never stored).
    An entry its parser gives exactly as last time (same ``raw_hash``, same owning source) is counted
    unchanged without being understood or written again.

    Parsing and understanding run beside the fetches and the single store writer: in one thread for a
    small run, in worker processes (``[fetch] workers``) once the run has read enough to pay for them, so
    on a machine with more than one core the three overlap instead of taking turns.
    ``timings``, when given, accumulates seconds per stage: parse, understand, store (summed over sources
    and workers, so with workers they may add up to more than the wall time), total (wall clock), fetch
    (the wall time not covered by the other three, i.e. the network wait they did not overlap), and
    workers_cpu (CPU seconds spent in worker processes, which this process's own CPU clock leaves out); stories
    and relevance: keeping the story index and the stored entries' relevance evidence, which builds read.

    An aggregator's entries (Hacker News, Reddit) get their linked article's text before they are stored
    (``jianbao.ingestion.articles``); ``article_guard`` refuses the URLs that must not be fetched (private
    addresses; tests over loopback pass a guard that allows them).
    """
    started = time.perf_counter()
    with _frozen():  # see _frozen
        spent = timings if timings is not None else {}
        for stage in _STAGES:
            spent.setdefault(stage, 0.0)
        busy_before = spent["parse"] + spent["understand"] + spent["store"]
        report = IngestReport()
        stored = {s.name: s for s in store.list_sources()}
        plans: list[_Plan] = []
        for source in sources:
            if not source.enabled:
                continue
            rep = SourceReport(source.name)
            report.sources.append(rep)
            plan = _plan(source, stored.get(source.name, source), rep)
            if plan is None:
                store.record_fetch(source.name, ok=False, error=rep.error)
            else:
                plans.append(plan)
        if progress:
            progress("planned", len(plans))
        if plans:
            run = _Run(
                store,
                config=config,
                reports={rep.name: rep for rep in report.sources},
                progress=progress,
                fetched=now or dt.datetime.now(dt.UTC),
                spent=spent,
                guard=article_guard,
            )
            asyncio.run(run.all(plans))
            spent["stories"] = spent.get("stories", 0.0) + _seconds(index_stored, store, run.stored, config)
            spent["relevance"] = spent.get("relevance", 0.0) + _seconds(run.keep_evidence)
        spent["total"] += time.perf_counter() - started
        busy = spent["parse"] + spent["understand"] + spent["store"] - busy_before
        spent["fetch"] += max(0.0, time.perf_counter() - started - busy)
        return report


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """The garbage collector set for a run, and set back after it (even when it fails): what the process
    held before the run is frozen out of its sight (``gc.freeze``: the modules, the store's engine, a desk's
    caches are no garbage of the run, yet each full collection walked them all again), and young collections
    come every ``GC_YOUNG`` allocations. Together they cut the collections' share of a first ingest's CPU
    from 5 % to under 1 %; nothing is kept longer than the run."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], GC_YOUNG), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@dataclass(slots=True)
class _Plan:
    """One source's fetch: its requests (the first carries the conditional-GET validators), or for a local
    source the file to read."""

    source: Source
    requests: list[FetchRequest]
    local: bool = False


def _plan(source: Source, state: Source, rep: SourceReport) -> _Plan | None:
    """What to fetch for ``source`` (``state``: the same as stored, with its validators); None, with
    ``rep.error`` set, when its kind cannot say."""
    if kinds.is_local(source.url):  # a path or file:// URL marks a source as a file: only then is one read
        return _Plan(source, [], local=True)
    if not source.url.lower().startswith(("http://", "https://")):
        rep.error = f"cannot fetch {source.url!r}: only http(s) URLs, or a local file's path"
        return None
    try:
        urls = kinds.get_kind(source.kind).requests(state)
    except JianbaoError as exc:
        rep.error = _reason(exc)
        return None
    kind: FetchKind = "page" if source.kind == "page" else "feed"
    # Validators belong to the source's main URL; the extra pages of a page source are fetched plainly.
    requests = [
        FetchRequest(
            url=url,
            source=source.name,
            kind=kind,
            etag=state.etag if i == 0 else None,
            last_modified=state.last_modified if i == 0 else None,
            configured=True,  # the editor's source: its origin may be a self-hosted RSSHub on loopback
        )
        for i, url in enumerate(urls)
    ]
    return _Plan(state, requests)


# A store transaction holds at most this many entries or sources: the writer takes the sources queued, and
# while others are still on their way and the batch holds fewer than _BATCH_FULL entries, waits for the next
# ones until the batch is _BATCH_AGE seconds old (group commit). A thousand entries make one flush of the
# search index (store.search_index.Deferred) a third cheaper than a source's fifty, and a source's parse
# takes longer than the 50 ms the writer used to wait for each next one, so it stored one source at a time.
_BATCH_ENTRIES = 20_000
_BATCH_SOURCES = 500
_BATCH_FULL = 1000
_BATCH_AGE = 0.5
# A source queued for the writer: what to store, its report, and the future its job waits on.
_Queued = tuple[Fetched, "SourceReport", "asyncio.Future[None]"]


class _Run:
    """One ingest run: fetches on the event loop, parse and understand on ``Workers``, and every store
    call on one writer thread, which stores whatever sources are queued in one transaction."""

    def __init__(
        self,
        store: Store,
        *,
        config: Config,
        reports: dict[str, SourceReport],
        progress: Progress | None,
        fetched: dt.datetime,
        spent: Timings,
        guard: Guard = check_public_url,
    ) -> None:
        self.store = store
        self.guard = guard
        self.config = config
        self.reports = reports
        self.progress = progress
        self.fetched = fetched
        self.spent = spent
        self.workers: Workers | DaskWorkers = (
            DaskWorkers(config.scale.dask)
            if config.scale.dask
            else Workers(config.fetch.workers, preload=_PRELOAD)
        )
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jianbao-store")
        self.queue: asyncio.Queue[_Queued | None] = asyncio.Queue()
        self.local_done: asyncio.Future[None] | None = None
        self.shareable = _shareable(store.url)
        self.unqueued = 0  # sources not yet queued for the writer
        self.stored: list[Report] = []  # what the writer stored, as the story index reads it
        # the relevance evidence of what the writer stored, by hash (kept every _EVIDENCE_BATCH and at the end);
        # None once it cannot be computed (a bad [relevance] topic: the build reports that)
        self.evidence: dict[bytes, bytes] | None = {}

    async def all(self, plans: list[_Plan]) -> None:
        self.unqueued = len(plans)
        writer = asyncio.create_task(self._writer())
        try:
            async with Fetcher(fetch_settings(self.config)) as fetcher:
                await asyncio.gather(*(self._one(plan, fetcher) for plan in plans))
        finally:
            self.queue.put_nowait(None)
            await writer
            self.writer.shutdown(wait=True)
            self.workers.close()
            self.spent["workers_cpu"] = self.spent.get("workers_cpu", 0.0) + self.workers.cpu

    async def _db(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.writer, functools.partial(fn, *args, **kwargs))

    async def _fetch(self, req: FetchRequest, fetcher: Fetcher) -> FetchResult:
        try:
            result = await fetcher.fetch(req)
        except Exception as exc:  # a bug in one fetch must not sink the other sources
            log.exception("fetch of %s failed unexpectedly", req.url)
            result = FetchResult(
                url=req.url, final_url=req.url, source=req.source, error=f"internal error: {exc!r}"
            )
        return result

    def _advance(self, stage: str) -> None:
        if self.progress:
            self.progress(stage, 1)

    async def _one(self, plan: _Plan, fetcher: Fetcher) -> None:
        source, rep = plan.source, self.reports[plan.source.name]
        if plan.local:
            await self._one_local(plan)
            return
        results = list(await asyncio.gather(*(self._fetch(r, fetcher) for r in plan.requests)))
        self._advance("fetched")
        attempts = [a for r in results for a in r.attempts]
        docs: list[tuple[str, bytes | None]] = []
        failures: list[str] = []
        many = len(results) > 1
        for result in results:
            if not result.ok:
                reason = result.error or f"HTTP {result.status}"
                failures.append(f"{result.url}: {reason}" if many else reason)
            elif result.not_modified:
                rep.not_modified = True
            else:
                docs.append((result.final_url or result.url, result.content))
        entries = await self._understood(source, docs, rep=rep, failures=failures, total=len(results))
        self._advance("parsed")
        if any(wants_article(e) for e in entries):
            entries = await self._articles(source, entries, fetcher, rep, attempts)
        first = results[0]
        etag, modified = (first.etag, first.last_modified) if first.ok else (None, None)
        await self._write(
            Fetched(source.name, entries, rep.error, etag=etag, last_modified=modified, attempts=attempts), rep
        )
        self._advance("stored")

    async def _articles(
        self,
        source: Source,
        entries: list[Entry],
        fetcher: Fetcher,
        rep: SourceReport,
        attempts: list[Attempt],
    ) -> list[Entry]:
        """The aggregator entries' linked articles (jianbao.ingestion.articles); their fetches join
        ``attempts``, logged with the source's own in its write."""

        async def stored(keys: list[str]) -> dict[str, Entry]:
            return await self._db(self.store.entries_by_keys, keys)

        followed, results, problems = await follow_articles(
            source, entries, fetcher=fetcher, stored=stored, guard=self.guard, now=self.fetched
        )
        rep.problems.extend(problems)
        attempts.extend(a for r in results for a in r.attempts)
        return followed

    async def _one_local(self, plan: _Plan) -> None:
        """A file on disk: read, parse and understand it at once, but store local sources in the order
        given, so the same files always give the same entry ids (and a demo build is byte-identical)."""
        source, rep = plan.source, self.reports[plan.source.name]
        turn = self.local_done
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.local_done = done
        try:
            self._advance("fetched")  # read by the job itself, in the same hop as its parse
            entries = await self._understood(source, [(source.url, None)], rep=rep, failures=[], total=1)
            self._advance("parsed")
            if turn is not None:
                await turn
            written = self._enqueue(Fetched(source.name, entries, rep.error), rep)
        finally:
            done.set_result(None)  # the next local source may queue: the writer keeps the queue's order
        await written
        self._advance("stored")

    async def _understood(
        self,
        source: Source,
        docs: list[tuple[str, bytes | None]],
        *,
        rep: SourceReport,
        failures: list[str],
        total: int,
    ) -> list[Entry]:
        """Parse and understand one source's documents, in one job: entries parsed exactly as stored are
        skipped there, so only what must be written comes back."""
        if self.workers.counting:  # a local file's size costs a stat: asked only while it may matter
            for _url, payload in docs:
                self.workers.offer(kinds.local_size(source) if payload is None else len(payload))
        shareable = self.shareable

        def job(pooled: bool) -> Callable[[], _Prepared]:
            lookup: Lookup
            # A stale answer (an entry committed meanwhile) only means an entry is understood again.
            if pooled:  # a worker process reads through its own connection
                lookup = functools.partial(raw_hashes_at, self.store.url)
            elif shareable:  # a connection of its own from the pool, beside the writer's
                lookup = self.store.raw_hashes
            else:  # an in-memory store has one connection: read it on the writer thread
                lookup = self._raw_hashes_via_writer
            return functools.partial(_prepare, source, docs, self.fetched, total > 1, lookup)

        done = _Prepared()
        if docs:  # nothing to parse when every document was a 304 or failed
            try:
                done = await self.workers.run(job, in_process=not (shareable and _plugin_kind(source)))
            except WorkerDied as exc:
                done = _Prepared(failures=[str(exc)])
        for stage in ("parse", "understand", "store"):
            self.spent[stage] += done.seconds.get(stage, 0.0)
        rep.problems.extend(done.problems)
        rep.unchanged += done.skipped
        for text in done.crashes:
            log.error("reading %s failed unexpectedly:\n%s", source.name, text)
        for note in done.notes:
            log.warning("%s: %s", source.name, note)
        failures = failures + done.failures
        if failures and (len(failures) >= total or total == 1):
            rep.error = failures[0] if len(failures) == 1 else f"{failures[0]} (and {len(failures) - 1} more)"
        else:
            rep.problems.extend(failures)
        return done.entries

    def _raw_hashes_via_writer(self, keys: list[str]) -> dict[str, tuple[str, str | None]]:
        return self.writer.submit(self.store.raw_hashes, keys).result()

    async def _write(self, fetched: Fetched, rep: SourceReport) -> None:
        """Queue one source for the writer and wait until it is stored (or has failed to be)."""
        await self._enqueue(fetched, rep)

    def _enqueue(self, fetched: Fetched, rep: SourceReport) -> asyncio.Future[None]:
        """Queue one source for the writer; the future is done once it is stored (or has failed to be)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.unqueued -= 1
        self.queue.put_nowait((fetched, rep, done))
        return done

    async def _writer(self) -> None:
        """The one store writer: whatever sources are queued go into one transaction (``store_fetched``),
        so a run of many small sources pays one commit for many, not two or three each."""
        loop = asyncio.get_running_loop()
        while (first := await self.queue.get()) is not None:
            batch = [first]
            size = len(first[0].entries)
            deadline = loop.time() + _BATCH_AGE
            while size < _BATCH_ENTRIES and len(batch) < _BATCH_SOURCES:
                if not self.queue.empty():
                    queued = self.queue.get_nowait()
                elif self.unqueued == 0 or size >= _BATCH_FULL:
                    break  # nothing else is coming, or enough for one index flush: no reason to wait
                else:
                    try:  # a source is on its way: a moment's wait puts it in this transaction
                        queued = await asyncio.wait_for(self.queue.get(), max(0.0, deadline - loop.time()))
                    except TimeoutError:
                        break
                if queued is None:
                    self.queue.put_nowait(None)  # the run is over: stop after this batch
                    break
                batch.append(queued)
                size += len(queued[0].entries)
            try:
                await self._db(self._store, batch)
            finally:
                for _fetched, _rep, done in batch:
                    if not done.done():  # a job cancelled meanwhile (Ctrl-C) no longer waits
                        done.set_result(None)

    def _store(self, batch: list[_Queued]) -> None:
        """Store a batch of sources (on the writer thread) and count what each one's write did."""
        t0 = time.perf_counter()
        try:
            results = self.store.store_fetched([fetched for fetched, _rep, _done in batch])
        except JianbaoError as exc:  # the store itself failed: nothing of the batch was written
            for _fetched, rep, _done in batch:
                rep.error = rep.error or exc.message
            return
        finally:
            self.spent["store"] += time.perf_counter() - t0
        for (fetched, rep, _done), written in zip(batch, results, strict=True):
            if not written.error:
                self.stored += reports_of(fetched.entries, self.config)
                self._judge(fetched.entries)
            rep.error = rep.error or written.error
            rep.new += written.counts.new
            rep.updated += written.counts.updated
            rep.unchanged += written.counts.unchanged
            if written.log_error:
                rep.problems.append(f"fetch log not written: {written.log_error}")
        if self.evidence is not None and len(self.evidence) >= _EVIDENCE_BATCH:
            self.keep_evidence()

    def _judge(self, entries: Sequence[Entry]) -> None:
        """The relevance evidence of entries just stored (``issue.relevance.evidence_rows``), so a build reads
        it instead of judging their words again."""
        if self.evidence is None or not entries:
            return
        t0 = time.perf_counter()
        # lazy: only a run that stores something needs the relevance rules
        from jianbao.issue.relevance import evidence_rows

        try:
            self.evidence.update(evidence_rows(entries, self.config.relevance))
        except JianbaoError as error:
            log.warning("relevance evidence not kept (%s): builds compute it", error.message)
            self.evidence = None
        finally:
            self.spent["relevance"] = self.spent.get("relevance", 0.0) + time.perf_counter() - t0

    def keep_evidence(self) -> None:
        """Write the evidence gathered so far. It only saves later work, so a failure is one warning, never a
        failed ingest: the next build computes what is missing."""
        if not self.evidence:
            return
        try:
            self.store.evidence_put(self.evidence)
        except JianbaoError as error:
            log.warning("relevance evidence not kept (%s): builds compute it", error.message)
        self.evidence.clear()


# --------------------------------------------------------------------------------------------------
# The per-source job: what runs in a worker process, plain functions of picklable records, which return their
# problems as text (a worker has no logging set up, and its tracebacks belong in the parent's log).

# What the fork server imports once for every worker: this module (the job) and the costly parsers.
_PRELOAD = (__name__, "jianbao.ingestion.sources.rss", "jianbao.ingestion.extract")


@dataclass(slots=True)
class _Prepared:
    """One source's entries, parsed and understood and ready to store, and what went wrong on the way."""

    entries: list[Entry] = field(default_factory=list)
    skipped: int = 0  # parsed exactly as stored: neither understood nor sent back
    problems: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for the log, not the source's report
    seconds: dict[str, float] = field(default_factory=dict)  # parse, understand, store (the hash lookup)


def _prepare(
    source: Source,
    docs: list[tuple[str, bytes | None]],
    fetched: dt.datetime,
    many: bool,
    lookup: Lookup,
) -> _Prepared:
    """Parse every document of one source (a bad document fails alone), skip the entries whose raw hash is
    the stored one, and understand the rest (a bad entry is reported and skipped). A document without a
    payload is the source's local file, read here."""
    out = _Prepared()
    t0 = time.perf_counter()
    rows: list[tuple[str, str, Entry]] = []
    for url, payload in docs:
        try:
            if payload is None:
                payload = kinds.read_local(source)
            parsed = kinds.parse_source(source, payload, url=url, fetched=fetched)
        except JianbaoError as exc:
            reason = _reason(exc)
            out.failures.append(f"{url}: {reason}" if many else reason)
            continue
        except Exception as exc:  # a parser bug on odd input fails this document, not the run
            out.crashes.append(traceback.format_exc())
            out.failures.append(f"{url}: internal error: {exc!r}" if many else f"internal error: {exc!r}")
            continue
        out.problems.extend(parsed.problems)
        for entry in parsed.entries:  # the feed's own title names a source the config left unnamed
            if parsed.title:
                entry.extra.setdefault("feed_title", parsed.title)
        rows.extend((_key(entry), raw_hash(entry), entry) for entry in parsed.entries)
    gate = UrlGate()
    rows = _gated(rows, gate, out)
    t1 = time.perf_counter()
    try:
        stored = lookup([key for key, _digest, _entry in rows]) if rows else {}
    except Exception as exc:  # the skip is only a shortcut: understand everything rather than fail the source
        out.notes.append(f"cannot read the stored raw hashes ({exc!r}); understanding every entry")
        stored = {}
    t2 = time.perf_counter()
    seen: set[str] = set()
    entries: dict[str, Entry] = {}
    for key, digest, entry in rows:
        if key in seen:
            continue  # one row per canonical URL: a feed listing an article twice keeps the first
        seen.add(key)
        if stored.get(key) == (source.name, digest):
            out.skipped += 1  # parsed exactly as last time: what is stored is what understand would give
            continue
        entry.fetched = entry.fetched or fetched
        try:
            understood = extract.understand(entry)
        except Exception as exc:  # one odd entry is reported and skipped, its siblings are stored
            out.crashes.append(traceback.format_exc())
            out.problems.append(f"{entry.url}: internal error: {exc!r}")
            continue
        understood.extra["raw_hash"] = digest
        # The links and images understand found pass the gate too; the texts it kept passed it already.
        gated = gate_entry(understood, gate, passed=entry)
        if gated is not None:
            entries[gated.canonical_url or gated.url] = gated
    if gate.dropped:
        out.problems.append(f"{gate.dropped} URLs dropped (not http(s): javascript:, data:, relative…)")
    out.entries = list(entries.values())
    out.seconds = {
        "parse": t1 - t0,
        "store": t2 - t1,
        "understand": time.perf_counter() - t2 if len(seen) > out.skipped else 0.0,  # 0: nothing understood
    }
    return out


def _gated(rows: list[tuple[str, str, Entry]], gate: UrlGate, out: _Prepared) -> list[tuple[str, str, Entry]]:
    """The rows whose entry passes the URL gate, gated (the raw hash stays the parsed entry's); an entry
    whose own link is not an http(s) URL is reported and skipped."""
    kept = []
    for _old_key, digest, entry in rows:
        gated = gate_entry(entry, gate)
        if gated is None:
            gate.dropped -= 1  # reported here by itself, not in the count of dropped URLs
            out.problems.append(f"entry {entry.title[:60]!r}: link {entry.url[:80]!r} is not an http(s) URL; skipped")
            continue
        kept.append((_key(gated), digest, gated))
    return kept


def _key(entry: Entry) -> str:
    """The canonical URL ``understand`` will give the entry: the store's key for it."""
    return entry.canonical_url or canonical_url(entry.url) or entry.url


# Bump when ``understand`` changes what it derives, so entries parsed as before are understood again.
_UNDERSTAND_VERSION = "1"


def raw_hash(entry: Entry) -> str:
    """A digest of an entry as its source parser gave it (fetch time aside), before ``understand``.

    Stored in ``extra["raw_hash"]``: a re-fetched entry with the same digest, from the same source, is
    skipped before the costly steps, so a re-fetch of unchanged feeds costs little more than parsing them.
    """
    digest = hashlib.blake2b(_UNDERSTAND_VERSION.encode(), digest_size=16)
    for part in (
        entry.source,
        entry.url,
        entry.canonical_url or "",
        entry.title,
        entry.author or "",
        str(entry.published),
        entry.summary,
        entry.content,
        entry.html,
        entry.language,
        repr(entry.images),
        repr(entry.links),
        repr(sorted(entry.extra.items())),
    ):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _seconds(fn: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def _reason(exc: JianbaoError) -> str:
    """The message without the "source 'x':" prefix: reports and the sources table name the source already."""
    return exc.reason if isinstance(exc, SourceError) else exc.message


def _shareable(url: str) -> bool:
    """True for a store other processes can open too (not an in-memory SQLite database)."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite":
        return True
    return database not in ("", ":memory:") and "mode=memory" not in database


def _plugin_kind(source: Source) -> bool:
    """True when the source's kind came from a plugin (jianbao's own or an installed one), which a worker
    process loads too; a kind registered at run time exists only in this process, so its sources parse here."""
    return kinds.registered_by_plugin(source.kind)  # an unknown kind: False, and parse_source reports it here


