"""The polite HTTP layer: bounded concurrency, conditional GET, retries, body caps, robots.txt and charsets.

This module is an I/O edge. It returns ``FetchResult`` records (with one ``Attempt`` per HTTP try for the
fetch log) and never raises for network trouble; the caller persists what it needs.

Behaviour worth knowing:

* ``retries`` counts retries *after* the first try, so ``retries=3`` means at most 4 attempts.
* ``total_timeout`` is a deadline for one attempt (connect, redirects and reading the whole body); the
  backoff sleeps between attempts are not counted against it.
* Retried: timeouts, connection errors, truncated bodies, 429 and 5xx. ``Retry-After`` (seconds or an
  HTTP date) replaces the jittered backoff for that wait, capped at ``backoff_max``. Other 4xx are final.
  Every wait (backoff, Retry-After, per-host pacing) is taken on the ``Fetcher``'s ``Clock``, which tests
  replace to check the waits computed rather than the time that passed.
* Bodies are streamed and the ``max_bytes`` cap is enforced on the decoded bytes while reading, so a huge
  body is abandoned after at most one chunk past the cap (a declared Content-Length over the cap is
  refused before reading). gzip, deflate and brotli are inflated here in bounded pieces rather than by
  httpx, so a decompression bomb is stopped at the cap too. Not retried.
* Redirects are followed by hand up to ``max_redirects``; a URL seen twice is reported as a redirect loop.
* Every connection (redirect hops and robots.txt included) passes the fetch boundary
  (``jianbao.ingestion.boundary``): http(s) only, the address checked is the address connected to, and a
  loopback or private address only for an origin the editor configured (``FetchRequest.configured``). A
  refused hop fails the fetch with the reason ("redirect to … refused: …"), never retried.
* Concurrency: a global semaphore and one per hostname (the port is ignored: it is the same server),
  both held for one attempt only, never during backoff sleeps; ``min_delay_per_host`` spaces request
  starts to one host.
* robots.txt is consulted for ``kind="page"`` only, fetched once per host for the ``Fetcher``'s life, with
  the same retries as any request. Missing (any 4xx) allows all, as RFC 9309 says; 5xx or unreachable
  after the retries also allows all (RFC 9309 would disallow, but a flaky robots.txt should not silence a
  news source we were asked to read).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import email.utils
import importlib.metadata
import logging
import random
import re
import socket
import ssl
import time
import urllib.robotparser
import zlib
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import brotli
import httpx

from jianbao.config import Config
from jianbao.errors import FetchError
from jianbao.ingestion.boundary import Boundary, BoundaryTransport, RefusedAddress, Resolver

__all__ = [
    "Attempt",
    "Boundary",
    "Clock",
    "FetchRequest",
    "FetchResult",
    "FetchSettings",
    "Fetcher",
    "check_public_url",
    "decode_body",
    "default_user_agent",
    "fetch_all_sync",
    "fetch_settings",
    "is_public_url",
]

log = logging.getLogger(__name__)

FetchKind = Literal["feed", "page", "api"]


def _version() -> str:
    try:
        return importlib.metadata.version("jianbao")
    except importlib.metadata.PackageNotFoundError:
        return "0.1.0"


def default_user_agent() -> str:
    """The honest user agent: product token first, so robots.txt groups for ``jianbao`` match it.

    ASCII only (header values cannot carry 简报), hence "AI Jianbao".
    """
    return f"jianbao/{_version()} (+https://github.com/jianbao-dev/jianbao; AI Jianbao briefing bot)"


@dataclass(slots=True)
class FetchSettings:
    """Politeness and robustness knobs; the defaults suit a daily run over a few hundred sources."""

    user_agent: str = field(default_factory=default_user_agent)
    global_concurrency: int = 16
    per_host_concurrency: int = 2
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # per attempt, including redirects and the body
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3  # retries after the first attempt
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    respect_robots: bool = True  # for kind="page" only
    min_delay_per_host: float = 0.0  # seconds between request starts to one host
    trust_env: bool = True  # honour HTTP(S)_PROXY / NO_PROXY and SSL_CERT_FILE from the environment

    def __post_init__(self) -> None:
        if not self.user_agent.isascii():
            raise ValueError(f"user_agent must be ASCII (it is an HTTP header): {self.user_agent!r}")


def fetch_settings(config: Config) -> FetchSettings:
    """The fetch layer's settings from the ``[fetch]`` section (``timeout`` bounds reads; one attempt as a
    whole, body included, gets three times that, so a trickling server cannot hold a run for minutes)."""
    timeout = config.fetch.timeout
    settings = FetchSettings(
        global_concurrency=config.fetch.concurrency,
        per_host_concurrency=config.fetch.per_host,
        connect_timeout=min(10.0, timeout),
        read_timeout=timeout,
        total_timeout=3 * timeout,
        retries=config.fetch.retries,
        max_bytes=config.fetch.max_bytes,
    )
    if config.fetch.user_agent:
        settings.user_agent = config.fetch.user_agent
    return settings


class Clock:
    """The time the fetch layer reads and waits on: monotonic seconds for durations and pacing, UTC for
    the fetch log and Retry-After dates, and the sleep between attempts. Tests pass a subclass that records
    the waits instead of taking them."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


