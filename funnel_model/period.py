"""A revenue plan for a period: what the period will bring, and what it still needs.

Revenue won in a period [start, end] (whole days, both ends included) is

* what is already won in it (deals closed won between its start and the
  as-of date), a sure amount;
* open deals that are won within it: deal i (amount aᵢ, win probability pᵢ,
  age a on the as-of date) is won in the period with probability
  qᵢ = pᵢ · (CIF_won(a + e) − CIF_won(a + s)) / (CIF_won(∞) − CIF_won(a)),
  where s and e are the period's start and end in days from the as-of date
  and CIF_won is the Aalen–Johansen cumulative incidence of a win (the
  timing the month view uses; a deal's win, if it comes, is spread over time
  like the remaining wins of deals of its age). Optionally a deal's own
  expected close date places it instead. What is won after the period is
  "later": shown, not counted;
* deals from new leads created and won within the period: leads arrive at
  the historical inflow rate r (a Poisson stream, adjustable), and a lead
  created at time c is won by the period's end E with probability
  CIF_won(E − c), so the number of such wins is Poisson with mean
  λ = r · ∫ CIF_won(u) du over u in [0, E − max(start, as-of)], and each brings
  an amount drawn from past won amounts (compound Poisson).

A shorter or longer sales cycle (a "cycle length" move, factor f > 0)
scales time to close from the as-of date on: an open deal's remaining time
to a win becomes f times what the history says for its age (its share in
the period uses the offsets s/f and e/f; an expected close date moves to
as-of + f·(date − as-of)), and a new lead's whole time to close is f times
the history's (CIF_won(u/f)). This equals the forecast recomputed with every
close time of the history multiplied by f and every open deal's age
multiplied by f. The win probabilities do not change: a cycle move changes
when revenue comes, so within a period it changes how much of it the period
gets.

The parts are independent; their sum's distribution is computed on a grid:
the open deals' with :func:`~funnel_model.forecast.revenue_distribution`,
the new leads' compound Poisson by FFT on a lattice that keeps its mean, and
the sum's cdf as a mixture of the first over the atoms of the second.

:func:`backtest` replays the model on the first day of past months with the
data as known then, against what was actually won in each month.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import signal

from funnel_model.errors import ParameterError
from funnel_model.forecast import RevenueDistribution, revenue_distribution
from funnel_model.schema import LOST, OPEN, WON
from funnel_model.survival import CumulativeIncidence, aalen_johansen

__all__ = [
    "PERIOD_KINDS",
    "REPLAY_GROUPS",
    "REPLAY_MIN_CLOSED",
    "Period",
    "PeriodForecast",
    "add_distributions",
    "as_known_on",
    "backtest",
    "compare_periods",
    "compound_poisson",
    "forecast_categories",
    "new_lead_wins",
    "open_deals_of",
    "period_bounds",
    "period_breakdown",
    "period_chances",
    "period_forecast",
    "period_shares",
    "period_win_probabilities",
    "plan_for_period",
    "recent_change",
    "risky_deals",
    "shifted_period",
    "win_within",
    "won_in",
]

PERIOD_KINDS = ("this_month", "next_month", "this_quarter", "this_year", "custom")
REPLAY_GROUPS = ("funnel", "segment")  # what a replay conditions a deal's chance and timing on
REPLAY_MIN_CLOSED = 30  # closed deals a group needs before its own history replaces the whole one
MONTH_DAYS = 30.4375
_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Whole days ``start`` .. ``end`` (both included), and how they were chosen."""

    start: pd.Timestamp
    end: pd.Timestamp
    kind: str = "custom"

    @property
    def stop(self) -> pd.Timestamp:
        """The first instant after the period: midnight after ``end``."""
        return self.end + _DAY

    def to_json(self) -> dict[str, str]:
        """A JSON-able form: {"kind", "start", "end"} with ISO dates."""
        return {"kind": self.kind, "start": self.start.date().isoformat(), "end": self.end.date().isoformat()}


def period_bounds(kind: str, as_of, start=None, end=None) -> Period:
    """The period ``kind`` relative to the as-of date.

    Parameters
    ----------
    kind : str
        One of :data:`PERIOD_KINDS`: "this_month", "next_month",
        "this_quarter", "this_year" (calendar periods holding the as-of date,
        or the month after it), or "custom" (``start`` and ``end`` given).
    as_of : datetime-like
        Today, for the data.
    start, end : datetime-like, optional
        The days of a custom period.

    Returns
    -------
    Period

    Raises
    ------
    ParameterError
        Unknown kind, or a custom period without dates or ending before it starts.
    """
    if kind not in PERIOD_KINDS:
        raise ParameterError("error.parameter", name="period", rule=" / ".join(PERIOD_KINDS), value=kind)
    day = pd.Timestamp(as_of).normalize()
    if kind == "custom":
        if start is None or end is None or pd.isna(start) or pd.isna(end):
            raise ParameterError("error.parameter", name="period", rule="a start and an end date", value=(start, end))
        first, last = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
        if last < first:
            raise ParameterError("error.parameter", name="period", rule="end on or after start", value=(first, last))
        return Period(first, last, kind)
    freq = {"this_month": "M", "next_month": "M", "this_quarter": "Q", "this_year": "Y"}[kind]
    p = day.to_period(freq) + (1 if kind == "next_month" else 0)
    return Period(p.start_time.normalize(), p.end_time.normalize(), kind)


def shifted_period(period: Period, how: str) -> Period:
    """The period before ``period`` ("previous": same calendar unit, or as many days) or a year earlier ("year_ago")."""
    if how == "year_ago":
        return Period(period.start - pd.DateOffset(years=1), period.end - pd.DateOffset(years=1), period.kind)
    if how != "previous":
        raise ParameterError("error.parameter", name="how", rule="previous / year_ago", value=how)
    if period.kind in ("this_month", "next_month"):
        start = period.start - pd.DateOffset(months=1)
        return Period(start, period.start - _DAY, period.kind)
    if period.kind == "this_quarter":
        return Period(period.start - pd.DateOffset(months=3), period.start - _DAY, period.kind)
    if period.kind == "this_year":
        return Period(period.start - pd.DateOffset(years=1), period.start - _DAY, period.kind)
    days = (period.end - period.start).days + 1
    return Period(period.start - pd.Timedelta(days=days), period.start - _DAY, period.kind)


