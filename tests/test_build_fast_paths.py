"""The build's fast paths (#21) give what the plain ones give: word lists read in one pass, labs' hosts looked
up by index, sections worked out only for the stories 其他 lists, the window's entries reused as the
sources' samples, and the collector paused for a build only."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from jianbao.config import Config, SectionRule
from jianbao.editions.weekly import compose_weekly
from jianbao.errors import JianbaoError
from jianbao.issue import section
from jianbao.issue.build import build
from jianbao.issue.compose import names_any, story_urls
from jianbao.issue.relevance import Topic, _Words, evidence_hash, lab_of, load_topic
from jianbao.issue.select import Scoring, rank, score_story
from jianbao.issue.wordscan import Substrings, trie_pattern
from jianbao.records import Entry, Link, Relevance, Source, Story
from jianbao.store import Store, open_store, utc_naive
from jianbao.store import schema as t

DAY = dt.date(2026, 11, 20)
NOON = dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC)
SAMPLES = Path(__file__).resolve().parents[1] / "src" / "jianbao" / "samples"

# A small alphabet makes overlaps, prefixes and case folds likely.
_CHARS = st.sampled_from(list("abAB -.gG模型大语言AI芯片ſK"))
_WORDS = st.lists(st.text(_CHARS, min_size=1, max_size=5), max_size=12)
_TEXTS = st.text(_CHARS, max_size=40)


# ------------------------------------------------------------------------------------------ one pass
def _per_word(words: Sequence[str], text: str) -> list[str]:
    """The word lists' matching as it was: one alternation per kind, then each Chinese word looked for in turn."""
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    cjk: list[str] = []
    for word in dict.fromkeys(w.strip() for w in words if w.strip()):
        if not word.isascii():
            cjk.append(word)
        elif len(word) <= 4 and any(c.isupper() for c in word):
            exact[word] = word
        else:
            folded[word.lower()] = word
    names = {**folded, **exact}
    found: dict[str, int] = {}
    for table, flags in ((folded, re.IGNORECASE), (exact, 0)):
        if not table:
            continue
        body = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
        for match in re.finditer(rf"(?<![A-Za-z0-9])({body})(?![A-Za-z0-9])", text, flags):
            key = match.group(1).lower() if flags else match.group(1)
            found.setdefault(names.get(key, match.group(1)), match.start())
    for word in cjk:
        at = text.find(word)
        if at >= 0 and not any(word in longer and word != longer for longer in found):
            found.setdefault(word, at)
    return sorted(found, key=lambda w: found[w])


@settings(max_examples=300, deadline=None)
@given(_WORDS, _TEXTS)
def test_a_word_list_finds_what_a_scan_per_word_finds(words: list[str], text: str) -> None:
    assert _Words(words).find(text) == _per_word(words, text)


@settings(max_examples=300, deadline=None)
@given(_WORDS, _TEXTS)
def test_substrings_are_the_words_in_the_text(words: list[str], text: str) -> None:
    assert Substrings(words).present(text) == {w for w in words if w and w in text}


@settings(max_examples=300, deadline=None)
@given(_WORDS, _TEXTS)
@example(["g", "G."], "G.")
def test_the_trie_matches_what_the_longest_first_alternation_matches(words: list[str], text: str) -> None:
    words = [w for w in dict.fromkeys(words) if w]
    # case-blind, the trie is asked for what relevance asks it: ASCII words lower-cased, so no two of them
    # differ only in case (as words, "g" and "G." branch apart while IGNORECASE reads them alike)
    folded = list(dict.fromkeys(w.lower() for w in words if w.isascii()))
    for flags, listed in ((0, words), (re.IGNORECASE, folded)):
        if not listed:
            continue
        alternation = "|".join(re.escape(w) for w in sorted(listed, key=len, reverse=True))
        plain = re.compile(rf"(?<![A-Za-z0-9])({alternation})(?![A-Za-z0-9])", flags)
        trie = re.compile(rf"(?<![A-Za-z0-9])({trie_pattern(listed)})(?![A-Za-z0-9])", flags)
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_the_topic_lists_on_the_sample_feeds_find_what_a_scan_per_word_finds() -> None:
    topic = load_topic("ai")
    texts = [
        p.read_text(encoding="utf-8", errors="replace") for p in sorted(SAMPLES.rglob("*")) if p.is_file()
    ]
    chunks = [t[i : i + 1500] for t in texts for i in range(0, min(len(t), 60_000), 1500)]
    assert len(chunks) > 50
    for words in (topic.strong, topic.weak):
        matcher = _Words(words)
        assert [matcher.find(c) for c in chunks] == [_per_word(words, c) for c in chunks]


