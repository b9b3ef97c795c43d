"""Figures: every money, percent and count figure with what it measures and its sentence."""
from __future__ import annotations

import streamlit as st

from atlas_ui import charts, downloads, inert, layout, tables
from data_prep import queries

COLUMNS = tables.FIGURES.labels()

page = layout.start_page("Figures", caption="Money (converted to USD at the article's date), "
                                            "percentages and counts, each with its sentence.")
if layout.guard(page, "figures", page.view.figures):
    figs = page.view.figures
    kinds = st.pills("Kinds", ["money", "percent", "count"], selection_mode="multi",
                     default=["money", "percent", "count"], key="fig_kinds")
    shown = figs[figs["kind"].isin(kinds or [])][list(COLUMNS)]
    shown = queries.search_table(shown, st.text_input("Search in this table", key="fig_search"))
    inert.caption(f"{len(shown):,} of {len(figs):,} figures")
    tables.show(shown, tables.FIGURES, key="fig_table")
    downloads.buttons(lambda: shown, len(shown), "figures", "fig", tables.FIGURES)
    left, right = st.columns(2)
    with left:
        pairs = queries.pair_stats(page.view)
        st.plotly_chart(charts.money_by_pair(pairs), config=charts.PLOTLY_CONFIG, key="fig_money")
        downloads.chart_data(pairs, tables.PARTNER_PAIRS, "money_by_pair", "fig_money")
    with right:
        st.plotly_chart(charts.counts_by_kind(page.view.figures), config=charts.PLOTLY_CONFIG,
                        key="fig_counts")
        downloads.chart_data(charts.counts_by_kind_data(page.view.figures), tables.FIGURE_COUNTS,
                             "figures_by_kind", "fig_counts")
