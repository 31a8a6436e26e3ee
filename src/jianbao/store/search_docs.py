"""The rows of ``search_docs``, the table full-text search reads: one per entry and per part of an issue.

Each row's indexes are built from texts worked out from it: CJK character bigrams (``bigram_columns``)
and, on SQLite, the text with its CJK runs cut out for the trigram index (``latin_columns``). These are pure
functions of the row's title, body and source: ``store.search_index`` writes them (into SQLite's FTS5
tables, or PostgreSQL's bigram columns) and the migrations that fill older rows call them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from operator import add

from jianbao.records import Entry, Issue

__all__ = [
    "CJK_ANY",
    "CJK_RUN",
    "LATIN_BREAK",
    "RUN_END",
    "SEARCH_LEAD_CHARS",
    "SearchDoc",
    "bigram_columns",
    "bigram_terms",
    "entry_document",
    "index_columns",
    "issue_documents",
    "latin_columns",
    "latin_text",
    "search_body",
    "text_heads",
    "text_lengths",
]

SearchDoc = dict[str, str | dt.date | None]  # one search_docs row, by column name

RUN_END = "x"  # closes each CJK run in the bigram text; never a CJK pair, so no query ever matches it
LATIN_BREAK = "\n"  # stands for each CJK run in the trigram text; never in a (whitespace-normalised) query
# CJK letters that SQLite's unicode61 tokenizer (Unicode 6.1 tables) and PostgreSQL's parser both take as
# word characters: kana, CJK ideographs (BMP, extension A), Hangul syllables. A query with any other
# character takes the trigram path, so the bigram index is only asked what it answers exactly.
_CJK = "\u3041-\u3096\u30a1-\u30fa\u3400-\u4db5\u4e00-\u9fcc\uac00-\ud7a3"
CJK_RUN = re.compile(f"[{_CJK}]{{2,}}")
CJK_ANY = re.compile(f"[{_CJK}]+")
_CJK_SPLIT = re.compile(f"([{_CJK}]+)")  # split keeps the runs: [text, run, text, run, …, text]

# How much of an entry's text the full-text indexes see: editors search titles and leads, and both indexes
# (trigram and CJK bigram) cost store time per character; the full text stays in ``entries.content``.
SEARCH_LEAD_CHARS = 2000


def bigram_terms(value: str | None) -> str:
    """The CJK runs of ``value`` as overlapping character pairs, each run closed by ``RUN_END``.

    开源大模型 → ``开源 源大 大模 模型 x``. A CJK query's own pairs, as a phrase, then match exactly where the
    query occurs: consecutive pairs come from one run only, and the marker stops a phrase spanning two.
    """
    return _bigrams(CJK_RUN.findall(value or ""))


def _bigrams(runs: Iterable[str]) -> str:
    # map(add, run, run[1:]) pairs a run in C: the store writes about a million pairs per 3,000 entries.
    parts = [" ".join(map(add, run, run[1:])) for run in runs if len(run) > 1]
    return f" {RUN_END} ".join(parts) + f" {RUN_END}" if parts else ""


def _split(value: str | None) -> tuple[str, str]:
    """``bigram_terms(value)`` and ``latin_text(value)`` from one scan of the text."""
    pieces = _CJK_SPLIT.split(value or "")
    return _bigrams(pieces[1::2]), LATIN_BREAK.join(pieces[0::2])


def bigram_columns(title: str | None, body: str | None, source: str | None) -> dict[str, str]:
    """``title_bigrams`` and ``body_bigrams`` of a search_docs row, written beside its text."""
    return {
        "title_bigrams": bigram_terms(title),
        "body_bigrams": " ".join(filter(None, (bigram_terms(body), bigram_terms(source)))),
    }


def latin_text(value: str | None) -> str:
    """``value`` with each CJK run replaced by ``LATIN_BREAK``: what the SQLite trigram index reads.

    Every substring without CJK letters survives unchanged and none spans a break (queries hold no line
    break), so a trigram match here is a match in the original; CJK is left to the bigram index.
    """
    return CJK_ANY.sub(LATIN_BREAK, value or "")


def latin_columns(title: str | None, body: str | None, source: str | None) -> dict[str, str]:
    """``title_latin`` and ``body_latin`` of a search_docs row (SQLite), written beside its text."""
    return {
        "title_latin": latin_text(title),
        "body_latin": latin_text(body) + LATIN_BREAK + latin_text(source),
    }


def index_columns(
    title: str | None, body: str | None, source: str | None, *, latin: bool
) -> dict[str, str | None]:
    """``bigram_columns`` and, when ``latin`` (SQLite), ``latin_columns`` of a row, each text scanned once.

    Without ``latin`` the trigram columns are None (PostgreSQL's trigram index reads the text itself).
    """
    if not latin:
        return {**bigram_columns(title, body, source), "title_latin": None, "body_latin": None}
    title_pairs, title_latin = _split(title)
    body_pairs, body_latin = _split(body)
    source_pairs, source_latin = _split(source)
    return {
        "title_bigrams": title_pairs,
        "body_bigrams": " ".join(filter(None, (body_pairs, source_pairs))),
        "title_latin": title_latin,
        "body_latin": body_latin + LATIN_BREAK + source_latin,
    }


def text_lengths(title: str | None, body: str | None) -> dict[str, int]:
    """``title_chars`` and ``body_chars`` of a search_docs row: the characters of each text before any NUL,
    which is what SQL's ``length(coalesce(text, ''))`` counts (SQLite stops at a NUL; PostgreSQL's text holds
    none), written beside the text for the search's relevance (m021)."""
    return {"title_chars": _chars(title), "body_chars": _chars(body)}


