"""The plan worked backwards: revenue target → wins → leads and stage counts.

``leads_needed`` answers "how many leads give at least ``wins`` wins with
this confidence" (negative binomial; scipy's ``nbinom`` counts failures, so
the number of leads is wins + failures). ``wins_needed`` turns a revenue
target into a number of wins including the spread of deal sizes, and
``reverse_funnel`` lays both out per stage beside the actual funnel.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from funnel_model.errors import ParameterError

__all__ = ["leads_needed", "reverse_funnel", "wins_needed"]


def _check_confidence(confidence: float) -> None:
    if not (isinstance(confidence, (int, float)) and 0.0 < confidence < 1.0):
        raise ParameterError("error.parameter", name="confidence", rule="strictly between 0 and 1", value=confidence)


def leads_needed(wins: int, p: float, confidence: float) -> int:
    """Smallest N with P(Binomial(N, p) ≥ wins) ≥ confidence.

    Parameters
    ----------
    wins : int
        Wins wanted, ≥ 0.
    p : float
        Win probability of one lead, in (0, 1] (0 only when ``wins`` is 0).
    confidence : float
        Wanted probability of getting at least ``wins`` wins, in (0, 1).

    Returns
    -------
    int
        The number of leads (0 when ``wins`` is 0).

    Raises
    ------
    ParameterError
        ``wins`` negative or not whole, ``p`` outside (0, 1], ``confidence``
        outside (0, 1).

    Examples
    --------
    >>> leads_needed(10, 0.02, 0.9)
    708
    """
    if isinstance(wins, bool) or not float(wins).is_integer() or wins < 0:
        raise ParameterError("error.parameter", name="wins", rule="a whole number ≥ 0", value=wins)
    _check_confidence(confidence)
    wins = int(wins)
    if wins == 0:
        return 0
    if not (isinstance(p, (int, float)) and 0.0 < p <= 1.0):
        raise ParameterError("error.parameter", name="p", rule="in (0, 1]", value=p)
    if p == 1.0:
        return wins
    # nbinom(wins, p) counts the failures before the wins-th success:
    # P(failures ≤ f) = P(Binomial(wins + f, p) ≥ wins)
    n = wins + int(stats.nbinom.ppf(confidence, wins, p))
    # ppf works in floating point: step to the exact boundary with the binomial tail
    while n > wins and stats.binom.sf(wins - 1, n - 1, p) >= confidence:
        n -= 1
    while stats.binom.sf(wins - 1, n, p) < confidence:
        n += 1
    return n


def wins_needed(
    target: float,
    deal_sizes,
    confidence: float,
    *,
    draws: int = 20000,
    seed: int = 0,
    max_wins: int = 100_000,
) -> int:
    """Smallest k with P(sum of k deal sizes ≥ target) ≥ confidence.

    Deal sizes are drawn from ``deal_sizes`` (the empirical distribution of
    won amounts, resampled with replacement) in a seeded Monte Carlo, so the
    spread of deal sizes is included.

    Parameters
    ----------
    target : float
        Revenue to reach, ≥ 0.
    deal_sizes : array_like of float
        Observed won deal amounts (> 0 on average).
    confidence : float
        In (0, 1).
    draws : int
        Monte Carlo draws.
    seed : int
        Seed of the draws.
    max_wins : int
        Give up beyond this many wins.

    Returns
    -------
    int
        0 when the target is 0.
    """
    _check_confidence(confidence)
    if not math.isfinite(target) or target < 0:
        raise ParameterError("error.parameter", name="target", rule="finite and ≥ 0", value=target)
    sizes = np.asarray(deal_sizes, dtype=float).ravel()
    sizes = sizes[np.isfinite(sizes)]
    if target == 0:
        return 0
    if len(sizes) == 0 or sizes.mean() <= 0:
        raise ParameterError("error.parameter", name="deal_sizes", rule="at least one amount > 0", value=len(sizes))
    rng = np.random.default_rng(seed)
    total = np.zeros(draws)
    done = 0
    block = max(16, int(target / sizes.mean() / 4))
    # cumulative sums in blocks: the same draws serve every k, so the estimate is monotone in k
    while done < max_wins:
        cum = total[:, None] + np.cumsum(rng.choice(sizes, size=(draws, block)), axis=1)
        reached = (cum >= target).mean(axis=0)
        hit = np.flatnonzero(reached >= confidence)
        if len(hit):
            return done + int(hit[0]) + 1
        total = cum[:, -1]
        done += block
    raise ParameterError("error.parameter", name="target", rule=f"reachable with ≤ {max_wins} wins", value=target)


def reverse_funnel(
    target: float,
    deal_sizes,
    stage_rates: pd.DataFrame,
    *,
    confidence: float = 0.9,
    pipeline_revenue: float = 0.0,
    actual: pd.Series | None = None,
    seed: int = 0,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Deals needed at each stage of one funnel to reach a revenue target.

    Parameters
    ----------
    target : float
        Revenue target for the period.
    deal_sizes : array_like of float
        Won deal amounts (their spread enters the confidence figures).
    stage_rates : DataFrame
        One row per open stage in funnel order: ``stage`` and ``rate``, the
        probability that a deal at that stage is eventually won.
    confidence : float
        Wanted probability of meeting the target, in (0, 1).
    pipeline_revenue : float
        Revenue the current pipeline is expected to bring; only the rest must
        come from new deals.
    actual : Series, optional
        Deals that reached each stage, indexed by stage name.
    seed : int
        Seed of the deal-size Monte Carlo.

    Returns
    -------
    table : DataFrame
        ``stage``, ``rate``, ``needed_mean`` (deals that must reach the stage
        on average), ``needed_conf`` (at the confidence) and ``actual``.
    summary : dict
        ``gap`` (target minus pipeline), ``wins_mean``, ``wins_conf``,
        ``leads_mean``, ``leads_conf``, ``mean_size``.
    """
    _check_confidence(confidence)
    if not math.isfinite(target) or target < 0:
        raise ParameterError("error.parameter", name="target", rule="finite and ≥ 0", value=target)
    sizes = np.asarray(deal_sizes, dtype=float).ravel()
    sizes = sizes[np.isfinite(sizes) & (sizes > 0)]
    gap = max(float(target) - float(pipeline_revenue), 0.0)
    if gap > 0 and len(sizes) == 0:
        raise ParameterError("error.parameter", name="deal_sizes", rule="at least one won amount > 0", value=0)
    mean_size = float(sizes.mean()) if len(sizes) else 0.0
    wins_mean = gap / mean_size if gap > 0 else 0.0
    wins_conf = wins_needed(gap, sizes, confidence, seed=seed) if gap > 0 else 0
    rates = stage_rates["rate"].to_numpy(dtype=float)
    if np.any(~np.isfinite(rates)) or np.any((rates < 0) | (rates > 1)):
        raise ParameterError("error.parameter", name="rate", rule="between 0 and 1", value=rates.tolist())
    need_mean = np.where(rates > 0, wins_mean / np.where(rates > 0, rates, 1), np.inf if wins_mean else 0.0)
    need_conf = [
        float(leads_needed(wins_conf, float(r), confidence)) if r > 0 or wins_conf == 0 else math.inf for r in rates
    ]
    table = pd.DataFrame(
        {
            "stage": stage_rates["stage"].astype(str).to_numpy(),
            "rate": rates,
            "needed_mean": need_mean,
            "needed_conf": need_conf,
        }
    )
    table["actual"] = (
        table["stage"].map(actual).fillna(0).astype(float) if actual is not None else np.nan
    )
    summary = {
        "gap": gap,
        "mean_size": mean_size,
        "wins_mean": wins_mean,
        "wins_conf": float(wins_conf),
        "leads_mean": float(need_mean[0]) if len(need_mean) else math.nan,
        "leads_conf": float(need_conf[0]) if need_conf else math.nan,
    }
    return table, summary
