"""Tests of ``jianbao stories`` and ``jianbao check`` (cli/stories.py) on the real archive and the samples."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jianbao.cli import app

runner = CliRunner()
LABELS = Path(__file__).resolve().parent / "resources" / "cluster" / "june2026_repeats.json"


def _archive_2026() -> Path:
    path = (
        Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))
        / "archive"
        / "2026"
    )
    if not path.is_dir():
        pytest.skip(f"shared archive not found at {path}")
    return path


@pytest.fixture(scope="module")
def daily_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    archive = _archive_2026()
    url = f"sqlite:///{tmp_path_factory.mktemp('daily') / 'store.db'}"
    result = runner.invoke(app, ["import", str(archive), "--store", url])
    assert "imported" in result.output and "Traceback" not in result.output
    return url


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'store.db'}"
    result = runner.invoke(app, ["demo", "--store", url, "--out", str(folder / "out"), "--format", "weekly"])
    assert result.exit_code == 0, result.output
    return url


def _labelled(day: str) -> list[dict]:
    rows = [r for r in json.loads(LABELS.read_text(encoding="utf-8")) if r["date"] == day]
    return [
        {
            "item_index": r["item_index"],
            "earlier": [{"date": e["date"], "item_index": e["item_index"]} for e in r["earlier"]],
        }
        for r in sorted(rows, key=lambda r: r["item_index"])
    ]


@pytest.mark.parametrize("day", ["2026-06-03", "2026-06-16", "2026-06-18"])
def test_check_matches_the_hand_labels_of_a_june_day(daily_store: str, day: str) -> None:
    path = _archive_2026() / f"AI简报{day.replace('-', '')}.md"
    result = runner.invoke(app, ["check", str(path), "--window", "3", "--json", "--store", daily_store])
    assert result.exit_code == 0, result.output
    found = [r for r in json.loads(result.stdout) if r["kind"] == "item"]  # GitHub rows are listed beside
    expected = _labelled(day)
    assert [r["item_index"] for r in found] == [r["item_index"] for r in expected]
    for got, want in zip(found, expected, strict=True):
        assert {(e["date"], e["item_index"]) for e in got["earlier"]} == {
            (e["date"], e["item_index"]) for e in want["earlier"]
        }


def test_check_text_names_the_earlier_issue_and_item(daily_store: str) -> None:
    path = _archive_2026() / "AI简报20260603.md"
    result = runner.invoke(app, ["check", str(path), "--window", "3", "--store", daily_store])
    assert result.exit_code == 0
    assert "#3 OpenAI models now available on Amazon Web Services" in result.stdout
    assert "repeats 2026-06-02 #1 OpenAI frontier models and Codex are now available on AWS" in result.stdout


def test_check_default_window_is_the_history_days_of_the_format(daily_store: str) -> None:
    # the 7 daily history days before 2026-06-05 hold 06-02..06-04: the labelled repeats of 06-03 and
    # 06-04 are both within reach, so every labelled item of 06-05 is found
    path = _archive_2026() / "AI简报20260605.md"
    result = runner.invoke(app, ["check", str(path), "--json", "--store", daily_store])
    assert result.exit_code == 0
    found = {r["item_index"] for r in json.loads(result.stdout) if r["kind"] == "item"}
    assert {r["item_index"] for r in _labelled("2026-06-05")} <= found


def test_check_user_errors_are_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    missing = runner.invoke(app, ["check", str(tmp_path / "nope.md"), "--store", url])
    assert missing.exit_code != 0 and "no such file" in missing.output and "Traceback" not in missing.output
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    bad = runner.invoke(app, ["check", str(empty), "--store", url])
    assert bad.exit_code != 0 and "empty file" in bad.output


def test_stories_json_shows_a_multi_source_story_once(demo_store: str) -> None:
    result = runner.invoke(app, ["stories", "--date", "2026-11-20", "--json", "--store", demo_store])
    assert result.exit_code == 0, result.output
    stories = json.loads(result.stdout)
    stream = [s for s in stories if "arxiv:2611.04417" in s["keys"]]
    assert len(stream) == 1  # one story, not one per source
    assert len(set(stream[0]["sources"])) >= 3 and stream[0]["size"] == len(stream[0]["entries"])
    urls = [e["url"] for s in stories for e in s["entries"]]
    assert len(urls) == len(set(urls))  # no entry, hence no story, listed twice
    assert {s["state"] for s in stories} <= {"new", "published", "update"}


def test_stories_since_narrows_the_window(demo_store: str) -> None:
    week = runner.invoke(app, ["stories", "--date", "2026-11-20", "--json", "--store", demo_store])
    day = runner.invoke(
        app, ["stories", "--date", "2026-11-20", "--since", "1d", "--json", "--store", demo_store]
    )
    assert day.exit_code == 0
    assert (
        0 < sum(s["size"] for s in json.loads(day.stdout)) < sum(s["size"] for s in json.loads(week.stdout))
    )
    bad = runner.invoke(app, ["stories", "--since", "soon", "--store", demo_store])
    assert bad.exit_code != 0 and "not a period" in bad.output


def test_every_new_command_has_an_example() -> None:
    for command in ("stories", "check"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.stdout


def test_check_reports_github_rows_beside_item_rows(daily_store: str) -> None:
    path = _archive_2026() / "AI简报20260522.md"
    result = runner.invoke(app, ["check", str(path), "--window", "3", "--json", "--store", daily_store])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    github = [r for r in rows if r["kind"] == "github"]
    assert {
        "kind": "github",
        "repo": "pydantic/pydantic-ai",
        "earlier": [{"date": "2026-05-21"}],
        "stars_jump": False,
    } in github
    items = [r for r in rows if r["kind"] == "item"]
    assert items and all("item_index" in r and r["earlier"][0]["decided_by"] for r in items)


def test_stories_json_says_which_signal_decided(demo_store: str) -> None:
    result = runner.invoke(app, ["stories", "--date", "2026-11-20", "--json", "--store", demo_store])
    stories = json.loads(result.stdout)
    assert all("decided_by" in s for s in stories)
    assert all(s["decided_by"] is None for s in stories if s["state"] == "new")
