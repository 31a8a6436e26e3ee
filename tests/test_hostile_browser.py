"""The hostile run of tests/test_hostile.py opened in a real (headless) Chromium: every site page over file://
and every desk page over loopback. No script of the vector set runs: no alert/confirm/prompt, no dialog."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from test_hostile import BUILT_DRAFT_DAY, DAY, DESK_PAGES, SYNTHETIC_DAY, Outputs, _run
from test_web_browser import _serve

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--allow-file-access-from-files"]  # fmt: skip
# Every way a vector shows it ran: the dialog functions record their calls before any dialog opens.
TRAP = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__xss.push(name + ":" + args.join(",")); };
}
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed"),
]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    return _run(tmp_path_factory.mktemp("hostile-browser"))


def test_no_script_runs_in_chromium(hostile_run: Outputs) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    from jianbao.web import create_app

    site = hostile_run.root / "site"
    pages = sorted(site.rglob("*.html"))
    assert any("issues" in str(p) for p in pages)
    ran: list[str] = []
    dialogs: list[str] = []
    app = create_app(hostile_run.config, hostile_run.store_url, today=lambda: DAY)
    with _serve(app) as base, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context()
        context.add_init_script(TRAP)
        # No request leaves the machine: remote images and scripts get an empty answer.
        context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.fulfill(status=204, body=""))
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        urls = [p.as_uri() for p in pages] + [f"{site.as_uri()}/search.html?q=alert", f"{base}/"]
        for fmt in ("weekly", "daily"):
            for day in (DAY, SYNTHETIC_DAY, DAY - dt.timedelta(days=1)):
                query = f"date={day}&format={fmt}"
                urls += [f"{base}{path}{'&' if '?' in path else '?'}{query}" for path in DESK_PAGES]
        built = f"date={BUILT_DRAFT_DAY}&format=weekly"  # the draft built from the hostile feeds
        urls += [f"{base}{path}{'&' if '?' in path else '?'}{built}" for path in DESK_PAGES]
        control = hostile_run.root / "control.html"  # proves the trap sees a vector that does run
        control.write_text("<p><img src=x onerror=alert(1)></p>", encoding="utf-8")
        try:
            page.goto(control.as_uri(), wait_until="load")
            page.wait_for_timeout(50)
            assert page.evaluate("window.__xss") == ["alert:1"]
            for url in urls:
                page.goto(url, wait_until="load")
                page.wait_for_timeout(30)  # onload/onerror/ontoggle handlers and lazy images get their turn
                ran += [f"{url}: {call}" for call in page.evaluate("window.__xss")]
        finally:
            browser.close()
    assert not ran, ran[:5]
    assert not dialogs, dialogs[:5]
    assert len(urls) > 20
