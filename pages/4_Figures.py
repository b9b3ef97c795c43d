"""Figures: every money, percent and count figure with what it measures and its sentence."""
from __future__ import annotations

import streamlit as st

from atlas_ui import charts, downloads, inert, layout
from data_prep.queries import aggregates

COLUMNS = {"kind": "Kind", "text": "As written", "value": "Value", "unit": "Unit", "what": "Counts",
           "measure": "Measures", "qualifier": "Qualifier", "usd": "USD", "pair": "Pair",
           "event_date": "Date", "sentence_text": "Sentence", "title": "Article"}
KINDS = ["money", "percent", "count"]
PAGE_ROWS = 500  # figures fetched and shown at once

page = layout.start_page("Figures", caption="Money (converted to USD at the article's date), "
                                            "percentages and counts, each with its sentence.")
in_all = page.count("figures")
if layout.guard(page, "figures", in_all):
    kinds = st.pills("Kinds", KINDS, selection_mode="multi", default=KINDS, key="fig_kinds")
    needle = st.text_input("Search in this table", key="fig_search")
    number = int(st.session_state.get("fig_page") or 1)

    def rows(limit: int, offset: int):
        return layout.asked(page, lambda con: aggregates.figure_page(
            con, page.filters, list(kinds or []), needle, limit, offset))

    shown, total = rows(PAGE_ROWS, (number - 1) * PAGE_ROWS)
    pages = max(1, -(-total // PAGE_ROWS))
    if number > pages:
        st.session_state["fig_page"] = number = 1
        shown, total = rows(PAGE_ROWS, 0)
    if pages > 1:
        st.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, key="fig_page")
    first = (number - 1) * PAGE_ROWS
    inert.caption(f"{total:,} of {in_all:,} figures"
                  + (f" (rows {first + 1:,}–{first + len(shown):,} shown)" if pages > 1 else ""))
    table = layout.with_source_links(page, layout.with_pair_links(shown[[*COLUMNS, "article_id"]]))
    st.dataframe(table.drop(columns=["article_id"]), hide_index=True, key="fig_table",
                 column_config={**COLUMNS, **layout.LINK_COLUMNS, "usd": layout.USD_COLUMN,
                                "value": layout.VALUE_COLUMN})
    downloads.buttons(lambda: rows(total, 0)[0][list(COLUMNS)], total, "figures", "fig")
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.money_by_pair(page.answer("pair_stats")),
                        config=charts.PLOTLY_CONFIG, key="fig_money")
    with right:
        st.plotly_chart(charts.counts_by_kind(page.answer("figure_kinds")),
                        config=charts.PLOTLY_CONFIG, key="fig_counts")
