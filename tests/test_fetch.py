"""Tests for jianbao.ingestion.fetch against a real threaded HTTP server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import gzip
import socket
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import brotli
import pytest

from _clock import START, RecordingClock
from _http import QuietHandler
from jianbao.errors import FetchError
from jianbao.ingestion.fetch import (
    FetchRequest,
    FetchResult,
    FetchSettings,
    _backoff,
    _retry_after,
    check_public_url,
    decode_body,
    default_user_agent,
    fetch_all_sync,
    is_public_url,
)

FEED = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>AI</title></channel></rss>'
ETAG = '"feed-v1"'
LAST_MODIFIED = "Mon, 02 Mar 2026 08:00:00 GMT"
ZH = "<html><head><title>AI 简报</title></head><body><p>人工智能简报：本周，研究人员发布了新的大语言模型。</p></body></html>"
GBK = ZH.encode("gbk")
CHUNK = 64 * 1024
HUGE = 100 * 1024 * 1024


class _State:
    """Per-key counters shared by the handler threads, so tests do not interfere with each other."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: defaultdict[str, int] = defaultdict(int)
        self.in_flight: defaultdict[str, int] = defaultdict(int)
        self.max_in_flight: defaultdict[str, int] = defaultdict(int)
        self.sent: defaultdict[str, int] = defaultdict(int)
        self.user_agents: list[str] = []

    def hit(self, key: str) -> int:
        with self.lock:
            self.hits[key] += 1
            return self.hits[key]


STATE = _State()


