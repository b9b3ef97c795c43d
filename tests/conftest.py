"""Fixtures tests share: a database built from the seeds as the app builds it on first start
(`seeds_db`, one per test module); for the browser tests, per module a Streamlit server on a
database of its own (`app_db`; a module may give its own `app_db` or `app_url`) and one
chromium, and per test a fresh offline page at desktop width (1440 px)."""
from __future__ import annotations

import pytest

import browser_support as bs
from data_prep import service


@pytest.fixture(scope="session", autouse=True)
def private_temp_folder(tmp_path_factory):
    """The pages' derived files (and anything else written to the temporary folder, by this
    process or the servers it starts) go to this run's own folder, which pytest removes
    with its old runs, instead of piling up in the machine's temporary folder."""
    import os
    import tempfile

    folder = tmp_path_factory.mktemp("tmp")
    before = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = str(folder), str(folder)
    yield folder
    if before[0] is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = before[0]
    tempfile.tempdir = before[1]


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("seeds") / "atlas.duckdb"
    service.ensure_database(db)  # built from seeds/, as the app does on first start
    return db


@pytest.fixture(scope="module")
def app_db(tmp_path_factory, request):
    bs.require_browser()
    return tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]) / "atlas.duckdb"


@pytest.fixture(scope="module")
def app_url(app_db):
    with bs.streamlit_app(app_db, app_db.with_name("streamlit.log")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(app_url):
    with bs.chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    with bs.offline_page(browser) as pg:
        yield pg