def _offsets(period: Period, as_of: pd.Timestamp) -> tuple[float, float]:
    """The period's start and stop in days from the as-of date, never before it."""
    s = max((period.start - as_of) / _DAY, 0.0)
    e = max((period.stop - as_of) / _DAY, 0.0)
    return s, e


def period_shares(
    created_at,
    cif: CumulativeIncidence,
    *,
    as_of,
    period: Period,
    expected_close_at=None,
    cycle_factor=1.0,
) -> pd.DataFrame:
    """Where each open deal's win, if it comes, falls: before the period, in it, or later.

    Parameters
    ----------
    created_at : array_like of datetime
        Creation of each open deal (missing: created on the as-of date).
    cif : CumulativeIncidence
        Time to close from the history.
    as_of : datetime-like
        Today, for the data.
    period : Period
    expected_close_at : array_like of datetime, optional
        The sellers' expected close dates: a deal with one on or after the
        as-of day is placed by it (all of its win in the period, or before,
        or later); deals without one, or with one already past, keep the
        history's timing.
    cycle_factor : float or array_like of float
        Per deal (or one for all), > 0: the remaining time to close is this
        many times the history's (see the module); 1 leaves it.

    Returns
    -------
    DataFrame
        ``before``, ``within``, ``later`` (shares summing to 1) and
        ``by_date`` (True where the expected close date placed the deal).
        A deal older than every close in the history has no timing: all
        ``later``.
    """
    as_of = pd.Timestamp(as_of)
    created = pd.to_datetime(pd.Series(created_at)).fillna(as_of)
    age = np.maximum(((as_of - created) / _DAY).to_numpy(dtype=float), 0.0)
    factor = _cycle_factors(cycle_factor, len(age))
    s, e = _offsets(period, as_of)
    s, e = s / factor, e / factor
    final = float(cif.won[-1]) if len(cif.won) else 0.0
    now = cif.cif_won(age)
    remaining = final - now
    ok = remaining > 1e-12
    denom = np.where(ok, remaining, 1.0)
    before = np.where(ok, (cif.cif_won(age + s) - now) / denom, 0.0)
    within = np.where(ok, (cif.cif_won(age + e) - cif.cif_won(age + s)) / denom, 0.0)
    by_date = np.zeros(len(age), dtype=bool)
    if expected_close_at is not None:
        expected = pd.to_datetime(pd.Series(expected_close_at)).dt.normalize()
        today = as_of.normalize()
        by_date = (expected.notna() & (expected >= today)).to_numpy()
        if np.any(factor != 1.0):  # the time left to the seller's date scales with the cycle too
            expected = (today + (expected - today) * factor).dt.normalize()
        expected = expected.to_numpy()
        inside = (expected >= period.start.to_datetime64()) & (expected < period.stop.to_datetime64())
        early = expected < period.start.to_datetime64()
        before = np.where(by_date, early.astype(float), before)
        within = np.where(by_date, inside.astype(float), within)
    before, within = np.clip(before, 0.0, 1.0), np.clip(within, 0.0, 1.0)
    later = np.clip(1.0 - before - within, 0.0, 1.0)
    return pd.DataFrame({"before": before, "within": within, "later": later, "by_date": by_date})


def _cycle_factors(cycle_factor, n: int) -> np.ndarray:
    """One cycle factor per deal, each finite and > 0."""
    factor = np.broadcast_to(np.asarray(cycle_factor, dtype=float), (n,)).astype(float)
    if not np.all(np.isfinite(factor) & (factor > 0)):
        raise ParameterError("error.parameter", name="cycle_factor", rule="finite and > 0", value=cycle_factor)
    return factor


def win_within(
    probabilities,
    created_at,
    cif: CumulativeIncidence,
    *,
    as_of,
    period: Period,
    expected_close_at=None,
    cycle_factor=1.0,
) -> np.ndarray:
    """Each open deal's probability of being won within ``period``: pᵢ × its ``within`` share.

    The one place both the Forecast page's plan for a period
    (:func:`period_forecast`) and the Compensation page's pay forecast
    (:func:`period_win_probabilities`) count an open deal in a period.

    Parameters
    ----------
    probabilities : array_like
        Per open deal win probability (whenever it closes).
    created_at, cif, as_of, period, expected_close_at, cycle_factor
        As in :func:`period_shares`.

    Returns
    -------
    ndarray
        Per open deal, in [0, 1].
    """
    p = np.asarray(probabilities, dtype=float).ravel()
    shares = period_shares(
        created_at, cif, as_of=as_of, period=period, expected_close_at=expected_close_at, cycle_factor=cycle_factor
    )
    if len(shares) != len(p):
        raise ParameterError(
            "error.parameter", name="created_at", rule=f"one per probability ({len(p)})", value=len(shares)
        )
    return np.clip(p * shares["within"].to_numpy(), 0.0, 1.0)


def _integral(cif: CumulativeIncidence, horizon: float) -> float:
    """∫₀^horizon CIF_won(u) du, exactly (CIF_won is a step function)."""
    if horizon <= 0 or not len(cif.times):
        return 0.0
    t = cif.times
    right = np.minimum(np.append(t[1:], np.inf), horizon)
    return float(np.sum(cif.won * np.maximum(right - t, 0.0)))


