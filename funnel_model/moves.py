"""Offers and marketing moves as what-if levers on the forecast.

A :class:`Move` acts on a funnel and/or client segment and/or stage and
changes one thing at a cost:

- ``conversion_points``: the win probability of the open deals it reaches
  (and of their stage, for the plan) plus ``value`` percentage points
  (clipped to [0, 1]);
- ``conversion_factor``: that probability times ``value``;
- ``deal_size``: the amount of the open deals it reaches (and of the deals
  the plan still needs) times ``value``;
- ``lead_volume``: ``value`` times the leads of its funnel/segment: the new
  leads' inflow grows by (value − 1) × that funnel/segment's share of the
  leads created over the last 12 months;
- ``cycle_length``: time to close times ``value`` (0.8 = a cycle 20 %
  shorter): the remaining time to close of each open deal it reaches, and
  the whole time to close of the new leads. It changes *when* revenue
  comes, so it changes how much of it a period gets, not the total the
  pipeline brings whenever it closes.

The baseline is the Forecast page's own forecast: the stage sliders'
probabilities (or each deal's own), and, when a period is given, the plan
for that period (:func:`funnel_model.period.plan_for_period`) with the
page's lead inflow and expected-date setting. A move's effect is exactly
the forecast recomputed with the changed inputs: a cycle move equals
recomputing the period forecast with every close time of the history and
every reached open deal's age multiplied by ``value``
(see :mod:`funnel_model.period`).

New leads are pooled over funnels and segments in the period forecast
(one inflow, one timing, one size distribution), so a deal-size or a
cycle-length move reaches them only when it acts everywhere (no funnel,
segment or stage); a lead-volume move adds leads at its share.

A move's own extra revenue couples the baseline and the move (the same
luck for both): a deal whose probability to be won (in the period) rises
from q to q' brings its amount with probability q' − q, and one whose
probability falls loses it with probability q − q' (a cycle move can do
both in a period that starts later); extra (or fewer) new-lead wins are a
compound Poisson of the change in their expected number; the band is the
P10–P90 of the sum of these gains and losses. Without a period (no dates to time a close)
the forecast is the whole open pipeline, and a lead-volume move's extra
leads over ``horizon_months`` enter its first stage as extra deals (fewer
leads: as many first-stage deals' wins lost, a loss written as in a period).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import MutableMapping
from dataclasses import asdict, dataclass, fields, replace

import numpy as np
import pandas as pd

from funnel_model.errors import ParameterError
from funnel_model.forecast import RevenueDistribution, revenue_distribution
from funnel_model.forecast_views import ForecastInputs, deal_probabilities, forecast_summary, plan_by_funnel
from funnel_model.i18n import t
from funnel_model.period import (
    Period,
    PeriodForecast,
    add_distributions,
    compound_poisson,
    period_chances,
    plan_for_period,
)

__all__ = ["KINDS", "Move", "MovedForecast", "apply_moves", "example_moves", "move_effects"]

KINDS = ("conversion_points", "conversion_factor", "lead_volume", "deal_size", "cycle_length")
FACTOR_KINDS = ("conversion_factor", "lead_volume", "deal_size", "cycle_length")


@dataclass(frozen=True)
class Move:
    """One offer or marketing move.

    Attributes
    ----------
    name : str
        What the user calls it ("Reactivation discount").
    kind : str
        One of :data:`KINDS` (see module).
    value : float
        Points for ``conversion_points`` (5 = +5 points), a factor otherwise
        (1.2 = +20 %).
    cost : float
        What the move costs, in the deals' currency.
    funnel, segment, stage : str or None
        Where it acts; None means every funnel / segment / stage.
    enabled : bool
        Off moves are kept but not applied.
    """

    name: str
    kind: str
    value: float
    cost: float = 0.0
    funnel: str | None = None
    segment: str | None = None
    stage: str | None = None
    enabled: bool = True

    def __post_init__(self) -> None:
        if not str(self.name).strip():
            raise ParameterError("error.parameter", name="move name", rule="not empty", value=repr(self.name))
        if self.kind not in KINDS:
            raise ParameterError(
                "error.parameter", name="move kind", rule=f"one of {', '.join(KINDS)}", value=self.kind
            )
        for label, number in (("move value", self.value), ("move cost", self.cost)):
            if isinstance(number, bool) or not isinstance(number, (int, float)) or not math.isfinite(number):
                raise ParameterError("error.parameter", name=label, rule="a finite number", value=number)
        if self.cost < 0:
            raise ParameterError("error.parameter", name="move cost", rule="≥ 0", value=self.cost)
        if self.kind in FACTOR_KINDS and self.value < 0:
            raise ParameterError("error.parameter", name="move value", rule="a factor ≥ 0", value=self.value)
        if self.kind == "cycle_length" and self.value <= 0:  # a cycle of no length has no timing
            raise ParameterError("error.parameter", name="move value", rule="a cycle factor > 0", value=self.value)

    def to_dict(self) -> dict:
        """A JSON-able dict (the scenario file's form)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Move:
        """The move of :meth:`to_dict`; unknown keys are ignored, blanks mean "everywhere".

        Raises
        ------
        ParameterError
            A missing or invalid name, kind, value or cost.
        """
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in dict(data).items() if k in known}
        for key in ("funnel", "segment", "stage"):
            if values.get(key) is not None and not str(values[key]).strip():
                values[key] = None
        for key in ("value", "cost"):
            if isinstance(values.get(key), (int, np.integer, np.floating)) and not isinstance(values[key], bool):
                values[key] = float(values[key])
        values["enabled"] = bool(values.get("enabled", True))
        if "name" not in values or "kind" not in values or "value" not in values:
            missing = [k for k in ("name", "kind", "value") if k not in values]
            raise ParameterError("error.parameter", name="move", rule="a name, a kind and a value", value=missing)
        return cls(**values)


