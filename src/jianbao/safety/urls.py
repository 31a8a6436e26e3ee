"""The URL gate: the one check every URL passes before jianbao stores or prints it.

Only absolute http(s) URLs with a host pass. Control characters, whitespace and invisible formatting
characters are removed wherever they are (browsers drop them too, which is how ``java\\nscript:`` and
``" &#14; javascript:x"`` get past naive checks); the characters that could end an attribute or a Markdown
target (``"`` ``<`` ``>`` `` ` `` and the backslash browsers read as a slash) are percent-encoded. Anything
else (``javascript:``, ``vbscript:``, ``data:``, ``file:``, relative paths) is dropped, and a ``UrlGate``
counts what it dropped so a report can say so. ``gate_url(gate_url(u)) == gate_url(u)``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["MD_LINK_RE", "UrlGate", "defang_links", "gate_url", "is_safe_url"]

# Controls, every kind of space, zero-width and bidirectional formatting characters, lone surrogates.
_INVISIBLE_RE = re.compile(
    "[\x00-\x20\x7f-\x9f\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff"
    "\ufff9-\ufffb\ud800-\udfff\ufffe\uffff]"
)
_SCHEME_RE = re.compile(r"(?i)(https?)://")
# A URL already as the gate leaves it: lower-case scheme, printable ASCII or letters past U+00FF, nothing encoded.
_PLAIN_RE = re.compile("https?://[!#-&(-;=?-\\[\\]-_a-~\u0100-\u167f\u1681-\u180d\u180f-\u1fff\u2070-\u2fff\u3001-\ud7ff\ue000-\ufefe]+\\Z")
# A script scheme inside an http(s) URL (a relative "javascript:x" joined to a feed's address) is harmless, but
# its colon is percent-encoded so that no output holds the text "javascript:" at all.
_SCRIPT_IN_URL_RE = re.compile(r"(?i)(javascript|vbscript|livescript|data(?=:[a-z]+/)):")
_ENCODE = str.maketrans({'"': "%22", "<": "%3C", ">": "%3E", "`": "%60", "\\": "%5C", "'": "%27"})


def gate_url(url: object) -> str | None:
    """The URL as jianbao may store and print it, or None when it is not an absolute http(s) URL."""
    if not isinstance(url, str) or not url:
        return None
    return _gate(url)


@functools.lru_cache(maxsize=1 << 16)  # pure, and the same links come back in every entry and every run
def _gate(url: str) -> str | None:
    # The common case needs nothing removed or encoded, only its host checked.
    text = url if _PLAIN_RE.match(url) and not _SCRIPT_IN_URL_RE.search(url) else _clean(url)
    if text is None:
        return None
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError on a malformed port
        host = parts.hostname
    except ValueError:
        return None
    return text if host else None


def _clean(url: str) -> str | None:
    text = _INVISIBLE_RE.sub("", url)
    scheme = _SCHEME_RE.match(text)
    if scheme is None:
        return None
    rest = _SCRIPT_IN_URL_RE.sub(lambda m: m.group(1) + "%3A", text[len(scheme.group(0)) :])
    return (scheme.group(1).lower() + "://" + rest).translate(_ENCODE)


def is_safe_url(url: object) -> bool:
    """True when ``url`` passes the gate unchanged (what a printed URL must be)."""
    return isinstance(url, str) and bool(url) and gate_url(url) == url


@dataclass(slots=True)
class UrlGate:
    """``gate_url`` with a count of the URLs it dropped, for reports ("3 unsafe URLs dropped")."""

    dropped: int = 0

    def __call__(self, url: object) -> str | None:
        gated = gate_url(url)
        if gated is None and url:
            self.dropped += 1
        return gated

    def urls(self, urls: Iterable[str]) -> list[str]:
        """The URLs that pass, gated, in order and without repeats."""
        kept: list[str] = []
        for url in urls:
            gated = self(url)
            if gated is not None and gated not in kept:
                kept.append(gated)
        return kept


# [text](target "title") and ![alt](target), the text holding one level of nested brackets.
MD_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?((?:[^()\s>]|\([^()\s]*\))*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
# Any link target left once whole links are matched (a link nested in another's text), and a reference
# definition ("[1]: javascript:…" on a line of its own).
_TARGET_RE = re.compile(r"\]\(\s*<?([^()\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_RE = re.compile(r"(?m)^ {0,3}\[[^\]\n]+\]:[ \t]*<?(\S*?)>?(?:[ \t]+.*)?$")


def defang_links(markdown: str) -> str:
    """Markdown links and images whose target does not pass the gate lose the target (a link keeps its text,
    an image goes); reference definitions with such a target go. Repeats until nothing changes, so a link
    hidden in another link's text is found too."""
    while True:
        text = MD_LINK_RE.sub(_defang_one, markdown)
        text = _TARGET_RE.sub(lambda m: m.group(0) if is_safe_url(m.group(1)) else "]", text)
        text = _REFERENCE_RE.sub(lambda m: m.group(0) if is_safe_url(m.group(1)) else "", text)
        if text == markdown:
            return text
        markdown = text


def _defang_one(m: re.Match[str]) -> str:
    if is_safe_url(m.group(3)):
        return m.group(0)
    return "" if m.group(1) else m.group(2)
