"""Rejection math: what a close rate of p means for a seller's month.

Attempts are independent Bernoulli trials; a deal has probability ``p`` and a
rejection ``1 - p``. Everything here is exact (closed forms or a dynamic
programme) except :func:`simulate_month`, which is a seeded simulation meant
for showing what equal sellers' months look like.

All functions are pure: numbers and tables in, numbers and tables out.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import as_strided
from scipy import optimize, special, stats

from funnel_model.errors import ParameterError
from funnel_model.schema import LOST, WON
from funnel_model.stats import at_least_with_confidence, wilson_interval

__all__ = [
    "ABComparison",
    "attempts_distribution",
    "attempts_for_confidence",
    "attempts_per_deal",
    "attempts_to_tell_apart",
    "compare_sellers",
    "contact_value",
    "diff_interval",
    "exact_test",
    "expected_longest_streak",
    "fisher_power",
    "longest_run",
    "longest_run_span",
    "longest_streak_cdf",
    "longest_streak_pmf",
    "prob_better",
    "prob_no_deal",
    "prob_streak_at_least",
    "seller_attempt_rates",
    "seller_sequences",
    "seller_streaks",
    "simulate_month",
]


# ---------------------------------------------------------------- validation


def _check_p(p: float, name: str = "p", *, open_low: bool = False) -> float:
    try:
        value = float(p)
    except (TypeError, ValueError):
        raise ParameterError("rejection.error.p", name=name, value=p) from None
    if not (0.0 <= value <= 1.0) or (open_low and value == 0.0):
        key = "rejection.error.p_positive" if open_low else "rejection.error.p"
        raise ParameterError(key, name=name, value=p)
    return value


def _check_count(n: int, name: str = "n", *, minimum: int = 0) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < minimum:
        # floats that hold a whole number (2.0 from a slider) are accepted
        if isinstance(n, (float, np.floating)) and float(n).is_integer() and n >= minimum:
            return int(n)
        raise ParameterError("rejection.error.count", name=name, minimum=minimum, value=n)
    return int(n)


def _check_wins(wins: int, n: int, who: str) -> tuple[int, int]:
    n = _check_count(n, f"n_{who}", minimum=1)
    wins = _check_count(wins, f"wins_{who}")
    if wins > n:
        raise ParameterError("rejection.error.wins", who=who, wins=wins, n=n)
    return wins, n


# ----------------------------------------------------------- attempts to deal


def attempts_per_deal(p: float) -> float:
    """Average number of attempts per deal, ``1 / p`` (mean of the geometric law).

    Parameters
    ----------
    p : float
        Close rate, 0 < p <= 1.

    Returns
    -------
    float
    """
    p = _check_p(p, open_low=True)
    return 1.0 / p  # stats.geom.mean(p), without its warnings at p = 1


def attempts_distribution(p: float, max_attempts: int) -> pd.DataFrame:
    """P(the first deal comes at attempt k), k = 1..max_attempts.

    ``scipy.stats.geom`` counts trials (the deal included), which is what a
    seller counts.

    Parameters
    ----------
    p : float
        Close rate, 0 < p <= 1.
    max_attempts : int
        Last attempt shown.

    Returns
    -------
    pandas.DataFrame
        Columns ``attempt`` (1..max_attempts), ``probability`` and
        ``cumulative`` (P(first deal at or before this attempt)).
    """
    p = _check_p(p, open_low=True)
    max_attempts = _check_count(max_attempts, "max_attempts", minimum=1)
    k = np.arange(1, max_attempts + 1)
    return pd.DataFrame({"attempt": k, "probability": stats.geom.pmf(k, p), "cumulative": stats.geom.cdf(k, p)})


def prob_no_deal(p: float, n: int) -> float:
    """P(no deal at all in ``n`` attempts) = (1 - p)^n.

    Parameters
    ----------
    p : float
        Close rate, 0 <= p <= 1.
    n : int
        Attempts, n >= 0.

    Returns
    -------
    float
    """
    p = _check_p(p)
    n = _check_count(n)
    return float((1.0 - p) ** n)


def attempts_for_confidence(p: float, confidence: float = 0.9) -> int:
    """Smallest n with P(at least one deal in n attempts) >= ``confidence``.

    Exact at ties: a probability equal to the confidence reaches it, with
    ``p`` and ``confidence`` read as the decimals they print as (p = 0.1 and
    confidence 0.19 give 2). numpy scalars are accepted.

    Parameters
    ----------
    p : float
        Close rate, 0 < p <= 1.
    confidence : float, default 0.9
        Wanted probability of at least one deal, 0 < confidence < 1.

    Returns
    -------
    int
    """
    raw_p, raw_confidence = p, confidence
    p = _check_p(p, open_low=True)
    confidence = _check_p(confidence, "confidence", open_low=True)
    if confidence == 1.0 and p < 1.0:
        raise ParameterError("rejection.error.confidence", value=confidence)
    if p == 1.0:
        return 1
    n = max(int(stats.geom.ppf(confidence, p)), 1)
    # ppf works in floating point; settle the boundary exactly, on the values as typed (p = 0.5,
    # confidence 0.75 gives 2: two attempts reach 75 % exactly)
    while n > 1 and at_least_with_confidence(n - 1, 1, raw_p, raw_confidence):
        n -= 1
    while not at_least_with_confidence(n, 1, raw_p, raw_confidence):
        n += 1
    return n


def contact_value(deal_value: float, p: float) -> float:
    """What one contact is worth on average: ``deal_value * p``.

    Parameters
    ----------
    deal_value : float
        Average value of a won deal, >= 0.
    p : float
        Close rate, 0 <= p <= 1.

    Returns
    -------
    float
    """
    p = _check_p(p)
    value = float(deal_value)
    if not math.isfinite(value) or value < 0:
        raise ParameterError("rejection.error.deal_value", value=deal_value)
    return value * p


# ------------------------------------------------------------ rejection runs


def _rates(n: int, p: float | np.ndarray) -> float | np.ndarray:
    """A checked close rate: one number, or one rate per attempt (an array of length ``n``)."""
    if np.ndim(p) == 0:
        return _check_p(p)
    rates = np.asarray(p, dtype=float)
    if rates.ndim != 1 or rates.size != n:
        raise ParameterError("rejection.error.rates_length", n=n, size=rates.size)
    if rates.size and not (np.all(rates >= 0.0) and np.all(rates <= 1.0)):
        bad = rates[~((rates >= 0.0) & (rates <= 1.0))][0]
        raise ParameterError("rejection.error.p", name="p", value=bad)
    return rates


# Caps whose answer is within this of 0 or 1 are not computed (below what a float near 1 can show).
_STREAK_TAIL = 1e-18


def _window_products(q: np.ndarray, width: int) -> np.ndarray:
    """``out[i] = q[i - width + 1] * ... * q[i]``, 0 where the window starts before ``q``.

    Van Herk / Gil-Werman: prefix and suffix products within blocks of ``width``,
    so every window is one product of two numbers, O(n) and exact for zeros.
    """
    n = q.size
    out = np.zeros(n)
    if width > n:
        return out
    blocks = -(-n // width)
    padded = np.ones(blocks * width)
    padded[:n] = q
    grid = padded.reshape(blocks, width)
    prefix = np.cumprod(grid, axis=1).ravel()
    suffix = np.cumprod(grid[:, ::-1], axis=1)[:, ::-1].ravel()
    end = np.arange(width - 1, n)
    start = end - width + 1
    out[width - 1 :] = np.where(start % width == 0, prefix[end], suffix[start] * prefix[end])
    return out


def _last_true(low: int, high: int, ok) -> int:
    """The largest k in [low, high] with ``ok(k)`` by bisection, assuming ``ok(low)``."""
    while low < high:
        mid = (low + high + 1) // 2
        if ok(mid):
            low = mid
        else:
            high = mid - 1
    return low


def _scalar_streak_caps(n: int, q: float) -> tuple[int, int]:
    """:func:`_streak_caps` for one rate: the same bounds in closed form, O(log n) instead of O(n log n)."""

    def surely_below(k: int) -> bool:  # floor(n / k) disjoint windows of k, each all rejected with q^k
        if k < 1:
            return True
        with np.errstate(divide="ignore"):
            return bool((n // k) * np.log1p(-(q**k)) <= math.log(_STREAK_TAIL))

    def not_surely_above(k: int) -> bool:  # n - k + 1 windows of k
        return k == 0 or (k <= n and (n - k + 1) * q**k > _STREAK_TAIL)

    low = _last_true(0, n, surely_below)
    high = _last_true(0, n, not_surely_above)
    return low, max(low, high)


# The dominant root stands in for the recurrence once the other roots' share, at most (q x)^(n+1), is below this.
_ROOT_SHARE = 1e-20


def _dominant_root_cdf(n: int, p: float, caps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(longest run <= k) for one rate at large n from the dominant root of the recurrence, and where it holds.

    For a cap k (runs of r = k + 1 forbidden) the generating function of
    A(m) = P(no run of r in m attempts) is (1 - q^r s^r) / (1 - s + p q^r s^(r+1))
    (Feller, vol. 1, XIII.7, with the roles of success and failure swapped).
    When r p > q its denominator has one root x = 1 + d in (1, 1/q) and, by
    Rouche's theorem on circles between x and 1/q, every other root (1/q is
    cancelled by the numerator) lies at |s| >= 1/q, so
    A(n) = (1 - q x) / (p (r + 1 - r x)) x^-(n+1) (1 + O((q x)^(n+1))).
    u = log d solves u = log(p q^r) + (r + 1) log(1 + e^u), found by Newton's
    method from u = log(p q^r) (from below, where the function is concave and
    increasing, so the steps stay below the root); everything is in logarithms
    and log1p, so A near 0 and near 1 both keep their digits, and a d below
    the smallest float is no trouble. Caps where r p <= q or
    (q x)^(n+1) > _ROOT_SHARE are left to the recurrence (``held`` is False
    there).
    """
    q = 1.0 - p
    r = caps + 1.0
    held = r * p > q
    log_c = math.log(p) + r * math.log1p(-p)
    u = log_c.copy()
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(200):
            share = np.exp(u) / (1.0 + np.exp(u))  # d / (1 + d)
            slope = 1.0 - (r + 1.0) * share
            step = np.where(held, (u - log_c - (r + 1.0) * np.log1p(np.exp(u))) / np.where(held, slope, 1.0), 0.0)
            u = u - step
            if np.all(np.abs(step) <= 1e-15):
                break
        delta = np.exp(u)
        held &= (n + 1.0) * (math.log1p(-p) + np.log1p(delta)) <= math.log(_ROOT_SHARE)
        log_a = np.log1p(-q * delta / p) - np.log1p(-r * delta) - (n + 1.0) * np.log1p(delta)
    return np.where(held, np.exp(log_a), 0.0), held


