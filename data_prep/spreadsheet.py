"""Cells that are safe to open in a spreadsheet (CSV/formula injection).

A cell that starts with = + - @ (or a tab/CR/LF, or their full-width forms, maybe after
spaces) is read as a formula by Excel/LibreOffice, so such text gets a leading apostrophe.
Used by every export: the CLI's CSV and the dashboard's CSV/Excel downloads.
"""
from __future__ import annotations

from typing import Any

FORMULA_START = frozenset("=+-@\t\r\n＝＋－＠")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula made inert; other values unchanged
    (negative numbers stay numbers: only strings are touched)."""
    if isinstance(value, str):
        stripped = value.lstrip(" \u00a0")
        if stripped and stripped[0] in FORMULA_START:
            return "'" + value
    return value
