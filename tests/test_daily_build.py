"""Daily build: stories → 今日精选 / 国际动态 / 中文圈, trending rows, entity, one-liner; the demo end to end."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jianbao.config import Config
from jianbao.editions.daily import compose_daily, entity_of, one_liner
from jianbao.issue.item_text import trim_sentences
from jianbao.issue.trending import trending_rows
from jianbao.records import Entry, Item, Source, Story
from jianbao.render import render

DAY = dt.date(2026, 6, 16)
SOURCES = {
    "decoder": Source("decoder", "https://the-decoder.com/feed", title="The Decoder", region="国际"),
    "hn": Source("hn", "https://news.ycombinator.com", kind="hackernews", title="HN", region="国际"),
    "qbit": Source("qbit", "https://qbitai.com/feed", title="量子位", region="中文圈"),
    "leiphone": Source("leiphone", "https://leiphone.com/feed", title="雷锋网", region="中文圈"),
}


def _story(n: int, source: str, title: str, *also: str) -> Story:
    entries = [
        Entry(source=source, url=f"https://{source}.example/{n}", title=title, summary=f"{title}。第二句话。")
    ]
    entries += [Entry(source=s, url=f"https://{s}.example/{n}", title=title) for s in also]
    return Story(id=f"s{n}", entries=entries, title=title, score=10 - n)


RANKED = [
    _story(1, "decoder", "Anthropic 派技术团队赴华盛顿", "hn"),
    _story(2, "qbit", "DeepSeek V4 Flash 更新后性能匹配 GPT-5.6"),
    _story(3, "decoder", "Nvidia 拟发行 200 亿美元债券"),
    _story(4, "qbit", "智谱开放 GLM Coding Plan"),
    _story(5, "hn", "Ask HN: local models for coding?"),
    _story(6, "leiphone", "清华团队 AI 解码全球气候"),
    _story(7, "decoder", "Waymo builds its own chip"),
    _story(8, "leiphone", "智源大会开幕"),
]


def _config(top: int = 2, region: int = 2) -> Config:
    config = Config()
    config.daily.top_items = top
    config.daily.region_items = region
    return config


def test_compose_daily_fills_top_then_regions_under_quotas() -> None:
    issue, picks = compose_daily(
        RANKED, day=DAY, config=_config(), sources=SOURCES, summarize=lambda s: "摘要。"
    )
    by_section = {s.name: [i.title for i in s.items] for s in issue.sections}
    assert by_section == {
        "今日精选": [RANKED[0].title, RANKED[1].title],
        "国际动态": [RANKED[2].title, RANKED[4].title],
        "中文圈": [RANKED[3].title, RANKED[5].title],
    }
    assert [i.priority for i in issue.items] == ["red", "red", "yellow", "yellow", "yellow", "yellow"]
    assert issue.items[0].sources == ["The Decoder", "HN"] and issue.items[0].source == "The Decoder / HN"
    assert issue.items[0].entity == "Anthropic" and issue.items[1].entity == "DeepSeek V4 Flash"
    assert [p.story.id for p in picks] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert all(p.item is not None and p.item.story_id == p.story.id for p in picks)
    assert issue.one_liner == "Anthropic 派技术团队赴华盛顿。"
    assert issue.insights == [] and "💡" not in render(issue, "markdown")
    assert issue.moments and len(issue.moments) < 300 and issue.moments.startswith("🤖 AI早报 06/16\n\n")


def test_compose_daily_with_few_stories_leaves_sections_out() -> None:
    issue, _ = compose_daily(
        RANKED[:3], day=DAY, config=_config(top=3), sources=SOURCES, summarize=lambda s: ""
    )
    assert [s.name for s in issue.sections] == ["今日精选"]


def test_trending_rows_rank_by_stars_gained_one_row_per_repo() -> None:
    def entry(repo: str, stars: int, gained: int | None, hour: int) -> Entry:
        fetched = dt.datetime(2026, 6, 16, hour, tzinfo=dt.UTC)
        extra = {"repo": repo, "stars": stars, "stars_period": gained, "language": "Python"}
        return Entry(
            source="gh",
            url=f"https://github.com/{repo}",
            title=repo,
            summary=f"{repo} 说明。",
            fetched=fetched,
            extra=extra,
        )

    entries = [entry("a/one", 30252, 100, 1), entry("b/two", 500, 900, 1), entry("a/one", 30400, 300, 5),
               entry("c/three", 90000, None, 1), entry("not a repo", 1, 1, 1)]  # fmt: skip
    rows = trending_rows(entries, limit=2)
    assert [(r.repo, r.stars, r.stars_today) for r in rows] == [("b/two", 500, 900), ("a/one", 30400, 300)]
    assert rows[0].url == "https://github.com/b/two" and rows[0].desc == "b/two 说明。"
    assert "⭐30,400（+300 今日）" in render(
        compose_daily([], day=DAY, config=_config(), sources=SOURCES, trending=rows, summarize=str)[0],
        "markdown",
    )


@pytest.mark.parametrize(("title", "entity"), [
    ("OpenAI claims it solved an 80-year-old problem", "OpenAI"),
    ("Google DeepMind's AlphaProof Nexus", "Google DeepMind"),
    ("Researchers let Claude Code discover bugs", "Claude Code"),
    ("清华团队 AI 解码全球气候", "雷锋网"),
    ("<b>Nvidia</b> 拟发债", "Nvidia"),
])  # fmt: skip
def test_entity_is_a_name_from_the_title_or_the_outlet(title: str, entity: str) -> None:
    assert entity_of(title, fallback="雷锋网") == entity


def test_trim_sentences_and_one_liner() -> None:
    assert trim_sentences("第一句。第二句！第三句很长很长很长很长。", max_chars=9) == "第一句。第二句！"
    assert trim_sentences("一二三四五六七八九十", max_chars=5) == "一二三四…"
    assert one_liner([Item(title="发布新模型。以及别的", entity="MiniMax")]) == "MiniMax：发布新模型。"
    assert one_liner([]) is None


def test_demo_writes_weekly_and_daily_files(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from jianbao.cli import app

    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    day = "".join(c for c in names[0] if c.isdigit())
    for stem in (f"AI简报{day}", f"AI早报{day}"):
        for suffix in (".md", ".wechat.html", ".txt"):
            assert f"{stem}{suffix}" in names
    assert (tmp_path / f"AI简报{day}.md").read_text(encoding="utf-8").startswith("[TOC]")
    assert len((tmp_path / f"AI早报{day}.txt").read_text(encoding="utf-8")) < 300
    text = (tmp_path / f"AI早报{day}.md").read_text(encoding="utf-8")
    assert "## 🔥 今日精选" in text and "🔴 " in text


def test_trending_entries_found_by_fetch_time_or_latest_fetch(tmp_path: Path) -> None:
    from jianbao.issue.gather import window
    from jianbao.store import open_store

    def entry(repo: str, fetched: dt.datetime) -> Entry:
        return Entry(
            source="gh", url=f"https://github.com/{repo}", title=repo, fetched=fetched, extra={"repo": repo}
        )

    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        store.sync_sources([Source("gh", "https://github.com/trending", kind="github_trending")])
        old, new = dt.datetime(2026, 6, 10, 3, tzinfo=dt.UTC), dt.datetime(2026, 6, 16, 3, tzinfo=dt.UTC)
        store.upsert_entries([entry("a/old", old), entry("b/new", new)])
        found = store.trending_entries(["gh"], *window(DAY, 1))
        assert [e.title for e in found] == ["b/new"]
        later = store.trending_entries(
            ["gh"], *window(dt.date(2026, 6, 20), 1)
        )  # nothing that day: latest fetch
        assert [e.title for e in later] == ["b/new"]
        assert store.trending_entries([], *window(DAY, 1)) == []


def test_repositories_stay_out_of_the_daily_news_and_fill_the_trending_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from jianbao.config import Config
    from jianbao.demo import sample_sources
    from jianbao.ingestion.runner import ingest
    from jianbao.issue.build import build
    from jianbao.store import open_store
    from jianbao.urls import link_kind

    day, sources = sample_sources()
    with open_store(f"sqlite:///{tmp_path / 'd.db'}") as store:
        store.sync_sources(sources)
        ingest(store, sources, config=Config())
        result = build(store, config=Config(), day=day, edition="daily")
    issue = result.issue
    assert issue.items and all(link_kind(item.url) != "code" for item in issue.items)
    assert len(issue.trending) == Config().daily.trending_items
    gained = [row.stars_today or 0 for row in issue.trending]
    assert gained == sorted(gained, reverse=True)


def test_chinese_headline_links_the_original(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from jianbao.editions.daily import daily_item
    from jianbao.records import Entry, Story

    en = Entry(source="openai", url="https://openai.com/index/x", title="Introducing GPT-5.7", language="en",
               content="GPT-5.7 is our strongest model. It scores 81.4% on SWE-bench Verified.",
               published=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    zh = Entry(source="jiqizhixin", url="https://mp.weixin.qq.com/s/abc", title="GPT-5.7 正式发布：API 价格下调 40%",
               language="zh", content="OpenAI 发布 GPT-5.7。它在 SWE-bench Verified 上达到 81.4%。",
               published=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    item = daily_item(Story(id="s1", entries=[en, zh]), section="今日精选", priority="red", sources={},
                      summarize=lambda story: story.entries[0].content)
    assert item.title == "GPT-5.7 正式发布：API 价格下调 40%"
    assert item.url == "https://openai.com/index/x"
    assert item.summary.startswith("OpenAI 发布 GPT-5.7")


def test_the_daily_prints_links_without_tracking_parameters() -> None:
    """The weekly printed canonical URLs, the daily its entries' raw ones: both now print ``entry_url``."""
    from jianbao.editions.daily import daily_item
    from jianbao.ingestion.extract import understand
    from jianbao.records import Entry, Story

    raw = {
        "the-decoder": "https://the-decoder.com/qwen3-9-open/?utm_source=rss&utm_medium=rss&utm_campaign=qwen",
        "jiqizhixin": (
            "https://mp.weixin.qq.com/s?__biz=MzA3MzI4MjgzMw==&mid=2651004988&idx=1&sn=2108fc0d&chksm=0740398"
            "&mpshare=1&scene=1&srcid=0305FmHt&sharer_sharetime=1614934599306&sharer_shareid=669d7c#rd"
        ),
    }
    for source, url in raw.items():
        entry = understand(Entry(source=source, url=url, title="标题", language="zh", content="正文。"))
        item = daily_item(Story(id=source, entries=[entry]), section="今日精选", sources={}, summarize=lambda s: "摘要。")
        assert item.url is not None
        for param in ("utm_", "chksm", "mpshare", "scene", "srcid", "sharer_", "#rd"):
            assert param not in item.url, (param, item.url)
    assert item.url == "https://mp.weixin.qq.com/s?__biz=MzA3MzI4MjgzMw==&idx=1&mid=2651004988&sn=2108fc0d"


