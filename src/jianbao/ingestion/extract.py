"""Understanding an entry: its main text, images, paper/code/project links and language."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlparse, urlunparse, uses_netloc, uses_relative

import lxml.html
from lxml import etree

from jianbao.ingestion.sources._text import _PLAIN_ABSOLUTE
from jianbao.records import Entry, Link
from jianbao.urls import canonical_url, is_image_url, link_key, link_kind, strip_tracking, unwrap_redirect

__all__ = [
    "Article",
    "detect_language",
    "extract_article",
    "extract_images",
    "html_to_text",
    "mine_links",
    "normalise_label",
    "understand",
]


@dataclass(slots=True)
class Article:
    """The main content of a web page as trafilatura sees it; ``text`` is empty when there is none."""

    title: str = ""
    author: str | None = None
    date: dt.date | None = None
    text: str = ""
    images: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    language: str = ""
    description: str = ""


# --- HTML walking ----------------------------------------------------------------------------------

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "button"})
# HTML blocks plus the block elements of trafilatura's XML output (head, list, item, quote, row).
_BLOCK_TAGS = frozenset(
    {
        *("p", "div", "section", "article", "header", "footer", "aside", "main", "nav", "blockquote"),
        *("ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "pre", "figure", "figcaption", "form"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "hr", "body", "html"),
        *("list", "item", "quote", "row", "code"),
    }
)
_BREAK_TAGS = frozenset({"br", "lb"})
_LINK_ATTRS = {"a": "href", "ref": "target"}
_MAX_DEPTH = 400


# lxml.html's own parser with plain elements: the walks read only tags, text and attributes, and
# lxml.html's element classes cost a Python lookup for every element visited.
_PLAIN_PARSER = etree.HTMLParser()


def _parse_html(html: str, *, plain: bool = True) -> etree._Element | None:
    """Parse any HTML, however broken; None for empty or unparseable input.

    ``plain=False`` gives lxml.html's element classes, for callers (trafilatura) that use their methods.
    """
    if not html or not html.strip():
        return None
    if plain:
        try:
            return _parse_html_with(html, _PLAIN_PARSER)
        except AttributeError:  # several <head> or <body>: lxml.html merges them with its own methods
            pass
    return _parse_html_with(html, None)


def _parse_html_with(html: str, parser: etree.HTMLParser | None) -> etree._Element | None:
    try:
        return lxml.html.fromstring(html, parser=parser)
    except ValueError:  # a str carrying an XML encoding declaration
        try:
            return lxml.html.fromstring(html.encode("utf-8"), parser=parser)
        except (etree.ParserError, ValueError):
            return None
    except etree.ParserError:
        return None


@functools.lru_cache(maxsize=1 << 12)
def _scheme(url: str) -> str:
    return urlparse(url).scheme


@functools.lru_cache(maxsize=1 << 16)
def _absolute(value: str, scheme: str) -> str | None:
    """What ``urljoin`` gives for ``value`` against any base of ``scheme``; None when the rest of the base matters.

    Mirrors urljoin's first steps, so a page's many absolute links cost one parse each, not two.
    """
    parts = urlparse(value, scheme)
    if parts.scheme != scheme or parts.scheme not in uses_relative:
        return value
    if parts.scheme in uses_netloc and parts.netloc:
        return urlunparse(parts)
    return None


def _plain_absolute(value: str, base_url: str) -> bool:
    """True when ``urljoin(base_url, value)`` is ``value`` itself without parsing either (``join_url``'s test):
    most of a body's links and images are such URLs."""
    plain = bool(_PLAIN_ABSOLUTE.fullmatch(value))
    return plain and base_url.isascii() and "[" not in base_url and "]" not in base_url


def _href(value: str | None, base_url: str | None) -> str | None:
    value = (value or "").strip()
    if not value or value.startswith(("#", "javascript:", "mailto:", "data:", "tel:")):
        return None
    if base_url and not _plain_absolute(value, base_url):
        try:
            joined = _absolute(value, _scheme(base_url))
            value = urljoin(base_url, value) if joined is None else joined
        except ValueError:
            return None
    return value if value.startswith(("http://", "https://")) else None


def _walk(
    node: etree._Element,
    out: list[str],
    *,
    base_url: str | None,
    marked: bool,
    plain: list[str] | None = None,
    depth: int = 0,
) -> None:
    """Append the readable text of ``node`` to ``out``; "\x00" marks a paragraph break.

    With ``marked`` links become Markdown ``[text](url)`` so link mining sees them with their labels;
    ``plain``, when given, receives the unmarked text of the same walk (one walk for both texts).
    """
    if plain is not None and marked:
        _walk_two(node, out, plain, base_url, depth)
        return
    start = len(out)
    _walk_one(node, out, base_url, marked, depth)
    if plain is not None:  # unmarked: both texts are the same pieces
        plain.extend(out[start:])


# The two walkers below are one algorithm; they are split (positional arguments, no per-node test
# for the second list) because the walk runs once per element of every entry.


def _walk_one(node: etree._Element, out: list[str], base_url: str | None, marked: bool, depth: int) -> None:
    tag = node.tag
    tag = tag.lower() if isinstance(tag, str) else ""
    if tag in _SKIP_TAGS or not tag:
        if node.tail:
            out.append(node.tail)
        return
    if depth > _MAX_DEPTH:
        out.append(" ".join(node.itertext()))
        out.append(node.tail or "")
        return
    is_block = tag in _BLOCK_TAGS
    if is_block:
        out.append("\x00")
    elif tag in _BREAK_TAGS:
        out.append("\n")
    link = _href(node.get(_LINK_ATTRS[tag]), base_url) if marked and tag in _LINK_ATTRS else None
    start = len(out)
    if node.text:
        out.append(node.text)
    depth += 1
    for child in node:
        _walk_one(child, out, base_url, marked, depth)
    if link:
        _mark_link(out, start, link)
    if is_block:
        out.append("\x00")
    if node.tail:
        out.append(node.tail)


def _walk_two(
    node: etree._Element, out: list[str], plain: list[str], base_url: str | None, depth: int
) -> None:
    tag = node.tag
    tag = tag.lower() if isinstance(tag, str) else ""
    if tag in _SKIP_TAGS or not tag:
        if node.tail:
            out.append(node.tail)
            plain.append(node.tail)
        return
    if depth > _MAX_DEPTH:
        deep = (" ".join(node.itertext()), node.tail or "")
        out.extend(deep)
        plain.extend(deep)
        return
    is_block = tag in _BLOCK_TAGS
    if is_block:
        out.append("\x00")
        plain.append("\x00")
    elif tag in _BREAK_TAGS:
        out.append("\n")
        plain.append("\n")
    link = _href(node.get(_LINK_ATTRS[tag]), base_url) if tag in _LINK_ATTRS else None
    start = len(out)
    if node.text:
        out.append(node.text)
        plain.append(node.text)
    depth += 1
    for child in node:
        _walk_two(child, out, plain, base_url, depth)
    if link:
        _mark_link(out, start, link)
    if is_block:
        out.append("\x00")
        plain.append("\x00")
    if node.tail:
        out.append(node.tail)
        plain.append(node.tail)


def _mark_link(out: list[str], start: int, link: str) -> None:
    """Replace the pieces from ``start`` on (a link's walked text) with one Markdown link."""
    text = _LINK_TEXT_RE.sub(" ", "".join(out[start:]).replace("\x00", " ")).strip()
    del out[start:]
    safe = link.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
    out.append(f"[{text}]({safe})")


_LINK_TEXT_RE = re.compile(r"[\[\]\s]+")


# A paragraph break inside a run of text; "\x00" marks (the walk's block edges) are split off first.
_BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n")
# Only runs that change: a single space stays (most of them, in prose) and costs no replacement.
_SPACES_RE = re.compile(r"[\t\r\f\v][ \t\r\f\v]*| [ \t\r\f\v]+")


def _tidy(pieces: Iterable[str]) -> str:
    """Join walked pieces into paragraphs separated by blank lines, whitespace collapsed."""
    text = "".join(pieces).replace("\xa0", " ").replace("\u3000", " ")
    # Substring tests are far cheaper than a regex scan, and most texts hold no run to collapse.
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _SPACES_RE.sub(" ", text)  # one pass over the whole text: the class holds no line break
    paragraphs = []
    for run in text.split("\x00"):  # empty runs between adjacent marks give no paragraph
        for block in _BLANK_LINE_RE.split(run) if "\n" in run else (run,):
            if "\n" in block:
                para = "\n".join(line for line in (line.strip() for line in block.split("\n")) if line)
            else:
                para = block.strip()
            if para:
                paragraphs.append(para)
    return "\n\n".join(paragraphs)


def _text_of(root: etree._Element | None, *, base_url: str | None = None, marked: bool = False) -> str:
    if root is None:
        return ""
    out: list[str] = []
    _walk(root, out, base_url=base_url, marked=marked)
    return _tidy(out)


def _marked_and_plain(root: etree._Element, *, base_url: str | None) -> tuple[str, str]:
    """``_text_of(root, base_url=…, marked=True)`` and ``_text_of(root)`` from one walk of the tree."""
    out: list[str] = []
    plain: list[str] = []
    _walk(root, out, base_url=base_url, marked=True, plain=plain)
    return _tidy(out), _tidy(plain)


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML fragment or page, paragraphs separated by blank lines."""
    return _text_of(_parse_html(html))


# --- images ----------------------------------------------------------------------------------------

_JUNK_IMAGE_RE = re.compile(
    r"pixel|spacer|blank\.gif|1x1|beacon|tracking|/stat[/.?]|analytics|doubleclick|favicon|"
    r"/icons?[/_.-]|[/_-]icon[/_.-]|emoji|avatar|loading\.gif|spinner|qlogo\.cn",
    re.IGNORECASE,
)
_IMAGE_SRC_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-actualsrc", "src")


def _tiny(img: etree._Element) -> bool:
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) <= 2:
            return True
    return False


def _images_in(root: etree._Element, *, base_url: str | None) -> list[str]:
    found: list[str] = []
    for img in root.iter("img", "graphic"):
        if _tiny(img):
            continue
        for attr in _IMAGE_SRC_ATTRS:
            url = _href(img.get(attr), base_url)
            if url:
                break
        else:
            continue
        if not _JUNK_IMAGE_RE.search(url) and url not in found:
            found.append(url)
    return found


def extract_images(html: str, *, base_url: str | None = None) -> list[str]:
    """Picture URLs of an HTML body, lazy-loading attributes (WeChat's data-src) first, junk skipped."""
    root = _parse_html(html)
    return [] if root is None else _images_in(root, base_url=base_url)


# --- links -----------------------------------------------------------------------------------------

# A Markdown image or link (the URL may hold non-ASCII), or a bare URL. Bare URLs stop at the first
# non-ASCII character: in Chinese text a URL is followed directly by 。，）or by prose, and real URLs
# carry non-ASCII only percent-encoded (a bare URL with raw Chinese in its path is cut there).
_TOKEN_RE = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\]\n]*)\]\((?P<murl>https?://[^\s)]+(?:\([^\s)]*\)[^\s)]*)*)(?:\s+\"[^\"]*\")?\)"
    r"|(?P<url>https?://[!-~]+)"
)
_BARE_STOP_RE = re.compile(r"[<>\"'`\[\]{}|\\^]")
_TRAILING = ".,;:!?*_~'\""
_LABEL_COLON_RE = re.compile(r"[:：]\s*$")
_LEADING_MARKUP_RE = re.compile(r"^[\s>*\-+#|]*(?:\d+[.、)]\s*)?")
_CLAUSE_SPLIT_RE = re.compile(r"[。！？；;，,!?、|｜]|\[[^\]]*\]\([^)]*\)|https?://\S+")

# Ordered: the first rule whose pattern occurs in the label wins ("论文代码" is a paper label).
_LABEL_RULES: tuple[tuple[str, str], ...] = (
    (r"项目主页|主页|homepage|project\s*page|project\s*website|website", "项目主页"),
    (r"论文|paper|arxiv|pdf", "论文"),
    (r"代码|源码|code|github|gitee|repo", "代码"),
    (r"项目|project", "项目"),
    (r"原文|来源|source|original|via", "原文"),
    (r"demo|演示|试玩|体验", "Demo"),
    (r"数据集|dataset|data", "数据集"),
    (r"视频|video|youtube|bilibili", "视频"),
    (r"模型|权重|model|weights|hugging\s*face", "模型"),
    (r"博客|blog", "博客"),
    (r"文档|docs|documentation", "文档"),
    (r"链接|地址|入口|link|url", "链接"),
)
_LABEL_PATTERNS = tuple((re.compile(pattern), label) for pattern, label in _LABEL_RULES)
_LABEL_MARKUP_RE = re.compile(r"[*_`>#【】\[\]「」《》<>\s]+")
_MAX_FREE_LABEL = 10
_MAX_ANCHOR_LABEL = 12


@functools.lru_cache(maxsize=1 << 14)  # pure, and the same few labels come back in every entry
def normalise_label(raw: str | None, *, free: bool = True) -> str | None:
    """A short label (论文, 代码, 项目, 项目主页, 原文, Demo, 数据集, 视频, 模型, 博客, 文档, 链接).

    Unknown labels are kept as written when ``free`` and at most ten characters; otherwise None.
    """
    if not raw:
        return None
    text = _LABEL_MARKUP_RE.sub(" ", raw).strip(" :：-—")
    if not text:
        return None
    low = text.lower()
    for pattern, label in _LABEL_PATTERNS:
        if pattern.search(low):
            return label
    return text if free and len(text) <= _MAX_FREE_LABEL else None


def _strip_url(url: str) -> str:
    """Cut a bare URL at characters URLs do not carry and drop trailing punctuation and Markdown."""
    stop = _BARE_STOP_RE.search(url)
    if stop:
        url = url[: stop.start()]
    while url:
        if url[-1] in _TRAILING or (url[-1] == ")" and url.count(")") > url.count("(")):
            url = url[:-1]
        else:
            break
    return url


def _label_before(lines: list[str], index: int, start: int) -> str | None:
    """The label an author put before a URL: "论文：" on the same line, or on the previous line."""
    before = _LEADING_MARKUP_RE.sub("", lines[index][:start]).rstrip(" *_")
    if before:
        clause = _CLAUSE_SPLIT_RE.split(before)[-1].strip(" *_")
        if _LABEL_COLON_RE.search(clause):
            return normalise_label(_LABEL_COLON_RE.sub("", clause))
        return normalise_label(clause, free=False) if len(clause) <= 15 else None
    for back in range(index - 1, max(index - 3, -1), -1):  # skip an empty "> " line in between
        previous = _LEADING_MARKUP_RE.sub("", lines[back]).strip(" *_")
        if not previous:
            continue
        if _LABEL_COLON_RE.search(previous) and "://" not in previous:
            clause = _CLAUSE_SPLIT_RE.split(_LABEL_COLON_RE.sub("", previous))[-1]
            return normalise_label(clause)
        return None
    return None


def _mine_text(text: str) -> Iterable[tuple[str, str | None, str | None]]:
    """(url, label, anchor text) for every non-image URL in Markdown-ish text."""
    if "://" not in text:  # every token holds one; a substring test is much cheaper than the regex
        return
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if "://" not in line:
            continue
        for match in _TOKEN_RE.finditer(line):
            if match.group("bang"):
                continue
            anchor = match.group("text")
            url = match.group("murl") or _strip_url(match.group("url"))
            if len(url) <= len("https://x"):
                continue
            label = _label_before(lines, index, match.start())
            if label is None and anchor and len(anchor.strip()) <= _MAX_ANCHOR_LABEL:
                label = normalise_label(anchor, free=False)  # [Paper](…), [代码](…); not a whole title
            yield url, label, (anchor.strip() or None) if anchor else None


def mine_links(text: str = "", *, html: str = "", base_url: str | None = None) -> list[Link]:
    """Every link of a text and/or HTML body, labelled, classified, keyed and de-duplicated.

    Duplicates (same key, or same canonical URL when there is no key) keep the first occurrence's
    place; a later occurrence only lends its label when the first had none. Images are not links.
    """
    sources = [text or ""]
    if html:
        sources.append(_text_of(_parse_html(html), base_url=base_url, marked=True))
    return _links_in(sources)


def _links_in(sources: Iterable[str]) -> list[Link]:
    links: list[Link] = []
    seen: dict[str, Link] = {}
    for source in sources:
        for raw, label, anchor in _mine_text(source):
            url = strip_tracking(unwrap_redirect(raw))  # the link as readers get it: no utm_*, no session keys
            if is_image_url(url):
                continue
            key = link_key(url)
            ident = key or canonical_url(url)
            if ident in seen:
                if seen[ident].label is None and label:
                    seen[ident].label = label
                continue
            meta: dict[str, Any] = {"text": anchor} if anchor and anchor != raw else {}
            link = Link(url=url, kind=link_kind(url, label=label), key=key, label=label, meta=meta)
            seen[ident] = link
            links.append(link)
    return links


# --- articles --------------------------------------------------------------------------------------


@functools.cache
def _trafilatura() -> types.ModuleType:
    # lazy: trafilatura takes ~0.3 s to import, and only extract_article (whole pages) needs it
    import trafilatura

    return trafilatura


# The shortest run of non-link text that counts as prose: about one Chinese sentence.
_MIN_PROSE = 20
_MD_LINK_RE = re.compile(r"!?\[[^\]]*\]\([^)]*\)")


def _has_prose(marked: str) -> bool:
    return any(len(line.strip()) >= _MIN_PROSE for line in _MD_LINK_RE.sub(" ", marked).splitlines())


_AUTHOR_LABEL_RE = re.compile(r"^\s*(?:作者|文|撰文|编辑|来源)\s*[:：|丨]\s*")


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def extract_article(html: str, *, url: str | None = None) -> Article:
    """Title, author, date, main text, images and links of a page, via trafilatura.

    Lazy-loaded images (``data-src``) are promoted to ``src`` first so trafilatura keeps them; WeChat
    CDN images, which trafilatura drops for lacking a file extension, are added back from the page.
    """
    root = _parse_html(html, plain=False)
    if root is None:
        return Article()
    for img in root.iter("img"):
        lazy = img.get("data-src") or img.get("data-original")
        if lazy:
            img.set("src", lazy)
    doc = _trafilatura().bare_extraction(
        root,
        url=url,
        with_metadata=True,
        include_links=True,
        include_images=True,
        include_comments=False,
        include_tables=True,
    )
    if doc is None or doc.body is None:
        return Article()
    title = (doc.title or "").strip()
    marked = _text_of(doc.body, base_url=url, marked=True)
    paragraphs = marked.split("\n\n")
    if paragraphs and paragraphs[0].strip() == title:
        paragraphs = paragraphs[1:]
    marked = "\n\n".join(paragraphs)
    body = _text_of(doc.body, base_url=url)
    body_paragraphs = body.split("\n\n")
    if body_paragraphs and body_paragraphs[0].strip() == title:
        body_paragraphs = body_paragraphs[1:]
    text = "\n\n".join(body_paragraphs)
    if not _has_prose(marked):  # navigation, a form, a link list: not an article
        text, marked = "", ""
    images = _images_in(doc.body, base_url=url)
    images += [u for u in _images_in(root, base_url=url) if "mmbiz.qpic.cn" in u and u not in images]
    author = _AUTHOR_LABEL_RE.sub("", doc.author).strip() if doc.author else None
    return Article(
        title=title,
        author=author or None,
        date=_parse_date(doc.date),
        text=text,
        images=images,
        links=[
            link for link in mine_links(marked) if not url or canonical_url(link.url) != canonical_url(url)
        ],
        language=detect_language(text),
        description=(doc.description or "").strip(),
    )


# --- language --------------------------------------------------------------------------------------

# Runs, not single characters: each script is counted as the length its runs take out of the text.
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")
_KANA_RE = re.compile(r"[\u3040-\u30ff]+")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af]+")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_URL_RE = re.compile(r"https?://\S+")
# A Han character carries about a word's worth of meaning, a Latin letter about a fifth of one, so
# Chinese text sprinkled with English names ("OpenAI 发布 GPT-5") is still Chinese at a 15 % share.
_HAN_SHARE = 0.15


