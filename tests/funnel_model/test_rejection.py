"""Rejection math against independent computations: closed forms, brute force, simulation, published values."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats
from scipy.special import logit

from funnel_model import longest_streak_pmf, prob_better
from funnel_model.errors import ParameterError
from funnel_model.rejection import (
    attempts_distribution,
    attempts_for_confidence,
    attempts_per_deal,
    attempts_to_tell_apart,
    compare_sellers,
    contact_value,
    diff_interval,
    exact_test,
    expected_longest_streak,
    fisher_power,
    longest_run,
    longest_run_span,
    longest_streak_cdf,
    prob_no_deal,
    prob_streak_at_least,
    seller_attempt_rates,
    seller_sequences,
    seller_streaks,
    simulate_month,
)

# ---------------------------------------------------------------- helpers


def _longest_false_runs(outcomes: np.ndarray) -> np.ndarray:
    """Longest run of False per row, by a column scan (independent of the module's code)."""
    current = np.zeros(outcomes.shape[0], dtype=int)
    longest = np.zeros(outcomes.shape[0], dtype=int)
    for column in outcomes.T:
        current = np.where(column, 0, current + 1)
        longest = np.maximum(longest, current)
    return longest


def _enumerated_pmf(n: int, p: float | np.ndarray) -> np.ndarray:
    """P(longest rejection run = k) from all 2^n sequences, each weighted by its probability.

    ``p`` is one rate for every attempt or one rate per attempt.
    """
    rates = np.broadcast_to(np.asarray(p, dtype=float), (n,))
    codes = np.arange(2**n)
    won = ((codes[:, None] >> np.arange(n)) & 1).astype(bool)
    weight = np.prod(np.where(won, rates, 1 - rates), axis=1)
    return np.bincount(_longest_false_runs(won), weights=weight, minlength=n + 1)


def _quadratic_cdf(n: int, p: float | np.ndarray) -> np.ndarray:
    """P(longest rejection run <= k) by the whole O(n^2) table over every cap: the exact
    dynamic programme the module used before it ran only the caps that carry mass."""
    rates = np.broadcast_to(np.asarray(p, dtype=float), (n,))
    caps = np.arange(n + 1)
    table = np.ones((n + 1, n + 1))  # table[m, k] = P(no run longer than k in the first m attempts)
    window = np.zeros(n + 2)  # window[r] = P(the last r attempts all rejected)
    window[0] = 1.0
    for m in range(1, n + 1):
        window[1:] = (1.0 - rates[m - 1]) * window[:-1]
        lag = m - caps - 2
        ends = rates[np.maximum(lag, 0)] * window[caps + 1] * table[np.maximum(lag, 0), caps]
        table[m] = table[m - 1] - np.where(lag >= 0, ends, np.where(lag == -1, window[caps + 1], 0.0))
    return np.clip(table[n], 0.0, 1.0)


# ------------------------------------------------------- attempts to a deal


def test_no_deal_in_ten_attempts_at_ten_percent_is_0_3487():
    assert round(prob_no_deal(0.1, 10), 4) == 0.3487
    assert prob_no_deal(0.1, 10) == pytest.approx(0.9**10, abs=1e-15)


def test_attempts_per_deal_is_the_geometric_mean_and_the_distribution_counts_trials():
    assert attempts_per_deal(0.1) == pytest.approx(10.0)
    assert attempts_per_deal(1.0) == pytest.approx(1.0)
    table = attempts_distribution(0.25, 5)
    assert table["attempt"].tolist() == [1, 2, 3, 4, 5]
    # first deal at attempt k: k - 1 rejections, then a deal
    expected = [0.25 * 0.75 ** (k - 1) for k in range(1, 6)]
    np.testing.assert_allclose(table["probability"], expected, rtol=1e-12)
    np.testing.assert_allclose(table["cumulative"], np.cumsum(expected), rtol=1e-12)


@pytest.mark.parametrize(
    ("p", "confidence", "expected"),
    [(0.1, 0.9, 22), (0.5, 0.75, 2), (0.5, 0.5, 1), (1.0, 0.9, 1), (0.2, 0.9, 11), (0.01, 0.9, 230)],
)
def test_attempts_for_confidence_is_the_smallest_n(p, confidence, expected):
    n = attempts_for_confidence(p, confidence)
    assert n == expected
    assert 1 - (1 - p) ** n >= confidence
    assert n == 1 or 1 - (1 - p) ** (n - 1) < confidence


def test_contact_value_is_deal_value_times_rate():
    assert contact_value(100_000, 0.1) == pytest.approx(10_000)
    assert contact_value(0, 0.3) == 0
    with pytest.raises(ParameterError):
        contact_value(-5, 0.1)


# ----------------------------------------------------------- longest streak


def test_expected_longest_rejection_run_p_0_2_n_50_is_12_50():
    assert f"{expected_longest_streak(50, 0.2):.2f}" == "12.50"


@pytest.mark.parametrize("n", [1, 2, 5, 9, 14])
@pytest.mark.parametrize("p", [0.1, 0.37, 0.5, 0.9])
def test_pmf_matches_enumeration_of_all_sequences(n, p):
    np.testing.assert_allclose(longest_streak_pmf(n, p), _enumerated_pmf(n, p), atol=1e-13)


def test_pmf_agrees_with_a_seeded_simulation():
    n, p, sellers = 40, 0.2, 40_000
    months = np.random.default_rng(20261127).random((sellers, n)) < p
    observed = np.bincount(_longest_false_runs(months), minlength=n + 1) / sellers
    pmf = longest_streak_pmf(n, p)
    # about 4 standard errors of a frequency near its largest value (~0.15)
    assert np.max(np.abs(observed - pmf)) < 4 * math.sqrt(0.15 * 0.85 / sellers)
    expected = np.arange(n + 1) @ pmf
    assert _longest_false_runs(months).mean() == pytest.approx(expected, abs=0.05)


# A rate per attempt: a seller working funnels of very different close rates.
MIXED = np.array([0.05, 0.6, 0.0, 1.0, 0.3, 0.9, 0.12, 0.5, 0.75, 0.02, 0.4, 0.25])


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 8, 12])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pmf_with_a_rate_per_attempt_matches_enumeration_of_all_sequences(n, seed):
    rates = np.random.default_rng(seed).permutation(MIXED)[:n]
    np.testing.assert_allclose(longest_streak_pmf(n, rates), _enumerated_pmf(n, rates), atol=1e-13)


