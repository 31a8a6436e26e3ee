"""Story clustering: one event is one item, across sources, languages and days, and never printed twice.

Three layers share one notion of "same event" (``_same_event``):

* ``cluster_entries`` groups fresh entries into ``Story`` records (MinHash LSH proposes candidate
  pairs, an exact score confirms them, shared paper/code keys and canonical URLs join unconditionally);
* ``match_history`` marks stories already published as repeats (``published``) or ``update``;
* ``find_repeats`` answers ``jianbao check FILE.md --window N`` on parsed archive items.

Chinese and English reports of one event rarely share words, so every text also yields *entity tokens*
(model names with versions, brands through a bilingual alias table, numbers with units) that both
languages spell the same way once normalised; they carry extra weight in the shingles and drive the
cross-language rules.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import itertools
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np

from jianbao.records import Entry, Item, Story
from jianbao.urls import link_key

__all__ = [
    "ClusterSettings",
    "EntityTokens",
    "HistoryStory",
    "RepeatCandidate",
    "cluster_entries",
    "entity_tokens",
    "find_repeats",
    "item_candidate",
    "match_history",
    "shingles",
]


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Knobs of clustering and repeat detection; the defaults are tuned on the 2026 daily archive."""

    lsh_threshold: float = 0.5  # MinHash LSH Jaccard threshold: low, LSH only proposes candidates
    num_perm: int = 64  # MinHash permutations (14 bands of 4 at threshold 0.5); 32 is faster, recall holds
    confirm_threshold: float = 0.45  # exact Jaccard of text shingles that confirms a same-language pair
    title_threshold: float = (
        0.45  # Jaccard of headline shingles (Chinese bigrams, English words) that confirms
    )
    support_threshold: float = 0.3  # weaker headline Jaccard accepted when headline entities agree
    event_threshold: float = 0.15  # headline Jaccard enough when subject and kind of event agree
    cross_language_min_shared: int = 2  # headline entities in common (≥1 model or number) that confirm
    entity_weight: int = 3  # copies of each entity token in the shingle set, so they count in MinHash
    lead_chars: int = 120  # how much of the summary joins the title as clustering text
    body_threshold: float = 0.15  # Jaccard of body character bigrams that, with a rare shared name, confirms
    max_cluster_size: int = 60  # a union that would grow a cluster beyond this is refused (anti-chaining)
    history_days_weekly: int = 28
    history_days_daily: int = 7


DEFAULT_SETTINGS = ClusterSettings()

# ---------------------------------------------------------------------------------------------- entities

_BRAND_ALIASES: dict[str, tuple[str, ...]] = {
    "nvidia": ("英伟达", "nvidia", "輝達", "辉达"),
    "google": ("谷歌", "google"),
    "deepmind": ("deepmind",),
    "microsoft": ("微软", "microsoft"),
    "apple": ("苹果", "apple"),
    "meta": ("meta", "脸书", "facebook"),
    "amazon": ("亚马逊", "amazon", "aws"),
    "openai": ("openai",),
    "anthropic": ("anthropic",),
    "claude": ("claude",),
    "chatgpt": ("chatgpt",),
    "gemini": ("gemini",),
    "zhipu": ("智谱", "zhipu", "z.ai"),
    "glm": ("glm",),
    "moonshot": ("月之暗面", "moonshot"),
    "kimi": ("kimi",),
    "alibaba": ("阿里巴巴", "阿里云", "阿里", "alibaba"),
    "qwen": ("通义千问", "通义", "千问", "qwen"),
    "bytedance": ("字节跳动", "字节", "bytedance"),
    "doubao": ("豆包", "doubao"),
    "volcengine": ("火山引擎", "volcengine", "volcano engine"),
    "deepseek": ("深度求索", "deepseek"),
    "unitree": ("宇树", "unitree"),
    "tencent": ("腾讯", "tencent"),
    "hunyuan": ("混元", "hunyuan"),
    "baidu": ("百度", "baidu"),
    "ernie": ("文心", "ernie"),
    "xiaomi": ("小米", "xiaomi"),
    "huawei": ("华为", "huawei"),
    "minimax": ("minimax", "稀宇"),
    "stepfun": ("阶跃星辰", "stepfun"),
    "xai": ("xai",),
    "grok": ("grok",),
    "spacex": ("spacex",),
    "tesla": ("特斯拉", "tesla"),
    "musk": ("马斯克", "musk"),
    "altman": ("奥特曼", "altman"),
    "huang": ("黄仁勋", "jensen huang"),
    "amd": ("amd",),
    "intel": ("英特尔", "intel"),
    "tsmc": ("台积电", "tsmc"),
    "qualcomm": ("高通", "qualcomm"),
    "samsung": ("三星", "samsung"),
    "cursor": ("cursor",),
    "perplexity": ("perplexity",),
    "mistral": ("mistral",),
    "huggingface": ("hugging face", "huggingface", "抱抱脸"),
    "github": ("github",),
    "meituan": ("美团", "meituan"),
    "kuaishou": ("快手", "kuaishou"),
    "kling": ("可灵", "kling"),
    "zhiyuan": ("智源", "baai"),
    "modelbest": ("面壁智能", "面壁", "modelbest"),
    "iflytek": ("科大讯飞", "讯飞", "iflytek"),
    "sensetime": ("商汤", "sensetime"),
    "stripe": ("stripe",),
    "softbank": ("软银", "softbank"),
    "cerebras": ("cerebras",),
}
_ALIAS_TO_BRAND = {alias: brand for brand, aliases in _BRAND_ALIASES.items() for alias in aliases}
_CJK_ALIASES = sorted((a for a in _ALIAS_TO_BRAND if re.search(r"[\u4e00-\u9fff]", a)), key=len, reverse=True)
_CJK_ALIAS_RE = re.compile("|".join(map(re.escape, _CJK_ALIASES)))

