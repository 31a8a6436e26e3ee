"""arXiv export API (Atom with the ``arxiv:`` namespace): newest papers in chosen categories or for a query."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from lxml import etree

from jianbao.errors import SourceError
from jianbao.hookspecs import hookimpl
from jianbao.ingestion.sources import ParsedFeed, SourceKind
from jianbao.ingestion.sources._text import collapse, looks_like_html
from jianbao.records import Entry, Source

__all__ = ["API_URL", "ArxivKind", "build_query_url", "kind", "parse_arxiv", "split_arxiv_id"]

API_URL = "http://export.arxiv.org/api/query"
_NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v(?P<version>\d+))?$")
_SORT_BY = {"submittedDate", "lastUpdatedDate", "relevance"}


def split_arxiv_id(abs_url: str) -> tuple[str, int | None] | None:
    """``http://arxiv.org/abs/2106.04560v2`` → ``("2106.04560", 2)``; old ids like ``cs/9901002`` too."""
    match = _ID.search(abs_url.strip())
    if not match:
        return None
    version = match.group("version")
    return match.group("id"), int(version) if version else None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


def build_query_url(
    *,
    categories: Iterable[str] = (),
    query: str | None = None,
    max_results: int = 50,
    sort_by: str = "submittedDate",
    base: str = API_URL,
) -> str:
    """The API URL for the newest papers in any of ``categories`` matching ``query`` (arXiv query syntax)."""
    parts: list[str] = []
    cats = [c for c in categories if c]
    if cats:
        joined = " OR ".join(f"cat:{c}" for c in cats)
        parts.append(f"({joined})" if len(cats) > 1 and query else joined)
    if query:
        parts.append(f"({query})" if cats else query)
    if not parts:
        raise ValueError("an arXiv query needs categories or a query")
    if sort_by not in _SORT_BY:
        raise ValueError(f"sort_by must be one of {', '.join(sorted(_SORT_BY))}")
    params = {
        "search_query": " AND ".join(parts),
        "sortBy": sort_by,
        "sortOrder": "descending",
        "max_results": str(int(max_results)),
    }
    return f"{base}?{urlencode(params, safe=':')}"


def _text(node: etree._Element, path: str) -> str:
    found = node.find(path, _NS)
    return collapse(found.text or "") if found is not None and found.text else ""


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _entry(
    node: etree._Element, number: int, *, source: Source, fetched: datetime | None, problems: list[str]
) -> Entry | None:
    raw_id = _text(node, "a:id")
    ident = split_arxiv_id(raw_id) if raw_id else None
    title = _text(node, "a:title")
    if ident is None:
        problems.append(f"entry {number}: no arXiv id ({raw_id or 'missing'})")
        return None
    arxiv_id, version = ident
    if not title:
        problems.append(f"entry {number}: arXiv {arxiv_id} has no title")
        return None
    links = {link.get("title") or link.get("rel"): link.get("href") for link in node.findall("a:link", _NS)}
    published = _date(_text(node, "a:published"))
    updated = _date(_text(node, "a:updated"))
    if published is None:
        problems.append(f"entry {number}: arXiv {arxiv_id} has no usable published date")
    primary = node.find("arxiv:primary_category", _NS)
    authors = [collapse(n.text or "") for n in node.findall("a:author/a:name", _NS) if n.text]
    extra: dict[str, Any] = {
        "arxiv_id": arxiv_id,
        "version": version,
        "authors": authors,
        "primary_category": primary.get("term") if primary is not None else None,
        "categories": [c.get("term") for c in node.findall("a:category", _NS) if c.get("term")],
        "comment": _text(node, "arxiv:comment") or None,
        "journal_ref": _text(node, "arxiv:journal_ref") or None,
        "doi": _text(node, "arxiv:doi") or None,
        "pdf_url": links.get("pdf"),
        "abs_url": links.get("alternate") or raw_id,
        "updated": updated.isoformat() if updated else None,
    }
    return Entry(
        source=source.name,
        url=f"https://arxiv.org/abs/{arxiv_id}",
        title=title,
        author=", ".join(authors) or None,
        published=published,
        fetched=fetched,
        summary=_text(node, "a:summary"),
        language="en",
        extra=extra,
    )


def parse_arxiv(source: Source, payload: bytes, *, url: str, fetched: datetime | None = None) -> ParsedFeed:
    """Papers of one API response; an API error document (title "Error") raises SourceError with its text."""
    if not payload.strip():
        raise SourceError(source.name, "empty response")
    if looks_like_html(payload):
        raise SourceError(source.name, "not an arXiv API response (got HTML)")
    try:
        root = etree.fromstring(payload, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise SourceError(source.name, f"malformed XML: {error.msg} (line {error.lineno})") from None
    if root.tag != f"{{{_NS['a']}}}feed":
        raise SourceError(source.name, f"not an arXiv API response (root <{etree.QName(root).localname}>)")
    nodes = root.findall("a:entry", _NS)
    for node in nodes:
        if "/api/errors" in _text(node, "a:id"):
            raise SourceError(source.name, f"arXiv API error: {_text(node, 'a:summary') or 'unknown'}")
    problems: list[str] = []
    entries = [
        entry
        for number, node in enumerate(nodes, start=1)
        if (entry := _entry(node, number, source=source, fetched=fetched, problems=problems))
    ]
    return ParsedFeed(entries=entries, problems=problems, title=_text(root, "a:title") or None)


class ArxivKind:
    """Options: ``categories`` (list or "cs.CV, cs.CL"), ``query``, ``max_results`` (50), ``sort_by``.

    Without categories or query, ``source.url`` must be a complete API query URL.
    """

    name = "arxiv"

    def requests(self, source: Source) -> list[str]:
        options = source.options
        categories = _as_list(options.get("categories"))
        query = options.get("query")
        if not categories and not query:
            if "search_query=" in source.url or "id_list=" in source.url:
                return [source.url]
            raise SourceError(source.name, "arxiv source needs options.categories or options.query")
        base = source.url.split("?", 1)[0] if "arxiv.org/api" in source.url else API_URL
        try:
            return [
                build_query_url(
                    categories=categories,
                    query=query,
                    max_results=int(options.get("max_results", 50)),
                    sort_by=options.get("sort_by", "submittedDate"),
                    base=base,
                )
            ]
        except ValueError as error:
            raise SourceError(source.name, str(error)) from None

    def parse(
        self, source: Source, payload: bytes, *, url: str, fetched: datetime | None = None
    ) -> ParsedFeed:
        return parse_arxiv(source, payload, url=url, fetched=fetched)


kind = ArxivKind()


@hookimpl
def register_source_kinds(register: Callable[[SourceKind], None]) -> None:
    """A built-in kind, registered through the same hook as a plugin's."""
    register(kind)
