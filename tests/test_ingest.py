"""`jianbao fetch` through the real pipeline against a loopback server: every source kind, and the web's faults."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from _http import QuietHandler
from jianbao.cli import app
from jianbao.ingestion.extract import understand
from jianbao.ingestion.sources import parse_source
from jianbao.records import Source
from jianbao.store import open_store
from jianbao.store import schema as t

RESOURCES = Path(__file__).parent / "resources" / "sources"
MAX_BYTES = 2_000_000
HUGE = 100 * 1024 * 1024
runner = CliRunner()


def fixture(name: str) -> bytes:
    return (RESOURCES / name).read_bytes()


def generated_feed(name: str, count: int) -> bytes:
    items = "".join(
        f"<item><title>{name} story {i}</title><link>https://news.example.com/{name}/{i}</link>"
        f"<description>&lt;p&gt;Story {i} of {name}: a model, a paper and some code.&lt;/p&gt;</description>"
        f"<pubDate>Mon, 02 Mar 2026 0{i % 10}:00:00 GMT</pubDate></item>"
        for i in range(count)
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{name}</title>{items}</channel></rss>'.encode()


def gbk_page() -> bytes:
    html = (
        fixture("article_page.html").decode("utf-8").replace('<meta charset="utf-8">', '<meta charset="gbk">')
    )
    return html.replace("\xa9", "(c)").encode("gbk")


class Server:
    """Routes → (status, headers, body); faults by path. Records every request with its conditional headers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: defaultdict[str, int] = defaultdict(int)
        self.conditional: dict[str, tuple[str | None, str | None]] = {}
        self.base = ""
        self.static: dict[str, tuple[bytes, str, dict[str, str]]] = {
            "/feeds/rss.xml": (fixture("rss2.xml"), "application/rss+xml", {"ETag": '"rss-v1"'}),
            "/feeds/atom.xml": (
                fixture("atom.xml"),
                "application/atom+xml",
                {"Last-Modified": "Mon, 02 Mar 2026 08:00:00 GMT"},
            ),
            "/api/query": (fixture("arxiv_api.xml"), "application/atom+xml", {"ETag": '"arxiv"'}),
            "/hn/search_by_date": (fixture("algolia_search_by_date.json"), "application/json", {}),
            "/trending": (fixture("github_trending_daily.html"), "text/html; charset=utf-8", {}),
            "/article.html": (fixture("article_page.html"), "text/html; charset=utf-8", {}),
            "/blog/post-1.html": (fixture("article_page.html"), "text/html", {"ETag": '"post-1"'}),
            "/blog/post-2.html": (fixture("article_page.html"), "text/html", {"ETag": '"post-2"'}),
            "/gbk/feed.xml": (fixture("gbk.xml"), "text/xml", {}),  # no charset label: the XML declares GBK
            "/gbk/page.html": (gbk_page(), "text/html", {}),
            "/noarticle.html": (fixture("no_article_page.html"), "text/html", {}),
            "/malformed.xml": (fixture("malformed.xml"), "text/xml", {}),
            "/slow.xml": (generated_feed("slow", 5), "text/xml", {}),
            "/ratelimited.xml": (generated_feed("ratelimited", 4), "text/xml", {}),
            "/opml/a.xml": (generated_feed("opml-a", 3), "text/xml", {}),
            "/opml/b.xml": (generated_feed("opml-b", 2), "text/xml", {}),
        }

    def hit(self, path: str) -> int:
        with self.lock:
            self.hits[path] += 1
            return self.hits[path]


SERVER = Server()


