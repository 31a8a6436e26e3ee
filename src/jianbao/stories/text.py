"""Normalising report text: entity tokens (model names, brands, amounts) and the shingles compared.

Chinese and English reports of one event rarely share words, so every text also yields *entity tokens*
(model names with versions, brands through a bilingual alias table, numbers with units) that both
languages spell the same way once normalised; they carry extra weight in the shingles and drive the
cross-language rules of ``jianbao.stories.compare``. The word lists come from ``stories/words/``.
"""

from __future__ import annotations

import functools
import itertools
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass

from jianbao.stories.lexicon import word_set, word_table

__all__ = [
    "EntityTokens",
    "canonical_brand",
    "compact_text",
    "entity_tokens",
    "is_zh",
    "shingle_hash",
    "shingle_ints",
    "shingles",
    "title_shingles",
]

# ---------------------------------------------------------------------------------------------- entities

# The word lists, read once from stories/words/ (each file says what it is for).
_BRAND_ALIASES = word_table("brands")
_ALIAS_TO_BRAND = {alias: brand for brand, aliases in _BRAND_ALIASES.items() for alias in aliases}
_CJK_ALIASES = sorted((a for a in _ALIAS_TO_BRAND if re.search(r"[\u4e00-\u9fff]", a)), key=len, reverse=True)
_CJK_ALIAS_RE = re.compile("|".join(map(re.escape, _CJK_ALIASES)))
# Latin aliases of more than one word are looked for as phrases (hugging face, jensen huang)
_LATIN_PHRASES = tuple(a for a in _ALIAS_TO_BRAND if " " in a and not re.search(r"[\u4e00-\u9fff]", a))

_STOP_WORDS = word_set("stop_words")
_VARIANTS = word_set("model_variants")
_GENERIC_FAMILIES = word_set("generic_families")
_NO_JOIN_FAMILIES = word_set("no_join_families")  # house spelling: Qwen3.8, but GPT-5.6, GLM-5.3, Kimi-K3
_EN_COMMON = word_set("title_case_words")  # title-case English words that are not names
_STOP_NOT_GENERIC = _STOP_WORDS - _GENERIC_FAMILIES  # stop words that may not be a model's family

_LATIN_RUN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_]*(?:[\s\-/]+[A-Za-z0-9][A-Za-z0-9.+_]*)*")
_PART_SPLIT_RE = re.compile(r"[\s\-/_]+")
_ALNUM_SPLIT_RE = re.compile(r"([a-z]+)(\d+(?:\.\d+)*[a-z]?)$")
_VERSION_RE = re.compile(r"^(?:v?\d+(?:\.\d+)*[a-z]?|[a-z]\d+(?:\.\d+)*)$")
_ARXIV_RE = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])")
_CAMEL_RE = re.compile(r"[A-Za-z]*[a-z][A-Z][A-Za-z]*")

