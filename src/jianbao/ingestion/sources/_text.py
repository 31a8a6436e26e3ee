"""Small text helpers the source parsers share: HTML to plain text, image URLs, keyword filters, dates."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree

# Words that make a story or repository "about AI". English words match on word boundaries (an optional
# plural "s" allowed), so "maid" does not match "ai"; Chinese words match as substrings.
DEFAULT_AI_KEYWORDS: tuple[str, ...] = (
    "AI",
    "AGI",
    "LLM",
    "GPT",
    "ChatGPT",
    "Claude",
    "Anthropic",
    "OpenAI",
    "Gemini",
    "DeepMind",
    "DeepSeek",
    "Qwen",
    "Llama",
    "Mistral",
    "model",
    "neural",
    "transformer",
    "diffusion",
    "agent",
    "agentic",
    "inference",
    "machine learning",
    "deep learning",
    "reinforcement learning",
    "ML",
    "NLP",
    "computer vision",
    "multimodal",
    "embedding",
    "RAG",
    "fine-tuning",
    "LoRA",
    "prompt",
    "chatbot",
    "copilot",
    "MCP",
    "PyTorch",
    "TensorFlow",
    "JAX",
    "Hugging Face",
    "HuggingFace",
    "Stable Diffusion",
    "text-to-image",
    "text-to-speech",
    "speech recognition",
    "Whisper",
    "vLLM",
    "GGUF",
    "人工智能",
    "大模型",
    "大语言模型",
    "语言模型",
    "智能体",
    "机器学习",
    "深度学习",
    "神经网络",
    "多模态",
    "生成式",
    "模型",
    "算力",
)

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figure",
        "figcaption",
        "hr",
    ]
)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<=[.;])(?=\s)")
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def guess_language(*texts: str) -> str:
    """Chinese ("zh") when any text has Chinese characters, else "en": enough to pick a summariser."""
    return "zh" if any(has_cjk(t) for t in texts if t) else "en"


def collapse(text: str) -> str:
    """One line, single spaces: for titles and abstracts that feeds wrap over several lines."""
    return " ".join(text.split())


def _fragment(html: str) -> lxml.html.HtmlElement | None:
    if not html or not html.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except AssertionError:  # a whole document with no <body> (lxml asserts there is exactly one)
        return lxml.html.Element("div")
    except (etree.ParserError, ValueError):
        return None


# lxml.html's parser options with plain elements (cheaper to walk); the tree is the same one.
_PARSER = etree.HTMLParser()
_STRING = etree.XPath("string()", smart_strings=False)
_FULL_HTML = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)
# C0 control characters other than tab, newline and carriage return (feeds do carry them, e.g. \x1c).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TEXT_TAGS = ("br", "script", "style", *_BLOCK_TAGS)


def _body(html: str) -> etree._Element | None:
    """The <body> that ``_fragment`` would copy its children from, parsed once and not copied.

    Its text differs from the fragment's only by leading whitespace, which ``_text`` strips; whole
    documents (rare in feeds) take ``_fragment``'s own path so its edge cases stay its own.
    """
    if not html or not html.strip():
        return None
    if _CONTROL.search(html):  # not allowed in HTML, and lxml refuses them in the text it builds
        html = _CONTROL.sub("", html)
    if _FULL_HTML.match(html):
        return _fragment(html)
    try:
        document = etree.fromstring(f"<html><body>{html}</body></html>", _PARSER)
    except (etree.ParserError, ValueError):
        return None
    if document is None:
        return None
    bodies = [element for element in document if element.tag == "body"]
    return bodies[0] if len(bodies) == 1 else None


def _text(root: etree._Element, html: str) -> str:
    """``html_to_text`` of a parsed fragment (changes the tree: run ``_images`` first)."""
    # The HTML parser lowercases ASCII in tag names, so only the Kelvin sign (which lowercases to "k",
    # as in "blockquote") can make .lower() find a tag that the filtered walk would not.
    elements = root.iter(etree.Element) if "\u212a" in html else root.iter(*_TEXT_TAGS)
    for element in elements:
        tag = element.tag.lower()
        if tag in ("script", "style"):
            element.text = ""
        elif tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    # Each line on one line with single spaces, runs of blank lines as one, none at either end: what
    # re.sub(r"\n{3,}", "\n\n", "\n".join(" ".join(line.split()) for line in lines)).strip() gives.
    kept: list[str] = []
    blank = False
    for line in _STRING(root).split("\n"):
        # isprintable() is False for every whitespace character but the space.
        if line and not (line.isprintable() and "  " not in line and line[0] != " " and line[-1] != " "):
            line = " ".join(line.split())
        if not line:
            blank = True
            continue
        if blank and kept:
            kept.append("")
        blank = False
        kept.append(line)
    return "\n".join(kept)


def _images(root: etree._Element, base: str | None) -> list[str]:
    found: list[str] = []
    for img in root.iter("img"):
        src = (img.get("data-src") or img.get("src") or "").strip()
        if not src or src.startswith("data:"):
            continue
        found.append(join_url(base, src) if base else src)
    return found


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, paragraphs separated by a blank line, entities decoded."""
    root = _body(html)
    return "" if root is None else _text(root, html)


