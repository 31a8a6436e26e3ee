"""The LLM path against a real OpenAI-compatible HTTP server on loopback, scripted per test."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from _llm_server import ChatServer, Reply, item_json, serve, settings_for
from jianbao.errors import LLMError
from jianbao.records import Item
from jianbao.summarize import (
    IssueExtras,
    ItemRequest,
    LLMClient,
    LLMSettings,
    MemoryCache,
    cache_key,
    check,
    from_env,
    summarize,
    summarize_with_fallback,
)

ARTICLE = (
    "清华大学知识工程实验室与智谱 AI 近日开源了中英双语对话模型 ChatGLM-6B，该模型拥有 62 亿参数，"
    "经过量化后只需 6GB 显存即可在消费级显卡上运行。INT4 量化后，模型在一张 RTX 3060 上就能流畅对话。"
    "团队还提供了基于 P-Tuning v2 的高效微调方案，开发者只需 7GB 显存就能在自己的数据上继续训练。"
    "研究团队也坦言了模型的局限：由于参数量较小，模型的知识储备和多轮对话能力有限，有时会出现事实性错误。"
)


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    yield from serve()


class Waits:
    """Stands in for asyncio.sleep: records every wait the client asks for and returns at once."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.asked.append(seconds)


@pytest.fixture
def waits() -> Waits:
    return Waits()


def requests_for(n: int) -> list[ItemRequest]:
    return [ItemRequest(id=f"s{i}", title=f"条目 {i}", text=f"{ARTICLE} 第 {i} 条。") for i in range(n)]


# --- caching ------------------------------------------------------------------------------------------


def test_second_run_with_same_inputs_makes_no_requests(chat: ChatServer) -> None:
    cache = MemoryCache()
    first = LLMClient(settings_for(chat), cache=cache).summarize_items_sync(requests_for(3))
    assert chat.count == 3
    assert all(r.ok and not r.cached for r in first)
    assert [r.id for r in first] == ["s0", "s1", "s2"]

    again = LLMClient(settings_for(chat), cache=cache)
    second = again.summarize_items_sync(requests_for(3))
    assert chat.count == 3
    assert again.usage.requests == 0
    assert again.usage.cache_hits == 3
    assert all(r.cached for r in second)
    assert [r.summary for r in second] == [r.summary for r in first]


def test_changed_input_or_model_misses_the_cache(chat: ChatServer) -> None:
    cache = MemoryCache()
    LLMClient(settings_for(chat), cache=cache).summarize_items_sync(requests_for(1))
    changed = requests_for(1)
    changed[0].text += "补充一句新内容。"
    LLMClient(settings_for(chat), cache=cache).summarize_items_sync(changed)
    LLMClient(settings_for(chat, model="other-model"), cache=cache).summarize_items_sync(requests_for(1))
    assert chat.count == 3
    assert cache_key("item.v1", "m", {"a": 1}) != cache_key("item.v2", "m", {"a": 1})


# --- failures and fallback ----------------------------------------------------------------------------


def test_failed_item_carries_error_and_falls_back_with_one_warning(
    chat: ChatServer, caplog: pytest.LogCaptureFixture
) -> None:
    chat.default = lambda body: Reply(status=500)
    client = LLMClient(settings_for(chat, retries=2))
    request = requests_for(1)[0]
    [result] = client.summarize_items_sync([request])
    assert result.summary is None
    assert result.error and "500" in result.error
    assert chat.count == 3  # first try + 2 retries
    assert client.usage.failures == 1

    with caplog.at_level(logging.WARNING, logger="jianbao.summarize"):
        text = summarize_with_fallback(request, result)
    assert text == summarize(request.text, title=request.title, min_chars=100, max_chars=300)
    assert text.startswith("清华大学知识工程实验室")
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert request.title in warnings[0].getMessage()


def test_one_failing_item_does_not_spoil_the_batch(chat: ChatServer) -> None:
    def by_title(body: dict[str, Any]) -> Reply:
        user = body["messages"][-1]["content"]
        return Reply(status=503) if "条目 1" in user else Reply(item_json())

    chat.default = by_title
    results = LLMClient(settings_for(chat, retries=1)).summarize_items_sync(requests_for(3))
    assert [r.ok for r in results] == [True, False, True]


def test_successful_result_is_used_without_warning(
    chat: ChatServer, caplog: pytest.LogCaptureFixture
) -> None:
    request = requests_for(1)[0]
    [result] = LLMClient(settings_for(chat)).summarize_items_sync([request])
    with caplog.at_level(logging.WARNING, logger="jianbao.summarize"):
        assert summarize_with_fallback(request, result) == "清华开源了 62 亿参数的对话模型。"
    assert not caplog.records


def test_client_errors_are_not_retried(chat: ChatServer) -> None:
    chat.default = lambda body: Reply(status=401)
    [result] = LLMClient(settings_for(chat)).summarize_items_sync(requests_for(1))
    assert chat.count == 1
    assert result.error and "401" in result.error and "API key" in result.error


