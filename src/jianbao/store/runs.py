"""Runs in the store: the record of each `jianbao run` (stages, counts, warnings, errors), the lock that keeps
two runs from overlapping, the issue versions runs saved, and the messages each channel was sent.

The lock is the backend's own, so it is released by whatever kills a run (``kill -9``, a reboot, a lost
connection) and nothing has to notice a stale holder: a session-level ``pg_try_advisory_lock`` held on its own
connection on PostgreSQL, an ``flock`` on a file beside the database on SQLite (the same host is the only
place a SQLite file can be shared safely anyway), a process-wide lock for an in-memory store.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import socket
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, RowMapping, select, text, update
from sqlalchemy.engine import make_url

from jianbao.store import schema as t
from jianbao.store.core import StoreCore, insert_on_conflict, utc_aware, utc_naive, utc_now

__all__ = ["DeliveryState", "RunLock", "RunRecord", "RunState", "RunsMixin"]

RunState = Literal["running", "ok", "partial", "failed", "interrupted"]
DeliveryState = Literal["sending", "sent", "failed"]

_RUN_LOCK = 7412003  # pg_try_advisory_lock key of `jianbao run`
_MEMORY_LOCKS: dict[str, threading.Lock] = {}
_MEMORY_LOCKS_GUARD = threading.Lock()


@dataclass(slots=True)
class RunRecord:
    """One run as `jianbao runs` and the desk show it; ``counts`` holds per-stage figures by stage name."""

    id: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    state: RunState
    trigger: str
    day: dt.date | None
    editions: list[str]
    counts: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    host: str = ""
    pid: int | None = None
    resumed_from: int | None = None

    @property
    def seconds(self) -> float | None:
        """How long the run took (None while it runs or when it was interrupted)."""
        return (self.ended_at - self.started_at).total_seconds() if self.ended_at else None


class RunLock:
    """The held run lock; ``release`` (or leaving the ``with`` block) lets the next run in."""

    def __init__(self, release: Any) -> None:
        self._release = release

    def release(self) -> None:
        if self._release is not None:
            release, self._release = self._release, None
            release()

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class RunsMixin(StoreCore):
    """The ``Store`` methods for runs, the run lock, run-built issue versions and deliveries."""

    # ------------------------------------------------------------------------------------------- lock
    def acquire_run_lock(self) -> RunLock | None:
        """Take the run lock without waiting; None when another run holds it."""
        if self.dialect == "postgresql":
            conn = self.engine.connect()
            got = bool(conn.execute(text(f"SELECT pg_try_advisory_lock({_RUN_LOCK})")).scalar())
            conn.commit()
            if not got:
                conn.close()
                return None

            def release_pg() -> None:
                try:
                    conn.execute(text(f"SELECT pg_advisory_unlock({_RUN_LOCK})"))
                    conn.commit()
                finally:
                    conn.close()

            return RunLock(release_pg)
        database = make_url(self.url).database or ""
        if database in ("", ":memory:") or "mode=memory" in database:
            with _MEMORY_LOCKS_GUARD:
                lock = _MEMORY_LOCKS.setdefault(self.url, threading.Lock())
            return RunLock(lock.release) if lock.acquire(blocking=False) else None
        path = Path(database.removeprefix("file:").split("?", 1)[0]).expanduser()
        fd = os.open(path.with_name(path.name + ".run-lock"), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None

        def release_file() -> None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

        return RunLock(release_file)

    # ------------------------------------------------------------------------------------------- runs
    def start_run(
        self, *, trigger: str, day: dt.date | None, editions: Sequence[str], now: dt.datetime | None = None
    ) -> RunRecord:
        """Record a new run (call with the run lock held). Runs still marked running were killed: they become
        ``interrupted``, and the newest of them is what this run resumes."""
        started = utc_naive(now) or utc_now()
        with self.begin() as conn:
            stale = conn.execute(
                select(t.runs.c.id).where(t.runs.c.state == "running").order_by(t.runs.c.id.desc())
            ).scalars().all()
            if stale:
                conn.execute(update(t.runs).where(t.runs.c.id.in_(stale)).values(state="interrupted"))
            values: dict[str, Any] = {
                "started_at": started, "state": "running", "trigger": trigger, "day": day,
                "editions": list(editions), "counts": {}, "warnings": [], "errors": [],
                "host": socket.gethostname(), "pid": os.getpid(), "resumed_from": stale[0] if stale else None,
            }  # fmt: skip
            run_id = conn.execute(t.runs.insert().values(**values).returning(t.runs.c.id)).scalar_one()
        got = self.get_run(int(run_id))
        assert got is not None
        return got

    def save_run(self, run: RunRecord) -> None:
        """Write the run's state, counts, warnings and errors as they are now (after every stage)."""
        with self.begin() as conn:
            conn.execute(
                update(t.runs).where(t.runs.c.id == run.id).values(
                    state=run.state, ended_at=utc_naive(run.ended_at), counts=run.counts,
                    warnings=list(run.warnings), errors=list(run.errors),
                )
            )  # fmt: skip

    def get_run(self, run_id: int) -> RunRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.runs).where(t.runs.c.id == run_id)).mappings().first()
        return _run(row) if row else None

    def latest_runs(self, limit: int = 20) -> list[RunRecord]:
        """The newest runs first: what `jianbao runs` lists and the desk's landing page shows."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.runs).order_by(t.runs.c.id.desc()).limit(limit)).mappings().all()
        return [_run(row) for row in rows]

    def running_run(self) -> RunRecord | None:
        """The run marked running (the lock holder's, or a killed one not yet noticed), if any."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.runs).where(t.runs.c.state == "running").order_by(t.runs.c.id.desc()).limit(1)
            ).mappings().first()
        return _run(row) if row else None

    # --------------------------------------------------------------------------------- built versions
    def record_build(self, issue_id: str, *, run_id: int, version: int) -> None:
        """Remember that run ``run_id`` saved version ``version`` of an issue."""
        with self.begin() as conn:
            _upsert(conn, self.dialect, t.run_builds, ["issue_id"],
                    {"issue_id": issue_id, "run_id": run_id, "version": version})  # fmt: skip

    def built_version(self, issue_id: str) -> int | None:
        """The version of an issue the last run saved (None: no run ever built it)."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(t.run_builds.c.version).where(t.run_builds.c.issue_id == issue_id)
            ).scalar_one_or_none()

    # ------------------------------------------------------------------------------------- deliveries
    def delivery_states(self, issue_id: str, channel: str) -> dict[int, DeliveryState]:
        """Message number → state of what was sent of an issue to a channel."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.deliveries.c.part, t.deliveries.c.state).where(
                    t.deliveries.c.issue_id == issue_id, t.deliveries.c.channel == channel
                )
            ).all()
        return {int(r.part): r.state for r in rows}

    def record_delivery(
        self,
        issue_id: str,
        channel: str,
        *,
        part: int,
        parts: int,
        state: DeliveryState,
        size: int = 0,
        detail: str | None = None,
        run_id: int | None = None,
    ) -> None:
        """Write one message's state (``sending`` before it goes, ``sent`` or ``failed`` after)."""
        values = {"issue_id": issue_id, "channel": channel, "part": part, "parts": parts, "state": state,
                  "size": size, "detail": detail, "run_id": run_id, "at": utc_now()}  # fmt: skip
        with self.begin() as conn:
            _upsert(conn, self.dialect, t.deliveries, ["issue_id", "channel", "part"], values)

    def deliveries_of(self, issue_id: str) -> list[dict[str, Any]]:
        """Every recorded message of an issue: channel, part, parts, state, size, detail, at."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.deliveries).where(t.deliveries.c.issue_id == issue_id)
                .order_by(t.deliveries.c.channel, t.deliveries.c.part)
            ).mappings().all()  # fmt: skip
        return [dict(row) for row in rows]


def _upsert(conn: Connection, dialect: str, table: Any, keys: list[str], values: Mapping[str, Any]) -> None:
    stmt = insert_on_conflict(table, dialect=dialect).values(**values)
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_={k: v for k, v in values.items()
                                                                        if k not in keys}))  # fmt: skip


def _run(row: RowMapping) -> RunRecord:
    started = utc_aware(row["started_at"])
    assert started is not None
    return RunRecord(
        id=row["id"], started_at=started, ended_at=utc_aware(row["ended_at"]), state=row["state"],
        trigger=row["trigger"], day=row["day"], editions=list(row["editions"] or []),
        counts=dict(row["counts"] or {}), warnings=list(row["warnings"] or []), errors=list(row["errors"] or []),
        host=row["host"] or "", pid=row["pid"], resumed_from=row["resumed_from"],
    )  # fmt: skip
