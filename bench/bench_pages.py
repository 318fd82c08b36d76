"""Page speed: every page's first visit, one widget change and a rerun with no change, under AppTest.

Each figure is the CPU time (``time.process_time``: the script runs in a
thread of this process, so the figure is stable under the load of other
processes) of one ``AppTest.run()``, app.py included, as ``streamlit run``
executes it. The session first runs the app once on the Data page (the import
is ``bench_import.py``'s business), then for each page: the first visit (switch
to it and run), a rerun with no change, and one widget change.

Measures (each the best of ``--repeat`` fresh sessions):

- first visit, on the demo twice over. *Cold*: the server's first session on the
  demo: the views every session shares (``ui.data._shared``: the demo's dataset,
  views and chart specs; the global ``st.cache_data`` views) and the model's own
  memo are cleared before it, so the page computes everything. *Warm*: a later
  session on the demo, whose shared views an earlier session has already
  computed (what most users of a running server see); its own (session-scoped)
  caches start empty. On an uploaded file every first visit is cold: a client's
  views are its session's own.
- one widget change: the page's main control moved once, to a choice no session
  has shown yet in this process (its views computed, its charts built).
- rerun, no change: the page run again as it stands, in both the states above
  (as first shown, and after the change); the slower of the two is the figure,
  each the best of two reruns in a row.

Datasets: the demo (3,339 deals) and the demo replicated to 100,000 deals (each
copy its own deal ids and clients, the same sellers, dates and stage history),
uploaded as a CSV with its stage history as a user would. One more row times
the Forecast slider at 10,000 open deals.

Targets (issue 10): rerun with no change ≤ 100 ms; first visit ≤ 1 s on the
demo (cold and warm), ≤ 2 s at 100,000 deals; one widget change ≤ 300 ms on the
demo, ≤ 1 s at 100,000 deals; the Forecast slider at 10,000 open deals ≤ 300 ms.

Run: python bench/bench_pages.py [--sizes demo 100000] [--repeat 3] [--pages pages/funnels.py ...]
[--no-slider-10k] [--profile pages/funnels.py]
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import logging
import math
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.runtime.caching import cache_data_api  # noqa: E402
from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402
from streamlit.testing.v1.local_script_runner import LocalScriptRunner  # noqa: E402

from funnel_model import rejection  # noqa: E402
from ui import data  # noqa: E402

APP = str(ROOT / "app.py")
DEMO_DEALS = ROOT / "data" / "demo_deals.csv"
DEMO_HISTORY = ROOT / "data" / "demo_stage_history.csv"
TARGET_RERUN = 0.1
TARGET_FIRST = {"demo": 1.0, "large": 2.0}
TARGET_CHANGE = {"demo": 0.3, "large": 1.0}
TARGET_SLIDER_10K = 0.3
APPTEST_SESSION = "test session id"  # the session id of every AppTest (streamlit.testing.v1.local_script_runner)


class _NavigationPagesManager(PagesManager):
    """As tests/pages/conftest.py: every AppTest run executes app.py (st.navigation), as the server does."""

    def __init__(self, *args, **kwargs) -> None:
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


_SCRIPTS = ScriptCache()  # the server compiles each script once per process; AppTest once per run
for _module in ("streamlit.testing.v1.app_test", "streamlit.testing.v1.local_script_runner"):
    sys.modules[_module].ScriptCache = lambda: _SCRIPTS
sys.modules["streamlit.testing.v1.app_test"].PagesManager = _NavigationPagesManager
# AppTest's widget setters run outside a script and say so on every call
for _noisy in ("scriptrunner_utils.script_run_context", "caching.cache_data_api", "state.session_state_proxy"):
    logging.getLogger(f"streamlit.runtime.{_noisy}").disabled = True


def _forecast_slider(at: AppTest) -> None:
    slider = next(s for s in at.slider if s.key and s.key.startswith("forecast.p."))
    slider.set_value(max(0, slider.value - 5) if slider.value >= 5 else slider.value + 5)


def _compensation_period(at: AppTest) -> None:
    first = at.selectbox(key="compensation.period_from")
    first.set_value(first.options[0] if first.index else first.options[-1])  # the earliest month, else the last


def _funnel_filter(at: AppTest) -> None:
    box = at.selectbox(key="funnels.funnel")
    box.set_value(box.options[1] if box.value == "__all__" else "__all__")


CHANGES: dict[str, tuple[str, Callable[[AppTest], None]]] = {
    "pages/data.py": ("dormancy window", lambda at: at.number_input(key="data.dormancy").set_value(400)),
    "pages/funnels.py": ("funnel filter", _funnel_filter),
    "pages/forecast.py": ("stage slider", _forecast_slider),
    "pages/compensation.py": ("period", _compensation_period),
    "pages/clients.py": ("loss segment", lambda at: at.selectbox(key="clients.loss_segment").set_value("new")),
    "pages/rejection.py": ("win chance slider", lambda at: at.slider(key="rejection.p").set_value(0.2)),
    "pages/report.py": ("(no widget)", lambda at: None),
}


def replicated(copies: int) -> tuple[bytes, bytes, int, int]:
    """The demo ``copies`` times over as (deals CSV, history CSV, deals, open deals)."""
    deals = pd.read_csv(DEMO_DEALS, dtype={"deal_id": "int64"})
    history = pd.read_csv(DEMO_HISTORY, dtype={"deal_id": "int64"})
    step = 10 ** (len(str(deals["deal_id"].max())) + 1)
    parts, hist = [], []
    for i in range(copies):
        part = deals.copy()
        part["deal_id"] += i * step
        part["client_id"] = part["client_id"].astype(str) + f" #{i}"
        parts.append(part)
        h = history.copy()
        h["deal_id"] += i * step
        hist.append(h)
    big = pd.concat(parts, ignore_index=True)
    return (
        big.to_csv(index=False).encode("utf-8"),
        pd.concat(hist, ignore_index=True).to_csv(index=False).encode("utf-8"),
        len(big),
        int((big["status"] == "open").sum()),
    )


def _demo_open() -> int:
    return int((pd.read_csv(DEMO_DEALS, usecols=["status"])["status"] == "open").sum())


def session(upload: tuple[bytes, bytes] | None, *, cold: bool = False) -> AppTest:
    """A session on the demo, or on an uploaded deal file with its history, after the app's first run.

    ``cold``: the server's first session: nothing an earlier session computed is left in this process.
    Otherwise what an earlier session left for every session (the demo's views) is found as on a server.
    """
    # every AppTest has the same session id: its session-scoped caches go, as the server drops a closed session's
    cache_data_api.clear_session_cache(APPTEST_SESSION)
    if cold:
        st.cache_data.clear()
        data._shared.clear()
        rejection._exact_attempts.cache_clear()
    at = AppTest.from_file(APP, default_timeout=600)
    at.session_state["lang"] = "en"
    if upload is not None:
        deals, history = upload
        at.session_state[data.UPLOAD_KEY] = {
            "name": "deals.csv",
            "data": deals,
            "digest": hashlib.sha256(deals).hexdigest(),
        }
        at.session_state[data.HISTORY_UPLOAD_KEY] = {
            "name": "history.csv",
            "data": history,
            "digest": hashlib.sha256(history).hexdigest(),
        }
        at.session_state[data.SOURCE_KEY] = "upload"
    at.run()
    _check(at, "app.py")
    return at


def _check(at: AppTest, page: str) -> None:
    if at.exception or at.error:
        raise SystemExit(f"{page}: {[e.value for e in at.exception] or [e.value for e in at.error]}")


def _profiled(profile: cProfile.Profile) -> None:
    """Profile the script thread (cProfile sees only the thread it is enabled in)."""
    runner = LocalScriptRunner._run_script_thread

    def run_profiled(self) -> None:
        profile.enable()
        try:
            runner(self)
        finally:
            profile.disable()

    LocalScriptRunner._run_script_thread = run_profiled


def timed(at: AppTest, page: str) -> float:
    start = time.process_time()
    at.run()
    elapsed = time.process_time() - start
    _check(at, page)
    return elapsed


def measure(upload, page: str, repeat: int) -> dict[str, float]:
    """The page's figures, each the best of ``repeat`` fresh sessions (see the module's docstring).

    Keys: "cold" (the demo's first visit in the server's first session; on an upload, "first" is
    cold already), "first", "change", "still".
    """
    best: dict[str, float] = {}

    def keep(name: str, figure: float) -> None:
        best[name] = min(best.get(name, math.inf), figure)

    for _ in range(repeat):
        if upload is None:
            at = session(None, cold=True)
            at.switch_page(page)
            keep("cold", timed(at, page))
        at = session(upload)
        at.switch_page(page)
        keep("first", timed(at, page))
        keep("still_shown", min(timed(at, page), timed(at, page)))
        CHANGES[page][1](at)
        keep("change", timed(at, page))
        keep("still_changed", min(timed(at, page), timed(at, page)))
    best["still"] = max(best.pop("still_shown"), best.pop("still_changed"))
    return best


def _row(label: str, figure: float, target: float) -> str:
    verdict = "PASS" if figure <= target else "FAIL"
    return f"| {label} | {figure * 1000:8.0f} ms | ≤ {target * 1000:5.0f} ms | {verdict} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["demo", "100000"], help='"demo" and/or deal counts')
    parser.add_argument("--repeat", type=int, default=2, help="fresh sessions per page; the best is kept")
    parser.add_argument("--pages", nargs="+", default=list(CHANGES))
    parser.add_argument("--slider-10k", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--profile", help="time and profile this page only (cProfile of the script thread, to stderr)")
    args = parser.parse_args(argv)

    profile = None
    if args.profile:
        args.pages, profile = [args.profile], cProfile.Profile()
        _profiled(profile)
    demo_deals = len(pd.read_csv(DEMO_DEALS, usecols=["deal_id"]))
    failed = 0
    print("| page (dataset) · measure | CPU time | target | |")
    print("|---|---|---|---|")
    for size in args.sizes:
        if size == "demo":
            upload, name, kind = None, f"demo, {demo_deals:,} deals", "demo"
        else:
            deals_csv, history_csv, n, n_open = replicated(max(1, round(int(size) / demo_deals)))
            upload, name, kind = (deals_csv, history_csv), f"{n:,} deals, {n_open:,} open", "large"
        for page in args.pages:
            figures = measure(upload, page, args.repeat)
            label = f"{Path(page).stem} ({name})"
            if kind == "demo":
                rows = [
                    _row(f"{label} · first visit, cold (server's first session)", figures["cold"], TARGET_FIRST[kind]),
                    _row(f"{label} · first visit, warm (views shared)", figures["first"], TARGET_FIRST[kind]),
                ]
            else:
                rows = [_row(f"{label} · first visit (cold)", figures["first"], TARGET_FIRST[kind])]
            rows += [
                _row(f"{label} · {CHANGES[page][0]}", figures["change"], TARGET_CHANGE[kind]),
                _row(f"{label} · rerun, no change", figures["still"], TARGET_RERUN),
            ]
            failed += sum(r.endswith("FAIL |") for r in rows)
            print("\n".join(rows), flush=True)
    if args.slider_10k:
        deals_csv, history_csv, n, n_open = replicated(math.ceil(10_000 / _demo_open()))
        change = measure((deals_csv, history_csv), "pages/forecast.py", args.repeat)["change"]
        print(_row(f"forecast ({n:,} deals, {n_open:,} open) · stage slider", change, TARGET_SLIDER_10K))
        failed += change > TARGET_SLIDER_10K
    if profile is not None:
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(60)
    print(f"\n{failed} figure(s) over target" if failed else "\nall figures within target")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
