"""The word lists of story clustering, read once from the data files in ``jianbao/stories/words/``.

Two shapes: a ``.txt`` file is a set of words (one a line, ``#`` starts a comment), a ``.toml`` file maps
each key to a list of words in file order (brands to their aliases, kinds of event to their words). Each
file opens with a comment saying what the list is for and which module reads it. Files are read through
``importlib.resources``, so an installed package finds them as well as a checkout does.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import MappingProxyType

__all__ = ["word_files", "word_set", "word_table"]

_COMMENT_RE = re.compile(r"(?:^|\s)#.*$")


def _words_dir() -> Traversable:
    return files("jianbao.stories").joinpath("words")


def word_files() -> list[str]:
    """The names of the data files (``stop_words.txt``, ``brands.toml``…), sorted."""
    return sorted(f.name for f in _words_dir().iterdir() if f.name.endswith((".txt", ".toml")))


@functools.cache
def word_set(name: str) -> frozenset[str]:
    """The words of ``words/<name>.txt``: one entry a line; blank lines and ``#`` comments are skipped."""
    text = _words_dir().joinpath(f"{name}.txt").read_text(encoding="utf-8")
    entries = (_COMMENT_RE.sub("", line).strip() for line in text.splitlines())
    return frozenset(entry for entry in entries if entry)


@functools.cache
def word_table(name: str) -> Mapping[str, tuple[str, ...]]:
    """``words/<name>.toml`` as key → words, keys and words in file order (regexes built from it rely on it).

    Raises ``ValueError`` when a value is not a list of strings, naming the file and key.
    """
    data = tomllib.loads(_words_dir().joinpath(f"{name}.toml").read_text(encoding="utf-8"))
    table: dict[str, tuple[str, ...]] = {}
    for key, value in data.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"words/{name}.toml: {key} must be a list of strings")
        table[key] = tuple(value)
    return MappingProxyType(table)
