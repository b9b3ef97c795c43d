"""A page per pair and the views a URL shares: pairs in URLs, clicks that pick a pair, the
table view in the URL, the pair's data, and what the pages show (AppTest)."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas_ui import filters as f
from atlas_ui import inert, layout, tables
from data_prep import queries, service, store
from data_prep.ingest.reading import read_upload
from data_prep.queries import Filters, Vocabulary
from data_prep.queries import pair as pairs

VOCAB = Vocabulary(countries={"CHN": "China", "KAZ": "Kazakhstan", "SGP": "Singapore"})
APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60

# Our own wire story in a table row, with a publisher and an address (and one hostile address).
TABLE_ROWS = [
    {"title": "Singapore and Japan sign a digital trade pact", "date": "2024-05-06",
     "url": "https://news.example.org/sg-jp-digital", "publisher": "Example Wire",
     "text": "SINGAPORE, 6 May 2024. Singapore and Japan signed a digital trade agreement on "
             "5 May 2024. Trade between the two countries reached $30 billion in 2023."},
    {"title": "Japan and Kazakhstan agree on a logistics hub", "date": "2024-06-10",
     "url": "javascript:alert(1)", "publisher": "",
     "text": "TOKYO, 10 June 2024. Japan and Kazakhstan agreed on 9 June 2024 to build a "
             "logistics hub together, officials said."},
]


# --------------------------------------------------------------------------- pure: URL values


@pytest.mark.parametrize("value, expected", [
    ("CHN-KAZ", ("CHN", "KAZ")),
    ("KAZ-CHN", ("CHN", "KAZ")),  # order-insensitive
    ("kaz–chn", ("CHN", "KAZ")),  # the tables' en dash, lower case
    ("KAZ,SGP", ("KAZ", "SGP")),
    ("Қазақстан-中国", ("CHN", "KAZ")),  # names in other scripts
    ("日本-Singapore", ("JPN", "SGP")),
    ("Guinea-Bissau-China", ("CHN", "GNB")),  # a name holding a dash
    ("USA-CHN", ("CHN", "USA")),  # known countries, absent from the data
    ("CHN-CHN", None),  # one country is no pair
    ("CHN", None),
    ("CHN-XXX", None),
    ("", None),
    ("see http://example.com/login", None),
    ("<script>-KAZ", None),
])
def test_parse_pair(value, expected):
    assert f.parse_pair(value, VOCAB) == expected


@pytest.mark.parametrize("value, expected", [
    ("Қазақстан", "KAZ"), ("中国", "CHN"), ("日本", "JPN"), ("Казахстан", "KAZ"),
    ("Deutschland", "DEU"), ("KAZ", "KAZ"), ("Singapore", "SGP"),
    ("Atlantis", None), ("", None), ("http://example.com", None),
])
def test_countries_in_other_scripts_resolve(value, expected):
    assert f.resolve_country(value, VOCAB) == expected


@pytest.mark.parametrize("params, expected, notices", [
    ({"pair": "KAZ-CHN"}, Filters(countries=("CHN",), partner="KAZ"), 0),
    ({"pair": "Қазақстан-中国"}, Filters(countries=("CHN",), partner="KAZ"), 0),
    ({"pair": "CHN"}, Filters(), 1),
    ({"pair": "see http://example.com/login"}, Filters(), 1),
    ({"country": "中国", "partner": "Қазақстан"}, Filters(countries=("CHN",), partner="KAZ"), 0),
])
def test_a_pair_in_the_url_filters_to_that_pair(params, expected, notices):
    got, said = f.parse_params(params, VOCAB)
    assert got == expected and len(said) == notices


@pytest.mark.parametrize("flt, expected", [
    (Filters(countries=("KAZ",), partner="CHN"), ("CHN", "KAZ")),
    (Filters(countries=("KAZ", "SGP"), partner="CHN"), None),
    (Filters(partner="CHN"), None),
    (Filters(countries=("KAZ",)), None),
    (Filters(countries=("KAZ",), partner="KAZ"), None),
])
def test_chosen_pair(flt, expected):
    assert f.chosen_pair(flt) == expected


def test_pair_urls_are_sorted_codes():
    assert f.pair_param("KAZ", "CHN") == "CHN-KAZ"
    assert f.pair_url("KAZ", "CHN") == "Pair?pair=CHN-KAZ"


# --------------------------------------------------------------------------- pure: clicks


@pytest.mark.parametrize("event, expected", [
    ({"selection": {"points": [{"customdata": ["KAZ", "CHN"]}]}}, ("CHN", "KAZ")),  # a line's dot
    ({"selection": {"points": [{"y": "CHN–SGP", "x": "2024-01-02"}]}}, ("CHN", "SGP")),  # timeline
    ({"selection": {"points": [{"y": "CHN-SGP"}]}}, ("CHN", "SGP")),
    ({"selection": {"points": [{"location": "KAZ", "customdata": ["KAZ"]}]}}, None),  # a country
    ({"selection": {"points": [{"customdata": ["KAZ", "XXX"]}]}}, None),  # not a known code
    ({"selection": {"points": [{"customdata": ["KAZ", "KAZ"]}]}}, None),
    ({"selection": {"points": [{"y": "<b>x</b>"}]}}, None),
    ({"selection": {"points": []}}, None),
    ({}, None),
    (None, None),
    ("garbage", None),
])
def test_selection_to_pair(event, expected):
    assert f.selection_to_pair(event, VOCAB.countries) == expected


def test_a_pair_click_keeps_the_other_filters():
    before = Filters(countries=("SGP",), kind="trade")
    assert f.with_pair(before, ("CHN", "KAZ")) == Filters(countries=("CHN",), partner="KAZ",
                                                          kind="trade")


# --------------------------------------------------------------------------- pure: table view

SORTS = {"article": ["date", "pair", "usd"], "pair": ["articles", "usd", "pair"]}
DEFAULT = f.TableView("article", "date", True, "")


@pytest.mark.parametrize("params, expected, notices", [
    ({}, DEFAULT, 0),
    ({"view": "pair"}, f.TableView("pair", "articles", True, ""), 0),
    ({"view": "pair", "sort": "usd", "order": "asc", "search": " smart  city "},
     f.TableView("pair", "usd", False, "smart city"), 0),
    ({"sort": "usd", "order": "DESC"}, f.TableView("article", "usd", True, ""), 0),
    ({"view": "pair", "sort": "date"}, f.TableView("pair", "articles", True, ""), 1),  # not this view's
    ({"view": "see http://example.com/login"}, DEFAULT, 1),
    ({"order": "sideways"}, DEFAULT, 1),
    ({"view": "x", "sort": "y", "order": "z"}, DEFAULT, 3),
])
def test_parse_table_view(params, expected, notices):
    got, said = f.parse_table_view(params, SORTS, DEFAULT)
    assert got == expected and len(said) == notices


@pytest.mark.parametrize("tv, expected", [
    (DEFAULT, {}),
    (f.TableView("pair", "articles", True, ""), {"view": "pair"}),
    (f.TableView("pair", "usd", False, "energy"),
     {"view": "pair", "sort": "usd", "order": "asc", "search": "energy"}),
    (f.TableView("article", "pair", True, "   "), {"sort": "pair"}),
])
def test_table_view_params_round_trip(tv, expected):
    params = f.table_view_params(tv, SORTS, DEFAULT)
    assert params == expected
    assert f.parse_table_view(params, SORTS, DEFAULT)[0] == f.TableView(
        tv.view, tv.sort, tv.descending, tv.search.strip())


# --------------------------------------------------------------------------- the pair's data


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("pair") / "atlas.duckdb"
    service.ensure_database(path)  # the seeds
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(TABLE_ROWS[0]))
    writer.writeheader()
    writer.writerows(TABLE_ROWS)
    service.add_articles(list(read_upload("wire.csv", out.getvalue().encode())), path)
    return path


@pytest.fixture(scope="module")
def frames(db):
    with store.read_connection(db) as con:
        return queries.load_frames(con)


def test_pair_view_holds_every_event_money_figure_and_source(frames):
    view = pairs.pair_view(frames, "KAZ", "CHN")
    assert (view.a, view.b, view.name_a, view.name_b) == ("CHN", "KAZ", "China", "Kazakhstan")
    assert len(view.events) == len(frames.events[frames.events["pair"] == "CHN–KAZ"]) == 2
    assert set(view.articles["article_id"]) == set(view.events["article_id"])
    money = view.money.set_index("text")
    assert money.loc["$24.2 billion", ["measure", "status"]].tolist() == ["Trade", "actual"]
    assert money.loc["$40 billion", "status"] == "planned"  # a target, kept apart
    assert money.loc["$21 billion", "measure"] == "Investment"
    assert {"$24.2 billion", "$40 billion", "$21 billion"} <= set(view.figures["text"])
    assert view.figures["sentence_text"].map(lambda s: isinstance(s, str) and len(s) > 20).all()
    assert view.articles["source"].str.endswith(".txt").all()  # seeds: their file names


def test_money_over_time_keeps_reached_and_planned_apart(frames):
    got = pairs.money_over_time(pairs.pair_view(frames, "CHN", "KAZ"))
    rows = {(d.strftime("%Y-%m-%d"), m, s): usd for d, m, s, usd in
            zip(got["date"], got["measure"], got["status"], got["usd"])}
    assert rows == {("2023-01-01", "Investment", "actual"): 21e9,
                    ("2023-11-28", "Trade", "actual"): 24.2e9,
                    ("2023-11-28", "Trade", "planned"): 40e9}


def test_a_pair_without_articles_is_empty(frames):
    view = pairs.pair_view(frames, "USA", "CHN")
    assert view.empty and view.articles.empty and view.money.empty
    assert view.name_b == "United States"  # named by the lexicon all the same
    assert pairs.money_over_time(view).empty


def test_pair_people_asks_the_store_with_parameters(db, frames):
    ids = list(pairs.pair_view(frames, "CHN", "KAZ").articles["article_id"])
    with store.read_connection(db) as con:
        people = pairs.pair_people(con, ids)
        assert pairs.pair_people(con, []).empty
        assert pairs.pair_people(con, ["'; DROP TABLE entities; --"]).empty
    assert list(people.columns) == pairs.PEOPLE_COLUMNS
    assert {"organisation", "person"} <= set(people["kind"])
    assert "Kazakh Invest" in set(people["name"])


def test_citation_names_the_pair_its_articles_years_address_and_day(frames):
    view = pairs.pair_view(frames, "CHN", "KAZ")
    line = pairs.citation(view, "http://atlas.example/Pair?pair=CHN-KAZ", date(2024, 7, 1))
    assert line == ("Partnership Atlas, “China – Kazakhstan” (CHN-KAZ): 2 articles, 2023. "
                    "http://atlas.example/Pair?pair=CHN-KAZ (retrieved 2024-07-01).")


@pytest.mark.parametrize("row, expected", [
    ({"doc": "a.txt", "source": "Example Wire", "url": "https://e.example/x"},
     ("Example Wire", "https://e.example/x")),
    ({"doc": "a.txt", "source": None, "url": None}, ("a.txt", None)),
    ({"doc": "rows.csv#2", "source": "  ", "url": " "}, ("rows.csv#2", None)),
])
def test_article_sources_fall_back_to_the_file_name(row, expected):
    got = pairs.article_sources(pd.DataFrame([{"article_id": "x", **row}]))
    assert (got.loc[0, "source"], got.loc[0, "url"]) == expected


@pytest.mark.parametrize("rows, expected", [
    ([("KAZ–SGP", "Wire", "https://a.example/1"), ("KAZ–SGP", "Wire", "https://a.example/2"),
      ("KAZ–SGP", "b.txt", None), ("CHN–KAZ", "c.txt", None)],
     [("CHN–KAZ", "c.txt", ""), ("KAZ–SGP", "Wire; b.txt", "https://a.example/1; https://a.example/2")]),
    ([("JPN–SGP", " Desk ", " "), ("JPN–SGP", "", None)], [("JPN–SGP", "Desk", "")]),  # blanks left out
    ([], []),
])
def test_sources_by_pair_lists_each_source_and_link_once(rows, expected):
    got = pairs.sources_by_pair(pd.DataFrame(rows, columns=["pair", "source", "url"]))
    assert list(got.columns) == ["pair", "sources", "links"]
    assert [tuple(r) for r in got.itertuples(index=False)] == expected


@pytest.mark.parametrize("url, expected", [
    ("https://news.example.org/a", "https://news.example.org/a"),
    ("HTTP://Example.org/b?c=1", "http://Example.org/b?c=1"),
    ("javascript:alert(1)", None),
    ("data:text/html,<b>x</b>", None),
    ("//example.org/no-scheme", None),
    (None, None),
])
def test_source_links_are_safe_http_only(url, expected):
    rows = pd.DataFrame({"article_id": ["x"]})
    arts = pd.DataFrame({"article_id": ["x"], "doc": ["a.txt"], "source": [""], "url": [url]})
    assert layout.safe_source_links(pairs.with_sources(rows, arts)).loc[0, "url"] == expected


@pytest.mark.parametrize("pair, expected", [
    ("CHN–KAZ", "Pair?pair=CHN-KAZ"), ("SGP–CHN", "Pair?pair=CHN-SGP"), (None, None), ("", None),
])
def test_pair_link_column(pair, expected):
    assert tables.pair_link(pair) == expected
    shown = tables.display_frame(pd.DataFrame({"pair": [pair]}), tables.OVERVIEW_PAIRS)
    assert shown.loc[0, "pair_page"] == expected


@pytest.mark.parametrize("message, expected", [
    ("built /srv/data/atlas.duckdb from 5 seed articles", "Built the database from 5 seed articles"),
    ("not stored: /home/x/seeds/bad.txt: empty", "Not stored: bad.txt: empty"),
])
def test_build_messages_are_said_once_without_paths(message, expected):
    shared = [message]
    assert layout.said_once(shared) == [expected]
    assert shared == [] and layout.said_once(shared) == []  # the next page load says nothing


# --------------------------------------------------------------------------- the pages (AppTest)


@pytest.fixture
def app(db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(db))
    monkeypatch.setenv("ATLAS_MODE", "local")

    def open_page(page: str, query: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.switch_page(page)
        return at.run()

    return open_page


PAIR_SECTIONS = ["China – Kazakhstan", "Events", "Money by measure over time",
                 "Figures with their sentences", "Organisations and people", "Sources",
                 "Cite this page"]


@pytest.mark.parametrize("value", ["CHN-KAZ", "KAZ-CHN", "kaz–chn", "Қазақстан-中国"])
def test_pair_page_shows_the_pair(app, value):
    at = app("pages/9_Pair.py", {"pair": value})
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.subheader] == PAIR_SECTIONS
    assert not at.warning
    sources = next(d.value for d in at.dataframe if "doc" in d.value.columns)
    assert len(sources) == 2
    assert at.code[0].value.startswith("Partnership Atlas, “China – Kazakhstan” (CHN-KAZ): 2 articles")


@pytest.mark.parametrize("value, kind, words", [
    ("CHN", "warning", "is not a pair of countries"),
    ("see http://example.com/login", "warning", "is not a pair of countries"),
    ("[x](http://example.com)", "warning", "is not a pair of countries"),
    ("USA-CHN", "info", "No article names China and United States as partners"),
])
def test_pair_page_explains_a_bad_pair_as_text(app, value, kind, words):
    at = app("pages/9_Pair.py", {"pair": value})
    assert not at.exception
    shown = [inert.shown(n.value) for n in getattr(at, kind)]
    assert any(words in s for s in shown), shown
    assert all("](" not in n.value for n in getattr(at, kind))  # no Markdown link survives
    assert at.selectbox(key="pair_pick")  # and the user can choose a pair


def test_pair_page_without_a_pair_offers_the_pairs(app):
    at = app("pages/9_Pair.py")
    assert not at.exception and not at.warning
    options = at.selectbox(key="pair_pick").options
    assert len(options) == 5 and any("China – Kazakhstan" in o for o in options)


@pytest.mark.parametrize("query, view, sort, descending, search", [
    ({}, "article", "date", True, ""),
    ({"view": "pair", "sort": "usd", "order": "asc", "search": "kazakhstan"},
     "pair", "usd", False, "kazakhstan"),
    ({"sort": "pair", "order": "asc"}, "article", "pair", False, ""),
])
def test_partnerships_view_comes_from_the_url(app, query, view, sort, descending, search):
    at = app("pages/3_Partnerships.py", query)
    assert not at.exception and not at.warning
    assert at.radio(key="pt_view").value == view
    assert at.selectbox(key=f"pt_sort_{view}").value == sort
    assert at.toggle(key=f"pt_desc_{view}").value is descending
    assert at.text_input(key="pt_search").value == search
    assert {k: at.query_params[k][0] if isinstance(at.query_params[k], list) else at.query_params[k]
            for k in f.VIEW_KEYS if k in at.query_params} == query


def test_partnerships_shared_link_with_pair_view_sort_and_search(app):
    at = app("pages/3_Partnerships.py", {"pair": "KAZ-CHN", "view": "pair", "sort": "usd",
                                         "search": "kazakhstan"})
    table = at.dataframe[0].value
    assert table["pair"].tolist() == ["CHN–KAZ"]
    assert table["pair_page"].tolist() == ["Pair?pair=CHN-KAZ"]


@pytest.mark.parametrize("query, notices", [
    ({"view": "see http://example.com/login"}, 1),
    ({"view": "pair", "sort": "[x](http://example.com)", "order": "up"}, 2),
])
def test_bad_table_view_values_are_said_as_text(app, query, notices):
    at = app("pages/3_Partnerships.py", query)
    assert not at.exception
    assert len(at.warning) == notices
    shown = " ".join(inert.shown(w.value) for w in at.warning)
    for value in query.values():  # each value said back as written, no Markdown left in it
        assert value in shown or value not in ("see http://example.com/login",
                                                "[x](http://example.com)")
    assert all("](" not in w.value and "http:/" not in w.value for w in at.warning)


def _tables_with(at: AppTest, column: str) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if column in d.value.columns]


@pytest.mark.parametrize("page, tables", [
    ("app.py", 1), ("pages/1_Map.py", 1), ("pages/3_Partnerships.py", 1), ("pages/4_Figures.py", 1),
])
def test_every_pair_table_links_to_the_pair_page(app, page, tables):
    at = app(page)
    assert len(_tables_with(at, "pair")) == len(_tables_with(at, "pair_page")) == tables
    table = _tables_with(at, "pair_page")[0]
    links = table["pair_page"].dropna()
    assert len(links) and links.str.fullmatch(r"Pair\?pair=[A-Z]{3}-[A-Z]{3}").all()
    paired = table["pair"].map(lambda p: isinstance(p, str) and bool(p))
    assert table.loc[paired, "pair_page"].notna().all()


@pytest.mark.parametrize("page", ["app.py", "pages/3_Partnerships.py", "pages/4_Figures.py"])
def test_article_tables_show_the_source_and_a_safe_link(app, page):
    at = app(page)
    table = _tables_with(at, "source")[0]
    assert {"source", "url"} <= set(table.columns)
    wire = table[table["source"] == "Example Wire"]
    assert len(wire) and set(wire["url"]) == {"https://news.example.org/sg-jp-digital"}
    assert not table["url"].astype(str).str.contains("javascript").any()
    assert table.loc[table["source"] != "Example Wire", "source"].str.contains(r"\.(?:txt|csv)").all()


def test_pair_page_tables_of_articles_show_the_source_and_a_safe_link(app):
    # issue 11: source columns in every table (the pair's money and figures had none)
    at = app("pages/9_Pair.py", {"pair": "JPN-SGP"})
    assert not at.exception
    titled = _tables_with(at, "title")
    assert len(titled) == 3  # money, figures, sources
    for table in titled:
        assert {"source", "url"} <= set(table.columns), list(table.columns)
        assert set(table["source"]) == {"Example Wire"}
        assert set(table["url"]) == {"https://news.example.org/sg-jp-digital"}
    at = app("pages/9_Pair.py", {"pair": "JPN-KAZ"})  # a table upload without publisher or safe link
    for table in _tables_with(at, "title"):
        assert set(table["source"]) == {"wire.csv#2"} and table["url"].isna().all()


def test_a_map_filtered_to_a_pair_links_to_its_page(app):
    at = app("pages/1_Map.py", {"country": "KAZ", "partner": "CHN"})
    assert not at.exception
    links = [p for p in at.get("page_link") if "Open the page of" in p.proto.label]
    assert len(links) == 1 and "China – Kazakhstan" in inert.shown(links[0].proto.label)


def test_upload_page_has_no_filter_sidebar(app):
    at = app("pages/6_Add_articles.py")
    assert not at.exception
    assert "Filters" not in [h.value for h in at.sidebar.header]
    assert not at.sidebar.multiselect and not at.sidebar.date_input
    at = app("pages/1_Map.py")
    assert "Filters" in [h.value for h in at.sidebar.header]


def test_corrections_table_links_its_pairs_and_sources(tmp_path, monkeypatch):
    """The Corrections page's table is a pair table too (on a copy: the correction must not
    reach the other tests' data)."""
    from data_prep import corrections as cx
    from data_prep.store import corrections as corrections_store

    db = tmp_path / "atlas.duckdb"
    service.ensure_database(db)
    with store.read_connection(db) as con:
        aid = queries.load_frames(con).events.query("pair == 'CHN–KAZ'")["article_id"].iloc[0]
    corrections_store.save(db, [cx.make("set_deal", "Ana", aid, "CHN", "KAZ", {"status": "signed",
                                                                               "date": "2023-11"})])
    monkeypatch.setenv("ATLAS_DB", str(db))
    monkeypatch.setenv("ATLAS_MODE", "local")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/7_Corrections.py")
    at.run()
    assert not at.exception
    table = _tables_with(at, "pair_page")[0]
    assert table["pair_page"].tolist() == ["Pair?pair=CHN-KAZ"]
    assert table["source"].str.endswith(".txt").all()
