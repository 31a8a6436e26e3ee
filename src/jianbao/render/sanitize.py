"""Sanitising of untrusted HTML and text (feeds, pages, imported issues) before it reaches any HTML output."""

from __future__ import annotations

import html
import re

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Tags an article body may use; everything else (script, style, iframe, form, object…) is dropped.
ARTICLE_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
        "ol", "p", "pre", "q", "s", "section", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip

ARTICLE_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
}

_SAFE_URL_RE = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_html(markup: str) -> str:
    """An allow-list sanitising pass: no scripts, no event handlers, no ``javascript:`` URLs, tags balanced."""
    return nh3.clean(
        markup or "",
        tags=set(ARTICLE_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ARTICLE_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def clean_text(text: str) -> str:
    """Plain text from possibly-HTML text: tags (and script/style contents) removed, entities decoded.

    Repeats until nothing changes, so an escaped tag (``&lt;script&gt;``) cannot come back to life.
    """
    text = _CONTROL_RE.sub("", text or "")
    for _ in range(5):
        cleaned = html.unescape(nh3.clean(text, tags=set(), strip_comments=True))
        if cleaned == text:
            break
        text = cleaned
    return text


def safe_url(url: str | None) -> str:
    """The URL when it is http(s) or mailto, else an empty string (``javascript:``, ``data:``, relative…)."""
    url = _CONTROL_RE.sub("", (url or "").strip())
    return url if _SAFE_URL_RE.match(url) and not re.search(r"\s", url) else ""
