"""The one builder of word-list regexes: a list of words as a prefix trie.

A plain alternation `(?:apple|apricot|...)` makes the regex engine try every word at every
position; factored by common prefixes it rejects a position after one character test. Every
extractor that matches a word list (country names, number and scale words, month names,
measure words) builds its pattern here.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

_END = ""  # marks where a word ends; an atom is never empty


def trie_pattern(words: Iterable[str],
                 atoms: Callable[[str], Iterable[str]] = iter,
                 atom_pattern: Callable[[str], str] = re.escape,
                 after_first: str = "") -> str:
    """Regex source matching exactly `words`, longer words tried first.

    `atoms` splits a word into the trie's units (its characters by default; a caller may fold
    a run of separators into one unit); `atom_pattern` writes one unit as regex (escaped
    literally by default); `after_first` is put after each first unit (e.g. a word-boundary
    look-behind checked after the first character, so the engine can skip ahead to the
    characters that start some word)."""
    root: dict = {}
    for word in words:
        node = root
        for atom in atoms(word):
            node = node.setdefault(atom, {})
        node[_END] = {}

    def build(node: dict, glue: str) -> str:
        branches = [atom_pattern(atom) + glue + build(sub, "")
                    for atom, sub in sorted(node.items()) if atom != _END]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if _END in node else body

    return build(root, after_first)
