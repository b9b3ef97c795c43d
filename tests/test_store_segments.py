"""Writes that cost what they add: segments beside the base, removals and re-extractions that
touch only their articles, merges and folds that keep the data, batches kept after a kill,
and a process pool that stores exactly what one process stores."""
from __future__ import annotations

import pytest

from data_prep import service, store
from data_prep.identity import article_id
from data_prep.ingest.reading import count_articles
from data_prep.store import segments
from data_prep.cli import progress_line
from test_store import article_hashes, raw, table_counts, write_articles


def live(db):
    return segments.cover(segments.listed(db), _through(db))


def _through(db):
    with store.read_connection(db) as con:
        row = con.execute("SELECT value FROM meta WHERE key = ?", [segments.THROUGH_KEY]).fetchone()
    return int(row[0]) if row else 0


def test_a_small_add_to_a_bigger_store_is_one_segment_and_the_base_is_untouched(tmp_path):
    db = tmp_path / "atlas.duckdb"
    service.add_articles([raw(i) for i in range(30)], db)
    base_bytes = db.read_bytes()
    old_reader = store.read_connection(db)
    report = service.add_articles([raw(i, "n") for i in range(3)], db)
    assert len(report.added) == 3
    assert db.read_bytes() == base_bytes  # the base file was not rewritten
    assert len(live(db)) == 1
    assert table_counts(db)["articles"] == 33
    assert old_reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 30  # its snapshot
    old_reader.close()


def test_remove_and_re_add_through_segments_keeps_one_copy(tmp_path):
    db = tmp_path / "atlas.duckdb"
    items = [raw(i) for i in range(20)]
    service.add_articles(items, db)
    before = article_hashes(db)
    gone = article_id(items[3].text)
    assert service.remove_articles([gone], db) == 1
    assert gone not in article_hashes(db) and table_counts(db, gone)["sentences"] == 0
    assert service.add_articles([items[3]], db).added == ["0003.txt"]
    assert article_hashes(db) == before  # back, once, with the same rows
    service.compact(db)
    assert live(db) == [] and not segments.parts_dir(db).exists()
    assert article_hashes(db) == before


def test_reextract_replaces_only_that_articles_rows(tmp_path):
    db = tmp_path / "atlas.duckdb"
    items = [raw(i) for i in range(12)]
    service.add_articles(items, db)
    before, counts = article_hashes(db), table_counts(db)
    target = article_id(items[5].text)
    report = service.reextract([target, "no-such-id"], db)
    assert report.added == ["0005.txt"] and report.failed == []
    [segment] = live(db)
    with store.read_connection(segment.path) as con:  # the segment holds that article only
        assert con.execute("SELECT article_id FROM articles").fetchall() == [(target,)]
        assert con.execute("SELECT article_id FROM removed").fetchall() == [(target,)]
    assert article_hashes(db) == before  # same extractor: same rows, each stored once
    assert table_counts(db) == counts


def test_many_small_writes_merge_into_few_segments_and_keep_every_row(tmp_path):
    db = tmp_path / "atlas.duckdb"
    service.add_articles([raw(i) for i in range(40)], db)
    for k in range(9):
        service.add_articles([raw(i, f"w{k}") for i in range(2)], db)
    assert len(live(db)) < segments.MERGE_RUN  # runs of small segments were merged
    whole = tmp_path / "one" / "atlas.duckdb"
    service.add_articles([raw(i) for i in range(40)]
                         + [raw(i, f"w{k}") for k in range(9) for i in range(2)], whole)
    assert article_hashes(db) == article_hashes(whole)


def test_segments_outgrowing_the_base_are_folded_into_it(tmp_path):
    db = tmp_path / "atlas.duckdb"
    service.add_articles([raw(i) for i in range(4)], db)
    report = service.add_articles([raw(i, "big") for i in range(6)], db)  # 6 >= 4 stored
    assert len(report.added) == 6
    assert live(db) == [] and not segments.parts_dir(db).exists()
    assert table_counts(db)["articles"] == 10


def _buckets_in_file_order(path, table, bounds):
    """The bucket (index among `bounds`) of each row of `table` in `path`, in storage order."""
    import bisect

    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        ids = [i for (i,) in con.execute(f"SELECT article_id FROM {table} ORDER BY rowid").fetchall()]
    finally:
        con.close()
    return [bisect.bisect_right(bounds, i) for i in ids]


