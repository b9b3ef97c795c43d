"""Figures in news text: money (amount and ISO 4217 currency), percentages and counts of things.

One pass of a compiled regex finds digit candidates (dates, times, phone numbers, ordinals
and decades are matched by the same regex first, so their digits are never read as amounts)
and one more finds number words. Each candidate is then read from its neighbours: a currency before or after makes
money, a percent word a percentage, a head noun a count; everything else (years, durations,
model names, anaphoric "the two countries", bare numbers) is dropped, as GOLD_FORMAT asks.
Word lists live in `data/figure_words.json`, currencies in `data/currencies.csv`; month, number,
scale and percent words, count plurals and currency names of each language come from the
language data (`lexicon.py`, `data/lang/<code>/`).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Optional, Sequence

from data_prep.extract.numbers import (DIGITS, ascii_lower, match_scale, normalize, parse_digits, parse_words,
                                       word_starts_re, words_pattern)
from data_prep.data_files import read_csv, read_json
from data_prep.lexicon import (DEFAULT_LANGUAGE, Language, currency_names, language, month_words, number_words,
                               resolve_language)
from data_prep.records import Figure
from data_prep.text.tries import trie_pattern

_MAX_TEXT = 2_000_000  # characters read per article; longer input is cut, never an error


# --------------------------------------------------------------------------- word tables
@lru_cache(maxsize=1)
def _words() -> dict:
    d = read_json("figure_words.json")
    out = {k: (set(v) if isinstance(v, list) else v) for k, v in d.items() if not k.startswith("_")}
    out["compound_heads"] = set(out["compound_heads"])
    return out


@dataclass(frozen=True)
class _Cur:
    code: str
    countries: tuple[str, ...]


@lru_cache(maxsize=1)
def _currencies() -> dict[str, dict[str, list[_Cur]]]:
    """kind -> form -> rows. Kinds: before (case-sensitive), after_cs (case-sensitive),
    after_ci (lower-cased names), risky (codes needing mixed-case text)."""
    out: dict[str, dict[str, list[_Cur]]] = {"before": {}, "after_cs": {}, "after_ci": {}, "risky": {}}
    for r in read_csv("currencies.csv"):
        cur = _Cur(r["code"], tuple(c for c in r["countries"].split("|") if c))
        kind = r["kind"]
        for form in r["forms"].split("|"):
            targets = {
                "prefix": ("before",), "suffix": ("after_cs",), "symbol": ("before", "after_cs"),
                "code": ("before", "after_cs"), "code-risky": ("risky",), "name": ("after_ci",),
            }.get(kind, ())
            for t in targets:
                key = form.lower() if t == "after_ci" else form
                out[t].setdefault(key, []).append(cur)
    for code, names in currency_names().items():  # CLDR's names in other languages ("US-Dollar")
        for name in names:
            out["after_ci"].setdefault(name, [_Cur(code, ())])
    return out


def _resolve(rows: Optional[list[_Cur]], countries: Sequence[str]) -> Optional[str]:
    """The code a currency form means in an article naming `countries` (in order)."""
    if not rows:
        return None
    for iso in countries:
        for r in rows:
            if iso in r.countries:
                return r.code
    for r in rows:
        if not r.countries:
            return r.code
    return None


# --------------------------------------------------------------------------- candidate regex
_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
           r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
           r"|JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?"
           r"|SEPT?(?:EMBER)?|OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?)")
_SKIP = (
    r"\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?"  # ISO date (and time)
    r"|\d{1,2}(?P<sep>[./-])\d{1,2}(?P=sep)\d{2,4}\b"  # 28.11.2023, 1/2/2024
    r"|\d{1,2}-(?-i:[A-Z][A-Za-z]{2})-\d{2,4}\b"  # 2-MAR-1987
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}}(?:st|nd|rd|th)?)?\s+(?:of\s+)?(?-i:{_MONTHS})\b\.?(?:,?\s+\d{{4}})?"
    r"|\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\b\.?)?"  # times
    r"|\d{1,2}(?:\.\d{2})?\s*[ap]\.m\.|\d{1,2}(?:\.\d{2})?\s*[ap]m\b"
    r"|\+\d{1,3}[\s-]?\(?\d{1,5}\)?(?:[\s-]?\d{2,4}){2,}"  # phone numbers
    r"|\(\d{2,5}\)\s?\d{2,4}[\s-]\d{2,4}(?:[\s-]\d{2,4})?"
    r"|\d+(?:st|nd|rd|th)\b"  # ordinals
    r"|(?:1[5-9]|20)\d{2}'?s\b|'\d0s\b|\b[1-9]0'?s\b"  # decades
    r"|(?:1[89]|20)\d{2}\s*[-–/]\s*(?:(?:1[89]|20)\d{2}|\d{2})(?![\d.,%])"  # year ranges
    r"|\d+/\d+(?!\d)"  # fractions, ratios
)


# Every alternative starts with a digit or one of "+(\'", so the engine scans fast.
_CAND_RE = re.compile(rf"(?=[0-9+('])(?:(?P<skip>{_SKIP})|(?P<num>{DIGITS}))", re.I)
_MONTH_BEFORE = re.compile(rf"(?<![A-Za-z]){_MONTHS}\.?,?\s+\Z")


@lru_cache(maxsize=None)
def _words_re(lang: str) -> re.Pattern:
    return re.compile(words_pattern(lang))


def _candidates(text: str, low: str, lang: str = DEFAULT_LANGUAGE) -> list[tuple[int, int, str]]:
    """(start, end, token) of every number in `t` outside dates, times, phones, ordinals."""
    out: list[tuple[int, int, str]] = []
    for m in _CAND_RE.finditer(text):
        s = m.start()
        if m.group("skip") is not None:
            continue
        if s and text[s - 1] in "0123456789.," and s > 1 and text[s - 2].isdigit():
            continue  # inside a longer number the scan did not take whole
        num = m.group("num")
        if (len(num) <= 2 or len(num) == 4 and num[:2] in ("19", "20")) and text[s - 1:s] == " " \
                and _MONTH_BEFORE.search(text, max(0, s - 12), s):
            continue  # "March 2", "Aug. 23", "March 2024"
        out.append((s, m.end(), num))
    words = _words_re(lang)
    pos = 0
    for h in word_starts_re(lang).finditer(low):
        if h.start() < pos:
            continue
        m = words.match(low, h.start())
        if m:
            out.append((m.start(), m.end(), text[m.start():m.end()]))
            pos = m.end()
    out.sort()
    return out


_PER_CURRENCY = re.compile(r"\s*(?:/|(?:per|to|against|for)\s+)(?:the\s+|one\s+|1\s+|a\s+)?(?:US\s+|U\.S\.\s+)?"
                           r"(?:(?:dollar|euro|yuan|rouble|ruble|USD|EUR|greenback)\b|\$)", re.I)
_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,4}")  # U.S., U.A.E.: the dot is the word's own
_ECHO = re.compile(r"\(\d[\d,.]*\)")
_PUNCT_END = ".,;:!?)]}\"'”’»"
_PUNCT_START = "([{\"'“‘«"


class _Tok(NamedTuple):
    text: str  # without surrounding punctuation
    start: int
    end: int
    closes: bool  # punctuation after the word ends the phrase


def _tokens_after(text: str, pos: int, n: int = 6) -> list[_Tok]:
    """Up to `n` words after `pos`; stops at a blank line, a new line starting in upper case,
    or after a word followed by punctuation."""
    out: list[_Tok] = []
    find, count = text.find, text.count
    for raw in text[pos:pos + 160].split(None, n + 1)[:n + 1]:
        s = find(raw, pos)
        if s - pos > 1:
            nl = count("\n", pos, s)
            if nl > 1 or (nl == 1 and (raw[0].isupper() or raw[0].isdigit())):
                break  # a blank line, or a new line that starts something new
        pos = s + len(raw)
        closes = False
        if raw[0] in _PUNCT_START:
            if not out and _ECHO.fullmatch(raw):  # "eight (8) MoUs": skip the echo
                continue
            if out:  # "(MoUs)" after the phrase: a gloss, not part of it
                break
            stripped = raw.lstrip(_PUNCT_START)
            if not stripped:
                break
            s += len(raw) - len(stripped)
            raw, closes = stripped, True
        if raw[-1] in _PUNCT_END and not (raw[-1] == "." and _DOTTED.fullmatch(raw)):
            raw, closes = raw.rstrip(_PUNCT_END), True
            if not raw:
                break
        if raw[-2:] in ("'s", "’s"):
            raw, closes = raw[:-2], True
        out.append(_new_tok(_Tok, (raw, s, s + len(raw), closes)))
        if closes or len(out) >= n:
            break
    return out


_new_tok = tuple.__new__  # builds a _Tok without the Python-level __new__ of NamedTuple


_WORD_BEFORE = re.compile(r"[^\s(\[{;,\"“‘«]{1,12}\Z")  # "/" allowed: "S/ 4.5" (soles), "B/." (balboas)


def _word_before(text: str, pos: int) -> tuple[str, int]:
    """The word (or symbol run) ending at `pos`, skipping one space: ('US$', start)."""
    i = pos - 1 if pos > 0 and text[pos - 1] in " \t" else pos
    m = _WORD_BEFORE.search(text, max(0, i - 12), i)
    return (m.group(0), m.start()) if m else ("", i)


def _spaced_word_before(text: str, pos: int) -> str:
    """The whitespace-delimited word before `pos` ('' at the start of a line, or when the
    number is glued to what precedes it)."""
    seg = text[max(0, pos - 40):pos]
    trimmed = seg.rstrip(" \t")
    if len(trimmed) == len(seg) or not trimmed or trimmed[-1] in "\r\n":
        return ""
    words = trimmed.rsplit(None, 1)  # empty when only Unicode separators (\x1f) remain
    return words[-1] if words else ""


def _qualifier(low: str, start: int) -> Optional[str]:
    """'over', 'about', 'up to' ... from the one to three words before a figure."""
    quals = _words()["qualifiers"]
    words = low[max(0, start - 40):start].split()[-6:]
    if words[-3:] == ["a", "total", "of"]:
        words = words[:-3]
    for k in (3, 2, 1):
        if len(words) >= k:
            q = quals.get(" ".join(words[-k:]))
            if q:
                if q == "up to" and k == 2 and len(words) > 2 and words[-3] in _ADD_UP_WORDS:
                    return None  # "added up to 5 billion yen" is a sum, not a ceiling
                return q
    return None


_ADD_UP_WORDS = {"add", "adds", "added", "adding", "sum", "sums", "summed", "end", "ends", "ended",
                 "built", "set", "taken", "made", "up"}


@lru_cache(maxsize=1)
def _measure_re() -> re.Pattern:
    """Measure phrases, run on lower-cased text."""
    return re.compile(rf"\b(?:{trie_pattern(_words()['measures'])})\b")


# --------------------------------------------------------------------------- one candidate
@dataclass
class _Cand:
    start: int  # of the figure text (currency included)
    num_start: int
    end: int
    value: float
    scaled: bool  # a scale word was read ("bn", "million")
    digits: bool
    kind: Optional[str] = None  # money | percent | count | skip | None (bare)
    unit: Optional[str] = None
    what: Optional[str] = None
    unit_head: bool = False  # `what` is a unit of measure (km, tonne)
    negative: bool = False
    qualifier: Optional[str] = None
    measure_after: Optional[str] = None
    scale: float = 1.0
    head: str = ""  # the head word as written
    head_index: int = 0  # words between the number and its head


_NOT_MEN = frozenset({"specimen", "regimen", "abdomen", "stamen", "acumen", "semen"})  # singular, though -men


def _singular(word: str) -> str:
    words = _words()
    low = word.lower()
    irr = words["irregular_plurals"]
    if low in irr:
        return irr[low]
    if (low.endswith("people") or low.endswith("men") and low not in _NOT_MEN) and len(low) > 5:  # businesspeople, chairmen
        return low[:-6] + "person" if low.endswith("people") else low[:-2] + "an"
    if low.endswith("ies") and len(low) > 4:
        return low[:-3] + "y"
    if low.endswith(("ches", "shes", "xes", "sses", "zes")):
        return low[:-2]
    if len(low) > 2 and low.endswith("s") and not low.endswith(("ss", "us", "is")) and low not in words["non_plural"]:
        return low[:-1]
    return low


_ACR_PLURAL = re.compile(r"[A-Z][A-Za-z]*[A-Z][a-z]?s|[A-Z]{2,}s")  # MoUs, SMEs, NGOs
_MOU = re.compile(r"M[oO][uU]s?")
_ACR = re.compile(r"([A-Z][A-Za-z]*[A-Z])s?")
_CAPS = re.compile(r"[A-Z]{2,5}")
_SCALE_WORD = re.compile(r"(?i)hundred|thousand|million|billion|trillion|lakh|crore|dozen")
_GLUED = re.compile(r"-?([A-Za-z][A-Za-z0-9/]*)")
_RANK_WORDS = {"top", "ranked", "rank", "ranks", "ranking", "no.", "number", "placed", "place"}
_ONE_PERCENT = re.compile(r"\s?(?:%|(?:-?per[\s-]?cent|-?percent|pct)\b)", re.I)
_SENT_END = re.compile(r"[.!?;]\s")
_LIST_MARK = re.compile(r"\d{1,2}[.)]\s")
_BETWEEN = re.compile(r"(?i)\bbetween\s+\S*\Z")
_ALPHA_WORD = re.compile(r"[^\W\d_][^\W\d_'-]*(?:-[^\W\d_]+)*")


def _is_plural(word: str) -> bool:
    words = _words()
    low = word.lower()
    if low in words["irregular_plurals"] or low.endswith("people") or low.endswith("men") and len(low) > 5 and low not in _NOT_MEN:
        return True
    if not _ALPHA_WORD.fullmatch(word):
        return False
    if _ACR_PLURAL.fullmatch(word):
        return True  # MoUs, SMEs, NGOs
    return (len(low) > 2 and low.endswith("s") and not low.endswith(("ss", "us", "is", "'s"))
            and low not in words["non_plural"])


def _acronym(word: str) -> Optional[str]:
    """'MoUs' -> 'MoU', 'MOU' -> 'MoU', 'SEZs' -> 'SEZ'; None when not an acronym."""
    if _MOU.fullmatch(word):
        return "MoU"
    m = _ACR.fullmatch(word)
    if m and len(m.group(1)) <= 6 and not word.isupper():
        return m.group(1)
    if _CAPS.fullmatch(word):
        return word
    return None


class _CountWords(NamedTuple):
    """A language's own words for reading counts, beside the shared ones of figure_words.json."""

    stops: frozenset[str]  # words that end a noun phrase ("dans", "les")
    not_heads: frozenset[str]  # nouns that count nothing here: durations ("ans", "mois")
    invariable: frozenset[str]  # plurals that are their own singular ("pays")
    anaphoric: frozenset[str]  # words before a small number that refers back ("les deux pays")


