"""URL state of the shared filters: parse, serialise, describe, map selection -> filter."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atlas_ui import filters as f
from data_prep.queries import Filters, Vocabulary

VOCAB = Vocabulary(
    countries={"CHN": "China", "KAZ": "Kazakhstan", "SGP": "Singapore"},
    regions=("Central Asia", "Eastern Asia", "South-eastern Asia"),
    kinds=("agreement", "talks"),
    sectors=("digital", "energy", "trade"),
    organisations=("IMDA", "Samsung, Inc."),
)


@pytest.mark.parametrize("params, expected, notices", [
    ({}, Filters(), 0),
    ({"country": "KAZ"}, Filters(countries=("KAZ",)), 0),
    ({"country": "kaz,SGP"}, Filters(countries=("KAZ", "SGP")), 0),
    ({"country": ["KAZ", "SGP", "KAZ"]}, Filters(countries=("KAZ", "SGP")), 0),
    ({"country": "Singapore"}, Filters(countries=("SGP",)), 0),  # a name in the data
    ({"country": "XXX"}, Filters(), 1),
    ({"country": "KAZ,XXX,<script>"}, Filters(countries=("KAZ",)), 2),
    ({"country": ",,"}, Filters(), 0),
    ({"partner": "CHN"}, Filters(partner="CHN"), 0),
    ({"partner": "nowhere"}, Filters(), 1),
    ({"region": "central asia"}, Filters(region="Central Asia"), 0),
    ({"region": "Atlantis"}, Filters(), 1),
    ({"kind": "TALKS"}, Filters(kind="talks"), 0),
    ({"kind": "trade"}, Filters(kind="trade"), 0),  # a known kind, absent from the data
    ({"kind": "war"}, Filters(), 1),
    ({"sector": "energy"}, Filters(sector="energy"), 0),
    ({"sector": "x" * 5000}, Filters(), 1),
    ({"org": "Samsung, Inc."}, Filters(organisation="Samsung, Inc."), 0),  # commas kept
    ({"org": "imda"}, Filters(organisation="IMDA"), 0),
    ({"org": "ACME"}, Filters(), 1),
    ({"from": "2023-01-05"}, Filters(date_from=date(2023, 1, 5)), 0),
    ({"from": "2023"}, Filters(date_from=date(2023, 1, 1)), 0),
    ({"to": "2023-02"}, Filters(date_to=date(2023, 2, 28)), 0),
    ({"from": "notadate"}, Filters(), 1),
    ({"from": "2023-02-30"}, Filters(), 1),
    ({"to": "0001-01-01"}, Filters(), 1),  # outside the widget's range
    ({"from": "2024-01-01", "to": "2023-01-01"},
     Filters(date_from=date(2023, 1, 1), date_to=date(2024, 1, 1)), 1),  # swapped, said so
    ({"q": "  smart   city "}, Filters(q="smart city"), 0),
    ({"q": "a\u200bb\x00c"}, Filters(q="abc"), 0),  # invisible and control chars dropped
    ({"q": "y" * 1000}, Filters(q="y" * f.MAX_TEXT), 0),
    ({"unrelated": "1", "article": "abc"}, Filters(), 0),  # other pages' params left alone
    ({"country": "ＫＡＺ"}, Filters(countries=("KAZ",)), 0),  # full-width letters
])
def test_parse_params(params, expected, notices):
    got, said = f.parse_params(params, VOCAB)
    assert got == expected
    assert len(said) == notices


@pytest.mark.parametrize("params, word", [
    ({"country": "XXX"}, "XXX"),
    ({"from": "notadate"}, "notadate"),
    ({"kind": "war"}, "war"),
    ({"org": "A" * 100}, "A" * 37 + "..."),  # long values shortened in the notice
])
def test_notices_name_the_bad_value(params, word):
    _, said = f.parse_params(params, VOCAB)
    assert len(said) == 1 and f"“{word}”" in said[0]


@pytest.mark.parametrize("flt", [
    Filters(),
    Filters(countries=("KAZ", "SGP")),
    Filters(partner="CHN", kind="talks", sector="energy", region="Central Asia"),
    Filters(organisation="Samsung, Inc.", q="smart city"),
    Filters(date_from=date(2020, 2, 29), date_to=date(2024, 12, 31)),
    Filters(date_from=date(2023, 1, 1), undated=True),
    Filters(partner=("CHN", "SGP"), kind=("talks", "trade"), sector=("digital", "energy")),
    Filters(countries=("KAZ",), partner=("CHN", "SGP"), kind=("agreement", "talks", "trade")),
])
def test_params_round_trip(flt):
    params = f.to_params(flt)
    assert all(isinstance(v, str) for v in params.values())
    assert f.parse_params(params, VOCAB) == (flt, [])


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("0", False), ("", False),
                                             ("maybe", False)])
def test_undated_switch_from_the_url(value, expected):
    assert f.parse_params({"undated": value}, VOCAB)[0].undated is expected


def test_to_params_only_set_filters():
    assert f.to_params(Filters()) == {}
    assert f.to_params(Filters(countries=("KAZ", "CHN"), date_to=date(2023, 1, 2))) == {
        "country": "KAZ,CHN", "to": "2023-01-02"}


def test_filter_kinds_table_covers_every_filter_field():
    from dataclasses import fields

    assert {k.attr for k in f.FILTER_KINDS} == {x.name for x in fields(Filters)}
    assert len({k.key for k in f.FILTER_KINDS}) == len(f.FILTER_KINDS)
    switches = {x.name for x in fields(Filters) if x.type in (bool, "bool")}
    assert switches == {"undated"}
    assert all(k.label and k.help for k in f.FILTER_KINDS)


# several values per facet: repeated keys or commas; an old single-value link opens the same view
@pytest.mark.parametrize("params, expected, notices", [
    ({"kind": "talks"}, Filters(kind=("talks",)), 0),  # an old link: one value
    ({"kind": "talks,trade"}, Filters(kind=("talks", "trade")), 0),
    ({"kind": ["TALKS", "trade", "talks"]}, Filters(kind=("talks", "trade")), 0),  # repeated, deduplicated
    ({"kind": "talks,war"}, Filters(kind=("talks",)), 1),  # the bad one dropped, said so
    ({"kind": ["war", "peace"]}, Filters(), 2),
    ({"sector": "energy,digital"}, Filters(sector=("energy", "digital")), 0),
    ({"sector": ["energy", "x" * 300]}, Filters(sector=("energy",)), 1),
    ({"partner": "CHN,Singapore"}, Filters(partner=("CHN", "SGP")), 0),
    ({"partner": ["CHN", "nowhere"]}, Filters(partner=("CHN",)), 1),
    ({"partner": "SGP", "country": "KAZ"}, Filters(countries=("KAZ",), partner=("SGP",)), 0),
    ({"kind": ",,"}, Filters(), 0),
    ({"region": "Central Asia,Eastern Asia"}, Filters(), 1),  # one region only: commas kept
    ({"org": "Samsung, Inc."}, Filters(organisation="Samsung, Inc."), 0),
])
def test_several_values_in_the_url(params, expected, notices):
    got, said = f.parse_params(params, VOCAB)
    assert got == expected
    assert len(said) == notices


@pytest.mark.parametrize("single, several", [
    (Filters(kind="talks"), Filters(kind=("talks",))),
    (Filters(partner="CHN"), Filters(partner=["CHN"])),
    (Filters(sector=None), Filters(sector=())),
    (Filters(kind=""), Filters()),
    (Filters(kind=("talks", "talks")), Filters(kind="talks")),
])
def test_one_value_is_a_tuple_of_one(single, several):
    assert single == several and hash(single) == hash(several)


def test_several_values_are_comma_joined_in_the_url():
    assert f.to_params(Filters(kind=("talks", "trade"), partner="SGP")) == {
        "partner": "SGP", "kind": "talks,trade"}


@pytest.mark.parametrize("flt, parts", [
    (Filters(), []),
    (Filters(countries=("KAZ",), partner=("CHN",), kind=("trade", "investment"),
             date_from=date(2020, 1, 1), date_to=date(2023, 12, 31), q="oil"),
     [("Kazakhstan with China", ("country", "partner")), ("trade or investment", ("kind",)),
      ("2020–2023", ("from", "to")), ("search “oil”", ("q",))]),
    (Filters(countries=("KAZ", "SGP")), [("Kazakhstan or Singapore", ("country", "partner"))]),
    (Filters(partner=("CHN", "SGP")), [("any country with China or Singapore", ("country", "partner"))]),
    (Filters(region="Central Asia", sector=("energy", "digital"), organisation="IMDA"),
     [("region Central Asia", ("region",)), ("sector energy or digital", ("sector",)),
      ("organisation IMDA", ("org",))]),
    (Filters(date_from=date(2023, 1, 1), date_to=date(2023, 12, 31)), [("2023", ("from", "to"))]),
    (Filters(date_from=date(2023, 3, 5)), [("from 2023-03-05", ("from", "to"))]),
    (Filters(date_to=date(2023, 12, 31), undated=True),
     [("until 2023", ("from", "to")), ("undated included", ("undated",))]),
    (Filters(undated=True), []),  # the switch alone filters nothing
    (Filters(countries=("ZZZ",)), [("ZZZ", ("country", "partner"))]),  # no name: the code
])
def test_filter_parts_in_words(flt, parts):
    got = f.filter_parts(flt, VOCAB.countries)
    assert [(p.text, p.keys) for p in got] == parts


@pytest.mark.parametrize("flt, keys, after", [
    (Filters(countries=("KAZ",), partner="CHN", kind="talks"), ("country", "partner"),
     Filters(kind="talks")),
    (Filters(kind=("talks", "trade"), q="oil"), ("kind",), Filters(q="oil")),
    (Filters(date_from=date(2020, 1, 1), date_to=date(2021, 1, 1), undated=True), ("from", "to"),
     Filters(undated=True)),
    (Filters(q="oil"), ("q",), Filters()),
])
def test_clearing_a_part(flt, keys, after):
    assert f.without(flt, keys) == after
    assert not set(keys) & set(f.to_params(f.without(flt, keys)))


@pytest.mark.parametrize("event, expected", [
    ({"selection": {"points": [{"location": "KAZ", "z": 3}]}}, ("KAZ",)),
    ({"selection": {"points": [{"location": "KAZ"}, {"location": "SGP"}, {"location": "KAZ"}]}},
     ("KAZ", "SGP")),
    ({"selection": {"points": [{"customdata": ["SGP", 3]}]}}, ("SGP",)),  # a small-country marker
    ({"selection": {"points": [{"customdata": "CHN"}]}}, ("CHN",)),
    ({"selection": {"points": [{"lon": 1.0, "lat": 2.0}]}}, ()),  # a line midpoint: no country
    ({"selection": {"points": [{"location": "FRA"}]}}, ()),  # not in the data
    ({"selection": {"points": [{"location": "<img src=x>"}]}}, ()),
    ({"selection": {"points": []}}, ()),
    ({}, ()),
    (None, ()),
    ("garbage", ()),
    ({"selection": {"points": ["x", 3, None]}}, ()),
])
def test_selection_to_countries(event, expected):
    assert f.selection_to_countries(event, VOCAB.countries) == expected


@pytest.mark.parametrize("before, selected, after", [
    (Filters(kind="talks"), ("KAZ",), Filters(kind="talks", countries=("KAZ",))),
    (Filters(countries=("CHN",)), ("KAZ", "SGP"), Filters(countries=("KAZ", "SGP"))),
    (Filters(countries=("CHN",)), (), Filters(countries=("CHN",))),  # empty selection: unchanged
])
def test_with_selection(before, selected, after):
    assert f.with_selection(before, selected) == after


KEYS = ["country", "partner", "region", "kind", "sector", "org", "from", "to", "q", "x"]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS),
                       st.one_of(st.text(), st.lists(st.text(), max_size=4)), max_size=6))
def test_any_query_string_parses_without_raising(params):
    flt, notices = f.parse_params(params, VOCAB)
    assert isinstance(flt, Filters) and all(isinstance(n, str) for n in notices)
    assert set(flt.countries) <= set(VOCAB.countries) | {c for c in flt.countries if len(c) == 3}
    # whatever was understood survives a round trip through the URL
    assert f.parse_params(f.to_params(flt), VOCAB)[0] == flt
