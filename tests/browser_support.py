"""Helpers for the real-browser tests: start the app on a free port, drive Debian's chromium.

Kept out of conftest.py (other test files have their own fixtures there); `test_browser.py`
imports it. Nothing here runs unless the browser tests are collected.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
START_TIMEOUT_S = 180.0  # the first start builds the database from the seed articles
PAGE_TIMEOUT_MS = 90_000

# page name -> URL path of each page of the app (Streamlit drops the "1_" prefix).
PAGES = {
    "overview": "",
    "map": "Map",
    "timeline": "Timeline",
    "partnerships": "Partnerships",
    "figures": "Figures",
    "articles": "Articles",
    "add_articles": "Add_articles",
    "corrections": "Corrections",
    "sign_in": "Sign_in",
}


def require_browser() -> None:
    """Skip when chromium is missing, unless CI demands the browser (ATLAS_REQUIRE_BROWSER=1)."""
    if Path(CHROMIUM).exists():
        return
    why = f"{CHROMIUM} is missing: apt-get install -y chromium (Debian's package)"
    if os.environ.get("ATLAS_REQUIRE_BROWSER") == "1":
        pytest.fail(why + " - required because ATLAS_REQUIRE_BROWSER=1")
    pytest.skip(why)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@contextmanager
def streamlit_app(db_path: Path, log_path: Path, base_path: str = "",
                  env: Optional[dict[str, str]] = None, audit_log: Optional[Path] = None,
                  ) -> Iterator[str]:
    """Run `streamlit run app.py` against `db_path`; yields the base URL; stops it after.

    `base_path` serves the app under a prefix (server.baseUrlPath), as behind a proxy;
    `env` adds settings (ATLAS_MODE=deployed …); `audit_log` runs the server under
    `net_audit.py`, which records every address it reaches for and refuses outside ones.
    """
    port = free_port()
    env = {**os.environ, **(env or {}), "ATLAS_DB": str(db_path), "PYTHONUNBUFFERED": "1"}
    run = [sys.executable, "-m"] if audit_log is None else [
        sys.executable, str(ROOT / "tests" / "net_audit.py"), str(audit_log), "-m"]
    cmd = [*run, "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
           "--server.baseUrlPath", base_path]  # fmt: skip
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    url = f"http://127.0.0.1:{port}" + (f"/{base_path.strip('/')}" if base_path.strip("/") else "")
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited ({proc.returncode}): {log_path.read_text()[-2000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        stop_process(proc)
        log.close()


def stop_process(proc: subprocess.Popen) -> None:
    """Stop a server started in its own session (only what we started), firmly if it lingers."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


class Offline:
    """Blocks every request that leaves the machine and remembers them (the map must not
    need the CDN); records failed responses, console errors and dialogs."""

    def __init__(self, page) -> None:
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.route("**/*", self._route)
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(f"pageerror: {e}"))
        page.on("dialog", self._dialog)
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))

    # Streamlit fetches the browser-tab icon of `page_icon=":material/…:"` from Google's font
    # server; the page works without it. Reported as a warning, not a failure.
    TOLERATED = re.compile(r"^https://fonts\.gstatic\.com/s/i/short-term/release/materialsymbols")

    def outside(self) -> list[str]:
        """Requests that tried to leave the machine, other than the tolerated tab icon."""
        extra = [u for u in self.blocked if self.TOLERATED.match(u)]
        if extra:
            warnings.warn(f"the app fetched its tab icon from the internet: {extra[0]} "
                          "(page_icon ':material/…:'; an emoji or a local image avoids it)")
        return [u for u in self.blocked if not self.TOLERATED.match(u)]

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@contextmanager
def chromium() -> Iterator:
    """Debian's chromium, headless, driven by Playwright; closed after."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def offline_page(browser, width: int = 1440, height: int = 1000) -> Iterator:
    """A page in a fresh context that blocks outside requests and records them (`page.net`)."""
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.net = Offline(page)  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        ctx.close()


def open_page(page, url: str, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Go to url and wait until the script has run (not a sleep: the app's own run state)."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    wait_idle(page, timeout_ms)


def wait_idle(page, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    page.wait_for_selector(READY, timeout=timeout_ms)
    # A run can start right after the first one ends (st.rerun, query params): settle on a
    # 'notRunning' that holds for a moment.
    for _ in range(3):
        page.wait_for_timeout(300)
        page.wait_for_selector(READY, timeout=timeout_ms)


def click_center(page, locator, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Click the middle of the element `locator` finds, with the mouse (Plotly reads real
    pointer events). A chart redrawn by Plotly may drop and redraw the element between
    finding it and measuring it (its box is then None): measure again until it is there."""
    for _ in range(max(1, timeout_ms // 250)):
        box = locator.bounding_box() if locator.count() else None
        if box:
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"nothing to click: {locator} is not on the page")


SCREENSHOTS_ENV = "ATLAS_SCREENSHOTS"


def screenshot(page, name: str, folder: Optional[Path] = None) -> Path:
    """The whole page: Streamlit scrolls inside its main section, so the window is made as
    tall as that content for the picture (plotly redraws at the new size), then restored.

    Pictures go to tests/out/screenshots (ignored by git: a test run changes no tracked
    file); `make screenshots` refreshes the README's pictures in docs/screenshots."""
    folder = folder or Path(os.environ.get(SCREENSHOTS_ENV) or ROOT / "tests" / "out" / "screenshots")
    if not folder.is_absolute():
        folder = ROOT / folder
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    size = page.viewport_size or {"width": 1440, "height": 1000}
    tall = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(tall), 4000))})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def no_app_errors(page) -> None:
    """No exception box and no error notice on the page."""
    errors = page.locator("[data-testid='stException'], [data-testid='stAlertContentError']")
    assert errors.count() == 0, errors.first.inner_text()
