"""The stored relevance evidence (#21): ingest keeps each entry's rule evidence, a build reads it and gives the
issue computing it gives, byte for byte; a change of the word lists, link kinds or topic, or of the entry,
makes new keys, so stale evidence is never read."""

from __future__ import annotations

import datetime as dt
import marshal
from importlib.resources import files
from pathlib import Path

import pytest
from sqlalchemy import select, update

from jianbao.archive import read_issue_file
from jianbao.config import Config, RelevanceSettings
from jianbao.demo import sample_sources
from jianbao.editions import get_edition
from jianbao.errors import StoreError
from jianbao.ingestion.runner import ingest
from jianbao.issue.build import build
from jianbao.issue.gather import gather_stories, window
from jianbao.issue.relevance import (
    _Evidence,
    entry_points,
    evidence_rows,
    lab_of,
    load_topic,
    reading_of,
    vocabulary,
)
from jianbao.records import Entry, Link, Story
from jianbao.store import Store, open_store
from jianbao.store import schema as t
from jianbao.urls import link_key, link_kind


def _ingested(tmp_path: Path, name: str = "demo.db") -> tuple[Store, dt.date]:
    day, sources = sample_sources()
    store = open_store(f"sqlite:///{tmp_path / name}")
    store.sync_sources(sources)
    ingest(store, sources, config=Config())
    return store, day


def _relevance(stories: list[Story]) -> list[tuple[object, ...]]:
    return [(s.id, s.relevance, s.score) for s in stories]


def _gathered(store: Store, config: Config, day: dt.date) -> list[list[tuple[object, ...]]]:
    return [
        _relevance(gather_stories(store, config=config, day=day, edition=get_edition(name)))
        for name in ("weekly", "daily")
    ]


def _computed(store: Store, config: Config, day: dt.date) -> list[list[tuple[object, ...]]]:
    """The same with no stored evidence at all: the store's evidence methods hidden."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "evidence_get", lambda hashes: {})
        patch.setattr(store, "evidence_put", lambda rows: None)
        return _gathered(store, config, day)


def _tamper(store: Store) -> None:
    """Every stored row says something no computation says: what reads it shows."""
    fake = marshal.dumps((4.0, ("title:tampered",), "", ""))
    with store.begin() as conn:
        conn.execute(update(t.relevance_evidence).values(data=fake))


def _tampered(stories: list[tuple[object, ...]]) -> bool:
    return any("title:tampered" in (rel.evidence if rel else []) for _id, rel, _score in stories)  # type: ignore[attr-defined]


def test_stored_evidence_is_what_the_rules_compute(shared_dir: Path) -> None:
    """Each entry's packed evidence unpacks to ``entry_points`` and ``lab_of`` of it: the sample feeds' entries
    and a month of the 2026 archive's items (their links: papers, repositories, model pages)."""
    entries: list[Entry] = []
    for path in sorted((shared_dir / "archive" / "2026").glob("AI简报202607*.md")):
        for i, item in enumerate(read_issue_file(path).data.get("items") or []):
            urls = item.get("urls") or []
            url = urls[0] if urls else f"https://replay.example/{path.stem}/{i}"
            links = [Link(url=u, kind=link_kind(u), key=link_key(u)) for u in urls]
            entries.append(
                Entry(source="replay", url=url, title=item.get("title") or "", summary=item.get("text") or "",
                      links=links)
            )  # fmt: skip
    assert len(entries) > 150
    for settings in (
        RelevanceSettings(),
        RelevanceSettings(keywords=["开源"], avoid=["融资"], link_kinds=["code"]),
    ):
        topic, words = load_topic(settings.topic), vocabulary(settings)
        rows = evidence_rows(entries, settings)
        assert len(rows) == len({reading_of(e) for e in entries})
        evidence = _Evidence(topic, settings)
        for entry in entries:
            evidence.read([entry])  # no cache: nothing read, each computed when asked
            points, why = entry_points(entry, words, link_kinds=settings.link_kinds)
            assert evidence(entry) == (points, why)
        stored = {marshal.loads(data) for data in rows.values()}
        expected = {
            (*_points(e, settings), lab_of(e.url, topic), lab_of(e.url, topic, companies=True))
            for e in entries
        }
        assert stored == expected
        assert any(p > 0 for p, *_ in stored) and any(lab for *_, lab, _c in stored)


def _points(entry: Entry, settings: RelevanceSettings) -> tuple[float, tuple[str, ...]]:
    points, why = entry_points(entry, vocabulary(settings), link_kinds=settings.link_kinds)
    return points, tuple(why)


