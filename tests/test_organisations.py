"""Organisations and people by head words, acronym expansions and titles."""
import pytest

from data_prep.extract.organisations import find_entities
from data_prep.records import CountryMention


def _names(text, kind, mentions=()):
    return [e.name for e in find_entities(text, mentions) if e.kind == kind]


@pytest.mark.parametrize(
    "text, orgs",
    [
        ("The deal was signed by Kenya Railways and the Port of Mombasa Authority.", ["Kenya Railways"]),
        ("The Infocomm Media Development Authority (IMDA) announced it.", ["Infocomm Media Development Authority (IMDA)"]),
        ("It signed a MoU with PSA (Port of Singapore Authority) on Monday.", ["PSA (Port of Singapore Authority)"]),
        ("Officials of the Ministry of Trade and Integration met bankers.", ["Ministry of Trade and Integration"]),
        ("The Bank of Japan kept rates unchanged.", ["Bank of Japan"]),
        ("The weather was fine and the talks went on.", []),
    ],
)
def test_organisations(text, orgs):
    got = _names(text, "org")
    for org in orgs:
        assert org in got
    if not orgs:
        assert got == []


@pytest.mark.parametrize(
    "text, people",
    [
        ("Prime Minister Alikhan Smailov held talks in Astana.", [("Alikhan Smailov", "Prime Minister")]),
        ("Governor of the Astana International Financial Centre Kairat Kelimbetov spoke.",
         [("Kairat Kelimbetov", "Governor of the Astana International Financial Centre")]),
        ("Tony Brown, chairman of the Example Federation Council, opened the forum.",
         [("Tony Brown", "chairman of the Example Federation Council")]),
        ("Vice Minister of Trade Anna Berg and President of the Council Jon Moe met.",
         [("Anna Berg", "Vice Minister of Trade"), ("Jon Moe", "President of the Council")]),
        ("The President said nothing.", []),
    ],
)
def test_people_with_roles(text, people):
    got = [(e.name, e.role) for e in find_entities(text) if e.kind == "person"]
    assert got == people


def test_country_of_person_and_org_from_text():
    text = "Prime Minister of Kazakhstan Alikhan Smailov met China's National Petroleum Corporation."
    k = text.index("Kazakhstan")
    c = text.index("China")
    mentions = [CountryMention("KAZ", "Kazakhstan", k, k + 10, "name"), CountryMention("CHN", "China", c, c + 5, "name")]
    ents = {e.name: e for e in find_entities(text, mentions)}
    assert ents["Alikhan Smailov"].iso3 == "KAZ"
    org = next(e for e in ents.values() if e.kind == "org" and "National Petroleum Corporation" in e.name)
    assert org.iso3 == "CHN"


def test_spans_point_at_names():
    text = "Minister of Energy Bola Tinubu met the Kenya Power Company and the Energy Regulatory Commission (ERC)."
    found = find_entities(text)
    assert {e.name for e in found} == {"Bola Tinubu", "Kenya Power Company", "Energy Regulatory Commission (ERC)"}
    for e in found:
        assert text[e.start:e.end] == e.name
