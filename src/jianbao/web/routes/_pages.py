"""How routes answer: whole pages, htmx fragments, flash messages (with their undo), and the one flow every
action follows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Form, HTTPException, Request
from fastapi.responses import Response

from jianbao.editions import editions, get_edition
from jianbao.errors import JianbaoError
from jianbao.safety import strip_controls
from jianbao.web import desk
from jianbao.web.rework import llm_actions
from jianbao.web.routes._deps import Desk, DeskState
from jianbao.web.trending_rows import spare_rows

Extra = Callable[[desk.Draft], dict[str, Any]]  # more template context, computed from the saved draft
VIEWS = {"candidates.html": "candidates", "draft.html": "draft", "preview.html": "preview"}


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)  # the dates an issue may have


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
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise HTTPException(400, f"not a date: {date!r}") from None
    if not EARLIEST <= day <= LATEST:  # 0001-01-01 has no window before it (the date arithmetic overflows)
        raise HTTPException(400, f"date out of range: {date} (between {EARLIEST} and {LATEST})")
    return day, fmt


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
    """An error message for the page's flash area, telling htmx to leave the rest of the page alone. It may
    quote the editor's input (a refused URL): its control characters are removed."""
    response = page(
        state,
        request,
        "base.html",
        {"message": strip_controls(message), "oob": True, "error": True},
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
    day: dt.date,
    fmt: str,
    version: int | None = None,
) -> Response:
    """Run one desk operation and answer with ``block`` of ``template`` over the saved draft.

    ``run`` returns the saved draft, or a message to flash (the draft is then reloaded). When the operation
    saved a new version over ``version``, the flash offers to undo it (restore ``version``). A stale version
    answers 409 and any other refusal 422, each as a flash message that changes nothing on the page.
    ``day`` and ``fmt`` are the route's, already checked by ``where``.
    """
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
    day: dt.date,
    fmt: str,
    version: int | None = None,
) -> Response:
    """An action whose answer is the whole draft block (items and trending table) plus its side panels."""
    return act(
        state, request, run, template="draft.html", block="draft_action", day=day, fmt=fmt, version=version
    )


def candidate_action(
    state: DeskState,
    request: Request,
    run: Callable[[], desk.Draft],
    *,
    story_id: str,
    day: dt.date,
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
        day=day,
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


@dataclass(frozen=True, slots=True)
class Target:
    """The draft a desk form changes: its day and edition (checked by ``where``) and the version the editor saw."""

    day: dt.date
    fmt: str
    version: int


def _target(
    state: Desk, version: int = Form(), date: str = Form(), format: str | None = Form(None)
) -> Target:
    day, fmt = where(state, date, format)
    return Target(day, fmt, version)


DraftForm = Annotated[Target, Depends(_target)]
"""A route parameter typed ``DraftForm`` receives the ``Target`` of the posted ``version``/``date``/``format``."""


def change(
    state: DeskState,
    request: Request,
    at: Target,
    operation: Callable[..., desk.Draft],
    *,
    undo: bool = True,
    **fields: Any,
) -> Response:
    """``operation(store, config, day, fmt, version=…, **fields)`` on the draft ``at`` names, answered with the
    whole draft block; ``undo``: the flash offers to restore the version the editor saw."""
    return draft_action(
        state,
        request,
        lambda: operation(state.store, state.config, at.day, at.fmt, version=at.version, **fields),
        day=at.day,
        fmt=at.fmt,
        version=at.version if undo else None,
    )


@dataclass(frozen=True, slots=True)
class ListView:
    """How the editor has the candidates list filtered, posted with an action so the list answers as it was."""

    section: str
    source: str
    lang: str
    q: str
    shown: int


def _list_view(
    section: str = Form(""),
    source: str = Form(""),
    lang: str = Form(""),
    q: str = Form(""),
    shown: int = Form(LIST_PAGE),
) -> ListView:
    return ListView(section, source, lang, q, shown)


ListForm = Annotated[ListView, Depends(_list_view)]


def list_action(
    state: DeskState, request: Request, run: Callable[[], desk.Draft], at: Target, view: ListView
) -> Response:
    """An action from the candidates list answered with the whole list, filtered as the editor had it."""
    return act(
        state,
        request,
        run,
        template="candidates.html",
        block="list_action",
        extra=lambda draft: candidate_list_context(
            state, draft, section=view.section, source=view.source, lang=view.lang, q=view.q, shown=view.shown
        ),
        day=at.day,
        fmt=at.fmt,
        version=at.version,
    )
