"""Revenue of an open pipeline: the distribution of S = Σ aᵢ·Bernoulli(pᵢ).

Deal i brings its amount aᵢ with probability pᵢ, independently of the others.
Small pipelines are computed on a lattice: every amount is put on a grid of
step h (split between its two neighbouring grid points with the probabilities
that keep its mean), and the per-deal distributions are multiplied together
by convolution in a pairwise tree (``scipy.signal.fftconvolve`` once the
arrays are long). When every amount is a multiple of the grid step the result
is exact. Large pipelines use the Lugannani–Rice saddlepoint approximation,
whose quantile error is measured in the tests against a seeded 200,000-draw
Monte Carlo and stated in :attr:`RevenueDistribution.error`.

:func:`uncertain_rates_distribution` widens the band for the case where each
stage's true win rate is itself unknown (drawn from its historical Beta and
shared by all the deals of that stage).

The public signature ``revenue_distribution(amounts, probabilities, *,
method="auto", max_points=16384, exact_max_deals=2000)`` is a contract: the
compensation page calls it per seller.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import signal, special

from funnel_model.errors import ParameterError

__all__ = [
    "METHODS",
    "SADDLEPOINT_REL_ERROR",
    "RevenueDistribution",
    "revenue_distribution",
    "uncertain_rates_distribution",
]

METHODS = ("auto", "lattice", "saddlepoint")
# Largest quantile error of the saddlepoint method against a 200,000-draw
# Monte Carlo in tests/funnel_model/test_forecast.py, as a share of the
# standard deviation of S (the tests assert it for several pipelines of
# 3,000-20,000 deals; the Monte Carlo itself is good to about 0.006 sd).
SADDLEPOINT_REL_ERROR = 0.02
# Below this many grid cells np.convolve is faster than an FFT.
_FFT_MIN = 64


@dataclass(frozen=True)
class RevenueDistribution:
    """Distribution of pipeline revenue.

    Attributes
    ----------
    mean : float
        E[S] = Σ aᵢ pᵢ, exact whatever the method.
    std : float
        Standard deviation of S, exact.
    values : ndarray
        Increasing support grid (currency).
    cdf : ndarray
        P(S ≤ values[k]).
    method : str
        "exact" (lattice with every amount on the grid), "lattice" (amounts
        split between grid points), "saddlepoint", "mixture" (stage rates
        uncertain) or "point" (no randomness at all).
    discrete : bool
        True when ``values`` is the whole support (lattice methods): quantiles
        are grid values, not interpolated.
    error : float
        Stated absolute error of a quantile, in currency: 0 when exact; for
        the lattice the grid step plus two standard deviations of the
        rounding noise (conservative: checked against enumeration and a
        Monte Carlo in the tests); for the saddlepoint the largest error
        measured in the tests, as a share of the standard deviation.
    step : float
        Grid step of the lattice (0 for continuous approximations).
    """

    mean: float
    std: float
    values: np.ndarray
    cdf: np.ndarray
    method: str
    discrete: bool
    error: float
    step: float = 0.0

    def quantile(self, q):
        """Smallest revenue x with P(S ≤ x) ≥ q; ``q`` scalar or array in [0, 1]."""
        qa = np.asarray(q, dtype=float)
        if np.any(~np.isfinite(qa)) or np.any((qa < 0) | (qa > 1)):
            raise ParameterError("error.parameter", name="q", rule="between 0 and 1", value=q)
        if self.discrete:
            # a hair of tolerance: FFT round-off must not push an exact tie to the next atom
            idx = np.searchsorted(self.cdf, qa - 1e-12, side="left")
            out = self.values[np.minimum(idx, len(self.values) - 1)]
        else:
            # interpolate in normal scores, where a smooth cdf is nearly a straight line
            cdf, keep = np.unique(_probit(self.cdf), return_index=True)
            out = np.interp(_probit(qa), cdf, self.values[keep]) if len(cdf) > 1 else np.full(qa.shape, self.values[0])
        return float(out) if out.ndim == 0 else out

    def prob_at_least(self, x):
        """P(S ≥ x); ``x`` scalar or array."""
        xa = np.asarray(x, dtype=float)
        if self.discrete:
            # tolerance of half a step: the lattice carries values to float precision only
            tol = self.step * 1e-9 if self.step else 1e-9
            idx = np.searchsorted(self.values, xa - tol, side="left")
            below = np.where(idx > 0, self.cdf[np.maximum(idx - 1, 0)], 0.0)
        else:
            below = special.ndtr(np.interp(xa, self.values, _probit(self.cdf), left=-np.inf, right=np.inf))
        out = np.clip(1.0 - below, 0.0, 1.0)
        return float(out) if out.ndim == 0 else out

    def histogram(self, bins: int = 60) -> pd.DataFrame:
        """Probability per revenue bin, for charts.

        Returns
        -------
        DataFrame
            ``lo``, ``hi``, ``mid``, ``prob`` (sums to 1 over the bins that
            cover the P0.05 %–P99.95 % range, or the whole support).
        """
        lo, hi = self.quantile(0.0005), self.quantile(0.9995)
        if hi <= lo:
            return pd.DataFrame({"lo": [lo], "hi": [lo], "mid": [lo], "prob": [1.0]})
        edges = np.linspace(lo, hi, bins + 1)
        if self.discrete:
            # bin k holds the atoms in (edges[k], edges[k+1]]; the first bin also holds edges[0]
            idx = np.searchsorted(self.values, edges, side="right") - 1
            upper = np.where(idx >= 0, self.cdf[np.maximum(idx, 0)], 0.0)
            prob = np.diff(upper)
            prob[0] += upper[0]
        else:
            prob = np.diff(1.0 - self.prob_at_least(edges))
        return pd.DataFrame({"lo": edges[:-1], "hi": edges[1:], "mid": (edges[:-1] + edges[1:]) / 2, "prob": prob})


def _probit(q):
    # clipped so that cdf values of exactly 0 and 1 stay finite grid anchors
    return special.ndtri(np.clip(q, 1e-15, 1 - 1e-15))


def _validate(amounts, probabilities) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(amounts, dtype=float).ravel()
    p = np.asarray(probabilities, dtype=float).ravel()
    if a.shape != p.shape:
        raise ParameterError("error.parameter", name="probabilities", rule=f"one per amount ({len(a)})", value=len(p))
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        bad = a[~(np.isfinite(a) & (a >= 0))][0]
        raise ParameterError("error.parameter", name="amounts", rule="finite and ≥ 0", value=bad)
    if np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        bad = p[~(np.isfinite(p) & (p >= 0) & (p <= 1))][0]
        raise ParameterError("error.parameter", name="probabilities", rule="between 0 and 1", value=bad)
    return a, p


def _point(value: float) -> RevenueDistribution:
    return RevenueDistribution(value, 0.0, np.array([value]), np.array([1.0]), "point", True, 0.0, 0.0)


def _grid_step(a: np.ndarray, max_points: int) -> tuple[float, bool]:
    """The lattice step, and whether every amount sits exactly on it."""
    total = float(a.sum())
    if np.all(a == np.round(a)) and total < 2**53:
        g = float(np.gcd.reduce(a.astype(np.int64)))
        if total / g <= max_points:
            return g, True
    return total / max_points, False


def _convolve(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if min(len(x), len(y)) < _FFT_MIN:
        return np.convolve(x, y)
    out = signal.fftconvolve(x, y)
    np.clip(out, 0.0, None, out=out)  # FFT round-off leaves ±1e-17 where the pmf is 0
    return out


def _lattice(a: np.ndarray, p: np.ndarray, shift: float, max_points: int) -> RevenueDistribution:
    h, exact = _grid_step(a, max_points)
    x = a / h
    j = np.floor(x + 1e-9).astype(np.int64)  # amounts on the grid must not fall to the point below
    f = np.clip(x - j, 0.0, 1.0)
    f[f < 1e-9] = 0.0
    # one pmf per deal: 1-p at 0, and p split between j and j+1 so that the mean stays a
    leaves = []
    for jj, ff, pp in zip(j.tolist(), f.tolist(), p.tolist(), strict=True):
        leaf = np.zeros(jj + (2 if ff > 0 else 1))
        leaf[0] += 1.0 - pp
        leaf[jj] += pp * (1.0 - ff)
        if ff > 0:
            leaf[jj + 1] += pp * ff
        leaves.append(leaf)
    # pairwise tree over leaves sorted by length keeps partners of similar size
    leaves.sort(key=len)
    while len(leaves) > 1:
        nxt = [_convolve(leaves[i], leaves[i + 1]) for i in range(0, len(leaves) - 1, 2)]
        if len(leaves) % 2:
            nxt.append(leaves[-1])
        leaves = nxt
    pmf = leaves[0] / leaves[0].sum()
    values = shift + h * np.arange(len(pmf))
    mean = shift + float(a @ p)
    std = math.sqrt(float((a * a) @ (p * (1 - p))))
    keep = pmf > 0  # drop impossible grid points so quantiles land on real atoms
    cdf = np.minimum(np.cumsum(pmf[keep]), 1.0)
    cdf[-1] = 1.0
    # rounding each amount to the grid adds zero-mean noise of variance h²·Σ p f(1-f):
    # state the grid step plus two standard deviations of that noise
    error = 0.0 if exact else h * (1.0 + 2.0 * math.sqrt(float(p @ (f * (1 - f)))))
    return RevenueDistribution(mean, std, values[keep], cdf, "exact" if exact else "lattice", True, error, h)


def _saddlepoint(a: np.ndarray, p: np.ndarray, shift: float, chunk: int = 8192) -> RevenueDistribution:
    mean = shift + float(a @ p)
    std = math.sqrt(float((a * a) @ (p * (1 - p))))
    # t grid in units of 1/sd, denser near 0 where the distribution's bulk is
    z = np.concatenate([-np.geomspace(12.0, 0.05, 32), np.geomspace(0.05, 12.0, 32)])
    t = z / std
    k0 = np.zeros_like(t)
    k1 = np.zeros_like(t)
    k2 = np.zeros_like(t)
    lp, lq = np.log(p), np.log1p(-p)
    logit = lp - lq
    for s in range(0, len(a), chunk):
        aa, e = a[s : s + chunk], slice(s, s + chunk)
        ta = np.multiply.outer(t, aa)
        k0 += np.logaddexp(lq[e], lp[e] + ta).sum(axis=1)
        w = special.expit(logit[e] + ta)
        k1 += w @ aa
        k2 += (w * (1 - w)) @ (aa * aa)
    x = shift + k1
    # Lugannani–Rice tail P(S ≥ x); drop points where round-off makes w or u meaningless
    r = np.sqrt(np.maximum(2.0 * (t * k1 - k0), 0.0)) * np.sign(t)
    u = t * np.sqrt(k2)
    ok = (np.abs(r) > 1e-6) & (k2 > 0)
    tail = special.ndtr(-r[ok]) + np.exp(-0.5 * r[ok] ** 2) / math.sqrt(2 * math.pi) * (1 / u[ok] - 1 / r[ok])
    x = x[ok]
    cdf = np.clip(1.0 - tail, 0.0, 1.0)
    cdf = np.maximum.accumulate(cdf)
    lo, hi = shift, shift + float(a.sum())
    values = np.concatenate([[lo], np.clip(x, lo, hi), [hi]])
    cdf = np.concatenate([[0.0], cdf, [1.0]])
    return RevenueDistribution(mean, std, values, cdf, "saddlepoint", False, SADDLEPOINT_REL_ERROR * std, 0.0)


def revenue_distribution(
    amounts,
    probabilities,
    *,
    method: str = "auto",
    max_points: int = 16384,
    exact_max_deals: int = 2000,
) -> RevenueDistribution:
    """Distribution of the revenue S = Σ aᵢ·Bernoulli(pᵢ) of independent deals.

    Parameters
    ----------
    amounts : array_like of float
        Deal amounts aᵢ ≥ 0 (any currency).
    probabilities : array_like of float
        Win probabilities pᵢ in [0, 1], one per amount.
    method : {"auto", "lattice", "saddlepoint"}
        "lattice": convolution on a grid (exact when every amount is a
        multiple of the grid step, otherwise each amount is split between its
        two neighbouring grid points so the mean stays exact).
        "saddlepoint": Lugannani–Rice approximation, for large pipelines.
        "auto": the lattice up to ``exact_max_deals`` uncertain deals, the
        saddlepoint beyond (falls back to the lattice when one deal dominates
        the spread, where a smooth approximation would be wrong).
    max_points : int
        Largest number of grid points of the lattice.
    exact_max_deals : int
        Pipeline size up to which "auto" uses the lattice.

    Returns
    -------
    RevenueDistribution
        ``.mean``, ``.quantile(q)``, ``.prob_at_least(x)``, ``.method``,
        ``.error`` (quantile error bound or estimate), ``.values``/``.cdf``
        and ``.histogram()`` for charts.

    Raises
    ------
    ParameterError
        Amounts negative or not finite, probabilities outside [0, 1], lengths
        differ, or an unknown method.

    Examples
    --------
    >>> d = revenue_distribution([100, 200], [0.5, 0.5])
    >>> d.mean, d.prob_at_least(300)
    (150.0, 0.25)
    """
    if method not in METHODS:
        raise ParameterError("error.parameter", name="method", rule=" / ".join(METHODS), value=method)
    if int(max_points) < 2:
        raise ParameterError("error.parameter", name="max_points", rule="≥ 2", value=max_points)
    a, p = _validate(amounts, probabilities)
    sure = p >= 1.0
    shift = float(a[sure].sum())
    random = (p > 0) & ~sure & (a > 0)
    a, p = a[random], p[random]
    if len(a) == 0:
        return _point(shift)
    if method == "auto":
        spread = (a * a) * (p * (1 - p))
        lumpy = spread.max() > 0.05 * spread.sum()
        method = "lattice" if len(a) <= exact_max_deals or lumpy else "saddlepoint"
    if method == "lattice":
        return _lattice(a, p, shift, int(max_points))
    return _saddlepoint(a, p, shift)


def uncertain_rates_distribution(
    amounts,
    groups,
    won,
    lost,
    *,
    sure: float = 0.0,
    draws: int = 4000,
    seed: int = 0,
    points: int = 400,
) -> RevenueDistribution:
    """Revenue when each stage's win rate is uncertain and shared by its deals.

    For every draw, stage g's rate r_g comes from Beta(1 + won_g, 1 + lost_g)
    and every deal of that stage wins with probability r_g; given the rates,
    S is approximated as normal with its exact conditional mean and variance.
    The result is the mixture over the draws. It is wider than the
    independent-deals distribution because one stage's luck moves all its
    deals together.

    Parameters
    ----------
    amounts : array_like of float
        Deal amounts.
    groups : array_like of int
        Stage index of each deal, 0 .. len(won)-1.
    won, lost : array_like of int
        Historical wins and losses of each stage.
    sure : float
        Revenue already certain (added to every draw).
    draws : int
        Monte Carlo draws of the rate vector.
    seed : int
        Seed of the draws.
    points : int
        Grid points of the returned cdf.

    Returns
    -------
    RevenueDistribution
        ``method == "mixture"``; ``error`` is the Monte Carlo standard error
        of the quantiles, roughly.
    """
    a = np.asarray(amounts, dtype=float).ravel()
    g = np.asarray(groups, dtype=np.int64).ravel()
    w = np.asarray(won, dtype=float).ravel()
    lo = np.asarray(lost, dtype=float).ravel()
    if a.shape != g.shape or np.any(a < 0) or np.any(~np.isfinite(a)):
        raise ParameterError("error.parameter", name="amounts", rule="finite, ≥ 0, one per group", value=len(a))
    if w.shape != lo.shape or np.any(w < 0) or np.any(lo < 0) or (len(g) and (g.min() < 0 or g.max() >= len(w))):
        raise ParameterError("error.parameter", name="groups", rule=f"stage indices 0..{len(w) - 1}", value=len(g))
    if len(a) == 0 or a.sum() == 0:
        return _point(float(sure))
    a1 = np.bincount(g, weights=a, minlength=len(w))
    a2 = np.bincount(g, weights=a * a, minlength=len(w))
    rng = np.random.default_rng(seed)
    rates = rng.beta(1.0 + w, 1.0 + lo, size=(int(draws), len(w)))
    m = sure + rates @ a1
    s = np.sqrt((rates * (1 - rates)) @ a2)
    x = np.linspace(max(sure, (m - 5 * s).min()), (m + 5 * s).max(), points)
    cdf = special.ndtr((x[:, None] - m[None, :]) / np.maximum(s, 1e-12)[None, :]).mean(axis=1)
    mean = sure + float((w + 1) / (w + lo + 2) @ a1)
    total_var = float(np.var(m) + np.mean(s * s))
    sd = math.sqrt(total_var)
    return RevenueDistribution(mean, sd, x, cdf, "mixture", False, 2 * sd / math.sqrt(draws), 0.0)
