"""The candidates page (the period's stories, best first, with filters) and picking one into the draft."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from jianbao.web import desk
from jianbao.web.routes._deps import Desk
from jianbao.web.routes._pages import candidate_action, draft_context, page, where

router = APIRouter()


@router.get("/candidates")
def candidates_page(
    request: Request,
    state: Desk,
    date: str | None = None,
    format: str = "weekly",
    section: str = "",
    source: str = "",
    lang: str = "",
    q: str = "",
) -> Response:
    """The whole page, or only the list when htmx asks for it (the filters change as the editor types)."""
    day, fmt = where(state, date, format)
    draft = desk.load_draft(state.store, day, fmt, state.config)
    cands = desk.candidates(
        state.store, draft, state.config, section=section, source=source, language=lang, text=q
    )
    ctx = draft_context(state, draft) | {
        "candidates": cands,
        "filters": {"section": section, "source": source, "lang": lang, "q": q},
        "all_sources": state.store.list_sources(),
        "page_name": "candidates",
    }
    block = (
        "candidate_list" if request.headers.get("hx-request") and request.headers.get("hx-target") else None
    )
    return page(state, request, "candidates.html", ctx, block=block)


@router.post("/pick")
def pick(
    request: Request,
    state: Desk,
    story_id: str = Form(),
    version: int = Form(),
    date: str = Form(),
    format: str = Form("weekly"),
) -> Response:
    day, fmt = where(state, date, format)
    return candidate_action(
        state,
        request,
        lambda: desk.pick(state.store, state.config, day, fmt, version=version, story_id=story_id),
        story_id=story_id,
        date=date,
        fmt=fmt,
    )
