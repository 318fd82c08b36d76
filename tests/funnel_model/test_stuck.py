"""Stuck and overdue deals on hand-built histories and snapshots."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from funnel_model.schema import conform
from funnel_model.stuck import at_risk_by_owner, stuck_deals, usual_stage_days

T = pd.Timestamp
AS_OF = T("2024-06-01")


def deals() -> pd.DataFrame:
    rows = [
        # five closed deals spent 1..5 days in "Offer" (their stays: the usual limit)
        *[
            (f"c{i}", "Won", "won", None, 10.0, T("2024-01-01"), T("2024-01-01") + pd.Timedelta(days=i + 1), None, "A")
            for i in range(5)
        ],
        ("o1", "Offer", "open", None, 100.0, T("2024-05-01"), None, T("2024-07-01"), "A"),  # 10 days in Offer
        ("o2", "Offer", "open", None, 200.0, T("2024-05-01"), None, T("2024-05-20"), "B"),  # 3 days, overdue 12
        ("o3", "Offer", "open", None, 50.0, T("2024-05-01"), None, None, "B"),  # 4.5 days: not stuck
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "deal_id",
            "stage",
            "status",
            "lost_stage",
            "amount",
            "created_at",
            "closed_at",
            "expected_close_at",
            "owner",
        ],
    )
    return conform(frame.assign(funnel="F", client_id="x"))


def history() -> pd.DataFrame:
    rows = []
    for i in range(5):
        rows += [(f"c{i}", "Offer", T("2024-01-01")), (f"c{i}", "Won", T("2024-01-01") + pd.Timedelta(days=i + 1))]
    rows += [("o1", "Lead", T("2024-05-01")), ("o1", "Offer", T("2024-05-22"))]
    rows += [("o2", "Offer", T("2024-05-29"))]
    rows += [("o3", "Offer", T("2024-05-27 12:00"))]
    return pd.DataFrame(rows, columns=["deal_id", "stage", "entered_at"])


def test_usual_time_in_stage_is_the_quantile_of_completed_stays():
    usual = usual_stage_days(deals(), history(), quantile=0.9).set_index("stage")
    # stays 1..5 days: the 90th percentile by linear interpolation is 4.6; the won entries are no stays
    assert usual.loc["Offer", "usual_days"] == pytest.approx(4.6)
    assert usual.loc["Offer", "stays"] == 5
    assert "Won" not in usual.index


def test_stuck_and_overdue_from_history():
    out = stuck_deals(deals(), history(), as_of=AS_OF).set_index("deal_id")
    assert out.attrs["basis"] == "history" and out.attrs["open"] == 3
    assert sorted(out.index) == ["o1", "o2"]
    assert out.loc["o1", "days_in_stage"] == pytest.approx(10.0) and out.loc["o1", "stuck"]
    assert not out.loc["o1", "overdue"]
    assert out.loc["o2", "overdue"] and out.loc["o2", "days_overdue"] == pytest.approx(12.0)
    assert not out.loc["o2", "stuck"]
    owners = at_risk_by_owner(out.reset_index()).set_index("owner")
    assert owners.loc["B", ["deals", "stuck", "overdue", "amount"]].tolist() == [1, 0, 1, 200.0]
    assert owners.loc["A", "amount"] == 100.0


def test_too_few_stays_flag_nobody_as_stuck():
    out = stuck_deals(deals(), history(), as_of=AS_OF, min_count=6)
    assert not out["stuck"].any()


def test_without_history_ages_are_compared():
    out = stuck_deals(deals(), None, as_of=AS_OF, quantile=0.5, min_count=1).set_index("deal_id")
    assert out.attrs["basis"] == "age"
    # open deals in Offer are 31 days old; the stage's ages are the open deals' own ages (31, 31, 31): none beyond
    assert not out["stuck"].any()
    assert out.index.tolist() == ["o2"]


def _stays_by_hand(deals: pd.DataFrame, history: pd.DataFrame) -> dict[tuple[str, str], list[float]]:
    """Completed stays per (funnel, stage), deal by deal in plain Python: the oracle of the usual limits."""
    out: dict[tuple[str, str], list[float]] = {}
    for deal in deals.drop_duplicates("deal_id").itertuples(index=False):
        rows = sorted(
            (r for r in history.itertuples(index=True) if r.deal_id == deal.deal_id),
            key=lambda r: (r.entered_at, r.Index),  # entry time, ties in the file's order
        )
        for i, row in enumerate(rows):
            if deal.status != "open" and row.stage == deal.stage:
                continue  # the entry into the final stage is no stay
            end = rows[i + 1].entered_at if i + 1 < len(rows) else deal.closed_at
            if pd.notna(end):
                out.setdefault((deal.funnel, row.stage), []).append((end - row.entered_at).total_seconds() / 86400)
    return out


def test_usual_limits_match_stays_counted_deal_by_deal_in_a_shuffled_history():
    rng = np.random.default_rng(7)
    stages = ["Lead", "Offer", "Contract"]
    rows, hist = [], []
    for i in range(60):
        created = T("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 30)))
        reached = stages[: int(rng.integers(1, 4))]
        status = ("open", "won", "lost")[i % 3]
        final = {"won": "Won", "lost": reached[-1]}.get(status, reached[-1])
        stamps = sorted(created + pd.Timedelta(hours=int(h)) for h in rng.integers(0, 900, len(reached)))
        if i % 5 == 0 and len(stamps) > 1:
            stamps[-1] = stamps[0]  # two entries at the same moment: the file's order decides
        hist += [(f"d{i}", s, t) for s, t in zip(reached, stamps, strict=True)]
        closed = None if status == "open" else max(stamps) + pd.Timedelta(days=int(rng.integers(1, 20)))
        if status == "won":
            hist.append((f"d{i}", "Won", closed))
        rows.append((f"d{i}", final, status, created, closed, "F" if i % 2 else "G"))
    hist += [("ghost", "Lead", T("2024-01-05")), ("ghost", "Offer", T("2024-01-09"))]  # no such deal: ignored
    history = pd.DataFrame(hist, columns=["deal_id", "stage", "entered_at"]).sample(frac=1.0, random_state=3)
    history = history.reset_index(drop=True)
    frame = pd.DataFrame(rows, columns=["deal_id", "stage", "status", "created_at", "closed_at", "funnel"])
    table = conform(frame.assign(client_id="x", amount=1.0))
    expected = _stays_by_hand(table, history)
    usual = usual_stage_days(table, history, quantile=0.75, min_count=1)
    assert usual["basis"].eq("history").all()
    got = {(r.funnel, r.stage): (r.stays, r.usual_days) for r in usual.itertuples()}
    assert set(got) == set(expected)
    for key, days in expected.items():
        assert got[key][0] == len(days)
        assert got[key][1] == pytest.approx(pd.Series(days).quantile(0.75), rel=1e-12)


def test_with_history_and_no_open_deal_nothing_is_stuck():
    closed = deals()[lambda d: d["status"] != "open"]
    out = stuck_deals(closed, history(), as_of=AS_OF)
    assert len(out) == 0 and out.attrs == {"basis": "history", "open": 0}