@dataclass(slots=True)
class FetchRequest:
    """One URL to fetch. ``configured``: the editor configured it (a source, an API base), so its own origin
    may be a loopback or private address (a self-hosted RSSHub); a URL from content leaves it False."""

    url: str
    source: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    kind: FetchKind = "feed"
    headers: dict[str, str] = field(default_factory=dict)
    configured: bool = False


@dataclass(slots=True)
class Attempt:
    """One HTTP try, as a row for the store's fetch log."""

    source: str | None
    url: str
    number: int
    started_at: datetime
    status: int | None = None
    bytes: int = 0
    elapsed: float = 0.0
    error: str | None = None


@dataclass(slots=True)
class FetchResult:
    url: str
    final_url: str
    status: int | None = None
    ok: bool = False
    not_modified: bool = False
    content: bytes = b""
    text: str | None = None
    encoding: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    attempts: list[Attempt] = field(default_factory=list)
    elapsed: float = 0.0
    bytes: int = 0
    source: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # response headers of the last attempt, lower-case names


# --------------------------------------------------------------------------------------------------
# Charset detection


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Labels that decode (nearly) any byte string, so they prove nothing; servers send them by default.
_WEAK = {"latin-1", "ascii", "cp1252"}
_CJK_GUESSES = {"gb18030", "big5", "big5hkscs", "cp950", "shift_jis", "cp932", "euc_jp", "euc_kr", "cp949"}

_HEADER_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']\s*([A-Za-z0-9._:\-]+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.I)


