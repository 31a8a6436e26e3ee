"""Topical relevance: how much each story is about the issue's topic, so an AI briefing is about AI.

Every story gets a score from 0 to 1 and a verdict, kept on ``Story.relevance`` for ranking and ``--explain``.

**The rules** (``[relevance]`` in the config, the topic's vocabulary in ``issue/topics/<topic>.toml``) weigh
the evidence an editor would see, the way ``section.py`` does for sections:

  headline, strong word   2     the first ("LLM", "OpenAI", "大模型"); each further one 0.5, at most 1 more
  headline, weak word     0.75  each ("model", "agent", "GPU", "芯片"), at most 1.5
  text, strong word       0.5   each distinct one in the entry's text (its article for an aggregator), at most 1.5
  text, weak word         0.1   each, at most 0.2 (a headline's one weak word needs a strong word in the text)
  link                    0.5   a link of a configured kind (``link_kinds``: a paper); a model page 1
  avoid                  −1     each configured ``avoid`` word in the headline

and ``score = min(1, points / 2)``: a strong word in the headline is enough, one weak word needs the text's
support. A story is as relevant as its most relevant entry.

**The sources**: each source has a scope (``[[sources]] scope``). A lab's own announcements (``lab``, or any
page on a lab's own site) and a source about the topic (``topical``) carry stories that are on topic whatever
their score; a
general-interest source (``general``: Hacker News, tech media) contributes only stories scoring at least
``threshold``. ``auto`` (the default) is judged from the source's recent entries: an aggregator (Hacker
News, Reddit) is general, a source whose links are a lab's own pages is a lab, and otherwise the source is
topical when ``topical_share`` of its entries are on topic by the rules. A story told by a lab's own page
(``[labs]`` of the topic), or by a company's general site when the story is on topic (``[companies]``),
carries ``first_party``, which ``select.score_story`` counts as an outlet.

**Second opinions**, when configured: an embedder (``TextEmbedder``: texts → vectors) compares each story with
the topic's prototypes and its score is averaged with the rules'; an LLM (``TopicJudge``) decides the stories
of general sources whose score lies within ``llm_band`` of the threshold. Both are small protocols, so any
backend plugs in (the build passes the LLM client's; an embedding backend is connected the same way).
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Protocol, cast
from urllib.parse import urlsplit

from jianbao.config import RelevanceSettings
from jianbao.errors import ConfigError
from jianbao.issue.compose import Pick
from jianbao.issue.item_text import entry_text
from jianbao.issue.wordscan import Substrings, trie_pattern
from jianbao.records import Entry, Relevance, Scope, Source, Story

__all__ = [
    "EVIDENCE_VERSION",
    "EvidenceCache",
    "TextEmbedder",
    "Topic",
    "TopicJudge",
    "assess_relevance",
    "entry_points",
    "evidence_hash",
    "evidence_rows",
    "explain_off_topic",
    "lab_of",
    "load_topic",
    "off_topic",
    "reading_of",
    "source_scopes",
    "vocabulary",
]

TITLE_STRONG = 2.0
TITLE_STRONG_MORE = 0.5  # each further strong word in the headline, at most one more
TITLE_WEAK = 0.75
TITLE_WEAK_CAP = 1.5
TEXT_STRONG = 0.5
TEXT_STRONG_CAP = 1.5
TEXT_WEAK = 0.1
TEXT_WEAK_CAP = 0.2  # "Training for a marathon" + an article full of "model", "data": still not about AI
LINK_POINTS = 0.5
MODEL_LINK_POINTS = 1.0  # a Hugging Face model, dataset or space page
AVOID_POINTS = 1.0
FULL = 2.0  # points that make a story certainly on topic (score 1)
TEXT_CHARS = 1500  # how much of an entry's text is read: the lead, where a story says what it is about
SAMPLE = 40  # recent entries read per source of scope auto
_TRUST: Mapping[Scope, int] = {"lab": 3, "topical": 2, "general": 1, "auto": 0}
_MODEL_KEYS = ("hf:", "hfd:", "hfs:")


# ------------------------------------------------------------------------------------------ the vocabulary
@dataclass(frozen=True, slots=True)
class Topic:
    """A topic's vocabulary (``issue/topics/<name>.toml``): strong and weak words, words that count against
    it, the labs whose own pages are first-party news, and prototypes for an embedder."""

    name: str
    strong: tuple[str, ...]
    weak: tuple[str, ...]
    avoid: tuple[str, ...] = ()
    labs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    companies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # first-party when on topic
    on: tuple[str, ...] = ()  # prototypes of on-topic stories
    off: tuple[str, ...] = ()  # … and of stories the topic is not about


def _strings(data: Mapping[str, object], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return tuple(dict.fromkeys(value))


@functools.cache
def load_topic(name: str) -> Topic:
    """The topic ``[relevance] topic`` names: a built-in one (``ai``) or the path of a TOML file of that shape.

    Raises ConfigError for a missing or malformed file."""
    builtin = files("jianbao.issue").joinpath("topics", f"{name}.toml")
    try:
        text = (
            builtin.read_text(encoding="utf-8")
            if builtin.is_file()
            else Path(name).read_text(encoding="utf-8")
        )
        data = tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(
            f"[relevance] topic {name!r}: {error}",
            hint="use a built-in topic (ai) or the path of a TOML file",
        ) from None
    where = f"topic {name}"
    labs_data = data.get("labs", {})
    companies = data.get("companies", {})
    prototypes = data.get("prototypes", {})
    if not all(isinstance(t, dict) for t in (labs_data, companies, prototypes)):
        raise ConfigError(f"{where}: [labs], [companies] and [prototypes] must be tables")
    return Topic(
        name=name,
        strong=_strings(data, "strong", where),
        weak=_strings(data, "weak", where),
        avoid=_strings(data, "avoid", where),
        labs={lab: _strings(labs_data, lab, where) for lab in labs_data},
        companies={name: _strings(companies, name, where) for name in companies},
        on=_strings(prototypes, "on", where),
        off=_strings(prototypes, "off", where),
    )


class _Words:
    """One compiled matcher for a word list: Latin words as whole words, case-insensitively (short words
    with a capital, like ``AI`` or ``xAI``, exactly as written), Chinese words anywhere.

    Each list is read in one pass (``issue/wordscan.py``), not once per word."""

    def __init__(self, words: Iterable[str]) -> None:
        folded: dict[str, str] = {}
        exact: dict[str, str] = {}
        cjk: list[str] = []
        for word in dict.fromkeys(w.strip() for w in words if w.strip()):
            if not word.isascii():
                cjk.append(word)
            elif len(word) <= 4 and any(c.isupper() for c in word):
                exact[word] = word
            else:
                folded[word.lower()] = word
        self.cjk: tuple[str, ...] = tuple(cjk)
        self._folded = _alternation(folded, re.IGNORECASE)
        self._lowered = _alternation(folded, 0)  # the same words in a lower-cased text (``find``)
        self._exact = _alternation(exact, 0)
        self._names = {**folded, **exact}
        self._cjk = Substrings(cjk)  # which Chinese words the text has, at once
        self._order = {word: i for i, word in enumerate(cjk)}

    def find(self, text: str) -> list[str]:
        """The distinct words of the list in ``text``, as the list spells them, in order of appearance."""
        found: dict[str, int] = {}
        names = self._names
        if self._folded is not None:
            # Case-insensitive matching costs a third more than matching the lower-cased text, which finds the
            # same words at the same places unless the text holds a character IGNORECASE matches to an ASCII
            # letter or that lower() turns into one (_FOLDS_TO_ASCII: only these four, checked in the tests).
            lowered = self._lowered
            if lowered is not None and not any(c in text for c in _FOLDS_TO_ASCII):
                scan = lowered.finditer(text.lower())
            else:
                scan = self._folded.finditer(text)
            for match in scan:
                word = match.group(1)
                found.setdefault(names.get(word.lower(), word), match.start())
        if self._exact is not None:
            for match in self._exact.finditer(text):
                word = match.group(1)
                found.setdefault(names.get(word, word), match.start())
        if self.cjk and (present := self._cjk.present(text)):
            for word in sorted(present, key=self._order.__getitem__):  # in the list's order
                if not any(word in longer and word != longer for longer in found):
                    found.setdefault(word, text.find(word))
        return sorted(found, key=found.__getitem__) if len(found) > 1 else list(found)


# The characters outside ASCII that IGNORECASE matches to an ASCII letter, or lower() lower-cases to one (or to
# two characters): İ, ı, ſ and the Kelvin sign.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def _alternation(words: Mapping[str, str], flags: int) -> re.Pattern[str] | None:
    if not words:
        return None
    # the longest phrase wins ("language model" over "model"); the first-character class lets the scan skip
    # the positions no word can start at
    first = "".join(sorted({re.escape(w[0]) for w in words}))
    return re.compile(rf"(?=[{first}])(?<![A-Za-z0-9])({trie_pattern(words)})(?![A-Za-z0-9])", flags)


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    strong: _Words
    weak: _Words
    avoid: _Words


@functools.cache
def _words_of(topic_name: str, keywords: tuple[str, ...], avoid: tuple[str, ...]) -> _Vocabulary:
    topic = load_topic(topic_name)
    return _Vocabulary(_Words([*topic.strong, *keywords]), _Words(topic.weak), _Words([*topic.avoid, *avoid]))


def vocabulary(settings: RelevanceSettings) -> _Vocabulary:
    """The compiled words of the settings' topic, with its configured ``keywords`` and ``avoid`` words."""
    return _words_of(settings.topic, tuple(settings.keywords), tuple(settings.avoid))