# The grammar of amounts stays beside the regexes that match it: they spell the same unit and currency
# words, and the order of their alternatives (万亿 before 万) decides what matches.
_MULT = {"万亿": 1e12, "千亿": 1e11, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}
_LATIN_MULT = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9, "t": 1e12, "tn": 1e12, "million": 1e6, "billion": 1e9}
_CURRENCY = {
    "美元": "usd",
    "$": "usd",
    "usd": "usd",
    "元": "cny",
    "人民币": "cny",
    "rmb": "cny",
    "欧元": "eur",
    "€": "eur",
    "eur": "eur",
    "英镑": "gbp",
    "£": "gbp",
    "日元": "jpy",
    "港元": "hkd",
    "港币": "hkd",
}
_NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?)"
_CN_MONEY_RE = re.compile(
    _NUM + r"\s*(万亿|千亿|亿|千万|百万|万|千)?\s*(美元|元|人民币|欧元|英镑|日元|港元|港币)"
)
_EN_MONEY_RE = re.compile(r"([$€£])\s?" + _NUM + r"\s*(bn|billion|million|[kmbt])?\b", re.I)
_EN_MONEY2_RE = re.compile(_NUM + r"\s*(billion|million|bn)\s*(?:usd|dollars|euros?)?", re.I)
_PERCENT_RE = re.compile(_NUM + r"\s*[%％]")
_COUNT_RE = re.compile(
    _NUM + r"\s*(万亿|亿|万)?\s*(参数|tokens?|倍|x|小时|卡|GW|MW|人|家|个国家|stars?|用户)", re.I
)
_PARAMS_RE = re.compile(r"(?<![A-Za-z0-9.$€£])(\d+(?:\.\d+)?)\s?([BMT])(?![A-Za-z])")
_CN_COUNT_RE = re.compile(
    _NUM
    + r"\s*(万亿|亿|万)(?!\s*(?:美元|元|人民币|欧元|英镑|日元|港元|港币|参数|tokens?|倍|小时|卡|人|家|用户))"
)
_SPEED_RE = re.compile(_NUM + r"\+?\s*(?:tokens?/s|tps|t/s|tokens? per second)", re.I)
_DATE_RE = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DIGIT_RE = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class EntityTokens:
    """Normalised entity tokens of a text; ``numbers`` are kept apart because they are the "new facts"."""

    models: frozenset[str] = frozenset()
    brands: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()

    @property
    def all(self) -> frozenset[str]:
        return self.models | self.brands | self.numbers

    def families(self) -> dict[str, set[str]]:
        """Model family → versions seen (``gpt`` → {``5.6``}), for telling GPT-5.6 from GPT-5.7."""
        out: dict[str, set[str]] = defaultdict(set)
        for token in self.models:
            if "@" in token:
                family, version = token.split("@", 1)
                out[family].add(version)
        return out


def _fmt_value(value: float) -> str:
    return f"{value:.6g}"


def _numbers(text: str) -> set[str]:
    out: set[str] = set()
    if not _DIGIT_RE.search(text):
        return out  # most of the cost of a text without numbers is the regexes below
    has_cur = any(c in text for c in "元币$€£")
    for num, mult, cur in _CN_MONEY_RE.findall(text) if has_cur else ():
        out.add(f"{_CURRENCY[cur]}:{_fmt_value(float(num.replace(',', '')) * _MULT.get(mult, 1))}")
    for cur, num, mult in _EN_MONEY_RE.findall(text) if has_cur else ():
        out.add(
            f"{_CURRENCY[cur]}:{_fmt_value(float(num.replace(',', '')) * _LATIN_MULT.get(mult.lower(), 1))}"
        )
    lowered = text.lower()
    for num, mult in _EN_MONEY2_RE.findall(text) if ("illion" in lowered or "bn" in lowered) else ():
        out.add(f"usd:{_fmt_value(float(num.replace(',', '')) * _LATIN_MULT[mult.lower()])}")
    for num in _PERCENT_RE.findall(text) if ("%" in text or "％" in text) else ():
        out.add(f"{_fmt_value(float(num.replace(',', '')))}%")
    for num, mult, unit in _COUNT_RE.findall(text):
        unit = unit.lower().rstrip("s")
        unit = {"x": "倍", "token": "tokens"}.get(unit, unit)
        out.add(f"{_fmt_value(float(num.replace(',', '')) * _MULT.get(mult, 1))}{unit}")
    for num, mult in _PARAMS_RE.findall(text):
        out.add(f"{_fmt_value(float(num) * {'B': 1e9, 'M': 1e6, 'T': 1e12}[mult])}参数")
    for num, mult in _CN_COUNT_RE.findall(text) if ("万" in text or "亿" in text) else ():
        out.add(_fmt_value(float(num.replace(",", "")) * _MULT[mult]))
    for num in (
        _SPEED_RE.findall(text) if ("/s" in lowered or "tps" in lowered or "per second" in lowered) else ()
    ):
        out.add(f"{_fmt_value(float(num.replace(',', '')))}tok/s")
    for month, day in _DATE_RE.findall(text) if "月" in text else ():
        out.add(f"date:{int(month)}-{int(day)}")
    return out


def _split_parts(run: str) -> list[str]:
    parts: list[str] = []
    for raw in _PART_SPLIT_RE.split(run.lower()):
        parts += _word_parts(raw)
    return parts


