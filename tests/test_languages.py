"""Language knowledge as data: the loader's schema check, each language's words at work, and
our own German and French articles read end to end.

Golden cases live in `tests/data/lang/cases.jsonl` ({"why", "text", "published", "expected"},
each expected field one of lang, countries, pairs, figures, dates, deals);
the articles in `tests/data/lang/articles/` with their gold in `tests/data/lang/gold.jsonl`.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from data_prep import lexicon
from data_prep.contract import to_contract
from data_prep.evaluation import FIELDS, load_jsonl, score
from data_prep.extract.figures import find_figures
from data_prep.ingest.html_text import iso_date
from data_prep.lexicon import LexiconError, detect_language, load_language
from data_prep.service import extract, extract_paths
from data_prep.records import RawArticle

ROOT = Path(__file__).resolve().parent.parent
LANG_DATA = Path(__file__).parent / "data" / "lang"
CASES = [json.loads(line) for line in (LANG_DATA / "cases.jsonl").read_text("utf-8").splitlines() if line.strip()]


# --- golden cases: each language's words at work, positives and negatives ----------------

def _observed(case: dict) -> dict:
    raw = RawArticle(doc="case.txt", text=case["text"], published=case.get("published"))
    record = to_contract(extract(raw))
    return {
        "lang": detect_language(case["text"]),
        "countries": sorted(c["iso3"] for c in record["countries"]),
        "pairs": sorted(p["countries"] for p in record["partnerships"]),
        "figures": [[f["kind"], f["value"], f.get("unit"), f.get("what")] for f in record["figures"]],
        "dates": [d["value"] for d in record["dates"]],
        # each pair: its event date and its money's measure and status (the language's deal words)
        "deals": [["-".join(p["countries"]), p["date"], [[f["measure"], f["status"]] for f in p["figures"]]]
                  for p in record["partnerships"]],
    }


@pytest.mark.parametrize("case", CASES, ids=[c["why"][:50] for c in CASES])
def test_golden_case(case):
    observed = _observed(case)
    for field, expected in case["expected"].items():
        assert observed[field] == expected, f"{field}: {case['why']}"


def test_cases_cover_each_language_and_negatives():
    langs = {c["expected"]["lang"] for c in CASES}
    assert {"en", "de", "fr"} <= langs
    assert any(c["expected"].get("pairs") == [] for c in CASES)
    assert any(c["expected"].get("figures") == [] for c in CASES)


# --- our own German and French articles, read end to end ---------------------------------

def test_articles_in_other_languages_score_full_marks():
    gold = load_jsonl(LANG_DATA / "gold.jsonl")
    predicted = {r["doc"]: r for r in extract_paths([LANG_DATA / "articles"])}
    assert set(predicted) == set(gold)
    table = score(gold, predicted)
    for field in FIELDS:
        assert table[field].f1 == 1.0, f"{field}: {table[field]}"


@pytest.mark.parametrize("doc,lang", [(d, g["lang"]) for d, g in load_jsonl(LANG_DATA / "gold.jsonl").items()])
def test_articles_are_read_in_their_language(doc, lang):
    assert detect_language((LANG_DATA / "articles" / doc).read_text("utf-8")) == lang


# --- language detection -----------------------------------------------------------------

@pytest.mark.parametrize("text,lang", [
    ("The two countries signed the agreement on trade and investment in the capital.", "en"),
    ("Die beiden Länder haben das Abkommen über den Handel in der Hauptstadt unterzeichnet.", "de"),
    ("Les deux pays ont signé un accord sur le commerce et les investissements dans la capitale.", "fr"),
    # a few foreign words in an English story do not make it foreign
    ("The minister said the Zusammenarbeit with Berlin, as the Germans call it, is strong.", "en"),
    ("", "en"),
    ("12 000 000", "en"),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


# --- the loader: a misspelt or missing key fails loudly, naming the file -----------------

def _language_folder(tmp_path: Path, words: dict, cldr: dict | None = None) -> Path:
    folder = tmp_path / "xx"
    folder.mkdir(parents=True)
    base = json.loads((lexicon.LANG_DIR / "en" / "cldr.json").read_text("utf-8"))
    (folder / "cldr.json").write_text(json.dumps(cldr if cldr is not None else base), "utf-8")
    (folder / "words.json").write_text(json.dumps(words), "utf-8")
    return folder


@pytest.mark.parametrize("words,message", [
    ({"_about": "x", "dates": {"month_name": {}}}, r"xx/words\.json: dates: unknown key 'month_name'"),
    ({"_about": "x", "numbers": {"scale": {}}}, r"xx/words\.json: numbers: unknown key 'scale'"),
    ({"_about": "x", "currencies": {}}, r"xx/words\.json: unknown key 'currencies'"),
    ({"dates": {}}, r"xx/words\.json: missing key '_about'"),
    ({"_about": "x", "function_words": "the"}, r"xx/words\.json: 'function_words' must be a list"),
])
def test_schema_rejects_unknown_missing_and_mistyped_keys(tmp_path, words, message):
    with pytest.raises(LexiconError, match=message):
        load_language(_language_folder(tmp_path, words))


def test_schema_checks_the_generated_file_too(tmp_path):
    cldr = json.loads((lexicon.LANG_DIR / "en" / "cldr.json").read_text("utf-8"))
    del cldr["weekdays"]["6"]
    with pytest.raises(LexiconError, match=r"xx/cldr\.json: 'weekdays' must have the keys 0\.\.6"):
        load_language(_language_folder(tmp_path, {"_about": "x"}, cldr))
    with pytest.raises(LexiconError, match=r"xx/cldr\.json: missing key '_generated'"):
        load_language(_language_folder(tmp_path / "b", {"_about": "x"}, {"months": {}, "weekdays": {}}))


def test_unreadable_file_is_named(tmp_path):
    folder = _language_folder(tmp_path, {"_about": "x"})
    (folder / "words.json").write_text("{not json", "utf-8")
    with pytest.raises(LexiconError, match=r"xx/words\.json: not readable JSON"):
        load_language(folder)


def test_every_shipped_language_loads():
    langs = lexicon.languages()
    assert {"en", "de", "fr"} <= set(langs)
    for lang in langs.values():
        assert lang.cldr["_generated"].startswith("by tools/make_lang_tables.py")


def test_generated_tables_match_cldr():
    pytest.importorskip("babel")  # a dev-time dependency: requirements-dev.txt
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "make_lang_tables.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


# --- one home for each list, no machine locale --------------------------------------------

def test_no_machine_locale_in_month_names():
    pattern = re.compile(r"calendar\.month_(?:name|abbr)|%[Bb]\b|\bimport locale\b|setlocale")
    offenders = [str(p.relative_to(ROOT)) for folder in ("data_prep", "atlas_ui", "pages")
                 for p in (ROOT / folder).rglob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert offenders == [] and not pattern.search((ROOT / "app.py").read_text("utf-8"))


@pytest.mark.parametrize("text,value", [
    ("up 5 percent", 5.0), ("up 5 per cent", 5.0), ("up 5 pct", 5.0), ("up 2 percentage points", 2.0),
    ("um 5 Prozent gestiegen", 5.0), ("en hausse de 5 pour cent", 5.0),
])
def test_percent_words_come_from_the_language_data(text, value):
    got = [f for f in find_figures(text) if f.kind == "percent"]
    assert [f.value for f in got] == [value]


def test_percent_words_have_one_home():
    figure_words = json.loads((ROOT / "data_prep" / "data" / "figure_words.json").read_text("utf-8"))
    assert "percent_words" not in figure_words
    assert "per cent" in lexicon.number_words()["percent_words"]


@pytest.mark.parametrize("value,expected", [
    ("4 mars 2024", "2024-03-04"), ("4. März 2024", "2024-03-04"), ("Nov 28, 2023", "2023-11-28"),
    ("12 января 2024", "2024-01-12"), ("28 Sept 2023", "2023-09-28"), ("4 Mars 2024 Hill", "2024-03-04"),
    ("4 Marsh 2024", None),
])
def test_metadata_dates_in_any_language(value, expected):
    assert iso_date(value) == expected


def test_deal_words_have_one_home():
    # the words of deals are language data; the shared file keeps only the bodies' names
    shared = json.loads((ROOT / "data_prep" / "data" / "deal_cues.json").read_text("utf-8"))
    assert set(shared) == {"_doc", "multilateral"}
    for code in ("en", "de", "fr"):
        assert set(lexicon.deal_words(code)["measures"]) == {"trade", "investment", "loan", "aid", "deal"}
    assert lexicon.deal_words("es") == lexicon.deal_words("en")  # no deal words of its own yet
