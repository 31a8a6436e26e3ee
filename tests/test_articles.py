"""An aggregator's linked articles fetched at ingest over loopback (ingestion/articles.py): the item's text
comes from the article, fetched once, politely, and never from a private address unless allowed."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from _http import QuietHandler
from jianbao.config import Config
from jianbao.ingestion.runner import ingest
from jianbao.records import Source
from jianbao.store import Store, open_store
from jianbao.urls import canonical_url

ARTICLE = (Path(__file__).parent / "resources" / "sources" / "article_page.html").read_bytes()


def feed(base: str, points: int) -> bytes:
    items = [
        ("TinyDet: a 1M-parameter detector runs on phones", f"{base}/tinydet"),
        ("Local LLMs are now good enough for code review", f"{base}/gone"),
        ("Why I Write (1946)", f"{base}/essay"),
    ]
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><pubDate>Mon, 09 Mar 2026 0{n}:00:00 +0000</pubDate>"
        f"<comments>https://news.ycombinator.com/item?id=4200000{n}</comments>"
        f"<description><![CDATA[Score: {points + n} Comments: 12 By: carol Discussion: "
        f"https://news.ycombinator.com/item?id=4200000{n}]]></description></item>"
        for n, (title, link) in enumerate(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Hacker News: Best</title>{body}</channel></rss>'.encode()


class Site:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.points = 100
        self.base = ""


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(QuietHandler):
        def do_GET(self) -> None:
            state.hits[self.path] += 1
            if self.path == "/hn.xml":
                self._send(200, feed(state.base, state.points), {"Content-Type": "application/rss+xml"})
            elif self.path == "/tinydet":
                self._send(200, ARTICLE, {"Content-Type": "text/html; charset=utf-8"})
            elif self.path == "/robots.txt":
                self._send(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"})
            else:
                self._send(404, b"not here")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    st = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    yield st
    st.close()


def allow(url: str) -> None:
    """The loopback server is the test's whole internet."""


def test_linked_articles_are_fetched_once_and_become_the_entries_text(site: Site, store: Store) -> None:
    source = Source(name="hn", url=f"{site.base}/hn.xml")
    store.sync_sources([source])
    report = ingest(store, [source], config=Config(), article_guard=allow)
    keys = [canonical_url(f"{site.base}/{path}") for path in ("tinydet", "gone", "essay")]
    stored = {e.title: e for e in store.entries_by_keys(keys).values()}
    tiny = stored["TinyDet: a 1M-parameter detector runs on phones"]
    assert "TinyDet" in tiny.content and "Score:" not in tiny.content + tiny.summary
    assert tiny.extra["article"]["fetched"] and tiny.extra["points"] == 100 and tiny.language == "zh"
    assert any(link.key == "arxiv:2603.01234" for link in tiny.links)  # the article's own links
    gone = stored["Local LLMs are now good enough for code review"]
    assert gone.content == "" and gone.extra["article"]["failed"].startswith("HTTP 404")
    assert any("/gone" in p for p in report.sources[0].problems)
    assert site.hits["/essay"] == 1  # every linked article by default: a vague headline needs its text
    site.points = 180  # the feed changes (points), the articles do not: the stored text is reused
    ingest(store, [source], config=Config(), article_guard=allow)
    assert site.hits["/tinydet"] == 1 and site.hits["/gone"] == 1  # a failure waits a day
    again = store.entries_by_keys(keys)[keys[0]]
    assert again.extra["points"] == 180 and "TinyDet" in again.content


def test_private_addresses_are_refused_by_default_and_the_source_can_opt_out(
    site: Site, store: Store
) -> None:
    source = Source(name="hn", url=f"{site.base}/hn.xml")
    store.sync_sources([source])
    report = ingest(store, [source], config=Config())  # the default guard: check_public_url
    assert site.hits["/tinydet"] == 0
    refused = [p for p in report.sources[0].problems if "refusing a private or loopback address" in p]
    assert refused and all(p.count(f"{site.base}/") == 1 for p in refused)  # the address named once
    quiet = Source(name="hn2", url=f"{site.base}/hn.xml", options={"articles": "none"})
    store.sync_sources([quiet])
    ingest(store, [quiet], config=Config(), article_guard=allow)
    assert site.hits["/tinydet"] == 0
    topical = Source(name="hn3", url=f"{site.base}/hn.xml", options={"articles": "topical"})
    store.sync_sources([topical])
    ingest(store, [topical], config=Config(), article_guard=allow)
    assert (
        site.hits["/gone"] == 1 and site.hits["/tinydet"] == site.hits["/essay"] == 0
    )  # only "LLMs" matched


def test_a_local_snapshot_never_reaches_the_network(tmp_path: Path, site: Site, store: Store) -> None:
    path = tmp_path / "hn.xml"
    path.write_bytes(feed(site.base, 100))
    source = Source(name="hn", url=str(path))
    store.sync_sources([source])
    ingest(store, [source], config=Config(), article_guard=allow)
    assert sum(site.hits.values()) == 0 and store.count_entries() == 3
