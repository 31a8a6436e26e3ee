"""Text from sources made inert: control characters removed, HTML reduced to text, and markup escaped where
Markdown is written. Every function here is idempotent (``f(f(x)) == f(x)``), which the property tests in
``tests/test_safety.py`` check over nested escapes and the whole control range."""

from __future__ import annotations

import html
import re

import nh3

from jianbao.safety.urls import defang_links

__all__ = ["CONTROL_RE", "clean_text", "defuse_schemes", "escape_markup", "safe_markdown", "strip_controls"]

# C0 controls except tab and newline, DEL, C1 controls, lone surrogates and the two noncharacters XML refuses:
# none of them is text a reader sees, and each one makes lxml/feedgen refuse to write the site ("All strings
# must be XML compatible"). A carriage return goes too: lines end in "\n" everywhere in jianbao.
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# "<" where an HTML parser (or a Markdown renderer with HTML on) would start markup: a tag, an end tag, a
# comment, a declaration or a processing instruction; autolinks (<javascript:…>) start with a letter too.
_MARKUP_START_RE = re.compile(r"<(?=[A-Za-z/!?])")


# A script scheme written as text ("javascript:alert(1)" in a title) is not a link, but a reader's tool may make
# it one: its colon becomes the full-width "：" a Chinese text would use anyway. data: only before a MIME type.
_SCHEME_TEXT_RE = re.compile(r"(?i)(java\s*script|vb\s*script|live\s*script|data(?=\s*:\s*[a-z]+/))\s*:")


def strip_controls(text: str) -> str:
    """``text`` without control characters (tab and newline kept)."""
    if not text:
        return ""
    # Every character CONTROL_RE removes is a control, a surrogate or a noncharacter, none of them printable:
    # a text printable but for its line breaks and tabs (most feed text) has none, and these C-speed tests
    # cost half the regular expression's scan.
    if text.isprintable() or text.replace("\n", " ").replace("\t", " ").isprintable():
        return text
    return CONTROL_RE.sub("", text)


# The two shapes of a _SCHEME_TEXT_RE match, for the search near each colon (_schemes): every match ends at
# the colon it makes full-width, and holds no other colon.
_SCRIPT_TEXT_RE = re.compile(r"(?i)(java\s*script|vb\s*script|live\s*script)\s*:")
_DATA_TEXT_RE = re.compile(r"(?i)(data(?=\s*:\s*[a-z]+/))\s*:")


def _schemes(text: str) -> list[re.Match[str]]:
    """``_SCHEME_TEXT_RE.finditer(text)``, searching only just before each colon instead of at every character.

    A match ends at its colon and holds no other, so matches belong to colons one each, in order; the one
    ending at a colon starts within a script word (with its spaces) before it. Case-insensitive matching
    takes one character for each of the pattern's, so those lengths bound where it starts.
    """
    found: list[re.Match[str]] = []
    pos = 0
    while (colon := text.find(":", pos)) >= 0:
        end = colon  # where the word before the colon (and the spaces after it) ends
        while end > pos and text[end - 1].isspace():
            end -= 1
        inner = end - len("script")  # "java script": spaces may stand between its two words as well
        while inner > pos and text[inner - 1].isspace():
            inner -= 1
        match = _SCRIPT_TEXT_RE.search(text, max(pos, inner - len("java")), colon + 1)
        if match is None and end - len("data") >= pos:  # its lookahead reads past the colon: no end bound
            match = _DATA_TEXT_RE.match(text, end - len("data"))
        if match is not None:
            found.append(match)
        pos = colon + 1
    return found


