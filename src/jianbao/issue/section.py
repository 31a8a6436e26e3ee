"""Put a story in a section and give it tags, by the editor's rules from the config, and tell 国际 from 中文圈.

Each section rule collects evidence for a story, the way an editor weighs an article:

  link      2    the story links a paper / code / project of a kind the rule names
  source    2    the story comes from a source the rule names (by name or display title)
  keyword   1    each distinct rule keyword in the title; 0.5 each one only in the text (at most 1 from the
                 text, 3 in all, and 1 when the story has no text but its headline)
  avoid    −1    each of the rule's ``avoid`` keywords in the title (a 教程 is not a 前沿 result)

The section with the most evidence wins when it reaches ``min_score`` (default 2: a link or a source alone
will do, a title keyword needs a second signal). Below that the story falls to the trailing 其他 list; a tie
keeps the first rule in config order. Both cases are flagged ``unsure`` so that a configured LLM may decide
(``SectionDecider``, an edition's ``decider``). The archive's own numbered items carry links and summaries while its 其他 list is bare
titles, which is why one title keyword is not enough.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast, get_args
from urllib.parse import urlsplit

from jianbao.config import SectionRule, TagRule
from jianbao.errors import LLMError
from jianbao.issue.wordscan import Substrings, trie_pattern
from jianbao.records import Entry, Item, Link, LinkKind, OtherLink, Source, Story
from jianbao.urls import link_key, link_kind

if TYPE_CHECKING:  # pragma: no cover
    from jianbao.summarize.llm import LLMClient

LINK_POINTS = 2.0
SOURCE_POINTS = 2.0
TITLE_POINTS = 1.0
TEXT_POINTS = 0.5
KEYWORD_CAP = 3.0
TEXT_CAP = 1.0  # words in the body are weaker than the headline: at most two of them count
BARE_CAP = 1.0  # a story with nothing but a headline: its keywords alone cannot place it
AVOID_POINTS = 1.0


@dataclass(slots=True, frozen=True)
class Placement:
    section: str | None  # None: the 其他 list
    reason: str  # the evidence of the winning rule, for --explain
    scores: dict[str, float] = field(default_factory=dict)  # evidence per section
    unsure: bool = False  # nothing reached min_score, or two sections tied: an LLM may decide


def _has_keyword(text: str, keywords: Sequence[str]) -> str | None:
    lowered = text.lower()
    for word in keywords:
        if _matches(lowered, word):
            return word
    return None


def _matches(lowered: str, word: str) -> bool:
    whole, w = _keyword(word)
    if not w or w not in lowered:  # a whole word is a substring first: most keywords stop here
        return False
    return whole is None or whole.search(lowered) is not None


@functools.lru_cache(maxsize=4096)
def _keyword(word: str) -> tuple[re.Pattern[str] | None, str]:
    """A keyword's whole-word pattern (ASCII keywords: "book" must not fire on "Facebook"), else None and
    the lower-cased keyword matched as a substring; compiled once per keyword, not once per story."""
    w = word.lower()
    if w and w.isascii() and re.fullmatch(r"[\w.+-]+", w):
        return re.compile(rf"(?<![a-z0-9]){re.escape(w)}(?![a-z0-9])"), w
    return None, w


def story_text(story: Story) -> str:
    best = story.entries[0] if story.entries else None
    if best is None:
        return story.title
    return f"{best.title}\n{best.summary}\n{best.content[:600]}"


def _source_names(story: Story, sources: Mapping[str, Source] | None) -> set[str]:
    names = set(story.sources)
    for name in list(names):
        src = (sources or {}).get(name)
        if src is not None and src.title:
            names.add(src.title)
    return names


@dataclass(frozen=True, slots=True)
class _RuleWords:
    """A rule's distinct keywords and avoid words, each as ``(place, word, whole-word pattern)`` under its
    lower-cased form: a story's evidence reads only the words its texts have (``_Scan``), in the rule's order."""

    keywords: dict[str, list[tuple[int, str, re.Pattern[str] | None]]]
    avoid: dict[str, list[tuple[int, str, re.Pattern[str] | None]]]


def _by_lowered(words: Sequence[str]) -> dict[str, list[tuple[int, str, re.Pattern[str] | None]]]:
    out: dict[str, list[tuple[int, str, re.Pattern[str] | None]]] = {}
    for at, word in enumerate(dict.fromkeys(words)):
        whole, w = _keyword(word)
        if w:  # an empty keyword matches nothing
            out.setdefault(w, []).append((at, word, whole))
    return out


@dataclass(frozen=True, slots=True)
class _Scan:
    """The rules' words compiled once: each rule's, and all of them as one ``Substrings``."""

    rules: tuple[_RuleWords, ...]
    words: Substrings


@functools.lru_cache(maxsize=64)
def _scan(rules: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]) -> _Scan:
    compiled = tuple(_RuleWords(_by_lowered(keywords), _by_lowered(avoid)) for keywords, avoid in rules)
    return _Scan(compiled, Substrings(w for r in compiled for w in (*r.keywords, *r.avoid)))


def _found(
    words: dict[str, list[tuple[int, str, re.Pattern[str] | None]]], lowered: str, present: set[str]
) -> list[tuple[int, str]]:
    """The listed words ``_matches`` finds in ``lowered`` (whose listed substrings are ``present``), in order."""
    found = [
        (at, word)
        for w in present
        if w in words
        for at, word, whole in words[w]
        if whole is None or whole.search(lowered) is not None
    ]
    return sorted(found)


def _evidence(
    rule: SectionRule,
    words: _RuleWords,
    *,
    kinds: set[str],
    names: set[str],
    title: str,
    text: str,
    in_title: set[str],
    in_text: set[str],
) -> tuple[float, list[str]]:
    """``in_title``, ``in_text``: the rules' words that are substrings of the lower-cased title and text."""
    score, why = 0.0, []
    if hit := kinds & set(rule.link_kinds):
        score += LINK_POINTS
        why.append(f"link:{sorted(hit)[0]}")
    if hit := names & set(rule.sources):
        score += SOURCE_POINTS
        why.append(f"source:{sorted(hit)[0]}")
    count = body = 0.0
    titled = _found(words.keywords, title, in_title)
    in_head = {at for at, _ in titled}
    only_text = [(at, word) for at, word in _found(words.keywords, text, in_text) if at not in in_head]
    for at, word in sorted([*titled, *only_text]):  # the rule's order
        if at in in_head:  # in the title; a word only in the text counts less
            count += TITLE_POINTS
            why.append(f"keyword:{word}")
        else:
            body += TEXT_POINTS
            why.append(f"text:{word}")
    count += min(body, TEXT_CAP)
    score += min(count, KEYWORD_CAP if text.strip() else BARE_CAP)
    for _at, word in _found(words.avoid, title, in_title):
        score -= AVOID_POINTS
        why.append(f"avoid:{word}")
    return score, why


