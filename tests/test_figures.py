"""Figures: money, percent and counts, read from invented sentences (never sample articles).

The long tables (money, percent, counts, non-figures) are golden data in
`tests/data/golden/figures.jsonl`."""
from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import golden_support as golden
from data_prep.extract import figures
from data_prep.enrich.fx import with_usd
from data_prep.extract.figures import find_figures
from data_prep.extract.numbers import normalize, parse_number


def _kvu(text, countries=()):
    return [(f.kind, round(f.value, 4), f.unit) for f in find_figures(text, countries)]


def _counts(text):
    return [(f.value, f.what) for f in find_figures(text) if f.kind == "count"]


# ----------------------------------------------------------------------------- numbers
@pytest.mark.parametrize("text, expected", [
    ("1,234.5", 1234.5), ("1 234 567", 1234567), ("1.234.567,8", 1234567.8), ("12,5", 12.5),
    ("12.011 trillion", 12.011e12), ("22,201bn", 22.201e12), ("110m", 110e6), ("10k", 1e4),
    ("2.5 mln", 2.5e6), ("3 bln", 3e9), ("4 Mrd.", 4e9), ("4 tn", 4e12), ("500 crore", 5e9), ("50 lakh", 5e6),
    ("twenty-five", 25), ("one hundred and two", 102), ("fifteen hundred", 1500),
    ("one thousand two hundred", 1200), ("half a billion", 5e8), ("a dozen", 12),
    ("five billion", 5e9), ("Eight", 8), ("１２３", 123), ("1\u00a0000", 1000), ("1\u202f500", 1500),
    ("", None), ("abc", None), ("$5", None), ("two and three", None), ("1.5 apples", None),
])
def test_parse_number(text, expected):
    assert parse_number(text) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize("text", ["１２％", "a\u00a0b", "x\u200by", "\u2212 5", "plain ascii"])
def test_normalize_keeps_length(text):
    assert len(normalize(text)) == len(text)


# ----------------------------------------------------------------------------- money
@pytest.mark.parametrize("text, countries, expected", golden.cases("figures", "money", "text, countries, expected"))
def test_money(text, countries, expected):
    assert _kvu(text, countries) == [(k, pytest.approx(v), u) for k, v, u in expected]


def test_money_usd_filled_at_publication_date():
    (fig,) = with_usd(find_figures("The EU gave €1 billion."), "2023-11-28")
    assert fig.usd == pytest.approx(1.0949e9, rel=1e-3)
    (usd,) = with_usd(find_figures("It cost $7 million."), None)
    assert usd.usd == 7e6


def test_money_usd_none_outside_rate_coverage():
    (fig,) = with_usd(find_figures("Tokyo paid 5 billion yen."), "1987-03-02")
    assert fig.unit == "JPY" and fig.usd is None


@pytest.mark.parametrize("text", [
    "The rate was set at 1 USD = 450 KZT on Monday.",
    "At an exchange rate of 470 tenge per dollar, prices rose.",
    "South Africa is named, yet R2 is a road here.",
    "The naira weakened to N1,400/$ on the street.",  # no Nigeria among the countries: N is a letter
    "The rouble fell to 89 roubles to the dollar.",
    "LE 5 JUIN 2024",
])
def test_money_not_figures(text):
    assert [f for f in find_figures(text) if f.kind == "money"] == []


# ----------------------------------------------------------------------------- percent
@pytest.mark.parametrize("text, expected", golden.cases("figures", "percent", "text, expected"))
def test_percent(text, expected):
    got = [(f.kind, f.value, f.unit) for f in find_figures(text)]
    assert got == [("percent", pytest.approx(v), "%") for v in expected]


# ----------------------------------------------------------------------------- counts
@pytest.mark.parametrize("text, expected", golden.cases("figures", "counts", "text, expected"))
def test_counts(text, expected):
    assert _counts(text) == [(pytest.approx(v), w) for v, w in expected]


# ----------------------------------------------------------------------------- not figures
@pytest.mark.parametrize("text", golden.cases("figures", "not_figures", "text"))
def test_not_figures(text):
    assert find_figures(text) == []


