"""Build an issue: stored entries → stories → a composed, rendered issue saved as a draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jianbao.config import Config
from jianbao.errors import JianbaoError
from jianbao.records import Issue, Story
from jianbao.store import Store

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


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
    from jianbao.issue.select import score_story
    from jianbao.stories.cluster import cluster_entries
    from jianbao.stories.history import HistoryStory, match_history

    settings = config.weekly if fmt == "weekly" else config.daily
    start, end = window(day, settings.window_days)
    entries = store.entries_between(start, end)
    if require_entries and not entries:
        raise NothingToBuild(
            f"no entries published between {start:%Y-%m-%d} and {end - dt.timedelta(days=1):%Y-%m-%d} in the store",
            hint="run `jianbao fetch` first, or pick another --date (`jianbao demo` shows the bundled samples)",
        )
    from jianbao.ingestion.enrich import apply_stored_meta, enrich_links, fetch_settings_for

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

    from jianbao.stories.settings import ClusterSettings

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
    from jianbao.issue.compose import compose_weekly, finalize_intro
    from jianbao.issue.select import rank
    from jianbao.render.markdown import render_weekly
    from jianbao.summarize.story import summarize_story

    if fmt != "weekly":
        from jianbao.editions.daily import build_daily

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
