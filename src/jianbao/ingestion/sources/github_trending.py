"""GitHub Trending pages (daily/weekly/monthly, optionally per language) parsed with lxml into repo entries."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode, urlparse

import lxml.html
from lxml import etree

from jianbao.errors import SourceError
from jianbao.hookspecs import hookimpl
from jianbao.ingestion.sources import ParsedFeed, SourceKind
from jianbao.ingestion.sources._text import DEFAULT_AI_KEYWORDS, collapse, guess_language, keyword_matcher
from jianbao.records import Entry, Source

__all__ = ["TRENDING_URL", "GitHubTrendingKind", "kind", "parse_count", "parse_trending", "trending_url"]

TRENDING_URL = "https://github.com/trending"
# Repository names say "ocr" or "llama" long before their descriptions say "AI".
GITHUB_AI_KEYWORDS: tuple[str, ...] = (*DEFAULT_AI_KEYWORDS, "OCR", "VLM", "RWKV")
_PERIODS = {"today": "daily", "this week": "weekly", "this month": "monthly"}
_STARS_IN_PERIOD = re.compile(r"([\d,]+)\s+stars?\s+(today|this week|this month)", re.IGNORECASE)
_NO_TRENDING = "we don’t have any trending repositories"
_PARSER = lxml.html.HTMLParser(encoding="utf-8")  # GitHub always serves UTF-8, with or without a meta tag
_ARTICLE = "//article[contains(concat(' ', normalize-space(@class), ' '), ' Box-row ')]"


def parse_count(text: str | None) -> int | None:
    """``"12,345"`` → 12345; ``"1.2k"`` → 1200 (GitHub shortens counts in some layouts)."""
    if not text:
        return None
    cleaned = text.strip().replace(",", "").lower()
    match = re.search(r"(\d+(?:\.\d+)?)\s*([km]?)", cleaned)
    if not match:
        return None
    number = float(match.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2)]
    return round(number)


def trending_url(
    *, since: str = "daily", language: str | None = None, spoken_language: str | None = None
) -> str:
    if since not in ("daily", "weekly", "monthly"):
        raise ValueError("since must be daily, weekly or monthly")
    url = TRENDING_URL + (f"/{quote(language.lower())}" if language else "")
    params = {"since": since}
    if spoken_language:
        params["spoken_language_code"] = spoken_language
    return f"{url}?{urlencode(params)}"


def _repo(article: lxml.html.HtmlElement) -> str | None:
    for href in article.xpath(".//h2//a/@href | .//h1//a/@href"):
        parts = [p for p in urlparse(href).path.split("/") if p]
        if len(parts) == 2:
            return "/".join(parts)
    return None


def _row(article: lxml.html.HtmlElement, repo: str, rank: int) -> dict[str, Any]:
    description = article.xpath(".//p[contains(concat(' ', normalize-space(@class), ' '), ' col-9 ')]")
    language = article.xpath(".//*[@itemprop='programmingLanguage']/text()")
    stars = article.xpath(f".//a[@href='/{repo}/stargazers']")
    forks = article.xpath(f".//a[@href='/{repo}/forks' or @href='/{repo}/network/members']")
    period_match = _STARS_IN_PERIOD.search(collapse(article.text_content()))
    return {
        "repo": repo,
        "rank": rank,
        "description": collapse(description[0].text_content()) if description else "",
        "language": collapse(language[0]) if language else None,
        "stars": parse_count(stars[0].text_content()) if stars else None,
        "forks": parse_count(forks[0].text_content()) if forks else None,
        "stars_period": parse_count(period_match.group(1)) if period_match else None,
        "period": _PERIODS[period_match.group(2).lower()] if period_match else None,
    }


def parse_trending(
    source: Source, payload: bytes, *, url: str, fetched: datetime | None = None
) -> ParsedFeed:
    """Repositories of a trending page in page order; with ``ai_only`` (default) only the AI ones."""
    if not payload.strip():
        raise SourceError(source.name, "empty response")
    try:
        document = lxml.html.document_fromstring(payload, parser=_PARSER)
    except (etree.ParserError, ValueError) as error:
        raise SourceError(source.name, f"unreadable HTML: {error}") from None
    articles = document.xpath(_ARTICLE)
    if not articles:
        if _NO_TRENDING in collapse(document.text_content()).replace("'", "’"):
            return ParsedFeed(entries=[], problems=[], title="GitHub Trending")
        raise SourceError(source.name, 'no trending repositories in page (no <article class="Box-row">)')
    options = source.options
    matcher = keyword_matcher(options, default=GITHUB_AI_KEYWORDS) if options.get("ai_only", True) else None
    entries: list[Entry] = []
    problems: list[str] = []
    for rank, article in enumerate(articles, start=1):
        repo = _repo(article)
        if repo is None:
            problems.append(f"row {rank}: no owner/repo link")
            continue
        row = _row(article, repo, rank)
        matched = matcher.matches(repo.replace("/", " "), row["description"]) if matcher else []
        if matcher and not matched:
            continue
        if row["stars"] is None:
            problems.append(f"row {rank}: {repo} has no star count")
        entries.append(
            Entry(
                source=source.name,
                url=f"https://github.com/{repo}",
                # A trending row is a dated snapshot of a repository, not an article: it keeps an identity
                # of its own so its counters stay its own; clustering still meets it by its github: key.
                canonical_url=f"https://github.com/{repo.lower()}#trending",
                title=repo,
                fetched=fetched,
                summary=row["description"],
                language=guess_language(row["description"]),
                extra={**row, "keywords": matched},
            )
        )
    return ParsedFeed(entries=entries, problems=problems, title="GitHub Trending")


class GitHubTrendingKind:
    """Options: ``since`` ("daily" | "weekly" | "monthly"), ``language`` (e.g. "python"), ``spoken_language``
    (e.g. "zh"), ``ai_only`` (True), ``keywords`` / ``extra_keywords`` as for hackernews.

    With none of ``since``/``language``/``spoken_language`` set, ``source.url`` is fetched as written.
    """

    name = "github_trending"

    def requests(self, source: Source) -> list[str]:
        options = source.options
        if not any(options.get(k) for k in ("since", "language", "spoken_language")):
            return [source.url or trending_url()]
        try:
            return [
                trending_url(
                    since=options.get("since", "daily"),
                    language=options.get("language"),
                    spoken_language=options.get("spoken_language"),
                )
            ]
        except ValueError as error:
            raise SourceError(source.name, str(error)) from None

    def parse(
        self, source: Source, payload: bytes, *, url: str, fetched: datetime | None = None
    ) -> ParsedFeed:
        return parse_trending(source, payload, url=url, fetched=fetched)


kind = GitHubTrendingKind()


@hookimpl
def register_source_kinds(register: Callable[[SourceKind], None]) -> None:
    """A built-in kind, registered through the same hook as a plugin's."""
    register(kind)
