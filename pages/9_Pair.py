"""One pair of countries: its events on a timeline, its money, figures, organisations and
people, its sources, and a line to cite it. Opened as `Pair?pair=CHN-KAZ` from the tables,
the map and the timeline; the whole data, whatever the sidebar filters of other pages."""
from __future__ import annotations

from datetime import datetime, timezone

import streamlit as st

from atlas_ui import charts, downloads, filters, inert, layout, numbers, pair_charts, tables
from data_prep.queries import Filters
from data_prep.queries import pair as pairs

MAX_ARTICLES = 2000  # the pair's newest articles read for its page

page = layout.start_page("Pair", with_filters=False,
                         caption="Everything the articles say about two countries together.")


def _choose() -> None:
    """No pair in the link: offer the pairs of the data, busiest first."""
    stats = page.answer("pair_stats")
    if stats.empty:
        st.info("No partnerships between two countries in the articles yet.")
        return
    labels = {f"{a}-{b}": f"{na} – {nb} ({n:,} article{'s' if n != 1 else ''})" for a, b, na, nb, n
              in zip(stats["iso3_a"], stats["iso3_b"], stats["name_a"], stats["name_b"], stats["articles"])}
    chosen = st.selectbox("Pair", list(labels), format_func=labels.get, index=None,
                          key="pair_pick", placeholder="Choose a pair of countries")
    if chosen:
        st.query_params[filters.PAIR_KEY] = chosen
        st.rerun()


def _sourced(rows, view: pairs.PairView):
    """`rows` of the pair's articles with each one's source and (safe) link."""
    return layout.safe_source_links(pairs.with_sources(rows, view.articles))


def _show(view: pairs.PairView) -> None:
    inert.heading(f"{view.name_a} – {view.name_b}")
    money = view.money
    reached = money.loc[money["status"] == "actual", "usd"].sum()
    inert.caption(f"{len(view.articles):,} article(s) · {len(view.events):,} event(s) · "
                  f"money reached {numbers.usd(reached) if reached else numbers.MISSING} "
                  f"(planned amounts apart)")
    st.subheader("Events", anchor=False)
    st.plotly_chart(charts.timeline(view.events), config=charts.PLOTLY_CONFIG, key="pair_timeline")
    downloads.chart_images("pair_timeline")
    st.subheader("Money by measure over time", anchor=False)
    st.plotly_chart(pair_charts.money_chart(pairs.money_over_time(view)),
                    config=charts.PLOTLY_CONFIG, key="pair_money_chart")
    downloads.chart_images("pair_money_chart")
    if not money.empty:
        tables.show(_sourced(money, view), tables.PAIR_MONEY, key="pair_money")
    st.subheader("Figures with their sentences", anchor=False)
    if view.figures.empty:
        st.info("No figures in the sentences of this pair.")
    else:
        tables.show(_sourced(view.figures, view), tables.PAIR_FIGURES, key="pair_figures")
    st.subheader("Organisations and people", anchor=False)
    people = layout.asked(page, lambda con: pairs.pair_people(con, list(view.articles["article_id"])))
    if people.empty:
        st.info("The articles of this pair name no organisations or people.")
    else:
        tables.show(people, tables.PAIR_PEOPLE, key="pair_people")
    st.subheader("Sources", anchor=False)
    tables.show(view.articles, tables.PAIR_SOURCES, key="pair_sources")
    st.subheader("Cite this page", anchor=False)
    base = str(st.context.url or "").split("?")[0]
    here = f"{base}?{filters.PAIR_KEY}={view.a}-{view.b}" if base else filters.pair_url(view.a, view.b)
    line = pairs.citation(view, here, datetime.now(timezone.utc).date())
    st.code(inert.label(line), language=None, wrap_lines=True)


def _pair_view(a: str, b: str) -> pairs.PairView:
    """The pair's data: its articles found in SQL, then read whole (corrections applied)."""
    flt = Filters(countries=(a,), partner=b)
    ids = list(page.answer("latest_articles", MAX_ARTICLES, flt=flt)[0]["article_id"])
    return pairs.pair_view(layout.some_articles(page, ids), a, b)


raw = st.query_params.get(filters.PAIR_KEY)
if not page.articles:
    layout.no_data(page.editor)
elif not raw:
    _choose()
else:
    found = filters.parse_pair(raw, page.vocab)
    view = _pair_view(*found) if found else None
    if view is None:
        inert.notice("warning", f"“{inert.label(raw, 60)}” in the link is not a pair of countries "
                                "(use two country codes, e.g. CHN-KAZ).")
        _choose()
    elif view.empty:
        inert.notice("info", f"No article names {view.name_a} and {view.name_b} as partners.")
        _choose()
    else:
        _show(view)