@lru_cache(maxsize=None)
def _count_words(code: str) -> _CountWords:
    counts = language(code).section("counts")
    return _CountWords(*(frozenset(counts.get(key, ())) for key in ("stop_words", "not_heads", "invariable",
                                                                       "anaphoric")))


def _head(toks: list[_Tok], value: float, shouting: bool,
          own: _CountWords = _CountWords(frozenset(), frozenset(), frozenset(), frozenset())
          ) -> tuple[Optional[str], bool, int]:
    """(what, is_unit, index of the head token) of the noun phrase after a number; `own`: the
    article language's words for counts."""
    words = _words()
    units, stops = words["units"], (words["stop_words"] | own.stops if own.stops else words["stop_words"])
    collected: list[str] = []
    head_i = -1
    for i, tok in enumerate(toks):
        word = tok.text
        low = word.lower()
        if not word or not (word[0].isalpha()):
            break
        unit = _unit_at(toks, i, units)
        if unit is not None:
            return unit
        if low in ("and", "or", "&") and collected and i + 1 < len(toks) and toks[i + 1].text[:1].isalpha() \
                and not tok.closes:
            continue  # "oil and gas fields", "Kazakh and Chinese firms"
        if low in stops:
            break
        if collected and (low.endswith("ed") or low.endswith("ing")) and "-" not in low and not _is_plural(word):
            break
        if low in ("memorandum", "memoranda", "memorandums") or _acronym(word) == "MoU":
            rest = [x.text.lower() for x in toks[i + 1:i + 3]]
            return "MoU", False, (i + 2 if rest == ["of", "understanding"] and not tok.closes else i)
        collected.append(word)
        head_i = i
        if tok.closes or (_is_plural(word) and not _plural_goes_on(toks, i, stops, units)):
            break
    if not collected:
        return None, False, -1
    return _head_noun(collected, head_i, value, shouting, own)


