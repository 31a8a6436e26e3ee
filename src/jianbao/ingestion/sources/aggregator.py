"""Aggregator entries (Hacker News, Reddit, Lobsters): a link to someone else's article plus a line about the
discussion. The line ("Score: 146 Comments: 135 By: …", hnrss's "Article URL: … Points: …", Reddit's
"submitted by /u/… [link] [comments]") is metadata, not the story: its counters go to ``extra`` (points,
comments, the discussion's URL) and the entry keeps only real text, so the item's summary comes from the
linked article (fetched at ingest by ``jianbao.ingestion.articles``), never from the aggregator's line.

An entry is an aggregator's when its comments link or its own link is on an aggregator's host
(``AGGREGATOR_HOSTS``), or when its feed text is nothing but such a line.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from jianbao.records import Entry

__all__ = ["AGGREGATOR_HOSTS", "Metadata", "aggregator_of", "mark_aggregator", "read_metadata"]

# host → the aggregator's name (a subdomain matches too)
AGGREGATOR_HOSTS: dict[str, str] = {
    "news.ycombinator.com": "Hacker News",
    "hn.algolia.com": "Hacker News",
    "reddit.com": "Reddit",
    "redd.it": "Reddit",
    "lobste.rs": "Lobsters",
    "slashdot.org": "Slashdot",
    "tildes.net": "Tildes",
    "news.hada.io": "GeekNews",
    "v2ex.com": "V2EX",
}
_HOST_ENDINGS = tuple(AGGREGATOR_HOSTS)

# Labels of a metadata line and what their value is: a counter, the poster, a link or nothing worth keeping.
_LABELS: dict[str, str] = {
    "score": "points", "points": "points", "votes": "points", "upvotes": "points", "karma": "points",
    "comments": "comments", "# comments": "comments", "num comments": "comments", "replies": "comments",
    "by": "author", "author": "author", "posted by": "author", "submitted by": "author", "poster": "author",
    "discussion": "url", "comments url": "url", "article url": "url", "link": "url", "url": "url",
    "source": "url", "domain": "url", "via": "url", "thread": "url",
    "分数": "points", "热度": "points", "点赞": "points", "评论": "comments", "评论数": "comments",
    "作者": "author", "讨论": "url", "原文": "url", "链接": "url",
}  # fmt: skip
_LABEL_RE = re.compile(
    r"(?<![\w#])(" + "|".join(re.escape(k) for k in sorted(_LABELS, key=len, reverse=True)) + r")\s*[:：]\s*",
    re.IGNORECASE,
)
_LONGEST_LABEL = max(map(len, _LABELS))  # IGNORECASE matches a character for a character: the match's length
_COLON_RE = re.compile("[:：]")
_URL_RE = re.compile(r"https?://\S+")
_REDDIT_RE = re.compile(r"submitted\s+by\s+(/?u/[\w-]+)|\[(?:link|comments)\]", re.IGNORECASE)
_BARE_WORDS = re.compile(r"^(?:comments?|discussion|discuss|link|评论|讨论|原文|阅读原文)$", re.IGNORECASE)
_LONGEST_BARE_WORD = len("discussion")  # IGNORECASE matches a character for a character
_LEFTOVER_MARKS = " |·,;-:："  # what the leftover is stripped of (spaces: the only whitespace in ``flat``)
_DISCUSSION_LABELS = ("discussion", "comments url", "thread", "讨论")
_LEFTOVER_WORDS = 4  # fewer words than this left once the metadata is out: the text was only metadata
_LEFTOVER_CJK = 10


@dataclass(slots=True)
class Metadata:
    """What an aggregator's line says: its counters and links, and whatever real text came with it."""

    text: str  # the entry's own words without the metadata ("" when the line was all there was)
    counters: dict[str, Any] = field(default_factory=dict)  # points, comments, author, discussion_url
    labels: int = 0  # how many "label: value" pairs were read

    @property
    def is_metadata(self) -> bool:
        return self.labels > 0 and not self.text


def _number(value: str) -> int | None:
    match = re.search(r"\d[\d,]*", value)
    return int(match.group(0).replace(",", "")) if match else None


