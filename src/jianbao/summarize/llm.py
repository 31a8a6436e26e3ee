"""The optional LLM path: Chinese titles and summaries, issue extras, trending rows and section choices from any
OpenAI-compatible server, cached by content hash, bounded in concurrency, and never fatal for one item.

Answers are JSON objects validated against pydantic models; the prompts are versioned files in
``jianbao/prompts`` so that changing one invalidates exactly the cache entries it produced.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import functools
import hashlib
import json
import logging
import os
import random
import re
import string
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal, Protocol, TypeVar

import openai
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from openai.types.chat.completion_create_params import ResponseFormat
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jianbao.errors import LLMError
from jianbao.records import Item
from jianbao.summarize.extractive import TARGETS, clean_text, summarize

__all__ = [
    "Cache",
    "CheckResult",
    "IssueExtras",
    "ItemRequest",
    "ItemResult",
    "ItemSummary",
    "LLMClient",
    "LLMSettings",
    "MemoryCache",
    "RepoDescriptions",
    "SectionChoice",
    "TopicChoice",
    "Usage",
    "acheck",
    "cache_key",
    "check",
    "from_env",
    "load_prompt",
    "summarize_with_fallback",
]

log = logging.getLogger("jianbao.summarize")

_M = TypeVar("_M", bound=BaseModel)
_T = TypeVar("_T")

Sleep = Callable[[float], Awaitable[None]]  # asyncio.sleep, or a test's recorder of the waits asked for


# --- settings -----------------------------------------------------------------------------------------


class LLMSettings(BaseModel):
    """How to reach an OpenAI-compatible endpoint and what its tokens cost."""

    model_config = ConfigDict(extra="forbid")

    base_url: str = Field("", description="OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1")
    model: str = Field("", description="model name sent with every request")
    api_key_env: str = Field("OPENAI_API_KEY", description="environment variable holding the API key")
    api_key: str | None = Field(None, repr=False, description="explicit key; overrides api_key_env")
    concurrency: int = Field(4, ge=1, description="requests in flight at once")
    timeout: float = Field(30.0, gt=0, description="seconds allowed for one request")
    retries: int = Field(3, ge=0, description="extra attempts after a 429, a 5xx or a timeout")
    backoff: float = Field(1.0, ge=0, description="first retry delay in seconds; doubles each attempt")
    max_backoff: float = Field(30.0, ge=0, description="longest wait between attempts, Retry-After included")
    price_input: float = Field(0.0, ge=0, description="price per 1M prompt tokens, for cost accounting")
    price_output: float = Field(0.0, ge=0, description="price per 1M completion tokens")
    temperature: float = Field(0.0, ge=0, le=2, description="sampling temperature; 0 keeps rebuilds stable")
    max_input_chars: int = Field(6000, ge=200, description="article characters sent per item")

    def resolved_api_key(self) -> str:
        """The key to send; local servers (vLLM, Ollama) need none, and the client insists on a string."""
        return self.api_key or os.environ.get(self.api_key_env) or "EMPTY"


def from_env(base: LLMSettings | None = None) -> LLMSettings | None:
    """Apply ``JIANBAO_LLM_BASE_URL`` / ``JIANBAO_LLM_MODEL`` over ``base``; None when the LLM is not configured."""
    url = os.environ.get("JIANBAO_LLM_BASE_URL") or (base.base_url if base else "")
    model = os.environ.get("JIANBAO_LLM_MODEL") or (base.model if base else "")
    if not url or not model:
        return None
    if base is None:
        return LLMSettings(base_url=url, model=model)
    return base.model_copy(update={"base_url": url, "model": model})


# --- answers ------------------------------------------------------------------------------------------


class ItemSummary(BaseModel):
    """One item in Chinese, English sources translated."""

    title_zh: str = Field(min_length=1)
    summary_zh: str = Field(min_length=1)
    section: str | None = None
    tags: list[str] = Field(default_factory=list)


class IssueExtras(BaseModel):
    """The issue-wide texts: 今日一句话, three insights and the 朋友圈 text."""

    one_liner: str = Field(min_length=1)
    insights: list[str] = Field(min_length=3, max_length=3)
    moments: str = Field(min_length=1)


class RepoDescription(BaseModel):
    repo: str = Field(min_length=1)
    desc_zh: str = Field(min_length=1)


class RepoDescriptions(BaseModel):
    """One Chinese line per repository of a trending table."""

    repos: list[RepoDescription]


class SectionChoice(BaseModel):
    section: str = Field(min_length=1)
    confidence: float = Field(ge=0.0, le=1.0)


class TopicChoice(BaseModel):
    """How likely a story is about the briefing's topic."""

    probability: float = Field(ge=0.0, le=1.0)


