"""Calibration: stated win probabilities against what happened.

Two things are checked.

* **Per stage** — the configured probability of each stage against the
  observed P(won | reached the stage) among closed deals: the rows of
  :func:`funnel_model.geometry.stage_win_rates`, with *its* interval and
  *its* ``outside`` rule, an exact binomial test of the stage's counts at the
  configured probability (one rule on the page: a stage is flagged exactly
  when the stage table flags it). The Brier score of a stage is that of
  stating its configured probability for every closed deal that reached it.
  Stages whose rate is not identifiable (lost deals of unknown loss stage)
  are left out.
* **Per seller** — each closed deal's *stated* probability against its
  outcome, in two separate rows per seller: the deals carrying the seller's
  own estimate (the deal's ``probability`` column; for a closed deal taken as
  the one given when the deal was opened), and the deals without one,
  compared with the configured probability of the funnel's first stage. A
  ``probability`` column holding only 0 and 1 on closed deals is the CRM's
  automatic value after closing, not an estimate, and is ignored.

Each row gets the mean stated probability, the observed win share with a
Wilson interval (:func:`funnel_model.stats.wilson_interval`), expected wins
(sum of stated), observed/expected wins and the Brier score. A row is flagged
when it has at least ``min_count`` closed deals and the whole Wilson interval
lies more than ``margin`` (default 5 percentage points) below the mean stated
probability: statistically and practically off. The interval that decides
the flag is widened for the number of sellers judged together (Bonferroni:
with m reliable rows, each at 1 − (1 − level) / m), so that
with eight well-calibrated sellers the chance that any of them is flagged
stays below 1 − level rather than growing with the team. On the seller's own
estimates the flag is "over" (over-optimistic; "under" the mirror case); on
configured probabilities it is "below" (wins below the configured rate;
"above" the mirror) — the seller stated nothing, so nothing is said about
their optimism.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from funnel_model.config import FunnelConfig
from funnel_model.geometry import DEFAULT_MIN_COUNT, deal_depth, stage_win_rates
from funnel_model.inference import infer_config
from funnel_model.schema import LOST, WON
from funnel_model.stats import wilson_interval

__all__ = [
    "ABOVE",
    "BELOW",
    "DEFAULT_MARGIN",
    "OVER",
    "UNDER",
    "Calibration",
    "brier_score",
    "calibrate",
    "calibration_table",
    "crm_closing_values",
    "stage_calibration",
    "stated_probabilities",
]

OVER, UNDER = "over", "under"  # the seller's own estimates
BELOW, ABOVE = "below", "above"  # configured probabilities (the seller stated nothing)
DEFAULT_MARGIN = 0.05  # percentage points a flagged interval must clear the stated mean by


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
    if crm_closing_values(own[closed]):
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


def crm_closing_values(probability: pd.Series) -> int:
    """How many closed deals' probabilities are the CRM's automatic closing values.

    When every stated probability of the closed deals is 0 or 1 (HubSpot's
    "Deal probability", amoCRM...), the CRM set them on closing: they are
    outcomes, not the seller's estimates. Returns their number, else 0.
    """
    stated = probability.dropna()
    return len(stated) if len(stated) and stated.isin([0.0, 1.0]).all() else 0


def stage_calibration(rates: pd.DataFrame, *, min_count: int = DEFAULT_MIN_COUNT) -> pd.DataFrame:
    """Configured stage probability against observed, from stage win counts.

    Parameters
    ----------
    rates : DataFrame
        :func:`funnel_model.geometry.stage_win_rates` output. Its interval
        (``low``/``high``, at the level it was computed with) and its
        ``outside`` flag (exact binomial test) are used as they are, so this
        table and the stage table never disagree. Stages not
        ``identifiable`` are left out.
    min_count : int
        Closed deals for ``reliable``.

    Returns
    -------
    DataFrame
        ``funnel``, ``order``, ``stage``, ``n``, ``stated`` (the configured
        probability), ``observed``, ``low``, ``high``, ``expected``,
        ``wins``, ``oe``, ``brier``, ``reliable`` and ``flag`` ("over" when
        the stage is ``outside`` with the configured probability above the
        observed share, "under" below it, else "").
    """
    if "identifiable" in rates.columns:
        rates = rates[rates["identifiable"].to_numpy(dtype=bool)]
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
    out["observed"] = rates["observed"].to_numpy(dtype=float)
    out["oe"] = _share(out["wins"], out["expected"])
    out["low"] = rates["low"].to_numpy(dtype=float)
    out["high"] = rates["high"].to_numpy(dtype=float)
    out["reliable"] = out["n"] >= min_count
    outside = rates["outside"].to_numpy(dtype=bool)
    observed = out["observed"].to_numpy(dtype=float)
    out["flag"] = np.where(outside & (p > observed), OVER, np.where(outside & (p < observed), UNDER, ""))
    columns = ["funnel", "order", "stage", *_COLUMNS]
    return out[columns].sort_values(["funnel", "order"]).reset_index(drop=True)


_COLUMNS = ["n", "stated", "observed", "low", "high", "expected", "wins", "oe", "brier", "reliable", "flag"]


def _share(num: pd.Series, den: pd.Series) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den.where(den > 0, 1.0), np.nan)


def calibration_table(
    stated: pd.DataFrame,
    by: str | list[str],
    *,
    level: float = 0.95,
    min_count: int = DEFAULT_MIN_COUNT,
    margin: float = DEFAULT_MARGIN,
) -> pd.DataFrame:
    """Stated against observed per group and source of a :func:`stated_probabilities` table.

    Parameters
    ----------
    stated : DataFrame
        :func:`stated_probabilities` output.
    by : str or list of str
        Group columns (e.g. "owner"); ``source`` is always added, so a
        seller's own estimates and the configured probabilities are never
        mixed in one row.
    level : float
        Wilson interval coverage of each row; the flags use it for all the
        reliable rows together (Bonferroni).
    min_count : int
        Closed deals a row needs to be ``reliable`` and flagged: for the
        "deal" rows, the number of the seller's own estimates.
    margin : float
        How far (as a share) the whole widened interval must clear the stated mean.

    Returns
    -------
    DataFrame
        The group columns, ``source`` ("deal" or "config"), ``n``, ``stated``
        (mean), ``observed`` (won share), ``low``/``high`` (Wilson at
        ``level``), ``expected`` (sum of stated: expected wins), ``wins``,
        ``oe`` (observed / expected wins), ``brier``, ``reliable``
        (n ≥ ``min_count``) and ``flag``: on "deal" rows "over" when reliable
        and ``high + margin < stated``, "under" when ``low - margin > stated``,
        with ``low``/``high`` here the Wilson interval at
        1 − (1 − ``level``) / m for the m reliable rows; on
        "config" rows "below" / "above" by the same rule; else "".
        Sorted with flagged rows first ("over" before the others), then by ``oe``.
    """
    by = [by] if isinstance(by, str) else list(by)
    keys = [*by, "source"] if "source" not in by else by
    frame = stated.assign(sq=(stated["stated"] - stated["won"]) ** 2)
    grouped = frame.groupby(keys, dropna=False, sort=True)
    out = grouped.agg(
        n=("won", "size"),
        stated=("stated", "mean"),
        wins=("won", "sum"),
        expected=("stated", "sum"),
        brier=("sq", "mean"),
    ).reset_index()
    out["observed"] = _share(out["wins"], out["n"])
    out["oe"] = _share(out["wins"], out["expected"])
    out["low"], out["high"] = wilson_interval(out["wins"], out["n"], level)
    out["reliable"] = out["n"] >= min_count
    own = (out["source"] == "deal").to_numpy()
    # Bonferroni: the m reliable rows share the 1 - level error rate
    joint = 1.0 - (1.0 - level) / max(int(out["reliable"].sum()), 1)
    wide_low, wide_high = wilson_interval(out["wins"], out["n"], joint)
    off_low = out["reliable"] & (wide_high + margin < out["stated"])
    off_high = out["reliable"] & (wide_low - margin > out["stated"])
    out["flag"] = np.where(off_low, np.where(own, OVER, BELOW), np.where(off_high, np.where(own, UNDER, ABOVE), ""))
    out = out[[*keys, *_COLUMNS]]
    rank = np.where(out["flag"] == OVER, 0, np.where(out["flag"] != "", 1, 2))
    order = np.lexsort((out["oe"].fillna(np.inf).to_numpy(), rank))
    return out.iloc[order].reset_index(drop=True)


@dataclass(frozen=True)
class Calibration:
    """Calibration of stated probabilities of one set of deals.

    Attributes
    ----------
    by_stage : DataFrame
        :func:`stage_calibration`: configured probability against observed
        per funnel and identifiable stage (the stage table's Beta interval
        and ``outside`` rule).
    by_owner : DataFrame
        :func:`calibration_table` per ``owner`` and ``source``: the seller's
        own estimates ("deal") and the configured probabilities ("config")
        in separate rows, Wilson intervals.
    brier : float
        Brier score over all closed deals with a stated probability.
    deals : int
        Those deals.
    own_estimates : int
        How many of them carried the seller's own estimate.
    crm_closing : int
        Closed deals whose probability was only the CRM's automatic 0 % or
        100 % (:func:`crm_closing_values`), ignored as estimates.
    over_optimistic : list of str
        Sellers whose own estimates are flagged "over", worst
        observed/expected first. Never a seller without enough own estimates.
    below_configured : list of str
        Sellers whose deals without an own estimate won clearly less than the
        configured rate ("below"), worst first: a fact about results against
        the config, not about the seller's optimism.
    """

    by_stage: pd.DataFrame
    by_owner: pd.DataFrame
    brier: float
    deals: int
    own_estimates: int
    over_optimistic: list[str]
    below_configured: list[str]
    crm_closing: int = 0


def calibrate(
    deals: pd.DataFrame,
    config: FunnelConfig | None = None,
    history: pd.DataFrame | None = None,
    *,
    level: float = 0.95,
    rate_level: float = 0.9,
    min_count: int = DEFAULT_MIN_COUNT,
    margin: float = DEFAULT_MARGIN,
    depth: pd.DataFrame | None = None,
    rates: pd.DataFrame | None = None,
) -> Calibration:
    """Stated against observed per stage and per seller, with the Brier score.

    ``level`` is the sellers' Wilson coverage; ``rate_level`` the Beta level
    of the stage rates when ``rates`` is not given. ``depth``
    (:func:`~funnel_model.geometry.deal_depth`) and ``rates``
    (:func:`~funnel_model.geometry.stage_win_rates`) may be passed when
    already computed for the same deals.
    """
    if config is None:
        config = infer_config(deals, history)
    if depth is None:
        depth = deal_depth(deals, config, history)
    table = stated_probabilities(deals, config, history, depth=depth)
    if rates is None:
        rates = stage_win_rates(deals, config, history, min_count=min_count, level=rate_level, depth=depth)
    by_stage = stage_calibration(rates, min_count=min_count)
    by_owner = calibration_table(table, "owner", level=level, min_count=min_count, margin=margin)
    return Calibration(
        by_stage=by_stage,
        by_owner=by_owner,
        brier=brier_score(table["stated"], table["won"]),
        deals=len(table),
        own_estimates=int((table["source"] == "deal").sum()),
        over_optimistic=list(by_owner.loc[by_owner["flag"] == OVER, "owner"]),
        below_configured=list(by_owner.loc[by_owner["flag"] == BELOW, "owner"]),
        crm_closing=_crm_closing(deals, depth),
    )


def _crm_closing(deals: pd.DataFrame, depth: pd.DataFrame, column: str = "probability") -> int:
    if column not in deals.columns:
        return 0
    closed = depth["status"].isin([WON, LOST]).to_numpy()
    return crm_closing_values(deals[column].astype("float64")[closed])