def test_ingest_keeps_the_evidence_and_a_build_from_it_is_byte_identical(tmp_path: Path) -> None:
    store, day = _ingested(tmp_path)
    try:
        kept = store.evidence_count()
        entries = store.entries_between(*window(day, 7))
        assert kept >= len({reading_of(e) for e in entries}) > 0
        config = Config()
        evidence = _Evidence(load_topic("ai"), config.relevance, store)
        evidence.read(entries)
        assert evidence.computed == 0  # ingest kept every entry's
        assert _gathered(store, config, day) == _computed(store, config, day)
        read = [build(store, config, day, name).issue for name in ("weekly", "daily")]
        markdown = [store.get_markdown(f"{i.format}:{i.date.isoformat()}") for i in read]
        assert store.evidence_count() == kept  # a build from a warm store computes and writes none
        with store.begin() as conn:
            conn.execute(t.relevance_evidence.delete())
        again = [build(store, config, day, name).issue for name in ("weekly", "daily")]
        assert [store.get_markdown(f"{i.format}:{i.date.isoformat()}") for i in again] == markdown
        assert all(markdown) and read == again
        assert store.evidence_count() >= len({reading_of(e) for e in entries})  # computed and kept again
    finally:
        store.close()


def test_the_stored_evidence_is_read_and_a_change_of_the_word_lists_invalidates_it(tmp_path: Path) -> None:
    store, day = _ingested(tmp_path)
    mine = tmp_path / "ai-plus.toml"
    mine.write_text(
        files("jianbao.issue").joinpath("topics", "ai.toml").read_text(encoding="utf-8")
        .replace('strong = [', 'strong = ["机器人", '),
        encoding="utf-8",
    )  # fmt: skip
    try:
        config = Config()
        _tamper(store)
        # the store's rows are read
        assert all(_tampered(stories) for stories in _gathered(store, config, day))
        changes = [
            RelevanceSettings(keywords=["机器人"]),
            RelevanceSettings(avoid=["融资"]),
            RelevanceSettings(link_kinds=["paper", "code"]),
            RelevanceSettings(topic=str(mine)),
        ]
        for settings in changes:
            changed = Config(relevance=settings)
            got = _gathered(store, changed, day)
            assert not any(_tampered(stories) for stories in got)
            assert got == _computed(store, changed, day)
        # the same word lists again: the tampered rows are still what is read (nothing else was overwritten)
        assert all(_tampered(stories) for stories in _gathered(store, config, day))
    finally:
        store.close()


def test_a_changed_entry_gets_new_evidence(tmp_path: Path) -> None:
    store, day = _ingested(tmp_path)
    try:
        settings = RelevanceSettings()
        _tamper(store)
        target = store.entries_between(*window(day, 7))[0]
        target.title, target.summary, target.content = "A new model", "The new LLM from OpenAI.", ""
        target.links = [Link(url="https://huggingface.co/org/m", kind="code", key="hf:org/m")]
        store.upsert_entries([target])
        entries = store.entries_between(*window(day, 7))
        evidence = _Evidence(load_topic(settings.topic), settings, store)
        evidence.read(entries)
        assert evidence.computed == 1  # the changed entry alone: the rest are the (tampered) stored rows
        for entry in entries:
            if entry.url == target.url:
                assert evidence(entry) == entry_points(entry, vocabulary(settings)) and evidence(entry)[0] > 2
            else:
                assert evidence(entry) == (4.0, ["title:tampered"])
    finally:
        store.close()


def test_a_window_read_through_the_sqlite_driver_is_the_one_sqlalchemy_reads(tmp_path: Path) -> None:
    """The sample feeds (links, text heads kept in the search documents, contents that repeat the summary,
    authors, images), a source filter, an empty one, and an entry whose search document was lost."""
    store, day = _ingested(tmp_path)
    try:
        names = sorted({e.source for e in store.entries_between(*window(day, 30))})
        for days in (1, 7, 30):
            start, end = window(day, days)
            for sources in (None, names[:2], [], ["nobody"]):
                fast = store.entries_between(start, end, sources=sources)
                store.dialect = "generic"  # SQLAlchemy's select, as PostgreSQL reads it
                try:
                    plain = store.entries_between(start, end, sources=sources)
                finally:
                    store.dialect = "sqlite"
                assert fast == plain
        every = store.entries_between(*window(day, 30))
        assert any(e.links for e in every) and any(e.images for e in every) and any(e.author for e in every)
        assert any(e.content == e.summary and e.content for e in every) and any(
            e.content != e.summary for e in every
        )
        with store.begin() as conn:
            heads = conn.execute(select(t.entries.c.id).where(t.entries.c.summary_head > 0)).scalars().all()
            assert heads
            conn.execute(t.search_docs.delete().where(t.search_docs.c.ref == str(heads[0])))
        with pytest.raises(StoreError, match="lost the search document"):
            store.entries_between(*window(day, 30))
    finally:
        store.close()
