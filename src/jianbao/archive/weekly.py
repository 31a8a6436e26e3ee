"""Parse a weekly "AI 简报" Markdown issue (2020–2021 layouts and the seeds) into items, 导读 and 其他."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from jianbao.archive.md import (
    BARE_URL_RE,
    FENCE_RE,
    HEADING_RE,
    LINK_RE,
    images_in,
    is_url,
    label_before,
    make_link,
    strip_markdown,
    urls_in,
)
from jianbao.issue.intro import SOLAR_TERMS
from jianbao.records import Intro, Item, Link, OtherLink

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_NUM_RE = re.compile(r"^([0-9０-９]{1,3})\s*[.、．](?![0-9０-９])\s*(.*)$")
_LINK_NUM_RE = re.compile(r"^\[\s*([0-9０-９]{1,3})\s*[.、．](?![0-9０-９])\s*")
_TAGS_RE = re.compile(r"【([^】]*)】|（([^）]*)）|\(([^)]*)\)")
_TAG_PREFIX_RE = re.compile(r"^\s*((?:【[^】]*】|（[^）]*）|\([^)]*\)|\s)*)")
_LIST_ITEM_RE = re.compile(r"^([0-9]{1,3})[.、]\s+(.*)$")
_OTHER_ENTRY_RE = re.compile(r"^(?:[-*+]|[0-9]{1,3}[.、])\s+(.*)$")
_TITLE_RE = re.compile(r"^AI\s*简报\s*\d{8}\s*期?$")
_OTHER_NAME_RE = re.compile(r"^(其他|其它|other)\S{0,4}$", re.IGNORECASE)
_PENTAD_RE = re.compile(r"(今日|明日|今天|明天)([^，,~～。！!\s]*)")
_PENTAD_NEXT_RE = re.compile(r"^\s*[，,]\s*([一二三初末][侯候][^，,~～。！!\s]*)")


@dataclass(slots=True)
class _Raw:
    """An item while its lines are being collected."""

    n: int
    section: str | None
    title: str
    url: str | None
    source: str | None
    tags: list[str]
    line: int
    level: int  # heading level, or 0 for a numbered list entry
    lines: list[tuple[int, str]] = field(default_factory=list)


def _fence_mask(lines: list[str]) -> tuple[list[bool], int | None]:
    """True for lines inside (or opening/closing) a code fence; also the line of an unclosed fence."""
    mask: list[bool] = []
    opener: str | None = None
    opened_at: int | None = None
    for number, line in enumerate(lines, 1):
        m = FENCE_RE.match(line)
        if opener is None and m:
            opener, opened_at = m.group(1), number
            mask.append(True)
        elif opener is not None:
            mask.append(True)
            if m and m.group(1) == opener and line.strip().strip(opener[0]) == "":
                opener = None
        else:
            mask.append(False)
    return mask, (opened_at if opener is not None else None)


def _other_name(text: str) -> bool:
    name = strip_markdown(text).strip().rstrip(":：").strip()
    return bool(_OTHER_NAME_RE.match(name))


def _split_source(text: str) -> tuple[str, str | None]:
    """``title | source`` → (title, source); a long tail is part of the title, not a source."""
    for bar in ("|", "｜"):
        if bar in text:
            head, _, tail = text.rpartition(bar)
            tail = tail.strip().rstrip("、，,").strip()
            if tail and len(tail) <= 30 and head.strip():
                return head.strip(), tail
    return text.strip(), None


def _tags(prefix: str) -> list[str]:
    tags: list[str] = []
    for m in _TAGS_RE.finditer(prefix):
        tag = next(g for g in m.groups() if g is not None).strip()
        if tag:
            tags.append(tag)
    return tags


def _heading_fields(
    rest: str, path: str, line: int, warnings: list[str], *, number_in_link: bool = False
) -> tuple[str, str | None, str | None, list[str]]:
    """(title, url, source, tags) from a heading or list entry with its number removed."""
    m = LINK_RE.search(rest)
    if m and m.group(1).strip():
        prefix, text, target, suffix = rest[: m.start()], m.group(1), m.group(2), rest[m.end() :]
        if number_in_link:
            text = re.sub(r"^\s*[0-9０-９]{1,3}\s*[.、．]\s*", "", text)
        title = strip_markdown(text)
        url = target if is_url(target) else None
        if url is None:
            problem = "empty link target" if not target else f"link target is not a URL: {target[:40]}"
            warnings.append(f"{path}:{line}: {problem}")
        source = None
        tail = strip_markdown(suffix)
        if "|" in tail or "｜" in tail:
            _, source = _split_source("x" + tail)
        return title, url, source, _tags(prefix)
    broken = re.search(r"\[([^\]]+)\]\((\S*)$", rest)
    if broken:
        warnings.append(f"{path}:{line}: unterminated link, title kept and URL dropped")
        prefix = rest[: broken.start()]
        return strip_markdown(broken.group(1)), None, None, _tags(prefix)
    plain = strip_markdown(rest)
    tag_prefix = _TAG_PREFIX_RE.match(plain)
    tags = _tags(tag_prefix.group(1)) if tag_prefix else []
    plain = plain[tag_prefix.end() :] if tag_prefix else plain
    title, source = _split_source(plain)
    return title, None, source, tags


def _tag_prefix_end(text: str) -> int:
    """Where the leading tags (【…】, （…）, whitespace) end; the pattern matches at least the empty string."""
    m = _TAG_PREFIX_RE.match(text)
    return m.end() if m else 0


def _is_link_only(text: str) -> bool:
    """A heading that is only a story link, optionally tagged and followed by ``| source``."""
    m = LINK_RE.search(text)
    if not m or not is_url(m.group(2)):
        return False
    prefix = text[: m.start()]
    if _tag_prefix_end(prefix) != len(prefix):
        return False
    tail = strip_markdown(text[m.end() :])
    return tail == "" or tail.startswith(("|", "｜"))


def _starts_with_story_link(text: str) -> bool:
    m = LINK_RE.match(text.strip())
    if m is None:
        m = LINK_RE.search(text)
        if m is None or _tag_prefix_end(text[: m.start()]) != m.start():
            return False
    return is_url(m.group(2))


def parse_intro(lines: list[str], first_heading: int) -> tuple[dict[str, Any], Intro | None]:
    """The 导读 blockquote(s) before the first heading: date, counts, reading time, almanac phrase."""
    quote = [ln.lstrip(">").strip() for ln in lines[:first_heading] if ln.lstrip().startswith(">")]
    text = "\n".join(q for q in quote if q)
    data: dict[str, Any] = {
        "issue_date": None,
        "item_count": None,
        "chars_stated": None,
        "read_minutes_stated": None,
        "pentad_phrase": None,
        "remark": None,
    }
    if "导读" not in text:
        return data, None
    lead = next(q for q in quote if "导读" in q)
    if m := re.search(r"AI\s*简报\s*(\d{8})\s*期", text):
        data["issue_date"] = m.group(1)
    if m := re.search(r"带来\s*(\d+)\s*条", lead):
        data["item_count"] = int(m.group(1))
    if m := re.search(r"一共\s*(\d+)\s*\+?\s*多?\s*字", text):
        data["chars_stated"] = int(m.group(1))
    if m := re.search(r"(\d+)\s*[~～\-–]\s*(\d+)\s*分钟", text):
        data["read_minutes_stated"] = [int(m.group(1)), int(m.group(2))]
    phrase = None
    for m in _PENTAD_RE.finditer(lead):
        body = m.group(2)
        if any(t in body for t in SOLAR_TERMS) or re.search(r"[侯候]|节|日$", body):
            phrase = m.group(0)
            if nxt := _PENTAD_NEXT_RE.match(lead[m.end() :]):
                phrase += "，" + nxt.group(1)
            break
    data["pentad_phrase"] = phrase
    remark = re.sub(r"^导读[：:]\s*", "", lead)
    remark = re.sub(r"本期为\s*AI\s*简报\s*\d{8}\s*期[，,]?", "", remark)
    remark = re.sub(r"将为您带来[^，,~]*?条相关新闻[，,]?", "", remark)
    if phrase:
        remark = remark.replace(phrase, "")
    remark = remark.strip(" ，,~～")
    data["remark"] = remark or None
    intro = Intro(
        issue_date=data["issue_date"] or "",
        item_count=data["item_count"],
        chars=data["chars_stated"],
        read_minutes=tuple(data["read_minutes_stated"]) if data["read_minutes_stated"] else None,
        almanac=phrase,
        remark=data["remark"],
    )
    return data, intro


def _fallback_level(lines: list[str], mask: list[bool]) -> int | None:
    """Seed-000 layout: no numbered or link headings, so items are the level just below the sections."""
    levels: set[int] = set()
    for line, fenced in zip(lines, mask, strict=True):
        if fenced:
            continue
        entry = _LIST_ITEM_RE.match(line)
        if entry and _starts_with_story_link(entry.group(2)):
            return None
        m = HEADING_RE.match(line)
        if not m:
            continue
        text = m.group(2)
        if _TITLE_RE.match(strip_markdown(text)) or _other_name(text):
            continue
        if _NUM_RE.match(text) or _LINK_NUM_RE.match(text) or _is_link_only(text):
            return None
        levels.add(len(m.group(1)))
    ordered = sorted(levels)
    if len(ordered) >= 2:
        return ordered[1]
    return ordered[0] if ordered else None


def _rest_is_link_list(lines: list[str], start: int, mask: list[bool]) -> bool:
    """After a ``---`` rule: is everything up to the next heading a plain list of links?"""
    seen = False
    for i in range(start, len(lines)):
        line = lines[i]
        if mask[i] or HEADING_RE.match(line):
            break
        if not line.strip():
            continue
        m = _OTHER_ENTRY_RE.match(line)
        if not m or not _starts_with_story_link(m.group(1)):
            return False
        seen = True
    return seen


def _finish(raw: _Raw) -> tuple[dict[str, Any], Item]:
    """Links, images, summary and body of one collected item."""
    body_lines = raw.lines[1:]  # the heading (or list entry line) is not part of the body
    if raw.level == 0 and body_lines:
        dedented = textwrap.dedent("\n".join(t for _, t in body_lines)).split("\n")
        body_lines = [(n, t) for (n, _), t in zip(body_lines, dedented, strict=True)]
    body_text = "\n".join(t for _, t in body_lines)
    images = images_in(body_text)
    links: list[Link] = []
    seen: set[str] = set()
    if raw.url:
        seen.add(raw.url)
    dropped: set[int] = set()
    pending_label: tuple[int, str] | None = None
    for idx, (_, line) in enumerate(body_lines):
        stripped = line.lstrip(">").strip()
        if not stripped:
            continue
        found = urls_in(line)
        own_label = label_before(line)
        if not found:
            only_images = strip_markdown(stripped.lstrip("-*+ ")) == "" and images_in(line)
            if only_images:
                dropped.add(idx)
            pending_label = (idx, own_label) if own_label and re.search(r"[：:]\**\s*$", stripped) else None
            continue
        url_only = BARE_URL_RE.fullmatch(stripped.lstrip("-*+ ").strip("*").strip()) is not None
        label = own_label
        if label is None and url_only and pending_label:
            label = pending_label[1]
            dropped.add(pending_label[0])
        if (
            own_label and re.match(r"^[>\s\-*+]*\**[^：:]{1,25}[：:]\s*\**\s*<?https?://\S+\s*$", line)
        ) or url_only:
            dropped.add(idx)
        pending_label = None
        for position, url, _text in found:
            if url in seen:
                continue
            seen.add(url)
            first = position == found[0][0]
            links.append(make_link(url, label if first else None))
    summary_lines = [t for i, (_, t) in enumerate(body_lines) if i not in dropped]
    summary = re.sub(r"\n(?:>?\s*\n){2,}", "\n\n", "\n".join(summary_lines)).strip()
    summary = re.sub(r"^(?:>\s*\n)+|(?:\n>\s*)+$", "", summary).strip()
    data = {
        "n": raw.n,
        "section": raw.section,
        "title": raw.title,
        "url": raw.url,
        "source": raw.source,
        "tags": raw.tags,
        "links": [link.url for link in links],
        "images": images,
        "line": raw.line,
    }
    item = Item(
        title=raw.title,
        url=raw.url,
        source=raw.source,
        section=raw.section or "",
        number=raw.n,
        tags=list(raw.tags),
        summary=summary,
        images=images,
        links=links,
        body="\n".join(t for _, t in raw.lines).strip("\n"),
    )
    return data, item


@dataclass(slots=True)
class _Walk:
    """Where the line-by-line walk of an issue stands: the open section and item, and the 其他 list."""

    path: str
    fallback: int | None  # the heading level that makes an item in the seed-000 layout
    warnings: list[str]
    title: str = ""
    section: str | None = None
    other_mode: bool = False
    current: _Raw | None = None
    raws: list[_Raw] = field(default_factory=list)
    other: list[dict[str, Any]] = field(default_factory=list)
    last_other: dict[str, Any] | None = None

    def close(self) -> None:
        if self.current is not None:
            self.raws.append(self.current)
            self.current = None

    def new_item(self, number: int | None, rest: str, line_no: int, level: int, raw_line: str) -> _Raw:
        t, url, source, tags = _heading_fields(
            rest, self.path, line_no, self.warnings, number_in_link=bool(_LINK_NUM_RE.match(rest))
        )
        n = number if number is not None else len(self.raws) + 1
        raw = _Raw(n, self.section, t, url, source, tags, line_no, level)
        raw.lines.append((line_no, raw_line))
        return raw


def _read_heading(walk: _Walk, heading: re.Match[str], line: str, line_no: int) -> None:
    """A heading: the issue title, a section, the 其他 section, a new item, or a sub-heading of an item."""
    level, htext = len(heading.group(1)), heading.group(2)
    num = _NUM_RE.match(htext)
    lnum = _LINK_NUM_RE.match(htext)
    plain = strip_markdown(htext)
    is_title = bool(_TITLE_RE.match(plain))
    is_other = _other_name(_NUM_RE.sub(r"\2", htext) if num else htext)
    is_item = (
        not is_title
        and not is_other
        and (bool(num) or bool(lnum) or _is_link_only(htext) or (walk.fallback == level))
    )
    current = walk.current
    if current is not None and not is_item and current.level and level > current.level:
        current.lines.append((line_no, line))
        return
    walk.close()
    walk.last_other = None
    if is_item:
        number: int | None
        if num:
            number, rest = int(num.group(1).translate(_FULLWIDTH_DIGITS)), num.group(2)
        elif lnum:
            number, rest = int(lnum.group(1).translate(_FULLWIDTH_DIGITS)), htext
        else:
            number, rest = None, htext
        walk.current = walk.new_item(number, rest, line_no, level, line)
    elif is_title:
        walk.title = plain
    elif is_other:
        walk.section, walk.other_mode = plain.split(".", 1)[-1].strip().rstrip(":：").strip(), True
    else:
        walk.section = re.sub(r"^[0-9０-９]+\s*[.、．]\s*", "", plain).rstrip(":：").strip() or None
        walk.other_mode = False


def _read_item_line(walk: _Walk, lines: list[str], i: int, mask: list[bool]) -> bool:
    """A numbered list entry that opens an item, or a line of the open item; False when it is neither."""
    line, line_no = lines[i], i + 1
    if walk.current is None or walk.current.level == 0:
        entry = _LIST_ITEM_RE.match(line)
        if entry and not walk.other_mode and _starts_with_story_link(entry.group(2)):
            walk.close()
            walk.current = walk.new_item(int(entry.group(1)), entry.group(2), line_no, 0, line)
            return True
        if walk.current is not None and line.strip() and not line[:1].isspace():
            walk.close()
    if walk.current is None:
        return False
    if re.match(r"^\s{0,3}(-{3,}|\*{3,}|_{3,})\s*$", line) and _rest_is_link_list(lines, i + 1, mask):
        walk.close()
        walk.other_mode = True
        return True
    walk.current.lines.append((line_no, line))
    return True


def _read_other_line(walk: _Walk, line: str, line_no: int) -> None:
    """One line of the 其他 list: a new link entry, or an indented line that supplies a missing URL."""
    if line[:1].isspace():
        if walk.last_other is not None and walk.last_other["url"] is None:
            found = urls_in(line)
            if found:
                walk.last_other["url"] = found[0][1]
        return
    m = _OTHER_ENTRY_RE.match(line)
    content = m.group(1) if m else line
    if m is None and not _starts_with_story_link(line):
        return  # a bold sub-heading such as **项目** inside the 其他 list
    t, url, source, _tags_found = _heading_fields(content, walk.path, line_no, walk.warnings)
    t = re.sub(r"^论文名称[：:]\s*", "", t)
    if url is None and (found := urls_in(content)):
        url = found[0][1]
    walk.last_other = {"title": t, "url": url, "source": source, "line": line_no}
    walk.other.append(walk.last_other)


def parse_weekly(text: str, *, path: str) -> dict[str, Any]:
    """Everything a weekly issue holds; returns keys intro, intro_record, items, records, other, warnings."""
    warnings: list[str] = []
    lines = text.split("\n")
    mask, unclosed = _fence_mask(lines)
    if unclosed is not None:
        warnings.append(f"{path}:{unclosed}: code fence never closed; the rest of the file is code")
    first_heading = next(
        (i for i, ln in enumerate(lines) if not mask[i] and HEADING_RE.match(ln)),
        len(lines),
    )
    intro, intro_record = parse_intro(lines, first_heading)
    walk = _Walk(path=path, fallback=_fallback_level(lines, mask), warnings=warnings)
    for i, line in enumerate(lines):
        if mask[i]:
            if walk.current is not None:
                walk.current.lines.append((i + 1, line))
            continue
        if heading := HEADING_RE.match(line):
            _read_heading(walk, heading, line, i + 1)
        elif not _read_item_line(walk, lines, i, mask) and walk.other_mode and line.strip():
            _read_other_line(walk, line, i + 1)
    walk.close()
    items: list[dict[str, Any]] = []
    records: list[Item] = []
    for raw in walk.raws:
        data, item = _finish(raw)
        items.append(data)
        records.append(item)
    return {
        "title": walk.title,
        "intro": intro,
        "intro_record": intro_record,
        "items": items,
        "records": records,
        "other": walk.other,
        "other_records": [OtherLink(o["title"], o["url"], o["source"]) for o in walk.other],
        "warnings": warnings,
    }
