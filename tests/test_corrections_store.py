"""Corrections kept on real DuckDB files: they survive a rebuild and a new extractor version,
undo restores the extraction, export then import reproduces the corrected view, and two
writers at once lose nothing."""
from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data_prep import corrections as cx
from data_prep.store import corrections as cs
from data_prep import queries, service, store
from data_prep.corrections import CorrectionError
from data_prep.identity import article_id
from test_store import make_article, write_articles
from test_store_crash import ROOT, start_build

SHOWN = ["article_id", "pair", "kind", "status", "event_date", "evidence", "usd", "corrected"]


@pytest.fixture
def db(seeds_db, tmp_path) -> Path:
    copy = tmp_path / "atlas.duckdb"
    shutil.copyfile(seeds_db, copy)
    return copy


def view(db: Path) -> queries.Frames:
    with store.read_connection(db) as con:
        return queries.load_frames(con, cs.load(db))


def events(db: Path) -> pd.DataFrame:
    ev = view(db).events[SHOWN]
    return ev.sort_values(["article_id", "pair", "kind"]).reset_index(drop=True)


def a_pair(db: Path) -> tuple[str, str, str, str]:
    """(article_id, iso3_a, iso3_b, status) of one extracted pair of the seeds."""
    ev = view(db).events.sort_values(["article_id", "pair"]).iloc[0]
    return ev["article_id"], ev["iso3_a"], ev["iso3_b"], ev["status"]


def a_money_figure(db: Path) -> dict:
    """A money figure of an article that has a pair: {article_id, pair, idx, start, end, text, value}."""
    f = view(db)
    paired = f.figures[(f.figures["kind"] == "money") & f.figures["pair"].notna()]
    row = paired.sort_values(["article_id", "idx"]).iloc[0]
    with store.read_connection(db) as con:
        start, end = con.execute('SELECT start, "end" FROM figures WHERE article_id = ? AND idx = ?',
                                 [row["article_id"], int(row["idx"])]).fetchone()
    return {"article_id": row["article_id"], "pair": row["pair"], "idx": int(row["idx"]),
            "start": start, "end": end, "text": row["text"], "value": row["value"]}


def test_corrections_file_lives_beside_the_database(tmp_path):
    assert cs.corrections_path(tmp_path / "atlas.duckdb") == tmp_path / "atlas.corrections.duckdb"
    assert cs.load(tmp_path / "atlas.duckdb") == []  # none yet: no file needed


def test_save_load_and_the_rules_of_undo(db):
    aid, a, b, _ = a_pair(db)
    first = cx.make("reject_pair", "Ana", aid, a, b, reason="not a partnership")
    assert [c.id for c in cs.save(db, [first]).added] == [first.id]
    assert cs.load(db) == [first]
    assert cs.save(db, [first]).already == 1 and len(cs.load(db)) == 1  # same id: kept once
    undo = cx.undo_of(first, "Ben")
    cs.save(db, [undo])
    with pytest.raises(CorrectionError, match="undone already"):
        cs.save(db, [cx.undo_of(first, "Cem")])
    stray = cx.make("undo", "Ana", aid, a, b, undoes="0" * 32)
    with pytest.raises(CorrectionError, match="not kept here"):
        cs.save(db, [stray])
    assert [c.action for c in cs.load(db)] == ["reject_pair", "undo"]


