"""The two jobs the CLI, the web desk and tests share: ``ingest`` (sources → stored entries) and ``build``
(stored entries → a composed, rendered issue). Each stage is a pure function; this module is the glue and
the only place that touches the store and the file system for them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jianbao.config import Config, SourceSettings
from jianbao.errors import JianbaoError, SourceError
from jianbao.records import Entry, Issue, Source, Story
from jianbao.store import Store

log = logging.getLogger(__name__)

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

Progress = Callable[[str, int], None]  # (label, advance)


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
    return Source(
        name=settings.name,
        url=settings.url,
        kind=settings.kind,
        title=settings.title,
        region=settings.region,
        weight=settings.weight,
        enabled=settings.enabled,
        options=dict(settings.options),
    )


def _is_local(url: str) -> bool:
    return not url.startswith(("http://", "https://"))


Timings = dict[str, float]
_STAGES = ("fetch", "parse", "understand", "store", "total")


def fetch_settings(config: Config) -> Any:
    """The fetch layer's settings from the ``[fetch]`` section (``timeout`` bounds reads; one attempt as a
    whole, body included, gets three times that, so a trickling server cannot hold a run for minutes)."""
    from jianbao.fetch import FetchSettings

    timeout = config.fetch.timeout
    settings = FetchSettings(
        global_concurrency=config.fetch.concurrency,
        per_host_concurrency=config.fetch.per_host,
        connect_timeout=min(10.0, timeout),
        read_timeout=timeout,
        total_timeout=3 * timeout,
        retries=config.fetch.retries,
        max_bytes=config.fetch.max_bytes,
    )
    if config.fetch.user_agent:
        settings.user_agent = config.fetch.user_agent
    return settings


def _reason(exc: JianbaoError) -> str:
    """The message without the "source 'x':" prefix: reports and the sources table name the source already."""
    return exc.reason if isinstance(exc, SourceError) else exc.message


@dataclass(slots=True)
class _Plan:
    """One source's fetch: its requests (the first carries the conditional-GET validators)."""

    source: Source
    requests: list[Any]


def ingest(
    store: Store,
    sources: Sequence[Source],
    *,
    config: Config,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    timings: Timings | None = None,
) -> IngestReport:
    """Read every enabled source, parse, understand and store its entries; one bad source never stops the rest.

    Each source is stored as soon as its documents are in, in one transaction, and its fetch state (the
    ETag) is recorded only after that commit: a crash at any point leaves the store consistent, and the
    next run fetches again whatever was not committed (it cannot get a 304 for entries it never stored).
    An entry its parser gives exactly as last time (same ``raw_hash``, same owning source) is counted
    unchanged without being understood or written again.
    ``timings``, when given, accumulates seconds per stage: parse, understand, store (summed over
    sources), total (wall clock) and fetch (the wall time not spent in the other three stages, i.e. the
    network wait they did not overlap).
    """
    from jianbao import sources as kinds
    from jianbao.fetch import FetchRequest

    started = time.perf_counter()
    clock = timings if timings is not None else {}
    for stage in _STAGES:
        clock.setdefault(stage, 0.0)
    busy_before = clock["parse"] + clock["understand"] + clock["store"]
    report = IngestReport()
    stored = {s.name: s for s in store.list_sources()}
    fetched_at = now or dt.datetime.now(dt.UTC)
    plans: list[_Plan] = []
    for source in sources:
        if not source.enabled:
            continue
        rep = SourceReport(source.name)
        report.sources.append(rep)
        if _is_local(source.url):
            try:
                docs = [(source.url, kinds.read_local(source))]
            except JianbaoError as exc:
                rep.error = _reason(exc)
                store.record_fetch(source.name, ok=False, error=rep.error)
            else:
                _store_source(store, source, docs, rep=rep, fetched=fetched_at, clock=clock)
                if not rep.error:
                    store.record_fetch(source.name, ok=True)
            if progress:
                progress(source.name, 1)
            continue
        state = stored.get(source.name, source)
        try:
            urls = kinds.get_kind(source.kind).requests(state)
        except JianbaoError as exc:
            rep.error = _reason(exc)
            store.record_fetch(source.name, ok=False, error=rep.error)
            continue
        kind = "page" if source.kind == "page" else "feed"
        # Validators belong to the source's main URL; the extra pages of a page source are fetched plainly.
        requests = [
            FetchRequest(
                url=url,
                source=source.name,
                kind=kind,
                etag=state.etag if i == 0 else None,
                last_modified=state.last_modified if i == 0 else None,
            )
            for i, url in enumerate(urls)
        ]
        plans.append(_Plan(state, requests))
    if plans:
        reports = {rep.name: rep for rep in report.sources}
        asyncio.run(
            _run_remote(
                store,
                plans,
                config=config,
                reports=reports,
                progress=progress,
                fetched=fetched_at,
                clock=clock,
            )
        )
    clock["total"] += time.perf_counter() - started
    busy = clock["parse"] + clock["understand"] + clock["store"] - busy_before
    clock["fetch"] += max(0.0, time.perf_counter() - started - busy)
    return report