def test_unreachable_endpoint_fails_softly() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = LLMSettings(base_url=f"http://127.0.0.1:{port}/v1", model="m", retries=1, backoff=0.01)
    [result] = LLMClient(settings).summarize_items_sync(requests_for(1))
    assert result.error and "cannot connect" in result.error


# --- retries ------------------------------------------------------------------------------------------


def test_429_with_retry_after_then_500_then_success(chat: ChatServer, waits: Waits) -> None:
    chat.script = [Reply(status=429, headers={"Retry-After": "0.3"}), Reply(status=500), Reply(item_json())]
    client = LLMClient(settings_for(chat), sleep=waits.sleep)
    [result] = client.summarize_items_sync(requests_for(1))
    assert result.ok
    assert chat.count == 3
    assert client.usage.requests == 3
    assert waits.asked[0] == 0.3  # Retry-After honoured, not the 0.01 s backoff
    assert 0.01 <= waits.asked[1] <= 0.02  # then the backoff: 0.01 × 2, with jitter between half and whole


def test_retry_after_http_date_and_cap(chat: ChatServer, waits: Waits) -> None:
    far = email.utils.format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1), usegmt=True)
    chat.script = [Reply(status=503, headers={"Retry-After": far})]
    client = LLMClient(settings_for(chat, max_backoff=0.2), sleep=waits.sleep)
    [result] = client.summarize_items_sync(requests_for(1))
    assert result.ok
    assert waits.asked == [0.2]  # an hour asked, max_backoff granted


def test_timeout_is_retried(chat: ChatServer, waits: Waits) -> None:
    # The first answer is held far longer than the timeout; the client gives up on it and asks again.
    # Both limits are wide so a loaded machine cannot time out the second, prompt answer as well.
    chat.script = [Reply(item_json(), delay=5.0)]
    client = LLMClient(settings_for(chat, timeout=0.5), sleep=waits.sleep)
    [result] = client.summarize_items_sync(requests_for(1))
    assert result.ok
    assert chat.count == 2
    assert len(waits.asked) == 1  # one backoff, between the abandoned attempt and the answered one


def test_invalid_json_gets_one_more_try(chat: ChatServer) -> None:
    chat.script = [Reply("这不是 JSON"), Reply(item_json(title="第二次"))]
    [result] = LLMClient(settings_for(chat)).summarize_items_sync(requests_for(1))
    assert result.summary is not None and result.summary.title_zh == "第二次"
    assert chat.count == 2


def test_invalid_json_twice_fails(chat: ChatServer) -> None:
    chat.default = lambda body: Reply("{not json")
    [result] = LLMClient(settings_for(chat)).summarize_items_sync(requests_for(1))
    assert chat.count == 2
    assert result.error and "ItemSummary" in result.error


def test_schema_mismatch_twice_fails(chat: ChatServer) -> None:
    chat.default = lambda body: Reply(json.dumps({"title": "no", "summary": "wrong keys"}))
    client = LLMClient(settings_for(chat), cache=MemoryCache())
    [result] = client.summarize_items_sync(requests_for(1))
    assert chat.count == 2
    assert not result.ok
    assert client.cache.data == {}  # type: ignore[union-attr]  # failures are never cached


def test_fenced_json_is_accepted(chat: ChatServer) -> None:
    chat.default = lambda body: Reply("好的，结果如下：\n```json\n" + item_json(title="围栏") + "\n```")
    [result] = LLMClient(settings_for(chat)).summarize_items_sync(requests_for(1))
    assert result.summary is not None and result.summary.title_zh == "围栏"
    assert chat.count == 1


# --- concurrency and accounting -----------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1, 3])
def test_concurrency_bound_is_respected(chat: ChatServer, limit: int) -> None:
    # Answers wait until `limit` requests are in flight, then take 0.05 s each, so the bound is reached
    # however slowly a busy machine sends, and a client that sent more at once would be seen doing it.
    chat.default = lambda body: Reply(item_json(), delay=0.05, hold_until=limit)
    results = LLMClient(settings_for(chat, concurrency=limit)).summarize_items_sync(requests_for(5))
    assert all(r.ok for r in results)
    assert chat.max_in_flight == limit  # never more, and the bound is actually used


def test_tokens_and_cost_add_up(chat: ChatServer) -> None:
    chat.default = lambda body: Reply(item_json(), usage=(1000, 250))
    chat.script = [Reply(status=500)]  # an error response carries no usage but counts as a request
    client = LLMClient(settings_for(chat, price_input=2.0, price_output=8.0), cache=MemoryCache())
    client.summarize_items_sync(requests_for(3))
    usage = client.usage
    assert (usage.requests, usage.prompt_tokens, usage.completion_tokens) == (4, 3000, 750)
    assert usage.cost == pytest.approx((3000 * 2.0 + 750 * 8.0) / 1e6)
    client.summarize_items_sync(requests_for(3))
    assert usage.requests == 4 and usage.cache_hits == 3
    line = client.format_usage()
    assert "4 requests" in line and "3 cached" in line and "3,000 prompt" in line and "0.0120" in line


