"""The editor's desk as a FastAPI app: candidates, draft, preview and archive pages over one store.

Safety lives here: an optional access token (required off loopback), CSRF tokens and same-origin checks
on every state-changing request, a Host check against DNS rebinding, a strict Content-Security-Policy,
and Jinja2 autoescaping for every piece of source text.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2_fragments.fastapi import Jinja2Blocks

from jianbao.config import Config
from jianbao.errors import JianbaoError
from jianbao.store import open_store
from jianbao.web import desk

HERE = Path(__file__).parent
TOKEN_COOKIE = "jianbao_token"
CSRF_COOKIE = "jianbao_csrf"
CSRF_HEADER = "x-csrf-token"
DEMO_DATE = dt.date(2026, 11, 20)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "testserver"})
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
    url_guard: desk.UrlGuard | None = None,
    allowed_hosts: set[str] | None = None,
    today: Callable[[], dt.date] | None = None,
) -> FastAPI:
    """The desk app; ``url_guard`` decides which pasted URLs may be fetched (default: public ones only)."""
    from jianbao.ingestion.fetch import check_public_url

    store = open_store(store_url)
    guard = url_guard or check_public_url
    hosts = allowed_hosts if allowed_hosts is not None else (None if token else set(LOOPBACK_HOSTS))
    templates = Jinja2Blocks(directory=str(HERE / "templates"))
    templates.env.autoescape = True  # every template, whatever its extension
    templates.env.filters["parts"] = _format_parts

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="jianbao desk", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.store = store
    app.state.config = config
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def _guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        host = (request.headers.get("host") or "").rsplit(":", 1)[0].strip("[]").lower()
        if hosts is not None and host not in hosts:
            return _plain(400, "unexpected Host header")
        set_token = False
        if token is not None:
            offered = _bearer(request) or request.cookies.get(TOKEN_COOKIE) or ""
            if not hmac.compare_digest(offered.encode(), token.encode()):
                query_token = request.query_params.get("token", "")
                if request.method == "GET" and hmac.compare_digest(query_token.encode(), token.encode()):
                    set_token = True
                else:
                    return _plain(401, "a valid token is required (Authorization: Bearer … or ?token=…)")
        csrf = request.cookies.get(CSRF_COOKIE)
        request.state.csrf = csrf or secrets.token_urlsafe(32)
        if set_token:
            rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            response: Response = RedirectResponse(
                request.url.path + ("?" + urlencode(rest) if rest else ""), status_code=303
            )
            response.set_cookie(
                TOKEN_COOKIE,
                token or "",
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
            )
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

    def page(
        request: Request, name: str, ctx: dict[str, Any], *, block: str | None = None, status: int = 200
    ) -> Response:
        base = {"request": request, "csrf": request.state.csrf, "today": (today or dt.date.today)()}
        base.update(ctx)
        if block:
            return templates.TemplateResponse(request, name, base, status_code=status, block_name=block)
        return templates.TemplateResponse(request, name, base, status_code=status)

    def where(date: str | None, fmt: str) -> tuple[dt.date, str]:
        if fmt not in ("weekly", "daily"):
            raise HTTPException(400, "format must be weekly or daily")
        if not date:
            return (today or dt.date.today)(), fmt
        try:
            return dt.date.fromisoformat(date), fmt
        except ValueError:
            raise HTTPException(400, f"not a date: {date!r}") from None

    def common(draft: desk.Draft) -> dict[str, Any]:
        issue = draft.issue
        return {
            "draft": draft,
            "issue": issue,
            "version": draft.version,
            "day": issue.date,
            "fmt": issue.format,
            "sections": desk.section_names(config, issue.format),
            "board": desk.board(issue, config),
            "spare_rows": desk.spare_rows(store, draft, config),  # [] unless a daily draft
            "query": _query(issue.date, issue.format),
        }

    # ---------------------------------------------------------------------------------- pages
    @app.get("/")
    def index(date: str | None = None, format: str = "weekly") -> RedirectResponse:
        day, fmt = where(date, format)
        return RedirectResponse(f"/candidates?{_query(day, fmt)}", status_code=303)

    @app.get("/candidates")
    def candidates_page(
        request: Request,
        date: str | None = None,
        format: str = "weekly",
        section: str = "",
        source: str = "",
        lang: str = "",
        q: str = "",
    ) -> Response:
        day, fmt = where(date, format)
        draft = desk.load_draft(store, day, fmt, config)
        cands = desk.candidates(store, draft, config, section=section, source=source, language=lang, text=q)
        ctx = common(draft) | {
            "candidates": cands,
            "filters": {"section": section, "source": source, "lang": lang, "q": q},
            "all_sources": store.list_sources(),
            "page_name": "candidates",
        }
        block = (
            "candidate_list"
            if request.headers.get("hx-request") and request.headers.get("hx-target")
            else None
        )
        return page(request, "candidates.html", ctx, block=block)

    @app.get("/draft")
    def draft_page(request: Request, date: str | None = None, format: str = "weekly") -> Response:
        day, fmt = where(date, format)
        draft = desk.load_draft(store, day, fmt, config)
        return page(request, "draft.html", common(draft) | {"page_name": "draft"})

    @app.get("/preview")
    def preview_page(request: Request, date: str | None = None, format: str = "weekly") -> Response:
        day, fmt = where(date, format)
        draft = desk.load_draft(store, day, fmt, config)
        ctx = common(draft) | {
            "page_name": "preview",
            "previews": desk.previews(draft.issue, config),
            "labels": desk.PREVIEWS,
        }
        return page(request, "preview.html", ctx)

    @app.get("/archive")
    def archive_page(
        request: Request,
        date: str | None = None,
        format: str = "weekly",
        q: str = "",
    ) -> Response:
        day, fmt = where(date, format)
        draft = desk.load_draft(store, day, fmt, config)
        ctx = common(draft) | {
            "page_name": "archive",
            "q": q,
            "hits": desk.search_archive(store, q) if q else [],
            "issues": [] if q else store.list_issues()[:60],
        }
        return page(request, "archive.html", ctx)

    # -------------------------------------------------------------------------------- actions
    actions = APIRouter(dependencies=[Depends(_check_csrf)])

    def act(
        request: Request,
        run: Callable[[], desk.Draft | str],
        *,
        template: str,
        block: str,
        extra: Callable[[desk.Draft], dict[str, Any]] | None = None,
        date: str,
        fmt: str,
    ) -> Response:
        day, fmt = where(date, fmt)
        try:
            outcome = run()
        except desk.StaleDraft as exc:
            return _flash(request, page, exc.message, status=409)
        except JianbaoError as exc:
            return _flash(request, page, exc.message, status=422)
        draft = outcome if isinstance(outcome, desk.Draft) else desk.load_draft(store, day, fmt, config)
        ctx = common(draft) | {"oob": True, "message": "" if isinstance(outcome, desk.Draft) else outcome}
        if extra:
            ctx |= extra(draft)
        return page(request, template, ctx, block=block)

    def candidate_extra(story_id: str) -> Callable[[desk.Draft], dict[str, Any]]:
        def extra(draft: desk.Draft) -> dict[str, Any]:
            cands = [c for c in desk.candidates(store, draft, config) if c.story.id == story_id]
            return {"cand": cands[0] if cands else None}

        return extra

    def draft_action(request: Request, run: Callable[[], desk.Draft], *, date: str, fmt: str) -> Response:
        """An action whose answer is the whole draft block (items and trending table) plus its side panels."""
        return act(request, run, template="draft.html", block="draft_action", date=date, fmt=fmt)

    @actions.post("/pick")
    def pick(
        request: Request,
        story_id: str = Form(),
        version: int = Form(),
        date: str = Form(),
        format: str = Form("weekly"),
    ) -> Response:
        day, fmt = where(date, format)
        return act(
            request,
            lambda: desk.pick(store, config, day, fmt, version=version, story_id=story_id),
            template="candidates.html",
            block="candidate_action",
            extra=candidate_extra(story_id),
            date=date,
            fmt=fmt,
        )

    @actions.post("/drop")
    def drop(
        request: Request,
        version: int = Form(),
        date: str = Form(),
        format: str = Form("weekly"),
        story_id: str | None = Form(None),
        index: int | None = Form(None),
    ) -> Response:
        day, fmt = where(date, format)
        run = lambda: desk.drop(store, config, day, fmt, version=version, story_id=story_id, index=index)  # noqa: E731
        if story_id is not None and index is None:
            return act(
                request,
                run,
                template="candidates.html",
                block="candidate_action",
                extra=candidate_extra(story_id),
                date=date,
                fmt=fmt,
            )
        return draft_action(request, run, date=date, fmt=fmt)

    @actions.post("/move")
    def move(
        request: Request,
        version: int = Form(),
        date: str = Form(),
        format: str = Form("weekly"),
        index: int = Form(),
        direction: str = Form(""),
        section: str = Form(""),
    ) -> Response:
        day, fmt = where(date, format)
        return draft_action(
            request,
            lambda: desk.move(
                store, config, day, fmt, version=version, index=index, direction=direction, section=section
            ),
            date=date,
            fmt=fmt,
        )

    @actions.post("/edit")
    def edit(
        request: Request,
        version: int = Form(),
        date: str = Form(),
        format: str = Form("weekly"),
        index: int = Form(),
        name: str = Form(),
        value: str = Form(""),
    ) -> Response:
        day, fmt = where(date, format)
        block = "draft_action" if name == "section" else "edit_action"
        return act(
            request,
            lambda: desk.edit(store, config, day, fmt, version=version, index=index, name=name, value=value),
            template="draft.html",
            block=block,
            date=date,
            fmt=fmt,
        )

    @actions.post("/remark")
    def remark(
        request: Request,
        version: int = Form(),
        date: str = Form(),
        format: str = Form("weekly"),
        value: str = Form(""),
    ) -> Response:
        day, fmt = where(date, format)
        return act(
            request,
            lambda: desk.edit_remark(store, config, day, fmt, version=version, value=value),
            template="draft.html",
            block="edit_action",
            date=date,
            fmt=fmt,
        )

    @actions.post("/regenerate")
    def regenerate(
        request: Request,
        version: int = Form(),
        date: str = Form(),
        format: str = Form("weekly"),
        index: int = Form(),
    ) -> Response:
        day, fmt = where(date, format)
        return draft_action(
            request,
            lambda: desk.regenerate(store, config, day, fmt, version=version, index=index),
            date=date,
            fmt=fmt,
        )

    @actions.post("/add-url")
    def add_url(
        request: Request,
        version: int = Form(),
        date: str = Form(),
        format: str = Form("weekly"),
        url: str = Form(),
    ) -> Response:
        day, fmt = where(date, format)
        return draft_action(
            request,
            lambda: desk.add_url(store, config, day, fmt, version=version, url=url, guard=guard),
            date=date,
            fmt=fmt,
        )

    @actions.post("/publish")
    def publish(
        request: Request, version: int = Form(), date: str = Form(), format: str = Form("weekly")
    ) -> Response:
        day, fmt = where(date, format)
        return act(
            request,
            lambda: "已发布：" + desk.publish(store, config, day, fmt, version=version),
            template="preview.html",
            block="publish_action",
            date=date,
            fmt=fmt,
        )

    @actions.post("/reorder")
    def reorder(
        request: Request,
        version: int = Form(),
        date: str = Form(),
        format: str = Form("weekly"),
        items: str = Form(""),
        trending: str = Form(""),
    ) -> Response:
        """The whole new order after a drag and drop: ``items`` as JSON ``[[section, [index, …]], …]``,
        ``trending`` as JSON ``[index, …]``; either may be left out."""
        day, fmt = where(date, format)
        try:
            item_order = _item_order(items) if items else None
            row_order = _index_list(trending) if trending else None
        except ValueError as exc:
            return _flash(request, page, f"顺序格式不对：{exc}", status=422)
        return draft_action(
            request,
            lambda: desk.reorder(
                store, config, day, fmt, version=version, items=item_order, trending=row_order
            ),
            date=date,
            fmt=fmt,
        )

    @actions.post("/trending/drop")
    def trending_drop(
        request: Request,
        version: int = Form(),
        date: str = Form(),
        format: str = Form("daily"),
        index: int = Form(),
    ) -> Response:
        day, fmt = where(date, format)
        return draft_action(
            request,
            lambda: desk.drop_row(store, config, day, fmt, version=version, index=index),
            date=date,
            fmt=fmt,
        )

    @actions.post("/trending/restore")
    def trending_restore(
        request: Request,
        version: int = Form(),
        date: str = Form(),
        format: str = Form("daily"),
        repo: str = Form(),
    ) -> Response:
        day, fmt = where(date, format)
        return draft_action(
            request,
            lambda: desk.restore_row(store, config, day, fmt, version=version, repo=repo),
            date=date,
            fmt=fmt,
        )

    @actions.post("/trending/move")
    def trending_move(
        request: Request,
        version: int = Form(),
        date: str = Form(),
        format: str = Form("daily"),
        index: int = Form(),
        direction: str = Form(),
    ) -> Response:
        day, fmt = where(date, format)
        return draft_action(
            request,
            lambda: desk.move_row(store, config, day, fmt, version=version, index=index, direction=direction),
            date=date,
            fmt=fmt,
        )

    @actions.post("/trending/edit")
    def trending_edit(
        request: Request,
        version: int = Form(),
        date: str = Form(),
        format: str = Form("daily"),
        index: int = Form(),
        value: str = Form(""),
    ) -> Response:
        day, fmt = where(date, format)
        return act(
            request,
            lambda: desk.edit_row(store, config, day, fmt, version=version, index=index, value=value),
            template="draft.html",
            block="edit_action",
            date=date,
            fmt=fmt,
        )

    app.include_router(actions)

    return app


def _query(day: dt.date, fmt: str) -> str:
    return urlencode({"date": day.isoformat(), "format": fmt})


def _index_list(text: str) -> list[int]:
    return _ints(json.loads(text))


def _ints(value: Any) -> list[int]:
    if not isinstance(value, list) or not all(type(i) is int for i in value):
        raise ValueError("需要一个整数列表")
    return value


def _item_order(text: str) -> list[tuple[str, list[int]]]:
    """``[[section, [index, …]], …]`` from the drag-and-drop script, checked for shape (not for sense)."""
    value = json.loads(text)
    if not isinstance(value, list):
        raise ValueError("需要 [[栏目, [序号…]], …]")
    out = []
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
            raise ValueError("需要 [[栏目, [序号…]], …]")
        out.append((pair[0], _ints(pair[1])))
    return out


def _format_parts(parts: dict[str, float]) -> list[tuple[str, str]]:
    return [(k, f"{v:+.2f}" if k != "source_weight" else f"×{v:g}") for k, v in parts.items() if v]


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


def _flash(request: Request, page: Callable[..., Response], message: str, *, status: int) -> Response:
    response = page(
        request,
        "base.html",
        {"message": message, "oob": True, "error": True},
        block="flash_oob",
        status=status,
    )
    response.headers["HX-Reswap"] = "none"
    return response