@pytest.mark.parametrize("n", [0, 1, 7, 60, 400, 2500])
@pytest.mark.parametrize("p", [0.0, 0.02, 0.3, 0.9, 1.0])
def test_cdf_equals_the_whole_quadratic_table(n, p):
    # n = 2500 at p = 0.02 and 0.9: caps below and above the mass are cut, and must still read 0 and 1;
    # the table rounds once per attempt near 1 (n * 1.1e-16)
    np.testing.assert_allclose(longest_streak_cdf(n, p), _quadratic_cdf(n, p), rtol=0, atol=1e-13 + n * 1.2e-16)


@pytest.mark.parametrize("seed", range(4))
def test_cdf_with_a_rate_per_attempt_equals_the_whole_quadratic_table(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(200, 1500))
    rates = rng.choice(MIXED, size=n) if seed % 2 else rng.uniform(0.01, 0.7, n)
    expected = _quadratic_cdf(n, rates)
    np.testing.assert_allclose(longest_streak_cdf(n, rates), expected, rtol=0, atol=1e-13 + n * 1.2e-16)


def _recurrence_cdf(n: int, p: float, caps: np.ndarray) -> np.ndarray:
    """P(longest rejection run <= k) for the given caps by A(m) = A(m-1) - p q^r A(m-r-1), r = k + 1,
    A(m) = 1 for m < r and A(r) = 1 - q^r: the textbook recurrence, one attempt at a time."""
    q, r = 1.0 - p, caps + 1
    history = np.ones((n + 1, caps.size))  # history[m] = A(m) per cap
    for m in range(1, n + 1):
        earlier = history[np.maximum(m - r - 1, 0), np.arange(caps.size)]
        first_run = np.where(m - r - 1 >= 0, p * q**r * earlier, np.where(m == r, q**r, 0.0))
        history[m] = history[m - 1] - first_run
    return history[n]


@pytest.mark.parametrize("p", [0.02, 0.05, 0.2, 0.5, 0.9])
@pytest.mark.parametrize("n", [2000, 20_000])
def test_cdf_at_many_attempts_equals_the_recurrence(n, p):
    # at these n one rate is read off the dominant root of the recurrence, not run through it
    cdf = longest_streak_cdf(n, p)
    caps = np.flatnonzero((cdf > 1e-15) & (cdf < 1 - 1e-15))
    np.testing.assert_allclose(cdf[caps], _recurrence_cdf(n, p, caps), rtol=0, atol=1e-13 + n * 1.2e-16)
    assert np.all(np.diff(cdf) >= 0) and cdf[-1] == 1.0


