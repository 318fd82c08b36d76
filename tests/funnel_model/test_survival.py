"""Aalen–Johansen cumulative incidence against a hand computation with ties and censoring."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from funnel_model.errors import ParameterError
from funnel_model.forecast import revenue_distribution
from funnel_model.survival import aalen_johansen, new_lead_draws, revenue_by_month

# 8 deals. Age 2 has a tie of won, lost and a censored deal (which stays at risk at age 2).
DURATIONS = [1, 2, 2, 2, 3, 4, 4, 5]
EVENTS = ["won", "lost", "won", "open", "open", "won", "lost", "open"]


def test_hand_computed_case_with_ties_and_censoring():
    cif = aalen_johansen(DURATIONS, EVENTS)
    # age 1: 8 at risk, 1 won           → S = 7/8,          CIF_won = 1/8
    # age 2: 7 at risk, 1 won, 1 lost   → S = 7/8·5/7 = 5/8, CIF_won = 1/8 + 7/8·1/7 = 1/4, CIF_lost = 1/8
    # age 3: censored only (no step); age 4: 3 at risk, 1 won, 1 lost
    #   → S = 5/8·1/3 = 5/24, CIF_won = 1/4 + 5/8·1/3 = 11/24, CIF_lost = 1/8 + 5/24 = 1/3
    np.testing.assert_allclose(cif.times, [1, 2, 4])
    np.testing.assert_allclose(cif.won, [1 / 8, 1 / 4, 11 / 24])
    np.testing.assert_allclose(cif.lost, [0, 1 / 8, 1 / 3])
    np.testing.assert_allclose(cif.survival, [7 / 8, 5 / 8, 5 / 24])
    np.testing.assert_allclose(cif.won + cif.lost + cif.survival, 1.0)
    # step functions between and before the event times
    np.testing.assert_allclose(cif.cif_won([0, 1.5, 3, 10]), [0, 1 / 8, 1 / 4, 11 / 24])
    np.testing.assert_allclose(cif.surv([0, 3.9]), [1, 5 / 8])
    # an open deal aged 2: P(won within 2 more days | open at 2) = (11/24 − 1/4) / (5/8) = 1/3
    assert cif.won_within(2, 2) == pytest.approx(1 / 3)
    assert cif.won_within(0, 100) == pytest.approx(11 / 24)


def test_no_censoring_reduces_to_empirical_shares():
    cif = aalen_johansen([1, 2, 3, 4], ["won", "lost", "won", "won"])
    np.testing.assert_allclose(cif.won, [0.25, 0.25, 0.5, 0.75])
    np.testing.assert_allclose(cif.lost, [0, 0.25, 0.25, 0.25])


@pytest.mark.parametrize(("durations", "events"), [([-1], ["won"]), ([1], ["maybe"]), ([1, 2], ["won"])])
def test_bad_inputs(durations, events):
    with pytest.raises(ParameterError):
        aalen_johansen(durations, events)


def test_revenue_by_month_spreads_each_deal_over_time_and_keeps_the_total():
    # closes after 10 days (won) or 40 days (won / lost): half of the wins in each
    cif = aalen_johansen([10, 10, 40, 40], ["won", "lost", "won", "lost"])
    open_deals = pd.DataFrame({"amount": [1000.0, 3000.0], "created_at": pd.to_datetime(["2025-03-01", "2025-03-25"])})
    p = np.array([0.5, 0.2])
    out = revenue_by_month(open_deals, p, cif, as_of="2025-03-31", months=3)
    # deal 1 is 30 days old: only the age-40 wins remain → all its revenue 10 days on, in April
    # deal 2 is 6 days old: age 10 is 2025-04-04 (April), age 40 is 2025-05-04 (May), half of its wins each
    assert list(out["month"].dt.strftime("%Y-%m").iloc[:3]) == ["2025-03", "2025-04", "2025-05"]
    np.testing.assert_allclose(out["pipeline"].iloc[:3], [0, 500 + 300, 300])
    assert out["pipeline"].sum() == pytest.approx(1000 * 0.5 + 3000 * 0.2)
    assert out["month"].isna().iloc[-1] and out["pipeline"].iloc[-1] == pytest.approx(0)
    # the band is the month's own revenue distribution
    april = revenue_distribution([1000.0, 3000.0], [0.5, 0.1])
    assert out["pipeline_low"].iloc[1] == april.quantile(0.1)
    assert out["pipeline_high"].iloc[1] == april.quantile(0.9)


def test_revenue_by_month_adds_new_leads_at_the_inflow_rate():
    cif = aalen_johansen([10, 10], ["won", "lost"])  # half of the leads won, 10 days after creation
    open_deals = pd.DataFrame({"amount": [], "created_at": pd.to_datetime([])})
    out = revenue_by_month(
        open_deals, np.array([]), cif, as_of="2025-01-01", months=3, inflow_per_month=30.4375, won_sizes=[200.0]
    )
    # ~31 leads a month (a 31-day month), half won, 10 days later: January gets those created by Jan 22
    assert out["new_leads"].iloc[0] == pytest.approx(31 * 21 / 31 * 0.5 * 200, rel=0.1)
    assert out["new_leads"].iloc[1] == pytest.approx(30.4375 * 0.5 * 200, rel=0.1)
    assert (out["new_low"] <= out["new_leads"]).all() and (out["new_high"] >= out["new_leads"]).all()


def test_new_leads_keep_the_wins_closed_on_their_creation_day():
    # date-only export: a fifth of the wins close the day the deal was created (age 0)
    cif = aalen_johansen([0, 5, 5, 5, 5, 5, 5, 5, 5, 5], ["won", "won", "won", "won", "won"] + ["lost"] * 5)
    assert cif.cif_won(0) == pytest.approx(0.1) and cif.won[-1] == pytest.approx(0.5)
    open_deals = pd.DataFrame({"amount": [], "created_at": pd.to_datetime([])})
    out = revenue_by_month(
        open_deals, np.array([]), cif, as_of="2025-01-01", months=4, inflow_per_month=60.0, won_sizes=[100.0]
    )
    # a steady month (every lead that closes in it was created in it or the month before): inflow × P(won) × size
    days = np.array([28, 31, 30]) / 30.4375  # February, March, April
    np.testing.assert_allclose(out["new_leads"].iloc[1:4], 60 * days * 0.5 * 100, rtol=0.03)


def test_month_band_is_the_band_of_the_month_total_not_the_sum_of_band_ends():
    # every close at age 10, half of them won; 10 open deals 3 days old close on 2025-02-04
    cif = aalen_johansen([10, 10, 10, 10], ["won", "lost", "won", "lost"])
    open_deals = pd.DataFrame({"amount": np.full(10, 1000.0), "created_at": pd.Timestamp("2025-01-28")})
    sizes = np.array([500.0, 1500.0])
    out = revenue_by_month(
        open_deals, np.full(10, 0.3), cif, as_of="2025-01-31", months=2, inflow_per_month=30.4375, won_sizes=sizes
    )
    feb = out.iloc[1]
    lam = feb["new_leads"] / sizes.mean()
    assert feb["pipeline"] == pytest.approx(3000.0)
    # the oracle: a direct seeded simulation of the month's total
    rng = np.random.default_rng(5)
    draws = 400_000
    pipeline = 1000.0 * rng.binomial(10, 0.3, draws)
    n = rng.poisson(lam, draws)
    new = np.bincount(np.repeat(np.arange(draws), n), weights=rng.choice(sizes, n.sum()), minlength=draws)
    low, high = np.quantile(pipeline + new, [0.1, 0.9], method="inverted_cdf")
    # the totals live on a 500 grid: the band ends are those atoms (a neighbour at most, from the draws)
    assert abs(feb["total_low"] - low) <= 500 and abs(feb["total_high"] - high) <= 500
    # the sum of the parts' ends is a different, wider band
    assert feb["pipeline_low"] + feb["new_low"] < low - 500
    assert feb["pipeline_high"] + feb["new_high"] > high + 500


def test_new_lead_draws_made_once_give_the_same_months_for_any_chances():
    cif = aalen_johansen([10, 10, 40, 40, 70], ["won", "lost", "won", "lost", "won"])
    open_deals = pd.DataFrame(
        {"amount": [1000.0, 3000.0, 700.0], "created_at": pd.to_datetime(["2025-03-01", "2025-03-25", "2025-02-10"])}
    )
    common = {"as_of": "2025-03-31", "months": 3, "inflow_per_month": 12.0, "won_sizes": [200.0, 900.0]}
    kept = new_lead_draws(cif, **common)
    for p in ([0.5, 0.2, 0.9], [0.1, 0.8, 0.3]):
        fresh = revenue_by_month(open_deals, np.array(p), cif, **common)
        pd.testing.assert_frame_equal(revenue_by_month(open_deals, np.array(p), cif, **common, new_leads=kept), fresh)
    with pytest.raises(ParameterError):
        revenue_by_month(open_deals, np.array(p), cif, **{**common, "months": 4}, new_leads=kept)
