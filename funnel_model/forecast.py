"""Revenue of an open pipeline: the distribution of S = Σ aᵢ·Bernoulli(pᵢ).

Deal i brings its amount aᵢ with probability pᵢ, independently of the others.
The method is chosen by the error it can guarantee:

- **exact lattice** whenever the amounts are whole multiples of a common step
  (whole units, cents, or a package price) and the lattice stays within a few
  million cells and its convolutions (cells × distinct amounts) within a
  tenth of a second: deals of equal amount form one binomial (or Poisson-binomial)
  count (a product of the deals' factors 1 − pᵢ + pᵢz, pairwise, O(n log² n)),
  and the counts are multiplied together: the short ones by convolution,
  the long ones as one product of their spectra (FFT). Far in the
  upper tail, where FFT round-off would swamp the answer, P(S ≥ x) is
  computed again on an exponentially tilted lattice, so P(all deals won) is
  Π pᵢ to float precision.
- **rounded lattice** otherwise: amounts rounded to the nearest point of a
  grid spanning only the window where S can be (between its two Bernstein
  limits, sums kept modulo the window's width), with a bound on the
  quantile error that holds for every pipeline (the rounding's worst case,
  or Hoeffding's inequality for many deals).
- **saddlepoint** (Lugannani–Rice) for large pipelines where the rounded
  lattice's bound is wider, with a bound from the Berry–Esseen theorem.

:func:`uncertain_rates_distribution` widens the band for the case where each
stage's true win rate is itself unknown (drawn from a Beta around the rate
the forecast uses, and shared by all the deals of that stage).

The public signature ``revenue_distribution(amounts, probabilities, *,
method="auto", max_points=..., exact_max_deals=...)`` is a contract: the
compensation page calls it per seller.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import fft, optimize, signal, special, stats

from funnel_model.errors import ParameterError

__all__ = [
    "ERROR_LEVELS",
    "EXACT_MAX_CELLS",
    "EXACT_MAX_WORK",
    "LATTICE_TOLERANCE",
    "METHODS",
    "RevenueDistribution",
    "revenue_distribution",
    "uncertain_rates_distribution",
]

METHODS = ("auto", "lattice", "saddlepoint")
# Largest exact lattice: a few FFTs of this many cells take tens of milliseconds.
EXACT_MAX_CELLS = 1 << 22
# Largest exact lattice's work, cells × distinct amounts (one leaf of the tree each): about 0.1 s here. A page asks
# for a dozen distributions a rerun (the period, the months, the backtest); past this the rounded lattice's
# stated bound (hundredths of a standard deviation) costs tens of milliseconds instead of seconds.
EXACT_MAX_WORK = 1 << 24
# Quantile levels the stated error of the approximations covers (the exact lattice's 0 covers all).
ERROR_LEVELS = (0.01, 0.99)
# "auto" keeps the rounded lattice when its bound is at most this many standard deviations of S.
LATTICE_TOLERANCE = 0.05
# Chance left outside the Hoeffding bound on the rounding of the rounded lattice.
_HOEFFDING_DELTA = 1e-4
# Berry–Esseen constant for sums of independent, not identically distributed terms (Shevtsova 2010).
_BERRY_ESSEEN = 0.56
# FFT round-off: cells below this share of the largest one hold no outcome.
_NOISE = 1e-13
# Common steps tried: 10⁻ᵈ for d up to this.
_DECIMALS = 4
# np.convolve is faster than an FFT below this many cells in the shorter array, or products of lengths.
_FFT_MIN = 64
_DIRECT_MAX = 1 << 17
# Binomial pmfs up to this n by the formula, with log n! looked up (hundreds of small groups a distribution).
_BINOMIAL_FORMULA_MAX = 256
_LOG_FACTORIAL = special.gammaln(np.arange(_BINOMIAL_FORMULA_MAX + 1) + 1.0)  # log n!
# A level of the win-count product multiplies its pairs directly up to this many coefficients each, then by FFT.
_BATCH_DIRECT = 16
# P(S ≥ x) below this is recomputed on a tilted lattice (FFT round-off is about 1e-16 per cell).
_TAIL = 1e-9


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
        "exact" (every amount a whole multiple of the grid step: the
        lattice is the distribution itself), "lattice" (amounts rounded to
        the grid), "saddlepoint", "mixture" (stage rates uncertain) or
        "point" (no randomness at all).
    discrete : bool
        True when ``values`` is the whole support (lattice methods): quantiles
        are grid values, not interpolated.
    error : float
        A bound on the absolute error of a quantile, in currency, that holds
        (not an estimate): 0 when exact; for the rounded lattice the smaller
        of the rounding's worst case and a Hoeffding bound; for the
        saddlepoint a Berry–Esseen bound. The approximations' bound covers
        the quantile levels ``ERROR_LEVELS`` (1 %–99 %). For "mixture"
        an estimate: see :func:`uncertain_rates_distribution`.
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
    # exact lattice only: P(S ≥ x) recomputed for the far upper tail
    tail: Callable[[float], float] | None = field(default=None, repr=False, compare=False)

    def quantile(self, q):
        """Smallest revenue x with P(S ≤ x) ≥ q; ``q`` scalar or array in [0, 1]."""
        qa = np.asarray(q, dtype=float)
        if np.any(~np.isfinite(qa)) or np.any((qa < 0) | (qa > 1)):
            raise ParameterError("error.parameter", name="q", rule="between 0 and 1", value=q)
        if self.discrete:
            out = _quantile_of(self.values, self.cdf, qa)
        else:
            # interpolate in normal scores, where a smooth cdf is nearly a straight line
            cdf, keep = np.unique(_probit(self.cdf), return_index=True)
            out = np.interp(_probit(qa), cdf, self.values[keep]) if len(cdf) > 1 else np.full(qa.shape, self.values[0])
        return float(out) if out.ndim == 0 else out

    def prob_at_least(self, x):
        """P(S ≥ x); ``x`` scalar or array. On the exact lattice, x within float round-off of a sum
        the deals can make counts as that sum, and far upper tails keep their relative precision."""
        xa = np.asarray(x, dtype=float)
        if self.discrete:
            # a sum computed in floats may differ from its grid value in the last digits
            tol = np.minimum(1e-12 * np.maximum(np.abs(xa), self.step), self.step / 2) if self.step else 1e-9
            idx = np.searchsorted(self.values, xa - tol, side="left")
            below = np.where(idx > 0, self.cdf[np.maximum(idx - 1, 0)], 0.0)
        else:
            below = special.ndtr(np.interp(xa, self.values, _probit(self.cdf), left=-np.inf, right=np.inf))
        out = np.clip(1.0 - below, 0.0, 1.0)
        if self.tail is not None:
            far = out < _TAIL
            if far.any():
                if out.ndim == 0:
                    out = np.asarray(self.tail(float(xa)))
                else:  # only the far entries: the tail's tilting has no root below the mean
                    out[far] = [self.tail(v) for v in xa[far]]
        return float(out) if out.ndim == 0 else out

    def shifted(self, by: float) -> RevenueDistribution:
        """The distribution of S + ``by``: a sure gain, or a sure loss when ``by`` is negative."""
        tail = None if self.tail is None else replace(self.tail, shift=self.tail.shift + by)
        return replace(self, mean=self.mean + by, values=self.values + by, tail=tail)

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


def _common_step(a: np.ndarray) -> float | None:
    """The largest step of the form g·10⁻ᵈ (d ≤ 4) of which every amount is a whole multiple, or None.

    Amounts from a CRM are whole currency units or cents, stored as floats:
    1234.57·100 is 123457.00000000001, so a whole number within float
    round-off (a millionth of the step, or 1e-14 relative) counts as whole.
    """
    for d in range(_DECIMALS + 1):
        x = a * 10.0**d
        r = np.rint(x)
        if r.sum() >= 2**53:
            return None
        if np.all(np.abs(x - r) <= 1e-6 + 1e-14 * x) and np.all(r > 0):
            return float(np.gcd.reduce(r.astype(np.int64))) / 10.0**d
    return None


def _dot(x: np.ndarray, y: np.ndarray) -> float:
    """Σ xᵢyᵢ by numpy's own loop: OpenBLAS shares out a dot product of more than 10,000 terms (``x @ y``) among
    threads, and on a busy machine waiting for them costs a millisecond for microseconds of work."""
    return float(np.einsum("i,i->", x, y))


def _convolve(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if min(len(x), len(y)) < _FFT_MIN or len(x) * len(y) < _DIRECT_MAX:
        return np.convolve(x, y)
    out = signal.fftconvolve(x, y)
    np.clip(out, 0.0, None, out=out)  # FFT round-off leaves ±1e-17 where the pmf is 0
    return out


def _tree(leaves: list[np.ndarray]) -> np.ndarray:
    # pairwise over leaves sorted by length keeps partners of similar size
    leaves = sorted(leaves, key=len)
    while len(leaves) > 1:
        nxt = [_convolve(leaves[i], leaves[i + 1]) for i in range(0, len(leaves) - 1, 2)]
        if len(leaves) % 2:
            nxt.append(leaves[-1])
        leaves = sorted(nxt, key=len)
    return leaves[0]


def _binomial(n: int, q: float) -> np.ndarray:
    """Binomial(n, q) pmf on 0..n: the formula for small n (scipy's pmf spends a millisecond on checks per
    call, and a pipeline has hundreds of small groups), scipy's for large n, where the formula loses digits."""
    k = np.arange(n + 1)
    if n > _BINOMIAL_FORMULA_MAX:
        return stats.binom.pmf(k, n, q)
    log = _LOG_FACTORIAL[n] - _LOG_FACTORIAL[: n + 1] - _LOG_FACTORIAL[n::-1]
    return np.exp(log + special.xlogy(k, q) + special.xlog1py(n - k, -q))


