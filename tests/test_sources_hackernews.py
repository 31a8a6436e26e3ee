"""Hacker News via Algolia: AI keyword filter on word boundaries, points filter, item URLs for text posts."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from jianbao.errors import SourceError
from jianbao.ingestion.sources._text import KeywordMatcher
from jianbao.ingestion.sources.hackernews import kind, parse_algolia
from jianbao.records import Source

RESOURCES = Path(__file__).parent / "resources" / "sources"
PAYLOAD = (RESOURCES / "algolia_search_by_date.json").read_bytes()


def _parse(**options: object):
    source = Source(
        name="hn", url="https://hn.algolia.com/api/v1/search_by_date", kind="hackernews", options=options
    )
    return parse_algolia(source, PAYLOAD, url=source.url, fetched=datetime(2026, 3, 10, 21, tzinfo=UTC))


def test_ai_stories_only_by_default() -> None:
    parsed = _parse()
    assert [e.extra["hn_id"] for e in parsed.entries] == ["44000001", "44000003", "44000004", "44000006"]
    assert parsed.problems == ["hit 7: story 44000007 has no title"]


def test_story_fields() -> None:
    claude = _parse().entries[0]
    assert claude.url == "https://www.anthropic.com/claude-4-system-card"
    assert claude.title == "Claude 4 system card"
    assert claude.author == "simonw"
    assert claude.published == datetime(2026, 3, 10, 14, 3, 12, tzinfo=UTC)
    assert claude.extra == {
        "hn_id": "44000001",
        "points": 845,
        "comments": 312,
        "hn_url": "https://news.ycombinator.com/item?id=44000001",
        "keywords": ["Claude"],
        "aggregator": "Hacker News",  # the story is the linked article; the HN page is its discussion
        "discussion_url": "https://news.ycombinator.com/item?id=44000001",
    }


def test_ask_hn_uses_the_item_url_and_its_text() -> None:
    ask = next(e for e in _parse().entries if e.extra["hn_id"] == "44000003")
    assert ask.url == "https://news.ycombinator.com/item?id=44000003"
    assert ask.summary == "Which open-weight LLMs do you run locally?\n\nI'm on a 24GB GPU."
    assert ask.extra["keywords"] == ["inference", "LLMs"]


def test_min_points_filter() -> None:
    parsed = _parse(min_points=200)
    assert [(e.extra["hn_id"], e.extra["points"]) for e in parsed.entries] == [
        ("44000001", 845),
        ("44000006", 420),
    ]


def test_custom_keywords_and_ai_only_off() -> None:
    assert [e.extra["hn_id"] for e in _parse(keywords=["rust"]).entries] == ["44000005"]
    assert [e.extra["hn_id"] for e in _parse(extra_keywords=["Louvre"]).entries] == [
        "44000001",
        "44000002",
        "44000003",
        "44000004",
        "44000006",
    ]
    everything = _parse(ai_only=False)
    assert len(everything.entries) == 6  # all but the untitled hit


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The maid who cleaned the Louvre", []),
        ("Mermaid diagrams and email", []),
        ("AI-generated art", ["AI"]),
        ("Why LLMs hallucinate", ["LLMs"]),
        ("OpenAI's new agents SDK", ["OpenAI", "agents"]),
        ("A modeling language for databases", []),
        ("国产大模型发布", ["大模型", "模型"]),
    ],
)
def test_keywords_match_on_word_boundaries(text: str, found: list[str]) -> None:
    matcher = KeywordMatcher(["AI", "LLM", "OpenAI", "agent", "model", "大模型", "模型"])
    assert matcher.matches(text) == found


def test_requests_build_an_algolia_query() -> None:
    source = Source(name="hn", url="", kind="hackernews", options={"min_points": 100, "since_hours": 24})
    before = int(time.time()) - 24 * 3600
    (url,) = kind.requests(source)
    after = int(time.time()) - 24 * 3600
    parsed = urlparse(url)
    assert (parsed.netloc, parsed.path) == ("hn.algolia.com", "/api/v1/search_by_date")
    params = parse_qs(parsed.query)
    assert params["tags"] == ["story"]
    assert params["hitsPerPage"] == ["100"]
    points, created = params["numericFilters"][0].split(",")
    assert points == "points>=100"
    assert created.startswith("created_at_i>")
    assert before <= int(created.removeprefix("created_at_i>")) <= after


def test_requests_front_page() -> None:
    source = Source(
        name="hn", url="", kind="hackernews", options={"endpoint": "search", "tags": "front_page"}
    )
    (url,) = kind.requests(source)
    assert url == "https://hn.algolia.com/api/v1/search?tags=front_page&hitsPerPage=100"


def test_requests_keep_a_full_url() -> None:
    url = "https://hn.algolia.com/api/v1/search?tags=front_page"
    assert kind.requests(Source(name="hn", url=url, kind="hackernews")) == [url]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty response"),
        (b"<!DOCTYPE html><html><body>rate limited</body></html>", "not an Algolia response (got HTML)"),
        (b'{"hits": ', "malformed JSON: "),
        (b'{"message": "Invalid filters"}', "not an Algolia response (no 'hits' list)"),
    ],
)
def test_unusable_responses(payload: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_algolia(Source(name="hn", url=""), payload, url="u")
    assert caught.value.reason.startswith(reason)
