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
            entries.append(_entry(i, outlet, title, ev["lead_zh"], lang, when))
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
        ev["lead_zh"] = f"{s_zh}表示，{model} 在{_TOPICS[topic]}上大幅提升，{amount_zh}。"
        if ev["lang"] == "zh":
            title = rng.choice(_ZH_FRAMES).format(**zh)
            entries.append(_entry(i, rng.choice(_OUTLETS_ZH), title, ev["lead_zh"], "zh", when))
        else:
            title = rng.choice(_EN_FRAMES).format(S=s_en, A=a[1], m=model, N=amount_en)
            lead = f"{s_en} says {model} improves {_TOPICS_EN[topic]} a lot, {amount_en}."
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
