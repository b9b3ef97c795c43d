"""Partnership Atlas, the Overview page: the entry point of `streamlit run app.py`.

The other pages are the scripts in `pages/` (Streamlit's pages folder).
"""
from __future__ import annotations

import streamlit as st

from atlas_ui import charts, layout


def overview() -> None:
    page = layout.start_page(
        "Partnership Atlas",
        caption="News articles about international cooperation, turned into data: who works with "
                "whom, on what, for how much, and when. Every number links back to its sentence.",
    )
    if not layout.guard(page):
        return
    m = page.answer("metrics")  # asked of the database
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Articles", f"{m.articles:,}", border=True)
    c2.metric("Countries", f"{m.countries:,}", border=True)
    c3.metric("Partnerships", f"{m.partnerships:,}", help="Distinct pairs of partner countries",
              border=True)
    c4.metric("Pair money reached (USD)", charts.fmt_usd(m.usd) if m.usd else "$0",
              help="Trade, investment, loans, aid and deal values that the articles tie to a pair "
                   "and report as reached (targets and forecasts left out), in US dollars at the "
                   "article's date",
              border=True)

    money = page.answer("money_by_measure")
    if not money.empty:
        st.subheader("Money tied to partner pairs, by what it measures", anchor=False)
        st.dataframe(
            money, hide_index=True, key="ov_money",
            column_config={
                "measure": "Measure",
                "reached": st.column_config.NumberColumn(
                    "Reached (USD)", format="dollar",
                    help="Trade done, investment made, loans and aid granted, deals signed"),
                "planned": st.column_config.NumberColumn(
                    "Planned or target (USD)", format="dollar",
                    help="Goals, forecasts, proposals and requests: never added to what was reached"),
                "items": st.column_config.NumberColumn("Amounts"),
            },
        )

    pairs = page.answer("pair_stats")
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Top partner pairs", anchor=False)
        if pairs.empty:
            st.info("No partnerships between two countries in these articles.")
        else:
            st.dataframe(
                layout.with_pair_links(pairs.head(10)[["pair", "name_a", "name_b", "articles",
                                                       "usd", "kinds", "first_date", "last_date"]]),
                hide_index=True, key="ov_pairs",
                column_config={"pair_page": layout.PAIR_LINK_COLUMN,
                    "pair": "Pair", "name_a": "Country", "name_b": "Partner",
                    "articles": st.column_config.NumberColumn("Articles"),
                    "usd": layout.USD_COLUMN, "kinds": "Kinds", "first_date": "First",
                    "last_date": "Last",
                },
            )
    with right:
        st.subheader("Where", anchor=False)
        st.plotly_chart(charts.small_map(page.answer("country_stats"), pairs),
                        config=charts.PLOTLY_CONFIG, key="ov_map")

    st.subheader("Latest articles", anchor=False)
    latest = layout.with_source_links(page, page.answer("latest_articles", 10)[0])
    st.dataframe(
        latest[["published", "title", "countries", "source", "url", "doc"]].fillna({"published": "undated"}),
        hide_index=True, key="ov_latest",
        column_config={"published": "Published", "title": "Title", "countries": "Countries",
                       "doc": "File", **layout.LINK_COLUMNS},
    )
    st.page_link("pages/5_Articles.py", label="Read an article with what was extracted",
                 icon=":material/article:")


overview()