def test_cdf_at_a_million_attempts_is_a_distribution_and_agrees_with_a_seeded_simulation():
    n, p, sellers = 1_000_000, 0.05, 60
    cdf = longest_streak_cdf(n, p)
    assert cdf[-1] == 1.0 and np.all(np.diff(cdf) >= 0)
    # the classical approximation P(longest < r) ~ exp(-n p q^r) at its median
    median = int(np.searchsorted(cdf, 0.5))
    assert cdf[median] == pytest.approx(math.exp(-n * p * 0.95 ** (median + 1)), abs=0.01)
    rng = np.random.default_rng(20261203)
    runs = np.array([longest_run(rng.random(n) < p) for _ in range(sellers)])
    assert np.mean(runs <= median) == pytest.approx(cdf[median], abs=4 * math.sqrt(0.25 / sellers))
    expected = np.arange(n + 1) @ np.diff(cdf, prepend=0.0)
    assert runs.mean() == pytest.approx(expected, abs=4 * runs.std() / math.sqrt(sellers))


def test_cdf_of_a_long_sequence_agrees_with_a_seeded_simulation():
    # 200,000 attempts: far past what the quadratic table can hold (320 GB)
    n, p, sellers = 200_000, 0.3, 400
    rng = np.random.default_rng(20261202)
    runs = np.array([longest_run(rng.random(n) < p) for _ in range(sellers)])
    cdf = longest_streak_cdf(n, p)
    assert cdf[-1] == 1.0 and np.all(np.diff(cdf) >= 0)
    median = int(np.searchsorted(cdf, 0.5))
    # the share of simulated sellers at or below the median run, within 4 standard errors
    assert np.mean(runs <= median) == pytest.approx(cdf[median], abs=4 * math.sqrt(0.25 / sellers))
    assert runs.mean() == pytest.approx(np.arange(n + 1) @ np.diff(cdf, prepend=0.0), abs=4 * runs.std() / 20)


def test_pmf_with_a_rate_per_attempt_by_hand():
    # rates 0.5, 0.1: no rejection 0.05; longest 1: R D (0.5 * 0.1) + D R (0.5 * 0.9); both rejected 0.45
    np.testing.assert_allclose(longest_streak_pmf(2, [0.5, 0.1]), [0.05, 0.5, 0.45])
    assert prob_streak_at_least(2, [0.5, 0.1], 2) == pytest.approx(0.45)
    assert expected_longest_streak(2, [0.5, 0.1]) == pytest.approx(1.4)


@pytest.mark.parametrize(("n", "p"), [(1, 0.5), (12, 0.3), (50, 0.2), (300, 0.05)])
def test_equal_rates_per_attempt_give_the_one_rate_result(n, p):
    np.testing.assert_allclose(longest_streak_pmf(n, np.full(n, p)), longest_streak_pmf(n, p), atol=1e-13)


def test_pmf_with_a_rate_per_attempt_agrees_with_a_seeded_simulation():
    # a hard funnel (8 %) then an easy one (47 %), then the hard one again: the hard stretches make the runs
    rates = np.concatenate([np.full(40, 0.08), np.full(30, 0.47), np.full(30, 0.08)])
    n, sellers = rates.size, 40_000
    months = np.random.default_rng(20261127).random((sellers, n)) < rates
    runs = _longest_false_runs(months)
    observed = np.bincount(runs, minlength=n + 1) / sellers
    pmf = longest_streak_pmf(n, rates)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.max(np.abs(observed - pmf)) < 4 * math.sqrt(0.1 * 0.9 / sellers)
    assert runs.mean() == pytest.approx(np.arange(n + 1) @ pmf, abs=0.15)
    # the same 100 attempts at the pooled rate would make today's runs look far rarer
    pooled = rates.mean()
    assert prob_streak_at_least(n, rates, 30) == pytest.approx(np.mean(runs >= 30), abs=0.01)
    assert prob_streak_at_least(n, pooled, 30) < prob_streak_at_least(n, rates, 30) / 5


@settings(max_examples=30, deadline=None)
@given(rates=st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=120))
def test_pmf_with_a_rate_per_attempt_properties(rates):
    n, rates = len(rates), np.array(rates)
    pmf = longest_streak_pmf(n, rates)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-9)
    assert pmf[0] == pytest.approx(np.prod(rates), abs=1e-12)  # every attempt a deal
    assert pmf[n] == pytest.approx(np.prod(1 - rates), abs=1e-12)  # every attempt rejected
    # the order of the attempts matters, but reversing it does not (a run read backwards is a run)
    np.testing.assert_allclose(longest_streak_pmf(n, rates[::-1]), pmf, atol=1e-9)


def test_a_rate_vector_of_the_wrong_length_or_out_of_range_is_a_parameter_error():
    with pytest.raises(ParameterError) as wrong_length:
        longest_streak_pmf(3, [0.1, 0.2])
    assert wrong_length.value.key == "rejection.error.rates_length"
    with pytest.raises(ParameterError) as out_of_range:
        longest_streak_pmf(2, [0.1, 1.2])
    assert out_of_range.value.key == "rejection.error.p"
    with pytest.raises(ParameterError):
        longest_streak_pmf(2, [0.1, float("nan")])