# ----------------------------------------------------------------------------- qualifiers, ranges, measure
@pytest.mark.parametrize("text, qualifiers", [
    ("It has over 10,000 members.", ["over"]),
    ("It has more than 30 branches.", ["over"]),
    ("It raised about $900m.", ["about"]),
    ("It bought some 95,000 tonnes.", ["about"]),
    ("It may invest up to $20bn.", ["up to"]),
    ("At least 12 ships docked.", ["at least"]),
    ("Less than 1% of exports.", ["less than"]),
    ("Nearly 50 firms joined.", ["about"]),
    ("The total added up to 5 billion yen.", [None]),
    ("Loans of 1.4 to 1.5 billion dlrs.", ["range", "range"]),
    ("It sold 20 cars.", [None]),
])
def test_qualifiers(text, qualifiers):
    assert [f.qualifier for f in find_figures(text)] == qualifiers


def test_range_money_inherits_scale_and_unit():
    figs = find_figures("Debts of some 1.4 to 1.5\nbillion dlrs are due.")
    assert [(f.value, f.unit, f.qualifier) for f in figs] == [(1.4e9, "USD", "range"), (1.5e9, "USD", "range")]


def test_bare_number_after_from_takes_previous_unit():
    figs = find_figures("The premium rose 2.50 dlrs, but fell from 13.80 for the May lot.")
    assert [(f.value, f.unit) for f in figs] == [(2.5, "USD"), (13.8, "USD")]


@pytest.mark.parametrize("text, measure", [
    ("Bilateral trade turnover reached $24.2 billion.", "trade turnover"),
    ("Exports hit $3bn.", "exports"),
    ("It signed a $240m agreement.", "agreement"),
    ("It wants a 15% stake in the unit.", "stake"),
    ("It ran a 5 billion dlr deficit.", "deficit"),
    ("The economy grew 9.5% last year. The city paid $5m.", None),
])
def test_measure(text, measure):
    assert find_figures(text)[-1].measure == measure


def test_offsets_point_at_the_text():
    text = "Trade rose 35% to $24.2 billion; 52 projects and 912km of road."
    for f in find_figures(text):
        assert text[f.start:f.end] == f.text and f.sentence == -1
    assert [f.text for f in find_figures(text)] == ["35%", "$24.2 billion", "52 projects", "912km"]
    text = "They run 15 oil and gas fields and signed eleven memorandums of understanding (MoUs)."
    assert [f.text for f in find_figures(text)] == ["15 oil and gas fields", "eleven memorandums of understanding"]


def test_text_order_and_kinds():
    text = "In 2023 trade rose 12% to $3 billion with 40 new projects."
    assert [(f.kind, f.value) for f in find_figures(text)] == [("percent", 12), ("money", 3e9), ("count", 40)]


# ----------------------------------------------------------------------------- robustness, speed
@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_never_raises_and_offsets_hold(text):
    # the inner function: find_figures() would hide an internal error behind []
    for f in figures._find(text, ("IND",)):
        assert text[f.start:f.end] == f.text
        assert f.kind in ("money", "percent", "count")


@given(st.text(alphabet="0123456789 ,.$%€£-–mbnkMB()\u00a0\u200b\u2212ten", max_size=120))
@settings(max_examples=300, deadline=None)
def test_number_soup_never_raises(text):
    figures._find(text, ())


@pytest.mark.parametrize("bad", [None, 42, "x" * 300_000, "1" * 5000, "$" * 1000 + "5", "1 S", "0(", "5 (", "2 '"])
def test_bad_input_never_raises(bad):
    assert isinstance(figures._find(bad, ()), list)


