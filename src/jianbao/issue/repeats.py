"""Which items of an issue repeat a story of the published issues before it: what `jianbao check`, `jianbao
run` (after each build) and the MCP server ask, answered in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jianbao.config import Config
from jianbao.editions import get_edition
from jianbao.records import Issue, Item
from jianbao.store import Store
from jianbao.stories.history import RepeatCandidate, find_repeats, item_candidate

__all__ = ["Repeat", "earlier_issues", "find_issue_repeats", "find_list_repeats"]


@dataclass(frozen=True, slots=True)
class Repeat:
    """Item ``index`` (0-based) repeats item ``earlier_index`` of the published issue of ``earlier_date``."""

    index: int
    title: str
    earlier_date: dt.date
    earlier_index: int
    earlier_title: str


def earlier_issues(
    store: Store, *, fmt: str, before: dt.date, config: Config, window: int | None = None
) -> list[tuple[dt.date, list[Item]]]:
    """The published issues of ``fmt`` before ``before``, oldest first: the last ``window`` of them, or
    those within the edition's history days."""
    history_days = get_edition(fmt).settings(config).history_days
    rows = [r for r in store.list_issues(fmt=fmt, state="published") if _as_date(r["date"]) < before]
    rows.sort(key=lambda r: _as_date(r["date"]), reverse=True)
    if window is not None:
        rows = rows[:window]
    else:
        rows = [r for r in rows if _as_date(r["date"]) >= before - dt.timedelta(days=history_days)]
    out = []
    for row in reversed(rows):
        found = store.get_issue(row["id"])
        if found:
            out.append((found[0].date, found[0].items))
    return out


def find_issue_repeats(
    store: Store, issue: Issue, *, config: Config, window: int | None = None
) -> tuple[list[Repeat], int]:
    """The repeats of ``issue``'s items and how many earlier issues were compared."""
    earlier = earlier_issues(store, fmt=issue.format, before=issue.date, config=config, window=window)
    return _repeats([item_candidate(i) for i in issue.items], [i.title for i in issue.items], earlier), len(earlier)


def find_list_repeats(
    store: Store, lines: list[str], *, fmt: str, day: dt.date, config: Config, window: int | None = None
) -> tuple[list[Repeat], int]:
    """The repeats of a pasted list (one story a line: a title, a URL, or both) against published issues."""
    candidates = []
    for line in lines:
        urls = [w for w in line.split() if w.startswith(("http://", "https://"))]
        title = " ".join(w for w in line.split() if w not in urls).strip(" -|") or (urls[0] if urls else "")
        candidates.append(RepeatCandidate(title=title, text=title, urls=urls))
    earlier = earlier_issues(store, fmt=fmt, before=day, config=config, window=window)
    return _repeats(candidates, [c.title for c in candidates], earlier), len(earlier)


def _repeats(
    candidates: list[RepeatCandidate], titles: list[str], earlier: list[tuple[dt.date, list[Item]]]
) -> list[Repeat]:
    hits = find_repeats(candidates, [(d, [item_candidate(i) for i in its]) for d, its in earlier])
    by_date = dict(earlier)
    return [
        Repeat(i, titles[i], d, j, by_date[d][j].title) for i, refs in hits for d, j in refs
    ]


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
