"""The store on real DuckDB files: incremental builds, duplicates, removal, migration, bad files."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import threading
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data_prep import service, store

from data_prep.store import files as store_files
from data_prep.identity import article_id
from data_prep.service import EXTRACTOR_VERSION, extract
from data_prep.records import (
    ArticleExtraction,
    DateRef,
    RawArticle,
    ReadProblem,
)
from data_prep.store.rows import clean_str, parse_day
from data_prep.store.schema import ARTICLE_TABLES, SCHEMA_VERSION

PROJECT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# ------------------------------------------------------------------ generated articles

_COUNTRIES = ["Kazakhstan", "China", "Germany", "Brazil", "India", "Japan", "Kenya", "France",
              "Mexico", "Indonesia", "Egypt", "Canada", "Vietnam", "Turkey", "Chile", "Norway"]
_KINDS = ["signed an agreement on", "held talks on", "launched a joint project in",
          "expanded trade in", "agreed on investment in"]
_SECTORS = ["energy", "agriculture", "transport", "education", "health", "digital technology"]
_MONTHS = ["January", "March", "May", "July", "September", "November"]


def make_article(i: int, salt: str = "") -> str:
    """A unique, realistic-looking cooperation article (generated, not copied from anywhere)."""
    r = random.Random(f"{salt}-{i}")
    a, b = r.sample(_COUNTRIES, 2)
    kind, sector = r.choice(_KINDS), r.choice(_SECTORS)
    amount, year = r.randint(2, 900), r.randint(2015, 2026)
    day, month = r.randint(1, 28), r.choice(_MONTHS)
    return (
        f"{a} and {b} {kind} {sector} (report {salt}{i})\n\n"
        f"ASTANA, {month} {day}, {year}. {a} and {b} {kind} {sector} on {month} {day}, {year}. "
        f"The deal is worth ${amount} million and covers {r.randint(3, 40)} projects. "
        f"Officials said trade between the two countries grew by {r.randint(1, 60)}% last year. "
        f"The next meeting is planned for {r.choice(_MONTHS)} {year + 1}.\n"
    )


def write_articles(folder: Path, n: int, salt: str = "", start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        p = folder / f"{salt}{i:04d}.txt"
        p.write_text(make_article(i, salt), encoding="utf-8")
        paths.append(p)
    return paths


def raw(i: int, salt: str = "", **kw) -> RawArticle:
    return RawArticle(doc=f"{salt}{i:04d}.txt", text=make_article(i, salt), **kw)


# ------------------------------------------------------------------ reading the store


def table_counts(db: Path, aid: str | None = None) -> dict[str, int]:
    with store.read_connection(db) as con:
        where, args = ("WHERE article_id = ?", [aid]) if aid else ("", [])
        return {t: con.execute(f"SELECT count(*) FROM {t} {where}", args).fetchone()[0]
                for t in ARTICLE_TABLES}


def article_hashes(db: Path) -> dict[str, str]:
    """article_id -> hash of every row of that article in every table (added_at excluded)."""
    h: dict[str, hashlib._Hash] = {}
    with store.read_connection(db) as con:
        for table in ARTICLE_TABLES:
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_catalog='atlas' "
                "AND table_name=? ORDER BY ordinal_position", [table]).fetchall()]
            cols = [c for c in cols if c != "added_at"]
            order = ", ".join(f'"{c}"' for c in cols)
            for row in con.execute(f"SELECT {order} FROM {table} ORDER BY {order}").fetchall():
                h.setdefault(row[0], hashlib.sha256()).update(repr((table, row)).encode())
    return {k: v.hexdigest() for k, v in h.items()}


def meta(db: Path) -> dict[str, str]:
    with store.read_connection(db) as con:
        return dict(con.execute("SELECT key, value FROM meta").fetchall())


# ------------------------------------------------------------------ building


def test_build_is_incremental(tmp_path):
    db = tmp_path / "atlas.duckdb"
    first = write_articles(tmp_path / "in", 12, "a")
    report = service.build([tmp_path / "in"], db)
    assert sorted(report.added) == sorted(p.name for p in first)
    assert report.duplicates == [] and report.failed == []
    version, hashes = store.database_version(db), article_hashes(db)

    again = service.build([tmp_path / "in"], db)
    assert again.added == [] and sorted(again.duplicates) == sorted(p.name for p in first)
    assert store.database_version(db) == version  # nothing written
    assert article_hashes(db) == hashes

    more = write_articles(tmp_path / "in", 5, "b")
    calls: list[tuple[int, int, str]] = []
    third = service.build([tmp_path / "in"], db, progress=lambda d, t, doc: calls.append((d, t, doc)))
    assert sorted(third.added) == sorted(p.name for p in more)
    assert len(third.duplicates) == 12
    assert [c[:2] for c in calls] == [(k, 17, ) for k in range(1, 18)]
    assert store.database_version(db) != version
    after = article_hashes(db)
    assert len(after) == 17 and all(after[k] == v for k, v in hashes.items())
    stamp = meta(db)
    assert (stamp["schema_version"], stamp["extractor_version"]) == (SCHEMA_VERSION,
                                                                     EXTRACTOR_VERSION)


def test_same_text_twice_in_one_batch_is_one_article(tmp_path):
    db = tmp_path / "d.duckdb"
    text = make_article(1)
    report = service.add_articles(
        [RawArticle("one.txt", text), RawArticle("copy.txt", text), raw(2)], db)
    assert report.added == ["one.txt", "0002.txt"] and report.duplicates == ["copy.txt"]
    assert table_counts(db)["articles"] == 2


def test_rows_match_the_extraction(tmp_path):
    db = tmp_path / "d.duckdb"
    item = raw(7, published="2024-03-05", url="https://example.org/a", source="Wire")
    service.add_articles([item], db)
    ex = extract(item)
    aid = article_id(item.text)
    counts = table_counts(db, aid)
    assert counts == {
        "articles": 1, "countries": len(ex.countries), "mentions": len(ex.country_mentions),
        "regions": len(ex.regions), "sentences": len(ex.sentences), "figures": len(ex.figures),
        "dates": len(ex.dates), "entities": len(ex.entities),
        "partnerships": len(ex.partnerships),
        "deal_money": sum(len(p.money) for p in ex.partnerships),
    }
    with store.read_connection(db) as con:
        doc, text, sha, url, source = con.execute(
            "SELECT doc, text, text_sha256, url, source FROM articles").fetchone()
        assert (doc, text, url, source) == ("0007.txt", item.text, "https://example.org/a", "Wire")
        assert sha == hashlib.sha256(item.text.encode()).hexdigest()
        for s_idx, start, end, s_text in con.execute(
                'SELECT idx, start, "end", text FROM sentences ORDER BY idx').fetchall():
            assert text[start:end] == s_text == ex.sentences[s_idx].text
        for f_text, start, end in con.execute('SELECT text, start, "end" FROM figures').fetchall():
            assert text[start:end] == f_text
        pairs = con.execute("SELECT iso3_a, iso3_b, sectors, evidence FROM partnerships "
                            "ORDER BY idx").fetchall()
    assert [(a, b) for a, b, *_ in pairs] == [tuple(sorted(p.countries)) for p in ex.partnerships]
    assert [s for _, _, s, _ in pairs] == [p.sectors for p in ex.partnerships]
    assert [e for *_, e in pairs] == ["\n".join(p.evidence) for p in ex.partnerships]


@pytest.mark.parametrize("bad", [None, b"bytes are not text", 12345])
def test_one_failing_article_does_not_stop_the_batch(tmp_path, bad):
    db = tmp_path / "d.duckdb"
    items = [raw(1), RawArticle("broken.txt", bad), ReadProblem("scan.pdf", "binary content"),
             raw(2)]
    report = service.add_articles(items, db)
    assert report.added == ["0001.txt", "0002.txt"]
    assert [p.file for p in report.failed] == ["scan.pdf", "broken.txt"]
    assert "failed" in report.failed[1].message
    assert table_counts(db)["articles"] == 2


@pytest.mark.parametrize("text", [
    "\u200fKazakhstan\u200e and China\u200b signed a deal worth $５ million.",  # RTL/ZW, full-width
    "Germany and France agreed on 1\u00a0200 projects in Cafe\u0301 district.",  # NBSP, combining
    "Japan and India \ud800 broken surrogate and NUL \x00 inside.",
    "",
    "Kazakhstan and China met. " * 4000,  # ~100 KB
])
def test_odd_unicode_is_stored_not_raised(tmp_path, text):
    db = tmp_path / "d.duckdb"
    report = service.add_articles([RawArticle("odd.txt", text)], db)
    assert len(report.added) + len(report.failed) == 1
    if report.added:
        with store.read_connection(db) as con:
            stored = con.execute("SELECT text FROM articles").fetchone()[0]
        assert stored == clean_str(text) and len(stored) == len(text)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.text(max_size=300), min_size=1, max_size=5))
def test_add_never_raises_on_any_text(tmp_path_factory, texts):
    db = tmp_path_factory.mktemp("h") / "d.duckdb"
    report = service.add_articles([RawArticle(f"{i}.txt", t) for i, t in enumerate(texts)], db)
    assert len(report.added) + len(report.duplicates) + len(report.failed) == len(texts)
    assert table_counts(db)["articles"] == len(report.added)


# ------------------------------------------------------------------ removal


def test_remove_removes_every_row_of_the_article(tmp_path):
    db = tmp_path / "d.duckdb"
    items = [raw(i) for i in range(4)]
    service.add_articles(items, db)
    gone, kept = article_id(items[1].text), [article_id(r.text) for r in items if r is not items[1]]
    before = article_hashes(db)
    assert all(n > 0 for t, n in table_counts(db, gone).items()
               if t in ("articles", "sentences", "countries", "mentions"))
    assert service.remove_articles([gone, "no-such-id"], db) == 1
    assert all(n == 0 for n in table_counts(db, gone).values())
    after = article_hashes(db)
    assert sorted(after) == sorted(kept) and all(after[k] == before[k] for k in kept)
    report = service.add_articles([items[1]], db)  # a removed article can come back
    assert report.added == ["0001.txt"]


@pytest.mark.parametrize("ids, expected", [([], 0), (["nope"], 0), ("nope", 0)])
def test_remove_nothing_writes_nothing(tmp_path, ids, expected):
    db = tmp_path / "d.duckdb"
    service.add_articles([raw(1)], db)
    version = store.database_version(db)
    assert service.remove_articles(ids, db) == expected
    assert store.database_version(db) == version


def test_remove_from_missing_database_is_zero(tmp_path):
    assert service.remove_articles(["x"], tmp_path / "none.duckdb") == 0
    assert not (tmp_path / "none.duckdb").exists()


# ------------------------------------------------------------------ readers


def test_read_connection_is_read_only_and_fresh(tmp_path):
    db = tmp_path / "d.duckdb"
    service.add_articles([raw(1)], db)
    old = store.read_connection(db)
    with pytest.raises(duckdb.Error):
        old.execute("DELETE FROM articles")
    service.add_articles([raw(2)], db)  # not blocked by the open reader
    with store.read_connection(db) as new:
        assert new.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    assert old.execute("SELECT count(*) FROM articles").fetchone()[0] == 1  # its snapshot
    old.close()


def test_read_connection_on_missing_database(tmp_path):
    with pytest.raises(FileNotFoundError):
        store.read_connection(tmp_path / "none.duckdb")
    assert store.database_version(tmp_path / "none.duckdb") == "missing"


# ------------------------------------------------------------------ failures leave it whole


def test_failed_build_leaves_database_as_before(tmp_path):
    db = tmp_path / "d.duckdb"
    service.add_articles([raw(i) for i in range(3)], db)
    before, version = article_hashes(db), store.database_version(db)

    def stop(done, total, doc):
        if done == 4:
            raise KeyboardInterrupt("user stopped")

    with pytest.raises(KeyboardInterrupt):
        service.add_articles([raw(i, "n") for i in range(6)], db, progress=stop)
    assert article_hashes(db) == before and store.database_version(db) == version
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.duckdb", "d.duckdb.lock"]
    report = service.add_articles([raw(i, "n") for i in range(6)], db)  # the next one completes
    assert len(report.added) == 6 and len(article_hashes(db)) == 9


def test_busy_lock_gives_a_clear_message(tmp_path, monkeypatch):
    db = tmp_path / "d.duckdb"
    monkeypatch.setattr(store_files, "LOCK_TIMEOUT_S", 0.3)
    with store_files.write_lock(db):
        with pytest.raises(store.StoreBusy, match=rf"being written by process {os.getpid()}"):
            service.add_articles([raw(1)], db)
    assert service.add_articles([raw(1)], db).added == ["0001.txt"]


def test_writers_in_threads_are_serialised(tmp_path):
    db = tmp_path / "d.duckdb"
    reports = [None, None]

    def run(k):
        reports[k] = service.add_articles([raw(i, f"t{k}") for i in range(8)], db)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [len(r.added) for r in reports] == [8, 8]
    assert table_counts(db)["articles"] == 16


# ------------------------------------------------------------------ ensure_database


def test_ensure_database_builds_from_seeds_once(tmp_path):
    db = tmp_path / "sub" / "atlas.duckdb"
    messages: list[str] = []
    assert service.ensure_database(db, PROJECT_SEEDS, notify=messages.append) == db
    n_seeds = len([p for p in PROJECT_SEEDS.iterdir() if not p.name.startswith(".")])
    assert table_counts(db)["articles"] == n_seeds
    assert any("seed" in m for m in messages)
    version = store.database_version(db)
    messages.clear()
    service.ensure_database(db, PROJECT_SEEDS, notify=messages.append)
    assert store.database_version(db) == version and messages == []


@pytest.mark.parametrize("content", [b"", b"this is not a database" * 100, b"DUCK" + os.urandom(9000)])
def test_corrupt_file_is_moved_aside_and_rebuilt(tmp_path, content):
    db = tmp_path / "atlas.duckdb"
    db.write_bytes(content)
    messages: list[str] = []
    service.ensure_database(db, PROJECT_SEEDS, notify=messages.append)
    aside = list(tmp_path.glob("atlas.duckdb.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == content  # kept, never deleted
    assert any("moved it to" in m and aside[0].name in m for m in messages)
    assert table_counts(db)["articles"] > 0


def test_foreign_duckdb_file_is_moved_aside(tmp_path):
    db = tmp_path / "atlas.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE sales (id INTEGER)")
    con.close()
    messages: list[str] = []
    service.ensure_database(db, PROJECT_SEEDS, notify=messages.append)
    assert len(list(tmp_path.glob("atlas.duckdb.old-*"))) == 1
    assert any("sales" in m for m in messages)
    assert table_counts(db)["articles"] > 0


def _old_schema_db(db: Path, items: list[RawArticle]) -> None:
    """A database as an earlier version could have left it: fewer columns, schema 0."""
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '0'), ('extractor_version', '0')")
    con.execute("CREATE TABLE articles (article_id VARCHAR PRIMARY KEY, doc VARCHAR, "
                "published DATE, text VARCHAR)")
    con.executemany("INSERT INTO articles VALUES (?, ?, ?, ?)", [
        (article_id(r.text), r.doc, dt.date(2020, 1, i + 1), r.text) for i, r in enumerate(items)])
    con.execute("CREATE TABLE countries (article_id VARCHAR, iso3 VARCHAR)")
    con.close()


def test_old_schema_is_rebuilt_from_stored_texts(tmp_path):
    db = tmp_path / "atlas.duckdb"
    items = [raw(i) for i in range(5)]
    _old_schema_db(db, items)
    messages: list[str] = []
    service.ensure_database(db, PROJECT_SEEDS, notify=messages.append)
    assert any("schema 0" in m and "rebuilt 5 articles" in m for m in messages)
    assert meta(db)["schema_version"] == SCHEMA_VERSION
    with store.read_connection(db) as con:
        rows = con.execute("SELECT article_id, doc, published, text FROM articles "
                           "ORDER BY doc").fetchall()
    assert [(a, d, t) for a, d, _, t in rows] == [(article_id(r.text), r.doc, r.text) for r in items]
    assert all(table_counts(db, a)["sentences"] > 0 for a, *_ in rows)
    assert not list(tmp_path.glob("*.old-*")) and not list(tmp_path.glob("*.corrupt-*"))


def test_other_extractor_version_is_re_extracted_by_build(tmp_path):
    db = tmp_path / "atlas.duckdb"
    service.add_articles([raw(i) for i in range(3)], db)
    before = article_hashes(db)
    with store.read_connection(db) as con:
        added = con.execute("SELECT article_id, added_at FROM articles ORDER BY 1").fetchall()
    tmp = db.with_name("edit.duckdb")
    tmp.write_bytes(db.read_bytes())
    con = duckdb.connect(str(tmp))
    con.execute("UPDATE meta SET value = 'older' WHERE key = 'extractor_version'")
    con.execute("DELETE FROM sentences")  # what the older extractor 'found'
    con.close()
    os.replace(tmp, db)
    report = service.add_articles([raw(9)], db)
    assert report.added == ["0009.txt"]
    assert any("extractor older" in m and "rebuilt 3 articles" in m for m in report.messages)
    after = article_hashes(db)
    assert all(after[k] == v for k, v in before.items()) and len(after) == 4
    with store.read_connection(db) as con:
        kept = con.execute("SELECT article_id, added_at FROM articles WHERE doc <> '0009.txt' "
                           "ORDER BY 1").fetchall()
    assert kept == added  # ids and added dates survive the rebuild
    assert meta(db)["extractor_version"] == EXTRACTOR_VERSION


# ------------------------------------------------------------------ pure helpers


def _ex(dates: list[DateRef]) -> ArticleExtraction:
    return ArticleExtraction(doc="d", article_id="x", text="", title=None, published=None,
                             dates=dates)


@pytest.mark.parametrize("value, expected", [
    ("2024-02-29", dt.date(2024, 2, 29)), ("2023-02-29", None), ("2024-05", None),
    ("2024-05-06T10:00:00Z", dt.date(2024, 5, 6)), (None, None), ("", None), ("２０２４-01-01", None),
])
def test_parse_day(value, expected):
    assert parse_day(value) == expected


@pytest.mark.parametrize("value, expected", [
    (None, None), ("plain", "plain"), ("Cafe\u0301 \u200f", "Cafe\u0301 \u200f"),
    ("a\ud800b", "a?b"), (12, "12"),
])
def test_clean_str(value, expected):
    assert clean_str(value) == expected
