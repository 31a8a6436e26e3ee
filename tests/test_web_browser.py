"""The editor's desk in headless Chromium: curate, edit, add a URL, publish, and find the file on disk."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

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
                row = page.locator(".cand", has_text=title).first
                row.get_by_role("button", name="选入").click()
                expect(page.locator(".cand.is-picked", has_text=title)).to_have_count(1)
            expect(page.locator("#intro-items")).to_have_text("3")
            page.get_by_label("语言").select_option("en")
            expect(page.locator(".cand", has_text="YOLO-Nano")).to_have_count(0)
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
    text = (config.resolve(config.output.archive_dir) / "2026" / "AI简报20261120.md").read_text(
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


# ----------------------------------------------------------------------- the editor's morning, in Chromium
SCREENS = ARTIFACTS / "screens"  # looked at by a person before a change to the desk is called done
WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
DESK_PAGES = ("/", "/candidates", "/draft", "/preview", "/history", "/archive", "/archive?q=YOLO")


def _open(p, viewport=WIDE):  # type: ignore[no-untyped-def]
    browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())
    return browser, context, page, errors


def _csp_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if "Content Security Policy" in e or "Refused" in e]


def _count(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("#intro-items").inner_text()


def _settled(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state("networkidle")


def test_keyboard_undo_regenerate_and_restore(desk: tuple[str, Config]) -> None:
    base, _config = desk
    expect = sync_api.expect
    expect.set_options(timeout=30_000)
    query = f"date={DAY.isoformat()}&format=weekly"
    with sync_api.sync_playwright() as p:
        browser, _context, page, errors = _open(p)
        try:
            # candidates: j walks, p picks, d drops, u undoes the drop
            page.goto(f"{base}/candidates?{query}")
            for n in (1, 2, 3):
                page.keyboard.press("j")
                current = page.locator(".cand.is-current")
                expect(current).to_have_count(1)
                page.keyboard.press("p")
                expect(page.locator("#intro-items")).to_have_text(str(n))
                _settled(page)
            third = page.locator(".cand.is-current").get_attribute("id")
            expect(page.locator(f"#{third}")).to_have_class(re.compile("is-picked"))
            page.keyboard.press("d")
            expect(page.locator("#intro-items")).to_have_text("2")
            expect(page.locator(f"#{third}")).not_to_have_class(re.compile("is-picked"))
            expect(page.locator("#flash")).to_contain_text("删除")
            _settled(page)
            page.keyboard.press("u")  # undo of the drop, from the keyboard
            expect(page.locator("#intro-items")).to_have_text("3")
            expect(page.locator(f"#{third}")).to_have_class(re.compile("is-picked"))
            # the filters' address carries each parameter once
            page.get_by_label("语言").select_option("zh")
            page.wait_for_url(re.compile("lang=zh"))
            keys = [k for k, _v in parse_qsl(urlsplit(page.url).query, keep_blank_values=True)]
            assert len(keys) == len(set(keys)), page.url
            _shot(page, "keyboard-candidates")

            # draft: J moves the current item down within its section, d drops it, the flash's 撤销 undoes
            page.goto(f"{base}/draft?{query}")
            page.get_by_role("button", name="紧凑列表").click()  # one line per item: ordering at a glance
            titles = page.locator("article.item input.field-title")
            sections = page.locator("article.item").evaluate_all(
                "els => els.map(el => el.closest('.draft-section').dataset.section)"
            )
            pair = next(i for i in range(len(sections) - 1) if sections[i] == sections[i + 1])
            before = [titles.nth(i).input_value() for i in range(titles.count())]
            for _ in range(pair + 1):
                page.keyboard.press("j")
            page.keyboard.press("J")
            expect(titles.nth(pair + 1)).to_have_value(before[pair])
            expect(titles.nth(pair)).to_have_value(before[pair + 1])
            _settled(page)
            expect(page.locator("article.item.is-current input.field-title")).to_have_value(before[pair])
            page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-request')")
            page.keyboard.press("K")
            expect(titles.nth(pair)).to_have_value(before[pair])
            _settled(page)
            current = page.locator("article.item.is-current input.field-title")
            expect(current).to_have_value(before[pair])  # the keyboard's place followed the item up
            page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-request')")
            page.keyboard.press("d")
            expect(page.locator("#intro-items")).to_have_text("2")
            page.locator("#flash [data-undo]").click()
            expect(page.locator("#intro-items")).to_have_text("3")
            expect(titles.nth(pair)).to_have_value(before[pair])
            page.get_by_role("button", name="紧凑列表").click()
            _settled(page)

            # regenerate offers the new text beside the editor's words; taking it can be undone
            card = page.locator("article.item").first
            summary = card.locator("textarea.field-summary")
            hand = "编辑手写的中文摘要，讲清楚谁做了什么。"
            with page.expect_response(lambda r: r.url.endswith("/edit")):
                summary.fill(hand)
                summary.blur()
            _settled(page)
            card.get_by_role("button", name="重新生成摘要").click()
            offer = card.locator(".proposal")
            expect(offer).to_be_visible()
            expect(offer.locator(".side-old")).to_contain_text(hand)
            offered = offer.locator("textarea[name=summary]").input_value()
            assert offered and offered != hand
            expect(summary).to_have_value(hand)  # nothing replaced yet
            _shot(page, "draft-offer")
            offer.get_by_role("button", name="采用新文本").click()
            expect(page.locator("article.item").first.locator("textarea.field-summary")).to_have_value(
                offered
            )
            page.locator("#flash [data-undo]").click()
            expect(page.locator("article.item").first.locator("textarea.field-summary")).to_have_value(hand)

            # the history lists every step; restoring the first version leaves its one item
            page.goto(f"{base}/history?{query}")
            rows = page.locator(".version-row")
            expect(rows.first).to_contain_text("恢复到第")
            page.locator(".version-row[data-version='1']").get_by_role("button", name="恢复这一版").click()
            expect(page.locator("#intro-items")).to_have_text("1")
            expect(rows.first).to_contain_text("恢复到第 1 版")
            page.keyboard.press("?")
            expect(page.locator("#keys")).to_be_visible()
            expect(page.locator("#keys")).to_contain_text("撤销上一步")
            _shot(page, "keys")
            page.keyboard.press("Escape")
        finally:
            browser.close()
    assert not _csp_errors(errors), errors


def test_other_list_editing_never_duplicates_a_numbered_story(desk: tuple[str, Config]) -> None:
    base, config = desk
    expect = sync_api.expect
    expect.set_options(timeout=30_000)
    query = f"date={DAY.isoformat()}&format=weekly"
    with sync_api.sync_playwright() as p:
        browser, _context, page, errors = _open(p)
        try:
            page.goto(f"{base}/candidates?{query}")
            for title in ("YOLO-Nano", "agent benchmark", "深度学习课程"):
                row = page.locator(".cand", has_text=title).first
                row.get_by_role("button", name="其他", exact=True).click()
                expect(page.locator(".cand.in-other", has_text=title)).to_have_count(1)
                _settled(page)
            # a story in 其他 picked as a numbered item leaves 其他
            page.locator(".cand", has_text="YOLO-Nano").first.get_by_role("button", name="选入").click()
            expect(page.locator(".cand.is-picked", has_text="YOLO-Nano")).to_have_count(1)
            page.goto(f"{base}/draft?{query}")
            others = page.locator("li.other-row input.field-other")
            expect(others).to_have_count(2)
            # reword, reorder and promote
            with page.expect_response(lambda r: r.url.endswith("/other/edit")):
                others.nth(1).fill("免费课程：深度学习入门")
                others.nth(1).blur()
            _settled(page)
            page.locator("li.other-row").nth(1).get_by_role(
                "button", name="上移 免费课程：深度学习入门"
            ).click()
            expect(others.first).to_have_value("免费课程：深度学习入门")
            _settled(page)
            page.locator("li.other-row").nth(1).get_by_role("button", name="升为编号").click()
            expect(others).to_have_count(1)
            expect(page.locator("#intro-items")).to_have_text("2")
            numbered = page.locator("article.item input.field-title").evaluate_all(
                "els => els.map(e => e.value)"
            )
            listed = others.evaluate_all("els => els.map(e => e.value)")
            assert not set(numbered) & set(listed), (numbered, listed)
            assert any("agent benchmark" in t for t in numbered)
            _shot(page, "draft-other")
            page.goto(f"{base}/preview?{query}")
            page.get_by_role("button", name="发布本期").click()
            expect(page.locator("#publish")).to_contain_text("本期已发布")
        finally:
            browser.close()
    assert not _csp_errors(errors), errors
    text = (config.resolve(config.output.archive_dir) / "2026" / "AI简报20261120.md").read_text(
        encoding="utf-8"
    )
    numbered_part, other_part = text.split("\n# 其他\n", 1)
    assert "YOLO-Nano" in numbered_part and "YOLO-Nano" not in other_part
    assert "agent benchmark" in numbered_part and "agent benchmark" not in other_part
    assert "- [免费课程：深度学习入门](" in other_part


def test_rich_copy_and_the_preview_is_the_file(daily_desk: tuple[str, Config], tmp_path: Path) -> None:
    from jianbao.archive.files import render_outputs
    from jianbao.editions import get_edition
    from jianbao.store import open_store

    base, config = daily_desk
    expect = sync_api.expect
    expect.set_options(timeout=30_000)
    with sync_api.sync_playwright() as p:
        browser, context, page, errors = _open(p)
        try:
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
            page.goto(f"{base}/preview?date={DAY.isoformat()}&format=daily")
            source = page.locator("#src-wechat").input_value()
            frame = page.frame_locator("#preview-wechat iframe")
            # the frame shows the file itself: a section of inline-styled HTML, the <h1> first, the house fonts
            first = frame.locator("body > section > *").first
            expect(first).to_have_text(re.compile("AI 早报"))
            assert first.evaluate("el => el.tagName") == "H1"
            assert (
                frame.locator("body").evaluate(
                    "b => Array.from(b.childNodes).filter(n => n.nodeType === 3 && n.textContent.trim()).length"
                )
                == 0
            )  # no stray title text before the <h1>
            font = frame.locator("body > section").evaluate("el => getComputedStyle(el).fontFamily")
            assert "PingFang SC" in font and "serif" not in font.replace("sans-serif", "")
            page.locator("#preview-wechat").get_by_role("button", name="复制").click()
            expect(page.locator("#preview-wechat button.copy")).to_have_text("已复制（带格式）")
            types = page.evaluate(
                "async () => (await navigator.clipboard.read()).flatMap(item => Array.from(item.types))"
            )
            assert {"text/html", "text/plain"} <= set(types), types
            copied = page.evaluate(
                "async () => { const [item] = await navigator.clipboard.read();"
                " return [await (await item.getType('text/html')).text(),"
                " await (await item.getType('text/plain')).text()]; }"
            )
            rich, plain = copied
            assert "<section" in rich and 'style="' in rich and "<title" not in rich and "<h1" in rich
            assert "AI 早报" in plain and "<" not in plain
            _shot(page, "preview-daily")
        finally:
            browser.close()
    assert not _csp_errors(errors), errors
    with open_store(f"sqlite:///{tmp_path / 'daily.db'}") as store:  # the daily_desk fixture's store
        found = store.get_issue(f"daily:{DAY.isoformat()}")
        assert found is not None
        files = render_outputs(found[0], get_edition("daily"), ["wechat"], config=config)
    assert source == files["wechat"]  # the preview is what write_issue writes, byte for byte


def test_every_desk_page_fits_a_phone_and_screenshots(
    desk: tuple[str, Config],
    daily_desk: tuple[str, Config],
    store_url: str,  # noqa: F811
) -> None:
    from jianbao.store import open_store

    base, _config = desk
    with open_store(
        store_url
    ) as store:  # a run with warnings and a failing source: the landing page's panels
        run = store.start_run(trigger="schedule", day=DAY, editions=["weekly", "daily"])
        run.counts = {
            "fetch": {"sources": 12, "failed": 1, "new": 87, "updated": 4},
            "build": {"daily": {"issue": "daily:2026-11-20", "state": "built", "items": 15, "repeats": 1}},
        }
        run.errors = ["source hf: HTTP 503 Service Unavailable"]
        run.warnings = ["daily:2026-11-20 #4 OpenAI 发布 GPT-5.7 repeats 2026-11-19 #1"]
        run.state, run.ended_at = "partial", run.started_at
        store.save_run(run)
        failing = store.list_sources()[0].name
        for _ in range(3):
            store.record_fetch(failing, ok=False, error="HTTP 503 Service Unavailable")
    daily_base, _daily_config = daily_desk
    expect = sync_api.expect
    expect.set_options(timeout=30_000)
    weekly = f"date={DAY.isoformat()}&format=weekly"
    daily = f"date={DAY.isoformat()}&format=daily"
    SCREENS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser, _context, page, errors = _open(p)
        try:
            page.goto(f"{base}/candidates?{weekly}")
            for title in ("YOLO-Nano", "agent benchmark", "深度学习课程"):
                page.locator(".cand", has_text=title).first.get_by_role("button", name="选入").click()
                expect(page.locator(".cand.is-picked", has_text=title)).to_have_count(1)
                _settled(page)
            page.locator(".cand", has_text="Evil").first.get_by_role(
                "button", name="其他", exact=True
            ).click()
            expect(page.locator(".cand.in-other", has_text="Evil")).to_have_count(1)
            for size, viewport in (("1440x900", WIDE), ("390x844", PHONE)):
                page.set_viewport_size(viewport)
                for name, path in (
                    ("landing", "/"),
                    ("candidates", f"/candidates?{weekly}"),
                    ("draft", f"/draft?{weekly}"),
                    ("preview", f"/preview?{weekly}"),
                    ("draft-daily", f"{daily_base}/draft?{daily}"),
                ):
                    page.goto(path if path.startswith("http") else f"{base}{path}")
                    _settled(page)
                    page.screenshot(path=str(SCREENS / f"{name}-{size}.png"))
            page.set_viewport_size(PHONE)
            for root, query in ((base, weekly), (daily_base, daily)):
                for path in DESK_PAGES:
                    url = f"{root}{path}" + ("" if path == "/" else ("&" if "?" in path else "?") + query)
                    page.goto(url)
                    _settled(page)
                    width = page.evaluate("document.documentElement.scrollWidth")
                    assert width <= PHONE["width"], f"{url} is {width} px wide at 390 px"
            page.goto(f"{base}/draft?{weekly}")
            page.get_by_role("button", name="紧凑列表").click()
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            page.screenshot(path=str(SCREENS / "draft-compact-390x844.png"))
            page.get_by_role("button", name="紧凑列表").click()
        finally:
            browser.close()
    assert not _csp_errors(errors), errors


def test_drag_scrolls_the_page_near_its_edge(daily_desk: tuple[str, Config]) -> None:
    """A card can travel further than one screen: the page scrolls while the pointer is near its edge."""
    base, _config = daily_desk
    expect = sync_api.expect
    expect.set_options(timeout=30_000)
    with sync_api.sync_playwright() as p:
        browser, _context, page, errors = _open(p, {"width": 1440, "height": 500})
        try:
            page.goto(f"{base}/draft?date={DAY.isoformat()}&format=daily")
            items = page.locator("article.item")
            last = items.nth(items.count() - 1)
            moved = last.locator("input.field-title").input_value()
            last.scroll_into_view_if_needed()
            handle = last.locator(".drag-handle").bounding_box()
            assert handle is not None
            start = page.evaluate("window.scrollY")
            page.mouse.move(handle["x"] + 4, handle["y"] + 4)
            page.mouse.down()
            page.mouse.move(handle["x"] + 8, handle["y"] + 30, steps=3)
            page.mouse.move(handle["x"] + 8, 12, steps=6)  # near the top edge, and hold
            page.wait_for_function(f"() => window.scrollY < {start} - 300")
            page.wait_for_function("() => window.scrollY === 0")
            target = items.first.bounding_box()
            assert target is not None
            with page.expect_response(lambda r: r.url.endswith("/reorder")) as answer:
                page.mouse.move(target["x"] + 80, target["y"] + 6, steps=4)
                page.mouse.up()
            assert answer.value.status == 200
            _settled(page)
            expect(items.first.locator("input.field-title")).to_have_value(moved)
        finally:
            browser.close()
    assert not _csp_errors(errors), errors
