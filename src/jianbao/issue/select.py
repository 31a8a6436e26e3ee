"""Score stories so the best ones lead the issue; every part of the score is kept for ``--explain``.

score = source_weight × (recency + sources + first_party + paper + code + stars + stars_gained + hn + interests
                        + richness) − update_penalty

  recency        1.0 on the issue date, falling linearly to 0.2 at the far end of the window
  sources        0.6 × log2(number of independent sources); one source gives 0, two 0.6, four 1.2
  first_party    0.6 when the story carries a lab's own announcement (``Relevance.first_party``): the lab
                 saying it is worth what a second outlet adds, so a first-party post is not outranked by
                 every Hacker News thread for having one source
  paper, code    0.5 each when the story links an arXiv/OpenReview/… paper or a GitHub/Gitee repository
  stars          log10(stars + 1) / 5, at most 1 (100k stars → 1.0)
  stars_gained   log10(gained + 1) / 4, at most 1 (stars in the trending period or since the last look)
  hn             log10(points + 1) / 3, at most 1 (1,000 points → 1.0)
  interests      0.3 per configured interest keyword found, at most 0.9
  richness       −0.5 when the story has no text to summarise
  source_weight  the largest configured weight among the story's sources
  update         an update of a published story loses 0.3 (it is news, but less news)
  relevance      shown, not added: how much the story is about the topic (``issue/relevance.py``)
Stories already published (state "published") are not candidates at all, nor are the stories judged off
topic (``Story.relevance``): a general-interest source's story under the relevance threshold.

Each edition says how it weighs breadth against links (``Scoring``, ``Edition.scoring``). The weekly uses the
figures above. The daily's 今日精选 are "the 2–3 biggest stories of the day", and how many independent
outlets carry a story is the best measure of size, so ``sources`` counts double (1.2 × log2), and so does a
lab's own announcement (``first_party`` 1.2), while ``paper`` and ``code`` count half (0.25) — a repository
is the weekly's material.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jianbao.issue.section import _keyword
from jianbao.records import Story


@dataclass(frozen=True, slots=True)
class Scoring:
    """How an edition weighs a story's breadth and its links: ``sources`` × log2(independent sources) (and
    as much for a lab's own announcement), and ``links`` for each of a paper and a repository. The defaults
    are the weekly's."""

    sources: float = 0.6
    links: float = 0.5


_DEFAULT = Scoring()


def _count_interests(text: str, interests: Sequence[str]) -> int:
    """How many of ``interests`` (each time one is listed) ``section._matches`` finds in ``text``."""
    lowered = text.lower()  # what _has_keyword matches each word against, lowered once
    return sum(
        1
        for whole, word in _interest_words(tuple(interests))
        if word and word in lowered and (whole is None or whole.search(lowered) is not None)
    )


@functools.lru_cache(maxsize=64)
def _interest_words(interests: tuple[str, ...]) -> tuple[tuple[re.Pattern[str] | None, str], ...]:
    """Each interest as ``_matches`` reads it (``section._keyword``), looked up once, not once per story."""
    return tuple(_keyword(word) for word in interests)


def score_story(
    story: Story,
    *,
    today: dt.date,
    window_days: int,
    weights: Mapping[str, float],
    interests: Sequence[str] = (),
    scoring: Scoring = _DEFAULT,
) -> Story:
    """Set ``story.score`` and ``story.score_parts``; returns the same story for chaining."""
    # one pass over the entries and their links for everything the parts read of them (a window has thousands
    # of stories, most of one entry, without counters or links: the parts of a zero are 0.0 without a log)
    newest: dt.datetime | None = None
    stars = gained = points = 0  # counters, never negative (a negative one made log10 fail)
    kinds: set[str] = set()
    has_text = False
    for entry in story.entries:
        published = entry.published
        if published and (newest is None or published > newest):
            newest = published
        extra = entry.extra
        if extra:  # a falsy counter counts as 0, which a max over counters never negative keeps out
            if value := extra.get("stars"):
                stars = max(stars, int(value))
            if value := extra.get("stars_period") or extra.get("stars_gained"):
                gained = max(gained, int(value))
            if value := extra.get("points"):
                points = max(points, int(value))
        for link in entry.links:
            kinds.add(link.kind)
            if meta := link.meta:
                stars = max(stars, int(meta.get("stars") or 0))
                gained = max(gained, int(meta.get("stars_gained") or 0))
        has_text = has_text or bool((entry.content or entry.summary).strip())
    parts: dict[str, float] = {}
    if newest is not None:
        age = max(0.0, (_day_end(today) - newest).total_seconds() / 86400)
        parts["recency"] = round(max(0.2, 1.0 - 0.8 * age / max(window_days, 1)), 3)
    else:
        parts["recency"] = 0.2
    names = story.sources  # computed from the entries: read once
    n_sources = len(names)
    # log2(1) is 0.0: the product is then 0.0 (of the weight's sign), which round keeps
    parts["sources"] = (
        round(scoring.sources * math.log2(n_sources), 3) if n_sources > 1 else scoring.sources * 0.0
    )
    if story.relevance is not None and story.relevance.first_party:
        parts["first_party"] = scoring.sources
    link_part = scoring.links
    parts["paper"] = link_part if "paper" in kinds else 0.0
    parts["code"] = link_part if "code" in kinds else 0.0
    parts["stars"] = round(min(1.0, math.log10(stars + 1) / 5), 3) if stars else 0.0
    parts["stars_gained"] = round(min(1.0, math.log10(gained + 1) / 4), 3) if gained else 0.0
    parts["hn"] = round(min(1.0, math.log10(points + 1) / 3), 3) if points else 0.0
    if interests:
        text = " ".join([f"{e.title} {e.summary}" for e in story.entries])
        found = _count_interests(text, interests)
        parts["interests"] = round(min(0.9, 0.3 * found), 3) if found else 0.0
    else:
        parts["interests"] = 0.0
    parts["richness"] = 0.0 if has_text else -0.5
    weight = max([weights.get(s, 1.0) for s in names]) if names else 1.0
    parts["source_weight"] = weight
    base = sum([v for k, v in parts.items() if k != "source_weight"])  # sum's own order and arithmetic
    total = weight * base
    if story.relevance is not None:
        parts["relevance"] = story.relevance.score  # shown by --explain, not part of the sum
    if story.state == "update":
        parts["update"] = -0.3
        total -= 0.3
    story.score = round(total, 4)
    story.score_parts = parts
    return story


@functools.lru_cache(maxsize=64)
def _day_end(today: dt.date) -> dt.datetime:
    """23:59 UTC of the issue's day: what a story's age is counted to."""
    return dt.datetime.combine(today, dt.time(23, 59), tzinfo=dt.UTC)


def is_candidate(story: Story) -> bool:
    """Not published yet, and not judged off topic."""
    return story.state != "published" and (story.relevance is None or story.relevance.on_topic)


def rank(stories: Sequence[Story]) -> list[Story]:
    """Candidates best first; ties broken by recency then id so output is byte-stable."""
    candidates = [s for s in stories if is_candidate(s)]
    return sorted(
        candidates,
        key=lambda s: (-s.score, -(s.last_seen.timestamp() if s.last_seen else 0.0), s.id),
    )
