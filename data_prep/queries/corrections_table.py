"""The audit trail as a table and in words: what the Corrections page and the Articles
page show. Pure pandas, so it is tested without Streamlit."""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

import pandas as pd

from data_prep.corrections import ACTION_LABELS, Correction, order, undone_ids

COLUMNS = ["at", "editor", "action", "pair", "item", "before", "after", "reason", "state",
           "title", "article_id", "id"]
STATES = ("in force", "undone", "undo", "item not found")


def _values(values: Optional[dict]) -> str:
    if not values:
        return ""
    return "; ".join(f"{k} {_fmt(v)}" for k, v in sorted(values.items()))


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value == int(value) else f"{value:,}"
    return str(value)


def item_of(c: Correction) -> str:
    """The item in words: the pair, or the pair and the figure as written."""
    if c.action == "set_money":
        return f"money {c.figure_text or '#' + str(c.figure_idx)}"
    return "pair"


def state_of(c: Correction, undone: set[str], unapplied: Iterable[str]) -> str:
    if c.action == "undo":
        return "undo"
    if c.id in undone:
        return "undone"
    return "item not found" if c.id in set(unapplied) else "in force"


def describe(c: Correction) -> str:
    """One line: "CHN–KAZ: changed deal (status signed → completed) by Ana, 2025-03-01"."""
    change = ""
    if c.after or c.before:
        change = f" ({_values(c.before) or '—'} → {_values(c.after) or '—'})"
    what = ACTION_LABELS[c.action] + ("" if c.action != "set_money" else f" {c.figure_text or ''}")
    return f"{c.pair}: {what.strip()}{change} by {c.editor}, {c.at[:10]}"


def table(corrections: Sequence[Correction], titles: dict[str, str],
          unapplied: Iterable[str] = ()) -> pd.DataFrame:
    """One row per correction, newest first, with its state today."""
    items = order(corrections)
    undone, unapplied = undone_ids(items), set(unapplied)
    rows = [{
        "at": f"{c.at[:10]} {c.at[11:19]}", "editor": c.editor, "action": ACTION_LABELS[c.action],
        "pair": c.pair, "item": item_of(c), "before": _values(c.before), "after": _values(c.after),
        "reason": c.reason, "state": state_of(c, undone, unapplied),
        "title": titles.get(c.article_id, "(article not stored)"), "article_id": c.article_id,
        "id": c.id,
    } for c in reversed(items)]
    return pd.DataFrame(rows, columns=COLUMNS)


def filter_table(df: pd.DataFrame, editors: Sequence[str] = (), actions: Sequence[str] = (),
                 states: Sequence[str] = (), article_id: Optional[str] = None) -> pd.DataFrame:
    """Rows of the chosen editors, actions and states (an empty choice keeps all)."""
    keep = pd.Series(True, index=df.index)
    for column, chosen in (("editor", editors), ("action", actions), ("state", states)):
        if chosen:
            keep &= df[column].isin(list(chosen))
    if article_id:
        keep &= df["article_id"] == article_id
    return df[keep].reset_index(drop=True)
