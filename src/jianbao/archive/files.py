"""Where issues live on disk: the archive's file names (``YYYY/AI简报YYYYMMDD.md``), finding issue files,
and ``write_issue``, the one function that writes an issue's files (build, demo, render, publish, desk)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from jianbao.config import Config
from jianbao.editions import Edition
from jianbao.records import Issue
from jianbao.render import get_renderer

ISSUE_SUFFIXES = (".md", ".markdown", ".txt")


def archive_stem(day: dt.date) -> str:
    """The archive names every issue of a day ``AI简报YYYYMMDD``, whatever its edition."""
    return f"AI简报{day:%Y%m%d}"


def issue_filename(day: dt.date) -> str:
    return f"{archive_stem(day)}.md"


def archive_path(root: Path, day: dt.date) -> Path:
    """``root/YYYY/AI简报YYYYMMDD.md``, the archive's own layout."""
    return root / f"{day:%Y}" / issue_filename(day)


def find_issue_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and every Markdown/text file below given folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ISSUE_SUFFIXES
            )
        else:
            yield path


def render_outputs(
    issue: Issue,
    edition: Edition,
    formats: Sequence[str],
    *,
    config: Config | None = None,
    texts: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The text of each output file of ``issue``, by format: what ``write_issue`` writes, and what the desk's
    preview shows, so the preview is the file. ``texts`` are outputs already made, taken as given."""
    options = edition.render_options(config)
    out: dict[str, str] = {}
    for fmt in formats:
        given = (texts or {}).get(fmt)
        out[fmt] = given if given is not None else get_renderer(fmt).render(issue, **options)
    return out


def write_issue(
    issue: Issue,
    edition: Edition,
    out_dir: Path,
    formats: Sequence[str],
    *,
    config: Config | None = None,
    stem: str | None = None,
    texts: Mapping[str, str] | None = None,
) -> dict[str, Path]:
    """Write ``issue`` in each output format to ``out_dir/<stem><suffix>``; returns the paths by format.

    ``stem`` defaults to the edition's file name (``AI早报YYYYMMDD``); ``texts`` are outputs already made
    (the build's Markdown, an editor's draft), written exactly as given; the rest are rendered with the
    edition's options from ``config``. Each file is replaced atomically, so a reader never sees half of one.
    """
    name = stem or edition.file_stem(issue.date)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for fmt, text in render_outputs(issue, edition, formats, config=config, texts=texts).items():
        path = out_dir / f"{name}{get_renderer(fmt).suffix}"
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        written[fmt] = path
    return written
