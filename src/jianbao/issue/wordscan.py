"""Many listed words found in a text at once: the build matches topic vocabularies and section keywords against
every story of the window, so each list is one regular expression shaped as a trie (a branch per next
character, the longest word first) and a text is read once, not once per word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["Substrings", "trie_pattern"]

_Trie = dict[str, "_Trie"]


def trie_pattern(words: Iterable[str]) -> str:
    """The words as one regular expression that branches on each next character and prefers the longest word:
    at any position it matches what the alternation of the words sorted longest first matches (with the same
    backtracking to a shorter word when what follows fails), without trying each word in turn."""
    root: _Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: _Trie) -> str:
        branches = [re.escape(char) + emit(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # a word ends here: the longer ones first

    return emit(root)


class Substrings:
    """Which words of a list occur in a text, as substrings (``word in text`` for each, exactly).

    The longest listed word starting at each position where one starts is found by one search (searched again
    from the next position, so words that overlap are all found); every listed word inside it is there too."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(dict.fromkeys(w for w in words if w))
        self._pattern = re.compile(trie_pattern(self.words)) if self.words else None
        self._within = {w: tuple(v for v in self.words if v in w) for w in self.words}

    def present(self, text: str) -> set[str]:
        """The listed words that occur in ``text``."""
        found: set[str] = set()
        if self._pattern is None:
            return found
        match = self._pattern.search(text)
        while match is not None:
            found.update(self._within[match.group()])
            match = self._pattern.search(text, match.start() + 1)
        return found