@pytest.mark.parametrize(("n", "p"), [(0, 0.3), (1, 0.5), (50, 0.2), (365, 0.05), (2000, 0.1), (2000, 0.001)])
def test_pmf_is_a_distribution(n, p):
    pmf = longest_streak_pmf(n, p)
    assert pmf.shape == (n + 1,)
    assert pmf.min() >= 0
    assert pmf.sum() == pytest.approx(1.0, abs=1e-9)
    # no rejection at all = every attempt a deal
    assert pmf[0] == pytest.approx(p**n, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(min_value=1, max_value=150), p=st.floats(min_value=0.0, max_value=1.0))
def test_pmf_properties(n, p):
    pmf = longest_streak_pmf(n, p)
    assert pmf.sum() == pytest.approx(1.0, abs=1e-9)
    # the whole month rejected: the run is n
    assert pmf[n] == pytest.approx((1 - p) ** n, abs=1e-12)
    cdf = longest_streak_cdf(n, p)
    assert np.all(np.diff(cdf) >= -1e-12)
    assert cdf[-1] == pytest.approx(1.0)


def test_edge_cases_zero_rate_full_rate_and_no_attempts():
    np.testing.assert_array_equal(longest_streak_pmf(4, 0.0), [0, 0, 0, 0, 1])
    np.testing.assert_array_equal(longest_streak_pmf(4, 1.0), [1, 0, 0, 0, 0])
    np.testing.assert_array_equal(longest_streak_pmf(0, 0.4), [1.0])
    assert expected_longest_streak(0, 0.4) == 0
    assert expected_longest_streak(7, 0.0) == 7
    assert prob_no_deal(0.0, 12) == 1.0
    assert prob_no_deal(1.0, 3) == 0.0
    assert prob_no_deal(0.3, 0) == 1.0
    assert longest_run([]) == 0
    with pytest.raises(ParameterError):
        attempts_per_deal(0.0)
    with pytest.raises(ParameterError):
        attempts_for_confidence(0.0)


def test_prob_streak_at_least_is_the_pmf_tail():
    pmf = longest_streak_pmf(30, 0.1)
    assert prob_streak_at_least(30, 0.1, 10) == pytest.approx(pmf[10:].sum(), abs=1e-12)
    assert prob_streak_at_least(30, 0.1, 0) == 1.0
    assert prob_streak_at_least(30, 0.1, 31) == 0.0
    # a run of 1 or more = at least one rejection
    assert prob_streak_at_least(30, 0.1, 1) == pytest.approx(1 - 0.1**30)


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [([1, 0, 0, 1, 0, 0, 0], 3), ([0, 0], 2), ([1, 1], 0), ([0, 1, 0], 1), ([0], 1)],
)
def test_longest_run(outcomes, expected):
    assert longest_run(np.array(outcomes, dtype=bool)) == expected


@pytest.mark.parametrize(
    ("outcomes", "span"),
    [([1, 0, 0, 1, 0, 0, 0], (4, 7)), ([0, 0, 1, 0], (0, 2)), ([1, 1], (0, 0)), ([], (0, 0)), ([1, 0, 1], (1, 2))],
)
def test_longest_run_span_locates_the_first_longest_run(outcomes, span):
    won = np.array(outcomes, dtype=bool)
    assert longest_run_span(won) == span
    start, stop = span
    assert stop - start == longest_run(won)
    assert not won[start:stop].any()


# ------------------------------------------------------------ luck or skill


def _prob_better_by_integration(wa, na, wb, nb):
    a, b = stats.beta(1 + wa, 1 + na - wa), stats.beta(1 + wb, 1 + nb - wb)
    return integrate.quad(lambda x: a.pdf(x) * b.cdf(x), 0, 1, epsabs=1e-12)[0]


def test_prob_better_2_of_10_against_1_of_10_is_0_707():
    value = prob_better(2, 10, 1, 10)
    assert round(value, 3) == 0.707
    assert value == pytest.approx(_prob_better_by_integration(2, 10, 1, 10), abs=1e-9)
    rng = np.random.default_rng(7)
    draws = 400_000
    monte_carlo = np.mean(rng.beta(3, 9, draws) > rng.beta(2, 10, draws))
    assert value == pytest.approx(monte_carlo, abs=4 * math.sqrt(0.25 / draws))


@pytest.mark.parametrize(("wa", "na", "wb", "nb"), [(0, 1, 0, 1), (5, 5, 0, 5), (30, 200, 45, 210), (0, 50, 3, 7)])
def test_prob_better_matches_numeric_integration_and_symmetry(wa, na, wb, nb):
    value = prob_better(wa, na, wb, nb)
    assert value == pytest.approx(_prob_better_by_integration(wa, na, wb, nb), abs=1e-8)
    assert value + prob_better(wb, nb, wa, na) == pytest.approx(1.0, abs=1e-10)


