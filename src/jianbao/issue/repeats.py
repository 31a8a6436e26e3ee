"""Which items of an issue repeat a story of the published issues before it, and which of its GitHub 趋势
rows an earlier table showed: what `jianbao check`, `jianbao run` (after each build) and the MCP server
ask, answered in one place.

With an embedding backend (``[embed]``) the merge model decides (``jianbao.stories.merge``), its
borderline pairs put to the LLM when ``[llm]`` is configured; without one, the lexical rule alone. Each
repeat says which signal decided it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jianbao.config import Config
from jianbao.editions import get_edition
from jianbao.records import Issue, Item
from jianbao.store import Store
from jianbao.stories.embed import embedder_for
from jianbao.stories.history import (
    RepeatCandidate,
    RowRepeat,
    find_repeat_refs,
    github_repeats,
    item_candidate,
)
from jianbao.stories.judge import llm_judge
from jianbao.stories.merge import Semantic

__all__ = [
    "Repeat",
    "earlier_issues",
    "earlier_published",
    "find_issue_repeats",
    "find_list_repeats",
    "find_row_repeats",
]


@dataclass(frozen=True, slots=True)
class Repeat:
    """Item ``index`` (0-based) repeats item ``earlier_index`` of the published issue of ``earlier_date``;
    ``decided_by`` names the signal that said so (key, lexical, semantic, entities, numbers, llm) and ``p``
    the merge model's probability (None when no model was asked)."""

    index: int
    title: str
    earlier_date: dt.date
    earlier_index: int
    earlier_title: str
    decided_by: str = "lexical"
    p: float | None = None


def earlier_published(
    store: Store, *, fmt: str, before: dt.date, config: Config, window: int | None = None
) -> list[Issue]:
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
            out.append(found[0])
    return out


def earlier_issues(
    store: Store, *, fmt: str, before: dt.date, config: Config, window: int | None = None
) -> list[tuple[dt.date, list[Item]]]:
    """``earlier_published`` as (date, items)."""
    return [
        (i.date, i.items)
        for i in earlier_published(store, fmt=fmt, before=before, config=config, window=window)
    ]


def find_issue_repeats(
    store: Store, issue: Issue, *, config: Config, window: int | None = None
) -> tuple[list[Repeat], int]:
    """The repeats of ``issue``'s items and how many earlier issues were compared."""
    earlier = earlier_issues(store, fmt=issue.format, before=issue.date, config=config, window=window)
    candidates = [item_candidate(i) for i in issue.items]
    titles = [i.title for i in issue.items]
    return _repeats(store, config, candidates, titles, earlier, day=issue.date), len(earlier)


def find_row_repeats(
    store: Store, issue: Issue, *, config: Config, window: int | None = None
) -> tuple[list[RowRepeat], int]:
    """The GitHub 趋势 rows of ``issue`` whose repository one of the earlier tables showed, and how many
    earlier issues were compared; a row's stars jumped when they grew by ``[daily] trending_stars_jump``."""
    earlier = earlier_published(store, fmt=issue.format, before=issue.date, config=config, window=window)
    rows = github_repeats(
        issue.trending, [(e.date, e.trending) for e in earlier], jump=config.daily.trending_stars_jump
    )
    return rows, len(earlier)


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
    return _repeats(store, config, candidates, [c.title for c in candidates], earlier, day=day), len(earlier)


def _repeats(
    store: Store,
    config: Config,
    candidates: list[RepeatCandidate],
    titles: list[str],
    earlier: list[tuple[dt.date, list[Item]]],
    *,
    day: dt.date,
) -> list[Repeat]:
    embedder = embedder_for(config.embed, store)
    hits = find_repeat_refs(
        candidates,
        [(d, [item_candidate(i) for i in its]) for d, its in earlier],
        day=day,
        embedder=embedder,
        semantic=Semantic(judge=llm_judge(config, store)) if embedder is not None else None,
    )
    by_date = dict(earlier)
    return [
        Repeat(i, titles[i], r.date, r.index, by_date[r.date][r.index].title, r.decision.by, r.decision.p)
        for i, refs in hits
        for r in refs
    ]


def _as_date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