def text_and_images(html: str, *, base: str | None = None) -> tuple[str, list[str]]:
    """``html_to_text(html)`` and ``image_urls(html, base=base)`` from a single parse."""
    root = _body(html)
    if root is None:
        return "", []
    images = _images(root, base)
    return _text(root, html), images


def strip_tags(html: str) -> str:
    """A title or name without markup, on one line."""
    return collapse(html_to_text(html)) if "<" in html or "&" in html else collapse(html)


_CLAUSE_MARKS = "，,；;：:（("
_WORD_TAIL = re.compile(r"[^\s\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+$")


def cut_words(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, "…" included: at its last clause mark in the second half of
    the limit, else after its last whole word; never inside a word or a number. Shorter text is returned
    as it is."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if not text[limit - 1].isspace() and not head[-1:].isspace() and not has_cjk(text[limit - 2 : limit]):
        head = _WORD_TAIL.sub("", head)
    clause = max(head.rfind(mark) for mark in _CLAUSE_MARKS)
    if clause >= limit // 2:
        head = head[:clause]
    return head.rstrip(" " + _CLAUSE_MARKS + "-—") + "…"


def first_sentence(text: str, *, limit: int = 80) -> str:
    """The opening sentence of a text within ``limit`` characters (``cut_words``): a stand-in title for
    untitled entries, never cut inside a word."""
    text = collapse(text)
    if not text:
        return ""
    return cut_words(_SENTENCE_END.split(text, maxsplit=1)[0].strip(), limit)


def image_urls(html: str, *, base: str | None = None) -> list[str]:
    """``<img src>`` (or lazy-loading ``data-src``) URLs in an HTML fragment, absolute when ``base`` is given."""
    root = _body(html)
    return [] if root is None else _images(root, base)


# Absolute http(s) URLs that urljoin would return unchanged: printable ASCII, a host, no ";" (path
# parameters), "[" or "]" (IPv6 checks), "#" or empty "?" (dropped by urlunparse).
_PLAIN_ABSOLUTE = re.compile(
    r"https?://[^/;?#\[\]\x00-\x20\x7f-\U0010ffff][^;?#\[\]\x00-\x20\x7f-\U0010ffff]*(?:\?[^#\x00-\x20\x7f-\U0010ffff]+)?"
)


def join_url(base: str, url: str) -> str:
    """``urljoin(base, url)``, skipping the parse when ``url`` is already a plain absolute URL."""
    if _PLAIN_ABSOLUTE.fullmatch(url) and base.isascii() and "[" not in base and "]" not in base:
        return url
    return urljoin(base, url)


def looks_like_image(url: str, mime: str | None = None) -> bool:
    if mime:
        return mime.lower().startswith("image/")
    return url.lower().split("?", 1)[0].endswith(_IMAGE_EXTENSIONS)


def unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


def looks_like_html(payload: bytes) -> bool:
    head = payload[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head


def from_struct_time(value: time.struct_time | None) -> datetime | None:
    """feedparser's UTC struct_time as an aware UTC datetime."""
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


class KeywordMatcher:
    """Finds which of a list of keywords a text mentions, on word boundaries for Latin words."""

    def __init__(self, keywords: Sequence[str]) -> None:
        self.keywords = [k.strip() for k in keywords if k and k.strip()]
        latin = [k for k in self.keywords if not has_cjk(k)]
        self._cjk = [k.lower() for k in self.keywords if has_cjk(k)]
        self._latin = None
        if latin:
            alternatives = "|".join(re.escape(k) for k in sorted(latin, key=len, reverse=True))
            self._latin = re.compile(
                rf"(?<![A-Za-z0-9])(?:{alternatives})(?:e?s)?(?![A-Za-z0-9])", re.IGNORECASE
            )

    def __bool__(self) -> bool:
        return bool(self.keywords)

    def matches(self, *texts: str | None) -> list[str]:
        """The keywords found (as written in the text for Latin words), in order of first appearance."""
        found: list[str] = []
        for text in texts:
            if not text:
                continue
            if self._latin is not None:
                found.extend(m.group(0) for m in self._latin.finditer(text))
            lowered = text.lower()
            found.extend(k for k in self._cjk if k in lowered)
        return unique(found)


def keyword_matcher(
    options: dict[str, Any], *, default: Sequence[str] = DEFAULT_AI_KEYWORDS
) -> KeywordMatcher:
    """The filter a source asks for: ``keywords`` replaces the defaults, ``extra_keywords`` adds to them."""
    keywords = options.get("keywords")
    if keywords is None:
        keywords = list(default)
    elif isinstance(keywords, str):
        keywords = [keywords]
    extra = options.get("extra_keywords") or []
    if isinstance(extra, str):
        extra = [extra]
    return KeywordMatcher([*keywords, *extra])