# Latin words too common in AI news to say anything about which event it is.
_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "at",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "how",
        "why",
        "what",
        "when",
        "who",
        "new",
        "now",
        "just",
        "more",
        "most",
        "over",
        "into",
        "about",
        "after",
        "before",
        "than",
        "vs",
        "via",
        "your",
        "you",
        "we",
        "our",
        "they",
        "their",
        "he",
        "she",
        "his",
        "her",
        "not",
        "no",
        "can",
        "will",
        "would",
        "could",
        "may",
        "might",
        "says",
        "say",
        "said",
        "reportedly",
        "report",
        "reports",
        "launches",
        "launch",
        "launched",
        "releases",
        "release",
        "released",
        "introduces",
        "introducing",
        "introduce",
        "announces",
        "announced",
        "unveils",
        "unveiled",
        "adds",
        "add",
        "gets",
        "get",
        "makes",
        "make",
        "using",
        "use",
        "uses",
        "used",
        "based",
        "first",
        "latest",
        "ai",
        "agi",
        "llm",
        "llms",
        "gpu",
        "gpus",
        "api",
        "apis",
        "ceo",
        "cto",
        "cfo",
        "mcp",
        "rag",
        "sdk",
        "app",
        "apps",
        "model",
        "models",
        "agent",
        "agents",
        "agentic",
        "open",
        "source",
        "open-source",
        "weights",
        "weight",
        "tool",
        "tools",
        "data",
        "center",
        "centers",
        "chip",
        "chips",
        "startup",
        "startups",
        "company",
        "companies",
        "tech",
        "system",
        "systems",
        "news",
        "update",
        "updates",
        "today",
        "week",
        "day",
        "year",
        "years",
        "one",
        "two",
        "three",
        "million",
        "billion",
        "trillion",
        "percent",
        "per",
        "pro",
        "max",
        "mini",
        "plus",
        "lite",
        "flash",
        "ultra",
        "turbo",
        "beta",
        "preview",
        "v",
        "new",
        "github",
        "com",
        "www",
        "http",
        "https",
        "html",
        "blog",
        "post",
        "research",
        "paper",
        "papers",
        "study",
        "code",
        "coding",
        "developer",
        "developers",
        "hn",
        "ask",
        "show",
        "tldr",
        "the-decoder",
        "decoder",
        "via",
        "x",
    ]
)
_VARIANTS = frozenset(
    [
        "pro",
        "max",
        "mini",
        "plus",
        "lite",
        "flash",
        "ultra",
        "turbo",
        "instant",
        "sol",
        "terra",
        "luna",
        "cyber",
        "lightning",
        "nano",
        "vision",
        "exp",
        "omni",
        "air",
        "coder",
        "thinking",
        "preview",
        "ultraspeed",
        "ultrafast",
        "base",
        "chat",
        "instruct",
        "fast",
        "large",
        "small",
        "medium",
        "opus",
        "sonnet",
        "haiku",
    ]
)
# A "family" word that says too little alone: keep the word before it (Claude Code, Gemini Robotics).
_GENERIC_FAMILIES = frozenset(
    [
        "code",
        "cli",
        "image",
        "audio",
        "video",
        "robotics",
        "embedding",
        "live",
        "world",
        "model",
        "agent",
        "vl",
        "vla",
        "tts",
        "asr",
        "ocr",
        "music",
    ]
)
_NO_JOIN_FAMILIES = frozenset({"qwen"})  # house spelling: Qwen3.8, but GPT-5.6, GLM-5.3, Kimi-K3

_LATIN_RUN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+_]*(?:[\s\-/]+[A-Za-z0-9][A-Za-z0-9.+_]*)*")
_PART_SPLIT_RE = re.compile(r"[\s\-/_]+")
_ALNUM_SPLIT_RE = re.compile(r"([a-z]+)(\d+(?:\.\d+)*[a-z]?)$")
_VERSION_RE = re.compile(r"^(?:v?\d+(?:\.\d+)*[a-z]?|[a-z]\d+(?:\.\d+)*)$")
_ARXIV_RE = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])")
_CAMEL_RE = re.compile(r"[A-Za-z]*[a-z][A-Z][A-Za-z]*")

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
        raw = raw.strip(".+")
        if not raw:
            continue
        m = _ALNUM_SPLIT_RE.match(raw)
        if m and not _VERSION_RE.match(raw) and len(m.group(1)) >= 2:
            head, version = m.group(1), m.group(2)
            if head.endswith("v") and len(head) > 2:  # YOLOv4 → yolo, v4
                head, version = head[:-1], "v" + version
            parts += [head, version]
        else:
            parts.append(raw)
    return parts


def _models(text: str) -> set[str]:
    """``family@version`` facts plus readable tokens (``gpt-5.6``, ``gpt-5.6-sol``) for matching."""
    out: set[str] = set()
    for run in _LATIN_RUN_RE.findall(text):
        parts = _split_parts(run)
        for i, part in enumerate(parts):
            if not _VERSION_RE.match(part) or i == 0:
                if i == 0 and _VERSION_RE.match(part) and not part.isdigit() and len(parts) > 1:
                    nxt = parts[1]
                    if nxt in _VARIANTS:  # a bare "V4-Flash"
                        out.add(f"{part}-{nxt}")
                continue
            family = parts[i - 1]
            if (
                _VERSION_RE.match(family)
                or family in _STOP_WORDS - _GENERIC_FAMILIES
                or (family in _EN_COMMON and family not in _VARIANTS)
                or family == "arxiv"
                or not family.isalpha()
            ):
                continue
            if family in _GENERIC_FAMILIES and i >= 2 and parts[i - 2].isalpha():
                family = f"{parts[i - 2]}-{family}"
            elif family in {"opus", "sonnet", "haiku", "mythos", "fable"}:
                family = family  # "Claude Opus 4.8" and "Opus 4.8" are the same name
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
            low = word.lower().strip(".+")
            if len(low) < 2 or not low.isalpha():
                continue
            if low in _ALIAS_TO_BRAND:
                out.add(_ALIAS_TO_BRAND[low])
            elif low in _STOP_WORDS:
                continue
            elif (zh and len(low) >= 3) or _CAMEL_RE.fullmatch(word) or (word.isupper() and len(word) >= 3):
                out.add(low)  # Latin names inside Chinese text, CamelCase and acronyms are names
            elif word[:1].isupper() and len(low) >= 4 and low not in _EN_COMMON:
                out.add(low)
    for alias in ("hugging face", "volcano engine", "jensen huang"):
        if alias in lowered:
            out.add(_ALIAS_TO_BRAND[alias])
    return out


