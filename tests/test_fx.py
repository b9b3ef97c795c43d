"""Conversion to US dollars: ECB history, the bundled yearly table, and where no rate is known."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from data_prep.enrich.fx import to_usd

TABLE = Path(__file__).resolve().parents[1] / "data_prep" / "data" / "fx_yearly.csv"


@pytest.mark.parametrize("value, currency, on, expected", [
    # ECB reference rates: EUR/USD 1.0949 on 2023-11-28, GBP and JPY through the euro
    (1e9, "EUR", "2023-11-28", 1.0949e9),
    (1e9, "EUR", dt.date(2023, 11, 28), 1.0949e9),
    (1e9, "eur", "2023-11-28", 1.0949e9),
    (100, "JPY", "2023-11-28", 0.674),
    (1e6, "GBP", "2020-03-02", 1.277e6),  # EUR/USD 1.1174 over EUR/GBP 0.8751
    (1e6, "CNY", "2019-06-03", 0.1447e6),
    # the bundled yearly table (units per USD): KZT 456.31 in 2023, SAR pegged at 3.75
    (456.31e6, "KZT", "2023-05-01", 1e6),
    (375, "SAR", "2015-01-01", 100),
    (3.6725e6, "AED", "2021-12-31", 1e6),
    # RUB after the ECB stopped publishing it falls back to the table (85.16 in 2023)
    (85.16e6, "RUB", "2023-07-01", 1e6),
    # CFA franc: fixed 655.957 per euro, then the ECB euro rate
    (655.957e6, "XOF", "2023-11-28", 1.0949e6),
    # US dollars are themselves, on any date or none
    (5.5, "USD", None, 5.5),
    (5.5, "USD", "1901-01-01", 5.5),
    (5.5, "USD", "garbage", 5.5),
])
def test_to_usd(value, currency, on, expected):
    assert to_usd(value, currency, on) == pytest.approx(expected, rel=2e-3)


@pytest.mark.parametrize("value, currency, on", [
    (1e9, "JPY", "1987-03-02"),  # before the ECB's history
    (1e9, "KZT", "2005-06-01"),  # before the table's years
    (1e9, "KZT", "2031-01-01"),  # after them
    (1e9, "XYZ", "2020-01-01"),  # unknown code
    (1e9, "", "2020-01-01"),
    (1e9, "EUR", "not a date"),  # an unreadable date is not guessed
    (1e9, "EUR", "2023-13-45"),
    (None, "EUR", "2023-01-01"),
])
def test_to_usd_unknown_is_none(value, currency, on):
    assert to_usd(value, currency, on) is None


@pytest.mark.parametrize("currency", ["EUR", "GBP", "KZT", "RUB", "SAR"])
def test_unknown_date_uses_the_most_recent_rate(currency):
    latest = to_usd(1e6, currency, None)
    assert latest is not None and latest > 0


def test_unknown_date_kzt_is_the_latest_table_year():
    years = [int(r["to_year"]) for r in _table_rows() if r["code"] == "KZT"]
    assert to_usd(1e6, "KZT", None) == pytest.approx(to_usd(1e6, "KZT", f"{max(years)}-06-30"))


def test_month_precision_dates_are_read():
    assert to_usd(1e6, "EUR", "2023-11") == pytest.approx(to_usd(1e6, "EUR", "2023-11-15"))


def _table_rows():
    with open(TABLE, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def test_table_header_names_its_source_and_rows_are_sane():
    head = TABLE.read_text(encoding="utf-8").splitlines()[:8]
    assert any("Source" in line for line in head)
    for r in _table_rows():
        assert len(r["code"]) == 3 and r["per"] in ("USD", "EUR")
        assert int(r["from_year"]) <= int(r["to_year"])
        assert float(r["units"]) > 0


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -5.0, 0.0])
def test_odd_values_never_raise(bad):
    to_usd(bad, "EUR", "2023-01-02")
