"""Funnel geometry: which stages each deal reached, and what that makes of the funnel.

A deal *reached* stage k if it ever entered k or a later stage of its funnel
(stages ordered as in the :class:`~funnel_model.config.FunnelConfig`). Every
deal is reduced to one number, its *depth*: the deepest open stage it reached
(1..K, 0 when unknown). Reached counts are then reverse cumulative sums of a
depth histogram per group, so skipped stages and backward moves count once per
stage by construction and no Python loop runs per deal.

Depth from a **snapshot** of the deal table:

* open deal: the position of its current stage;
* won deal: K (all stages), and it also fills the "won" row;
* lost deal: the position of ``lost_stage`` (or of ``stage`` when the export
  keeps the stage the deal was lost at there). A lost deal whose loss stage is
  unknown is credited to the **first stage only**: it entered the funnel, but
  nothing says how far it went. Such deals are counted
  (:func:`reach_summary`, and per group in :func:`funnel_geometry`) so the
  page can say how many there are.

Where a group has such deals, every number past the first stage that needs
to know where lost deals stopped is **not identifiable** from the snapshot:
the win rate from a later stage, the step conversions and therefore the
bottleneck. Those are NaN / not named rather than the misleading values the
first-stage crediting would give (amoCRM exports never carry the loss stage:
every later stage would show a 100 % win rate). Stage history, or a mapped
loss-stage column, makes them identifiable again.

Depth from **history** (``deal_id, stage, entered_at``): the deepest stage the
deal ever entered (a won stage counts as beyond the last open stage). For
deals with history the depth is the larger of the history depth and the
snapshot depth (the current stage was certainly entered); deals missing from
the history fall back to the snapshot. On data where both are complete the two
give the same numbers.

Still-open deals are never counted as lost: they stay in ``open`` and
``current`` and out of win rates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import stats

from funnel_model.config import DEFAULT_FUNNEL, FunnelConfig, FunnelSpec, StageSpec
from funnel_model.errors import ParameterError
from funnel_model.inference import _DEPTH_COLUMNS, _first_rows, _infer_config, _Read, _read, infer_config
from funnel_model.schema import LOST, OPEN, WON
from funnel_model.stats import holm

__all__ = [
    "DEFAULT_ALPHA",
    "DEFAULT_MIN_COUNT",
    "PRIOR_WEIGHT",
    "ReachSummary",
    "beta_interval",
    "bottlenecks",
    "cycle_times",
    "deal_depth",
    "funnel_geometry",
    "history_orphans",
    "rate_posterior",
    "reach_summary",
    "seller_comparison",
    "stage_durations",
    "stage_win_rates",
    "with_empirical_probabilities",
]

DEFAULT_MIN_COUNT = 20
PRIOR_WEIGHT = 1.0  # closed deals the configured probability is worth in a stage's rate
DEFAULT_ALPHA = 0.05  # false-flag rate of the stage and seller flags (family-wise for sellers)
_PRIOR_FLOOR = 5e-3  # a configured 0 % or 100 % still leaves a proper prior that doubles can resolve
_WON_KIND, _OPEN_KIND = "won", "open"
_STATUSES = (OPEN, WON, LOST)  # status codes 0, 1, 2 of deal_depth's categorical


def _arrow(values) -> pa.Array | pa.ChunkedArray:
    return pa.array(pd.Series(values, dtype="str") if isinstance(values, list) else values.astype("str"))


def _codes(values: pd.Series, categories: list[str] | pd.Series) -> np.ndarray:
    """Position of each value in ``categories``; -1 for missing or unknown.

    Arrow's hash lookup on the string columns: no per-row Python objects,
    which matters for millions of history rows.
    """
    array = _arrow(values)
    lookup = _arrow(categories).cast(array.type)
    if isinstance(lookup, pa.ChunkedArray):
        lookup = lookup.combine_chunks()
    return np.asarray(pc.index_in(array, value_set=lookup).fill_null(-1)).astype(np.int64)


def _looked_up(texts: dict, column: str, categories: list[str], rows: np.ndarray, missing: int = -1) -> np.ndarray:
    """:func:`_codes` of a deal column's ``rows``, from its ``inference._text_codes``: its few distinct
    values looked up. A missing value gets ``missing``."""
    codes, values = texts[column]
    return np.append(_codes(pd.Series(values, dtype="str"), categories), missing)[codes[rows]]


def _check_level(level: float, name: str = "level") -> float:
    if isinstance(level, bool) or not isinstance(level, (int, float, np.integer, np.floating)):
        raise ParameterError("error.parameter", name=name, rule="between 0 and 1 (exclusive)", value=level)
    if not 0.0 < float(level) < 1.0:
        raise ParameterError("error.parameter", name=name, rule="between 0 and 1 (exclusive)", value=level)
    return float(level)


def _check_min_count(min_count: int) -> int:
    if not isinstance(min_count, (int, np.integer)) or min_count < 0:
        raise ParameterError("error.parameter", name="min_count", rule="a whole number ≥ 0", value=min_count)
    return int(min_count)


def beta_interval(won, lost, level: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Central ``level`` interval of Beta(1 + won, 1 + lost) (uniform prior).

    Parameters
    ----------
    won, lost : array_like
        Counts of won and lost deals.
    level : float
        Probability mass inside the interval, e.g. 0.9 for the 5 %–95 % band.

    Returns
    -------
    (low, high) : tuple of ndarray
    """
    level = _check_level(level)
    a = 1.0 + np.asarray(won, dtype=float)
    b = 1.0 + np.asarray(lost, dtype=float)
    tail = (1.0 - level) / 2.0
    return stats.beta.ppf(tail, a, b), stats.beta.ppf(1.0 - tail, a, b)


