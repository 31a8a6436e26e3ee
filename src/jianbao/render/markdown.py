"""Markdown in the house style of each edition: the edition's template, filled with one context for all.

The weekly prints numbered items with their paper/code lines and 另见 (``link_line``), the daily its
🔴/🟡 lines and trending rows (``render.daily``); which template an issue uses, its sections' headings and
marks, its 朋友圈 text and whether it needs a 导读 all come from its edition (``jianbao.editions``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from jianbao.editions import Edition, get_edition
from jianbao.editions.base import PRIORITY_MARKS
from jianbao.hookspecs import hookimpl
from jianbao.issue.moments import moments_text
from jianbao.records import Issue, Item, Link
from jianbao.render import Renderer
from jianbao.render.daily import daily_date, daily_line, trending_line
from jianbao.render.text import LABELS, format_stars, mdclean, mdlink, mdtext, mdurl
from jianbao.safety import gate_issue, safe_markdown
from jianbao.urls import strip_tracking

__all__ = ["PrintedSection", "format_stars", "link_line", "link_lines", "printed_sections", "render_markdown"]


@dataclass(frozen=True, slots=True)
class PrintedSection:
    """A section as a template prints it: its heading, the mark of its lines (the daily's 🔴/🟡) and items."""

    name: str
    heading: str
    mark: str
    entries: list[Item]


def link_line(link: Link) -> str:
    """One `> 论文：…` line; uses enriched metadata (real title, stars) when the enrich stage found it. The URL
    passes the gate and loses its tracking parameters; a link the gate drops gives no line ('')."""
    label = link.label or LABELS.get(link.kind, "链接")
    meta = link.meta or {}
    url = mdurl(strip_tracking(link.url))
    if not url:
        return ""
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
    return [line for link in item.links if link.url not in in_summary and (line := link_line(link))]


def lead_images(item: Item) -> list[str]:
    """Images to print under the heading: those the summary does not already show inline."""
    return [url for url in item.images if url not in (item.summary or "")]


def printed_sections(issue: Issue, edition: Edition) -> list[PrintedSection]:
    """The issue's sections with items as they print: the edition's own sections first, in its order, with
    their headings; then any other section (an editor's, an imported one) in the issue's order, under its
    name, its lines marked by the edition's default priority."""
    specs = {spec.name: spec for spec in edition.sections}
    default = PRIORITY_MARKS[edition.default_priority] if edition.default_priority else ""
    ordered = [s for spec in edition.sections for s in issue.sections if s.name == spec.name]
    ordered += [s for s in issue.sections if s.name not in specs]
    out = []
    for section in ordered:
        if not section.items:
            continue
        spec = specs.get(section.name)
        heading = spec.heading if spec else section.name
        mark = PRIORITY_MARKS[spec.priority] if spec and spec.priority else default
        out.append(PrintedSection(section.name, heading, mark, section.items))
    return out


@cache
def _env(template_dir: Path | None) -> jinja2.Environment:
    loader: jinja2.BaseLoader = jinja2.PackageLoader("jianbao.render", "templates")
    if template_dir is not None:  # an edition shipped outside jianbao brings its own template
        loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(template_dir), loader])
    env = jinja2.Environment(
        loader=loader,
        autoescape=False,  # Markdown output; every source string passes through clean_text, HTML is sanitised later
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        mdlink=mdlink, mdurl=mdurl, mdtext=mdtext, mdclean=mdclean, link_lines=link_lines,
        lead_images=lead_images, daily_date=daily_date, daily_line=daily_line, trending_line=trending_line,
    )  # fmt: skip
    return env


def _tidy(text: str) -> str:
    # Templates are easier to read with generous blank lines; the output keeps at most one. The writer's last
    # step is the gate: raw HTML outside code made inert, links that fail the URL gate reduced to their text.
    text = re.sub(r"\n{3,}", "\n\n", safe_markdown(text))
    return text.strip() + "\n"


def render_markdown(issue: Issue, **options: Any) -> str:
    """The issue as Markdown in its edition's template. ``options`` are the edition's render options
    (the weekly's ``other_name``); an edition that computes its 导读 needs it composed first."""
    edition = get_edition(issue.format)
    if edition.computes_intro and issue.intro is None:
        raise ValueError("compose the issue (intro) before rendering it")
    issue = gate_issue(issue)  # what is printed passes the gate, whoever wrote it (a source, an LLM, an editor)
    context = {**edition.render_options(None), **options}
    text = (
        _env(edition.template_dir)
        .get_template(edition.template)
        .render(
            issue=issue,
            intro=issue.intro,
            edition=edition,
            sections=printed_sections(issue, edition),
            trending=[line for line in map(trending_line, issue.trending) if line],
            insights=[text for text in (mdclean(i) for i in issue.insights) if text],
            moments=moments_text(issue, edition.moments),
            **context,
        )
    )
    return _tidy(text)


@hookimpl
def register_renderers(register: Callable[[Renderer], None]) -> None:
    """A built-in output format, registered through the same hook as a plugin's."""
    register(Renderer("markdown", ".md", render_markdown))
