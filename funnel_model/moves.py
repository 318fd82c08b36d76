"""Offers and marketing moves as what-if levers on the forecast.

A :class:`Move` acts on a funnel and/or client segment and/or stage and
changes one thing at a cost:

- ``conversion_points``: the stage's win probability plus ``value``
  percentage points (clipped to [0, 1]);
- ``conversion_factor``: the stage's win probability times ``value``;
- ``deal_size``: the amount of the open deals it reaches (and of the deals
  the plan still needs) times ``value``;
- ``lead_volume``: ``value`` times the leads of its funnel/segment over the
  next ``horizon_months``: the extra leads arrive at the first stage with
  its win probability and the average won deal size;
- ``cycle_length``: deals close ``value`` times as fast or slow: it moves
  *when* revenue comes, not how much the open pipeline brings, so its effect
  on these totals is none (stated, not hidden).

Probabilities are those of the Forecast page's stage sliders: a move on a
stage changes the win probability of every open deal at that stage, so its
effect is exactly the forecast recomputed with the changed probabilities.
A move's own extra revenue couples the baseline and the move (the same
luck for both): a deal whose probability rises from p to p' brings its
amount with probability p' − p; its band is that distribution's P10–P90.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace

import numpy as np
import pandas as pd

from funnel_model.errors import ParameterError
from funnel_model.forecast import revenue_distribution
from funnel_model.forecast_views import ForecastInputs, deal_probabilities, forecast_summary, plan_by_funnel
from funnel_model.i18n import t

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
    ``probabilities`` and ``amounts`` one per open deal; ``extra_amounts``
    and ``extra_probabilities`` the deals of the extra leads; ``inputs`` has
    the scaled open-deal amounts and won sizes (for the plan).
    """

    inputs: ForecastInputs
    stage_p: np.ndarray
    probabilities: np.ndarray
    amounts: np.ndarray
    extra_amounts: np.ndarray
    extra_probabilities: np.ndarray

    def distribution(self):
        """Revenue of the open deals and the extra leads' deals."""
        return revenue_distribution(
            np.r_[self.amounts, self.extra_amounts], np.r_[self.probabilities, self.extra_probabilities]
        )


def _matches(frame: pd.DataFrame, move: Move) -> np.ndarray:
    hit = np.ones(len(frame), dtype=bool)
    for column in ("funnel", "segment", "stage"):
        wanted = getattr(move, column)
        if wanted is not None:
            hit &= (frame[column].astype("str") == str(wanted)).fillna(False).to_numpy(dtype=bool)
    return hit


def _inflow(deals: pd.DataFrame | None, inputs: ForecastInputs, move: Move, months: int = 12) -> float:
    """Leads per month of the move's funnel/segment over the last ``months`` months."""
    if deals is None or inputs.as_of is None:
        return 0.0
    start = inputs.as_of - pd.DateOffset(months=months)
    recent = deals[((deals["created_at"] > start) & (deals["created_at"] <= inputs.as_of)).fillna(False)]
    hit = np.ones(len(recent), dtype=bool)
    for column in ("funnel", "segment"):
        wanted = getattr(move, column)
        if wanted is not None:
            hit &= (recent[column].astype("str") == str(wanted)).fillna(False).to_numpy(dtype=bool)
    return float(hit.sum()) / months


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
        Baseline win probability per row of ``inputs.stages``; default the
        historical rates.
    deals : DataFrame, optional
        The canonical deals, for the lead inflow of ``lead_volume`` moves
        (without them such moves add nothing).
    horizon_months : int
        Months of extra leads a ``lead_volume`` move brings.
    """
    sp = np.asarray(inputs.stages["rate"] if stage_p is None else stage_p, dtype=float).copy()
    amounts = inputs.open_deals["amount"].to_numpy(dtype=float).copy()
    sizes = dict(inputs.won_sizes_by_group)
    extra_a, extra_p = [np.zeros(0)], [np.zeros(0)]
    for move in (m for m in moves if m.enabled):
        if move.kind in ("conversion_points", "conversion_factor"):
            rows = _matches(inputs.stages, move)
            sp[rows] = np.clip(
                sp[rows] + move.value / 100.0 if move.kind == "conversion_points" else sp[rows] * move.value, 0.0, 1.0
            )
        elif move.kind == "deal_size":
            amounts[_matches(inputs.open_deals, move)] *= move.value
            groups = inputs.stages[_matches(inputs.stages, replace(move, stage=None))]
            for key in set(zip(groups["funnel"], groups["part"], strict=True)):
                sizes[key] = np.asarray(sizes.get(key, inputs.won_sizes), dtype=float) * move.value
        elif move.kind == "lead_volume":
            a, p = _lead_deals(inputs, sp, move, deals, horizon_months)
            extra_a.append(a)
            extra_p.append(p)
    moved_inputs = replace(inputs, open_deals=inputs.open_deals.assign(amount=amounts), won_sizes_by_group=sizes)
    return MovedForecast(
        inputs=moved_inputs,
        stage_p=sp,
        probabilities=deal_probabilities(inputs, sp),
        amounts=amounts,
        extra_amounts=np.concatenate(extra_a),
        extra_probabilities=np.concatenate(extra_p),
    )


def _extra_revenue(inputs: ForecastInputs, move: Move, base_p: np.ndarray, sp0: np.ndarray, deals, horizon_months):
    """The move's own extra revenue, baseline and move sharing the same luck: (sign, distribution) or None."""
    moved = apply_moves(inputs, [replace(move, enabled=True)], stage_p=sp0, deals=deals, horizon_months=horizon_months)
    a0 = inputs.open_deals["amount"].to_numpy(dtype=float)
    if move.kind in ("conversion_points", "conversion_factor"):
        amounts, probs = a0, moved.probabilities - base_p
    elif move.kind == "deal_size":
        amounts, probs = moved.amounts - a0, base_p
    elif move.kind == "lead_volume":
        amounts, probs = moved.extra_amounts, moved.extra_probabilities
    else:
        return None
    sign = -1.0 if (np.sum(amounts * probs) < 0) else 1.0
    # one move pushes every deal the same way, so |amount|·Bernoulli(|Δp|) carries the whole effect
    return sign, revenue_distribution(np.abs(amounts), np.abs(probs))


