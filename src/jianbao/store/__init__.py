"""The store: records in and out of SQLite (default) or PostgreSQL through one SQLAlchemy Core layer.

Every write is one transaction and idempotent: entries are upserted by canonical URL, issues by id
(``weekly:2021-03-05``), so re-running a fetch or an import never duplicates and a crash never leaves half
an issue behind.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from jianbao.errors import StoreError
from jianbao.records import (
    Entry,
    Issue,
    Item,
    Link,
    Source,
    issue_from_dict,
    to_dict,
)
from jianbao.store import schema as t
from jianbao.store.migrations import migrate, schema_version

__all__ = ["HistoryItem", "Store", "UpsertCounts", "open_store"]


class TransientStoreError(StoreError):
    """A write lost a deadlock or serialisation race; running the same transaction again succeeds."""


_RETRYABLE = {"40P01", "40001"}  # PostgreSQL: deadlock_detected, serialization_failure
_RETRIES = 5


def _utc_naive(value: dt.datetime | None) -> dt.datetime | None:
    """Datetimes are stored as naive UTC (SQLite has no zones); aware values are converted first."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def content_hash(entry: Entry) -> str:
    """What makes a re-fetched entry 'changed': the text a reader would see, not fetch timestamps."""
    payload = json.dumps(
        [
            entry.title,
            entry.summary,
            entry.content,
            entry.author,
            str(entry.published),
            entry.images,
            [(link.url, link.key) for link in entry.links],
            entry.extra,
        ],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class HistoryItem:
    """A published item as the clustering stage sees it when asking "already covered?"."""

    issue_id: str
    date: dt.date
    position: int
    title: str
    text: str
    url: str | None
    keys: list[str]
    section: str = ""
    story_id: str | None = None


def _sqlite_module() -> Any | None:
    # The stdlib SQLite here is 3.40; pysqlite3-binary bundles a newer one whose trigram FTS answers
    # two-character CJK queries. Fall back silently to the stdlib where the wheel is absent.
    try:
        import pysqlite3.dbapi2 as module  # type: ignore[import-not-found]
    except ImportError:
        return None
    return module


_SQLITE_BEGIN = "jianbao_sqlite_begin"
_SQLITE_MMAP = 1 << 30  # bytes of a store file SQLite reads through mmap (address space, not memory)
_SQLITE_VARIABLES = 32766  # bound parameters one SQLite statement may hold (3.32 and later)
_ROWS_PER_INSERT = 500  # rows per multi-row INSERT (Store._driver_insert)
_ISSUE_LOCK_SPACE = 7412002  # pg_advisory_xact_lock(space, hashtext(issue id)): one saver per issue


def _make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"not a store URL: {url!r}", hint="use sqlite:///path/to/file.db or postgresql+psycopg://…"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for {database}: {exc.strerror}") from None
        kwargs: dict[str, Any] = {"connect_args": {"timeout": 30, "check_same_thread": False}}
        module = _sqlite_module()
        if module is not None:
            kwargs["module"] = module
        if database in ("", ":memory:"):
            from sqlalchemy.pool import StaticPool

            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Take transaction control from the driver so writers can BEGIN IMMEDIATE (see _begin).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            if database not in ("", ":memory:"):
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
                # Reads map the file instead of copying pages through a 2 MB cache per connection: a search
                # reads a thousand scattered rows, and each read() cost as much as ranking the row.
                cur.execute(f"PRAGMA mmap_size={_SQLITE_MMAP}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # A writer takes the write lock up front: a deferred transaction that reads and then writes fails
            # with SQLITE_BUSY (no waiting) when another process committed in between.
            mode = conn.get_execution_options().get(_SQLITE_BEGIN, "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    if backend == "postgresql":
        try:
            return create_engine(url, pool_pre_ping=True)
        except (NoSuchModuleError, ImportError) as exc:
            raise StoreError(f"PostgreSQL driver missing: {exc}", hint="use postgresql+psycopg://") from None
    raise StoreError(f"unsupported store backend {backend!r}", hint="use sqlite:/// or postgresql+psycopg://")


class Store:
    """A handle on one store; open with ``open_store(url)`` and close (or use as a context manager)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._driver_inserts = {}
        self.engine = _make_engine(url)
        self.dialect = self.engine.dialect.name
        try:
            with self._write() as conn:
                if self.dialect == "postgresql":  # two processes opening a fresh store must not both run m001
                    conn.execute(text("SELECT pg_advisory_xact_lock(7412001)"))
                self.migrations_ran = migrate(conn)
        except OperationalError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open store {self.safe_url}: {exc.orig}") from None
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open store {self.safe_url}: {exc}") from None

    @property
    def safe_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction: BEGIN IMMEDIATE on SQLite (writers queue on busy_timeout), plain on PG."""
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                conn.execution_options(**{_SQLITE_BEGIN: "IMMEDIATE"})
            with conn.begin():
                yield conn

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A write transaction with driver errors turned into one-line StoreErrors."""
        try:
            with self._write() as conn:
                yield conn
        except OperationalError as exc:
            error = TransientStoreError if getattr(exc.orig, "sqlstate", None) in _RETRYABLE else StoreError
            raise error(f"store error ({self.safe_url}): {exc.orig}") from None

    def analyze(self) -> None:
        """Refresh the query planner's statistics; call after a bulk import or copy.

        A freshly filled PostgreSQL table has none until autovacuum comes round (a minute or more, or
        never when it is off), and search plans are then guessed: at 100k items 模型 took a bitmap scan
        of all 56,007 matches (93 ms) where the statistics lead to a newest-first date-index walk (36 ms).
        On SQLite ``PRAGMA optimize`` does the same for the tables whose statistics are stale.
        """
        with self.begin() as conn:
            conn.execute(text("ANALYZE" if self.dialect == "postgresql" else "PRAGMA optimize"))

    @property
    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return schema_version(conn)

    # ----------------------------------------------------------------- sources
    def sync_sources(self, sources: Iterable[Source]) -> None:
        """Make the sources table mirror the config, keeping each source's fetch state."""
        with self.begin() as conn:
            for src in sources:
                values = {
                    "kind": src.kind,
                    "url": src.url,
                    "title": src.title,
                    "region": src.region,
                    "weight": src.weight,
                    "enabled": src.enabled,
                    "options": src.options,
                }
                # Upsert by name: two runs syncing the same config at once must not collide on the unique name.
                stmt = self._dialect_insert(t.sources).values(name=src.name, failures=0, **values)
                conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_=values))

    def list_sources(self) -> list[Source]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.sources).order_by(t.sources.c.id)).mappings().all()
        return [self._source(row) for row in rows]

    def get_source(self, name: str) -> Source | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.sources).where(t.sources.c.name == name)).mappings().first()
        return self._source(row) if row else None

    @staticmethod
    def _source(row: Any) -> Source:
        return Source(
            name=row["name"],
            url=row["url"],
            kind=row["kind"],
            title=row["title"],
            region=row["region"],
            weight=row["weight"],
            enabled=row["enabled"],
            options=row["options"] or {},
            etag=row["etag"],
            last_modified=row["last_modified"],
            last_success=_aware(row["last_success"]),
            last_error=row["last_error"],
            failures=row["failures"],
        )

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
            if ok:
                values: dict[str, Any] = {"last_success": _now(), "last_error": None, "failures": 0}
                if etag is not None:
                    values["etag"] = etag
                if last_modified is not None:
                    values["last_modified"] = last_modified
            else:
                values = {"last_error": error, "failures": t.sources.c.failures + 1}
            conn.execute(update(t.sources).where(t.sources.c.name == name).values(**values))

    def set_source_enabled(self, name: str, enabled: bool) -> bool:
        with self.begin() as conn:
            res = conn.execute(update(t.sources).where(t.sources.c.name == name).values(enabled=enabled))
        return res.rowcount > 0

    def log_attempts(self, attempts: Iterable[Any]) -> None:
        """Persist fetch attempts (fetch.Attempt: source, url, number, status, bytes, elapsed, error, started_at)."""
        rows = [
            {
                "source": a.source,
                "url": a.url,
                "attempt": a.number,
                "status": a.status,
                "bytes": a.bytes or 0,
                "elapsed": a.elapsed or 0.0,
                "error": a.error,
                "started_at": _utc_naive(a.started_at) or _now(),
            }
            for a in attempts
        ]
        if rows:
            with self.begin() as conn:
                conn.execute(insert(t.fetch_log), rows)

    # ----------------------------------------------------------------- entries
    def upsert_entries(self, entries: Sequence[Entry]) -> UpsertCounts:
        """Insert or update entries by canonical URL in one transaction; returns what changed.

        PostgreSQL may still pick this transaction as a deadlock victim when another writer's inserts and
        row locks interleave with ours; the whole transaction is then retried (it is idempotent).
        """
        for attempt in range(_RETRIES):
            try:
                return self._upsert_entries_once(entries)
            except TransientStoreError:
                if attempt == _RETRIES - 1:
                    raise
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    def _upsert_entries_once(self, entries: Sequence[Entry]) -> UpsertCounts:
        """One attempt of ``upsert_entries``.

        The first source that brought an article owns its text; another source bringing it again only merges
        its counters and name into ``extra`` (no ping-pong between sources on every fetch). Safe against
        concurrent fetches: rows are touched in canonical-URL order (two writers lock them in the same order
        and cannot deadlock), the existing row is locked before it is compared, an insert that loses a race
        to another process falls back to the update path, and links are replaced in the same transaction.
        """
        counts = UpsertCounts()
        now = _now()
        order = sorted(range(len(entries)), key=lambda i: entries[i].canonical_url or entries[i].url)
        ids: dict[int, int] = {}
        written: list[
            tuple[int, Entry, bool]
        ] = []  # (id, entry, replaced): rows whose links and index to write
        with self.begin() as conn:
            # One query per 500 keys for what is stored already (locked, in key order, on PostgreSQL), so
            # a re-fetch costs no SELECT per entry and an unchanged entry no statement at all.
            existing = self._existing(conn, [entries[i].canonical_url or entries[i].url for i in order])
            fresh: dict[str, tuple[int, dict[str, Any]]] = {}
            later: list[tuple[int, str, dict[str, Any]]] = []  # a second entry for a key new in this batch
            for index in order:
                entry = entries[index]
                key = entry.canonical_url or entry.url
                values = self._entry_values(entry, now)
                if key in existing:
                    entry_id, replaced = self._update_entry(conn, existing[key], entry, values, counts)
                    ids[index] = entry_id
                    if replaced:
                        written.append((entry_id, entry, True))
                elif key in fresh:
                    later.append((index, key, values))
                else:
                    fresh[key] = (index, values)
            inserted = self._insert_entries(conn, {k: v for k, (_i, v) in fresh.items()})
            for key, (index, values) in fresh.items():
                if key in inserted:
                    ids[index] = inserted[key]
                    counts.new += 1
                    written.append((inserted[key], entries[index], False))
                else:  # inserted by another process a moment ago
                    later.append((index, key, values))
            for index, key, values in sorted(later, key=lambda item: item[1]):
                row = conn.execute(
                    select(t.entries.c.id, t.entries.c.content_hash, t.entries.c.source, t.entries.c.extra)
                    .where(t.entries.c.canonical_url == key)
                    .with_for_update()
                ).one()
                entry_id, replaced = self._update_entry(conn, row, entries[index], values, counts)
                ids[index] = entry_id
                if replaced:
                    written.append((entry_id, entries[index], True))
            self._write_links_and_index(conn, written)
        for index, entry in enumerate(entries):  # ids in the caller's order
            entry.id = ids[index]
            counts.ids.append(entry.id)
        return counts

    @staticmethod
    def _entry_values(entry: Entry, now: dt.datetime) -> dict[str, Any]:
        return {
            "source": entry.source,
            "url": entry.url,
            "title": entry.title,
            "author": entry.author,
            "published": _utc_naive(entry.published),
            "fetched": _utc_naive(entry.fetched) or now,
            "summary": entry.summary,
            "content": entry.content,
            "html": entry.html,
            "language": entry.language,
            "images": entry.images,
            "extra": entry.extra,
            "content_hash": content_hash(entry),
            "updated_at": now,
        }

    @staticmethod
    def _update_entry(
        conn: Connection, row: Any, entry: Entry, values: dict[str, Any], counts: UpsertCounts
    ) -> tuple[int, bool]:
        """Update a stored entry (row: id, content_hash, source, extra); True when its text was replaced."""
        if row.source != entry.source:  # another source's article: merge counters, keep the owner's text
            merged = _merge_extra(row.extra or {}, entry.extra, entry.source)
            if merged != (row.extra or {}):
                conn.execute(update(t.entries).where(t.entries.c.id == row.id).values(extra=merged))
                counts.updated += 1
            else:
                counts.unchanged += 1
            return row.id, False
        if row.content_hash == values["content_hash"]:
            counts.unchanged += 1
            return row.id, False
        values = {**values, "extra": {**(row.extra or {}), **entry.extra}}
        conn.execute(update(t.entries).where(t.entries.c.id == row.id).values(**values))
        counts.updated += 1
        return row.id, True

    def _insert_entries(self, conn: Connection, rows: dict[str, dict[str, Any]]) -> dict[str, int]:
        """Insert new entries in a few batched statements; ids by canonical URL (a URL another process stored
        meanwhile is skipped, never an IntegrityError, and comes back missing)."""
        if not rows:
            return {}
        params = [{"canonical_url": key, **values} for key, values in rows.items()]
        if self.dialect == "sqlite":
            return dict(self._driver_insert(conn, t.entries, params, returning=("canonical_url", "id")))
        if self._insert_entry_stmt is None:
            # Built once and executed with parameters: building it with .values() per entry cost more than
            # the INSERT itself (SQLAlchemy coerces and cache-keys every literal).
            self._insert_entry_stmt = (
                self._dialect_insert(t.entries)
                .on_conflict_do_nothing(index_elements=["canonical_url"])
                .returning(t.entries.c.id, t.entries.c.canonical_url)
            )
        return {row.canonical_url: row.id for row in conn.execute(self._insert_entry_stmt, params)}

    def _insert_rows(self, conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
        """INSERT many rows that all name the same columns (on SQLite no column defaults are filled in)."""
        if not rows:
            return
        if self.dialect == "sqlite":
            self._driver_insert(conn, table, rows)
        else:
            conn.execute(insert(table), rows)

    def _driver_insert(
        self,
        conn: Connection,
        table: Table,
        rows: list[dict[str, Any]],
        *,
        returning: tuple[str, str] | None = None,
    ) -> list[tuple[Any, Any]]:
        """SQLite: many rows in one INSERT … VALUES (…), (…) statement (a few for very many rows), each value
        through its column type's own bind processor, so stored exactly as ``insert(table)`` stores it.

        One statement, not one per row: SQLite opens a statement savepoint for every execution of an INSERT
        whose triggers write to FTS5, and FTS5 flushes its pending terms to a new index segment at each
        savepoint. Row by row, a batch of documents became one tiny segment per row, then merged again and
        again, which was half the store's write cost. (SQLAlchemy's per-row parameter handling also went.)
        With ``returning`` (unique key column, id column), a row whose key is stored already is skipped
        (ON CONFLICT DO NOTHING) and the inserted rows' pairs come back.
        """
        names = tuple(rows[0])
        cached = self._driver_inserts.get((table.name, names, returning))
        if cached is None:
            dialect = conn.dialect
            quote = dialect.identifier_preparer.quote
            processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
            head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) VALUES "
            tail = ""
            if returning is not None:
                key, ident = (quote(name) for name in returning)
                tail = f" ON CONFLICT ({key}) DO NOTHING RETURNING {key}, {ident}"
            cached = (head, "(" + ", ".join("?" * len(names)) + ")", tail, processors)
            self._driver_inserts[(table.name, names, returning)] = cached
        head, group, tail, processors = cached
        converters = [(name, proc) for name, proc in zip(names, processors, strict=True)]
        out: list[tuple[Any, Any]] = []
        per = max(1, min(_ROWS_PER_INSERT, _SQLITE_VARIABLES // len(names)))
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            params = [
                row[name] if proc is None else proc(row[name]) for row in chunk for name, proc in converters
            ]
            result = conn.exec_driver_sql(head + ", ".join([group] * len(chunk)) + tail, tuple(params))
            if returning is not None:
                out += result.all()
        return out

    def _write_links_and_index(self, conn: Connection, written: list[tuple[int, Entry, bool]]) -> None:
        """Links and search documents of new or replaced entries, in a few batched statements."""
        latest: dict[int, tuple[Entry, bool]] = {}
        for entry_id, entry, was in written:  # a URL twice in one batch: its last version wins
            latest[entry_id] = (entry, was or entry_id in latest)
        written = [(entry_id, entry, was) for entry_id, (entry, was) in latest.items()]
        replaced = [entry_id for entry_id, _entry, was in written if was]
        for start in range(0, len(replaced), 500):
            conn.execute(delete(t.links).where(t.links.c.entry_id.in_(replaced[start : start + 500])))
        # Replaced entries' documents go; so does any left behind under a reused (SQLite) rowid of a new one.
        refs = [str(entry_id) for entry_id, _entry, _was in written]
        for start in range(0, len(refs), 500):
            chunk = refs[start : start + 500]
            conn.execute(
                delete(t.search_docs).where(t.search_docs.c.kind == "entry", t.search_docs.c.ref.in_(chunk))
            )
        links = [
            {"entry_id": entry_id, "position": i, "url": link.url, "kind": link.kind, "key": link.key,
             "label": link.label}
            for entry_id, entry, _was in written
            for i, link in enumerate(entry.links)
        ]  # fmt: skip
        self._insert_rows(conn, t.links, links)
        self._insert_rows(
            conn, t.search_docs, [self._entry_doc(entry_id, entry) for entry_id, entry, _ in written]
        )

    def raw_hashes(self, keys: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        """(owning source, ``extra["raw_hash"]``) of the stored entries among the given canonical URLs.

        Lets ingest skip understanding an entry whose parsed form is the one it stored last time.
        """
        return _raw_hashes(self.engine, keys)

    def _existing(self, conn: Connection, keys: Sequence[str]) -> dict[str, Any]:
        """The stored rows (id, content_hash, source, extra) of the given canonical URLs, by URL."""
        found: dict[str, Any] = {}
        unique = sorted(set(keys))
        columns = (t.entries.c.id, t.entries.c.content_hash, t.entries.c.source, t.entries.c.extra)
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            query = (
                select(t.entries.c.canonical_url, *columns)
                .where(t.entries.c.canonical_url.in_(chunk))
                .order_by(t.entries.c.canonical_url)
                .with_for_update()
            )
            for row in conn.execute(query):
                found[row.canonical_url] = row
        return found

    def _dialect_insert(self, table: Any) -> Any:
        """An INSERT that knows ON CONFLICT (both backends speak it)."""
        return (postgresql if self.dialect == "postgresql" else sqlite).insert(table)

    _insert_entry_stmt: Any = None
    # (table, columns, returning) → SQL head, one row's placeholders, tail, bind processors (_driver_insert)
    _driver_inserts: dict[tuple[str, tuple[str, ...], tuple[str, str] | None], Any]

    def _entry_doc(self, entry_id: int, entry: Entry) -> dict[str, Any]:
        body = _search_body(entry)
        return {
            "kind": "entry",
            "ref": str(entry_id),
            "issue_id": None,
            "date": entry.published.date() if entry.published else None,
            "section": None,
            "title": entry.title,
            "source": entry.source,
            "url": entry.url,
            "body": body,
            **_index_columns(entry.title, body, entry.source, dialect=self.dialect),
        }

    def entries_between(
        self, start: dt.datetime, end: dt.datetime, *, sources: Sequence[str] | None = None
    ) -> list[Entry]:
        """Entries published in [start, end), oldest first, with their links."""
        query = select(t.entries).where(
            t.entries.c.published >= _utc_naive(start), t.entries.c.published < _utc_naive(end)
        )
        if sources is not None:
            query = query.where(t.entries.c.source.in_(list(sources)))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(t.entries.c.published, t.entries.c.id)).mappings().all()
            return self._entries(conn, rows)

    def get_entries(self, ids: Sequence[int]) -> list[Entry]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.entries).where(t.entries.c.id.in_(list(ids)))).mappings().all()
            by_id = {e.id: e for e in self._entries(conn, rows)}
        return [by_id[i] for i in ids if i in by_id]

    def count_entries(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(t.entries)).scalar_one()

    def _entries(self, conn: Connection, rows: Sequence[Any]) -> list[Entry]:
        ids = [row["id"] for row in rows]
        links: dict[int, list[Link]] = {}
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            for link in conn.execute(
                select(t.links)
                .where(t.links.c.entry_id.in_(chunk))
                .order_by(t.links.c.entry_id, t.links.c.position)
            ).mappings():
                links.setdefault(link["entry_id"], []).append(
                    Link(url=link["url"], kind=link["kind"], key=link["key"], label=link["label"])
                )
        return [
            Entry(
                id=row["id"],
                source=row["source"],
                url=row["url"],
                title=row["title"],
                canonical_url=row["canonical_url"],
                author=row["author"],
                published=_aware(row["published"]),
                fetched=_aware(row["fetched"]),
                summary=row["summary"],
                content=row["content"],
                html=row["html"],
                language=row["language"],
                images=list(row["images"] or []),
                links=links.get(row["id"], []),
                extra=dict(row["extra"] or {}),
            )
            for row in rows
        ]

    # ------------------------------------------------------------------ issues
    def save_issue(
        self,
        issue: Issue,
        *,
        markdown: str | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Insert or replace an issue and its items; returns the new version.

        ``expected_version`` is last-write detection for editors: saving over a version someone else has
        already replaced raises StoreError instead of silently losing their edit.
        """
        data = to_dict(issue)
        now = _now()
        with self.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:space, hashtext(:k))"),
                    {"space": _ISSUE_LOCK_SPACE, "k": issue.id},
                )
            row = conn.execute(select(t.issues.c.version).where(t.issues.c.id == issue.id)).first()
            if expected_version is not None and row is not None and row.version != expected_version:
                raise StoreError(
                    f"issue {issue.id} was changed elsewhere (version {row.version}, you edited {expected_version})",
                    hint="reload to see the other change, then edit again",
                )
            version = (row.version + 1) if row else 1
            values = {
                "date": issue.date,
                "format": issue.format,
                "state": issue.state,
                "title": issue.title,
                "data": data,
                "markdown": markdown,
                "source_file": issue.source_file,
                "updated_at": now,
                "version": version,
                "published_at": now if issue.state == "published" else None,
            }
            if row:
                conn.execute(update(t.issues).where(t.issues.c.id == issue.id).values(**values))
                conn.execute(delete(t.items).where(t.items.c.issue_id == issue.id))
                conn.execute(delete(t.search_docs).where(t.search_docs.c.issue_id == issue.id))
            else:
                conn.execute(insert(t.issues).values(id=issue.id, **values))
            self._insert_items(conn, issue)
        return version

    def _insert_items(self, conn: Connection, issue: Issue) -> None:
        from jianbao.urls import canonical_url  # local: urls is a pure helper module

        docs: list[dict[str, Any]] = []
        rows = [
            {
                "issue_id": issue.id,
                "position": position,
                "section": item.section,
                "number": item.number,
                "title": item.title,
                "url": item.url,
                "source": item.source,
                "summary": item.summary,
                "story_id": item.story_id,
                "data": to_dict(item),
            }
            for position, item in enumerate(issue.items)
        ]
        if rows:  # one batched INSERT … RETURNING (insertmanyvalues) instead of a round trip per item
            ids = conn.execute(
                insert(t.items).returning(t.items.c.id, sort_by_parameter_order=True), rows
            ).scalars()
            keys = [
                {"item_id": item_id, "key": key}
                for item_id, item in zip(ids.all(), issue.items, strict=True)
                for key in sorted({k[:500] for k in _item_keys(item, canonical_url)})
            ]
            if keys:
                conn.execute(insert(t.item_keys), keys)
        for position, item in enumerate(issue.items):
            links_text = " ".join(link.url for link in item.links)
            docs.append(
                {
                    "kind": "item",
                    "ref": f"{issue.id}#{position}",
                    "section": item.section,
                    "title": item.title,
                    "source": item.source or " / ".join(item.sources),
                    "url": item.url,
                    "body": "\n".join(
                        filter(None, [item.entity, item.summary, " ".join(item.tags), links_text])
                    ),
                }
            )
        for i, other in enumerate(issue.other):
            docs.append(
                {
                    "kind": "other",
                    "ref": f"{issue.id}#o{i}",
                    "section": "其他",
                    "title": other.title,
                    "source": other.source,
                    "url": other.url,
                    "body": "",
                }
            )
        for i, row in enumerate(issue.trending):
            docs.append(
                {
                    "kind": "trending",
                    "ref": f"{issue.id}#t{i}",
                    "section": "GitHub 趋势",
                    "title": row.repo,
                    "source": "GitHub",
                    "url": row.url,
                    "body": row.desc,
                }
            )
        for i, insight in enumerate(issue.insights):
            docs.append(
                {
                    "kind": "insight",
                    "ref": f"{issue.id}#i{i}",
                    "section": "今日洞察",
                    "title": "",
                    "source": None,
                    "url": None,
                    "body": insight,
                }
            )
        if issue.one_liner:
            docs.append(
                {
                    "kind": "one_liner",
                    "ref": f"{issue.id}#l",
                    "section": "今日一句话",
                    "title": "",
                    "source": None,
                    "url": None,
                    "body": issue.one_liner,
                }
            )
        if issue.intro:
            intro_text = " ".join(filter(None, [issue.intro.almanac, issue.intro.remark]))
            docs.append(
                {
                    "kind": "intro",
                    "ref": f"{issue.id}#intro",
                    "section": "导读",
                    "title": "",
                    "source": None,
                    "url": None,
                    "body": intro_text,
                }
            )
        if docs:
            for doc in docs:
                doc.update(
                    issue_id=issue.id,
                    date=issue.date,
                    **_index_columns(doc["title"], doc["body"], doc["source"], dialect=self.dialect),
                )
            self._insert_rows(conn, t.search_docs, docs)

    def get_issue(self, issue_id: str) -> tuple[Issue, int] | None:
        """The issue and its version (for last-write detection), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.issues.c.data, t.issues.c.version).where(t.issues.c.id == issue_id)
            ).first()
        return (issue_from_dict(row.data), row.version) if row else None

    def get_markdown(self, issue_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(t.issues.c.markdown).where(t.issues.c.id == issue_id)
            ).scalar_one_or_none()

    def list_issues(self, *, fmt: str | None = None, state: str | None = None) -> list[dict[str, Any]]:
        """Issue summaries, newest first: id, date, format, state, title, item count."""
        counts = select(t.items.c.issue_id, func.count().label("n")).group_by(t.items.c.issue_id).subquery()
        query = select(
            t.issues.c.id,
            t.issues.c.date,
            t.issues.c.format,
            t.issues.c.state,
            t.issues.c.title,
            t.issues.c.source_file,
            func.coalesce(counts.c.n, 0).label("items"),
        ).outerjoin(counts, counts.c.issue_id == t.issues.c.id)
        if fmt:
            query = query.where(t.issues.c.format == fmt)
        if state:
            query = query.where(t.issues.c.state == state)
        with self.engine.connect() as conn:
            return [
                dict(r)
                for r in conn.execute(query.order_by(t.issues.c.date.desc(), t.issues.c.id)).mappings()
            ]

    def top_sources(self, issue_id: str, limit: int = 3) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.items.c.source, func.count().label("n"))
                .where(t.items.c.issue_id == issue_id, t.items.c.source.is_not(None), t.items.c.source != "")
                .group_by(t.items.c.source)
                .order_by(func.count().desc(), t.items.c.source)
                .limit(limit)
            ).all()
        return [r.source for r in rows]

    def history(
        self, *, before: dt.date, days: int | None, fmt: str | None = None, include_same_day: bool = False
    ) -> list[HistoryItem]:
        """Items of published issues dated in [before - days, before): the memory of what was covered."""
        query = (
            select(
                t.items.c.id,
                t.items.c.issue_id,
                t.items.c.position,
                t.items.c.title,
                t.items.c.summary,
                t.items.c.url,
                t.items.c.section,
                t.items.c.story_id,
                t.items.c.data,
                t.issues.c.date,
            )
            .join(t.issues, t.issues.c.id == t.items.c.issue_id)
            .where(t.issues.c.state == "published")
        )
        query = (
            query.where(t.issues.c.date <= before)
            if include_same_day
            else query.where(t.issues.c.date < before)
        )
        if days is not None:
            query = query.where(t.issues.c.date >= before - dt.timedelta(days=days))
        if fmt:
            query = query.where(t.issues.c.format == fmt)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(t.issues.c.date, t.items.c.position)).mappings().all()
            keys: dict[int, list[str]] = {}
            ids = [r["id"] for r in rows]
            for start in range(0, len(ids), 500):
                for k in conn.execute(
                    select(t.item_keys).where(t.item_keys.c.item_id.in_(ids[start : start + 500]))
                ):
                    keys.setdefault(k.item_id, []).append(k.key)
        out = []
        for r in rows:
            data = r["data"] or {}
            text_parts = [data.get("entity") or "", r["summary"] or ""]
            out.append(
                HistoryItem(
                    issue_id=r["issue_id"],
                    date=r["date"],
                    position=r["position"],
                    title=r["title"],
                    text=" ".join(p for p in text_parts if p),
                    url=r["url"],
                    keys=sorted(keys.get(r["id"], [])),
                    section=r["section"],
                    story_id=r["story_id"],
                )
            )
        return out

    # --------------------------------------------------------------- LLM cache
    def cache_get(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(t.llm_cache.c.value).where(t.llm_cache.c.key == key)
            ).scalar_one_or_none()

    def cache_put(self, key: str, value: str, *, model: str = "") -> None:
        stmt = self._dialect_insert(t.llm_cache).values(key=key, value=value, model=model, created_at=_now())
        stmt = stmt.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "value": stmt.excluded.value,
                "model": stmt.excluded.model,
                "created_at": stmt.excluded.created_at,
            },
        )
        with self.begin() as conn:
            conn.execute(stmt)

    # alias names so the store satisfies the summarize.Cache protocol directly
    def get(self, key: str) -> str | None:
        return self.cache_get(key)

    def put(self, key: str, value: str) -> None:
        self.cache_put(key, value)

    def counts(self) -> dict[str, int]:
        """Row counts per table, for `jianbao db` and tests."""
        out = {}
        with self.engine.connect() as conn:
            for table in (
                t.sources,
                t.entries,
                t.links,
                t.stories,
                t.issues,
                t.items,
                t.fetch_log,
                t.search_docs,
            ):
                out[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
        return out

    # --- queries of the build, the desk and publishing (issue #14, h14-editions) ---------------------------
    def trending_entries(self, sources: Sequence[str], start: dt.datetime, end: dt.datetime) -> list[Entry]:
        """Entries of ``sources`` (trending tables) in [start, end). Their rows carry no publication date, so
        they are found by fetch time: the window's, or when the window has none (a snapshot read later, as in
        the demo), the latest fetch of those sources."""
        if not sources:
            return []
        entries = t.entries.c
        mine = entries.source.in_(list(sources))
        dated = (entries.published >= _utc_naive(start)) & (entries.published < _utc_naive(end))
        undated = entries.published.is_(None)
        fetched = undated & (entries.fetched >= _utc_naive(start)) & (entries.fetched < _utc_naive(end))
        with self.engine.connect() as conn:
            query = select(entries.id).where(mine & (dated | fetched)).order_by(entries.id)
            ids = [row[0] for row in conn.execute(query)]
            if not ids:
                latest = conn.execute(select(func.max(entries.fetched)).where(mine & undated)).scalar()
                if latest is not None:
                    query = select(entries.id).where(mine & undated & (entries.fetched == latest))
                    ids = [row[0] for row in conn.execute(query.order_by(entries.id))]
        return self.get_entries(ids)

    def entry_by_url(self, urls: Sequence[str]) -> Entry | None:
        """The first stored entry whose canonical URL is one of ``urls``."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.entries.c.id).where(t.entries.c.canonical_url.in_(list(urls)))).first()
        if row is None:
            return None
        found = self.get_entries([row.id])
        return found[0] if found else None

    def change_marks(self) -> tuple[Any, ...]:
        """A cheap fingerprint of the entries and the published issues: it changes whenever either does."""
        with self.engine.connect() as conn:
            entries = conn.execute(select(func.count(), func.max(t.entries.c.updated_at))).one()
            published = conn.execute(
                select(func.count(), func.max(t.issues.c.published_at)).where(t.issues.c.state == "published")
            ).one()
        return (self.url, tuple(entries), tuple(published))

    def published_by_date(self) -> dict[dt.date, str]:
        """The id of the published issue of each date, the last published one where a date has several."""
        query = (
            select(t.issues.c.id, t.issues.c.date)
            .where(t.issues.c.state == "published")
            .order_by(t.issues.c.date, t.issues.c.published_at, t.issues.c.id)
        )
        with self.engine.connect() as conn:
            return {row.date: row.id for row in conn.execute(query)}


# How much of an entry's text the full-text indexes see: editors search titles and leads, and both indexes
# (trigram and CJK bigram) cost store time per character; the full text stays in ``entries.content``.
SEARCH_LEAD_CHARS = 2000


def _search_body(entry: Entry) -> str:
    """Summary, then the opening of the content, for the full-text index (the title is its own column).

    Only the first ``SEARCH_LEAD_CHARS`` characters are indexed: a word found only deep inside an article
    does not make it a search hit, which is the trade for a store write at feed-parsing speed. The summary
    is left out when the content repeats it (a feed's description is often the whole body).
    """
    summary, content = entry.summary.strip(), entry.content
    body = content if summary and summary in content else f"{summary}\n{content}"
    return body[:SEARCH_LEAD_CHARS]


def _index_columns(
    title: str | None, body: str | None, source: str | None, *, dialect: str
) -> dict[str, str | None]:
    """The search_docs columns the full-text indexes read (jianbao.store.search.index_columns)."""
    from jianbao.store.search import index_columns  # local: search imports this module

    return index_columns(title, body, source, latin=dialect == "sqlite")


def _merge_extra(current: dict[str, Any], incoming: dict[str, Any], source: str) -> dict[str, Any]:
    merged = {**incoming, **current}
    for key in ("stars", "stars_period", "forks", "points", "comments", "period", "rank"):
        if key in incoming:
            merged[key] = incoming[key]
    seen = list(merged.get("seen_in", []))
    if source not in seen:
        seen.append(source)
    merged["seen_in"] = seen
    return merged


def _item_keys(item: Item, canonical: Any) -> Iterator[str]:
    """Keys that identify an item's story: paper/code keys of its links and canonical URLs of its links."""
    from jianbao.urls import link_key

    urls = [item.url] if item.url else []
    urls += [link.url for link in item.links]
    for url in urls:
        key = link_key(url)
        if key:
            yield key
        yield "url:" + canonical(url)


def _raw_hashes(engine: Engine, keys: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    found: dict[str, tuple[str, str | None]] = {}
    unique = sorted(set(keys))
    with engine.connect() as conn:
        for start in range(0, len(unique), 500):
            query = select(t.entries.c.canonical_url, t.entries.c.source, t.entries.c.extra).where(
                t.entries.c.canonical_url.in_(unique[start : start + 500])
            )
            for row in conn.execute(query):
                found[row.canonical_url] = (row.source, (row.extra or {}).get("raw_hash"))
    return found


@functools.cache
def _reader(url: str) -> Engine:
    return _make_engine(url)


def raw_hashes_at(url: str, keys: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """``Store.raw_hashes`` for another process (an ingest worker) that reads the store at ``url`` without
    opening it as a ``Store`` (which takes the write lock to check migrations); one engine per process."""
    return _raw_hashes(_reader(url), keys)


def open_store(url: str) -> Store:
    """Open (creating and migrating as needed) the store at a SQLAlchemy URL."""
    return Store(url)
