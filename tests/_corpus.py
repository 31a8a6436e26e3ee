"""Dailies built from the real AI-lab feeds of the shared corpus (``feeds-ai-labs*`` snapshots) plus the
general-tech and trend feeds of ``tests/resources/relevance/``: what #17 measures (shared by
``tests/test_relevance_corpus.py`` and ``bench/bench_relevance.py``).

Every source is configured the way a new user would: a name (the feed file's stem), no display title, scope
``auto``. The Turing corpus repeats some feeds of the labs corpus (Anthropic, Cohere, Mistral, The Batch…):
those are read as the same source, as one editor subscribing once would.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jianbao.config import Config
from jianbao.ingestion.runner import ingest
from jianbao.issue.build import BuildResult, build
from jianbao.records import Item, Source
from jianbao.store import Store

RESOURCES = Path(__file__).resolve().parent / "resources" / "relevance"
# The seven days of the general-tech feed: days the archive's dailies drew on these labs' posts.
DAYS = [dt.date(2026, 5, 28), dt.date(2026, 5, 29), dt.date(2026, 6, 10), dt.date(2026, 6, 15),
        dt.date(2026, 7, 24), dt.date(2026, 8, 20), dt.date(2026, 8, 21)]  # fmt: skip
# Turing-corpus feeds that are the same publisher's feed as one of the labs corpus
SAME_FEED = {
    "anthropic-news": "feed_anthropic_news", "anthropic-research": "feed_anthropic_research",
    "claude-blog": "feed_claude", "cohere-blog": "feed_cohere", "mistral-news": "feed_mistral",
    "the-batch": "feed_the_batch", "aisi-blog": "feed_aisi",
}  # fmt: skip
EXTRA = ("hn_best", "ai_digest", "github_trending_rss", "hf_trending")
METADATA_RE = re.compile(r"\b(?:Score|Points|Comments|Discussion|Article URL|Comments URL)\s*:", re.I)


def snapshots(shared: Path) -> list[tuple[dt.date, list[Path]]]:
    """Each snapshot date with its feed files (both corpora), oldest first."""
    by_date: dict[dt.date, list[Path]] = {}
    for corpus in sorted((shared / "corpus").glob("feeds-ai-labs*")):
        for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
            day = dt.date.fromisoformat(folder.name.removeprefix("HEAD_"))
            by_date.setdefault(day, []).extend(sorted(folder.glob("*.xml")))
    return sorted(by_date.items())


def source_for(path: Path) -> Source:
    name = SAME_FEED.get(path.stem, path.stem)
    return Source(name=name, url=str(path), kind="rss")


def ingest_corpus(store: Store, shared: Path, *, latest_only: bool = False) -> None:
    """Every snapshot (or only the newest of each corpus) read in date order, fetched at its date, then the
    resources' feeds read as of the last snapshot."""
    taken = snapshots(shared)
    if latest_only:
        heads = {p.parent.parent.name: (day, p.parent) for day, paths in taken for p in paths}
        taken = [(day, sorted(folder.glob("*.xml"))) for day, folder in sorted(set(heads.values()))]
    config = Config()
    last = taken[-1][0]
    for day, paths in taken:
        rounds: list[dict[str, Source]] = [{}, {}]  # a publisher in both corpora: its second file next round
        for source in map(source_for, paths):
            rounds[source.name in rounds[0]][source.name] = source
        for batch in rounds:
            store.sync_sources(batch.values())
            ingest(store, list(batch.values()), config=config, now=_noon(day))
    extra = [Source(name=name, url=str(RESOURCES / f"{name}.xml"), kind="rss") for name in EXTRA]
    store.sync_sources(extra)
    ingest(store, extra, config=config, now=_noon(last))


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


@dataclass
class DailyCheck:
    """One built daily and what #17 looks for in it."""

    day: dt.date
    result: BuildResult
    items: list[Item] = field(default_factory=list)
    off_topic: list[str] = field(default_factory=list)  # labelled not about AI (the general-tech feed)
    metadata: list[str] = field(default_factory=list)  # summaries that are an aggregator's metadata line
    config_ids: list[str] = field(default_factory=list)  # outlets printed as a source's config id
    trending_rows: int = 0


def hn_labels() -> dict[str, bool]:
    data = json.loads((RESOURCES / "hn_best_labels.json").read_text(encoding="utf-8"))
    return {**{i: True for i in data["about_ai"]}, **{i: False for i in data["not_about_ai"]}}


def check_daily(store: Store, day: dt.date, *, config: Config | None = None) -> DailyCheck:
    result = build(store, config or Config(), day, "daily", use_llm=False)
    labels = hn_labels()
    names = {s.name for s in store.list_sources()}
    check = DailyCheck(
        day=day, result=result, items=result.issue.items, trending_rows=len(result.issue.trending)
    )
    stories = {s.id: s for s in result.stories}
    for item in result.issue.items:
        story = stories.get(item.story_id or "")
        for entry in story.entries if story else []:
            hn_id = str(entry.extra.get("discussion_url") or "").rpartition("=")[2]
            if labels.get(hn_id) is False:
                check.off_topic.append(item.title)
        if METADATA_RE.search(item.summary):
            check.metadata.append(f"{item.title}: {item.summary[:80]}")
        check.config_ids += [s for s in item.sources if s in names]
    return check


def checks(store: Store, days: Sequence[dt.date] = DAYS) -> list[DailyCheck]:
    return [check_daily(store, day) for day in days]
