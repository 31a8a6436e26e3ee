"""A draft's version history (every step the editor saved, with what was done) and restoring a version: the
undo behind every destructive action's "撤销" button."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from jianbao.web import desk
from jianbao.web.routes._deps import Desk, DeskState
from jianbao.web.routes._pages import LIST_PAGE, act, candidate_list_context, draft_context, page, where

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
    version: int = Form(),
    to: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    view: str = Form("draft"),
    section: str = Form(""),
    source: str = Form(""),
    lang: str = Form(""),
    q: str = Form(""),
    shown: int = Form(LIST_PAGE),
) -> Response:
    """Make version ``to`` current again (a new version, itself undoable); the page it came from answers:
    the draft block, the candidates list (as filtered), or the history list."""
    day, fmt = where(state, date, format)

    def run() -> desk.Draft:
        return desk.restore(state.store, state.config, day, fmt, version=version, to=to)

    if view == "candidates":
        return act(
            state,
            request,
            run,
            template="candidates.html",
            block="list_action",
            extra=lambda draft: candidate_list_context(
                state, draft, section=section, source=source, lang=lang, q=q, shown=shown
            ),
            day=day,
            fmt=fmt,
            version=version,
        )
    if view == "history":
        return act(
            state,
            request,
            run,
            template="history.html",
            block="history_action",
            extra=lambda draft: _history(state, draft),
            day=day,
            fmt=fmt,
            version=version,
        )
    return act(
        state, request, run, template="draft.html", block="draft_action", day=day, fmt=fmt, version=version
    )
