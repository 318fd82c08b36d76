"""Moves: serialisation, and their effect on the forecast against recomputing it with the changed inputs."""

from __future__ import annotations

import dataclasses
import itertools
import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from funnel_model import derive_segments, read_deals
from funnel_model.config import FunnelConfig
from funnel_model.errors import ParameterError
from funnel_model.forecast import revenue_distribution
from funnel_model.forecast_views import deal_probabilities, plan_by_funnel, prepare_forecast
from funnel_model.moves import Move, apply_moves, example_moves, move_effects

DATA = Path(__file__).resolve().parents[2] / "data"
PLAN = 80e6


@cache
def demo():
    deals = read_deals(DATA / "demo_deals.csv").deals
    deals["segment"] = derive_segments(deals)
    config = FunnelConfig.from_json((DATA / "demo_config.json").read_text(encoding="utf-8"))
    return deals, prepare_forecast(deals, config)


def test_moves_round_trip_through_json():
    moves = [*example_moves(), Move("Off", "cycle_length", 0.8, enabled=False, funnel="F", stage="KP")]
    text = json.dumps([m.to_dict() for m in moves])
    assert [Move.from_dict(d) for d in json.loads(text)] == moves
    assert Move.from_dict({"name": "x", "kind": "deal_size", "value": 2, "segment": " ", "extra": 1}).segment is None


def test_example_moves_are_named_in_the_ui_language_and_act_on_one_segment_each():
    en, ru = example_moves("en"), example_moves("ru")
    assert [m.name for m in en] != [m.name for m in ru]
    assert [(m.kind, m.value, m.cost, m.segment) for m in en] == [(m.kind, m.value, m.cost, m.segment) for m in ru]
    assert [m.segment for m in en] == ["dormant", "new", "active"]


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "kind": "deal_size", "value": 1.1},
        {"name": "x", "kind": "discount", "value": 1.1},
        {"name": "x", "kind": "deal_size", "value": float("nan")},
        {"name": "x", "kind": "deal_size", "value": -1.0},
        {"name": "x", "kind": "deal_size", "value": 1.1, "cost": -5},
        {"name": "x", "kind": "deal_size"},
    ],
)
def test_invalid_moves_are_domain_errors(data):
    with pytest.raises(ParameterError):
        Move.from_dict(data)


def test_a_conversion_move_equals_the_forecast_with_the_changed_probabilities():
    _, inputs = demo()
    move = Move("Discount", "conversion_points", 10.0, 500_000.0, segment="dormant", stage="КП")
    summary, per_move = move_effects(inputs, [move], PLAN)
    # oracle: raise the one stage's probability by hand and recompute the forecast
    sp = inputs.stages["rate"].to_numpy().copy()
    rows = ((inputs.stages["segment"] == "dormant") & (inputs.stages["stage"] == "КП")).to_numpy()
    assert rows.sum() == 1
    sp[rows] = np.minimum(sp[rows] + 0.1, 1.0)
    p = deal_probabilities(inputs, sp)
    amounts = inputs.open_deals["amount"].to_numpy()
    oracle = revenue_distribution(amounts, p)
    assert summary.loc["mean", "moves"] == pytest.approx(float(amounts @ p))
    assert summary.loc["mean", "moves"] == pytest.approx(oracle.mean)
    assert summary.loc["p_plan", "moves"] == pytest.approx(oracle.prob_at_least(PLAN))
    _, funnels = plan_by_funnel(inputs, sp, p, PLAN, 0.9)
    assert summary.loc["leads_mean", "moves"] == pytest.approx(funnels["leads_mean"].sum())
    # the move's own extra revenue: each reached deal's amount times the 10 points
    reached = ((inputs.open_deals["segment"] == "dormant") & (inputs.open_deals["stage"] == "КП")).to_numpy()
    extra = 0.1 * amounts[reached].sum()
    assert per_move.loc[0, "extra_mean"] == pytest.approx(extra)
    assert summary.loc["mean", "change"] == pytest.approx(extra)
    assert per_move.loc[0, "return_mean"] == pytest.approx(extra / 500_000.0)
    assert per_move.loc[0, "extra_p10"] <= extra <= per_move.loc[0, "extra_p90"]


