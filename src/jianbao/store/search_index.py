"""SQLite's full-text indexes over ``search_docs``, written by the store beside each document (m014).

The three FTS5 tables (``search_fts``: trigrams of the CJK-free text; ``search_cjk``: CJK bigrams;
``search_title``: trigrams of the CJK-free title) keep, for each term, which rows and columns hold it, not
where (``detail=column``: positions were four fifths of their size and write cost), so ``store.search`` asks
for rows holding every gram of a query and checks each for the query itself. They are contentless: the texts
they index are worked out from each document's title, body and source (``jianbao.store.search_docs``) when
it is written, instead of being stored as four more columns of every row and read back by triggers. Those
columns were a quarter of a feed store's bytes. Documents are written and removed only through
``add_documents`` and ``remove_documents``, which index in a few multi-row statements per batch; a removal
tells FTS5 the texts it indexed, computed again from the row (the functions are pure, so they agree).

PostgreSQL keeps its indexes in the table itself: the CJK bigram columns, which its generated ``tsvector``
reads, are stored there (``stored_columns``), and its trigram indexes read the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, delete, func, select

from jianbao.store import schema as t
from jianbao.store.search_docs import SearchDoc, bigram_columns, index_columns, text_lengths

__all__ = [
    "FTS_TABLES",
    "INDEX_COLUMNS",
    "Deferred",
    "add_documents",
    "create_tables",
    "reindex",
    "remove_documents",
    "stored_columns",
]

# Each contentless FTS5 table and the index texts it holds (named as index_columns names them).
FTS_TABLES: dict[str, tuple[str, ...]] = {
    "search_fts": ("title_latin", "body_latin"),
    "search_cjk": ("title_bigrams", "body_bigrams"),
    "search_title": ("title_latin",),
}
_TOKENIZERS = {
    "search_fts": "trigram",
    "search_cjk": "unicode61 remove_diacritics 0",
    "search_title": "trigram",
}
# The search_docs columns that hold index texts: filled on PostgreSQL (bigrams only), NULL on SQLite.
INDEX_COLUMNS = ("title_bigrams", "body_bigrams", "title_latin", "body_latin")
_VARIABLES = 30_000  # bound parameters per statement (SQLite allows 32,766)
_BATCH = 2000  # rows read per step of reindex and remove_documents
_FLUSH = 1000  # deferred documents indexed per statement (Deferred.flush)

Doc = tuple[int, str | None, str | None, str | None]  # id, title, body, source
InsertRows = Callable[[Connection, Table, Sequence[Mapping[str, Any]]], None]


def stored_columns(
    title: str | None, body: str | None, source: str | None, *, dialect: str
) -> dict[str, str | int | None]:
    """The columns a search_docs row stores beside its text on ``dialect``: the index texts (the bigrams on
    PostgreSQL, none on SQLite) and the texts' lengths (``text_lengths``, on both)."""
    if dialect == "postgresql":
        return {**bigram_columns(title, body, source), "title_latin": None, "body_latin": None,
                **text_lengths(title, body)}  # fmt: skip
    return {**dict.fromkeys(INDEX_COLUMNS), **text_lengths(title, body)}


def create_tables(conn: Connection) -> None:
    """The contentless FTS5 tables and their term-count views (``*_terms``, which ``search`` reads)."""
    for name, columns in FTS_TABLES.items():
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5({', '.join(columns)}, content='', "
            f"tokenize='{_TOKENIZERS[name]}', detail=column)"
        )
    for name in ("search_fts", "search_cjk"):
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {name}_terms USING fts5vocab({name}, 'row')"
        )


