"""Hostile input end to end (issue 15): the feeds and the XSS vector set of tests/resources/hostile/ go through
fetch (real HTTP over loopback), build, publish, the site and the desk. No traceback, no javascript:/vbscript:/
data: URL and no control character in any file written or page served; tests/test_hostile_browser.py opens the
same outputs in Chromium and checks that no script runs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from lxml import html as lxml_html

from _http import QuietHandler
from jianbao.archive.files import write_issue
from jianbao.archive.publish import publish_issue
from jianbao.archive.site import build_site
from jianbao.config import Config
from jianbao.editions import get_edition
from jianbao.ingestion.runner import ingest
from jianbao.issue.build import build
from jianbao.records import Intro, Issue, Item, Link, OtherLink, Section, Source, TrendingRow
from jianbao.store import open_store
from jianbao.web import create_app

HOSTILE = Path(__file__).parent / "resources" / "hostile"
DAY = dt.date(2026, 11, 20)
BUILT_DRAFT_DAY = dt.date(2026, 11, 21)  # a draft built from the feeds, left unpublished
SYNTHETIC_DAY = dt.date(2026, 11, 13)  # a week earlier: the synthetic issues of every vector live there
WHEN = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.UTC)

# What no output may hold: a script scheme (however spelt with spaces), a data: URL of any type, a control.
DANGEROUS = re.compile(r"(?i)(?:java|vb|live)\s*script\s*:|data\s*:\s*[a-z]+/[\w.+-]+[;,]")
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "background", "data", "srcdoc", "xlink:href")


def vectors() -> list[str]:
    """The XSS vector set, its \\xNN escapes turned into the characters they name."""
    lines = (HOSTILE / "xss-vectors.txt").read_text(encoding="utf-8").splitlines()
    return [
        re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), line)
        for line in lines
        if line and not line.startswith("#")
    ]


def _xml_text(text: str) -> str:
    """Text for an XML document: escaped, control characters written as (ill-formed) character references."""
    return CONTROLS.sub(lambda m: f"&#{ord(m.group(0))};", html.escape(text, quote=True).replace("\r", "&#13;"))


def vector_feed() -> bytes:
    """An RSS feed with one item per vector: in its title, body, image, link and enclosure."""
    items = []
    stamp = format_datetime(WHEN)
    for i, vector in enumerate(vectors()):
        body = f'{vector}<p>大模型开源 {vector}</p><img src="{vector}"><a href="{vector}">链接</a>'
        items.append(
            f"<item><title>{_xml_text(vector)} 开源模型 {i}</title><link>https://hostile.example/v/{i}</link>"
            f"<pubDate>{stamp}</pubDate><description>{_xml_text(body)}</description>"
            f'<enclosure url="{_xml_text(vector)}" type="image/png" length="1"/></item>'
            f"<item><title>链接本身是向量 {i}</title><link>{_xml_text(vector)}</link>"
            f"<pubDate>{stamp}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>向量</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode("utf-8")


def _files() -> dict[str, bytes]:
    stamp, iso = format_datetime(WHEN), WHEN.isoformat()
    found = {
        f"/{p.name}": p.read_bytes().replace(b"__DATE__", stamp.encode()).replace(b"__ISODATE__", iso.encode())
        for p in HOSTILE.iterdir()
        if p.suffix in (".rss", ".atom", ".json")
    }
    found["/atom-tricks.atom"] = found["/atom-tricks.atom"].replace(stamp.encode(), iso.encode())
    found["/vectors.rss"] = vector_feed()
    return found


class _Handler(QuietHandler):
    files: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        body = self.files.get(self.path.split("?", 1)[0])
        if body is None:
            self._send(404)
        else:
            self._send(200, body, {"Content-Type": "application/xml; charset=utf-8"})


def synthetic_issue(fmt: str) -> Issue:
    """An issue holding every vector in every field a renderer prints (what a careless LLM or editor could write)."""
    vs = vectors()
    items = [
        Item(
            title=v, url=v, source=v, section="AI 前沿" if fmt == "weekly" else "今日精选", number=n,
            tags=[v], summary=f"{v} [x]({v}) ![i]({v}) <img src=\"{v}\">", images=[v],
            links=[Link(url=v, kind="paper", label=v), Link(url="https://ok.example/p", kind="code", key="github:o/r")],
            also=[OtherLink(title=v, url=v, source=v)], priority="red" if fmt == "daily" else None,
            entity=v if fmt == "daily" else None, sources=[v],
        )
        for n, v in enumerate(vs, 1)
    ]
    issue = Issue(
        date=SYNTHETIC_DAY,
        format=fmt,
        title=" ".join(vs[:3]),
        sections=[Section(name=items[0].section, items=items)],
        other=[OtherLink(title=v, url=v, source=v) for v in vs],
        trending=[TrendingRow(repo=v, url=v, desc=v, stars=1) for v in vs[:10]],
        one_liner=" ".join(vs[:5]),
        insights=vs[:10],
        moments=" ".join(vs[:5]),
    )
    if fmt == "weekly":
        issue.intro = Intro(issue_date=f"{SYNTHETIC_DAY:%Y%m%d}", item_count=len(items), chars=1, read_minutes=(1, 1),
                            remark=vs[0])  # fmt: skip
    return issue


@dataclass
class Outputs:
    """Everything the run wrote or served: file path → text, desk page → HTML."""

    root: Path
    store_url: str
    config: Config
    files: dict[str, str] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _run(tmp: Path) -> Outputs:
    config = Config.model_validate(
        {
            "output": {"dir": str(tmp / "out"), "archive_dir": str(tmp / "archive"), "site_dir": str(tmp / "site"),
                       "formats": ["markdown", "wechat", "moments"]},
            "fetch": {"retries": 0, "timeout": 5.0, "workers": 0},
        }
    )  # fmt: skip
    _Handler.files = _files()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    names = {"/scheme-tricks.rss": "scheme", "/atom-tricks.atom": "atom", "/json-tricks.json": "json",
             "/vectors.rss": "vectors"}  # fmt: skip
    sources = [
        Source(name=name, url=f"{base}{path}", title=f'<script>alert("{name}")</script>{name}\x0e来源',
               region="中文圈" if name != "atom" else "国际")
        for path, name in names.items()
    ]  # fmt: skip
    store_url = f"sqlite:///{tmp / 'hostile.db'}"
    out = Outputs(root=tmp, store_url=store_url, config=config)
    try:
        with open_store(store_url) as store:
            store.sync_sources(sources)
            report = ingest(store, sources, config=config, now=WHEN)
            out.problems = [f"{r.name}: {p}" for r in report.sources for p in r.problems]
            assert not [r for r in report.sources if r.error], [(r.name, r.error) for r in report.sources]
            assert report.new > 80
            for fmt in ("weekly", "daily"):
                result = build(store, config, DAY, fmt, out_dir=tmp / "out")
                assert result.issue.items, result.warnings
                publish_issue(store, result.issue, config=config, site=False)
                synthetic = synthetic_issue(fmt)
                write_issue(synthetic, get_edition(fmt), tmp / "out", config.output.formats, config=config)
                publish_issue(store, synthetic, config=config, site=False)
            # Drafts the editor is still working on, for the desk (never on the site); the weekly's has a 其他
            # list of vectors, and each keeps a version in its history (the desk's history and undo pages).
            for fmt in ("daily", "weekly"):
                draft = dataclasses.replace(synthetic_issue(fmt), date=DAY - dt.timedelta(days=1))
                store.save_issue(draft, markdown=draft.title, note=vectors()[0])
            # A weekly draft built from the hostile feeds: the desk offers new text for its items.
            again = config.model_copy(update={"weekly": config.weekly.model_copy(update={"history_days": 0})})
            assert build(store, again, BUILT_DRAFT_DAY, "weekly", out_dir=tmp / "out").issue.items
            build_site(store, tmp / "site", config=config)
            out.pages = _desk_pages(config, store_url)
    finally:
        server.shutdown()
        server.server_close()
    for path in sorted(tmp.rglob("*")):
        if path.is_file() and path.parent.name != "__pycache__" and not path.name.startswith("hostile.db"):
            out.files[str(path.relative_to(tmp))] = path.read_bytes().decode("utf-8", errors="strict")
    return out


def _desk_pages(config: Config, store_url: str) -> dict[str, str]:
    app = create_app(config, store_url, today=lambda: DAY)
    pages = {}
    with TestClient(app, base_url="http://127.0.0.1") as client:
        pages["/"] = client.get("/").text  # the landing page: drafts, last run, the sources' health
        for fmt in ("weekly", "daily"):
            for day in (DAY, SYNTHETIC_DAY, DAY - dt.timedelta(days=1)):
                for path in DESK_PAGES:
                    url = f"{path}{'&' if '?' in path else '?'}date={day}&format={fmt}"
                    response = client.get(url)
                    # only the drafts keep a history: an issue built and published without the desk has no v1
                    allowed = (200, 409, 404) if "v=1" in path and day != DAY - dt.timedelta(days=1) else (200, 409)
                    assert response.status_code in allowed, (url, response.status_code, response.text[:300])
                    pages[url] = response.text
        # the built draft: its pages, the new text offered for its items and where their text comes from
        query = {"date": BUILT_DRAFT_DAY.isoformat(), "format": "weekly"}
        for path in DESK_PAGES:
            pages[f"{path}:built"] = client.get(path, params=query).text
        built, version = client.app.state.store.get_issue(f"weekly:{query['date']}")  # type: ignore[attr-defined]
        for index in range(min(3, len(built.items))):
            offered = client.post(
                "/propose",
                data={**query, "version": str(version), "index": str(index), "action": "regenerate"},
                headers={"X-CSRF-Token": client.cookies.get("jianbao_csrf") or ""},
            )
            assert offered.status_code == 200, offered.text[:300]
            pages[f"/propose?index={index}"] = offered.text
            explained = client.get("/explain", params={**query, "index": index})
            assert explained.status_code == 200, explained.text[:300]
            pages[f"/explain?index={index}"] = explained.text
    return pages


# Every desk page the hostile run opens, for each edition and date (the landing page "/" once).
DESK_PAGES = ("/candidates", "/draft", "/preview", "/history", "/history?v=1", "/archive?q=alert")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    return _run(tmp_path_factory.mktemp("hostile"))


def _attribute_urls(text: str, *, xml: bool) -> Iterator[tuple[str, str]]:
    try:
        tree = etree.fromstring(text.encode(), etree.XMLParser(recover=True)) if xml else lxml_html.fromstring(text)
    except (etree.XMLSyntaxError, etree.ParserError):
        return
    if tree is None:
        return
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local in URL_ATTRIBUTES or local.startswith("on") or (local == "content" and "url" in value.lower()):
                yield f"<{element.tag} {local}>", value


def _check(name: str, text: str) -> list[str]:
    """Why ``text`` (a file or a page) is not safe; empty when it is."""
    found = []
    if (m := CONTROLS.search(text)) is not None:
        found.append(f"{name}: control character {m.group(0)!r} at {m.start()}")
    if (m := DANGEROUS.search(text)) is not None:
        found.append(f"{name}: {text[max(0, m.start() - 40) : m.end() + 20]!r}")
    if name.endswith((".html", ".xml")) or not name.startswith(("out", "archive", "site")):
        for where, value in _attribute_urls(text, xml=name.endswith(".xml")):
            if where.split()[1].startswith("on"):
                found.append(f"{name}: event handler {where}={value!r}")
                continue
            plain = re.sub(r"[\s\x00-\x20]", "", html.unescape(value)).lower()
            if re.match(r"^[a-z][a-z0-9+.-]*:", plain) and not plain.startswith(("http:", "https:", "mailto:")):
                found.append(f"{name}: {where}={value!r}")
    return found


def test_hostile_input_goes_through_every_stage_without_a_traceback(
    hostile_run: Outputs, caplog: pytest.LogCaptureFixture
) -> None:
    assert hostile_run.files and hostile_run.pages
    # Entries whose own link is a script scheme or relative are reported and skipped, not stored.
    assert any("is not an http(s) URL; skipped" in p for p in hostile_run.problems)
    assert any("URLs dropped" in p for p in hostile_run.problems)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_no_output_file_holds_a_dangerous_url_or_a_control_character(hostile_run: Outputs) -> None:
    kinds = {Path(name).suffix for name in hostile_run.files}
    assert {".md", ".html", ".txt", ".json", ".xml", ".js"} <= kinds, kinds  # .json: the search index
    assert any(name.startswith("site/issues/") for name in hostile_run.files)
    assert any(name.startswith("archive/2026/AI早报") for name in hostile_run.files)
    problems = [p for name, text in hostile_run.files.items() for p in _check(name, text)]
    assert not problems, problems[:10]


def test_no_desk_page_holds_a_dangerous_url_or_a_control_character(hostile_run: Outputs) -> None:
    problems = [p for name, text in hostile_run.pages.items() for p in _check(name, text)]
    assert not problems, problems[:10]
    assert any("alert(1)" in text for text in hostile_run.pages.values())  # the text is shown, inert


def test_the_vectors_reach_the_outputs_as_text(hostile_run: Outputs) -> None:
    """The checks above would pass on empty files: the hostile text must be there, made harmless."""
    weekly = hostile_run.files[f"archive/2026/AI简报{SYNTHETIC_DAY:%Y%m%d}.md"]
    assert "&lt;script>alert(1)&lt;/script>" in weekly and "javascript：alert(1)" in weekly
    assert "](https://ok.example/outer)" in weekly  # a safe link survives its unsafe neighbour
    site_pages = [t for n, t in hostile_run.files.items() if n.startswith("site/issues/")]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in t for t in site_pages)


def test_the_draft_stays_off_the_site(hostile_run: Outputs) -> None:
    draft_day = DAY - dt.timedelta(days=1)
    assert not any(draft_day.isoformat() in name for name in hostile_run.files if name.startswith("site/"))


def test_store_keeps_nothing_unsafe(hostile_run: Outputs) -> None:
    with open_store(hostile_run.store_url) as store:
        entries = store.get_entries(list(range(1, store.count_entries() + 1)))
        issues = [store.get_issue(row["id"]) for row in store.list_issues()]
    assert entries and issues
    urls = [u for e in entries for u in (e.url, *e.images, *(link.url for link in e.links))]
    assert all(u.startswith(("http://", "https://")) and not CONTROLS.search(u) for u in urls)
    for got in issues:
        assert got is not None
        issue, _version = got
        for item in issue.items:
            assert item.url is None or item.url.startswith(("http://", "https://"))
            assert all(u.startswith(("http://", "https://")) for u in item.images)
