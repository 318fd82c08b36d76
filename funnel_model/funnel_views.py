"""Everything the Funnels page shows for one filter choice, computed in one call.

Kept out of the page so a script, a notebook or the bench can time and reuse
exactly what the page computes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel_model.calibration import Calibration, calibrate
from funnel_model.config import FunnelConfig
from funnel_model.geometry import (
    DEFAULT_MIN_COUNT,
    ReachSummary,
    bottlenecks,
    cycle_times,
    deal_depth,
    funnel_geometry,
    history_orphans,
    reach_summary,
    seller_comparison,
    stage_durations,
    stage_win_rates,
)

__all__ = ["FunnelViews", "deals_behind", "funnel_views"]


@dataclass(frozen=True)
class FunnelViews:
    """The Funnels page's numbers; see :func:`funnel_views`.

    ``deals`` is the number of deals shown (after every filter);
    ``undated_excluded`` the deals of the chosen pipeline (all sellers: the
    team's rates and calibration use them too) the period filter left out
    because they have no creation date (0 without a period filter).
    """

    deals: int
    undated_excluded: int
    summary: ReachSummary
    geometry: pd.DataFrame
    bottlenecks: pd.DataFrame
    cycle: pd.DataFrame
    durations: pd.DataFrame | None
    sellers: pd.DataFrame
    rates: pd.DataFrame
    calibration: Calibration


def funnel_views(
    deals: pd.DataFrame,
    history: pd.DataFrame | None,
    config: FunnelConfig,
    *,
    funnel: str | None = None,
    seller: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    min_count: int = DEFAULT_MIN_COUNT,
    rate_level: float = 0.9,
    wilson_level: float = 0.95,
    depth: pd.DataFrame | None = None,
    rates: pd.DataFrame | None = None,
) -> FunnelViews:
    """Filter the deals and compute every view of the Funnels page.

    Parameters
    ----------
    deals, history, config
        Canonical deals (``segment`` filled), stage history or None, funnel
        config.
    funnel : str, optional
        Keep one CRM pipeline; None keeps all.
    seller : str, optional
        Narrow the funnels and the time views to one owner. Stage win rates,
        the seller comparison and calibration stay the team's (sellers are
        compared with each other; adopted rates are the team's).
    period : (date, date), optional
        Keep deals created on these days, both ends included; deals without
        a creation date are then left out and counted
        (``undated_excluded``). None (no period filter) keeps them: pass None
        when the user has not narrowed the period.
    min_count : int
        Minimum count for reliable rates.
    rate_level, wilson_level : float
        Interval levels of stage win rates, the sellers' win rates and the
        per-stage calibration (Beta: one rule for "configured outside the
        interval") and of the per-seller calibration (Wilson).
    depth : DataFrame, optional
        A precomputed :func:`~funnel_model.geometry.deal_depth` of the whole
        ``deals`` (e.g. :attr:`PreparedDataset.depth
        <funnel_model.prepared.PreparedDataset.depth>`); filters take their
        rows of it instead of recomputing.
    rates : DataFrame, optional
        A precomputed :func:`~funnel_model.geometry.stage_win_rates` of the
        whole ``deals`` with this ``min_count`` and ``rate_level``; used when
        neither ``funnel`` nor ``period`` narrows the deals.
    """
    orphans = history_orphans(history, deals)  # against the whole deal file, before any filter
    scope, depth, chosen, chosen_depth, undated, whole = _filtered(
        deals, config, history, funnel=funnel, seller=seller, period=period, depth=depth
    )
    geometry = funnel_geometry(
        chosen, config, history, by=("funnel", "segment"), min_count=min_count, depth=chosen_depth
    )
    if rates is None or not whole:
        rates = stage_win_rates(scope, config, history, min_count=min_count, level=rate_level, depth=depth)
    return FunnelViews(
        deals=len(chosen),
        undated_excluded=int(undated.sum()),
        summary=reach_summary(chosen_depth, orphans),
        geometry=geometry,
        bottlenecks=bottlenecks(geometry),
        cycle=cycle_times(chosen, by=("segment",)),
        durations=stage_durations(history, chosen, config, depth=chosen_depth) if history is not None else None,
        sellers=seller_comparison(scope, config, history, min_count=min_count, level=rate_level, depth=depth),
        rates=rates,
        calibration=calibrate(
            scope, config, history, level=wilson_level, min_count=min_count, depth=depth, rates=rates
        ),
    )


def _filtered(deals, config, history, *, funnel, seller, period, depth):
    """The filters of :func:`funnel_views`: (scope, its depth, chosen, their depth, undated mask, whole).

    ``scope`` is the pipeline and period's deals (the team's rates use
    them), ``chosen`` those of the seller too (the funnels count them).
    """
    keep = np.ones(len(deals), dtype=bool)
    if funnel is not None:
        keep &= (deals["funnel"] == funnel).fillna(False).to_numpy()
    undated = np.zeros(len(deals), dtype=bool)
    if period is not None:
        start, end = pd.Timestamp(period[0]), pd.Timestamp(period[1]) + pd.Timedelta(days=1)
        created = deals["created_at"]
        undated = keep & created.isna().to_numpy()
        keep &= ((created >= start) & (created < end)).fillna(False).to_numpy()
    whole = bool(keep.all())
    scope = deals if whole else deals[keep]
    if depth is None:
        depth = deal_depth(scope, config, history)
    elif not whole:
        depth = depth[keep]  # a deal's depth depends on its own rows only
    if seller is not None:
        owned = (deals["owner"] == seller).fillna(False).to_numpy()
        return scope, depth, scope[owned[keep]], depth[owned[keep]], undated, whole
    return scope, depth, scope, depth, undated, whole


def deals_behind(
    deals: pd.DataFrame,
    history: pd.DataFrame | None,
    config: FunnelConfig,
    row,
    *,
    funnel: str | None = None,
    seller: str | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    depth: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The deals counted in one row of :func:`funnel_views`' ``geometry``: its ``reached``, deal by deal.

    Parameters
    ----------
    deals, history, config
        As for :func:`funnel_views`.
    row : mapping
        A geometry row: ``funnel``, ``segment``, ``order`` and ``kind``.
    funnel, seller, period, depth
        The same filters as the :func:`funnel_views` call that made the row.

    Returns
    -------
    DataFrame
        Rows of ``deals``: those of the row's funnel and segment that reached
        its stage (the deepest stage they entered is this one or later, see
        :mod:`funnel_model.geometry`); for the won row, the won deals.
    """
    _, _, chosen, chosen_depth, _, _ = _filtered(
        deals, config, history, funnel=funnel, seller=seller, period=period, depth=depth
    )
    hit = ~chosen_depth["unmatched"].to_numpy() & (chosen_depth["funnel"] == row["funnel"]).to_numpy()
    segment = chosen["segment"] if "segment" in chosen.columns else pd.Series(np.nan, index=chosen.index)
    hit &= (segment.isna() if pd.isna(row["segment"]) else segment == row["segment"]).fillna(False).to_numpy()
    if row["kind"] == "won":
        hit &= (chosen_depth["status"] == "won").to_numpy()
    else:
        hit &= chosen_depth["depth"].to_numpy() >= int(row["order"])
    return chosen[hit]
