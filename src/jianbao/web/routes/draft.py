"""The draft page and the editor's changes to its items: drop, move, edit, remark, add a URL, reorder, and the
new text offered for an item (regenerate, and the LLM's rewrite / translate / shorten) and taking it.

Each change carries the draft ``version`` it was made on; ``web.desk`` refuses a stale one (409). A change
that saves a new version answers with an undo (``web.routes.history``'s ``/restore``).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from jianbao.errors import JianbaoError
from jianbao.web import desk, rework
from jianbao.web.routes._deps import Desk
from jianbao.web.routes._pages import act, candidate_action, draft_action, draft_context, flash, page, where

router = APIRouter()


@router.get("/draft")
def draft_page(request: Request, state: Desk, date: str | None = None, format: str | None = None) -> Response:
    day, fmt = where(state, date, format)
    draft = desk.load_draft(state.store, day, fmt, state.config)
    return page(state, request, "draft.html", draft_context(state, draft) | {"page_name": "draft"})


@router.post("/drop")
def drop(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    story_id: str | None = Form(None),
    index: int | None = Form(None),
    indices: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """Drop items: by ``index`` (or the selected ``indices``) from the draft page, or by ``story_id`` from the
    candidates list."""
    day, fmt = where(state, date, format)

    def run() -> desk.Draft:
        if indices:
            return desk.drop_many(state.store, state.config, day, fmt, version=version, indices=indices)
        return desk.drop(state.store, state.config, day, fmt, version=version, story_id=story_id, index=index)

    if story_id is not None and index is None and not indices:
        return candidate_action(state, request, run, story_id=story_id, day=day, fmt=fmt, version=version)
    return draft_action(state, request, run, day=day, fmt=fmt, version=version)


@router.post("/move")
def move(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    index: int | None = Form(None),
    indices: Annotated[list[int] | None, Form()] = None,
    direction: str = Form(""),
    section: str = Form(""),
) -> Response:
    """Move an item up or down, or items (``index``, or the selected ``indices``) to another section."""
    day, fmt = where(state, date, format)
    chosen = indices or ([index] if index is not None else [])
    return draft_action(
        state,
        request,
        lambda: desk.move_many(
            state.store,
            state.config,
            day,
            fmt,
            version=version,
            indices=chosen,
            direction=direction,
            section=section,
        ),
        day=day,
        fmt=fmt,
        version=version,
    )


@router.post("/edit")
def edit(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    index: int = Form(),
    name: str = Form(),
    value: str = Form(""),
) -> Response:
    """Autosave one field of one item; a new section moves the item, so the whole draft block answers."""
    day, fmt = where(state, date, format)
    return act(
        state,
        request,
        lambda: desk.edit(
            state.store, state.config, day, fmt, version=version, index=index, name=name, value=value
        ),
        template="draft.html",
        block="draft_action" if name == "section" else "edit_action",
        day=day,
        fmt=fmt,
        version=version if name == "section" else None,
    )


@router.post("/remark")
def remark(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    value: str = Form(""),
) -> Response:
    day, fmt = where(state, date, format)
    return act(
        state,
        request,
        lambda: desk.edit_remark(state.store, state.config, day, fmt, version=version, value=value),
        template="draft.html",
        block="edit_action",
        day=day,
        fmt=fmt,
    )


@router.post("/propose")
def propose(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    index: int = Form(),
    action: str = Form(rework.REGENERATE),
) -> Response:
    """New words for one item (``action``: regenerate, rewrite, translate, shorten), shown beside the old ones
    in the item's card; the draft does not change until the editor takes them (``/apply``)."""
    day, fmt = where(state, date, format)
    try:
        proposal = rework.propose(
            state.store, state.config, day, fmt, version=version, index=index, action=action
        )
    except desk.StaleDraft as exc:
        return flash(state, request, exc.message, status=409)
    except JianbaoError as exc:
        return flash(state, request, exc.message, status=422)
    return page(
        state,
        request,
        "draft.html",
        {
            "proposal": proposal,
            "message": f"{proposal.label}：新文本在旧文本旁边，采用后才会替换",
            "oob": True,
        },
        block="proposal_action",
    )


@router.get("/explain")
def explain(
    request: Request, state: Desk, index: int, date: str | None = None, format: str | None = None
) -> Response:
    """Where one item's text comes from (report, lead paragraphs, what cleaning removed) and the LLM's number
    check, shown in the item's card."""
    day, fmt = where(state, date, format)
    try:
        lines = desk.explain_text(state.store, state.config, day, fmt, index=index)
    except JianbaoError as exc:
        return flash(state, request, exc.message, status=422)
    return page(state, request, "draft.html", {"index": index, "lines": lines}, block="explain_action")


@router.post("/apply")
def apply(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    index: int = Form(),
    action: str = Form(rework.REGENERATE),
    title: str = Form(""),
    summary: str = Form(""),
) -> Response:
    """Take the offered words: the item's title and summary become them, as one version that can be undone."""
    day, fmt = where(state, date, format)
    return draft_action(
        state,
        request,
        lambda: rework.apply(
            state.store,
            state.config,
            day,
            fmt,
            version=version,
            index=index,
            action=action,
            title=title,
            summary=summary,
        ),
        day=day,
        fmt=fmt,
        version=version,
    )


@router.post("/add-url")
def add_url(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    url: str = Form(),
) -> Response:
    day, fmt = where(state, date, format)
    return draft_action(
        state,
        request,
        lambda: desk.add_url(
            state.store, state.config, day, fmt, version=version, url=url, guard=state.url_guard
        ),
        day=day,
        fmt=fmt,
        version=version,
    )


@router.post("/reorder")
def reorder(
    request: Request,
    state: Desk,
    version: int = Form(),
    date: str = Form(),
    format: str | None = Form(None),
    items: str = Form(""),
    trending: str = Form(""),
) -> Response:
    """The whole new order after a drag and drop: ``items`` as JSON ``[[section, [index, …]], …]``,
    ``trending`` as JSON ``[index, …]``; either may be left out."""
    day, fmt = where(state, date, format)
    try:
        item_order = _item_order(items) if items else None
        row_order = _index_list(trending) if trending else None
    except ValueError as exc:
        return flash(state, request, f"顺序格式不对：{exc}", status=422)
    return draft_action(
        state,
        request,
        lambda: desk.reorder(
            state.store, state.config, day, fmt, version=version, items=item_order, trending=row_order
        ),
        day=day,
        fmt=fmt,
        version=version,
    )


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
