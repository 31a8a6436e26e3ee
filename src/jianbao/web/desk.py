"""The editor's desk operations on one draft issue: pick, drop, move, edit, add a URL, restore, preview, publish.

Every change loads the draft with its version, changes a copy, recomputes the 导读 and saves with
``expected_version``, so two browser tabs never silently overwrite each other. Every save carries a note
saying what the editor did and lands in the draft's history (``Store.issue_versions``), so any step can be
undone by restoring the version before it. The web layer only translates HTTP to these functions; they
know nothing about requests or templates. The 其他 list (``other_list``), the new text offered for an item
(``rework``) and the morning overview (``morning``) build on these.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from jianbao.archive.files import render_outputs
from jianbao.archive.publish import publish_issue
from jianbao.config import Config
from jianbao.editions import Edition, get_edition
from jianbao.errors import ConfigError, FetchError, JianbaoError, StoreError
from jianbao.ingestion.article import fetch_article
from jianbao.ingestion.boundary import Boundary
from jianbao.issue.compose import chinese_first, drop_repeats
from jianbao.issue.gather import CHINA, gather_stories
from jianbao.issue.intro import finalize_intro
from jianbao.issue.item_text import edit_text
from jianbao.issue.moments import built_moments
from jianbao.issue.section import LINK_WORDS
from jianbao.records import Entry, Issue, Item, Section, Story
from jianbao.render import get_renderer
from jianbao.render.sanitize import clean_text
from jianbao.store import Store
from jianbao.store.search import search as search_engine
from jianbao.urls import canonical_url

STALE_MESSAGE = "这份草稿已在别处修改，请刷新后再编辑"
DESK_SOURCE = "desk"  # entries added from a pasted URL are stored under this source name
EXCERPT_CHARS = 110  # the candidates' and cards' short excerpt, in characters

# The fetch boundary the desk fetches pasted URLs through: its check_url refuses (FetchError) a URL it must not
# fetch before anything is requested, and the fetch itself is checked again on the address it connects to.
UrlGuard = Boundary
_T = TypeVar("_T")


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
    note: str = ""  # what the save that made this version did ("删除：…"), for the editor's flash message

    @property
    def editable(self) -> bool:
        return self.issue.state == "draft"


@dataclass(slots=True)
class Candidate:
    """A story of the period as the candidates list shows it: its lead report's outlet, domain and excerpt."""

    story: Story
    picked: bool = False
    in_other: bool = False  # in the draft's 其他 list
    section: str | None = None
    languages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # display names
    source: str = ""  # the lead report's outlet
    domain: str = ""  # the lead report's site, ``www.`` dropped
    url: str = ""  # the lead report's link
    excerpt: str = ""
    covered_in: list[str] = field(default_factory=list)  # the issues that told it, as the editor reads them
    links: list[tuple[str, str]] = field(default_factory=list)  # (论文/代码/模型, the keys behind it)


@dataclass(slots=True)
class Covered:
    """An item of the draft that an issue (of any edition, any day in the history window) already told."""

    state: str  # "published" (a repeat) or "update" (a repeat with new facts)
    issues: list[str]  # as the editor reads them: "AI 简报 2026-11-13"
    facts: list[str]  # what is new, for an update


def issue_label(issue_id: str) -> str:
    """``weekly:2026-11-13`` as the editor reads it: ``AI 简报 2026-11-13``."""
    fmt, _, day = issue_id.partition(":")
    try:
        title = get_edition(fmt).title
    except ConfigError:
        title = fmt
    return f"{title} {day}".strip()


# ------------------------------------------------------------------------------------------ caches
_MEMO: dict[tuple[Any, ...], Any] = {}
_MEMO_SIZE = 64


def memo(key: tuple[Any, ...], compute: Callable[[], _T]) -> _T:
    """A small process-wide cache for what pages recompute from the same store state: ``key`` must name
    everything the value depends on (the store's change marks, a draft's version…)."""
    if key in _MEMO:
        value: _T = _MEMO[key]
        return value
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))  # oldest first: the dict keeps insertion order
    _MEMO[key] = value = compute()
    return value


