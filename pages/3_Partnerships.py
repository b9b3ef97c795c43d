"""Partnerships: the filterable table (per article and pair, or per pair) with downloads."""
from __future__ import annotations

import streamlit as st

from atlas_ui import correct, exports, inert, layout
from data_prep import queries

BY_ARTICLE = {"date": "Date", "pair": "Pair", "countries": "Countries", "kind": "Kind",
              "status": "Status", "sectors": "Sectors", "organisations": "Organisations",
              "places": "Places", "money": "Money tied to the pair", "figures": "Figures",
              "usd": "USD", "evidence": "Evidence",
              "title": "Article", "published": "Published", "corrected": "Corrected"}
BY_PAIR = {"pair": "Pair", "name_a": "Country", "name_b": "Partner", "articles": "Articles",
           "first_date": "First", "last_date": "Last", "usd": "USD", "money": "Money tied to the pair",
           "kinds": "Kinds",
           "sectors": "Sectors"}
VIEWS = {"article": "One row per article and pair", "pair": "One row per pair"}

page = layout.start_page("Partnerships", caption="Who cooperates with whom, with the sentence "
                                                 "that says so. Downloads hold exactly the rows shown.")
correct.show_done()
if layout.guard(page, "partnerships", page.view.events):
    view = st.radio("View", list(VIEWS), format_func=VIEWS.get, horizontal=True, key="pt_view")
    if view == "pair":
        columns, table, default_sort = BY_PAIR, queries.pair_stats(page.view), "articles"
    else:
        columns, table, default_sort = BY_ARTICLE, queries.partnership_table(page.view), "date"
    table = table[list(columns)]

    c1, c2, c3 = st.columns([3, 2, 1])
    needle = c1.text_input("Search in this table", key="pt_search", placeholder="any words")
    sort_by = c2.selectbox("Sort by", list(columns), index=list(columns).index(default_sort),
                           format_func=columns.get, key=f"pt_sort_{view}")
    descending = c3.toggle("Descending", value=True, key=f"pt_desc_{view}")
    shown = queries.search_table(table, needle)
    shown = shown.sort_values(sort_by, ascending=not descending, na_position="last",
                              kind="stable").reset_index(drop=True)

    inert.caption(f"{len(shown):,} of {len(table):,} rows")
    n_corrected = int((shown["corrected"] != "").sum()) if "corrected" in shown else 0
    if n_corrected:
        inert.caption(f"✎ {n_corrected:,} row(s) corrected by editors: the Corrected column says "
                      "by whom and when; the Corrections page lists every change.")
    if shown.empty:
        inert.notice("info", f"No row contains “{inert.label(needle, 80)}”. Clear the search box to see all rows.")
    st.dataframe(shown, hide_index=True, key=f"pt_table_{view}",
                 column_config={**columns,
                                "usd": layout.USD_COLUMN,
                                "evidence": st.column_config.TextColumn("Evidence", width="large")})
    d1, d2, _ = st.columns([1, 1, 4])
    name = "partnerships" if view == "article" else "partner_pairs"
    d1.download_button("Download CSV", exports.to_csv_bytes(shown), f"{name}.csv", "text/csv",
                       key="pt_csv", on_click="ignore")
    d2.download_button("Download Excel", exports.to_excel_bytes(shown, name), f"{name}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="pt_xlsx", on_click="ignore")
    if page.editor is not None:
        st.subheader("Correct a row", anchor=False)
        row = correct.pick_event(page.view.events, "pt_fix_pick")
        if row is not None:
            correct.pair_panel(page.db, page.all, page.editor, row, "pt_fix")
