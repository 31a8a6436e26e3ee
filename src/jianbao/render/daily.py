"""The daily's Markdown lines, in the layout of the 2026 archive: 🔴/🟡 item lines, GitHub 趋势 rows, the date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from jianbao.editions.base import PRIORITY_MARKS
from jianbao.records import Item, TrendingRow
from jianbao.render.sanitize import clean_text, safe_url
from jianbao.render.text import LABELS, defang_links, mdclean, mdlink, mdtext, mdurl

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# Link texts the importer reads as "just a link", not as another outlet, so a re-import keeps the sources.
EXTRA_LINK_TEXT = "链接"
_REPO_RE = re.compile(r"[\w.-]+/[\w.-]+")


def daily_date(day: dt.date) -> str:
    return f"{day:%Y-%m-%d}（{WEEKDAYS[day.weekday()]}）"


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
        label = mdtext(clean_text(link.label or LABELS.get(link.kind, "")))
        parts.append(f"{label + ' ' if label else ''}[{EXTRA_LINK_TEXT}]({mdurl(url)})")
    return f"（{'；'.join(parts)}）" if parts else ""


def daily_line(
    item: Item, mark: str = PRIORITY_MARKS["yellow"], covered: Callable[[str], str] | None = None
) -> str:
    """One 🔴/🟡 line: ``🟡 **[Outlet / Outlet]** [headline](url) — what happened（extra links）``.

    The item's own priority gives the mark, else the section's ``mark``. An update of a story an earlier issue
    ran reads ``「更新」[headline](url) — what happened（已在 8/20 早报报道）``: ``covered`` words the pointer
    (the edition's ``covered``). An imported item keeps its own Markdown (``item.body``) so that importing the
    output again gives the same item; it still loses any HTML and unsafe link targets on the way.
    """
    mark = PRIORITY_MARKS.get(item.priority, mark) if item.priority else mark
    if item.body:
        return f"{mark} {mdtext(defang_links(clean_text(item.body)))}"
    head: list[str] = [mark]
    names = outlets(item)
    if names:
        head.append(f"**[{' / '.join(names)}]**")
    title = defang_links(clean_text(item.title))
    url = safe_url(item.url)
    headline = f"[{mdlink(title)}]({mdurl(url)})" if url else mdlink(title)
    head.append(f"「更新」{headline}" if item.is_update else headline)
    line = " ".join(head)
    summary = mdclean(item.summary)
    if summary:
        line += f" — {summary}"
    if item.is_update and item.update_of and covered is not None:
        line += f"（{covered(item.update_of)}）"
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
        if not re.search(r"[。.!！?？）)…]$", desc):  # a cut description already says so with "…"
            line += "。"
    if row.stars is not None:
        line += f"{'' if desc else ' '}⭐{row.stars:,}"
        if row.stars_today:
            line += f"（+{row.stars_today:,} 今日）"
    elif row.stars_today:
        line += f"{'' if desc else ' '}⭐+{row.stars_today:,} 今日"
    return line