def example_moves(lang: str = "en") -> list[Move]:
    """Three moves that show the idea on the demo, one per client segment, named in ``lang``."""
    return [
        Move(t("moves.example.reactivation", lang), "conversion_points", 10.0, 500_000.0, segment="dormant"),
        Move(t("moves.example.demo_day", lang), "lead_volume", 1.2, 400_000.0, segment="new"),
        Move(t("moves.example.upsell", lang), "deal_size", 1.1, 600_000.0, segment="active"),
    ]


@dataclass(frozen=True)
class MovedForecast:
    """The forecast's inputs with moves applied.

    ``stage_p`` is one win probability per row of ``inputs.stages``;
    ``probabilities``, ``amounts`` and ``cycle_factor`` one per open deal;
    ``inflow_factor`` multiplies the new leads' inflow of a period forecast
    and ``new_cycle_factor`` their time to close; ``extra_amounts`` and
    ``extra_probabilities`` are the extra leads' deals of the whole-pipeline
    forecast; ``inputs`` has the scaled open-deal amounts and won sizes (for
    the plan and the new leads).
    """

    inputs: ForecastInputs
    stage_p: np.ndarray
    probabilities: np.ndarray
    amounts: np.ndarray
    extra_amounts: np.ndarray
    extra_probabilities: np.ndarray
    cycle_factor: np.ndarray
    new_cycle_factor: float = 1.0
    inflow_factor: float = 1.0

    def distribution(self):
        """Revenue of the open deals and the extra leads' deals, whenever they close.

        Fewer leads are extra deals of negative amount: the wins lost. A loss
        of a·Bernoulli(q) is written a·Bernoulli(1 − q) − a (as a period's
        losses are), so that every amount is ≥ 0 and the sum of the losses is sure.
        """
        amounts = np.r_[self.amounts, self.extra_amounts]
        probs = np.r_[self.probabilities, self.extra_probabilities]
        lost = amounts < 0
        dist = revenue_distribution(np.abs(amounts), np.where(lost, 1.0 - probs, probs))
        return dist.shifted(float(amounts[lost].sum())) if lost.any() else dist

    def for_period(self, deals: pd.DataFrame, period: Period, *, inflow_per_month=None, by_expected_date=False):
        """:func:`~funnel_model.period.plan_for_period` with the moves; None when the dates cannot time a win."""
        return self._in_period(plan_for_period, deals, period, inflow_per_month, by_expected_date)

    def chances_in(self, deals: pd.DataFrame, period: Period, *, inflow_per_month=None, by_expected_date=False):
        """:meth:`for_period`'s ``within`` and ``new_wins`` alone (:func:`~funnel_model.period.period_chances`)."""
        return self._in_period(period_chances, deals, period, inflow_per_month, by_expected_date)

    def _in_period(self, forecast, deals, period, inflow_per_month, by_expected_date):
        inflow = self.inputs.inflow_per_month if inflow_per_month is None else float(inflow_per_month)
        return forecast(
            self.inputs,
            deals,
            self.probabilities,
            period,
            inflow_per_month=inflow * self.inflow_factor,
            by_expected_date=by_expected_date,
            cycle_factor=self.cycle_factor,
            new_cycle_factor=self.new_cycle_factor,
        )


