"""Language knowledge, read from data: one folder per language under `data/lang/<code>/`.

Each folder holds `cldr.json` (month and weekday names, and for some languages country and
currency names, generated from Unicode CLDR by `tools/make_lang_tables.py`; never edited by
hand) and `words.json` (what CLDR does not give: spelling variants, words not to read as dates,
relative days, number and scale words, cue words, demonyms). Adding a language is adding a
folder. Both files are checked against the schema below when first read: an unknown or missing
key stops the program with a message naming the file and the key, so a misspelt key never
silently drops words. Nothing here depends on the machine's locale.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from data_prep.data_files import data_path

LANG_DIR = data_path("lang")
DEFAULT_LANGUAGE = "en"


class LexiconError(ValueError):
    """A language file does not follow the schema."""


# ------------------------------------------------------------------------------ schema
# key -> (type, required). Nested dicts are schemas of their own.
_DATES = {
    "month_names": (dict, False), "month_abbr": (dict, False), "weekdays": (dict, False),
    "not_dates": (list, False), "lowercase_not_month": (list, False), "weak_months": (list, False),
    "no_bare": (list, False), "abbr_only": (list, False), "relative_days": (dict, False), "relative_years": (dict, False),
    "relative_months": (dict, False), "modifiers": (dict, False),
}
_NUMBERS = {
    "units": (dict, False), "tens": (dict, False), "phrases": (dict, False), "hundreds": (list, False),
    "scales": (dict, False),
    "glued_only": (list, False), "percent_words": (list, False), "currency_linkers": (list, False),
}
_COUNTS = {"capitalised_nouns": (bool, False), "singular_endings": (list, False), "invariable": (list, False),
           "not_heads": (list, False), "stop_words": (list, False), "anaphoric": (list, False)}
_COUNTRIES = {"names": (dict, False), "demonyms": (dict, False), "not_countries": (list, False)}
_CUES = {"kinds": (dict, False), "conflict": (list, False), "negative": (list, False),
         "speculative": (list, False)}
# what a money amount by a pair measures (regex fragments by measure), whether it is only
# planned, whose own total it is (an owner such as "its", then one of the nouns), the words of a
# reported event, of the pair's own money ("two-way"), and week phrases with their day offsets
_DEALS = {"measures": (dict, True), "planned": (list, True), "one_country": (list, True),
          "one_country_owners": (str, True), "events": (list, True), "bilateral": (list, True),
          "weeks": (dict, True)}
_WORDS = {
    "_about": (str, True), "function_words": (list, False), "dates": (_DATES, False),
    "numbers": (_NUMBERS, False), "counts": (_COUNTS, False), "countries": (_COUNTRIES, False),
    "cues": (_CUES, False), "deals": (_DEALS, False),
}
_CLDR = {
    "_generated": (str, True), "months": (dict, True), "weekdays": (dict, True),
    "countries": (dict, False), "currencies": (dict, False),
}


def _check(data: Any, schema: dict, where: str) -> None:
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: expected an object, found {type(data).__name__}")
    for key in data:
        if key not in schema:
            raise LexiconError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(schema))})")
    for key, (kind, required) in schema.items():
        if key not in data:
            if required:
                raise LexiconError(f"{where}: missing key {key!r}")
            continue
        if isinstance(kind, dict):
            _check(data[key], kind, f"{where}: {key}")
        elif not isinstance(data[key], kind):
            raise LexiconError(f"{where}: {key!r} must be a {kind.__name__}, found {type(data[key]).__name__}")


def _check_calendar(data: dict, where: str) -> None:
    if sorted(data["months"], key=int) != [str(m) for m in range(1, 13)]:
        raise LexiconError(f"{where}: 'months' must have the keys 1..12")
    if sorted(data["weekdays"], key=int) != [str(d) for d in range(7)]:
        raise LexiconError(f"{where}: 'weekdays' must have the keys 0..6 (Monday = 0)")
    for num, forms in data["months"].items():
        _check(forms, {"names": (list, True), "abbr": (list, True)}, f"{where}: months: {num}")


def _read(path: Path, schema: dict) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LexiconError(f"{path.parent.name}/{path.name}: missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise LexiconError(f"{path.parent.name}/{path.name}: not readable JSON: {err}") from None
    _check(data, schema, f"{path.parent.name}/{path.name}")
    return data


# ------------------------------------------------------------------------------ languages
@dataclass(frozen=True)
class Language:
    """Everything one language's data says, as read (lower-case words)."""

    code: str
    cldr: dict
    words: dict

    def section(self, name: str) -> dict:
        return self.words.get(name, {})


