"""WeChat-ready HTML: the issue's Markdown as one document whose only styling is inline ``style=`` attributes.

WeChat's editor drops ``<style>``, classes and scripts and strips external links from article bodies, so the
stylesheet is inlined with css-inline and every external link becomes a numbered mark ``[n]`` pointing at a
参考链接 list at the end. Everything passes through the nh3 sanitiser before it is styled.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import css_inline
import lxml.html
from lxml import etree
from markdown_it import MarkdownIt

from jianbao.editions import get_edition
from jianbao.hookspecs import hookimpl
from jianbao.records import Issue
from jianbao.render import Renderer
from jianbao.render.markdown import render_markdown
from jianbao.render.sanitize import clean_html, clean_text

KEEP_LINK_HOSTS = ("mp.weixin.qq.com",)  # WeChat keeps links to its own articles
REFERENCES_TITLE = "参考链接"

STYLESHEET = """
body { margin: 0; padding: 0; background: #ffffff; }
body > section { max-width: 677px; margin: 0 auto; padding: 16px 16px 32px; color: #333333;
  font-family: -apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif;
  font-size: 16px; line-height: 1.75; letter-spacing: 0.5px; word-break: break-word; }
p { margin: 0 0 16px; font-size: 16px; line-height: 1.75; }
h1 { margin: 32px 0 16px; padding-bottom: 6px; border-bottom: 2px solid #2f7bd9; color: #1a1a1a;
  font-size: 22px; line-height: 1.4; font-weight: bold; }
h2 { margin: 28px 0 14px; padding-left: 10px; border-left: 4px solid #2f7bd9; color: #1a1a1a;
  font-size: 19px; line-height: 1.45; font-weight: bold; }
h3 { margin: 24px 0 12px; color: #1a1a1a; font-size: 17px; line-height: 1.5; font-weight: bold; }
h4, h5, h6 { margin: 20px 0 10px; color: #1a1a1a; font-size: 16px; line-height: 1.5; font-weight: bold; }
blockquote { margin: 16px 0; padding: 10px 14px; border-left: 4px solid #c9d6e6; background: #f5f8fb;
  color: #555555; font-size: 15px; line-height: 1.75; }
blockquote p { margin: 4px 0; font-size: 15px; line-height: 1.75; color: #555555; }
strong { color: #1a1a1a; font-weight: bold; }
em { font-style: italic; }
code { padding: 2px 5px; border-radius: 3px; background: #f0f2f5; color: #c0341d;
  font-family: Menlo, Consolas, "Courier New", monospace; font-size: 14px; }
pre { margin: 16px 0; padding: 12px; border-radius: 4px; background: #f6f8fa; overflow-x: auto;
  font-size: 13px; line-height: 1.6; }
pre code { padding: 0; background: transparent; color: #333333; font-size: 13px; }
img { display: block; width: 100%; height: auto; margin: 16px auto; border-radius: 4px; }
ul, ol { margin: 0 0 16px; padding-left: 24px; }
li { margin: 6px 0; font-size: 16px; line-height: 1.75; }
li p { margin: 0; }
hr { margin: 28px 0; border: 0; border-top: 1px solid #e5e5e5; height: 0; }
a { color: #2f7bd9; text-decoration: none; border-bottom: 1px solid #2f7bd9; }
sup { color: #2f7bd9; font-size: 12px; line-height: 0; vertical-align: super; }
table { width: 100%; margin: 16px 0; border-collapse: collapse; font-size: 14px; line-height: 1.6; }
thead { background: #f6f8fa; }
th { padding: 6px 8px; border: 1px solid #dfe3e8; background: #f6f8fa; font-weight: bold; text-align: left; }
td { padding: 6px 8px; border: 1px solid #dfe3e8; text-align: left; }
body > section > section { margin-top: 32px; padding-top: 12px; border-top: 1px solid #e5e5e5; }
body > section > section h3 { margin: 0 0 8px; color: #888888; font-size: 15px; }
body > section > section p { margin: 0 0 6px; color: #888888; font-size: 13px; line-height: 1.6;
  word-break: break-all; }
"""


@cache
def _markdown_it() -> MarkdownIt:
    # html=False: raw HTML in the Markdown is escaped, never passed on; validateLink (kept) refuses
    # javascript:, vbscript:, file: and non-image data: link targets.
    # breaks=True: a single newline is a visible line break, as the 朋友圈版 and 洞察 lines are meant.
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")


def _keeps_link(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in KEEP_LINK_HOSTS)


def _unwrap(element: etree._Element) -> None:
    """Replace an element by its children and text, in place."""
    parent = element.getparent()
    if parent is None:
        return
    lxml.html.HtmlElement.drop_tag(element)


def _references(container: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """Turn external links into ``text<sup>[n]</sup>``; returns (url, link text) per number, in order."""
    numbers: dict[str, int] = {}
    refs: list[tuple[str, str]] = []
    for anchor in list(container.iter("a")):
        href = (anchor.get("href") or "").strip()
        if href and _keeps_link(href):
            anchor.attrib.pop("rel", None)
            continue
        if not href:
            _unwrap(anchor)
            continue
        text = re.sub(r"\s+", " ", anchor.text_content()).strip()
        if href not in numbers:
            refs.append((href, text))
            numbers[href] = len(refs)
        mark = etree.Element("sup")
        mark.text = f"[{numbers[href]}]"
        mark.tail = anchor.tail
        anchor.tail = None
        anchor.addnext(mark)
        _unwrap(anchor)
    return refs


def _reference_section(refs: list[tuple[str, str]]) -> str:
    lines = []
    for number, (url, text) in enumerate(refs, 1):
        label = f"{html.escape(text)}: " if text and text != url else ""
        lines.append(f"<p>[{number}] {label}{html.escape(url)}</p>")
    return f"<section><h3>{REFERENCES_TITLE}</h3>{''.join(lines)}</section>"


def markdown_to_wechat(markdown: str, *, title: str = "") -> str:
    """A Markdown document → a complete HTML document styled with inline ``style=`` attributes only."""
    markdown = re.sub(r"(?m)^\s*\[TOC\]\s*$", "", markdown)
    body = clean_html(_markdown_it().render(markdown))
    container = lxml.html.fragment_fromstring(body or "<p></p>", create_parent="section")
    refs = _references(container)
    inner = "".join(lxml.html.tostring(child, encoding="unicode") for child in container)
    if container.text and container.text.strip():
        inner = html.escape(container.text) + inner
    if refs:
        inner += _reference_section(refs)
    document = (
        "<!doctype html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(clean_text(title))}</title></head>"
        f"<body><section>{inner}</section></body></html>"
    )
    inlined = css_inline.inline(document, extra_css=STYLESHEET, load_remote_stylesheets=False)
    if not inlined.lstrip().lower().startswith("<!doctype"):
        inlined = "<!doctype html>\n" + inlined
    return inlined + ("" if inlined.endswith("\n") else "\n")


def issue_title(issue: Issue) -> str:
    """The document's title: the issue's own, or its edition's title of the date."""
    edition = get_edition(issue.format)
    named = edition.issue_title_of(issue.date)
    return named if edition.titled_by_date else (issue.title or named)


def render_wechat(issue: Issue, **options: Any) -> str:
    """The issue (any edition) as WeChat-ready HTML, from the same Markdown the markdown renderer writes."""
    return markdown_to_wechat(render_markdown(issue, **options), title=issue_title(issue))


@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    """A built-in output format, registered through the same hook as a plugin's."""
    register(Renderer("wechat", ".wechat.html", render_wechat))
