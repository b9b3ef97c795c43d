"""Two writer processes at once, and readers during writes, on one real database file."""
from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest

from data_prep import service, store
from data_prep.identity import article_id
from test_store import article_hashes, make_article, write_articles
from test_store_crash import ROOT, start_build

READER = ("import sys, time; from data_prep import store; c = store.read_connection(sys.argv[1]); "
          "print(c.execute('SELECT count(*) FROM articles').fetchone()[0], flush=True); "
          "time.sleep(30)")


@pytest.mark.parametrize("existing", [0, 10])
def test_two_processes_adding_at_once_keep_all_articles(tmp_path, existing):
    db = tmp_path / "atlas.duckdb"
    if existing:
        write_articles(tmp_path / "common", existing, "c")
        service.build([tmp_path / "common"], db)
    write_articles(tmp_path / "a", 60, "a")
    write_articles(tmp_path / "b", 60, "b")
    write_articles(tmp_path / "both", 15, "s")  # given to both: stored once
    procs = [start_build(db, tmp_path / "a", tmp_path / "both"),
             start_build(db, tmp_path / "b", tmp_path / "both")]

    seen = []  # a reader polling during both writes: never fails, never goes back
    while any(p.poll() is None for p in procs):
        if db.exists():
            with store.read_connection(db) as con:
                seen.append(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        time.sleep(0.01)
    added, already = [], []
    for p in procs:
        out, err = p.communicate()
        assert p.returncode == 0, err.decode()[-2000:]
        m = re.search(r": (\d+) added, (\d+) already stored, 0 failed", err.decode())
        added.append(int(m[1]))
        already.append(int(m[2]))
    # the second writer saw the first one's shared articles as already stored
    assert sorted(added) == [60, 75] and sorted(already) == [0, 15]
    assert seen == sorted(seen)

    expected = {article_id(make_article(i, s)) for s in "ab" for i in range(60)}
    expected |= {article_id(make_article(i, "s")) for i in range(15)}
    expected |= {article_id(make_article(i, "c")) for i in range(existing)}
    assert set(article_hashes(db)) == expected


def test_open_reader_in_another_process_does_not_block_a_writer(tmp_path):
    db = tmp_path / "atlas.duckdb"
    write_articles(tmp_path / "a", 3, "a")
    service.build([tmp_path / "a"], db)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert reader.stdout.readline().strip() == b"3"  # it holds the file open now
        write_articles(tmp_path / "b", 4, "b")
        waits: list[str] = []
        report = service.build([tmp_path / "b"], db, on_wait=waits.append)
        assert len(report.added) == 4 and waits == []  # a reader never makes a writer wait
        with store.read_connection(db) as con:
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 7
    finally:
        reader.kill()
        reader.wait()


HOLD_WRITE = ("import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); "
              "print('open', flush=True); time.sleep(30)")


def test_file_held_read_write_by_another_program_is_busy_not_corrupt(tmp_path):
    db = tmp_path / "atlas.duckdb"
    write_articles(tmp_path / "a", 2, "a")
    service.build([tmp_path / "a"], db)
    before = article_hashes(db)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE, str(db)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"open"
        with pytest.raises(store.StoreBusy, match="held open for writing"):
            service.add_articles([], db)
    finally:
        holder.kill()
        holder.wait()
    assert not list(tmp_path.glob("*.corrupt-*"))  # a lock is not corruption
    assert article_hashes(db) == before
