"""The story index: each report's clustering signature, computed once (at ingest) and read by every build.

A signature is what clustering computes of one entry before it compares anything: the comparison features
of ``jianbao.stories.compare.report_features`` and the MinHash row of ``jianbao.stories.candidates``. It
depends only on the entry's headline, the lead clustering reads and its keys (and on the settings that
shape them), so it is kept by the hash of exactly those (``signature_hash``), like the embeddings cache: an
entry whose text changes gets a new hash and a new signature, never a stale one. Ingest fills the index for
the entries it stores (``index_entries``: one call after the store writes); ``signatures`` reads a window's
from it and computes (and keeps) whatever is missing, so clustering from the index gives exactly the
stories clustering from scratch gives. ``compute_packed`` is the task both the local process pool and
Dask run: plain data in, bytes out.

A packed signature keeps only what is costly to have again (``pack``): the LSH band keys of the MinHash
row and the features found by entity and event patterns. The headline, the keys and the text shingles
come back from the report each row is read with, the shingles only when a comparison reads them. The
features are marshalled over plain tuples (strings, ints, frozensets): the fastest way CPython has to turn
such values back into objects; the hash covers ``VERSION``, the marshal format and the settings that shape
the row (permutations, entity weight, LSH threshold), so a change to any starts a new index instead of
misreading the old one.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar, cast

import numpy as np
import numpy.typing as npt

from jianbao.records import Entry, Story
from jianbao.stories.candidates import band_count, band_keys, minhash_rows
from jianbao.stories.compare import ReportFeatures, report_features
from jianbao.stories.keys import entry_keys, is_hub_key, key_form
from jianbao.stories.settings import ClusterSettings
from jianbao.stories.text import EntityTokens, compact_text, shingle_ints, title_shingles

__all__ = [
    "HASH_CHARS",
    "VERSION",
    "PackedInts",
    "Report",
    "SignatureCache",
    "Signatures",
    "TitleShingles",
    "compute_packed",
    "entry_report",
    "index_entries",
    "index_reports",
    "no_gc",
    "pack",
    "signature_hash",
    "signatures",
    "story_features",
    "unpack",
]

VERSION = f"sig3/marshal{marshal.version}"  # sig2: follow_up kept; sig3: band keys, no text shingles
HASH_CHARS = 32  # a signature's key: the first 128 bits of the SHA-256 (hex), 16 bytes in the store

# what clustering reads of an entry: (headline, lead, keys)
Report = tuple[str, str, tuple[str, ...]]


class SignatureCache(Protocol):
    """Where signatures are kept between runs (the store implements it: ``jianbao.store.signatures``)."""

    def signatures_get(self, hashes: Sequence[str]) -> dict[str, bytes]: ...

    def signatures_put(self, rows: Mapping[str, bytes]) -> None: ...


def entry_report(entry: Entry, settings: ClusterSettings) -> Report:
    """The headline, the lead clustering reads (``lead_chars`` of the summary, else the text) and the keys."""
    lead = (entry.summary or entry.content)[: settings.lead_chars]
    return entry.title, lead, tuple(sorted(entry_keys(entry)))


def signature_hash(report: Report, settings: ClusterSettings) -> str:
    """The index key of a report: what its signature is computed from, and how."""
    return _hashes([report], settings)[0]


def _hashes(reports: Iterable[Report], settings: ClusterSettings) -> list[str]:
    """``signature_hash`` of each report, the settings' part formatted once."""
    shape = f"{VERSION}|{settings.num_perm}|{settings.entity_weight}|{settings.lsh_threshold!r}"
    raws = (
        "\x1f".join((shape, title, lead, *keys)).encode("utf-8", "surrogatepass")
        for title, lead, keys in reports
    )
    return [hashlib.sha256(raw).hexdigest()[:HASH_CHARS] for raw in raws]


# ------------------------------------------------------------------------------------------------ packing