def new_lead_wins(
    cif: CumulativeIncidence, *, as_of, period: Period, inflow_per_month: float, cycle_factor: float = 1.0
) -> float:
    """Expected wins from leads created and won within the period (the Poisson mean λ).

    Leads arrive at ``inflow_per_month`` (months of 30.4375 days) from
    max(start, as-of) to the period's end; one created c days before the
    end is won by then with probability CIF_won(c / f), f the
    ``cycle_factor`` (so λ = r · f · ∫ CIF_won(w) dw over [0, (E − c₀)/f]).
    """
    if not math.isfinite(inflow_per_month) or inflow_per_month < 0:
        raise ParameterError("error.parameter", name="inflow_per_month", rule="finite and ≥ 0", value=inflow_per_month)
    f = float(_cycle_factors(cycle_factor, 1)[0])
    s, e = _offsets(period, pd.Timestamp(as_of))
    return inflow_per_month / MONTH_DAYS * f * _integral(cif, (e - s) / f)


def compound_poisson(mean_count: float, sizes, *, points: int = 4096) -> RevenueDistribution:
    """Distribution of the sum of a Poisson(``mean_count``) number of amounts drawn from ``sizes``.

    Computed on a lattice of at most ``points`` cells reaching past the
    count's mean + 8 sd (the mass beyond is below 1e-12): the sizes' greatest
    common divisor when they are whole and few enough cells do (exact), else
    each size is split between its two neighbouring grid points so that the
    mean stays exact; the
    pmf is exp(λ(φ − 1)) in the Fourier domain (twice the length, so the
    wrap-around carries no mass).

    Parameters
    ----------
    mean_count : float
        λ ≥ 0.
    sizes : array_like of float
        Amounts, each equally likely (positive, finite ones are used).
    points : int
        Grid cells.

    Returns
    -------
    RevenueDistribution
        Discrete (``values`` the grid atoms with mass), ``method`` "compound".
    """
    if not math.isfinite(mean_count) or mean_count < 0:
        raise ParameterError("error.parameter", name="mean_count", rule="finite and ≥ 0", value=mean_count)
    s = np.asarray(sizes, dtype=float).ravel()
    s = s[np.isfinite(s) & (s > 0)]
    if mean_count == 0 or len(s) == 0:
        return RevenueDistribution(0.0, 0.0, np.array([0.0]), np.array([1.0]), "point", True, 0.0, 0.0)
    top = s.max() * (mean_count + 8.0 * math.sqrt(mean_count) + 8.0)
    h = top / (points - 1)
    exact = False
    if np.all(s == np.round(s)) and s.max() < 2**53:
        g = float(np.gcd.reduce(s.astype(np.int64)))
        if top / g <= points - 1:  # every size on the grid: exact but for the far tail
            h, points, exact = g, math.ceil(top / g) + 1, True
    x = s / h
    j = np.floor(x).astype(np.int64)
    f = x - j
    size_pmf = np.zeros(points)
    np.add.at(size_pmf, j, (1.0 - f) / len(s))
    np.add.at(size_pmf, np.minimum(j + 1, points - 1), f / len(s))
    n = 2 * points
    pmf = np.fft.irfft(np.exp(mean_count * (np.fft.rfft(size_pmf, n) - 1.0)), n)[:points]
    pmf = np.clip(pmf, 0.0, None)
    pmf /= pmf.sum()
    keep = pmf > 1e-300
    cdf = np.minimum(np.cumsum(pmf[keep]), 1.0)
    cdf[-1] = 1.0
    mean = mean_count * float(s.mean())
    std = math.sqrt(mean_count * float((s * s).mean()))
    # each win's amount is moved by less than a step, to a neighbour keeping its mean
    error = 0.0 if exact else h * (1.0 + 2.0 * math.sqrt(mean_count * float((f * (1 - f)).mean())))
    return RevenueDistribution(mean, std, h * np.arange(points)[keep], cdf, "compound", True, error, h)


def _cdf_below(dist: RevenueDistribution, y: np.ndarray) -> np.ndarray:
    """P(S ≤ y) for any RevenueDistribution."""
    if dist.discrete:
        tol = dist.step * 1e-9 if dist.step else 1e-9
        idx = np.searchsorted(dist.values, y + tol, side="right") - 1
        return np.where(idx >= 0, dist.cdf[np.maximum(idx, 0)], 0.0)
    return 1.0 - dist.prob_at_least(y)


def _add(first: RevenueDistribution, second: RevenueDistribution, sure: float, points: int) -> RevenueDistribution:
    """The distribution of sure + first + second (independent).

    Both are binned on one grid of ``points`` cells (each atom moves to the
    nearest grid point, by at most half a step) and convolved; the means are
    added exactly.
    """
    if second.method == "point":
        shift = sure + float(second.values[0])
        return RevenueDistribution(
            first.mean + shift,
            first.std,
            first.values + shift,
            first.cdf,
            first.method,
            first.discrete,
            first.error,
            first.step,
        )
    lo1, lo2 = float(first.values[0]), float(second.values[0])
    width = float(first.values[-1]) - lo1 + float(second.values[-1]) - lo2
    h = width / (points - 1)
    mids = (np.arange(points) + 0.5) * h
    pmfs = []
    for dist, lo in ((first, lo1), (second, lo2)):
        cdf = np.concatenate([[0.0], _cdf_below(dist, lo + mids)])
        cdf[-1] = 1.0
        pmfs.append(np.clip(np.diff(cdf), 0.0, None))
    pmf = signal.fftconvolve(pmfs[0], pmfs[1])[:points]
    cdf = np.maximum.accumulate(np.clip(np.cumsum(np.clip(pmf, 0.0, None)), 0.0, 1.0))
    cdf /= cdf[-1]
    values = sure + lo1 + lo2 + h * np.arange(points)
    std = math.sqrt(first.std**2 + second.std**2)
    error = first.error + second.error + h
    return RevenueDistribution(sure + first.mean + second.mean, std, values, cdf, "period", False, error, 0.0)


