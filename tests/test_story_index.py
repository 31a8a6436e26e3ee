"""The story index: ingest keeps each entry's signature, and clustering from it gives the stories a full
re-cluster gives (the demo's samples, a month of the 2026 archive's items arriving day by day)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from jianbao.archive import read_issue_file
from jianbao.cli import app
from jianbao.config import Config
from jianbao.demo import sample_sources
from jianbao.editions import get_edition
from jianbao.ingestion.runner import ingest
from jianbao.issue.gather import gather_stories, window
from jianbao.records import Entry, Link, Source, Story
from jianbao.store import Store, open_store
from jianbao.stories.candidates import band_count, band_keys, lsh_pairs, minhash_rows
from jianbao.stories.cluster import cluster_entries
from jianbao.stories.index import drop_index, index_stored
from jianbao.stories.parallel import STATS, pooled
from jianbao.stories.settings import DEFAULT_SETTINGS
from jianbao.stories.signature import compute_packed, entry_report, pack, signatures, unpack
from jianbao.urls import link_key, link_kind

CHINA = dt.timezone(dt.timedelta(hours=8))


def _shape(stories: list[Story]) -> list[tuple[object, ...]]:
    """Everything a story carries that clustering, history and scoring decide."""
    return [
        (s.id, s.title, [e.url for e in s.entries], s.keys, s.state, s.published_in, s.new_facts, s.score)
        for s in stories
    ]


def _windows(store: Store, day: dt.date, days: int = 0) -> list[list[tuple[object, ...]]]:
    config = Config()
    return [
        _shape(gather_stories(store, config=config, day=day, edition=get_edition(name), window_days=days or None))
        for name in ("weekly", "daily")
    ]


def test_a_signature_survives_packing() -> None:
    entry = Entry(
        source="s", url="https://a.example/1", canonical_url="https://a.example/1",
        title="OpenAI 发布 GPT-5.6，融资 20 亿美元", summary="OpenAI 表示 GPT-5.6 在编程上提升 30%。",
        links=[Link(url="https://arxiv.org/abs/2401.00001", kind="paper", key="arxiv:2401.00001")],
    )  # fmt: skip
    report = entry_report(entry, DEFAULT_SETTINGS)
    [packed] = compute_packed([report], DEFAULT_SETTINGS)
    doc, row = unpack(packed, report, DEFAULT_SETTINGS)
    again, row_again = unpack(pack(doc, row), report, DEFAULT_SETTINGS)
    assert again == doc and (row_again == row).all() and row.shape == (band_count(DEFAULT_SETTINGS),)
    assert "arxiv:2401.00001" in doc.keys and doc.ents.models and doc.facts


def test_a_packed_signature_holds_every_feature_report_features_computes() -> None:
    """What the index keeps is what a build would compute: a field the packing forgot (a follow-up headline,
    a rumour) would make indexed stories match history differently from a full re-cluster."""
    from jianbao.stories.compare import report_features

    for title in ("OpenAI 回应 GPT-5.6 争议：持续发酵", "传 OpenAI 将发布 GPT-5.6"):
        entry = Entry(source="s", url="https://a.example/2", canonical_url="https://a.example/2", title=title,
                      summary="据报道，OpenAI 表示 GPT-5.6 将在下周上线。")  # fmt: skip
        title_, lead, keys = entry_report(entry, DEFAULT_SETTINGS)
        [packed] = compute_packed([(title_, lead, keys)], DEFAULT_SETTINGS)
        doc, _bands = unpack(packed, (title_, lead, keys), DEFAULT_SETTINGS)
        assert doc == report_features(title_, lead, keys)
    assert unpack(packed, (title_, lead, keys), DEFAULT_SETTINGS)[0].rumour


def test_ingest_keeps_the_index_and_the_demo_stories_equal_a_full_recluster(tmp_path: Path) -> None:
    day, sources = sample_sources()
    with open_store(f"sqlite:///{tmp_path / 'demo.db'}") as store:
        store.sync_sources(sources)
        ingest(store, sources, config=Config())
        assert store.signatures_count() > 0
        entries = store.entries_between(*window(day, 7))
        assert signatures(entries, DEFAULT_SETTINGS, store).computed == 0  # ingest kept every one
        kept = _windows(store, day)
        assert drop_index(store) > 0 and store.signatures_count() == 0
        assert _windows(store, day) == kept  # computed from scratch, and kept again
        assert signatures(entries, DEFAULT_SETTINGS, store).computed == 0
        bare = cluster_entries(entries)  # no index at all
        indexed = cluster_entries(entries, index=store)
    assert [(s.id, [e.url for e in s.entries]) for s in bare] == [
        (s.id, [e.url for e in s.entries]) for s in indexed
    ]


def _archive_entries(day: dt.date, items: list[dict]) -> list[Entry]:
    out = []
    for i, item in enumerate(items):
        url = f"https://replay.example/{day.isoformat()}/{i}"
        links = [Link(url=u, kind=link_kind(u), key=link_key(u)) for u in item.get("urls") or []]
        out.append(
            Entry(
                source="replay-china" if item.get("section") == "中文圈" else "replay-world",
                url=url, canonical_url=url, title=item.get("title") or "", summary=item.get("text") or "",
                published=dt.datetime.combine(day, dt.time(9, i % 60), tzinfo=CHINA), links=links,
            )
        )  # fmt: skip
    return out


def test_an_archive_month_arriving_day_by_day_clusters_as_a_full_recluster(shared_dir: Path) -> None:
    dailies = []
    for path in sorted((shared_dir / "archive" / "2026").glob("AI简报202607*.md")):
        result = read_issue_file(path)
        if result.format == "daily" and result.data.get("items"):
            dailies.append((dt.date.fromisoformat(result.data["date"]), result.data["items"], result.issue))
    assert len(dailies) >= 15
    config = Config()
    incremental, full = open_store("sqlite://"), open_store("sqlite://")
    try:
        for store in (incremental, full):
            store.sync_sources([Source(name="replay-world", url="replay:w"), Source(name="replay-china", url="replay:c")])
        for day, items, issue in dailies:
            entries = _archive_entries(day, items)
            for store in (incremental, full):
                store.upsert_entries(entries)
            index_stored(incremental, incremental.entries_between(*window(day, 1)), config)  # as ingest does
            drop_index(full)
            assert _windows(incremental, day) == _windows(full, day)
            if issue is not None:  # history: what the archive published that day
                for store in (incremental, full):
                    store.save_issue(dataclasses.replace(issue, state="published"))
        last = dailies[-1][0]
        month = _windows(incremental, last, days=31)
        drop_index(full)  # every clustering below computes from scratch
        assert _windows(full, last, days=31) == month
        assert len(month[0]) > 150
    finally:
        incremental.close()
        full.close()


def test_stories_recluster_drops_the_index_and_lists_the_same_stories(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--out", str(tmp_path / "out"), "--store", url]).exit_code == 0
    day, _ = sample_sources()
    args = ["stories", "--json", "--date", day.isoformat(), "--store", url]
    kept = runner.invoke(app, args)
    again = runner.invoke(app, [*args, "--recluster"])
    assert kept.exit_code == 0 and again.exit_code == 0
    assert again.stdout == kept.stdout


# sha256 of every story's id, title, entries, keys and times for bench/synth.py's 6,000 entries, as clustering
# gave them before signatures were packed, pairs streamed and the work spread over processes (main at 7ac407c)
SYNTH_6000 = "75c170ff603ec3f8b21347c3e96f0cada4d72a81032e8cfa4bb113aed3183591"


def _digest(stories: list[Story]) -> str:
    shape = [[s.id, s.title, [e.url for e in s.entries], s.keys, str(s.first_seen), str(s.last_seen)] for s in stories]
    return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode()).hexdigest()


def test_clustering_in_one_process_or_a_pool_gives_todays_stories() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from synth import generate  # the benchmarks' generator, beside the tests

    entries = generate(6000).entries
    assert _digest(cluster_entries(entries, compute=pooled(1))) == SYNTH_6000  # one process
    tasks = STATS.tasks
    assert _digest(cluster_entries(entries, compute=pooled(2, minimum=1))) == SYNTH_6000  # two workers
    assert STATS.tasks > tasks  # the pool really ran


# ------------------------------------------------------------------------------------------------ the layout

_HEADLINE_WORDS = [
    "OpenAI", "GPT-5.6", "GPT-5.7", "Claude Code 2.1.170", "DeepSeek", "V4 Pro", "发布", "开源", "模型",
    "融资 20 亿美元", "收购", "传", "据传", "持续发酵", "回应", "暂停", "谈判", "30%", "reportedly", "launches",
    "agent", "benchmark", "Anthropic", "谷歌", "Gemini 3", "v1.2.3", "2026年5月", "arXiv", "推理", "芯片",
]  # fmt: skip
_texts = st.one_of(
    st.lists(st.sampled_from(_HEADLINE_WORDS), max_size=14).map(" ".join),
    st.lists(st.sampled_from(_HEADLINE_WORDS), max_size=14).map("".join),
    st.text(max_size=60),
)
_keys = st.lists(
    st.sampled_from(["arxiv:2401.00001", "github:a/b", "url:https://a.example/1", "doi:10.1/x"]), unique=True
).map(lambda keys: tuple(sorted(keys)))


@given(title=_texts, lead=_texts, keys=_keys)
@example(title="0%AA0", lead="", keys=())
@hypothesis_settings(max_examples=80, deadline=None)
def test_a_packed_signature_reads_back_as_the_features_and_band_keys_of_its_report(
    title: str, lead: str, keys: tuple[str, ...]
) -> None:
    """The compact layout keeps some features and takes the rest from the report it is read with: together
    they are exactly what ``report_features`` computes, and the band keys are those of its MinHash row."""
    from jianbao.stories.compare import report_features

    report = (title, lead, keys)
    [packed] = compute_packed([report], DEFAULT_SETTINGS)
    doc, bands = unpack(packed, report, DEFAULT_SETTINGS)
    fresh = report_features(title, lead, keys)
    assert doc == fresh
    # the shingles computed when first read are the very sets, whichever side asks
    assert fresh == doc and set(doc.plain) == fresh.plain and set(doc.title_shingles) == fresh.title_shingles
    assert len(doc.plain & fresh.plain) == len(fresh.plain)
    row = minhash_rows([fresh], DEFAULT_SETTINGS)
    assert bands.tolist() == band_keys(row, DEFAULT_SETTINGS)[0].tolist()
    # no shingles kept: the size follows the entities' text, with marshal's few bytes for each of ten fields
    assert len(packed) < 8 * band_count(DEFAULT_SETTINGS) + 240 + 4 * len(f"{title}{lead}".encode())


def test_lsh_from_band_keys_proposes_the_pairs_lsh_from_minhash_rows_does() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from synth import generate

    from jianbao.stories.compare import report_features

    entries = generate(1500).entries
    docs = [report_features(*entry_report(e, DEFAULT_SETTINGS)) for e in entries]
    rows = minhash_rows(docs, DEFAULT_SETTINGS)
    pairs = lsh_pairs(docs, DEFAULT_SETTINGS, minhash=rows)
    assert pairs.size > 0
    by_keys = lsh_pairs(docs, DEFAULT_SETTINGS, keys=band_keys(rows, DEFAULT_SETTINGS))
    assert pairs.tolist() == by_keys.tolist()


def test_the_store_keeps_signatures_by_hex_hash_as_bytes(any_store: Store) -> None:
    first, second = "0f" * 16, "a1" * 16
    any_store.signatures_put({first: b"\x00one", second: b"two\xff"})
    any_store.signatures_put({first: b"other"})  # a hash stored already keeps its row
    assert any_store.signatures_get([second, first, "ff" * 16, first]) == {first: b"\x00one", second: b"two\xff"}
    with any_store.engine.connect() as conn:
        stored = conn.execute(text("SELECT hash FROM story_index")).scalars().all()
    assert sorted(bytes(h) for h in stored) == [bytes.fromhex(first), bytes.fromhex(second)]
    assert any_store.signatures_count() == 2 and drop_index(any_store) == 2


def test_a_store_with_the_old_story_index_is_migrated_and_clusters_the_same(store_url: str) -> None:
    """m020 replaces ``story_signatures`` (hex keys, whole MinHash rows) by ``story_index``: the next
    clustering computes its window's signatures again and keeps them, and the stories do not change."""
    from jianbao.store.migrations import m016_story_signatures

    day, sources = sample_sources()
    with open_store(store_url) as store:
        store.sync_sources(sources)
        ingest(store, sources, config=Config())
        kept = _windows(store, day)
        with store.begin() as conn:  # the store as the jianbao before m020 left it
            conn.execute(text("DROP TABLE story_index"))
            conn.execute(text("DELETE FROM migrations WHERE name = 'm020_compact_story_index'"))
            m016_story_signatures(conn)
            conn.execute(
                text("INSERT INTO story_signatures (hash, data) VALUES (:h, :d)"), {"h": "ab" * 32, "d": b"sig2"}
            )
    with open_store(store_url) as store:
        assert store.migrations_ran == ["m020_compact_story_index"]
        with store.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        assert "story_index" in tables and "story_signatures" not in tables
        assert store.signatures_count() == 0
        entries = store.entries_between(*window(day, 7))
        assert _windows(store, day) == kept
        assert store.signatures_count() > 0
        assert signatures(entries, DEFAULT_SETTINGS, store).computed == 0  # kept again by that clustering
