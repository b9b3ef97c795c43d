"""Country and region recognition: names, aliases, demonyms, cities, regions and the false hits to avoid."""
from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data_prep.extract.countries import (
    all_countries,
    country_name,
    country_region,
    find_countries,
    lookup_country,
    summarise_countries,
)


def isos(text: str) -> set[str]:
    return {m.iso3 for m in find_countries(text)[0]}


def region_names(text: str) -> set[str]:
    return {r.name for r in find_countries(text)[1]}


POSITIVES = [
    # names, official names, aliases
    ("Kazakhstan and Singapore agreed to deepen ties.", {"KAZ", "SGP"}),
    ("The People's Republic of China and the PRC delegation met.", {"CHN"}),
    ("Investors from the UAE and the U.A.E. fund arrived.", {"ARE"}),
    ("Officials in the US said the U.S. and the USA would act.", {"USA"}),
    ("The United States of America signed it.", {"USA"}),
    ("America will respond, the minister said.", {"USA"}),
    ("Talks between the UK and Britain's partners, and Great Britain.", {"GBR"}),
    ("Exports from England and Scotland rose.", {"GBR"}),
    ("South Korea and the Republic of Korea are the same country.", {"KOR"}),
    ("Korea's exports grew.", {"KOR"}),  # Korea alone is never North Korea
    ("North Korea and the DPRK tested a missile.", {"PRK"}),
    ("Türkiye, formerly Turkey, hosted the talks.", {"TUR"}),
    ("Turkiye hosted the talks.", {"TUR"}),
    ("Côte d'Ivoire, also called Ivory Coast, exports cocoa.", {"CIV"}),
    ("Cote d’Ivoire exports cocoa.", {"CIV"}),
    ("Viet Nam and Vietnam are one country.", {"VNM"}),
    ("Macedonia, now North Macedonia, joined.", {"MKD"}),
    ("Burma, now Myanmar, held elections.", {"MMR"}),
    ("Czechia or the Czech Republic.", {"CZE"}),
    ("Holland and the Netherlands.", {"NLD"}),
    ("Russia and the Russian Federation.", {"RUS"}),
    ("The DRC and DR Congo are the same.", {"COD"}),
    ("The Democratic Republic of the Congo mines cobalt.", {"COD"}),
    ("The Republic of the Congo exports oil.", {"COG"}),
    ("Congo and Brazzaville officials met.", {"COG"}),
    ("Congo's mines produce cobalt.", {"COD"}),
    ("Papua New Guinea and Equatorial Guinea and Guinea-Bissau.", {"PNG", "GNQ", "GNB"}),
    ("Guinea exports bauxite.", {"GIN"}),
    ("Niger borders Nigeria.", {"NER", "NGA"}),
    ("Sudan and South Sudan share oil revenues.", {"SDN", "SSD"}),
    ("Dominica is not the Dominican Republic.", {"DMA", "DOM"}),
    ("Taiwan exports chips.", {"TWN"}),
    ("Chinese Taipei competed.", {"TWN"}),
    ("Saint Kitts and Nevis and St. Lucia joined.", {"KNA", "LCA"}),
    ("The Czech and Slovak governments.", {"CZE", "SVK"}),
    ("Trade with Timor-Leste grew.", {"TLS"}),
    ("Eswatini, formerly Swaziland.", {"SWZ"}),
    ("Cabo Verde, or Cape Verde.", {"CPV"}),
    ("Bosnia and Herzegovina signed.", {"BIH"}),
    ("Trinidad and Tobago exports gas.", {"TTO"}),
    ("The Soviet Union collapsed.", {"RUS"}),
    ("Soviet oil exports rose.", {"RUS"}),  # 1980s wire copy: old names map to today's code
    ("West German and Zairean officials met in Bonn.", {"DEU", "COD"}),
    ("Yugoslavia and Czechoslovakia traded.", {"SRB", "CZE"}),
    ("The Bundesbank and the BoJ held rates.", {"DEU", "JPN"}),
    ("Lao PDR and Laos.", {"LAO"}),
    ("Peace in Chad was discussed.", {"TCD"}),
    ("Jordan and Egypt signed a deal.", {"JOR", "EGY"}),
    ("King Abdullah of Jordan arrived.", {"JOR"}),
    ("The Hashemite Kingdom of Jordan signed.", {"JOR"}),
    ("Israel and India signed a pact.", {"ISR", "IND"}),
    ("Georgia and Armenia opened the border.", {"GEO", "ARM"}),
    ("Tbilisi, Georgia hosted the forum.", {"GEO"}),
    # demonyms and adjectives
    ("The Kazakh delegation met Kazakhstani officials.", {"KAZ"}),
    ("Chinese and Singaporean firms.", {"CHN", "SGP"}),
    ("Emirati and Dutch investors.", {"ARE", "NLD"}),
    ("Filipino workers and Argentine farmers, Argentinian wine.", {"PHL", "ARG"}),
    ("Kazakhs, Uzbeks and Kyrgyz traders.", {"KAZ", "UZB", "KGZ"}),
    ("Japanese carmakers and American buyers.", {"JPN", "USA"}),
    ("Indian refiners bought Russian crude.", {"IND", "RUS"}),
    ("A Kazakh-Chinese joint venture.", {"KAZ", "CHN"}),
    ("Sino-Kazakh relations improved.", {"CHN", "KAZ"}),
    ("Indo-Pakistani talks resumed.", {"IND", "PAK"}),
    ("South African and North Korean officials.", {"ZAF", "PRK"}),
    ("South Sudanese refugees.", {"SSD"}),
    ("Nigerien troops and Nigerian troops.", {"NER", "NGA"}),
    ("Saudi Arabia and the Saudis.", {"SAU"}),
    ("Britons and Brits abroad.", {"GBR"}),
    ("anti-American protests", {"USA"}),
    # state bodies
    ("The High Commission of India issued visas.", {"IND"}),
    ("The US Treasury imposed sanctions.", {"USA"}),
    ("The Bank of Japan kept rates.", {"JPN"}),
    ("The Kazakh Foreign Ministry said so.", {"KAZ"}),
    ("Kazakhstan Railways signed an MoU.", {"KAZ"}),
    ("The Indian Air Force bought jets.", {"IND"}),
    ("A US-registered company.", {"USA"}),
    ("U.S.-made parts.", {"USA"}),
    ("The Kremlin said.", {"RUS"}),
    ("The White House said.", {"USA"}),
    # capitals, cities and places
    ("Meetings in Astana and Almaty.", {"KAZ"}),
    ("Plants in Shenzhen and Shanghai.", {"CHN"}),
    ("Offices in Mumbai and New Delhi.", {"IND"}),
    ("Traders in New York and Washington.", {"USA"}),
    ("A summit in Tokyo.", {"JPN"}),
    ("Banks in Buenos Aires.", {"ARG"}),
    ("Ports of Lagos.", {"NGA"}),
    ("Hong Kong and Macau.", {"CHN"}),
    ("Flights to Nur-Sultan.", {"KAZ"}),
    ("Offices in São Paulo and Sao Paulo.", {"BRA"}),
    ("A plant in Xinjiang.", {"CHN"}),
    ("A plant in Inner Mongolia.", {"CHN"}),
    ("A port in New South Wales.", {"AUS"}),
    ("Mines in British Columbia.", {"CAN"}),
    ("A fund in Texas.", {"USA"}),
    ("Atlanta, Georgia is a hub.", {"USA"}),
    ("The Georgia governor signed.", {"USA"}),
    ("Factories in Georgia, US, expanded.", {"USA"}),
    ("Plants in Georgia and Alabama.", {"USA"}),
    ("New Mexico and New Jersey.", {"USA"}),
    ("Jersey is a tax haven.", {"JEY"}),
    ("South Georgia is remote.", {"SGS"}),
    ("Hyderabad is an IT hub.", {"IND"}),
    ("Hyderabad, Pakistan flooded.", {"PAK"}),
    ("Alexandria port expanded.", {"EGY"}),
    ("Santiago hosted the summit.", {"CHL"}),
    ("Bali hosted the summit.", {"IDN"}),
    ("Victoria and Melbourne in Australia.", {"AUS"}),
    ("Valencia port, Spain.", {"ESP"}),
    ("Valencia, Venezuela.", {"VEN"}),
    ("San Jose, Costa Rica.", {"CRI"}),
    ("Georgetown, Guyana.", {"GUY"}),
    ("Kingston, Jamaica.", {"JAM"}),
    ("Córdoba, Argentina.", {"ARG"}),
    # all-caps text
    ("JAPAN TO TRY TO OPEN MARKET TO U.S. CAR PARTS", {"JPN", "USA"}),
    ("WASHINGTON, Feb 26 - officials said.", {"USA"}),
    ("CHAD SIGNS OIL DEAL", {"TCD"}),
    ("KAZAKHSTAN AND CHINA SIGN ACCORD", {"KAZ", "CHN"}),
    ("US AND CHINA AGREE", {"USA", "CHN"}),
    ("Digital India and Modi's India.", {"IND"}),  # a capitalised word before a first-name-like country
    ("The Lao government and Laotian farmers.", {"LAO"}),
    ("Talks in Milan and Osaka.", {"ITA", "JPN"}),
    ("The Washington Post reported.", {"USA"}),
    ("Exports to mainland China.", {"CHN"}),
    ("Israel Defense Forces said.", {"ISR"}),
    ("Russian firms and Chinese companies.", {"RUS", "CHN"}),
    ("Translated into Japanese, the Japanese edition sold well.", {"JPN"}),
    ("India is developing the port of Chabahar.", {"IND", "IRN"}),
    ("The dry port at Khorgos handles trains to Horgos.", {"KAZ", "CHN"}),
    ("The State Department and the Knesset.", {"USA", "ISR"}),
    ("Shale output in Vaca Muerta.", {"ARG"}),
    ("A Korean Central News Agency report.", {"PRK"}),
    ("Brest, Belarus.", {"BLR"}),
    ("Newcastle, in Australia.", {"AUS"}),
    ("Real estate in India; Indian real estate.", {"IND"}),
    # odd whitespace
    ("the United\n    States and Japan", {"USA", "JPN"}),
    ("the United\xa0States", {"USA"}),
    ("Saudi\nArabia", {"SAU"}),
]

