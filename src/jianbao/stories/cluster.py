"""Clustering the window's entries into stories: keys join, candidates are proposed, pairs confirmed.

Entries sharing a canonical URL or a paper/code key join unconditionally; MinHash LSH and the entity
index (``jianbao.stories.candidates``) propose pairs and ``jianbao.stories.compare.same_event`` confirms
them, under a cap on story size so loose links cannot chain unrelated events together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

import numpy as np

from jianbao.records import Entry, Story
from jianbao.stories.candidates import entity_pairs, lsh_pairs, pair_codes, pairs_of
from jianbao.stories.compare import same_event
from jianbao.stories.embed import Embedder
from jianbao.stories.merge import MergeModel, load_model
from jianbao.stories.neighbours import neighbours
from jianbao.stories.parallel import pooled
from jianbao.stories.settings import DEFAULT_SETTINGS, ClusterSettings
from jianbao.stories.signature import Compute, SignatureCache, Signatures, no_gc
from jianbao.stories.signature import signatures as read_signatures

__all__ = ["cluster_entries"]


class _UnionFind:
    """Disjoint sets of entry indexes; a union can be refused when the merged set would pass a cap."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int, *, cap: int | None = None) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if cap is not None and self.size[ra] + self.size[rb] > cap:
            return False
        if rb < ra:
            ra, rb = rb, ra  # the smaller index stays root: deterministic
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return True


def _order_key(entry: Entry) -> tuple[dt.datetime, str, str, str]:
    return (entry.published or dt.datetime.max, entry.canonical_url or entry.url, entry.source, entry.title)


def _story_id(entry: Entry) -> str:
    strongest = sorted(entry.keys)[0] if entry.keys else (entry.canonical_url or entry.url)
    return "s" + hashlib.sha1(strongest.encode("utf-8")).hexdigest()[:12]


def _best_first(entries: list[Entry]) -> list[Entry]:
    """Best entry first: the most complete report (has a paper/code key, longest text), then earliest.

    The item prints the best one and lists the others as 另见, so completeness beats speed.
    """

    def rank(e: Entry) -> tuple[int, int, dt.datetime, str, str, str]:
        richness = len(e.content) + len(e.summary)
        return (-len(e.keys), -min(richness, 4000), *_order_key(e))

    return sorted(entries, key=rank)


def cluster_entries(
    entries: list[Entry],
    *,
    settings: ClusterSettings = DEFAULT_SETTINGS,
    embedder: Embedder | None = None,
    model: MergeModel | None = None,
    index: SignatureCache | None = None,
    signed: Signatures | None = None,
    compute: Compute | None = None,
) -> list[Story]:
    """Group entries into stories; deterministic for any input order.

    Entries sharing a canonical URL or a paper/code key join unconditionally; otherwise MinHash LSH (plus
    an entity index for cross-language pairs) proposes pairs and ``same_event`` confirms them. With an
    ``embedder``, each entry's nearest neighbours in time are proposed too and the merge model
    (``jianbao.stories.merge``, ``model`` or the shipped one) decides every pair instead. A union that
    would grow a cluster past ``max_cluster_size`` is refused so a few loose links cannot chain unrelated
    events together.

    Each entry's signature (its features and MinHash row, ``jianbao.stories.signature``) is ``signed``'s
    when given (computed for ``entries``, in their order), else read from the story ``index`` where ingest
    kept it, else computed by ``compute`` (default: on every core once there are thousands, ``pooled``):
    the stories are the same either way.
    """
    with no_gc():
        if signed is None:
            signed = read_signatures(entries, settings, index, compute=compute or pooled())
        return _cluster(entries, signed, settings, embedder, model)


def _cluster(
    entries: list[Entry],
    signed: Signatures,
    settings: ClusterSettings,
    embedder: Embedder | None,
    model: MergeModel | None,
) -> list[Story]:
    order = sorted(range(len(entries)), key=lambda k: _order_key(entries[k]))
    ordered = [entries[k] for k in order]
    signed = signed.reordered(order)
    docs = signed.docs
    near = neighbours(ordered, embedder, model or load_model(), settings) if embedder is not None else None

    def same(i: int, j: int) -> bool:
        # within a window the lexical rule, tuned for it, still joins; the model only adds what it misses
        if same_event(docs[i], docs[j], settings):
            return True
        return near is not None and near.decide(docs[i], docs[j], ordered[i], ordered[j], i, j, settings).same

    uf = _UnionFind(len(docs))
    by_key: dict[str, int] = {}
    for i, d in enumerate(docs):
        for key in sorted(d.keys):
            if key in by_key:
                uf.union(by_key[key], i)
            else:
                by_key[key] = i
    n = len(docs)
    codes = np.union1d(lsh_pairs(docs, settings, keys=signed.bands), entity_pairs(docs))
    if near is not None and near.pairs:
        i_near, j_near = zip(*near.pairs, strict=True)
        codes = np.union1d(codes, pair_codes(i_near, j_near, n))
    for i, j in pairs_of(codes, n):
        if uf.find(i) == uf.find(j):
            continue
        if same(i, j):
            # confirm against the cluster representatives too, so A~B~C chains do not drift
            ri, rj = uf.find(i), uf.find(j)
            if uf.size[ri] > 1 and uf.size[rj] > 1 and (ri != i or rj != j) and not same(ri, rj):
                continue
            uf.union(i, j, cap=settings.max_cluster_size)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(docs)):
        groups[uf.find(i)].append(i)
    stories = []
    for members in groups.values():
        members_entries = [ordered[i] for i in members]
        best = _best_first(members_entries) if len(members_entries) > 1 else members_entries  # (most: one)
        keys: list[str] = []
        for e in members_entries:
            for key in [*e.keys, e.canonical_url]:
                if key and key not in keys:
                    keys.append(key)
        times = [e.published for e in members_entries if e.published]
        stories.append(
            Story(
                id=_story_id(members_entries[0]),
                entries=best,
                keys=keys,
                title=best[0].title,
                first_seen=min(times) if times else None,
                last_seen=max(times) if times else None,
            )
        )
    stories.sort(key=lambda s: (s.first_seen or dt.datetime.max, s.id))
    return stories
