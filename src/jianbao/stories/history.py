"""Recognising stories told before: repeats and updates of published history, repeats across issues.

``match_history`` compares a build's stories with what earlier issues published (``published`` or
``update`` with the new facts); ``find_repeats`` answers ``jianbao check FILE.md --window N`` on the
items of parsed issues. Both use the one notion of "same event" of ``jianbao.stories.compare``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from jianbao.records import Item, Story, TrendingRow
from jianbao.stories.clauses import headline_contained, headline_parts, report_clauses, second_facts, weigh
from jianbao.stories.compare import (
    ReportFeatures,
    is_event_word,
    planned_kinds,
    report_features,
    version_conflict,
)
from jianbao.stories.embed import (
    Embedder,
    Vectors,
    embed_texts,
    report_sentences,
    report_text,
    split_first_sentence,
    split_report,
)
from jianbao.stories.keys import is_hub_key, is_hub_url, key_form
from jianbao.stories.lexicon import word_set, word_table
from jianbao.stories.merge import (
    Decision,
    Judge,
    MergeModel,
    Semantic,
    Similarity,
    amount_conflict,
    borderline,
    decide,
    pair_features,
)
from jianbao.stories.settings import DEFAULT_SETTINGS, ClusterSettings
from jianbao.stories.text import compact_text

__all__ = [
    "HistoryStory",
    "RepeatCandidate",
    "RepeatRef",
    "RowRepeat",
    "find_repeat_refs",
    "find_repeats",
    "github_repeats",
    "item_candidate",
    "match_history",
    "repeat_evidence",
]


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
    # the full text of the report the item linked (its lead entry's), when the store still holds it: what the
    # semantic path reads beside the printed lines, which a summary may have cut before a roundup's further facts
    report: str = ""


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
    embedder: Embedder | None = None,
    semantic: Semantic | None = None,
    docs: Sequence[ReportFeatures] | None = None,
) -> list[Story]:
    """Mark stories already published within ``window_days``: ``published`` (a repeat) or ``update``.

    An update is a repeat that brings a new number, a new model name or a new paper/code key; a repeat
    without them is ``published`` and should not be selected again. ``story.decided_by`` names the signal
    that matched it (``key``, ``lexical``, ``semantic``…). With an ``embedder`` the merge model decides
    (``jianbao.stories.merge``), else the lexical rule alone, exactly as before embeddings. Stories are
    changed in place and returned for chaining. ``docs``: the stories' features when known already (read
    from the story index, ``jianbao.stories.signature.story_features``).
    """
    since = today - dt.timedelta(days=window_days)
    recent = [h for h in history if h.published is None or since <= h.published <= today]
    if not recent:  # nothing published to repeat: no story's features are needed
        return stories
    hdocs = [_history_doc(h) for h in recent]
    docs = list(docs) if docs is not None else [_story_doc(story, settings) for story in stories]
    decisions = _history_decisions(stories, docs, recent, hdocs, today, settings, embedder, semantic)
    for n, (story, doc) in enumerate(zip(stories, docs, strict=True)):
        matched = [(h, hd, decisions[n][k]) for k, (h, hd) in enumerate(zip(recent, hdocs, strict=True))]
        matched = [m for m in matched if m[2].same]
        if not matched:
            continue
        story.published_in = sorted({h.issue_id for h, _, _ in matched if h.issue_id})
        strongest = max(matched, key=lambda m: (m[2].by == "key", m[2].p or 0.0))
        story.decided_by = strongest[2].by
        facts = _new_facts(doc, matched[0][1])
        for _, hd, _ in matched[1:]:
            facts = [f for f in facts if f in _new_facts(doc, hd)]
        story.new_facts = facts
        story.state = "update" if facts else "published"
    return stories


_STORY_TEXT_CHARS = 800  # of the lead entry's text: a roundup's later facts come after its first sentences
_STORY_HEADLINES = 8  # other entries' headlines joined to it, each a fact the story reported


def _story_text(story: Story) -> str:
    """What a story is compared with history by, on the semantic path: the lead entry's text (its first
    sentences are embedded, all of it is cut into clauses) and the headlines of its other entries, one
    clause each, so a story whose second report carries the fact an earlier issue ran is recognised."""
    if not story.entries:
        return ""
    best = story.entries[0]
    text = (best.summary or best.content)[:_STORY_TEXT_CHARS].strip()
    others = [e.title.strip() for e in story.entries[1:] if e.title.strip() and e.title.strip() != story.title]
    others = list(dict.fromkeys(others))[:_STORY_HEADLINES]
    return "。".join([text.rstrip("。"), *others]) + "。" if others else text


def _history_text(h: HistoryStory) -> str:
    """What a published item is compared by on the semantic path: the printed lines, then the text of the
    report it linked (as much as a story's lead entry gives, ``_story_text``) when the store still holds it."""
    report = h.report[:_STORY_TEXT_CHARS].strip()
    return f"{h.text.rstrip('。')}。{report}" if report and h.text.strip() else report or h.text


def _history_decisions(
    stories: list[Story],
    docs: list[ReportFeatures],
    recent: list[HistoryStory],
    hdocs: list[ReportFeatures],
    today: dt.date,
    settings: ClusterSettings,
    embedder: Embedder | None,
    semantic: Semantic | None,
) -> list[list[Decision]]:
    """Every (story, history item) decision: lexical without an embedder, the merge model with one."""

    def lexical() -> list[list[Decision]]:
        return [[decide(doc, hd, settings) for hd in hdocs] for doc in docs]

    if embedder is None or not stories or not recent:
        return lexical()
    later = [RepeatCandidate(s.title, _story_text(s)) for s in stories]
    before = [RepeatCandidate(h.title, _history_text(h)) for h in recent]
    sdocs, flat, sims = _repeat_inputs(
        later, [(h.published or today, [c]) for h, c in zip(recent, before, strict=True)], embedder
    )
    if sims is None:
        return lexical()
    for sdoc, doc in zip(sdocs, docs, strict=True):
        sdoc.keys = doc.keys
    for (_, _, edoc), hd in zip(flat, hdocs, strict=True):
        edoc.keys = hd.keys
    semantic = semantic or Semantic()
    # what the lexical rule confirms stays confirmed: the model decides the pairs it leaves
    out = [
        [
            plain
            if (plain := decide(doc, hd, settings)).same
            else _decide_repeat(sdoc, edoc, settings, sim=sims[i][k], gap_days=(today - d).days, model=semantic.model)
            for k, ((d, _, edoc), hd) in enumerate(zip(flat, hdocs, strict=True))
        ]
        for i, (sdoc, doc) in enumerate(zip(sdocs, docs, strict=True))
    ]
    if semantic.judge is not None:
        table = {(i, k): d for i, row in enumerate(out) for k, d in enumerate(row)}
        _ask_judge(table, semantic.judge, semantic.model, later, before)
        out = [[table[i, k] for k in range(len(flat))] for i in range(len(sdocs))]
    return out


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


def _candidate_docs(items: Sequence[RepeatCandidate], *, recover: bool = False) -> list[ReportFeatures]:
    """The features of an issue's items; ``recover`` takes the headline a daily line really carries
    (``split_report``: the entity the importer's title dropped, the sentence behind a bare name)."""
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        for url in set(item.urls):
            counts[url] += 1
    docs = []
    for item in items:
        # a URL several items of one issue cite is a digest page, not the identity of an event
        keys = {f"url:{u.rstrip('/')}" for u in item.urls if counts[u] == 1 and not is_hub_url(u)}
        label = item.entity if len(item.entity) < 40 else ""
        title = split_report(item.title, item.text)[0] if recover else item.title
        doc = report_features(title, f"{label} {item.text[:200]}", keys, label=label)
        body = compact_text(item.text.split(" — ", 1)[-1])
        doc.body = frozenset(body[i : i + 2] for i in range(len(body) - 1))
        if recover:
            head = compact_text(title)
            doc.head = frozenset(head[i : i + 2] for i in range(len(head) - 1))
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


@dataclass(frozen=True, slots=True)
class RepeatRef:
    """An earlier item an item repeats, and the decision that said so (which signal, what probability)."""

    date: dt.date
    index: int
    decision: Decision


def find_repeats(
    items: list[RepeatCandidate],
    earlier: list[tuple[dt.date, list[RepeatCandidate]]],
    *,
    settings: ClusterSettings = DEFAULT_SETTINGS,
) -> list[tuple[int, list[tuple[dt.date, int]]]]:
    """For each item of an issue, the items of earlier issues it repeats, as ``(index, [(date, index)])``,
    decided lexically (no embeddings): ``find_repeat_refs`` without an embedder, in the old shape."""
    return [
        (i, [(ref.date, ref.index) for ref in refs])
        for i, refs in find_repeat_refs(items, earlier, settings=settings)
    ]


def find_repeat_refs(
    items: list[RepeatCandidate],
    earlier: list[tuple[dt.date, list[RepeatCandidate]]],
    *,
    settings: ClusterSettings = DEFAULT_SETTINGS,
    day: dt.date | None = None,
    embedder: Embedder | None = None,
    semantic: Semantic | None = None,
) -> list[tuple[int, list[RepeatRef]]]:
    """For each item of an issue (dated ``day``), the items of earlier issues it repeats, and why.

    Only items with at least one repeat are listed, in item order, their references by date and index. The
    caller picks the window (the earlier issues to compare with); all items are compared pairwise because
    an issue is small. With an ``embedder`` the merge model decides (``jianbao.stories.merge``), else the
    lexical rule alone, exactly as before embeddings.
    """
    docs, flat, sims = _repeat_inputs(items, earlier, embedder)
    semantic = (semantic or Semantic()) if sims is not None else None
    model = semantic.model if semantic is not None else None
    when = _issue_day(day, earlier)
    # what the lexical path confirms stays confirmed: the model decides the pairs it leaves
    floor = _lexical_floor(items, earlier, settings) if model is not None else {}
    decisions: dict[tuple[int, int], Decision] = {}
    for i, doc in enumerate(docs):
        for k, (d, _, edoc) in enumerate(flat):
            sim = sims[i][k] if sims is not None else None
            decisions[i, k] = floor.get((i, k)) or _decide_repeat(
                doc, edoc, settings, sim=sim, gap_days=(when - d).days, model=model
            )
    if semantic is not None and semantic.judge is not None and model is not None:
        _ask_judge(decisions, semantic.judge, model, items, [c for _, its in earlier for c in its])
    out = []
    for i in range(len(docs)):
        refs = [RepeatRef(d, j, decisions[i, k]) for k, (d, j, _) in enumerate(flat) if decisions[i, k].same]
        if refs:
            out.append((i, sorted(refs, key=lambda r: (r.date, r.index))))
    return out


def _decide_repeat(
    a: ReportFeatures,
    b: ReportFeatures,
    settings: ClusterSettings,
    *,
    sim: Similarity | None,
    gap_days: float,
    model: MergeModel | None,
) -> Decision:
    """``decide`` for a pair the lexical path left: two different release numbers (x.y.z) in the headlines
    are two releases of one thing (Claude Code 2.1.178, 2.1.179) whatever the model says; a headline a
    roundup's further fact states is that fact told again (``roundup_fact``), whatever the model says."""
    if model is not None and a.versions and b.versions and not a.versions & b.versions:
        return Decision(False, "entities")
    decision = decide(a, b, settings, sim=sim, gap_days=gap_days, model=model)
    if model is not None and not decision.same and roundup_fact(a, b):
        return Decision(True, "lexical", decision.p)
    if model is not None and not decision.same and gap_days >= 0 and planned_act(a, b):
        return Decision(True, "time", decision.p)
    return decision


def planned_act(later: ReportFeatures, earlier: ReportFeatures) -> bool:
    """Whether the later headline reports an act the earlier report's text announced as planned, for the same
    subject (``MiniMax H3 正式开源`` after ``MiniMax 发布 H3…计划在未来几天内开放模型权重``): a plan, then the thing
    itself, is one event, as a rumour then the launch is; a later headline that is itself a plan or a rumour
    (``或于今秋 IPO``) carries nothing out. The headlines name a subject in common and no other
    model or version (a name that is an event word, ``IPO``, is no subject); the act is a specific kind of
    event (``open``, ``ipo``…, not a bare release)."""
    if later.rumour:
        return False  # a rumour is not the thing itself
    acts = later.events - {"release"} - planned_kinds(later.title)  # ``或于今秋 IPO`` is still a plan
    shared = {n for n in later.subjects & earlier.subjects if not is_event_word(n)}  # IPO names no subject
    if not acts & earlier.plans or not shared:
        return False
    return not version_conflict(later, earlier, amounts=False) and not amount_conflict(later, earlier)


_ROUNDUP_FACT = 0.5  # the share of a headline (part) one further fact of the other must state, by rarity


def roundup_fact(a: ReportFeatures, b: ReportFeatures) -> bool:
    """Whether one report's headline (or a part of it between commas) is a further fact the other reported
    beside its own headline (``jianbao.stories.clauses.second_facts``: ``同日，宇树科技在科创板上市``,
    ``此外…``, a headline's part after ``+``): at least half of it by rarity, and its Chinese words alone
    too unless the two headlines name a subject in common (a shared model name is not a shared event); the
    names the headline writes in Latin letters mentioned by the other report; no subjects, versions or
    headline amounts in conflict. A roundup's second fact told alone the next day, or
    yesterday's item carried as a roundup's second fact, is one event; the learned model rarely sees one (the
    train split has next to none) and the whole reports' cosine misses it.
    """
    if a.subjects and b.subjects and not a.subjects & b.subjects:
        return False
    if _fact_share(a, b, words=False) < _ROUNDUP_FACT:
        return False
    if not a.title_names & b.title_names and _fact_share(a, b, words=True) < _ROUNDUP_FACT:
        return False
    if not any(
        headline_contained(head.parts, other.seconds) >= _ROUNDUP_FACT and _names_told(head, other)
        for head, other in ((a, b), (b, a))
    ):
        return False  # 菲尔兹奖得主 Tsimerman 加入 OpenAI is not 菲尔兹奖得主 Gowers 警告… told again
    return not version_conflict(a, b, amounts=False) and not amount_conflict(a, b)


def _names_told(head: ReportFeatures, other: ReportFeatures) -> bool:
    """Whether the other report mentions every name the headline writes in Latin letters (a person, a
    company): a further fact about someone else is not this headline's fact."""
    names = {n for n in head.subjects if n.isascii() and n in head.title.lower()}
    if not names:
        return True
    told = {t for clause in (*other.clauses, *other.seconds) for t in clause}
    return names <= told


def _fact_share(a: ReportFeatures, b: ReportFeatures, *, words: bool) -> float:
    """The largest share of one's headline (part) a further fact of the other states; ``words``: of its
    Chinese words only, names and numbers (Latin tokens) left out."""
    if not words:
        return max(headline_contained(a.parts, b.seconds), headline_contained(b.parts, a.seconds))
    pa, pb, sa, sb = (
        tuple({t: w for t, w in c.items() if not t.isascii()} for c in x)
        for x in (a.parts, b.parts, a.seconds, b.seconds)
    )
    return max(headline_contained(pa, sb), headline_contained(pb, sa))


def _lexical_floor(
    items: list[RepeatCandidate], earlier: list[tuple[dt.date, list[RepeatCandidate]]], settings: ClusterSettings
) -> dict[tuple[int, int], Decision]:
    """The (item, earlier item) pairs the lexical path joins (a shared key or the lexical rule, items read as
    without embeddings), by item index and flat index of the earlier item."""
    docs, flat, _ = _repeat_inputs(items, earlier, None)
    out = {}
    for i, doc in enumerate(docs):
        for k, (_, _, edoc) in enumerate(flat):
            decision = decide(doc, edoc, settings)
            if decision.same:
                out[i, k] = decision
    return out


def repeat_evidence(
    items: list[RepeatCandidate],
    earlier: list[tuple[dt.date, list[RepeatCandidate]]],
    embedder: Embedder,
    *,
    settings: ClusterSettings = DEFAULT_SETTINGS,
    day: dt.date | None = None,
) -> list[tuple[int, dt.date, int, dict[str, float]]]:
    """Every (item, earlier item) pair with the merge model's features, as ``find_repeat_refs`` sees them:
    what ``bench/fit_merge.py`` fits the model on. Pairs the lexical path joins (a shared link key or the
    lexical rule) are left out: they join without the model."""
    docs, flat, sims = _repeat_inputs(items, earlier, embedder)
    if sims is None:
        raise ValueError("repeat_evidence needs embeddings")
    when = _issue_day(day, earlier)
    floor = _lexical_floor(items, earlier, settings)
    out = []
    for i, doc in enumerate(docs):
        for k, (d, j, edoc) in enumerate(flat):
            if (i, k) in floor or doc.keys & edoc.keys:
                continue
            feats = pair_features(doc, edoc, sim=sims[i][k], gap_days=(when - d).days, settings=settings)
            out.append((i, d, j, feats))
    return out


def _repeat_inputs(
    items: list[RepeatCandidate],
    earlier: list[tuple[dt.date, list[RepeatCandidate]]],
    embedder: Embedder | None,
) -> tuple[list[ReportFeatures], list[tuple[dt.date, int, ReportFeatures]], list[list[Similarity]] | None]:
    """The features of an issue's items and of the window's earlier items (rare names marked over both)
    and, with an embedder, what the embeddings say of every (item, earlier item) pair.

    Without an embedder the items are read exactly as before embeddings existed; with one, each item's
    headline is recovered first (``split_report``) and the items are embedded twice: headline alone, and
    headline with the first sentence of the text.
    """
    recover = embedder is not None
    if recover:
        items = [_named(c) for c in items]
        earlier = [(d, [_named(c) for c in its]) for d, its in earlier]
    docs = _candidate_docs(items, recover=recover)
    earlier_docs = [(d, _candidate_docs(its, recover=recover)) for d, its in earlier]
    _mark_rare([docs, *(d for _, d in earlier_docs)])
    flat = [(d, j, edoc) for d, edocs in earlier_docs for j, edoc in enumerate(edocs)]
    if embedder is None:
        return docs, flat, None
    reports = [*items, *(c for _, its in earlier for c in its)]
    split = [split_report(c.title, c.text) for c in reports]
    all_docs = [*docs, *(doc for _, _, doc in flat)]
    found = [report_clauses(h, body) for h, body in split]
    head_parts = [headline_parts(h) for h, _ in split]
    seconds = [second_facts(h, body) for h, body in split]
    # weighed together: a report's parts and further facts are pieces of its clauses, the rarity is the same
    weighed = weigh([c + p + f for (_, c), p, f in zip(found, head_parts, seconds, strict=True)])
    for doc, (heads, c), p, w, (_, body) in zip(all_docs, found, head_parts, weighed, split, strict=True):
        doc.clauses, doc.heads = w[: len(c)], heads
        doc.plans = planned_kinds(body)
        doc.parts, doc.seconds = w[len(c) : len(c) + len(p)], w[len(c) + len(p) :]
    sentences = [report_sentences(body) for _, body in split]
    texts = [report_text(c.title, c.text) for c in reports] + [h for h, _ in split]
    texts += [x for sents in sentences for x in sents]
    vectors = embed_texts(texts, embedder)
    if vectors is None:
        return docs, flat, None
    n, m = len(docs), len(reports)
    spans, start = [], 2 * m
    for sents in sentences:
        spans.append((start, start + len(sents)))
        start += len(sents)
    parts = Embedded(leads=vectors[:m], heads=vectors[m : 2 * m], sentences=vectors, spans=spans)
    return docs, flat, similarities(parts, n)


_LABEL_RE = re.compile(r"^[^｜\s][^｜]{0,19}｜\s*")  # "The Decoder｜…", "36氪｜…": an outlet's label
_BRACKET_RE = re.compile(r"^\[([^\]\n]{1,60})\]\s*")  # "[Anthropic / The Decoder] …": the outlets of a line
_BARE_NAME = 32  # a title this short that opens the text (Black Forest Labs, 智谱 AI) names, it does not tell


def _named(c: RepeatCandidate) -> RepeatCandidate:
    """An item without the outlet label a line may open with (``The Decoder｜``), and one whose title is only
    the name its text opens with (a published line ``**Black Forest Labs**
    Black Forest Labs Flux 3 发布：…``) read with the text's first sentence as its headline, the name's
    repeats dropped: what it reports, not who."""
    title, text = _LABEL_RE.sub("", c.title.strip()), _LABEL_RE.sub("", c.text.strip())
    if (title, text) != (c.title, c.text):
        c = RepeatCandidate(title=title, text=text, urls=c.urls, entity=c.entity)
    bracket = _BRACKET_RE.match(text)
    if bracket and " — " not in text and title in {"", bracket.group(1).strip()}:
        # a line with no headline (``**[Anthropic / The Decoder]** Anthropic CEO … 重申…``): the importer's
        # title is the outlets' label, the event is the text's first sentence
        first, after = split_first_sentence(text[bracket.end() :])
        if len(first) > 4:
            return RepeatCandidate(title=first, text=after, urls=c.urls, entity=c.entity)
    if not title or len(title) > _BARE_NAME or " — " in text or not text.startswith(title):
        return c
    rest = text
    while rest.startswith(title):
        rest = rest[len(title) :].lstrip(" ：:｜|")
    first, after = split_first_sentence(rest)
    if len(first) <= 4:
        return c
    return RepeatCandidate(title=f"{title} {first}" if title not in first else first, text=after,
                           urls=c.urls, entity=c.entity)  # fmt: skip


@dataclass(slots=True)
class Embedded:
    """The vectors of the reports compared: lead and headline rows, and each report's sentence rows
    (``sentences[spans[r][0]:spans[r][1]]``)."""

    leads: Vectors
    heads: Vectors
    sentences: Vectors
    spans: list[tuple[int, int]]


def similarities(e: Embedded, n: int) -> list[list[Similarity]]:
    """What the embeddings say of every (report r < n, report r ≥ n) pair: cosines of leads, of headlines,
    the best of one headline against the other's sentences, and whether they are each other's nearest."""
    m = len(e.leads)
    if not n or n == m:
        return [[] for _ in range(n)]
    lead = e.leads[:n] @ e.leads[n:].T
    head = e.heads[:n] @ e.heads[n:].T
    # each headline against every sentence: the best sentence of each report for each headline
    per_sentence = e.heads @ e.sentences.T if e.sentences.size else np.zeros((m, 0), dtype=np.float32)
    best = np.full((m, m), -1.0, dtype=np.float32)
    for r, (lo, hi) in enumerate(e.spans):
        if hi > lo:
            best[:, r] = per_sentence[:, lo:hi].max(axis=1)
    sent = np.maximum(best[:n, n:], best[n:, :n].T)
    best_b = lead.argmax(axis=1)  # each a's nearest b
    best_a = lead.argmax(axis=0)  # each b's nearest a
    out = []
    for i in range(n):
        row = []
        for k in range(m - n):
            top = (0.5 if best_b[i] == k else 0.0) + (0.5 if best_a[k] == i else 0.0)
            row.append(Similarity(float(lead[i, k]), float(head[i, k]), float(max(sent[i, k], 0.0)), top))
        out.append(row)
    return out


def _issue_day(day: dt.date | None, earlier: list[tuple[dt.date, list[RepeatCandidate]]]) -> dt.date:
    """The date of the issue compared: given, else the day after the latest earlier issue."""
    if day is not None:
        return day
    return max((d for d, _ in earlier), default=dt.date(2000, 1, 1)) + dt.timedelta(days=1)


def _ask_judge(
    decisions: dict[tuple[int, int], Decision],
    judge: Judge,
    model: MergeModel,
    later: Sequence[RepeatCandidate],
    before: Sequence[RepeatCandidate],
) -> None:
    """Put the borderline decisions to the LLM judge; its yes or no replaces them (None keeps the model's)."""
    asked = [pair for pair, d in sorted(decisions.items()) if borderline(d, model)]
    if not asked:
        return
    texts = [
        (report_text(before[k].title, before[k].text), report_text(later[i].title, later[i].text))
        for i, k in asked
    ]
    for pair, answer in zip(asked, judge(texts), strict=True):
        if answer is not None:
            decisions[pair] = Decision(answer, "llm", decisions[pair].p)


# ----------------------------------------------------------------------------------------- GitHub rows


@dataclass(frozen=True, slots=True)
class RowRepeat:
    """A GitHub 趋势 row whose repository an earlier table showed: where, and whether its stars jumped.

    ``stars_jump`` is None when the figures cannot be compared (one is missing).
    """

    index: int
    repo: str
    stars: int | None
    earlier: list[
        tuple[dt.date, int | None]
    ]  # (date, stars) of each earlier table that showed it, newest first
    stars_jump: bool | None


def github_repeats(
    rows: Sequence[TrendingRow], tables: Sequence[tuple[dt.date, Sequence[TrendingRow]]], *, jump: float = 0.2
) -> list[RowRepeat]:
    """The rows of a table whose repository (``owner/name``, case-insensitive) one of the earlier ``tables``
    showed; a row's stars jumped when its total grew by at least ``jump`` (0.2 = 20%) since the latest of them."""
    out = []
    for i, row in enumerate(rows):
        repo = row.repo.lower()
        seen = [
            (day, next(r.stars for r in table if r.repo.lower() == repo))
            for day, table in sorted(tables, key=lambda t: t[0], reverse=True)
            if any(r.repo.lower() == repo for r in table)
        ]
        if not seen:
            continue
        last = seen[0][1]
        jumped = None if row.stars is None or not last else row.stars >= last * (1 + jump)
        out.append(RowRepeat(i, row.repo, row.stars, seen, jumped))
    return out
