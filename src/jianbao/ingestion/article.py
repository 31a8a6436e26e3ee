"""One article from a pasted URL or a file, as an understood ``Entry``: what the desk's "add a URL" and
``jianbao summarize`` read, through the same fetch layer and extraction as every other page.

``fetch_article`` fetches a page politely (``[fetch]`` settings, one retry) and extracts its article with
trafilatura (``extract.extract_article``); ``read_article`` does the same for a
saved page, or reads a Markdown or text file as the article itself (its first heading or line is its
title). Both give the entry ``understand`` makes: canonical URL, paper/code/project links, language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from jianbao.config import Config
from jianbao.errors import JianbaoError
from jianbao.ingestion.boundary import Boundary
from jianbao.ingestion.extract import extract_article, understand
from jianbao.ingestion.fetch import Attempt, FetchRequest, FetchSettings, fetch_all_sync
from jianbao.ingestion.sources._text import first_sentence, looks_like_html
from jianbao.records import Entry

__all__ = ["FetchedArticle", "article_entry", "clean_title", "fetch_article", "read_article"]

# "标题 - 站点", "标题 | 站点", "标题_站点": the page's <title> carrying its site's name.
_SITE_SUFFIX = r"\s*(?:[-|｜_—–]|\s-\s)\s*{site}\s*$"
_SETEXT_RE = re.compile(r"^\s*(?:=+|-+)\s*$")
_ATX_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_SOURCE_LINE_RE = re.compile(r"^\[[^\]\n]*\]\((https?://[^)\s]+)\)[^\n]{0,30}(?:\n|$)")


def clean_title(title: str, *, site: str | None = None) -> str:
    """A page's title on one line without its site's name tacked on ("… - 机器之心" → "…")."""
    title = " ".join(title.split())
    if site and site.strip() and title != site.strip():
        stripped = re.sub(_SITE_SUFFIX.format(site=re.escape(site.strip())), "", title, flags=re.IGNORECASE)
        title = stripped or title
    return title


def article_entry(html: str, *, url: str, source: str, now: dt.datetime) -> Entry:
    """The article of one HTML page as an understood entry (``url`` is where it came from)."""
    article = extract_article(html, url=url)
    site = re.sub(r"^www\.", "", re.sub(r"^[a-z]+://([^/]+).*$", r"\1", url))
    return understand(
        Entry(
            source=source,
            url=url,
            title=clean_title(article.title or "", site=site) or url,
            author=article.author,
            published=now,
            fetched=now,
            summary=article.description,
            content=article.text,
            language=article.language,
            images=list(article.images),
            links=list(article.links),
        )
    )


@dataclass(slots=True)
class FetchedArticle:
    """What fetching one article gave: its entry, or why there is none; and the attempts, for the fetch log."""

    entry: Entry | None
    error: str | None = None
    attempts: list[Attempt] = field(default_factory=list)


def fetch_article(
    url: str,
    config: Config,
    *,
    source: str,
    redirects: bool = True,
    now: dt.datetime | None = None,
    boundary: Boundary | None = None,
) -> FetchedArticle:
    """Fetch ``url`` through the fetch layer (``[fetch]`` timeout, size cap and User-Agent, one retry) and
    extract its article. ``redirects=False`` follows none: a caller that checked the address (the desk's
    guard) must not be led to one it never saw. ``boundary`` is the fetch boundary to connect through (by
    default one that treats ``url`` as from content: public addresses only)."""
    url = url.strip()
    settings = FetchSettings(
        read_timeout=config.fetch.timeout,
        retries=min(config.fetch.retries, 1),
        max_bytes=config.fetch.max_bytes,
    )
    if not redirects:
        settings.max_redirects = 0
    if config.fetch.user_agent:
        settings.user_agent = config.fetch.user_agent
    [result] = fetch_all_sync([FetchRequest(url=url, source=source, kind="page")], settings, boundary=boundary)
    if not result.ok or result.text is None:
        return FetchedArticle(None, result.error or f"HTTP {result.status}", result.attempts)
    entry = article_entry(result.text, url=url, source=source, now=now or dt.datetime.now(dt.UTC))
    return FetchedArticle(entry, attempts=result.attempts)


def read_article(path: Path, *, source: str, now: dt.datetime | None = None) -> Entry:
    """The article in a file: a saved HTML page (extracted like a fetched one), or Markdown or plain text
    whose first heading (or first line) is the title, and a link line right under it (a read-later
    export's) the article's address. Raises ``JianbaoError`` for a file it cannot read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise JianbaoError(f"{path}: no such file") from None
    except OSError as exc:
        raise JianbaoError(f"{path}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise JianbaoError(f"{path}: not UTF-8 text") from None
    when = now or dt.datetime.now(dt.UTC)
    url = path.resolve().as_uri()
    if looks_like_html(data):
        entry = article_entry(text, url=url, source=source, now=when)
    else:
        title, body = _title_and_body(text)
        if m := _SOURCE_LINE_RE.match(body):  # a read-later export names the article's address under its title
            url, body = m.group(1), body[m.end() :].strip()
        entry = understand(Entry(source=source, url=url, title=title or path.stem, published=when,
                                 fetched=when, content=body))  # fmt: skip
    if not entry.content.strip():
        raise JianbaoError(f"{path}: no article text found")
    return entry


def _title_and_body(text: str) -> tuple[str, str]:
    """A Markdown or text file's title (an ATX or setext heading, else a short first line) and the rest."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", ""
    if m := _ATX_RE.match(lines[0]):
        return m.group(1).strip(), "\n".join(lines[1:]).strip()
    if len(lines) > 1 and _SETEXT_RE.match(lines[1]) and lines[1].strip():
        return lines[0].strip(), "\n".join(lines[2:]).strip()
    first = lines[0].strip()
    if len(first) <= 80 and not re.search(r"[。！？.!?]$", first):
        return first, "\n".join(lines[1:]).strip()
    return first_sentence(first), text.strip()