NEGATIVES = [
    ("Michael Jordan scored 40 points.", "JOR"),
    ("Jordan Peterson gave a lecture.", "JOR"),
    ("Jordan said he was tired.", "JOR"),
    ("Atlanta, Georgia is a hub.", "GEO"),
    ("The Georgia governor signed.", "GEO"),
    ("Factories in Georgia, US, expanded.", "GEO"),
    ("Plants in Georgia and Alabama.", "GEO"),
    ("We ate roast turkey.", "TUR"),
    ("A Thanksgiving Turkey was served.", "TUR"),
    ("Turkey sandwiches were served.", "TUR"),
    ("Nigeria's economy grew.", "NER"),
    ("Papua New Guinea exports gas.", "GIN"),
    ("Equatorial Guinea exports oil.", "GIN"),
    ("Guinea-Bissau exports cashews.", "GIN"),
    ("A guinea pig escaped.", "GIN"),
    ("Guinea pigs escaped.", "GIN"),
    ("Chad Smith played drums.", "TCD"),
    ("She collected fine china plates.", "CHN"),
    ("Visitors to New Mexico.", "MEX"),
    ("Traffic in New Jersey.", "JEY"),
    ("Jersey City in New Jersey.", "JEY"),
    ("Ships in the Indian Ocean.", "IND"),
    ("Ships in the Indian Ocean.", "IOT"),
    ("Indian refiners bought crude.", "IOT"),
    ("Latin American markets.", "USA"),
    ("South American exporters.", "USA"),
    ("North American carmakers.", "USA"),
    ("The Dominican Republic grew.", "DMA"),
    ("DR Congo mines.", "COG"),
    ("South Sudan oil.", "SDN"),
    ("Steve Martin starred.", "MAF"),
    ("Martin said it.", "MAF"),
    ("Victoria announced a budget.", "SYC"),
    ("Victoria announced a budget.", "AUS"),
    ("Valencia won the match.", "ESP"),
    ("Valencia won the match.", "VEN"),
    ("Córdoba is hot.", "ARG"),
    ("Córdoba is hot.", "ESP"),
    ("Georgetown University.", "GUY"),
    ("Kingston upon Thames.", "JAM"),
    ("Paris, Texas is small.", "FRA"),
    ("London, Ontario is small.", "GBR"),
    ("Prices in U.S. dollars.", "USA"),
    ("Priced at 5 US dollar each.", "USA"),
    ("It cost US$500.", "USA"),
    ("The Singapore dollar rose.", "SGP"),
    ("The Japanese yen fell.", "JPN"),
    ("Chinese yuan deposits.", "CHN"),
    ("Paid in Indian rupees.", "IND"),
    ("Russian roubles were weak.", "RUS"),
    ("Five billion U.S. dlrs.", "USA"),
    ("British Petroleum bought it.", "GBR"),
    ("British Airways flies there.", "GBR"),
    ("Singapore Airlines flies there.", "SGP"),
    ("Credit Suisse advised.", "CHE"),
    ("Air India flies there.", "IND"),
    ("Royal Dutch Shell drilled.", "NLD"),
    ("Bank of America lent money.", "USA"),
    ("LET US KNOW WHAT YOU THINK", "USA"),
    ("TELL US MORE", "USA"),
    ("Let us know.", "USA"),
    ("IN IT TO WIN", "IND"),
    ("IN IT TO WIN", "ITA"),
    ("IN IT TO WIN", "TON"),
    ("He came to us.", "USA"),
    ("The European Union and ASEAN met.", "EUR"),
    ("Borneo and Kashmir.", "IDN"),
    ("Borneo and Kashmir.", "IND"),
    ("Oil from the Caspian Sea.", "KAZ"),
    ("Member States agreed.", "USA"),
    ("He speaks English.", "GBR"),
    ("A Male nurse.", "MDV"),
    ("Reunion dinner.", "REU"),
    ("Mr. Jordan said.", "JOR"),
    ("Mr Jordan spoke.", "JOR"),
    ("Israel Katz said.", "ISR"),
    ("Kobe Bryant played.", "JPN"),
    ("Naomi Osaka won.", "JPN"),
    ("Denzel Washington starred.", "USA"),
    ("The report was written in Russian.", "RUS"),
    ("A Russian-language newspaper.", "RUS"),
    ("She speaks French fluently.", "FRA"),
    ("Lao Tzu wrote it.", "LAO"),
    ("Soviet-era buildings.", "RUS"),
    ("Soviet era buildings.", "RUS"),
    ("The post-Soviet space.", "RUS"),
    ("Former Soviet republics.", "RUS"),
    ("The former Soviet Union's successor states.", "UKR"),
    ("Java developers.", "IDN"),
    ("Finn Wolfhard acted.", "FIN"),
    ("A Porsche Cayenne.", "GUF"),
    ("Turkish Airlines flies there.", "TUR"),
    ("Brest is a port.", "BLR"),
    ("Brest is a port.", "FRA"),
    ("Newcastle won.", "GBR"),
    ("Newcastle won.", "AUS"),
    ("The Paris Agreement on climate.", "FRA"),
    ("Salaries in Brazilian reais.", "BRA"),
    ("A Kawasaki motorbike.", "JPN"),
]