def test_newcombe_interval_reproduces_the_published_values():
    # Newcombe (1998), Statistics in Medicine 17:873, table II, method 10
    low, high = diff_interval(56, 70, 48, 80)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)
    low, high = diff_interval(9, 10, 3, 10)
    assert (round(low, 4), round(high, 4)) == (0.1705, 0.8090)


def test_exact_test_is_fishers_two_sided_p_value():
    assert exact_test(2, 10, 1, 10) == pytest.approx(1.0)
    # independent: sum of hypergeometric probabilities no larger than the observed table's
    dist = stats.hypergeom(40, 14, 20)  # 40 attempts, 14 deals, 20 of them seller A's
    probs = dist.pmf(np.arange(15))
    expected = probs[probs <= dist.pmf(11) * (1 + 1e-7)].sum()
    assert exact_test(11, 20, 3, 20) == pytest.approx(expected, rel=1e-9)


def _fisher_power_by_enumeration(n, p_a, p_b, alpha=0.05):
    """Every pair of records, each tested with scipy's fisher_exact: the independent oracle."""
    x = np.arange(n + 1)
    weights = np.outer(stats.binom.pmf(x, n, p_a), stats.binom.pmf(x, n, p_b))
    rejects = np.array([[stats.fisher_exact([[a, n - a], [b, n - b]]).pvalue < alpha for b in x] for a in x])
    return float(weights[rejects].sum())


@pytest.mark.parametrize(("n", "p_a", "p_b"), [(23, 0.9, 0.5), (12, 0.3, 0.1), (7, 0.5, 0.5), (15, 1.0, 0.2)])
def test_fisher_power_matches_enumeration(n, p_a, p_b):
    assert fisher_power(n, p_a, p_b) == pytest.approx(_fisher_power_by_enumeration(n, p_a, p_b), abs=1e-12)


@pytest.mark.parametrize(("p_a", "p_b", "power"), [(0.9, 0.5, 0.8), (0.5, 0.2, 0.8), (0.7, 0.3, 0.9)])
def test_attempts_to_tell_apart_is_where_the_verdicts_exact_test_reaches_the_power(p_a, p_b, power):
    n = attempts_to_tell_apart(p_a, p_b, power=power)
    assert _fisher_power_by_enumeration(n, p_a, p_b) >= power
    assert _fisher_power_by_enumeration(n - 1, p_a, p_b) < power
    assert attempts_to_tell_apart(p_b, p_a, power=power) == n


def test_attempts_to_tell_20_from_10_percent_is_214_for_the_exact_test():
    # R's power.prop.test gives 199, but at 199 attempts Fisher's test (the verdict's) has only 77 % power
    assert fisher_power(199, 0.2, 0.1) == pytest.approx(0.766, abs=0.002)
    assert attempts_to_tell_apart(0.2, 0.1) == 214 and attempts_to_tell_apart(0.1, 0.2) == 214
    assert fisher_power(214, 0.2, 0.1) >= 0.8 > fisher_power(213, 0.2, 0.1)
    assert attempts_to_tell_apart(0.3, 0.3) is None


def test_214_attempts_give_80_percent_power_to_the_exact_test_in_simulation():
    rng = np.random.default_rng(11)
    runs, n = 2000, 214
    a, b = rng.binomial(n, 0.2, runs), rng.binomial(n, 0.1, runs)
    pairs, counts = np.unique(np.stack([a, b], axis=1), axis=0, return_counts=True)
    rejected = sum(c for (x, y), c in zip(pairs, counts, strict=True) if exact_test(int(x), n, int(y), n) < 0.05)
    se = np.sqrt(0.8 * 0.2 / runs)
    assert rejected / runs == pytest.approx(0.8, abs=3 * se)


def test_the_verdict_never_names_the_seller_less_likely_to_be_better():
    # 2 of 10 against 0 of 1: A's raw rate is higher, but B is more likely better (P(A > B) = 0.42)
    assert prob_better(2, 10, 0, 1) < 0.5
    assert compare_sellers(2, 10, 0, 1).verdict == "not_enough"
    for wins_a, n_a, wins_b, n_b in itertools.product(range(7), range(1, 7), range(7), range(1, 7)):
        if wins_a > n_a or wins_b > n_b:
            continue
        result = compare_sellers(wins_a, n_a, wins_b, n_b)
        if result.verdict != "not_enough":
            named_a = result.verdict.startswith("a")
            assert (result.prob_a_better > 0.5) == named_a, (wins_a, n_a, wins_b, n_b)
            assert (result.rate_a > result.rate_b) == named_a