def _count_pmf(p: np.ndarray) -> np.ndarray:
    """Distribution of the number of wins among deals with probabilities ``p`` (Poisson-binomial)."""
    n = len(p)
    if n == 1:
        return np.array([1.0 - p[0], p[0]])
    if n < 8:
        return _bernoulli_product(p)
    probs, counts = np.unique(p, return_counts=True)
    if len(probs) <= 32 and 4 * len(probs) <= n:
        # deals of one stage share a probability: one binomial each (a few, a product of many, is cheaper)
        pairs = zip(probs.tolist(), counts.tolist(), strict=True)
        return _tree([_binomial(c, q) for q, c in pairs])
    return _bernoulli_product(p)


def _bernoulli_product(p: np.ndarray) -> np.ndarray:
    """Coefficients of Π (1 − pᵢ + pᵢz), the Poisson-binomial pmf, by pairwise products in O(n log² n).

    Every pair of a level is multiplied at once (a few numpy calls a level,
    log₂ n levels): directly while the factors are short, by FFT once long.
    Each product's round-off is about 1e-16 of the pmf's largest cell.
    """
    polys = np.stack([1.0 - p, p], axis=1)
    while len(polys) > 1:
        if len(polys) % 2:  # the odd one out is paired with 1
            polys = np.vstack([polys, np.eye(1, polys.shape[1])])
        left, right = polys[0::2], polys[1::2]
        width = left.shape[1]
        if width <= _BATCH_DIRECT:
            polys = np.zeros((len(left), 2 * width))
            for j in range(width):
                polys[:, j : j + width] += left[:, j : j + 1] * right
        else:
            spectrum = fft.rfft(left, 2 * width, axis=1) * fft.rfft(right, 2 * width, axis=1)
            polys = fft.irfft(spectrum, 2 * width, axis=1)
    return np.clip(polys[0, : len(p) + 1], 0.0, None)  # FFT round-off leaves ±1e-17 where the pmf is 0


