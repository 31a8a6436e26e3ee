"""What one ingest writes for many sources at once: each source's entries, fetch state and fetch log, in one
transaction with a savepoint per source.

A run over many small sources paid two or three commits a source (entries, fetch state, fetch log), and on
SQLite each commit also flushes the full-text indexes' pending terms into a new segment. ``store_fetched``
writes what the ingest's writer has queued in one transaction: a source whose write fails is rolled back to
its savepoint alone and recorded as failed, and the others commit. A source's fetch state (its ETag) is
written in the same transaction as its entries, so it can never be recorded without them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Text, bindparam, func, update
from sqlalchemy.exc import SQLAlchemyError

from jianbao.errors import JianbaoError
from jianbao.records import Entry
from jianbao.store import schema as t
from jianbao.store.core import TransientStoreError, utc_now
from jianbao.store.entries import EntriesMixin, UpsertCounts
from jianbao.store.search_index import Deferred
from jianbao.store.sources import FetchAttempt, SourcesMixin, log_attempts_in

__all__ = ["Fetched", "FetchedMixin", "Written"]

_RETRIES = 5  # attempts of a batch that PostgreSQL may pick as a deadlock victim


@dataclass(slots=True)
class Fetched:
    """One source's outcome to store: its entries (none when it failed), its validators or its error, and the
    HTTP attempts it made."""

    source: str
    entries: Sequence[Entry] = ()
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: Sequence[FetchAttempt] = ()


@dataclass(slots=True)
class Written:
    """What storing one source did: the upsert's counts, or the error that rolled its write back."""

    counts: UpsertCounts = field(default_factory=UpsertCounts)
    error: str | None = None
    log_error: str | None = None  # the fetch log could not be written (the entries were)


class FetchedMixin(SourcesMixin, EntriesMixin):
    """``Store.store_fetched``: many sources' writes in one transaction."""

    def store_fetched(self, batch: Sequence[Fetched]) -> list[Written]:
        """Store each source's entries, then the fetch state of all (failed where the entries could not be
        written), then the fetch log, in one transaction: each source's entries and the log behind a savepoint,
        so a failure there is theirs alone. One result per source, in order.

        The whole batch is retried when PostgreSQL picks it as a deadlock victim (it is idempotent).
        """
        for attempt in range(_RETRIES):
            try:
                with self.begin() as conn:
                    deferred = Deferred()  # the batch's index writes, a thousand documents a statement
                    results = [self._store_entries(conn, fetched, deferred) for fetched in batch]
                    deferred.flush(conn)
                    _record_fetches(conn, batch, results)
                    _log_attempts(conn, batch, results)
                    return results
            except TransientStoreError:
                if attempt == _RETRIES - 1:
                    raise
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    def _store_entries(self, conn: Connection, fetched: Fetched, deferred: Deferred) -> Written:
        """One source's entries, behind a savepoint: a failure rolls back this source alone (and takes back
        the index writes it queued in ``deferred``)."""
        written = Written(error=fetched.error)
        if fetched.entries and written.error is None:
            try:
                with conn.begin_nested(), deferred.savepoint():
                    written.counts = self.upsert_in(conn, fetched.entries, deferred=deferred)
            except (SQLAlchemyError, JianbaoError) as exc:
                _transient(exc)
                written.error = f"store error: {_reason(exc)}"
        return written


def _record_fetches(conn: Connection, batch: Sequence[Fetched], results: Sequence[Written]) -> None:
    """Every source's fetch state in two statements: validators on success, a failure streak otherwise."""
    sources = t.sources.c
    ok = [
        {"key": f.source, "new_etag": f.etag, "new_modified": f.last_modified}
        for f, w in zip(batch, results, strict=True)
        if w.error is None
    ]
    failed = [{"key": f.source, "new_error": w.error} for f, w in zip(batch, results, strict=True) if w.error]
    if ok:  # a validator the response did not carry stays as it was
        conn.execute(
            update(t.sources)
            .where(sources.name == bindparam("key"))
            .values(
                last_success=utc_now(),
                last_error=None,
                failures=0,
                etag=func.coalesce(bindparam("new_etag", type_=Text), sources.etag),
                last_modified=func.coalesce(bindparam("new_modified", type_=Text), sources.last_modified),
            ),
            ok,
        )
    if failed:
        conn.execute(
            update(t.sources)
            .where(sources.name == bindparam("key"))
            .values(last_error=bindparam("new_error"), failures=sources.failures + 1),
            failed,
        )


def _log_attempts(conn: Connection, batch: Sequence[Fetched], results: Sequence[Written]) -> None:
    """The batch's fetch attempts in one statement, behind a savepoint: the log is not worth an entry."""
    attempts = [a for fetched in batch for a in fetched.attempts]
    if not attempts:
        return
    try:
        with conn.begin_nested():
            log_attempts_in(conn, attempts)
    except SQLAlchemyError as exc:
        _transient(exc)
        for fetched, written in zip(batch, results, strict=True):
            if fetched.attempts:
                written.log_error = _reason(exc)


def _transient(exc: Exception) -> None:
    """Re-raise a deadlock or serialisation failure: the whole batch must run again, not just this source."""
    if isinstance(exc, TransientStoreError) or getattr(getattr(exc, "orig", None), "sqlstate", None) in (
        "40P01",
        "40001",
    ):
        raise TransientStoreError(f"store error: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    if isinstance(exc, JianbaoError):
        return exc.message
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]