def test_a_deal_size_move_scales_the_reached_amounts_and_the_plan_sizes():
    _, inputs = demo()
    move = Move("Upsell", "deal_size", 1.1, 600_000.0, segment="active")
    summary, per_move = move_effects(inputs, [move], PLAN)
    p = deal_probabilities(inputs, inputs.stages["rate"].to_numpy())
    amounts = inputs.open_deals["amount"].to_numpy()
    active = (inputs.open_deals["segment"] == "active").to_numpy()
    assert summary.loc["mean", "moves"] == pytest.approx(float(amounts @ p + 0.1 * amounts[active] @ p[active]))
    assert per_move.loc[0, "extra_mean"] == pytest.approx(0.1 * float(amounts[active] @ p[active]))
    # fewer leads needed: bigger deals
    assert summary.loc["leads_mean", "moves"] < summary.loc["leads_mean", "baseline"]


def test_a_lead_volume_move_adds_leads_at_the_first_stage():
    deals, inputs = demo()
    move = Move("Demo day", "lead_volume", 1.5, 400_000.0, segment="new")
    moved = apply_moves(inputs, [move], deals=deals, horizon_months=3)
    start = inputs.as_of - pd.DateOffset(months=12)
    recent = deals[(deals["created_at"] > start) & (deals["created_at"] <= inputs.as_of) & (deals["segment"] == "new")]
    assert len(moved.extra_amounts) == round(len(recent) / 12 * 3 * 0.5)
    first = inputs.stages[(inputs.stages["segment"] == "new") & (inputs.stages["order"] == 1)]
    assert np.allclose(moved.extra_probabilities, first["rate"].iloc[0])
    assert moved.extra_amounts[0] == pytest.approx(inputs.won_sizes_by_group[(first["funnel"].iloc[0], "")].mean())
    # without the deals (no inflow known) a lead move adds nothing
    assert len(apply_moves(inputs, [move]).extra_amounts) == 0


def test_fewer_leads_without_a_period_are_lost_wins_against_enumeration():
    deals, inputs = demo()
    moved = apply_moves(inputs, [Move("Fewer", "lead_volume", 0.5, 0.0, segment="new")], deals=deals)
    assert (moved.extra_amounts < 0).all() and len(moved.extra_amounts) > 0
    # small literal deals in its place: two open, two leads lost, one gained (another move)
    a, p = np.array([100.0, 250.0]), np.array([0.5, 0.4])
    extra_a, extra_p = np.array([-70.0, -70.0, 30.0]), np.array([0.3, 0.3, 0.6])
    dist = dataclasses.replace(moved, amounts=a, probabilities=p, extra_amounts=extra_a, extra_probabilities=extra_p)
    dist = dist.distribution()
    signed, chances = np.r_[a, extra_a], np.r_[p, extra_p]
    outcomes = np.array(list(itertools.product([0, 1], repeat=5)), dtype=float)
    values = outcomes @ signed
    probs = np.prod(np.where(outcomes == 1, chances, 1 - chances), axis=1)
    assert dist.mean == pytest.approx(float(signed @ chances))  # 175 − 42 + 18
    assert dist.values.min() == pytest.approx(-140.0) and dist.values.max() == pytest.approx(380.0)
    for x in np.unique(values):
        assert dist.prob_at_least(x) == pytest.approx(probs[values >= x - 1e-9].sum(), abs=1e-12)
    for q in (0.1, 0.5, 0.9):
        order = np.argsort(values, kind="stable")
        want = values[order][np.searchsorted(np.cumsum(probs[order]), q - 1e-12)]
        assert dist.quantile(q) == pytest.approx(want)


