"""The Dask build on a real LocalCluster of two worker processes: the rows it stores equal the
single-process build's on the project's test articles, the Parquet dataset it writes opens
in place with the same rows, and every input is accounted for."""
from __future__ import annotations

from pathlib import Path

import pytest

from data_prep import dask_build, service, store
from data_prep.store import parquet
from test_cli import run as run_cli
from test_store import article_hashes, write_articles

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    db = tmp_path_factory.mktemp("single") / "atlas.duckdb"
    report = service.build([ARTICLES], db)
    return db, report


def test_cluster_rows_equal_the_single_process_build(cluster, single, tmp_path):
    one, one_report = single
    db = tmp_path / "atlas.duckdb"
    report = dask_build.run([str(ARTICLES)], db, scheduler=cluster.scheduler_address)
    assert sorted(report.added) == sorted(one_report.added) and report.failed == []
    assert sorted(report.duplicates) == sorted(one_report.duplicates)
    expected = article_hashes(one)
    assert article_hashes(db) == expected
    dataset = Path(dask_build.default_dataset(db))
    assert parquet.read_manifest(dataset)["extractor_version"] == service.EXTRACTOR_VERSION
    assert article_hashes(dataset) == expected  # the dataset itself, opened in place
    with store.read_connection(dataset) as con:
        assert con.execute("SELECT count(*) FROM partnerships").fetchone()[0] > 0


def test_cluster_build_into_a_store_keeps_what_it_holds(cluster, tmp_path):
    db = tmp_path / "atlas.duckdb"
    write_articles(tmp_path / "old", 6, "o")
    write_articles(tmp_path / "new", 8, "n")
    (tmp_path / "new" / "copy.txt").write_text((tmp_path / "old" / "o0001.txt").read_text())
    (tmp_path / "new" / "empty.txt").write_text("")
    service.build([tmp_path / "old"], db)
    before = article_hashes(db)
    report = dask_build.run([str(tmp_path / "new")], db, scheduler=cluster.scheduler_address,
                            dataset=str(tmp_path / "ds"))
    assert len(report.added) == 8
    assert (report.duplicates, report.duplicate_of) == (["copy.txt"], ["o0001.txt"])
    assert [p.file for p in report.failed] == [str(tmp_path / "new" / "empty.txt")]
    after = article_hashes(db)
    assert len(after) == 14 and all(after[k] == v for k, v in before.items())


def test_command_line_engine_dask(tmp_path):
    write_articles(tmp_path / "in", 5, "c")
    db = tmp_path / "atlas.duckdb"
    done = run_cli("build", tmp_path / "in", "--db", db, "--engine", "dask", "--workers", "2",
                   "--quiet")
    assert done.returncode == 0, done.stderr[-2000:]
    assert ": 5 added, 0 already stored, 0 failed" in done.stderr
    assert len(article_hashes(db)) == 5
