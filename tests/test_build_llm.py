"""Weekly and daily builds over the bundled samples with an OpenAI-compatible LLM on loopback."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from _llm_server import ChatServer, Reply, serve
from jianbao.cli import app
from jianbao.config import Config, LLMSettings
from jianbao.demo import sample_sources
from jianbao.ingestion.runner import ingest
from jianbao.issue.build import build
from jianbao.store import Store, open_store


def answer(body: dict[str, Any]) -> Reply:
    """Answers that depend on the request, so each item's LLM title can be found in the output."""
    system, user = body["messages"][0]["content"], body["messages"][-1]["content"]
    if "主编" in system:
        extras = {"one_liner": "今天的要点：小模型与智能体。", "insights": ["洞察一。", "洞察二。", "洞察三。"],
                  "moments": "今天的 AI 早报来了。"}  # fmt: skip
        return Reply(json.dumps(extras, ensure_ascii=False))
    if "confidence" in system:
        return Reply(json.dumps({"section": "其他", "confidence": 0.6}, ensure_ascii=False))
    title = re.search(r"标题：(.*)", user).group(1)  # type: ignore[union-attr]
    digest = f"{abs(hash(title)) % 100000:05d}"
    item = {
        "title_zh": f"译题{digest}",
        "summary_zh": f"这是第 {digest} 条的中文摘要。",
        "section": None,
        "tags": [],
    }
    return Reply(json.dumps(item, ensure_ascii=False), usage=(300, 60))


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    for server in serve():
        server.default = answer
        yield server


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    st = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    _day, sources = sample_sources()
    st.sync_sources(sources)
    ingest(st, sources, config=Config())
    yield st
    st.close()


def config_for(chat: ChatServer, **llm: Any) -> Config:
    settings = {"base_url": chat.url, "model": "test-model", "api_key_env": "JIANBAO_TEST_NO_KEY",  # type: ignore[attr-defined]
                "timeout": 5.0, "retries": 0, "price_input": 1.0, "price_output": 2.0, **llm}  # fmt: skip
    return Config(llm=LLMSettings(**settings))


@pytest.mark.parametrize("fmt", ["weekly", "daily"])
def test_llm_titles_and_summaries_reach_the_markdown_and_the_cache_makes_a_rebuild_free(
    chat: ChatServer, store: Store, tmp_path: Path, fmt: str
) -> None:
    day, _ = sample_sources()
    result = build(
        store, config=config_for(chat), day=day, edition=fmt, out_dir=tmp_path / "out", formats=["markdown"]
    )
    markdown = result.files["markdown"].read_text(encoding="utf-8")
    assert result.issue.items and not result.warnings
    for item in result.issue.items:
        assert re.fullmatch(r"译题\d{5}", item.title)
        assert item.title in markdown and item.summary in markdown
    if fmt == "daily":
        assert "洞察二。" in markdown and "今天的要点" in markdown
    assert result.usage and "cost" in result.usage and "prompt" in result.usage
    assert chat.count > 0
    before = chat.count
    again = build(
        store, config=config_for(chat), day=day, edition=fmt, out_dir=tmp_path / "again", formats=["markdown"]
    )
    assert chat.count == before  # everything came from the store's cache
    assert again.files["markdown"].read_text(encoding="utf-8") == markdown


def test_failing_items_fall_back_to_extractive_with_one_warning_each(
    chat: ChatServer, store: Store, tmp_path: Path
) -> None:
    day, _ = sample_sources()
    bad: dict[str, Reply] = {}

    def flaky(body: dict[str, Any]) -> Reply:
        if "title_zh" in body["messages"][0]["content"]:  # an item prompt
            title = re.search(r"标题：(.*)", body["messages"][-1]["content"]).group(1)  # type: ignore[union-attr]
            if len(bad) < 2 and title not in bad:
                bad[title] = Reply(status=500) if not bad else Reply("这不是 JSON")
            if title in bad:
                return bad[title]
        return answer(body)

    chat.default = flaky
    result = build(
        store, config=config_for(chat), day=day, edition="weekly", out_dir=tmp_path, formats=["markdown"]
    )
    failed = [w for w in result.warnings if "extractive summary used" in w]
    assert len(failed) == 2
    fallbacks = [i for i in result.issue.items if not i.title.startswith("译题")]
    assert len(fallbacks) == 2 and all(i.summary.strip() for i in fallbacks)
    # every numbered item is there, worded (the demo's weekly numbers 8: its fillers stay in 其他, #17)
    assert 2 < len(result.issue.items) <= Config().weekly.max_items
    assert all(i.title and i.summary.strip() for i in result.issue.items)
    assert "2 failed" in (result.usage or "")


def test_no_llm_flag_and_missing_configuration(
    chat: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JIANBAO_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("JIANBAO_LLM_MODEL", raising=False)
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = runner.invoke(
        app, ["build", "--llm", "--store", db, "--out", str(tmp_path), "--date", "2026-11-20"]
    )
    assert result.exit_code == 2
    assert "no LLM configured" in result.output
    result = runner.invoke(app, ["llm", "check"])
    assert result.exit_code == 2 and "no LLM configured" in result.output


def test_demo_uses_the_llm_from_the_environment(
    chat: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIANBAO_LLM_BASE_URL", chat.url)  # type: ignore[attr-defined]
    monkeypatch.setenv("JIANBAO_LLM_MODEL", "env-model")
    monkeypatch.delenv("JIANBAO_CONFIG", raising=False)
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--format", "daily"])
    assert result.exit_code == 0, result.output
    assert "LLM:" in result.output
    markdown = next(tmp_path.glob("AI早报*.md")).read_text(encoding="utf-8")
    assert re.search(r"译题\d{5}", markdown)
    assert {b["model"] for b in chat.bodies} == {"env-model"}


def test_llm_check_reports_the_answer_and_a_down_endpoint(
    chat: ChatServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat.default = lambda body: Reply("pong")
    monkeypatch.setenv("JIANBAO_LLM_BASE_URL", chat.url)  # type: ignore[attr-defined]
    monkeypatch.setenv("JIANBAO_LLM_MODEL", "m")
    result = CliRunner().invoke(app, ["llm", "check"])
    assert result.exit_code == 0 and "pong" in result.output and " ms" in result.output
    chat.default = lambda body: Reply(status=503)
    result = CliRunner().invoke(app, ["llm", "check"])
    assert result.exit_code == 1 and "503" in result.output