def _label_key(label: str) -> str:
    """The ``_LABELS`` key a label matched: IGNORECASE also matches "ſ" to "s", "K" (Kelvin) to "k" and "ı" to
    "i", which ``lower()`` keeps apart."""
    key = label.lower()
    if key in _LABELS:
        return key
    return next(
        k for k in _LABELS if len(k) == len(label) and re.fullmatch(re.escape(k), label, re.IGNORECASE)
    )


def read_metadata(text: str) -> Metadata:
    """Split an aggregator's metadata line from the text around it (``text`` is plain text).

    Each ``label: value`` pair is read as the label's first word (a counter, the poster, a link) and the
    words after it, which are text again; links and bare "Comments" are dropped. When fewer than four words
    (ten Chinese characters) are left, the line was all there was."""
    flat = " ".join(text.split())  # re.sub(r"\s+", " ", text).strip(): \s is what str.split splits on
    counters: dict[str, Any] = {}
    labels = 0
    if _reddit_marks(flat):
        for match in _REDDIT_RE.finditer(flat):
            labels += 1
            if match.group(1):
                counters.setdefault("author", match.group(1).removeprefix("/"))
        if labels:
            flat = _REDDIT_RE.sub(" ", flat)
    pieces = _label_split(flat)
    kept = [pieces[0]]
    for label, value in zip(pieces[1::2], pieces[2::2], strict=True):
        labels += 1
        label = _label_key(label)
        kind = _LABELS[label]
        first, _, tail = value.strip(" |·,;-").partition(" ")
        if kind in ("points", "comments") and (n := _number(first)) is not None:
            counters.setdefault(kind, n)
        elif kind == "author" and first:
            counters.setdefault("author", first.strip("/"))
        elif kind == "url" and first.startswith("http") and label in _DISCUSSION_LABELS:
            counters.setdefault("discussion_url", first)
        kept.append(tail)
    rest = " ".join(kept)
    if "http" in rest:  # every URL _URL_RE drops starts so
        rest = _URL_RE.sub(" ", rest)
    if not labels:  # the leftover matters only as a bare word: one too long to be one is not worked out
        core = rest.strip(_LEFTOVER_MARKS)  # the leftover is this with its runs of spaces made single
        if len(core) - core.count(" ") > _LONGEST_BARE_WORD:
            return Metadata(text=text.strip(), counters=counters)
    leftover = " ".join(rest.split()).strip(" |·,;-:：")
    if _BARE_WORDS.match(leftover) or (labels and _too_short(leftover)):
        return Metadata(text="", counters=counters, labels=max(labels, 1))
    return Metadata(text=leftover if labels else text.strip(), counters=counters, labels=labels)


def _label_split(flat: str) -> list[str]:
    """``_LABEL_RE.split(flat)``, scanning only where a match can be: a label ends at a colon (after spaces),
    and labels hold no colon, so each match lies within the longest label's length before one colon."""
    if ":" not in flat and "：" not in flat:
        return [flat]
    pieces: list[str] = []
    pos, size = 0, len(flat)
    for colon in _COLON_RE.finditer(flat):
        at = colon.start()
        if at < pos:
            continue
        start = at
        while start > pos and flat[start - 1].isspace():
            start -= 1
        end = at + 1
        while end < size and flat[end].isspace():
            end += 1
        # The lookbehind still sees the character before the window (search's pos is not a slice).
        match = _LABEL_RE.search(flat, max(pos, start - _LONGEST_LABEL), end)
        if match is not None:
            pieces += [flat[pos : match.start()], match.group(1)]
            pos = match.end()
    pieces.append(flat[pos:])
    return pieces


def _reddit_marks(text: str) -> int:
    """At least the number of ``_REDDIT_RE`` matches in ``text``: each holds a "[" or a "u/" of its own (only
    "u" and "U" match "u" case-insensitively), and substring counts are far cheaper than its scan."""
    return text.count("[") + text.count("u/") + text.count("U/")


