"""The daily "AI 早报": 今日精选 (🔴) and 国际动态 / 中文圈 (🟡) lines, a 今日一句话, the GitHub 今日趋势 table and the
朋友圈版, as in the 2026 archive.

The best ``[daily] top_items`` stories of the day are 今日精选; the rest fill 国际动态 and 中文圈 by the region of
their best report (``issue.section.region_of``), ``[daily] region_items`` each. Repository pages go to the
trending table, never among the news.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence

from jianbao.config import Config, DailySettings
from jianbao.editions.base import Edition, SectionSpec, TrendingTable
from jianbao.hookspecs import hookimpl
from jianbao.issue.compose import Pick, chinese_first, display_source, entity_of, entry_url, story_links
from jianbao.issue.item_text import Summarize, daily_extractive, first_sentence, is_voiced, trim_sentences
from jianbao.issue.moments import Moments, moments_text
from jianbao.issue.section import Decider, region_of
from jianbao.issue.select import Scoring
from jianbao.records import Issue, Item, Priority, Section, Source, Story, TrendingRow
from jianbao.render.sanitize import clean_text
from jianbao.urls import link_kind

TOP = SectionSpec("今日精选", "🔥 今日精选", "red")
WORLD = SectionSpec("国际动态", "🌍 国际动态", "yellow")
CHINA = SectionSpec("中文圈", "🇨🇳 中文圈", "yellow")
REGION_SECTIONS: Mapping[str, SectionSpec] = {"国际": WORLD, "中文圈": CHINA}  # a story's region → its section

_CJK_RE = re.compile(r"[\u3400-\u9fff]")


def one_liner(items: Sequence[Item]) -> str | None:
    """``<entity>：<title>`` of the top item with a Chinese headline, one sentence, no LLM needed; None when
    no item has one (an English headline never speaks for a Chinese issue)."""
    top = next((item for item in items if _CJK_RE.search(item.title)), None)
    if top is None:
        return None
    first = first_sentence(top.title)
    title = trim_sentences(first, max_chars=80).rstrip("。.")
    entity = top.entity or ""
    line = title if not entity or entity.lower() in title.lower() else f"{entity}：{title}"
    return line + ("" if re.search(r"[。！？!?]$", line) else "。")


def is_repo_only(story: Story) -> bool:
    """A story whose every entry is a repository page (a repo list's item, a trending row): it belongs in the
    trending table or 有趣的开源项目, never in 今日精选 ahead of the day's news."""
    return bool(story.entries) and all(link_kind(e.url) == "code" for e in story.entries)


def daily_item(
    story: Story,
    *,
    section: str,
    sources: Mapping[str, Source],
    summarize: Summarize,
    config: Config | None = None,
    priority: Priority | None = None,
) -> Item:
    """One 🔴/🟡 line: outlets, entity, headline and summary; ``priority`` defaults to the section's."""
    best = story.entries[0]
    # The 早报 is written in Chinese but links the original, as the archive does ("[中文标题](英文原文)"):
    # when the best report is not Chinese and the story has a Chinese one, that report gives the headline
    # and the summary, and the original keeps the link.
    retold = chinese_first(story)
    told = retold.entries[0]
    outlets = list(dict.fromkeys(display_source(e, sources) for e in story.entries))[:3]
    return Item(
        title=clean_text(told.title).strip(),
        url=entry_url(best),  # the link readers get: tracking parameters and session keys removed
        source=" / ".join(outlets),
        section=section,
        summary=summarize(retold),
        links=story_links(story),
        story_id=story.id,
        is_update=story.state == "update",
        update_of=story.published_in[-1] if story.state == "update" and story.published_in else None,
        priority=priority or DAILY.priority_of(section),
        entity=entity_of(told.title, fallback=outlets[0] if outlets else ""),
        sources=outlets,
    )


def _quotas(config: Config) -> dict[str, int]:
    return {TOP.name: config.daily.top_items, WORLD.name: config.daily.region_items,
            CHINA.name: config.daily.region_items}  # fmt: skip


def compose_daily(
    ranked: Sequence[Story],
    *,
    day: dt.date,
    config: Config,
    sources: Mapping[str, Source],
    summarize: Summarize,
    trending: Sequence[TrendingRow] = (),
    decide: Decider | None = None,
) -> tuple[Issue, list[Pick]]:
    """Best ``top_items`` stories go to 今日精选 (🔴); the rest fill 国际动态 / 中文圈 (🟡) by the region
    of their best entry's source, ``region_items`` each. The daily places by region, never asks an LLM
    (``decide`` is ignored); a story with no Chinese report that nothing will translate is left out when
    ``[daily] english_only = "drop"``."""
    quota = _quotas(config)
    chosen: dict[str, list[Story]] = {spec.name: [] for spec in DAILY.sections}
    picks: list[Pick] = []
    for story in ranked:
        if not story.entries:
            continue
        if is_repo_only(story):
            # A repository page is not news: it belongs in the GitHub 趋势 table (or the weekly's
            # 有趣的开源项目), never in the daily's news sections.
            picks.append(
                Pick(story, None, "a repository, not headline news", parts=dict(story.score_parts), left_out=True)
            )
            continue
        if config.daily.english_only == "drop" and not is_voiced(summarize, story):
            why = "English only, nothing to translate it"
            picks.append(Pick(story, None, why, parts=dict(story.score_parts), left_out=True))
            continue
        if len(chosen[TOP.name]) < quota[TOP.name]:
            name, reason = TOP.name, "top score"
        else:
            region = region_of(story, sources)
            name = REGION_SECTIONS.get(region, WORLD).name
            reason = f"region {region}"
            if len(chosen[name]) >= quota[name]:
                continue
        chosen[name].append(story)
        picks.append(Pick(story, name, reason, parts=dict(story.score_parts)))
        if all(len(chosen[k]) >= quota[k] for k in chosen):
            break
    by_story: dict[str, Item] = {}
    sections: list[Section] = []
    for name, stories in chosen.items():
        items = [daily_item(s, section=name, sources=sources, summarize=summarize) for s in stories]
        for story, item in zip(stories, items, strict=True):
            by_story[story.id] = item
        if items:
            sections.append(Section(name, items))
    for pick in picks:
        pick.item = by_story.get(pick.story.id)
    issue = Issue(
        date=day,
        format=DAILY.name,
        title=DAILY.issue_title_of(day),
        sections=sections,
        trending=list(trending),
        insights=[],  # written by an LLM or an editor; without one the 💡 block is left out
    )
    issue.one_liner = one_liner(issue.items)
    issue.moments = moments_text(issue, DAILY.moments)
    return issue, picks


def _pick_section(story: Story, issue: Issue, config: Config) -> str:
    """A picked story leads 今日精选 while that is empty, else joins 国际动态."""
    top_filled = any(s.name == TOP.name and s.items for s in issue.sections)
    return WORLD.name if top_filled else TOP.name


def _settings(config: Config) -> DailySettings:
    return config.daily


DAILY = Edition(
    name="daily",
    title="AI 早报",
    issue_title="{title} {day:%Y-%m-%d}",
    short_title="{title} {day:%Y.%m.%d}",
    file_name="AI早报{day:%Y%m%d}",  # not the archive's AI简报…: the weekly of the same date shares the folder
    template="daily.md.j2",
    settings=_settings,
    sections=(TOP, WORLD, CHINA),
    default_priority="yellow",
    compose=compose_daily,
    item=daily_item,
    extractive=daily_extractive,
    one_liner=one_liner,
    insights=True,
    trending=TrendingTable(source_kind="github_trending", rows=lambda config: config.daily.trending_items),
    moments=Moments(title="🤖 AI早报 {day:%m/%d}", pointer="👉 完整早报见评论区", follows_items=True),
    scoring=Scoring(sources=1.2, links=0.25),
    llm_style="daily",
    titled_by_date=True,
    pick_section=_pick_section,
    covered_note="已在 {day.month}/{day.day} 早报报道",
)


@hookimpl
def register_editions(register: Callable[[Edition], None]) -> None:
    """A built-in edition, registered through the same hook as a plugin's."""
    register(DAILY)
