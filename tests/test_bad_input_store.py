"""Every kind of bad input, sent through the real store (the CLI's build and the app's upload
path), gets its message, the good files of the same batch are stored, and every article stored
before is still there, unchanged (counts and content hashes of all its rows)."""
import io
import json
import zipfile

import pytest

from data_prep.ingest import limits

from data_prep import service, store
from data_prep.ingest.reading import read_upload
from test_bad_input import BAD_FILES
from test_store import PROJECT_SEEDS, article_hashes, make_article, table_counts


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "atlas.duckdb"
    service.build([PROJECT_SEEDS], db)
    return db


@pytest.fixture
def db(seeded, tmp_path):
    copy = tmp_path / "atlas.duckdb"
    copy.write_bytes(seeded.read_bytes())
    return copy


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("huge.txt", b"a" * (limits.MAX_ZIP_EXPANDED_BYTES + 1024))
    return buffer.getvalue()


MORE_BAD = [
    ("broken_lines.jsonl", b'{"text": "' + make_article(1, "jl").encode() .replace(b"\n", b" ") + b'"}\n{oops\n',
     "line 2: not valid JSON"),
    ("ragged.csv", b"text,title\n\"" + make_article(2, "csv").encode().replace(b"\n", b" ") + b"\",t\nx,y,z,w\n",
     "row 2 has 4 fields"),
    ("bomb.zip", _zip_bomb(), "over the 25 MB limit"),
    ("evil.zip", None, "escapes the archive"),
    ("cp1251.txt", "Казахстан и Китай подписали соглашение.".encode("cp1251") + b"\xff\xfe\x00", None),
]


def _evil_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("../../escape.txt", "Chile and Peru signed a trade agreement.")
    return buffer.getvalue()


@pytest.mark.parametrize("name,data,message", BAD_FILES + MORE_BAD)
def test_bad_file_in_a_build_keeps_everything_stored(db, tmp_path, name, data, message):
    before_hashes, before_counts = article_hashes(db), table_counts(db)
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / name).write_bytes(_evil_zip() if data is None else data)
    (folder / "good.txt").write_text(make_article(7, name), encoding="utf-8")

    report = service.build([folder], db)

    if message:
        assert any(message in p.message and name in p.file for p in report.failed), report.failed
    assert "good.txt" in report.added
    after = article_hashes(db)
    assert {k: after[k] for k in before_hashes} == before_hashes  # every old article unchanged
    counts = table_counts(db)
    assert all(counts[t] >= before_counts[t] for t in before_counts)
    assert not (tmp_path / "escape.txt").exists() and not (folder.parent.parent / "escape.txt").exists()


@pytest.mark.parametrize("name,data,message", BAD_FILES[:6] + [MORE_BAD[0]])
def test_bad_upload_keeps_everything_stored(db, name, data, message):
    before = article_hashes(db)
    items = list(read_upload(name, data)) + list(read_upload("good.txt", make_article(8, name).encode()))
    report = service.add_articles(items, db)
    assert any(message in p.message for p in report.failed)
    assert "good.txt" in report.added
    after = article_hashes(db)
    assert {k: after[k] for k in before} == before


def test_unicode_oddities_are_stored_intact(db):
    text = ("Kazakhstan\u200f and China\u200b signed an agreement worth $1\u00a0000\u00a0000 and "
            "\uff11\uff12 projects in Almaty\u0301.\n")
    report = service.add_articles(list(read_upload("odd.txt", text.encode("utf-8"))), db)
    assert report.added == ["odd.txt"] and not report.failed
    with store.read_connection(db) as con:
        (stored,) = con.execute("SELECT text FROM articles WHERE doc = 'odd.txt'").fetchone()
    assert stored == text


def test_a_million_repeated_country_names(db):
    text = "Kenya " * 200_000 + "and Ethiopia signed a power trade agreement."
    report = service.add_articles(list(read_upload("many.txt", text.encode())), db)
    assert report.added == ["many.txt"]
    with store.read_connection(db) as con:
        aid = con.execute("SELECT article_id FROM articles WHERE doc = 'many.txt'").fetchone()[0]
        mentions = con.execute("SELECT mentions FROM countries WHERE article_id = ? AND iso3 = 'KEN'",
                               [aid]).fetchone()[0]
    assert mentions == 200_000


def test_numbers_only_and_no_sentences(db):
    items = list(read_upload("numbers.txt", b"1 2 3 4 5 6 7 8 9 10\n" * 50))
    items += list(read_upload("json_rows.jsonl", json.dumps({"text": "!!! ??? ..."}).encode()))
    report = service.add_articles(items, db)
    assert set(report.added) | {p.file for p in report.failed} >= {"numbers.txt"}
