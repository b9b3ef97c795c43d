"""Sharing and the pair page in a real browser (Debian's chromium via Playwright), offline.

A shared URL with pair, view, sort and search opens exactly that view; the pair page is
reached from a table's link, the dot on a map line and a timeline event; a link put into a
URL value stays text; at phone width the metrics do not stack; no server path is shown.
"""
from __future__ import annotations

import re

import pytest

import browser_support as bs

pytestmark = pytest.mark.browser
PAIR_HEADING = "China – Kazakhstan"


def _on_pair_page(page, heading: str = PAIR_HEADING) -> None:
    bs.wait_idle(page)
    bs.no_app_errors(page)
    assert re.search(r"/Pair\?pair=[A-Z]{3}-[A-Z]{3}", page.url), page.url
    page.get_by_role("heading", name=heading).wait_for()
    for section in ("Events", "Money by measure over time", "Figures with their sentences",
                    "Organisations and people", "Sources", "Cite this page"):
        page.get_by_role("heading", name=section).wait_for()
    assert page.net.outside() == []


def test_a_shared_url_opens_exactly_that_view(page, app_url):
    bs.open_page(page, f"{app_url}/Partnerships?pair=KAZ-CHN&view=pair&sort=usd&order=asc"
                       "&search=kazakhstan")
    bs.no_app_errors(page)
    assert page.get_by_role("radio", name="One row per pair").is_checked()
    assert page.get_by_label("Search in this table").input_value() == "kazakhstan"
    assert page.get_by_role("combobox", name="Sort by").input_value() == "Money reached (USD)"
    assert not page.get_by_role("switch", name="Descending").is_checked()
    page.get_by_text("1 of 1 rows").wait_for()  # the pair's one row, found by the search
    page.get_by_text("China with Kazakhstan").first.wait_for()  # the filter said in words
    for part in ("view=pair", "sort=usd", "order=asc", "search=kazakhstan", "country=CHN",
                 "partner=KAZ"):
        assert part in page.url, page.url
    assert "pair=" not in page.url.replace("view=pair", "")  # the pair became country+partner


def test_pair_page_from_a_table_link(page, app_url):
    bs.open_page(page, f"{app_url}/Map")
    table = page.locator("[data-testid='stDataFrame']").nth(1)  # partner pairs: its Pair cells link
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    popup = None
    for _attempt in range(3):  # the first click may only focus the grid
        try:
            with page.context.expect_page(timeout=5000) as opened:
                page.mouse.click(box["x"] + 35, box["y"] + 35 + 17)  # first row's link
            popup = opened.value
            break
        except Exception:  # noqa: BLE001 - no new tab yet: click again
            continue
    assert popup is not None, "the pair link of the table opened nothing"
    popup.set_default_timeout(bs.PAGE_TIMEOUT_MS)
    popup.net = bs.Offline(popup)  # type: ignore[attr-defined]
    popup.wait_for_load_state("domcontentloaded")
    _on_pair_page(popup)
    popup.close()


def test_pair_page_from_the_dot_on_a_map_line(page, app_url):
    bs.open_page(page, f"{app_url}/Map")
    page.wait_for_function("() => document.querySelectorAll('path.choroplethlocation').length >= 3")
    dots = page.locator(".js-plotly-plot .scattergeo path.point[style*='fill: rgb(255, 255, 255)']")  # white: a line's dot
    assert dots.count() >= 1  # the dots of the partner lines
    bs.click_center(page, dots.first)
    bs.wait_idle(page)
    assert re.search(r"country=[A-Z]{3}&partner=[A-Z]{3}|partner=[A-Z]{3}.*country=", page.url)
    link = page.get_by_role("link", name=re.compile(r"Open the page of "))
    link.wait_for()
    heading = re.search(r"Open the page of (.+)", link.inner_text()).group(1).strip()
    link.click()
    _on_pair_page(page, heading)


def test_pair_page_from_a_timeline_event(page, app_url):
    bs.open_page(page, f"{app_url}/Timeline")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    marks = page.locator(".js-plotly-plot .scatterlayer path.point, .js-plotly-plot .barlayer path")
    assert marks.count() >= 1
    bs.click_center(page, marks.first)
    page.wait_for_url(re.compile(r"/Pair\?pair="))
    bs.wait_idle(page)
    assert page.locator("h3").count() >= 1
    bs.no_app_errors(page)
    bs.screenshot(page, "pair")


