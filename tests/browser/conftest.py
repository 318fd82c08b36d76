"""Browser-test infrastructure: a running ``streamlit run app.py`` and a Playwright page.

Fixtures and helpers for every page's browser test (all tests in this folder
are marked ``browser`` automatically)::

    from tests.browser.conftest import choose_option, open_app, wait_for_app


    def test_funnels_page(page, app_url, save_screenshot):
        open_app(page, app_url, "funnels", lang="en")  # /funnels?lang=en, waits for the run to end
        choose_option(page, "funnels.seller", "Anna")  # a st.selectbox by its widget key
        page.get_by_text("Step conversion").first.wait_for()
        save_screenshot(page, "funnels_page")  # test-artifacts/funnels_page.png

- ``app_url`` (session): base URL of a server started from the project root on a
  free port; with ``pytest -n`` each worker starts its own. Set ``FUNNEL_APP_URL``
  to reuse a server that is already running.
- ``page``: a fresh browser context and page per test, one headless Chromium
  (/usr/bin/chromium) per session, viewport 1400x1000, English browser locale.
- ``save_screenshot(page, name)``: PNG of the whole page (the scrolled main area
  included) in ``test-artifacts/<name>.png``; also importable as a plain function.
- ``wait_for_app(page)``: call after ``goto`` and after every interaction that
  makes Streamlit rerun. It waits until the ``stApp`` element reports a
  connected session and a finished script run (``data-test-script-state`` is
  ``notRunning``) and has stayed so for ``settle_ms``, so a rerun that starts a
  moment after a click is waited for too.
- Widgets: Streamlit gives each keyed widget's container the class
  ``st-key-<key>`` (characters other than letters, digits, ``_`` and ``-`` become
  ``-``, so "funnels.seller" → ``st-key-funnels-seller``); ``widget(page, key)``
  returns that locator.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1400, "height": 1000}
SERVER_START_TIMEOUT_S = 90  # the machine is shared; a cold start with imports can take a while
MAX_SCREENSHOT_HEIGHT = 12_000
RUN_TIMEOUT_MS = 60_000  # one script run of a page, including the first import of the data

_IDLE_JS = """
([settleMs]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app !== null
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning';
  if (!idle) { window.__funnelIdleSince = null; return false; }
  const now = performance.now();
  if (window.__funnelIdleSince == null) window.__funnelIdleSince = now;
  return now - window.__funnelIdleSince >= settleMs;
}
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Base URL of ``streamlit run app.py`` started for this test session."""
    reuse = os.environ.get("FUNNEL_APP_URL")
    if reuse:
        yield reuse.rstrip("/")
        return
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"streamlit-{port}.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while not _healthy(url):
                if proc.poll() is not None:
                    pytest.fail(f"streamlit exited with {proc.returncode}; see {log_path}")
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not answer {url}/_stcore/health in {SERVER_START_TIMEOUT_S} s")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh context (own cookies, own Streamlit session) and page per test."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


def save_screenshot(page, name: str, *, whole_page: bool = True) -> Path:
    """Write a screenshot to ``test-artifacts/<name>.png`` and return its path.

    Streamlit scrolls its main area (``stMain``) inside a fixed-height window,
    so a plain full-page screenshot shows one screen only; with ``whole_page``
    the viewport is stretched to the main area's height for the shot.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.scrollHeight : 0; }"
    )
    stretch = whole_page and size is not None and height > size["height"]
    if stretch:
        page.set_viewport_size({"width": size["width"], "height": min(height, MAX_SCREENSHOT_HEIGHT)})
        page.wait_for_timeout(500)  # charts and tables re-lay themselves out to the new size
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        if stretch:
            page.set_viewport_size(size)
    return path


@pytest.fixture(name="save_screenshot")
def save_screenshot_fixture() -> Callable[..., Path]:
    """``save_screenshot(page, name)`` as a fixture."""
    return save_screenshot


def wait_for_app(page, *, settle_ms: int = 600, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until Streamlit is connected and its script run has finished (and stayed finished)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.evaluate("window.__funnelIdleSince = null")
    page.wait_for_function(_IDLE_JS, arg=[settle_ms], polling=100, timeout=timeout_ms)


def open_app(page, app_url: str, path: str = "", *, lang: str | None = None) -> None:
    """Open ``app_url/<path>`` (a page's url_path, "" for the Data page), optionally with ``?lang=``."""
    url = f"{app_url}/{path.lstrip('/')}"
    if lang:
        url += f"?lang={lang}"
    page.goto(url)
    wait_for_app(page)


def widget(page, key: str):
    """The container of the widget with Streamlit key ``key``."""
    return page.locator(f".st-key-{re.sub(r'[^a-zA-Z0-9_-]', '-', key.strip())}")


def choose_option(page, key: str, option: str) -> None:
    """Pick ``option`` (its displayed text) in the st.selectbox with key ``key``, then wait for the rerun."""
    # streamlit 1.67 renders st.selectbox as a react-aria combobox with a listbox of options
    widget(page, key).get_by_role("combobox").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)
