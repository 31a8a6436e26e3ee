"""The desk's landing page, what an editor sees first in the morning: the latest drafts of each edition with
one click to carry on, the latest published issue, and the health of the sources (from their fetch state:
the last success and the failure streak)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jianbao.editions import editions
from jianbao.records import Source
from jianbao.store import IssueSummary, Store

DRAFTS_SHOWN = 4  # drafts listed per edition, newest first
UNHEALTHY_STREAK = 5  # consecutive failed fetches that make a source unhealthy (records.Source.failures)
STALE_AFTER = dt.timedelta(days=2)  # a source whose last success is older than this is stale


@dataclass(slots=True)
class EditionDesk:
    """One edition on the landing page: its newest drafts and its newest published issue."""

    name: str
    title: str
    drafts: list[IssueSummary] = field(default_factory=list)
    published: IssueSummary | None = None


@dataclass(slots=True)
class SourceHealth:
    """One source's fetch state as the editor reads it."""

    name: str
    title: str
    kind: str
    enabled: bool
    failures: int
    last_success: dt.datetime | None
    last_error: str | None
    state: str  # "ok", "stale", "failing", "unhealthy", "never", "off"

    @property
    def label(self) -> str:
        return {
            "ok": "正常",
            "stale": "久未更新",
            "failing": f"失败 {self.failures} 次",
            "unhealthy": f"连续失败 {self.failures} 次",
            "never": "从未成功",
            "off": "已停用",
        }[self.state]


@dataclass(slots=True)
class Morning:
    editions: list[EditionDesk]
    resume: IssueSummary | None  # the draft saved last: the one click to continue
    sources: list[SourceHealth]

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
    return Morning(desks, resume, source_health(store.list_sources(), now=now))


def source_health(sources: list[Source], *, now: dt.datetime) -> list[SourceHealth]:
    """Every source with its state, the troubled ones first (longest failure streak first)."""
    out = []
    for source in sources:
        last = source.last_success
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=dt.UTC)
        if not source.enabled:
            state = "off"
        elif source.failures >= UNHEALTHY_STREAK:
            state = "unhealthy"
        elif source.failures:
            state = "failing"
        elif last is None:
            state = "never"
        elif now - last > STALE_AFTER:
            state = "stale"
        else:
            state = "ok"
        out.append(
            SourceHealth(
                name=source.name,
                title=source.display_name,
                kind=source.kind,
                enabled=source.enabled,
                failures=source.failures,
                last_success=last,
                last_error=source.last_error,
                state=state,
            )
        )
    order = {"unhealthy": 0, "failing": 1, "never": 2, "stale": 3, "ok": 4, "off": 5}
    return sorted(out, key=lambda s: (order[s.state], -s.failures, s.name))
