"""The desk's landing page, what an editor sees first in the morning: the latest drafts of each edition with
one click to carry on, the latest published issue, the last `jianbao run` with its warnings and errors, and
the health of the sources (the store's ``source_health``: last success, failures in a row, a run's flag).

The health and the runs are the store's (``store/health.py``, ``store/runs.py``); this module only says what
they mean to an editor and in which order to show them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jianbao.editions import editions
from jianbao.store import IssueSummary, RunRecord, SourceHealth, Store
from jianbao.web.desk import memo

DRAFTS_SHOWN = 4  # drafts listed per edition, newest first
UNHEALTHY_STREAK = 5  # failed fetches in a row that make a source unhealthy without any run's flag
STALE_AFTER = dt.timedelta(days=3)  # no new entry for this long: worth a look
NOTES_SHOWN = 6  # warnings (and errors) of the last run listed before "and N more"


@dataclass(slots=True)
class EditionDesk:
    """One edition on the landing page: its newest drafts and its newest published issue."""

    name: str
    title: str
    drafts: list[IssueSummary] = field(default_factory=list)
    published: IssueSummary | None = None


@dataclass(slots=True)
class SourceLine:
    """One source's health as the editor reads it: a state, a label and when it last worked."""

    health: SourceHealth
    state: str  # "ok", "stale", "failing", "unhealthy", "never", "off"

    @property
    def label(self) -> str:
        h = self.health
        return {
            "ok": "正常",
            "stale": "久未更新",
            "failing": f"失败 {max(h.failed_fetches, h.failed_runs)} 次",
            "unhealthy": f"连续 {h.failed_runs} 次运行失败"
            if h.flagged
            else f"连续失败 {h.failed_fetches} 次",
            "never": "尚未抓到",
            "off": "运行已停用" if h.disabled_by_run else "已停用",
        }[self.state]


@dataclass(slots=True)
class Morning:
    editions: list[EditionDesk]
    resume: IssueSummary | None  # the draft saved last: the one click to continue
    sources: list[SourceLine]
    run: RunRecord | None  # the last `jianbao run`

    @property
    def troubled(self) -> int:
        return sum(s.state in ("failing", "unhealthy", "never", "stale") for s in self.sources)


def overview(store: Store, *, now: dt.datetime) -> Morning:
    """What the landing page shows, read from the store (``now``: aware, for the sources' staleness)."""
    rows = store.list_issues()
    desks = []
    for name, edition in editions().items():
        mine = [r for r in rows if r["format"] == name]
        desks.append(
            EditionDesk(
                name=name,
                title=edition.title,
                drafts=[r for r in mine if r["state"] == "draft"][:DRAFTS_SHOWN],
                published=next((r for r in mine if r["state"] == "published"), None),
            )
        )
    drafts = [r for r in rows if r["state"] == "draft"]
    resume = max(drafts, key=lambda r: (r["updated_at"], r["date"]), default=None)
    runs = store.latest_runs(1)
    run = runs[0] if runs else None
    # The health reads every entry (per-day counts, the newest of each source): cached until the entries, a
    # source's fetch state, the last run (runs write the failure streaks) or the run switch-offs change
    # (`jianbao sources enable` clears one), and once a day.
    fetch_state = tuple(
        (s.name, s.enabled, s.failures, s.last_success, s.last_error) for s in store.list_sources()
    )
    ran = (run.id, run.state, run.ended_at, repr(run.counts)) if run else None
    off = frozenset(store.disabled_by_runs())
    key = ("source health", store.change_marks(), fetch_state, ran, off, now.date())
    health = memo(key, lambda: store.source_health(now=now))
    return Morning(desks, resume, source_lines(health, now=now), run)


def source_lines(health: list[SourceHealth], *, now: dt.datetime) -> list[SourceLine]:
    """Every source with its state, the troubled ones first (longest failure streak first)."""
    out = []
    for h in health:
        newest = h.last_entry or h.last_success
        if not h.enabled or h.disabled_by_run:
            state = "off"
        elif h.flagged or h.failed_fetches >= UNHEALTHY_STREAK:
            state = "unhealthy"
        elif h.failed_fetches or h.failed_runs:
            state = "failing"
        elif h.last_success is None:
            state = "never"
        elif newest is not None and now - newest > STALE_AFTER:
            state = "stale"
        else:
            state = "ok"
        out.append(SourceLine(h, state))
    order = {"unhealthy": 0, "failing": 1, "never": 2, "stale": 3, "ok": 4, "off": 5}
    return sorted(
        out,
        key=lambda s: (order[s.state], -max(s.health.failed_fetches, s.health.failed_runs), s.health.name),
    )
