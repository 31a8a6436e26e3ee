"""Plain typed records that flow one way through the pipeline: Source → Entry → Story → Item → Issue.

Every stage takes and returns these; none of them knows about the store, HTTP or files, so stages stay
pure functions and the records can cross process boundaries (JSON via ``to_dict``) unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

Region = Literal["国际", "中文圈"]
LinkKind = Literal["paper", "code", "project", "video", "article", "pdf", "image", "other"]
IssueFormat = str  # an edition's name (jianbao.editions): "weekly", "daily", or a plugin's
StoryState = Literal["new", "published", "update"]
Priority = Literal["red", "yellow", "white"]
# What a source publishes, for topical relevance (issue/relevance.py): a lab's own announcements, a
# source about the issue's topic, a general-interest one (Hacker News, tech media), or judged from its entries.
Scope = Literal["auto", "lab", "topical", "general"]


@dataclass(slots=True)
class Link:
    """A URL found inside an entry or item, with a normalised identity key when it names a paper or repo.

    ``key`` is what clustering and "already covered?" compare: ``arxiv:2106.04560``,
    ``github:owner/repo``, ``gitee:owner/repo``, ``doi:10.1038/...``, ``url:<canonical>`` for the rest.
    """

    url: str
    kind: LinkKind = "other"
    key: str | None = None
    label: str | None = None  # the label the author wrote before it, e.g. 论文 / 代码 / 项目地址
    meta: dict[str, Any] = field(default_factory=dict)  # filled by the enrich stage


@dataclass(slots=True)
class Source:
    """A place entries come from, with the state that makes the next fetch polite (conditional GET)."""

    name: str  # stable identifier used in the store and on the command line
    url: str
    kind: str = "rss"
    title: str = ""  # display name printed after "|" in an item, e.g. 机器之心
    region: Region = "国际"
    weight: float = 1.0
    enabled: bool = True
    options: dict[str, Any] = field(default_factory=dict)
    scope: Scope = "auto"
    etag: str | None = None
    last_modified: str | None = None
    last_success: dt.datetime | None = None
    last_error: str | None = None
    failures: int = 0  # consecutive failed fetches; 5 or more is "unhealthy"

    @property
    def display_name(self) -> str:
        return self.title or self.name


@dataclass(slots=True)
class Entry:
    """One article from one source; its identity is the canonical URL."""

    source: str
    url: str
    title: str
    canonical_url: str = ""
    author: str | None = None
    published: dt.datetime | None = None
    fetched: dt.datetime | None = None
    summary: str = ""  # the feed's own summary/description, plain text
    content: str = ""  # main text, plain, paragraphs separated by blank lines
    html: str = ""  # raw HTML body as received (sanitised before any HTML output)
    language: str = ""  # "zh" or "en" (or another ISO code)
    images: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # hn points, github stars, arxiv ids...
    id: int | None = None  # store row id once stored

    @property
    def keys(self) -> list[str]:
        return [link.key for link in self.links if link.key and not link.key.startswith("url:")]


@dataclass(slots=True)
class Relevance:
    """How much a story is about the issue's topic (``issue/relevance.py``), and why: for ``--explain``."""

    score: float  # 0..1: the rules' evidence, with the embedding's and the LLM's word when configured
    on_topic: bool  # a candidate: told by a lab or topical source, or scoring at least the threshold
    scope: Scope = "general"  # the most trusted scope among the story's sources
    first_party: str = ""  # the lab whose own announcement the story carries ("" for none)
    evidence: list[str] = field(default_factory=list)  # "title:LLM", "source:anthropic (lab)", "llm:0.9"…

    def describe(self) -> str:
        """One line for ``--explain``: ``0.82 general title:LLM text:agent``."""
        return " ".join([f"{self.score:.2f}", self.scope, *self.evidence])


@dataclass(slots=True)
class Story:
    """The cluster of entries about one event, across sources, languages and days."""

    id: str
    entries: list[Entry] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # paper/code keys and canonical URLs it owns
    title: str = ""
    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    score: float = 0.0
    score_parts: dict[str, float] = field(default_factory=dict)
    state: StoryState = "new"
    published_in: list[str] = field(default_factory=list)  # issue ids (e.g. "weekly:2021-08-08")
    new_facts: list[str] = field(default_factory=list)  # why an update is an update
    relevance: Relevance | None = None  # set by the build's relevance step; None: not judged
    decided_by: str = ""  # which signal matched history: key, lexical, semantic, entities, numbers, llm

    @property
    def sources(self) -> list[str]:
        seen: list[str] = []
        for entry in self.entries:
            # An article stored once may have been brought by several sources (extra["seen_in"]).
            for name in (entry.source, *entry.extra.get("seen_in", ())):
                if name not in seen:
                    seen.append(name)
        return seen


@dataclass(slots=True)
class NumberCheck:
    """The number check on an item's LLM text: every number in the LLM's title and summary must be in its
    source (``jianbao.summarize.numbers``).

    ``passed`` False means the item kept its extractive text; ``unsupported`` lists the numbers the source
    does not have, as the LLM wrote them, and ``title`` / ``summary`` keep the LLM's rejected words for the
    desk. A passed check keeps neither (the item's own title and summary are the LLM's).
    """

    passed: bool
    unsupported: list[str] = field(default_factory=list)
    title: str = ""
    summary: str = ""


