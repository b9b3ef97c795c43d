"""Timeline: each partnership event on a time axis, then one measure over time."""
from __future__ import annotations

import streamlit as st

from atlas_ui import charts, filters, layout

page = layout.start_page("Timeline", caption="One lane per partner pair; events known only to "
                                             "the month or year span that month or year. "
                                             "Click an event to open its pair's page.")
if layout.guard(page, "partnerships", page.view.events):
    event = st.plotly_chart(charts.timeline(page.view.events), config=charts.PLOTLY_CONFIG,
                            key="tl_chart", on_select="rerun", selection_mode=("points",))
    pair = filters.selection_to_pair(event, page.vocab.countries)
    if pair:
        st.session_state.pop("tl_chart", None)  # back on this page, the click is not made again
        st.switch_page(filters.PAIR_PAGE, query_params={filters.PAIR_KEY: filters.pair_param(*pair)})
    st.subheader("Figures over time")
    options = charts.measure_options(page.view.figures)
    if not options:
        st.info("No figures in these articles to draw over time.")
    else:
        measure = st.selectbox("Measure", options, key="tl_measure",
                               help="Money in USD, percentages as stated, counts as a running total")
        st.plotly_chart(charts.figures_over_time(page.view.figures, measure),
                        config=charts.PLOTLY_CONFIG, key="tl_figures")
