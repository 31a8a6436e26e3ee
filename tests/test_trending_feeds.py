"""Feeds of trending repositories and models (GitHub trend feeds, Hugging Face trending) fill the daily's GitHub
趋势 table, and a source without a display title shows its feed's own title."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from jianbao.config import Config
from jianbao.editions import get_edition
from jianbao.ingestion.runner import ingest
from jianbao.issue.build import build
from jianbao.issue.trending import repo_of, trending_table
from jianbao.records import Entry, Source
from jianbao.store import Store, open_store

RESOURCES = Path(__file__).parent / "resources" / "relevance"
DAY = dt.date(2026, 8, 21)
FETCHED = dt.datetime(2026, 8, 22, 1, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    st = open_store(f"sqlite:///{tmp_path / 't.db'}")
    sources = [
        Source(name=name, url=str(RESOURCES / f"{name}.xml"))
        for name in ("github_trending_rss", "hf_trending", "ai_digest")
    ]
    st.sync_sources(sources)
    ingest(st, sources, config=Config(), now=FETCHED)
    yield st
    st.close()


def test_trend_feeds_are_recognised_and_fill_the_table_with_on_topic_rows(store: Store) -> None:
    rows, names = trending_table(store, get_edition("daily"), Config(), DAY, limit=30)
    assert names == ["github_trending_rss", "hf_trending"]  # the digest is news, not a trend feed
    repos = [r.repo for r in rows]
    assert (
        "open-lm/agent-harbor" in repos
        and "vllm-project/vllm" in repos
        and "deepseek-ai/DeepSeek-V4.5" in repos
    )
    assert not {"tokio-rs/axum", "pola-rs/polars", "excalidraw/excalidraw", "neovim/neovim"} & set(repos)
    harbor = next(r for r in rows if r.repo == "open-lm/agent-harbor")
    assert (harbor.stars, harbor.stars_today, harbor.url) == (
        18240,
        2311,
        "https://github.com/open-lm/agent-harbor",
    )
    assert repos[0] == "open-lm/agent-harbor"  # stars gained first, then each feed's order in turn
    model = next(r for r in rows if r.repo.startswith("deepseek-ai/"))
    assert model.url == "https://huggingface.co/deepseek-ai/DeepSeek-V4.5"


def test_the_daily_prints_the_table_and_names_sources_by_their_feed_titles(
    store: Store, tmp_path: Path
) -> None:
    result = build(store, Config(), DAY, "daily", out_dir=tmp_path, formats=["markdown"], use_llm=False)
    markdown = result.files["markdown"].read_text(encoding="utf-8")
    assert len(result.issue.trending) == Config().daily.trending_items
    assert "[`open-lm/agent-harbor`](https://github.com/open-lm/agent-harbor)" in markdown
    assert "AI 前线日报" in markdown and "ai_digest" not in markdown  # the feed's title, not the config id
    assert all(not repo_of(Entry(source="", url=i.url or "", title="")) for i in result.issue.items)


def test_a_source_can_say_it_is_or_is_not_a_trend_feed(store: Store) -> None:
    store.sync_sources(
        [Source(name="hf_trending", url=str(RESOURCES / "hf_trending.xml"), options={"trending": False})]
    )
    _rows, names = trending_table(store, get_edition("daily"), Config(), DAY)
    assert names == ["github_trending_rss"]
