"""An item's text, chosen in one place: the editor's edit over the LLM's text over the extractive text.

Every item starts with the **extractive** text its edition's rule gives (both rules are below, side by
side, and every edition names one of them). Both read the story as its item tells it: its best Chinese
report first when its best report is not Chinese (``chinese_first``), since both editions are Chinese
briefings.

- ``weekly_extractive``: TextRank (``summarize.extractive``) over the first entry of the story that has any
  text (its content, else its feed summary), in that entry's language, with its title as the prior; the
  next entry when one gives nothing.
- ``daily_extractive``: TextRank over the best entry's content (else its summary), titled; when TextRank
  finds nothing, the feed summary trimmed to whole sentences (``trim_sentences``).

Both read an entry's text through ``entry_text``: its content, else its feed summary, except that an
aggregator's metadata line (Hacker News's "Score: 146 Comments: 135 By: …") is never an item's text: an
aggregator's entry is told by the linked article, which ingest fetched into its content.

When an LLM is configured, ``llm_texts`` replaces each item's title and summary with the LLM's Chinese ones;
an item the LLM fails on keeps its extractive text, with one warning line. The **editor's edit** in the desk
(``edit_text``) replaces whatever is there and is never overwritten by a build: the desk's "regenerate"
asks for the extractive text again (``extractive_text``), on purpose, as the editor's way back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Literal, Protocol

from jianbao.ingestion.sources.aggregator import read_metadata
from jianbao.issue.compose import chinese_first
from jianbao.records import Entry, Issue, Item, Story
from jianbao.render.sanitize import clean_text

if TYPE_CHECKING:  # pragma: no cover
    from jianbao.summarize.llm import LLMClient

Summarizer = Callable[[Story], str]  # story → the item's summary (Markdown)


class ExtractiveRule(Protocol):
    """An edition's extractive rule: the story's summary within ``min_chars``..``max_chars`` reader characters."""

    def __call__(self, story: Story, *, min_chars: int, max_chars: int) -> str: ...

_SENTENCE_RE = re.compile(r".+?(?:[。！？!?]|[.;](?=\s|$)|$)", re.DOTALL)


# ------------------------------------------------------------------------------------ an entry's text
def entry_text(entry: Entry) -> str:
    """The text an entry offers its item: its content, else its feed summary; for an aggregator's entry
    (``extra["aggregator"]``) only the words that are not the aggregator's metadata line, often none."""
    return entry.content if entry.content.strip() else _summary_of(entry)


def _summary_of(entry: Entry) -> str:
    """The feed summary, without an aggregator's metadata line."""
    if entry.extra.get("aggregator") or entry.extra.get("hn_id"):
        return read_metadata(entry.summary).text
    return entry.summary


# ------------------------------------------------------------------------------------ the extractive rules
def weekly_extractive(story: Story, *, min_chars: int, max_chars: int) -> str:
    """The weekly's rule: the first entry with text, summarised in its language; "" when none has text."""
    # lazy: numpy and the LLM client load when a summary is made, not when an issue is only rendered
    from jianbao.summarize.extractive import summarize

    for entry in chinese_first(story).entries:
        text = entry_text(entry).strip()
        if not text:
            continue
        summary = summarize(
            text, title=entry.title, lang=entry.language or None, min_chars=min_chars, max_chars=max_chars
        )
        if summary:
            return summary
    return ""


def daily_extractive(story: Story, *, min_chars: int, max_chars: int) -> str:
    """The daily's rule: the best entry's text summarised by TextRank, or its feed summary trimmed to whole
    sentences."""
    # lazy: numpy and the LLM client load when a summary is made, not when an issue is only rendered
    from jianbao.summarize.extractive import summarize

    best = chinese_first(story).entries[0]
    text = entry_text(best)
    if text.strip():
        found = summarize(text, title=best.title, min_chars=min_chars, max_chars=max_chars)
        if found:
            return clean_text(found)
    return trim_sentences(_summary_of(best) or best.content, max_chars=max_chars)


def trim_sentences(text: str, *, max_chars: int) -> str:
    """Whole sentences from the start of ``text``, as many as fit in ``max_chars`` (at least one, cut)."""
    text = re.sub(r"\s+", " ", clean_text(text)).strip()
    if len(text) <= max_chars:
        return text
    out = ""
    for m in _SENTENCE_RE.finditer(text):
        sentence = m.group(0).strip()
        if len(out) + len(sentence) + 1 > max_chars:
            break
        out = f"{out} {sentence}".strip() if out and re.search(r"[.!?;]$", out) else out + sentence
    if not out:
        out = text[: max_chars - 1].rstrip(" ，,：:") + "…"
    return out


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` as written (its end mark kept), "" for an empty text."""
    return next(iter(_SENTENCE_RE.findall(clean_text(text).strip())), "")


def summarizer(rule: ExtractiveRule, summary_chars: tuple[int, int]) -> Summarizer:
    """An edition's extractive rule at its configured length, as the compose step calls it."""
    lo, hi = summary_chars

    def run(story: Story) -> str:
        return rule(story, min_chars=lo, max_chars=hi)

    return run


def extractive_text(story: Story, rule: ExtractiveRule, summary_chars: tuple[int, int]) -> str:
    """The extractive summary of one story by an edition's rule (the desk's "regenerate")."""
    return summarizer(rule, summary_chars)(story)


# ------------------------------------------------------------------------------------------ the LLM's text
def _source_text(story: Story) -> str:
    for entry in story.entries:
        text = entry_text(entry).strip()
        if text:
            return text
    return story.title


def llm_texts(
    issue: Issue,
    stories: Mapping[str, Story],
    client: LLMClient,
    *,
    style: Literal["weekly", "daily"],
    source_name: Callable[[str], str] = str,
) -> list[str]:
    """Replace each item's title and summary with the LLM's Chinese ones, written in the edition's ``style``
    (its lengths); failed items keep the extractive text. Returns one warning line per failed item."""
    from jianbao.summarize.llm import ItemRequest  # lazy: the LLM client loads only when one is configured

    requests: list[ItemRequest] = []
    for item in issue.items:
        story = stories.get(item.story_id or "")
        if story is None or not story.entries:
            continue
        best = story.entries[0]
        requests.append(
            ItemRequest(
                id=story.id, title=best.title, text=_source_text(story), url=best.url,
                source=source_name(best.source), language=best.language, format=style,
            )
        )  # fmt: skip
    results = {r.id: r for r in client.summarize_items_sync(requests)}
    warnings: list[str] = []
    for item in issue.items:
        result = results.get(item.story_id or "")
        if result is None:
            continue
        if result.summary is None:
            warnings.append(
                f"LLM summary failed for {item.title[:40]!r} ({result.error}); extractive summary used"
            )
            continue
        item.title = result.summary.title_zh.strip()
        item.summary = result.summary.summary_zh.strip()
    return warnings


# --------------------------------------------------------------------------------------- the editor's edit
EDITABLE = ("title", "tags", "summary")
_TAG_SPLIT = re.compile(r"[,，、\s]+")


def edit_text(item: Item, name: str, value: str) -> None:
    """The editor's words for one field of an item (title, tags or summary); raises ValueError with a message
    for the editor when the edit cannot be made."""
    if name == "title":
        if not value.strip():
            raise ValueError("标题不能为空")
        item.title = value.strip()
    elif name == "tags":
        item.tags = [tag.strip("【】[] ") for tag in _TAG_SPLIT.split(value) if tag.strip("【】[] ")]
    elif name == "summary":
        item.summary = value.strip()
    else:
        raise ValueError(f"不能编辑 {name}")