def _streak_caps(q: np.ndarray) -> tuple[int, int]:
    """Caps [low, high] outside which P(longest <= k) is within _STREAK_TAIL of 0 (below) or 1 (above).

    Above: P(longest > k) <= the sum over windows of k + 1 attempts of P(all rejected).
    Below: P(longest <= k) <= the product over disjoint windows of k + 1 of P(not all rejected).
    Either bound only has to hold at the cap found: the true distribution function is monotone.
    """
    n = q.size

    def surely_below(k: int) -> bool:  # P(longest <= k - 1) is negligible
        width = k
        if width < 1:
            return True
        ends = _window_products(q, width)[width - 1 :: width]
        with np.errstate(divide="ignore"):
            return bool(np.sum(np.log1p(-ends)) <= math.log(_STREAK_TAIL))

    def not_surely_above(k: int) -> bool:  # P(longest > k - 1) is not negligible
        return k == 0 or float(_window_products(q, k).sum()) > _STREAK_TAIL

    low = _last_true(0, n, surely_below)
    high = _last_true(0, n, not_surely_above)
    return low, max(low, high)


def _streak_cdf_caps(q: np.ndarray, p: np.ndarray, low: int, high: int) -> np.ndarray:
    """P(longest run <= k) for k = low..high by the recurrence of :func:`longest_streak_cdf`.

    All caps advance together, a block of attempts at a time: within a block
    no longer than the shortest forbidden run, every A(m - r - 1) the
    recurrence needs lies before the block, so the block is one cumulative sum
    per cap. Cap k + 1 reads one attempt further back than cap k, so each
    operand is a strided view (a row step of one element less), not a gather.
    The complement 1 - A(m) is what is summed: near 1 it keeps the digits
    that A itself would round away.
    """
    n = q.size
    caps = high - low + 1
    run_low, run_high = low + 1, high + 1
    block = low + 2
    # values[i, m - base] = 1 - A(m) for cap low + i; A(m) = 1 for m < r (and A(-1) = 1)
    width = run_high + 2 + 64 * block
    values = np.zeros((caps, width))
    base = -run_high - 1
    # attempt j (1-based) at index offset + j; attempts before the first are never rejections
    offset = run_high + 1
    q_at = np.zeros(n + 1 + offset)
    q_at[offset + 1 :] = q
    p_at = np.zeros(n + 1 + offset)
    p_at[offset + 1 :] = p
    p_at[offset] = 1.0  # a run ending at attempt r is a first run: as if attempt 0 were a deal
    shortest = np.concatenate([[0.0], _window_products(q, run_low)])  # W_{low+1}(m), m = 0..n
    step = q_at.strides[0]
    # q_later[i, m] = q_{m - r + 1} for cap low + 1 + i; deal_before[i, m] = p_{m - r} for cap low + i
    q_later = as_strided(q_at[offset - run_low :], shape=(caps - 1, n + 1), strides=(-step, step))
    deal_before = as_strided(p_at[offset - run_low :], shape=(caps, n + 1), strides=(-step, step))
    # lagged[i, c - lead] = values[i, c - r - 1] for cap low + i: the 1 - A(m - r - 1) read at column c = m - base
    lead = run_high + 1
    lagged = as_strided(
        values.reshape(-1)[lead - run_low - 1 :], shape=(caps, width - lead), strides=(values.strides[0] - step, step)
    )
    window = np.empty((caps, block))
    for start in range(1, n + 1, block):
        size = min(block, n + 1 - start)
        if start + size - base > width:
            # keep the columns later blocks still read: A(m) from m = start - r_high - 1 on
            keep = start - lead - base
            values[:, : width - keep] = values[:, keep:]
            base += keep
        part = window[:, :size]
        part[0] = shortest[start : start + size]
        # W_{r+1}(m) = W_r(m) q_{m-r}: one cumulative product down the caps
        part[1:] = q_later[:, start : start + size]
        np.cumprod(part, axis=0, out=part)
        column = start - base
        earlier = lagged[:, column - lead : column - lead + size]
        first_run_ends = np.cumsum((1.0 - earlier) * deal_before[:, start : start + size] * part, axis=1)
        values[:, column : column + size] = values[:, column - 1 : column] + first_run_ends
    return 1.0 - values[:, n - base]


