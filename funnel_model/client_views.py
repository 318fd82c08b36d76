"""Everything the Clients page shows for one dataset and settings, computed in one call.

Kept out of the page so a script, a notebook or the bench can time and reuse
exactly what the page computes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from funnel_model.clients import base_from_events, client_events, retention_from_events
from funnel_model.config import FunnelConfig
from funnel_model.losses import DEFAULT_SIMILARITY, group_reasons, lost_deals
from funnel_model.sources import has_sources, source_funnels, source_summary
from funnel_model.stuck import at_risk_by_owner, stuck_deals

__all__ = ["ClientViews", "client_views"]


@dataclass(frozen=True)
class ClientViews:
    """The Clients page's numbers; see :func:`client_views`.

    ``as_of`` is the data's last date (the client base's last reading).
    ``year`` sums the client base's last twelve months: ``first_win``,
    ``reactivated``, ``fell_dormant``, ``revenue_new``, ``revenue_active``,
    ``revenue_dormant``, ``revenue``. ``sources`` and ``source_funnels``
    are None when the deals have no lead source.
    """

    as_of: pd.Timestamp
    base: pd.DataFrame
    retention: pd.DataFrame
    year: dict[str, float]
    sources: pd.DataFrame | None
    source_funnels: pd.DataFrame | None
    lost: pd.DataFrame
    reason_groups: pd.DataFrame
    stuck: pd.DataFrame
    stuck_by_owner: pd.DataFrame


def client_views(
    deals: pd.DataFrame,
    history: pd.DataFrame | None,
    config: FunnelConfig | None = None,
    *,
    dormancy_days: float = 365,
    similarity: float = DEFAULT_SIMILARITY,
    quantile: float = 0.9,
    level: float = 0.95,
    months: int = 12,
) -> ClientViews:
    """Compute the client base, retention, channels, loss reasons and stuck deals of ``deals``.

    Parameters
    ----------
    deals, history, config
        Canonical deals (``segment`` filled with the same ``dormancy_days``),
        stage history or None, funnel config (None: inferred).
    dormancy_days : float
        The segments' dormancy window.
    similarity : float
        Loss reasons at least this similar are one reason.
    quantile : float
        Time in stage beyond this quantile of stays is stuck.
    level : float
        Coverage of the Wilson intervals (retention, win rate per source).
    months : int
        Months summed in ``year``.
    """
    events = client_events(deals, dormancy_days)  # once for both views
    base = base_from_events(events)
    recent = base.tail(months)
    columns = ("first_win", "reactivated", "fell_dormant", "revenue_new", "revenue_active", "revenue_dormant")
    year = {c: float(recent[c].sum()) for c in (*columns, "revenue")}
    sourced = has_sources(deals)
    lost = lost_deals(deals, similarity)
    stuck = stuck_deals(deals, history, quantile=quantile)
    kept = retention_from_events(events, level=level)
    return ClientViews(
        as_of=kept["end"].iloc[0],
        base=base,
        retention=kept,
        year=year,
        sources=source_summary(deals, level=level) if sourced else None,
        source_funnels=source_funnels(deals, config, history) if sourced else None,
        lost=lost,
        reason_groups=group_reasons(lost["lost_reason"] if "lost_reason" in lost else lost["reason_group"], similarity),
        stuck=stuck,
        stuck_by_owner=at_risk_by_owner(stuck),
    )
