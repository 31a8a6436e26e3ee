"""Single article pages (a company blog post, a WeChat article) turned into one entry with trafilatura."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from jianbao.errors import SourceError
from jianbao.hookspecs import hookimpl
from jianbao.ingestion.sources import ParsedFeed, SourceKind
from jianbao.ingestion.sources._text import collapse, guess_language, looks_like_html
from jianbao.records import Entry, Source

__all__ = ["PageKind", "clean_author", "kind", "parse_page"]

_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"  # htmldate's default drops the time of day
_MIN_CHARS = 100  # below this, trafilatura found navigation or boilerplate, not an article
_AUTHOR_PREFIX = re.compile(r"^\s*(?:作者|文|撰文|编辑|来源|by)\s*[:：|丨]?\s*", re.IGNORECASE)


def clean_author(author: str | None) -> str | None:
    """``"作者：张三"`` → ``"张三"``: Chinese pages put the label inside the byline element."""
    if not author:
        return None
    return collapse(_AUTHOR_PREFIX.sub("", author, count=1)) or None


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _decode(payload: bytes) -> str:
    # trafilatura guesses the charset (meta tag, then detection); reuse it so Entry.html is the same text.
    # lazy: trafilatura takes ~0.3 s to import, and every ingest loads this kind, page sources or not
    from trafilatura.utils import decode_file

    decoded = decode_file(payload)
    return decoded if isinstance(decoded, str) else decoded.decode("utf-8", errors="replace")


def _extract(html: str, url: str) -> Any:
    # lazy: as in _decode, trafilatura costs ~0.3 s to import
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_links=True,
        include_images=True,
        date_extraction_params={
            "outputformat": _DATE_FORMAT,
            "original_date": True,
            "extensive_search": True,
        },
    )


def parse_page(source: Source, payload: bytes, *, url: str, fetched: datetime | None = None) -> ParsedFeed:
    """The article of one page as a single entry; a page with no article text raises SourceError."""
    if not payload.strip():
        raise SourceError(source.name, "empty response")
    if not looks_like_html(payload) and b"<" not in payload[:4096]:
        raise SourceError(source.name, "not an HTML page")
    html = _decode(payload)
    document = _extract(html, url)
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    min_chars = int(source.options.get("min_chars", _MIN_CHARS))
    if len("".join(text.split())) < min_chars:
        raise SourceError(source.name, "no article found in page")
    problems: list[str] = []
    title = collapse(document.title or "")
    if not title:
        title = collapse(text.split("\n", 1)[0])[:80]
        problems.append(f"page {url}: no title; using the first line")
    published = _date(document.date)
    if document.date and published is None:
        problems.append(f"page {url}: unparseable date {document.date!r}")
    summary = collapse(document.description or "")
    entry = Entry(
        source=source.name,
        url=url,
        title=title,
        author=clean_author(document.author),
        published=published,
        fetched=fetched,
        summary=summary,
        content=re.sub(r"\n{2,}", "\n\n", text.replace("\n", "\n\n")),
        html=html,
        language=document.language or guess_language(title, text[:500]),
        images=[document.image] if document.image else [],
        extra={
            k: v
            for k, v in {
                "sitename": document.sitename,
                "tags": document.tags,
                "categories": document.categories,
            }.items()
            if v
        },
    )
    return ParsedFeed(entries=[entry], problems=problems, title=document.sitename or None)


class PageKind:
    """Options: ``urls`` (list of article URLs; without it, ``source.url`` is the one article), ``min_chars``
    (100: less extracted text than this means the page holds no article)."""

    name = "page"

    def requests(self, source: Source) -> list[str]:
        urls = source.options.get("urls")
        if isinstance(urls, str):
            urls = [urls]
        return [u for u in urls if u] if urls else [source.url]

    def parse(
        self, source: Source, payload: bytes, *, url: str, fetched: datetime | None = None
    ) -> ParsedFeed:
        return parse_page(source, payload, url=url, fetched=fetched)


kind = PageKind()


@hookimpl
def register_source_kinds(register: Callable[[SourceKind], None]) -> None:
    """A built-in kind, registered through the same hook as a plugin's."""
    register(kind)
