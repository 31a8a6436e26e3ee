"""The enrich stage: look up every paper and repository key once, cache it in the store, apply it to links.

Each kind (arxiv, github, gitee, citation) runs concurrently with its own ``Fetcher``, so a rate-limited
kind stops alone while the others go on. Nothing here raises for network trouble: failures are stored
with a reason and retried once ``failed_days`` have passed.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import datetime as dt
import logging
import os
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from jianbao.config import Config, EnrichSettings
from jianbao.ingestion.boundary import Boundary
from jianbao.ingestion.enrich.arxiv import parse_arxiv_answer, query_url
from jianbao.ingestion.enrich.citation import page_url, parse_citation
from jianbao.ingestion.enrich.repos import RateStop, api_url, parse_repo, rate_stop, request_headers
from jianbao.ingestion.fetch import Clock, Fetcher, FetchRequest, FetchResult, FetchSettings, fetch_settings
from jianbao.records import Entry, Item, Link
from jianbao.store import Store
from jianbao.store.enrich import LinkMeta, get_link_meta, known_link_keys, put_link_meta

__all__ = [
    "KINDS",
    "EnrichReport",
    "KindReport",
    "apply_meta",
    "apply_stored_meta",
    "enrich",
    "enrich_links",
    "fetch_settings_for",
    "is_fresh",
    "key_kind",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

KINDS = ("arxiv", "github", "gitee", "citation")
_PREFIX_KIND = {
    "arxiv": "arxiv",
    "github": "github",
    "gitee": "gitee",
    "openreview": "citation",
    "acl": "citation",
    "cvf": "citation",
    "doi": "citation",
}
_FLUSH_EVERY = 200  # rows buffered before a write, so an interrupted run keeps most of its work

# (kind, advance, total of that kind)
EnrichProgress = Callable[[str, int, int], None]


def key_kind(key: str | None) -> str | None:
    """Which lookup serves a key (``github:a/b`` → github, ``openreview:x`` → citation); None for the rest."""
    if not key or ":" not in key:
        return None
    return _PREFIX_KIND.get(key.split(":", 1)[0])


def is_fresh(meta: LinkMeta, *, settings: EnrichSettings, now: dt.datetime) -> bool:
    """Still good enough to skip a request: papers rarely change, repos daily, failures get retried."""
    if meta.fetched_at is None:
        return False
    if meta.state != "ok":
        days = settings.failed_days
    elif meta.kind in ("github", "gitee"):
        days = settings.repo_days
    else:
        days = settings.paper_days
    return now - meta.fetched_at < dt.timedelta(days=days)


@dataclass(slots=True)
class KindReport:
    fetched: int = 0  # looked up now (including 304 answers)
    not_modified: int = 0  # of which answered 304 (free against GitHub's quota)
    fresh: int = 0  # served from the store, no request
    failed: int = 0
    missing: int = 0  # 404: recorded so it is not asked again before failed_days
    skipped_rate_limited: int = 0
    requests: int = 0  # HTTP attempts, retries included
    stop: str | None = None  # the rate-limit line, when the kind stopped early


@dataclass(slots=True)
class EnrichReport:
    kinds: dict[str, KindReport] = field(default_factory=lambda: {k: KindReport() for k in KINDS})
    notes: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)  # kind → first few failure reasons

    def _sum(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.kinds.values())

    @property
    def fetched(self) -> int:
        return self._sum("fetched")

    @property
    def fresh(self) -> int:
        return self._sum("fresh")

    @property
    def failed(self) -> int:
        return self._sum("failed") + self._sum("missing")

    @property
    def skipped_rate_limited(self) -> int:
        return self._sum("skipped_rate_limited")

    @property
    def requests(self) -> int:
        return self._sum("requests")

    def warnings(self) -> list[str]:
        """One line per rate-limit stop and per kind with failures: what a build prints."""
        lines = list(self.notes)
        for kind, rep in self.kinds.items():
            if rep.failed:
                reasons = self.errors.get(kind) or ["unknown"]
                lines.append(
                    f"{kind}: {rep.failed} lookups failed (e.g. {reasons[0]}); retried on a later run"
                )
        return lines


@dataclass(slots=True)
class _Job:
    key: str
    url: str | None
    previous: LinkMeta | None


class _Sink:
    """Buffers results and writes them to the store in batches."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.rows: list[LinkMeta] = []

    def add(self, meta: LinkMeta) -> None:
        self.rows.append(meta)
        if len(self.rows) >= _FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            put_link_meta(self.store, self.rows)
            self.rows = []


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def fetch_settings_for(config: Config) -> FetchSettings:
    """The fetch layer's settings from the ``[fetch]`` section: the very ones ``ingest`` uses."""
    return fetch_settings(config)


