"""The Forecast & plan page's computation, as pure functions.

:func:`prepare_forecast` does the slow part once per dataset (stage win
rates, the Aalen–Johansen timing, inflow of new deals); the functions after it
are cheap and run on every slider move: per-deal probabilities from the
per-stage sliders, the revenue distribution and its summary, the band with
uncertain stage rates, revenue by close month, the reverse funnel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel_model.config import FunnelConfig
from funnel_model.errors import ParameterError
from funnel_model.forecast import RevenueDistribution, revenue_distribution, uncertain_rates_distribution
from funnel_model.geometry import stage_win_rates
from funnel_model.plan import reverse_funnel
from funnel_model.schema import LOST, OPEN, WON
from funnel_model.survival import CumulativeIncidence, aalen_johansen, revenue_by_month

__all__ = [
    "ForecastInputs",
    "deal_probabilities",
    "forecast_summary",
    "month_forecast",
    "plan_by_funnel",
    "prepare_forecast",
    "rate_uncertainty",
]

_DAY = np.timedelta64(1, "D")
_MONTH_DAYS = 30.4375


@dataclass(frozen=True)
class ForecastInputs:
    """What the forecast needs from a dataset, computed once.

    Attributes
    ----------
    open_deals : DataFrame
        Open deals: ``amount`` (missing → 0), ``funnel``, ``stage``,
        ``segment``, ``created_at``, ``probability`` (the seller's own) and
        ``group`` (row of ``stages``, -1 when the stage is not configured).
    stages : DataFrame
        One row per funnel and open stage in config order: ``funnel``,
        ``stage``, ``order``, ``configured``, ``rate`` (historical win rate),
        ``low``, ``high``, ``won``, ``lost``, ``open`` (open deals there),
        ``reached`` (open deals at this stage or later), ``segment`` (the
        funnel's most common client segment).
    cif : CumulativeIncidence or None
        Time to close; None without dates.
    as_of : Timestamp or None
        The data's "today": its latest creation or close date.
    inflow_per_month : float
        Deals created per month over the last ``inflow_months`` months.
    won_sizes : ndarray
        Amounts of won deals.
    won_share : Series
        Each funnel's share of historical won revenue (splits a plan).
    won_sizes_by_funnel : dict
        Won amounts per funnel.
    """

    open_deals: pd.DataFrame
    stages: pd.DataFrame
    cif: CumulativeIncidence | None
    as_of: pd.Timestamp | None
    inflow_per_month: float
    won_sizes: np.ndarray
    won_share: pd.Series
    won_sizes_by_funnel: dict[str, np.ndarray]


def _funnel_of(deals: pd.DataFrame, config: FunnelConfig) -> pd.Series:
    funnel = deals["funnel"].astype("object")
    if len(config.funnels) == 1:
        funnel = funnel.where(funnel.notna(), config.funnels[0].name)
    return funnel


def prepare_forecast(
    deals: pd.DataFrame,
    config: FunnelConfig,
    history: pd.DataFrame | None = None,
    *,
    as_of=None,
    inflow_months: int = 12,
) -> ForecastInputs:
    """Everything slow the forecast needs, from the canonical deal table.

    Parameters
    ----------
    deals : DataFrame
        Canonical deals (``status`` filled; ``segment`` filled if available).
    config : FunnelConfig
        Funnels and their open stages.
    history : DataFrame, optional
        Stage history, for exact historical win rates.
    as_of : datetime-like, optional
        Today, for the data; default its latest creation or close date.
    inflow_months : int
        Months of history that set the inflow rate of new deals.

    Returns
    -------
    ForecastInputs
    """
    if inflow_months < 1:
        raise ParameterError("error.parameter", name="inflow_months", rule="≥ 1", value=inflow_months)
    rates = stage_win_rates(deals, config, history)
    stages = pd.DataFrame(
        {
            "funnel": rates["funnel"].astype(str),
            "stage": rates["stage"].astype(str),
            "order": rates["order"].astype(int),
            "configured": rates["configured"].astype(float),
            "rate": rates["rate"].astype(float).fillna(rates["configured"].astype(float)),
            "low": rates["low"].astype(float),
            "high": rates["high"].astype(float),
            "won": rates["won"].astype(int),
            "lost": rates["lost"].astype(int),
        }
    ).reset_index(drop=True)
    funnel = _funnel_of(deals, config)
    status = deals["status"].astype("object")
    is_open = (status == OPEN).to_numpy()
    key = pd.MultiIndex.from_frame(stages[["funnel", "stage"]])
    group = key.get_indexer(pd.MultiIndex.from_arrays([funnel[is_open], deals.loc[is_open, "stage"].astype("object")]))
    open_deals = pd.DataFrame(
        {
            "amount": deals.loc[is_open, "amount"].fillna(0.0).astype(float).to_numpy(),
            "funnel": funnel[is_open].to_numpy(),
            "stage": deals.loc[is_open, "stage"].to_numpy(),
            "segment": deals.loc[is_open, "segment"].to_numpy(),
            "created_at": deals.loc[is_open, "created_at"].to_numpy(),
            "probability": deals.loc[is_open, "probability"].astype(float).to_numpy(),
            "group": group,
        }
    )
    counts = np.bincount(group[group >= 0], minlength=len(stages)) if len(stages) else np.zeros(0, int)
    stages["open"] = counts
    # open deals at this stage or a later one of the same funnel
    stages["reached"] = stages.iloc[::-1].groupby("funnel", sort=False)["open"].cumsum().iloc[::-1]
    seg = pd.DataFrame({"funnel": funnel, "segment": deals["segment"].astype("object")}).dropna()
    mode = seg.groupby("funnel")["segment"].agg(lambda s: s.value_counts().index[0]) if len(seg) else pd.Series()
    stages["segment"] = stages["funnel"].map(mode)

    dates = pd.concat([deals["created_at"], deals["closed_at"]])
    as_of = pd.Timestamp(as_of) if as_of is not None else (dates.max() if dates.notna().any() else None)
    cif, inflow = None, 0.0
    if as_of is not None and deals["created_at"].notna().any():
        end = deals["closed_at"].where(status != OPEN, as_of)
        age = (end - deals["created_at"]) / _DAY
        ok = age.notna() & (age >= 0) & status.isin([OPEN, WON, LOST])
        if ok.any() and status[ok].isin([WON, LOST]).any():
            cif = aalen_johansen(age[ok].to_numpy(dtype=float), status[ok].to_numpy())
        start = as_of - pd.DateOffset(months=inflow_months)
        inflow = float(((deals["created_at"] > start) & (deals["created_at"] <= as_of)).sum()) / inflow_months
    won = status == WON
    won_amount = deals.loc[won, "amount"].astype(float)
    won_sizes = won_amount.dropna().to_numpy()
    by_funnel = pd.DataFrame({"funnel": funnel[won], "amount": won_amount}).dropna()
    share = by_funnel.groupby("funnel")["amount"].sum()
    share = share / share.sum() if share.sum() > 0 else share
    sizes_by_funnel = {str(f): g.to_numpy(dtype=float) for f, g in by_funnel.groupby("funnel")["amount"]}
    return ForecastInputs(open_deals, stages, cif, as_of, inflow, won_sizes, share, sizes_by_funnel)


def deal_probabilities(inputs: ForecastInputs, stage_p, *, own: bool = False) -> np.ndarray:
    """Win probability of each open deal.

    Parameters
    ----------
    inputs : ForecastInputs
    stage_p : array_like of float
        One probability per row of ``inputs.stages`` (the sliders).
    own : bool
        Use each deal's own probability where it has one.

    Returns
    -------
    ndarray
        Deals at a stage outside the config get their own probability, or 0.
    """
    sp = np.asarray(stage_p, dtype=float)
    if sp.shape != (len(inputs.stages),) or np.any(~np.isfinite(sp)) or np.any((sp < 0) | (sp > 1)):
        raise ParameterError("error.parameter", name="stage_p", rule="one probability in [0, 1] per stage", value=sp)
    group = inputs.open_deals["group"].to_numpy()
    p = np.where(group >= 0, sp[np.maximum(group, 0)] if len(sp) else 0.0, np.nan)
    mine = inputs.open_deals["probability"].to_numpy(dtype=float)
    if own:
        p = np.where(np.isfinite(mine), mine, p)
    return np.clip(np.where(np.isfinite(p), p, np.where(np.isfinite(mine), mine, 0.0)), 0.0, 1.0)


def forecast_summary(dist: RevenueDistribution, plan: float) -> dict[str, float]:
    """E[S], P10, P50, P90 and P(S ≥ plan) of a distribution."""
    p10, p50, p90 = dist.quantile([0.1, 0.5, 0.9])
    return {
        "mean": dist.mean,
        "p10": float(p10),
        "p50": float(p50),
        "p90": float(p90),
        "p_plan": dist.prob_at_least(plan),
    }


def rate_uncertainty(inputs: ForecastInputs, *, seed: int = 0, draws: int = 4000) -> RevenueDistribution:
    """Revenue when each stage's rate is drawn from its historical Beta.

    Deals at stages outside the config keep their own probability as a sure
    expectation (they are few and have no history to draw from).
    """
    deals = inputs.open_deals
    known = deals["group"].to_numpy() >= 0
    own = deals["probability"].fillna(0.0).to_numpy(dtype=float)
    sure = float((deals["amount"].to_numpy()[~known] * own[~known]).sum())
    return uncertain_rates_distribution(
        deals["amount"].to_numpy()[known],
        deals["group"].to_numpy()[known],
        inputs.stages["won"].to_numpy(),
        inputs.stages["lost"].to_numpy(),
        sure=sure,
        seed=seed,
        draws=draws,
    )


def month_forecast(inputs: ForecastInputs, probabilities, *, months: int = 12) -> pd.DataFrame | None:
    """Revenue per coming month (:func:`revenue_by_month`); None without dates."""
    if inputs.cif is None or inputs.as_of is None:
        return None
    return revenue_by_month(
        inputs.open_deals,
        probabilities,
        inputs.cif,
        as_of=inputs.as_of,
        months=months,
        inflow_per_month=inputs.inflow_per_month,
        won_sizes=inputs.won_sizes,
    )


def plan_by_funnel(
    inputs: ForecastInputs,
    stage_p,
    probabilities,
    target: float,
    confidence: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reverse funnel of each funnel, the plan split by won-revenue share.

    Parameters
    ----------
    inputs : ForecastInputs
    stage_p : array_like
        Per-stage win probability (rows of ``inputs.stages``).
    probabilities : array_like
        Per open deal win probability: each funnel's open deals bring part of
        its share of the plan (their expected revenue on average, their
        revenue distribution at the confidence).
    target : float
        Revenue plan of the period.
    confidence : float
        In (0, 1).

    Returns
    -------
    stages : DataFrame
        ``funnel``, ``segment``, ``stage``, ``order``, ``rate``,
        ``needed_mean``, ``needed_conf``, ``actual`` (open deals at the
        stage or later).
    funnels : DataFrame
        Per funnel: ``target``, ``pipeline``, ``gap``, ``wins_mean``,
        ``wins_conf``, ``leads_mean``, ``leads_conf``, ``mean_size``.
    """
    sp = np.asarray(stage_p, dtype=float)
    p = np.asarray(probabilities, dtype=float)
    deals = inputs.open_deals
    funnel_of_deal = deals["funnel"].to_numpy()
    amounts = deals["amount"].to_numpy()
    tables, rows = [], []
    n_funnels = max(inputs.stages["funnel"].nunique(), 1)
    for name, st in inputs.stages.groupby("funnel", sort=False):
        # without won revenue to go by, every funnel carries an equal part of the plan
        share = float(inputs.won_share.get(name, 0.0)) if len(inputs.won_share) else 1.0 / n_funnels
        sizes = inputs.won_sizes_by_funnel.get(name, inputs.won_sizes)
        mine = funnel_of_deal == name
        pipeline = revenue_distribution(amounts[mine], p[mine])
        rates = pd.DataFrame({"stage": st["stage"], "rate": sp[st.index]})
        table, summary = reverse_funnel(
            target * share,
            sizes if len(sizes) else inputs.won_sizes,
            rates,
            confidence=confidence,
            pipeline=pipeline,
            actual=pd.Series(st["reached"].to_numpy(), index=st["stage"].to_numpy()),
        )
        table.insert(0, "funnel", name)
        table.insert(1, "segment", st["segment"].to_numpy())
        table.insert(3, "order", st["order"].to_numpy())
        tables.append(table)
        rows.append({"funnel": name, "target": target * share, "pipeline": pipeline.mean, **summary})
    stages = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    funnels = pd.DataFrame(rows)
    if len(funnels):
        funnels["leads_conf"] = funnels["leads_conf"].replace(math.inf, np.nan)
    return stages, funnels
