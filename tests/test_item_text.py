"""An item's text: the two editions' rules on the cleaned article's lead, a Chinese voice for every item, the
number check on the LLM's words, the editor's edit, and the desk using the item's edition."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jianbao.config import Config
from jianbao.editions import get_edition
from jianbao.editions.daily import compose_daily
from jianbao.editions.weekly import compose_weekly
from jianbao.issue.item_text import (
    Budget,
    Summarizer,
    daily_extractive,
    edit_text,
    gloss,
    has_chinese_report,
    trim_sentences,
    use_llm_text,
    weekly_extractive,
)
from jianbao.records import Entry, Item, Link, Source, Story
from jianbao.summarize.llm import ItemSummary

ARTICLE = (
    "OpenAI 今天发布了 GPT-5.7 模型。新模型在 SWE-bench Verified 上达到 81.4%，比上一代高出六个百分点。"
    "API 价格同时下调 40%，面向所有开发者开放。公司表示，新模型在长文本推理上也有明显进步。"
)
WEEKLY = Budget(20, 120)


def _story(*entries: Entry, story_id: str = "s1") -> Story:
    return Story(id=story_id, entries=list(entries), title=entries[0].title)


def test_each_edition_names_its_own_rule() -> None:
    assert get_edition("weekly").extractive is weekly_extractive
    assert get_edition("daily").extractive is daily_extractive
    weekly = get_edition("weekly").budget_of(Config())
    assert (weekly.min_paragraphs, weekly.max_paragraphs, weekly.max_chars) == (2, 4, 300)


def test_the_weekly_rule_skips_entries_without_text() -> None:
    bare = Entry(source="a", url="https://a.example/1", title="GPT-5.7 发布", language="zh")
    told = Entry(source="b", url="https://b.example/1", title="GPT-5.7 发布", content=ARTICLE, language="zh")
    text = weekly_extractive(_story(bare, told), budget=WEEKLY, sources={})
    assert text.summary and text.summary in ARTICLE.replace("\n", "")
    assert text.how == "lead" and text.entry is told
    assert weekly_extractive(_story(bare), budget=WEEKLY, sources={}).summary == ""


def test_the_weekly_rule_is_the_cleaned_articles_lead_with_its_bold() -> None:
    html = (
        "<p>量子位 | 公众号 QbitAI</p><p>第一段讲发生了什么：某公司发布了新模型，<strong>价格降了四成</strong>。</p>"
        "<p>第二段讲为什么重要：它超过了此前最好的模型。</p><p>| 模型 | 分数 |</p><p>点亮星标，科技前沿进展每日见。</p>"
    )
    from jianbao.ingestion.sources._text import html_to_text

    entry = Entry(source="qbitai", url="https://q.example/1", title="新模型", content=html_to_text(html),
                  html=html, language="zh")  # fmt: skip
    text = weekly_extractive(_story(entry), budget=Budget(20, 300), sources={})
    assert text.summary == (
        "第一段讲发生了什么：某公司发布了新模型，**价格降了四成**。\n\n第二段讲为什么重要：它超过了此前最好的模型。"
    )
    assert "QbitAI" not in text.summary and "星标" not in text.summary
    assert any("qbitai" in line.lower() for line in text.explain())


def test_the_daily_rule_falls_back_to_whole_sentences_of_the_feed_summary() -> None:
    entry = Entry(source="a", url="https://a.example/1", title="标题", summary="第一句话。第二句话。第三句很长很长。",
                  language="zh")  # fmt: skip
    text = daily_extractive(_story(entry), budget=Budget(5, 10), sources={})
    assert text.summary in ("第一句话。第二句话。", "第一句话。")
    assert Summarizer(daily_extractive, Budget(5, 10))(_story(entry)) == text.summary


def test_trimmed_text_ends_at_a_sentence_or_a_whole_word() -> None:
    long = "Parse any document (PDF, PPT, DOCX, scans) into clean Markdown with a single 1.5B model that runs locally."
    assert trim_sentences(long, max_chars=80) == (
        "Parse any document (PDF, PPT, DOCX, scans) into clean Markdown with a single…"
    )
    assert trim_sentences("Short one. Another sentence that is long.", max_chars=15) == "Short one."
    clause = "Qwen3.9 is the large language model series developed by the Qwen team, Alibaba Cloud and more."
    assert trim_sentences(clause, max_chars=80) == "Qwen3.9 is the large language model series developed by the Qwen team…"


# --- a Chinese voice ----------------------------------------------------------------------------------------

PAPER = Entry(
    source="arxiv-cs", url="https://arxiv.org/abs/2611.08519", title="Speculative Agents: Drafting Tool Calls",
    summary="We let a small model draft tool calls, cutting wall-clock time by 2.4x.", language="en",
    links=[Link("https://github.com/neulab/speculative-agents", kind="code", key="github:neulab/speculative-agents",
                meta={"stars": 1234})],
)  # fmt: skip
SOURCES = {"arxiv-cs": Source(name="arxiv-cs", url="x", title="arXiv cs.AI")}


def test_an_english_only_story_gets_a_chinese_gloss_of_its_facts_never_its_abstract() -> None:
    story = _story(PAPER)
    assert not has_chinese_report(story)
    text = gloss(story, SOURCES)
    assert text.summary == "关于 Speculative Agents 的英文论文，来自 arXiv cs.AI，代码已开源，GitHub ⭐ 1.2k。"
    for rule in (weekly_extractive, daily_extractive):
        summary = Summarizer(rule, WEEKLY, SOURCES)(story)
        assert summary == text.summary and "small model" not in summary


def test_a_chinese_report_speaks_for_the_story() -> None:
    zh = Entry(source="jiqizhixin", url="https://j.example/1", title="小模型起草工具调用", content=ARTICLE, language="zh")
    story = _story(PAPER, zh)
    assert has_chinese_report(story)
    summary = Summarizer(daily_extractive, Budget(20, 150), SOURCES)(story)
    assert summary.startswith("OpenAI 今天发布了 GPT-5.7 模型。")


def _ranked(*stories: Story) -> list[Story]:
    for n, story in enumerate(stories):
        story.score = 10.0 - n
    return list(stories)


def test_without_an_llm_english_only_stories_go_where_the_edition_says() -> None:
    zh = Entry(source="jiqizhixin", url="https://j.example/1", title="GPT-5.7 发布", content=ARTICLE, language="zh",
               links=[Link("https://arxiv.org/abs/2611.00001", kind="paper", key="arxiv:2611.00001")])  # fmt: skip
    english, chinese = _story(PAPER, story_id="en"), _story(zh, story_id="zh")
    day = dt.date(2026, 11, 20)
    config = Config()
    assert config.weekly.english_only == "other" and config.daily.english_only == "gloss"
    quiet = Summarizer(weekly_extractive, WEEKLY, SOURCES)
    issue, picks = compose_weekly(_ranked(english, chinese), day=day, config=config, sources=SOURCES, summarize=quiet)
    assert [i.story_id for i in issue.items] == ["zh"] and [o.title for o in issue.other] == [PAPER.title]
    assert any(p.section is None and "English only" in p.reason for p in picks)
    translating = Summarizer(weekly_extractive, WEEKLY, SOURCES, translates=True)
    issue, _ = compose_weekly(_ranked(english, chinese), day=day, config=config, sources=SOURCES,
                              summarize=translating)  # fmt: skip
    assert {i.story_id for i in issue.items} == {"en", "zh"}
    glossing = config.model_copy(update={"weekly": config.weekly.model_copy(update={"english_only": "gloss"})})
    issue, _ = compose_weekly(_ranked(english, chinese), day=day, config=glossing, sources=SOURCES, summarize=quiet)
    assert next(i for i in issue.items if i.story_id == "en").summary.startswith("关于 Speculative Agents")
    daily = Summarizer(daily_extractive, Budget(60, 150), SOURCES)
    issue, _ = compose_daily(_ranked(english, chinese), day=day, config=config, sources=SOURCES, summarize=daily)
    assert {i.story_id for i in issue.items} == {"en", "zh"}
    dropping = config.model_copy(update={"daily": config.daily.model_copy(update={"english_only": "drop"})})
    issue, picks = compose_daily(_ranked(english, chinese), day=day, config=dropping, sources=SOURCES, summarize=daily)
    assert [i.story_id for i in issue.items] == ["zh"]


def test_an_english_only_lead_heads_other_and_hands_its_lead_place_to_no_one() -> None:
    # The week's biggest story, English only, no LLM: a gloss is not a summary an editor signs, so with
    # english_only = "other" it is not numbered even as a lead; it heads 其他, and the next story is not
    # made a lead in its place (quotas and min_share still hold for it).
    english = _story(PAPER, story_id="en")
    reports = [
        Entry(source="jiqizhixin", url=f"https://j.example/{n}", title=f"国产模型 {n} 发布", content=ARTICLE, language="zh")
        for n in range(3)
    ]
    chinese = [_story(entry, story_id=f"zh{n}") for n, entry in enumerate(reports)]
    config = Config()
    config.weekly.lead_items = 1
    config.weekly.min_share = 0.9  # only a lead is numbered beside a story this much bigger
    quiet = Summarizer(weekly_extractive, WEEKLY, SOURCES)
    ranked = _ranked(english, *chinese)
    issue, picks = compose_weekly(ranked, day=dt.date(2026, 11, 20), config=config, sources=SOURCES, summarize=quiet)
    why = {p.story.id: p.reason for p in picks}
    assert why["en"].startswith("English only, nothing to translate it") and "lead (top 1)" in why["en"]
    assert issue.other[0].title == PAPER.title  # the biggest of the rest heads 其他
    assert [i.story_id for i in issue.items] == ["zh0"]  # above min_share: numbered on its own merit
    assert why["zh1"].startswith("too weak to number")  # not promoted to the lead the English story left
    translating = Summarizer(weekly_extractive, WEEKLY, SOURCES, translates=True)
    issue, picks = compose_weekly(ranked, day=dt.date(2026, 11, 20), config=config, sources=SOURCES,
                                  summarize=translating)  # fmt: skip
    assert issue.items[0].story_id == "en" and issue.items[0].number == 1  # an LLM will word it: a lead again


# --- the LLM's words, number-checked ------------------------------------------------------------------------


def test_the_llms_words_are_used_only_when_their_numbers_are_the_sources() -> None:
    item = Item(title="OpenAI 发布 GPT-5.7", summary="摘录。")
    good = ItemSummary(title_zh="GPT-5.7 发布", summary_zh="得分 81.4%，价格下调四成，即 40%。")
    assert use_llm_text(item, good, source=ARTICLE).passed
    assert (item.title, item.summary) == ("GPT-5.7 发布", "得分 81.4%，价格下调四成，即 40%。")
    assert item.number_check is not None and item.number_check.passed and not item.number_check.summary
    item = Item(title="OpenAI 发布 GPT-5.7", summary="摘录。")
    bad = ItemSummary(title_zh="GPT-5.8 发布", summary_zh="得分 82.4%，价格下调 40%。")
    check = use_llm_text(item, bad, source=ARTICLE)
    assert not check.passed and check.unsupported == ["5.8", "82.4"]
    assert (item.title, item.summary) == ("OpenAI 发布 GPT-5.7", "摘录。")  # the extractive text stays
    assert item.number_check is check and check.title == "GPT-5.8 发布"


# --- the editor -----------------------------------------------------------------------------------------------


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
        by_name = {s.name: s for s in store.list_sources()}
        assert item.summary == daily.summarizer(config, sources=by_name)(story)
        again = rework.propose(store, config, day, "daily", version=draft.version, index=0, action="regenerate")
        assert again.summary == item.summary and not again.changed
        lines = desk.explain_text(store, config, day, "daily", index=0)
        assert lines[0].startswith("text: lead of ") and any("paragraphs" in line for line in lines)
    assert isinstance(day, dt.date)
