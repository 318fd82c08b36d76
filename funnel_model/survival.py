"""Time from creation to close: Aalen–Johansen cumulative incidence.

Closed deals end in one of two competing events, won or lost; open deals are
censored at their age on the as-of date. The Aalen–Johansen estimator gives
CIF_won(t) = P(won by age t) and CIF_lost(t) alongside the all-cause survival
S(t) = P(still open at age t). For an open deal of age a the chance to be won
within the next t days is (CIF_won(a + t) − CIF_won(a)) / S(a).

``revenue_by_month`` spreads the open pipeline's revenue over the coming
calendar months with that timing, and adds the revenue of leads not yet in
the pipeline at the historical inflow rate and conversion; each month's band
is a quantile band of that month's total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel_model.errors import ParameterError
from funnel_model.forecast import revenue_distribution

__all__ = ["CumulativeIncidence", "NewLeadDraws", "aalen_johansen", "new_lead_draws", "revenue_by_month"]

_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class CumulativeIncidence:
    """Step functions of age (days), right-continuous, starting at age 0.

    Attributes
    ----------
    times : ndarray
        Distinct event ages, increasing.
    won, lost : ndarray
        CIF_won and CIF_lost just after each time.
    survival : ndarray
        S(t) = 1 − CIF_won − CIF_lost just after each time.
    """

    times: np.ndarray
    won: np.ndarray
    lost: np.ndarray
    survival: np.ndarray

    def _at(self, values: np.ndarray, t, start: float) -> np.ndarray:
        idx = np.searchsorted(self.times, np.asarray(t, dtype=float), side="right") - 1
        return np.where(idx >= 0, values[np.maximum(idx, 0)] if len(values) else start, start)

    def cif_won(self, t) -> np.ndarray:
        """P(won by age t)."""
        return self._at(self.won, t, 0.0)

    def cif_lost(self, t) -> np.ndarray:
        """P(lost by age t)."""
        return self._at(self.lost, t, 0.0)

    def surv(self, t) -> np.ndarray:
        """P(still open at age t)."""
        return self._at(self.survival, t, 1.0)

    def won_within(self, age, horizon) -> np.ndarray:
        """P(won in (age, age + horizon] | open at ``age``); 0 where S(age) is 0."""
        age = np.asarray(age, dtype=float)
        s = self.surv(age)
        gain = self.cif_won(age + np.asarray(horizon, dtype=float)) - self.cif_won(age)
        return np.where(s > 0, gain / np.where(s > 0, s, 1.0), 0.0)

    def table(self) -> pd.DataFrame:
        """``time``, ``won``, ``lost``, ``survival`` for charts and checks."""
        return pd.DataFrame({"time": self.times, "won": self.won, "lost": self.lost, "survival": self.survival})


def aalen_johansen(durations, events) -> CumulativeIncidence:
    """Aalen–Johansen estimate of the cumulative incidence of won and lost.

    Parameters
    ----------
    durations : array_like of float
        Age at close (closed deals) or at the as-of date (open deals), ≥ 0.
    events : array_like of str
        "won", "lost" or "open" (censored). A deal censored at the same age
        as an event still counts as at risk for that event.

    Returns
    -------
    CumulativeIncidence

    Raises
    ------
    ParameterError
        Negative or missing durations, or an unknown event.
    """
    t = np.asarray(durations, dtype=float).ravel()
    e = np.asarray(events, dtype=object).ravel()
    if t.shape != e.shape:
        raise ParameterError("error.parameter", name="events", rule=f"one per duration ({len(t)})", value=len(e))
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise ParameterError("error.parameter", name="durations", rule="finite and ≥ 0", value=t[~(t >= 0)][:1])
    bad = sorted(set(e.tolist()) - {"won", "lost", "open"})
    if bad:
        raise ParameterError("error.parameter", name="events", rule="won / lost / open", value=bad[0])
    times, inv = np.unique(t, return_inverse=True)
    d_won = np.bincount(inv, weights=(e == "won"), minlength=len(times))
    d_lost = np.bincount(inv, weights=(e == "lost"), minlength=len(times))
    leaving = np.bincount(inv, minlength=len(times))
    at_risk = len(t) - np.concatenate([[0], np.cumsum(leaving)[:-1]])
    events_ = (d_won + d_lost) > 0
    times, d_won, d_lost, at_risk = times[events_], d_won[events_], d_lost[events_], at_risk[events_]
    hazard = (d_won + d_lost) / at_risk
    surv = np.cumprod(1.0 - hazard)
    before = np.concatenate([[1.0], surv[:-1]])
    won = np.cumsum(before * d_won / at_risk)
    lost = np.cumsum(before * d_lost / at_risk)
    return CumulativeIncidence(times, won, lost, surv)


@dataclass(frozen=True)
class NewLeadDraws:
    """The new leads' part of :func:`revenue_by_month`: what the open deals' chances do not change.

    Attributes
    ----------
    months, draws : int
        The horizon and the number of draws they were made for.
    wins : ndarray
        Expected new-lead wins per coming month.
    new : tuple of ndarray
        Per month (and the "later" row last): draws of the new leads' revenue,
        in increasing order (only quantiles of the draws are read, so their
        order is free; sorted, they are read several times faster).
    uniforms : tuple of ndarray
        Per month: the uniform draws at which the month's total takes its
        pipeline part (the draws of :func:`revenue_by_month` follow one seeded
        stream, month by month), sorted.
    order : tuple of ndarray
        Per month: the draw each sorted uniform belongs to, so every draw
        keeps its own pair of uniform and new-lead revenue. A quantile
        function looks up sorted levels several times faster than shuffled
        ones, and every slider move looks up 20,000 a month.
    """

    months: int
    draws: int
    wins: np.ndarray
    new: tuple
    uniforms: tuple
    order: tuple

    def pipeline_draws(self, m: int, dist) -> np.ndarray:
        """Month ``m``'s pipeline part of each draw: ``dist``'s quantile at the draw's uniform."""
        out = np.empty(self.draws)
        out[self.order[m]] = dist.quantile(self.uniforms[m])
        return out


