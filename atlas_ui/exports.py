"""CSV and Excel downloads of exactly the table shown, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab/CR/LF, or their full-width forms) is read as a
formula by Excel/LibreOffice ("CSV injection"), so such text gets a leading apostrophe.
Numbers stay numbers. Excel also rejects control characters and cells over 32,767 chars.
"""
from __future__ import annotations

import io
import math
import re
from datetime import date, datetime
from typing import Any

import pandas as pd

from data_prep.spreadsheet import FORMULA_START, safe_cell  # noqa: F401 - re-exported

EXCEL_MAX_CELL = 32_767
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


neutralise = safe_cell  # the one rule for every export lives in data_prep.spreadsheet


def _cell(value: Any) -> Any:
    """One value as a plain, safe cell: lists joined, NaN/NA empty, text neutralised."""
    if isinstance(value, (list, tuple, set)):
        value = "; ".join(str(v) for v in value)
    elif hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (int, float, bool, date, datetime)):
        return value
    return neutralise(str(value))


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` with every text cell (and header) neutralised; numbers untouched."""
    out = pd.DataFrame(
        {neutralise(str(col)): [_cell(v) for v in df[col].tolist()] for col in df.columns},
        index=range(len(df)),
        dtype=object,
    )
    for col, src in zip(out.columns, df.columns):
        if pd.api.types.is_numeric_dtype(df[src]) and not pd.api.types.is_bool_dtype(df[src]):
            out[col] = pd.to_numeric(df[src], errors="coerce").to_numpy()
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads the accents right)."""
    return safe_frame(df).to_csv(index=False).encode("utf-8-sig")


def _excel_text(value: Any) -> Any:
    if isinstance(value, str):
        value = _ILLEGAL_XML.sub("", value)
        if len(value) > EXCEL_MAX_CELL:
            value = value[: EXCEL_MAX_CELL - 1] + "…"
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return value


def to_excel_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """An .xlsx workbook of the table; text is written as text, never as a formula."""
    from openpyxl import Workbook

    safe = safe_frame(df)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "data")
    ws.append([_excel_text(c) for c in safe.columns])
    for row in safe.itertuples(index=False, name=None):
        cells = []
        for v in row:
            v = _excel_text(v)
            if isinstance(v, float) and math.isnan(v):
                v = None
            cells.append(v)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
