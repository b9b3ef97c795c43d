"""The SQL the pages ask gives what the pandas frames give: the same totals, counts and rows
for every filter, with editors' corrections applied exactly (a rejected pair gone, an added
pair there, a changed date and amount as the editor set them)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from atlas_ui import charts
from data_prep import corrections as cx
from data_prep import queries, service, store
from data_prep.queries import Filters, aggregates, ranges, sql

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("sql") / "atlas.duckdb"
    service.build([ARTICLES], path)
    return path


@pytest.fixture(scope="module")
def corrections(db):
    """A rejected pair, an added pair, a new deal date and a new amount, on four articles."""
    with store.read_connection(db) as con:
        frames = queries.load_frames(con)
    money = frames.money.sort_values(["article_id", "figure_idx"]).iloc[0]
    ev = frames.events.sort_values(["article_id", "pair"]).drop_duplicates("article_id")
    ev = ev[ev["article_id"] != money["article_id"]]  # four different articles, whatever the row order
    first, second, third = ev.iloc[0], ev.iloc[1], ev.iloc[2]
    figure = frames.figures[(frames.figures["article_id"] == money["article_id"])
                            & (frames.figures["idx"] == money["figure_idx"])].iloc[0]
    with store.read_connection(db) as con:
        start, end = con.execute('SELECT start, "end" FROM figures WHERE article_id = ? AND idx = ?',
                                 [money["article_id"], int(money["figure_idx"])]).fetchone()
    return [
        cx.make("reject_pair", "Ana", first["article_id"], first["iso3_a"], first["iso3_b"]),
        cx.make("add_pair", "Ben", second["article_id"], "FJI", "ISL",
                {"kind": "trade", "evidence": "Fiji and Iceland traded."}),
        cx.make("set_deal", "Ana", third["article_id"], third["iso3_a"], third["iso3_b"],
                {"date": "1999-07"}),
        cx.make("set_money", "Ben", money["article_id"], money["iso3_a"], money["iso3_b"],
                {"value": float(figure["value"]) * 3, "status": "actual"},
                figure={"idx": int(money["figure_idx"]), "start": start, "end": end,
                        "text": figure["text"]}),
    ]


def _filters(frames):
    ev = frames.events
    top = ev["iso3_a"].value_counts().index[0]
    partner = ev.loc[ev["iso3_a"] == top, "iso3_b"].value_counts().index[0]
    sector = next(s for xs in ev["sector_list"] for s in xs)
    region = frames.mentions["region"].dropna().value_counts().index[0]
    org = frames.orgs["name"].value_counts().index[0]
    return [
        Filters(), Filters(countries=(top,)), Filters(countries=(top,), partner=partner),
        Filters(partner=partner), Filters(kind="trade"), Filters(sector=sector),
        Filters(region=region), Filters(organisation=org.upper()),
        Filters(date_from=date(1987, 1, 1), date_to=date(2004, 12, 31)),
        Filters(date_from=date(2020, 1, 1), undated=True), Filters(date_to=date(1999, 12, 31)),
        Filters(q="oil"), Filters(countries=(top,), kind="trade", date_from=date(1980, 1, 1)),
        # ranges open on one side, alone or beside a filter on articles only: the events'
        # span per article answers them (`sql._dated_articles`)
        Filters(date_from=date(2012, 6, 1)), Filters(date_to=date(2016, 3, 31), undated=True),
        Filters(organisation=org.upper(), date_from=date(2010, 1, 1)),
        Filters(q="the", date_to=date(2019, 12, 31)),
        # the countries of the editor's added pair, which its article does not name: the
        # article must name a chosen country, whatever its pairs (`sql.pairs_named`)
        Filters(countries=("FJI",)), Filters(countries=("ISL",), kind="trade"),
        *_multi_filters(frames),
    ]


def _multi_filters(frames):
    """Filters with several values in a facet: any of them within it, every facet across."""
    ev = frames.events
    top = ev["iso3_a"].value_counts().index[0]
    partners = tuple(ev.loc[ev["iso3_a"] == top, "iso3_b"].value_counts().index[:2])
    kinds = tuple(ev["kind"].value_counts().index[:2])
    sectors = tuple(ev["sector_list"].explode().dropna().value_counts().index[:2])
    return [
        Filters(kind=kinds), Filters(sector=sectors), Filters(partner=partners),
        Filters(countries=(top,), partner=partners), Filters(kind=(kinds[0], "no such kind")),
        Filters(kind=kinds, sector=sectors), Filters(countries=(top,), kind=kinds,
                                                     date_from=date(2000, 1, 1), undated=True),
        Filters(partner=partners, sector=(sectors[0].upper(),), q="the"),
    ]


def _text(value):
    return "" if value is None or value != value else str(value)  # None and NaN alike


def _rows(events):
    return sorted((r.article_id, r.pair, r.kind, _text(r.status), _text(r.event_date),
                   _text(r.corrected), round(float(r.usd), 2)) for r in events.itertuples())


@pytest.mark.parametrize("with_corrections", [False, True])
def test_sql_pages_equal_the_frames_for_every_filter(db, corrections, with_corrections):
    kept = corrections if with_corrections else []
    with store.read_connection(db) as con:
        frames = queries.load_frames(con, kept)
        sql.prepare(con, kept)
        for flt in _filters(frames):
            matches = queries.search_articles(con, flt.q) if flt.q else None
            view = queries.apply_filters(frames, flt, matches)
            # the overview's numbers, read off the answers it draws
            want = queries.overview_metrics(view)
            got = aggregates.metrics_of(aggregates.count(con, flt), aggregates.country_stats(
                con, flt), aggregates.pair_stats(con, flt))
            assert got.usd == pytest.approx(want.usd, rel=1e-12), flt  # summed in another order
            assert (got.articles, got.countries, got.partnerships) == (
                want.articles, want.countries, want.partnerships), flt
            page, total = sql.partnership_page(con, flt, limit=100_000)
            assert total == len(view.events), flt
            assert _rows(page) == _rows(view.events), flt
            kinds = sql.ask(con, flt, aggregates.FACET_SQL["kind"])
            assert dict(zip(kinds["value"], kinds["n"])) == view.events["kind"].value_counts().to_dict()


def test_corrected_values_are_exact_in_sql(db, corrections):
    reject, add, date_fix, money_fix = corrections
    with store.read_connection(db) as con:
        sql.prepare(con, corrections)
        page, _ = sql.partnership_page(con, Filters(), limit=100_000)
    pairs = {(r.article_id, r.iso3_a, r.iso3_b): r for r in page.itertuples()}
    assert (reject.article_id, reject.iso3_a, reject.iso3_b) not in pairs
    added = pairs[(add.article_id, "FJI", "ISL")]
    assert (added.kind, added.corrected) == ("trade", cx.mark(add))
    assert pairs[(date_fix.article_id, date_fix.iso3_a, date_fix.iso3_b)].event_date == "1999-07"
    assert pairs[(money_fix.article_id, money_fix.iso3_a, money_fix.iso3_b)].corrected == cx.mark(money_fix)


def test_whether_every_pair_is_named_by_its_article(db, corrections):
    """Extracted pairs are of countries their article names; an editor's added pair (Fiji
    and Iceland here) may not be, and the filters then join the events to the kept
    articles again: a country filter keeps only articles that name the country."""
    add = corrections[1]
    for kept, named in (([], True), (corrections, False), ([c for c in corrections if c is not add], True)):
        with store.read_connection(db) as con:
            sql.prepare(con, kept)
            assert sql.pairs_named(con) is named, kept
            fiji = sql.partnership_page(con, Filters(countries=("FJI",)), limit=1000)[0]
            assert (add.article_id in set(fiji["article_id"])) is False, kept


@pytest.mark.parametrize("flt, named, joined", [
    (Filters(countries=("MYS",)), True, False), (Filters(countries=("MYS",)), False, True),
    (Filters(region="Asia"), True, False), (Filters(kind="trade"), False, False),
    (Filters(countries=("MYS",), organisation="ASEAN"), True, True),
    (Filters(countries=("MYS",), q="port"), True, True),
    (Filters(countries=("MYS",), date_from=date(2020, 1, 1)), True, False),
])
def test_the_kept_events_are_joined_to_the_kept_articles_only_when_it_can_drop_one(flt, named, joined):
    with_sql, _ = sql.scope(flt, pairs_named=named)
    ev0 = with_sql.split("ev0 AS", 1)[1].split("arts AS", 1)[0]
    assert ("SELECT aid FROM art0" in ev0) is joined


@pytest.mark.parametrize("flt, looked_up", [
    (Filters(), False), (Filters(kind="trade"), False),
    (Filters(date_from=date(2020, 1, 1)), False),
    (Filters(kind="trade", date_to=date(2019, 12, 31)), False),
    # an undated figure kept by `undated` may be of an article the range leaves out
    (Filters(date_from=date(2020, 1, 1), undated=True), True),
    (Filters(countries=("MYS",)), True), (Filters(region="Asia"), True),
    (Filters(organisation="ASEAN"), True), (Filters(q="port"), True),
])
def test_the_kept_figures_are_looked_up_among_the_kept_articles_only_when_needed(flt, looked_up):
    with_sql, _ = sql.scope(flt, pairs_named=True)
    figures = with_sql.split("fg AS", 1)[1]
    assert ("IN (SELECT aid FROM arts)" in figures) is looked_up


@pytest.mark.parametrize("flt, read_again", [
    (Filters(), True), (Filters(date_from=date(2020, 1, 1)), True),
    (Filters(date_from=date(2001, 1, 1), date_to=date(2002, 1, 1), undated=True), True),
    (Filters(countries=("MYS",), date_from=date(2020, 1, 1)), False),
    (Filters(kind="trade"), False), (Filters(sector="energy"), False),
    (Filters(partner="MYS"), False), (Filters(region="Asia"), False), (Filters(q="port"), False),
])
def test_the_kept_events_are_read_again_per_part_only_under_dates_alone(flt, read_again):
    """Dates alone keep most events: scanning them again beats copying them; any other
    filter keeps few, and they are copied once for every part of the statement."""
    with_sql, _ = sql.scope(flt, pairs_named=True)
    assert ("ev0 AS NOT MATERIALIZED (" in with_sql) is read_again
    assert ("ev AS NOT MATERIALIZED (" in with_sql) is read_again


@pytest.mark.parametrize("sort, descending", [("date", True), ("pair", False), ("usd", True),
                                              ("title", False)])
def test_pages_of_rows_cover_all_rows_once_in_order(db, sort, descending):
    with store.read_connection(db) as con:
        sql.prepare(con)
        whole, total = sql.partnership_page(con, Filters(), sort=sort, descending=descending,
                                            limit=100_000)
        pages = [sql.partnership_page(con, Filters(), sort=sort, descending=descending,
                                      limit=25, offset=o)[0] for o in range(0, total, 25)]
    keys = [(r.article_id, r.idx) for p in pages for r in p.itertuples()]
    assert keys == [(r.article_id, r.idx) for r in whole.itertuples()] and len(keys) == total
    column = sql.SORTABLE[sort]
    values = [v for v in whole[column] if v is not None and v == v]
    assert values == sorted(values, reverse=descending)


@pytest.mark.parametrize("search, expected_at_least", [("", 1), ("trade", 1), ("zzzqqq", 0)])
def test_search_in_the_rows(db, search, expected_at_least):
    with store.read_connection(db) as con:
        sql.prepare(con)
        page, total = sql.partnership_page(con, Filters(), search=search, limit=100_000)
    assert total == len(page) and (total >= expected_at_least if expected_at_least else total == 0)
    for row in page.to_dict("records"):  # every row has the words in one of its texts
        texts = [row[c] for c in ("event_date", "pair", "countries", "kind", "status", "places",
                                  "evidence", "title")] + list(row["sectors"])
        assert any(search in _text(t).lower() for t in texts), row


def test_the_shown_table_page_equals_the_frames_table(db, corrections):
    with store.read_connection(db) as con:
        frames = queries.load_frames(con, corrections)
        sql.prepare(con, corrections)
        page, total = sql.partnership_table_page(con, Filters(), limit=100_000)
    want = queries.partnership_table(frames)
    assert total == len(want) and list(page.columns) == list(want.columns)

    def keyed(df):
        cols = [c for c in df.columns if c != "usd"]
        return sorted(tuple(_text(v) for v in r) for r in df[cols].itertuples(index=False))

    assert keyed(page) == keyed(want)


# ------------------------------------------------------------------ what the pages draw
# Every aggregate a page asks of the database equals the pandas function on the filtered
# frames, for every filter of the table, with and without corrections.


def _same(got, want, columns, approx=("usd", "reached", "planned", "value")):
    assert list(got.columns)[:len(columns)] == list(columns) or set(columns) <= set(got.columns)
    assert len(got) == len(want)
    for col in columns:
        for g, w in zip(got[col], want[col]):
            if col in approx and _text(w) != "":
                assert float(g) == pytest.approx(float(w), rel=1e-9), col
            else:
                assert _text(g) == _text(w), col


@pytest.fixture(scope="module", params=[(False, False), (True, False), (False, True), (True, True)],
                ids=["stored", "corrected", "stored-derived", "corrected-derived"])
def both(request, db, corrections, tmp_path_factory):
    """(connection ready for SQL, the frames, the filters) with or without corrections;
    asking the views directly, or the derived file `sql.materialise` wrote with its
    unfiltered answers (what the pages read)."""
    with_corrections, derived = request.param
    kept = corrections if with_corrections else []
    path = None
    if derived:
        path = tmp_path_factory.mktemp("derived") / "pages.duckdb"
        with store.read_connection(db) as con:
            sql.prepare(con, kept)
            sql.materialise(con, path)
    with store.read_connection(db) as con:
        frames = queries.load_frames(con, kept)
        sql.prepare(con, kept, derived=path)
        yield con, frames, _filters(frames), kept


def _view(con, frames, flt):
    matches = queries.search_articles(con, flt.q) if flt.q else None
    return queries.apply_filters(frames, flt, matches)


def test_map_and_overview_aggregates_equal_the_frames(both):
    con, frames, flts, _ = both
    for flt in flts:
        _overview_equals_the_frames(con, frames, flt)


def _overview_equals_the_frames(con, frames, flt):
    view = _view(con, frames, flt)
    _same(aggregates.country_stats(con, flt), queries.country_stats(view),
          ["iso3", "name", "articles", "partnerships", "usd", "region"])
    got, want = aggregates.pair_stats(con, flt), queries.pair_stats(view)
    _same(got, want, [c for c in want.columns if c != "money"])
    # the money texts in the store's order (the frames put corrected articles last)
    assert [set(m.split("; ")) for m in got["money"]] == [
        set(m.split("; ")) for m in want["money"]], flt
    assert list(aggregates.pair_stats(con, flt, limit=3)["pair"]) == list(want["pair"][:3])
    _same(aggregates.money_by_measure(con, flt), queries.money_by_measure(view),
          ["measure", "reached", "planned", "items"])
    for what, frame in (("articles", view.articles), ("events", view.events),
                        ("figures", view.figures)):
        assert aggregates.count(con, flt, what) == len(frame), (flt, what)
    assert aggregates.undated_left_out(con, flt) == queries.undated_left_out(frames, flt)


def test_article_list_pages_equal_the_frames(both):
    con, frames, flts, _ = both
    for flt in flts:
        view = _view(con, frames, flt)
        want = queries.latest_articles(view, len(view.articles))
        got, total = aggregates.latest_articles(con, flt, 100_000)
        assert total == len(want)
        assert list(got["published"]) == list(want["published"])  # newest first
        # articles of one day and time may come in any order: compare them by id
        _same(got.sort_values("article_id"), want.sort_values("article_id"),
              ["article_id", "published", "title", "doc"])
        by_id = dict(zip(want["article_id"], want["countries"]))
        assert all(set(c.split("; ")) == set(by_id[a].split("; "))  # ties in mentions: any order
                   for a, c in zip(got["article_id"], got["countries"]))
        pages = [aggregates.latest_articles(con, flt, 7, o) for o in range(0, total, 7)]
        assert [a for p, _ in pages for a in p["article_id"]] == list(got["article_id"])
        assert {n for _, n in pages} <= {total}  # every page counts them all
        beyond, n = aggregates.latest_articles(con, flt, 7, total + 7)  # past the end
        assert beyond.empty and n == total
        if total:
            first = got["article_id"].iloc[0]
            assert aggregates.article_kept(con, flt, first)
    assert not aggregates.article_kept(con, Filters(), "no-such-article")


def test_figures_page_and_its_charts_equal_the_frames(both):
    con, frames, flts, _ = both
    from atlas_ui import charts

    for flt in flts:
        figs = _view(con, frames, flt).figures.sort_values(["article_id", "idx"])
        got, total = aggregates.figure_page(con, flt, limit=100_000)
        assert total == len(figs)
        _same(got, figs, aggregates.FIGURE_TABLE)
        money, n_money = aggregates.figure_page(con, flt, ["money"], limit=100_000)
        assert n_money == int((figs["kind"] == "money").sum()) == len(money)
        assert aggregates.figure_page(con, flt, [], limit=10)[1] == 0
        searched, n_searched = aggregates.figure_page(con, flt, None, "billion", limit=100_000)
        assert n_searched == len(queries.search_table(figs[aggregates.FIGURE_TABLE], "billion"))
        kinds = aggregates.figure_kinds(con, flt)
        assert dict(kinds.groupby("kind")["n"].sum()) == dict(figs["kind"].value_counts())
        assert aggregates.measure_options(con, flt) == charts.measure_options(figs)


@pytest.mark.parametrize("parts", [5])
def test_pages_of_figures_cover_every_figure_once_in_order(both, parts):
    """Without a search a page's figures are read from the articles that hold them only;
    page after page they are every figure, once, in order, with the same total."""
    con, _, flts, _ = both
    for flt in flts[:3]:
        for kinds in (None, ["percent", "count"]):
            whole, total = aggregates.figure_page(con, flt, kinds, limit=100_000)
            keys = list(zip(whole["article_id"], whole["idx"]))
            size = max(1, -(-total // parts) - 1)  # pages that end inside an article
            paged, offset = [], 0
            while offset < total + size:  # one page past the end: empty, same total
                rows, n = aggregates.figure_page(con, flt, kinds, limit=size, offset=offset)
                assert n == total and len(rows) == max(0, min(size, total - offset))
                paged += list(zip(rows["article_id"], rows["idx"]))
                offset += size
            assert paged == keys, (flt, kinds)


def test_timeline_lanes_and_measures_equal_the_frames(both):
    con, frames, flts, _ = both
    for flt in flts:
        view = _view(con, frames, flt)
        ev = view.events
        drawable = ev[ev["event_start"].notna() | ev["published"].notna()]
        rows, lanes, in_lanes = aggregates.timeline_events(con, flt, max_lanes=5, max_events=20)
        assert lanes == dict(drawable["pair"].value_counts())
        shown = sorted(lanes, key=lambda p: (-lanes[p], p))[:5]
        assert in_lanes == int(drawable["pair"].isin(shown).sum())
        assert len(rows) == min(20, in_lanes) and set(rows["pair"]) <= set(shown)
        figs = view.figures
        money = figs[(figs["kind"] == "money")]
        one_by_one = aggregates.measure_figures(con, flt, "money", max_points=100_000)
        assert len(one_by_one) == len(money) and set(one_by_one["n"]) <= {1}
        if len(money) <= 1:
            continue
        summed = aggregates.measure_figures(con, flt, "money", max_points=1)  # sums per month
        dated = money[money["event_start"].notna() & money["usd"].notna()]
        assert int(summed["n"].sum()) == len(dated)
        assert float(summed["usd"].sum()) == pytest.approx(float(dated["usd"].sum()), rel=1e-9)
        months = summed["event_start"].dt.to_period("M")
        assert (summed["last_start"].dt.to_period("M") == months).all()
        series = summed["pair"].fillna("") + " " + summed["measure"].fillna("").str.lower()
        assert not pd.DataFrame({"s": series, "m": months}).duplicated().any()  # one a month
        # drawn from the sums, the chart is the chart of the figures one by one
        got, want = (charts.figures_over_time(rows, "money", max_points=1).data
                     for rows in (summed, one_by_one))
        assert [(t.name, [str(x)[:10] for x in t.x]) for t in got] == [
            (t.name, [str(x)[:10] for x in t.x]) for t in want], flt
        for g, w in zip(got, want):  # summed in another order
            assert list(g.y) == pytest.approx(list(w.y), rel=1e-9)


def test_facet_counts_leave_out_their_own_filter(both):
    """As datasette: a facet's counts are those of the other filters."""
    con, frames, flts, _ = both
    for flt in flts:
        _facets_equal_the_frames(con, frames, flt)