def new_lead_draws(
    cif: CumulativeIncidence,
    *,
    as_of,
    months: int = 12,
    inflow_per_month: float = 0.0,
    won_sizes=None,
    draws: int = 20_000,
    seed: int = 0,
) -> NewLeadDraws:
    """The draws of :func:`revenue_by_month` that do not depend on the open deals, made once for many calls.

    Parameters are :func:`revenue_by_month`'s; its result with these draws
    handed over (``new_leads=``) is the same as without them.
    """
    if months < 1:
        raise ParameterError("error.parameter", name="months", rule="≥ 1", value=months)
    as_of = pd.Timestamp(as_of)
    edges = _month_edges(as_of, months)
    sizes = _won_sizes(won_sizes)
    wins = _new_lead_wins(cif, edges, as_of, inflow_per_month) if len(sizes) else np.zeros(months)
    rng = np.random.default_rng(seed)
    new, uniforms, order = [], [], []
    for m in range(months + 1):
        revenue = _compound_poisson(rng, float(wins[m]) if m < months else 0.0, sizes, draws)
        u = rng.random(draws)
        by_revenue = np.argsort(revenue, kind="stable")
        new.append(revenue[by_revenue])
        u = u[by_revenue]
        order.append(np.argsort(u, kind="stable").astype(np.int32))
        uniforms.append(u[order[-1]])
    return NewLeadDraws(months, draws, wins, tuple(new), tuple(uniforms), tuple(order))


def _won_sizes(won_sizes) -> np.ndarray:
    sizes = np.asarray(won_sizes if won_sizes is not None else [], dtype=float)
    return sizes[np.isfinite(sizes)]


def _month_edges(as_of: pd.Timestamp, months: int) -> pd.DatetimeIndex:
    first = (as_of + pd.offsets.MonthBegin(1)).normalize()
    return pd.DatetimeIndex([as_of, *pd.date_range(first, periods=months, freq="MS")])


