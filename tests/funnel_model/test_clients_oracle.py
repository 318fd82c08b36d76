"""client_base against an oracle written straight from DESIGN's rule, on random and boundary-heavy histories.

DESIGN: a client is ``active`` at time t when a won deal closed in (t − window, t], ``dormant`` when its last
win closed at or before t − window, ``new`` when it has a deal but no win yet; t is the month's end. The
oracle loops over clients and months (states) and over days (flows: a state change between two days' ends),
without sharing any code with the implementation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from funnel_model import client_base, derive_segments
from funnel_model.schema import conform

T = pd.Timestamp
DAY = pd.Timedelta(days=1)


def table(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["client_id", "created_at", "closed_at", "status", "amount"])
    frame["deal_id"] = [str(i) for i in range(len(frame))]
    frame["stage"] = "x"
    return conform(frame)


def history(seed: int, *, timestamped: bool, window: int) -> pd.DataFrame:
    """Random deals with many wins exactly at, one day inside and one day outside the window from a month's end,
    same-day wins, clients appearing late, Feb 29 of 2024, and won deals closed before their creation."""
    rng = np.random.default_rng(seed)
    start = T("2023-11-01")
    month_ends = pd.date_range(start, "2025-06-30", freq="ME")
    rows = []
    for c in range(int(rng.integers(6, 14))):
        client = f"c{c}"
        first = start + DAY * int(rng.integers(0, 500))
        for _ in range(int(rng.integers(1, 7))):
            kind = rng.random()
            if kind < 0.35:  # a win placed on a window boundary seen from some month's end
                end = month_ends[int(rng.integers(0, len(month_ends)))]
                closed = end - DAY * (window + int(rng.integers(-1, 2)))
                created = closed - DAY * int(rng.integers(0, 40))
            elif kind < 0.45:
                closed = T("2024-02-29")
                created = closed - DAY * int(rng.integers(0, 5))
            else:
                created = first + DAY * int(rng.integers(0, 300))
                closed = created + DAY * int(rng.integers(0, 120))
            if rng.random() < 0.05:  # a CRM typo: closed before created
                created, closed = closed + DAY * 3, closed
            if timestamped:
                created += pd.Timedelta(minutes=int(rng.integers(0, 24 * 60)))
                closed += pd.Timedelta(minutes=int(rng.integers(0, 24 * 60)))
            status = rng.choice(["won", "won", "lost", "open"])
            rows.append((client, created, None if status == "open" else closed, status, float(rng.integers(1, 9))))
            if status == "won" and rng.random() < 0.2:  # a second win the same day
                rows.append((client, created, closed, "won", 1.0))
    return table(rows)


def _clients(frame: pd.DataFrame) -> dict[str, tuple[list, list]]:
    """Per client: the instants it was seen (creations and wins) and its wins."""
    out = {}
    for client, deals in frame.groupby("client_id"):
        seen, wins = [], []
        for row in deals.itertuples():
            win = row.closed_at if pd.notna(row.closed_at) else row.created_at
            if pd.notna(row.created_at):
                seen.append(row.created_at)
            if row.status == "won" and pd.notna(win):
                wins.append(win)
                seen.append(win)
        out[client] = (seen, wins)
    return out


def design_state(seen: list, wins: list, t: pd.Timestamp, window: pd.Timedelta) -> str | None:
    if not any(s <= t for s in seen):
        return None
    past = [w for w in wins if w <= t]
    if not past:
        return "new"
    return "active" if any(t - window < w for w in past) else "dormant"


def _deals_up_to(frame, as_of):
    return frame[frame["created_at"].fillna(frame["closed_at"]) <= as_of]


@pytest.mark.parametrize("timestamped", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_month_end_states_follow_design_rule(seed, timestamped):
    window_days = [30, 365, 366][seed % 3]
    frame = history(seed, timestamped=timestamped, window=window_days)
    as_of = T("2025-03-17 12:00") if timestamped else T("2025-03-17")
    base = client_base(frame, window_days, as_of=as_of)
    clients = _clients(_deals_up_to(frame, as_of))
    window = pd.Timedelta(days=window_days)
    first_month = min(s for seen, _ in clients.values() for s in seen).to_period("M")
    assert base["month"].iloc[0] == first_month.to_timestamp()
    assert base["month"].iloc[-1] == T("2025-03-01")
    for row in base.itertuples():
        period = row.month.to_period("M")
        # date-only data: t is the month's last day; timestamped: its last instant; the current month: as_of
        t = period.end_time if timestamped else period.end_time.normalize()
        t = min(t, as_of)
        states = [design_state(seen, [w for w in wins if w <= as_of], t, window) for seen, wins in clients.values()]
        expected = tuple(states.count(s) for s in ("new", "active", "dormant"))
        assert (row.new, row.active, row.dormant) == expected, (row.month, window_days)


@pytest.mark.parametrize("seed", range(6))
def test_monthly_flows_are_the_day_to_day_state_changes(seed):
    window_days = [30, 365, 366][seed % 3]
    window = pd.Timedelta(days=window_days)
    frame = history(seed, timestamped=False, window=window_days)
    as_of = T("2025-03-17")
    base = client_base(frame, window_days, as_of=as_of).set_index("month")
    clients = _clients(_deals_up_to(frame, as_of))
    counts = {}
    for seen, wins in clients.values():
        wins = [w for w in wins if w <= as_of]
        before = None
        for day in pd.date_range(min(seen), as_of, freq="D"):
            now = design_state(seen, wins, day, window)
            month = day.to_period("M").to_timestamp()
            flows = counts.setdefault(
                month, dict.fromkeys(("new_clients", "first_win", "reactivated", "fell_dormant"), 0)
            )
            if before is None and now is not None:
                flows["new_clients"] += 1
            if now == "active" and before in (None, "new"):
                flows["first_win"] += 1
            if now == "active" and before == "dormant":
                flows["reactivated"] += 1
            if now == "dormant" and before == "active":
                flows["fell_dormant"] += 1
            before = now
    expected = pd.DataFrame(counts).T.reindex(base.index, fill_value=0)
    for name in ("new_clients", "first_win", "reactivated", "fell_dormant"):
        assert base[name].tolist() == expected[name].tolist(), name


def test_states_are_never_negative_when_a_win_closes_before_its_deal_was_created():
    frame = table([("A", T("2024-03-02"), T("2024-02-28"), "won", 5.0), ("B", T("2024-01-10"), None, "open", 0.0)])
    base = client_base(frame, 30, as_of=T("2024-03-31")).set_index("month")
    assert base.loc[T("2024-02-01"), ["new", "active", "dormant"]].tolist() == [1, 1, 0]
    assert base.loc[T("2024-02-01"), "new_clients"] == 1
    assert (base[["new", "active", "dormant"]] >= 0).all().all()


@pytest.mark.parametrize("seed", range(3))
def test_a_deal_created_just_after_a_month_end_gets_its_client_month_end_state(seed):
    """derive_segments of a deal created at the first instant after t names the client's DESIGN state at t."""
    window_days = [30, 365, 366][seed]
    frame = history(seed, timestamped=False, window=window_days)
    as_of = T("2025-03-17")
    frame = _deals_up_to(frame, as_of)
    frame = frame[frame["closed_at"].isna() | (frame["closed_at"] <= as_of)]
    clients = _clients(frame)
    ends = pd.date_range("2023-11-30", "2025-02-28", freq="ME")
    probes = pd.DataFrame(
        [(c, end + DAY) for end in ends for c in clients], columns=["client_id", "created_at"]
    ).assign(status="open", deal_id="probe", stage="x")
    joined = pd.concat([frame, conform(probes)], ignore_index=True)
    segment = derive_segments(joined, window_days).iloc[len(frame) :].to_numpy()
    window = pd.Timedelta(days=window_days)
    for (client, created), got in zip(
        probes[["client_id", "created_at"]].itertuples(index=False), segment, strict=True
    ):
        seen, wins = clients[client]
        expected = design_state(seen, wins, created - DAY, window)
        assert got == (expected or "new"), (client, created)


def test_timestamped_wins_one_nanosecond_either_side_of_the_window_edge():
    """The last instant of March is t; a win at t − 30 days is outside (t − window, t], one ns later is inside."""
    t = T("2024-03-31 23:59:59.999999999")
    edge = t - pd.Timedelta(days=30)
    frame = table(
        [
            ("out", edge - pd.Timedelta(days=5), edge, "won", 1.0),
            ("in", edge - pd.Timedelta(days=5), edge + pd.Timedelta(1, "ns"), "won", 1.0),
            ("late", t, None, "open", 1.0),  # first deal at the month's last instant: counted in March
        ]
    )
    base = client_base(frame, 30, as_of=T("2024-04-15")).set_index("month")
    assert base.loc[T("2024-03-01"), ["new", "active", "dormant"]].tolist() == [1, 1, 1]
    assert base.loc[T("2024-03-01"), "fell_dormant"] == 1
