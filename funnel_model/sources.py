"""Lead sources (channels): which ways of attracting clients bring deals that win, and at what cost.

Per ``source``: deals, win rate among closed deals with its Wilson interval,
revenue, time to close and, when the spend per channel is given, the cost of
a lead, of a won deal and of a unit of revenue.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from funnel_model.config import FunnelConfig
from funnel_model.geometry import funnel_geometry
from funnel_model.schema import LOST, OPEN, WON
from funnel_model.stats import wilson_interval

__all__ = ["NO_SOURCE", "has_sources", "source_funnels", "source_label", "source_summary", "with_spend"]

NO_SOURCE = ""  # the label of deals whose source is blank


def has_sources(deals: pd.DataFrame, source_col: str = "source") -> bool:
    """True when ``deals`` has a source column with at least one non-blank value."""
    return source_col in deals.columns and bool((source_label(deals, source_col) != NO_SOURCE).any())


def source_label(deals: pd.DataFrame, source_col: str = "source") -> pd.Series:
    """The deal's source, stripped; blank and missing become :data:`NO_SOURCE`."""
    return deals[source_col].astype("str").str.strip().fillna(NO_SOURCE)


def source_summary(
    deals: pd.DataFrame,
    spend: Mapping[str, float] | None = None,
    *,
    level: float = 0.95,
    source_col: str = "source",
    status_col: str = "status",
    amount_col: str = "amount",
    created_col: str = "created_at",
    closed_col: str = "closed_at",
) -> pd.DataFrame:
    """One row per lead source, most deals first.

    Parameters
    ----------
    deals : DataFrame
        Canonical deal table with a source column.
    spend : mapping of str to float, optional
        Money spent per source in the same period as the deals; sources left
        out (or NaN) have no cost figures.
    level : float
        Coverage of the Wilson interval of the win rate.
    source_col, status_col, amount_col, created_col, closed_col : str
        Column names.

    Returns
    -------
    DataFrame
        ``source`` (blank sources as :data:`NO_SOURCE`), ``deals``, ``open``,
        ``won``, ``lost``, ``win_rate`` (won / (won + lost)), ``low``,
        ``high``, ``revenue`` (won amount), ``avg_won`` (mean won amount),
        ``median_days_won`` (creation to close of won deals), ``share_revenue``,
        ``spend``, ``cost_per_lead`` (spend / deals), ``cost_per_won``
        (spend / won), ``cost_per_revenue`` (spend / revenue).
    """
    status = deals[status_col].astype("str").str.lower()
    amount = pd.to_numeric(deals[amount_col], errors="coerce").fillna(0.0)
    days = (deals[closed_col] - deals[created_col]).dt.total_seconds() / 86400.0
    frame = pd.DataFrame(
        {
            "source": source_label(deals, source_col).to_numpy(),
            "open": (status == OPEN).to_numpy(dtype=bool),
            "won": (status == WON).to_numpy(dtype=bool),
            "lost": (status == LOST).to_numpy(dtype=bool),
        }
    )
    frame["revenue"] = np.where(frame["won"], amount.to_numpy(), 0.0)
    frame["won_days"] = np.where(frame["won"], days.to_numpy(), np.nan)
    grouped = frame.groupby("source", sort=False)
    out = grouped[["open", "won", "lost"]].sum().astype(int)
    out.insert(0, "deals", grouped.size())
    closed = out["won"] + out["lost"]
    out["win_rate"] = np.where(closed > 0, out["won"] / closed.clip(lower=1), np.nan)
    out["low"], out["high"] = wilson_interval(out["won"].to_numpy(), closed.to_numpy(), level)
    out["revenue"] = grouped["revenue"].sum()
    out["avg_won"] = np.where(out["won"] > 0, out["revenue"] / out["won"].clip(lower=1), np.nan)
    out["median_days_won"] = grouped["won_days"].median()
    total = out["revenue"].sum()
    out["share_revenue"] = out["revenue"] / total if total > 0 else np.nan
    out = out.reset_index().sort_values(["deals", "source"], ascending=[False, True], kind="stable")
    return with_spend(out.reset_index(drop=True), spend)


def with_spend(summary: pd.DataFrame, spend: Mapping[str, float] | None) -> pd.DataFrame:
    """``summary`` (of :func:`source_summary`) with the spend per source and the costs it gives.

    Sources missing from ``spend``, or with a missing or negative spend,
    get NaN costs; a cost per won deal or per unit of revenue needs a win.
    """
    given = {}
    for key, value in (spend or {}).items():
        try:
            amount = float(value)
        except (TypeError, ValueError):
            continue
        if np.isfinite(amount) and amount >= 0:
            given[str(key)] = amount
    out = summary.copy()
    out["spend"] = [given.get(s, np.nan) for s in out["source"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["cost_per_lead"] = out["spend"] / out["deals"]
        out["cost_per_won"] = out["spend"] / out["won"].where(out["won"] > 0)
        out["cost_per_revenue"] = out["spend"] / out["revenue"].where(out["revenue"] > 0)
    return out


def source_funnels(
    deals: pd.DataFrame,
    config: FunnelConfig | None = None,
    history: pd.DataFrame | None = None,
    *,
    source_col: str = "source",
    min_count: int = 20,
) -> pd.DataFrame:
    """The funnel of each lead source: :func:`funnel_model.geometry.funnel_geometry` grouped by funnel and source.

    Blank sources are grouped as :data:`NO_SOURCE`.
    """
    labelled = deals.assign(**{source_col: source_label(deals, source_col)})
    return funnel_geometry(labelled, config, history, by=("funnel", source_col), min_count=min_count)
