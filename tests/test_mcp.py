"""`jianbao mcp` answered by the MCP SDK's own client over stdio: tools/list, a search, a repeat check."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from jianbao.config import Config
from jianbao.demo import sample_sources
from jianbao.ingestion.runner import ingest
from jianbao.issue.build import build
from jianbao.store import open_store

TOOLS = {"search_archive", "list_stories", "check_repeats", "build_issue", "get_issue_markdown"}


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('mcp') / 'jianbao.db'}"
    with open_store(url) as store:
        _day, sources = sample_sources()
        store.sync_sources(sources)
        ingest(store, sources, config=Config())
        result = build(store, Config(), dt.date(2026, 11, 20), "daily")
        published = dataclasses.replace(result.issue, state="published")
        store.save_issue(published, markdown=store.get_markdown(published.id))
    return url


def _params(store_url: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable, args=["-c", "from jianbao.cli import main; main()", "mcp", "--store", store_url]
    )


def test_mcp_over_stdio_lists_tools_and_searches(store_url: str) -> None:
    async def talk() -> tuple[set[str], list[dict[str, object]], dict[str, object]]:
        async with Client(_params(store_url)) as client:
            tools = await client.list_tools()
            found = await client.call_tool("search_archive", {"query": "Qwen3.9", "limit": 5})
            repeats = await client.call_tool("check_repeats", {
                "lines": ["GPT-5.7 正式发布：SWE-bench Verified 达 81.4%", "完全无关的一条新闻"],
                "format": "daily", "date": "2026-11-21",
            })  # fmt: skip
        assert not found.is_error and not repeats.is_error
        hits = json.loads(found.content[0].text)  # type: ignore[union-attr]
        return {t.name for t in tools.tools}, hits if isinstance(hits, list) else [hits], json.loads(
            repeats.content[0].text  # type: ignore[union-attr]
        )

    names, hits, repeats = anyio.run(talk)
    assert names >= TOOLS
    assert hits and any("Qwen3.9" in str(h.get("title", "")) for h in hits)
    assert repeats["compared_issues"] == 1
    assert [r["index"] for r in repeats["repeats"]] == [0]


def test_nothing_but_protocol_on_stdout(store_url: str) -> None:
    request = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
    proc = subprocess.run(
        [sys.executable, "-c", "from jianbao.cli import main; main()", "mcp", "--store", store_url],
        input=request + "\n", capture_output=True, text=True, timeout=60,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines, proc.stderr
    for line in lines:  # every line on stdout is a JSON-RPC message
        assert json.loads(line)["jsonrpc"] == "2.0"
