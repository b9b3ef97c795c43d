"""Publication date and body dates: tables of (text, publication date) -> expected values.

The sentences are written for these tests (not taken from the sample articles).
"""
import time

import pytest
from hypothesis import given, settings, strategies as st

from data_prep.extract.dates import find_dates, find_publication_date

PUB = "2024-03-06"  # a Wednesday


def values(text, published=PUB):
    return [d.value for d in find_dates(text, published)]


# ------------------------------------------------------------------ full dates, any format

@pytest.mark.parametrize("text, expected", [
    ("The pact was signed on 17 August 2022 in Tashkent.", ["2022-08-17"]),
    ("The pact was signed on August 17, 2022 in Tashkent.", ["2022-08-17"]),
    ("The pact was signed on Aug. 17, 2022.", ["2022-08-17"]),
    ("The pact was signed on Sept. 5, 2023.", ["2023-09-05"]),
    ("Signed 17.08.2022 by both sides.", ["2022-08-17"]),
    ("Signed 2022-08-17 by both sides.", ["2022-08-17"]),
    ("Signed 17/08/2022 by both sides.", ["2022-08-17"]),
    ("Signed 26-FEB-1987 by both sides.", ["1987-02-26"]),
    ("Le traité a été signé le 17 août 2022.", ["2022-08-17"]),
    ("Le traité a été signé le 1er mars 2024.", ["2024-03-01"]),
    ("Der Vertrag wurde am 17. August 2022 unterzeichnet.", ["2022-08-17"]),
    ("El acuerdo se firmó el 17 de agosto de 2022.", ["2022-08-17"]),
    ("O acordo foi assinado em 5 de março de 2021.", ["2021-03-05"]),
    ("L'accordo è stato firmato il 3 settembre 2021.", ["2021-09-03"]),
    ("De overeenkomst werd op 4 mei 2023 getekend.", ["2023-05-04"]),
    ("Соглашение подписано 17 августа 2022 года.", ["2022-08-17"]),
    ("Anlaşma 17 Ağustos 2022 tarihinde imzalandı.", ["2022-08-17"]),
    ("Perjanjian itu ditandatangani pada 17 Agustus 2022.", ["2022-08-17"]),
    ("协议于2024年8月17日签署。", ["2024-08-17"]),
    ("It opened on the 5th of May 2021.", ["2021-05-05"]),
    ("Ministers met on March 1st, 2023.", ["2023-03-01"]),
    # day-first unless the second part cannot be a month
    ("Signed 02.01.2024 in Astana.", ["2024-01-02"]),
    ("Signed 02/01/2024 in Astana.", ["2024-01-02"]),
    ("Signed 01/31/2024 in Austin.", ["2024-01-31"]),
    # a US page (a.m./p.m. times) reads MM/DD/YYYY
    ("Posted 02/01/2024 at 9:30 a.m. by the desk.", ["2024-02-01"]),
    ("Signed on 30 February 2024.", []),  # no such day
    ("Signed 17\u00a0August\u00a02022.", ["2022-08-17"]),  # no-break spaces
])
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

@pytest.mark.parametrize("text, expected", [
    ("The scheme was launched in 2019.", ["2019"]),
    ("The roadmap runs until 2026.", ["2026"]),
    ("Members since 1994, they trade a lot.", ["1994"]),
    ("Delegates prepared for the 2023 summit.", ["2023"]),
    ("The NEXT Astana 2023 meeting drew investors.", ["2023"]),
    ("The target is to double trade by 2030.", ["2030"]),
    ("Growth slowed in fiscal 2024.", ["2024"]),
    ("The FY2025 budget grew.", ["2025"]),
    ("Output recovered by mid-2020.", ["2020"]),
    ("Output fell between 2019 and 2021.", ["2019", "2021"]),
    ("The plan covers 2019-2021.", ["2019", "2021"]),
    ("The 2019/20 season was short.", ["2019", "2020"]),
    ("Loans due in 1986 and 1987 were rescheduled.", ["1986", "1987"]),
    ("Buyers took part of the 1986 crop.", ["1986"]),
    ("Record sales were reported for Q1 2024.", ["2024"]),
    ("Work began in 2005 and ended in 2009.", ["2005", "2009"]),
    ("The border was settled by an award in 1899.", ["1899"]),
    ("Warming must stop by 2100.", ["2100"]),
    ("The ship carried 1850 tonnes.", []),
    ("Lake Biwa 1850 was the vessel.", []),  # 18xx only after in / since / until ...
    ("Die Zusammenarbeit besteht seit 2001.", ["2001"]),
    ("Le projet a commencé en 2019.", ["2019"]),
    ("Проект стартовал в 2019 году.", ["2019"]),
    ("Proje 2019 yılında başladı.", ["2019"]),
    ("The 1990s were hard.", []),  # a decade
    ("Since the mid-1990s trade grew.", []),
    ("Since the 1990's trade grew.", []),
    ("They paid $40 for it.", []),
    ("Output rose 40% this spring.", []),
    ("Some 2,019 people attended.", []),
    ("The ship carried 1500 tonnes.", []),
    ("The ship carried 2000 tonnes.", []),
    ("Output rose to 2000 tonnes.", []),
    ("The firm employs around 2000 workers.", []),
    ("The meeting ended at 20:19 local time.", []),
    ("Call 2019 for details.", []),  # a capital that opens a sentence is no event name
    ("UN Resolution 2028 passed.", []),
    ("The 2000-strong workforce grew.", []),
    ("A 1900 MW plant opened.", []),
    ("Some 2000 delegates attended.", []),
    ("The price was 2019.5 dollars.", []),
])
def test_years(text, expected):
    assert values(text) == expected


