"""Speed of the Clients page's computations on many deals, and of the page's rerun (run by hand, prints figures).

python bench/bench_clients.py [n_deals]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_segments import synthetic
from funnel_model.client_views import client_views
from funnel_model.clients import client_base, retention
from funnel_model.schema import conform
from funnel_model.segments import derive_segments

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 1.0  # one view: a page of several views must still feel quick
PAGE_TARGET_S = 2.0  # a rerun of the whole page (AppTest CPU time)


def timed(label: str, fn, yardstick: float, target: float = TARGET_S) -> float:
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    verdict = "PASS" if elapsed < target else "FAIL"
    print(f"{label}: {elapsed:.2f} s (yardstick {yardstick:.2f} s), target < {target:.1f} s: {verdict}")
    return elapsed


def deals_table(n: int):
    rng = np.random.default_rng(1)
    deals = synthetic(n, clients=max(n // 20, 1))
    deals["deal_id"] = np.arange(n).astype(str)
    deals["amount"] = rng.integers(10, 1000, n) * 1000.0
    deals["funnel"] = "Sales"
    deals["stage"] = np.where(deals["status"] == "open", rng.choice(["Lead", "Offer", "Contract"], n), deals["status"])
    deals["lost_stage"] = np.where(deals["status"] == "lost", rng.choice(["Lead", "Offer"], n), None)
    deals["owner"] = rng.choice([f"seller {i}" for i in range(20)], n)
    deals["source"] = rng.choice(["Site", "Calls", "Fair", "Referral"], n)
    deals["lost_reason"] = np.where(deals["status"] == "lost", rng.choice(["Price", "price!", "Competitor"], n), None)
    deals["closed_at"] = deals["closed_at"].where(deals["status"] != "open")
    deals["expected_close_at"] = deals["created_at"] + np.timedelta64(60, "D")
    deals = conform(deals)
    deals["segment"] = derive_segments(deals)
    return deals


def page_rerun(page: str = "pages/clients.py") -> float:
    """CPU time of one rerun of ``page`` on the demo in AppTest (the data cached, as for a user)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    PagesManager.uses_pages_directory = False
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page(page).run()
    start = time.process_time()
    at.run()
    return time.process_time() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    deals = deals_table(n)
    start = time.perf_counter()
    deals.sort_values("created_at").groupby("client_id")["created_at"].min()
    yardstick = time.perf_counter() - start
    months = deals["created_at"].dt.to_period("M").nunique()
    print(f"{n:,} deals, {deals['client_id'].nunique():,} clients, {months} months; yardstick: one sort + groupby")
    timed("client_base", lambda: client_base(deals), yardstick)
    timed("retention", lambda: retention(deals), yardstick)
    timed("client_views (whole page, no history)", lambda: client_views(deals, None), yardstick, 3 * TARGET_S)
    cpu = page_rerun()
    print(
        f"Clients page rerun on the demo (AppTest CPU): {cpu:.2f} s, target < {PAGE_TARGET_S:.1f} s: "
        f"{'PASS' if cpu < PAGE_TARGET_S else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