def test_a_correction_survives_build_again_and_undo_restores_the_extraction(db):
    extracted = events(db)
    aid, a, b, status = a_pair(db)
    new_status = "completed" if status != "completed" else "planned"
    c = cx.make("set_deal", "Ana", aid, a, b, {"status": new_status, "date": "2021-06"})
    cs.save(db, [c])
    corrected = events(db)
    row = corrected[(corrected["article_id"] == aid) & (corrected["pair"] == f"{a}–{b}")].iloc[0]
    assert (row["status"], row["event_date"]) == (new_status, "2021-06")
    assert row["corrected"].startswith("Ana, ")

    proc = subprocess.run([sys.executable, "-m", "data_prep", "build", str(store.SEEDS), "--db",
                           str(db), "--quiet"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and "0 added" in proc.stderr, proc.stderr
    pd.testing.assert_frame_equal(events(db), corrected)

    cs.save(db, [cx.undo_of(c, "Ben")])
    pd.testing.assert_frame_equal(events(db), extracted)


def test_corrections_survive_a_new_extractor_version(db):
    aid, a, b, _ = a_pair(db)
    cs.save(db, [cx.make("reject_pair", "Ana", aid, a, b)])
    corrected = events(db)
    with duckdb.connect(str(db)) as con:  # as stored by an older extractor
        con.execute("UPDATE meta SET value = 'older' WHERE key = 'extractor_version'")
    messages = []
    service.ensure_database(db, notify=messages.append)
    assert any("rebuilt 5 articles" in m for m in messages)
    pd.testing.assert_frame_equal(events(db), corrected)


def test_a_money_correction_survives_build_again(db):
    fig = view(db).figures
    money = a_money_figure(db)
    a, b = money["pair"].split("–")
    c = cx.make("set_money", "Ana", money["article_id"], a, b,
                {"value": money["value"] * 2, "measure": "investment", "status": "planned"},
                figure=money, before={"value": money["value"]})
    cs.save(db, [c])
    service.build([store.SEEDS], db)
    m = view(db).money
    mine = m[(m["article_id"] == money["article_id"]) & (m["figure_idx"] == money["idx"])]
    assert list(zip(mine["article_id"], mine["figure_idx"], mine["value"], mine["measure"],
                    mine["status"])) == [
        (money["article_id"], money["idx"], money["value"] * 2, "investment", "planned")]
    assert (m["corrected"] != "").sum() == 1  # the pairs' extracted money is left as it was
    assert len(view(db).figures) == len(fig)


def test_export_then_import_into_a_fresh_store_reproduces_the_corrected_view(db, tmp_path):
    aid, a, b, _ = a_pair(db)
    money = a_money_figure(db)
    ma, mb = money["pair"].split("–")
    made = [
        cx.make("reject_pair", "Ana", aid, a, b, at="2025-03-01T10:00:00Z"),
        cx.make("add_pair", "Ana", aid, "FRA", "KAZ", {"evidence": "France and Kazakhstan met."},
                at="2025-03-01T10:01:00Z"),
        cx.make("set_money", "Ben", money["article_id"], ma, mb, {"value": 1e9}, figure=money,
                at="2025-03-01T10:02:00Z"),
    ]
    made.append(cx.undo_of(made[1], "Ben", at="2025-03-01T10:03:00Z"))
    cs.save(db, made)
    text = cs.to_jsonl(cs.load(db))
    assert len(text.splitlines()) == 4

    fresh = tmp_path / "fresh" / "atlas.duckdb"
    fresh.parent.mkdir()
    service.build([store.SEEDS], fresh)
    saved = cs.import_jsonl(fresh, "".join(reversed(text.splitlines(True))))  # any line order
    assert (len(saved.added), saved.already, saved.problems) == (4, 0, [])
    assert cs.import_jsonl(fresh, text).already == 4  # twice: nothing doubled
    pd.testing.assert_frame_equal(events(fresh), events(db))
    for name in ("figures", "money"):
        mine, theirs = getattr(view(db), name), getattr(view(fresh), name)
        cols = [c for c in mine.columns if c not in ("event_start", "event_end")]
        pd.testing.assert_frame_equal(theirs[cols].reset_index(drop=True),
                                      mine[cols].reset_index(drop=True))


def test_import_reports_bad_lines_and_keeps_the_good_ones(db):
    aid, a, b, _ = a_pair(db)
    good = cx.make("reject_pair", "Ana", aid, a, b)
    stray = cx.make("undo", "Ana", aid, a, b, undoes="f" * 32)
    text = "\n".join([good.to_json(), "{broken", '{"id": 1}', stray.to_json()])
    saved = cs.import_jsonl(db, text)
    assert [c.id for c in saved.added] == [good.id]
    assert [p.split(":")[0] for p in saved.problems] == ["line 2", "line 3", stray.id[:8]]
    assert "not kept here" in saved.problems[2]


def test_the_cli_exports_imports_and_writes_gold(db, tmp_path):
    aid, a, b, _ = a_pair(db)
    cs.save(db, [cx.make("reject_pair", "Ana", aid, a, b)])

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "data_prep", "corrections", *args],
                              cwd=ROOT, capture_output=True, text=True)

    export = cli("export", "--db", str(db))
    assert export.returncode == 0 and len(export.stdout.splitlines()) == 1
    other = tmp_path / "other.duckdb"
    shutil.copyfile(db, other)
    path = tmp_path / "corrections.jsonl"
    path.write_text(export.stdout, encoding="utf-8")
    imported = cli("import", str(path), "--db", str(other))
    assert imported.returncode == 0 and "1 correction(s) added" in imported.stderr
    gold = cli("gold", "--db", str(other))
    import json

    rows = [json.loads(line) for line in gold.stdout.splitlines()]
    assert len(rows) == 1 and [a, b] not in rows[0]["partnerships"]


