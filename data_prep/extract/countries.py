"""Country and region recognition: text -> CountryMention / RegionMention records.

Every surface form (names, aliases, demonyms, cities, regions; data in ``data/countries/``) goes
into one trie-shaped regex, so an article is scanned once in C; the few candidates it yields are
then checked by small context rules (person names, the US state of Georgia, the bird, currency
and company names, ambiguous cities).  Longest match wins because the trie tries longer
continuations first.  Data is loaded lazily once and cached.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Optional

from data_prep.data_files import read_csv, read_json
from data_prep.lexicon import DEFAULT_LANGUAGE, language, resolve_language
from data_prep.records import Country, CountryMention, RegionMention
from data_prep.text.tries import trie_pattern


# Separators inside multi-word forms: spaces, a line break with indentation, hyphens.
_SEP_CHARS = " \t\n\r\xa0\u2009\u202f-\u2010\u2011\u2013"
_SEP_RE = "[\\s\\-\u2010\u2011\u2013]{1,6}"
_APOS_CHARS = "'\u2019\u2018`"
_APOS_RE = "['\u2019\u2018`]"
_KEY_SEP = re.compile(r"[\s\-\u2010\u2011\u2013]+")
_KEY_APOS = re.compile(r"['\u2019\u2018`]")

# Priority when one surface form means several things (higher wins).
_PRIORITY = {"region": 4, "block": 3, "name": 2, "alias": 2, "code": 2, "demonym": 2, "prefix": 2, "city": 1}
_LOWER_WORDS = {"of", "the", "and", "da", "de", "del", "la", "es", "d'", "y"}
_NO_FOLD = {"Malé", "Réunion"}  # their accent-free spelling is an ordinary English word

_WORDS_FILE = "context_words.json"  # word lists used by the context rules, each documented there

_WORD = r"\w+(?:['\u2019.\-]\w+)*"
_LOWER = re.compile(r"[^\W\d_A-Z\u00c0-\u00de]")  # a lower-case letter (roughly)
_CAP_PHRASE = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?")
_WORD_AT = re.compile(_WORD)
_NEXT_RE = re.compile(r"([^\w$]{0,8}?)(" + _WORD + r")")


@dataclass(frozen=True)
class _Form:
    """What one surface form means."""

    kind: str  # name|alias|code|demonym|prefix|city|block|region
    isos: tuple[str, ...] = ()  # candidate countries, default first
    pops: tuple[int, ...] = ()  # population per candidate (cities)
    canon: str = ""  # canonical place/region name
    person: str = ""  # also a personal name: F first name, S surname, P both
    place_kind: str = ""  # capital|city|place for cities
    special: str = ""  # a form with its own context rule: us|turkey|georgia|soviet|lang
    via: str = ""  # CountryMention.via: name|alias|demonym|city


@dataclass
class _Lexicon:
    countries: dict[str, dict[str, str]]
    natural: dict[str, _Form]
    upper: dict[str, _Form]
    pattern: re.Pattern  # forms starting with a capital letter (almost all)
    patterns_lower: list[re.Pattern]  # the few starting lower-case ("eurozone"), one per leading
    # letters, so that each scan is a fast literal search and common letters do not slow the main one
    lookup: dict[str, str]
    us_places: frozenset[str]  # US state names (for the Georgia rule)
    us_cities: frozenset[str]
    geo_cities: frozenset[str]  # cities of the country Georgia
    words: dict[str, frozenset[str]]  # context word lists (context_words.json)


def _read(name: str) -> list[dict[str, str]]:
    return read_csv("countries", name)


def _read_words() -> dict[str, frozenset[str]]:
    raw = read_json("countries", _WORDS_FILE)
    return {k: frozenset(v) for k, v in raw.items() if not k.startswith("_")}


def _key(text: str) -> str:
    return _KEY_APOS.sub("'", _KEY_SEP.sub(" ", text)).strip()


def _fold(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


def _variants(form: str, kind: str) -> tuple[set[str], set[str]]:
    """Natural-case spellings and all-caps spellings under which a form is matched."""
    nat = {form}
    if kind != "code":
        words = form.split(" ")
        titled = " ".join(w[:1].upper() + w[1:] if w.lower() in _LOWER_WORDS or (i == 0 and w.islower()) else w
                          for i, w in enumerate(words))
        nat.add(titled)
        if form not in _NO_FOLD:
            nat |= {_fold(v) for v in list(nat)}
    up = set() if kind == "code" else {v.upper() for v in nat} - nat
    return nat, up


def _merge(table: dict[str, _Form], key: str, form: _Form) -> None:
    old = table.get(key)
    if old is None or _PRIORITY[form.kind] > _PRIORITY[old.kind]:
        table[key] = form
    elif old.kind == "city" and form.kind == "city":
        isos, pops = list(old.isos), list(old.pops)
        for iso, pop in zip(form.isos, form.pops):
            if iso in isos:
                j = isos.index(iso)
                pops[j] = max(pops[j], pop)
            else:
                isos.append(iso)
                pops.append(pop)
        order = sorted(range(len(isos)), key=lambda j: -pops[j])
        table[key] = replace(old, isos=tuple(isos[j] for j in order), pops=tuple(pops[j] for j in order),
                             person="".join(sorted(set(old.person + form.person))))


def _form_atoms(form: str) -> list[str]:
    """A form's units for the trie: a run of separators is one unit, an apostrophe any of its kind."""
    atoms: list[str] = []
    i = 0
    while i < len(form):
        if form[i] in _SEP_CHARS:
            while i < len(form) and form[i] in _SEP_CHARS:
                i += 1
            atoms.append("\0sep")
        else:
            atoms.append("\0apos" if form[i] in _APOS_CHARS else form[i])
            i += 1
    return atoms


