"""The plugin manager: jianbao's own source kinds, renderers and editions, and every installed plugin's.

Like llm's and datasette's. The hooks are in ``jianbao.hookspecs``. ``DEFAULT_PLUGINS`` are jianbao's own
modules, registered first, then every package that declares an entry point in the group ``jianbao``
(``pm.load_setuptools_entrypoints``). A plugin that fails to import is reported in one line naming it and
skipped; the others still load. Loading happens once, on the first use of any registry: each registry (the
source kinds, the renderers, the editions) calls ``register_all(hook, register)`` before it answers, which
hands every plugin's hook the registry's own ``register``; of jianbao's own it imports only the modules that
implement that hook (``_BUILTIN_HOOKS``), so an ingest never imports the renderers or the delivery channels. A new registry (delivery channels, say) is one
function in ``hookspecs`` and that one call in its registry. This module imports no registry, so every
registry can import it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Protocol, TypeVar

import pluggy

from jianbao import __version__, hookspecs

__all__ = ["DEFAULT_PLUGINS", "GROUP", "Plugin", "manager", "plugins", "problems", "register_all"]

GROUP = "jianbao"  # the entry-point group a plugin package declares

DEFAULT_PLUGINS: tuple[str, ...] = (
    "jianbao.ingestion.sources.rss",
    "jianbao.ingestion.sources.arxiv",
    "jianbao.ingestion.sources.hackernews",
    "jianbao.ingestion.sources.github_trending",
    "jianbao.ingestion.sources.page",
    "jianbao.render.markdown",
    "jianbao.render.wechat",
    "jianbao.render.moments",
    "jianbao.render.issue_json",
    "jianbao.render.email",
    "jianbao.render.plain",
    "jianbao.editions.weekly",
    "jianbao.editions.daily",
    "jianbao.deliver",
)

# The hook each of jianbao's own plugins implements (tests/test_plugins.py checks it against the modules).
_BUILTIN_HOOKS: dict[str, tuple[str, ...]] = {
    "register_source_kinds": DEFAULT_PLUGINS[:5],
    "register_renderers": DEFAULT_PLUGINS[5:11],
    "register_editions": DEFAULT_PLUGINS[11:13],
    "register_channels": DEFAULT_PLUGINS[13:],
}

log = logging.getLogger(__name__)


class _Named(Protocol):
    """What every registry holds: a thing with a name (a source kind, a renderer, an edition)."""

    @property
    def name(self) -> str: ...


_T = TypeVar("_T", bound=_Named)


@dataclass(frozen=True, slots=True)
class Plugin:
    """A loaded plugin as ``jianbao plugins`` shows it."""

    name: str  # its package's name; the module's for jianbao's own
    version: str
    hooks: tuple[str, ...]  # the hooks it implements
    registered: Mapping[str, list[str]] = field(default_factory=dict)  # hook → names, once its registry is used
    builtin: bool = False


# One lock for loading and filling: the desk and the ingest runner may meet a registry from two threads at once,
# and the second must wait until the first has filled it. Re-entrant: a hook calls ``register``, which asks to
# fill its registry again (already marked filled, so it returns at once).
_lock = threading.RLock()
_manager: pluggy.PluginManager | None = None
_imported: set[str] = set()  # jianbao's own plugins registered so far
_filled: set[str] = set()
_registered: dict[str, dict[str, list[str]]] = {}  # plugin name → hook → names it registered
_problems: list[str] = []


def manager() -> pluggy.PluginManager:
    """The plugin manager with every plugin loaded: jianbao's own, then every installed one."""
    with _lock:
        return _builtins(DEFAULT_PLUGINS)


def _installed() -> pluggy.PluginManager:
    """The plugin manager, loaded on first use with the installed plugins; jianbao's own join it as needed
    (``_builtins``)."""
    global _manager
    with _lock:
        if _manager is None:
            _manager = _load()
        return _manager


def _builtins(modules: Iterable[str]) -> pluggy.PluginManager:
    """The plugin manager with jianbao's own ``modules`` registered: a registry imports only the modules that
    implement its hook (an ingest needs the source kinds, not the renderers and the delivery channels)."""
    with _lock:
        pm = _installed()
        for module in modules:
            if module not in _imported:
                pm.register(import_module(module), module)
                _imported.add(module)
        return pm