def forget() -> None:
    """Empty the cache (a benchmark's cold start; tests that change the store behind the marks' back)."""
    _MEMO.clear()


# ------------------------------------------------------------------------------------------ drafts
def issue_id(day: dt.date, fmt: str) -> str:
    return f"{fmt}:{day.isoformat()}"


def other_name(config: Config, fmt: str) -> str | None:
    """The heading of the edition's trailing 其他 list (``[weekly] other_name``), or None when it has none: the
    renderers' option for it says whether the edition prints one."""
    name = get_edition(fmt).render_options(config).get("other_name")
    return str(name) if name else None


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
    drop_numbered_others(issue)
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


def item_urls(item: Item) -> set[str]:
    """The canonical URLs that say an item is this story: its own link and its 另见 reports'."""
    urls = [item.url, *(a.url for a in item.also)]
    return {canonical_url(u) for u in urls if u}


def drop_numbered_others(issue: Issue) -> None:
    """Take out of the 其他 list every link a numbered item already tells, and repeated links: the 其他 list
    never repeats a numbered story, whichever way it got there (a pick, a promotion, an old draft)."""
    seen = {url for item in issue.items for url in item_urls(item)}
    kept = []
    for other in issue.other:
        url = canonical_url(other.url) if other.url else ""
        if url and url in seen:
            continue
        if url:
            seen.add(url)
        kept.append(other)
    issue.other = kept


def save(store: Store, draft: Draft, config: Config, *, expected_version: int, note: str = "保存") -> Draft:
    """Save the changed draft if nobody saved another version since ``expected_version`` was loaded; ``note``
    (what the editor did) names the new version in the draft's history."""
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
        version = store.save_issue(
            issue, markdown=markdown, expected_version=expected_version or None, note=note
        )
    except StoreError as exc:
        if "changed elsewhere" in exc.message:
            raise StaleDraft from None
        raise
    return Draft(issue, version, note)


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


def short(text: str, limit: int = 24) -> str:
    """A title cut for a history note or a flash message."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def checked_draft(store: Store, day: dt.date, fmt: str, config: Config, version: int) -> Draft:
    draft = load_draft(store, day, fmt, config)
    if draft.version != version:
        raise StaleDraft
    if not draft.editable:
        raise DeskError("这一期已发布，不能再编辑")
    return draft


def section_of(issue: Issue, name: str, config: Config) -> Section:
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


def prune(issue: Issue) -> None:
    issue.sections = [s for s in issue.sections if s.items]


def locate(issue: Issue, index: int) -> tuple[Section, int]:
    """The section and position of the ``index``-th item over the whole issue."""
    if index < 0:
        raise DeskError("找不到这一条，请刷新页面")
    for section in issue.sections:
        if index < len(section.items):
            return section, index
        index -= len(section.items)
    raise DeskError("找不到这一条，请刷新页面")


# -------------------------------------------------------------------------------------- candidates
def gather(store: Store, config: Config, day: dt.date, fmt: str) -> list[Story]:
    """The scored stories of the issue's window, cached until entries or published issues change."""
    # what the candidates depend on: entries and published issues (the store's change marks), the settings
    key = ("stories", store.change_marks(), id(config), day, fmt)
    return memo(key, lambda: _gather(store, config, day, fmt))


def _gather(store: Store, config: Config, day: dt.date, fmt: str) -> list[Story]:
    return gather_stories(store, config=config, day=day, edition=get_edition(fmt))


def stories_by_id(store: Store, config: Config, day: dt.date, fmt: str) -> dict[str, Story]:
    key = ("story ids", store.change_marks(), id(config), day, fmt)
    return memo(key, lambda: {s.id: s for s in gather(store, config, day, fmt)})


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
    issue = draft.issue
    all_cands = _all_candidates(store, config, issue.date, issue.format)
    picked = {item.story_id for item in issue.items if item.story_id}
    in_other = {canonical_url(o.url) for o in issue.other if o.url}
    out = []
    needle = text.strip().lower()
    rest = other_name(config, issue.format) or "其他"
    for base in all_cands:
        story = base.story
        if section and (base.section or rest) != section:
            continue
        if source and source not in story.sources:
            continue
        if language and language not in base.languages:
            continue
        if needle and not any(needle in f"{e.title}\n{e.summary}".lower() for e in story.entries):
            continue
        is_picked = story.id in picked
        is_other = bool(in_other) and canonical_url(base.url) in in_other
        # the cached candidate itself when nothing about it is the draft's (most of them): never changed in place
        out.append(
            dataclasses.replace(base, picked=is_picked, in_other=is_other) if is_picked or is_other else base
        )
    return out


