"""An item's text: the two editions' extractive rules, the editor's edit, and the desk using the item's edition."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jianbao.config import Config
from jianbao.editions import get_edition
from jianbao.issue.item_text import daily_extractive, edit_text, extractive_text, weekly_extractive
from jianbao.records import Entry, Item, Story

ARTICLE = (
    "OpenAI 今天发布了 GPT-5.7 模型。新模型在 SWE-bench Verified 上达到 81.4%，比上一代高出六个百分点。"
    "API 价格同时下调 40%，面向所有开发者开放。公司表示，新模型在长文本推理上也有明显进步。"
)


def _story(*entries: Entry) -> Story:
    return Story(id="s1", entries=list(entries), title=entries[0].title)


def test_each_edition_names_its_own_rule() -> None:
    assert get_edition("weekly").extractive is weekly_extractive
    assert get_edition("daily").extractive is daily_extractive


def test_the_weekly_rule_skips_entries_without_text() -> None:
    bare = Entry(source="a", url="https://a.example/1", title="GPT-5.7 发布")
    told = Entry(source="b", url="https://b.example/1", title="GPT-5.7 发布", content=ARTICLE, language="zh")
    text = weekly_extractive(_story(bare, told), min_chars=20, max_chars=120)
    assert text and text in ARTICLE.replace("\n", "")
    assert weekly_extractive(_story(bare), min_chars=20, max_chars=120) == ""


def test_the_daily_rule_falls_back_to_whole_sentences_of_the_feed_summary() -> None:
    entry = Entry(source="a", url="https://a.example/1", title="标题", summary="第一句话。第二句话。第三句很长很长。")
    text = daily_extractive(_story(entry), min_chars=5, max_chars=10)
    assert text in ("第一句话。第二句话。", "第一句话。")
    assert extractive_text(_story(entry), daily_extractive, (5, 10)) == text


def test_the_editors_edit() -> None:
    item = Item(title="原标题", summary="原摘要")
    edit_text(item, "title", "  新标题 ")
    edit_text(item, "tags", "【轻量化】, 嵌入式")
    edit_text(item, "summary", "编辑写的摘要。")
    assert (item.title, item.tags, item.summary) == ("新标题", ["轻量化", "嵌入式"], "编辑写的摘要。")
    with pytest.raises(ValueError, match="标题不能为空"):
        edit_text(item, "title", " ")
    with pytest.raises(ValueError, match="不能编辑 url"):
        edit_text(item, "url", "https://x.example")


def test_the_desk_words_a_daily_pick_by_the_dailys_rule(tmp_path: Path) -> None:
    from jianbao.demo import sample_sources
    from jianbao.ingestion.runner import ingest
    from jianbao.store import open_store
    from jianbao.web import desk, rework

    day, sources = sample_sources()
    config = Config()
    with open_store(f"sqlite:///{tmp_path / 'desk.db'}") as store:
        store.sync_sources(sources)
        ingest(store, sources, config=config)
        story = next(s for s in desk.gather(store, config, day, "daily") if s.state != "published")
        draft = desk.pick(store, config, day, "daily", version=0, story_id=story.id)
        [item] = draft.issue.items
        daily = get_edition("daily")
        assert item.section == daily.sections[0].name and item.priority == daily.sections[0].priority
        assert item.entity and item.sources  # a daily line: bold outlets and an entity, not a weekly heading
        assert item.summary == extractive_text(story, daily_extractive, config.daily.summary_chars)
        again = rework.propose(store, config, day, "daily", version=draft.version, index=0, action="regenerate")
        assert again.summary == item.summary and not again.changed
    assert isinstance(day, dt.date)
