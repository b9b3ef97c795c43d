"""Publication date and body dates: tables of (text, publication date) -> expected values.

The sentences are written for these tests (not taken from the sample articles). The long
tables (full dates, bare years, dates resolved against publication, non-dates) are golden data
in `tests/data/golden/dates.jsonl`.
"""
import time

import pytest
from hypothesis import given, settings, strategies as st

import golden_support as golden
from data_prep.extract.dates import find_dates, find_publication_date

PUB = "2024-03-06"  # a Wednesday


def values(text, published=PUB):
    return [d.value for d in find_dates(text, published)]


# ------------------------------------------------------------------ full dates, any format

@pytest.mark.parametrize("text, expected", golden.cases("dates", "full_dates", "text, expected"))
def test_full_dates(text, expected):
    assert values(text) == expected
    assert values(text, None) == expected  # a stated year needs no publication date


@pytest.mark.parametrize("text, expected", [
    ("Prices were 30% higher than in January 2004.", ["2004-01"]),
    ("Prices were higher than in Jan. 2004.", ["2004-01"]),
    ("En agosto de 2022 subieron las ventas.", ["2022-08"]),
    ("Exports peaked in March 2019 and fell in May 2020.", ["2019-03", "2020-05"]),
])
def test_month_and_year(text, expected):
    assert values(text, None) == expected


# ------------------------------------------------------------------ bare years

@pytest.mark.parametrize("text, expected", golden.cases("dates", "years", "text, expected"))
def test_years(text, expected):
    assert values(text) == expected


# ------------------------------------------------------------------ dates needing the publication date

@pytest.mark.parametrize("text, published, expected", golden.cases("dates", "resolved", "text, published, expected"))
def test_resolved_against_publication(text, published, expected):
    assert values(text, published) == expected


@pytest.mark.parametrize("text, expected", [
    # no publication date: relative and yearless references are left out, never guessed
    ("Argentina signed a deal on Tuesday, after a crisis last year.", []),
    ("Last April a deal was signed; in December it was extended.", []),
    ("The summit was reported on Aug. 23; the 2023 forum came later.", ["2023"]),
    ("The regime started on November 10, 2023 and works since November 10.", ["2023-11-10"]),
    ("Trade in April-July rose from the same period in 2003.", ["2003"]),
])
def test_without_publication_date(text, expected):
    assert values(text, None) == expected
    assert values(text, "not a date") == expected


@pytest.mark.parametrize("text", golden.cases("dates", "not_dates", "text"))
def test_not_dates(text):
    assert values(text) == []


# ------------------------------------------------------------------ weekdays

@pytest.mark.parametrize("text, published, expected", [
    ("The bank granted the loan on Thursday.", "1987-03-02", "1987-02-26"),  # Monday pub
    ("Ministers met on Wednesday.", PUB, "2024-03-06"),  # the same day
    ("Ministers met on Tuesday.", PUB, "2024-03-05"),
    ("Ministers met on Thursday.", PUB, "2024-02-29"),
    ("Ministers met last Wednesday.", PUB, "2024-02-28"),
    ("Ministers will meet on Tuesday.", PUB, "2024-03-12"),
    ("Ministers meet next Wednesday.", PUB, "2024-03-13"),
    ("On Friday, the minister will visit Baku.", PUB, "2024-03-08"),
    ("On Tuesday, the ministers said they will sign a deal.", PUB, "2024-03-05"),
    ("The firm is expected to hold talks on Tuesday.", PUB, "2024-03-12"),
    ("The minister is due in Beijing on Thursday.", PUB, "2024-03-07"),
    ("The ministry said on Monday that exports rose.", PUB, "2024-03-04"),
    ("Tuesday's meeting went well.", PUB, "2024-03-05"),
    ("Am Dienstag wurde das Abkommen unterzeichnet.", PUB, "2024-03-05"),
])
def test_weekdays(text, published, expected):
    assert values(text, published) == [expected]


def test_weekday_inside_a_date_is_not_a_second_date():
    assert values("The deal was signed on Tuesday, 5 March 2024.") == ["2024-03-05"]


# ------------------------------------------------------------------ the records themselves

def test_refs_point_into_the_text():
    text = "\u200f In 2019 and on 5 March 2024 (last year: 2023) they met yesterday; ２０２１ too."
    refs = find_dates(text, PUB)
    assert [r.value for r in refs] == ["2019", "2024-03-05", "2023", "2024-03-05"]
    for r in refs:
        assert text[r.start:r.end] == r.text
        assert r.granularity == {4: "year", 7: "month", 10: "day"}[len(r.value)]
        assert r.sentence == -1
    assert [r.relative for r in refs] == [False, False, True, True]
    assert refs == sorted(refs, key=lambda r: r.start)


def test_masked_furniture_keeps_offsets():
    body = "Title line\n" + " " * 30 + "\nTrade grew in 2019."
    (ref,) = find_dates(body, None)
    assert body[ref.start:ref.end] == "2019"


