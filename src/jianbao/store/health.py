"""Source health in the store: per source, its last success, how many runs in a row it failed, how many
entries a day it brings, and whether a run flagged it or switched it off.

The fetch state (``sources``: last success, last error, failed fetches in a row) is written by every fetch;
``source_health`` counts *runs*, so a flag means "failing N scheduled runs in a row", whatever was fetched
by hand in between. A source a run switched off stays off (``disabled_at``) until `jianbao sources enable`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select, update

from jianbao.store import schema as t
from jianbao.store.core import StoreCore, insert_on_conflict, utc_aware, utc_naive, utc_now

__all__ = ["HealthChange", "HealthMixin", "SourceHealth"]

HEALTH_DAYS = 14  # entries per day are averaged over this many days


@dataclass(slots=True)
class SourceHealth:
    """One source's health as `jianbao sources list`, the run report and the desk show it."""

    name: str
    title: str
    kind: str
    url: str
    enabled: bool  # in the config
    last_success: dt.datetime | None
    last_error: str | None
    failed_fetches: int  # fetches in a row that failed (any fetch, by hand or by a run)
    failed_runs: int  # runs in a row in which this source failed
    flagged: bool  # failed_runs reached [run] flag_after
    disabled_by_run: bool  # switched off by a run after [run] disable_after failures
    entries_per_day: float  # over the last HEALTH_DAYS days
    last_entry: dt.datetime | None  # the newest entry's date (published, else fetched)

    @property
    def status(self) -> str:
        """ok, failing (N×), flagged or disabled: one word for a table column."""
        if self.disabled_by_run:
            return "disabled"
        if self.flagged:
            return "flagged"
        return f"failing ({self.failed_runs}×)" if self.failed_runs else "ok"


@dataclass(slots=True)
class HealthChange:
    """What recording one run's outcome changed: sources newly flagged, newly switched off, recovered."""

    flagged: list[str]
    disabled: list[str]
    recovered: list[str]


class HealthMixin(StoreCore):
    """The ``Store`` methods for source health."""

    def record_run_health(
        self,
        outcomes: Mapping[str, str | None],
        *,
        flag_after: int,
        disable_after: int = 0,
        now: dt.datetime | None = None,
    ) -> HealthChange:
        """Count one run's outcome per source (name → error, None when it worked); flag a source failing
        ``flag_after`` runs in a row, switch it off after ``disable_after`` (0: never)."""
        at = utc_naive(now) or utc_now()
        change = HealthChange([], [], [])
        with self.begin() as conn:
            rows = conn.execute(select(t.source_health)).mappings().all()
            known = {row["source"]: row for row in rows}
            for name, error in outcomes.items():
                row = known.get(name)
                before = int(row["failed_runs"]) if row else 0
                streak = before + 1 if error else 0
                values: dict[str, object] = {
                    "failed_runs": streak, "last_run_at": at, "last_run_error": error,
                    "flagged_at": row["flagged_at"] if row else None,
                    "disabled_at": row["disabled_at"] if row else None,
                }  # fmt: skip
                if error and streak >= flag_after and values["flagged_at"] is None:
                    values["flagged_at"] = at
                    change.flagged.append(name)
                if error and disable_after and streak >= disable_after and values["disabled_at"] is None:
                    values["disabled_at"] = at
                    change.disabled.append(name)
                if not error:
                    if before:
                        change.recovered.append(name)
                    values["flagged_at"] = None
                stmt = insert_on_conflict(t.source_health, dialect=self.dialect).values(source=name, **values)
                conn.execute(stmt.on_conflict_do_update(index_elements=["source"], set_=values))
        return change

    def disabled_by_runs(self) -> set[str]:
        """Sources a run switched off (skipped by runs until re-enabled)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.source_health.c.source).where(t.source_health.c.disabled_at.is_not(None))
            ).scalars()
            return set(rows)

    def reenable_source(self, name: str) -> bool:
        """Forget a run's switch-off and the failure streak of a source; False when nothing was recorded."""
        with self.begin() as conn:
            res = conn.execute(
                update(t.source_health).where(t.source_health.c.source == name)
                .values(disabled_at=None, flagged_at=None, failed_runs=0)
            )  # fmt: skip
        return res.rowcount > 0

    def source_health(self, *, now: dt.datetime | None = None, days: int = HEALTH_DAYS) -> list[SourceHealth]:
        """Every known source's health, in the order sources were first synced."""
        end = utc_naive(now) or utc_now()
        start = end - dt.timedelta(days=days)
        when = func.coalesce(t.entries.c.published, t.entries.c.fetched)
        recent = (
            select(t.entries.c.source, func.count().label("n"))
            .where(when >= start, when <= end)
            .group_by(t.entries.c.source)
        )
        newest = select(t.entries.c.source, func.max(when).label("last")).group_by(t.entries.c.source)
        with self.engine.connect() as conn:
            sources = conn.execute(select(t.sources).order_by(t.sources.c.id)).mappings().all()
            health = {r["source"]: r for r in conn.execute(select(t.source_health)).mappings()}
            counts = {r.source: int(r.n) for r in conn.execute(recent)}
            last = {r.source: r.last for r in conn.execute(newest)}
        out = []
        for row in sources:
            name = row["name"]
            h = health.get(name)
            out.append(
                SourceHealth(
                    name=name, title=row["title"] or "", kind=row["kind"], url=row["url"],
                    enabled=bool(row["enabled"]), last_success=utc_aware(row["last_success"]),
                    last_error=row["last_error"], failed_fetches=int(row["failures"] or 0),
                    failed_runs=int(h["failed_runs"]) if h else 0,
                    flagged=bool(h and h["flagged_at"] is not None),
                    disabled_by_run=bool(h and h["disabled_at"] is not None),
                    entries_per_day=round(counts.get(name, 0) / days, 2),
                    last_entry=utc_aware(_as_datetime(last.get(name))),
                )
            )  # fmt: skip
        return out


def _as_datetime(value: object) -> dt.datetime | None:
    """SQLite hands back max() of a DateTime column as text."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))
