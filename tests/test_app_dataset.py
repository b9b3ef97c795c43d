"""The dashboard on a Parquet dataset written by the Dask build (a real LocalCluster of two
worker processes), opened in place as a folder and behind an fsspec URL (`memory://`, fsspec's
in-memory file system): every page renders, the Overview shows the numbers of the DuckDB store
of the same articles, nothing offers to write, and a location with no dataset is named in a
message instead of a traceback."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas_ui import inert, layout
from data_prep import dask_build, store
from data_prep.store import corrections as corrections_store
from data_prep.store import location, parquet
from test_app_pages import APP, PAGES, TIMEOUT

_urls = itertools.count()


@pytest.fixture(autouse=True)
def local_run(monkeypatch):
    """A local run, where a DuckDB store is edited without signing in: a dataset must still
    offer nothing that writes."""
    monkeypatch.setenv("ATLAS_MODE", "local")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    """The seed articles extracted on a LocalCluster of two processes into a dataset folder."""
    from distributed import LocalCluster

    root = tmp_path_factory.mktemp("dataset")
    folder = root / "atlas.dataset"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        report = dask_build.run([str(store.SEEDS)], root / "unused.duckdb",
                                scheduler=cluster.scheduler_address, dataset=str(folder),
                                store_it=False)
    assert len(report.added) == 5 and not report.failed
    assert not (root / "unused.duckdb").exists()  # --no-import: the dataset only
    return folder


@pytest.fixture(scope="module")
def dataset_url(dataset) -> str:
    """The same dataset copied into fsspec's in-memory file system, as `memory://...`."""
    import fsspec

    memory = fsspec.filesystem("memory")
    target = f"/atlas-tests/{next(_urls)}/atlas"
    memory.put(str(dataset), target, recursive=True)
    yield f"memory:/{target}"
    memory.rm(target.rsplit("/", 1)[0], recursive=True)


def _open(page: str = "app.py") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if page != "app.py":
        at.switch_page(page)
    return at.run()


@pytest.fixture
def opened(monkeypatch, seeds_db, dataset, dataset_url):
    """Open a page on the store of one kind: the DuckDB file, the folder or the URL."""
    where = {"duckdb": str(seeds_db), "folder": str(dataset), "url": dataset_url}

    def open_page(kind: str, page: str = "app.py") -> AppTest:
        monkeypatch.setenv("ATLAS_DB", where[kind])
        return _open(page)

    return open_page


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_url_keeps_its_slashes_and_opens_the_same_rows(dataset, dataset_url):
    assert location.locate(dataset_url) == location.Location(location.URL, dataset_url)
    with store.read_connection(dataset) as con:
        local = con.execute("SELECT article_id, title FROM articles ORDER BY 1").fetchall()
    with store.read_connection(dataset_url) as con:
        remote = con.execute("SELECT article_id, title FROM articles ORDER BY 1").fetchall()
    assert len(local) == 5 and remote == local
    assert store.database_version(dataset_url) == store.database_version(dataset_url)
    assert store.database_version(dataset_url) != "missing"
    assert parquet.problem(dataset_url) is None and parquet.problem(dataset) is None


@pytest.mark.parametrize("where", ["folder", "url"])
def test_a_dataset_has_no_corrections_and_takes_none(dataset, dataset_url, where):
    path = dataset if where == "folder" else dataset_url
    assert corrections_store.load(path) == []
    assert corrections_store.version(path) == "read-only"
    with pytest.raises(ValueError, match="read-only"):
        corrections_store.corrections_path(path)
    assert not list(dataset.parent.glob("*.corrections.duckdb"))


def test_overview_metrics_equal_the_duckdb_stores(opened):
    expected = _metrics(opened("duckdb"))
    assert expected["Articles"] == "5" and expected["Partnerships"] == "3"
    for kind in ("folder", "url"):
        at = opened(kind)
        assert not at.exception, [e.value for e in at.exception]
        assert _metrics(at) == expected, kind


@pytest.mark.parametrize("kind, page", [(k, p) for k in ("folder", "url") for p in PAGES])
def test_every_page_renders_on_a_dataset(opened, kind, page):
    at = opened(kind, page)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title and at.title[0].value
    assert not at.error


