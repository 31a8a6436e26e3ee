"""Digest posts split into their stories at parse time (ingestion/sources/digest.py)."""

from __future__ import annotations

from pathlib import Path

from jianbao.ingestion.extract import understand
from jianbao.ingestion.sources.digest import split_digests, title_list
from jianbao.ingestion.sources.rss import parse_feed
from jianbao.records import Entry, Source

RESOURCES = Path(__file__).parent / "resources" / "relevance"
URL = "https://rsshub.example.org/wechat/ai-qianxian"


def parsed(**options: object) -> list[Entry]:
    source = Source(name="digest", url=URL, options=dict(options))
    return parse_feed(source, (RESOURCES / "ai_digest.xml").read_bytes(), url=URL).entries


def test_a_numbered_digest_becomes_one_entry_per_story_with_its_own_text_and_link() -> None:
    entries = parsed()
    first = [e for e in entries if e.extra.get("digest", {}).get("url", "").endswith("aiqx-20260529")]
    assert [e.title for e in first] == [
        "Anthropic 发布 Claude Opus 4.8",
        "Anthropic 完成 650 亿美元 H 轮融资",
        "谷歌推出 Gemma 4 端侧新版",
    ]
    opus = first[0]
    assert opus.url == "https://www.anthropic.com/news/claude-opus-4-8"  # the story's own source
    assert opus.canonical_url.startswith("https://mp.weixin.qq.com/s/aiqx-20260529#d-")
    assert "融资" not in opus.summary and "SWE-bench" in opus.summary and "原文" not in opus.summary
    assert "以上就是" not in first[-1].summary  # the sign-off belongs to no story
    assert opus.extra["digest"] == {"url": "https://mp.weixin.qq.com/s/aiqx-20260529",
                                    "title": first[0].extra["digest"]["title"], "part": 1, "of": 3}  # fmt: skip
    assert understand(opus).canonical_url == opus.canonical_url  # the part's identity survives understand


def test_headings_numbered_in_chinese_are_the_parts_headlines() -> None:
    parts = [e for e in parsed() if e.extra.get("digest", {}).get("url", "").endswith("aiqx-20260821")]
    assert [e.title for e in parts] == [
        "Claude Mythos 5 网络安全能力向更多防御方开放", "OpenAI 发布 Daybreak 网络防御计划", "Surge AI 推出 Tuesday 工作指数",
    ]  # fmt: skip
    assert parts[1].summary.startswith("OpenAI 开发者博客介绍 Daybreak")


def test_an_article_with_numbered_points_is_not_a_digest_and_the_option_can_say_so() -> None:
    guide = next(e for e in parsed() if "手把手" in e.title)
    assert "digest" not in guide.extra and "1、准备环境" in guide.summary
    assert len(parsed(digest=False)) == 4
    assert len(parsed()) == 10


def test_identity_is_stable_when_a_post_reorders_its_parts() -> None:
    def post(order: list[int]) -> Entry:
        items = [
            "OpenAI 发布新模型：推理更强。",
            "谷歌开源 Gemma：可在手机运行。",
            "Meta 发布 Llama：多模态。",
        ]
        body = "".join(f"<p>{n}、{items[i]}</p>" for n, i in enumerate(order, 1))
        return Entry(source="d", url="https://mp.weixin.qq.com/s/x", title="AI早报：今天三条", html=body)

    before = {e.title: e.canonical_url for e in split_digests([post([0, 1, 2])])}
    after = {e.title: e.canonical_url for e in split_digests([post([2, 0, 1])])}
    assert before == after and len(set(before.values())) == 3


def test_a_newsletter_feed_of_list_headlines_splits_into_title_only_parts() -> None:
    titles = ["OpenAI buys Ona 🤝, Anthropic backtracks 🔁, Xiaomi’s MiMo code 👨‍💻",
              "Gemini Flash Gets Pricey, AI Act Delays, Agents Drive Online Traffic",
              "GLM-5.2 🤖, DeepSeek raises $7.4B 💰, Android MCP 📱"]  # fmt: skip
    feed = [Entry(source="tldr", url=f"https://tldr.example/ai/{i}", title=t, summary="An intro about the week.")
            for i, t in enumerate(titles)]  # fmt: skip
    parts = split_digests(feed)
    assert [p.title for p in parts[:3]] == ["OpenAI buys Ona", "Anthropic backtracks", "Xiaomi’s MiMo code"]
    assert all(p.summary == "" for p in parts) and len(parts) == 9  # no text stitched across stories
    one = [
        Entry(source="news", url="https://n.example/1", title="Yes, you can run Llama on a phone, and fast")
    ]
    assert split_digests(one) == one  # one headline with commas, in a feed that is not a newsletter
    assert title_list("AI日报：A 发布；B 开源；C 融资") == ["A 发布", "B 开源", "C 融资"]
