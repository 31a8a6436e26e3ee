"""The facts a report states, one clause each, and how much two reports share at their closest facts.

A daily item often carries more than one fact: a roundup headline ("Nemotron 3.5 Lightning 开源 + 5000 亿美元
融资"), or a text whose second sentence reports yesterday's event ("同日，宇树科技在科创板上市"). Comparing whole
reports dilutes such a shared fact; comparing their closest clauses does not. A report's clauses are the
headline, the parts of a headline joined by ``+``, ``；``, ``，同时``…, and the sentences of the text, except
sentences that give an earlier event only as background (``此前…``, ``背景：``).

Clause tokens are Chinese character bigrams and Latin words; each token is weighed by its rarity among the
reports compared (inverse document frequency), so boilerplate ("详情", "via 36氪") and everyday words weigh
little and names, amounts and specific terms decide. Only ``find_repeat_refs`` and ``match_history`` use it,
on the semantic path (a few hundred reports at most).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

__all__ = ["Clauses", "clause_similarity", "headline_contained", "report_clauses", "weigh"]

Clauses = tuple[frozenset[str], ...]
Weighted = tuple[Mapping[str, float], ...]

_HEAD_SPLIT_RE = re.compile(r"\s\+\s|；|;|，同时|，并且?|——|：|\|")
_SENTENCE_SPLIT_RE = re.compile(r"[。！？!?；;]|(?<=\.)\s")
_BACKGROUND_RE = re.compile(r"^\W*(此前|背景|回顾)")
_TOKEN_RE = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9][a-z0-9.\-]*[a-z0-9]|[a-z0-9]")
_MIN_TOKENS = 4  # a clause with fewer tokens ("详情", "（来源）") states no fact


def _tokens(text: str) -> frozenset[str]:
    out: set[str] = set()
    for run in _TOKEN_RE.findall(text.lower()):
        if "\u4e00" <= run[0] <= "\u9fff":
            out.update(run[i : i + 2] for i in range(len(run) - 1))
        elif len(run) >= 2:
            out.add(run)
    return frozenset(out)


def report_clauses(headline: str, body: str) -> tuple[int, Clauses]:
    """The clauses of a report as tokens: first the headline and its parts (how many, the first value), then
    the sentences of the text but background."""
    parts = [headline, *(p for p in _HEAD_SPLIT_RE.split(headline) if p.strip())]
    sentences = [s for s in _SENTENCE_SPLIT_RE.split(body) if not _BACKGROUND_RE.match(s.strip())]
    heads = tuple(dict.fromkeys(t for t in map(_tokens, parts) if len(t) >= _MIN_TOKENS))
    rest = tuple(t for t in dict.fromkeys(map(_tokens, sentences)) if len(t) >= _MIN_TOKENS and t not in heads)
    return len(heads), heads + rest


def weigh(reports: Sequence[Clauses]) -> list[Weighted]:
    """Each report's clauses with every token weighed by its rarity among ``reports`` (smoothed IDF)."""
    df: Counter[str] = Counter()
    for clauses in reports:
        df.update(frozenset().union(*clauses) if clauses else ())
    n = len(reports)
    idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
    return [tuple({t: idf[t] for t in clause} for clause in clauses) for clauses in reports]


def clause_similarity(a: Weighted, b: Weighted) -> float:
    """How much the closest clauses of two reports share: the best, over clause pairs, of the mean of the
    weighted overlap (shared weight over the lighter clause's) and the weighted Jaccard; 0 to 1."""
    best = 0.0
    totals_b = [sum(g.values()) for g in b]
    for f in a:
        wf = sum(f.values())
        for g, wg in zip(b, totals_b, strict=True):
            shared = sum(w for t, w in f.items() if t in g)
            if shared <= 0:
                continue
            best = max(best, (shared / min(wf, wg) + shared / (wf + wg - shared)) / 2)
    return best


def headline_contained(heads: Weighted, other: Weighted) -> float:
    """The largest share of a headline (or headline part) of one report that a single clause of the other
    states, by weight: 1 when one clause of the other carries every word of the headline."""
    best = 0.0
    for h in heads:
        wh = sum(h.values())
        if wh <= 0:
            continue
        for c in other:
            best = max(best, sum(w for t, w in h.items() if t in c) / wh)
    return best