def _unit_at(toks: list[_Tok], i: int, units: dict[str, str]) -> Optional[tuple[str, bool, int]]:
    """(unit, True, index) when word i (or words i and i+1) name a unit ("tonnes", "square
    metres"); a short unit ("m", "ha") only right after the number."""
    tok = toks[i]
    low = tok.text.lower()
    if i + 1 < len(toks) and not tok.closes:
        two = low + " " + toks[i + 1].text.lower()
        if two in units:
            return units[two], True, i + 1
    if low in units and (i == 0 or low not in _SHORT_UNITS):
        return units[low], True, i
    return None


def _plural_goes_on(toks: list[_Tok], i: int, stops: set[str], units: dict[str, str]) -> bool:
    """"parts makers", "oil products exporters": a second plural noun after a plural is the head."""
    nxt = toks[i + 1].text if i + 1 < len(toks) else ""
    return bool(nxt[:1].islower() and _is_plural(nxt) and nxt.lower() not in stops and nxt.lower() not in units)


def _head_noun(collected: list[str], head_i: int, value: float, shouting: bool,
               own: _CountWords) -> tuple[Optional[str], bool, int]:
    """(what, is_unit, index) of the words collected after a number: the last, made singular
    (or a known two-word head), unless it is no countable noun."""
    words = _words()
    head = collected[-1]
    if value != 1 and not _is_plural(head):
        acr = _acronym(head) if not shouting else None
        if not acr and head.lower() not in words["irregular_plurals"]:
            return None, False, -1
    low = head.lower()
    if low in words["not_heads"] or low in words["time_units"] or low in words["fraction_words"] \
            or low in own.not_heads:
        return None, False, -1
    acr = None if shouting else _acronym(head)
    what = acr or (low if low in own.invariable else _singular(head))
    if len(collected) > 1:
        pair = _singular(collected[-2]) + " " + what
        if pair.lower() in words["compound_heads"]:
            what = pair.lower()
    if not what or not what[0].isalpha() or (not acr and head[0].isupper() and not shouting and not _is_plural(head)):
        return None, False, -1
    return what, False, head_i