def _defuse(text: str) -> str:
    """``_SCHEME_TEXT_RE.sub(lambda m: m.group(1) + "：", text)``, the matches found by ``_schemes``."""
    if ":" not in text:
        return text
    found = _schemes(text)
    if not found:
        return text
    pieces: list[str] = []
    last = 0
    for match in found:
        pieces += [text[last : match.start()], match.group(1), "："]
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def defuse_schemes(text: str) -> str:
    """Text with no ``javascript:``, ``vbscript:`` or ``data:<type>/`` left in it (the colon made full-width),
    written out or behind character references (``&#106;avascript:`` is what a renderer shows as
    ``javascript:``): text whose decoded form holds one is decoded, then defused."""
    if not text:
        return ""
    text = _defuse(text)
    if "&" in text:
        decoded = text
        while (once := html.unescape(decoded)) != decoded:
            decoded = once
        if ":" in decoded and _schemes(decoded):
            return _defuse(strip_controls(decoded))
    return text


def clean_text(text: str | None) -> str:
    """Plain text from possibly-HTML text: tags (and script/style contents) removed, entities decoded.

    Repeats until nothing changes, so an escaped tag (``&lt;script&gt;``, however many times escaped) cannot
    come back to life: the result is a fixed point, and cleaning it again gives it back unchanged. Each pass
    that changes the text makes it shorter (a tag or an entity goes), so the loop ends.
    """
    text = strip_controls(text or "")
    while True:
        cleaned = strip_controls(html.unescape(nh3.clean(text, tags=set(), strip_comments=True)))
        if cleaned == text:
            return text
        text = cleaned


def escape_markup(text: str) -> str:
    """One-line text from a source, with every ``<`` that could open markup written as ``&lt;``.

    Markdown renderers show ``&lt;`` as ``<``, so a title about ``<script>`` still reads right, but no tag,
    comment or autolink (``<javascript:…>``) can start. Idempotent: the output has no such ``<`` left.
    """
    return _MARKUP_START_RE.sub("&lt;", defuse_schemes(strip_controls(text))) if text else ""


# --- Markdown paragraphs -----------------------------------------------------------------------------------

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
# An <img> whose src is quoted; the archive of 2020–2021 wrote pictures this way (Typora's zoom style).
_IMG_TAG_RE = re.compile(r"""<img\b[^<>]*?\bsrc\s*=\s*(["'])([^"'<>]*)\1[^<>]*>""", re.IGNORECASE)
# Formatting tags an author may have typed around a caption (<center><b>…</b></center>): dropped, text kept.
_FORMAT_TAG_RE = re.compile(
    r"</?(?:center|b|strong|i|em|u|span|font|small|big|sup|sub|p|div|br)\s*/?>", re.IGNORECASE
)


def safe_markdown(text: str) -> str:
    """A Markdown paragraph (a summary, an insight) as jianbao writes it: no control characters, raw HTML
    outside code made inert, and links and images whose target is not an http(s) URL reduced to their text.

    ``<img src="https://…">`` becomes a Markdown image and plain formatting tags (``<center>``, ``<b>``) are
    dropped, keeping their text; any other markup is escaped (``&lt;script>``). Code blocks and code spans
    are left as written: a renderer shows them as text. Idempotent.
    """
    if not text:
        return ""
    out: list[str] = []
    fence: str | None = None
    for line in strip_controls(text).split("\n"):
        opened = _FENCE_RE.match(line)
        if fence is not None:
            out.append(line)
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            out.append(line)
            continue
        out.append(_inert_line(line))
    return "\n".join(out)


def _inert_line(line: str) -> str:
    """One line outside a code block: code spans kept, the rest made inert."""
    pieces: list[str] = []
    last = 0
    for span in _CODE_SPAN_RE.finditer(line):
        pieces.append(_inert_prose(line[last : span.start()]))
        pieces.append(span.group(0))
        last = span.end()
    pieces.append(_inert_prose(line[last:]))
    return "".join(pieces)


def _inert_prose(prose: str) -> str:
    prose = _IMG_TAG_RE.sub(lambda m: f"![Image]({m.group(2)})", prose)
    prose = _FORMAT_TAG_RE.sub("", prose)
    return defang_links(escape_markup(prose))