# ------------------------------------------------------------------------------------------ the rules
# What the rules read of an entry: its URL (whose lab's page it is), headline, the lead of its text
# (``TEXT_CHARS``), the kinds of its links, and whether one is a model page.
Reading = tuple[str, str, str, tuple[str, ...], bool]


def reading_of(entry: Entry) -> Reading:
    """What ``entry_points`` and ``lab_of`` read of ``entry``: its evidence depends on nothing else."""
    links = entry.links
    if not links:  # most entries: no kinds, no model page
        return entry.url, entry.title, entry_text(entry)[:TEXT_CHARS], (), False
    kinds = tuple(sorted({link.kind for link in links}))
    model = any((link.key or "").startswith(_MODEL_KEYS) for link in links)
    return entry.url, entry.title, entry_text(entry)[:TEXT_CHARS], kinds, model


def entry_points(
    entry: Entry, words: _Vocabulary, *, link_kinds: Sequence[str] = ("paper",)
) -> tuple[float, list[str]]:
    """The rule evidence of one entry (points, and what gave them, for ``--explain``)."""
    return _reading_points(reading_of(entry), words, link_kinds)


def _reading_points(
    reading: Reading, words: _Vocabulary, link_kinds: Sequence[str]
) -> tuple[float, list[str]]:
    why: list[str] = []
    _url, title, text, kinds, model = reading
    strong = words.strong.find(title)
    weak = [w for w in words.weak.find(title) if not any(w.lower() in s.lower() for s in strong)]
    points = 0.0
    if strong:
        points += TITLE_STRONG + min(len(strong) - 1, 1) * TITLE_STRONG_MORE
        why += [f"title:{w}" for w in strong[:2]]
    if weak:
        points += min(len(weak) * TITLE_WEAK, TITLE_WEAK_CAP)
        why += [f"title~{w}" for w in weak[:2]]
    if text:
        body_strong = [w for w in words.strong.find(text) if w not in strong]
        body_weak = [w for w in words.weak.find(text) if w not in weak]
        if body_strong:
            points += min(len(body_strong) * TEXT_STRONG, TEXT_STRONG_CAP)
            why += [f"text:{w}" for w in body_strong[:2]]
        if body_weak:
            points += min(len(body_weak) * TEXT_WEAK, TEXT_WEAK_CAP)
            why += [f"text~{w}" for w in body_weak[:2]]
    if hit := sorted(set(kinds) & set(link_kinds)):
        points += LINK_POINTS
        why.append(f"link:{hit[0]}")
    if model:
        points += MODEL_LINK_POINTS
        why.append("link:model")
    for word in words.avoid.find(title):
        points -= AVOID_POINTS
        why.append(f"avoid:{word}")
    return points, why