@dataclass(slots=True)
class ItemRequest:
    """What the LLM sees of one item; ``id`` is the caller's (a story id) and comes back on the result."""

    id: str
    title: str
    text: str
    url: str = ""
    source: str = ""
    language: str = ""
    format: Literal["weekly", "daily"] = "weekly"
    sections: tuple[str, ...] = ()
    chars: tuple[int, int] | None = None  # the summary's length in reader characters; None: TARGETS[format]


@dataclass(slots=True)
class ItemResult:
    id: str
    summary: ItemSummary | None = None
    error: str | None = None
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.summary is not None


@dataclass(slots=True)
class CheckResult:
    latency_s: float
    answer: str
    model: str


@dataclass(slots=True)
class Usage:
    """What a client spent: HTTP requests (retries included), tokens, cache hits, failed tasks, cost."""

    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0
    failures: int = 0
    cost: float = 0.0

    def format(self) -> str:
        return (
            f"LLM: {self.requests} requests, {self.cache_hits} cached, {self.failures} failed, "
            f"{self.prompt_tokens:,} prompt + {self.completion_tokens:,} completion tokens, cost {self.cost:.4f}"
        )


# --- cache --------------------------------------------------------------------------------------------


class Cache(Protocol):
    """Where validated answers are kept between builds (the store implements it as table llm_cache)."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str) -> None: ...


@dataclass(slots=True)
class MemoryCache:
    data: dict[str, str] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        return self.data.get(key)

    def put(self, key: str, value: str) -> None:
        self.data[key] = value


def cache_key(prompt: str, model: str, values: dict[str, Any]) -> str:
    """sha256 of prompt version, model and a hash of the input, so any change to one of them misses."""
    content = hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return hashlib.sha256(f"{prompt}\n{model}\n{content}".encode()).hexdigest()


# --- prompts ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Prompt:
    name: str  # file stem, with the version: item.v1
    system: str
    user: str  # string.Template text ($title, $text ...)

    def messages(self, values: dict[str, Any]) -> list[ChatCompletionMessageParam]:
        system = string.Template(self.system).safe_substitute(values)
        user = string.Template(self.user).safe_substitute(values)
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]


@functools.cache
def load_prompt(name: str) -> _Prompt:
    """Read ``prompts/<name>.txt``: ``#`` header lines, then ``=== system ===`` and ``=== user ===`` parts."""
    raw = resources.files("jianbao").joinpath(f"prompts/{name}.txt").read_text(encoding="utf-8")
    body = "\n".join(line for line in raw.splitlines() if not line.startswith("#"))
    _, _, rest = body.partition("=== system ===")
    system, _, user = rest.partition("=== user ===")
    if not system.strip() or not user.strip():
        raise LLMError(f"prompt {name}: needs '=== system ===' and '=== user ===' parts")
    return _Prompt(name=name, system=system.strip(), user=user.strip())


# --- parsing ------------------------------------------------------------------------------------------

_FENCE_RE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)


