"""Untrusted strings from sources never reach any HTML output as markup, handlers or javascript: URLs."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest

from jianbao.records import Intro, Issue, Item, Link, OtherLink, Section, TrendingRow
from jianbao.render import render
from jianbao.render.markdown import render_markdown as render_daily
from jianbao.render.sanitize import clean_html, clean_text, safe_url

NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(2)">y</a>',
    "<b><i>unclosed <div",
    "&lt;script&gt;alert(3)&lt;/script&gt;",
    "![i](javascript:alert(4))",
    '<svg onload="alert(5)">',
]
BAD = " ".join(NASTY)


def _item(number: int, **kw: object) -> Item:
    return Item(
        title=f"标题{number} {BAD}", url="javascript:alert(9)" if number == 2 else f"https://e.com/{number}",
        source=f"来源 {BAD}", number=number, tags=["标签"], summary=f"摘要 {BAD}", sources=[f"媒体 {BAD}", "OK"],
        images=["javascript:alert(6)", "https://img.e.com/x.png"],
        links=[Link("javascript:alert(7)", kind="paper", label=BAD), Link("https://arxiv.org/abs/1", kind="paper")],
        entity=BAD, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def weekly() -> Issue:
    return Issue(
        date=dt.date(2021, 3, 5), format="weekly",
        intro=Intro(issue_date="20210305", item_count=3, chars=10, read_minutes=(1, 2), almanac=BAD, remark=BAD),
        sections=[Section("AI 前沿", [_item(1), _item(2), _item(3)])],
        other=[OtherLink(BAD, "javascript:alert(8)", BAD)],
    )  # fmt: skip


def daily(*, imported: bool = False) -> Issue:
    items = [_item(n, priority="red", body=f"**[x]** [t](javascript:alert(1)) {BAD}" if imported else None)
             for n in (1, 2, 3)]  # fmt: skip
    return Issue(
        date=dt.date(2026, 6, 16), format="daily",
        sections=[Section("今日精选", items[:1]), Section("国际动态", items[1:2]), Section("中文圈", items[2:])],
        trending=[TrendingRow(f"a/b{BAD}", "javascript:alert(1)", BAD, 10), TrendingRow("c/d", "https://github.com/c/d", BAD, 5)],
        one_liner=BAD, insights=[BAD, f"洞察 {BAD}"], moments=BAD if imported else None,
    )  # fmt: skip


def _assert_safe_html(page: str) -> None:
    low = page.lower()
    assert "<script" not in low and "<svg" not in low
    tree = lxml.html.document_fromstring(page)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        assert element.tag not in ("script", "svg", "iframe", "object")
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert "javascript:" not in value.lower(), (element.tag, name, value)


ISSUES = {"weekly": weekly, "daily": daily, "daily-imported": lambda: daily(imported=True)}


@pytest.mark.parametrize("kind", ISSUES)
def test_wechat_html_of_hostile_issue_is_safe(kind: str) -> None:
    _assert_safe_html(render(ISSUES[kind](), "wechat"))


@pytest.mark.parametrize("kind", ISSUES)
def test_markdown_and_moments_of_hostile_issue_carry_no_markup(kind: str) -> None:
    moments = render(ISSUES[kind](), "moments")
    assert "<" not in moments and "javascript:" not in moments
    markdown = render(ISSUES[kind](), "markdown")
    # the Markdown itself may be shown by other tools: it is checked as HTML once converted
    from markdown_it import MarkdownIt

    _assert_safe_html(
        f"<html><body>{MarkdownIt('commonmark', {'html': False}).render(markdown)}</body></html>"
    )


@pytest.mark.parametrize("kind", ["daily", "daily-imported"])
def test_daily_markdown_drops_markup_and_unsafe_targets(kind: str) -> None:
    markdown = render_daily(ISSUES[kind]())
    assert "<" not in markdown and ">" not in markdown.replace("> 📌", "")
    assert "javascript:" not in markdown


def test_clean_html_keeps_article_markup_and_drops_the_rest() -> None:
    out = clean_html(
        '<p onclick="x()">a <a href="https://e.com" onmouseover="y">l</a> <a href="javascript:z()">j</a>'
        '<img src="https://e.com/i.png" onerror="alert(1)"><script>alert(1)</script><table><tr><td>c</td></tr>'
        '</table><iframe src="https://e.com"></iframe><b>open'
    )  # fmt: skip
    tree = lxml.html.fragment_fromstring(out, create_parent="div")
    assert [a.get("href") for a in tree.iter("a")] == ["https://e.com", None]
    assert tree.find(".//img").get("src") == "https://e.com/i.png"
    assert tree.find(".//td").text == "c" and tree.find(".//b").text == "open"
    assert (
        "<script" not in out
        and "<iframe" not in out
        and "on" not in "".join(k for el in tree.iter() for k in el.attrib if k.startswith("on"))
    )
    assert out.endswith("<b>open</b>")  # unclosed tags are closed


@pytest.mark.parametrize(("raw", "plain"), [
    ("<script>alert(1)</script>hi", "hi"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;hi", "hi"),
    ("<img src=x onerror=alert(1)>ok", "ok"),
    ("AT&amp;T a < b", "AT&T a < b"),
    ("<b>unclosed", "unclosed"),
    ("tab\x00\x07ok", "tabok"),
])  # fmt: skip
def test_clean_text(raw: str, plain: str) -> None:
    assert clean_text(raw) == plain


def test_safe_url() -> None:
    assert safe_url(" https://e.com/a ") == "https://e.com/a"
    # The URL gate (issue 15) lets http(s) only: mailto was allowed before, it is refused now.
    for bad in (
        "mailto:a@b.c",
        "javascript:alert(1)",
        "JaVaScRiPt:x",
        "data:text/html,x",
        "/relative",
        "java\x00script:x",
        "",
    ):
        assert safe_url(bad) == ""
