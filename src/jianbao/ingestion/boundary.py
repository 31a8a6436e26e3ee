"""The fetch boundary: which addresses jianbao may connect to, checked on the very address it connects to.

Every HTTP request jianbao makes (sources, enrichment, robots.txt, every redirect hop, the desk's pasted URLs)
goes through one ``Fetcher`` and so through the transport built here. The policy, by the address a host
name resolves to:

* link-local and cloud-metadata addresses (169.254.0.0/16 with 169.254.169.254, fe80::/10, 100.100.100.200,
  fd00:ec2::254), unspecified, multicast and reserved ranges: always refused;
* loopback, private and shared ranges (127/8, 10/8, 172.16/12, 192.168/16, 100.64/10, ::1, fc00::/7):
  allowed only for an origin (host and port) the editor configured — a ``[[sources]]`` URL, an ``[enrich]``
  API base — so a self-hosted RSSHub on 127.0.0.1 works, while a redirect, a mined link or a pasted URL that
  points there from content is refused;
* public addresses: allowed.

A name is resolved once, every address it gives is checked (one bad answer refuses the name, so a mixed
answer cannot win a race), and the connection is made to a checked address: there is no second resolution
a rebinding DNS server could answer differently. Behind an HTTP(S) proxy from the environment the proxy
connects, so the name is checked as resolved here, before the request (best effort: the proxy resolves
again). Local files are not URLs: only a source whose URL is a path (or ``file://``) reads one, and the
fetcher refuses every scheme but http(s), redirects included.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import urllib.request
from collections.abc import Callable, Iterable
from typing import Literal

import httpcore
import httpx

from jianbao.errors import FetchError

__all__ = [
    "Boundary",
    "BoundaryTransport",
    "RefusedAddress",
    "Resolver",
    "address_class",
    "check_source_url",
    "origin_of",
    "system_resolver",
]

Resolver = Callable[[str], Iterable[str]]
AddressClass = Literal["public", "local", "forbidden"]

_FORBIDDEN = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network": connecting to 0.0.0.0 reaches the machine itself
        "169.254.0.0/16",  # link-local, with the metadata service of AWS, GCP, Azure, OpenStack at .169.254
        "100.100.100.200/32",  # Alibaba Cloud's metadata service (inside the shared range)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, with the broadcast address
        "::/128",
        "fe80::/10",  # link-local
        "fd00:ec2::254/128",  # AWS's IPv6 metadata service (inside fc00::/7)
        "ff00::/8",  # multicast
    )
)
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not public, but not ours to refuse
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class RefusedAddress(FetchError):
    """A URL the boundary refuses: its scheme, or an address its host resolves to."""


def system_resolver(host: str) -> list[str]:
    """The addresses the operating system gives for ``host``, in its order of preference."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, 6to4, NAT64), which is where it goes."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_class(address: str) -> AddressClass:
    """``public``, ``local`` (loopback, private, shared) or ``forbidden`` (link-local, metadata, the rest)."""
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "forbidden"
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_v4(ip)) is not None:
        ip = inner
    if any(ip in net for net in _FORBIDDEN if net.version == ip.version):
        return "forbidden"
    if ip.is_loopback or ip.is_private or ip in _SHARED:
        return "local"
    return "public" if ip.is_global and not ip.is_multicast and not ip.is_reserved else "forbidden"