# An invented 4 KB news story, denser in figures than most (about 60).
STORY = """ASTANA, 12 May 2024 - Kazakhstan and Uzbekistan agreed on Tuesday to raise bilateral trade to $10 billion by 2030, the two presidents said after talks in the capital.
Trade turnover between the neighbours grew by 18.5% last year to $4.6 billion, according to official data, while Kazakh exports rose 12 percent. The sides signed 14 agreements and 6 memorandums of understanding covering energy, transport and agriculture.
Under one of the deals, a joint venture will build a 250-km railway line and a logistics hub able to handle 5 million tonnes of cargo a year. The project is estimated at about 1.2 billion dollars and will be financed by a consortium of 3 banks, including the Eurasian Development Bank, which pledged up to $300 million.
Officials said more than 1,500 Kazakh companies already operate in Uzbekistan, and some 700 Uzbek firms work in Kazakhstan. Around 40 joint projects worth 2.1 billion dollars are under way in the two countries, the ministry of trade said in a statement on Wednesday.
Uzbekistan will also import 1.5 million tonnes of grain and 300,000 tonnes of flour from its northern neighbour this year, up from 1.1 million tonnes in 2023. Prices for wheat fell 4.2% in the first quarter.
The leaders also discussed water sharing on the Syr Darya river, which supplies 60% of irrigation water in the south of Kazakhstan. A working group of 12 experts will report within three months.
In 2023, direct investment from Kazakhstan into Uzbekistan reached 350 million US dollars, while Uzbek investment into Kazakhstan totalled $120 million. The two countries plan to open 5 new border crossings and to raise the number of weekly flights to 60.
Analysts at a local bank said the target of $10 billion was ambitious but achievable if growth stays at 10-12% a year. The trade deficit of Uzbekistan with Kazakhstan narrowed to $800 million, the customs service said.
Kazakhstan's economy grew 5.1% in 2023, while Uzbekistan's expanded by 6 per cent. Inflation in both countries stayed between 8 and 10 percent. The tenge traded at 445 per dollar on Monday.
The next meeting of the intergovernmental commission, its 21st, will be held in Tashkent in October. About 200 business leaders are expected to attend the forum, which will be the 3rd such event since 2019.
Both governments agreed to simplify visa rules for 90 days and to build 2 new power plants with a capacity of 1,000 MW each, costing 3.4 billion dollars. A further 15 solar projects with a total capacity of 2 GW are planned by 2027.
"""


def test_a_dense_4kb_article():  # its speed is measured in bench/extract_speed.py
    text = (STORY * 3)[:4096]
    assert len(find_figures(text)) > 50


# `what` keeps the unit as printed (spelled out or abbreviated), in the singular; cents are money.
@pytest.mark.parametrize(
    "text, expected",
    [
        ("It will build 1,000 megawatts of solar capacity.", [("count", 1000.0, None, "megawatt")]),
        ("A 400 MW line links the grids.", [("count", 400.0, None, "MW")]),
        ("The 912km pipeline crosses the region.", [("count", 912.0, None, "km")]),
        ("The basin covers 160,000 square kilometres.", [("count", 160000.0, None, "square kilometre")]),
        ("Kenya pays 6.5 US cents per kilowatt-hour.", [("money", 0.065, "USD", None)]),
        ("Tolls rose by 40 euro cents.", [("money", 0.4, "EUR", None)]),
        ("More than 20 Korean parts makers have opened sites.", [("count", 20.0, None, "maker")]),
        ("Ports handled 51.5 million twenty-foot equivalent units.", [("count", 51500000.0, None, "unit")]),
    ],
)
def test_units_as_printed_and_cents(text, expected):
    got = [(f.kind, round(f.value, 6), f.unit, f.what) for f in find_figures(text)]
    assert got == expected


@pytest.mark.parametrize(
    "text, countries, expected",
    [
        ("Exports earned 16.8 billion reais.", ["BRA"], [(16.8e9, "BRL")]),
        ("Tourism earned F$3.1 billion last year.", ["FJI"], [(3.1e9, "FJD")]),
        ("The army will give 40 million riels to the family.", ["KHM"], [(4e7, "KHR")]),
        ("Investors put in more than Sh150 billion.", ["ARE", "KEN"], [(1.5e11, "KES")]),
        ("Luanda has spent Kz 210 billion on the railway.", ["AGO"], [(2.1e11, "AOA")]),
        ("The port will generate S/ 4.5 billion a year.", ["PER", "CHN"], [(4.5e9, "PEN")]),
        ("Speeds reach km/h 40 on the new line.", ["PER"], []),
    ],
)
def test_regional_currency_forms(text, countries, expected):
    got = [(f.value, f.unit) for f in find_figures(text, countries) if f.kind == "money"]
    assert got == expected


