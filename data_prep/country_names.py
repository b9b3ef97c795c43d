"""Country names in other languages and scripts ("Қазақстан", "中国", "日本"), for looking up
a name someone typed or put in a link.

Why here and not in the extractor's lexicon: these names come from pycountry's translation
catalogues (ISO 3166-1 in about 160 languages), which are made for display and hold short
words that would be wrong as cues in running text; they are used only to resolve a whole
value, after the extractor's own lexicon (`extract.countries.lookup_country`) has had its say.
A name that two countries share in some language resolves to neither.
"""
from __future__ import annotations

import gettext
import os
import unicodedata
from functools import lru_cache
from typing import Optional


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@lru_cache(maxsize=1)
def _translated_index() -> dict[str, str]:
    """Every translated name of every country -> its ISO3 (ambiguous names left out)."""
    import pycountry

    folder = pycountry.LOCALES_DIR
    found: dict[str, set[str]] = {}
    for language in sorted(os.listdir(folder)):
        try:
            catalogue = gettext.translation("iso3166-1", folder, languages=[language])
        except OSError:  # a language without country names
            continue
        for country in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                english = getattr(country, attr, None)
                if not english:
                    continue
                local = catalogue.gettext(english)
                if local and local != english:
                    found.setdefault(_key(local), set()).add(country.alpha_3)
    return {name: next(iter(codes)) for name, codes in found.items() if len(codes) == 1}


def lookup_translated(name: str) -> Optional[str]:
    """ISO3 of a country named in any language pycountry translates into, else None."""
    if not isinstance(name, str) or not name.strip():
        return None
    return _translated_index().get(_key(name))
