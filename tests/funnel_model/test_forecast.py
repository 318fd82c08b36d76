"""Revenue distribution: exact against enumeration, approximations against a seeded Monte Carlo."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from scipy import stats

from funnel_model import revenue_distribution
from funnel_model.config import FunnelConfig, FunnelSpec, StageSpec
from funnel_model.errors import ParameterError
from funnel_model.forecast import (
    ERROR_LEVELS,
    _bernoulli_product,
    _count_pmf,
    _lattice_pmf,
    uncertain_rates_distribution,
)
from funnel_model.forecast_views import (
    deal_probabilities,
    forecast_summary,
    month_forecast,
    plan_by_funnel,
    prepare_forecast,
    rate_uncertainty,
)
from funnel_model.schema import conform

MC_DRAWS = 200_000


def enumerate_all(a, p):
    """Every one of the 2^n outcomes: sorted values and their probabilities."""
    a, p = np.asarray(a, float), np.asarray(p, float)
    outcomes = np.array(list(itertools.product([0, 1], repeat=len(a))), dtype=float).reshape(-1, len(a))
    values = outcomes @ a
    probs = np.prod(np.where(outcomes == 1, p, 1 - p), axis=1)
    order = np.argsort(values, kind="stable")
    return values[order], probs[order]


def exact_quantile(values, probs, q):
    return values[np.searchsorted(np.cumsum(probs), q - 1e-12)]


def monte_carlo(a, p, draws=MC_DRAWS, seed=7, chunk=250):
    rng = np.random.default_rng(seed)
    total = np.zeros(draws)
    for s in range(0, len(a), chunk):
        total += (rng.random((draws, len(a[s : s + chunk]))) < p[s : s + chunk]) @ a[s : s + chunk]
    return total


def test_two_deals_by_hand():
    d = revenue_distribution([100, 200], [0.5, 0.5])
    assert d.method == "exact" and d.error == 0
    assert d.mean == 150
    assert d.prob_at_least(300) == pytest.approx(0.25)
    assert d.prob_at_least(150) == pytest.approx(0.5)  # 200 or 300
    assert d.prob_at_least(0) == pytest.approx(1.0)
    assert list(d.quantile([0.2, 0.3, 0.6, 0.9])) == [0, 100, 200, 300]


def test_sixteen_deals_with_whole_amounts_match_full_enumeration():
    rng = np.random.default_rng(3)
    a = rng.integers(1, 60, 16) * 1000.0
    p = rng.uniform(0.02, 0.98, 16)
    values, probs = enumerate_all(a, p)
    d = revenue_distribution(a, p)
    assert d.method == "exact"
    assert d.mean == pytest.approx(float(a @ p), rel=1e-12)
    support = np.unique(values)
    tail = np.array([probs[values >= x].sum() for x in support])
    np.testing.assert_allclose(d.prob_at_least(support), tail, atol=1e-12)
    qs = np.linspace(0.01, 0.99, 99)
    np.testing.assert_array_equal(d.quantile(qs), [exact_quantile(values, probs, q) for q in qs])


def test_sixteen_deals_with_odd_amounts_keep_the_mean_and_stay_within_the_stated_error():
    rng = np.random.default_rng(5)
    a = rng.lognormal(11, 1.0, 16)
    p = rng.uniform(0.05, 0.95, 16)
    values, probs = enumerate_all(a, p)
    d = revenue_distribution(a, p)
    assert d.method == "lattice" and d.error > 0
    assert d.mean == pytest.approx(float(a @ p), rel=1e-12)
    # the lattice mean itself is exact: amounts are split between grid points preserving their mean
    pmf = np.diff(np.concatenate([[0.0], d.cdf]))
    assert float(pmf @ d.values) == pytest.approx(float(a @ p), rel=1e-9)
    for q in np.linspace(0.02, 0.98, 49):
        assert abs(d.quantile(q) - exact_quantile(values, probs, q)) <= d.error


@settings(max_examples=40, deadline=None)
@given(
    hs.lists(
        hs.tuples(hs.integers(0, 40), hs.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9, 1.0])),
        min_size=0,
        max_size=9,
    )
)
def test_random_small_pipelines_match_enumeration(deals):
    a = np.array([d[0] for d in deals], dtype=float) * 500
    p = np.array([d[1] for d in deals], dtype=float)
    values, probs = enumerate_all(a, p) if len(a) else (np.array([0.0]), np.array([1.0]))
    d = revenue_distribution(a, p)
    assert d.mean == pytest.approx(float(a @ p) if len(a) else 0.0, abs=1e-9)
    for x in np.unique(np.concatenate([values, values + 250])):
        assert d.prob_at_least(x) == pytest.approx(probs[values >= x].sum(), abs=1e-9)


@pytest.mark.parametrize(
    ("amounts", "probs", "mean", "p_at_least"),
    [
        ([], [], 0.0, {0: 1.0, 1: 0.0}),  # no open deals
        ([500.0], [0.3], 150.0, {0: 1.0, 1: 0.3, 500: 0.3, 501: 0.0}),  # one deal
        ([100.0, 200.0], [0.0, 0.0], 0.0, {0: 1.0, 1: 0.0}),  # all lost
        ([100.0, 200.0], [1.0, 1.0], 300.0, {300: 1.0, 300.5: 0.0}),  # all won
        ([0.0, 0.0, 0.0], [0.5, 0.2, 1.0], 0.0, {0: 1.0, 1: 0.0}),  # zero amounts
        ([100.0, 250.5], [1.0, 0.5], 225.25, {100: 1.0, 350.5: 0.5, 351: 0.0}),  # one sure, one open
    ],
)
def test_edge_cases(amounts, probs, mean, p_at_least):
    d = revenue_distribution(amounts, probs)
    assert d.mean == pytest.approx(mean)
    for x, want in p_at_least.items():
        assert d.prob_at_least(x) == pytest.approx(want, abs=1e-9), x
    assert d.prob_at_least(0) == 1.0  # a plan of 0 is always met
    total = float(np.sum(amounts))
    assert d.prob_at_least(total + 1) == 0.0  # a plan above the whole pipeline never is
    assert d.quantile(0.0) >= 0 and d.quantile(1.0) <= total + 1e-9


@pytest.mark.parametrize(
    ("amounts", "probs", "method"),
    [
        ([-1.0], [0.5], "auto"),
        ([np.nan], [0.5], "auto"),
        ([1.0], [1.5], "auto"),
        ([1.0, 2.0], [0.5], "auto"),
        ([1.0], [0.5], "magic"),
    ],
)
def test_bad_inputs_raise_parameter_error(amounts, probs, method):
    with pytest.raises(ParameterError):
        revenue_distribution(amounts, probs, method=method)
    with pytest.raises(ValueError):  # ParameterError is a ValueError for notebook users
        revenue_distribution(amounts, probs, method=method)


def test_quantile_rejects_levels_outside_zero_one():
    with pytest.raises(ParameterError):
        revenue_distribution([1.0], [0.5]).quantile(1.5)


@pytest.mark.parametrize(
    ("n", "sigma", "beta"),
    [(1500, 1.0, (1.0, 3.0)), (1200, 0.6, (0.5, 6.0))],
)
def test_saddlepoint_quantiles_against_a_200k_monte_carlo(n, sigma, beta):
    rng = np.random.default_rng(n)
    a = rng.lognormal(12, sigma, n)
    p = rng.beta(*beta, n)
    d = revenue_distribution(a, p, method="saddlepoint")
    assert d.method == "saddlepoint"
    assert d.mean == pytest.approx(float(a @ p))
    assert d.error > 0  # a Berry–Esseen bound, wider than the error seen here
    sim = monte_carlo(a, p)
    qs = [0.01, 0.05, 0.1, 0.5, 0.9, 0.95, 0.99]
    diff = np.abs(d.quantile(qs) - np.quantile(sim, qs))
    assert diff.max() <= d.error, diff / d.std
    # the lattice on the same pipeline agrees as well, within its own stated error plus the simulation's
    lattice = revenue_distribution(a, p, method="lattice")
    diff = np.abs(lattice.quantile(qs) - np.quantile(sim, qs))
    assert diff.max() <= lattice.error + 0.01 * d.std, diff / d.std


def test_auto_chooses_by_guaranteed_error_not_by_deal_count():
    # a dominating deal or thousands of equal packages: the exact lattice, whatever the count
    a = np.concatenate([np.full(3000, 1000.0), [5e6]])
    p = np.full(3001, 0.5)
    assert revenue_distribution(a, p).method == "exact"
    assert revenue_distribution(a[:-1] + 0.5, p[:-1]).method == "exact"
    # thousands of distinct odd amounts: an approximation, with its bound stated
    rng = np.random.default_rng(2)
    d = revenue_distribution(rng.lognormal(12, 1, 3000), np.full(3000, 0.3))
    assert d.method in ("lattice", "saddlepoint") and d.error > 0


def test_equal_packages_with_small_probabilities_are_exact():
    # a company selling standard packages: 4000 deals of 1,990.50 at 1 %, 500 of 9,990.00 at 3 %
    a = np.concatenate([np.full(4000, 1990.5), np.full(500, 9990.0)])
    p = np.concatenate([np.full(4000, 0.01), np.full(500, 0.03)])
    d = revenue_distribution(a, p)
    assert d.method == "exact" and d.error == 0
    small = stats.binom.pmf(np.arange(4001), 4000, 0.01)
    big = stats.binom.pmf(np.arange(501), 500, 0.03)
    # the exact distribution by hand: every (wins of the small, wins of the big) pair
    sums = (np.arange(4001)[:, None] * 1990.5 + np.arange(501)[None, :] * 9990.0).ravel()
    probs = (small[:, None] * big[None, :]).ravel()
    order = np.argsort(sums, kind="stable")
    sums, probs = sums[order], probs[order]
    for x in (0.0, 1990.5, 9990.0, 50_000.0, d.mean, 150_000.0, 200_000.5):
        assert d.prob_at_least(x) == pytest.approx(probs[sums >= x - 1e-6].sum(), abs=1e-12), x
    qs = np.linspace(0.01, 0.99, 99)
    np.testing.assert_allclose(d.quantile(qs), [exact_quantile(sums, probs, q) for q in qs], rtol=1e-12)


def test_plan_equal_to_an_achievable_sum_counts_that_sum():
    # 0.1 + 0.2 is 0.30000000000000004 in floats: a plan of 0.3 is still met by winning both
    d = revenue_distribution([0.1, 0.2, 1234.57], [0.5, 0.5, 0.5])
    assert d.method == "exact"
    assert d.prob_at_least(0.3) == pytest.approx(0.5 * 0.5 * 0.5 + 0.5)  # both small ones, or the big one
    assert d.prob_at_least(1234.57 + 0.3) == pytest.approx(0.125)
    assert d.prob_at_least(1234.57 + 0.300001) == 0.0  # a millionth above the largest sum
    assert d.prob_at_least(1234.67) == pytest.approx(0.5 * 0.75)  # the big one and at least one small one


def test_far_upper_tail_keeps_its_relative_precision():
    rng = np.random.default_rng(11)
    a = rng.integers(1, 200, 60) * 100.0
    p = rng.uniform(0.01, 0.2, 60)
    d = revenue_distribution(a, p)
    total = a.sum()
    assert d.prob_at_least(total) == pytest.approx(np.prod(p), rel=1e-9)  # every deal won
    # all but one: which one is lost, or none
    i = np.argmin(a)
    lose_one = np.prod(p) * ((1 - p) / p)
    exact = np.prod(p) + lose_one[a == a[i]].sum()
    assert d.prob_at_least(total - a[i]) == pytest.approx(exact, rel=1e-9)
    assert d.prob_at_least(total + 1) == 0.0


def hostile_probabilities(n, seed):
    """Uniform chances with a share of 0, 1, tiny (down to 1e-300), nearly 1, and a few values repeated."""
    rng = np.random.default_rng(seed)
    p = rng.random(n)
    kind = rng.integers(0, 6, n)
    p[kind == 0] = 0.0
    p[kind == 1] = 1.0
    p[kind == 2] = 10.0 ** rng.uniform(-300, -6, int((kind == 2).sum()))
    p[kind == 3] = 1.0 - 10.0 ** rng.uniform(-15, -6, int((kind == 3).sum()))
    p[kind == 4] = rng.choice([0.05, 0.3, 0.3000000000000001, 0.7], int((kind == 4).sum()))
    return p


def roots_of_unity_counts(p):
    """The win-count pmf as the forecast computed it before the pairwise product (kept as its oracle): the
    generating function at the m + 1 roots of unity of chunks of 512 deals, inverted, the chunks convolved."""
    out = np.array([1.0])
    for s in range(0, len(p), 512):
        part = p[s : s + 512, None]
        z = np.exp(-2j * np.pi * np.arange(len(part) + 1) / (len(part) + 1))
        out = np.convolve(out, np.clip(np.fft.ifft(np.prod(1.0 - part + part * z[None, :], axis=0)).real, 0.0, None))
    return out


def recursion_counts(p):
    """The win-count pmf deal by deal: P_i(k) = P_{i−1}(k)(1 − pᵢ) + P_{i−1}(k − 1)pᵢ (convex sums: no cancellation)."""
    out = np.zeros(len(p) + 1)
    out[0] = 1.0
    for i, q in enumerate(p):
        out[1 : i + 2] = out[1 : i + 2] * (1 - q) + out[: i + 1] * q
        out[0] *= 1 - q
    return out


@pytest.mark.parametrize("n", [1, 2, 9, 14])
def test_win_count_pmf_matches_full_enumeration(n):
    p = hostile_probabilities(n, seed=n)
    values, probs = enumerate_all(np.ones(n), p)
    counts = np.bincount(values.astype(int), weights=probs, minlength=n + 1)
    assert np.abs(_count_pmf(p) - counts).max() <= 1e-15
    assert np.abs(_bernoulli_product(p) - counts).max() <= 1e-15


def test_win_count_pmf_matches_exact_rational_arithmetic():
    p = hostile_probabilities(60, seed=3)
    exact = [Fraction(1)] + [Fraction(0)] * 60
    for q in map(Fraction, p.tolist()):  # each float's exact value: no rounding anywhere
        exact = [exact[0] * (1 - q)] + [exact[k] * (1 - q) + exact[k - 1] * q for k in range(1, 61)]
    assert len(np.unique(p)) > 32  # the pairwise product, not the binomials
    assert np.abs(_count_pmf(p) - np.array([float(x) for x in exact])).max() <= 1e-15


@pytest.mark.parametrize(
    ("n", "distinct"),
    # distinct chances: as many as deals (the pairwise product), or fewer, each repeated
    [(33, None), (100, None), (513, None), (4097, None), (20_000, None), (300, 40), (5000, 200), (20_000, 400)],
)
def test_win_count_pmf_matches_the_earlier_method_and_the_recursion(n, distinct):
    p = hostile_probabilities(n if distinct is None else distinct, seed=n)
    if distinct is not None:
        p = np.random.default_rng(n).choice(np.unique(p), n)  # 0, 1 and tiny chances among them, each repeated
    new = _count_pmf(p)
    assert len(new) == n + 1 and new.min() >= 0.0
    assert np.abs(new - roots_of_unity_counts(p)).max() <= 1e-12
    assert np.abs(new - recursion_counts(p)).max() <= 1e-12
    assert new.sum() == pytest.approx(1.0, abs=1e-12)
    assert new @ np.arange(n + 1) == pytest.approx(p.sum(), rel=1e-12)


@pytest.mark.parametrize(
    ("deals", "largest"),
    [(2000, 6), (150, 100)],  # few amounts, long leaves: one FFT each; many amounts: short leaves convolved first
)
def test_lattice_is_the_full_distribution_in_its_window(deals, largest):
    rng = np.random.default_rng(5)
    k = rng.integers(0, largest + 1, deals)
    p = hostile_probabilities(deals, seed=5)
    full = np.array([1.0])
    for step, q in zip(k.tolist(), p.tolist(), strict=True):
        deal = np.zeros(step + 1)
        deal[0] += 1 - q
        deal[step] += q
        full = np.convolve(full, deal)
    pmf, base = _lattice_pmf(k, p, cyclic=True)
    inside = np.pad(full, (0, len(pmf)))[base : base + len(pmf)]
    assert base > 0 and base + len(pmf) < len(full)  # a window, not the whole range: the wrap is exercised
    assert full.sum() - inside.sum() <= 1e-15  # Bernstein: what lies outside is below float precision
    assert np.abs(pmf - inside).max() <= 1e-12
    plain, start = _lattice_pmf(k, p)  # from 0 up to the upper Bernstein limit
    assert start == 0 and len(plain) < len(full)
    assert np.abs(plain - full[: len(plain)]).max() <= 1e-12


def test_a_shifted_distribution_moves_every_figure_by_the_sure_amount():
    rng = np.random.default_rng(11)
    a = rng.integers(1, 200, 60) * 100.0
    p = rng.uniform(0.01, 0.2, 60)
    d = revenue_distribution(a, p)
    s = d.shifted(-a.sum())  # every deal lost for sure, as a loss is written: a·Bernoulli(1 − q) − a
    assert s.mean == pytest.approx(d.mean - a.sum()) and s.std == d.std
    assert np.array_equal(s.quantile([0.1, 0.5, 0.9]), d.quantile([0.1, 0.5, 0.9]) - a.sum())
    assert s.prob_at_least(0.0) == pytest.approx(np.prod(p), rel=1e-9)  # the far upper tail moves with it
    assert s.prob_at_least(d.mean - a.sum()) == d.prob_at_least(d.mean)


mixed_scale_deal = hs.tuples(
    hs.one_of(
        hs.floats(0.01, 20.0),  # cents-sized
        hs.floats(100_000.0, 900_000.0),  # hundreds of thousands
        hs.integers(1, 500).map(lambda k: k * 1000.0),  # whole packages
        hs.integers(1, 10**6).map(lambda c: c / 100),  # cents
    ),
    hs.floats(0.0, 1.0),
)


@settings(max_examples=60, deadline=None)
@given(hs.lists(mixed_scale_deal, min_size=1, max_size=16))
def test_stated_quantile_error_is_a_true_bound_on_mixed_scale_pipelines(deals):
    a = np.array([x for x, _ in deals])
    p = np.array([q for _, q in deals])
    values, probs = enumerate_all(a, p)
    d = revenue_distribution(a, p)
    assert d.mean == pytest.approx(float(a @ p), rel=1e-9, abs=1e-9)
    lo, hi = ERROR_LEVELS
    for q in np.linspace(lo, hi, 197):
        want = exact_quantile(values, probs, q)
        assert abs(d.quantile(q) - want) <= d.error + 1e-9 * max(1.0, want), (q, d.method)
    if d.method == "exact":
        for x in np.unique(values):
            assert d.prob_at_least(x) == pytest.approx(probs[values >= x - 1e-9 * max(1.0, x)].sum(), abs=1e-12)


def test_histogram_sums_to_one_and_is_centered_on_the_mean():
    d = revenue_distribution(np.arange(1, 41) * 1000.0, np.full(40, 0.3))
    h = d.histogram(bins=40)
    assert h["prob"].sum() == pytest.approx(1.0, abs=1e-3)
    assert float(h["mid"] @ h["prob"]) == pytest.approx(d.mean, rel=0.02)


def test_uncertain_rates_band_is_wider_and_centered_on_the_beta_mean():
    a = np.full(200, 1000.0)
    groups = np.repeat([0, 1], 100)
    won, lost = np.array([3, 30]), np.array([7, 70])  # same rate 0.3, very different evidence
    mix = uncertain_rates_distribution(a, groups, won, lost, seed=1)
    assert mix.mean == pytest.approx(1000 * 100 * (4 / 12) + 1000 * 100 * (31 / 102))
    independent = revenue_distribution(a, np.full(200, 0.3))
    assert mix.quantile(0.9) - mix.quantile(0.1) > 2 * (independent.quantile(0.9) - independent.quantile(0.1))
    # with overwhelming evidence the band shrinks to the independent one
    sure = uncertain_rates_distribution(a, groups, won * 10_000, lost * 10_000, seed=1)
    assert sure.quantile(0.9) - sure.quantile(0.1) == pytest.approx(
        independent.quantile(0.9) - independent.quantile(0.1), rel=0.1
    )


def test_uncertain_rates_checks_groups():
    with pytest.raises(ParameterError):
        uncertain_rates_distribution([1.0], [2], [1, 1], [1, 1])


@pytest.fixture
def small_dataset():
    config = FunnelConfig(
        [FunnelSpec("main", [StageSpec("Lead", 0.2), StageSpec("Offer", 0.6)], won=["Won"], lost=["Lost"])]
    )
    rows = [
        # deal, stage, status, amount, created, closed, own probability
        ("1", "Won", "won", 100.0, "2025-01-01", "2025-01-11", None),
        ("2", "Won", "won", 300.0, "2025-01-05", "2025-02-04", None),
        ("3", "Lost", "lost", 200.0, "2025-01-10", "2025-01-20", None),
        ("4", "Lead", "open", 1000.0, "2025-02-01", None, 0.5),
        ("5", "Offer", "open", 2000.0, "2025-02-10", None, None),
        ("6", "Odd", "open", 500.0, "2025-02-15", None, 0.1),
    ]
    deals = pd.DataFrame(
        rows, columns=["deal_id", "stage", "status", "amount", "created_at", "closed_at", "probability"]
    )
    deals["funnel"] = "main"
    deals["lost_stage"] = np.where(deals["deal_id"] == "3", "Offer", None)
    deals["segment"] = "new"
    return conform(deals), config


def test_deal_probabilities_follow_sliders_and_own_estimates(small_dataset):
    deals, config = small_dataset
    inputs = prepare_forecast(deals, config)
    assert list(inputs.stages["stage"]) == ["Lead", "Offer"]
    assert list(inputs.stages["open"]) == [1, 1]
    assert list(inputs.stages["reached"]) == [2, 1]
    p = deal_probabilities(inputs, [0.25, 0.75])
    # the deal at a stage outside the config keeps its own probability
    np.testing.assert_allclose(p, [0.25, 0.75, 0.1])
    np.testing.assert_allclose(deal_probabilities(inputs, [0.25, 0.75], own=True), [0.5, 0.75, 0.1])
    with pytest.raises(ParameterError):
        deal_probabilities(inputs, [0.25])
    summary = forecast_summary(revenue_distribution(inputs.open_deals["amount"], p), plan=2000)
    assert summary["mean"] == pytest.approx(1000 * 0.25 + 2000 * 0.75 + 500 * 0.1)
    assert summary["p_plan"] == pytest.approx(0.75)  # only the 2000 deal reaches the plan alone
    assert inputs.as_of == pd.Timestamp("2025-02-15")
    band = rate_uncertainty(inputs)
    # centred on the baseline's rates; the odd-stage deal at its own 0.1
    rates = inputs.stages["rate"].to_numpy()
    assert band.mean == pytest.approx(500 * 0.1 + 1000 * rates[0] + 2000 * rates[1])
    assert band.values.max() <= 3500  # never above the pipeline's largest sum


def test_a_dataset_without_open_deals_forecasts_nothing_and_plans_everything(small_dataset):
    deals, config = small_dataset
    closed = deals[deals["status"] != "open"].reset_index(drop=True)
    inputs = prepare_forecast(closed, config)
    p = deal_probabilities(inputs, [0.2, 0.6])
    assert len(p) == 0
    summary = forecast_summary(revenue_distribution(inputs.open_deals["amount"], p), plan=100)
    assert summary["mean"] == 0 and summary["p_plan"] == 0
    months = month_forecast(inputs, p, months=2)
    assert months["pipeline"].sum() == 0
    stages, funnels = plan_by_funnel(inputs, [0.2, 0.6], p, 1000, 0.9)
    # the whole plan from new deals: 1000 / mean won size 200 = 5 wins, 25 leads at 20 %
    assert funnels.loc[0, "gap"] == 1000 and funnels.loc[0, "wins_mean"] == 5
    assert list(stages["needed_mean"]) == pytest.approx([25, 5 / 0.6])
    assert list(stages["actual"]) == [0, 0]


def test_uncertain_rates_band_matches_a_direct_hierarchical_simulation():
    # 3 stages, 12 deals: few deals, so a real mixture of sums the deals can make
    a = np.array([100, 250, 400, 100, 900, 300, 300, 50, 1200, 700, 150, 600], dtype=float)
    groups = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    won, lost = np.array([2.0, 6.0, 9.0]), np.array([8.0, 6.0, 3.0])
    rates = np.array([0.25, 0.45, 0.7])  # the baseline's (pooled) rates, not won / (won + lost)
    mix = uncertain_rates_distribution(a, groups, won, lost, rates=rates, draws=40_000, seed=3)
    assert mix.mean == pytest.approx(float(a @ rates[groups]))
    # every value is a sum the deals can make, none above their total
    sums, _ = enumerate_all(a, np.full(len(a), 0.5))
    assert np.isin(mix.values, sums).all() and mix.values.max() <= a.sum()
    # the oracle: draw each stage's rate from Beta(r·κ, (1 − r)·κ), κ = won + lost + 2, then each deal's outcome
    rng = np.random.default_rng(99)
    draws = 400_000
    kappa = won + lost + 2
    r = rng.beta(rates * kappa, (1 - rates) * kappa, size=(draws, 3))
    sim = (rng.random((draws, len(a))) < r[:, groups]) @ a
    for x in (500.0, 1500.0, 2500.0, 3500.0):
        f_sim = (sim <= x).mean()
        f_mix = 1.0 - mix.prob_at_least(x + 1e-6)
        se = math.sqrt(f_sim * (1 - f_sim) * (1 / draws + 1 / 40_000))
        assert abs(f_mix - f_sim) <= 4 * se, (x, f_mix, f_sim)


def test_uncertain_rates_without_closed_deals_stay_on_the_configured_probability(small_dataset):
    deals, config = small_dataset
    opened = deals[deals["status"] == "open"].reset_index(drop=True)
    inputs = prepare_forecast(opened, config)
    band = rate_uncertainty(inputs)
    assert band.mean == pytest.approx(1000 * 0.2 + 2000 * 0.6 + 500 * 0.1)
    assert band.values.min() >= 0 and band.values.max() <= 3500


def test_uncertain_rates_on_a_large_pipeline_keep_the_mean_and_the_range():
    rng = np.random.default_rng(4)
    a = rng.lognormal(10, 1, 6000)  # 6000 deals × 4000 draws: past max_simulated, the normal mixture
    groups = rng.integers(0, 4, 6000)
    rates = np.array([0.1, 0.3, 0.5, 0.8])
    mix = uncertain_rates_distribution(a, groups, [3, 10, 40, 8], [30, 20, 40, 2], rates=rates)
    assert mix.mean == pytest.approx(float(a @ rates[groups]))
    assert mix.values.min() >= 0 and mix.values.max() <= a.sum()
    p10, p90 = mix.quantile([0.1, 0.9])
    assert p10 < mix.mean < p90


def test_prob_at_least_of_an_array_reaching_the_far_tail_equals_enumeration():
    # some entries far in the upper tail, others below the mean: each read as it would be alone
    amounts = [5, 2, 14, 11, 26, 24, 13, 17, 18, 26, 1]
    p = [0.51, 0.22, 0.38, 0.036, 1.3e-5, 0.12, 4e-6, 0.23, 2.4e-10, 0.22, 5.4e-7]
    dist = revenue_distribution(amounts, p)
    exact = np.zeros(sum(amounts) + 1)
    for won in itertools.product((0, 1), repeat=len(amounts)):
        exact[sum(a * w for a, w in zip(amounts, won, strict=True))] += math.prod(
            q if w else 1 - q for q, w in zip(p, won, strict=True)
        )
    at_least = exact[::-1].cumsum()[::-1]
    got = dist.prob_at_least(np.arange(158.0))
    assert got == pytest.approx(at_least[:158], rel=1e-4, abs=1e-13)
    assert [dist.prob_at_least(float(x)) for x in range(158)] == got.tolist()


def test_small_binomials_match_scipy_and_their_formula_bit_for_bit():
    # the log-factorials are looked up, not computed per call: the same numbers as computing them
    from scipy import special

    from funnel_model.forecast import _binomial

    for n in (0, 1, 2, 7, 64, 255, 256):
        k = np.arange(n + 1)
        for q in (0.0, 1e-300, 0.013, 0.5, 0.97, 1 - 1e-15, 1.0):
            log = special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(n - k + 1)
            formula = np.exp(log + special.xlogy(k, q) + special.xlog1py(n - k, -q))
            assert np.array_equal(_binomial(n, q), formula)
            np.testing.assert_allclose(_binomial(n, q), stats.binom.pmf(k, n, q), rtol=1e-12, atol=1e-300)
