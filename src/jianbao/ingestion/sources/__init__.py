"""The registry of source kinds: each kind says which URLs to fetch for a source and turns the bytes into entries.

Kinds are plugins (``jianbao.plugins``): the built-in kinds and an installed plugin's join through the same
door, ``register(kind)``, called from their ``register_source_kinds`` hook on the registry's first use.
Parsing is pure (bytes in, ``ParsedFeed`` out); HTTP lives in ``jianbao.ingestion.fetch`` and storage in
``jianbao.store``. Beside the kinds: ``opml`` (subscription
lists into sources), ``defaults`` (the source set ``jianbao init`` writes) and ``_text`` (helpers the
parsers share). ``register``, ``get_kind``, ``kinds`` and ``SourceKind`` are the door plugins use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from jianbao import plugins
from jianbao.errors import SourceError
from jianbao.records import Entry, Source

__all__ = [
    "ParsedFeed",
    "SourceKind",
    "get_kind",
    "is_local",
    "kinds",
    "local_size",
    "parse_source",
    "read_local",
    "register",
    "registered_by_plugin",
    "requests_for",
]


@dataclass(slots=True)
class ParsedFeed:
    """What one fetched document yielded: the good entries, and one line per entry that was not good."""

    entries: list[Entry]
    problems: list[str] = field(default_factory=list)
    title: str | None = None


@runtime_checkable
class SourceKind(Protocol):
    """A kind of source; ``requests`` may read ``source.options`` to build its URLs."""

    name: str

    def requests(self, source: Source) -> list[str]: ...

    def parse(
        self, source: Source, payload: bytes, *, url: str, fetched: datetime | None = None
    ) -> ParsedFeed: ...


_registry: dict[str, SourceKind] = {}
_from_plugins: dict[str, SourceKind] = {}  # the kinds as the plugins' hooks left them


def _load_plugins() -> None:
    global _from_plugins
    if plugins.register_all("register_source_kinds", register):
        _from_plugins = dict(_registry)


def register(kind: SourceKind) -> None:
    """Add a kind, or replace the one of the same name. The plugins' kinds come in first (the built-ins, then
    the installed plugins'), so a kind registered here later wins."""
    _load_plugins()
    if not getattr(kind, "name", None):
        raise TypeError("a source kind needs a non-empty name")
    _registry[kind.name] = kind


def registered_by_plugin(name: str) -> bool:
    """True when the kind called ``name`` is the one a plugin's hook registered, which any process that loads
    the plugins (a worker of the ingest runner) has too; a kind registered at run time exists only here."""
    _load_plugins()
    kind = _registry.get(name)
    return kind is not None and _from_plugins.get(name) is kind


def get_kind(name: str) -> SourceKind:
    _load_plugins()
    try:
        return _registry[name]
    except KeyError:
        known = ", ".join(sorted(_registry))
        raise SourceError(name, f"unknown source kind {name!r} (known: {known})") from None


def kinds() -> list[str]:
    _load_plugins()
    return sorted(_registry)


def _kind_of(source: Source) -> SourceKind:
    try:
        return get_kind(source.kind)
    except SourceError:
        known = ", ".join(kinds())
        raise SourceError(source.name, f"unknown source kind {source.kind!r} (known: {known})") from None


def requests_for(source: Source) -> list[str]:
    """The URLs (or local paths) to fetch for ``source``, as its kind builds them."""
    return _kind_of(source).requests(source)


def parse_source(source: Source, payload: bytes, *, url: str, fetched: datetime | None = None) -> ParsedFeed:
    """Parse one fetched document of ``source`` with the parser of its kind."""
    return _kind_of(source).parse(source, payload, url=url, fetched=fetched)


def is_local(url: str) -> bool:
    """True for ``file://`` URLs and bare paths, which are read from disk instead of fetched."""
    scheme = urlparse(url).scheme
    return scheme == "file" or scheme == "" or (len(scheme) == 1 and url[1:3] in (":\\", ":/"))


def _local_path(url: str) -> Path:
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return Path(url2pathname(unquote(parsed.path)))
    return Path(url).expanduser()


def read_local(source: Source, url: str | None = None) -> bytes:
    """Read a local feed (path or ``file://`` URL; ``source.url`` unless ``url`` is given)."""
    path = _local_path(url or source.url)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(source.name, f"local file not found: {path}") from None
    except IsADirectoryError:
        raise SourceError(source.name, f"local path is a directory, not a feed file: {path}") from None
    except OSError as error:
        raise SourceError(source.name, f"cannot read local file {path}: {error.strerror}") from None


def local_size(source: Source) -> int:
    """The size in bytes of a local source's file (0 when it cannot be read: ``read_local`` will say why)."""
    try:
        return _local_path(source.url).stat().st_size
    except OSError:
        return 0