def pack(doc: ReportFeatures, keys: npt.NDArray[np.uint64]) -> bytes:
    """One signature as bytes: the report's LSH band keys (``candidates.band_keys``, 8 bytes a band), a byte
    of flags, then the features that need its entity and event patterns, marshalled (empty sets as None,
    the kinds of event as one tuple led by the first, ``subjects`` as True when they are the headline's
    names).

    What is cheap to have again from the report itself is not kept: the headline and keys (the report
    carries them), the amounts (``numbers`` without dates), and the headline and text shingles, computed
    when a comparison first reads them (most reports of a window are never compared on their text).
    """
    event = doc.event
    flags = doc.zh | doc.title_zh << 1 | doc.rumour << 2 | doc.follow_up << 3 | (event in doc.events) << 4
    fields = (
        _opt(doc.ents.models),
        _opt(doc.ents.brands),
        _opt(doc.ents.numbers),
        _opt(doc.title_strong),
        _opt(doc.title_names),
        {family: frozenset(versions) for family, versions in doc.families.items()} or None,
        _opt(doc.title_numbers),
        (event, *sorted(doc.events - {event})) if event is not None or doc.events else None,
        True if doc.subjects and doc.subjects == doc.title_names else _opt(doc.subjects),
        _opt(doc.versions),
    )
    return np.ascontiguousarray(keys, dtype="<u8").tobytes() + bytes((flags,)) + marshal.dumps(fields)


def _opt(values: AbstractSet[str]) -> frozenset[str] | None:
    return frozenset(values) if values else None


class PackedInts(AbstractSet[int]):
    """A report's text shingles as a sorted array of int64 in 8 bytes each, not a frozenset of Python ints
    (about 70 bytes each): what keeps 100k reports' features in memory. It answers what ``jaccard`` asks of a
    set (size, emptiness, the intersection's size) without building one. ``of_text``: computed from the
    report's text (``shingle_ints``) the first time it is read."""

    __slots__ = ("_source", "_values")

    def __init__(self, raw: bytes) -> None:
        self._source: tuple[str, bool] | None = None
        self._values: npt.NDArray[np.int64] | None = np.frombuffer(raw, dtype="<i8")

    @classmethod
    def of_text(cls, text: str, zh: bool) -> PackedInts:
        out = cls.__new__(cls)
        out._source, out._values = (text, zh), None
        return out

    @property
    def values(self) -> npt.NDArray[np.int64]:
        if self._values is None:
            assert self._source is not None
            self._values = _shingle_array(*self._source)
            self._source = None
        return self._values

    @property
    def raw(self) -> bytes:
        return self.values.tobytes()

    def __len__(self) -> int:
        return int(self.values.size)

    def __iter__(self) -> Iterator[int]:
        return iter(self.values.tolist())

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int):
            return False
        values = self.values
        at = int(np.searchsorted(values, value))
        return at < values.size and int(values[at]) == value

    def __and__(self, other: AbstractSet[Any]) -> AbstractSet[int]:
        if isinstance(other, PackedInts):
            common = np.intersect1d(self.values, other.values, assume_unique=True)
            return PackedInts(common.astype("<i8").tobytes())
        return frozenset(v for v in other if v in self)

    __rand__ = __and__

    @classmethod
    def _from_iterable(cls, values: Iterable[int]) -> frozenset[int]:  # type: ignore[override]  # the mixins' results are plain frozensets
        return frozenset(values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedInts):
            return bool(np.array_equal(self.values, other.values))
        return AbstractSet.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking like set: equal sets, no hash promised


def _shingle_array(text: str, zh: bool) -> npt.NDArray[np.int64]:
    """``shingle_ints(text, zh)`` as a sorted int64 array; a Chinese text's 3-grams of code points packed in
    numpy rather than one Python int at a time."""
    compact = compact_text(text) if zh else ""
    if len(compact) < 3:
        ints = shingle_ints(text, zh)
        return np.unique(np.fromiter(ints, dtype="<i8", count=len(ints)))
    o = np.frombuffer(compact.encode("utf-32-le"), dtype="<u4").astype(np.int64)
    return np.unique((o[:-2] << 42) | (o[1:-1] << 21) | o[2:])


class TitleShingles(AbstractSet[str]):
    """A headline's ``title_shingles``, computed the first time a comparison reads them."""

    __slots__ = ("_set", "_title")

    def __init__(self, title: str) -> None:
        self._title = title
        self._set: frozenset[str] | None = None

    def get(self) -> frozenset[str]:
        if self._set is None:
            self._set = frozenset(title_shingles(self._title))
        return self._set

    def __len__(self) -> int:
        return len(self.get())

    def __iter__(self) -> Iterator[str]:
        return iter(self.get())

    def __contains__(self, value: object) -> bool:
        return value in self.get()

    def __and__(self, other: AbstractSet[Any]) -> frozenset[str]:
        mine = self.get()
        return mine & (other.get() if isinstance(other, TitleShingles) else frozenset(other))

    __rand__ = __and__

    @classmethod
    def _from_iterable(cls, values: Iterable[str]) -> frozenset[str]:  # type: ignore[override]  # the mixins' results are plain frozensets
        return frozenset(values)

    def __eq__(self, other: object) -> bool:
        return AbstractSet.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]  # like set: equal sets, no hash promised


