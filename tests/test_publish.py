"""Publishing: the archive file, the README index by year and month, the store's state and history, the CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jianbao.archive.publish import issue_keywords, load_draft, publish_issue, write_index
from jianbao.cli import app
from jianbao.config import Config
from jianbao.editions.daily import compose_daily
from jianbao.issue.intro import finalize_intro
from jianbao.issue.item_text import Budget, Summarizer, daily_extractive, weekly_extractive
from jianbao.records import Issue, Item, Section, Story
from jianbao.render import get_renderer
from jianbao.store import Store, open_store

MONTH_NAMES = [
    "一月",
    "二月",
    "三月",
    "四月",
    "五月",
    "六月",
    "七月",
    "八月",
    "九月",
    "十月",
    "十一月",
    "十二月",
]


def demo_issues(store: Store, config: Config) -> tuple[Issue, Issue]:
    """The weekly and the daily of the bundled samples, composed from the stored entries (one story each)."""
    from jianbao.demo import sample_sources
    from jianbao.editions.weekly import compose_weekly
    from jianbao.ingestion.runner import ingest
    from jianbao.issue.gather import window
    from jianbao.issue.select import rank, score_story

    day, sources = sample_sources()
    store.sync_sources(sources)
    ingest(store, sources, config=config)
    by_name = {s.name: s for s in store.list_sources()}
    out = []
    for fmt, settings in (("weekly", config.weekly), ("daily", config.daily)):
        start, end = window(day, settings.window_days)
        stories = []
        for entry in store.entries_between(start, end):
            if entry.source == "github-trending":
                continue
            canonical = entry.canonical_url or entry.url
            story = Story(
                id="e" + hashlib.sha1(canonical.encode()).hexdigest()[:12],
                entries=[entry],
                keys=[*entry.keys, f"url:{canonical}"],
                title=entry.title,
                first_seen=entry.published,
                last_seen=entry.published,
            )
            score_story(story, today=day, window_days=settings.window_days, weights={}, interests=[])
            stories.append(story)
        if fmt == "weekly":
            issue, _picks = compose_weekly(
                rank(stories), day=day, config=config, sources=by_name,
                summarize=Summarizer(weekly_extractive, Budget(60, 160), by_name),
            )  # fmt: skip
            finalize_intro(
                issue, lambda i: get_renderer("markdown").render(i, other_name=config.weekly.other_name)
            )
        else:
            issue, _picks = compose_daily(
                rank(stories), day=day, config=config, sources=by_name,
                summarize=Summarizer(daily_extractive, Budget(40, 120), by_name),
            )  # fmt: skip
        assert issue.items, f"the samples gave no {fmt} items"
        store.save_issue(issue, markdown=get_renderer("markdown").render(issue))
        out.append(issue)
    return out[0], out[1]


def make_config(tmp_path: Path) -> Config:
    return Config.model_validate(
        {
            "output": {
                "dir": str(tmp_path / "out"),
                "archive_dir": str(tmp_path / "archive"),
                "site_dir": str(tmp_path / "site"),
                "site_url": "https://news.example.org/ai/",
            }
        }
    )


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    st = open_store(f"sqlite:///{tmp_path / 'jianbao.db'}")
    yield st
    st.close()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publish_built_issue_writes_archive_index_site_and_history(store: Store, config: Config) -> None:
    weekly, _daily = demo_issues(store, config)
    day = weekly.date
    assert store.history(before=day, days=30, include_same_day=True) == []  # drafts are not history yet

    result = publish_issue(store, weekly, config=config)

    archive = config.resolve(config.output.archive_dir)
    assert result.path == archive / f"{day:%Y}" / f"AI简报{day:%Y%m%d}.md"
    assert str(result) == str(result.path)  # the web desk uses str(publish_issue(...))
    text = result.path.read_text(encoding="utf-8")
    assert text == store.get_markdown(weekly.id) and text.startswith("[TOC]")
    stored, _version = store.get_issue(weekly.id)
    assert stored.state == "published"
    history = store.history(before=day, days=30, include_same_day=True)
    assert [h.title for h in history] == [i.title for i in weekly.items]
    assert {h.issue_id for h in history} == {weekly.id}

    readme = result.readme.read_text(encoding="utf-8")
    link = f"[{day:%m-%d}](./{day:%Y}/AI简报{day:%Y%m%d}.md)"
    assert f"## {day:%Y}" in readme
    assert f"| {MONTH_NAMES[day.month - 1]} | {link} |" in readme
    assert f"最新：[`{day:%Y}/AI简报{day:%Y%m%d}.md`]" in readme
    year = (archive / f"{day:%Y}" / "README.md").read_text(encoding="utf-8")
    keywords = issue_keywords(stored)
    assert 3 <= len(keywords) <= 4 and all(len(k) <= 30 for k in keywords)
    assert f"| {day:%m-%d} | [AI简报{day:%Y%m%d}](./AI简报{day:%Y%m%d}.md) | {'、'.join(keywords)} |" in year

    site = result.site_dir
    assert site is not None and (site / "issues" / f"{day.isoformat()}-weekly.html").is_file()
    before = {**_snapshot(archive), **{f"site/{k}": v for k, v in _snapshot(site).items()}}
    publish_issue(store, weekly, config=config)
    after = {**_snapshot(archive), **{f"site/{k}": v for k, v in _snapshot(site).items()}}
    assert after == before  # publishing twice changes nothing


def test_cli_publishes_an_edited_draft_file_as_the_editor_left_it(
    store: Store, config: Config, tmp_path: Path
) -> None:
    _weekly, daily = demo_issues(store, config)
    original = store.get_markdown(daily.id)
    first = daily.items[0]
    assert first.summary and first.summary in original
    edited = original.replace(first.summary, "编辑改写的一句话：端侧模型开始普及。", 1)
    draft = tmp_path / "DRAFT.md"
    draft.write_text(edited, encoding="utf-8")
    toml = tmp_path / "jianbao.toml"
    toml.write_text(
        f'[output]\narchive_dir = "{tmp_path / "archive"}"\nsite_dir = "{tmp_path / "site"}"\n',
        encoding="utf-8",
    )
    store_url = f"sqlite:///{tmp_path / 'jianbao.db'}"

    result = CliRunner().invoke(app, ["publish", str(draft), "--config", str(toml), "--store", store_url])

    assert result.exit_code == 0, result.output
    path = tmp_path / "archive" / f"{daily.date:%Y}" / f"AI简报{daily.date:%Y%m%d}.md"
    assert f"published {daily.id}" in result.output and str(path) in result.output
    assert path.read_text(encoding="utf-8") == edited
    stored, _version = store.get_issue(daily.id)
    assert stored.state == "published" and stored.format == "daily"
    assert any("编辑改写的一句话：端侧模型开始普及。" in i.summary for i in stored.items)
    assert store.get_markdown(daily.id) == edited
    history = store.history(before=daily.date, days=3, include_same_day=True, fmt="daily")
    assert any("端侧模型开始普及" in h.text for h in history)
    assert (tmp_path / "site" / "issues" / f"{daily.date.isoformat()}-daily.html").is_file()


def test_cli_publishes_a_stored_draft_by_date(store: Store, config: Config, tmp_path: Path) -> None:
    weekly, _daily = demo_issues(store, config)
    toml = tmp_path / "jianbao.toml"
    toml.write_text(f'[output]\narchive_dir = "{tmp_path / "archive"}"\n', encoding="utf-8")
    args = ["--config", str(toml), "--store", f"sqlite:///{tmp_path / 'jianbao.db'}", "--no-site"]

    result = CliRunner().invoke(
        app, ["publish", "--date", weekly.date.isoformat(), "--format", "weekly", *args]
    )

    assert result.exit_code == 0, result.output
    path = tmp_path / "archive" / f"{weekly.date:%Y}" / f"AI简报{weekly.date:%Y%m%d}.md"
    assert path.read_text(encoding="utf-8") == store.get_markdown(weekly.id)
    assert store.get_issue(weekly.id)[0].state == "published"
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["publish"], "nothing to publish"),
        (["publish", "no-such-draft.md"], "no such file"),
        (["publish", "--date", "2001-01-01"], "no stored weekly issue for 2001-01-01"),
        (["publish", "--date", "2001-01-01", "--format", "monthly"], "--format must be weekly or daily"),
        (["publish", "--date", "someday"], "not a date"),
    ],
)
def test_cli_user_errors_are_one_line_and_non_zero(tmp_path: Path, argv: list[str], message: str) -> None:
    result = CliRunner().invoke(app, [*argv, "--store", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and message in lines[0]


def test_draft_that_is_not_an_issue_is_refused(tmp_path: Path) -> None:
    from jianbao.errors import ImportFileError

    empty = tmp_path / "DRAFT.md"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ImportFileError, match="empty file"):
        load_draft(empty)


def _issue(day: dt.date, *titles: str) -> Issue:
    items = [
        Item(title=t, number=n, entity=t.split()[0] if " " in t else None) for n, t in enumerate(titles, 1)
    ]
    return Issue(
        date=day, format="daily", sections=[Section(name="今日精选", items=items)], state="published"
    )


def test_index_by_year_and_month_keeps_the_hand_written_intro(store: Store, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "README.md").write_text(
        "# AI-News-weekly\n\n最新：旧的\n\n手写的介绍。\n\n## 2026\n\n| 月份 | 简报 |\n| --- | --- |\n| 五月 | [05-21](x) |\n\n"
        "## 概要笔记\n\n- 保留这一段\n",
        encoding="utf-8",
    )
    days = [dt.date(2025, 12, 30), dt.date(2026, 1, 5), dt.date(2026, 1, 2), dt.date(2026, 3, 9)]
    for day in days:
        issue = _issue(
            day,
            "DeepSeek 发布 V4-Flash 多模态",
            "Nvidia 收购 Poolside",
            "苹果 裁撤 VR 团队",
            "宇树 上市",
            "五",
        )
        store.save_issue(issue, markdown=f"# 早报 {day}\n")
    store.save_issue(
        dataclasses.replace(_issue(dt.date(2026, 4, 1), "草稿"), state="draft"), markdown="# d\n"
    )
    # an older spelling of the file name is linked as it is, not written again
    (root / "2026").mkdir()
    (root / "2026" / "AI 简报20260102.md").write_text("# 旧文件\n", encoding="utf-8")
    (root / "2026" / "README.md").write_text(
        "# 2026 AI 简报\n\n> 重启记录。\n\n## 目录\n\n| 日期 | 简报 | 关键词 |\n| --- | --- | --- |\n"
        "| 01-05 | [AI简报20260105](./AI简报20260105.md) | 编辑写的关键词 |\n",
        encoding="utf-8",
    )

    readme = write_index(store, root)

    text = readme.read_text(encoding="utf-8")
    assert "手写的介绍。" in text and "- 保留这一段" in text and "[05-21](x)" not in text
    assert "最新：[`2026/AI简报20260309.md`](./2026/AI简报20260309.md)" in text
    assert text.index("## 2026") < text.index("## 2025")  # newest year first
    assert "| 一月 | [01-02](./2026/AI%20简报20260102.md), [01-05](./2026/AI简报20260105.md) |" in text
    assert (
        "| 三月 | [03-09](./2026/AI简报20260309.md) |" in text and "四月" not in text
    )  # drafts are not listed
    assert "| 十二月 | [12-30](./2025/AI简报20251230.md) |" in text
    assert (root / "2026" / "AI简报20260105.md").read_text(encoding="utf-8") == "# 早报 2026-01-05\n"
    assert not (root / "2026" / "AI简报20260102.md").exists()
    year = (root / "2026" / "README.md").read_text(encoding="utf-8").splitlines()
    assert year[:7] == [
        "# 2026 AI 简报",
        "",
        "> 重启记录。",
        "",
        "## 目录",
        "",
        "<!-- jianbao:index start -->",
    ]
    rows = [line for line in year if line.startswith("| 0")]
    assert rows == [
        "| 03-09 | [AI简报20260309](./AI简报20260309.md) | DeepSeek V4-Flash、Nvidia Poolside、苹果 VR、宇树 |",
        "| 01-05 | [AI简报20260105](./AI简报20260105.md) | 编辑写的关键词 |",  # the editor's words are kept
        "| 01-02 | [AI 简报20260102](./AI%20简报20260102.md) | DeepSeek V4-Flash、Nvidia Poolside、苹果 VR、宇树 |",
    ]
    first = {p: p.read_bytes() for p in root.rglob("README.md")}
    write_index(store, root)
    assert {p: p.read_bytes() for p in root.rglob("README.md")} == first


def test_keywords_are_short_entities_or_titles() -> None:
    issue = _issue(
        dt.date(2026, 8, 22),
        "DeepSeek 发布实验性多模态模型 V4-Flash-Vision-Exp，在 Agent 基准测试中接近 Opus",
        "DeepSeek 又一条",
        "【开源】一个很长很长很长很长很长很长很长的中文标题，后面还有",
    )
    assert issue_keywords(issue) == ["DeepSeek V4-Flash-Vision-Exp", "一个很长很长很长很长很长很长"]
