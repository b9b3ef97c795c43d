"""The project's scorer: the numbers it prints must be the ones we are judged by."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data_prep.evaluation import (FIELDS, FieldScore, figure_key, load_jsonl, main,
                                  mismatches, missing_docs, normalise_what, overall_f1, score)


def money(value, unit="USD"):
    return {"kind": "money", "value": value, "unit": unit}


def count(value, what):
    return {"kind": "count", "value": value, "what": what}


def pct(value):
    return {"kind": "percent", "value": value}


def counts(table):
    return {name: (s.tp, s.fp, s.fn) for name, s in table.items()}


# --- figure keys: money to ~0.5 %, everything else to two decimals ----------------------

@pytest.mark.parametrize("a, b, same", [
    (money(24_200_000_000), money(24_210_000_000), True),   # 242.1 -> 242 (x1e8)
    (money(24_200_000_000), money(24_260_000_000), False),  # 242.6 -> 243
    (money(21e9), money(21_000_000_000.0), True),
    (money(21e9), money(21e9, "usd"), True),                # unit case does not matter
    (money(21e9), money(21e9, "EUR"), False),
    (money(21e9), money(21e6), False),                      # a billion is not a million
    (money(13.5), money(13.52), True),                      # unit prices: 135.2 -> 135 (x0.1)
    (money(13.5), money(13.8), False),
    (money(0.065), money(0.06), True),                      # 6.5 cents rounds half to even
    (money(240e6), money(240.4e6), True),
    (money(-6e9), money(-6.004e9), True),                   # sign kept, magnitude rounded
    (money(-6e9), money(6e9), False),
    (pct(9.1), pct(9.1), True),
    (pct(9.1), pct(-9.1), False),                           # only a printed minus is negative
    (pct(6.5), pct(6.504), True),                           # two decimals
    (pct(6.5), pct(6.51), False),
    (pct(35), {"kind": "percent", "value": 35, "unit": "%"}, True),  # unit ignored off money
    (count(52, "project"), count(52.0, "projects"), True),  # `what` is not part of the key
    (count(52, "project"), pct(52), False),                 # kind is
    ({"kind": "Money", "value": "1e9", "unit": "USD"}, money(1e9), True),  # numeric strings
])
def test_figure_key_matching(a, b, same):
    assert (figure_key(a) == figure_key(b)) is same


@pytest.mark.parametrize("bad", [
    {"kind": "money", "value": "twenty", "unit": "USD"},
    {"kind": "money", "value": None, "unit": "USD"},
    {"kind": "money", "value": float("nan"), "unit": "USD"},
    {"kind": "money", "value": float("inf"), "unit": "USD"},
    {"kind": "count", "value": True, "what": "x"},
    {"kind": "count"},
    "52 projects",
    None,
    [52],
])
def test_figure_key_rejects_what_is_not_a_figure(bad):
    assert figure_key(bad) is None


# --- the head noun of counts ---------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("MoU", "mou"),
    ("MoUs", "mou"),
    ("memorandums", "mou"),
    ("Memoranda", "mou"),
    ("memorandum", "mou"),
    # the reference scorer keeps only the last word first, so the long form stays apart
    ("memorandum of understanding", "understanding"),
    ("companies", "company"),
    ("industrial parks", "park"),
    ("Projects", "project"),
    ("tonnes", "tonne"),
    ("glass", "glass"),          # a double s is not a plural
    ("km", "km"),
    ("  barrels ", "barrel"),
    ("", ""),
    (None, ""),
    (52, ""),
])
def test_normalise_what(raw, expected):
    assert normalise_what(raw) == expected


# --- whole tables ----------------------------------------------------------------------

GOLD = {
    "a.txt": {"doc": "a.txt", "published": "2023-11-28",
              "countries": ["CHN", "KAZ"], "partnerships": [["CHN", "KAZ"]],
              "figures": [pct(35), money(24_200_000_000), count(52, "project"),
                          count(8, "MoU")],
              "dates": ["2022", "2023-11-10"]},
    "b.txt": {"doc": "b.txt", "published": None,
              "countries": ["ARG", "VEN", "CHL"], "partnerships": [["ARG", "VEN"]],
              "figures": [money(240_000_000)], "dates": ["2004"]},
}

PERFECT = {
    "out/a.txt": {"doc": "out/a.txt", "published": "2023-11-28",
                  "countries": [{"iso3": "KAZ", "name": "Kazakhstan", "mentions": 9},
                                {"iso3": "CHN"}],
                  "partnerships": [{"countries": ["KAZ", "CHN"], "kind": "talks"}],
                  "figures": [pct(35.0), money(24.2e9), count(52, "projects"),
                              count(8, "memorandums")],
                  "dates": [{"value": "2022"}, {"value": "2023-11-10"},
                            {"value": "2023-11-28"}]},  # the publication date: ignored
    "b.txt": {"doc": "b.txt", "published": None,
              "countries": ["arg", "ven", "chl"], "partnerships": [["VEN", "ARG"]],
              "figures": [money(240e6)], "dates": ["2004"]},
}

# Every kind of mistake once, with what each field must count for it.
FLAWED = {
    "a.txt": {"doc": "a.txt", "published": "2023-11-29",            # published: 0/1/1
              "countries": ["KAZ", "CHN", "RUS"],                    # countries: +1 fp
              "partnerships": [["CHN", "KAZ"], ["KAZ", "RUS"], ["KAZ"]],  # +1 fp, 1 ignored
              "figures": [pct(35), money(24.21e9, "usd"),            # same key as 24.2e9
                          count(52, "company"),                      # what wrong
                          count(8, "MoUs"),                          # what right
                          count(2026, "year")],                      # figures +1 fp
              "dates": ["2022", "2023-11", "not a date"]},           # 1 tp, 1 fp, 1 fn
    # b.txt missing: every gold item of b is a false negative, published not scored
    "c.txt": {"doc": "c.txt", "countries": ["FRA"]},                 # no gold: ignored
}


@pytest.mark.parametrize("pred, expected", [
    (PERFECT, {"countries": (5, 0, 0), "partnerships": (2, 0, 0), "figures": (5, 0, 0),
               "figure_what": (2, 0, 0), "dates": (3, 0, 0), "published": (1, 0, 0)}),
    (FLAWED, {"countries": (2, 1, 3), "partnerships": (1, 1, 1), "figures": (4, 1, 1),
              "figure_what": (1, 1, 1), "dates": (1, 1, 2), "published": (0, 1, 1)}),
    ({}, {"countries": (0, 0, 5), "partnerships": (0, 0, 2), "figures": (0, 0, 5),
          "figure_what": (0, 0, 0), "dates": (0, 0, 3), "published": (0, 0, 1)}),
])
def test_score_counts(pred, expected):
    assert counts(score(GOLD, pred)) == expected


def test_ratios_of_a_flawed_run():
    table = score(GOLD, FLAWED)
    assert table["countries"].precision == pytest.approx(2 / 3)
    assert table["countries"].recall == pytest.approx(2 / 5)
    assert table["countries"].f1 == pytest.approx(0.5)
    assert table["published"].f1 == 0.0
    assert overall_f1(score(GOLD, PERFECT)) == pytest.approx(1.0)


@pytest.mark.parametrize("tp, fp, fn, p, r, f1", [
    (3, 1, 2, 0.75, 0.6, 2 * 0.75 * 0.6 / 1.35),
    (0, 0, 0, 0.0, 0.0, 0.0),
    (0, 4, 0, 0.0, 0.0, 0.0),
    (5, 0, 0, 1.0, 1.0, 1.0),
])
def test_field_score_ratios(tp, fp, fn, p, r, f1):
    s = FieldScore(tp, fp, fn)
    assert (s.precision, s.recall, s.f1) == pytest.approx((p, r, f1))


def test_dates_leave_out_only_the_gold_publication_date():
    gold = {"x": {"doc": "x", "published": "1987-03-02", "dates": ["1987-03-02", "1987-03-03"]}}
    pred = {"x": {"doc": "x", "published": "1987-03-03", "dates": ["1987-03-03", "1987-03-02"]}}
    assert counts(score(gold, pred))["dates"] == (1, 0, 0)
    assert counts(score(gold, pred))["published"] == (0, 1, 1)


def test_figure_what_ignores_counts_found_on_one_side_only():
    gold = {"x": {"doc": "x", "figures": [count(14, "project"), count(29, "MoU")]}}
    pred = {"x": {"doc": "x", "figures": [count(14, "joint projects"), count(30, "MoU")]}}
    assert counts(score(gold, pred))["figure_what"] == (1, 0, 0)
    assert counts(score(gold, pred))["figures"] == (1, 1, 1)


def test_mismatches_name_article_field_and_item():
    found = {str(m) for m in mismatches(GOLD, FLAWED)}
    assert "a.txt countries spurious RUS" in found
    assert "a.txt partnerships spurious ('KAZ', 'RUS')" in found
    assert "a.txt dates missed 2023-11-10" in found
    assert "b.txt countries missed CHL" in found
    assert not any(m.startswith("c.txt") for m in found)
    assert missing_docs(GOLD, FLAWED) == ["b.txt"]
    assert mismatches(GOLD, PERFECT) == []


# --- files and the command line --------------------------------------------------------

def write_jsonl(path, rows, extra=""):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n" + extra, encoding="utf-8")
    return path


def test_load_jsonl_keys_rows_by_file_name(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [{"doc": "dir/sub/a.txt", "countries": []},
                                             {"doc": "b.txt"}], extra="\n\n")
    assert sorted(load_jsonl(path)) == ["a.txt", "b.txt"]


@pytest.mark.parametrize("bad_line", ["{not json", "[1, 2]", '{"countries": []}'])
def test_load_jsonl_names_the_bad_line(tmp_path, bad_line):
    path = write_jsonl(tmp_path / "p.jsonl", [{"doc": "a.txt"}], extra=bad_line + "\n")
    with pytest.raises(ValueError, match=r"p\.jsonl:2"):
        load_jsonl(path)


def test_main_prints_the_table_and_errors(tmp_path, capsys):
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD.values())
    pred = write_jsonl(tmp_path / "pred.jsonl", FLAWED.values())
    assert main([str(gold), str(pred), "--show-errors"]) == 0
    out = capsys.readouterr().out
    assert "a.txt countries spurious RUS" in out
    assert "no output for b.txt" in out
    assert "countries       0.667  0.400  0.500   2/1/3" in out
    assert out.rstrip().splitlines()[-1].startswith("overall F1 ")


def test_main_json(tmp_path, capsys):
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD.values())
    pred = write_jsonl(tmp_path / "pred.jsonl", PERFECT.values())
    assert main([str(gold), str(pred), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report["fields"]) == set(FIELDS)
    assert report["overall_f1"] == pytest.approx(1.0)
    assert report["missing_docs"] == []


@pytest.mark.parametrize("argv, code", [([], 2), (["only-one.jsonl"], 2),
                                        (["missing.jsonl", "missing2.jsonl"], 1)])
def test_main_bad_arguments(tmp_path, monkeypatch, argv, code):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == code


# --- predictions of any shape never break the scorer ---------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20)
field_values = st.fixed_dictionaries({}, optional={name: json_values for name in
                                                   ("countries", "partnerships", "figures",
                                                    "dates", "published")})


@settings(max_examples=200, deadline=None)
@given(pred=st.dictionaries(st.sampled_from(["a.txt", "b.txt", "x/a.txt", ""]),
                            field_values | json_values, max_size=3))
def test_score_never_raises(pred):
    table = score(GOLD, pred)
    assert set(table) == set(FIELDS)
    assert all(0.0 <= s.f1 <= 1.0 for s in table.values())
    mismatches(GOLD, pred)
