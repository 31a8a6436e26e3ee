"""Plain text from the issue's Markdown: what an email's text part and a text-only channel carry.

Links keep their address after the text (``标题 (https://…)``), images are dropped, headings, quotes and list
markers become plain lines; nothing is cut. ``markdown_to_plain`` works on any piece of the Markdown, so the
delivery budget can convert an issue item by item.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from jianbao.hookspecs import hookimpl
from jianbao.records import Issue
from jianbao.render import Renderer
from jianbao.render.markdown import render_markdown
from jianbao.render.sanitize import clean_text

__all__ = ["markdown_to_plain", "render_plain"]


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")


def _inline(children: list[Token]) -> str:
    out: list[str] = []
    href: list[str] = []  # the open links' targets
    text_at: list[int] = []
    for tok in children:
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif tok.type == "link_open":
            href.append(str(tok.attrs.get("href", "")))
            text_at.append(len(out))
        elif tok.type == "link_close" and href:
            url, start = href.pop(), text_at.pop()
            label = "".join(out[start:]).strip()
            if url and url != label:
                out.append(f" ({url})" if label else url)
    return clean_text("".join(out))


def markdown_to_plain(markdown: str) -> str:
    """A Markdown text as plain text: one paragraph per block, links as ``text (url)``, no images."""
    lines: list[str] = []
    prefix: list[str] = []  # "> " inside quotes, list markers
    ordered: list[int] = []
    row: list[str] = []
    in_cell = False
    markdown = re.sub(r"(?m)^\s*\[TOC\]\s*$", "", markdown)
    for tok in _parser().parse(markdown):
        if tok.type == "blockquote_open":
            prefix.append("> ")
        elif tok.type == "blockquote_close":
            prefix.pop()
            lines.append("")
        elif tok.type == "ordered_list_open":
            ordered.append(int(tok.attrs.get("start", 1) or 1))
        elif tok.type == "ordered_list_close":
            ordered.pop()
            lines.append("")
        elif tok.type == "bullet_list_open":
            ordered.append(0)
        elif tok.type == "bullet_list_close":
            ordered.pop()
            lines.append("")
        elif tok.type == "list_item_open":
            if ordered and ordered[-1]:
                prefix.append(f"{ordered[-1]}. ")
                ordered[-1] += 1
            else:
                prefix.append("- ")
        elif tok.type == "list_item_close":
            prefix.pop()
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            lines.append(" | ".join(row))
        elif tok.type in ("th_open", "td_open", "th_close", "td_close"):
            in_cell = tok.type.endswith("_open")
        elif tok.type == "table_close":
            lines.append("")
        elif tok.type == "inline":
            text = _inline(tok.children or [])
            if in_cell:
                row.append(text)
            elif text.strip():
                lead = "".join(prefix)
                lines.append(lead + text.replace("\n", "\n" + " " * len(lead) if lead.strip() else "\n"))
        elif (tok.type == "paragraph_close" and not prefix) or tok.type == "heading_close":
            lines.append("")
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip() + "\n"


def render_plain(issue: Issue, **options: Any) -> str:
    """The issue (any edition) as plain text, from the same Markdown the markdown renderer writes."""
    return markdown_to_plain(render_markdown(issue, **options))



@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    """A built-in output format, registered through the same hook as a plugin's."""
    register(Renderer("plain", ".plain.txt", render_plain))
