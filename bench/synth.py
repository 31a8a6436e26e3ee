"""Synthetic AI-news entries with planted rewrites, for the clustering benchmark and tests.

Each base event is a (subject, model, action, amount) draw rendered through a Chinese or English
template; 20% of entries are rewrites of an earlier event (reworded Chinese title, swapped outlet,
an English report rendered in Chinese sharing its entities and numbers). ``truth`` maps each entry
index to its event id, so precision and recall are measured on pairs.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from jianbao.records import Entry

_SUBJECTS = [
    ("OpenAI", "OpenAI", "GPT"),
    ("Anthropic", "Anthropic", "Claude Opus"),
    ("谷歌", "Google", "Gemini"),
    ("智谱", "Zhipu", "GLM"),
    ("月之暗面", "Moonshot", "Kimi K"),
    ("阿里", "Alibaba", "Qwen"),
    ("深度求索", "DeepSeek", "DeepSeek V"),
    ("英伟达", "Nvidia", "Nemotron"),
    ("字节跳动", "ByteDance", "Doubao"),
    ("微软", "Microsoft", "Phi"),
    ("Meta", "Meta", "Llama"),
    ("小米", "Xiaomi", "MiMo"),
    ("腾讯", "Tencent", "Hunyuan"),
    ("百度", "Baidu", "ERNIE"),
    ("MiniMax", "MiniMax", "MiniMax M"),
    ("xAI", "xAI", "Grok"),
    ("Mistral", "Mistral", "Mistral Large"),
    ("苹果", "Apple", "Apple FM"),
]
_ACTIONS = [
    ("发布", "releases", "正式推出", "推出"),
    ("开源", "open-sources", "宣布开源", "开放权重"),
    ("融资", "raises funding for", "完成新一轮融资，押注", "获得融资，用于"),
    ("降价", "cuts prices of", "宣布下调", "大幅降价"),
    ("上线", "launches", "正式上线", "全面上线"),
]
_ZH_FRAMES = [
    "{s} {a} {m}，{n}",
    "{s}{a2} {m}：{n}",
    "重磅！{s} {a} {m}，{n}",
    "{m} 来了：{s} {a}，{n}",
]
_ZH_REWRITES = [
    "{s}{a3}{m}，{n}",
    "刚刚，{s} {a2} {m}（{n}）",
    "{m}：{s}{a3}，{n}",
    "{n}！{s}{a} {m}",
]
_EN_FRAMES = ["{S} {A} {m} with {N}", "{S} {A} {m}, claims {N}", "{m}: {S} {A} it, {N}"]
_OUTLETS_ZH = ["量子位", "机器之心", "36氪", "新智元", "雷锋网", "极客公园", "IT之家"]
_OUTLETS_EN = ["The Decoder", "TechCrunch", "The Verge", "VentureBeat", "Bloomberg", "Reuters"]
_TOPICS = ["编程能力", "长上下文", "多模态", "推理速度", "智能体", "端侧部署", "数学推理", "视频生成"]
_TOPICS_EN = [
    "coding",
    "long context",
    "multimodal",
    "inference speed",
    "agents",
    "on-device",
    "math",
    "video",
]


_HANZI = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车"


def _filler(rng: random.Random, n: int) -> str:
    """Varied article prose, so leads share only what real leads share: names and numbers."""
    return "，".join("".join(rng.choice(_HANZI) for _ in range(rng.randrange(3, 7))) for _ in range(n))


_EN_WORDS = [
    a + b
    for a in ("pre", "re", "un", "over", "co", "mis", "out", "sub", "")
    for b in (
        "train",
        "scale",
        "serve",
        "tune",
        "rank",
        "route",
        "cache",
        "index",
        "parse",
        "score",
        "merge",
        "label",
        "shard",
        "query",
        "fetch",
        "plan",
        "grade",
        "probe",
        "sample",
        "render",
        "align",
        "prune",
        "pack",
        "sort",
    )
]


@dataclass(slots=True)
class Synth:
    entries: list[Entry]
    truth: list[int]  # event id of each entry


def _amount(rng: random.Random) -> tuple[str, str]:
    kind = rng.randrange(3)
    if kind == 0:
        v = rng.randrange(2, 900)
        return f"融资 {v} 亿美元", f"${v / 10:g}B in funding"
    if kind == 1:
        v = rng.randrange(1000, 9999) / 100
        return f"准确率 {v}%", f"{v}% accuracy"
    v = rng.randrange(2, 2000)
    return f"{v}B 参数", f"{v}B parameters"


def generate(n: int, *, seed: int = 7, rewrite_share: float = 0.2) -> Synth:
    """``n`` entries; about ``rewrite_share`` of them re-report an earlier event."""
    rng = random.Random(seed)
    entries: list[Entry] = []
    truth: list[int] = []
    events: list[dict] = []
    used: set[tuple[str, str]] = set()
    start = dt.datetime(2026, 6, 1, 8, 0)
    for i in range(n):
        when = start + dt.timedelta(minutes=i * 3)
        if events and rng.random() < rewrite_share:
            ev = events[rng.randrange(max(0, len(events) - 5000), len(events))]
            kind = rng.randrange(3)
            if kind == 2 or ev["lang"] == "en":  # translation: a Chinese report of the same entities
                title = rng.choice(_ZH_REWRITES).format(**ev["zh"])
                lang = "zh"
            elif kind == 1:  # another outlet, same words reordered with punctuation changes
                title = rng.choice(_ZH_FRAMES).format(**ev["zh"]).replace("，", " | ")
                lang = "zh"
            else:  # reworded Chinese headline
                title = rng.choice(_ZH_REWRITES).format(**ev["zh"])
                lang = "zh"
            outlet = rng.choice(_OUTLETS_ZH if lang == "zh" else _OUTLETS_EN)
            lead = f"{ev['zh']['s']}的 {ev['zh']['m']}，{_filler(rng, 4)}，{ev['zh']['n']}。"
            entries.append(_entry(i, outlet, title, lead, lang, when))
            truth.append(ev["id"])
            continue
        while True:  # one release per model version, as in real news
            s_zh, s_en, family = rng.choice(_SUBJECTS)
            version = f"{rng.randrange(1, 100)}.{rng.randrange(0, 100)}"
            if (family, version) not in used:
                used.add((family, version))
                break
        model = f"{family}{'' if family[-1] in 'KV' else '-'}{version}"
        a = rng.choice(_ACTIONS)
        amount_zh, amount_en = _amount(rng)
        topic = rng.randrange(len(_TOPICS))
        zh = {"s": s_zh, "a": a[0], "a2": a[2], "a3": a[3], "m": model, "n": amount_zh}
        ev = {"id": len(events), "zh": zh, "lang": "zh" if rng.random() < 0.6 else "en"}
        if ev["lang"] == "zh":
            title = rng.choice(_ZH_FRAMES).format(**zh)
            lead = f"{s_zh}表示，{model} 在{_TOPICS[topic]}上，{_filler(rng, 4)}，{amount_zh}。"
            entries.append(_entry(i, rng.choice(_OUTLETS_ZH), title, lead, "zh", when))
        else:
            title = rng.choice(_EN_FRAMES).format(S=s_en, A=a[1], m=model, N=amount_en)
            words = " ".join(rng.choice(_EN_WORDS) for _ in range(12))
            lead = f"{s_en} says {model} improves {_TOPICS_EN[topic]}: {words}, {amount_en}."
            entries.append(_entry(i, rng.choice(_OUTLETS_EN), title, lead, "en", when))
        events.append(ev)
        truth.append(ev["id"])
    return Synth(entries, truth)


def _entry(i: int, outlet: str, title: str, lead: str, lang: str, when: dt.datetime) -> Entry:
    url = f"https://news.example/{outlet.replace(' ', '').lower()}/{i}"
    return Entry(
        source=outlet, url=url, canonical_url=url, title=title, summary=lead, language=lang, published=when
    )


def pair_scores(truth: list[int], labels: list[str]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against the planted events."""
    from collections import Counter

    def pairs(groups: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in groups.values())

    true_pairs = pairs(Counter(truth))
    pred_pairs = pairs(Counter(labels))
    both = pairs(Counter(zip(truth, labels, strict=True)))
    precision = both / pred_pairs if pred_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    return precision, recall
