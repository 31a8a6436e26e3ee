"""Parse a daily "AI 早报" Markdown issue (2026 layout and its drift) into items, trending rows and insights."""

from __future__ import annotations

import re
from typing import Any

from jianbao.archive.md import HEADING_RE, LINK_RE, is_url, make_link, strip_markdown, urls_in
from jianbao.editions import get_edition
from jianbao.editions.base import PRIORITY_MARKS
from jianbao.records import Item, Link, Priority, TrendingRow

# The daily's section names and line marks, as its edition defines them.
PRIORITIES: dict[str, Priority] = {mark: priority for priority, mark in PRIORITY_MARKS.items()}
ITEM_SECTIONS = tuple(spec.name for spec in get_edition("daily").sections)
MARKS = "|".join(PRIORITIES)
_ITEM_RE = re.compile(rf"^\s*(?:[-*+]\s+)?({MARKS})(?:/(?:{MARKS}))*\s*(.*)$")
_DATE_RE = re.compile(r"(20\d\d)\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
_REPO_RE = re.compile(r"github\.com/([\w.-]+/[\w.-]+)|`([\w.-]+/[\w.-]+)`")
_NUMBER_RE = re.compile(r"(\+?)\s*约?\s*(\d[\d,]*(?:\.\d+)?)\s*([kKwW万])?")
_TODAY_AFTER_RE = re.compile(r"^\s*(?:stars?\s*)?(?:today|今日|/日|/天|日增)", re.IGNORECASE)
_SEPARATORS = ("—", "–", "：", ":")


def section_name(heading: str) -> str:
    """Heading text without emoji and decoration: ``## 🇨🇳 中文圈`` → ``中文圈``."""
    text = strip_markdown(heading)
    text = re.sub(r"^[^\w（(]+", "", text)
    return text.strip()


def _split_sources(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"\s*/\s*|、|，|,", text) if s.strip()]


def _to_int(number: str, unit: str | None) -> int:
    value = float(number.replace(",", ""))
    if unit and unit.lower() == "k":
        value *= 1000
    elif unit and unit.lower() in ("w", "万"):
        value *= 10000
    return round(value)


def parse_stars(text: str) -> tuple[int | None, int | None]:
    """(total, today) from ``⭐约 26.5k``, ``⭐54,861（+3,278 今日）``, ``⭐1,937 stars today``, ``7.3k``."""
    total: int | None = None
    today: int | None = None
    for m in _NUMBER_RE.finditer(text):
        before = text[max(0, m.start() - 3) : m.start()]
        is_today = bool(m.group(1)) or "今日" in before or bool(_TODAY_AFTER_RE.match(text[m.end() :]))
        value = _to_int(m.group(2), m.group(3))
        if is_today and today is None:
            today = value
        elif not is_today and total is None:
            total = value
    return total, today


def _parse_item(body: str, priority: Priority, section: str) -> tuple[dict[str, Any], Item]:
    """One 🔴/🟡/⚪ line: entity, headline, outlets and URLs."""
    entity: str | None = None
    headline: str | None = None
    sources: list[str] = []
    rest = body
    bold = _BOLD_RE.search(body)
    if bold:
        inner = bold.group(1).strip()
        bracket = re.match(r"^\[([^\]]+)\]\s*(.*)$", inner)
        if bracket and not re.match(r"^\(", inner[bracket.end(1) + 1 :]):
            entity = bracket.group(1).strip()
            sources = _split_sources(entity)
            headline = bracket.group(2).strip() or None
        elif "｜" in inner and len(inner.split("｜", 1)[0]) <= 30:
            entity, headline = (x.strip() for x in inner.split("｜", 1))
            sources = [entity]
        else:
            entity = strip_markdown(inner.replace("[", "").replace("]", ""))
        rest = body[bold.end() :]
        if headline is None and (second := re.match(r"^\s*\*\*(.+?)\*\*", rest)):
            headline = strip_markdown(second.group(1))
    links = [m for m in LINK_RE.finditer(body) if is_url(m.group(2))]
    url: str | None = None
    title: str | None = None
    first_link = next((m for m in links if not bold or m.start() >= bold.end() or m.start() > 0), None)
    if first_link is not None and re.match(r"^\s*$", body[bold.end() if bold else 0 : first_link.start()]):
        url, title = first_link.group(2), strip_markdown(first_link.group(1))
    for m in links:
        label = strip_markdown(m.group(1))
        if (
            m.group(2) == url
            or label in ("来源", "原文", "链接", "source")
            or len(label) > 40
            or re.search(r"详见|见上|见下", label)
        ):
            continue
        if label not in sources:
            sources.append(label)
    trailing = re.search(r"[（(]([^（）()]*)[）)]\s*$", strip_markdown(body))
    if trailing and not sources:
        for name in _split_sources(re.sub(r"^(来源|via|source)[：:]\s*", "", trailing.group(1), flags=re.I)):
            if 0 < len(name) <= 30 and name != "来源" and not re.search(r"详见|见上|见下|see above", name):
                sources.append(name)
    if title is None:
        title = headline
    if title is None:
        plain = strip_markdown(rest).lstrip("：: ")
        for sep in ("—", " – "):
            if sep in plain:
                title = plain.split(sep, 1)[0].strip() or None
                break
    title = title or entity or strip_markdown(body)[:80]
    text = strip_markdown(body)
    found = urls_in(body)
    urls = list(dict.fromkeys(u for _, u, _ in found))
    link_records: list[Link] = [make_link(u, None) for u in urls if u != url]
    data = {
        "section": section,
        "priority": priority,
        "entity": entity,
        "title": title,
        "text": text,
        "urls": urls,
        "sources": sources,
    }
    item = Item(
        title=title,
        url=url,
        source=" / ".join(sources) or None,
        section=section,
        summary=text,
        links=link_records,
        priority=priority,
        entity=entity,
        sources=list(sources),
        body=body,
    )
    return data, item


