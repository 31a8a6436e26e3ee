"""Renderers: an ``Issue`` in, the text of one output file out. Built-ins register like any addition would.

A renderer is a function ``(issue, *, config) -> str`` with a file suffix; ``RENDERERS`` maps the names used
in ``[output] formats`` to them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    from jianbao.errors import ConfigError

    _load_builtins()
    try:
        return RENDERERS[name]
    except KeyError:
        raise ConfigError(f"unknown output format {name!r}; known: {', '.join(sorted(RENDERERS))}") from None


def render(issue: Issue, name: str, **options: Any) -> str:
    """The text of one output format ("markdown", "wechat", "moments") of an issue."""
    return get_renderer(name).render(issue, **options)


def _load_builtins() -> None:
    # Imported lazily so a renderer's heavy dependencies load only when it is used.
    from jianbao.render import markdown as _markdown  # noqa: F401
    from jianbao.render import moments as _moments  # noqa: F401
    from jianbao.render import wechat as _wechat  # noqa: F401
