"""TEMPORARY minimal reader of the daily 早报 layout, for the cluster benchmark and the June 2026 test.

Replace with the archive importer once it lands; this reads only what ``find_repeats`` needs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

_SECTIONS = ("今日精选", "国际动态", "中文圈")
_FILE_RE = re.compile(r"AI简报(\d{8})\.md$")
_ITEM_RE = re.compile(r"^(?:[-*]\s+)?([🔴🟡⚪])(?:/[🔴🟡⚪])*\s*(.*)$")
_BOLD_TITLE_RE = re.compile(r"^\*\*(.+?)\*\*\s*")
_ENTITY_RE = re.compile(r"^\*\*\[?(.*?)\]?\*\*\s*")
_LINK_RE = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")


@dataclass(slots=True)
class DailyItem:
    date: dt.date
    index: int
    section: str
    entity: str
    title: str
    text: str
    urls: list[str] = field(default_factory=list)


def read_daily(path: Path) -> list[DailyItem]:
    """The 🔴/🟡/⚪ lines under 今日精选 / 国际动态 / 中文圈, in order, indexed from 0."""
    match = _FILE_RE.search(path.name)
    if not match:
        return []
    date = dt.datetime.strptime(match.group(1), "%Y%m%d").date()
    items: list[DailyItem] = []
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = next((s for s in _SECTIONS if s in line), "")
            continue
        if not section:
            continue
        m = _ITEM_RE.match(line.strip())
        if not m:
            continue
        rest = m.group(2)
        entity = ""
        em = _ENTITY_RE.match(rest)
        if em:
            entity = em.group(1).strip()
            rest = rest[em.end() :]
        urls = [u for _, u in _LINK_RE.findall(rest)]
        title = ""
        lm = _LINK_RE.match(rest)
        bm = _BOLD_TITLE_RE.match(rest)
        if bm:
            title = bm.group(1).strip()
            rest = rest[bm.end() :]
        elif lm:
            title = lm.group(1).strip()
            rest = rest[lm.end() :]
        text = _LINK_RE.sub(lambda x: "" if x.group(1) == "来源" else x.group(1), rest)
        text = re.sub(r"（\s*[；;]?\s*）|\(\s*\)", "", text).lstrip(" —-–:：").strip()
        if not title:
            for sep in (" — ", "。", "，"):
                if sep in text[:90]:
                    title, _, text = text.partition(sep)
                    break
            else:
                title = text[:60]
        items.append(DailyItem(date, len(items), section, entity, title, text, urls))
    return items


def read_archive(folder: Path) -> list[tuple[dt.date, list[DailyItem]]]:
    """All daily issues in a folder, in date order."""
    issues = []
    for path in sorted(folder.glob("AI简报*.md")):
        items = read_daily(path)
        if items:
            issues.append((items[0].date, items))
    return sorted(issues, key=lambda x: x[0])
