"""The daily's GitHub 趋势 table on the desk: the day's snapshot, and dropping, restoring, moving and rewording
its rows. Like every desk change, each is saved with a note, so it can be undone."""

from __future__ import annotations

import datetime as dt

from jianbao.config import Config
from jianbao.editions import get_edition
from jianbao.issue.trending import trending_table
from jianbao.records import TrendingRow
from jianbao.store import Store
from jianbao.web.desk import DeskError, Draft, checked_draft, memo, save, trending_edition

TRENDING_POOL = 50  # rows offered for restoring: the day's whole trending snapshot, within reason
_ROW_DESC_MAX = 200


def trending_pool(store: Store, config: Config, day: dt.date, fmt: str) -> list[TrendingRow]:
    """The day's trending rows as ``jianbao build`` computes them for the edition, before any curation."""
    rows, _sources = trending_table(store, get_edition(fmt), config, day, limit=TRENDING_POOL)
    return rows


def spare_rows(store: Store, draft: Draft, config: Config) -> list[TrendingRow]:
    """Rows of the day's snapshot that the draft does not show: dropped ones, and any beyond the limit."""
    if get_edition(draft.issue.format).trending is None or not draft.editable:
        return []
    shown = {row.repo.lower() for row in draft.issue.trending}
    key = ("trending pool", store.change_marks(), id(config), draft.issue.date, draft.issue.format)
    pool = memo(key, lambda: trending_pool(store, config, draft.issue.date, draft.issue.format))
    return [row for row in pool if row.repo.lower() not in shown]


def _row(draft: Draft, index: int) -> int:
    trending_edition(draft)
    if not 0 <= index < len(draft.issue.trending):
        raise DeskError("找不到这一行趋势，请刷新页面")
    return index


def drop_row(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, index: int) -> Draft:
    draft = checked_draft(store, day, fmt, config, version)
    row = draft.issue.trending.pop(_row(draft, index))
    return save(store, draft, config, expected_version=version, note=f"移除趋势：{row.repo}")


def restore_row(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, repo: str) -> Draft:
    """Put a dropped (or not yet shown) row of the day's snapshot back, at the end of the table."""
    draft = checked_draft(store, day, fmt, config, version)
    trending_edition(draft)
    if any(row.repo.lower() == repo.lower() for row in draft.issue.trending):
        raise DeskError("这个仓库已经在趋势表里了")
    found = next((row for row in spare_rows(store, draft, config) if row.repo.lower() == repo.lower()), None)
    if found is None:
        raise DeskError("当天的趋势快照里没有这个仓库，请刷新页面")
    draft.issue.trending.append(found)
    return save(store, draft, config, expected_version=version, note=f"恢复趋势：{found.repo}")


def move_row(
    store: Store, config: Config, day: dt.date, fmt: str, *, version: int, index: int, direction: str
) -> Draft:
    """Move a trending row one place up or down (the keyboard's way; drag and drop uses ``reorder``)."""
    draft = checked_draft(store, day, fmt, config, version)
    rows = draft.issue.trending
    pos = _row(draft, index)
    if direction not in ("up", "down"):
        raise DeskError(f"不能这样移动：{direction}")
    other = pos - 1 if direction == "up" else pos + 1
    if not 0 <= other < len(rows):
        return draft
    rows[pos], rows[other] = rows[other], rows[pos]
    return save(store, draft, config, expected_version=version, note=f"移动趋势：{rows[other].repo}")


def edit_row(
    store: Store, config: Config, day: dt.date, fmt: str, *, version: int, index: int, value: str
) -> Draft:
    """Change a trending row's one-line description (newlines fold into spaces: the table is one line each)."""
    draft = checked_draft(store, day, fmt, config, version)
    text = " ".join(value.split())
    if len(text) > _ROW_DESC_MAX:
        raise DeskError(f"说明太长了（{len(text)} 字），一行不超过 {_ROW_DESC_MAX} 字")
    row = draft.issue.trending[_row(draft, index)]
    row.desc = text
    return save(store, draft, config, expected_version=version, note=f"修改趋势说明：{row.repo}")
