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

Packing uses ``marshal`` over plain tuples (strings, ints, frozensets): it is the fastest way CPython has
to turn such values back into objects, and the hash covers ``VERSION`` and the marshal format, so a
change to either starts a new index instead of misreading the old one.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar, cast

import numpy as np
import numpy.typing as npt

from jianbao.records import Entry, Story
from jianbao.stories.candidates import minhash_rows
from jianbao.stories.compare import ReportFeatures, report_features
from jianbao.stories.keys import entry_keys, is_hub_key, key_form
from jianbao.stories.settings import ClusterSettings
from jianbao.stories.text import EntityTokens

__all__ = [
    "VERSION",
    "PackedInts",
    "Report",
    "SignatureCache",
    "Signatures",
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

VERSION = f"sig2/marshal{marshal.version}"  # sig2: follow_up kept

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
    title, lead, keys = report
    shape = f"{VERSION}|{settings.num_perm}|{settings.entity_weight}"
    raw = "\x1f".join((shape, title, lead, *keys))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


# ------------------------------------------------------------------------------------------------ packing


def pack(doc: ReportFeatures, minhash: npt.NDArray[np.uint32]) -> bytes:
    """One signature as bytes (the fields clustering sets; ``body``, ``rare`` and ``head`` are never set)."""
    fields = (
        doc.title,
        doc.zh,
        doc.ents.models,
        doc.ents.brands,
        doc.ents.numbers,
        _packed_ints(doc.plain),
        frozenset(doc.title_shingles),
        doc.title_strong,
        doc.title_names,
        {family: frozenset(versions) for family, versions in doc.families.items()},
        doc.title_zh,
        doc.event,
        doc.title_numbers,
        frozenset(doc.keys),
        doc.events,
        doc.subjects,
        doc.facts,
        doc.versions,
        doc.rumour,
        doc.follow_up,
        np.ascontiguousarray(minhash, dtype="<u4").tobytes(),
    )
    return marshal.dumps(fields)


def _packed_ints(values: AbstractSet[int]) -> bytes:
    if isinstance(values, PackedInts):
        return values.raw
    # A set holds each value once: sorting is np.unique's result (and np.unique imports numpy.ma on first use).
    return np.sort(np.fromiter(values, dtype="<i8", count=len(values))).tobytes()


class PackedInts(AbstractSet[int]):
    """A report's text shingles as a sorted array of int64 in 8 bytes each, not a frozenset of Python ints
    (about 70 bytes each): what keeps 100k reports' features in memory. It answers what ``jaccard`` asks of a
    set (size, emptiness, the intersection's size) without building one."""

    __slots__ = ("_values", "raw")

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self._values = np.frombuffer(raw, dtype="<i8")

    def __len__(self) -> int:
        return int(self._values.size)

    def __iter__(self) -> Iterator[int]:
        return iter(self._values.tolist())

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int):
            return False
        at = int(np.searchsorted(self._values, value))
        return at < self._values.size and int(self._values[at]) == value

    def __and__(self, other: AbstractSet[Any]) -> AbstractSet[int]:
        if isinstance(other, PackedInts):
            common = np.intersect1d(self._values, other._values, assume_unique=True)
            return PackedInts(common.astype("<i8").tobytes())
        return frozenset(v for v in other if v in self)

    __rand__ = __and__

    @classmethod
    def _from_iterable(cls, values: Iterable[int]) -> frozenset[int]:  # type: ignore[override]  # the mixins' results are plain frozensets
        return frozenset(values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedInts):
            return self.raw == other.raw
        return AbstractSet.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking like set: equal sets, no hash promised


class Shared(dict[Any, Any]):
    """Equal values unpacked from many signatures kept once: the small sets most reports share (no amounts,
    ``{"release"}``, ``{"openai"}``) and the headline bigrams, interned. A third of the memory of a window's
    features."""

    def __call__(self, value: _T) -> _T:
        return cast("_T", self.setdefault(value, value))

    def strings(self, values: frozenset[str]) -> frozenset[str]:
        return frozenset(self.setdefault(v, v) for v in values)


_T = TypeVar("_T")


