"""Markdown in the house style: the weekly AI 简报 of the seeds (and, registered beside it, the daily)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2

from jianbao.records import Issue, Item, Link
from jianbao.render import Renderer, register

LABELS = {"paper": "论文", "code": "代码", "project": "项目", "video": "视频", "pdf": "论文"}


def mdlink(text: str) -> str:
    """Link text: one line, brackets escaped so the link stays a link."""
    text = re.sub(r"\s+", " ", text or "").strip()
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def mdurl(url: str) -> str:
    """Link target: spaces and parentheses percent-encoded so the Markdown parser keeps the URL whole."""
    return (
        (url or "")
        .strip()
        .replace(" ", "%20")
        .replace("(", "%28")
        .replace(")", "%29")
        .replace("<", "%3C")
        .replace(">", "%3E")
    )


def mdtext(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def format_stars(stars: int) -> str:
    """12345 → 12.3k, as editors write it."""
    if stars >= 1000:
        return f"{stars / 1000:.1f}k".replace(".0k", "k")
    return str(stars)


def link_line(link: Link) -> str:
    """One `> 论文：…` line; uses enriched metadata (real title, stars) when the enrich stage found it."""
    label = link.label or LABELS.get(link.kind, "链接")
    meta = link.meta or {}
    url = mdurl(link.url)
    if link.kind == "paper" and meta.get("title"):
        return f"{label}：[{mdlink(meta['title'])}]({url})"
    if link.kind == "code" and link.key and ":" in link.key:
        name = link.key.split(":", 1)[1]
        stars = meta.get("stars")
        suffix = f" ⭐ {format_stars(int(stars))}" if isinstance(stars, int) else ""
        if suffix or meta:
            return f"{label}：[{mdlink(name)}]({url}){suffix}"
    return f"{label}：{url}"


def link_lines(item: Item) -> list[str]:
    """Every link of the item not already written in its summary, as labelled quote lines."""
    in_summary = set(re.findall(r"https?://[^\s)\]>]+", item.summary or ""))
    return [link_line(link) for link in item.links if link.url not in in_summary]


def lead_images(item: Item) -> list[str]:
    """Images to print under the heading: those the summary does not already show inline."""
    return [url for url in item.images if url not in (item.summary or "")]


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("jianbao.render", "templates"),
        autoescape=False,  # Markdown output; HTML renderers sanitise separately
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(mdlink=mdlink, mdurl=mdurl, mdtext=mdtext, link_lines=link_lines, lead_images=lead_images)
    return env


def _tidy(text: str) -> str:
    # Templates are easier to read with generous blank lines; the output keeps at most one.
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def render_weekly(issue: Issue, *, other_name: str = "其他", **_: Any) -> str:
    """The weekly issue as Markdown, exactly the shape of seeds 001/004."""
    if issue.intro is None:
        raise ValueError("compose the issue (intro) before rendering it")
    text = _env().get_template("weekly.md.j2").render(issue=issue, intro=issue.intro, other_name=other_name)
    return _tidy(text)


def render_markdown(issue: Issue, **options: Any) -> str:
    if issue.format == "daily":
        from jianbao.render.daily import render_daily

        return render_daily(issue, **options)
    return render_weekly(issue, **options)


register(Renderer("markdown", ".md", render_markdown))