@dataclass(slots=True)
class Item:
    """A story as printed in an issue (weekly heading item or daily 🔴/🟡 line)."""

    title: str
    url: str | None = None
    source: str | None = None  # display name after the last "|" (weekly) or outlets joined (daily)
    section: str = ""
    number: int | None = None
    tags: list[str] = field(default_factory=list)  # 【轻量化】 → "轻量化"
    summary: str = ""  # Markdown paragraphs
    images: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)  # paper/code/project lines and body links
    story_id: str | None = None
    also: list[OtherLink] = field(default_factory=list)  # 另见：other members of the story
    is_update: bool = False  # 「更新」
    update_of: str | None = None  # the issue (id) that ran the story an update follows, e.g. "daily:2026-08-20"
    # daily layout
    priority: Priority | None = None
    entity: str | None = None
    sources: list[str] = field(default_factory=list)
    body: str | None = None  # the raw Markdown of the item as imported, for lossless re-render
    number_check: NumberCheck | None = None  # the LLM text's number check; None when no LLM wrote it


@dataclass(slots=True)
class OtherLink:
    """An entry of the trailing 其他 list: a title, a link and where it came from."""

    title: str
    url: str | None = None
    source: str | None = None


@dataclass(slots=True)
class Section:
    """A numbered section of an issue (AI 前沿, 有趣的开源项目, 今日精选…) and its items in order."""

    name: str
    items: list[Item] = field(default_factory=list)


@dataclass(slots=True)
class TrendingRow:
    """A GitHub 今日趋势 row of the daily."""

    repo: str  # owner/name
    url: str = ""
    desc: str = ""
    stars: int | None = None
    stars_today: int | None = None
    language: str | None = None


@dataclass(slots=True)
class Intro:
    """The 导读: everything in it is computed, except ``remark`` (a free line an editor may add)."""

    issue_date: str  # YYYYMMDD as printed
    item_count: int | None = None
    chars: int | None = None
    read_minutes: tuple[int, int] | None = None
    almanac: str | None = None
    remark: str | None = None


@dataclass(slots=True)
class Issue:
    """A whole issue in either format; the renderers and the importer meet here."""

    date: dt.date
    format: IssueFormat = "weekly"
    title: str = ""
    intro: Intro | None = None
    sections: list[Section] = field(default_factory=list)
    other: list[OtherLink] = field(default_factory=list)
    trending: list[TrendingRow] = field(default_factory=list)
    one_liner: str | None = None
    insights: list[str] = field(default_factory=list)
    moments: str | None = None  # 朋友圈 text
    state: Literal["draft", "published"] = "draft"
    source_file: str | None = None

    @property
    def id(self) -> str:
        return f"{self.format}:{self.date.isoformat()}"

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]


def to_dict(record: Any) -> Any:
    """Turn a record (or nested records) into JSON-ready data: dates as ISO strings, tuples as lists."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, dict):
        return {str(k): to_dict(v) for k, v in record.items()}
    if isinstance(record, list | tuple):
        return [to_dict(v) for v in record]
    if isinstance(record, dt.datetime | dt.date):
        return record.isoformat()
    return record


def _parse_date(value: Any, kind: type) -> Any:
    if value is None or isinstance(value, kind):
        return value
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    return dt.date.fromisoformat(value)


def link_from_dict(data: dict[str, Any]) -> Link:
    return Link(**data)


def item_from_dict(data: dict[str, Any]) -> Item:
    data = dict(data)
    data["links"] = [link_from_dict(x) for x in data.get("links", [])]
    data["also"] = [OtherLink(**x) for x in data.get("also", [])]
    if data.get("number_check") is not None:
        data["number_check"] = NumberCheck(**data["number_check"])
    return Item(**data)


def issue_from_dict(data: dict[str, Any]) -> Issue:
    """Inverse of ``to_dict`` for an Issue, used by the store to rebuild drafts and published issues."""
    data = dict(data)
    data["date"] = _parse_date(data["date"], dt.date)
    if data.get("intro") is not None:
        intro = dict(data["intro"])
        if intro.get("read_minutes") is not None:
            intro["read_minutes"] = tuple(intro["read_minutes"])
        data["intro"] = Intro(**intro)
    data["sections"] = [
        Section(name=s["name"], items=[item_from_dict(i) for i in s.get("items", [])])
        for s in data.get("sections", [])
    ]
    data["other"] = [OtherLink(**x) for x in data.get("other", [])]
    data["trending"] = [TrendingRow(**x) for x in data.get("trending", [])]
    return Issue(**data)


def entry_from_dict(data: dict[str, Any]) -> Entry:
    data = dict(data)
    data["published"] = _parse_date(data.get("published"), dt.datetime)
    data["fetched"] = _parse_date(data.get("fetched"), dt.datetime)
    data["links"] = [link_from_dict(x) for x in data.get("links", [])]
    return Entry(**data)
