"""What an edition is: one typed, frozen definition that the builder, importer, renderers, desk and site read.

An ``Edition`` says what an issue of it is called and where its files go, which sections it prints in which
order with which headings and line marks (🔴/🟡), how it picks and words its items (its compose step, its
extractive rule, its scoring, the topic its stories must be about), what stands at its top (a computed 导读, or a 今日一句话), whether it carries a
GitHub 趋势 table, and its Markdown template. ``jianbao.editions`` keeps the registry of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from jianbao.config import Config, RelevanceSettings
from jianbao.issue.compose import Pick
from jianbao.issue.item_text import Budget, ExtractiveRule, Summarize, Summarizer
from jianbao.issue.moments import Moments
from jianbao.issue.section import Decider, SectionDecider
from jianbao.issue.select import Scoring
from jianbao.records import Issue, Item, Priority, Source, Story, TrendingRow

if TYPE_CHECKING:  # pragma: no cover
    from jianbao.summarize.llm import LLMClient

__all__ = [
    "PRIORITY_MARKS",
    "Composer",
    "Edition",
    "EditionSettings",
    "ItemMaker",
    "Moments",
    "SectionSpec",
    "TrendingTable",
]

# How a line's priority is printed at its start (the daily's 🔴 lead stories, 🟡 the rest, ⚪ minor ones).
PRIORITY_MARKS: Mapping[Priority, str] = {"red": "🔴", "yellow": "🟡", "white": "⚪"}


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """A section as stored (``name``) and as printed (``heading``), with the priority of its lines."""

    name: str  # e.g. "今日精选": the stored name, what the importer and the desk match
    heading: str  # e.g. "🔥 今日精选": what the Markdown prints
    priority: Priority | None = None  # the mark of its lines; None: numbered items (the weekly)


class EditionSettings(Protocol):
    """What every edition's configuration says: its window, its history and its summary length."""

    @property
    def window_days(self) -> int: ...

    @property
    def history_days(self) -> int: ...

    @property
    def summary_chars(self) -> tuple[int, int]: ...


class Composer(Protocol):
    """An edition's compose step: ranked stories → the issue's sections and items, and why each story went
    where it went."""

    def __call__(
        self,
        ranked: Sequence[Story],
        *,
        day: dt.date,
        config: Config,
        sources: Mapping[str, Source],
        summarize: Summarize,
        trending: Sequence[TrendingRow] = (),
        decide: Decider | None = None,
    ) -> tuple[Issue, list[Pick]]: ...


class ItemMaker(Protocol):
    """An edition's item for one story in one section (what the desk adds when the editor picks a story)."""

    def __call__(
        self,
        story: Story,
        *,
        section: str,
        config: Config,
        sources: Mapping[str, Source],
        summarize: Summarize,
    ) -> Item: ...


@dataclass(frozen=True, slots=True)
class TrendingTable:
    """An edition's GitHub 趋势 table: filled from the entries of sources of ``source_kind``, ``rows`` long."""

    source_kind: str
    rows: Callable[[Config], int]


def _no_suggestion(story: Story, config: Config) -> str | None:
    return None


def _no_render_options(config: Config | None) -> dict[str, Any]:
    return {}


def _no_decider(client: LLMClient, config: Config) -> SectionDecider | None:
    return None


def _config_relevance(config: Config) -> RelevanceSettings:
    return config.relevance