def test_two_of_ten_against_one_of_ten_is_not_enough_evidence():
    result = compare_sellers(2, 10, 1, 10)
    assert result.verdict == "not_enough"
    assert result.attempts_needed == 214
    assert result.diff_low < 0 < result.diff_high
    assert compare_sellers(40, 100, 10, 100).verdict == "a_better"
    assert compare_sellers(10, 100, 40, 100).verdict == "b_better"


def test_a_near_miss_is_suggestive_not_conclusive():
    # 20/100 against 10/100: Fisher p = 0.073 (between 0.05 and 0.10), P(A > B) = 0.975
    near = compare_sellers(20, 100, 10, 100)
    assert near.p_value == pytest.approx(stats.fisher_exact([[20, 80], [10, 90]])[1])
    assert 0.05 <= near.p_value < 0.10
    assert near.verdict == "a_suggestive"
    assert near.attempts_needed == 214 and near.more_attempts == 114  # 214 each, 100 already made
    assert compare_sellers(10, 100, 20, 100).verdict == "b_suggestive"
    # p = 0.18 but P(A > B) = 0.95: the posterior alone makes it suggestive
    leaning = compare_sellers(5, 20, 1, 20)
    assert leaning.p_value > 0.10 and leaning.prob_a_better >= 0.95
    assert leaning.verdict == "a_suggestive"
    # neither: 2/10 against 1/10 and 15/100 against 10/100 stay "not enough"
    assert compare_sellers(2, 10, 1, 10).verdict == "not_enough"
    assert compare_sellers(15, 100, 10, 100).verdict == "not_enough"
    assert compare_sellers(5, 10, 5, 10).more_attempts is None


@pytest.mark.parametrize(
    ("args", "key"),
    [((3, 2, 1, 10), "rejection.error.wins"), ((1, 0, 1, 10), "rejection.error.count"), ((-1, 5, 1, 5), None)],
)
def test_invalid_records_raise_parameter_error(args, key):
    with pytest.raises(ParameterError) as caught:
        prob_better(*args)
    assert isinstance(caught.value, ValueError)
    if key:
        assert caught.value.key == key
    assert caught.value.message("ru") != caught.value.message("en")


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan"), "a lot"])
def test_invalid_rate_raises_parameter_error_with_a_message_key(p):
    with pytest.raises(ParameterError) as caught:
        longest_streak_pmf(10, p)
    assert caught.value.key == "rejection.error.p"
    assert "0.1" in str(caught.value)


def test_negative_attempts_raise_parameter_error():
    with pytest.raises(ParameterError):
        longest_streak_pmf(-1, 0.5)
    with pytest.raises(ParameterError):
        prob_no_deal(0.5, 2.5)


# ------------------------------------------------------------- simulation


def test_simulated_month_is_reproducible_and_has_the_right_rate():
    first = simulate_month(0.1, 30, sellers=4, seed=5)
    assert first.shape == (4, 30) and first.dtype == bool
    np.testing.assert_array_equal(first, simulate_month(0.1, 30, sellers=4, seed=5))
    assert not np.array_equal(first, simulate_month(0.1, 30, sellers=4, seed=6))
    assert simulate_month(0.3, 10_000, seed=1).mean() == pytest.approx(0.3, abs=0.015)
    assert not simulate_month(0.0, 20, seed=1).any()


# --------------------------------------------------------- sellers' records


def _deals() -> pd.DataFrame:
    rows = [
        # owner, status, created_at, closed_at
        ("Anna", "won", "2025-01-01", "2025-01-05"),
        ("Anna", "lost", "2025-01-01", "2025-01-02"),
        ("Anna", "lost", "2025-01-01", "2025-01-03"),
        ("Anna", "lost", None, "2025-01-04"),  # no creation date: its close date places it
        ("Anna", "open", "2025-01-02", None),  # open deals are not attempts
        ("Anna", "won", "2025-01-03", "2025-01-01"),  # opened last, closed first
        ("Boris", "lost", "2025-01-01", "2025-02-01"),
        ("Boris", "won", "2025-01-01", "2025-02-02"),
        (None, "lost", "2025-01-01", "2025-02-03"),  # no seller: left out
    ]
    frame = pd.DataFrame(rows, columns=["owner", "status", "created_at", "closed_at"])
    frame["closed_at"] = pd.to_datetime(frame["closed_at"])
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    return frame


def test_seller_sequences_are_closed_deals_in_the_order_they_were_opened():
    sequences = seller_sequences(_deals())
    assert list(sequences) == ["Anna", "Boris"]
    # Anna, opened 01-01 (ties by close date: lost 01-02, lost 01-03, won 01-05), won 01-03, lost (closed 01-04)
    np.testing.assert_array_equal(sequences["Anna"], [False, False, True, True, False])
    np.testing.assert_array_equal(sequences["Boris"], [False, True])
    # in close order instead: won 01-01, lost 01-02, lost 01-03, lost 01-04, won 01-05
    by_close = seller_sequences(_deals(), time_columns=("closed_at", "created_at"))
    np.testing.assert_array_equal(by_close["Anna"], [True, False, False, False, True])
    assert seller_sequences(_deals().drop(columns="owner")) == {}