# ------------------------------------------------------------------ publication date

@pytest.mark.parametrize("text, value, how", [
    ("2022-08-17\nTitle of the story\nBody text.", "2022-08-17", "header"),
    (" date 2022-08-17 17 August 2022 15:42\n\nTitle\n\nBody text.", "2022-08-17", "header"),
    ("28.11.2023, 11:11 157556\n\nTitle\nBody text.", "2023-11-28", "header"),
    ("Samstag, 27.07.2024\nTitel\nText.", "2024-07-27", "header"),
    ("26-FEB-1987 18:46:50.23\n\nTITLE\n    WASHINGTON, Feb 26 - Text.", "1987-02-26", "header"),
    ("Title\nPublished: 3 March 2024\nBody text of the story.", "2024-03-03", "header"),
    ("Title\nUpdated Jan 5, 2025\nBody text of the story.", "2025-01-05", "header"),
    ("Title\nPosted 02/01/2024 10:00 a.m.\nBody.", "2024-02-01", "header"),
    ("Title\n\nBy Our Markets Bureau | Updated: Nov 4, 2025, 10:15 IST\n\nBody.", "2025-11-04", "header"),
    ("Title\nVeröffentlicht am 02.01.2024\nText.", "2024-01-02", "header"),
    ("Title\n\nBody text of the story goes on.\n\nSource: Daily Wire, 02.01.2024\n", "2024-01-02", "source-line"),
    ("Title\n\nText.\n\nQuelle/Source: Smart Town News, 02.01.2024\n\nZum Seitenanfang", "2024-01-02",
     "source-line"),
    ("Ties grow\n\nBAKU, Azerbaijan, Aug. 20, 2024 - Azerbaijan and Kazakhstan agreed to build a road.",
     "2024-08-20", "dateline"),
    ("Title\n" + "Body sentence with many words in it.\n" * 10 + "Astana, 12 March 2024\n", "2024-03-12",
     "sign-off"),
])
def test_publication_date(text, value, how):
    pub = find_publication_date(text)
    assert (pub.value, pub.how) == (value, how)
    assert text[pub.start:pub.end] == pub.text


PORTAL = "Heute 291\n\nGestern 791\n\nInsgesamt 39481815\n\nSamstag, 27.07.2024\nResearch since 2001\n\n"
BODY = "Two cities agreed to cooperate on smart transport and digital trade.\n\n"


@pytest.mark.parametrize("text, expected", [
    (PORTAL + BODY + "Quelle/Source: City Wire, 02.01.2024\n", "2024-01-02"),  # the source line wins
    (PORTAL + BODY + "Bitte besuchen Sie:\n", None),  # the portal's today header is not the article's
    ("ASTANA - The summit was reported on Aug. 23.\n" + BODY, None),  # no year: not a stamp
    ("Title\nThe ministers met on 5 March 2024 in Astana to sign the agreement on trade.\n", None),
    ("", None),
    # a stamp glued to a long first paragraph opens it; a date later in such a paragraph does not
    ("Press Release\n\nBank and agency to build a park\n\nMarch 28th, 2022 The institute will work "
     "with the agency " + "to promote research and industry in the region " * 4 + ".\n", "2022-03-28"),
    ("Press Release\n\nBank and agency to build a park\n\nThe institute will work with the agency "
     "from March 28th, 2022 " + "to promote research and industry in the region " * 4 + ".\n", None),
    # dated lines at the end of a page are a list of other stories, not a sign-off
    ("Title\n" + BODY * 10 + "Related\nTrade deal signed 12.03.2023\nNew bridge opens 02.02.2023\n", None),
])
def test_publication_date_header_vs_source(text, expected):
    pub = find_publication_date(text)
    assert (pub.value if pub else None) == expected


@pytest.mark.parametrize("meta, expected", [
    ("2024-01-02", "2024-01-02"),
    ("2024-01-02T10:00:00Z", "2024-01-02"),
    ("Tue, 02 Jan 2024 10:00:00 GMT", "2024-01-02"),
    ("02.01.2024", "2024-01-02"),
])
def test_metadata_date_wins(meta, expected):
    pub = find_publication_date("Samstag, 27.07.2024\nText.", meta)
    assert (pub.value, pub.how) == (expected, "metadata")


@pytest.mark.parametrize("meta", ["", "n/a", "yesterday"])
def test_unusable_metadata_falls_back_to_the_text(meta):
    assert find_publication_date("Samstag, 27.07.2024\nText.", meta).value == "2024-07-27"


# ------------------------------------------------------------------ robustness and speed

