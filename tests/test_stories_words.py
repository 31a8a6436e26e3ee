"""The word lists of story clustering (``jianbao/stories/words/``) hold exactly what it was tuned with."""

from __future__ import annotations

import fnmatch
import hashlib
import json
import tomllib
from importlib.resources import files
from pathlib import Path

from jianbao.stories import compare, history, keys, text
from jianbao.stories.lexicon import word_files, word_set, word_table

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
    # the merge model of repeats was fitted with it (issue #18): a change here changes its evidence
    "follow_up": (23, "8062d22540aaabeb", {"持续发酵", "跟进", "回应", "收官"}),
}


def _digest(words: frozenset[str]) -> str:
    return hashlib.sha256("\n".join(sorted(words)).encode()).hexdigest()[:16]


def _loaded() -> dict[str, frozenset[str]]:
    """Each list as the algorithm holds it, checked to be the one read from its data file."""
    used = {
        "stop_words": text._STOP_WORDS,
        "model_variants": text._VARIANTS,
        "generic_families": text._GENERIC_FAMILIES,
        "no_join_families": text._NO_JOIN_FAMILIES,
        "title_case_words": text._EN_COMMON,
        "outlets": compare._OUTLETS,
        "hub_repos": keys._HUB_REPOS,
        "follow_up": compare._FOLLOW_UP,
    }
    for name, words in used.items():
        assert words is word_set(name), name  # read once, cached
    # every brand is a common name too
    assert frozenset(word_table("brands")) | word_set("common_names") == history._COMMON_NAMES
    return {**used, "common_names": history._COMMON_NAMES}


def test_word_sets_are_the_tuned_ones() -> None:
    loaded = _loaded()
    for name, (count, digest, members) in WORD_SETS.items():
        words = loaded[name]
        assert len(words) == count, name
        assert members <= words, name
        assert _digest(words) == digest, name


def test_brand_aliases_keep_their_order() -> None:
    aliases = word_table("brands")
    assert text._BRAND_ALIASES is aliases
    assert len(aliases) == 58
    assert sum(len(a) for a in aliases.values()) == 112
    assert aliases["nvidia"] == ("英伟达", "nvidia", "輝達", "辉达")
    assert aliases["huang"] == ("黄仁勋", "jensen huang")
    assert list(aliases)[:3] == ["nvidia", "google", "deepmind"]
    # order matters: equal-length Chinese aliases are tried in this order by one regex
    digest = hashlib.sha256(json.dumps(list(aliases.items()), ensure_ascii=False).encode()).hexdigest()
    assert digest[:16] == "810a5ae773b51204"
    assert hashlib.sha256(text._CJK_ALIAS_RE.pattern.encode()).hexdigest()[:16] == "9204b737bb938537"
    # Latin aliases of several words are matched as phrases
    assert set(text._LATIN_PHRASES) == {"hugging face", "volcano engine", "jensen huang"}


def test_event_words_keep_their_order() -> None:
    events = compare._EVENTS
    assert events == tuple(word_table("events").items())
    assert [kind for kind, _ in events][:3] == ["open", "ipo", "acquire"]
    assert events[-1] == (
        "release",
        ("发布", "推出", "上线", "launch", "release", "introduc", "unveil", "debut"),
    )
    assert len(events) == 18
    digest = hashlib.sha256(json.dumps(events, ensure_ascii=False).encode()).hexdigest()
    assert digest[:16] == "2c9fb219fd4ae82b"


def test_every_word_file_is_a_package_resource_with_a_header() -> None:
    names = word_files()
    assert names == sorted([f"{n}.txt" for n in WORD_SETS] + ["brands.toml", "events.toml"]), (
        "a list was added or removed: pin it above"
    )
    folder = files("jianbao.stories").joinpath("words")
    for name in names:
        body = folder.joinpath(name).read_text(encoding="utf-8")
        assert body.startswith("# "), f"{name} opens without a comment saying what it is for"
        assert "Used by jianbao.stories." in body, f"{name} does not say which module reads it"


def test_installed_package_ships_the_word_files() -> None:
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    patterns = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"][
        "jianbao"
    ]
    for name in word_files():
        assert any(fnmatch.fnmatch(f"stories/words/{name}", p) for p in patterns), name


def test_comments_and_blank_lines_are_not_words() -> None:
    for name in WORD_SETS:
        words = word_set(name)
        assert not any(w.startswith("#") or not w or w != w.strip() for w in words), name
