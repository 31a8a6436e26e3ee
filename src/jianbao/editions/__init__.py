"""Editions of the briefing — the weekly AI 简报 and the daily AI 早报 — each defined once, as an ``Edition``.

This registry is the only way anyone reaches an edition: the builder, the importer, the renderers, the desk
and the site ask ``get_edition(issue.format)``. The built-in editions register through the same door a
plugin uses (``register_edition``); a third edition (a monthly digest, say) is one module defining an
``Edition`` plus its Markdown template.
"""

from __future__ import annotations

from jianbao.editions.base import Edition, SectionSpec
from jianbao.errors import ConfigError

__all__ = ["Edition", "SectionSpec", "editions", "get_edition", "register_edition"]

_EDITIONS: dict[str, Edition] = {}


def register_edition(edition: Edition) -> None:
    """Add (or replace) an edition under its name; the built-ins use this door too."""
    _EDITIONS[edition.name] = edition


def get_edition(name: str) -> Edition:
    """The edition called ``name`` (an issue's ``format``); ConfigError naming the known ones otherwise."""
    try:
        return _EDITIONS[name]
    except KeyError:
        raise ConfigError(f"unknown edition {name!r}; known: {', '.join(_EDITIONS)}") from None


def editions() -> dict[str, Edition]:
    """Every registered edition by name, in registration order (the built-ins first)."""
    return dict(_EDITIONS)


# The built-ins, registered like any other edition. Imported last: their modules import this package's
# ``base`` module, which needs nothing from here.
from jianbao.editions import daily as _daily  # noqa: E402
from jianbao.editions import weekly as _weekly  # noqa: E402

register_edition(_weekly.WEEKLY)
register_edition(_daily.DAILY)
