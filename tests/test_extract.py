"""Tests for link mining, image and text extraction, trafilatura articles, language and understand()."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jianbao.ingestion.extract import (
    detect_language,
    extract_article,
    extract_images,
    html_to_text,
    mine_links,
    normalise_label,
    understand,
)
from jianbao.records import Entry, Link

RESOURCES = Path(__file__).parent / "resources" / "extract"

# Item bodies shaped like the real weekly archive (labels, quote markers, next-line URLs, bold URLs).
ITEM_BODY = """\
> 原文：https://mp.weixin.qq.com/s/tdQSGnApkYGmmz7ZWyssZw
> 论文：https://arxiv.org/abs/2106.04560

本文作者谷歌大脑 (苏黎世) 改进了ViT的架构和训练，减少了内存消耗并提高了模型的准确性！

>项目地址：
>https://github.com/orpatashnik/StyleCLIP
>
>论文地址：
>https://arxiv.org/abs/2103.17249

> GitHub地址：
> https://github.com/PeterL1n/RobustVideoMatting
> 论文地址：
>
> https://arxiv.org/abs/2108.11515

代码：**https://github.com/researchmm/Stark**
> 代码链接：https://github.com/yitu-opensource/T2T-ViT
> DeepFaceLab论文地址：https://arxiv.org/pdf/2005.05535.pdf
以及这里的一个内容汇总：https://gitee.com/MondayYuan/WAIC-DLCompiler-MeetingMinutes，蛮有趣。
大赛开发平台已同步开放（大赛参赛入口：https://www.cvmart.net/race）。今年大赛的奖励十分丰厚
一下**[Determined AI](https://link.zhihu.com/?target=https%3A//github.com/determined-ai/determined)**，他们是一家很酷的startup
![image-20210618135650916](https://gitee.com/wonderful4/images/raw/master/imgs/20210618135650.png)
微[芯片](https://news.163.com/news/search?keyword=芯片)设计的成败
正式验证，不宜当作已证定理。（[HN](https://news.ycombinator.com/item?id=48973869)）
## 3. [魔幻黑科技！华人学者推出视频修复AI，可换天造物，秒变科幻大片](https://www.qbitai.com/2020/11/1.html)
[Paper](https://arxiv.org/abs/2011.09315) | [Code](https://github.com/Tencent/deepx_core)
"""


def _by_url(links: list[Link]) -> dict[str, Link]:
    return {link.url: link for link in links}


def test_mine_links_from_archive_shaped_text() -> None:
    links = mine_links(ITEM_BODY)
    urls = [link.url for link in links]
    assert urls == [
        "https://mp.weixin.qq.com/s/tdQSGnApkYGmmz7ZWyssZw",
        "https://arxiv.org/abs/2106.04560",
        "https://github.com/orpatashnik/StyleCLIP",
        "https://arxiv.org/abs/2103.17249",
        "https://github.com/PeterL1n/RobustVideoMatting",
        "https://arxiv.org/abs/2108.11515",
        "https://github.com/researchmm/Stark",
        "https://github.com/yitu-opensource/T2T-ViT",
        "https://arxiv.org/pdf/2005.05535.pdf",
        "https://gitee.com/MondayYuan/WAIC-DLCompiler-MeetingMinutes",
        "https://www.cvmart.net/race",
        "https://github.com/determined-ai/determined",
        "https://news.163.com/news/search?keyword=芯片",
        "https://news.ycombinator.com/item?id=48973869",
        "https://www.qbitai.com/2020/11/1.html",
        "https://arxiv.org/abs/2011.09315",
        "https://github.com/Tencent/deepx_core",
    ]
    got = {link.url: (link.label, link.kind, link.key) for link in links}
    assert got["https://mp.weixin.qq.com/s/tdQSGnApkYGmmz7ZWyssZw"] == ("原文", "article", None)
    assert got["https://arxiv.org/abs/2106.04560"] == ("论文", "paper", "arxiv:2106.04560")
    assert got["https://github.com/orpatashnik/StyleCLIP"] == ("项目", "code", "github:orpatashnik/styleclip")
    assert got["https://arxiv.org/abs/2103.17249"] == ("论文", "paper", "arxiv:2103.17249")
    assert got["https://github.com/PeterL1n/RobustVideoMatting"][0] == "代码"
    assert got["https://arxiv.org/abs/2108.11515"][0] == "论文"  # label two lines up, across an empty ">"
    assert got["https://github.com/researchmm/Stark"] == ("代码", "code", "github:researchmm/stark")
    assert got["https://github.com/yitu-opensource/T2T-ViT"][0] == "代码"
    assert got["https://arxiv.org/pdf/2005.05535.pdf"] == ("论文", "paper", "arxiv:2005.05535")
    assert got["https://gitee.com/MondayYuan/WAIC-DLCompiler-MeetingMinutes"][0] is None  # prose before "："
    assert got["https://www.cvmart.net/race"][0] == "链接"
    assert got["https://github.com/determined-ai/determined"][0] is None  # prose, not a label
    assert got["https://news.ycombinator.com/item?id=48973869"][0] is None
    assert got["https://www.qbitai.com/2020/11/1.html"][0] is None  # a title mentioning 视频 is no label
    assert got["https://arxiv.org/abs/2011.09315"][0] == "论文"
    assert got["https://github.com/Tencent/deepx_core"][0] == "代码"
    assert _by_url(links)["https://github.com/determined-ai/determined"].meta == {"text": "Determined AI"}


def test_mine_links_strips_chinese_and_markdown_punctuation() -> None:
    text = (
        "代码见 https://github.com/a/b。另见https://github.com/c/d，以及（https://example.com/x）"
        "和 https://example.com/y）；还有 https://en.wikipedia.org/wiki/Transformer_(machine_learning)."
        " 与 **https://example.com/z**、<https://example.com/w>"
    )
    assert [link.url for link in mine_links(text)] == [
        "https://github.com/a/b",
        "https://github.com/c/d",
        "https://example.com/x",
        "https://example.com/y",
        "https://en.wikipedia.org/wiki/Transformer_(machine_learning)",
        "https://example.com/z",
        "https://example.com/w",
    ]


def test_mine_links_dedupes_by_key_and_canonical_url_keeping_first_place() -> None:
    text = (
        "https://arxiv.org/abs/2106.04560\n"
        "https://example.com/post?utm_source=x\n"
        "论文：https://arxiv.org/pdf/2106.04560v2.pdf\n"
        "代码：https://github.com/Google-Research/vision_transformer\n"
        "https://github.com/google-research/vision_transformer/tree/main/vit_jax\n"
        "https://www.example.com/post/\n"
    )
    links = mine_links(text)
    assert [(link.url, link.label) for link in links] == [
        ("https://arxiv.org/abs/2106.04560", "论文"),  # the later occurrence lent its label
        ("https://example.com/post", None),  # issue 15: a mined link is kept without its tracking parameters
        ("https://github.com/Google-Research/vision_transformer", "代码"),
    ]


def test_mine_links_from_html_with_labels_and_base_url() -> None:
    html = """
    <section><p>论文地址：<a href="https://arxiv.org/abs/2108.00946">https://arxiv.org/abs/2108.00946</a></p>
    <p>项目主页：<a href="https://rinongal.github.io/StyleGAN-nada/">点这里</a></p>
    <p><a href="/code">Code</a> | <a href="javascript:void(0)">分享</a> | <a href="#top">顶部</a></p>
    <p><a href="https://example.com/pic.jpg"><img src="https://example.com/pic.jpg"></a></p>
    <p>GitHub：</p><p>https://github.com/rinongal/StyleGAN-nada</p></section>
    """
    links = mine_links(html=html, base_url="https://news.example.org/articles/1")
    assert [(link.url, link.label, link.kind) for link in links] == [
        ("https://arxiv.org/abs/2108.00946", "论文", "paper"),
        ("https://rinongal.github.io/StyleGAN-nada/", "项目主页", "project"),
        ("https://news.example.org/code", "代码", "article"),
        ("https://github.com/rinongal/StyleGAN-nada", "代码", "code"),
    ]
    assert links[1].meta == {"text": "点这里"}


def test_mine_links_text_and_html_together() -> None:
    links = mine_links(
        "原文：https://example.com/a",
        html='<p>代码：<a href="https://github.com/x/y">x/y</a></p><p>https://example.com/a</p>',
    )
    assert [link.url for link in links] == ["https://example.com/a", "https://github.com/x/y"]
    assert mine_links("") == []
    assert mine_links(html="   ") == []


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("论文地址", "论文"),
        ("DeepFaceLab论文地址", "论文"),
        ("代码链接", "代码"),
        ("Github地址", "代码"),
        ("AI 简报 Github 地址", "代码"),
        ("项目地址", "项目"),
        ("项目主页", "项目主页"),
        ("Project page", "项目主页"),
        ("**Paper**", "论文"),
        ("原文", "原文"),
        ("Demo", "Demo"),
        ("数据集", "数据集"),
        ("链接", "链接"),
        ("内容汇总", "内容汇总"),
        ("这是一个很长的并不是标签的句子片段", None),
        ("", None),
    ],
)
def test_normalise_label(raw: str, label: str | None) -> None:
    assert normalise_label(raw) == label


def test_extract_images_prefers_lazy_sources_and_skips_junk() -> None:
    html = """
    <img data-src="https://mmbiz.qpic.cn/mmbiz_png/abc/640?wx_fmt=png" src="data:image/gif;base64,R0lGOD">
    <img src="/static/fig1.png"><img src="/static/fig1.png">
    <img src="https://example.com/track/pixel.gif"><img src="https://example.com/x.gif" width="1" height="1">
    <img src="/favicon.ico"><img src="https://wx.qlogo.cn/mmhead/abc/0">
    <img src="data:image/png;base64,iVBOR"><img alt="no source">
    <p>text</p><img data-original="https://cdn.example.com/lazy.jpg" src="/img/loading.gif">
    """
    assert extract_images(html, base_url="https://example.com/post/1") == [
        "https://mmbiz.qpic.cn/mmbiz_png/abc/640?wx_fmt=png",
        "https://example.com/static/fig1.png",
        "https://cdn.example.com/lazy.jpg",
    ]
    assert extract_images("") == []


def test_html_to_text_paragraphs_and_robustness() -> None:
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body><script>alert(1)</script>"
        "<p>第一段，<b>加粗</b>文字。</p><div>第二段<br>换行</div><ul><li>一</li><li>二</li></ul>"
        "<p>  &nbsp; </p><p>未闭合<p>破损"
    )
    assert html_to_text(html) == "第一段，加粗文字。\n\n第二段\n换行\n\n一\n\n二\n\n未闭合\n\n破损"
    assert html_to_text("") == ""
    assert html_to_text("<<<>>>") == "<<<>>>"
    assert html_to_text('<?xml version="1.0" encoding="utf-8"?><p>声明</p>') == "声明"


def test_extract_article_on_a_chinese_page() -> None:
    html = (RESOURCES / "article_zh.html").read_text(encoding="utf-8")
    article = extract_article(html, url="https://news.example.org/articles/vit-g")
    assert article.title == "谷歌大脑提出ViT-G：缩放视觉Transformer，高达90.45%准确率"
    assert article.author == "李明"
    assert article.date == dt.date(2021, 6, 18)
    assert article.language == "zh"
    assert article.description.startswith("谷歌大脑改进了ViT的架构和训练")
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("本文作者谷歌大脑")
    assert paragraphs[-1].endswith("84.86%的Top-1准确率。")
    assert "统计脚本" not in article.text and "版权所有" not in article.text and "首页" not in article.text
    assert article.images == [
        "https://news.example.org/static/figures/scaling.png",
        "https://mmbiz.qpic.cn/mmbiz_png/abcDEF123/640?wx_fmt=png",
    ]
    assert [(link.key, link.label) for link in article.links] == [
        ("arxiv:2106.04560", "论文"),
        ("github:google-research/vision_transformer", "代码"),
    ]


def test_extract_article_without_an_article() -> None:
    article = extract_article((RESOURCES / "no_article.html").read_text(encoding="utf-8"))
    assert article.text == ""
    assert article.links == []
    assert extract_article("").text == ""
    assert extract_article("<html></html>").text == ""


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("", ""),
        ("12345 !!! ---", ""),
        ("谷歌大脑提出ViT-G：缩放视觉Transformer，高达90.45%准确率", "zh"),
        ("OpenAI 发布 GPT-5 模型", "zh"),
        ("Zhipu AI's GLM-5.2 closes in on closed-source leaders in coding marathons", "en"),
        ("Anthropic releases Claude with a 1M token context window 中文", "en"),
        ("東京でAIの新しいモデルが発表されました", "ja"),
        ("새로운 인공지능 모델이 발표되었습니다", "ko"),
        ("详见 https://github.com/google-research/vision_transformer/tree/main/vit_jax", "zh"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_understand_fills_an_entry_without_mutating_it() -> None:
    entry = Entry(
        source="jiqizhixin",
        url="https://mp.weixin.qq.com/s/tdQSGnApkYGmmz7ZWyssZw?scene=25&sessionid=1",
        title="谷歌大脑提出ViT-G",
        summary="论文：https://arxiv.org/abs/2106.04560 项目：https://github.com/google-research/big_vision",
        html=(
            "<p>本文作者谷歌大脑改进了ViT的架构和训练。</p>"
            '<p><img data-src="https://mmbiz.qpic.cn/mmbiz_jpg/xyz/640?wx_fmt=jpeg" src="data:,"></p>'
            "<p>论文地址：https://arxiv.org/pdf/2106.04560v2.pdf</p>"
            '<p>原文：<a href="https://mp.weixin.qq.com/s/tdQSGnApkYGmmz7ZWyssZw">阅读原文</a></p>'
            '<p>代码：<a href="https://github.com/google-research/vision_transformer">vision_transformer</a></p>'
        ),
        images=["https://example.com/cover.jpg"],
        links=[Link(url="https://example.com/known", kind="article")],
    )
    result = understand(entry)
    assert result is not entry
    assert entry.content == "" and entry.language == "" and len(entry.links) == 1
    assert result.canonical_url == "https://mp.weixin.qq.com/s/tdQSGnApkYGmmz7ZWyssZw"
    assert result.content.split("\n\n")[0] == "本文作者谷歌大脑改进了ViT的架构和训练。"
    assert result.images == [
        "https://example.com/cover.jpg",
        "https://mmbiz.qpic.cn/mmbiz_jpg/xyz/640?wx_fmt=jpeg",
    ]
    assert [(link.key, link.label) for link in result.links] == [
        (None, None),  # the entry's own link kept first
        ("arxiv:2106.04560", "论文"),
        ("github:google-research/vision_transformer", "代码"),
        ("github:google-research/big_vision", "项目"),
    ]
    assert result.keys == [
        "arxiv:2106.04560",
        "github:google-research/vision_transformer",
        "github:google-research/big_vision",
    ]
    assert result.language == "zh"


def test_understand_keeps_given_fields() -> None:
    entry = Entry(
        source="hn",
        url="https://example.com/post",
        title="A post",
        canonical_url="https://example.com/given",
        content="Already extracted text about https://github.com/x/y",
        language="en",
    )
    result = understand(entry)
    assert result.canonical_url == "https://example.com/given"
    assert result.content == entry.content
    assert result.language == "en"
    assert [link.key for link in result.links] == ["github:x/y"]


def test_understand_lends_labels_without_touching_the_input_links() -> None:
    given = Link(url="https://arxiv.org/abs/2106.04560", kind="paper", key="arxiv:2106.04560")
    entry = Entry(
        source="qbitai",
        url="https://www.qbitai.com/2021/06/1.html",
        title="ViT-G",
        html="<p>论文：https://arxiv.org/pdf/2106.04560v2.pdf</p>",
        links=[given],
    )
    result = understand(entry)
    assert [(link.key, link.label) for link in result.links] == [("arxiv:2106.04560", "论文")]
    assert given.label is None
    assert result.links[0] is not given
