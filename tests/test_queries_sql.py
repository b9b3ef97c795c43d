"""The SQL the pages ask gives what the pandas frames give: the same totals, counts and rows
for every filter, with editors' corrections applied exactly (a rejected pair gone, an added
pair there, a changed date and amount as the editor set them)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from data_prep import corrections as cx
from data_prep import queries, service, store
from data_prep.queries import Filters, sql

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
            got, want = sql.metrics(con, flt), queries.overview_metrics(view)
            assert got.usd == pytest.approx(want.usd, rel=1e-12), flt  # summed in another order
            assert (got.articles, got.countries, got.partnerships) == (
                want.articles, want.countries, want.partnerships), flt
            page, total = sql.partnership_page(con, flt, limit=100_000)
            assert total == len(view.events), flt
            assert _rows(page) == _rows(view.events), flt
            kinds = sql.facet_counts(con, flt, "kind")
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
