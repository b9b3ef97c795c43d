"""Figures: every money, percent and count figure with what it measures and its sentence."""
from __future__ import annotations

import streamlit as st

from atlas_ui import charts, downloads, inert, layout
from data_prep import queries

COLUMNS = {"kind": "Kind", "text": "As written", "value": "Value", "unit": "Unit", "what": "Counts",
           "measure": "Measures", "qualifier": "Qualifier", "usd": "USD", "pair": "Pair",
           "event_date": "Date", "sentence_text": "Sentence", "title": "Article"}

page = layout.start_page("Figures", caption="Money (converted to USD at the article's date), "
                                            "percentages and counts, each with its sentence.")
if layout.guard(page, "figures", page.view.figures):
    figs = page.view.figures
    kinds = st.pills("Kinds", ["money", "percent", "count"], selection_mode="multi",
                     default=["money", "percent", "count"], key="fig_kinds")
    shown = figs[figs["kind"].isin(kinds or [])][list(COLUMNS)]
    shown = queries.search_table(shown, st.text_input("Search in this table", key="fig_search"))
    inert.caption(f"{len(shown):,} of {len(figs):,} figures")
    table = layout.with_source_links(
        layout.with_pair_links(shown.assign(article_id=figs.loc[shown.index, "article_id"])),
        page.all.articles).drop(columns=["article_id"])
    st.dataframe(table, hide_index=True, key="fig_table",
                 column_config={**COLUMNS, **layout.LINK_COLUMNS, "usd": layout.USD_COLUMN,
                                "value": layout.VALUE_COLUMN})
    downloads.buttons(lambda: shown, len(shown), "figures", "fig")
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.money_by_pair(queries.pair_stats(page.view)),
                        config=charts.PLOTLY_CONFIG, key="fig_money")
    with right:
        st.plotly_chart(charts.counts_by_kind(page.view.figures), config=charts.PLOTLY_CONFIG,
                        key="fig_counts")