def add_distributions(
    first: RevenueDistribution, second: RevenueDistribution, *, sure: float = 0.0, points: int = 4096
) -> RevenueDistribution:
    """The distribution of ``sure`` + ``first`` + ``second`` (independent), as the period's total is built.

    The means add exactly; the cdf is on a grid of ``points`` cells (each
    atom moved by at most half a step, added to the stated ``error``).
    """
    return _add(first, second, float(sure), points)


@dataclass(frozen=True)
class PeriodForecast:
    """What a period will bring.

    Attributes
    ----------
    period : Period
    as_of : Timestamp
    distribution : RevenueDistribution
        Revenue won in the period: already won + open deals won in it + new leads.
    already : float
        Won in the period before the as-of date (sure).
    pipeline : RevenueDistribution
        Open deals won in the period.
    new : RevenueDistribution
        Deals from new leads created and won within the period.
    new_wins : float
        Their expected number (λ).
    inflow_per_month : float
        The lead inflow used.
    within : ndarray
        Per open deal: probability to be won in the period (qᵢ).
    later : float
        Expected revenue of open deals won after the period (not counted).
    before : float
        Expected revenue of open deals won between the as-of date and the
        period's start (a period that starts later).
    shares : DataFrame
        :func:`period_shares` of the open deals.
    """

    period: Period
    as_of: pd.Timestamp
    distribution: RevenueDistribution
    already: float
    pipeline: RevenueDistribution
    new: RevenueDistribution
    new_wins: float
    inflow_per_month: float
    within: np.ndarray
    later: float
    before: float
    shares: pd.DataFrame

    def summary(self, plan: float) -> dict[str, float]:
        """``mean``, ``p10``, ``p50``, ``p90``, ``p_plan`` (P(revenue ≥ plan)) and ``gap`` (plan − mean, ≥ 0)."""
        d = self.distribution
        p10, p50, p90 = d.quantile([0.1, 0.5, 0.9])
        return {
            "mean": d.mean,
            "p10": float(p10),
            "p50": float(p50),
            "p90": float(p90),
            "p_plan": float(d.prob_at_least(plan)) if plan > 0 else 1.0,
            "gap": max(float(plan) - d.mean, 0.0),
        }


def period_forecast(
    amounts,
    probabilities,
    created_at,
    cif: CumulativeIncidence | None,
    *,
    as_of,
    period: Period,
    inflow_per_month: float = 0.0,
    won_sizes=None,
    already: float = 0.0,
    expected_close_at=None,
    cycle_factor=1.0,
    new_cycle_factor: float = 1.0,
    points: int = 4096,
) -> PeriodForecast:
    """Revenue won in ``period``: already won + open deals closing in it + new leads won in it.

    Parameters
    ----------
    amounts, probabilities, created_at : array_like
        Per open deal: amount, win probability (whenever it closes), creation.
    cif : CumulativeIncidence or None
        Time to close; None (no dated history) counts no open deal and no
        new lead in the period.
    as_of : datetime-like
        Today, for the data.
    period : Period
    inflow_per_month : float
        New deals created per month (history's, or the user's).
    won_sizes : array_like of float, optional
        Past won amounts: the sizes of new leads' wins.
    already : float
        Revenue already won in the period before ``as_of``.
    expected_close_at : array_like of datetime, optional
        Place deals by their expected close date (see :func:`period_shares`).
    cycle_factor : float or array_like of float
        Per open deal (or one for all): its remaining time to close is this
        many times the history's (see the module); 1 leaves it.
    new_cycle_factor : float
        The same for the new leads' time to close.
    points : int
        Grid of the sum's cdf when new leads add to the open deals.

    Returns
    -------
    PeriodForecast
    """
    as_of = pd.Timestamp(as_of)
    a, p, shares, new, wins = _parts(
        amounts,
        probabilities,
        created_at,
        cif,
        as_of=as_of,
        period=period,
        inflow_per_month=inflow_per_month,
        won_sizes=won_sizes,
        expected_close_at=expected_close_at,
        cycle_factor=cycle_factor,
        new_cycle_factor=new_cycle_factor,
    )
    return _assemble(
        a,
        p,
        shares,
        new,
        wins,
        as_of=as_of,
        period=period,
        inflow=inflow_per_month,
        already=already,
        points=points,
    )


def _parts(
    amounts,
    probabilities,
    created_at,
    cif,
    *,
    as_of: pd.Timestamp,
    period: Period,
    inflow_per_month,
    won_sizes,
    expected_close_at,
    cycle_factor,
    new_cycle_factor,
):
    """:func:`period_forecast`'s pieces before any distribution of the open deals: (a, p, shares, new, wins)."""
    a = np.asarray(amounts, dtype=float).ravel()
    p = np.asarray(probabilities, dtype=float).ravel()
    if a.shape != p.shape:
        raise ParameterError("error.parameter", name="probabilities", rule=f"one per amount ({len(a)})", value=len(p))
    if cif is None:
        cif = CumulativeIncidence(np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0))
    timing = {"as_of": as_of, "period": period, "expected_close_at": expected_close_at, "cycle_factor": cycle_factor}
    shares = period_shares(created_at, cif, **timing)
    if len(shares) != len(a):
        raise ParameterError("error.parameter", name="created_at", rule=f"one per amount ({len(a)})", value=len(shares))
    wins = new_lead_wins(
        cif, as_of=as_of, period=period, inflow_per_month=inflow_per_month, cycle_factor=new_cycle_factor
    )
    new = compound_poisson(wins, won_sizes if won_sizes is not None else [])
    return a, p, shares, new, wins


def _within(p: np.ndarray, shares: pd.DataFrame) -> np.ndarray:
    """win_within's qᵢ, on the shares already at hand."""
    return np.clip(p * shares["within"].to_numpy(), 0.0, 1.0)


def _new_wins(new: RevenueDistribution, wins: float) -> float:
    """The new leads' expected wins, as the forecast counts them (none without a size to win)."""
    return wins if new.method != "point" else 0.0


