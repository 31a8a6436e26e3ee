"""Paper metadata from a landing page's citation meta tags (OpenReview, CVF, ACL Anthology, nature.com…)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import lxml.html

__all__ = ["page_url", "parse_citation"]

_SPACES = re.compile(r"\s+")


def page_url(key: str, url: str | None) -> str | None:
    """The HTML page to read for ``key``: PDFs swapped for their landing page; None when unknown."""
    prefix, _, ident = key.partition(":")
    if url:
        url = url.strip()
        if prefix == "openreview":
            return re.sub(r"/pdf\?", "/forum?", url)
        if prefix == "cvf":
            return re.sub(r"/papers/([^/]+)\.pdf$", r"/html/\1.html", url)
        if prefix == "acl" and url.lower().endswith(".pdf"):
            return url[:-4] + "/"
        if prefix == "doi" and url.lower().endswith(".pdf"):
            return url[:-4]
        return url
    if prefix == "openreview":
        return f"https://openreview.net/forum?id={quote(ident)}"
    if prefix == "acl":
        return f"https://aclanthology.org/{quote(ident)}/"
    if prefix == "doi":
        return f"https://doi.org/{quote(ident, safe='/')}"
    return None  # a CVF stem does not say which conference folder it lives in


def _clean(value: str | None) -> str:
    return _SPACES.sub(" ", value or "").strip()


def parse_citation(text: str) -> dict[str, Any]:
    """Title, authors, venue and date from ``citation_*`` meta tags (``og:title`` and <title> as fallbacks).

    Raises ``ValueError`` when the page names no title at all, so the lookup is recorded as failed.
    """
    try:
        doc = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ValueError(f"not HTML ({exc})") from None
    metas: dict[str, list[str]] = {}
    for node in doc.iter("meta"):
        name = (node.get("name") or node.get("property") or "").strip().lower()
        content = _clean(node.get("content"))
        if name and content:
            metas.setdefault(name, []).append(content)

    def first(*names: str) -> str | None:
        return next((metas[n][0] for n in names if n in metas), None)

    title = first("citation_title", "dc.title", "og:title")
    if not title:
        node = doc.find(".//title")
        title = _clean(node.text_content()) if node is not None else None
    if not title:
        raise ValueError("no title in the page's meta tags")
    authors = metas.get("citation_author") or metas.get("dc.creator") or []
    return {
        "title": title,
        "authors": authors,
        "venue": first(
            "citation_conference_title", "citation_journal_title", "citation_publisher", "og:site_name"
        ),
        "date": first("citation_publication_date", "citation_date", "citation_online_date", "dc.date"),
        "pdf": first("citation_pdf_url"),
        "doi": first("citation_doi"),
    }