class Deferred:
    """SQLite index writes held back until the end of a transaction that adds documents in many small steps
    (``Store.store_fetched``: a source at a time), then written a thousand documents a statement.

    Each FTS5 statement flushes the terms it gathered into a new index segment, and segments are merged
    again and again: fifty documents a statement (one source) cost half as much again as a thousand. What
    the index finally holds is the same (the same rowids and texts), so search answers the same.
    A document removed while it is still held is dropped from the queue (it was never indexed); a
    ``savepoint`` rolled back takes back what was queued or dropped inside it.
    """

    def __init__(self) -> None:
        self.docs: dict[int, Doc] = {}
        self._journal: list[tuple[int, Doc | None]] | None = None  # (id, document before) per change

    def add(self, doc: Doc) -> None:
        self._note(doc[0])
        self.docs[doc[0]] = doc

    def take(self, doc_id: int) -> bool:
        """Drop a held document; False when it is not held (it is in the index)."""
        if doc_id not in self.docs:
            return False
        self._note(doc_id)
        del self.docs[doc_id]
        return True

    def _note(self, doc_id: int) -> None:
        if self._journal is not None:
            self._journal.append((doc_id, self.docs.get(doc_id)))

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Changes inside are undone when the block raises (as the database's savepoint rolls back)."""
        outer, self._journal = self._journal, []
        journal = self._journal
        try:
            yield
        except BaseException:
            for doc_id, before in reversed(journal):
                if before is None:
                    self.docs.pop(doc_id, None)
                else:
                    self.docs[doc_id] = before
            raise
        finally:
            self._journal = outer
        if outer is not None:
            outer += journal

    def flush(self, conn: Connection) -> None:
        """Index every held document, in id order, and hold none."""
        docs = [self.docs[doc_id] for doc_id in sorted(self.docs)]
        self.docs.clear()
        for start in range(0, len(docs), _FLUSH):
            _write(conn, docs[start : start + _FLUSH])


def add_documents(
    conn: Connection, docs: Sequence[SearchDoc], insert_rows: InsertRows, *, deferred: Deferred | None = None
) -> None:
    """Insert search_docs rows (through ``insert_rows``, the store's batched insert) and, on SQLite, index them
    (``deferred``: queue them there, to be indexed by its ``flush`` before the transaction commits).

    On SQLite each row is given its id here (the next ones after the largest, as SQLite itself would), so
    the index entries can be written with it in the same few statements.
    """
    if not docs:
        return
    dialect = conn.dialect.name
    if dialect != "sqlite":
        with_columns = [{**doc, **stored_columns(_text(doc["title"]), _text(doc["body"]), _text(doc["source"]),
                                         dialect=dialect)} for doc in docs]  # fmt: skip
        insert_rows(conn, t.search_docs, with_columns)
        return
    last = conn.execute(select(func.max(t.search_docs.c.id))).scalar() or 0
    ids = range(last + 1, last + 1 + len(docs))
    rows: list[dict[str, object]] = [
        {"id": i, **doc, **stored_columns(_text(doc["title"]), _text(doc["body"]), None, dialect=dialect)}
        for i, doc in zip(ids, docs, strict=True)
    ]
    insert_rows(conn, t.search_docs, rows)
    indexed = [
        (i, _text(doc["title"]), _text(doc["body"]), _text(doc["source"]))
        for i, doc in zip(ids, docs, strict=True)
    ]
    if deferred is None:
        _write(conn, indexed)
    else:
        for doc in indexed:
            deferred.add(doc)


def remove_documents(
    conn: Connection, where: ColumnElement[bool], *, deferred: Deferred | None = None
) -> None:
    """Delete the search_docs rows ``where`` selects, and on SQLite their index entries first (those still
    held by ``deferred`` are only dropped from it)."""
    docs = t.search_docs
    if conn.dialect.name == "sqlite":
        found = conn.execute(select(docs.c.id, docs.c.title, docs.c.body, docs.c.source).where(where)).all()
        if deferred is not None:
            found = [row for row in found if not deferred.take(row.id)]
        for start in range(0, len(found), _BATCH):
            part = found[start : start + _BATCH]
            _write(conn, [(row.id, row.title, row.body, row.source) for row in part], command="delete")
    conn.execute(delete(docs).where(where))


def reindex(conn: Connection) -> None:
    """SQLite: empty the FTS5 tables and index every stored document again (migrations, ``db copy``)."""
    for name in FTS_TABLES:
        conn.exec_driver_sql(f"INSERT INTO {name}({name}) VALUES ('delete-all')")
    docs = t.search_docs
    query = select(docs.c.id, docs.c.title, docs.c.body, docs.c.source).order_by(docs.c.id)
    last = 0
    while batch := conn.execute(query.where(docs.c.id > last).limit(_BATCH)).all():
        _write(conn, [(row.id, row.title, row.body, row.source) for row in batch])
        last = batch[-1].id


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _write(conn: Connection, docs: Iterable[Doc], *, command: str | None = None) -> None:
    """Index (or with ``command="delete"``, unindex) documents in each FTS5 table, many rows a statement.

    One statement, not one per row: FTS5 flushes its pending terms to a new segment at every statement
    savepoint, and row by row the segments were then merged again and again.
    """
    values: dict[str, list[object]] = {name: [] for name in FTS_TABLES}
    count = 0
    for doc_id, title, body, source in docs:
        texts = index_columns(title, body, source, latin=True)
        for name, columns in FTS_TABLES.items():
            values[name] += [doc_id, *(texts[c] for c in columns)]
        count += 1
    for name, columns in FTS_TABLES.items():
        width = len(columns) + 1
        head = f"INSERT INTO {name}({name + ', ' if command else ''}rowid, {', '.join(columns)}) VALUES "
        group = "(" + ("?, " if command else "") + ", ".join("?" * width) + ")"
        flat = values[name]
        per = _VARIABLES // (width + 1)
        for start in range(0, count, per):
            chunk = flat[start * width : (start + per) * width]
            rows = len(chunk) // width
            params: list[object] = []
            for row in range(rows):
                if command:
                    params.append(command)
                params += chunk[row * width : (row + 1) * width]
            conn.exec_driver_sql(head + ", ".join([group] * rows), tuple(params))
