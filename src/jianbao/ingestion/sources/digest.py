"""Digest posts ("AI日报：A；B；C", numbered 1、2、3、 inside; a newsletter issue titled "A, B, C") split into
one entry per story they list, so each story clusters, ranks and is summarised on its own.

Where the split happens, and why here: at parse time, as **derived entries**. Each part is an entry of its
own, stored under the post's canonical URL plus a fragment made from the part's headline
(``…/post#d-1a2b3c4d``): the identity is stable when a re-fetched post reorders its parts, the raw-hash skip of
an unchanged re-fetch works per part, ``understand`` mines each part's own links (a paper or repository link
then joins the part to that story's other reports), history ("already covered?") remembers each part, and
search finds each story by its own words. Splitting at gather time would keep the store one row per post
but redo the link mining on every build and leave history and search blind to the parts; the post itself
is not stored (its parts carry ``extra["digest"]``: the post's URL, title, position).

A post is a digest when (``[[sources]] options.digest``: ``auto``, ``true`` or ``false``):
  - its headline says so (日报/早报/周报/快讯/速递/digest/roundup/newsletter …) and lists its stories
    ("A；B；C"), or its body numbers them (1、2、3、 / 1. / ① / an ordered list), two or more;
  - its headline lists three or more stories with "；", whatever it says;
  - most of its feed's headlines are lists ("A, B, C": TLDR, The Batch), which makes every listing post one.
A numbered body gives each part its text and links; a headline list alone gives title-only parts.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import lxml.html
from lxml import etree

from jianbao.ingestion.sources._text import collapse, guess_language, html_to_text, image_urls
from jianbao.records import Entry
from jianbao.urls import canonical_url

__all__ = ["Part", "digest_parts", "split_digests"]

_MARKER_RE = re.compile(
    r"日报|早报|晚报|周报|周刊|月报|快讯|速递|速览|速报|简报|要闻|汇总|合集|一周|今日|digest|round-?up|newsletter|"
    r"this week in|weekly|daily|tl;?dr|briefing|recap",
    re.IGNORECASE,
)
_PREFIX_RE = re.compile(r"^[^：:|｜]{1,30}[：:|｜]\s*")  # "AI日报：" / "TLDR AI |" before the list
_SEMI_RE = re.compile(r"\s*[；;｜]\s*|\s+\|\s+")
_COMMA_RE = re.compile(r"\s*[,，]\s+|\s*，\s*")
_EMOJI_RE = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+")
_CN_NUMBERS = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_NUMBER_RE = re.compile(
    r"^\s*[#＃*]*\s*(?:第\s*)?(?:(?P<arabic>\d{1,2})\s*(?:[、.．)）:：]|\s+(?=\S))|[（(](?P<paren>\d{1,2})[）)]"
    rf"|(?P<circled>[{_CIRCLED}])|(?P<chinese>[{_CN_NUMBERS}]{{1,3}})\s*[、.．:：])\s*"
)
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "section", "dd", "dt"}
_TITLE_END_RE = re.compile(r"[：:。！？!?]|(?<=[a-z0-9)])\.\s")
_LINK_WORDS_RE = re.compile(r"\s*(?:阅读原文|原文链接|原文|详情|链接|来源)\s*$")  # a link's words ending a part
_OUTRO_RE = re.compile(r"^.{0,40}(?:以上就是|欢迎转发|欢迎关注|点个在看|点赞|订阅|明天见|下期见)")  # a sign-off
_MIN_PARTS = 2
_FEED_SHARE = 0.6  # this share of a feed's headlines being lists makes it a digest feed
_FEED_MIN = 3


@dataclass(slots=True)
class Part:
    """One story of a digest: its headline, its text, and the HTML it came from (for its links)."""

    title: str
    text: str = ""
    html: str = ""
    lead: str = ""  # the numbered block's own words: a heading ("一、…") is the part's headline


def _number(match: re.Match[str]) -> int | None:
    if match.group("arabic"):
        return int(match.group("arabic"))
    if match.group("paren"):
        return int(match.group("paren"))
    if match.group("circled"):
        return _CIRCLED.index(match.group("circled")) + 1
    chinese = match.group("chinese")
    if chinese and len(chinese) == 1:
        return _CN_NUMBERS.index(chinese) + 1
    if chinese == "十一":
        return 11
    return None


def title_list(title: str, *, commas: bool = False) -> list[str]:
    """The stories a headline lists ("AI日报：A；B；C" → [A, B, C]); ``commas`` also splits "A, B, C"."""
    text = _EMOJI_RE.sub(" ", title)
    text = _PREFIX_RE.sub("", text, count=1) if _MARKER_RE.search(text.split("：")[0].split(":")[0]) else text
    parts = [p for p in _SEMI_RE.split(text) if p.strip()]
    if len(parts) < 2 and commas:
        parts = [p for p in _COMMA_RE.split(text) if p.strip()]
        if len(parts) >= 2 and re.search(r"\band\b", parts[-1]) and len(parts) == 2:
            return [collapse(text)]  # "Faster, and cheaper": one headline with a comma
    return [collapse(p).strip(" .,，、") for p in parts if collapse(p).strip(" .,，、")]


def _leaf_blocks(html: str) -> list[etree._Element]:
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):
        return []
    found = []
    for element in root.iter(etree.Element):
        if element is root or str(element.tag).lower() not in _BLOCKS:
            continue
        inner = (str(child.tag).lower() for child in element.iter(etree.Element) if child is not element)
        if not any(tag in _BLOCKS for tag in inner):
            found.append(element)  # a block holding no other block: one paragraph, heading or list item
    return found


def _numbered(blocks: Sequence[tuple[str, str, bool]]) -> list[Part]:
    """Group (text, html, is_ordered_item) blocks into numbered parts: 1, 2, 3… in order, two or more."""
    parts: list[Part] = []
    expected = 1
    for text, html, ordered in blocks:
        match = _NUMBER_RE.match(text)
        number = _number(match) if match else None
        if ordered or number == expected:
            body = _LINK_WORDS_RE.sub("", text[match.end() :] if match and number == expected else text).strip()
            heading = bool(re.match(r"\s*<h[1-6]", html))
            parts.append(Part(title="", text="" if heading else body, html=html, lead=body if heading else ""))
            expected += 1
        elif parts and text.strip() and not _OUTRO_RE.search(text):
            parts[-1].text = f"{parts[-1].text}\n\n{_LINK_WORDS_RE.sub('', text).strip()}".strip()
            parts[-1].html += html
    return parts if len(parts) >= _MIN_PARTS else []


def _body_parts(entry: Entry) -> list[Part]:
    if entry.html.strip():
        blocks = []
        for element in _leaf_blocks(entry.html):
            ordered = str(element.tag).lower() == "li" and str(element.getparent().tag).lower() == "ol"
            text = collapse(element.text_content())
            if text:
                blocks.append((text, etree.tostring(element, encoding="unicode", with_tail=False), ordered))
        found = _numbered(blocks)
        if found:
            return found
    text = entry.content or entry.summary or html_to_text(entry.html)
    return _numbered([(line.strip(), "", False) for line in text.split("\n") if line.strip()])


def _headline(part: Part) -> str:
    """A part's headline: its text up to the first colon or full stop (a digest's items lead with one)."""
    if part.lead:
        return part.lead.strip(" *#【】[]")
    text = collapse(part.text)
    match = _TITLE_END_RE.search(text, 6)
    head = text[: match.start()] if match and match.start() <= 80 else text[:60]
    return head.strip(" *#【】[]")


def digest_parts(entry: Entry, *, feed_lists: bool = False, force: bool = False) -> list[Part]:
    """The stories of a digest post, or [] when ``entry`` is not one (see the module's rules).

    ``feed_lists``: most headlines of its feed are lists; ``force``: the source says it is a digest."""
    marked = bool(_MARKER_RE.search(entry.title))
    listed = title_list(entry.title, commas=feed_lists or force)
    semis = len(title_list(entry.title)) if feed_lists or force else len(listed)
    # The body's parts (a parse of the whole HTML) are read only for a post the rules may make a digest.
    if not (force or marked or semis >= 3 or (feed_lists and len(listed) >= _MIN_PARTS)):
        return []
    body = _body_parts(entry)
    if not (
        force
        or (marked and (len(listed) >= _MIN_PARTS or body))
        or semis >= 3
        or (feed_lists and len(listed) >= _MIN_PARTS)
    ):
        return []
    if body:
        titled = len(listed) == len(body)
        for index, part in enumerate(body):
            part.title = listed[index] if titled else _headline(part)
        return [p for p in body if p.title]
    if len(listed) >= _MIN_PARTS:
        return [Part(title=t) for t in listed]
    return []


def _fragment(title: str) -> str:
    key = re.sub(r"\W+", "", title.lower())
    return "d-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


def _outbound(html: str, own: str) -> str:
    """The first link of a part's HTML that leaves the digest's site: the story's own source."""
    own_host = own.split("/")[2] if own.count("/") >= 2 else ""
    for match in re.finditer(r"""href\s*=\s*["'](https?://[^"']+)["']""", html):
        url = match.group(1)
        if url.split("/")[2] != own_host:
            return url
    return ""


def _part_entry(entry: Entry, part: Part, index: int, count: int) -> Entry:
    base = entry.canonical_url or canonical_url(entry.url) or entry.url
    extra = {k: v for k, v in entry.extra.items() if k not in ("guid",)}
    extra["digest"] = {"url": entry.url, "title": entry.title, "part": index, "of": count}
    link = _outbound(part.html, entry.url)
    return Entry(
        source=entry.source,
        url=link or entry.url,
        title=part.title,
        canonical_url=f"{base.split('#')[0]}#{_fragment(part.title)}",
        author=entry.author,
        published=entry.published,
        fetched=entry.fetched,
        summary=part.text,
        content=part.text,
        html=part.html,
        language=guess_language(part.title, part.text) if part.text or part.title else entry.language,
        images=image_urls(part.html, base=entry.url) if part.html else [],
        extra=extra,
    )


def _feed_lists(entries: Sequence[Entry]) -> bool:
    """True when most of a feed's headlines list several stories ("A, B, C"): a newsletter's feed."""
    if len(entries) < _FEED_MIN:
        return False
    lists = sum(len(title_list(e.title, commas=True)) >= 3 for e in entries)
    return lists >= _FEED_SHARE * len(entries)


def split_digests(entries: Sequence[Entry], *, mode: object = "auto") -> list[Entry]:
    """The feed's entries with every digest post replaced by its parts (``mode``: the source's ``digest``
    option: "auto", True to split every post that lists stories, False never)."""
    if mode is False or str(mode).lower() in ("false", "no", "never", "off"):
        return list(entries)
    force = mode is True or str(mode).lower() in ("true", "yes", "always", "on")
    feed_lists = _feed_lists(entries)
    out: list[Entry] = []
    for entry in entries:
        parts = (
            [] if entry.extra.get("aggregator") else digest_parts(entry, feed_lists=feed_lists, force=force)
        )
        if not parts:
            out.append(entry)
            continue
        seen: set[str] = set()
        for index, part in enumerate(parts, start=1):
            derived = _part_entry(entry, part, index, len(parts))
            if derived.canonical_url not in seen:
                seen.add(derived.canonical_url)
                out.append(derived)
    return out
