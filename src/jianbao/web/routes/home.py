"""The desk's front door: ``/`` sends the editor to the candidates of the asked (or today's) issue."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from jianbao.web.routes._deps import Desk
from jianbao.web.routes._pages import query, where

router = APIRouter()


@router.get("/")
def index(state: Desk, date: str | None = None, format: str = "weekly") -> RedirectResponse:
    day, fmt = where(state, date, format)
    return RedirectResponse(f"/candidates?{query(day, fmt)}", status_code=303)
