"""The GitHub 今日趋势 table of an edition that has one: rows from the trending sources' entries, one per
repository, and the stories that are news rather than table rows.

A row's line is the repository's own description trimmed to whole sentences (or whole words, "…"), or,
when an LLM is configured, one Chinese line it writes (``llm_describer``), kept only when every number in
it is in the description (``summarize.numbers``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from jianbao.config import Config
from jianbao.editions.base import Edition
from jianbao.errors import LLMError
from jianbao.issue.gather import window
from jianbao.issue.item_text import trim_sentences
from jianbao.records import Entry, Story, TrendingRow
from jianbao.store import Store
from jianbao.stories.history import github_repeats

if TYPE_CHECKING:  # pragma: no cover
    from jianbao.summarize.llm import LLMClient

# (owner/name, its English description) pairs → a Chinese line for each repository it could describe
Describer = Callable[[Sequence[tuple[str, str]]], Mapping[str, str]]
DESC_CHARS = 80  # a row's description, trimmed (the archive's rows run 30–80 characters)


def llm_describer(client: LLMClient, warnings: list[str]) -> Describer:
    """Rows described in Chinese by ``client``; a failed request, or a line with a number its description
    does not have, leaves the English one and adds a line to ``warnings``."""
    # lazy: jianbao.summarize loads numpy and the LLM client; rendering an issue needs neither
    from jianbao.summarize.numbers import check_numbers

    def describe(rows: Sequence[tuple[str, str]]) -> Mapping[str, str]:
        try:
            written = client.describe_repos_sync(rows)
        except LLMError as error:
            warnings.append(f"LLM trending descriptions failed ({error}); the repositories' own used")
            return {}
        kept: dict[str, str] = {}
        for repo, desc in rows:
            line = written.get(repo, "")
            check = check_numbers(line, source=f"{repo}\n{desc}")
            if line and check.passed:
                kept[repo] = line
            elif line:
                numbers = "、".join(check.unsupported)
                warnings.append(f"LLM line for {repo} has numbers its description does not ({numbers}); kept its own")
        return kept

    return describe


def _repo_of(entry: Entry) -> str:
    return str(entry.extra.get("repo") or entry.title or "").strip()


def trending_rows(entries: Sequence[Entry], *, limit: int, describe: Describer | None = None) -> list[TrendingRow]:
    """One row per repository (its latest entry), most stars gained first, then most stars; ``describe``
    words the rows' lines (an LLM's Chinese)."""
    latest: dict[str, Entry] = {}
    for entry in entries:
        repo = _repo_of(entry)
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
            continue
        seen = latest.get(repo)
        stamp = entry.fetched or entry.published
        if seen is None or (stamp and (seen.fetched or seen.published or stamp) <= stamp):
            latest[repo] = entry

    def gained(entry: Entry) -> int:
        return int(entry.extra.get("stars_period") or entry.extra.get("stars_gained") or 0)

    ordered = sorted(
        latest.items(), key=lambda kv: (-gained(kv[1]), -int(kv[1].extra.get("stars") or 0), kv[0])
    )[:limit]
    own = {repo: str(entry.summary or entry.extra.get("description") or "").strip() for repo, entry in ordered}
    written = describe(list(own.items())) if describe is not None and own else {}
    return [
        TrendingRow(
            repo=repo,
            url=f"https://github.com/{repo}",
            desc=written.get(repo) or trim_sentences(own[repo], max_chars=DESC_CHARS),
            stars=int(entry.extra["stars"]) if entry.extra.get("stars") is not None else None,
            stars_today=gained(entry) or None,
            language=entry.extra.get("language"),
        )
        for repo, entry in ordered
    ]


def trending_table(
    store: Store,
    edition: Edition,
    config: Config,
    day: dt.date,
    *,
    limit: int | None = None,
    describe: Describer | None = None,
) -> tuple[list[TrendingRow], list[str]]:
    """The edition's table for ``day`` (``limit`` rows, else as many as it prints) and the names of the
    sources that fill it; nothing for an edition without a table. ``describe`` words the rows' lines."""
    table = edition.trending
    if table is None:
        return [], []
    names = [source.name for source in store.list_sources() if source.kind == table.source_kind]
    start, end = window(day, edition.settings(config).window_days)
    want = limit or table.rows(config)
    entries = store.trending_entries(names, start, end)
    candidates = trending_rows(entries, limit=want + 50)
    kept = {row.repo for row in fresh_rows(store, edition, config, day, candidates)[:want]}
    # Only the rows that stay are worded (an LLM's Chinese line costs a request per table, not per candidate).
    shown = [entry for entry in entries if _repo_of(entry) in kept]
    return trending_rows(shown, limit=want, describe=describe), names


def earlier_tables(
    store: Store, edition: Edition, day: dt.date, count: int
) -> list[tuple[dt.date, list[TrendingRow]]]:
    """The trending tables of the ``count`` latest published issues of the edition before ``day``."""
    if count <= 0:
        return []
    published = [r for r in store.list_issues(fmt=edition.name, state="published") if r["date"] < day]
    published.sort(key=lambda r: r["date"], reverse=True)
    out = []
    for row in published[:count]:
        found = store.get_issue(row["id"])
        if found:
            out.append((found[0].date, found[0].trending))
    return out


def fresh_rows(
    store: Store, edition: Edition, config: Config, day: dt.date, rows: Sequence[TrendingRow]
) -> list[TrendingRow]:
    """The rows worth showing: a repository one of the last ``[daily] trending_repeat_tables`` published tables
    showed comes back only when its stars grew by ``trending_stars_jump`` since (not when they cannot be
    compared)."""
    tables = earlier_tables(store, edition, day, config.daily.trending_repeat_tables)
    repeats = github_repeats(rows, tables, jump=config.daily.trending_stars_jump)
    hidden = {r.index for r in repeats if not r.stars_jump}
    return [row for i, row in enumerate(rows) if i not in hidden]


def news_stories(stories: Sequence[Story], names: Sequence[str]) -> list[Story]:
    """The stories told by at least one entry not from the trending sources ``names``, that entry first: a
    story told only by trending rows belongs in the table, not among the news lines."""
    trending = set(names)
    news = [s for s in stories if s.entries and any(e.source not in trending for e in s.entries)]
    for story in news:
        story.entries.sort(key=lambda e: e.source in trending)  # a news entry leads the item
    return news