def _assemble(a, p, shares, new, wins, *, as_of, period, inflow, already, points) -> PeriodForecast:
    """The period's forecast from each open deal's amount, chance and timing shares, and the new leads' revenue."""
    q = _within(p, shares)
    pipeline = revenue_distribution(a, q)
    total = _add(pipeline, new, float(already), points)
    return PeriodForecast(
        period=period,
        as_of=as_of,
        distribution=total,
        already=float(already),
        pipeline=pipeline,
        new=new,
        new_wins=_new_wins(new, wins),
        inflow_per_month=float(inflow),
        within=q,
        later=float(np.einsum("i,i,i->", a, p, shares["later"].to_numpy())),  # not a BLAS dot: see forecast._dot
        before=float(np.einsum("i,i,i->", a, p, shares["before"].to_numpy())),  # not a BLAS dot: see forecast._dot
        shares=shares,
    )


def won_in(deals: pd.DataFrame, start, stop) -> float:
    """Revenue of deals closed won in [start, stop)."""
    closed = pd.to_datetime(deals["closed_at"])
    mask = (deals["status"] == WON) & (closed >= pd.Timestamp(start)) & (closed < pd.Timestamp(stop))
    return float(deals.loc[mask, "amount"].fillna(0.0).sum())


def as_known_on(deals: pd.DataFrame, when) -> pd.DataFrame:
    """The deals as the CRM showed them at ``when``: created before it; closed later → still open then.

    A deal closed at or after ``when`` gets status "open" and no close date;
    its stage then is not known from these columns (a stage history would
    tell), so models replayed on this view use no stages.
    """
    when = pd.Timestamp(when)
    created = pd.to_datetime(deals["created_at"])
    known = deals.loc[created < when].copy()
    closed = pd.to_datetime(known["closed_at"])
    reopen = known["status"].isin([WON, LOST]) & ~(closed < when)
    known.loc[reopen, "status"] = OPEN
    known.loc[reopen, "closed_at"] = pd.NaT
    return known


def _timing(deals: pd.DataFrame, as_of: pd.Timestamp) -> CumulativeIncidence | None:
    status = deals["status"]
    created = pd.to_datetime(deals["created_at"])
    end = pd.to_datetime(deals["closed_at"]).where(status != OPEN, as_of)
    age = (end - created) / _DAY
    ok = age.notna() & (age >= 0) & status.isin([OPEN, WON, LOST])
    if not status[ok].isin([WON, LOST]).any():
        return None
    return aalen_johansen(age[ok].to_numpy(dtype=float), status[ok].to_numpy())


def _age_probabilities(cif: CumulativeIncidence, created_at, as_of: pd.Timestamp) -> np.ndarray:
    """P(won eventually | open at its age): (CIF_won(∞) − CIF_won(a)) / S(a)."""
    age = np.maximum(((as_of - pd.to_datetime(pd.Series(created_at)).fillna(as_of)) / _DAY).to_numpy(float), 0.0)
    final = float(cif.won[-1]) if len(cif.won) else 0.0
    s = cif.surv(age)
    return np.clip(np.where(s > 0, (final - cif.cif_won(age)) / np.where(s > 0, s, 1.0), 0.0), 0.0, 1.0)


def _replay(deals: pd.DataFrame, period: Period, inflow_months: int) -> PeriodForecast | None:
    """The model as it stood at 00:00 on the period's first day, from the data known then; None without a win before.

    Deals are split into the groups of :data:`REPLAY_GROUPS` present in
    ``deals`` (a funnel and client segment win at their own rate and pace,
    and their mix drifts as the client base grows: pooled, the replay is
    biased). A group with at least :data:`REPLAY_MIN_CLOSED` closed deals
    and a win gets its own close timing, its open deals' chances, its new
    leads (its own inflow over the ``inflow_months`` before, won by the
    period's end at its own pace, sized from its own wins); the other groups
    share the whole history's.
    """
    start = period.start
    known = as_known_on(deals, start)
    cif = _timing(known, start) if len(known) else None
    if cif is None or not (known["status"] == WON).any():
        return None
    is_open = (known["status"] == OPEN).to_numpy()
    is_won = (known["status"] == WON).to_numpy()
    closed = known["status"].isin([WON, LOST]).to_numpy()
    recent = (pd.to_datetime(known["created_at"]) >= start - pd.DateOffset(months=inflow_months)).to_numpy()
    open_ = known[is_open]
    p = _age_probabilities(cif, open_["created_at"], start)
    shares = period_shares(open_["created_at"], cif, as_of=start, period=period)
    parts = []  # (inflow a month, timing, won amounts) of each group with its own history
    rest = np.ones(len(known), dtype=bool)
    keys = [c for c in REPLAY_GROUPS if c in known.columns]
    if keys:
        labels = [known[c].astype("object").where(known[c].notna(), "").astype(str) for c in keys]
        # joined column by column: a row-wise join costs seconds a replay at 100,000 deals
        codes, names = pd.factorize(functools.reduce(lambda a, b: a + "\x1f" + b, labels))
        for code in range(len(names)):
            mine = codes == code
            own = (
                _timing(known[mine], start)
                if (closed & mine).sum() >= REPLAY_MIN_CLOSED and (is_won & mine).any()
                else None
            )
            if own is None:
                continue
            rest &= ~mine
            rows = mine[is_open]
            p[rows] = _age_probabilities(own, open_.loc[rows, "created_at"], start)
            theirs = period_shares(open_.loc[rows, "created_at"], own, as_of=start, period=period)
            for column in ("before", "within", "later"):
                shares.loc[rows, column] = theirs[column].to_numpy()
            parts.append((float((recent & mine).sum()) / inflow_months, own, known.loc[is_won & mine, "amount"]))
    parts.append((float((recent & rest).sum()) / inflow_months, cif, known.loc[is_won & rest, "amount"]))
    new, wins = compound_poisson(0.0, []), 0.0
    for rate, timing, sizes in parts:
        lam = new_lead_wins(timing, as_of=start, period=period, inflow_per_month=rate)
        sizes = sizes.dropna().to_numpy(dtype=float)
        if lam > 0 and (sizes > 0).any():
            wins += lam
            new = add_distributions(new, compound_poisson(lam, sizes))
    return _assemble(
        open_["amount"].fillna(0.0).to_numpy(dtype=float),
        p,
        shares,
        new,
        wins,
        as_of=start,
        period=period,
        inflow=float(recent.sum()) / inflow_months,
        already=0.0,
        points=4096,
    )


