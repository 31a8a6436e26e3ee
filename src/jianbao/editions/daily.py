"""Build the daily "AI 早报": stories of the day → 今日精选 / 国际动态 / 中文圈, GitHub 今日趋势, one-liner, 朋友圈."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from jianbao.config import Config
from jianbao.issue.compose import Pick, display_source, story_links
from jianbao.issue.section import region_of
from jianbao.records import Entry, Issue, Item, Priority, Section, Source, Story, TrendingRow
from jianbao.render.sanitize import clean_text

TRENDING_KIND = "github_trending"
SECTION_TOP, SECTION_WORLD, SECTION_CHINA = "今日精选", "国际动态", "中文圈"

Summarizer = Callable[[Story], str]

_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9.+\-]*(?:['’]s)?|\d+(?:\.\d+)*[A-Za-z]*")
_SENTENCE_RE = re.compile(r".+?(?:[。！？!?]|[.;](?=\s|$)|$)", re.DOTALL)
# Capitalised words that start English headlines without naming anything.
_COMMON = frozenset(
    {
        "a", "an", "the", "this", "that", "these", "those", "how", "why", "what", "when", "where", "who",
        "which", "new", "our", "my", "your", "its", "here", "there", "researchers", "scientists", "study",
        "report", "reports", "exclusive", "breaking", "update", "updates", "introducing", "announcing", "inside",
        "meet", "ask", "show", "tell", "launch", "launches", "building", "using", "open", "ai", "llm", "llms",
        "api", "gpu", "gpus", "ml", "agi", "agent", "agents", "model", "models",
    }
)  # fmt: skip


# --------------------------------------------------------------------------- pure helpers
def entity_of(title: str, *, fallback: str = "") -> str:
    """A short bold name for the story: the first run of capitalised Latin words (a model or company
    name such as ``DeepSeek V4`` or ``Google DeepMind``), else ``fallback`` (the outlet)."""
    text = clean_text(title)
    words: list[tuple[str, int, int]] = [
        (m.group(0), m.start(), m.end()) for m in _LATIN_TOKEN.finditer(text)
    ]
    run: list[str] = []
    last_end = -1
    for word, start, end in words:
        bare = re.sub(r"['’]s$", "", word)
        joined = last_end >= 0 and text[last_end:start].strip() == ""
        named = (bare[:1].isupper() or bare[:1].isdigit() or any(c.isupper() for c in bare[1:])) and (
            bare.lower() not in _COMMON
        )
        if run and not joined:
            break
        if named and (run or not bare[:1].isdigit()):
            run.append(bare)
            last_end = end
            if word != bare or len(run) == 3:
                break
        elif run:
            break
    name = " ".join(run).strip(" .-")
    return name or fallback


def trim_sentences(text: str, *, max_chars: int) -> str:
    """Whole sentences from the start of ``text``, as many as fit in ``max_chars`` (at least one, cut)."""
    text = re.sub(r"\s+", " ", clean_text(text)).strip()
    if len(text) <= max_chars:
        return text
    out = ""
    for m in _SENTENCE_RE.finditer(text):
        sentence = m.group(0).strip()
        if len(out) + len(sentence) + 1 > max_chars:
            break
        out = f"{out} {sentence}".strip() if out and re.search(r"[.!?;]$", out) else out + sentence
    if not out:
        out = text[: max_chars - 1].rstrip(" ，,：:") + "…"
    return out


def one_liner(items: Sequence[Item]) -> str | None:
    """``<entity>：<title>`` of the top item, one sentence, no LLM needed."""
    if not items:
        return None
    top = items[0]
    first = next(iter(_SENTENCE_RE.findall(clean_text(top.title).strip())), "")
    title = trim_sentences(first, max_chars=80).rstrip("。.")
    entity = top.entity or ""
    line = title if not entity or entity.lower() in title.lower() else f"{entity}：{title}"
    return line + ("" if re.search(r"[。！？!?]$", line) else "。")


def trending_rows(entries: Sequence[Entry], *, limit: int) -> list[TrendingRow]:
    """One row per repository (its latest entry), most stars gained first, then most stars."""
    latest: dict[str, Entry] = {}
    for entry in entries:
        repo = str(entry.extra.get("repo") or entry.title or "").strip()
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
            continue
        seen = latest.get(repo)
        stamp = entry.fetched or entry.published
        if seen is None or (stamp and (seen.fetched or seen.published or stamp) <= stamp):
            latest[repo] = entry

    def gained(entry: Entry) -> int:
        return int(entry.extra.get("stars_period") or entry.extra.get("stars_gained") or 0)

    ordered = sorted(
        latest.items(), key=lambda kv: (-gained(kv[1]), -int(kv[1].extra.get("stars") or 0), kv[0])
    )
    return [
        TrendingRow(
            repo=repo,
            url=f"https://github.com/{repo}",
            desc=trim_sentences(entry.summary or entry.extra.get("description") or "", max_chars=80),
            stars=int(entry.extra["stars"]) if entry.extra.get("stars") is not None else None,
            stars_today=gained(entry) or None,
            language=entry.extra.get("language"),
        )
        for repo, entry in ordered[:limit]
    ]


def is_repo_only(story: Story) -> bool:
    """A story whose every entry is a repository page (a repo list's item, a trending row): it belongs in the
    trending table or 有趣的开源项目, never in 今日精选 ahead of the day's news."""
    from jianbao.urls import link_kind

    return bool(story.entries) and all(link_kind(e.url) == "code" for e in story.entries)


def daily_item(
    story: Story,
    *,
    section: str,
    priority: Priority,
    sources: Mapping[str, Source],
    summarize: Summarizer,
) -> Item:
    best = story.entries[0]
    # The 早报 is written in Chinese but links the original, as the archive does ("[中文标题](英文原文)"):
    # when the best report is not Chinese and the story has a Chinese one, that report gives the headline
    # and the summary, and the original keeps the link.
    told = next((e for e in story.entries if e.language == "zh"), best) if best.language != "zh" else best
    retold = dataclasses.replace(story, entries=[told, *(e for e in story.entries if e is not told)])
    outlets = list(dict.fromkeys(display_source(e, sources) for e in story.entries))[:3]
    return Item(
        title=clean_text(told.title).strip(),
        url=best.url,
        source=" / ".join(outlets),
        section=section,
        summary=summarize(retold),
        links=story_links(story),
        story_id=story.id,
        is_update=story.state == "update",
        priority=priority,
        entity=entity_of(told.title, fallback=outlets[0] if outlets else ""),
        sources=outlets,
    )


def compose_daily(
    ranked: Sequence[Story],
    *,
    day: dt.date,
    config: Config,
    sources: Mapping[str, Source],
    trending: Sequence[TrendingRow] = (),
    summarize: Summarizer,
) -> tuple[Issue, list[Pick]]:
    """Best ``top_items`` stories go to 今日精选 (🔴); the rest fill 国际动态 / 中文圈 (🟡) by the region
    of their best entry's source, ``region_items`` each."""
    settings = config.daily
    chosen: dict[str, list[Story]] = {SECTION_TOP: [], SECTION_WORLD: [], SECTION_CHINA: []}
    quota = {
        SECTION_TOP: settings.top_items,
        SECTION_WORLD: settings.region_items,
        SECTION_CHINA: settings.region_items,
    }
    picks: list[Pick] = []
    for story in ranked:
        if not story.entries:
            continue
        if is_repo_only(story):
            # A repository page is not news: it belongs in the GitHub 趋势 table (or the weekly's
            # 有趣的开源项目), never in the daily's news sections.
            picks.append(Pick(story, None, "a repository, not headline news", parts=dict(story.score_parts)))
            continue
        if len(chosen[SECTION_TOP]) < quota[SECTION_TOP]:
            name, reason = SECTION_TOP, "top score"
        else:
            region = region_of(story, sources)
            name = SECTION_CHINA if region == "中文圈" else SECTION_WORLD
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
        priority: Priority = "red" if name == SECTION_TOP else "yellow"
        items = [
            daily_item(s, section=name, priority=priority, sources=sources, summarize=summarize)
            for s in stories
        ]
        for story, item in zip(stories, items, strict=True):
            by_story[story.id] = item
        if items:
            sections.append(Section(name, items))
    for pick in picks:
        pick.item = by_story.get(pick.story.id)
    issue = Issue(
        date=day,
        format="daily",
        title=f"AI 早报 {day:%Y-%m-%d}",
        sections=sections,
        trending=list(trending),
        insights=[],  # written by an LLM or an editor; without one the 💡 block is left out
    )
    issue.one_liner = one_liner(issue.items)
    from jianbao.render.moments import daily_moments

    issue.moments = daily_moments(issue)
    return issue, picks


def extractive_summarizer(*, min_chars: int, max_chars: int) -> Summarizer:
    """The best entry's text summarised by TextRank, or its feed summary trimmed to whole sentences."""
    try:
        from jianbao.summarize import summarize as textrank
    except ImportError:  # pragma: no cover - the summariser ships with the package
        textrank = None

    def run(story: Story) -> str:
        best = story.entries[0]
        text = best.content or best.summary
        if textrank is not None and text.strip():
            found = textrank(text, title=best.title, min_chars=min_chars, max_chars=max_chars)
            if found:
                return clean_text(found)
        return trim_sentences(best.summary or best.content, max_chars=max_chars)

    return run


def daily_stem(day: dt.date) -> str:
    """File stem of the daily's outputs. Not the archive's ``AI简报YYYYMMDD``: the weekly of the same date is
    written to the same folder (``jianbao demo`` builds both) and would be overwritten."""
    return f"AI早报{day:%Y%m%d}"


# --------------------------------------------------------------------------- I/O edge
def trending_entries(
    store: object, names: Sequence[str], start: dt.datetime, end: dt.datetime
) -> list[Entry]:
    """Trending rows carry no publication date, so they are found by fetch time: the window's, or when the
    window has none (a snapshot read later, as in the demo), the latest fetch before the window ends or after."""
    from sqlalchemy import func, select

    from jianbao.store import schema as t
    from jianbao.store import utc_naive as _utc_naive

    if not names:
        return []
    entries = t.entries.c
    mine = entries.source.in_(list(names))
    dated = (entries.published >= _utc_naive(start)) & (entries.published < _utc_naive(end))
    fetched = (
        entries.published.is_(None)
        & (entries.fetched >= _utc_naive(start))
        & (entries.fetched < _utc_naive(end))
    )
    with store.engine.connect() as conn:  # type: ignore[attr-defined]
        ids = [
            row[0]
            for row in conn.execute(select(entries.id).where(mine & (dated | fetched)).order_by(entries.id))
        ]
        if not ids:
            latest = conn.execute(
                select(func.max(entries.fetched)).where(mine & entries.published.is_(None))
            ).scalar()
            if latest is not None:
                query = select(entries.id).where(
                    mine & entries.published.is_(None) & (entries.fetched == latest)
                )
                ids = [row[0] for row in conn.execute(query.order_by(entries.id))]
    return store.get_entries(ids)  # type: ignore[attr-defined]


def build_daily(
    store: object,
    *,
    config: Config,
    day: dt.date,
    out_dir: Path | None = None,
    formats: Sequence[str] | None = None,
    use_llm: bool | None = None,
) -> object:
    """Build the 早报 for ``day`` from stored entries, save it as a draft and write its files.

    With an LLM (``use_llm`` True, or None and configured) items get Chinese titles and summaries and the
    issue its one-liner, insights and 朋友圈 text; anything the LLM fails at keeps the extractive version.
    Returns a ``jianbao.issue.build.BuildResult``.
    """
    from jianbao.summarize.build import client_for, rewrite_extras, rewrite_items

    client = client_for(config, use_llm=use_llm, cache=store)  # type: ignore[arg-type]
    from jianbao import render as renderers
    from jianbao.issue.build import BuildResult, gather_stories, window
    from jianbao.issue.select import rank
    from jianbao.render.daily import render_daily

    sources = {s.name: s for s in store.list_sources()}  # type: ignore[attr-defined]
    trending_names = [name for name, s in sources.items() if s.kind == TRENDING_KIND]
    stories = gather_stories(store, config=config, day=day, fmt="daily", require_entries=True)  # type: ignore[arg-type]
    # A story told only by trending rows belongs in the table, not among the news lines.
    news = [s for s in stories if s.entries and any(e.source not in trending_names for e in s.entries)]
    for story in news:
        story.entries.sort(key=lambda e: e.source in trending_names)  # a news entry leads the item
    start, end = window(day, config.daily.window_days)
    rows = trending_rows(
        trending_entries(store, trending_names, start, end), limit=config.daily.trending_items
    )
    lo, hi = config.daily.summary_chars
    issue, picks = compose_daily(
        rank(news), day=day, config=config, sources=sources, trending=rows,
        summarize=extractive_summarizer(min_chars=lo, max_chars=hi),
    )  # fmt: skip
    result = BuildResult(issue=issue, picks=picks, stories=stories)
    if client is not None:
        by_id = {s.id: s for s in news}
        names = {name: src.display_name for name, src in sources.items()}
        result.warnings += rewrite_items(
            issue, by_id, client, fmt="daily", source_name=lambda n: names.get(n, n)
        )
        result.warnings += rewrite_extras(issue, client)
        from jianbao.render.moments import daily_moments

        issue.moments = daily_moments(issue)
        result.usage = client.format_usage()
    if not issue.items:
        result.warnings.append(f"no stories for the daily of {day}: nothing fetched in the window?")
    markdown = render_daily(issue)
    store.save_issue(issue, markdown=markdown)  # type: ignore[attr-defined]
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = daily_stem(day)
        for name in formats or config.output.formats:
            renderer = renderers.get_renderer(name)
            text = markdown if name == "markdown" else renderer.render(issue)
            path = out_dir / f"{stem}{renderer.suffix}"
            path.write_text(text, encoding="utf-8")
            result.files[name] = path
    return result
