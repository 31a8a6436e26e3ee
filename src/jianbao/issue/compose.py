"""What every edition's compose step shares: why a story is where it is (``Pick``), a story's paper/code
links, the link and outlet an item names, which report tells a story to Chinese readers, the name a
story is about (``entity_of``), and every link that names a story (``story_urls``: a numbered story never
repeats in 其他; ``drop_repeats`` does it for the desk's pick).

The compose steps themselves — sections under their quotas, numbering, the 其他 list — belong to each edition
(``editions/weekly.py``, ``editions/daily.py``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from jianbao.records import Entry, Issue, Item, Link, Source, Story
from jianbao.render.sanitize import clean_text


@dataclass(slots=True)
class Pick:
    """Why a story is where it is: for ``jianbao build --explain`` and the web desk."""

    story: Story
    section: str | None  # None: the 其他 list (or, ``left_out``, not in the issue at all)
    reason: str
    item: Item | None = None
    parts: dict[str, float] = field(default_factory=dict)
    left_out: bool = False  # neither numbered nor listed: off topic, a repository, a repeat of a numbered item


_LINK_ORDER = {"paper": 0, "code": 1, "project": 2}


def story_links(story: Story, *, limit: int = 3) -> list[Link]:
    """Paper, code and project links of all the story's entries, one per key, papers first."""
    seen: set[str] = set()
    found: list[Link] = []
    for entry in story.entries:
        for link in entry.links:
            if link.kind not in _LINK_ORDER:
                continue
            ident = link.key or link.url
            if ident in seen or link.url == entry.url:
                continue
            seen.add(ident)
            found.append(link)
    found.sort(key=lambda link: _LINK_ORDER[link.kind])  # stable: keeps discovery order within a kind
    return found[:limit]


def entry_url(entry: Entry) -> str:
    """The link readers get: the canonical URL (tracking parameters and WeChat session keys removed)."""
    return entry.canonical_url or entry.url


def display_source(entry: Entry, sources: Mapping[str, Source]) -> str:
    """The outlet an item names: the source's configured title, else the feed's own title, else its name."""
    src = sources.get(entry.source)
    if src is not None and src.title:
        return src.title
    return str(entry.extra.get("feed_title") or "") or entry.source


def chinese_first(story: Story) -> Story:
    """The story with its best Chinese report in front when its best report is not Chinese.

    The weekly is a Chinese briefing whose items are the Chinese articles (公众号 and media) about an
    event, linking them and naming their outlet; an English original then appears under 另见.
    """
    best = story.entries[0] if story.entries else None
    if best is None or best.language == "zh":
        return story
    told = next((e for e in story.entries if e.language == "zh"), None)
    if told is None:
        return story
    return dataclasses.replace(story, entries=[told, *(e for e in story.entries if e is not told)])


def story_urls(story: Story) -> set[str]:
    """Every link that names the story: its entries' URLs and their paper/code keys."""
    found: set[str] = set()
    for entry in story.entries:
        found.update({entry_url(entry), entry.url, *entry.keys})
    return found - {""}


def names_any(story: Story, urls: AbstractSet[str]) -> bool:
    """Whether ``story_urls(story)`` meets ``urls``, without making the story's set: a link at a time."""
    for entry in story.entries:
        for url in (entry_url(entry), entry.url, *entry.keys):
            if url and url in urls:
                return True
    return False


def drop_repeats(issue: Issue, story: Story) -> None:
    """Take out of the issue's trailing list the links of a story that is now numbered (the desk's pick)."""
    urls = story_urls(story)
    issue.other = [link for link in issue.other if (link.url or "") not in urls]


_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9.+\-]*(?:['’]s)?|\d+(?:\.\d+)*[A-Za-z]*")
# Capitalised words that start English headlines without naming anything.
_COMMON = frozenset(
    {
        "a", "an", "the", "this", "that", "these", "those", "how", "why", "what", "when", "where", "who",
        "which", "new", "our", "my", "your", "its", "here", "there", "researchers", "scientists", "study",
        "report", "reports", "exclusive", "breaking", "update", "updates", "introducing", "announcing", "inside",
        "meet", "ask", "show", "tell", "launch", "launches", "building", "using", "open", "ai", "llm", "llms",
        "api", "gpu", "gpus", "ml", "agi", "agent", "agents", "model", "models",
    }
)  # fmt: skip


def entity_of(title: str, *, fallback: str = "") -> str:
    """A short bold name for the story: the first run of capitalised Latin words (a model or company
    name such as ``DeepSeek V4`` or ``Google DeepMind``), else ``fallback`` (the outlet)."""
    text = clean_text(title)
    words: list[tuple[str, int, int]] = [
        (m.group(0), m.start(), m.end()) for m in _LATIN_TOKEN.finditer(text)
    ]
    run: list[str] = []
    last_end = -1
    for word, start, end in words:
        bare = re.sub(r"['’]s$", "", word)
        joined = last_end >= 0 and text[last_end:start].strip() == ""
        named = (bare[:1].isupper() or bare[:1].isdigit() or any(c.isupper() for c in bare[1:])) and (
            bare.lower() not in _COMMON
        )
        if run and not joined:
            break
        if named and (run or not bare[:1].isdigit()):
            run.append(bare)
            last_end = end
            if word != bare or len(run) == 3:
                break
        elif run:
            break
    name = " ".join(run).strip(" .-")
    return name or fallback