def _all_candidates(store: Store, config: Config, day: dt.date, fmt: str) -> list[Candidate]:
    """Every story of the window as a candidate, best first: cached with the stories it is made of."""

    def build() -> list[Candidate]:
        edition = get_edition(fmt)
        sources = {s.name: s for s in store.list_sources()}
        out = []
        for story in sorted(gather(store, config, day, fmt), key=_rank_key):
            lead = chinese_first(story).entries[0] if story.entries else None
            out.append(
                Candidate(
                    story=story,
                    section=edition.suggest(story, config),
                    languages=sorted({e.language for e in story.entries if e.language}),
                    sources=[sources[s].display_name if s in sources else s for s in story.sources],
                    source=(sources[lead.source].display_name if lead.source in sources else lead.source)
                    if lead
                    else "",
                    domain=domain(lead.url) if lead else "",
                    url=lead.url if lead else "",
                    excerpt=excerpt(lead) if lead else "",
                    covered_in=[issue_label(i) for i in story.published_in],
                    links=link_chips(story.keys),
                )
            )
        return out

    return memo(("candidates", store.change_marks(), id(config), day, fmt), build)


_KEY_LABELS = {"arxiv": "论文", "doi": "论文", "openreview": "论文", "acl": "论文", "cvf": "论文"}
_KEY_LABELS |= {"github": "代码", "gitee": "代码", "hf": "模型"}


def link_chips(keys: list[str]) -> list[tuple[str, str]]:
    """A story's paper and code keys as the editor reads them: one chip per kind (论文, 代码, 模型), the keys
    behind it kept for its tooltip; its plain URLs are not shown."""
    chips: dict[str, list[str]] = {}
    for key in keys:
        kind = key.partition(":")[0]
        if kind in _KEY_LABELS:
            chips.setdefault(_KEY_LABELS[kind], []).append(key)
    return [(label, " ".join(found)) for label, found in chips.items()]


def local_time(value: dt.datetime | None, fmt: str = "%m-%d %H:%M") -> str:
    """A stored time (naive UTC, or aware) as the editor reads it, on the briefing's clock."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(CHINA).strftime(fmt)


def domain(url: str | None) -> str:
    """The site of a link as an editor reads it: ``jiqizhixin.com``, not the whole URL."""
    return (urlsplit(url or "").hostname or "").removeprefix("www.")


def excerpt(entry: Entry, limit: int = EXCERPT_CHARS) -> str:
    """The first words of a report (its feed summary, else its text), one line, cut at ``limit``."""
    text = " ".join(clean_text(entry.summary or entry.content[: limit * 4]).split())
    title = " ".join(entry.title.split())
    if text.startswith(title):  # some feeds repeat the headline as the summary's first line
        text = text[len(title) :].lstrip(" ：:-—|")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _rank_key(story: Story) -> tuple[Any, ...]:
    return (-story.score, -(story.last_seen.timestamp() if story.last_seen else 0.0), story.id)


def find_story(store: Store, config: Config, day: dt.date, fmt: str, story_id: str) -> Story:
    found = stories_by_id(store, config, day, fmt).get(story_id)
    if found is None:
        raise DeskError("这条候选已不在本期的时间窗口里，请刷新页面")
    return found


class CoveredItems:
    """``covered`` for a template, worked out when the template first asks (only the item cards do): a page
    without them never clusters the window for it."""

    def __init__(self, store: Store, draft: Draft, config: Config) -> None:
        self._args = (store, draft, config)
        self._found: dict[str, Covered] | None = None

    def _get(self) -> dict[str, Covered]:
        if self._found is None:
            self._found = covered(*self._args)
        return self._found

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._get()

    def __getitem__(self, story_id: str) -> Covered:
        return self._get()[story_id]


def covered(store: Store, draft: Draft, config: Config) -> dict[str, Covered]:
    """The draft's items whose story an issue already told ("already covered"), by story id."""
    ids = {item.story_id for item in draft.issue.items if item.story_id}
    if not ids or not draft.editable:
        return {}
    stories = stories_by_id(store, config, draft.issue.date, draft.issue.format)
    out = {}
    for sid in ids:
        story = stories.get(sid or "")
        if story is not None and story.state != "new":
            out[sid or ""] = Covered(
                story.state, [issue_label(i) for i in story.published_in], story.new_facts
            )
    return out


