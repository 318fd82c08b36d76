"""Speed of derive_segments and of the demo generator (run by hand, prints figures).

python bench/bench_segments.py [n_deals]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from funnel_model.demo import generate_demo
from funnel_model.segments import derive_segments


def synthetic(n: int, clients: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    created = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 5 * 365 * 1440, n), unit="min")
    return pd.DataFrame(
        {
            "client_id": pd.Series(rng.integers(0, clients, n)).astype("str"),
            "created_at": created,
            "closed_at": created + pd.to_timedelta(rng.integers(0, 200, n), unit="D"),
            "status": rng.choice(["won", "lost", "open"], n),
            "segment": pd.Series(pd.NA, index=range(n), dtype="str"),
        }
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    deals = synthetic(n, clients=max(n // 20, 1))
    start = time.perf_counter()
    segments = derive_segments(deals)
    elapsed = time.perf_counter() - start
    print(f"derive_segments: {n:,} deals, {deals['client_id'].nunique():,} clients: {elapsed:.2f} s")
    print("  ", segments.value_counts().to_dict())
    start = time.perf_counter()
    demo, history, _ = generate_demo()
    print(f"generate_demo: {len(demo):,} deals, {len(history):,} history rows: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