@dataclass(frozen=True, slots=True)
class Edition:
    """One edition of the briefing, defined once (``editions/weekly.py``, ``editions/daily.py``).

    Templates (``issue_title``, ``short_title``, ``file_name``) are ``str.format`` strings of ``day`` and
    ``title``.
    """

    name: str  # "weekly": the issue's format, its id prefix ("weekly:2026-11-20") and ``--format``
    title: str  # "AI 简报"
    issue_title: str  # "{title} {day:%Y%m%d} 期": the title a composed issue gets
    file_name: str  # "AI简报{day:%Y%m%d}": the stem of the built files (``.md``, ``.wechat.html``, ``.txt``)
    template: str  # the Markdown template, in jianbao/render/templates or ``template_dir``
    settings: Callable[[Config], EditionSettings]  # its section of jianbao.toml (window, history, lengths)
    compose: Composer
    item: ItemMaker
    extractive: ExtractiveRule  # how its items' text is extracted (see issue/item_text.py)
    moments: Moments  # its 朋友圈 title line and pointer
    # Sections: the edition's own, printed in this order; an edition whose sections the editor configures
    # names them with ``configured_sections`` instead (the weekly: ``[weekly] sections`` in jianbao.toml).
    sections: tuple[SectionSpec, ...] = ()
    configured_sections: Callable[[Config], tuple[SectionSpec, ...]] | None = None
    default_priority: Priority | None = None  # the priority of lines in a section it does not define
    short_title: str = "{title} {day:%Y%m%d}"  # the site's label of an issue without a title of its own
    titled_by_date: bool = False  # pages name an issue by ``issue_title`` always, never by its stored title
    computes_intro: bool = False  # the 导读 (item count, 字数, reading time, almanac) opens the issue
    one_liner: Callable[[Sequence[Item]], str | None] | None = None  # the 今日一句话 rule, if it has one
    insights: bool = False  # an LLM writes its 💡 insights
    trending: TrendingTable | None = None
    scoring: Scoring = field(default_factory=Scoring)
    relevance: Callable[[Config], RelevanceSettings] = _config_relevance  # what its stories must be about
    llm_style: Literal["weekly", "daily"] = "weekly"  # which shape (and length) the LLM gives its items
    decider: Callable[[LLMClient, Config], SectionDecider | None] = _no_decider  # the LLM places unsure stories
    suggest: Callable[[Story, Config], str | None] = _no_suggestion  # the desk's suggested section
    pick_section: Callable[[Story, Issue, Config], str] | None = None  # where a picked story goes (desk)
    render_options: Callable[[Config | None], dict[str, Any]] = _no_render_options  # the renderers' options
    # The pointer a 「更新」 item carries to the issue that ran the story before, in the edition's words: a
    # ``str.format`` string of that issue's ``day`` ("已在 {day.month}/{day.day} 早报报道").
    covered_note: str = "已在 {day:%Y%m%d} 期报道"
    template_dir: Path | None = None  # where ``template`` is, for an edition shipped outside jianbao
    # How long its summaries are; None: ``summary_chars`` of its settings, the weekly's 2–4 paragraphs.
    budget: Callable[[Config], Budget] | None = None

    def budget_of(self, config: Config) -> Budget:
        """How long this edition's summaries are under ``config``."""
        if self.budget is not None:
            return self.budget(config)
        low, high = self.settings(config).summary_chars
        return Budget(low, high)

    def summarizer(
        self, config: Config, *, sources: Mapping[str, Source] | None = None, translates: bool = False
    ) -> Summarizer:
        """Its extractive rule at its budget, for its compose step, its item maker and the desk;
        ``translates``: an LLM will word the items in Chinese (see ``issue.item_text``)."""
        return Summarizer(self.extractive, self.budget_of(config), dict(sources or {}), translates=translates)

    def covered(self, issue_id: str) -> str:
        """The pointer of an update to the issue ``issue_id`` ("daily:2026-08-20" → "已在 8/20 早报报道")."""
        day = dt.date.fromisoformat(issue_id.rsplit(":", 1)[-1][:10])
        return self.covered_note.format(day=day)

    def issue_title_of(self, day: dt.date) -> str:
        return self.issue_title.format(day=day, title=self.title)

    def short_title_of(self, day: dt.date) -> str:
        return self.short_title.format(day=day, title=self.title)

    def file_stem(self, day: dt.date, config: Config | None = None) -> str:
        """The stem of the issue's files (``AI早报20261120``): the ``file_name`` of the edition's section of
        ``config`` when it has one (``[weekly] file_name``), else the edition's own."""
        template = self.file_name
        if config is not None:
            template = getattr(self.settings(config), "file_name", None) or template
        return str(template).format(day=day, title=self.title)

    def section_specs(self, config: Config) -> tuple[SectionSpec, ...]:
        """The sections of an issue of this edition, in order."""
        return self.configured_sections(config) if self.configured_sections else self.sections

    def section_names(self, config: Config) -> list[str]:
        return [spec.name for spec in self.section_specs(config)]

    def priority_of(self, section: str) -> Priority | None:
        """The priority of a line in ``section``: its spec's, else the edition's default."""
        spec = next((s for s in self.sections if s.name == section), None)
        return spec.priority if spec is not None else self.default_priority

    def default_section(self, story: Story, issue: Issue, config: Config) -> str:
        """Where a story the editor picks goes: the edition's rule, else its first section."""
        if self.pick_section is not None:
            return self.pick_section(story, issue, config)
        return self.section_names(config)[0]