def _count(pattern: re.Pattern[str], text: str) -> int:
    """Characters of ``text`` in ``pattern``'s runs (one C-level substitution, no list of matches)."""
    return len(text) - len(pattern.sub("", text))


# The same counts read from UTF-8 bytes, where each character is one lead byte: outside a few rare
# blocks (checked first), Han is exactly the lead bytes E4–E9 and Latin the ASCII letters plus the leads
# C3–C8 (U+00C0–U+023F), and there is no kana or hangul. Byte counting runs at memory speed.
_HAN_LEADS = bytes(range(0xE4, 0xEA))
_LATIN_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" + bytes(range(0xC3, 0xC9))
_RARE_LEADS = b"\xc9\xea\xeb\xec\xed"  # U+0240–U+027F, U+A000–U+D7FF (hangul among them)


def _letters(sample: str) -> tuple[int, int, int, int]:
    """Characters of ``sample`` that are (Han, kana, hangul, Latin)."""
    data = sample.encode("utf-8", "surrogatepass")
    size = len(data)
    if (
        len(data.translate(None, _RARE_LEADS)) == size
        and data.count(b"\xe3") == data.count(b"\xe3\x80")  # U+3000–U+303F: CJK punctuation only
        and b"\xe4\xb7" not in data  # U+4DC0–U+4DFF: hexagram symbols amid the Han block
        and data.count(b"\xef") == data.count(b"\xef\xbc") + data.count(b"\xef\xbd")  # full-width forms
        and data.count(b"\xf0") == data.count(b"\xf0\x9f")  # emoji, not the supplementary Han planes
    ):
        han = size - len(data.translate(None, _HAN_LEADS))
        return han, 0, 0, size - len(data.translate(None, _LATIN_BYTES))
    han, kana, hangul, latin = (
        _count(pattern, sample) for pattern in (_HAN_RE, _KANA_RE, _HANGUL_RE, _LATIN_RE)
    )
    return han, kana, hangul, latin


