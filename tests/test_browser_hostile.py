"""Hostile articles in a real browser: every page, with the filters that select them, shows
their text as text. The project's own hostile articles (tests/data/hostile: Markdown and HTML
links, bare and javascript: URLs, onerror images, scripts, an iframe, bidi overrides, a
5,000-letter word, a 2,000-character title, emoji and right-to-left text) are stored with the
seeds; no element may be made from their text (no link, image, script or frame to the
attacker's host, no javascript: link, no event handler, no dialog), nothing may reach for the
attacker's host, and the main column may not scroll sideways. Their downloads open as text.
"""
from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

import browser_support as bs

pytestmark = pytest.mark.browser

HOSTILE = Path(__file__).parent / "data" / "hostile" / "hostile_articles.jsonl"
HOST = "attacker.example"
# Every page, with a filter that selects the hostile articles (Iceland is in no seed).
VIEWS = {
    "overview": "?country=ISL",
    "map": "?country=ISL",
    "timeline": "?country=ISL",
    "partnerships": "?country=ISL",
    "figures": "?country=ISL",
    "articles": "?country=ISL",
    "add_articles": "",
    "corrections": "",
    "sign_in": "",
    "url_value": "?sector=" + quote(f"see http://{HOST}/login [x](https://{HOST}/md) <b>b</b>"),
}
# What a page may not contain, counted in the page's document.
_PLANTED = """host => ({
  links: [...document.querySelectorAll('a[href]')].filter(a => a.href.includes(host)
         || a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length,
  media: [...document.querySelectorAll('img[src], iframe[src], script[src], svg image')]
         .filter(e => (e.src || e.getAttribute('href') || '').includes(host)).length,
  handlers: [...document.querySelectorAll('[onerror], [onload], [onclick], [onmouseover]')]
         .filter(e => !e.closest('script')).length,
  iframes: [...document.querySelectorAll('iframe')].filter(f => !f.src.startsWith(location.origin)
         && f.src !== 'about:blank' && f.src !== '').length,
  scripts: [...document.querySelectorAll('script:not([src])')]
         .filter(s => s.textContent.includes("alert(")).length,
})"""
_OVERFLOW = """() => {
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  return {main: main.scrollWidth - main.clientWidth, page: document.documentElement.scrollWidth - innerWidth};
}"""


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    bs.require_browser()
    from data_prep import service, store

    db = tmp_path_factory.mktemp("hostile") / "atlas.duckdb"
    service.ensure_database(db)  # the seeds
    report = service.build([HOSTILE], db)
    assert len(report.added) == 2 and not report.failed
    return db


@pytest.fixture(scope="module")
def app_url(hostile_db):
    with bs.streamlit_app(hostile_db, hostile_db.with_name("streamlit.log")) as url:
        yield url


def _seen(text: str) -> str:
    """What a reader sees: the invisible word joiners that stop autolinks take no space."""
    return text.replace("\u2060", "")


def _hostile_ids(db) -> list[str]:
    from data_prep import service, store

    with store.read_connection(db) as con:
        return [r[0] for r in con.execute(
            "SELECT article_id FROM articles WHERE text LIKE '%Iceland%' ORDER BY published").fetchall()]


def _assert_inert(page) -> None:
    page.wait_for_timeout(800)  # plotly and the data grid draw after the script's run
    planted = page.evaluate(_PLANTED, HOST)
    assert planted == {"links": 0, "media": 0, "handlers": 0, "iframes": 0, "scripts": 0}
    assert page.net.dialogs == []
    assert not [u for u in page.net.requests + page.net.blocked if urlsplit(u).hostname == HOST]
    overflow = page.evaluate(_OVERFLOW)
    assert overflow["main"] <= 1 and overflow["page"] <= 1, overflow
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_page_shows_hostile_text_inert(page, app_url, view):
    path = bs.PAGES.get(view, "Partnerships")
    bs.open_page(page, f"{app_url}/{path}{VIEWS[view]}")
    _assert_inert(page)
    if view == "url_value":  # the notice names the value as written, without a link
        notice = page.locator("[data-testid='stAlert']").filter(has_text="see http").first
        assert f"see http://{HOST}/login [x](https://{HOST}/md) <b>b</b>"[:30] in _seen(notice.inner_text())


@pytest.mark.parametrize("which", [0, 1])
def test_each_hostile_article_reads_as_text(page, app_url, hostile_db, which):
    article = _hostile_ids(hostile_db)[which]
    bs.open_page(page, f"{app_url}/Articles?country=ISL&article={article}")
    _assert_inert(page)
    body = _seen(page.locator("[data-testid='stMain']").inner_text())
    if which == 0:
        assert f"[our site](https://{HOST}/md)" in body  # the Markdown is shown as written
        assert "[js](javascript:alert('md'))" in body and f"www.{HOST}/www" in body
        assert "اتفاقية تعاون" in body and "🤝" in body and "Fjord" + "x" * 100 in body
        assert "\u202e" not in body  # the override is shown as a replacement character
        # the heading shows the title's text, Markdown and HTML included, as written
        heading = _seen(page.locator("h3").filter(has_text="Iceland and Chile").first.inner_text())
        assert f"[click here](https://{HOST}/login)" in heading and "**bold**" in heading
    else:
        # the article's own web address is the app's link, made from the parsed URL
        source = page.locator("[data-testid='stLinkButton'] a")
        assert source.get_attribute("href") == "https://news.example/iceland-chile-trade"
        heading = _seen(page.locator("h3").filter(has_text="trade talks").first.inner_text())
        assert "\u202e" not in heading and "<svg onload=alert(1)>" in heading


def test_downloads_of_hostile_rows_open_as_text(hostile_db):
    from openpyxl import load_workbook

    from atlas_ui import exports
    from data_prep import queries, service, store

    with store.read_connection(hostile_db) as con:
        frames = queries.load_frames(con)
    rows = frames.articles[frames.articles["article_id"].isin(_hostile_ids(hostile_db))]
    table = rows[["title", "source", "url"]]
    csv_text = exports.to_csv_bytes(table).decode("utf-8-sig")
    assert "\n=HYPERLINK" not in csv_text and ",=HYPERLINK" not in csv_text
    assert "'=HYPERLINK" in csv_text  # shown, never run
    sheet = load_workbook(io.BytesIO(exports.to_excel_bytes(table))).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
    assert cells and all(c.data_type == "s" for c in cells)  # strings, no formula
    assert all(c.hyperlink is None for c in cells)
    assert json.dumps([c.value for c in cells], ensure_ascii=False).count("'=HYPERLINK") == 1