@functools.lru_cache(maxsize=1 << 16)  # pure, and a language's words come back in every text
def _word_parts(raw: str) -> tuple[str, ...]:
    """The parts one word of a run gives (``_split_parts``): none, itself, or a name and its version."""
    raw = raw.strip(".+")
    if not raw:
        return ()
    m = _ALNUM_SPLIT_RE.match(raw)
    if m and not _is_version(raw) and len(m.group(1)) >= 2:
        head, version = m.group(1), m.group(2)
        if head.endswith("v") and len(head) > 2:  # YOLOv4 → yolo, v4
            head, version = head[:-1], "v" + version
        return head, version
    return (raw,)


@functools.lru_cache(maxsize=1 << 16)
def _is_version(part: str) -> bool:
    return _VERSION_RE.match(part) is not None


def _models(text: str) -> set[str]:
    """``family@version`` facts plus readable tokens (``gpt-5.6``, ``gpt-5.6-sol``) for matching."""
    out: set[str] = set()
    for run in _LATIN_RUN_RE.findall(text):
        parts = _split_parts(run)
        for i, part in enumerate(parts):
            if not _is_version(part) or i == 0:
                if i == 0 and _is_version(part) and not part.isdigit() and len(parts) > 1:
                    nxt = parts[1]
                    if nxt in _VARIANTS:  # a bare "V4-Flash"
                        out.add(f"{part}-{nxt}")
                continue
            family = parts[i - 1]
            if (
                _is_version(family)
                or family in _STOP_NOT_GENERIC
                or (family in _EN_COMMON and family not in _VARIANTS)
                or family == "arxiv"
                or not family.isalpha()
            ):
                continue
            if family in _GENERIC_FAMILIES and i >= 2 and parts[i - 2].isalpha():
                family = f"{parts[i - 2]}-{family}"
            # otherwise the word before the version is the family: "Claude Opus 4.8" and "Opus 4.8" are
            # both opus@4.8, the same name
            version = part
            joiner = "" if family in _NO_JOIN_FAMILIES else "-"
            base = f"{family}{joiner}{version}"
            out.add(f"{family}@{version}")
            out.add(base)
            if i + 1 < len(parts) and parts[i + 1] in _VARIANTS:
                out.add(f"{family}@{version}#{parts[i + 1]}")
                out.add(f"{base}-{parts[i + 1]}")
                out.add(f"{version}-{parts[i + 1]}")
    for arxiv_id in _ARXIV_RE.findall(text):
        out.add(f"arxiv:{arxiv_id}")
    return out


def _brands(text: str, lowered: str) -> set[str]:
    out = {_ALIAS_TO_BRAND[m] for m in _CJK_ALIAS_RE.findall(text)}
    zh = bool(re.search(r"[\u4e00-\u9fff]", text))
    for run in _LATIN_RUN_RE.findall(text):
        for word in _PART_SPLIT_RE.split(run):
            if (brand := _brand_word(word, zh)) is not None:
                out.add(brand)
    for alias in _LATIN_PHRASES:
        if alias in lowered:
            out.add(_ALIAS_TO_BRAND[alias])
    return out


@functools.lru_cache(maxsize=1 << 16)  # pure, and a language's words come back in every text
def _brand_word(word: str, zh: bool) -> str | None:
    """The brand-level name one word of a Latin run is (``_brands``; ``zh``: the text is Chinese), or None."""
    low = word.lower().strip(".+")
    if len(low) < 2 or not low.isalpha():
        return None
    if low in _ALIAS_TO_BRAND:
        return _ALIAS_TO_BRAND[low]
    if low in _STOP_WORDS:
        return None
    if (zh and len(low) >= 3) or _CAMEL_RE.fullmatch(word) or (word.isupper() and len(word) >= 3):
        return low  # Latin names inside Chinese text, CamelCase and acronyms are names
    if word[:1].isupper() and len(low) >= 4 and low not in _EN_COMMON:
        return low
    return None