def _plan(
    store: Store,
    *,
    settings: EnrichSettings,
    kinds: Sequence[str],
    stale_only: bool,
    keys: Iterable[str] | dict[str, str | None] | None,
    force: bool,
    now: dt.datetime,
    report: EnrichReport,
) -> dict[str, list[_Job]]:
    if keys is None:
        wanted = known_link_keys(store)
    elif isinstance(keys, dict):
        wanted = dict(keys)
    else:
        wanted = dict.fromkeys(keys)
    if keys is not None and any(v is None for v in wanted.values()):
        known = known_link_keys(store)  # a citation page needs a URL; the store may have one
        wanted = {k: v or known.get(k) for k, v in wanted.items()}
    wanted = {k: v for k, v in wanted.items() if key_kind(k) in kinds}
    stored = get_link_meta(store, wanted)
    jobs: dict[str, list[_Job]] = {k: [] for k in kinds}
    for key in sorted(wanted):
        kind = key_kind(key)
        assert kind is not None
        previous = stored.get(key)
        if previous is None and stale_only:
            continue
        if previous is not None and not force and is_fresh(previous, settings=settings, now=now):
            report.kinds[kind].fresh += 1
            continue
        jobs[kind].append(_Job(key, wanted[key], previous))
    return jobs


def _failed(job: _Job, kind: str, *, status: int | None, error: str, now: dt.datetime) -> LinkMeta:
    """A failure keeps the last good data (so renderers still show it) but is retried sooner."""
    previous = job.previous
    data = dict(previous.data) if previous is not None and status not in (404, 410) else {}
    etag = previous.etag if previous is not None and data else None
    return LinkMeta(job.key, kind, data, status=status, etag=etag, fetched_at=now, error=error)


