"""Forecast views per funnel × segment: one CRM pipeline holding new and active clients, rates computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from funnel_model.config import FunnelConfig, FunnelSpec, StageSpec
from funnel_model.forecast_views import (
    deal_probabilities,
    month_forecast,
    months_blocker,
    plan_blocker,
    plan_by_funnel,
    prepare_forecast,
    rate_uncertainty,
)
from funnel_model.geometry import stage_win_rates
from funnel_model.schema import conform

CONFIG = FunnelConfig(
    [FunnelSpec("Sales", [StageSpec("Lead", 0.2), StageSpec("Offer", 0.5)], won=["Won"], lost=["Lost"])]
)
MIN_COUNT = 4  # a stage needs 4 closed deals of a segment for a rate of its own


def pipeline(with_active_open: bool = True) -> pd.DataFrame:
    rows = [
        # deal, segment, stage, status, lost at, amount
        # new prospects close badly: Lead 1 won / 3 lost, Offer 1 won / 1 lost
        ("n1", "new", "Won", "won", None, 100.0),
        ("n2", "new", "Lost", "lost", "Lead", 50.0),
        ("n3", "new", "Lost", "lost", "Lead", 50.0),
        ("n4", "new", "Lost", "lost", "Offer", 50.0),
        # active clients close well: Lead 3 won / 1 lost, Offer the same
        ("a1", "active", "Won", "won", None, 200.0),
        ("a2", "active", "Won", "won", None, 200.0),
        ("a3", "active", "Won", "won", None, 200.0),
        ("a4", "active", "Lost", "lost", "Offer", 80.0),
        # open deals of both segments at both stages
        ("o1", "new", "Lead", "open", None, 1000.0),
        ("o2", "new", "Offer", "open", None, 2000.0),
        ("o3", "active", "Lead", "open", None, 3000.0),
        ("o4", "active", "Offer", "open", None, 4000.0),
    ]
    if not with_active_open:
        rows = [r for r in rows if r[0] not in ("o3", "o4")]
    deals = pd.DataFrame(rows, columns=["deal_id", "segment", "stage", "status", "lost_stage", "amount"])
    deals["funnel"] = "Sales"
    deals["client_id"] = deals["deal_id"]
    deals["created_at"] = pd.Timestamp("2025-01-01")
    deals["closed_at"] = np.where(deals["status"] == "open", None, "2025-02-01")
    return conform(deals)


# the funnel as a whole: Lead 4 won / 4 lost, Offer 4 won / 2 lost, each with its configured probability worth
# one deal (stage_win_rates): (4 + 0.2) / 9 and (4 + 0.5) / 7
FUNNEL_LEAD, FUNNEL_OFFER = 4.2 / 9, 4.5 / 7
# a segment's rate leans on its funnel's with the weight of the observations it lacks, at least one deal:
# new × Offer has 2 closed deals, 2 missing; the others have 4, and the funnel's rate is worth one deal
NEW_OFFER = (1 + 2 * FUNNEL_OFFER) / 4
NEW_LEAD, ACTIVE_LEAD, ACTIVE_OFFER = (1 + FUNNEL_LEAD) / 5, (3 + FUNNEL_LEAD) / 5, (3 + FUNNEL_OFFER) / 5


def test_a_pipeline_with_two_segments_gets_a_slider_group_and_rates_per_segment():
    inputs = prepare_forecast(pipeline(), CONFIG, min_count=MIN_COUNT)
    groups = inputs.groups
    assert list(groups["part"]) == ["new", "active"] and groups["split"].all()
    assert list(groups["open"]) == [2, 2]
    st = inputs.stages
    assert list(zip(st["part"], st["stage"], strict=True)) == [
        ("new", "Lead"),
        ("new", "Offer"),
        ("active", "Lead"),
        ("active", "Offer"),
    ]
    assert list(st["won"]) == [1, 1, 3, 3] and list(st["lost"]) == [3, 1, 1, 1]
    np.testing.assert_allclose(st["rate"], [NEW_LEAD, NEW_OFFER, ACTIVE_LEAD, ACTIVE_OFFER])
    assert (st["low"] <= st["rate"]).all() and (st["rate"] <= st["high"]).all()
    assert list(st["borrowed"]) == [False, True, False, False]
    np.testing.assert_allclose(st["funnel_rate"], [FUNNEL_LEAD, FUNNEL_OFFER, FUNNEL_LEAD, FUNNEL_OFFER])
    np.testing.assert_allclose(st["configured"], [0.2, 0.5, 0.2, 0.5])
    # the borrowed rate's Beta carries the 2 filled-in observations
    np.testing.assert_allclose(
        st.loc[1, ["beta_won", "beta_lost"]].astype(float), [1 + 2 * FUNNEL_OFFER, 1 + 2 * (1 - FUNNEL_OFFER)]
    )
    assert list(st["open"]) == [1, 1, 1, 1] and list(st["reached"]) == [2, 1, 2, 1]
    assert list(inputs.open_deals["group"]) == [0, 1, 2, 3]

    # the historical baseline and the uncertain band use the segment rates
    a = inputs.open_deals["amount"].to_numpy()
    baseline = a @ deal_probabilities(inputs, st["rate"])
    assert baseline == pytest.approx(1000 * NEW_LEAD + 2000 * NEW_OFFER + 3000 * ACTIVE_LEAD + 4000 * ACTIVE_OFFER)
    # the uncertain band is centred on the same rates as the baseline
    assert rate_uncertainty(inputs).mean == pytest.approx(baseline)


def test_moving_one_segments_slider_changes_only_that_segments_deals():
    inputs = prepare_forecast(pipeline(), CONFIG, min_count=MIN_COUNT)
    a = inputs.open_deals["amount"].to_numpy()
    before = a * deal_probabilities(inputs, [0.2, 0.5, 0.2, 0.5])
    after = a * deal_probabilities(inputs, [0.2, 0.9, 0.2, 0.5])  # the new clients' Offer slider
    changed = before != after
    assert list(np.flatnonzero(changed)) == [1]
    assert inputs.open_deals.loc[1, ["segment", "stage"]].tolist() == ["new", "Offer"]
    assert after.sum() - before.sum() == pytest.approx(2000 * 0.4)
    # the same stage of the other segment moves the other deal only
    other = a * deal_probabilities(inputs, [0.2, 0.5, 0.2, 0.9])
    assert list(np.flatnonzero(other != before)) == [3]


def test_the_reverse_funnel_splits_the_plan_by_each_segments_won_revenue():
    inputs = prepare_forecast(pipeline(), CONFIG, min_count=MIN_COUNT)
    # won revenue: new 100, active 600
    np.testing.assert_allclose(inputs.groups["plan_share"], [1 / 7, 6 / 7])
    stage_p = [0.25, 0.5, 0.75, 0.75]
    no_pipeline = np.zeros(len(inputs.open_deals))
    stages, funnels = plan_by_funnel(inputs, stage_p, no_pipeline, 7000, 0.9)
    assert list(funnels["segment"]) == ["new", "active"]
    np.testing.assert_allclose(funnels["target"], [1000, 6000])
    np.testing.assert_allclose(funnels["mean_size"], [100, 200])  # each segment's own won deals
    np.testing.assert_allclose(funnels["wins_mean"], [10, 30])
    # deals that must reach each stage on average: wins over the segment's stage probability
    np.testing.assert_allclose(stages["needed_mean"], [10 / 0.25, 10 / 0.5, 30 / 0.75, 30 / 0.75])
    assert list(stages["actual"]) == [2, 1, 2, 1]


def test_a_kept_groups_plan_is_reused_only_while_everything_it_reads_stays_put():
    inputs = prepare_forecast(pipeline(), CONFIG, min_count=MIN_COUNT)
    p = deal_probabilities(inputs, [0.25, 0.5, 0.75, 0.75])
    memo = {}
    first = plan_by_funnel(inputs, [0.25, 0.5, 0.75, 0.75], p, 7000, 0.9, memo=memo)
    assert len(memo) == 2
    for ours, fresh in zip(first, plan_by_funnel(inputs, [0.25, 0.5, 0.75, 0.75], p, 7000, 0.9), strict=True):
        pd.testing.assert_frame_equal(ours, fresh)
    # the active clients' Lead slider moves: their group is planned again, the new clients' is reused
    moved_sp = [0.25, 0.5, 0.5, 0.75]
    moved_p = deal_probabilities(inputs, moved_sp)
    again = plan_by_funnel(inputs, moved_sp, moved_p, 7000, 0.9, memo=memo)
    assert len(memo) == 3
    for ours, fresh in zip(again, plan_by_funnel(inputs, moved_sp, moved_p, 7000, 0.9), strict=True):
        pd.testing.assert_frame_equal(ours, fresh)
    assert again[0]["needed_mean"].tolist() != first[0]["needed_mean"].tolist()
    # another target, confidence or chance of an open deal is another plan for every group it reaches
    plan_by_funnel(inputs, moved_sp, moved_p, 8000, 0.9, memo=memo)
    plan_by_funnel(inputs, moved_sp, moved_p, 8000, 0.8, memo=memo)
    plan_by_funnel(inputs, moved_sp, np.where(np.arange(len(moved_p)) == 0, 0.9, moved_p), 8000, 0.8, memo=memo)
    assert len(memo) == 8


def test_one_open_segment_keeps_one_group_with_that_segments_rates():
    inputs = prepare_forecast(pipeline(with_active_open=False), CONFIG, min_count=MIN_COUNT)
    assert list(inputs.groups["part"]) == [""] and not inputs.groups["split"].any()
    assert inputs.groups.loc[0, "segment"] == "new"
    # the open deals are all new prospects: the new segment's rates, not the funnel's mix
    np.testing.assert_allclose(inputs.stages["rate"], [NEW_LEAD, NEW_OFFER])
    assert list(inputs.stages["borrowed"]) == [False, True]
    assert inputs.groups.loc[0, "plan_share"] == 1.0


def test_a_funnel_whose_history_is_all_one_segment_keeps_the_funnels_figures():
    deals = pipeline()
    deals = deals[deals["segment"] == "new"].reset_index(drop=True)
    segmented = prepare_forecast(deals, CONFIG, min_count=MIN_COUNT)
    unsegmented = prepare_forecast(deals.assign(segment=pd.NA), CONFIG, min_count=MIN_COUNT)
    columns = ["rate", "low", "high", "won", "lost", "beta_won", "beta_lost", "borrowed"]
    pd.testing.assert_frame_equal(segmented.stages[columns], unsegmented.stages[columns])


def test_lost_deals_without_a_loss_stage_leave_no_nan_in_the_sliders_rates():
    deals = pipeline()
    deals["lost_stage"] = pd.Series(pd.NA, index=deals.index, dtype="str")  # an amoCRM export has no loss stage
    inputs = prepare_forecast(deals, CONFIG, min_count=MIN_COUNT)
    st = inputs.stages
    assert st["rate"].notna().all() and st["beta_won"].notna().all() and st["beta_lost"].notna().all()
    # the first stage is always known: every deal reached it (new prospects 1 won / 3 lost)
    assert st.loc[0, "known"] and st.loc[0, "rate"] == pytest.approx(NEW_LEAD)
    unknown = st[~st["known"]]
    identifiable = "identifiable" in stage_win_rates(deals, CONFIG, min_count=MIN_COUNT)
    assert len(unknown) == (2 if identifiable else 0)  # the geometry says where a rate cannot be told
    np.testing.assert_allclose(unknown["rate"], unknown["configured"])
    assert unknown["low"].isna().all() and not unknown["borrowed"].any()
    centre = unknown["beta_won"] / (unknown["beta_won"] + unknown["beta_lost"])
    np.testing.assert_allclose(centre, unknown["configured"])  # the band's Beta sits on the config


def test_no_won_deal_or_no_closed_deal_is_named_before_the_plan_and_the_close_months():
    deals = pipeline()
    ready = prepare_forecast(deals, CONFIG, min_count=MIN_COUNT)
    assert (ready.n_won, ready.n_lost) == (4, 4)
    assert plan_blocker(ready) is None and months_blocker(ready) is None
    assert month_forecast(ready, np.full(4, 0.5)) is not None

    no_win = prepare_forecast(deals[deals["status"] != "won"], CONFIG, min_count=MIN_COUNT)
    assert (no_win.n_won, no_win.n_lost) == (0, 4)
    assert plan_blocker(no_win) == "forecast.plan_no_won"
    assert months_blocker(no_win) == "forecast.months_no_won"
    assert month_forecast(no_win, np.full(4, 0.5)) is None
    # the pipeline itself still has its distribution
    assert deal_probabilities(no_win, no_win.stages["configured"]).tolist() == [0.2, 0.5, 0.2, 0.5]

    only_open = prepare_forecast(deals[deals["status"] == "open"], CONFIG, min_count=MIN_COUNT)
    assert plan_blocker(only_open) == "forecast.plan_no_closed"
    assert months_blocker(only_open) == "forecast.months_no_closed"

    # won deals without an amount give no deal size either
    no_amount = deals.assign(amount=deals["amount"].where(deals["status"] != "won"))
    assert plan_blocker(prepare_forecast(no_amount, CONFIG, min_count=MIN_COUNT)) == "forecast.plan_no_won"
    # won deals without dates cannot place a win in time
    undated = deals.assign(closed_at=deals["closed_at"].where(deals["status"] != "won"))
    assert months_blocker(prepare_forecast(undated, CONFIG, min_count=MIN_COUNT)) == "forecast.no_dates"


def test_a_segments_rate_always_lies_inside_its_interval():
    rng = np.random.default_rng(7)
    for _ in range(30):
        rows = []
        for i in range(int(rng.integers(1, 40))):
            segment = "new" if rng.random() < 0.5 else "active"
            status = ("won", "lost")[int(rng.random() < 0.7)]
            lost_at = ("Lead", "Offer")[int(rng.integers(2))] if status == "lost" else None
            stage = "Won" if status == "won" else "Lost"
            rows.append((f"d{i}", segment, stage, status, lost_at, 10.0))
        rows += [("oN", "new", "Lead", "open", None, 1.0), ("oA", "active", "Offer", "open", None, 1.0)]
        deals = pd.DataFrame(rows, columns=["deal_id", "segment", "stage", "status", "lost_stage", "amount"])
        deals["funnel"] = "Sales"
        deals["created_at"] = pd.Timestamp("2025-01-01")
        st = prepare_forecast(conform(deals), CONFIG, min_count=MIN_COUNT).stages
        assert (st["low"] <= st["rate"] + 1e-12).all() and (st["rate"] <= st["high"] + 1e-12).all()
