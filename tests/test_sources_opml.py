"""OPML import: nested folders, Chinese titles and regions, unique command-line names, malformed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.errors import SourceError
from jianbao.ingestion.sources.opml import guess_kind, parse_opml, slugify

RESOURCES = Path(__file__).parent / "resources" / "sources"


def test_parse_nested_opml() -> None:
    sources = parse_opml((RESOURCES / "subscriptions.opml").read_bytes())
    rows = [(s.name, s.url, s.kind, s.title, s.region) for s in sources]
    assert rows == [
        ("openai-news", "https://openai.com/news/rss.xml", "rss", "OpenAI News", "国际"),
        (
            "google-deepmind-blog",
            "https://deepmind.google/blog/rss.xml",
            "rss",
            "Google DeepMind Blog",
            "国际",
        ),
        (
            "arxiv-cs.cv",
            "http://export.arxiv.org/api/query?search_query=cat:cs.CV&sortBy=submittedDate&max_results=50",
            "arxiv",
            "arXiv cs.CV",
            "国际",
        ),
        ("hacker-news-ai", "https://hnrss.org/newest?q=AI", "rss", "Hacker News: AI", "国际"),
        ("机器之心", "https://www.jiqizhixin.com/rss", "rss", "机器之心", "中文圈"),
        ("量子位-qbitai", "https://www.qbitai.com/feed", "rss", "量子位 QbitAI", "中文圈"),
        (
            "ai-weekly-cn",
            "https://weekly.example.cn/feed.xml",
            "rss",
            "AI Weekly CN",
            "中文圈",
        ),  # Chinese folder
        ("openai-news-2", "https://openai.com/news/rss-zh.xml", "rss", "OpenAI News", "国际"),
        (
            "symbols.example.com-" + sources[-1].name.rsplit("-", 1)[1],
            "https://www.symbols.example.com/feed",
            "rss",
            "!!!",
            "国际",
        ),
    ]
    assert len(sources[-1].name.rsplit("-", 1)[1]) == 6
    by_name = {s.name: s for s in sources}
    assert by_name["openai-news"].options == {
        "categories": ["International", "Research"],
        "homepage": "https://openai.com/news/",
    }
    assert by_name["hacker-news-ai"].options == {"categories": ["International", "News", "Aggregators"]}
    assert by_name["机器之心"].options["categories"] == ["中文媒体"]
    assert all(" " not in s.name for s in sources)
    assert len({s.name for s in sources}) == len(sources)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hacker News: AI", "hacker-news-ai"),
        ("量子位 QbitAI", "量子位-qbitai"),
        ("  机器之心  ", "机器之心"),
        ("!!!", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://export.arxiv.org/api/query?search_query=cat:cs.CL", "arxiv"),
        ("https://hn.algolia.com/api/v1/search?tags=front_page", "hackernews"),
        ("https://github.com/trending/python?since=daily", "github_trending"),
        ("https://rss.arxiv.org/rss/cs.CV", "rss"),
    ],
)
def test_guess_kind(url: str, kind: str) -> None:
    assert guess_kind(url) == kind


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty OPML file"),
        (b"<opml><body><outline text='x'></body>", "malformed OPML: "),
        (b"<rss version='2.0'><channel/></rss>", "not an OPML file (root <rss>)"),
        (b"<opml version='2.0'><head/></opml>", "OPML has no <body>"),
    ],
)
def test_malformed_opml(payload: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_opml(payload, origin="feeds.opml")
    assert caught.value.source == "feeds.opml"
    assert caught.value.reason.startswith(reason)
    assert "\n" not in str(caught.value)
