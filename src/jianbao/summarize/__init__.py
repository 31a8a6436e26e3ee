"""Chinese summaries for items: extractive (TextRank over jieba) by default, any OpenAI-compatible LLM when configured."""

from __future__ import annotations

from jianbao.summarize.extractive import TARGETS, clean_text, split_sentences, summarize

__all__ = ["TARGETS", "clean_text", "split_sentences", "summarize"]
