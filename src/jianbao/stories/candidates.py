"""Candidate pairs for clustering: MinHash LSH over shingles, plus an index of headline entities.

Candidates only propose; ``jianbao.stories.compare.same_event`` confirms each pair exactly.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

from jianbao.stories.compare import ReportFeatures
from jianbao.stories.settings import ClusterSettings
from jianbao.stories.text import EntityTokens, shingle_hash

__all__ = [
    "Codes",
    "band_count",
    "band_keys",
    "entity_pairs",
    "lsh_pairs",
    "minhash_rows",
    "pair_codes",
    "pairs_of",
]

_MASK32 = np.uint64(0xFFFFFFFF)

# Candidate pairs travel as one sorted array of codes ``i * n + j`` (i < j, n documents): 8 bytes a pair
# instead of a tuple in a set (about 150), and sorted codes are the pairs in (i, j) order.
Codes = npt.NDArray[np.int64]


def pair_codes(i: npt.ArrayLike, j: npt.ArrayLike, n: int) -> Codes:
    """The sorted, distinct codes of the pairs (i[k], j[k]) (either order), leaving out i == j."""
    a, b = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    return np.unique(lo[keep] * n + hi[keep])


def pairs_of(codes: Codes, n: int) -> Iterator[tuple[int, int]]:
    """The pairs of sorted codes, in (i, j) order, a block at a time."""
    for start in range(0, codes.size, 65536):
        block = codes[start : start + 65536]
        yield from zip((block // n).tolist(), (block % n).tolist(), strict=True)


def _hash_params(num_perm: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    rng = np.random.RandomState(1)  # fixed seed: signatures, hence clusters, are stable across runs
    a = rng.randint(1, 2**62, size=num_perm, dtype=np.int64).astype(np.uint64) | np.uint64(1)
    b = rng.randint(0, 2**62, size=num_perm, dtype=np.int64).astype(np.uint64)
    return a, b


def _marked_ints(ents: EntityTokens, weight: int) -> list[int]:
    """The weighted entity shingles of ``text.shingles`` as integers: ``weight`` copies of each model or
    amount, brands once."""
    out = []
    for token in ents.models | ents.numbers:
        if "@" not in token and not token.startswith("date:"):
            h = shingle_hash(token) | (1 << 40)
            out += [h + (k << 32) for k in range(weight)]
    out += [shingle_hash(token) | (1 << 44) for token in ents.brands]
    return out


def minhash_rows(
    docs: Sequence[ReportFeatures], settings: ClusterSettings, chunk: int = 1024
) -> npt.NDArray[np.uint32]:
    """MinHash signatures of every document as one ``(n, num_perm)`` uint32 array.

    Shingles are crc32 integers already; a multiply-shift hash per permutation and ``minimum.reduceat``
    over each document's slice do in numpy what per-document MinHash objects would do in Python, and only
    the signature array stays alive (no MinHash objects are retained).
    """
    a, b = _hash_params(settings.num_perm)
    out = np.empty((len(docs), settings.num_perm), dtype=np.uint32)
    weight = settings.entity_weight
    for start in range(0, len(docs), chunk):
        arrays = []
        for d in docs[start : start + chunk]:
            marked = _marked_ints(d.ents, weight)
            values = np.fromiter(itertools.chain(d.plain, marked), dtype=np.uint64)
            arrays.append(values if values.size else np.zeros(1, dtype=np.uint64))
        lengths = np.fromiter((len(x) for x in arrays), dtype=np.int64, count=len(arrays))
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        flat = np.concatenate(arrays)
        hashed = flat[:, None] * a  # (m, num_perm), wraps mod 2**64; then in place: one array of that size
        hashed += b
        hashed >>= np.uint64(32)
        hashed &= _MASK32
        out[start : start + len(arrays)] = np.minimum.reduceat(hashed, offsets, axis=0)
    return out


@functools.lru_cache(maxsize=8)
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising false positives plus false negatives around ``threshold``.

    The same criterion as datasketch's ``MinHashLSH`` (without importing scipy for the integrals).
    """
    grid = np.linspace(0.0, 1.0, 2001)
    best, best_err = (1, num_perm), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            p = 1.0 - (1.0 - grid**r) ** b
            fp = np.trapezoid(p[grid <= threshold], grid[grid <= threshold])
            fn = np.trapezoid(1.0 - p[grid >= threshold], grid[grid >= threshold])
            err = float(fp + fn)
            if err < best_err:
                best, best_err = (b, r), err
    return best


