"""source_summary against direct counts on a small table and on the demo; source_funnels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from funnel_model import read_deals
from funnel_model.schema import conform
from funnel_model.sources import NO_SOURCE, has_sources, source_funnels, source_summary

T = pd.Timestamp
DATA = Path(__file__).resolve().parents[2] / "data"


def table(rows) -> pd.DataFrame:
    """rows: (source, status, amount, created, closed)."""
    frame = pd.DataFrame(rows, columns=["source", "status", "amount", "created_at", "closed_at"])
    frame["deal_id"] = [str(i) for i in range(len(frame))]
    frame["stage"] = frame["status"]
    return conform(frame)


SMALL = table(
    [
        ("Site", "won", 100.0, T("2024-01-01"), T("2024-01-11")),
        ("Site", "won", 300.0, T("2024-01-01"), T("2024-01-31")),
        ("Site", "lost", 50.0, T("2024-01-01"), T("2024-01-05")),
        ("Site", "open", 70.0, T("2024-01-01"), None),
        (" Fair ", "lost", 10.0, T("2024-01-01"), T("2024-01-02")),
        ("Fair", "lost", 10.0, T("2024-01-01"), T("2024-01-02")),
        (None, "won", 5.0, T("2024-01-01"), T("2024-01-03")),
    ]
)


def test_counts_rates_revenue_and_costs_by_hand():
    out = source_summary(SMALL, {"Site": 800.0, "Fair": 60.0}).set_index("source")
    assert out.index.tolist() == ["Site", "Fair", NO_SOURCE]
    site = out.loc["Site"]
    assert site[["deals", "open", "won", "lost"]].tolist() == [4, 1, 2, 1]
    assert site["win_rate"] == pytest.approx(2 / 3)
    # Wilson 95 % for 2 of 3
    assert (site["low"], site["high"]) == pytest.approx((0.2076596, 0.9385081), abs=1e-6)
    assert site["revenue"] == 400.0 and site["avg_won"] == 200.0
    assert site["median_days_won"] == pytest.approx(20.0)
    assert site["cost_per_lead"] == 200.0 and site["cost_per_won"] == 400.0 and site["cost_per_revenue"] == 2.0
    fair = out.loc["Fair"]
    assert fair[["deals", "won", "lost"]].tolist() == [2, 0, 2]
    assert fair["win_rate"] == 0.0 and fair["cost_per_lead"] == 30.0
    assert np.isnan(fair["cost_per_won"]) and np.isnan(fair["cost_per_revenue"])  # no win: no cost per win
    assert np.isnan(out.loc[NO_SOURCE, "spend"])
    assert out["share_revenue"].sum() == pytest.approx(1.0)


def test_has_sources():
    assert has_sources(SMALL)
    assert not has_sources(SMALL.assign(source=pd.Series(pd.NA, index=SMALL.index, dtype="str")))
    assert not has_sources(SMALL.drop(columns="source"))


def test_demo_per_source_rates_against_direct_counts():
    deals = read_deals(DATA / "demo_deals.csv").deals
    out = source_summary(deals).set_index("source")
    for source, group in deals.groupby("source"):
        won, lost = (group["status"] == "won").sum(), (group["status"] == "lost").sum()
        assert out.loc[source, "deals"] == len(group)
        assert out.loc[source, "win_rate"] == pytest.approx(won / (won + lost))
        assert out.loc[source, "revenue"] == pytest.approx(group.loc[group["status"] == "won", "amount"].sum())
    assert out["deals"].sum() == len(deals)


def test_source_funnels_group_by_funnel_and_source():
    deals = read_deals(DATA / "demo_deals.csv").deals
    geo = source_funnels(deals)
    first = geo[geo["order"] == 1]
    assert first["reached"].sum() == len(deals)
    assert set(first["source"]) == set(deals["source"])


@pytest.mark.parametrize("seed", range(4))
def test_random_tables_against_direct_counts_and_the_wilson_formula(seed):
    rng = np.random.default_rng(seed)
    n = 200
    sources = np.array(["Site", " Site", "Fair ", "Partners", "", "  ", None], dtype=object)
    created = T("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D")
    status = rng.choice(["won", "lost", "open"], n, p=[0.3, 0.4, 0.3])
    closed = [
        None if s == "open" else c + pd.Timedelta(days=int(d))
        for s, c, d in zip(status, created, rng.integers(0, 90, n), strict=True)
    ]
    amount = np.where(rng.random(n) < 0.1, np.nan, rng.integers(1, 100, n) * 10.0)
    frame = table(list(zip(rng.choice(sources, n), status, amount, created, closed, strict=True)))
    out = source_summary(frame, level=0.9).set_index("source")
    label = frame["source"].astype("str").str.strip().fillna("")
    assert set(out.index) == set(label)
    z = 1.6448536269514722  # the normal quantile of 0.95
    for source in set(label):
        group = frame[(label == source).to_numpy()]
        won = int((group["status"] == "won").sum())
        lost = int((group["status"] == "lost").sum())
        row = out.loc[source]
        assert (row["deals"], row["won"], row["lost"], row["open"]) == (len(group), won, lost, len(group) - won - lost)
        if won + lost:
            p, m = won / (won + lost), won + lost
            centre = (p + z * z / (2 * m)) / (1 + z * z / m)
            half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / (1 + z * z / m)
            assert (row["win_rate"], row["low"], row["high"]) == pytest.approx((p, centre - half, centre + half))
        wins = group[group["status"] == "won"]
        assert row["revenue"] == pytest.approx(wins["amount"].fillna(0).sum())
        days = (wins["closed_at"] - wins["created_at"]).dt.days
        assert row["median_days_won"] == pytest.approx(days.median(), nan_ok=True)
    assert out["share_revenue"].sum() == pytest.approx(1.0)


def test_a_source_column_of_blanks_only_is_no_source_column():
    blank = SMALL.assign(source=pd.Series(["", " ", None, "", "", "", ""], index=SMALL.index, dtype="str"))
    assert not has_sources(blank)