# ------------------------------------------------------------------------------------------ the stored evidence
# An entry's evidence (its points, why, and the lab and company whose own page it is) depends only on its
# reading and the topic's word lists, so ingest computes it once and keeps it by the hash of both
# (``evidence_hash``), like the story index: a changed entry, word list, link kind, lab or rule gives a new
# hash, never stale evidence. Bump ``EVIDENCE_VERSION`` when the rules above change what they make of a reading.
EVIDENCE_VERSION = f"ev1/marshal{marshal.version}"

# what the stored evidence is: points, why, the lab's page it is ("" for none), the company's ("" for none)
_Record = tuple[float, tuple[str, ...], str, str]


class EvidenceCache(Protocol):
    """Where entries' evidence is kept between runs (the store implements it: ``jianbao.store.evidence``)."""

    def evidence_get(self, hashes: Sequence[bytes]) -> dict[bytes, bytes]: ...

    def evidence_put(self, rows: Mapping[bytes, bytes]) -> None: ...


def _vocabulary_digest(settings: RelevanceSettings) -> str:
    return _digest_of(
        settings.topic, tuple(settings.keywords), tuple(settings.avoid), tuple(settings.link_kinds)
    )


@functools.cache
def _digest_of(
    topic_name: str, keywords: tuple[str, ...], avoid: tuple[str, ...], link_kinds: tuple[str, ...]
) -> str:
    """The hash of everything besides the reading that an entry's evidence depends on: the word lists as the
    matchers are built from them (in order: it decides what ``why`` names first), the link kinds, the labs and
    companies, the rules' weights and ``EVIDENCE_VERSION``."""
    topic = load_topic(topic_name)
    weights = (
        TITLE_STRONG, TITLE_STRONG_MORE, TITLE_WEAK, TITLE_WEAK_CAP, TEXT_STRONG, TEXT_STRONG_CAP, TEXT_WEAK,
        TEXT_WEAK_CAP, LINK_POINTS, MODEL_LINK_POINTS, AVOID_POINTS, TEXT_CHARS, _MODEL_KEYS,
    )  # fmt: skip
    shape = [
        EVIDENCE_VERSION,
        weights,
        [*topic.strong, *keywords],
        topic.weak,
        [*topic.avoid, *avoid],
        link_kinds,
        list(topic.labs.items()),
        list(topic.companies.items()),
    ]
    return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode("utf-8")).hexdigest()


