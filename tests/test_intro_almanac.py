"""Tests for the almanac line, checked against terms computed independently with ephem."""

from __future__ import annotations

import datetime as dt
from functools import cache

import ephem
import pytest
from lunar_python import Lunar, Solar

from jianbao.issue.intro import FESTIVALS, almanac, festivals_on, pentad, solar_term_on

FIRST, LAST = dt.date(2020, 1, 1), dt.date(2030, 12, 31)
ONE_DAY = dt.timedelta(days=1)
CHINA = dt.timezone(dt.timedelta(hours=8))

# Ecliptic longitude / 15° → term, from the vernal equinox (0° = 春分).
TERMS_BY_LONGITUDE = [
    "春分",
    "清明",
    "谷雨",
    "立夏",
    "小满",
    "芒种",
    "夏至",
    "小暑",
    "大暑",
    "立秋",
    "处暑",
    "白露",
    "秋分",
    "寒露",
    "霜降",
    "立冬",
    "小雪",
    "大雪",
    "冬至",
    "小寒",
    "大寒",
    "立春",
    "雨水",
    "惊蛰",
]

# 七十二候 after 吴澄《月令七十二候集解》.
CLASSICAL_PENTADS = {
    "立春": ("东风解冻", "蛰虫始振", "鱼陟负冰"),
    "雨水": ("獭祭鱼", "候雁北", "草木萌动"),
    "惊蛰": ("桃始华", "仓庚鸣", "鹰化为鸠"),
    "春分": ("玄鸟至", "雷乃发声", "始电"),
    "清明": ("桐始华", "田鼠化为鴽", "虹始见"),
    "谷雨": ("萍始生", "鸣鸠拂其羽", "戴胜降于桑"),
    "立夏": ("蝼蝈鸣", "蚯蚓出", "王瓜生"),
    "小满": ("苦菜秀", "靡草死", "麦秋至"),
    "芒种": ("螳螂生", "鵙始鸣", "反舌无声"),
    "夏至": ("鹿角解", "蜩始鸣", "半夏生"),
    "小暑": ("温风至", "蟋蟀居壁", "鹰始挚"),
    "大暑": ("腐草为萤", "土润溽暑", "大雨行时"),
    "立秋": ("凉风至", "白露降", "寒蝉鸣"),
    "处暑": ("鹰乃祭鸟", "天地始肃", "禾乃登"),
    "白露": ("鸿雁来", "玄鸟归", "群鸟养羞"),
    "秋分": ("雷始收声", "蛰虫坯户", "水始涸"),
    "寒露": ("鸿雁来宾", "雀入大水为蛤", "菊有黄花"),
    "霜降": ("豺乃祭兽", "草木黄落", "蛰虫咸俯"),
    "立冬": ("水始冰", "地始冻", "雉入大水为蜃"),
    "小雪": ("虹藏不见", "天气上升地气下降", "闭塞而成冬"),
    "大雪": ("鹖鴠不鸣", "虎始交", "荔挺出"),
    "冬至": ("蚯蚓结", "麋角解", "水泉动"),
    "小寒": ("雁北乡", "鹊始巢", "雉始雊"),
    "大寒": ("鸡始乳", "征鸟厉疾", "水泽腹坚"),
}
ORDINALS = ("一候", "二候", "三候")


def _sun_longitude(when: dt.datetime) -> float:
    """Apparent geocentric ecliptic longitude of the sun, in degrees, at an aware datetime."""
    date = ephem.Date(when.astimezone(dt.UTC).replace(tzinfo=None))
    sun = ephem.Sun(date)
    return float(ephem.Ecliptic(ephem.Equatorial(sun.g_ra, sun.g_dec, epoch=date)).lon) * 180 / ephem.pi


@cache
def ephem_terms() -> dict[dt.date, str]:
    """China-time days on which the sun's longitude crosses a multiple of 15°, from ephem.

    A crossing lies on day D exactly when the 15° sector differs between D 00:00 and D+1 00:00
    (UTC+8); the sun moves ~1° a day, so no day holds two crossings.
    """
    start = FIRST - dt.timedelta(days=40)
    days = [start + dt.timedelta(days=i) for i in range((LAST - start).days + 3)]
    sectors = [
        int(_sun_longitude(dt.datetime.combine(day, dt.time(), tzinfo=CHINA)) // 15) % 24 for day in days
    ]
    return {
        day: TERMS_BY_LONGITUDE[after]
        for day, before, after in zip(days, sectors, sectors[1:], strict=False)
        if before != after
    }


def all_days(first: dt.date = FIRST, last: dt.date = LAST) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2021-03-05", "今日惊蛰，一候桃始华"),
        ("2021-03-19", "明日春分，一候玄鸟至"),
        ("2021-03-12", "今日植树节"),
        ("2021-04-02", "明日寒食节"),  # 清明 (04-04) is two days off
        ("2021-04-03", "今日寒食节"),  # today's festival beats tomorrow's 清明
        ("2021-04-04", "今日清明，一候桐始华"),
        ("2021-04-23", "今日世界读书日"),
        ("2021-04-09", "今日清明二候，田鼠化为鴽"),
        ("2021-04-10", "清明二候，田鼠化为鴽"),
        ("2021-03-30", "今日春分三候，始电"),
        ("2021-04-14", "今日上巳节"),  # 清明三候 begins, but a festival outranks the pentad
        ("2021-04-15", "清明三候，虹始见"),
        ("2021-04-18", "清明三候，虹始见"),
        ("2020-10-01", "今日中秋节、国庆节"),
        ("2021-02-11", "今日除夕"),
        ("2021-02-12", "今日春节"),
        ("2021-02-04", "今日小年"),
        ("2021-03-24", "今日花朝节"),
        ("2021-10-24", "今日程序员节"),
        ("2021-01-01", "今日元旦"),
        ("2021-12-21", "今日冬至，一候蚯蚓结"),
        ("2022-01-04", "明日小寒，一候雁北乡"),
    ],
)
def test_examples(day: str, expected: str) -> None:
    assert almanac(d(day)) == expected


