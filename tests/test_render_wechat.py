"""WeChat HTML: one document, inline styles only, external links as numbered references."""

from __future__ import annotations

import datetime as dt
import re

import lxml.html
import pytest

from jianbao.records import Intro, Issue, Item, Link, OtherLink, Section
from jianbao.render import get_renderer, render
from jianbao.render.wechat import markdown_to_wechat
from test_render_daily import issue_0616

STYLED = {"p", "h1", "h2", "h3", "blockquote", "code", "pre", "img", "ul", "ol", "li", "table", "th", "td",
          "hr", "strong", "a", "sup", "section", "body"}  # fmt: skip


def weekly_issue() -> Issue:
    items = [
        Item(title="轻量化检测器", url="https://example.com/a", source="机器之心", number=1, tags=["轻量化"],
             images=["https://img.example.com/a.png"], summary="摘要 `code` 一段。\n\n第二段 **加粗**。",
             links=[Link("https://arxiv.org/abs/2106.04560", kind="paper", label="论文")]),
        Item(title="公众号文章", url="https://mp.weixin.qq.com/s/abc", source="量子位", number=2,
             summary="另见 [同一篇](https://example.com/a) 与 [另一篇](https://example.org/b)。"),
    ]  # fmt: skip
    return Issue(
        date=dt.date(2021, 3, 5),
        format="weekly",
        intro=Intro(
            issue_date="20210305",
            item_count=2,
            chars=300,
            read_minutes=(1, 2),
            almanac="今日惊蛰，一候桃始华",
        ),
        sections=[Section("AI 前沿", items)],
        other=[OtherLink("其他一条", "https://example.net/c", "雷锋网")],
    )


@pytest.fixture(params=["weekly", "daily"])
def page(request: pytest.FixtureRequest) -> str:
    return render(weekly_issue() if request.param == "weekly" else issue_0616(), "wechat")


def test_registered_for_both_formats() -> None:
    assert get_renderer("wechat").suffix == ".wechat.html"


def test_document_has_only_inline_styles(page: str) -> None:
    assert page.lower().startswith("<!doctype html>")
    assert '<meta charset="utf-8">' in page and 'name="viewport"' in page
    for banned in ("<style", "<script", "class=", "<link", "[TOC]"):
        assert banned not in page
    tree = lxml.html.document_fromstring(page)
    body = tree.body
    assert "max-width" in body[0].get("style", "") and "margin: 0 auto" in body[0].get("style", "")
    unstyled = [el.tag for el in body.iter() if el.tag in STYLED and not el.get("style")]
    assert unstyled == []
    for p in body.iter("p"):
        assert re.search(r"font-size: 1[56]px", p.get("style", "")) or "13px" in p.get("style", "")
        assert "line-height" in p.get("style", "")
    assert "line-height: 1.75" in body.find(".//p").get("style")


def test_external_links_become_numbered_references(page: str) -> None:
    tree = lxml.html.document_fromstring(page)
    hrefs = [a.get("href") for a in tree.iter("a")]
    assert all(h.startswith("https://mp.weixin.qq.com/") for h in hrefs)
    marks = [s.text for s in tree.iter("sup")]
    numbers = [int(m.strip("[]")) for m in marks]
    assert numbers and max(numbers) == len(set(numbers))
    first_seen = list(dict.fromkeys(numbers))
    assert first_seen == sorted(first_seen)  # numbered in reading order
    refs = tree.xpath("//h3[text()='参考链接']/following-sibling::p")
    assert len(refs) == len(set(numbers))
    urls = [re.search(r"https?://\S+$", p.text_content()).group(0) for p in refs]  # type: ignore[union-attr]
    assert len(set(urls)) == len(urls)
    assert [p.text_content().split(" ", 1)[0] for p in refs] == [f"[{n}]" for n in range(1, len(refs) + 1)]


def test_weekly_reference_order_and_kept_wechat_link() -> None:
    tree = lxml.html.document_fromstring(render(weekly_issue(), "wechat"))
    refs = [p.text_content() for p in tree.xpath("//h3[text()='参考链接']/following-sibling::p")]
    urls = [r.rsplit(" ", 1)[-1] for r in refs]
    assert urls == ["https://example.com/a", "https://example.org/b", "https://example.net/c"]
    assert [a.get("href") for a in tree.iter("a")] == ["https://mp.weixin.qq.com/s/abc"]
    # the same URL twice keeps its first number
    assert [s.text for s in tree.iter("sup")] == ["[1]", "[1]", "[2]", "[3]"]
    images = list(tree.iter("img"))
    assert images and all("width: 100%" in img.get("style") for img in images)
    code = tree.find(".//code")
    assert "background" in code.get("style")
    assert "border-left" in tree.find(".//blockquote").get("style")


def test_tables_headings_and_code_blocks_are_styled() -> None:
    page = markdown_to_wechat("# 一\n\n## 二\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```py\nx = 1\n```\n")
    tree = lxml.html.document_fromstring(page)
    sizes = {
        h: re.search(r"font-size: (\d+)px", tree.find(f".//{h}").get("style")).group(1) for h in ("h1", "h2")
    }  # type: ignore[union-attr]
    assert int(sizes["h1"]) > int(sizes["h2"]) > 16
    assert "border" in tree.find(".//td").get("style") and "width: 100%" in tree.find(".//table").get("style")
    assert "class=" not in page  # fenced code's language class is dropped
    assert tree.find(".//pre/code").text == "x = 1\n"


def test_single_newlines_stay_visible_line_breaks() -> None:
    tree = lxml.html.document_fromstring(markdown_to_wechat("🤖 AI早报 06/16\n\n第一条\n第二条\n"))
    second = tree.xpath("//p")[1]
    assert [el.tag for el in second] == ["br"] and second.text_content() == "第一条\n第二条"