def _bernstein(a: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """Sums x_lo ≤ x_hi with P(Σ aᵢBᵢ < x_lo) and P(Σ aᵢBᵢ > x_hi) each ≤ 1e-17, within [0, Σ aᵢ].

    Bernstein's inequality: P(|S − E[S]| ≥ t) ≤ 2·exp(−t² / (2(σ² + Mt/3))),
    M the largest amount. The lattice stops there: what lies beyond is
    below float precision (far upper tails are recomputed by tilting).
    """
    log_inv = -math.log(1e-17)
    var = _dot(a * a, p * (1 - p))
    third = float(a.max()) * log_inv / 3.0
    t = third + math.sqrt(third * third + 2.0 * var * log_inv)
    mean = _dot(a, p)
    return max(0.0, mean - t), min(float(a.sum()), mean + t)


def _top(a: np.ndarray, p: np.ndarray) -> float:
    return _bernstein(a, p)[1]


def _lattice_pmf(k: np.ndarray, p: np.ndarray, cyclic: bool = False) -> tuple[np.ndarray, int]:
    """pmf of K = Σ kᵢ·Bernoulli(pᵢ) (kᵢ whole numbers) where it is above 1e-17, and the first K it covers.

    Deals of equal kᵢ are one leaf: their number of wins, spread at stride
    kᵢ. Many equal packages cost one binomial, not thousands of leaves.
    Plain: K from 0 up to the Bernstein limit, sums past it wrapped round
    to its start (below 1e-17 in all: far below the FFT's round-off).
    ``cyclic``: only the window between the two Bernstein limits (widened
    to a length the FFT handles fast), sums kept modulo its width (the
    product of the leaves' spectra) and unwrapped at the end (what aliases in is
    below 1e-17); a pipeline's sum lies far from 0, and the window is what
    a fine grid needs to cover.
    """
    lo, hi = _bernstein(k.astype(float), p)
    base = math.floor(lo) if cyclic else 0
    # the cyclic window widened to a length the FFT handles fast (a wider window only aliases less)
    cells = fft.next_fast_len(math.ceil(hi) - base + 1, real=True) if cyclic else math.floor(hi) + 1
    order = np.argsort(k, kind="stable")
    ks, ps = k[order], p[order]
    steps, first = np.unique(ks, return_index=True)
    bounds = np.append(first, len(ks))
    leaves = []
    for j, step in enumerate(steps.tolist()):
        if step == 0:
            continue
        counts = _count_pmf(ps[bounds[j] : bounds[j + 1]])
        if cyclic and step * (len(counts) - 1) >= cells:
            spots = (np.arange(len(counts)) * step) % cells
            leaves.append(np.bincount(spots, weights=counts, minlength=cells))
            continue
        counts = counts if cyclic else counts[: (cells - 1) // step + 1]
        leaf = np.zeros(step * (len(counts) - 1) + 1)
        leaf[::step] = counts
        leaves.append(leaf)
    if not leaves:
        return np.array([1.0]), 0
    if cyclic:
        pmf = np.roll(_cyclic_product(leaves, cells), -(base % cells))
    else:  # sums past the Bernstein limit (below 1e-17 in all) wrap round instead of being cut
        pmf = _cyclic_product(leaves, fft.next_fast_len(cells, real=True))[:cells]
    pmf /= pmf.sum()
    return pmf, base


def _cyclic_product(leaves: list[np.ndarray], cells: int) -> np.ndarray:
    """The leaves convolved, sums modulo ``cells`` (each leaf at most ``cells`` long).

    The two shortest are convolved while their product stays within a
    quarter of the window (cheap while short); every leaf left is then one
    FFT on ``cells`` points, and the product of the spectra is the cyclic
    convolution.
    """
    leaves = sorted(leaves, key=len)
    while len(leaves) > 1 and len(leaves[0]) + len(leaves[1]) <= cells // 4:
        bisect.insort(leaves, _convolve(leaves[0], leaves[1]), lo=2, key=len)
        leaves = leaves[2:]
    spectrum = fft.rfft(leaves[0], cells)
    for leaf in leaves[1:]:
        spectrum *= fft.rfft(leaf, cells)
    return np.clip(fft.irfft(spectrum, cells), 0.0, None)  # FFT round-off leaves ±1e-17 where the pmf is 0


def _atoms(pmf: np.ndarray) -> np.ndarray:
    """Cells that hold a sum the deals can make: FFT round-off leaves about 1e-16 of the largest cell in
    empty ones. Their mass (noise, or a real atom too small to matter) stays in the cdf of the next atom."""
    return pmf > _NOISE * pmf.max()


def _quantile_of(values: np.ndarray, cdf: np.ndarray, q) -> np.ndarray:
    # a hair of tolerance: FFT round-off must not push an exact tie to the next atom
    idx = np.searchsorted(cdf, np.asarray(q, dtype=float) - 1e-12, side="left")
    return values[np.minimum(idx, len(values) - 1)]


def _level_gap(quantile, delta: float) -> float:
    """Largest move of ``quantile`` when the level moves by ``delta``, over the levels of ERROR_LEVELS."""
    lo, hi = ERROR_LEVELS
    q = np.linspace(lo, hi, 4001)
    mid = quantile(q)
    up = quantile(np.minimum(q + delta, 1.0)) - mid
    down = mid - quantile(np.maximum(q - delta, 0.0))
    return float(max(up.max(), down.max()))


def _upper_tail(k: np.ndarray, p: np.ndarray, m: int) -> float:
    """P(K ≥ m) for K = Σ kᵢ·Bernoulli(pᵢ), accurate relative to itself far in the upper tail.

    Exponential tilting: under p̃ᵢ = pᵢe^{θkᵢ}/(1 − pᵢ + pᵢe^{θkᵢ}) with θ
    chosen so that E[K] = m, the lattice is accurate near m, and
    P(K = j) = P̃(K = j)·e^{κ(θ) − θj}, κ the cumulant generating function.
    """
    total = int(k.sum())
    if m > total:
        return 0.0
    logit = special.logit(p)
    if m == total:  # every deal won
        return float(np.exp(np.log(p).sum()))

    def excess(theta: float) -> float:
        return _dot(special.expit(logit + theta * k), k) - m

    hi = 1.0
    while excess(hi) < 0:
        hi *= 2.0
    theta = optimize.brentq(excess, 0.0, hi, xtol=1e-12)
    tilted = special.expit(logit + theta * k)
    kappa = float((np.logaddexp(0.0, logit + theta * k) - np.logaddexp(0.0, logit)).sum())
    pmf, _ = _lattice_pmf(k, tilted)
    j = np.arange(m, len(pmf))
    mass = pmf[m:]
    ok = mass > _NOISE * pmf.max()
    if not ok.any():
        return 0.0
    return float(np.exp(special.logsumexp(np.log(mass[ok]) - theta * j[ok]) + kappa))


@dataclass(frozen=True)
class _Tail:
    """P(S ≥ x) far in the upper tail of an exact lattice (a plain object: the page caches it by pickling)."""

    k: np.ndarray
    p: np.ndarray
    shift: float
    h: float

    def __call__(self, x: float) -> float:
        # the same float tolerance as prob_at_least: a sum computed in floats counts as its grid point
        return _upper_tail(self.k, self.p, math.ceil((x - self.shift - 1e-12 * max(abs(x), self.h)) / self.h))


def _exact(a: np.ndarray, p: np.ndarray, shift: float, h: float) -> RevenueDistribution:
    k = np.rint(a / h).astype(np.int64)
    pmf, _ = _lattice_pmf(k, p)
    mean = shift + _dot(a, p)
    std = math.sqrt(_dot(a * a, p * (1 - p)))
    keep = _atoms(pmf)
    idx = np.flatnonzero(keep)
    cdf = np.minimum(np.cumsum(pmf)[keep], 1.0)
    cdf[-1] = 1.0

    return RevenueDistribution(mean, std, shift + h * idx, cdf, "exact", True, 0.0, h, _Tail(k, p, shift, h))


def _rounded(a: np.ndarray, p: np.ndarray, shift: float, points: int) -> RevenueDistribution:
    """Amounts rounded to the nearest point of a grid of ``points`` cells over the window where S can be
    (cyclic lattice, see :func:`_lattice_pmf`), with a bound that holds.

    S = S' + R, S' the sum of the rounded amounts and R = Σ Bᵢeᵢ the
    rounding (eᵢ the amount less its grid point). The grid is moved by E[R]
    so the mean is exact. Two bounds on R − E[R], the smaller is stated:
    always within [Σ min(eᵢ, 0), Σ max(eᵢ, 0)] − E[R] (few deals); and by
    Hoeffding within ±t = √(ln(2/δ)/2·Σeᵢ²) except with chance δ, which
    moves a quantile by at most t plus its move when the level moves by δ
    (many deals).
    """
    lo, hi = _bernstein(a, p)
    h = (hi - lo) / points
    k = np.rint(a / h).astype(np.int64)
    e = a - h * k
    pmf, base = _lattice_pmf(k, p, cyclic=True)
    shift_r = _dot(p, e)
    keep = _atoms(pmf)
    values = shift + shift_r + h * (base + np.flatnonzero(keep))
    cdf = np.minimum(np.cumsum(pmf)[keep], 1.0)
    cdf[-1] = 1.0
    sure_bound = max(float(np.clip(e, 0.0, None).sum()) - shift_r, shift_r - float(np.clip(e, None, 0.0).sum()))
    t = math.sqrt(math.log(2.0 / _HOEFFDING_DELTA) / 2.0 * _dot(e, e))
    hoeffding = t + _level_gap(lambda q: _quantile_of(values, cdf, q), _HOEFFDING_DELTA)
    mean = shift + _dot(a, p)
    std = math.sqrt(_dot(a * a, p * (1 - p)))
    return RevenueDistribution(mean, std, values, cdf, "lattice", True, min(sure_bound, hoeffding), h)


def _rounded_bound(a: np.ndarray, p: np.ndarray, points: int) -> float:
    """The bound :func:`_rounded` will state, before the convolution (one grid step for the level move)."""
    lo, hi = _bernstein(a, p)
    h = (hi - lo) / points
    e = a - h * np.rint(a / h)
    c = _dot(p, e)
    sure_bound = max(float(np.clip(e, 0.0, None).sum()) - c, c - float(np.clip(e, None, 0.0).sum()))
    return min(sure_bound, math.sqrt(math.log(2.0 / _HOEFFDING_DELTA) / 2.0 * _dot(e, e)) + h)


def _berry_esseen(a: np.ndarray, p: np.ndarray, std: float) -> float:
    """Berry–Esseen bound on the largest distance between the cdf of S and the normal one."""
    third = _dot(a**3, p * (1 - p) * (p * p + (1 - p) ** 2))  # Σ E|aᵢBᵢ − aᵢpᵢ|³
    return _BERRY_ESSEEN * third / std / std / std  # not std**3: it underflows for tiny probabilities


def _saddlepoint(a: np.ndarray, p: np.ndarray, shift: float, chunk: int = 8192) -> RevenueDistribution:
    mean = shift + _dot(a, p)
    std = math.sqrt(_dot(a * a, p * (1 - p)))
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
    dist = RevenueDistribution(mean, std, values, cdf, "saddlepoint", False, 0.0, 0.0)
    # a bound that holds: Berry–Esseen bounds the distance of the true cdf from the normal one,
    # the saddlepoint's own distance from the normal is measured; together they bound the level
    # error, which moves a quantile by at most its move over that many levels
    grid = np.linspace(mean - 8 * std, mean + 8 * std, 4001)
    apart = float(np.max(np.abs((1.0 - dist.prob_at_least(grid)) - special.ndtr((grid - mean) / std))))
    eta = min(1.0, _berry_esseen(a, p, std) + apart)
    return replace(dist, error=_level_gap(dist.quantile, eta))


def revenue_distribution(
    amounts,
    probabilities,
    *,
    method: str = "auto",
    max_points: int = 1 << 15,
    exact_max_deals: int = 2000,
    exact_max_cells: int = EXACT_MAX_CELLS,
    exact_max_work: int = EXACT_MAX_WORK,
) -> RevenueDistribution:
    """Distribution of the revenue S = Σ aᵢ·Bernoulli(pᵢ) of independent deals.

    Parameters
    ----------
    amounts : array_like of float
        Deal amounts aᵢ ≥ 0 (any currency).
    probabilities : array_like of float
        Win probabilities pᵢ in [0, 1], one per amount.
    method : {"auto", "lattice", "saddlepoint"}
        "lattice": exact when every amount is a whole multiple of a common
        step g·10⁻ᵈ (d ≤ 4: whole units, cents) and the lattice has at most
        ``exact_max_cells`` cells and ``exact_max_work``; otherwise the amounts are rounded to a
        grid of ``max_points`` cells over the window where S can be, with a
        stated bound that holds (see :attr:`RevenueDistribution.error`).
        "saddlepoint": Lugannani–Rice approximation, with a Berry–Esseen
        bound.
        "auto": the exact lattice whenever it fits; otherwise the rounded
        lattice if its bound is at most ``LATTICE_TOLERANCE`` standard
        deviations or no larger than the saddlepoint's, else the
        saddlepoint: the method is chosen by the error it guarantees.
    max_points : int
        Cells of the rounded lattice.
    exact_max_deals : int
        Kept for callers of earlier versions; the choice no longer depends
        on the number of deals.
    exact_max_cells : int
        Largest exact lattice (cells up to the Bernstein limit); a caller
        that needs only a coarse band (an error bar) may lower it.
    exact_max_work : int
        Largest exact lattice's cells × distinct amounts (the convolution
        tree's size); beyond it the rounded lattice with its stated bound.

    Returns
    -------
    RevenueDistribution
        ``.mean``, ``.quantile(q)``, ``.prob_at_least(x)``, ``.method``,
        ``.error`` (a bound on the quantile error), ``.values``/``.cdf``
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
    if method == "saddlepoint":
        return _saddlepoint(a, p, shift)
    step = _common_step(a)
    if step is not None:
        cells = _top(a, p) / step
        if cells <= exact_max_cells and cells * len(np.unique(a)) <= exact_max_work:
            return _exact(a, p, shift, step)
    points = int(max_points)
    if method == "lattice":
        return _rounded(a, p, shift, points)
    bound = _rounded_bound(a, p, points)
    std = math.sqrt(_dot(a * a, p * (1 - p)))
    # the saddlepoint's bound reaches the whole range once its level error passes the lowest level covered
    if bound <= LATTICE_TOLERANCE * std or _berry_esseen(a, p, std) >= ERROR_LEVELS[0]:
        return _rounded(a, p, shift, points)
    saddle = _saddlepoint(a, p, shift)
    return saddle if saddle.error < bound else _rounded(a, p, shift, points)


def uncertain_rates_distribution(
    amounts,
    groups,
    won,
    lost,
    *,
    rates=None,
    fixed=None,
    sure: float = 0.0,
    draws: int = 4000,
    seed: int = 0,
    points: int = 400,
    max_simulated: int = 20_000_000,
) -> RevenueDistribution:
    """Revenue when each stage's win rate is uncertain and shared by its deals.

    Hierarchical: for every draw, stage g's rate r_g comes from its Beta,
    then every deal of that stage wins with probability r_g. It is wider
    than the independent-deals distribution because one stage's luck moves
    all its deals together.

    The Beta of stage g: with ``rates``, centred on the rate the forecast
    uses, Beta(r_g·κ_g, (1 − r_g)·κ_g) with κ_g = won_g + lost_g + 2 (the
    evidence behind it, and the uniform prior's two), so the band's centre
    is the baseline's; without, Beta(1 + won_g, 1 + lost_g).

    When the pipeline is small enough (deals × draws ≤ ``max_simulated``)
    the outcomes are drawn too: the result is the seeded simulation's own
    distribution, every value a sum the deals can make. Above that, given
    the rates S is approximated as normal with its exact conditional mean
    and variance (many deals), cut to [sure, sure + Σ amounts].

    Parameters
    ----------
    amounts : array_like of float
        Deal amounts.
    groups : array_like of int
        Stage index of each deal, 0 .. len(won)-1; -1 for a deal with a
        known probability of its own (``fixed``).
    won, lost : array_like of float
        Evidence of each stage: won and lost deals (or their pooled
        equivalents).
    rates : array_like of float, optional
        The rate of each stage the forecast uses (the Beta's mean).
    fixed : array_like of float, optional
        Win probability of each deal with group -1.
    sure : float
        Revenue already certain (added to every draw).
    draws : int
        Monte Carlo draws of the rate vector.
    seed : int
        Seed of the draws.
    points : int
        Grid points of the returned cdf (normal mixture).
    max_simulated : int
        Largest deals × draws for which outcomes are simulated.

    Returns
    -------
    RevenueDistribution
        ``method == "mixture"``; ``mean`` exact; ``error`` is an estimate of
        the quantiles' Monte Carlo error (two standard errors), not a bound.
    """
    a = np.asarray(amounts, dtype=float).ravel()
    g = np.asarray(groups, dtype=np.int64).ravel()
    w = np.asarray(won, dtype=float).ravel()
    lo = np.asarray(lost, dtype=float).ravel()
    if a.shape != g.shape or np.any(a < 0) or np.any(~np.isfinite(a)):
        raise ParameterError("error.parameter", name="amounts", rule="finite, ≥ 0, one per group", value=len(a))
    if w.shape != lo.shape or np.any(w < 0) or np.any(lo < 0) or (len(g) and (g.min() < -1 or g.max() >= len(w))):
        raise ParameterError("error.parameter", name="groups", rule=f"stage indices 0..{len(w) - 1}", value=len(g))
    f = np.zeros(len(a)) if fixed is None else np.asarray(fixed, dtype=float).ravel()
    if f.shape != a.shape or np.any(~((f >= 0) & (f <= 1))):
        raise ParameterError("error.parameter", name="fixed", rule="one probability in [0, 1] per deal", value=len(f))
    if rates is None:
        alpha, beta = 1.0 + w, 1.0 + lo
    else:
        r = np.asarray(rates, dtype=float).ravel()
        if r.shape != w.shape or np.any(~((r >= 0) & (r <= 1))):
            raise ParameterError("error.parameter", name="rates", rule="one rate in [0, 1] per stage", value=len(r))
        kappa = w + lo + 2.0
        alpha, beta = r * kappa, (1.0 - r) * kappa
    mine = g >= 0
    f = np.where(mine, 0.0, f)
    if len(a) == 0 or a.sum() == 0:
        return _point(float(sure))
    rng = np.random.default_rng(seed)
    # a rate at 0 or 1 (its evidence all one way, no prior) is that rate in every draw
    certain = (alpha <= 0) | (beta <= 0)
    mean_rate = np.where(certain, (alpha > 0).astype(float), alpha / np.where(certain, 1.0, alpha + beta))
    shape = (int(draws), len(w))
    drawn = rng.beta(np.where(certain, 1.0, alpha), np.where(certain, 1.0, beta), size=shape)
    rates_drawn = np.where(certain, mean_rate, drawn)
    gi = np.maximum(g, 0)
    mean = float(sure + a[mine] @ mean_rate[gi[mine]] + a[~mine] @ f[~mine])
    if len(a) * int(draws) <= max_simulated:
        total = np.empty(int(draws))
        rows = max(1, max_simulated // (20 * len(a)))
        for s in range(0, int(draws), rows):
            pr = np.where(mine, rates_drawn[s : s + rows][:, gi], f)
            total[s : s + rows] = (rng.random(pr.shape) < pr) @ a
        values, counts = np.unique(total, return_counts=True)
        cdf = np.cumsum(counts) / len(total)
        cdf[-1] = 1.0
        sd = float(np.std(total))
        return RevenueDistribution(mean, sd, float(sure) + values, cdf, "mixture", True, 2 * sd / math.sqrt(draws), 0.0)
    a1 = np.bincount(gi[mine], weights=a[mine], minlength=len(w))
    a2 = np.bincount(gi[mine], weights=a[mine] ** 2, minlength=len(w))
    m = sure + rates_drawn @ a1 + float(a[~mine] @ f[~mine])
    v = (rates_drawn * (1 - rates_drawn)) @ a2 + float((a[~mine] ** 2) @ (f[~mine] * (1 - f[~mine])))
    s_ = np.sqrt(v)
    top = float(sure + a.sum())
    x = np.linspace(max(float(sure), (m - 5 * s_).min()), min(top, (m + 5 * s_).max()), points)
    cdf = special.ndtr((x[:, None] - m[None, :]) / np.maximum(s_, 1e-12)[None, :]).mean(axis=1)
    cdf[-1] = 1.0
    sd = math.sqrt(float(np.var(m) + np.mean(v)))
    return RevenueDistribution(mean, sd, x, cdf, "mixture", False, 2 * sd / math.sqrt(draws), 0.0)
