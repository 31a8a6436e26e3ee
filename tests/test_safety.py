"""The URL gate and the text cleaning (jianbao.safety): what they let through, and that applying them twice
changes nothing, checked over nested escapes and the whole control range with hypothesis."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao.records import Entry, Issue, Item, Link, OtherLink, Section
from jianbao.safety import (
    UrlGate,
    clean_text,
    defang_links,
    escape_markup,
    gate_entry,
    gate_issue,
    gate_url,
    safe_markdown,
    strip_controls,
)

CONTROLS = [chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))] + ["\ud800", "\udfff", "\ufffe", "\uffff"]
PIECES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>", "</b>", "<", ">", "&", ";", "#", "x",
    "&lt;", "&gt;", "&amp;", "&#60;", "&#x3C;", "&#14;", "&#0;", "&#1;", "javascript:", "JaVaScRiPt:",
    "vbscript:", "data:text/html,", "https://", "http://e.com/", "[a](", ")", "](", "![i](", "`", "```",
    "<!--", "-->", "<center>", "<a href='javascript:x'>", " ", "\n", "\t", "人工智能", "\u200b", "\u202e",
]  # fmt: skip
_SETTINGS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    """Markup, entities, schemes and controls, glued together and then escaped 0 to 6 times over."""
    parts = draw(st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(CONTROLS), st.text(max_size=4)), max_size=12))
    text = "".join(parts)
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        text = html.escape(text)
    return text


@_SETTINGS
@given(hostile_text())
def test_clean_text_is_idempotent_and_leaves_no_tag_or_control(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", once)
    assert not re.search(r"<(script|img|a|center|b)\b[^<>]*>", once, re.IGNORECASE)


@_SETTINGS
@given(hostile_text())
def test_gate_url_is_idempotent_and_passes_http_only(text: str) -> None:
    for url in (text, "https://e.com/" + text, " \x0e javascript:" + text):
        gated = gate_url(url)
        assert gate_url(gated) == gated
        if gated is not None:
            assert gated.startswith(("http://", "https://"))
            assert not re.search(r"[\s\x00-\x1f\x7f-\x9f\"<>`]", gated)


@_SETTINGS
@given(hostile_text())
def test_markdown_writers_are_idempotent_and_inert(text: str) -> None:
    for fn in (escape_markup, defang_links, safe_markdown, strip_controls):
        once = fn(text)
        assert fn(once) == once, fn.__name__
    written = safe_markdown(text)
    targets = re.findall(r"\]\(\s*<?([^()\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)", written)  # complete links only
    assert all(t.startswith(("http://", "https://")) for t in targets), targets
    # outside code (spans and fences of backticks, fences of tildes: left as written, shown as text), no
    # markup can start and no script scheme is left
    if "`" not in text and "~~~" not in text:
        assert not re.search(r"<[A-Za-z/!?]", written)
        assert not re.search(r"(?i)(java|vb)script\s*:", written)


@_SETTINGS
@given(hostile_text(), hostile_text())
def test_records_pass_the_gate_once_for_all(title: str, url: str) -> None:
    entry = Entry(source="s", url="https://e.com/" + url, title=title, images=[url, "https://e.com/i.png"],
                  links=[Link(url=url), Link(url="https://e.com/" + title)])  # fmt: skip
    gated = gate_entry(entry)
    assert gated is not None and gate_entry(gated) == gated
    item = Item(title=title, url=url, summary=f"[x]({url}) {title}", images=[url], also=[OtherLink(title, url)])
    issue = Issue(date=dt.date(2026, 11, 20), title=title, sections=[Section(name=title, items=[item])])
    once = gate_issue(issue)
    assert gate_issue(once) == once


@pytest.mark.parametrize(
    ("url", "gated"),
    [
        (" \x0e javascript:x;", None),
        ("java\nscript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("vbscript:msgbox", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("file:///etc/passwd", None),
        ("//evil.example/x", None),
        ("/relative/path", None),
        ("https:/no-host", None),
        ("http://", None),
        ("https://e.com:99999/", None),
        ("HTTPS://E.com/A b\x0c", "https://E.com/Ab"),
        ("https://e.com/\u200bx\u202ey", "https://e.com/xy"),
        ('https://e.com/"onmouseover="x', "https://e.com/%22onmouseover=%22x"),
        ("https://good.example\\@evil.example/", "https://good.example%5C@evil.example/"),
        ("https://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=1", "https://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=1"),
    ],
)
def test_gate_url_cases(url: str, gated: str | None) -> None:
    assert gate_url(url) == gated


def test_clean_text_of_five_times_escaped_markup_is_not_live() -> None:
    text = "<script>alert(1)</script>标题"
    for _ in range(5):
        text = html.escape(text)
    assert clean_text(text) == "标题"
    assert clean_text("&amp;lt;b&amp;gt;粗体&amp;lt;/b&amp;gt;") == "粗体"


def test_safe_markdown_keeps_the_archives_pictures_and_code() -> None:
    text = (
        '<img src="https://gitee.com/x/raw/master/img/1.png" style="zoom:67%;" />\n'
        "<center><b>StyleGAN+CLIP</b></center>\n"
        "```c\n#include <stdio.h>\n```\n"
        "inline `<b>` and <script>alert(1)</script> [a](javascript:b) ![p](data:image/png;base64,xx)"
    )
    assert safe_markdown(text) == (
        "![Image](https://gitee.com/x/raw/master/img/1.png)\n"
        "StyleGAN+CLIP\n"
        "```c\n#include <stdio.h>\n```\n"
        "inline `<b>` and &lt;script>alert(1)&lt;/script> a "
    )


def test_the_gate_counts_what_it_drops() -> None:
    gate = UrlGate()
    assert gate.urls(["https://e.com/a", "javascript:x", "https://e.com/a", "/rel", ""]) == ["https://e.com/a"]
    assert gate.dropped == 2


def test_link_lines_pass_the_gate_and_lose_tracking_parameters() -> None:
    """Issue 15 with #16's link lines: `> 论文：…` (weekly, `jianbao summarize`) and the daily's extra links print
    only gated URLs, without utm_* or session keys; a link the gate drops gives no line at all."""
    from jianbao.render.daily import daily_line
    from jianbao.render.markdown import link_line, link_lines

    links = [
        Link(url="javascript:alert(1)", kind="paper", label="论文"),
        Link(url="https://example.com/code?utm_source=rss&ref=x&id=3", kind="code", label="代码"),
        Link(url="java\tscript:alert(2)", kind="project"),
    ]
    item = Item(title="t", url="https://example.com/a", source="s", section="AI 前沿", links=links)
    assert link_line(links[0]) == "" and link_line(links[2]) == ""
    assert link_lines(item) == ["代码：https://example.com/code?id=3"]
    line = daily_line(item)
    assert "(https://example.com/code?id=3)" in line and "utm_" not in line and "script" not in line


@_SETTINGS
@given(
    st.one_of(
        hostile_text(),
        st.text(),
        st.lists(st.sampled_from([*CONTROLS, *PIECES, "\xa0", "\u3000", "\U0001f600"])).map("".join),
    )
)
def test_strip_controls_is_the_regex_however_it_gets_there(text: str) -> None:
    from jianbao.safety.text import CONTROL_RE

    assert strip_controls(text) == CONTROL_RE.sub("", text)
