"""Deal records: a pair's event date and the money tied to it, through the whole pipeline on
short articles written for these tests (positives and negatives per rule)."""
from __future__ import annotations

from typing import Optional

import pytest

from data_prep.service import extract
from data_prep.records import RawArticle


def _deals(text: str, published: Optional[str] = None) -> dict[tuple[str, ...], tuple]:
    ex = extract(RawArticle(doc="t.txt", text=text, published=published))
    out = {}
    for p in ex.partnerships:
        money = sorted((ex.figures[m.figure].value, ex.figures[m.figure].unit, m.measure, m.status)
                       for m in p.money)
        out[tuple(p.countries)] = (p.date, money)
    return out


@pytest.mark.parametrize("text, published, pair, expected_date", [
    # a dateline is the story's stamp; 'yesterday' near the signing dates the event
    ("Kenya, Germany sign water grant\n\nNAIROBI, March 4 - Kenya and Germany signed a water "
     "grant agreement yesterday, officials said.", "2024-03-04", ("DEU", "KEN"), "2024-03-03"),
    # no event date in the text: the publication date
    ("Peru and Chile sign port accord\n\nPeru and Chile signed a port accord on trade.",
     "2024-05-06", ("CHL", "PER"), "2024-05-06"),
    # a background date inside a 'which' clause is not the event's
    ("Peru and Chile sign port accord\n\nPeru and Chile signed a port accord. The visa rule, "
     "which came into effect on April 30, opens a new chapter in Peru-Chile relations.",
     "2024-05-06", ("CHL", "PER"), "2024-05-06"),
    # a background year far from publication is not the event's either
    ("Ghana and Togo sign power deal\n\nGhana and Togo signed a power deal. The line was "
     "first planned in 2015.", "2024-02-01", ("GHA", "TGO"), "2024-02-01"),
    # a side story's own week dates it to the month, not the lead's event of another pair
    ("Nigeria opens talks with Britain\n\nLONDON, March 23 - Nigeria is meeting British "
     "officials today on its debt. The debt is large. Banks are cautious. The Nigerian team will "
     "hold similar talks with French officials in Paris later this week.", "1987-03-23",
     ("FRA", "NGA"), "1987-03"),
    ("Nigeria opens talks with Britain\n\nLONDON, March 23 - Nigeria is meeting British "
     "officials today on its debt. The Nigerian team will hold similar talks with French "
     "officials in Paris later this week.", "1987-03-23", ("GBR", "NGA"), "1987-03-23"),
    # a lead that reports no pair dates the pairs found later ('met last night')
    ("Ministers agree on stability\n\nWASHINGTON, April 9 - Finance ministers agreed on the need "
     "for stability. A meeting that ended last night issued a communique. The ministers of "
     "Canada and Italy agreed to cooperate on currencies.", "1987-04-09", ("CAN", "ITA"), "1987-04-08"),
    # no publication date: a season is no event's name
    ("Kenya and Uganda sign rail pact\n\nKenya and Uganda signed a rail agreement and expect a "
     "final deal by Spring 2025.", None, ("KEN", "UGA"), None),
    # no publication date: a year in the lead event's name dates it ...
    ("Leaders gather at Expo Nairobi 2025\n\nAt the Expo Nairobi 2025 forum, Kenya and Uganda "
     "signed a rail agreement.", None, ("KEN", "UGA"), "2025"),
    # ... a year of a statistic does not
    ("Kenya and Uganda trade grows\n\nIn 2025 Kenya and Uganda signed a rail agreement.", None,
     ("KEN", "UGA"), None),
    # the lead reports the pair's news without a date: a dated event further on is another one
    ("Japan lends Peru $300m\n\nLIMA, May 10 - Peru has received a $300 million loan from Japan, "
     "the minister said. Rates are low. Japan's envoy also met Peru's minister yesterday.",
     "2024-05-10", ("JPN", "PER"), "2024-05-10"),
    # ... and a lead sentence that names neither country dates another event too
    ("Japan lends Peru $300m\n\nLIMA, May 10 - Peru has received a $300 million loan from Japan. "
     "It matches a loan approved by the World Bank in April.", "2024-05-10", ("JPN", "PER"),
     "2024-05-10"),
    # ... while a lead sentence that names the pair's country dates its event
    ("Japan lends Peru $300m\n\nLIMA, May 10 - Peru has received a $300 million loan from Japan. "
     "Peru signed the loan agreement on Wednesday.", "2024-05-10", ("JPN", "PER"), "2024-05-08"),
    # a side story (a pair the lead does not report) keeps its own dated event, however old
    ("Germany and Namibia sign hydrogen deal\n\nBERLIN, 5 June 2024 - Germany and Namibia "
     "signed a hydrogen agreement on Monday. The funds go to pilot plants. France and Chile "
     "signed a similar memorandum last year.", "2024-06-05", ("CHL", "FRA"), "2023"),
    # ... but not a date that dates no event of it
    ("Germany and Namibia sign hydrogen deal\n\nBERLIN, 5 June 2024 - Germany and Namibia "
     "signed a hydrogen agreement on Monday. The funds go to pilot plants. France and Chile also "
     "cooperate on lithium, a metal whose price peaked in 2018.", "2024-06-05", ("CHL", "FRA"),
     "2024-06-05"),
    # a date fronted before the pair and its verb dates the event ('On Wednesday, X and Y signed')
    ("Japan lends Peru $300m\n\nLIMA, May 10 - On Wednesday, Peru and Japan signed a loan "
     "agreement of $300 million.", "2024-05-10", ("JPN", "PER"), "2024-05-08"),
    # no publication date: each pair's own sentence dates its own event ...
    ("Kazakhstan and China sign rail deal\n\nOn 12 March 2005, Kazakhstan and China signed an "
     "agreement on railway cooperation. On 20 June 2018, Singapore and Vietnam signed a "
     "memorandum of understanding on digital trade.", None, ("SGP", "VNM"), "2018-06-20"),
    ("Kazakhstan and China sign rail deal\n\nOn 12 March 2005, Kazakhstan and China signed an "
     "agreement on railway cooperation. On 20 June 2018, Singapore and Vietnam signed a "
     "memorandum of understanding on digital trade.", None, ("CHN", "KAZ"), "2005-03-12"),
    # ... a pair whose own sentence has no date keeps the lead's
    ("Kenya and Uganda sign rail pact\n\nOn 3 May 2024, Kenya and Uganda signed a rail "
     "agreement. Tanzania and Rwanda also signed a customs memorandum.", None,
     ("RWA", "TZA"), "2024-05-03"),
    # ... nor does a fronted date whose words after the comma report no event
    ("Kenya and Uganda sign rail pact\n\nOn 3 May 2024, Kenya and Uganda signed a rail "
     "agreement. Tanzania and Rwanda will cooperate on customs; by 1 June 2023, fuel prices in "
     "the region had doubled.", None, ("RWA", "TZA"), "2024-05-03"),
    # ... and a bare year in its own sentence dates no event of it
    ("Kenya and Uganda sign rail pact\n\nOn 3 May 2024, Kenya and Uganda signed a rail "
     "agreement. Tanzania and Rwanda, whose trade doubled in 2019, signed a customs memorandum.",
     None, ("RWA", "TZA"), "2024-05-03"),
])
def test_event_date(text, published, pair, expected_date):
    assert _deals(text, published)[pair][0] == expected_date


