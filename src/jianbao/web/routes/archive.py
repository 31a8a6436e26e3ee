"""The archive page: the latest issues, or a full-text search over every issue's items."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jianbao.editions import editions
from jianbao.web import desk
from jianbao.web.routes._deps import Desk
from jianbao.web.routes._pages import draft_context, page, where

router = APIRouter()

LISTED_ISSUES = 60  # the unsearched page lists this many issues, newest first


@router.get("/archive")
def archive_page(
    request: Request,
    state: Desk,
    date: str | None = None,
    format: str | None = None,
    q: str = "",
) -> Response:
    day, fmt = where(state, date, format)
    draft = desk.load_draft(state.store, day, fmt, state.config)
    ctx = draft_context(state, draft) | {
        "page_name": "archive",
        "q": q,
        "hits": desk.search_archive(state.store, q) if q else [],
        "issues": [] if q else state.store.list_issues()[:LISTED_ISSUES],
        "edition_titles": {name: edition.title for name, edition in editions().items()},
    }
    return page(state, request, "archive.html", ctx)
