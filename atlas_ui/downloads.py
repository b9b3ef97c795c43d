"""The download buttons under a table: CSV, Parquet and Excel of exactly the rows shown,
each built only when its button is clicked (Streamlit runs the callable then, on its own
thread), so a rerun of the page never pays for files nobody asked for.

Excel holds 1,048,576 rows a sheet: a bigger table gets no Excel button but a message that
offers CSV or Parquet.
"""
from __future__ import annotations

from typing import Callable

import pandas as pd
import streamlit as st

from atlas_ui import exports, inert

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def buttons(table: Callable[[], pd.DataFrame], rows: int, name: str, key: str) -> None:
    """Three buttons for the table that `table()` returns (`rows` long), files `name.*`."""
    d1, d2, d3, _ = st.columns([1, 1, 1, 3])
    d1.download_button("Download CSV", lambda: exports.to_csv_bytes(table()), f"{name}.csv",
                       "text/csv", key=f"{key}_csv", on_click="ignore")
    d2.download_button("Download Parquet", lambda: exports.to_parquet_bytes(table()),
                       f"{name}.parquet", "application/vnd.apache.parquet",
                       key=f"{key}_parquet", on_click="ignore",
                       help="Every row with its types, for pandas, DuckDB, R or Spark")
    refusal = exports.excel_refusal(rows)
    if refusal:
        d3.button("Download Excel", disabled=True, key=f"{key}_xlsx")
        inert.caption(refusal)
        return
    d3.download_button("Download Excel", lambda: exports.to_excel_bytes(table(), name),
                       f"{name}.xlsx", XLSX, key=f"{key}_xlsx", on_click="ignore")
