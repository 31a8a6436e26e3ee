"""Cleaning an article's text before anything reads it: publisher boilerplate and Markdown/HTML debris out.

The input is an entry's main text as jianbao stores it (``Entry.content``: plain text from HTML,
paragraphs separated by blank lines) or Markdown-ish text (read-later exports, feeds that carry
Markdown). The output keeps the story's paragraphs in order, each with its index among the input's
blocks, a kind (``text``, ``standfirst``, ``heading``, ``item``, ``quote``) and the article's own bold
(``**…**``); every removal names its rule, for ``--explain`` and for tests.

Two layers do the work:

* **Debris** (this module's code, structural): fenced code, table rows, images, link and emphasis syntax,
  HTML tags, horizontal rules, heading and list marks, escapes, punctuation-only lines, a read-later
  app's artefacts ("------" for "——", a drop cap split from its word).
* **Boilerplate** (data: ``rules/*.toml``, one file per publisher plus ``generic.toml``): bylines,
  导读 markers, follow/star prompts, reprint and submission footers, end marks, player labels, cards,
  captions, reference lists. A publisher's file applies when the source's name is one of its
  ``names`` or one of its ``signatures`` occurs in the text (a repost carries its origin's marks).

Rules match one line at a time; see ``rules/README.md`` for the format.
"""

from __future__ import annotations

import functools
import html
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

from jianbao.errors import ConfigError

__all__ = [
    "Action",
    "CleanArticle",
    "Kind",
    "Paragraph",
    "Removal",
    "Rule",
    "RuleBook",
    "RuleSet",
    "clean",
    "ends_sentence",
    "load_rules",
    "parse_rules",
]

Kind = Literal["text", "standfirst", "heading", "item", "quote"]
Action = Literal["drop", "strip", "standfirst", "truncate", "block"]
Where = Literal["any", "head", "tail", "body"]

# The head is where bylines, cards and 导读 live: the first blocks of the article. The tail is where
# footers live: the second half of a short article, the last 40 blocks of a long one. "body" is
# anywhere but the first three blocks (an end mark never opens an article).
HEAD_BLOCKS = 16
TAIL_BLOCKS = 40
_BODY_START = 3
# A heading (in text with no marks left) is a short line that ends no sentence.
_HEADING_MAX = 60
# Removals of these categories end a section: a lead that meets one stops there.
BREAK_CATEGORIES = frozenset({"furniture", "toc", "card", "related", "references", "end", "keypoints"})
# So do tables and code: the prose after one reads on from it ("如上表所示"), not from the lead.
BREAK_DEBRIS = frozenset({"debris/table", "debris/code"})


# --- records -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One kept block: ``index`` is its position among the input's blocks (so gaps can be checked)."""

    index: int
    text: str
    kind: Kind = "text"


@dataclass(frozen=True, slots=True)
class Removal:
    """What was taken out, where, and by which rule (``file/name``; debris rules are ``debris/…``)."""

    index: int
    text: str
    rule: str
    category: str


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """The story's paragraphs in order, what was removed, and the publisher whose rules applied."""

    paragraphs: tuple[Paragraph, ...]
    removed: tuple[Removal, ...]
    publishers: tuple[str, ...] = ()
    blocks: int = 0  # how many blocks the input had

    @property
    def text(self) -> str:
        """The kept paragraphs as plain text, paragraphs separated by blank lines."""
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def standfirst(self) -> str:
        """The publisher's own summary (导读, 编者按, a dek), markers removed; "" when there is none."""
        return "\n\n".join(p.text for p in self.paragraphs if p.kind == "standfirst")

    @property
    def breaks(self) -> frozenset[float]:
        """Where removed blocks end a section (cards, tables of contents, end marks, tables …): their indices;
        a table or code, which takes the index of the block after it, counts half a place before that."""
        return frozenset(
            r.index - 0.5 if r.rule in BREAK_DEBRIS else r.index
            for r in self.removed
            if r.category in BREAK_CATEGORIES or r.rule in BREAK_DEBRIS
        )

    def explain(self) -> list[str]:
        """One line per removal, in block order, for ``--explain`` and the desk: where, which rule, what."""
        return [f"[{r.index}] {r.rule} ({r.category}): {r.text[:80]}" for r in self.removed]

    def body(self, *, kinds: Iterable[Kind] = ("text", "quote", "item")) -> str:
        """The kept paragraphs of the given kinds, for ranking and search (headings and 导读 left out)."""
        wanted = frozenset(kinds)
        return "\n\n".join(p.text for p in self.paragraphs if p.kind in wanted)


