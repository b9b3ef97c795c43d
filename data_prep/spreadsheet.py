"""Cells that are safe to open in a spreadsheet (CSV/formula injection)."""
from __future__ import annotations

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Prefix text that a spreadsheet would run as a formula with an apostrophe; other values
    pass unchanged. Negative numbers stay numbers: only strings are touched."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value
