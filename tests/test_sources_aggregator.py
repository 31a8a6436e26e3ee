"""Aggregator entries (Hacker News, Reddit) in RSS: the metadata line becomes counters, never an item's text."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.ingestion.sources.aggregator import aggregator_of, read_metadata
from jianbao.ingestion.sources.rss import parse_feed
from jianbao.issue.item_text import Budget, daily_extractive, entry_text, source_text, weekly_extractive
from jianbao.records import Entry, Source, Story

RESOURCES = Path(__file__).parent / "resources" / "relevance"
SOURCE = Source(name="hn", url="")

HNRSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Hacker News: Front Page</title><link>https://news.ycombinator.com/</link>
<item><title>Postgres 19 beta notes</title><link>https://www.example.org/pg19</link>
<description><![CDATA[
<p>Article URL: <a href="https://www.example.org/pg19">https://www.example.org/pg19</a></p>
<p>Comments URL: <a href="https://news.ycombinator.com/item?id=41000001">https://news.ycombinator.com/item?id=41000001</a></p>
<p>Points: 212</p>
<p># Comments: 87</p>
]]></description><pubDate>Mon, 15 Jun 2026 10:00:00 +0000</pubDate><dc:creator>alice</dc:creator>
<comments>https://news.ycombinator.com/item?id=41000001</comments>
<guid isPermaLink="false">https://news.ycombinator.com/item?id=41000001</guid></item>
<item><title>A tiny Forth</title><link>https://example.net/forth</link>
<description><![CDATA[<a href="https://news.ycombinator.com/item?id=41000002">Comments</a>]]></description>
<comments>https://news.ycombinator.com/item?id=41000002</comments></item>
</channel></rss>"""

REDDIT = b"""<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>MachineLearning</title>
<entry><title>[R] A new sparse attention kernel</title>
<link href="https://www.reddit.com/r/MachineLearning/comments/1abcde/r_a_new_sparse_attention_kernel/" />
<updated>2026-06-15T08:00:00+00:00</updated>
<content type="html">&lt;table&gt;&lt;tr&gt;&lt;td&gt; submitted by &lt;a href="https://www.reddit.com/user/kernel_fan"&gt; /u/kernel_fan &lt;/a&gt; &lt;br/&gt; &lt;span&gt;&lt;a href="https://arxiv.org/abs/2606.04321"&gt;[link]&lt;/a&gt;&lt;/span&gt; &lt;span&gt;&lt;a href="https://www.reddit.com/r/MachineLearning/comments/1abcde/r_a_new_sparse_attention_kernel/"&gt;[comments]&lt;/a&gt;&lt;/span&gt; &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</content>
</entry></feed>"""


@pytest.mark.parametrize(
    ("text", "counters"),
    [
        ("Score: 146 Comments: 135 By: alice Discussion: https://news.ycombinator.com/item?id=1",
         {"points": 146, "comments": 135, "author": "alice", "discussion_url": "https://news.ycombinator.com/item?id=1"}),
        ("Article URL: https://e.org/a Comments URL: https://news.ycombinator.com/item?id=2 Points: 9 # Comments: 3",
         {"points": 9, "comments": 3, "discussion_url": "https://news.ycombinator.com/item?id=2"}),
        ("submitted by /u/bob [link] [comments]", {"author": "u/bob"}),
        ("Comments", {}),
        ("评论数：12 | 热度：300", {"comments": 12, "points": 300}),
    ],
)  # fmt: skip
def test_metadata_lines_are_read_as_counters_with_no_text_left(
    text: str, counters: dict[str, object]
) -> None:
    meta = read_metadata(text)
    assert meta.is_metadata and meta.text == "" and meta.counters == counters


