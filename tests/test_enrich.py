"""Tests for jianbao.ingestion.enrich against a real threaded HTTP server on 127.0.0.1 speaking arXiv, GitHub and Gitee."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

from _clock import RecordingClock
from jianbao.config import EnrichSettings
from jianbao.ingestion.enrich import (
    apply_meta,
    apply_stored_meta,
    enrich,
    enrich_links,
    get_link_meta,
    put_link_meta,
)
from jianbao.ingestion.fetch import FetchSettings
from jianbao.records import Entry, Item, Link
from jianbao.render.markdown import link_line
from jianbao.store import Store, open_store

PAPERS: dict[str, dict[str, Any]] = {
    "2106.04560": {
        "version": 2,
        "title": "Scaling Vision Transformers",
        "authors": ["Xiaohua Zhai", "Alexander Kolesnikov"],
        "summary": "Attention-based neural networks such as the Vision Transformer...",
        "comment": "Accepted at CVPR 2022",
        "journal_ref": "CVPR 2022",
        "category": "cs.CV",
    },
    "2101.00001": {
        "version": 3,
        "title": "A Paper We Took Back",
        "authors": ["Some One"],
        "summary": "Withdrawn.",
        "comment": "This paper has been withdrawn by the author due to an error",
        "journal_ref": None,
        "category": "cs.LG",
    },
}
for _n in range(120):
    PAPERS[f"2201.{_n:05d}"] = {
        "version": 1,
        "title": f"Paper number {_n}",
        "authors": ["A. Author"],
        "summary": "s",
        "comment": None,
        "journal_ref": None,
        "category": "cs.AI",
    }


@dataclass
class State:
    """What the fake APIs hold and what they saw; tests change it between runs."""

    repos: dict[str, dict[str, Any]] = field(default_factory=dict)
    gitee: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    quota: int = 5000  # GitHub requests left; 304s do not count
    arxiv_malformed: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self, prefix: str) -> list[str]:
        return [p for p, _ in self.requests if p.startswith(prefix)]


def _atom(ids: list[str]) -> bytes:
    entries = []
    for arxiv_id in ids:
        if not arxiv_id[:4].isdigit():
            entries.append(
                f"<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_{arxiv_id}</id><title>Error</title>"
                f"<summary>incorrect id format for {arxiv_id}</summary><updated>2026-11-23T00:00:00-05:00</updated>"
                "<link href='http://arxiv.org/api/errors' rel='alternate' type='text/html'/>"
                "<author><name>arXiv api core</name></author></entry>"
            )
            continue
        paper = PAPERS.get(arxiv_id)
        if paper is None:  # the API's answer for a well-formed id it does not know
            entries.append(
                f"<entry><id>http://arxiv.org/abs/{arxiv_id}</id><title></title><summary></summary></entry>"
            )
            continue
        v = paper["version"]
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in paper["authors"])
        extra = ""
        if paper["comment"]:
            extra += f"<arxiv:comment>{escape(paper['comment'])}</arxiv:comment>"
        if paper["journal_ref"]:
            extra += f"<arxiv:journal_ref>{escape(paper['journal_ref'])}</arxiv:journal_ref>"
        entries.append(
            f"<entry><id>http://arxiv.org/abs/{arxiv_id}v{v}</id>"
            "<updated>2022-06-20T17:58:01Z</updated><published>2021-06-08T17:47:39Z</published>"
            f"<title>{escape(paper['title'])}</title><summary>  {escape(paper['summary'])}\n</summary>"
            f"{authors}{extra}"
            f"<link href='http://arxiv.org/abs/{arxiv_id}v{v}' rel='alternate' type='text/html'/>"
            f"<link title='pdf' href='http://arxiv.org/pdf/{arxiv_id}v{v}' rel='related' type='application/pdf'/>"
            f"<arxiv:primary_category xmlns:arxiv='http://arxiv.org/schemas/atom' term='{paper['category']}' "
            "scheme='http://arxiv.org/schemas/atom'/>"
            f"<category term='{paper['category']}' scheme='http://arxiv.org/schemas/atom'/></entry>"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:opensearch='http://a9.com/-/spec/opensearch/1.1/' "
        "xmlns:arxiv='http://arxiv.org/schemas/atom'>"
        f"<title type='html'>ArXiv Query: id_list={','.join(ids)}</title>"
        f"<opensearch:totalResults>{len(ids)}</opensearch:totalResults>" + "".join(entries) + "</feed>"
    ).encode()


_CITATION_PAGE = """<html><head><title>OpenReview</title>
<meta name="citation_title" content="Flash  Attention: Fast and Memory-Efficient Exact Attention">
<meta name="citation_author" content="Tri Dao"><meta name="citation_author" content="Daniel Y. Fu">
<meta name="citation_conference_title" content="Advances in Neural Information Processing Systems">
<meta name="citation_publication_date" content="2022/10/31">
</head><body>paper</body></html>"""
_OG_PAGE = "<html><head><meta property='og:title' content='Only an OG Title'></head><body>x</body></html>"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # one segment per answer: no Nagle/delayed-ACK stall on loopback
    state: State

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        st = type(self).state
        parts = urlsplit(self.path)
        with st.lock:
            st.requests.append((self.path, dict(self.headers.items())))
        if parts.path == "/api/query":
            ids = parse_qs(parts.query)["id_list"][0].split(",")
            body = b"<html>Service temporarily unavailable" if st.arxiv_malformed else _atom(ids)
            self._send(200, body, "application/atom+xml; charset=utf-8")
        elif parts.path.startswith("/repos/"):
            self._github(st, parts.path.removeprefix("/repos/"))
        elif parts.path.startswith("/api/v5/repos/"):
            repo = st.gitee.get(parts.path.removeprefix("/api/v5/repos/"))
            if repo is None:
                self._send(404, b'{"message":"Not Found Project"}', "application/json")
            else:
                self._send(200, json.dumps(repo).encode(), "application/json")
        elif parts.path == "/forum":
            self._send(200, _CITATION_PAGE.encode(), "text/html; charset=utf-8")
        elif parts.path == "/og":
            self._send(200, _OG_PAGE.encode(), "text/html")
        elif parts.path == "/empty":
            self._send(200, b"<html><body>nothing</body></html>", "text/html")
        else:
            self._send(404, b"not found", "text/plain")

    def _github(self, st: State, name: str) -> None:
        reset = str(int(time.time()) + 37 * 60)
        if name == "busy/repo":
            self._send(429, b'{"message":"slow down"}', "application/json", {"Retry-After": "120"})
            return
        with st.lock:
            if st.quota <= 0:
                rate = {
                    "X-RateLimit-Limit": "60",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": reset,
                    "X-RateLimit-Used": "60",
                }
                body = b'{"message":"API rate limit exceeded for 127.0.0.1."}'
                self._send(403, body, "application/json", rate)
                return
        repo = st.repos.get(name)
        if repo is None:
            with st.lock:
                st.quota -= 1
            self._send(404, b'{"message":"Not Found"}', "application/json")
            return
        body = b"{not json" if name == "broken/repo" else json.dumps(repo).encode()
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        with st.lock:
            if self.headers.get("If-None-Match") == etag:
                remaining = st.quota  # conditional requests that match are free
                status = 304
            else:
                st.quota -= 1
                remaining, status = st.quota, 200
        rate = {
            "ETag": etag,
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": reset,
            "X-RateLimit-Used": str(5000 - remaining),
        }
        if status == 304:
            self.send_response(304)
            for k, v in rate.items():
                self.send_header(k, v)
            self.end_headers()
        else:
            self._send(200, body, "application/json; charset=utf-8", rate)


def _repo(full_name: str, stars: int, **extra: Any) -> dict[str, Any]:
    data = {
        "id": 1,
        "name": full_name.split("/")[1],
        "full_name": full_name,
        "private": False,
        "html_url": f"https://github.com/{full_name}",
        "description": "A fast thing",
        "fork": False,
        "stargazers_count": stars,
        "watchers_count": stars,
        "forks_count": 321,
        "language": "Python",
        "license": {"key": "apache-2.0", "name": "Apache License 2.0", "spdx_id": "Apache-2.0"},
        "topics": ["deep-learning", "llm"],
        "pushed_at": "2026-11-20T08:00:00Z",
        "archived": False,
    }
    data.update(extra)
    return data


@pytest.fixture
def server() -> Iterator[tuple[str, State]]:
    state = State()
    handler = type("Handler", (_Handler,), {"state": state})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def store(any_store: Store) -> Store:
    return any_store  # SQLite and PostgreSQL (conftest)


def _settings(base: str, **overrides: Any) -> EnrichSettings:
    values: dict[str, Any] = dict(
        arxiv_base=base,
        github_api=base,
        gitee_api=base,
        arxiv_delay=0.0,
        github_token_env="JIANBAO_TEST_GITHUB_TOKEN",
    )
    values.update(overrides)
    return EnrichSettings(**values)


# quick retries; timeouts a loaded machine's loopback answers well within (no test here waits one out)
FAST = FetchSettings(
    connect_timeout=10.0,
    read_timeout=30.0,
    total_timeout=60.0,
    retries=1,
    backoff_base=0.01,
    backoff_max=0.05,
    trust_env=False,
)


def _entry(n: int, links: list[Link]) -> Entry:
    return Entry(
        source="test",
        url=f"https://example.com/{n}",
        title=f"entry {n}",
        published=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
        links=links,
    )


def _paper(arxiv_id: str) -> Link:
    return Link(url=f"https://arxiv.org/abs/{arxiv_id}", kind="paper", key=f"arxiv:{arxiv_id}")


def _code(name: str, host: str = "github") -> Link:
    return Link(url=f"https://{host}.com/{name}", kind="code", key=f"{host}:{name}")


def test_arxiv_batched_with_withdrawn_unknown_and_bad_ids(server: tuple[str, State], store: Store) -> None:
    base, state = server
    ids = ["2106.04560", "2101.00001", "2999.99999", *[f"2201.{n:05d}" for n in range(40)]]
    store.upsert_entries([_entry(1, [_paper(i) for i in ids] + [_paper("bad-id")])])
    report = enrich(store, settings=_settings(base, arxiv_batch=50), fetch_settings=FAST)

    assert len(state.paths("/api/query")) == 1  # 44 ids, one request
    metas = get_link_meta(store, [f"arxiv:{i}" for i in [*ids, "bad-id"]])
    vit = metas["arxiv:2106.04560"]
    assert vit.state == "ok"
    assert vit.data["title"] == "Scaling Vision Transformers"
    assert vit.data["authors"] == ["Xiaohua Zhai", "Alexander Kolesnikov"]
    assert vit.data["category"] == "cs.CV"
    assert vit.data["version"] == 2
    assert vit.data["published"] == "2021-06-08T17:47:39Z"
    assert vit.data["updated"] == "2022-06-20T17:58:01Z"
    assert vit.data["comment"] == "Accepted at CVPR 2022"
    assert vit.data["journal_ref"] == "CVPR 2022"
    assert vit.data["pdf"] == "http://arxiv.org/pdf/2106.04560v2"
    assert vit.data["withdrawn"] is False
    assert metas["arxiv:2101.00001"].data["withdrawn"] is True
    assert metas["arxiv:2999.99999"].state == "missing"
    assert metas["arxiv:bad-id"].state == "failed"
    assert "incorrect id format" in (metas["arxiv:bad-id"].error or "")
    assert report.kinds["arxiv"].fetched == 42 and report.failed == 2 and report.requests == 1


def test_arxiv_batches_split_at_the_configured_size(server: tuple[str, State], store: Store) -> None:
    base, state = server
    store.upsert_entries([_entry(1, [_paper(f"2201.{n:05d}") for n in range(120)])])
    report = enrich(store, settings=_settings(base, arxiv_batch=50), fetch_settings=FAST)
    queries = state.paths("/api/query")
    assert len(queries) == 3
    assert all("max_results=" in q for q in queries)
    assert report.kinds["arxiv"].fetched == 120


def test_arxiv_requests_are_paced_by_arxiv_delay(server: tuple[str, State], store: Store) -> None:
    base, state = server
    store.upsert_entries([_entry(1, [_paper(f"2201.{n:05d}") for n in range(30)])])
    clock = RecordingClock()
    enrich(store, settings=_settings(base, arxiv_batch=10, arxiv_delay=0.15), fetch_settings=FAST, clock=clock)
    assert len(state.paths("/api/query")) == 3
    assert clock.slept == [pytest.approx(0.15), pytest.approx(0.15)]  # two waits between three requests


def test_freshness_second_run_makes_no_request_and_stale_only_refreshes_stale(
    server: tuple[str, State], store: Store
) -> None:
    base, state = server
    state.repos = {"a/one": _repo("a/one", 10), "b/two": _repo("b/two", 20)}
    store.upsert_entries([_entry(1, [_paper("2106.04560"), _code("a/one"), _code("b/two")])])
    settings = _settings(base)
    first = enrich(store, settings=settings, fetch_settings=FAST)
    assert first.fetched == 3 and first.requests == 3

    state.requests.clear()
    second = enrich(store, settings=settings, fetch_settings=FAST)
    assert state.requests == []
    assert second.fresh == 3 and second.fetched == 0 and second.requests == 0

    # Age one repo past its day, and add a key never looked up: --stale asks only for the stale one.
    old = get_link_meta(store, ["github:a/one"])["github:a/one"]
    old.fetched_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    put_link_meta(store, [old])
    store.upsert_entries([_entry(2, [_code("c/new")])])
    third = enrich(store, settings=settings, fetch_settings=FAST, stale_only=True)
    assert state.paths("/repos/") == ["/repos/a/one"]
    assert third.fetched == 1 and third.fresh == 2


def test_etag_304_keeps_data_refreshes_time_and_costs_no_quota(
    server: tuple[str, State], store: Store
) -> None:
    base, state = server
    state.repos = {"a/one": _repo("a/one", 12345)}
    store.upsert_entries([_entry(1, [_code("a/one")])])
    enrich(store, settings=_settings(base), fetch_settings=FAST)
    before = get_link_meta(store, ["github:a/one"])["github:a/one"]
    quota = state.quota

    report = enrich(store, settings=_settings(base, repo_days=0), fetch_settings=FAST)
    after = get_link_meta(store, ["github:a/one"])["github:a/one"]
    _path, headers = state.requests[-1]
    assert headers.get("If-None-Match") == before.etag
    assert report.kinds["github"].not_modified == 1
    assert after.data == before.data and after.data["stars"] == 12345
    assert (
        after.fetched_at is not None
        and before.fetched_at is not None
        and after.fetched_at > before.fetched_at
    )
    assert state.quota == quota


def test_github_fields_token_and_stars_gained_across_two_looks(
    server: tuple[str, State], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, state = server
    monkeypatch.setenv("JIANBAO_TEST_GITHUB_TOKEN", "t0ken")
    state.repos = {"owner/repo": _repo("Owner/Repo", 12300, archived=True)}
    store.upsert_entries([_entry(1, [_code("owner/repo")])])
    enrich(store, settings=_settings(base), fetch_settings=FAST)
    _, headers = state.requests[-1]
    assert headers["Authorization"] == "Bearer t0ken"
    assert headers["Accept"] == "application/vnd.github+json"
    assert headers["X-GitHub-Api-Version"] == "2022-11-28"
    first = get_link_meta(store, ["github:owner/repo"])["github:owner/repo"]
    assert first.data["stars"] == 12300 and first.data["stars_gained"] is None
    assert first.data["license"] == "Apache-2.0" and first.data["language"] == "Python"
    assert first.data["topics"] == ["deep-learning", "llm"] and first.data["archived"] is True
    assert first.data["forks"] == 321 and first.data["html_url"] == "https://github.com/Owner/Repo"

    state.repos["owner/repo"]["stargazers_count"] = 12345
    enrich(store, settings=_settings(base, repo_days=0), fetch_settings=FAST)
    second = get_link_meta(store, ["github:owner/repo"])["github:owner/repo"]
    assert second.data["stars"] == 12345
    assert second.data["stars_gained"] == 45
    assert second.data["stars_prev"] == 12300
    assert first.fetched_at is not None and second.data["stars_prev_at"] == first.fetched_at.isoformat()


def test_github_rate_limit_stops_github_only(server: tuple[str, State], store: Store) -> None:
    base, state = server
    state.quota = 0
    state.repos = {f"o/r{n}": _repo(f"o/r{n}", n) for n in range(10)}
    store.upsert_entries([_entry(1, [_code(f"o/r{n}") for n in range(10)] + [_paper("2106.04560")])])
    report = enrich(store, settings=_settings(base, api_concurrency=2), fetch_settings=FAST)

    github = report.kinds["github"]
    assert github.skipped_rate_limited == 10 and github.fetched == 0
    assert len(state.paths("/repos/")) <= 2  # only what was already in flight
    assert report.kinds["arxiv"].fetched == 1
    assert len(report.notes) == 1
    assert report.notes[0].startswith("github: rate limit reached; resets at ")
    assert report.notes[0].endswith("UTC (in 37 min)") or report.notes[0].endswith("UTC (in 36 min)")
    stored = get_link_meta(store, [f"github:o/r{n}" for n in range(10)])
    assert stored == {}  # nothing recorded: the next run asks again


def test_last_request_of_the_quota_is_kept_then_kind_stops(server: tuple[str, State], store: Store) -> None:
    base, state = server
    state.quota = 1
    state.repos = {f"o/r{n}": _repo(f"o/r{n}", n) for n in range(5)}
    store.upsert_entries([_entry(1, [_code(f"o/r{n}") for n in range(5)])])
    report = enrich(store, settings=_settings(base, api_concurrency=1), fetch_settings=FAST)
    assert report.kinds["github"].fetched == 1
    assert report.kinds["github"].skipped_rate_limited == 4
    assert len(state.paths("/repos/")) == 1


def test_429_with_retry_after_stops_without_retrying(server: tuple[str, State], store: Store) -> None:
    base, state = server
    store.upsert_entries([_entry(1, [_code("busy/repo")])])
    report = enrich(store, settings=_settings(base), fetch_settings=FAST)
    assert len(state.paths("/repos/")) == 1
    assert report.kinds["github"].skipped_rate_limited == 1
    assert "(in 2 min)" in report.notes[0]


def test_404_is_a_negative_cache_and_malformed_body_fails_without_crash(
    server: tuple[str, State], store: Store
) -> None:
    base, state = server
    state.repos = {"broken/repo": _repo("broken/repo", 1)}
    store.upsert_entries([_entry(1, [_code("gone/repo"), _code("broken/repo")])])
    report = enrich(store, settings=_settings(base), fetch_settings=FAST)
    metas = get_link_meta(store, ["github:gone/repo", "github:broken/repo"])
    assert metas["github:gone/repo"].state == "missing" and metas["github:gone/repo"].status == 404
    assert metas["github:broken/repo"].state == "failed"
    assert "malformed JSON" in (metas["github:broken/repo"].error or "")
    assert report.kinds["github"].missing == 1 and report.kinds["github"].failed == 1

    state.requests.clear()
    again = enrich(store, settings=_settings(base), fetch_settings=FAST)
    assert state.requests == [] and again.fresh == 2
    state.requests.clear()
    enrich(store, settings=_settings(base, failed_days=0), fetch_settings=FAST)
    assert sorted(state.paths("/repos/")) == ["/repos/broken/repo", "/repos/gone/repo"]


def test_malformed_arxiv_answer_fails_the_batch_and_keeps_old_data(
    server: tuple[str, State], store: Store
) -> None:
    base, state = server
    store.upsert_entries([_entry(1, [_paper("2106.04560")])])
    enrich(store, settings=_settings(base), fetch_settings=FAST)
    state.arxiv_malformed = True
    report = enrich(store, settings=_settings(base, paper_days=0), fetch_settings=FAST)
    meta = get_link_meta(store, ["arxiv:2106.04560"])["arxiv:2106.04560"]
    assert report.kinds["arxiv"].failed == 1
    assert meta.state == "failed" and "malformed answer" in (meta.error or "")
    assert meta.data["title"] == "Scaling Vision Transformers"  # the last good data still renders


def test_gitee_and_citation_pages(server: tuple[str, State], store: Store) -> None:
    base, state = server
    state.gitee = {
        "mindspore/mindspore": {
            "full_name": "mindspore/mindspore",
            "human_name": "MindSpore/mindspore",
            "stargazers_count": 4321,
            "forks_count": 2000,
            "description": "全场景AI框架",
            "language": "C++",
            "license": "Apache-2.0",
            "pushed_at": "2026-11-22T10:00:00+08:00",
            "html_url": "https://gitee.com/mindspore/mindspore",
        }
    }
    links = [
        _code("mindspore/mindspore", host="gitee"),
        Link(url=f"{base}/forum?id=H4DqfPSibmx", kind="paper", key="openreview:H4DqfPSibmx"),
        Link(url=f"{base}/og", kind="paper", key="doi:10.1038/og"),
        Link(url=f"{base}/empty", kind="paper", key="acl:2022.acl-long.1"),
    ]
    store.upsert_entries([_entry(1, links)])
    report = enrich(store, settings=_settings(base), fetch_settings=FAST)
    metas = get_link_meta(store, [link.key for link in links if link.key])
    gitee = metas["gitee:mindspore/mindspore"].data
    assert (
        gitee["stars"] == 4321 and gitee["license"] == "Apache-2.0" and gitee["description"] == "全场景AI框架"
    )
    paper = metas["openreview:H4DqfPSibmx"].data
    assert paper["title"] == "Flash Attention: Fast and Memory-Efficient Exact Attention"
    assert paper["authors"] == ["Tri Dao", "Daniel Y. Fu"]
    assert paper["venue"] == "Advances in Neural Information Processing Systems"
    assert paper["date"] == "2022/10/31"
    assert metas["doi:10.1038/og"].data["title"] == "Only an OG Title"
    assert metas["acl:2022.acl-long.1"].state == "failed"
    assert report.kinds["citation"].fetched == 2 and report.kinds["gitee"].fetched == 1
    assert "/robots.txt" in state.paths("/robots.txt")  # page fetches ask robots.txt first


def test_renderers_show_real_title_and_stars_after_enrichment(
    server: tuple[str, State], store: Store
) -> None:
    base, state = server
    state.repos = {"owner/repo": _repo("owner/repo", 12300)}
    paper, code = _paper("2106.04560"), _code("owner/repo")
    store.upsert_entries([_entry(1, [paper, code])])
    entries = store.entries_between(
        dt.datetime(2026, 11, 1, tzinfo=dt.UTC), dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    )
    assert link_line(entries[0].links[0]) == "论文：https://arxiv.org/abs/2106.04560"

    report = enrich_links(store, entries, _settings(base), fetch_settings=FAST)
    assert report.fetched == 2
    assert apply_stored_meta(store, entries) == 2
    item = Item(
        title="t",
        links=[
            Link(url=paper.url, kind="paper", key=paper.key),
            Link(url=code.url, kind="code", key=code.key),
        ],
    )
    apply_meta([item], get_link_meta(store, [paper.key or "", code.key or ""]))
    lines = [link_line(link) for link in item.links]
    assert lines[0] == "论文：[Scaling Vision Transformers](https://arxiv.org/abs/2106.04560)"
    assert lines[1] == "代码：[owner/repo](https://github.com/owner/repo) ⭐ 12.3k"


def test_enrich_links_never_raises_when_the_server_is_gone(store: Store) -> None:
    dead = "http://127.0.0.1:9"  # discard port: nothing listens
    entries = [_entry(1, [_paper("2106.04560"), _code("a/b")])]
    report = enrich_links(store, entries, _settings(dead), fetch_settings=FAST)
    assert report.failed == 2
    assert any("lookups failed" in line for line in report.warnings())


def test_cli_enrich_with_config_pointing_at_loopback(server: tuple[str, State], tmp_path: Path) -> None:
    from jianbao.cli import app

    base, state = server
    state.repos = {"owner/repo": _repo("owner/repo", 12300)}
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with open_store(url) as st:
        st.upsert_entries([_entry(1, [_paper("2106.04560"), _code("owner/repo")])])
    config = tmp_path / "jianbao.toml"
    config.write_text(
        f'[enrich]\narxiv_base = "{base}"\ngithub_api = "{base}"\ngitee_api = "{base}"\narxiv_delay = 0.0\n'
        'github_token_env = "JIANBAO_TEST_GITHUB_TOKEN"\n[fetch]\nretries = 0\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    result = runner.invoke(app, ["enrich", "--config", str(config), "--store", url])
    assert result.exit_code == 0, result.output
    assert "github" in result.stdout and "arxiv" in result.stdout
    with open_store(url) as st:
        assert get_link_meta(st, ["github:owner/repo"])["github:owner/repo"].data["stars"] == 12300

    state.requests.clear()
    result = runner.invoke(
        app, ["enrich", "--kind", "github", "--stale", "--config", str(config), "--store", url]
    )
    assert result.exit_code == 0, result.output
    assert state.requests == []
    bad = runner.invoke(app, ["enrich", "--kind", "nope", "--config", str(config), "--store", url])
    assert bad.exit_code != 0


def test_citation_pages_found_in_content_go_through_the_fetch_boundary(
    server: tuple[str, State], store: Store
) -> None:
    """Issue 15: a paper link in an article is content. Its landing page is fetched only from a public address
    or the editor's configured origin (the API base here); another loopback port and the metadata address are
    refused before any connection, and the refusal is what the lookup reports."""
    base, _state = server
    other_port = base.rsplit(":", 1)[0] + ":9"
    links = [
        Link(url=f"{other_port}/paper", kind="paper", key="doi:10.1/loopback"),
        Link(url="http://169.254.169.254/latest/meta-data/", kind="paper", key="doi:10.1/metadata"),
        Link(url=f"{base}/forum?id=H4DqfPSibmx", kind="paper", key="openreview:H4DqfPSibmx"),
    ]
    store.upsert_entries([_entry(1, links)])
    enrich(store, settings=_settings(base), fetch_settings=FAST)
    metas = get_link_meta(store, [link.key for link in links if link.key])
    assert "private or loopback address" in (metas["doi:10.1/loopback"].error or "")
    assert "link-local or metadata address" in (metas["doi:10.1/metadata"].error or "")
    assert metas["openreview:H4DqfPSibmx"].state == "ok"  # the configured origin is still fetched