@pytest.mark.parametrize(
    "text, countries, expected",
    [
        ("Reserves rose to 51.6 billion U.S. dlrs.", ["TWN"], [("money", 51.6e9, "USD", None)]),
        ("The Bank of France spent 20 billion francs.", ["FRA"], [("money", 2e10, "FRF", None)]),
        ("Bonn spent 3 billion marks.", ["DEU"], [("money", 3e9, "DEM", None)]),
        ("After six rounds of talks they agreed.", ["JPN"], [("count", 6.0, None, "round")]),
        ("Debt relief for 18 of the world's poorest countries.", ["GBR"], [("count", 18.0, None, "country")]),
        ("Its 483 foreign creditor banks agreed.", ["PHL"], [("count", 483.0, None, "bank")]),
        ("Exports were 61,200 tonnes in March against 42,500 in February.", ["MYS"],
         [("count", 61200.0, None, "tonne"), ("count", 42500.0, None, "tonne")]),
        # not figures: a bloc's name, a ranking of the already named, anaphora
        ("Finance ministers of the Group of Seven met.", ["USA"], []),
        ("Airbus and Boeing are the world's two biggest aircraft makers.", ["USA"], []),
        ("China's three largest banks lent more.", ["CHN"], []),
        ("Their two countries agreed.", ["CHN"], []),
    ],
)
def test_wire_money_partitives_and_rankings(text, countries, expected):
    got = [(f.kind, f.value, f.unit, f.what) for f in find_figures(text, countries)]
    assert got == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Officials said 7,800 U.S. companies have plants there.", [("count", 7800.0, None, "company")]),
        ("It adds to the 10 similar ships delivered since 2016.", [("count", 10.0, None, "ship")]),
        ("The two countries agreed.", []),
        # an amount with a scale but no unit takes the unit of the last money in the sentence
        ("Exports rose 34.5 pct to 3.05 billion dlrs, while imports grew 21 pct to 2.6 billion.",
         [("percent", 34.5, "%", None), ("money", 3.05e9, "USD", None), ("percent", 21.0, "%", None),
          ("money", 2.6e9, "USD", None)]),
        ("The plant employs staff. Output was 5 billion.", []),
    ],
)
def test_first_mentions_and_carried_money(text, expected):
    got = [(f.kind, f.value, f.unit, f.what) for f in find_figures(text, ["USA"])]
    assert got == expected


@pytest.mark.parametrize(
    "text, countries, expected",
    [
        ("The project will cost between $9bn to $18bn.", ["EGY"], [("money", 9e9, "USD", None), ("money", 18e9, "USD", None)]),
        ("Rice sold at $380 to $385 a tonne.", ["VNM"], [("money", 380.0, "USD", None), ("money", 385.0, "USD", None)]),
        ("China lent a GH¢28bn loan.", ["GHA"], [("money", 28e9, "GHS", None)]),
        ("Six more banks joined the syndicate.", ["IND"], [("count", 6.0, None, "bank")]),
        ("They signed 6 other documents.", ["TJK"], [("count", 6.0, None, "document")]),
        ("The rate is fixed (1 USD = 450 KZT).", ["KAZ"], []),
    ],
)
def test_same_currency_ranges_cedis_and_more(text, countries, expected):
    got = [(f.kind, f.value, f.unit, f.what) for f in find_figures(text, countries)]
    assert got == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("More than 250 businesspeople attended.", [(250.0, "businessperson")]),
        ("Rescuers saved 12 fishermen.", [(12.0, "fisherman")]),
        ("The clinic took 40 specimen samples.", [(40.0, "sample")]),
    ],
)
def test_irregular_plural_heads(text, expected):
    assert [(f.value, f.what) for f in find_figures(text, ["KAZ"])] == expected


@pytest.mark.parametrize("text, expected", [
    # a range whose second end is a number in words with a scale: the first end takes it
    ("Exports are put at 2.5 to three billion dlrs.", [(2.5e9, "money", "USD"), (3e9, "money", "USD")]),
    ("It must import six to seven mln barrels of oil.", [(6e6, "count", None), (7e6, "count", None)]),
    # ... and no scale where the second end has none
    ("They sold 2 to 3 cars.", [(2, "count", None), (3, "count", None)]),
    # a bare amount in words after a money amount of its sentence is in the same currency
    ("Trade reached 3.04 billion dlrs in 1986/87, against three billion in 1985/86.",
     [(3.04e9, "money", "USD"), (3e9, "money", "USD")]),
    # 'the' before a number in words is no anaphora when a scale follows
    ("Under the five billion stg deal, Britain sold jets.", [(5e9, "money", "GBP")]),
    ("The two countries signed.", []),
    # ... but a count with its own noun stays a count
    ("One billion people live there, and 500 million dlrs was spent.",
     [(1e9, "count", None), (5e8, "money", "USD")]),
])
def test_scales_carried_across_ranges_and_ellipsis(text, expected):
    got = [(f.value, f.kind, f.unit) for f in find_figures(text)]
    assert got == [(pytest.approx(v), k, u) for v, k, u in expected]
