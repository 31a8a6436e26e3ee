"""The number check on an LLM's words: every number it writes must be a number its source has.

An LLM that translates or retells an article is good at wording and bad at figures: a 40% price cut
becomes 45%, 52 billion becomes 520 million, GPT-5.7 becomes GPT-5.8. So every number in the LLM's title
and summary is read as a value and looked for in the source it was given (the article's title and text):

* digits, with thousands separators and decimals: ``81.4``, ``9,120``, ``GPT-5.7``, ``A35B``;
* with a scale: ``3 万``, ``1.2 亿``, ``1.2 万亿``, ``52B``, ``4.2M``, ``60k``, ``1.2 trillion``;
* Chinese numerals with a scale or as a share: ``三万``, ``十二亿``, ``百分之四十``, ``两倍``;
* in the source only, English number words: ``ten million``, ``three``, ``twice``, ``half``, month names
  (an LLM writes "11 月" for "November").

A number passes when the source has the same value (``52 billion`` = ``520 亿``), the same digits as
written (``1.2`` of ``1.2 trillion``), or a value it rounds (``81%`` for ``81.4%``). Versions with two dots
(``v2.1.3``) must appear as written. Numbers are compared as values, not kinds: a check that also told
percentages from counts would reject more honest translations than invented figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from jianbao.records import NumberCheck

__all__ = ["Number", "check_numbers", "numbers_in"]

_SCALES: dict[str, Decimal] = {
    "万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(10) ** 3,
    "trillion": Decimal(10) ** 12, "billion": Decimal(10) ** 9, "million": Decimal(10) ** 6,
    "thousand": Decimal(10) ** 3, "bn": Decimal(10) ** 9, "t": Decimal(10) ** 12, "b": Decimal(10) ** 9,
    "m": Decimal(10) ** 6, "k": Decimal(10) ** 3,
}  # fmt: skip
# Digits, then an optional scale. A Latin scale letter must end the token ("52B", "60k", not "5Mbps"
# or "7Bit"); a word scale stands after a space ("1.2 trillion").
_DIGITS_RE = re.compile(
    r"(?<![\d.])(?P<num>\d{1,3}(?:,\d{3})+(?![\d])|\d+(?:\.\d+)*)"
    r"(?:\s*(?P<cjk>万亿|亿|万|千)|(?P<letter>[KkMBbTt]|bn)(?![A-Za-z])|\s+(?P<word>trillion|billion|million|thousand)\b)?",
    re.IGNORECASE,
)
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMERAL = "零〇一二两三四五六七八九十百千"
# Chinese numerals are read only where they are plainly a quantity: with a digit before 万/亿/个百分点, or
# after 百分之. Others are too often words or vague (十分 "very", 千万 "by all means", 数十万 "hundreds of
# thousands"), and 一倍 / 两倍 mean different things to different writers.
_CN_RE = re.compile(
    rf"百分之(?P<share>[{_CN_NUMERAL}]+(?:点[{_CN_NUMERAL}]+)?|\d+(?:\.\d+)?)"
    rf"|(?P<count>[{_CN_NUMERAL}]*[零〇一二两三四五六七八九][{_CN_NUMERAL}]*)(?P<scale>万亿|亿|万|个百分点)"
)
_EN_SMALL: dict[str, int | Decimal] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "once": 1, "twice": 2, "double": 2, "doubles": 2, "doubled": 2, "triple": 3,
    "tripled": 3, "dozen": 12, "half": Decimal("0.5"), "halves": Decimal("0.5"), "halved": Decimal("0.5"),
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3,
    "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_EN_WORDS_RE = re.compile(
    r"\b(?P<small>" + "|".join(sorted(_EN_SMALL, key=len, reverse=True)) + r")"
    r"(?:[\s-]+(?P<scale>hundred|thousand|million|billion|trillion))?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Number:
    """A number as written (``text``), its value (None for a dotted version such as 2.1.3) and its digits."""

    text: str
    value: Decimal | None
    digits: str  # the numeral without separators or scale: "1.2" of "1.2 亿", "9120" of "9,120"
    scaled: bool = False  # written with a scale (万, 亿, B, billion): only its value can vouch for it

    @property
    def significant(self) -> int:
        """Significant digits written: how precise the number claims to be."""
        return len(self.digits.replace(".", "").lstrip("0")) or 1


def _decimal(digits: str) -> Decimal | None:
    if digits.count(".") > 1:
        return None
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _chinese(numeral: str) -> Decimal | None:
    """一千二百 → 1200, 十二 → 12, 三 → 3, 四点五 → 4.5; None when the characters make no number."""
    whole, _, fraction = numeral.partition("点")
    total, current = 0, 0
    for char in whole:
        if char in _CN_DIGITS:
            current = current * 10 + _CN_DIGITS[char] if current and not total else _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[char]
            current = 0
        else:
            return None
    value = Decimal(total + current)
    if fraction:
        if any(c not in _CN_DIGITS for c in fraction):
            return None
        value += Decimal("0." + "".join(str(_CN_DIGITS[c]) for c in fraction))
    return value


def numbers_in(text: str, *, words: bool = False) -> list[Number]:
    """Every number in ``text`` in order of appearance; ``words`` also reads English number words and
    month names (what a source may say that a translation turns into digits)."""
    found: list[tuple[int, Number]] = []
    taken: list[tuple[int, int]] = []
    for m in _CN_RE.finditer(text):
        if m.group("share") is not None:
            share = m.group("share")
            value = _decimal(share) if share[:1].isdigit() else _chinese(share)
            digits = share if share[:1].isdigit() else str(value)
        else:
            value = _chinese(m.group("count"))
            scale = m.group("scale")
            digits = str(value)
            if value is not None and scale in _SCALES:
                value *= _SCALES[scale]
        if value is not None:
            found.append((m.start(), Number(m.group(), value, digits, scaled=m.group("scale") in _SCALES)))
            taken.append(m.span())
    for m in _DIGITS_RE.finditer(text):
        digits = m.group("num").replace(",", "")
        value = _decimal(digits)
        scale = m.group("cjk") or m.group("letter") or m.group("word")
        if value is not None and scale:
            value *= _SCALES[scale.lower()]
        found.append((m.start(), Number(m.group().strip(), value, digits, scaled=bool(scale))))
    if words:
        for m in _EN_WORDS_RE.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            small = Decimal(_EN_SMALL[m.group("small").lower()])
            scale = m.group("scale")
            value = small * (_SCALES[scale.lower()] if scale and scale.lower() in _SCALES else 100 if scale else 1)
            found.append((m.start(), Number(m.group(), value, str(small), scaled=bool(scale))))
    return [number for _start, number in sorted(found, key=lambda pair: pair[0])]


# A rounded figure is the source's, not an invention, when it is close: 81% for 81.4%, 12 亿 for 1.23
# billion; 1 亿 for 1.4 亿 is not.
_ROUNDING = Decimal("0.05")


def _supported(number: Number, source: list[Number]) -> bool:
    for known in source:
        if not number.scaled and number.digits == known.digits:
            return True
        if number.value is None or known.value is None:
            continue
        if number.value == known.value or _rounds_to(known, number):
            return True
    return False


def _rounds_to(known: Number, number: Number) -> bool:
    """Whether ``number`` is ``known`` rounded to the significant digits ``number`` has."""
    assert known.value is not None and number.value is not None
    if not known.value or number.significant >= known.significant:
        return False
    step = Decimal(1).scaleb(known.value.adjusted() - number.significant + 1)
    rounded = known.value.quantize(step, rounding=ROUND_HALF_UP)
    return rounded == number.value and abs(known.value - number.value) / abs(known.value) <= _ROUNDING


def check_numbers(*texts: str, source: str) -> NumberCheck:
    """Check the numbers of ``texts`` (the LLM's title and summary) against ``source``.

    Returns a passed ``NumberCheck``, or a failed one listing each unsupported number once, as written.
    """
    known = numbers_in(source, words=True)
    unsupported: list[str] = []
    for text in texts:
        for number in numbers_in(text):
            if not _supported(number, known) and number.text not in unsupported:
                unsupported.append(number.text)
    return NumberCheck(passed=not unsupported, unsupported=unsupported)
