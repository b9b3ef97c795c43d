"""Figures: every money, percent and count figure with what it measures and its sentence."""
from __future__ import annotations

import streamlit as st

from atlas_ui import charts, downloads, inert, layout, tables
from data_prep.queries import aggregates

COLUMNS = tables.FIGURES.query_labels()
KINDS = list(aggregates.FIGURE_KINDS)
PAGE_ROWS = aggregates.TABLE_ROWS  # figures fetched and shown at once

page = layout.start_page("Figures", caption="Money (converted to USD at the article's date), "
                                            "percentages and counts, each with its sentence.",
                         ahead=(("pair_stats", ()),))
in_all = page.count("figures")
if layout.guard(page, "figures", in_all):
    kinds = st.pills("Kinds", KINDS, selection_mode="multi", default=KINDS, key="fig_kinds")
    needle = st.text_input("Search in this table", key="fig_search")

    def rows(limit: int, offset: int):
        return layout.asked(page, lambda con: aggregates.figure_page(
            con, page.filters, list(kinds or []), needle, limit, offset))

    got = layout.paged(rows, PAGE_ROWS, "fig_page")
    shown, total, first, pages = got.rows, got.total, got.first, got.pages
    inert.caption(f"{total:,} of {in_all:,} figures"
                  + (f" (rows {first + 1:,}–{first + len(shown):,} shown)" if pages > 1 else ""))
    tables.show(layout.with_source_links(page, shown[[*COLUMNS, "article_id"]]), tables.FIGURES,
                key="fig_table")
    downloads.buttons(lambda: layout.with_source_links(
        page, rows(total, 0)[0][[*COLUMNS, "article_id"]], keep_ids=False),
        total, "figures", "fig", tables.FIGURES)
    left, right = st.columns(2)
    with left:
        pairs = page.answer("pair_stats")
        st.plotly_chart(charts.money_by_pair(pairs), config=charts.PLOTLY_CONFIG, key="fig_money")
        downloads.chart_data(pairs, tables.PARTNER_PAIRS, "money_by_pair", "fig_money")
    with right:
        kinds_data = page.answer("figure_kinds")
        st.plotly_chart(charts.counts_by_kind(kinds_data), config=charts.PLOTLY_CONFIG,
                        key="fig_counts")
        downloads.chart_data(charts.counts_by_kind_data(kinds_data), tables.FIGURE_COUNTS,
                             "figures_by_kind", "fig_counts")
