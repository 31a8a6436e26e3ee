"""The [schedule] table on APScheduler's cron triggers, driven by an injected clock (no sleeps)."""

from __future__ import annotations

import datetime as dt

import pytest

from jianbao.config import ConfigError, parse_config
from jianbao.schedule import Firing, next_firing, scheduled_jobs, serve

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


class FakeClock:
    """Time moves only when the loop sleeps."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> dt.datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += dt.timedelta(seconds=seconds)


def test_cron_expressions_fire_in_shanghai_time_by_default() -> None:
    config = parse_config('[schedule.editions]\ndaily = "30 6 * * *"\nweekly = "30 6 * * fri"\n')
    jobs = scheduled_jobs(config)
    after = dt.datetime(2026, 11, 19, 23, 0, tzinfo=dt.UTC)  # Friday 07:00 in Shanghai
    firing = next_firing(jobs, timezone=config.schedule.timezone, after=after)
    assert firing is not None
    assert firing.at == dt.datetime(2026, 11, 21, 6, 30, tzinfo=SHANGHAI)  # Friday's 06:30 has passed
    assert firing.editions == ["daily"]
    friday = next_firing(jobs, timezone="Asia/Shanghai", after=dt.datetime(2026, 11, 19, 12, 0, tzinfo=dt.UTC))
    assert friday is not None and friday.editions == ["daily", "weekly"]  # one run builds both


def test_the_service_loop_runs_a_week_of_firings_on_an_injected_clock() -> None:
    config = parse_config('[schedule]\nfetch = "0 */6 * * *"\n[schedule.editions]\ndaily = "30 6 * * *"\n'
                          'weekly = "0 7 * * fri"\n')  # fmt: skip
    clock = FakeClock(dt.datetime(2026, 11, 16, 0, 0, tzinfo=SHANGHAI))  # a Monday
    fired: list[Firing] = []
    serve(config, fired.append, clock=clock, sleep=clock.sleep, keep_going=lambda: len(fired) < 35)
    local = [(f.at.astimezone(SHANGHAI).strftime("%a %H:%M"), tuple(f.editions)) for f in fired]
    assert local[:3] == [("Mon 06:00", ()), ("Mon 06:30", ("daily",)), ("Mon 12:00", ())]
    assert ("Fri 07:00", ("weekly",)) in local
    assert sum(1 for _at, eds in local if eds == ("daily",)) == 7
    assert max(clock.slept) <= 3600  # long waits are taken in slices


def test_a_long_run_skips_the_firings_it_overlapped() -> None:
    config = parse_config('[schedule]\nfetch = "*/10 * * * *"\n[schedule.editions]\n')
    clock = FakeClock(dt.datetime(2026, 11, 16, 0, 0, tzinfo=SHANGHAI))
    fired: list[dt.datetime] = []

    def slow(firing: Firing) -> None:
        fired.append(firing.at)
        clock.now += dt.timedelta(minutes=25)  # the run takes 25 minutes

    serve(config, slow, clock=clock, sleep=clock.sleep, keep_going=lambda: len(fired) < 3)
    assert [(t - fired[0]).total_seconds() / 60 for t in fired] == [0, 30, 60]


def test_a_bad_schedule_is_a_config_error_with_its_line() -> None:
    with pytest.raises(ConfigError, match=r"jianbao.toml:1: schedule.editions: not a cron expression"):
        parse_config('[schedule.editions]\ndaily = "61 6 * * *"\n')
    with pytest.raises(ConfigError, match="not a time zone"):
        parse_config('[schedule]\ntimezone = "China/Beijing"\n')
