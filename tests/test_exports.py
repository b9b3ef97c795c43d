"""Downloads are exactly the table shown and safe in a spreadsheet (no formula injection)."""
from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from atlas_ui import exports


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("  =HYPERLINK(\"http://x\")", "'  =HYPERLINK(\"http://x\")"),  # leading spaces don't hide it
    ("＝1+1", "'＝1+1"),  # full-width equals sign
    ("KAZ–SGP", "KAZ–SGP"),
    ("a=b", "a=b"),
    ("", ""),
    ("$21 billion", "$21 billion"),
    (-5.0, -5.0),  # numbers stay numbers
    (3, 3),
    (None, None),
])
def test_neutralise(value, expected):
    assert exports.neutralise(value) == expected


FRAME = pd.DataFrame({
    "pair": ["KAZ–SGP", "=cmd|'/C calc'!A0", "CHN–SGP"],
    "usd": [21e9, None, -3.5],
    "evidence": ["@import", "plain \x07bell", "+ <script>alert(1)</script>"],
    "when": [pd.Timestamp("2023-11-10"), pd.NaT, pd.Timestamp("2024-01-01")],
    "sectors": [["trade", "energy"], [], ["=x"]],
})


def test_csv_is_the_frame_with_formulas_neutralised():
    data = exports.to_csv_bytes(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["pair", "usd", "evidence", "when", "sectors"]
    assert len(rows) == 4
    assert [r[0] for r in rows[1:]] == ["KAZ–SGP", "'=cmd|'/C calc'!A0", "CHN–SGP"]
    assert [r[2] for r in rows[1:]] == ["'@import", "plain \x07bell", "'+ <script>alert(1)</script>"]
    assert [r[1] for r in rows[1:]] == ["21000000000.0", "", "-3.5"]  # negative number untouched
    assert [r[4] for r in rows[1:]] == ["trade; energy", "", "'=x"]
    for row in rows[1:]:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r" or cell.startswith("-3")


def test_excel_has_no_formulas_and_keeps_numbers():
    wb = load_workbook(io.BytesIO(exports.to_excel_bytes(FRAME, "partner/pairs")))
    ws = wb.active
    assert ws.title == "partner_pairs"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["pair", "usd", "evidence", "when", "sectors"]
    assert len(values) == 4
    assert values[2][0] == "'=cmd|'/C calc'!A0"
    assert values[1][1] == 21e9 and values[3][1] == -3.5 and values[2][1] is None
    assert values[2][2] == "plain bell"  # control chars Excel rejects are dropped
    assert values[1][3].date() == date(2023, 11, 10)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_exports_of_empty_and_odd_frames_never_raise():
    empty = pd.DataFrame(columns=["a", "b"])
    assert exports.to_csv_bytes(empty).decode("utf-8-sig").strip() == "a,b"
    wb = load_workbook(io.BytesIO(exports.to_excel_bytes(empty)))
    assert [[c.value for c in r] for r in wb.active.iter_rows()] == [["a", "b"]]
    huge = pd.DataFrame({"=h": ["x" * 40_000, "\u202eRTL\u200b"]})
    ws = load_workbook(io.BytesIO(exports.to_excel_bytes(huge))).active
    assert ws["A1"].value == "'=h"  # headers are neutralised too
    assert len(ws["A2"].value) == exports.EXCEL_MAX_CELL
    assert ws["A3"].value == "\u202eRTL\u200b"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_no_text_cell_can_start_a_formula(text):
    out = exports.neutralise(text)
    assert out.endswith(text)
    head = out.lstrip(" \u00a0")
    assert not head or head[0] not in exports.FORMULA_START or out.startswith("'")


@pytest.mark.parametrize("rows, refused", [
    (0, False), (10, False), (exports.EXCEL_MAX_ROWS - 1, False),  # + the header: a full sheet
    (exports.EXCEL_MAX_ROWS, True), (5_000_000, True),
])
def test_excel_refuses_a_table_over_its_row_limit(rows, refused):
    message = exports.excel_refusal(rows)
    assert (message is not None) == refused
    if refused:
        assert f"{rows:,} rows" in message and "CSV or Parquet" in message


def test_excel_file_over_the_limit_is_never_written():
    big = pd.DataFrame({"n": range(exports.EXCEL_MAX_ROWS)})
    with pytest.raises(ValueError, match="over Excel's limit of 1,048,576 rows"):
        exports.to_excel_bytes(big)


def test_parquet_download_keeps_every_value_and_type():
    table = pd.DataFrame({"pair": ["KAZ–SGP", "=cmd", None], "usd": [21e9, None, -3.5],
                          "when": [date(2024, 1, 2), None, date(2023, 5, 6)],
                          "mixed": ["a", 3, None]})
    back = pd.read_parquet(io.BytesIO(exports.to_parquet_bytes(table)))
    def values(col):
        return [None if pd.isna(v) else v for v in back[col]]

    assert values("pair") == ["KAZ–SGP", "=cmd", None]  # no spreadsheet: text as is
    assert values("usd") == [21e9, None, -3.5]
    assert values("mixed") == ["a", "3", None]
