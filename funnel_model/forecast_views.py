"""The Forecast & plan page's computation, as pure functions.

:func:`prepare_forecast` does the slow part once per dataset (stage win
rates, the Aalen–Johansen timing, inflow of new deals); the functions after it
are cheap and run on every slider move: per-deal probabilities from the
per-stage sliders, the revenue distribution and its summary, the band with
uncertain stage rates, revenue by close month, the reverse funnel.

Slider groups. A funnel whose open deals all belong to one client segment has
one group of sliders (one per stage), as the funnel config has one
probability per stage. A funnel whose open deals span several segments (one
CRM pipeline holding new, active and dormant clients) gets one group per
segment: each has its own sliders, its own historical rates and its own part
of the plan, because a repeat client closes at a different rate than a
prospect.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import MutableMapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel_model.config import FunnelConfig
from funnel_model.errors import ParameterError
from funnel_model.forecast import RevenueDistribution, revenue_distribution, uncertain_rates_distribution
from funnel_model.geometry import DEFAULT_MIN_COUNT, deal_depth, funnel_geometry, rate_posterior, stage_win_rates
from funnel_model.plan import reverse_funnel
from funnel_model.schema import LOST, OPEN, SEGMENTS, WON
from funnel_model.survival import (
    CumulativeIncidence,
    NewLeadDraws,
    aalen_johansen,
    new_lead_draws,
    revenue_by_month,
)

__all__ = [
    "ForecastInputs",
    "deal_probabilities",
    "forecast_summary",
    "month_forecast",
    "month_new_leads",
    "months_blocker",
    "plan_blocker",
    "plan_by_funnel",
    "prepare_forecast",
    "rate_uncertainty",
    "slider_percent",
    "slider_probabilities",
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
        ``segment``, ``created_at``, ``probability`` (the seller's own),
        ``part`` (the slider group within the funnel: the segment when the
        funnel is split by segment, else "") and ``group`` (row of
        ``stages``, -1 when the stage is not configured).
    stages : DataFrame
        One row per slider group and open stage, groups in config order (a
        split funnel's segments in the order new, active, dormant), stages in
        config order: ``funnel``, ``part``, ``segment`` (the group's client
        segment: its open deals' one segment, or the funnel's most common
        segment when it has no open deal), ``stage``, ``order``,
        ``configured``, ``rate`` (historical win rate of the group's
        segment), ``low``, ``high`` (its Beta interval), ``won``, ``lost``
        (the segment's closed deals that reached the stage),
        ``funnel_rate`` (the whole funnel's historical rate), ``known``
        (False where the history cannot tell the stage's rate: lost deals
        without a loss stage; ``rate`` is then the configured probability
        and ``low``/``high`` NaN), ``borrowed``
        (True when the segment had fewer than ``min_count`` closed deals
        there and its rate is completed with ``funnel_rate``),
        ``beta_won``, ``beta_lost`` (the counts the "rates uncertain" band
        draws from), ``open`` (open deals there) and ``reached`` (open deals
        at this stage or later).
    groups : DataFrame
        One row per slider group: ``funnel``, ``part``, ``segment``,
        ``split`` (the funnel has several groups), ``rated`` (the segment's
        own rates apply: its open deals share that segment), ``open`` (its
        open deals)
        and ``plan_share`` (its part of a revenue plan: the funnel's share of
        past won revenue, split between a funnel's segments by theirs).
    cif : CumulativeIncidence or None
        Time to close; None without dates.
    as_of : Timestamp or None
        The data's "today": its latest creation or close date.
    inflow_per_month : float
        Deals created per month over the last ``inflow_months`` months.
    won_sizes : ndarray
        Amounts of won deals.
    won_sizes_by_group : dict
        Won amounts per (funnel, part): the segment's for a split funnel,
        the funnel's otherwise (missing when there are none).
    n_won, n_lost : int
        Won and lost deals in the data (with or without dates).
    """

    open_deals: pd.DataFrame
    stages: pd.DataFrame
    groups: pd.DataFrame
    cif: CumulativeIncidence | None
    as_of: pd.Timestamp | None
    inflow_per_month: float
    won_sizes: np.ndarray
    won_sizes_by_group: dict[tuple[str, str], np.ndarray]
    n_won: int
    n_lost: int


