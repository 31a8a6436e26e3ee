"""Single article pages through trafilatura: metadata, byline cleanup, and pages without an article."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jianbao.errors import SourceError
from jianbao.ingestion.sources.page import clean_author, kind, parse_page
from jianbao.records import Source

RESOURCES = Path(__file__).parent / "resources" / "sources"
URL = "https://news.example.cn/articles/tinydet"


def test_article_page() -> None:
    source = Source(name="example-news", url=URL, kind="page")
    fetched = datetime(2026, 3, 10, tzinfo=UTC)
    parsed = parse_page(source, (RESOURCES / "article_page.html").read_bytes(), url=URL, fetched=fetched)
    assert parsed.problems == []
    assert parsed.title == "示例科技"
    (entry,) = parsed.entries
    assert entry.source == "example-news"
    assert entry.url == URL
    assert entry.title == "清华团队发布轻量化目标检测模型 TinyDet"
    assert entry.author == "李雷"  # "作者：" stripped
    assert entry.published == datetime(2026, 3, 9, 2, 30, tzinfo=UTC)  # 10:30 +08:00
    assert entry.fetched == fetched
    assert entry.summary == "TinyDet 在移动端实现了实时检测，参数量只有 1M。"
    assert entry.images == ["https://news.example.cn/images/tinydet-cover.png"]
    assert entry.language == "zh"
    paragraphs = entry.content.split("\n\n")
    assert any(
        p.startswith("近日，清华大学的研究团队发布了一个名为 TinyDet 的轻量化目标检测模型。")
        for p in paragraphs
    )
    assert "https://github.com/example/TinyDet" in entry.content  # links kept for link mining
    assert "首页" not in entry.content and "版权所有" not in entry.content  # navigation and footer dropped
    assert entry.html.startswith("<!DOCTYPE html>")


def test_page_without_article() -> None:
    source = Source(name="index", url="https://x.example/", kind="page")
    with pytest.raises(SourceError) as caught:
        parse_page(source, (RESOURCES / "no_article_page.html").read_bytes(), url=source.url)
    assert str(caught.value) == "source 'index': no article found in page"


@pytest.mark.parametrize(
    ("payload", "reason"), [(b"", "empty response"), (b'{"ok": true}', "not an HTML page")]
)
def test_unusable_payloads(payload: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_page(Source(name="p", url="u", kind="page"), payload, url="u")
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("作者：张三", "张三"),
        ("作者: 李四 ", "李四"),
        ("By Jane Doe", "Jane Doe"),
        ("王五", "王五"),
        ("", None),
        (None, None),
    ],
)
def test_clean_author(byline: str | None, author: str | None) -> None:
    assert clean_author(byline) == author


def test_requests_one_url_or_a_list() -> None:
    assert kind.requests(Source(name="p", url=URL, kind="page")) == [URL]
    listed = Source(
        name="p", url="", kind="page", options={"urls": ["https://a.example/1", "https://a.example/2"]}
    )
    assert kind.requests(listed) == ["https://a.example/1", "https://a.example/2"]