def evidence_hash(reading: Reading, digest: str) -> bytes:
    """The key of a reading's evidence under a vocabulary's ``digest``: 16 bytes of the SHA-256 of its parts,
    each prefixed by its length, so no two readings share one."""
    url, title, text, kinds, model = reading
    # (digest, url, title, text, "m" or "-", *kinds), each as "{len}:{part}": one format, the kinds joined
    raw = f"{len(digest)}:{digest}{len(url)}:{url}{len(title)}:{title}{len(text)}:{text}1:{'m' if model else '-'}"
    if kinds:
        raw += "".join([f"{len(kind)}:{kind}" for kind in kinds])
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).digest()[:16]


def _record(reading: Reading, words: _Vocabulary, link_kinds: Sequence[str], topic: Topic) -> _Record:
    points, why = _reading_points(reading, words, link_kinds)
    url = reading[0]
    return points, tuple(why), lab_of(url, topic), lab_of(url, topic, companies=True)


def evidence_rows(entries: Iterable[Entry], settings: RelevanceSettings) -> dict[bytes, bytes]:
    """The packed evidence of ``entries`` under ``settings``, by ``evidence_hash``: what ingest keeps."""
    topic, words, digest = load_topic(settings.topic), vocabulary(settings), _vocabulary_digest(settings)
    rows: dict[bytes, bytes] = {}
    for entry in entries:
        reading = reading_of(entry)
        key = evidence_hash(reading, digest)
        if key not in rows:
            rows[key] = marshal.dumps(_record(reading, words, settings.link_kinds, topic))
    return rows


