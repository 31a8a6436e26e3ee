"""New text for one item, offered beside the editor's own: the extractive text again ("regenerate"), or the
LLM's rewrite, translation or shortening when an LLM is configured.

Nothing here changes the draft: ``propose`` answers with a ``Proposal`` the desk shows next to the current
words, and only ``apply`` (the editor taking the offer) saves it, as one version that can be undone. An LLM
proposal carries the number check's verdict (``summarize.numbers``): a number the source does not have is
named beside the offer, and the editor decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jianbao.config import Config
from jianbao.editions import get_edition
from jianbao.errors import JianbaoError
from jianbao.issue.item_text import REWORKS, edit_text, rework_text, source_text
from jianbao.records import NumberCheck
from jianbao.store import Store
from jianbao.summarize.client import client_for, settings_from_config
from jianbao.web.desk import DeskError, Draft, checked_draft, locate, save, short, story_of, summarize_story

REGENERATE = "regenerate"
LABELS: dict[str, str] = {
    REGENERATE: "重新生成摘要",
    **{action: label for action, (label, _) in REWORKS.items()},
}


@dataclass(slots=True)
class Proposal:
    """New words for the item at ``index`` of the draft at ``version``, beside its current ones."""

    index: int
    version: int
    action: str
    old_title: str
    old_summary: str
    title: str
    summary: str
    check: NumberCheck | None = None  # the number check of an LLM's words; None for the extractive text

    @property
    def label(self) -> str:
        return LABELS[self.action]

    @property
    def changed(self) -> bool:
        return (self.title, self.summary) != (self.old_title, self.old_summary)


def llm_actions(config: Config) -> list[tuple[str, str]]:
    """The LLM actions the desk offers, (action, label): none without a configured LLM."""
    if settings_from_config(config) is None:
        return []
    return [(action, label) for action, (label, _) in REWORKS.items()]


def propose(
    store: Store,
    config: Config,
    day: dt.date,
    fmt: str,
    *,
    version: int,
    index: int,
    action: str,
) -> Proposal:
    """New words for one item by ``action``; the draft is not changed."""
    if action not in LABELS:
        raise DeskError(f"没有这个操作：{action}")
    draft = checked_draft(store, day, fmt, config, version)
    section, pos = locate(draft.issue, index)
    item = section.items[pos]
    story = story_of(store, config, draft, item)
    title, summary = item.title, item.summary
    verdict: NumberCheck | None = None
    if action == REGENERATE:
        if story is None:
            raise DeskError("找不到这条的原文，无法重新生成摘要")
        summary = summarize_story(story, store, config, fmt)
    else:
        client = client_for(config, use_llm=None, cache=store)
        if client is None:
            raise DeskError("没有配置 LLM（jianbao.toml 的 [llm]），不能改写、翻译或缩短")
        if story is not None:
            sources = {s.name: s for s in store.list_sources()}
            entry, text = source_text(story, sources)
            text = "\n".join((entry.title, text, entry.summary))
        else:
            text = item.summary
        chars = get_edition(fmt).settings(config).summary_chars
        try:
            title, summary, verdict = rework_text(item, text, action, client, summary_chars=chars)
        except JianbaoError as exc:
            raise DeskError(f"LLM 没能{LABELS[action]}：{exc.message}") from None
    return Proposal(index, draft.version, action, item.title, item.summary, title, summary, verdict)


def apply(
    store: Store,
    config: Config,
    day: dt.date,
    fmt: str,
    *,
    version: int,
    index: int,
    action: str,
    title: str,
    summary: str,
) -> Draft:
    """Take an offer: the item's title and summary become the proposed ones, saved as one version."""
    draft = checked_draft(store, day, fmt, config, version)
    section, pos = locate(draft.issue, index)
    item = section.items[pos]
    try:
        if title.strip() and title.strip() != item.title:
            edit_text(item, "title", title)
        edit_text(item, "summary", summary)
    except ValueError as exc:
        raise DeskError(str(exc)) from None
    label = LABELS.get(action, "新文本")
    return save(store, draft, config, expected_version=version, note=f"采用{label}：{short(item.title)}")
