"""The weekly "AI 简报": numbered items under the editor's sections, a trailing 其他 list, and a computed 导读.

Its sections are the editor's: ``[weekly] sections`` in jianbao.toml, defined with their defaults (AI 前沿,
有趣的开源项目, 福利), rules and quotas in ``config.WeeklySettings.sections``; each prints as ``# name``. The
heading of the trailing link list is ``[weekly] other_name``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from jianbao.config import Config, SectionRule, WeeklySettings
from jianbao.editions.base import Edition, SectionSpec
from jianbao.hookspecs import hookimpl
from jianbao.issue.compose import (
    Pick,
    chinese_first,
    display_source,
    entry_url,
    names_any,
    story_links,
    story_urls,
)
from jianbao.issue.item_text import Budget, Summarize, entry_text, is_voiced, weekly_extractive
from jianbao.issue.moments import Moments
from jianbao.issue.section import Decider, Placement, Reach, SectionDecider, place, tags_for
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
    """Number the biggest stories, best first, under the configured sections; the rest of the best go to 其他.

    1. **Leads**: the best ``[weekly] lead_items`` stories are numbered whatever the quotas say.
    2. **The rest**, best first, until ``max_items``: each in the section its rules place it in under the
       section's quota. A story the rules are unsure of (no section reaches ``section_min_score``: a model
       launch is neither a paper nor a repository) goes to the section whose rule gave it the most evidence,
       the first section when none gave any: the size of a story decides that it is numbered, its evidence
       only where (a story with no text at all stays in 其他: there is nothing to summarise). A story
       scoring under ``min_share`` of the best story is not numbered (a filler does not take a slot because
       a section has room), and one the LLM sends to 其他 stays there.
    3. **English only**: a story with no Chinese report and nothing to translate it (no LLM) is never
       numbered when ``[weekly] english_only = "other"`` — a lead included: an English abstract or a
       one-line gloss is not a summary an editor signs. It heads 其他 instead (it is among the best), and
       its lead place is not handed down: a lead is one of the week's biggest stories, which the next one
       is not (the same as a lead with no text at all). ``"gloss"`` numbers it with its Chinese gloss.
    4. **其他**: the next best, ``other_max`` of them, never one that names a numbered story's links.

    A pick's reason says which evidence placed it; a 其他 pick says why it is not numbered (its section was
    full, the issue was full, it was too weak, it is English only, or the LLM chose 其他). The weekly has
    no trending table (``trending`` is ignored); repositories compete for 有趣的开源项目."""
    weekly = config.weekly
    rules = weekly.sections
    chosen: dict[str, list[Story]] = {rule.name: [] for rule in rules}
    picks: list[Pick] = []
    rest: list[tuple[Story, str | Callable[[], str]]] = []  # not numbered, best first, with why (or how to tell)
    top = ranked[0].score if ranked else 0.0
    counts = {name: 0 for name in chosen}  # a new one each time a story is numbered: the rest keep theirs
    quota = {rule.name: rule.quota for rule in rules}
    reach = _reach(counts, quota, config)  # the sections with room: a story none can take is not placed
    for index, story in enumerate(ranked):
        numbered = sum(counts.values())
        lead = index < weekly.lead_items
        if (decide is None or numbered >= weekly.max_items) and (
            numbered >= weekly.max_items
            or (not lead and story.score < weekly.min_share * top)
            # With nothing to ask, a story no section with room can take (``Reach``) is in the rest whatever
            # else it is: a section the window cannot fill no longer has every story placed to find out.
            or (decide is None and not lead and not reach.may_place(story, sources))
        ):
            # Not numbered whatever its section, and nothing to ask: why is worked out only if it is listed.
            rest.append((story, functools.partial(
                _why_not, story, config=config, sources=sources, summarize=summarize, lead=lead,
                numbered=numbered, counts=counts, top=top,
            )))  # fmt: skip
        else:
            placement = place(story, rules, sources=sources, min_score=weekly.section_min_score)
            asked = decide is not None and placement.unsure and numbered < weekly.max_items
            if asked and decide is not None:
                placement = decide(story, placement)
            name, reason = _placed(
                story, placement, config=config, summarize=summarize, lead=lead, asked=asked, numbered=numbered,
                counts=counts, top=top,
            )  # fmt: skip
            if name is None:
                rest.append((story, reason))
            else:
                chosen[name].append(story)
                counts = {name: len(stories) for name, stories in chosen.items()}
                reach = _reach(counts, quota, config)
                picks.append(Pick(story, name, reason, parts=dict(story.score_parts)))
        if sum(counts.values()) >= weekly.max_items and len(rest) >= 2 * weekly.other_max:
            break  # enough for 其他 even when some of the rest repeat a numbered story
    sections, by_story = _number(chosen, rules, config=config, sources=sources, summarize=summarize)
    named = set().union(*(story_urls(s) for stories in chosen.values() for s in stories))
    others: list[Story] = []
    for story, told in rest:
        if names_any(story, named):
            why = told() if callable(told) else told
            picks.append(Pick(story, None, f"a repeat of a numbered story; {why}", parts=dict(story.score_parts), left_out=True))
        elif len(others) < weekly.other_max:
            others.append(story)
            named |= story_urls(story)
            picks.append(Pick(story, None, told() if callable(told) else told, parts=dict(story.score_parts)))
    other = [
        OtherLink(title=lead.title, url=entry_url(lead), source=display_source(lead, sources))
        for lead in (chinese_first(s).entries[0] for s in others)
    ]
    for pick in picks:
        pick.item = by_story.get(pick.story.id)
    issue = Issue(date=day, format=WEEKLY.name, title=WEEKLY.issue_title_of(day), sections=sections, other=other)
    return issue, picks


def _reach(counts: Mapping[str, int], quota: Mapping[str, int], config: Config) -> Reach:
    """Which stories the sections with room (fewer than their quota) may take."""
    room = {name for name, count in counts.items() if count < quota[name]}
    return Reach.of(config.weekly.sections, room, min_score=config.weekly.section_min_score)


def _placed(
    story: Story,
    placement: Placement,
    *,
    config: Config,
    summarize: Summarize,
    lead: bool,
    asked: bool,
    numbered: int,
    counts: Mapping[str, int],
    top: float,
) -> tuple[str | None, str]:
    """The section a story is numbered in (None: the rest) and why, given where the rules (or the LLM,
    ``asked``) place it and how full the issue is (``numbered`` items, ``counts`` per section)."""
    weekly = config.weekly
    name, reason = placement.section, placement.reason
    if name is None and (lead or not asked) and any(entry_text(e).strip() for e in story.entries):
        name = _best_section(placement.scores, weekly.sections)
        reason = f"no rule sure, best evidence: {reason}"
    if lead:
        reason = f"lead (top {weekly.lead_items}); {reason}"
    quota = {rule.name: rule.quota for rule in weekly.sections}
    if name is None:
        return None, reason
    if weekly.english_only == "other" and not is_voiced(summarize, story):
        # No Chinese report and no LLM to translate: its English text is never a summary here.
        return None, f"English only, nothing to translate it; would be {name}: {reason}"
    if numbered >= weekly.max_items:
        return None, f"issue full ({weekly.max_items} items); would be {name}: {reason}"
    if not lead and counts[name] >= quota[name]:
        return None, f"{name} full ({quota[name]}); {reason}"
    if not lead and story.score < weekly.min_share * top:
        share = f"{story.score:.2f} < {weekly.min_share:g} × best {top:.2f}"
        return None, f"too weak to number ({share}); would be {name}: {reason}"
    return name, reason


def _why_not(
    story: Story,
    *,
    config: Config,
    sources: Mapping[str, Source],
    summarize: Summarize,
    lead: bool,
    numbered: int,
    counts: Mapping[str, int],
    top: float,
) -> str:
    """Why a story that could not be numbered (the issue was full, or it is too weak) was not: its placement
    is read only for the few the issue lists (``compose_weekly``)."""
    placement = place(story, config.weekly.sections, sources=sources, min_score=config.weekly.section_min_score)
    name, reason = _placed(
        story, placement, config=config, summarize=summarize, lead=lead, asked=False, numbered=numbered,
        counts=counts, top=top,
    )  # fmt: skip
    assert name is None, "a story deferred as not numbered was placed"
    return reason


def _best_section(scores: Mapping[str, float], rules: Sequence[SectionRule]) -> str:
    """The section whose rule gave a story the most evidence, the first one on a tie or when none gave any."""
    best = max((rule.name for rule in rules), key=lambda name: scores.get(name, 0.0), default=rules[0].name)
    return best if scores.get(best, 0.0) > 0 else rules[0].name


def _number(
    chosen: Mapping[str, list[Story]],
    rules: Sequence[SectionRule],
    *,
    config: Config,
    sources: Mapping[str, Source],
    summarize: Summarize,
) -> tuple[list[Section], dict[str, Item]]:
    """The numbered sections in config order, each story best first, and the item of each story."""
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
    return sections, by_story


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
