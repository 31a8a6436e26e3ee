"""Hacker News stories through the Algolia HN Search API, kept when they are about AI and popular enough."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from jianbao.errors import SourceError
from jianbao.hookspecs import hookimpl
from jianbao.ingestion.sources import ParsedFeed, SourceKind
from jianbao.ingestion.sources._text import (
    collapse,
    guess_language,
    html_to_text,
    keyword_matcher,
    looks_like_html,
)
from jianbao.records import Entry, Source

__all__ = ["API_BASE", "HackerNewsKind", "build_search_url", "item_url", "kind", "parse_algolia"]

API_BASE = "https://hn.algolia.com/api/v1"


def item_url(object_id: str) -> str:
    return f"https://news.ycombinator.com/item?id={object_id}"


def build_search_url(
    *,
    endpoint: str = "search_by_date",
    tags: str = "story",
    min_points: int = 0,
    since: int | None = None,
    query: str | None = None,
    hits_per_page: int = 100,
    base: str = API_BASE,
) -> str:
    """An Algolia search URL; ``since`` is a Unix time (stories created after it)."""
    if endpoint not in ("search", "search_by_date"):
        raise ValueError("endpoint must be 'search' or 'search_by_date'")
    params: dict[str, str] = {"tags": tags, "hitsPerPage": str(int(hits_per_page))}
    filters = []
    if min_points > 0:
        filters.append(f"points>={int(min_points)}")
    if since is not None:
        filters.append(f"created_at_i>{int(since)}")
    if filters:
        params["numericFilters"] = ",".join(filters)
    if query:
        params["query"] = query
    return f"{base}/{endpoint}?{urlencode(params, safe=',>=')}"


def _published(hit: dict[str, Any]) -> datetime | None:
    stamp = hit.get("created_at_i")
    if isinstance(stamp, int | float):
        return datetime.fromtimestamp(stamp, tz=UTC)
    text = hit.get("created_at")
    if isinstance(text, str):
        try:
            return datetime.fromisoformat(text).astimezone(UTC)
        except ValueError:
            return None
    return None


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def parse_algolia(source: Source, payload: bytes, *, url: str, fetched: datetime | None = None) -> ParsedFeed:
    """Stories of one Algolia response, filtered by ``min_points`` and the AI keywords of ``source.options``."""
    if not payload.strip():
        raise SourceError(source.name, "empty response")
    try:
        data = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        if looks_like_html(payload):
            raise SourceError(source.name, "not an Algolia response (got HTML)") from None
        raise SourceError(source.name, f"malformed JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("hits"), list):
        raise SourceError(source.name, "not an Algolia response (no 'hits' list)")
    options = source.options
    min_points = _int(options.get("min_points"))
    matcher = keyword_matcher(options) if options.get("ai_only", True) else None
    entries: list[Entry] = []
    problems: list[str] = []
    for number, hit in enumerate(data["hits"], start=1):
        if not isinstance(hit, dict) or not hit.get("objectID"):
            problems.append(f"hit {number}: no objectID")
            continue
        hn_id = str(hit["objectID"])
        title = collapse(hit.get("title") or hit.get("story_title") or "")
        if not title:
            problems.append(f"hit {number}: story {hn_id} has no title")
            continue
        points = _int(hit.get("points"))
        if points < min_points:
            continue
        text = html_to_text(hit.get("story_text") or "")
        matched = matcher.matches(title, text) if matcher else []
        if matcher and not matched:
            continue
        hn_url = item_url(hn_id)
        published = _published(hit)
        if published is None:
            problems.append(f"hit {number}: story {hn_id} has no usable date")
        entries.append(
            Entry(
                source=source.name,
                url=hit.get("url") or hn_url,
                title=title,
                author=hit.get("author") or None,
                published=published,
                fetched=fetched,
                summary=text,
                html=hit.get("story_text") or "",
                language=guess_language(title),
                extra={
                    "hn_id": hn_id,
                    "points": points,
                    "comments": _int(hit.get("num_comments")),
                    "hn_url": hn_url,
                    "keywords": matched,
                    # the story is the linked article (fetched at ingest), the item's page its discussion
                    "aggregator": "Hacker News",
                    "discussion_url": hn_url,
                },
            )
        )
    return ParsedFeed(entries=entries, problems=problems, title="Hacker News")


class HackerNewsKind:
    """Options: ``endpoint`` ("search_by_date" | "search"), ``tags`` ("story"; "front_page" for the front page),
    ``min_points`` (0), ``since_hours`` (48, search_by_date only), ``query``, ``hits_per_page`` (100),
    ``ai_only`` (True), ``keywords`` (replace the AI word list), ``extra_keywords`` (add to it).

    A ``source.url`` that already carries a query string is fetched as written.
    """

    name = "hackernews"

    def requests(self, source: Source) -> list[str]:
        if "?" in source.url:
            return [source.url]
        options = source.options
        endpoint = options.get("endpoint", "search_by_date")
        since_hours = options.get("since_hours", 48)
        since = None
        if endpoint == "search_by_date" and since_hours:
            since = int(time.time() - float(since_hours) * 3600)
        base = source.url.rstrip("/") if "algolia" in source.url else API_BASE
        for suffix in ("/search_by_date", "/search"):
            base = base.removesuffix(suffix)
        try:
            return [
                build_search_url(
                    endpoint=endpoint,
                    tags=options.get("tags", "story"),
                    min_points=_int(options.get("min_points")),
                    since=since,
                    query=options.get("query"),
                    hits_per_page=_int(options.get("hits_per_page")) or 100,
                    base=base,
                )
            ]
        except ValueError as error:
            raise SourceError(source.name, str(error)) from None

    def parse(
        self, source: Source, payload: bytes, *, url: str, fetched: datetime | None = None
    ) -> ParsedFeed:
        return parse_algolia(source, payload, url=url, fetched=fetched)


kind = HackerNewsKind()


@hookimpl
def register_source_kinds(register: Callable[[SourceKind], None]) -> None:
    """A built-in kind, registered through the same hook as a plugin's."""
    register(kind)
