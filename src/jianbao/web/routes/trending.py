"""The daily's GitHub trending table on the draft page: drop, restore, move and edit its rows."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from jianbao.web import trending_rows
from jianbao.web.routes._deps import Desk
from jianbao.web.routes._pages import act, draft_action, where

router = APIRouter(prefix="/trending")


@router.post("/drop")
def trending_drop(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    index: int = Form(),
) -> Response:
    day, fmt = where(state, date, format)
    return draft_action(
        state,
        request,
        lambda: trending_rows.drop_row(state.store, state.config, day, fmt, version=version, index=index),
        date=date,
        fmt=fmt,
        version=version,
    )


@router.post("/restore")
def trending_restore(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    repo: str = Form(),
) -> Response:
    day, fmt = where(state, date, format)
    return draft_action(
        state,
        request,
        lambda: trending_rows.restore_row(state.store, state.config, day, fmt, version=version, repo=repo),
        date=date,
        fmt=fmt,
        version=version,
    )


@router.post("/move")
def trending_move(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    index: int = Form(),
    direction: str = Form(),
) -> Response:
    day, fmt = where(state, date, format)
    return draft_action(
        state,
        request,
        lambda: trending_rows.move_row(
            state.store, state.config, day, fmt, version=version, index=index, direction=direction
        ),
        date=date,
        fmt=fmt,
        version=version,
    )


@router.post("/edit")
def trending_edit(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    index: int = Form(),
    value: str = Form(""),
) -> Response:
    """Autosave a row's one-line description; only the flash area answers."""
    day, fmt = where(state, date, format)
    return act(
        state,
        request,
        lambda: trending_rows.edit_row(
            state.store, state.config, day, fmt, version=version, index=index, value=value
        ),
        template="draft.html",
        block="edit_action",
        date=date,
        fmt=fmt,
    )