def backtest(
    deals: pd.DataFrame,
    *,
    as_of=None,
    months: int = 12,
    inflow_months: int = 12,
    band: tuple[float, float] = (0.1, 0.9),
) -> pd.DataFrame:
    """What the model would have said on the first day of each past month, against what was won in it.

    For each of the last ``months`` whole calendar months before the as-of
    date's month: the deals as known at 00:00 on its first day
    (:func:`as_known_on`), the timing and the lead inflow (over the
    ``inflow_months`` before) from them alone, per funnel and client segment
    with :data:`REPLAY_MIN_CLOSED` closed deals or more, each open deal's
    chance from its age (P(won | still open at age a) from its group's
    Aalen–Johansen fit: stages then are not in a deal table), and the
    month's forecast as :func:`period_forecast` builds it; set against the
    revenue actually won in that month.

    Parameters
    ----------
    deals : DataFrame
        Canonical deals: ``status``, ``amount``, ``created_at``, ``closed_at``.
    as_of : datetime-like, optional
        Today, for the data; default its latest creation or close date.
    months : int
        Past months to replay (months with no history before them are skipped).
    inflow_months : int
        Months of history that set each replay's inflow rate.
    band : (float, float)
        Quantiles of the band ("inside" means actual within it).

    Returns
    -------
    DataFrame
        ``month`` (first day), ``mean``, ``low``, ``p50``, ``high``,
        ``actual``, ``inside`` (bool); one row per replayed month, oldest first.
    """
    if months < 1 or inflow_months < 1:
        raise ParameterError("error.parameter", name="months", rule="≥ 1", value=min(months, inflow_months))
    dates = pd.concat([pd.to_datetime(deals["created_at"]), pd.to_datetime(deals["closed_at"])])
    as_of = pd.Timestamp(as_of) if as_of is not None else dates.max()
    columns = ["month", "mean", "low", "p50", "high", "actual", "inside"]
    if pd.isna(as_of):
        return pd.DataFrame(columns=columns)
    this_month = as_of.to_period("M").start_time
    rows = []
    for k in range(months, 0, -1):
        start = this_month - pd.DateOffset(months=k)
        period = Period(start, start + pd.offsets.MonthEnd(0), "custom")
        forecast = _replay(deals, period, inflow_months)
        if forecast is None:
            continue
        d = forecast.distribution
        low, mid, high = d.quantile([band[0], 0.5, band[1]])
        actual = won_in(deals, period.start, period.stop)
        tol = d.error
        rows.append((start, d.mean, low, mid, high, actual, bool(low - tol <= actual <= high + tol)))
    return pd.DataFrame(rows, columns=columns)


def period_breakdown(open_deals: pd.DataFrame, within, by: str) -> pd.DataFrame:
    """The period's open-deal revenue per value of column ``by`` (funnel, owner, ...).

    Returns
    -------
    DataFrame
        ``by``, ``deals`` (open deals), ``expected`` (Σ a·q), ``sd``
        (√Σ a²q(1−q), the spread it brings), ``share`` (of the expected
        total), largest expected first; missing values grouped as "—".
    """
    a = open_deals["amount"].fillna(0.0).to_numpy(dtype=float)
    q = np.asarray(within, dtype=float)
    # grouped by the values' texts ("—" for none) through integer codes: a slider move regroups the deals,
    # and grouping 10,000 texts costs milliseconds where their codes cost a fraction
    column = open_deals[by]
    # values equal as keys may read differently (1, 1.0 and True; 0.0 and -0.0): these kinds go to text first
    if column.dtype == object or (column.dtype.kind in "fc" and not isinstance(column.dtype, pd.CategoricalDtype)):
        column = column.astype("object").astype(str).where(column.notna())
    codes, values = pd.factorize(column)
    texts = np.array([*(str(v) for v in values), "—"], dtype=object)
    text_codes, names = pd.factorize(texts)
    frame = pd.DataFrame({by: text_codes[codes], "deals": 1, "expected": a * q, "var": a * a * q * (1 - q)})
    out = frame.groupby(by, sort=False, as_index=False).sum()
    out[by] = names[out[by].to_numpy()]
    out["sd"] = np.sqrt(out.pop("var"))
    total = out["expected"].sum()
    out["share"] = out["expected"] / total if total > 0 else 0.0
    return out.sort_values(["expected", by], ascending=[False, True], ignore_index=True)


def risky_deals(open_deals: pd.DataFrame, within, top: int = 10) -> pd.DataFrame:
    """The deals that carry the period: largest expected revenue a·q and largest risk (variance a²q(1−q)).

    Returns
    -------
    DataFrame
        ``open_deals``' columns plus ``within`` (q), ``expected``, ``sd``
        (a·√(q(1−q))), ``risk_share`` (its variance over the total) and
        ``rank_expected``/``rank_risk``; the union of the ``top`` of each
        list, largest expected first.
    """
    a = open_deals["amount"].fillna(0.0).to_numpy(dtype=float)
    q = np.asarray(within, dtype=float)
    var = a * a * q * (1 - q)
    expected = a * q
    rank_expected = pd.Series(-expected).rank(method="first").astype(int).to_numpy()
    rank_risk = pd.Series(-var).rank(method="first").astype(int).to_numpy()
    chosen = (rank_expected <= top) & (expected > 0) | (rank_risk <= top) & (var > 0)
    # the few chosen rows are copied, not the whole table (a slider move picks them anew)
    out = open_deals[chosen].reset_index(drop=True)
    out["within"], out["expected"], out["sd"] = q[chosen], expected[chosen], np.sqrt(var[chosen])
    out["risk_share"] = var[chosen] / var.sum() if var.sum() > 0 else 0.0
    out["rank_expected"], out["rank_risk"] = rank_expected[chosen], rank_risk[chosen]
    return out.sort_values("rank_expected", ignore_index=True)


