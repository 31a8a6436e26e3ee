"""The store's engine, connections and transactions: opening a store URL, migrating it, and the write and
bulk-insert primitives that every concern's methods (``entries``, ``sources``, ``issues``…) build on.

Datetimes are stored as naive UTC (SQLite has no zones): ``utc_naive`` on the way in, ``utc_aware`` on the
way out.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any, Self, TypeAlias, cast

from sqlalchemy import Connection, Engine, Row, Table, create_engine, event, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from jianbao.errors import StoreError, StoreNotFound
from jianbao.store import schema as t
from jianbao.store.migrations import SEARCH_GIN_INDEXES, migrate, schema_version

__all__ = [
    "SQLITE_MMAP",
    "AnyRow",
    "StoreCore",
    "TransientStoreError",
    "insert_on_conflict",
    "make_engine",
    "utc_aware",
    "utc_naive",
    "utc_now",
]


class TransientStoreError(StoreError):
    """A write lost a deadlock or serialisation race; running the same transaction again succeeds."""


_RETRYABLE = {"40P01", "40001"}  # PostgreSQL: deadlock_detected, serialization_failure
_SQLITE_BEGIN = "jianbao_sqlite_begin"
SQLITE_MMAP = 1 << 30  # bytes of a store file SQLite reads through mmap (address space, not memory)
_SQLITE_VARIABLES = 32766  # bound parameters one SQLite statement may hold (3.32 and later)
_ROWS_PER_INSERT = 500  # rows per multi-row INSERT (StoreCore._driver_insert)
# pg_advisory_xact_lock key: two processes opening a fresh store must not both run m001.
_MIGRATION_LOCK = 7412001

AnyRow: TypeAlias = "Row[*tuple[Any, ...]]"  # a result row of any width, its columns read by name
# A column type's bind processor (Python value → driver value); None where the driver takes the value as is.
_Processor = Callable[[Any], Any] | None
# A prepared multi-row INSERT: SQL head, one row's placeholders, tail, the bind processor of each column.
_DriverInsert = tuple[str, str, str, Sequence[_Processor]]


def utc_naive(value: dt.datetime | None) -> dt.datetime | None:
    """Datetimes are stored as naive UTC (SQLite has no zones); aware values are converted first."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def utc_aware(value: dt.datetime | None) -> dt.datetime | None:
    """A stored (naive UTC) datetime as an aware one; aware values and None pass through."""
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


def utc_now() -> dt.datetime:
    """Now, as the store keeps it (naive UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


_BLOB_CHUNK = 500  # keys per IN (…) list and rows per statement of _blobs_get/_blobs_put


def insert_on_conflict(table: Table, *, dialect: str) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into ``table`` that knows ON CONFLICT, in the store's dialect (both backends speak it)."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _sqlite_module() -> ModuleType | None:
    # The stdlib SQLite here is 3.40; pysqlite3-binary bundles a newer one whose trigram FTS answers
    # two-character CJK queries. Fall back silently to the stdlib where the wheel is absent.
    try:
        return importlib.import_module("pysqlite3.dbapi2")
    except ImportError:
        return None


def _json(value: object) -> str:
    """JSON columns as UTF-8 text: Python's default escapes every CJK character as six ASCII bytes (\\uXXXX),
    which made an issue's stored JSON twice its size."""
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine for a store URL (SQLite or PostgreSQL), set up as the store needs it.

    Raises StoreError, with a hint, for a URL that is not one, a backend the store does not speak, a missing
    driver, or a SQLite folder that cannot be created. Nothing is connected or migrated yet.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"not a store URL: {url!r}", hint="use sqlite:///path/to/file.db or postgresql+psycopg://…"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, parsed.database or "")
    if backend == "postgresql":
        try:
            return create_engine(url, pool_pre_ping=True, json_serializer=_json)
        except (NoSuchModuleError, ImportError) as exc:
            raise StoreError(f"PostgreSQL driver missing: {exc}", hint="use postgresql+psycopg://") from None
    raise StoreError(f"unsupported store backend {backend!r}", hint="use sqlite:/// or postgresql+psycopg://")