@pytest.mark.parametrize("per_bucket, buckets", [(3, 4), (5, 2), (1000, 1)])
def test_a_fold_writes_the_base_one_range_of_articles_after_another(tmp_path, monkeypatch,
                                                                    per_bucket, buckets):
    monkeypatch.setattr(segments, "ARTICLES_PER_BUCKET", per_bucket)
    db = tmp_path / "atlas.duckdb"
    service.add_articles([raw(i) for i in range(4)], db)
    service.add_articles([raw(i, "big") for i in range(6)], db)  # folded: 10 articles
    whole = tmp_path / "one" / "atlas.duckdb"
    service.add_articles([raw(i) for i in range(4)] + [raw(i, "big") for i in range(6)], whole)
    assert live(db) == []
    assert article_hashes(db) == article_hashes(whole) and table_counts(db) == table_counts(whole)
    import duckdb

    con = duckdb.connect()
    con.execute(f"ATTACH '{db}' AS atlas (READ_ONLY)")
    ranges = segments.article_buckets(con, "atlas")
    con.close()
    assert len(ranges) == buckets
    bounds = [lo for lo, _ in ranges[1:]]
    for table in ("articles", "sentences", "figures", "mentions"):
        order = _buckets_in_file_order(db, table, bounds)
        assert order == sorted(order), table  # never back to an earlier range
        assert len(set(order)) == (buckets if table != "figures" else len(set(order)))


@pytest.mark.parametrize("lo, hi, inside, outside", [
    (None, None, ["a", None], []),
    (None, "m", ["a", "l", None], ["m", "z"]),
    ("m", None, ["m", "z"], ["a", "l", None]),
    ("c", "m", ["c", "l"], ["b", "m", None]),
])
def test_bucket_conditions_cover_each_id_once(lo, hi, inside, outside):
    import duckdb

    con = duckdb.connect()
    cond = segments._bucket_condition(lo, hi)
    for value, expected in [(v, True) for v in inside] + [(v, False) for v in outside]:
        got = con.execute(f"SELECT coalesce(({cond}), FALSE) FROM (SELECT ?::VARCHAR AS article_id)",
                          [value]).fetchone()[0]
        assert got is expected, (lo, hi, value)


def test_a_stopped_build_keeps_every_batch_published_before(tmp_path, monkeypatch):
    db = tmp_path / "atlas.duckdb"
    monkeypatch.setattr(store, "BATCH_ARTICLES", 5)
    items = [raw(i) for i in range(15)]

    def stop(done, total, doc):
        if done == 12:  # in the third batch: the first two are published by then
            raise KeyboardInterrupt("user stopped")

    with pytest.raises(KeyboardInterrupt):
        service.add_articles(items, db, progress=stop)
    assert set(article_hashes(db)) == {article_id(r.text) for r in items[:10]}
    report = service.add_articles(items, db)  # the next one adds the rest
    assert len(report.added) == 5 and len(report.duplicates) == 10


def test_a_pool_of_two_stores_what_one_process_stores(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "POOL_CHUNK", 3)
    folder = tmp_path / "in"
    write_articles(folder, 25, "p")
    (folder / "copy.txt").write_text((folder / "p0001.txt").read_text())
    (folder / "empty.txt").write_text("")
    one = service.build([folder], tmp_path / "one" / "a.duckdb", workers=1)
    two = service.build([folder], tmp_path / "two" / "a.duckdb", workers=2)
    for report in (one, two):  # files are read in name order: copy.txt comes first
        assert (len(report.added), report.duplicates, report.duplicate_of) == (
            25, ["p0001.txt"], ["copy.txt"])
        assert [p.file for p in report.failed] == [str(folder / "empty.txt")]
    assert article_hashes(tmp_path / "one" / "a.duckdb") == article_hashes(tmp_path / "two" / "a.duckdb")


@pytest.mark.parametrize("files, expected", [
    ({"a.txt": "x", "b.md": "y"}, 2),
    ({"t.jsonl": '{"text": "a"}\n{"text": "b"}\n{"text": "c"}\n'}, 3),
    ({"t.csv": "text\na\nb\n"}, 2),
    ({"t.json": '[{"text": "a"}, {"text": "b"}]'}, 1),  # not counted inside: an estimate
])
def test_count_articles_estimates_cheaply(tmp_path, files, expected):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert count_articles([tmp_path]) == expected


@pytest.mark.parametrize("done, total, seconds, expected", [
    (0, 100, 0.0, "[........] 0/~100 0/s ETA 0m 00s a.txt"),
    (50, 100, 10.0, "[####....] 50/~100 5/s ETA 0m 10s a.txt"),
    (1000, 4000, 2.0, "[##......] 1,000/~4,000 500/s ETA 0m 06s a.txt"),
    (100, 100, 4.0, "[########] 100/~100 25/s done a.txt"),
])
def test_progress_line_shows_rate_and_time_left(done, total, seconds, expected):
    assert progress_line(done, total, seconds, "a.txt", width=8).rstrip() == expected
