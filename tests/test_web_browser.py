"""The editor's desk in headless Chromium: curate, edit, add a URL, publish, and find the file on disk."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jianbao.config import Config
from jianbao.web import create_app

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian chromium not installed at /usr/bin/chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

from test_web import DAY, _Page, _records, only, page_server, store_url  # noqa: E402, F401

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def desk(tmp_path: Path, store_url: str, page_server: str) -> Iterator[tuple[str, Config]]:  # noqa: F811
    import uvicorn

    config = Config.model_validate({"output": {"archive_dir": str(tmp_path / "archive")}})
    app = create_app(config, store_url, url_guard=only(page_server), today=lambda: DAY)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}", config
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def test_desk_end_to_end(desk: tuple[str, Config], page_server: str) -> None:  # noqa: F811
    base, config = desk
    expect = sync_api.expect
    # CI shares two cores between Chromium, uvicorn, PostgreSQL and pytest: give each htmx round trip time.
    expect.set_options(timeout=20_000)
    query = f"date={DAY.isoformat()}&format=weekly"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("dialog", lambda dialog: dialog.accept())
        try:
            page.goto(f"{base}/candidates?{query}")
            for title in ("YOLO-Nano", "agent benchmark", "深度学习课程"):
                row = page.locator("tr.cand", has_text=title).first
                row.get_by_role("button", name="选入").click()
                expect(page.locator("tr.cand.is-picked", has_text=title)).to_have_count(1)
            expect(page.locator("#intro-items")).to_have_text("3")
            page.get_by_label("语言").select_option("en")
            expect(page.locator("tr.cand", has_text="YOLO-Nano")).to_have_count(0)
            page.get_by_label("语言").select_option("")
            _shot(page, "candidates")

            page.goto(f"{base}/draft?{query}")
            chars_before = page.locator("#intro-chars").inner_text()
            # drop the agent item
            page.locator("article.item", has=page.locator("input[value*='agent benchmark']")).get_by_role(
                "button", name="删除"
            ).click()
            expect(page.locator("#intro-items")).to_have_text("2")
            expect(page.locator("input.field-title[value*='agent benchmark']")).to_have_count(0)
            page.wait_for_load_state("networkidle")  # the drop's swap has settled: act on the new list
            # move the course into the first section
            first_section = page.locator(".draft-section").first.get_attribute("data-section") or ""
            course = page.locator("article.item", has=page.locator("input[value*='深度学习课程']"))
            course.get_by_label("栏目").select_option(first_section)
            first = page.locator(".draft-section").first
            expect(first.locator("input.field-title[value*='深度学习课程']")).to_have_count(1)
            # edit a summary, autosaved on change
            summary = page.locator("article.item", has=page.locator("input[value*='YOLO-Nano']")).locator(
                "textarea"
            )
            summary.fill("编辑在浏览器里改写的摘要，讲清楚轻量化检测器的做法。")
            summary.blur()
            expect(page.locator("#flash")).to_have_text("已保存")
            expect(page.locator("#intro-chars")).not_to_have_text(chars_before)
            # a second edit right after the first must carry the version the first one produced
            tags = page.locator("article.item", has=page.locator("input[value*='YOLO-Nano']")).get_by_label(
                "标签"
            )
            tags.fill("轻量化，开源")
            tags.blur()
            # (polled in the page: reading one value first and waiting on the other would race the save)
            page.wait_for_function(
                "() => document.querySelector('#desk-state input[name=version]').value"
                " === document.querySelector('#draft-state input[name=version]').value"
            )
            expect(page.locator("#flash")).not_to_contain_text("刷新")
            # add a URL from the loopback fixture (the only loopback address the guard lets through)
            page.get_by_placeholder("https://… 粘贴一篇文章的地址").fill(f"http://{page_server}/article")
            page.get_by_role("button", name="抓取并加入").click()
            expect(page.locator("input.field-title[value='桌面添加的文章']")).to_have_count(1)
            expect(page.locator("#intro-items")).to_have_text("3")
            _shot(page, "draft")

            page.goto(f"{base}/preview?{query}")
            expect(page.locator("#preview-markdown pre")).to_contain_text("编辑在浏览器里改写的摘要")
            _shot(page, "preview")
            page.get_by_role("button", name="发布本期").click()
            expect(page.locator("#publish")).to_contain_text("本期已发布")

            page.goto(f"{base}/archive?{query}&q=YOLO")
            expect(page.locator("table.hits")).to_contain_text("YOLO-Nano")
            _shot(page, "archive")
        finally:
            browser.close()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    published = config.resolve(config.output.archive_dir) / "2026" / "AI简报20261120.md"
    text = published.read_text(encoding="utf-8")
    assert "编辑在浏览器里改写的摘要" in text
    assert "【轻量化】【开源】" in text
    assert "桌面添加的文章" in text
    assert "agent benchmark" not in text
    yolo, course = text.index("YOLO-Nano"), text.index("深度学习课程")
    assert text.rfind("\n# ", 0, yolo) == text.rfind(
        "\n# ", 0, course
    )  # the course moved into YOLO's section
