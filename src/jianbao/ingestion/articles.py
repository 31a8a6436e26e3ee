"""The linked article of an aggregator's entry (Hacker News, Reddit), fetched at ingest like a page source, so
the item is told by the article and never by the aggregator's metadata line.

For each entry ``aggregator.mark_aggregator`` marked and that has no text of its own, in the order its feed
lists them, at most ``max_articles`` a run per source (option, 30):
  - an article fetched before is reused from the store (``extra["article"]``), never fetched again;
  - one that failed is not retried for a day;
  - which are fetched is the source's option ``articles``: "all" (default: a vague headline's article is
    what tells whether the story is on topic at all), "topical" (only those whose headline has a word of the
    source's keyword filter, the AI words the hackernews kind filters by) or "none";
  - the URL must pass ``guard`` (``check_public_url``: no private addresses), and the fetch goes through the
    one fetch layer as a page (robots.txt, per-host limits, retries, the body cap); trafilatura extracts it.
Local sources (a snapshot on disk) never reach the network: their entries keep what the snapshot holds.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence

from jianbao.errors import JianbaoError
from jianbao.ingestion import extract
from jianbao.ingestion.fetch import Fetcher, FetchRequest, FetchResult
from jianbao.ingestion.sources._text import keyword_matcher
from jianbao.ingestion.sources.aggregator import aggregator_of
from jianbao.ingestion.sources.page import parse_page
from jianbao.records import Entry, Source

__all__ = ["RETRY_AFTER", "follow_articles", "wants_article"]

RETRY_AFTER = dt.timedelta(days=1)  # a failed article is not asked for again before this
MAX_ARTICLES = 30

Guard = Callable[[str], None]  # raises for a URL that must not be fetched (a private address)
Stored = Callable[[list[str]], Awaitable[Mapping[str, Entry]]]  # the stored entries of canonical URLs


def wants_article(entry: Entry) -> bool:
    """An aggregator's entry with no text of its own whose link leaves the aggregator."""
    return (
        bool(entry.extra.get("aggregator"))
        and not entry.content.strip()
        and entry.url.startswith(("http://", "https://"))
        and not aggregator_of(entry.url)
    )


def _worth(source: Source, entries: Sequence[Entry]) -> list[Entry]:
    mode = str(source.options.get("articles", "all")).lower()
    if mode == "none":
        return []
    wanted = [e for e in entries if wants_article(e)]
    if mode != "all":
        matcher = keyword_matcher(source.options)
        wanted = [e for e in wanted if matcher.matches(e.title, "")]
    try:
        limit = int(source.options.get("max_articles", MAX_ARTICLES))
    except (TypeError, ValueError):
        limit = MAX_ARTICLES
    return wanted[: max(0, limit)]


def _reuse(entry: Entry, stored: Entry | None, now: dt.datetime) -> Entry | None:
    """The entry with its stored article (or its recent failure) when the store has either; None to fetch."""
    if stored is None:
        return None
    article = stored.extra.get("article")
    if not isinstance(article, dict):
        return None
    if article.get("fetched") and stored.content.strip():
        return dataclasses.replace(
            entry,
            content=stored.content,
            language=stored.language or entry.language,
            images=entry.images or stored.images,
            links=stored.links or entry.links,
            extra={**entry.extra, "article": article},
        )
    failed_at = article.get("failed_at")
    try:
        recent = failed_at is not None and now - dt.datetime.fromisoformat(str(failed_at)) < RETRY_AFTER
    except ValueError:
        recent = False
    return dataclasses.replace(entry, extra={**entry.extra, "article": article}) if recent else None


def _read(entry: Entry, source: Source, result: FetchResult, now: dt.datetime) -> Entry:
    """The entry with the fetched article's text, or with the reason it has none."""
    stamp = now.isoformat()
    if not result.ok or result.not_modified:
        reason = result.error or f"HTTP {result.status}"
        return dataclasses.replace(
            entry, extra={**entry.extra, "article": {"failed": reason, "failed_at": stamp}}
        )
    try:
        page = parse_page(source, result.content, url=result.final_url or result.url)
    except JianbaoError as error:
        reason = getattr(error, "reason", None) or str(error)
        return dataclasses.replace(
            entry, extra={**entry.extra, "article": {"failed": reason, "failed_at": stamp}}
        )
    article = page.entries[0]
    understood = extract.understand(
        dataclasses.replace(
            entry,
            content=article.content,
            language="",
            images=entry.images or article.images,
            extra={**entry.extra, "article": {"fetched": stamp, "title": article.title}},
        )
    )
    return understood


async def follow_articles(
    source: Source,
    entries: Sequence[Entry],
    *,
    fetcher: Fetcher,
    stored: Stored,
    guard: Guard,
    now: dt.datetime,
) -> tuple[list[Entry], list[FetchResult], list[str]]:
    """``entries`` with the linked articles of the worthwhile aggregator entries filled in; the fetch
    results (for the fetch log) and one line per article that could not be read."""
    wanted = _worth(source, entries)
    if not wanted:
        return list(entries), [], []
    keys = [e.canonical_url or e.url for e in wanted]
    known = await stored(keys)
    done: dict[int, Entry] = {}
    to_fetch: list[Entry] = []
    problems: list[str] = []
    for entry, key in zip(wanted, keys, strict=True):
        reused = _reuse(entry, known.get(key), now)
        if reused is not None:
            done[id(entry)] = reused
            continue
        try:
            guard(entry.url)
        except JianbaoError as error:
            problems.append(f"article {entry.url}: {error.message.removeprefix(entry.url + ': ')}")
            continue
        to_fetch.append(entry)
    results = await asyncio.gather(
        *(fetcher.fetch(FetchRequest(url=e.url, source=source.name, kind="page")) for e in to_fetch)
    )
    for entry, result in zip(to_fetch, results, strict=True):
        read = _read(entry, source, result, now)
        failed = read.extra.get("article", {}).get("failed")
        if failed:
            problems.append(f"article {entry.url}: {failed}")
        done[id(entry)] = read
    return [done.get(id(e), e) for e in entries], list(results), problems
