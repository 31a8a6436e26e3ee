"""Copy a whole store to another (SQLite ↔ PostgreSQL), ids preserved, verified by per-table checksums.

A team moving from a laptop's SQLite file to a shared PostgreSQL (or taking a PostgreSQL snapshot home)
needs every row to arrive unchanged. Both ends are first migrated to the latest schema, so the tables
match; rows are streamed in primary-key order in batches inside one destination transaction (all or
nothing), then both sides are checksummed with values normalised so the two backends compare equal.
Search documents' index texts are each backend's own (PostgreSQL stores CJK bigrams in the row, SQLite in
its FTS5 tables): the copy works them out again for the destination, and the checksums leave them out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Connection, Integer, Select, String, Table, delete, func, insert, select, text
from sqlalchemy.engine import make_url

from jianbao.errors import StoreError
from jianbao.store import Store, open_store
from jianbao.store import schema as t
from jianbao.store.search_index import INDEX_COLUMNS, reindex, stored_columns

__all__ = ["CopyReport", "TableCheck", "copy_store", "store_checksums", "table_checksum"]

Progress = Callable[[str, int, int], None]  # (table, rows copied so far, rows in table)
BATCH = 2000


@dataclass(slots=True)
class TableCheck:
    table: str
    source_rows: int
    copied_rows: int
    source_checksum: str
    copied_checksum: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.copied_rows and self.source_checksum == self.copied_checksum


@dataclass(slots=True)
class CopyReport:
    source: str
    destination: str
    tables: list[TableCheck] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.tables)

    @property
    def rows(self) -> int:
        return sum(check.copied_rows for check in self.tables)


def _tables() -> list[Table]:
    """Every data table, parents before children; `migrations` belongs to each store itself."""
    return [table for table in t.metadata.sorted_tables if table.name != t.migrations.name]


def _ordered(table: Table, dialect: str) -> Select[*tuple[Any, ...]]:
    # Byte order on both backends: SQLite compares strings as memcmp, PostgreSQL's "C" collation likewise.
    keys = [
        c.collate("C") if dialect == "postgresql" and isinstance(c.type, String) else c
        for c in table.primary_key
    ]
    return select(table).order_by(*keys)


def _normal(value: object, *, is_json: bool) -> object:
    if is_json:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return repr(value)
    return value


def _rows(conn: Connection, table: Table, batch: int) -> Iterator[list[dict[str, object]]]:
    result = conn.execution_options(yield_per=batch).execute(_ordered(table, conn.dialect.name)).mappings()
    for part in result.partitions():
        yield [dict(row) for row in part]


def _compared(table: Table) -> list[str]:
    """The columns a checksum reads: all but search_docs' index texts, which differ by backend."""
    derived = INDEX_COLUMNS if table.name == t.search_docs.name else ()
    return [c.name for c in table.columns if c.name not in derived]


def _for_destination(table: Table, rows: list[dict[str, object]], dialect: str) -> list[dict[str, object]]:
    """Rows as the destination stores them: search_docs with the index columns its backend keeps."""
    if table.name != t.search_docs.name:
        return rows
    texts = ("title", "body", "source")
    return [
        {
            **row,
            **stored_columns(*(str(row[c]) if row[c] is not None else None for c in texts), dialect=dialect),
        }
        for row in rows
    ]


def table_checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """Row count and sha256 over the rows in primary-key order, values normalised across backends."""
    digest = hashlib.sha256()
    count = 0
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    columns = _compared(table)
    for part in _rows(conn, table, BATCH):
        for row in part:
            values = [_normal(row[name], is_json=name in json_columns) for name in columns]
            digest.update(json.dumps(values, ensure_ascii=False, default=str).encode("utf-8"))
            digest.update(b"\n")
            count += 1
    return count, digest.hexdigest()


def store_checksums(store: Store) -> dict[str, tuple[int, str]]:
    """Count and checksum of every data table: compare two stores without copying."""
    with store.engine.connect() as conn:
        return {table.name: table_checksum(conn, table) for table in _tables()}


def _is_empty(conn: Connection) -> bool:
    return all(conn.execute(select(func.count()).select_from(table)).scalar_one() == 0 for table in _tables())


def _reset_sequences(conn: Connection) -> None:
    """Explicit ids bypass PostgreSQL sequences; without this the next insert would collide with a copied id."""
    for table in _tables():
        pk = list(table.primary_key)
        if len(pk) == 1 and isinstance(pk[0].type, Integer) and pk[0].autoincrement in (True, "auto"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                    f"coalesce(max({pk[0].name}), 1), max({pk[0].name}) IS NOT NULL) FROM {table.name}"
                )
            )


def copy_store(
    src_url: str, dst_url: str, *, force: bool = False, progress: Progress | None = None
) -> CopyReport:
    """Copy every table of the store at ``src_url`` into ``dst_url`` and verify it.

    A destination that already holds rows is refused unless ``force`` (its rows are then replaced). The
    report says per table whether counts and checksums match; the caller decides what a mismatch means.
    """
    started = time.perf_counter()
    if make_url(src_url) == make_url(dst_url):
        raise StoreError("source and destination are the same store", hint="copy to a new file or database")
    with open_store(src_url) as src, open_store(dst_url) as dst:
        report = CopyReport(source=src.safe_url, destination=dst.safe_url)
        with src.engine.connect() as read:
            totals = {
                table.name: read.execute(select(func.count()).select_from(table)).scalar_one()
                for table in _tables()
            }
            with dst.begin() as write:
                if not _is_empty(write):
                    if not force:
                        raise StoreError(
                            f"destination {dst.safe_url} is not empty",
                            hint="use --force to replace its contents",
                        )
                    for table in reversed(
                        _tables()
                    ):  # children first: foreign keys stay satisfied throughout
                        write.execute(delete(table))
                for table in _tables():
                    done = 0
                    if progress:
                        progress(table.name, 0, totals[table.name])
                    for part in _rows(read, table, BATCH):
                        write.execute(insert(table), _for_destination(table, part, dst.dialect))
                        done += len(part)
                        if progress:
                            progress(table.name, done, totals[table.name])
                if dst.dialect == "postgresql":
                    _reset_sequences(write)
                else:  # SQLite's full-text tables are written by the store, not by the rows' inserts
                    reindex(write)
            dst.analyze()  # fresh tables have no planner statistics: search plans would be guesses
        before, after = store_checksums(src), store_checksums(dst)
    for table in _tables():
        (n_src, sum_src), (n_dst, sum_dst) = before[table.name], after[table.name]
        report.tables.append(TableCheck(table.name, n_src, n_dst, sum_src, sum_dst))
    report.seconds = time.perf_counter() - started
    return report
