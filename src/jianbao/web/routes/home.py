"""The desk's front door: ``/`` is the morning's landing page (the latest drafts of each edition with one click
to carry on, and the sources' health); ``/favicon.ico`` is the desk's icon."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from jianbao.issue.gather import CHINA
from jianbao.web.morning import NOTES_SHOWN, overview
from jianbao.web.routes._deps import Desk
from jianbao.web.routes._pages import page, query

router = APIRouter()

FAVICON = Path(__file__).resolve().parents[1] / "static" / "favicon.ico"


@router.get("/")
def index(request: Request, state: Desk) -> Response:
    today = state.today()
    morning = overview(state.store, now=_now(today))
    resume = morning.resume
    ctx = {
        "page_name": "home",
        "morning": morning,
        "day": resume["date"] if resume else today,
        "fmt": resume["format"] if resume else morning.editions[0].name,
        "query": query(resume["date"], resume["format"])
        if resume
        else query(today, morning.editions[0].name),
        "edition_titles": {d.name: d.title for d in morning.editions},
        "notes_shown": NOTES_SHOWN,
    }
    return page(state, request, "home.html", ctx)


def _now(today: dt.date) -> dt.datetime:
    """Now, for the sources' staleness; the end of the desk's day when its clock is set to another day."""
    now = dt.datetime.now(dt.UTC)
    if now.astimezone(CHINA).date() == today:
        return now
    return dt.datetime.combine(today, dt.time(23, 59), tzinfo=CHINA)


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    return FileResponse(FAVICON, media_type="image/x-icon", headers={"Cache-Control": "max-age=86400"})