# --- rules -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """One boilerplate rule from a TOML file; ``pattern`` is searched in each line of a block.

    ``before`` (nearest first) and ``after`` extend a ``block`` rule to the lines around its match.
    """

    name: str
    comment: str
    category: str
    action: Action
    pattern: re.Pattern[str]
    where: Where = "any"
    max_chars: int = 200
    before: tuple[re.Pattern[str], ...] = ()
    after: re.Pattern[str] | None = None
    after_max: int = 20
    require_after: bool = False
    source: str = ""  # the file it came from (stem), for ``Removal.rule``

    @property
    def qualified(self) -> str:
        return f"{self.source}/{self.name}"


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules of one file: generic ones (no names) or one publisher's."""

    name: str
    rules: tuple[Rule, ...]
    names: tuple[str, ...] = ()
    signatures: tuple[re.Pattern[str], ...] = ()

    def applies_to(self, source: str | None, text: str) -> bool:
        """Whether this publisher's rules apply: its name is the source's, or its marks are in the text."""
        if not self.names:
            return True
        if source:
            key = _name_key(source)
            if any(_name_key(n) in key for n in self.names):
                return True
        return any(sig.search(text) for sig in self.signatures)


@dataclass(frozen=True, slots=True)
class RuleBook:
    """Every rule set loaded: the generic one plus one per publisher."""

    sets: tuple[RuleSet, ...]

    def for_article(self, source: str | None, text: str) -> tuple[list[Rule], list[str]]:
        """The rules for one article (publishers' first, generic last) and the publishers that matched."""
        chosen = [s for s in self.sets if s.names and s.applies_to(source, text)]
        generic = [s for s in self.sets if not s.names]
        rules = [rule for s in (*chosen, *generic) for rule in s.rules]
        return rules, [s.name for s in chosen]

    @property
    def rules(self) -> list[Rule]:
        return [rule for s in self.sets for rule in s.rules]


def _name_key(name: str) -> str:
    return re.sub(r"[\s_\-·|｜]+", "", name).lower()


_RULE_KEYS = frozenset(
    {
        *("name", "comment", "category", "action", "pattern", "where", "max_chars", "before", "after"),
        *("after_max", "require_after"),
    }
)
_FILE_KEYS = frozenset({"publisher", "rules"})
_PUBLISHER_KEYS = frozenset({"name", "names", "signatures"})


def _compile(pattern: Any, *, path: str, rule: str, field_name: str) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise ConfigError(f"rule {rule!r}: {field_name} must be a non-empty string", path=path, key=rule)
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(
            f"rule {rule!r}: bad regular expression in {field_name}: {exc}", path=path, key=rule
        ) from exc