REGIONS = [
    ("Trade with Europe and Asia grew.", {"Europe", "Asia"}),
    ("Central Asia and Southeast Asia.", {"Central Asia", "Southeast Asia"}),
    ("South-East Asia and the Middle East.", {"Southeast Asia", "Middle East"}),
    ("Latin America and South America.", {"Latin America", "South America"}),
    ("The Balkans and the Caucasus.", {"Balkans", "Caucasus"}),
    ("Gulf states and the Greater Bay Area.", {"Gulf", "Greater Bay Area"}),
    ("The Far East and Sub-Saharan Africa.", {"Far East", "Sub-Saharan Africa"}),
    ("Scandinavia and Eurasia.", {"Scandinavia", "Eurasia"}),
    ("The EU, ASEAN and the G20.", {"European Union", "ASEAN", "G20"}),
    ("The CIS, BRICS and the SCO.", {"CIS", "BRICS", "SCO"}),
    ("The Shanghai Cooperation Organisation met.", {"SCO"}),
    ("Mercosur and the African Union.", {"Mercosur", "African Union"}),
    ("Borneo, Kashmir and the Caspian Sea.", {"Borneo", "Kashmir", "Caspian"}),
    ("Latin American and North American markets.", {"Latin America", "North America"}),
    ("Ships in the Indian Ocean.", {"Indian Ocean"}),
    ("The Korean Peninsula.", {"Korean Peninsula"}),
    ("Kazakhstan and China.", set()),
    ("The eurozone and the euro area.", {"Eurozone"}),
    ("Poverty in sub-Saharan Africa.", {"Sub-Saharan Africa"}),
    ("The Strait of Gibraltar.", {"Strait of Gibraltar"}),
    ("The EC and Comecon talked; the European Community grew.", {"European Union", "Comecon"}),
    ("Trade with the Soviet bloc.", {"Eastern Bloc"}),
]


