"""Numbers as printed in news text: digits with any common grouping, number words, scales.

Kept apart from `figures` so that the same reading of "22,201bn" or "half a billion" serves
every extractor. All regexes are compiled once per language; the word tables come from the
language data (`lexicon.number_words`: the spelled-out numbers of the article's language, scale
and percent words of every language).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

from data_prep.lexicon import DEFAULT_LANGUAGE, number_words
from data_prep.text.tries import trie_pattern

# Length-preserving clean-up: offsets found in the cleaned text are offsets in the original.
_TRANSLATE = {ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")}
_TRANSLATE.update({ord(c): ord(r) for c, r in {
    "，": ",", "．": ".", "％": "%", "＄": "$", "−": "-", "‐": "-", "‑": "-", "‒": "-",
    "\u200b": " ", "\u200c": " ", "\u200d": " ", "\u2060": " ", "\ufeff": " ",
    "\u200e": " ", "\u200f": " ", "\u202a": " ", "\u202b": " ", "\u202c": " ",
    "\u202d": " ", "\u202e": " ", "\u2066": " ", "\u2067": " ", "\u2068": " ", "\u2069": " ",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
    "\u2008": " ", "\u200a": " ", "\u3000": " ",
}.items()})
_ODD = re.compile("[" + "".join(re.escape(chr(c)) for c in _TRANSLATE) + "]")


def normalize(text: str) -> str:
    """Same length as `text`: full-width digits to ASCII, odd spaces and marks to a space,
    Unicode minus and hyphens to "-". Lets one set of ASCII regexes read every article."""
    if text.isascii():
        return text
    return _ODD.sub(_swap, text)  # few hits; translate() walks every character


def _swap(m: re.Match) -> str:
    return chr(_TRANSLATE[ord(m.group(0))])


def tables(lang: str = DEFAULT_LANGUAGE) -> dict:
    """The number-word tables of a language (read once by the lexicon)."""
    return number_words(lang)


class _Spelling(NamedTuple):
    """How a language's number words are told apart from the letters around them."""

    not_before: str  # what may not stand right before a number word
    not_after: str  # ... nor right after one
    word_run: re.Pattern  # one word of a run of number words


@lru_cache(maxsize=None)
def _spelling(lang: str) -> _Spelling:
    """ASCII letters for a language whose number words are all ASCII (English: the text is
    read lower-cased in ASCII), any letter for one with others ("fünf", "zwölf")."""
    t = tables(lang)
    if all(w.isascii() for w in [*t["units"], *t["tens"], *t["phrases"], *t["hundreds"]]):
        return _Spelling("[a-z0-9]", "[a-z]", _WORD_RUN)
    return _Spelling(r"[^\W_]", r"[^\W\d_]", re.compile(r"[^\W\d_]+"))


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Digits: English grouping (1,234.5), spaced grouping (1 234 567), European (1.234.567,8),
# plain (1234, 12.5, 12,5). Starts with a digit, so a scan for it is fast; callers check
# that it does not start inside another number.
DIGITS = (
    r"(?:"
    r"\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?"
    r"|\d{1,3}(?: \d{3})+(?![\d,.]\d)(?!\d)"
    r"|\d{1,3}(?:\.\d{3}){2,}(?!\d)(?:,\d+)?"
    r"|\d+(?:[.,]\d+)?"
    r")"
)


_ASCII_LOWER = {c: c + 32 for c in range(65, 91)}


