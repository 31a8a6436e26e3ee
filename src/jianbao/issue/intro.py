"""The 导读 of an issue, computed, never typed: item count, 字数, reading time and the almanac line.

``finalize_intro`` fills ``Issue.intro`` from the rendered issue itself, so the stated 字数 is the one a
reader gets; ``count_chars`` / ``reading_minutes`` say what "本文一共 N 字，通篇阅读结束需要 X~Y 分钟" means;
``almanac`` writes the line after the item count ("立冬三候，雉入大水为蜃").

**字数** ("as a reader sees it"): every CJK character (Han, kana, hangul) and every full-width punctuation
mark counts 1; every run of Latin letters and digits counts 1 as a word, joined runs included (``YOLOv4``,
``3.14``, ``GPT-5.6``, ``ResNet-50``). Nothing a reader does not read counts: URLs (link targets, images,
``<img>`` tags, bare URLs), Markdown and HTML syntax (``#``, ``>``, list markers, emphasis, table pipes,
code-fence markers, ``[TOC]``, tags) and ASCII punctuation. The 导读 block is counted with the rest: on
AI简报20210625 ("本文一共 2719 字") the whole file gives 2716 (−0.1 %), the file without its 导读 2682
(−1.4 %). The number in the 导读 is one word whatever its value, so an issue can be counted with a
placeholder number and then filled in.

**Almanac** phrasing (house style of the archive, with the correct characters 候 and 鴽; the archive wrote
侯/驾):

1. the day is a solar term (节气)          → ``今日惊蛰，一候桃始华``
2. the day is a festival                 → ``今日植树节`` (several at once: ``今日中秋节、国庆节``)
3. the next day is a solar term          → ``明日春分，一候玄鸟至``
4. the next day is a festival            → ``明日寒食节``
5. the day starts the 2nd or 3rd pentad  → ``今日清明二候，田鼠化为鴽``
6. any other day: the current pentad     → ``清明二候，田鼠化为鴽`` (no 今日: the pentad began earlier)

The first rule that applies wins. Each term has three pentads counted in whole days from the term's own
(China-time) day: days 0–4 一候, 5–9 二候, 10 and later 三候 — the same boundaries as lunar-python's
``getHou``/``getWuHou``, whose pentad names follow 吴澄《月令七十二候集解》.

Festivals are the traditional lunar ones (春节, 元宵节, 花朝节, 上巳节, 寒食节, 端午节, 七夕节, 中元节, 中秋节,
重阳节, 腊八节, 小年, 除夕) and well-known days of the solar calendar (元旦 … 圣诞节). Two customs vary by
region and are fixed here: 花朝节 is lunar 2/12 (the common mainland date; 2/15 is the other tradition) and
小年 is lunar 12/23 (northern custom; the south keeps 12/24). Neither is in lunar-python's tables, so both
are computed here; leap months never carry a festival.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from lunar_python import Lunar, LunarYear, Solar
from lunar_python.util import LunarUtil

from jianbao.records import Intro, Issue

__all__ = [
    "FAST_CPM",
    "FESTIVALS",
    "SLOW_CPM",
    "SOLAR_TERMS",
    "Counts",
    "Pentad",
    "almanac",
    "count_chars",
    "count_markdown",
    "festivals_on",
    "finalize_intro",
    "pentad",
    "reading_minutes",
    "solar_term_on",
]


# ------------------------------------------------------------------------------------------------ the 导读
def finalize_intro(issue: Issue, render: Callable[[Issue], str], *, remark: str | None = None) -> Issue:
    """Compute the 导读 from the rendered issue itself, so the stated 字数 is the one a reader gets.

    ``render`` gives the issue's Markdown; ``remark`` is the editor's free line, kept as given.
    """
    issue.intro = Intro(
        issue_date=f"{issue.date:%Y%m%d}",
        item_count=len(issue.items),
        chars=0,
        read_minutes=(1, 1),
        almanac=almanac(issue.date),
        remark=remark,
    )
    # The count includes the 导读's own words; its digits are one word whatever the number, so two
    # passes reach the fixed point. Three are allowed for safety.
    for _ in range(3):
        chars = count_chars(render(issue))
        if chars == issue.intro.chars:
            break
        issue.intro.chars = chars
        issue.intro.read_minutes = reading_minutes(chars)
    return issue


# ----------------------------------------------------------------------------------- 字数 and reading time
# Reading speeds in characters per minute (fast reader, slow reader); see reading_minutes for the fit.
FAST_CPM = 480
SLOW_CPM = 300

_FENCE = re.compile(r"^[ \t]*(?:```|~~~)[^\n]*$", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_REF_DEF = re.compile(r"^[ \t]*\[[^\]]+\]:\s*\S+.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto):[^>]*>", re.IGNORECASE)
_URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>()\[\]\u3000-\u303f\uff00-\uffef\u4e00-\u9fff\"']+", re.IGNORECASE
)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_TOC = re.compile(r"\[TOC\]", re.IGNORECASE)

_CJK = (
    "\u1100-\u11ff"  # hangul jamo
    "\u2e80-\u2fdf"  # CJK radicals, kangxi radicals
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3130-\u318f"  # hangul compatibility jamo
    "\u31f0-\u31ff"  # katakana extension
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B–G
)
# Full-width punctuation: CJK symbols, full-width forms, and the general-punctuation marks
# Chinese text uses as full-width (“” ‘’ — … ·).
_FULL_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u00b7\u2027"
_WORD = r"[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+(?:[.\-_+'][A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+)*"
_TOKEN = re.compile(rf"[{_CJK}]|[{_FULL_PUNCT}]|{_WORD}")
_UNIT = re.compile(rf"[{_CJK}]|[{_FULL_PUNCT}]")


@dataclass(frozen=True, slots=True)
class Counts:
    """What the 导读 states about an issue, plus a few figures useful in reports."""

    chars: int
    images: int
    links: int
    read_minutes: tuple[int, int]


def _visible_text(markdown: str) -> str:
    """The text a reader reads: no URLs, images, tags or fence markers (other syntax is ASCII and ignored)."""
    text = _FENCE.sub(" ", markdown)
    text = _TOC.sub(" ", text)
    text = _IMAGE.sub(" ", text)
    text = _IMG_TAG.sub(" ", text)
    text = _REF_DEF.sub(" ", text)
    text = _AUTOLINK.sub(" ", text)
    text = _LINK.sub(r" \1 ", text)
    text = _URL.sub(" ", text)
    return _TAG.sub(" ", text)


def count_chars(markdown: str) -> int:
    """Characters as a reader sees them (rule in the module docstring)."""
    return len(_TOKEN.findall(_visible_text(markdown)))


def reading_minutes(chars: int) -> tuple[int, int]:
    """Reading time as ``(lo, hi)`` minutes: ``ceil(chars / FAST_CPM)`` and ``ceil(chars / SLOW_CPM)``.

    The speeds (480 and 300 characters a minute) minimise the mean absolute error against the 28
    "N 字 … lo~hi 分钟" pairs stated in the 2020–2021 archive (37000 read as 3700): MAE 0.71 min
    on lo and 0.79 min on hi, 10 of 28 pairs exact (the archive itself is inconsistent: 2000 字 →
    7~10 but 2500 字 → 4~7). Any fast speed in 460–480 and slow speed in 290–300 fits as well.
    """
    if chars <= 0:
        return (0, 0)
    return (math.ceil(chars / FAST_CPM), math.ceil(chars / SLOW_CPM))


def count_markdown(markdown: str) -> Counts:
    """Counts of an issue's Markdown (whatever is passed in: include the 导读 or not as the caller wants)."""
    chars = count_chars(markdown)
    images = len(_IMAGE.findall(markdown)) + len(_IMG_TAG.findall(markdown))
    links = len(_LINK.findall(_IMAGE.sub(" ", markdown)))
    return Counts(chars=chars, images=images, links=links, read_minutes=reading_minutes(chars))


