"""Editors' corrections: the records and their checks, how they apply on top of the
extraction, undo, JSON Lines, and the gold export (hand-built tables; no store here)."""
from __future__ import annotations

import json
import math

import pytest

from data_prep import corrections as cx
from data_prep import queries as q
from data_prep.corrections import CorrectionError
from data_prep.queries.gold_export import gold_jsonl, touched_articles
from test_queries import _tables

AT = "2025-03-01T10:00:00Z"


def make(action, a="CHN", b="KAZ", after=None, article="a2", **kw):
    kw.setdefault("at", AT)
    return cx.make(action, "Ana", article, a, b, after, **kw)


# --------------------------------------------------------------------------- checks

@pytest.mark.parametrize("action, a, b, after, kw, expected_after", [
    ("reject_pair", "kaz", "chn", None, {}, {}),
    ("add_pair", "SGP", "KAZ", {"evidence": "  They\tagreed.\n", "kind": "Trade"}, {},
     {"evidence": "They agreed.", "kind": "trade"}),
    ("set_deal", "CHN", "KAZ", {"date": "2024-02", "status": "completed"}, {},
     {"date": "2024-02", "status": "completed"}),
    ("set_deal", "CHN", "KAZ", {"date": "2024-02-29", "status": ""}, {}, {"date": "2024-02-29"}),
    ("set_money", "CHN", "KAZ", {"value": "450000000", "measure": "Loan", "status": "planned"},
     {"figure": {"idx": 1}}, {"value": 450e6, "measure": "loan", "status": "planned"}),
    ("set_money", "CHN", "KAZ", {"value": 0}, {"figure": {"start": 3, "end": 9}}, {"value": 0.0}),
])
def test_valid_corrections_are_normalised(action, a, b, after, kw, expected_after):
    c = make(action, a, b, after, **kw)
    assert (c.iso3_a, c.iso3_b) == tuple(sorted((a.upper(), b.upper())))
    assert c.after == expected_after
    assert len(c.id) == 32 and c.editor == "Ana" and c.at == AT


@pytest.mark.parametrize("action, a, b, after, kw, message", [
    ("reject_pair", "KAZ", "KAZ", None, {}, "two different countries"),
    ("reject_pair", "KZ", "CHN", None, {}, "ISO3"),
    ("add_pair", "KAZ", "CHN", {"kind": "trade"}, {}, "evidence sentence"),
    ("add_pair", "KAZ", "CHN", {"evidence": "x", "kind": "war"}, {}, "kind of partnership"),
    ("set_deal", "KAZ", "CHN", {}, {}, "nothing to change"),
    ("set_deal", "KAZ", "CHN", {"date": "2024-13"}, {}, "not a date of the calendar"),
    ("set_deal", "KAZ", "CHN", {"date": "2023-02-29"}, {}, "not a date of the calendar"),
    ("set_deal", "KAZ", "CHN", {"date": "March 2024"}, {}, "YYYY-MM-DD"),
    ("set_deal", "KAZ", "CHN", {"date": "1850"}, {}, "between 1900 and 2100"),
    ("set_deal", "KAZ", "CHN", {"status": "actual"}, {}, "no status"),
    ("set_deal", "KAZ", "CHN", {"value": 3}, {}, "cannot set value"),
    ("set_money", "KAZ", "CHN", {"value": -1}, {"figure": {"idx": 0}}, "zero or more"),
    ("set_money", "KAZ", "CHN", {"value": "nan"}, {"figure": {"idx": 0}}, "finite"),
    ("set_money", "KAZ", "CHN", {"value": "lots"}, {"figure": {"idx": 0}}, "not a number"),
    ("set_money", "KAZ", "CHN", {"status": "signed"}, {"figure": {"idx": 0}}, "no status"),
    ("set_money", "KAZ", "CHN", {"measure": "bribe"}, {"figure": {"idx": 0}}, "no measure"),
    ("set_money", "KAZ", "CHN", {"value": 1}, {}, "names its figure"),
    ("undo", "KAZ", "CHN", None, {"undoes": "nothex"}, "names the correction"),
    ("drop_all", "KAZ", "CHN", None, {}, "unknown action"),
])
def test_invalid_corrections_are_refused_with_a_reason(action, a, b, after, kw, message):
    with pytest.raises(CorrectionError, match=message):
        make(action, a, b, after, **kw)


