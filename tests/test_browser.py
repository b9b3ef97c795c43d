"""The app in a real browser (Debian's chromium via Playwright), offline.

Starts `streamlit run app.py` once for the module on a database of its own (built from the
seeds), blocks every request that leaves the machine, then checks what a person sees: each
page draws without an error, the map has land, borders and country shapes from the bundled
topojson, tables draw, a URL filter narrows the map, an upload adds an article, and article
text with script/img payloads is shown as text without running. Screenshots of each page
land in tests/out/screenshots/ (`make screenshots` refreshes the README's in docs/screenshots).
"""
from __future__ import annotations

import re

import pytest

import browser_support as bs

pytestmark = pytest.mark.browser

UPLOAD_TEXT = (
    "Kazakhstan and Singapore sign logistics agreement\n\n"
    "ASTANA, 14 March 2024. Kazakhstan and Singapore signed an agreement on logistics "
    "cooperation on 12 March 2024. The sides agreed to implement 7 joint projects worth "
    "$450 million. Trade turnover between the two countries reached $1.2 billion in 2023.\n"
)
PAYLOAD_SCRIPT = "<script>alert(1)</script>"
PAYLOAD_IMG = "<img src=x onerror=alert(2)>"
XSS_TEXT = (
    f"Payload test {PAYLOAD_SCRIPT} between Germany and France\n\n"
    f"BERLIN, 3 June 2024. Germany and France signed an energy agreement {PAYLOAD_SCRIPT} on "
    f"2 June 2024 worth €2 billion. {PAYLOAD_IMG} The ministers said cooperation would grow.\n"
)


def _wait_map(page, minimum: int = 1) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('path.choroplethlocation').length >= n", arg=minimum
    )


@pytest.mark.parametrize("name", list(bs.PAGES))
def test_every_page_draws_offline(page, app_url, name):
    bs.open_page(page, f"{app_url}/{bs.PAGES[name]}")
    bs.no_app_errors(page)
    assert page.locator("h1").count() >= 1
    if name in ("overview", "map"):
        _wait_map(page)
    if name in ("timeline", "figures"):
        page.wait_for_selector(".js-plotly-plot .main-svg")
    if name not in ("add_articles", "corrections", "sign_in"):
        page.wait_for_selector("[data-testid='stDataFrame'], .js-plotly-plot")
    page.wait_for_timeout(500)  # let plotly finish its transition before the picture
    bs.screenshot(page, name)
    assert page.net.outside() == [], "the page tried to reach the internet"


def test_map_draws_land_borders_and_countries_from_the_bundled_file(page, app_url):
    bs.open_page(page, f"{app_url}/Map")
    _wait_map(page, 3)
    topo = [u for u in page.net.requests if u.endswith("world_50m.json")]
    assert topo and all(u.startswith(app_url) and "/app/static/topojson/" in u for u in topo)
    assert not any("cdn.plot.ly" in u for u in page.net.requests + page.net.blocked)
    assert not [f for f in page.net.failed if "topojson" in f]
    shapes = page.locator("path.choroplethlocation").count()
    assert shapes >= 3  # the seed articles name several countries
    # Land and borders: the country-border mesh of the 50m file is a long path.
    borders = page.evaluate(
        "() => Math.max(0, ...[...document.querySelectorAll('.geo .countries path, "
        ".geo path.countries, .layer.countries path')].map(p => (p.getAttribute('d') || '').length))"
    )
    assert borders > 100_000
    assert page.locator(".geo .land path, .geo path.land").count() >= 1
    # the table under the map is drawn too
    assert page.locator("[data-testid='stDataFrame']").count() >= 1


def _metric(page, label: str) -> int:
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return int(box.locator("[data-testid='stMetricValue']").inner_text().replace(",", ""))


