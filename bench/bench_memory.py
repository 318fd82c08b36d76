"""Server memory: idle, peak under ten sessions at once, and after they close.

A real ``streamlit run app.py`` on loopback, driven by headless Chromium (/usr/bin/chromium):

1. Warm-up: one English and one Russian session visit every page of the demo, then close. The
   demo's views are computed once for all sessions and kept (ui.data's shared memo, st.cache_data):
   that is the server's working set, not a leak. After ``--ttl`` + ``--settle`` seconds the
   resident memory is the **idle** figure.
2. Ten sessions at once (every third in Russian); ``--uploads`` of them upload a CSV of
   ``--rows`` deals, then each visits every page. The resident memory sampled every 0.2 s gives
   the **peak**.
3. Every browser closes. Streamlit keeps a disconnected session for reconnection
   ``server.disconnectedSessionTTL`` seconds (120 by default; ``--ttl``, 20 by default here, only
   shortens the wait) and the app keeps its download files ``ui.downloads.DOWNLOAD_GRACE_S`` (120 s);
   after both and ``--settle`` more seconds the resident memory is the **after** figure.
   Steps 2 and 3 are repeated ``--rounds`` times.

PASS when every round's *after* ≤ *idle* + ``--margin`` MB (what the closed sessions held — their
uploads, parsed data, views, session caches, download files — is released, ui/memory.py) and no
later round ends more than ``--growth`` MB above the first. The verdict says which of the two holds:
memory a second round reuses without growing is a warm plateau (Python's arenas at their high-water
mark, the allocators' pools), memory that grows round after round is not returned. With the
allocator tuned (ui.memory.tune_allocator) the server ends 26 MB above idle and a second round
adds 3 MB (6 sessions, 3 uploads; without, 89 MB and +30 MB); with the defaults (10 sessions, 4 uploads)
it ends 90 and 71 MB above idle (before: 146-191 MB), peak 631 MB (before: 770-800 MB).
Figures are noisy on a shared machine.

Run: python bench/bench_memory.py [--sessions 10] [--uploads 4] [--rows 60000] [--rounds 2] [--ttl 20]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from funnel_model.i18n import t  # noqa: E402
from ui.downloads import DOWNLOAD_GRACE_S  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
PAGES = (("funnels", "page.funnels"), ("clients", "page.clients"), ("forecast", "page.forecast"))
PAGES += (("compensation", "page.compensation"), ("rejection", "page.rejection"))
STEP_TIMEOUT_MS = 120_000  # one step with every session running on a shared machine
IDLE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning';
}
"""


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (Streamlit runs every session in threads of one process)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _deals_csv(path: Path, rows: int, seed: int) -> None:
    stages = ("Lead", "Talks", "Proposal", "Contract")
    lines = ["deal_id,stage,status,amount,created_at,seller,client"]
    for i in range(rows):
        status = ("open", "won", "lost")[(i * 7 + seed) % 3]
        day = f"2024-{1 + i % 12:02d}-{1 + (i * 13 + seed) % 28:02d}"
        lines.append(f"{seed}-{i},{stages[i % 4]},{status},{1000 + (i * 37) % 90000},{day},S{i % 9},C{i % 4000}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def _idle(page) -> None:
    # a run may start a moment after a click: idle twice, 300 ms apart
    for _ in range(2):
        await page.wait_for_function(IDLE_JS, polling=100, timeout=STEP_TIMEOUT_MS)
        await page.wait_for_timeout(300)


async def _session(browser, url: str, lang: str, upload: Path | None, failures: list[str]) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = None
    try:
        page = await context.new_page()
        await page.goto(f"{url}/?lang={lang}")
        await _idle(page)
        if upload is not None:
            await page.locator(".st-key-data-upload input[type=file]").set_input_files(str(upload))
            await page.locator('[data-testid="stSidebar"]').get_by_text(upload.name).first.wait_for()
            await _idle(page)
        for path, title in PAGES:
            await page.locator('[data-testid="stSidebarNav"]').get_by_text(t(title, lang), exact=True).click()
            await page.wait_for_url(f"**/{path}*")
            await _idle(page)
    except Exception as err:  # a session that fails is reported; the memory figures are still taken
        shown = await page.locator('[data-testid="stSidebar"]').inner_text() if page is not None else ""
        failures.append(f"{lang} session at {page and page.url}: {type(err).__name__}; sidebar: {shown[:300]!r}")
    finally:
        await context.close()


async def _sessions(url: str, plan: list[tuple[str, Path | None]], failures: list[str]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            await asyncio.gather(*(_session(browser, url, lang, upload, failures) for lang, upload in plan))
        finally:
            await browser.close()


def _wait(seconds: float, pid: int, what: str) -> float:
    print(f"  waiting {seconds:.0f} s ({what})...", flush=True)
    time.sleep(seconds)
    return rss_mb(pid)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--uploads", type=int, default=4, help="sessions that upload a file of their own")
    parser.add_argument("--rows", type=int, default=60_000, help="deals in each uploaded file")
    parser.add_argument("--ttl", type=int, default=20, help="server.disconnectedSessionTTL, seconds")
    parser.add_argument("--settle", type=int, default=20, help="seconds waited after the TTL")
    parser.add_argument("--margin", type=float, default=120.0, help="MB allowed above the idle figure")
    parser.add_argument("--rounds", type=int, default=2, help="times the sessions come and go")
    parser.add_argument("--growth", type=float, default=25.0, help="MB a later round may end above the first (noise)")
    args = parser.parse_args()

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none"]
    command += ["--browser.gatherUsageStats", "false", "--server.disconnectedSessionTTL", str(args.ttl)]
    with tempfile.TemporaryDirectory() as tmp:
        uploads = []
        for i in range(args.uploads):
            path = Path(tmp) / f"deals_{i}.csv"
            _deals_csv(path, args.rows, i)
            uploads.append(path)
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 90
            while not _healthy(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    print("FAIL: streamlit did not start")
                    return 1
                time.sleep(0.3)
            started_mb = rss_mb(proc.pid)
            print("warm-up: one English and one Russian session on every page of the demo", flush=True)
            failures: list[str] = []
            asyncio.run(_sessions(url, [("en", None), ("ru", None)], failures))
            idle_mb = _wait(args.ttl + DOWNLOAD_GRACE_S + args.settle, proc.pid, "the warm-up sessions expire")

            plan = [
                ("ru" if i % 3 == 2 else "en", uploads[i] if i < len(uploads) else None) for i in range(args.sessions)
            ]
            rounds = []
            for n in range(1, args.rounds + 1):
                samples: list[float] = []
                done = threading.Event()

                def sample(samples=samples, done=done) -> None:
                    while not done.is_set():
                        samples.append(rss_mb(proc.pid))
                        time.sleep(0.2)

                sampler = threading.Thread(target=sample, daemon=True)
                sampler.start()
                print(f"round {n}: {args.sessions} sessions at once, {len(uploads)} uploading {args.rows:,} deals each")
                began = time.monotonic()
                asyncio.run(_sessions(url, plan, failures))
                took = time.monotonic() - began
                done.set()
                sampler.join()
                closed_mb = rss_mb(proc.pid)
                after_mb = _wait(args.ttl + DOWNLOAD_GRACE_S + args.settle, proc.pid, "the closed sessions expire")
                rounds.append((took, max(samples), closed_mb, after_mb))
        finally:
            proc.terminate()
            proc.wait(timeout=20)

    for failure in failures:
        print("session failed:", failure)
    limit = idle_mb + args.margin
    first_after = rounds[0][3]
    grown = [after - first_after for *_, after in rounds[1:]]
    returned = all(r[3] <= limit for r in rounds)
    plateau = all(g <= args.growth for g in grown)
    verdict = "PASS" if returned and plateau and not failures else "FAIL"
    print(f"server started:                      {started_mb:6.0f} MB")
    print(f"idle (demo warm, no session):        {idle_mb:6.0f} MB")
    for n, (took, peak_mb, closed_mb, after_mb) in enumerate(rounds, 1):
        print(f"round {n}: peak {peak_mb:.0f} MB ({args.sessions} sessions, {took:.0f} s), ", end="")
        print(f"{closed_mb:.0f} MB as they closed, {after_mb:.0f} MB after the TTL and the download grace", end="")
        print(f" ({after_mb - idle_mb:+.0f} MB vs idle)")
    growth = ", ".join(f"{g:+.0f}" for g in grown) or "n/a"
    print(
        f"returned: after ≤ idle {idle_mb:.0f} + margin {args.margin:.0f} = {limit:.0f} MB in every round: "
        f"{'yes' if returned else 'NO'}"
    )
    print(
        f"plateau: later rounds end {growth} MB vs round 1 (noise limit +{args.growth:.0f} MB): "
        + ("yes, what round 1 left is reused (warm caches, allocators' pools)" if plateau else "NO, memory accumulates")
        if grown
        else "plateau: not checked (one round)"
    )
    print(f"{verdict}" + (f" ({len(failures)} sessions failed)" if failures else ""))
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