def forecast_categories(amounts, within, *, commit: float = 0.7, best_case: float = 0.4) -> pd.DataFrame:
    """Commit / best case / pipeline from each deal's chance to be won in the period.

    A deal is "commit" when q ≥ ``commit``, "best_case" when
    ``best_case`` ≤ q < ``commit``, else "pipeline" (q > 0).

    Returns
    -------
    DataFrame
        ``category``, ``deals``, ``amount`` (if all of them are won),
        ``expected`` (Σ a·q), ``cumulative`` (amount of this category and
        the surer ones: commit, commit + best case, all).
    """
    if not (0.0 < best_case <= commit <= 1.0):
        raise ParameterError("error.parameter", name="best_case", rule="0 < best_case ≤ commit ≤ 1", value=best_case)
    a = np.asarray(amounts, dtype=float)
    q = np.asarray(within, dtype=float)
    cat = np.where(q >= commit, "commit", np.where(q >= best_case, "best_case", "pipeline"))
    rows = []
    for name in ("commit", "best_case", "pipeline"):
        mine = (cat == name) & (q > 0)
        rows.append((name, int(mine.sum()), float(a[mine].sum()), float(a[mine] @ q[mine])))
    out = pd.DataFrame(rows, columns=["category", "deals", "amount", "expected"])
    out["cumulative"] = out["amount"].cumsum()
    return out


def open_deals_of(deals: pd.DataFrame) -> pd.DataFrame:
    """The open deals in table order, as :func:`~funnel_model.forecast_views.prepare_forecast` lists them."""
    return deals[(deals["status"] == OPEN).to_numpy()].reset_index(drop=True)


def _expected_dates(deals: pd.DataFrame, by_expected_date: bool):
    """The open deals' expected close dates when the deals are placed by them, else None."""
    if not by_expected_date or "expected_close_at" not in deals.columns:
        return None  # the open deals are not picked out for nothing: milliseconds a call at 100,000 deals
    return open_deals_of(deals)["expected_close_at"]


def period_win_probabilities(
    inputs, deals: pd.DataFrame, probabilities, period: Period, *, by_expected_date: bool = False
) -> pd.Series:
    """Each open deal's probability of being won within ``period``, as :func:`plan_for_period` counts it.

    Parameters
    ----------
    inputs : ForecastInputs
        From :func:`~funnel_model.forecast_views.prepare_forecast` on ``deals``.
    deals : DataFrame
        The same canonical deals.
    probabilities : array_like
        Per open deal win probability (whenever it closes), in table order.
    period : Period
    by_expected_date : bool
        Place deals by their expected close date where they have one (the
        Forecast page's setting).

    Returns
    -------
    pandas.Series
        On the open deals' index of ``deals``; all zero when the dates
        cannot time a win (no open deal is counted in the period).
    """
    index = deals.index[(deals["status"] == OPEN).to_numpy()]
    p = np.asarray(probabilities, dtype=float).ravel()
    if len(p) != len(index):
        raise ParameterError(
            "error.parameter", name="probabilities", rule=f"one per open deal ({len(index)})", value=len(p)
        )
    if inputs.cif is None or inputs.as_of is None:
        return pd.Series(0.0, index=index, name="probability")
    q = win_within(
        p,
        inputs.open_deals["created_at"],
        inputs.cif,
        as_of=inputs.as_of,
        period=period,
        expected_close_at=_expected_dates(deals, by_expected_date),
    )
    return pd.Series(q, index=index, name="probability")


def plan_for_period(
    inputs,
    deals: pd.DataFrame,
    probabilities,
    period: Period,
    *,
    inflow_per_month: float | None = None,
    by_expected_date: bool = False,
    cycle_factor=1.0,
    new_cycle_factor: float = 1.0,
) -> PeriodForecast | None:
    """:func:`period_forecast` for the Forecast page's inputs; None when the dates cannot time a win.

    Parameters
    ----------
    inputs : ForecastInputs
        From :func:`~funnel_model.forecast_views.prepare_forecast` on ``deals``.
    deals : DataFrame
        The same canonical deals (for close dates, already won revenue and
        expected close dates).
    probabilities : array_like
        Per open deal win probability (the what-if).
    period : Period
    inflow_per_month : float, optional
        New deals per month; default the history's (``inputs.inflow_per_month``).
    by_expected_date : bool
        Place deals by their expected close date where they have one.
    cycle_factor, new_cycle_factor
        As in :func:`period_forecast` (the moves' cycle length).
    """
    if inputs.cif is None or inputs.as_of is None:
        return None
    return period_forecast(
        **_page_inputs(inputs, deals, probabilities, period, inflow_per_month, by_expected_date),
        already=won_in(deals, period.start, min(period.stop, inputs.as_of + pd.Timedelta(microseconds=1))),
        cycle_factor=cycle_factor,
        new_cycle_factor=new_cycle_factor,
    )


def _page_inputs(inputs, deals, probabilities, period, inflow_per_month, by_expected_date) -> dict:
    """The arguments :func:`plan_for_period` and :func:`period_chances` hand to the period's model."""
    return {
        "amounts": inputs.open_deals["amount"].to_numpy(dtype=float),
        "probabilities": probabilities,
        "created_at": inputs.open_deals["created_at"],
        "cif": inputs.cif,
        "as_of": pd.Timestamp(inputs.as_of),
        "period": period,
        "inflow_per_month": inputs.inflow_per_month if inflow_per_month is None else float(inflow_per_month),
        "won_sizes": inputs.won_sizes,
        "expected_close_at": _expected_dates(deals, by_expected_date),
    }


