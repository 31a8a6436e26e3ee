"""The preview page (the draft as each renderer writes it) and publishing the issue from it."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from jianbao.web import desk
from jianbao.web.routes._deps import Desk
from jianbao.web.routes._pages import act, draft_context, page, where

router = APIRouter()


@router.get("/preview")
def preview_page(
    request: Request, state: Desk, date: str | None = None, format: str | None = None
) -> Response:
    """Every output file of the draft exactly as it is written, side by side, with copy buttons."""
    day, fmt = where(state, date, format)
    draft = desk.load_draft(state.store, day, fmt, state.config)
    ctx = draft_context(state, draft) | {
        "page_name": "preview",
        "previews": desk.previews(draft, state.config),
        "labels": desk.PREVIEWS,
        "file_names": desk.file_names(draft.issue),
    }
    return page(state, request, "preview.html", ctx)


@router.post("/publish")
def publish(
    request: Request, state: Desk, version: int = Form(), date: str = Form(), format: str | None = Form(None)
) -> Response:
    """Publish through ``jianbao publish``'s path and flash where the file was written."""
    day, fmt = where(state, date, format)
    return act(
        state,
        request,
        lambda: "已发布：" + desk.publish(state.store, state.config, day, fmt, version=version),
        template="preview.html",
        block="publish_action",
        day=day,
        fmt=fmt,
    )
