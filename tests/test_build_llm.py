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


def _letters(text: str) -> str:
    """Five letters that name ``text``: the LLM's words must carry no number its source lacks."""
    return "".join("abcdefghij"[int(d)] for d in f"{abs(hash(text)) % 100000:05d}")


def answer(body: dict[str, Any]) -> Reply:
    """Answers that depend on the request, so each item's LLM title can be found in the output."""
    system, user = body["messages"][0]["content"], body["messages"][-1]["content"]
    if "主编" in system:
        extras = {"one_liner": "今天的要点：小模型与智能体。", "insights": ["洞察一。", "洞察二。", "洞察三。"],
                  "moments": "今天的 AI 早报来了。"}  # fmt: skip
        return Reply(json.dumps(extras, ensure_ascii=False))
    if "confidence" in system:
        return Reply(json.dumps({"section": "其他", "confidence": 0.6}, ensure_ascii=False))
    if "GitHub 趋势" in system:
        repos = [line.split(":", 1)[0] for line in user.splitlines() if line.strip()]
        rows = [{"repo": repo, "desc_zh": f"仓库{_letters(repo)}的中文简介。"} for repo in repos]
        return Reply(json.dumps({"repos": rows}, ensure_ascii=False))
    title = re.search(r"标题：(.*)", user).group(1)  # type: ignore[union-attr]
    digest = _letters(title)
    item = {
        "title_zh": f"译题{digest}",
        "summary_zh": f"这是{digest}条的中文摘要。",
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
                "timeout": 60.0, "retries": 0, "price_input": 1.0, "price_output": 2.0, **llm}  # fmt: skip
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
        assert re.fullmatch(r"译题[a-j]{5}", item.title)
        assert item.number_check is not None and item.number_check.passed
        assert item.title in markdown and item.summary in markdown
    if fmt == "daily":
        assert "洞察二。" in markdown and "今天的要点" in markdown
        assert result.issue.trending and all(re.fullmatch(r"仓库[a-j]{5}的中文简介。", r.desc) for r in result.issue.trending)
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
    assert re.search(r"译题[a-j]{5}", markdown)
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


def test_llm_text_with_a_number_its_source_lacks_falls_back_and_is_kept_on_the_item(
    chat: ChatServer, store: Store, tmp_path: Path
) -> None:
    """The number check against a real OpenAI-compatible server on loopback: invented figures never print."""
    day, _ = sample_sources()
    invented: dict[str, str] = {}

    def inventive(body: dict[str, Any]) -> Reply:
        system, user = body["messages"][0]["content"], body["messages"][-1]["content"]
        title = re.search(r"标题：(.*)", user)
        if "title_zh" in system and title and "GPT-5.7" in title.group(1) and not invented:
            invented[title.group(1)] = "GPT-5.7 发布：SWE-bench 达 83.5%"
            item = {"title_zh": invented[title.group(1)], "summary_zh": "价格下调 40%，上下文 300 万 token。",
                    "section": None, "tags": []}  # fmt: skip
            return Reply(json.dumps(item, ensure_ascii=False))
        if "title_zh" in system and title and "Qwen3.9" in title.group(1):
            # translated numbers in Chinese units are the source's: 480B = 4800 亿, 0.8B = 8 亿
            item = {"title_zh": "Qwen3.9 开源：最大 4800 亿参数", "summary_zh": "最小的模型只有 8 亿参数。",
                    "section": None, "tags": []}  # fmt: skip
            return Reply(json.dumps(item, ensure_ascii=False))
        return answer(body)

    chat.default = inventive
    result = build(store, config=config_for(chat), day=day, edition="daily", out_dir=tmp_path, formats=["markdown"])
    explained = CliRunner().invoke(
        app, ["build", "--date", str(day), "--format", "daily", "--explain", "--store", f"sqlite:///{tmp_path / 'demo.db'}",
              "--out", str(tmp_path / "cli")],
        env={"JIANBAO_LLM_BASE_URL": chat.url, "JIANBAO_LLM_MODEL": "test-model", "JIANBAO_CONFIG": ""},  # type: ignore[attr-defined]
    )  # fmt: skip
    assert explained.exit_code == 0, explained.output
    assert "LLM number check failed: 83.5、300 万 not in the source" in explained.output
    assert "text: lead of" in explained.output and "removed" in explained.output
    markdown = result.files["markdown"].read_text(encoding="utf-8")
    [rejected] = [i for i in result.issue.items if i.number_check is not None and not i.number_check.passed]
    assert rejected.number_check is not None
    assert rejected.number_check.unsupported == ["83.5", "300 万"]
    assert rejected.number_check.title == "GPT-5.7 发布：SWE-bench 达 83.5%"  # the LLM's words, kept for the desk
    assert "83.5" not in markdown and "300 万" not in markdown
    assert rejected.title in markdown and rejected.summary in markdown  # the extractive text
    [warning] = [w for w in result.warnings if "numbers its source does not" in w]
    assert "83.5、300 万" in warning
    assert any(i.title == "Qwen3.9 开源：最大 4800 亿参数" for i in result.issue.items)
    stored, _version = store.get_issue(result.issue.id)  # type: ignore[misc]  # the check is kept with the draft
    again = next(i for i in stored.items if i.story_id == rejected.story_id)
    assert again.number_check == rejected.number_check