def _matches(frame: pd.DataFrame, move: Move) -> np.ndarray:
    hit = np.ones(len(frame), dtype=bool)
    for column in ("funnel", "segment", "stage"):
        wanted = getattr(move, column)
        if wanted is not None:
            hit &= (frame[column].astype("str") == str(wanted)).fillna(False).to_numpy(dtype=bool)
    return hit


def _everywhere(move: Move) -> bool:
    return move.funnel is None and move.segment is None and move.stage is None


def _recent(deals: pd.DataFrame | None, inputs: ForecastInputs, months: int = 12) -> pd.DataFrame | None:
    if deals is None or inputs.as_of is None:
        return None
    start = inputs.as_of - pd.DateOffset(months=months)
    return deals[((deals["created_at"] > start) & (deals["created_at"] <= inputs.as_of)).fillna(False)]


def _inflow(deals: pd.DataFrame | None, inputs: ForecastInputs, move: Move, months: int = 12) -> float:
    """Leads per month of the move's funnel/segment over the last ``months`` months."""
    recent = _recent(deals, inputs, months)
    if recent is None:
        return 0.0
    return float(_matches(recent, replace(move, stage=None)).sum()) / months


def _lead_share(deals: pd.DataFrame | None, inputs: ForecastInputs, move: Move, months: int = 12) -> float:
    """The move's funnel/segment's share of the leads created over the last ``months`` months (0 without deals)."""
    recent = _recent(deals, inputs, months)
    if recent is None or not len(recent):
        return 0.0
    return float(_matches(recent, replace(move, stage=None)).mean())


def _lead_deals(inputs: ForecastInputs, stage_p: np.ndarray, move: Move, deals, horizon_months: int):
    """The extra leads of a ``lead_volume`` move: (amounts, probabilities); fewer leads give negative amounts."""
    extra = round(_inflow(deals, inputs, move) * horizon_months * (move.value - 1.0))
    stages = inputs.stages
    first = stages[(stages["order"] == stages.groupby(["funnel", "part"])["order"].transform("min")).to_numpy()]
    first = first[_matches(first.assign(stage=first["stage"]), replace(move, stage=None))]
    if extra == 0 or not len(first):
        return np.zeros(0), np.zeros(0)
    # the leads split over the matching funnels by their open deals, at each first stage's probability
    weight = first["open"].to_numpy(dtype=float) + 1.0
    p1 = float(np.average(stage_p[first.index], weights=weight))
    sizes = [
        inputs.won_sizes_by_group.get((f, part), inputs.won_sizes)
        for f, part in zip(first["funnel"], first["part"], strict=True)
    ]
    pooled = np.concatenate([np.asarray(s, dtype=float) for s in sizes]) if sizes else inputs.won_sizes
    size = float(np.mean(pooled)) if len(pooled) else 0.0
    return np.full(abs(extra), size * np.sign(extra)), np.full(abs(extra), p1)


