"""OPML subscription lists (exported from any feed reader) turned into sources for ``sources import-opml``."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from urllib.parse import urlparse

from lxml import etree

from jianbao.errors import SourceError
from jianbao.ingestion.sources._text import has_cjk
from jianbao.records import Region, Source

__all__ = ["guess_kind", "parse_opml", "slugify"]

_NOT_NAME = re.compile(r"[^\w.]+")  # \w keeps Chinese characters: names stay readable on a command line


def slugify(text: str) -> str:
    """A command-line friendly name: lower case, no spaces or punctuation, Chinese characters kept."""
    slug = _NOT_NAME.sub("-", text.strip().lower()).strip("-._")
    return re.sub(r"-{2,}", "-", slug)


def guess_kind(url: str) -> str:
    """The source kind a feed URL implies; plain feeds are "rss"."""
    parsed = urlparse(url)
    host = parsed.netloc.lower()
    if host.endswith("export.arxiv.org") and parsed.path.startswith("/api/"):
        return "arxiv"
    if host == "hn.algolia.com":
        return "hackernews"
    if host == "github.com" and parsed.path.startswith("/trending"):
        return "github_trending"
    return "rss"


def _fallback_name(url: str) -> str:
    host = urlparse(url).netloc.lower().removeprefix("www.")
    digest = hashlib.sha1(url.encode()).hexdigest()[:6]
    return f"{slugify(host) or 'feed'}-{digest}"


def _outlines(
    node: etree._Element, path: tuple[str, ...]
) -> Iterator[tuple[etree._Element, tuple[str, ...]]]:
    for child in node:
        if not isinstance(child.tag, str) or etree.QName(child).localname != "outline":
            continue
        if child.get("xmlUrl"):
            yield child, path
        label = (child.get("title") or child.get("text") or "").strip()
        yield from _outlines(child, (*path, label) if label and not child.get("xmlUrl") else path)


def _categories(outline: etree._Element, folders: tuple[str, ...]) -> list[str]:
    found = list(folders)
    for value in (outline.get("category") or "").split(","):
        found.extend(part.strip() for part in value.split("/") if part.strip())
    return list(dict.fromkeys(found))


def parse_opml(payload: bytes, *, origin: str = "opml") -> list[Source]:
    """Every feed of an OPML document (nested folders become categories), named uniquely.

    The region is 中文圈 when the feed's title or one of its folders/categories is written in Chinese.
    Each source's options carry ``categories`` and, when given, ``homepage`` (the outline's htmlUrl).
    """
    if not payload.strip():
        raise SourceError(origin, "empty OPML file")
    try:
        root = etree.fromstring(payload, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise SourceError(origin, f"malformed OPML: {error.msg} (line {error.lineno})") from None
    if etree.QName(root).localname != "opml":
        raise SourceError(origin, f"not an OPML file (root <{etree.QName(root).localname}>)")
    body = next((c for c in root if isinstance(c.tag, str) and etree.QName(c).localname == "body"), None)
    if body is None:
        raise SourceError(origin, "OPML has no <body>")
    sources: list[Source] = []
    names: set[str] = set()
    urls: set[str] = set()
    for outline, folders in _outlines(body, ()):
        url = outline.get("xmlUrl", "").strip()
        if url in urls:
            continue
        urls.add(url)
        title = " ".join((outline.get("title") or outline.get("text") or "").split())
        categories = _categories(outline, folders)
        region: Region = "中文圈" if any(has_cjk(t) for t in (title, *categories)) else "国际"
        base = slugify(title) or _fallback_name(url)
        name, n = base, 2
        while name in names:
            name, n = f"{base}-{n}", n + 1
        names.add(name)
        options: dict[str, object] = {"categories": categories}
        if homepage := (outline.get("htmlUrl") or "").strip():
            options["homepage"] = homepage
        sources.append(
            Source(name=name, url=url, kind=guess_kind(url), title=title, region=region, options=options)
        )
    return sources