async def _run_remote(
    store: Store,
    plans: list[_Plan],
    *,
    config: Config,
    reports: dict[str, SourceReport],
    progress: Progress | None,
    fetched: dt.datetime,
    clock: Timings,
) -> None:
    """Fetch all sources concurrently; each source is parsed and stored (one at a time, in a worker thread
    so the fetches go on) as soon as all its documents are in."""
    from jianbao.fetch import Fetcher, FetchResult

    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="jianbao-store") as worker:
        async with Fetcher(fetch_settings(config)) as fetcher:

            async def one_request(req: Any) -> FetchResult:
                try:
                    result = await fetcher.fetch(req)
                except Exception as exc:  # a bug in one fetch must not sink the other sources
                    log.exception("fetch of %s failed unexpectedly", req.url)
                    result = FetchResult(
                        url=req.url, final_url=req.url, source=req.source, error=f"internal error: {exc!r}"
                    )
                if progress:
                    progress(req.url, 1)
                return result

            async def one_source(plan: _Plan) -> None:
                results = await asyncio.gather(*(one_request(r) for r in plan.requests))
                await loop.run_in_executor(
                    worker,
                    functools.partial(
                        _finish_remote,
                        store,
                        plan,
                        list(results),
                        rep=reports[plan.source.name],
                        fetched=fetched,
                        clock=clock,
                    ),
                )

            await asyncio.gather(*(one_source(p) for p in plans))


def _finish_remote(
    store: Store, plan: _Plan, results: list[Any], *, rep: SourceReport, fetched: dt.datetime, clock: Timings
) -> None:
    """Log the attempts, store the source's entries, then (only then) record its fetch state."""
    source = plan.source
    attempts = [a for r in results for a in r.attempts]
    try:
        store.log_attempts(attempts)
    except JianbaoError as exc:
        rep.problems.append(f"fetch log not written: {exc.message}")
    docs: list[tuple[str, bytes]] = []
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
    _store_source(
        store, source, docs, rep=rep, fetched=fetched, clock=clock, failures=failures, total=len(results)
    )
    first = results[0]
    try:
        if rep.error:
            store.record_fetch(source.name, ok=False, error=rep.error)
        else:
            store.record_fetch(
                source.name,
                ok=True,
                etag=first.etag if first.ok else None,
                last_modified=first.last_modified if first.ok else None,
            )
    except JianbaoError as exc:
        rep.error = rep.error or exc.message