def _facets_equal_the_frames(con, frames, flt):
    got = aggregates.facet_choices(con, flt)
    ev = _view(con, frames, replace(flt, kind=None)).events
    assert got["kind"] == dict(ev["kind"].value_counts()), flt
    ev = _view(con, frames, replace(flt, sector=None)).events
    assert got["sector"] == dict(ev["sector_list"].explode().dropna().value_counts()), flt
    view = _view(con, frames, replace(flt, countries=()))
    assert got["country"] == dict(view.mentions.groupby("iso3")["article_id"].nunique()), flt
    ev = _view(con, frames, replace(flt, partner=None)).events
    assert got["partner"] == dict(pd.concat([ev["iso3_a"], ev["iso3_b"]]).value_counts()), flt
    men = _view(con, frames, replace(flt, region=None)).mentions
    men = men[men["region"].fillna("") != ""]
    assert got["region"] == dict(men.groupby("region")["article_id"].nunique()), flt
    # the kept articles, counted in passing when a facet's scope is the filters
    kept = got.get(aggregates.KEPT_COUNTS)
    view = _view(con, frames, flt)
    assert kept is None or kept == {"articles": len(view.articles), "events": len(view.events)}


def _ranges_of_the_data(con):
    """Date ranges placed on the data's own dates (each publication and event bound, a day
    either side): starting or ending there alone, and from one date to the next, which
    falls in the gap between an article's dates when it has one; every other one asks for
    undated rows too."""
    bounds = sorted({d for (d,) in con.execute(
        "SELECT published FROM art_keys WHERE published IS NOT NULL UNION "
        "SELECT event_start FROM events WHERE event_start IS NOT NULL UNION "
        "SELECT event_end FROM events WHERE event_end IS NOT NULL").fetchall()})
    one_day = pd.Timedelta(days=1).to_pytimedelta()
    picked = bounds[::max(1, len(bounds) // 12)]
    out = [Filters(date_from=d) for d in picked] + [Filters(date_to=d) for d in picked]
    out += [Filters(date_from=a + one_day, date_to=b - one_day)
            for a, b in zip(bounds, bounds[1:]) if b - a > one_day]
    out += [Filters(date_from=a, date_to=b) for a, b in zip(picked, picked[3:])]
    return [replace(f, undated=bool(i % 2)) for i, f in enumerate(out)]


def test_a_date_range_alone_counts_what_the_frames_keep(both):
    """A range and nothing else is answered from counts per span and gap
    (`queries.ranges`): the overview, the map and the facets equal the frames' for ranges
    on every bound of the data, inside the gaps between an article's dates included."""
    con, frames, _, _ = both
    flts = _ranges_of_the_data(con)
    assert all(ranges.applies(f) for f in flts)
    if not con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = 'pages'"
                       ).fetchone()[0]:
        flts = flts[::6]  # views derived at every question: a few ranges (the file: all)
    held = con.execute(  # some range falls in the gap between two dates of an article
        "SELECT count(*) FROM range_counts g, (SELECT unnest($lo) AS lo, unnest($hi) AS hi) r "
        "WHERE g.sign < 0 AND g.what = 'articles' AND g.lo < r.lo AND g.hi > r.hi",
        {"lo": [f.date_from for f in flts], "hi": [f.date_to for f in flts]}).fetchone()[0]
    assert held > 0
    for flt in flts:
        _overview_equals_the_frames(con, frames, flt)
        _facets_equal_the_frames(con, frames, flt)


@pytest.mark.parametrize("flt, applies", [
    (Filters(date_from=date(2020, 1, 1)), True),
    (Filters(date_to=date(2020, 1, 1), undated=True), True),
    (Filters(date_from=date(2020, 1, 1), date_to=date(2020, 1, 1)), True),
    (Filters(date_from=date(2020, 1, 1), q="  "), True),  # blank text filters nothing
    (Filters(), False), (Filters(undated=True), False),
    (Filters(date_from=date(2021, 1, 1), date_to=date(2020, 1, 1)), False),  # ends before it starts
    (Filters(date_from=date(2020, 1, 1), kind="trade"), False),
    (Filters(date_from=date(2020, 1, 1), countries=("KAZ",)), False),
    (Filters(date_from=date(2020, 1, 1), partner=("KAZ",)), False),
    (Filters(date_from=date(2020, 1, 1), region="Asia"), False),
    (Filters(date_from=date(2020, 1, 1), sector=("energy",)), False),
    (Filters(date_from=date(2020, 1, 1), organisation="ASEAN"), False),
    (Filters(date_from=date(2020, 1, 1), q="oil"), False),
])  # fmt: skip
def test_only_a_date_range_alone_is_answered_from_the_spans(flt, applies):
    assert ranges.applies(flt) is applies


@pytest.mark.parametrize("flt, counted", [
    # the other facets' scope is these filters: its query reads the articles and events
    (Filters(kind=("agreement",)), ("articles", "events")),
    (Filters(countries=("KAZ",), date_from=date(2020, 1, 1)), ("articles", "events")),
    # the facets left to these filters' scope (region) read no events: not counted there
    (Filters(countries=("KAZ",), partner=("CHN",), kind=("agreement",), sector=("energy",)),
     ("articles",)),
    (Filters(), ()),  # unfiltered: every facet asked alone (its answer is written once)
    # every facet's own filter set: no scope is the filters themselves
    (Filters(countries=("KAZ",), partner=("CHN",), region="Asia", kind=("agreement",),
             sector=("energy",)), ()),
])  # fmt: skip
def test_facet_counts_count_what_they_read_of_the_kept_data(both, flt, counted):
    con, frames, _, _ = both
    got = aggregates.facet_choices(con, flt).get(aggregates.KEPT_COUNTS, {})
    assert got == {what: aggregates.count(con, flt, what) for what in counted}


def test_vocabulary_and_one_article_equal_the_frames(both):
    con, frames, _, kept = both
    assert aggregates.vocabulary(con) == queries.vocabulary(frames)
    for article_id in list(frames.events["article_id"].drop_duplicates()[:5]):
        one = aggregates.one_article(con, article_id, kept)
        want = frames.events[frames.events["article_id"] == article_id]
        assert _rows(one.events) == _rows(want)
        figs = frames.figures[frames.figures["article_id"] == article_id]
        assert list(one.figures["idx"]) == list(figs["idx"])


def _plain(value):
    """An answer as comparable data: frames as lists of rows, None and NaN alike, sums to
    nine significant digits (a sum's last digits depend on the order it was added in)."""
    import dataclasses

    if isinstance(value, pd.DataFrame):
        return [_plain(list(row)) for row in value.astype(object).itertuples(index=False)]
    if dataclasses.is_dataclass(value):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return "" if value != value else f"{value:.9g}"
    return _text(value)


@pytest.mark.parametrize("with_corrections", [False, True])
def test_first_views_read_from_the_derived_file_equal_the_views(db, corrections,
                                                                with_corrections, tmp_path):
    """Each answer a page asks first, unfiltered or under a common filter (a kind alone), is
    read from a table of the derived file (none is there for other filters), with what the
    views themselves answer."""
    kept = corrections if with_corrections else []
    path = tmp_path / "pages.duckdb"
    with store.read_connection(db) as con:
        sql.prepare(con, kept)
        sql.materialise(con, path)
    with store.read_connection(db) as plain, store.read_connection(db) as read:
        sql.prepare(plain, kept)
        sql.prepare(read, kept, derived=path)
        tables = sql.precomputed(read)
        assert len(tables) >= len(aggregates.FIRST_VIEWS)
        assert sql.precomputed(plain) == set()
        views = aggregates.first_views(plain)
        assert ("measure_figures", ("money",)) in views
        for name, args in views:
            want = aggregates.query(name)(plain, Filters(), *args)
            assert _plain(aggregates.query(name)(read, Filters(), *args)) == _plain(want), name
        common = aggregates.common_filters(plain)
        assert common[0] == Filters() and len(common) > 2  # unfiltered and each kind alone
        assert {f.kind for f in common[1:]} == {
            (k,) for k in aggregates.vocabulary(plain).kinds}
        for flt in common[1:]:  # a kind alone: its first views are kept too
            for name, args in aggregates.first_views(plain, flt):
                want = aggregates.query(name)(plain, flt, *args)
                assert _plain(aggregates.query(name)(read, flt, *args)) == _plain(want), (flt, name)
        # every first view of every common filter has its table (some are shared: a facet
        # under a kind is counted as unfiltered)
        assert len(tables) >= len(aggregates.FIRST_VIEWS) * len(common) - len(common) * 2
        top = aggregates.pair_stats(plain, Filters())["iso3_a"].iloc[0]
        narrowed = Filters(countries=(top,))
        assert _plain(aggregates.pair_stats(read, narrowed)) == _plain(
            aggregates.pair_stats(plain, narrowed))
        assert sql.precomputed(read) == tables  # asking never writes


def test_several_values_are_any_of_them_within_a_facet_and_all_across(both):
    """A facet with several values keeps what any one of them keeps (SQL and frames alike);
    two facets keep only what both keep."""
    con, frames, _, _ = both
    kinds = tuple(frames.events["kind"].value_counts().index[:2])
    sectors = tuple(frames.events["sector_list"].explode().dropna().value_counts().index[:2])
    assert len(kinds) == 2 and len(sectors) == 2  # else the test would prove nothing

    def pairs(flt):
        page, _ = sql.partnership_page(con, flt, limit=100_000)
        return {(r.article_id, r.pair, r.kind) for r in page.itertuples()}

    one, other = pairs(Filters(kind=kinds[0])), pairs(Filters(kind=kinds[1]))
    assert one and other
    assert pairs(Filters(kind=kinds)) == one | other
    assert pairs(Filters(kind=(kinds[0], "no such kind"))) == one
    both_facets = pairs(Filters(kind=kinds, sector=sectors))
    assert both_facets == pairs(Filters(kind=kinds)) & pairs(Filters(sector=sectors))
    assert pairs(Filters(sector=sectors)) == pairs(Filters(sector=sectors[0])) | pairs(
        Filters(sector=sectors[1]))


SPAN_ARTICLE = ("On 12 March 2005, Kazakhstan and China signed an agreement on railway "
                "cooperation.\n\nOn 20 June 2018, Singapore and Vietnam signed a memorandum of "
                "understanding on digital trade.\n")


@pytest.mark.parametrize("flt, articles, events", [
    (Filters(date_from=date(2012, 1, 1)), 1, 1),  # the 2018 event reaches it, not the first
    (Filters(date_from=date(2019, 1, 1)), 0, 0),
    (Filters(date_to=date(2010, 12, 31)), 1, 1),  # the 2005 event reaches it, not the last
    (Filters(date_to=date(2004, 12, 31)), 0, 0),
    (Filters(date_to=date(2004, 12, 31), undated=True), 0, 0),  # dated events: not undated
    (Filters(date_from=date(2006, 1, 1), date_to=date(2017, 12, 31)), 0, 0),  # in the gap
    (Filters(date_from=date(2018, 6, 1), date_to=date(2018, 6, 30)), 1, 1),
])
def test_an_undated_article_is_kept_by_any_of_its_events_dates(tmp_path, flt, articles, events):
    """An article without a publication date whose events lie far apart (2005 and 2018) is
    kept by a range that any one of its events meets, whichever side of the range is open
    (`art_span` answers one-sided ranges), as the frames keep it."""
    import duckdb

    (tmp_path / "two.txt").write_text(SPAN_ARTICLE, encoding="utf-8")
    db = tmp_path / "span.duckdb"
    service.build([tmp_path / "two.txt"], db)
    con = duckdb.connect(str(db))  # the second pair's date set apart from the first's
    con.execute("UPDATE partnerships SET event_date = '2018-06-20' WHERE iso3_a = 'SGP'")
    con.close()
    with store.read_connection(db) as con:
        assert con.execute("SELECT count(*) FROM articles WHERE published IS NULL").fetchone() == (1,)
        assert sorted(d for (d,) in con.execute("SELECT event_date FROM partnerships").fetchall()
                      ) == ["2005-03-12", "2018-06-20"]
        frames = queries.load_frames(con, [])
        view = queries.apply_filters(frames, flt, None)
        sql.prepare(con, [])
        assert aggregates.count(con, flt, "articles") == articles == len(view.articles)
        assert aggregates.count(con, flt, "events") == events == len(view.events)


TWO_ARTICLES = {
    "ports_a.txt": "Kenya and Ghana agree on projects\n\nNairobi, 3 March 2021 - Kenya and Ghana "
                   "signed 12 agreements on trade and will build 4 ports together.\n",
    "ports_b.txt": "Chile and Peru widen ties\n\nLima, 5 May 2022 - Chile and Peru signed 7 "
                   "agreements on mining and launched 3 ports.\n",
}


def test_figure_counts_and_measures_come_from_one_summary_per_filter(tmp_path):
    """The figure count, the figures by kind and the measures offered are read from one
    summary of the kept figures: a thing counted is one measure however it is written, named
    as its first figure (by article) writes it; each filter has its own summary."""
    import duckdb

    for name, text in TWO_ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "two.duckdb"
    service.build([tmp_path / n for n in TWO_ARTICLES], db)
    con = duckdb.connect(str(db))  # the same thing counted, written two ways
    first, last = [a for (a,) in con.execute("SELECT article_id FROM articles ORDER BY 1").fetchall()]
    con.execute("UPDATE figures SET what = 'Trade  Agreement' WHERE what = 'agreement' "
                "AND article_id = ?", [first])
    con.execute("UPDATE figures SET what = 'trade agreement' WHERE what = 'agreement' "
                "AND article_id = ?", [last])
    first_country = con.execute("SELECT min(iso3) FROM countries WHERE article_id = ?",
                                [first]).fetchone()[0]
    con.close()
    with store.read_connection(db) as con:
        from atlas_ui import charts

        figures = queries.load_frames(con, []).figures
        sql.prepare(con, [])
        assert aggregates.measure_options(con, Filters()) == ["port", "Trade Agreement"]
        assert aggregates.measure_options(con, Filters()) == charts.measure_options(figures)
        kinds = aggregates.figure_kinds(con, Filters())
        assert list(zip(kinds["what"], kinds["n"])) == [
            ("port", 2), ("Trade  Agreement", 1), ("trade agreement", 1)]
        assert aggregates.count(con, Filters(), "figures") == 4
        assert len(aggregates.measure_figures(con, Filters(), "trade   AGREEMENT")) == 2
        one = Filters(countries=(first_country,))  # the first article only
        assert aggregates.count(con, one, "figures") == 2
        assert aggregates.measure_options(con, one) == ["port", "Trade Agreement"]
        assert aggregates.count(con, Filters(countries=("ATA",)), "figures") == 0
        assert aggregates.measure_options(con, Filters(countries=("ATA",))) == []


@pytest.fixture(scope="module")
def derived(db, tmp_path_factory):
    """Two derived files of the stored data (two data versions, as far as memory goes)."""
    paths = [tmp_path_factory.mktemp("memo") / f"pages{i}.duckdb" for i in (1, 2)]
    for path in paths:
        with store.read_connection(db) as con:
            sql.prepare(con, [])
            sql.materialise(con, path)
    return paths


def test_answers_are_remembered_per_data_version_across_connections(db, derived):
    """What one connection computed of a derived file, another reading it finds: the pages'
    questions are lent whichever connection is idle. Another file, or a connection without
    one, computes its own."""
    calls = []

    def compute(tag):
        return lambda: calls.append(tag) or len(calls)

    cons = [store.read_connection(db) for _ in range(4)]
    try:
        for con, file in zip(cons, [derived[0], derived[0], derived[1], None]):
            sql.prepare(con, [], derived=file)
        cases = [(0, 1, ["a"]), (1, 1, ["a"]), (2, 2, ["a", "c"]), (3, 3, ["a", "c", "d"]),
                 (0, 1, ["a", "c", "d"])]
        for i, want, want_calls in cases:
            assert sql.remembered(cons[i], "test", "key", compute("abcd"[i])) == want, i
            assert calls == want_calls, i
        flt = Filters(kind=("trade",))
        first = aggregates.figure_summary(cons[0], flt)
        assert aggregates.figure_summary(cons[1], flt) is first  # not asked again
        assert aggregates.figure_summary(cons[2], flt) is not first
        pd.testing.assert_frame_equal(aggregates.figure_summary(cons[2], flt), first)
    finally:
        for con in cons:
            con.close()


def test_a_remembered_answer_is_computed_once_kept_to_the_last_and_not_kept_when_it_fails(db):
    import threading

    with store.read_connection(db) as con:
        sql.prepare(con, [])
        started, release, calls = threading.Event(), threading.Event(), []

        def slow():
            calls.append("slow")
            started.set()
            release.wait(10)
            return "answer"

        other = threading.Thread(target=lambda: calls.append(sql.remembered(con, "t", 1, slow)))
        other.start()
        started.wait(10)
        waiting = threading.Thread(target=lambda: calls.append(
            sql.remembered(con, "t", 1, lambda: calls.append("again") or "again")))
        waiting.start()
        release.set()
        other.join(10)
        waiting.join(10)
        assert sorted(calls) == ["answer", "answer", "slow"]  # the second asker waited

        def fails():
            raise RuntimeError("interrupted")

        with pytest.raises(RuntimeError):
            sql.remembered(con, "t", 2, fails)
        assert sql.remembered(con, "t", 2, lambda: "computed") == "computed"
        for key in range(3, 6):  # at most two kept: the oldest go first
            sql.remembered(con, "t", key, lambda key=key: key, limit=2)
        assert [sql.remembered(con, "t", k, lambda: "new", limit=2) for k in (5, 4, 3)] == [
            5, 4, "new"]
