"""A real OpenAI-compatible server on loopback, scripted per test (shared by the LLM and embedding tests):
``/v1/chat/completions``, and ``/v1/embeddings`` answering with ``bigram_vector`` of each input."""

from __future__ import annotations

import json
import math
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from jianbao.summarize import LLMSettings


@dataclass
class Reply:
    """One scripted answer: an HTTP status, the assistant content, a delay and extra headers.

    ``hold_until`` keeps the answer back until that many requests have been in flight at once (or 10 s
    have passed), so a concurrency test does not depend on how fast a busy machine sends them.
    """

    content: str | None = None
    status: int = 200
    delay: float = 0.0
    hold_until: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    usage: tuple[int, int] = (100, 20)


def item_json(title: str = "清华开源 ChatGLM-6B", summary: str = "清华开源了 62 亿参数的对话模型。") -> str:
    return json.dumps(
        {"title_zh": title, "summary_zh": summary, "section": None, "tags": ["开源"]}, ensure_ascii=False
    )


EMBED_DIM = 64


def bigram_vector(text: str) -> list[float]:
    """A deterministic unit vector of a text's character bigrams (hashed into ``EMBED_DIM`` buckets): texts
    sharing most bigrams are close, unrelated ones far, as a real embedding model would have them."""
    v = [0.0] * EMBED_DIM
    compact = "".join(text.lower().split())
    for i in range(max(1, len(compact) - 1)):
        v[zlib.crc32(compact[i : i + 2].encode()) % EMBED_DIM] += 1.0
    norm = math.sqrt(sum(x * x for x in v)) or 1.0
    return [x / norm for x in v]


class ChatServer:
    """A chat-completions server: replies from ``script`` in order, then from ``default``. Embedding requests
    are kept in ``embed_bodies``; ``embed_failures`` HTTP statuses are answered first, one per request."""

    def __init__(self) -> None:
        self.embed_bodies: list[dict[str, Any]] = []
        self.embed_failures: list[int] = []
        self.script: list[Reply] = []
        self.default: Callable[[dict[str, Any]], Reply] = lambda body: Reply(item_json())
        self.bodies: list[dict[str, Any]] = []
        self.auth: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)

    @property
    def count(self) -> int:
        return len(self.bodies)

    def next_reply(self, body: dict[str, Any]) -> Reply:
        with self.lock:
            self.bodies.append(body)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.arrived.notify_all()
            return self.script.pop(0) if self.script else self.default(body)

    def hold(self, in_flight: int, *, timeout: float = 10.0) -> None:
        with self.arrived:
            self.arrived.wait_for(lambda: self.max_in_flight >= in_flight, timeout)

    def done(self) -> None:
        with self.lock:
            self.in_flight -= 1


def _handler(chat: ChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.path == "/v1/embeddings":
                self._embeddings(body)
                return
            if self.path != "/v1/chat/completions":
                self._send(404, {"error": {"message": "not found"}}, {})
                return
            chat.auth.append(self.headers.get("Authorization", ""))
            reply = chat.next_reply(body)
            try:
                chat.hold(reply.hold_until)
                time.sleep(reply.delay)
                if reply.status != 200:
                    payload: dict[str, Any] = {
                        "error": {"message": "scripted failure", "type": "server_error"}
                    }
                else:
                    prompt, completion = reply.usage
                    payload = {
                        "id": f"chatcmpl-{chat.count}",
                        "object": "chat.completion",
                        "created": 1700000000,
                        "model": "test-model-served",
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": reply.content},
                                "finish_reason": "stop",
                            }
                        ],
                        "usage": {
                            "prompt_tokens": prompt,
                            "completion_tokens": completion,
                            "total_tokens": prompt + completion,
                        },
                    }
                self._send(reply.status, payload, reply.headers)
            except OSError:
                pass  # the client gave up (timeout test) and closed the socket
            finally:
                chat.done()

        def _embeddings(self, body: dict[str, Any]) -> None:
            with chat.lock:
                chat.embed_bodies.append(body)
                failure = chat.embed_failures.pop(0) if chat.embed_failures else None
            if failure is not None:
                self._send(failure, {"error": {"message": "scripted failure", "type": "server_error"}}, {})
                return
            texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
            data = [
                {"object": "embedding", "index": i, "embedding": bigram_vector(t)} for i, t in enumerate(texts)
            ]
            tokens = sum(len(t) for t in texts)
            self._send(
                200,
                {
                    "object": "list",
                    "data": list(reversed(data)),  # servers may answer out of order: the index says which
                    "model": body.get("model", ""),
                    "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
                },
                {},
            )

        def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str]) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up on a slow answer is expected here


def serve() -> Iterator[ChatServer]:
    """Run a ChatServer on 127.0.0.1 for the life of a fixture: ``yield from serve()``."""
    state = ChatServer()
    server = _Server(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"  # type: ignore[attr-defined]
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def settings_for(chat: ChatServer, **overrides: Any) -> LLMSettings:
    values: dict[str, Any] = {
        "base_url": chat.url,  # type: ignore[attr-defined]
        "model": "test-model",
        "api_key_env": "JIANBAO_TEST_NO_SUCH_KEY",
        "timeout": 2.0,
        "retries": 3,
        "backoff": 0.01,
        "max_backoff": 1.0,
    }
    values.update(overrides)
    return LLMSettings(**values)