def _rule(raw: Any, *, path: str, stem: str, number: int) -> Rule:
    if not isinstance(raw, dict):
        raise ConfigError(f"rule #{number} is not a table", path=path)
    name = raw.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9][a-z0-9\-]*", name):
        raise ConfigError(f"rule #{number}: name must be lower-case words joined by '-'", path=path)
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise ConfigError(f"rule {name!r}: unknown keys {sorted(unknown)}", path=path, key=name)
    for key in ("comment", "category"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(f"rule {name!r}: {key} is required", path=path, key=name)
    action: Any = raw.get("action")
    if action not in get_args(Action):
        raise ConfigError(f"rule {name!r}: action must be one of {get_args(Action)}", path=path, key=name)
    where = raw.get("where", "any")
    if where not in get_args(Where):
        raise ConfigError(f"rule {name!r}: where must be one of {get_args(Where)}", path=path, key=name)
    max_chars = raw.get("max_chars", 200)
    after_max = raw.get("after_max", 20)
    for key, value in (("max_chars", max_chars), ("after_max", after_max)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"rule {name!r}: {key} must be a positive integer", path=path, key=name)
    before_raw = raw.get("before", [])
    if not isinstance(before_raw, list):
        raise ConfigError(f"rule {name!r}: before must be a list of patterns", path=path, key=name)
    require_after = raw.get("require_after", False)
    if not isinstance(require_after, bool) or (require_after and "after" not in raw):
        raise ConfigError(
            f"rule {name!r}: require_after must be true or false, with an after pattern", path=path, key=name
        )
    if (before_raw or "after" in raw) and action != "block":
        raise ConfigError(f'rule {name!r}: before/after need action = "block"', path=path, key=name)
    before = tuple(
        _compile(p, path=path, rule=name, field_name=f"before[{i}]") for i, p in enumerate(before_raw)
    )
    after = _compile(raw["after"], path=path, rule=name, field_name="after") if "after" in raw else None
    return Rule(
        name=name,
        comment=raw["comment"].strip(),
        category=raw["category"].strip(),
        action=action,
        pattern=_compile(raw.get("pattern"), path=path, rule=name, field_name="pattern"),
        where=where,
        max_chars=max_chars,
        before=before,
        after=after,
        after_max=after_max,
        require_after=require_after,
        source=stem,
    )


def parse_rules(text: str, *, path: str, stem: str) -> RuleSet:
    """One rule file's ``RuleSet``; raises ``ConfigError`` naming the file and rule on any mistake."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path) from exc
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise ConfigError(f"unknown top-level keys {sorted(unknown)}", path=path)
    publisher = data.get("publisher", {})
    if not isinstance(publisher, dict) or set(publisher) - _PUBLISHER_KEYS:
        raise ConfigError(f"[publisher] takes only {sorted(_PUBLISHER_KEYS)}", path=path)
    names = publisher.get("names", [])
    signatures = publisher.get("signatures", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise ConfigError("[publisher] names must be a list of strings", path=path)
    if publisher and not names:
        raise ConfigError("[publisher] needs at least one name", path=path)
    sigs = tuple(
        _compile(s, path=path, rule="publisher", field_name=f"signatures[{i}]")
        for i, s in enumerate(signatures)
    )
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise ConfigError("a rule file needs at least one [[rules]] table", path=path)
    rules = tuple(_rule(r, path=path, stem=stem, number=i + 1) for i, r in enumerate(raw_rules))
    seen: set[str] = set()
    for rule in rules:
        if rule.name in seen:
            raise ConfigError(f"rule {rule.name!r} is defined twice", path=path, key=rule.name)
        seen.add(rule.name)
    return RuleSet(name=publisher.get("name", stem), rules=rules, names=tuple(names), signatures=sigs)


def load_rules(directory: Path | None = None) -> RuleBook:
    """Every ``*.toml`` rule file of ``directory`` (default: the rules shipped with jianbao), validated.

    The shipped rules are loaded once per process; ``generic.toml`` must be among them.
    """
    if directory is None:
        return _shipped_rules()
    return _load_dir(Path(directory))


@functools.cache
def _shipped_rules() -> RuleBook:
    root = resources.files("jianbao.summarize") / "rules"
    files = sorted((f for f in root.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    return _book((f.name, f.read_text(encoding="utf-8")) for f in files)


def _load_dir(directory: Path) -> RuleBook:
    files = sorted(directory.glob("*.toml"))
    return _book((str(f), f.read_text(encoding="utf-8")) for f in files)


def _book(files: Iterable[tuple[str, str]]) -> RuleBook:
    sets = [parse_rules(text, path=path, stem=Path(path).stem) for path, text in files]
    if not any(not s.names for s in sets):
        raise ConfigError("no generic rule file (a .toml without [publisher]) was found")
    return RuleBook(sets=tuple(sets))


# --- debris: normalising and splitting into blocks -----------------------------------------------------

_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_FENCE_RE = re.compile(r"^\s{0,3}(?:```|~~~)")
_TABLE_ROW_RE = re.compile(r"^\s*\|.*\|.*\|?\s*$")
_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_RULE_LINE_RE = re.compile(r"^\s*(?:(?:-\s*){3,}|(?:=\s*){3,}|(?:_\s*){3,}|(?:\*\s*){3,})$")
_ATX_RE = re.compile(r"^\s{0,3}(#{1,6})(?:\s+|(?=[*!\[【]))(.*?)(?:\s+#+)?\s*$")
_QUOTE_RE = re.compile(r"^\s{0,3}>\s?")
# List items: Markdown's marks (stripped once the rules have seen them) and Chinese numbering (kept).
_ITEM_RE = re.compile(r"^\s*(?:[*+\-•·▪●◦◆■]\s+|\d{1,3}[.)]\s+|\d{1,3}\.$|\d{1,2}[、．]\s*(?=\S)|[①-⑳❶-❿])")
_ITEM_MARK_RE = re.compile(r"^\s*(?:[*+\-•·▪●◦◆■]\s+|\d{1,3}[.)]\s+|\d{1,3}\.$)")
_IMAGE_RE = re.compile(r"!\[[^\]]*\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_EMPTY_LINK_RE = re.compile(r"\[\s*\]\((?:[^()\s]|\([^()]*\))*\)")
_LINK_RE = re.compile(r"\[([^\]\n]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK_RE = re.compile(r"<((?:https?|ftp)://[^>\s]+)>")
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")
_EMPTY_BOLD_RE = re.compile(r"\*{4,}")
_TRIPLE_STAR_RE = re.compile(r"(?<!\*)\*\*\*(?!\*)")
_ITALIC_RE = re.compile(r"(?<![*\\\w])\*(?![*\s])([^*\n]+?)(?<![\s*\\])\*(?![*\w])")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>&])")
# The read-later app wrote "——" as six hyphens.
_LONG_DASH_RE = re.compile(r"\s?-{6}(?:-{6})*\s?")
_CJK_CHAR = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A drop cap: the first character set apart from its word ("就 在一年以前").
_DROP_CAP_RE = re.compile(f"^([{_CJK_CHAR}]) (?=[{_CJK_CHAR}])")
_WORDLIKE_RE = re.compile(f"[0-9A-Za-z{_CJK_CHAR}\u00c0-\u024f\u3040-\u30ff\uac00-\ud7af]")
_ITALIC_LINE_RE = re.compile(r"^\*(?!\*)[^*]+\*$")


@dataclass(slots=True)
class _Block:
    index: int
    kind: Kind
    lines: list[str] = field(default_factory=list)
    image_before: bool = False  # Markdown: an image line directly above


def _inline(line: str, found: list[tuple[str, str]]) -> str:
    """Remove inline Markdown/HTML debris from one line; ``found`` receives (debris rule, text)."""
    if "![" in line:
        stripped = _IMAGE_RE.sub("", line)
        if stripped != line:
            found.append(("image", line.strip()))
            line = stripped
    if "](" in line:
        line = _EMPTY_LINK_RE.sub("", line)
        line = _LINK_RE.sub(r"\1", line)
    if "<" in line:
        line = _AUTOLINK_RE.sub(r"\1", line)
        tagless = _TAG_RE.sub("", line)
        if tagless != line:
            found.append(("html", line.strip()))
            line = tagless
    if "&" in line and ";" in line:
        line = _ENTITY_RE.sub(lambda m: html.unescape(m.group()), line)
    if "*" in line:
        line = _EMPTY_BOLD_RE.sub("", line)
        line = _TRIPLE_STAR_RE.sub("**", line)
        line = _ITALIC_RE.sub(r"\1", line)
    if "\\" in line:
        line = _ESCAPE_RE.sub(r"\1", line)
    if "------" in line:
        line = _LONG_DASH_RE.sub("——", line)
    return line.strip()


def _blocks(text: str, removed: list[Removal]) -> list[_Block]:
    """Split text into blocks: blank-line paragraphs, each heading, list item and quote its own block.

    Soft-wrapped lines of a paragraph stay one block; an indented line after a list item continues it.
    """
    text = _INVISIBLE_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    blocks: list[_Block] = []
    current: _Block | None = None
    in_fence = False
    after_image = False  # the last non-blank line was an image and nothing else

    def debris(rule: str, line: str) -> None:
        removed.append(
            Removal(index=len(blocks), text=line.strip(), rule=f"debris/{rule}", category="debris")
        )

    for raw in text.split("\n"):
        if _FENCE_RE.match(raw):
            in_fence, current = not in_fence, None
            debris("code", raw)
            continue
        if in_fence:
            debris("code", raw)
            continue
        if not raw.strip():
            current = None
            continue
        if _TABLE_SEP_RE.match(raw) or (_TABLE_ROW_RE.match(raw) and raw.count("|") >= 3):
            debris("table", raw)
            current = None
            continue
        if _RULE_LINE_RE.match(raw):
            # A setext underline makes the line above a heading; otherwise it is a horizontal rule.
            underline = raw.strip()[0] in "-="
            if underline and current is not None and current.kind == "text" and len(current.lines) == 1:
                current.kind = "heading"
            debris("rule", raw)
            current = None
            continue
        kind, line = _line_kind(raw)
        if after_image and _ITALIC_LINE_RE.match(line.strip()) and len(line) <= 100:
            debris("caption", line)  # Markdown: an italic line under a picture is its caption
            current = None
            continue
        continues = kind == "text" and current is not None and current.kind == "item" and raw[:1].isspace()
        found: list[tuple[str, str]] = []
        line = _inline(line, found)
        for rule, text_found in found:
            debris(rule, text_found)
        if not _WORDLIKE_RE.search(line):
            if line:
                debris("punctuation", line)
            after_image = any(rule == "image" for rule, _ in found) or after_image
            current = None
            continue
        if current is not None and (continues or (kind == current.kind and kind in ("text", "quote"))):
            current.lines.append(line)
        else:
            current = _Block(index=len(blocks), kind=kind, lines=[line], image_before=after_image)
            blocks.append(current)
            if kind == "heading":
                current = None
        after_image = False
    return blocks


def _line_kind(raw: str) -> tuple[Kind, str]:
    """The Markdown kind of a raw line and the line without its mark."""
    if m := _ATX_RE.match(raw):
        return "heading", m.group(2)
    if m := _QUOTE_RE.match(raw):
        line = raw[m.end() :]
        while q := _QUOTE_RE.match(line):  # nested quotes
            line = line[q.end() :]
        return ("item", line.strip()) if _ITEM_RE.match(line) else ("quote", line)
    if _ITEM_RE.match(raw):
        return "item", raw.strip()  # the rules see the mark; it goes when the paragraph is assembled
    return "text", raw


# --- boilerplate: applying the rules --------------------------------------------------------------------

_TERMINAL = "。！？!?…~～"
_CLOSERS = "”’\"'」』）)]】》*"
_LABEL_END = "：:"


def ends_sentence(text: str) -> bool:
    """Whether a paragraph ends a sentence (closing quotes, brackets and bold marks after the stop allowed)."""
    core = text.rstrip().rstrip(_CLOSERS)
    if not core:
        return False
    if core[-1] in _TERMINAL:
        return True
    if core[-1] == ".":
        return not re.search(r"(?:^|\s)\S{1,3}\.$", core) or len(core) > 40  # "No." / "1." end nothing
    return False


# A numbered section title: 一、…, 01 …, 1. …, 第三章 … (may end in "？").
_NUMBERED_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|0\d[\s.、]|\d{1,2}[.、．]\s?(?!\d)|第[一二三四五六七八九十\d]+[章节部分])"
)
_NUMBERED_MAX = 40


def _looks_like_heading(text: str) -> bool:
    plain = text.replace("**", "").strip()
    if len(plain) <= _NUMBERED_MAX and _NUMBERED_RE.match(plain):
        return True
    return len(plain) <= _HEADING_MAX and not ends_sentence(plain) and plain[-1:] not in _LABEL_END


def _join(lines: Sequence[str]) -> str:
    """Join a paragraph's lines: nothing between CJK, a space between Latin words."""
    out = ""
    for line in lines:
        if out and not (_is_cjk(out[-1]) or _is_cjk(line[0])):
            out += " "
        out += line
    return out


def _is_cjk(char: str) -> bool:
    return bool(re.match(f"[{_CJK_CHAR}\u3000-\u303f\uff00-\uffef“”‘’「」]", char))


_BOLD_SPAN_RE = re.compile(r"\*\*([^*]*)\*\*")
_ADJACENT_BOLD_RE = re.compile(r"\*\*(\s*)\*\*")


def _balance_bold(text: str) -> str:
    """Keep the article's bold where it is balanced and wraps words; drop stray or empty marks."""
    if "**" not in text:
        return text
    if text.count("**") % 2:
        return text.replace("**", "")
    text = _ADJACENT_BOLD_RE.sub(r"\1", text)  # "**a** **b**" is one bold run: "**a b**"
    text = _BOLD_SPAN_RE.sub(_bold_span, text)
    return _SPACE_BEFORE_STOP_RE.sub(r"**\1", text)  # "**珍珠** ，" → "**珍珠**，"


# A bold run starts at its first word and ends at its last: "了**。多模态大模型** 带" → "了。**多模态大模型** 带".
_BOLD_HEAD_RE = re.compile(r"^[\s，。、；：！？）」』】》]+")
_BOLD_TAIL_RE = re.compile(r"[\s（「『【《]+$")
_SPACE_BEFORE_STOP_RE = re.compile(r"\*\*[ \t]+([，。、；：！？）」』】》])")


def _bold_span(match: re.Match[str]) -> str:
    inner = match.group(1)
    if not _WORDLIKE_RE.search(inner):
        return inner
    head = _BOLD_HEAD_RE.match(inner)
    tail = _BOLD_TAIL_RE.search(inner)
    start, end = head.end() if head else 0, tail.start() if tail else len(inner)
    return f"{inner[:start]}**{inner[start:end]}**{inner[end:]}"


@dataclass(slots=True)
class _Pass:
    """The mutable state of one rule pass over an article's lines."""

    blocks: list[_Block]
    rules: list[Rule]
    removed: list[Removal]
    lines: list[list[str | None]] = field(default_factory=list)
    standfirst: set[int] = field(default_factory=set)
    pending: bool = False  # a 导读 label stood alone: the next paragraph is the standfirst

    scopes: list[frozenset[str]] = field(default_factory=list)  # the ``where`` values each block is in

    def __post_init__(self) -> None:
        self.lines = [list(b.lines) for b in self.blocks]
        n = len(self.blocks)
        tail = max(n // 2, n - TAIL_BLOCKS)
        self.scopes = [
            frozenset(
                {"any"}
                | ({"head"} if i < HEAD_BLOCKS else set())
                | ({"tail"} if i >= tail else set())
                | ({"body"} if i >= _BODY_START else set())
            )
            for i in range(n)
        ]

    def drop(self, bi: int, li: int, rule: Rule) -> None:
        text = self.lines[bi][li]
        if text is not None:
            self.removed.append(Removal(index=bi, text=text, rule=rule.qualified, category=rule.category))
            self.lines[bi][li] = None

    def kept_before(self, bi: int, li: int) -> Iterable[tuple[int, int]]:
        """Positions of kept lines before (bi, li), nearest first."""
        for b in range(bi, -1, -1):
            start = li - 1 if b == bi else len(self.lines[b]) - 1
            for i in range(start, -1, -1):
                if self.lines[b][i] is not None:
                    yield b, i

    def kept_after(self, bi: int, li: int) -> Iterable[tuple[int, int]]:
        for b in range(bi, len(self.lines)):
            for i in range(li + 1 if b == bi else 0, len(self.lines[b])):
                if self.lines[b][i] is not None:
                    yield b, i

    def run(self) -> None:
        for bi in range(len(self.blocks)):
            for li in range(len(self.lines[bi])):
                if self.lines[bi][li] is None:
                    continue
                if self.line(bi, li):
                    return

    def line(self, bi: int, li: int) -> bool:
        """Apply the rules to one line; True when a rule truncated the article here.

        A rule sees the line as written and, failing that, without bold marks ("**【导读】**…").
        """
        text = self.lines[bi][li] or ""
        scope = self.scopes[bi]
        for rule in self.rules:
            if len(text) > rule.max_chars or rule.where not in scope:
                continue
            plain = text.replace("**", "")
            if rule.action == "strip":
                stripped = rule.pattern.sub("", text)
                if stripped == text and plain != text:
                    stripped = rule.pattern.sub("", plain)
                    stripped = plain if stripped == plain else stripped
                if stripped != text and stripped != plain:
                    self.removed.append(
                        Removal(index=bi, text=text, rule=rule.qualified, category=rule.category)
                    )
                    text = stripped.strip()
                    self.lines[bi][li] = text if _WORDLIKE_RE.search(text) else None
                    if self.lines[bi][li] is None:
                        return False
                continue
            seen = text
            match = rule.pattern.search(text)
            if match is None and plain != text:
                seen, match = plain, rule.pattern.search(plain)
            if match is None:
                continue
            if rule.action == "drop":
                self.drop(bi, li, rule)
            elif rule.action == "standfirst":
                self.mark_standfirst(bi, li, rule, seen, match)
            elif rule.action == "truncate":
                self.drop(bi, li, rule)
                for b, i in list(self.kept_after(bi, li)):
                    self.drop(b, i, rule)
                return True
            elif not self.block(bi, li, rule):
                continue  # a label without what must follow it is not this rule's
            return False
        if self.pending and self.blocks[bi].kind in ("text", "quote"):
            self.standfirst.add(bi)
            self.pending = False
        return False

    def mark_standfirst(self, bi: int, li: int, rule: Rule, text: str, match: re.Match[str]) -> None:
        rest = (text[: match.start()] + text[match.end() :]).strip()
        self.removed.append(
            Removal(index=bi, text=match.group().strip(), rule=rule.qualified, category=rule.category)
        )
        rest = _balance_bold(rest)
        if _WORDLIKE_RE.search(rest):
            self.lines[bi][li] = rest
            self.standfirst.add(bi)
        else:
            self.lines[bi][li] = None
            self.pending = True

    def block(self, bi: int, li: int, rule: Rule) -> bool:
        """Drop a block rule's line and its neighbours; False when ``require_after`` is not met."""
        if rule.require_after and rule.after is not None:
            following = next(iter(self.kept_after(bi, li)), None)
            line = self.lines[following[0]][following[1]] or "" if following else ""
            if not rule.after.search(line):
                return False
        self.drop(bi, li, rule)
        # The lines above go only all together (a card's name and description): a card that lacks one
        # must not take a paragraph of the story with it.
        above = list(zip(rule.before, self.kept_before(bi, li), strict=False))
        if len(above) == len(rule.before) and all(
            len(line := self.lines[b][i] or "") <= rule.max_chars and pattern.search(line)
            for pattern, (b, i) in above
        ):
            for _pattern, (b, i) in above:
                self.drop(b, i, rule)
        if rule.after is None:
            return True
        for count, (b, i) in enumerate(list(self.kept_after(bi, li))):
            line = self.lines[b][i] or ""
            if count >= rule.after_max or len(line) > rule.max_chars or not rule.after.search(line):
                break
            self.drop(b, i, rule)
        return True


def clean(text: str, *, source: str | None = None, rules: RuleBook | None = None) -> CleanArticle:
    """Clean an article's main text (plain or Markdown-ish); ``source`` names its publisher when known.

    Pure and deterministic: the same text, source and rules give the same result.
    """
    book = rules if rules is not None else load_rules()
    removed: list[Removal] = []
    blocks = _blocks(text, removed)
    active, publishers = book.for_article(source, text)
    state = _Pass(blocks=blocks, rules=active, removed=removed)
    state.run()
    paragraphs = _assemble(state)
    paragraphs = _mark_dek(paragraphs, removed)
    return CleanArticle(
        paragraphs=tuple(paragraphs),
        removed=tuple(sorted(removed, key=lambda r: r.index)),
        publishers=tuple(publishers),
        blocks=len(blocks),
    )


def _assemble(state: _Pass) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for block, lines in zip(state.blocks, state.lines, strict=True):
        kept = [line for line in lines if line and _WORDLIKE_RE.search(line)]
        if kept and block.kind == "item":
            kept[0] = _ITEM_MARK_RE.sub("", kept[0], count=1)
            kept = [line for line in kept if _WORDLIKE_RE.search(line)]
        if not kept:
            continue
        text = _balance_bold(_DROP_CAP_RE.sub(r"\1", _join(kept)))
        kind: Kind = block.kind
        if block.index in state.standfirst:
            kind = "standfirst"
        elif kind == "text" and len(kept) == 1 and _looks_like_heading(text):
            kind = "heading"
        if kind == "heading":
            text = text.replace("**", "")
        paragraphs.append(Paragraph(index=block.index, text=text, kind=kind))
    return paragraphs


def _mark_dek(paragraphs: list[Paragraph], removed: list[Removal]) -> list[Paragraph]:
    """Short paragraphs above a byline, at the very top, are the publisher's dek or epigraph: a standfirst.

    Lines of one epigraph (a quotation broken over lines) become one paragraph.
    """
    byline = min((r.index for r in removed if r.category == "byline" and r.index < 5), default=None)
    if byline is None:
        return paragraphs
    above = [p for p in paragraphs if p.index < byline]
    if not above or len(above) > 3 or any(len(p.text) > 200 for p in above):
        return paragraphs
    rest = [p for p in paragraphs if p.index >= byline]
    if len(above) > 1 and all(len(p.text) <= 60 for p in above):
        merged = _balance_bold(_join([p.text for p in above]))
        return [Paragraph(above[0].index, merged, "standfirst"), *rest]
    return [Paragraph(p.index, p.text, "standfirst") for p in above] + rest