def revenue_by_month(
    open_deals: pd.DataFrame,
    probabilities,
    cif: CumulativeIncidence,
    *,
    as_of,
    months: int = 12,
    inflow_per_month: float = 0.0,
    won_sizes=None,
    band: tuple[float, float] = (0.1, 0.9),
    band_points: int = 2048,
    draws: int = 20_000,
    seed: int = 0,
    new_leads: NewLeadDraws | None = None,
) -> pd.DataFrame:
    """Expected revenue per coming calendar month, with a band.

    An open deal with win probability p and age a is won in month m with
    probability p · w_m, where w_m is the share of its remaining
    Aalen–Johansen win incidence that falls in month m (so that over all
    time its expected revenue is still a·p). What falls beyond the horizon
    or beyond the longest observed cycle is reported as month "later".

    New leads are created evenly at ``inflow_per_month``; a lead created at
    time c is won in month m with probability CIF_won(edge_{m+1} − c) −
    CIF_won(edge_m − c), where a month before the lead's creation counts
    nothing (so a win on the very day the lead was created, age 0, counts
    in its creation month). The number of new-lead wins in a month is
    Poisson, each of a size drawn from ``won_sizes``.

    The month's band: its pipeline revenue is exactly the distribution of
    Σ aᵢ·Bernoulli(pᵢw_m) (:func:`~funnel_model.forecast.revenue_distribution`);
    the band of the month's total (pipeline plus new leads, independent) is
    taken from ``draws`` seeded draws of that sum: quantiles of the total,
    not sums of the parts' quantiles.

    Parameters
    ----------
    open_deals : DataFrame
        Columns ``amount`` and ``created_at``.
    probabilities : array_like of float
        Win probability of each open deal (the what-if sliders).
    cif : CumulativeIncidence
        From :func:`aalen_johansen` on the dataset's deals.
    as_of : datetime-like
        Today, for the data: month 1 runs from here to the end of its month.
    months : int
        Horizon in calendar months.
    inflow_per_month : float
        New deals created per month (historical average); with ``won_sizes``
        adds the revenue of leads not yet in the pipeline.
    won_sizes : array_like of float, optional
        Won deal amounts: new-lead wins are drawn from them.
    band : (float, float)
        Quantiles of the band.
    band_points : int
        Lattice size of each month's pipeline distribution.
    draws : int
        Seeded draws of each month's total.
    seed : int
        Seed of the draws.
    new_leads : NewLeadDraws, optional
        :func:`new_lead_draws` of the same ``cif``, ``as_of``, ``months``,
        ``inflow_per_month``, ``won_sizes``, ``draws`` and ``seed``, when the
        caller keeps them (they do not change with the chances); made here
        when None.

    Returns
    -------
    DataFrame
        ``month`` (first day), ``pipeline`` (expected revenue of open deals),
        ``pipeline_low``/``pipeline_high`` (its band), ``new_leads``
        (expected), ``new_low``/``new_high`` (its band), ``total`` (expected)
        and ``total_low``/``total_high`` (band of the month's total); a last
        row with month NaT holds the pipeline revenue beyond the horizon.
    """
    if months < 1:
        raise ParameterError("error.parameter", name="months", rule="≥ 1", value=months)
    as_of = pd.Timestamp(as_of)
    edges = _month_edges(as_of, months)
    a = open_deals["amount"].fillna(0.0).to_numpy(dtype=float)
    p = np.asarray(probabilities, dtype=float)
    created = pd.to_datetime(open_deals["created_at"]).fillna(as_of)
    age = np.maximum((as_of - created).to_numpy() / _DAY, 0.0)
    # remaining win incidence of each deal at each month edge (deals × edges)
    at_edges = np.subtract.outer(np.asarray((edges - as_of) / _DAY, dtype=float), -age).T
    cw = cif.cif_won(at_edges)
    remaining = (cif.won[-1] if len(cif.won) else 0.0) - cw[:, :1]
    share = np.where(remaining > 1e-12, np.diff(cw, axis=1) / np.where(remaining > 1e-12, remaining, 1.0), 0.0)
    # deals older than every observed close have no timing estimate: all of it goes to "later"
    later = 1.0 - share.sum(axis=1)
    lo_q, hi_q = band
    sizes = _won_sizes(won_sizes)
    if new_leads is None:
        new_leads = new_lead_draws(
            cif, as_of=as_of, months=months, inflow_per_month=inflow_per_month, won_sizes=sizes, draws=draws, seed=seed
        )
    elif (new_leads.months, new_leads.draws) != (months, draws):
        raise ParameterError(
            "error.parameter",
            name="new_leads",
            rule=f"made for {months} months and {draws} draws",
            value=(new_leads.months, new_leads.draws),
        )
    wins = new_leads.wins
    rows = []
    for m in range(months + 1):
        pm = p * (share[:, m] if m < months else later)
        # a coarse grid is plenty for a band drawn as an error bar
        d = revenue_distribution(a, np.clip(pm, 0.0, 1.0), max_points=band_points, exact_max_cells=16 * band_points)
        lo, hi = d.quantile([lo_q, hi_q])
        lam = float(wins[m]) if m < months else 0.0
        new = new_leads.new[m]
        row = [d.mean, lo, hi, lam * (float(sizes.mean()) if len(sizes) else 0.0)]
        row += list(np.quantile(new, band, method="inverted_cdf"))
        if lam > 0:
            row += list(np.quantile(new_leads.pipeline_draws(m, d) + new, band, method="inverted_cdf"))
        else:
            row += [lo, hi]
        rows.append((edges[m] if m < months else pd.NaT, *row))
    columns = ["month", "pipeline", "pipeline_low", "pipeline_high", "new_leads", "new_low", "new_high"]
    out = pd.DataFrame(rows, columns=[*columns, "total_low", "total_high"])
    out["month"] = pd.to_datetime(out["month"]).dt.to_period("M").dt.to_timestamp()
    out["total"] = out["pipeline"] + out["new_leads"]
    return out[[*columns, "total", "total_low", "total_high"]]


