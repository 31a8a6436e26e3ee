"""The gate applied to whole records: an entry before it is stored, an issue before it is saved or written.

Every URL passes ``gate_url`` (an entry whose own link fails is dropped; any other failing URL is dropped
from its list and counted), every text loses its control characters and script schemes, and Markdown text
loses link targets that fail the gate. Raw HTML stays where it is kept as received (``Entry.html``, always
sanitised before HTML output); Markdown output escapes the rest (``safety.text.safe_markdown``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from jianbao.records import Entry, Issue, Item, Link, OtherLink, TrendingRow, issue_from_dict, to_dict
from jianbao.safety.text import defuse_schemes, strip_controls
from jianbao.safety.urls import UrlGate, defang_links

__all__ = ["gate_entry", "gate_issue", "safe_text"]


def safe_text(text: str | None) -> str:
    """A text field as it may be stored: no control characters, no script scheme."""
    return defuse_schemes(strip_controls(text)) if text else ""


def _maybe(text: str | None) -> str | None:
    return None if text is None else safe_text(text)


def _markdown(text: str | None) -> str:
    return defang_links(safe_text(text)) if text else ""


def _links(links: list[Link], gate: UrlGate) -> list[Link]:
    kept: list[Link] = []
    for link in links:
        url = gate(link.url)
        if url is not None:
            kept.append(dataclasses.replace(link, url=url, label=_maybe(link.label), meta=_meta(link.meta, gate)))
    return kept


def _meta(meta: dict[str, Any], gate: UrlGate) -> dict[str, Any]:
    """Metadata with its URL-valued keys gated (``*url``) and its texts cleaned; other values as they are."""
    out: dict[str, Any] = {}
    for key, value in meta.items():
        if isinstance(value, str) and key.lower().endswith("url"):
            gated = gate(value)
            if gated is not None:
                out[key] = gated
        elif isinstance(value, str):
            out[key] = safe_text(value)
        else:
            out[key] = value
    return out


def gate_entry(entry: Entry, gate: UrlGate | None = None, *, passed: Entry | None = None) -> Entry | None:
    """The entry as it may be stored, or None when its own link is not an http(s) URL.

    ``passed``: an entry this gate gave, which ``entry`` was derived from (``understand``'s input): a text
    equal to the one it holds is already what the gate gives, and is kept without being read again (every
    step here is idempotent, which ``tests/test_safety.py`` checks)."""
    gate = gate if gate is not None else UrlGate()
    url = gate(entry.url)
    if url is None:
        return None
    canonical = gate(entry.canonical_url) if entry.canonical_url else ""
    same = _unchanged(entry, passed)
    return dataclasses.replace(
        entry,
        url=url,
        canonical_url=canonical or "",
        title=entry.title if "title" in same else safe_text(entry.title),
        author=entry.author if "author" in same else _maybe(entry.author),
        summary=entry.summary if "summary" in same else safe_text(entry.summary),
        content=entry.content if "content" in same else safe_text(entry.content),
        html=entry.html if "html" in same else strip_controls(entry.html),
        images=gate.urls(entry.images),
        links=_links(entry.links, gate),
        extra=_meta(entry.extra, gate),
    )


_TEXTS = ("title", "author", "summary", "content", "html")


def _unchanged(entry: Entry, passed: Entry | None) -> set[str]:
    """The texts of ``entry`` equal to ``passed``'s: what the gate gave already, and would give again."""
    if passed is None:
        return set()
    return {name for name in _TEXTS if getattr(entry, name) == getattr(passed, name)}


def _other(other: OtherLink, gate: UrlGate) -> OtherLink:
    return OtherLink(title=safe_text(other.title), url=gate(other.url), source=_maybe(other.source))


def _item(item: Item, gate: UrlGate) -> Item:
    return dataclasses.replace(
        item,
        title=safe_text(item.title),
        url=gate(item.url),
        source=_maybe(item.source),
        section=safe_text(item.section),
        tags=[safe_text(tag) for tag in item.tags],
        summary=_markdown(item.summary),
        images=gate.urls(item.images),
        links=_links(item.links, gate),
        also=[_other(other, gate) for other in item.also],
        entity=_maybe(item.entity),
        sources=[safe_text(name) for name in item.sources],
        body=None if item.body is None else _markdown(item.body),
    )


def _row(row: TrendingRow, gate: UrlGate) -> TrendingRow:
    return dataclasses.replace(
        row, repo=safe_text(row.repo), url=gate(row.url) or "", desc=safe_text(row.desc),
        language=_maybe(row.language),
    )  # fmt: skip


def gate_issue(issue: Issue, gate: UrlGate | None = None) -> Issue:
    """A copy of the issue as it may be saved or written (the original is left as it was)."""
    gate = gate if gate is not None else UrlGate()
    out = issue_from_dict(to_dict(issue))  # a deep copy: records share lists otherwise
    out.title = safe_text(out.title)
    out.one_liner = _maybe(out.one_liner)
    out.moments = _maybe(out.moments)
    out.insights = [_markdown(text) for text in out.insights]
    if out.intro is not None:
        out.intro.remark = _maybe(out.intro.remark)
        out.intro.almanac = _maybe(out.intro.almanac)
    for section in out.sections:
        section.name = safe_text(section.name)
        section.items = [_item(item, gate) for item in section.items]
    out.other = [_other(other, gate) for other in out.other]
    out.trending = [_row(row, gate) for row in out.trending]
    return out
