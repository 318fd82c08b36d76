"""Speed of the rejection math: run by hand, prints each figure beside its target (not a test).

python bench/bench_rejection.py [--no-page]

* ``longest_streak_cdf`` from 1,000 to 1,000,000 attempts: seconds at a
  million (issue 10). One rate is read off the dominant root of the
  recurrence past a few thousand attempts, so its time stays flat; a rate per
  attempt runs the recurrence, linear in attempts (the time per attempt must
  not grow with n);
* ``seller_streaks`` (exact streak distribution per seller, a rate per
  attempt) at 100,000 and 1,000,000 deals: seconds, not minutes;
* the Rejection math page's first visit at 100,000 deals under AppTest
  (the CPU time of the run).

Figures are CPU seconds of this process (``time.process_time``): on the
shared 2-core machine wall time mostly measures the other jobs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from funnel_model.rejection import longest_streak_cdf, prob_better, seller_streaks  # noqa: E402

CDF_TARGET_S = {1_000_000: 5.0}  # one call at a million attempts, any rate on the page's range: seconds
SELLER_TARGET_S = {100_000: 2.0, 1_000_000: 15.0}
PAGE_TARGET_S = 2.0  # first visit at 100,000 deals (issue 10)


def timed(func, *args, **kwargs) -> tuple[float, object]:
    start = time.process_time()
    out = func(*args, **kwargs)
    return time.process_time() - start, out


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def bench_cdf() -> None:
    print("longest_streak_cdf(n, p): time and time per 1,000 attempts (never growing with n)")
    for p in (0.01, 0.05, 0.3, 0.9):
        for n in (1_000, 10_000, 100_000, 1_000_000):
            seconds, _ = timed(longest_streak_cdf, n, p)
            target = CDF_TARGET_S.get(n)
            mark = f"  target <= {target:.0f} s {verdict(seconds <= target)}" if target else ""
            print(f"  p={p:<4} n={n:>9,}: {seconds:7.2f} s  {1000 * seconds / n * 1000:6.2f} ms/1k{mark}")
    rates = np.random.default_rng(0).uniform(0.1, 0.6, 1_000_000)
    seconds, _ = timed(longest_streak_cdf, rates.size, rates)
    target = CDF_TARGET_S[1_000_000]
    mark = f"target <= {target:.0f} s {verdict(seconds <= target)}"
    print(f"  a rate per attempt (0.1..0.6), n=1,000,000: {seconds:6.2f} s  {mark}")


def closed_deals(n: int, sellers: int = 8, seed: int = 0) -> pd.DataFrame:
    """``n`` closed deals of ``sellers`` sellers in three funnels, rates 0.2..0.45 by seller and funnel."""
    rng = np.random.default_rng(seed)
    owner = rng.integers(0, sellers, n)
    funnel = rng.integers(0, 3, n)
    rate = 0.2 + 0.05 * ((owner + funnel) % 6)
    created = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730 * 24 * 60, n), unit="min")
    return pd.DataFrame(
        {
            "deal_id": np.arange(n).astype(str),
            "owner": pd.Series(owner).map(lambda i: f"Seller {i}"),
            "funnel": pd.Series(funnel).map(lambda i: f"Funnel {i}"),
            "status": np.where(rng.random(n) < rate, "won", "lost"),
            "created_at": created,
            "closed_at": created + pd.to_timedelta(rng.integers(1, 120, n), unit="D"),
        }
    )


def bench_sellers() -> None:
    for n, target in SELLER_TARGET_S.items():
        deals = closed_deals(n)
        seconds, table = timed(seller_streaks, deals)
        print(
            f"seller_streaks, {n:>9,} deals, {len(table)} sellers: {seconds:6.2f} s  "
            f"target <= {target:.0f} s {verdict(seconds <= target)}"
        )


def bench_page(n: int = 100_000) -> None:
    from streamlit.testing.v1 import AppTest

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_import import make_deals

    data = make_deals(n).to_csv(index=False).encode("utf-8")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["lang"] = "en"
    at.session_state["upload"] = {"name": "deals.csv", "data": data, "digest": "bench"}
    at.session_state["source"] = "upload"
    at.run()  # the import is the Data side's cost, not the page's
    at.switch_page("pages/rejection.py")
    seconds, _ = timed(at.run)
    assert not at.exception, at.exception
    cpu_start = time.process_time()
    at.run()
    again = time.process_time() - cpu_start
    print(
        f"Rejection page at {n:,} deals: first visit {seconds:5.2f} s CPU  target <= {PAGE_TARGET_S:.0f} s "
        f"{verdict(seconds <= PAGE_TARGET_S)}; rerun {again:5.2f} s CPU"
    )


def main() -> None:
    bench_cdf()
    print(f"prob_better(2000/10000, 1900/10000): {1000 * timed(prob_better, 2000, 10_000, 1900, 10_000)[0]:8.2f} ms")
    bench_sellers()
    if "--no-page" not in sys.argv:
        bench_page()


if __name__ == "__main__":
    main()