def test_seller_streaks_set_the_real_run_against_the_exact_distribution():
    table = seller_streaks(_deals(), min_attempts=3)
    assert table["owner"].tolist() == ["Anna"]
    row = table.iloc[0]
    assert (row["attempts"], row["wins"], row["longest_run"]) == (5, 2, 2)
    assert row["rate"] == pytest.approx(0.4)
    # one funnel: every deal at the seller's own pooled rate, whatever the prior weight
    assert row["p_at_least"] == pytest.approx(prob_streak_at_least(5, 0.4, 2))
    pmf = _enumerated_pmf(5, 0.4)
    assert row["p_at_least"] == pytest.approx(pmf[2:].sum())
    assert row["expected_run"] == pytest.approx(np.arange(6) @ pmf)
    cdf = np.cumsum(pmf)
    assert row["low"] == np.argmax(cdf >= 0.05 - 1e-12)
    assert row["high"] == np.argmax(cdf >= 0.95 - 1e-12)
    assert row["flag"] == "typical"
    assert len(seller_streaks(_deals(), min_attempts=2)) == 2


def _two_funnel_deals() -> pd.DataFrame:
    """Team rates 20 % in «new» and 80 % in «active»; Vera wins 1 of 10 and 9 of 10 there."""
    vera_new = ["lost"] * 5 + ["won"] + ["lost"] * 4
    vera_active = ["won"] * 4 + ["lost"] + ["won"] * 5
    others_new = ["won"] * 3 + ["lost"] * 7
    others_active = ["won"] * 7 + ["lost"] * 3
    status = vera_new + vera_active + others_new + others_active
    return pd.DataFrame(
        {
            "owner": ["Vera"] * 20 + [None] * 20,
            "status": status,
            "funnel": ["new"] * 10 + ["active"] * 10 + ["new"] * 10 + ["active"] * 10,
            "created_at": pd.date_range("2025-01-01", periods=40, freq="D"),
        }
    )


def test_seller_attempt_rates_shrink_each_funnel_rate_toward_the_sellers_skill_in_it():
    # Vera's 10 wins of 20 match the team's funnel rates exactly (2 + 8), so her log-odds shift is 0
    # and each centre is the team's rate: new (1 + 10 * 0.2) / 20 = 0.15, active (9 + 10 * 0.8) / 20 = 0.85.
    rates = seller_attempt_rates(_two_funnel_deals())
    np.testing.assert_allclose(rates["Vera"], [0.15] * 10 + [0.85] * 10)
    raw = seller_attempt_rates(_two_funnel_deals(), prior_deals=0)
    np.testing.assert_allclose(raw["Vera"], [0.1] * 10 + [0.9] * 10)
    # a weak seller keeps their weakness: 2 of 20 in the same funnels give centres below the team's
    weak = _two_funnel_deals()
    weak.loc[weak["owner"].eq("Vera") & weak["funnel"].eq("active"), "status"] = ["won"] + ["lost"] * 9
    weak_rates = seller_attempt_rates(weak)["Vera"]
    assert weak_rates[0] < 0.15 and weak_rates[-1] < 0.5
    # the centres c (rate = (wins + 10 c) / 20 in each funnel) carry one log-odds shift from the team's
    # rates (new 4/20, active now 8/20), and the expected wins at them equal the real wins, 1 + 1
    centre_new, centre_active = (weak_rates[0] * 20 - 1) / 10, (weak_rates[-1] * 20 - 1) / 10
    assert 10 * centre_new + 10 * centre_active == pytest.approx(2)
    assert logit(centre_new) - logit(4 / 20) == pytest.approx(logit(centre_active) - logit(8 / 20))
    # no funnel column: one funnel, every deal at the seller's pooled rate
    pooled = seller_attempt_rates(_two_funnel_deals().drop(columns="funnel"))
    np.testing.assert_allclose(pooled["Vera"], 0.5)
    with pytest.raises(ParameterError):
        seller_attempt_rates(_two_funnel_deals(), prior_deals=-1)