ODD = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
DATEISH = st.lists(st.sampled_from([
    "2024", "12", "3", "-", "/", ".", ",", " ", "May", "March", "last", "year", "Tuesday", "on",
    "\u200b", "\u00a0", "２", "é", "\u0301", "\u202e", "年", "Heute", "in", "to", "\n", "Source:",
]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ODD, DATEISH),
       st.one_of(st.none(), st.text(max_size=12),
                 st.sampled_from([PUB, "0001-01-01", "9999-12-31", "2024-02-30", "2100-12-31"])))
def test_never_raises(text, published):
    for ref in find_dates(text, published):
        assert text[ref.start:ref.end] == ref.text
    find_publication_date(text, published)


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31", "2024-02-30", "06.03.2024"])
def test_implausible_publication_dates_count_as_none(published):
    assert values("They met on Tuesday, last year, in 2019.", published) == ["2019"]


def test_a_dense_4kb_article():  # its speed is measured in bench/extract_speed.py
    dated = ("On 5 March 2024 the ministers met in the capital; trade grew 12% last year to "
             "$4.2 billion and is to reach $10 billion by 2030, the ministry said on Tuesday. ")
    prose = ("Both sides discussed transport, energy and digital projects, and 14 firms signed "
             "letters of intent worth about 300 million dollars during the two-day visit. ")
    text = ((dated + prose * 3 + "\n\n") * 12)[:4096]
    assert len(find_dates(text, PUB)) == 28  # 7 dated sentences x 4 dates


# Stamps between separators on byline-like header lines, and years after "over"/"for".
@pytest.mark.parametrize(
    "text, expected",
    [
        ("By Premium Desk | January 21, 2025 | 3 min read\n\nNiger closed the border.", "2025-01-21"),
        ("Dar es Salaam, Tanzania | Posted on: 22/04/2024\n\nJapan pledged aid.", "2024-04-22"),
        ("*Prague, June 3, 2025* · By Energy Desk\n\nThe two firms signed.", "2025-06-03"),
        ("Home | World | Asia\n\nJapan pledged aid on 3 March 2024 in a long sentence about it.", None),
    ],
)
def test_stamp_in_a_segment(text, expected):
    stamp = find_publication_date(text)
    assert (stamp.value if stamp else None) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Trade grew 12% over 2023.", ["2023"]),
        ("It sold over 2023 tonnes.", []),
        ("Sales for 2024 rose.", ["2024"]),
    ],
)
def test_years_after_over_and_for(text, expected):
    assert [d.value for d in find_dates(text, "2025-01-27")] == expected


# Wire copy wraps lines in mid-sentence: the tense of the whole sentence still counts.
@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("    Yeutter said a list would be published in the\nFederal Register on Friday. Officials agreed.",
         "1987-03-23", ["1987-03-27"]),
        ("and Pakistan was expected to tender\nfor 20,000 tonnes on Thursday.", "1987-04-13", ["1987-04-16"]),
        ("Exports rose.\nThe minister met his counterpart on Thursday.", "1987-04-13", ["1987-04-09"]),
    ],
)
def test_tense_across_wrapped_lines(text, published, expected):
    assert [d.value for d in find_dates(text, published)] == expected


@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("For 2004 as a whole, the economy grew 2.6%.", None, ["2004"]),
        ("It rose to 2000 workers.", None, []),
        ("the first purchase since last\nOctober and more", "1987-03-16", ["1986-10"]),
        # six months either way: the publication year ("by the end of September" in March)
        ("corn for shipment by the end of September", "1987-03-16", ["1987-09"]),
        ("sales in March", "1987-09-16", ["1987-03"]),
    ],
)
def test_years_wrapped_modifiers_and_ties(text, published, expected):
    assert [d.value for d in find_dates(text, published)] == expected


# Months without a year take the publication year, but the year before in a sentence about the
# past (or far ahead), the year after in one about the future; shipments look ahead; a relative
# year after a month dates it; a month range is placed nearest the publication date.
@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("Exports in January-August rose 12%.", "2025-09-15", ["2025-01", "2025-08"]),
        ("Trade in January-November last year grew.", "2025-02-10", ["2024-01", "2024-11"]),
        ("The line opens in September next year.", "2025-02-10", ["2026-09"]),
        ("It received its first nuclear fuel in April.", "2023-11-10", ["2023-04"]),
        ("The plant will open in April.", "2023-11-10", ["2024-04"]),
        ("It was registered in December.", "2025-02-10", ["2024-12"]),
        ("The board sold wheat for shipment between April and September.", "1987-03-09", ["1987-04", "1987-09"]),
        ("Egypt agreed to unify its exchange rates by July.", "1987-04-02", ["1987-07"]),
    ],
)
def test_months_without_a_year(text, published, expected):
    assert [d.value for d in find_dates(text, published)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Farms recovered after the 2023 drought.", ["2023"]),
        ("Output rises in the second half of the year.", ["2025"]),
        ("It hired the 2000 workers it needed.", []),
    ],
)
def test_years_in_names_and_halves(text, expected):
    assert [d.value for d in find_dates(text, "2025-05-10")] == expected