def _chars(value: str | None) -> int:
    return len(value.partition("\0")[0]) if value else 0


def search_body(entry: Entry) -> str:
    """Summary, then the opening of the content, for the full-text index (the title is its own column).

    Only the first ``SEARCH_LEAD_CHARS`` characters are indexed: a word found only deep inside an article
    does not make it a search hit, which is the trade for a store write at feed-parsing speed. The summary
    is left out when the content repeats it (a feed's description is often the whole body).
    """
    summary, content = entry.summary.strip(), entry.content
    body = content if summary and summary in content else f"{summary}\n{content}"
    return body[:SEARCH_LEAD_CHARS]


def text_heads(summary: str, content: str, body: str) -> tuple[int, int]:
    """How many leading characters of ``summary`` and of ``content`` (as stored) are the head of the entry's
    search document ``body``, which keeps them: the row stores only the rest (0: the whole text)."""

    def head(text: str) -> int:
        if not text or not body:
            return 0
        if text.startswith(body):
            return len(body)
        return len(text) if body.startswith(text) else 0

    return head(summary), head(content)


def entry_document(entry_id: int, entry: Entry) -> SearchDoc:
    """The search_docs row of a stored entry (``ref`` is its id), without its index columns (the store adds
    those its backend keeps: ``jianbao.store.search_index``)."""
    body = search_body(entry)
    return {
        "kind": "entry",
        "ref": str(entry_id),
        "issue_id": None,
        "date": entry.published.date() if entry.published else None,
        "section": None,
        "title": entry.title,
        "source": entry.source,
        "url": entry.url,
        "body": body,
    }


def issue_documents(issue: Issue) -> list[SearchDoc]:
    """The search_docs rows of every part of an issue: items, 其他, trending, insights, one-liner and 导读,
    without their index columns (as ``entry_document``).

    ``ref`` is ``<issue id>#<part>`` (``#3`` the fourth item, ``#o0`` the first 其他 link, ``#t``, ``#i``,
    ``#l``, ``#intro``), so a hit links to its place in the issue.
    """

    def doc(
        kind: str, ref: str, section: str, title: str, source: str | None, url: str | None, body: str
    ) -> SearchDoc:
        return {
            "kind": kind,
            "ref": f"{issue.id}#{ref}",
            "section": section,
            "title": title,
            "source": source,
            "url": url,
            "body": body,
            "issue_id": issue.id,
            "date": issue.date,
        }

    docs = []
    for position, item in enumerate(issue.items):
        links_text = " ".join(link.url for link in item.links)
        body = "\n".join(filter(None, [item.entity, item.summary, " ".join(item.tags), links_text]))
        source = item.source or " / ".join(item.sources)
        docs.append(doc("item", f"{position}", item.section, item.title, source, item.url, body))
    for i, other in enumerate(issue.other):
        docs.append(doc("other", f"o{i}", "其他", other.title, other.source, other.url, ""))
    for i, row in enumerate(issue.trending):
        docs.append(doc("trending", f"t{i}", "GitHub 趋势", row.repo, "GitHub", row.url, row.desc))
    for i, insight in enumerate(issue.insights):
        docs.append(doc("insight", f"i{i}", "今日洞察", "", None, None, insight))
    if issue.one_liner:
        docs.append(doc("one_liner", "l", "今日一句话", "", None, None, issue.one_liner))
    if issue.intro:
        intro_text = " ".join(filter(None, [issue.intro.almanac, issue.intro.remark]))
        docs.append(doc("intro", "intro", "导读", "", None, None, intro_text))
    return docs
