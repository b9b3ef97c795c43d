"""Numbers for people: one writer (atlas_ui.numbers) for every cell, hover, tick and metric."""
from __future__ import annotations

import math

import pytest

from atlas_ui import numbers


@pytest.mark.parametrize("value, expected", [
    (24.2e9, "$24.2 bn"),  # issue 11: shown as "24B"
    (24_230_000_000, "$24.23 bn"),  # two decimals after scaling: no digit that matters lost
    (1e9, "$1 bn"),
    (350e6, "$350 m"),
    (1.25e12, "$1.25 tn"),
    (1_250_000, "$1.25 m"),
    (12_500, "$12,500"),  # under a million: written in full
    (13.5, "$13.5"),
    (999, "$999"),
    # no money is no amount (issue 11: "0" where a pair has no money)
    (0, "–"), (-5, "–"), (None, "–"), (float("nan"), "–"), (float("inf"), "–"), ("abc", "–"),
    (True, "–"),
])  # fmt: skip
def test_usd(value, expected):
    assert numbers.usd(value) == expected


@pytest.mark.parametrize("value, currency, expected", [
    (3e6, "EUR", "€3 m"), (5.6e9, "CNY", "CNY 5.6 bn"), (2e9, "usd", "$2 bn"),
    (7e3, "JPY", "¥7,000"), (5e6, None, "5 m"), (5e6, "  ", "5 m"), (0, "EUR", "–"),
])  # fmt: skip
def test_money_says_its_currency(value, currency, expected):
    assert numbers.money(value, currency) == expected


@pytest.mark.parametrize("value, expected", [
    (13.50, "13.5"),  # issue 11: a price of 13.50 shown as "14"
    (13.80, "13.8"),
    (21e9, "21,000,000,000"),
    (0.125, "0.125"),
    (0, "0"),  # a stated zero is a value, not a missing one
    (-2.5, "-2.5"),
    (None, "–"), (float("nan"), "–"), ("x", "–"),
])  # fmt: skip
def test_plain_keeps_every_digit_that_matters(value, expected):
    assert numbers.plain(value) == expected


@pytest.mark.parametrize("value, kind, unit, expected", [
    (2.42e10, "money", "USD", "$24.2 bn"), (35, "percent", "%", "35%"), (6.5, "percent", None, "6.5%"),
    (14, "count", None, "14"), (13.5, "count", None, "13.5"), (None, "count", None, "–"),
])  # fmt: skip
def test_figure_by_kind(value, kind, unit, expected):
    assert numbers.figure(value, kind, unit) == expected


@pytest.mark.parametrize("value, expected", [(1234, "1,234"), (2.0, "2"), (None, "–"), (math.nan, "–")])
def test_count(value, expected):
    assert numbers.count(value) == expected


@pytest.mark.parametrize("top, wanted, expected", [
    (45.2e9, 4, [0, 20e9, 40e9, 60e9]),
    (45.2e9, 5, [0, 10e9, 20e9, 30e9, 40e9, 50e9]),
    (4, 4, [0, 1, 2, 3, 4]),
    (7, 4, [0, 2, 4, 6, 8]),
    (0, 4, [0, 0.25, 0.5, 0.75, 1.0]),  # nothing to show: a unit scale, never a crash
    (float("nan"), 4, [0, 0.25, 0.5, 0.75, 1.0]),
])  # fmt: skip
def test_nice_ticks_are_round_and_reach_the_top(top, wanted, expected):
    ticks = numbers.nice_ticks(top, wanted)
    assert ticks == pytest.approx(expected)
