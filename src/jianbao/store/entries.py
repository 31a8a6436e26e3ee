"""Entries in the store: the upsert by canonical URL (with their links and search documents), the raw hashes
ingest compares against, and reading entries back with their links."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, delete, func, select, update
from sqlalchemy.sql.dml import ReturningInsert

from jianbao.errors import StoreError
from jianbao.records import Entry, Link
from jianbao.safety import gate_entry
from jianbao.store import schema as t
from jianbao.store.core import (
    AnyRow,
    StoreCore,
    TransientStoreError,
    insert_on_conflict,
    make_engine,
    utc_aware,
    utc_naive,
    utc_now,
)
from jianbao.store.search_docs import entry_document, search_body, text_heads
from jianbao.store.search_index import Deferred, add_documents, remove_documents

__all__ = ["EntriesMixin", "UpsertCounts", "content_hash", "raw_hashes_at"]

_RETRIES = 5  # attempts of one upsert transaction that PostgreSQL may pick as a deadlock victim
_CHUNK = 500  # keys per IN (…) list

EntryValues = dict[str, object]  # an entries row without its canonical_url, by column name
RawHashes = dict[str, tuple[str, str | None]]  # canonical URL → (owning source, extra["raw_hash"])


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
    """What one ``upsert_entries`` did, and the stored entries' ids in the caller's order."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[int] = field(default_factory=list)
    dropped: int = 0  # entries whose own link failed the URL gate: not stored


