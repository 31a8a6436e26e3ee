"""The knobs of story clustering and repeat detection (``ClusterSettings``), with their tuned defaults."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from jianbao.config import Config

__all__ = ["DEFAULT_SETTINGS", "ClusterSettings", "cluster_settings"]


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Knobs of clustering and repeat detection; the defaults are tuned on the 2026 daily archive."""

    lsh_threshold: float = 0.5  # MinHash LSH Jaccard threshold: low, LSH only proposes candidates
    num_perm: int = 64  # MinHash permutations (14 bands of 4 at threshold 0.5); 32 is faster, recall holds
    confirm_threshold: float = 0.45  # exact Jaccard of text shingles that confirms a same-language pair
    title_threshold: float = (
        0.45  # Jaccard of headline shingles (Chinese bigrams, English words) that confirms
    )
    support_threshold: float = 0.3  # weaker headline Jaccard accepted when headline entities agree
    event_threshold: float = 0.15  # headline Jaccard enough when subject and kind of event agree
    cross_language_min_shared: int = 2  # headline entities in common (≥1 model or number) that confirm
    entity_weight: int = 3  # copies of each entity token in the shingle set, so they count in MinHash
    lead_chars: int = 120  # how much of the summary joins the title as clustering text
    body_threshold: float = 0.15  # Jaccard of body character bigrams that, with a rare shared name, confirms
    max_cluster_size: int = 60  # a union that would grow a cluster beyond this is refused (anti-chaining)
    history_days_weekly: int = 28
    history_days_daily: int = 7


DEFAULT_SETTINGS = ClusterSettings()


def cluster_settings(config: Config) -> ClusterSettings:
    """The knobs of ``[cluster]`` (the ones this dataclass knows), defaults for the rest."""
    known = {f.name for f in dataclasses.fields(ClusterSettings)}
    return ClusterSettings(**{k: v for k, v in config.cluster.model_dump().items() if k in known})
