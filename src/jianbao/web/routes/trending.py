"""The daily's GitHub trending table on the draft page: drop, restore, move and edit its rows."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from jianbao.web import trending_rows
from jianbao.web.routes._deps import Desk
from jianbao.web.routes._pages import DraftForm, act, change

router = APIRouter(prefix="/trending")


@router.post("/drop")
def trending_drop(request: Request, state: Desk, at: DraftForm, index: int = Form()) -> Response:
    return change(state, request, at, trending_rows.drop_row, index=index)


@router.post("/restore")
def trending_restore(request: Request, state: Desk, at: DraftForm, repo: str = Form()) -> Response:
    return change(state, request, at, trending_rows.restore_row, repo=repo)


@router.post("/move")
def trending_move(
    request: Request, state: Desk, at: DraftForm, index: int = Form(), direction: str = Form()
) -> Response:
    return change(state, request, at, trending_rows.move_row, index=index, direction=direction)


@router.post("/edit")
def trending_edit(
    request: Request, state: Desk, at: DraftForm, index: int = Form(), value: str = Form("")
) -> Response:
    """Autosave a row's one-line description; only the flash area answers."""
    return act(
        state,
        request,
        lambda: trending_rows.edit_row(
            state.store, state.config, at.day, at.fmt, version=at.version, index=index, value=value
        ),
        template="draft.html",
        block="edit_action",
        day=at.day,
        fmt=at.fmt,
    )
