"""Entry points of the archive importer: read a file, tell weekly from daily from not-an-issue, parse it."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jianbao.archive.daily import ITEM_SECTIONS, MARKS, parse_daily
from jianbao.archive.decode import decode_bytes, normalise_newlines
from jianbao.archive.weekly import parse_weekly
from jianbao.records import Issue, Section

_FILE_DATE_RE = re.compile(r"(?<!\d)(20\d{6})(?!\d)")
_DAILY_TITLE_RE = re.compile(r"^#\s.*AI\s*早报", re.MULTILINE)
_WEEKLY_MARK_RE = re.compile(r"导读|^\[\[?_?TOC_?\]\]?\s*$|^#+\s*AI\s*简报\s*\d{8}", re.MULTILINE)
_INDEX_NAMES = {"readme", "index", "toc", "目录"}


@dataclass(slots=True)
class ParseResult:
    """What one file turned into: an issue (``data`` + ``issue``), or a ``skipped`` reason."""

    path: str
    format: str | None = None
    issue: Issue | None = None
    data: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    skipped: str | None = None


def _file_date(path: str) -> str | None:
    m = _FILE_DATE_RE.search(Path(path).name)
    return m.group(1) if m else None


def _as_date(yyyymmdd: str | None) -> dt.date | None:
    if not yyyymmdd:
        return None
    try:
        return dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


def detect_format(text: str, *, path: str = "<string>") -> tuple[str | None, str | None]:
    """("weekly" | "daily" | None, reason when None)."""
    stem = Path(path).stem.lower()
    if stem in _INDEX_NAMES:
        return None, "index/README file, not an issue"
    if not text.strip():
        return None, "empty file"
    if _DAILY_TITLE_RE.search(text) or (
        re.search(rf"^##\s.*{ITEM_SECTIONS[0]}", text, re.MULTILINE) and re.search(rf"^\s*(?:{MARKS})", text, re.MULTILINE)
    ):
        return "daily", None
    if _WEEKLY_MARK_RE.search(text):
        return "weekly", None
    if re.search(r"^#{1,3}\s*\[?\s*[0-9]{1,2}\s*[.、]\s*\S", text, re.MULTILINE):
        return "weekly", None
    if "来源" in Path(path).name:
        return None, "list of sources, not an issue"
    return None, "not an issue: no 导读, [TOC], issue title or numbered items"


def _weekly(text: str, path: str) -> ParseResult:
    parsed = parse_weekly(text, path=path)
    result = ParseResult(path=path, format="weekly", warnings=parsed["warnings"])
    if not parsed["items"]:
        result.format = None
        result.skipped = "no issue items found (no numbered or linked headings)"
        return result
    intro = parsed["intro"]
    file_date = _file_date(path)
    if intro["issue_date"] and file_date and intro["issue_date"] != file_date:
        result.warnings.append(
            f"{path}:1: 导读 states issue {intro['issue_date']}, file name says {file_date}"
        )
    if parsed["intro_record"] is None:
        result.warnings.append(f"{path}:1: no 导读 intro")
    title_date = _FILE_DATE_RE.search(parsed["title"] or "")
    date = (
        _as_date(file_date)
        or _as_date(intro["issue_date"])
        or _as_date(title_date.group(1) if title_date else None)
    )
    if date is None:
        result.warnings.append(f"{path}:1: no issue date in the file name, 导读 or title")
        date = dt.date(1970, 1, 1)
    sections: list[Section] = []
    for item in parsed["records"]:
        if not sections or sections[-1].name != item.section:
            sections.append(Section(name=item.section))
        sections[-1].items.append(item)
    if parsed["intro_record"] is not None and not parsed["intro_record"].issue_date:
        parsed["intro_record"].issue_date = file_date or ""
    result.issue = Issue(
        date=date,
        format="weekly",
        title=parsed["title"] or f"AI 简报 {date:%Y%m%d}",
        intro=parsed["intro_record"],
        sections=sections,
        other=parsed["other_records"],
        state="published",
        source_file=path,
    )
    result.data = {
        "file": path,
        "format": "weekly",
        "intro": intro,
        "items": parsed["items"],
        "other": parsed["other"],
    }
    return result


def _daily(text: str, path: str) -> ParseResult:
    file_date = _file_date(path)
    parsed = parse_daily(text, path=path, file_date=file_date)
    result = ParseResult(path=path, format="daily", warnings=parsed["warnings"])
    if not parsed["items"] or not parsed["date"]:
        result.format = None
        result.skipped = "daily layout but no 🔴/🟡/⚪ items or no date found"
        return result
    sections = [
        Section(name=s, items=parsed["sections"][s]) for s in ITEM_SECTIONS if s in parsed["sections"]
    ]
    result.issue = Issue(
        date=dt.date.fromisoformat(parsed["date"]),
        format="daily",
        title=parsed["title"],
        sections=sections,
        trending=parsed["trending_records"],
        one_liner=parsed["one_liner"],
        insights=parsed["insights"],
        moments=parsed["moments"],
        state="published",
        source_file=path,
    )
    result.data = {
        "file": path,
        "format": "daily",
        "date": parsed["date"],
        "one_liner": parsed["one_liner"],
        "items": parsed["items"],
        "github": parsed["github"],
        "insights": parsed["insights"],
        "moments": parsed["moments"],
    }
    return result


def parse_issue(text: str, *, path: str = "<string>") -> ParseResult:
    """Parse Markdown text already decoded; never raises on bad input, reports it instead."""
    text = normalise_newlines(text).lstrip("\ufeff")
    kind, reason = detect_format(text, path=path)
    try:
        if kind == "daily":
            return _daily(text, path)
        if kind == "weekly":
            return _weekly(text, path)
    except (ValueError, IndexError, KeyError, TypeError) as error:  # a layout nobody foresaw
        return ParseResult(path=path, skipped=f"parser failed: {type(error).__name__}: {error}")
    return ParseResult(path=path, skipped=reason)


def read_issue_file(path: str | Path, *, max_bytes: int = 20_000_000) -> ParseResult:
    """Read, decode and parse one file; refuses binary, unreadable and over-size files with a reason."""
    name = str(path)
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > max_bytes:
            return ParseResult(path=name, skipped=f"file too large ({size} bytes > {max_bytes})")
        data = file.read_bytes()
    except OSError as error:
        return ParseResult(path=name, skipped=f"cannot read file: {error.strerror or error}")
    if not data:
        return ParseResult(path=name, skipped="empty file")
    decoded = decode_bytes(data)
    if decoded.refused:
        return ParseResult(path=name, skipped=decoded.refused)
    result = parse_issue(decoded.text, path=name)
    result.warnings[:0] = [f"{name}:{w}" for w in decoded.warnings]
    if decoded.encoding == "gb18030":
        result.warnings.insert(0, f"{name}:1: not UTF-8; decoded as GB18030/GBK")
    return result


def to_json(results: list[ParseResult]) -> str:
    """The issues among ``results`` as a JSON array; skipped files are the caller's to report."""
    return json.dumps([r.data for r in results if r.skipped is None and r.data], ensure_ascii=False, indent=2)
