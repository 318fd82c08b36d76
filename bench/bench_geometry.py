"""Speed of the Funnels page's computations (run by hand, prints figures).

    python bench/bench_geometry.py [--deals 1000000] [--page-deals 100000]

1. ``funnel_geometry`` on 1,000,000 deals with ~5,000,000 stage-history rows
   across 3 segments and 10 sellers (target < 2 s), beside one DuckDB query
   doing the same aggregation over the same in-memory frames (target: within
   3x of DuckDB); and with ``config=None``, the stage order then inferred from
   the 5M history rows (target: within 2x of DuckDB, issue 10).
2. The page's recomputation after a filter change on 100,000 deals: the
   ``funnel_views`` call the page makes (target < 0.3 s).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from funnel_model.config import FunnelConfig, FunnelSpec, StageSpec
from funnel_model.funnel_views import funnel_views
from funnel_model.geometry import funnel_geometry
from funnel_model.schema import conform

STAGES = ("Lead", "Qualified", "Meeting", "Demo", "Proposal", "Negotiation")
PROBABILITIES = (0.1, 0.2, 0.3, 0.45, 0.6, 0.75)
WON, LOST = "Won", "Lost"
CONFIG = FunnelConfig(
    [FunnelSpec("main", [StageSpec(s, p) for s, p in zip(STAGES, PROBABILITIES, strict=True)], [WON], [LOST])]
)
ADVANCE = 0.85  # P(moving on from a stage): about 5 history rows per deal with the terminal entry


def synthetic(n: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Deals walking the funnel: open, won or lost; history rows for every entry."""
    rng = np.random.default_rng(seed)
    k = len(STAGES)
    # depth = stages entered: geometric, capped at k; won deals went through all
    depth = np.minimum(rng.geometric(1 - ADVANCE, n), k + 1)
    won = depth == k + 1
    depth = np.minimum(depth, k)
    open_ = ~won & (rng.random(n) < 0.2)
    lost = ~won & ~open_
    status = np.where(won, "won", np.where(open_, "open", "lost"))
    names = np.array(STAGES, dtype=object)
    stage = np.where(won, WON, np.where(lost, LOST, names[depth - 1]))
    ids = np.char.add("D", np.arange(n).astype(str)).astype(object)
    created = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    deals = conform(
        pd.DataFrame(
            {
                "deal_id": ids,
                "funnel": "main",
                "segment": np.array(["new", "active", "dormant"], dtype=object)[rng.integers(0, 3, n)],
                "stage": stage,
                "status": status,
                "lost_stage": np.where(lost, names[depth - 1], None),
                "amount": rng.lognormal(12, 1, n).round(),
                "owner": np.char.add("seller ", rng.integers(0, 10, n).astype(str)).astype(object),
                "created_at": created,
                "closed_at": np.where(open_, pd.NaT, created + pd.to_timedelta(depth * 9, unit="D")),
                "probability": rng.uniform(0.05, 0.95, n).round(2),
            }
        )
    )
    # history: entries 1..depth per deal (repeat/cumcount, no per-deal loop), then the terminal stage
    rows = np.repeat(np.arange(n), depth)
    step = np.arange(len(rows)) - np.repeat(np.cumsum(depth) - depth, depth)
    closed = np.flatnonzero(~open_)
    hist_pos = np.concatenate([rows, closed])
    hist_stage = np.concatenate([names[step], np.where(won[closed], WON, LOST)])
    hist_day = np.concatenate([step * 9, depth[closed] * 9])
    history = pd.DataFrame(
        {
            "deal_id": pd.array(ids[hist_pos], dtype="str"),
            "stage": pd.array(hist_stage, dtype="str"),
            "entered_at": created[hist_pos] + pd.to_timedelta(hist_day, unit="D"),
        }
    )
    return deals, history