def band_count(settings: ClusterSettings) -> int:
    """How many LSH bands ``settings`` ask for (``band_keys`` has one column each)."""
    return _bands(settings.lsh_threshold, settings.num_perm)[0]


def band_keys(minhash: npt.NDArray[np.uint32], settings: ClusterSettings) -> npt.NDArray[np.uint64]:
    """The LSH band hashes of ``minhash_rows``: one ``(n, bands)`` uint64 array, all that LSH reads of them
    (the story index keeps these, 8 bytes a band, instead of the whole row)."""
    bands, rows = _bands(settings.lsh_threshold, settings.num_perm)
    mult = np.random.RandomState(7).randint(1, 2**62, size=rows, dtype=np.int64).astype(
        np.uint64
    ) | np.uint64(1)
    out = np.empty((minhash.shape[0], bands), dtype=np.uint64)
    for band in range(bands):
        block = minhash[:, band * rows : (band + 1) * rows].astype(np.uint64)
        out[:, band] = (block * mult).sum(axis=1, dtype=np.uint64)  # wraps mod 2**64: a hash of the band
    return out


def lsh_pairs(
    docs: Sequence[ReportFeatures],
    settings: ClusterSettings,
    *,
    max_bucket: int = 24,
    minhash: npt.NDArray[np.uint32] | None = None,
    keys: npt.NDArray[np.uint64] | None = None,
) -> Codes:
    """Pairs sharing an LSH band bucket; a big bucket links each member to its ``max_bucket`` predecessors.

    Buckets are found by sorting band hashes (no per-entry index queries); the cap keeps a bucket of
    near-identical boilerplate from costing O(size²) confirmations while still connecting all of it.
    ``minhash``: the documents' ``minhash_rows`` when they are known already; ``keys``: their
    ``band_keys`` (read from the story index).
    """
    n = len(docs)
    if n < 2:
        return np.zeros(0, dtype=np.int64)
    if keys is None:
        keys = band_keys(minhash_rows(docs, settings) if minhash is None else minhash, settings)
    left: list[npt.NDArray[np.intp]] = []
    right: list[npt.NDArray[np.intp]] = []
    ids = np.arange(n, dtype=np.int64)
    for band in range(keys.shape[1]):
        column = keys[:, band]
        order = np.lexsort((ids, column))
        sorted_keys = column[order]
        for lag in range(1, max_bucket + 1):
            same = sorted_keys[lag:] == sorted_keys[:-lag]
            if not same.any():
                break
            left.append(order[:-lag][same])
            right.append(order[lag:][same])
    if not left:
        return np.zeros(0, dtype=np.int64)
    return pair_codes(np.concatenate(left), np.concatenate(right), n)


@functools.lru_cache(maxsize=512)
def _upper_pairs(n: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``np.triu_indices(n, k=1)``, read-only and kept: buckets of a few sizes recur thousands of times."""
    a, b = np.triu_indices(n, k=1)
    a.flags.writeable = b.flags.writeable = False
    return a.astype(np.int64, copy=False), b.astype(np.int64, copy=False)


def entity_pairs(docs: Sequence[ReportFeatures], *, max_bucket: int = 300) -> Codes:
    """Candidates LSH cannot see: headlines naming the same model, or the same amount and subject.

    An amount alone (融资 20 亿美元) is shared by unrelated news and would make the index quadratic, so
    amounts are indexed together with a headline subject. A bucket larger than ``max_bucket`` (a model
    everyone mentions) proposes nothing; LSH still covers its near-duplicates.
    """
    by_token: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        for token in d.title_strong:
            if token in d.title_numbers:
                for subject in d.subjects:
                    by_token[f"{token}|{subject}"].append(i)
            else:
                by_token[token].append(i)
    left: list[npt.NDArray[np.int64]] = []
    right: list[npt.NDArray[np.int64]] = []
    for members in by_token.values():
        if len(members) < 2 or len(members) > max_bucket:
            continue
        ids = np.asarray(members, dtype=np.int64)
        a, b = _upper_pairs(len(members))
        left.append(ids[a])
        right.append(ids[b])
    if not left:
        return np.zeros(0, dtype=np.int64)
    return pair_codes(np.concatenate(left), np.concatenate(right), len(docs))
