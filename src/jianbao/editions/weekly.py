"""The weekly "AI 简报": numbered items under the editor's sections, a trailing 其他 list, and a computed 导读.

Its sections are the editor's: ``[weekly] sections`` in jianbao.toml, defined with their defaults (AI 前沿,
有趣的开源项目, 福利), rules and quotas in ``config.WeeklySettings.sections``; each prints as ``# name``. The
heading of the trailing link list is ``[weekly] other_name``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from jianbao.config import Config, WeeklySettings
from jianbao.editions.base import Edition, SectionSpec
from jianbao.hookspecs import hookimpl
from jianbao.issue.compose import Pick, chinese_first, display_source, entry_url, story_links
from jianbao.issue.item_text import Budget, Summarize, is_voiced, weekly_extractive
from jianbao.issue.moments import Moments
from jianbao.issue.section import Decider, SectionDecider, place, tags_for
from jianbao.records import Issue, Item, OtherLink, Section, Source, Story, TrendingRow

if TYPE_CHECKING:  # pragma: no cover
    from jianbao.summarize.llm import LLMClient


def weekly_item(
    story: Story,
    *,
    section: str,
    config: Config,
    sources: Mapping[str, Source],
    summarize: Summarize,
    number: int = 0,
) -> Item:
    """An item told by the story's best Chinese report, tagged by ``[weekly] tags``, with 另见 links to the
    story's other reports."""
    story = chinese_first(story)
    best = story.entries[0]
    tags = tags_for(f"{best.title}\n{best.summary}", config.weekly.tags)
    if story.state == "update":
        tags = ["更新", *tags]
    images = next((e.images[:1] for e in story.entries if e.images), [])
    also = [
        OtherLink(title=e.title, url=entry_url(e), source=display_source(e, sources))
        for e in story.entries[1:4]
        if entry_url(e) != entry_url(best)
    ]
    return Item(
        title=best.title,
        url=entry_url(best),
        source=display_source(best, sources),
        section=section,
        number=number,
        tags=tags,
        summary=summarize(story),
        images=list(images),
        links=story_links(story),
        story_id=story.id,
        also=also,
        is_update=story.state == "update",
        update_of=story.published_in[-1] if story.state == "update" and story.published_in else None,
        sources=[display_source(e, sources) for e in story.entries],
    )


def compose_weekly(
    ranked: Sequence[Story],
    *,
    day: dt.date,
    config: Config,
    sources: Mapping[str, Source],
    summarize: Summarize,
    trending: Sequence[TrendingRow] = (),
    decide: Decider | None = None,
) -> tuple[Issue, list[Pick]]:
    """Fill the configured sections best-first under their quotas; the rest of the best go to 其他.

    A pick's reason says which rule evidence placed it; a 其他 pick says why it is not numbered: its
    section was full, the issue was full, no rule had enough evidence ("weak …" / "no rule"), or the story
    has no Chinese report and nothing will translate it (``[weekly] english_only = "other"``). The weekly
    has no trending table (``trending`` is ignored); repositories compete for 有趣的开源项目."""
    weekly = config.weekly
    rules = weekly.sections
    chosen: dict[str, list[Story]] = {rule.name: [] for rule in rules}
    quota = {rule.name: rule.quota for rule in rules}
    picks: list[Pick] = []
    others: list[Story] = []
    total = 0
    for story in ranked:
        placement = place(story, rules, sources=sources, min_score=weekly.section_min_score)
        if decide is not None and placement.unsure and total < weekly.max_items:
            placement = decide(story, placement)
        name = placement.section
        if name is not None and weekly.english_only == "other" and not is_voiced(summarize, story):
            # No Chinese report and no LLM to translate: its English text is never a summary here.
            placement = dataclasses.replace(placement, section=None, reason=f"English only; {placement.reason}")
            name = None
        if name is not None and total < weekly.max_items and len(chosen[name]) < quota[name]:
            chosen[name].append(story)
            total += 1
            picks.append(Pick(story, name, placement.reason, parts=dict(story.score_parts)))
        elif len(others) < weekly.other_max:
            others.append(story)
            if name is None:
                why = placement.reason
            elif total >= weekly.max_items:
                why = f"issue full ({weekly.max_items} items); would be {name}: {placement.reason}"
            else:
                why = f"{name} full ({quota[name]}); {placement.reason}"
            picks.append(Pick(story, None, why, parts=dict(story.score_parts)))
        if total >= weekly.max_items and len(others) >= weekly.other_max:
            break
    sections: list[Section] = []
    number = 0
    by_story: dict[str, Item] = {}
    for rule in rules:
        items = []
        for story in chosen[rule.name]:
            number += 1
            item = weekly_item(
                story, section=rule.name, number=number, config=config, sources=sources, summarize=summarize
            )
            items.append(item)
            by_story[story.id] = item
        if items:
            sections.append(Section(rule.name, items))
    other = [
        OtherLink(title=lead.title, url=entry_url(lead), source=display_source(lead, sources))
        for lead in (chinese_first(s).entries[0] for s in others)
    ]
    for pick in picks:
        pick.item = by_story.get(pick.story.id)
    issue = Issue(date=day, format=WEEKLY.name, title=WEEKLY.issue_title_of(day), sections=sections, other=other)
    return issue, picks


def _sections(config: Config) -> tuple[SectionSpec, ...]:
    """``[weekly] sections``, each printed under its own name."""
    return tuple(SectionSpec(rule.name, rule.name) for rule in config.weekly.sections)


def _suggest(story: Story, config: Config) -> str | None:
    """The section the rules place a candidate in (the desk's list), None for the 其他 list."""
    return place(story, config.weekly.sections).section


def _pick_section(story: Story, issue: Issue, config: Config) -> str:
    """A picked story goes where the rules place it, else into the last section."""
    return _suggest(story, config) or _sections(config)[-1].name


def _decider(client: LLMClient, config: Config) -> SectionDecider:
    return SectionDecider(client, [rule.name for rule in config.weekly.sections], config.weekly.other_name)


def _render_options(config: Config | None) -> dict[str, Any]:
    """The heading of the 其他 list: ``[weekly] other_name``, or its default without a configuration."""
    other = config.weekly.other_name if config else WeeklySettings.model_fields["other_name"].default
    return {"other_name": other}


def _settings(config: Config) -> WeeklySettings:
    return config.weekly


def _budget(config: Config) -> Budget:
    """``[weekly] summary_chars`` and ``summary_paragraphs``: the article's lead, 2–4 paragraphs like the seeds."""
    (low, high), (least, most) = config.weekly.summary_chars, config.weekly.summary_paragraphs
    return Budget(low, high, least, most)


WEEKLY = Edition(
    name="weekly",
    title="AI 简报",
    issue_title="{title} {day:%Y%m%d} 期",
    short_title="{title} {day:%Y%m%d}",
    file_name="AI简报{day:%Y%m%d}",
    template="weekly.md.j2",
    settings=_settings,
    budget=_budget,
    configured_sections=_sections,
    compose=compose_weekly,
    item=weekly_item,
    extractive=weekly_extractive,
    computes_intro=True,
    moments=Moments(title="📰 AI 简报 {day:%Y%m%d} 期", pointer="👉 全文见公众号"),
    decider=_decider,
    suggest=_suggest,
    pick_section=_pick_section,
    render_options=_render_options,
    covered_note="已在 {day:%Y%m%d} 期简报报道",
)


@hookimpl
def register_editions(register: Callable[[Edition], None]) -> None:
    """A built-in edition, registered through the same hook as a plugin's."""
    register(WEEKLY)
