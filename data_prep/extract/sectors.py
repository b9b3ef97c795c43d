"""Sectors of cooperation from a keyword taxonomy kept as data (`data/sectors.csv`)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from data_prep.data_files import read_csv


@dataclass(frozen=True)
class _Taxonomy:
    names: list[str]
    words: dict[str, set[int]]  # lower-case single words -> sector numbers
    acronyms: dict[str, set[int]]  # "AI", "IMF": matched in upper case only
    phrases: list[tuple[int, str, re.Pattern]]  # multi-word keywords: (sector, literal, regex)


@lru_cache(maxsize=1)
def _taxonomy() -> _Taxonomy:
    """Single words are looked up in a dict (one pass over the tokens); only multi-word
    keywords need a regex. Much faster than one alternation of every keyword."""
    names: list[str] = []
    words: dict[str, set[int]] = {}
    acronyms: dict[str, set[int]] = {}
    phrases: list[tuple[int, str, re.Pattern]] = []
    for n, row in enumerate(read_csv("sectors.csv")):
        names.append(row["sector"])
        for w in (w.strip() for w in row["keywords"].split("|")):
            if not w:
                continue
            if _TOKEN.fullmatch(w):
                target = acronyms if w.upper() == w else words
                target.setdefault(w if target is acronyms else w.lower(), set()).add(n)
            else:
                phrases.append((n, w.lower(), re.compile(rf"\b{re.escape(w.lower())}\b")))
    return _Taxonomy(names, words, acronyms, phrases)


_TOKEN = re.compile(r"[\w-]+")


def sector_names() -> list[str]:
    return list(_taxonomy().names)


def find_sectors(text: str) -> list[str]:
    """Sectors named in text, in taxonomy order."""
    tax = _taxonomy()
    found: set[int] = set()
    tokens = set(_TOKEN.findall(text))
    for token in tokens & tax.acronyms.keys():
        found |= tax.acronyms[token]
    for token in {t.lower() for t in tokens} & tax.words.keys():  # set operations run in C
        found |= tax.words[token]
    low = text.lower()
    found |= {n for n, literal, rx in tax.phrases if n not in found and literal in low and rx.search(low)}
    return [tax.names[i] for i in sorted(found)]