def longest_streak_cdf(n: int, p: float | np.ndarray) -> np.ndarray:
    """P(longest run of rejections in ``n`` attempts <= k), k = 0..n.

    A dynamic programme over run length, run for every cap k at once. For a
    cap k (runs of r = k + 1 are forbidden), let A(m) be P(no run of r in the
    first m attempts). A(m) = 1 for m < r, and a first run of r ends at
    attempt m exactly when attempt m - r was a deal (or m = r), the r after it
    rejections and the first m - r - 1 attempts had no such run. Attempts are
    independent, so with p_j the close rate of attempt j and q_j = 1 - p_j:
    A(m) = A(m - 1) - A(m - r - 1) p_{m-r} q_{m-r+1}...q_m, and A(r) = 1 -
    q_1...q_r. The recurrence needs independence only, not equal rates, so a
    rate per attempt (a seller working several funnels) is exact too; with one
    rate the products are q^r.

    Only the caps where the answer is neither 0 nor 1 to within 1e-18 are run
    (found by bounds that hold exactly, see :func:`_streak_caps`): their
    number grows like log(n) / p, so time is O(n log(n) / p) and memory
    O(n), not O(n^2) (a million attempts at p = 0.3 in seconds).

    Parameters
    ----------
    n : int
        Attempts, n >= 0.
    p : float or array_like of float
        Close rate of every attempt, or one rate per attempt in order
        (length ``n``); a rejection has probability 1 - p.

    Returns
    -------
    numpy.ndarray
        Shape (n + 1,), non-decreasing, last value 1.
    """
    n = _check_count(n)
    rates = _rates(n, p)
    if n == 0:
        return np.ones(1)
    if np.ndim(rates) and rates.size and np.all(rates == rates[0]):
        rates = float(rates[0])  # one rate written out per attempt: the one-rate answer, computed as such
    p_each = np.broadcast_to(np.asarray(rates, dtype=float), (n,))
    q_each = 1.0 - p_each
    one_rate = np.ndim(rates) == 0 and 0.0 < rates < 1.0
    low, high = _scalar_streak_caps(n, 1.0 - rates) if one_rate else _streak_caps(q_each)
    cdf = np.zeros(n + 1)
    cdf[high + 1 :] = 1.0
    split = high + 1  # caps from here up are read off the dominant root
    if one_rate:
        values, held = _dominant_root_cdf(n, rates, np.arange(low, high + 1))
        # held is False below some cap and True from it on (r p - q and q x both improve with r)
        split = low + int(np.argmax(held)) if held.any() else high + 1
        cdf[split : high + 1] = values[split - low :]
    if split > low:
        cdf[low:split] = _streak_cdf_caps(q_each, p_each, low, split - 1)
    cdf = np.clip(cdf, 0.0, 1.0)
    return np.maximum.accumulate(cdf) if one_rate else cdf


