"""One prepared dataset: what every view of one deal file and its settings starts from.

The deals (segments filled), the stage history, the funnel config (inferred
from the deals **and** the history when none is given), each deal's depth
(:func:`~funnel_model.geometry.deal_depth`), the stage win rates and the
forecast's inputs are built once per data and settings and handed to every
view: the Funnels, Forecast and Compensation pages read the same objects, so
one quantity has one value wherever it is shown, and a rerun recomputes
nothing the dataset already holds.

The slow parts past the depth (stage rates, forecast inputs) are computed on
first use and then kept (``functools.cached_property``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from funnel_model.config import FunnelConfig
from funnel_model.forecast_views import ForecastInputs, prepare_forecast
from funnel_model.geometry import DEFAULT_MIN_COUNT, deal_depth, history_orphans, stage_win_rates
from funnel_model.inference import infer_config

__all__ = ["RATE_LEVEL", "PreparedDataset", "prepare"]

RATE_LEVEL = 0.9  # Beta interval of the stage win rates the pages share


@dataclass(frozen=True)
class PreparedDataset:
    """A deal table with everything derived from it that several views share.

    Build it with :func:`prepare`. Treat the frames as read-only: every view
    of the session reads these very objects.

    Attributes
    ----------
    deals : DataFrame
        Canonical deals, ``segment`` filled.
    history : DataFrame or None
        Stage history ``deal_id, stage, entered_at``.
    config : FunnelConfig
        The funnel config every view uses.
    depth : DataFrame
        :func:`~funnel_model.geometry.deal_depth` of ``deals`` under ``config``
        and ``history`` (same index as ``deals``).
    history_orphans : int
        History rows whose deal is not in ``deals``
        (:func:`~funnel_model.geometry.history_orphans`).
    min_count, level : int, float
        Minimum closed deals for a stage's own rate and the Beta interval
        level of :attr:`rates` and :attr:`forecast`.
    """

    deals: pd.DataFrame
    history: pd.DataFrame | None
    config: FunnelConfig
    depth: pd.DataFrame
    history_orphans: int = 0
    min_count: int = DEFAULT_MIN_COUNT
    level: float = RATE_LEVEL

    @cached_property
    def rates(self) -> pd.DataFrame:
        """:func:`~funnel_model.geometry.stage_win_rates` of the whole dataset (the team's rates)."""
        return stage_win_rates(
            self.deals, self.config, self.history, min_count=self.min_count, level=self.level, depth=self.depth
        )

    @cached_property
    def forecast(self) -> ForecastInputs:
        """:func:`~funnel_model.forecast_views.prepare_forecast` of the dataset, on :attr:`depth` and :attr:`rates`."""
        return prepare_forecast(
            self.deals,
            self.config,
            self.history,
            min_count=self.min_count,
            level=self.level,
            depth=self.depth,
            rates=self.rates,
        )

    def with_config(self, config: FunnelConfig) -> PreparedDataset:
        """The same data under another config (depth recomputed; rates and forecast on first use)."""
        if config == self.config:
            return self
        return prepare(self.deals, self.history, config, min_count=self.min_count, level=self.level)


def prepare(
    deals: pd.DataFrame,
    history: pd.DataFrame | None = None,
    config: FunnelConfig | None = None,
    *,
    min_count: int = DEFAULT_MIN_COUNT,
    level: float = RATE_LEVEL,
    depth: pd.DataFrame | None = None,
) -> PreparedDataset:
    """Prepare ``deals`` (and ``history``) once for every view.

    Parameters
    ----------
    deals : DataFrame
        Canonical deals with ``segment`` filled
        (:func:`~funnel_model.segments.derive_segments`).
    history : DataFrame, optional
        Stage history.
    config : FunnelConfig, optional
        The funnel config; when None it is inferred from the deals and the
        history together (:func:`~funnel_model.inference.infer_config`), so a
        stage the history shows deals passing through is ordered by it.
    min_count, level
        As in :func:`~funnel_model.geometry.stage_win_rates`.
    depth : DataFrame, optional
        :func:`~funnel_model.geometry.deal_depth` of these deals under this
        config and history, when already known (it does not depend on the
        segments: a new dormancy window keeps it).

    Returns
    -------
    PreparedDataset
    """
    if config is None:
        config = infer_config(deals, history)
    return PreparedDataset(
        deals=deals,
        history=history,
        config=config,
        depth=deal_depth(deals, config, history) if depth is None else depth,
        history_orphans=history_orphans(history, deals),
        min_count=int(min_count),
        level=float(level),
    )
