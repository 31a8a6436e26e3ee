"""Renderers: an ``Issue`` in, the text of one output file out. Built-ins register like any plugin's.

A renderer is a function ``(issue, **options) -> str`` with a file suffix, registered under the name used in
``[output] formats`` and ``--as``. jianbao's own (markdown, wechat, moments, json) and an installed plugin's
come in through the same door, ``register``, from their ``register_renderers`` hook (``jianbao.plugins``) on
the registry's first use. The options are the issue's edition's (``Edition.render_options``: the weekly's
``other_name``); a renderer reads everything else about the edition from ``jianbao.editions``. The Markdown
shared by every template is in ``render.text``; files are written by ``archive.files.write_issue``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jianbao import plugins
from jianbao.errors import ConfigError
from jianbao.records import Issue

__all__ = ["RENDERERS", "Renderer", "get_renderer", "register", "render", "renderers"]


@dataclass(frozen=True, slots=True)
class Renderer:
    name: str
    suffix: str  # appended to the issue's file stem, e.g. ".md", ".wechat.html"
    render: Callable[..., str]


RENDERERS: dict[str, Renderer] = {}


def _load_plugins() -> None:
    plugins.register_all("register_renderers", register)


def register(renderer: Renderer) -> None:
    """Add an output format, or replace the one of the same name (the plugins' come in first)."""
    _load_plugins()
    RENDERERS[renderer.name] = renderer


def renderers() -> list[str]:
    """The names of every output format, sorted."""
    _load_plugins()
    return sorted(RENDERERS)


def get_renderer(name: str) -> Renderer:
    """The renderer of an output format; ConfigError naming the known ones otherwise."""
    _load_plugins()
    try:
        return RENDERERS[name]
    except KeyError:
        raise ConfigError(f"unknown output format {name!r}; known: {', '.join(sorted(RENDERERS))}") from None


def render(issue: Issue, name: str, **options: Any) -> str:
    """The text of one output format ("markdown", "wechat", "moments", "json", a plugin's) of an issue."""
    return get_renderer(name).render(issue, **options)
