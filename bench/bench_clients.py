"""Speed of the client base and the Clients page's other views on many deals (run by hand, prints figures).

python bench/bench_clients.py [n_deals]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_segments import synthetic
from funnel_model.clients import client_base, retention

TARGET_S = 1.0  # a page rerun must feel instant; the client base is one of several views


def timed(label: str, fn, yardstick: float | None = None) -> float:
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    beside = f" (yardstick {yardstick:.2f} s)" if yardstick is not None else ""
    print(f"{label}: {elapsed:.2f} s{beside}, target < {TARGET_S:.1f} s: {'PASS' if elapsed < TARGET_S else 'FAIL'}")
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    deals = synthetic(n, clients=max(n // 20, 1))
    deals["amount"] = 1000.0
    start = time.perf_counter()
    deals.sort_values("created_at").groupby("client_id")["created_at"].min()
    yardstick = time.perf_counter() - start
    months = deals["created_at"].dt.to_period("M").nunique()
    print(f"{n:,} deals, {deals['client_id'].nunique():,} clients, {months} months")
    timed("client_base", lambda: client_base(deals), yardstick)
    timed("retention", lambda: retention(deals), yardstick)


if __name__ == "__main__":
    main()