class Shared(dict[Any, Any]):
    """Equal values unpacked from many signatures kept once: the small sets most reports share (no amounts,
    ``{"release"}``, ``{"openai"}``). A third of the memory of a window's features."""

    def __call__(self, value: _T) -> _T:
        return cast("_T", self.setdefault(value, value))


_T = TypeVar("_T")
_EMPTY: frozenset[str] = frozenset()


def unpack(
    data: bytes, report: Report, settings: ClusterSettings, shared: Shared | None = None
) -> tuple[ReportFeatures, npt.NDArray[np.uint64]]:
    """A signature back, with the report it was computed from: the report's features and its LSH band keys
    (``shared``: across one window)."""
    cut = 8 * band_count(settings)
    doc = _features(data, cut, report, shared if shared is not None else Shared())
    return doc, np.frombuffer(data[:cut], dtype="<u8").astype(np.uint64)


def _features(data: bytes, cut: int, report: Report, shared: Shared) -> ReportFeatures:
    """The features of a packed signature whose band keys end at ``cut``."""
    flags = data[cut]
    (
        models,
        brands,
        numbers,
        title_strong,
        title_names,
        families,
        title_numbers,
        events,
        subjects,
        versions,
    ) = marshal.loads(data[cut + 1 :])  # our own rows, written by ``pack``
    share = shared.setdefault  # one equal set kept once: share(v, v)
    title, lead, keys = report
    zh = bool(flags & 1)
    numbers = share(numbers, numbers) if numbers else _EMPTY
    title_names = share(title_names, title_names) if title_names else _EMPTY
    event = None
    if events:
        event = events[0]
        events = frozenset(events if flags & 16 else events[1:])
        events = share(events, events)
    return ReportFeatures(
        title=title,
        zh=zh,
        ents=EntityTokens(
            share(models, models) if models else _EMPTY, share(brands, brands) if brands else _EMPTY, numbers
        ),
        plain=cast("frozenset[int]", PackedInts.of_text(f"{title} {lead}".strip(), zh)),
        # read only, like every field clustering reads: a frozenset where the type says set
        title_shingles=cast("set[str]", TitleShingles(title)),
        title_strong=share(title_strong, title_strong) if title_strong else _EMPTY,
        title_names=title_names,
        families={share(f, f): share(v, v) for f, v in families.items()} if families else {},
        title_zh=bool(flags & 2),
        event=event,
        title_numbers=share(title_numbers, title_numbers) if title_numbers else _EMPTY,
        keys=set(keys),
        events=events or _EMPTY,
        subjects=title_names if subjects is True else share(subjects, subjects) if subjects else _EMPTY,
        facts=_facts(numbers, share) if numbers else _EMPTY,
        versions=share(versions, versions) if versions else _EMPTY,
        rumour=bool(flags & 4),
        follow_up=bool(flags & 8),
    )


def _facts(numbers: frozenset[str], share: Callable[[Any, Any], Any]) -> frozenset[str]:
    """``report_features``' facts: the amounts of the report, dates left out."""
    facts = frozenset(n for n in numbers if not n.startswith("date:"))
    return cast("frozenset[str]", share(facts, facts))


def compute_packed(reports: Sequence[Report], settings: ClusterSettings) -> list[bytes]:
    """The packed signatures of ``reports``: the task the process pool and Dask workers run. A thousand
    at a time, so only the packed bytes of the rest are held, never every report's features at once."""
    out: list[bytes] = []
    for start in range(0, len(reports), 1024):
        docs = [report_features(title, lead, keys) for title, lead, keys in reports[start : start + 1024]]
        keys = band_keys(minhash_rows(docs, settings), settings)
        out += [pack(doc, row) for doc, row in zip(docs, keys, strict=True)]
    return out


# ------------------------------------------------------------------------------------------------ reading


@dataclass(slots=True)
class Signatures:
    """The signatures of a list of entries, in that list's order."""

    docs: list[ReportFeatures]
    bands: npt.NDArray[np.uint64]  # (entries, LSH bands): ``candidates.band_keys``
    computed: int = 0  # how many were not in the index
    _at: dict[int, int] = field(default_factory=dict)  # id(entry) → position

    def of(self, entry: Entry) -> ReportFeatures | None:
        """The features of one of the entries (by identity), None for an entry not among them."""
        at = self._at.get(id(entry))
        return self.docs[at] if at is not None else None

    def reordered(self, order: Sequence[int]) -> Signatures:
        """The same signatures in another order (``order[k]``: the position of the new k-th)."""
        index = np.asarray(order, dtype=np.intp)
        return Signatures([self.docs[k] for k in order], self.bands[index], self.computed, self._at)


