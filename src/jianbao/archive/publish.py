"""Publish an issue: mark it published in the store, write its Markdown into the archive folder, regenerate
the archive's README index and rebuild the static site.

This is the one path shared by ``jianbao publish`` and the web desk's Publish button; marking an issue
published is what makes the clustering stage treat its stories as already covered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote

from jianbao.archive.files import archive_path as layout
from jianbao.archive.files import archive_spellings, write_issue
from jianbao.archive.parse import parse_issue, read_issue_file
from jianbao.archive.site import build_site
from jianbao.config import Config
from jianbao.editions import get_edition
from jianbao.errors import ImportFileError, JianbaoError
from jianbao.records import Issue
from jianbao.render import get_renderer
from jianbao.render.sanitize import clean_text
from jianbao.store import Store

INDEX_START = "<!-- jianbao:index start -->"
INDEX_END = "<!-- jianbao:index end -->"
MONTHS = ("一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月")
README_HEADER = "# AI 简报\n\n> AI 简报（周刊）与 AI 早报的归档，由 jianbao 生成。\n"

_HREF_ESCAPES = {"%": "%25", " ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}
_YEAR_ROW_RE = re.compile(
    r"(?m)^\|\s*\d\d-\d\d\s*\|\s*\[[^\]]*\]\((?P<link>[^)]+)\)\s*\|(?P<keywords>.*)\|\s*$"
)
_CUT_RE = re.compile(r"[，。,；;：:！!？?（(|—｜]| - ")
_LATIN_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9.+\-]*[A-Za-z0-9]|[A-Z]")


@dataclasses.dataclass(frozen=True, slots=True)
class PublishResult:
    """Where publishing wrote: the archive file, the root README index and the site folder (None if not built).

    ``str(result)`` is the archive file's path, so callers that only want the path keep working.
    """

    path: Path
    readme: Path
    site_dir: Path | None

    def __str__(self) -> str:
        return str(self.path)

    def __fspath__(self) -> str:
        return str(self.path)


@dataclasses.dataclass(frozen=True, slots=True)
class IndexRow:
    """One published issue as the README index lists it."""

    date: dt.date
    link: str  # relative to the year folder, e.g. "AI简报20260822.md"
    keywords: str
    label: str = ""  # the root index's link text when a date has more than one issue ("11-20 AI 早报")


def archive_path(issue: Issue, *, config: Config) -> Path:
    """``<archive_dir>/YYYY/<file name>.md``: the edition's file name (weekly ``AI简报…``, daily ``AI早报…``)."""
    return layout(config.resolve(config.output.archive_dir), issue.date, get_edition(issue.format), config)


def _holder(path: Path) -> str | None:
    """The id of the issue a file holds (what the importer reads in it, or the stored Markdown it equals);
    None when it holds no issue."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    parsed = parse_issue(text, path=str(path))
    return parsed.issue.id if parsed.issue is not None else None


def _check_publishable(issue: Issue, path: Path, store: Store) -> None:
    """Refuse, in one line, an issue with no items and a file that holds something other than this issue."""
    if not issue.items:
        raise JianbaoError(f"{issue.id} has no items: nothing to publish", hint="add stories to the draft first")
    if not path.exists() or store.get_markdown(issue.id) == path.read_text(encoding="utf-8", errors="replace"):
        return
    holder = _holder(path)
    if holder != issue.id:
        what = f"issue {holder}" if holder else "a file that is not an issue"
        raise JianbaoError(
            f"{path} holds {what}; not overwriting it with {issue.id}",
            hint="give each edition its own [weekly]/[daily] file_name, or move that file away",
        )


def load_draft(path: Path, *, day: dt.date | None = None) -> tuple[Issue, str]:
    """A draft file as the editor left it: the issue parsed by the importer and the file's exact text."""
    result = read_issue_file(path)
    if result.skipped or result.issue is None:
        raise ImportFileError(str(path), result.skipped or "not an issue")
    issue = result.issue
    if day is not None:
        issue.date = day
        if issue.intro is not None:
            issue.intro.issue_date = f"{day:%Y%m%d}"
    issue.source_file = None  # the archive file is its home from now on
    text = path.read_bytes().decode("utf-8", errors="replace")
    return issue, text