def _sqlite_engine(url: str, database: str) -> Engine:
    in_memory = database in ("", ":memory:")
    if not in_memory and not database.startswith("file:"):
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for {database}: {exc.strerror}") from None
    kwargs: dict[str, Any] = {
        "connect_args": {"timeout": 30, "check_same_thread": False},
        "json_serializer": _json,
    }
    module = _sqlite_module()
    if module is not None:
        kwargs["module"] = module
    if in_memory:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        # Take transaction control from the driver so writers can BEGIN IMMEDIATE (see _begin).
        driver_conn = cast(sqlite3.Connection, dbapi_conn)  # or pysqlite3's, which has the same interface
        driver_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if not in_memory:
            # A new file's pages are 8 KiB (an existing file keeps its own): a search document holding an
            # entry's 2,000-character lead is 2–6 KB, and two never fitted a 4 KiB page, which left a third
            # of the table's pages empty.
            cur.execute("PRAGMA page_size=8192")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            # Reads map the file instead of copying pages through a 2 MB cache per connection: a search
            # reads a thousand scattered rows, and each read() cost as much as ranking the row.
            cur.execute(f"PRAGMA mmap_size={SQLITE_MMAP}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # A writer takes the write lock up front: a deferred transaction that reads and then writes fails
        # with SQLITE_BUSY (no waiting) when another process committed in between.
        mode = conn.get_execution_options().get(_SQLITE_BEGIN, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


class StoreCore:
    """An open store: its engine and dialect, its transactions, and batched inserts.

    The base of every concern's mixin (``EntriesMixin``, ``SourcesMixin``…) and so of ``Store``; opening it
    migrates the store to the latest schema.
    """

    url: str
    engine: Engine
    dialect: str  # "sqlite" or "postgresql"
    migrations_ran: list[str]  # the migrations this opening ran (none when the store was current)

    def __init__(self, url: str) -> None:
        self.url = url
        # (table, columns, returning, keep) → the prepared statement of _driver_insert
        self._driver_inserts: dict[
            tuple[str, tuple[str, ...], tuple[str, str] | None, str | None], _DriverInsert
        ] = {}
        self.engine = make_engine(url)
        self.dialect = self.engine.dialect.name
        try:
            with self._write() as conn:
                if self.dialect == "postgresql":
                    conn.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
                self.migrations_ran = migrate(conn)
        except DatabaseError as exc:  # OperationalError among them: a locked, unreadable or foreign file
            self.engine.dispose()
            reason = str(exc.orig).strip() or type(exc.orig).__name__
            if self.dialect == "sqlite" and "not a database" in reason:
                raise StoreNotFound(f"{make_url(url).database} is not a jianbao store ({reason})") from None
            raise StoreError(f"cannot open store {self.safe_url}: {reason}") from None
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open store {self.safe_url}: {exc}") from None

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
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

        On PostgreSQL the rows a bulk import left in the search GIN indexes' pending lists (m019) are merged
        into the indexes too, as VACUUM would: until then every search scans them.
        """
        with self.begin() as conn:
            if self.dialect == "postgresql":  # those the store's role owns: merging needs what VACUUM needs
                conn.execute(
                    text(
                        "SELECT gin_clean_pending_list(c.oid::regclass) FROM pg_class c "
                        "WHERE c.relname = ANY(:names) AND c.relnamespace = current_schema()::regnamespace "
                        "AND pg_has_role(c.relowner, 'USAGE')"
                    ),
                    {"names": list(SEARCH_GIN_INDEXES)},
                )
            conn.execute(text("ANALYZE" if self.dialect == "postgresql" else "PRAGMA optimize"))

    @property
    def schema_version(self) -> int:
        """How many of the known migrations this store has run."""
        with self.engine.connect() as conn:
            return schema_version(conn)

    def counts(self) -> dict[str, int]:
        """Row counts per table, for `jianbao db` and tests."""
        tables = (t.sources, t.entries, t.links, t.stories, t.issues, t.items, t.fetch_log, t.search_docs)
        with self.engine.connect() as conn:
            return {
                table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for table in tables
            }

    def _insert_rows(self, conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """INSERT many rows that all name the same columns (on SQLite no column defaults are filled in)."""
        if not rows:
            return
        if self.dialect == "sqlite":
            self._driver_insert(conn, table, rows)
        else:
            conn.execute(insert(table), rows)

    def _blobs_get(self, table: Table, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The rows of a ``hash`` → ``data`` table (the story index, the relevance evidence) whose keys are
        among ``keys``; on SQLite through the driver's own IN list (a third of SQLAlchemy's expanding one)."""
        out: dict[bytes, bytes] = {}
        wanted = list(dict.fromkeys(keys))
        c = table.c
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), _BLOB_CHUNK):
                chunk = wanted[start : start + _BLOB_CHUNK]
                if self.dialect == "sqlite":
                    marks = ", ".join("?" * len(chunk))
                    sql = f"SELECT hash, data FROM {table.name} WHERE hash IN ({marks})"
                    found = conn.exec_driver_sql(sql, tuple(chunk))
                else:
                    found = conn.execute(select(c.hash, c.data).where(c.hash.in_(chunk)))
                out.update((bytes(key), bytes(data)) for key, data in found)
        return out

    def _blobs_put(self, table: Table, rows: Mapping[bytes, bytes]) -> None:
        """Keep rows of a ``hash`` → ``data`` table; a key stored already keeps its row (the key is the hash of
        what the data is computed from). On SQLite in a few multi-row statements (``_driver_insert``)."""
        if not rows:
            return
        values = [{"hash": key, "data": data} for key, data in rows.items()]
        with self.begin() as conn:
            if self.dialect == "sqlite":
                self._driver_insert(conn, table, values, keep="hash")
                return
            for start in range(0, len(values), _BLOB_CHUNK):
                stmt = insert_on_conflict(table, dialect=self.dialect).on_conflict_do_nothing(
                    index_elements=["hash"]
                )
                conn.execute(stmt, values[start : start + _BLOB_CHUNK])

    def _blobs_count(self, table: Table) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    def _driver_insert(
        self,
        conn: Connection,
        table: Table,
        rows: Sequence[Mapping[str, Any]],
        *,
        returning: tuple[str, str] | None = None,
        keep: str | None = None,
    ) -> list[AnyRow]:
        """SQLite: many rows in one INSERT … VALUES (…), (…) statement (a few for very many rows), each value
        through its column type's own bind processor, so stored exactly as ``insert(table)`` stores it.

        One statement, not one per row: SQLite opens a statement savepoint for every execution of an INSERT
        whose triggers write to FTS5, and FTS5 flushes its pending terms to a new index segment at each
        savepoint. Row by row, a batch of documents became one tiny segment per row, then merged again and
        again, which was half the store's write cost. (SQLAlchemy's per-row parameter handling also went.)
        With ``returning`` (unique key column, id column), a row whose key is stored already is skipped
        (ON CONFLICT DO NOTHING) and the inserted rows' (key, id) pairs come back.
        """
        names = tuple(rows[0])
        head, group, tail, processors = self._prepared_insert(conn, table, names, returning, keep)
        converters = list(zip(names, processors, strict=True))
        out: list[AnyRow] = []
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

    def _prepared_insert(
        self,
        conn: Connection,
        table: Table,
        names: tuple[str, ...],
        returning: tuple[str, str] | None,
        keep: str | None = None,
    ) -> _DriverInsert:
        """The SQL pieces and bind processors of ``_driver_insert`` for these columns, built once per store."""
        cache_key = (table.name, names, returning, keep)
        cached = self._driver_inserts.get(cache_key)
        if cached is not None:
            return cached
        dialect = conn.dialect
        quote = dialect.identifier_preparer.quote
        processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
        head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) VALUES "
        tail = ""
        if returning is not None:
            key, ident = (quote(name) for name in returning)
            tail = f" ON CONFLICT ({key}) DO NOTHING RETURNING {key}, {ident}"
        elif keep is not None:
            tail = f" ON CONFLICT ({quote(keep)}) DO NOTHING"
        prepared = (head, "(" + ", ".join("?" * len(names)) + ")", tail, processors)
        self._driver_inserts[cache_key] = prepared
        return prepared
