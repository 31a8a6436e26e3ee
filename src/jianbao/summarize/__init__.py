"""Chinese summaries for items: extractive (TextRank over jieba) by default, any OpenAI-compatible LLM when configured."""

from __future__ import annotations

from jianbao.summarize.extractive import TARGETS, clean_text, split_sentences, summarize
from jianbao.summarize.llm import (
    Cache,
    CheckResult,
    IssueExtras,
    ItemRequest,
    ItemResult,
    ItemSummary,
    LLMClient,
    LLMSettings,
    MemoryCache,
    SectionChoice,
    Usage,
    acheck,
    cache_key,
    check,
    from_env,
    load_prompt,
    summarize_with_fallback,
)

__all__ = [
    "TARGETS",
    "Cache",
    "CheckResult",
    "IssueExtras",
    "ItemRequest",
    "ItemResult",
    "ItemSummary",
    "LLMClient",
    "LLMSettings",
    "MemoryCache",
    "SectionChoice",
    "Usage",
    "acheck",
    "cache_key",
    "check",
    "clean_text",
    "from_env",
    "load_prompt",
    "split_sentences",
    "summarize",
    "summarize_with_fallback",
]