def publish_issue(
    store: Store,
    issue: Issue,
    *,
    config: Config,
    markdown: str | None = None,
    expected_version: int | None = None,
    site: bool = True,
) -> PublishResult:
    """Save ``issue`` as published (refusing a stale ``expected_version``), write its archive file, regenerate
    the README index and, with ``site``, rebuild the static site. An issue with no items, or whose archive file
    holds another issue (or something that is not an issue), is refused before anything is written.

    ``markdown`` is written as given (an edited draft stays exactly as the editor left it); without it the
    issue is rendered in its format's house layout.
    """
    published = dataclasses.replace(issue, state="published")
    edition = get_edition(published.format)
    path = archive_path(published, config=config)
    _check_publishable(published, path, store)
    if markdown is None:
        markdown = get_renderer("markdown").render(published, **edition.render_options(config))
    store.save_issue(published, markdown=markdown, expected_version=expected_version)
    write_issue(published, edition, path.parent, ["markdown"], stem=path.stem, texts={"markdown": markdown})
    root = config.resolve(config.output.archive_dir)
    readme = write_index(store, root, config)
    site_dir = None
    if site:
        site_dir = config.resolve(config.output.site_dir)
        build_site(store, site_dir, config=config)
    return PublishResult(path=path, readme=readme, site_dir=site_dir)


# ------------------------------------------------------------------------------------------ README index
def write_index(store: Store, root: Path, config: Config | None = None) -> Path:
    """Regenerate ``root/README.md`` and each ``root/YYYY/README.md`` from the store's published issues.

    Idempotent: the same store gives byte-identical files. Text outside the generated block (between the
    ``jianbao:index`` markers) is kept, so a hand-written introduction survives. A published issue whose file
    is missing from the archive folder (imported from elsewhere) gets its stored Markdown written there, so
    every link of the index resolves.
    """
    rows = index_rows(store, root, config)
    by_year: dict[int, list[IndexRow]] = {}
    for row in rows:
        by_year.setdefault(row.date.year, []).append(row)
    for year, year_rows in by_year.items():
        _write_if_changed(
            root / str(year) / "README.md", year_readme(year, year_rows, root / str(year) / "README.md")
        )
    readme = root / "README.md"
    _write_if_changed(readme, root_readme(rows, readme))
    return readme


def index_rows(store: Store, root: Path, config: Config | None = None) -> list[IndexRow]:
    """Published issues newest first, one row per issue: a weekly and a daily of one date each get theirs."""
    published = store.published_ids()
    per_day = {day: sum(1 for d, _f, _i in published if d == day) for day, _f, _i in published}
    rows = []
    for day, _fmt, issue_id in sorted(published, key=lambda row: (row[0], row[1]), reverse=True):
        got = store.get_issue(issue_id)
        if got is None:  # deleted meanwhile
            continue
        issue, _version = got
        edition = get_edition(issue.format)
        file = _existing_file(root, issue, config)
        if file is None:
            markdown = store.get_markdown(issue.id)
            if markdown is None:
                markdown = get_renderer("markdown").render(issue)
            file = layout(root, day, edition, config)
            write_issue(issue, edition, file.parent, ["markdown"], stem=file.stem,
                        texts={"markdown": markdown})  # fmt: skip
        label = f"{day:%m-%d} {edition.title}" if per_day[day] > 1 else ""
        rows.append(IndexRow(date=day, link=file.name, keywords="、".join(issue_keywords(issue)), label=label))
    return rows


def issue_keywords(issue: Issue, *, limit: int = 4) -> list[str]:
    """The issue's top entities or titles, shortened, as the 关键词 column of the year index shows them."""
    out: list[str] = []
    seen: set[str] = set()
    for item in issue.items:
        word = _keyword(item.entity, item.title)
        key = (item.entity or word).lower()  # one keyword per entity: two DeepSeek lines give one
        if word and key not in seen:
            seen.add(key)
            out.append(word)
        if len(out) >= limit:
            break
    return out


def _keyword(entity: str | None, title: str) -> str:
    title = re.sub(r"^【[^】]*】", "", clean_text(title)).strip()
    head = _CUT_RE.split(title, maxsplit=1)[0].strip()
    if entity:
        # "DeepSeek" + "发布实验性多模态模型 V4-Flash-Vision-Exp" -> "DeepSeek V4-Flash-Vision-Exp"
        model = next((m for m in _LATIN_NAME_RE.findall(head) if m.lower() != entity.lower()), "")
        return f"{entity} {model}".strip() if model and len(model) <= 24 else entity
    return head[:14].strip() if len(head) > 14 else head


def year_readme(year: int, rows: Sequence[IndexRow], existing: Path | None = None) -> str:
    """``YYYY/README.md``: a ``| 日期 | 简报 | 关键词 |`` table, newest first. Keywords an editor already wrote
    in the existing table are kept; computed ones fill the rows that have none."""
    written = _written_keywords(existing)
    lines = ["| 日期 | 简报 | 关键词 |", "| --- | --- | --- |"]
    for row in sorted(rows, key=lambda r: r.date, reverse=True):
        stem = row.link.removesuffix(".md")
        keywords = written.get(row.link) or _cell(row.keywords)
        lines.append(f"| {row.date:%m-%d} | [{_cell(stem)}](./{_href(row.link)}) | {keywords} |")
    header = f"# {year} AI 简报\n\n## 目录\n"
    return _merge(
        existing, header, "\n".join(lines) + "\n", table_head="| 日期 | 简报 | 关键词 |", own_heading=False
    )


