"""Calibration: stated win probabilities against what happened.

Two things are checked.

* **Per stage** — the configured probability of each stage against the
  observed P(won | reached the stage) among closed deals (the counts of
  :func:`funnel_model.geometry.stage_win_rates`); the Brier score of a stage
  is that of stating its configured probability for every closed deal that
  reached it.
* **Per seller** — each closed deal's *stated* probability against its
  outcome. The stated probability is the deal's ``probability`` column (the
  seller's own estimate; for a closed deal taken as the one given when the
  deal was opened), else the configured probability of the funnel's first
  stage. A ``probability`` column holding only 0 and 1 on closed deals is the
  CRM's automatic value after closing, not an estimate, and is ignored.

Each row gets the mean stated probability, the observed win share with a
Wilson interval, expected wins (sum of stated), observed/expected wins and the
Brier score. A group is flagged over-optimistic ("over") when it has at least
``min_count`` closed deals and the whole Wilson interval of the observed share
lies more than ``margin`` (default 5 percentage points) below the mean stated
probability: statistically and practically off. "under" is the mirror case.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from funnel_model.config import FunnelConfig
from funnel_model.errors import ParameterError
from funnel_model.geometry import DEFAULT_MIN_COUNT, deal_depth, stage_win_rates
from funnel_model.inference import infer_config
from funnel_model.schema import LOST, WON

__all__ = [
    "DEFAULT_MARGIN",
    "Calibration",
    "brier_score",
    "calibrate",
    "calibration_table",
    "stage_calibration",
    "stated_probabilities",
    "wilson_interval",
]

OVER, UNDER = "over", "under"
DEFAULT_MARGIN = 0.05  # percentage points a flagged interval must clear the stated mean by


def wilson_interval(k, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial share k / n.

    Parameters
    ----------
    k, n : array_like
        Successes and trials; n = 0 gives NaN.
    level : float
        Two-sided coverage, e.g. 0.95.

    Returns
    -------
    (low, high) : tuple of ndarray
    """
    if not isinstance(level, (int, float)) or not 0.0 < float(level) < 1.0:
        raise ParameterError("error.parameter", name="level", rule="between 0 and 1 (exclusive)", value=level)
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(0.5 + level / 2.0)
    safe = np.where(n > 0, n, 1.0)
    p = k / safe
    denom = 1.0 + z * z / safe
    centre = (p + z * z / (2.0 * safe)) / denom
    half = z * np.sqrt(p * (1.0 - p) / safe + z * z / (4.0 * safe * safe)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def brier_score(stated, outcome) -> float:
    """Mean squared difference between stated probability and outcome (0/1).

    NaN for no deals. 0 is perfect; always saying 0.5 scores 0.25.
    """
    stated = np.asarray(stated, dtype=float)
    outcome = np.asarray(outcome, dtype=float)
    if stated.size == 0:
        return float("nan")
    return float(np.mean((stated - outcome) ** 2))


def stated_probabilities(
    deals: pd.DataFrame,
    config: FunnelConfig | None = None,
    history: pd.DataFrame | None = None,
    *,
    column: str = "probability",
    owner: str = "owner",
    depth: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per closed deal: its stated probability and outcome.

    Returns
    -------
    DataFrame
        Index of the closed deals; ``funnel``, ``owner``, ``stated``,
        ``source`` ("deal" for the seller's own estimate, "config" for the
        configured probability of the funnel's first stage) and ``won``
        (1 or 0). Deals of a funnel missing from the config and without their
        own estimate are left out.
    """
    if config is None:
        config = infer_config(deals, history)
    if depth is None:
        depth = deal_depth(deals, config, history)
    closed = depth["status"].isin([WON, LOST]).to_numpy()
    first = {f.name: (f.stages[0].probability if f.stages else np.nan) for f in config.funnels}
    configured = depth["funnel"].map(first).astype("float64")
    own = deals[column].astype("float64") if column in deals.columns else pd.Series(np.nan, index=deals.index)
    own_closed = own[closed].dropna()
    if len(own_closed) and own_closed.isin([0.0, 1.0]).all():
        own = pd.Series(np.nan, index=deals.index)
    stated = own.where(own.notna(), configured)
    out = pd.DataFrame(
        {
            "funnel": depth["funnel"],
            "owner": deals[owner].astype("str").fillna("—") if owner in deals.columns else "—",
            "stated": stated,
            "source": np.where(own.notna(), "deal", "config"),
            "won": (depth["status"] == WON).astype(np.int64),
        },
        index=deals.index,
    )
    return out[closed & stated.notna().to_numpy()]


def stage_calibration(
    rates: pd.DataFrame,
    *,
    level: float = 0.95,
    min_count: int = DEFAULT_MIN_COUNT,
    margin: float = DEFAULT_MARGIN,
) -> pd.DataFrame:
    """Configured stage probability against observed, from stage win counts.

    Parameters
    ----------
    rates : DataFrame
        :func:`funnel_model.geometry.stage_win_rates` output (``funnel``,
        ``stage``, ``order``, ``won``, ``lost``, ``configured``).

    Returns
    -------
    DataFrame
        ``funnel``, ``order``, ``stage`` and the columns of
        :func:`calibration_table` (``stated`` is the configured probability).
    """
    out = rates[["funnel", "order", "stage"]].copy()
    won = rates["won"].to_numpy(dtype=float)
    lost = rates["lost"].to_numpy(dtype=float)
    p = rates["configured"].to_numpy(dtype=float)
    n = won + lost
    out["n"] = n.astype(np.int64)
    out["stated"] = p
    out["wins"] = won.astype(np.int64)
    out["expected"] = n * p
    with np.errstate(invalid="ignore", divide="ignore"):
        out["brier"] = np.where(n > 0, (won * (1 - p) ** 2 + lost * p**2) / np.where(n > 0, n, 1), np.nan)
    return _finish(out, ["funnel", "order", "stage"], level, min_count, margin).sort_values(["funnel", "order"])


def _finish(out: pd.DataFrame, by: list[str], level: float, min_count: int, margin: float) -> pd.DataFrame:
    """Observed share, Wilson interval, O/E, reliability and flag."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out["observed"] = np.where(out["n"] > 0, out["wins"] / out["n"].where(out["n"] > 0, 1), np.nan)
        out["oe"] = np.where(out["expected"] > 0, out["wins"] / out["expected"].where(out["expected"] > 0, 1.0), np.nan)
    out["low"], out["high"] = wilson_interval(out["wins"], out["n"], level)
    out["reliable"] = out["n"] >= min_count
    out["flag"] = np.where(
        out["reliable"] & (out["high"] + margin < out["stated"]),
        OVER,
        np.where(out["reliable"] & (out["low"] - margin > out["stated"]), UNDER, ""),
    )
    columns = [*by, "n", "stated", "observed", "low", "high", "expected", "wins", "oe", "brier", "reliable", "flag"]
    return out[columns].reset_index(drop=True)


def calibration_table(
    stated: pd.DataFrame,
    by: str | list[str],
    *,
    level: float = 0.95,
    min_count: int = DEFAULT_MIN_COUNT,
    margin: float = DEFAULT_MARGIN,
) -> pd.DataFrame:
    """Stated against observed per group of a :func:`stated_probabilities` table.

    Returns
    -------
    DataFrame
        The group columns, ``n``, ``stated`` (mean), ``observed`` (won share),
        ``low``/``high`` (Wilson at ``level``), ``expected`` (sum of stated:
        expected wins), ``wins``, ``oe`` (observed / expected wins), ``brier``,
        ``reliable`` (n ≥ ``min_count``) and ``flag`` ("over" when reliable and
        ``high + margin < stated``, "under" when ``low - margin > stated``,
        else "").
        Sorted with flagged groups first, then by ``oe``.
    """
    by = [by] if isinstance(by, str) else list(by)
    frame = stated.assign(sq=(stated["stated"] - stated["won"]) ** 2)
    grouped = frame.groupby(by, dropna=False, sort=True)
    out = grouped.agg(
        n=("won", "size"),
        stated=("stated", "mean"),
        wins=("won", "sum"),
        expected=("stated", "sum"),
        brier=("sq", "mean"),
    ).reset_index()
    out = _finish(out, by, level, min_count, margin)
    flagged = out["flag"] != ""
    order = np.lexsort((out["oe"].fillna(np.inf).to_numpy(), ~flagged.to_numpy()))
    return out.iloc[order].reset_index(drop=True)


@dataclass(frozen=True)
class Calibration:
    """Calibration of stated probabilities of one set of deals.

    Attributes
    ----------
        :func:`calibration_table` per funnel and stage, and per seller.
    brier : float
        Brier score over all closed deals with a stated probability.
    deals : int
        Those deals.
    own_estimates : int
        How many of them carried the seller's own estimate.
    over_optimistic : list of str
        Sellers flagged "over", worst observed/expected first.
    """

    by_stage: pd.DataFrame
    by_owner: pd.DataFrame
    brier: float
    deals: int
    own_estimates: int
    over_optimistic: list[str]


def calibrate(
    deals: pd.DataFrame,
    config: FunnelConfig | None = None,
    history: pd.DataFrame | None = None,
    *,
    level: float = 0.95,
    min_count: int = DEFAULT_MIN_COUNT,
    margin: float = DEFAULT_MARGIN,
    depth: pd.DataFrame | None = None,
    rates: pd.DataFrame | None = None,
) -> Calibration:
    """Stated against observed per stage and per seller, with the Brier score.

    ``depth`` (:func:`~funnel_model.geometry.deal_depth`) and ``rates``
    (:func:`~funnel_model.geometry.stage_win_rates`) may be passed when
    already computed for the same deals.
    """
    if config is None:
        config = infer_config(deals, history)
    if depth is None:
        depth = deal_depth(deals, config, history)
    table = stated_probabilities(deals, config, history, depth=depth)
    if rates is None:
        rates = stage_win_rates(deals, config, history, min_count=min_count, depth=depth)
    by_stage = stage_calibration(rates, level=level, min_count=min_count, margin=margin)
    by_owner = calibration_table(table, "owner", level=level, min_count=min_count, margin=margin)
    return Calibration(
        by_stage=by_stage,
        by_owner=by_owner,
        brier=brier_score(table["stated"], table["won"]),
        deals=len(table),
        own_estimates=int((table["source"] == "deal").sum()),
        over_optimistic=list(by_owner.loc[by_owner["flag"] == OVER, "owner"]),
    )
