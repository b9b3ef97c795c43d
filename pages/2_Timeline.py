"""Timeline: each partnership event on a time axis, then one measure over time."""
from __future__ import annotations

import streamlit as st

from atlas_ui import charts, downloads, filters, inert, layout, tables
from data_prep.queries import aggregates

# what the timeline draws at most: the busiest pairs, their latest events
LANES, EVENTS = aggregates.TIMELINE_LANES, aggregates.TIMELINE_EVENTS

page = layout.start_page("Timeline", caption="One lane per partner pair; events known only to "
                                             "the month or year span that month or year. "
                                             "Click an event to open its pair's page.",
                         ahead=(("timeline_events", (LANES, EVENTS)), ("measure_options", ()))
                         + ((("measure_figures", (st.session_state["tl_measure"],)),)  # as before
                            if st.session_state.get("tl_measure") else ()))
if layout.guard(page, "partnerships", page.count("events")):
    events, lanes, in_lanes = page.answer("timeline_events", LANES, EVENTS)
    event = st.plotly_chart(charts.timeline(events, LANES, EVENTS, lane_counts=lanes,
                                            in_lanes=in_lanes),
                            config=charts.PLOTLY_CONFIG, key="tl_chart", on_select="rerun",
                            selection_mode=("points",))
    pair = filters.selection_to_pair(event, page.vocab.countries)
    if pair:
        st.session_state.pop("tl_chart", None)  # back on this page, the click is not made again
        st.switch_page(filters.PAIR_PAGE, query_params={filters.PAIR_KEY: filters.pair_param(*pair)})
    inert.caption(charts.TIMELINE_CAPTION)
    downloads.chart_data(lambda: layout.with_source_links(page, events), tables.TIMELINE_EVENTS,
                         "timeline_events", "tl_chart")
    if len(lanes) > LANES:
        inert.caption(f"{len(lanes) - LANES:,} more pairs not shown: narrow the filters to see them.")
    st.subheader("Figures over time")
    options = page.answer("measure_options")
    if not options:
        st.info("No figures in these articles to draw over time.")
    else:
        measure = st.selectbox("Measure", options, key="tl_measure", format_func=charts.measure_label,
                               help="Money in USD, percentages and counts as stated, each apart")
        figures = page.answer("measure_figures", measure)
        st.plotly_chart(charts.figures_over_time(figures, measure),
                        config=charts.PLOTLY_CONFIG, key="tl_figures")
        downloads.chart_data(
            lambda: layout.with_source_links(page, charts.figures_over_time_data(figures, measure)),
            tables.FIGURES_OVER_TIME, "figures_over_time", "tl_figures")
