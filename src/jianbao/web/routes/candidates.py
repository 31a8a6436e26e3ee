"""The candidates page (the period's stories, best first, with filters) and picking stories into the draft."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from jianbao.web import desk
from jianbao.web.routes._deps import Desk
from jianbao.web.routes._pages import (
    LIST_PAGE,
    DraftForm,
    ListForm,
    candidate_action,
    candidate_list_context,
    draft_context,
    list_action,
    page,
    where,
)

router = APIRouter()


@router.get("/candidates")
def candidates_page(
    request: Request,
    state: Desk,
    date: str | None = None,
    format: str | None = None,
    section: str = "",
    source: str = "",
    lang: str = "",
    q: str = "",
    shown: int = LIST_PAGE,
) -> Response:
    """The whole page, or only the list when htmx asks for it (the filters change as the editor types)."""
    day, fmt = where(state, date, format)
    draft = desk.load_draft(state.store, day, fmt, state.config)
    ctx = (
        draft_context(state, draft)
        | candidate_list_context(state, draft, section=section, source=source, lang=lang, q=q, shown=shown)
        | {"all_sources": state.store.list_sources(), "page_name": "candidates"}
    )
    block = (
        "candidate_list" if request.headers.get("hx-request") and request.headers.get("hx-target") else None
    )
    return page(state, request, "candidates.html", ctx, block=block)


@router.post("/pick")
def pick(
    request: Request,
    state: Desk,
    at: DraftForm,
    view: ListForm,
    story_id: str | None = Form(None),
    story_ids: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Pick one story (its row answers) or the selected ``story_ids`` (the whole list answers, as filtered)."""
    if story_id is not None:
        return candidate_action(
            state,
            request,
            lambda: desk.pick(
                state.store, state.config, at.day, at.fmt, version=at.version, story_id=story_id
            ),
            story_id=story_id,
            day=at.day,
            fmt=at.fmt,
            version=at.version,
        )
    return list_action(
        state,
        request,
        lambda: desk.pick_many(
            state.store, state.config, at.day, at.fmt, version=at.version, story_ids=story_ids or []
        ),
        at,
        view,
    )


@router.post("/drop-picked")
def drop_picked(
    request: Request,
    state: Desk,
    at: DraftForm,
    view: ListForm,
    story_ids: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Take the selected candidates out of the draft in one step; the whole list answers."""

    def run() -> desk.Draft:
        draft = desk.load_draft(state.store, at.day, at.fmt, state.config)
        wanted = set(story_ids or [])
        indices = [i for i, item in enumerate(draft.issue.items) if item.story_id in wanted]
        return desk.drop_many(state.store, state.config, at.day, at.fmt, version=at.version, indices=indices)

    return list_action(state, request, run, at, view)
