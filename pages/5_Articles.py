"""Articles: one article's text with what was extracted highlighted, next to the extraction."""
from __future__ import annotations

import streamlit as st

from atlas_ui import correct, inert, layout, tables
from data_prep.store import corrections as corrections_store
from data_prep import queries
from data_prep.corrections import active
from data_prep.queries.corrections_table import describe
from data_prep.extract.countries import all_countries
from data_prep.queries import aggregates


LIST_ROWS = aggregates.ARTICLE_PICKER  # articles offered in the picker at once, newest first


def _corrections(article_id: str, one, ev, men) -> None:
    """What editors changed in this article (for everyone), and the forms (for editors)."""
    mine = [c for c in active(corrections_store.load(page.db)) if c.article_id == article_id]
    if mine:
        st.subheader("Corrected by editors", anchor=False)
        for c in mine:
            inert.text(f"✎ {describe(c)}")
    if page.editor is None:
        return
    st.subheader("Correct this article", anchor=False)
    correct.show_done()
    row = correct.pick_event(ev, "art_fix_pick")
    if row is not None:
        correct.pair_panel(page.db, one, page.editor, row, "art_fix")
    with st.expander("Add a pair the extraction missed"):
        # the article's countries first, then every country by name
        names = {**dict(zip(men["iso3"], men["name"])), **dict(all_countries())}
        sentences = [r[0] for r in layout.asked(page, lambda con: con.execute(
            "SELECT text FROM sentences WHERE article_id = ? ORDER BY idx", [article_id]
        ).fetchall())]
        correct.add_pair_form(page.db, page.editor, article_id, names, sentences, "art_add")


def _listed() -> tuple[int, int]:
    """The picker's articles: how many at once, from which (its page number, kept)."""
    return LIST_ROWS, (int(st.session_state.get("art_list_page") or 1) - 1) * LIST_ROWS


page = layout.start_page("Articles", caption="Countries, figures, dates and organisations found "
                                             "in the text are highlighted; hover one for what was understood.",
                         ahead=(("latest_articles", _listed()),))


def _choices() -> dict[str, str]:
    """A page of the filtered articles, newest first (a page number when there are more),
    plus the article the link names when the filters keep it."""
    arts, total = page.answer("latest_articles", *_listed())
    pages = max(1, -(-total // LIST_ROWS))
    if pages > 1:
        st.number_input(f"Newest articles, page (of {pages:,}; {total:,} articles)", min_value=1,
                        max_value=pages, key="art_list_page")
    labels = {r.article_id: f"{r.published or 'undated'} · {inert.label(r.title or r.doc, 120)}"
              for r in arts.itertuples()}
    for extra in (st.query_params.get("article"), st.session_state.get("art_pick")):
        if extra and extra not in labels and page.answer("article_kept", extra):
            row = layout.asked(page, lambda con: queries.article_text(con, extra))
            if row is not None:
                labels[extra] = (f"{str(row['published'] or 'undated')[:10]} · "
                                 f"{inert.label(row['title'] or row['doc'], 120)}")
    return labels


if layout.guard(page):
    labels = _choices()
    wanted = st.query_params.get("article")
    if wanted and "art_pick" not in st.session_state:
        if wanted in labels:
            st.session_state["art_pick"] = wanted
        else:
            inert.notice("warning", f"Article “{inert.label(wanted, 40)}” from the link is not stored "
                                    "or is filtered out: showing the newest article instead.")
    picked = st.selectbox("Article", list(labels), format_func=labels.get, key="art_pick")
    if picked:
        st.query_params["article"] = picked
        row, spans = layout.asked(page, lambda con: (queries.article_text(con, picked),
                                                      queries.article_spans(con, picked)))
        if row is None:
            st.warning("This article is no longer stored. Pick another one.")
        else:
            text_col, data_col = st.columns([3, 2])
            with text_col:
                inert.heading(row["title"] or row["doc"] or "(untitled)")
                meta = [f"File: {row['doc']}", f"Published: {row['published'] or 'unknown'}"]
                if row.get("source"):
                    meta.append(f"Source: {row['source']}")
                inert.caption(" · ".join(str(m) for m in meta))
                if row.get("url"):
                    inert.link("Open the source", row["url"])
                span_rows = spans[["start", "end", "kind", "label"]].itertuples(index=False, name=None)
                inert.article_view(row["text"], span_rows)
            with data_col:
                one = layout.one_article(page, picked)  # this article's rows only
                ev = one.events[one.events["article_id"] == picked]
                figs = one.figures[one.figures["article_id"] == picked]
                men = one.mentions[one.mentions["article_id"] == picked]
                st.subheader("Countries", anchor=False)
                tables.show(men, tables.ARTICLE_COUNTRIES, key="art_countries")
                st.subheader("Partnerships", anchor=False)
                tables.show(ev, tables.ARTICLE_PARTNERSHIPS, key="art_events")
                st.subheader("Figures", anchor=False)
                tables.show(figs, tables.ARTICLE_FIGURES, key="art_figures")
                orgs = sorted(set(one.orgs.loc[one.orgs["article_id"] == picked, "name"]))
                st.subheader("Organisations", anchor=False)
                st.dataframe({"Organisation": orgs}, hide_index=True, key="art_orgs")
                _corrections(picked, one, ev, men)
