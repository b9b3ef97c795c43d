"""Page furniture is told apart from the body by general rules, in several languages."""
import pytest

from data_prep.text.furniture import mask, split_page


def _furniture_lines(text: str) -> list[str]:
    page = split_page(text)
    return [text[s:e].strip() for s, e in page.furniture]


BODY = "Brazil and Chile signed a lithium agreement worth $2 billion on Monday, officials said."


@pytest.mark.parametrize(
    "line",
    [
        "Heute 291", "Gestern 791", "Insgesamt 39481815", "Views: 1 204", "Сегодня 15",
        "Share", "Share this article", "Send this to a friend", "Found an error in the text?",
        "Select the error and press Ctrl + Enter at the same time.", "Teilen", "Partager", "Поделиться",
        "Photo: gov.kz", "Images | primeminister.kz", "Фото: пресс-служба", "Foto: dpa",
        "Copyright 2024 Example News. All rights reserved.", "© 2023 Daily Planet",
        "Tel: +7 7172 000000", "Fax: 555-0100", "By Maria Lopez, Reuters", "REUTER",
        "Quelle/Source: Asia Business Wire, 02.01.2024", "Source: Daily Mail, 03.03.2021",
        "eTrade Research since 2001 | eHandel Forschung seit 2001", "Bitte besuchen Sie/Please visit:",
        "Zum Seitenanfang", "28.11.2023, 11:11 157556", "Samstag, 27.07.2024", "26-FEB-1987 18:46:50.23",
        "We use cookies to improve your experience.", "Advertisement", "157556",
        "**Meistgelesen:** Norwegen startet Speicher · Chile vergibt Lizenzen", "Related: Japan posts surplus",
    ],
)
def test_furniture_lines_are_found(line):
    text = f"Lithium deal signed\n\n{BODY}\n\n{line}\n\n{BODY}"
    assert line in _furniture_lines(text)


@pytest.mark.parametrize(
    "line",
    [
        BODY,
        "BAKU, Azerbaijan, Aug. 20 - Azerbaijan and Turkey agreed to expand gas supplies.",
        "Share prices of Kazakh banks rose 5% after the deal with China.",
        "By signing the agreement on Tuesday, the prime ministers overcame the problem.",
        "Photos of the ceremony showed the ministers of Kenya and Ethiopia shaking hands as they signed.",
        "The source said the deal was worth $5 billion.",
        "Most of the investment will come from Japan, the minister said.",
        "20 years from 1989, a Pertamina spokesman said.",
    ],
)
def test_body_lines_are_not_furniture(line):
    text = f"Lithium deal signed\n\n{line}\n\n{BODY}"
    assert line not in _furniture_lines(text)


def test_related_list_at_the_end_is_furniture_to_its_end():
    text = (
        "Chile, Australia sign lithium pact\n\n" + (BODY + " ") * 6 + "\n\nRelated news\n"
        "France and Germany discuss defence budget\nJapan posts record trade surplus\n\nMost viewed\n"
        "Argentina wins the cup\n"
    )
    lines = _furniture_lines(text)
    for line in ("Related news", "France and Germany discuss defence budget", "Japan posts record trade surplus",
                 "Most viewed", "Argentina wins the cup"):
        assert any(line in l for l in lines), line


@pytest.mark.parametrize(
    "text, title",
    [
        (" date 2022-08-17 17 August 2022 15:42\n\nChile, Australia sign lithium pact\n\n" + BODY, "Chile, Australia sign lithium pact"),
        ("We are updating our site. Kindly bear with us.\n\nKenya, Ethiopia Ink Power Deal\n\n" + BODY, "Kenya, Ethiopia Ink Power Deal"),
        ("2-MAR-1987 04:28:59.85\n\nJAPAN BUYS 95,000 TONNES OF WHEAT\n    TOKYO, March 2 - " + BODY, "JAPAN BUYS 95,000 TONNES OF WHEAT"),
        ("ASTANA – " + BODY * 3, None),
    ],
)
def test_title(text, title):
    assert split_page(text).title == title


def test_given_title_wins():
    assert split_page("Some line\n\n" + BODY, title="From metadata").title == "From metadata"


def test_mask_keeps_length_and_newlines():
    text = "Heute 291\nBody line here.\nShare\n"
    page = split_page(text)
    masked = mask(text, page.furniture)
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")
    assert "Heute" not in masked and "Share" not in masked and "Body line here." in masked
