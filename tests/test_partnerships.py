"""Partnerships need evidence: a clause naming both countries and a cooperation cue, with no
conflict, speculation or comparison ruling it out. The table of sentences -> expected pairs is
golden data in `tests/data/golden/partnerships.jsonl`."""
import pytest

import golden_support as golden
from data_prep.service import extract
from data_prep.records import RawArticle


def _pairs(text: str) -> set[tuple[str, str]]:
    ext = extract(RawArticle(doc="t.txt", text=text))
    return {p.countries for p in ext.partnerships}


@pytest.mark.parametrize("text, expected", golden.cases("partnerships", "pairs", "text, expected"))
def test_pairs(text, expected):
    assert _pairs(text) == {tuple(pair) for pair in expected}


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


@pytest.mark.parametrize("text, status", [
    ("Kenya and Uganda signed a rail deal on Monday.", "signed"),
    ("Kenya and Uganda agreed to remove trade barriers.", "agreed"),
    ("Kenya and Uganda reached an agreement on fishing rights.", "agreed"),
    ("Japan and Kenya agree a port loan.", "agreed"),
    ("Kenya and Uganda plan to build an oil pipeline.", "planned"),
    ("Kenya and Uganda completed the joint railway project last year.", "completed"),
    ("Kenya and Uganda held talks on trade.", None),  # nothing said of a status
])
def test_status_is_only_what_the_text_says(text, status):
    ext = extract(RawArticle(doc="t.txt", text=text))
    assert [p.status for p in ext.partnerships] == [status]