def place(
    story: Story,
    rules: Sequence[SectionRule],
    *,
    sources: Mapping[str, Source] | None = None,
    min_score: float = 2.0,
) -> Placement:
    """The section a story belongs in by the rules (most evidence), or None for the 其他 list."""
    kinds: set[str] = {link.kind for entry in story.entries for link in entry.links}
    best = story.entries[0] if story.entries else None
    title = (best.title if best else story.title).lower()
    text = f"{best.summary}\n{best.content[:600]}".lower() if best else ""
    names = _source_names(story, sources)
    scan = _scan(tuple((tuple(rule.keywords), tuple(rule.avoid)) for rule in rules))
    in_title, in_text = scan.words.present(title), scan.words.present(text)
    scores: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}
    for rule, words in zip(rules, scan.rules, strict=True):
        scores[rule.name], reasons[rule.name] = _evidence(
            rule, words, kinds=kinds, names=names, title=title, text=text, in_title=in_title, in_text=in_text
        )
    if not scores:
        return Placement(None, "no rule", {}, unsure=True)
    top = max(scores.values())
    leaders = [name for name, s in scores.items() if s == top]
    if top < min_score:
        near = max(scores, key=lambda n: scores[n])
        detail = " ".join(reasons[near]) or "no evidence"
        return Placement(
            None, f"weak ({near} {top:g}: {detail})" if reasons[near] else "no rule", scores, True
        )
    name = leaders[0]
    reason = " ".join(reasons[name])
    if len(leaders) > 1:
        return Placement(name, f"{reason} (tie with {', '.join(leaders[1:])})", scores, unsure=True)
    return Placement(name, reason, scores)


