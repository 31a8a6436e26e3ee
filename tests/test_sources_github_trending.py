"""GitHub Trending page parsing: repo rows, star counts, period, and the AI filter."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.errors import SourceError
from jianbao.ingestion.sources.github_trending import kind, parse_count, parse_trending
from jianbao.records import Source

RESOURCES = Path(__file__).parent / "resources" / "sources"
PAGE = (RESOURCES / "github_trending_daily.html").read_bytes()
AI_REPOS = [
    "deepseek-ai/DeepSeek-V3",
    "ollama/ollama",
    "hiyouga/LLaMA-Factory",
    "comfyanonymous/ComfyUI",
    "THUDM/ChatGLM3",
    "langgenius/dify",
    "karpathy/nanoGPT",
    "PaddlePaddle/PaddleOCR",
]


def _parse(**options: object):
    source = Source(
        name="trending", url="https://github.com/trending", kind="github_trending", options=options
    )
    return parse_trending(source, PAGE, url=source.url)


def test_ai_filter_keeps_ai_repos_in_page_order() -> None:
    parsed = _parse()
    assert [e.title for e in parsed.entries] == AI_REPOS
    assert parsed.problems == []
    assert parsed.title == "GitHub Trending"


def test_all_rows_without_the_filter() -> None:
    entries = _parse(ai_only=False).entries
    assert len(entries) == 15
    assert [e.extra["rank"] for e in entries] == list(range(1, 16))
    non_ai = {e.title for e in entries} - set(AI_REPOS)
    assert non_ai == {
        "microsoft/markitdown",
        "vercel/next.js",
        "rust-lang/rust",
        "public-apis/public-apis",  # "APIs" is not "AI"
        "mermaid-js/mermaid",  # "maid" is not "ai"
        "ruanyf/weekly",
        "fastapi/fastapi",
    }


def test_row_fields() -> None:
    entries = {e.title: e for e in _parse(ai_only=False).entries}
    markitdown = entries["microsoft/markitdown"]
    assert markitdown.url == "https://github.com/microsoft/markitdown"
    assert markitdown.summary == "Python tool for converting files and office documents to Markdown."
    assert markitdown.extra == {
        "repo": "microsoft/markitdown",
        "rank": 1,
        "description": "Python tool for converting files and office documents to Markdown.",
        "language": "Python",
        "stars": 45123,
        "forks": 2134,
        "stars_period": 1234,
        "period": "daily",
        "keywords": [],
    }
    factory = entries["hiyouga/LLaMA-Factory"]
    assert factory.summary == "Unified Efficient Fine-Tuning of 100+ LLMs & VLMs (ACL 2024)"
    assert factory.extra["stars_period"] == 402
    deepseek = entries["deepseek-ai/DeepSeek-V3"]  # no description, no language
    assert (deepseek.summary, deepseek.extra["language"], deepseek.extra["stars"]) == ("", None, 98765)
    glm = entries["THUDM/ChatGLM3"]
    assert glm.extra["stars"] == 13456 and glm.language == "zh"


def test_keyword_options() -> None:
    assert [e.title for e in _parse(keywords=["Rust", "framework"]).entries] == [
        "vercel/next.js",
        "rust-lang/rust",
        "fastapi/fastapi",
    ]
    extra = [e.title for e in _parse(extra_keywords=["周刊"]).entries]
    assert extra == [*AI_REPOS[:5], "ruanyf/weekly", *AI_REPOS[5:]]


def test_weekly_period_and_short_counts() -> None:
    page = b"""<html><body><article class="Box-row">
      <h2 class="h3 lh-condensed"><a href="/a/llm-kit">a / llm-kit</a></h2>
      <p class="col-9 color-fg-muted my-1 tmp-pr-4">An LLM toolkit</p>
      <a href="/a/llm-kit/stargazers">1.2k</a> <a href="/a/llm-kit/network/members">87</a>
      <span class="d-inline-block float-sm-right">3,210 stars this week</span>
    </article></body></html>"""
    (entry,) = parse_trending(Source(name="t", url=""), page, url="u").entries
    assert entry.extra["stars"] == 1200
    assert entry.extra["forks"] == 87
    assert (entry.extra["stars_period"], entry.extra["period"]) == (3210, "weekly")


@pytest.mark.parametrize(
    ("text", "count"), [("12,345", 12345), (" 987 ", 987), ("1.5k", 1500), ("", None), ("n/a", None)]
)
def test_parse_count(text: str, count: int | None) -> None:
    assert parse_count(text) == count


def test_empty_language_page_is_not_an_error() -> None:
    page = "<html><body><div class='blankslate'><h3>It looks like we don’t have any trending repositories for Zig.</h3></div></body></html>"
    parsed = parse_trending(Source(name="t", url=""), page.encode(), url="u")
    assert parsed.entries == [] and parsed.problems == []


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty response"),
        (b"<html><body><h1>Whoa there!</h1></body></html>", "no trending repositories in page"),
    ],
)
def test_unusable_pages(payload: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_trending(Source(name="t", url=""), payload, url="u")
    assert caught.value.reason.startswith(reason)


def test_requests() -> None:
    assert kind.requests(Source(name="t", url="https://github.com/trending", kind="github_trending")) == [
        "https://github.com/trending"
    ]
    weekly = Source(
        name="t", url="", kind="github_trending", options={"since": "weekly", "language": "Python"}
    )
    assert kind.requests(weekly) == ["https://github.com/trending/python?since=weekly"]
    with pytest.raises(SourceError, match="since must be"):
        kind.requests(Source(name="t", url="", kind="github_trending", options={"since": "hourly"}))
