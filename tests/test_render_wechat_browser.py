"""The WeChat HTML in a real (headless) Chromium: styles come from inline attributes, images load, no errors."""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from jianbao.records import Issue
from jianbao.render import render
from jianbao.render.wechat import markdown_to_wechat
from test_render_daily import issue_0616
from test_render_wechat import weekly_issue

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed"),
]


def _png(width: int, height: int) -> bytes:
    """A solid-colour PNG, written by hand so the test needs no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x2f\x7b\xd9" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, dict[str, bytes]]]:
    pages: dict[str, bytes] = {"/img.png": _png(64, 32), "/favicon.ico": _png(16, 16)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header(
                "Content-Type",
                "image/png" if self.path.endswith((".png", ".ico")) else "text/html; charset=utf-8",
            )
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", pages
    finally:
        httpd.shutdown()
        httpd.server_close()


def _with_local_images(issue: Issue, base: str) -> Issue:
    for item in issue.items:
        item.images = [f"{base}/img.png"]
    return issue


def test_wechat_html_in_chromium(server: tuple[str, dict[str, bytes]]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base, pages = server
    pages["/weekly.html"] = render(_with_local_images(weekly_issue(), base), "wechat").encode()
    daily = issue_0616()
    markdown = render(daily, "markdown") + f"\n![图]({base}/img.png)\n"  # the daily has no item images
    pages["/daily.html"] = markdown_to_wechat(markdown, title="AI 早报").encode()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
            errors: list[str] = []
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            for name in ("weekly", "daily"):
                page.goto(f"{base}/{name}.html", wait_until="load")
                facts = page.evaluate(
                    """() => {
                      const css = (el, prop) => getComputedStyle(el).getPropertyValue(prop);
                      const p = document.querySelector('body > section > p');
                      const container = document.body.firstElementChild;
                      const imgs = [...document.images];
                      return {
                        sheets: document.styleSheets.length,
                        pSize: css(p, 'font-size'), pLine: css(p, 'line-height'),
                        h2Size: css(document.querySelector('h2'), 'font-size'),
                        maxWidth: css(container, 'max-width'),
                        imgs: imgs.map(i => [i.complete, i.naturalWidth, i.getBoundingClientRect().width,
                                             i.parentElement.getBoundingClientRect().width]),
                        supColor: css(document.querySelector('sup'), 'color'),
                        unstyled: [...document.body.querySelectorAll('p,h1,h2,li,img,blockquote,sup')]
                                  .filter(el => !el.getAttribute('style')).length,
                      };
                    }"""
                )
                assert facts["sheets"] == 0  # nothing but inline styles
                assert facts["pSize"] == "16px" and facts["pLine"] == "28px"
                assert float(facts["h2Size"].removesuffix("px")) > 16
                assert facts["maxWidth"] == "677px"
                assert facts["imgs"] and all(ok and natural == 64 for ok, natural, _, _ in facts["imgs"])
                assert all(abs(width - parent) < 1 for _, _, width, parent in facts["imgs"])  # width: 100%
                assert facts["supColor"] == "rgb(47, 123, 217)"
                assert facts["unstyled"] == 0
                page.screenshot(path=str(ARTIFACTS / f"wechat-{name}.png"), full_page=True)
            assert errors == []
        finally:
            browser.close()
    assert (ARTIFACTS / "wechat-daily.png").stat().st_size > 1000