def test_fewer_leads_without_a_period_lower_the_forecast_by_the_lost_wins():
    deals, inputs = demo()
    move = Move("Fewer", "lead_volume", 0.5, 0.0, segment="new")
    summary, per_move = move_effects(inputs, [move], PLAN, deals=deals, horizon_months=3)
    # oracle: 3 months of half the segment's leads lost, each won at its first stage's rate with its mean size
    start = inputs.as_of - pd.DateOffset(months=12)
    recent = deals[(deals["created_at"] > start) & (deals["created_at"] <= inputs.as_of) & (deals["segment"] == "new")]
    lost = round(len(recent) / 12 * 3 * 0.5)
    first = inputs.stages[(inputs.stages["segment"] == "new") & (inputs.stages["order"] == 1)]
    p1, size = first["rate"].iloc[0], inputs.won_sizes_by_group[(first["funnel"].iloc[0], "")].mean()
    amounts, p = inputs.open_deals["amount"].to_numpy(), deal_probabilities(inputs, inputs.stages["rate"].to_numpy())
    open_pipeline = revenue_distribution(amounts, p)
    assert summary.loc["mean", "moves"] == pytest.approx(float(amounts @ p) - lost * p1 * size, rel=1e-12)
    assert summary.loc["mean", "change"] == pytest.approx(-lost * p1 * size, rel=1e-9)
    assert per_move.loc[0, "extra_mean"] == pytest.approx(-lost * p1 * size, rel=1e-12)
    assert per_move.loc[0, "extra_p10"] < per_move.loc[0, "extra_mean"] < per_move.loc[0, "extra_p90"] < 0

    # P(open − size·Binomial(lost, p1) ≥ plan), the binomial summed term by term
    def chance(plan):
        wins = np.arange(lost + 1)
        return float(stats.binom.pmf(wins, lost, p1) @ open_pipeline.prob_at_least(plan + size * wins))

    # within the stated bounds on the quantiles of both distributions (hundredths of their spread)
    moved = apply_moves(inputs, [move], deals=deals).distribution()
    error = moved.error + open_pipeline.error
    assert error < 0.05 * open_pipeline.std
    assert chance(PLAN + error + 1.0) <= summary.loc["p_plan", "moves"] <= chance(PLAN - error - 1.0)
    assert summary.loc["p_plan", "moves"] < summary.loc["p_plan", "baseline"]


def test_disabled_and_cycle_moves_change_nothing_and_cost_nothing():
    _, inputs = demo()
    moves = [Move("Off", "conversion_factor", 2.0, 100.0, enabled=False), Move("Faster", "cycle_length", 0.5, 50.0)]
    summary, per_move = move_effects(inputs, moves, PLAN)
    assert summary.loc["mean", "change"] == pytest.approx(0.0)
    assert summary.loc["cost", "moves"] == 50.0
    # a switched-off move still shows what it would bring on its own
    assert per_move.loc[0, "extra_mean"] > 0
    assert per_move.loc[1, "extra_mean"] == 0.0 and per_move.loc[1, "return_mean"] == 0.0


def test_moves_apply_in_order_and_together():
    _, inputs = demo()
    moves = [
        Move("x2", "conversion_factor", 2.0, 0.0, segment="new"),
        Move("+5", "conversion_points", 5.0, 0.0, segment="new"),
    ]
    moved = apply_moves(inputs, moves)
    sp = inputs.stages["rate"].to_numpy().copy()
    new = (inputs.stages["segment"] == "new").to_numpy()
    sp[new] = np.clip(np.clip(sp[new] * 2.0, 0, 1) + 0.05, 0, 1)
    assert np.allclose(moved.stage_p, sp)
    assert np.allclose(moved.probabilities, deal_probabilities(inputs, sp))


