"""The 其他 list on the draft page: add a candidate to it, drop, reword, move and reorder its links, promote one to
a numbered item, or send a numbered item down to it. Each answers with the whole draft block."""

from __future__ import annotations

import json

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from jianbao.web import other_list
from jianbao.web.routes._deps import Desk
from jianbao.web.routes._pages import candidate_action, draft_action, flash, where

router = APIRouter(prefix="/other")


@router.post("/add")
def other_add(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    story_id: str = Form(),
) -> Response:
    """From the candidates list: the story's lead report goes to the end of the 其他 list; its row answers."""
    day, fmt = where(state, date, format)
    return candidate_action(
        state,
        request,
        lambda: other_list.add_other(state.store, state.config, day, fmt, version=version, story_id=story_id),
        story_id=story_id,
        date=date,
        fmt=fmt,
        version=version,
    )


@router.post("/drop")
def other_drop(
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
        lambda: other_list.drop_other(state.store, state.config, day, fmt, version=version, index=index),
        date=date,
        fmt=fmt,
        version=version,
    )


@router.post("/edit")
def other_edit(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    index: int = Form(),
    value: str = Form(""),
) -> Response:
    day, fmt = where(state, date, format)
    return draft_action(
        state,
        request,
        lambda: other_list.edit_other(
            state.store, state.config, day, fmt, version=version, index=index, title=value
        ),
        date=date,
        fmt=fmt,
    )


@router.post("/move")
def other_move(
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
        lambda: other_list.move_other(
            state.store, state.config, day, fmt, version=version, index=index, direction=direction
        ),
        date=date,
        fmt=fmt,
        version=version,
    )


@router.post("/reorder")
def other_reorder(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    order: str = Form(),
) -> Response:
    """The whole new order after a drag and drop, as JSON ``[index, …]``."""
    day, fmt = where(state, date, format)
    try:
        value = json.loads(order)
    except ValueError:
        value = None
    if not isinstance(value, list) or not all(type(i) is int for i in value):
        return flash(state, request, "顺序格式不对：需要一个整数列表", status=422)
    return draft_action(
        state,
        request,
        lambda: other_list.reorder_other(state.store, state.config, day, fmt, version=version, order=value),
        date=date,
        fmt=fmt,
        version=version,
    )


@router.post("/promote")
def other_promote(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    index: int = Form(),
    section: str = Form(""),
) -> Response:
    day, fmt = where(state, date, format)
    return draft_action(
        state,
        request,
        lambda: other_list.promote_other(
            state.store, state.config, day, fmt, version=version, index=index, section=section
        ),
        date=date,
        fmt=fmt,
        version=version,
    )


@router.post("/demote")
def other_demote(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    index: int = Form(),
) -> Response:
    """A numbered item (by its ``index`` over the issue) goes down to the end of the 其他 list."""
    day, fmt = where(state, date, format)
    return draft_action(
        state,
        request,
        lambda: other_list.demote_item(state.store, state.config, day, fmt, version=version, index=index),
        date=date,
        fmt=fmt,
        version=version,
    )
