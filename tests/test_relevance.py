"""Topical relevance (issue/relevance.py): the rules, the sources' scopes, the second opinions, and what ranking
and --explain do with the verdict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jianbao.config import RelevanceSettings
from jianbao.errors import ConfigError
from jianbao.issue.compose import Pick
from jianbao.issue.relevance import (
    assess_relevance,
    entry_points,
    explain_off_topic,
    lab_of,
    load_topic,
    source_scopes,
    vocabulary,
)
from jianbao.issue.select import rank, score_story
from jianbao.records import Entry, Link, Source, Story

DAY = dt.date(2026, 6, 15)
WHEN = dt.datetime(2026, 6, 15, 3, tzinfo=dt.UTC)
SETTINGS = RelevanceSettings()


def entry(
    title: str, *, source: str = "hn", url: str = "https://example.com/a", text: str = "", **extra: object
) -> Entry:
    return Entry(source=source, url=url, title=title, summary=text, published=WHEN, extra=dict(extra))


def story(*entries: Entry, sid: str = "") -> Story:
    return Story(id=sid or entries[0].title, entries=list(entries), title=entries[0].title)


def score(e: Entry, settings: RelevanceSettings = SETTINGS) -> float:
    return min(1.0, entry_points(e, vocabulary(settings), link_kinds=settings.link_kinds)[0] / 2)


@pytest.mark.parametrize(
    ("title", "text", "on"),
    [
        ("Claude for Creative Work", "", True),  # a lab's product name alone
        ("Local LLMs are now good enough for code review", "", True),
        ("国产大模型再降价", "", True),  # Chinese: 大模型
        ("A model railway that runs on a Raspberry Pi", "", False),  # one weak word, nothing else
        ("Training for a marathon after 50", "Training plans, a model week, data from 40 runners.", False),
        ("Why I Write (1946)", "", False),
        ("Thai street food, mapped", "", False),  # "ai" inside a word
        ("Fashion models protest new agency contracts", "", False),
        (
            "The robot vacuum that learned my house",
            "It runs a neural network on the device.",
            True,
        ),  # weak + strong text
        ("Show HN: Semantic search over my email with embeddings", "Uses a small language model.", True),
    ],
)
def test_the_rules_tell_ai_stories_from_others(title: str, text: str, on: bool) -> None:
    assert (score(entry(title, text=text)) >= SETTINGS.threshold) is on


def test_capital_acronyms_match_only_in_capitals_and_phrases_beat_their_words() -> None:
    words = vocabulary(SETTINGS)
    assert words.strong.find("AI and xAI ship Grok") == ["AI", "xAI", "Grok"]
    assert words.strong.find("the rag trade, 5 ml of grok") == []
    assert words.strong.find("a large language model") == ["large language model"]
    assert words.strong.find("国产大模型") == ["大模型"]


def test_config_keywords_avoid_words_and_link_kinds() -> None:
    custom = RelevanceSettings(keywords=["Bumblebee"], avoid=["crypto"], link_kinds=["paper"])
    assert score(entry("Bumblebee open sourced"), custom) == 1.0
    assert score(entry("AI coin crypto pump"), custom) < score(entry("AI coin crypto pump"))
    paper = entry("A new result", url="https://example.com/p")
    paper.links = [Link(url="https://arxiv.org/abs/2606.01234", kind="paper", key="arxiv:2606.01234")]
    assert score(paper) == 0.25 and score(paper, RelevanceSettings(link_kinds=[])) == 0.0
    model = entry("Weights are out", url="https://example.com/m")
    model.links = [Link(url="https://huggingface.co/org/m", kind="code", key="hf:org/m")]
    assert score(model) == 0.5


def test_topic_files_load_by_name_or_path_and_bad_ones_are_config_errors(tmp_path: Path) -> None:
    ai = load_topic("ai")
    assert "LLM" in ai.strong and "model" in ai.weak and "openai.com" in ai.labs["openai"]
    mine = tmp_path / "space.toml"
    mine.write_text(
        'strong = ["rocket"]\nweak = ["orbit"]\n[labs]\nspacex = ["spacex.com"]\n', encoding="utf-8"
    )
    settings = RelevanceSettings(topic=str(mine))
    assert score(entry("A rocket lands"), settings) == 1.0 and score(entry("LLM news"), settings) == 0.0
    with pytest.raises(ConfigError, match="topic"):
        load_topic(str(tmp_path / "missing.toml"))
    (tmp_path / "bad.toml").write_text('strong = "LLM"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="list of strings"):
        load_topic(str(tmp_path / "bad.toml"))


def test_labs_are_known_by_their_hosts() -> None:
    topic = load_topic("ai")
    assert lab_of("https://www.anthropic.com/news/claude-opus-5", topic) == "anthropic"
    assert lab_of("https://blog.google/technology/ai/gemini-3/", topic) == "google"
    assert lab_of("https://blog.google/products/pixel/pixel-11/", topic) == ""  # a company blog, not its lab
    assert lab_of("https://blog.google/products/pixel/pixel-11/", topic, companies=True) == "google"
    assert lab_of("https://news.ycombinator.com/item?id=1", topic) == ""


def test_scopes_configured_or_judged_from_what_a_source_publishes() -> None:
    sources = {
        "hn": Source(name="hn", url="", kind="hackernews"),
        "lab": Source(name="lab", url=""),
        "ai-news": Source(name="ai-news", url=""),
        "essays": Source(name="essays", url=""),
        "told": Source(name="told", url="", scope="topical"),
    }
    samples = {
        "lab": [entry(f"Post {i}", source="lab", url=f"https://openai.com/index/p{i}") for i in range(4)],
        "ai-news": [
            entry(t, source="ai-news") for t in ("New LLM tops a benchmark", "AI chips", "A quiet week")
        ],
        "essays": [
            entry(t, source="essays") for t in ("How to do great work", "The brand age", "AI and essays")
        ],
        "told": [entry("Gardening", source="told")],
    }
    scopes = source_scopes(sources, samples, topic=load_topic("ai"), settings=SETTINGS)
    assert scopes == {
        "hn": "general",
        "lab": "lab",
        "ai-news": "topical",
        "essays": "general",
        "told": "topical",
    }


def test_a_general_source_contributes_only_on_topic_stories_and_a_topical_one_all() -> None:
    hn_ai = story(entry("Local LLMs are now good enough for code review", source="hn"))
    hn_off = story(entry("Why I Write (1946)", source="hn"))
    lab = story(entry("Mariano-Florentino Cuéllar joins as Chief Global Affairs Officer", source="lab",
                      url="https://www.anthropic.com/news/tino-cuellar"))  # fmt: skip
    both = story(
        entry("Why I Write (1946)", source="hn"), entry("A quiet essay", source="ai-news"), sid="both"
    )
    sources = {"hn": Source(name="hn", url="", scope="general"), "lab": Source(name="lab", url=""),
               "ai-news": Source(name="ai-news", url="", scope="topical")}  # fmt: skip
    assess_relevance([hn_ai, hn_off, lab, both], sources=sources, samples={}, settings=SETTINGS)
    assert hn_ai.relevance and hn_ai.relevance.on_topic and hn_ai.relevance.scope == "general"
    assert hn_off.relevance and not hn_off.relevance.on_topic and hn_off.relevance.score == 0.0
    assert lab.relevance and lab.relevance.on_topic and lab.relevance.first_party == "anthropic"
    assert both.relevance and both.relevance.on_topic and both.relevance.scope == "topical"
    assert "title:LLMs" in hn_ai.relevance.describe()


def test_first_party_counts_as_an_outlet_and_off_topic_stories_are_not_candidates() -> None:
    lab = story(entry("Introducing a new agent SDK", source="lab", url="https://openai.com/index/agents-sdk"))
    hn = story(entry("Coffee and the microbiome", source="hn", points=900))
    sources = {"lab": Source(name="lab", url=""), "hn": Source(name="hn", url="", kind="hackernews")}
    assess_relevance([lab, hn], sources=sources, samples={}, settings=SETTINGS)
    for s in (lab, hn):
        score_story(s, today=DAY, window_days=1, weights={})
    assert lab.score_parts["first_party"] == 0.6 and "first_party" not in hn.score_parts
    assert hn.score_parts["relevance"] == 0.0  # shown, not summed
    assert [s.id for s in rank([lab, hn])] == [lab.id]
    picks = explain_off_topic([lab, hn], [Pick(lab, "今日精选", "top score")])
    assert [(p.story.id, p.left_out) for p in picks] == [(hn.id, True)]
    assert picks[0].reason.startswith("off topic: relevance 0.00 general")


class Judge:
    def __init__(self, answers: Mapping[str, float]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, topic: str, stories: Sequence[tuple[str, str, str]]) -> Mapping[str, float]:
        self.asked += [sid for sid, _title, _text in stories]
        return {sid: self.answers[sid] for sid, _t, _x in stories if sid in self.answers}


def test_the_llm_decides_the_unsure_stories_of_general_sources() -> None:
    unsure = story(entry("Show HN: An agent-based traffic simulation", source="hn"), sid="unsure")
    sure = story(entry("OpenAI ships a new model", source="hn"), sid="sure")
    off = story(entry("Why I Write (1946)", source="hn"), sid="off")
    judge = Judge({"unsure": 0.1})
    sources = {"hn": Source(name="hn", url="", scope="general")}
    assess_relevance([unsure, sure, off], sources=sources, samples={}, settings=SETTINGS, judge=judge)
    assert judge.asked == ["unsure"]  # 0.375 is within 0.25 of 0.5; 1.0 and 0.0 are not
    assert unsure.relevance and unsure.relevance.score == 0.1 and not unsure.relevance.on_topic
    assert unsure.relevance.evidence[0] == "llm:0.10"


class Embedder:
    """Two dimensions: how much a text says "model", how much it says "essay"."""

    def embed(self, texts: Sequence[str]) -> Sequence[Sequence[float]]:
        out = []
        for text in texts:
            low = text.lower()
            ai = sum(
                w in low
                for w in ("model", "ai", "neural", "人工智能", "大模型", "agent", "机器人", "深度学习")
            )
            other = sum(
                w in low for w in ("essay", "police", "coffee", "city", "startup", "language", "公司", "城市")
            )
            out.append([float(ai), float(other) + 0.01])
        return out


def test_an_embedder_is_a_second_opinion_averaged_with_the_rules() -> None:
    close = story(
        entry("A model railway", source="hn", text="A neural network drives the model trains."), sid="close"
    )
    far = story(entry("Coffee essay", source="hn", text="An essay about coffee in the city."), sid="far")
    sources = {"hn": Source(name="hn", url="", scope="general")}
    assess_relevance([close, far], sources=sources, samples={}, settings=SETTINGS, embedder=Embedder())
    assert close.relevance and close.relevance.evidence[0].startswith("embed:0.9")
    assert far.relevance and far.relevance.score < 0.1 and not far.relevance.on_topic


def test_the_llm_client_is_a_topic_judge_over_loopback() -> None:
    from _llm_server import Reply, serve
    from jianbao.summarize.llm import LLMClient, LLMSettings, MemoryCache

    for chat in serve():
        chat.default = lambda body: (
            Reply('{"probability": 0.2}')
            if "agent-based" in body["messages"][-1]["content"]
            else Reply("not json")
        )
        settings = LLMSettings(
            base_url=chat.url, model="m", api_key_env="JIANBAO_TEST_NO_KEY", retries=0, timeout=5
        )  # type: ignore[attr-defined]
        client = LLMClient(settings, cache=MemoryCache())
        unsure = story(entry("Show HN: An agent-based traffic simulation", source="hn"), sid="unsure")
        broken = story(entry("A model railway on a Pi", source="hn"), sid="broken")
        sources = {"hn": Source(name="hn", url="", scope="general")}
        assess_relevance(
            [unsure, broken], sources=sources, samples={}, settings=SETTINGS, judge=client.judge_topics_sync
        )
        assert (
            unsure.relevance and unsure.relevance.evidence[0] == "llm:0.20" and not unsure.relevance.on_topic
        )
        assert broken.relevance and broken.relevance.score == 0.375  # the LLM could not say: the rules stand
        assert "$topic" not in chat.bodies[0]["messages"][0]["content"] and client.usage.failures == 1


def test_a_company_page_is_first_party_only_when_it_is_about_the_topic() -> None:
    agents = story(
        entry(
            "Announcing ADK for Android: building AI agents",
            source="g",
            url="https://developers.googleblog.com/adk",
        )
    )
    pay = story(
        entry("A faster checkout with Google Pay", source="g", url="https://developers.googleblog.com/pay")
    )
    assess_relevance(
        [agents, pay], sources={"g": Source(name="g", url="", scope="general")}, samples={}, settings=SETTINGS
    )
    assert agents.relevance and agents.relevance.first_party == "google" and agents.relevance.on_topic
    assert pay.relevance and pay.relevance.first_party == "" and not pay.relevance.on_topic


# The folded words are matched in the lower-cased text unless it holds a character that folds to ASCII.


def test_the_characters_that_fold_to_ascii_are_the_four_listed() -> None:
    import re

    from jianbao.issue.relevance import _FOLDS_TO_ASCII

    letter = re.compile("(?i)[a-z0-9]")
    folding = {
        chr(c)
        for c in range(128, 0x110000)
        if not 0xD800 <= c <= 0xDFFF
        and (letter.match(chr(c)) or len(chr(c).lower()) != 1 or chr(c).lower().isascii())
    }
    assert folding == set(_FOLDS_TO_ASCII)


_PIECES = ["AI", "ai", "Model", "LARGE language MODEL", "language model", "agent", "Agents", "GPT-5", "OpenAI",
           "openai", "xAI", "rag", "大模型", "模型", " ", "-", "1", "x", "。", "\n", "Kelvin \u212a", "ſ", "ı", "İ",
           "ınference", "İnference", "maſk", "tas\u212a", "reasoning", "benchmark", "ROBOT", "robots"]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
@settings(max_examples=500, deadline=None, database=None)
def test_find_in_the_lower_cased_text_is_the_case_insensitive_scan(text: str) -> None:
    for words in (vocabulary(SETTINGS).strong, vocabulary(SETTINGS).weak, vocabulary(SETTINGS).avoid):
        saved = words._lowered
        try:
            words._lowered = None  # the case-insensitive scan alone
            expected = words.find(text)
        finally:
            words._lowered = saved
        assert words.find(text) == expected
