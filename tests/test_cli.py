"""Contract test of the command line: `python -m data_prep extract|build|remove` as a user runs it."""
import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from data_prep import store

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).parent / "data" / "articles"
ISO3 = re.compile(r"[A-Z]{3}")
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "data_prep", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Three of our own articles, one of them twice under another name, and three bad files."""
    d = tmp_path_factory.mktemp("batch")
    for name in sorted(p.name for p in ARTICLES.iterdir())[:3]:
        shutil.copy(ARTICLES / name, d / name)
    first = sorted(d.iterdir())[0]
    shutil.copy(first, d / ("copy_of_" + first.name))
    (d / "empty.txt").write_bytes(b"")
    (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (d / "rows.jsonl").write_text('{"text": "Chile and Peru signed a trade pact on Monday."}\n{broken\n', "utf-8")
    return d


def test_jsonl_records_follow_the_contract(batch):
    proc = run("extract", batch, "--format", "jsonl")
    assert proc.returncode == 1  # some inputs failed
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 4  # three articles (the copy is the same article) + one good jsonl row
    assert len({r["article_id"] for r in records}) == 4
    for r in records:
        assert set(r) >= {"doc", "title", "published", "countries", "partnerships", "figures", "dates"}
        assert "/" not in r["doc"]
        assert r["published"] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["published"])
        for c in r["countries"]:
            assert ISO3.fullmatch(c["iso3"]) and c["name"] and c["mentions"] >= 1
        for p in r["partnerships"]:
            assert p["countries"] == sorted(p["countries"]) and len(p["countries"]) == 2
            assert p["kind"] and isinstance(p["sectors"], list) and p["evidence"]
        for f in r["figures"]:
            assert f["kind"] in ("money", "percent", "count") and isinstance(f["value"], float)
            if f["kind"] == "money":
                assert re.fullmatch(r"[A-Z]{3}", f["unit"])
            if f["kind"] == "count":
                assert f["what"] and f["unit"] is None
            assert f["sentence"] and f["text"]
        for d in r["dates"]:
            assert DATE.fullmatch(d["value"])
    row = next(r for r in records if r["doc"] == "rows.jsonl#1")
    assert [p["countries"] for p in row["partnerships"]] == [["CHL", "PER"]]


def test_problems_are_one_line_each_naming_the_file(batch):
    err = run("extract", batch).stderr.splitlines()
    assert any("empty.txt" in line and "empty" in line for line in err)
    assert any("image.txt" in line and "binary" in line for line in err)
    assert any("rows.jsonl" in line and "line 2" in line for line in err)
    assert not any("Traceback" in line for line in err)


def test_csv_is_one_row_per_article(batch):
    proc = run("extract", batch, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 4
    assert {"doc", "article_id", "countries", "partnerships", "figures", "dates"} <= set(rows[0])


def test_all_good_input_exits_zero():
    proc = run("extract", ARTICLES / sorted(p.name for p in ARTICLES.iterdir())[0])
    assert proc.returncode == 0 and proc.stderr == "" and len(proc.stdout.splitlines()) == 1


def test_usage_error_exits_two():
    assert run("extract").returncode == 2


def test_build_then_remove(batch, tmp_path):
    db = tmp_path / "atlas.duckdb"
    first = run("build", batch, "--db", db, "--quiet")
    assert first.returncode == 1 and "4 added" in first.stderr
    again = run("build", batch, "--db", db, "--quiet")
    assert "0 added" in again.stderr and "already stored" in again.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        ids = [r[0] for r in con.execute("SELECT article_id FROM articles ORDER BY doc").fetchall()]
    assert len(ids) == 4
    gone = run("remove", ids[0], "--db", db)
    assert gone.returncode == 0 and "removed 1" in gone.stderr
    # the removal is a small segment beside the base: the store's reader sees it at once
    with store.read_connection(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
        for table in ("countries", "figures", "dates", "partnerships", "sentences"):
            assert con.execute(f"SELECT count(*) FROM {table} WHERE article_id = ?", [ids[0]]).fetchone()[0] == 0
    # `compact` folds every segment into the one file, which any DuckDB client then reads
    assert run("compact", "--db", db).returncode == 0
    assert not list(tmp_path.glob("atlas.duckdb.parts*"))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def _duplicate_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("duplicate:")]


def test_extract_names_a_duplicate_input_and_the_input_it_repeats(batch):
    first = sorted(p.name for p in batch.iterdir() if not p.name.startswith("copy_of_"))[0]
    proc = run("extract", batch)
    assert _duplicate_lines(proc.stderr) == [
        f"duplicate: copy_of_{first}: same text as {first}: not extracted again"]
    # every input accounted for: 4 records, 1 duplicate, 3 problems (empty, image, broken line)
    assert "4 extracted, 1 duplicate(s), 3 failed" in proc.stderr
    docs = [json.loads(line)["doc"] for line in proc.stdout.splitlines()]
    assert f"copy_of_{first}" not in docs and first in docs


def test_build_names_duplicates_within_a_batch_and_of_stored_articles(batch, tmp_path):
    first = sorted(p.name for p in batch.iterdir() if not p.name.startswith("copy_of_"))[0]
    db = tmp_path / "atlas.duckdb"
    once = run("build", batch, "--db", db, "--quiet")
    assert _duplicate_lines(once.stderr) == [
        f"duplicate: copy_of_{first}: same text as {first}: already stored"]
    again = run("build", batch, "--db", db, "--quiet")
    lines = _duplicate_lines(again.stderr)
    assert len(lines) == 5  # the 4 stored articles and the copy, each naming its stored twin
    assert f"duplicate: copy_of_{first}: same text as {first}: already stored" in lines
    assert f"duplicate: {first}: same text as {first}: already stored" in lines