@pytest.mark.parametrize("editor, article", [("", "a2"), ("   ", "a2"), ("Ana", ""),
                                             ("Ana", "a/../b")])
def test_a_correction_names_its_editor_and_article(editor, article):
    with pytest.raises(CorrectionError):
        cx.make("reject_pair", editor, article, "KAZ", "CHN")


def test_undo_of_an_undo_is_refused():
    first = make("reject_pair")
    undo = cx.undo_of(first, "Ben")
    assert undo.undoes == first.id and undo.before == first.after and undo.action == "undo"
    with pytest.raises(CorrectionError, match="cannot be undone"):
        cx.undo_of(undo, "Ben")


def test_json_lines_round_trip_and_bad_lines():
    c = make("set_money", after={"value": 5e8, "measure": "trade"},
             figure={"idx": 1, "start": 4, "end": 20, "text": "500 million yuan"},
             before={"value": 4e8}, reason="typo in the article's table")
    assert cx.from_json(c.to_json()) == c
    line = json.loads(c.to_json())
    for bad, message in [("{nope", "not JSON"), ("[1, 2]", "not a JSON object"),
                         (json.dumps({**line, "extra": 1}), "unknown field"),
                         (json.dumps({k: v for k, v in line.items() if k != "editor"}), "missing"),
                         (json.dumps({**line, "at": "yesterday"}), "UTC ISO 8601"),
                         (json.dumps({**line, "after": {"value": -5}}), "zero or more")]:
        with pytest.raises(CorrectionError, match=message):
            cx.from_json(bad)


def test_active_drops_undone_corrections_and_keeps_the_order_made():
    one = make("reject_pair", at="2025-03-01T10:00:00Z")
    two = make("set_deal", after={"status": "completed"}, at="2025-03-01T09:00:00Z")
    undo = cx.undo_of(one, "Ben", at="2025-03-02T10:00:00Z")
    assert cx.active([one, two]) == [two, one]
    assert cx.active([undo, one, two]) == [two]


# --------------------------------------------------------------------------- applying

def frames(*corrections) -> q.Frames:
    """The query tests' tables without their extracted pair money: money items here are the
    corrections' own."""
    t = _tables()
    return q.build_frames(q.Tables(t.articles, t.mentions, t.partnerships, t.figures, t.orgs),
                          corrections)


def pairs(f: q.Frames, article: str) -> list[tuple]:
    ev = f.events[f.events["article_id"] == article]
    return sorted(zip(ev["pair"], ev["kind"], ev["status"].fillna(""), ev["event_date"].fillna(""),
                      ev["corrected"]))


MARK = "Ana, 2025-03-01 10:00 UTC"


@pytest.mark.parametrize("correction, article, expected", [
    # no correction: the extraction as it is
    (None, "a2", [("CHN–KAZ", "agreement", "signed", "2023-11-10", ""),
                  ("CHN–KAZ", "talks", "", "2023", "")]),
    (("reject_pair", "CHN", "KAZ", None), "a2", []),
    (("reject_pair", "CHN", "SGP", None), "a2",  # another pair: nothing changes
     [("CHN–KAZ", "agreement", "signed", "2023-11-10", ""), ("CHN–KAZ", "talks", "", "2023", "")]),
    (("set_deal", "CHN", "KAZ", {"status": "completed", "date": "2024"}), "a2",
     [("CHN–KAZ", "agreement", "completed", "2024", MARK), ("CHN–KAZ", "talks", "completed", "2024", MARK)]),
    (("add_pair", "KAZ", "SGP", {"evidence": "Astana and Singapore agreed.", "status": "planned",
                                  "date": "2023-05"}), "a2",
     [("CHN–KAZ", "agreement", "signed", "2023-11-10", ""), ("CHN–KAZ", "talks", "", "2023", ""),
      ("KAZ–SGP", "cooperation", "planned", "2023-05", MARK)]),
    (("add_pair", "KAZ", "SGP", {"evidence": "Kazakhstan and Singapore cooperate.", "kind": "trade"}),
     "a1", [("KAZ–SGP", "trade", "", "2022-08-17", MARK)]),  # present already: fields set
])
def test_pair_and_deal_corrections(correction, article, expected):
    made = [make(action, a, b, after, article=article) for action, a, b, after in [correction]] \
        if correction else []
    f = frames(*made)
    assert pairs(f, article) == expected
    assert f.unapplied == frozenset(c.id for c in made if c.action == "reject_pair"
                                    and (c.iso3_a, c.iso3_b) != ("CHN", "KAZ"))


