"""朋友圈 text: a title line, three to five one-line highlights and a pointer, under 300 characters."""

from __future__ import annotations

import re
from typing import Any

from jianbao.records import Issue, Item
from jianbao.render import Renderer, register
from jianbao.render.sanitize import clean_text

LIMIT = 300  # characters, the whole text included
MAX_LINE = 40  # a highlight longer than this wraps on a phone and stops being one line
DAILY_POINTER = "👉 完整早报见评论区"
WEEKLY_POINTER = "👉 全文见公众号"
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _plain(text: str) -> str:
    text = _MD_LINK.sub(r"\1", clean_text(text))
    text = re.sub(r"\*\*|__|`", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _trim(text: str, limit: int) -> str:
    """One sentence, at most ``limit`` characters, an ellipsis when cut mid-sentence."""
    text = _SENTENCE_END.split(text, maxsplit=1)[0].strip(" ，,：:—-")
    if len(text) <= limit:
        return text
    clause = max(text.rfind(mark, 0, limit + 1) for mark in "，,；;：:")
    if clause >= limit // 2:  # a whole clause reads better than a cut word
        return text[:clause].rstrip(" ，,：:—-")
    return text[: max(limit - 1, 1)].rstrip(" ，,：:—-") + "…"


def highlight(item: Item, *, limit: int = MAX_LINE) -> str:
    """``实体：标题`` when the entity is not already in the title, else the title alone."""
    title = _plain(item.title)
    entity = _plain(item.entity or "")
    if entity and entity.lower() not in title.lower() and not entity.startswith("["):
        title = f"{entity}：{title}"
    return _trim(title, limit)


def _compose(title: str, items: list[Item], pointer: str) -> str:
    picks = [i for i in items if _plain(i.title)][:5]
    fixed = len(title) + len(pointer) + 4  # the two blank lines around the highlights
    per_line = MAX_LINE
    if picks:
        per_line = min(MAX_LINE, (LIMIT - 1 - fixed) // len(picks) - 1)
    lines = [h for h in (highlight(i, limit=per_line) for i in picks) if h]
    return "\n".join([title, "", *lines, "", pointer])


def _own(issue: Issue) -> str | None:
    """The issue's own 朋友圈 text (imported, edited, or the LLM's) when it fits the limit."""
    from jianbao.render.daily import defang_links

    own = defang_links(clean_text(issue.moments or "")).strip()
    return own if own and len(own) < LIMIT - 1 else None  # with the final newline, still under LIMIT


def daily_moments(issue: Issue) -> str:
    """The issue's own 朋友圈 text when it has a usable one, else one built from its items."""
    return _own(issue) or built_daily_moments(issue)


def built_daily_moments(issue: Issue) -> str:
    """The 朋友圈 text built from the daily's items alone (what a build stores when no LLM wrote one)."""
    return _compose(f"🤖 AI早报 {issue.date:%m/%d}", issue.items, DAILY_POINTER)


def weekly_moments(issue: Issue) -> str:
    """As the daily: the issue's own text first (an LLM writes one for the weekly too)."""
    return _own(issue) or _compose(f"📰 AI 简报 {issue.date:%Y%m%d} 期", issue.items, WEEKLY_POINTER)


def render_moments(issue: Issue, **_: Any) -> str:
    text = daily_moments(issue) if issue.format == "daily" else weekly_moments(issue)
    return text + "\n"


register(Renderer("moments", ".txt", render_moments))