def _host(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()


def origin_of(url: str | httpx.URL) -> tuple[str, int] | None:
    """``(host, port)`` of an http(s) URL, the port filled in; None for anything else."""
    try:
        parts = httpx.URL(url) if isinstance(url, str) else url
    except (httpx.InvalidURL, ValueError):
        return None
    if parts.scheme not in ("http", "https") or not parts.host:
        return None
    return _host(parts.host), parts.port or (443 if parts.scheme == "https" else 80)


class Boundary:
    """The policy of one fetcher: public addresses for anyone, local ones for the configured origins only.

    ``configure(url)`` marks a URL's origin as the editor's (the runner does it for every source it fetches,
    enrichment for its API bases); tests mark their loopback servers the same way. ``resolver`` (the
    system's by default) is called once per new connection; ``network`` connects to the checked address.
    """

    def __init__(
        self,
        configured: Iterable[str] = (),
        *,
        resolver: Resolver | None = None,
        network: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        self._configured: set[tuple[str, int]] = set()
        self.resolver: Resolver = resolver or system_resolver
        self.network = network  # what connects to the checked address (httpcore's AnyIO backend; tests record)
        for url in configured:
            self.configure(url)

    def configure(self, url: str) -> None:
        origin = origin_of(url)
        if origin is not None:
            self._configured.add(origin)

    def is_configured(self, host: str, port: int) -> bool:
        return (_host(host), port) in self._configured

    def refusal(self, host: str, port: int, address: str) -> str | None:
        """Why connecting to ``address`` for ``host:port`` is refused, or None when it is allowed."""
        kind = address_class(address)
        if kind == "public" or (kind == "local" and self.is_configured(host, port)):
            return None
        what = "a link-local or metadata address" if kind == "forbidden" else "a private or loopback address"
        shown = host if host == address else f"{host} → {address}"
        return f"refusing {what} ({shown})"

    def addresses(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` once and check every address; the checked addresses, or ``RefusedAddress``."""
        name = _host(host)
        url = f"{name}:{port}"
        try:
            found = [str(ipaddress.ip_address(name))]
        except ValueError:
            if name == "localhost" or name.endswith(".localhost"):  # RFC 6761: loopback, whatever DNS says
                found = ["127.0.0.1"]
            else:
                found = self._resolve(name, url)
        if not found:
            raise RefusedAddress(url, f"host {name!r} has no addresses")
        for address in found:
            reason = self.refusal(name, port, address)
            if reason is not None:
                raise RefusedAddress(url, reason)
        return found

    @staticmethod
    def needs_lookup(host: str) -> bool:
        """True when ``host`` is a name the resolver must be asked about (not an address, not localhost)."""
        name = _host(host)
        if name == "localhost" or name.endswith(".localhost"):
            return False
        try:
            ipaddress.ip_address(name.split("%", 1)[0])
        except ValueError:
            return True
        return False

    def _resolve(self, name: str, url: str) -> list[str]:
        try:
            return list(self.resolver(name))
        except (OSError, UnicodeError) as exc:
            raise RefusedAddress(url, f"cannot resolve host {name!r} ({exc})") from None

    def check_url(self, url: str) -> list[str]:
        """Refuse (``RefusedAddress``) a URL this boundary would not fetch: not http(s), no host, or a host that
        resolves to a refused address. Returns the checked addresses. For a check before any request (the
        desk's pasted URL, ``sources add``); the fetch itself checks again at connect time."""
        text = url.strip()
        scheme = text.split(":", 1)[0].lower() if ":" in text else ""
        if scheme not in ("http", "https"):
            raise RefusedAddress(text, f"only http and https URLs are allowed, not {scheme or 'no scheme'!r}")
        origin = origin_of(text)
        if origin is None:
            raise RefusedAddress(text, "not a valid URL with a host")
        try:
            return self.addresses(*origin)
        except RefusedAddress as exc:
            raise RefusedAddress(text, exc.reason) from None


def check_source_url(url: str, *, resolve: bool = True) -> None:
    """Refuse (``RefusedAddress``) a URL an editor gives as a source when no fetch could ever take it: a scheme
    other than http(s), or a host that is (or, with ``resolve``, resolves to) a link-local or metadata address.
    Loopback and private hosts are fine: the editor configures them. A name that does not resolve now is not
    refused (the editor may be offline); the fetch checks again when it connects. Local paths are the caller's.
    """
    text = url.strip()
    origin = origin_of(text)
    if origin is None:
        raise RefusedAddress(text, "not an http(s) URL with a host")
    host, port = origin
    boundary = Boundary([text], resolver=None if resolve else _no_resolution)
    try:
        boundary.addresses(host, port)
    except RefusedAddress as exc:
        if not exc.reason.startswith(("cannot resolve", "host ")):
            raise RefusedAddress(text, exc.reason) from None


def _no_resolution(host: str) -> list[str]:
    raise OSError("not resolved")


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting to the addresses the boundary checked instead of the name."""

    def __init__(self, boundary: Boundary) -> None:
        self.boundary = boundary
        self._inner = boundary.network or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if self.boundary.needs_lookup(host):  # a name: the resolver blocks, so it runs on a thread (as httpcore's)
            addresses = await asyncio.to_thread(self.boundary.addresses, host, port)
        else:  # an address, or localhost: checked at once (no thread to wait for behind busy ones)
            addresses = self.boundary.addresses(host, port)
        failure: Exception | None = None
        for address in addresses:  # the checked ones, in the resolver's order (no second lookup)
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None  # addresses() never returns an empty list
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise RefusedAddress(path, "unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (so its error mapping stays) over a connection pool with the pinned backend."""

    def __init__(self, boundary: Boundary, *, ssl_context: ssl.SSLContext, limits: httpx.Limits, http2: bool) -> None:
        super().__init__(verify=ssl_context, limits=limits, http2=http2)
        # httpx 0.28 builds its pool from these same arguments but takes no network backend; the pool is the
        # one thing handle_async_request uses, so it is swapped for one that has ours (pinned in pyproject).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=http2,
            network_backend=_PinnedBackend(boundary),
        )


class BoundaryTransport(httpx.AsyncBaseTransport):
    """The transport of every ``Fetcher``: http(s) only, each connection checked by ``boundary``; the
    environment's HTTP(S)_PROXY honoured when ``trust_env`` (the name then checked before the request)."""

    def __init__(self, boundary: Boundary, *, limits: httpx.Limits, http2: bool = True, trust_env: bool = True) -> None:
        self.boundary = boundary
        self._ssl = httpx.create_ssl_context(trust_env=trust_env)
        self._limits, self._http2 = limits, http2
        self._direct = _PinnedTransport(boundary, ssl_context=self._ssl, limits=limits, http2=http2)
        self._proxy_urls = _environment_proxies() if trust_env else {}
        self._proxied: dict[str, httpx.AsyncHTTPTransport] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise RefusedAddress(str(url), f"unsupported URL scheme {url.scheme!r}: only http and https are fetched")
        proxy = self._proxy_urls.get(url.scheme) if not urllib.request.proxy_bypass(url.host) else None
        if proxy is None:
            return await self._direct.handle_async_request(request)
        origin = origin_of(url)
        assert origin is not None
        if self.boundary.needs_lookup(origin[0]):
            await asyncio.to_thread(self.boundary.addresses, *origin)
        else:
            self.boundary.addresses(*origin)
        if proxy not in self._proxied:
            self._proxied[proxy] = httpx.AsyncHTTPTransport(
                verify=self._ssl, limits=self._limits, http2=self._http2, proxy=proxy
            )
        return await self._proxied[proxy].handle_async_request(request)

    async def aclose(self) -> None:
        await self._direct.aclose()
        for transport in self._proxied.values():
            await transport.aclose()


def _environment_proxies() -> dict[str, str]:
    """``{"http": proxy, "https": proxy}`` from HTTP(S)_PROXY / ALL_PROXY, as httpx would read them."""
    found = urllib.request.getproxies_environment()
    fallback = found.get("all")
    out = {}
    for scheme in ("http", "https"):
        proxy = found.get(scheme) or fallback
        if proxy and proxy.startswith(("http://", "https://")):
            out[scheme] = proxy
    return out