# Title-case English words that are not names (titles capitalise everything).
_EN_COMMON = frozenset(
    [
        "with",
        "from",
        "into",
        "over",
        "after",
        "about",
        "against",
        "between",
        "through",
        "during",
        "without",
        "under",
        "while",
        "where",
        "which",
        "their",
        "there",
        "these",
        "those",
        "this",
        "that",
        "what",
        "when",
        "will",
        "would",
        "could",
        "should",
        "have",
        "has",
        "had",
        "does",
        "done",
        "being",
        "more",
        "most",
        "less",
        "least",
        "many",
        "much",
        "some",
        "such",
        "very",
        "only",
        "also",
        "just",
        "even",
        "still",
        "back",
        "down",
        "then",
        "than",
        "them",
        "they",
        "your",
        "yours",
        "here",
        "help",
        "helps",
        "make",
        "makes",
        "made",
        "take",
        "takes",
        "took",
        "turn",
        "turns",
        "turned",
        "bring",
        "brings",
        "need",
        "needs",
        "want",
        "wants",
        "work",
        "works",
        "working",
        "build",
        "builds",
        "building",
        "built",
        "find",
        "finds",
        "found",
        "show",
        "shows",
        "shown",
        "look",
        "looks",
        "keep",
        "keeps",
        "give",
        "gives",
        "given",
        "know",
        "knows",
        "known",
        "think",
        "thinks",
        "call",
        "calls",
        "called",
        "plans",
        "plan",
        "raises",
        "raise",
        "raised",
        "buys",
        "buy",
        "bought",
        "acquires",
        "acquire",
        "acquisition",
        "deal",
        "deals",
        "funding",
        "round",
        "available",
        "now",
        "frontier",
        "valuation",
        "revenue",
        "growth",
        "users",
        "user",
        "people",
        "world",
        "global",
        "local",
        "public",
        "private",
        "human",
        "humans",
        "research",
        "researchers",
        "study",
        "studies",
        "paper",
        "papers",
        "model",
        "models",
        "agent",
        "agents",
        "tool",
        "tools",
        "data",
        "first",
        "last",
        "next",
        "latest",
        "better",
        "best",
        "faster",
        "fast",
        "bigger",
        "large",
        "small",
        "big",
        "long",
        "short",
        "high",
        "low",
        "open",
        "closed",
        "free",
        "paid",
        "safety",
        "security",
        "risk",
        "risks",
        "test",
        "tests",
        "testing",
        "benchmark",
        "benchmarks",
        "claims",
        "claim",
        "says",
        "said",
        "warns",
        "warn",
        "want",
        "wants",
        "reportedly",
        "report",
        "reports",
        "according",
        "official",
        "launch",
        "launches",
        "launched",
        "release",
        "releases",
        "released",
        "introduces",
        "introducing",
        "announce",
        "announces",
        "unveils",
        "unveil",
        "rolls",
        "roll",
        "adds",
        "expands",
        "expand",
        "brings",
        "bring",
        "lets",
        "allows",
        "allow",
        "powered",
        "power",
        "video",
        "image",
        "images",
        "audio",
        "voice",
        "text",
        "code",
        "coding",
        "search",
        "chat",
        "assistant",
        "platform",
        "service",
        "company",
        "companies",
        "startup",
        "startup's",
        "firm",
        "government",
        "court",
        "court's",
        "judge",
        "rules",
        "rule",
        "law",
        "laws",
        "chief",
        "head",
        "lead",
        "team",
        "teams",
        "staff",
        "employee",
        "employees",
        "engineers",
        "engineer",
        "developer",
        "developers",
        "billion",
        "million",
        "trillion",
        "percent",
        "times",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "days",
        "today",
        "inside",
        "behind",
        "ahead",
        "beyond",
        "across",
        "toward",
        "towards",
        "within",
        "upon",
        "onto",
    ]
)


def entity_tokens(text: str) -> EntityTokens:
    """Entity tokens of a text, spelled so English and Chinese reports of one event meet."""
    lowered = text.lower()
    models = _models(text)
    brands = _brands(text, lowered)
    # a model family is also a brand-level name (qwen, gemini, glm...), so brand rules see it
    brands |= {m.split("@", 1)[0].split("-")[0] for m in models if "@" in m}
    brands = {_ALIAS_TO_BRAND.get(b, b) for b in brands}
    return EntityTokens(frozenset(models), frozenset(brands), frozenset(_numbers(text)))


# --------------------------------------------------------------------------------------------- shingles

_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_NORM_RE = re.compile(r"[^\w\u3400-\u9fff]+")
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9.\-]*[a-z0-9]|[a-z0-9]")


def _is_zh(text: str) -> bool:
    cjk = len(_CJK_RE.findall(text))
    return cjk >= 4 and cjk * 3 >= len(re.sub(r"\s", "", text)) * 0.5


def _norm(text: str) -> str:
    return _NORM_RE.sub("", text.lower())


