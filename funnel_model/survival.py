"""Time from creation to close: Aalen–Johansen cumulative incidence.

Closed deals end in one of two competing events, won or lost; open deals are
censored at their age on the as-of date. The Aalen–Johansen estimator gives
CIF_won(t) = P(won by age t) and CIF_lost(t) alongside the all-cause survival
S(t) = P(still open at age t). For an open deal of age a the chance to be won
within the next t days is (CIF_won(a + t) − CIF_won(a)) / S(a).

``revenue_by_month`` spreads the open pipeline's expected revenue over the
coming calendar months with that timing, and adds the revenue of leads not
yet in the pipeline at the historical inflow rate and conversion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel_model.errors import ParameterError
from funnel_model.forecast import revenue_distribution

__all__ = ["CumulativeIncidence", "aalen_johansen", "revenue_by_month"]

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
) -> pd.DataFrame:
    """Expected revenue per coming calendar month, with a band.

    An open deal with win probability p and age a is won in month m with
    probability p · w_m, where w_m is the share of its remaining
    Aalen–Johansen win incidence that falls in month m (so that over all
    time its expected revenue is still a·p). What falls beyond the horizon
    or beyond the longest observed cycle is reported as month "later".

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
        Won deal amounts; their mean is the new deals' expected size.
    band : (float, float)
        Quantiles of the band.
    band_points : int
        Lattice size of each month's distribution.

    Returns
    -------
    DataFrame
        ``month`` (first day), ``pipeline`` (expected revenue of open deals),
        ``pipeline_low``/``pipeline_high`` (band), ``new_leads`` (expected),
        ``new_low``/``new_high``, ``total``; a last row with month NaT
        holds the pipeline revenue beyond the horizon.
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
    rows = []
    lo_q, hi_q = band
    for m in range(months + 1):
        pm = p * (share[:, m] if m < months else later)
        # a coarse grid is plenty for a band drawn as an error bar
        d = revenue_distribution(a, np.clip(pm, 0.0, 1.0), max_points=band_points)
        lo, hi = d.quantile([lo_q, hi_q])
        rows.append((edges[m] if m < months else pd.NaT, d.mean, lo, hi))
    out = pd.DataFrame(rows, columns=["month", "pipeline", "pipeline_low", "pipeline_high"])
    out["month"] = pd.to_datetime(out["month"]).dt.to_period("M").dt.to_timestamp()
    out["new_leads"] = 0.0
    out["new_low"] = 0.0
    out["new_high"] = 0.0
    sizes = np.asarray(won_sizes if won_sizes is not None else [], dtype=float)
    sizes = sizes[np.isfinite(sizes)]
    if inflow_per_month > 0 and len(sizes) and len(cif.times):
        # leads created evenly over each coming month; a lead created at time c is won in month m
        # with probability CIF_won(edge_{m+1} − c) − CIF_won(edge_m − c), averaged over c in its month
        e_days = np.asarray((edges - as_of) / _DAY, dtype=float)
        grid = np.linspace(0.0, 1.0, 9)[:-1] + 1 / 16  # midpoints of 8 slices of a month
        mean_size, mean_sq = float(sizes.mean()), float((sizes**2).mean())
        for m in range(months):
            wins = 0.0
            for c in range(m + 1):
                starts = e_days[c] + grid * (e_days[c + 1] - e_days[c])
                share_of_month = (e_days[c + 1] - e_days[c]) / 30.4375
                won_in_m = cif.cif_won(np.maximum(e_days[m + 1] - starts, 0)) - cif.cif_won(
                    np.maximum(e_days[m] - starts, 0)
                )
                wins += inflow_per_month * share_of_month * float(np.mean(won_in_m))
            # compound Poisson: wins ~ Poisson, revenue variance = wins · E[size²]
            mean, sd = wins * mean_size, float(np.sqrt(wins * mean_sq))
            out.loc[m, ["new_leads", "new_low", "new_high"]] = [mean, max(mean - 1.2816 * sd, 0.0), mean + 1.2816 * sd]
    out["total"] = out["pipeline"] + out["new_leads"]
    return out