def may_place(
    story: Story,
    rules: Sequence[SectionRule],
    names: AbstractSet[str],
    *,
    sources: Mapping[str, Source] | None = None,
    min_score: float = 2.0,
) -> bool:
    """False only when the story can go to none of the sections ``names``: neither where ``place`` puts it
    nor to the section of its best evidence (the fallback of a story the rules are unsure of). Both need
    evidence above 0 for a section other than the first (the first takes a story with no evidence, and any
    section may lead when ``min_score`` is 0 or less: then the answer is True), and evidence above 0 needs a
    link of the rule's kinds, one of its sources or one of its keywords in the headline or the text. Looked
    for with one search each, not the evidence of every rule: a compose step whose sections with room few
    stories can reach (a 福利 with no 福利 news in the window) does not work out every story's place.
    ``Reach`` is the same test made once for many stories."""
    return Reach.of(rules, names, min_score=min_score).may_place(story, sources)


@dataclass(frozen=True, slots=True)
class Reach:
    """``may_place`` for one set of sections, made once: ``always`` (the first section is among them, or
    ``min_score`` ≤ 0), else the link kinds, sources and keywords that give one of them evidence."""

    always: bool
    kinds: frozenset[str] = frozenset()
    outlets: frozenset[str] = frozenset()
    words: re.Pattern[str] | None = None  # any of the keywords, lower-cased, as a substring

    @classmethod
    def of(cls, rules: Sequence[SectionRule], names: AbstractSet[str], *, min_score: float = 2.0) -> Reach:
        wanted = [rule for rule in rules if rule.name in names]
        if not rules or min_score <= 0 or rules[0].name in names:
            return cls(True)  # (no rules: ``place`` decides, with nothing to place by)
        keywords = {w for w in (_keyword(word)[1] for rule in wanted for word in rule.keywords) if w}
        return cls(
            False,
            frozenset(kind for rule in wanted for kind in rule.link_kinds),
            frozenset(name for rule in wanted for name in rule.sources),
            re.compile(trie_pattern(sorted(keywords))) if keywords else None,
        )

    def may_place(self, story: Story, sources: Mapping[str, Source] | None = None) -> bool:
        if self.always:
            return True
        entries = story.entries
        if self.kinds and any(link.kind in self.kinds for entry in entries for link in entry.links):
            return True
        if self.outlets and not self.outlets.isdisjoint(_source_names(story, sources)):
            return True
        words = self.words
        if words is None:
            return False
        best = entries[0] if entries else None
        if words.search((best.title if best else story.title).lower()) is not None:
            return True
        return best is not None and words.search(f"{best.summary}\n{best.content[:600]}".lower()) is not None


def tags_for(text: str, rules: Sequence[TagRule], *, limit: int = 2) -> list[str]:
    """Tags whose keywords appear in the title or summary, in rule order."""
    tags = [rule.tag for rule in rules if _has_keyword(text, rule.keywords)]
    return tags[:limit]