def _text_shingles(text: str) -> set[str]:
    if _is_zh(text):
        compact = _norm(text)
        return {compact[i : i + 3] for i in range(max(1, len(compact) - 2))} if compact else set()
    words = [w for w in _WORD_RE.findall(text.lower()) if w not in _STOP_WORDS]
    return set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}


def _plain_ints(text: str, zh: bool | None = None) -> frozenset[int]:
    """``_text_shingles`` as integers: Chinese 3-grams packed from code points (exact, no hashing),
    English words and word pairs by crc32; stable across runs, unlike ``hash()``."""
    if _is_zh(text) if zh is None else zh:
        o = list(map(ord, _norm(text)))
        if len(o) < 3:
            return frozenset([(o[0] << 42) | (o[-1] << 21)]) if o else frozenset()
        return frozenset((a << 42) | (b << 21) | c for a, b, c in zip(o, o[1:], o[2:], strict=False))
    return frozenset(_crc(x) for x in _text_shingles(text))


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


# ------------------------------------------------------------------------------------------ comparison


@dataclass(slots=True)
class _Doc:
    title: str
    zh: bool
    ents: EntityTokens
    plain: frozenset[int]  # crc32 of the text shingles (exact Jaccard, a third of the memory of strings)
    title_shingles: set[str]
    title_strong: frozenset[str]  # model names and numbers (not dates) of the headline
    title_names: frozenset[str]  # brands and names written in the headline itself
    families: dict[str, set[str]]
    title_zh: bool
    event: str | None
    title_numbers: frozenset[str]
    keys: set[str] = field(default_factory=set)
    events: frozenset[str] = frozenset()  # every kind of event the headline names (暂停, 谈判, 开源…)
    subjects: frozenset[str] = frozenset()  # headline names plus model families (Fable/Mythos either way)
    facts: frozenset[str] = frozenset()  # amounts anywhere in the report, dates left out
    versions: frozenset[str] = frozenset()  # x.y.z release numbers of the headline (Claude Code 2.1.170)
    rumour: bool = False  # 传 / 据传 / reportedly: its confirmation later is the same story
    # set by ``find_repeats`` only (a few dozen items, not 100k entries): character bigrams of the body
    # and the headline names few items of the window share (Astra, OpenRouter, Frozen v2)
    body: frozenset[str] = frozenset()
    rare: frozenset[str] = frozenset()


_CJK_RUN_RE = re.compile(r"[\u3400-\u9fff]+")


def _title_shingles(title: str) -> set[str]:
    """Chinese character bigrams plus Latin words: mixed headlines (``Claude Code 默认启用 Auto Mode``)
    compare the same way whichever language dominates."""
    lowered = title.lower()
    out = {w for w in _WORD_RE.findall(lowered) if w not in _STOP_WORDS and w not in _EN_COMMON}
    for run in _CJK_RUN_RE.findall(lowered):
        out.update(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else out.add(run)
    return out


_OUTLETS = frozenset(
    [
        "decoder",
        "bloomberg",
        "reuters",
        "techcrunch",
        "information",
        "wsj",
        "cnbc",
        "axios",
        "verge",
        "wired",
        "ft",
        "ars",
        "technica",
        "venturebeat",
        "tldr",
        "hacker",
        "hn",
        "news",
        "times",
        "journal",
        "guardian",
        "semafor",
        "engadget",
        "zdnet",
        "register",
        "sina",
        "explainx",
        "moneydj",
        "cryptobriefing",
        "changelog",
        "blog",
        "developers",
    ]
)
_EVENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("open", ("开源", "open-source", "open source", "open-sources", "open weights", "开放权重")),
    ("ipo", ("上市", "ipo", "s-1", "招股", "敲钟")),
    ("acquire", ("收购", "并购", "acquire", "acquisition", "buys")),
    ("funding", ("融资", "raises", "funding", "series")),
    ("price", ("降价", "涨价", "price cut", "pricing", "定价")),
    ("revenue", ("营收", "收入", "revenue", "arr")),
    ("lawsuit", ("起诉", "诉讼", "lawsuit", "sues", "判决", "裁定", "ruling", "法院", "court")),
    ("people", ("离职", "跳槽", "加入", "joins", "leaves", "hires", "出走")),
    ("suspend", ("下线", "暂停", "停售", "suspend", "pulls", "撤回")),
    ("security", ("漏洞", "逃逸", "入侵", "攻击", "失控", "vulnerab", "hack", "breach")),
    ("letter", ("联名", "公开信", "签名", "open letter")),
    ("talks", ("谈判", "会谈", "磋商", "negotiat", "talks with")),
    ("restore", ("恢复", "解封", "重新上线", "restore", "reinstat")),
    ("limit", ("限量", "限流", "限制访问", "审批", "restrict", "limited")),
    ("default", ("默认", "by default", "default")),
    ("market", ("市值", "股价", "market cap", "stock")),
    ("available", ("available on", "now available", "上架", "登陆", "入驻")),
    ("release", ("发布", "推出", "上线", "launch", "release", "introduc", "unveil", "debut")),
)


_EVENT_RE = re.compile("|".join(f"({'|'.join(map(re.escape, words))})" for _, words in _EVENTS))


_RUMOUR_RE = re.compile(r"据传|传闻|^传|曝光|或将|reportedly|rumou?r|leak", re.I)
_RELEASE_RE = re.compile(r"(?<![\d.])v?(\d+\.\d+\.\d+)(?![\d.])")


def _all_events(title: str) -> frozenset[str]:
    return frozenset(_EVENTS[m.lastindex - 1][0] for m in _EVENT_RE.finditer(title.lower()) if m.lastindex)


def _first_event(title: str) -> str | None:
    """The kind of event a headline leads with (开源 / 融资 / 发布…), by first position."""
    m = _EVENT_RE.search(title.lower())
    return _EVENTS[m.lastindex - 1][0] if m and m.lastindex else None