class _Run:
    """One enrich run: the per-kind coroutines share the report, the sink and the progress callback."""

    def __init__(
        self,
        *,
        settings: EnrichSettings,
        fetch: FetchSettings,
        report: EnrichReport,
        sink: _Sink,
        progress: EnrichProgress | None,
        totals: dict[str, int],
        clock: Clock | None,
    ) -> None:
        self.settings, self.fetch, self.report, self.sink = settings, fetch, report, sink
        self.progress, self.totals, self.clock = progress, totals, clock
        # The API bases are the editor's (configured); a citation page is a link found in content.
        self.boundary = Boundary([settings.arxiv_base, settings.github_api, settings.gitee_api])

    def _done(self, kind: str, meta: LinkMeta | None, n: int = 1) -> None:
        rep = self.report.kinds[kind]
        if meta is not None:
            self.sink.add(meta)
            if meta.state == "ok":
                rep.fetched += 1
            elif meta.state == "missing":
                rep.missing += 1
            else:
                rep.failed += 1
                reasons = self.report.errors.setdefault(kind, [])
                if len(reasons) < 3:
                    reasons.append(f"{meta.key}: {meta.error}")
        if self.progress is not None:
            self.progress(kind, n, self.totals.get(kind, 0))

    def _stop(self, kind: str, stop: RateStop) -> None:
        rep = self.report.kinds[kind]
        if rep.stop is None:
            rep.stop = stop.line(_now())
            self.report.notes.append(rep.stop)

    # -- arXiv: batched, paced, one request at a time --------------------------------------------
    async def arxiv(self, jobs: list[_Job]) -> None:
        s = self.settings
        fs = dataclasses.replace(
            self.fetch,
            per_host_concurrency=1,
            min_delay_per_host=s.arxiv_delay,
            retries=min(self.fetch.retries, 2),
        )
        rep = self.report.kinds["arxiv"]
        async with Fetcher(fs, clock=self.clock, boundary=self.boundary) as fetcher:
            for start in range(0, len(jobs), s.arxiv_batch):
                batch = jobs[start : start + s.arxiv_batch]
                if rep.stop is not None:
                    rep.skipped_rate_limited += len(batch)
                    self._done("arxiv", None, len(batch))
                    continue
                ids = [job.key.split(":", 1)[1] for job in batch]
                result = await fetcher.fetch(
                    FetchRequest(query_url(s.arxiv_base, ids), source="enrich:arxiv", kind="api", configured=True)
                )
                rep.requests += len(result.attempts)
                now = _now()
                stop, refused = rate_stop("arxiv", result.status, result.headers, result.content, now=now)
                if refused or (result.status == 503 and "retry-after" in result.headers):
                    self._stop("arxiv", stop or RateStop("arxiv", None))
                    rep.skipped_rate_limited += len(batch)
                    self._done("arxiv", None, len(batch))
                    continue
                self._arxiv_batch(batch, result, now)

    def _arxiv_batch(self, batch: list[_Job], result: FetchResult, now: dt.datetime) -> None:
        if not result.ok:
            for job in batch:
                self._done(
                    "arxiv",
                    _failed(job, "arxiv", status=result.status, error=result.error or "no answer", now=now),
                )
            return
        try:
            found, errors = parse_arxiv_answer(result.content)
        except ValueError as exc:
            for job in batch:
                self._done(
                    "arxiv",
                    _failed(job, "arxiv", status=result.status, error=f"malformed answer: {exc}", now=now),
                )
            return
        for job in batch:
            arxiv_id = job.key.split(":", 1)[1]
            if arxiv_id in found:
                meta = LinkMeta(job.key, "arxiv", found[arxiv_id], status=result.status, fetched_at=now)
            elif arxiv_id in errors:
                status, reason = errors[arxiv_id]
                meta = _failed(job, "arxiv", status=status, error=reason, now=now)
            else:
                meta = _failed(job, "arxiv", status=None, error="absent from the arXiv answer", now=now)
            self._done("arxiv", meta)

    # -- GitHub / Gitee / citation pages: one request per key, a few in flight ------------------
    async def _each(
        self, kind: str, jobs: list[_Job], fs: FetchSettings, one: Callable[[Fetcher, _Job], Awaitable[None]]
    ) -> None:
        queue = list(reversed(jobs))
        rep = self.report.kinds[kind]

        async def worker(fetcher: Fetcher) -> None:
            while queue:
                job = queue.pop()
                if rep.stop is not None:
                    rep.skipped_rate_limited += 1
                    self._done(kind, None)
                    continue
                await one(fetcher, job)

        async with Fetcher(fs, clock=self.clock, boundary=self.boundary) as fetcher:
            await asyncio.gather(*(worker(fetcher) for _ in range(self.settings.api_concurrency)))

    async def repos(self, kind: str, jobs: list[_Job]) -> None:
        s = self.settings
        token = os.environ.get(s.github_token_env) if kind == "github" and s.github_token_env else None
        # No retries: a 403/429 here means "stop", and retrying would only spend more of the quota.
        fs = dataclasses.replace(self.fetch, retries=0, per_host_concurrency=s.api_concurrency)
        headers = request_headers(kind, token)
        rep = self.report.kinds[kind]

        async def one(fetcher: Fetcher, job: _Job) -> None:
            previous = job.previous if job.previous is not None and job.previous.data else None
            url = api_url(kind, job.key, github_api=s.github_api, gitee_api=s.gitee_api)
            etag = previous.etag if previous is not None else None
            result = await fetcher.fetch(
                FetchRequest(url, source=f"enrich:{kind}", etag=etag, kind="api", headers=headers, configured=True)
            )
            rep.requests += len(result.attempts)
            now = _now()
            stop, refused = rate_stop(kind, result.status, result.headers, result.content, now=now)
            if refused:
                assert stop is not None
                self._stop(kind, stop)
                rep.skipped_rate_limited += 1
                self._done(kind, None)
                return
            if result.not_modified and previous is not None:
                rep.not_modified += 1
                meta = LinkMeta(
                    job.key, kind, dict(previous.data), status=304, etag=previous.etag, fetched_at=now
                )
            elif result.status in (404, 410):
                meta = _failed(job, kind, status=result.status, error="repository not found", now=now)
            elif not result.ok or result.not_modified:
                meta = _failed(job, kind, status=result.status, error=result.error or "no answer", now=now)
            else:
                try:
                    at = previous.fetched_at.isoformat() if previous and previous.fetched_at else None
                    data = parse_repo(
                        kind, result.content, previous.data if previous else None, previous_at=at
                    )
                    meta = LinkMeta(
                        job.key, kind, data, status=result.status, etag=result.etag, fetched_at=now
                    )
                except ValueError as exc:
                    meta = _failed(job, kind, status=result.status, error=str(exc), now=now)
            self._done(kind, meta)
            if stop is not None:
                self._stop(kind, stop)

        await self._each(kind, jobs, fs, one)

    async def citations(self, jobs: list[_Job]) -> None:
        fs = dataclasses.replace(
            self.fetch, retries=min(self.fetch.retries, 1), per_host_concurrency=self.settings.api_concurrency
        )
        rep = self.report.kinds["citation"]

        async def one(fetcher: Fetcher, job: _Job) -> None:
            now = _now()
            url = page_url(job.key, job.url)
            if url is None:
                self._done(
                    "citation", _failed(job, "citation", status=None, error="no page URL known", now=now)
                )
                return
            result = await fetcher.fetch(FetchRequest(url, source="enrich:citation", kind="page"))
            rep.requests += len(result.attempts)
            if result.status == 429:
                stop, _ = rate_stop("citation", 429, result.headers, b"", now=now)
                self._stop("citation", stop or RateStop("citation", None))
                rep.skipped_rate_limited += 1
                self._done("citation", None)
                return
            if result.status in (404, 410):
                meta = _failed(job, "citation", status=result.status, error="page not found", now=now)
            elif not result.ok or result.text is None:
                meta = _failed(
                    job,
                    "citation",
                    status=result.status,
                    error=result.error or "no text in the answer",
                    now=now,
                )
            else:
                try:
                    data = parse_citation(result.text)
                    data["url"] = result.final_url or url
                    meta = LinkMeta(job.key, "citation", data, status=result.status, fetched_at=now)
                except ValueError as exc:
                    meta = _failed(job, "citation", status=result.status, error=str(exc), now=now)
            self._done("citation", meta)

        await self._each("citation", jobs, fs, one)


