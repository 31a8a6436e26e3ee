"""The 其他 list on the draft page: add a candidate to it, drop, reword, move and reorder its links, promote one to
a numbered item, or send a numbered item down to it. Each answers with the whole draft block."""

from __future__ import annotations

import json

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from jianbao.web import other_list
from jianbao.web.routes._deps import Desk
from jianbao.web.routes._pages import DraftForm, candidate_action, change, flash

router = APIRouter(prefix="/other")


@router.post("/add")
def other_add(request: Request, state: Desk, at: DraftForm, story_id: str = Form()) -> Response:
    """From the candidates list: the story's lead report goes to the end of the 其他 list; its row answers."""
    return candidate_action(
        state,
        request,
        lambda: other_list.add_other(
            state.store, state.config, at.day, at.fmt, version=at.version, story_id=story_id
        ),
        story_id=story_id,
        day=at.day,
        fmt=at.fmt,
        version=at.version,
    )


@router.post("/drop")
def other_drop(request: Request, state: Desk, at: DraftForm, index: int = Form()) -> Response:
    return change(state, request, at, other_list.drop_other, index=index)


@router.post("/edit")
def other_edit(
    request: Request, state: Desk, at: DraftForm, index: int = Form(), value: str = Form("")
) -> Response:
    return change(state, request, at, other_list.edit_other, undo=False, index=index, title=value)


@router.post("/move")
def other_move(
    request: Request, state: Desk, at: DraftForm, index: int = Form(), direction: str = Form()
) -> Response:
    return change(state, request, at, other_list.move_other, index=index, direction=direction)


@router.post("/reorder")
def other_reorder(request: Request, state: Desk, at: DraftForm, order: str = Form()) -> Response:
    """The whole new order after a drag and drop, as JSON ``[index, …]``."""
    try:
        value = json.loads(order)
    except ValueError:
        value = None
    if not isinstance(value, list) or not all(type(i) is int for i in value):
        return flash(state, request, "顺序格式不对：需要一个整数列表", status=422)
    return change(state, request, at, other_list.reorder_other, order=value)


@router.post("/promote")
def other_promote(
    request: Request, state: Desk, at: DraftForm, index: int = Form(), section: str = Form("")
) -> Response:
    return change(state, request, at, other_list.promote_other, index=index, section=section)


@router.post("/demote")
def other_demote(request: Request, state: Desk, at: DraftForm, index: int = Form()) -> Response:
    """A numbered item (by its ``index`` over the issue) goes down to the end of the 其他 list."""
    return change(state, request, at, other_list.demote_item, index=index)
