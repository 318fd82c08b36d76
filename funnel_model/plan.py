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
from funnel_model.forecast import RevenueDistribution
from funnel_model.stats import at_least_with_confidence, is_real

__all__ = ["leads_needed", "reverse_funnel", "wins_needed"]


def _check_confidence(confidence: float) -> None:
    if not (is_real(confidence) and 0.0 < confidence < 1.0):
        raise ParameterError("error.parameter", name="confidence", rule="strictly between 0 and 1", value=confidence)


def leads_needed(wins: int, p: float, confidence: float) -> int:
    """Smallest N with P(Binomial(N, p) ≥ wins) ≥ confidence.

    Exact at ties: a probability equal to the confidence reaches it
    (:func:`funnel_model.stats.at_least_with_confidence`). numpy scalars are
    accepted (a float32 0.9 is read as 0.9).

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
    if not is_real(wins) or not float(wins).is_integer() or wins < 0:
        raise ParameterError("error.parameter", name="wins", rule="a whole number ≥ 0", value=wins)
    _check_confidence(confidence)
    wins = int(wins)
    if wins == 0:
        return 0
    if not (is_real(p) and 0.0 < p <= 1.0):
        raise ParameterError("error.parameter", name="p", rule="in (0, 1]", value=p)
    if p == 1.0:
        return wins
    # nbinom(wins, p) counts the failures before the wins-th success:
    # P(failures ≤ f) = P(Binomial(wins + f, p) ≥ wins)
    n = wins + int(stats.nbinom.ppf(float(confidence), wins, float(p)))
    # ppf works in floating point: step to the exact boundary, settled exactly at ties
    while n > wins and at_least_with_confidence(n - 1, wins, p, confidence):
        n -= 1
    while not at_least_with_confidence(n, wins, p, confidence):
        n += 1
    return n


def _sizes(deal_sizes) -> np.ndarray:
    sizes = np.asarray(deal_sizes, dtype=float).ravel()
    sizes = sizes[np.isfinite(sizes) & (sizes > 0)]
    if len(sizes) == 0:
        raise ParameterError("error.parameter", name="deal_sizes", rule="at least one amount > 0", value=0)
    return sizes


def _wins_to_reach(need: np.ndarray, sizes: np.ndarray, rng: np.random.Generator, max_wins: int) -> np.ndarray:
    """Per draw, the number of wins whose resampled sizes first add up to ``need``."""
    k = np.zeros(len(need), dtype=np.int64)
    left = np.flatnonzero(need > 0)
    total = np.zeros(len(left))
    done = 0
    block = int(min(max(16, need.max() / sizes.mean() / 4), 4096))
    # cumulative sums in blocks: only the draws still short of their need go on
    while len(left):
        if done >= max_wins:
            raise ParameterError(
                "error.parameter", name="target", rule=f"reachable with ≤ {max_wins} wins", value=need.max()
            )
        cum = total[:, None] + np.cumsum(rng.choice(sizes, size=(len(left), block)), axis=1)
        hit = cum >= need[left, None]
        reached = hit[:, -1]
        k[left[reached]] = done + hit[reached].argmax(axis=1) + 1
        left, total = left[~reached], cum[~reached, -1]
        done += block
    return k


def _smallest_at(samples: np.ndarray, confidence: float) -> int:
    """Smallest integer n with P(sample ≤ n) ≥ confidence in the draws."""
    return int(np.sort(samples)[max(math.ceil(confidence * len(samples)) - 1, 0)])


def wins_needed(
    target: float,
    deal_sizes,
    confidence: float,
    *,
    already=None,
    draws: int = 20000,
    seed: int = 0,
    max_wins: int = 100_000,
) -> int:
    """Smallest k with P(already + sum of k deal sizes ≥ target) ≥ confidence.

    Deal sizes are drawn from ``deal_sizes`` (the empirical distribution of
    won amounts, resampled with replacement) in a seeded Monte Carlo, so the
    spread of deal sizes is included.

    Parameters
    ----------
    target : float
        Revenue to reach, ≥ 0.
    deal_sizes : array_like of float
        Observed won deal amounts (at least one > 0).
    confidence : float
        In (0, 1).
    already : RevenueDistribution, optional
        Revenue that comes anyway (the open pipeline), drawn independently.
    draws : int
        Monte Carlo draws.
    seed : int
        Seed of the draws.
    max_wins : int
        Give up beyond this many wins.

    Returns
    -------
    int
        0 when the target is 0 (or the pipeline reaches it with the confidence).
    """
    _check_confidence(confidence)
    if not math.isfinite(target) or target < 0:
        raise ParameterError("error.parameter", name="target", rule="finite and ≥ 0", value=target)
    if target == 0:
        return 0
    rng = np.random.default_rng(seed)
    need = np.full(draws, float(target))
    if already is not None:
        need -= already.quantile(rng.random(draws))
    if not (need > 0).any():
        return 0
    return _smallest_at(_wins_to_reach(need, _sizes(deal_sizes), rng, max_wins), confidence)


def reverse_funnel(
    target: float,
    deal_sizes,
    stage_rates: pd.DataFrame,
    *,
    confidence: float = 0.9,
    pipeline: RevenueDistribution | None = None,
    actual: pd.Series | None = None,
    draws: int = 20000,
    seed: int = 0,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """Deals needed at each stage of one funnel to reach a revenue target.

    On average: the gap (target minus the pipeline's expected revenue) over
    the mean deal size gives the wins, and wins over a stage's win rate the
    deals that must reach it. At the confidence: in each Monte Carlo draw the
    pipeline's revenue and the resampled deal sizes give the wins K still
    needed, and the deals that must reach a stage with win rate p are
    K + NegativeBinomial(K, p) (the position of the K-th win); the figure is
    the smallest count that suffices in ``confidence`` of the draws, and at
    least ``leads_needed(wins_conf, p, confidence)`` so that the wins figure
    shown (``wins_conf``, the confidence quantile of K) and the stage counts
    chain: where most draws need no new win, the joint quantile alone can be
    smaller than what one of those wins takes. With no pipeline and equal
    deal sizes this is exactly :func:`leads_needed`.

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
    pipeline : RevenueDistribution, optional
        Revenue of the open pipeline; only the rest must come from new deals.
    actual : Series, optional
        Deals that reached each stage, indexed by stage name.
    draws, seed : int
        Size and seed of the Monte Carlo.

    Returns
    -------
    table : DataFrame
        ``stage``, ``rate``, ``needed_mean`` (deals that must reach the stage
        on average), ``needed_conf`` (at the confidence), ``chance_conf``
        (the chance those deals really give of meeting the target, over the
        same draws: at least ``confidence``, more where the chained figure
        is the larger) and ``actual``.
    summary : dict
        ``gap`` (target minus the pipeline's expected revenue), ``wins_mean``,
        ``wins_conf``, ``leads_mean``, ``leads_conf``, ``mean_size`` and
        ``chance_conf`` (the first stage's: the chance ``leads_conf`` leads
        give).
    """
    _check_confidence(confidence)
    if not math.isfinite(target) or target < 0:
        raise ParameterError("error.parameter", name="target", rule="finite and ≥ 0", value=target)
    rates = stage_rates["rate"].to_numpy(dtype=float)
    if np.any(~np.isfinite(rates)) or np.any((rates < 0) | (rates > 1)):
        raise ParameterError("error.parameter", name="rate", rule="between 0 and 1", value=rates.tolist())
    rng = np.random.default_rng(seed)
    need = np.full(draws, float(target))
    expected = 0.0
    if pipeline is not None:
        need -= pipeline.quantile(rng.random(draws))
        expected = pipeline.mean
    gap = max(float(target) - expected, 0.0)
    sizes = _sizes(deal_sizes) if gap > 0 or (need > 0).any() else np.zeros(0)
    mean_size = float(sizes.mean()) if len(sizes) else 0.0
    wins = _wins_to_reach(need, sizes, rng, 100_000) if len(sizes) else np.zeros(draws, dtype=np.int64)
    wins_mean = gap / mean_size if gap > 0 else 0.0
    wins_conf = _smallest_at(wins, confidence)
    constant = bool((wins == wins[0]).all())
    need_mean, need_conf = [], []
    for r in rates:
        need_mean.append(wins_mean / r if r > 0 else (math.inf if wins_mean else 0.0))
        if r == 0:
            need_conf.append(math.inf if wins.any() else 0.0)
            continue
        # the count that brings the wins shown (wins_conf) with the confidence: a reader chains the two figures
        chained = leads_needed(wins_conf, float(r), confidence)
        if constant:  # no randomness but the wins themselves: the exact negative binomial
            need_conf.append(float(chained))
        else:
            # the joint quantile can be lower (most draws need no new win at all), but "1 win at 90 %
            # from 2 leads at 90 %" at a 13 % win rate reads as a contradiction: never below the chain
            leads = wins + (rng.negative_binomial(np.maximum(wins, 1), r) if r < 1 else 0) * (wins > 0)
            need_conf.append(float(max(_smallest_at(leads, confidence), chained)))
    table = pd.DataFrame(
        {
            "stage": stage_rates["stage"].astype(str).to_numpy(),
            "rate": rates,
            "needed_mean": need_mean,
            "needed_conf": need_conf,
            "chance_conf": [_chance_met(wins, n, r) for n, r in zip(need_conf, rates, strict=True)],
        }
    )
    table["actual"] = table["stage"].map(actual).fillna(0).astype(float) if actual is not None else np.nan
    summary = {
        "gap": gap,
        "mean_size": mean_size,
        "wins_mean": wins_mean,
        "wins_conf": float(wins_conf),
        "leads_mean": need_mean[0] if need_mean else math.nan,
        "leads_conf": need_conf[0] if need_conf else math.nan,
        "chance_conf": float(table["chance_conf"].iloc[0]) if len(table) else math.nan,
    }
    return table, summary


def _chance_met(wins: np.ndarray, deals: float, rate: float) -> float:
    """P(the plan is met) when ``deals`` reach a stage of win rate ``rate``: mean over draws of P(Bin ≥ K)."""
    if not math.isfinite(deals):
        return math.nan
    return float(np.mean(stats.binom.sf(wins - 1, int(deals), rate)))