# ------------------------------------------------------------------------------------------------ almanac
_ORDINALS = ("一候", "二候", "三候")

# Whitelist and display order of festivals (several on one day are joined in this order).
FESTIVALS: tuple[str, ...] = (
    # lunar
    "春节", "元宵节", "花朝节", "上巳节", "寒食节", "端午节", "七夕节", "中元节", "中秋节", "重阳节", "腊八节", "小年", "除夕",
    # solar
    "元旦", "情人节", "妇女节", "植树节", "消费者权益日", "愚人节", "世界读书日", "劳动节", "青年节", "母亲节",
    "儿童节", "父亲节", "建党节", "建军节", "教师节", "国庆节", "程序员节", "平安夜", "圣诞节",
)  # fmt: skip
_RENAME = {"元旦节": "元旦"}
# Lunar (month, day) festivals lunar-python lacks; see the module docstring for the customs chosen.
_EXTRA_LUNAR = {"2-12": ["花朝节"], "12-23": ["小年"]}
# lunar-python names the terms outside the lunar year's own span in pinyin.
_PINYIN_TERMS = {
    "DA_XUE": "大雪",
    "DONG_ZHI": "冬至",
    "XIAO_HAN": "小寒",
    "DA_HAN": "大寒",
    "LI_CHUN": "立春",
    "YU_SHUI": "雨水",
    "JING_ZHE": "惊蛰",
}


# The 24 term names (from lunar-python's own table, its pinyin aliases left out), 冬至 first.
SOLAR_TERMS: tuple[str, ...] = tuple(dict.fromkeys(t for t in Lunar.JIE_QI_IN_USE if t not in _PINYIN_TERMS))


@dataclass(frozen=True, slots=True)
class Pentad:
    """One of the 72 pentads (候): the term it belongs to, its place in the term and its phrase."""

    term: str
    index: int  # 1..3
    phrase: str  # e.g. 田鼠化为鴽
    start: dt.date

    @property
    def ordinal(self) -> str:
        return _ORDINALS[self.index - 1]


