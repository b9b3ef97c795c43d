"""Partnerships need evidence: a clause naming both countries and a cooperation cue, with no
conflict, speculation or comparison ruling it out. Table of sentences -> expected pairs."""
import pytest

from data_prep.service import extract
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
        ("He cited 52 Kazakh-Chinese investment projects valued at over $21 billion.", {("CHN", "KAZ")}),
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
        # a sports word or an everyday phrase beside a signed deal does not veto it
        ("Brazil and Argentina signed a trade agreement on the eve of the final match.", {("ARG", "BRA")}),
        ("Kenya and Ethiopia signed a power deal as both face a drought.", {("ETH", "KEN")}),
        # relations described as cold are no cooperation
        ("Relations between Lithuania and Belarus remain icy.", set()),
        ("Ties between Kosovo and Serbia have soured.", set()),
        ("The summit will be attended by leaders from Chile and Peru.", set()),
        ("Kazakhstan and Singapore signed an MoU in Dubai on Monday.", {("KAZ", "SGP")}),
        # co-objects are each the subject's partner, not each other's
        ("Japan has similar agreements with Australia and the United Kingdom.", {("AUS", "JPN"), ("GBR", "JPN")}),
        # a list in an object's or owner's place shares a role, it is no deal between its members
        ("Japan will invest in aluminium plants to develop the economies of Indonesia and Brazil.",
         {("BRA", "JPN"), ("IDN", "JPN")}),
        ("The creditors agreed to a rescheduling of Uganda's and Mozambique's bilateral debts.", set()),
        ("The new regional office supports work covering Lesotho and Eswatini.", set()),
        ("The oil pipeline project runs through Serbia, Hungary and Austria.", set()),
        ("Officials said the Canadian and Israeli pacts should spur trade.", set()),
        # ... but a meeting or a joint body of the listed countries is reciprocal, and so is
        # what their leaders or governments do together
        ("The presidents of Kenya and Uganda signed a rail agreement.", {("KEN", "UGA")}),
        ("The governments of Chile and Peru agreed to cooperate on lithium.", {("CHL", "PER")}),
        ("The summit of the leaders of Japan, the Philippines and the United States agreed to cooperate on ports.",
         {("JPN", "PHL"), ("JPN", "USA"), ("PHL", "USA")}),
        ("An alliance of India, Australia and Japan will co ordinate the relief drive.",
         {("AUS", "IND"), ("AUS", "JPN"), ("IND", "JPN")}),
        ("Talks between Peru and Mexico on silver prices ended on Friday.", {("MEX", "PER")}),
        # options and requests that 'may' come are not cooperation; a city in a body's name or a
        # dateline is no partner; 'foreign exchange' is no exchange between countries
        ("Among the options are for Mexico to supply Ecuador's clients.", set()),
        ("Officials said Saudi Arabia may ask Britain to restore relations with Syria.", set()),
        ("PARIS, June 19 - The Paris Club agreed to reschedule Gabon's debts.", set()),
        ("A U.S. banker said China's foreign exchange reserves stood at 10 billion dlrs.", set()),
        ("Britain stressed its concern over alleged abuses by Israel.", set()),
        # a demonym before a compound actor noun acts ('car maker'); before goods it is an origin
        ("Japanese car maker Mitsubishi has struck a deal to supply French car maker Peugeot with vans.",
         {("FRA", "JPN")}),
        ("The shop sold French cheese and Italian wine.", set()),
        # a firm whose country the text gives once stands for it when named again
        ("Japanese car maker Mitsubishi Motors cut its forecast. Mitsubishi Motors then signed a "
         "supply deal with Brazil.", {("BRA", "JPN")}),
        ("Mitsubishi Motors cut its forecast. Mitsubishi Motors then signed a supply deal with Brazil.",
         set()),  # no country given for the firm: no pair
        # in a story about one country, goods or money sent to or from another pair the two
        ("Australia expects meat exports to rise. Australian producers sold more beef. Australia's "
         "farmers said so. Live sheep shipped last year to Saudi Arabia rose to three million.",
         {("AUS", "SAU")}),
        # ... but a trip to a city is no trade, and a country only compared is no partner
        ("Australia expects meat exports to rise. Australian producers sold more beef. Australia's "
         "farmers said so. The minister will fly to Washington to meet investors.", set()),
        ("Australia expects meat exports to rise. Australian producers sold more beef. Australia's "
         "farmers said so. Brazil's beef exports to the world also rose.", set()),
        # a currency prefix names no country
        ("Kenya will receive a US$ 50 million loan, officials said.", set()),
        ("The US$ 2 billion deal between Peru and Chile was signed.", {("CHL", "PER")}),
        # an opening condition is its own clause; a condition on the pair itself still rules it out
        ("If the talks prove successful, the Nigerian team will hold similar talks with French officials.",
         {("FRA", "NGA")}),
        ("Kenya will sign the deal with Uganda if the talks succeed.", set()),
        # a standing relationship is a partnership; a country ranked after a superlative is not
        ("Japan and Australia are long-standing trade partners.", {("AUS", "JPN")}),
        ("China is the largest source of investment in Vietnam after Japan.", {("CHN", "VNM")}),
        ("Japan and Australia are rivals in the wool market.", set()),
        # a leader whose country the text gives once acts for it when named again
        ("Pakistani Prime Minister Shehbaz Sharif arrived on Monday. Later, Sharif signed a trade "
         "agreement with Vietnam.", {("PAK", "VNM")}),
        ("Kazakh President Kassym-Jomart Tokayev met reporters. Tokayev then signed a deal with Qatar.",
         {("KAZ", "QAT")}),
        ("Prime Minister Shehbaz Sharif arrived on Monday. Later, Sharif signed a trade agreement "
         "with Vietnam.", set()),  # no country given for him: no pair
        # a hyphenated compound before a joint noun links its countries
        ("The sides reviewed the China-Kyrgyzstan-Uzbekistan railway.", {("CHN", "KGZ"), ("CHN", "UZB"), ("KGZ", "UZB")}),
        ("The India-Pakistan border was quiet.", set()),
        # rankings, sources and rivals are not partners
        ("Guyana tops the table with growth of 10 percent, followed by Senegal, whose oil exports rise.", set()),
        ("Vietnam competes with India and Indonesia for new electronics projects.", set()),
        ("Freight rose 63% this year, according to Georgian Railway and Chinese customs.", set()),
        ("The Philippines and Japan signed a pact as both countries face an assertive China.", {("JPN", "PHL")}),
        ("Chile did not sign the trade agreement with Peru.", set()),
        # a group acting together: partners with each other only when the act is mutual
        ("Japan and the United Arab Emirates pledged emergency aid to Tanzania on Sunday.", {("ARE", "TZA"), ("JPN", "TZA")}),
        ("Australia, New Zealand pledge cyclone aid to Fiji", {("AUS", "FJI"), ("FJI", "NZL")}),
        ("Turkmenistan, Afghanistan and Pakistan signed a protocol on the Turkmenistan-Afghanistan-Pakistan-India pipeline.",
         {("AFG", "PAK"), ("AFG", "TKM"), ("PAK", "TKM")}),
        ("Delegates from Japan, Kazakhstan and South Korea attended the meeting as observers.", set()),
        ("Bangladesh is in talks with Bhutan to buy hydropower across Indian territory.", {("BGD", "BTN")}),
        ("The shooting happened near the point where Thailand, Cambodia and Laos meet.", set()),
        ("Thai, Cambodian troops exchange fire at disputed border", set()),
        # an aside does not split the main clause, and its countries are not actors
        ("Ghana and Côte d'Ivoire, which together grow most of the world's cocoa, agreed to set a common price.",
         {("CIV", "GHA")}),
        ("Argentina and Bolivia, which together with Chile make up the lithium triangle, are courting investors.", set()),
        # a dateline city is no partner of the story's actors
        ("NAIROBI — Japan and the UAE pledged emergency aid to Kenya on Sunday.", {("ARE", "KEN"), ("JPN", "KEN")}),
        ("Venezuela, long Cuba's main supplier, cut deliveries in September.", {("CUB", "VEN")}),
        # actors before the cooperation word, their counterparts after it
        ("SOVIET UNION BUYS U.S. CORN, CANADIAN AND ARGENTINE WHEAT", {("ARG", "RUS"), ("CAN", "RUS"), ("RUS", "USA")}),
        ("Egyptian officials said they had held talks with Saudi Arabia and Kuwait on support.",
         {("EGY", "KWT"), ("EGY", "SAU")}),
        ("Japan signed its first free trade deal, with Singapore, and concluded talks with Mexico.",
         {("JPN", "MEX"), ("JPN", "SGP")}),
        # goods of several origins are no partnership; an origin beside an actor is
        ("The list includes French cheese, Italian wine, Danish ham and German beer.", set()),
        ("Japanese importers bought 95,000 tonnes of Chinese soybeans.", {("CHN", "JPN")}),
        # a city naming the talks is their venue; rankings after a superlative; exchange rates
        ("Japanese banks said they would join the New York talks.", set()),
        ("Mexico's debt is the second largest in the developing world after Brazil's.", set()),
        ("China's reserves rose to $610bn, second only to Japan's.", set()),
        ("The US said China should move to a flexible exchange rate.", set()),
        # a list of buyers or donors deals with the country the text is about, not with itself
        ("Ghana exports cocoa. Its biggest buyers were the Netherlands, Malaysia and the United States.",
         {("GHA", "MYS"), ("GHA", "NLD"), ("GHA", "USA")}),
        ("Malawi needs aid. The UK will provide £20 million, Germany €35 million and Japan $12 million in grants.",
         {("DEU", "MWI"), ("GBR", "MWI"), ("JPN", "MWI")}),
        # membership lists, ranking after a superlative with its list, a new subject after ", and"
        ("Ecuador wants to join the Pacific Alliance, whose other members are Chile, Colombia, Peru and Mexico.", set()),
        ("Its hydropower potential is the third largest after Russia and Tajikistan, and Chinese firms are invited.",
         set()),
        ("India extended $4bn in credit to Sri Lanka, and China is the country's largest creditor.", {("IND", "LKA")}),
        ("The forum brought together entrepreneurs from Senegal, Mali, Guinea and Mauritania.", set()),
        ("Turkish Trade Minister Omer Bolat spoke of Mali and Guinea.", set()),  # a title is no trade
        # 'its' refers to the country before; an aside is a clause of its own; a pledge of aid
        ("Belarus has turned towards Moscow. Its trade with China doubled last year.", {("BLR", "CHN")}),
        ("Solomon Islands, which has had a policing deal with China since 2022, did not sign anything.",
         {("CHN", "SLB")}),
        ("Tonga received a pledge of NZ$15 million from New Zealand for a new wharf.", {("NZL", "TON")}),
        ("Britain, Germany and Japan pledged $180 million in emergency support for Malawi.",
         {("DEU", "MWI"), ("GBR", "MWI"), ("JPN", "MWI")}),
        # one builder, one client: a firm whose country the text gives
        ("Russia's Rosatom will build the plant for Egypt.", {("EGY", "RUS")}),
        ("The project aims to ship Russian oil through Turkish ports.", set()),
        ("Pakistan will press ahead with a pipeline to carry Iranian gas to India, despite objections from Washington.",
         {("IND", "PAK"), ("IRN", "PAK")}),
        ("The railway runs to Paga, on the border with Burkina Faso, under the deal with China.", set()),
        # two sources (or two recipients), each in its own phrase, are parallel, not partners
        ("Kenya has obtained two new credits, one from a state bank of France and the other from "
         "a private bank of Japan.", {("FRA", "KEN"), ("JPN", "KEN")}),
        ("Peru secured loans worth $90m from a fund of Spain and from a lender of Korea.",
         {("ESP", "PER"), ("KOR", "PER")}),
        ("New credit lines were opened, one from a state bank of France and the other from a "
         "private bank of Japan.", set()),
        ("Grain shipments went to a mill of Egypt and to a bakery of Kenya.", set()),
        # 'a stake in X' names a counterpart, 'talks in X' a venue
        ("German carmaker Volkswagen, a 30% shareholder in Japan's Suzuki, is pleased.", {("DEU", "JPN")}),
        ("US and German banks, shareholders in Japan's Suzuki, are pleased.", {("DEU", "JPN"), ("JPN", "USA")}),
        ("US and German officials held talks in Japan on Friday.", {("DEU", "USA")}),
        # a compound act is its head: 'trade talks' are talks between the subjects ...
        ("Iceland and Chile held trade talks on Friday.", {("CHL", "ISL")}),
        ("Iceland and Chile signed an investment accord.", {("CHL", "ISL")}),
        # the host of a gathering of many is no partner of those who meet there ('in Jaipur,
        # India' takes the city's role), while a bilateral visit's host still is
        ("The deal was signed by Australian and Indonesian ministers on the sidelines of the G20 "
         "meeting in Jaipur, India.", {("AUS", "IDN")}),
        ("Australian ministers signed a trade pact at a summit in Jaipur, India.", set()),
        # the countries a route crosses are landmarks, however many; the owner of the route
        # it passes through is a partner
        ("Kenyan officials discussed a planned gas line crossing Serbia, Hungary and Austria.", set()),
        ("Serbia imports all of its crude through Croatia's JANAF pipeline.", {("HRV", "SRB")}),
        # a project word names a group's joint thing only right after it
        ("Albania, Bulgaria and Greece pipeline project moves ahead.",
         {("ALB", "BGR"), ("ALB", "GRC"), ("BGR", "GRC")}),
        ("Italy, Greece and Bulgaria already receive gas through the Trans Adriatic Pipeline.", set()),
        # the agents of a passive mutual act are its parties; a passive that is no mutual act
        # keeps its list apart
        ("The deal was signed by Australian and Indonesian ministers on Monday.", {("AUS", "IDN")}),
        ("The port deal was financed by Japan and Korea for Peru.", {("JPN", "PER"), ("KOR", "PER")}),
        ("Australian ministers held talks in New Delhi, India on trade.", {("AUS", "IND")}),
        # 'more than $15 billion' is a quantity, 'more than South Korea' a comparison
        ("Indonesia attracted more than $15 billion in investment from South Korea's LG.",
         {("IDN", "KOR")}),
        ("Indonesia attracted more investment than South Korea from China.", {("CHN", "IDN")}),
        # ... while a pledge to a third country stays a pledge
        ("Japan and the UAE pledged trade support to Egypt.", {("EGY", "JPN"), ("ARE", "EGY")}),
        # ... while a source and a recipient of one flow are partners
        ("A trade deal ships wheat from a port of Canada to a mill of Egypt.", {("CAN", "EGY")}),
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
