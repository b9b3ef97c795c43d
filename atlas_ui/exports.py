"""CSV, Parquet and Excel downloads of exactly the table shown, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab/CR/LF, or their full-width forms) is read as a
formula by Excel/LibreOffice ("CSV injection"), so such text gets a leading apostrophe.
Numbers stay numbers. Excel also rejects control characters and cells over 32,767 chars.
"""
from __future__ import annotations

import io
import math
import re
from datetime import date, datetime
from typing import Any, Optional

import pandas as pd

from data_prep.spreadsheet import FORMULA_START, safe_cell  # noqa: F401 - re-exported

EXCEL_MAX_CELL = 32_767
EXCEL_MAX_ROWS = 1_048_576  # rows of one sheet, the header included
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


def excel_refusal(rows: int) -> Optional[str]:
    """Why a table of `rows` rows cannot be an Excel file (None when it can)."""
    if rows + 1 <= EXCEL_MAX_ROWS:
        return None
    return (f"{rows:,} rows: over Excel's limit of {EXCEL_MAX_ROWS:,} rows a sheet. "
            "Download CSV or Parquet instead (both hold every row), or narrow the filters.")


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """A Parquet file of the table: types kept (numbers, dates), lists as lists, for pandas,
    DuckDB, R or Spark; no spreadsheet opens it, so text is kept as it is."""
    buf = io.BytesIO()
    frame = df.reset_index(drop=True)
    for col in frame.columns:
        if frame[col].dtype == object and not frame[col].map(
                lambda v: v is None or isinstance(v, (str, list, tuple))).all():
            frame[col] = frame[col].map(lambda v: None if v is None or v is pd.NA
                                        or (isinstance(v, float) and math.isnan(v)) else str(v))
    frame.columns = [str(c) for c in frame.columns]
    frame.to_parquet(buf, index=False, compression="zstd")
    return buf.getvalue()


def to_excel_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """An .xlsx workbook of the table; text is written as text, never as a formula. A table
    over Excel's row limit is refused (ValueError, `excel_refusal`), never written invalid."""
    from openpyxl import Workbook

    refusal = excel_refusal(len(df))
    if refusal:
        raise ValueError(refusal)

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