def test_trending_descriptions_end_at_a_word_and_an_llm_line_is_number_checked() -> None:
    from jianbao.issue.trending import llm_describer
    from jianbao.records import TrendingRow
    from jianbao.render.daily import trending_line

    long = "Parse any document (PDF, PPT, DOCX, scans) into clean Markdown with a single 1.5B model, on a laptop."
    entries = [
        Entry(source="gh", url="https://github.com/z/omni", title="z/omni", summary=long,
              extra={"repo": "z/omni", "stars": 12480, "stars_period": 1876}),
        Entry(source="gh", url="https://github.com/q/qwen", title="q/qwen", summary="Qwen3.9 models by Alibaba.",
              extra={"repo": "q/qwen", "stars": 9120, "stars_period": 2390}),
    ]  # fmt: skip
    [_qwen, omni] = trending_rows(entries, limit=2)
    assert omni.desc == "Parse any document (PDF, PPT, DOCX, scans) into clean Markdown with a single…"
    assert trending_line(omni).endswith("with a single…⭐12,480（+1,876 今日）")  # no "。" after a cut

    class Client:
        def describe_repos_sync(self, rows: list[tuple[str, str]]) -> dict[str, str]:
            assert dict(rows)["z/omni"] == long  # the LLM reads the whole description
            return {"z/omni": "把任意文档转成干净 Markdown，只用一个 1.5B 模型。", "q/qwen": "阿里的 Qwen3.10 系列模型。"}

    warnings: list[str] = []
    rows = trending_rows(entries, limit=2, describe=llm_describer(Client(), warnings))  # type: ignore[arg-type]
    assert [r.desc for r in rows] == ["Qwen3.9 models by Alibaba.", "把任意文档转成干净 Markdown，只用一个 1.5B 模型。"]
    assert warnings == ["LLM line for q/qwen has numbers its description does not (3.10); kept its own"]
    assert isinstance(rows[0], TrendingRow)


def test_an_english_headline_never_speaks_for_the_day() -> None:
    english = Item(title="Meet the winners of the hackathon", entity="Claude")
    chinese = Item(title="豆包发布新模型。以及别的", entity="豆包")
    assert one_liner([english, chinese]) == "豆包发布新模型。"
    assert one_liner([english]) is None
