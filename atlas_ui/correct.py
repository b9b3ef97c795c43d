"""The editor's correction forms, drawn under a pair or an article for signed-in editors.

Each form makes one `Correction` (with the values the editor saw as `before`) and keeps it
through `corrections_store.save`, which waits for any other writer and says so; the page
then reruns and every page shows the corrected view. Nothing here is drawn for viewers.
"""
from __future__ import annotations

from typing import Any, Optional

import pandas as pd
import streamlit as st

from atlas_ui import inert
from atlas_ui.access import Editor
from data_prep import corrections as cx
from data_prep.store import corrections as corrections_store
from data_prep.queries.corrections_table import describe

_DONE = "_atlas_correction_done"
ACTIONS = {"deal": "Change the deal", "money": "Change a money item", "reject": "Reject the pair",
           "undo": "Undo a correction"}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def save(db, correction: cx.Correction) -> None:
    """Keep one correction, then rerun so every page shows it; a refusal is shown instead."""
    note = st.empty()
    try:
        corrections_store.save(db, [correction],
                               on_wait=lambda m: note.info(inert.md(f"Waiting: {m}…")))
    except cx.CorrectionError as e:
        note.error(inert.md(f"Not saved: {e}"))
        return
    st.session_state[_DONE] = describe(correction)
    st.rerun()


def show_done() -> None:
    """The confirmation of the last correction of this session (once)."""
    done = st.session_state.pop(_DONE, None)
    if done:
        inert.notice("success", f"Saved: {done}")


def event_label(row: pd.Series) -> str:
    return f"{row['pair']} · {row['event_date'] or 'undated'} · {inert.label(row['title'], 120)}"


def pick_event(events: pd.DataFrame, key: str) -> Optional[pd.Series]:
    """A choice of article × pair (keyed "article_id|pair", stable across reruns); returns
    its first row."""
    if events.empty:
        return None
    first = events.drop_duplicates("key")  # a correction concerns every row of its pair
    labels = {r["key"]: event_label(r) for _, r in first.iterrows()}
    chosen = st.selectbox("Pair to correct", list(labels), format_func=labels.get, key=key,
                          index=None, placeholder="Choose a pair and its article")
    return first[first["key"] == chosen].iloc[0] if chosen in labels else None


def pair_panel(db, page_frames, editor: Editor, row: pd.Series, key: str) -> None:
    """The corrections of one article × pair: deal, money, reject, undo."""
    action = st.radio("Correction", list(ACTIONS), format_func=ACTIONS.get, horizontal=True,
                      key=f"{key}_action")
    if action == "deal":
        _deal_form(db, editor, row, key)
    elif action == "money":
        _money_form(db, page_frames, editor, row, key)
    elif action == "reject":
        _reject_form(db, editor, row, key)
    else:
        undo_form(db, editor, key, article_id=row["article_id"], pair=row["pair"])


def _deal_form(db, editor: Editor, row: pd.Series, key: str) -> None:
    status = _text(row["status"])
    with st.form(f"{key}_deal"):
        c1, c2 = st.columns(2)
        date = c1.text_input("Date of the deal", value=_text(row["event_date"]),
                             help="YYYY, YYYY-MM or YYYY-MM-DD", key=f"{key}_date")
        statuses = list(cx.PAIR_STATUSES)
        new_status = c2.selectbox("Status", statuses, key=f"{key}_status",
                                  index=statuses.index(status) if status in statuses else None)
        reason = st.text_input("Reason (optional)", max_chars=cx.MAX_REASON, key=f"{key}_why1")
        sent = st.form_submit_button("Save the deal", type="primary")
    if sent:
        after = {k: v for k, v in (("date", date.strip()), ("status", new_status))
                 if v and v != {"date": _text(row["event_date"]), "status": status}[k]}
        _make_and_save(db, "set_deal", editor, row, after, reason,
                       before={"date": _text(row["event_date"]) or None, "status": status or None})


def _reject_form(db, editor: Editor, row: pd.Series, key: str) -> None:
    with st.form(f"{key}_reject"):
        inert.text(f"Evidence: {inert.label(row['evidence'], 300)}")
        reason = st.text_input("Reason (optional)", max_chars=cx.MAX_REASON, key=f"{key}_why2")
        sent = st.form_submit_button("Reject this pair", type="primary")
    if sent:
        _make_and_save(db, "reject_pair", editor, row, {}, reason,
                       before={"kind": row["kind"], "status": _text(row["status"]) or None,
                               "date": _text(row["event_date"]) or None})


