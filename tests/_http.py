"""The base of the loopback HTTP fixtures: quiet, one request per connection, and calm about clients that
hang up on purpose (timeouts, body caps, a killed fetch)."""

from __future__ import annotations

import contextlib
from http.server import BaseHTTPRequestHandler


class QuietHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection; bodies may be close-delimited

    def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
        pass

    def handle(self) -> None:
        with contextlib.suppress(OSError):  # a client that gave up closed the socket
            super().handle()

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