def ascii_lower(text: str) -> str:
    """Lower case with the same length as `text` (str.lower() can lengthen a few letters)."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


@lru_cache(maxsize=None)
def word_starts_re(lang: str = DEFAULT_LANGUAGE) -> re.Pattern:
    """Fast first pass for `words_pattern`: where a number word or phrase starts."""
    t = tables(lang)
    return re.compile(r"\b(?:" + trie_pattern(list(t["units"]) + list(t["tens"]) + list(t["phrases"])) + r")\b")


@lru_cache(maxsize=None)
def words_pattern(lang: str = DEFAULT_LANGUAGE) -> str:
    """Regex source for a run of number words ("twenty-five", "one hundred and two",
    "half a billion", "a dozen", "drei Milliarden"), to run on `ascii_lower` text; read with
    `parse_words`."""
    t = tables(lang)
    before, after = _spelling(lang)[:2]
    small = trie_pattern(list(t["units"]) + list(t["tens"]))
    scale = trie_pattern([w for w in t["scales"] if w not in t["glued_only"] and len(w) > 2] + t["hundreds"])
    phrases = "|".join(r"\s+".join(p.split()) for p in sorted(t["phrases"], key=len, reverse=True))
    return (
        rf"(?<!{before})(?:(?:{phrases})(?!{after})"
        rf"|(?:{small})(?!{after})(?:(?:[\s-]+|\s+and\s+)(?:{small}|{scale})(?!{after}))*)"
    )


@lru_cache(maxsize=1)
def _scale_re() -> re.Pattern:
    t = tables()
    glued = _alt(t["glued_only"])
    spaced = _alt([w for w in t["scales"] if w not in t["glued_only"] and w != "hundred"])
    # "mln"/"bn" may follow a space, "m"/"b"/"k" only glued ("$240m", "110m tons").
    return re.compile(rf"(?:(?:[ \t]*\n?[ \t]*-?[ ]?)(?:{spaced})|(?:{glued}))(?![a-zA-Z])", re.I)


def match_scale(text: str, pos: int) -> Optional[tuple[float, int]]:
    """Scale word right at `pos` ("bn", " million", "m"): (multiplier, end) or None."""
    m = _scale_re().match(text, pos)
    if not m:
        return None
    word = m.group(0).strip(" -\t\n").lower()
    value = tables()["scales"].get(word)
    return (float(value), m.end()) if value else None


def parse_digits(token: str) -> Optional[float]:
    """'1,234.5' -> 1234.5, '1 234' -> 1234, '1.234.567,8' -> 1234567.8, '12,5' -> 12.5.
    A single '.' is a decimal point ('12.011 trillion'); a single ',' before exactly three
    digits groups thousands, otherwise it is a decimal comma."""
    s = token.strip().replace(" ", "")
    if not s:
        return None
    try:
        if s.count(".") > 1:  # European grouping
            return float(s.replace(".", "").replace(",", "."))
        if "," in s:
            head, _, tail = s.rpartition(",")
            if "." in s or len(tail) == 3:
                return float(s.replace(",", ""))
            if s.count(",") == 1:
                return float(head + "." + tail)
            return None
        return float(s)
    except ValueError:
        return None


@lru_cache(maxsize=None)
def _phrase_re(lang: str) -> re.Pattern:
    phrases = sorted(tables(lang)["phrases"], key=len, reverse=True)
    return re.compile("(?:" + "|".join(r"\s+".join(p.split()) for p in phrases) + r")\b")


_WORD_RUN = re.compile(r"[a-z]+")
_GAP = re.compile(r"[\s-]+")


def parse_words(token: str, lang: str = DEFAULT_LANGUAGE) -> Optional[tuple[float, int]]:
    """Value of the longest valid number-word run at the start of `token` and its length
    in characters: 'twenty-five' -> 25, 'one hundred and two' -> 102, 'half a billion'
    -> 5e8, 'two and three' -> (2, 3), 'drei Milliarden' (in German) -> 3e9. None when the
    token starts with no number word of the language."""
    t = tables(lang)
    low = token.lower()
    m = _phrase_re(lang).match(low)
    if m:
        return float(t["phrases"][" ".join(m.group(0).split())]), m.end()
    units, tens, scales, hundreds = t["units"], t["tens"], t["scales"], t["hundreds"]
    total = current = 0
    last = None  # kind of the previous token: unit | ten | hundred | scale | and
    end = pos = 0
    for m in _spelling(lang).word_run.finditer(low):
        w = m.group(0)
        if pos and not _GAP.fullmatch(low, pos, m.start()):
            break
        pos = m.end()
        if w == "and":
            if last not in ("hundred", "scale"):
                break
            last = "and"
            continue
        if w in units:
            if last == "unit" or (last == "ten" and not 1 <= units[w] <= 9):
                break
            current += units[w]
            last = "unit"
        elif w in tens:
            if last in ("unit", "ten"):
                break
            current += tens[w]
            last = "ten"
        elif w in hundreds:
            if last not in ("unit", "ten") or current >= 100:
                break
            current *= 100
            last = "hundred"
        elif w in scales and w not in t["glued_only"] and len(w) > 2:
            if last in (None, "and", "scale"):
                break
            total += current * scales[w]
            current = 0
            last = "scale"
        else:
            break
        end = m.end()
    if not end:
        return None
    return float(total + current), end


def parse_number(text: str) -> Optional[float]:
    """Whole-string reading of a number with optional scale: '1.5 million' -> 1.5e6,
    '22,201bn' -> 2.2201e13, 'twenty-five' -> 25, '₹' or '' -> None. Never raises."""
    try:
        s = normalize(text).strip()
        m = re.match(DIGITS, s)
        if m:
            value = parse_digits(m.group(0))
            end = m.end()
        else:
            got = parse_words(s)
            if not got:
                return None
            value, end = got
        if value is None:
            return None
        sc = match_scale(s, end)
        if sc:
            value, end = value * sc[0], sc[1]
        return value if not s[end:].strip() else None
    except Exception:  # noqa: BLE001 - bad input must never raise
        return None