def longest_streak_pmf(n: int, p: float | np.ndarray) -> np.ndarray:
    """P(longest run of rejections in ``n`` attempts = k), k = 0..n.

    Exact (see :func:`longest_streak_cdf`); rejections have probability
    ``1 - p``. Linear in n for a given rate (see :func:`longest_streak_cdf`).

    Parameters
    ----------
    n : int
        Attempts, n >= 0.
    p : float or array_like of float
        Close rate, 0 <= p <= 1: one for every attempt, or one per attempt
        in order (length ``n``).

    Returns
    -------
    numpy.ndarray
        Shape (n + 1,), sums to 1. ``n = 0`` gives ``[1.0]``.
    """
    cdf = longest_streak_cdf(n, p)
    pmf = np.diff(cdf, prepend=0.0)
    return np.clip(pmf, 0.0, None)


def expected_longest_streak(n: int, p: float | np.ndarray) -> float:
    """Expected longest run of rejections in ``n`` attempts.

    Parameters
    ----------
    n : int
        Attempts, n >= 0.
    p : float or array_like of float
        Close rate, 0 <= p <= 1, or one per attempt (length ``n``).

    Returns
    -------
    float
    """
    pmf = longest_streak_pmf(n, p)
    return float(np.arange(pmf.size) @ pmf)


def prob_streak_at_least(n: int, p: float | np.ndarray, run: int) -> float:
    """P(a run of at least ``run`` rejections happens in ``n`` attempts).

    Read as: the share of sellers at this rate who live through such a run.

    Parameters
    ----------
    n : int
        Attempts, n >= 0.
    p : float or array_like of float
        Close rate, 0 <= p <= 1, or one per attempt (length ``n``).
    run : int
        Run length, >= 0.

    Returns
    -------
    float
    """
    run = _check_count(run, "run")
    if run == 0:
        return 1.0
    cdf = longest_streak_cdf(n, p)
    return float(1.0 - cdf[run - 1]) if run - 1 <= n else 0.0


def longest_run(outcomes: np.ndarray) -> int:
    """Longest run of rejections (False values) in a win/lose sequence.

    Parameters
    ----------
    outcomes : array_like of bool
        True for a deal, False for a rejection, in time order.

    Returns
    -------
    int
    """
    won = np.asarray(outcomes, dtype=bool)
    if won.size == 0:
        return 0
    # positions of deals, with sentinels before and after the sequence
    deals = np.flatnonzero(np.concatenate(([True], won, [True])))
    return int(np.max(np.diff(deals)) - 1)


def longest_run_span(outcomes: np.ndarray) -> tuple[int, int]:
    """Where the (first) longest run of rejections is: ``(start, stop)``, a slice.

    Parameters
    ----------
    outcomes : array_like of bool
        True for a deal, False for a rejection, in time order.

    Returns
    -------
    (int, int)
        ``outcomes[start:stop]`` is the run; ``(0, 0)`` when there is none.
    """
    won = np.asarray(outcomes, dtype=bool)
    deals = np.flatnonzero(np.concatenate(([True], won, [True])))
    gaps = np.diff(deals) - 1
    if won.size == 0 or gaps.max() == 0:
        return 0, 0
    best = int(np.argmax(gaps))
    start = int(deals[best])  # index in outcomes of the first rejection (the sentinel shifts by one)
    return start, start + int(gaps[best])


# ------------------------------------------------------------- luck or skill


def prob_better(wins_a: int, n_a: int, wins_b: int, n_b: int) -> float:
    """P(seller A's close rate > seller B's) under uniform Beta(1, 1) priors.

    Posteriors are Beta(1 + wins, 1 + n - wins). With integer parameters the
    probability has a closed form (a finite sum over the first posterior's
    first shape parameter, Evan Miller's "Formulas for Bayesian A/B testing"):
    P(X_A > X_B) = Σ_{i<α_A} B(α_B + i, β_A + β_B) /
    ((β_A + i) B(1 + i, β_A) B(α_B, β_B)). Computed in logs.

    Parameters
    ----------
    wins_a, n_a : int
        Seller A's deals and attempts (0 <= wins_a <= n_a, n_a >= 1).
    wins_b, n_b : int
        Seller B's deals and attempts.

    Returns
    -------
    float
    """
    wins_a, n_a = _check_wins(wins_a, n_a, "a")
    wins_b, n_b = _check_wins(wins_b, n_b, "b")
    alpha_a, beta_a = 1 + wins_a, 1 + n_a - wins_a
    alpha_b, beta_b = 1 + wins_b, 1 + n_b - wins_b
    i = np.arange(alpha_a)
    log_terms = (
        special.betaln(alpha_b + i, beta_a + beta_b)
        - np.log(beta_a + i)
        - special.betaln(1 + i, beta_a)
        - special.betaln(alpha_b, beta_b)
    )
    return float(np.clip(np.exp(special.logsumexp(log_terms)), 0.0, 1.0))


