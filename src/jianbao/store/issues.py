"""Issues in the store: saving an issue whole (its items, their story keys and its search documents),
reading it back, listing issues, and the history of published items that clustering asks "already covered?"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypedDict

from sqlalchemy import Connection, delete, func, insert, select, text, update

from jianbao.errors import StoreError
from jianbao.records import Issue, Item, issue_from_dict, to_dict
from jianbao.safety import gate_issue, safe_markdown
from jianbao.store import schema as t
from jianbao.store.core import StoreCore, utc_now
from jianbao.store.search_docs import issue_documents
from jianbao.store.search_index import add_documents, remove_documents
from jianbao.urls import canonical_url, link_key

__all__ = ["HistoryItem", "IssueSummary", "IssueVersion", "IssuesMixin"]

_ISSUE_LOCK_SPACE = 7412002  # pg_advisory_xact_lock(space, hashtext(issue id)): one saver per issue
_CHUNK = 500  # ids per IN (…) list
KEPT_VERSIONS = 300  # versions kept per issue: a busy morning's every autosave, with room to spare


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


class IssueSummary(TypedDict):
    """One row of ``Store.list_issues``."""

    id: str
    date: dt.date
    format: str
    state: str
    title: str
    source_file: str | None
    items: int
    version: int
    updated_at: dt.datetime


@dataclass(slots=True)
class IssueVersion:
    """One saved version of an issue in its history: what the editor did, when, and the counts it left."""

    version: int
    note: str
    items: int
    chars: int | None
    saved_at: dt.datetime  # naive UTC, as stored


class IssuesMixin(StoreCore):
    """The ``Store`` methods for issues and their items."""

    def save_issue(
        self,
        issue: Issue,
        *,
        markdown: str | None = None,
        expected_version: int | None = None,
        note: str | None = None,
    ) -> int:
        """Insert or replace an issue and its items; returns the new version.

        ``expected_version`` is last-write detection for editors: saving over a version someone else has
        already replaced raises StoreError instead of silently losing their edit. With a ``note`` (what the
        editor did) the new version also goes into the issue's history, and so does the version it replaces
        when the history lacks it (a draft ``jianbao build`` wrote), so every step can be restored. What is
        saved has passed the gate (``jianbao.safety``): an edit or an import cannot store a ``javascript:``
        link or a control character.
        """
        issue = gate_issue(issue)
        markdown = safe_markdown(markdown) if markdown is not None else None
        data = to_dict(issue)
        now = utc_now()
        with self.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:space, hashtext(:k))"),
                    {"space": _ISSUE_LOCK_SPACE, "k": issue.id},
                )
            row = conn.execute(
                select(t.issues.c.version, t.issues.c.data).where(t.issues.c.id == issue.id)
            ).first()
            if expected_version is not None and row is not None and row.version != expected_version:
                raise StoreError(
                    f"issue {issue.id} was changed elsewhere (version {row.version}, you edited {expected_version})",
                    hint="reload to see the other change, then edit again",
                )
            version: int = (row.version + 1) if row else 1
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
                remove_documents(conn, t.search_docs.c.issue_id == issue.id)
            else:
                conn.execute(insert(t.issues).values(id=issue.id, **values))
            self._insert_items(conn, issue)
            add_documents(conn, issue_documents(issue), self._insert_rows)
            if note is not None:
                if row is not None:
                    self._keep_version(conn, issue.id, row.version, row.data, "", now, only_if_missing=True)
                self._keep_version(conn, issue.id, version, data, note, now)
        return version

    @staticmethod
    def _keep_version(
        conn: Connection,
        issue_id: str,
        version: int,
        data: dict[str, Any],
        note: str,
        now: dt.datetime,
        *,
        only_if_missing: bool = False,
    ) -> None:
        """Add one version to the issue's history (trimmed to the last ``KEPT_VERSIONS``)."""
        versions = t.issue_versions
        key = (versions.c.issue_id == issue_id) & (versions.c.version == version)
        if conn.execute(select(versions.c.version).where(key)).first() is not None:
            if only_if_missing:
                return
            conn.execute(delete(versions).where(key))  # a version number reused after a deleted issue
        intro = data.get("intro") or {}
        items = sum(len(section.get("items", [])) for section in data.get("sections", []))
        conn.execute(
            insert(versions).values(
                issue_id=issue_id,
                version=version,
                data=data,
                note=note,
                items=items,
                chars=intro.get("chars"),
                saved_at=now,
            )
        )
        conn.execute(
            delete(versions).where(
                versions.c.issue_id == issue_id, versions.c.version <= version - KEPT_VERSIONS
            )
        )

    def issue_versions(self, issue_id: str) -> list[IssueVersion]:
        """The issue's saved versions, newest first (only the desk's saves are kept)."""
        versions = t.issue_versions
        query = (
            select(
                versions.c.version,
                versions.c.note,
                versions.c["items"],
                versions.c.chars,
                versions.c.saved_at,
            )
            .where(versions.c.issue_id == issue_id)
            .order_by(versions.c.version.desc())
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [IssueVersion(r.version, r.note, r.items, r.chars, r.saved_at) for r in rows]

    def issue_version(self, issue_id: str, version: int) -> Issue | None:
        """One version of the issue from its history, or None when the history does not hold it."""
        if not 0 < version < 2**31:  # no such version, and a number the database's integer cannot hold
            return None
        versions = t.issue_versions
        with self.engine.connect() as conn:
            data = conn.execute(
                select(versions.c.data).where(versions.c.issue_id == issue_id, versions.c.version == version)
            ).scalar_one_or_none()
        return issue_from_dict(data) if data is not None else None

    @staticmethod
    def _insert_items(conn: Connection, issue: Issue) -> None:
        """The issue's items, and the story keys of each, in one batched statement each."""
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
                # The item whole is in the issue's own JSON: here only what history reads beside the columns.
                "data": {"entity": item.entity},
            }
            for position, item in enumerate(issue.items)
        ]
        if not rows:
            return
        # One batched INSERT … RETURNING (insertmanyvalues) instead of a round trip per item.
        ids = conn.execute(
            insert(t.items).returning(t.items.c.id, sort_by_parameter_order=True), rows
        ).scalars()
        keys = [
            {"item_id": item_id, "key": key}
            for item_id, item in zip(ids.all(), issue.items, strict=True)
            for key in sorted({k[:500] for k in _item_keys(item)})
        ]
        if keys:
            conn.execute(insert(t.item_keys), keys)

    def get_issue(self, issue_id: str) -> tuple[Issue, int] | None:
        """The issue and its version (for last-write detection), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.issues.c.data, t.issues.c.version).where(t.issues.c.id == issue_id)
            ).first()
        return (issue_from_dict(row.data), row.version) if row else None

    def get_markdown(self, issue_id: str) -> str | None:
        """The Markdown saved with the issue, if any."""
        with self.engine.connect() as conn:
            markdown: str | None = conn.execute(
                select(t.issues.c.markdown).where(t.issues.c.id == issue_id)
            ).scalar_one_or_none()
        return markdown

    def list_issues(self, *, fmt: str | None = None, state: str | None = None) -> list[IssueSummary]:
        """Issue summaries, newest first: id, date, format, state, title, source file, item count."""
        counts = select(t.items.c.issue_id, func.count().label("n")).group_by(t.items.c.issue_id).subquery()
        query = select(
            t.issues.c.id,
            t.issues.c.date,
            t.issues.c.format,
            t.issues.c.state,
            t.issues.c.title,
            t.issues.c.source_file,
            t.issues.c.version,
            t.issues.c.updated_at,
            func.coalesce(counts.c.n, 0).label("items"),
        ).outerjoin(counts, counts.c.issue_id == t.issues.c.id)
        if fmt:
            query = query.where(t.issues.c.format == fmt)
        if state:
            query = query.where(t.issues.c.state == state)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(t.issues.c.date.desc(), t.issues.c.id)).all()
        return [
            IssueSummary(
                id=r.id,
                date=r.date,
                format=r.format,
                state=r.state,
                title=r.title,
                source_file=r.source_file,
                items=r.items,
                version=r.version,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    def top_sources(self, issue_id: str, limit: int = 3) -> list[str]:
        """The sources with the most items in an issue, most first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.items.c.source, func.count().label("n"))
                .where(t.items.c.issue_id == issue_id, t.items.c.source.is_not(None), t.items.c.source != "")
                .group_by(t.items.c.source)
                .order_by(func.count().desc(), t.items.c.source)
                .limit(limit)
            ).all()
        return [r.source for r in rows]

    def change_marks(self) -> tuple[object, ...]:
        """A cheap fingerprint of the entries and the published issues: it changes whenever either does."""
        # Separate queries: SQLite answers a lone max() from the index's end and a lone count() from its
        # smallest index, but count() and max() together scan the whole index (m009 adds the indexes).
        with self.engine.connect() as conn:
            entries = (
                conn.execute(select(func.count()).select_from(t.entries)).scalar_one(),
                conn.execute(select(func.max(t.entries.c.updated_at))).scalar_one(),
            )
            published = conn.execute(
                select(func.count(), func.max(t.issues.c.published_at)).where(t.issues.c.state == "published")
            ).one()
        return (self.url, entries, tuple(published))

    def published_ids(self) -> list[tuple[dt.date, str, str]]:
        """``(date, format, id)`` of every published issue, oldest first: a date may have a weekly and a daily."""
        query = (
            select(t.issues.c.date, t.issues.c.format, t.issues.c.id)
            .where(t.issues.c.state == "published")
            .order_by(t.issues.c.date, t.issues.c.format)
        )
        with self.engine.connect() as conn:
            return [(row.date, row.format, row.id) for row in conn.execute(query)]

    def published_by_date(self) -> dict[dt.date, str]:
        """The id of the published issue of each date, the last published one where a date has several."""
        query = (
            select(t.issues.c.id, t.issues.c.date)
            .where(t.issues.c.state == "published")
            .order_by(t.issues.c.date, t.issues.c.published_at, t.issues.c.id)
        )
        with self.engine.connect() as conn:
            return {row.date: row.id for row in conn.execute(query)}

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
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                for k in conn.execute(select(t.item_keys).where(t.item_keys.c.item_id.in_(chunk))):
                    keys.setdefault(k.item_id, []).append(k.key)
        out = []
        for r in rows:
            data: dict[str, Any] = r["data"] or {}
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


def _item_keys(item: Item) -> Iterator[str]:
    """Keys that identify an item's story: paper/code keys of its links and canonical URLs of its links."""
    urls = [item.url] if item.url else []
    urls += [link.url for link in item.links]
    for url in urls:
        key = link_key(url)
        if key:
            yield key
        yield "url:" + canonical_url(url)