# ------------------------------------------------------------------------------------ summarising
def summarize_story(story: Story, store: Store, config: Config, fmt: str) -> str:
    """The extractive summary by the edition's own rule (issue/item_text.py), at its target length."""
    sources = {s.name: s for s in store.list_sources()}
    return get_edition(fmt).summarizer(config, sources=sources)(story)


def make_item(story: Story, *, section: str, store: Store, config: Config, fmt: str) -> Item:
    """The item the edition makes of a picked story, worded by its extractive rule."""
    edition = get_edition(fmt)
    sources = {s.name: s for s in store.list_sources()}
    summarize = edition.summarizer(config, sources=sources)
    return edition.item(story, section=section, config=config, sources=sources, summarize=summarize)


def default_section(story: Story, issue: Issue, config: Config) -> str:
    return get_edition(issue.format).default_section(story, issue, config)


# ----------------------------------------------------------------------------------------- actions
def pick(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, story_id: str) -> Draft:
    return pick_many(store, config, day, fmt, version=version, story_ids=[story_id])


def pick_many(
    store: Store, config: Config, day: dt.date, fmt: str, *, version: int, story_ids: list[str]
) -> Draft:
    """Pick stories into the draft, each into the section its edition gives it; already picked ones stay put."""
    draft = checked_draft(store, day, fmt, config, version)
    have = {item.story_id for item in draft.issue.items}
    added: list[Item] = []
    for story_id in dict.fromkeys(story_ids):
        if story_id in have:
            continue
        story = find_story(store, config, day, fmt, story_id)
        section = default_section(story, draft.issue, config)
        item = make_item(story, section=section, store=store, config=config, fmt=fmt)
        section_of(draft.issue, section, config).items.append(item)
        added.append(item)
        drop_repeats(draft.issue, story)  # a numbered story leaves the 其他 list (#17)
    if not added:
        return draft
    note = f"选入：{short(added[0].title)}" if len(added) == 1 else f"选入 {len(added)} 条"
    return save(store, draft, config, expected_version=version, note=note)


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
    """Drop one item: by its ``index`` over the issue, or by its story."""
    if index is not None:
        return drop_many(store, config, day, fmt, version=version, indices=[index])
    draft = checked_draft(store, day, fmt, config, version)
    indices = [i for i, item in enumerate(draft.issue.items) if item.story_id == story_id]
    return drop_many(store, config, day, fmt, version=version, indices=indices)


def drop_many(
    store: Store, config: Config, day: dt.date, fmt: str, *, version: int, indices: list[int]
) -> Draft:
    """Drop the items at ``indices`` (over the issue, at ``version``) in one step, so one undo brings them back."""
    draft = checked_draft(store, day, fmt, config, version)
    places = [locate(draft.issue, i) for i in sorted(set(indices), reverse=True)]
    if not places:
        return draft
    titles = [section.items[pos].title for section, pos in places]
    for section, pos in places:  # from the last, so the earlier positions still hold
        del section.items[pos]
    prune(draft.issue)
    note = f"删除：{short(titles[0])}" if len(titles) == 1 else f"删除 {len(titles)} 条"
    return save(store, draft, config, expected_version=version, note=note)


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
    return move_many(
        store, config, day, fmt, version=version, indices=[index], direction=direction, section=section
    )


