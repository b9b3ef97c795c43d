"""A shared URL in a real browser: the server started in deployed mode (as the README's
"Deploy" section starts it, bound to loopback here) with an editor passphrase set.

A visitor sees no control that changes data and the editing page's URL refuses; an editor
signs in with the passphrase, uploads an article and corrects a deal; a second browser
context, a visitor, then sees the corrected item marked with who and when. No rendered page
holds the data folder's path, and the server reached for nothing outside this machine the
whole time (it runs under `net_audit.py`).
"""
from __future__ import annotations

import json
import re

import pytest

import browser_support as bs
from atlas_ui.passphrase import hash_passphrase
from data_prep.identity import article_id

pytestmark = pytest.mark.browser

SECRET = "a long editor passphrase"
UPLOAD_TEXT = (
    "Kenya and Norway agree on a geothermal partnership\n\n"
    "NAIROBI, 14 March 2024. Kenya and Norway signed an agreement on geothermal energy "
    "cooperation on 12 March 2024. The sides agreed to build 3 power plants worth "
    "$300 million.\n"
)
VISITOR_PAGES = ["overview", "map", "timeline", "partnerships", "figures", "articles",
                 "corrections", "sign_in"]
CHANGING_BUTTONS = re.compile(r"Add to the database|Remove|Undo it|Import|Save the|Reject this|"
                              r"Add the pair")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    bs.require_browser()
    folder = tmp_path_factory.mktemp("deployed")
    data = folder / "data"
    env = {"ATLAS_MODE": "deployed", "ATLAS_EDITOR_PASSPHRASE_HASH": hash_passphrase(SECRET)}
    audit = folder / "net.jsonl"
    with bs.streamlit_app(data / "atlas.duckdb", folder / "streamlit.log", env=env,
                          audit_log=audit) as url:
        yield {"url": url, "data": data, "audit": audit}


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=bs.CHROMIUM, args=bs.CHROMIUM_ARGS)
        yield b
        b.close()


def _context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.set_default_timeout(bs.PAGE_TIMEOUT_MS)
    page.net = bs.Offline(page)  # type: ignore[attr-defined]
    return ctx, page


@pytest.fixture
def visitor(browser):
    ctx, page = _context(browser)
    yield page
    ctx.close()


@pytest.fixture(scope="module")
def editor(browser):
    """One editor session for the module: signing in holds for the browser tab's session."""
    ctx, page = _context(browser)
    yield page
    ctx.close()


def _sidebar_link(page, label: str):
    return page.locator("[data-testid='stSidebar'] a").filter(has_text=label)


def _no_path(page, server) -> None:
    html = page.content()
    assert str(server["data"]) not in html and str(bs.ROOT) not in html


def _no_errors(page) -> None:
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


@pytest.mark.parametrize("name", VISITOR_PAGES)
def test_a_visitor_sees_no_control_that_changes_data(visitor, server, name):
    bs.open_page(visitor, f"{server['url']}/{bs.PAGES[name]}")
    _no_errors(visitor)
    assert _sidebar_link(visitor, "Add articles").count() == 0
    assert _sidebar_link(visitor, "Sign in to edit").count() == 1
    assert visitor.locator("[data-testid='stFileUploaderDropzoneInput']").count() == 0
    assert visitor.get_by_role("button", name=CHANGING_BUTTONS).count() == 0
    assert visitor.get_by_text("Correct a row").count() == 0
    _no_path(visitor, server)
    assert visitor.net.outside() == []


def test_the_editing_page_url_refuses_a_visitor_politely(visitor, server):
    bs.open_page(visitor, f"{server['url']}/Add_articles")
    _no_errors(visitor)
    visitor.get_by_text(re.compile("Adding and removing articles is for editors")).wait_for()
    assert visitor.locator("[data-testid='stFileUploaderDropzoneInput']").count() == 0
    assert visitor.get_by_role("link", name="Sign in as an editor").count() == 1
    _no_path(visitor, server)


def _sign_in(page, url: str, passphrase: str) -> None:
    bs.open_page(page, f"{url}/Sign_in")
    page.get_by_role("textbox", name="Your name").fill("Ana")
    page.locator("input[aria-label='Passphrase']").fill(passphrase)
    page.get_by_role("button", name="Sign in").click()
    bs.wait_idle(page)


def _go(page, label: str) -> None:
    """Follow a sidebar link: the same browser session (a fresh URL would start a new one)."""
    _sidebar_link(page, label).first.click()
    bs.wait_idle(page)


def _choose(page, label: str, option) -> None:
    """Pick an option of a selectbox (a rerun may redraw it just as it opens: try again)."""
    box = page.get_by_role("combobox", name=label)
    for attempt in range(3):
        box.click()
        try:
            page.get_by_role("option", name=option).first.click(timeout=10_000)
            break
        except Exception:  # noqa: BLE001 - the list closed under us
            page.keyboard.press("Escape")
            if attempt == 2:
                raise
    bs.wait_idle(page)


def test_a_wrong_passphrase_is_refused(editor, server):
    _sign_in(editor, server["url"], "not the passphrase")
    editor.get_by_text(re.compile("Wrong passphrase")).wait_for()
    assert _sidebar_link(editor, "Add articles").count() == 0


def test_the_editor_signs_in_uploads_and_corrects(editor, server):
    _sign_in(editor, server["url"], SECRET)
    editor.get_by_text(re.compile("Signed in as Ana")).wait_for()
    _go(editor, "Add articles")
    editor.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "kenya.txt", "mimeType": "text/plain", "buffer": UPLOAD_TEXT.encode()}])
    editor.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        "b => b.innerText.includes('Add to the database') && !b.disabled)")
    editor.get_by_role("button", name="Add to the database").click()
    editor.get_by_text(re.compile(r"1 article\(s\) added")).first.wait_for()
    bs.wait_idle(editor)
    _no_path(editor, server)

    _go(editor, "Partnerships")
    _choose(editor, "Pair to correct", re.compile("KEN–NOR .*Kenya and Norway"))
    _choose(editor, "Status", "completed")
    editor.get_by_role("textbox", name="Reason (optional)").fill("the plants were finished")
    editor.get_by_role("button", name="Save the deal").click()
    editor.get_by_text(re.compile(r"Saved: KEN–NOR: changed deal .*status completed")).wait_for()
    _no_errors(editor)
    _no_path(editor, server)


def test_a_visitor_then_sees_the_corrected_item_marked(visitor, server):
    aid = article_id(UPLOAD_TEXT)
    bs.open_page(visitor, f"{server['url']}/Articles?article={aid}")
    visitor.get_by_text("Corrected by editors").wait_for()
    visitor.get_by_text(re.compile(r"KEN–NOR: changed deal \(.*→ status completed\) by Ana, "
                                   r"\d{4}-\d{2}-\d{2}")).wait_for()
    bs.open_page(visitor, f"{server['url']}/Partnerships")
    visitor.get_by_text(re.compile(r"1 row\(s\) corrected by editors")).wait_for()
    bs.open_page(visitor, f"{server['url']}/Corrections")
    assert visitor.get_by_role("button", name=CHANGING_BUTTONS).count() == 0
    _no_path(visitor, server)
    bs.screenshot(visitor, "corrections_visitor")


def test_the_server_reached_for_nothing_outside(server):
    entries = [json.loads(line) for line in server["audit"].read_text().splitlines()]
    assert entries, "the audit hook watched the server"
    assert [e for e in entries if not e["allowed"]] == []
