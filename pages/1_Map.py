"""Map: countries shaded by a measure, lines between partners; a click filters every page."""
from __future__ import annotations

import streamlit as st

from atlas_ui import charts, downloads, filters, inert, layout, tables

CHART_KEY = "map_chart"


def _apply_click(vocab) -> None:
    filters.apply_map_selection(CHART_KEY, filters.current_filters(), vocab.countries)


page = layout.start_page("Map", before_filters=_apply_click,
                         caption="Click a country to filter every page to it, or the dot on a "
                                 "line to filter to that pair (its page is then one click away); "
                                 "hover either for its figures.",
                         ahead=(("pair_stats", ()),))
if layout.guard(page):
    measure = st.radio("Colour countries by", list(charts.MAP_MEASURES),
                       format_func=charts.MAP_MEASURES.get, horizontal=True, key="map_measure")
    cs = page.answer("country_stats")  # aggregates asked of the database
    ps = page.answer("pair_stats")
    fig = charts.country_map(cs, ps, measure, selected=page.filters.countries)
    layout.map_chart(fig, "map", CHART_KEY, on_select="rerun",
                     selection_mode=("points",))
    inert.caption(charts.map_caption(measure))
    downloads.chart_data(cs, tables.COUNTRIES, "map_countries", CHART_KEY)
    left, right = st.columns(2)
    with left:
        st.subheader("Countries")
        tables.show(cs, tables.COUNTRIES, key="map_countries")
    with right:
        st.subheader("Partner pairs")
        tables.show(ps, tables.OVERVIEW_PAIRS, key="map_pairs")
