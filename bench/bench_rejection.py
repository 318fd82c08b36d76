"""Speed of the rejection math: run by hand, prints figures (not a test).

python bench/bench_rejection.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from funnel_model.rejection import longest_streak_pmf, prob_better, seller_streaks


def best_of(repeat: int, func, *args) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    for n in (50, 500, 1000, 2000, 4000):
        print(f"longest_streak_pmf(n={n:>4}, p=0.1): {1000 * best_of(3, longest_streak_pmf, n, 0.1):8.1f} ms")
    print(f"prob_better(2000/10000, 1900/10000): {1000 * best_of(5, prob_better, 2000, 10_000, 1900, 10_000):8.2f} ms")
    demo = Path(__file__).resolve().parent.parent / "data" / "demo_deals.csv"
    if demo.exists():
        deals = pd.read_csv(demo, parse_dates=["created_at", "closed_at"])
        seconds = best_of(3, seller_streaks, deals)
        print(f"seller_streaks(demo, {len(deals)} deals): {1000 * seconds:8.1f} ms")


if __name__ == "__main__":
    main()