def test_real_words_around_a_metadata_line_are_kept() -> None:
    meta = read_metadata(
        "Which open-weight LLMs do you run locally? I'm on a 24GB GPU. Points: 12 # Comments: 5"
    )
    assert meta.text == "Which open-weight LLMs do you run locally? I'm on a 24GB GPU."
    assert meta.counters == {"points": 12, "comments": 5}
    plain = "OpenAI released a model.\n\nIt reasons better."
    assert read_metadata(plain).text == plain and not read_metadata(plain).is_metadata


def test_hacker_news_feeds_of_every_shape_lose_their_metadata_line() -> None:
    best = parse_feed(SOURCE, (RESOURCES / "hn_best.xml").read_bytes(), url="https://hnrss.example/best")
    assert best.title == "Hacker News: Best" and len(best.entries) == 92
    link_posts = [e for e in best.entries if not aggregator_of(e.url)]
    assert link_posts and all(e.summary == "" and e.content == "" and e.html == "" for e in link_posts)
    assert all(e.extra["aggregator"] == "Hacker News" and e.extra["points"] > 0 for e in best.entries)
    ask = next(e for e in best.entries if e.title.startswith("Ask HN: Has anyone"))
    assert ask.summary.startswith("Ask HN: Has anyone replaced Copilot") and "Score:" not in ask.summary
    front = parse_feed(SOURCE, HNRSS, url="https://hnrss.example/frontpage").entries
    assert [(e.summary, e.extra.get("points")) for e in front] == [("", 212), ("", None)]
    assert front[0].extra["comments"] == 87 and front[0].extra["discussion_url"].endswith("41000001")


def test_a_json_feed_of_hacker_news_loses_its_metadata_line_too() -> None:
    """hnrss serves JSON Feed as well: the same entries as its RSS, whatever the format."""
    import json

    item = {
        "id": "41000001", "url": "https://www.example.org/pg19", "title": "Postgres 19 beta notes",
        "content_html": "<p>Article URL: https://www.example.org/pg19</p><p>Comments URL: "
                        "https://news.ycombinator.com/item?id=41000001</p><p>Points: 212</p><p># Comments: 87</p>",
        "date_published": "2026-06-15T10:00:00Z",
    }  # fmt: skip
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Hacker News: Front Page", "items": [item]}
    (entry,) = parse_feed(SOURCE, json.dumps(feed).encode(), url="https://hnrss.example/frontpage.jsonfeed").entries
    assert entry.summary == "" and entry.content == ""
    assert entry.extra["points"] == 212 and entry.extra["comments"] == 87


def test_a_reddit_link_post_is_the_linked_story_with_the_thread_as_its_discussion() -> None:
    (post,) = parse_feed(
        Source(name="r", url=""), REDDIT, url="https://www.reddit.com/r/MachineLearning/.rss"
    ).entries
    assert (
        post.url == "https://arxiv.org/abs/2606.04321"
        and post.summary == ""
        and post.author == "u/kernel_fan"
    )
    assert (
        post.extra["aggregator"] == "Reddit"
        and "reddit.com/r/MachineLearning" in post.extra["discussion_url"]
    )


def test_an_item_is_never_told_by_the_metadata_line() -> None:
    line = "Score: 146 Comments: 135 By: alice Discussion: https://news.ycombinator.com/item?id=1"
    stored = Entry(source="hn", url="https://e.org/a", title="Habitual coffee intake shapes the microbiome",
                   summary=line, extra={"aggregator": "Hacker News"})  # fmt: skip
    assert entry_text(stored) == ""
    story = Story(id="s", entries=[stored])
    assert daily_extractive(story, budget=Budget(60, 150), sources={}).summary == ""
    assert weekly_extractive(story, budget=Budget(100, 300), sources={}).summary == ""
    entry, text = source_text(story)  # what the LLM would word it from: the headline, never the line
    assert entry is stored and text == stored.title
    stored.content = "Researchers followed 2,000 coffee drinkers for a year and sequenced their gut bacteria."
    assert "coffee drinkers" in daily_extractive(story, budget=Budget(10, 150), sources={}).summary
    assert "Score" not in source_text(story)[1]
