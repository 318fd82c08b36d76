"""Calibration: stated win probabilities against what happened.

Each closed deal carries a *stated* probability: the seller's own estimate
(the deal's ``probability`` column) where present, else the configured
probability of the deepest open stage the deal reached (see
:func:`funnel_model.geometry.deal_depth`; for a won deal known only from a
snapshot that is the last stage). A ``probability`` column that holds only 0
and 1 on closed deals is the CRM's automatic value after closing, not an
estimate, and is ignored.

Per stage and per seller: mean stated probability, observed win share with a
Wilson interval, expected wins (sum of stated), observed/expected and the
Brier score. A seller is flagged over-optimistic when the whole Wilson
interval of the observed share lies below the mean stated probability (and the
seller has at least ``min_count`` closed deals); under-confident for the
mirror case.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from funnel_model.config import FunnelConfig
from funnel_model.errors import ParameterError
from funnel_model.geometry import DEFAULT_MIN_COUNT, deal_depth, infer_config
from funnel_model.schema import LOST, WON

__all__ = [
    "Calibration",
    "brier_score",
    "calibrate",
    "calibration_table",
    "stated_probabilities",
    "wilson_interval",
]

OVER, UNDER = "over", "under"


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
        Index of the closed deals; ``funnel``, ``owner``, ``stage`` (deepest
        open stage reached), ``order``, ``stated``, ``source`` ("deal" for the
        seller's own estimate, "config" for the stage's configured
        probability) and ``won`` (1 or 0). Deals at no known stage and
        without their own estimate are left out.
    """
    if config is None:
        config = infer_config(deals, history)
    if depth is None:
        depth = deal_depth(deals, config, history)
    closed = depth["status"].isin([WON, LOST]).to_numpy()
    names = {(f.name, k): s.name for f in config.funnels for k, s in enumerate(f.stages, start=1)}
    probs = {(f.name, k): s.probability for f in config.funnels for k, s in enumerate(f.stages, start=1)}
    # Few funnels and stages: map through a small key table, not per deal.
    key = pd.MultiIndex.from_arrays([depth["funnel"].to_numpy(), depth["depth"].to_numpy()])
    stage = pd.Series(key.map(lambda x: names.get(x)), index=deals.index, dtype=object)
    configured = pd.Series(key.map(lambda x: probs.get(x, np.nan)), index=deals.index, dtype=float)
    own = deals[column].astype("float64") if column in deals.columns else pd.Series(np.nan, index=deals.index)
    own_closed = own[closed].dropna()
    if len(own_closed) and own_closed.isin([0.0, 1.0]).all():
        own = pd.Series(np.nan, index=deals.index)
    stated = own.where(own.notna(), configured)
    out = pd.DataFrame(
        {
            "funnel": depth["funnel"],
            "owner": deals[owner].astype("str").fillna("—") if owner in deals.columns else "—",
            "stage": stage,
            "order": depth["depth"],
            "stated": stated,
            "source": np.where(own.notna(), "deal", "config"),
            "won": (depth["status"] == WON).astype(np.int64),
        },
        index=deals.index,
    )
    return out[closed & stated.notna().to_numpy()]


def calibration_table(
    stated: pd.DataFrame,
    by: str | list[str],
    *,
    level: float = 0.95,
    min_count: int = DEFAULT_MIN_COUNT,
) -> pd.DataFrame:
    """Stated against observed per group of a :func:`stated_probabilities` table.

    Returns
    -------
    DataFrame
        The group columns, ``n``, ``stated`` (mean), ``observed`` (won share),
        ``low``/``high`` (Wilson at ``level``), ``expected`` (sum of stated:
        expected wins), ``wins``, ``oe`` (observed / expected wins), ``brier``,
        ``reliable`` (n ≥ ``min_count``) and ``flag`` ("over" when reliable and
        ``high`` < ``stated``, "under" when ``low`` > ``stated``, else "").
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
    out["observed"] = out["wins"] / out["n"]
    out["low"], out["high"] = wilson_interval(out["wins"], out["n"], level)
    out["oe"] = np.where(out["expected"] > 0, out["wins"] / out["expected"].where(out["expected"] > 0, 1.0), np.nan)
    out["reliable"] = out["n"] >= min_count
    out["flag"] = np.where(
        out["reliable"] & (out["high"] < out["stated"]),
        OVER,
        np.where(out["reliable"] & (out["low"] > out["stated"]), UNDER, ""),
    )
    out["_flagged"] = out["flag"] != ""
    out = out.sort_values(["_flagged", "oe", *by], ascending=[False, True] + [True] * len(by), na_position="last")
    columns = [*by, "n", "stated", "observed", "low", "high", "expected", "wins", "oe", "brier", "reliable", "flag"]
    return out[columns].reset_index(drop=True)


@dataclass(frozen=True)
class Calibration:
    """Calibration of stated probabilities of one set of deals.

    Attributes
    ----------
    by_stage, by_owner : DataFrame
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
    depth: pd.DataFrame | None = None,
) -> Calibration:
    """Stated against observed per stage and per seller, with the Brier score."""
    table = stated_probabilities(deals, config, history, depth=depth)
    by_stage = calibration_table(table, ["funnel", "order", "stage"], level=level, min_count=min_count)
    by_stage = by_stage.sort_values(["funnel", "order"], kind="stable").reset_index(drop=True)
    by_owner = calibration_table(table, "owner", level=level, min_count=min_count)
    return Calibration(
        by_stage=by_stage,
        by_owner=by_owner,
        brier=brier_score(table["stated"], table["won"]),
        deals=len(table),
        own_estimates=int((table["source"] == "deal").sum()),
        over_optimistic=list(by_owner.loc[by_owner["flag"] == OVER, "owner"]),
    )