class _Evidence:
    """``entry_points`` and ``lab_of`` of each entry once, for one topic and settings: an entry among both a
    source's samples and the window's stories is read once (by identity: the window's entries are the
    samples' own where they are the same). With a ``cache`` (the store), ``read`` takes the entries'
    evidence from what ingest kept, and computes (and keeps) only what it lacks."""

    def __init__(self, topic: Topic, settings: RelevanceSettings, cache: EvidenceCache | None = None) -> None:
        self.topic, self.words, self.link_kinds = topic, vocabulary(settings), settings.link_kinds
        self.settings, self.cache = settings, cache
        self.computed = 0  # entries whose evidence was not in the cache
        self._seen: dict[int, tuple[Entry, tuple[float, list[str]]]] = {}
        self._labs: tuple[dict[str, str], dict[str, str]] = ({}, {})  # by URL: the labs', the companies'

    def read(self, entries: Iterable[Entry]) -> None:
        """Take the evidence of ``entries`` from the cache at once (one lookup), computing and keeping what it
        lacks; without a cache, nothing (each entry is computed when asked)."""
        if self.cache is None:
            return
        digest = _vocabulary_digest(self.settings)
        todo: dict[int, Entry] = {id(e): e for e in entries if id(e) not in self._seen}
        keyed: dict[bytes, list[Entry]] = {}
        readings: dict[bytes, Reading] = {}
        for entry in todo.values():
            reading = reading_of(entry)
            key = evidence_hash(reading, digest)
            keyed.setdefault(key, []).append(entry)
            readings.setdefault(key, reading)
        found = self.cache.evidence_get(list(keyed)) if keyed else {}
        made: dict[bytes, bytes] = {}
        seen, labs, companies = self._seen, *self._labs
        for key, group in keyed.items():
            data = found.get(key)
            if data is not None:
                points, why, lab, company = cast("_Record", marshal.loads(data))  # our own rows
            else:
                points, why, lab, company = _record(readings[key], self.words, self.link_kinds, self.topic)
                made[key] = marshal.dumps((points, why, lab, company))
                self.computed += len(group)
            for entry in group:
                seen[id(entry)] = (entry, (points, list(why)))
                labs[entry.url] = lab
                companies[entry.url] = company
        if made:
            self.cache.evidence_put(made)

    def lab(self, url: str, *, companies: bool = False) -> str:
        """``lab_of`` in the topic, once per URL (a sample of its source and an entry of the window share it)."""
        known = self._labs[companies]
        found = known.get(url)
        if found is None:
            found = known[url] = lab_of(url, self.topic, companies=companies)
        return found

    def __call__(self, entry: Entry) -> tuple[float, list[str]]:
        seen = self._seen.get(id(entry))
        if seen is None:  # the entry is kept with its points, so its id names it for as long as this lives
            points = _reading_points(reading_of(entry), self.words, self.link_kinds)
            seen = self._seen[id(entry)] = (entry, points)
        return seen[1]


def _rule_score(points: float) -> float:
    return round(max(0.0, min(1.0, points / FULL)), 3)


# ------------------------------------------------------------------------------------------ the sources
def lab_of(url: str, topic: Topic, *, companies: bool = False) -> str:
    """The lab whose own page ``url`` is ("" for none): its host is one of the lab's, or under one (a
    ``host/path`` entry matches by prefix). ``companies``: look among the companies' general sites instead.
    The first lab (and host) in the topic's order that matches wins."""
    host, where = _host_path(url)
    if not host:
        return ""
    hosts, paths = _lab_index(topic.companies if companies else topic.labs)
    best: tuple[int, str] | None = None
    at = 0
    while True:  # the host itself, then each domain it is under
        found = hosts.get(host[at:])
        if found is not None and (best is None or found < best):
            best = found
        at = host.find(".", at) + 1
        if not at:
            break
    for order, lab, known in paths:
        if best is not None and order > best[0]:
            break
        if where.startswith(known):
            return lab
    return best[1] if best is not None else ""


@functools.lru_cache(maxsize=65536)
def _host_path(url: str) -> tuple[str, str]:
    """A URL's lower-cased host without ``www.``, and that host followed by the path."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, f"{host}{parts.path}"


_LabIndex = tuple[dict[str, tuple[int, str]], list[tuple[int, str, str]]]
_LAB_INDEXES: dict[int, tuple[Mapping[str, tuple[str, ...]], _LabIndex]] = {}


def _lab_index(labs: Mapping[str, tuple[str, ...]]) -> _LabIndex:
    """The labs' hosts, each with its place in the topic's order and its lab (the first place of a host
    listed twice), and the ``host/path`` entries in order; made once per topic's table."""
    kept = _LAB_INDEXES.get(id(labs))
    if kept is not None and kept[0] is labs:
        return kept[1]
    hosts: dict[str, tuple[int, str]] = {}
    paths: list[tuple[int, str, str]] = []
    order = 0
    for lab, knowns in labs.items():
        for known in knowns:
            if "/" in known:
                paths.append((order, lab, known))
            else:
                hosts.setdefault(known, (order, lab))
            order += 1
    if len(_LAB_INDEXES) >= 64:
        _LAB_INDEXES.clear()
    _LAB_INDEXES[id(labs)] = (labs, (hosts, paths))  # the table is kept with it: its id names no other
    return hosts, paths


