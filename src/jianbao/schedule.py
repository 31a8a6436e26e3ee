"""`jianbao run` as a long-running service: the ``[schedule]`` table's cron expressions, evaluated by
APScheduler's ``CronTrigger`` in the schedule's time zone (Asia/Shanghai by default, daylight saving
handled by the library), and a small loop that sleeps until the next firing and runs the job.

The loop is ours and not APScheduler's ``BlockingScheduler`` for one reason: it takes its clock and its sleep
as arguments, so tests drive a week of firings in microseconds with an injected clock instead of waiting.
Jobs firing at the same minute are one run (the weekly and the daily on a Friday morning build in one run);
a firing missed while a run was still going is skipped, not queued (APScheduler's ``coalesce``).
"""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.triggers.cron import CronTrigger

from jianbao.config import Config

__all__ = ["Firing", "ScheduledJob", "next_firing", "scheduled_jobs", "serve"]


@dataclass(frozen=True, slots=True)
class ScheduledJob:
    """One line of ``[schedule]``: an edition's cron expression, or the fetch-only runs (``editions`` empty)."""

    name: str
    cron: str
    editions: tuple[str, ...]

    def trigger(self, timezone: str) -> CronTrigger:
        return CronTrigger.from_crontab(self.cron, timezone=zoneinfo.ZoneInfo(timezone))


@dataclass(frozen=True, slots=True)
class Firing:
    """The jobs due at one moment, merged: which editions to build (none: fetch only)."""

    at: dt.datetime
    jobs: tuple[ScheduledJob, ...]

    @property
    def editions(self) -> list[str]:
        return list(dict.fromkeys(e for job in self.jobs for e in job.editions))


def scheduled_jobs(config: Config) -> list[ScheduledJob]:
    """The ``[schedule]`` jobs: one per edition with a cron expression, plus the fetch-only job if set."""
    jobs = [ScheduledJob(name, cron, (name,)) for name, cron in config.schedule.editions.items() if cron.strip()]
    if config.schedule.fetch.strip():
        jobs.append(ScheduledJob("fetch", config.schedule.fetch, ()))
    return jobs


def next_firing(jobs: list[ScheduledJob], *, timezone: str, after: dt.datetime) -> Firing | None:
    """The next moment strictly after ``after`` at which any job fires, with every job due then."""
    times: list[tuple[dt.datetime, ScheduledJob]] = []
    for job in jobs:
        at = job.trigger(timezone).get_next_fire_time(None, after + dt.timedelta(microseconds=1))
        if at is not None:
            times.append((at, job))
    if not times:
        return None
    soonest = min(at for at, _ in times)
    return Firing(soonest, tuple(job for at, job in times if at == soonest))


def serve(
    config: Config,
    run: Callable[[Firing], None],
    *,
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    sleep: Callable[[float], None] = time.sleep,
    keep_going: Callable[[], bool] = lambda: True,
) -> None:
    """Run ``run(firing)`` at every firing of the configured schedule until ``keep_going()`` says no.

    ``clock`` gives the current time (aware), ``sleep`` waits a number of seconds: real time by default, an
    injected clock in tests. Sleeps are taken in slices of at most an hour, so a suspended machine or a
    changed clock is noticed within the hour.
    """
    jobs = scheduled_jobs(config)
    timezone = config.schedule.timezone
    last = clock()
    while keep_going():
        firing = next_firing(jobs, timezone=timezone, after=last)
        if firing is None:
            return
        while (wait := (firing.at - clock()).total_seconds()) > 0:
            sleep(min(wait, 3600.0))
        run(firing)
        last = max(firing.at, clock())  # firings missed while this run went on are skipped (coalesced)