def _funnel_of(deals: pd.DataFrame, config: FunnelConfig) -> pd.Series:
    funnel = deals["funnel"].astype("object")
    if len(config.funnels) == 1:
        funnel = funnel.where(funnel.notna(), config.funnels[0].name)
    return funnel


def _in_segment_order(values) -> list[str]:
    """The distinct segments, known ones in the order new, active, dormant, then any other label."""
    present = {str(v) for v in values}
    return [s for s in SEGMENTS if s in present] + sorted(present - set(SEGMENTS))


def _slider_groups(funnels: list[str], funnel: pd.Series, segment: pd.Series, is_open: np.ndarray) -> pd.DataFrame:
    """One row per slider group: a funnel, or a funnel × segment when its open deals span several segments.

    ``rated``: the group's open deals share one segment, whose own historical
    rates apply (otherwise the funnel's).
    """
    rows = []
    for name in funnels:
        mine = (funnel == name).to_numpy()
        present = _in_segment_order(segment[mine & is_open].dropna())
        if len(present) > 1:
            rows += [(name, seg, seg, True, True) for seg in present]
            continue
        if present:
            rows.append((name, "", present[0], False, True))
            continue
        # no open deal carries a segment: the label shows the funnel's most common one
        counts = segment[mine].value_counts()
        rows.append((name, "", counts.index[0] if len(counts) else None, False, False))
    return pd.DataFrame(rows, columns=["funnel", "part", "segment", "split", "rated"])


def _segment_rates(
    funnel_rows: pd.DataFrame, counts: pd.DataFrame | None, min_count: int, level: float
) -> dict[str, np.ndarray]:
    """Historical rates of one segment's deals in one funnel, leaning on the funnel's rates where few closed.

    ``counts`` holds the segment's ``won``/``lost`` (and, when the geometry
    gives it, ``lost_unknown``) per stage; None: the group has no segment of
    its own and keeps the funnel's rates. Where the segment's closed deals
    are all the funnel's, the funnel's figures stand as they are. Otherwise
    the segment's rate is the posterior of :func:`~funnel_model.geometry.rate_posterior`
    centred on the funnel's rate, worth m = max(``min_count`` − n, 1) deals:
    the funnel's rate when the segment has none, its own share once it has
    many, and the interval is the same posterior's, so the rate always lies
    inside it and the "rates uncertain" band draws from that posterior.

    A stage whose rate history cannot tell (``known`` False: lost deals
    without a loss stage, see :func:`~funnel_model.geometry.stage_win_rates`)
    keeps the configured probability, and its "rates uncertain" Beta is
    centred there with the weight of ``min_count`` observations.
    """
    f_won = funnel_rows["won"].to_numpy()
    f_lost = funnel_rows["lost"].to_numpy()
    f_rate = funnel_rows["rate"].to_numpy()
    f_known = funnel_rows["known"].to_numpy(dtype=bool)
    configured = funnel_rows["configured"].to_numpy(dtype=float)
    out = {
        "rate": f_rate,
        "low": funnel_rows["low"].to_numpy(),
        "high": funnel_rows["high"].to_numpy(),
        "won": f_won,
        "lost": f_lost,
        "funnel_rate": f_rate,
        "known": f_known,
        "borrowed": np.zeros(len(funnel_rows), dtype=bool),
        "beta_won": np.where(f_known, f_won, min_count * configured),
        "beta_lost": np.where(f_known, f_lost, min_count * (1.0 - configured)),
    }
    if counts is None:
        return out
    won = counts["won"].to_numpy(dtype=np.int64)
    lost = counts["lost"].to_numpy(dtype=np.int64)
    order = funnel_rows["order"].to_numpy()
    unknown = counts["lost_unknown"].to_numpy() if "lost_unknown" in counts else np.zeros(len(won))
    known = (order == 1) | (unknown == 0)
    n = won + lost
    # a segment's counts never exceed its funnel's: equal means identical; an unknown stage stays the funnel's
    same = ((n == f_won + f_lost) & (known == f_known)) | ~known
    borrowed = ~same & (n < min_count)
    own = rate_posterior(won, lost, f_rate, level, weight=np.maximum(min_count - n, 1))
    out.update(
        rate=np.where(same, f_rate, own["rate"]),
        low=np.where(same, out["low"], own["low"]),
        high=np.where(same, out["high"], own["high"]),
        won=won,
        lost=lost,
        known=known,
        borrowed=borrowed,
        beta_won=np.where(same, out["beta_won"], own["alpha"]),
        beta_lost=np.where(same, out["beta_lost"], own["beta"]),
    )
    return out


