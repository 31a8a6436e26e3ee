"""An entry's article as summaries read it: its text with the author's bold, cleaned of boilerplate.

``Entry.content`` is plain text (the RSS walk drops ``<strong>``), and stays so: search, clustering and the
raw hashes read it. The bold an editor keeps in a summary ("the article's key sentence in bold", as the
seeds show) is read back from the stored HTML at summary time instead: ``article_text`` marks each
outermost ``<strong>``/``<b>`` of ``Entry.html`` and walks it the way the feed parser did, and uses the
result only when, without its marks, it is the stored text word for word (a page's HTML, or a feed whose
text came from elsewhere, leaves the text as stored).

``article_of`` cleans that text (``summarize.clean``) with the publisher's rules, once per text.
"""

from __future__ import annotations

import functools
import re

from lxml import etree

from jianbao.ingestion.sources._text import html_to_text
from jianbao.records import Entry
from jianbao.summarize.clean import CleanArticle, clean

__all__ = ["article_of", "article_text", "bold_text"]

# Private-use characters mark bold while the HTML is walked: they survive the walk's whitespace folding
# and cannot occur in a feed's text.
_OPEN, _CLOSE = "\ue000", "\ue001"
_BOLD_TAGS = ("strong", "b")
_PARSER = etree.HTMLParser()


def _mark(root: etree._Element) -> bool:
    """Put the markers around each outermost bold element's text; True when there was one."""
    marked = False
    for element in root.iter(*_BOLD_TAGS):
        if any(parent.tag in _BOLD_TAGS for parent in element.iterancestors()):
            continue
        element.text = _OPEN + (element.text or "")
        children = list(element)
        if children:
            children[-1].tail = (children[-1].tail or "") + _CLOSE
        else:
            element.text += _CLOSE
        marked = True
    return marked


def _balance(text: str) -> str:
    """Each paragraph's bold opened and closed inside it, whitespace outside the marks, then ``**``."""
    out: list[str] = []
    open_run = False
    for line in text.split("\n"):
        if not line:
            out.append(line)
            continue
        if open_run:
            line = _OPEN + line
        depth = 0
        for char in line:
            depth += char == _OPEN
            depth -= char == _CLOSE and depth > 0
        open_run = depth > 0
        if open_run:
            line += _CLOSE
        out.append(line)
    text = "\n".join(out)
    text = re.sub(f"{_OPEN}(\\s+)", rf"\1{_OPEN}", text)
    text = re.sub(f"(\\s+){_CLOSE}", rf"{_CLOSE}\1", text)
    text = re.sub(f"{_OPEN}{_CLOSE}", "", text)
    text = re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip()  # a mark alone on its line
    return text.replace(_OPEN, "**").replace(_CLOSE, "**")


def bold_text(html: str) -> str | None:
    """The feed parser's text of ``html`` with its bold as ``**…**``; None when it has no bold."""
    if not html or ("<strong" not in html.lower() and "<b" not in html.lower()):
        return None
    try:
        document = etree.fromstring(f"<html><body>{html}</body></html>", _PARSER)
    except (etree.ParserError, ValueError):
        return None
    if document is None:
        return None
    body = document.find("body")
    if body is None or not _mark(body):
        return None
    inner = (body.text or "") + "".join(etree.tostring(child, encoding="unicode", method="html") for child in body)
    return _balance(html_to_text(inner))


def article_text(entry: Entry, text: str | None = None) -> str:
    """The entry's main text with the author's bold where the stored HTML shows it: ``text`` when given (the
    text an item reads, ``issue.item_text.entry_text``: never an aggregator's metadata line), else its
    content, else its feed summary."""
    if text is None:
        text = entry.content if entry.content.strip() else entry.summary
    marked = bold_text(entry.html) if entry.html else None
    if marked is not None and marked.replace("**", "").split() == text.replace("**", "").split():
        return marked
    return text


@functools.lru_cache(maxsize=512)
def _cleaned(text: str, source: str | None) -> CleanArticle:
    return clean(text, source=source)


def article_of(entry: Entry, *, source: str | None = None, text: str | None = None) -> CleanArticle:
    """The entry's article cleaned by the generic rules and its publisher's (``source``: its source's name
    and display name, which the publishers' rule files are matched against); ``text`` is the entry's text
    as its item reads it (``article_text``)."""
    return _cleaned(article_text(entry, text), source or entry.source)
