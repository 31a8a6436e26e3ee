"""Fitting an issue into a channel's length budget: split at item boundaries, or a digest of titles with a
link; never a cut inside an item.

The issue's Markdown is read as *units*: the head (title, 导读 or 一句话), then one unit per item (a weekly
``## N.`` item with its picture, paper/code lines, summary and 另见; a daily 🔴/🟡 line; one line of 其他 or
of the trending table). A section heading is glued to the unit after it, so no message ends on a heading.
Each unit is converted to the channel's text form on its own, measured in the channel's unit (characters,
UTF-16 code units as Telegram counts, or UTF-8 bytes as WeCom and DingTalk do), and units are packed greedily
into messages. When one unit alone is over budget, or the split needs more than ``max_messages``, the
issue goes out as a digest: its item titles and a link to the whole issue, shortened title by title.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from markdown_it import MarkdownIt

from jianbao.editions.base import PRIORITY_MARKS
from jianbao.render.plain import markdown_to_plain
from jianbao.render.sanitize import clean_html

__all__ = [
    "Budget",
    "Form",
    "Message",
    "SizeUnit",
    "Unit",
    "convert",
    "digest",
    "fit",
    "measure",
    "split_units",
]

Form = Literal["markdown", "html", "text"]
SizeUnit = Literal["chars", "utf16", "bytes"]

_MOMENTS_RE = re.compile(r"(?m)^\*\*朋友圈版.*\Z", re.DOTALL)  # the 朋友圈 block is for the editor, not readers
_IMAGE_ONLY_RE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$")
_ITEM_HEAD_RE = re.compile(r"^#{2,6}\s+\d+[.、]")


@dataclass(frozen=True, slots=True)
class Budget:
    """How large one message may be, in which unit, in which text form."""

    limit: int  # 0: no limit
    unit: SizeUnit = "chars"
    form: Form = "markdown"

    def describe(self) -> str:
        return f"{self.limit:,} {self.unit}" if self.limit else "no limit"


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of the issue that is never cut: the head, an item, a 其他 or trending line; ``heading`` is
    a section heading glued to it."""

    markdown: str
    title: str  # the item's title as plain text ("" for the head)
    is_head: bool = False
    is_line: bool = False  # a line of a list (其他, trending): left out of a digest


@dataclass(frozen=True, slots=True)
class Message:
    """One message to send: title, body in the channel's form, and its size in the channel's unit."""

    title: str
    body: str
    size: int
    part: int = 1
    parts: int = 1
    digest: bool = False
    alternative: str = ""  # a plain-text version beside an HTML body (email)


def measure(text: str, unit: SizeUnit) -> int:
    """The size of ``text`` as a channel counts it."""
    if unit == "bytes":
        return len(text.encode("utf-8"))
    if unit == "utf16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


@cache
def _markdown_it() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")


def convert(markdown: str, form: Form) -> str:
    """A piece of the issue's Markdown in a channel's text form (HTML sanitised, plain text with links)."""
    if form == "html":
        return clean_html(_markdown_it().render(markdown)).strip()
    if form == "text":
        return markdown_to_plain(markdown).strip()
    return markdown.strip()


def _blocks(markdown: str, *, images: bool = False) -> list[str]:
    """Blank-line separated blocks, a list split into its lines; rules, [TOC] and (unless ``images``) bare
    images dropped: a chat message shows a picture as a bare link."""
    markdown = _MOMENTS_RE.sub("", markdown.replace("\r\n", "\n"))
    out: list[str] = []
    for block in re.split(r"\n\s*\n", markdown):
        block = block.strip("\n")
        stripped = block.strip()
        if not stripped or stripped in ("[TOC]", "---", "***") or (not images and _IMAGE_ONLY_RE.match(stripped)):
            continue
        lines = block.split("\n")
        if all(re.match(r"^\s*(?:[-*+]|\d+[.)])\s", line) or line.startswith("  ") for line in lines):
            current: list[str] = []
            for line in lines:  # one block per list item, its continuation lines kept with it
                if re.match(r"^(?:[-*+]|\d+[.)])\s", line) and current:
                    out.append("\n".join(current))
                    current = []
                current.append(line)
            out.append("\n".join(current))
        else:
            out.append(block)
    return out


def _starts_unit(block: str) -> bool:
    first = block.lstrip()
    return (
        first.startswith("#")
        or first.startswith(tuple(PRIORITY_MARKS.values()))
        or bool(re.match(r"^(?:[-*+]|\d+[.)])\s", first))
    )


_LINK_TEXT_RE = re.compile(r"(?<!!)\[((?:[^\]\\]|\\.)+)\]\(")


def _title_of(block: str) -> str:
    first = block.strip().split("\n", 1)[0]
    if m := _LINK_TEXT_RE.search(first):
        first = m.group(1)
    first = re.sub(r"^#+\s*", "", first)
    first = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", first)
    first = first.lstrip("".join(PRIORITY_MARKS.values()) + " ")
    return markdown_to_plain(first).strip().split("\n", 1)[0]