def diff_interval(wins_a: int, n_a: int, wins_b: int, n_b: int, level: float = 0.95) -> tuple[float, float]:
    """Newcombe's hybrid score interval for rate A - rate B.

    Combines the two Wilson score intervals (Newcombe 1998, method 10); it
    stays inside [-1, 1] and behaves well for small counts and rates near 0.

    Parameters
    ----------
    wins_a, n_a, wins_b, n_b : int
        Deals and attempts of sellers A and B.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    (float, float)
        Lower and upper bound of the difference.
    """
    wins_a, n_a = _check_wins(wins_a, n_a, "a")
    wins_b, n_b = _check_wins(wins_b, n_b, "b")
    level = _check_p(level, "level", open_low=True)
    rate_a, rate_b = wins_a / n_a, wins_b / n_b
    low_a, high_a = (float(x) for x in wilson_interval(wins_a, n_a, level))
    low_b, high_b = (float(x) for x in wilson_interval(wins_b, n_b, level))
    diff = rate_a - rate_b
    low = diff - math.sqrt((rate_a - low_a) ** 2 + (high_b - rate_b) ** 2)
    high = diff + math.sqrt((high_a - rate_a) ** 2 + (rate_b - low_b) ** 2)
    return low, high


def exact_test(wins_a: int, n_a: int, wins_b: int, n_b: int) -> float:
    """Two-sided Fisher exact test p-value for "A and B have the same rate".

    Parameters
    ----------
    wins_a, n_a, wins_b, n_b : int
        Deals and attempts of sellers A and B.

    Returns
    -------
    float
        The p-value; small (below 0.05, say) means the difference is unlikely
        to be luck alone.
    """
    wins_a, n_a = _check_wins(wins_a, n_a, "a")
    wins_b, n_b = _check_wins(wins_b, n_b, "b")
    table = [[wins_a, n_a - wins_a], [wins_b, n_b - wins_b]]
    return float(stats.fisher_exact(table, alternative="two-sided").pvalue)


_EXACT_POWER_LIMIT = 1000  # attempts per seller up to which the power is computed exactly


def fisher_power(n: int, p_a: float, p_b: float, alpha: float = 0.05) -> float:
    """Exact power of :func:`exact_test` at ``alpha`` with ``n`` attempts per seller.

    The probability, when the sellers' true rates are ``p_a`` and ``p_b``,
    that Fisher's two-sided exact test gives a p-value below ``alpha``: a sum
    over every pair of records (x deals of n, y deals of n) of their
    binomial probability, where the p-value of each record is computed from
    the hypergeometric law given x + y deals, as scipy's ``fisher_exact``
    does. Totals x + y further than ten standard deviations from their mean
    carry less than 1e-20 of the probability and are skipped.

    Parameters
    ----------
    n : int
        Attempts per seller, >= 1.
    p_a, p_b : float
        True close rates.
    alpha : float, default 0.05
        Significance level (the verdict's: reject when p < alpha).

    Returns
    -------
    float
    """
    n = _check_count(n, "n", minimum=1)
    p_a, p_b = _check_p(p_a, "p_a"), _check_p(p_b, "p_b")
    alpha = _check_p(alpha, "alpha", open_low=True)
    x = np.arange(n + 1)
    log_a, log_b = stats.binom.logpmf(x, n, p_a), stats.binom.logpmf(x, n, p_b)
    mean = n * (p_a + p_b)
    sd = math.sqrt(n * (p_a * (1 - p_a) + p_b * (1 - p_b)))
    first, last = max(0, math.floor(mean - 10 * sd) - 2), min(2 * n, math.ceil(mean + 10 * sd) + 2)
    totals = np.arange(first, last + 1)[:, None]
    other = totals - x[None, :]  # the other seller's deals, per total (row) and split (column)
    valid = (other >= 0) & (other <= n)
    other = np.clip(other, 0, n)
    log_choose = special.gammaln(n + 1) - special.gammaln(x + 1) - special.gammaln(n - x + 1)
    total_choose = special.gammaln(2 * n + 1) - special.gammaln(totals + 1) - special.gammaln(2 * n - totals + 1)
    # hypergeometric: how the deals split between the sellers when the rates are equal (0 off the table)
    null = np.exp(np.where(valid, log_choose[x][None, :] + log_choose[other] - total_choose, -np.inf))
    order = np.argsort(null, axis=1, kind="stable")
    ascending = np.take_along_axis(null, order, axis=1)
    mass = np.cumsum(ascending, axis=1)
    # p-value of a split: the null mass of the splits no more likely than it, with scipy's 1e-7 relative
    # tolerance; a split ties with at most a few neighbours in the sorted row (the mirror split, the modes)
    last_tied = np.broadcast_to(np.arange(n + 1), null.shape).copy()
    for k in (1, 2, 3):
        if k > n:
            break
        tied = ascending[:, k:] <= ascending[:, :-k] * (1 + 1e-7)
        last_tied[:, :-k] = np.where(tied, np.arange(k, n + 1), last_tied[:, :-k])
    p_sorted = np.take_along_axis(mass, last_tied, axis=1)
    p_values = np.empty_like(p_sorted)
    np.put_along_axis(p_values, order, p_sorted, axis=1)
    rejected = valid & (p_values < alpha)
    joint = np.exp(log_a[None, :] + log_b[other])
    return float(min(joint[rejected].sum(), 1.0))


