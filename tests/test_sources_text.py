"""The shared HTML helpers of the source parsers: text and images from one parse, URL joining shortcuts."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from jianbao.ingestion.sources import parse_source
from jianbao.ingestion.sources._text import html_to_text, image_urls, join_url, text_and_images
from jianbao.records import Source

BODY = (
    "  导语\t文字 <p>第一段\u3000，有  空格。</p>\r\n\r\n<p>  </p><div>第二段<br>换行<br/>  再换</div>"
    '<script>var x = "<p>不算</p>";</script><style>p { color: red }</style>'
    '<p><img data-src="/lazy.jpg" src="data:image/gif;base64,R0lGOD"><img src=" https://cdn.example.com/a.png ">'
    '<IMG SRC="b.png"><img src="data:image/png;base64,xx"></p><ul><li>一</li><li>二</li></ul>尾巴'
)


def test_html_to_text_lines_and_paragraphs() -> None:
    # Spaces collapse within a line (ideographic and non-breaking ones too), <br> breaks a line, blocks are
    # paragraphs, blank runs become one blank line, scripts and styles say nothing.
    assert html_to_text(BODY) == "导语 文字\n\n第一段 ，有 空格。\n\n第二段\n换行\n再换\n\n一\n\n二\n\n尾巴"


def test_text_and_images_agree_with_the_separate_helpers() -> None:
    base = "https://news.example.com/posts/1.html"
    text, images = text_and_images(BODY, base=base)
    assert (text, images) == (html_to_text(BODY), image_urls(BODY, base=base))
    assert images == [
        "https://news.example.com/lazy.jpg",
        "https://cdn.example.com/a.png",
        "https://news.example.com/posts/b.png",
    ]
    assert text_and_images("  \n ", base=base) == ("", [])


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.com/a.png",
        "http://cdn.example.com/a.png?w=640&h=480",
        "https://cdn.example.com/a.png?",  # urljoin drops an empty query
        "https://cdn.example.com/a.png#top",
        "https://cdn.example.com/p;v=1/a.png;x",  # and an empty path parameter
        "HTTPS://CDN.example.com/a.png",  # and lowercases the scheme
        "https:///a.png",  # no host: the base's
        "https://[::1]/a.png",
        "https://例子.com/图.png",
        "/a.png",
        "//cdn.example.com/a.png",
        "a.png?x=1",
        "",
    ],
)
@pytest.mark.parametrize(
    "base", ["https://news.example.com/p/1.html", "http://news.example.com/p/", "", "file:///tmp/feed.xml"]
)
def test_join_url_is_urljoin(base: str, url: str) -> None:
    assert join_url(base, url) == urljoin(base, url)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>first</p>\x1c tail", "first\n\ntail"),  # lxml refuses control characters in the text it builds
        ("\x1cleading <p>x</p>", "leading\n\nx"),
        ("<p>a\x00b</p>", "ab"),
        ("<html><head><title>t</title></head></html>", ""),  # a whole document without a body
    ],
)
def test_odd_html_gives_text_not_an_exception(html: str, text: str) -> None:
    assert html_to_text(html) == text
    assert text_and_images(html)[0] == text


def test_one_odd_entry_does_not_sink_its_feed() -> None:
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>A</title><link>https://e.com/a</link>"
        b"<description>&lt;p&gt;first&lt;/p&gt;\x1c tail</description></item>"
        b"<item><title>B</title><link>https://e.com/b</link>"
        b"<description>&lt;html&gt;&lt;head&gt;&lt;title&gt;t&lt;/title&gt;&lt;/head&gt;&lt;/html&gt;</description></item>"
        b"<item><title>C</title><link>https://e.com/c</link><description>plain</description></item>"
        b"</channel></rss>"
    )
    parsed = parse_source(Source(name="s", url="https://e.com/feed"), feed, url="https://e.com/feed")
    assert [(e.title, e.summary) for e in parsed.entries] == [
        ("A", "first\n\ntail"),
        ("B", ""),
        ("C", "plain"),
    ]
