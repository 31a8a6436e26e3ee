"""The fetch boundary (jianbao.ingestion.boundary): which addresses may be reached, checked on the address
connected to. Real HTTP over loopback only: the tests mark their loopback servers as configured origins, the
way an editor's self-hosted RSSHub is, and show that the same loopback address is refused from content."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpcore
import pytest

from _http import QuietHandler
from jianbao.config import Config
from jianbao.errors import FetchError
from jianbao.ingestion.boundary import Boundary, RefusedAddress, address_class
from jianbao.ingestion.fetch import FetchRequest, FetchSettings, fetch_all_sync
from jianbao.ingestion.runner import ingest
from jianbao.records import Source
from jianbao.store import open_store

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Lab</title>'
    b"<item><title>OpenAI releases a model</title><link>https://lab.example/a</link></item></channel></rss>"
)


class _Handler(QuietHandler):
    hosts: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).hosts.append(self.headers.get("Host", ""))
        target = {
            "/to-metadata": "http://169.254.169.254/latest/meta-data/",
            "/to-file": "file:///etc/passwd",
            "/to-self": "/feed",
            "/to-other-loopback": f"http://127.0.0.1:{self.server.other_port}/feed",  # type: ignore[attr-defined]
            "/to-mapped": "http://[::ffff:169.254.169.254]/",
        }.get(self.path)
        if target is not None:
            self._send(302, headers={"Location": target})
        elif self.path == "/feed":
            self._send(200, FEED, {"Content-Type": "application/rss+xml"})
        else:
            self._send(404)


def _start(other_port: int = 9) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.other_port = other_port  # type: ignore[attr-defined]
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def base() -> Iterator[str]:
    """A loopback feed server, and a second one on another port that it can redirect to."""
    other = _start()
    server = _start(other_port=other.server_address[1])
    yield f"http://127.0.0.1:{server.server_address[1]}"
    for running in (server, other):
        running.shutdown()
        running.server_close()


FAST = FetchSettings(connect_timeout=1.0, read_timeout=2.0, total_timeout=5.0, retries=0, trust_env=False)


def _get(url: str, *, configured: bool, boundary: Boundary | None = None):  # type: ignore[no-untyped-def]
    return fetch_all_sync([FetchRequest(url, source="t", configured=configured)], FAST, boundary=boundary)[0]


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("93.184.215.14", "public"),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", "public"),
        ("127.0.0.1", "local"),
        ("::1", "local"),
        ("10.1.2.3", "local"),
        ("172.16.5.4", "local"),
        ("192.168.1.1", "local"),
        ("100.64.0.1", "local"),
        ("fd12::1", "local"),
        ("169.254.169.254", "forbidden"),
        ("169.254.1.1", "forbidden"),
        ("fe80::1", "forbidden"),
        ("fe80::1%eth0", "forbidden"),
        ("fd00:ec2::254", "forbidden"),
        ("100.100.100.200", "forbidden"),
        ("0.0.0.0", "forbidden"),
        ("::", "forbidden"),
        ("224.0.0.1", "forbidden"),
        ("255.255.255.255", "forbidden"),
        ("::ffff:169.254.169.254", "forbidden"),
        ("::ffff:127.0.0.1", "local"),
        ("64:ff9b::a9fe:a9fe", "forbidden"),  # NAT64 of 169.254.169.254
        ("2002:a9fe:a9fe::1", "forbidden"),  # 6to4 of 169.254.169.254
        ("not an address", "forbidden"),
    ],
)
def test_address_classes(address: str, kind: str) -> None:
    assert address_class(address) == kind


def test_metadata_and_link_local_are_refused_even_when_configured() -> None:
    boundary = Boundary(["http://169.254.169.254/", "http://[fe80::1]/"])
    for url in ("http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/"):
        with pytest.raises(RefusedAddress, match="link-local or metadata"):
            boundary.check_url(url)
    # A configured name that resolves to the metadata address is refused too.
    named = Boundary(["http://metadata.internal/"], resolver=lambda host: ["169.254.169.254"])
    with pytest.raises(RefusedAddress, match=r"metadata\.internal → 169\.254\.169\.254"):
        named.check_url("http://metadata.internal/computeMetadata/v1/")


def test_configured_loopback_is_fetched_and_content_loopback_is_refused(base: str) -> None:
    ok = _get(f"{base}/feed", configured=True)
    assert ok.ok and ok.content == FEED
    refused = _get(f"{base}/feed", configured=False)
    assert not refused.ok and refused.error is not None
    assert "refusing a private or loopback address" in refused.error and len(refused.attempts) == 1
    # The configured origin is host and port: another port on the same loopback address is not configured.
    other = _get(base.rsplit(":", 1)[0] + ":9/feed", configured=False, boundary=Boundary([f"{base}/"]))
    assert other.error is not None and "refusing a private or loopback address" in other.error


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/to-metadata", "redirect to http://169.254.169.254/latest/meta-data/ refused: refusing a link-local"),
        ("/to-mapped", "refusing a link-local or metadata address"),
        ("/to-other-loopback", "refusing a private or loopback address"),
        ("/to-file", "unsupported URL scheme 'file'"),
    ],
)
def test_redirects_from_a_configured_feed_are_content(base: str, path: str, reason: str) -> None:
    result = _get(f"{base}{path}", configured=True)
    assert not result.ok and result.error is not None and reason in result.error, result.error
    assert len(result.attempts) == 1  # refused, not retried


def test_a_redirect_on_the_configured_origin_is_followed(base: str) -> None:
    result = _get(f"{base}/to-self", configured=True)
    assert result.ok and result.content == FEED and result.final_url == f"{base}/feed"


class _Resolver:
    """A DNS server under the attacker's control: the first answer, then another (rebinding)."""

    def __init__(self, *answers: list[str]) -> None:
        self.answers = list(answers)
        self.calls: list[str] = []

    def __call__(self, host: str) -> Iterable[str]:
        self.calls.append(host)
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


