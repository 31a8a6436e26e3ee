"""The two jobs the CLI, the web desk and tests share: ``ingest`` (sources → stored entries) and ``build``
(stored entries → a composed, rendered issue). Each stage is a pure function; this module is the glue and
the only place that touches the store and the file system for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jianbao.config import Config, SourceSettings
from jianbao.errors import JianbaoError, SourceError
from jianbao.records import Issue, Source, Story
from jianbao.store import Store

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


def ingest(
    store: Store,
    sources: Sequence[Source],
    *,
    config: Config,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> IngestReport:
    """Read every enabled source, parse, understand and store its entries; one bad source never stops the rest."""
    from jianbao import sources as kinds
    from jianbao.extract import understand

    report = IngestReport()
    stored = {s.name: s for s in store.list_sources()}
    fetched_at = now or dt.datetime.now(dt.UTC)
    remote: list[tuple[Source, list[str]]] = []
    for source in sources:
        if not source.enabled:
            continue
        if _is_local(source.url):
            rep = SourceReport(source.name)
            report.sources.append(rep)
            try:
                payload = kinds.read_local(source)
                _store_payload(
                    store, source, payload, url=source.url, fetched=fetched_at, rep=rep, understand=understand
                )
                store.record_fetch(source.name, ok=True)
            except JianbaoError as exc:
                rep.error = getattr(exc, "reason", exc.message)
                store.record_fetch(source.name, ok=False, error=exc.message)
            if progress:
                progress(source.name, 1)
        else:
            state = stored.get(source.name, source)
            try:
                urls = kinds.get_kind(source.kind).requests(state)
            except JianbaoError as exc:
                report.sources.append(SourceReport(source.name, error=exc.message))
                continue
            remote.append((state, urls))
    if remote:
        _ingest_remote(
            store,
            remote,
            config=config,
            report=report,
            progress=progress,
            fetched=fetched_at,
            understand=understand,
        )
    return report


def _ingest_remote(
    store: Store,
    remote: list[tuple[Source, list[str]]],
    *,
    config: Config,
    report: IngestReport,
    progress: Progress | None,
    fetched: dt.datetime,
    understand: Callable[..., Any],
) -> None:
    from jianbao.fetch import FetchRequest, FetchSettings, fetch_all_sync

    settings = FetchSettings(
        global_concurrency=config.fetch.concurrency,
        per_host_concurrency=config.fetch.per_host,
        read_timeout=config.fetch.timeout,
        retries=config.fetch.retries,
        max_bytes=config.fetch.max_bytes,
    )
    if config.fetch.user_agent:
        settings.user_agent = config.fetch.user_agent
    requests: list[FetchRequest] = []
    owners: list[Source] = []
    for source, urls in remote:
        for i, url in enumerate(urls):
            # Validators belong to the source's main URL; extra pages are fetched unconditionally.
            requests.append(
                FetchRequest(
                    url=url,
                    source=source.name,
                    etag=source.etag if i == 0 else None,
                    last_modified=source.last_modified if i == 0 else None,
                    kind="page" if source.kind == "page" else "feed",
                )
            )
            owners.append(source)
    results = fetch_all_sync(
        requests, settings=settings, on_done=(lambda r: progress(r.url, 1)) if progress else None
    )
    by_source: dict[str, SourceReport] = {}
    for source, result in zip(owners, results, strict=True):
        rep = by_source.setdefault(source.name, SourceReport(source.name))
        store.log_attempts(result.attempts)
        if not result.ok:
            rep.error = result.error or f"HTTP {result.status}"
            continue
        if result.not_modified:
            rep.not_modified = True
            continue
        try:
            _store_payload(
                store,
                source,
                result.content,
                url=result.final_url or result.url,
                fetched=fetched,
                rep=rep,
                understand=understand,
            )
        except JianbaoError as exc:
            rep.error = getattr(exc, "reason", exc.message)
    for source, _urls in remote:
        rep = by_source.setdefault(source.name, SourceReport(source.name))
        report.sources.append(rep)
        first = next((r for s, r in zip(owners, results, strict=True) if s.name == source.name), None)
        if rep.error:
            store.record_fetch(source.name, ok=False, error=rep.error)
        else:
            store.record_fetch(
                source.name,
                ok=True,
                etag=first.etag if first else None,
                last_modified=first.last_modified if first else None,
            )


def _store_payload(
    store: Store,
    source: Source,
    payload: bytes,
    *,
    url: str,
    fetched: dt.datetime,
    rep: SourceReport,
    understand: Callable[..., Any],
) -> None:
    from jianbao import sources as kinds

    parsed = kinds.parse_source(source, payload, url=url, fetched=fetched)
    rep.problems.extend(parsed.problems)
    entries = []
    for entry in parsed.entries:
        entry.fetched = entry.fetched or fetched
        entries.append(understand(entry))
    counts = store.upsert_entries(entries)
    rep.new += counts.new
    rep.updated += counts.updated
    rep.unchanged += counts.unchanged


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
