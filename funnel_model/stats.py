"""Small statistical helpers shared by several areas (pure numpy/scipy).

One implementation each, so that every page computes an interval the same
way: :func:`wilson_interval` serves calibration (and is meant to serve the
rejection math's score intervals too).
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction

import numpy as np
from scipy import stats

from funnel_model.errors import ParameterError

__all__ = ["at_least_with_confidence", "decimal", "holm", "is_real", "wilson_interval"]


def wilson_interval(k, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial share k / n.

    Parameters
    ----------
    k, n : array_like
        Successes and trials (broadcast together); n = 0 gives NaN.
    level : float
        Two-sided coverage, e.g. 0.95 (z = 1.959964).

    Returns
    -------
    (low, high) : tuple of ndarray
        Clipped to [0, 1].

    Raises
    ------
    ParameterError
        When ``level`` is not strictly between 0 and 1.
    """
    real = isinstance(level, (int, float, np.integer, np.floating)) and not isinstance(level, (bool, np.bool_))
    if not real or not 0.0 < float(level) < 1.0:
        raise ParameterError("error.parameter", name="level", rule="between 0 and 1 (exclusive)", value=level)
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(0.5 + float(level) / 2.0)
    safe = np.where(n > 0, n, 1.0)
    # n = 0 rows are NaN anyway: a share of 0 there keeps the square root quiet
    p = np.where(n > 0, k / safe, 0.0)
    denom = 1.0 + z * z / safe
    centre = (p + z * z / (2.0 * safe)) / denom
    half = z * np.sqrt(p * (1.0 - p) / safe + z * z / (4.0 * safe * safe)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjusted p-values; NaN entries are not tested and stay NaN.

    Rejecting where the adjusted value is below α keeps the chance of any
    false rejection among the tested hypotheses at most α, whatever their
    dependence (Holm 1979).
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    tested = np.flatnonzero(np.isfinite(p))
    if not tested.size:
        return out
    order = tested[np.argsort(p[tested], kind="stable")]
    m = order.size
    scaled = (m - np.arange(m)) * p[order]
    out[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return out


def is_real(x) -> bool:
    """True for a real number of any kind (int, float, numpy scalar), False for bools and everything else."""
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_))


def decimal(x) -> Fraction:
    """The exact value of a number as it prints: 0.1 is 1/10, a float32 0.9 is 9/10.

    Probabilities typed by a person are decimals; read this way, 1 − 0.9² equals
    0.19 exactly, which binary floating point does not see.
    """
    try:
        return Fraction(str(x))
    except (TypeError, ValueError):
        return Fraction(float(x))


_EXACT_TIE_LIMIT = 5000  # trials up to which a near tie is settled in exact arithmetic


def at_least_with_confidence(n: int, wins: int, p, confidence) -> bool:
    """Whether P(Binomial(n, p) ≥ wins) ≥ ``confidence``, exact at ties.

    Decided in floating point unless the two sides are within 1e-6 of each
    other; then (for n up to 5000) in exact rational arithmetic on the decimal
    values of ``p`` and ``confidence`` (:func:`decimal`), so that a
    probability equal to the confidence counts as reaching it: with p = 0.1,
    two attempts give a deal with probability 0.19 exactly.
    """
    n, wins = int(n), int(wins)
    if wins <= 0:
        return True
    if wins > n:
        return False
    reached = float(stats.binom.sf(wins - 1, n, float(p)))
    if abs(reached - float(confidence)) > 1e-6 or n > _EXACT_TIE_LIMIT:  # 1e-6: float32 inputs too
        return reached >= float(confidence)
    rate, miss = decimal(p), 1 - decimal(p)
    short = sum(math.comb(n, k) * rate**k * miss ** (n - k) for k in range(wins))
    return 1 - short >= decimal(confidence)
