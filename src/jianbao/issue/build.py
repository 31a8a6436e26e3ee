"""Build an issue of any edition: stored entries → stories → a composed, worded, rendered issue saved as a draft.

``build`` reads top to bottom; each step is one call into its home:

  gather stories     issue/gather.py      the window's entries clustered, history marked, judged on topic
                                          (issue/relevance.py), scored
  trending table     issue/trending.py    the GitHub 趋势 rows, for an edition that has the table
  pick and section   edition.compose      editions/weekly.py, editions/daily.py (select.rank orders them)
  the items' text    issue/item_text.py   the edition's extractive rule on the cleaned article, then the LLM's
                                          text (number-checked) when one is configured
  the 导读            issue/intro.py       count, reading time and almanac, for an edition that has one
  render and write   render/, archive/files.write_issue
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jianbao.archive.files import write_issue
from jianbao.config import Config
from jianbao.editions import Edition, get_edition
from jianbao.errors import LLMError
from jianbao.issue.compose import Pick
from jianbao.issue.gather import NothingToBuild, gather_stories
from jianbao.issue.intro import finalize_intro
from jianbao.issue.item_text import ItemText, llm_texts
from jianbao.issue.moments import moments_text
from jianbao.issue.relevance import explain_off_topic
from jianbao.issue.select import rank
from jianbao.issue.trending import llm_describer, news_stories, trending_table
from jianbao.records import Issue, Story
from jianbao.render import get_renderer
from jianbao.store import Store
from jianbao.stories.signature import no_gc
from jianbao.summarize.client import client_for
from jianbao.summarize.llm import LLMClient
from jianbao.summarize.numbers import check_numbers

__all__ = ["BUILD_STEPS", "BuildResult", "NothingToBuild", "build"]

# What ``build`` reports to its ``progress`` callback, in order (the LLM step only when one is used).
BUILD_STEPS = ("gathering stories", "trending table", "composing", "LLM texts", "rendering", "saving", "writing files")


@dataclass(slots=True)
class BuildResult:
    """What a build made: the issue, why each story is where it is, the stories considered, how each item's
    extractive text was made (``texts``, by story id; the LLM's number check is on each item as
    ``Item.number_check``), the files written, one line per thing that fell back, and what the LLM cost."""

    issue: Issue
    picks: list[Pick]
    stories: list[Story]
    files: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    usage: str | None = None
    texts: dict[str, ItemText] = field(default_factory=dict)


def build(
    store: Store,
    config: Config,
    day: dt.date,
    edition: Edition | str = "weekly",
    *,
    out_dir: Path | None = None,
    formats: Sequence[str] | None = None,
    use_llm: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the issue of ``edition`` (an ``Edition`` or its name) for ``day`` from the stored entries, save
    it as a draft and, with ``out_dir``, write its files (``formats``, default ``[output] formats``).

    ``use_llm``: None uses the LLM when one is configured (``[llm]`` or ``JIANBAO_LLM_*``), True insists
    (a ConfigError without one), False never does. The LLM judges the stories whose topic the relevance
    rules are unsure of, writes Chinese titles and summaries (checked: their numbers must be their
    sources'), the trending rows' lines, decides sections the rules are unsure of and writes the issue's one-liner, insights and 朋友圈 text; every failure falls back to the
    extractive result with one line in ``BuildResult.warnings``; ``BuildResult.usage`` says what it cost.
    Raises NothingToBuild when the store has no entry in the edition's window. ``progress`` is told each of
    ``BUILD_STEPS`` as it starts.
    """
    # thousands of small acyclic objects (the window's entries, stories, their features): the collector's full
    # passes over them would cost more than the build's own work
    with no_gc():
        return _build(store, config, day, edition, out_dir=out_dir, formats=formats, use_llm=use_llm, progress=progress)