@pytest.mark.parametrize(
    "moves",
    [
        [],
        [Move("Off", "conversion_points", 10.0, 1.0, enabled=False)],
        [Move("All", "conversion_factor", 1.3, 1.0)],
        [Move("One stage", "conversion_points", -5.0, 1.0, funnel="Развитие", stage="КП")],
        [Move("Leads", "lead_volume", 2.0, 1.0, segment="new"), Move("Size", "deal_size", 0.8, 1.0, segment="dormant")],
        example_moves(),
    ],
)
def test_leads_the_plan_needs_equal_planning_every_funnel_again_with_the_moves(moves):
    deals, inputs = demo()
    summary, _ = move_effects(inputs, moves, PLAN, deals=deals)
    moved = apply_moves(inputs, moves, deals=deals)
    _, funnels = plan_by_funnel(moved.inputs, moved.stage_p, moved.probabilities, PLAN, 0.9)
    assert summary.loc["leads_mean", "moves"] == funnels["leads_mean"].sum()
    assert summary.loc["leads_conf", "moves"] == funnels["leads_conf"].sum(min_count=1)
    sp0 = inputs.stages["rate"].to_numpy()
    _, base = plan_by_funnel(inputs, sp0, deal_probabilities(inputs, sp0), PLAN, 0.9)
    assert summary.loc["leads_mean", "baseline"] == base["leads_mean"].sum()


def _period_case():
    from funnel_model.period import period_bounds

    deals, inputs = demo()
    sp = np.clip(inputs.stages["rate"].to_numpy() * 0.9 + 0.05, 0, 1)  # the sliders moved off the history
    p = deal_probabilities(inputs, sp, own=True)
    return deals, inputs, sp, p, period_bounds("this_quarter", inputs.as_of)


def test_the_baseline_is_the_pages_period_forecast_at_the_sliders():
    from funnel_model.period import plan_for_period

    deals, inputs, sp, p, period = _period_case()
    summary, _ = move_effects(
        inputs, example_moves(), PLAN, deals=deals, stage_p=sp, probabilities=p, period=period, inflow_per_month=20.0
    )
    page = plan_for_period(inputs, deals, p, period, inflow_per_month=20.0).summary(PLAN)
    assert summary.loc["mean", "baseline"] == page["mean"]
    assert summary.loc["p_plan", "baseline"] == page["p_plan"]
    assert summary.loc["p10", "baseline"] == page["p10"]


@pytest.mark.parametrize("period_given", [True, False])
def test_a_baseline_handed_over_gives_the_same_effects_as_one_computed_here(period_given):
    from funnel_model.period import plan_for_period

    deals, inputs, sp, p, period = _period_case()
    chosen = period if period_given else None
    if period_given:
        forecast = plan_for_period(inputs, deals, p, period, inflow_per_month=20.0)
        within, target = forecast.within, PLAN - forecast.already
    else:
        forecast = revenue_distribution(inputs.open_deals["amount"].to_numpy(), p)
        within, target = p, PLAN
    _, funnels = plan_by_funnel(inputs, sp, within, target, 0.9)
    common = dict(deals=deals, stage_p=sp, probabilities=p, period=chosen, inflow_per_month=20.0)
    computed = move_effects(inputs, example_moves(), PLAN, **common)
    handed = move_effects(inputs, example_moves(), PLAN, **common, base_forecast=forecast, base_funnels=funnels)
    for ours, theirs in zip(handed, computed, strict=True):
        pd.testing.assert_frame_equal(ours, theirs)
    # the page's kept results: filled on the first call, reused on the second, the same figures
    memo, sizes = {}, []
    for _ in range(2):
        kept = move_effects(inputs, example_moves(), PLAN, **common, memo=memo)
        for ours, theirs in zip(kept, computed, strict=True):
            pd.testing.assert_frame_equal(ours, theirs)
        sizes.append(len(memo))
    # every group without the moves, the two the moves reach with them (a lead move changes no plan), each move
    assert sizes == [len(inputs.groups) + 2 + len(example_moves())] * 2
    assert computed[0].loc["leads_mean", "baseline"] == funnels["leads_mean"].sum()


