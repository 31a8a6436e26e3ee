"""The GitHub 今日趋势 table of an edition that has one: rows from the trending sources' entries, one per
repository or model, and the stories that are news rather than table rows.

The trending sources are the sources of the table's kind (``github_trending``: GitHub's trending page) and
every feed of repositories or models (GitHub trend feeds such as GitHubTrendingRSS, Hugging Face trending):
a source whose option ``trending`` is true, or, unless it is false, whose recent entries are nearly all
repository or model pages. A feed's rows carry what it says: stars when its text gives them ("⭐ 1,234",
"1,234 stars today"), else its order. Rows from a feed of every language keep only the repositories that are
on the edition's topic (``issue/relevance.py``); a model page is on topic by nature.

A row's line is the repository's own description trimmed to whole sentences (or whole words, "…"), or,
when an LLM is configured, one Chinese line it writes (``llm_describer``), kept only when every number in
it is in the description (``summarize.numbers``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from jianbao.config import Config
from jianbao.editions.base import Edition
from jianbao.errors import LLMError
from jianbao.issue.gather import window
from jianbao.issue.item_text import trim_sentences
from jianbao.issue.relevance import entry_points, vocabulary
from jianbao.records import Entry, Source, Story, TrendingRow
from jianbao.store import Store
from jianbao.stories.history import github_repeats

__all__ = [
    "Describer",
    "earlier_tables",
    "fresh_rows",
    "is_trend_feed",
    "llm_describer",
    "news_stories",
    "repo_of",
    "trending_rows",
    "trending_sources",
    "trending_table",
]

if TYPE_CHECKING:  # pragma: no cover
    from jianbao.summarize.llm import LLMClient

# (owner/name, its English description) pairs → a Chinese line for each repository it could describe
Describer = Callable[[Sequence[tuple[str, str]]], Mapping[str, str]]
DESC_CHARS = 80  # a row's description, trimmed (the archive's rows run 30–80 characters)


def llm_describer(client: LLMClient, warnings: list[str]) -> Describer:
    """Rows described in Chinese by ``client``; a failed request, or a line with a number its description
    does not have, leaves the English one and adds a line to ``warnings``."""
    # lazy: jianbao.summarize loads numpy and the LLM client; rendering an issue needs neither
    from jianbao.summarize.numbers import check_numbers

    def describe(rows: Sequence[tuple[str, str]]) -> Mapping[str, str]:
        try:
            written = client.describe_repos_sync(rows)
        except LLMError as error:
            warnings.append(f"LLM trending descriptions failed ({error}); the repositories' own used")
            return {}
        kept: dict[str, str] = {}
        for repo, desc in rows:
            line = written.get(repo, "")
            check = check_numbers(line, source=f"{repo}\n{desc}")
            if line and check.passed:
                kept[repo] = line
            elif line:
                numbers = "、".join(check.unsupported)
                warnings.append(f"LLM line for {repo} has numbers its description does not ({numbers}); kept its own")
        return kept

    return describe


_NAME = r"[\w.-]+/[\w.-]+"
_PAGE_HOSTS = ("github.com", "huggingface.co")
# first path segments of GitHub and Hugging Face pages that are not an owner
_RESERVED = {
    "trending", "topics", "collections", "orgs", "organizations", "settings", "marketplace", "sponsors", "blog",
    "papers", "docs", "learn", "posts", "models", "tasks", "changelog", "pricing", "chat", "join", "login",
    "features", "enterprise", "about", "events", "site", "apps", "search", "notifications",
}  # fmt: skip
_NUMBER = r"\d[\d,]*(?:\.\d+)?\s*[kK]?"
_STARS = re.compile(
    rf"(?:⭐|★|stars?\s*[:：]?)\s*({_NUMBER})|({_NUMBER})\s*(?:stars?|⭐|★)(?!\s*(?:today|this))", re.IGNORECASE
)
_GAINED = re.compile(r"(\d[\d,]*)\s*stars?\s*(?:today|this week|this month)|(?:今日|今天)\s*\+?\s*(\d[\d,]*)", re.I)
_FEED_SHARE = 0.8  # this share of a source's recent entries being repository or model pages: a trend feed
_FEED_MIN = 3
_SAMPLE = 20


def _page_repo(url: str) -> str:
    """``owner/name`` of a GitHub repository or Hugging Face model page (its query left aside), "" for any
    other page."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [p for p in parts.path.split("/") if p]
    if host == "huggingface.co" and segments[:1] in (["spaces"], ["datasets"]):
        segments = segments[1:]
    if host not in _PAGE_HOSTS or len(segments) != 2 or segments[0].lower() in _RESERVED:
        return ""
    name = "/".join(segments)
    return name if re.fullmatch(_NAME, name) else ""