def _form_atom_pattern(atom: str) -> str:
    return _SEP_RE if atom == "\0sep" else _APOS_RE if atom == "\0apos" else re.escape(atom)


def _trie_regex(strings: set[str], shared: str = "") -> str:
    """A regex matching exactly the given strings as whole words, longer matches tried first.

    `shared` is a literal start common to all strings (a plain word start): matched first, so
    the regex engine can search for it as a literal. Otherwise the left word boundary is
    checked after the first character, so that the engine can skip ahead to characters that
    start some form instead of trying every position.
    """
    if shared:
        rest = trie_pattern((s[len(shared):] for s in strings), _form_atoms, _form_atom_pattern)
        return re.escape(shared) + "(?<!\\w.{%d})" % len(shared) + rest + "(?!\\w)"
    return ("(?:" + trie_pattern(strings, _form_atoms, _form_atom_pattern, after_first="(?<!\\w.)")
            + ")(?!\\w)")


@lru_cache(maxsize=None)
def _lexicon(lang: str = DEFAULT_LANGUAGE) -> _Lexicon:
    """The forms of the shared tables, plus, for another language, its country names (CLDR)
    and demonyms (`lang/<code>/`), which only its articles are read with ("Island" is
    Iceland in German, an ordinary word in English)."""
    countries = {r["iso3"]: r for r in _read("countries.csv")}
    counted = {iso: r["counted_as"] for iso, r in countries.items()}
    natural: dict[str, _Form] = {}
    upper: dict[str, _Form] = {}
    lookup: dict[str, str] = {}

    words = _read_words()

    def add(surface: str, form: _Form) -> None:
        special = ("us" if surface == "US" else "turkey" if surface == "Turkey" else "georgia" if surface == "Georgia"
                   else "soviet" if surface == "Soviet" else
                   "lang" if form.kind == "demonym" and surface in words["languages"] else "")
        via = {"name": "name", "demonym": "demonym", "prefix": "demonym", "city": "city"}.get(form.kind, "alias")
        form = replace(form, special=special, via=via)
        nat, up = _variants(surface, form.kind)
        for v in nat:
            _merge(natural, _key(v), form)
        for v in up:
            _merge(upper, _key(v), form)

    _add_aliases(add, countries, counted, lookup)
    for alias, kind, iso in _language_forms(lang):
        if counted[iso] != iso:
            add(alias, _Form("city", (counted[iso],), (0,), countries[iso]["name"], "", "place"))
        else:
            add(alias, _Form(kind, (iso,), (0,), "", ""))
    us_places, us_cities, geo_cities = _add_cities(add, counted)
    for row in _read("regions.csv"):
        for alias in row["aliases"].split("|"):
            add(alias, _Form("region", canon=row["name"]))
    pattern, patterns_lower = _surface_patterns(set(natural) | set(upper))
    return _Lexicon(countries, natural, upper, pattern, patterns_lower, lookup,
                    frozenset(us_places), frozenset(us_cities),
                    frozenset(geo_cities), words)