def test_a_slider_the_moves_do_not_reach_recomputes_only_its_own_groups_plan():
    deals, inputs, sp, _, period = _period_case()
    assert inputs.groups["segment"].iloc[0] == "new" and inputs.stages["part"].iloc[0] == ""
    memo, sizes, moved = {}, [], []
    for shift in (0.0, 0.05):  # the first group's first stage: new clients, whom no example move's deals are
        moved_sp = sp.copy()
        moved_sp[0] -= shift
        p = deal_probabilities(inputs, moved_sp)
        moved.append(p)
        common = dict(deals=deals, stage_p=moved_sp, probabilities=p, period=period, inflow_per_month=20.0)
        kept = move_effects(inputs, example_moves(), PLAN, **common, memo=memo)
        sizes.append(len(memo))
        for ours, fresh in zip(kept, move_effects(inputs, example_moves(), PLAN, **common), strict=True):
            pd.testing.assert_frame_equal(ours, fresh)
    assert (moved[0] != moved[1]).any()
    # the second position planned that group again (the lead move changes no plan: one plan for both), and kept
    # every move's own effect
    assert sizes[1] - sizes[0] == 1


def test_a_conversion_move_on_the_period_equals_the_period_forecast_with_the_changed_probabilities():
    from funnel_model.period import plan_for_period

    deals, inputs, sp, p, period = _period_case()
    move = Move("Discount", "conversion_points", 10.0, 1.0, segment="dormant")
    summary, per_move = move_effects(inputs, [move], PLAN, deals=deals, stage_p=sp, probabilities=p, period=period)
    reached = ((inputs.open_deals["segment"] == "dormant") & (inputs.open_deals["group"] >= 0)).to_numpy()
    moved_p = np.where(reached, np.minimum(p + 0.1, 1.0), p)
    oracle = plan_for_period(inputs, deals, moved_p, period)
    assert summary.loc["mean", "moves"] == pytest.approx(oracle.distribution.mean)
    assert summary.loc["p_plan", "moves"] == pytest.approx(oracle.summary(PLAN)["p_plan"])
    assert per_move.loc[0, "extra_mean"] == pytest.approx(summary.loc["mean", "change"])


@pytest.mark.parametrize("factor", [0.7, 1.5])
def test_a_cycle_move_equals_the_period_forecast_with_the_time_to_close_scaled(factor):
    from funnel_model.period import period_forecast, won_in

    deals, inputs, sp, p, period = _period_case()
    move = Move("Faster", "cycle_length", factor, 100_000.0)
    summary, per_move = move_effects(inputs, [move], PLAN, deals=deals, stage_p=sp, probabilities=p, period=period)
    # oracle: every close time of the history and every open deal's age times the factor
    cif = inputs.cif
    scaled = type(cif)(cif.times * factor, cif.won, cif.lost, cif.survival)
    created = inputs.open_deals["created_at"]
    already = won_in(deals, period.start, inputs.as_of + pd.Timedelta(microseconds=1))
    oracle = period_forecast(
        inputs.open_deals["amount"].to_numpy(),
        p,
        inputs.as_of - (inputs.as_of - created) * factor,
        scaled,
        as_of=inputs.as_of,
        period=period,
        inflow_per_month=inputs.inflow_per_month,
        won_sizes=inputs.won_sizes,
        already=already,
    )
    # a deal whose age is exactly a close time of the history sits on a step: the two float routes may
    # put it on either side (one deal of the demo, 2e-6 of the total)
    assert summary.loc["mean", "moves"] == pytest.approx(oracle.distribution.mean, rel=1e-5)
    assert summary.loc["p_plan", "moves"] == pytest.approx(oracle.summary(PLAN)["p_plan"], abs=1e-4)
    # a shorter cycle brings more of the pipeline into the quarter, a longer one less
    assert (summary.loc["mean", "change"] > 0) == (factor < 1)
    assert (summary.loc["p_plan", "change"] >= 0) == (factor < 1)
    assert per_move.loc[0, "extra_mean"] == pytest.approx(summary.loc["mean", "change"], rel=1e-6)
    assert per_move.loc[0, "return_mean"] == pytest.approx(summary.loc["mean", "change"] / 100_000.0, rel=1e-6)