def _doc(title: str, text: str, keys: Iterable[str] = (), *, label: str = "") -> _Doc:
    """Comparison features of one report; ``label`` is a daily item's bold entity (company or outlet)."""
    full = f"{title} {text}".strip()
    title_ents = entity_tokens(title)
    rest = entity_tokens(f"{label} {text}")
    ents = EntityTokens(
        title_ents.models | rest.models, title_ents.brands | rest.brands, title_ents.numbers | rest.numbers
    )
    families = title_ents.families()
    # a name that is only the family of a headline model (fable in "Fable 5") adds no evidence
    derived = {f.split("-")[0] for f in families} | {_ALIAS_TO_BRAND.get(f, f) for f in families}
    names = set(title_ents.brands)
    if label:
        names |= entity_tokens(label).brands
    title_numbers = frozenset(n for n in title_ents.numbers if not n.startswith("date:"))
    zh = _is_zh(full)
    events = [_EVENTS[m.lastindex - 1][0] for m in _EVENT_RE.finditer(title.lower()) if m.lastindex]
    return _Doc(
        title=title,
        zh=zh,
        ents=ents,
        plain=_plain_ints(full, zh),
        title_shingles=_title_shingles(title),
        title_strong=frozenset({m for m in title_ents.models if "@" not in m} | title_numbers),
        title_names=frozenset(names) - derived - _OUTLETS,
        event=events[0] if events else None,
        title_numbers=title_numbers,
        families=families,
        title_zh=_is_zh(title),
        keys=set(keys),
        events=frozenset(events),
        subjects=frozenset(n for n in (names | derived) - _OUTLETS if len(n) >= 2),
        versions=frozenset(_RELEASE_RE.findall(title)),
        rumour=bool(_RUMOUR_RE.search(title)),
        facts=frozenset(n for n in ents.numbers if not n.startswith("date:")),
    )


def _jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _unit(number: str) -> str:
    return _DIGITS_RE.sub("", number)


_DIGITS_RE = re.compile(r"[\d.e+\-]+")


def _version_conflict(a: _Doc, b: _Doc, *, amounts: bool = True) -> bool:
    """Headlines that name different versions or different amounts report different events.

    GPT-5.6 vs GPT-5.7, Claude Code 2.1.178 vs 2.1.180, V4 Pro vs V4 Flash, 融资 20 亿 vs 融资 35 亿.
    """
    if a.versions and b.versions and not a.versions & b.versions:
        return True  # a new version of a recurring release
    if a.families and b.families and not a.families.keys() & b.families.keys():
        return True  # each headline is about a different model
    for family in a.families.keys() & b.families.keys():
        va, vb = a.families[family], b.families[family]
        bare_a, bare_b = {v.split("#")[0] for v in va}, {v.split("#")[0] for v in vb}
        if not bare_a & bare_b:
            return True
        for version in bare_a & bare_b:
            var_a = {v for v in va if v.startswith(version + "#")}
            var_b = {v for v in vb if v.startswith(version + "#")}
            if var_a and var_b and not var_a & var_b:
                return True
    if amounts and a.title_numbers and b.title_numbers and not a.title_numbers & b.title_numbers:
        units = {_unit(n) for n in a.title_numbers} & {_unit(n) for n in b.title_numbers}
        for unit in units:
            if not {n for n in a.title_numbers if _unit(n) == unit} & {
                n for n in b.title_numbers if _unit(n) == unit
            }:
                return True
    return False


def _same_event(a: _Doc, b: _Doc, settings: ClusterSettings) -> bool:
    """Exact confirmation of a candidate pair; LSH and the entity index only propose."""
    if a.keys & b.keys:
        return True
    if not _alike(a, b, settings):
        return False
    # a rumour and its confirmation are one story even when the amount moved (70 亿 → 80 亿)
    return not _version_conflict(a, b, amounts=not (a.rumour or b.rumour))


def _alike(a: _Doc, b: _Doc, settings: ClusterSettings) -> bool:
    """Whether two reports read as one event, before the version/amount veto."""
    title_sim = _jaccard(a.title_shingles, b.title_shingles)
    if a.zh == b.zh and title_sim >= settings.title_threshold:
        return True
    if a.zh == b.zh and _jaccard(a.plain, b.plain) >= settings.confirm_threshold:
        return True
    # the headlines name the same thing (a model, an amount) and something else in common; across
    # languages this is the only way to meet, within one language the headlines must also look alike
    strong = a.title_strong & b.title_strong
    names = a.title_names & b.title_names
    if a.events and b.events and not a.events & b.events:
        return False  # one saga, two steps: 暂停访问 then 谈判恢复 are different events
    subjects = a.subjects & b.subjects
    if a.subjects and b.subjects and not subjects:
        return False  # OpenAI files its S-1, Anthropic files its S-1: two events
    # a name few items of the window carry (Astra, OpenRouter) and bodies that read alike, or a
    # rumour and its confirmation about that name
    rare = a.rare & b.rare
    if rare and (_jaccard(a.body, b.body) >= settings.body_threshold or a.rumour or b.rumour):
        return True
    # bodies that retell the same facts (水印检测 API / 添加水印) under a shared name or a similar headline
    if (
        a.body
        and b.body
        and _jaccard(a.body, b.body) >= 2 * settings.body_threshold
        and (subjects or title_sim >= 0.2)
    ):
        return True
    # one subject and the same specific kind of event (暂停, 限量, 默认启用…), not a generic 发布
    specific = a.events - {"release"}
    if (
        subjects
        and specific
        and specific == b.events - {"release"}
        and (
            strong or len(subjects) >= 2 or title_sim >= settings.event_threshold or a.title_zh != b.title_zh
        )
    ):
        return True
    # the same subject and two amounts of the report in common (89% and 13.6%): one event reworded
    if subjects and len(a.facts & b.facts) >= 2:
        return True
    if not strong and len(names) < 2:
        return False
    cross = a.title_zh != b.title_zh
    if (
        strong
        and len(strong) + len(names) >= settings.cross_language_min_shared
        and (cross or title_sim >= settings.support_threshold)
    ):
        return True
    # two amounts in common in the headlines (1T 参数, 1000 tokens/s) and a name: one event
    if names and sum(1 for t in strong if t in a.title_numbers) >= 2:
        return True
    # the same subject doing the same kind of thing (Kimi K3 开源 / Moonshot open-sources Kimi K3)
    shared_model = any(t in a.ents.models for t in strong)
    if (shared_model or names) and a.event is not None and a.event == b.event:
        return cross or title_sim >= settings.event_threshold
    return False