def _add_aliases(add, countries: dict[str, dict], counted: dict[str, str], lookup: dict[str, str]) -> None:
    """The curated names, aliases, demonyms and codes (aliases.csv); a place that stands for
    another country (Hong Kong for China) as a city of it."""
    for row in _read("aliases.csv"):
        kind, alias = row["kind"], row["alias"]
        isos = tuple(i for i in row["iso3"].split("|") if i)
        person = row["flags"]
        if kind != "block" and kind != "prefix" and isos:
            lookup.setdefault(alias.casefold(), counted[isos[0]])
        if any(counted[i] != i for i in isos):  # Hong Kong, Macau: a place standing for China
            add(alias, _Form("city", tuple(counted[i] for i in isos), (0,) * len(isos),
                             countries[isos[0]]["name"], person, "place"))
            continue
        add(alias, _Form(kind, isos, (0,) * len(isos), "", person))


def _add_cities(add, counted: dict[str, str]) -> tuple[set[str], set[str], set[str]]:
    """The cities (cities.csv) with their populations; (US places, US cities, cities of
    Georgia), which tell the US state from the country."""
    us_places, us_cities, geo_cities = set(), set(), set()
    for row in _read("cities.csv"):
        iso = counted[row["iso3"]]
        add(row["name"], _Form("city", (iso,), (int(row["population"] or 0),), row["name"], row["flags"], row["kind"]))
        if iso == "GEO":
            geo_cities.add(row["name"])
        if iso == "USA":
            (us_places if row["kind"] == "place" else us_cities).add(row["name"])
    return us_places, us_cities, geo_cities


def _surface_patterns(surfaces: set[str]) -> tuple[re.Pattern, list[re.Pattern]]:
    """One trie regex for the forms that start in upper case, and one per shared opening of
    the lower-case ones (a regex that starts with any letter is slow to scan)."""
    pattern = re.compile(_trie_regex({x for x in surfaces if not x[0].islower()}))
    groups: dict[str, set[str]] = {}
    for surface in surfaces:
        if surface[0].islower():
            groups.setdefault(re.match(r"[^\W\d_]{1,4}", surface).group(), set()).add(surface)
    return pattern, [re.compile(_trie_regex(group, shared)) for shared, group in groups.items()]


def _language_forms(lang: str) -> list[tuple[str, str, str]]:
    """(surface, kind, iso3) of one language's country names and demonyms; none for the
    default language, whose forms are the curated tables in data/countries/."""
    if lang == DEFAULT_LANGUAGE:
        return []
    data = language(lang)
    own = data.section("countries")
    skip = set(own.get("not_countries", []))
    forms = [(name, "name", iso) for iso, name in data.cldr.get("countries", {}).items()]
    forms += [(name, "name", iso) for iso, names in own.get("names", {}).items() for name in names]
    forms += [(form, "demonym", iso) for iso, demonyms in own.get("demonyms", {}).items() for form in demonyms]
    return [f for f in forms if f[0] not in skip]


# ---------------------------------------------------------------- context helpers

def _next_word(text: str, end: int) -> tuple[str, str]:
    m = _NEXT_RE.match(text, end, min(len(text), end + 60))
    return (m.group(2), m.group(1)) if m else ("", "")


