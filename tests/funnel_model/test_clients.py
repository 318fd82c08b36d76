"""client_base, client_states and retention on hand-built client histories, a brute-force oracle and the demo."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from funnel_model import client_base, derive_segments, read_deals
from funnel_model.clients import client_states, retention
from funnel_model.errors import ParameterError
from funnel_model.schema import conform

T = pd.Timestamp
DATA = Path(__file__).resolve().parents[2] / "data"


def table(rows) -> pd.DataFrame:
    """rows: (client, created, closed, status, amount)."""
    frame = pd.DataFrame(rows, columns=["client_id", "created_at", "closed_at", "status", "amount"])
    frame["deal_id"] = [str(i) for i in range(len(frame))]
    frame["stage"] = "x"
    return conform(frame)


# Window 30 days; February 2024 ends at 2024-03-01 00:00.
# A: win 30 days before that (exactly the window: still active); B: 31 days (dormant); C: 29 days (active).
# D: a deal, never won (new). E: won in January, dormant by February, reactivated in March.
HISTORY = table(
    [
        ("A", T("2024-01-10"), T("2024-01-31"), "won", 100.0),
        ("B", T("2024-01-02"), T("2024-01-30"), "won", 200.0),
        ("C", T("2024-01-15"), T("2024-02-01"), "won", 300.0),
        ("D", T("2024-02-10"), None, "open", 0.0),
        ("E", T("2024-01-01"), T("2024-01-05"), "won", 50.0),
        ("E", T("2024-03-01"), T("2024-03-20"), "won", 70.0),
        ("E", T("2024-03-02"), T("2024-03-25"), "lost", 999.0),
    ]
)
AS_OF = T("2024-04-30 23:00")


def test_states_and_flows_at_the_window_boundary_days():
    base = client_base(HISTORY, 30, as_of=AS_OF).set_index("month")
    assert list(base.index) == list(pd.date_range("2024-01-01", "2024-04-01", freq="MS"))
    assert base["end"].tolist() == [T("2024-02-01"), T("2024-03-01"), T("2024-04-01"), AS_OF + pd.Timedelta(1, "ns")]
    # January: C's win closes at Feb 1 00:00, not before the month's end
    assert base[["new", "active", "dormant"]].to_numpy().tolist() == [[1, 3, 0], [1, 2, 2], [1, 1, 3], [1, 0, 4]]
    assert base["clients"].tolist() == [4, 5, 5, 5]
    assert base["new_clients"].tolist() == [4, 1, 0, 0]
    assert base["first_win"].tolist() == [3, 1, 0, 0]
    assert base["reactivated"].tolist() == [0, 0, 1, 0]
    # February: B (at Feb 29) and E (Feb 4); March: A (at Mar 1 00:00) and C (Mar 2); April: E (Apr 19)
    assert base["fell_dormant"].tolist() == [0, 2, 2, 1]
    assert base["wins"].tolist() == [3, 1, 1, 0]
    assert base["revenue_new"].tolist() == [350.0, 300.0, 0.0, 0.0]
    assert base["revenue_dormant"].tolist() == [0.0, 0.0, 70.0, 0.0]
    assert base["revenue_active"].sum() == 0.0
    assert base["revenue"].tolist() == [350.0, 300.0, 70.0, 0.0]


def test_client_states_name_each_client_at_an_instant():
    states = client_states(HISTORY, T("2024-03-01"), 30)
    assert states["state"].to_dict() == {"A": "active", "B": "dormant", "C": "active", "D": "new", "E": "dormant"}
    assert states.loc["E", "wins"] == 1
    assert states.loc["A", "last_win"] == T("2024-01-31")
    # a minute later A's window has run out
    assert client_states(HISTORY, T("2024-03-01 00:01"), 30).loc["A", "state"] == "dormant"


def test_a_deal_segment_is_its_client_state_at_creation():
    segments = derive_segments(HISTORY, 30)
    for row, segment in zip(HISTORY.itertuples(), segments, strict=True):
        # a client whose first deal this is is not in the base yet: a prospect
        assert client_states(HISTORY, row.created_at, 30)["state"].get(row.client_id, "new") == segment


def test_a_window_of_zero_days_makes_every_winner_dormant_at_once():
    base = client_base(HISTORY, 0, as_of=AS_OF)
    assert base["active"].tolist() == [0, 0, 0, 0]
    assert base["first_win"].tolist() == [3, 1, 0, 0]
    assert base["reactivated"].tolist() == [0, 0, 1, 0]
    assert base["fell_dormant"].tolist() == [3, 1, 1, 0]
    assert base["dormant"].tolist() == [3, 4, 4, 4]


def test_deals_without_client_or_dates_are_counted_not_silently_dropped():
    frame = pd.concat(
        [HISTORY, table([(None, T("2024-02-01"), None, "open", 1.0), ("F", None, None, "won", 1.0)])],
        ignore_index=True,
    )
    base = client_base(frame, 30, as_of=AS_OF)
    assert base.attrs["without_client"] == 1
    assert base.attrs["without_date"] == 1
    assert base["clients"].iloc[-1] == 5


def test_deals_after_as_of_are_left_out():
    base = client_base(HISTORY, 30, as_of=T("2024-02-15"))
    assert base["month"].tolist() == [T("2024-01-01"), T("2024-02-01")]
    # read at Feb 15: D (created Feb 10) is new; A, B, C active; E fell dormant on Feb 4 (Jan 5 + 30 days)
    assert base[["new", "active", "dormant"]].iloc[-1].tolist() == [1, 3, 1]


def test_negative_window_is_a_domain_error():
    with pytest.raises(ParameterError):
        client_base(HISTORY, -1)


def test_empty_table_gives_no_months():
    base = client_base(table([]))
    assert len(base) == 0
    assert {"month", "new", "active", "dormant", "first_win", "reactivated", "fell_dormant"} <= set(base.columns)


def _brute_states(frame: pd.DataFrame, at: pd.Timestamp, window_days: float) -> dict[str, str]:
    """A client's state at ``at`` by a plain loop over its deals."""
    out = {}
    window = pd.Timedelta(days=window_days)
    for client, deals in frame.groupby("client_id"):
        seen = deals["created_at"].where(deals["created_at"].notna(), deals["closed_at"])
        if not (seen < at).any():
            continue
        wins = deals.loc[deals["status"] == "won"]
        wins = wins["closed_at"].where(wins["closed_at"].notna(), wins["created_at"])
        wins = wins[wins < at]
        out[client] = "new" if wins.empty else ("active" if at - wins.max() <= window else "dormant")
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_histories_against_a_brute_force_oracle(seed):
    rng = np.random.default_rng(seed)
    n = 60
    created = T("2024-01-01") + pd.to_timedelta(rng.integers(0, 400 * 24, n), unit="h")
    closed = created + pd.to_timedelta(rng.integers(0, 90 * 24, n), unit="h")
    status = rng.choice(["won", "lost", "open"], n, p=[0.5, 0.3, 0.2])
    frame = table(
        [
            (f"c{c}", cr, None if s == "open" else cl, s, 1.0)
            for c, cr, cl, s in zip(rng.integers(0, 12, n), created, closed, status, strict=True)
        ]
    )
    window = float(rng.choice([20, 45, 60]))
    as_of = frame[["created_at", "closed_at"]].max().max()
    base = client_base(frame, window, as_of=as_of)
    won = frame[frame["status"] == "won"]
    first_win = (won["closed_at"].where(won["closed_at"].notna(), won["created_at"])).groupby(won["client_id"]).min()
    previous: dict[str, str] = {}
    previous_end = T("1900-01-01")
    for row in base.itertuples():
        assert row.first_win == int(((first_win >= previous_end) & (first_win < row.end)).sum())
        previous_end = row.end
        states = _brute_states(frame, row.end, window)
        counts = pd.Series(states).value_counts()
        assert (row.new, row.active, row.dormant) == tuple(int(counts.get(s, 0)) for s in ("new", "active", "dormant"))
        moved_in = sum(1 for c, s in states.items() if s == "active" and previous.get(c) != "active")
        moved_out = sum(1 for c, s in previous.items() if s == "active" and states[c] != "active")
        # the flows may also count a fall and a reactivation within one month; the net is what the states show
        assert row.first_win + row.reactivated - row.fell_dormant == moved_in - moved_out
        previous = states


