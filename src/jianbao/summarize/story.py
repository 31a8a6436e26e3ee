"""The extractive summary of a story: its best entry's text, with the title as the prior."""

from __future__ import annotations

from jianbao.records import Story
from jianbao.summarize.extractive import summarize


def summarize_story(story: Story, *, min_chars: int, max_chars: int) -> str:
    """Summarise the best entry that has text; falls back to the next member when one has none."""
    for entry in story.entries:
        text = entry.content.strip() or entry.summary.strip()
        if not text:
            continue
        summary = summarize(
            text, title=entry.title, lang=entry.language or None, min_chars=min_chars, max_chars=max_chars
        )
        if summary:
            return summary
    return ""