def repo_of(entry: Entry) -> str:
    """The ``owner/name`` a trending entry is about ("" for none): its ``repo``, its page, or its title."""
    named = str(entry.extra.get("repo") or "").strip()
    if re.fullmatch(_NAME, named):
        return named
    if page := _page_repo(entry.url):
        return page
    title = (entry.title or "").strip()
    return title if re.fullmatch(_NAME, title) else ""


def _count(text: str) -> int | None:
    text = text.replace(",", "").strip().lower()
    if not text:
        return None
    digits = re.sub(r"[^\d.]", "", text)
    try:
        number = float(digits)
    except ValueError:
        return None
    return round(number * (1000 if text.endswith("k") else 1))


def _counters(entry: Entry) -> tuple[int | None, int]:
    """(stars, stars gained) of an entry: its fields, else what its text says."""
    stars = entry.extra.get("stars")
    gained = int(entry.extra.get("stars_period") or entry.extra.get("stars_gained") or 0)
    text = entry.summary[:400]
    if not gained and (match := _GAINED.search(text)):
        gained = _count(match.group(1) or match.group(2)) or 0
    if stars is None and (match := _STARS.search(_GAINED.sub(" ", text))):
        stars = _count(match.group(1) or match.group(2))
    return (int(stars) if stars is not None else None), gained


def trending_rows(entries: Sequence[Entry], *, limit: int, describe: Describer | None = None) -> list[TrendingRow]:
    """One row per repository or model (its latest entry): most stars gained first, then most stars, then
    each feed's own order (taken in turns across feeds); ``describe`` words the rows' lines (an LLM's
    Chinese)."""
    latest: dict[str, Entry] = {}
    order: dict[str, tuple[int, int]] = {}  # repo → (position in its feed, feed's first appearance)
    feeds: dict[str, int] = {}
    seen_in_feed: dict[str, int] = {}
    for entry in entries:
        repo = repo_of(entry)
        if not repo:
            continue
        feed = feeds.setdefault(entry.source, len(feeds))
        if repo not in order:
            position = int(entry.extra.get("rank") or 0) or seen_in_feed.get(entry.source, 0) + 1
            seen_in_feed[entry.source] = seen_in_feed.get(entry.source, 0) + 1
            order[repo] = (position, feed)
        seen = latest.get(repo)
        stamp = entry.fetched or entry.published
        if seen is None or (stamp and (seen.fetched or seen.published or stamp) <= stamp):
            latest[repo] = entry
    counted = {repo: _counters(entry) for repo, entry in latest.items()}
    ordered = sorted(latest, key=lambda r: (-counted[r][1], -(counted[r][0] or 0), order[r], r))[:limit]
    own = {r: str(latest[r].summary or latest[r].extra.get("description") or "").strip() for r in ordered}
    written = describe(list(own.items())) if describe is not None and own else {}
    return [
        TrendingRow(
            repo=repo,
            url=_row_url(repo, latest[repo]),
            desc=written.get(repo) or trim_sentences(own[repo], max_chars=DESC_CHARS),
            stars=counted[repo][0],
            stars_today=counted[repo][1] or None,
            language=latest[repo].extra.get("language"),
        )
        for repo in ordered
    ]


def _row_url(repo: str, entry: Entry) -> str:
    if (urlsplit(entry.url).hostname or "").endswith("huggingface.co"):
        return entry.url
    return f"https://github.com/{repo}"


def is_trend_feed(source: Source, entries: Sequence[Entry]) -> bool:
    """A feed of repositories or models: its ``trending`` option, else nearly all its entries are such pages."""
    option = source.options.get("trending")
    if isinstance(option, bool):
        return option
    pages = sum(bool(_page_repo(e.url)) for e in entries)
    return len(entries) >= _FEED_MIN and pages >= _FEED_SHARE * len(entries)


