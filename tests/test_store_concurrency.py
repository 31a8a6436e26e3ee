"""Four processes hammer one store (overlapping fetches, builds and desk edits); nothing duplicates, nothing is lost.

The default run is short so the suite stays fast; JIANBAO_CONCURRENCY_SECONDS=30 runs the long version.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from jianbao.errors import StoreError
from jianbao.records import Entry, Issue, Item, Link, Section, Source
from jianbao.store import open_store
from jianbao.store import schema as t

SECONDS = float(os.environ.get("JIANBAO_CONCURRENCY_SECONDS", "3"))
WORKERS = 4
URLS = [f"https://example.com/story/{n}" for n in range(60)]
ISSUE_DATES = [dt.date(2026, 11, 16), dt.date(2026, 11, 17), dt.date(2026, 11, 18)]


@dataclass
class WorkerReport:
    urls: set[str] = field(default_factory=set)
    titles: dict[str, set[str]] = field(default_factory=dict)  # every version of each entry this worker wrote
    saves: Counter[str] = field(default_factory=Counter)  # successful saves per issue id
    versions: dict[str, list[int]] = field(default_factory=dict)  # the version each successful save returned
    conflicts: int = 0
    batches: int = 0


def _entry(worker: int, url: str, n: int) -> Entry:
    # The same article seen by different sources, re-fetched with changing text: a new version each time.
    title = f"w{worker} 第{n}版 {url.rsplit('/', 1)[1]}"
    return Entry(
        source=f"source-{worker}",
        url=url + f"?utm_source=w{worker}",
        canonical_url=url,
        title=title,
        published=dt.datetime(2026, 11, 17, 8, tzinfo=dt.UTC),
        summary=f"摘要 {n}",
        content="正文",
        links=[
            Link(url=url + "/paper", kind="paper", key=f"paper:{url}"),
            Link(url=url + "/code", kind="code"),
        ],
    )


def _issue(day: dt.date, worker: int, n: int, count: int) -> Issue:
    items = [
        Item(
            title=f"w{worker} 第{n}稿 条目{i}",
            url=f"https://example.com/{day}/{i}",
            section="AI 前沿",
            number=i + 1,
            source="量子位",
        )
        for i in range(count)
    ]
    return Issue(date=day, format="daily", state="draft", sections=[Section("AI 前沿", items)])


def _run(url: str, worker: int, start_at: float, seconds: float) -> WorkerReport:
    """One process: fetch-like entry upserts interleaved with build-like (blind) or desk-like (versioned) saves."""
    rng = random.Random(worker)
    report = WorkerReport()
    with open_store(url) as store:
        time.sleep(max(0.0, start_at - time.time()))
        store.sync_sources([Source(name=f"source-{k}", url=f"https://feeds/{k}") for k in range(WORKERS)])
        n = 0
        # At least a few rounds each, however late a loaded machine starts this process.
        while n < 5 or time.time() < start_at + seconds:
            n += 1
            batch = [_entry(worker, u, n) for u in rng.sample(URLS, 8)]
            store.upsert_entries(batch)
            report.batches += 1
            for e in batch:
                report.urls.add(e.canonical_url)
                report.titles.setdefault(e.canonical_url, set()).add(e.title)
            store.cache_put(f"key-{n % 5}", f"w{worker}-{n}")
            day = rng.choice(ISSUE_DATES)
            issue = _issue(day, worker, n, rng.randint(1, 6))
            if worker == 0:  # a build: overwrites the draft without looking
                version = store.save_issue(issue, markdown=f"w{worker}")
            else:  # the web desk: load, edit, save with last-write detection, retry on conflict
                while True:
                    current = store.get_issue(issue.id)
                    try:
                        version = store.save_issue(issue, expected_version=current[1] if current else None)
                        break
                    except StoreError:
                        report.conflicts += 1
            report.saves[issue.id] += 1
            report.versions.setdefault(issue.id, []).append(version)
    return report


def _hammer(url: str) -> list[WorkerReport]:
    ctx = multiprocessing.get_context("spawn")
    start_at = time.time() + 2.0  # let every process import and connect before anyone writes
    with ctx.Pool(WORKERS) as pool:
        return pool.starmap(_run, [(url, w, start_at, SECONDS) for w in range(WORKERS)])


def test_concurrent_fetches_builds_and_edits(store_url: str, backend: str) -> None:
    reports = _hammer(store_url)
    urls = set().union(*(r.urls for r in reports))
    saves = sum((r.saves for r in reports), Counter())
    versions: dict[str, list[int]] = {}
    for r in reports:
        for issue_id, got in r.versions.items():
            versions.setdefault(issue_id, []).extend(got)
    print(
        f"\n{backend}: {SECONDS:g}s x {WORKERS} processes: {sum(r.batches for r in reports)} entry batches "
        f"({len(urls)} distinct entries), {sum(saves.values())} issue saves "
        f"({sum(r.conflicts for r in reports)} edit conflicts retried)"
    )
    assert all(r.batches > 0 for r in reports)

    with open_store(store_url) as store, store.engine.connect() as conn:
        stored = Counter(row[0] for row in conn.execute(select(t.entries.c.canonical_url)))
        assert stored == Counter(urls)  # every entry any process wrote, each exactly once
        rows = conn.execute(select(t.entries.c.canonical_url, t.entries.c.title, t.entries.c.source))
        for canonical, title, source in rows:
            assert any(title in r.titles.get(canonical, ()) for r in reports)  # a version someone wrote
            assert source in {f"source-{w}" for w in range(WORKERS)}
        links = conn.execute(
            select(
                t.links.c.entry_id, func.count(), func.min(t.links.c.position), func.max(t.links.c.position)
            ).group_by(t.links.c.entry_id)
        ).all()
        assert len(links) == len(urls)
        assert {tuple(row[1:]) for row in links} == {(2, 0, 1)}  # replaced, never appended
        entry_docs = conn.execute(
            select(t.search_docs.c.ref, func.count())
            .where(t.search_docs.c.kind == "entry")
            .group_by(t.search_docs.c.ref)
        ).all()
        assert len(entry_docs) == len(urls) and {n for _, n in entry_docs} == {1}

        for issue_id, n_saves in saves.items():
            issue, version = store.get_issue(issue_id)  # type: ignore[misc]
            assert version == n_saves  # no save was lost or double-counted
            assert sorted(versions[issue_id]) == list(range(1, n_saves + 1))  # each save got its own version
            positions = [
                p
                for (p,) in conn.execute(
                    select(t.items.c.position)
                    .where(t.items.c.issue_id == issue_id)
                    .order_by(t.items.c.position)
                )
            ]
            assert positions == list(range(len(issue.items)))  # one save's items, contiguous
            titles = {
                tl for (tl,) in conn.execute(select(t.items.c.title).where(t.items.c.issue_id == issue_id))
            }
            assert titles == {item.title for item in issue.items}
            docs = conn.execute(
                text("SELECT count(*) FROM search_docs WHERE issue_id = :i"), {"i": issue_id}
            ).scalar_one()
            assert docs == len(issue.items)
        assert conn.execute(select(func.count()).select_from(t.sources)).scalar_one() == WORKERS
        assert conn.execute(select(func.count()).select_from(t.llm_cache)).scalar_one() == 5