def load_language(folder: Path) -> Language:
    """One language folder, checked against the schema; raises LexiconError naming the file."""
    cldr = _read(folder / "cldr.json", _CLDR)
    _check_calendar(cldr, f"{folder.name}/cldr.json")
    return Language(folder.name, cldr, _read(folder / "words.json", _WORDS))


@lru_cache(maxsize=1)
def languages() -> dict[str, Language]:
    """Every language folder, read once, by code."""
    found = {p.name: load_language(p) for p in sorted(LANG_DIR.iterdir()) if p.is_dir()}
    if DEFAULT_LANGUAGE not in found:
        raise LexiconError(f"lang/{DEFAULT_LANGUAGE}: missing (the default language)")
    return found


def language(code: str) -> Language:
    """One language, the default one for a code without a folder."""
    langs = languages()
    return langs.get(code, langs[DEFAULT_LANGUAGE])


# ------------------------------------------------------------------------------ merged views
@dataclass(frozen=True)
class CalendarWords:
    """Month and weekday words of every language at once (dates are read whatever the
    article's language: a Russian dateline in an English story is still a date)."""

    month_of: dict[str, int]  # name or abbreviation -> 1..12
    abbr: frozenset[str]  # abbreviations: only next to a day or a year
    english: frozenset[str]  # month words of the default language
    weekday_of: dict[str, int]
    lowercase_not_month: frozenset[str]
    weak_months: frozenset[str]
    no_bare: frozenset[str]
    relative_days: dict[str, int]
    relative_years: dict[str, int]
    relative_months: dict[str, int]
    modifiers: dict[str, int]


def _language_months(lang: Language) -> tuple[dict[str, int], dict[str, int]]:
    dates = lang.section("dates")
    names = {w: int(n) for n, f in lang.cldr["months"].items() for w in f["names"]}
    abbr = {w: int(n) for n, f in lang.cldr["months"].items() for w in f["abbr"]}
    names.update({w: int(n) for n, ws in dates.get("month_names", {}).items() for w in ws})
    abbr.update({w: int(n) for n, ws in dates.get("month_abbr", {}).items() for w in ws})
    for word in dates.get("not_dates", []):
        names.pop(word, None)
        abbr.pop(word, None)
    for word in dates.get("abbr_only", []):  # a full name here, but also a given name ("Jun")
        if word in names:
            abbr[word] = names.pop(word)
    return names, abbr


@lru_cache(maxsize=1)
def calendar_words() -> CalendarWords:
    """Month, weekday and relative-date words of every language, merged."""
    names: dict[str, int] = {}
    abbr: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    lists: dict[str, set[str]] = {"lowercase_not_month": set(), "weak_months": set(), "no_bare": set()}
    maps: dict[str, dict[str, int]] = {k: {} for k in ("relative_days", "relative_years", "relative_months", "modifiers")}
    english: set[str] = set()
    demoted: set[str] = set()
    for code, lang in languages().items():
        dates = lang.section("dates")
        demoted.update(dates.get("abbr_only", []))
        lang_names, lang_abbr = _language_months(lang)
        names.update(lang_names)
        abbr.update(lang_abbr)
        if code == DEFAULT_LANGUAGE:
            english = set(lang_names) | set(lang_abbr)
        wd = {w: int(n) for n, ws in lang.cldr["weekdays"].items() for w in ws}
        wd.update({w: int(n) for n, ws in dates.get("weekdays", {}).items() for w in ws})
        weekdays.update({w: n for w, n in wd.items() if w not in dates.get("not_dates", [])})
        for key, acc in lists.items():
            acc.update(dates.get(key, []))
        for key, acc in maps.items():
            acc.update(dates.get(key, {}))
    # a word that is a full month name in any language is a name (stands alone), never
    # only an abbreviation: "mai" is May in German and French though Portuguese shortens maio so
    abbr_only = {w: n for w, n in abbr.items() if w not in names or w in demoted}
    return CalendarWords(
        month_of={**abbr_only, **{w: n for w, n in names.items() if w not in demoted}},
        abbr=frozenset(abbr_only), english=frozenset(english),
        weekday_of=weekdays, lowercase_not_month=frozenset(lists["lowercase_not_month"]),
        weak_months=frozenset(lists["weak_months"]), no_bare=frozenset(lists["no_bare"]), **maps)