def test_url_filter_narrows_every_number(page, app_url, app_db):
    from data_prep import store

    bs.open_page(page, f"{app_url}/")
    total = _metric(page, "Articles")
    with store.read_connection(app_db) as con:
        assert total == con.execute("SELECT count(*) FROM articles").fetchone()[0]
        iso3, n = con.execute(
            "SELECT iso3, count(DISTINCT article_id) AS n FROM countries GROUP BY iso3 "
            "ORDER BY n, iso3 LIMIT 1"
        ).fetchone()
    assert n < total, "the seeds should have a country that not every article names"
    bs.open_page(page, f"{app_url}/?country={iso3}")
    bs.no_app_errors(page)
    assert _metric(page, "Articles") == n
    assert f"country={iso3}" in page.url
    _wait_map(page, 1)


def _upload(page, app_url, name: str, text: str) -> str:
    bs.open_page(page, f"{app_url}/Add_articles")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": text.encode("utf-8")}]
    )
    button = page.get_by_role("button", name="Add to the database")
    button.wait_for()
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        "b => b.innerText.includes('Add to the database') && !b.disabled)"
    )
    button.click()
    page.get_by_text(re.compile(r"article\(s\) added")).first.wait_for()
    bs.wait_idle(page)
    return page.locator("[data-testid='stAlert'], [data-testid='stAlertContainer']").first.inner_text()


def test_upload_adds_an_article(page, app_url):
    report = _upload(page, app_url, "upload1.txt", UPLOAD_TEXT)
    assert re.search(r"\b1 article\(s\) added", report), report
    bs.no_app_errors(page)
    bs.open_page(page, f"{app_url}/Articles")
    page.get_by_text("Kazakhstan and Singapore sign logistics agreement").first.wait_for()


def test_script_and_img_payloads_never_run(page, app_url):
    from data_prep.identity import article_id

    report = _upload(page, app_url, "<b>x</b>.txt", XSS_TEXT)
    assert re.search(r"\b1 article\(s\) added", report), report
    bs.open_page(page, f"{app_url}/Articles?article={article_id(XSS_TEXT)}")
    page.get_by_text("between Germany and France").first.wait_for()
    page.wait_for_timeout(1000)  # give any injected handler the chance to fire
    bs.no_app_errors(page)
    body = page.locator("body").inner_text()
    assert PAYLOAD_SCRIPT in body and PAYLOAD_IMG in body  # shown literally, as text
    assert page.net.dialogs == []
    assert not [e for e in page.net.console_errors if "alert" in e or re.search(r"/x\b", e)]
    assert not [u for u in page.net.requests if re.search(r"/x$", u)]  # no <img src=x> load
    assert page.locator("img[src='x']").count() == 0
    for frame in page.frames:  # no script element carries the payload, in any frame
        assert not frame.evaluate(
            "() => [...document.querySelectorAll('script')].some(s => s.text.includes('alert('))"
        )
    bs.screenshot(page, "articles_payload")


def test_map_works_under_a_path_prefix(browser, tmp_path):
    """Deployed under /atlas (server.baseUrlPath or a proxy), the relative topojsonURL still
    finds the bundled file: /atlas/app/static/topojson/world_50m.json."""
    with bs.streamlit_app(tmp_path / "atlas.duckdb", tmp_path / "streamlit.log", "atlas") as url:
        ctx = browser.new_context(viewport={"width": 1200, "height": 900})
        page = ctx.new_page()
        net = bs.Offline(page)
        try:
            bs.open_page(page, f"{url}/Map")
            _wait_map(page, 3)
            topo = [u for u in net.requests if u.endswith("world_50m.json")]
            assert topo and all("/atlas/app/static/topojson/" in u for u in topo)
            assert not [f for f in net.failed if "topojson" in f] and net.outside() == []
        finally:
            ctx.close()


