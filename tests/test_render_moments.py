"""朋友圈 text: title line, 3–5 one-line highlights, pointer, under 300 characters."""

from __future__ import annotations

import datetime as dt

import pytest

from jianbao.editions import get_edition
from jianbao.issue.moments import LIMIT
from jianbao.records import Intro, Issue, Item, Section
from jianbao.render import render

DAILY_POINTER = get_edition("daily").moments.pointer
WEEKLY_POINTER = get_edition("weekly").moments.pointer


def _issue(fmt: str, titles: list[str]) -> Issue:
    items = [
        Item(title=t, url=f"https://e.com/{i}", number=i + 1, priority="red") for i, t in enumerate(titles)
    ]
    return Issue(
        date=dt.date(2026, 11, 20),
        format=fmt,  # type: ignore[arg-type]
        sections=[Section("今日精选" if fmt == "daily" else "AI 前沿", items)],
        intro=Intro(issue_date="20261120", item_count=len(items), chars=100, read_minutes=(1, 2)),
    )


def _parts(text: str) -> tuple[str, list[str], str]:
    lines = text.rstrip("\n").split("\n")
    assert lines[1] == "" and lines[-2] == ""
    return lines[0], lines[2:-2], lines[-1]


SHORT = [
    "DeepSeek 发布 V4",
    "Nvidia 发债 200 亿",
    "苹果裁撤 VR 团队",
    "MiniMax H3 发布",
    "智谱开放订阅",
    "第六条不该出现",
]
LONG = ["很长的标题" * 30 + "。第二句", *(f"{'另一个非常长的标题' * 12} {i}" for i in range(7))]


@pytest.mark.parametrize(("fmt", "title", "pointer"), [
    ("daily", "🤖 AI早报 11/20", DAILY_POINTER), ("weekly", "📰 AI 简报 20261120 期", WEEKLY_POINTER),
])  # fmt: skip
@pytest.mark.parametrize("titles", [SHORT, LONG, SHORT[:3]])
def test_moments_shape_and_length(fmt: str, title: str, pointer: str, titles: list[str]) -> None:
    text = render(_issue(fmt, titles), "moments")
    assert len(text) < LIMIT
    head, highlights, tail = _parts(text)
    assert (head, tail) == (title, pointer)
    assert 3 <= len(highlights) <= 5
    assert all(h.strip() and len(h) <= 40 for h in highlights)
    if titles is SHORT:
        assert highlights == SHORT[:5]
    if titles is LONG:
        assert highlights[0].startswith("很长的标题") and highlights[0].endswith("…")


def test_highlight_puts_the_entity_before_a_title_without_it() -> None:
    issue = _issue("daily", SHORT[:3])
    issue.items[1].entity = "Nvidia"  # already in the title
    issue.items[2].entity = "Apple"
    _, highlights, _ = _parts(render(issue, "moments"))
    assert highlights[1:] == ["Nvidia 发债 200 亿", "Apple：苹果裁撤 VR 团队"]


def test_daily_keeps_its_own_moments_text_when_short_enough() -> None:
    issue = _issue("daily", SHORT)
    issue.moments = "🤖 AI早报 11/20\n\n一\n二\n三\n\n👉 完整早报见评论区"
    assert render(issue, "moments") == issue.moments + "\n"
    issue.moments = "太长" * 200
    assert render(issue, "moments").startswith("🤖 AI早报 11/20\n\nDeepSeek 发布 V4\n")


def test_weekly_uses_its_own_moments_text_when_it_has_one() -> None:
    import datetime as dt

    from jianbao.records import Issue, Item, Section
    from jianbao.render.moments import render_moments

    issue = Issue(date=dt.date(2026, 11, 20), format="weekly",
                  sections=[Section("AI 前沿", [Item(title="某论文", url="https://x.example/1")])])
    assert "某论文" in render_moments(issue)
    issue.moments = "📰 本周 AI 简报：编辑写的一段话。\n👉 全文见公众号"
    assert render_moments(issue) == issue.moments + "\n"


def test_chinese_headlines_lead_and_an_english_one_only_fills_a_place() -> None:
    from jianbao.issue.moments import Moments, built_moments

    titles = ["GPT-5.7 正式发布", "Speculative Agents: Drafting Tool Calls", "豆包上线新模型", "Genie 4 worlds"]
    issue = Issue(date=dt.date(2026, 11, 20), format="daily", sections=[Section("今日精选", [Item(title=t) for t in titles])])
    lines = built_moments(issue, Moments(title="T", pointer="P")).split("\n")[2:-2]
    assert lines == ["GPT-5.7 正式发布", "豆包上线新模型", "Speculative Agents: Drafting Tool Calls", "Genie 4 worlds"]
