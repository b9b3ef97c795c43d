"""Sectors of cooperation from a keyword taxonomy kept as data (`data/sectors.csv`)."""
from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _taxonomy() -> list[tuple[str, re.Pattern]]:
    raw = resources.files("data_prep.data").joinpath("sectors.csv").read_text("utf-8")
    out = []
    for row in csv.DictReader(io.StringIO(raw)):
        words = [w.strip() for w in row["keywords"].split("|") if w.strip()]
        acronyms = [re.escape(w) for w in words if w.upper() == w]  # "AI", "IMF": upper case only
        others = [re.escape(w) for w in words if w.upper() != w]
        parts = []
        if others:
            parts.append(r"(?i:\b(?:" + "|".join(others) + r")\b)")
        if acronyms:
            parts.append(r"\b(?:" + "|".join(acronyms) + r")\b")
        out.append((row["sector"], re.compile("|".join(parts))))
    return out


def sector_names() -> list[str]:
    return [name for name, _ in _taxonomy()]


def find_sectors(text: str) -> list[str]:
    """Sectors named in text, in taxonomy order."""
    return [name for name, rx in _taxonomy() if rx.search(text)]
