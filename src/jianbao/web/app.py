"""The editor's desk as a FastAPI app: settings, safety checks, templates and static files around the routers.

Safety lives here: an optional access token (required off loopback), CSRF tokens and same-origin checks
on every state-changing request, a Host check against DNS rebinding, a strict Content-Security-Policy,
and Jinja2 autoescaping for every piece of source text. The pages and actions are in ``web.routes``.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.exceptions import HTTPException as StarletteHTTPException

from jianbao.config import Config
from jianbao.editions.base import PRIORITY_MARKS
from jianbao.errors import ConfigError
from jianbao.ingestion.boundary import Boundary
from jianbao.safety import gate_url, strip_controls
from jianbao.store import open_store
from jianbao.web.desk import UrlGuard, domain, local_time
from jianbao.web.routes import ROUTERS
from jianbao.web.routes._deps import DeskState

HERE = Path(__file__).parent
TOKEN_COOKIE = "jianbao_token"
CSRF_COOKIE = "jianbao_csrf"
CSRF_HEADER = "x-csrf-token"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})  # tests speak to 127.0.0.1 as well
MIN_TOKEN = 16  # characters: a shorter access token is guessed too easily
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' https: data:; frame-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def create_app(
    config: Config,
    store_url: str,
    *,
    token: str | None = None,
    url_guard: UrlGuard | None = None,
    allowed_hosts: set[str] | None = None,
    today: Callable[[], dt.date] | None = None,
) -> FastAPI:
    """The desk app; ``url_guard`` decides which pasted URLs may be fetched (default: public ones only).

    Without ``allowed_hosts`` only loopback names may be in the Host header, unless a ``token`` guards the
    desk; ``today`` is the clock (tests pin it).
    """
    if token is not None and len(token) < MIN_TOKEN:
        raise ConfigError(f"the desk's access token is too short ({len(token)} characters; {MIN_TOKEN} or more)")
    store = open_store(store_url)
    hosts = allowed_hosts if allowed_hosts is not None else (None if token else set(LOOPBACK_HOSTS))
    app = FastAPI(title="jianbao desk", docs_url=None, redoc_url=None, openapi_url=None, lifespan=_lifespan)
    app.state.desk = DeskState(
        store=store,
        config=config,
        templates=_templates(),
        url_guard=url_guard or Boundary(),
        today=today or dt.date.today,
    )
    app.state.store = store
    app.state.config = config
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.middleware("http")(_Guard(token=token, hosts=frozenset(hosts) if hosts is not None else None))
    app.add_exception_handler(RequestValidationError, _bad_input)
    app.add_exception_handler(StarletteHTTPException, _refused)
    for router in ROUTERS:  # the CSRF check lets safe methods through, so every router gets it
        app.include_router(router, dependencies=[Depends(_check_csrf)])
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    state: DeskState = app.state.desk
    state.store.close()


def _templates() -> Jinja2Blocks:
    templates = Jinja2Blocks(directory=str(HERE / "templates"))
    templates.env.autoescape = True  # every template, whatever its extension
    templates.env.filters["parts"] = _format_parts
    templates.env.filters["domain"] = domain
    templates.env.filters["local"] = local_time
    templates.env.filters["href"] = _href
    templates.env.globals["priority_marks"] = PRIORITY_MARKS  # the daily's 🔴/🟡 before a line
    return templates


def _href(url: str | None) -> str:
    """A link target on a desk page: the URL as the gate passes it, else nothing to follow. What the store holds
    passed the gate already; this keeps a store written before the gate (or by hand) from reaching an href."""
    return gate_url(url) or "#"


def _format_parts(parts: dict[str, float]) -> list[tuple[str, str]]:
    """A story's score parts for the candidates table: ``+0.42``, and the source weight as ``×1.5``."""
    return [(k, f"{v:+.2f}" if k != "source_weight" else f"×{v:g}") for k, v in parts.items() if v]


