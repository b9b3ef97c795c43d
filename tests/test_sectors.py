import pytest

from data_prep.extract.sectors import find_sectors, sector_names


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Projects relating to AI, digital solutions and talent", ["digital and ICT", "AI", "education and talent"]),
        ("a smart city pilot and an oil pipeline", ["energy", "smart city"]),
        ("IMF loans and bilateral trade turnover", ["trade", "finance"]),
        ("Visa-free travel will boost tourism", ["tourism"]),
        ("He said the aid would help; she said it again.", []),  # "aid" is not AI: acronyms are case-sensitive
        ("", []),
    ],
)
def test_find_sectors(text, expected):
    assert find_sectors(text) == expected


def test_sector_names_are_the_taxonomy():
    assert sector_names()[:3] == ["trade", "investment", "energy"]
    assert len(sector_names()) == len(set(sector_names())) == 15