def attempts_to_tell_apart(p_a: float, p_b: float, alpha: float = 0.05, power: float = 0.8) -> int | None:
    """Attempts per seller for the verdict's test to tell p_a from p_b.

    The verdict of :func:`compare_sellers` rests on Fisher's exact test
    (:func:`exact_test`), so this is the number of attempts each seller needs
    for that test at ``alpha`` to reject equal rates with probability
    ``power`` (:func:`fisher_power`, exact). The exact power climbs with n in
    small jitters; the answer is the first n at or above which it reaches
    ``power``, found by bisection from the Casagrande–Pike–Smith formula
    (the normal approximation with continuity correction, Fleiss, Levin &
    Paik, *Statistical Methods for Rates and Proportions*, 3rd ed., eq. 4.15),
    with n − 1 falling short. Beyond 1000 attempts per seller that formula is
    used as it is (within about a point of power there). The uncorrected
    formula (R's ``power.prop.test``: 199 for 20 % against 10 %) gives the
    exact test only about 77 % power; this gives 80 %.

    Parameters
    ----------
    p_a, p_b : float
        The two close rates.
    alpha : float, default 0.05
        Two-sided significance level.
    power : float, default 0.8
        Wanted probability of detecting the difference.

    Returns
    -------
    int or None
        Attempts per seller; None when the rates are equal (no number of
        attempts tells equal rates apart).
    """
    p_a, p_b = _check_p(p_a, "p_a"), _check_p(p_b, "p_b")
    alpha = _check_p(alpha, "alpha", open_low=True)
    power = _check_p(power, "power", open_low=True)
    if p_a == p_b:
        return None
    pooled = (p_a + p_b) / 2
    z_alpha = stats.norm.ppf(1 - alpha / 2)
    z_power = stats.norm.ppf(power)
    root = z_alpha * math.sqrt(2 * pooled * (1 - pooled)) + z_power * math.sqrt(p_a * (1 - p_a) + p_b * (1 - p_b))
    plain = root**2 / (p_a - p_b) ** 2
    corrected = max(math.ceil(plain / 4 * (1 + math.sqrt(1 + 4 / (plain * abs(p_a - p_b)))) ** 2 - 1e-9), 1)
    if corrected > _EXACT_POWER_LIMIT:
        return corrected
    return _exact_attempts(p_a, p_b, alpha, power, corrected)


@functools.lru_cache(maxsize=256)  # a page rerun asks again for the same two records: ~0.1 s saved each time
def _exact_attempts(p_a: float, p_b: float, alpha: float, power: float, corrected: int) -> int:
    """The first n whose exact power reaches ``power``, bracketed around ``corrected`` then bisected."""

    def enough(m: int) -> bool:
        return fisher_power(m, p_a, p_b, alpha) >= power

    # bracket: low falls short (or is 0), high reaches the power
    low, high, step = corrected - 1, corrected, 1
    if enough(high):
        while low > 0 and enough(low):
            high, low, step = low, max(low - 2 * step, 0), 2 * step
    else:
        low = high
        while not enough(high):
            if high > 4 * _EXACT_POWER_LIMIT:
                return high
            low, high, step = high, high + 2 * step, 2 * step
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if enough(middle) else (middle, high)
    return high


@dataclass(frozen=True)
class ABComparison:
    """Seller A against seller B, all the luck-or-skill figures at once.

    Attributes
    ----------
    rate_a, rate_b : float
        Observed close rates.
    prob_a_better : float
        P(A's rate > B's) under uniform priors (:func:`prob_better`).
    diff_low, diff_high : float
        Newcombe interval for rate A - rate B (:func:`diff_interval`).
    p_value : float
        Fisher exact two-sided p-value (:func:`exact_test`).
    attempts_needed : int or None
        Attempts per seller for the verdict's exact test to tell the
        observed rates apart at ``alpha`` with ``power``
        (:func:`attempts_to_tell_apart`); None when they are equal.
    verdict : {"not_enough", "a_suggestive", "b_suggestive", "a_better", "b_better"}
        Graded, so a near miss does not read like no evidence at all. The
        seller named is always the one with ``prob_a_better`` (or its
        complement) above one half, and the one with the higher raw rate;
        when the two disagree (2 of 10 against 0 of 1) the verdict is
        "not_enough".
        "a_better"/"b_better" when the exact test rejects equal rates at
        ``alpha``; "a_suggestive"/"b_suggestive" when it only rejects at
        ``suggestive_alpha`` or one seller is better with probability at
        least ``suggestive_prob``; "not_enough" otherwise.
    more_attempts : int or None
        Attempts each seller still needs beyond the smaller record to reach
        ``attempts_needed`` (at least 1); None when the rates are equal.
    """

    rate_a: float
    rate_b: float
    prob_a_better: float
    diff_low: float
    diff_high: float
    p_value: float
    attempts_needed: int | None
    verdict: str
    more_attempts: int | None = None


def compare_sellers(
    wins_a: int,
    n_a: int,
    wins_b: int,
    n_b: int,
    alpha: float = 0.05,
    power: float = 0.8,
    level: float = 0.95,
    suggestive_alpha: float = 0.10,
    suggestive_prob: float = 0.95,
) -> ABComparison:
    """Luck or skill: every figure comparing two sellers' records.

    Parameters
    ----------
    wins_a, n_a, wins_b, n_b : int
        Deals and attempts of sellers A and B.
    alpha : float, default 0.05
        Significance level of the exact test and of the sample-size formula.
    power : float, default 0.8
        Power for the sample-size formula.
    level : float, default 0.95
        Level of the interval for the difference.
    suggestive_alpha : float, default 0.10
        A p-value below this (but not below ``alpha``) is suggestive evidence.
    suggestive_prob : float, default 0.95
        A chance at least this high that one seller is better is suggestive
        evidence too, whatever the p-value.

    Returns
    -------
    ABComparison
    """
    p_value = exact_test(wins_a, n_a, wins_b, n_b)
    rate_a, rate_b = wins_a / n_a, wins_b / n_b
    low, high = diff_interval(wins_a, n_a, wins_b, n_b, level)
    prob_a = prob_better(wins_a, n_a, wins_b, n_b)
    # the seller named is the one more likely better; records whose raw rates say the opposite say nothing
    leader = "a" if prob_a > 0.5 else "b" if prob_a < 0.5 else ""
    if not leader or (rate_a > rate_b) != (leader == "a") or rate_a == rate_b:
        verdict = "not_enough"
    elif p_value < alpha:
        verdict = f"{leader}_better"
    elif p_value < suggestive_alpha or max(prob_a, 1 - prob_a) >= suggestive_prob:
        verdict = f"{leader}_suggestive"
    else:
        verdict = "not_enough"
    needed = attempts_to_tell_apart(rate_a, rate_b, alpha, power)
    return ABComparison(
        rate_a=rate_a,
        rate_b=rate_b,
        prob_a_better=prob_a,
        diff_low=low,
        diff_high=high,
        p_value=p_value,
        attempts_needed=needed,
        verdict=verdict,
        more_attempts=None if needed is None else max(needed - min(n_a, n_b), 1),
    )