def _plan_shares(groups: pd.DataFrame, won_funnel: pd.Series, won_segment: pd.Series, won_amount: pd.Series):
    """Each group's part of the plan, and its won deal sizes."""
    frame = pd.DataFrame({"funnel": won_funnel, "segment": won_segment, "amount": won_amount}).dropna(
        subset=["funnel", "amount"]
    )
    by_funnel = frame.groupby("funnel")["amount"].sum()
    by_segment = frame.groupby(["funnel", "segment"])["amount"].sum()
    total = float(by_funnel.sum())
    n_funnels = max(groups["funnel"].nunique(), 1)
    shares, sizes = [], {}
    for row in groups.itertuples():
        # without won revenue to go by, every funnel carries an equal part of the plan
        share = float(by_funnel.get(row.funnel, 0.0)) / total if total > 0 else 1.0 / n_funnels
        mine = frame["funnel"] == row.funnel
        if row.split:
            siblings = groups.loc[groups["funnel"] == row.funnel, "segment"]
            won = np.array([float(by_segment.get((row.funnel, s), 0.0)) for s in siblings])
            own = float(by_segment.get((row.funnel, row.segment), 0.0))
            # segments with no open deal have no group: their past revenue is shared among those that do
            share *= own / won.sum() if won.sum() > 0 else 1.0 / len(siblings)
            if (mine & (frame["segment"] == row.segment)).any():
                mine &= frame["segment"] == row.segment
        shares.append(share)
        if mine.any():
            sizes[(row.funnel, row.part)] = frame.loc[mine, "amount"].to_numpy(dtype=float)
    return np.array(shares, dtype=float), sizes