def source_scopes(
    sources: Mapping[str, Source],
    samples: Mapping[str, Sequence[Entry]],
    *,
    topic: Topic,
    settings: RelevanceSettings,
    evidence: _Evidence | None = None,
) -> dict[str, Scope]:
    """The scope of every source: its configured one, or for ``auto`` what its recent entries (``samples``)
    show: an aggregator's entries make it general, a lab's own pages a lab, and the share of entries on topic
    by the rules topical or general. A source with nothing to judge by is general."""
    points = evidence if evidence is not None and evidence.topic is topic else _Evidence(topic, settings)
    scopes: dict[str, Scope] = {}
    for name in dict.fromkeys([*sources, *samples]):
        source = sources.get(name) or Source(name=name, url="")  # entries of a source the config dropped
        if source.scope != "auto":
            scopes[name] = source.scope
            continue
        entries = list(samples.get(name, ()))
        if source.kind == "hackernews" or (
            entries and sum(bool(e.extra.get("aggregator")) for e in entries) * 2 > len(entries)
        ):
            scopes[name] = "general"
        elif entries and sum(bool(points.lab(e.url)) for e in entries) * 2 > len(entries):
            scopes[name] = "lab"
        elif entries:
            on = sum(
                _rule_score(points(e)[0]) >= settings.threshold for e in entries
            )
            scopes[name] = "topical" if on >= settings.topical_share * len(entries) else "general"
        else:
            scopes[name] = "general"
    return scopes


# ------------------------------------------------------------------------------------------ second opinions
class TextEmbedder(Protocol):
    """Any embedding backend: texts in, one vector each out (cosine similarity is taken here)."""

    def embed(self, texts: Sequence[str]) -> Sequence[Sequence[float]]: ...


class TopicJudge(Protocol):
    """The LLM's word on stories the rules are unsure of: ``(id, title, text)`` each, the probability that
    each is about ``topic`` by id; an id it could not judge is left out (the rules' score stays)."""

    def __call__(self, topic: str, stories: Sequence[tuple[str, str, str]]) -> Mapping[str, float]: ...


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _embedding_scores(stories: Sequence[Story], topic: Topic, embedder: TextEmbedder) -> dict[str, float]:
    """Each story's closeness to the topic's "on" prototypes against its "off" ones, squashed into 0..1:
    0.5 when it is as close to both, 0.9 when the on side leads by 0.18 in cosine."""
    if not topic.on or not topic.off or not stories:
        return {}
    texts = [_story_text(s) for s in stories]
    vectors = list(embedder.embed([*topic.on, *topic.off, *texts]))
    on, off, mine = (
        vectors[: len(topic.on)],
        vectors[len(topic.on) : len(topic.on) + len(topic.off)],
        vectors[len(topic.on) + len(topic.off) :],
    )
    scores: dict[str, float] = {}
    for story, vector in zip(stories, mine, strict=True):
        lead = max(_cosine(vector, p) for p in on) - max(_cosine(vector, p) for p in off)
        scores[story.id] = round(1 / (1 + math.exp(-12 * lead)), 3)
    return scores


def _story_text(story: Story) -> str:
    best = story.entries[0] if story.entries else None
    return f"{best.title}\n{entry_text(best)[:500]}" if best else story.title


