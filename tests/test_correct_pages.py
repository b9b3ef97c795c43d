"""The correction forms as an editor uses them (Streamlit AppTest, a local run, a real
database of its own): change a deal, a money item, reject and add a pair, undo, import."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data_prep import corrections as cx
from data_prep.store import corrections as cs
from data_prep import queries, store
from atlas_ui import inert

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def db(seeds_db, tmp_path, monkeypatch):
    copy = tmp_path / "atlas.duckdb"
    shutil.copyfile(seeds_db, copy)
    monkeypatch.setenv("ATLAS_DB", str(copy))
    monkeypatch.setenv("ATLAS_MODE", "local")
    return copy


def _open(page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def _events(db: Path):
    with store.read_connection(db) as con:
        return queries.load_frames(con, cs.load(db)).events


def _key(db: Path, pair: str, article: str | None = None) -> str:
    """The picker's value for a pair: "article_id|pair" (its label shows pair, date, title)."""
    ev = _events(db)
    ev = ev[(ev["pair"] == pair) & ((ev["article_id"] == article) if article else True)]
    return ev["key"].iloc[0]


def test_an_editor_changes_a_deal_from_the_partnerships_page_and_undoes_it(db):
    at = _open("pages/3_Partnerships.py")
    assert not at.exception
    at.selectbox(key="pt_fix_pick").select(_key(db, "KAZ–SGP")).run()
    assert at.radio(key="pt_fix_action").value == "deal"
    at.selectbox(key="pt_fix_status").select("completed")
    at.text_input(key="pt_fix_why1").input("finished in 2023")
    at.button(key="FormSubmitter:pt_fix_deal-Save the deal").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Saved: KAZ–SGP: changed deal" in inert.shown(s.value) for s in at.success)
    ev = _events(db)
    row = ev[ev["pair"] == "KAZ–SGP"].iloc[0]
    assert row["status"] == "completed" and row["corrected"].startswith("local user, ")
    table = next(d.value for d in at.dataframe if "corrected" in d.value.columns)
    assert table["corrected"].notna().sum() == 1  # uncorrected rows show "–" (no value)

    at.switch_page("pages/7_Corrections.py").run()
    assert list(next(d.value for d in at.dataframe if "state" in d.value.columns)["state"]) == [
        "in force"]
    at.button(key="FormSubmitter:cx_undo_undo-Undo it").click().run()
    assert not at.exception
    assert _events(db)[lambda e: e["pair"] == "KAZ–SGP"]["status"].iloc[0] == "signed"
    states = next(d.value for d in at.dataframe if "state" in d.value.columns)["state"]
    assert list(states) == ["undo", "undone"]


def test_an_unchanged_deal_is_not_saved(db):
    at = _open("pages/3_Partnerships.py")
    at.selectbox(key="pt_fix_pick").select(_key(db, "KAZ–SGP")).run()
    at.button(key="FormSubmitter:pt_fix_deal-Save the deal").click().run()
    assert any("nothing to change" in inert.shown(e.value) for e in at.error)
    assert cs.load(db) == []


def test_an_editor_corrects_a_money_item_and_rejects_a_pair_from_an_article(db):
    with store.read_connection(db) as con:
        aid = con.execute("SELECT article_id FROM figures WHERE kind = 'money' "
                          "AND article_id IN (SELECT article_id FROM partnerships) "
                          "ORDER BY article_id LIMIT 1").fetchone()[0]
    at = _open("pages/5_Articles.py", {"article": aid})
    pair = _events(db)[lambda e: e["article_id"] == aid]["pair"].iloc[0]
    at.selectbox(key="art_fix_pick").select(_key(db, pair, aid)).run()
    at.radio(key="art_fix_action").set_value("money").run()
    at.number_input(key="art_fix_value").set_value(123_000_000.0)
    at.selectbox(key="art_fix_measure").select("loan")
    at.selectbox(key="art_fix_mstatus").select("planned")
    at.button(key="FormSubmitter:art_fix_money-Save the money item").click().run()
    assert not at.exception, [e.value for e in at.exception]
    money = queries.load_frames(store.read_connection(db), cs.load(db)).money
    fixed = money[money["corrected"] != ""]
    assert list(zip(fixed["value"], fixed["measure"], fixed["status"])) == [
        (123_000_000.0, "loan", "planned")]
    assert (money["value"] == 123_000_000.0).sum() == 1
    assert any("Corrected by editors" == inert.shown(h.value) for h in at.subheader)

    at.radio(key="art_fix_action").set_value("reject").run()
    at.button(key="FormSubmitter:art_fix_reject-Reject this pair").click().run()
    assert not at.exception
    assert aid not in set(_events(db)["article_id"])
    assert [c.action for c in cs.load(db)] == ["set_money", "reject_pair"]


def test_an_editor_adds_a_missed_pair_with_its_sentence(db):
    with store.read_connection(db) as con:
        aid = con.execute("SELECT article_id FROM articles ORDER BY doc LIMIT 1").fetchone()[0]
    at = _open("pages/5_Articles.py", {"article": aid})
    at.selectbox(key="art_add_a").set_value("FRA")
    at.selectbox(key="art_add_b").set_value("KAZ")
    sentences = at.selectbox(key="art_add_ev").options
    at.selectbox(key="art_add_ev").select(sentences[1])
    at.text_input(key="art_add_d").input("2022-08")
    at.button(key="FormSubmitter:art_add_add-Add the pair").click().run()
    assert not at.exception, [e.value for e in at.exception]
    ev = _events(db)
    added = ev[(ev["article_id"] == aid) & (ev["pair"] == "FRA–KAZ")].iloc[0]
    assert (added["event_date"], added["evidence"]) == ("2022-08", sentences[1])


def test_a_visitor_cannot_reach_the_forms_but_sees_the_marks(db, monkeypatch):
    ev = _events(db)
    row = ev[ev["pair"] == "KAZ–SGP"].iloc[0]
    cs.save(db, [cx.make("set_deal", "Ana", row["article_id"], "KAZ", "SGP",
                         {"status": "completed"})])
    monkeypatch.setenv("ATLAS_MODE", "deployed")
    at = _open("pages/5_Articles.py", {"article": row["article_id"]})
    assert not at.get("form") and not [s for s in at.selectbox if "fix" in (s.key or "")]
    assert any("KAZ–SGP: changed deal" in inert.shown(m.value) and "by Ana" in inert.shown(m.value) for m in at.markdown)
