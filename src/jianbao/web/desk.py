"""The editor's desk operations on one draft issue: pick, drop, move, edit, add a URL, preview, publish.

Every change loads the draft with its version, changes a copy, recomputes the 导读 and saves with
``expected_version``, so two browser tabs never silently overwrite each other. The web layer only
translates HTTP to these functions; they know nothing about requests or templates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from jianbao.archive.publish import publish_issue
from jianbao.config import Config
from jianbao.editions import Edition, get_edition
from jianbao.errors import ConfigError, FetchError, JianbaoError, StoreError
from jianbao.ingestion.article import fetch_article
from jianbao.issue.compose import drop_repeats
from jianbao.issue.gather import gather_stories
from jianbao.issue.intro import finalize_intro
from jianbao.issue.item_text import edit_text
from jianbao.issue.moments import built_moments
from jianbao.issue.trending import trending_table
from jianbao.records import Entry, Issue, Item, Section, Story, TrendingRow
from jianbao.render import get_renderer
from jianbao.store import Store
from jianbao.store.search import search as search_engine
from jianbao.urls import canonical_url

STALE_MESSAGE = "这份草稿已在别处修改，请刷新后再编辑"
DESK_SOURCE = "desk"  # entries added from a pasted URL are stored under this source name

UrlGuard = Callable[[str], None]  # raises FetchError when a URL must not be fetched


class StaleDraft(JianbaoError):
    """The draft changed since the editor loaded it; the newer version is kept."""

    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE)


class DeskError(JianbaoError):
    """An editor action that cannot be done, with a message meant for the editor."""


@dataclass(slots=True)
class Draft:
    """The issue on the desk and the version it was loaded at (0: not saved yet)."""

    issue: Issue
    version: int

    @property
    def editable(self) -> bool:
        return self.issue.state == "draft"


@dataclass(slots=True)
class Candidate:
    story: Story
    picked: bool = False
    section: str | None = None
    languages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # display names


# ------------------------------------------------------------------------------------------ drafts
def issue_id(day: dt.date, fmt: str) -> str:
    return f"{fmt}:{day.isoformat()}"


def section_names(config: Config, fmt: str) -> list[str]:
    """The edition's sections, in order (the weekly's from ``[weekly] sections``)."""
    return get_edition(fmt).section_names(config)


def empty_issue(day: dt.date, fmt: str, config: Config) -> Issue:
    edition = get_edition(fmt)
    issue = Issue(date=day, format=edition.name, title=edition.issue_title_of(day))
    return finalize(issue, config)


def load_draft(store: Store, day: dt.date, fmt: str, config: Config) -> Draft:
    found = store.get_issue(issue_id(day, fmt))
    if found is None:
        return Draft(empty_issue(day, fmt, config), 0)
    issue, version = found
    return Draft(issue, version)


def render_markdown(issue: Issue, config: Config) -> str:
    return get_renderer("markdown").render(issue, **get_edition(issue.format).render_options(config))


def finalize(issue: Issue, config: Config) -> Issue:
    """Renumber the items, give them their section's priority (the daily's 🔴/🟡) and recompute the 导读 from
    the rendered Markdown (keeping the editor's remark); the desk shows the 导读's counts for every edition."""
    edition = get_edition(issue.format)
    number = 0
    for section in issue.sections:
        priority = edition.priority_of(section.name)
        for item in section.items:
            number += 1
            item.number = number
            item.section = section.name
            if priority is not None:
                item.priority = priority
    remark = issue.intro.remark if issue.intro else None
    return finalize_intro(issue, lambda i: render_markdown(i, config), remark=remark)


def save(store: Store, draft: Draft, config: Config, *, expected_version: int) -> Draft:
    """Save the changed draft if nobody saved another version since ``expected_version`` was loaded."""
    if not draft.editable:
        raise DeskError("这一期已发布，不能再编辑")
    current = store.get_issue(draft.issue.id)
    if expected_version == 0 and current is not None:
        raise StaleDraft
    issue = finalize(draft.issue, config)
    if current is not None and _follow_items(current[0], issue):
        issue = finalize(issue, config)  # the 一句话 is in the Markdown the 导读 counts
    markdown = render_markdown(issue, config)
    try:
        version = store.save_issue(issue, markdown=markdown, expected_version=expected_version or None)
    except StoreError as exc:
        if "changed elsewhere" in exc.message:
            raise StaleDraft from None
        raise
    return Draft(issue, version)


def _follow_items(stored: Issue, issue: Issue) -> bool:
    """The 一句话 and 朋友圈 text an edition computes from its items (the daily's) follow them when they are the
    computed ones (an LLM's or the editor's words stay): a drop or a reorder must not leave them describing a
    story that is no longer on top. True when the 一句话 changed."""
    edition = get_edition(issue.format)
    changed = False
    if edition.one_liner is not None and stored.one_liner == edition.one_liner(stored.items):
        fresh = edition.one_liner(issue.items)
        changed = fresh != issue.one_liner
        issue.one_liner = fresh
    style = edition.moments
    if style.follows_items and stored.moments == built_moments(stored, style):
        issue.moments = built_moments(issue, style)
    return changed


def _checked(store: Store, day: dt.date, fmt: str, config: Config, version: int) -> Draft:
    draft = load_draft(store, day, fmt, config)
    if draft.version != version:
        raise StaleDraft
    if not draft.editable:
        raise DeskError("这一期已发布，不能再编辑")
    return draft


def _section(issue: Issue, name: str, config: Config) -> Section:
    for section in issue.sections:
        if section.name == name:
            return section
    section = Section(name)
    _insert_ranked(issue.sections, section, section_names(config, issue.format))
    return section


def _insert_ranked(sections: list[Section], section: Section, order: list[str]) -> None:
    """Insert ``section`` before the first section that comes after it in the format's order."""

    def rank(name: str) -> int:
        return order.index(name) if name in order else len(order)

    at = next((i for i, s in enumerate(sections) if rank(s.name) > rank(section.name)), len(sections))
    sections.insert(at, section)


def board(issue: Issue, config: Config) -> list[tuple[Section, int]]:
    """The sections the draft page shows, each with the issue-wide index of its first item.

    An editable draft with items also shows the format's empty sections, so an item can be dragged into
    them; the empty ones are never saved (the next save prunes them).
    """
    shown = list(issue.sections)
    if issue.state == "draft" and issue.items:
        names = section_names(config, issue.format)
        for name in names:
            if not any(s.name == name for s in shown):
                _insert_ranked(shown, Section(name), names)
    out = []
    start = 0
    for section in shown:
        out.append((section, start))
        start += len(section.items)
    return out


def _prune(issue: Issue) -> None:
    issue.sections = [s for s in issue.sections if s.items]


def _locate(issue: Issue, index: int) -> tuple[Section, int]:
    """The section and position of the ``index``-th item over the whole issue."""
    if index < 0:
        raise DeskError("找不到这一条，请刷新页面")
    for section in issue.sections:
        if index < len(section.items):
            return section, index
        index -= len(section.items)
    raise DeskError("找不到这一条，请刷新页面")


# -------------------------------------------------------------------------------------- candidates
_stories_cache: dict[tuple[Any, ...], list[Story]] = {}


def gather(store: Store, config: Config, day: dt.date, fmt: str) -> list[Story]:
    """The scored stories of the issue's window, cached until entries or published issues change."""
    key = (store.change_marks(), day, fmt)  # what the candidates depend on: entries and published issues
    if key not in _stories_cache:
        if len(_stories_cache) > 16:
            _stories_cache.clear()
        _stories_cache[key] = _gather(store, config, day, fmt)
    return _stories_cache[key]


def _gather(store: Store, config: Config, day: dt.date, fmt: str) -> list[Story]:
    return gather_stories(store, config=config, day=day, edition=get_edition(fmt))


def candidates(
    store: Store,
    draft: Draft,
    config: Config,
    *,
    section: str = "",
    source: str = "",
    language: str = "",
    text: str = "",
) -> list[Candidate]:
    """The stories of the period best first, with what the filters need, filtered; each with the section its
    edition suggests (the weekly's rules), or the 其他 list's name."""
    edition = get_edition(draft.issue.format)
    sources = {s.name: s for s in store.list_sources()}
    picked = {item.story_id for item in draft.issue.items if item.story_id}
    out = []
    needle = text.strip().lower()
    for story in sorted(gather(store, config, draft.issue.date, draft.issue.format), key=_rank_key):
        placed = edition.suggest(story, config)
        cand = Candidate(
            story=story,
            picked=story.id in picked,
            section=placed,
            languages=sorted({e.language for e in story.entries if e.language}),
            sources=[sources[s].display_name if s in sources else s for s in story.sources],
        )
        if section and (placed or config.weekly.other_name) != section:
            continue
        if source and source not in story.sources:
            continue
        if language and language not in cand.languages:
            continue
        if needle and not any(needle in f"{e.title}\n{e.summary}".lower() for e in story.entries):
            continue
        out.append(cand)
    return out


def _rank_key(story: Story) -> tuple[Any, ...]:
    return (-story.score, -(story.last_seen.timestamp() if story.last_seen else 0.0), story.id)


def find_story(store: Store, config: Config, day: dt.date, fmt: str, story_id: str) -> Story:
    for story in gather(store, config, day, fmt):
        if story.id == story_id:
            return story
    raise DeskError("这条候选已不在本期的时间窗口里，请刷新页面")


# ------------------------------------------------------------------------------------ summarising
def summarize_story(story: Story, store: Store, config: Config, fmt: str) -> str:
    """The extractive summary by the edition's own rule (issue/item_text.py), at its target length."""
    sources = {s.name: s for s in store.list_sources()}
    return get_edition(fmt).summarizer(config, sources=sources)(story)


def _item(story: Story, *, section: str, store: Store, config: Config, fmt: str) -> Item:
    """The item the edition makes of a picked story, worded by its extractive rule."""
    edition = get_edition(fmt)
    sources = {s.name: s for s in store.list_sources()}
    summarize = edition.summarizer(config, sources=sources)
    return edition.item(story, section=section, config=config, sources=sources, summarize=summarize)


def _default_section(story: Story, issue: Issue, config: Config) -> str:
    return get_edition(issue.format).default_section(story, issue, config)


# ----------------------------------------------------------------------------------------- actions
def pick(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, story_id: str) -> Draft:
    draft = _checked(store, day, fmt, config, version)
    if any(item.story_id == story_id for item in draft.issue.items):
        return draft
    story = find_story(store, config, day, fmt, story_id)
    section = _default_section(story, draft.issue, config)
    _section(draft.issue, section, config).items.append(
        _item(story, section=section, store=store, config=config, fmt=fmt)
    )
    drop_repeats(draft.issue, story)  # a numbered story leaves the 其他 list (#17)
    return save(store, draft, config, expected_version=version)


def drop(
    store: Store,
    config: Config,
    day: dt.date,
    fmt: str,
    *,
    version: int,
    story_id: str | None = None,
    index: int | None = None,
) -> Draft:
    draft = _checked(store, day, fmt, config, version)
    if index is not None:
        section, pos = _locate(draft.issue, index)
        del section.items[pos]
    else:
        for section in draft.issue.sections:
            section.items = [item for item in section.items if item.story_id != story_id]
    _prune(draft.issue)
    return save(store, draft, config, expected_version=version)


def move(
    store: Store,
    config: Config,
    day: dt.date,
    fmt: str,
    *,
    version: int,
    index: int,
    direction: str = "",
    section: str = "",
) -> Draft:
    """Move an item one place up/down within its section, or to the end of another section."""
    draft = _checked(store, day, fmt, config, version)
    current, pos = _locate(draft.issue, index)
    if section and section != current.name:
        if section not in section_names(config, fmt):
            raise DeskError(f"没有这个栏目：{section}")
        item = current.items.pop(pos)
        _section(draft.issue, section, config).items.append(item)
    elif direction in ("up", "down"):
        other = pos - 1 if direction == "up" else pos + 1
        if 0 <= other < len(current.items):
            current.items[pos], current.items[other] = current.items[other], current.items[pos]
    _prune(draft.issue)
    return save(store, draft, config, expected_version=version)


def edit(
    store: Store,
    config: Config,
    day: dt.date,
    fmt: str,
    *,
    version: int,
    index: int,
    name: str,
    value: str,
) -> Draft:
    """Change one field of one item: title, tags, section or summary."""
    if name == "section":
        return move(store, config, day, fmt, version=version, index=index, section=value)
    draft = _checked(store, day, fmt, config, version)
    current, pos = _locate(draft.issue, index)
    item = current.items[pos]
    try:
        edit_text(item, name, value)
    except ValueError as exc:
        raise DeskError(str(exc)) from None
    return save(store, draft, config, expected_version=version)


def edit_remark(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, value: str) -> Draft:
    draft = _checked(store, day, fmt, config, version)
    if draft.issue.intro is not None:
        draft.issue.intro.remark = value.strip() or None
    return save(store, draft, config, expected_version=version)


def _story_of(store: Store, config: Config, day: dt.date, fmt: str, item: Item) -> Story:
    """The story an item tells (or, for an added URL, its stored entry alone)."""
    story = next((s for s in gather(store, config, day, fmt) if s.id == item.story_id), None)
    if story is None and item.url:
        entry = _entry_by_url(store, item.url)
        story = Story(id=item.story_id or "", entries=[entry], title=entry.title) if entry else None
    if story is None:
        raise DeskError("找不到这条的原文，无法重新生成摘要")
    return story


def regenerate(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, index: int) -> Draft:
    """Summarise one item again from its story (or, for an added URL, its stored entry)."""
    draft = _checked(store, day, fmt, config, version)
    current, pos = _locate(draft.issue, index)
    item = current.items[pos]
    item.summary = summarize_story(_story_of(store, config, day, fmt, item), store, config, fmt)
    return save(store, draft, config, expected_version=version)


def explain_text(store: Store, config: Config, day: dt.date, fmt: str, *, index: int) -> list[str]:
    """Where one item's extractive text comes from (report, lead paragraphs, what cleaning removed) and the
    LLM's number check (``Item.number_check``), one line each, for the desk to show."""
    draft = load_draft(store, day, fmt, config)
    current, pos = _locate(draft.issue, index)
    item = current.items[pos]
    sources = {s.name: s for s in store.list_sources()}
    lines = get_edition(fmt).summarizer(config, sources=sources).text(_story_of(store, config, day, fmt, item)).explain()
    check = item.number_check
    if check is not None and check.passed:
        lines.append("LLM 文本的数字都能在原文中找到")
    elif check is not None:
        lines.append(f"LLM 文本含原文没有的数字：{'、'.join(check.unsupported)}；已保留摘录（LLM 标题：{check.title}）")
    return lines


def _entry_by_url(store: Store, url: str) -> Entry | None:
    return store.entry_by_url([canonical_url(url), url])


def add_url(
    store: Store,
    config: Config,
    day: dt.date,
    fmt: str,
    *,
    version: int,
    url: str,
    guard: UrlGuard,
    now: dt.datetime | None = None,
) -> Draft:
    """Fetch a pasted page (after the guard allows it), store it as an entry and add it as an item."""
    url = url.strip()
    try:
        guard(url)
    except FetchError as exc:
        raise DeskError(f"不能抓取这个地址：{exc.message}") from None
    draft = _checked(store, day, fmt, config, version)
    # the same fetch and extraction as `jianbao summarize`; no redirect: it could lead where the guard never looked
    fetched = fetch_article(url, config, source=DESK_SOURCE, redirects=False, now=now)
    store.log_attempts(fetched.attempts)
    if fetched.entry is None:
        raise DeskError(f"抓取失败：{fetched.error}")
    entry = fetched.entry
    host = urlsplit(url).hostname or DESK_SOURCE
    store.upsert_entries([entry])
    story = Story(
        id="u" + hashlib.sha1(entry.canonical_url.encode("utf-8")).hexdigest()[:12],
        entries=[entry],
        keys=entry.keys,
        title=entry.title,
        first_seen=entry.published,
        last_seen=entry.published,
    )
    if any(item.story_id == story.id for item in draft.issue.items):
        raise DeskError("这篇已经在草稿里了")
    section = _default_section(story, draft.issue, config)
    item = _item(story, section=section, store=store, config=config, fmt=fmt)
    item.source = host.removeprefix("www.")
    item.sources = [item.source]
    _section(draft.issue, section, config).items.append(item)
    return save(store, draft, config, expected_version=version)


def reorder(
    store: Store,
    config: Config,
    day: dt.date,
    fmt: str,
    *,
    version: int,
    items: list[tuple[str, list[int]]] | None = None,
    trending: list[int] | None = None,
) -> Draft:
    """Put the items (and the daily's trending rows) in a whole new order, as a drag and drop leaves them.

    ``items`` names each section with the indices (over the issue, at ``version``) of the items it now
    holds, in order; ``trending`` lists the row indices in their new order. Each must use every index
    exactly once, so a page rendered from another version (or a forged request) cannot lose or copy an
    item; sections left out end up empty and disappear.
    """
    draft = _checked(store, day, fmt, config, version)
    issue = draft.issue
    if items is not None:
        flat = issue.items
        _check_permutation([i for _name, idxs in items for i in idxs], len(flat), "条目")
        allowed = set(section_names(config, fmt)) | {s.name for s in issue.sections}
        names = [name for name, _idxs in items]
        unknown = [name for name in names if name not in allowed]
        if unknown:
            raise DeskError(f"没有这个栏目：{unknown[0]}")
        if len(set(names)) != len(names):
            raise DeskError("同一个栏目出现了两次，请刷新页面")
        for section in issue.sections:
            section.items = []
        for name, idxs in items:
            _section(issue, name, config).items.extend(flat[i] for i in idxs)
        _prune(issue)
    if trending is not None:
        _trending_of(draft)
        _check_permutation(trending, len(issue.trending), "趋势")
        issue.trending = [issue.trending[i] for i in trending]
    return save(store, draft, config, expected_version=version)


def _check_permutation(indices: list[int], size: int, what: str) -> None:
    if sorted(indices) != list(range(size)):
        raise DeskError(f"新的{what}顺序与草稿对不上（缺了或多了几条），请刷新页面")


# ----------------------------------------------------------------------------------- trending rows
TRENDING_POOL = 50  # rows offered for restoring: the day's whole trending snapshot, within reason
_ROW_DESC_MAX = 200


def trending_pool(store: Store, config: Config, day: dt.date, fmt: str = "daily") -> list[TrendingRow]:
    """The day's trending rows as ``jianbao build`` computes them for the edition, before any curation."""
    rows, _sources = trending_table(store, get_edition(fmt), config, day, limit=TRENDING_POOL)
    return rows


def spare_rows(store: Store, draft: Draft, config: Config) -> list[TrendingRow]:
    """Rows of the day's snapshot that the draft does not show: dropped ones, and any beyond the limit."""
    if get_edition(draft.issue.format).trending is None or not draft.editable:
        return []
    shown = {row.repo.lower() for row in draft.issue.trending}
    pool = trending_pool(store, config, draft.issue.date, draft.issue.format)
    return [row for row in pool if row.repo.lower() not in shown]


def _trending_of(draft: Draft) -> Edition:
    """The draft's edition, when it has a trending table (the daily); the editor's error otherwise."""
    edition = get_edition(draft.issue.format)
    if edition.trending is None:
        raise DeskError("只有日报有 GitHub 趋势表")
    return edition


def _row(draft: Draft, index: int) -> int:
    _trending_of(draft)
    if not 0 <= index < len(draft.issue.trending):
        raise DeskError("找不到这一行趋势，请刷新页面")
    return index


def drop_row(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, index: int) -> Draft:
    draft = _checked(store, day, fmt, config, version)
    del draft.issue.trending[_row(draft, index)]
    return save(store, draft, config, expected_version=version)


def restore_row(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, repo: str) -> Draft:
    """Put a dropped (or not yet shown) row of the day's snapshot back, at the end of the table."""
    draft = _checked(store, day, fmt, config, version)
    _trending_of(draft)
    if any(row.repo.lower() == repo.lower() for row in draft.issue.trending):
        raise DeskError("这个仓库已经在趋势表里了")
    found = next((row for row in spare_rows(store, draft, config) if row.repo.lower() == repo.lower()), None)
    if found is None:
        raise DeskError("当天的趋势快照里没有这个仓库，请刷新页面")
    draft.issue.trending.append(found)
    return save(store, draft, config, expected_version=version)


def move_row(
    store: Store, config: Config, day: dt.date, fmt: str, *, version: int, index: int, direction: str
) -> Draft:
    """Move a trending row one place up or down (the keyboard's way; drag and drop uses ``reorder``)."""
    draft = _checked(store, day, fmt, config, version)
    rows = draft.issue.trending
    pos = _row(draft, index)
    if direction not in ("up", "down"):
        raise DeskError(f"不能这样移动：{direction}")
    other = pos - 1 if direction == "up" else pos + 1
    if 0 <= other < len(rows):
        rows[pos], rows[other] = rows[other], rows[pos]
    return save(store, draft, config, expected_version=version)


def edit_row(
    store: Store, config: Config, day: dt.date, fmt: str, *, version: int, index: int, value: str
) -> Draft:
    """Change a trending row's one-line description (newlines fold into spaces: the table is one line each)."""
    draft = _checked(store, day, fmt, config, version)
    text = " ".join(value.split())
    if len(text) > _ROW_DESC_MAX:
        raise DeskError(f"说明太长了（{len(text)} 字），一行不超过 {_ROW_DESC_MAX} 字")
    draft.issue.trending[_row(draft, index)].desc = text
    return save(store, draft, config, expected_version=version)


def publish(store: Store, config: Config, day: dt.date, fmt: str, *, version: int) -> str:
    """Publish through the same path as ``jianbao publish``; returns the written file's path."""
    draft = _checked(store, day, fmt, config, version)
    if not draft.issue.items:
        raise DeskError("草稿还是空的，先挑几条再发布")
    try:
        path = publish_issue(store, finalize(draft.issue, config), config=config, expected_version=version)
    except StoreError as exc:
        if "changed elsewhere" in exc.message:
            raise StaleDraft from None
        raise
    return str(path)


# ----------------------------------------------------------------------------------------- preview
PREVIEWS: tuple[tuple[str, str], ...] = (
    ("markdown", "Markdown"),
    ("wechat", "公众号 HTML"),
    ("moments", "朋友圈"),
)


def previews(issue: Issue, config: Config) -> dict[str, str | None]:
    """Each output format's text; None where that renderer is not installed."""
    options = get_edition(issue.format).render_options(config)
    out: dict[str, str | None] = {}
    for name, _label in PREVIEWS:
        try:
            renderer = get_renderer(name)
        except ConfigError:
            out[name] = None
            continue
        if name == "markdown":
            out[name] = render_markdown(issue, config)
            continue
        text = renderer.render(issue, **options)
        out[name] = clean_html(text) if name == "wechat" else text
    return out


def clean_html(markup: str) -> str:
    """Sanitise the rendered WeChat HTML once more for the preview frame, keeping its inline styles."""
    import nh3

    attributes = {"*": {"style", "class", "title"}, "a": {"href"}, "img": {"src", "alt", "width", "height"}}
    return nh3.clean(markup, attributes=attributes, url_schemes={"http", "https", "mailto"})


# ------------------------------------------------------------------------------------------ search
def search_archive(store: Store, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Search every issue with ``jianbao search``'s engine; raw entries are the candidates page's."""
    query = query.strip()
    if not query:
        return []
    hits = [_hit(row) for row in search_engine(store, query, limit=limit * 2)]
    return [hit for hit in hits if hit["issue_id"]][:limit]


def _hit(row: Any) -> dict[str, Any]:
    get = row.get if isinstance(row, dict) else (lambda k, d=None: getattr(row, k, d))
    return {
        "issue_id": get("issue_id"),
        "date": get("date"),
        "section": get("section"),
        "title": get("title") or "",
        "url": get("url"),
        "source": get("source"),
        "snippet": get("snippet") or get("body") or "",
    }