def _written_keywords(existing: Path | None) -> dict[str, str]:
    if existing is None or not existing.exists():
        return {}
    out = {}
    for m in _YEAR_ROW_RE.finditer(existing.read_text(encoding="utf-8")):
        name = unquote(m.group("link").removeprefix("./"))
        if m.group("keywords").strip():
            out[name] = m.group("keywords").strip()
    return out


def root_readme(rows: Sequence[IndexRow], existing: Path | None = None) -> str:
    """``README.md``: the latest issue, then per year (newest first) a ``| 月份 | 简报 |`` table."""
    if not rows:
        return _merge(existing, README_HEADER, "", table_head="| 月份 | 简报 |")
    newest = max(rows, key=lambda r: r.date)
    by_year: dict[int, dict[int, list[IndexRow]]] = {}
    for row in rows:
        by_year.setdefault(row.date.year, {}).setdefault(row.date.month, []).append(row)
    parts = []
    for year in sorted(by_year, reverse=True):
        parts.append(
            f"## {year}\n\n年度目录：[`{year}/README.md`](./{year}/README.md)\n\n| 月份 | 简报 |\n| --- | --- |"
        )
        for month in sorted(by_year[year]):
            links = ", ".join(
                f"[{r.label or format(r.date, '%m-%d')}](./{year}/{_href(r.link)})"
                for r in sorted(by_year[year][month], key=lambda r: r.date)
            )
            parts.append(f"| {MONTHS[month - 1]} | {links} |")
        parts.append("")
    block = "\n".join(parts)
    latest = f"最新：[`{newest.date.year}/{newest.link}`](./{newest.date.year}/{_href(newest.link)})"
    text = _merge(existing, README_HEADER + "\n" + latest + "\n", block, table_head="| 月份 | 简报 |")
    return re.sub(r"(?m)^最新：.*$", lambda _m: latest, text, count=1)


def _merge(
    existing: Path | None, header: str, block: str, *, table_head: str, own_heading: bool = True
) -> str:
    """The generated ``block`` inside the existing file's markers; a file without markers has its first table
    (with the heading just before it) replaced; no file gets ``header`` + block."""
    marked = f"{INDEX_START}\n{block.rstrip()}\n{INDEX_END}\n" if block else f"{INDEX_START}\n{INDEX_END}\n"
    old = existing.read_text(encoding="utf-8") if existing is not None and existing.exists() else None
    if old is None:
        return header.rstrip() + "\n\n" + marked
    if INDEX_START in old and INDEX_END in old:
        before, rest = old.split(INDEX_START, 1)
        after = rest.split(INDEX_END, 1)[1].lstrip("\n")
        return before + marked + ("\n" + after if after else "")
    lines = old.splitlines()
    starts = [
        i for i, line in enumerate(lines) if line.strip().replace(" ", "") == table_head.replace(" ", "")
    ]
    if not starts:
        return old.rstrip() + "\n\n" + marked
    start = end = starts[0]
    while end < len(lines) and lines[end].lstrip().startswith("|"):
        end += 1
    heading = start
    while heading > 0 and not lines[heading - 1].startswith("#") and start - heading < 4:
        heading -= 1
    if own_heading and heading > 0 and lines[heading - 1].startswith("## "):
        start = heading - 1
    before = "\n".join(lines[:start]).rstrip()
    after = "\n".join(lines[end:]).strip()
    return (before + "\n\n" if before else "") + marked + ("\n" + after + "\n" if after else "")


def _existing_file(root: Path, issue: Issue, config: Config | None) -> Path | None:
    """The archive's file of ``issue``: its edition's name, or an older spelling (``AI简报YYYYMMDD.md``,
    ``AI 简报YYYYMMDD.md``) that does not hold another issue (the archive named its dailies so too)."""
    own, *older = archive_spellings(root, issue.date, get_edition(issue.format), config)
    if own.exists():
        return own
    # A file of the old spelling is this issue's unless it holds another issue (the weekly of the same date).
    return next((path for path in older if _holder(path) in (issue.id, None)), None)


def _href(name: str) -> str:
    """Link target as the archive writes it: Chinese kept, spaces and the few Markdown-breaking characters escaped."""
    return "".join(_HREF_ESCAPES.get(c, c) for c in name)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        _write(path, text)