_SHORT_UNITS = {"m", "mt", "ha", "cm", "mm", "kt", "degrees", "degree"}  # units only right after the number


def _noun_head(toks: list[_Tok], lang: Language) -> tuple[Optional[str], bool, int]:
    """(what, is_unit, index) for a language that capitalises its nouns (German): the head is
    the first capitalised word after at most two lower-case ones ("12 neue Abkommen"), made
    singular by the language's plural endings ("Vereinbarungen" -> "vereinbarung")."""
    counts = lang.section("counts")
    units = _words()["units"]
    for i, tok in enumerate(toks[:3]):
        word = tok.text
        if not word or not word[0].isalpha():
            break
        low = word.lower()
        if low in units and (i == 0 or low not in _SHORT_UNITS):
            return units[low], True, i
        if word[0].isupper():
            if low in counts.get("not_heads", ()) or low.rstrip(".") in month_words():
                return None, False, -1
            return _singular_by_endings(low, counts), False, i
        if tok.closes:
            break
    return None, False, -1


def _singular_by_endings(low: str, counts: dict) -> str:
    """The singular by the longest plural ending the language lists; as written otherwise."""
    if low in counts.get("invariable", ()):
        return low
    for plural, singular in sorted(counts.get("singular_endings", ()), key=lambda p: -len(p[0])):
        if low.endswith(plural) and len(low) > len(plural) - len(singular):
            return low[: len(low) - len(plural)] + singular
    return low


def _past_linker(toks: list[_Tok], lang: Language) -> list[_Tok]:
    """The words after a linker the language puts between an amount and its currency
    ("3 milliards d'euros", "2 millions de dollars"); the words as they are otherwise."""
    linkers = lang.section("numbers").get("currency_linkers", ())
    if not toks or not linkers:
        return toks
    first = toks[0].text.lower().replace("’", "'")
    if first in linkers and len(toks) > 1 and not toks[0].closes:
        return toks[1:]
    for linker in linkers:
        if linker.endswith("'") and first.startswith(linker) and len(first) > len(linker):
            cut = len(linker)
            return [_Tok(toks[0].text[cut:], toks[0].start + cut, toks[0].end, toks[0].closes), *toks[1:]]
    return toks


def _percent_after(toks: list[_Tok], text: str, pos: int) -> Optional[int]:
    """End offset of a percent sign/word right after `pos`, or None."""
    i = pos
    if i < len(text) and text[i] == " ":
        i += 1
    if i < len(text) and text[i] == "%":
        return i + 1
    if not toks:
        return None
    a = toks[0].text.lower().lstrip("-")
    b = toks[1].text.lower() if len(toks) > 1 else ""
    one_word, two_words = _percent_words()
    if a in one_word:
        if a == "pp" and text[pos:pos + 1] not in (" ", ""):
            return None
        return toks[0].end
    if (a, b) in two_words and not toks[0].closes:
        return toks[1].end
    return None


@lru_cache(maxsize=1)
def _percent_words() -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """Percent words of every language: single words, and two-word ones as (first, second)."""
    words = [w.lower() for w in number_words()["percent_words"]]
    return (frozenset(w for w in words if " " not in w),
            frozenset(tuple(w.split(" ", 1)) for w in words if " " in w))


@lru_cache(maxsize=1)
def _after_first_words() -> frozenset[str]:
    cur = _currencies()
    return frozenset([f.split()[0] for f in cur["after_ci"]] + [f.lower() for f in cur["after_cs"]]
                     + [f.lower() for f in cur["risky"]])


def _currency_after(toks: list[_Tok], text: str, end: int, countries: Sequence[str]) -> Optional[tuple[str, int]]:
    """Currency written right after the number (and scale): (code, end of the figure)."""
    if not toks or toks[0].text.lower() not in _after_first_words():
        return None
    cur = _currencies()
    for k in (4, 3, 2, 1):
        if len(toks) < k or any(tk.closes for tk in toks[:k - 1]):
            continue
        phrase = " ".join(tk.text for tk in toks[:k])
        code = _resolve(cur["after_ci"].get(phrase.lower()), countries)
        if code:
            return code, toks[k - 1].end
        if k == 1:
            code = _resolve(cur["after_cs"].get(phrase), countries)
            if not code and phrase in cur["risky"] and _mixed_case(text, end):
                code = _resolve(cur["risky"][phrase], countries)
            if code:
                return code, toks[0].end
    return None


def _mixed_case(text: str, pos: int) -> bool:
    return not text[max(0, pos - 30):pos + 30].isupper()


@lru_cache(maxsize=1)
def _before_last_chars() -> frozenset[str]:
    cur = _currencies()
    return frozenset(f[-1] for f in list(cur["before"]) + list(cur["risky"]))


