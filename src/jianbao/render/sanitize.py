"""Sanitising of untrusted HTML and text (feeds, pages, imported issues) before it reaches any HTML output."""

from __future__ import annotations

import nh3

from jianbao.safety import clean_text, gate_url, strip_controls

__all__ = ["ARTICLE_ATTRIBUTES", "ARTICLE_TAGS", "URL_SCHEMES", "clean_html", "clean_text", "safe_url"]

URL_SCHEMES = frozenset({"http", "https"})  # the URL gate's: nothing else is stored or printed

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


def clean_html(markup: str) -> str:
    """An allow-list sanitising pass: no scripts, no event handlers, no ``javascript:`` URLs, tags balanced."""
    return nh3.clean(
        strip_controls(markup or ""),
        tags=set(ARTICLE_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ARTICLE_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def safe_url(url: str | None) -> str:
    """The URL as the gate passes it (``jianbao.safety``: http(s) only, controls and spaces removed), else ''."""
    return gate_url(url) or ""