# ------------------------------------------------------------------------------------------ labs
def _lab_per_host(url: str, labs: dict[str, tuple[str, ...]]) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if not host:
        return ""
    where = f"{host}{parts.path}"
    for lab, hosts in labs.items():
        for known in hosts:
            if "/" in known and where.startswith(known):
                return lab
            if host == known or host.endswith("." + known):
                return lab
    return ""


def test_labs_by_index_are_the_first_lab_in_the_topics_order() -> None:
    ai = load_topic("ai")
    tricky = Topic(
        name="t",
        strong=(),
        weak=(),
        labs={"a": ("b.com", "a.com/x"), "b": ("a.com", "com"), "c": ("a.com/",)},
    )
    urls = [
        "",
        "nonsense",
        "https://",
        "https://user@openai.com/x",
        "https://[::1]/x",
        "https://example.com./a",
    ]
    for table in (ai.labs, ai.companies, tricky.labs):
        for known in (k for hosts in table.values() for k in hosts):
            for pre in ("", "www.", "sub.", "WWW.x.", "evil"):
                for path in ("", "/", "/x", "/news/1", ":8080/x", "./"):
                    urls.append(f"https://{pre}{known}{path}")
    for topic in (ai, tricky):
        for url in urls:
            assert lab_of(url, topic) == _lab_per_host(url, dict(topic.labs)), url
            assert lab_of(url, topic, companies=True) == _lab_per_host(url, dict(topic.companies)), url


# ------------------------------------------------------------------------------------------ sections
def _evidence_per_word(rule: SectionRule, title: str, text: str) -> tuple[float, list[str]]:
    """A rule's keyword evidence, each keyword matched in turn (``section._matches``)."""
    words = body = 0.0
    why: list[str] = []
    for word in dict.fromkeys(rule.keywords):
        if section._matches(title, word):
            words += section.TITLE_POINTS
            why.append(f"keyword:{word}")
        elif section._matches(text, word):
            body += section.TEXT_POINTS
            why.append(f"text:{word}")
    score = min(
        words + min(body, section.TEXT_CAP), section.KEYWORD_CAP if text.strip() else section.BARE_CAP
    )
    for word in dict.fromkeys(rule.avoid):
        if section._matches(title, word):
            score -= section.AVOID_POINTS
            why.append(f"avoid:{word}")
    return score, why


@settings(max_examples=200, deadline=None)
@given(_WORDS, _WORDS, _TEXTS, _TEXTS)
def test_a_rules_keywords_read_in_one_pass_give_the_same_evidence(
    keywords: list[str], avoid: list[str], title: str, text: str
) -> None:
    rules = [SectionRule(name="one", keywords=keywords, avoid=avoid), SectionRule(name="two", keywords=avoid)]
    entry = Entry(source="s", url="https://x.org/1", title=title, summary=text, published=NOON)
    placement = section.place(Story(id="1", entries=[entry], title=title), rules, min_score=0.5)
    lowered = f"{entry.summary}\n{entry.content[:600]}".lower()
    for rule in rules:
        score, why = _evidence_per_word(rule, title.lower(), lowered)
        assert placement.scores[rule.name] == score
        if placement.section == rule.name:
            assert placement.reason.startswith(" ".join(why))


def _story(sid: str, title: str, *, kinds: tuple[str, ...] = (), age: float = 0.0) -> Story:
    links = [Link(url=f"https://x.org/{sid}/{k}", kind=k) for k in kinds]  # type: ignore[arg-type]
    entry = Entry(source="s", url=f"https://x.org/{sid}", title=title, summary="正文。", links=links,
                  published=NOON - dt.timedelta(days=age))  # fmt: skip
    story = Story(id=sid, entries=[entry], title=title, last_seen=entry.published)
    return score_story(story, today=DAY, window_days=7, weights={})