def month_name(month: int, code: str = DEFAULT_LANGUAGE) -> str:
    """The month's name to show ("March"), from the language data: strftime's would follow the
    machine's locale."""
    return language(code).cldr["months"][str(month)]["names"][0].capitalize()


@lru_cache(maxsize=1)
def month_words() -> frozenset[str]:
    """Every month name and abbreviation of every language, lower case."""
    return frozenset(calendar_words().month_of)


@lru_cache(maxsize=None)
def number_words(code: str = DEFAULT_LANGUAGE) -> dict:
    """Number-word tables: the spelled-out numbers (units, tens, phrases, the word for a
    hundred) of the article's language, the default language's for one without them (they
    are other words elsewhere: French "sept" is September in English, German "elf" an elf);
    scale words and percent words of every language."""
    own = language(code).section("numbers")
    spelled = own if own.get("units") else language(DEFAULT_LANGUAGE).section("numbers")
    out = {key: dict(spelled.get(key, {})) for key in ("units", "tens", "phrases")}
    out["hundreds"] = list(spelled.get("hundreds", []))
    out["scales"], out["glued_only"], out["percent_words"] = {}, [], []
    for lang in languages().values():
        nums = lang.section("numbers")
        out["scales"].update(nums.get("scales", {}))
        out["glued_only"] += [w for w in nums.get("glued_only", []) if w not in out["glued_only"]]
        out["percent_words"] += [w for w in nums.get("percent_words", []) if w not in out["percent_words"]]
    return out


def deal_words(code: str) -> dict:
    """The deal words (`deals` section) of a language; the default language's for a language
    that has none."""
    own = language(code).section("deals")
    return own if own else language(DEFAULT_LANGUAGE).section("deals")


@lru_cache(maxsize=1)
def currency_names() -> dict[str, list[str]]:
    """ISO 4217 code -> its names in the languages that list them (CLDR), lower case."""
    out: dict[str, list[str]] = {}
    for lang in languages().values():
        for code, names in lang.cldr.get("currencies", {}).items():
            known = out.setdefault(code, [])
            known += [n.lower() for n in names if n.lower() not in known]
    return out


# ------------------------------------------------------------------------------ which language
_DETECT_CHARS = 500  # the headline and lead say what language the article is in
_MIN_WORDS = 3  # distinct function words another language needs, and twice the default one's


@lru_cache(maxsize=1)
def _function_words() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """Every language's function words (also as written before a comma or a full stop), and
    the languages of each."""
    owners: dict[str, tuple[str, ...]] = {}
    for code, lang in languages().items():
        for word in lang.words.get("function_words", []):
            for form in (word, word + ",", word + "."):
                owners[form] = owners.get(form, ()) + (code,)
    return frozenset(owners), owners


def detect_language(text: str) -> str:
    """The article's language by how many of its commonest short words ("the", "der", "les")
    the lead uses; the default language unless another one clearly leads (a quoted German
    phrase leaves an English story English). Deterministic and cheap (one set look-up per
    word of the lead), so every extractor can afford to ask."""
    every, owners = _function_words()
    if not text or not every:
        return DEFAULT_LANGUAGE
    counts: dict[str, int] = {}
    for word in every.intersection(text[:_DETECT_CHARS].lower().split()):
        for code in owners[word]:
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return DEFAULT_LANGUAGE
    base = counts.get(DEFAULT_LANGUAGE, 0)
    best = max(counts, key=lambda c: (counts[c], c == DEFAULT_LANGUAGE))
    return best if counts[best] >= _MIN_WORDS and counts[best] > 2 * base else DEFAULT_LANGUAGE


def resolve_language(text: str, lang: Optional[str]) -> str:
    """`lang` when the caller knows it, else the detected one."""
    return lang if lang else detect_language(text)
