"""Extractive summaries of every bundled sample entry: within the target length, whole sentences, no feed
boilerplate, no repeated sentence."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jianbao.demo import sample_sources
from jianbao.ingestion.extract import understand
from jianbao.ingestion.sources import parse_source, read_local
from jianbao.records import Entry
from jianbao.summarize.extractive import TARGETS, _reader_len, clean_text, split_sentences, summarize

BOILERPLATE = re.compile(
    r"Announce Type|appeared first on|Continue reading|Read more|\[…\]|阅读原文|关注公众号", re.I
)


def _entries() -> list[Entry]:
    _day, sources = sample_sources()
    found: list[Entry] = []
    for src in sources:
        parsed = parse_source(
            src, read_local(src), url=src.url, fetched=dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
        )
        found.extend(understand(e) for e in parsed.entries)
    return found


ENTRIES = _entries()


def test_every_source_gives_entries() -> None:
    assert len(ENTRIES) > 100


@pytest.mark.parametrize("fmt", ["weekly", "daily"])
def test_every_sample_summary_is_clean(fmt: str) -> None:
    lo, hi = TARGETS[fmt]
    problems: list[str] = []
    for entry in ENTRIES:
        text = entry.content.strip() or entry.summary.strip()
        summary = summarize(text, title=entry.title, lang=entry.language or None, min_chars=lo, max_chars=hi)
        available = _reader_len(clean_text(text))
        if not summary:
            if available >= 4:
                problems.append(f"empty: {entry.title}")
            continue
        length = _reader_len(summary)
        sentences = split_sentences(summary)
        if length > hi or (available >= hi and length < lo):
            problems.append(f"length {length}: {entry.title}")
        if not re.search(r"[。！？!?.…」”\"』）)]$", summary):
            problems.append(f"ending: {summary[-20:]}")
        if BOILERPLATE.search(summary):
            problems.append(f"boilerplate: {summary[:60]}")
        if len(sentences) != len(set(sentences)):
            problems.append(f"repeat: {entry.title}")
    assert not problems, problems[:5]


def test_feed_furniture_is_stripped() -> None:
    text = (
        "arXiv:2611.08519v1 Announce Type: new Abstract: Agents wait for large models. We draft calls with small ones.\n"
        "Qwen ships eight models. The post Qwen ships appeared first on THE DECODER.\nContinue reading…"
    )
    cleaned = clean_text(text)
    assert not BOILERPLATE.search(cleaned)
    assert cleaned.startswith("Agents wait") and "Qwen ships eight models." in cleaned
