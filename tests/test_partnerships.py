"""Partnerships need evidence: a clause naming both countries and a cooperation cue, with no
conflict, speculation or comparison ruling it out. Table of sentences -> expected pairs."""
import pytest

from data_prep.pipeline import extract
from data_prep.records import RawArticle


def _pairs(text: str) -> set[tuple[str, str]]:
    ext = extract(RawArticle(doc="t.txt", text=text))
    return {p.countries for p in ext.partnerships}


@pytest.mark.parametrize(
    "text, expected",
    [
        # cooperation of every kind
        ("Kenya and Ethiopia signed a memorandum of understanding on power trade.", {("ETH", "KEN")}),
        ("Brazil's exports of soybeans to China rose sharply this year.", {("BRA", "CHN")}),
        ("Japan will invest in three Indonesian ports, the ministry said.", {("IDN", "JPN")}),
        ("The United States granted Argentina a bridge loan on Thursday.", {("ARG", "USA")}),
        ("Polish and Ukrainian officials held talks on grain transit.", {("POL", "UKR")}),
        ("The Kazakh-Chinese projects cover energy and logistics.", {("CHN", "KAZ")}),
        ("Singapore's IMDA inked eight MoUs with partners from the Chinese city of Shenzhen.", {("CHN", "SGP")}),
        # three countries together give every pair
        ("Albania, Bulgaria and North Macedonia signed an agreement to build a pipeline.",
         {("ALB", "BGR"), ("ALB", "MKD"), ("BGR", "MKD")}),
        # comparison, conflict, speculation, suspension and mere co-mention are not partnerships
        ("China overtook the US to become Japan's biggest trading partner.", {("CHN", "JPN")}),
        ("Armenia and Azerbaijan clashed again along the border.", set()),
        ("Russia and Ukraine are at war.", set()),
        ("Argentina's energy crisis forced it to suspend gas exports to Chile.", set()),
        ("Brazil's Petrobras could join the deal between the two later.", set()),
        ("France, Germany and Italy are the largest economies in the euro zone.", set()),
        ("Argentina beat Brazil 2-1 in the final match.", set()),
        ("The summit will be attended by leaders from Chile and Peru.", set()),
        ("Kazakhstan and Singapore signed an MoU in Dubai on Monday.", {("KAZ", "SGP")}),
        # co-objects are each the subject's partner, not each other's
        ("Japan has similar agreements with Australia and the United Kingdom.", {("AUS", "JPN"), ("GBR", "JPN")}),
        # a hyphenated compound before a joint noun links its countries
        ("The sides reviewed the China-Kyrgyzstan-Uzbekistan railway.", {("CHN", "KGZ"), ("CHN", "UZB"), ("KGZ", "UZB")}),
        ("The India-Pakistan border was quiet.", set()),
        # rankings, sources and rivals are not partners
        ("Guyana tops the table with growth of 10 percent, followed by Senegal, whose oil exports rise.", set()),
        ("Vietnam competes with India and Indonesia for new electronics projects.", set()),
        ("Freight rose 63% this year, according to Georgian Railway and Chinese customs.", set()),
        ("The Philippines and Japan signed a pact as both countries face an assertive China.", {("JPN", "PHL")}),
        ("Chile did not sign the trade agreement with Peru.", set()),
    ],
)
def test_pairs(text, expected):
    assert _pairs(text) == expected


def test_partnership_details():
    text = (
        "Vietnam, South Korea sign electronics deal\n\n"
        "HANOI - Vietnam and South Korea signed an agreement on Monday to expand semiconductor investment, "
        "with Samsung Electronics pledging $2 billion for a plant near Hanoi.\n"
        "The two countries also discussed tourism.\n"
    )
    ext = extract(RawArticle(doc="t.txt", text=text))
    (p,) = ext.partnerships
    assert p.countries == ("KOR", "VNM")
    assert p.kind == "agreement"
    assert p.status == "signed"
    assert "investment" in p.sectors and "digital and ICT" in p.sectors
    assert "Hanoi" in p.places.get("VNM", [])
    assert any(ext.figures[i].unit == "USD" and ext.figures[i].value == 2e9 for i in p.figures)
    assert all(s in text.replace("\n", " ") or s for s in p.evidence)
