"""The editor's desk in headless Chromium: curate, edit, add a URL, publish, and find the file on disk."""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def _serve(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Run the app on a free loopback port in a thread; yields its base URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def desk(tmp_path: Path, store_url: str, page_server: str) -> Iterator[tuple[str, Config]]:  # noqa: F811
    config = Config.model_validate({"output": {"archive_dir": str(tmp_path / "archive")}})
    app = create_app(config, store_url, url_guard=only(page_server), today=lambda: DAY)
    with _serve(app) as base:
        yield base, config


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
            # (empty sections are shown as drop zones for dragging; the first one holding items is meant)
            first_section = (
                page.locator(".draft-section:not(.is-empty)").first.get_attribute("data-section") or ""
            )
            course = page.locator("article.item", has=page.locator("input[value*='深度学习课程']"))
            course.get_by_label("栏目").select_option(first_section)
            first = page.locator(".draft-section:not(.is-empty)").first
            expect(first.locator("input.field-title[value*='深度学习课程']")).to_have_count(1)
            # edit a summary, autosaved on change
            summary = page.locator("article.item", has=page.locator("input[value*='YOLO-Nano']")).locator(
                "textarea"
            )
            with page.expect_response(lambda r: r.url.endswith("/edit")):  # the flash may still be the move's
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


@pytest.fixture
def daily_desk(tmp_path: Path) -> Iterator[tuple[str, Config]]:
    from test_web_trending import build_daily_store

    config = Config.model_validate({"output": {"archive_dir": str(tmp_path / "archive")}})
    app = create_app(config, build_daily_store(tmp_path / "daily.db"), today=lambda: DAY)
    with _serve(app) as base:
        yield base, config


def _reordered(page, run) -> None:  # type: ignore[no-untyped-def]
    """Do ``run`` (a drag) and wait until the server has answered the /reorder it posts and htmx swapped it."""
    with page.expect_response(lambda r: r.url.endswith("/reorder") and r.request.method == "POST") as info:
        run()
    assert info.value.status == 200, info.value.text()
    page.wait_for_load_state("networkidle")


def test_daily_drag_and_drop_and_trending_curation(daily_desk: tuple[str, Config]) -> None:
    base, config = daily_desk
    expect = sync_api.expect
    expect.set_options(timeout=30_000)  # two shared cores: each round trip may wait on other work
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        # Tall enough that a drag's source and target are both on screen: a drag that has to scroll the page
        # is the browser's business (it auto-scrolls near the edge), not what this test is about.
        page = browser.new_page(viewport={"width": 1440, "height": 2000}, locale="zh-CN")
        page.set_default_timeout(30_000)
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("dialog", lambda dialog: dialog.accept())
        try:
            page.goto(f"{base}/draft?date={DAY.isoformat()}&format=daily")
            top = page.locator(".draft-section[data-section='今日精选'] article.item")
            world = page.locator(".draft-section[data-section='国际动态'] article.item")
            moved = top.last.locator("input.field-title").input_value()
            world_before, top_before = world.count(), top.count()
            # drag the last 今日精选 item onto the top edge of 国际动态's first item: it lands first there
            top.last.evaluate("el => el.scrollIntoView({block: 'center'})")
            _reordered(
                page,
                lambda: top.last.locator(".drag-handle").drag_to(
                    world.first, target_position={"x": 60, "y": 8}
                ),
            )
            expect(world).to_have_count(world_before + 1)
            expect(top).to_have_count(top_before - 1)
            expect(world.first.locator("input.field-title")).to_have_value(moved)

            # drag the last trending row to the top of the table
            rows = page.locator("li.trend-row")
            rows.first.evaluate("el => el.scrollIntoView({block: 'center'})")
            repos = [code.inner_text() for code in rows.locator(".repo code").all()]
            _reordered(
                page,
                lambda: rows.last.locator(".drag-handle").drag_to(
                    rows.first, target_position={"x": 40, "y": 4}
                ),
            )
            expect(rows.first.locator(".repo code")).to_have_text(repos[-1])
            expect(rows.nth(1).locator(".repo code")).to_have_text(repos[0])

            # rewrite the (now first) row's description: autosaved on change
            desc = rows.first.locator("input.field-desc")
            with page.expect_response(lambda r: r.url.endswith("/trending/edit")) as edited:
                desc.fill("编辑在浏览器里写的一句话说明")
                desc.blur()
            assert edited.value.status == 200
            expect(page.locator("#flash")).to_have_text("已保存")
            # drop the second row with its button (the keyboard's way), then it can be restored from the list
            with page.expect_response(lambda r: r.url.endswith("/trending/drop")):
                rows.nth(1).get_by_role("button", name=f"移除 {repos[0]}").click()
            expect(page.locator("li.trend-row .repo code", has_text=repos[0])).to_have_count(0)
            expect(page.locator(".spare-row code", has_text=repos[0])).to_have_count(1)
            _shot(page, "daily-draft")
            page.locator("#trending").screenshot(path=str(ARTIFACTS / "web-daily-trending.png"))

            page.goto(f"{base}/preview?date={DAY.isoformat()}&format=daily")
            expect(page.locator("#preview-markdown pre")).to_contain_text("编辑在浏览器里写的一句话说明")
            _shot(page, "daily-preview")
            page.get_by_role("button", name="发布本期").click()
            expect(page.locator("#publish")).to_contain_text("本期已发布")
        finally:
            browser.close()
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    # The daily keeps its own file, AI早报… (issue 15).
    text = (config.resolve(config.output.archive_dir) / "2026" / "AI早报20261120.md").read_text(
        encoding="utf-8"
    )
    world_part = text.split("## 🌍 国际动态", 1)[1].split("\n---", 1)[0]
    first_line = next(line for line in world_part.splitlines() if line.strip())
    assert first_line.startswith("🟡 ") and f"{moved}](" in first_line
    table = text.split("## ⭐ GitHub 今日趋势（AI）", 1)[1].split("\n---", 1)[0]
    lines = [line for line in table.splitlines() if line.startswith("- ")]
    assert lines[0].startswith(
        f"- [`{repos[-1]}`](https://github.com/{repos[-1]}) — 编辑在浏览器里写的一句话说明。"
    )
    assert [line.split("`")[1] for line in lines] == [repos[-1], *repos[1:-1]]
