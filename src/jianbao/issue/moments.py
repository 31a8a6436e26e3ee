"""朋友圈 text of an issue: a title line, three to five one-line highlights and a pointer, under 300 characters.

Each edition gives its title line and pointer (``Moments``); the text is the issue's own (imported, edited or
the LLM's) when it fits, else built from the items.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from jianbao.records import Issue, Item
from jianbao.render.sanitize import clean_text
from jianbao.render.text import defang_links

LIMIT = 300  # characters, the whole text included
MAX_LINE = 40  # a highlight longer than this wraps on a phone and stops being one line
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True, slots=True)
class Moments:
    """An edition's 朋友圈 text: its title line (a ``str.format`` template of ``day``) and its pointer.

    ``follows_items``: the build keeps the computed text with the issue, and the desk recomputes it when the
    items change (unless someone wrote their own); otherwise it is computed whenever it is rendered.
    """

    title: str  # e.g. "🤖 AI早报 {day:%m/%d}"
    pointer: str  # e.g. "👉 完整早报见评论区"
    follows_items: bool = False

    def title_of(self, day: dt.date) -> str:
        return self.title.format(day=day)


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


_CJK = re.compile(r"[\u3400-\u9fff]")


def _compose(title: str, items: list[Item], pointer: str) -> str:
    # A Chinese 朋友圈 leads with Chinese headlines; an English one only fills a place none of them takes.
    titled = [i for i in items if _plain(i.title)]
    picks = ([i for i in titled if _CJK.search(i.title)] + [i for i in titled if not _CJK.search(i.title)])[:5]
    fixed = len(title) + len(pointer) + 4  # the two blank lines around the highlights
    per_line = MAX_LINE
    if picks:
        per_line = min(MAX_LINE, (LIMIT - 1 - fixed) // len(picks) - 1)
    lines = [h for h in (highlight(i, limit=per_line) for i in picks) if h]
    return "\n".join([title, "", *lines, "", pointer])


def own_moments(issue: Issue) -> str | None:
    """The issue's own 朋友圈 text (imported, edited, or the LLM's) when it fits the limit."""
    own = defang_links(clean_text(issue.moments or "")).strip()
    return own if own and len(own) < LIMIT - 1 else None  # with the final newline, still under LIMIT


def built_moments(issue: Issue, style: Moments) -> str:
    """The 朋友圈 text built from the issue's items alone (what a build stores when no LLM wrote one)."""
    return _compose(style.title_of(issue.date), issue.items, style.pointer)


def moments_text(issue: Issue, style: Moments) -> str:
    """The issue's own 朋友圈 text when it has a usable one, else one built from its items."""
    return own_moments(issue) or built_moments(issue, style)