class _Handler(QuietHandler):
    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        n = SERVER.hit(path)
        SERVER.conditional[path] = (self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"))
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
        if path == "/slow.xml":
            time.sleep(0.4)
        if path == "/timeout.xml":
            time.sleep(3)
            return self._send(200, generated_feed("timeout", 1))
        if path == "/ratelimited.xml" and n % 2 == 1:
            return self._send(429, b"slow down", {"Retry-After": "1"})
        if path == "/error.xml":
            return self._send(500, b"oops")
        if path == "/truncated.xml":
            body = generated_feed("truncated", 20)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 3])
            return None
        if path == "/huge.xml":
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.end_headers()  # no length: HTTP/1.0 close-delimited, produced lazily
            chunk = b"<!-- padding -->" * 4096
            with contextlib.suppress(OSError):
                for _ in range(HUGE // len(chunk)):
                    self.wfile.write(chunk)
            return None
        if path.startswith("/loop/"):
            target = "/loop/b" if path == "/loop/a" else "/loop/a"
            return self._send(302, b"", {"Location": SERVER.base + target})
        if path in SERVER.static:
            body, ctype, headers = SERVER.static[path]
            etag, since = SERVER.conditional[path]
            if (etag and etag == headers.get("ETag")) or (since and since == headers.get("Last-Modified")):
                return self._send(304, b"", headers)
            return self._send(200, body, {"Content-Type": ctype, **headers})
        return self._send(404, b"not here")


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 resets connections when twenty sources start at once
    daemon_threads = True


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    SERVER.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield SERVER.base
    server.shutdown()
    server.server_close()


GOOD = {
    # name: (path, kind, options)
    "rss": ("/feeds/rss.xml", "rss", {}),
    "atom": ("/feeds/atom.xml", "rss", {}),
    "arxiv": ("/api/query?search_query=cat:cs.CV&max_results=4", "arxiv", {}),
    "hn": ("/hn/search_by_date?query=AI&tags=story", "hackernews", {}),
    "trending": ("/trending", "github_trending", {}),
    "article": ("/article.html", "page", {}),
    "gbk-feed": ("/gbk/feed.xml", "rss", {}),
    "gbk-page": ("/gbk/page.html", "page", {}),
    "slow": ("/slow.xml", "rss", {}),
    "ratelimited": ("/ratelimited.xml", "rss", {}),
    "blog": (
        "/blog/post-1.html",
        "page",
        {"urls": ["/blog/post-1.html", "/blog/post-2.html", "/private/x.html"]},
    ),
}
BAD = {
    "timeout": ("/timeout.xml", "timeout"),
    "error500": ("/error.xml", "HTTP 500 after 2 attempts"),
    "truncated": ("/truncated.xml", "after 2 attempts"),
    "malformed": ("/malformed.xml", "malformed XML"),
    "huge": ("/huge.xml", "body larger than"),
    "loop": ("/loop/a", "redirect loop"),
    "noarticle": ("/noarticle.html", "no article found in page"),
    "gone": ("/missing.xml", "HTTP 404"),
}
NOT_RETRIED = {"malformed", "huge", "loop", "noarticle", "gone"}


def _toml_source(name: str, url: str, kind: str, options: dict[str, object]) -> str:
    lines = [f'[[sources]]\nname = "{name}"\nurl = "{url}"\nkind = "{kind}"']
    if options:
        urls = ", ".join(f'"{u}"' for u in options["urls"])  # type: ignore[union-attr]
        lines.append(f"options = {{ urls = [{urls}] }}")
    return "\n".join(lines) + "\n"


@pytest.fixture(params=[0, 2], ids=["in-process", "two-workers"])
def config(base: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """Parsing in the main process, and in two worker processes from the start: the same results."""
    parts = [
        f'[store]\nurl = "sqlite:///{tmp_path / "store.db"}"\n',
        f"[fetch]\ntimeout = 1.0\nretries = 1\nper_host = 16\nmax_bytes = {MAX_BYTES}\n"
        f"workers = {request.param}\n",
    ]
    for name, (path, kind, options) in GOOD.items():
        opts = {"urls": [base + u for u in options["urls"]]} if options else {}
        parts.append(_toml_source(name, base + path, kind, opts))
    for name, (path, _reason) in BAD.items():
        kind = "page" if path.endswith(".html") else "rss"
        parts.append(_toml_source(name, base + path, kind, {}))
    path = tmp_path / "jianbao.toml"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def expected_urls(base: str) -> dict[str, set[str]]:
    """Canonical URLs each good source should give, from parsing its bytes directly (no HTTP, no store)."""
    out: dict[str, set[str]] = {}
    for name, (path, kind, options) in GOOD.items():
        urls = [base + u for u in options.get("urls", [path])]  # type: ignore[union-attr]
        found: set[str] = set()
        for url in urls:
            route = urlsplit(url).path
            if route not in SERVER.static:
                continue  # robots.txt keeps us out
            source = Source(name=name, url=base + path, kind=kind)
            for entry in parse_source(source, SERVER.static[route][0], url=url).entries:
                found.add(understand(entry).canonical_url or entry.url)
        out[name] = found
    return out


def stored(db: Path) -> list[tuple[str, str]]:
    store = open_store(f"sqlite:///{db}")
    try:
        with store.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(t.entries.c.canonical_url, t.entries.c.source))]
    finally:
        store.close()


def failed_lines(output: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r"^failed: (\S+): (.*)$", output, re.MULTILINE)}


