"""Markdown of the daily "AI 早报" in the layout of the 2026 archive (🔴/🟡 lines, 趋势 list, 洞察, 朋友圈版)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2

from jianbao.records import Issue, Item, TrendingRow
from jianbao.render.markdown import mdlink, mdtext, mdurl
from jianbao.render.sanitize import clean_text, safe_url

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
PRIORITY_EMOJI = {"red": "🔴", "yellow": "🟡", "white": "⚪"}

# (section name as stored, heading as printed, default emoji of its lines)
DAILY_SECTIONS = (
    ("今日精选", "🔥 今日精选", "🔴"),
    ("国际动态", "🌍 国际动态", "🟡"),
    ("中文圈", "🇨🇳 中文圈", "🟡"),
)

# Link texts the importer reads as "just a link", not as another outlet, so a re-import keeps the sources.
EXTRA_LINK_TEXT = "链接"
_LINK_LABELS = {"paper": "论文", "code": "代码", "project": "项目", "video": "视频", "pdf": "论文"}
_MD_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
_REPO_RE = re.compile(r"[\w.-]+/[\w.-]+")


def daily_date(day: Any) -> str:
    return f"{day:%Y-%m-%d}（{WEEKDAYS[day.weekday()]}）"


def defang_links(markdown: str) -> str:
    """Markdown links and images whose target is not http(s)/mailto lose the target (keep their text)."""

    def repl(m: re.Match[str]) -> str:
        if safe_url(m.group(3)):
            return m.group(0)
        return "" if m.group(1) else m.group(2)

    return _MD_LINK_RE.sub(repl, markdown)


def mdclean(text: str | None) -> str:
    """Source text for a Markdown line: no HTML, no unsafe link targets, one line."""
    return mdtext(defang_links(clean_text(text or "")))


def _outlet(name: str) -> str:
    # Brackets would end the **[…]** outlet list early; a re-import must read the same names back.
    return re.sub(r"[\[\]]", "", mdclean(name)).strip()


def outlets(item: Item) -> list[str]:
    names = [_outlet(s) for s in item.sources] or ([_outlet(item.source)] if item.source else [])
    return [n for n in dict.fromkeys(names) if n]


def _extra_links(item: Item) -> str:
    head = safe_url(item.url)
    parts: list[str] = []
    seen = {head}
    for link in item.links:
        url = safe_url(link.url)
        if not url or url in seen:
            continue
        seen.add(url)
        label = mdtext(clean_text(link.label or _LINK_LABELS.get(link.kind, "")))
        parts.append(f"{label + ' ' if label else ''}[{EXTRA_LINK_TEXT}]({mdurl(url)})")
    return f"（{'；'.join(parts)}）" if parts else ""


def daily_line(item: Item, emoji: str = "🟡") -> str:
    """One 🔴/🟡 line: ``🟡 **[Outlet / Outlet]** [headline](url) — what happened（extra links）``.

    An imported item keeps its own Markdown (``item.body``) so that importing the output again gives the
    same item; it still loses any HTML and unsafe link targets on the way.
    """
    mark = PRIORITY_EMOJI.get(item.priority or "", emoji)
    if item.body:
        return f"{mark} {mdtext(defang_links(clean_text(item.body)))}"
    head: list[str] = [mark]
    names = outlets(item)
    if names:
        head.append(f"**[{' / '.join(names)}]**")
    title = defang_links(clean_text(item.title))
    url = safe_url(item.url)
    head.append(f"[{mdlink(title)}]({mdurl(url)})" if url else mdlink(title))
    line = " ".join(head)
    summary = mdclean(item.summary)
    if summary:
        line += f" — {summary}"
    return line + _extra_links(item)


def trending_line(row: TrendingRow) -> str:
    """``- [`owner/repo`](url) — 说明。⭐30,252（+1,234 今日）``; "" for a row that names no repository."""
    repo = clean_text(row.repo).strip()
    if not _REPO_RE.fullmatch(repo):
        return ""
    url = safe_url(row.url) or f"https://github.com/{repo}"
    line = f"- [`{repo}`]({mdurl(url)})"
    desc = mdclean(row.desc).replace("⭐", "").strip()
    if desc:
        line += f" — {desc}"
        if not re.search(r"[。.!！?？）)]$", desc):
            line += "。"
    if row.stars is not None:
        line += f"{'' if desc else ' '}⭐{row.stars:,}"
        if row.stars_today:
            line += f"（+{row.stars_today:,} 今日）"
    elif row.stars_today:
        line += f"{'' if desc else ' '}⭐+{row.stars_today:,} 今日"
    return line


def daily_sections(issue: Issue) -> list[dict[str, Any]]:
    """The three item sections in archive order; any other section the issue holds follows them."""
    known = {name: (heading, emoji) for name, heading, emoji in DAILY_SECTIONS}
    by_name = {s.name: s for s in issue.sections}
    order = [name for name, _, _ in DAILY_SECTIONS] + [s.name for s in issue.sections if s.name not in known]
    out = []
    for name in order:
        section = by_name.get(name)
        if section is None or not section.items:
            continue
        heading, emoji = known.get(name, (name, "🟡"))
        out.append({"heading": heading, "emoji": emoji, "entries": section.items})
    return out


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("jianbao.render", "templates"),
        autoescape=False,  # Markdown output; every source string passes through clean_text instead
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        daily_date=daily_date, daily_line=daily_line, trending_line=trending_line, mdclean=mdclean
    )
    return env


def render_daily(issue: Issue, **_: Any) -> str:
    """The daily issue as Markdown; the 朋友圈版 is the issue's own text or, failing that, computed."""
    from jianbao.render.moments import daily_moments

    insights = [text for text in (mdclean(i) for i in issue.insights) if text]
    moments = daily_moments(issue)
    text = (
        _env()
        .get_template("daily.md.j2")
        .render(
            issue=issue,
            sections=daily_sections(issue),
            trending=[line for line in map(trending_line, issue.trending) if line],
            insights=insights,
            moments=moments,
        )
    )
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