def test_a_cycle_move_on_one_segment_retimes_only_its_open_deals():
    from funnel_model.period import plan_for_period

    deals, inputs, sp, p, period = _period_case()
    move = Move("Faster renewals", "cycle_length", 0.6, 0.0, segment="active")
    summary, _ = move_effects(inputs, [move], PLAN, deals=deals, stage_p=sp, probabilities=p, period=period)
    active = (inputs.open_deals["segment"] == "active").to_numpy()
    oracle = plan_for_period(inputs, deals, p, period, cycle_factor=np.where(active, 0.6, 1.0))
    assert summary.loc["mean", "moves"] == pytest.approx(oracle.distribution.mean)
    base = plan_for_period(inputs, deals, p, period)
    assert oracle.new_wins == base.new_wins  # new leads are pooled: a segment's move does not reach them
    assert np.array_equal(oracle.within[~active], base.within[~active])


def test_a_lead_volume_move_on_the_period_raises_the_inflow_by_its_share():
    from funnel_model.period import plan_for_period

    deals, inputs, sp, p, period = _period_case()
    move = Move("Demo day", "lead_volume", 1.5, 1.0, segment="new")
    summary, _ = move_effects(
        inputs, [move], PLAN, deals=deals, stage_p=sp, probabilities=p, period=period, inflow_per_month=20.0
    )
    start = inputs.as_of - pd.DateOffset(months=12)
    recent = deals[(deals["created_at"] > start) & (deals["created_at"] <= inputs.as_of)]
    share = float((recent["segment"] == "new").mean())
    oracle = plan_for_period(inputs, deals, p, period, inflow_per_month=20.0 * (1 + 0.5 * share))
    assert summary.loc["mean", "moves"] == pytest.approx(oracle.distribution.mean)
    assert summary.loc["mean", "change"] > 0


@pytest.mark.parametrize(("ahead", "factor"), [(3, 0.5), (3, 1.5), (6, 0.8)])
def test_a_moves_own_extra_revenue_counts_deals_it_takes_out_of_a_later_period(ahead, factor):
    from funnel_model.period import Period

    deals, inputs, sp, p, _ = _period_case()
    start = (inputs.as_of + pd.DateOffset(months=ahead)).normalize().replace(day=1)
    period = Period(start, start + pd.DateOffset(months=1) - pd.Timedelta(days=1), "custom")
    move = Move("Cycle", "cycle_length", factor, 100_000.0)
    summary, per_move = move_effects(inputs, [move], PLAN, deals=deals, stage_p=sp, probabilities=p, period=period)
    # some deals move into the month and others out of it: the signed sum, not one sign for all
    assert per_move.loc[0, "extra_mean"] == pytest.approx(summary.loc["mean", "change"], rel=1e-6, abs=1e-3)
    assert per_move.loc[0, "extra_p10"] <= per_move.loc[0, "extra_mean"] <= per_move.loc[0, "extra_p90"]


def test_a_loss_of_new_lead_wins_against_a_simulation():
    from funnel_model.moves import _negated
    from funnel_model.period import compound_poisson

    rng = np.random.default_rng(7)
    lost = compound_poisson(2.0, [100.0, 300.0])
    neg = _negated(lost)
    draws = -np.array([rng.choice([100.0, 300.0], c).sum() for c in rng.poisson(2.0, 40_000)])
    assert neg.mean == pytest.approx(-lost.mean)
    for q in (0.1, 0.5, 0.9):
        assert neg.quantile(q) == pytest.approx(np.quantile(draws, q, method="inverted_cdf"), abs=1e-9)
