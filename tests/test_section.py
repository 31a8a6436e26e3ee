"""Section rules (evidence, ties, unsure), tags, region_of, and the LLM's decision when the rules are unsure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from _llm_server import ChatServer, Reply, serve
from jianbao.config import Config, SectionRule, TagRule
from jianbao.issue.section import SectionDecider, place, region_of, tags_for
from jianbao.records import Entry, Link, Source, Story
from jianbao.summarize.llm import LLMClient, LLMSettings, MemoryCache

RULES = Config().weekly.sections


def story(
    title: str, *, kinds: tuple[str, ...] = (), source: str = "s", text: str = "正文。", url: str = ""
) -> Story:
    links = [Link(url=f"https://x.org/{k}", kind=k) for k in kinds]  # type: ignore[arg-type]
    entry = Entry(source=source, url=url or "https://x.org/a", title=title, summary=text, links=links)
    return Story(id=title, entries=[entry], title=title)


@pytest.mark.parametrize(
    ("title", "kinds", "text", "expected"),
    [
        ("CVPR 2026 | 提出新的检测网络", ("paper",), "正文。", "AI 前沿"),
        ("一键玩转的换脸工具", ("code",), "正文。", "有趣的开源项目"),
        ("台大机器学习课程完结", (), "视频教程和讲义都免费。", "福利"),
        ("公司发布季度财报", (), "营收增长。", None),
        ("GitHub 标星一万的工具", (), "", None),  # a bare headline: one keyword is not enough
    ],
)
def test_rules_weigh_links_and_keywords(
    title: str, kinds: tuple[str, ...], text: str, expected: str | None
) -> None:
    assert place(story(title, kinds=kinds, text=text), RULES).section == expected


def test_a_source_rule_matches_by_name_or_display_title() -> None:
    rules = [SectionRule(name="A", sources=["机器之心"]), SectionRule(name="B", keywords=["模型"])]
    src = {"jqzx": Source(name="jqzx", url="u", title="机器之心")}
    placed = place(story("新模型", source="jqzx"), rules, sources=src)
    assert placed.section == "A" and "source:机器之心" in placed.reason and not placed.unsure


def test_ties_and_weak_evidence_are_unsure() -> None:
    rules = [SectionRule(name="A", link_kinds=["paper"]), SectionRule(name="B", link_kinds=["code"])]
    tie = place(story("x", kinds=("paper", "code")), rules)
    assert tie.section == "A" and tie.unsure and "tie with B" in tie.reason
    weak = place(story("x"), rules)
    assert weak.section is None and weak.unsure


def test_avoid_words_count_against_a_section() -> None:
    rules = [
        SectionRule(name="A", link_kinds=["paper"], avoid=["教程"]),
        SectionRule(name="B", keywords=["教程", "实战"]),
    ]
    assert place(story("实战教程", kinds=("paper",)), rules).section == "B"


def test_tags_from_keywords_in_rule_order() -> None:
    rules = [
        TagRule(tag="轻量化", keywords=["剪枝"]),
        TagRule(tag="嵌入式", keywords=["MCU"]),
        TagRule(tag="X", keywords=["x"]),
    ]
    assert tags_for("在 MCU 上剪枝", rules) == ["轻量化", "嵌入式"]
    assert tags_for("Facebook", [TagRule(tag="书", keywords=["book"])]) == []


def test_region_from_config_then_subject_outlet_domain() -> None:
    sources = {"qb": Source(name="qb", url="u", region="中文圈")}
    assert region_of(story("OpenAI 发布新模型", source="qb"), sources) == "中文圈"
    named = story("发布新模型", source="The Decoder")
    named.entries[0].extra["entity"] = "DeepSeek"
    assert region_of(named) == "中文圈"  # who the story is about beats where it was reported
    assert region_of(story("DeepSeek 发布新模型", source="The Decoder")) == "国际"  # else the outlet
    assert region_of(story("Something new", source="36氪", url="https://36kr.com/p/1")) == "中文圈"
    assert (
        region_of(story("New model", source="unknown", url="https://www.qbitai.com/2026/1.html")) == "中文圈"
    )
    assert region_of(story("Anthropic raises", source="TechCrunch")) == "国际"


def daily(
    title: str,
    *,
    entity: str = "",
    source: str = "",
    url: str = "",
    links: tuple[str, ...] = (),
    text: str = "",
) -> Story:
    """An archive-like daily item: often no URL of its own, only links, an outlet list and a bold entity."""
    entry = Entry(
        source=source, url=url, title=title, summary=text, links=[Link(url=u, kind="web") for u in links]
    )
    if entity:
        entry.extra["entity"] = entity
    return Story(id=title, entries=[entry], title=title)


def test_region_from_the_links_when_the_headline_names_no_one() -> None:
    assert region_of(daily("Xmax AI 发布实时视频模型", links=("https://36kr.com/p/1",))) == "中文圈"
    assert region_of(daily("安全研究员演示蠕虫攻击", links=("https://the-decoder.com/a/",))) == "国际"
    # the headline's names come first; the item's own URL counts with the outlets, before the headline
    assert region_of(daily("OpenAI 发布新模型", links=("https://36kr.com/p/1",))) == "国际"
    assert region_of(daily("OpenAI 发布新模型", url="https://36kr.com/p/1")) == "中文圈"


def test_region_from_the_body_when_nothing_else_tells() -> None:
    assert region_of(daily("超千名从业者联名呼吁", text="Anthropic 与 OpenAI 的研究员签署公开信。")) == "国际"
    assert region_of(daily("一个新基准发布", text="智谱与 DeepSeek 的模型领先。")) == "中文圈"


def test_a_labs_project_page_names_the_subject_not_an_outlet() -> None:
    hunyuan = daily("发布 3D 开放世界生成框架", source="tencent-hunyuan.github.io")
    assert region_of(hunyuan) == "中文圈"
    assert region_of(daily("发布 3D 开放世界生成框架", source="github")) == "国际"  # GitHub as the outlet


def test_chinese_language_outlets_outside_the_mainland() -> None:
    told = daily("国会收到指控信", source="经济日报 / 路透", url="https://money.udn.com/money/story/1/2")
    assert region_of(told) == "中文圈"


def test_the_headlines_other_side_told_by_that_sides_outlet_is_the_news() -> None:
    assert region_of(daily("特斯拉上线豆包大模型", entity="特斯拉", source="36氪")) == "中文圈"
    assert region_of(daily("特斯拉发布新车", entity="特斯拉", source="36氪")) == "国际"  # who, as usual
    assert region_of(daily("DeepSeek 发布新模型", entity="DeepSeek", source="The Decoder")) == "中文圈"
    # the headline names the other side but a same-side outlet told it: who still decides
    assert region_of(daily("特斯拉上线豆包大模型", entity="特斯拉", source="The Decoder")) == "国际"


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    yield from serve()


def client_for(chat: ChatServer) -> LLMClient:
    settings = LLMSettings(
        base_url=chat.url, model="m", api_key_env="JIANBAO_TEST_NO_KEY", retries=0, timeout=5
    )  # type: ignore[attr-defined]
    return LLMClient(settings, cache=MemoryCache())


def test_llm_decides_only_when_the_rules_are_unsure(chat: ChatServer) -> None:
    chat.default = lambda body: Reply('{"section": "福利", "confidence": 0.7}')
    decide = SectionDecider(client_for(chat), [r.name for r in RULES], "其他")
    sure = place(story("CVPR 提出", kinds=("paper",)), RULES)
    assert decide(story("CVPR 提出", kinds=("paper",)), sure) is sure and chat.count == 0
    unsure_story = story("公司发布季度财报")
    decided = decide(unsure_story, place(unsure_story, RULES))
    assert decided.section == "福利" and decided.reason.startswith("llm:福利") and chat.count == 1
    assert "其他" in chat.bodies[0]["messages"][-1]["content"]  # 其他 is one of the offered choices


def test_llm_failure_keeps_the_rules_with_a_warning(chat: ChatServer) -> None:
    chat.default = lambda body: Reply(status=500)
    decide = SectionDecider(client_for(chat), [r.name for r in RULES], "其他")
    s = story("公司发布季度财报")
    placement = place(s, RULES)
    assert decide(s, placement) is placement
    assert len(decide.warnings) == 1 and "rules kept" in decide.warnings[0]