def _codec(label: str | None) -> str | None:
    """Normalise a charset label to a Python codec name (with browser-style supersets), or None."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    name = {"iso8859-1": "latin-1"}.get(name, name)
    return {"gbk": "gb18030", "gb2312": "gb18030"}.get(name, name)


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type.encode("latin-1", "replace"))
    return m.group(1).decode("ascii") if m else None


def _document_charset(content: bytes) -> str | None:
    head = content[:4096]
    m = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii") if m else None


def _strict(content: bytes, codec: str) -> str | None:
    try:
        return content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


# Encodings a source of Chinese AI news plausibly uses; limiting the guesser to them avoids exotic
# single-byte code pages winning on short texts.
_GUESSABLE = ["gb18030", "big5", "shift_jis", "euc_jp", "euc_kr", "cp1252", "cp1251", "utf_16"]


def _guess(content: bytes) -> tuple[str, str] | None:
    """Guess an unlabelled or mislabelled non-UTF-8 body, preferring GB (this is a Chinese product).

    Bytes that decode strictly as EUC-CN (GB2312: both bytes of every pair in A1–FE) are almost surely
    Chinese; Latin text fails that test because accented letters are followed by ASCII bytes.
    """
    if _strict(content, "gb2312") is not None:
        return content.decode("gb18030"), "gb18030"
    # lazy: charset_normalizer adds ~20 ms to start-up, and only a body that is neither labelled right nor
    # UTF-8 gets here
    from charset_normalizer import from_bytes

    best = from_bytes(content[:200_000], cp_isolation=_GUESSABLE).best()
    if best is None:
        return None
    codec = _codec(best.encoding) or best.encoding
    text = _strict(content, codec)
    return (text, codec) if text is not None else None


def decode_body(content: bytes, content_type: str | None) -> tuple[str, str]:
    """Decode a body to text, returning ``(text, codec)``; labels are trusted only if they decode.

    Order: BOM; HTTP charset; XML declaration or ``<meta>``; strict UTF-8; then a guess (GB first, then
    charset_normalizer); GB18030; finally UTF-8 with replacement. A weak label (ISO-8859-1, ASCII,
    windows-1252 — often just a server default) loses to strict UTF-8 or to a CJK guess, so a GBK page
    labelled latin-1 (or utf-8) does not come out as mojibake.
    """
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return content.decode(codec, errors="replace"), codec
    if not content:
        return "", _codec(_header_charset(content_type)) or "utf-8"

    found = [_codec(_header_charset(content_type)), _codec(_document_charset(content))]
    labels = [c for c in dict.fromkeys(found) if c]
    weak = [c for c in labels if c in _WEAK]
    for codec in labels:
        if codec in _WEAK:
            continue
        text = _strict(content, codec)
        if text is not None:
            return text, codec
    text = _strict(content, "utf-8")
    if text is not None:
        return text, "utf-8"
    guess = _guess(content)
    if guess is not None and (not weak or guess[1] in _CJK_GUESSES):
        return guess
    if weak:
        return content.decode("cp1252", errors="replace"), "cp1252"  # what browsers do for these labels
    text = _strict(content, "gb18030")
    if text is not None:
        return text, "gb18030"
    return content.decode("utf-8", errors="replace"), "utf-8"


_BINARY_TYPES = (
    *("image/", "audio/", "video/", "font/", "application/octet-stream", "application/pdf"),
    *("application/zip", "application/gzip", "application/x-tar"),
)


def _is_binary(content_type: str | None) -> bool:
    return content_type is not None and content_type.lower().startswith(_BINARY_TYPES)


# --------------------------------------------------------------------------------------------------
# Public-URL guard (a URL from content, checked before any request; the fetch checks again at connect time)


def check_public_url(url: str, *, resolver: Resolver | None = None) -> None:
    """Raise ``FetchError`` unless ``url`` is http(s) and its host resolves only to public addresses: the
    fetch boundary's verdict on a URL from content (``jianbao.ingestion.boundary``)."""
    Boundary(resolver=resolver).check_url(url)


def is_public_url(url: str, *, resolver: Resolver | None = None) -> bool:
    """True when ``check_public_url`` accepts ``url``."""
    try:
        check_public_url(url, resolver=resolver)
    except FetchError:
        return False
    return True


# --------------------------------------------------------------------------------------------------
# Fetcher

_ACCEPT: dict[str, str] = {
    "feed": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8",
    "page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.8",
    "api": "application/json, */*;q=0.8",
}


@dataclass(slots=True)
class _Outcome:
    """What one attempt produced, before it becomes a result."""

    status: int | None = None
    final_url: str = ""
    content: bytes = b""
    nbytes: int = 0
    headers: httpx.Headers | None = None
    error: str | None = None
    retryable: bool = False
    retry_after: float | None = None