class EntriesMixin(StoreCore):
    """The ``Store`` methods for entries: writing them (upsert), their raw hashes, and reading them back."""

    # Built once and executed with parameters (see _insert_entries).
    _insert_entry_stmt: ReturningInsert[int, str] | None = None

    def upsert_entries(self, entries: Sequence[Entry]) -> UpsertCounts:
        """Insert or update entries by canonical URL in one transaction; returns what changed.

        PostgreSQL may still pick this transaction as a deadlock victim when another writer's inserts and
        row locks interleave with ours; the whole transaction is then retried (it is idempotent). Entries pass the
        URL gate first (``jianbao.safety.gate_entry``): one whose own link is not http(s) is not stored.
        """
        gated = [kept for entry in entries if (kept := gate_entry(entry)) is not None]
        for attempt in range(_RETRIES):
            try:
                counts = self._upsert_entries_once(gated)
                counts.dropped = len(entries) - len(gated)
                return counts
            except TransientStoreError:
                if attempt == _RETRIES - 1:
                    raise
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    def _upsert_entries_once(self, entries: Sequence[Entry]) -> UpsertCounts:
        """One attempt of ``upsert_entries``: ``upsert_in`` in a transaction of its own."""
        with self.begin() as conn:
            return self.upsert_in(conn, entries)

    def upsert_in(
        self, conn: Connection, entries: Sequence[Entry], *, deferred: Deferred | None = None
    ) -> UpsertCounts:
        """``upsert_entries`` inside the caller's transaction (``conn``), which the caller commits or retries;
        ``deferred``: the search documents' index writes are queued there (the caller flushes it).

        The first source that brought an article owns its text; another source bringing it again only merges
        its counters and name into ``extra`` (no ping-pong between sources on every fetch). Safe against
        concurrent fetches: rows are touched in canonical-URL order (two writers lock them in the same order
        and cannot deadlock), the existing row is locked before it is compared, an insert that loses a race
        to another process falls back to the update path, and links are replaced in the same transaction.
        """
        counts = UpsertCounts()
        now = utc_now()
        order = sorted(range(len(entries)), key=lambda i: entries[i].canonical_url or entries[i].url)
        ids: dict[int, int] = {}
        # (id, entry, replaced): the rows whose links and search documents to write
        written: list[tuple[int, Entry, bool]] = []
        # One query per 500 keys for what is stored already (locked, in key order, on PostgreSQL), so
        # a re-fetch costs no SELECT per entry and an unchanged entry no statement at all.
        existing = self._existing(conn, [entries[i].canonical_url or entries[i].url for i in order])
        fresh: dict[str, tuple[int, EntryValues]] = {}
        later: list[tuple[int, str, EntryValues]] = []  # a second entry for a key new in this batch
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
        self._write_links_and_index(conn, written, deferred)
        for index, entry in enumerate(entries):  # ids in the caller's order
            entry.id = ids[index]
            counts.ids.append(entry.id)
        return counts

    @staticmethod
    def _entry_values(entry: Entry, now: dt.datetime) -> EntryValues:
        """An entry's row. Its text is kept once: a content that repeats the summary is not stored again,
        the head its search document's body holds is not stored twice (``text_heads``), and the raw HTML not
        at all (the text, images and links ``understand`` took from it are)."""
        shared = bool(entry.content) and entry.content == entry.summary
        content = "" if shared else entry.content
        summary_head, content_head = text_heads(entry.summary, content, search_body(entry))
        return {
            "source": entry.source,
            "url": entry.url,
            "title": entry.title,
            "author": entry.author,
            "published": utc_naive(entry.published),
            "fetched": utc_naive(entry.fetched) or now,
            "summary": entry.summary[summary_head:],
            "content": content[content_head:],
            "content_is_summary": shared,
            "summary_head": summary_head,
            "content_head": content_head,
            "html": "",
            "language": entry.language,
            "images": entry.images,
            "extra": entry.extra,
            "content_hash": content_hash(entry),
            "updated_at": now,
        }

    @staticmethod
    def _update_entry(
        conn: Connection, row: AnyRow, entry: Entry, values: EntryValues, counts: UpsertCounts
    ) -> tuple[int, bool]:
        """Update a stored entry (row: id, content_hash, source, extra); True when its text was replaced."""
        entry_id: int = row.id
        if row.source != entry.source:  # another source's article: merge counters, keep the owner's text
            merged = _merge_extra(row.extra or {}, entry.extra, entry.source)
            if merged != (row.extra or {}):
                conn.execute(update(t.entries).where(t.entries.c.id == entry_id).values(extra=merged))
                counts.updated += 1
            else:
                counts.unchanged += 1
            return entry_id, False
        if row.content_hash == values["content_hash"]:
            counts.unchanged += 1
            return entry_id, False
        values = {**values, "extra": {**(row.extra or {}), **entry.extra}}
        conn.execute(update(t.entries).where(t.entries.c.id == entry_id).values(**values))
        counts.updated += 1
        return entry_id, True

    def _insert_entries(self, conn: Connection, rows: Mapping[str, EntryValues]) -> dict[str, int]:
        """Insert new entries in a few batched statements; ids by canonical URL (a URL another process stored
        meanwhile is skipped, never an IntegrityError, and comes back missing)."""
        if not rows:
            return {}
        params = [{"canonical_url": key, **values} for key, values in rows.items()]
        if self.dialect == "sqlite":
            returned = self._driver_insert(conn, t.entries, params, returning=("canonical_url", "id"))
            return {key: entry_id for key, entry_id in returned}
        if self._insert_entry_stmt is None:
            # Built once and executed with parameters: building it with .values() per entry cost more than
            # the INSERT itself (SQLAlchemy coerces and cache-keys every literal).
            self._insert_entry_stmt = (
                insert_on_conflict(t.entries, dialect=self.dialect)
                .on_conflict_do_nothing(index_elements=["canonical_url"])
                .returning(t.entries.c.id, t.entries.c.canonical_url)
            )
        return {row.canonical_url: row.id for row in conn.execute(self._insert_entry_stmt, params)}

    def _write_links_and_index(
        self, conn: Connection, written: list[tuple[int, Entry, bool]], deferred: Deferred | None = None
    ) -> None:
        """Links and search documents of new or replaced entries, in a few batched statements."""
        latest: dict[int, tuple[Entry, bool]] = {}
        for entry_id, entry, was in written:  # a URL twice in one batch: its last version wins
            latest[entry_id] = (entry, was or entry_id in latest)
        written = [(entry_id, entry, was) for entry_id, (entry, was) in latest.items()]
        replaced = [entry_id for entry_id, _entry, was in written if was]
        for start in range(0, len(replaced), _CHUNK):
            conn.execute(delete(t.links).where(t.links.c.entry_id.in_(replaced[start : start + _CHUNK])))
        # Replaced entries' documents go; so does any left behind under a reused (SQLite) rowid of a new one.
        refs = [str(entry_id) for entry_id, _entry, _was in written]
        for start in range(0, len(refs), _CHUNK):
            chunk = refs[start : start + _CHUNK]
            where = (t.search_docs.c.kind == "entry") & t.search_docs.c.ref.in_(chunk)
            remove_documents(conn, where, deferred=deferred)
        links = [
            {"entry_id": entry_id, "position": i, "url": link.url, "kind": link.kind, "key": link.key,
             "label": link.label}
            for entry_id, entry, _was in written
            for i, link in enumerate(entry.links)
        ]  # fmt: skip
        self._insert_rows(conn, t.links, links)
        docs = [entry_document(entry_id, entry) for entry_id, entry, _ in written]
        add_documents(conn, docs, self._insert_rows, deferred=deferred)

    def _existing(self, conn: Connection, keys: Sequence[str]) -> dict[str, AnyRow]:
        """The stored rows (id, content_hash, source, extra) of the given canonical URLs, by URL."""
        found: dict[str, AnyRow] = {}
        unique = sorted(set(keys))
        columns = (t.entries.c.id, t.entries.c.content_hash, t.entries.c.source, t.entries.c.extra)
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            query = (
                select(t.entries.c.canonical_url, *columns)
                .where(t.entries.c.canonical_url.in_(chunk))
                .order_by(t.entries.c.canonical_url)
                .with_for_update()
            )
            for row in conn.execute(query):
                found[row.canonical_url] = row
        return found

    def raw_hashes(self, keys: Sequence[str]) -> RawHashes:
        """(owning source, ``extra["raw_hash"]``) of the stored entries among the given canonical URLs.

        Lets ingest skip understanding an entry whose parsed form is the one it stored last time.
        """
        return _raw_hashes(self.engine, keys)

    def entries_between(
        self, start: dt.datetime, end: dt.datetime, *, sources: Sequence[str] | None = None
    ) -> list[Entry]:
        """Entries published in [start, end), oldest first, with their links."""
        if self.dialect == "sqlite":  # a window of thousands: read through the driver (the same entries)
            with self.engine.connect() as conn:
                return _sqlite_entries_between(conn, start, end, sources)
        query = select(t.entries).where(
            t.entries.c.published >= utc_naive(start), t.entries.c.published < utc_naive(end)
        )
        if sources is not None:
            query = query.where(t.entries.c.source.in_(list(sources)))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(t.entries.c.published, t.entries.c.id)).mappings().all()
            return _entries(conn, rows)

    def get_entries(self, ids: Sequence[int]) -> list[Entry]:
        """The entries with these ids, with their links, in the order asked (unknown ids are left out)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.entries).where(t.entries.c.id.in_(list(ids)))).mappings().all()
            by_id = {e.id: e for e in _entries(conn, rows)}
        return [by_id[i] for i in ids if i in by_id]

    def latest_published(self) -> dt.date | None:
        """The date of the newest entry (by publication), None for an empty store: what a command that found
        nothing for today names instead."""
        with self.engine.connect() as conn:
            value = conn.execute(select(func.max(t.entries.c.published))).scalar_one()
        latest = utc_aware(value)
        return latest.date() if latest is not None else None

    def count_entries(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t.entries)).scalar_one())

    def trending_entries(self, sources: Sequence[str], start: dt.datetime, end: dt.datetime) -> list[Entry]:
        """Entries of ``sources`` (trending tables) in [start, end). Their rows carry no publication date, so
        they are found by fetch time: the window's, or when the window has none (a snapshot read later, as in
        the demo), the latest fetch of those sources."""
        if not sources:
            return []
        entries = t.entries.c
        mine = entries.source.in_(list(sources))
        dated = (entries.published >= utc_naive(start)) & (entries.published < utc_naive(end))
        undated = entries.published.is_(None)
        fetched = undated & (entries.fetched >= utc_naive(start)) & (entries.fetched < utc_naive(end))
        with self.engine.connect() as conn:
            query = select(entries.id).where(mine & (dated | fetched)).order_by(entries.id)
            ids = [row[0] for row in conn.execute(query)]
            if not ids:
                latest = conn.execute(select(func.max(entries.fetched)).where(mine & undated)).scalar()
                if latest is not None:
                    query = select(entries.id).where(mine & undated & (entries.fetched == latest))
                    ids = [row[0] for row in conn.execute(query.order_by(entries.id))]
        return self.get_entries(ids)

    def entries_by_keys(self, keys: Sequence[str]) -> dict[str, Entry]:
        """The stored entries of these canonical URLs, by canonical URL (those the store lacks are left out)."""
        wanted = sorted(set(keys))
        ids: list[int] = []
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), _CHUNK):
                query = select(t.entries.c.id).where(t.entries.c.canonical_url.in_(wanted[start : start + _CHUNK]))
                ids.extend(row[0] for row in conn.execute(query))
        return {entry.canonical_url: entry for entry in self.get_entries(ids)}

    def latest_entries(
        self,
        sources: Sequence[str],
        *,
        before: dt.datetime,
        limit: int,
        undated: bool = False,
        known: Mapping[int, Entry] | None = None,
    ) -> dict[str, list[Entry]]:
        """The ``limit`` newest entries of each of ``sources`` published before ``before``, newest first: what
        a source has been publishing. ``undated``: entries without a date count too, by their latest fetch
        whenever it was (a feed of trending repositories dates nothing, and may be read after the day).
        ``known``: entries already read, by id (a build's window), returned as they are instead of read again."""
        known = known or {}
        entries = t.entries.c
        dated = entries.published < utc_naive(before)
        when = dated | entries.published.is_(None) if undated else dated
        names = list(dict.fromkeys(sources))
        found: dict[str, list[int]] = {}
        with self.engine.connect() as conn:
            # one query for all the sources: each source's rows numbered newest first, the first ``limit`` kept
            for start in range(0, len(names), _CHUNK):
                rank = (
                    func.row_number()
                    .over(
                        partition_by=entries.source,
                        order_by=(
                            func.coalesce(entries.published, entries.fetched).desc(),
                            entries.id.desc(),
                        ),
                    )
                    .label("rank")
                )
                ranked = (
                    select(entries.id, entries.source, rank)
                    .where(entries.source.in_(names[start : start + _CHUNK]), when)
                    .subquery()
                )
                query = select(ranked.c.id, ranked.c.source).where(ranked.c.rank <= limit)
                for entry_id, name in conn.execute(query.order_by(ranked.c.source, ranked.c.rank)):
                    found.setdefault(name, []).append(entry_id)
        newest = {name: found[name] for name in names if name in found}  # in the order asked
        # read after this connection is given back (an in-memory store has one connection only), all at once
        wanted = list(dict.fromkeys(i for ids in newest.values() for i in ids if i not in known))
        read: dict[int, Entry] = {}
        for start in range(0, len(wanted), _CHUNK):
            read.update((e.id, e) for e in self.get_entries(wanted[start : start + _CHUNK]) if e.id is not None)
        have = {**read, **known}
        return {name: [have[i] for i in ids if i in have] for name, ids in newest.items()}

    def entry_by_url(self, urls: Sequence[str]) -> Entry | None:
        """The first stored entry whose canonical URL is one of ``urls``."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.entries.c.id).where(t.entries.c.canonical_url.in_(list(urls)))
            ).first()
        if row is None:
            return None
        found = self.get_entries([row.id])
        return found[0] if found else None


def _bodies(conn: Connection, rows: Sequence[RowMapping]) -> dict[int, str]:
    """The search document bodies of the entries whose rows keep only the rest of their text, by entry id."""
    refs = [str(row["id"]) for row in rows if row["summary_head"] or row["content_head"]]
    docs = t.search_docs.c
    found: dict[int, str] = {}
    for start in range(0, len(refs), _CHUNK):
        query = select(docs.ref, docs.body).where(docs.kind == "entry", docs.ref.in_(refs[start : start + _CHUNK]))
        found.update((int(ref), body) for ref, body in conn.execute(query))
    if len(found) < len(refs):
        missing = next(ref for ref in refs if int(ref) not in found)
        raise StoreError(f"entry {missing} has lost the search document that holds its text's head")
    return found


def _text(row: RowMapping, bodies: dict[int, str]) -> tuple[str, str]:
    """An entry's summary and content from its row (and its search document's body, which holds the head)."""
    body = bodies.get(row["id"], "")
    summary = body[: row["summary_head"]] + row["summary"]
    content = summary if row["content_is_summary"] else body[: row["content_head"]] + row["content"]
    return summary, content


def _entries(conn: Connection, rows: Sequence[RowMapping]) -> list[Entry]:
    """Entries from their rows, each with its links (read in one query per 500 entries) and its whole text."""
    ids = [row["id"] for row in rows]
    bodies = _bodies(conn, rows)
    texts = {row["id"]: _text(row, bodies) for row in rows}
    links: dict[int, list[Link]] = {}
    for chunk_start in range(0, len(ids), _CHUNK):
        chunk = ids[chunk_start : chunk_start + _CHUNK]
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
            published=utc_aware(row["published"]),
            fetched=utc_aware(row["fetched"]),
            summary=texts[row["id"]][0],
            content=texts[row["id"]][1],
            html=row["html"],
            language=row["language"],
            images=list(row["images"] or []),
            links=links.get(row["id"], []),
            extra=dict(row["extra"] or {}),
        )
        for row in rows
    ]


# The columns of the entries table an ``Entry`` is made of, as ``_sqlite_entries_between`` reads them (not the
# content hash nor the update time, which no entry carries), then the body of the entry's search document when
# the row keeps only the rest of its text.
_COLUMNS = (
    "id", "source", "url", "title", "canonical_url", "author", "published", "fetched", "summary", "content",
    "html", "language", "images", "extra", "content_is_summary", "summary_head", "content_head",
)  # fmt: skip


def _sqlite_entries_between(
    conn: Connection, start: dt.datetime, end: dt.datetime, sources: Sequence[str] | None
) -> list[Entry]:
    """``entries_between`` on SQLite: the rows with their search documents' bodies in one query and the links
    in another, through the driver, each value converted as the columns' types convert it (SQLAlchemy's
    per-row processing and IN lists were most of a build's reading)."""
    bind = t.entries.c.published.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    low, high = (utc_naive(when) for when in (start, end))
    params: list[object] = [bind(low) if bind else low, bind(high) if bind else high]
    where = "e.published >= ? AND e.published < ?"
    if sources is not None:
        names = list(sources)
        if not names:
            return []
        where += f" AND e.source IN ({', '.join('?' * len(names))})"
        params += names
    columns = ", ".join(f'e."{name}"' for name in _COLUMNS)
    rows = conn.exec_driver_sql(
        f"SELECT {columns}, CASE WHEN e.summary_head > 0 OR e.content_head > 0 THEN (SELECT d.body FROM "
        "search_docs d WHERE d.kind = 'entry' AND d.ref = CAST(e.id AS TEXT) ORDER BY d.id DESC LIMIT 1) END "
        f"FROM entries e WHERE {where} ORDER BY e.published, e.id",
        tuple(params),
    ).all()
    links: dict[int, list[Link]] = {}
    for entry_id, url, kind, key, label in conn.exec_driver_sql(
        "SELECT l.entry_id, l.url, l.kind, l.key, l.label FROM links l JOIN entries e ON e.id = l.entry_id "
        f"WHERE {where} ORDER BY l.entry_id, l.position",
        tuple(params),
    ):
        links.setdefault(entry_id, []).append(Link(url=url, kind=kind, key=key, label=label))
    out: list[Entry] = []
    for (
        entry_id, source, url, title, canonical_url, author, published, fetched, summary, content, html, language,
        images, extra, content_is_summary, summary_head, content_head, body,
    ) in rows:  # fmt: skip
        if (summary_head or content_head) and body is None:
            raise StoreError(f"entry {entry_id} has lost the search document that holds its text's head")
        body = body or ""
        summary = body[:summary_head] + summary
        out.append(
            Entry(
                id=entry_id,
                source=source,
                url=url,
                title=title,
                canonical_url=canonical_url,
                author=author,
                published=_sqlite_time(published),
                fetched=_sqlite_time(fetched),
                summary=summary,
                content=summary if content_is_summary else body[:content_head] + content,
                html=html,
                language=language,
                images=_json_list(images),
                links=links.get(entry_id, []),
                extra=_json_dict(extra),
            )
        )
    return out


