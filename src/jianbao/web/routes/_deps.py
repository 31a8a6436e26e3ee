"""What every route gets through ``Depends``: the desk's shared state, typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from jinja2_fragments.fastapi import Jinja2Blocks

from jianbao.config import Config
from jianbao.store import Store
from jianbao.web.desk import UrlGuard


@dataclass(frozen=True, slots=True)
class DeskState:
    """Everything the routes share, built once by ``create_app`` and kept on ``app.state.desk``."""

    store: Store
    config: Config
    templates: Jinja2Blocks
    url_guard: UrlGuard  # decides which pasted URLs may be fetched
    today: Callable[[], dt.date]  # injected by tests; ``dt.date.today`` otherwise


async def desk_state(request: Request) -> DeskState:
    """The app's ``DeskState``. Async so FastAPI calls it inline rather than in its thread pool."""
    state: DeskState = request.app.state.desk
    return state


Desk = Annotated[DeskState, Depends(desk_state)]
"""A route parameter typed ``Desk`` receives the ``DeskState``."""