def test_hovering_small_countries_and_lines_shows_their_figures(page, app_url):
    bs.open_page(page, f"{app_url}/Map")
    _wait_map(page, 3)
    points = page.locator(".js-plotly-plot .scattergeo path.point")
    assert points.count() >= 2  # midpoints of partner lines + small-country markers
    seen = []
    label = page.locator(".hoverlayer .hovertext")
    for i in range(points.count()):
        box = points.nth(i).bounding_box()
        if not box:
            continue
        for _attempt in range(2):  # a busy machine may drop a hover: clear the label, try again
            page.mouse.move(1, 1)
            try:
                label.first.wait_for(state="detached", timeout=3000)
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=3)
                label.first.wait_for(timeout=5000)
            except Exception:  # noqa: BLE001 - a point hidden behind another one
                continue
            seen.append(label.first.text_content() or "")
            break
    assert any("Singapore (SGP)" in s and "Articles:" in s for s in seen), seen  # a city-state
    assert any(" – " in s and "Articles:" in s and "Money reached:" in s for s in seen), seen  # a line


# Each page's main table and how many of its first columns must be on screen at 1440 px:
# the columns that say who, when, what and how much (the rest may scroll).
KEY_COLUMNS = [
    ("Partnerships", "Evidence", "PARTNERSHIPS_BY_ARTICLE", 6),
    ("Figures", "Sentence", "FIGURES", 7),
    ("Map", "Partnerships", "COUNTRIES", 5),
]


@pytest.mark.parametrize("path, has_text, spec, keys", KEY_COLUMNS)
def test_key_columns_are_on_screen_at_1440_px(browser, app_url, path, has_text, spec, keys):
    """The grid's drawn width holds the key columns' widths, and the grid renders their
    headers (it renders only the columns in view): no sideways scroll to read them."""
    from atlas_ui import tables

    table = getattr(tables, spec)
    labels = [c.label for c in table.columns[:keys]]
    with bs.offline_page(browser, width=1440) as page:
        bs.open_page(page, f"{app_url}/{path}")
        grid = page.locator("[data-testid='stDataFrame']").filter(has_text=has_text).first
        grid.wait_for()
        rendered = grid.locator("[role='columnheader']").all_text_contents()
        assert [h.strip() for h in rendered[:keys]] == labels, rendered
        assert grid.bounding_box()["width"] >= sum(c.px for c in table.columns[:keys])
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 1440


@pytest.mark.parametrize("button, suffix", [("Download CSV", ".csv"), ("Download Excel", ".xlsx")])
def test_partnerships_downloads_open_with_human_headers(page, app_url, button, suffix):
    """The file a click gives has the table's labels as headers and money as numbers with a
    currency column, never the internal names."""
    import csv
    import io

    import openpyxl

    bs.open_page(page, f"{app_url}/Partnerships")
    with page.expect_download() as download:
        page.get_by_role("button", name=button).first.click()
    assert download.value.suggested_filename == f"partnerships{suffix}"
    path = download.value.path()
    if suffix == ".csv":
        with open(path, encoding="utf-8-sig") as fh:
            rows = list(csv.reader(io.StringIO(fh.read())))
        header, first, n_rows = rows[0], rows[1], len(rows)
    else:
        with open(path, "rb") as fh:
            sheet = openpyxl.load_workbook(io.BytesIO(fh.read())).active
        header = [c.value for c in sheet[1]]
        first = [c.value for c in sheet[2]]
        n_rows = sheet.max_row
    assert header[:4] == ["Pair", "Date", "Kind", "Evidence"], header
    assert "Money reached (USD)" in header and "Currency" in header, header
    assert not {"usd", "iso3_a", "name_a", "first_date", "event_date"} & set(header), header
    total = int(re.search(r"rows \d+–\d+ of ([\d,]+)", page.inner_text("body")).group(1).replace(",", ""))
    assert n_rows == total + 1  # the header and every row the table counts (an upload may add some)
    money = first[header.index("Money reached (USD)")]
    assert money in ("", None) or float(money) > 0  # a number, not "$24.2 bn"
