"""The almanac line of an issue's 导读: solar term, festival or pentad (物候) of the publication day.

Phrasing (house style of the archive, with the correct characters 候 and 鴽; the archive wrote 侯/驾):

1. the day is a solar term (节气)          → ``今日惊蛰，一候桃始华``
2. the day is a festival                 → ``今日植树节`` (several at once: ``今日中秋节、国庆节``)
3. the next day is a solar term          → ``明日春分，一候玄鸟至``
4. the next day is a festival            → ``明日寒食节``
5. the day starts the 2nd or 3rd pentad  → ``今日清明二候，田鼠化为鴽``
6. any other day: the current pentad     → ``清明二候，田鼠化为鴽`` (no 今日: the pentad began earlier)

The first rule that applies wins. Each term has three pentads counted in whole days from the
term's own (China-time) day: days 0–4 一候, 5–9 二候, 10 and later 三候 — the same boundaries as
lunar-python's ``getHou``/``getWuHou``, whose pentad names follow 吴澄《月令七十二候集解》.

Festivals are the traditional lunar ones (春节, 元宵节, 花朝节, 上巳节, 寒食节, 端午节, 七夕节, 中元节,
中秋节, 重阳节, 腊八节, 小年, 除夕) and well-known days of the solar calendar (元旦 … 圣诞节). Two
customs vary by region and are fixed here: 花朝节 is lunar 2/12 (the common mainland date; 2/15 is
the other tradition) and 小年 is lunar 12/23 (northern custom; the south keeps 12/24). Neither is
in lunar-python's tables, so both are computed here; leap months never carry a festival.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lunar_python import Lunar, Solar

__all__ = ["FESTIVALS", "Pentad", "almanac", "festivals_on", "pentad", "solar_term_on"]

_ORDINALS = ("一候", "二候", "三候")

# Whitelist and display order; lunar-python's names on the left where they differ.
FESTIVALS: tuple[str, ...] = (
    "春节",
    "元宵节",
    "花朝节",
    "上巳节",
    "寒食节",
    "端午节",
    "七夕节",
    "中元节",
    "中秋节",
    "重阳节",
    "腊八节",
    "小年",
    "除夕",
    "元旦",
    "情人节",
    "妇女节",
    "植树节",
    "消费者权益日",
    "愚人节",
    "世界读书日",
    "劳动节",
    "青年节",
    "母亲节",
    "儿童节",
    "父亲节",
    "建党节",
    "建军节",
    "教师节",
    "国庆节",
    "程序员节",
    "平安夜",
    "圣诞节",
)
_RENAME = {"元旦节": "元旦"}
# Lunar (month, day) festivals lunar-python lacks; see the module docstring for the customs chosen.
_EXTRA_LUNAR = {(2, 12): "花朝节", (12, 23): "小年"}


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


def _lunar(day: dt.date) -> Lunar:
    return Solar.fromYmd(day.year, day.month, day.day).getLunar()


def solar_term_on(day: dt.date) -> str | None:
    """The solar term whose moment falls on ``day`` in China time (UTC+8), if any."""
    return _lunar(day).getJieQi() or None


def pentad(day: dt.date) -> Pentad:
    """The pentad ``day`` belongs to, counted in whole days from the current term's day."""
    lunar = _lunar(day)
    # wholeDay=True: on a term's own day this returns that term, not the previous one.
    term = lunar.getPrevJieQi(True)
    ts = term.getSolar()
    term_day = dt.date(ts.getYear(), ts.getMonth(), ts.getDay())
    index = min((day - term_day).days // 5, 2) + 1
    return Pentad(
        term=term.getName(),
        index=index,
        phrase=lunar.getWuHou(),
        start=term_day + dt.timedelta(days=5 * (index - 1)),
    )


def festivals_on(day: dt.date) -> list[str]:
    """The whitelisted festivals falling on ``day``, in :data:`FESTIVALS` order."""
    lunar = _lunar(day)
    solar = lunar.getSolar()
    names = {
        _RENAME.get(name, name)
        for name in (
            *solar.getFestivals(),
            *solar.getOtherFestivals(),
            *lunar.getFestivals(),
            *lunar.getOtherFestivals(),
        )
    }
    extra = _EXTRA_LUNAR.get((lunar.getMonth(), lunar.getDay()))  # leap months are negative
    if extra:
        names.add(extra)
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
