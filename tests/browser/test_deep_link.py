"""A shared link opened first on a freshly started server gets the whole app."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.browser.conftest import ROOT, _free_port, _healthy, wait_for_app


@pytest.fixture
def fresh_server_url():
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not _healthy(url):
            assert proc.poll() is None and time.monotonic() < deadline, "streamlit did not start"
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_deep_link_on_a_fresh_server_runs_through_the_app_shell(page, fresh_server_url):
    page.goto(f"{fresh_server_url}/rejection?lang=ru&p=0.2&n=40")
    wait_for_app(page)
    # the sidebar of app.py (language selector, translated navigation), not Streamlit's bare pages/ list
    page.locator(".st-key-lang").wait_for()
    assert page.get_by_role("link", name="Математика отказов").count() == 1
    assert page.get_by_role("link", name="rejection").count() == 0
    assert "p=0.2" in page.url
