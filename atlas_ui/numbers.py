"""How numbers are written for people: the one home of number display in the dashboard.

Every table cell, hover, tick and metric that shows a number goes through here, so that:
- no precision is lost to a compact format: 13.50 is "13.5" (not "14"), $24.2 bn is
  "$24.2 bn" (not "24B"), $1.25 m keeps its three digits;
- a value that is missing is "–", never "0", "None" or "nan"; money that is zero or
  negative is missing too (a pair with no money has no amount, not an amount of $0);
- money always says its currency ("$24.2 bn", "€3 m", "CNY 5.6 bn").
Downloads keep the raw numbers (with a currency column); this module is for the screen.
"""
from __future__ import annotations

import math
from typing import Optional

MISSING = "–"
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
# (size, suffix) from the largest: the scale words a reader of news knows.
_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "m"))
_DECIMALS = 2  # after scaling: 24.23 bn, 1.25 m, 13.5


def as_float(value: object) -> Optional[float]:
    """The value as a finite float, or None (None, NaN, inf, text that is no number)."""
    if isinstance(value, bool):
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _trimmed(v: float, decimals: int) -> str:
    """Thousands separators, at most `decimals` decimals, trailing zeros dropped."""
    text = f"{v:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def plain(value: object, decimals: int = 6) -> str:
    """A number as stated, every digit that matters kept: 13.50 -> "13.5",
    21000000000 -> "21,000,000,000", 0.125 -> "0.125"; missing -> "–"."""
    v = as_float(value)
    return MISSING if v is None else _trimmed(v, decimals)


def scaled(value: object) -> str:
    """A large number in words of scale, up to two decimals: 24200000000 -> "24.2 bn",
    1250000 -> "1.25 m", 13.5 -> "13.5", 950000 -> "950,000"; missing -> "–"."""
    v = as_float(value)
    if v is None:
        return MISSING
    for size, suffix in _SCALES:
        if abs(v) >= size:
            return f"{_trimmed(v / size, _DECIMALS)} {suffix}"
    return _trimmed(v, _DECIMALS)


def money(value: object, currency: object = "USD") -> str:
    """Money with its currency: "$24.2 bn", "€3 m", "CNY 5.6 bn"; missing, zero or
    negative -> "–" (no money is no amount)."""
    v = as_float(value)
    if v is None or v <= 0:
        return MISSING
    code = currency.strip().upper() if isinstance(currency, str) and currency.strip() else ""
    amount = scaled(v)
    if code in _SYMBOLS:
        return f"{_SYMBOLS[code]}{amount}"
    return f"{code} {amount}" if code else amount


def usd(value: object) -> str:
    """Money in US dollars: `money(value, "USD")`."""
    return money(value, "USD")


def percent(value: object) -> str:
    """A percentage as stated: 6.5 -> "6.5%"; missing -> "–"."""
    v = as_float(value)
    return MISSING if v is None else f"{_trimmed(v, 2)}%"


def count(value: object) -> str:
    """A whole count with separators: 1234 -> "1,234"; missing -> "–"."""
    v = as_float(value)
    return MISSING if v is None else f"{round(v):,}"


def figure(value: object, kind: object, unit: object = None) -> str:
    """A figure by its kind: money with its currency, percentages with %, counts plain."""
    if kind == "money":
        return money(value, unit)
    if kind == "percent":
        return percent(value)
    return plain(value)


def nice_ticks(top: float, count_wanted: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top` (1-2-2.5-5 steps): 45.2e9 -> 0, 10e9, … 50e9."""
    top = top if math.isfinite(top) and top > 0 else 1.0
    raw = top / max(1, count_wanted)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]
