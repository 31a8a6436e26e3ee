"""Recognising stories told before: repeats and updates of published history, repeats across issues.

``match_history`` compares a build's stories with what earlier issues published (``published`` or
``update`` with the new facts); ``find_repeats`` answers ``jianbao check FILE.md --window N`` on the
items of parsed issues. Both use the one notion of "same event" of ``jianbao.stories.compare``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from jianbao.records import Item, Story
from jianbao.stories.compare import ReportFeatures, report_features, same_event
from jianbao.stories.keys import is_hub_key, is_hub_url, key_form
from jianbao.stories.lexicon import word_set, word_table
from jianbao.stories.settings import DEFAULT_SETTINGS, ClusterSettings
from jianbao.stories.text import compact_text

__all__ = ["HistoryStory", "RepeatCandidate", "find_repeats", "item_candidate", "match_history"]


# ---------------------------------------------------------------------------------------------- history


@dataclass(slots=True)
class HistoryStory:
    """A story as published in an earlier issue, enough to recognise it again."""

    id: str
    title: str
    text: str = ""  # lead/summary as printed
    keys: list[str] = field(default_factory=list)  # paper/code keys and canonical URLs
    published: dt.date | None = None
    issue_id: str = ""


def _story_doc(story: Story, settings: ClusterSettings) -> ReportFeatures:
    best = story.entries[0] if story.entries else None
    lead = (best.summary or best.content)[: settings.lead_chars] if best else ""
    keys = {k for k in story.keys if k and not is_hub_key(k)}
    return report_features(story.title, lead, {key_form(k) for k in keys})


def _history_doc(h: HistoryStory) -> ReportFeatures:
    keys = {k for k in h.keys if k and not is_hub_key(k)}
    return report_features(h.title, h.text, {key_form(k) for k in keys})


def _new_facts(doc: ReportFeatures, old: ReportFeatures) -> list[str]:
    facts = []
    facts += [f"数字 {n}" for n in sorted(doc.ents.numbers - old.ents.numbers) if not n.startswith("date:")]
    facts += [f"实体 {m}" for m in sorted(doc.ents.models - old.ents.models) if "@" not in m]
    facts += [
        f"新链接 {k}"
        for k in sorted(doc.keys - old.keys)
        if k.split(":", 1)[0] in {"arxiv", "github", "doi", "gitee"}
    ]
    return facts


def match_history(
    stories: list[Story],
    history: list[HistoryStory],
    *,
    today: dt.date,
    window_days: int,
    settings: ClusterSettings = DEFAULT_SETTINGS,
) -> list[Story]:
    """Mark stories already published within ``window_days``: ``published`` (a repeat) or ``update``.

    An update is a repeat that brings a new number, a new model name or a new paper/code key; a repeat
    without them is ``published`` and should not be selected again. Stories are changed in place and
    returned for chaining.
    """
    since = today - dt.timedelta(days=window_days)
    recent = [h for h in history if h.published is None or since <= h.published <= today]
    hdocs = [_history_doc(h) for h in recent]
    for story in stories:
        doc = _story_doc(story, settings)
        matched = [(h, hd) for h, hd in zip(recent, hdocs, strict=True) if same_event(doc, hd, settings)]
        if not matched:
            continue
        story.published_in = sorted({h.issue_id for h, _ in matched if h.issue_id})
        facts = _new_facts(doc, matched[0][1])
        for _, hd in matched[1:]:
            facts = [f for f in facts if f in _new_facts(doc, hd)]
        story.new_facts = facts
        story.state = "update" if facts else "published"
    return stories


# ---------------------------------------------------------------------------------------------- repeats


@dataclass(slots=True)
class RepeatCandidate:
    """An item of a parsed issue as ``find_repeats`` sees it (weekly: title, summary, links; daily: entity, text, urls)."""

    title: str
    text: str = ""
    urls: list[str] = field(default_factory=list)
    entity: str = ""


def item_candidate(item: Item) -> RepeatCandidate:
    """An item of a stored or imported issue as ``find_repeats`` compares it.

    Weekly items compare title, summary and links; daily items the line text (the importer keeps it in
    ``summary``), the bold entity and the line's URLs.
    """
    urls = [u for u in [item.url, *(link.url for link in item.links)] if u]
    return RepeatCandidate(
        title=item.title, text=item.summary, urls=list(dict.fromkeys(urls)), entity=item.entity or ""
    )


def _candidate_docs(items: Sequence[RepeatCandidate]) -> list[ReportFeatures]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        for url in set(item.urls):
            counts[url] += 1
    docs = []
    for item in items:
        # a URL several items of one issue cite is a digest page, not the identity of an event
        keys = {f"url:{u.rstrip('/')}" for u in item.urls if counts[u] == 1 and not is_hub_url(u)}
        label = item.entity if len(item.entity) < 40 else ""
        doc = report_features(item.title, f"{label} {item.text[:200]}", keys, label=label)
        body = compact_text(item.text.split(" — ", 1)[-1])
        doc.body = frozenset(body[i : i + 2] for i in range(len(body) - 1))
        docs.append(doc)
    return docs


# a brand, or a name listed in words/common_names.txt, is too common to identify an event alone
_COMMON_NAMES = frozenset(word_table("brands")) | word_set("common_names")


def _mark_rare(groups: Sequence[Sequence[ReportFeatures]], *, max_df: int = 4) -> None:
    """Mark the headline names at most ``max_df`` items of the window carry: they identify an event."""
    df: dict[str, int] = defaultdict(int)
    for docs in groups:
        for d in docs:
            for name in d.subjects:
                df[name] += 1
    for docs in groups:
        for d in docs:
            d.rare = frozenset(
                n for n in d.subjects if df[n] <= max_df and n not in _COMMON_NAMES and len(n) >= 3
            )


def find_repeats(
    items: list[RepeatCandidate],
    earlier: list[tuple[dt.date, list[RepeatCandidate]]],
    *,
    settings: ClusterSettings = DEFAULT_SETTINGS,
) -> list[tuple[int, list[tuple[dt.date, int]]]]:
    """For each item of an issue, the items of earlier issues it repeats, as ``(index, [(date, index)])``.

    Only items with at least one repeat are listed, in item order. The caller picks the window (the
    earlier issues to compare with); all items are compared pairwise because an issue is small.
    """
    docs = _candidate_docs(items)
    earlier_docs = [(day, _candidate_docs(its)) for day, its in earlier]
    _mark_rare([docs, *(d for _, d in earlier_docs)])
    out = []
    for i, doc in enumerate(docs):
        hits = [
            (day, j)
            for day, edocs in earlier_docs
            for j, edoc in enumerate(edocs)
            if same_event(doc, edoc, settings)
        ]
        if hits:
            out.append((i, sorted(hits)))
    return out
