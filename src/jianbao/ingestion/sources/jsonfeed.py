"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), which feedparser 6.0 does not read, into entries.

The rss kind hands a document here when it is JSON (``is_json_feed``), so a source needs no kind of its own.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from jianbao.errors import SourceError
from jianbao.ingestion.sources import ParsedFeed
from jianbao.ingestion.sources._text import (
    first_sentence,
    guess_language,
    join_url,
    looks_like_image,
    strip_tags,
    text_and_images,
    unique,
)
from jianbao.records import Entry, Source

__all__ = ["is_json_feed", "parse_json_feed"]

_VERSION_PREFIX = "https://jsonfeed.org/version/"


def is_json_feed(payload: bytes) -> bool:
    """True when the document is JSON (an object), which is how a JSON Feed starts."""
    return payload.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _date(value: Any) -> datetime | None:
    """An RFC 3339 date (``2026-11-20T08:00:00+08:00`` or ``…Z``) in UTC; None when absent or unreadable."""
    text = _text(value)
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def _author(item: dict[str, Any], feed: dict[str, Any]) -> str | None:
    """1.1's ``authors`` list, else 1.0's ``author``; the item's own, else the feed's."""
    for holder in (item, feed):
        listed = holder.get("authors")
        people: list[Any] = listed if isinstance(listed, list) else [holder.get("author")]
        names = [_text(p.get("name")) for p in people if isinstance(p, dict)]
        if names := [n for n in names if n]:
            return ", ".join(names)
    return None


def _item(
    raw: Any, number: int, *, feed: dict[str, Any], source: Source, base: str, fetched: datetime | None,
    problems: list[str],
) -> Entry | None:  # fmt: skip
    if not isinstance(raw, dict):
        problems.append(f"item {number}: not an object")
        return None
    link = _text(raw.get("url")) or _text(raw.get("external_url"))
    if not link:
        problems.append(f"item {number}: no url")
        return None
    if base.startswith(("http://", "https://")):
        link = join_url(base, link)
    html = _text(raw.get("content_html"))
    text, in_html = text_and_images(html, base=link) if html else (_text(raw.get("content_text")), [])
    summary = _text(raw.get("summary"))
    title = strip_tags(_text(raw.get("title")))
    if not title:
        title = first_sentence(summary or text) or link
        problems.append(f"item {number}: no title; using {title!r}")
    written = raw.get("date_published") or raw.get("date_modified")
    published = _date(written)
    if written and published is None:
        problems.append(f"item {number}: unparseable date {written!r}")
    attachments = [a for a in raw.get("attachments") or [] if isinstance(a, dict)]
    images = [_text(raw.get("image")), _text(raw.get("banner_image")), *in_html]
    images += [_text(a.get("url")) for a in attachments if looks_like_image(_text(a.get("url")), a.get("mime_type"))]
    tags = [t.strip() for t in raw.get("tags") or [] if isinstance(t, str) and t.strip()]
    extra: dict[str, Any] = {"guid": _text(raw.get("id"))} if _text(raw.get("id")) else {}
    if tags:
        extra["tags"] = unique(tags)
    language = _text(raw.get("language")) or _text(feed.get("language"))
    return Entry(
        source=source.name,
        url=link,
        title=title,
        author=_author(raw, feed),
        published=published,
        fetched=fetched,
        summary=summary or (text if not html else ""),
        content=text if html else "",
        html=html,
        language=language.split("-")[0].lower() if language else guess_language(title, summary or text),
        images=unique(i for i in images if i),
        extra=extra,
    )


def parse_json_feed(source: Source, payload: bytes, *, url: str, fetched: datetime | None = None) -> ParsedFeed:
    """Entries of a JSON Feed; ``SourceError`` when the document is not JSON or not a feed."""
    try:
        data = json.loads(payload.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(source.name, f"malformed JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise SourceError(source.name, "not a feed (JSON without an items list)")
    problems: list[str] = []
    version = _text(data.get("version"))
    if not version.startswith(_VERSION_PREFIX):
        problems.append(f"feed: not a declared JSON Feed version ({version or 'none'}); read as one")
    base = _text(data.get("home_page_url")) or _text(data.get("feed_url")) or url
    entries = [
        entry
        for number, raw in enumerate(data["items"], start=1)
        if (entry := _item(raw, number, feed=data, source=source, base=base, fetched=fetched, problems=problems))
    ]
    return ParsedFeed(entries=entries, problems=problems, title=strip_tags(_text(data.get("title"))) or None)
