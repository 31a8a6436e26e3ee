"""``jianbao summarize``: one article from a file or a loopback URL, worded the way a build words an item."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from _http import QuietHandler
from _llm_server import ChatServer, Reply, serve
from jianbao.cli import app

RESOURCES = Path(__file__).parent / "resources" / "summarize"
ARTICLE = RESOURCES / "article_qbitai.md"
PAGE = RESOURCES / "page_article.html"


def run(*args: str, code: int = 0, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(app, ["summarize", *args], env={"JIANBAO_LLM_BASE_URL": "", **(env or {})})
    assert result.exit_code == code, result.output
    return result.output


def test_a_markdown_file_gives_its_title_lead_and_links() -> None:
    data = json.loads(run(str(ARTICLE), "--json"))
    assert data["title"] == "边看边动：机器人在视频流中实时规划动作"
    assert data["url"] == "https://mp.weixin.qq.com/s/Example-Article-0001"  # the export's address, untracked
    assert data["summary"] == (
        "视觉-语言-动作模型通常按「拍一张图、想一会儿、动一下」的方式工作，**动作频率很难超过 10Hz**。"
        "一个新的开源工作试图打破这一限制。\n\n"
        "它把视觉输入当作连续的视频流处理，模型一边接收新帧，一边先输出动作草稿，再用新帧增量修正。"
    )  # the lead stops at the table; byline, links, end mark and prompt are gone
    assert {(link["kind"], link["key"]) for link in data["links"]} == {
        ("paper", "arxiv:2611.04417"),
        ("code", "github:example-lab/streamact"),
    }
    assert data["how"] == "lead" and data["number_check"] is None
    assert any("凹非寺" in line for line in data["removed"])


def test_the_daily_line_and_the_plain_output() -> None:
    daily = json.loads(run(str(ARTICLE), "--format", "daily", "--json"))
    assert "\n" not in daily["summary"] and "**" not in daily["summary"]
    assert daily["summary"].startswith("视觉-语言-动作模型通常按")
    out = run(str(ARTICLE), "--explain")
    assert out.startswith("边看边动：机器人在视频流中实时规划动作\nhttps://mp.weixin.qq.com/s/Example-Article-0001\n")
    assert "论文：https://arxiv.org/abs/2611.04417" in out
    assert "text: lead of" in out and "removed" in out


def test_a_missing_file_and_a_bad_format_are_one_line_errors(tmp_path: Path) -> None:
    out = run(str(tmp_path / "nope.md"), code=1)
    assert "no such file" in out and "Traceback" not in out
    assert "--format must be" in run(str(ARTICLE), "--format", "monthly", code=2)
    empty = tmp_path / "empty.md"
    empty.write_text("# 只有标题\n", encoding="utf-8")
    assert "no article text" in run(str(empty), code=1)


# --- a page on loopback ---------------------------------------------------------------------------------


class _Page(QuietHandler):
    def do_GET(self) -> None:
        if self.path == "/article":
            self._send(200, PAGE.read_bytes(), {"Content-Type": "text/html; charset=utf-8"})
        else:
            self._send(404, b"not found")


@pytest.fixture
def page_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_url_is_fetched_through_the_fetch_layer_and_summarised(page_server: str) -> None:
    data = json.loads(run(f"{page_server}/article", "--json"))
    assert data["title"] == "端侧大模型推理提速三倍"
    assert data["url"].endswith(page_server.split("//")[1] + "/article")
    assert data["summary"].startswith("一个开源团队发布了新的端侧推理框架")
    assert "编辑" not in data["summary"] and "扫码" not in data["summary"]
    assert {link["key"] for link in data["links"]} >= {"github:example-lab/edge-infer", "arxiv:2611.09999"}
    out = run(f"{page_server}/missing", code=1)
    assert "404" in out and "Traceback" not in out


# --- with an LLM ------------------------------------------------------------------------------------------


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    yield from serve()


def _item(title: str, summary: str) -> Reply:
    return Reply(json.dumps({"title_zh": title, "summary_zh": summary, "section": None, "tags": []}, ensure_ascii=False))


def test_the_llm_writes_it_and_its_numbers_are_checked(chat: ChatServer, tmp_path: Path) -> None:
    env: dict[str, Any] = {"JIANBAO_LLM_BASE_URL": chat.url, "JIANBAO_LLM_MODEL": "m"}  # type: ignore[attr-defined]
    store = f"sqlite:///{tmp_path / 'cache.db'}"
    chat.script = [_item("机器人实时规划动作", "控制频率达到 26Hz，延迟 38ms。")]
    data = json.loads(run(str(ARTICLE), "--json", "--store", store, env=env))
    assert (data["title"], data["summary"]) == ("机器人实时规划动作", "控制频率达到 26Hz，延迟 38ms。")
    assert data["number_check"] == {"passed": True, "unsupported": []}
    chat.script = [_item("机器人实时规划动作", "控制频率达到 30Hz，延迟 38ms。")]
    data = json.loads(run(str(ARTICLE), "--json", "--format", "daily", "--store", store, env=env))
    assert data["number_check"] == {"passed": False, "unsupported": ["30"]}
    assert data["summary"].startswith("视觉-语言-动作模型")  # the extractive line stays
    assert "number check: 30 not in the article" in run(str(ARTICLE), "--format", "daily", "--store", store, env=env)
    assert chat.count == 2  # the third answer came from the store's cache
    sent = chat.bodies[0]["messages"][-1]["content"]
    assert "视觉-语言-动作模型" in sent and "凹非寺" not in sent and "点亮星标" not in sent  # the cleaned article
