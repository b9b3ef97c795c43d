"""Write the generated language tables, `data_prep/data/lang/<code>/cldr.json`, from CLDR.

    python tools/make_lang_tables.py          # rewrite every language's cldr.json
    python tools/make_lang_tables.py --check  # exit 1 if a file differs from what CLDR gives

Dev-time only: Babel (pinned in requirements-dev.txt) carries the Unicode CLDR data; the app
and the extractors read the JSON this writes and never import Babel. What is taken:
month names (wide, in the format and stand-alone contexts, so Russian and Polish give both
"январь" and "января"), abbreviated month names (the final "." dropped), weekday names
(wide); for the languages in COUNTRY_LANGUAGES also the names of the countries in
`data/countries/countries.csv` and the names of the currencies in `data/currencies.csv`
(singular and plural). Hand additions and exclusions live beside it in `words.json`.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import babel
from babel import Locale
from babel.core import get_global
from babel.numbers import get_currency_name

ROOT = Path(__file__).resolve().parent.parent
LANG_DIR = ROOT / "data_prep" / "data" / "lang"
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "ru", "tr", "id", "ms", "pl")
COUNTRY_LANGUAGES = ("de", "fr")  # languages whose articles get their own country and currency names


def _clean(word: str) -> str:
    return word.lower().rstrip(".")


def _months(loc: Locale) -> dict[str, dict[str, list[str]]]:
    out = {}
    for month in range(1, 13):
        names = {_clean(loc.months[ctx]["wide"][month]) for ctx in ("format", "stand-alone")}
        abbr = {_clean(loc.months[ctx]["abbreviated"][month]) for ctx in ("format", "stand-alone")} - names
        out[str(month)] = {"names": sorted(names), "abbr": sorted(abbr)}
    return out


def _weekdays(loc: Locale) -> dict[str, list[str]]:
    return {str(day): sorted({_clean(loc.days[ctx]["wide"][day]) for ctx in ("format", "stand-alone")})
            for day in range(7)}


def _countries(loc: Locale) -> dict[str, str]:
    """ISO3 -> the country's name in this language, for every sovereign entry we list."""
    with open(ROOT / "data_prep" / "data" / "countries" / "countries.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {r["iso3"]: loc.territories[r["iso2"]] for r in rows if r["iso2"] in loc.territories}


def _currencies(code: str) -> dict[str, list[str]]:
    """ISO 4217 code -> its names in this language (singular, plural)."""
    with open(ROOT / "data_prep" / "data" / "currencies.csv", encoding="utf-8") as f:
        codes = sorted({r["code"] for r in csv.DictReader(line for line in f if not line.startswith("#"))})
    out = {}
    for iso in codes:
        names = {get_currency_name(iso, count=n, locale=code) for n in (1, 2)}
        names.discard(iso)  # CLDR falls back to the code where it has no name
        if names:
            out[iso] = sorted(names)
    return out


def table(code: str) -> dict:
    """The generated table of one language, as written to its cldr.json."""
    loc = Locale.parse(code)
    out = {
        "_generated": f"by tools/make_lang_tables.py from Unicode CLDR {get_global('cldr')['version']} "
                      f"(Babel {babel.__version__}); do not edit: add or exclude words in words.json",
        "months": _months(loc),
        "weekdays": _weekdays(loc),
    }
    if code in COUNTRY_LANGUAGES:
        out["countries"] = _countries(loc)
        out["currencies"] = _currencies(code)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args()
    stale = []
    for code in LANGUAGES:
        path = LANG_DIR / code / "cldr.json"
        text = json.dumps(table(code), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(ROOT)))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for p in stale:
        print(f"{p}: differs from CLDR; run python tools/make_lang_tables.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
