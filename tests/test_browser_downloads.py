"""Every download of article rows says where each came from (issue 11: source columns in every
table and download): in a real browser (Debian's chromium via Playwright), offline, on the
seeds plus our own wire stories uploaded as a table with `url` and `source` columns; each
file a click gives has the human headers and, for a known pair, the expected source and link."""
from __future__ import annotations

import csv
import io

import pytest

import browser_support as bs

pytestmark = pytest.mark.browser

# Our own articles, as a table upload: a publisher with a safe address, a publisher with an
# address that must never become a link, and (the seeds) files with neither.
WIRE_CSV = """title,date,url,source,text
Kazakhstan and Mongolia sign rail freight deal,2024-05-06,https://news.example/kaz-mng-rail,Steppe Wire,"Kazakhstan and Mongolia signed an agreement on rail freight cooperation on 5 May 2024. The two countries will invest $300 million in a joint logistics hub."
Mongolia and Japan hold mining talks,2024-06-03,javascript:alert(1),Night Desk,"Mongolia and Japan held talks on mining investment on 2 June 2024. Japan pledged $120 million for a copper project."
"""


@pytest.fixture(scope="module")
def app_db(tmp_path_factory):
    from data_prep import service
    from data_prep.ingest.reading import read_upload

    bs.require_browser()
    db = tmp_path_factory.mktemp("downloads") / "atlas.duckdb"
    service.ensure_database(db)  # the seeds, as the app builds them
    service.add_articles(read_upload("wire.csv", WIRE_CSV.encode("utf-8")), db)
    return db


STEPPE = ("Steppe Wire", "https://news.example/kaz-mng-rail")
NIGHT = ("Night Desk", "")  # its address is not http(s): never a link, in a file either
SEED = ("002_c370dfeada57f66a.txt", "")  # no publisher, no address: the file's name
BY_TITLE = {
    "Kazakhstan and Mongolia sign rail freight deal": STEPPE,
    "Mongolia and Japan hold mining talks": NIGHT,
    "Alikhan Smailov suggests expanding Kazakhstan-China Industrialization Projects List": SEED,
}
BY_PAIR = {"KAZ–MNG": STEPPE, "JPN–MNG": NIGHT}

# (page, button, which of those buttons, the column that names a row, the source and link
# headers, the rows expected by that column's value, the rows that must be in the file)
DOWNLOADS = [
    ("Partnerships", "Download CSV", 0, "Article", "Source", "Link", BY_TITLE, 3),
    ("Partnerships?view=pair", "Download CSV", 0, "Pair", "Sources", "Links", BY_PAIR, 2),
    ("Figures", "Download CSV", 0, "Article", "Source", "Link", BY_TITLE, 2),
    ("Timeline", "Download this chart's data (CSV)", 0, "Article", "Source", "Link", BY_TITLE, 3),
    ("Timeline", "Download this chart's data (CSV)", 1, "Article", "Source", "Link", BY_TITLE, 1),
]


@pytest.mark.parametrize("path, button, nth, key, source, link, expected, must", DOWNLOADS)
def test_every_download_of_articles_says_where_they_came_from(page, app_url, path, button, nth,
                                                              key, source, link, expected, must):
    bs.open_page(page, f"{app_url}/{path}")
    with page.expect_download() as download:
        page.get_by_role("button", name=button).nth(nth).click()
    with open(download.value.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(io.StringIO(fh.read())))
    assert rows and {key, source, link} <= set(rows[0]), list(rows[0])
    assert not {"source", "url", "sources", "links", "article_id"} & set(rows[0])  # human headers
    found = {r[key]: (r[source], r[link]) for r in rows if r[key] in expected}
    assert len(found) >= must, (found, [r[key] for r in rows])
    for name, got in found.items():
        assert got == expected[name], name
    assert not any("javascript:" in v for r in rows for v in r.values())
    assert not page.net.outside()
