"""How tables are presented: human labels, numbers written right, "–" for missing values, key
columns on screen at 1440 px, and downloads with human headers and money as numbers."""
from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from atlas_ui import exports, tables

PAIRS = pd.DataFrame({
    "iso3_a": ["CHN", "CHN"], "iso3_b": ["KAZ", "SGP"], "name_a": ["China", "China"],
    "name_b": ["Kazakhstan", "Singapore"], "pair": ["CHN–KAZ", "CHN–SGP"], "articles": [2, 1],
    "usd": [45.2e9, 0.0], "money": ["$21 billion investment", ""], "kinds": ["investment", "agreement"],
    "sectors": ["energy", None], "first_date": ["2023", None], "last_date": ["2023-11-28", None],
})  # fmt: skip

FIGURES = pd.DataFrame({
    "kind": ["money", "count", "percent", "money"], "text": ["$24.2 billion", "14 projects", "35%", "¥1 m"],
    "value": [24.2e9, 14, 35, 1e6], "unit": ["USD", None, "%", "JPY"], "what": [None, "project", None, None],
    "measure": [None, None, "growth", None], "usd": [24.2e9, None, None, float("nan")],
    "pair": ["CHN–KAZ", None, None, None], "event_date": ["2023", None, None, None],
    "sentence_text": ["Trade reached $24.2 billion.", "s", "s", "s"], "title": ["T", "T", None, "T"],
    "qualifier": [None, None, None, None],
})  # fmt: skip

ALL_TABLES = [v for v in vars(tables).values() if isinstance(v, tables.Table)]
INTERNAL = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$|^(usd|iso3_a|name_a)$")


@pytest.mark.parametrize("table", ALL_TABLES)
def test_every_label_is_for_people(table):
    # issue 11: headers were internal names (name_a, first_date, usd)
    for col in table.columns:
        assert col.label != col.key or not INTERNAL.match(col.key), col
        assert not INTERNAL.match(col.label) and col.label[0].isupper(), col
        assert col.kind in tables.KINDS


@pytest.mark.parametrize("table, key_columns", [
    (tables.PARTNERSHIPS_BY_ARTICLE, ["pair", "date", "kind", "evidence", "figures", "usd"]),
    (tables.FIGURES, ["kind", "text", "value", "usd", "pair", "event_date", "sentence_text"]),
    (tables.OVERVIEW_PAIRS, ["pair", "articles", "usd", "kinds"]),
    (tables.ARTICLE_PARTNERSHIPS, ["pair", "evidence"]),
    (tables.COUNTRIES, ["name", "iso3", "articles", "partnerships", "usd"]),
    (tables.ARTICLE_FIGURES, ["text", "value", "usd"]),
])  # fmt: skip
def test_key_columns_come_first_and_fit_a_1440_px_screen(table, key_columns):
    # 980 px: the main column of a 1440 px window beside the sidebar (the overview pairs: 3/5)
    room = {id(tables.OVERVIEW_PAIRS): 480, id(tables.ARTICLE_PARTNERSHIPS): 385,
            id(tables.ARTICLE_FIGURES): 385, id(tables.COUNTRIES): 480}.get(id(table), 980)
    assert table.keys()[: len(key_columns)] == key_columns
    assert sum(c.px for c in table.columns[: len(key_columns)]) <= room


def test_money_and_values_are_written_for_people_and_missing_ones_are_none():
    shown = tables.display_frame(FIGURES, tables.FIGURES)
    assert list(shown["value"]) == ["$24.2 bn", "14", "35%", "¥1 m"]  # not "24B", "14.0"
    assert list(shown["usd"]) == ["$24.2 bn", "–", "–", "–"]  # never "None", "nan" or "0"
    assert shown["pair"].isna().tolist() == [False, True, True, True]  # drawn as "–" (placeholder)
    expected = [c for c in tables.FIGURES.keys() if c in FIGURES.columns]
    expected.insert(expected.index("pair") + 1, tables.PAIR_LINK)  # the pair's page, shown as a link
    assert list(shown.columns) == expected
    links = shown[tables.PAIR_LINK]
    assert links.iloc[0] == "Pair?pair=CHN-KAZ" and links.iloc[1:].isna().all()


