"""Extractive summaries: sentence splitting, boilerplate cleaning and TextRank on realistic articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.summarize import TARGETS, clean_text, split_sentences, summarize
from jianbao.summarize.extractive import _reader_len

RESOURCES = Path(__file__).parent / "resources" / "summarize"

# Phrases that only boilerplate contains in the resource articles; none may reach a summary.
BOILERPLATE = [
    "关注", "蓝字", "阅读原文", "扫码", "二维码", "交流群", "转载", "作者：", "编辑：", "来源：", "责编", "排版",
    "本文约", "图1", "图2", "图3", "图源", "论文地址", "代码地址", "技术报告：", "广告", "推广", "http", "www.",
    "Subscribe", "Share this", "Sign up", "cookie", "Image credit", "Figure 1", "Photo:", "By Jane", "Follow us",
    "Related articles", "Read more", "在看", "星标",
]  # fmt: skip


def load(path: Path) -> dict[str, str]:
    head, body = path.read_text(encoding="utf-8").split("---\n", 1)
    meta = dict(line.split(": ", 1) for line in head.strip().splitlines())
    return {**meta, "body": body, "name": path.stem}


ARTICLES = [load(p) for p in sorted(RESOURCES.glob("*.txt"))]


def test_resources_cover_both_languages() -> None:
    langs = [a["lang"] for a in ARTICLES]
    assert langs.count("zh") >= 6 and langs.count("en") >= 3


# --- sentences ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("圆周率约为3.14。OpenAI 发布了 GPT-5.6，性能提升！你觉得呢？", ["圆周率约为3.14。", "OpenAI 发布了 GPT-5.6，性能提升！", "你觉得呢？"]),
        ("他说：“太好了。”然后走了。", ["他说：“太好了。”", "然后走了。"]),
        ("「引号里的句子。」后面（括号里的。）最后", ["「引号里的句子。」", "后面（括号里的。）", "最后"]),
        ("真的吗……我不信。等等...好吧。", ["真的吗……", "我不信。", "等等...", "好吧。"]),
        ("一是速度；二是成本。", ["一是速度；", "二是成本。"]),
        (
            "The model, e.g., GPT-4, was trained in the U.S. by OpenAI. It works! See arXiv 2106.04560 now. Version v2.1 is out.",
            ["The model, e.g., GPT-4, was trained in the U.S. by OpenAI.", "It works!", "See arXiv 2106.04560 now.", "Version v2.1 is out."],
        ),
        ("Dr. Smith met J. Doe at 3 p.m. yesterday. They talked.", ["Dr. Smith met J. Doe at 3 p.m. yesterday.", "They talked."]),
        ("Mixed 文本 works.然后中文继续。", ["Mixed 文本 works.", "然后中文继续。"]),
        ("详见 https://arxiv.org/abs/2106.04560. 下一句。访问 https://example.com/a.html。好", ["详见 https://arxiv.org/abs/2106.04560.", "下一句。", "访问 https://example.com/a.html。", "好"]),
        ("第一段\n\n第二段没有句号\n第三段。", ["第一段", "第二段没有句号", "第三段。"]),
        ("Is it real?! Yes.", ["Is it real?!", "Yes."]),
        ("He said \"Go.\" Then he left.", ["He said \"Go.\"", "Then he left."]),
        ("1. 第一点很重要。2. 第二点。", ["1. 第一点很重要。", "2. 第二点。"]),
        ("Released in 2024. The end.", ["Released in 2024.", "The end."]),
        ("   \n\n", []),
    ],
)  # fmt: skip
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


# --- cleaning -----------------------------------------------------------------------------------------


def test_clean_text_drops_boilerplate_and_keeps_prose() -> None:
    text = "\n".join(
        [
            "点击上方蓝字关注我们",
            "本文约2100字，建议阅读6分钟",
            "作者：小舟 编辑：陈萍",
            "谷歌发布了新模型。（图源：谷歌）它在多项测试中领先。",
            "图1：模型结构示意图",
            "Figure 2: Results on ImageNet.",
            "（图片来源：网络）",
            "论文地址：https://arxiv.org/abs/2106.04560",
            "代码：https://github.com/a/b",
            "https://huggingface.co/a/b",
            "团队计划明年开放权重。扫码加入交流群，与开发者一起讨论。",
            "Subscribe to our newsletter for more.",
            "Share this article",
            "We use cookies to improve your experience.",
            "Sign up for our daily newsletter",
            "未经授权禁止转载。",
            "点击阅读原文，查看项目主页。",
            "广告",
        ]
    )
    assert clean_text(text) == "谷歌发布了新模型。它在多项测试中领先。\n\n团队计划明年开放权重。"


def test_clean_text_keeps_news_that_mentions_ads() -> None:
    text = (
        "谷歌的广告业务收入同比增长 11%。美国商务部授权英伟达出口芯片。我们正在看到新的排版工具出现。"
        "广告业务仍是主要收入。Sign-up numbers doubled this quarter. Additionally, Adobe shipped Firefly."
    )
    assert clean_text(text) == text


# --- length -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("模型发布了。", 6), ("GPT-4 is out", 3), ("详见 https://example.com/a.b 和 GitHub！", 5), ("", 0)],
)
def test_reader_len(text: str, expected: int) -> None:
    assert _reader_len(text) == expected


# --- summaries of realistic articles ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(TARGETS))
@pytest.mark.parametrize("article", ARTICLES, ids=[a["name"] for a in ARTICLES])
def test_summary_of_article(article: dict[str, str], fmt: str) -> None:
    low, high = TARGETS[fmt]
    summary = summarize(article["body"], title=article["title"], min_chars=low, max_chars=high)
    assert low <= _reader_len(summary) <= high
    assert summary[-1] in "。！？.!?”」』）)"
    assert not [b for b in BOILERPLATE if b.lower() in summary.lower()]
    sentences = split_sentences(summary)
    assert len(sentences) == len(set(sentences))
    assert all(s.rstrip("。.") in clean_text(article["body"]) for s in sentences)  # whole source sentences
    assert article["key"] in summary  # the sentence that says what the headline says
    again = summarize(article["body"], title=article["title"], min_chars=low, max_chars=high)
    assert again == summary


def test_sentences_keep_their_original_order() -> None:
    article = ARTICLES[0]
    body = clean_text(article["body"])
    summary = summarize(article["body"], title=article["title"])
    positions = [body.index(s) for s in split_sentences(summary)]
    assert positions == sorted(positions)


def test_title_steers_the_choice() -> None:
    body = next(a["body"] for a in ARTICLES if a["name"] == "zh_chatglm")
    about_limits = summarize(
        body, title="ChatGLM-6B 的局限：知识储备有限，会出现事实性错误", min_chars=20, max_chars=60
    )
    about_tuning = summarize(body, title="ChatGLM-6B 支持 P-Tuning v2 高效微调", min_chars=20, max_chars=60)
    assert "事实性错误" in about_limits
    assert "P-Tuning v2" in about_tuning


def test_near_duplicates_appear_once() -> None:
    lead = "OpenAI 今天发布了 GPT-5 模型，推理能力大幅提升。"
    text = "\n".join(
        [
            lead,
            "业内人士认为这将改变编程工具的格局。",
            "OpenAI 今天发布了 GPT-5 模型，推理能力大幅提升！",
            lead,
        ]
    )
    summary = summarize(text, title="OpenAI 发布 GPT-5", min_chars=10, max_chars=300)
    assert summary.count("推理能力大幅提升") == 1


def test_overlong_best_sentence_is_cut_at_a_clause() -> None:
    text = (
        "DeepSeek 发布了新一代模型 V4，上下文扩展到一百万 token，推理成本下降六成，代码能力大幅提升，"
        "并且以 MIT 协议开放了全部权重供研究和商业使用。"
    )
    summary = summarize(text, title="DeepSeek 发布 V4", min_chars=10, max_chars=40)
    assert (
        summary
        == "DeepSeek 发布了新一代模型 V4，上下文扩展到一百万 token，推理成本下降六成，代码能力大幅提升。"
    )
    assert _reader_len(summary) <= 40


def test_missing_final_punctuation_is_added() -> None:
    assert (
        summarize("谷歌发布了新的开源模型 Gemma", min_chars=1, max_chars=50)
        == "谷歌发布了新的开源模型 Gemma。"
    )
    assert (
        summarize("Google released Gemma today", lang="en", min_chars=1, max_chars=50)
        == "Google released Gemma today."
    )
    assert summarize("模型支持中英双语；", min_chars=1, max_chars=50) == "模型支持中英双语。"


def test_nothing_to_summarise() -> None:
    assert summarize("") == ""
    assert summarize("点击上方蓝字关注我们\nhttps://example.com") == ""


# Speed on a 3,000-character article is a figure, not a behaviour: bench/bench_summarize.py prints it.