def period_chances(
    inputs,
    deals: pd.DataFrame,
    probabilities,
    period: Period,
    *,
    inflow_per_month: float | None = None,
    by_expected_date: bool = False,
    cycle_factor=1.0,
    new_cycle_factor: float = 1.0,
) -> tuple[np.ndarray, float] | None:
    """:func:`plan_for_period`'s ``within`` and ``new_wins`` alone, without its distributions.

    For a caller that needs only each open deal's chance in the period and
    the new leads' expected wins (a move's own effect): the same figures,
    at a fraction of the cost. Parameters are :func:`plan_for_period`'s;
    None when the dates cannot time a win.
    """
    if inputs.cif is None or inputs.as_of is None:
        return None
    _, p, shares, new, wins = _parts(
        **_page_inputs(inputs, deals, probabilities, period, inflow_per_month, by_expected_date),
        cycle_factor=cycle_factor,
        new_cycle_factor=new_cycle_factor,
    )
    return _within(p, shares), _new_wins(new, wins)


def compare_periods(deals: pd.DataFrame, period: Period, *, as_of=None, inflow_months: int = 12) -> pd.DataFrame:
    """This period against the previous one and the same period a year before.

    Per period: deals created in it, deals won and lost in it (closed
    there), the win rate of those closed, the revenue won (so far, for a
    period still running), and what the model said on its first day
    (:func:`backtest`'s replay: mean and P10–P90; NaN for a period that has
    not begun or has no history before it).

    Returns
    -------
    DataFrame
        ``which`` ("this", "previous", "year_ago"), ``start``, ``end``,
        ``created``, ``won``, ``lost``, ``win_rate``, ``revenue``,
        ``forecast``, ``forecast_low``, ``forecast_high``, ``complete``
        (the period ended by the as-of date).
    """
    dates = pd.concat([pd.to_datetime(deals["created_at"]), pd.to_datetime(deals["closed_at"])])
    as_of = pd.Timestamp(as_of) if as_of is not None else dates.max()
    created = pd.to_datetime(deals["created_at"])
    closed = pd.to_datetime(deals["closed_at"])
    rows = []
    for which, p in (
        ("this", period),
        ("previous", shifted_period(period, "previous")),
        ("year_ago", shifted_period(period, "year_ago")),
    ):
        in_created = (created >= p.start) & (created < p.stop)
        in_closed = (closed >= p.start) & (closed < p.stop)
        won = int((in_closed & (deals["status"] == WON)).sum())
        lost = int((in_closed & (deals["status"] == LOST)).sum())
        mean = low = high = math.nan
        if p.start <= as_of:
            replay = _replay(deals, p, inflow_months)
            if replay is not None:
                d = replay.distribution
                mean, (low, high) = d.mean, d.quantile([0.1, 0.9])
        rows.append(
            {
                "which": which,
                "start": p.start,
                "end": p.end,
                "created": int(in_created.sum()),
                "won": won,
                "lost": lost,
                "win_rate": won / (won + lost) if won + lost else math.nan,
                "revenue": won_in(deals, p.start, p.stop),
                "forecast": mean,
                "forecast_low": float(low),
                "forecast_high": float(high),
                "complete": bool(p.stop <= as_of),
            }
        )
    return pd.DataFrame(rows)


def recent_change(
    deals: pd.DataFrame,
    *,
    as_of=None,
    days: int = 90,
    by: tuple[str, ...] = ("funnel", "segment"),
) -> pd.DataFrame:
    """Win rate of the deals closed in the last ``days`` days against the ``days`` before, per group.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``won_now``, ``closed_now``, ``rate_now``,
        ``won_before``, ``closed_before``, ``rate_before`` (NaN without a
        closed deal), ``change`` (rate_now − rate_before, in shares) and
        ``created_now``/``created_before`` (deals created in each window).
    """
    if days < 1:
        raise ParameterError("error.parameter", name="days", rule="≥ 1", value=days)
    dates = pd.concat([pd.to_datetime(deals["created_at"]), pd.to_datetime(deals["closed_at"])])
    as_of = pd.Timestamp(as_of) if as_of is not None else dates.max()
    keys = [c for c in by if c in deals.columns]
    columns = [*keys, "won_now", "closed_now", "rate_now", "won_before", "closed_before", "rate_before", "change"]
    columns += ["created_now", "created_before"]
    if pd.isna(as_of) or not keys:
        return pd.DataFrame(columns=columns)
    mid, first = as_of - pd.Timedelta(days=days), as_of - pd.Timedelta(days=2 * days)
    closed = pd.to_datetime(deals["closed_at"])
    created = pd.to_datetime(deals["created_at"])
    is_closed = deals["status"].isin([WON, LOST])
    won = deals["status"] == WON
    frame = (
        deals[keys]
        .astype("object")
        .assign(
            won_now=(won & (closed > mid) & (closed <= as_of)).astype(int),
            closed_now=(is_closed & (closed > mid) & (closed <= as_of)).astype(int),
            won_before=(won & (closed > first) & (closed <= mid)).astype(int),
            closed_before=(is_closed & (closed > first) & (closed <= mid)).astype(int),
            created_now=((created > mid) & (created <= as_of)).astype(int),
            created_before=((created > first) & (created <= mid)).astype(int),
        )
    )
    out = frame.groupby(keys, dropna=False, sort=False, as_index=False).sum()
    for when in ("now", "before"):
        out[f"rate_{when}"] = out[f"won_{when}"] / out[f"closed_{when}"].where(out[f"closed_{when}"] > 0)
    out["change"] = out["rate_now"] - out["rate_before"]
    return out[columns]