def _sqlite_time(value: str | None) -> dt.datetime | None:
    """A SQLite DATETIME as SQLAlchemy stores it ("2026-06-01 12:00:00.000000", naive UTC), aware: read as
    UTC by its offset appended (a fifth of the time ``replace(tzinfo=…)`` takes), else replaced."""
    if value is None:
        return None
    try:
        return dt.datetime.fromisoformat(value + "+00:00")
    except ValueError:  # (not as SQLAlchemy writes it: an offset of its own)
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def _json_list(value: str | None) -> list[Any]:
    """A JSON column read as a list: ``list(json.loads(value) or [])``, the empty list most rows keep without
    the parser."""
    if value is None or value == "[]":
        return []
    return list(json.loads(value) or [])


def _json_dict(value: str | None) -> dict[str, Any]:
    """A JSON column read as a dict: ``dict(json.loads(value) or {})``, a parsed object kept (it is new)."""
    if value is None:
        return {}
    loaded = json.loads(value)
    return loaded if type(loaded) is dict else dict(loaded or {})


def _merge_extra(current: dict[str, Any], incoming: dict[str, Any], source: str) -> dict[str, Any]:
    """Another source's ``extra`` merged into the owner's: its counters win, its name joins ``seen_in``."""
    merged = {**incoming, **current}
    for key in ("stars", "stars_period", "forks", "points", "comments", "period", "rank"):
        if key in incoming:
            merged[key] = incoming[key]
    seen = list(merged.get("seen_in", []))
    if source not in seen:
        seen.append(source)
    merged["seen_in"] = seen
    return merged


def _raw_hashes(engine: Engine, keys: Sequence[str]) -> RawHashes:
    found: RawHashes = {}
    unique = sorted(set(keys))
    with engine.connect() as conn:
        for start in range(0, len(unique), _CHUNK):
            query = select(t.entries.c.canonical_url, t.entries.c.source, t.entries.c.extra).where(
                t.entries.c.canonical_url.in_(unique[start : start + _CHUNK])
            )
            for row in conn.execute(query):
                found[row.canonical_url] = (row.source, (row.extra or {}).get("raw_hash"))
    return found


@functools.cache
def _reader(url: str) -> Engine:
    return make_engine(url)


def raw_hashes_at(url: str, keys: Sequence[str]) -> RawHashes:
    """``Store.raw_hashes`` for another process (an ingest worker) that reads the store at ``url`` without
    opening it as a ``Store`` (which takes the write lock to check migrations); one engine per process."""
    return _raw_hashes(_reader(url), keys)
