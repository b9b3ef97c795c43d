"""Partnership Atlas, the Overview page: the entry point of `streamlit run app.py`.

The other pages are the scripts in `pages/` (Streamlit's pages folder).
"""
from __future__ import annotations

import streamlit as st

from atlas_ui import charts, downloads, layout, numbers, tables
from data_prep.queries import aggregates


def overview() -> None:
    page = layout.start_page(
        "Partnership Atlas",
        caption="News articles about international cooperation, turned into data: who works with "
                "whom, on what, for how much, and when. Every number links back to its sentence.",
        ahead=(("pair_stats", ()), ("country_stats", ()),
               ("latest_articles", (aggregates.OVERVIEW_LATEST,))),
    )
    if not layout.guard(page):
        return
    pairs, cs = page.answer("pair_stats"), page.answer("country_stats")
    m = aggregates.metrics_of(page.count(), cs, pairs)  # read off what the page draws
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Articles", f"{m.articles:,}", border=True)
    c2.metric("Countries", f"{m.countries:,}", border=True)
    c3.metric("Partnerships", f"{m.partnerships:,}", help="Distinct pairs of partner countries",
              border=True)
    c4.metric("Pair money reached (USD)", numbers.usd(m.usd),
              help="Trade, investment, loans, aid and deal values that the articles tie to a pair "
                   "and report as reached (targets and forecasts left out), in US dollars at the "
                   "article's date",
              border=True)

    money = page.answer("money_by_measure")
    if not money.empty:
        st.subheader("Money tied to partner pairs, by what it measures", anchor=False)
        tables.show(money, tables.MONEY_BY_MEASURE, key="ov_money")

    left, right = st.columns([3, 2])
    with left:
        st.subheader("Top partner pairs", anchor=False)
        if pairs.empty:
            st.info("No partnerships between two countries in these articles.")
        else:
            tables.show(pairs.head(10), tables.OVERVIEW_PAIRS, key="ov_pairs")
    with right:
        st.subheader("Where", anchor=False)
        layout.map_chart(charts.small_map(cs, pairs), "small_map", "ov_map")
        st.caption("Countries shaded by their partnerships (distinct partner pairs); orange "
                   "lines join partners. The Map page has the scale and more.")
        downloads.chart_data(cs, tables.COUNTRIES, "overview_map_countries", "ov_map")

    st.subheader("Latest articles", anchor=False)
    latest = layout.with_source_links(page, page.answer("latest_articles", aggregates.OVERVIEW_LATEST)[0])
    tables.show(latest, tables.LATEST_ARTICLES, key="ov_latest")
    st.page_link("pages/5_Articles.py", label="Read an article with what was extracted",
                 icon=":material/article:")


overview()
