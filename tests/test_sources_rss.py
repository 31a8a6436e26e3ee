"""RSS 2.0 / Atom parsing: fields, images, encodings, broken entries and unusable documents."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jianbao.errors import SourceError
from jianbao.ingestion.sources.rss import kind, parse_feed
from jianbao.records import Source

RESOURCES = Path(__file__).parent / "resources" / "sources"
FETCHED = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)


def _parse(name: str, *, url: str = "https://blog.example.com/feed.xml"):
    source = Source(name="blog", url=url)
    return parse_feed(source, (RESOURCES / name).read_bytes(), url=url, fetched=FETCHED)


def test_rss2_fields() -> None:
    parsed = _parse("rss2.xml")
    assert parsed.title == "Example AI Blog"
    assert parsed.problems == []
    first, second = parsed.entries
    assert first.source == "blog"
    assert first.url == "https://blog.example.com/2026/gemma-3"
    assert first.title == "Introducing Gemma 3 & friends"
    assert first.author == "Jane Doe"
    assert first.published == datetime(2026, 3, 10, 0, 30, tzinfo=UTC)  # +0800 converted to UTC
    assert first.fetched == FETCHED
    assert first.summary == "Gemma 3 is a family of open models. It runs on one GPU."
    assert first.html.startswith("<p>Gemma 3 is a family of <b>open</b> models.</p>")  # content:encoded wins
    assert first.content == "Gemma 3 is a family of open models.\n\nPaper: arXiv"
    assert first.extra == {
        "tags": ["LLM", "Open models"],
        "comments_url": "https://blog.example.com/2026/gemma-3#comments",
        "guid": "post-101",
    }
    assert first.language == "en"
    assert first.canonical_url == "" and first.links == []
    assert second.published == datetime(2026, 3, 9, 23, 0, tzinfo=UTC)


def test_rss2_images_from_media_enclosures_and_html() -> None:
    first, second = _parse("rss2.xml").entries
    assert first.images == [
        "https://blog.example.com/img/gemma-cover.jpg",  # media:content medium=image
        "https://blog.example.com/img/gemma-thumb.jpg",  # media:thumbnail
        "https://blog.example.com/img/gemma-body.png",  # <img src>
        "https://blog.example.com/img/lazy.jpg",  # <img data-src>
    ]
    # the audio enclosure is not an image; the image/png one is
    assert second.images == ["https://blog.example.com/img/podcast-12.png"]


def test_atom_fields() -> None:
    parsed = _parse("atom.xml")
    assert parsed.title == "Lab News"
    first, second = parsed.entries
    assert first.title == "Diffusion without noise"
    assert first.url == "https://lab.example.org/posts/diffusion"
    assert first.author == "Ada Lovelace"
    assert first.published == datetime(2026, 3, 11, 8, 0, tzinfo=UTC)
    assert first.summary == "A short summary."
    assert first.content == "Full text of the post.\n\nSecond paragraph."
    assert first.extra["tags"] == ["diffusion"]
    # no <published>: fall back to <updated>
    assert second.published == datetime(2026, 3, 10, tzinfo=UTC)
    assert second.author is None
    assert second.summary == "Plain summary text."


def test_gbk_feed_is_decoded_from_its_declaration() -> None:
    raw = (RESOURCES / "gbk.xml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the fixture really is GBK
    parsed = _parse("gbk.xml", url="https://www.jiqizhixin.com/rss")
    assert parsed.title == "机器之心"
    (entry,) = parsed.entries
    assert entry.title == "谷歌发布新一代大模型，推理能力大幅提升"
    assert entry.author == "机器之心编辑部"
    assert entry.summary == "本文介绍了谷歌最新发布的大模型。它在数学推理上表现出色。"
    assert entry.published == datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    assert entry.language == "zh"


def test_broken_entries_are_reported_not_raised() -> None:
    parsed = _parse("broken_entries.xml", url="https://messy.example.net/feed")
    assert [e.url for e in parsed.entries] == [
        "https://messy.example.net/good",
        "https://messy.example.net/untitled",
        "https://messy.example.net/bad-date",
        "https://messy.example.net/broken-html",
    ]
    assert parsed.problems == [
        "entry 2: no link and no title",
        "entry 3: no link",
        "entry 4: no title; using 'OpenAI released a new reasoning model today.'",
        "entry 5: unparseable date 'the day after tomorrow'",
    ]
    by_url = {e.url: e for e in parsed.entries}
    assert (
        by_url["https://messy.example.net/untitled"].title == "OpenAI released a new reasoning model today."
    )
    assert by_url["https://messy.example.net/bad-date"].published is None
    broken = by_url["https://messy.example.net/broken-html"]
    assert broken.summary == "Unclosed bold and italic\n\nNext paragraph"
    assert broken.images == ["https://messy.example.net/img/x.png"]  # relative src made absolute


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.xml", "source 'blog': empty response"),
        ("not_a_feed.html", "source 'blog': not a feed (no <rss>/<feed> root; got HTML)"),
        ("malformed.xml", "source 'blog': malformed XML: no element found (line 6)"),
    ],
)
def test_unusable_documents_raise_one_line(name: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        _parse(name)
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_whitespace_only_payload_is_empty() -> None:
    with pytest.raises(SourceError, match="empty response"):
        parse_feed(Source(name="blog", url="u"), b"  \n\t", url="u")


def test_recoverable_xml_keeps_entries_with_a_problem_line() -> None:
    payload = (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Fish & chips</title><link>https://x.example/1</link></item>"
        b"</channel></rss>"
    )
    parsed = parse_feed(Source(name="loose", url="u"), payload, url="https://x.example/feed")
    assert [e.url for e in parsed.entries] == ["https://x.example/1"]
    # Issue 15: the warning says what was recovered.
    assert parsed.problems == [
        "feed: recovered from a parse problem: not well-formed (invalid token) (line 1); kept 1 entries and the title 'T'"
    ]


def test_empty_but_valid_feed_has_no_entries() -> None:
    payload = b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    parsed = parse_feed(Source(name="quiet", url="u"), payload, url="u")
    assert (parsed.entries, parsed.problems, parsed.title) == ([], [], "Quiet")


def test_kind_requests_the_source_url() -> None:
    assert kind.requests(Source(name="a", url="https://a.example/feed")) == ["https://a.example/feed"]


def test_gbk_feed_that_declares_utf8_is_redetected() -> None:
    parsed = _parse("gbk_declared_utf8.xml", url="https://www.qbitai.com/feed")
    assert parsed.title == "量子位"
    assert [(e.title, e.url) for e in parsed.entries] == [
        ("智能体新进展", "https://www.qbitai.com/2026/03/1.html")
    ]
    assert parsed.problems == ["feed: declared charset is wrong; decoded as gb18030"]


def test_json_feed_1_1_is_read() -> None:
    """Issue 15: feedparser 6.0 reads no JSON, so a JSON Feed failed as "malformed XML"."""
    payload = """{
      "version": "https://jsonfeed.org/version/1.1",
      "title": "实验室博客",
      "home_page_url": "https://lab.example/",
      "language": "zh-CN",
      "authors": [{"name": "编辑部"}],
      "items": [
        {"id": "2", "url": "/posts/2", "title": "发布 <b>新模型</b>",
         "content_html": "<p>正文<img src=\\"/i/2.png\\"></p><script>alert(1)</script>",
         "date_published": "2026-11-20T08:00:00+08:00", "tags": ["模型"],
         "authors": [{"name": "张三"}, {"name": "李四"}]},
        {"id": "1", "external_url": "https://elsewhere.example/a", "content_text": "只有文字的一条。",
         "date_modified": "2026-11-19T00:00:00Z",
         "attachments": [{"url": "https://lab.example/i/1.jpg", "mime_type": "image/jpeg"}]},
        {"id": "0", "title": "no url"},
        "not an object"
      ]
    }""".encode()
    parsed = parse_feed(Source(name="lab", url="u"), payload, url="https://lab.example/feed.json")
    first, second = parsed.entries
    assert parsed.title == "实验室博客"
    assert first.url == "https://lab.example/posts/2" and first.title == "发布 新模型"
    assert first.author == "张三, 李四" and first.language == "zh" and first.extra["tags"] == ["模型"]
    assert first.published is not None and first.published.isoformat() == "2026-11-20T00:00:00+00:00"
    assert first.content == "正文" and first.images == ["https://lab.example/i/2.png"]
    assert second.url == "https://elsewhere.example/a" and second.author == "编辑部"
    assert second.summary == "只有文字的一条。" and second.images == ["https://lab.example/i/1.jpg"]
    assert second.title == "只有文字的一条。"
    assert any("item 3: no url" in p for p in parsed.problems)
    assert any("item 4: not an object" in p for p in parsed.problems)


def test_ill_formed_feed_with_nothing_lost_is_a_warning_not_a_failure() -> None:
    payload = b'<rss version="2.0"><channel><title>Caf&eacute; news</title></channel></rss>'
    parsed = parse_feed(Source(name="cafe", url="u"), payload, url="u")
    assert parsed.entries == [] and parsed.title is not None
    assert parsed.problems and parsed.problems[0].startswith("feed: recovered from a parse problem: undefined entity")