def test_a_full_issue_still_says_where_each_listed_story_would_have_gone() -> None:
    config = Config()
    config.weekly.max_items = 3
    papers = [_story(f"p{i}", f"论文 {i}", kinds=("paper",), age=i / 10) for i in range(3)]
    repos = [_story(f"r{i}", f"开源项目 {i}", kinds=("code",), age=1 + i / 10) for i in range(4)]
    bare = [_story(f"b{i}", f"一条新闻 {i}", age=2 + i / 10) for i in range(3)]
    ranked = rank([*papers, *repos, *bare])
    issue, picks = compose_weekly(ranked, day=DAY, config=config, sources={}, summarize=lambda s: "摘要。")
    assert len(issue.items) == 3
    listed = [p for p in picks if p.section is None and not p.left_out]
    assert [p.story.id for p in listed] == [s.id for s in ranked[3:]][: config.weekly.other_max]
    for pick in listed:  # the reason the placement gives, told after the issue filled
        placement = section.place(
            pick.story, config.weekly.sections, min_score=config.weekly.section_min_score
        )
        if placement.section is not None:
            assert pick.reason == f"issue full (3 items); would be {placement.section}: {placement.reason}"
        else:
            assert pick.reason.startswith("issue full (3 items); would be ")
            assert pick.reason.endswith(f"no rule sure, best evidence: {placement.reason}")


# A story's words drawn from the rules' own (below) and a few of none, so that most rules have evidence
# for some stories, none for others, and avoid words and ties happen.
_RULE_WORDS = ["论文", "paper", "开源", "github", "项目", "课程", "书", "教程", "tutorial", "综述", "DIY"]
_STORY_WORDS = st.lists(st.sampled_from([*_RULE_WORDS, "模型", "发布", "Agent", "融资"]), max_size=3).map(
    " ".join
)


def _rules_of(draw: st.DrawFn) -> list[SectionRule]:
    names = draw(
        st.lists(st.sampled_from(["前沿", "开源", "福利", "杂谈"]), min_size=1, max_size=4, unique=True)
    )
    return [
        SectionRule(
            name=name,
            link_kinds=draw(st.lists(st.sampled_from(["paper", "code", "project"]), max_size=2)),
            keywords=draw(st.lists(st.sampled_from(_RULE_WORDS), max_size=4)),
            sources=draw(st.lists(st.sampled_from(["a", "b", "量子位"]), max_size=1)),
            avoid=draw(st.lists(st.sampled_from(_RULE_WORDS), max_size=2)),
            quota=draw(st.integers(0, 3)),
        )
        for name in names
    ]


def _placed_story(draw: st.DrawFn, sid: str, *, least: int = 0) -> Story:
    entries = []
    for k in range(draw(st.integers(least, 3))):
        kinds = draw(st.lists(st.sampled_from(["paper", "code", "project", "article"]), max_size=2))
        links = [Link(url=f"https://x.org/{sid}/{k}/{i}", kind=kind) for i, kind in enumerate(kinds)]  # type: ignore[arg-type]
        entries.append(
            Entry(source=draw(st.sampled_from(["a", "b", "c", "量子位"])), url=f"https://x.org/{sid}/{k}",
                  title=draw(_STORY_WORDS), summary=draw(_STORY_WORDS), content=draw(st.sampled_from(["", "正文"])),
                  language=draw(st.sampled_from(["zh", "en"])), links=links,
                  published=NOON - dt.timedelta(hours=draw(st.integers(0, 150))))
        )  # fmt: skip
    story = Story(id=sid, entries=entries, title=draw(_STORY_WORDS))
    story.last_seen = max((e.published for e in entries if e.published), default=None)
    story.state = draw(st.sampled_from(["new", "new", "update"]))
    return story