def trending_sources(
    sources: Sequence[Source], samples: Mapping[str, Sequence[Entry]], *, kind: str
) -> list[str]:
    """The names of the sources that fill a table of ``kind``: that kind's, and every trend feed."""
    return [
        s.name
        for s in sources
        if s.enabled and (s.kind == kind or (s.kind != kind and is_trend_feed(s, samples.get(s.name, ()))))
    ]


def _on_topic(
    entries: Sequence[Entry], sources: Mapping[str, Source], config: Config, edition: Edition
) -> list[Entry]:
    """The rows a table may show: every row of the table's own kind (filtered when fetched) and of model
    pages, and the repositories of other feeds that the edition's relevance rules find on topic."""
    table = edition.trending
    settings = edition.relevance(config)
    words = vocabulary(settings)
    kept = []
    for entry in entries:
        source = sources.get(entry.source)
        if (
            table is not None and source is not None and source.kind == table.source_kind
        ) or "huggingface.co" in entry.url:
            kept.append(entry)
            continue
        probe = Entry(source=entry.source, url=entry.url, title=repo_of(entry).replace("/", " ").replace("-", " "),
                      summary=entry.summary[:600])  # fmt: skip
        if entry_points(probe, words, link_kinds=())[0] / 2 >= settings.threshold:
            kept.append(entry)
    return kept


def trending_table(
    store: Store,
    edition: Edition,
    config: Config,
    day: dt.date,
    *,
    limit: int | None = None,
    describe: Describer | None = None,
) -> tuple[list[TrendingRow], list[str]]:
    """The edition's table for ``day`` (``limit`` rows, else as many as it prints) and the names of the
    sources that fill it; nothing for an edition without a table. ``describe`` words the rows' lines."""
    table = edition.trending
    if table is None:
        return [], []
    start, end = window(day, edition.settings(config).window_days)
    sources = store.list_sources()
    others = [s.name for s in sources if s.kind != table.source_kind]
    samples = store.latest_entries(others, before=end, limit=_SAMPLE, undated=True)
    names = trending_sources(sources, samples, kind=table.source_kind)
    # one source at a time, so each falls back to its own latest fetch when the window has none of it
    found = [entry for name in names for entry in store.trending_entries([name], start, end)]
    entries = _on_topic(found, {s.name: s for s in sources}, config, edition)
    want = limit or table.rows(config)
    candidates = trending_rows(entries, limit=want + 50)
    kept = {row.repo for row in fresh_rows(store, edition, config, day, candidates)[:want]}
    # Only the rows that stay are worded (an LLM's Chinese line costs a request per table, not per candidate).
    shown = [entry for entry in entries if repo_of(entry) in kept]
    return trending_rows(shown, limit=want, describe=describe), names


def earlier_tables(
    store: Store, edition: Edition, day: dt.date, count: int
) -> list[tuple[dt.date, list[TrendingRow]]]:
    """The trending tables of the ``count`` latest published issues of the edition before ``day``."""
    if count <= 0:
        return []
    published = [r for r in store.list_issues(fmt=edition.name, state="published") if r["date"] < day]
    published.sort(key=lambda r: r["date"], reverse=True)
    out = []
    for row in published[:count]:
        found = store.get_issue(row["id"])
        if found:
            out.append((found[0].date, found[0].trending))
    return out


def fresh_rows(
    store: Store, edition: Edition, config: Config, day: dt.date, rows: Sequence[TrendingRow]
) -> list[TrendingRow]:
    """The rows worth showing: a repository one of the last ``[daily] trending_repeat_tables`` published tables
    showed comes back only when its stars grew by ``trending_stars_jump`` since (not when they cannot be
    compared)."""
    tables = earlier_tables(store, edition, day, config.daily.trending_repeat_tables)
    repeats = github_repeats(rows, tables, jump=config.daily.trending_stars_jump)
    hidden = {r.index for r in repeats if not r.stars_jump}
    return [row for i, row in enumerate(rows) if i not in hidden]


def news_stories(stories: Sequence[Story], names: Sequence[str]) -> list[Story]:
    """The stories told by at least one entry not from the trending sources ``names``, that entry first: a
    story told only by trending rows belongs in the table, not among the news lines."""
    trending = set(names)
    news = [s for s in stories if s.entries and any(e.source not in trending for e in s.entries)]
    for story in news:
        story.entries.sort(key=lambda e: e.source in trending)  # a news entry leads the item
    return news
