"""Compose ranked stories into an ``Issue``: sections under their quotas, numbering, the 其他 list, items
built from each story's best entry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from jianbao.config import Config
from jianbao.issue.item_text import Summarizer
from jianbao.issue.section import Placement, place, tags_for
from jianbao.records import Entry, Issue, Item, Link, OtherLink, Section, Source, Story

Decider = Callable[[Story, Placement], Placement]  # a second opinion (the LLM) when the rules are unsure


@dataclass(slots=True)
class Pick:
    """Why a story is where it is: for ``jianbao build --explain`` and the web desk."""

    story: Story
    section: str | None  # None: the 其他 list
    reason: str
    item: Item | None = None
    parts: dict[str, float] = field(default_factory=dict)


_LINK_ORDER = {"paper": 0, "code": 1, "project": 2}


def story_links(story: Story, *, limit: int = 3) -> list[Link]:
    """Paper, code and project links of all the story's entries, one per key, papers first."""
    seen: set[str] = set()
    found: list[Link] = []
    for entry in story.entries:
        for link in entry.links:
            if link.kind not in _LINK_ORDER:
                continue
            ident = link.key or link.url
            if ident in seen or link.url == entry.url:
                continue
            seen.add(ident)
            found.append(link)
    found.sort(key=lambda link: _LINK_ORDER[link.kind])  # stable: keeps discovery order within a kind
    return found[:limit]


def entry_url(entry: Entry) -> str:
    """The link readers get: the canonical URL (tracking parameters and WeChat session keys removed)."""
    return entry.canonical_url or entry.url


def display_source(entry: Entry, sources: Mapping[str, Source]) -> str:
    src = sources.get(entry.source)
    return src.display_name if src else entry.source


def chinese_first(story: Story) -> Story:
    """The story with its best Chinese report in front when its best report is not Chinese.

    The weekly is a Chinese briefing whose items are the Chinese articles (公众号 and media) about an
    event, linking them and naming their outlet; an English original then appears under 另见.
    """
    best = story.entries[0] if story.entries else None
    if best is None or best.language == "zh":
        return story
    told = next((e for e in story.entries if e.language == "zh"), None)
    if told is None:
        return story
    return dataclasses.replace(story, entries=[told, *(e for e in story.entries if e is not told)])


def build_item(
    story: Story,
    *,
    section: str,
    number: int,
    fmt: str,
    config: Config,
    sources: Mapping[str, Source],
    summarize: Summarizer,
) -> Item:
    if fmt == "weekly":
        story = chinese_first(story)
    best = story.entries[0]
    text = f"{best.title}\n{best.summary}"
    tags = tags_for(text, config.weekly.tags) if fmt == "weekly" else []
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
        sources=[display_source(e, sources) for e in story.entries],
    )


def compose_weekly(
    ranked: Sequence[Story],
    *,
    day: dt.date,
    config: Config,
    sources: Mapping[str, Source],
    summarize: Summarizer,
    decide: Decider | None = None,
) -> tuple[Issue, list[Pick]]:
    """Fill the configured sections best-first under their quotas; the rest of the best go to 其他.

    A pick's reason says which rule evidence placed it; a 其他 pick says why it is not numbered: its
    section was full, the issue was full, or no rule had enough evidence ("weak …" / "no rule")."""
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
            item = build_item(
                story,
                section=rule.name,
                number=number,
                fmt="weekly",
                config=config,
                sources=sources,
                summarize=summarize,
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
    issue = Issue(date=day, format="weekly", title=f"AI 简报 {day:%Y%m%d} 期", sections=sections, other=other)
    return issue, picks
