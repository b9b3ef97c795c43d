"""What the pages' tables show (Streamlit AppTest on the seed articles): human headers,
numbers written in full with their currency, "–" where a value is missing, never "None",
"nan" or "$0"; and one meaning of "partnerships" per country on every page."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest


APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT = 60
TABLE_PAGES = ["app.py", "pages/1_Map.py", "pages/3_Partnerships.py", "pages/4_Figures.py",
               "pages/5_Articles.py"]
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


@pytest.fixture
def app(seeds_db, monkeypatch):
    monkeypatch.setenv("ATLAS_MODE", "local")
    monkeypatch.setenv("ATLAS_DB", str(seeds_db))

    def open_page(page: str = "app.py") -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if page != "app.py":
            at.switch_page(page)
        return at.run()

    return open_page


def _shown(frame):
    """Each table as (headers shown, config, frame of the columns shown)."""
    config = json.loads(frame.proto.columns or "{}")
    order = list(frame.proto.column_order) or list(frame.value.columns)
    labels = [config.get(c, {}).get("label", c) for c in order]
    return labels, config, frame.value[[c for c in order if c in frame.value.columns]]


@pytest.mark.parametrize("page", TABLE_PAGES)
def test_tables_have_human_headers_and_show_a_dash_for_missing_values(app, page):
    at = app(page)
    assert not at.exception
    tables = [d for d in at.dataframe if d.proto.column_order]  # the app's presented tables
    assert tables, "no presented table on the page"
    for frame in tables:
        labels, config, shown = _shown(frame)
        for label in labels:  # issue 11: name_a, first_date, usd
            assert not SNAKE.match(label) and label != "usd" and label[:1].isupper(), label
        assert frame.proto.placeholder == "–"
        for col in shown.columns:
            cells = [str(v) for v in shown[col].tolist() if v is not None and v == v]
            assert not {"None", "nan", "NaN", "$0", "$0.00"} & set(cells), (col, cells)


@pytest.mark.parametrize("page, marker, column, expected", [
    ("app.py", "reached", "reached", ["$24.2 bn", "$21 bn"]),
    ("app.py", "kinds", "usd", ["$45.2 bn", "–", "–"]),  # issue 11: "45B", "0"
    ("pages/1_Map.py", "kinds", "usd", ["$45.2 bn", "–", "–"]),
    ("pages/1_Map.py", "iso3", "usd", ["$45.2 bn", "$45.2 bn", "–"]),
    ("pages/4_Figures.py", "sentence_text", "value", None),
])  # fmt: skip
def test_money_is_written_in_full_with_its_currency(app, page, marker, column, expected):
    at = app(page)
    frame = next(d.value for d in at.dataframe if marker in d.value.columns)
    values = frame[column].tolist()
    if expected is not None:
        assert values == expected
    else:  # the figures' values as stated: "$24.2 bn" (not "24B"), counts as written
        assert "$24.2 bn" in values and "14" in values and "8" in values
        assert not any(re.fullmatch(r"\d+(\.\d+)?[KMB]", v) for v in values)


def test_partnerships_per_country_are_distinct_pairs_on_the_map_as_on_the_overview(app):
    # issue 11: China had 4 "partnerships" (article rows) on the Map page, 3 pairs on the overview
    at = app("pages/1_Map.py")
    countries = next(d.value for d in at.dataframe if "iso3" in d.value.columns)
    by_iso = dict(zip(countries["iso3"], countries["partnerships"]))
    assert by_iso["CHN"] == 2 and by_iso["KAZ"] == 2 and by_iso["SGP"] == 2
    overview = app()
    total = {m.label: m.value for m in overview.metric}["Partnerships"]
    assert total == "3"  # the seeds' three distinct pairs


def test_every_chart_has_its_data_to_download(app):
    for page, keys in (("app.py", {"ov_map_data"}), ("pages/1_Map.py", {"map_chart_data"}),
                       ("pages/2_Timeline.py", {"tl_chart_data", "tl_figures_data"}),
                       ("pages/4_Figures.py", {"fig_money_data", "fig_counts_data"})):
        at = app(page)
        found = {b.proto.id for b in at.get("download_button")}
        assert all(any(k in f for f in found) for k in keys), (page, found)
