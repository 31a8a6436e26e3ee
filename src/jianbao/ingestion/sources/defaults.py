"""The default source set `jianbao init` writes: the editor's real sources (see the archive's 来源 list)."""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from jianbao.config import Config, SourceSettings
from jianbao.records import Region

# (name, kind, url, title, region, weight, options)
_DEFAULTS: list[tuple[str, str, str, str, Region, float, dict[str, Any]]] = [
    ("openai", "rss", "https://openai.com/news/rss.xml", "OpenAI", "国际", 1.5, {}),
    ("google-developers", "rss", "https://developers.googleblog.com/feeds/posts/default", "Google Developers", "国际", 1.2, {}),
    ("google-deepmind", "rss", "https://deepmind.google/blog/rss.xml", "Google DeepMind", "国际", 1.4, {}),
    ("huggingface", "rss", "https://huggingface.co/blog/feed.xml", "Hugging Face", "国际", 1.2, {}),
    ("claude-code", "rss", "https://code.claude.com/docs/en/changelog/rss.xml", "Claude Code Changelog", "国际", 1.0, {}),
    ("the-decoder", "rss", "https://the-decoder.com/feed/", "The Decoder", "国际", 1.2, {}),
    ("mit-news-ai", "rss", "https://news.mit.edu/topic/mitartificial-intelligence2-rss.xml", "MIT News", "国际", 1.0, {}),
    ("ai-news", "rss", "https://www.artificialintelligence-news.com/feed/", "AI News", "国际", 0.8, {}),
    ("hn", "hackernews", "https://hn.algolia.com/api/v1/search?tags=front_page", "HN", "国际", 1.0,
     {"min_points": 100}),
    ("github-trending", "github_trending", "https://github.com/trending?since=daily", "GitHub Trending", "国际", 1.0,
     {"ai_only": True}),
    ("arxiv", "arxiv", "https://export.arxiv.org/api/query", "arXiv", "国际", 0.8,
     {"categories": ["cs.AI", "cs.CV", "cs.CL"], "max_results": 100}),
    ("jiqizhixin", "rss", "https://www.jiqizhixin.com/rss", "机器之心", "中文圈", 1.3, {}),
    ("qbitai", "rss", "https://www.qbitai.com/feed", "量子位", "中文圈", 1.3, {}),
    ("leiphone", "rss", "https://www.leiphone.com/feed", "雷锋网", "中文圈", 1.0, {}),
    ("36kr", "rss", "https://36kr.com/feed", "36氪", "中文圈", 0.9, {}),
    ("huxiu", "rss", "https://www.huxiu.com/rss/0.xml", "虎嗅", "中文圈", 0.8, {}),
]


def default_sources() -> list[SourceSettings]:
    """The editor's real sources, as ``[[sources]]`` settings."""
    return [
        SourceSettings(name=n, kind=k, url=u, title=t, region=r, weight=w, options=o)
        for n, k, u, t, r, w, o in _DEFAULTS
    ]


def default_config() -> Config:
    """The configuration `jianbao init` starts from: every default, and the default sources."""
    return Config(sources=default_sources())


def slug_for(url: str, taken: set[str]) -> str:
    """A command-line friendly name for a new source, unique among `taken`."""
    parts = urlsplit(url if "://" in url else f"file://{url}")
    base = (parts.hostname or parts.path.rsplit("/", 1)[-1] or "source").removeprefix("www.")
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-") or "src-" + hashlib.sha1(url.encode()).hexdigest()[:6]
    name, n = slug, 2
    while name in taken:
        name, n = f"{slug}-{n}", n + 1
    return name