def test_an_added_pair_shows_with_its_evidence_and_country_names():
    c = make("add_pair", "KAZ", "SGP", {"evidence": "Astana and Singapore agreed."})
    ev = frames(c).events
    row = ev[(ev["article_id"] == "a2") & (ev["pair"] == "KAZ–SGP")].iloc[0]
    assert row["evidence"] == "Astana and Singapore agreed."
    assert (row["name_a"], row["name_b"]) == ("Kazakhstan", "Singapore")


def test_a_deal_correction_on_a_pair_not_extracted_is_reported_not_guessed():
    c = make("set_deal", "FRA", "KAZ", {"status": "signed"})
    f = frames(c)
    assert f.unapplied == {c.id}
    assert pairs(f, "a2") == pairs(frames(), "a2")


def _money(f: q.Frames) -> list[tuple]:
    m = f.money
    return sorted(zip(m["article_id"], m["pair"], m["figure_idx"], m["value"], m["usd"].round(),
                      m["measure"], m["status"], m["corrected"]))


@pytest.mark.parametrize("after, figure, expected_money, expected_usd", [
    # a new money item for figure 1 (500 million yuan = $70 million): measure and status set
    ({"measure": "loan", "status": "planned"}, {"idx": 1},
     [("a2", "CHN–KAZ", 1, 5e8, 7e7, "loan", "planned", MARK)], 7e7),
    # the amount corrected: USD scales with it (same currency and date)
    ({"value": 1e9}, {"idx": 1, "text": "500 million yuan"},
     [("a2", "CHN–KAZ", 1, 1e9, 1.4e8, "other", "actual", MARK)], 1.4e8),
    # figure 0 by its index: $21 billion -> $20 billion
    ({"value": 2e10, "measure": "trade"}, {"idx": 0},
     [("a2", "CHN–KAZ", 0, 2e10, 2e10, "trade", "actual", MARK)], 2e10),
])
def test_money_corrections(after, figure, expected_money, expected_usd):
    c = make("set_money", "CHN", "KAZ", after, figure=figure)
    f = frames(c)
    assert _money(f) == expected_money and not f.unapplied
    idx = figure["idx"]
    fig = f.figures[(f.figures["article_id"] == "a2") & (f.figures["idx"] == idx)].iloc[0]
    assert math.isclose(fig["usd"], expected_usd)
    assert fig["corrected"] == (MARK if "value" in after else "")
    ev = f.events[f.events["article_id"] == "a2"]
    assert set(ev["corrected"]) == {MARK}


@pytest.mark.parametrize("figure", [{"idx": 7}, {"idx": 1, "text": "another text"},
                                    {"start": 100, "end": 120}])
def test_a_money_correction_whose_figure_is_gone_is_reported(figure):
    c = make("set_money", "CHN", "KAZ", {"value": 1.0}, figure=figure)
    f = frames(c)
    assert f.unapplied == {c.id} and f.money.empty


def test_a_figure_is_found_by_its_span_when_the_extractor_renumbers_figures():
    tables = _tables()
    tables.figures["start"] = [0, 10, 40, 0, 20]
    tables.figures["end"] = [5, 21, 56, 9, 23]
    c = make("set_money", "CHN", "KAZ", {"value": 6e8}, figure={"idx": 1, "start": 40, "end": 56})
    renumbered = tables.figures.copy()
    renumbered.loc[renumbered["article_id"] == "a2", "idx"] = [1, 0]  # a new extractor's order
    tables = q.Tables(tables.articles, tables.mentions, tables.partnerships, renumbered,
                      tables.orgs)
    f = q.build_frames(tables, [c])
    hit = f.figures[f.figures["corrected"] != ""]
    assert list(hit["text"]) == ["500 million yuan"] and list(hit["value"]) == [6e8]


