"""Measure #17's choices on real material: the relevance threshold, the weekly's section quotas, the off-topic
share of dailies built from real AI feeds, and the rank of the period's top stories.

1. **Threshold.** Positives: every item of the 2026 daily archive (an AI briefing's own picks, all on topic by
   construction; the 2020–2021 weeklies are shown too, but they mixed in general tech on purpose). Negatives:
   the real general-interest feeds of the corpus (Paul Graham's essays, the Dagster blog, Chander Ramesh) —
   mostly off topic, a few posts about AI among them — and the off-topic items of the general-tech feed of
   ``tests/resources/relevance`` (labelled). For each threshold: the share of positives kept and of negatives
   let through by the rules alone.
2. **Quotas.** Items per section in the archive's weeklies that use the AI 前沿 / 有趣的开源项目 / 福利 layout.
3. **Dailies.** The seven days of ``tests/_corpus.py`` (every ``feeds-ai-labs*`` snapshot plus the
   general-tech, digest and trend feeds): items, off-topic items, metadata summaries, config ids printed as
   outlets, GitHub 趋势 rows; and every item from a source judged general, for an editor to check.
4. **Top stories.** The archive's dailies of 2026 linked some posts of these feeds: each such post is found
   among the candidates of the daily of its day, with its rank and where the build put it.

Run: ``JIANBAO_SHARED=/work/shared python bench/bench_relevance.py [-v] [--threshold]`` (about a minute: it
reads every snapshot). ``-v`` lists the archive items the rules miss and the negatives they let through;
``--threshold`` stops after part 1.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import feedparser

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_section import _ALIASES, _key, weekly_issues  # noqa: E402

from _corpus import DAYS, RESOURCES, check_daily, hn_labels, ingest_corpus  # noqa: E402
from jianbao.archive.parse import read_issue_file  # noqa: E402
from jianbao.config import Config, RelevanceSettings  # noqa: E402
from jianbao.ingestion.sources._text import html_to_text  # noqa: E402
from jianbao.ingestion.sources.rss import parse_feed  # noqa: E402
from jianbao.issue.build import build  # noqa: E402
from jianbao.issue.gather import CHINA  # noqa: E402
from jianbao.issue.relevance import entry_points, vocabulary  # noqa: E402
from jianbao.issue.section import story_from_item  # noqa: E402
from jianbao.issue.select import rank  # noqa: E402
from jianbao.records import Entry, Source  # noqa: E402
from jianbao.store import open_store  # noqa: E402
from jianbao.urls import canonical_url  # noqa: E402

GENERAL_FEEDS = ("feed_paulgraham", "feed_dagster", "feed_chanderramesh")
THRESHOLDS = (0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 1.0)


def shared_dir() -> Path:
    return Path(os.environ.get("JIANBAO_SHARED", ROOT.parent / "shared"))


def _score(entry: Entry, settings: RelevanceSettings) -> float:
    return min(1.0, entry_points(entry, vocabulary(settings), link_kinds=settings.link_kinds)[0] / 2)


def threshold(shared: Path, settings: RelevanceSettings, *, verbose: bool) -> None:
    positives: dict[str, list[Entry]] = defaultdict(list)
    for path in sorted((shared / "archive").glob("20*/*.md")):
        issue = read_issue_file(path).issue
        if issue is None:
            continue
        group = "2026 dailies" if issue.format == "daily" else "2020–21 weeklies"
        positives[group] += [story_from_item(item).entries[0] for item in issue.items]
    negatives: dict[str, list[Entry]] = defaultdict(list)
    head = max((shared / "corpus" / "feeds-ai-labs").glob("HEAD_*"))
    for name in GENERAL_FEEDS:
        for raw in feedparser.parse(str(head / f"{name}.xml")).entries:
            text = html_to_text(raw.get("summary", ""))
            negatives[name].append(
                Entry(source=name, url=raw.get("link", ""), title=raw.get("title", ""), summary=text)
            )
    labels = hn_labels()
    hn = parse_feed(Source(name="hn_best", url=""), (RESOURCES / "hn_best.xml").read_bytes(), url="file:")
    negatives["hn_best, labelled off topic"] = [
        e
        for e in hn.entries
        if labels.get(str(e.extra.get("discussion_url", "")).rpartition("=")[2]) is False
    ]
    print("\n1. Relevance threshold: share kept by the rules alone")
    header = f"   {'threshold':>9} " + " ".join(f"{g[:22]:>22}" for g in [*positives, *negatives])
    print(header)
    for th in THRESHOLDS:
        cells = []
        for group in [*positives, *negatives]:
            entries = positives.get(group) or negatives[group]
            kept = sum(_score(e, settings) >= th for e in entries)
            cells.append(f"{kept:>5}/{len(entries):<5} {kept / len(entries):5.1%}")
        mark = "  ← [relevance] threshold" if th == settings.threshold else ""
        print(f"   {th:>9} " + " ".join(f"{c:>22}" for c in cells) + mark)
    if verbose:
        for entry in positives["2026 dailies"]:
            if _score(entry, settings) < settings.threshold:
                print(f"   missed  {_score(entry, settings):.2f}  {entry.title[:80]}")
        for group, entries in negatives.items():
            for entry in entries:
                if _score(entry, settings) >= settings.threshold:
                    print(f"   through {group[:14]:14} {entry.title[:80]}")


def quotas(shared: Path, config: Config) -> None:
    counts: dict[str, list[int]] = defaultdict(list)
    numbered: list[int] = []
    other: list[int] = []
    for issue in weekly_issues(shared / "archive", broad=True):
        per = Counter(_ALIASES.get(_key(s.name), "") for s in issue.sections for _ in s.items)
        for rule in config.weekly.sections:
            counts[rule.name].append(per.get(rule.name, 0))
        numbered.append(sum(v for k, v in per.items() if k and k != "其他"))
        other.append(len(issue.other) + per.get("其他", 0))
    print(
        f"\n2. Weekly sections in the archive ({len(numbered)} issues with the AI 前沿 / 开源 / 福利 layout)"
    )
    for rule in config.weekly.sections:
        values = counts[rule.name]
        used = [v for v in values if v]
        print(
            f"   {rule.name:8} in {len(used)}/{len(values)} issues, median {statistics.median(used) if used else 0:g} "
            f"when used, max {max(values)} → quota {rule.quota}"
        )
    print(
        f"   numbered items: median {statistics.median(numbered):g}, max {max(numbered)} → max_items {config.weekly.max_items}"
    )
    print(
        f"   其他 links: median {statistics.median(other):g}, max {max(other)} → other_max {config.weekly.other_max}"
    )


def dailies(store_url: str) -> None:
    store = open_store(store_url)
    print(
        f"\n3. Dailies from the feeds-ai-labs snapshots + the general-tech, digest and trend feeds ({store.count_entries()} entries)"
    )
    print(f"   {'day':10} {'items':>5} {'off-topic':>9} {'metadata':>8} {'config ids':>10} {'趋势 rows':>9}")
    totals = Counter()
    general: list[str] = []
    for day in DAYS:
        check = check_daily(store, day)
        totals.update(
            items=len(check.items),
            off=len(check.off_topic),
            meta=len(check.metadata),
            ids=len(check.config_ids),
        )
        print(
            f"   {day} {len(check.items):>5} {len(check.off_topic):>9} {len(check.metadata):>8} {len(check.config_ids):>10} {check.trending_rows:>9}"
        )
        stories = {s.id: s for s in check.result.stories}
        for item in check.items:
            story = stories.get(item.story_id or "")
            if story and story.relevance and story.relevance.scope == "general":
                general.append(f"   {day} [{story.relevance.describe()}] {item.title[:70]}")
    share = totals["off"] / totals["items"] if totals["items"] else 0.0
    print(
        f"   all: {totals['items']} items, off-topic {totals['off']} ({share:.1%}), metadata summaries {totals['meta']}, config ids {totals['ids']}"
    )
    print("   items from general-interest sources (each should be about AI):")
    print("\n".join(general) or "   (none)")
    store.close()


def top_stories(shared: Path, store_url: str) -> None:
    store = open_store(store_url)
    published: dict[str, tuple[Entry, dt.date]] = {}
    for entry in store.entries_between(
        dt.datetime(2026, 5, 1, tzinfo=CHINA), dt.datetime(2026, 9, 1, tzinfo=CHINA)
    ):
        if entry.published:
            published[entry.canonical_url] = (entry, entry.published.astimezone(CHINA).date())
    rows: list[tuple[str, str, dt.date, int | None, int, str, str]] = []
    built: dict[dt.date, tuple[list, dict[str, str]]] = {}
    for path in sorted((shared / "archive" / "2026").glob("*.md")):
        issue = read_issue_file(path).issue
        if issue is None or issue.format != "daily":
            continue
        for section in issue.sections:
            for item in section.items:
                urls = [item.url or "", *(link.url for link in item.links)]
                match = next(
                    (published[canonical_url(u)] for u in urls if u and canonical_url(u) in published), None
                )
                if match is None:
                    continue
                entry, day = match
                if day not in built:
                    result = build(store, Config(), day, "daily", use_llm=False)
                    placed = {i.story_id or "": i.section for i in result.issue.items}
                    built[day] = (rank([s for s in result.stories if s.entries]), placed)
                ranked, placed = built[day]
                position = next(
                    (
                        n
                        for n, s in enumerate(ranked, 1)
                        if any(e.canonical_url == entry.canonical_url for e in s.entries)
                    ),
                    None,
                )
                story_id = ranked[position - 1].id if position else ""
                rows.append(
                    (
                        section.name,
                        item.title[:44],
                        day,
                        position,
                        len(ranked),
                        placed.get(story_id, "—"),
                        str(issue.date),
                    )
                )
    print(
        "\n4. The archive's linked posts among the candidates of their day's daily (rank / candidates → our section)"
    )
    for name, title, day, position, count, ours, archived in rows:
        print(f"   {archived} {name:5} {title:46} {day}  rank {position or '—'}/{count} → {ours}")
    for name in ("今日精选", "国际动态"):
        ranks = [r[3] for r in rows if r[0] == name and r[3]]
        picked = sum(1 for r in rows if r[0] == name and r[5] != "—")
        top3 = sum(1 for r in rows if r[0] == name and r[3] and r[3] <= 3)
        if ranks:
            print(f"   archive {name}: {len(ranks)} found, median rank {statistics.median(ranks):g}, "
                  f"in our top 3 {top3}, in our issue {picked}")  # fmt: skip
    store.close()


def main() -> None:
    verbose = "-v" in sys.argv
    shared = shared_dir()
    if not (shared / "corpus").is_dir():
        raise SystemExit(f"no shared corpus at {shared}: set JIANBAO_SHARED")
    config = Config()
    threshold(shared, config.relevance, verbose=verbose)
    if "--threshold" in sys.argv:
        return
    quotas(shared, config)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("JIANBAO_HOME", tmp)
        url = f"sqlite:///{Path(tmp) / 'corpus.db'}"
        store = open_store(url)
        ingest_corpus(store, shared)
        store.close()
        dailies(url)
        top_stories(shared, url)


if __name__ == "__main__":
    main()
