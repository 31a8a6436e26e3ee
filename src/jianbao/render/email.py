"""The email newsletter's HTML: the issue's Markdown with inline styles only, the WeChat renderer's sibling.

Mail clients drop ``<style>`` as WeChat does (Gmail keeps it, Outlook and most webmail do not reliably), so
the same stylesheet is inlined with css-inline; unlike WeChat, mail keeps links, so they stay links. The body
sits in one centred 640 px column, and everything passes through the nh3 sanitiser before it is styled.
The plain-text alternative is ``render.plain``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import css_inline
from markdown_it import MarkdownIt

from jianbao.hookspecs import hookimpl
from jianbao.records import Issue
from jianbao.render import Renderer
from jianbao.render.markdown import render_markdown
from jianbao.render.sanitize import clean_html, clean_text
from jianbao.render.wechat import STYLESHEET, issue_title

__all__ = ["markdown_to_email", "render_email"]

# What differs from WeChat: a column for mail clients, links that stay links.
EMAIL_CSS = """
body > section { max-width: 640px; }
a { color: #2f7bd9; text-decoration: underline; border-bottom: 0; }
.footer { margin-top: 32px; padding-top: 12px; border-top: 1px solid #e5e5e5; color: #888888; font-size: 13px; }
"""


@cache
def _markdown_it() -> MarkdownIt:
    # html=False: raw HTML in the Markdown is escaped; breaks=True as in the WeChat renderer.
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")


def markdown_to_email(markdown: str, *, title: str = "", footer: str = "") -> str:
    """A Markdown document → a complete HTML email whose only styling is inline ``style=`` attributes."""
    markdown = re.sub(r"(?m)^\s*\[TOC\]\s*$", "", markdown)
    body = clean_html(_markdown_it().render(markdown))
    if footer:
        body += f'<p class="footer">{html.escape(footer)}</p>'
    document = (
        "<!doctype html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(clean_text(title))}</title></head>"
        f"<body><section>{body}</section></body></html>"
    )
    inlined = css_inline.inline(document, extra_css=STYLESHEET + EMAIL_CSS, load_remote_stylesheets=False)
    inlined = inlined.replace(' class="footer"', "")
    if not inlined.lstrip().lower().startswith("<!doctype"):
        inlined = "<!doctype html>\n" + inlined
    return inlined + ("" if inlined.endswith("\n") else "\n")


def render_email(issue: Issue, **options: Any) -> str:
    """The issue (any edition) as an HTML email, from the same Markdown the markdown renderer writes."""
    return markdown_to_email(render_markdown(issue, **options), title=issue_title(issue))



@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    """A built-in output format, registered through the same hook as a plugin's."""
    register(Renderer("email", ".email.html", render_email))