# ------------------------------------------------------------------------------------------- clustering


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int, *, cap: int | None = None) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if cap is not None and self.size[ra] + self.size[rb] > cap:
            return False
        if rb < ra:
            ra, rb = rb, ra  # the smaller index stays root: deterministic
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return True


def _entry_keys(entry: Entry) -> set[str]:
    keys = {k for k in entry.keys if not _is_hub_key(k)}
    # An entry that IS a paper or a repository (an arXiv listing, a GitHub project feed, a trending row)
    # carries that key in its own URL, not among its links; an article citing it must meet it there.
    own = _own_key(entry.canonical_url or entry.url)
    if own and not _is_hub_key(own):
        keys.add(own)
    if entry.canonical_url:
        keys.add(f"url:{entry.canonical_url}")
    return keys


_KEY_HINTS = ("arxiv", "github", "gitee", "doi", "openreview", "huggingface", "hf.co", "?")


def _own_key(url: str) -> str | None:
    """``link_key`` of an entry's own URL, skipping the parse for URLs that cannot carry a key."""
    low = url.lower()
    return link_key(url) if any(h in low for h in _KEY_HINTS) else None


_HUB_REPOS = frozenset(
    {"github:huggingface/transformers", "github:openai/openai-python", "github:vllm-project/vllm"}
)


def _is_hub_key(key: str) -> bool:
    """Keys too many unrelated entries cite to identify one event (``url:`` keys, mega-repos)."""
    return key.startswith("url:") or key in _HUB_REPOS


def _entry_text(entry: Entry, lead_chars: int) -> tuple[str, str]:
    lead = (entry.summary or entry.content)[:lead_chars]
    return entry.title, lead


def _crc(shingle: str) -> int:
    return zlib.crc32(shingle.encode("utf-8"))


_MASK32 = np.uint64(0xFFFFFFFF)