@pytest.mark.parametrize("text, pair, expected_money", [
    # the deal's own value, named in the pair's sentence
    ("Kenya and Uganda signed a $300 million rail deal on Monday.", ("KEN", "UGA"),
     [(300e6, "USD", "deal", "actual")]),
    # amounts in the sentences that continue the pair's story, with a target kept apart
    ("Trade between Chile and Peru grew fast this year. It reached $4.5 billion last year. "
     "Officials said the goal is to lift trade to $10 billion.", ("CHL", "PER"),
     [(4.5e9, "USD", "trade", "actual"), (10e9, "USD", "trade", "planned")]),
    # one country's own total is no pair's money
    ("Peru and Chile agreed to expand trade. Peru's total exports reached $60 billion.",
     ("CHL", "PER"), []),
    # an amount the text calls the pair's own, far from the pair's sentence
    ("India and Pakistan agreed to expand trade. Sugar and tea lead the list. Travel got easier. "
     "Visas are quicker. \"Two-way trade could cross half a billion dollars,\" India's minister "
     "said.", ("IND", "PAK"), [(5e8, "USD", "trade", "planned")]),
    # a possessive country alone by the amount owns it
    ("India and Pakistan agreed to expand trade. India's exports may reach $60bn, while in "
     "Pakistan's case they are set to hit $12bn.", ("IND", "PAK"), []),
    # a compound names the measure: investment projects, not a generic deal
    ("Kazakh-Chinese investment projects valued at $2 billion are under way, officials said.",
     ("CHN", "KAZ"), [(2e9, "USD", "investment", "actual")]),
    # 'May' the month is no 'may' of a plan
    ("Japanese importers bought Thai rice at 400 dlrs a tonne for May shipment.", ("JPN", "THA"),
     [(400.0, "USD", "trade", "actual")]),
    # a loan offered and a request apart
    ("Japan granted the Philippines a 300 mln dlr loan. Manila also requested 500 mln dlrs in "
     "aid from Japan.", ("JPN", "PHL"),
     [(300e6, "USD", "loan", "actual"), (500e6, "USD", "aid", "planned")]),
    # an amount written twice, the second a conversion in brackets: one context for both
    ("Ghana and Britain opened talks on a factory. Officials said the £1bn ($1.3bn) investment "
     "deal would be signed in May.", ("GBR", "GHA"),
     [(1e9, "GBP", "investment", "planned"), (1.3e9, "USD", "investment", "planned")]),
    # far from the pair's sentences: an amount whose sentence names a country of the article's
    # only pair for it, and says what it measures, is that pair's
    ("Chile and Peru signed a port accord. The port is old. Its cranes are slow. Ships wait for "
     "days. Storms close it often. Peru will invest $80 million in the new quay.",
     ("CHL", "PER"), [(80e6, "USD", "investment", "actual")]),
    # ... not when the sentence names no country (a firm's own loan)
    ("Chile and Peru signed a port accord. The port is old. Its cranes are slow. Ships wait for "
     "days. Storms close it often. The operator took a $80 million loan from its bank.",
     ("CHL", "PER"), []),
    # ... nor without a word saying what the amount is
    ("Chile and Peru signed a port accord. The port is old. Its cranes are slow. Ships wait for "
     "days. Storms close it often. Peru paid $80 million, officials said.",
     ("CHL", "PER"), []),
    # 'its major trading partner' describes a country: the amount is a debt
    ("Nigeria's debts to Britain, its major trading partner, are put at 2.5 to three billion "
     "dlrs, officials said after talks.", ("GBR", "NGA"),
     [(2.5e9, "USD", "loan", "actual"), (3e9, "USD", "loan", "actual")]),
    # an amount of a multilateral body's deal is not the pair's, though the sentence names one
    # of its countries ...
    ("The UAE and Egypt signed an investment deal. Talks were long. Officials were pleased. "
     "Rates are low. Egypt also agreed an $8 billion loan with the IMF.", ("ARE", "EGY"), []),
    # ... while without the body the sole pair of the country named takes it
    ("The UAE and Egypt signed an investment deal. Talks were long. Officials were pleased. "
     "Rates are low. Egypt also agreed an $8 billion loan.", ("ARE", "EGY"),
     [(8e9, "USD", "loan", "actual")]),
    # the same amount in the headline and the body is one item, with its specific measure
    ("Saudi Arabia, China sign deals worth $50 billion\n\nSaudi Arabia and China signed 34 "
     "investment agreements worth about $50 billion on Thursday.", ("CHN", "SAU"),
     [(50e9, "USD", "investment", "actual")]),
])
def test_money_tied_to_the_pair(text, pair, expected_money):
    assert _deals(text, "2024-06-10")[pair][1] == sorted(expected_money)


def test_an_amount_of_a_country_in_two_pairs_belongs_to_neither():
    deals = _deals("Chile and Peru signed a port accord. Chile and Bolivia signed a rail pact. The "
                   "port is old. Its cranes are slow. Ships wait for days. Chile will invest "
                   "$80 million in a new quay.", "2024-06-10")
    assert deals[("CHL", "PER")][1] == [] and deals[("BOL", "CHL")][1] == []


def test_money_of_a_sentence_about_other_countries_stays_off_the_pair():
    deals = _deals("Kenya and Uganda signed a rail deal. Separately, Brazil and Argentina agreed "
                   "a $2 billion gas contract.", "2024-06-10")
    assert deals[("KEN", "UGA")][1] == []
    assert deals[("ARG", "BRA")][1] == [(2e9, "USD", "deal", "actual")]