def test_undo_restores_the_extracted_values_and_later_corrections_stay():
    reject = make("reject_pair", at="2025-03-01T10:00:00Z")
    status = make("set_deal", "CHN", "SGP", {"status": "completed"}, article="a3",
                  at="2025-03-01T11:00:00Z")
    undo = cx.undo_of(reject, "Ben", at="2025-03-01T12:00:00Z")
    assert pairs(frames(reject, status), "a2") == []
    after_undo = frames(reject, status, undo)
    assert pairs(after_undo, "a2") == pairs(frames(), "a2")
    assert pairs(after_undo, "a3") == [("CHN–SGP", "agreement", "completed", "2024-01",
                                        "Ana, 2025-03-01 11:00 UTC")]


def test_later_corrections_win_and_the_mark_names_the_last_editor():
    first = make("set_deal", after={"status": "planned"}, at="2025-03-01T10:00:00Z")
    second = cx.make("set_deal", "Ben", "a2", "CHN", "KAZ", {"status": "completed"},
                     at="2025-03-02T08:30:00Z")
    got = pairs(frames(second, first), "a2")
    assert {(s, m) for _, _, s, _, m in got} == {("completed", "Ben, 2025-03-02 08:30 UTC")}


def test_filters_keep_the_money_of_the_pairs_shown():
    c = make("set_money", "CHN", "KAZ", {"measure": "loan"}, figure={"idx": 1})
    f = frames(c)
    assert len(q.apply_filters(f, q.Filters(partner="KAZ")).money) == 1
    assert q.apply_filters(f, q.Filters(partner="SGP")).money.empty


# --------------------------------------------------------------------------- gold export

def test_corrected_articles_export_in_the_scorers_gold_format():
    from data_prep.evaluation import load_jsonl, score

    made = [make("reject_pair", at="2025-03-01T10:00:00Z"),
            make("add_pair", "KAZ", "SGP", {"evidence": "They agreed.", "date": "2023-05"},
                 at="2025-03-01T10:01:00Z"),
            make("set_money", "CHN", "KAZ", {"value": 2e10}, figure={"idx": 0},
                 at="2025-03-01T09:59:00Z"),  # before the pair was rejected: the amount stays
            make("set_deal", "CHN", "SGP", {"status": "completed"}, article="a3")]
    undone = make("reject_pair", "CHN", "SGP", article="a1")
    made += [undone, cx.undo_of(undone, "Ana")]
    f = frames(*made)
    assert touched_articles(made) == ["a2", "a3"]
    text = gold_jsonl(f, {"a2": ["2023", "2023-11-10"], "a3": ["2024-01-02", "2024-01"]}, made)
    rows = [json.loads(line) for line in text.splitlines()]
    # a2: the amount corrected, then its pair rejected; KAZ-SGP added with a deal date
    assert rows[0] == {"doc": "two.txt", "countries": ["CHN", "KAZ"],
                       "partnerships": [["KAZ", "SGP"]],
                       "figures": [{"kind": "money", "value": 2e10, "unit": "USD"},
                                   {"kind": "money", "value": 5e8, "unit": "CNY"}],
                       "dates": ["2023", "2023-11-10", "2023-05"]}
    assert rows[1]["published"] == "2024-01-02" and "2024-01-02" not in rows[1]["dates"]
    assert rows[1]["partnerships"] == [["CHN", "SGP"]]
    assert rows[1]["figures"] == [{"kind": "count", "value": 8.0, "what": "MoU"},
                                  {"kind": "percent", "value": 35.0}]
    # the scorer reads it: the uncorrected extraction of a2 misses the added pair
    gold_path = _write(text)
    gold = load_jsonl(gold_path)
    pred = {"two.txt": {"doc": "two.txt", "partnerships": [{"countries": ["CHN", "KAZ"]}]}}
    assert score(gold, pred)["partnerships"].fn == 2  # a2's KAZ-SGP, a3's CHN-SGP


def _write(text: str):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "gold.jsonl"
    path.write_text(text, encoding="utf-8")
    return path