def test_term_days_match_ephem() -> None:
    expected = ephem_terms()
    in_range = {day: name for day, name in expected.items() if FIRST <= day <= LAST}
    assert len(in_range) == 24 * 11
    got = {day: name for day in all_days() if (name := solar_term_on(day))}
    assert got == in_range


def test_every_day_2020_2030() -> None:
    terms = ephem_terms()
    term_days = sorted(terms)
    last_term = None
    for day in all_days(term_days[0], LAST):
        if day in terms:
            last_term = day
        if day < FIRST:
            continue
        assert last_term is not None
        term = terms[last_term]
        index = min((day - last_term).days // 5, 2)
        line = almanac(day)
        current = pentad(day)
        assert (current.term, current.index, current.phrase) == (
            term,
            index + 1,
            CLASSICAL_PENTADS[term][index],
        )
        assert current.start == last_term + dt.timedelta(days=5 * index)
        tomorrow = day + ONE_DAY
        if day in terms:
            assert line == f"今日{term}，一候{CLASSICAL_PENTADS[term][0]}"
        elif festivals_on(day):
            assert line == "今日" + "、".join(festivals_on(day))
        elif tomorrow in terms:
            assert line == f"明日{terms[tomorrow]}，一候{CLASSICAL_PENTADS[terms[tomorrow]][0]}"
        elif festivals_on(tomorrow):
            assert line == "明日" + "、".join(festivals_on(tomorrow))
        else:
            prefix = "今日" if (day - last_term).days in (5, 10) else ""
            assert line == f"{prefix}{term}{ORDINALS[index]}，{CLASSICAL_PENTADS[term][index]}"


def _festival_days(name: str) -> set[dt.date]:
    return {day for day in all_days() if name in festivals_on(day)}


def _lunar_to_date(year: int, month: int, day: int) -> dt.date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _in_range(days: set[dt.date]) -> set[dt.date]:
    return {day for day in days if FIRST <= day <= LAST}


def test_hanshi_is_the_day_before_qingming() -> None:
    expected = {day - ONE_DAY for day, name in ephem_terms().items() if name == "清明"}
    assert _festival_days("寒食节") == _in_range(expected)
    assert len(_festival_days("寒食节")) == 11


def test_chuxi_is_the_day_before_the_lunar_new_year() -> None:
    expected = {_lunar_to_date(year, 1, 1) - ONE_DAY for year in range(2020, 2032)}
    assert _festival_days("除夕") == _in_range(expected)
    assert _festival_days("春节") == _in_range({day + ONE_DAY for day in expected})
    assert d("2022-01-31") in expected  # a 29-day twelfth month: 除夕 on 腊月廿九
    assert _lunar_to_date(2021, 12, 29) == d("2022-01-31")


def test_xiaonian_and_huachao() -> None:
    # Lunar.fromYmd works from the lunar side, unlike the module's month tables.
    assert _festival_days("小年") == _in_range({_lunar_to_date(y, 12, 23) for y in range(2019, 2031)})
    assert _festival_days("花朝节") == _in_range({_lunar_to_date(y, 2, 12) for y in range(2020, 2031)})
    # 2023 has a leap second month: 花朝 falls in the ordinary one only.
    assert d("2023-03-03") in _festival_days("花朝节")
    assert _lunar_to_date(2023, -2, 12) not in _festival_days("花朝节")


@pytest.mark.parametrize("year", [2020, 2023])  # 2020: 中秋 on 国庆; 2023: a leap month
def test_festivals_agree_with_lunar_python_day_by_day(year: int) -> None:
    """The year tables reproduce lunar-python's per-day festival lookups (whitelisted)."""
    for day in all_days(dt.date(year, 1, 1), dt.date(year, 12, 31)):
        solar = Solar.fromYmd(day.year, day.month, day.day)
        lunar = solar.getLunar()
        names = {*solar.getFestivals(), *solar.getOtherFestivals()}
        names |= {*lunar.getFestivals(), *lunar.getOtherFestivals()}
        names = {"元旦" if name == "元旦节" else name for name in names}
        if (lunar.getMonth(), lunar.getDay()) == (2, 12):
            names.add("花朝节")
        if (lunar.getMonth(), lunar.getDay()) == (12, 23):
            names.add("小年")
        assert festivals_on(day) == [name for name in FESTIVALS if name in names], day
        assert lunar.getJieQi() == (solar_term_on(day) or ""), day
