"""Money to US dollars at the article's date, offline.

ECB reference rates (the `currencyconverter` package ships their history) for the currencies
the ECB publishes, inside the dates it published them; a bundled table of yearly averages
(`data/fx_yearly.csv`, source in its header) for the rest. Outside both: None, never a guess.
An unknown date uses the most recent rate either source has: an undated article is most often
recent, and an approximate dollar value is more useful on the dashboard than none.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import lru_cache
from typing import Optional, Sequence, Union
from data_prep.data_files import read_csv
from data_prep.records import Figure

# The ECB publishes on working days; an article up to this long after its last rate
# (the package's snapshot) still gets that rate.
_ECB_GRACE = dt.timedelta(days=62)
_DATE = re.compile(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@lru_cache(maxsize=1)
def _ecb():
    """The ECB history, parsed once (about half a second) on first use."""
    from currency_converter import CurrencyConverter

    return CurrencyConverter(fallback_on_missing_rate=True, fallback_on_wrong_date=True)


@lru_cache(maxsize=1)
def _yearly() -> dict[str, dict[int, tuple[float, str]]]:
    """code -> year -> (units per `per`, per)."""
    out: dict[str, dict[int, tuple[float, str]]] = {}
    for r in read_csv("fx_yearly.csv"):
        years = out.setdefault(r["code"].strip().upper(), {})
        for y in range(int(r["from_year"]), int(r["to_year"]) + 1):
            years[y] = (float(r["units"]), r["per"].strip().upper())
    return out


def _as_date(on: Union[str, dt.date, None]) -> Optional[dt.date]:
    if on is None:
        return None
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    m = _DATE.match(str(on))
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2) or 7), int(m.group(3) or (15 if m.group(2) else 1)))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _rate(currency: str, on: Optional[dt.date]) -> Optional[float]:
    """USD per one unit of `currency` on `on` (None: latest known), or None."""
    if currency == "USD":
        return 1.0
    ecb = _ecb()
    in_ecb = currency in ecb.currencies and "USD" in ecb.currencies
    years = _yearly().get(currency)
    if in_ecb:
        first = max(ecb.bounds[currency].first_date, ecb.bounds["USD"].first_date)
        last = min(ecb.bounds[currency].last_date, ecb.bounds["USD"].last_date)
        stale = last < ecb.bounds["USD"].last_date - _ECB_GRACE  # the ECB stopped (RUB, HRK)
        if on is None and (not stale or not years):
            return ecb.convert(1.0, currency, "USD", date=last)
        if on is not None and first <= on <= last + _ECB_GRACE:
            return ecb.convert(1.0, currency, "USD", date=min(on, last))
    if not years:
        return None
    year = max(years) if on is None else on.year
    if year not in years:
        return None
    units, per = years[year]
    if per == "USD":
        return 1.0 / units
    per_usd = _rate(per, on)
    return per_usd / units if per_usd is not None else None


def with_usd(figures: Sequence[Figure], published: Union[str, dt.date, None]) -> list[Figure]:
    """The figures with each money amount's US dollars at the article's date filled in: the
    one place money becomes USD, after extraction, so new rates need no re-reading of text."""
    return [replace(f, usd=to_usd(f.value, f.unit, published))
            if f.kind == "money" and f.unit else f for f in figures]


def to_usd(value: float, currency: str, on: Union[str, dt.date, None]) -> Optional[float]:
    """`value` units of the ISO 4217 `currency` in US dollars at date `on` ("YYYY-MM-DD", a
    date, or None for the latest rate); None where no rate is known. Never raises."""
    try:
        code = (currency or "").strip().upper()
        if not code or value is None:
            return None
        if code == "USD":
            return float(value)
        day = _as_date(on)
        if on is not None and day is None:
            return None  # a date we cannot read is not "unknown": do not guess one
        rate = _rate(code, day)
        return float(value) * rate if rate is not None else None
    except Exception:  # noqa: BLE001 - a bad rate or input must never break extraction
        return None