def signatures(
    entries: Sequence[Entry],
    settings: ClusterSettings,
    cache: SignatureCache | None = None,
    *,
    compute: Compute | None = None,
) -> Signatures:
    """The signatures of ``entries``: read from ``cache`` where it has them, computed (and kept) where not.

    ``compute`` turns reports into packed signatures (default ``compute_packed`` in this process; the
    clustering of a large cold window hands it to worker processes or Dask).
    """
    with no_gc():
        return _signatures(entries, settings, cache, compute or compute_packed)


def _signatures(
    entries: Sequence[Entry], settings: ClusterSettings, cache: SignatureCache | None, compute: Compute
) -> Signatures:
    reports = [entry_report(e, settings) for e in entries]
    hashes = _hashes(reports, settings)
    positions: dict[str, list[int]] = {}
    for k, h in enumerate(hashes):
        positions.setdefault(h, []).append(k)
    found = cache.signatures_get(list(positions)) if cache is not None else {}
    todo = {h: reports[at[0]] for h, at in positions.items() if h not in found}
    docs: list[ReportFeatures | None] = [None] * len(entries)
    cut = 8 * band_count(settings)
    bands = bytearray(cut * len(entries))  # every row's band keys, little-endian uint64
    shared = Shared()

    def place(h: str, data: bytes) -> None:
        at = positions[h]
        doc = _features(data, cut, reports[at[0]], shared)
        for k in at:
            docs[k] = doc
            bands[k * cut : (k + 1) * cut] = data[:cut]

    for h in list(found):
        place(h, found.pop(h))
    # computed signatures arrive in order while the rest are still computing: each is read (and kept) at once
    made: dict[str, bytes] = {}
    for h, data in zip(todo, compute(list(todo.values()), settings), strict=True):
        place(h, data)
        if cache is not None:
            made[h] = data
            if len(made) >= _PUT_BATCH:
                cache.signatures_put(made)
                made = {}
    if cache is not None and made:
        cache.signatures_put(made)
    at = {id(e): k for k, e in enumerate(entries)}
    rows = np.frombuffer(bands, dtype="<u8").astype(np.uint64).reshape(len(entries), cut // 8)
    return Signatures(cast("list[ReportFeatures]", docs), rows, len(todo), at)


_PUT_BATCH = 2000  # signatures kept in the index per write


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the features of a window are many small acyclic objects, and its
    full passes over them grow with the heap (they made clustering 100k entries superlinear)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Compute(Protocol):
    """Reports → packed signatures (``compute_packed``, or the same work spread over processes)."""

    def __call__(self, reports: Sequence[Report], settings: ClusterSettings, /) -> Iterable[bytes]: ...


def index_entries(
    cache: SignatureCache,
    entries: Sequence[Entry],
    settings: ClusterSettings,
    *,
    compute: Compute | None = None,
) -> int:
    """Keep the signatures of ``entries`` that the index lacks; returns how many were computed."""
    return index_reports(cache, [entry_report(e, settings) for e in entries], settings, compute=compute)


def index_reports(
    cache: SignatureCache,
    reports: Sequence[Report],
    settings: ClusterSettings,
    *,
    compute: Compute | None = None,
) -> int:
    """``index_entries`` for reports already read from their entries (``entry_report``)."""
    by_hash = dict(zip(_hashes(reports, settings), reports, strict=True))
    if not by_hash:
        return 0
    known = cache.signatures_get(list(by_hash))
    todo = {h: r for h, r in by_hash.items() if h not in known}
    if todo:
        fresh = (compute or compute_packed)(list(todo.values()), settings)
        cache.signatures_put(dict(zip(todo, fresh, strict=True)))
    return len(todo)


def story_features(stories: Sequence[Story], sigs: Signatures) -> list[ReportFeatures] | None:
    """What history matching compares of each story: its best entry's features with the story's keys, or
    None when a story's best entry is not among the signed entries."""
    out = []
    for story in stories:
        doc = sigs.of(story.entries[0]) if story.entries else None
        if doc is None:
            return None
        keys = {key_form(k) for k in story.keys if k and not is_hub_key(k)}
        out.append(replace(doc, keys=keys))
    return out
