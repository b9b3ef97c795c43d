"""Fixtures the browser tests share: per test module, a Streamlit server on a database of its
own (`app_db`; a module may give its own `app_db` or `app_url`) and one chromium; per test, a
fresh offline page at desktop width (1440 px)."""
from __future__ import annotations

import pytest

import browser_support as bs


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
