"""The first step of a build: the window's stored entries clustered into stories, history marked, scored.

Clustering reads each entry's signature from the story index ingest keeps (``jianbao.stories.signature``),
so a build computes no entry's features; the stories are those clustering from scratch gives.
"""

from __future__ import annotations

import datetime as dt
import functools

from jianbao.config import Config
from jianbao.editions.base import Edition
from jianbao.errors import JianbaoError
from jianbao.ingestion.enrich import apply_stored_meta, enrich_links, fetch_settings_for
from jianbao.ingestion.scale import connect
from jianbao.issue.relevance import SAMPLE, TextEmbedder, TopicJudge, assess_relevance
from jianbao.issue.select import score_story
from jianbao.records import Entry, Story
from jianbao.store import Store
from jianbao.stories.cluster import cluster_entries
from jianbao.stories.distributed import DaskSession
from jianbao.stories.embed import embedder_for
from jianbao.stories.history import HistoryStory, match_history
from jianbao.stories.judge import llm_judge
from jianbao.stories.merge import Semantic
from jianbao.stories.parallel import pooled
from jianbao.stories.settings import cluster_settings
from jianbao.stories.signature import no_gc, signatures, story_features

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


class NothingToBuild(JianbaoError):
    """The store holds no entry in the issue's window: an empty issue would help nobody."""


def window(day: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    """The candidate window in China time: the `days` calendar days ending with the issue date."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=CHINA)
    return end - dt.timedelta(days=days), end


def latest_hint(store: Store) -> str:
    """What to try when nothing was found for a date: the latest date that has entries."""
    latest = store.latest_published()
    if latest is None:
        return "the store has no entries yet: run `jianbao fetch`, or `jianbao demo` for the samples"
    return f"the latest entries are of {latest}: try --date {latest}"


def gather_stories(
    store: Store,
    *,
    config: Config,
    day: dt.date,
    edition: Edition,
    require_entries: bool = False,
    window_days: int | None = None,
    judge: TopicJudge | None = None,
    embedder: TextEmbedder | None = None,
) -> list[Story]:
    """Cluster the window's entries into stories, mark what history already covered, judge how much each is
    about the edition's topic (``issue/relevance.py``; ``judge`` and ``embedder`` are its second opinions,
    when configured) and score them the edition's way. ``window_days`` overrides the edition's window
    (``jianbao stories --since``)."""
    session = DaskSession(functools.partial(connect, config.scale.dask)) if config.scale.dask else None
    try:
        with no_gc():  # thousands of small acyclic objects: the collector's passes over them would cost more
            return _gather(store, config, day, edition, require_entries, window_days, session, judge, embedder)
    finally:
        if session is not None:
            session.close()


def _gather(
    store: Store,
    config: Config,
    day: dt.date,
    edition: Edition,
    require_entries: bool,
    window_days: int | None,
    session: DaskSession | None,
    judge: TopicJudge | None,
    embedder: TextEmbedder | None,
) -> list[Story]:
    settings = edition.settings(config)
    days = window_days or settings.window_days
    start, end = window(day, days)
    entries = store.entries_between(start, end)
    if require_entries and not entries:
        raise NothingToBuild(
            f"no entries published between {start:%Y-%m-%d} and {end - dt.timedelta(days=1):%Y-%m-%d} in the store",
            hint=latest_hint(store),
        )
    if config.enrich.enabled:  # off by default: offline builds (and the demo) make no request
        enrich_links(store, entries, config.enrich, fetch_settings=fetch_settings_for(config))
    apply_stored_meta(store, entries)  # whatever the store knows, with or without this run's lookups
    knobs = cluster_settings(config)
    # [embed]: the semantic signal of story matching (#18); with [scale] dask, what is not in the store is
    # computed on the cluster: signatures and embeddings
    semantic = embedder_for(config.embed, store, remote=session.embedder if session else None)
    # the entries' signatures from the story index ingest keeps (any it lacks are computed and kept)
    signed = signatures(entries, knobs, store, compute=session.compute if session else pooled())
    stories = cluster_entries(entries, settings=knobs, embedder=semantic, signed=signed)
    # What any edition published up to and including the issue's day (the weekly of this date counts for the
    # daily of this date), except this very issue: history across editions and days.
    own = f"{edition.name}:{day.isoformat()}"
    history = published_history(store, day, settings.history_days, own=own, reports=semantic is not None)
    stories = match_history(
        stories,
        history,
        today=day,
        window_days=settings.history_days,
        settings=knobs,
        embedder=semantic,
        semantic=Semantic(judge=llm_judge(config, store)) if semantic is not None else None,
        docs=story_features(stories, signed) if history else None,  # none needed without history
    )
    sources = {s.name: s for s in store.list_sources()}
    auto = [name for name, source in sources.items() if source.scope == "auto"]
    assess_relevance(
        stories,
        sources=sources,
        samples=store.latest_entries(
            auto, before=end, limit=SAMPLE, known={e.id: e for e in entries if e.id}
        ),
        settings=edition.relevance(config),
        embedder=embedder,
        judge=judge,
        cache=store,  # the evidence ingest kept (what it lacks is computed and kept)
    )
    weights = {name: source.weight for name, source in sources.items()}
    for story in stories:
        score_story(
            story,
            today=day,
            window_days=days,
            weights=weights,
            interests=config.select.interests,
            scoring=edition.scoring,
        )
    return stories


def published_history(
    store: Store, day: dt.date, days: int, *, own: str = "", reports: bool = False
) -> list[HistoryStory]:
    """What any edition published in the ``days`` up to and including ``day``, but the issue ``own``, as
    history to match. ``reports`` (with embeddings): each item carries the full text of the report it linked
    (its entry, while the store holds it), as its printed summary may stop before a roundup's further facts;
    the lexical path reads the printed lines alone, as before."""
    published = [h for h in store.history(before=day, days=days, include_same_day=True) if h.issue_id != own]
    linked = store.entries_by_keys([h.url for h in published if h.url]) if reports else {}
    return [
        HistoryStory(
            id=f"{h.issue_id}#{h.position}",
            title=h.title,
            text=h.text,
            keys=h.keys,
            published=h.date,
            issue_id=h.issue_id,
            report=_report(linked.get(h.url or "")),
        )
        for h in published
    ]


def _report(entry: Entry | None) -> str:
    """The text of the report a published item linked: its entry's summary, else its content."""
    return (entry.summary or entry.content).strip() if entry is not None else ""