def _currency_before(text: str, pos: int, countries: Sequence[str]) -> Optional[tuple[str, int]]:
    """Currency written right before the number at `pos`: (code, start of the figure)."""
    i = pos - 1 if pos > 0 and text[pos - 1] in " \t" else pos
    if i <= 0 or text[i - 1] not in _before_last_chars():
        return None  # most numbers: no currency sign or code can end here
    cur = _currencies()
    word, start = _word_before(text, pos)
    if not word:
        return None
    for cut in range(len(word)):  # "($" or "~$": try the word, then its tail
        form = word[cut:]
        rows = cur["before"].get(form)
        if rows is None and form in cur["risky"] and _mixed_case(text, pos):
            rows = cur["risky"][form]
        code = _resolve(rows, countries)
        if code:
            s = start + cut
            if form == "$":  # "US $5"
                w2, s2 = _word_before(text, s)
                c2 = _resolve(cur["before"].get(w2 + " $"), countries)
                if c2:
                    return c2, s2
            if cut and word[cut - 1].isalpha():
                continue  # "AUS$" is not "US$"
            return code, s
    return None


def _currency_name_before(text: str, pos: int, countries: Sequence[str]) -> Optional[tuple[str, int]]:
    """A capitalised currency name before a scaled amount, as press releases write it:
    'Yen 208 million', 'Japanese Yen 208 million', 'US Dollars 5 million'."""
    word, start = _word_before(text, pos)
    if not word or not word[:1].isupper():
        return None
    names = _currencies()["after_ci"]
    before, start2 = _word_before(text, start)
    if before and before[:1].isupper():
        code = _resolve(names.get(f"{before} {word}".lower()), countries)
        if code:
            return code, start2
    code = _resolve(names.get(word.lower()), countries)
    return (code, start) if code else None


def _word_scale(words: str) -> float:
    """The multiplier of the last large scale word of a number in words ('three billion')."""
    scales = [match_scale(words, m.start()) for m in re.finditer(r"\S+", words)]
    large = [s[0] for s in scales if s and s[0] >= 1000]
    return large[-1] if large else 1.0


def _read(text: str, num_start: int, num_end: int, token: str, countries: Sequence[str],
          lang: Language) -> Optional[_Cand]:
    """Read one number candidate with its neighbours; None when it is no figure at all.

    The steps, each its own function: the number itself, what is glued before it, its scale
    words, what is glued after it; then the first reading that fits of percent, money, a
    duration or multiplier (skipped), a count of a head noun, else a bare number."""
    number = _number_value(text, num_start, num_end, token, lang.code)
    if number is None:
        return None
    value, end, digits = number
    rejected, glued_prefix = _glued_before(text, num_start, countries)
    if rejected:
        return None
    value, end, scaled, scale = _with_scale_words(text, token, num_start, end, value, digits)
    plus = text[end:end + 1] == "+" and not text[end + 1:end + 2].isdigit()
    if plus:  # "100+ companies"
        end += 1
    glued_after = _glued_after(text, end, countries)
    if glued_after == "skip":
        return _Cand(num_start, num_start, end, value, scaled, digits, kind="skip")
    if glued_after == "reject":
        return None
    cand = _Cand(num_start, num_start, end, value, scaled, digits, scale=scale,
                 qualifier="over" if plus else None)
    after = end + (1 if text[end:end + 1] == "-" else 0)
    if text[end:end + 1] == "%":  # the commonest case, read without the words after it
        tokens: list[_Tok] = []
        percent_end: Optional[int] = end + 1
    else:
        tokens = _tokens_after(text, after, 4)
        percent_end = _percent_after(tokens, text, end)
    if percent_end:
        return _as_percent(cand, text, num_start, percent_end)
    if _as_money(cand, text, tokens, glued_prefix, countries, lang):
        return cand
    if tokens and _names_no_quantity(tokens[0].text.lower(), scaled):
        return _Cand(num_start, num_start, end, value, scaled, digits, kind="skip")
    return _as_count(cand, text, after, tokens, lang)


def _number_value(text: str, num_start: int, num_end: int, token: str,
                  lang: str = DEFAULT_LANGUAGE) -> Optional[tuple[float, int, bool]]:
    """(value, end, written in digits) of the number at num_start; None for a number that is
    no figure by itself: 'the two countries', 'one', 'in 2019'."""
    words = _words()
    digits = token[0].isdigit()
    if digits:
        value, end = parse_digits(token), num_end
    else:
        got = parse_words(token, lang)
        if not got:
            return None
        value, length = got
        end = num_start + length
        before = _spaced_word_before(text, num_start).lower()
        if ((before in words["anaphoric"] or before in _count_words(lang).anaphoric)
                and _word_scale(token[:length]) == 1) or \
                (value == 1 and length <= 3 and not _ONE_PERCENT.match(text, end)):
            return None  # "the two countries", "both sides" (not "the five billion stg deal"); "one"
    if value is None:
        return None
    if digits and len(token) == 4 and 1800 <= value <= 2100 and text[num_end:num_end + 1] != "%" \
            and _spaced_word_before(text, num_start).lower() in words["year_preps"]:
        return None  # "in 2019", "since 2001": the commonest number in news
    return value, end, digits


def _glued_before(text: str, num_start: int, countries: Sequence[str]) -> tuple[bool, Optional[tuple[str, int]]]:
    """(rejected, currency prefix): a number glued to a word is a name (K2, G20, COVID-19,
    A320, No.1, #3) unless the word is a currency prefix (RM2.5, Rs50)."""
    before = text[num_start - 1] if num_start else " "
    before2 = text[num_start - 2] if num_start > 1 else " "
    glued_prefix = None
    if before.isalpha():
        glued_prefix = _currency_before(text, num_start, countries)
        if not glued_prefix:
            return True, None
    if before in "-." and before2.isalpha() and not _currency_before(text, num_start, countries):
        return True, None  # COVID-19, No.1
    return before in "#№", glued_prefix