def detect_language(text: str) -> str:
    """ "zh" when Han characters are at least 15 % of the letters, "en" for Latin script, "" otherwise.

    Japanese (kana) and Korean (hangul) are recognised so they are not taken for Chinese.
    """
    if not text:
        return ""
    sample = _URL_RE.sub(" ", text[:20000])
    han, kana, hangul, latin = _letters(sample)
    letters = han + kana + hangul + latin
    if letters == 0:
        return ""
    if kana >= max(5, 0.1 * letters):
        return "ja"
    if hangul >= max(5, 0.1 * letters):
        return "ko"
    if han / letters >= _HAN_SHARE:
        return "zh"
    return "en" if latin else ""


# --- entries ---------------------------------------------------------------------------------------


def _differs(text: str, other: str) -> bool:
    """True unless the two texts hold the same words (equal strings answer without splitting)."""
    return text != other and text.split() != other.split()


def understand(entry: Entry) -> Entry:
    """A new Entry with canonical URL, plain content, merged images, mined links and language filled in."""
    canonical = entry.canonical_url or canonical_url(entry.url)
    root = _parse_html(entry.html)  # once: plain text, images and the marked text for links all read it
    if root is None:
        marked, content = "", entry.content
    elif entry.content:
        marked, content = _text_of(root, base_url=entry.url, marked=True), entry.content
    else:
        marked, content = _marked_and_plain(root, base_url=entry.url)
    found = _images_in(root, base_url=entry.url) if root is not None else []
    images = list(dict.fromkeys([*entry.images, *found]))
    own = {canonical_url(entry.url), canonical}
    own_keys = {link_key(entry.url)} - {None}
    links = [dataclasses.replace(link, meta=dict(link.meta)) for link in entry.links]  # no shared mutation
    known = {link.key or canonical_url(link.url): link for link in links}
    mined = [
        *_links_in([marked]),  # the body first: the author's order
        *mine_links(content),
        # A feed's summary is often the body's text again: mining the same words twice finds nothing new.
        *(mine_links(entry.summary) if _differs(entry.summary, content) else []),
    ]
    for link in mined:
        ident = link.key or canonical_url(link.url)
        if ident in known:
            if link.label and (first := known[ident]).label is None:
                first.label = link.label
            continue
        if canonical_url(link.url) in own or (link.key and link.key in own_keys):
            continue
        known[ident] = link
        links.append(link)
    language = entry.language or detect_language("\n".join((entry.title, content or entry.summary)))
    return dataclasses.replace(
        entry,
        canonical_url=canonical,
        content=content,
        images=images,
        links=links,
        language=language,
        extra=dict(entry.extra),
    )