def _money_form(db, frames, editor: Editor, row: pd.Series, key: str) -> None:
    figs = frames.figures
    figs = figs[(figs["article_id"] == row["article_id"]) & (figs["kind"] == "money")]
    if figs.empty:
        st.info("The article has no money figure to tie to this pair.")
        return
    items = frames.money[frames.money["key"] == row["key"]].set_index("figure_idx")
    labels = {int(r["idx"]): f"{inert.label(r['text'], 80)} ({r['unit'] or '?'})" for _, r in figs.iterrows()}
    idx = st.selectbox("Money figure", list(labels), format_func=labels.get, key=f"{key}_fig")
    fig = figs[figs["idx"] == idx].iloc[0]
    item = items.loc[idx] if idx in items.index else None
    measure = item["measure"] if item is not None else "other"
    status = item["status"] if item is not None else "actual"
    with st.form(f"{key}_money"):
        c1, c2, c3 = st.columns(3)
        value = c1.number_input("Amount, in full units", min_value=0.0, value=float(fig["value"]),
                                step=1.0, format="%.2f", key=f"{key}_value")
        new_measure = c2.selectbox("Measures", cx.MONEY_MEASURES, key=f"{key}_measure",
                                   index=cx.MONEY_MEASURES.index(measure))
        new_status = c3.selectbox("Status", cx.MONEY_STATUSES, key=f"{key}_mstatus",
                                  index=cx.MONEY_STATUSES.index(status))
        reason = st.text_input("Reason (optional)", max_chars=cx.MAX_REASON, key=f"{key}_why3")
        sent = st.form_submit_button("Save the money item", type="primary")
    if sent:
        after = {"measure": new_measure, "status": new_status}
        if value != float(fig["value"]):
            after["value"] = value
        figure = {"idx": idx, "start": _int(fig.get("start")), "end": _int(fig.get("end")),
                  "text": fig["text"]}
        _make_and_save(db, "set_money", editor, row, after, reason, figure=figure,
                       before={"value": float(fig["value"]), "measure": measure, "status": status})


def _int(value: Any) -> Optional[int]:
    return None if value is None or pd.isna(value) else int(value)


def _make_and_save(db, action: str, editor: Editor, row: pd.Series, after: dict, reason: str,
                   **kw) -> None:
    try:
        c = cx.make(action, editor.name, row["article_id"], row["iso3_a"], row["iso3_b"], after,
                    reason=reason, **kw)
    except cx.CorrectionError as e:
        inert.notice("error", f"Not saved: {e}")
        return
    save(db, c)


def add_pair_form(db, editor: Editor, article_id: str, countries: dict[str, str],
                  sentences: list[str], key: str) -> None:
    """Add a pair the extraction missed, with the sentence that says so."""
    with st.form(f"{key}_add"):
        c1, c2, c3 = st.columns(3)
        codes = list(countries)
        a = c1.selectbox("Country", codes, format_func=countries.get, key=f"{key}_a", index=None)
        b = c2.selectbox("Partner", codes, format_func=countries.get, key=f"{key}_b", index=None)
        kind = c3.selectbox("Kind", cx.KINDS, index=cx.KINDS.index("cooperation"), key=f"{key}_k")
        evidence = st.selectbox("Evidence sentence", sentences, index=None, key=f"{key}_ev",
                                placeholder="The sentence of the article that says so")
        c4, c5 = st.columns(2)
        date = c4.text_input("Date of the deal (optional)", help="YYYY, YYYY-MM or YYYY-MM-DD",
                             key=f"{key}_d")
        status = c5.selectbox("Status (optional)", cx.PAIR_STATUSES, index=None, key=f"{key}_s")
        reason = st.text_input("Reason (optional)", max_chars=cx.MAX_REASON, key=f"{key}_why")
        sent = st.form_submit_button("Add the pair", type="primary")
    if sent:
        try:
            c = cx.make("add_pair", editor.name, article_id, a or "", b or "",
                        {"evidence": evidence, "date": date.strip(), "status": status,
                         "kind": kind}, reason=reason)
        except cx.CorrectionError as e:
            inert.notice("error", f"Not saved: {e}")
            return
        save(db, c)


def undo_form(db, editor: Editor, key: str, article_id: Optional[str] = None,
              pair: Optional[str] = None) -> None:
    """Undo one correction in force (of this article and pair, when given)."""
    kept = corrections_store.load(db)
    live = [c for c in cx.active(kept) if (article_id is None or c.article_id == article_id)
            and (pair is None or c.pair == pair)]
    if not live:
        st.info("No correction in force here.")
        return
    labels = {c.id: inert.label(describe(c), 200) for c in reversed(live)}
    with st.form(f"{key}_undo"):
        chosen = st.selectbox("Correction to undo", list(labels), format_func=labels.get,
                              key=f"{key}_pick")
        reason = st.text_input("Reason (optional)", max_chars=cx.MAX_REASON, key=f"{key}_why4")
        sent = st.form_submit_button("Undo it", type="primary")
    if sent and chosen:
        target = next(c for c in live if c.id == chosen)
        save(db, cx.undo_of(target, editor.name, reason))
