"""Tests of story clustering, history matching and repeat detection (jianbao.stories)."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
from pathlib import Path

import pytest

from jianbao.records import Entry, Link
from jianbao.stories.cluster import cluster_entries
from jianbao.stories.history import HistoryStory, RepeatCandidate, find_repeats, match_history
from jianbao.stories.settings import ClusterSettings
from jianbao.stories.text import entity_tokens

BENCH = Path(__file__).resolve().parents[1] / "bench"
LABELS = Path(__file__).resolve().parent / "resources" / "cluster" / "june2026_repeats.json"
T0 = dt.datetime(2026, 8, 1, 8, 0)


def entry(
    title: str, summary: str = "", *, url: str, source: str = "feed", minutes: int = 0, keys=()
) -> Entry:
    links = [Link(url=f"https://example.org/{k}", kind="paper", key=k) for k in keys]
    return Entry(
        source=source,
        url=url,
        canonical_url=url,
        title=title,
        summary=summary,
        published=T0 + dt.timedelta(minutes=minutes),
        links=links,
    )


def memberships(stories) -> set[frozenset[str]]:
    return {frozenset(e.url for e in s.entries) for s in stories}


# ------------------------------------------------------------------------------------------- entities


def test_entity_tokens_normalise_model_names_across_spellings():
    for text in ("OpenAI 发布 GPT-5.6", "openai ships gpt5.6", "OpenAI GPT 5.6 is here"):
        assert "gpt-5.6" in entity_tokens(text).models, text
    assert "qwen3.8" in entity_tokens("Qwen 3.8 开源").models
    assert "qwen3.8" in entity_tokens("Alibaba releases Qwen3.8").models
    assert "kimi-k3" in entity_tokens("Kimi-K3 权重").models
    assert "kimi-k3" in entity_tokens("Moonshot open-sources Kimi K3").models
    assert "deepseek-v4-pro" in entity_tokens("DeepSeek V4 Pro 上线").models
    assert "arxiv:2106.04560" in entity_tokens("论文 arXiv 2106.04560").models


def test_entity_tokens_meet_across_languages_for_brands_and_amounts():
    zh = entity_tokens("英伟达投资 200 亿美元，准确率 90.45%")
    en = entity_tokens("Nvidia invests $20B, 90.45% accuracy")
    assert "nvidia" in zh.brands & en.brands
    assert zh.numbers & en.numbers == {"usd:2e+10", "90.45%"}


# ----------------------------------------------------------------------------------------- clustering


def test_shared_paper_key_joins_unrelated_titles():
    a = entry("一种新的注意力机制", url="https://a.example/1", keys=["arxiv:2401.00001"])
    b = entry("Linear attention at scale", url="https://b.example/2", keys=["arxiv:2401.00001"])
    c = entry("完全无关的新闻：某公司发布财报", url="https://c.example/3")
    stories = cluster_entries([a, b, c])
    assert memberships(stories) == {frozenset({a.url, b.url}), frozenset({c.url})}
    joint = next(s for s in stories if len(s.entries) == 2)
    assert "arxiv:2401.00001" in joint.keys


def test_shared_canonical_url_joins():
    a = entry("Anthropic ships a thing", url="https://x.example/post")
    b = entry("完全不同的标题", url="https://x.example/post", source="other")
    assert len(cluster_entries([a, b])) == 1


def test_reworded_chinese_titles_form_one_story():
    a = entry("智谱发布 GLM-5.3，号称最强开源编程模型", url="https://a.example/1")
    b = entry("最强开源编程模型！智谱正式发布 GLM-5.3", url="https://b.example/2", minutes=30)
    c = entry("宇树科技启动 IPO，8 月 10 日网下申购", url="https://c.example/3")
    assert memberships(cluster_entries([a, b, c])) == {frozenset({a.url, b.url}), frozenset({c.url})}


def test_english_and_chinese_reports_of_one_event_meet():
    en = entry(
        "OpenAI raises $40B as GPT-5.6 lifts revenue",
        "OpenAI closed a $40B round on Monday.",
        url="https://en.example/1",
    )
    zh = entry(
        "OpenAI 完成 400 亿美元融资，GPT-5.6 推动收入增长", "本轮融资由软银领投。", url="https://zh.example/2"
    )
    assert len(cluster_entries([en, zh])) == 1


def test_different_versions_of_a_release_stay_apart():
    a = entry("OpenAI 发布 GPT-5.6，推理能力大幅提升", url="https://a.example/1")
    b = entry("OpenAI 发布 GPT-5.7，推理能力大幅提升", url="https://b.example/2", minutes=60)
    c = entry("Claude Code 2.1.178 发布", url="https://c.example/3")
    d = entry("Claude Code 2.1.180 发布", url="https://d.example/4")
    assert len(cluster_entries([a, b, c, d])) == 4


def test_two_different_news_of_one_brand_stay_apart():
    a = entry("OpenAI 推出 ChatGPT 职位搜索与简历编辑功能", url="https://a.example/1")
    b = entry("OpenAI 与博通联合发布首款自研推理芯片", url="https://b.example/2")
    assert len(cluster_entries([a, b])) == 2


def test_story_fields_and_best_entry_first():
    short = entry("月之暗面开源 Kimi K3", url="https://a.example/1")
    rich = entry(
        "Kimi K3 正式开源：月之暗面",
        "月之暗面开源 2.8 万亿参数 MoE 模型 Kimi K3，附完整权重与技术报告。",
        url="https://b.example/2",
        minutes=90,
        keys=["github:moonshotai/kimi-k3"],
    )
    (story,) = cluster_entries([short, rich])
    assert story.entries[0] is rich  # the one with a code key and a lead is the one printed
    assert story.title == rich.title
    assert story.first_seen == short.published and story.last_seen == rich.published
    assert {"github:moonshotai/kimi-k3", short.url, rich.url} <= set(story.keys)


def test_clustering_is_deterministic_under_shuffling():
    sys.path.insert(0, str(BENCH))
    from synth import generate

    entries = generate(600, seed=3).entries
    first = cluster_entries(entries)
    shuffled = entries[:]
    random.Random(5).shuffle(shuffled)
    second = cluster_entries(shuffled)
    assert {s.id: frozenset(e.url for e in s.entries) for s in first} == {
        s.id: frozenset(e.url for e in s.entries) for s in second
    }


def test_synthetic_rewrites_are_found_with_few_false_merges():
    sys.path.insert(0, str(BENCH))
    from synth import generate, pair_scores

    synth = generate(1500, seed=11)
    stories = cluster_entries(synth.entries)
    by_url = {e.url: s.id for s in stories for e in s.entries}
    precision, recall = pair_scores(synth.truth, [by_url[e.url] for e in synth.entries])
    assert precision >= 0.95 and recall >= 0.95


def test_cluster_size_cap_refuses_chaining():
    entries = [
        entry(f"DeepSeek 宣布大幅涨价，API 价格上调 {i}", url=f"https://a.example/{i}") for i in range(12)
    ]
    stories = cluster_entries(entries, settings=ClusterSettings(max_cluster_size=5))
    assert max(len(s.entries) for s in stories) <= 5


# -------------------------------------------------------------------------------------------- history


def _history() -> list[HistoryStory]:
    return [
        HistoryStory(
            id="h1",
            title="Anthropic 完成 650 亿美元 H 轮融资",
            text="投后估值约 9650 亿美元。",
            keys=["https://anthropic.example/series-h"],
            published=dt.date(2026, 7, 30),
            issue_id="daily:2026-07-30",
        ),
        HistoryStory(
            id="h2",
            title="月之暗面开源 Kimi K3",
            text="2.8 万亿参数 MoE。",
            keys=["arxiv:2607.01234"],
            published=dt.date(2026, 7, 29),
            issue_id="daily:2026-07-29",
        ),
    ]


def test_history_repeat_is_published():
    story = cluster_entries([entry("Anthropic 完成 650 亿美元 H 轮融资", url="https://other.example/1")])[0]
    match_history([story], _history(), today=dt.date(2026, 8, 1), window_days=7)
    assert story.state == "published"
    assert story.published_in == ["daily:2026-07-30"]


def test_history_repeat_with_new_number_or_paper_is_an_update():
    more = cluster_entries([entry("月之暗面开源 Kimi K3，下载量突破 100 万", url="https://z.example/1")])[0]
    paper = cluster_entries(
        [entry("Kimi K3 正式开源", url="https://z.example/2", keys=["arxiv:2607.01234", "arxiv:2608.00001"])]
    )[0]
    match_history([more, paper], _history(), today=dt.date(2026, 8, 1), window_days=7)
    assert more.state == "update" and "数字 1e+06" in more.new_facts  # 100 万, normalised
    assert paper.state == "update" and any("arxiv:2608.00001" in fact for fact in paper.new_facts)


def test_history_different_event_or_outside_window_is_new():
    other = cluster_entries([entry("OpenAI 发布 GPT-5.7", url="https://q.example/1")])[0]
    old = cluster_entries([entry("Anthropic 完成 650 亿美元 H 轮融资", url="https://q.example/2")])[0]
    match_history([other], _history(), today=dt.date(2026, 8, 1), window_days=7)
    match_history([old], _history(), today=dt.date(2026, 9, 1), window_days=7)
    assert other.state == "new" and old.state == "new"


# -------------------------------------------------------------------------------------------- repeats


def test_find_repeats_on_hand_made_issues():
    day1 = [
        RepeatCandidate(
            "Kimi K3 正式开源", "月之暗面开源 2.8 万亿参数模型", ["https://a.example/k3"], "月之暗面"
        ),
        RepeatCandidate("GLM-5.3 上线", "智谱", ["https://a.example/glm"], "智谱"),
    ]
    today = [
        RepeatCandidate("宇树科技今日申购", "人形机器人第一股", ["https://b.example/u"], "宇树"),
        RepeatCandidate("月之暗面开源 Kimi K3 模型权重", "", ["https://b.example/k3"], "Moonshot AI"),
        RepeatCandidate("GLM-5.4 上线", "智谱", ["https://b.example/glm"], "智谱"),
    ]
    assert find_repeats(today, [(dt.date(2026, 7, 29), day1)]) == [(1, [(dt.date(2026, 7, 29), 0)])]


def test_june_2026_precision_and_recall_floor():
    archive = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "archive" / "2026"
    if not archive.is_dir():
        pytest.skip(f"shared archive not found at {archive}")
    sys.path.insert(0, str(BENCH))
    from eval_repeats import evaluate

    result = evaluate(archive, window=3)
    assert json.loads(LABELS.read_text(encoding="utf-8"))
    assert result["precision"] >= 1.00  # measured 1.000 (15 labelled items)
    assert result["recall"] >= 0.90  # measured 0.933
    assert 8 <= result["items"] / result["flagged"] <= 12  # measured 1 in 9.8 over 2026


def _daily(title: str, text: str = "", url: str = "", entity: str = "") -> RepeatCandidate:
    return RepeatCandidate(title, f"[{entity}] {title} — {text}", [url] if url else [], entity)


def test_find_repeats_reworded_headline_with_other_verbs():
    before = [
        _daily(
            "Anthropic 将 Claude Code Auto Mode 设为默认",
            "8 月 14 日起默认启用，分类器拦截 89% 危险命令，人工仅 13.6%。",
            entity="The Decoder",
        )
    ]
    today = [
        _daily(
            "Claude Code 默认启用 Auto Mode",
            "安全分类器能拦截 89% 危险命令，人工审查仅 13.6%。",
            "https://x.example/a",
            "Anthropic",
        ),
        _daily(
            "Claude Code 新增 /design 命令", "终端内直接创建 UI 设计稿。", "https://x.example/b", "Anthropic"
        ),
    ]
    assert find_repeats(today, [(dt.date(2026, 8, 9), before)]) == [(0, [(dt.date(2026, 8, 9), 0)])]


def test_find_repeats_refuses_new_versions_other_subjects_and_next_steps():
    before = [
        _daily("Claude Code 2.1.178 发布", "细粒度权限规则。", entity="Claude Code"),
        _daily("Anthropic 保密提交 S-1 草案", "向 SEC 秘密提交注册声明草案。", entity="量子位"),
        _daily(
            "Anthropic 回应美国政府暂停 Fable 5 / Mythos 5 访问指令",
            "确认暂停相关模型访问。",
            entity="Anthropic",
        ),
    ]
    today = [
        _daily("Claude Code 2.1.179 发布", "修复 bash 工具参数。", entity="Claude Code"),
        _daily("OpenAI 已向 SEC 秘密提交 S-1", "上市时间仍不确定。", entity="OpenAI"),
        _daily(
            "Anthropic 派技术团队赴华盛顿，与特朗普政府谈判 Fable 5 / Mythos 5 访问恢复",
            "周末会谈。",
            entity="Anthropic",
        ),
        _daily(
            "Anthropic 全球下线 Fable/Mythos，欧洲主权 AI 辩论升温", "欧盟评估影响。", entity="The Decoder"
        ),
    ]
    assert find_repeats(today, [(dt.date(2026, 6, 15), before)]) == [(3, [(dt.date(2026, 6, 15), 2)])]


def test_find_repeats_rumour_then_confirmation():
    before = [
        _daily("Stripe 据传以超 70 亿美元收购 AI 初创公司 OpenRouter", "谈判仍在进行。", entity="Bloomberg")
    ]
    today = [_daily("Stripe 以 80 亿美元收购 OpenRouter", "Stripe 正式宣布交易。", entity="Stripe")]
    assert find_repeats(today, [(dt.date(2026, 8, 18), before)]) == [(0, [(dt.date(2026, 8, 18), 0)])]
