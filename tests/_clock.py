"""A clock for the fetch layer that records the waits it is asked for instead of taking them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from jianbao.ingestion.fetch import Clock

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class RecordingClock(Clock):
    """Time moves only when the fetch layer sleeps, by exactly what it asked for: ``slept`` is the list of
    computed waits (backoff, Retry-After, per-host pacing), whatever the machine's load."""

    def __init__(self) -> None:
        self.elapsed = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.elapsed

    def now(self) -> datetime:
        return START

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.elapsed += seconds
        await asyncio.sleep(0)  # still a point where other fetches run
