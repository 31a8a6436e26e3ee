"""Put a story in a section and give it tags, by the editor's rules from the config.

Rules are checked in config order and the first match wins, like an editor scanning an article: a paper
link says AI 前沿, a repository says 有趣的开源项目, a course or book says 福利; anything else falls to the
trailing 其他 list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jianbao.config import SectionRule, TagRule
from jianbao.records import Story


@dataclass(slots=True, frozen=True)
class Placement:
    section: str | None  # None: the 其他 list
    reason: str  # which rule matched, for --explain


def _has_keyword(text: str, keywords: Sequence[str]) -> str | None:
    lowered = text.lower()
    for word in keywords:
        w = word.lower()
        if not w:
            continue
        if w.isascii() and re.fullmatch(r"[\w.+-]+", w):
            # ASCII keywords match whole words: "book" must not fire on "Facebook".
            if re.search(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])", lowered):
                return word
        elif w in lowered:
            return word
    return None


def story_text(story: Story) -> str:
    best = story.entries[0] if story.entries else None
    if best is None:
        return story.title
    return f"{best.title}\n{best.summary}\n{best.content[:600]}"


def place(story: Story, rules: Sequence[SectionRule]) -> Placement:
    """The section a story belongs in by the rules (first match), or None for the 其他 list."""
    kinds = {link.kind for entry in story.entries for link in entry.links}
    sources = set(story.sources)
    title_text = story_text(story)
    for rule in rules:
        hit = kinds & set(rule.link_kinds)
        if hit:
            return Placement(rule.name, f"link:{sorted(hit)[0]}")
        if rule.sources and sources & set(rule.sources):
            return Placement(rule.name, f"source:{sorted(sources & set(rule.sources))[0]}")
        if word := _has_keyword(title_text, rule.keywords):
            return Placement(rule.name, f"keyword:{word}")
    return Placement(None, "no rule")


def tags_for(text: str, rules: Sequence[TagRule], *, limit: int = 2) -> list[str]:
    """Tags whose keywords appear in the title or summary, in rule order."""
    tags = [rule.tag for rule in rules if _has_keyword(text, rule.keywords)]
    return tags[:limit]
