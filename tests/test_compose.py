"""Composing items: which report of a story an item shows."""

from __future__ import annotations

import datetime as dt

from jianbao.config import Config
from jianbao.editions.weekly import weekly_item
from jianbao.issue.compose import chinese_first
from jianbao.records import Entry, Story


def _story() -> Story:
    when = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    en = Entry(source="openai", url="https://openai.com/index/x", canonical_url="https://openai.com/index/x",
               title="Introducing GPT-5.7", language="en", content="GPT-5.7 is out.", published=when)
    zh = Entry(source="jiqizhixin", url="https://mp.weixin.qq.com/s/abc", canonical_url="https://mp.weixin.qq.com/s/abc",
               title="GPT-5.7 正式发布", language="zh", content="OpenAI 发布 GPT-5.7。", published=when)
    return Story(id="s", entries=[en, zh])


def test_weekly_items_are_the_chinese_report_with_the_original_under_also() -> None:
    item = weekly_item(_story(), section="其他", number=1, config=Config(), sources={},
                      summarize=lambda story: story.entries[0].content)
    assert (item.title, item.url, item.source) == ("GPT-5.7 正式发布", "https://mp.weixin.qq.com/s/abc", "jiqizhixin")
    assert item.summary == "OpenAI 发布 GPT-5.7。"
    assert [o.url for o in item.also] == ["https://openai.com/index/x"]


def test_chinese_first_leaves_chinese_led_and_english_only_stories_alone() -> None:
    story = _story()
    story.entries.reverse()
    assert chinese_first(story) is story
    english_only = Story(id="e", entries=[_story().entries[0]])
    assert chinese_first(english_only) is english_only
