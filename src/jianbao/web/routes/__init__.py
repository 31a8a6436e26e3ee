"""The desk's routes, one ``APIRouter`` per page or concern; ``create_app`` includes them all (in ``ROUTERS``).

- ``home``        ``GET /``: the landing page (latest drafts per edition, one click to continue, source
                  health); ``GET /favicon.ico``.
- ``candidates``  ``GET /candidates`` (the period's stories, filtered; htmx asks for the list alone),
                  ``POST /pick`` (a story, or the selected ones, into the draft) and ``/drop-picked``.
- ``draft``       ``GET /draft`` and the changes to its items: ``POST /drop`` (by index, the selected indices,
                  or by story from the candidates list), ``/move``, ``/edit``, ``/remark``, ``/add-url``,
                  ``/reorder``; ``/propose`` (new words offered beside the old) and ``/apply`` (taking them).
- ``other``       the 其他 list: ``POST /other/add``, ``/drop``, ``/edit``, ``/move``, ``/reorder``, ``/promote``,
                  ``/demote``.
- ``history``     ``GET /history`` (the draft's versions) and ``POST /restore`` (every undo).
- ``trending``    the daily's GitHub trending rows: ``POST /trending/drop``, ``/restore``, ``/move``, ``/edit``.
- ``preview``     ``GET /preview`` (every output file as written) and ``POST /publish``.
- ``archive``     ``GET /archive``: the latest issues, or a search over all of them.

Routes reach the store, config, templates and clock through one dependency (``_deps.Desk``) and answer
through ``_pages`` (whole pages, htmx fragments, flash messages). Static files are mounted by ``create_app``;
the token, Host, CSRF and header checks live in ``web.app`` and apply to every router.
"""

from __future__ import annotations

from fastapi import APIRouter

from jianbao.web.routes import archive, candidates, draft, history, home, other, preview, trending

ROUTERS: tuple[APIRouter, ...] = (
    home.router,
    candidates.router,
    draft.router,
    other.router,
    history.router,
    preview.router,
    archive.router,
    trending.router,
)

__all__ = ["ROUTERS"]