def test_counts_stay_numbers_and_empty_text_is_missing():
    shown = tables.display_frame(PAIRS, tables.PARTNER_PAIRS)
    assert list(shown["articles"]) == [2, 1]
    assert list(shown["usd"]) == ["$45.2 bn", "–"]  # a pair with no money: "–", not "$0"
    assert shown["money"].isna().tolist() == [False, True]
    assert shown["sectors"].isna().tolist() == [False, True]
    assert "iso3_a" not in shown  # columns the table does not list are not shown


@pytest.mark.parametrize("value, expected", [
    (["trade", "energy"], "trade; energy"), ("  x ", "x"), ("", None), (None, None),
    (float("nan"), None), (pd.NA, None), (pd.NaT, None), (3, "3"), ([], None),
])  # fmt: skip
def test_text_cells(value, expected):
    assert tables._text(value) == expected


def test_download_has_human_headers_and_money_as_numbers_with_a_currency():
    out = tables.for_download(PAIRS, tables.PARTNER_PAIRS)
    assert list(out.columns[:7]) == ["Pair", "Country", "Partner", "Articles", "Money reached (USD)",
                                     "Currency", "Money tied to the pair"]
    assert out["Money reached (USD)"].tolist()[0] == 45.2e9
    assert pd.isna(out["Money reached (USD)"].tolist()[1])  # no money: empty, not 0
    assert out["Currency"].tolist()[0] == "USD" and pd.isna(out["Currency"].tolist()[1])
    assert "iso3_a" in out.columns  # columns the table does not name keep their own name
    assert list(tables.for_download(PAIRS, tables.PARTNER_PAIRS, others=False).columns)[-1] == "Sectors"
    assert tables.for_download(PAIRS.assign(key="k"), None).equals(PAIRS.assign(key="k"))


def test_csv_download_opens_with_human_headers():
    data = exports.to_csv_bytes(tables.for_download(FIGURES, tables.FIGURES))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Kind", "As written", "Value", "In USD", "Currency"]
    assert rows[1][2] == "24200000000.0" and rows[1][4] == "USD"


def test_excel_download_is_ready_to_read():
    frame = tables.for_download(PAIRS, tables.PARTNER_PAIRS, others=False)
    data = exports.to_excel_bytes(frame, "partner_pairs",
                                  tables.widths_in_chars(tables.PARTNER_PAIRS, list(frame.columns)))
    ws = load_workbook(io.BytesIO(data)).active
    headers = [c.value for c in ws[1]]
    assert headers == list(frame.columns) and headers[0] == "Pair"
    assert ws.freeze_panes == "A2"  # the header row stays in view
    assert ws.auto_filter.ref == f"A1:{chr(ord('A') + len(headers) - 1)}3"
    widths = {ws.cell(1, i + 1).value: ws.column_dimensions[chr(ord("A") + i)].width
              for i in range(len(headers))}
    assert widths["Money tied to the pair"] > widths["Pair"] >= len("Pair")
    assert all(w >= len(h) for h, w in widths.items())  # every header readable
    assert ws.cell(2, 5).value == 45.2e9 and ws.cell(2, 6).value == "USD"
    assert ws.cell(3, 5).value is None and ws.cell(3, 6).value is None


def test_two_amounts_get_a_currency_column_each():
    money = pd.DataFrame({"measure": ["Trade"], "reached": [24.2e9], "planned": [40e9], "items": [2]})
    out = tables.for_download(money, tables.MONEY_BY_MEASURE)
    assert list(out.columns) == ["Measure", "Reached (USD)", "Reached currency",
                                 "Planned or target (USD)", "Planned or target currency", "Amounts"]


def test_excel_without_given_widths_sizes_columns_by_their_content():
    frame = pd.DataFrame({"Short": ["a"], "Sentence": ["x" * 300], "Empty": [None]})
    ws = load_workbook(io.BytesIO(exports.to_excel_bytes(frame))).active
    assert ws.column_dimensions["A"].width == 8  # the minimum
    assert ws.column_dimensions["B"].width == 60  # long text capped, it wraps in the cell
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C2"


def test_wrapped_tables_have_rows_tall_enough_for_streamlit_to_wrap():
    # Streamlit wraps cell text only when the row is taller than 4rem (64 px)
    assert tables.ROW_HEIGHT_WRAPPED > 64
    assert tables.PARTNERSHIPS_BY_ARTICLE.wrap and tables.FIGURES.wrap
    assert not tables.COUNTRIES.wrap  # short cells: one line a row
