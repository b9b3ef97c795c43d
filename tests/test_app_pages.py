"""Every page renders on the seed articles (Streamlit AppTest), and the filters work:
sidebar widgets, URL query strings, malformed URLs and empty states."""
from __future__ import annotations

from pathlib import Path

import pytest

from atlas_ui import charts
from streamlit.testing.v1 import AppTest

from data_prep import service, store
from atlas_ui import inert

PAGES = ["app.py", "pages/1_Map.py", "pages/2_Timeline.py", "pages/3_Partnerships.py",
         "pages/4_Figures.py", "pages/5_Articles.py", "pages/6_Add_articles.py",
         "pages/7_Corrections.py", "pages/8_Sign_in.py", "pages/9_Pair.py"]
APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60  # the first run builds the seed database and imports plotly


@pytest.fixture(autouse=True)
def local_run(monkeypatch):
    """These pages as a local run shows them (editing without sign-in); the deployed mode
    has its own tests (test_access_pages.py)."""
    monkeypatch.setenv("ATLAS_MODE", "local")


@pytest.fixture
def app(seeds_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(seeds_db))

    def open_page(page: str = "app.py", query: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        if page != "app.py":
            at.switch_page(page)
        return at.run()

    return open_page


def _table(at: AppTest, column: str):
    """The first dataframe on the page that has `column`."""
    for d in at.dataframe:
        if column in d.value.columns:
            return d.value
    raise AssertionError(f"no table with a {column!r} column")


def _pair_set(at: AppTest) -> set[frozenset[str]]:
    return {frozenset(p.split("–")) for p in _table(at, "evidence")["pair"]}


ALL_PAIRS = {frozenset({"KAZ", "SGP"}), frozenset({"KAZ", "CHN"}), frozenset({"SGP", "CHN"})}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app, page):
    at = app(page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title and at.title[0].value
    assert not at.warning  # a clean URL gives no notice


def test_overview_shows_metrics_pairs_and_latest_articles(app):
    at = app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "5"
    assert int(metrics["Countries"]) >= 3
    assert metrics["Partnerships"] == "3"
    # the seeds' reached money: $21 bn of investment projects and $24.2 bn of 2022 trade; the
    # $40 bn trade target is planned and never added to what happened
    assert metrics["Pair money reached (USD)"] == charts.fmt_usd(21e9 + 24.2e9)
    # trade, investment and targets apart: Kazakhstan-China's $24.2 bn 2022 trade and $40 bn goal
    # written in full for people (issue 11: "24B", "$0.00" for no money)
    money = _table(at, "reached").set_index("measure")
    assert money.loc["Trade", "reached"] == "$24.2 bn"
    assert money.loc["Trade", "planned"] == "$40 bn"
    assert money.loc["Investment", "reached"] == "$21 bn"
    assert money.loc["Investment", "planned"] == "–"  # no planned money: never "$0"
    pairs = {frozenset(p.split("–")) for p in _table(at, "kinds")["pair"]}
    assert pairs == ALL_PAIRS
    assert len(_table(at, "title")) == 5


def test_partnerships_table_lists_the_seed_pairs(app):
    at = app("pages/3_Partnerships.py")
    assert ALL_PAIRS <= _pair_set(at)
    table = _table(at, "evidence")
    assert table["evidence"].str.len().min() > 0  # every row shows its sentence
    assert set(table.columns) >= {"date", "kind", "sectors", "organisations", "figures"}


def test_country_filter_in_the_sidebar_narrows_the_table_and_sets_the_url(app):
    at = app("pages/3_Partnerships.py")
    at.sidebar.multiselect(key="flt_country").set_value(["KAZ"]).run()
    assert not at.exception
    assert _pair_set(at) == {frozenset({"KAZ", "SGP"}), frozenset({"KAZ", "CHN"})}
    assert at.query_params["country"] == "KAZ"
    assert any("**Filtered:** Kazakhstan" in inert.shown(m.value) for m in at.markdown)  # said in words


@pytest.mark.parametrize("query, pairs", [
    ({"country": "SGP"}, {frozenset({"KAZ", "SGP"}), frozenset({"SGP", "CHN"})}),
    ({"country": "KAZ", "partner": "CHN"}, {frozenset({"KAZ", "CHN"})}),
    ({"country": "Singapore,China"}, ALL_PAIRS),
])
def test_url_query_presets_the_filters(app, query, pairs):
    at = app("pages/3_Partnerships.py", query)
    assert not at.exception
    assert _pair_set(at) == pairs
    assert not at.warning
    assert at.sidebar.multiselect(key="flt_country").value  # the widget shows the URL's value


@pytest.mark.parametrize("query, named", [
    ({"country": "XXX"}, ["XXX"]),
    ({"from": "notadate"}, ["notadate"]),
    ({"country": "XXX", "kind": "war", "to": "2023-99-99"}, ["XXX", "war", "2023-99-99"]),
])
def test_malformed_url_shows_a_notice_and_falls_back(app, query, named):
    at = app("pages/3_Partnerships.py", query)
    assert not at.exception
    notices = " ".join(inert.shown(w.value) for w in at.warning)
    assert all(f"“{n}”" in notices for n in named)
    assert _pair_set(at) == ALL_PAIRS  # the bad values filter nothing
    assert "country" not in at.query_params and "from" not in at.query_params


@pytest.mark.parametrize("page", PAGES[:5])
def test_no_match_says_what_to_do(app, page):
    at = app(page, {"from": "2090-01-01"})
    assert not at.exception
    assert any("No " in inert.shown(i.value) and "Clear all filters" in inert.shown(i.value) for i in at.info)


@pytest.mark.parametrize("page, query, expected", [
    ("app.py", {"from": "2090-01-01"}, "No articles match the filters (from 2090)."),
    ("pages/3_Partnerships.py", {"country": "KAZ", "partner": "CHN", "q": "zzzz"},
     "No partnerships match the filters (Kazakhstan with China; search “zzzz”)."),
    ("pages/4_Figures.py", {"kind": "talks", "from": "2090-01-01", "to": "2090-12-31"},
     "No figures match the filters (talks; 2090)."),
])
def test_no_match_names_the_filters_as_the_summary_does(app, page, query, expected):
    # the notice spoke older words ("mentions …", "on or after …") than the summary above it
    at = app(page, query)
    notices = [inert.shown(i.value) for i in at.info]
    assert any(n.startswith(expected) for n in notices), notices
    assert not any("mentions" in n or "on or after" in n for n in notices), notices


def test_articles_page_shows_escaped_highlighted_text(app):
    at = app("pages/5_Articles.py")
    assert not at.exception
    pick = at.selectbox(key="art_pick")
    assert len(pick.options) == 5
    html_blocks = [e for e in at.get("html")]
    assert html_blocks, "the article text is drawn as highlighted HTML"
    body = html_blocks[0].proto.body
    assert '<mark class="hl-country"' in body
    assert "<script" not in body


def test_add_articles_page_states_the_limits(app):
    at = app("pages/6_Add_articles.py")
    text = " ".join(inert.shown(m.value) for m in at.markdown)
    assert "50 files" in text and "25 MB" in text
    assert at.button(key="add_go").disabled  # nothing chosen yet


def test_upload_batch_reports_each_file(seeds_db, tmp_path):
    import shutil

    from atlas_ui import layout
    from data_prep.ingest.limits import MAX_FILE_BYTES

    db = tmp_path / "copy.duckdb"
    shutil.copy(seeds_db, db)
    seed = sorted(p for p in (store.SEEDS).iterdir() if p.suffix == ".txt")[0].read_bytes()
    new = ("Astana, 3 March 2025. Kazakhstan and Brazil signed an agreement on agriculture "
           "trade worth $120 million, the ministry said.").encode()
    files = [("new.txt", new), ("again.txt", seed), ("empty.txt", b""),
             ("big.txt", b"a" * (MAX_FILE_BYTES + 1))]
    outcomes = {o.file: o for o in layout.upload_batch(files, db)}
    assert outcomes["new.txt"].status == "added" and outcomes["new.txt"].added == 1
    assert outcomes["again.txt"].status == "duplicate"
    assert outcomes["empty.txt"].status == "failed" and "empty" in " ".join(outcomes["empty.txt"].notes)
    assert outcomes["big.txt"].status == "failed" and "limit" in outcomes["big.txt"].notes[0]
    with store.read_connection(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 6


def test_upload_batch_enforces_the_file_count_limit(seeds_db, tmp_path):
    import shutil

    from atlas_ui import layout

    db = tmp_path / "copy.duckdb"
    shutil.copy(seeds_db, db)
    files = [(f"f{i}.txt", b"") for i in range(layout.MAX_UPLOAD_FILES + 2)]
    outcomes = layout.upload_batch(files, db)
    over = [o for o in outcomes if any("limit of" in n for n in o.notes)]
    assert [o.file for o in over] == [f"f{i}.txt" for i in range(layout.MAX_UPLOAD_FILES, len(files))]


def test_every_uploaded_file_ends_added_duplicate_or_failed(seeds_db, tmp_path, monkeypatch):
    import shutil

    from atlas_ui import layout
    from data_prep.ingest import limits

    db = tmp_path / "copy.duckdb"
    shutil.copy(seeds_db, db)
    seed = sorted(p for p in store.SEEDS.iterdir() if p.suffix == ".txt")[0]
    new = "Lima, 3 March 2025. Peru and Chile signed a fisheries agreement, the ministry said."
    monkeypatch.setattr(layout, "MAX_UPLOAD_BYTES", 3 * len(new))  # a small total for the test
    files = [("a.txt", new.encode()), ("a.txt", new.encode()), ("seed.txt", seed.read_bytes()),
             ("late.txt", b"x" * len(new))]
    outcomes = layout.upload_batch(files, db)
    got = [(o.file, o.status, o.notes) for o in outcomes]
    assert got == [
        ("a.txt", "added", []),
        ("a.txt (2)", "duplicate", ["a.txt (2): same text as a.txt (already stored)"]),
        ("seed.txt", "failed", [f"not read: the upload is over {3 * len(new) / limits.MB:.0f} MB "
                                "in total"]),
        ("late.txt", "failed", [f"not read: the upload is over {3 * len(new) / limits.MB:.0f} MB "
                                "in total"]),
    ]
    monkeypatch.undo()
    again = layout.upload_batch([("seed.txt", seed.read_bytes())], db)
    assert [(o.status, o.notes) for o in again] == [
        ("duplicate", [f"seed.txt: same text as {seed.name} (already stored)"])]


@pytest.mark.parametrize("page", PAGES)
def test_empty_database_says_how_to_add_articles(seeds_db, tmp_path, monkeypatch, page):
    import shutil

    db = tmp_path / "empty.duckdb"
    shutil.copy(seeds_db, db)
    with store.read_connection(db) as con:
        ids = [r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()]
    assert service.remove_articles(ids, db) == 5
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if page != "app.py":
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page == "pages/6_Add_articles.py":
        assert any("no articles" in inert.shown(i.value) for i in at.info)
    elif page == "pages/7_Corrections.py":
        assert any("No corrections yet" in inert.shown(i.value) for i in at.info)
    elif page == "pages/8_Sign_in.py":
        assert any("your own machine" in inert.shown(s.value) for s in at.success)
    else:
        assert any("no articles in the database yet" in inert.shown(i.value) and "Add articles" in inert.shown(i.value)
                   for i in at.info)


@pytest.mark.parametrize("to_page", ["pages/1_Map.py", "app.py", "pages/4_Figures.py"])
def test_filters_follow_the_user_to_other_pages(app, to_page):
    at = app("pages/3_Partnerships.py")
    at.sidebar.multiselect(key="flt_country").set_value(["SGP"]).run()
    at.switch_page(to_page).run()
    assert not at.exception
    assert at.sidebar.multiselect(key="flt_country").value == ["SGP"]
    assert at.query_params["country"] == "SGP"
    at.switch_page("pages/3_Partnerships.py").run()
    assert _pair_set(at) == {frozenset({"KAZ", "SGP"}), frozenset({"SGP", "CHN"})}


def test_overview_metrics_follow_the_filters(app):
    at = app("app.py", {"country": "KAZ", "partner": "SGP"})
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Articles"], metrics["Partnerships"]) == ("1", "1")


def test_partnerships_by_pair_search_and_sort(app):
    at = app("pages/3_Partnerships.py")
    at.radio(key="pt_view").set_value("pair").run()
    by_pair = _table(at, "first_date")
    assert len(by_pair) == 3 and by_pair["articles"].sum() == 5
    # where each pair's articles came from, on screen too (seeds: their file names)
    seeds = {p.name for p in (Path(__file__).resolve().parent.parent / "seeds").iterdir()}
    for sources, n in zip(by_pair["sources"], by_pair["articles"]):
        named = sources.split("; ")
        assert len(named) == n and set(named) <= seeds, sources
    at.selectbox(key="pt_sort_pair").set_value("pair").run()
    at.toggle(key="pt_desc_pair").set_value(False).run()
    assert list(_table(at, "first_date")["pair"]) == sorted(by_pair["pair"])
    at.text_input(key="pt_search").set_value("singapore").run()
    assert set(_table(at, "first_date")["pair"]) == {"CHN–SGP", "KAZ–SGP"}
    at.text_input(key="pt_search").set_value("no such words").run()
    assert any("No row contains" in inert.shown(i.value) for i in at.info)


@pytest.mark.parametrize("article, notice", [("nosuchid", True), ("<b>x</b>", True)])
def test_articles_page_with_an_unknown_article_in_the_url(app, article, notice):
    at = app("pages/5_Articles.py", {"article": article})
    assert not at.exception
    assert any(article[:10] in inert.shown(w.value).replace("\\", "") for w in at.warning) == notice
    assert at.selectbox(key="art_pick").value  # falls back to the newest article


def test_articles_page_opens_the_article_named_in_the_url(app, seeds_db):
    with store.read_connection(seeds_db) as con:
        some_id, doc = con.execute("SELECT article_id, doc FROM articles ORDER BY doc").fetchone()
    at = app("pages/5_Articles.py", {"article": some_id})
    assert at.selectbox(key="art_pick").value == some_id
    assert not at.warning
    assert any(doc in inert.shown(c.value).replace("\\", "") for c in at.caption)


@pytest.mark.parametrize("query, expected", [
    # one seed article has neither a publication date nor a dated event
    ({"from": "2020-01-01"}, "1 undated article left out by the date range"),
    ({"from": "2020-01-01", "undated": "1"}, None),  # kept on request: no notice
    ({}, None),  # no date range: nothing left out
])
def test_undated_articles_left_out_are_counted(app, query, expected):
    at = app(query=query)
    captions = " ".join(inert.shown(c.value) for c in at.caption)
    if expected:
        assert expected in captions
    else:
        assert "undated article" not in captions
    if query.get("undated"):
        assert at.sidebar.checkbox(key="flt_undated").value is True


def _write(db: Path, name: str, partner: str) -> None:
    from atlas_ui import layout

    text = (f"Astana, 3 March 2025. Kazakhstan and {partner} signed an agreement on agriculture "
            "trade worth $120 million, the ministry said.").encode()
    assert layout.upload_batch([(name, text)], db)[0].status == "added"


def _copy(seeds_db: Path, tmp_path: Path, monkeypatch) -> Path:
    import shutil

    db = tmp_path / "copy.duckdb"
    shutil.copy(seeds_db, db)
    monkeypatch.setenv("ATLAS_DB", str(db))
    return db


def _articles(at: AppTest) -> int:
    return int({m.label: m.value for m in at.metric}["Articles"])


def test_a_write_shows_at_once_and_drops_the_older_derived_files(seeds_db, tmp_path,
                                                                 monkeypatch):
    """Pages read tables derived once per data version; a write makes a new version whose
    numbers show at the next run; the files of versions before the last shown are removed."""
    from atlas_ui import layout

    db = _copy(seeds_db, tmp_path, monkeypatch)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    before = _articles(at)
    first = set(layout.derived_folder(db).glob("*.duckdb"))
    assert len(first) == 1
    _write(db, "new.txt", "Brazil")
    at.run()
    assert _articles(at) == before + 1 and not at.info
    second = set(layout.derived_folder(db).glob("*.duckdb"))
    assert len(second) == 2 and first < second  # the one shown before stays for open readers
    _write(db, "newer.txt", "Chile")
    at.run()
    assert _articles(at) == before + 2
    third = set(layout.derived_folder(db).glob("*.duckdb"))
    assert len(third) == 2 and not first & third


@pytest.mark.parametrize("joined, shown", [
    ("", ""), ("a", "a"), ("a; b; c", "a; b; c"), ("a; b; c; d", "a; b; c and 1 more"),
    ("; ".join(f"s{i}" for i in range(1205)), "s0; s1; s2 and 1,202 more")])
def test_a_table_cell_names_a_few_sources_and_how_many_more(joined, shown):
    from data_prep.queries import pair

    assert pair.first_few(joined) == shown


def test_derived_files_of_stores_unused_for_a_week_are_removed(tmp_path):
    import os
    import time

    from atlas_ui import layout

    now = time.time()
    ages = {"unused": 8, "used_yesterday": 1, "just_written": 0}  # days since last use
    for name, days in ages.items():
        (tmp_path / name).mkdir()
        f = tmp_path / name / "v.duckdb"
        f.write_bytes(b"x")
        os.utime(f, (now - days * 86400, now - days * 86400))
    (tmp_path / "empty").mkdir()  # a folder left empty is unused too
    layout._prune_unused(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["just_written", "used_yesterday"]
    layout._prune_unused(tmp_path / "no such folder")  # nothing there yet: nothing to do


def test_a_big_store_shows_the_last_ready_version_while_the_new_one_is_derived(
        seeds_db, tmp_path, monkeypatch):
    """From BACKGROUND_FROM articles a new version is derived in the background: the next
    page shows the version before with a notice instead of waiting, then the new one."""
    import threading

    from atlas_ui import layout

    db = _copy(seeds_db, tmp_path, monkeypatch)
    monkeypatch.setattr(layout, "BACKGROUND_FROM", 1)  # every store counts as big here
    gate, derive = threading.Event(), layout._derive_quietly
    monkeypatch.setattr(layout, "_derive_quietly", lambda p, v: (gate.wait(120), derive(p, v)))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    before = _articles(at)
    assert not at.info  # nothing ready before the first run: derived in the open
    _write(db, "new.txt", "Brazil")
    live = layout.data_version(db)
    at.run()
    assert _articles(at) == before and [i.value for i in at.info] == [layout.BEHIND_NOTICE]
    version, thread = layout._background()[str(db)]
    assert version == live and thread.is_alive()
    gate.set()
    thread.join(timeout=120)
    at.run()
    assert _articles(at) == before + 1 and not at.info
    monkeypatch.setattr(layout, "BACKGROUND_FROM", 10**9)  # a small store waits for its version
    _write(db, "newer.txt", "Chile")
    assert layout.serving_version(db, layout.data_version(db)) == layout.data_version(db)


# several values per facet, the filters in words and a clear button per part
@pytest.mark.parametrize("query, pairs", [
    ({"kind": "investment,cooperation"}, {frozenset({"KAZ", "CHN"}), frozenset({"KAZ", "SGP"})}),
    ({"kind": ["investment", "cooperation"]}, {frozenset({"KAZ", "CHN"}), frozenset({"KAZ", "SGP"})}),
    ({"kind": "investment"}, {frozenset({"KAZ", "CHN"})}),  # an old single-value link
    ({"partner": "CHN,SGP", "country": "KAZ"}, {frozenset({"KAZ", "CHN"}), frozenset({"KAZ", "SGP"})}),
    ({"kind": "agreement", "sector": "energy,AI"}, {frozenset({"CHN", "SGP"})}),
])
def test_several_values_per_facet_from_the_url(app, query, pairs):
    at = app("pages/3_Partnerships.py", query)
    assert not at.exception and not at.warning
    assert _pair_set(at) == pairs
    for key in ("kind", "partner"):
        if key in query:  # the widget shows every value of the URL
            assert len(at.sidebar.multiselect(key=f"flt_{key}").value) == len(
                ",".join(query[key] if isinstance(query[key], list) else [query[key]]).split(","))


def test_the_page_says_the_filters_in_words_and_clears_each_part(app):
    at = app("pages/3_Partnerships.py", {"country": "KAZ", "partner": "CHN",
                                          "kind": "investment,project", "from": "2020", "to": "2023",
                                          "q": "the"})
    assert not at.exception
    said = [inert.shown(m.value) for m in at.markdown if "Filtered:" in inert.shown(m.value)]
    assert said == ["**Filtered:** Kazakhstan with China; investment or project; 2020–2023; search “the”"]
    buttons = {inert.shown(b.label): b for b in at.button if b.key and b.key.startswith("flt_clear_")}
    assert set(buttons) == {"✕ Kazakhstan with China", "✕ investment or project", "✕ 2020–2023",
                            "✕ search “the”"}
    buttons["✕ investment or project"].click().run()
    assert not at.exception
    assert "kind" not in at.query_params and at.query_params["country"] == "KAZ"
    assert at.sidebar.multiselect(key="flt_kind").value == []
    assert "✕ investment or project" not in {inert.shown(b.label) for b in at.button}
    next(b for b in at.button if inert.shown(b.label) == "✕ 2020–2023").click().run()
    assert "from" not in at.query_params and "to" not in at.query_params
    assert at.query_params["q"] == "the"


def test_a_url_value_in_the_words_stays_text(app):
    at = app("pages/3_Partnerships.py", {"q": "see http://example.com/login [x](http://e.com)"})
    assert not at.exception
    said = [m.value for m in at.markdown if "Filtered:" in inert.shown(m.value)]
    assert said and "](http" not in said[0] and "http://" not in said[0]  # escaped, no link
    labels = [b.label for b in at.button if b.key and b.key.startswith("flt_clear_")]
    assert labels and all("](http" not in label for label in labels)


def test_read_connections_are_lent_across_page_runs_and_closed_at_a_new_version(
        seeds_db, tmp_path, monkeypatch):
    """Each page run is a new thread: a prepared connection (warm DuckDB buffers) is lent
    for one question and kept for the next run's, one question at a time per connection;
    a write makes a new version, whose first question closes the old version's."""
    import threading

    from atlas_ui import layout

    db = _copy(seeds_db, tmp_path, monkeypatch)
    version = layout.data_version(db)
    used: list = []

    def ask_in_a_new_thread(ver: str) -> None:
        worker = threading.Thread(target=lambda: used.append(layout._ask(
            str(db), ver, lambda con: (con, con.execute("SELECT count(*) FROM events").fetchone()[0]))))
        worker.start()
        worker.join()

    ask_in_a_new_thread(version)
    ask_in_a_new_thread(version)
    (first, n1), (second, n2) = used
    assert first is second and n1 == n2 > 0  # the same connection, lent twice
    with layout._lent_connection(str(db), version, *layout._prepared(str(db), version)) as a:
        with layout._lent_connection(str(db), version, *layout._prepared(str(db), version)) as b:
            assert a is not b  # lent to one question at a time
    _write(db, "new.txt", "Brazil")
    ask_in_a_new_thread(layout.data_version(db))
    newest, n3 = used[-1]
    assert newest is not first and n3 == n1 + 1
    with pytest.raises(Exception):  # the old version's connection was closed
        first.execute("SELECT 1")
    assert all(key[1] == layout.data_version(db) for key in layout._idle if key[0] == str(db))


@pytest.mark.parametrize("wanted, fails", [
    ((("count", ("articles",)), ("pair_stats", ())), ()),
    ((("count", ("events",)), ("money_by_measure", ())), ("money_by_measure",)),
])
def test_answers_asked_ahead_are_asked_once_and_failures_stay_the_pages(
        seeds_db, tmp_path, monkeypatch, wanted, fails):
    """What a page asks later is answered ahead on another thread: the page then reads it
    from the cache (not asked twice), and a question that fails ahead fails again when the
    page asks it (the page says why), never in the thread."""
    import concurrent.futures

    from atlas_ui import layout
    from data_prep.queries import Filters, aggregates

    db = _copy(seeds_db, tmp_path, monkeypatch)
    version = layout.data_version(db)
    layout._prepared(str(db), version)  # derived (its first views answered) before counting
    layout._answer.clear()
    calls: list[str] = []
    real = aggregates.query

    def counted(name):
        def run(con, flt, *args):
            calls.append(name)
            if name in fails:
                raise RuntimeError(f"{name} failed")
            return real(name)(con, flt, *args)
        return run

    monkeypatch.setattr(aggregates, "query", counted)
    flt = Filters(countries=("SGP",))
    layout.ask_ahead(str(db), version, flt, wanted)
    concurrent.futures.wait([f for fs in layout._ahead_pending.values() for f in fs])
    assert calls == [name for name, _ in wanted]
    for name, args in wanted:
        if name in fails:
            with pytest.raises(RuntimeError):
                layout._answer(str(db), version, name, flt, args)
        else:
            got = layout._answer(str(db), version, name, flt, args)
            monkeypatch.setattr(aggregates, "query", real)
            expected = layout._ask(str(db), version, lambda con: real(name)(con, flt, *args))
            monkeypatch.setattr(aggregates, "query", counted)
            assert (got.equals(expected) if hasattr(got, "equals") else got == expected)
    # the page asked each once more only where the answer ahead failed
    assert calls == [name for name, _ in wanted] + [n for n, _ in wanted if n in fails]


@pytest.fixture
def questions(seeds_db, monkeypatch) -> list[tuple]:
    """The questions pages ask from here on: (query, unfiltered?, arguments), the store
    derived (its first views answered) and the answer cache emptied first."""
    from atlas_ui import layout
    from data_prep.queries import aggregates

    layout._prepared(str(seeds_db), layout.data_version(seeds_db))
    layout._answer.clear()
    asked: list[tuple] = []
    real = aggregates.query

    def recorded(name):
        def run(con, flt, *args):
            asked.append((name, flt.is_empty(), args))
            return real(name)(con, flt, *args)
        return run

    monkeypatch.setattr(aggregates, "query", recorded)
    return asked


@pytest.mark.parametrize("query, asks_count, shows", [
    # the facets' query counts the kept articles: no question of its own
    ({"country": "KAZ"}, False, "map"),
    ({"country": "KAZ", "from": "2099-01-01"}, False, "No articles match"),  # keeps nothing
    # every facet's own filter set: no facet reads the filters' own articles
    ({"country": "KAZ", "partner": "CHN", "region": "Central Asia", "kind": "agreement",
      "sector": "energy"}, True, None),
])  # fmt: skip
def test_a_page_counts_its_articles_with_the_facets(app, questions, query, asks_count, shows):
    at = app("pages/1_Map.py", query)
    assert not at.exception and not at.warning
    assert ("count", True, ("articles",)) in questions  # how many are stored: asked first
    assert (("count", False, ("articles",)) in questions) == asks_count  # how many are kept
    assert ("count", False, ("events",)) not in questions  # the map counts no events
    if shows == "map":
        assert at.get("plotly_chart")
    elif shows:
        assert any(shows in inert.shown(i.value) for i in at.info)


@pytest.mark.parametrize("page", ["pages/2_Timeline.py", "pages/3_Partnerships.py"])
@pytest.mark.parametrize("query, asks_count", [
    ({"country": "KAZ"}, False),  # the kind facet's query reads the kept events: it counts them
    ({"country": "KAZ", "partner": "CHN", "kind": "agreement", "sector": "energy"}, True),
])  # fmt: skip
def test_pages_of_events_count_them_with_the_facets(app, questions, page, query, asks_count):
    at = app(page, query)
    assert not at.exception and not at.warning
    assert (("count", False, ("events",)) in questions) == asks_count
