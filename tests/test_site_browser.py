"""The archive site in a real (headless) Chromium over file://: no console errors, offline search works."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jianbao.archive.site import SiteReport
from jianbao.store import Store

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--allow-file-access-from-files"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed"),
]


def _png() -> bytes:
    """A 1×1 grey PNG served for every remote image, so the test makes no request beyond the machine."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xdd\xdd\xdd"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def browser_page(archive_site: tuple[Store, SiteReport]) -> Iterator[tuple[Any, list[str], Path]]:
    playwright = pytest.importorskip("playwright.sync_api")
    _store, report = archive_site
    errors: list[str] = []
    png = _png()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1100, "height": 900}, device_scale_factor=1)
        context.route(
            re.compile(r"^https?://"),
            lambda route: route.fulfill(status=200, content_type="image/png", body=png),
        )
        page = context.new_page()
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            yield page, errors, report.out_dir
        finally:
            context.close()
            browser.close()


@pytest.fixture(scope="module")
def archive_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, SiteReport]]:
    from jianbao.archive.site import build_site
    from jianbao.store import open_store
    from test_publish import make_config
    from test_site import import_archive, shared_archive

    root = shared_archive()
    tmp = tmp_path_factory.mktemp("browser-site")
    store = open_store(f"sqlite:///{tmp / 'archive.db'}")
    import_archive(store, root)
    yield store, build_site(store, tmp / "site", config=make_config(tmp))
    store.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"site-{name}.png"), full_page=False)


@pytest.mark.parametrize("path", ["index.html", "archive.html", "topics.html", "stats.html",
                                  "issues/2021-04-09-weekly.html", "issues/2026-08-22-daily.html"])  # fmt: skip
def test_pages_load_over_file_urls_without_console_errors(browser_page: Any, path: str) -> None:
    page, errors, out = browser_page
    errors.clear()
    page.goto((out / path).as_uri())
    page.wait_for_load_state("load")
    assert errors == []
    stylesheet = page.evaluate("getComputedStyle(document.querySelector('header.top')).position")
    assert stylesheet == "sticky"  # the relative CSS link loaded from disk
    assert page.locator("main h1").count() >= 1
    _shot(page, path.replace("/", "-").removesuffix(".html"))


@pytest.mark.parametrize(("query", "expected"), [("StyleCLIP", "StyleGAN"), ("开源", "开源")])
def test_offline_search_finds_items(browser_page: Any, query: str, expected: str) -> None:
    page, errors, out = browser_page
    errors.clear()
    page.goto((out / "search.html").as_uri())
    page.fill("#q", query)
    results = page.locator("#results li")
    results.first.wait_for(timeout=5000)
    assert results.count() > 0
    texts = results.all_inner_texts()
    assert any(expected in t for t in texts)
    assert "找到" in page.inner_text("#count")
    first_link = results.first.locator("a.date").get_attribute("href")
    assert first_link and first_link.startswith("issues/") and (out / first_link).is_file()
    assert errors == []
    _shot(page, "search-" + ("latin" if query.isascii() else "cjk"))


def test_header_search_box_carries_the_query_to_the_search_page(browser_page: Any) -> None:
    page, errors, out = browser_page
    errors.clear()
    page.goto((out / "issues" / "2021-04-09-weekly.html").as_uri())
    page.fill("form.quick input[name=q]", "StyleCLIP")
    page.press("form.quick input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"search\.html\?q=StyleCLIP"))
    page.locator("#results li").first.wait_for(timeout=5000)
    assert page.input_value("#q") == "StyleCLIP" and errors == []