# --------------------------------------------------------------------------------------------- safety
@dataclass(frozen=True, slots=True)
class _Guard:
    """The HTTP middleware every request passes: Host and token checks, the CSRF cookie, security headers.

    ``hosts`` None accepts any Host (a token guards the desk); ``token`` None needs none. A GET with the
    right ``?token=`` is answered with the token cookie and a redirect to the same URL without it.
    """

    token: str | None
    hosts: frozenset[str] | None

    async def __call__(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]").lower()
        if self.hosts is not None and host not in self.hosts:
            return _plain(400, "unexpected Host header")
        if _has_control(request):
            return _plain(400, "bad request: a control character in the address")
        set_token = False
        if self.token is not None:
            offered = _bearer(request) or request.cookies.get(TOKEN_COOKIE) or ""
            if not hmac.compare_digest(offered.encode(), self.token.encode()):
                query_token = request.query_params.get("token", "")
                if request.method == "GET" and hmac.compare_digest(query_token.encode(), self.token.encode()):
                    set_token = True
                else:
                    return _plain(401, "a valid token is required (Authorization: Bearer … or ?token=…)")
        csrf = request.cookies.get(CSRF_COOKIE)
        request.state.csrf = csrf or secrets.token_urlsafe(32)
        if set_token:
            response = self._token_redirect(request)
        else:
            response = await call_next(request)
        if not csrf:
            response.set_cookie(
                CSRF_COOKIE,
                request.state.csrf,
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
            )
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def _token_redirect(self, request: Request) -> Response:
        """Keep the token in a cookie and take it out of the address bar (and so out of history and logs)."""
        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
        # One leading slash: "//evil.example/x" would be a protocol-relative URL, off the desk's origin.
        path = "/" + request.url.path.lstrip("/\\")
        response = RedirectResponse(path + ("?" + urlencode(rest) if rest else ""), status_code=303)
        response.set_cookie(
            TOKEN_COOKIE,
            self.token or "",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response


def _has_control(request: Request) -> bool:
    """True when the path or a query name or value holds a control character (``?q=x%00y``): no page wants one,
    and the store's search would fail on it."""
    if _CONTROL_RE.search(request.url.path):
        return True
    return any(_CONTROL_RE.search(k) or _CONTROL_RE.search(v) for k, v in request.query_params.multi_items())


async def _bad_input(request: Request, exc: Exception) -> Response:
    """A request whose fields do not parse (``index=abc``, a missing form field): 400 and one line naming them."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    parts = [f"{'.'.join(str(p) for p in error.get('loc', ())[1:]) or 'request'}: {error.get('msg', '')}" for error in errors]
    return _plain(400, "bad request: " + ("; ".join(parts) or "invalid input"))


async def _refused(request: Request, exc: Exception) -> Response:
    """Any refusal a route raises (400 bad date, 403 CSRF, 404): its reason as one line of plain text."""
    status = exc.status_code if isinstance(exc, StarletteHTTPException) else 500
    detail = exc.detail if isinstance(exc, StarletteHTTPException) else ""
    return _plain(status, " ".join(strip_controls(str(detail)).split()) or "refused")


def _bearer(request: Request) -> str | None:
    value = request.headers.get("authorization", "")
    scheme, _, credential = value.partition(" ")
    return credential.strip() if scheme.lower() == "bearer" and credential.strip() else None


def _plain(status: int, text: str) -> Response:
    return Response(
        text + "\n",
        status_code=status,
        media_type="text/plain; charset=utf-8",
        headers={"Content-Security-Policy": CSP},
    )


def _same_origin(request: Request, value: str) -> bool:
    parts = urlsplit(value)
    own = request.headers.get("host", "")
    return parts.scheme in ("http", "https") and parts.netloc.lower() == own.lower()


async def _check_csrf(request: Request) -> None:
    """Refuse a state-changing request from another origin or without this session's CSRF token."""
    if request.method not in _UNSAFE_METHODS:
        return
    origin = request.headers.get("origin")
    referer = request.headers.get("referer")
    if origin is not None and not _same_origin(request, origin):
        raise HTTPException(403, "cross-origin request refused")
    if origin is None and referer and not _same_origin(request, referer):
        raise HTTPException(403, "cross-origin request refused")
    expected = request.cookies.get(CSRF_COOKIE)
    offered = request.headers.get(CSRF_HEADER)
    if offered is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        field = (await request.form()).get("csrf_token")
        offered = field if isinstance(field, str) else None
    if not expected or not offered or not hmac.compare_digest(expected.encode(), offered.encode()):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page")