def apply_moves(
    inputs: ForecastInputs,
    moves: list[Move],
    *,
    stage_p=None,
    probabilities=None,
    deals: pd.DataFrame | None = None,
    horizon_months: int = 3,
) -> MovedForecast:
    """Apply the enabled ``moves``, in order, to the forecast's inputs.

    Parameters
    ----------
    inputs : ForecastInputs
        :func:`funnel_model.forecast_views.prepare_forecast`.
    moves : list of Move
    stage_p : array_like, optional
        Baseline win probability per row of ``inputs.stages`` (the page's
        sliders); default the historical rates.
    probabilities : array_like, optional
        Baseline win probability per open deal (the page's, with each deal's
        own where the user chose so); default from ``stage_p``. A conversion
        move changes it for the deals at the stages it reaches.
    deals : DataFrame, optional
        The canonical deals, for the lead inflow of ``lead_volume`` moves
        (without them such moves add nothing).
    horizon_months : int
        Months of extra leads a ``lead_volume`` move brings to the
        whole-pipeline forecast.
    """
    sp = np.asarray(inputs.stages["rate"] if stage_p is None else stage_p, dtype=float).copy()
    p = np.asarray(deal_probabilities(inputs, sp) if probabilities is None else probabilities, dtype=float).copy()
    open_deals = inputs.open_deals
    staged = open_deals["group"].to_numpy() >= 0  # deals at a configured stage: the ones a stage move reaches
    amounts = open_deals["amount"].to_numpy(dtype=float).copy()
    factor = np.ones(len(open_deals))
    sizes = dict(inputs.won_sizes_by_group)
    won_sizes = np.asarray(inputs.won_sizes, dtype=float)
    new_cycle, inflow = 1.0, 1.0
    extra_a, extra_p = [np.zeros(0)], [np.zeros(0)]
    for move in (m for m in moves if m.enabled):
        hit = _matches(open_deals, move)
        if move.kind in ("conversion_points", "conversion_factor"):
            rows, hit = _matches(inputs.stages, move), hit & staged
            if move.kind == "conversion_points":
                sp[rows], p[hit] = sp[rows] + move.value / 100.0, p[hit] + move.value / 100.0
            else:
                sp[rows], p[hit] = sp[rows] * move.value, p[hit] * move.value
            sp, p = np.clip(sp, 0.0, 1.0), np.clip(p, 0.0, 1.0)
        elif move.kind == "deal_size":
            amounts[hit] *= move.value
            groups = inputs.stages[_matches(inputs.stages, replace(move, stage=None))]
            for key in set(zip(groups["funnel"], groups["part"], strict=True)):
                sizes[key] = np.asarray(sizes.get(key, inputs.won_sizes), dtype=float) * move.value
            if _everywhere(move):
                won_sizes = won_sizes * move.value
        elif move.kind == "lead_volume":
            a, q = _lead_deals(inputs, sp, move, deals, horizon_months)
            extra_a.append(a)
            extra_p.append(q)
            inflow = max(inflow + (move.value - 1.0) * _lead_share(deals, inputs, move), 0.0)
        elif move.kind == "cycle_length":
            factor[hit] *= move.value
            if _everywhere(move):
                new_cycle *= move.value
    moved_inputs = replace(
        inputs, open_deals=open_deals.assign(amount=amounts), won_sizes_by_group=sizes, won_sizes=won_sizes
    )
    return MovedForecast(
        inputs=moved_inputs,
        stage_p=sp,
        probabilities=p,
        amounts=amounts,
        extra_amounts=np.concatenate(extra_a),
        extra_probabilities=np.concatenate(extra_p),
        cycle_factor=factor,
        new_cycle_factor=new_cycle,
        inflow_factor=inflow,
    )


@dataclass(frozen=True)
class _Baseline:
    """The baseline the moves are set against: the page's probabilities, and its period forecast if any."""

    inputs: ForecastInputs
    stage_p: np.ndarray
    p: np.ndarray
    deals: pd.DataFrame | None
    horizon_months: int
    period: Period | None
    inflow_per_month: float | None
    by_expected_date: bool
    forecast: object = None
    recent: pd.DataFrame | None = None  # the deals of the lead moves' window, picked out once for every move

    def apply(self, moves: list[Move]) -> MovedForecast:
        """The moves applied to this baseline."""
        return apply_moves(
            self.inputs,
            moves,
            stage_p=self.stage_p,
            probabilities=self.p,
            deals=self.deals if self.recent is None else self.recent,
            horizon_months=self.horizon_months,
        )

    def period_of(self, moved: MovedForecast):
        """The period forecast with the moves, on this baseline's settings."""
        return moved.for_period(
            self.deals, self.period, inflow_per_month=self.inflow_per_month, by_expected_date=self.by_expected_date
        )

    def chances_of(self, moved: MovedForecast) -> tuple[np.ndarray, float]:
        """(``within``, ``new_wins``) of :meth:`period_of`, without its distributions."""
        return moved.chances_in(
            self.deals, self.period, inflow_per_month=self.inflow_per_month, by_expected_date=self.by_expected_date
        )


def _coupled(a0, a1, q0, q1):
    """(|amounts|, |probabilities|) of the change from a0·Bernoulli(q0) to a1·Bernoulli(q1) under the same luck."""
    if np.array_equal(a0, a1):
        return np.abs(np.asarray(a0, dtype=float)), np.abs(np.asarray(q1) - np.asarray(q0))
    return np.abs(np.asarray(a1) - np.asarray(a0)), np.asarray(q0, dtype=float)