def _may_hold_labels(text: str, least: int) -> bool:
    """False when ``text`` cannot hold ``least`` metadata labels: each label pair holds a colon of its own and
    each Reddit marker its own "[" or "u/", so together they bound the count ``read_metadata`` finds.

    Without Reddit markers only the colons a label can end at count (``_label_colons``), searched in the text
    as it is: a label ``read_metadata`` finds in the text with its whitespace collapsed ends at the same colon
    here, found as the label itself or as its last word, which is a label too ("posted by" → "by"). (A Reddit
    marker taken out first can put a label before any colon: "by: /u/xhttps://" leaves "by ://".)"""
    marks = _reddit_marks(text)
    if text.count(":") + text.count("：") + marks < least:
        return False
    return bool(marks) or _label_colons(text, least) >= least


def _label_colons(text: str, enough: int) -> int:
    """How many colons of ``text`` a label may end at (spaces between them), counted up to ``enough``."""
    found = 0
    for colon in (":", "："):
        at = text.find(colon)
        while at >= 0 and found < enough:
            start = at
            while start > 0 and text[start - 1].isspace():
                start -= 1
            if _LABEL_RE.search(text, max(0, start - _LONGEST_LABEL), at + 1):
                found += 1
            at = text.find(colon, at + 1)
    return found


def _too_short(text: str) -> bool:
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    words = len(re.findall(r"[A-Za-z0-9]+", text))
    return cjk < _LEFTOVER_CJK and words < _LEFTOVER_WORDS


@functools.lru_cache(maxsize=1 << 14)  # pure; an entry's link is asked about by marking and by its articles
def aggregator_of(url: str) -> str:
    """The aggregator whose host ``url`` is on ("" for none)."""
    if not url:
        return ""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("old.")
    if not host.endswith(_HOST_ENDINGS):  # a host ending in none of them is none of them nor a subdomain
        return ""
    for known, name in AGGREGATOR_HOSTS.items():
        if host == known or host.endswith("." + known):
            return name
    return ""


def _outbound_link(html: str, *, not_on: str) -> str:
    """The first link of ``html`` off the aggregator (Reddit's "[link]"), "" for none."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        off_site = href.startswith(("http://", "https://")) and aggregator_of(href) != not_on
        if off_site and anchor.text_content().strip().lower() in ("[link]", "link"):
            return href
    return ""


def mark_aggregator(entry: Entry) -> Entry:
    """An aggregator's entry with its metadata moved to ``extra`` and its link on the article it discusses;
    any other entry as it was."""
    comments = str(entry.extra.get("comments_url") or "")
    name = aggregator_of(comments) or aggregator_of(entry.url)
    told = entry.summary or entry.content  # a feed without a description (JSON Feed) tells it in the content
    if not name and not _may_hold_labels(told, 2):
        return entry  # neither an aggregator's link nor room for a metadata line of two labels
    meta = read_metadata(told) if told else Metadata(text="")
    if not name and not (meta.is_metadata and meta.labels >= 2):
        return entry
    extra = dict(entry.extra)
    extra["aggregator"] = name or "aggregator"
    for key, value in meta.counters.items():
        extra.setdefault(key, value)
    discussion = comments if aggregator_of(comments) else ""
    url = entry.url
    if aggregator_of(url) and (outbound := _outbound_link(entry.html, not_on=aggregator_of(url))):
        discussion, url = (
            url,
            outbound,
        )  # a Reddit link post: the thread is the discussion, the link the story
    if discussion:
        extra.setdefault("discussion_url", discussion)
    text = "" if meta.is_metadata or not entry.summary else meta.text
    own_text = bool(entry.content.strip()) and not read_metadata(entry.content).is_metadata
    return Entry(
        source=entry.source,
        url=url,
        title=entry.title,
        canonical_url=entry.canonical_url if url == entry.url else "",
        author=entry.author or (str(meta.counters["author"]) if "author" in meta.counters else None),
        published=entry.published,
        fetched=entry.fetched,
        summary=text,
        content=entry.content if own_text else "",
        html=entry.html if own_text else "",  # the metadata's HTML would become the entry's text again
        language=entry.language,
        images=entry.images,
        links=entry.links,
        extra=extra,
    )
