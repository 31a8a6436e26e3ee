"""The summary an editor would sign: the cleaned article's own lead, whole sentences, never stitched.

The weekly's summary is the story's opening paragraphs in their order (2–4 like the seeds, within a
character budget), after the publisher's own standfirst (导读, 编者按, a dek) when it has one — the
2021 archive shows the editor keeping those, without their marker. The daily's line is one paragraph
of whole sentences from the same place. Cuts fall only at sentence ends (Chinese 。！？, English .!?
with care for decimals, versions like GPT-4.1, abbreviations and URLs); the article's bold stays where
it falls, balanced.

Everything here reads a ``CleanArticle`` (``jianbao.summarize.clean``): headings, list items, tables,
captions and link lines are already marked or gone, so a lead is a run of consecutive kept paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jianbao.issue.intro import count_chars
from jianbao.summarize.clean import CleanArticle, Paragraph, RuleBook, clean, ends_sentence

__all__ = ["Lead", "lead", "lead_line", "sentence_ends", "sentences", "summarize_lead"]

# Weekly: the seeds' editor summaries run 145–265 reader characters (median ~200) over 2–5 paragraphs.
WEEKLY_MIN_PARAGRAPHS = 2
WEEKLY_MAX_PARAGRAPHS = 4
WEEKLY_MAX_CHARS = 300
DAILY_MAX_CHARS = 150
# How far into the article the story may start (past cards, 导读, tables of contents, headings).
_START_WINDOW = 12
# A paragraph ending in "：" this short is a label (写在前面：, a speaker's name), not a lead-in sentence.
_LABEL_MAX = 15
# A lead-in ending in "：" joins the lead only when what it introduces is a paragraph, not a list line.
_LIST_LINE_MAX = 40
_LABEL_END = ("：", ":")
_CLOSERS = "”’\"'」』）)]】》*"
_CJK_STOPS = "。！？"
# Words that end in "." without ending a sentence (compared lower-cased, without the final dot).
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "fig", "figs", "no",
    "nos", "al", "approx", "ca", "cf", "u.s", "u.k", "u.n", "e.u", "inc", "ltd", "co", "corp", "dept",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "eq", "sec",
    "vol", "pp", "ph.d", "a.m", "p.m",
})  # fmt: skip
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'“”‘’（）()【】\[\]，。；！？、]+", re.IGNORECASE)
_STOP_RE = re.compile(r"[。！？]+|[.!?]+")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True, slots=True)
class Lead:
    """A lead summary and where it came from.

    ``indices`` are the ``Paragraph.index`` of every paragraph used, in order; ``story`` the same
    without the standfirst. ``cut`` says the last paragraph was shortened at a sentence end.
    """

    text: str
    indices: tuple[int, ...] = ()
    story: tuple[int, ...] = ()
    standfirst: bool = False
    cut: bool = False
    skipped: tuple[int, ...] = ()  # paragraphs passed over before the story starts

    def __bool__(self) -> bool:
        return bool(self.text)


# --- sentences ---------------------------------------------------------------------------------------


def sentence_ends(text: str) -> list[int]:
    """Offsets just past each sentence end in ``text`` (the text's end is always one).

    Chinese stops always end a sentence; an English one only before a space, a CJK character or the
    end, and not after an abbreviation, an initial or inside a URL, so 3.14, GPT-4.1, e.g. and U.S.
    never split. Closing quotes, brackets and bold marks after the stop stay with its sentence.
    """
    urls = [m.span() for m in _URL_RE.finditer(text)]
    ends: list[int] = []
    for m in _STOP_RE.finditer(text):
        if any(a <= m.start() < b for a, b in urls):
            continue
        end = m.end()
        while end < len(text) and text[end] in _CLOSERS:
            end += 1
        if m.group()[0] not in _CJK_STOPS and not _ends_english(text, m.start(), end):
            continue
        if end < len(text) and (not ends or ends[-1] != end):
            ends.append(end)
    if text and (not ends or ends[-1] != len(text)):
        ends.append(len(text))
    return ends


def _ends_english(text: str, stop: int, end: int) -> bool:
    after = text[end : end + 1]
    if after and not (after.isspace() or _is_cjk(after)):
        return False  # 3.14, v2.1, GPT-4.1, example.com, "e.g.,"
    if text[stop] == ".":
        word = _WORD_BEFORE_RE.search(text[:stop])
        if word and (word.group(1).lower().rstrip(".") in _ABBREVIATIONS or len(word.group(1)) == 1):
            return False  # e.g. / U.S. / J. Smith
        if after.isspace() and text[end:].lstrip()[:1].islower():
            return False  # "approx. three": a lower-case word continues the sentence
        if re.search(r"(?:^|\s)\d{1,2}$", text[:stop]):
            return False  # "1. 第一点": a list number
    return True


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char in "“「『（"


def sentences(text: str) -> list[str]:
    """``text`` split at ``sentence_ends``, each sentence stripped (bold marks left as they are)."""
    out: list[str] = []
    start = 0
    for end in sentence_ends(text):
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    return out


# --- choosing the lead ----------------------------------------------------------------------------------


def _is_label(paragraph: Paragraph) -> bool:
    return paragraph.text.rstrip("* ").endswith(_LABEL_END) and len(paragraph.text) <= _LABEL_MAX


def _is_epigraph(paragraph: Paragraph) -> bool:
    """A standfirst that is only a quotation (a pull quote above the byline), not a summary."""
    text = paragraph.text.replace("**", "").strip()
    return len(text) > 2 and text[0] in '「“"『' and text[-1] in '」”"』'


def _can_open(paragraph: Paragraph) -> bool:
    return (
        paragraph.kind in ("text", "quote")
        and not _is_label(paragraph)
        and (ends_sentence(paragraph.text) or paragraph.text.rstrip("* ").endswith(_LABEL_END))
    )


def _story_start(paragraphs: Sequence[Paragraph]) -> int | None:
    """Position (in ``paragraphs``) of the story's first paragraph: past standfirsts, headings, labels."""
    for position, paragraph in enumerate(paragraphs[:_START_WINDOW]):
        if _can_open(paragraph):
            return position
    return None


def _standfirst(paragraphs: Sequence[Paragraph], start: int | None) -> Paragraph | None:
    """The publisher's summary above the story, if any: the first standfirst that is not an epigraph."""
    head = paragraphs[: start if start is not None else _START_WINDOW]
    return next((p for p in head if p.kind == "standfirst" and not _is_epigraph(p)), None)


def _continues(paragraphs: Sequence[Paragraph], position: int, breaks: frozenset[float]) -> bool:
    """Whether the paragraph at ``position`` carries on the lead from the one before it."""
    paragraph, previous = paragraphs[position], paragraphs[position - 1]
    if paragraph.kind not in ("text", "quote") or _is_label(paragraph) or _TURN_RE.match(paragraph.text):
        return False
    if any(previous.index < b < paragraph.index for b in breaks):
        return False  # a card, a table of contents, an end mark or a table lies between them
    return ends_sentence(paragraph.text) or paragraph.text.rstrip("* ").endswith(_LABEL_END)


def _introduces_list(paragraphs: Sequence[Paragraph], position: int) -> bool:
    """A lead-in ("…划分了五大等级：") followed by a list rather than prose.

    A list is anything but a text paragraph next, or two short lines alike: both labelled ("L1：…"),
    or both ending on the same mark that is not a full stop (questions, semicolons, nothing).
    """
    if not paragraphs[position].text.rstrip("* ").endswith(_LABEL_END):
        return False
    following = paragraphs[position + 1 : position + 3]
    if not following or following[0].kind not in ("text", "quote"):
        return True
    if len(following) < 2 or any(len(p.text) > _LIST_LINE_MAX for p in following):
        return False
    first, second = (p.text.rstrip("* ") for p in following)
    if _TURN_RE.match(first) and _TURN_RE.match(second):
        return True
    return first[-1:] == second[-1:] and first[-1:] not in ("。", ".")


# A dialogue turn or a labelled list line: a name or label of a few characters (主持人, 曲凯, Q, L1),
# then "：" and the words.
_TURN_RE = re.compile(r"^(?:\*\*)?[^\s，。！？：:]{1,6}(?:\*\*)?\s*[：:](?!\s*$)")


def _cut(text: str, budget: int) -> str:
    """The longest run of whole sentences of ``text`` within ``budget`` reader characters ("" if none)."""
    best = ""
    for end in sentence_ends(text):
        head = _close_bold(text[:end].rstrip())
        if count_chars(head) > budget:
            break
        best = head
    return best


def _close_bold(text: str) -> str:
    return text + "**" if text.count("**") % 2 else text


def lead(
    article: CleanArticle,
    *,
    min_paragraphs: int = WEEKLY_MIN_PARAGRAPHS,
    max_paragraphs: int = WEEKLY_MAX_PARAGRAPHS,
    max_chars: int = WEEKLY_MAX_CHARS,
    standfirst: bool = True,
) -> Lead:
    """The weekly's summary: the standfirst (when ``standfirst``) and the story's opening paragraphs.

    Paragraphs are taken in order while they fit ``max_chars`` reader characters (``count_chars``) and
    ``max_paragraphs``; one that does not fit is cut at its last sentence end that does, but only while
    the lead has fewer than ``min_paragraphs`` (otherwise the lead ends before it). The first sentence
    is kept whole even when it alone is over budget. The lead stops at a heading, a list, a label, or a
    card or other section break that the cleaning removed; it never ends on a "：" lead-in.
    """
    paragraphs = list(article.paragraphs)
    start = _story_start(paragraphs)
    chosen: list[str] = []
    indices: list[int] = []
    used = 0
    first = _standfirst(paragraphs, start) if standfirst else None
    if first is not None:
        text = first.text if count_chars(first.text) <= max_chars else _cut(first.text, max_chars)
        text = text or sentences(first.text)[0]
        chosen.append(text)
        indices.append(first.index)
        used = count_chars(text)
    story: list[int] = []
    cut = False
    if start is not None:
        position = start
        while position < len(paragraphs) and len(chosen) < max_paragraphs:
            if position > start and not _continues(paragraphs, position, article.breaks):
                break
            if _introduces_list(paragraphs, position):
                break
            paragraph = paragraphs[position]
            size = count_chars(paragraph.text)
            if used + size <= max_chars:
                chosen.append(paragraph.text)
            elif len(chosen) < min_paragraphs or not story:
                text = _cut(paragraph.text, max_chars - used)
                if not text and not story:
                    text = _close_bold(sentences(paragraph.text)[0])
                if not text:
                    break
                chosen.append(text)
                cut = text != paragraph.text
            else:
                break
            indices.append(paragraph.index)
            story.append(paragraph.index)
            used += count_chars(chosen[-1])
            position += 1
            if cut:
                break
        while story and chosen[-1].rstrip("* ").endswith(_LABEL_END):  # never end on a lead-in
            chosen.pop()
            indices.pop()
            story.pop()
            cut = False
    skipped = tuple(p.index for p in paragraphs[: start or 0] if p.index not in indices)
    return Lead(
        text="\n\n".join(_separate_bold(chosen)),
        indices=tuple(indices),
        story=tuple(story),
        standfirst=first is not None,
        cut=cut,
        skipped=skipped,
    )


def _separate_bold(chosen: list[str]) -> list[str]:
    """Keep a bold run from touching the next paragraph's ("…。**" then "**…" reads as one broken run).

    Of the two, a paragraph that is bold from end to end (a dek set in bold) gives up its marks.
    """
    out = list(chosen)
    for i in range(len(out) - 1):
        if out[i].endswith("**") and out[i + 1].startswith("**"):
            if _all_bold(out[i]):
                out[i] = out[i].replace("**", "")
            elif _all_bold(out[i + 1]):
                out[i + 1] = out[i + 1].replace("**", "")
            else:  # the next paragraph's opening run loses its marks
                out[i + 1] = out[i + 1][2:].replace("**", "", 1)
    return out


def _all_bold(text: str) -> bool:
    return text.startswith("**") and text.endswith("**") and text.count("**") == 2


def lead_line(article: CleanArticle, *, max_chars: int = DAILY_MAX_CHARS, standfirst: bool = True) -> Lead:
    """The daily's line: one paragraph of whole sentences from the lead, bold removed.

    The publisher's standfirst is the line when it fits ``max_chars`` and is more than a teaser (a
    third of the budget); otherwise sentences are taken
    from the story's first paragraphs in order while they fit. The first sentence is kept whole even
    over budget (a cut sentence is never printed).
    """
    weekly = lead(
        article, max_paragraphs=WEEKLY_MAX_PARAGRAPHS, max_chars=10 * max_chars, standfirst=standfirst
    )
    by_index = {p.index: p for p in article.paragraphs}
    if weekly.standfirst:
        text = by_index[weekly.indices[0]].text.replace("**", "")
        # A 导读 says what happened; a one-line dek ("…，飞书仍需解题商业化。") only teases.
        if max_chars // 3 <= count_chars(text) <= max_chars or not weekly.story:
            return Lead(text=text, indices=weekly.indices[:1], standfirst=True, skipped=weekly.skipped)
    parts: list[str] = []
    used: list[int] = []
    cut = False
    for index in weekly.story:
        pieces = sentences(by_index[index].text.replace("**", ""))
        taken = 0
        for sentence in pieces:
            if parts and count_chars(_join([*parts, sentence])) > max_chars:
                break
            parts.append(sentence)
            taken += 1
        if taken:
            used.append(index)
        if taken < len(pieces):
            cut = True
            break
    return Lead(text=_join(parts), indices=tuple(used), story=tuple(used), cut=cut, skipped=weekly.skipped)


def _join(parts: Sequence[str]) -> str:
    out = ""
    for part in parts:
        if out and not (_is_cjk(out[-1]) or out[-1] in "。！？」”）" or _is_cjk(part[0])):
            out += " "
        out += part
    return out


def summarize_lead(
    text: str, *, source: str | None = None, rules: RuleBook | None = None, daily: bool = False
) -> Lead:
    """Clean ``text`` and take its lead: the weekly's summary, or the daily's line with ``daily``."""
    article = clean(text, source=source, rules=rules)
    return lead_line(article) if daily else lead(article)