def _landing(
    story: Story, rules: list[SectionRule], min_score: float, sources: dict[str, Source]
) -> str | None:
    """Where the weekly puts a story by its evidence: ``place``, else (unsure) the section of its best evidence."""
    placement = section.place(story, rules, sources=sources, min_score=min_score)
    if placement.section is not None:
        return placement.section
    best = max((r.name for r in rules), key=lambda n: placement.scores.get(n, 0.0))
    return best if placement.scores.get(best, 0.0) > 0 else rules[0].name


_SOURCES = {"c": Source(name="c", url="https://c.example/feed", title="量子位")}  # a title a rule names


@st.composite
def _reach_cases(draw: st.DrawFn) -> tuple[list[SectionRule], set[str], float, Story]:
    rules = _rules_of(draw)
    names = set(draw(st.lists(st.sampled_from([r.name for r in rules]), max_size=len(rules))))
    return rules, names, draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0])), _placed_story(draw, "s")


@settings(max_examples=500, deadline=None)
@given(_reach_cases())
def test_a_story_reach_turns_away_lands_in_none_of_its_sections(
    case: tuple[list[SectionRule], set[str], float, Story],
) -> None:
    rules, names, min_score, story = case
    if not section.Reach.of(rules, names, min_score=min_score).may_place(story, _SOURCES):
        assert _landing(story, rules, min_score, _SOURCES) not in names
    assert section.may_place(story, rules, names, sources=_SOURCES, min_score=min_score) == section.Reach.of(
        rules, names, min_score=min_score
    ).may_place(story, _SOURCES)


@st.composite
def _weekly_cases(draw: st.DrawFn) -> tuple[Config, list[Story]]:
    config = Config()
    weekly = config.weekly
    weekly.sections = _rules_of(draw)
    weekly.max_items = draw(st.integers(1, 8))
    weekly.other_max = draw(st.integers(0, 4))
    weekly.lead_items = draw(st.integers(0, 3))
    weekly.min_share = draw(st.sampled_from([0.0, 0.25, 0.6]))
    weekly.section_min_score = draw(st.sampled_from([0.0, 1.0, 2.0]))
    weekly.english_only = draw(st.sampled_from(["other", "gloss"]))
    stories = [
        _placed_story(draw, f"s{k}", least=1) for k in range(draw(st.integers(0, 25)))
    ]  # (a story has one)
    for story in stories:
        score_story(story, today=DAY, window_days=7, weights={"a": 1.5, "b": 0.5})
        story.score = round(story.score * draw(st.sampled_from([1.0, 1.0, 0.3, 2.0])), 4)  # spread, ties kept
    return config, stories


def _composed(config: Config, stories: list[Story]) -> tuple[object, list[tuple[object, ...]]]:
    from jianbao.editions.weekly import WEEKLY

    summarize = WEEKLY.summarizer(config, sources=_SOURCES, translates=False)
    issue, picks = compose_weekly(
        rank(stories), day=DAY, config=config, sources=_SOURCES, summarize=summarize
    )
    return issue, [(p.story.id, p.section, p.reason, p.left_out, p.item, p.parts) for p in picks]


@settings(max_examples=300, deadline=None)
@given(_weekly_cases())
def test_placing_only_what_the_sections_with_room_may_take_composes_the_same_issue(
    case: tuple[Config, list[Story]],
) -> None:
    """The weekly with ``Reach`` is the weekly placing every story above ``min_share`` (``Reach`` always yes)."""
    config, stories = case
    fast = _composed(config, stories)
    with mock.patch.object(section.Reach, "may_place", lambda self, story, sources=None: True):
        full = _composed(config, stories)
    assert fast == full