def _load() -> pluggy.PluginManager:
    import importlib.metadata  # lazy: 10 ms of every command's start-up, needed only once plugins load

    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    for entry_point in importlib.metadata.entry_points(group=GROUP):
        try:
            pm.load_setuptools_entrypoints(GROUP, name=entry_point.name)
        except Exception as exc:  # anything a third party's import raises: report it, load the others
            pm.set_blocked(entry_point.name)  # also drops what it had registered of itself
            _report(f"plugin {entry_point.name!r} ({entry_point.value}) failed to load and is skipped: {_one_line(exc)}")
    return pm


def _in_order(impls: list[pluggy.HookImpl]) -> list[pluggy.HookImpl]:
    """A hook's implementations in the order pluggy keeps them had jianbao's own been registered first (they
    join the manager later, when their hook is first used): an installed ``trylast`` one, then jianbao's own in
    ``DEFAULT_PLUGINS`` order, then the other installed ones as pluggy had them."""

    def rank(impl: pluggy.HookImpl) -> int:
        if impl.plugin_name in DEFAULT_PLUGINS:
            return 1
        return 0 if impl.trylast and not (impl.hookwrapper or impl.wrapper) else 2

    own = sorted((i for i in impls if rank(i) == 1), key=lambda i: DEFAULT_PLUGINS.index(i.plugin_name))
    return [i for i in impls if rank(i) == 0] + own + [i for i in impls if rank(i) == 2]


def register_all(hook: str, register: Callable[[_T], None]) -> bool:
    """Fill a registry once: call every plugin's ``hook`` with the registry's own ``register``; True for the
    call that filled it, False for every other (including those the hooks make through ``register``).

    jianbao's own plugins go first and installed ones after them, in the order they loaded, so a plugin that
    registers a name jianbao has replaces jianbao's (pluggy's own call order is the reverse, last first). An
    installed plugin whose hook raises is reported in one line and skipped.
    """
    with _lock:
        if hook in _filled:
            return False
        _filled.add(hook)
        caller: pluggy.HookCaller = getattr(_builtins(_BUILTIN_HOOKS.get(hook, DEFAULT_PLUGINS)).hook, hook)
        for impl in _in_order(caller.get_hookimpls()):
            names = _registered.setdefault(impl.plugin_name, {}).setdefault(hook, [])
            arguments = {"register": _door(register, names)}
            try:
                impl.function(*(arguments[name] for name in impl.argnames))
            except Exception as exc:
                if impl.plugin_name in DEFAULT_PLUGINS:
                    raise  # jianbao's own: a bug, not a user's problem
                _report(f"plugin {impl.plugin_name!r}: {hook} failed and is skipped: {_one_line(exc)}")
        return True


def _door(register: Callable[[_T], None], names: list[str]) -> Callable[[_T], None]:
    """``register``, noting the name of each thing a plugin registers, for ``jianbao plugins``."""

    def door(thing: _T) -> None:
        register(thing)
        names.append(thing.name)

    return door


def plugins(*, builtin: bool = False) -> list[Plugin]:
    """The installed plugins in the order they loaded, jianbao's own first when ``builtin``."""
    pm = manager()
    dists = dict(pm.list_plugin_distributions())
    found: list[Plugin] = []
    listed = pm.list_name_plugin()  # jianbao's own joined last (as their hooks were used): listed first
    first = {name: i for i, name in enumerate(DEFAULT_PLUGINS)}
    listed.sort(key=lambda pair: first.get(pair[0], len(first)))
    for name, plugin in listed:
        if plugin is None:  # blocked: it failed to load
            continue
        own = name in DEFAULT_PLUGINS
        if own and not builtin:
            continue
        dist = dists.get(plugin)
        hooks = tuple(sorted(caller.name for caller in pm.get_hookcallers(plugin) or ()))
        with _lock:
            registered = {hook: list(names) for hook, names in _registered.get(name, {}).items()}
        found.append(
            Plugin(
                name=dist.metadata["Name"] if dist else name,
                version=dist.version if dist else __version__,
                hooks=hooks,
                registered=registered,
                builtin=own,
            )
        )
    return found


def problems() -> list[str]:
    """One line per plugin that failed to load or to register, as reported."""
    manager()
    with _lock:
        return list(_problems)


def _report(line: str) -> None:
    # One line on stderr through logging (Python's last-resort handler prints the bare message when nothing is
    # configured), never a traceback: a broken plugin is the user's to remove, not a crash of jianbao.
    import multiprocessing  # lazy: only a failing plugin's report needs it

    _problems.append(line)
    # A worker process of the ingest runner loads the plugins again; its parent has reported them already.
    log.log(logging.DEBUG if multiprocessing.parent_process() else logging.WARNING, "%s", line)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