def move_many(
    store: Store,
    config: Config,
    day: dt.date,
    fmt: str,
    *,
    version: int,
    indices: list[int],
    direction: str = "",
    section: str = "",
) -> Draft:
    """Move items to the end of another ``section`` (in their order), or one item one place up or down."""
    draft = checked_draft(store, day, fmt, config, version)
    places = [locate(draft.issue, i) for i in sorted(set(indices))]
    if not places:
        return draft
    first = places[0][0].items[places[0][1]]
    if section:
        if section not in section_names(config, fmt):
            raise DeskError(f"没有这个栏目：{section}")
        moving = [current.items[pos] for current, pos in places if current.name != section]
        if not moving:
            return draft
        for current, pos in reversed(places):
            if current.name != section:
                del current.items[pos]
        section_of(draft.issue, section, config).items.extend(moving)
        note = (
            f"移到{section}：{short(first.title)}" if len(moving) == 1 else f"{len(moving)} 条移到{section}"
        )
    elif direction in ("up", "down") and len(places) == 1:
        current, pos = places[0]
        other = pos - 1 if direction == "up" else pos + 1
        if not 0 <= other < len(current.items):
            return draft
        current.items[pos], current.items[other] = current.items[other], current.items[pos]
        note = f"{'上移' if direction == 'up' else '下移'}：{short(first.title)}"
    else:
        raise DeskError(f"不能这样移动：{direction or '（没有方向）'}")
    prune(draft.issue)
    return save(store, draft, config, expected_version=version, note=note)


_FIELD_NAMES = {"title": "标题", "tags": "标签", "summary": "摘要"}


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
    draft = checked_draft(store, day, fmt, config, version)
    current, pos = locate(draft.issue, index)
    item = current.items[pos]
    try:
        edit_text(item, name, value)
    except ValueError as exc:
        raise DeskError(str(exc)) from None
    note = f"修改{_FIELD_NAMES.get(name, name)}：{short(item.title)}"
    return save(store, draft, config, expected_version=version, note=note)


def edit_remark(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, value: str) -> Draft:
    draft = checked_draft(store, day, fmt, config, version)
    if draft.issue.intro is not None:
        draft.issue.intro.remark = value.strip() or None
    return save(store, draft, config, expected_version=version, note="修改导读附言")


def restore(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, to: int) -> Draft:
    """Make version ``to`` of the draft's history the current draft again (as a new version, so the restore
    itself can be undone); how every undo works."""
    draft = checked_draft(store, day, fmt, config, version)
    old = store.issue_version(draft.issue.id, to)
    if old is None:
        raise DeskError(f"历史里没有第 {to} 版")
    if old.state != "draft":
        raise DeskError("已发布的版本不能恢复成草稿")
    draft.issue = old
    return save(store, draft, config, expected_version=version, note=f"恢复到第 {to} 版")


def story_of(store: Store, config: Config, draft: Draft, item: Item) -> Story | None:
    """The story an item tells: from the window's stories, else (an added URL) its stored entry alone."""
    story = stories_by_id(store, config, draft.issue.date, draft.issue.format).get(item.story_id or "")
    if story is None and item.url:
        entry = _entry_by_url(store, item.url)
        story = Story(id=item.story_id or "", entries=[entry], title=entry.title) if entry else None
    return story