def _store_source(
    store: Store,
    source: Source,
    docs: list[tuple[str, bytes]],
    *,
    rep: SourceReport,
    fetched: dt.datetime,
    clock: Timings,
    failures: list[str] | None = None,
    total: int = 1,
) -> None:
    """Parse and understand every document of one source, then store all its entries in one transaction.

    The source fails (``rep.error``, one line) when none of its documents gave anything usable; a page
    source with several URLs where only some failed keeps the others and lists the failures as problems.
    """
    from jianbao import sources as kinds
    from jianbao.extract import understand

    failures = list(failures or [])
    many = total > 1
    entries: dict[str, Entry] = {}
    skipped: set[str] = set()
    for url, payload in docs:
        t0 = time.perf_counter()
        try:
            parsed = kinds.parse_source(source, payload, url=url, fetched=fetched)
        except JianbaoError as exc:
            reason = _reason(exc)
            failures.append(f"{url}: {reason}" if many else reason)
            continue
        except Exception as exc:  # a parser bug on odd input fails this source, not the run
            log.exception("parsing %s of %s failed unexpectedly", url, source.name)
            failures.append(f"{url}: internal error: {exc!r}" if many else f"internal error: {exc!r}")
            continue
        finally:
            clock["parse"] = clock.get("parse", 0.0) + time.perf_counter() - t0
        rep.problems.extend(parsed.problems)
        t0 = time.perf_counter()
        raw = [(_key(entry), raw_hash(entry), entry) for entry in parsed.entries]
        stored = _stored_raw_hashes(store, [key for key, _hash, _entry in raw])
        clock["store"] = clock.get("store", 0.0) + time.perf_counter() - t0
        t0 = time.perf_counter()
        for key, digest, entry in raw:
            if key in entries or key in skipped:
                continue  # one row per canonical URL: a feed listing an article twice keeps the first
            if stored.get(key) == (source.name, digest):
                skipped.add(key)  # parsed exactly as last time: what is stored is what understand would give
                continue
            entry.fetched = entry.fetched or fetched
            understood = understand(entry)
            understood.extra["raw_hash"] = digest
            entries[understood.canonical_url or understood.url] = understood
        clock["understand"] = clock.get("understand", 0.0) + time.perf_counter() - t0
    rep.unchanged += len(skipped)
    if failures and (len(failures) >= total or not many):
        rep.error = failures[0] if len(failures) == 1 else f"{failures[0]} (and {len(failures) - 1} more)"
    else:
        rep.problems.extend(failures)
    if not entries:
        return
    t0 = time.perf_counter()
    try:
        counts = store.upsert_entries(list(entries.values()))
    except JianbaoError as exc:
        rep.error = exc.message
        return
    finally:
        clock["store"] = clock.get("store", 0.0) + time.perf_counter() - t0
    rep.new += counts.new
    rep.updated += counts.updated
    rep.unchanged += counts.unchanged


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


def _key(entry: Entry) -> str:
    """The canonical URL ``understand`` will give the entry: the store's key for it."""
    from jianbao.urls import canonical_url

    return entry.canonical_url or canonical_url(entry.url) or entry.url


def _stored_raw_hashes(store: Store, keys: list[str]) -> dict[str, tuple[str, str | None]]:
    """The store's raw hashes of these keys; none when it cannot tell (the skip is only a shortcut)."""
    if not keys:
        return {}
    try:
        return store.raw_hashes(keys)
    except Exception:  # a failing read must not fail the source: the write reports real store errors
        log.warning("cannot read stored raw hashes; understanding every entry", exc_info=True)
        return {}


# --------------------------------------------------------------------------- build
@dataclass(slots=True)
class BuildResult:
    issue: Issue
    picks: list[Any]
    stories: list[Story]
    files: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    usage: str | None = None