def _retry_after(value: str | None, *, cap: float, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number, or an HTTP date seen from ``now``), capped."""
    if not value:
        return None
    value = value.strip()
    with contextlib.suppress(ValueError):
        return min(max(0.0, float(value)), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, (when - (now or datetime.now(UTC))).total_seconds()), cap)


def _backoff(
    number: int,
    settings: FetchSettings,
    *,
    retry_after: float | None = None,
    draw: Callable[[float, float], float] = random.uniform,
) -> float:
    """Seconds to wait after failed attempt ``number`` (from 1): the server's ``Retry-After`` when it sent
    one (already capped), else "full jitter" over ``backoff_base`` × 2^(number-1), capped at ``backoff_max``."""
    if retry_after is not None:
        return retry_after
    return draw(0, min(settings.backoff_max, settings.backoff_base * 2 ** (number - 1)))


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what it was raised from, outermost first (httpx wraps the OS error twice)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _describe(exc: BaseException, settings: FetchSettings) -> tuple[str, bool]:
    """A one-line reason for a failed attempt and whether it is worth retrying."""
    if isinstance(exc, RefusedAddress):
        return exc.reason, False
    if isinstance(exc, httpx.ConnectTimeout):
        return "connect timeout", True
    if isinstance(exc, httpx.TimeoutException):
        return "timeout", True
    if isinstance(exc, TimeoutError):
        return f"timeout (over {settings.total_timeout:g} s in total)", True
    if isinstance(exc, httpx.ConnectError):
        causes = list(_causes(exc))
        if any(isinstance(c, ConnectionRefusedError) for c in causes):
            return "connection refused", True
        if any(isinstance(c, socket.gaierror) for c in causes):
            return "host not found", True
        if any(isinstance(c, ssl.SSLError) for c in causes):
            return f"TLS error ({causes[-1]})", False
        return f"connection failed ({causes[-1] or type(exc).__name__})", True
    if isinstance(exc, httpx.RemoteProtocolError):
        text = str(exc)
        m = re.search(r"received (\d+) bytes, expected (\d+)", text)
        if m:
            return f"truncated body ({m.group(1)} of {m.group(2)} bytes)", True
        if "incomplete" in text or "peer closed" in text:
            return "truncated body (connection closed early)", True
        return f"protocol error ({text})", True
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return f"connection broken ({exc or type(exc).__name__})", True
    if isinstance(exc, httpx.DecodingError):
        return f"cannot decode content encoding ({exc})", False
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return f"unsupported URL ({exc})", False
    if isinstance(exc, httpx.HTTPError | OSError):
        return f"{type(exc).__name__}: {exc}", True
    return f"{type(exc).__name__}: {exc}", False


_PIECE = 64 * 1024  # most decoded bytes produced at once, whatever the compression ratio


class _Inflater:
    """Decode one Content-Encoding in pieces of at most ``_PIECE`` bytes, so the body cap holds for bombs."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._brotli: brotli.Decompressor | None = brotli.Decompressor() if encoding == "br" else None
        wbits = zlib.MAX_WBITS | 16 if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(wbits)
        self._first = True

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            if self._brotli is not None:
                yield self._brotli.process(data, output_buffer_limit=_PIECE)
                while not self._brotli.can_accept_more_data():
                    yield self._brotli.process(b"", output_buffer_limit=_PIECE)
                return
            yield from self._inflate(data)
        except (zlib.error, brotli.error) as exc:
            raise httpx.DecodingError(f"{self.encoding}: {exc}") from None

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        if self._first and self.encoding == "deflate" and data:
            self._first = False
            try:  # "deflate" is zlib-wrapped by the spec but raw in the wild; httpx tries both too
                probe = zlib.decompressobj(zlib.MAX_WBITS)
                probe.decompress(data[:2])
            except zlib.error:
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        while True:
            out = self._zlib.decompress(data, _PIECE)
            data = self._zlib.unconsumed_tail
            if out:
                yield out
            if not data and len(out) < _PIECE:
                return

    def flush(self) -> bytes:
        return b"" if self._brotli is not None else self._zlib.flush()


def _host_key(url: str | httpx.URL) -> str:
    try:
        return (httpx.URL(url).host or "").lower()
    except httpx.InvalidURL:
        return ""  # the attempt itself reports the bad URL