# --------------------------------------------------------------------------- 国际 / 中文圈
# The daily's editors file a story under who it is about when the item names its subject, and otherwise
# mostly under where it was reported (bench/bench_section.py measures this against the 2026 archive).
# Names are matched case-insensitively as substrings (Latin ones as whole words).
CHINESE_OUTLETS = (
    "36kr", "36氪", "量子位", "qbitai", "机器之心", "jiqizhixin", "新智元", "雷锋网", "leiphone", "ai科技评论",
    "智东西", "极客公园", "虎嗅", "钛媒体", "界面", "澎湃", "财新", "第一财经", "财联社", "ithome", "it之家",
    "cnbeta", "网易", "新浪", "搜狐", "csdn", "少数派", "爱范儿", "品玩", "智源社区", "aibase", "hyperai",
    "开源中国", "oschina", "51cto", "知乎", "公众号", "证券时报", "科创板日报", "每日经济", "21世纪", "经济日报", "华尔街见闻", "wallstreetcn", "moneydj", "联合报", "udn",
)  # fmt: skip
WORLD_OUTLETS = (
    "the decoder", "the-decoder", "hacker news", "hn", "techcrunch", "the verge", "wired", "bloomberg", "彭博", "reuters", "路透",
    "cnbc", "the information", "venturebeat", "ars technica", "the next web", "observer", "axios", "arxiv",
    "mit technology review", "financial times", "wall street journal", "nytimes", "epoch ai", "github",
    "hugging face", "huggingface",
)  # fmt: skip
CHINESE_SUBJECTS = (
    "阿里", "千问", "qwen", "通义", "deepseek", "深度求索", "字节", "火山引擎", "豆包", "doubao", "seedance",
    "腾讯", "tencent", "混元", "hunyuan", "百度", "文心", "智谱", "glm", "月之暗面", "kimi", "minimax", "阶跃", "商汤",
    "讯飞", "华为", "昇腾", "小米", "mimo", "美团", "longcat", "京东", "快手", "可灵", "寒武纪", "宇树", "智源",
    "清华", "北大", "中科院", "浙大", "上海人工智能实验室", "国产", "中国", "国内", "港股", "a股", "科创板",
    "北京", "上海", "杭州", "深圳", "金山", "wps", "飞书", "钉钉", "蚂蚁", "摩尔线程", "壁仞", "荣耀",
    "亿元", "万元", "微信", "浙江", "广东", "江苏", "中芯", "长鑫", "momenta", "地平线", "thudm", "zhipu", "baichuan", "百川", "零一万物", "面壁", "生数", "智象", "hidream",
)  # fmt: skip
WORLD_SUBJECTS = (
    "openai", "chatgpt", "gpt", "codex", "sora", "anthropic", "claude", "opus", "google", "谷歌", "gemini",
    "deepmind", "meta", "llama", "microsoft", "微软", "nvidia", "英伟达", "apple", "苹果", "amazon", "亚马逊",
    "aws", "amd", "intel", "英特尔", "xai", "grok", "马斯克", "spacex", "tesla", "特斯拉", "mistral",
    "抱抱脸", "stripe", "cerebras", "etched", "waymo", "博通", "美国", "欧盟", "英国", "德国", "法国", "日本",
    "韩国", "印度", "澳大利亚", "stanford", "斯坦福", "mit", "metr", "perplexity", "cohere", "suno",
)  # fmt: skip
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_PROJECT_SITE_RE = re.compile(r"[\w.-]+\.github\.io")
# The words an archive line links its article with ("（[详情](…)）"): where a source's name would be, but no source.
LINK_WORDS = frozenset({"阅读原文", "详情", "查看讨论", "原文", "链接", "讨论"})