@pytest.mark.parametrize("path", [
    "/?sector=see http://example.com/login",
    "/Partnerships?view=see http://example.com/login",
    "/Pair?pair=see http://example.com/login",
    "/?country=[x](http://example.com/login)",
])
def test_a_link_in_a_url_value_stays_text(page, app_url, path):
    bs.open_page(page, app_url + path)
    bs.no_app_errors(page)
    page.get_by_text(re.compile(r"example\.com")).first.wait_for()  # shown back, as text
    for frame in page.frames:  # no link leads there (the app's own links may carry the URL)
        assert not frame.evaluate("() => [...document.querySelectorAll('a[href]')]"
                                  ".some(a => new URL(a.href).hostname.endsWith('example.com'))")


def test_phone_width_shows_the_metrics_compactly(browser, app_url):
    with bs.offline_page(browser, width=390, height=844) as phone:
        bs.open_page(phone, f"{app_url}/")
        metrics = phone.locator("[data-testid='stMetric']")
        assert metrics.count() == 4
        boxes = [metrics.nth(i).bounding_box() for i in range(4)]
        assert len({round(b["y"]) for b in boxes}) <= 2  # two a line, not four stacked cards
        top, bottom = min(b["y"] for b in boxes), max(b["y"] + b["height"] for b in boxes)
        assert bottom - top < 200, (top, bottom)
        for i in range(4):  # each value readable in full, not cut to "$45…"
            value = metrics.nth(i).locator("[data-testid='stMetricValue']")
            assert value.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), value.inner_text()
        bs.screenshot(phone, "overview_phone")


def test_no_server_path_and_no_filters_on_the_upload_page(page, app_url, app_db):
    for path in ("/", "/Map", "/Add_articles"):
        bs.open_page(page, app_url + path)
        body = page.locator("body").inner_text()
        assert str(app_db.parent) not in body and "atlas.duckdb" not in body
    assert page.get_by_role("heading", name="Filters").count() == 0  # the upload page
    bs.open_page(page, f"{app_url}/Map")
    assert page.get_by_role("heading", name="Filters").count() == 1


UPLOAD_TEXT = (
    "Japan and Singapore sign a port agreement\n\n"
    "SINGAPORE, 3 April 2024. Japan and Singapore signed an agreement on port cooperation on "
    "2 April 2024, the ministries said.\n"
)


def test_an_upload_leaves_the_uploader_empty_and_reports_in_words(page, app_url):
    bs.open_page(page, f"{app_url}/Add_articles")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "ports.txt", "mimeType": "text/plain", "buffer": UPLOAD_TEXT.encode()}])
    page.locator("[data-testid='stFileChip']").first.wait_for()
    button = page.get_by_role("button", name="Add to the database")
    page.wait_for_function("() => [...document.querySelectorAll('button')].some("
                           "b => b.innerText.includes('Add to the database') && !b.disabled)")
    button.click()
    page.get_by_text(re.compile(r"article\(s\) added")).first.wait_for()
    bs.wait_idle(page)
    bs.no_app_errors(page)
    assert page.locator("[data-testid='stFileChip']").count() == 0  # the file left the uploader
    report = page.locator("[data-testid='stDataFrame']").first.text_content() or ""
    for header in ("File", "Result", "Articles added", "Duplicates skipped", "Problems", "Details"):
        assert header in report, report
    for internal in ("file", "result", "duplicates", "failed", "why"):
        assert not re.search(rf"\b{internal}\b", report.replace("ports.txt", "")), report


def test_date_inputs_show_a_whole_date(page, app_url):
    bs.open_page(page, f"{app_url}/Map?from=2023-01-05&to=2024-12-31")
    sidebar = page.locator("[data-testid='stSidebar']")
    for label, value in (("From", "2023-01-05"), ("To", "2024-12-31")):
        box = sidebar.locator("[data-testid='stDateInput']").filter(has_text=label)
        box.scroll_into_view_if_needed()
        assert box.locator("input").first.input_value() == value
        shown = re.sub(r"\s", "", box.inner_text())
        assert value in shown, shown  # every part of the date on screen
        # one date a line, as wide as the sidebar (two side by side were cut off)
        assert box.bounding_box()["width"] >= 0.8 * sidebar.bounding_box()["width"] - 60
