"""Which links identify an event: paper/code keys and canonical URLs, minus the hubs everyone cites."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from jianbao.records import Entry
from jianbao.stories.lexicon import word_set
from jianbao.urls import link_key

__all__ = ["entry_keys", "is_hub_key", "is_hub_url", "key_form"]


def entry_keys(entry: Entry) -> set[str]:
    """The keys that join an entry to others: its paper/code keys, its own URL's key, its canonical URL."""
    keys = {k for k in entry.keys if not is_hub_key(k)}
    # An entry that IS a paper or a repository (an arXiv listing, a GitHub project feed, a trending row)
    # carries that key in its own URL, not among its links; an article citing it must meet it there.
    own = _own_key(entry.canonical_url or entry.url)
    if own and not is_hub_key(own):
        keys.add(own)
    if entry.canonical_url:
        keys.add(f"url:{entry.canonical_url}")
    return keys


_KEY_HINTS = ("arxiv", "github", "gitee", "doi", "openreview", "huggingface", "hf.co", "?")


def _own_key(url: str) -> str | None:
    """``link_key`` of an entry's own URL, skipping the parse for URLs that cannot carry a key."""
    low = url.lower()
    return link_key(url) if any(h in low for h in _KEY_HINTS) else None


_HUB_REPOS = word_set("hub_repos")


def is_hub_key(key: str) -> bool:
    """Keys too many unrelated entries cite to identify one event (``url:`` keys, mega-repos)."""
    return key.startswith("url:") or key in _HUB_REPOS


def key_form(key: str) -> str:
    """Story keys mix ``arxiv:…`` keys and bare canonical URLs; compare them all as keys."""
    return f"url:{key}" if key.startswith(("http://", "https://")) else key


def is_hub_url(url: str) -> bool:
    """A front or section page (``example.com/blog``): many items cite it, it identifies none of them."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    return not parts.query and "/" not in path and len(path) < 24 and not re.search(r"\d", path)