class Fetcher:
    """Fetch many URLs politely; use as ``async with Fetcher(settings) as f: await f.fetch_all(reqs)``."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock | None = None,
        boundary: Boundary | None = None,
    ) -> None:
        self.settings = settings or FetchSettings()
        # Every connection goes through the fetch boundary; a test's MockTransport makes none.
        self.boundary = boundary or Boundary()
        self._transport = transport
        self._clock = clock or Clock()
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(self.settings.global_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._host_locks: dict[str, asyncio.Lock] = {}
        self._host_last_start: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        limits = httpx.Limits(max_connections=s.global_concurrency, max_keepalive_connections=s.global_concurrency)
        transport = self._transport or BoundaryTransport(self.boundary, limits=limits, trust_env=s.trust_env)
        self._client = httpx.AsyncClient(
            http2=True,
            transport=transport,
            timeout=httpx.Timeout(
                connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout, pool=None
            ),
            limits=limits,
            headers={"User-Agent": s.user_agent},
            follow_redirects=False,
            max_redirects=s.max_redirects,
            trust_env=s.trust_env,
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- public ---------------------------------------------------------------------------------

    async def fetch_all(
        self,
        reqs: Sequence[FetchRequest],
        *,
        on_done: Callable[[FetchResult], None] | None = None,
    ) -> list[FetchResult]:
        """Fetch all requests concurrently; results come back in request order, one per request."""

        async def one(req: FetchRequest) -> FetchResult:
            try:
                result = await self.fetch(req)
            except Exception as exc:  # a bug must not sink the other fetches of the batch
                log.exception("fetch of %s failed unexpectedly", req.url)
                result = FetchResult(
                    url=req.url, final_url=req.url, source=req.source, error=f"internal error: {exc!r}"
                )
            if on_done is not None:
                on_done(result)
            return result

        return list(await asyncio.gather(*(one(r) for r in reqs)))

    async def fetch(self, req: FetchRequest) -> FetchResult:
        """Fetch one URL with retries; never raises for network or HTTP errors."""
        if self._client is None:
            raise RuntimeError("use Fetcher as an async context manager")
        s, clock = self.settings, self._clock
        started = clock.monotonic()
        result = FetchResult(url=req.url, final_url=req.url, source=req.source)
        if req.configured:
            self.boundary.configure(req.url)

        if req.kind == "page" and s.respect_robots and not await self._robots_allow(req.url):
            result.error = "blocked by robots.txt"
            blocked = Attempt(req.source, req.url, 1, clock.now(), error=result.error, elapsed=0.0)
            result.attempts.append(blocked)
            result.elapsed = clock.monotonic() - started
            return result

        outcome = _Outcome(final_url=req.url)
        max_attempts = 1 + max(0, s.retries)
        for number in range(1, max_attempts + 1):
            attempt = Attempt(req.source, req.url, number, clock.now())
            t0 = clock.monotonic()
            outcome = await self._attempt(req)
            attempt.status, attempt.bytes, attempt.error = outcome.status, outcome.nbytes, outcome.error
            attempt.elapsed = clock.monotonic() - t0
            result.attempts.append(attempt)
            if not outcome.retryable or number == max_attempts:
                break
            await clock.sleep(_backoff(number, s, retry_after=outcome.retry_after))

        self._fill(result, outcome)
        if result.error and len(result.attempts) > 1:
            result.error = f"{result.error} after {len(result.attempts)} attempts"
        result.elapsed = clock.monotonic() - started
        return result

    # -- internals --------------------------------------------------------------------------------

    def _fill(self, result: FetchResult, outcome: _Outcome) -> None:
        result.status, result.final_url, result.error = outcome.status, outcome.final_url, outcome.error
        result.content, result.bytes = outcome.content, outcome.nbytes
        headers = outcome.headers
        if headers is not None:
            result.headers = dict(headers.items())
            result.content_type = headers.get("content-type")
            result.etag = headers.get("etag")
            result.last_modified = headers.get("last-modified")
        result.not_modified = outcome.status == 304
        result.ok = (
            outcome.error is None
            and outcome.status is not None
            and (200 <= outcome.status < 300 or result.not_modified)
        )
        if result.content and not _is_binary(result.content_type):
            result.text, result.encoding = decode_body(result.content, result.content_type)

    def _host_semaphore(self, host: str) -> asyncio.Semaphore:
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self.settings.per_host_concurrency)
            self._host_locks[host] = asyncio.Lock()
        return self._hosts[host]

    async def _pace(self, host: str) -> None:
        """Keep ``min_delay_per_host`` between request starts to one host."""
        delay = self.settings.min_delay_per_host
        if delay <= 0:
            return
        async with self._host_locks[host]:
            wait = self._host_last_start.get(host, -1e9) + delay - self._clock.monotonic()
            if wait > 0:
                await self._clock.sleep(wait)
            self._host_last_start[host] = self._clock.monotonic()

    async def _attempt(self, req: FetchRequest) -> _Outcome:
        host = _host_key(req.url)
        outcome = _Outcome(final_url=req.url)
        try:
            async with self._host_semaphore(host), self._global:
                await self._pace(host)
                async with asyncio.timeout(self.settings.total_timeout):
                    await self._exchange(req, outcome)
        except Exception as exc:
            # ``outcome`` may hold a status already (e.g. a body cut short after a 200): keep it.
            outcome.error, outcome.retryable = _describe(exc, self.settings)
            outcome.content = b""
        return outcome

    def _headers(self, req: FetchRequest) -> dict[str, str]:
        headers = {"Accept": _ACCEPT.get(req.kind, "*/*")}
        if req.etag:
            headers["If-None-Match"] = req.etag
        if req.last_modified:
            headers["If-Modified-Since"] = req.last_modified
        headers.update(req.headers)
        return headers

    async def _exchange(self, req: FetchRequest, outcome: _Outcome) -> None:
        """One attempt: follow redirects by hand, then stream the body under the cap into ``outcome``."""
        assert self._client is not None
        s = self.settings
        request = self._client.build_request("GET", req.url, headers=self._headers(req))
        seen = {str(request.url)}
        hops = 0
        while True:
            try:
                response = await self._client.send(request, stream=True, follow_redirects=False)
            except RefusedAddress as exc:
                if hops:  # say where the redirect went: the feed's own URL was fine
                    raise RefusedAddress(str(request.url), f"redirect to {request.url} refused: {exc.reason}") from None
                raise
            try:
                outcome.status, outcome.final_url, outcome.headers = (
                    response.status_code,
                    str(response.url),
                    response.headers,
                )
                if response.next_request is not None:
                    request = response.next_request
                    target = str(request.url)
                    hops += 1
                    if target in seen:
                        outcome.error = f"redirect loop ({target} again after {hops} redirects)"
                        return
                    if hops > s.max_redirects:
                        outcome.error = f"too many redirects (more than {s.max_redirects})"
                        return
                    seen.add(target)
                    if req.kind == "page" and s.respect_robots and not await self._robots_allow(target):
                        outcome.final_url, outcome.error = target, "blocked by robots.txt"
                        return
                    continue
                await self._read_body(response, outcome)
                return
            finally:
                await response.aclose()

    async def _read_body(self, response: httpx.Response, outcome: _Outcome) -> None:
        s = self.settings
        status = response.status_code
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > s.max_bytes:
            outcome.error = f"body larger than {_mb(s.max_bytes)} (Content-Length {int(length)})"
            return
        body = bytearray()
        async for piece in _pieces(response):
            body += piece
            outcome.nbytes = len(body)
            if len(body) > s.max_bytes:
                outcome.error = f"body larger than {_mb(s.max_bytes)}"
                return
        outcome.content = bytes(body)
        if status == 429 or status >= 500:
            outcome.error, outcome.retryable = f"HTTP {status}", True
            outcome.retry_after = _retry_after(
                response.headers.get("retry-after"), cap=s.backoff_max, now=self._clock.now()
            )
        elif status >= 400:
            outcome.error = f"HTTP {status}"
        elif 300 <= status < 400 and status != 304:
            outcome.error = f"HTTP {status} without a usable Location"

    async def _robots_allow(self, url: str) -> bool:
        try:
            parts = httpx.URL(url)
        except httpx.InvalidURL:
            return True  # the attempt itself reports the bad URL
        if parts.scheme not in ("http", "https"):
            return True
        origin = f"{parts.scheme}://{parts.netloc.decode('ascii')}"
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._robots:
                self._robots[origin] = await self._load_robots(origin)
        parser = self._robots[origin]
        return True if parser is None else parser.can_fetch(self.settings.user_agent, url)

    async def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The parsed robots.txt, or None (allow all) when it is missing, broken or unreachable.

        Retried like any request (timeouts, connection errors, 429, 5xx): with a single try, one answer
        slower than ``read_timeout`` (a loaded machine is enough) let every page of the host through.
        """
        s = self.settings
        robots_url = f"{origin}/robots.txt"
        attempts = 1 + max(0, s.retries)
        for number in range(1, attempts + 1):
            last = number == attempts
            try:
                status, body, retry_after = await self._read_robots(robots_url)
            except Exception as exc:
                reason, retryable = _describe(exc, s)
                if not retryable or last:
                    log.info("robots.txt %s unreachable (%s); allowing all", robots_url, reason)
                    return None
                retry_after = None
            else:
                if status == 200:
                    parser = urllib.robotparser.RobotFileParser(robots_url)
                    parser.parse(body.decode("utf-8", errors="replace").splitlines())
                    return parser
                if status != 429 and status < 500:
                    return None  # missing: everything is allowed
                if last:
                    log.info("robots.txt %s answered HTTP %s; allowing all", robots_url, status)
                    return None
            await self._clock.sleep(_backoff(number, s, retry_after=retry_after))
        return None

    async def _read_robots(self, robots_url: str) -> tuple[int, bytes, float | None]:
        """One try at robots.txt: its status, up to 512 KiB of its body (Google reads 500 KiB; so do we),
        and the wait a 429 or 5xx asked for."""
        assert self._client is not None
        limit = 512 * 1024
        body = bytearray()
        async with (
            asyncio.timeout(self.settings.total_timeout),
            self._client.stream("GET", robots_url, follow_redirects=True) as response,
        ):
            status = response.status_code
            if status == 200:
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) >= limit:
                        break
        retry_after = _retry_after(
            response.headers.get("retry-after"), cap=self.settings.backoff_max, now=self._clock.now()
        )
        return status, bytes(body[:limit]), retry_after


async def _pieces(response: httpx.Response) -> AsyncIterator[bytes]:
    """The decoded body in bounded pieces; encodings we do not inflate ourselves are left to httpx."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate", "br"):
        async for chunk in response.aiter_bytes():
            yield chunk
        return
    inflater = _Inflater(encoding)
    async for chunk in response.aiter_raw():
        for piece in inflater.feed(chunk):
            if piece:
                yield piece
    tail = inflater.flush()
    if tail:
        yield tail


def fetch_all_sync(
    reqs: Sequence[FetchRequest],
    settings: FetchSettings | None = None,
    *,
    on_done: Callable[[FetchResult], None] | None = None,
    clock: Clock | None = None,
    boundary: Boundary | None = None,
) -> list[FetchResult]:
    """Blocking convenience for the CLI: run a ``Fetcher`` over ``reqs`` in a fresh event loop."""

    async def run() -> list[FetchResult]:
        async with Fetcher(settings, clock=clock, boundary=boundary) as fetcher:
            return await fetcher.fetch_all(reqs, on_done=on_done)

    return asyncio.run(run())
