"""Small statistical helpers shared by several areas (pure numpy/scipy).

One implementation each, so that every page computes an interval the same
way: :func:`wilson_interval` serves calibration (and is meant to serve the
rejection math's score intervals too).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from funnel_model.errors import ParameterError

__all__ = ["wilson_interval"]


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
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0.0 < float(level) < 1.0:
        raise ParameterError("error.parameter", name="level", rule="between 0 and 1 (exclusive)", value=level)
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(0.5 + level / 2.0)
    safe = np.where(n > 0, n, 1.0)
    p = k / safe
    denom = 1.0 + z * z / safe
    centre = (p + z * z / (2.0 * safe)) / denom
    half = z * np.sqrt(p * (1.0 - p) / safe + z * z / (4.0 * safe * safe)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high