# -------------------------------------------------------------- a month of it


def simulate_month(p: float, n: int, sellers: int = 1, seed: int | None = 0) -> np.ndarray:
    """Simulated attempts of ``sellers`` equal sellers, seeded.

    Parameters
    ----------
    p : float
        Everyone's close rate.
    n : int
        Attempts per seller.
    sellers : int, default 1
        Number of sellers.
    seed : int or None, default 0
        Seed of ``numpy.random.default_rng``; the same seed gives the same
        month.

    Returns
    -------
    numpy.ndarray
        Bool array of shape (sellers, n): True for a deal.
    """
    p = _check_p(p)
    n = _check_count(n)
    sellers = _check_count(sellers, "sellers", minimum=1)
    rng = np.random.default_rng(seed)
    return rng.random((sellers, n)) < p


# ---------------------------------------------------------- sellers' records


def _closed_in_order(
    deals: pd.DataFrame,
    owner: str,
    status: str,
    time_columns: tuple[str, ...],
    won: str,
    lost: str,
    funnel: str | None = None,
) -> pd.DataFrame:
    """Closed deals with a seller, sorted by seller then time: columns owner, won, funnel."""
    if owner not in deals.columns or status not in deals.columns:
        return pd.DataFrame(
            {"owner": pd.Series(dtype=str), "won": pd.Series(dtype=bool), "funnel": pd.Series(dtype=str)}
        )
    closed = deals[deals[status].isin([won, lost]) & deals[owner].notna()]
    # the first present time is the deal's place; the columns after it break ties
    times = [pd.to_datetime(closed[column]) for column in time_columns if column in closed.columns]
    when = pd.Series(pd.NaT, index=closed.index, dtype="datetime64[ns]")
    for time in times:
        when = when.fillna(time)
    funnels = closed[funnel].fillna("").astype(str) if funnel and funnel in closed.columns else ""
    keys = {"owner": closed[owner].astype(str), "when": when} | {f"tie{i}": t for i, t in enumerate(times[1:])}
    ordered = pd.DataFrame(
        keys | {"won": closed[status].eq(won), "funnel": funnels, "row": np.arange(len(closed))}
    ).sort_values([*keys, "row"], na_position="last", kind="stable")
    return ordered[["owner", "won", "funnel"]]


def seller_sequences(
    deals: pd.DataFrame,
    *,
    owner: str = "owner",
    status: str = "status",
    time_columns: tuple[str, ...] = ("created_at", "closed_at"),
    won: str = WON,
    lost: str = LOST,
) -> dict[str, np.ndarray]:
    """Each seller's closed deals in time order as a win/lose sequence.

    Parameters
    ----------
    deals : pandas.DataFrame
        Canonical deal table (see :mod:`funnel_model.schema`).
    owner, status : str
        Column names of the seller and the deal status.
    time_columns : tuple of str
        Columns giving a deal's time: the first present non-missing value
        places the deal, the later columns break ties. Deals without any time
        keep their table order after the dated ones. By default deals are in
        the order they were opened, each one an attempt. Not the close order:
        how long a deal takes depends on its outcome (losses close much
        sooner than wins), so in close order an export's first months hold
        the quick losses alone and every seller seems to start on a long
        losing run.
    won, lost : str
        Status values of won and lost deals; open deals are left out.

    Returns
    -------
    dict of str to numpy.ndarray
        Seller → bool array (True for a won deal), sellers in name order.
        Deals with no seller are left out.
    """
    ordered = _closed_in_order(deals, owner, status, time_columns, won, lost)
    return {name: group["won"].to_numpy(bool) for name, group in ordered.groupby("owner", sort=True)}


def _skill_shift(won: np.ndarray, size: np.ndarray, team_logit: np.ndarray) -> float:
    """The log-odds shift s with Σ size · expit(team_logit + s) = Σ won: a seller's skill across funnels."""
    wins = float(won.sum())

    def surplus(shift: float) -> float:
        return float(size @ special.expit(team_logit + shift)) - wins

    # past ±60 log-odds every rate is 0 or 1 to double precision
    if surplus(-_MAX_SHIFT) >= 0:
        return -_MAX_SHIFT
    if surplus(_MAX_SHIFT) <= 0:
        return _MAX_SHIFT
    return float(optimize.brentq(surplus, -_MAX_SHIFT, _MAX_SHIFT, xtol=1e-12))


_MAX_SHIFT = 60.0