def unpack(data: bytes, shared: Shared | None = None) -> tuple[ReportFeatures, npt.NDArray[np.uint32]]:
    """A signature back: the report's features and its MinHash row (``shared``: across one window)."""
    share = shared if shared is not None else Shared()
    (
        title,
        zh,
        models,
        brands,
        numbers,
        plain,
        title_shingles,
        title_strong,
        title_names,
        families,
        title_zh,
        event,
        title_numbers,
        keys,
        events,
        subjects,
        facts,
        versions,
        rumour,
        follow_up,
        minhash,
    ) = marshal.loads(data)  # our own rows, written by ``pack``
    doc = ReportFeatures(
        title=title,
        zh=zh,
        ents=EntityTokens(share(models), share(brands), share(numbers)),
        plain=cast("frozenset[int]", PackedInts(plain)),
        # read only, like every field clustering reads: a frozenset where the type says set
        title_shingles=cast("set[str]", share.strings(title_shingles)),
        title_strong=share(title_strong),
        title_names=share(title_names),
        families={share(family): cast("set[str]", share(v)) for family, v in families.items()},
        title_zh=title_zh,
        event=event,
        title_numbers=share(title_numbers),
        keys=set(keys),
        events=share(events),
        subjects=share(subjects),
        facts=share(facts),
        versions=share(versions),
        rumour=rumour,
        follow_up=follow_up,
    )
    return doc, np.frombuffer(minhash, dtype="<u4").astype(np.uint32)


def compute_packed(reports: Sequence[Report], settings: ClusterSettings) -> list[bytes]:
    """The packed signatures of ``reports``: the task the process pool and Dask workers run. A thousand
    at a time, so only the packed bytes of the rest are held, never every report's features at once."""
    out: list[bytes] = []
    for start in range(0, len(reports), 1024):
        docs = [report_features(title, lead, keys) for title, lead, keys in reports[start : start + 1024]]
        rows = minhash_rows(docs, settings)
        out += [pack(doc, row) for doc, row in zip(docs, rows, strict=True)]
    return out


# ------------------------------------------------------------------------------------------------ reading


@dataclass(slots=True)
class Signatures:
    """The signatures of a list of entries, in that list's order."""

    docs: list[ReportFeatures]
    minhash: npt.NDArray[np.uint32]  # (entries, num_perm)
    computed: int = 0  # how many were not in the index
    _at: dict[int, int] = field(default_factory=dict)  # id(entry) → position

    def of(self, entry: Entry) -> ReportFeatures | None:
        """The features of one of the entries (by identity), None for an entry not among them."""
        at = self._at.get(id(entry))
        return self.docs[at] if at is not None else None

    def reordered(self, order: Sequence[int]) -> Signatures:
        """The same signatures in another order (``order[k]``: the position of the new k-th)."""
        index = np.asarray(order, dtype=np.intp)
        return Signatures([self.docs[k] for k in order], self.minhash[index], self.computed, self._at)


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
    hashes = [signature_hash(r, settings) for r in reports]
    positions: dict[str, list[int]] = {}
    for k, h in enumerate(hashes):
        positions.setdefault(h, []).append(k)
    found = cache.signatures_get(list(positions)) if cache is not None else {}
    todo = {h: reports[at[0]] for h, at in positions.items() if h not in found}
    del reports
    docs: list[ReportFeatures | None] = [None] * len(entries)
    rows = np.empty((len(entries), settings.num_perm), dtype=np.uint32)
    shared = Shared()

    def place(h: str, data: bytes) -> None:
        doc, row = unpack(data, shared)
        for k in positions[h]:
            docs[k] = doc
            rows[k] = row

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
    cache: SignatureCache, entries: Sequence[Entry], settings: ClusterSettings, *, compute: Compute | None = None
) -> int:
    """Keep the signatures of ``entries`` that the index lacks; returns how many were computed."""
    return index_reports(cache, [entry_report(e, settings) for e in entries], settings, compute=compute)


def index_reports(
    cache: SignatureCache, reports: Sequence[Report], settings: ClusterSettings, *, compute: Compute | None = None
) -> int:
    """``index_entries`` for reports already read from their entries (``entry_report``)."""
    by_hash = {signature_hash(r, settings): r for r in reports}
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
