"""The ingest's shortcuts agree with the plain computation they replace: the scheme defusing and the aggregator
label split that search only near colons, the metadata read skipped for a text that cannot hold two labels,
the gate that keeps the texts it passed already, and the link resolution that skips ``urljoin``."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urljoin

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao.ingestion.extract import _href, understand
from jianbao.ingestion.sources import aggregator
from jianbao.ingestion.sources.aggregator import (
    _BARE_WORDS,
    _DISCUSSION_LABELS,
    _LABEL_RE,
    _LABELS,
    _REDDIT_RE,
    _URL_RE,
    Metadata,
    _may_hold_labels,
    _number,
    _too_short,
    read_metadata,
)
from jianbao.records import Entry, Link
from jianbao.safety import UrlGate, gate_entry
from jianbao.safety.text import _SCHEME_TEXT_RE, _defuse, defuse_schemes, strip_controls

_SETTINGS = settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _glued(pieces: list[str]) -> st.SearchStrategy[str]:
    """Texts glued from pieces that matter to the pattern, the characters case-insensitive matching folds
    (ſ, ı, İ, K), spaces of every kind and a little of anything."""
    return st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=3)), max_size=14).map("".join)


_SCHEME_PIECES = [
    *("java", "JAVA", "jaVa", "vb", "VB", "live", "LiVe", "script", "SCRIPT", "ſcript", "scrıpt", "scrİpt"),
    *("data", "DATA", "dAta", "text/", "image/", ":", "：", "&#106;", "&#58;", "&amp;", "/", "x", "中"),
    *(" ", "  ", "\t", "\n", "\u3000", "\xa0", "\x1c"),
]  # fmt: skip


def _defuse_by_regex(text: str) -> str:
    return _SCHEME_TEXT_RE.sub(lambda m: m.group(1) + "：", text)


def _defuse_schemes_by_regex(text: str) -> str:
    if not text:
        return ""
    text = _defuse_by_regex(text)
    if "&" in text:
        decoded = text
        while (once := html.unescape(decoded)) != decoded:
            decoded = once
        if _SCHEME_TEXT_RE.search(decoded):
            return _defuse_by_regex(strip_controls(decoded))
    return text


@_SETTINGS
@given(_glued(_SCHEME_PIECES))
def test_scheme_defusing_near_colons_matches_the_whole_text_scan(text: str) -> None:
    assert _defuse(text) == _defuse_by_regex(text)
    assert defuse_schemes(text) == _defuse_schemes_by_regex(text)


def test_scheme_defusing_examples() -> None:
    assert (
        _defuse("see JavaScript :alert(1) and data : text/html,x")
        == "see JavaScript：alert(1) and data： text/html,x"
    )
    assert _defuse("java \t ſcript:x, vbscript: y, data: no") == "java \t ſcript：x, vbscript： y, data: no"
    assert _defuse("no colon here, java script") == "no colon here, java script"


def _read_metadata_by_regex(text: str) -> Metadata:
    """``read_metadata`` as first written: whole-text scans for every pattern."""
    flat = re.sub(r"\s+", " ", text).strip()
    counters: dict[str, Any] = {}
    labels = 0
    for match in _REDDIT_RE.finditer(flat):
        labels += 1
        if match.group(1):
            counters.setdefault("author", match.group(1).removeprefix("/"))
    pieces = _LABEL_RE.split(_REDDIT_RE.sub(" ", flat))
    kept = [pieces[0]]
    for label, value in zip(pieces[1::2], pieces[2::2], strict=True):
        labels += 1
        (key,) = [k for k in _LABELS if re.fullmatch(re.escape(k), label, re.IGNORECASE)]
        kind = _LABELS[key]
        first, _, tail = value.strip(" |·,;-").partition(" ")
        if kind in ("points", "comments") and (n := _number(first)) is not None:
            counters.setdefault(kind, n)
        elif kind == "author" and first:
            counters.setdefault("author", first.strip("/"))
        elif kind == "url" and first.startswith("http") and key in _DISCUSSION_LABELS:
            counters.setdefault("discussion_url", first)
        kept.append(tail)
    leftover = re.sub(r"\s+", " ", _URL_RE.sub(" ", " ".join(kept))).strip(" |·,;-:：")
    if _BARE_WORDS.match(leftover) or (labels and _too_short(leftover)):
        return Metadata(text="", counters=counters, labels=max(labels, 1))
    return Metadata(text=leftover if labels else text.strip(), counters=counters, labels=labels)


_LABEL_PIECES = [
    *sorted(_LABELS), *(label.upper() for label in _LABELS), "Score", "BY", "#", ":", "：", " ", "  ", "\t",
    *("\n", "\u3000", "\xa0", "x", "12", "1,234", "https://x.com/a", "http://y", "[link]", "[Comments]", "[link"),
    *("submitted by /u/bob", "SUBMITTED  by u/x-y", "u/", "U/", "/", "|", "·", "-", "评论", "中文", "Comments", "word"),
    *("ſcore", "\u212aarma", "dıscussion", "D\u0130SCUSSION", "ſ", "\u212a", "ı"),  # IGNORECASE folds these
    *("http", "https", "https:", "http:", "HTTPS:", "s:", "url"),  # a URL's colon bounds no label
]  # fmt: skip


def _outcome(text: str, read: Any) -> object:
    meta = read(text)
    return meta.text, meta.counters, meta.labels


@_SETTINGS
@given(_glued(_LABEL_PIECES))
def test_metadata_read_near_colons_matches_the_whole_text_scan(text: str) -> None:
    expected = _outcome(text, _read_metadata_by_regex)
    assert _outcome(text, read_metadata) == expected
    if isinstance(expected, tuple) and expected[2] >= 2:
        assert _may_hold_labels(text, 2)  # the bound mark_aggregator skips by never hides a metadata line


def test_metadata_examples() -> None:
    meta = read_metadata(
        "Article URL: https://a.example/x Comments URL: https://news.ycombinator.com/item?id=1 Points: 146 # Comments: 135"
    )
    assert meta.is_metadata and meta.counters == {
        "discussion_url": "https://news.ycombinator.com/item?id=1",
        "points": 146,
        "comments": 135,
    }
    meta = read_metadata("submitted by /u/someone [link] [comments]")
    assert meta.is_metadata and meta.counters == {"author": "u/someone"} and meta.labels == 3
    # labels spelled with characters IGNORECASE folds but lower() keeps apart are read, not a KeyError
    meta = read_metadata("ſcore: 12 \u212aarma: 7 Dıscussion: https://news.example/item?id=3")
    assert meta.counters == {"points": 12, "discussion_url": "https://news.example/item?id=3"}


def test_a_text_without_room_for_two_labels_is_left_as_it_was() -> None:
    entry = Entry(
        source="s", url="https://blog.example/post", title="t", summary="A long post: nothing more. " * 20
    )
    assert aggregator.mark_aggregator(entry) is entry
    listed = Entry(source="s", url="https://blog.example/post", title="t", summary="Points: 3 Comments: 4")
    assert aggregator.mark_aggregator(listed).extra["aggregator"] == "aggregator"


_TEXT_PIECES = [
    "javascript:x",
    "data:text/html,1",
    "\x00",
    "\x1b",
    "\ufffe",
    "中文",
    "word",
    " ",
    "\n",
    ":",
    "&#106;",
]


@_SETTINGS
@given(
    st.lists(st.sampled_from(_TEXT_PIECES), max_size=8).map("".join),
    st.lists(st.sampled_from(_TEXT_PIECES), max_size=8).map("".join),
    st.booleans(),
)
def test_the_gate_after_understand_gives_what_a_full_gate_gives(
    title: str, text: str, with_content: bool
) -> None:
    body = f'<p>{html.escape(text)} <a href="https://arxiv.org/abs/2401.00001">论文</a> <a href="javascript:x">x</a></p>'
    entry = Entry(
        source="s",
        url="https://e.example/a",
        title=title,
        author=text or None,
        summary=text,
        content=text if with_content else "",
        html=body + text,
        links=[Link(url="https://github.com/a/b", kind="code", meta={"text": text})],
        extra={"guid": text, "comments_url": "javascript:y"},
    )
    gate = UrlGate()
    passed = gate_entry(entry, gate)
    assert passed is not None
    understood = understand(passed)
    fresh, again = UrlGate(), UrlGate()
    assert gate_entry(understood, again, passed=passed) == gate_entry(understood, fresh)
    assert again.dropped == fresh.dropped


def test_href_skips_urljoin_only_where_it_gives_the_same() -> None:
    values = [
        "https://a.com/b",
        "https://a.com/b?q=1",
        "http://a.com",
        "https://a.com/b;p",
        "https://a.com/b#f",
    ]
    values += [
        "https://a.com/b?",
        "https://[::1]/x",
        "https://a.com/中文",
        "HTTPS://a.com/x",
        "https://a.com/a b",
    ]
    for base in (
        "https://e.com/a/b",
        "http://e.com/",
        "https://e.com/中/",
        "https://[::1/",
        "http://[::1]/a",
    ):
        for value in values:
            try:
                joined: str | None = urljoin(base, value)
            except ValueError:
                joined = None
            expected = joined if joined and joined.startswith(("http://", "https://")) else None
            assert _href(value, base) == expected, (value, base)


def test_colons_no_label_ends_at_do_not_count() -> None:
    """mark_aggregator's bound counts only the colons a label can end at: a text citing its links is not read."""
    cited = "论文：https://arxiv.org/abs/2401.00001 代码：https://github.com/a/b More: read on"
    assert not _may_hold_labels(cited, 2)
    assert _may_hold_labels("Points:\n 3  posted\tby :x", 2)  # whitespace as it comes
    assert _may_hold_labels("by: /u/xhttps://y", 2)  # a Reddit marker: every colon counts