def test_a_losing_run_in_the_hard_funnel_is_judged_at_that_funnels_rate():
    # 30 attraction deals (2 won, a run of 25 losses) then 30 easy ones (20 won): 22 of 60 in all
    status = ["lost"] * 3 + ["won"] + ["lost"] * 25 + ["won"] + (["won", "won", "lost"] * 10)
    deals = pd.DataFrame(
        {
            "owner": "Vera",
            "status": status,
            "funnel": ["new"] * 30 + ["active"] * 30,
            "created_at": pd.date_range("2025-01-01", periods=60, freq="D"),
        }
    )
    row = seller_streaks(deals).iloc[0]
    rates = np.array([2 / 30] * 30 + [20 / 30] * 30)  # Vera is the team: each centre is her own funnel rate
    np.testing.assert_allclose(seller_attempt_rates(deals)["Vera"], rates)
    assert (row["attempts"], row["wins"], row["longest_run"]) == (60, 22, 25)
    assert row["p_at_least"] == pytest.approx(prob_streak_at_least(60, rates, 25), rel=1e-12)
    assert row["p_at_least"] == pytest.approx(0.2442, abs=5e-5)
    assert (row["low"], row["high"], row["flag"]) == (10, 30, "typical")
    assert row["expected_run"] == pytest.approx(19.20, abs=0.005)
    # one pooled rate (22/60) would call the same run a one-in-6500 event
    pooled = seller_streaks(deals.drop(columns="funnel")).iloc[0]
    assert pooled["p_at_least"] == pytest.approx(prob_streak_at_least(60, 22 / 60, 25))
    assert pooled["p_at_least"] < 2e-4
    assert (pooled["low"], pooled["high"], pooled["flag"]) == (4, 12, "long")


def test_an_unusually_long_run_is_flagged():
    # 40 deals at 50 %: 20 wins spread out, then 20 losses in a row at the end
    outcomes = ["won", "lost"] * 10 + ["lost"] * 10 + ["won"] * 10
    deals = pd.DataFrame(
        {
            "owner": "Vera",
            "status": outcomes,
            "created_at": pd.date_range("2025-01-01", periods=len(outcomes), freq="D"),
        }
    )
    row = seller_streaks(deals).iloc[0]
    assert row["longest_run"] == 11
    assert row["flag"] == "long"
    assert row["p_at_least"] < 0.05


@pytest.mark.parametrize(
    ("p", "confidence", "expected"),
    [(0.5, 0.75, 2), (0.1, 0.19, 2), (0.2, 0.36, 2), (0.5, 0.875, 3), (0.3, 0.657, 3), (0.1, 0.271, 3)],
)
def test_attempts_for_confidence_is_exact_at_ties(p, confidence, expected):
    # exact rational oracle on the decimals as written: 1 - (1 - p)^n against the confidence
    def reaches(n):
        return 1 - (1 - Fraction(str(p))) ** n >= Fraction(str(confidence))

    oracle = next(n for n in itertools.count(1) if reaches(n))
    assert oracle == expected and 1 - (1 - Fraction(str(p))) ** expected == Fraction(str(confidence))
    assert attempts_for_confidence(p, confidence) == expected
    assert attempts_for_confidence(np.float32(p), np.float32(confidence)) == expected
    assert attempts_for_confidence(p, confidence + 1e-12) == expected + 1


def test_public_functions_accept_numpy_scalars():
    from funnel_model.plan import leads_needed
    from funnel_model.stats import wilson_interval

    f32 = np.float32
    assert attempts_for_confidence(f32(0.1), f32(0.9)) == attempts_for_confidence(0.1, 0.9) == 22
    assert attempts_per_deal(f32(0.25)) == 4.0
    assert attempts_distribution(np.float64(0.5), np.int64(3))["cumulative"].tolist() == [0.5, 0.75, 0.875]
    assert prob_no_deal(f32(0.5), np.int32(2)) == 0.25
    assert attempts_to_tell_apart(np.float64(0.9), f32(0.5), alpha=f32(0.05), power=f32(0.8)) == 23
    assert prob_better(np.int64(5), np.int64(20), np.int32(1), np.int16(20)) == prob_better(5, 20, 1, 20)
    pmf = longest_streak_pmf(np.int64(3), f32(0.5))
    np.testing.assert_allclose(pmf, [1 / 8, 4 / 8, 2 / 8, 1 / 8], rtol=1e-6)  # 8 sequences of three, by hand
    # leads_needed: a float32 0.9 is a valid confidence; binomial tail oracle at the boundary
    n = leads_needed(np.int64(10), f32(0.02), f32(0.9))
    assert n == 708 and stats.binom.sf(9, n, 0.02) >= 0.9 > stats.binom.sf(9, n - 1, 0.02)
    assert leads_needed(1, 0.5, 0.75) == 2 and leads_needed(1, 0.1, 0.19) == 2  # exact at ties there too
    low, high = wilson_interval(np.int64(2), np.int64(40), f32(0.95))
    assert float(low) == pytest.approx(0.013821, abs=1e-6) and float(high) == pytest.approx(0.165039, abs=1e-6)