@pytest.mark.parametrize("text,expected", POSITIVES)
def test_countries_found(text: str, expected: set[str]) -> None:
    assert isos(text) == expected


@pytest.mark.parametrize("text,absent", NEGATIVES)
def test_false_hits_avoided(text: str, absent: str) -> None:
    assert absent not in isos(text)


@pytest.mark.parametrize("text,expected", REGIONS)
def test_regions(text: str, expected: set[str]) -> None:
    assert region_names(text) == expected


@pytest.mark.parametrize("text", ["The European Union met.", "Borneo and Kashmir.", "The Caspian Sea.", "The G20 and ASEAN."])
def test_regions_are_not_countries(text: str) -> None:
    assert isos(text) == set()


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The Kazakh delegation visited Singapore.", [("KAZ", "Kazakh", "demonym"), ("SGP", "Singapore", "name")]),
        ("Officials of the PRC met in Almaty.", [("CHN", "PRC", "alias"), ("KAZ", "Almaty", "city")]),
        ("Hong Kong banks.", [("CHN", "Hong Kong", "city")]),
        ("Papua New Guinea.", [("PNG", "Papua New Guinea", "name")]),
    ],
)
def test_spans_point_at_the_words(text: str, expected: list[tuple[str, str, str]]) -> None:
    mentions = find_countries(text)[0]
    assert [(m.iso3, m.text, m.via) for m in mentions] == expected
    for m in mentions:
        assert text[m.start:m.end] == m.text