def test_request_wire_format(chat: ChatServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANBAO_TEST_KEY", "sk-test-123")
    request = ItemRequest(
        id="x", title="Hugging Face launches LeRobot", text="LeRobot is open source.", language="en"
    )
    LLMClient(settings_for(chat, api_key_env="JIANBAO_TEST_KEY")).summarize_items_sync([request])
    LLMClient(settings_for(chat)).summarize_items_sync(requests_for(1))
    body = chat.bodies[0]
    assert body["model"] == "test-model"
    assert body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"}
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "Hugging Face launches LeRobot" in body["messages"][1]["content"]
    assert chat.auth == ["Bearer sk-test-123", "Bearer EMPTY"]


# --- issue extras and sections ------------------------------------------------------------------------


def test_issue_extras(chat: ChatServer) -> None:
    extras = {
        "one_liner": "开源小模型继续追赶。",
        "insights": ["一", "二", "三"],
        "moments": "本周 AI 简报来了 🤖",
    }
    chat.default = lambda body: Reply(json.dumps(extras, ensure_ascii=False))
    items = [
        Item(title="ChatGLM-6B 开源", summary="清华开源对话模型。"),
        Item(title="SAM 2", summary="视频分割。"),
    ]
    result = LLMClient(settings_for(chat)).issue_extras_sync(items, date=dt.date(2023, 3, 19))
    assert result == IssueExtras(**extras)
    user = chat.bodies[0]["messages"][1]["content"]
    assert "1. ChatGLM-6B 开源：清华开源对话模型。" in user and "2023-03-19" in user


def test_issue_extras_needs_exactly_three_insights(chat: ChatServer) -> None:
    chat.default = lambda body: Reply(json.dumps({"one_liner": "x", "insights": ["a", "b"], "moments": "m"}))
    client = LLMClient(settings_for(chat))
    with pytest.raises(LLMError, match="IssueExtras"):
        client.issue_extras_sync([Item(title="t")], date="2023-03-19")
    assert chat.count == 2
    assert client.usage.failures == 1


def test_choose_section_accepts_only_offered_sections(chat: ChatServer) -> None:
    sections = ["AI 前沿", "有趣的开源项目", "福利"]
    chat.script = [Reply(json.dumps({"section": "体育", "confidence": 0.9}))]
    chat.default = lambda body: Reply(
        json.dumps({"section": "有趣的开源项目", "confidence": 0.7}, ensure_ascii=False)
    )
    choice = LLMClient(settings_for(chat)).choose_section_sync("LeRobot 开源", ARTICLE, sections=sections)
    assert (choice.section, choice.confidence) == ("有趣的开源项目", 0.7)
    assert chat.count == 2


# --- check and settings -------------------------------------------------------------------------------


def test_check_reports_latency_and_answer(chat: ChatServer) -> None:
    chat.default = lambda body: Reply("pong", delay=0.15)
    result = check(settings_for(chat))
    assert result.answer == "pong"
    assert result.model == "test-model-served"
    assert result.latency_s >= 0.15  # the answer was held that long; a floor cannot fail on a busy machine
    assert "response_format" not in chat.bodies[0]


def test_check_latency_is_the_clock_around_the_request(chat: ChatServer) -> None:
    # A clock that reads how many requests the server has seen: 0 before the request, 1 after it.
    result = check(settings_for(chat), clock=lambda: float(chat.count))
    assert result.latency_s == 1.0


def test_check_raises_on_failure(chat: ChatServer) -> None:
    chat.default = lambda body: Reply(status=500)
    with pytest.raises(LLMError, match="500"):
        check(settings_for(chat))
    assert chat.count == 1


def test_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIANBAO_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("JIANBAO_LLM_MODEL", raising=False)
    assert from_env(None) is None
    assert from_env(LLMSettings()) is None
    base = LLMSettings(base_url="http://config/v1", model="cfg", concurrency=7)
    assert from_env(base) == base
    monkeypatch.setenv("JIANBAO_LLM_MODEL", "env-model")
    assert from_env(None) is None  # a model alone does not say where to send it
    settings = from_env(base)
    assert settings is not None
    assert (settings.base_url, settings.model, settings.concurrency) == ("http://config/v1", "env-model", 7)
    monkeypatch.setenv("JIANBAO_LLM_BASE_URL", "http://env/v1")
    settings = from_env(None)
    assert settings is not None and (settings.base_url, settings.model) == ("http://env/v1", "env-model")


def test_api_key_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MY_LLM_KEY", raising=False)
    settings = LLMSettings(base_url="http://x/v1", model="m", api_key_env="MY_LLM_KEY")
    assert settings.resolved_api_key() == "EMPTY"
    monkeypatch.setenv("MY_LLM_KEY", "sk-env")
    assert settings.resolved_api_key() == "sk-env"
    assert settings.model_copy(update={"api_key": "sk-explicit"}).resolved_api_key() == "sk-explicit"
    assert "sk-explicit" not in repr(settings.model_copy(update={"api_key": "sk-explicit"}))
