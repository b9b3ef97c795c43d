"""Dashboard queries on hand-built store tables (the store's schema) and on the seeds DB."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from data_prep import queries as q
from data_prep.queries import Filters


def _tables() -> q.Tables:
    articles = pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4"],
        "doc": ["one.txt", "two.txt", "three.txt", "four.txt"],
        "title": ["Kazakhstan and Singapore", "Kazakhstan-China talks", None, "Plain news"],
        "published": [date(2022, 8, 17), None, date(2024, 1, 2), date(2021, 5, 5)],
        "url": None, "source": None, "origin": None,
        "added_at": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]),
    })
    mentions = pd.DataFrame({
        "article_id": ["a1", "a1", "a2", "a2", "a3", "a3", "a4"],
        "iso3": ["KAZ", "SGP", "KAZ", "CHN", "SGP", "CHN", "FRA"],
        "name": ["Kazakhstan", "Singapore", "Kazakhstan", "China", "Singapore", "China", "France"],
        "mentions": [3, 2, 5, 4, 2, 2, 1],
    })
    partnerships = pd.DataFrame({
        "article_id": ["a1", "a2", "a2", "a3"],
        "iso3_a": ["KAZ", "CHN", "CHN", "CHN"],
        "iso3_b": ["SGP", "KAZ", "KAZ", "SGP"],
        "kind": ["cooperation", "talks", "agreement", "agreement"],
        "status": [None, None, "signed", "signed"],
        "sectors": [np.array(["technology"]), np.array(["trade", "energy"]), np.array(["energy"]),
                    np.array(["digital"])],
        "places": [None, '{"CHN": ["Beijing"], "KAZ": ["Astana"]}', None, '{"CHN": ["Shenzhen"]}'],
        "organisations": [np.array(["AIFC"]), np.array([], dtype=object), None,
                          np.array(["IMDA", "MCI"])],
        "grp": None,
        "evidence": ["Kazakhstan and Singapore cooperate.", "Trade reached $21 billion.",
                     "They signed a deal on 10 November 2023.", "Eight MoUs were signed."],
        "figures": [np.array([], dtype=np.int32), np.array([0, 1]), np.array([1]), np.array([0])],
        "event_date": [None, "2023", "2023-11-10", "2024-01"],
        "event_granularity": [None, "year", "day", "month"],
    })
    figures = pd.DataFrame({
        "article_id": ["a1", "a2", "a2", "a3", "a3"],
        "idx": [0, 0, 1, 0, 1],
        "kind": ["count", "money", "money", "count", "percent"],
        "value": [30.0, 21e9, 5e8, 8.0, 35.0],
        "unit": [None, "USD", "CNY", None, "%"],
        "what": ["country", None, None, "MoU", None],
        "qualifier": None, "measure": [None, "trade turnover", None, None, "growth"],
        "usd": [None, 21e9, 7e7, None, None],
        "text": ["30 countries", "$21 billion", "500 million yuan", "eight MoUs", "35%"],
        "sentence": [0, 1, 2, 0, 3],
        "sentence_text": ["s0", "Trade reached $21 billion.", "s2", "Eight MoUs were signed.", "s3"],
    })
    orgs = pd.DataFrame({"article_id": ["a1", "a4"], "name": ["Kazinform", "UNESCO"]})
    # the pair's money: a2's $21 bn trade happened, its 500 million yuan deal is only planned
    deal_money = pd.DataFrame({
        "article_id": ["a2", "a2"], "iso3_a": ["CHN", "CHN"], "iso3_b": ["KAZ", "KAZ"],
        "figure_idx": [0, 1], "measure": ["trade", "deal"], "status": ["actual", "planned"],
    })
    return q.Tables(articles, mentions, partnerships, figures, orgs, deal_money)


@pytest.fixture(scope="module")
def frames() -> q.Frames:
    return q.build_frames(_tables())


@pytest.mark.parametrize("value, start, end", [
    ("2023", "2023-01-01", "2023-12-31"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("2023-11-10", "2023-11-10", "2023-11-10"),
    ("2023-13", None, None),  # no 13th month
    ("2023-02-30", None, None),
    ("23", None, None),
    ("", None, None),
    (None, None, None),
    ("notadate", None, None),
])
def test_period_bounds(value, start, end):
    got = q.period_bounds(value)
    expected = (pd.Timestamp(start) if start else None, pd.Timestamp(end) if end else None)
    assert got == expected


def test_events_one_row_per_article_and_pair(frames):
    ev = frames.events
    assert list(ev["pair"]) == ["KAZ–SGP", "CHN–KAZ", "CHN–KAZ", "CHN–SGP"]
    assert list(ev["name_b"]) == ["Singapore", "Kazakhstan", "Kazakhstan", "Singapore"]
    # only money the pair reached, once per article and pair: the planned yuan deal is left out
    assert list(ev["usd"]) == [0.0, 21e9, 0.0, 0.0]
    assert list(ev["figures_text"]) == ["", "$21 billion; 500 million yuan", "500 million yuan",
                                        "eight MoUs"]
    assert list(ev["sectors"]) == ["technology", "trade; energy", "energy", "digital"]
    assert list(ev["organisations"]) == ["AIFC", "", "", "IMDA; MCI"]
    assert list(ev["places"]) == ["", "Beijing; Astana", "", "Shenzhen"]


def test_event_dates_fall_back_to_published_and_keep_granularity(frames):
    ev = frames.events
    assert list(ev["event_date"]) == ["2022-08-17", "2023", "2023-11-10", "2024-01"]
    assert list(ev["event_granularity"]) == ["day", "year", "day", "month"]
    assert list(ev["event_start"]) == [pd.Timestamp(d) for d in
                                       ("2022-08-17", "2023-01-01", "2023-11-10", "2024-01-01")]
    assert list(ev["event_end"]) == [pd.Timestamp(d) for d in
                                     ("2022-08-17", "2023-12-31", "2023-11-10", "2024-01-31")]


def test_figures_take_the_first_citing_pair_and_its_date(frames):
    f = frames.figures.set_index(["article_id", "idx"])
    assert f.loc[("a2", 0), "pair"] == "CHN–KAZ" and f.loc[("a2", 0), "event_date"] == "2023"
    assert f.loc[("a3", 0), "pair"] == "CHN–SGP" and f.loc[("a3", 0), "event_granularity"] == "month"
    assert f.loc[("a3", 1), "pair"] is None  # cited by no partnership
    assert f.loc[("a3", 1), "event_date"] == "2024-01-02"  # falls back to published
    assert f.loc[("a1", 0), "title"] == "Kazakhstan and Singapore"
    assert f.loc[("a3", 0), "title"] == "three.txt"  # no title: the file name


@pytest.mark.parametrize("flt, articles, pairs", [
    (Filters(), {"a1", "a2", "a3", "a4"}, {"KAZ–SGP", "CHN–KAZ", "CHN–SGP"}),
    (Filters(countries=("KAZ",)), {"a1", "a2"}, {"KAZ–SGP", "CHN–KAZ"}),
    (Filters(countries=("FRA",)), {"a4"}, set()),
    (Filters(countries=("KAZ", "SGP")), {"a1", "a2", "a3"}, {"KAZ–SGP", "CHN–KAZ", "CHN–SGP"}),
    (Filters(countries=("KAZ",), partner="CHN"), {"a2"}, {"CHN–KAZ"}),
    (Filters(partner="SGP"), {"a1", "a3"}, {"KAZ–SGP", "CHN–SGP"}),
    (Filters(kind="agreement"), {"a2", "a3"}, {"CHN–KAZ", "CHN–SGP"}),
    (Filters(kind="trade"), set(), set()),
    (Filters(sector="Energy"), {"a2"}, {"CHN–KAZ"}),  # case-insensitive
    (Filters(organisation="imda"), {"a3"}, {"CHN–SGP"}),
    (Filters(organisation="UNESCO"), {"a4"}, set()),
    (Filters(date_from=date(2023, 6, 1)), {"a2", "a3"}, {"CHN–KAZ", "CHN–SGP"}),
    (Filters(date_to=date(2022, 12, 31)), {"a1", "a4"}, {"KAZ–SGP"}),
    (Filters(date_from=date(2024, 1, 20), date_to=date(2024, 1, 25)), {"a3"}, {"CHN–SGP"}),
    (Filters(date_from=date(2030, 1, 1)), set(), set()),
    (Filters(q="twenty"), set(), set()),
    (Filters(q="$21 BILLION"), {"a2"}, {"CHN–KAZ"}),  # evidence text, case-insensitive
    (Filters(q="plain"), {"a4"}, set()),  # title
    (Filters(countries=("KAZ",), kind="agreement"), {"a2"}, {"CHN–KAZ"}),
])
def test_apply_filters(frames, flt, articles, pairs):
    out = q.apply_filters(frames, flt)
    assert set(out.articles["article_id"]) == articles
    assert set(out.events["pair"]) == pairs
    assert set(out.mentions["article_id"]) <= articles
    assert set(out.figures["article_id"]) <= articles


def test_text_matches_from_the_database_replace_the_in_memory_search(frames):
    out = q.apply_filters(frames, Filters(q="anything"), text_matches={"a3"})
    assert set(out.articles["article_id"]) == {"a3"}


@pytest.mark.parametrize("flt, figures", [
    (Filters(), {("a1", 0), ("a2", 0), ("a2", 1), ("a3", 0), ("a3", 1)}),
    (Filters(countries=("KAZ",)), {("a1", 0), ("a2", 0), ("a2", 1)}),
    # figures of the pairs that match (per article), not of other pairs or of no pair
    (Filters(kind="agreement"), {("a2", 0), ("a2", 1), ("a3", 0)}),
    (Filters(kind="talks"), {("a2", 0), ("a2", 1)}),
    (Filters(date_from=date(2024, 1, 1)), {("a3", 0), ("a3", 1)}),
])
def test_figures_follow_the_filters(frames, flt, figures):
    out = q.apply_filters(frames, flt).figures
    assert set(zip(out["article_id"], out["idx"])) == figures


def test_country_stats(frames):
    cs = q.country_stats(frames).set_index("iso3")
    assert list(q.country_stats(frames).columns[:7]) == [
        "iso3", "name", "articles", "partnerships", "partners", "usd", "region"]
    assert cs.loc["KAZ", ["articles", "partnerships", "partners"]].tolist() == [2, 3, 2]
    assert cs.loc["CHN", "usd"] == pytest.approx(21e9)
    assert cs.loc["FRA", ["articles", "partnerships", "usd"]].tolist() == [1, 0, 0.0]
    assert cs.loc["SGP", "name"] == "Singapore"


def test_pair_stats(frames):
    ps = q.pair_stats(frames).set_index("pair")
    assert set(ps.index) == {"KAZ–SGP", "CHN–KAZ", "CHN–SGP"}
    row = ps.loc["CHN–KAZ"]
    assert (row["articles"], row["usd"], row["kinds"], row["sectors"]) == (
        1, pytest.approx(21e9), "agreement; talks", "energy; trade")
    assert (row["first_date"], row["last_date"]) == ("2023", "2023-11-10")
    assert (row["name_a"], row["name_b"]) == ("China", "Kazakhstan")
    assert q.pair_stats(frames)["pair"].iloc[0] == "CHN–KAZ"  # most money first among equals


def test_overview_metrics(frames):
    m = q.overview_metrics(frames)
    assert (m.articles, m.countries, m.partnerships) == (4, 4, 3)
    assert m.usd == pytest.approx(21e9)
    m2 = q.overview_metrics(q.apply_filters(frames, Filters(countries=("FRA",))))
    assert (m2.articles, m2.countries, m2.partnerships, m2.usd) == (1, 1, 0, 0.0)


def test_latest_articles_newest_first_undated_last(frames):
    latest = q.latest_articles(frames, 3)
    assert list(latest["article_id"]) == ["a3", "a1", "a4"]
    assert latest["published"].iloc[0] == "2024-01-02"
    assert latest["countries"].iloc[0] == "Singapore; China"
    assert list(q.latest_articles(frames, 10)["article_id"])[-1] == "a2"


def test_vocabulary(frames):
    v = q.vocabulary(frames)
    assert list(v.countries) == ["CHN", "FRA", "KAZ", "SGP"]  # sorted by name
    assert v.kinds == ("agreement", "talks", "cooperation")  # in KINDS order
    assert v.sectors == ("digital", "energy", "technology", "trade")
    assert set(v.organisations) == {"AIFC", "IMDA", "MCI", "Kazinform", "UNESCO"}
    assert (v.first_date, v.last_date) == (date(2021, 5, 5), date(2024, 1, 2))


@pytest.mark.parametrize("needle, rows", [
    ("", 3), ("kaz", 2), ("ENERGY", 1), ("nothing", 0), ("\u200b", 3),
])
def test_search_table(needle, rows):
    df = pd.DataFrame({"pair": ["CHN–KAZ", "KAZ–SGP", "CHN–SGP"],
                       "sectors": ["energy", "", None], "n": [1, 2, 3]})
    assert len(q.search_table(df, needle)) == rows


def test_empty_tables_give_empty_frames():
    empty = q.Tables(*(pd.DataFrame() for _ in range(5)))
    frames = q.build_frames(empty)
    assert frames.empty and frames.events.empty and frames.figures.empty
    assert q.country_stats(frames).empty and q.pair_stats(frames).empty
    assert q.overview_metrics(frames) == q.Metrics(0, 0, 0, 0.0)
    assert q.apply_filters(frames, Filters(countries=("KAZ",), q="x")).articles.empty


def test_money_by_measure_keeps_reached_and_planned_apart(frames):
    money = q.money_by_measure(frames)
    assert money.to_dict("records") == [
        {"measure": "Trade", "reached": 21e9, "planned": 0.0, "items": 1},
        {"measure": "Deal values", "reached": 0.0, "planned": 7e7, "items": 1},
    ]
    only_fra = q.apply_filters(frames, Filters(countries=("FRA",)))
    assert q.money_by_measure(only_fra).empty  # no pair money there


def test_measure_labels_follow_the_deal_measures():
    from data_prep.enrich.deals import MEASURES
    assert list(q.MONEY_MEASURE_LABELS) == list(MEASURES)


def _with_undated_article() -> q.Frames:
    t = _tables()
    extra = pd.DataFrame({"article_id": ["a5"], "doc": ["five.txt"], "title": ["No date here"],
                          "published": [None], "url": None, "source": None, "origin": None,
                          "added_at": pd.to_datetime(["2026-01-05"])})
    return q.build_frames(q.Tables(pd.concat([t.articles, extra], ignore_index=True), t.mentions,
                                   t.partnerships, t.figures, t.orgs, t.money))


@pytest.mark.parametrize("flt, left_out, kept", [
    (Filters(), 0, {"a1", "a2", "a3", "a4", "a5"}),  # no date range: nothing left out
    (Filters(date_from=date(2023, 6, 1)), 1, {"a2", "a3"}),  # a5 has no date at all
    (Filters(date_from=date(2023, 6, 1), undated=True), 0, {"a2", "a3", "a5"}),
    # a2 is unpublished but its events are dated: never counted as undated
    (Filters(date_to=date(2022, 1, 1)), 1, {"a4"}),
])
def test_undated_articles_counted_and_kept_on_request(flt, left_out, kept):
    frames = _with_undated_article()
    assert q.undated_left_out(frames, flt) == left_out
    assert set(q.apply_filters(frames, flt).articles["article_id"]) == kept


def test_money_tied_to_pairs_in_tables(frames):
    rows = q.partnership_table(frames).set_index(["article_id", "pair"])
    assert rows.loc[("a2", "CHN–KAZ"), "money"].tolist() == [
        "$21 billion trade; 500 million yuan deal (planned)"] * 2
    assert rows.loc[("a1", "KAZ–SGP"), "money"] == ""
    pairs = q.pair_stats(frames).set_index("pair")
    assert pairs.loc["CHN–KAZ", "money"] == "$21 billion trade; 500 million yuan deal (planned)"
    assert pairs.loc["CHN–SGP", "money"] == ""