def _writing_controls(at: AppTest) -> list[str]:
    """Keys of the widgets on the page that add, remove or correct something."""
    keys = [w.key for kind in ("button", "selectbox", "multiselect", "text_input", "checkbox")
            for w in at.get(kind) if getattr(w, "key", None)]
    keys += ["file_uploader"] * len(at.get("file_uploader"))
    return [k for k in keys if k.startswith(("add_", "cx_undo", "cx_import", "pt_fix", "art_fix",
                                             "art_add", "file_uploader"))]


@pytest.mark.parametrize("page", ["pages/6_Add_articles.py", "pages/7_Corrections.py"])
def test_editing_pages_say_a_dataset_is_read_only(opened, page):
    assert _writing_controls(opened("duckdb", page))  # a local DuckDB store: editable
    for kind in ("folder", "url"):
        at = opened(kind, page)
        assert not at.exception, [e.value for e in at.exception]
        said = " ".join(inert.shown(i.value) for i in at.info)
        assert "Parquet dataset" in said and "read-only" in said, kind
        assert _writing_controls(at) == [], kind


@pytest.mark.parametrize("page", ["pages/3_Partnerships.py", "pages/5_Articles.py"])
def test_no_correction_forms_on_a_dataset(opened, page):
    assert _writing_controls(opened("duckdb", page))
    for kind in ("folder", "url"):
        assert _writing_controls(opened(kind, page)) == [], kind


@pytest.mark.parametrize("where, named", [
    ("{tmp}/nowhere", "nowhere: nothing there"),  # a missing folder (not a *.duckdb name)
    ("{tmp}/empty", "empty: no Parquet dataset there"),  # a folder without a dataset
    ("memory://no-such-bucket/atlas", "memory://no-such-bucket/atlas: no Parquet dataset there"),
    ("nosuchfs://bucket/atlas", "nosuchfs://bucket/atlas: not a location fsspec knows"),
])
def test_a_location_without_a_dataset_is_named(tmp_path, monkeypatch, where, named):
    (tmp_path / "empty").mkdir()
    where = where.format(tmp=tmp_path)
    monkeypatch.setenv("ATLAS_DB", where)
    for page in ("app.py", "pages/6_Add_articles.py"):
        at = _open(page)
        assert not at.exception, [e.value for e in at.exception]
        errors = " ".join(inert.shown(e.value) for e in at.error)
        assert named in errors, errors
        assert str(tmp_path) not in errors  # the server's folders stay off the screen
    assert not Path(tmp_path / "nowhere").exists()  # nothing was built there


@pytest.mark.parametrize("value, kind, text", [
    ("s3://bucket/atlas", location.URL, "s3://bucket/atlas"),
    ("gs://b/a/b", location.URL, "gs://b/a/b"),
    ("memory://x", location.URL, "memory://x"),
    ("{tmp}/new.duckdb", location.DUCKDB, "{tmp}/new.duckdb"),  # built when missing
    ("{tmp}/file", location.DUCKDB, "{tmp}/file"),  # an existing file, whatever its name
    ("{tmp}/folder", location.FOLDER, "{tmp}/folder"),
    ("file://{tmp}/folder", location.FOLDER, "{tmp}/folder"),
    ("{tmp}/missing", location.UNKNOWN, "{tmp}/missing"),
])
def test_locate_says_what_a_location_is(tmp_path, value, kind, text):
    (tmp_path / "file").write_bytes(b"")
    (tmp_path / "folder").mkdir()
    found = location.locate(value.format(tmp=tmp_path))
    assert (found.kind, found.text) == (kind, text.format(tmp=tmp_path))
    assert found.is_dataset == (kind in (location.URL, location.FOLDER))
    given = location.as_location(value.format(tmp=tmp_path))
    assert isinstance(given, str) if kind == location.URL else isinstance(given, Path)


def test_the_dashboard_keeps_a_url_as_text(monkeypatch):
    monkeypatch.setenv("ATLAS_DB", "s3://bucket/atlas")
    assert layout.db_path() == "s3://bucket/atlas"
    monkeypatch.setenv("ATLAS_DB", "data/x.duckdb")
    assert layout.db_path() == Path("data/x.duckdb")
    monkeypatch.delenv("ATLAS_DB")
    assert layout.db_path() == store.DEFAULT_DB
    assert layout.derived_folder("s3://bucket/atlas") != layout.derived_folder("s3:/bucket/atlas")
