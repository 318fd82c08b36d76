"""Small statistical helpers shared by several areas (pure numpy/scipy).

One implementation each, so that every page computes an interval the same
way: :func:`wilson_interval` serves calibration (and is meant to serve the
rejection math's score intervals too).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from funnel_model.errors import ParameterError

__all__ = ["holm", "poisson_binomial_pmf", "wilson_interval"]


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


def poisson_binomial_pmf(probabilities) -> np.ndarray:
    """P(exactly k successes), k = 0..n, of independent trials with the given probabilities.

    The exact distribution, built one trial at a time (O(n²), a few
    milliseconds for thousands of trials); with equal probabilities it is the
    binomial.
    """
    p = np.clip(np.asarray(probabilities, dtype=float).ravel(), 0.0, 1.0)
    pmf = np.zeros(p.size + 1)
    pmf[0] = 1.0
    for i, q in enumerate(p, start=1):
        pmf[1 : i + 1] = pmf[1 : i + 1] * (1.0 - q) + pmf[:i] * q
        pmf[0] *= 1.0 - q
    return pmf
