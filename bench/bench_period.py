"""Plan-for-a-period speed: the period's forecast after a slider move, and the backtest's replays.

A slider move recomputes the period's forecast (each open deal's chance in
the period from the Aalen–Johansen timing, the open deals' distribution, the
new leads' compound Poisson and their sum). Its yardstick is the plain
revenue distribution of the same deals (what the page computed before
periods, bench_forecast.py's subject): target at most 30 % + 50 ms on top of
it. The backtest (12 monthly replays, cached once per session) on 100,000
deals: target under 10 s.

Run: python bench/bench_period.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from funnel_model.forecast import revenue_distribution
from funnel_model.period import backtest, period_bounds, period_forecast
from funnel_model.survival import aalen_johansen

OVERHEAD = 1.3  # the period's forecast against the plain distribution
SLACK_S = 0.05
BACKTEST_TARGET_S = 10.0


def deals(n: int, seed: int = 0) -> pd.DataFrame:
    """n deals over three years: a Poisson stream, 30 % won, gamma close times; open on the last day if not closed."""
    rng = np.random.default_rng(seed)
    start, days = pd.Timestamp("2023-01-01"), 3 * 365
    created = start + pd.to_timedelta(np.sort(rng.uniform(0, days, n)), unit="D")
    won = rng.random(n) < 0.3
    closed = created + pd.to_timedelta(np.where(won, rng.gamma(3, 15, n), rng.gamma(2, 10, n)), unit="D")
    as_of = start + pd.Timedelta(days=days)
    status = np.where(closed > as_of, "open", np.where(won, "won", "lost"))
    return pd.DataFrame(
        {
            "status": status,
            "amount": np.round(rng.lognormal(12.0, 1.0, n), 2),
            "created_at": created,
            "closed_at": pd.Series(closed).where(status != "open"),
        }
    )


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    rng = np.random.default_rng(3)
    history = aalen_johansen(rng.gamma(2.0, 20.0, 5000), rng.choice(["won", "lost", "open"], 5000, p=[0.3, 0.6, 0.1]))
    as_of = pd.Timestamp("2026-02-14")
    period = period_bounds("this_quarter", as_of)
    print(f"{'open deals':>10}  {'period forecast':>15}  {'plain distribution':>18}  {'ratio':>5}  target  result")
    for n in args.sizes:
        a = np.round(rng.lognormal(12.0, 1.0, n), 2)
        p = rng.uniform(0.05, 0.9, n)
        created = pd.Series(as_of - pd.to_timedelta(rng.uniform(0, 120, n), unit="D"))
        sizes = rng.choice(a, 500)

        def period_run(a=a, p=p, created=created, sizes=sizes, inflow=n / 10):
            period_forecast(
                a, p, created, history, as_of=as_of, period=period, inflow_per_month=inflow, won_sizes=sizes
            ).summary(a.sum() * 0.2)

        t_period = best_of(period_run)
        t_plain = best_of(lambda a=a, p=p: revenue_distribution(a, p).quantile([0.1, 0.5, 0.9]))
        target = OVERHEAD * t_plain + SLACK_S
        verdict = "PASS" if t_period <= target else "FAIL"
        print(
            f"{n:>10}  {t_period * 1000:>12.0f} ms  {t_plain * 1000:>15.0f} ms  {t_period / t_plain:>5.1f}"
            f"  {target * 1000:.0f} ms  {verdict}"
        )
    frame = deals(100_000)
    t = time.perf_counter()
    replayed = backtest(frame, months=12)
    took = time.perf_counter() - t
    verdict = "PASS" if took <= BACKTEST_TARGET_S else "FAIL"
    print(
        f"backtest, 100 000 deals, {len(replayed)} months: {took:.2f} s (target {BACKTEST_TARGET_S:.0f} s) {verdict};"
        f" actual inside P10–P90 in {int(replayed['inside'].sum())} of {len(replayed)}"
    )


if __name__ == "__main__":
    main()
