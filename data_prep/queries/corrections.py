"""Editors' corrections applied on top of the extracted tables, when data is read.

Why at read time: the extracted rows are recomputed whenever the extractor changes, and the
corrections must hold for whatever it finds next. Only the articles a correction names are
touched (as plain rows, in the order the corrections were made); the rest of each frame
passes through untouched, so 20,000 articles with a few hundred corrections cost little.

Every frame gains a `corrected` column: "" or who changed the item last and when. A
correction whose item is no longer there (a pair the extractor stopped finding, a figure
that moved) is reported in `unapplied` instead of guessing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional

import pandas as pd

from data_prep.corrections import Correction, active, mark
from data_prep.records import granularity_of

Row = dict[str, Any]


@dataclass(frozen=True)
class Applied:
    partnerships: pd.DataFrame  # + corrected
    figures: pd.DataFrame  # + corrected
    money: pd.DataFrame  # + corrected
    unapplied: frozenset[str]  # ids of active corrections whose item was not found


def apply_corrections(partnerships: pd.DataFrame, figures: pd.DataFrame, money: pd.DataFrame,
                      corrections: Iterable[Correction]) -> Applied:
    """The three frames with every active correction applied (see the module doc).

    partnerships: article_id, iso3_a, iso3_b, kind, status, evidence, figures, event_date,
    event_granularity, ...; figures: article_id, idx, value, usd, text, start, end, ...;
    money: article_id, iso3_a, iso3_b, figure_idx, measure, status.
    """
    todo = active(corrections)
    frames = [df.assign(corrected="") for df in (partnerships, figures, money)]
    if not todo:
        return Applied(*frames, frozenset())
    touched = {c.article_id for c in todo}
    parts = [_split(df, touched) for df in frames]
    state = _State(*(rows for _, rows in parts))
    unapplied = frozenset(c.id for c in todo if not _ACTIONS[c.action](state, c))
    out = [_join(rest, rows, df.columns) for (rest, _), rows, df in
           zip(parts, (state.pairs, state.figures, state.money), frames)]
    return Applied(*out, unapplied)


def _split(df: pd.DataFrame, touched: set[str]) -> tuple[pd.DataFrame, list[Row]]:
    hit = df["article_id"].isin(touched)
    return df[~hit], df[hit].to_dict("records")


def _join(rest: pd.DataFrame, rows: list[Row], columns) -> pd.DataFrame:
    if not rows:
        return rest.reset_index(drop=True)
    changed = pd.DataFrame(rows, columns=list(columns))
    if rest.empty:
        return changed.reset_index(drop=True)
    return pd.concat([rest, changed.astype(rest.dtypes.to_dict(), errors="ignore")],
                     ignore_index=True)


@dataclass
class _State:
    pairs: list[Row]
    figures: list[Row]
    money: list[Row]

    def pair_rows(self, c: Correction) -> list[Row]:
        return [r for r in self.pairs if _same_pair(r, c)]

    def figure(self, c: Correction) -> Optional[Row]:
        """The article's figure the correction names: by its span, else by its index."""
        rows = [r for r in self.figures if r["article_id"] == c.article_id]
        if c.figure_start is not None:
            for r in rows:
                if _int(r.get("start")) == c.figure_start and _int(r.get("end")) == c.figure_end:
                    return r
        if c.figure_idx is not None:
            for r in rows:
                if _int(r.get("idx")) == c.figure_idx and (
                        not c.figure_text or r.get("text") == c.figure_text):
                    return r
        return None


def _same_pair(row: Row, c: Correction) -> bool:
    return (row["article_id"] == c.article_id and row["iso3_a"] == c.iso3_a
            and row["iso3_b"] == c.iso3_b)


def _int(value: Any) -> Optional[int]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- actions
# Each returns True when it found its item (and changed it), False when it did not.


def _reject(state: _State, c: Correction) -> bool:
    before = len(state.pairs)
    state.pairs[:] = [r for r in state.pairs if not _same_pair(r, c)]
    state.money[:] = [r for r in state.money if not _same_pair(r, c)]
    return len(state.pairs) < before


def _set_deal_fields(row: Row, after: dict) -> None:
    if "status" in after:
        row["status"] = after["status"]
    if "date" in after:
        row["event_date"] = after["date"]
        row["event_granularity"] = granularity_of(after["date"])


def _add(state: _State, c: Correction) -> bool:
    rows = state.pair_rows(c)
    if not rows:
        rows = [{"article_id": c.article_id, "iso3_a": c.iso3_a, "iso3_b": c.iso3_b,
                 "kind": "cooperation", "status": None, "sectors": [], "places": "{}",
                 "organisations": [], "grp": [], "evidence": "", "figures": [],
                 "event_date": None, "event_granularity": None}]
        state.pairs.extend(rows)
    for row in rows:
        if "kind" in c.after:
            row["kind"] = c.after["kind"]
        evidence = c.after.get("evidence", "")
        have = row.get("evidence") if isinstance(row.get("evidence"), str) else ""
        if evidence and evidence not in have:
            row["evidence"] = f"{have}\n{evidence}" if have else evidence
        _set_deal_fields(row, c.after)
        row["corrected"] = mark(c)
    return True


def _set_deal(state: _State, c: Correction) -> bool:
    rows = state.pair_rows(c)
    for row in rows:
        _set_deal_fields(row, c.after)
        row["corrected"] = mark(c)
    return bool(rows)


def _set_money(state: _State, c: Correction) -> bool:
    pairs, figure = state.pair_rows(c), state.figure(c)
    if not pairs or figure is None:
        return False
    idx = _int(figure.get("idx"))
    item = next((r for r in state.money if _same_pair(r, c) and _int(r.get("figure_idx")) == idx),
                None)
    if item is None:
        item = {"article_id": c.article_id, "idx": None, "iso3_a": c.iso3_a, "iso3_b": c.iso3_b,
                "figure_idx": idx, "measure": "other", "status": "actual"}
        state.money.append(item)
    for key in ("measure", "status"):
        if key in c.after:
            item[key] = c.after[key]
    if "value" in c.after:
        _set_value(figure, c.after["value"])
        figure["corrected"] = mark(c)
    for row in pairs:
        linked = [int(i) for i in _list(row.get("figures"))]
        if idx not in linked:
            row["figures"] = linked + [idx]
        row["corrected"] = mark(c)
    item["corrected"] = mark(c)
    return True


def _set_value(figure: Row, value: float) -> None:
    """A new amount; its USD value scales with it (same currency, same date), or is
    unknown when the old amount was 0 or had no rate."""
    old, usd = figure.get("value"), figure.get("usd")
    known = isinstance(usd, (int, float)) and not math.isnan(usd)
    ok = isinstance(old, (int, float)) and not math.isnan(old) and old != 0
    figure["usd"] = usd * value / old if known and ok else float("nan")
    figure["value"] = value


def _list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, float) and math.isnan(value):
        return []
    return [v for v in value if v is not None]


_ACTIONS: dict[str, Callable[[_State, Correction], bool]] = {
    "reject_pair": _reject, "add_pair": _add, "set_deal": _set_deal, "set_money": _set_money,
}