def _changed_groups(inputs: ForecastInputs, moved: MovedForecast, sp0: np.ndarray, base_p: np.ndarray) -> np.ndarray:
    """Per row of ``inputs.groups``: whether the moves changed its stage probabilities, open deals or won sizes."""
    stages, deals = inputs.stages, inputs.open_deals
    stage_moved = moved.stage_p != sp0
    deal_moved = (moved.probabilities != base_p) | (moved.amounts != deals["amount"].to_numpy(dtype=float))
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
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The enabled moves' effect beside the baseline (historical rates), and each move's return on its cost.

    Parameters
    ----------
    inputs : ForecastInputs
    moves : list of Move
    plan : float
        Revenue plan: P(plan) and the leads it needs.
    confidence : float
        Confidence of "leads needed with confidence".
    deals, horizon_months
        As in :func:`apply_moves`.

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
    sp0 = inputs.stages["rate"].to_numpy(dtype=float)
    base_p = deal_probabilities(inputs, sp0)
    base_dist = revenue_distribution(inputs.open_deals["amount"].to_numpy(dtype=float), base_p)
    moved = apply_moves(inputs, moves, stage_p=sp0, deals=deals, horizon_months=horizon_months)
    moved_dist = moved.distribution()

    def leads(funnels: pd.DataFrame | None) -> tuple[float, float]:
        if funnels is None:
            return 0.0, 0.0
        return float(funnels["leads_mean"].sum()), float(funnels["leads_conf"].sum(min_count=1))

    base_funnels = moved_funnels = None
    if len(inputs.groups) and plan > 0:
        _, base_funnels = plan_by_funnel(inputs, sp0, base_p, plan, confidence)
        # each group plans on its own: only the groups a move touched are planned again
        changed = _changed_groups(inputs, moved, sp0, base_p)
        moved_funnels = base_funnels.copy()
        if changed.any():
            touched = replace(moved.inputs, groups=moved.inputs.groups[changed])
            _, again = plan_by_funnel(touched, moved.stage_p, moved.probabilities, plan, confidence)
            moved_funnels.loc[changed, list(again.columns)] = again.to_numpy()
            moved_funnels = moved_funnels.astype(base_funnels.dtypes.to_dict())

    cost = float(sum(m.cost for m in moves if m.enabled))
    rows = {}
    for label, dist, (lm, lc), c in (
        ("baseline", base_dist, leads(base_funnels), 0.0),
        ("moves", moved_dist, leads(moved_funnels), cost),
    ):
        s = forecast_summary(dist, plan)
        rows[label] = {
            "mean": s["mean"],
            "p10": s["p10"],
            "p90": s["p90"],
            "p_plan": s["p_plan"],
            "leads_mean": lm,
            "leads_conf": lc,
            "cost": c,
            "cost_share": c / s["mean"] if s["mean"] > 0 else np.nan,
        }
    summary = pd.DataFrame(rows)
    summary["change"] = summary["moves"] - summary["baseline"]

    per = []
    for move in moves:
        extra = _extra_revenue(inputs, move, base_p, sp0, deals, horizon_months)
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
