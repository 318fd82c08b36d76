"""Ten sessions at once on one loopback server: no error, no language or setting crossing between them.

Each session opens the app in English, or in Russian for every third one, then keeps changing
pages, moving the forecast sliders and switching its data source for ``FUNNEL_LOAD_SECONDS``
(25 s by default; 120 for the long run). After every step the session checks that its sidebar
still shows its own language and its own data source, that the page title is in its language and
that no error or exception is on the page. The server's peak memory and the 90th percentile of a
page change are printed (``-s``) and written to ``test-artifacts/load.txt``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

from playwright.async_api import TimeoutError as PlaywrightTimeout

from funnel_model.i18n import t
from tests.browser.conftest import (
    _IDLE_JS,
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    SERVER_START_TIMEOUT_S,
    VIEWPORT,
    _free_port,
    _healthy,
)

SESSIONS = int(os.environ.get("FUNNEL_LOAD_SESSIONS", "10"))
SECONDS = float(os.environ.get("FUNNEL_LOAD_SECONDS", "25"))
STEP_TIMEOUT_MS = 120_000  # one step under the load of all sessions on a shared machine
PAGES = (("data", "page.data"), ("funnels", "page.funnels"), ("forecast", "page.forecast"))
PAGES += (("rejection", "page.rejection"), ("compensation", "page.compensation"))
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


def _rss_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of the server process (Streamlit runs every session in its threads)."""
    return _rss_kb(pid, "VmRSS:")


async def _idle(page) -> None:
    await page.evaluate("window.__funnelIdleSince = null")
    await page.wait_for_function(_IDLE_JS, arg=[400], polling=100, timeout=STEP_TIMEOUT_MS)


async def _check(page, lang: str, source: str, where: str, failures: list[str]) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    shown_lang = await sidebar.locator(".st-key-lang").get_by_role("combobox").input_value()
    if shown_lang != LANGUAGE_NAMES[lang]:
        failures.append(f"{where}: language shows {shown_lang!r}, not {LANGUAGE_NAMES[lang]!r}")
    checked = sidebar.locator(".st-key-source").get_by_role("radio", checked=True)
    with contextlib.suppress(PlaywrightTimeout):  # the control is drawn a moment after the run ends
        await checked.wait_for(timeout=15_000)
    chosen = (await checked.inner_text()).strip() if await checked.count() else ""
    if chosen != t(f"app.source.{source}", lang):
        failures.append(f"{where}: data source shows {chosen!r}, not {t(f'app.source.{source}', lang)!r}")
    for selector in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]'):
        if await page.locator(selector).count():
            failures.append(f"{where}: {await page.locator(selector).first.inner_text()}"[:300])


async def _open(browser, url: str, i: int, failures: list[str]):
    """Session ``i``'s page, opened in its language (every third in Russian, the rest in English)."""
    lang = "ru" if i % 3 == 2 else "en"
    context = await browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = await context.new_page()
    await page.goto(f"{url}/?lang={lang}")
    await _idle(page)
    await _check(page, lang, "demo", f"session {i} start", failures)
    return page, lang


async def _browse(page, lang: str, i: int, deadline: float, changes: list[float], failures: list[str]) -> int:
    """Change pages, move sliders and flip the data source until ``deadline``; the number of steps."""
    rng = random.Random(i)
    steps = 0
    source = "demo"
    try:
        while time.monotonic() < deadline:
            steps += 1
            action = rng.random()
            if action < 0.15:  # the data source flips between demo and upload (nothing uploaded: shows demo)
                source = "upload" if source == "demo" else "demo"
                await page.locator(".st-key-source").get_by_role("radio", name=t(f"app.source.{source}", lang)).click()
                await _idle(page)
            elif action < 0.35 and await page.locator('[data-testid="stSlider"]').count():
                try:
                    await page.locator('[data-testid="stSlider"] [role="slider"]').first.focus(timeout=5_000)
                except PlaywrightTimeout:  # a rerun removed the slider between the count and the focus
                    continue
                await page.keyboard.press(rng.choice(["ArrowRight", "ArrowLeft"]))
                await _idle(page)
            else:
                _, title = rng.choice(PAGES)
                started = time.monotonic()
                await page.locator('[data-testid="stSidebarNav"]').get_by_text(t(title, lang), exact=True).click()
                await page.get_by_role("heading", name=t(title, lang)).first.wait_for()
                await _idle(page)
                changes.append(time.monotonic() - started)
            await _check(page, lang, source, f"session {i} step {steps}", failures)
    except Exception as err:  # a timeout or a vanished element fails this session, not the whole run
        failures.append(f"session {i} step {steps}: {type(err).__name__}: {str(err)[:300]}")
    return steps


async def _drive(url: str, seconds: float, changes: list[float], failures: list[str]) -> list[int]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            opened = await asyncio.gather(*(_open(browser, url, i, failures) for i in range(SESSIONS)))
            deadline = time.monotonic() + seconds  # the clock starts once every session is open
            return await asyncio.gather(
                *(_browse(page, lang, i, deadline, changes, failures) for i, (page, lang) in enumerate(opened))
            )
        finally:
            await browser.close()


def test_ten_sessions_at_once_keep_their_own_language_and_settings():
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    ARTIFACTS.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    command += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with (ARTIFACTS / f"streamlit-load-{port}.log").open("wb") as log:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while not _healthy(url):
                assert proc.poll() is None and time.monotonic() < deadline, "streamlit did not start"
                time.sleep(0.3)
            changes: list[float] = []
            failures: list[str] = []
            result: list[list[int]] = []
            # Playwright's async API in its own thread: the session's sync browser fixture may be running here
            runner = threading.Thread(
                target=lambda: result.append(asyncio.run(_drive(url, SECONDS, changes, failures)))
            )
            runner.start()
            runner.join(SECONDS + 600)
            assert not runner.is_alive(), "the sessions did not finish"
            peak_mb = _rss_kb(proc.pid, "VmHWM:") / 1024
            time.sleep(2)
            after_mb = _tree_rss_kb(proc.pid) / 1024
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    changes.sort()
    p90 = changes[int(0.9 * (len(changes) - 1))] if changes else float("nan")
    report = (
        f"{SESSIONS} sessions x {SECONDS:.0f} s: {sum(result[0])} steps, {len(changes)} page changes, "
        f"page change p50 {changes[len(changes) // 2] if changes else float('nan'):.2f} s, p90 {p90:.2f} s; "
        f"server peak RSS {peak_mb:.0f} MB, {after_mb:.0f} MB after the sessions closed"
    )
    (ARTIFACTS / "load.txt").write_text(report + "\n" + "\n".join(failures) + "\n", encoding="utf-8")
    print(report)
    assert not failures, failures[:10]
    assert len(changes) >= SESSIONS  # every session changed page at least once