def window(day: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    """The candidate window in China time: the `days` calendar days ending with the issue date."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=CHINA)
    return end - dt.timedelta(days=days), end


class NothingToBuild(JianbaoError):
    """The store holds no entry in the issue's window: an empty issue would help nobody."""


def gather_stories(
    store: Store, *, config: Config, day: dt.date, fmt: str, require_entries: bool = False
) -> list[Story]:
    """Cluster the window's entries into stories, mark what history already covered, and score them."""
    from jianbao.cluster import HistoryStory, cluster_entries, match_history
    from jianbao.select import score_story

    settings = config.weekly if fmt == "weekly" else config.daily
    start, end = window(day, settings.window_days)
    entries = store.entries_between(start, end)
    if require_entries and not entries:
        raise NothingToBuild(
            f"no entries published between {start:%Y-%m-%d} and {end - dt.timedelta(days=1):%Y-%m-%d} in the store",
            hint="run `jianbao fetch` first, or pick another --date (`jianbao demo` shows the bundled samples)",
        )
    from jianbao.enrich import apply_stored_meta, enrich_links, fetch_settings_for

    if config.enrich.enabled:  # off by default: offline builds (and the demo) make no request
        enrich_links(store, entries, config.enrich, fetch_settings=fetch_settings_for(config))
    apply_stored_meta(store, entries)  # whatever the store knows, with or without this run's lookups
    cluster_settings = _cluster_settings(config)
    stories = cluster_entries(entries, settings=cluster_settings)
    history = [
        HistoryStory(
            id=f"{h.issue_id}#{h.position}",
            title=h.title,
            text=h.text,
            keys=h.keys,
            published=h.date,
            issue_id=h.issue_id,
        )
        for h in store.history(before=day, days=settings.history_days)
    ]
    stories = match_history(
        stories, history, today=day, window_days=settings.history_days, settings=cluster_settings
    )
    weights = {s.name: s.weight for s in store.list_sources()}
    for story in stories:
        score_story(
            story,
            today=day,
            window_days=settings.window_days,
            weights=weights,
            interests=config.select.interests,
            fmt=fmt,
        )
    return stories


def _cluster_settings(config: Config) -> Any:
    import dataclasses

    from jianbao.cluster import ClusterSettings

    known = {f.name for f in dataclasses.fields(ClusterSettings)}
    return ClusterSettings(**{k: v for k, v in config.cluster.model_dump().items() if k in known})


def build(
    store: Store,
    *,
    config: Config,
    day: dt.date,
    fmt: str = "weekly",
    out_dir: Path | None = None,
    formats: Sequence[str] | None = None,
    use_llm: bool | None = None,
) -> BuildResult:
    """Build the issue for `day` from the stored entries, write its files and save it as a draft.

    ``use_llm``: None uses the LLM when one is configured (``[llm]`` or ``JIANBAO_LLM_*``), True insists
    (a ConfigError without one), False never does. The LLM writes Chinese titles and summaries, decides
    sections the rules are unsure of and the issue's one-liner and 朋友圈 text; every failure falls back to
    the extractive result with one line in ``BuildResult.warnings``; ``BuildResult.usage`` says what it cost.
    """
    from jianbao import render as renderers
    from jianbao.compose import compose_weekly, finalize_intro
    from jianbao.render.markdown import render_weekly
    from jianbao.select import rank
    from jianbao.summarize.story import summarize_story

    if fmt != "weekly":
        from jianbao.daily import build_daily

        return build_daily(store, config=config, day=day, out_dir=out_dir, formats=formats, use_llm=use_llm)
    from jianbao.summarize.build import SectionDecider, client_for, rewrite_extras, rewrite_items

    client = client_for(config, use_llm=use_llm, cache=store)
    stories = gather_stories(store, config=config, day=day, fmt=fmt, require_entries=True)
    sources = {s.name: s for s in store.list_sources()}
    lo, hi = config.weekly.summary_chars

    def summarize(story: Story, _fmt: str) -> str:
        return summarize_story(story, min_chars=lo, max_chars=hi)

    decider = None
    if client is not None:
        names = [rule.name for rule in config.weekly.sections]
        decider = SectionDecider(client, names, config.weekly.other_name)
    issue, picks = compose_weekly(
        rank(stories), day=day, config=config, sources=sources, summarize=summarize, decide=decider
    )
    result = BuildResult(issue=issue, picks=picks, stories=stories)
    if client is not None and decider is not None:
        result.warnings += decider.warnings
        by_id = {s.id: s for s in stories}
        titles = {name: src.display_name for name, src in sources.items()}
        result.warnings += rewrite_items(
            issue, by_id, client, fmt="weekly", source_name=lambda n: titles.get(n, n)
        )
        result.warnings += rewrite_extras(issue, client)
        result.usage = client.format_usage()
    finalize_intro(issue, lambda i: render_weekly(i, other_name=config.weekly.other_name))
    markdown = render_weekly(issue, other_name=config.weekly.other_name)
    store.save_issue(issue, markdown=markdown)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = f"AI简报{day:%Y%m%d}"
        for name in formats or config.output.formats:
            renderer = renderers.get_renderer(name)
            text = (
                markdown
                if name == "markdown"
                else renderer.render(issue, other_name=config.weekly.other_name)
            )
            path = out_dir / f"{stem}{renderer.suffix}"
            path.write_text(text, encoding="utf-8")
            result.files[name] = path
    return result


def sources_from_config(config: Config) -> list[Source]:
    sources = [to_source(s) for s in config.sources]
    names = [s.name for s in sources]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise SourceError(sorted(dupes)[0], "defined twice in the config")
    return sources
