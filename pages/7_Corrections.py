"""Corrections: the audit trail of every editor's change, with filters and downloads; editors
also undo and import. Corrections travel as JSON Lines; corrected articles download in the
gold format of the project's scorer."""
from __future__ import annotations

import streamlit as st

from atlas_ui import correct, exports, inert, layout, tables
from data_prep.store import corrections as corrections_store
from data_prep.queries import corrections_table
from data_prep import store
from data_prep.queries.gold_export import article_dates, gold_jsonl, touched_articles

page = layout.start_page("Corrections", caption="Every change editors made to what was "
                                                "extracted: who, when, the item, before, after "
                                                "and why. Changes apply on top of the extraction "
                                                "and survive re-extraction.")
if page.read_only:  # a Parquet dataset has no corrections, and takes none
    layout.read_only_dataset("Correcting what was extracted")
    st.stop()
correct.show_done()
kept = corrections_store.load(page.db)
touched = layout.some_articles(page, sorted({c.article_id for c in kept}))  # corrected ones only
titles = dict(zip(touched.articles["article_id"],
                  touched.articles["title"].where(touched.articles["title"].notna(),
                                                  touched.articles["doc"])))
table = corrections_table.table(kept, titles, touched.unapplied)

if table.empty:
    st.info("No corrections yet." + (" Correct a pair from the Partnerships or Articles page."
                                     if page.editor else ""))
else:
    c1, c2, c3 = st.columns(3)
    editors = c1.multiselect("Editors", sorted(set(table["editor"])), key="cx_editors")
    actions = c2.multiselect("Changes", sorted(set(table["action"])), key="cx_actions")
    states = c3.multiselect("State", list(corrections_table.STATES), key="cx_states")
    shown = corrections_table.filter_table(table, editors, actions, states)
    inert.caption(f"{len(shown):,} of {len(table):,} corrections, newest first. “item not found”: "
                  "the extraction no longer has the item, so the correction waits unused.")
    tables.show(layout.with_source_links(page, shown), tables.CORRECTIONS, key="cx_table")
    d1, d2, d3, _ = st.columns([1, 1, 1, 2])
    d1.download_button("Corrections (JSON Lines)", corrections_store.to_jsonl(kept),
                       "corrections.jsonl", "application/jsonl", key="cx_jsonl",
                       on_click="ignore", help="Every correction, undos included: import it "
                                               "into another copy of the atlas")
    d2.download_button("This table (CSV)",
                       lambda: exports.to_csv_bytes(tables.for_download(shown, tables.CORRECTIONS)),
                       "corrections.csv",
                       "text/csv", key="cx_csv", on_click="ignore")

    def gold() -> str:  # built when asked for
        with store.read_connection(page.db) as con:
            dates = article_dates(con, touched_articles(kept))
        return gold_jsonl(touched, dates, kept)

    d3.download_button("Corrected articles (gold)", gold,
                       "corrected_gold.jsonl", "application/jsonl", key="cx_gold",
                       on_click="ignore", help="The corrected articles in the scorer's gold "
                                               "format: `python -m data_prep score` reads it")

if page.editor is not None:
    st.divider()
    left, right = st.columns(2)
    with left:
        st.subheader("Undo a correction", anchor=False)
        correct.undo_form(page.db, page.editor, "cx_undo")
    with right:
        st.subheader("Import corrections", anchor=False)
        upload = st.file_uploader("A JSON Lines export of corrections", type=["jsonl"],
                                  key="cx_import_file", max_upload_size=25)
        if st.button("Import", key="cx_import_go", disabled=upload is None):
            text = upload.getvalue().decode("utf-8", errors="replace")
            with st.spinner("Importing (waiting for any other write to finish first)…"):
                saved = corrections_store.import_jsonl(page.db, text)
            inert.notice("success", f"{len(saved.added):,} correction(s) imported, {saved.already:,} "
                                    f"already here, {len(saved.problems):,} refused.")
            for problem in saved.problems[:20]:
                inert.notice("warning", problem)