def rate_posterior(won, lost, prior, level: float = 0.9, *, weight: float = PRIOR_WEIGHT) -> dict[str, np.ndarray]:
    """A win rate from counts: posterior of a Beta prior worth ``weight`` deals centred on ``prior``.

    The prior is Beta(w·c, w·(1 − c)) with c the ``prior`` (the configured
    probability, kept within 0.5 %–99.5 % so the prior stays proper) and
    w = ``weight``; the posterior is Beta(won + w·c, lost + w·(1 − c)). Its
    mean, (won + w·c) / (n + w), is the rate: with one deal's weight it
    moves a stage with n closed deals by at most 1 / (n + 1) of the gap
    between the observed share and the configured probability, so a late
    stage is never pulled toward another stage's rate, and with no closed
    deal it is the configured probability. The mean, not the median, because
    expected revenue is linear in the rate: a forecast drawing rates from this
    posterior is centred on the revenue at these rates.

    The interval is a ``level`` credible interval of the same posterior: the
    equal-tailed one, moved just enough to contain the mean when the
    posterior is so skewed that the mean lies in a tail (no win at a
    configured 0.5 %), so the rate always lies inside its interval.

    Parameters
    ----------
    won, lost : array_like
        Closed deals won and lost.
    prior : array_like
        Centre of the prior, a probability.
    level : float
        Mass of the interval.
    weight : float or array_like
        Deals the prior is worth, > 0 (per rate when an array).

    Returns
    -------
    dict of ndarray
        ``alpha``, ``beta`` (posterior shape parameters), ``rate`` (posterior
        mean), ``low``, ``high``.
    """
    level = _check_level(level)
    w = np.asarray(weight, dtype=float) if not isinstance(weight, bool) else np.asarray(np.nan)
    if not (np.all(np.isfinite(w)) and np.all(w > 0)):
        raise ParameterError("error.parameter", name="weight", rule="a number of deals > 0", value=weight)
    centre = np.clip(np.asarray(prior, dtype=float), _PRIOR_FLOOR, 1.0 - _PRIOR_FLOOR)
    a = np.asarray(won, dtype=float) + w * centre
    b = np.asarray(lost, dtype=float) + w * (1.0 - centre)
    mean = a / (a + b)
    tail = (1.0 - level) / 2.0
    below = stats.beta.cdf(mean, a, b)
    # the lower tail's mass: equal tails unless the mean would fall in one of them
    lower = np.where(below < tail, below, np.where(1.0 - below < tail, below - level, tail))
    lower = np.clip(lower, 0.0, 1.0 - level)
    low = np.minimum(stats.beta.ppf(lower, a, b), mean)  # min/max only absorb the ppf's rounding
    high = np.maximum(stats.beta.ppf(lower + level, a, b), mean)
    return {"alpha": a, "beta": b, "rate": mean, "low": low, "high": high}


def _binomial_p_value(won, n, p) -> np.ndarray:
    """Two-sided exact binomial p-value of ``won`` of ``n`` at rate ``p`` (NaN where n = 0)."""
    won, n, p = (np.asarray(x) for x in np.broadcast_arrays(won, n, p))
    out = np.full(won.shape, np.nan)
    for i in np.flatnonzero(n > 0):
        out[i] = stats.binomtest(int(won[i]), int(n[i]), float(np.clip(p[i], 0.0, 1.0))).pvalue
    return out


def _default_funnel(config: FunnelConfig | None) -> str:
    """The funnel of a deal without one: the config's only funnel, else :data:`DEFAULT_FUNNEL`."""
    return config.funnels[0].name if config is not None and len(config.funnels) == 1 else DEFAULT_FUNNEL


def _funnel_names(deals: pd.DataFrame, config: FunnelConfig | None) -> pd.Series:
    """The funnel of each deal; a missing one is the config's only funnel."""
    default = _default_funnel(config)
    if "funnel" not in deals.columns:
        return pd.Series(default, index=deals.index, dtype="str")
    return deals["funnel"].astype("str").fillna(default)


@dataclass(frozen=True)
class _Lookup:
    """Stage positions per funnel as arrays indexed by (funnel code, stage code).

    Position: 1..K open stages, K + 1 a won stage, 0 a lost stage, -1 not a
    stage of that funnel. An extra last row and column (all -1) absorb the
    code -1 that pandas gives unknown values.
    """

    funnels: list[str]
    stages: list[str]
    position: np.ndarray
    n_stages: np.ndarray

    @classmethod
    def build(cls, config: FunnelConfig) -> _Lookup:
        stages = sorted({s for f in config.funnels for s in f.stage_names + list(f.won) + list(f.lost)})
        col = {s: j for j, s in enumerate(stages)}
        position = np.full((len(config.funnels) + 1, len(stages) + 1), -1, dtype=np.int64)
        for i, f in enumerate(config.funnels):
            for k, s in enumerate(f.stage_names, start=1):
                position[i, col[s]] = k
            for s in f.won:
                position[i, col[s]] = len(f.stages) + 1
            for s in f.lost:
                position[i, col[s]] = 0
        n_stages = np.array([len(f.stages) for f in config.funnels] + [0], dtype=np.int64)
        return cls([f.name for f in config.funnels], stages, position, n_stages)

    def funnel_codes(self, names: pd.Series) -> np.ndarray:
        return _codes(names, self.funnels)

    def stage_codes(self, names: pd.Series) -> np.ndarray:
        return _codes(names, self.stages)


