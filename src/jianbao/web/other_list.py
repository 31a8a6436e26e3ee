"""The 其他 list on the desk: the trailing links of an edition that has one (the weekly), as an editable list.

The editor adds a candidate to it, drops, rewords and reorders its links, promotes one to a numbered item or
sends a numbered item down to it. A link that a numbered item already tells never stays in it
(``desk.drop_numbered_others`` runs on every save), and every change is saved with a note, so it can be
undone like any other.
"""

from __future__ import annotations

import datetime as dt

from jianbao.config import Config
from jianbao.issue.compose import chinese_first, display_source, entry_url
from jianbao.records import Item, OtherLink, Story
from jianbao.store import Store
from jianbao.urls import canonical_url
from jianbao.web.desk import (
    DeskError,
    Draft,
    checked_draft,
    default_section,
    item_urls,
    locate,
    make_item,
    memo,
    other_name,
    prune,
    save,
    section_names,
    section_of,
    short,
    stories_by_id,
)

_TITLE_MAX = 200


def _editable(draft: Draft, config: Config) -> str:
    name = other_name(config, draft.issue.format)
    if name is None:
        raise DeskError("这个版本没有其他列表")
    return name


def _at(draft: Draft, index: int) -> OtherLink:
    if not 0 <= index < len(draft.issue.other):
        raise DeskError("找不到这条其他链接，请刷新页面")
    return draft.issue.other[index]


def story_by_url(store: Store, config: Config, day: dt.date, fmt: str, url: str) -> Story | None:
    """The window's story one of whose reports is at ``url`` (canonical URLs compared)."""

    def index() -> dict[str, Story]:
        by_url: dict[str, Story] = {}
        for story in stories_by_id(store, config, day, fmt).values():
            for entry in story.entries:
                by_url.setdefault(canonical_url(entry_url(entry)), story)
        return by_url

    return memo(("stories by url", store.change_marks(), id(config), day, fmt), index).get(canonical_url(url))


def add_other(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, story_id: str) -> Draft:
    """Put a candidate story at the end of the 其他 list, told by its lead (Chinese-first) report."""
    draft = checked_draft(store, day, fmt, config, version)
    name = _editable(draft, config)
    story = stories_by_id(store, config, day, fmt).get(story_id)
    if story is None or not story.entries:
        raise DeskError("这条候选已不在本期的时间窗口里，请刷新页面")
    if any(item.story_id == story_id for item in draft.issue.items):
        raise DeskError("这条已是编号条目，不会再放进其他")
    lead = chinese_first(story).entries[0]
    url = entry_url(lead)
    numbered = {u for item in draft.issue.items for u in item_urls(item)}
    listed = {canonical_url(o.url) for o in draft.issue.other if o.url}
    if canonical_url(url) in numbered:
        raise DeskError("这条已是编号条目，不会再放进其他")
    if canonical_url(url) in listed:
        return draft
    sources = {s.name: s for s in store.list_sources()}
    draft.issue.other.append(OtherLink(title=lead.title, url=url, source=display_source(lead, sources)))
    return save(store, draft, config, expected_version=version, note=f"加入{name}：{short(lead.title)}")


def drop_other(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, index: int) -> Draft:
    draft = checked_draft(store, day, fmt, config, version)
    name = _editable(draft, config)
    link = _at(draft, index)
    del draft.issue.other[index]
    return save(store, draft, config, expected_version=version, note=f"从{name}删除：{short(link.title)}")


def edit_other(
    store: Store, config: Config, day: dt.date, fmt: str, *, version: int, index: int, title: str
) -> Draft:
    """Reword a link's title (one line; the link and its source stay)."""
    draft = checked_draft(store, day, fmt, config, version)
    name = _editable(draft, config)
    link = _at(draft, index)
    text = " ".join(title.split())
    if not text:
        raise DeskError("标题不能为空")
    if len(text) > _TITLE_MAX:
        raise DeskError(f"标题太长了（{len(text)} 字），不超过 {_TITLE_MAX} 字")
    link.title = text
    return save(store, draft, config, expected_version=version, note=f"修改{name}标题：{short(text)}")


def reorder_other(
    store: Store, config: Config, day: dt.date, fmt: str, *, version: int, order: list[int]
) -> Draft:
    """The 其他 list in a new order: ``order`` lists every index (at ``version``) exactly once."""
    draft = checked_draft(store, day, fmt, config, version)
    name = _editable(draft, config)
    if sorted(order) != list(range(len(draft.issue.other))):
        raise DeskError(f"新的{name}顺序与草稿对不上，请刷新页面")
    if order == sorted(order):
        return draft
    draft.issue.other = [draft.issue.other[i] for i in order]
    return save(store, draft, config, expected_version=version, note=f"调整{name}顺序")


def move_other(
    store: Store, config: Config, day: dt.date, fmt: str, *, version: int, index: int, direction: str
) -> Draft:
    """One link one place up or down (the buttons' and the keyboard's way; drag and drop reorders)."""
    draft = checked_draft(store, day, fmt, config, version)
    _at(draft, index)
    if direction not in ("up", "down"):
        raise DeskError(f"不能这样移动：{direction}")
    other = index - 1 if direction == "up" else index + 1
    order = list(range(len(draft.issue.other)))
    if not 0 <= other < len(order):
        return draft
    order[index], order[other] = order[other], order[index]
    return reorder_other(store, config, day, fmt, version=version, order=order)


def promote_other(
    store: Store, config: Config, day: dt.date, fmt: str, *, version: int, index: int, section: str = ""
) -> Draft:
    """Make a 其他 link a numbered item: from its story when the window has one (worded by the edition's
    rule), else from the link alone; it goes to ``section``, or where the edition puts the story."""
    draft = checked_draft(store, day, fmt, config, version)
    _editable(draft, config)
    link = _at(draft, index)
    story = story_by_url(store, config, day, fmt, link.url) if link.url else None
    if story is not None and any(item.story_id == story.id for item in draft.issue.items):
        raise DeskError("这条已是编号条目")
    names = section_names(config, fmt)
    if section and section not in names:
        raise DeskError(f"没有这个栏目：{section}")
    if story is not None:
        section = section or default_section(story, draft.issue, config)
        item = make_item(story, section=section, store=store, config=config, fmt=fmt)
    else:
        section = section or names[-1]
        item = Item(title=link.title, url=link.url, source=link.source, section=section)
        item.sources = [link.source] if link.source else []
    del draft.issue.other[index]
    section_of(draft.issue, section, config).items.append(item)
    return save(store, draft, config, expected_version=version, note=f"升为编号条目：{short(item.title)}")


def demote_item(store: Store, config: Config, day: dt.date, fmt: str, *, version: int, index: int) -> Draft:
    """Send a numbered item down to the end of the 其他 list, as a link with its title and source."""
    draft = checked_draft(store, day, fmt, config, version)
    name = _editable(draft, config)
    current, pos = locate(draft.issue, index)
    item = current.items.pop(pos)
    prune(draft.issue)
    draft.issue.other.append(OtherLink(title=item.title, url=item.url, source=item.source))
    return save(store, draft, config, expected_version=version, note=f"降到{name}：{short(item.title)}")