def _hash_params(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(1)  # fixed seed: signatures, hence clusters, are stable across runs
    a = rng.randint(1, 2**62, size=num_perm, dtype=np.int64).astype(np.uint64) | np.uint64(1)
    b = rng.randint(0, 2**62, size=num_perm, dtype=np.int64).astype(np.uint64)
    return a, b


def _marked_ints(ents: EntityTokens, weight: int) -> list[int]:
    """``_weighted`` entity shingles as integers: ``weight`` variants of each model or amount, brands once."""
    out = []
    for token in ents.models | ents.numbers:
        if "@" not in token and not token.startswith("date:"):
            h = _crc(token) | (1 << 40)
            out += [h + (k << 32) for k in range(weight)]
    out += [_crc(token) | (1 << 44) for token in ents.brands]
    return out


def _signatures(docs: Sequence[_Doc], settings: ClusterSettings, chunk: int = 2048) -> np.ndarray:
    """MinHash signatures of every document as one ``(n, num_perm)`` uint32 array.

    Shingles are crc32 integers already; a multiply-shift hash per permutation and ``minimum.reduceat``
    over each document's slice do in numpy what per-document MinHash objects would do in Python, and only
    the signature array stays alive (no MinHash objects are retained).
    """
    a, b = _hash_params(settings.num_perm)
    out = np.empty((len(docs), settings.num_perm), dtype=np.uint32)
    weight = settings.entity_weight
    for start in range(0, len(docs), chunk):
        arrays = []
        for d in docs[start : start + chunk]:
            marked = _marked_ints(d.ents, weight)
            values = np.fromiter(itertools.chain(d.plain, marked), dtype=np.uint64)
            arrays.append(values if values.size else np.zeros(1, dtype=np.uint64))
        lengths = np.fromiter((len(x) for x in arrays), dtype=np.int64, count=len(arrays))
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        flat = np.concatenate(arrays)
        hashed = ((flat[:, None] * a + b) >> np.uint64(32)) & _MASK32  # (m, num_perm), wraps mod 2**64
        out[start : start + len(arrays)] = np.minimum.reduceat(hashed, offsets, axis=0)
    return out


@functools.lru_cache(maxsize=8)
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising false positives plus false negatives around ``threshold``.

    The same criterion as datasketch's ``MinHashLSH`` (without importing scipy for the integrals).
    """
    grid = np.linspace(0.0, 1.0, 2001)
    best, best_err = (1, num_perm), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            p = 1.0 - (1.0 - grid**r) ** b
            fp = np.trapezoid(p[grid <= threshold], grid[grid <= threshold])
            fn = np.trapezoid(1.0 - p[grid >= threshold], grid[grid >= threshold])
            if fp + fn < best_err:
                best, best_err = (b, r), fp + fn
    return best


def _candidate_pairs(
    docs: Sequence[_Doc], settings: ClusterSettings, *, max_bucket: int = 24
) -> set[tuple[int, int]]:
    """Pairs sharing an LSH band bucket; a big bucket links each member to its ``max_bucket`` predecessors.

    Buckets are found by sorting band hashes (no per-entry index queries); the cap keeps a bucket of
    near-identical boilerplate from costing O(size²) confirmations while still connecting all of it.
    """
    n = len(docs)
    if n < 2:
        return set()
    sig = _signatures(docs, settings)
    bands, rows = _bands(settings.lsh_threshold, settings.num_perm)
    mult = np.random.RandomState(7).randint(1, 2**62, size=rows, dtype=np.int64).astype(
        np.uint64
    ) | np.uint64(1)
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    ids = np.arange(n, dtype=np.int64)
    for band in range(bands):
        block = sig[:, band * rows : (band + 1) * rows].astype(np.uint64)
        keys = (block * mult).sum(axis=1, dtype=np.uint64)  # wraps mod 2**64: a hash of the band
        order = np.lexsort((ids, keys))
        sorted_keys = keys[order]
        for lag in range(1, max_bucket + 1):
            same = sorted_keys[lag:] == sorted_keys[:-lag]
            if not same.any():
                break
            left.append(order[:-lag][same])
            right.append(order[lag:][same])
    if not left:
        return set()
    i = np.concatenate(left)
    j = np.concatenate(right)
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    codes = np.unique(lo * n + hi)
    return set(zip((codes // n).tolist(), (codes % n).tolist(), strict=True))


def _entity_pairs(docs: Sequence[_Doc], *, max_bucket: int = 300) -> set[tuple[int, int]]:
    """Candidates LSH cannot see: headlines naming the same model, or the same amount and subject.

    An amount alone (融资 20 亿美元) is shared by unrelated news and would make the index quadratic, so
    amounts are indexed together with a headline subject. A bucket larger than ``max_bucket`` (a model
    everyone mentions) proposes nothing; LSH still covers its near-duplicates.
    """
    by_token: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        for token in d.title_strong:
            if token in d.title_numbers:
                for subject in d.subjects:
                    by_token[f"{token}|{subject}"].append(i)
            else:
                by_token[token].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in by_token.values():
        if len(members) > max_bucket:
            continue
        pairs.update(itertools.combinations(members, 2))
    return pairs


def _order_key(entry: Entry) -> tuple:
    return (entry.published or dt.datetime.max, entry.canonical_url or entry.url, entry.source, entry.title)


def _story_id(entry: Entry) -> str:
    strongest = sorted(entry.keys)[0] if entry.keys else (entry.canonical_url or entry.url)
    return "s" + hashlib.sha1(strongest.encode("utf-8")).hexdigest()[:12]


def _best_first(entries: list[Entry]) -> list[Entry]:
    """Best entry first: the most complete report (has a paper/code key, longest text), then earliest.

    The item prints the best one and lists the others as 另见, so completeness beats speed.
    """

    def rank(e: Entry) -> tuple:
        richness = len(e.content) + len(e.summary)
        return (-len(e.keys), -min(richness, 4000), *_order_key(e))

    return sorted(entries, key=rank)


def cluster_entries(entries: list[Entry], *, settings: ClusterSettings = DEFAULT_SETTINGS) -> list[Story]:
    """Group entries into stories; deterministic for any input order.

    Entries sharing a canonical URL or a paper/code key join unconditionally; otherwise MinHash LSH (plus
    an entity index for cross-language pairs) proposes pairs and ``_same_event`` confirms them. A union
    that would grow a cluster past ``max_cluster_size`` is refused so a few loose links cannot chain
    unrelated events together.
    """
    with _no_gc():
        return _cluster(entries, settings)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the features of 100k entries are millions of small acyclic
    objects, and its full passes over them grow with the heap, which made clustering superlinear."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cluster(entries: list[Entry], settings: ClusterSettings) -> list[Story]:
    ordered = sorted(entries, key=_order_key)
    docs = [_doc(*_entry_text(e, settings.lead_chars), _entry_keys(e)) for e in ordered]
    uf = _UnionFind(len(docs))
    by_key: dict[str, int] = {}
    for i, d in enumerate(docs):
        for key in sorted(d.keys):
            if key in by_key:
                uf.union(by_key[key], i)
            else:
                by_key[key] = i
    pairs = _candidate_pairs(docs, settings) | _entity_pairs(docs)
    for i, j in sorted(pairs):
        if uf.find(i) == uf.find(j):
            continue
        if _same_event(docs[i], docs[j], settings):
            # confirm against the cluster representatives too, so A~B~C chains do not drift
            ri, rj = uf.find(i), uf.find(j)
            if (
                uf.size[ri] > 1
                and uf.size[rj] > 1
                and (ri != i or rj != j)
                and not _same_event(docs[ri], docs[rj], settings)
            ):
                continue
            uf.union(i, j, cap=settings.max_cluster_size)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(docs)):
        groups[uf.find(i)].append(i)
    stories = []
    for members in groups.values():
        members_entries = [ordered[i] for i in members]
        best = _best_first(members_entries)
        keys: list[str] = []
        for e in members_entries:
            for key in [*e.keys, e.canonical_url]:
                if key and key not in keys:
                    keys.append(key)
        times = [e.published for e in members_entries if e.published]
        stories.append(
            Story(
                id=_story_id(members_entries[0]),
                entries=best,
                keys=keys,
                title=best[0].title,
                first_seen=min(times) if times else None,
                last_seen=max(times) if times else None,
            )
        )
    stories.sort(key=lambda s: (s.first_seen or dt.datetime.max, s.id))
    return stories


# ---------------------------------------------------------------------------------------------- history


@dataclass(slots=True)
class HistoryStory:
    """A story as published in an earlier issue, enough to recognise it again."""

    id: str
    title: str
    text: str = ""  # lead/summary as printed
    keys: list[str] = field(default_factory=list)  # paper/code keys and canonical URLs
    published: dt.date | None = None
    issue_id: str = ""


def _story_doc(story: Story, settings: ClusterSettings) -> _Doc:
    best = story.entries[0] if story.entries else None
    lead = (best.summary or best.content)[: settings.lead_chars] if best else ""
    keys = {k for k in story.keys if k and not _is_hub_key(k)}
    return _doc(story.title, lead, {_key_form(k) for k in keys})


def _history_doc(h: HistoryStory) -> _Doc:
    keys = {k for k in h.keys if k and not _is_hub_key(k)}
    return _doc(h.title, h.text, {_key_form(k) for k in keys})


def _key_form(key: str) -> str:
    """Story keys mix ``arxiv:…`` keys and bare canonical URLs; compare them all as keys."""
    return f"url:{key}" if key.startswith(("http://", "https://")) else key


def _new_facts(doc: _Doc, old: _Doc) -> list[str]:
    facts = []
    facts += [f"数字 {n}" for n in sorted(doc.ents.numbers - old.ents.numbers) if not n.startswith("date:")]
    facts += [f"实体 {m}" for m in sorted(doc.ents.models - old.ents.models) if "@" not in m]
    facts += [
        f"新链接 {k}"
        for k in sorted(doc.keys - old.keys)
        if k.split(":", 1)[0] in {"arxiv", "github", "doi", "gitee"}
    ]
    return facts


def match_history(
    stories: list[Story],
    history: list[HistoryStory],
    *,
    today: dt.date,
    window_days: int,
    settings: ClusterSettings = DEFAULT_SETTINGS,
) -> list[Story]:
    """Mark stories already published within ``window_days``: ``published`` (a repeat) or ``update``.

    An update is a repeat that brings a new number, a new model name or a new paper/code key; a repeat
    without them is ``published`` and should not be selected again. Stories are changed in place and
    returned for chaining.
    """
    since = today - dt.timedelta(days=window_days)
    recent = [h for h in history if h.published is None or since <= h.published <= today]
    hdocs = [_history_doc(h) for h in recent]
    for story in stories:
        doc = _story_doc(story, settings)
        matched = [(h, hd) for h, hd in zip(recent, hdocs, strict=True) if _same_event(doc, hd, settings)]
        if not matched:
            continue
        story.published_in = sorted({h.issue_id for h, _ in matched if h.issue_id})
        facts = _new_facts(doc, matched[0][1])
        for _, hd in matched[1:]:
            facts = [f for f in facts if f in _new_facts(doc, hd)]
        story.new_facts = facts
        story.state = "update" if facts else "published"
    return stories


# ---------------------------------------------------------------------------------------------- repeats


@dataclass(slots=True)
class RepeatCandidate:
    """An item of a parsed issue as ``find_repeats`` sees it (weekly: title, summary, links; daily: entity, text, urls)."""

    title: str
    text: str = ""
    urls: list[str] = field(default_factory=list)
    entity: str = ""


def item_candidate(item: Item) -> RepeatCandidate:
    """An item of a stored or imported issue as ``find_repeats`` compares it.

    Weekly items compare title, summary and links; daily items the line text (the importer keeps it in
    ``summary``), the bold entity and the line's URLs.
    """
    urls = [u for u in [item.url, *(link.url for link in item.links)] if u]
    return RepeatCandidate(
        title=item.title, text=item.summary, urls=list(dict.fromkeys(urls)), entity=item.entity or ""
    )


def _is_hub_url(url: str) -> bool:
    parts = urlsplit(url)
    path = parts.path.strip("/")
    return not parts.query and "/" not in path and len(path) < 24 and not re.search(r"\d", path)


def _candidate_docs(items: Sequence[RepeatCandidate]) -> list[_Doc]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        for url in set(item.urls):
            counts[url] += 1
    docs = []
    for item in items:
        # a URL several items of one issue cite is a digest page, not the identity of an event
        keys = {f"url:{u.rstrip('/')}" for u in item.urls if counts[u] == 1 and not _is_hub_url(u)}
        label = item.entity if len(item.entity) < 40 else ""
        doc = _doc(item.title, f"{label} {item.text[:200]}", keys, label=label)
        body = _norm(item.text.split(" — ", 1)[-1])
        doc.body = frozenset(body[i : i + 2] for i in range(len(body) - 1))
        docs.append(doc)
    return docs


_COMMON_NAMES = frozenset(_BRAND_ALIASES) | {
    "gpt",
    "sol",
    "terra",
    "luna",
    "github",
    "arxiv",
    "hn",
    "codex",
    "fable",
    "mythos",
    "opus",
    "sonnet",
    "haiku",
}


def _mark_rare(groups: Sequence[Sequence[_Doc]], *, max_df: int = 4) -> None:
    """Mark the headline names at most ``max_df`` items of the window carry: they identify an event."""
    df: dict[str, int] = defaultdict(int)
    for docs in groups:
        for d in docs:
            for name in d.subjects:
                df[name] += 1
    for docs in groups:
        for d in docs:
            d.rare = frozenset(
                n for n in d.subjects if df[n] <= max_df and n not in _COMMON_NAMES and len(n) >= 3
            )


def find_repeats(
    items: list[RepeatCandidate],
    earlier: list[tuple[dt.date, list[RepeatCandidate]]],
    *,
    settings: ClusterSettings = DEFAULT_SETTINGS,
) -> list[tuple[int, list[tuple[dt.date, int]]]]:
    """For each item of an issue, the items of earlier issues it repeats, as ``(index, [(date, index)])``.

    Only items with at least one repeat are listed, in item order. The caller picks the window (the
    earlier issues to compare with); all items are compared pairwise because an issue is small.
    """
    docs = _candidate_docs(items)
    earlier_docs = [(day, _candidate_docs(its)) for day, its in earlier]
    _mark_rare([docs, *(d for _, d in earlier_docs)])
    out = []
    for i, doc in enumerate(docs):
        hits = [
            (day, j)
            for day, edocs in earlier_docs
            for j, edoc in enumerate(edocs)
            if _same_event(doc, edoc, settings)
        ]
        if hits:
            out.append((i, sorted(hits)))
    return out
