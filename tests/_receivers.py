"""Real receivers on loopback for delivery tests: a JSON webhook, an SMTP server (aiosmtpd), and a fake of the
WeChat Official Account API endpoints a draft needs, answering as the official documentation describes."""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller

from _http import QuietHandler


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:  # a client that hung up is no error
        pass


# ------------------------------------------------------------------------------------------------ webhook
@dataclass
class Webhook:
    """Collects every JSON body POSTed to it; ``fail_paths`` answer 500; ``hold`` blocks requests until set."""

    port: int = 0
    posts: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    fail_paths: set[str] = field(default_factory=set)
    hold: threading.Event | None = None
    arrived: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str = "/hook") -> str:
        return f"json://127.0.0.1:{self.port}{path}"


@contextlib.contextmanager
def webhook() -> Iterator[Webhook]:
    hook = Webhook()

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            hook.posts.append(body)
            hook.paths.append(self.path)
            hook.arrived.set()
            if hook.hold is not None:
                hook.hold.wait(30)
            status = 500 if self.path in hook.fail_paths else 200
            self._send(status, b"{}", {"Content-Type": "application/json"})

    server = _Server(("127.0.0.1", 0), Handler)
    hook.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        if hook.hold is not None:
            hook.hold.set()
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------------------------------- SMTP
@dataclass
class Mailbox:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    def url(self, *, to: str = "readers@example.com") -> str:
        return f"smtp://127.0.0.1:{self.port}?from=editor@example.com&to={to}&starttls=no"


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.box.messages.append(message)
        self.box.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


@contextlib.contextmanager
def smtp_server() -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    controller = Controller(_Handler(box), hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


# ------------------------------------------------------------------------------------------ WeChat fake
PNG = (  # a 1×1 PNG
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class WechatFake:
    """The endpoints of the draft flow, checked as the documentation states them: stable_token (JSON with
    appid/secret), media/uploadimg and material/add_material (multipart ``media``, a valid access_token),
    draft/add (articles with title ≤ 32, content < 20,000 characters, a thumb_media_id it issued, UTF-8 JSON
    without \\u escapes)."""

    appid: str = "wx1234567890"
    secret: str = "s3cr3t-app-secret"
    port: int = 0
    tokens_issued: int = 0
    expire_next_call: bool = False
    calls: list[str] = field(default_factory=list)
    uploads: list[bytes] = field(default_factory=list)
    materials: dict[str, bytes] = field(default_factory=dict)
    drafts: list[dict[str, Any]] = field(default_factory=list)
    raw_drafts: list[bytes] = field(default_factory=list)
    token: str = ""

    def url(self) -> str:
        return f"wxmp://{self.appid}:${{WECHAT_APPSECRET}}@127.0.0.1:{self.port}"


def _multipart_media(headers: Any, body: bytes) -> bytes | None:
    ctype = headers.get("Content-Type", "")
    m = re.search(r"boundary=([^;]+)", ctype)
    if not m:
        return None
    message = email.message_from_bytes(
        f"Content-Type: {ctype}\r\n\r\n".encode() + body, policy=email.policy.default
    )
    for part in message.iter_parts():  # type: ignore[attr-defined]
        if part.get_param("name", header="content-disposition") == "media":
            payload = part.get_payload(decode=True)
            return bytes(payload) if payload is not None else None
    return None


@contextlib.contextmanager
def wechat_fake() -> Iterator[WechatFake]:
    fake = WechatFake()

    class Handler(QuietHandler):
        def _json(self, payload: dict[str, Any]) -> None:
            self._send(200, json.dumps(payload, ensure_ascii=False).encode(), {"Content-Type": "application/json"})

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            fake.calls.append(parts.path)
            if parts.path == "/cgi-bin/stable_token":
                data = json.loads(body)
                if data.get("appid") != fake.appid or data.get("secret") != fake.secret:
                    return self._json({"errcode": 40013, "errmsg": "invalid appid"})
                fake.tokens_issued += 1
                fake.token = f"TOKEN-{fake.tokens_issued}"
                return self._json({"access_token": fake.token, "expires_in": 7200})
            if query.get("access_token") != fake.token or fake.expire_next_call:
                fake.expire_next_call = False
                return self._json({"errcode": 42001, "errmsg": "access_token expired"})
            if parts.path == "/cgi-bin/media/uploadimg":
                media = _multipart_media(self.headers, body)
                if not media:
                    return self._json({"errcode": 41005, "errmsg": "media data missing"})
                fake.uploads.append(media)
                return self._json({"url": f"http://mmbiz.qpic.cn/mmbiz_png/fake{len(fake.uploads)}/0?wx_fmt=png"})
            if parts.path == "/cgi-bin/material/add_material":
                media = _multipart_media(self.headers, body)
                if query.get("type") != "image" or not media:
                    return self._json({"errcode": 40004, "errmsg": "invalid media type"})
                media_id = f"MEDIA-{len(fake.materials) + 1}"
                fake.materials[media_id] = media
                return self._json({"media_id": media_id, "url": "http://mmbiz.qpic.cn/cover/0"})
            if parts.path == "/cgi-bin/draft/add":
                fake.raw_drafts.append(body)
                data = json.loads(body)
                for article in data.get("articles", []):
                    if len(article.get("title", "")) > 32 or len(article.get("content", "")) >= 20000:
                        return self._json({"errcode": 45003, "errmsg": "title or content size out of limit"})
                    if article.get("thumb_media_id") not in fake.materials:
                        return self._json({"errcode": 40007, "errmsg": "invalid media_id"})
                fake.drafts.append(data)
                return self._json({"media_id": f"DRAFT-{len(fake.drafts)}"})
            return self._json({"errcode": 404, "errmsg": "no such endpoint"})

    server = _Server(("127.0.0.1", 0), Handler)
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
