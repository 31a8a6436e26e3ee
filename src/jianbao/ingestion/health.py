"""What a source check means: a dead route, an empty one, a stalled one, or an account that is just quiet.

公众号 feeds come through a route (RSSHub, a self-hosted wewe-rss) that breaks far more often than the account
goes silent: the route errors (dead), answers with nothing (empty), or keeps serving an old feed that no
longer grows (stalled, how the WeRead-based route behind wewe-rss failed in 2026). A quiet account posts
less than usual but within reason. ``verdict`` tells these apart from one check and the source's history;
``by_host`` turns "every feed from one route host stalled" into a dead route.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["Verdict", "by_host", "verdict"]

QUIET_FACTOR = 4  # silent for up to 4× the usual gap between posts is still "quiet"
STALLED_DAYS = 21  # silent longer than this (and longer than the quiet allowance) is "stalled"


@dataclass(frozen=True, slots=True)
class Verdict:
    """One source's state after a check: ``ok``, ``quiet``, ``stalled``, ``empty`` or ``dead``, and why."""

    name: str
    state: str
    reason: str
    host: str = ""


def verdict(
    name: str,
    url: str,
    *,
    error: str | None,
    entries: int,
    newest: dt.datetime | None,
    per_day: float,
    now: dt.datetime,
) -> Verdict:
    """The check's meaning: ``per_day`` is the source's usual rate (store history; 0 when unknown)."""
    host = urlsplit(url).hostname or ""
    if error:
        return Verdict(name, "dead", f"the route fails: {error}", host)
    if entries == 0 or newest is None:
        return Verdict(name, "empty", "the route answers but lists nothing (a broken route, or no posts yet)", host)
    silent = max(0.0, (now - newest).total_seconds() / 86400)
    usual_gap = 1 / per_day if per_day > 0 else 3.0
    allowance = max(2.0, QUIET_FACTOR * usual_gap)
    if silent <= allowance:
        return Verdict(name, "ok", f"newest entry {silent:.0f} days old", host)
    rate = f"usually {per_day:.1f} a day" if per_day else "no history yet"
    if silent <= max(STALLED_DAYS, allowance):
        return Verdict(name, "quiet", f"nothing new for {silent:.0f} days ({rate}): the account is quiet", host)
    return Verdict(name, "stalled", f"the feed is served but not updated for {silent:.0f} days ({rate}): "
                   "the route behind it has probably stopped", host)  # fmt: skip


def by_host(verdicts: Sequence[Verdict]) -> list[Verdict]:
    """When every source of one route host (two or more) is stalled, quiet or empty, the route is dead."""
    hosts: dict[str, list[Verdict]] = {}
    for v in verdicts:
        if v.host:
            hosts.setdefault(v.host, []).append(v)
    dead = {h for h, vs in hosts.items() if len(vs) >= 2 and all(v.state in ("stalled", "quiet", "empty") for v in vs)
            and any(v.state == "stalled" for v in vs)}  # fmt: skip
    return [
        Verdict(v.name, "dead", f"every feed from {v.host} stalled together: the route is down, not the account "
                f"({v.reason})", v.host) if v.host in dead else v
        for v in verdicts
    ]  # fmt: skip