def _new_lead_wins(cif: CumulativeIncidence, edges: pd.DatetimeIndex, as_of: pd.Timestamp, inflow: float):
    """Expected wins of leads not yet created, per coming month."""
    months = len(edges) - 1
    out = np.zeros(months)
    if inflow <= 0 or not len(cif.times):
        return out
    # leads created evenly over each coming month: 8 slices, each at its midpoint
    e_days = np.asarray((edges - as_of) / _DAY, dtype=float)
    grid = np.linspace(0.0, 1.0, 9)[:-1] + 1 / 16
    for m in range(months):
        for c in range(m + 1):
            starts = e_days[c] + grid * (e_days[c + 1] - e_days[c])
            share_of_month = (e_days[c + 1] - e_days[c]) / 30.4375
            upper = cif.cif_won(e_days[m + 1] - starts)
            # before its creation a lead has won nothing; CIF_won(0) holds the wins on the day of creation
            lower = np.where(e_days[m] > starts, cif.cif_won(np.maximum(e_days[m] - starts, 0.0)), 0.0)
            out[m] += inflow * share_of_month * float(np.mean(upper - lower))
    return out


def _compound_poisson(rng: np.random.Generator, lam: float, sizes: np.ndarray, draws: int) -> np.ndarray:
    """Draws of Σ of N ~ Poisson(``lam``) sizes resampled from ``sizes``."""
    if lam <= 0 or not len(sizes):
        return np.zeros(draws)
    n = rng.poisson(lam, draws)
    if n.sum() > 50 * draws:
        # hundreds of wins a month: the sum is normal to well within the band's own noise
        mean, var = lam * sizes.mean(), lam * float((sizes**2).mean())
        return np.maximum(rng.normal(mean, math.sqrt(var), draws), 0.0)
    picked = rng.choice(sizes, int(n.sum()))
    return np.bincount(np.repeat(np.arange(draws), n), weights=picked, minlength=draws)
