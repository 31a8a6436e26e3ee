"""Sources in the store: the ``sources`` table mirrored from the config, each source's fetch state
(validators, failure streak), and the log of every fetch attempt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, cast, get_args

from sqlalchemy import Connection, RowMapping, insert, select, update

from jianbao.records import Scope, Source
from jianbao.safety import safe_text
from jianbao.store import schema as t
from jianbao.store.core import StoreCore, insert_on_conflict, utc_aware, utc_naive, utc_now

__all__ = ["FetchAttempt", "SourcesMixin", "log_attempts_in", "record_fetch_in"]


class FetchAttempt(Protocol):
    """One HTTP try as the fetch log keeps it (``jianbao.ingestion.fetch.Attempt`` is one)."""

    @property
    def source(self) -> str | None: ...
    @property
    def url(self) -> str: ...
    @property
    def number(self) -> int: ...
    @property
    def started_at(self) -> dt.datetime: ...
    @property
    def status(self) -> int | None: ...
    @property
    def bytes(self) -> int: ...
    @property
    def elapsed(self) -> float: ...
    @property
    def error(self) -> str | None: ...


class SourcesMixin(StoreCore):
    """The ``Store`` methods for sources, their fetch state and the fetch log."""

    def sync_sources(self, sources: Iterable[Source]) -> None:
        """Make the sources table mirror the config, keeping each source's fetch state."""
        with self.begin() as conn:
            for src in sources:
                values = {
                    "kind": src.kind,
                    "url": src.url,
                    "title": safe_text(src.title),  # printed after "|" and on the desk: no control, no script
                    "region": src.region,
                    "weight": src.weight,
                    "enabled": src.enabled,
                    "options": src.options,
                    "scope": src.scope,
                }
                # Upsert by name: two runs syncing the same config at once must not collide on the unique name.
                stmt = insert_on_conflict(t.sources, dialect=self.dialect).values(
                    name=src.name, failures=0, **values
                )
                conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_=values))

    def list_sources(self) -> list[Source]:
        """Every source the store knows, in the order they were first synced."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.sources).order_by(t.sources.c.id)).mappings().all()
        return [_source(row) for row in rows]

    def get_source(self, name: str) -> Source | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.sources).where(t.sources.c.name == name)).mappings().first()
        return _source(row) if row else None

    def record_fetch(
        self,
        name: str,
        *,
        ok: bool,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Remember the outcome of one source's fetch: validators on success, a failure streak otherwise."""
        with self.begin() as conn:
            record_fetch_in(conn, name, ok=ok, error=error, etag=etag, last_modified=last_modified)

    def set_source_enabled(self, name: str, enabled: bool) -> bool:
        """Switch a source on or off; False when the store has no source of that name."""
        with self.begin() as conn:
            res = conn.execute(update(t.sources).where(t.sources.c.name == name).values(enabled=enabled))
        return res.rowcount > 0

    def log_attempts(self, attempts: Iterable[FetchAttempt]) -> None:
        """Persist fetch attempts (one row of ``fetch_log`` each)."""
        with self.begin() as conn:
            log_attempts_in(conn, attempts)


def record_fetch_in(
    conn: Connection,
    name: str,
    *,
    ok: bool,
    error: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> None:
    """``Store.record_fetch`` inside the caller's transaction."""
    values: dict[str, object]  # column values, or a SQL expression for the failure count
    if ok:
        values = {"last_success": utc_now(), "last_error": None, "failures": 0}
        if etag is not None:
            values["etag"] = etag
        if last_modified is not None:
            values["last_modified"] = last_modified
    else:
        values = {"last_error": error, "failures": t.sources.c.failures + 1}
    conn.execute(update(t.sources).where(t.sources.c.name == name).values(**values))


def log_attempts_in(conn: Connection, attempts: Iterable[FetchAttempt]) -> None:
    """``Store.log_attempts`` inside the caller's transaction."""
    rows = [
        {
            "source": a.source,
            "url": a.url,
            "attempt": a.number,
            "status": a.status,
            "bytes": a.bytes or 0,
            "elapsed": a.elapsed or 0.0,
            "error": a.error,
            "started_at": utc_naive(a.started_at) or utc_now(),
        }
        for a in attempts
    ]
    if rows:
        conn.execute(insert(t.fetch_log), rows)


def _source(row: RowMapping) -> Source:
    return Source(
        name=row["name"],
        url=row["url"],
        kind=row["kind"],
        title=row["title"],
        region=row["region"],
        weight=row["weight"],
        enabled=row["enabled"],
        options=row["options"] or {},
        scope=_scope(row["scope"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_success=utc_aware(row["last_success"]),
        last_error=row["last_error"],
        failures=row["failures"],
    )


def _scope(value: object) -> Scope:
    """A stored scope, ``auto`` for anything this version does not know."""
    return cast(Scope, value) if value in get_args(Scope) else "auto"
