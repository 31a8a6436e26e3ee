"""Story scoring, ranking, section quotas and the --explain table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from jianbao.config import Config
from jianbao.editions.weekly import compose_weekly
from jianbao.issue.select import rank, score_story
from jianbao.records import Entry, Link, Story

DAY = dt.date(2026, 11, 20)
NOON = dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC)


def story(sid: str, *, title: str = "A new model", kinds: tuple[str, ...] = (), source: str = "s", age_days: float = 0,
          extra: dict | None = None, state: str = "new", text: str = "Some text.") -> Story:  # fmt: skip
    links = [Link(url=f"https://x.org/{sid}/{k}", kind=k) for k in kinds]  # type: ignore[arg-type]
    entry = Entry(source=source, url=f"https://x.org/{sid}", title=title, summary=text, links=links,
                  published=NOON - dt.timedelta(days=age_days), extra=dict(extra or {}))  # fmt: skip
    return Story(id=sid, entries=[entry], title=title, state=state, last_seen=entry.published)  # type: ignore[arg-type]


def scored(s: Story, **kw: object) -> Story:
    return score_story(s, today=DAY, window_days=7, weights=kw.pop("weights", {}), **kw)  # type: ignore[arg-type]


def test_parts_add_up_to_the_score() -> None:
    s = scored(story("a", kinds=("paper", "code"), extra={"stars": 99999, "points": 999}), weights={"s": 2.0})
    parts = s.score_parts
    assert parts["paper"] == parts["code"] == 0.5
    assert parts["stars"] == 1.0 and parts["hn"] == 1.0 and parts["source_weight"] == 2.0
    base = sum(v for k, v in parts.items() if k != "source_weight")
    assert abs(s.score - 2.0 * base) < 1e-3


def test_recency_interests_and_updates_order_the_ranking() -> None:
    fresh = scored(story("fresh"))
    old = scored(story("old", age_days=6))
    keen = scored(story("keen", title="嵌入式 端侧 轻量化 agent"), interests=["嵌入式", "端侧", "agent"])
    update = scored(story("update", state="update"))
    published = scored(story("published", state="published"))
    assert keen.score_parts["interests"] == 0.9
    assert fresh.score_parts["recency"] > old.score_parts["recency"]
    assert update.score < fresh.score and update.score_parts["update"] < 0
    assert [s.id for s in rank([old, update, published, fresh, keen])] == ["keen", "fresh", "update", "old"]


def test_quotas_fill_sections_and_send_the_rest_to_other_with_a_reason() -> None:
    config = Config()
    papers = [scored(story(f"p{i}", title=f"论文 {i}", kinds=("paper",), age_days=i / 10)) for i in range(6)]
    bare = scored(story("bare", title="A headline", text=""))
    issue, picks = compose_weekly(rank([*papers, bare]), day=DAY, config=config, sources={},
                                  summarize=lambda s: "摘要。")  # fmt: skip
    quota = config.weekly.sections[0].quota
    assert [len(s.items) for s in issue.sections] == [quota]
    reasons = {p.story.id: p.reason for p in picks if p.section is None}
    assert all("AI 前沿 full" in reasons[f"p{i}"] for i in range(quota, 6))
    assert reasons["bare"] == "no rule"
    assert len(issue.other) == 6 - quota + 1


def test_explain_prints_score_parts_and_reasons(tmp_path: Path) -> None:
    from jianbao.cli import app

    db = f"sqlite:///{tmp_path / 'x.db'}"
    demo = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--format", "weekly", "--store", db])
    assert demo.exit_code == 0, demo.output
    result = CliRunner().invoke(app, ["build", "--explain", "--no-llm", "--store", db, "--date", "2026-11-20",
                                      "--out", str(tmp_path)], env={"COLUMNS": "250"})  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "recency=" in result.output and "reason" in result.output
    assert "其他" in result.output and (
        "full" in result.output or "no rule" in result.output or "weak" in result.output
    )


def test_the_biggest_stories_are_numbered_before_quotas_fill_with_weaker_ones() -> None:
    config = Config()
    launch = scored(story("launch", title="Introducing GPT-9", source="lab", extra={"points": 999}),
                    weights={"lab": 1.5})  # no section rule has evidence for a model launch  # fmt: skip
    papers = [scored(story(f"p{i}", title=f"论文 {i}", kinds=("paper",), age_days=i / 10)) for i in range(4)]
    filler = scored(story("filler", title="免费课程合集", age_days=6), weights={"s": 0.2})
    ranked = rank([launch, *papers, filler])
    assert ranked[0].id == "launch"
    issue, picks = compose_weekly(ranked, day=DAY, config=config, sources={}, summarize=lambda s: "摘要。")
    numbered = {item.story_id: item for item in issue.items}
    assert numbered["launch"].number == 1 and numbered["launch"].section == "AI 前沿"
    why = {p.story.id: p.reason for p in picks}
    assert why["launch"].startswith("lead (top 3); no rule sure, best evidence")
    assert why["p3"].startswith("AI 前沿 full (4)")  # the launch took a slot; the weakest paper waits in 其他
    assert "filler" not in numbered and why["filler"].startswith("too weak to number")
    assert [o.url for o in issue.other] == ["https://x.org/p3", "https://x.org/filler"]


def test_other_never_repeats_a_numbered_story() -> None:
    config = Config()
    big = scored(story("big", title="论文 big", kinds=("paper",)))
    twin = scored(story("twin", title="另一篇报道", age_days=1))
    twin.entries[0].url = big.entries[0].url  # the same article told as another story
    twin.entries[0].canonical_url = "https://x.org/big"
    config.weekly.lead_items = 1
    config.weekly.min_share = 0.99
    issue, picks = compose_weekly(rank([big, twin]), day=DAY, config=config, sources={}, summarize=lambda s: "摘要。")
    assert [i.story_id for i in issue.items] == ["big"] and issue.other == []
    left = next(p for p in picks if p.story.id == "twin")
    assert left.left_out and left.reason.startswith("a repeat of a numbered story")
