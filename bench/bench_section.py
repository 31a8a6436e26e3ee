"""Measure the section rules against the editor's choices in the real archive, and 国际/中文圈 on the dailies.

Weekly: every item of the issues whose sections are AI 前沿 / 有趣的开源项目 / 福利 / 其他 becomes a one-entry
story (title, summary, links with kinds) and ``jianbao.issue.section.place`` puts it somewhere; the trailing 其他
list counts as 其他, and so does an item the rules leave unplaced. "broad" adds the items of the other 2021
issues whose sections are these under another spelling (开源项目, 文末福利, AI 前沿速递 …), with their 其他 lists.
Daily: ``region_of`` on every 国际动态 / 中文圈 item of the shared archive's 2026 folder.

Run: python bench/bench_section.py [-v]
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jianbao.archive.parse import read_issue_file
from jianbao.config import SectionRule, WeeklySettings
from jianbao.issue.section import place, region_of, story_from_item
from jianbao.records import Issue

OTHER = "其他"
NAMES = ("AI 前沿", "有趣的开源项目", "福利", OTHER)
_EXACT = {"AI前沿": "AI 前沿", "有趣的开源项目": "有趣的开源项目", "福利": "福利", "其他": OTHER}
_ALIASES = {
    **_EXACT,
    "AI前沿速递": "AI 前沿",
    "开源项目": "有趣的开源项目",
    "有趣的AI开源项目": "有趣的开源项目",
    "有趣的小项目": "有趣的开源项目",
    "文末福利": "福利",
    "Other": OTHER,
}


def shared_dir() -> Path:
    return Path(os.environ.get("JIANBAO_SHARED", Path(__file__).resolve().parents[2] / "shared"))


@dataclass
class Score:
    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def add(self, truth: str, guess: str, label: str) -> None:
        self.total[truth] += 1
        if truth == guess:
            self.right[truth] += 1
        else:
            self.misses.append(f"{truth} → {guess}: {label}")

    def accuracy(self, name: str | None = None) -> float:
        if name is None:
            n = sum(self.total.values())
            return sum(self.right.values()) / n if n else 0.0
        return self.right[name] / self.total[name] if self.total[name] else 0.0

    @property
    def count(self) -> int:
        return sum(self.total.values())


def _key(name: str) -> str:
    return "".join(name.split())


def weekly_issues(root: Path, *, broad: bool = False) -> Iterator[Issue]:
    """Weekly issues whose every section is one of the four (broad: with at least one, any spelling)."""
    for path in sorted(root.glob("20[0-9][0-9]/*.md")):
        result = read_issue_file(path)
        issue = result.issue
        if issue is None or issue.format != "weekly":
            continue
        keys = [_key(s.name) for s in issue.sections]
        if not keys:
            continue
        wanted = (
            any(_ALIASES.get(k, OTHER) != OTHER for k in keys) if broad else all(k in _EXACT for k in keys)
        )
        if wanted:
            yield issue


def measure_sections(
    root: Path, *, rules: Sequence[SectionRule] | None = None, broad: bool = False, min_score: float = 2.0
) -> Score:
    rules = list(rules if rules is not None else WeeklySettings().sections)
    score = Score()
    for issue in weekly_issues(root, broad=broad):
        labelled = [(_ALIASES.get(_key(s.name)), item) for s in issue.sections for item in s.items]
        labelled += [(OTHER, link) for link in issue.other]
        for truth, item in labelled:
            if truth is None:
                continue  # a section outside the four (冠军方案, 本周要闻 …) in a broad issue
            placement = place(story_from_item(item), rules, min_score=min_score)
            score.add(
                truth, placement.section or OTHER, f"{issue.date} {item.title[:50]} [{placement.reason}]"
            )
    return score


def measure_regions(root: Path) -> Score:
    score = Score()
    for path in sorted((root / "2026").glob("*.md")):
        issue = read_issue_file(path).issue
        if issue is None or issue.format != "daily":
            continue
        for section in issue.sections:
            truth = {"国际动态": "国际", "中文圈": "中文圈"}.get(section.name)
            if truth is None:
                continue
            for item in section.items:
                guess = region_of(story_from_item(item))
                score.add(truth, guess, f"{issue.date} {item.source} | {item.title[:50]} | {item.url}")
    return score


def _report(label: str, score: Score, names: Sequence[str], *, verbose: bool) -> None:
    print(f"{label}: {score.accuracy():.3f} overall ({sum(score.right.values())}/{score.count})")
    for name in names:
        if score.total[name]:
            print(f"  {name:<10} {score.accuracy(name):.3f} ({score.right[name]}/{score.total[name]})")
    if verbose:
        for miss in score.misses:
            print(f"    miss {miss}")


def main(argv: Sequence[str]) -> int:
    root = shared_dir() / "archive"
    if not root.is_dir():
        print(f"shared archive not found at {root}", file=sys.stderr)
        return 2
    verbose = "-v" in argv
    _report(
        "weekly sections (issues with exactly these sections)", measure_sections(root), NAMES, verbose=verbose
    )
    _report("weekly sections (broad)", measure_sections(root, broad=True), NAMES, verbose=verbose)
    _report("daily regions", measure_regions(root), ("国际", "中文圈"), verbose=verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
