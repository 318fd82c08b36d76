"""Compensation speed: pay from actuals and the pay forecast on a large synthetic table.

Run by hand: ``python bench/bench_compensation.py [n_deals] [n_sellers]``.
Prints the time of ``pay_from_actuals`` (vectorised over sellers),
``pay_distribution`` (one revenue distribution per seller) and the pay curve
on a million attainments. Targets: pay from actuals under 1 s for 1,000,000
deals; the demo's pay forecast (8 sellers, ~250 open deals) well under 1 s.
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

from funnel_model import compensation as comp  # noqa: E402
from funnel_model.schema import conform  # noqa: E402


def make_deals(n: int, sellers: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    products = np.array(["Лицензии", "Внедрение", "Облачный сервис (новинка)", "Поддержка"])
    frame = pd.DataFrame(
        {
            "deal_id": np.arange(n).astype(str),
            "client_id": rng.integers(0, n // 5 + 1, n).astype(str),
            "stage": "x",
            "status": rng.choice(["open", "won", "lost"], n, p=[0.1, 0.3, 0.6]),
            "segment": rng.choice(["new", "active", "dormant"], n),
            "amount": np.round(rng.lognormal(12, 1, n), -3),
            "owner": np.char.add("seller ", rng.integers(0, sellers, n).astype(str)),
            "closed_at": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 730, n), unit="D"),
            "probability": np.round(rng.uniform(0.05, 0.9, n), 2),
            "product": rng.choice(products, n),
        }
    )
    return conform(frame)


def timed(label: str, fn, repeat: int = 3):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<58} {best * 1000:9.1f} ms")
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    sellers = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    deals = make_deals(n, sellers)
    plan = comp.preset("mix_50_50")
    targets = comp.default_targets(deals, "2026-06-01", 1)
    timed(
        f"pay_from_actuals: {n:,} deals, {sellers} sellers, 1 month",
        lambda: comp.pay_from_actuals(plan, deals, targets, "2026-06-01", "2026-07-01"),
    )
    timed(
        f"pay_from_actuals: {n:,} deals, {sellers} sellers, 12 months",
        lambda: comp.pay_from_actuals(plan, deals, targets * 12, "2025-07-01", "2026-07-01"),
    )
    attainment = np.linspace(0, 3, 1_000_000)
    timed("attainment_pay: 1,000,000 attainments (marginal)", lambda: comp.attainment_pay(plan, attainment))
    timed(
        "attainment_pay: 1,000,000 attainments (retroactive)",
        lambda: comp.attainment_pay(comp.preset("cliff"), attainment),
    )
    small = deals[deals["owner"].isin([f"seller {i}" for i in range(8)])]
    small = pd.concat([small[small["status"] != "open"], small[small["status"] == "open"].head(250)])
    small_targets = targets.loc[sorted(small["owner"].unique())]
    timed(
        "pay_distribution: 8 sellers, 250 open deals (demo-sized)",
        # timing only: the synthetic deals' own estimates stand in for forecast_probabilities
        lambda: comp.pay_distribution(plan, small, small_targets, small["probability"]),
        repeat=3,
    )
    timed(
        f"pay_distribution: {sellers} sellers, {int((deals['status'] == 'open').sum()):,} open deals",
        lambda: comp.pay_distribution(plan, deals, targets, deals["probability"]),
        repeat=1,
    )


if __name__ == "__main__":
    main()