def _domain_is_chinese(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return bool(host) and (
        host.endswith(".cn") or any(host == d or host.endswith("." + d) for d in CHINESE_DOMAINS)
    )


CHINESE_DOMAINS = (
    "36kr.com", "qbitai.com", "jiqizhixin.com", "leiphone.com", "163.com", "qq.com", "sina.com.cn", "sina.cn",
    "sohu.com", "ithome.com", "jiemian.com", "thepaper.cn", "caixin.com", "yicai.com", "huxiu.com",
    "tmtpost.com", "geekpark.net", "ifanr.com", "pingwest.com", "sspai.com", "cnbeta.com", "csdn.net",
    "infoq.cn", "oschina.net", "51cto.com", "zhihu.com", "baai.ac.cn", "zhidx.com", "toutiao.com",
    "baidu.com", "bilibili.com", "xinhuanet.com", "people.com.cn", "aibase.com", "cls.cn", "stcn.com",
    "eet-china.com", "gitee.com", "moneydj.com", "udn.com", "wallstreetcn.com",
)  # fmt: skip


def _hits(text: str, names: Sequence[str], *, prefix: bool = False) -> int:
    if prefix:  # QwenLM, DeepSeekMath: a Chinese lab's name starts a longer Latin word
        return sum(1 for name in names if re.search(rf"(?<![a-z0-9]){re.escape(name)}", text))
    return sum(1 for name in names if _matches(text, name))


def _side(votes: tuple[int, int]) -> str | None:
    china, world = votes
    return None if china == world else "中文圈" if china > world else "国际"


def _tally(text: str) -> tuple[int, int]:
    return _hits(text, CHINESE_SUBJECTS, prefix=True), _hits(text, WORLD_SUBJECTS)


def region_of(story: Story, sources: Mapping[str, Source] | None = None) -> str:
    """国际 or 中文圈 for a daily item.

    A source named in the config has its configured region. Otherwise (archive items, unknown sources) the
    evidence is weighed in the order the archive's editors follow: who the story is about (the item's bold
    entity), then where it was reported (its outlets and the domain of its URL: 量子位 on OpenAI is 中文圈
    news, The Decoder on DeepSeek mostly 国际), then the names in the headline, the domains of its links,
    the names in its body, and last the script of the headline. One exception to "who first": when the
    headline also names the other side and the outlet is of that side (特斯拉 ships 豆包, told by 36氪), the
    outlet's side is the news.
    """
    if not story.entries:
        return "国际"
    best = story.entries[0]
    src = (sources or {}).get(best.source)
    if src is not None:
        return src.region
    title = best.title.lower()
    entity = str(best.extra.get("entity") or "").lower()
    entity = "" if entity == title else entity  # some archive items repeat the title as the entity
    subjects: list[str] = []
    outlets: list[str] = []
    for part in re.split(r"\s*(?:/|&|×|\bvia\b)\s*", f"{best.source.lower()} / {entity}"):
        if not part or part in LINK_WORDS:
            continue
        if _PROJECT_SITE_RE.fullmatch(part):  # a lab's own project page names who, not where
            subjects.append(part.removesuffix(".github.io"))
            continue
        (outlets if _hits(part, CHINESE_OUTLETS) or _hits(part, WORLD_OUTLETS) else subjects).append(part)
    url = [best.url] if best.url else []
    links = [] if best.url else [link.url for link in best.links]
    who = (
        sum(_hits(p, CHINESE_SUBJECTS, prefix=True) for p in subjects),
        sum(_hits(p, WORLD_SUBJECTS) for p in subjects),
    )
    where = (
        sum(_hits(p, CHINESE_OUTLETS) for p in outlets) + sum(map(_domain_is_chinese, url)),
        sum(_hits(p, WORLD_OUTLETS) for p in outlets) + sum(not _domain_is_chinese(u) for u in url),
    )
    what = _tally(title)
    told = _side(where)
    if told is not None and _side(who) not in (None, told) and what[told == "国际"]:
        return (
            told  # 特斯拉 ships 豆包, told by 36氪: the headline's other side, where it was told, is the news
        )
    for china, world in (
        who,
        where,
        what,
        (sum(map(_domain_is_chinese, links)), sum(not _domain_is_chinese(u) for u in links)),
        _tally(best.summary.lower()),
    ):
        if china != world:
            return "中文圈" if china > world else "国际"
    text = entity or title
    return "中文圈" if len(_CJK_RE.findall(text)) * 2 >= len(re.sub(r"\s", "", text)) else "国际"


# --------------------------------------------------------------------------- archive items
def story_from_item(item: Item | OtherLink, *, section_id: str = "") -> Story:
    """A one-entry story from a printed item, so the rules can be measured against the editor's choices."""
    links = [
        Link(url=link.url, kind=_kind(link_kind(link.url, label=link.label)), key=link_key(link.url),
             label=link.label)
        for link in (item.links if isinstance(item, Item) else [])
    ]  # fmt: skip
    text = re.sub(
        r"\[([^\]]*)\]\([^)]*\)", r"\1", item.summary if isinstance(item, Item) else ""
    )  # Markdown links → their text
    text = re.sub(r"[*_`>#]+", "", text)
    outlets = item.sources if isinstance(item, Item) else []
    source = " / ".join(outlets) if outlets else (item.source or "")
    entry = Entry(source=source, url=item.url or "", title=item.title, summary=text, links=links)
    if isinstance(item, Item) and item.entity:
        entry.extra["entity"] = item.entity
    return Story(id=section_id or item.url or item.title, entries=[entry], title=item.title)


def _kind(kind: str) -> LinkKind:
    return cast(LinkKind, kind) if kind in get_args(LinkKind) else "other"


# --------------------------------------------------------------------------- a second opinion: the LLM
Decider = Callable[[Story, Placement], Placement]  # a second opinion when the rules are unsure


@dataclass(slots=True)
class SectionDecider:
    """Asks the LLM where a story goes when the rules are unsure; remembers failures as warnings."""

    client: LLMClient
    sections: Sequence[str]
    other_name: str
    warnings: list[str] = field(default_factory=list)

    def __call__(self, story: Story, placement: Placement) -> Placement:
        if not placement.unsure:
            return placement
        choices = [*self.sections, self.other_name]
        try:
            choice = self.client.choose_section_sync(story.title, story_text(story), sections=choices)
        except LLMError as error:
            self.warnings.append(f"LLM section choice failed for {story.title[:40]!r} ({error}); rules kept")
            return placement
        section = None if choice.section == self.other_name else choice.section
        return Placement(section, f"llm:{choice.section} ({choice.confidence:.2f}); rules: {placement.reason}",
                         placement.scores)  # fmt: skip