@cache
def demo() -> pd.DataFrame:
    deals = read_deals(DATA / "demo_deals.csv").deals
    deals["segment"] = derive_segments(deals)
    return deals


def test_demo_month_end_states_agree_with_derive_segments():
    """Each client's state at a month's end is the segment derive_segments gives a deal created at that instant."""
    deals = demo()
    base = client_base(deals)
    clients = deals["client_id"].dropna().unique()
    probes = pd.DataFrame(
        [(c, end) for end in base["end"] for c in clients], columns=["client_id", "created_at"]
    ).assign(status="open", deal_id="probe", stage="x")
    joined = pd.concat([deals.drop(columns="segment"), conform(probes)], ignore_index=True)
    segment = derive_segments(joined).iloc[len(deals) :].to_numpy()
    probes["segment"] = segment
    first_seen = deals.groupby("client_id")["created_at"].min()
    probes = probes[probes["created_at"].to_numpy() > first_seen.reindex(probes["client_id"]).to_numpy()]
    counts = probes.groupby(["created_at", "segment"]).size().unstack(fill_value=0)
    for row in base.itertuples():
        assert (row.new, row.active, row.dormant) == tuple(
            int(counts.loc[row.end].get(s, 0)) for s in ("new", "active", "dormant")
        )


def test_demo_deal_segments_agree_with_their_clients_states():
    deals = demo().sample(40, random_state=0)
    for row in deals.itertuples():
        assert client_states(demo(), row.created_at)["state"].get(row.client_id, "new") == row.segment


