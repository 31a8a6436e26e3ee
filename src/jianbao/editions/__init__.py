"""Editions of the briefing — the weekly AI 简报 and the daily AI 早报 — each defined once, as an ``Edition``.

This registry is the only way anyone reaches an edition: the builder, the importer, the renderers, the desk
and the site ask ``get_edition(issue.format)``. The built-in editions (``weekly``, ``daily``) and an installed
plugin's come in through the same door, ``register_edition``, from their ``register_editions`` hook
(``jianbao.plugins``) on the registry's first use; a third edition (a monthly digest, say) is one module
defining an ``Edition`` plus its Markdown template.
"""

from __future__ import annotations

from jianbao import plugins
from jianbao.editions.base import Edition, SectionSpec
from jianbao.errors import ConfigError

__all__ = ["Edition", "SectionSpec", "editions", "get_edition", "register_edition"]

_EDITIONS: dict[str, Edition] = {}


def _load_plugins() -> None:
    plugins.register_all("register_editions", register_edition)


def register_edition(edition: Edition) -> None:
    """Add an edition under its name, or replace the one of that name (the plugins' come in first)."""
    _load_plugins()
    _EDITIONS[edition.name] = edition


def get_edition(name: str) -> Edition:
    """The edition called ``name`` (an issue's ``format``); ConfigError naming the known ones otherwise."""
    _load_plugins()
    try:
        return _EDITIONS[name]
    except KeyError:
        raise ConfigError(f"unknown edition {name!r}; known: {', '.join(_EDITIONS)}") from None


def editions() -> dict[str, Edition]:
    """Every registered edition by name, in registration order (the built-ins first)."""
    _load_plugins()
    return dict(_EDITIONS)
