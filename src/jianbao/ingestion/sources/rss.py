"""RSS 2.0 / Atom feeds (blogs, WeChat mirrors, news sites) parsed with feedparser into entries."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from xml.sax import SAXParseException

import charset_normalizer
import feedparser
from feedparser import CharacterEncodingOverride

from jianbao.errors import SourceError
from jianbao.hookspecs import hookimpl
from jianbao.ingestion.sources import ParsedFeed, SourceKind
from jianbao.ingestion.sources._text import (
    first_sentence,
    from_struct_time,
    guess_language,
    html_to_text,
    join_url,
    looks_like_html,
    looks_like_image,
    strip_tags,
    text_and_images,
    unique,
)
from jianbao.ingestion.sources.aggregator import mark_aggregator
from jianbao.ingestion.sources.digest import split_digests
from jianbao.ingestion.sources.jsonfeed import is_json_feed, parse_json_feed
from jianbao.ingestion.sources.rss_fast import parse_plain_rss
from jianbao.records import Entry, Source

__all__ = ["RssKind", "kind", "parse_feed"]

_ITEM_TAG = re.compile(rb"<(?:[\w-]+:)?(?:item|entry)[\s>/]")
_DECLARED_ENCODING = re.compile(r"""(<\?xml[^>]*?encoding\s*=\s*["'])[^"']*(["'])""")


def _field(entry: dict[str, Any], key: str) -> Any:
    if key == "enclosures":
        return entry.get(key)  # FeedParserDict builds it from the rel="enclosure" links
    # Plain dict.get: FeedParserDict.get gives the same for every other key we read (none is an alias), but
    # slower, and it would fall back from updated* to published* with a DeprecationWarning.
    return dict.get(entry, key)


def _bozo_reason(exception: BaseException | None) -> str:
    if exception is None:
        return "unknown problem"
    if isinstance(exception, SAXParseException):
        return f"{exception.getMessage()} (line {exception.getLineNumber()})"
    return str(exception) or type(exception).__name__


def _redecode(payload: bytes) -> tuple[bytes, str] | None:
    """The payload re-encoded as UTF-8 from its detected charset, with the XML declaration to match."""
    best = charset_normalizer.from_bytes(payload).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return None
    text = _DECLARED_ENCODING.sub(r"\1utf-8\2", str(best), count=1)
    return text.encode("utf-8"), best.encoding


def _images(entry: dict[str, Any], in_html: list[str]) -> list[str]:
    found: list[str] = []
    for media in _field(entry, "media_content") or []:
        url = media.get("url", "")
        if media.get("medium") == "image" or looks_like_image(url, media.get("type")):
            found.append(url)
    found.extend(media.get("url", "") for media in _field(entry, "media_thumbnail") or [])
    for enclosure in _field(entry, "enclosures") or []:
        href = enclosure.get("href", "")
        if looks_like_image(href, enclosure.get("type")):
            found.append(href)
    found.extend(in_html)
    return unique(found)


def _extra(entry: dict[str, Any]) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    tags = [t.get("term") or t.get("label") for t in _field(entry, "tags") or []]
    if tags := [t.strip() for t in tags if t and t.strip()]:
        extra["tags"] = unique(tags)
    if comments := _field(entry, "comments"):
        extra["comments_url"] = comments
    if guid := _field(entry, "id"):
        extra["guid"] = guid
    return extra


def _entry(
    raw: dict[str, Any], number: int, *, source: Source, url: str, fetched: datetime | None, problems: list[str]
) -> Entry | None:
    link = (_field(raw, "link") or "").strip()
    if link and url.startswith(("http://", "https://")):
        link = join_url(url, link)  # relative links in feeds that forgot xml:base
    title = strip_tags(_field(raw, "title") or "")
    summary_html = _field(raw, "summary") or ""
    contents = _field(raw, "content") or []
    content_html = contents[0].get("value", "") if contents else ""
    html = content_html or summary_html
    if not link:
        problems.append(f"entry {number}: no link and no title" if not title else f"entry {number}: no link")
        return None
    # One parse of the body gives both its text and its images.
    if content_html:
        content, in_html = text_and_images(content_html, base=link)
        summary = html_to_text(summary_html)
    else:
        summary, in_html = text_and_images(summary_html, base=link)
        content = ""
    if not title:
        title = first_sentence(summary or content) or link
        problems.append(f"entry {number}: no title; using {title!r}")
    published = from_struct_time(_field(raw, "published_parsed") or _field(raw, "updated_parsed"))
    if published is None:
        written = _field(raw, "published") or _field(raw, "updated")
        if written:
            problems.append(f"entry {number}: unparseable date {written!r}")
    return Entry(
        source=source.name,
        url=link,
        title=title,
        author=strip_tags(_field(raw, "author") or "") or None,
        published=published,
        fetched=fetched,
        summary=summary,
        content=content,
        html=html,
        language=guess_language(title, summary),
        images=_images(raw, in_html),
        extra=_extra(raw),
    )


def parse_feed(source: Source, payload: bytes, *, url: str, fetched: datetime | None = None) -> ParsedFeed:
    """Entries of an RSS/Atom (or JSON Feed) document; raises SourceError only when nothing could be read: an
    ill-formed document feedparser recovered something from is a warning naming what was recovered."""
    if not payload.strip():
        raise SourceError(source.name, "empty response")
    if is_json_feed(payload):  # JSON Feed 1.0/1.1: feedparser 6.0 reads XML only
        feed = parse_json_feed(source, payload, url=url, fetched=fetched)
        feed.entries = _stories(source, feed.entries)
        return feed
    # Plain, well-formed RSS 2.0 is read by lxml, giving exactly feedparser's fields; anything else → feedparser.
    # Either way the items go through ``_feed``: aggregator entries marked, digests split, the same.
    if (plain := parse_plain_rss(payload)) is not None:
        return _feed(source, plain.entries, plain.title, url=url, fetched=fetched, problems=[])
    # Bytes, not text, so feedparser honours the encoding the XML declares (GBK feeds are common in China).
    # No sanitising and no relative-URI rewriting (a third of feedparser's time): Entry.html is the body as
    # received; images and links are resolved against the entry's URL later, and HTML is cleaned before output.
    # A stream, so feedparser does not first try the payload as a file name.
    parsed = feedparser.parse(io.BytesIO(payload), sanitize_html=False, resolve_relative_uris=False)
    redecoded_as = None
    if isinstance(parsed.get("bozo_exception"), CharacterEncodingOverride):
        # The declared charset was wrong and feedparser fell back to windows-1252 (mojibake for Chinese):
        # detect the real one, as a browser would.
        redecoded = _redecode(payload)
        if redecoded is not None:
            retry = feedparser.parse(
                io.BytesIO(redecoded[0]), sanitize_html=False, resolve_relative_uris=False
            )
            if not retry.get("bozo") and retry.entries:
                parsed, redecoded_as = retry, redecoded[1]
    version = parsed.get("version") or ""
    bozo = bool(parsed.get("bozo"))
    # A document feedparser could read (a feed version, an entry) is a feed: what it recovered from an
    # ill-formed one is kept and the problem is a warning. It fails when nothing was read, or when it held
    # items and none could be recovered (a feed cut off in transfer: its stories are lost, not just a title).
    unread = not version and (bozo or not parsed.get("feed") or looks_like_html(payload))  # CDF has no version
    if not parsed.entries and (unread or (bozo and _ITEM_TAG.search(payload))):
        if bozo:
            reason = _bozo_reason(parsed.get("bozo_exception"))
            raise SourceError(source.name, f"malformed XML: {reason}")
        got = "got HTML" if looks_like_html(payload) else "got something else"
        raise SourceError(source.name, f"not a feed (no <rss>/<feed> root; {got})")
    problems: list[str] = []
    if redecoded_as:
        problems.append(f"feed: declared charset is wrong; decoded as {redecoded_as}")
    feed = _feed(source, parsed.entries, parsed.feed.get("title"), url=url, fetched=fetched, problems=problems)
    if bozo:
        reason = _bozo_reason(parsed.get("bozo_exception"))
        kept = f"{len(feed.entries)} entries" + (f" and the title {feed.title!r}" if feed.title else "")
        feed.problems.insert(int(bool(redecoded_as)), f"feed: recovered from a parse problem: {reason}; kept {kept}")
    return feed


def _feed(
    source: Source,
    items: Sequence[dict[str, Any]],
    title: str | None,
    *,
    url: str,
    fetched: datetime | None,
    problems: list[str],
) -> ParsedFeed:
    """The feed's entries from its items (feedparser's, or the fast path's dicts of the same fields), each read
    by ``_entry``, as ``_stories``."""
    entries = [
        entry
        for number, raw in enumerate(items, start=1)
        if (entry := _entry(raw, number, source=source, url=url, fetched=fetched, problems=problems))
    ]
    return ParsedFeed(entries=_stories(source, entries), problems=problems, title=strip_tags(title or "") or None)


def _stories(source: Source, entries: list[Entry]) -> list[Entry]:
    """A feed's entries as stories, whatever the format: an aggregator's marked (Hacker News, Reddit: the
    counters to extra, the link on the article), then the digests split into their stories."""
    return split_digests([mark_aggregator(e) for e in entries], mode=source.options.get("digest", "auto"))


class RssKind:
    """RSS 2.0 and Atom: one URL per source (a path or file:// URL reads a local file).

    Options: ``digest`` ("auto" | true | false: split posts that list several stories, see ``digest.py``),
    ``articles`` ("all" | "topical" | "none": which linked articles of an aggregator's entries ingest fetches,
    see ``jianbao.ingestion.articles``), ``max_articles`` (30 a run) and ``keywords`` / ``extra_keywords``
    (what "topical" means, as for hackernews)."""

    name = "rss"

    def requests(self, source: Source) -> list[str]:
        return [source.url]

    def parse(
        self, source: Source, payload: bytes, *, url: str, fetched: datetime | None = None
    ) -> ParsedFeed:
        return parse_feed(source, payload, url=url, fetched=fetched)


kind = RssKind()


@hookimpl
def register_source_kinds(register: Callable[[SourceKind], None]) -> None:
    """A built-in kind, registered through the same hook as a plugin's."""
    register(kind)
