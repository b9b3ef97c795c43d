"""Timeline: each partnership event on a time axis, then one measure over time."""
from __future__ import annotations

import streamlit as st

from atlas_ui import charts, downloads, layout, tables

page = layout.start_page("Timeline", caption="One lane per partner pair; events known only to "
                                             "the month or year span that month or year.")
if layout.guard(page, "partnerships", page.view.events):
    st.plotly_chart(charts.timeline(page.view.events), config=charts.PLOTLY_CONFIG, key="tl_chart")
    st.caption(charts.TIMELINE_CAPTION)
    downloads.chart_data(page.view.events, tables.TIMELINE_EVENTS, "timeline_events", "tl_chart")
    st.subheader("Figures over time")
    options = charts.measure_options(page.view.figures)
    if not options:
        st.info("No figures in these articles to draw over time.")
    else:
        measure = st.selectbox("Measure", options, key="tl_measure", format_func=charts.measure_label,
                               help="Money in USD, percentages and counts as stated, each apart")
        figures = charts.with_deal_money(page.view.figures, page.view.money)
        st.plotly_chart(charts.figures_over_time(figures, measure),
                        config=charts.PLOTLY_CONFIG, key="tl_figures")
        downloads.chart_data(charts.figures_over_time_data(figures, measure),
                             tables.FIGURES_OVER_TIME, "figures_over_time", "tl_figures")