def _table_cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _parse_trending(lines: list[tuple[int, str]]) -> list[dict[str, Any]]:
    """GitHub 今日趋势 as a table (with or without header) or as list/paragraph entries."""
    rows: list[dict[str, Any]] = []
    star_col: int | None = None
    for _, line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith(">") or re.match(r"^\|?\s*:?-{2,}", stripped):
            continue
        repo_m = _REPO_RE.search(stripped)
        if stripped.startswith("|"):
            cells = _table_cells(stripped)
            if repo_m is None:
                star_col = next(
                    (i for i, c in enumerate(cells) if re.search(r"star|⭐", c, re.IGNORECASE)), None
                )
                continue
            repo_cell = next((i for i, c in enumerate(cells) if _REPO_RE.search(c)), 0)
            desc_cell = cells[repo_cell + 1] if len(cells) > repo_cell + 1 else ""
            star_text = cells[star_col] if star_col is not None and star_col < len(cells) else ""
            if not star_text:
                star_text = desc_cell[desc_cell.find("⭐") :] if "⭐" in desc_cell else ""
            desc = desc_cell.split("⭐")[0].strip() if star_col is None else desc_cell
        elif repo_m is not None:
            text = re.sub(r"^[-*+]\s+", "", stripped)
            link = LINK_RE.match(text)
            after = text[link.end() :] if link else text[repo_m.end() :]
            after = re.sub(r"^\s*(?:—|–|-|：|:)\s*", "", after)
            if "⭐" in after:
                desc, _, tail = after.partition("⭐")
                star_text = "⭐" + tail
            else:
                desc, star_text = after, ""
        else:
            continue
        repo = (repo_m.group(1) or repo_m.group(2)).removesuffix(".git")
        stars, today = parse_stars(star_text.replace("⭐", " "))
        rows.append(
            {
                "repo": repo,
                "url": f"https://github.com/{repo}",
                "desc": strip_markdown(desc).strip(" ，,。—"),
                "stars": stars,
                "stars_today": today,
            }
        )
    return rows


def parse_daily(text: str, *, path: str, file_date: str | None) -> dict[str, Any]:
    """Everything a daily issue holds; returns the JSON-ready dict plus records and warnings."""
    warnings: list[str] = []
    lines = text.split("\n")
    date: str | None = None
    title = ""
    one_liner: str | None = None
    section: str | None = None
    in_fence = False
    items: list[dict[str, Any]] = []
    records: list[Item] = []
    sections: dict[str, list[Item]] = {}
    trending_lines: list[tuple[int, str]] = []
    insights: list[str] = []
    moments: list[str] | None = None
    for number, line in enumerate(lines, 1):
        if line.strip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if moments is not None:
            moments.append(line)
            continue
        heading = HEADING_RE.match(line)
        if heading:
            if len(heading.group(1)) == 1 and not title:
                title = strip_markdown(heading.group(2))
                if m := _DATE_RE.search(title):
                    date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            else:
                section = section_name(heading.group(2))
            continue
        if "今日一句话" in line and one_liner is None:
            one_liner = re.sub(r"^.*?今日一句话\s*[：:]?\s*", "", strip_markdown(line.lstrip("> "))).strip()
            continue
        if "朋友圈版" in line and not _ITEM_RE.match(line):
            moments = []
            continue
        kind = next((s for s in ITEM_SECTIONS if section and s in section), None)
        m = _ITEM_RE.match(line)
        if m and kind:
            data, item = _parse_item(m.group(2), PRIORITIES[m.group(1)], kind)
            data["line"] = number
            items.append(data)
            records.append(item)
            sections.setdefault(kind, []).append(item)
        elif m and section is None:
            warnings.append(f"{path}:{number}: priority line outside any section ignored")
        elif section and "GitHub" in section:
            trending_lines.append((number, line))
        elif section and "洞察" in section and line.strip() and line.strip() != "---":
            insights.append(strip_markdown(line))
    if date is None and file_date:
        date = f"{file_date[:4]}-{file_date[4:6]}-{file_date[6:8]}"
        warnings.append(f"{path}:1: no date in the title; using the file name's date")
    elif date and file_date and date.replace("-", "") != file_date:
        warnings.append(f"{path}:1: title date {date} differs from file name date {file_date}")
    trending = _parse_trending(trending_lines)
    moment_text = "\n".join(moments).strip() if moments is not None else None
    return {
        "title": title,
        "date": date,
        "one_liner": one_liner,
        "items": items,
        "records": records,
        "sections": sections,
        "github": trending,
        "trending_records": [
            TrendingRow(r["repo"], r["url"], r["desc"], r["stars"], r["stars_today"]) for r in trending
        ],
        "insights": insights,
        "moments": moment_text,
        "warnings": warnings,
    }
