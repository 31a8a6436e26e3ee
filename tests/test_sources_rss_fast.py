"""The fast RSS path gives exactly what feedparser gives, on feedparser's own corpus and on real feeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jianbao.errors import SourceError
from jianbao.ingestion.sources import ParsedFeed, rss
from jianbao.ingestion.sources.rss_fast import parse_plain_rss
from jianbao.records import Source

FETCHED = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
SOURCE = Source(name="feed", url="https://example.com/feed.xml")


def _feeds(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".xml", ".rss", ".atom", ".rdf"))


def _parse(payload: bytes, *, fast: bool, monkeypatch: pytest.MonkeyPatch) -> ParsedFeed | str:
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(rss, "parse_plain_rss", lambda _payload: None)
        try:
            return rss.parse_feed(SOURCE, payload, url=SOURCE.url, fetched=FETCHED)
        except SourceError as exc:
            return exc.message


def _compare(paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    """How many documents took the fast path, and the ones whose result differs from feedparser's."""
    fast, differ = 0, []
    for path in paths:
        payload = path.read_bytes()
        if parse_plain_rss(payload) is None:
            continue
        fast += 1
        if _parse(payload, fast=True, monkeypatch=monkeypatch) != _parse(
            payload, fast=False, monkeypatch=monkeypatch
        ):
            differ.append(str(path))
    return fast, differ


def _corpus(shared_dir: Path, name: str) -> Path:
    root = shared_dir / "corpus" / name
    if not root.is_dir():
        pytest.skip(f"shared corpus not found: {root}")
    return root


@pytest.mark.slow
def test_fast_path_matches_feedparser_on_its_own_corpus(
    shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, differ = _compare(_feeds(_corpus(shared_dir, "feedparser-tests")), monkeypatch)
    assert differ == []
    assert fast > 0


@pytest.mark.parametrize("name", ["feeds-ai-labs", "feeds-ai-labs-turing"])
def test_fast_path_matches_feedparser_on_real_feeds(
    shared_dir: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    paths = _feeds(_corpus(shared_dir, name))
    fast, differ = _compare(paths, monkeypatch)
    assert differ == []
    assert fast == len(paths)  # real feeds are plain RSS 2.0: every one takes the fast path


@pytest.mark.parametrize(
    "payload",
    [
        # fastfeedparser's trap: a bare & is broken XML, which feedparser recovers and the fast path declines
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>A & B</title>'
        b"<link>https://e.com/1</link></item></channel></rss>",
        b'<?xml version="1.0" encoding="gbk"?><rss version="2.0"><channel></channel></rss>',
        b'<!DOCTYPE rss [<!ENTITY x "y">]><rss version="2.0"><channel></channel></rss>',
        b'<rss version="2.0" xml:base="https://e.com/"><channel></channel></rss>',
        b'<rss version="2.0"><channel><item><title>x<b>y</b></title></item></channel></rss>',
        b'<rss version="2.0"><channel><item><link>a</link><link>b</link></item></channel></rss>',
        b'<rss version="2.0"><channel><item><media:content xmlns:media="http://search.yahoo.com/mrss/" '
        b'url="https://e.com/i.jpg"/></item></channel></rss>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title></entry></feed>',
    ],
)
def test_fast_path_declines_what_it_does_not_read_exactly(payload: bytes) -> None:
    assert parse_plain_rss(payload) is None


def test_fast_path_reads_a_plain_feed() -> None:
    payload = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<channel><title>实验室</title><item><title> 新模型 &amp; 数据 </title>"
        '<guid isPermaLink="true">https://e.com/1</guid><dc:creator>张三</dc:creator>'
        "<category>AI</category><category>AI</category>"
        "<pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate><description><![CDATA[<p>正文</p>]]></description>"
        "</item></channel></rss>"
    ).encode()
    plain = parse_plain_rss(payload)
    assert plain is not None and plain.title == "实验室"
    (item,) = plain.entries
    assert item["title"] == "新模型 & 数据" and item["link"] == "https://e.com/1" and item["author"] == "张三"
    assert item["summary"] == "<p>正文</p>"
    assert tuple(item["published_parsed"])[:6] == (2026, 3, 2, 8, 0, 0)


@pytest.mark.parametrize(
    ("name", "mark"), [("hn_best.xml", "aggregator"), ("ai_digest.xml", "digest")]
)
def test_the_fast_path_marks_aggregators_and_splits_digests_as_feedparser_does(
    monkeypatch: pytest.MonkeyPatch, name: str, mark: str
) -> None:
    # The aggregator's metadata line and the digest's parts are read after either parser, in one place.
    payload = (Path(__file__).parent / "resources" / "relevance" / name).read_bytes()
    assert parse_plain_rss(payload) is not None
    fast = _parse(payload, fast=True, monkeypatch=monkeypatch)
    assert isinstance(fast, ParsedFeed) and fast == _parse(payload, fast=False, monkeypatch=monkeypatch)
    assert sum(mark in e.extra for e in fast.entries) >= 3