class _RecordingNetwork(httpcore.AsyncNetworkBackend):
    """A network that records where it is asked to connect and answers with a canned feed."""

    def __init__(self) -> None:
        self.connected: list[tuple[str, int]] = []

    async def connect_tcp(self, host: str, port: int, timeout=None, local_address=None, socket_options=None):  # type: ignore[no-untyped-def]
        self.connected.append((host, port))
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: {len(FEED)}\r\n\r\n"
        return httpcore.AsyncMockStream([head.encode() + FEED])

    async def sleep(self, seconds: float) -> None:
        pass


def test_the_checked_address_is_the_one_connected_to() -> None:
    # The name resolves once; the connection goes to that address, never to a second (rebound) answer.
    resolver = _Resolver(["93.184.215.14"], ["127.0.0.1"])
    network = _RecordingNetwork()
    boundary = Boundary(resolver=resolver, network=network)
    result = _get("http://rebind.example/feed", configured=False, boundary=boundary)
    assert result.ok and result.content == FEED
    assert resolver.calls == ["rebind.example"] and network.connected == [("93.184.215.14", 80)]


def test_a_name_that_answers_loopback_is_refused_from_content() -> None:
    resolver = _Resolver(["127.0.0.1"], ["93.184.215.14"])
    network = _RecordingNetwork()
    result = _get("http://rebind.example/", configured=False, boundary=Boundary(resolver=resolver, network=network))
    assert result.error is not None and "rebind.example → 127.0.0.1" in result.error
    assert network.connected == []  # nothing was connected to
    # One bad address among good ones refuses the name: a mixed answer cannot win a race.
    mixed = Boundary(resolver=lambda host: ["93.184.215.14", "10.0.0.7"])
    with pytest.raises(FetchError, match=r"10\.0\.0\.7"):
        mixed.check_url("http://mixed.example/")


def test_a_configured_name_connects_to_its_checked_loopback_address(base: str) -> None:
    # feed.test exists in no DNS: the fetch can only succeed by connecting to the address the boundary checked.
    port = int(base.rsplit(":", 1)[1])
    resolver = _Resolver(["127.0.0.1"])
    _Handler.hosts.clear()
    result = _get(f"http://feed.test:{port}/feed", configured=True, boundary=Boundary(resolver=resolver))
    assert result.ok and result.content == FEED
    assert resolver.calls == ["feed.test"] and _Handler.hosts == [f"feed.test:{port}"]


def test_ingest_reports_a_redirect_to_the_metadata_address(base: str, tmp_path: Path) -> None:
    config = Config.model_validate({"fetch": {"retries": 0, "timeout": 2.0}})
    sources = [Source(name="lab", url=f"{base}/to-metadata"), Source(name="self", url=f"{base}/feed")]
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        store.sync_sources(sources)
        report = ingest(store, sources, config=config)
        lab, own = report.sources
        assert lab.error is not None and "redirect to http://169.254.169.254/latest/meta-data/ refused" in lab.error
        assert own.error is None and own.new == 1  # the editor's loopback source itself is fetched


def test_sources_that_are_not_files_never_read_a_file(tmp_path: Path) -> None:
    # Only a path (or file://) marks a source as a file; any other scheme is refused, never read from disk.
    config = Config()
    sources = [Source(name=f"s{i}", url=url) for i, url in enumerate(
        ["gopher://example.com/etc/passwd", "javascript:alert(1)", "ftp://example.com/feed.xml"]
    )]  # fmt: skip
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        store.sync_sources(sources)
        report = ingest(store, sources, config=config)
    assert [rep.error and "only http(s) URLs, or a local file's path" in rep.error for rep in report.sources] == [
        True,
        True,
        True,
    ]