def deal_depth(deals: pd.DataFrame, config: FunnelConfig | None = None, history: pd.DataFrame | None = None):
    """The deepest open stage each deal reached, and how that was known.

    Parameters
    ----------
    deals : DataFrame
        Canonical deal table (``deal_id``, ``stage``, ``status``,
        ``lost_stage``, ``funnel``, ...).
    config : FunnelConfig, optional
        Stage order; when None, inferred by :func:`funnel_model.inference.infer_config`.
    history : DataFrame, optional
        Stage history ``deal_id, stage, entered_at``.

    Returns
    -------
    DataFrame
        Index of ``deals``; columns ``funnel`` (name), ``status``
        (categorical open/won/lost, derived from the stage when missing), ``depth``
        (0..K), ``current`` (position of an open deal's current stage, else
        0; below ``depth`` after a backward move), ``n_stages`` (K),
        ``from_history`` (bool),
        ``lost_unknown`` (lost, loss stage unknown: credited to the first
        stage only) and ``unmatched`` (funnel or stage not in the config:
        depth 0, counted nowhere). History rows of deals not in ``deals``
        are not used; :func:`history_orphans` counts them.
    """
    return _deal_depth(deals, config, history)[0]


def _deal_depth(
    deals: pd.DataFrame, config: FunnelConfig | None, history: pd.DataFrame | None, read: _Read | None = None
) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`deal_depth`, with the data already read by ``inference._read(..., depth=True)`` if it was;
    and each deal's funnel as a code into the config's funnels (-1: not one of them)."""
    if read is None:
        read = _read(deals, history, infer=config is None, depth=True)
    if config is None:
        config = _infer_config(deals, history, read=read)
    lookup = _Lookup.build(config)
    n = len(deals)
    # Without history a deal's depth follows from its funnel, stage, status and loss stage alone: worked
    # out once per combination present (a few hundred), then spread over the deals.
    texts = read.texts
    combo = np.zeros(n, dtype=np.int64)
    for column in _DEPTH_COLUMNS:
        if column in texts:
            combo = _paired(combo, texts[column])
    combo, _ = pd.factorize(combo)
    first = _first_rows(combo)
    # a missing funnel is the default one, as in the names
    default = int(lookup.funnel_codes(pd.Series([_default_funnel(config)], dtype="str"))[0])
    fc = (
        _looked_up(texts, "funnel", lookup.funnels, first, default)
        if "funnel" in texts
        else np.full(len(first), default)
    )
    cur = lookup.position[fc, _looked_up(texts, "stage", lookup.stages, first)]
    k = lookup.n_stages[fc]

    given = _looked_up(texts, "status", list(_STATUSES), first) if "status" in texts else np.full(len(first), -1)
    # A missing status comes from the stage name: won/lost stages are terminal.
    derived = np.where(cur == k + 1, 1, np.where(cur == 0, 2, 0))
    status = np.where(given >= 0, given, derived)
    is_open, is_won, is_lost = status == 0, status == 1, status == 2

    in_range = (cur >= 1) & (cur <= k)
    if "lost_stage" in texts:
        lost_at = lookup.position[fc, _looked_up(texts, "lost_stage", lookup.stages, first)]
    else:
        lost_at = np.full(len(first), -1, dtype=np.int64)
    lost_depth = np.where((lost_at >= 1) & (lost_at <= k), lost_at, np.where(in_range, cur, 0))
    lost_unknown = is_lost & (lost_depth == 0) & (k > 0)
    depth = np.where(is_open & in_range, cur, 0)
    depth = np.where(is_won, k, depth)
    depth = np.where(is_lost, np.where(lost_unknown, 1, lost_depth), depth)
    depth = np.where(fc < 0, 0, depth)  # history never covers a deal of an unknown funnel (its table row)
    current = np.where(is_open & in_range & (fc >= 0), cur, 0)
    placed_nowhere = is_open & ~in_range  # unmatched unless the history places it

    from_history = np.zeros(n, dtype=bool)
    depth, lost_unknown, placed_nowhere = depth[combo], lost_unknown[combo], placed_nowhere[combo]
    rows = read.rows
    if rows is not None and n:
        # What entering a history stage makes of a deal's depth, per funnel: a small table looked up once
        # per row (its won stages count as its last open stage). An unknown funnel's row and a row without
        # a stage (code -1: the previous table row's last column, or the last one) are all -1.
        columns = np.append(_codes(pd.Series(rows.names, dtype="str"), lookup.stages), -1)
        table = np.minimum(lookup.position, lookup.n_stages[:, None])[:, columns]
        start = np.where(fc < 0, len(lookup.funnels), fc) * table.shape[1]
        if (start == start[0]).all():  # one funnel: its row of the table
            reached = table.ravel()[start[0] : start[0] + table.shape[1]][rows.stage]
        else:
            reached = table.ravel()[start[combo][rows.deal] + rows.stage]
        # -2: no history row. Rows of deals not among the deals (position -1) go to an extra last slot.
        hist_depth = np.full(n + 1, -2, dtype=np.int64)
        np.maximum.at(hist_depth, rows.deal, reached)
        hist_depth = hist_depth[:n]
        from_history = hist_depth > -2
        covered = hist_depth >= 1
        lost_unknown = lost_unknown & ~covered
        depth = np.where(covered, np.maximum(depth, hist_depth), depth)

    frame = pd.DataFrame(
        {
            "funnel": _funnel_names(deals, config),
            "status": pd.Categorical.from_codes(status[combo], list(_STATUSES)),
            "depth": depth.astype(np.int64),
            "current": current[combo].astype(np.int64),
            "n_stages": k[combo],
            "from_history": from_history,
            "lost_unknown": lost_unknown,
            "unmatched": (fc < 0)[combo] | (placed_nowhere & ~from_history),
        },
        index=deals.index,
    )
    return frame, fc[combo]


def _paired(combo: np.ndarray, text: tuple[np.ndarray, list]) -> np.ndarray:
    """Codes of the pairs (``combo``, a deal column's text code), kept small enough to pair again."""
    codes, values = text
    radix = len(values) + 1
    if combo.size and int(combo.max()) >= np.iinfo(np.int64).max // radix:
        combo, _ = pd.factorize(combo)
    return combo * radix + codes + 1


def history_orphans(history: pd.DataFrame | None, deals: pd.DataFrame) -> int:
    """How many stage-history rows name a ``deal_id`` that is not among ``deals``.

    :func:`deal_depth` and :func:`stage_durations` cannot use such rows; the
    page says how many there were instead of dropping them silently. Pass the
    whole deal file (not a filtered view), or rows of filtered-out deals count
    too.
    """
    if history is None or not len(history):
        return 0
    return int((_codes(history["deal_id"], deals["deal_id"]) < 0).sum())


@dataclass(frozen=True)
class ReachSummary:
    """How reached stages were determined, for the page to state.

    Attributes
    ----------
    semantics : {"history", "snapshot"}
        "history" when at least one deal's reached stages came from stage
        history, else "snapshot".
    deals : int
    from_history : int
        Deals whose reached stages come from history.
    lost_unknown : int
        Lost deals with no known loss stage (credited to the first stage only).
    unmatched : int
        Deals whose funnel or current stage is not in the config (left out).
    history_orphans : int
        Stage-history rows whose ``deal_id`` is not in the deal file (not
        used); see :func:`history_orphans`.
    """

    semantics: str
    deals: int
    from_history: int
    lost_unknown: int
    unmatched: int
    history_orphans: int = 0


def reach_summary(depth: pd.DataFrame, history_orphans: int = 0) -> ReachSummary:
    """Summarise a :func:`deal_depth` table (``history_orphans`` is passed through)."""
    n_hist = int(depth["from_history"].sum())
    return ReachSummary(
        "history" if n_hist else "snapshot",
        len(depth),
        n_hist,
        int(depth["lost_unknown"].sum()),
        int(depth["unmatched"].sum()),
        int(history_orphans),
    )


def _ratio(num, den) -> np.ndarray:
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def funnel_geometry(
    deals: pd.DataFrame,
    config: FunnelConfig | None = None,
    history: pd.DataFrame | None = None,
    by: tuple[str, ...] | list[str] = ("funnel", "segment"),
    *,
    min_count: int = DEFAULT_MIN_COUNT,
    depth: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Reached counts, amounts and conversions per group and stage.

    Parameters
    ----------
    deals : DataFrame
        Canonical deal table.
    config : FunnelConfig, optional
        Stage order per funnel; when None, inferred by :func:`funnel_model.inference.infer_config`.
    history : DataFrame, optional
        Stage history; when given, reached stages come from it (see module).
    by : sequence of str
        Grouping columns of ``deals``. ``funnel`` is always part of the
        grouping (stages belong to a funnel) and is added first if missing.
        Only groups with deals appear.
    min_count : int
        Rows whose ``reached`` is below this are marked ``reliable=False``.
    depth : DataFrame, optional
        A precomputed :func:`deal_depth` of ``deals`` (saves recomputing it
        when several views share one filter).

    Returns
    -------
    DataFrame
        One row per group and stage: the group columns, ``stage``, ``order``
        (1..K for open stages, K + 1 for the won row), ``kind`` ("open" or
        "won"), ``reached``, ``amount`` (sum over reached deals, missing
        amounts as 0), ``open`` (reached the stage and still open anywhere),
        ``current`` (open and sitting at this stage now), ``won``, ``lost``
        (closed deals that reached the stage), ``step_conversion`` (reached
        over the previous row's reached; 1.0 for the first stage),
        ``settled_conversion`` (reached over the previous stage's deals
        without the open ones that got no further than it: the step
        conversion free of censoring), ``cumulative_conversion`` (reached over
        the first stage), ``drop_off`` (previous reached minus reached),
        ``win_rate`` (won over won + lost among deals that reached the stage;
        NaN when none closed, and NaN past the first stage when the group has
        lost deals of unknown loss stage), ``lost_unknown`` (the group's lost
        deals with no known loss stage, the same on each of its rows),
        ``reliable`` (``reached >= min_count``) and ``lower_bound`` (True on
        the open stages after the first of a group with ``lost_unknown > 0``:
        those deals may have reached them, so ``reached`` is only a lower
        bound, and no step conversion past the first stage is identifiable).

        The last row of each group is the won terminal (``kind="won"``,
        ``stage`` the funnel's first won stage name or "won"): its
        ``reached`` is the number of won deals, so "deals won" reads as the
        funnel's final bar.
    """
    min_count = _check_min_count(min_count)
    # inference and depth both read the history's rows: hash its ids and names once
    read = None
    if config is None or depth is None:
        read = _read(deals, history, infer=config is None, depth=depth is None)
    if config is None:
        config = _infer_config(deals, history, read=read)
    by = list(by)
    if "funnel" in by:
        by.remove("funnel")
    keys = ["funnel", *by]
    if depth is None:
        depth, funnel_code = _deal_depth(deals, config, history, read)
    else:
        funnel_code = _codes(depth["funnel"], config.names)
    # Group codes per column (Arrow-speed factorize), combined in mixed radix:
    # no groupby over string columns, one bincount per measure and funnel.
    codes, uniques = [], []
    for col in by:
        code, unique = pd.factorize(deals[col], sort=True, use_na_sentinel=False)
        codes.append(code)
        uniques.append(unique)
    dims = tuple(max(len(u), 1) for u in uniques)
    combined = np.ravel_multi_index(codes, dims) if by else np.zeros(len(deals), dtype=np.int64)
    columns = [
        *keys,
        "stage",
        "order",
        "kind",
        "reached",
        "amount",
        "open",
        "current",
        "won",
        "lost",
        "step_conversion",
        "settled_conversion",
        "cumulative_conversion",
        "drop_off",
        "win_rate",
        "lost_unknown",
        "reliable",
        "lower_bound",
    ]
    amount = (
        deals["amount"].astype("float64").fillna(0.0).to_numpy() if "amount" in deals.columns else np.zeros(len(deals))
    )
    status = depth["status"].cat.codes.to_numpy()
    d = depth["depth"].to_numpy()
    at = depth["current"].to_numpy()
    unknown = depth["lost_unknown"].to_numpy()
    keep = ~depth["unmatched"].to_numpy()
    parts = []
    for i, spec in enumerate(config.funnels):
        mask = keep & (funnel_code == i)
        if not mask.any():
            continue
        if mask.all():  # every deal counts in this funnel: no copies
            mask = slice(None)
        present, g = _unique_inverse(combined[mask], math.prod(dims))
        group_keys = pd.DataFrame({"funnel": np.full(len(present), spec.name, dtype=object)})
        split = np.unravel_index(present, dims) if by else ()
        for col, unique, code in zip(by, uniques, split, strict=True):
            group_keys[col] = np.asarray(unique, dtype=object)[code]
        parts.append(
            _one_funnel(spec, group_keys, g, d[mask], at[mask], status[mask], amount[mask], unknown[mask], min_count)
        )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    out = pd.concat(parts, ignore_index=True)
    return out[columns]


def _unique_inverse(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` of codes below ``size``: counted rather than sorted when
    there are not many more codes than values."""
    if size > 4 * len(values) + 1024:
        return np.unique(values, return_inverse=True)
    seen = np.bincount(values, minlength=size) > 0
    return np.flatnonzero(seen), (np.cumsum(seen) - 1)[values]


def _one_funnel(spec: FunnelSpec, group_keys, g, d, at, status, amount, unknown, min_count) -> pd.DataFrame:
    k = len(spec.stages)
    n_groups = len(group_keys)
    width = k + 1
    cell = g * width + d

    def hist(weights=None, where=cell):
        return np.bincount(where, weights=weights, minlength=n_groups * width).reshape(n_groups, width)

    is_open, is_won, is_lost = status == 0, status == 1, status == 2
    count, opened = hist(), hist(is_open.astype(float))
    won, lost = hist(is_won.astype(float)), hist(is_lost.astype(float))
    money, won_money = hist(amount), hist(np.where(is_won, amount, 0.0))

    def reach(m):  # reverse cumulative sum over depth: reached k = depth >= k
        return np.cumsum(m[:, ::-1], axis=1)[:, ::-1][:, 1:]

    reached = np.column_stack([reach(count), won.sum(axis=1)]) if k else won.sum(axis=1)[:, None]
    amounts = np.column_stack([reach(money), won_money.sum(axis=1)]) if k else won_money.sum(axis=1)[:, None]
    open_ = np.column_stack([reach(opened), np.zeros(n_groups)]) if k else np.zeros((n_groups, 1))
    sitting = hist(is_open.astype(float), g * width + at)
    current = np.column_stack([sitting[:, 1:], np.zeros(n_groups)]) if k else np.zeros((n_groups, 1))
    # Open deals that got no further than stage k: not yet converted, not failed.
    stalled = np.column_stack([opened[:, 1:], np.zeros(n_groups)]) if k else np.zeros((n_groups, 1))
    won_r = np.column_stack([reach(won), won.sum(axis=1)]) if k else won.sum(axis=1)[:, None]
    lost_r = np.column_stack([reach(lost), np.zeros(n_groups)]) if k else np.zeros((n_groups, 1))

    rows = k + 1
    prev = np.column_stack([reached[:, :1], reached[:, :-1]])
    prev_settled = np.column_stack([reached[:, :1], (reached - stalled)[:, :-1]])
    step = _ratio(reached, prev)
    settled = _ratio(reached, prev_settled)
    if k:
        step[:, 0] = np.where(reached[:, 0] > 0, 1.0, np.nan)
        settled[:, 0] = step[:, 0]
    cumulative = _ratio(reached, reached[:, :1])
    win_rate = _ratio(won_r, won_r + lost_r)
    # Lost deals of unknown stage sit at stage 1 only: later open stages would
    # count only their won deals as closed (a 100 % win rate). Not identifiable.
    n_unknown = np.bincount(g, weights=unknown.astype(float), minlength=n_groups)
    if k > 1:
        win_rate[:, 1:k] = np.where(n_unknown[:, None] > 0, np.nan, win_rate[:, 1:k])
    drop = prev - reached

    won_name = spec.won[0] if spec.won else WON
    out = group_keys.loc[np.repeat(np.arange(n_groups), rows)].reset_index(drop=True)
    out["stage"] = np.tile(np.array([*spec.stage_names, won_name], dtype=object), n_groups)
    out["order"] = np.tile(np.arange(1, rows + 1), n_groups)
    out["kind"] = np.tile(np.array([_OPEN_KIND] * k + [_WON_KIND], dtype=object), n_groups)
    for name, values in (
        ("reached", reached),
        ("amount", amounts),
        ("open", open_),
        ("current", current),
        ("won", won_r),
        ("lost", lost_r),
        ("drop_off", drop),
    ):
        out[name] = values.reshape(-1)
    for name in ("reached", "open", "current", "won", "lost", "drop_off"):
        out[name] = out[name].round().astype(np.int64)
    out["step_conversion"] = step.reshape(-1)
    out["settled_conversion"] = settled.reshape(-1)
    out["cumulative_conversion"] = cumulative.reshape(-1)
    out["win_rate"] = win_rate.reshape(-1)
    out["lost_unknown"] = np.repeat(n_unknown.round().astype(np.int64), rows)
    out["reliable"] = out["reached"] >= min_count
    later_open = (out["order"] > 1) & (out["kind"] == _OPEN_KIND)
    out["lower_bound"] = later_open & (out["lost_unknown"] > 0)
    return out


def stage_win_rates(
    deals: pd.DataFrame,
    config: FunnelConfig | None = None,
    history: pd.DataFrame | None = None,
    *,
    min_count: int = DEFAULT_MIN_COUNT,
    level: float = 0.9,
    depth: pd.DataFrame | None = None,
    prior_weight: float = PRIOR_WEIGHT,
    alpha: float = DEFAULT_ALPHA,
) -> pd.DataFrame:
    """P(won | reached stage) per funnel and open stage, with its raw counts.

    Parameters
    ----------
    deals, config, history
        As in :func:`funnel_geometry`.
    min_count : int
        Closed deals (won + lost) a stage needs before its configured
        probability can be flagged (``outside``); below it ``pooled`` says the
        rate still leans on the configured probability.
    level : float
        Mass of the rate's credible interval (0.9: 5 % and 95 % quantiles).
    depth : DataFrame, optional
        A precomputed :func:`deal_depth`.
    prior_weight : float
        Closed deals the configured probability is worth (see :func:`rate_posterior`).
    alpha : float
        Significance level of the ``outside`` flag (exact binomial test).

    Returns
    -------
    DataFrame
        Columns ``funnel``, ``stage``, ``order``, ``won``, ``lost``
        (closed deals known to have reached the stage: the raw counts), ``n``
        (won + lost), ``observed`` (won / n, NaN when n = 0), ``rate``,
        ``low``, ``high``, ``configured``, ``outside``, ``pooled``,
        ``lost_unknown`` (the funnel's lost deals with no known loss stage),
        ``identifiable``, ``beta_won`` and ``beta_lost``.

        ``rate`` is the posterior mean of :func:`rate_posterior` with the
        configured probability as the prior's centre, worth ``prior_weight``
        deals: (won + w·configured) / (n + w). Each stage is estimated from
        its own counts (never pulled toward another stage's rate); with no
        closed deal it is the configured probability. ``low``/``high`` is the
        ``level`` credible interval of the same posterior and always contains
        ``rate``; ``beta_won``/``beta_lost`` are the posterior's Beta
        parameters, for drawing rates from it. ``pooled`` is True when
        n < ``min_count`` (the configured probability still weighs in
        noticeably).

        ``outside`` is True when the counts contradict the configured
        probability: n ≥ ``min_count`` and the two-sided exact binomial test of
        won out of n at the configured probability rejects at ``alpha``. A
        stage whose counts are what its probability predicts (0 of 5 at 0.8 %)
        is never flagged, and a well-configured stage is flagged at most
        ``alpha`` of the time.

        ``identifiable`` is False for every stage after the first of a funnel
        with ``lost_unknown > 0``: where those deals stopped is unknown, so
        P(won | reached the stage) cannot be told from the snapshot (it lies
        anywhere between won / (n + lost_unknown) and won / n). Such stages
        get NaN ``observed``, ``rate``, ``low``, ``high`` and Beta parameters,
        and are never ``outside`` or ``pooled``. The first stage stays
        identifiable: every deal reached it.
    """
    min_count = _check_min_count(min_count)
    level = _check_level(level)
    alpha = _check_level(alpha, "alpha")
    if config is None:
        config = infer_config(deals, history)
    geo = funnel_geometry(deals, config, history, by=("funnel",), min_count=min_count, depth=depth)
    geo = geo[geo["kind"] == _OPEN_KIND] if len(geo) else geo
    columns = ["funnel", "stage", "order", "won", "lost", "n", "observed", "rate", "low", "high"]
    columns += ["configured", "outside", "pooled", "lost_unknown", "identifiable", "beta_won", "beta_lost"]
    # Every configured stage appears, with zero counts where no deal reached it.
    skeleton = pd.DataFrame(
        [(f.name, s.name, i, s.probability) for f in config.funnels for i, s in enumerate(f.stages, start=1)],
        columns=["funnel", "stage", "order", "configured"],
    )
    if not len(skeleton):
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    counts = geo[["funnel", "order", "won", "lost", "lost_unknown"]] if len(geo) else None
    out = skeleton.merge(counts, on=["funnel", "order"], how="left") if counts is not None else skeleton
    for c in ("won", "lost", "lost_unknown"):
        out[c] = out[c].fillna(0).astype(np.int64) if c in out else np.zeros(len(out), dtype=np.int64)
    out["n"] = out["won"] + out["lost"]
    out["observed"] = _ratio(out["won"], out["n"])
    posterior = rate_posterior(out["won"], out["lost"], out["configured"], level, weight=prior_weight)
    out["rate"], out["low"], out["high"] = posterior["rate"], posterior["low"], posterior["high"]
    out["beta_won"], out["beta_lost"] = posterior["alpha"], posterior["beta"]
    out["pooled"] = out["n"] < min_count
    # lost_unknown is per funnel (the same on each of its stages)
    out["lost_unknown"] = out.groupby("funnel", sort=False)["lost_unknown"].transform("max")
    out["identifiable"] = (out["order"] == 1) | (out["lost_unknown"] == 0)
    blank = ~out["identifiable"]
    out.loc[blank, ["observed", "rate", "low", "high", "beta_won", "beta_lost"]] = np.nan
    out.loc[blank, "pooled"] = False
    tested = out["identifiable"] & (out["n"] >= max(min_count, 1))
    p_value = _binomial_p_value(out["won"], np.where(tested, out["n"], 0), out["configured"])
    out["outside"] = tested & (p_value < alpha)
    return out[columns]


def with_empirical_probabilities(config: FunnelConfig, rates: pd.DataFrame, digits: int = 3) -> FunnelConfig:
    """A copy of ``config`` whose stage probabilities are ``rates["rate"]``.

    Stages without a finite rate (no closed deal and no pool, or not
    identifiable: see :func:`stage_win_rates`) keep their configured
    probability exactly; adopted rates are rounded to ``digits``.
    """
    lookup = {
        (f, s): r for f, s, r in zip(rates["funnel"], rates["stage"], rates["rate"], strict=True) if np.isfinite(r)
    }

    def adopted(funnel: str, stage: StageSpec) -> StageSpec:
        rate = lookup.get((funnel, stage.name))
        if rate is None:  # kept exactly as configured
            return stage
        return StageSpec(stage.name, round(float(np.clip(rate, 0, 1)), digits))

    funnels = [replace(f, stages=[adopted(f.name, s) for s in f.stages]) for f in config.funnels]
    return FunnelConfig(funnels)


def bottlenecks(geometry: pd.DataFrame, by: tuple[str, ...] | list[str] = ("funnel", "segment")) -> pd.DataFrame:
    """The bottleneck of each group: the step with the lowest settled conversion.

    Candidates are every row after the first stage, the won row included
    (closing is a step too). Settled conversion leaves out deals still
    sitting at the previous stage, so a young pipeline is not mistaken for a
    leaky one. Reliable rows are preferred; a group with no reliable step
    still gets its lowest step, marked ``reliable=False``.

    A group with lost deals of unknown loss stage (``lost_unknown > 0``) gets
    no bottleneck: those deals are credited to the first stage only, so the
    step out of it looks like the worst (every such loss lands there) and the
    later steps lose none of them; no step conversion is identifiable. Its
    row has ``stage``/``previous`` missing (NA) and ``conversion`` NaN.

    Returns
    -------
    DataFrame
        The group columns, ``stage`` (where deals fail to arrive), ``previous``
        (the stage before it), ``order``, ``conversion`` (settled),
        ``reliable`` and ``lost_unknown``.
    """
    keys = [c for c in by if c in geometry.columns]
    columns = [*keys, "stage", "previous", "order", "conversion", "reliable", "lost_unknown"]
    if not len(geometry):
        return pd.DataFrame(columns=columns)
    geo = geometry.sort_values([*keys, "order"], kind="stable").copy()
    if "lost_unknown" not in geo.columns:
        geo["lost_unknown"] = 0
    geo["previous"] = geo.groupby(keys, dropna=False, sort=False)["stage"].shift(1)
    geo["step_reliable"] = geo.groupby(keys, dropna=False, sort=False)["reliable"].shift(1).fillna(False).astype(bool)
    cand = geo[(geo["order"] >= 2) & geo["settled_conversion"].notna()].copy()
    cand["conversion"] = cand["settled_conversion"]
    cand["reliable"] = cand["step_reliable"]
    cand = cand.sort_values(
        [*keys, "reliable", "conversion", "order"], ascending=[True] * len(keys) + [False, True, True]
    )
    best = cand.groupby(keys, dropna=False, sort=False).head(1).copy()
    unknown = best["lost_unknown"].to_numpy() > 0
    best["stage"] = best["stage"].where(~unknown, None)
    best["previous"] = best["previous"].where(~unknown, None)
    best["conversion"] = best["conversion"].where(~unknown, np.nan)
    best["reliable"] = best["reliable"] & ~unknown
    return best[columns].reset_index(drop=True)


def cycle_times(deals: pd.DataFrame, by: tuple[str, ...] | list[str] = ("segment",)) -> pd.DataFrame:
    """Median days from creation to close of closed deals, per group.

    Returns
    -------
    DataFrame
        The group columns, ``closed`` (closed deals with both dates),
        ``median_days`` (all closed), ``median_days_won``, ``median_days_lost``.
    """
    by = list(by)
    status = deals["status"].astype("str")
    days = (deals["closed_at"] - deals["created_at"]).dt.total_seconds() / 86400.0
    ok = status.isin([WON, LOST]) & days.notna() & (days >= 0)
    frame = deals.loc[ok, by].copy()
    frame["days"] = days[ok]
    frame["won_days"] = days[ok].where(status[ok] == WON)
    frame["lost_days"] = days[ok].where(status[ok] == LOST)
    grouped = frame.groupby(by, dropna=False, sort=True)
    out = grouped.agg(
        closed=("days", "size"),
        median_days=("days", "median"),
        median_days_won=("won_days", "median"),
        median_days_lost=("lost_days", "median"),
    )
    return out.reset_index()


def stage_durations(
    history: pd.DataFrame,
    deals: pd.DataFrame,
    config: FunnelConfig | None = None,
    *,
    depth: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Median days spent in each open stage, from stage history.

    A stay lasts from entering a stage to the deal's next entry (or its
    ``closed_at`` when the stage is the last entry of a closed deal). A deal's
    stays in one stage are summed (backward moves add up). The last stage of a
    still-open deal is censored and left out. ``depth`` is an optional
    precomputed :func:`deal_depth` of ``deals``.

    Returns
    -------
    DataFrame
        ``funnel``, ``stage``, ``order``, ``deals`` (deals with a completed
        stay) and ``median_days``.
    """
    if config is None:
        config = infer_config(deals, history)
    columns = ["funnel", "stage", "order", "deals", "median_days"]
    if history is None or not len(history):
        return pd.DataFrame(columns=columns)
    lookup = _Lookup.build(config)
    pos = _codes(history["deal_id"], deals["deal_id"])
    known = pos >= 0
    hist = pd.DataFrame(
        {
            "pos": pos[known],
            "stage": lookup.stage_codes(history["stage"])[known],
            "at": history["entered_at"].to_numpy()[known],
        }
    )
    hist = hist.sort_values(["pos", "at"], kind="stable")
    p = hist["pos"].to_numpy()
    at = hist["at"].to_numpy()
    same_next = np.r_[p[1:] == p[:-1], False]
    next_at = np.r_[at[1:], np.datetime64("NaT")]
    closed_at = deals["closed_at"].to_numpy()[p] if "closed_at" in deals else np.full(len(p), np.datetime64("NaT"))
    end = np.where(same_next, next_at, closed_at)
    if depth is None:
        depth = deal_depth(deals, config, None)
    fc = lookup.funnel_codes(depth["funnel"])[p]
    order = lookup.position[fc, hist["stage"].to_numpy()]
    k = lookup.n_stages[fc]
    is_open = depth["status"].cat.codes.to_numpy()[p] == 0
    # The last entry of an open deal has no end yet: censored.
    valid = (order >= 1) & (order <= k) & ~(~same_next & is_open) & ~pd.isna(end)
    days = (end - at).astype("timedelta64[s]").astype(float) / 86400.0
    stays = pd.DataFrame({"pos": p[valid], "fc": fc[valid], "order": order[valid], "days": days[valid]})
    stays = stays[stays["days"] >= 0]
    per_deal = stays.groupby(["fc", "order", "pos"], sort=False)["days"].sum().reset_index()
    out = per_deal.groupby(["fc", "order"], sort=True)["days"].agg(deals="size", median_days="median").reset_index()
    out["funnel"] = np.array(lookup.funnels, dtype=object)[out["fc"].to_numpy()]
    names = {(i, k): s for i, f in enumerate(config.funnels) for k, s in enumerate(f.stage_names, start=1)}
    out["stage"] = [names[(f, o)] for f, o in zip(out["fc"], out["order"], strict=True)]
    return out[columns]


def seller_comparison(
    deals: pd.DataFrame,
    config: FunnelConfig | None = None,
    history: pd.DataFrame | None = None,
    *,
    owner: str = "owner",
    min_count: int = DEFAULT_MIN_COUNT,
    level: float = 0.9,
    depth: pd.DataFrame | None = None,
    alpha: float = DEFAULT_ALPHA,
) -> pd.DataFrame:
    """Each seller's funnel against the team's, ranked by win rate.

    A seller is "above" or "below" the team only when Fisher's exact test of
    their closed deals against the rest of the funnel's rejects equal rates
    after Holm's correction across the funnel's reliable sellers, at
    ``alpha``: with eight equal sellers the chance that any of them is
    flagged stays at most ``alpha``, where one interval per seller would
    flag someone most months.

    Returns
    -------
    DataFrame
        One row per funnel and seller: ``funnel``, ``owner``, ``deals``
        (reached the first stage), ``last_stage`` (reached the last open
        stage), ``reach_last`` (``last_stage / deals``), ``won``, ``lost``,
        ``open``, ``win_rate`` (won over closed), ``low``/``high`` (Beta
        interval at ``level``), ``team_rate`` (the funnel's win rate),
        ``vs_team`` ("above", "below" when the seller is reliable and the
        Holm-adjusted p-value is below ``alpha``, else ""), ``reliable``
        (closed ≥ ``min_count``), ``rank`` (1 = highest win rate in the
        funnel) and ``p_value`` (Fisher's two-sided p-value against the rest
        of the funnel, Holm-adjusted across its reliable sellers; NaN when
        not tested).
    """
    level = _check_level(level)
    alpha = _check_level(alpha, "alpha")
    if config is None:
        config = infer_config(deals, history)
    if depth is None:
        depth = deal_depth(deals, config, history)
    frame = pd.DataFrame(
        {
            "owner": deals[owner].astype("str").fillna("—") if owner in deals.columns else "—",
            "amount": deals["amount"] if "amount" in deals.columns else 0.0,
        },
        index=deals.index,
    )
    geo = funnel_geometry(frame, config, None, by=("funnel", "owner"), min_count=min_count, depth=depth)
    columns = ["funnel", "owner", "deals", "last_stage", "reach_last", "won", "lost", "open", "win_rate"]
    columns += ["low", "high", "team_rate", "vs_team", "reliable", "rank", "p_value"]
    if not len(geo):
        return pd.DataFrame(columns=columns)
    first = geo[geo["order"] == 1].set_index(["funnel", "owner"])
    opened = geo[geo["kind"] == _OPEN_KIND]
    last = opened.sort_values("order").groupby(["funnel", "owner"]).tail(1).set_index(["funnel", "owner"])
    out = first[["reached", "won", "lost", "open"]].rename(columns={"reached": "deals"})
    out["last_stage"] = last["reached"].reindex(out.index).fillna(0).astype(np.int64)
    out = out.reset_index()
    out["reach_last"] = _ratio(out["last_stage"], out["deals"])
    out["win_rate"] = _ratio(out["won"], out["won"] + out["lost"])
    out["low"], out["high"] = beta_interval(out["won"], out["lost"], level)
    team = out.groupby("funnel")[["won", "lost"]].transform("sum")
    out["team_rate"] = _ratio(team["won"], team["won"] + team["lost"])
    out["reliable"] = (out["won"] + out["lost"]) >= min_count
    rest_won, rest_lost = team["won"] - out["won"], team["lost"] - out["lost"]
    tested = out["reliable"] & (rest_won + rest_lost > 0)
    raw = np.full(len(out), np.nan)
    for i in np.flatnonzero(tested.to_numpy()):
        table = [[out["won"].iat[i], out["lost"].iat[i]], [rest_won.iat[i], rest_lost.iat[i]]]
        raw[i] = stats.fisher_exact(table, alternative="two-sided").pvalue
    out["p_value"] = np.nan
    for _, rows in out.groupby("funnel", sort=False).groups.items():
        at = out.index.get_indexer(rows)
        out.loc[rows, "p_value"] = holm(raw[at])
    rest_rate = _ratio(rest_won, rest_won + rest_lost)
    flagged = (out["p_value"] < alpha).to_numpy()
    out["vs_team"] = np.where(
        flagged & (out["win_rate"] > rest_rate), "above", np.where(flagged & (out["win_rate"] < rest_rate), "below", "")
    )
    out = out.sort_values(["funnel", "win_rate", "owner"], ascending=[True, False, True], na_position="last")
    out["rank"] = out.groupby("funnel").cumcount() + 1
    return out[columns].reset_index(drop=True)
