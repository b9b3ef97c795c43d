"""Partnerships: the filterable table (per article and pair, or per pair) with downloads."""
from __future__ import annotations

import streamlit as st

from atlas_ui import correct, downloads, filters, inert, layout, tables
from data_prep import queries
from data_prep.queries import aggregates, sql
from data_prep.queries import pair as pair_queries

BY_ARTICLE = tables.PARTNERSHIPS_BY_ARTICLE.query_labels()
BY_PAIR = tables.PARTNER_PAIRS.query_labels()
VIEWS = {"article": "One row per article and pair", "pair": "One row per pair"}

page = layout.start_page("Partnerships", caption="Who cooperates with whom, with the sentence "
                                                 "that says so. Downloads hold every row that "
                                                 "matches, in the order shown.")
correct.show_done()
PAGE_ROWS = aggregates.TABLE_ROWS  # rows of the per-article table fetched and shown at once


# What each view can be sorted by (its default first); view, sort, order and search live in
# the URL (?view=pair&sort=usd&order=asc&search=energy), so a copied link shows this table.
SORTS = {"article": list(sql.SORTABLE),
         "pair": ["articles", *(c for c in BY_PAIR if c != "articles")]}
DEFAULT_VIEW = filters.TableView("article", "date", True, "")


def _controls(labels: dict) -> tuple[str, str, bool]:
    view = st.session_state["pt_view"]
    c1, c2, c3 = st.columns([3, 2, 1])
    needle = c1.text_input("Search in this table", key="pt_search", placeholder="any words")
    sort_by = c2.selectbox("Sort by", SORTS[view], format_func=labels.get, key=f"pt_sort_{view}")
    descending = c3.toggle("Descending", key=f"pt_desc_{view}")
    return needle, sort_by, descending


def _by_pair() -> tuple[object, object, int, str]:
    """The per-pair table (a few thousand rows at most), searched and sorted here."""
    table = page.answer("pair_stats")
    needle, sort_by, descending = _controls(BY_PAIR)
    shown = queries.search_table(table[list(BY_PAIR)], needle)
    shown = shown.sort_values(sort_by, ascending=not descending, na_position="last",
                              kind="stable").reset_index(drop=True)
    inert.caption(f"{len(shown):,} of {len(table):,} rows")
    # where each pair's articles came from: all of them in the download, a few on screen
    every = shown.merge(layout.pair_sources(page), on="pair", how="left").fillna(
        {"sources": "", "links": ""})
    on_screen = every.assign(sources=every["sources"].map(pair_queries.first_few),
                             links=every["links"].map(pair_queries.first_few))
    return on_screen, lambda: every, len(shown), needle


def _by_article() -> tuple[object, object, int, str]:
    """One page of the per-article rows, asked of the database with its total."""
    needle, sort_by, descending = _controls(BY_ARTICLE)

    def rows(limit: int, offset: int):
        return layout.asked(page, lambda con: sql.partnership_table_page(
            con, page.filters, needle, sort_by, descending, limit, offset))

    got = layout.paged(rows, PAGE_ROWS, "pt_page")
    shown, total, first = got.rows, got.total, got.first
    inert.caption(f"rows {first + 1 if total else 0:,}–{first + len(shown):,} of {total:,}"
                  + (" containing the search words" if needle.strip() else ""))
    return (shown[[*BY_ARTICLE, "article_id"]],
            lambda: layout.with_source_links(page, rows(total, 0)[0][[*BY_ARTICLE, "article_id"]],
                                             keep_ids=False),
            total, needle)


def _correct(shown) -> None:
    """An editor picks a pair of the rows shown (per-article view) or of the first page of
    them (per-pair view) and corrects it; only that article's rows are read."""
    st.subheader("Correct a row", anchor=False)
    if "article_id" not in shown:
        shown = layout.asked(page, lambda con: sql.partnership_table_page(
            con, page.filters, limit=PAGE_ROWS))[0]
    choices = shown.assign(key=shown["article_id"] + "|" + shown["pair"],
                           event_date=shown["date"])
    row = correct.pick_event(choices, "pt_fix_pick")
    if row is not None:
        one = layout.one_article(page, row["article_id"])
        match = one.events[one.events["key"] == row["key"]]
        if not match.empty:
            correct.pair_panel(page.db, one, page.editor, match.iloc[0], "pt_fix")


if layout.guard(page, "partnerships", page.count("events")):
    filters.seed_table_view("pt", SORTS, DEFAULT_VIEW)
    view = st.radio("View", list(VIEWS), format_func=VIEWS.get, horizontal=True, key="pt_view")
    shown, everything, total, needle = _by_pair() if view == "pair" else _by_article()
    filters.keep_table_view("pt", SORTS, DEFAULT_VIEW)
    n_corrected = int((shown["corrected"] != "").sum()) if "corrected" in shown else 0
    if n_corrected:
        inert.caption(f"✎ {n_corrected:,} row(s) corrected by editors: the Corrected column says "
                      "by whom and when; the Corrections page lists every change.")
    if shown.empty:
        inert.notice("info", f"No row contains “{inert.label(needle, 80)}”. Clear the search box to see all rows.")
    spec = tables.PARTNER_PAIRS if view == "pair" else tables.PARTNERSHIPS_BY_ARTICLE
    table = layout.with_source_links(page, shown) if view == "article" else shown
    tables.show(table, spec, key=f"pt_table_{view}")
    downloads.buttons(everything, total, "partnerships" if view == "article" else "partner_pairs",
                      "pt", spec)
    if page.editor is not None:
        _correct(shown)