def _parse_json(content: str) -> Any:
    """The JSON object in an answer, tolerating ```json fences and chatter around the object."""
    text = content.strip()
    fenced = _FENCE_RE.search(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        start, end = text.find("{"), text.rfind("}")
        if 0 <= start < end:
            return json.loads(text[start : end + 1])
        raise


def _content(response: ChatCompletion) -> str:
    choices = getattr(response, "choices", None) or []
    return (choices[0].message.content or "") if choices else ""


def _retry_after(error: openai.APIStatusError) -> float | None:
    """Seconds the server asked us to wait (Retry-After as seconds or HTTP date, or retry-after-ms)."""
    headers = error.response.headers
    if ms := headers.get("retry-after-ms"):
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


# --- client -------------------------------------------------------------------------------------------


class LLMClient:
    """Talks to one endpoint; one instance per build so ``usage`` adds up the build's spending."""

    def __init__(
        self, settings: LLMSettings, *, cache: Cache | None = None, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.usage = Usage()
        self._sleep = sleep  # every wait between attempts goes through here

    def format_usage(self) -> str:
        return self.usage.format()

    # public async API

    async def summarize_items(self, requests: Sequence[ItemRequest]) -> list[ItemResult]:
        """Summarise many items concurrently; a failed item comes back with ``error`` set, never raised."""
        async with self._session() as (api, limit):
            return list(await asyncio.gather(*(self._item(api, limit, r) for r in requests)))

    async def issue_extras(
        self, items: Sequence[Item], *, date: dt.date | str, format: str = "weekly"
    ) -> IssueExtras:
        """One-liner, three insights and 朋友圈 text for an issue; raises LLMError when it cannot."""
        lines = [f"{n}. {item.title}：{item.summary}".strip() for n, item in enumerate(items, 1)]
        values = {"format": format, "date": str(date), "items": "\n".join(lines)}
        async with self._session() as (api, limit):
            result, _ = await self._counted(self._ask(api, limit, "issue.v1", values, IssueExtras))
        return result

    async def describe_repos(self, rows: Sequence[tuple[str, str]]) -> dict[str, str]:
        """A Chinese line for each ``(owner/name, English description)``, by repository; raises LLMError when
        it cannot (an answer that leaves a repository out is not valid)."""
        wanted = [repo for repo, _desc in rows]

        def complete(answer: RepoDescriptions) -> None:
            missing = set(wanted) - {r.repo for r in answer.repos}
            if missing:
                raise ValueError(f"no description for {sorted(missing)}")

        values = {"repos": "\n".join(f"{repo}: {desc or '（无简介）'}" for repo, desc in rows)}
        async with self._session() as (api, limit):
            result, _ = await self._counted(
                self._ask(api, limit, "repos.v1", values, RepoDescriptions, complete)
            )
        return {r.repo: r.desc_zh.strip() for r in result.repos if r.repo in wanted}

    async def choose_section(self, title: str, text: str, *, sections: Sequence[str]) -> SectionChoice:
        """Pick one of ``sections`` for an item the rules could not place; raises LLMError when it cannot."""

        def known(choice: SectionChoice) -> None:
            if choice.section not in sections:
                raise ValueError(f"section {choice.section!r} is not one of {list(sections)}")

        values = {
            "sections": "\n".join(sections),
            "title": title,
            "text": clean_text(text)[: self.settings.max_input_chars],
        }
        async with self._session() as (api, limit):
            result, _ = await self._counted(self._ask(api, limit, "section.v1", values, SectionChoice, known))
        return result

    async def judge_topics(
        self, topic: str, stories: Sequence[tuple[str, str, str]]
    ) -> dict[str, float]:
        """The probability that each ``(id, title, text)`` story is about ``topic``, by id; a story the LLM
        could not judge is left out (counted as a failure), never raised."""

        async def one(api: openai.AsyncOpenAI, limit: asyncio.Semaphore, title: str, text: str) -> float | None:
            values = {"topic": topic, "title": title, "text": clean_text(text)[: self.settings.max_input_chars]}
            try:
                choice, _ = await self._ask(api, limit, "topic.v1", values, TopicChoice)
            except LLMError:
                self.usage.failures += 1
                return None
            return choice.probability

        async with self._session() as (api, limit):
            found = await asyncio.gather(*(one(api, limit, title, text) for _id, title, text in stories))
        return {story[0]: p for story, p in zip(stories, found, strict=True) if p is not None}

    async def answers(
        self, prompt_name: str, values: Sequence[dict[str, Any]], schema: type[_M]
    ) -> list[_M | None]:
        """One cached, validated answer per set of ``values`` to a versioned prompt (``prompts/<name>.txt``),
        concurrently; None where the LLM failed (counted in ``usage.failures``)."""

        async def one(api: openai.AsyncOpenAI, limit: asyncio.Semaphore, v: dict[str, Any]) -> _M | None:
            try:
                return (await self._ask(api, limit, prompt_name, v, schema))[0]
            except LLMError:
                self.usage.failures += 1
                return None

        async with self._session() as (api, limit):
            return list(await asyncio.gather(*(one(api, limit, v) for v in values)))

    async def rework(
        self, instruction: str, *, title: str, summary: str, text: str, min_chars: int, max_chars: int
    ) -> ItemSummary:
        """An editor's request on one item's text (rewrite, translate, shorten: ``instruction`` says which),
        answered as a Chinese title and summary; raises LLMError when it cannot."""
        values = {
            "instruction": instruction,
            "title": title,
            "summary": summary,
            "text": clean_text(text)[: self.settings.max_input_chars],
            "min_chars": min_chars,
            "max_chars": max_chars,
        }
        async with self._session() as (api, limit):
            result, _ = await self._counted(self._ask(api, limit, "rework.v1", values, ItemSummary))
        return result

    # sync wrappers, for the CLI and for callers without an event loop

    def judge_topics_sync(self, topic: str, stories: Sequence[tuple[str, str, str]]) -> dict[str, float]:
        return asyncio.run(self.judge_topics(topic, stories))

    def answers_sync(
        self, prompt_name: str, values: Sequence[dict[str, Any]], schema: type[_M]
    ) -> list[_M | None]:
        return asyncio.run(self.answers(prompt_name, values, schema))

    def summarize_items_sync(self, requests: Sequence[ItemRequest]) -> list[ItemResult]:
        return asyncio.run(self.summarize_items(requests))

    def issue_extras_sync(
        self, items: Sequence[Item], *, date: dt.date | str, format: str = "weekly"
    ) -> IssueExtras:
        return asyncio.run(self.issue_extras(items, date=date, format=format))

    def describe_repos_sync(self, rows: Sequence[tuple[str, str]]) -> dict[str, str]:
        return asyncio.run(self.describe_repos(rows))

    def choose_section_sync(self, title: str, text: str, *, sections: Sequence[str]) -> SectionChoice:
        return asyncio.run(self.choose_section(title, text, sections=sections))

    def rework_sync(
        self, instruction: str, *, title: str, summary: str, text: str, min_chars: int, max_chars: int
    ) -> ItemSummary:
        return asyncio.run(
            self.rework(
                instruction, title=title, summary=summary, text=text, min_chars=min_chars, max_chars=max_chars
            )
        )

    # internals

    def _session(self) -> _Session:
        return _Session(self.settings)

    async def _counted(self, task: Awaitable[_T]) -> _T:
        try:
            return await task
        except LLMError:
            self.usage.failures += 1
            raise

    async def _item(
        self, api: openai.AsyncOpenAI, limit: asyncio.Semaphore, request: ItemRequest
    ) -> ItemResult:
        low, high = request.chars or TARGETS.get(request.format, TARGETS["weekly"])
        values = {
            "title": request.title,
            "text": clean_text(request.text)[: self.settings.max_input_chars],
            "url": request.url,
            "source": request.source,
            "language": request.language or "未知",
            "sections": "、".join(request.sections) or "（无）",
            "min_chars": low,
            "max_chars": high,
        }
        try:
            summary, cached = await self._ask(api, limit, "item.v2", values, ItemSummary)
        except LLMError as error:
            self.usage.failures += 1
            return ItemResult(id=request.id, error=str(error))
        return ItemResult(id=request.id, summary=summary, cached=cached)

    async def _ask(
        self,
        api: openai.AsyncOpenAI,
        limit: asyncio.Semaphore,
        prompt_name: str,
        values: dict[str, Any],
        schema: type[_M],
        validate: Callable[[_M], None] | None = None,
    ) -> tuple[_M, bool]:
        """Cached, validated answer for one prompt; an invalid answer gets exactly one more try."""
        prompt = load_prompt(prompt_name)
        key = cache_key(prompt.name, self.settings.model, values)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            try:
                answer = schema.model_validate_json(hit)
                if validate:
                    validate(answer)
            except (ValidationError, ValueError):
                pass  # a stale or foreign entry: ask again and overwrite it
            else:
                self.usage.cache_hits += 1
                return answer, True
        messages = prompt.messages(values)
        problem = ""
        for _ in range(2):
            content = _content(await self._complete(api, limit, messages, json_mode=True))
            try:
                answer = schema.model_validate(_parse_json(content))
                if validate:
                    validate(answer)
            except (ValidationError, ValueError) as error:  # JSONDecodeError is a ValueError
                problem = str(error).splitlines()[0]
                continue
            if self.cache is not None:
                self.cache.put(key, answer.model_dump_json())
            return answer, False
        raise LLMError(f"{prompt.name}: the answer is not a valid {schema.__name__} ({problem})")

    async def _complete(
        self,
        api: openai.AsyncOpenAI,
        limit: asyncio.Semaphore,
        messages: list[ChatCompletionMessageParam],
        *,
        json_mode: bool,
    ) -> ChatCompletion:
        """One chat completion with our own retries: 429/5xx/timeouts back off (honouring Retry-After)."""
        s = self.settings
        response_format: ResponseFormat | openai.Omit = {"type": "json_object"} if json_mode else openai.omit
        reason = ""
        for attempt in range(s.retries + 1):
            wait: float | None = None
            try:
                async with limit:
                    self.usage.requests += 1
                    response = await asyncio.wait_for(
                        api.chat.completions.create(
                            model=s.model,
                            messages=messages,
                            temperature=s.temperature,
                            response_format=response_format,
                        ),
                        timeout=s.timeout,
                    )
            except openai.APIStatusError as error:
                if error.status_code != 429 and error.status_code < 500:
                    hint = " (check the API key)" if error.status_code in (401, 403) else ""
                    raise LLMError(f"{s.base_url}: HTTP {error.status_code}{hint}") from error
                reason = f"HTTP {error.status_code}"
                wait = _retry_after(error)
            except (TimeoutError, openai.APITimeoutError):
                reason = f"timed out after {s.timeout:g} s"
            except openai.APIConnectionError as error:
                reason = f"cannot connect ({error.__cause__ or error})"
            else:
                self._account(response)
                return response
            if attempt < s.retries:
                # Exponential backoff with jitter, so many items failing together do not retry in lockstep.
                delay = wait if wait is not None else s.backoff * 2**attempt * random.uniform(0.5, 1.0)
                await self._sleep(min(delay, s.max_backoff))
        raise LLMError(f"{s.base_url}: {reason} after {s.retries + 1} attempts")

    def _account(self, response: ChatCompletion) -> None:
        usage = getattr(response, "usage", None)
        if usage is None:
            return
        prompt, completion = usage.prompt_tokens or 0, usage.completion_tokens or 0
        self.usage.prompt_tokens += prompt
        self.usage.completion_tokens += completion
        self.usage.cost += (
            prompt * self.settings.price_input + completion * self.settings.price_output
        ) / 1e6


class _Session:
    """An AsyncOpenAI client and a concurrency limit for the life of one event loop (asyncio.run)."""

    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings

    async def __aenter__(self) -> tuple[openai.AsyncOpenAI, asyncio.Semaphore]:
        s = self.settings
        # max_retries=0: retries are ours, so they share the concurrency limit and the usage count.
        self.api = openai.AsyncOpenAI(
            base_url=s.base_url, api_key=s.resolved_api_key(), max_retries=0, timeout=s.timeout
        )
        return self.api, asyncio.Semaphore(s.concurrency)

    async def __aexit__(self, *exc: object) -> None:
        await self.api.close()


# --- helpers for callers ------------------------------------------------------------------------------


async def acheck(settings: LLMSettings, *, clock: Callable[[], float] = time.perf_counter) -> CheckResult:
    """Send one tiny request and time it with ``clock``; raises LLMError with the reason when the endpoint fails."""
    client = LLMClient(settings.model_copy(update={"retries": 0}))
    messages: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Reply with the single word: pong"}]
    start = clock()
    async with client._session() as (api, limit):
        response = await client._complete(api, limit, messages, json_mode=False)
    latency = clock() - start
    return CheckResult(
        latency_s=latency,
        answer=_content(response).strip(),
        model=getattr(response, "model", "") or settings.model,
    )


def check(settings: LLMSettings, *, clock: Callable[[], float] = time.perf_counter) -> CheckResult:
    """``jianbao llm check``: one request, its latency and answer."""
    return asyncio.run(acheck(settings, clock=clock))


def summarize_with_fallback(request: ItemRequest, result: ItemResult | None) -> str:
    """The LLM summary when there is one, else the extractive summary and one warning line saying why."""
    if result is not None and result.summary is not None:
        return result.summary.summary_zh
    low, high = TARGETS.get(request.format, TARGETS["weekly"])
    reason = result.error if result is not None and result.error else "no LLM answer"
    log.warning("LLM summary failed for %r (%s); using the extractive summary", request.title, reason)
    return summarize(
        request.text, title=request.title, lang=request.language or None, min_chars=low, max_chars=high
    )