def test_demo_revenue_by_state_adds_up_to_won_revenue():
    deals = demo()
    base = client_base(deals)
    won = deals[deals["status"] == "won"]
    assert base["revenue"].sum() == pytest.approx(won["amount"].sum())
    for seg in ("new", "active", "dormant"):
        assert base[f"revenue_{seg}"].sum() == pytest.approx(won.loc[won["segment"] == seg, "amount"].sum())
    assert base["wins"].sum() == len(won)


def test_retention_counts_by_hand():
    # as of Apr 30: active cohort = active 30 days before (Mar 31 23:00): E only (won Mar 20); no win since
    out = retention(HISTORY, 30, as_of=AS_OF, year_days=100).set_index("measure")
    assert out.loc["active_kept", ["clients", "moved"]].tolist() == [1, 0]
    # a year of 100 days starts Jan 21 23:00: dormant then: none; fallen dormant since: A, B, C, E (E twice);
    # reactivated in it: E (Mar 20)
    assert out.loc["dormant_reactivated", ["clients", "moved"]].tolist() == [4, 1]
    assert out.loc["dormant_reactivated", "revenue"] == 70.0
    # prospects then: A, B, C (created, no win before Jan 21 23:00), plus D (first deal Feb 10); A, B, C won
    assert out.loc["new_won", ["clients", "moved"]].tolist() == [4, 3]
    low, high = out.loc["new_won", ["low", "high"]]
    # Wilson 95 % for 3 of 4
    assert (low, high) == pytest.approx((0.3006418, 0.9544127), abs=1e-6)


def test_retention_is_empty_not_zero_when_the_data_is_shorter_than_the_follow_up():
    out = retention(HISTORY, 30, as_of=AS_OF, year_days=365).set_index("measure")
    assert out.loc["dormant_reactivated", "clients"] == 0
    assert np.isnan(out.loc["dormant_reactivated", "rate"])