def test_city_mention_names_its_place() -> None:
    (m,) = find_countries("Talks in Shenzhen.")[0]
    assert (m.iso3, m.via, m.place) == ("CHN", "city", "Shenzhen")


def test_region_span() -> None:
    text = "Exports to Central Asia rose."
    (r,) = find_countries(text)[1]
    assert (r.name, text[r.start:r.end]) == ("Central Asia", "Central Asia")


def test_mentions_in_text_order_and_non_overlapping() -> None:
    text = "Singapore, Papua New Guinea, the United States and China; Kazakh-Chinese trade."
    mentions = find_countries(text)[0]
    assert [m.iso3 for m in mentions] == ["SGP", "PNG", "USA", "CHN", "KAZ", "CHN"]
    for a, b in zip(mentions, mentions[1:]):
        assert a.end <= b.start


def test_summarise_counts_first_mentioned_first() -> None:
    text = "Kazakhstan and China met. Kazakh and Chinese officials in Astana and Beijing. Singapore too."
    summary = summarise_countries(find_countries(text)[0])
    assert [(c.iso3, c.name, c.mentions) for c in summary] == [
        ("KAZ", "Kazakhstan", 3), ("CHN", "China", 3), ("SGP", "Singapore", 1)]
    assert [text[s:e] for s, e in summary[0].spans] == ["Kazakhstan", "Kazakh", "Astana"]


def test_summarise_empty() -> None:
    assert summarise_countries([]) == []


@pytest.mark.parametrize(
    "query,expected",
    [
        ("Kazakhstan", "KAZ"), ("kazakhstan", "KAZ"), ("KZ", "KAZ"), ("kaz", "KAZ"), ("UK", "GBR"), ("uk", "GBR"),
        ("United States", "USA"), ("U.S.", "USA"), ("us", "USA"), ("Turkey", "TUR"), ("Türkiye", "TUR"),
        ("Korea", "KOR"), ("South Korea", "KOR"), ("North Korea", "PRK"), ("Korea, Republic of", "KOR"),
        ("Indian", "IND"), ("Ivory Coast", "CIV"), ("Cote d'Ivoire", "CIV"), ("Hong Kong", "CHN"), ("Macedonia", "MKD"),
        ("  viet   nam ", "VNM"), ("DRC", "COD"), ("Holland", "NLD"), ("in", "IND"),
        ("Atlantis", None), ("", None), ("   ", None), ("Europe", None), ("XX", None), ("ZZZ", None),
    ],
)
def test_lookup_country(query: str, expected: str | None) -> None:
    assert lookup_country(query) == expected