def _with_scale_words(text: str, token: str, num_start: int, end: int, value: float,
                      digits: bool) -> tuple[float, int, bool, float]:
    """(value, end, scaled, scale) after the scale words that follow a number ('1.5 billion',
    '1.5 lakh crore'), or of a number in words that holds one ('three billion')."""
    scaled, scale = False, 1.0
    first = match_scale(text, end)
    if first and not (not digits and first[0] < 1000):
        value, end, scaled, scale = value * first[0], first[1], True, first[0]
        second = match_scale(text, end)  # "1.5 lakh crore", "2 thousand billion"
        if second and text[end:end + 1] == " " and second[0] >= 1000:
            value, end, scale = value * second[0], second[1], scale * second[0]
    elif not digits:
        scale = _word_scale(token[:end - num_start])  # 'three billion': a range's first end takes it
        scaled = scale > 1 or bool(_SCALE_WORD.search(token, 0, end - num_start))
    return value, end, scaled, scale


def _glued_after(text: str, end: int, countries: Sequence[str]) -> str:
    """What letters glued after a number make of it: 'ok' (912km, 5G, 15-percent, none),
    'skip' (a duration: two-day, 10-year) or 'reject' (a name: 3D printer, A-380s)."""
    if not (end < len(text) and (text[end].isalpha()
                                 or text[end] == "-" and end + 1 < len(text) and text[end + 1].isalpha())):
        return "ok"
    words = _words()
    glued_match = _GLUED.match(text, end, end + 24)
    glued = glued_match.group(1).lower() if glued_match else ""
    if text[end] == "-":
        if glued in words["time_units"] or glued.rstrip("s") in words["time_units"] or glued.startswith("year"):
            return "skip"
        if glued not in words["glued_units"] and glued not in words["hyphen_ok"] \
                and glued.split("-")[0] not in words["units"]:
            return "reject"
    elif glued not in words["glued_units"] and not _currency_after(
            [_Tok(glued_match.group(1) if glued_match else "", end, end + len(glued), True)], text, end, countries):
        return "reject"
    return "ok"


def _measure_word(tokens: list[_Tok]) -> Optional[str]:
    """The measure named right after a figure ('12% growth', '$3bn trade'), lower-cased."""
    if tokens and tokens[0].text.lower() in _words()["measures"] and not tokens[0].text[0].isupper():
        return tokens[0].text.lower()
    return None


def _as_percent(cand: _Cand, text: str, num_start: int, percent_end: int) -> _Cand:
    """The candidate as a percentage ending at percent_end; a minus sign before it counts."""
    cand.kind, cand.unit, cand.end = "percent", "%", percent_end
    before = text[num_start - 1] if num_start else " "
    before2 = text[num_start - 2] if num_start > 1 else " "
    if before == "-" and (num_start < 2 or before2 in " \t\n([{:;,/\"'“="):
        cand.negative, cand.start = True, num_start - 1
    cand.measure_after = _measure_word(_tokens_after(text, percent_end, 2)) or cand.measure_after
    return cand


def _as_money(cand: _Cand, text: str, tokens: list[_Tok], glued_prefix: Optional[tuple[str, int]],
              countries: Sequence[str], lang: Language) -> bool:
    """Make the candidate money when a currency stands before or after it (past the language's
    linker: "d'euros"); False when none does."""
    start, end = cand.start, cand.end
    pre = glued_prefix or _currency_before(text, start, countries) or \
        (_currency_name_before(text, start, countries) if cand.scaled else None)
    post = _currency_after(_past_linker(tokens, lang), text, end, countries)
    if not (pre or post):
        return False
    cand.kind = "money"
    cand.unit = (pre or post)[0]
    if pre:
        cand.start = pre[1]
    if post:
        cand.end = post[1]
        cand.measure_after = _measure_word(_tokens_after(text, post[1], 3)) or cand.measure_after
    elif tokens and tokens[0].text.lower() in _words()["measures"]:
        cand.measure_after = tokens[0].text.lower()
    if _fx_footnote(text, cand.start, cand.end) and not _SAME_CURRENCY_RANGE.match(text, cand.end):
        cand.kind = "skip"  # '(1 USD = 450 KZT)'; but '$9bn to $18bn' is a range
    return True


def _names_no_quantity(first_word: str, scaled: bool) -> bool:
    """A number before these words is a duration, a multiplier or a fraction, not a figure;
    an unscaled one before a month name is a date ("4 mars", "12. Mai")."""
    words = _words()
    return (first_word in words["time_units"] or first_word in ("fold", "times", "x")
            or first_word in words["fraction_words"]
            or (not scaled and first_word.rstrip(".") in month_words()))


def _as_count(cand: _Cand, text: str, after: int, tokens: list[_Tok], lang: Language) -> _Cand:
    """The candidate as a count of the head noun after it ('52 projects', '18 of the world's
    poorest countries'), or left bare: it may still be a range end or a carried-over figure."""
    if not tokens or not tokens[0].text[:1].isalpha():
        return cand
    words = _words()
    shouting = _shouting(text, cand.num_start)
    if tokens[0].text.lower() == "of":  # "18 of the world's poorest countries"
        m = _PARTITIVE.match(text, tokens[0].start)
        if m and _is_plural(m.group(1)) and m.group(1) not in words["stop_words"] \
                and m.group(1) not in words["not_heads"]:
            cand.kind, cand.what, cand.end = "count", _singular(m.group(1)), m.end(1)
            cand.head, cand.head_index = m.group(1), 1
        return cand
    if len(tokens) == 4 and not tokens[-1].closes:
        tokens = _tokens_after(text, after, 6)
    counts = lang.section("counts")
    what, is_unit, head_index = (_noun_head(tokens, lang) if counts.get("capitalised_nouns")
                                 else _head(tokens, cand.value, shouting, _count_words(lang.code)))
    if what is None:
        return cand
    cand.kind, cand.what, cand.unit_head = "count", what, is_unit
    cand.end, cand.head, cand.head_index = tokens[head_index].end, tokens[head_index].text, head_index
    return cand


def _shouting(text: str, pos: int) -> bool:
    """The line is in capitals (a wire headline): its words are not acronyms."""
    lo = text.rfind("\n", max(0, pos - 80), pos) + 1 or max(0, pos - 80)
    hi = text.find("\n", pos, pos + 80)
    line = text[lo:hi if hi >= 0 else pos + 80]
    return line.isupper() and sum(1 for w in line.split() if len(w) > 2 and w.isalpha()) >= 2


