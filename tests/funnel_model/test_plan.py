"""Reverse funnel: leads for a number of wins, wins for a revenue target, counts per stage."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from funnel_model import leads_needed, revenue_distribution
from funnel_model.errors import ParameterError
from funnel_model.plan import reverse_funnel, wins_needed


def brute_force(wins, p, confidence):
    n = wins
    while stats.binom.sf(wins - 1, n, p) < confidence:
        n += 1
    return n


def test_leads_needed_published_value():
    # 10 wins at a 2 % close rate with 90 % confidence (scipy's nbinom counts failures: 698 + 10)
    assert leads_needed(10, 0.02, 0.9) == 708


@pytest.mark.parametrize("wins", [1, 2, 5, 17])
@pytest.mark.parametrize("p", [0.01, 0.1, 0.37, 0.9])
@pytest.mark.parametrize("confidence", [0.5, 0.8, 0.95])
def test_leads_needed_is_the_smallest_n_that_gives_the_confidence(wins, p, confidence):
    n = leads_needed(wins, p, confidence)
    assert n == brute_force(wins, p, confidence)
    assert stats.binom.sf(wins - 1, n, p) >= confidence
    assert stats.binom.sf(wins - 1, n - 1, p) < confidence


def test_leads_needed_edges():
    assert leads_needed(0, 0.3, 0.9) == 0
    assert leads_needed(0, 0.0, 0.9) == 0
    assert leads_needed(4, 1.0, 0.99) == 4
    assert leads_needed(1, 0.5, 0.5) == 1


@pytest.mark.parametrize(
    ("wins", "p", "confidence"),
    [(-1, 0.5, 0.9), (1.5, 0.5, 0.9), (1, 0.0, 0.9), (1, 1.2, 0.9), (1, 0.5, 1.0), (1, 0.5, 0.0)],
)
def test_leads_needed_rejects_bad_parameters(wins, p, confidence):
    with pytest.raises(ParameterError):
        leads_needed(wins, p, confidence)


def test_wins_needed_with_equal_deals_is_a_division():
    assert wins_needed(1000, [100.0], 0.9) == 10
    assert wins_needed(1001, [100.0], 0.5) == 11
    assert wins_needed(0, [100.0], 0.9) == 0


def test_wins_needed_includes_the_spread_of_deal_sizes():
    # sizes 50 or 150 with equal chance: mean 100, so 10 wins on average reach 1000 only half the time
    k = wins_needed(1000, [50.0, 150.0], 0.9, draws=50_000)
    # exact: sum of k sizes = 50k + 100·Binomial(k, 1/2) ≥ 1000
    exact = next(k for k in range(1, 100) if stats.binom.sf(math.ceil((1000 - 50 * k) / 100) - 1, k, 0.5) >= 0.9)
    assert k == exact
    assert k > 10


def test_wins_needed_rejects_no_sizes():
    with pytest.raises(ParameterError):
        wins_needed(100, [], 0.9)


def test_reverse_funnel_by_hand():
    rates = pd.DataFrame({"stage": ["Lead", "Offer"], "rate": [0.2, 0.5]})
    sure = revenue_distribution([500.0], [1.0])  # the pipeline brings 500 for certain
    table, summary = reverse_funnel(
        1500, [100.0], rates, confidence=0.9, pipeline=sure, actual=pd.Series({"Lead": 30, "Offer": 7})
    )
    assert summary["gap"] == 1000
    assert summary["wins_mean"] == 10 and summary["wins_conf"] == 10
    assert list(table["needed_mean"]) == [50, 20]
    # equal deal sizes and a sure pipeline: exactly the negative binomial
    assert list(table["needed_conf"]) == [leads_needed(10, 0.2, 0.9), leads_needed(10, 0.5, 0.9)]
    assert summary["leads_conf"] == leads_needed(10, 0.2, 0.9)
    assert list(table["actual"]) == [30, 7]


def test_reverse_funnel_counts_the_pipeline_as_random_at_the_confidence():
    rates = pd.DataFrame({"stage": ["Lead"], "rate": [0.25]})
    coin = revenue_distribution([1000.0], [0.5])  # the whole plan, or nothing, with equal chance
    table, summary = reverse_funnel(1000, [100.0], rates, confidence=0.9, pipeline=coin)
    assert summary["gap"] == 500 and summary["wins_mean"] == 5 and table["needed_mean"].iloc[0] == 20
    # half the time nothing is needed, so 90 % overall needs only the 80 % point of 10 + NB(10, 1/4);
    # but the 10 wins shown at 90 % take leads_needed(10, 1/4, 0.9) leads, and the figures must chain
    assert summary["wins_conf"] == 10
    assert leads_needed(10, 0.25, 0.8) < leads_needed(10, 0.25, 0.9)
    assert table["needed_conf"].iloc[0] == leads_needed(10, 0.25, 0.9) == summary["leads_conf"]
    _, low = reverse_funnel(1000, [100.0], rates, confidence=0.4, pipeline=coin)
    assert low["wins_conf"] == 0 and low["leads_conf"] == 0


def test_reverse_funnel_when_the_pipeline_covers_the_plan_or_a_stage_never_wins():
    rates = pd.DataFrame({"stage": ["A", "B"], "rate": [0.0, 0.5]})
    table, summary = reverse_funnel(100, [100.0], rates, pipeline=revenue_distribution([200.0], [1.0]))
    assert summary["gap"] == 0 and list(table["needed_conf"]) == [0, 0]
    table, _ = reverse_funnel(1000, [100.0], rates)
    assert np.isinf(table["needed_mean"].iloc[0]) and np.isinf(table["needed_conf"].iloc[0])
    assert table["needed_mean"].iloc[1] == 20


def test_wins_needed_subtracts_a_random_pipeline():
    coin = revenue_distribution([1000.0], [0.5])
    assert wins_needed(1000, [100.0], 0.9, already=coin) == 10
    assert wins_needed(1000, [100.0], 0.4, already=coin) == 0


def test_the_leads_at_the_confidence_chain_from_the_wins_at_the_confidence():
    # the pipeline covers the plan 88 % of the time; otherwise one win of 1000 is needed, at a 13 % win rate
    rates = pd.DataFrame({"stage": ["Lead", "Offer"], "rate": [0.13, 0.5]})
    pipeline = revenue_distribution([1000.0], [0.88])
    table, summary = reverse_funnel(1000, [1000.0], rates, confidence=0.9, pipeline=pipeline)
    assert summary["wins_conf"] == 1
    # the joint 90 % point alone is 2 leads (0.88 + 0.12·(1 − 0.87²) ≥ 0.9); one win at 90 % takes 17
    assert leads_needed(1, 0.13, 0.9) == 17 and leads_needed(1, 0.5, 0.9) == 4
    assert summary["leads_conf"] == 17
    assert list(table["needed_conf"]) == [17, 4]


def test_reverse_funnel_states_the_chance_its_counts_really_give():
    rates = pd.DataFrame({"stage": ["A", "B"], "rate": [0.2, 0.5]})
    # equal deal sizes, no pipeline: 10 wins for sure, so the chance is the binomial tail at the count shown
    table, summary = reverse_funnel(1000.0, [100.0], rates, confidence=0.9)
    for row in table.itertuples():
        assert row.chance_conf == pytest.approx(stats.binom.sf(9, int(row.needed_conf), row.rate))
        assert row.chance_conf >= 0.9
    # varied sizes: the counts also bring the 90 % wins figure, so they meet the plan more often than 90 %;
    # an independent simulation of the plan with that many leads gives the stated chance
    sizes = np.array([100.0, 50.0, 300.0])
    table, summary = reverse_funnel(1000.0, sizes, rates, confidence=0.9)
    leads = int(summary["leads_conf"])
    rng = np.random.default_rng(3)
    runs = 20000
    wins = rng.binomial(leads, 0.2, runs)
    revenue = np.cumsum(rng.choice(sizes, size=(runs, leads)), axis=1)[np.arange(runs), np.maximum(wins - 1, 0)]
    met = np.mean(np.where(wins > 0, revenue, 0.0) >= 1000.0)
    se = np.sqrt(met * (1 - met) / runs)
    assert summary["chance_conf"] == pytest.approx(met, abs=4 * se + 0.005)
    assert summary["chance_conf"] > 0.95  # well above the 90 % the help text used to claim exactly
