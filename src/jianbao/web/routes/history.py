"""A draft's version history (every step the editor saved, with what was done) and restoring a version: the
undo behind every destructive action's "撤销" button."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from jianbao.web import desk
from jianbao.web.routes._deps import Desk, DeskState
from jianbao.web.routes._pages import DraftForm, ListForm, act, draft_context, list_action, page, where

router = APIRouter()


def _history(state: DeskState, draft: desk.Draft) -> dict[str, Any]:
    versions = state.store.issue_versions(draft.issue.id) if draft.version else []
    return {"versions": versions, "page_name": "history"}


@router.get("/history")
def history_page(
    request: Request, state: Desk, date: str | None = None, format: str | None = None, v: int | None = None
) -> Response:
    """The draft's versions, newest first; ``v`` shows that version's Markdown beside the list."""
    day, fmt = where(state, date, format)
    draft = desk.load_draft(state.store, day, fmt, state.config)
    ctx = draft_context(state, draft) | _history(state, draft)
    if v is not None:
        old = state.store.issue_version(draft.issue.id, v)
        if old is None:
            raise HTTPException(404, f"no version {v} of {draft.issue.id}")
        ctx |= {"shown_version": v, "shown_markdown": desk.render_markdown(old, state.config), "shown": old}
    return page(state, request, "history.html", ctx)


@router.post("/restore")
def restore(
    request: Request,
    state: Desk,
    at: DraftForm,
    view: ListForm,
    to: int = Form(),
    page_view: str = Form("draft", alias="view"),
) -> Response:
    """Make version ``to`` current again (a new version, itself undoable); the page it came from answers:
    the draft block, the candidates list (as filtered), or the history list."""

    def run() -> desk.Draft:
        return desk.restore(state.store, state.config, at.day, at.fmt, version=at.version, to=to)

    if page_view == "candidates":
        return list_action(state, request, run, at, view)
    if page_view == "history":
        return act(
            state,
            request,
            run,
            template="history.html",
            block="history_action",
            extra=lambda draft: _history(state, draft),
            day=at.day,
            fmt=at.fmt,
            version=at.version,
        )
    return act(
        state,
        request,
        run,
        template="draft.html",
        block="draft_action",
        day=at.day,
        fmt=at.fmt,
        version=at.version,
    )