def _word_and_gap_before(text: str, start: int) -> tuple[str, str]:
    """The word before `start` and the characters between it and `start` (scanned backwards)."""
    i, lo = start, max(0, start - 8)
    while i > lo and not text[i - 1].isalnum():
        i -= 1
    j, lo = i, max(0, i - 40)
    while j > lo and (text[j - 1].isalnum() or text[j - 1] in "'\u2019.-" and j > 1 and text[j - 2].isalnum()):
        j -= 1
    return text[j:i], text[i:start]


def _is_cap(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _all_caps_context(text: str, start: int, end: int) -> bool:
    return _LOWER.search(text, max(0, start - 30), end + 30) is None


class _Cand:
    """A candidate mention between the two passes."""

    __slots__ = ("form", "text", "start", "end", "iso", "weak", "via")

    def __init__(self, form: _Form, text: str, start: int, end: int) -> None:
        self.form, self.text, self.start, self.end = form, text, start, end
        self.iso: Optional[str] = form.isos[0] if form.isos else None
        self.weak = False
        self.via = form.via


def _check(text: str, match: re.Match, form: _Form, upper: bool, words: dict[str, frozenset[str]]) -> Optional[_Cand]:
    """Apply the context rules to one country-level candidate; None when it is not a mention."""
    start, end = match.span()
    follower = text[end:end + 1]
    next_word = ""
    if follower in (" ", "-", "\xa0"):
        word_match = _WORD_AT.match(text, end + 1)
        if word_match:
            next_word = word_match.group()
    elif follower == "\n" and _currency_on_next_line(text, end, words):
        return None  # hard-wrapped wire copy: "against the U.S.\ndollar"
    if form.kind == "prefix":  # "Sino-Kazakh"
        return _Cand(form, match.group(), start, end) if follower == "-" and next_word else None
    if follower == "$" or _names_no_country(text, start, end, follower, next_word, words):
        return None  # US$, U.S. dollars, British Airways, Air China
    cand = _Cand(form, match.group(), start, end)
    if not (form.special or form.person):
        return cand
    next_word, gap = _next_word(text, end)
    if _special_form_rules_out(text, start, end, form, cand.text.lower(), next_word, gap, words):
        return None
    if form.person:
        return _person_or_country(cand, text, form, upper, next_word, gap, words)
    return cand


def _currency_on_next_line(text: str, end: int, words: dict[str, frozenset[str]]) -> bool:
    """The word at the start of the next line names a currency ('U.S.\ndollar')."""
    ahead = text[end + 1:end + 12]
    word_match = _WORD_AT.match(text, end + 1 + len(ahead) - len(ahead.lstrip()))
    return bool(word_match and word_match.group().lower() in words["currency_after"])


def _names_no_country(text: str, start: int, end: int, follower: str, next_word: str,
                      words: dict[str, frozenset[str]]) -> bool:
    """The form is part of a currency or a company name: U.S. dollars, Japanese yen (but
    Indian real estate), British Airways (but Indian Air Force), Air China."""
    if next_word:
        low_next = next_word.lower()
        if low_next in words["currency_after"] and not (low_next == "real" and text.startswith(" estate", end + 5)):
            return True
        if follower == " " and next_word in words["company_after"] and not (
                next_word == "Air" and text.startswith(" Force", end + 4)):
            return True
    if start > 1 and text[start - 1] == " ":
        space = text.rfind(" ", max(0, start - 14), start - 1)
        if text[space + 1:start - 1] in words["company_before"]:
            return True
    return False


def _special_form_rules_out(text: str, start: int, end: int, form: _Form, low: str, next_word: str,
                            gap: str, words: dict[str, frozenset[str]]) -> bool:
    """The rules of forms that are also common words: 'US' (LET US KNOW), 'turkey' (the
    bird), 'Soviet' (post-Soviet, Soviet-era), a language name ('written in Russian')."""
    if form.special == "us":
        before, before_gap = _word_and_gap_before(text, start)
        if before_gap == " " and before.isupper() and before in words["us_pronoun_before"]:
            return True
    elif form.special == "turkey" and low == "turkey":
        before, before_gap = _word_and_gap_before(text, start)
        if before.lower() in words["turkey_before"] and before_gap == " " or \
                next_word.lower() in words["turkey_after"] and gap == " ":
            return True
    elif form.special == "soviet":
        before, before_gap = _word_and_gap_before(text, start)
        if before.lower() in words["soviet_before"] and before_gap in (" ", "-") or \
                next_word.lower() in words["soviet_after"]:
            return True
    if form.special == "lang":
        before, before_gap = _word_and_gap_before(text, start)
        ends_clause = text[end:end + 1] in (".", ",", ";", ")", "")
        if gap == "-" and next_word.lower() in ("language", "languages", "speaking", "speaker", "speakers") or \
                before_gap == " " and (before.lower() in words["language_before"] or before == "in" and ends_clause):
            return True  # "written in Russian.", "Russian-language", "speaks French"
    return False


def _person_or_country(cand: _Cand, text: str, form: _Form, upper: bool, next_word: str, gap: str,
                       words: dict[str, frozenset[str]]) -> Optional[_Cand]:
    """A form that is also a person's name (Jordan, Chad) or a US state (Georgia): None for
    'Michael Jordan', 'Mr. Jordan', 'Jordan Peterson'; weak before a speech verb."""
    start, end = cand.start, cand.end
    before, before_gap = _word_and_gap_before(text, start)
    if form.special == "georgia" and _georgia_is_us(text, start, end, next_word, gap, before, before_gap):
        cand.iso, cand.via = "USA", "city"
        return cand
    if not (upper or _all_caps_context(text, start, end)):
        if ("S" in form.person or "P" in form.person) and before_gap == " " and _is_cap(before) and \
                before not in words["not_first_name"] and not before.isupper() and \
                not before.endswith(("'s", "\u2019s")):
            return None  # Michael Jordan
        if before_gap in (". ", " ") and before in words["titles"]:
            return None  # Mr. Jordan, Dr Chad
        if ("F" in form.person or "P" in form.person) and gap == " " and _is_cap(next_word) and \
                next_word not in words["place_after"] and next_word not in words["not_first_name"]:
            after, after_gap = _next_word(text, end + 1 + len(next_word))
            if not (_is_cap(after) and after_gap == " "):
                return None  # Jordan Peterson
    if next_word.lower() in words["speech"]:
        cand.weak = True  # "Jordan said": kept only if the country is named elsewhere
    return cand


def _georgia_is_us(text: str, start: int, end: int, nxt: str, gap: str, prev: str, pgap: str) -> bool:
    """Whether "Georgia" here is the US state (a place in the USA), not the country."""
    lex = _lexicon()
    if gap.strip() == "," and nxt in ("US", "U.S", "U.S.", "USA", "United"):  # "Georgia, US"
        return True
    if gap == " " and nxt in lex.words["georgia_us_after"]:
        return True
    if prev in lex.words["georgia_us_before"] or (prev in lex.us_cities and pgap.strip() == ","):
        return True
    if prev in lex.geo_cities and pgap.strip() == ",":
        return False
    # another US state in the same sentence ("in Georgia and Alabama")
    left = text.rfind(". ", max(0, start - 100), start)
    right = text.find(". ", end, end + 100)
    window = text[left + 1 if left >= 0 else max(0, start - 100):right if right >= 0 else end + 100]
    for w in _CAP_PHRASE.findall(window):
        if w != "Georgia" and w != "Washington" and (w in lex.us_places or w in ("Atlanta", "Savannah")):
            return True
    return False


# ---------------------------------------------------------------- public API

def find_countries(text: str, lang: Optional[str] = None) -> tuple[list[CountryMention], list[RegionMention]]:
    """Every country mention (text order, non-overlapping, longest match wins) and region
    mention; `lang` (detected when not given) adds that language's names and demonyms."""
    if not isinstance(text, str) or not text:
        return [], []
    lex = _lexicon(resolve_language(text, lang))
    original, text = text, _case_restored(text)
    cands: list[_Cand] = []
    regions: list[RegionMention] = []
    for m in _matches(text, lex):
        surface = m.group()
        form = lex.natural.get(surface)
        upper = False
        if form is None:
            k = _key(surface)
            form = lex.natural.get(k)
            if form is None:
                form = lex.upper.get(k)
                upper = True
                if form is None:
                    continue
        if form.kind == "region":
            regions.append(RegionMention(form.canon, m.group(), m.start(), m.end()))
            continue
        if form.kind == "block":
            continue
        cand = _check(text, m, form, upper, lex.words)
        if cand is not None:
            cands.append(cand)
    mentions = _resolve(text, cands)
    if original is not text:  # a mention quotes the words as written
        mentions = [replace(m, text=original[m.start:m.end]) for m in mentions]
    return mentions, regions


def _case_restored(text: str) -> str:
    """Text that lost its capitals (wire copy typed in lower case) names countries in small
    letters ('venezuela', 'the german state bank'): where two such names occur, every one is
    capitalised, same length, so offsets hold. Cities and names that are ordinary words
    ('turkey', 'polish') are never read this way."""
    table, pattern = _lowercase_forms()
    if len(pattern.findall(text)) < _LOST_CAPITALS_MIN:
        return text
    return pattern.sub(lambda m: table[m.group()], text)


_LOST_CAPITALS_MIN = 2  # one small-letter name may be a typo or a URL; two are a habit


@lru_cache(maxsize=1)
def _lowercase_forms() -> tuple[dict[str, str], re.Pattern]:
    lex = _lexicon()
    common = lex.words.get("common_lowercase", frozenset())
    table: dict[str, str] = {}
    for surface, form in lex.natural.items():
        low = surface.lower()
        if form.via in ("name", "alias", "demonym") and form.kind != "city" and low != surface \
                and len(low) == len(surface) and len(low) >= 4 and low not in common and low.isalpha():
            table.setdefault(low, surface)
    return table, re.compile(r"\b(?:" + _trie_regex(set(table)) + r")\b")


def _matches(text: str, lex: _Lexicon) -> list[re.Match]:
    """Matches of both patterns in text order; where they overlap the longer one wins."""
    main = list(lex.pattern.finditer(text))
    extra = [m for p in lex.patterns_lower for m in p.finditer(text)]
    if not extra:
        return main
    merged = sorted(main + extra, key=lambda m: (m.start(), -m.end()))
    out: list[re.Match] = []
    for m in merged:
        if out and m.start() < out[-1].end():
            continue
        out.append(m)
    return out


def _resolve(text: str, cands: list[_Cand]) -> list[CountryMention]:
    """Second pass: ambiguous names and cities, weak mentions, 'City, State' qualifiers."""
    strong = {cand.iso for cand in cands if not cand.weak and len(cand.form.isos) == 1}
    for i, cand in enumerate(cands):
        if i + 1 < len(cands) and _qualified_city(text, cand, cands[i + 1]):
            continue
        if len(cand.form.isos) > 1 and cand.iso == cand.form.isos[0]:
            cand.iso = _one_of_many(cand.form, strong)
        if cand.weak and cand.iso not in strong:
            cand.iso = None
        if cand.iso == "JEY" and any(other.form.canon == "New Jersey" for other in cands):
            cand.iso = None
    _georgia_by_document(text, cands)
    return [CountryMention(cand.iso, cand.text, cand.start, cand.end, cand.via,
                           (cand.form.canon or cand.text) if cand.via == "city" else None)
            for cand in cands if cand.iso]


def _qualified_city(text: str, cand: _Cand, qualifier: _Cand) -> bool:
    """"Hyderabad, Pakistan", "Paris, Texas": a city followed by a comma and a country or a
    place decides its country (or none); False when there is no such qualifier."""
    form = cand.form
    if not (form.kind == "city" and cand.via == "city" and text.startswith(",", cand.end)):
        return False
    if text[cand.end:qualifier.start].strip() == "," and (qualifier.form.kind in ("name", "alias", "code")
                                                          or qualifier.form.place_kind == "place"):
        if qualifier.iso in form.isos:
            cand.iso = qualifier.iso
            return True
        if len(form.isos) > 1 or qualifier.form.place_kind == "place":
            cand.iso = None
            return True
    return False


def _one_of_many(form: _Form, strong: set[str]) -> Optional[str]:
    """The country of a form that several share: the one the article names on its own, else
    for a city the far larger one (its population at least 1.5 million and four times the
    next), else none."""
    named = [iso for iso in form.isos if iso in strong]
    if named:
        return named[0]
    if form.kind == "city":
        pops = form.pops
        return form.isos[0] if pops[0] >= 1_500_000 and pops[0] >= 4 * max(pops[1], 1) else None
    return form.isos[0]


_CAUCASUS = re.compile(r"\b(?:Caucasus|Tbilisi|Batumi|Kutaisi|lari)\b")


def _georgia_by_document(text: str, cands: list[_Cand]) -> None:
    """A bare "Georgia" in an article set in the United States (US places named, e.g. "Laredo,
    Texas") is the state, unless the article shows the country (Georgian, Tbilisi, Caucasus)."""
    bare = [cand for cand in cands if cand.iso == "GEO" and cand.text == "Georgia"]
    if not bare:
        return
    us_places = any(cand.iso == "USA" and cand.via == "city" for cand in cands)
    country = any(cand.iso in ("GEO", "ARM", "AZE") and cand.text != "Georgia" for cand in cands) or _CAUCASUS.search(text)
    if us_places and not country:
        for cand in bare:
            cand.iso = "USA"


def summarise_countries(mentions: list[CountryMention]) -> list[Country]:
    """One Country per ISO3 with its mention count and spans, first-mentioned first."""
    by_iso: dict[str, Country] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        country = by_iso.get(m.iso3)
        if country is None:
            country = by_iso[m.iso3] = Country(m.iso3, country_name(m.iso3), 0, [])
        country.mentions += 1
        country.spans.append((m.start, m.end))
    return list(by_iso.values())


def country_name(iso3: str) -> str:
    """Short common English name ("South Korea", "Turkey"); the input itself when unknown."""
    if not isinstance(iso3, str):
        return ""
    row = _lexicon().countries.get(iso3.strip().upper())
    return row["name"] if row else iso3


def lookup_country(name_or_code: str) -> Optional[str]:
    """ISO3 for a name, alias, demonym, ISO2 or ISO3 (case-insensitive); None if unknown."""
    if not isinstance(name_or_code, str):
        return None
    q = " ".join(name_or_code.split())
    if not q:
        return None
    lex = _lexicon()
    up = q.upper()
    if len(q) == 3 and up in lex.countries:
        return up
    if len(q) == 2:
        for iso, row in lex.countries.items():
            if row["iso2"] == up:
                return iso
    for cand in (q.casefold(), _fold(q).casefold(), _key(q).casefold()):
        if cand in lex.lookup:
            return lex.lookup[cand]
    return _pycountry_lookup(q)


@lru_cache(maxsize=256)
def _pycountry_lookup(q: str) -> Optional[str]:
    """Exact (never fuzzy) match on pycountry's own names, e.g. "Korea, Republic of"."""
    import pycountry

    for record in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            v = getattr(record, attr, None)
            if v and v.casefold() == q.casefold():
                return record.alpha_3
    return None


def country_region(iso3: str) -> Optional[str]:
    """UN M49 sub-region ("Central Asia", "South-eastern Asia", "Western Europe")."""
    if not isinstance(iso3, str):
        return None
    row = _lexicon().countries.get(iso3.strip().upper())
    return row["subregion"] if row else None


def all_countries() -> list[tuple[str, str]]:
    """(iso3, name) for every ISO 3166-1 country, sorted by name."""
    rows = _lexicon().countries
    return sorted(((iso, r["name"]) for iso, r in rows.items()), key=lambda t: _fold(t[1]).casefold())
