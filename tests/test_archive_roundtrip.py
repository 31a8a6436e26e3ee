"""Round trip: every archive issue re-rendered in jianbao's canonical layout imports back to the same items."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.archive import parse_issue, read_issue_file
from jianbao.archive.files import find_issue_files
from jianbao.issue.intro import finalize_intro
from jianbao.render import render
from jianbao.urls import strip_tracking


def _items(data: dict) -> list[tuple]:
    if data["format"] == "weekly":
        # A `> 代码：…` link line is printed without its tracking parameters (issue 15): the same link
        return [(i["n"], i["section"], i["title"], i["url"], i["source"], sorted({strip_tracking(u) for u in i["links"]}),
                 i["images"]) for i in data["items"]]  # fmt: skip
    return [(i["section"], i["priority"], i["entity"], sorted(set(i["urls"]))) for i in data["items"]]


def _strip_lines(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "line"} for row in rows]


def _archive_files(shared: Path) -> list[Path]:
    return list(find_issue_files([shared / "archive", shared / "seeds"]))


@pytest.mark.parametrize("fmt", ["weekly", "daily"])
def test_every_archive_issue_round_trips(shared_dir: Path, fmt: str) -> None:
    checked = 0
    for path in _archive_files(shared_dir):
        first = read_issue_file(path)
        if first.issue is None or first.format != fmt:
            continue
        issue = first.issue
        if fmt == "weekly":
            finalize_intro(issue, lambda i: render(i, "markdown"), remark=issue.intro.remark if issue.intro else None)
        text = render(issue, "markdown")
        second = parse_issue(text, path=str(path))
        assert second.format == fmt, path.name
        assert _items(second.data) == _items(first.data), path.name
        if fmt == "weekly":
            assert _strip_lines(second.data["other"]) == _strip_lines(first.data["other"]), path.name
        else:
            assert second.data["github"] == first.data["github"], path.name
        checked += 1
    assert checked >= (40 if fmt == "weekly" else 60)
