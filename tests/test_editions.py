"""Editions: the registry, the one definition every stage reads, and a third edition added from outside."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

import jianbao.editions as registry
from jianbao.archive.daily import ITEM_SECTIONS, PRIORITIES
from jianbao.config import Config
from jianbao.editions import Edition, SectionSpec, editions, get_edition, register_edition
from jianbao.editions.base import PRIORITY_MARKS
from jianbao.errors import ConfigError
from jianbao.issue.build import build
from jianbao.issue.compose import Pick, chinese_first, display_source, entry_url
from jianbao.issue.item_text import Summarizer, weekly_extractive
from jianbao.issue.moments import Moments
from jianbao.issue.section import Decider
from jianbao.records import Issue, Item, Section, Source, Story, TrendingRow
from jianbao.render import render
from jianbao.store import Store, open_store

RESOURCES = Path(__file__).parent / "resources" / "editions"


def test_the_built_in_editions_register_through_the_same_door() -> None:
    assert list(editions()) == ["weekly", "daily"]
    assert get_edition("weekly").title == "AI 简报" and get_edition("daily").title == "AI 早报"
    with pytest.raises(ConfigError, match="unknown edition 'monthly'; known: weekly, daily"):
        get_edition("monthly")


def test_the_weekly_sections_are_the_editors_configuration() -> None:
    config = Config()
    weekly = get_edition("weekly")
    assert weekly.sections == ()  # nothing fixed: [weekly] sections says
    assert weekly.section_names(config) == [rule.name for rule in config.weekly.sections]
    config.weekly.sections = config.weekly.sections[:1]
    assert weekly.section_names(config) == [config.weekly.sections[0].name]
    assert weekly.priority_of(config.weekly.sections[0].name) is None


def test_the_daily_sections_and_marks_are_read_from_the_edition_by_importer_and_renderer() -> None:
    daily = get_edition("daily")
    assert tuple(spec.name for spec in daily.sections) == ITEM_SECTIONS
    assert {mark: priority for priority, mark in PRIORITY_MARKS.items()} == PRIORITIES
    items = {spec.name: [Item(title=f"{spec.name} 的新闻", url="https://e.example/1")] for spec in daily.sections}
    issue = Issue(date=dt.date(2026, 11, 20), format="daily",
                  sections=[Section(name, its) for name, its in reversed(items.items())])  # fmt: skip
    markdown = render(issue, "markdown")
    headings = [line.removeprefix("## ") for line in markdown.splitlines() if line.startswith("## ")]
    assert headings[: len(daily.sections)] == [spec.heading for spec in daily.sections]  # the edition's order
    for spec in daily.sections:
        assert spec.priority is not None
        assert f"{PRIORITY_MARKS[spec.priority]} [{spec.name} 的新闻]" in markdown
    assert daily.priority_of("编辑自己加的栏目") == daily.default_priority == "yellow"


# ------------------------------------------------------------------------------------ a third edition
@dataclasses.dataclass(frozen=True)
class MonthlySettings:
    window_days: int = 30
    history_days: int = 0
    summary_chars: tuple[int, int] = (60, 160)


TOP = SectionSpec("本月要闻", "📌 本月要闻")


def monthly_item(
    story: Story, *, section: str, config: Config, sources: Mapping[str, Source], summarize: Summarizer
) -> Item:
    best = chinese_first(story).entries[0]
    return Item(title=best.title, url=entry_url(best), source=display_source(best, sources), section=section,
                summary=summarize(story), story_id=story.id)  # fmt: skip


def compose_monthly(
    ranked: Sequence[Story],
    *,
    day: dt.date,
    config: Config,
    sources: Mapping[str, Source],
    summarize: Summarizer,
    trending: Sequence[TrendingRow] = (),
    decide: Decider | None = None,
) -> tuple[Issue, list[Pick]]:
    chosen = [story for story in ranked if story.entries][:5]
    items = [monthly_item(s, section=TOP.name, config=config, sources=sources, summarize=summarize) for s in chosen]
    picks = [Pick(s, TOP.name, "best of the month", item=i) for s, i in zip(chosen, items, strict=True)]
    issue = Issue(date=day, format=MONTHLY.name, title=MONTHLY.issue_title_of(day),
                  sections=[Section(TOP.name, items)] if items else [])  # fmt: skip
    return issue, picks


MONTHLY = Edition(
    name="monthly",
    title="AI 月报",
    issue_title="{title} {day:%Y-%m}",
    file_name="AI月报{day:%Y%m}",
    template="monthly.md.j2",
    template_dir=RESOURCES,
    settings=lambda config: MonthlySettings(),
    sections=(TOP,),
    compose=compose_monthly,
    item=monthly_item,
    extractive=weekly_extractive,
    computes_intro=True,
    moments=Moments(title="🗓 AI月报 {day:%Y-%m}", pointer="👉 全文见公众号"),
)


@pytest.fixture
def monthly(monkeypatch: pytest.MonkeyPatch) -> Iterator[Edition]:
    # The registry is process-wide: keep this edition to this test, as a plugin would be to its install.
    monkeypatch.setattr(registry, "_EDITIONS", dict(editions()))
    register_edition(MONTHLY)
    yield MONTHLY


@pytest.fixture
def sample_store(tmp_path: Path) -> Iterator[tuple[Store, dt.date]]:
    from jianbao.demo import sample_sources
    from jianbao.ingestion.runner import ingest

    day, sources = sample_sources()
    with open_store(f"sqlite:///{tmp_path / 'samples.db'}") as store:
        store.sync_sources(sources)
        ingest(store, sources, config=Config())
        yield store, day


def test_a_third_edition_is_one_definition_and_a_template(
    monthly: Edition, sample_store: tuple[Store, dt.date], tmp_path: Path
) -> None:
    store, day = sample_store
    assert get_edition("monthly") is monthly and list(editions()) == ["weekly", "daily", "monthly"]
    result = build(store, Config(), day, "monthly", out_dir=tmp_path / "out",
                   formats=["markdown", "moments", "wechat"])  # fmt: skip
    issue = result.issue
    assert issue.format == "monthly" and issue.title == f"AI 月报 {day:%Y-%m}"
    assert len(issue.items) == 5 and all(item.summary for item in issue.items)
    assert [p.section for p in result.picks] == [TOP.name] * 5
    stem = f"AI月报{day:%Y%m}"
    assert {name: path.name for name, path in result.files.items()} == {
        "markdown": f"{stem}.md", "moments": f"{stem}.txt", "wechat": f"{stem}.wechat.html"
    }
    markdown = result.files["markdown"].read_text(encoding="utf-8")
    assert markdown.startswith(f"# 📅 AI 月报 {day:%Y-%m}\n")
    assert f"## {TOP.heading}" in markdown and "1. [" in markdown
    assert issue.intro is not None and issue.intro.item_count == 5
    assert f"本文一共 {issue.intro.chars} 字" in markdown and issue.intro.chars > 100
    assert result.files["moments"].read_text(encoding="utf-8").startswith(f"🗓 AI月报 {day:%Y-%m}\n\n")
    stored = store.get_issue(f"monthly:{day.isoformat()}")
    assert stored is not None and stored[0].title == issue.title
    assert store.get_markdown(issue.id) == markdown
    for other in ("今日精选", "AI 前沿", "导读"):
        assert other not in markdown


def test_the_desk_serves_every_registered_edition(
    monthly: Edition, sample_store: tuple[Store, dt.date], tmp_path: Path
) -> None:
    """The desk names no edition itself: a plugin's edition gets the landing page, candidates, draft and preview."""
    import re

    from fastapi.testclient import TestClient

    from jianbao.web import create_app

    store, day = sample_store
    app = create_app(Config(), store.url, today=lambda: day)
    with TestClient(app) as client:
        home = client.get("/").text
        assert 'id="edition-monthly"' in home and "AI 月报" in home
        query = {"date": day.isoformat(), "format": "monthly"}
        listed = client.get("/candidates", params=query).text
        assert '<option value="monthly" selected>AI 月报</option>' in listed
        story = re.findall(r'id="cand-([^"]+)"', listed)[0]
        form = {**query, "version": "0", "story_id": story}
        token = client.cookies.get("jianbao_csrf") or ""
        assert client.post("/pick", data=form, headers={"X-CSRF-Token": token}).status_code == 200
        draft = client.get("/draft", params=query).text
        assert f"AI 月报 {day:%Y-%m}" in draft and TOP.name in draft
        preview = client.get("/preview", params=query).text
        assert f"AI月报{day:%Y%m}.md" in preview and f"# 📅 AI 月报 {day:%Y-%m}" in preview