def test_a_writer_that_waits_for_another_says_so(db):
    from data_prep.store.files import write_lock

    aid, a, b, _ = a_pair(db)
    heard: list[str] = []
    result = {}
    with write_lock(cs.corrections_path(db)):
        worker = threading.Thread(target=lambda: result.setdefault(
            "saved", cs.save(db, [cx.make("reject_pair", "Ana", aid, a, b)], on_wait=heard.append)))
        worker.start()
        while not heard and worker.is_alive():
            time.sleep(0.01)
        assert cs.load(db) == []  # it waits: nothing written while the other holds the lock
    worker.join()
    assert heard == ["another write is under way: waiting for it to finish"]
    assert len(result["saved"].added) == 1 and len(cs.load(db)) == 1


CORRECTOR = """
import sys
from pathlib import Path
from data_prep import corrections as cx
from data_prep.store import corrections as cs
db, who, n, aid, a, b = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), *sys.argv[4:7]
for i in range(n):
    cs.save(db, [cx.make("set_deal", who, aid, a, b, {"status": "signed"}, reason=f"{who} {i}")])
"""


def test_two_editors_correcting_and_two_uploading_at_once_lose_nothing(db, tmp_path):
    aid, a, b, _ = a_pair(db)
    write_articles(tmp_path / "x", 12, "x")
    write_articles(tmp_path / "y", 12, "y")
    n = 15
    procs = [subprocess.Popen([sys.executable, "-c", CORRECTOR, str(db), who, str(n), aid, a, b],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for who in ("Ana", "Ben")]
    procs += [start_build(db, tmp_path / "x"), start_build(db, tmp_path / "y")]
    seen = []  # a reader during the writes: every read is whole, and counts never go back
    while any(p.poll() is None for p in procs):
        seen.append((len(cs.load(db)), len(view(db).articles)))
        time.sleep(0.02)
    for p in procs:
        out, err = p.communicate()
        assert p.returncode == 0, err.decode()[-2000:]
    assert [s[0] for s in seen] == sorted(s[0] for s in seen)
    assert [s[1] for s in seen] == sorted(s[1] for s in seen)
    kept = cs.load(db)
    assert sorted(c.reason for c in kept) == sorted(f"{w} {i}" for w in ("Ana", "Ben") for i in range(n))
    stored = set(view(db).articles["article_id"])
    assert {article_id(make_article(i, s)) for s in "xy" for i in range(12)} <= stored
    assert len(stored) == 5 + 24
