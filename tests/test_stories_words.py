"""The word lists of story clustering hold exactly what the algorithm was tuned with."""

from __future__ import annotations

import hashlib
import json

import jianbao.stories.cluster as c

# name → (count, sha256 of the sorted members, a few members): taken from the literals the clustering
# code held before the lists became data files; a change here changes which reports are one story.
WORD_SETS = {
    "stop_words": (185, "5a4595dddb8d21ff", {"the", "via", "hn", "tldr", "x"}),
    "model_variants": (34, "2d7560712e381001", {"pro", "flash", "opus", "ultraspeed"}),
    "generic_families": (17, "f1fedfbd8e9bcd7e", {"code", "robotics", "vla", "music"}),
    "no_join_families": (1, "67f2d22514622d1b", {"qwen"}),
    "title_case_words": (268, "77dc08351d0f9643", {"with", "between", "onto"}),
    "outlets": (32, "d301557aac8f35e5", {"bloomberg", "decoder", "moneydj"}),
    "hub_repos": (3, "7acc71532cc3318c", {"github:huggingface/transformers"}),
    "common_names": (70, "27a59eec8ec0671b", {"nvidia", "gpt", "codex", "mythos", "github"}),
}


def _digest(words: frozenset[str]) -> str:
    return hashlib.sha256("\n".join(sorted(words)).encode()).hexdigest()[:16]


def _loaded() -> dict[str, frozenset[str]]:
    return {
        "stop_words": c._STOP_WORDS,
        "model_variants": c._VARIANTS,
        "generic_families": c._GENERIC_FAMILIES,
        "no_join_families": c._NO_JOIN_FAMILIES,
        "title_case_words": c._EN_COMMON,
        "outlets": c._OUTLETS,
        "hub_repos": c._HUB_REPOS,
        "common_names": c._COMMON_NAMES,
    }


def test_word_sets_are_the_tuned_ones() -> None:
    loaded = _loaded()
    for name, (count, digest, members) in WORD_SETS.items():
        words = loaded[name]
        assert len(words) == count, name
        assert members <= words, name
        assert _digest(words) == digest, name


def test_brand_aliases_keep_their_order() -> None:
    aliases = c._BRAND_ALIASES
    assert len(aliases) == 58
    assert sum(len(a) for a in aliases.values()) == 112
    assert aliases["nvidia"] == ("英伟达", "nvidia", "輝達", "辉达")
    assert aliases["huang"] == ("黄仁勋", "jensen huang")
    assert list(aliases)[:3] == ["nvidia", "google", "deepmind"]
    # order matters: equal-length Chinese aliases are tried in this order by one regex
    digest = hashlib.sha256(json.dumps(list(aliases.items()), ensure_ascii=False).encode()).hexdigest()
    assert digest[:16] == "810a5ae773b51204"
    assert hashlib.sha256(c._CJK_ALIAS_RE.pattern.encode()).hexdigest()[:16] == "9204b737bb938537"


def test_event_words_keep_their_order() -> None:
    events = c._EVENTS
    assert [kind for kind, _ in events][:3] == ["open", "ipo", "acquire"]
    assert events[-1] == ("release", ("发布", "推出", "上线", "launch", "release", "introduc", "unveil", "debut"))
    assert len(events) == 18
    digest = hashlib.sha256(json.dumps(events, ensure_ascii=False).encode()).hexdigest()
    assert digest[:16] == "2c9fb219fd4ae82b"