def test_a_section_no_story_can_fill_leaves_the_rest_unplaced() -> None:
    """福利 with no 福利 story: the stories after the other sections filled are not placed one by one, and the
    issue and the reasons 其他 gives are those of placing them all."""
    config = Config()
    papers = [_story(f"p{i}", f"论文 {i}", kinds=("paper",), age=i / 10) for i in range(6)]
    repos = [_story(f"r{i}", f"开源项目 {i}", kinds=("code",), age=1 + i / 10) for i in range(6)]
    bare = [_story(f"b{i}", f"一条新闻 {i}", age=2 + i / 10) for i in range(40)]
    ranked = rank([*papers, *repos, *bare])
    calls: list[str] = []
    real = section.place

    def counted(story: Story, *args: object, **kwargs: object) -> section.Placement:
        calls.append(story.id)
        return real(story, *args, **kwargs)  # type: ignore[arg-type]

    with mock.patch("jianbao.editions.weekly.place", counted):
        issue, picks = compose_weekly(
            ranked, day=DAY, config=config, sources={}, summarize=lambda s: "摘要。"
        )
    assert [len(s.items) for s in issue.sections] == [4, 4]
    listed = sum(1 for p in picks if p.section is None and not p.left_out)
    assert len(calls) <= 12 + listed  # each numbered or listed story once, not the 40 others
    with mock.patch.object(section.Reach, "may_place", lambda self, story, sources=None: True):
        again = compose_weekly(ranked, day=DAY, config=config, sources={}, summarize=lambda s: "摘要。")
    assert (issue, [(p.story.id, p.reason) for p in picks]) == (
        again[0],
        [(p.story.id, p.reason) for p in again[1]],
    )


_URLS = st.sampled_from(
    ["", "https://a.org/1", "https://a.org/2", "arxiv:1", "github:x/y", "url:https://a.org/1"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_URLS, _URLS, st.lists(_URLS, max_size=3)), max_size=3),
    st.sets(_URLS, max_size=3),
)
def test_a_story_names_a_link_when_its_links_meet_it(
    reports: list[tuple[str, str, list[str]]], urls: set[str]
) -> None:
    entries = [
        Entry(
            source="s",
            url=url,
            canonical_url=canonical,
            title="t",
            links=[Link(url="u", key=k) for k in keys],
        )
        for url, canonical, keys in reports
    ]
    story = Story(id="s", entries=entries)
    assert names_any(story, urls) == bool(story_urls(story) & urls)


