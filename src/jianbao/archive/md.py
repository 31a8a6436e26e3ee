"""Small Markdown helpers shared by the weekly and daily parsers: links, bare URLs, images, link kinds."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from jianbao.records import Link, LinkKind

# [text](target) where text may hold one level of nested brackets, e.g. [【开源】[x] y](u).
LINK_RE = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
IMAGE_RE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_IMG_RE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
BARE_URL_RE = re.compile(r"https?://[^\s<>\"'()\[\]（）【】，。；、！？「」`*]+", re.IGNORECASE)
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_TRAILING = ".,;:!?'\""
_LABEL_RE = re.compile(r"^[>\s\-*+]*(?:\d+[.、]\s*)?\**([^\s：:*][^：:]{0,24}?)\**\s*[：:]\s*\**\s*$")
_LABEL_URL_RE = re.compile(
    r"^[>\s\-*+]*(?:\d+[.、]\s*)?\**([^\s：:*][^：:]{0,24}?)\**\s*[：:]\s*\**\s*<?https?://"
)


def is_url(target: str | None) -> bool:
    return bool(target) and re.match(r"^https?://\S+$", target or "", re.IGNORECASE) is not None


def clean_url(url: str) -> str:
    return url.rstrip(_TRAILING)


def strip_markdown(text: str) -> str:
    """Plain text of a Markdown line: links become their text, emphasis and code marks go."""
    text = IMAGE_RE.sub("", text)
    text = HTML_IMG_RE.sub("", text)
    text = LINK_RE.sub(lambda m: m.group(1), text)
    text = re.sub(r"\*\*|__|`", "", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)([^*]+)(?<!\s)\*(?!\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def images_in(text: str) -> list[str]:
    """Image targets in order of appearance, Markdown and HTML alike."""
    found: list[tuple[int, str]] = [(m.start(), m.group(1)) for m in IMAGE_RE.finditer(text)]
    found += [(m.start(), m.group(1)) for m in HTML_IMG_RE.finditer(text)]
    return [url for _, url in sorted(found)]


def urls_in(text: str) -> list[tuple[int, str, str | None]]:
    """(offset, url, link text or None) for every http(s) URL outside images, in order, first one wins."""
    masked = IMAGE_RE.sub(lambda m: " " * len(m.group(0)), text)
    masked = HTML_IMG_RE.sub(lambda m: " " * len(m.group(0)), masked)
    found: list[tuple[int, str, str | None]] = []
    spans: list[tuple[int, int]] = []
    for m in LINK_RE.finditer(masked):
        spans.append((m.start(), m.end()))
        if is_url(m.group(2)):
            found.append((m.start(), clean_url(m.group(2)), m.group(1)))
        # URLs written inside the link text are still URLs the author printed
        for inner in BARE_URL_RE.finditer(m.group(1)):
            found.append((m.start() + 1 + inner.start(), clean_url(inner.group(0)), None))
    for m in BARE_URL_RE.finditer(masked):
        if any(a <= m.start() < b for a, b in spans):
            continue
        found.append((m.start(), clean_url(m.group(0)), None))
    found.sort(key=lambda x: x[0])
    return found


def label_before(line: str) -> str | None:
    """The label written before a URL on the same line (``> 论文：https://…``) or alone (``> Github:``)."""
    m = _LABEL_URL_RE.match(line) or _LABEL_RE.match(line)
    if not m:
        return None
    label = m.group(1).strip().strip("*").strip()
    return label or None


def link_kind(url: str, label: str | None = None) -> LinkKind:
    """paper / code / project / article, from the host and path first and the author's label second."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    path = parts.path.lower()
    if (
        any(host == h or host.endswith("." + h) for h in ("arxiv.org", "openreview.net", "thecvf.com"))
        or host.endswith("aclanthology.org")
        or host.endswith("nature.com")
        or path.endswith(".pdf")
    ):
        return "paper"
    if host.endswith(".github.io"):
        return "project"
    if host in ("github.com", "www.github.com", "gitee.com", "www.gitee.com"):
        return "code"
    if label and "项目" in label:
        return "project"
    return "article"


def make_link(url: str, label: str | None) -> Link:
    return Link(url=url, kind=link_kind(url, label), key=None, label=label)