DUCKDB_QUERY = """
WITH pos(stage, pos) AS (VALUES {positions}),
hist AS (
    SELECT h.deal_id, max(least(p.pos, {k})) AS hdepth
    FROM history h JOIN pos p ON h.stage = p.stage
    WHERE p.pos >= 1
    GROUP BY h.deal_id
),
snap AS (
    SELECT d.deal_id, d.funnel, d.segment, d.status, coalesce(d.amount, 0) AS amount,
           CASE d.status
               WHEN 'won' THEN {k}
               WHEN 'open' THEN coalesce(c.pos, 0)
               ELSE coalesce(l.pos, CASE WHEN c.pos BETWEEN 1 AND {k} THEN c.pos END, 1)
           END AS sdepth
    FROM deals d
    LEFT JOIN pos c ON d.stage = c.stage
    LEFT JOIN pos l ON d.lost_stage = l.stage
),
per_deal AS (
    SELECT s.*, greatest(s.sdepth, coalesce(h.hdepth, 0)) AS depth
    FROM snap s LEFT JOIN hist h ON s.deal_id = h.deal_id
),
by_depth AS (
    SELECT funnel, segment, depth, count(*) AS n, sum(amount) AS amount,
           count(*) FILTER (WHERE status = 'open') AS open,
           count(*) FILTER (WHERE status = 'won') AS won,
           count(*) FILTER (WHERE status = 'lost') AS lost
    FROM per_deal GROUP BY ALL
),
stages(k) AS (SELECT * FROM range(1, {k} + 1))
SELECT b.funnel, b.segment, s.k AS "order", sum(b.n) AS reached, sum(b.amount) AS amount,
       sum(b.open) AS open, sum(b.won) AS won, sum(b.lost) AS lost,
       sum(b.won) / nullif(sum(b.won) + sum(b.lost), 0) AS win_rate
FROM by_depth b JOIN stages s ON b.depth >= s.k
GROUP BY ALL ORDER BY 1, 2, 3
"""


def best_of(fn, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=1_000_000)
    parser.add_argument("--page-deals", type=int, default=100_000)
    args = parser.parse_args()

    import duckdb

    start = time.perf_counter()
    deals, history = synthetic(args.deals)
    print(f"data: {len(deals):,} deals, {len(history):,} history rows, built in {time.perf_counter() - start:.1f} s")

    ours, geo = best_of(lambda: funnel_geometry(deals, CONFIG, history, by=("funnel", "segment")))
    k = len(STAGES)
    positions = ", ".join(
        [f"('{s}', {i})" for i, s in enumerate(STAGES, start=1)] + [f"('{WON}', {k + 1})", f"('{LOST}', 0)"]
    )
    con = duckdb.connect()
    con.register("deals", deals[["deal_id", "funnel", "segment", "stage", "status", "lost_stage", "amount"]])
    con.register("history", history)
    query = DUCKDB_QUERY.format(positions=positions, k=k)
    duck, sql = best_of(lambda: con.execute(query).df())

    open_rows = geo[geo["kind"] == "open"].reset_index(drop=True)
    same = (
        open_rows["reached"].tolist() == sql["reached"].astype(int).tolist()
        and open_rows["won"].tolist() == sql["won"].astype(int).tolist()
        and np.allclose(open_rows["amount"], sql["amount"])
    )
    print(f"funnel_geometry (history): {ours:.3f} s   target < 2 s   {'OK' if ours < 2 else 'SLOW'}")
    print(f"DuckDB, same aggregation:  {duck:.3f} s   same numbers: {same}")
    print(f"ratio ours / DuckDB:       {ours / duck:.2f}x   target within 3x   {'OK' if ours <= 3 * duck else 'SLOW'}")
    inferred, geo_inferred = best_of(lambda: funnel_geometry(deals, None, history, by=("funnel", "segment")))
    open_inferred = geo_inferred[geo_inferred["kind"] == "open"].reset_index(drop=True)
    same_inferred = open_inferred["reached"].tolist() == sql["reached"].astype(int).tolist()
    verdict = "PASS" if inferred <= 2 * duck else "FAIL"
    print(f"funnel_geometry (config=None, history): {inferred:.3f} s   same numbers: {same_inferred}")
    print(f"ratio config=None / DuckDB: {inferred / duck:.2f}x   target <= 2x   {verdict}")
    snap, _ = best_of(lambda: funnel_geometry(deals, CONFIG, None, by=("funnel", "segment")))
    print(f"funnel_geometry (snapshot, no history): {snap:.3f} s")

    page_deals, page_history = synthetic(args.page_deals, seed=11)
    funnel_views(page_deals, page_history, CONFIG)  # warm-up, as the page's first render
    filters = [
        {"seller": "seller 3"},
        {"period": (pd.Timestamp("2024-06-01").date(), pd.Timestamp("2025-03-31").date())},
        {"funnel": "main", "seller": "seller 7"},
    ]
    for chosen in filters:
        took, _ = best_of(lambda chosen=chosen: funnel_views(page_deals, page_history, CONFIG, **chosen))
        verdict = "OK" if took < 0.3 else "SLOW"
        print(
            f"page recompute on {len(page_deals):,} deals, filter {chosen}: {took:.3f} s   target < 0.3 s   {verdict}"
        )


if __name__ == "__main__":
    main()
