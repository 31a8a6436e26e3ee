"""Extractive Chinese/English summaries: clean the text, split it into sentences, rank them with TextRank.

This is the default summariser and the fallback whenever the LLM path fails, so it must be deterministic,
fast and never produce a broken sentence: it only ever emits whole sentences of the source (one exception,
documented in ``summarize``), in their original order.
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz

__all__ = ["TARGETS", "clean_text", "split_sentences", "summarize"]

# (min, max) reader characters of a summary, per issue format.
TARGETS: dict[str, tuple[int, int]] = {"weekly": (100, 300), "daily": (60, 150)}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_FULLWIDTH_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"
# A URL, without the sentence punctuation that may follow it ("see https://x.org/a.")
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'“”‘’（）()【】\[\]，。；！？、]*[^\s<>\"'“”‘’（）()【】\[\]，。；！？、.,;:!?]",
    re.IGNORECASE,
)
_CJK_RE = re.compile(f"[{_CJK}]")
_READER_RE = re.compile(f"[{_CJK}{_FULLWIDTH_PUNCT}]|[A-Za-z0-9]+(?:['’.\\-_][A-Za-z0-9]+)*")

# A run of terminators plus any closing quotes/brackets that belong to the sentence just ended.
_BOUNDARY_RE = re.compile(r"(?:[。！？；]+|…+|\.{3,}|[.!?]+)[”’\"'」』）)\]】》]*")
_CJK_STOPS = set("。！？；…")
_CLOSERS = "”’\"'」』）)]】》"
# Words that end in "." without ending a sentence (compared lower-cased, without the final dot).
_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "fig", "figs", "no",
    "nos", "al", "approx", "ca", "cf", "u.s", "u.k", "u.n", "e.u", "inc", "ltd", "co", "corp", "dept",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "eq", "sec",
    "vol", "p", "pp", "ph.d", "a.m", "p.m",
}  # fmt: skip

# --- boilerplate -------------------------------------------------------------------------------------

# A line starting with one of these labels is metadata or a link line, never article prose.
_LABEL_LINE_RE = re.compile(
    r"^[\s>*#▲△●•·\-]*(?:"
    r"作者|编辑|责编|责任编辑|编者|来源|出处|排版|校对|审校|审核|策划|出品|撰文|文|编译|翻译|题图|封面|配图"
    r"|图源|图片来源|图片|视频来源|原文链接|原文地址|原文|参考链接|参考资料|参考文献|相关链接|延伸阅读"
    r"|论文(?:地址|链接|标题|名称)?|代码(?:地址|链接)?|项目(?:地址|链接|主页)?|开源地址|官网|主页|博客|技术报告"
    r"|报告(?:地址|链接)|模型(?:地址|下载|链接)|数据集(?:地址|链接)?|下载地址|体验地址|试用地址|链接|"
    r"GitHub|Github|github|Paper|Code|Project(?: page)?|Blog|Demo|Homepage|Source|Via"
    r")\s*[：:|｜]",
)
_CAPTION_LINE_RE = re.compile(
    r"^\s*(?:▲|△|(?:图|圖|Figure|Fig\.?)\s*\d+(?:\.\d+)?\s*[：:.．、|｜\s]|图\s*[：:]"
    r"|[（(]\s*(?:图源|图片来源|图片|图|来源|Image|Photo|Source)\s*[：:][^）)]*[）)]\s*$"
    r"|(?:图片|图)来源|Image(?: credit| source)?\s*:|Photo(?: credit)?\s*:|Credit\s*:)",
    re.IGNORECASE,
)
# Parenthetical image credits inside a paragraph: （图源：新华社） (Image: Reuters)
_INLINE_CREDIT_RE = re.compile(
    r"[（(]\s*(?:图源|图片来源|图片|图|来源|Image|Photo|Source)\s*[：:][^）)]{0,40}[）)]", re.IGNORECASE
)
# "<short label>：<URL>" whatever the label says; and English bylines ("By Jane Doe | Edited by ...").
_LABEL_URL_RE = re.compile(r"^[^。！？.!?\n]{1,20}[：:]\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)
_BYLINE_RE = re.compile(
    r"^(?:By|Written by|Edited by|Reporting by|Words by)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*\s*(?:[|,;]|$)"
)
_URL_ONLY_RE = re.compile(
    r"^[\s<>\[\]()（）*\-•]*(?:(?:https?://|www\.)\S+[\s<>\[\]()（）]*)+$", re.IGNORECASE
)
# Sentences that are calls to action, ads or reposting notices wherever they appear.
_BOILER_SENTENCE_RE = re.compile(
    r"关注(?:我们|本)?公众号|公众号[：:]|点击(?:上方|下方|文末|左下角)|蓝字|阅读原文|扫码|扫描.{0,6}二维码|二维码"
    r"|(?:加入|进入|添加).{0,8}(?:交流群|社群|读者群|粉丝群)|交流群|小助手微信|设为星标|选择.{0,2}星标|点赞.{0,4}在看|点个在看|[、，]在看"
    r"|转载|本文约\s*\d+\s*字|阅读(?:时间|本文)?(?:约|需要)?\s*\d+\s*分钟|建议阅读|责编[：:]|排版[：:]"
    r"|^\s*[（(【\[]?\s*(?:广告|推广|赞助|AD)\s*(?:[）)】\]]|[：:]|$)|本文(?:为|系).{0,8}(?:广告|推广)"
    r"|subscribe to (?:our|the) newsletter|sign up (?:for|to|now)|^sign up\b|share this (?:article|story|post)"
    r"|we use cookies|this (?:site|website) uses cookies|accept (?:all )?cookies|cookie (?:policy|settings)"
    r"|^advertisement\b|^sponsored\b|follow us on|^read more\b|^related (?:articles|stories)\b"
    r"|all rights reserved|^copyright\b|^©",
    re.IGNORECASE,
)


# Feed furniture inside a line: arXiv's RSS header, WordPress's "The post … appeared first on …", and the
# "continue reading" / "[…]" tails of truncated feed summaries. Removed before sentences are split.
_FEED_FURNITURE_RE = re.compile(
    r"arXiv:\s*\d{4}\.\d{4,5}(?:v\d+)?\s+Announce Type:\s*[\w-]+(?:\s*/\s*[\w-]+)*\s*(?:Abstract:\s*)?"
    r"|\bThe post\b.{1,400}?\bappeared first on\b[^.。\n]*\.?"
    r"|(?:\s|^)(?:Continue reading|Read more|Read the full (?:story|article|post)|Keep reading)\b[^.。\n]{0,80}(?:\.|…|$)"
    r"|[\[(]\s*(?:…|\.\.\.|&hellip;|more…?|read more)\s*[\])]"
    r"|继续阅读[^。\n]{0,20}|阅读全文[>》»]*|(?:查看|点击)原文[>》»]*"
    r"|^\s*(?:Abstract|摘要)\s*[:：]\s*",  # a bare abstract label (arXiv API and listing feeds)
    re.IGNORECASE | re.MULTILINE,
)


def clean_text(text: str) -> str:
    """Drop boilerplate lines and sentences (calls to follow, QR codes, bylines, captions, link labels).

    Link lines such as ``论文地址：`` go too: the item prints paper and code links on their own lines, and a
    summary must never repeat them. Returns paragraphs separated by blank lines.
    """
    paragraphs: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line or any(
            rx.match(line)
            for rx in (_URL_ONLY_RE, _LABEL_LINE_RE, _LABEL_URL_RE, _CAPTION_LINE_RE, _BYLINE_RE)
        ):
            continue
        line = _FEED_FURNITURE_RE.sub(" ", _INLINE_CREDIT_RE.sub("", line)).strip()
        if not line:
            continue
        kept = [s for s in split_sentences(line) if not _BOILER_SENTENCE_RE.search(s)]
        kept = [s for s in kept if not _URL_ONLY_RE.match(s)]
        if kept:
            paragraphs.append(_join(kept))
    return "\n\n".join(paragraphs)


# --- sentences ---------------------------------------------------------------------------------------


def split_sentences(text: str) -> list[str]:
    """Split Chinese, English or mixed text into sentences; a newline always ends one.

    Decimals, versions (v2.1, GPT-5.6), arXiv ids, abbreviations (e.g., U.S.) and URLs never split, and a
    closing quote or bracket after the stop stays with its sentence: ``他说：“好。”`` is one sentence.
    """
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        urls = [m.span() for m in _URL_RE.finditer(line)]
        start = 0
        for m in _BOUNDARY_RE.finditer(line):
            if any(a <= m.start() < b for a, b in urls) or not _is_boundary(line, m, start):
                continue
            sentences.append(line[start : m.end()].strip())
            start = m.end()
        sentences.append(line[start:].strip())
    return [s for s in sentences if s and re.search(rf"[\w{_CJK}]", s)]


def _is_boundary(line: str, m: re.Match[str], start: int) -> bool:
    """Whether a terminator match ends a sentence (CJK stops always do; ASCII ones need a look around)."""
    stop = m.group().rstrip(_CLOSERS)
    if any(c in _CJK_STOPS for c in stop):
        return True
    after = line[m.end() : m.end() + 1]
    if after and not (after.isspace() or _CJK_RE.match(after)):
        return False  # 3.14, v2.1, GPT-5.6, 2106.04560, example.com, "e.g.," ...
    if stop.startswith(".") and re.fullmatch(r"\s*\(?\d{1,2}", line[start : m.start()]):
        return False  # "1. 第一点": a list number, not a sentence
    if stop.startswith("."):
        word = re.search(r"([A-Za-z][A-Za-z.]*)$", line[: m.start()])
        if word and (word.group(1).lower().rstrip(".") in _ABBREVIATIONS or len(word.group(1)) == 1):
            return False  # e.g. / U.S. / J. Smith
        rest = line[m.end() :].lstrip()
        if after.isspace() and rest[:1].islower():
            return False  # "approx. three" – a lower-case continuation is the same sentence
    return True


def _join(sentences: list[str]) -> str:
    """Join sentences, with a space only where a Latin-script sentence meets another Latin one."""
    out = ""
    for s in sentences:
        if out and _is_latin_end(out) and not _CJK_RE.match(s[0]):
            out += " "
        out += s
    return out


def _is_latin_end(text: str) -> bool:
    return bool(text) and (text[-1].isascii() or text[-1] in "’”")


# --- length -------------------------------------------------------------------------------------------


def _reader_len(text: str) -> int:
    """Reader characters: CJK characters and full-width punctuation count 1, each Latin/digit word 1, URLs 0.

    The same rule as ``jianbao.issue.intro.count_chars``; kept private here so this module stands alone.
    """
    return len(_READER_RE.findall(_URL_RE.sub(" ", text)))


# --- TextRank -----------------------------------------------------------------------------------------

# Function words that say nothing about what a sentence is about (space-separated to stay readable).
_ZH_STOPWORDS_TEXT = (
    "的 了 是 在 和 与 及 也 都 而 并 把 被 对 这 那 就 还 有 个 等 我们 你 我 他 她 它 他们 一个 中 上 下 为 以 将"
    " 从 到 让 其 该 之 于 或 能 会 可以 已 已经 通过 进行 这个 这些 一些 以及 如果 因为 所以 但 但是 而且 之后"
    " 目前 其中 表示 同时 此外 非常 更 最 很 又 再 给 着 过 吗 呢 吧 啊 不 没有 没 来 去 做 说 要 用 可 个 种"
)
_EN_STOPWORDS_TEXT = (
    "a an the and or but if of to in on at by for with from as is are was were be been being it its this that"
    " these those we you he she they i our their his her them us not no so than then there here which who whom"
    " what when where how also can could will would may might has have had do does did into about over after"
    " more most such just only very new says said one two all any each other up out"
)
_ZH_STOPWORDS = frozenset(_ZH_STOPWORDS_TEXT.split())
_EN_STOPWORDS = frozenset(_EN_STOPWORDS_TEXT.split())
_TOKEN_RE = re.compile(rf"[{_CJK}A-Za-z0-9]")


@functools.cache
def _jieba() -> Any:
    """Import and initialise jieba once, with its dictionary cache under JIANBAO_HOME (not the CWD)."""
    import jieba  # lazy: jieba's import and dictionary load take about a second

    home = os.environ.get("JIANBAO_HOME")
    cache = Path(home) / "cache" / "jieba" if home else Path(tempfile.gettempdir()) / "jianbao-jieba"
    cache.mkdir(parents=True, exist_ok=True)
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(cache)
    jieba.initialize()
    return jieba


def _tokens(sentence: str, lang: str) -> list[str]:
    """Content words of a sentence, lower-cased, stop words dropped; crude plural folding for English."""
    if lang == "zh":
        # No HMM: it only guesses unseen words, and dropping it cuts tokenising time by about a third.
        words = _jieba().lcut(_URL_RE.sub(" ", sentence), HMM=False)
        stop = _ZH_STOPWORDS
    else:
        words = re.findall(r"[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*", _URL_RE.sub(" ", sentence))
        stop = _EN_STOPWORDS
    out: list[str] = []
    for word in words:
        w = word.strip().lower()
        if (
            not w
            or w in stop
            or w in _EN_STOPWORDS
            or not _TOKEN_RE.search(w)
            or (len(w) == 1 and w.isdigit())
        ):
            continue
        if w.isascii() and len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return out


def _similarity(a: set[str], b: set[str], len_a: int, len_b: int) -> float:
    """Mihalcea & Tarau (2004): shared words over log lengths, so long sentences do not win by size."""
    shared = len(a & b)
    if not shared:
        return 0.0
    denom = math.log(len_a + 1) + math.log(len_b + 1)  # +1 keeps one-word sentences finite
    return shared / denom


def _pagerank(weights: np.ndarray, prior: np.ndarray, *, damping: float = 0.85) -> np.ndarray:
    """Personalised PageRank by power iteration; sentences without edges hand their rank to the prior."""
    out_sum = weights.sum(axis=1)
    safe = np.where(out_sum > 0, out_sum, 1.0)
    transition = weights / safe[:, None]
    dangling = out_sum == 0
    rank = prior.copy()
    for _ in range(100):
        new: np.ndarray = damping * (rank @ transition + rank[dangling].sum() * prior) + (1 - damping) * prior
        if np.abs(new - rank).sum() < 1e-9:
            return new
        rank = new
    return rank


def _detect_lang(text: str) -> str:
    cjk = len(_CJK_RE.findall(text))
    latin = len(re.findall(r"[A-Za-z]+", text))
    return "zh" if cjk >= latin else "en"


def summarize(
    text: str,
    *,
    title: str = "",
    lang: str | None = None,
    min_chars: int = 100,
    max_chars: int = 300,
    counter: Callable[[str], int] | None = None,
) -> str:
    """Pick the most central sentences of ``text`` and return them in their original order.

    Ranking is TextRank over sentences, personalised towards the title (and slightly the lead), so the
    sentence that says what the headline says is very likely kept. Length is measured in reader
    characters (``counter``, default CJK chars + Latin words) and aims between ``min_chars`` and
    ``max_chars``: the summary never exceeds ``max_chars`` — except that when the best sentence alone is
    longer, it is cut at its last clause boundary (，；, ) that fits and ended with 。/"." instead of being
    dropped. Near-duplicate sentences appear once. Returns "" when there is nothing to summarise.
    """
    count = counter or _reader_len
    sentences = [s for s in split_sentences(clean_text(text)) if count(s) >= 4]
    if not sentences:
        return ""
    lang = lang or _detect_lang(text)
    lang = "zh" if lang.startswith("zh") else "en" if lang.startswith("en") else _detect_lang(text)
    sentences = _dedupe(sentences)
    tokens = [_tokens(s, lang) for s in sentences]
    sets = [set(t) for t in tokens]
    n = len(sentences)

    weights = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            w = _similarity(sets[i], sets[j], len(tokens[i]), len(tokens[j]))
            weights[i, j] = weights[j, i] = w

    title_sim = _title_similarity(_tokens(title, lang) if title else [], tokens)
    prior = np.ones(n)
    if title_sim.max() > 0:
        prior += 4.0 * title_sim / title_sim.max()  # the title is the editor's own summary: trust it
    prior[0] += 0.5  # news leads carry the point more often than not
    prior /= prior.sum()
    rank = _pagerank(weights, prior)
    # A final nudge towards the title, so a sentence restating the headline beats a merely central one.
    score = rank * (1.0 + (title_sim / title_sim.max() if title_sim.max() > 0 else 0.0))
    order = sorted(range(n), key=lambda i: (-round(float(score[i]), 12), i))

    lengths = [count(s) for s in sentences]
    target = (min_chars + max_chars) / 2
    chosen: dict[int, str] = {}
    total = 0
    best = order[0]
    if lengths[best] > max_chars:
        cut = _cut(sentences[best], max_chars, lang, count)
        chosen[best] = cut
        total = count(cut)
    for i in order:
        if total >= target or i in chosen:
            continue
        if total + lengths[i] <= max_chars:
            chosen[i] = sentences[i]
            total += lengths[i]
    return _join([_end(chosen[i], lang) for i in sorted(chosen)])


def _title_similarity(title: list[str], tokens: list[list[str]]) -> np.ndarray:
    """Title overlap weighted by IDF: the product name is in every sentence; what the headline claims is not."""
    n = len(tokens)
    df: dict[str, int] = {}
    for t in tokens:
        for w in set(t):
            df[w] = df.get(w, 0) + 1
    wanted = set(title)
    sims = [
        sum(math.log((n + 1) / (df[w] + 0.5)) for w in wanted & set(t))
        / (math.log(len(title) + 1) + math.log(len(t) + 1))
        if t and title
        else 0.0
        for t in tokens
    ]
    return np.array(sims)


def _dedupe(sentences: list[str]) -> list[str]:
    """Keep the first of near-identical sentences (a lead repeated as a caption, a quoted restatement)."""
    kept: list[str] = []
    for s in sentences:
        if not any(fuzz.ratio(s, k) >= 85 or (len(s) >= 12 and s in k) for k in kept):
            kept.append(s)
    return kept


def _end(sentence: str, lang: str) -> str:
    """Make sure a sentence ends on sentence punctuation, turning a trailing ；/;/，/, into a full stop."""
    core = sentence.rstrip(_CLOSERS)
    if not core:
        return sentence
    stop = "。" if lang == "zh" or _CJK_RE.match(core[-1]) or not core[-1].isascii() else "."
    if core[-1] in "；;，,：:、":
        return core[:-1] + stop + sentence[len(core) :]
    if core[-1] in "。！？…!?.":
        return sentence
    return sentence + stop


def _cut(sentence: str, max_chars: int, lang: str, count: Callable[[str], int]) -> str:
    """Shorten one over-long sentence at the last clause boundary that fits (characters, if none does)."""
    for m in reversed(list(re.finditer(r"[，；,;]", sentence))):
        head = sentence[: m.start()]
        if head and count(head) + 1 <= max_chars:
            return _end(head, lang)
    head = sentence
    while head and count(head) + 1 > max_chars:
        head = head[:-1]
    return _end(head.rstrip(), lang)
