"""The merge decision: whether two reports are one event, from all the evidence at once.

Without embeddings the decision is the lexical one of ``jianbao.stories.compare.same_event``, unchanged.
With them, the evidence of a pair (``pair_features``: the lexical rule, headline and text overlap,
embedding cosine, shared and conflicting entities, shared amounts, the time gap) is combined by a logistic
regression fitted on the train split of the hand labels, with how it was fitted: ``merge_model.json`` decides
clustering's pairs, ``repeat_model.json`` (``bench/fit_merge.py``) the pairs of repeats against history that
the lexical path leaves. A shared link key still joins unconditionally.

Every decision says which signal decided (``Decision.by``): ``key``, ``lexical``, ``semantic``,
``entities``, ``numbers`` or ``llm`` -- for a model decision, the group of features that contributed most.
With ``[llm]`` configured, a pair whose probability falls in the model's borderline band is put to the LLM
(``Judge``), whose cached answer decides.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, Literal

from jianbao.stories.clauses import clause_similarity, headline_contained
from jianbao.stories.compare import ReportFeatures, jaccard, same_event, version_conflict
from jianbao.stories.settings import ClusterSettings

__all__ = [
    "FEATURES",
    "Decision",
    "Judge",
    "MergeModel",
    "Semantic",
    "Similarity",
    "decide",
    "load_model",
    "load_repeat_model",
    "pair_features",
]

Signal = Literal["key", "lexical", "semantic", "entities", "numbers", "time", "llm"]

# feature → the signal it belongs to (what ``Decision.by`` names)
FEATURES: Mapping[str, Signal] = {
    "rule": "lexical",  # today's lexical decision (compare.same_event) fired
    "title_sim": "lexical",  # Jaccard of headline shingles
    "text_sim": "lexical",  # Jaccard of text shingles, same language only
    "body_sim": "lexical",  # Jaccard of the texts' character bigrams
    "clause_sim": "lexical",  # the closest clauses of the two (headline parts, sentences), rare words weighing most
    "head_in_clause": "lexical",  # the largest share of one's headline (or a part) a single clause of the other states
    "contain": "lexical",  # the larger share of one headline's character bigrams found in the other's text
    "cos": "semantic",  # cosine of the two embeddings (headline + first sentence)
    "cos_title": "semantic",  # cosine of the two headlines' embeddings
    "cos_sent": "semantic",  # best cosine of one headline with a sentence of the other's text
    "cos_cross": "semantic",  # the cosine again for a Chinese/English pair (cross-language cosines sit lower)
    "top": "semantic",  # each is the other's nearest report of the comparison (mutual), or one way (0.5)
    "cross": "semantic",  # one headline Chinese, the other not
    "models": "entities",  # model names with versions both headlines carry
    "names": "entities",  # brands and names both headlines carry
    "rare": "entities",  # a name few reports of the window carry, in both
    "rare_text": "entities",  # such a name of one headline anywhere in the other report (a roundup's second fact)
    "same_kind": "entities",  # the same specific kind of event (暂停, 开源, 收购…)
    "version_conflict": "entities",  # different versions of one model or release, or different models
    "subject_conflict": "entities",  # both name subjects, none in common
    "kind_conflict": "entities",  # both name kinds of event, none in common
    "facts": "numbers",  # amounts both reports carry (anywhere in their text)
    "amount_conflict": "numbers",  # headline amounts of one unit that differ
    "rumour": "time",  # either headline is a rumour or a report of plans (传, reportedly…)
    "follow_up": "time",  # the later headline reads as a follow-up (持续发酵, 跟进, 回应…)
    "gap": "time",  # days between the two, over 7, at most 1
}


@dataclass(frozen=True, slots=True)
class MergeModel:
    """A fitted logistic regression over ``FEATURES``; ``threshold`` on its probability merges."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float
    borderline: tuple[float, float] = (0.5, 0.5)  # probabilities put to the LLM judge when one is configured
    means: Mapping[str, float] = field(
        default_factory=dict
    )  # each feature's mean over the pairs it was fitted on
    fitted: Mapping[str, object] = field(default_factory=dict)

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.bias + sum(w * values.get(f, 0.0) for f, w in zip(self.features, self.weights, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def strongest(self, values: Mapping[str, float]) -> Signal:
        """The signal whose features pushed the probability up the most above an average pair's."""
        push: dict[Signal, float] = {}
        for f, w in zip(self.features, self.weights, strict=True):
            signal = FEATURES.get(f, "lexical")
            push[signal] = push.get(signal, 0.0) + w * (values.get(f, 0.0) - self.means.get(f, 0.0))
        return max(push, key=lambda s: (push[s], s))


MODEL_FILE = "merge_model.json"  # clustering: entries of one window (``jianbao.stories.cluster``)
REPEAT_MODEL_FILE = "repeat_model.json"  # repeats: an issue's items against earlier issues (``history``)


@functools.cache
def load_model(name: str = MODEL_FILE) -> MergeModel:
    """A shipped model (``stories/merge_model.json``, clustering's, unless another file is named), read once."""
    data = json.loads(files("jianbao.stories").joinpath(name).read_text(encoding="utf-8"))
    return model_from_dict(data)


def load_repeat_model() -> MergeModel:
    """The model of repeats against history (``stories/repeat_model.json``, ``bench/fit_merge.py``): fitted
    on the pairs the lexical path leaves, with the clause evidence only repeat finding computes."""
    return load_model(REPEAT_MODEL_FILE)


def model_from_dict(data: Mapping[str, Any]) -> MergeModel:
    """A model from its JSON form: ``{"weights": {feature: w}, "bias", "threshold", "borderline", "fitted"}``."""
    weights = data["weights"]
    if not isinstance(weights, dict):
        raise ValueError("merge model: weights must map feature names to numbers")
    unknown = set(weights) - set(FEATURES)
    if unknown:
        raise ValueError(f"merge model: unknown features {sorted(unknown)}")
    band = [float(x) for x in data.get("borderline") or (0.5, 0.5)]
    fitted = data.get("fitted")
    means = {str(k): float(v) for k, v in (data.get("means") or {}).items()}
    return MergeModel(
        features=tuple(weights),
        weights=tuple(float(w) for w in weights.values()),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        borderline=(band[0], band[1]),
        means=means,
        fitted=fitted if isinstance(fitted, dict) else {},
    )


# ------------------------------------------------------------------------------------------- features


@dataclass(frozen=True, slots=True)
class Similarity:
    """What the embeddings say of a pair: the cosines, and whether each is the other's nearest report."""

    cos: float
    cos_title: float
    cos_sent: float = 0.0  # best cosine of one's headline with a sentence of the other's text
    top: float = 0.0  # 1: mutual nearest neighbours among what was compared, 0.5: one way, 0: neither


def pair_features(
    a: ReportFeatures, b: ReportFeatures, *, sim: Similarity, gap_days: float, settings: ClusterSettings
) -> dict[str, float]:
    """The evidence of one pair, each feature on a scale near [0, 1] (``FEATURES`` says what each is)."""
    cross = a.title_zh != b.title_zh
    title_models = {t for t in a.title_strong & b.title_strong if t not in a.title_numbers}
    units_a = {_unit(n) for n in a.title_numbers}
    units_b = {_unit(n) for n in b.title_numbers}
    amount_conflict = any(
        not {n for n in a.title_numbers if _unit(n) == u} & {n for n in b.title_numbers if _unit(n) == u}
        for u in units_a & units_b
    )
    specific_a, specific_b = a.events - {"release"}, b.events - {"release"}
    return {
        "rule": float(same_event(a, b, settings)),
        "title_sim": jaccard(a.title_shingles, b.title_shingles),
        "text_sim": jaccard(a.plain, b.plain) if a.zh == b.zh else 0.0,
        "body_sim": jaccard(a.body, b.body),
        "contain": max(_contained(a.head, b.body), _contained(b.head, a.body)),
        "clause_sim": clause_similarity(a.clauses, b.clauses),
        "head_in_clause": max(
            headline_contained(a.clauses[: a.heads], b.clauses), headline_contained(b.clauses[: b.heads], a.clauses)
        ),
        "cos": sim.cos,
        "cos_title": sim.cos_title,
        "cos_sent": sim.cos_sent,
        "cos_cross": sim.cos if cross else 0.0,
        "top": sim.top,
        "cross": float(cross),
        "models": min(2, len(title_models)) / 2,
        "names": min(3, len(a.title_names & b.title_names)) / 3,
        "rare": float(bool(a.rare & b.rare)),
        "rare_text": float(bool(a.rare & b.ents.brands or b.rare & a.ents.brands)),
        "same_kind": float(bool(specific_a) and specific_a == specific_b),
        "version_conflict": float(version_conflict(a, b, amounts=False)),
        "subject_conflict": float(bool(a.subjects and b.subjects and not a.subjects & b.subjects)),
        "kind_conflict": float(bool(a.events and b.events and not a.events & b.events)),
        "facts": min(3, len(a.facts & b.facts)) / 3,
        "amount_conflict": float(amount_conflict),
        "rumour": float(a.rumour or b.rumour),
        "follow_up": float(a.follow_up or b.follow_up),
        "gap": min(abs(gap_days), 7.0) / 7.0,
    }


def _contained(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part and whole else 0.0


def _unit(number: str) -> str:
    return "".join(c for c in number if not (c.isdigit() or c in ".e+-"))


# ------------------------------------------------------------------------------------------- decision


@dataclass(frozen=True, slots=True)
class Decision:
    """One pair's verdict: ``same``, the signal that decided it and the model's probability (None when
    no model was asked: a shared key, or the lexical rule alone)."""

    same: bool
    by: Signal
    p: float | None = None


Judge = Callable[[Sequence[tuple[str, str]]], list[bool | None]]
"""Asks an LLM whether each (earlier report, later report) pair is one event; None where it cannot say."""


@dataclass(slots=True)
class Semantic:
    """What the semantic path needs: the merge model and, optionally, the LLM judge for borderline pairs."""

    model: MergeModel = field(default_factory=load_repeat_model)
    judge: Judge | None = None


def decide(
    a: ReportFeatures,
    b: ReportFeatures,
    settings: ClusterSettings,
    *,
    sim: Similarity | None = None,
    gap_days: float = 0.0,
    model: MergeModel | None = None,
) -> Decision:
    """Whether ``a`` and ``b`` are one event: a shared key joins; without embeddings (``sim``) or a model the
    lexical rule decides, exactly as ``same_event``; otherwise the model's probability does. (The callers keep
    what the lexical path confirms: the model decides the pairs it leaves, the pairs it was fitted on.)"""
    if a.keys & b.keys:
        return Decision(True, "key", 1.0)
    if sim is None or model is None:
        return Decision(same_event(a, b, settings), "lexical")
    values = pair_features(a, b, sim=sim, gap_days=gap_days, settings=settings)
    p = model.probability(values)
    same = p >= model.threshold
    return Decision(same, model.strongest(values) if same else "lexical", round(p, 4))


def borderline(decision: Decision, model: MergeModel) -> bool:
    """Whether a model decision is close enough to the line to ask the LLM judge."""
    low, high = model.borderline
    return decision.p is not None and decision.by != "key" and low <= decision.p < high