def _fx_footnote(text: str, start: int, end: int) -> bool:
    """'(1 USD = 450 KZT)', 'at an exchange rate of 1 dollar to 470 tenge'."""
    after = text[end:end + 4].lstrip()
    before = text[max(0, start - 4):start].rstrip()
    if after.startswith("=") or before.endswith("=") or _PER_CURRENCY.match(text, end):
        return True
    left = text[max(0, start - 45):start].lower()
    return "exchange rate" in left or "rate of" in left[-12:]


def _is_year(cand: _Cand, text: str) -> bool:
    if not cand.digits or cand.scaled or cand.value != int(cand.value) or not 1800 <= cand.value <= 2100:
        return False
    return "," not in text[cand.num_start:cand.end] and " " not in text[cand.num_start:cand.num_start + 4]


# --------------------------------------------------------------------------- whole text
_PARTITIVE = re.compile(r"of\s+(?:the\s+)?(?:[\w.-]+(?:['’]s)?\s+){0,4}?([a-z][a-z-]*s)\b")
_GROUP_OF = re.compile(r"\bgroup of\s+\Z")
_RANKED = re.compile(r"[\w.,-]+\s+(?:biggest|largest|smallest|most|best|worst|richest|poorest|fastest)\b")
_CENTS = re.compile(r"\s+cents?\b")
_SAME_CURRENCY_RANGE = re.compile(r"\s*(?:to|-|–)\s*(?:US)?\$\s?\d")
_TEU = re.compile(r"\s+equivalent", re.I)
_LOG = logging.getLogger(__name__)
_CONNECTOR = re.compile(r"\s*(?:-|–|—|to|and|or)\s*\Z", re.I)


def find_figures(text: str, countries: Sequence[str] = (), lang: Optional[str] = None) -> list[Figure]:
    """Every money, percent and count figure in `text`, in text order (sentence left -1).
    `countries` (ISO3s, in the order the article names them) choose between pesos, rupees,
    dinars, 'Rs' and the like; `lang` (the article's language, detected when not given) says
    how count nouns are written. Money keeps its amount and currency; US dollars are filled in
    after extraction (`enrich.fx.with_usd`)."""
    try:
        return _find(text, tuple(countries or ()), resolve_language(text, lang))
    except Exception:  # noqa: BLE001 - one odd article must not stop a batch, but it is logged
        _LOG.exception("figures: extraction failed on a text of %d characters", len(text or ""))
        return []


def _find(text: str, countries: tuple[str, ...], lang_code: str = DEFAULT_LANGUAGE) -> list[Figure]:
    """Read every number candidate, link ranges, then keep the candidates that are figures:
    a bare number may take the unit of the figure before it; counts that name, rank or
    number things are dropped."""
    if not isinstance(text, str) or not text:
        return []
    normal = normalize(text[:_MAX_TEXT])  # same length as text: offsets hold
    low = ascii_lower(normal)
    lang = language(lang_code)
    cands = [cand for num_start, num_end, token in _candidates(normal, low, lang_code)
             if (cand := _read(normal, num_start, num_end, token, countries, lang)) is not None]
    _link_ranges(normal, cands)
    out: list[Figure] = []
    last_fig: Optional[_Cand] = None
    last_money: Optional[_Cand] = None  # an amount with a scale and no unit takes the last money's
    for i, cand in enumerate(cands):
        if cand.kind == "skip":
            continue
        word_before = _spaced_word_before(normal, cand.start)
        word_before_low = word_before.lower().strip("(\"'“")
        if cand.kind is None and not _carry_unit(cand, normal, word_before_low, last_fig, last_money):
            continue
        if cand.kind == "count" and _count_is_no_figure(cand, normal, low, word_before, word_before_low, cands, i, lang):
            continue
        if cand.kind == "money" and not cand.scaled and _is_year(cand, normal) and cand.start == cand.num_start:
            continue
        if cand.kind == "count" and cand.what == "foot" and _TEU.match(low, cand.end):
            continue  # "twenty-foot equivalent units" names a unit, it counts nothing
        out.append(_figure(cand, text, normal, low))
        last_fig = cand
        if cand.kind == "money":
            last_money = cand
    return out


def _carry_unit(cand: _Cand, text: str, word_before_low: str, last_fig: Optional[_Cand],
                last_money: Optional[_Cand]) -> bool:
    """Give a bare number the unit of the figure before it where the text carries it over
    ('up 2.50 dlrs ... down from 13.80'; '3.05 billion dlrs, while imports grew to 2.6
    billion'); False when it stays bare (and is no figure)."""
    if (last_fig is not None and (last_fig.kind in ("money", "percent") or last_fig.unit_head) and cand.digits
            and not _is_year(cand, text) and word_before_low in _words()["carry_preps"]
            and cand.start - last_fig.end < 160 and not _SENT_END.search(text, last_fig.end, cand.start)):
        cand.kind, cand.unit, cand.what, cand.unit_head = (last_fig.kind, last_fig.unit, last_fig.what,
                                                           last_fig.unit_head)
        if last_fig.scale > 1 and not cand.scaled and cand.value < 1000:
            cand.value *= last_fig.scale
        return True
    if (last_money is not None and cand.scaled and cand.start - last_money.end < 200
            and not _SENT_END.search(text, last_money.end, cand.start)):
        cand.kind, cand.unit = "money", last_money.unit
        return True
    return False


def _count_is_no_figure(cand: _Cand, text: str, low: str, word_before: str, word_before_low: str,
                        cands: list[_Cand], index: int, lang: Language) -> bool:
    """A count that is no figure: a year, 'one', a bloc or a rank, 'the two countries', a
    participant, an id or model number, a list marker, a number echoed in parentheses."""
    words = _words()
    if _is_year(cand, text) and not cand.unit_head and (
            word_before_low in words["year_preps"] or cand.head_index > 0 or not _is_plural(cand.head)):
        return True
    if not cand.digits and cand.value == 1 and not cand.scaled:
        return True  # "one" is mostly a pronoun or an article
    if _GROUP_OF.search(low, max(0, cand.start - 12), cand.start) or (
            (word_before_low in ("the", "world's", "world’s") or word_before_low.endswith("'s"))
            and _RANKED.match(low, cand.num_start)):
        return True  # "Group of Seven" names a bloc; "the world's two biggest makers" ranks
    if not cand.unit_head and _names_or_refers(cand, text, word_before, word_before_low, lang):
        return True
    if _list_marker(text, cand):
        return True
    return text[cand.start - 1:cand.start] == "(" and _paren_echo(text, cand, cands, index)