def _digest(*values) -> str:
    """A digest of arrays and scalars by content: the key of a kept result."""
    digest = hashlib.blake2b(digest_size=20)
    for value in values:
        array = np.ascontiguousarray(np.asarray(value, dtype=float))
        digest.update(repr(array.shape).encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _kept(memo: MutableMapping | None, key: str, build):
    """``build()``, or the result kept in ``memo`` under ``key``."""
    if memo is None:
        return build()
    value = memo.get(key)  # read once: another session may clear a shared memo between two looks
    if value is None:
        value = memo[key] = build()
    return value


def _extra_revenue(base: _Baseline, move: Move, memo: MutableMapping | None = None):
    """The move's own extra revenue, baseline and move sharing the same luck: (sign, distribution) or None.

    The distributions are kept in ``memo`` under a digest of exactly what they are computed from: a
    slider that moves deals the move does not reach leaves its effect as it was.
    """
    moved = base.apply([replace(move, enabled=True)])
    a0 = base.inputs.open_deals["amount"].to_numpy(dtype=float)
    if base.period is None:
        if move.kind in ("conversion_points", "conversion_factor", "deal_size"):
            amounts, probs = _coupled(a0, moved.amounts, base.p, moved.probabilities)
        elif move.kind == "lead_volume":
            amounts, probs = moved.extra_amounts, moved.extra_probabilities
        else:
            return None  # a cycle changes when, and the whole pipeline counts whenever
        sign = -1.0 if (np.sum(amounts * probs) < 0) else 1.0
        # one move pushes every deal the same way, so |amount|·Bernoulli(|Δp|) carries the whole effect
        amounts, probs = np.abs(amounts), np.abs(probs)
        return sign, _kept(memo, "whole:" + _digest(amounts, probs), lambda: revenue_distribution(amounts, probs))
    # in a period a move can push deals both ways (a longer cycle takes some out of a later period and
    # brings others in): gains and losses are kept apart, a loss of a·Bernoulli(q) written as
    # a·Bernoulli(1 − q) − a so that every part is a sum of non-negative amounts
    f0, (within1, new_wins1) = base.forecast, base.chances_of(moved)  # the move's distribution is not needed
    a1 = moved.amounts
    if np.array_equal(a0, a1):
        change = np.asarray(within1, dtype=float) - np.asarray(f0.within, dtype=float)
        amounts, down = np.abs(a0), change < 0
        probs = np.where(down, 1.0 + change, change)
    else:  # a deal-size move: the same chance, another amount
        change, q0 = a1 - a0, np.asarray(f0.within, dtype=float)
        amounts, down = np.abs(change), change < 0
        # a deal the move leaves as it was brings nothing either way (its chance is not part of the effect)
        probs = np.where(down, 1.0 - q0, np.where(change > 0, q0, 0.0))
    sure = -float(amounts[down].sum())
    sizes0, sizes1 = np.asarray(base.inputs.won_sizes, dtype=float), np.asarray(moved.inputs.won_sizes, dtype=float)
    if np.array_equal(sizes0, sizes1):
        more = new_wins1 - f0.new_wins
        count, sizes = abs(more), sizes0
    else:
        more = float(np.sum(sizes1 - sizes0))
        count, sizes = f0.new_wins, np.abs(sizes1 - sizes0)

    def extra():
        new = compound_poisson(count, sizes)
        if not sure and not new.mean and not np.any(probs * amounts):
            return compound_poisson(0.0, [])
        return add_distributions(revenue_distribution(amounts, probs), new if more >= 0 else _negated(new), sure=sure)

    return 1.0, _kept(memo, "period:" + _digest(amounts, probs, sizes, [sure, count, more >= 0]), extra)


def _negated(dist):
    """The distribution of −X (a loss of new-lead wins)."""
    # on atoms P(−X ≤ −xᵢ) = P(X ≥ xᵢ) = 1 − P(X ≤ xᵢ₋₁)
    below = np.concatenate([[0.0], dist.cdf[:-1]]) if dist.discrete else dist.cdf
    cdf = np.clip(1.0 - below, 0.0, 1.0)[::-1]
    return replace(dist, mean=-dist.mean, values=-dist.values[::-1], cdf=cdf, tail=None)


def _changed_groups(inputs: ForecastInputs, moved: MovedForecast, sp0: np.ndarray, base_p: np.ndarray) -> np.ndarray:
    """Per row of ``inputs.groups``: whether the moves changed its stage probabilities, open deals or won sizes."""
    stages, deals = inputs.stages, inputs.open_deals
    stage_moved = moved.stage_p != sp0
    deal_moved = (
        (moved.probabilities != base_p)
        | (moved.amounts != deals["amount"].to_numpy(dtype=float))
        | (moved.cycle_factor != 1.0)
    )
    out = []
    for group in inputs.groups.itertuples():
        key = (group.funnel, group.part)
        in_stages = ((stages["funnel"] == group.funnel) & (stages["part"] == group.part)).to_numpy(dtype=bool)
        in_deals = ((deals["funnel"] == group.funnel) & (deals["part"] == group.part)).to_numpy(dtype=bool)
        before = np.asarray(inputs.won_sizes_by_group.get(key, inputs.won_sizes), dtype=float)
        after = np.asarray(moved.inputs.won_sizes_by_group.get(key, inputs.won_sizes), dtype=float)
        out.append(
            bool(stage_moved[in_stages].any() or deal_moved[in_deals].any() or not np.array_equal(before, after))
        )
    return np.array(out, dtype=bool)


def move_effects(
    inputs: ForecastInputs,
    moves: list[Move],
    plan: float,
    *,
    confidence: float = 0.9,
    deals: pd.DataFrame | None = None,
    horizon_months: int = 3,
    stage_p=None,
    probabilities=None,
    period: Period | None = None,
    inflow_per_month: float | None = None,
    by_expected_date: bool = False,
    base_forecast=None,
    base_funnels: pd.DataFrame | None = None,
    memo: MutableMapping | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The enabled moves' effect beside the baseline (the page's forecast), and each move's return on its cost.

    Parameters
    ----------
    inputs : ForecastInputs
    moves : list of Move
    plan : float
        Revenue plan: P(plan) and the leads it needs (of the period, when
        one is given: what is already won in it counts towards the plan).
    confidence : float
        Confidence of "leads needed with confidence".
    deals : DataFrame, optional
        The canonical deals (lead inflow, already won revenue, expected
        close dates); a period needs them.
    horizon_months : int
        As in :func:`apply_moves` (whole-pipeline forecast only).
    stage_p, probabilities : array_like, optional
        The baseline's probabilities: the page's sliders and per open deal
        (see :func:`apply_moves`); default the historical rates.
    period : Period, optional
        Forecast the revenue won in this period
        (:func:`~funnel_model.period.plan_for_period`); None, or no dates to
        time a close, forecasts the whole open pipeline.
    inflow_per_month : float, optional
        The period's lead inflow before the moves (default the history's).
    by_expected_date : bool
        Place deals by their expected close date, as the page does.
    base_forecast : PeriodForecast or RevenueDistribution, optional
        The baseline forecast when the caller already has it (the page shows
        it): :func:`~funnel_model.period.plan_for_period` of these inputs,
        ``probabilities``, ``period``, ``inflow_per_month`` and
        ``by_expected_date`` when a period is given, else the
        :func:`~funnel_model.forecast.revenue_distribution` of the open
        deals' amounts and ``probabilities``. Computed when None.
    base_funnels : DataFrame, optional
        Likewise the baseline plan: the ``funnels`` of
        :func:`~funnel_model.forecast_views.plan_by_funnel` with
        ``stage_p``, the baseline's per-deal chances (in the period, when one
        is given), the plan less what is already won and ``confidence``.
    memo : mutable mapping, optional
        Results kept between calls under digests of their inputs: the plans
        with and without the moves
        (:func:`~funnel_model.forecast_views.plan_by_funnel`'s ``memo``) and
        each move's own effect, so that a slider that moves none of a
        group's or a move's inputs does not compute them again.

    Returns
    -------
    summary : DataFrame
        Rows ``mean`` (expected revenue), ``p10``, ``p90``, ``p_plan``,
        ``leads_mean``, ``leads_conf`` (leads the plan needs, summed over
        the funnels), ``cost`` (the moves' cost), ``cost_share`` (cost per
        unit of expected revenue); columns ``baseline``, ``moves``,
        ``change``.
    per_move : DataFrame
        One row per move: ``name``, ``kind``, ``enabled``, ``cost``,
        ``extra_mean``, ``extra_p10``, ``extra_p90`` (its own extra revenue
        against the baseline), ``return_mean``, ``return_p10``,
        ``return_p90`` (extra revenue per unit of cost; NaN for a free move).
    """
    sp0 = np.asarray(inputs.stages["rate"] if stage_p is None else stage_p, dtype=float)
    base_p = np.asarray(deal_probabilities(inputs, sp0) if probabilities is None else probabilities, dtype=float)
    base = _Baseline(inputs, sp0, base_p, deals, horizon_months, period, inflow_per_month, by_expected_date)
    # apply_moves reads the deals only for the lead inflow of its window: the same rows, picked out once
    base = replace(base, recent=_recent(deals, inputs))
    moved = base.apply(moves)
    forecast = None
    if period is not None and deals is not None:
        forecast = (
            base_forecast
            if isinstance(base_forecast, PeriodForecast)
            else plan_for_period(
                inputs, deals, base_p, period, inflow_per_month=inflow_per_month, by_expected_date=by_expected_date
            )
        )
    if forecast is None:
        base = replace(base, period=None)
        whole = (
            base_forecast
            if isinstance(base_forecast, RevenueDistribution)
            else revenue_distribution(inputs.open_deals["amount"].to_numpy(dtype=float), base_p)
        )
        dists = (whole, moved.distribution())
        plan_p, target = (base_p, moved.probabilities), plan
    else:
        base = replace(base, forecast=forecast)
        after = base.period_of(moved)
        dists = (forecast.distribution, after.distribution)
        plan_p, target = (forecast.within, after.within), plan - forecast.already

    def leads(funnels: pd.DataFrame | None) -> tuple[float, float]:
        if funnels is None:
            return 0.0, 0.0
        return float(funnels["leads_mean"].sum()), float(funnels["leads_conf"].sum(min_count=1))

    planned = bool(len(inputs.groups)) and target > 0
    if planned and base_funnels is None:
        _, base_funnels = plan_by_funnel(inputs, sp0, plan_p[0], target, confidence, memo=memo)
    moved_funnels = None
    if not planned:
        base_funnels = None
    else:
        # each group plans on its own: only the groups a move touched are planned again
        changed = _changed_groups(inputs, moved, sp0, base_p)
        moved_funnels = base_funnels.copy()
        if changed.any():
            touched = replace(moved.inputs, groups=moved.inputs.groups[changed])
            _, again = plan_by_funnel(touched, moved.stage_p, plan_p[1], target, confidence, memo=memo)
            moved_funnels.loc[changed, list(again.columns)] = again.to_numpy()
            moved_funnels = moved_funnels.astype(base_funnels.dtypes.to_dict())

    cost = float(sum(m.cost for m in moves if m.enabled))
    rows = {}
    for label, dist, (lm, lc), c in (
        ("baseline", dists[0], leads(base_funnels), 0.0),
        ("moves", dists[1], leads(moved_funnels), cost),
    ):
        s = forecast_summary(dist, plan)
        rows[label] = {
            "mean": s["mean"],
            "p10": s["p10"],
            "p90": s["p90"],
            "p_plan": s["p_plan"] if plan > 0 else 1.0,
            "leads_mean": lm,
            "leads_conf": lc,
            "cost": c,
            "cost_share": c / s["mean"] if s["mean"] > 0 else np.nan,
        }
    summary = pd.DataFrame(rows)
    summary["change"] = summary["moves"] - summary["baseline"]

    per = []
    for move in moves:
        extra = _extra_revenue(base, move, memo)
        if extra is None:
            mean = p10 = p90 = 0.0
        else:
            sign, dist = extra
            q10, q90 = dist.quantile([0.1, 0.9])
            mean, p10, p90 = (
                sign * dist.mean,
                sign * float(q10 if sign > 0 else q90),
                sign * float(q90 if sign > 0 else q10),
            )
        returns = [x / move.cost if move.cost > 0 else np.nan for x in (mean, p10, p90)]
        per.append((move.name, move.kind, move.enabled, move.cost, mean, p10, p90, *returns))
    per_move = pd.DataFrame(
        per,
        columns=[
            *("name", "kind", "enabled", "cost", "extra_mean", "extra_p10", "extra_p90"),
            *("return_mean", "return_p10", "return_p90"),
        ],
    )
    return summary, per_move