# ------------------------------------------------------------------------------------------ the store
def test_latest_entries_hands_back_the_entries_already_read(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        store.sync_sources([Source(name=n, url=f"https://{n}.example/feed") for n in ("a", "b")])
        entries = [
            Entry(source=n, url=f"https://{n}.example/{k}", title=f"{n} {k}", summary=f"正文 {k}",
                  published=NOON - dt.timedelta(hours=k), links=[Link(url=f"https://arxiv.org/abs/{k}", kind="paper")])
            for n in ("a", "b") for k in range(6)
        ]  # fmt: skip
        store.upsert_entries(entries)
        window = store.entries_between(NOON - dt.timedelta(hours=3, minutes=30), NOON + dt.timedelta(hours=1))
        plain = store.latest_entries(["a", "b"], before=NOON + dt.timedelta(hours=1), limit=5)
        known = {e.id: e for e in window if e.id is not None}
        reused = store.latest_entries(["a", "b"], before=NOON + dt.timedelta(hours=1), limit=5, known=known)
        assert reused == plain and [len(v) for v in plain.values()] == [5, 5]
        assert all(e is known[e.id] for v in reused.values() for e in v if e.id in known)
        assert any(e.id not in known for v in reused.values() for e in v)  # the rest were read
    finally:
        store.close()


def test_a_build_pauses_the_collector_and_gives_it_back(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        assert gc.isenabled()
        with pytest.raises(JianbaoError):  # nothing to build: the collector is back after the error too
            build(store, Config(), DAY, "weekly")
        assert gc.isenabled()
    finally:
        store.close()


def _latest_per_source(
    store: Store, sources: Sequence[str], before: dt.datetime, limit: int, undated: bool
) -> dict[str, list[int]]:
    """``latest_entries`` as it was: one query per source."""
    entries = t.entries.c
    dated = entries.published < utc_naive(before)
    when = dated | entries.published.is_(None) if undated else dated
    out: dict[str, list[int]] = {}
    with store.engine.connect() as conn:
        for name in dict.fromkeys(sources):
            query = (
                select(entries.id)
                .where(entries.source == name, when)
                .order_by(func.coalesce(entries.published, entries.fetched).desc(), entries.id.desc())
                .limit(limit)
            )
            if ids := [row[0] for row in conn.execute(query)]:
                out[name] = ids
    return out


def test_latest_entries_in_one_query_are_each_sources_newest(any_store: Store) -> None:
    """Ties of date broken by id, undated entries by their fetch time, sources asked twice or without entries."""
    names = ["c", "a", "b", "empty"]
    any_store.sync_sources([Source(name=n, url=f"https://{n}.example/feed") for n in names])
    entries = [
        Entry(source=n, url=f"https://{n}.example/{k}", title=f"{n} {k}", summary="正文",
              published=None if k % 5 == 0 else NOON - dt.timedelta(hours=k // 3),
              fetched=NOON - dt.timedelta(minutes=k))
        for n in ("a", "b", "c") for k in range(14)
    ]  # fmt: skip
    any_store.upsert_entries(entries)
    asked = ["b", "a", "empty", "c", "a"]
    for limit in (1, 4, 40):
        for undated in (False, True):
            for before in (NOON - dt.timedelta(hours=2), NOON + dt.timedelta(hours=1)):
                got = any_store.latest_entries(asked, before=before, limit=limit, undated=undated)
                want = _latest_per_source(any_store, asked, before, limit, undated)
                assert {n: [e.id for e in v] for n, v in got.items()} == want
                assert list(got) == list(want)


# ------------------------------------------------------------------------------------------ scoring
def _score_as_it_was(
    story: Story, *, today: dt.date, window_days: int, weights: dict[str, float], interests: Sequence[str]
) -> tuple[float, dict[str, float]]:
    """``score_story`` as it was: a generator over the entries per part."""
    import math

    scoring = Scoring()
    parts: dict[str, float] = {}
    newest = max((e.published for e in story.entries if e.published), default=None)
    if newest is not None:
        age = max(
            0.0, (dt.datetime.combine(today, dt.time(23, 59), tzinfo=dt.UTC) - newest).total_seconds() / 86400
        )
        parts["recency"] = round(max(0.2, 1.0 - 0.8 * age / max(window_days, 1)), 3)
    else:
        parts["recency"] = 0.2
    names = story.sources
    parts["sources"] = round(scoring.sources * math.log2(max(len(names), 1)), 3)
    if story.relevance is not None and story.relevance.first_party:
        parts["first_party"] = scoring.sources
    kinds = {link.kind for entry in story.entries for link in entry.links}
    parts["paper"] = scoring.links if "paper" in kinds else 0.0
    parts["code"] = scoring.links if "code" in kinds else 0.0
    stars = max((int(e.extra.get("stars") or 0) for e in story.entries), default=0)
    gained = max(
        (int(e.extra.get("stars_period") or e.extra.get("stars_gained") or 0) for e in story.entries),
        default=0,
    )
    for entry in story.entries:
        for link in entry.links:
            stars = max(stars, int(link.meta.get("stars") or 0))
            gained = max(gained, int(link.meta.get("stars_gained") or 0))
    parts["stars"] = round(min(1.0, math.log10(stars + 1) / 5), 3)
    parts["stars_gained"] = round(min(1.0, math.log10(gained + 1) / 4), 3)
    points = max((int(e.extra.get("points") or 0) for e in story.entries), default=0)
    parts["hn"] = round(min(1.0, math.log10(points + 1) / 3), 3)
    text = " ".join(f"{e.title} {e.summary}" for e in story.entries)
    parts["interests"] = round(
        min(0.9, 0.3 * sum(1 for w in interests if section._matches(text.lower(), w))), 3
    )
    has_text = any((e.content or e.summary).strip() for e in story.entries)
    parts["richness"] = 0.0 if has_text else -0.5
    weight = max((weights.get(s, 1.0) for s in names), default=1.0)
    parts["source_weight"] = weight
    total = weight * sum(v for k, v in parts.items() if k != "source_weight")
    if story.relevance is not None:
        parts["relevance"] = story.relevance.score
    if story.state == "update":
        parts["update"] = -0.3
        total -= 0.3
    return round(total, 4), parts


_COUNTS = st.one_of(st.none(), st.integers(0, 10**6), st.integers(0, 10**6).map(str))


@st.composite
def _scored_stories(draw: st.DrawFn) -> Story:
    entries = []
    for k in range(draw(st.integers(0, 4))):
        extra = {
            key: value
            for key in ("stars", "stars_period", "stars_gained", "points", "seen_in")
            if (value := draw(_COUNTS if key != "seen_in" else st.lists(st.sampled_from("abc"), max_size=2)))
        }
        links = [
            Link(url=f"https://x.org/{k}/{i}", kind=draw(st.sampled_from(["paper", "code", "article"])),
                 meta={"stars": draw(_COUNTS), "stars_gained": draw(_COUNTS)} if draw(st.booleans()) else {})
            for i in range(draw(st.integers(0, 3)))
        ]  # fmt: skip
        hours = draw(st.one_of(st.none(), st.integers(0, 400)))
        entries.append(
            Entry(source=draw(st.sampled_from("abc")), url=f"https://x.org/{k}", title=draw(_TEXTS),
                  summary=draw(st.sampled_from(["", "  ", "正文 agent"])), content=draw(st.sampled_from(["", "模型"])),
                  published=None if hours is None else NOON - dt.timedelta(hours=hours), extra=extra, links=links)
        )  # fmt: skip
    story = Story(id="s", entries=entries, title="t", state=draw(st.sampled_from(["new", "update"])))
    if draw(st.booleans()):
        story.relevance = Relevance(
            score=draw(st.floats(0, 1)), on_topic=True, first_party=draw(st.sampled_from(["", "openai"]))
        )
    return story


@settings(max_examples=300, deadline=None)
@given(
    _scored_stories(),
    st.lists(st.sampled_from(["agent", "模型", "GPU", "Agent", "ag", "", "正文"]), max_size=4),
    st.integers(1, 14),
)
def test_scoring_in_one_pass_gives_the_scores_it_gave(story: Story, interests: list[str], days: int) -> None:
    weights = {"a": 1.5, "b": 0.5}
    want = _score_as_it_was(story, today=DAY, window_days=days, weights=weights, interests=interests)
    score_story(story, today=DAY, window_days=days, weights=weights, interests=interests)
    assert (story.score, story.score_parts) == want
    assert list(story.score_parts) == list(want[1])


# ------------------------------------------------------------------------------------------ relevance evidence
@settings(max_examples=300, deadline=None)
@given(
    st.tuples(_TEXTS, _TEXTS, _TEXTS, st.lists(_TEXTS, max_size=3).map(tuple), st.booleans()),
    st.sampled_from(["", "ab12", "0" * 64]),
)
def test_an_evidence_key_is_the_hash_of_its_parts_as_it_was(
    reading: tuple[str, str, str, tuple[str, ...], bool], digest: str
) -> None:
    """The key ingest keeps evidence under, made in one format: the same bytes as part by part."""
    url, title, text, kinds, model = reading
    parts = (digest, url, title, text, "m" if model else "-", *kinds)
    raw = "".join(f"{len(part)}:{part}" for part in parts)
    assert (
        evidence_hash(reading, digest) == hashlib.sha256(raw.encode("utf-8", "surrogatepass")).digest()[:16]
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_TEXTS, _TEXTS, st.lists(_TEXTS, max_size=3).map(tuple)), max_size=4))
def test_a_signature_key_is_the_hash_of_its_report_as_it_was(
    reports: list[tuple[str, str, tuple[str, ...]]],
) -> None:
    """The story index's keys, the settings' part formatted once for many reports: the same keys."""
    from jianbao.stories.settings import ClusterSettings
    from jianbao.stories.signature import VERSION, signature_hash

    knobs = ClusterSettings(num_perm=32, lsh_threshold=0.4)
    shape = f"{VERSION}|{knobs.num_perm}|{knobs.entity_weight}|{knobs.lsh_threshold!r}"
    for title, lead, keys in reports:
        raw = "\x1f".join((shape, title, lead, *keys)).encode("utf-8", "surrogatepass")
        assert signature_hash((title, lead, keys), knobs) == hashlib.sha256(raw).hexdigest()[:32]
