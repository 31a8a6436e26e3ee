"""Where issues live on disk: file names like the archive's (``AI简报YYYYMMDD.md``) and finding them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

ISSUE_SUFFIXES = (".md", ".markdown", ".txt")


def issue_filename(day: dt.date) -> str:
    return f"AI简报{day:%Y%m%d}.md"


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
