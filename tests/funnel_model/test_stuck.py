"""Stuck and overdue deals on hand-built histories and snapshots."""

from __future__ import annotations

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