def test_every_kind_and_every_fault_through_the_real_pipeline(
    base: str, config: Path, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["fetch", "--config", str(config)])
    assert result.exit_code == 1, result.output  # some sources failed, and the exit status says so

    failures = failed_lines(result.output)
    assert set(failures) == set(BAD), result.output  # every bad one is named, no good one is
    for name, (_path, reason) in BAD.items():
        assert reason in failures[name], (name, failures[name])
        assert ("attempts" in failures[name]) == (name not in NOT_RETRIED), failures[name]
        assert not failures[name].startswith("source ")  # the line names the source once
        assert "\n" not in failures[name]
    assert "blocked by robots.txt" in result.output  # the page source's third URL: a warning, not a failure
    assert SERVER.hits["/private/x.html"] == 0

    # The store holds everything the good sources gave: each canonical URL exactly once.
    rows = stored(tmp_path / "store.db")
    keys = [key for key, _source in rows]
    assert len(keys) == len(set(keys))
    expected = expected_urls(base)
    for name, urls in expected.items():
        assert urls, name
        assert urls <= set(keys), (name, urls - set(keys))
    assert set(keys) == set().union(*expected.values())

    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        with store.engine.connect() as conn:
            titles = conn.execute(
                select(t.entries.c.source, t.entries.c.title).where(
                    t.entries.c.source.in_(["gbk-feed", "gbk-page"])
                )
            ).all()
        assert {s for s, _ in titles} == {"gbk-feed", "gbk-page"}
        assert all("\ufffd" not in title and re.search(r"[\u4e00-\u9fff]", title) for _, title in titles)
        sources = {s.name: s for s in store.list_sources()}
        assert sources["rss"].etag == '"rss-v1"' and sources["atom"].last_modified
        assert sources["blog"].etag == '"post-1"'  # validators of the FIRST request of the source
        assert sources["timeout"].failures == 1 and "timeout" in (sources["timeout"].last_error or "")
        assert all(sources[n].failures == 0 and sources[n].last_success for n in GOOD)
        with store.engine.connect() as conn:
            log = conn.execute(select(t.fetch_log)).mappings().all()
    finally:
        store.close()
    by_url: defaultdict[str, list[dict]] = defaultdict(list)
    for row in log:
        by_url[urlsplit(row["url"]).path].append(dict(row))
    assert [r["status"] for r in by_url["/error.xml"]] == [500, 500]
    assert [r["status"] for r in by_url["/ratelimited.xml"]] == [429, 200]
    # No bad source held the run: the one that never answers in time was cut by the read timeout, twice,
    # and the huge one abandoned early, once (below); the fetch tests check the waits between attempts.
    assert len(by_url["/timeout.xml"]) == 2 and all("timeout" in r["error"] for r in by_url["/timeout.xml"])
    huge = by_url["/huge.xml"]
    assert len(huge) == 1 and MAX_BYTES < huge[0]["bytes"] < 3 * MAX_BYTES  # abandoned early, not retried
    assert by_url["/private/x.html"][0]["error"] == "blocked by robots.txt"
    ok = by_url["/feeds/rss.xml"][0]
    assert (
        ok["source"] == "rss"
        and ok["status"] == 200
        and ok["bytes"] == len(SERVER.static["/feeds/rss.xml"][0])
    )
    assert all(r["started_at"] is not None and r["elapsed"] >= 0 for r in log)

    # Second run: conditional GETs give 304s, shown in the table; nothing is duplicated or lost.
    again = runner.invoke(
        app,
        [
            "fetch",
            "--config",
            str(config),
            "--source",
            "rss",
            "--source",
            "atom",
            "--source",
            "slow",
            "--source",
            "malformed",
        ],
    )
    assert again.exit_code == 1
    assert SERVER.conditional["/feeds/rss.xml"][0] == '"rss-v1"'
    assert SERVER.conditional["/feeds/atom.xml"][1] == "Mon, 02 Mar 2026 08:00:00 GMT"
    table_rows = {
        line.split("│")[1].strip(): line for line in again.stdout.splitlines() if line.count("│") > 3
    }
    assert "304" in table_rows["rss"] and "304" in table_rows["atom"] and "304" not in table_rows["slow"]
    assert set(failed_lines(again.output)) == {"malformed"}
    assert sorted(stored(tmp_path / "store.db")) == sorted(rows)


def test_opml_import_then_fetch(base: str, tmp_path: Path) -> None:
    config = tmp_path / "jianbao.toml"
    config.write_text(
        f'[store]\nurl = "sqlite:///{tmp_path / "s.db"}"\n[fetch]\ntimeout = 1.0\nretries = 0\n'
    )
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        f'<outline text="A" type="rss" xmlUrl="{base}/opml/a.xml"/>'
        f'<outline text="B" type="rss" xmlUrl="{base}/opml/b.xml"/></body></opml>',
        encoding="utf-8",
    )
    imported = runner.invoke(app, ["sources", "import-opml", str(opml), "--config", str(config)])
    assert imported.exit_code == 0, imported.output
    fetched = runner.invoke(app, ["fetch", "--config", str(config)])
    assert fetched.exit_code == 0, fetched.output
    keys = sorted(key for key, _ in stored(tmp_path / "s.db"))
    assert keys == sorted(
        [f"https://news.example.com/opml-a/{i}" for i in range(3)]
        + [f"https://news.example.com/opml-b/{i}" for i in range(2)]
    )
