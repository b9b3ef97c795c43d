import pytest

from data_prep.text.sentences import sentence_at, split_sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Smith met Dr. Jones in the U.S. capital. They signed a deal.",
         ["Mr. Smith met Dr. Jones in the U.S. capital.", "They signed a deal."]),
        ("Trade rose 5.5% in Jan. 2024. Exports fell.", ["Trade rose 5.5% in Jan. 2024.", "Exports fell."]),
        ("Headline without stop\nFirst sentence here. Second one!", ["Headline without stop", "First sentence here.", "Second one!"]),
        ('"We agree," he said. The talks ended.', ['"We agree," he said.', "The talks ended."]),
        ("", []),
        ("... !!! ...", []),
    ],
)
def test_split(text, expected):
    assert [s.text for s in split_sentences(text)] == expected


def test_hard_wrapped_wire_copy_joins_lines():
    text = (
        "JAPAN AND CHINA AGREE\n    TOKYO, March 2 - Japan has agreed to\nbuy more coal from China, officials\n"
        "said on Monday.\n    The deal covers five\nyears and was signed in\nBeijing by both sides.\n"
    )
    got = [s.text for s in split_sentences(text)]
    assert got == [
        "JAPAN AND CHINA AGREE",
        "TOKYO, March 2 - Japan has agreed to buy more coal from China, officials said on Monday.",
        "The deal covers five years and was signed in Beijing by both sides.",
    ]


def test_offsets_point_into_text_and_sentence_at():
    text = "One sentence here. Another sentence there.\n\nA third."
    sents = split_sentences(text)
    for s in sents:
        assert " ".join(text[s.start:s.end].split()) == s.text
        assert sentence_at(sents, s.start) == s.index
        assert sentence_at(sents, s.end - 1) == s.index
    assert sentence_at(sents, len(text) + 5) == -1