def _date(solar: Solar) -> dt.date:
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


# lunar-python caches a single LunarYear, so converting day by day (Solar.getLunar) recomputes the
# astronomy several times per call (~8 ms a day). We go through whole lunar years once per
# Gregorian year instead, using the same tables and algorithms.


@cache
def _terms(year: int) -> dict[dt.date, str]:
    """Term days (China time) of the Gregorian ``year``."""
    # Lunar year `year` spans 大雪 of year-1 to 惊蛰 of year+1: all of the Gregorian year.
    jds = LunarYear.fromYear(year).getJieQiJulianDays()
    days = {}
    for key, jd in zip(Lunar.JIE_QI_IN_USE, jds, strict=True):
        day = _date(Solar.fromJulianDay(jd))
        if day.year == year:
            days[day] = _PINYIN_TERMS.get(key, key)
    return days


def _last_term(day: dt.date) -> tuple[dt.date, str]:
    """The most recent term day on or before ``day``."""
    for year in (day.year, day.year - 1):
        table = _terms(year)
        dates = sorted(table)
        i = bisect_right(dates, day)
        if i:
            return dates[i - 1], table[dates[i - 1]]
    raise AssertionError("a year always has 24 terms")  # pragma: no cover


@cache
def _festivals(year: int) -> dict[dt.date, frozenset[str]]:
    """Whitelisted festivals of the Gregorian ``year``."""
    found: dict[dt.date, set[str]] = {}

    def add(day: dt.date, names: list[str]) -> None:
        for name in names:
            name = _RENAME.get(name, name)
            if day.year == year and name in FESTIVALS:
                found.setdefault(day, set()).add(name)

    day = dt.date(year, 1, 1)
    while day.year == year:
        solar = Solar.fromYmd(day.year, day.month, day.day)
        add(day, [*solar.getFestivals(), *solar.getOtherFestivals()])
        day += dt.timedelta(days=1)
    months = {}
    for lunar_year in (year, year + 1):
        for month in LunarYear.fromYear(lunar_year).getMonths():
            months[month.getYear(), month.getMonth()] = month
    for (_, number), month in months.items():
        if number < 0:  # leap month: no festival
            continue
        first = _date(Solar.fromJulianDay(month.getFirstJulianDay()))
        for n in range(1, month.getDayCount() + 1):
            key = f"{number}-{n}"
            main = LunarUtil.FESTIVAL.get(key)
            names = [
                *([main] if main else []),
                *LunarUtil.OTHER_FESTIVAL.get(key, []),
                *_EXTRA_LUNAR.get(key, []),
            ]
            add(first + dt.timedelta(days=n - 1), names)
        if number == 12:
            add(first + dt.timedelta(days=month.getDayCount() - 1), ["除夕"])
    for term_day, name in _terms(year).items():
        if name == "清明":
            add(term_day - dt.timedelta(days=1), ["寒食节"])
    return {day: frozenset(names) for day, names in found.items()}


def solar_term_on(day: dt.date) -> str | None:
    """The solar term whose moment falls on ``day`` in China time (UTC+8), if any."""
    return _terms(day.year).get(day)


def pentad(day: dt.date) -> Pentad:
    """The pentad ``day`` belongs to, counted in whole days from the current term's day."""
    term_day, term = _last_term(day)
    index = min((day - term_day).days // 5, 2) + 1
    # LunarUtil.WU_HOU lists the 72 pentads from 冬至 onwards, in Lunar.JIE_QI order.
    phrase = LunarUtil.WU_HOU[Lunar.JIE_QI.index(term) * 3 + index - 1]
    return Pentad(term=term, index=index, phrase=phrase, start=term_day + dt.timedelta(days=5 * (index - 1)))


def festivals_on(day: dt.date) -> list[str]:
    """The whitelisted festivals falling on ``day``, in :data:`FESTIVALS` order."""
    names = _festivals(day.year).get(day, frozenset())
    return [name for name in FESTIVALS if name in names]


def _term_line(when: str, term: str, day: dt.date) -> str:
    first = pentad(day)
    return f"{when}{term}，{first.ordinal}{first.phrase}"


def almanac(day: dt.date) -> str:
    """The almanac phrase for an issue published on ``day``; always a phrase (rules in the module doc)."""
    tomorrow = day + dt.timedelta(days=1)
    if term := solar_term_on(day):
        return _term_line("今日", term, day)
    if names := festivals_on(day):
        return "今日" + "、".join(names)
    if term := solar_term_on(tomorrow):
        return _term_line("明日", term, tomorrow)
    if names := festivals_on(tomorrow):
        return "明日" + "、".join(names)
    current = pentad(day)
    line = f"{current.term}{current.ordinal}，{current.phrase}"
    return f"今日{line}" if current.start == day else line
