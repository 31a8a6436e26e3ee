"""Daily 早报 Markdown: the archive layout line by line, and re-import through the archive parser."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from jianbao.archive.parse import parse_issue
from jianbao.records import Issue, Item, Link, Section, TrendingRow
from jianbao.render import render
from jianbao.render.daily import trending_line
from jianbao.render.markdown import render_markdown as render_daily

GOLDEN = Path(__file__).parent / "resources" / "render" / "daily_20260616.md"


def _shared() -> Path:
    root = Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
    if not (root / "archive" / "2026").is_dir():
        pytest.skip(f"shared archive not found at {root}")
    return root


def _item(
    priority: str, section: str, outlets: list[str], title: str, url: str, summary: str, **kw: object
) -> Item:
    return Item(
        title=title, url=url, source=" / ".join(outlets), section=section, summary=summary,
        priority=priority, sources=outlets, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def issue_0616() -> Issue:
    """A hand-made issue shaped like archive/2026/AI简报20260616.md (3 🔴, 5 + 4 🟡, 3 trending rows)."""
    red = [
        _item("red", "今日精选", ["CryptoBriefing", "The Decoder"], "Anthropic 派技术团队赴华盛顿谈判 Fable 5 访问恢复",
              "https://cryptobriefing.com/anthropic-trump-officials-ai-access-cuts/",
              "6 月 14–15 日周末，Anthropic 派出核心技术团队与商务部官员会谈。", entity="Anthropic"),
        _item("red", "今日精选", ["The Decoder"], "美国政府是否在要求 Anthropic 造出「不可被 hack 的 LLM」？",
              "https://the-decoder.com/unhackable-llms/", "官员指责 Anthropic 未经批准发布 Fable 5。"),
        _item("red", "今日精选", ["The Decoder"], "Anthropic 全球下线 Fable/Mythos，欧洲主权 AI 辩论升温",
              "https://the-decoder.com/sovereignty-debate/", "欧盟委员会正评估美方指令对欧洲研究者的影响。"),
    ]  # fmt: skip
    world = [
        _item("yellow", "国际动态", ["Bloomberg", "The Decoder"], "Nvidia 拟发行至少 200 亿美元债券",
              "https://the-decoder.com/nvidia-bond/", "2021 年以来首次发债。"),
        _item("yellow", "国际动态", ["The Decoder"], "Satya Nadella：企业需建「token capital」",
              "https://the-decoder.com/nadella/", "Nadella 呼吁企业积累自有 AI 能力。"),
        _item("yellow", "国际动态", ["Claude Code Changelog"], "Claude Code 2.1.178 发布",
              "https://code.claude.com/docs/en/changelog#2-1-178", "细粒度权限规则、嵌套 skills 自动加载。"),
        _item("yellow", "国际动态", ["The Decoder"], "Pokémon Go 玩家 AR 扫描数据与美军导航 AI 关联",
              "https://the-decoder.com/pokemon-go/", "Niantic 空间 AI 模型源自玩家 AR 扫描。"),
        _item("yellow", "国际动态", ["HN"], "Ask HN：有人用本地模型完全替代 Claude/GPT 做日常编码吗？",
              "https://news.ycombinator.com/item?id=48542100", "677 分、333 评论。"),
    ]  # fmt: skip
    china = [
        _item("yellow", "中文圈", ["智平方", "智源大会"], "NeuroVLA：全球首个类脑式具身智能系统开源",
              "https://www.163.com/dy/article/KVFS9TUE05118I96.html", "仿「皮层-小脑-脊髓」三层架构。",
              links=[Link("https://github.com/alphabrain/neurovla", kind="code", label="代码")]),
        _item("yellow", "中文圈", ["雷锋网", "Nature 子刊"], "清华李勇团队 AI 解码全球气候耦合",
              "https://www.leiphone.com/category/ai/Sgux2ZbLaFbXaZxD.html", "UniCM 框架用 AI 建模 ENSO。"),
        _item("yellow", "中文圈", ["雷锋网", "CVPR 2026"], "中科大 & 智象未来：重塑视频超分",
              "https://www.leiphone.com/category/ai/qDR8TrUNjdEVUrWa.html", "PS-SR 方案在 CVPR 2026 展示。"),
        _item("yellow", "中文圈", ["雷锋网"], "2026 智源大会：从「悟道」到「悟界」",
              "https://www.leiphone.com/category/academic/PRkJuKQSDv4Q1le5.html", "智源研究院年度大会。"),
    ]  # fmt: skip
    return Issue(
        date=dt.date(2026, 6, 16),
        format="daily",
        sections=[Section("今日精选", red), Section("国际动态", world), Section("中文圈", china)],
        trending=[
            TrendingRow(
                "Panniantong/Agent-Reach",
                "https://github.com/Panniantong/Agent-Reach",
                "给 AI Agent 接入 Twitter、Reddit 等全网读写搜索能力",
                30252,
            ),
            TrendingRow(
                "trycua/cua", "https://github.com/trycua/cua", "Computer-Use Agent 开源基础设施", 18167
            ),
            TrendingRow(
                "rohitg00/ai-engineering-from-scratch",
                "https://github.com/rohitg00/ai-engineering-from-scratch",
                "从零构建 AI 工程能力",
                33105,
            ),
        ],
        one_liner="Anthropic 技术团队周末赴华盛顿谈判 Fable 5 出口管制。",
        insights=[
            "Fable 5 谈判表明 frontier 模型监管已进入「技术标准政治化」。",
            "GitHub 趋势仍指向 Agent 基础设施。",
        ],
    )


def _skeleton(markdown: str) -> list[str]:
    """The shape of an issue: headings, rules, quote, item marks, trending rows; runs of prose as one 'text'."""
    shape: list[str] = []
    for line in markdown.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#") or line == "---" or line.startswith("**朋友圈版"):
            kind = re.sub(r"\d{4}-\d\d-\d\d（星期.）", "DATE", line)
        elif line.startswith("> 📌 **今日一句话**："):
            kind = "one-liner"
        elif m := re.match(r"^(🔴|🟡) \*\*\[[^\]]+\]\*\* \[[^\]]+\]\(https?://[^)]+\) — \S", line):
            kind = m.group(1)
        elif re.match(
            r"^- \[`[\w.-]+/[\w.-]+`\]\(https://github\.com/[\w.-]+/[\w.-]+\) — .+⭐\d{1,3}(,\d{3})*", line
        ):
            kind = "trending"
        else:
            kind = "text"
        if not (kind == "text" and shape and shape[-1] == "text"):
            shape.append(kind)
    return shape


def test_daily_markdown_matches_golden_file() -> None:
    text = render_daily(issue_0616())
    if os.environ.get("JIANBAO_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    for number, (got, want) in enumerate(zip(text.splitlines(), expected.splitlines(), strict=False), 1):
        assert got == want, f"line {number}"
    assert len(text.splitlines()) == len(expected.splitlines())


def test_daily_markdown_has_the_archive_layout() -> None:
    archive = (_shared() / "archive" / "2026" / "AI简报20260616.md").read_text(encoding="utf-8")
    ours = render_daily(issue_0616())
    assert _skeleton(ours) == _skeleton(archive)
    assert ours.splitlines()[0] == "# 🤖 AI 早报 | 2026-06-16（星期二）"


def test_markdown_renderer_dispatches_daily_issues() -> None:
    assert render(issue_0616(), "markdown") == render_daily(issue_0616())


def test_trending_row_prints_thousands_separators_and_todays_gain() -> None:
    row = TrendingRow("a/b", "https://github.com/a/b", "说明", 30252, 1234)
    assert trending_line(row) == "- [`a/b`](https://github.com/a/b) — 说明。⭐30,252（+1,234 今日）"


def test_insights_block_is_left_out_without_insights() -> None:
    issue = issue_0616()
    issue.insights = []
    text = render_daily(issue)
    assert "💡" not in text
    assert "💡 今日洞察" in render_daily(issue_0616())


def test_empty_section_is_left_out() -> None:
    issue = issue_0616()
    issue.sections = [s for s in issue.sections if s.name != "中文圈"]
    assert "中文圈" not in render_daily(issue)


def test_built_issue_reimports_with_same_items_urls_and_sections() -> None:
    issue = issue_0616()
    parsed = parse_issue(render_daily(issue), path="AI简报20260616.md").issue
    assert parsed is not None and parsed.date == issue.date
    assert [s.name for s in parsed.sections] == [s.name for s in issue.sections]
    for ours, theirs in zip(issue.items, parsed.items, strict=True):
        assert (theirs.title, theirs.url, theirs.sources, theirs.priority) == (
            ours.title, ours.url, ours.sources, ours.priority,
        )  # fmt: skip
        assert [link.url for link in theirs.links] == [link.url for link in ours.links]
    assert [(r.repo, r.stars) for r in parsed.trending] == [(r.repo, r.stars) for r in issue.trending]
    assert parsed.one_liner == issue.one_liner
    assert parsed.insights == issue.insights


@pytest.mark.parametrize("name", ["AI简报20260616.md", "AI简报20260801.md", "AI简报20260822.md"])
def test_imported_issue_rerenders_to_the_same_items(name: str) -> None:
    text = (_shared() / "archive" / "2026" / name).read_text(encoding="utf-8")
    first = parse_issue(text, path=name).issue
    assert first is not None
    again = parse_issue(render_daily(first), path=name).issue
    assert again is not None

    def shape(issue: Issue) -> list[tuple[object, ...]]:
        return [(i.section, i.priority, i.title, i.url, tuple(i.sources), tuple(k.url for k in i.links))
                for i in issue.items]  # fmt: skip

    assert shape(again) == shape(first)
    assert [(r.repo, r.stars) for r in again.trending] == [(r.repo, r.stars) for r in first.trending]
    assert again.one_liner == first.one_liner
    assert again.moments == first.moments
    assert len(again.insights) == len(first.insights)


def test_an_update_is_marked_and_points_to_where_the_story_ran() -> None:
    from jianbao.editions import get_edition
    from jianbao.records import Item
    from jianbao.render.daily import daily_line

    daily = get_edition("daily")
    item = Item(title="Stripe 以 80 亿美元收购 OpenRouter", url="https://x.example/a", sources=["Stripe"],
                summary="交易正式宣布。", is_update=True, update_of="daily:2026-08-20")  # fmt: skip
    line = daily_line(item, covered=daily.covered)
    assert line.startswith("🟡 **[Stripe]** 「更新」[Stripe 以 80 亿美元收购 OpenRouter](https://x.example/a)")
    assert line.endswith("— 交易正式宣布。（已在 8/20 早报报道）")
    assert get_edition("weekly").covered("weekly:2026-11-13") == "已在 20261113 期简报报道"
