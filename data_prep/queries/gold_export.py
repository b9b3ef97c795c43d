"""Corrected articles in the gold format of the project's scorer (`evaluation.py`).

Why: an editor's review is the best test data the team has. Every article an active
correction touches is written the way `tests/data/gold.jsonl` is: the corrected pairs, the
figures with corrected amounts, the dates (the extracted ones plus corrected deal dates,
publication left out as the scorer expects) and the countries; then
`python -m data_prep score corrected_gold.jsonl out.jsonl` measures a new extractor on it.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from data_prep.corrections import Correction, active
from data_prep.evaluation import doc_key
from data_prep.queries import Frames


def touched_articles(corrections: Iterable[Correction]) -> list[str]:
    """Ids of the articles active corrections concern, in the order first corrected."""
    return list(dict.fromkeys(c.article_id for c in active(corrections)))


def article_dates(con: Any, article_ids: Sequence[str]) -> dict[str, list[str]]:
    """The extracted date values of each article, in text order."""
    if not article_ids:
        return {}
    rows = con.execute(
        "SELECT article_id, value FROM dates WHERE list_contains(?, article_id) "
        "ORDER BY article_id, start", [list(article_ids)]).fetchall()
    out: dict[str, list[str]] = {}
    for aid, value in rows:
        if isinstance(value, str):
            out.setdefault(aid, []).append(value)
    return out


def _figure(row: Mapping[str, Any]) -> dict:
    item: dict[str, Any] = {"kind": row["kind"], "value": float(row["value"])}
    if row["kind"] == "money" and isinstance(row.get("unit"), str):
        item["unit"] = row["unit"]
    if row["kind"] == "count" and isinstance(row.get("what"), str):
        item["what"] = row["what"]
    return item


def gold_row(frames: Frames, article_id: str, dates: Sequence[str],
             corrections: Sequence[Correction]) -> dict:
    """One article of the corrected view as a gold row."""
    art = frames.articles[frames.articles["article_id"] == article_id].iloc[0]
    published = art["published"].strftime("%Y-%m-%d") if pd.notna(art["published"]) else None
    men = frames.mentions[frames.mentions["article_id"] == article_id]
    ev = frames.events[frames.events["article_id"] == article_id]
    figs = frames.figures[(frames.figures["article_id"] == article_id)
                          & frames.figures["value"].notna()].sort_values("idx")
    deal_dates = [c.after["date"] for c in active(corrections)
                  if c.article_id == article_id and "date" in c.after]
    row: dict[str, Any] = {"doc": doc_key(art["doc"])}
    if published:
        row["published"] = published
    row["countries"] = sorted(set(men["iso3"]))
    row["partnerships"] = sorted({(a, b) for a, b in zip(ev["iso3_a"], ev["iso3_b"])})
    row["partnerships"] = [list(p) for p in row["partnerships"]]
    row["figures"] = [_figure(r) for r in figs.to_dict("records")]
    row["dates"] = [d for d in dict.fromkeys([*dates, *deal_dates]) if d != published]
    return row


def gold_jsonl(frames: Frames, dates: Mapping[str, Sequence[str]],
               corrections: Sequence[Correction]) -> str:
    """Gold rows (JSON Lines) of every stored article an active correction touches."""
    stored = set(frames.articles["article_id"])
    lines = [json.dumps(gold_row(frames, aid, dates.get(aid, ()), corrections), ensure_ascii=False)
             for aid in touched_articles(corrections) if aid in stored]
    return "".join(line + "\n" for line in lines)