def explain_text(store: Store, config: Config, day: dt.date, fmt: str, *, index: int) -> list[str]:
    """Where one item's extractive text comes from (report, lead paragraphs, what cleaning removed) and the
    LLM's number check (``Item.number_check``), one line each, for the desk to show."""
    draft = load_draft(store, day, fmt, config)
    current, pos = locate(draft.issue, index)
    item = current.items[pos]
    story = story_of(store, config, draft, item)
    if story is None:
        raise DeskError("找不到这条的原文")
    sources = {s.name: s for s in store.list_sources()}
    lines = get_edition(fmt).summarizer(config, sources=sources).text(story).explain()
    check = item.number_check
    if check is not None and check.passed:
        lines.append("LLM 文本的数字都能在原文中找到")
    elif check is not None:
        lines.append(
            f"LLM 文本含原文没有的数字：{'、'.join(check.unsupported)}；已保留摘录（LLM 标题：{check.title}）"
        )
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
        guard.check_url(url)
    except FetchError as exc:
        raise DeskError(f"不能抓取这个地址：{exc.message}") from None
    draft = checked_draft(store, day, fmt, config, version)
    # the same fetch and extraction as `jianbao summarize`; no redirect: it could lead where the guard never
    # looked; the fetch goes through the guard's boundary, so the address connected to is the one checked
    fetched = fetch_article(url, config, source=DESK_SOURCE, redirects=False, now=now, boundary=guard)
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
    section = default_section(story, draft.issue, config)
    item = make_item(story, section=section, store=store, config=config, fmt=fmt)
    item.source = host.removeprefix("www.")
    item.sources = [item.source]
    section_of(draft.issue, section, config).items.append(item)
    return save(store, draft, config, expected_version=version, note=f"添加链接：{short(item.title)}")


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
    draft = checked_draft(store, day, fmt, config, version)
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
            section_of(issue, name, config).items.extend(flat[i] for i in idxs)
        prune(issue)
    if trending is not None:
        trending_edition(draft)
        _check_permutation(trending, len(issue.trending), "趋势")
        issue.trending = [issue.trending[i] for i in trending]
    return save(store, draft, config, expected_version=version, note="拖动排序")


def _check_permutation(indices: list[int], size: int, what: str) -> None:
    if sorted(indices) != list(range(size)):
        raise DeskError(f"新的{what}顺序与草稿对不上（缺了或多了几条），请刷新页面")


def trending_edition(draft: Draft) -> Edition:
    """The draft's edition, when it has a trending table (the daily); the editor's error otherwise."""
    edition = get_edition(draft.issue.format)
    if edition.trending is None:
        raise DeskError("这个版本没有 GitHub 趋势表")
    return edition


def publish(store: Store, config: Config, day: dt.date, fmt: str, *, version: int) -> str:
    """Publish through the same path as ``jianbao publish``; returns the written file's path."""
    draft = checked_draft(store, day, fmt, config, version)
    if not draft.issue.items:
        raise DeskError("草稿还是空的，先挑几条再发布")
    try:
        result = publish_issue(store, finalize(draft.issue, config), config=config, expected_version=version)
    except StoreError as exc:
        if "changed elsewhere" in exc.message:
            raise StaleDraft from None
        raise
    return str(result.path)


# ----------------------------------------------------------------------------------------- preview
PREVIEWS: tuple[tuple[str, str], ...] = (
    ("markdown", "Markdown"),
    ("wechat", "公众号 HTML"),
    ("moments", "朋友圈"),
)


def file_names(issue: Issue) -> dict[str, str]:
    """The name of each output file of the issue, by format, as ``write_issue`` names them."""
    stem = get_edition(issue.format).file_stem(issue.date)
    out = {}
    for name, _label in PREVIEWS:
        try:
            out[name] = stem + get_renderer(name).suffix
        except ConfigError:
            out[name] = ""
    return out


def previews(draft: Draft, config: Config) -> dict[str, str | None]:
    """Each output format's text exactly as its file is written (``archive.files.render_outputs``, the same
    function ``write_issue`` uses); None where that renderer is not installed. Cached per draft version."""

    def build() -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for name, _label in PREVIEWS:
            try:
                get_renderer(name)
            except ConfigError:
                out[name] = None
        wanted = [name for name, _label in PREVIEWS if name not in out]
        out.update(render_outputs(draft.issue, get_edition(draft.issue.format), wanted, config=config))
        return out

    if not draft.version:
        return build()
    return memo(("previews", draft.issue.id, draft.version, draft.issue.state, id(config)), build)


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
        "issue_label": issue_label(get("issue_id") or ""),
        "date": get("date"),
        "section": get("section"),
        "title": get("title") or "",
        "url": get("url"),
        "source": None if get("source") in LINK_WORDS else get("source"),
        "snippet": get("snippet") or get("body") or "",
    }
