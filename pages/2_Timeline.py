"""Timeline: each partnership event on a time axis, then one measure over time."""
from __future__ import annotations

import streamlit as st

from atlas_ui import charts, layout

page = layout.start_page("Timeline", caption="One lane per partner pair; events known only to "
                                             "the month or year span that month or year.")
if layout.guard(page, "partnerships", page.view.events):
    st.plotly_chart(charts.timeline(page.view.events), config=charts.PLOTLY_CONFIG, key="tl_chart")
    st.subheader("Figures over time")
    options = charts.measure_options(page.view.figures)
    if not options:
        st.info("No figures in these articles to draw over time.")
    else:
        measure = st.selectbox("Measure", options, key="tl_measure",
                               help="Money in USD, percentages as stated, counts as a running total")
        st.plotly_chart(charts.figures_over_time(page.view.figures, measure),
                        config=charts.PLOTLY_CONFIG, key="tl_figures")
