"""Parse the arXiv export API's Atom answer into per-paper metadata (pure: bytes in, dicts out)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from lxml import etree

from jianbao.ingestion.sources.arxiv import split_arxiv_id

__all__ = ["ArxivAnswer", "parse_arxiv_answer", "query_url"]

_NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
_WITHDRAWN = re.compile(r"\bwithdrawn\b", re.IGNORECASE)
_SPACES = re.compile(r"\s+")

# (found: id → metadata, errors: id → (http-like status, reason))
ArxivAnswer = tuple[dict[str, dict[str, Any]], dict[str, tuple[int, str]]]


def query_url(base: str, ids: list[str]) -> str:
    """The ``id_list`` query for a batch; ``max_results`` must cover the batch (the API default is 10)."""
    id_list = ",".join(quote(i, safe="/.") for i in ids)
    return f"{base.rstrip('/')}/api/query?id_list={id_list}&max_results={len(ids)}"


def _text(node: etree._Element, path: str) -> str:
    found = node.find(path, _NS)
    return _SPACES.sub(" ", found.text or "").strip() if found is not None and found.text else ""


def parse_arxiv_answer(content: bytes) -> ArxivAnswer:
    """Metadata per version-less id, and the ids the API reported as errors.

    The API answers a bad id with an entry whose ``<id>`` is ``…/api/errors#…`` and an unknown one with
    an entry without a title; both land in ``errors``. Raises ``ValueError`` on a body that is not an
    Atom feed, so the caller records the whole batch as failed.
    """
    try:
        root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML ({exc})") from None
    if root.tag != f"{{{_NS['a']}}}feed":
        raise ValueError(f"not an Atom feed (root <{etree.QName(root).localname}>)")
    found: dict[str, dict[str, Any]] = {}
    errors: dict[str, tuple[int, str]] = {}
    for entry in root.findall("a:entry", _NS):
        raw_id = _text(entry, "a:id")
        if "/api/errors" in raw_id:
            bad = raw_id.rsplit("_for_", 1)[-1] if "_for_" in raw_id else raw_id
            errors[bad] = (400, _text(entry, "a:summary") or "arXiv reported an error")
            continue
        parsed = split_arxiv_id(raw_id)
        if parsed is None:
            continue
        arxiv_id, version = parsed
        title = _text(entry, "a:title")
        if not title:
            errors[arxiv_id] = (404, "unknown to arXiv (empty entry)")
            continue
        comment = _text(entry, "arxiv:comment")
        primary = entry.find("arxiv:primary_category", _NS)
        pdf = next((x.get("href") for x in entry.findall("a:link", _NS) if x.get("title") == "pdf"), None)
        found[arxiv_id] = {
            "title": title,
            "authors": [n for n in (_text(a, "a:name") for a in entry.findall("a:author", _NS)) if n],
            "abstract": _text(entry, "a:summary"),
            "category": primary.get("term") if primary is not None else None,
            "published": _text(entry, "a:published") or None,
            "updated": _text(entry, "a:updated") or None,
            "version": version,
            "comment": comment or None,
            "journal_ref": _text(entry, "arxiv:journal_ref") or None,
            "url": f"https://arxiv.org/abs/{arxiv_id}",
            "pdf": pdf,
            "withdrawn": bool(_WITHDRAWN.search(comment)) or title.lower().startswith("[withdrawn]"),
        }
    return found, errors