def entity_tokens(text: str) -> EntityTokens:
    """Entity tokens of a text, spelled so English and Chinese reports of one event meet."""
    lowered = text.lower()
    models = _models(text)
    brands = _brands(text, lowered)
    # a model family is also a brand-level name (qwen, gemini, glm...), so brand rules see it
    brands |= {m.split("@", 1)[0].split("-")[0] for m in models if "@" in m}
    brands = {_ALIAS_TO_BRAND.get(b, b) for b in brands}
    return EntityTokens(frozenset(models), frozenset(brands), frozenset(_numbers(text)))


def canonical_brand(name: str) -> str:
    """The brand an alias stands for (``英伟达`` → ``nvidia``); other names are returned unchanged."""
    return _ALIAS_TO_BRAND.get(name, name)


# --------------------------------------------------------------------------------------------- shingles

_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_SPACE_RE = re.compile(r"\s")
_NORM_RE = re.compile(r"[^\w\u3400-\u9fff]+")
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9.\-]*[a-z0-9]|[a-z0-9]")


def is_zh(text: str) -> bool:
    """Whether a text reads as Chinese: at least four CJK characters, weighing half its other characters."""
    cjk = len(text) - len(_CJK_RE.sub("", text))  # counted without a string for each character
    return cjk >= 4 and cjk * 3 >= len(_SPACE_RE.sub("", text)) * 0.5


def compact_text(text: str) -> str:
    """Lower-cased text with everything but letters, digits and CJK characters removed."""
    return _NORM_RE.sub("", text.lower())


def _text_shingles(text: str) -> set[str]:
    if is_zh(text):
        compact = compact_text(text)
        return {compact[i : i + 3] for i in range(max(1, len(compact) - 2))} if compact else set()
    words = [w for w in _WORD_RE.findall(text.lower()) if w not in _STOP_WORDS]
    return set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}


def shingle_ints(text: str, zh: bool | None = None) -> frozenset[int]:
    """``_text_shingles`` as integers: Chinese 3-grams packed from code points (exact, no hashing),
    English words and word pairs by crc32; stable across runs, unlike ``hash()``."""
    if is_zh(text) if zh is None else zh:
        o = list(map(ord, compact_text(text)))
        if len(o) < 3:
            return frozenset([(o[0] << 42) | (o[-1] << 21)]) if o else frozenset()
        return frozenset((a << 42) | (b << 21) | c for a, b, c in zip(o, o[1:], o[2:], strict=False))
    return frozenset(map(zlib.crc32, map(str.encode, _text_shingles(text))))  # shingle_hash of each, in C


def shingles(text: str, *, entities: EntityTokens | None = None, weight: int = 3) -> set[str]:
    """Character 3-grams (Chinese) or 1–2 word shingles (English) plus weighted entity tokens.

    Model names and amounts are added ``weight`` times (as distinct marked shingles) so a Chinese and an
    English report sharing ``gpt-5.6`` and ``usd:2e+10`` land in one LSH bucket; brands are added once
    because they are too common to say which event it is.
    """
    return _weighted(_text_shingles(text), entity_tokens(text) if entities is None else entities, weight)


def _weighted(plain: set[str], ents: EntityTokens, weight: int) -> set[str]:
    out = set(plain)
    for token in ents.models | ents.numbers:
        if "@" not in token and not token.startswith("date:"):
            out.update(f"\x00{token}\x00{k}" for k in range(weight))
    out.update(f"\x00{token}" for token in ents.brands)
    return out


_CJK_RUN_RE = re.compile(r"[\u3400-\u9fff]+")


def title_shingles(title: str) -> set[str]:
    """Chinese character bigrams plus Latin words: mixed headlines (``Claude Code 默认启用 Auto Mode``)
    compare the same way whichever language dominates."""
    lowered = title.lower()
    out = {w for w in _WORD_RE.findall(lowered) if w not in _STOP_WORDS and w not in _EN_COMMON}
    for run in _CJK_RUN_RE.findall(lowered):
        out.update(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else out.add(run)
    return out


def shingle_hash(shingle: str) -> int:
    """crc32 of a shingle: stable across runs and processes, unlike ``hash()``."""
    return zlib.crc32(shingle.encode("utf-8"))
