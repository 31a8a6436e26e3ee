"""The desk's routes, one ``APIRouter`` per page or concern; ``create_app`` includes them all (in ``ROUTERS``).

- ``home``        ``GET /``: redirect to the candidates of the asked (or today's) issue.
- ``candidates``  ``GET /candidates`` (the period's stories, filtered; htmx asks for the list alone) and
                  ``POST /pick`` (a story into the draft).
- ``draft``       ``GET /draft`` and the changes to its items: ``POST /drop`` (by index, or by story from the
                  candidates list), ``/move``, ``/edit``, ``/remark``, ``/regenerate``, ``/add-url``, ``/reorder``.
- ``trending``    the daily's GitHub trending rows: ``POST /trending/drop``, ``/restore``, ``/move``, ``/edit``.
- ``preview``     ``GET /preview`` (every renderer's output) and ``POST /publish``.
- ``archive``     ``GET /archive``: the latest issues, or a search over all of them.

Routes reach the store, config, templates and clock through one dependency (``_deps.Desk``) and answer
through ``_pages`` (whole pages, htmx fragments, flash messages). Static files are mounted by ``create_app``;
the token, Host, CSRF and header checks live in ``web.app`` and apply to every router.
"""

from __future__ import annotations

from fastapi import APIRouter

from jianbao.web.routes import archive, candidates, draft, home, preview, trending

ROUTERS: tuple[APIRouter, ...] = (
    home.router,
    candidates.router,
    draft.router,
    preview.router,
    archive.router,
    trending.router,
)

__all__ = ["ROUTERS"]