def seller_attempt_rates(
    deals: pd.DataFrame,
    *,
    prior_deals: float = 10.0,
    owner: str = "owner",
    status: str = "status",
    funnel: str = "funnel",
    time_columns: tuple[str, ...] = ("created_at", "closed_at"),
    won: str = WON,
    lost: str = LOST,
) -> dict[str, np.ndarray]:
    """Each closed deal's close rate, for the seller and funnel it belongs to.

    Sellers work several funnels with very different rates (winning a new
    client is much harder than selling again to an active one), so one
    pooled rate per seller makes a run of losses in the hard funnel look
    impossibly long. Each deal gets instead the seller's own rate in that
    deal's funnel, (wins + m · c) / (deals + m) with m = ``prior_deals``:
    the posterior mean under a Beta prior worth m deals centred on c, the
    seller's skill carried to that funnel. c is the funnel's team rate
    shifted in log-odds by one amount per seller, the shift that makes the
    seller's expected wins over all their deals equal their real wins.

    Why this centre: the question is "is this run bad luck at *this
    seller's* skill?", so the seller's own rate must stay what is held
    fixed. Where they closed many deals in a funnel their own rate there
    dominates (150 deals: 94 % own); in a funnel where they closed 3 deals,
    2/3 or 0/3 is noise that would make those deals look near-certain wins
    or certain losses, and the team's rate alone would swap the seller's
    skill for the team's. With a single funnel, c is the seller's pooled
    rate and so is every deal's rate.

    Parameters
    ----------
    deals : pandas.DataFrame
        Canonical deal table.
    prior_deals : float, default 10.0
        Weight m of the centre, in deals; 0 uses each seller's raw rate per
        funnel.
    owner, status, funnel : str
        Column names of the seller, the deal status and the funnel; without
        a funnel column every deal is in one funnel.
    time_columns : tuple of str
        Time order, as in :func:`seller_sequences`.
    won, lost : str
        Status values of won and lost deals.

    Returns
    -------
    dict of str to numpy.ndarray
        Seller → close rate of each closed deal, in the order of
        :func:`seller_sequences`.
    """
    prior_deals = float(prior_deals)
    if not (math.isfinite(prior_deals) and prior_deals >= 0):
        raise ParameterError("rejection.error.prior_deals", value=prior_deals)
    ordered = _closed_in_order(deals, owner, status, time_columns, won, lost, funnel)
    if ordered.empty:
        return {}
    # the team's rate per funnel: every closed deal counts, with a seller or not
    closed = deals[deals[status].isin([won, lost])]
    by_funnel = closed[funnel].fillna("").astype(str) if funnel in closed.columns else pd.Series("", index=closed.index)
    team = closed[status].eq(won).groupby(by_funnel).mean()
    team_logit = special.logit(team.clip(1e-9, 1 - 1e-9))
    cell = ordered.groupby(["owner", "funnel"])["won"].agg(["sum", "size"])
    cell["team_logit"] = team_logit.reindex(cell.index.get_level_values("funnel")).to_numpy()
    shift = {
        name: _skill_shift(group["sum"].to_numpy(float), group["size"].to_numpy(float), group["team_logit"].to_numpy())
        for name, group in cell.groupby(level="owner")
    }
    centre = special.expit(cell["team_logit"] + cell.index.get_level_values("owner").map(shift).to_numpy())
    rate = (cell["sum"] + prior_deals * centre) / (cell["size"] + prior_deals)
    per_deal = rate.reindex(pd.MultiIndex.from_frame(ordered[["owner", "funnel"]])).to_numpy()
    owners = ordered["owner"].to_numpy()
    return {name: per_deal[owners == name] for name in sorted(shift)}


def seller_streaks(
    deals: pd.DataFrame,
    *,
    min_attempts: int = 10,
    quantiles: tuple[float, float] = (0.05, 0.95),
    unusual: float = 0.05,
    prior_deals: float = 10.0,
    funnel: str = "funnel",
    **columns: object,
) -> pd.DataFrame:
    """Per seller: close rate and real longest rejection run against chance.

    For each seller with at least ``min_attempts`` closed deals, the longest
    run of lost deals in time order is set against the exact distribution of
    the longest run for someone closing the same deals, in the same order,
    each at the seller's own rate in that deal's funnel
    (:func:`seller_attempt_rates`, :func:`longest_streak_cdf` with a rate per
    attempt). A run longer than the range is bad luck or a real problem
    worth a look; shorter than the range is unusually even.

    Parameters
    ----------
    deals : pandas.DataFrame
        Canonical deal table.
    min_attempts : int, default 10
        Sellers with fewer closed deals are left out (too few to say).
    quantiles : (float, float), default (0.05, 0.95)
        The expected range of the longest run.
    unusual : float, default 0.05
        A run is flagged when P(longest >= observed) or P(longest <= observed)
        falls below this.
    prior_deals : float, default 10.0
        Weight, in deals, of the seller's skill carried to a funnel against
        their raw rate in it (see :func:`seller_attempt_rates`).
    funnel : str, default "funnel"
        Column of the funnel; without it every deal is in one funnel.
    **columns
        Column names passed to :func:`seller_sequences`.

    Returns
    -------
    pandas.DataFrame
        One row per seller: ``owner``, ``attempts``, ``wins``, ``rate``
        (observed, all funnels), ``longest_run``, ``expected_run``, ``low``,
        ``high``, ``p_at_least`` (P(longest >= observed) at the seller's
        funnel rates) and ``flag`` ("long", "short" or "typical"); sorted by
        ``p_at_least``.
    """
    min_attempts = _check_count(min_attempts, "min_attempts", minimum=1)
    rates_by_seller = seller_attempt_rates(deals, prior_deals=prior_deals, funnel=funnel, **columns)
    rows = []
    for name, outcomes in seller_sequences(deals, **columns).items():
        n = outcomes.size
        if n < min_attempts:
            continue
        wins = int(outcomes.sum())
        observed = longest_run(outcomes)
        cdf = longest_streak_cdf(n, rates_by_seller[name])
        pmf = np.diff(cdf, prepend=0.0)
        p_at_least = float(1.0 - cdf[observed - 1]) if observed > 0 else 1.0
        p_at_most = float(cdf[observed])
        flag = "long" if p_at_least < unusual else "short" if p_at_most < unusual else "typical"
        rows.append(
            {
                "owner": name,
                "attempts": n,
                "wins": wins,
                "rate": wins / n,
                "longest_run": observed,
                "expected_run": float(np.arange(n + 1) @ pmf),
                # smallest k with P(longest <= k) >= q; 1e-12 absorbs rounding
                "low": int(np.searchsorted(cdf, quantiles[0] - 1e-12)),
                "high": int(np.searchsorted(cdf, quantiles[1] - 1e-12)),
                "p_at_least": p_at_least,
                "flag": flag,
            }
        )
    columns_out = [
        "owner",
        "attempts",
        "wins",
        "rate",
        "longest_run",
        "expected_run",
        "low",
        "high",
        "p_at_least",
        "flag",
    ]
    table = pd.DataFrame(rows, columns=columns_out)
    return table.sort_values(["p_at_least", "owner"], kind="stable").reset_index(drop=True)