def _build(
    store: Store,
    config: Config,
    day: dt.date,
    edition: Edition | str,
    *,
    out_dir: Path | None,
    formats: Sequence[str] | None,
    use_llm: bool | None,
    progress: Callable[[str], None] | None,
) -> BuildResult:
    step = progress or (lambda _name: None)
    edition = get_edition(edition) if isinstance(edition, str) else edition
    client = client_for(config, use_llm=use_llm, cache=store)
    sources = {s.name: s for s in store.list_sources()}
    warnings: list[str] = []
    step("gathering stories")
    judge = client.judge_topics_sync if client is not None else None  # the LLM decides the unsure stories
    stories = gather_stories(store, config=config, day=day, edition=edition, require_entries=True, judge=judge)
    step("trending table")
    describe = llm_describer(client, warnings) if client is not None else None
    trending, table_sources = trending_table(store, edition, config, day, describe=describe)
    news = news_stories(stories, table_sources) if edition.trending else stories
    decide = edition.decider(client, config) if client is not None else None
    summarize = edition.summarizer(config, sources=sources, translates=client is not None)
    step("composing")
    issue, picks = edition.compose(
        rank(news), day=day, config=config, sources=sources, trending=trending, decide=decide,
        summarize=summarize,
    )  # fmt: skip
    picks += explain_off_topic(news, picks)  # why a high-scoring story is not in the issue
    result = BuildResult(issue=issue, picks=picks, stories=stories, warnings=warnings, texts=summarize.texts)
    if client is not None:
        step("LLM texts")
        result.warnings += decide.warnings if decide is not None else []
        names = {name: src.display_name for name, src in sources.items()}
        result.warnings += llm_texts(
            issue, {s.id: s for s in news}, client, style=edition.llm_style, sources=sources,
            source_name=lambda n: names.get(n, n), budget=summarize.budget,
        )  # fmt: skip
        result.warnings += _llm_issue_texts(issue, edition, client)
        if edition.moments.follows_items:  # the kept 朋友圈 text is what every output prints, fitted
            issue.moments = moments_text(issue, edition.moments)
        result.usage = client.format_usage()
    if not issue.items:
        result.warnings.append(f"no stories for the {edition.name} of {day}: nothing fetched in the window?")
    step("rendering")
    markdown = get_renderer("markdown")
    options = edition.render_options(config)
    if edition.computes_intro:
        finalize_intro(issue, lambda i: markdown.render(i, **options))
    text = markdown.render(issue, **options)
    step("saving")
    store.save_issue(issue, markdown=text)
    if out_dir is not None:
        step("writing files")
        result.files = write_issue(
            issue, edition, out_dir, formats or config.output.formats, config=config, texts={"markdown": text}
        )
    return result


def _llm_issue_texts(issue: Issue, edition: Edition, client: LLMClient) -> list[str]:
    """The one-liner, the 💡 insights (an edition that has them) and the 朋友圈 text from the LLM; the
    computed ones stay on failure."""
    if not issue.items:
        return []
    try:
        extras = client.issue_extras_sync(issue.items, date=issue.date, format=issue.format)
    except LLMError as error:
        return [f"LLM issue texts failed ({error}); computed one-liner and 朋友圈 text used"]
    # The issue's texts retell its items: a number none of them has is the LLM's invention.
    told = "\n".join(f"{item.title}\n{item.summary}" for item in issue.items)
    warnings: list[str] = []
    one_liner = extras.one_liner.strip()
    if check_numbers(one_liner, source=told).passed:
        issue.one_liner = one_liner
    else:
        warnings.append("LLM one-liner has numbers no item has; computed one-liner used")
    moments = extras.moments.strip()
    if check_numbers(moments, source=told).passed:
        issue.moments = moments
    else:
        warnings.append("LLM 朋友圈 text has numbers no item has; computed one used")
    if edition.insights:
        insights = [s.strip() for s in extras.insights]
        issue.insights = [s for s in insights if check_numbers(s, source=told).passed]
        if len(issue.insights) < len(insights):
            warnings.append(f"{len(insights) - len(issue.insights)} LLM insights have numbers no item has; left out")
    return warnings
