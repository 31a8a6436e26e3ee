"""The hooks a jianbao plugin can implement, one small function each; jianbao's own features implement them too.

A plugin is a module with functions of these names decorated with ``hookimpl`` (``from jianbao import
hookimpl``), declared as an entry point in the group ``jianbao`` of its package::

    [project.entry-points.jianbao]
    hello = "jianbao_hello"

Each hook receives its registry's own door, ``register``, and calls it once per thing it adds. Here the door is
typed only as a callable: the registries load the plugins on first use, so this module sits below them and
cannot name their types. An implementation annotates it exactly (``Callable[[SourceKind], None]``, …).
"""

from __future__ import annotations

from collections.abc import Callable

import pluggy

__all__ = ["Register", "hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("jianbao")
hookimpl = pluggy.HookimplMarker("jianbao")

Register = Callable[..., None]  # a registry's ``register``: call it with one thing to add


@hookspec
def register_source_kinds(register: Register) -> None:
    """Add source kinds: ``register(kind)`` with each ``jianbao.ingestion.sources.SourceKind``."""


@hookspec
def register_renderers(register: Register) -> None:
    """Add output formats: ``register(renderer)`` with each ``jianbao.render.Renderer``."""


@hookspec
def register_editions(register: Register) -> None:
    """Add editions of the briefing: ``register(edition)`` with each ``jianbao.editions.Edition``."""


@hookspec
def register_channels(register: Register) -> None:
    """Add kinds of delivery channel: ``register(kind)`` with each ``jianbao.deliver.ChannelKind``."""