# ------------------------------------------------------------------ dates needing the publication date

@pytest.mark.parametrize("text, published, expected", [
    ("The regime came into effect on November 10.", "2023-11-28", ["2023-11-10"]),
    ("WASHINGTON, Feb 26 - Officials met.", "1987-02-26", ["1987-02-26"]),
    ("They will meet again on 5 March.", PUB, ["2024-03-05"]),
    ("The talks ended on December 20.", "2024-01-05", ["2023-12-20"]),  # nearest such day
    # a clear tense overrules "nearest" for a day more than a week away
    ("The deal was signed on 5 March.", "2023-11-23", ["2023-03-05"]),
    ("The summit is to be held on 5 March.", "2023-11-23", ["2024-03-05"]),
    ("Elections will be held on 20 December.", "2024-01-05", ["2024-12-20"]),
    ("It takes effect on 10 March.", PUB, ["2024-03-10"]),
    ("Trade rose by 35% last year.", "2023-11-28", ["2022"]),
    ("Growth continues this year.", "2023-11-28", ["2023"]),
    ("Bids open next year.", "2023-11-28", ["2024"]),
    ("Sales fell last month.", PUB, ["2024-02"]),
    ("Importers bought beans late last month.", "1987-03-02", ["1987-02"]),
    ("Results are due next month.", "2024-12-10", ["2025-01"]),
    ("The team left yesterday and returns tomorrow.", PUB, ["2024-03-05", "2024-03-07"]),
    ("Today the border post works around the clock.", PUB, ["2024-03-06"]),
    ("Das Abkommen wurde gestern unterzeichnet.", PUB, ["2024-03-05"]),
    ("El año pasado las ventas crecieron.", PUB, ["2023"]),
    ("В прошлом году торговля выросла.", PUB, ["2023"]),
    ("Perdagangan naik tahun lalu.", PUB, ["2023"]),
    # months alone: the nearest such month; "last" = strictly before
    ("In December, the surplus grew.", "2024-01-15", ["2023-12"]),
    ("Talks opened last August.", "1987-02-26", ["1986-08"]),
    ("Talks opened last March.", PUB, ["2023-03"]),
    ("Talks resume next March.", PUB, ["2025-03"]),
    ("Prices peak in mid-December.", PUB, ["2023-12"]),
    ("Im Dezember stiegen die Preise.", PUB, ["2023-12"]),
    # ranges list both ends; the end is the first such month after the start
    ("Beans were bought for May to September shipment.", "1987-03-02", ["1987-05", "1987-09"]),
    ("The premium for the November to April shipment rose.", "1987-03-02", ["1986-11", "1987-04"]),
    ("Down from the last May to September shipment.", "1987-03-02", ["1986-05", "1986-09"]),
    ("Volumes for November to April 1987 shipment fell.", "1987-03-02", ["1986-11", "1987-04"]),
    ("The forum runs April 18-19.", PUB, ["2024-04-18", "2024-04-19"]),
    ("The forum runs 18-19 April 2025.", PUB, ["2025-04-18", "2025-04-19"]),
    ("Sessions run from April 18 to May 2, 2025.", PUB, ["2025-04-18", "2025-05-02"]),
    ("Trade in April-July rose.", PUB, ["2024-04", "2024-07"]),
    ("Exports in May, June and July rose.", PUB, ["2023-05", "2023-06", "2023-07"]),  # past: the last ones
    # a sentence about the future takes the next such month, even past the nearest one
    ("More deals could be signed when ties, set up in 1958, turn 70 in January.", "2025-06-18",
     ["1958", "2026-01"]),
    ("The team will be named for the games, which the city hosts in September.", "2025-03-02",
     ["2025-09"]),
    ("Importers bought beans last month for June shipment.", "2025-03-02", ["2025-02", "2025-06"]),
    ("In March 2019, May said no.", PUB, ["2019-03"]),  # a comma alone does not make May a month
])
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


@pytest.mark.parametrize("text", [
    "Trade has grown recently.",
    "Since the mid-1990s the region grew.",
    "In the coming years trade will grow.",
    "Shipments rise in spring and fall in winter.",
    "We said we would come.",
    "Prices may have totalled more.",
    "Farmers will march on the capital.",
    "A march was held; March organisers spoke.",
    "Theresa May said the talks went well.",
    "The Long March is a famous episode.",
    "The deal was done in 10 months after a two-day visit.",
    "It is the 4th meeting of the commission this week.",
    "USA Today reported the story.",
    "Heute 291 Gestern 791",
    "Shops open Monday to Friday; Black Friday sales grew.",
    "Mars missions and the August body.",
    "A set 5 record was broken.",
])
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