# ------------------------------------------------------------------------------------------ the stories
def assess_relevance(
    stories: Sequence[Story],
    *,
    sources: Mapping[str, Source],
    samples: Mapping[str, Sequence[Entry]],
    settings: RelevanceSettings,
    embedder: TextEmbedder | None = None,
    judge: TopicJudge | None = None,
    cache: EvidenceCache | None = None,
) -> dict[str, Scope]:
    """Set ``story.relevance`` on every story; returns the scope judged for each source.

    ``samples``: recent entries of the sources of scope ``auto`` (``Store.latest_entries``). ``cache``: the
    entries' stored evidence (the store; what it lacks is computed and kept), the same as computing it."""
    topic = load_topic(settings.topic)
    in_hand: dict[str, list[Entry]] = {}  # a source with no samples is judged by its entries in the window
    for story in stories:
        for entry in story.entries:
            in_hand.setdefault(entry.source, []).append(entry)
    samples = {
        **{n: e for n, e in in_hand.items() if n not in samples or not samples[n]},
        **{n: e for n, e in samples.items() if e},
    }
    evidence = _Evidence(topic, settings, cache)  # the samples are the window's entries, mostly
    evidence.read([*(e for story in stories for e in story.entries), *(e for es in samples.values() for e in es)])
    scopes = source_scopes(sources, samples, topic=topic, settings=settings, evidence=evidence)
    for story in stories:
        story.relevance = _rules(story, evidence, scopes, settings)
    if embedder is not None:
        found = _embedding_scores(stories, topic, embedder)
        for story in stories:
            if story.id in found and story.relevance is not None:
                _revise(story.relevance, round((story.relevance.score + found[story.id]) / 2, 3),
                        f"embed:{found[story.id]:.2f}", settings)  # fmt: skip
    if judge is not None:
        unsure = [
            s
            for s in stories
            if s.relevance is not None
            and s.relevance.scope == "general"
            and abs(s.relevance.score - settings.threshold) <= settings.llm_band
        ]
        if unsure:
            answers = judge(
                topic.name,
                [(s.id, s.entries[0].title, entry_text(s.entries[0])[:TEXT_CHARS]) for s in unsure],
            )
            for story in unsure:
                if story.id in answers and story.relevance is not None:
                    _revise(
                        story.relevance, round(answers[story.id], 3), f"llm:{answers[story.id]:.2f}", settings
                    )
    return scopes


def _rules(
    story: Story,
    evidence: _Evidence,
    scopes: Mapping[str, Scope],
    settings: RelevanceSettings,
) -> Relevance:
    best_points, best_why = 0.0, ["no evidence"]
    for entry in story.entries:
        points, why = evidence(entry)
        if points > best_points:
            best_points, best_why = points, list(why)
    names = story.sources  # computed from the entries: read once
    scope: Scope = max((scopes.get(name, "general") for name in names), key=_TRUST.__getitem__, default="general")
    first_party = next((lab for e in story.entries if (lab := evidence.lab(e.url))), "")
    if not first_party:
        first_party = next(
            (sources_name for sources_name in names if scopes.get(sources_name) == "lab"), ""
        )
    score = _rule_score(best_points)
    if not first_party and score >= settings.threshold:  # a company's own page, when it is about the topic
        first_party = next((c for e in story.entries if (c := evidence.lab(e.url, companies=True))), "")
    on_topic = bool(first_party) or scope in ("lab", "topical") or score >= settings.threshold
    return Relevance(score=score, on_topic=on_topic, scope=scope, first_party=first_party, evidence=best_why)


def _revise(relevance: Relevance, score: float, why: str, settings: RelevanceSettings) -> None:
    relevance.score = score
    relevance.evidence = [why, *relevance.evidence]
    relevance.on_topic = (
        bool(relevance.first_party) or relevance.scope in ("lab", "topical") or score >= settings.threshold
    )


def off_topic(story: Story) -> bool:
    """True for a story judged not about the topic (a story never judged is on topic)."""
    return story.relevance is not None and not story.relevance.on_topic


def explain_off_topic(stories: Sequence[Story], picks: Sequence[Pick], *, limit: int = 10) -> list[Pick]:
    """Picks for ``--explain`` of the off-topic stories that scored as high as the issue's weakest pick (all
    the best ``limit`` when nothing was picked): why a high-scoring story is not in the issue."""
    listed = [p.story.score for p in picks if not p.left_out]
    floor = min(listed) if listed else float("-inf")
    out = sorted((s for s in stories if off_topic(s) and s.score >= floor), key=lambda s: (-s.score, s.id))
    return [
        Pick(
            s,
            None,
            f"off topic: relevance {s.relevance.describe() if s.relevance else ''}",
            parts=dict(s.score_parts),
            left_out=True,
        )
        for s in (out if listed else out[:limit])
    ]