def _names_or_refers(cand: _Cand, text: str, word_before: str, word_before_low: str, lang: Language) -> bool:
    """A number of things that refers back ('the two countries', 'les deux pays'), counts the
    participants, or is part of a name or an id ('Boeing 737 jets', 'Page 2 results', 'No. 3';
    not in a language that capitalises every noun)."""
    words = _words()
    # "Boeing 737 jets": a capital before a number names a thing, unless every noun has one
    nouns_capitalised = bool(lang.section("counts").get("capitalised_nouns"))
    if (word_before_low in words["anaphoric"] or word_before_low in _count_words(lang.code).anaphoric) \
            and cand.value <= 3:
        return True  # "the two countries" ("its 483 creditor banks", "the 10 ships" are counts)
    if cand.value in (2, 3) and _is_participant(text, cand):
        return True
    if word_before_low in words["id_words"] or word_before_low in _RANK_WORDS or word_before.endswith("#"):
        return True
    return bool(word_before[:1].isupper() and not nouns_capitalised and word_before[-1:].isalnum()
                and word_before_low not in words["allowed_caps_before"]
                and not word_before.endswith(("'s", "’s"))
                and not _shouting(text, cand.start))


def _figure(cand: _Cand, text: str, normal: str, low: str) -> Figure:
    """The kept candidate as a Figure: cents made fractions of their currency, the qualifier
    ('over', 'about') and the measure from the words around it."""
    if cand.kind == "money" and _CENTS.match(low, cand.end):  # "40 euro cents"
        cand.value, cand.end = cand.value / 100, _CENTS.match(low, cand.end).end()
    if cand.kind == "count" and cand.what == "cent":  # "6.5 US cents": money
        cand.kind, cand.value = "money", cand.value / 100
        cand.unit = "EUR" if "euro" in low[cand.start:cand.end] else "USD"
    if cand.qualifier is None:
        cand.qualifier = _qualifier(low, cand.start)
    count = cand.kind == "count"
    return Figure(
        kind=cand.kind, value=float(-cand.value if cand.negative else cand.value),
        text=text[cand.start:cand.end], start=cand.start, end=cand.end,
        unit=None if count else cand.unit, what=cand.what if count else None,
        qualifier=cand.qualifier,
        measure=None if count else (cand.measure_after or _measure_before(normal, low, cand.start)),
    )


def _is_participant(text: str, cand: _Cand) -> bool:
    return (cand.what or "") in _participants()


@lru_cache(maxsize=1)
def _participants() -> frozenset[str]:
    return frozenset(_singular(p.rstrip("'")) for p in _words()["participants"])


def _list_marker(text: str, cand: _Cand) -> bool:
    line_start = text.rfind("\n", 0, cand.num_start) + 1
    return (not text[line_start:cand.num_start].strip()
            and _LIST_MARK.match(text, cand.num_start) is not None)


def _paren_echo(text: str, cand: _Cand, cands: list[_Cand], i: int) -> bool:
    """'eight (8) MoUs': the digits in brackets repeat the number before them."""
    return i > 0 and cands[i - 1].value == cand.value and cand.num_start - cands[i - 1].end < 4


def _measure_before(text: str, low: str, start: int) -> Optional[str]:
    """The nearest measure phrase before `start` in the same clause (longest at a tie)."""
    lo = max(0, start - 160)
    clause = max(lo, max(text.rfind(ch, lo, start) for ch in ";!?\n") + 1)
    dot = text.rfind(". ", clause, start)
    if dot >= 0:
        clause = dot + 2
    last = None
    for m in _measure_re().finditer(low, clause, start):
        last = m
    if last is None:
        return None
    end = last.end()
    for phrase in _measures_by_last_word().get(last.group(0).rsplit(" ", 1)[-1], ()):
        if low.startswith(phrase, end - len(phrase)) and end - len(phrase) >= clause:
            return phrase
    return last.group(0)


@lru_cache(maxsize=1)
def _measures_by_last_word() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in sorted(_words()["measures"], key=len, reverse=True):
        out.setdefault(p.rsplit(" ", 1)[-1], []).append(p)
    return out


def _link_ranges(text: str, cands: list[_Cand]) -> None:
    """'6-6.5%', '1.4 to 1.5 billion dlrs', 'between 5 and 7 percent': the first end takes
    the unit (and scale) of the second; both get qualifier 'range'."""
    for a, b in zip(cands, cands[1:]):
        gap = text[a.end:b.start]
        if len(gap) > 6 or not _CONNECTOR.match(gap) or not gap.strip():
            continue
        word = gap.strip().lower()
        if word == "and" and not _BETWEEN.search(text, max(0, a.start - 20), a.start):
            continue
        if a.kind is None and b.kind is not None:
            a.kind, a.unit, a.what, a.unit_head = b.kind, b.unit, b.what, b.unit_head
            if b.scaled and not a.scaled:
                a.value *= b.scale
                a.scaled = True
        elif a.kind == "money" and b.kind is None:
            b.kind, b.unit = a.kind, a.unit
            if a.scaled and not b.scaled:
                b.value *= a.scale
        elif a.kind == b.kind and a.kind in ("money", "count") and b.scaled and not a.scaled:
            a.value *= b.scale  # 'six to seven mln barrels', '1.4 to 1.5 billion dlrs'
        elif a.kind != b.kind or a.kind in (None, "skip"):
            continue
        if word != "or" and a.kind != "skip":
            a.qualifier = b.qualifier = "range"