def _run_coroutine(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run``, or the same in a worker thread when called from inside a running loop (web desk)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def enrich(
    store: Store,
    *,
    settings: EnrichSettings,
    fetch_settings: FetchSettings | None = None,
    kinds: Sequence[str] | None = None,
    stale_only: bool = False,
    keys: Iterable[str] | dict[str, str | None] | None = None,
    force: bool = False,
    progress: EnrichProgress | None = None,
    clock: Clock | None = None,
) -> EnrichReport:
    """Look up every key that is missing from the store or stale, and store what was found.

    ``keys`` limits the run (a mapping may carry each key's URL, which citation pages need); by default
    every key of the store's entry links and published items. ``stale_only`` refreshes stored keys past
    their freshness and skips keys never looked up. ``force`` ignores freshness. ``clock`` is the fetch
    layer's (tests pass one that records the arXiv pacing instead of waiting).
    """
    chosen = tuple(kinds) if kinds else KINDS
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown enrich kind {unknown[0]!r} (one of {', '.join(KINDS)})")
    report = EnrichReport()
    now = _now()
    jobs = _plan(
        store,
        settings=settings,
        kinds=chosen,
        stale_only=stale_only,
        keys=keys,
        force=force,
        now=now,
        report=report,
    )
    if not any(jobs.values()):
        return report
    sink = _Sink(store)
    run = _Run(
        settings=settings,
        fetch=fetch_settings or FetchSettings(),
        report=report,
        sink=sink,
        progress=progress,
        totals={k: len(v) for k, v in jobs.items()},
        clock=clock,
    )

    async def main() -> None:
        tasks: list[Awaitable[None]] = []
        if jobs.get("arxiv"):
            tasks.append(run.arxiv(jobs["arxiv"]))
        for kind in ("github", "gitee"):
            if jobs.get(kind):
                tasks.append(run.repos(kind, jobs[kind]))
        if jobs.get("citation"):
            tasks.append(run.citations(jobs["citation"]))
        await asyncio.gather(*tasks)

    try:
        _run_coroutine(main)
    finally:
        sink.flush()
    return report


def _links(records: Iterable[Entry | Item | Link]) -> Iterable[Link]:
    for record in records:
        if isinstance(record, Link):
            yield record
        else:
            yield from record.links


def enrich_links(
    store: Store,
    records: Sequence[Entry | Item | Link],
    settings: EnrichSettings,
    *,
    fetch_settings: FetchSettings | None = None,
) -> EnrichReport:
    """Enrich the keys of these entries' (or items') links for a build; never raises, warns once per kind."""
    wanted: dict[str, str | None] = {}
    for link in _links(records):
        if link.key is not None and key_kind(link.key) is not None:
            wanted.setdefault(link.key, link.url)
    try:
        report = enrich(store, settings=settings, fetch_settings=fetch_settings, keys=wanted)
    except Exception as exc:  # enrichment is a nicety: a build must never fail because of it
        log.warning("enrich: skipped (%s)", exc)
        report = EnrichReport(notes=[f"enrich skipped: {exc}"])
        return report
    for line in report.warnings():
        log.warning("enrich: %s", line)
    return report


def apply_meta(records: Iterable[Entry | Item | Link], metas: dict[str, LinkMeta]) -> int:
    """Fill ``Link.meta`` from stored metadata (a 404 has none); returns how many links got some."""
    filled = 0
    for link in _links(records):
        meta = metas.get(link.key) if link.key else None
        if meta is not None and meta.data:
            link.meta = dict(meta.data)
            filled += 1
    return filled


def apply_stored_meta(store: Store, records: Sequence[Entry | Item | Link]) -> int:
    """``apply_meta`` with whatever the store already knows: no request is made."""
    keys = {link.key for link in _links(records) if link.key is not None and key_kind(link.key) is not None}
    return apply_meta(records, get_link_meta(store, keys)) if keys else 0