class _Handler(QuietHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        key = query.get("key", path)
        with STATE.lock:
            STATE.user_agents.append(self.headers.get("User-Agent", ""))
        n = STATE.hit(key)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up on purpose
            self._route(path, query, key, n)

    def _route(self, path: str, query: dict[str, str], key: str, n: int) -> None:
        if path == "/feed":
            headers = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED, "Content-Type": "application/rss+xml"}
            if (
                self.headers.get("If-None-Match") == ETAG
                or self.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                self._send(304, headers={"ETag": ETAG, "Content-Length": "0"})
            else:
                self._send(200, FEED, headers)
        elif path == "/slow":
            time.sleep(float(query.get("s", "1")))
            self._send(200, b"late")
        elif path == "/dribble":  # bytes keep coming, so only the total deadline stops it
            self.send_response(200)
            self.send_header("Content-Length", "40")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.05)
        elif path == "/retry-after":
            if n == 1:
                self._send(429, b"slow down", {"Retry-After": query.get("after", "1")})
            else:
                self._send(200, b"welcome back", {"Content-Type": "text/plain; charset=utf-8"})
        elif path == "/flaky":
            self._send(500 if n <= 2 else 200, b"flaky" if n <= 2 else b"finally")
        elif path == "/always500":
            self._send(500, b"broken")
        elif path == "/missing":
            self._send(404, b"not here")
        elif path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"a" * 100)  # then the connection closes
        elif path == "/malformed.xml":
            self._send(200, b"<rss><channel><item><title>broken", {"Content-Type": "application/xml"})
        elif path == "/huge":
            self._stream_huge(key, declare_length=query.get("cl") == "1")
        elif path.startswith("/gbk/"):
            content_type = {
                "/gbk/labelled": "text/html; charset=gbk",
                "/gbk/unlabelled": "text/html",
                "/gbk/utf8-label": "text/html; charset=utf-8",
                "/gbk/latin1-label": "text/html; charset=ISO-8859-1",
            }[path]
            self._send(200, GBK, {"Content-Type": content_type})
        elif path == "/gzip":
            assert "gzip" in self.headers.get("Accept-Encoding", "")
            body = gzip.compress(ZH.encode("utf-8"))
            self._send(200, body, {"Content-Encoding": "gzip", "Content-Type": "text/html; charset=utf-8"})
        elif path == "/brotli":
            assert "br" in self.headers.get("Accept-Encoding", "")
            body = brotli.compress(ZH.encode("utf-8"))
            self._send(200, body, {"Content-Encoding": "br", "Content-Type": "text/html; charset=utf-8"})
        elif path == "/bomb":
            encoding = query["enc"]
            self._send(200, _bomb(encoding), {"Content-Encoding": encoding, "Content-Type": "text/plain"})
        elif path == "/deflate":
            body = zlib.compress(ZH.encode("utf-8"))
            self._send(200, body, {"Content-Encoding": "deflate", "Content-Type": "text/html; charset=utf-8"})
        elif path == "/loop/a":
            self._send(302, headers={"Location": "/loop/b"})
        elif path == "/loop/b":
            self._send(301, headers={"Location": "/loop/a"})
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            if left:
                self._send(302, headers={"Location": f"/chain/{left - 1}"})
            else:
                self._send(200, b"end of chain", {"Content-Type": "text/plain"})
        elif path == "/robots.txt":
            body = b"User-agent: *\nDisallow: /nobody\n\nUser-agent: jianbao\nDisallow: /private\n"
            self._send(200, body, {"Content-Type": "text/plain"})
        elif path in ("/private/page", "/public/page", "/nobody/page", "/redirect-to-private"):
            if path == "/redirect-to-private":
                self._send(302, headers={"Location": "/private/page"})
                return
            body = b"<html><head><title>No article here</title></head><body><nav>menu</nav></body></html>"
            self._send(200, body, {"Content-Type": "text/html; charset=utf-8"})
        elif path == "/concurrent":
            with STATE.lock:
                STATE.in_flight[key] += 1
                STATE.max_in_flight[key] = max(STATE.max_in_flight[key], STATE.in_flight[key])
            time.sleep(float(query.get("s", "0.1")))
            with STATE.lock:
                STATE.in_flight[key] -= 1
            self._send(200, b"ok")
        else:
            self._send(404, b"no route")

    def _stream_huge(self, key: str, *, declare_length: bool) -> None:
        """100 MB, produced one chunk at a time and never held in memory."""
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if declare_length:
            self.send_header("Content-Length", str(HUGE))
        self.end_headers()
        chunk = b"\0" * CHUNK
        for _ in range(HUGE // CHUNK):
            self.wfile.write(chunk)
            with STATE.lock:
                STATE.sent[key] += CHUNK


@functools.cache
def _bomb(encoding: str) -> bytes:
    """30 MB of zeros compressed to a few kilobytes, built 1 MB at a time."""
    zeros = b"\0" * (1024 * 1024)
    if encoding == "br":
        compressor = brotli.Compressor(quality=1)
        return b"".join(compressor.process(zeros) for _ in range(30)) + compressor.finish()
    deflater = zlib.compressobj(wbits=zlib.MAX_WBITS | 16 if encoding == "gzip" else zlib.MAX_WBITS)
    return b"".join(deflater.compress(zeros) for _ in range(30)) + deflater.flush()


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fast(**overrides: object) -> FetchSettings:
    """Settings with tiny timeouts and backoff so the failure paths run in milliseconds."""
    values: dict[str, object] = dict(
        connect_timeout=1.0,
        read_timeout=0.3,
        total_timeout=3.0,
        retries=2,
        backoff_base=0.01,
        backoff_max=2.0,
        trust_env=False,
    )
    values.update(overrides)
    return FetchSettings(**values)  # type: ignore[arg-type]


def get(url: str, *, clock: RecordingClock | None = None, **overrides: object) -> FetchResult:
    kind = overrides.pop("kind", "feed")
    extra = {k: overrides.pop(k) for k in ("etag", "last_modified") if k in overrides}
    request = FetchRequest(url, source="test", kind=kind, **extra)  # type: ignore[arg-type]
    return fetch_all_sync([request], fast(**overrides), clock=clock)[0]


# -- normal fetches and conditional GET ---------------------------------------------------------


def test_feed_then_conditional_get_gives_304(base: str) -> None:
    first = get(f"{base}/feed")
    assert first.ok and first.status == 200 and not first.not_modified
    assert first.content == FEED and first.bytes == len(FEED)
    assert first.etag == ETAG and first.last_modified == LAST_MODIFIED
    assert first.text is not None and first.text.startswith("<?xml") and first.encoding == "utf-8"
    assert first.content_type == "application/rss+xml"

    again = get(f"{base}/feed", etag=first.etag)
    assert again.ok and again.not_modified and again.status == 304 and again.content == b""
    by_date = get(f"{base}/feed", last_modified=first.last_modified)
    assert by_date.not_modified
    stale = get(f"{base}/feed", etag='"feed-v0"')
    assert stale.status == 200 and not stale.not_modified


def test_sends_the_jianbao_user_agent(base: str) -> None:
    get(f"{base}/feed?key=ua")
    assert default_user_agent().startswith("jianbao/")
    assert default_user_agent() in STATE.user_agents


def test_malformed_xml_and_articleless_page_are_just_returned(base: str) -> None:
    xml = get(f"{base}/malformed.xml")
    assert xml.ok and xml.content == b"<rss><channel><item><title>broken"
    page = get(f"{base}/public/page", kind="page")
    assert page.ok and page.text is not None and "No article here" in page.text


# -- retries ----------------------------------------------------------------------------------------


def test_500_twice_then_success_is_retried(base: str) -> None:
    clock = RecordingClock()
    result = get(f"{base}/flaky?key=flaky1", clock=clock)
    assert result.ok and result.content == b"finally" and result.error is None
    assert [a.status for a in result.attempts] == [500, 500, 200]
    assert [a.number for a in result.attempts] == [1, 2, 3]
    assert result.attempts[0].error == "HTTP 500" and result.attempts[0].bytes == len(b"flaky")
    assert result.attempts[2].error is None and result.attempts[2].bytes == len(b"finally")
    assert all(a.source == "test" and a.started_at.tzinfo == UTC for a in result.attempts)
    # Two jittered backoff waits, each at most backoff_base × 2^(n-1) (0.01 s, then 0.02 s).
    assert len(clock.slept) == 2 and 0 <= clock.slept[0] <= 0.01 and 0 <= clock.slept[1] <= 0.02


def test_always_500_gives_up_after_all_attempts(base: str) -> None:
    clock = RecordingClock()
    result = get(f"{base}/always500", retries=3, clock=clock)
    assert not result.ok and result.status == 500
    assert result.error == "HTTP 500 after 4 attempts"
    assert len(result.attempts) == 4
    assert len(clock.slept) == 3  # a wait between attempts, none after the last


def test_backoff_is_full_jitter_under_a_doubling_cap() -> None:
    settings = fast(backoff_base=0.5, backoff_max=3.0)
    highest = [_backoff(n, settings, draw=lambda low, high: high) for n in range(1, 6)]
    assert highest == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert [_backoff(n, settings, draw=lambda low, high: low) for n in range(1, 4)] == [0, 0, 0]
    assert _backoff(1, settings, retry_after=7.0) == 7.0  # the server's wish (capped where it was read)


def test_404_is_not_retried(base: str) -> None:
    result = get(f"{base}/missing")
    assert not result.ok and result.status == 404 and result.error == "HTTP 404"
    assert len(result.attempts) == 1


def test_retry_after_is_honoured(base: str) -> None:
    clock = RecordingClock()
    result = get(f"{base}/retry-after?key=ra1&after=1", clock=clock)
    assert result.ok and result.text == "welcome back"
    assert [a.status for a in result.attempts] == [429, 200]
    assert clock.slept == [1.0]  # the server's Retry-After, not the jittered backoff


def test_retry_after_is_capped_at_backoff_max(base: str) -> None:
    clock = RecordingClock()
    result = get(f"{base}/retry-after?key=ra2&after=120", backoff_max=0.1, clock=clock)
    assert result.ok and len(result.attempts) == 2
    assert clock.slept == [0.1]


def test_retry_after_parses_seconds_and_http_dates() -> None:
    assert _retry_after("7", cap=30) == 7
    assert _retry_after("120", cap=30) == 30
    assert _retry_after("1.5", cap=30) == 1.5
    soon = format_datetime(START + timedelta(seconds=20), usegmt=True)
    assert _retry_after(soon, cap=30, now=START) == 20
    assert _retry_after(soon, cap=30, now=START + timedelta(seconds=2)) == 18
    past = format_datetime(START - timedelta(hours=1), usegmt=True)
    assert _retry_after(past, cap=30, now=START) == 0
    assert 0 < (_retry_after(format_datetime(datetime.now(UTC) + timedelta(seconds=20)), cap=30) or 0) <= 20
    assert _retry_after("soon", cap=30) is None


def test_read_timeout_is_retried_then_reported(base: str) -> None:
    clock = RecordingClock()
    result = get(f"{base}/slow?s=0.8", retries=1, clock=clock)
    assert not result.ok and result.status is None
    # Both attempts were cut by the 0.3 s read timeout (the server answers after 0.8 s) ...
    assert result.error == "timeout after 2 attempts"
    assert [a.error for a in result.attempts] == ["timeout", "timeout"]
    assert len(clock.slept) == 1 and clock.slept[0] <= 0.01  # ... with one short backoff between them


def test_total_timeout_bounds_one_attempt(base: str) -> None:
    # The body dribbles for 2 s, a byte every 0.05 s: no read waits 0.3 s, only the total deadline stops it.
    result = get(f"{base}/dribble", retries=0, total_timeout=0.4)
    assert not result.ok and result.error is not None and result.error.startswith("timeout (over 0.4 s")
    assert len(result.attempts) == 1 and result.attempts[0].bytes < 40


def test_connection_refused(base: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = get(f"http://127.0.0.1:{port}/", retries=1)
    assert not result.ok and result.error == "connection refused after 2 attempts"


def test_truncated_body_is_an_error_after_retries(base: str) -> None:
    result = get(f"{base}/truncated")
    assert not result.ok and result.content == b""
    assert result.error == "truncated body (100 of 1000 bytes) after 3 attempts"
    assert all(a.status == 200 for a in result.attempts)


# -- body cap ---------------------------------------------------------------------------------------


def test_huge_body_is_abandoned_early_while_streaming(base: str) -> None:
    cap = 1024 * 1024
    result = get(f"{base}/huge?key=huge1", max_bytes=cap)
    assert not result.ok and result.error == "body larger than 1 MB" and result.content == b""
    assert len(result.attempts) == 1  # not retried
    assert cap < result.bytes <= cap + CHUNK  # stopped one chunk past the cap at most
    time.sleep(0.05)
    assert STATE.sent["huge1"] < HUGE // 4  # the server was cut off long before the end


def test_huge_declared_length_is_refused_before_reading(base: str) -> None:
    result = get(f"{base}/huge?key=huge2&cl=1")
    assert not result.ok and result.error is not None
    assert result.error.startswith("body larger than 10 MB") and result.bytes == 0


# -- encodings and redirects --------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["labelled", "unlabelled", "utf8-label", "latin1-label"])
def test_gbk_pages_decode_right_whatever_the_label(base: str, route: str) -> None:
    result = get(f"{base}/gbk/{route}", kind="page")
    assert result.ok and result.content == GBK
    assert result.text == ZH and result.encoding == "gb18030"


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_decompression_bomb_stops_at_the_cap(base: str, encoding: str) -> None:
    cap = 1024 * 1024
    # generous timeouts: the server compresses the bomb per request, slowly on a loaded machine
    result = get(f"{base}/bomb?enc={encoding}", max_bytes=cap, read_timeout=5.0, total_timeout=10.0)
    assert len(_bomb(encoding)) < 100_000  # the wire body is small; only inflating it is dangerous
    assert not result.ok and result.error == "body larger than 1 MB"
    assert cap < result.bytes <= cap + 64 * 1024


@pytest.mark.parametrize("route", ["gzip", "brotli", "deflate"])
def test_compressed_bodies_are_decoded(base: str, route: str) -> None:
    result = get(f"{base}/{route}")
    assert result.ok and result.text == ZH
    assert result.bytes == len(ZH.encode("utf-8"))


def test_redirect_chain_within_the_limit_is_followed(base: str) -> None:
    result = get(f"{base}/chain/3")
    assert result.ok and result.content == b"end of chain"
    assert result.final_url == f"{base}/chain/0" and result.url == f"{base}/chain/3"


def test_too_many_redirects(base: str) -> None:
    result = get(f"{base}/chain/3", max_redirects=2)
    assert not result.ok and result.error == "too many redirects (more than 2)"
    assert len(result.attempts) == 1


def test_redirect_loop_is_reported(base: str) -> None:
    result = get(f"{base}/loop/a")
    assert not result.ok and result.error == f"redirect loop ({base}/loop/a again after 2 redirects)"
    assert len(result.attempts) == 1


# -- robots.txt -------------------------------------------------------------------------------------


def test_robots_txt_blocks_pages_for_our_agent(base: str) -> None:
    reqs = [
        FetchRequest(f"{base}/private/page", kind="page"),
        FetchRequest(f"{base}/public/page", kind="page"),
        FetchRequest(f"{base}/nobody/page", kind="page"),  # only the * group forbids it; ours does not
        FetchRequest(f"{base}/redirect-to-private", kind="page"),
        FetchRequest(f"{base}/private/page", kind="feed"),  # feeds are not subject to robots.txt
    ]
    private, public, nobody, redirected, feed = fetch_all_sync(reqs, fast())
    assert not private.ok and private.error == "blocked by robots.txt" and private.status is None
    assert len(private.attempts) == 1 and private.attempts[0].error == "blocked by robots.txt"
    assert public.ok and nobody.ok and feed.ok
    assert not redirected.ok and redirected.error == "blocked by robots.txt"
    assert redirected.final_url == f"{base}/private/page"


def test_robots_txt_can_be_ignored_by_setting(base: str) -> None:
    result = get(f"{base}/private/page", kind="page", respect_robots=False)
    assert result.ok


class _FlakyRobots(QuietHandler):
    """robots.txt answered by script: "drop" hangs up without a word, a number is that status, "ok" the rules."""

    script: ClassVar[list[str]] = []
    asked: ClassVar[int] = 0

    def do_GET(self) -> None:
        if self.path != "/robots.txt":
            self._send(200, b"<html><body>a page</body></html>", {"Content-Type": "text/html"})
            return
        step = self.script[min(type(self).asked, len(self.script) - 1)]
        type(self).asked += 1
        if step == "drop":
            self.close_connection = True  # no status line at all: the client sees the peer hang up
        elif step == "ok":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"})
        else:
            self._send(int(step), b"busy", {"Retry-After": "2"} if step == "503" else {})


@pytest.fixture
def flaky_robots() -> Iterator[tuple[str, type[_FlakyRobots]]]:
    _FlakyRobots.script, _FlakyRobots.asked = [], 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FlakyRobots)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _FlakyRobots
    server.shutdown()
    server.server_close()


def test_robots_txt_is_retried_like_any_request(flaky_robots: tuple[str, type[_FlakyRobots]]) -> None:
    """One failed read of robots.txt (a loaded machine, a dropped connection) must not let pages through:
    it was the one request with a single try, which once made an ingest test fetch a disallowed page."""
    base, handler = flaky_robots
    handler.script = ["drop", "503", "ok"]
    clock = RecordingClock()
    private, public = fetch_all_sync(
        [FetchRequest(f"{base}/private/x.html", kind="page"), FetchRequest(f"{base}/news.html", kind="page")],
        fast(retries=2),
        clock=clock,
    )
    assert private.error == "blocked by robots.txt" and public.ok
    assert handler.asked == 3  # read once for the host, however many pages wait for it
    assert len(clock.slept) == 2 and clock.slept[0] <= 0.01 and clock.slept[1] == 2.0  # backoff, Retry-After


def test_robots_txt_that_keeps_failing_allows_all(flaky_robots: tuple[str, type[_FlakyRobots]]) -> None:
    base, handler = flaky_robots
    handler.script = ["500"]
    clock = RecordingClock()
    result = get(f"{base}/private/x.html", kind="page", retries=1, clock=clock)
    assert result.ok and handler.asked == 2  # as many tries as a feed gets, then the documented fallback
    handler.script, handler.asked = ["404"], 0
    missing = get(f"{base}/private/x.html", kind="page", retries=1, clock=clock)
    assert missing.ok and handler.asked == 1  # no robots.txt at all: allowed at once, not retried


# -- concurrency and isolation -----------------------------------------------------------------------


def test_per_host_concurrency_is_respected(base: str) -> None:
    reqs = [FetchRequest(f"{base}/concurrent?key=conc&s=0.1&i={i}") for i in range(6)]
    # No retry may run beside a request the server is still answering (a timeout under load would retry and
    # the server would count both): generous timeouts, no retries; the limit alone bounds what is in flight.
    calm = fast(per_host_concurrency=2, read_timeout=10.0, total_timeout=30.0, retries=0)
    results = fetch_all_sync(reqs, calm)
    assert all(r.ok for r in results)
    assert STATE.max_in_flight["conc"] == 2  # never more than the limit, and the limit is used


def test_global_concurrency_is_respected(base: str) -> None:
    reqs = [FetchRequest(f"{base}/concurrent?key=glob&s=0.1&i={i}") for i in range(6)]
    calm = fast(global_concurrency=3, per_host_concurrency=10, read_timeout=10.0, total_timeout=30.0, retries=0)
    results = fetch_all_sync(reqs, calm)  # no retries beside answers in flight: see the per-host test
    assert all(r.ok for r in results)
    assert STATE.max_in_flight["glob"] == 3


def test_min_delay_per_host_spaces_requests(base: str) -> None:
    reqs = [FetchRequest(f"{base}/feed?key=delay&i={i}") for i in range(3)]
    clock = RecordingClock()
    results = fetch_all_sync(reqs, fast(min_delay_per_host=0.15), clock=clock)
    assert all(r.ok for r in results)
    assert clock.slept == [pytest.approx(0.15), pytest.approx(0.15)]  # the second and third start waited


def test_one_bad_url_does_not_block_the_others(base: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    reqs = [
        FetchRequest(f"{base}/feed?key=iso1", source="a"),
        FetchRequest(f"{base}/slow?s=0.8", source="slow"),
        FetchRequest(dead, source="dead"),
        FetchRequest("gopher://example.com/", source="weird", kind="page"),
        FetchRequest("http://[::1/", source="invalid", kind="page"),  # httpx refuses it: no DNS
        FetchRequest(f"{base}/gzip?key=iso2", source="b"),
    ]
    done: list[str | None] = []
    results = fetch_all_sync(reqs, fast(retries=1), on_done=lambda r: done.append(r.source))
    assert [r.url for r in results] == [r.url for r in reqs]
    good1, slow, refused, weird, invalid, good2 = results
    assert good1.ok and good2.ok
    assert done.index("b") < done.index("slow")  # listed after the slow one, done before it: not held up
    assert slow.error == "timeout after 2 attempts"
    assert refused.error == "connection refused after 2 attempts"
    assert weird.error is not None and weird.error.startswith("unsupported URL") and len(weird.attempts) == 1
    assert invalid.error is not None and invalid.error.startswith("unsupported URL")
    assert sorted(done, key=str) == sorted((r.source for r in reqs), key=str)
    assert done[-1] == "slow"


# -- charset detection without a server --------------------------------------------------------------


def test_decode_body_prefers_bom_then_labels_that_actually_decode() -> None:
    assert decode_body(b"\xef\xbb\xbf" + ZH.encode(), "text/html; charset=gbk") == (ZH, "utf-8-sig")
    assert decode_body(b"\xff\xfe" + ZH.encode("utf-16-le"), None) == (ZH, "utf-16")
    xml = '<?xml version="1.0" encoding="gb2312"?><rss><title>简报</title></rss>'
    assert decode_body(xml.encode("gbk"), "application/xml") == (xml, "gb18030")
    meta = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head><body>人工智慧</body></html>'
    assert decode_body(meta.encode("big5"), "text/html") == (meta, "big5")
    html5 = '<meta charset="GBK"><p>你好</p>'
    assert decode_body(html5.encode("gbk"), None) == (html5, "gb18030")


def test_decode_body_weak_labels() -> None:
    # UTF-8 labelled ISO-8859-1 (a common server default) is UTF-8.
    assert decode_body(ZH.encode(), "text/html; charset=ISO-8859-1") == (ZH, "utf-8")
    # Real Latin-1 text keeps its label (as windows-1252, like browsers).
    french = "<p>Le café est très bon, à côté de la fenêtre.</p>"
    assert decode_body(french.encode("latin-1"), "text/html; charset=iso-8859-1") == (french, "cp1252")
    assert decode_body(french.encode("cp1252"), None) == (french, "cp1252")
    # A short GBK text without any label still comes out as Chinese, not Korean or mojibake.
    short = "<p>你好，世界</p>"
    assert decode_body(short.encode("gbk"), None) == (short, "gb18030")
    assert decode_body(b"", "text/plain; charset=utf-8") == ("", "utf-8")


# -- public-URL guard --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8080/admin",
        "http://[::1]/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "file:///etc/passwd",
        "ftp://example.com/",
        "http:///nohost",
    ],
)
def test_private_or_odd_urls_are_refused(url: str) -> None:
    assert not is_public_url(url, resolver=lambda host: ["93.184.215.14"])
    with pytest.raises(FetchError):
        check_public_url(url, resolver=lambda host: ["93.184.215.14"])


def test_public_urls_and_resolution() -> None:
    public = {"example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]}
    assert is_public_url("http://example.com", resolver=public.__getitem__)
    assert is_public_url("https://8.8.8.8/dns")
    # A public-looking name that resolves to a private address is refused, naming the address.
    with pytest.raises(FetchError, match=r"10\.1\.2\.3"):
        check_public_url("http://intranet.example.com/", resolver=lambda host: ["93.184.215.14", "10.1.2.3"])

    def unresolvable(host: str) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    assert not is_public_url("http://no-such-host.example/", resolver=unresolvable)
