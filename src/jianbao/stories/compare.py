"""Whether two reports are one event: the features of a report and the exact confirmation of a pair.

One notion of "same event" (``same_event``) serves clustering (candidate pairs proposed by
``jianbao.stories.candidates``), history matching and repeat finding (``jianbao.stories.history``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field

from jianbao.stories.lexicon import word_set, word_table
from jianbao.stories.settings import ClusterSettings
from jianbao.stories.text import (
    EntityTokens,
    canonical_brand,
    entity_tokens,
    is_zh,
    shingle_ints,
    title_shingles,
)

__all__ = [
    "ReportFeatures",
    "is_event_word",
    "jaccard",
    "planned_kinds",
    "report_features",
    "same_event",
    "version_conflict",
]


@dataclass(slots=True)
class ReportFeatures:
    """What ``same_event`` compares of one report (an entry, a published story or an issue's item)."""

    title: str
    zh: bool
    ents: EntityTokens
    plain: frozenset[int]  # crc32 of the text shingles (exact Jaccard, a third of the memory of strings)
    title_shingles: set[str]
    title_strong: frozenset[str]  # model names and numbers (not dates) of the headline
    title_names: frozenset[str]  # brands and names written in the headline itself
    families: dict[str, set[str]]
    title_zh: bool
    event: str | None
    title_numbers: frozenset[str]
    keys: set[str] = field(default_factory=set)
    events: frozenset[str] = frozenset()  # every kind of event the headline names (暂停, 谈判, 开源…)
    subjects: frozenset[str] = frozenset()  # headline names plus model families (Fable/Mythos either way)
    facts: frozenset[str] = frozenset()  # amounts anywhere in the report, dates left out
    versions: frozenset[str] = frozenset()  # x.y.z release numbers of the headline (Claude Code 2.1.170)
    rumour: bool = False  # 传 / 据传 / reportedly: its confirmation later is the same story
    follow_up: bool = False  # 持续发酵 / 跟进 / 回应: a follow-up on something already reported
    # set by ``find_repeats`` only (a few dozen items, not 100k entries): character bigrams of the body
    # and the headline names few items of the window share (Astra, OpenRouter, Frozen v2)
    body: frozenset[str] = frozenset()
    rare: frozenset[str] = frozenset()
    head: frozenset[str] = frozenset()  # character bigrams of the headline (the merge model's containment)
    # the clauses of the report, tokens weighed by rarity (``jianbao.stories.clauses``; semantic path only)
    clauses: tuple[Mapping[str, float], ...] = ()
    heads: int = 0  # how many of the clauses are the headline and its parts (they come first)
    parts: tuple[Mapping[str, float], ...] = ()  # the headline and its parts between commas, weighed alike
    seconds: tuple[Mapping[str, float], ...] = ()  # the further facts of a roundup (``second_facts``)
    plans: frozenset[str] = frozenset()  # kinds of event its text announces as planned (``planned_kinds``)


_OUTLETS = word_set("outlets")  # names quoted in headlines that are not the subject of the event
_EVENTS = tuple(word_table("events").items())  # (kind, words), in file order: the regex groups follow it
_EVENT_RE = re.compile("|".join(f"({'|'.join(map(re.escape, words))})" for _, words in _EVENTS))
_RUMOUR_RE = re.compile(r"据传|传闻|^传|曝光|或将|reportedly|rumou?r|leak", re.I)
_FOLLOW_UP = word_set("follow_up")  # 持续发酵, 跟进, 回应…: a headline following up on an earlier report
_FOLLOW_UP_RE = re.compile("|".join(map(re.escape, sorted(_FOLLOW_UP, key=len, reverse=True))))
_RELEASE_RE = re.compile(r"(?<![\d.])v?(\d+\.\d+\.\d+)(?![\d.])")
# a sentence announcing what is still to come: 计划 / 将于 / 即将 / 未来几天 / will / plans to…; what follows the
# word is the planned act
_PLAN_RE = re.compile(
    r"计划|打算|拟于?|将于|将在|将会|即将|或于|或将|有望|未来(?:几|数)(?:天|日|周)|近期将|"
    r"\bwill\b|\bplans? to\b|\bplanned\b|\bset to\b|\bcoming (?:days|weeks)\b|\bexpected to\b",
    re.I,
)
_SENTENCE_SPLIT_RE = re.compile(r"[。！？!?；;\n]|(?<=\.)\s")
_PLAN_REACH = 16  # characters after the word of plan the act must start within
# 开放模型权重 in a text: the open kind (the headline words of events.toml do not name it so)
_OPEN_WEIGHTS_RE = re.compile(r"开放\S{0,4}权重|open[- ]?weights?", re.I)


def planned_kinds(text: str) -> frozenset[str]:
    """The kinds of event (``words/events.toml``) a report's text announces as planned: the first act named
    within a few characters after a word of plan (``计划在未来几天内开放模型权重`` → open; ``将于明年在科创板
    上市`` → ipo; ``即将推出的 Astra…攻击`` names a release first, no specific act)."""
    kinds: set[str] = set()
    for sentence in _SENTENCE_SPLIT_RE.split(text):
        for plan in _PLAN_RE.finditer(sentence):
            after = sentence[plan.end() : plan.end() + _PLAN_REACH].lower()
            acts = [
                (m.start(), _EVENTS[m.lastindex - 1][0]) for m in _EVENT_RE.finditer(after) if m.lastindex
            ]
            acts += [(m.start(), "open") for m in _OPEN_WEIGHTS_RE.finditer(after)]
            if acts:
                kinds.add(min(acts)[1])
    return frozenset(kinds - {"release"})


def is_event_word(name: str) -> bool:
    """Whether a name the entity reader found is a kind of event (``IPO``, ``S-1``), not a subject."""
    return bool(_EVENT_RE.fullmatch(name.lower()))


def report_features(title: str, text: str, keys: Iterable[str] = (), *, label: str = "") -> ReportFeatures:
    """Comparison features of one report; ``label`` is a daily item's bold entity (company or outlet)."""
    full = f"{title} {text}".strip()
    title_ents = entity_tokens(title)
    rest = entity_tokens(f"{label} {text}")
    ents = EntityTokens(
        title_ents.models | rest.models, title_ents.brands | rest.brands, title_ents.numbers | rest.numbers
    )
    families = title_ents.families()
    # a name that is only the family of a headline model (fable in "Fable 5") adds no evidence
    derived = {f.split("-")[0] for f in families} | {canonical_brand(f) for f in families}
    names = set(title_ents.brands)
    if label:
        names |= entity_tokens(label).brands
    title_numbers = frozenset(n for n in title_ents.numbers if not n.startswith("date:"))
    zh = is_zh(full)
    events = [_EVENTS[m.lastindex - 1][0] for m in _EVENT_RE.finditer(title.lower()) if m.lastindex]
    return ReportFeatures(
        title=title,
        zh=zh,
        ents=ents,
        plain=shingle_ints(full, zh),
        title_shingles=title_shingles(title),
        title_strong=frozenset({m for m in title_ents.models if "@" not in m} | title_numbers),
        title_names=frozenset(names) - derived - _OUTLETS,
        event=events[0] if events else None,
        title_numbers=title_numbers,
        families=families,
        title_zh=is_zh(title),
        keys=set(keys),
        events=frozenset(events),
        subjects=frozenset(n for n in (names | derived) - _OUTLETS if len(n) >= 2),
        versions=frozenset(_RELEASE_RE.findall(title)),
        rumour=bool(_RUMOUR_RE.search(title)),
        follow_up=bool(_FOLLOW_UP_RE.search(title.lower())),
        facts=frozenset(n for n in ents.numbers if not n.startswith("date:")),
    )


def jaccard(a: Set[object], b: Set[object]) -> float:
    """Jaccard similarity of two sets of shingles (strings or their integer hashes); 0 when one is empty."""
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


_DIGITS_RE = re.compile(r"[\d.e+\-]+")


def _unit(number: str) -> str:
    """The unit of a normalised amount (``usd:`` of ``usd:2e+10``, ``%`` of ``90.45%``)."""
    return _DIGITS_RE.sub("", number)


def version_conflict(a: ReportFeatures, b: ReportFeatures, *, amounts: bool = True) -> bool:
    """Headlines that name different versions or different amounts report different events.

    GPT-5.6 vs GPT-5.7, Claude Code 2.1.178 vs 2.1.180, V4 Pro vs V4 Flash, 融资 20 亿 vs 融资 35 亿.
    """
    if a.versions and b.versions and not a.versions & b.versions:
        return True  # a new version of a recurring release
    if a.families and b.families and not a.families.keys() & b.families.keys():
        return True  # each headline is about a different model
    for family in a.families.keys() & b.families.keys():
        va, vb = a.families[family], b.families[family]
        bare_a, bare_b = {v.split("#")[0] for v in va}, {v.split("#")[0] for v in vb}
        if not bare_a & bare_b:
            return True
        for version in bare_a & bare_b:
            var_a = {v for v in va if v.startswith(version + "#")}
            var_b = {v for v in vb if v.startswith(version + "#")}
            if var_a and var_b and not var_a & var_b:
                return True
    if amounts and a.title_numbers and b.title_numbers and not a.title_numbers & b.title_numbers:
        units = {_unit(n) for n in a.title_numbers} & {_unit(n) for n in b.title_numbers}
        for unit in units:
            if not {n for n in a.title_numbers if _unit(n) == unit} & {
                n for n in b.title_numbers if _unit(n) == unit
            }:
                return True
    return False


def same_event(a: ReportFeatures, b: ReportFeatures, settings: ClusterSettings) -> bool:
    """Exact confirmation of a candidate pair; LSH and the entity index only propose."""
    if a.keys & b.keys:
        return True
    if not _alike(a, b, settings):
        return False
    # a rumour and its confirmation are one story even when the amount moved (70 亿 → 80 亿)
    return not version_conflict(a, b, amounts=not (a.rumour or b.rumour))


def _alike(a: ReportFeatures, b: ReportFeatures, settings: ClusterSettings) -> bool:
    """Whether two reports read as one event, before the version/amount veto."""
    title_sim = jaccard(a.title_shingles, b.title_shingles)
    if a.zh == b.zh and title_sim >= settings.title_threshold:
        return True
    if a.zh == b.zh and jaccard(a.plain, b.plain) >= settings.confirm_threshold:
        return True
    # the headlines name the same thing (a model, an amount) and something else in common; across
    # languages this is the only way to meet, within one language the headlines must also look alike
    strong = a.title_strong & b.title_strong
    names = a.title_names & b.title_names
    if a.events and b.events and not a.events & b.events:
        return False  # one saga, two steps: 暂停访问 then 谈判恢复 are different events
    subjects = a.subjects & b.subjects
    if a.subjects and b.subjects and not subjects:
        return False  # OpenAI files its S-1, Anthropic files its S-1: two events
    # a name few items of the window carry (Astra, OpenRouter) and bodies that read alike, or a
    # rumour and its confirmation about that name
    rare = a.rare & b.rare
    if rare and (jaccard(a.body, b.body) >= settings.body_threshold or a.rumour or b.rumour):
        return True
    # bodies that retell the same facts (水印检测 API / 添加水印) under a shared name or a similar headline
    if (
        a.body
        and b.body
        and jaccard(a.body, b.body) >= 2 * settings.body_threshold
        and (subjects or title_sim >= 0.2)
    ):
        return True
    # one subject and the same specific kind of event (暂停, 限量, 默认启用…), not a generic 发布
    specific = a.events - {"release"}
    if (
        subjects
        and specific
        and specific == b.events - {"release"}
        and (
            strong or len(subjects) >= 2 or title_sim >= settings.event_threshold or a.title_zh != b.title_zh
        )
    ):
        return True
    # the same subject and two amounts of the report in common (89% and 13.6%): one event reworded
    if subjects and len(a.facts & b.facts) >= 2:
        return True
    if not strong and len(names) < 2:
        return False
    cross = a.title_zh != b.title_zh
    if (
        strong
        and len(strong) + len(names) >= settings.cross_language_min_shared
        and (cross or title_sim >= settings.support_threshold)
    ):
        return True
    # two amounts in common in the headlines (1T 参数, 1000 tokens/s) and a name: one event
    if names and sum(1 for t in strong if t in a.title_numbers) >= 2:
        return True
    # the same subject doing the same kind of thing (Kimi K3 开源 / Moonshot open-sources Kimi K3)
    shared_model = any(t in a.ents.models for t in strong)
    if (shared_model or names) and a.event is not None and a.event == b.event:
        return cross or title_sim >= settings.event_threshold
    return False