@pytest.mark.parametrize(
    "iso3,name",
    [("KOR", "South Korea"), ("TUR", "Turkey"), ("RUS", "Russia"), ("IRN", "Iran"), ("KAZ", "Kazakhstan"),
     ("USA", "United States"), ("GBR", "United Kingdom"), ("VNM", "Vietnam"), ("kaz", "Kazakhstan"), ("COD", "DR Congo")],
)
def test_country_name(iso3: str, name: str) -> None:
    assert country_name(iso3) == name


@pytest.mark.parametrize(
    "iso3,region",
    [("KAZ", "Central Asia"), ("SGP", "South-eastern Asia"), ("FRA", "Western Europe"), ("CHN", "Eastern Asia"),
     ("USA", "Northern America"), ("NGA", "Western Africa"), ("BRA", "South America"), ("AUS", "Australia and New Zealand"),
     ("XXX", None), ("", None)],
)
def test_country_region(iso3: str, region: str | None) -> None:
    assert country_region(iso3) == region


def test_all_countries_cover_iso_list_sorted() -> None:
    import pycountry

    rows = all_countries()
    assert {iso for iso, _ in rows} == {c.alpha_3 for c in pycountry.countries}
    names = [n for _, n in rows]
    assert names.index("Afghanistan") < names.index("Kazakhstan") < names.index("Zimbabwe")
    assert all(country_region(iso) for iso, _ in rows)
    assert ("TUR", "Turkey") in rows


def test_every_country_is_found_by_its_name() -> None:
    missed = []
    for iso, name in all_countries():
        if iso in ("ATA",):  # a continent, reported as a region
            continue
        got = isos(f"Officials from {name} arrived.")
        if got != {lookup_country(name)}:
            missed.append((iso, name, got))
    assert missed == []


@pytest.mark.parametrize(
    "text",
    ["", " ", "\u200f\u200e", "\u200b" * 50, "e\u0301" * 20, "１２３ ＵＳ", "12\xa0345", "\x00\ud7ff", "U.S" * 1000,
     "Guinea-", "-Sino", "Sino-", "US$", "Georgia", "Jordan", ",", "Paris,", "Air"],
)
def test_odd_input_never_raises(text: str) -> None:
    countries, regions = find_countries(text)
    assert isinstance(countries, list) and isinstance(regions, list)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    countries, _ = find_countries(text)
    for m in countries:
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("value", [None, 5, b"US"])
def test_non_strings_are_handled(value) -> None:
    assert find_countries(value) == ([], [])
    assert lookup_country(value) is None
    assert country_region(value) is None


# A bare "Georgia" in a story set in the US is the state; with Caucasus context it is the country.
@pytest.mark.parametrize(
    "text, expected",
    [
        ("LAREDO, Texas - Exports rose. Georgia poultry producers sell abroad.", {"USA"}),
        ("Hyundai opened a plant near Savannah, Georgia. Suppliers opened sites in Georgia.", {"USA"}),
        ("Georgia and Armenia signed a transit deal. Georgia will expand its ports.", {"GEO", "ARM"}),
        ("Tbilisi hopes trade with Texas grows; Georgia exports wine.", {"GEO", "USA"}),
        ("The plant is in Thai Nguyen province, north of Hanoi.", {"VNM"}),
    ],
)
def test_document_level_disambiguation(text, expected):
    from data_prep.extract.countries import find_countries

    assert {m.iso3 for m in find_countries(text)[0]} == expected


# Wire copy that lost its capitals: country names and demonyms in small letters are read, the
# words they share with ordinary English are not, and mentions quote the text as written.
_LOWERCASE_WIRE = ("caracas, june 1 - venezuela has obtained new credits.\n"
                   "the credit agreement will be signed with the german state bank.\n"
                   "one credit came from credit du nord of france.\n"
                   "officials said the turkey and polish sausage prices rose.\n")


@pytest.mark.parametrize("text, expected", [
    (_LOWERCASE_WIRE, {"VEN", "DEU", "FRA"}),
    # ordinary capitalised prose: small-letter words stay words
    ("Venezuela obtained credits. The turkey was roasted; the polish was fresh. Officials agreed.",
     {"VEN"}),
    # one small-letter line is not text that lost its capitals
    ("Venezuela obtained credits from France.\nsee also: germany travel tips", {"VEN", "FRA"}),
])
def test_text_that_lost_its_capitals(text: str, expected: set[str]) -> None:
    mentions, _ = find_countries(text)
    assert {m.iso3 for m in mentions} == expected
    assert all(text[m.start:m.end] == m.text for m in mentions)
