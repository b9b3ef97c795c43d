"""Add articles: upload files (read in memory, stored in the database), or remove articles."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas_ui import access, inert, layout
from atlas_ui.redact import redact
from data_prep.ingest import limits
from data_prep import service, store
from data_prep.queries import Filters

REPORT_KEY = "add_report"
REMOVE_CHOICES = 5000  # the newest articles offered for removal

page = layout.start_page("Add articles", with_filters=False,
                         caption="New articles are extracted and appear on every page at once.")
if page.read_only:  # a Parquet dataset: nothing here can change it
    layout.read_only_dataset("Adding and removing articles")
    st.stop()
if page.editor is None:  # a visitor of a deployment: nothing here is theirs to change
    access.refuse("Adding and removing articles")
    st.stop()
mb = limits.MAX_FILE_BYTES // layout.MB
inert.show_markdown(
    "Upload up to **{files} files** at a time, each at most **{mb} MB** ({total} MB in all): "
    "`.txt` `.md` `.html` (one article each), `.csv` `.jsonl` `.json` (one article per row, "
    "up to {rows} rows, with a text column) or `.zip` archives of those (up to {members} files "
    "and {unpacked} MB unpacked, one nested zip level). Articles already stored are skipped as "
    "duplicates.",
    files=layout.MAX_UPLOAD_FILES, mb=mb, total=limits.MAX_UPLOAD_BYTES // layout.MB,
    rows=f"{limits.MAX_TABLE_ROWS:,}", members=f"{limits.MAX_ZIP_MEMBERS:,}",
    unpacked=limits.MAX_ZIP_EXPANDED_BYTES // layout.MB)
# A new key after each upload empties the uploader: the files added leave it.
UPLOADER = f"add_files_{st.session_state.get('add_round', 0)}"
files = st.file_uploader("Files", type=list(layout.UPLOAD_TYPES), accept_multiple_files=True,
                         key=UPLOADER, max_upload_size=mb)
if files and len(files) > layout.MAX_UPLOAD_FILES:
    inert.notice("warning", f"{len(files)} files chosen: only the first {layout.MAX_UPLOAD_FILES} will be read.")
if st.button("Add to the database", key="add_go", type="primary", disabled=not files):
    bar = st.progress(0.0, text="Extracting…")

    def _progress(done: int, total: int, doc: str) -> None:
        bar.progress(done / max(total, 1), text=inert.progress_text(f"Extracting {done:,} of {total:,}"))

    def _waiting(message: str) -> None:
        bar.progress(0.0, text=inert.progress_text(f"Waiting: {message}…"))

    outcomes = layout.upload_batch([(f.name, f.getvalue()) for f in files], page.db, _progress,
                                   _waiting)
    bar.empty()
    st.session_state[REPORT_KEY] = outcomes
    st.session_state.pop(UPLOADER, None)
    st.session_state["add_round"] = st.session_state.get("add_round", 0) + 1
    st.rerun()  # every cached view is keyed by the database version: redraw with the new data

outcomes = st.session_state.get(REPORT_KEY)
if outcomes:
    added = sum(o.added for o in outcomes)
    dups = sum(o.duplicates for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    inert.notice("success" if added else "warning",
                 f"{added:,} article(s) added, {dups:,} duplicate(s) skipped, {failed:,} problem(s).")
    st.dataframe(
        pd.DataFrame({"file": [o.file for o in outcomes], "result": [o.status for o in outcomes],
                      "added": [o.added for o in outcomes],
                      "duplicates": [o.duplicates for o in outcomes],
                      "failed": [o.failed for o in outcomes],
                      "why": ["; ".join(o.notes[:20]) for o in outcomes]}),
        hide_index=True, key="add_report_table",
        column_config={"file": "File", "result": "Result", "added": "Articles added",
                       "duplicates": "Duplicates skipped", "failed": "Problems",
                       "why": st.column_config.TextColumn("Details", width="large")})

st.divider()
st.subheader("Remove articles")
if not page.articles:
    st.info("The database holds no articles.")
else:
    arts, stored = page.answer("latest_articles", REMOVE_CHOICES, 0, flt=Filters())
    if stored > len(arts):
        inert.caption(f"The newest {len(arts):,} of {stored:,} articles are offered here.")
    labels = {r.article_id: f"{r.published or 'undated'} · {r.title or r.doc} ({r.doc})"
              for r in arts.itertuples()}
    chosen = st.multiselect("Articles to remove", list(labels), format_func=labels.get,
                            key="add_remove_pick", placeholder="Choose articles")
    sure = st.checkbox("Yes, remove them and everything extracted from them",
                       key="add_remove_sure", disabled=not chosen)
    if st.button("Remove", key="add_remove_go", disabled=not (chosen and sure)):
        try:
            with st.spinner("Removing (waiting for any other write to finish first)…"):
                n = service.remove_articles(chosen, page.db)
        except Exception as e:  # noqa: BLE001
            inert.notice("error", f"Nothing was removed: {redact(e)}")
        else:
            st.session_state["add_removed"] = n
            for key in ("add_remove_pick", "add_remove_sure"):
                st.session_state.pop(key, None)
            st.rerun()
    if st.session_state.get("add_removed") is not None:
        inert.notice("success", f"{st.session_state.pop('add_removed'):,} article(s) removed.")