def prepare_forecast(
    deals: pd.DataFrame,
    config: FunnelConfig,
    history: pd.DataFrame | None = None,
    *,
    as_of=None,
    inflow_months: int = 12,
    min_count: int = DEFAULT_MIN_COUNT,
    level: float = 0.9,
    depth: pd.DataFrame | None = None,
    rates: pd.DataFrame | None = None,
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
    min_count : int
        Closed deals a stage needs for its own rate (see
        :func:`~funnel_model.geometry.stage_win_rates`); a segment below it
        completes its rate with the funnel's.
    level : float
        Mass of the Beta interval of each rate.
    depth, rates : DataFrame, optional
        A precomputed :func:`~funnel_model.geometry.deal_depth` of ``deals``
        and its :func:`~funnel_model.geometry.stage_win_rates` (with the same
        ``min_count`` and ``level``), e.g. from a
        :class:`~funnel_model.prepared.PreparedDataset`; computed when None.

    Returns
    -------
    ForecastInputs
    """
    if inflow_months < 1:
        raise ParameterError("error.parameter", name="inflow_months", rule="≥ 1", value=inflow_months)
    if depth is None:
        depth = deal_depth(deals, config, history)
    if rates is None:
        rates = stage_win_rates(deals, config, history, min_count=min_count, level=level, depth=depth)
    rates = rates.copy()  # a shared (prepared) table stays as it was
    rates["rate"] = rates["rate"].astype(float).fillna(rates["configured"].astype(float))
    # stages the history cannot tell (lost deals without a loss stage) keep the configured probability
    rates["known"] = rates["identifiable"].astype(bool) if "identifiable" in rates else True
    funnel = _funnel_of(deals, config)
    segment = deals["segment"].astype("object") if "segment" in deals.columns else pd.Series(None, index=deals.index)
    status = deals["status"].astype("object")
    is_open = (status == OPEN).to_numpy()
    groups = _slider_groups(list(dict.fromkeys(rates["funnel"].astype(str))), funnel, segment, is_open)

    # closed deals per funnel, segment and stage: one geometry pass on the shared depth
    geo = funnel_geometry(deals.assign(segment=segment), config, by=("segment",), min_count=min_count, depth=depth)
    geo = geo[geo["kind"] == "open"] if len(geo) else geo
    kept = [c for c in ("won", "lost", "lost_unknown") if c in geo]
    by_segment = {key: g.set_index("order")[kept] for key, g in geo.groupby(["funnel", "segment"])}
    parts = []
    for row in groups.itertuples():
        funnel_rows = rates[rates["funnel"] == row.funnel].reset_index(drop=True)
        counts = None
        if row.rated:
            empty = pd.DataFrame(0, index=funnel_rows["order"], columns=kept)
            counts = by_segment.get((row.funnel, row.segment), empty).reindex(funnel_rows["order"], fill_value=0)
        part = pd.DataFrame(
            {
                "funnel": str(row.funnel),
                "part": row.part,
                "segment": row.segment,
                "stage": funnel_rows["stage"].astype(str),
                "order": funnel_rows["order"].astype(int),
                "configured": funnel_rows["configured"].astype(float),
                **_segment_rates(funnel_rows, counts, min_count, level),
            }
        )
        parts.append(part)
    columns = ["funnel", "part", "segment", "stage", "order", "configured", "rate", "low", "high", "won", "lost"]
    columns += ["funnel_rate", "known", "borrowed", "beta_won", "beta_lost"]
    stages = pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
    stages = stages.astype({"won": np.int64, "lost": np.int64, "known": bool, "borrowed": bool})

    split = set(groups.loc[groups["split"], "funnel"])
    seg_open = segment[is_open]
    part_open = np.where(funnel[is_open].isin(split), seg_open, "")
    # a deal of a split funnel without a segment goes with the funnel's first segment group
    first = groups.drop_duplicates("funnel").set_index("funnel")["part"]
    part_open = np.where(pd.isna(part_open), funnel[is_open].map(first), part_open).astype(object)
    key = pd.MultiIndex.from_frame(stages[["funnel", "part", "stage"]])
    group = key.get_indexer(
        pd.MultiIndex.from_arrays([funnel[is_open], part_open, deals.loc[is_open, "stage"].astype("object")])
    )
    open_deals = pd.DataFrame(
        {
            "amount": deals.loc[is_open, "amount"].fillna(0.0).astype(float).to_numpy(),
            "funnel": funnel[is_open].to_numpy(),
            "stage": deals.loc[is_open, "stage"].to_numpy(),
            "segment": seg_open.to_numpy(),
            "created_at": deals.loc[is_open, "created_at"].to_numpy(),
            "probability": deals.loc[is_open, "probability"].astype(float).to_numpy(),
            "part": part_open,
            "group": group,
        }
    )
    counts = np.bincount(group[group >= 0], minlength=len(stages)) if len(stages) else np.zeros(0, int)
    stages["open"] = counts
    # open deals at this stage or a later one of the same group
    stages["reached"] = stages.iloc[::-1].groupby(["funnel", "part"], sort=False)["open"].cumsum().iloc[::-1]
    groups["open"] = stages.groupby(["funnel", "part"], sort=False)["open"].sum().to_numpy() if len(stages) else 0

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
    shares, sizes = _plan_shares(groups, funnel[won], segment[won], won_amount)
    groups["plan_share"] = shares
    return ForecastInputs(
        open_deals,
        stages,
        groups,
        cif,
        as_of,
        inflow,
        won_amount.dropna().to_numpy(),
        sizes,
        int(won.sum()),
        int((status == LOST).sum()),
    )


def plan_blocker(inputs: ForecastInputs) -> str | None:
    """Why the plan cannot be worked backwards (a message key), or None when it can.

    Turning revenue into wins takes a deal size, which only won deals with an
    amount give: "forecast.plan_no_closed" when no deal has closed yet,
    "forecast.plan_no_won" when none was won with an amount.
    """
    if inputs.n_won + inputs.n_lost == 0:
        return "forecast.plan_no_closed"
    sizes = inputs.won_sizes
    if not (np.isfinite(sizes) & (sizes > 0)).any():
        return "forecast.plan_no_won"
    return None


def months_blocker(inputs: ForecastInputs) -> str | None:
    """Why revenue by close month cannot be estimated (a message key), or None when it can.

    The timing of wins comes from deals won before: "forecast.months_no_closed"
    when no deal has closed, "forecast.months_no_won" when none was won,
    "forecast.no_dates" when the dates cannot place a single win in time.
    """
    if inputs.n_won + inputs.n_lost == 0:
        return "forecast.months_no_closed"
    if inputs.n_won == 0:
        return "forecast.months_no_won"
    if inputs.cif is None or inputs.as_of is None or not (len(inputs.cif.won) and inputs.cif.won[-1] > 0):
        return "forecast.no_dates"
    return None


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
    """Revenue when each stage's rate is uncertain: drawn around the rate the baseline uses.

    One rate per row of ``inputs.stages`` (a funnel's stage, or a funnel ×
    segment's stage when the funnel is split by segment), shared by its
    deals: Beta with mean ``rate`` (the baseline's rate, so the band is
    centred where the baseline is; the configured probability when nothing
    has closed) and the weight of the evidence behind it, ``beta_won`` +
    ``beta_lost`` closed deals (see :func:`uncertain_rates_distribution`).
    Deals at stages outside the config win with their own probability,
    independently (they have no history to draw from).
    """
    deals = inputs.open_deals
    own = deals["probability"].fillna(0.0).to_numpy(dtype=float)
    return uncertain_rates_distribution(
        deals["amount"].to_numpy(),
        deals["group"].to_numpy(),
        inputs.stages["beta_won"].to_numpy(dtype=float),
        inputs.stages["beta_lost"].to_numpy(dtype=float),
        rates=inputs.stages["rate"].to_numpy(dtype=float),
        fixed=np.clip(own, 0.0, 1.0),
        seed=seed,
        draws=draws,
    )


def month_forecast(
    inputs: ForecastInputs, probabilities, *, months: int = 12, new_leads: NewLeadDraws | None = None
) -> pd.DataFrame | None:
    """Revenue per coming month (:func:`revenue_by_month`); None when :func:`months_blocker` names a reason.

    ``new_leads``: :func:`month_new_leads` of the same inputs and ``months``, when the caller keeps them.
    """
    if months_blocker(inputs) is not None:
        return None
    return revenue_by_month(
        inputs.open_deals,
        probabilities,
        inputs.cif,
        as_of=inputs.as_of,
        months=months,
        inflow_per_month=inputs.inflow_per_month,
        won_sizes=inputs.won_sizes,
        new_leads=new_leads,
    )


def month_new_leads(inputs: ForecastInputs, *, months: int = 12) -> NewLeadDraws | None:
    """The new leads' draws of :func:`month_forecast`, which no slider changes (:func:`new_lead_draws`)."""
    if months_blocker(inputs) is not None:
        return None
    return new_lead_draws(
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
    *,
    memo: MutableMapping | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reverse funnel of each slider group, the plan split by won-revenue share.

    A group is a funnel, or a funnel's client segment when its open deals
    span several segments (see :class:`ForecastInputs`); each gets
    ``groups["plan_share"]`` of the target and plans with its own stage
    probabilities, won deal sizes and open deals.

    Parameters
    ----------
    inputs : ForecastInputs
    stage_p : array_like
        Per-stage win probability (rows of ``inputs.stages``).
    probabilities : array_like
        Per open deal win probability: each group's open deals bring part of
        its share of the plan (their expected revenue on average, their
        revenue distribution at the confidence).
    target : float
        Revenue plan of the period.
    confidence : float
        In (0, 1).
    memo : mutable mapping, optional
        Each group's plan kept between calls, under a digest of everything
        it reads (its stage probabilities, its open deals' amounts and
        chances, its won sizes, its share of the target, the confidence): a
        slider moves one group's chances, and the other groups are not
        planned again. The caller owns it (and bounds its size).

    Returns
    -------
    stages : DataFrame
        ``funnel``, ``part``, ``segment``, ``stage``, ``order``, ``rate``,
        ``needed_mean``, ``needed_conf``, ``actual`` (the group's open deals
        at the stage or later).
    funnels : DataFrame
        Per group: ``funnel``, ``part``, ``segment``, ``target``,
        ``pipeline``, ``gap``, ``wins_mean``, ``wins_conf``, ``leads_mean``,
        ``leads_conf``, ``mean_size``.
    """
    sp = np.asarray(stage_p, dtype=float)
    p = np.asarray(probabilities, dtype=float)
    deals = inputs.open_deals
    funnel_of_deal = deals["funnel"].to_numpy()
    part_of_deal = deals["part"].to_numpy()
    amounts = deals["amount"].to_numpy()
    tables, rows = [], []
    for group in inputs.groups.itertuples():
        st = inputs.stages[(inputs.stages["funnel"] == group.funnel) & (inputs.stages["part"] == group.part)]
        sizes = inputs.won_sizes_by_group.get((group.funnel, group.part), inputs.won_sizes)
        mine = (funnel_of_deal == group.funnel) & (part_of_deal == group.part)
        target_part = target * group.plan_share
        key = None
        if memo is not None:
            key = _group_key(group, st, sp[st.index], amounts[mine], p[mine], sizes, target_part, confidence)
            kept = memo.get(key)  # read once: another session may clear a shared memo between two looks
            if kept is not None:
                table, row = kept
                tables.append(table)
                rows.append(row)
                continue
        pipeline = revenue_distribution(amounts[mine], p[mine])
        rates = pd.DataFrame({"stage": st["stage"], "rate": sp[st.index]})
        table, summary = reverse_funnel(
            target_part,
            sizes,
            rates,
            confidence=confidence,
            pipeline=pipeline,
            actual=pd.Series(st["reached"].to_numpy(), index=st["stage"].to_numpy()),
        )
        table.insert(0, "funnel", group.funnel)
        table.insert(1, "part", group.part)
        table.insert(2, "segment", st["segment"].to_numpy())
        table.insert(4, "order", st["order"].to_numpy())
        tables.append(table)
        keys = {"funnel": group.funnel, "part": group.part, "segment": group.segment}
        rows.append({**keys, "target": target_part, "pipeline": pipeline.mean, **summary})
        if key is not None:
            memo[key] = (table, rows[-1])
    stages = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    funnels = pd.DataFrame(rows)
    if len(funnels):
        funnels["leads_conf"] = funnels["leads_conf"].replace(math.inf, np.nan)
    return stages, funnels


def _group_key(group, stages: pd.DataFrame, sp, amounts, p, sizes, target: float, confidence: float) -> str:
    """A digest of everything one group's plan reads (:func:`plan_by_funnel`'s memo key)."""
    digest = hashlib.blake2b(digest_size=20)
    head = (group.funnel, group.part, group.segment, float(target), float(confidence), len(amounts), len(sp))
    digest.update(repr(head).encode())
    digest.update(repr((stages["stage"].tolist(), stages["segment"].tolist(), stages["order"].tolist())).encode())
    for values in (sp, amounts, p, sizes, stages["reached"]):
        array = np.ascontiguousarray(np.asarray(values, dtype=float))
        digest.update(repr(array.shape).encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def slider_percent(probabilities) -> np.ndarray:
    """Whole percents a stage slider shows for ``probabilities`` (half to even)."""
    return np.round(100 * np.asarray(probabilities, dtype=float)).astype(np.int64)


def slider_probabilities(stages: pd.DataFrame, percents) -> np.ndarray:
    """Stage probabilities from whole-percent sliders, one per row of ``stages``.

    A slider standing where "use the historical rates" put it
    (:func:`slider_percent` of ``stages["rate"]``) means the historical rate
    itself, not its rounding, so that what-if equals the historical baseline
    exactly; likewise at the configured probability. Any other position is
    ``percent / 100``.

    Parameters
    ----------
    stages : DataFrame
        ``ForecastInputs.stages`` (``rate`` and ``configured``).
    percents : array_like
        The sliders' values, 0..100.
    """
    percents = np.asarray(percents, dtype=float)
    out = np.clip(percents / 100.0, 0.0, 1.0)
    for column in ("configured", "rate"):  # the historical rate wins where both round alike
        exact = stages[column].to_numpy(dtype=float)
        at = np.isfinite(exact) & (slider_percent(np.nan_to_num(exact)) == percents)
        out = np.where(at, exact, out)
    return out