def split_units(markdown: str, *, images: bool = False) -> list[Unit]:
    """The issue's Markdown as units: the head first, then items; a section heading glued to what follows.
    Pictures are kept only with ``images`` (an article, not a chat message)."""
    groups: list[list[str]] = []
    for block in _blocks(markdown, images=images):
        if not groups or _starts_unit(block):
            groups.append([block])
        else:
            groups[-1].append(block)
    units: list[Unit] = []
    pending: list[str] = []  # section headings waiting for their first item
    for i, group in enumerate(groups):
        text = "\n\n".join(group)
        is_heading = len(group) == 1 and group[0].lstrip().startswith("#") and not _ITEM_HEAD_RE.match(group[0])
        if i == 0 and group[0].lstrip().startswith("# ") and len(group) > 1:
            units.append(Unit(text, "", is_head=True))  # the daily's title line with its 一句话
        elif i == 0 and not _starts_unit(group[0]):
            units.append(Unit(text, "", is_head=True))  # the weekly's 导读 quote
        elif is_heading and i + 1 < len(groups):
            pending.append(text)
        else:
            body = "\n\n".join([*pending, text])
            is_line = bool(re.match(r"^(?:[-*+]|\d+[.)])\s", text.lstrip()))
            units.append(Unit(body, _title_of(text), is_line=is_line))
            pending = []
    return units


def fit(
    title: str,
    units: Sequence[Unit],
    budget: Budget,
    *,
    link: str = "",
    max_messages: int = 6,
    prefer_digest: bool = False,
) -> list[Message]:
    """The messages that carry ``units`` within ``budget``: the whole issue in one, split at unit boundaries,
    or the digest (``prefer_digest``, a unit alone over budget, or more than ``max_messages``)."""
    bodies = [convert(u.markdown, budget.form) for u in units]
    joiner = "\n" if budget.form == "html" else "\n\n"
    if not budget.limit:
        body = joiner.join(bodies)
        return [Message(title, body, measure(title, budget.unit) + measure(body, budget.unit))]
    if not prefer_digest:
        packed = _pack(title, bodies, budget, joiner)
        if packed is not None and len(packed) <= max_messages:
            return packed
    return [digest(title, units, budget, link=link)]


def _labelled(title: str, part: int, parts: int) -> str:
    return f"{title} ({part}/{parts})" if parts > 1 else title


def _pack(title: str, bodies: Sequence[str], budget: Budget, joiner: str) -> list[Message] | None:
    """Greedy packing; None when a unit alone cannot fit. Sizes count the title with its (n/N) label."""
    size: Callable[[str], int] = lambda text: measure(text, budget.unit)  # noqa: E731
    room = budget.limit - size(_labelled(title, 99, 99)) - size("\n")
    groups: list[list[str]] = []
    used = 0
    for body in bodies:
        need = size(body)
        if need > room:
            return None
        if groups and used + size(joiner) + need <= room:
            groups[-1].append(body)
            used += size(joiner) + need
        else:
            groups.append([body])
            used = need
    out = []
    for i, group in enumerate(groups, 1):
        text = joiner.join(group)
        label = _labelled(title, i, len(groups))
        out.append(Message(label, text, size(label) + size("\n") + size(text), part=i, parts=len(groups)))
    return out


def digest(title: str, units: Sequence[Unit], budget: Budget, *, link: str = "") -> Message:
    """Item titles, numbered, and the link to the whole issue; titles that do not fit are counted instead."""
    head = next((u for u in units if u.is_head), None)
    items = [u.title for u in units if not u.is_head and not u.is_line and u.title]
    size: Callable[[str], int] = lambda text: measure(text, budget.unit)  # noqa: E731
    lead = _head_line(head.markdown, budget.form) if head else ""
    tail = _link_line(link, budget.form)
    lines: list[str] = [lead] if lead else []
    limit = budget.limit or 10**9
    base = size(title) + size("\n") + size("\n".join([*lines, tail]))
    shown = 0
    for n, text in enumerate(items, 1):
        line = _item_line(n, text, budget.form)
        more = _more_line(len(items) - n, budget.form)
        if base + size("\n" + line) + (size("\n" + more) if n < len(items) else 0) > limit:
            break
        lines.append(line)
        base += size("\n" + line)
        shown = n
    if shown < len(items):
        lines.append(_more_line(len(items) - shown, budget.form))
    if tail:
        lines.append(tail)
    body = "\n".join(lines)
    return Message(title, body, size(title) + size("\n") + size(body), digest=True)


def _head_line(markdown: str, form: Form) -> str:
    """The head's first informative line (the 一句话 or the 导读), without its quote mark."""
    for line in markdown_to_plain(markdown).splitlines():
        line = line.lstrip("> ").strip()
        if line and not line.startswith("🤖"):
            return _escape(line, form)
    return ""


def _item_line(n: int, title: str, form: Form) -> str:
    return f"{n}. {_escape(title, form)}"


def _more_line(rest: int, form: Form) -> str:
    return _escape(f"……另有 {rest} 条", form) if rest else ""


def _link_line(link: str, form: Form) -> str:
    if not link:
        return ""
    if form == "html":
        return f'<a href="{_escape(link, "html")}">阅读全文</a>'
    if form == "markdown":
        return f"[阅读全文]({link})"
    return f"阅读全文：{link}"


def _escape(text: str, form: Form) -> str:
    if form == "html":
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    if form == "markdown":
        return re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    return text
