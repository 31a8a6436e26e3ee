"""The semantic side of clustering: entries' embeddings, their nearest neighbours in time, and the merge
model's decision on a candidate pair.

Reports of one event appear close together in time, so each entry is compared by exact cosine with the
entries published in the 72 hours before it (at most 4,096 of them): linear in the number of entries, one
matrix product per 512 entries. An entry's nearest neighbours above ``floor`` become
candidate pairs beside the lexical ones (MinHash LSH, the entity index); every candidate is then decided by
``jianbao.stories.merge.decide``. Vectors are kept as float16 (two per entry: headline, and headline with
the first sentence of the text): 1.5 KB an entry.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from jianbao.records import Entry
from jianbao.stories.compare import ReportFeatures
from jianbao.stories.embed import Embedder, embed_texts, report_text, split_report
from jianbao.stories.merge import Decision, MergeModel, Similarity, decide
from jianbao.stories.settings import ClusterSettings
from jianbao.stories.text import compact_text

__all__ = ["Neighbours", "neighbours"]

Half = npt.NDArray[np.float16]
_CHUNK = 4096  # entries embedded (or read from the cache) at once


def _bigrams(text: str) -> frozenset[str]:
    compact = compact_text(text)
    return frozenset(compact[i : i + 2] for i in range(len(compact) - 1))


@dataclass(slots=True)
class Neighbours:
    """The embeddings of a window's entries (in clustering order) and what the merge model needs of them."""

    leads: Half
    heads: Half
    best: npt.NDArray[np.int64]  # each entry's nearest neighbour by lead cosine (-1: none compared)
    pairs: set[tuple[int, int]]  # nearest-neighbour candidate pairs (i < j)
    model: MergeModel
    floor: float  # a pair whose lead cosine is below this is not put to the model
    grams: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)  # (entry, 0 title/1 text)

    def similarity(self, i: int, j: int) -> Similarity:
        li, lj = self.leads[i].astype(np.float32), self.leads[j].astype(np.float32)
        hi, hj = self.heads[i].astype(np.float32), self.heads[j].astype(np.float32)
        cross = max(float(hi @ lj), float(hj @ li))  # one headline against the other's lead
        top = (0.5 if self.best[i] == j else 0.0) + (0.5 if self.best[j] == i else 0.0)
        return Similarity(float(li @ lj), float(hi @ hj), cross, top)

    def decide(
        self,
        a: ReportFeatures,
        b: ReportFeatures,
        ea: Entry,
        eb: Entry,
        i: int,
        j: int,
        settings: ClusterSettings,
    ) -> Decision:
        """The merge model's decision on entries ``i`` and ``j`` (their features ``a`` and ``b``)."""
        sim = self.similarity(i, j)
        if sim.cos < self.floor:  # far apart in meaning: not worth the model's features
            return Decision(False, "lexical")
        # the character bigrams the model compares, computed only for the pairs it is asked about (on
        # copies: the lexical rule keeps reading the features as it always has)
        a = replace(
            a, head=self._bigrams(i, ea.title, 0), body=self._bigrams(i, ea.summary or ea.content[:400], 1)
        )
        b = replace(
            b, head=self._bigrams(j, eb.title, 0), body=self._bigrams(j, eb.summary or eb.content[:400], 1)
        )
        gap = abs((_aware(ea.published) - _aware(eb.published)).total_seconds()) / 86400
        return decide(a, b, settings, sim=sim, gap_days=gap, model=self.model)

    def _bigrams(self, i: int, text: str, part: int) -> frozenset[str]:
        key = (i, part)
        found = self.grams.get(key)
        if found is None:
            found = self.grams[key] = _bigrams(text)
        return found


_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _aware(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return _EPOCH
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _improve(
    best: npt.NDArray[np.int64],
    best_cos: npt.NDArray[np.float32],
    who: npt.NDArray[np.int64],
    cand: npt.NDArray[np.int64],
    cos: npt.NDArray[np.float32],
) -> None:
    """Keep ``cand`` as the nearest neighbour of ``who`` where its cosine beats the best so far."""
    better = cos > best_cos[who]
    best[who[better]] = cand[better]
    best_cos[who[better]] = cos[better]


def entry_texts(entries: Sequence[Entry], settings: ClusterSettings) -> tuple[list[str], list[str]]:
    """What is embedded of each entry: its headline with the first sentence of its text, and its headline."""
    leads, heads = [], []
    for e in entries:
        text = (e.summary or e.content)[: settings.lead_chars * 2]
        leads.append(report_text(e.title, text))
        heads.append(split_report(e.title, text)[0] or e.title)
    return leads, heads


def neighbours(
    entries: Sequence[Entry],
    embedder: Embedder,
    model: MergeModel,
    settings: ClusterSettings,
    *,
    hours: float = 72.0,
    span: int = 4096,
    rows_at_once: int = 512,
    k: int = 3,
    floor: float = 0.85,
) -> Neighbours | None:
    """Embed the entries (cached) and find each one's ``k`` nearest earlier neighbours above ``floor`` among
    the entries published in the ``hours`` before it (at most ``span`` of them); None when the embedder fails
    (clustering then stays lexical). A pair below ``floor`` is never put to the model (no labelled repeat
    sits that low). ``entries`` come in clustering order, which is publication order."""
    lead_texts, head_texts = entry_texts(entries, settings)
    n = len(entries)
    leads = np.empty((n, 0), dtype=np.float16)
    heads = np.empty((n, 0), dtype=np.float16)
    for start in range(0, n, _CHUNK):  # in chunks, so float32 copies of everything never coexist
        lv = embed_texts(lead_texts[start : start + _CHUNK], embedder)
        hv = embed_texts(head_texts[start : start + _CHUNK], embedder)
        if lv is None or hv is None:
            return None
        if not leads.shape[1]:
            leads = np.empty((n, lv.shape[1]), dtype=np.float16)
            heads = np.empty((n, hv.shape[1]), dtype=np.float16)
        leads[start : start + len(lv)] = lv
        heads[start : start + len(hv)] = hv
    best = np.full(n, -1, dtype=np.int64)
    best_cos = np.full(n, -2.0, dtype=np.float32)
    pairs: set[tuple[int, int]] = set()
    times = [_aware(e.published).timestamp() if e.published else math.inf for e in entries]
    for start in range(0, n, rows_at_once):
        stop = min(n, start + rows_at_once)
        since = times[start] - hours * 3600 if times[start] != math.inf else math.inf
        lo = max(0, stop - rows_at_once - span, bisect.bisect_left(times, since, 0, start))
        sims = leads[start:stop].astype(np.float32) @ leads[lo:stop].astype(np.float32).T
        rows = np.arange(stop - start)
        sims[rows, rows + (start - lo)] = -2.0  # not itself
        sims[:, stop - lo :] = -2.0  # nothing later than the row block: those rows see this one
        _improve(best, best_cos, np.arange(start, stop), sims.argmax(axis=1) + lo, sims.max(axis=1))
        _improve(best, best_cos, np.arange(lo, stop), sims.argmax(axis=0) + start, sims.max(axis=0))
        for _ in range(k):  # the k nearest of each row, one argmax at a time (no full-size index array)
            top = sims.argmax(axis=1)
            top_cos = sims[rows, top]
            for r in np.nonzero(top_cos >= floor)[0].tolist():
                i, j = start + r, int(top[r]) + lo
                pairs.add((min(i, j), max(i, j)))
            sims[rows, top] = -2.0
    return Neighbours(leads, heads, best, pairs, model, floor)
