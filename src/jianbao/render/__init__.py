"""Renderers: an ``Issue`` in, the text of one output file out. Built-ins register like any addition would.

A renderer is a function ``(issue, **options) -> str`` with a file suffix; ``RENDERERS`` maps the names used
in ``[output] formats`` to them. The options are the issue's edition's (``Edition.render_options``: the
weekly's ``other_name``); a renderer reads everything else about the edition from ``jianbao.editions``.
The Markdown shared by every template is in ``render.text``; files are written by ``archive.files.write_issue``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jianbao.errors import ConfigError
from jianbao.records import Issue


@dataclass(frozen=True, slots=True)
class Renderer:
    name: str
    suffix: str  # appended to the issue's file stem, e.g. ".md", ".wechat.html"
    render: Callable[..., str]


RENDERERS: dict[str, Renderer] = {}


def register(renderer: Renderer) -> None:
    """Add (or replace) an output format; built-ins use this door too."""
    RENDERERS[renderer.name] = renderer


def get_renderer(name: str) -> Renderer:
    """The renderer of an output format; ConfigError naming the known ones otherwise."""
    _load_builtins()
    try:
        return RENDERERS[name]
    except KeyError:
        raise ConfigError(f"unknown output format {name!r}; known: {', '.join(sorted(RENDERERS))}") from None


def render(issue: Issue, name: str, **options: Any) -> str:
    """The text of one output format ("markdown", "wechat", "moments") of an issue."""
    return get_renderer(name).render(issue, **options)


def _load_builtins() -> None:
    # lazy: a renderer's heavy dependencies (markdown-it, css-inline, lxml) load only when one is used.
    from jianbao.render import email as _email  # noqa: F401
    from jianbao.render import markdown as _markdown  # noqa: F401
    from jianbao.render import moments as _moments  # noqa: F401
    from jianbao.render import plain as _plain  # noqa: F401
    from jianbao.render import wechat as _wechat  # noqa: F401
