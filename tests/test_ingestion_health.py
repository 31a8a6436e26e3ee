"""`sources check` tells a dead route from a quiet account (jianbao.ingestion.health)."""

from __future__ import annotations

import datetime as dt

from jianbao.ingestion.health import by_host, verdict

NOW = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


def _days_ago(n: float) -> dt.datetime:
    return NOW - dt.timedelta(days=n)


def test_an_error_is_a_dead_route_and_nothing_listed_is_empty() -> None:
    assert verdict("a", "http://r/a", error="HTTP 503", entries=0, newest=None, per_day=2, now=NOW).state == "dead"
    assert verdict("a", "http://r/a", error=None, entries=0, newest=None, per_day=2, now=NOW).state == "empty"


def test_silence_is_read_against_the_account_s_usual_rate() -> None:
    daily = dict(error=None, entries=20, per_day=3.0, now=NOW)
    assert verdict("a", "http://r/a", newest=_days_ago(1), **daily).state == "ok"  # type: ignore[arg-type]
    assert verdict("a", "http://r/a", newest=_days_ago(5), **daily).state == "quiet"  # type: ignore[arg-type]
    assert verdict("a", "http://r/a", newest=_days_ago(40), **daily).state == "stalled"  # type: ignore[arg-type]
    weekly = dict(error=None, entries=20, per_day=1 / 7, now=NOW)
    assert verdict("b", "http://r/b", newest=_days_ago(10), **weekly).state == "ok"  # type: ignore[arg-type]


def test_every_feed_of_one_route_host_stalling_together_is_a_dead_route() -> None:
    verdicts = [
        verdict("mp1", "http://wewe.local:4000/feeds/1.atom", error=None, entries=9, newest=_days_ago(30), per_day=1, now=NOW),
        verdict("mp2", "http://wewe.local:4000/feeds/2.atom", error=None, entries=9, newest=_days_ago(12), per_day=1, now=NOW),
        verdict("blog", "https://example.org/feed", error=None, entries=9, newest=_days_ago(12), per_day=1, now=NOW),
    ]
    states = {v.name: v.state for v in by_host(verdicts)}
    assert states == {"mp1": "dead", "mp2": "dead", "blog": "quiet"}
