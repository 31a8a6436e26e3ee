"""How routes answer: whole pages, htmx fragments, flash messages (with their undo), and the one flow every
action follows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from fastapi.responses import Response

from jianbao.editions import editions, get_edition
from jianbao.errors import JianbaoError
from jianbao.web import desk
from jianbao.web.rework import llm_actions
from jianbao.web.routes._deps import DeskState
from jianbao.web.trending_rows import spare_rows

Extra = Callable[[desk.Draft], dict[str, Any]]  # more template context, computed from the saved draft
VIEWS = {"candidates.html": "candidates", "draft.html": "draft", "preview.html": "preview"}


def query(day: dt.date, fmt: str) -> str:
    """The ``date=…&format=…`` query string every page link carries."""
    return urlencode({"date": day.isoformat(), "format": fmt})


def where(state: DeskState, date: str | None, fmt: str | None) -> tuple[dt.date, str]:
    """The issue a request is about: its day (today when not given) and edition (the first registered one when
    not given); 400 when either is wrong."""
    known = editions()  # jianbao's own and any installed plugin's
    fmt = fmt or next(iter(known))
    if fmt not in known:
        raise HTTPException(400, f"format must be one of {', '.join(known)}")
    if not date:
        return state.today(), fmt
    try:
        return dt.date.fromisoformat(date), fmt
    except ValueError:
        raise HTTPException(400, f"not a date: {date!r}") from None


def page(
    state: DeskState,
    request: Request,
    name: str,
    ctx: dict[str, Any],
    *,
    block: str | None = None,
    status: int = 200,
) -> Response:
    """Render template ``name``, or only its ``block`` (an htmx fragment), with the context every page needs."""
    base = {
        "request": request,
        "csrf": request.state.csrf,
        "today": state.today(),
        "editions": [(name, edition.title) for name, edition in editions().items()],
        "view": VIEWS.get(name, ""),
    }
    base.update(ctx)
    if block:
        return state.templates.TemplateResponse(request, name, base, status_code=status, block_name=block)
    return state.templates.TemplateResponse(request, name, base, status_code=status)


def draft_context(state: DeskState, draft: desk.Draft) -> dict[str, Any]:
    """The template context of a page or fragment that shows the draft's header, board and side panels."""
    issue = draft.issue
    return {
        "draft": draft,
        "issue": issue,
        "version": draft.version,
        "day": issue.date,
        "fmt": issue.format,
        "edition": get_edition(issue.format),
        "sections": desk.section_names(state.config, issue.format),
        "other_name": desk.other_name(state.config, issue.format),
        "board": desk.board(issue, state.config),
        "spare_rows": spare_rows(state.store, draft, state.config),  # [] unless a daily draft
        "covered": desk.CoveredItems(state.store, draft, state.config),
        "llm_actions": llm_actions(state.config),
        "query": query(issue.date, issue.format),
    }


def flash(state: DeskState, request: Request, message: str, *, status: int) -> Response:
    """An error message for the page's flash area, telling htmx to leave the rest of the page alone."""
    response = page(
        state,
        request,
        "base.html",
        {"message": message, "oob": True, "error": True},
        block="flash_oob",
        status=status,
    )
    response.headers["HX-Reswap"] = "none"
    return response


def act(
    state: DeskState,
    request: Request,
    run: Callable[[], desk.Draft | str],
    *,
    template: str,
    block: str,
    extra: Extra | None = None,
    date: str,
    fmt: str,
    version: int | None = None,
) -> Response:
    """Run one desk operation and answer with ``block`` of ``template`` over the saved draft.

    ``run`` returns the saved draft, or a message to flash (the draft is then reloaded). When the operation
    saved a new version over ``version``, the flash offers to undo it (restore ``version``). A stale version
    answers 409 and any other refusal 422, each as a flash message that changes nothing on the page.
    """
    day, fmt = where(state, date, fmt)
    try:
        outcome = run()
    except desk.StaleDraft as exc:
        return flash(state, request, exc.message, status=409)
    except JianbaoError as exc:
        return flash(state, request, exc.message, status=422)
    if isinstance(outcome, desk.Draft):
        draft, message = outcome, ""
    else:
        draft, message = desk.load_draft(state.store, day, fmt, state.config), outcome
    undo = version if version and draft.version > version and draft.editable else None
    ctx = draft_context(state, draft) | {"oob": True, "message": message, "undo": undo}
    if extra:
        ctx |= extra(draft)
    return page(state, request, template, ctx, block=block)


def draft_action(
    state: DeskState,
    request: Request,
    run: Callable[[], desk.Draft],
    *,
    date: str,
    fmt: str,
    version: int | None = None,
) -> Response:
    """An action whose answer is the whole draft block (items and trending table) plus its side panels."""
    return act(
        state, request, run, template="draft.html", block="draft_action", date=date, fmt=fmt, version=version
    )


def candidate_action(
    state: DeskState,
    request: Request,
    run: Callable[[], desk.Draft],
    *,
    story_id: str,
    date: str,
    fmt: str,
    version: int | None = None,
) -> Response:
    """An action from the candidates list, answered with that candidate's row as it now stands."""

    def row(draft: desk.Draft) -> dict[str, Any]:
        found = [c for c in desk.candidates(state.store, draft, state.config) if c.story.id == story_id]
        return {"cand": found[0] if found else None}

    return act(
        state,
        request,
        run,
        template="candidates.html",
        block="candidate_action",
        extra=row,
        date=date,
        fmt=fmt,
        version=version,
    )


LIST_PAGE = 100  # candidates shown at first; "再显示" adds as many again


def candidate_list_context(
    state: DeskState,
    draft: desk.Draft,
    *,
    section: str = "",
    source: str = "",
    lang: str = "",
    q: str = "",
    shown: int = LIST_PAGE,
) -> dict[str, Any]:
    """The candidates list as the filters leave it, its first ``shown`` rows."""
    cands = desk.candidates(
        state.store, draft, state.config, section=section, source=source, language=lang, text=q
    )
    shown = max(LIST_PAGE, shown)
    return {
        "candidates": cands[:shown],
        "total": len(cands),
        "shown": shown,
        "more": min(LIST_PAGE, max(0, len(cands) - shown)),
        "filters": {"section": section, "source": source, "lang": lang, "q": q},
    }
