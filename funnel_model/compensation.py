"""Sales compensation plans: a fixed part, a variable part and a penalty part.

A :class:`CompensationPlan` is a small frozen dataclass that serialises to JSON
(:meth:`CompensationPlan.to_json` / :meth:`CompensationPlan.from_json`) and is
validated when built, raising :class:`~funnel_model.errors.CompensationPlanError`
with a message key that names the field and the fix.

How pay is computed for one seller and one period of ``months`` months:

- **fixed** = monthly base × months.
- **plan pay** (the pay curve): attainment ``a`` = won revenue / the seller's
  target for the period. Below ``threshold`` nothing is paid. Tier rates are
  applied per unit of attainment to a *unit*: the seller's target when the
  basis is ``revenue`` (a rate of 0.05 is 5 % of revenue), or the monthly
  target bonus × months when the basis is ``target_bonus`` (a rate of 1 pays
  the whole target bonus at 100 %). ``marginal`` tiers pay each slice of
  attainment at its own tier's rate; ``retroactive`` tiers pay the whole
  attainment at the rate of the highest tier reached (a tier is reached at its
  start exactly). An optional ``cap`` is the attainment above which plan pay
  stops growing.
- **extras**: a rate on revenue from new products, and a bonus per new client
  won. They count on top of plan pay (new-product revenue also counts towards
  attainment) and are not capped.
- **variable** = plan pay + extras.
- **penalty**: each unmet fixed-part condition deducts an amount or a share of
  the variable part; the deduction comes out of the variable part only and
  never makes it negative, so the base is untouched. A plan may set
  ``from_base`` to let deductions reach the base; that is what Russian labour
  law forbids, and :func:`labour_law_warnings` says so.
- **total** = fixed + variable − penalty.

Total pay is non-decreasing in won revenue when everything else is fixed
(tier rates are non-negative, retroactive rates must not decrease, the cap
freezes pay, and the shares of the bonus a plan may deduct add up to at most
1, so a deduction of ``amount + share × variable`` capped at the variable
part, or at the whole pay with ``from_base``, leaves the total
non-decreasing). Hence, when the extras are fixed, quantiles of pay are pay
at the quantiles of revenue, which :func:`pay_distribution` uses; random
extras (new products, new clients) are drawn jointly with revenue there.

The 20 % limit of the labour law applies to a month's pay: ``cut_share``
compares a period's deductions with one month's pay.

Deal win probabilities for the pay forecast come from the Forecast page's
own function (:func:`forecast_probabilities`): the funnel's stage
probabilities by default, sellers' own estimates only when asked for.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from funnel_model.errors import CompensationPlanError, ParameterError
from funnel_model.formatting import percent
from funnel_model.i18n import t
from funnel_model.schema import OPEN, WON

__all__ = [
    "DISCIPLINARY_CUT_LIMIT",
    "PRESETS",
    "Basis",
    "CompensationPlan",
    "Condition",
    "DealColumns",
    "Deduction",
    "DeductionKind",
    "FixedPart",
    "LawWarning",
    "PenaltyPart",
    "Tier",
    "TierMode",
    "VariablePart",
    "WonDeals",
    "attainment_pay",
    "close_months",
    "company_totals",
    "compare_plans",
    "curve_extent",
    "curve_positions",
    "date_won_deals",
    "default_month",
    "default_targets",
    "forecast_bands",
    "forecast_probabilities",
    "is_new_product",
    "labour_law_warnings",
    "next_period",
    "pay_curve",
    "pay_distribution",
    "pay_from_actuals",
    "pay_parts",
    "pay_per_revenue",
    "period_dates",
    "period_months",
    "preset",
    "reference_target",
    "seller_actuals",
    "sellers_without_history",
    "total_pay",
    "won_deals",
]

# ТК РФ ст. 135 (as amended by 144-ФЗ): a pay cut for a disciplinary offence
# may not exceed 20 % of the monthly pay.
DISCIPLINARY_CUT_LIMIT = 0.20


class Basis(StrEnum):
    """What tier rates multiply."""

    REVENUE = "revenue"  # rate × revenue in the slice
    TARGET_BONUS = "target_bonus"  # rate × target bonus per unit of attainment


class TierMode(StrEnum):
    """How tiers combine: each slice at its own rate, or all at the reached rate."""

    MARGINAL = "marginal"
    RETROACTIVE = "retroactive"


class DeductionKind(StrEnum):
    """A deduction as a money amount or as a share (0..1) of the variable part."""

    AMOUNT = "amount"
    BONUS_SHARE = "bonus_share"


@dataclass(frozen=True)
class Condition:
    """A fixed-part condition, e.g. "timely reports", and how it is measured."""

    name: str
    measure: str = ""


@dataclass(frozen=True)
class FixedPart:
    """The monthly base and the conditions it is paid for."""

    base: float
    conditions: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class Tier:
    """A tier of the pay curve starting at attainment ``start`` (1.0 = 100 %)."""

    start: float
    rate: float


@dataclass(frozen=True)
class VariablePart:
    """The pay curve and the extras.

    Attributes
    ----------
    basis : Basis
        Tier rates are shares of revenue, or multiples of the target bonus.
    target_bonus : float
        Monthly bonus paid at 100 % attainment for a rate of 1 (target-bonus basis).
    threshold : float
        Attainment below which plan pay is zero (at it, pay starts).
    tiers : tuple of Tier
        Increasing starts; below the first start the rate is 0.
    mode : TierMode
        Marginal or retroactive tiers.
    cap : float or None
        Attainment above which plan pay stops growing.
    new_product_rate : float
        Share of revenue from new products paid on top.
    new_products : tuple of str
        Product names that are new (exact match).
    new_product_markers : tuple of str
        Words that mark a product as new wherever they occur in its name
        (whole word, case-insensitive), e.g. «новинка», "new".
    new_client_bonus : float
        Paid per new client won (a won deal of segment "new"; one per client).
    """

    basis: Basis = Basis.TARGET_BONUS
    target_bonus: float = 0.0
    threshold: float = 0.0
    tiers: tuple[Tier, ...] = (Tier(0.0, 1.0),)
    mode: TierMode = TierMode.MARGINAL
    cap: float | None = None
    new_product_rate: float = 0.0
    new_products: tuple[str, ...] = ()
    new_product_markers: tuple[str, ...] = ()
    new_client_bonus: float = 0.0


@dataclass(frozen=True)
class Deduction:
    """What an unmet condition costs: an amount, or a share of the variable part."""

    condition: str
    kind: DeductionKind
    value: float


@dataclass(frozen=True)
class PenaltyPart:
    """Deductions per unmet condition; ``from_base`` lets them reach the base (unlawful in Russia)."""

    deductions: tuple[Deduction, ...] = ()
    from_base: bool = False


@dataclass(frozen=True)
class CompensationPlan:
    """A compensation plan: fixed, variable and penalty parts.

    ``target`` is the default monthly revenue target of a seller, used when a
    seller has none and by :func:`pay_per_revenue`.
    """

    name: str
    fixed: FixedPart
    variable: VariablePart
    penalty: PenaltyPart = field(default_factory=PenaltyPart)
    target: float = 1_000_000.0

    def __post_init__(self) -> None:
        _validate(self)

    @property
    def edges(self) -> tuple[float, ...]:
        """Attainments where the curve changes: threshold, tier starts, cap."""
        v = self.variable
        edges = {v.threshold, *(tier.start for tier in v.tiers)}
        if v.cap is not None:
            edges.add(v.cap)
        return tuple(sorted(edges))

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: Mapping) -> CompensationPlan:
        """Build and validate a plan from :meth:`to_dict` output."""
        data = _section(data, "")
        name = _need(data, "name")
        fixed = _section(_need(data, "fixed"), "fixed")
        variable = _section(_need(data, "variable"), "variable")
        penalty = _section(data.get("penalty", {}), "penalty")
        conditions = _items(fixed.get("conditions", []), "fixed.conditions")
        tiers = _items(_need(variable, "tiers", path="variable"), "variable.tiers")
        deductions = _items(penalty.get("deductions", []), "penalty.deductions")
        return cls(
            name=str(name),
            fixed=FixedPart(
                base=_number(_need(fixed, "base", path="fixed"), "fixed.base"),
                conditions=tuple(
                    Condition(str(_need(c, "name", path=f"fixed.conditions[{i}]")), str(c.get("measure", "")))
                    for i, c in enumerate(conditions, start=1)
                ),
            ),
            variable=VariablePart(
                basis=_choice(Basis, variable.get("basis", Basis.TARGET_BONUS), "variable.basis"),
                target_bonus=_number(variable.get("target_bonus", 0.0), "variable.target_bonus"),
                threshold=_number(variable.get("threshold", 0.0), "variable.threshold"),
                tiers=tuple(
                    Tier(
                        _number(_need(x, "start", path=f"variable.tiers[{i}]"), f"variable.tiers[{i}].start"),
                        _number(_need(x, "rate", path=f"variable.tiers[{i}]"), f"variable.tiers[{i}].rate"),
                    )
                    for i, x in enumerate(tiers, start=1)
                ),
                mode=_choice(TierMode, variable.get("mode", TierMode.MARGINAL), "variable.mode"),
                cap=None if variable.get("cap") is None else _number(variable["cap"], "variable.cap"),
                new_product_rate=_number(variable.get("new_product_rate", 0.0), "variable.new_product_rate"),
                new_products=tuple(str(p) for p in _list(variable.get("new_products", []), "variable.new_products")),
                new_product_markers=tuple(
                    str(m) for m in _list(variable.get("new_product_markers", []), "variable.new_product_markers")
                ),
                new_client_bonus=_number(variable.get("new_client_bonus", 0.0), "variable.new_client_bonus"),
            ),
            penalty=PenaltyPart(
                deductions=tuple(
                    Deduction(
                        str(_need(d, "condition", path=f"penalty.deductions[{i}]")),
                        _choice(
                            DeductionKind,
                            _need(d, "kind", path=f"penalty.deductions[{i}]"),
                            f"penalty.deductions[{i}].kind",
                        ),
                        _number(_need(d, "value", path=f"penalty.deductions[{i}]"), f"penalty.deductions[{i}].value"),
                    )
                    for i, d in enumerate(deductions, start=1)
                ),
                from_base=_boolean(penalty.get("from_base", False), "penalty.from_base"),
            ),
            target=_number(data.get("target", 1_000_000.0), "target"),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> CompensationPlan:
        """Load and validate a plan saved by :meth:`to_json`."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CompensationPlanError(
                "compensation.error.bad_json", line=exc.lineno, column=exc.colno, detail=exc.msg
            ) from exc
        except UnicodeDecodeError as exc:
            raise CompensationPlanError("compensation.error.bad_encoding", detail=exc.reason) from exc
        except (ValueError, RecursionError) as exc:
            # json's own limits: an integer of over 4,300 digits, arrays or objects nested ~1,000 deep
            raise CompensationPlanError(
                "compensation.error.bad_json", line=1, column=1, detail="a number too long or nesting too deep"
            ) from exc
        return cls.from_dict(_section(data, ""))


def _need(data: Mapping, key: str, path: str = ""):
    """``data[key]``, or an error naming the missing field."""
    if key not in data:
        raise CompensationPlanError("compensation.error.missing_field", field=f"{path}.{key}" if path else key)
    return data[key]


def _section(value: object, name: str) -> Mapping:
    """A JSON object, or an error naming where one was expected (the file itself when ``name`` is empty)."""
    if not isinstance(value, Mapping):
        if not name:
            raise CompensationPlanError("compensation.error.not_plan")
        raise CompensationPlanError("compensation.error.not_object", field=name)
    return value


def _list(value: object, name: str) -> list:
    if not isinstance(value, list):
        raise CompensationPlanError("compensation.error.not_list", field=name)
    return value


def _items(value: object, name: str) -> list[Mapping]:
    """A JSON list of objects."""
    return [_section(item, f"{name}[{i}]") for i, item in enumerate(_list(value, name), start=1)]


def _boolean(value: object, name: str) -> bool:
    """A JSON true or false; the string "false" is truthy in Python, so nothing else is read as a boolean."""
    if not isinstance(value, bool):
        raise CompensationPlanError("compensation.error.not_boolean", field=name, value=value)
    return value


def _number(value: object, name: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):  # an integer beyond a float's range too
        raise CompensationPlanError("compensation.error.not_number", field=name, value=value) from None
    return number


def _choice(enum: type[StrEnum], value: object, name: str):
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(e.value for e in enum)
        raise CompensationPlanError("compensation.error.bad_choice", field=name, value=value, choices=choices) from None


def _validate(plan: CompensationPlan) -> None:
    def non_negative(value: float, name: str) -> None:
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise CompensationPlanError("compensation.error.not_number", field=name, value=value)
        if value < 0:
            raise CompensationPlanError("compensation.error.negative", plan=plan.name, field=name, value=value)

    non_negative(plan.fixed.base, "fixed.base")
    non_negative(plan.target, "target")
    if plan.target == 0:
        raise CompensationPlanError("compensation.error.zero_target", plan=plan.name)
    v = plan.variable
    for name in ("target_bonus", "threshold", "new_product_rate", "new_client_bonus"):
        non_negative(getattr(v, name), f"variable.{name}")
    if not v.tiers:
        raise CompensationPlanError("compensation.error.no_tiers", plan=plan.name)
    for i, tier in enumerate(v.tiers, start=1):
        non_negative(tier.start, f"variable.tiers[{i}].start")
        non_negative(tier.rate, f"variable.tiers[{i}].rate")
        if i > 1:
            before = v.tiers[i - 2]
            if tier.start <= before.start:
                raise CompensationPlanError(
                    "compensation.error.tier_order", plan=plan.name, n=i, start=tier.start, previous=before.start
                )
            if v.mode == TierMode.RETROACTIVE and tier.rate < before.rate:
                raise CompensationPlanError(
                    "compensation.error.retroactive_decreasing",
                    plan=plan.name,
                    n=i,
                    rate=tier.rate,
                    previous=before.rate,
                )
    if v.cap is not None:
        non_negative(v.cap, "variable.cap")
        if v.cap <= v.threshold:
            raise CompensationPlanError(
                "compensation.error.cap_below_threshold", plan=plan.name, cap=v.cap, threshold=v.threshold
            )
    names = [c.name for c in plan.fixed.conditions]
    for c in plan.fixed.conditions:
        if not c.name.strip():
            raise CompensationPlanError("compensation.error.empty_condition", plan=plan.name)
        if names.count(c.name) > 1:
            raise CompensationPlanError("compensation.error.duplicate_condition", plan=plan.name, condition=c.name)
    for i, d in enumerate(plan.penalty.deductions, start=1):
        if d.condition not in names:
            raise CompensationPlanError(
                "compensation.error.unknown_condition", plan=plan.name, condition=d.condition, known=", ".join(names)
            )
        non_negative(d.value, f"penalty.deductions[{i}].value")
        if d.kind == DeductionKind.BONUS_SHARE and d.value > 1:
            raise CompensationPlanError(
                "compensation.error.share_range", plan=plan.name, condition=d.condition, value=d.value
            )
    # all conditions unmet must not take more than the whole bonus: above it a bigger bonus
    # would mean a smaller total with from_base, and pay_distribution needs pay non-decreasing
    shares = sum(d.value for d in plan.penalty.deductions if d.kind == DeductionKind.BONUS_SHARE)
    if shares > 1 + 1e-12:
        total = math.ceil(100 * shares - 1e-9)  # a whole percent, above 100, in any language
        raise CompensationPlanError("compensation.error.share_sum", plan=plan.name, total=total)
    if not isinstance(plan.penalty.from_base, bool):
        raise CompensationPlanError(
            "compensation.error.not_boolean", field="penalty.from_base", value=plan.penalty.from_base
        )


# --------------------------------------------------------------------------- the pay curve


def _snap(attainment: np.ndarray, edges: tuple[float, ...]) -> np.ndarray:
    """Put attainments within float round-off of an edge exactly on it.

    Revenue summed from many deals and divided by a target can land 1e-16
    below 100 %; a seller who met the plan exactly must be paid as such.
    """
    out = attainment.copy()
    for edge in edges:
        out[np.isclose(out, edge, rtol=1e-12, atol=1e-12)] = edge
    return out


def _curve(plan: CompensationPlan, attainment: np.ndarray) -> np.ndarray:
    """Plan pay per unit (target or target bonus) at ``attainment``, vectorised."""
    v = plan.variable
    a = _snap(np.asarray(attainment, dtype=float), plan.edges)
    capped = a if v.cap is None else np.minimum(a, v.cap)
    starts = np.array([tier.start for tier in v.tiers])
    rates = np.array([tier.rate for tier in v.tiers])
    if v.mode == TierMode.MARGINAL:
        ends = np.append(starts[1:], np.inf)
        slices = np.clip(capped[..., None] - starts, 0.0, ends - starts)
        pay = slices @ rates
    else:
        reached = np.searchsorted(starts, capped, side="right") - 1
        pay = np.where(reached >= 0, rates[np.maximum(reached, 0)] * capped, 0.0)
    return np.where(a >= v.threshold, pay, 0.0)


def _unit(plan: CompensationPlan, target: np.ndarray | float, months: float) -> np.ndarray | float:
    if plan.variable.basis == Basis.REVENUE:
        return target
    return plan.variable.target_bonus * months


def attainment_pay(plan: CompensationPlan, attainment, target=None, months: float = 1.0) -> np.ndarray:
    """Plan pay (the pay curve alone: no base, extras or penalties).

    Parameters
    ----------
    plan : CompensationPlan
    attainment : float or array
        Won revenue over target (1.0 = 100 %).
    target : float or array, optional
        The seller's revenue target for the period; default ``plan.target × months``.
    months : float
        Length of the period in months (scales the target bonus).

    Returns
    -------
    numpy.ndarray
        Pay, the shape of ``attainment``.
    """
    target = plan.target * months if target is None else np.asarray(target, dtype=float)
    return _curve(plan, np.asarray(attainment, dtype=float)) * _unit(plan, target, months)


def pay_per_revenue(
    plan: CompensationPlan, attainment: float = 1.0, target: float | None = None, months: float = 1.0
) -> float:
    """Plan pay per unit of won revenue at ``attainment``: the seller's effective commission rate.

    It is the pay curve's value divided by the revenue that earns it,
    ``attainment_pay(a) / (a × target)``, so "one contact is worth
    P(win) × deal size × pay_per_revenue". The base, the new-product and
    new-client extras and penalties are left out: they do not depend on one
    more sale. At zero attainment it is the limit from above: the first
    tier's rate per unit of revenue if there is no threshold, else 0.

    Parameters
    ----------
    plan : CompensationPlan
    attainment : float
        1.0 = the plan met exactly.
    target : float, optional
        Revenue target for the period; default ``plan.target × months``.
    months : float
        Length of the period in months.

    Returns
    -------
    float
        Pay per unit of revenue (0.05 = 5 kopecks per rouble).
    """
    if not math.isfinite(attainment) or attainment < 0:
        raise ParameterError("error.parameter", name="attainment", rule=">= 0", value=attainment)
    target = plan.target * months if target is None else float(target)
    if not target > 0:
        raise ParameterError("error.parameter", name="target", rule="> 0", value=target)
    unit = _unit(plan, target, months)
    if attainment == 0:
        v = plan.variable
        first = v.tiers[0]
        rate = first.rate if v.threshold <= 0 and first.start <= 0 else 0.0
        return float(rate * unit / target)
    return float(attainment_pay(plan, attainment, target, months) / (attainment * target))


def total_pay(
    plan: CompensationPlan,
    revenue,
    target,
    *,
    new_revenue=0.0,
    new_clients=0.0,
    unmet: Mapping[str, object] | None = None,
    months: float = 1.0,
) -> dict[str, np.ndarray]:
    """Every part of pay, vectorised over sellers (or over revenue outcomes).

    Parameters
    ----------
    plan : CompensationPlan
    revenue, target, new_revenue, new_clients : float or array
        Won revenue, revenue target for the period, revenue from new
        products, new clients won; broadcast together.
    unmet : mapping condition name → bool or bool array, optional
        True where the condition was NOT met; missing conditions are met.
    months : float
        Period length in months (scales the base and the target bonus).

    Returns
    -------
    dict of numpy.ndarray
        ``attainment``, ``fixed``, ``plan_pay``, ``new_product_pay``,
        ``new_client_pay``, ``variable``, ``deduction`` (what the unmet
        conditions ask for), ``penalty`` (what is actually taken),
        ``total``, ``cut_share`` (the penalty over one month's pay,
        (fixed + variable) / ``months``: the period's deductions are taken
        at once, and the labour law limits the cut of a month's pay) and
        ``base_cut`` (the part of the penalty taken from the base).
    """
    revenue, target, new_revenue, new_clients = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (revenue, target, new_revenue, new_clients))
    )
    if np.any(~(target > 0)):
        raise ParameterError("compensation.error.target", value=float(np.min(target)))
    attainment = revenue / target
    v = plan.variable
    fixed = np.full(revenue.shape, plan.fixed.base * months)
    plan_pay = _curve(plan, attainment) * _unit(plan, target, months)
    new_product_pay = v.new_product_rate * new_revenue
    new_client_pay = v.new_client_bonus * new_clients
    variable = plan_pay + new_product_pay + new_client_pay
    amount = np.zeros(revenue.shape)
    share = np.zeros(revenue.shape)
    unmet = unmet or {}
    for d in plan.penalty.deductions:
        missed = np.broadcast_to(np.asarray(unmet.get(d.condition, False), dtype=bool), revenue.shape)
        if d.kind == DeductionKind.AMOUNT:
            amount = amount + missed * d.value
        else:
            share = share + missed * d.value
    deduction = amount + share * variable
    ceiling = variable + fixed if plan.penalty.from_base else variable
    penalty = np.minimum(deduction, ceiling)
    gross = fixed + variable
    # a period's deductions are taken at once, and ст. 135 limits the cut per month:
    # compare with one month's pay, not the whole period's, which would dilute it
    monthly = gross / months
    with np.errstate(invalid="ignore", divide="ignore"):
        cut_share = np.where(monthly > 0, penalty / monthly, 0.0)
    return {
        "attainment": attainment,
        "fixed": fixed,
        "plan_pay": plan_pay,
        "new_product_pay": new_product_pay,
        "new_client_pay": new_client_pay,
        "variable": variable,
        "deduction": deduction,
        "penalty": penalty,
        "total": gross - penalty,
        "cut_share": cut_share,
        "base_cut": np.maximum(penalty - variable, 0.0),
    }


def pay_curve(
    plan: CompensationPlan, target: float | None = None, months: float = 1.0, upto: float | None = None
) -> pd.DataFrame:
    """Base + plan pay against attainment, for a chart.

    The grid is fine and includes each edge twice (just below and at it) so
    that cliffs draw as vertical steps.

    Returns
    -------
    pandas.DataFrame
        Columns ``attainment``, ``pay``.
    """
    target = plan.target * months if target is None else float(target)
    edges = plan.edges
    top = upto if upto is not None else max(1.5, edges[-1] + 0.3)
    grid = np.linspace(0.0, top, 301)
    below = [e - 1e-9 for e in edges if 0 < e <= top]
    a = np.unique(np.concatenate([grid, below, [e for e in edges if e <= top]]))
    pay = plan.fixed.base * months + attainment_pay(plan, a, target, months)
    return pd.DataFrame({"attainment": a, "pay": pay})


def reference_target(targets, months: float, default_monthly: float = 1_000_000.0) -> float:
    """The typical seller's target for the period: the median of the positive targets.

    The pay curves are drawn for it. Without any positive target,
    ``default_monthly`` × ``months``.
    """
    values = pd.Series(targets, dtype=float)
    positive = values[values > 0]
    return float(positive.median()) if len(positive) else float(default_monthly * months)


def curve_extent(
    plans, attainment, *, low: float = 1.5, high: float = 3.0, margin: float = 0.1, past_edge: float = 0.3
) -> float:
    """How far in attainment to draw pay curves: past the best seller (by ``margin``) and
    past each plan's last edge (by ``past_edge``), at least ``low`` and at most ``high``."""
    values = np.asarray(attainment, dtype=float)
    best = float(np.nanmax(values)) + margin if np.isfinite(values).any() else low
    return float(min(high, max(low, best, *(plan.edges[-1] + past_edge for plan in plans))))


def curve_positions(
    plan: CompensationPlan, pay: pd.DataFrame, target: float, months: float = 1.0, upto: float | None = None
) -> pd.DataFrame:
    """Where each seller sits on the plan's pay curve drawn for ``target``.

    The curve is base + plan pay for one target (:func:`pay_curve`), so a
    seller is placed at their own attainment and the curve's pay there, not
    at their actual pay (their target and extras differ).

    Parameters
    ----------
    plan : CompensationPlan
    pay : pandas.DataFrame
        :func:`pay_from_actuals` table (index seller; ``attainment``, ``total``).
    target : float
        The curve's revenue target for the period (:func:`reference_target`).
    months : float
    upto : float, optional
        The curve's right end: attainments beyond it are drawn at it.

    Returns
    -------
    pandas.DataFrame
        ``seller``, ``attainment`` (clipped to ``upto``), ``pay`` (on the
        curve), ``actual`` (the seller's total pay).
    """
    attainment = pay["attainment"].to_numpy(dtype=float)
    shown = attainment if upto is None else np.minimum(attainment, upto)
    return pd.DataFrame(
        {
            "seller": pay.index.to_numpy(),
            "attainment": shown,
            "pay": plan.fixed.base * months + attainment_pay(plan, shown, target, months),
            "actual": pay["total"].to_numpy(dtype=float),
        }
    )


# --------------------------------------------------------------------------- actuals


@dataclass(frozen=True)
class DealColumns:
    """Names of the deal-table columns the pay computation reads."""

    owner: str = "owner"
    status: str = "status"
    amount: str = "amount"
    closed_at: str = "closed_at"
    product: str = "product"
    segment: str = "segment"
    client: str = "client_id"
    deal_id: str = "deal_id"
    created_at: str = "created_at"
    expected_close_at: str = "expected_close_at"


def is_new_product(products: pd.Series, plan: CompensationPlan) -> pd.Series:
    """True where a product is new under ``plan``: listed by name, or carrying a marker word."""
    v = plan.variable
    # each distinct name once (a catalogue of dozens, not a regex match per deal); a missing product is not new
    # as text first: factorize would take 1, 1.0 and True for one value
    codes, uniques = pd.factorize(products.astype("str"))
    names = pd.Series(uniques, dtype="str")
    new = names.isin(v.new_products)
    markers = [m.strip() for m in v.new_product_markers if m.strip()]
    if markers:
        # whole words: the marker "new" must not match "Renewal"
        pattern = r"(?<!\w)(?:" + "|".join(re.escape(m) for m in markers) + r")(?!\w)"
        new |= names.str.contains(pattern, case=False, regex=True)
    return pd.Series(np.append(new.to_numpy(dtype=bool), False)[codes], index=products.index, name=products.name)


def period_months(start, end) -> float:
    """Length of [start, end) in months: whole months when both fall on the 1st, else days / 30.4375."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start.day == 1 and end.day == 1 and start.normalize() == start and end.normalize() == end:
        return float((end.year - start.year) * 12 + end.month - start.month)
    return (end - start) / pd.Timedelta(days=30.4375)


def close_months(dates: pd.Series) -> pd.PeriodIndex:
    """Every calendar month from the first to the last of ``dates`` (missing dates ignored)."""
    dates = pd.Series(dates).dropna()
    if dates.empty:
        return pd.PeriodIndex([], freq="M")
    return pd.period_range(dates.min().to_period("M"), dates.max().to_period("M"), freq="M")


def default_month(dates: pd.Series, grace_days: int = 7) -> pd.Period:
    """The latest month the data cover: the last month counts only if the data reach
    its last ``grace_days`` days (a month just begun would show a near-zero pay);
    when the data span a single month, that month."""
    months = close_months(dates)
    if len(months) == 0:
        raise ParameterError("error.parameter", name="dates", rule="at least one date", value=0)
    last = pd.Series(dates).max()
    complete = last >= months[-1].end_time - pd.Timedelta(days=grace_days)
    return months[-1] if complete or len(months) == 1 else months[-2]


def next_period(deals: pd.DataFrame, months: float, columns: DealColumns = DealColumns()) -> tuple:
    """The period after the data's last month: from the next month's 1st, ``months`` whole
    months long (at least one); the data's "today" is its latest creation or close date.

    Returns
    -------
    tuple of pandas.Timestamp
        ``(start, end)``, ``end`` excluded.
    """
    c = columns
    # NaT-aware: an export without close dates (Bitrix24) still has creation dates
    as_of = pd.Series([deals[c.closed_at].max(), deals[c.created_at].max()]).max()
    if pd.isna(as_of):
        raise ParameterError("error.parameter", name="deals", rule="a creation or close date", value=0)
    start = (pd.Timestamp(as_of).to_period("M") + 1).start_time
    return start, start + pd.DateOffset(months=max(round(months), 1))


def pay_parts(pay: pd.DataFrame) -> pd.DataFrame:
    """A :func:`pay_from_actuals` table as stacked-bar parts per seller.

    Returns
    -------
    pandas.DataFrame
        ``seller``, ``part`` ("fixed", "variable", "penalty"), ``amount``:
        the variable part net of the penalty, the penalty negative (it hangs
        below zero), so the parts above zero add up to total pay.
    """
    amounts = np.column_stack([pay["fixed"], pay["variable"] - pay["penalty"], -pay["penalty"]])
    return pd.DataFrame(
        {
            "seller": np.repeat(pay.index.to_numpy(), 3),
            "part": np.tile(["fixed", "variable", "penalty"], len(pay)),
            "amount": amounts.ravel(),
        }
    )


def forecast_bands(dist: pd.DataFrame) -> pd.DataFrame:
    """A :func:`pay_distribution` table with the quantiles 0.1, 0.5, 0.9, one row per seller.

    Returns
    -------
    pandas.DataFrame
        ``seller``, ``p10``, ``p50``, ``p90`` (pay), ``revenue_p50``,
        ``p_threshold``, ``p_target`` and ``expected`` (mean revenue) when
        ``dist`` has it.
    """
    wide = dist.pivot(index="seller", columns="q", values="total")[[0.1, 0.5, 0.9]]
    wide.columns = ["p10", "p50", "p90"]
    wide["revenue_p50"] = dist[dist["q"] == 0.5].set_index("seller")["revenue"]
    per_seller = [c for c in ("p_threshold", "p_target", "expected") if c in dist]
    probs = dist.drop_duplicates("seller").set_index("seller")[per_seller]
    return wide.join(probs).reset_index()


@dataclass(frozen=True, eq=False)
class WonDeals:
    """The won deals of a deal table as arrays, in the table's order: what pay from
    actuals reads for any period and plan, prepared once per table by :func:`won_deals`.

    Attributes
    ----------
    closed : numpy.ndarray
        Close dates (datetime64; NaT: no period holds the deal).
    seller : numpy.ndarray
        Each deal's owner as a position in ``sellers``.
    sellers : tuple of str
        Every owner of the table, sorted (those without a won deal too).
    amount : numpy.ndarray
        Amounts, a missing one as 0.
    product : numpy.ndarray
        Each deal's product as a position in ``products``; -1 without one.
    products : tuple of str
        The products' names.
    client : numpy.ndarray
        The client of a deal of segment "new" as a code (a deal without a
        client id is a client of its own); -1 for the other segments.
    """

    closed: np.ndarray
    seller: np.ndarray
    sellers: tuple[str, ...]
    amount: np.ndarray
    product: np.ndarray
    products: tuple[str, ...]
    client: np.ndarray


def won_deals(deals: pd.DataFrame, columns: DealColumns = DealColumns(), within: tuple | None = None) -> WonDeals:
    """The won deals of ``deals`` with an owner, as :class:`WonDeals` (taking string columns
    from a large table costs more than the pay itself: done once, every period reads arrays).

    ``within``: (start, end), only the deals closed in [start, end), for one
    period's pay straight from a table (``sellers`` is still every owner).
    """
    c = columns
    owners = deals[c.owner]
    keep = (deals[c.status] == WON).to_numpy() & owners.notna().to_numpy()
    if within is not None:
        closed = deals[c.closed_at]
        keep &= ((closed >= pd.Timestamp(within[0])) & (closed < pd.Timestamp(within[1]))).to_numpy(dtype=bool)
    won = deals[keep]
    sellers = tuple(sorted(owners.dropna().astype(str).unique()))
    seller = pd.Index(sellers).get_indexer(won[c.owner].astype(str))
    # as text first, as is_new_product reads them: 1, 1.0 and True are three names
    product, products = (
        pd.factorize(won[c.product].astype("str")) if c.product in won else (np.full(len(won), -1), pd.Index([]))
    )
    client = pd.factorize(_client_key(won, c))[0]
    new = (won[c.segment] == "new").to_numpy(dtype=bool) if c.segment in won else np.zeros(len(won), dtype=bool)
    return WonDeals(
        closed=won[c.closed_at].to_numpy(),
        seller=seller,
        sellers=sellers,
        amount=won[c.amount].fillna(0.0).to_numpy(dtype=float),
        product=np.asarray(product),
        products=tuple(str(x) for x in products),
        client=np.where(new, client, -1),
    )


def _won(deals: pd.DataFrame | WonDeals, columns: DealColumns, start, end) -> WonDeals:
    return deals if isinstance(deals, WonDeals) else won_deals(deals, columns, within=(start, end))


def seller_actuals(
    deals: pd.DataFrame | WonDeals,
    plan: CompensationPlan,
    start,
    end,
    sellers=None,
    columns: DealColumns = DealColumns(),
) -> pd.DataFrame:
    """Won revenue, new-product revenue and new clients per seller in [start, end).

    Parameters
    ----------
    deals : pandas.DataFrame or WonDeals
        Canonical deal table, or its :func:`won_deals` (the same figures, faster
        for many periods or plans).
    plan : CompensationPlan
        Decides which products are new.
    start, end : date-like
        The period, on the deals' close date; ``end`` excluded.
    sellers : iterable of str, optional
        Sellers to report (those without deals get zeros); default every owner.
    columns : DealColumns
        Column names.

    Returns
    -------
    pandas.DataFrame
        Index ``seller``; columns ``revenue``, ``new_revenue``, ``new_clients``, ``deals_won``.
    """
    won = _won(deals, columns, start, end)
    mask = (won.closed >= pd.Timestamp(start).to_datetime64()) & (won.closed < pd.Timestamp(end).to_datetime64())
    seller, amount = won.seller[mask], won.amount[mask]
    is_new = is_new_product(pd.Series(won.products, dtype="str"), plan).to_numpy(dtype=bool)
    new_product = np.append(is_new, False)[won.product[mask]]  # -1 (no product) reads the appended False
    # sums as pandas adds (compensated, in the table's order): the same cents as a group-by on the table
    frame = pd.DataFrame({"revenue": amount, "new_revenue": np.where(new_product, amount, 0.0)})
    grouped = frame.groupby(seller)
    # a new client with two won deals in the period is still one new client
    client = won.client[mask]
    pairs = np.unique(np.column_stack([seller, client])[client >= 0], axis=0)
    everyone = len(won.sellers)
    out = pd.DataFrame(
        {
            "revenue": grouped["revenue"].sum().reindex(range(everyone), fill_value=0.0).to_numpy(),
            "new_revenue": grouped["new_revenue"].sum().reindex(range(everyone), fill_value=0.0).to_numpy(),
            "new_clients": np.bincount(pairs[:, 0], minlength=everyone),
            "deals_won": np.bincount(seller, minlength=everyone),
        },
        index=pd.Index(won.sellers, name="seller"),
    )
    if sellers is None:
        sellers = won.sellers
    out = out.reindex(pd.Index(list(sellers), name="seller"), fill_value=0.0)
    return out.astype(float)


def _unmet_table(conditions: pd.DataFrame | None, sellers: pd.Index) -> dict[str, np.ndarray]:
    """Condition results (True = met) → {condition: unmet per seller}; missing means met."""
    if conditions is None:
        return {}
    met = conditions.reindex(sellers)
    return {str(col): ~met[col].fillna(True).astype(bool).to_numpy() for col in met.columns}


def _lookback_revenue(
    deals: pd.DataFrame | WonDeals, end, lookback_months: int, columns: DealColumns = DealColumns()
) -> pd.Series:
    """Each owner's won revenue over the ``lookback_months`` before ``end`` (zero without any)."""
    end = pd.Timestamp(end)
    begin = end - pd.DateOffset(months=lookback_months)
    won = _won(deals, columns, begin, end)
    mask = (won.closed >= begin.to_datetime64()) & (won.closed < end.to_datetime64())
    revenue = pd.Series(won.amount[mask]).groupby(won.seller[mask]).sum()
    return pd.Series(
        revenue.reindex(range(len(won.sellers)), fill_value=0.0).to_numpy(), index=pd.Index(won.sellers), name="amount"
    )


def default_targets(
    deals: pd.DataFrame | WonDeals,
    end,
    months: float,
    lookback_months: int = 12,
    columns: DealColumns = DealColumns(),
    default_monthly: float = 1_000_000.0,
) -> pd.Series:
    """A starting target per seller: the seller's average monthly won revenue over
    the ``lookback_months`` before ``end``, times ``months``, rounded up to two
    significant digits. Never zero: a seller with no won revenue in that window
    gets the median of the others' targets, or ``default_monthly`` × ``months``
    when nobody has any (:func:`sellers_without_history` names them)."""
    raw = _lookback_revenue(deals, end, lookback_months, columns) / lookback_months * months
    fallback = raw[raw > 0].median() if (raw > 0).any() else default_monthly * months
    raw = raw.where(raw > 0, fallback)
    magnitude = 10.0 ** (np.floor(np.log10(raw.to_numpy())) - 1)
    return pd.Series(
        np.ceil(raw.to_numpy() / magnitude) * magnitude, index=pd.Index(raw.index, name="seller"), name="target"
    )


def sellers_without_history(
    deals: pd.DataFrame | WonDeals, end, lookback_months: int = 12, columns: DealColumns = DealColumns()
) -> list[str]:
    """The sellers whose :func:`default_targets` is a fallback: no won revenue in the
    ``lookback_months`` before ``end``."""
    revenue = _lookback_revenue(deals, end, lookback_months, columns)
    return revenue.index[~(revenue > 0)].tolist()


def date_won_deals(deals: pd.DataFrame, columns: DealColumns = DealColumns()) -> tuple[pd.DataFrame, dict[str, int]]:
    """Give won deals without a close date the best date the export has.

    Bitrix24 exports have no close-date column, only the expected close date;
    pay is counted by close date, so a won deal without one is dated by its
    expected close date, else by its creation date. The page states how many.

    Parameters
    ----------
    deals : pandas.DataFrame
        Canonical deal table.
    columns : DealColumns

    Returns
    -------
    tuple
        A copy of ``deals`` with ``closed_at`` filled for those won deals, and
        the count of won deals dated each way and of those left without any date:
        ``{"expected_close_at": n, "created_at": m, "undated": k}``.
    """
    c = columns
    out = deals.copy()
    missing = (out[c.status] == WON) & out[c.closed_at].isna()
    counts = {}
    for source in (c.expected_close_at, c.created_at):
        usable = missing & out[source].notna() if source in out else missing & False
        out.loc[usable, c.closed_at] = out.loc[usable, source]
        counts[source] = int(usable.sum())
        missing &= ~usable
    counts["undated"] = int(missing.sum())  # left out of pay: no period holds them
    return out, counts


def period_dates(deals: pd.DataFrame, columns: DealColumns = DealColumns()) -> pd.Series:
    """The dates a pay period is chosen from: the won deals' close dates; without any
    won deal, every creation and close date (pay is then the base alone, but the
    plans can still be compared over a period the data cover)."""
    c = columns
    won = deals[c.status] == WON
    if won.any():
        return deals.loc[won, c.closed_at].dropna().reset_index(drop=True)
    dates = [deals[col] for col in (c.created_at, c.closed_at) if col in deals]
    return pd.concat(dates, ignore_index=True).dropna() if dates else pd.Series([], dtype="datetime64[ns]")


def pay_from_actuals(
    plan: CompensationPlan,
    deals: pd.DataFrame | WonDeals,
    targets: Mapping[str, float] | pd.Series,
    start,
    end,
    conditions: pd.DataFrame | None = None,
    months: float | None = None,
    columns: DealColumns = DealColumns(),
) -> pd.DataFrame:
    """Pay per seller for [start, end) from the won deals.

    Parameters
    ----------
    plan : CompensationPlan
    deals : pandas.DataFrame or WonDeals
        Canonical deal table (owner, status, amount, closed_at, product, segment),
        or its :func:`won_deals`.
    targets : mapping or Series seller → revenue target for the period
        The sellers reported; a seller with no deals gets zeros.
    start, end : date-like
        The period (close dates; ``end`` excluded).
    conditions : pandas.DataFrame, optional
        Index seller, one bool column per condition, True = met; missing = met.
    months : float, optional
        Period length in months; default :func:`period_months`.
    columns : DealColumns

    Returns
    -------
    pandas.DataFrame
        Index ``seller``; the actuals (``target``, ``revenue``,
        ``new_revenue``, ``new_clients``, ``deals_won``) and every column of
        :func:`total_pay`.
    """
    targets = pd.Series(targets, dtype=float)
    targets.index = targets.index.astype(str)
    months = period_months(start, end) if months is None else months
    actuals = seller_actuals(deals, plan, start, end, sellers=targets.index, columns=columns)
    bad = targets[~(targets > 0)]
    if len(bad):
        raise ParameterError("compensation.error.seller_target", seller=bad.index[0], value=bad.iloc[0])
    parts = total_pay(
        plan,
        actuals["revenue"].to_numpy(),
        targets.to_numpy(),
        new_revenue=actuals["new_revenue"].to_numpy(),
        new_clients=actuals["new_clients"].to_numpy(),
        unmet=_unmet_table(conditions, actuals.index),
        months=months,
    )
    out = actuals.copy()
    out.insert(0, "target", targets.to_numpy())
    for name, values in parts.items():
        out[name] = values
    return out


# --------------------------------------------------------------------------- forecast


def forecast_probabilities(
    deals: pd.DataFrame,
    config,
    history: pd.DataFrame | None = None,
    *,
    stage_p=None,
    own: bool = False,
    inputs=None,
) -> pd.Series:
    """Each open deal's win probability, exactly as the Forecast page computes it.

    One source of deal probabilities for both pages: a thin adapter over
    :func:`funnel_model.forecast_views.deal_probabilities`, returning a
    Series on the deal table's index instead of an array over
    ``inputs.open_deals``.

    Parameters
    ----------
    deals : pandas.DataFrame
        Canonical deal table (its canonical column names).
    config : FunnelConfig
        Funnels and their stage probabilities.
    history : pandas.DataFrame, optional
        Stage history, passed to :func:`~funnel_model.forecast_views.prepare_forecast`.
    stage_p : array_like, optional
        One probability per row of ``inputs.stages`` (the Forecast page's
        what-if sliders); default the configured stage probabilities, the
        Forecast page's default.
    own : bool
        Use a seller's own estimate where the deal has one (opt-in: sellers
        are often optimistic).
    inputs : ForecastInputs, optional
        :func:`~funnel_model.forecast_views.prepare_forecast` of ``deals``,
        when already computed.

    Returns
    -------
    pandas.Series
        Indexed by the open deals of ``deals``, in [0, 1].
    """
    from funnel_model.forecast_views import deal_probabilities, prepare_forecast

    if inputs is None:
        inputs = prepare_forecast(deals, config, history)
    if stage_p is None:
        configured = inputs.stages["configured"].to_numpy(dtype=float)
        # a stage without a configured probability takes its historical rate
        stage_p = np.where(np.isfinite(configured), configured, inputs.stages["rate"].to_numpy(dtype=float))
    p = deal_probabilities(inputs, stage_p, own=own)
    index = deals.index[(deals["status"] == OPEN).to_numpy()]
    if len(index) != len(p):  # inputs prepared from other deals
        raise ParameterError("error.parameter", name="inputs", rule="prepared from these deals", value=len(p))
    return pd.Series(p, index=index, name="probability")


def pay_distribution(
    plan: CompensationPlan,
    deals: pd.DataFrame,
    targets: Mapping[str, float] | pd.Series,
    probabilities: pd.Series,
    months: float = 1.0,
    conditions: pd.DataFrame | None = None,
    close_by=None,
    quantiles: tuple[float, ...] = (0.1, 0.5, 0.9),
    columns: DealColumns = DealColumns(),
    *,
    draws: int = 20_000,
    seed: int = 0,
    memo: Callable[[tuple, Callable[[], object]], object] | None = None,
) -> pd.DataFrame:
    """Next period's pay per seller (P10/P50/P90) from the seller's open deals.

    Each open deal i is won with probability pᵢ (``probabilities``),
    independently. The seller's revenue S = Σ aᵢ·Bernoulli(pᵢ) comes from
    :func:`funnel_model.forecast.revenue_distribution` (the ``revenue``
    column, and ``p_threshold``/``p_target``). Pay depends on the same wins
    through three numbers: S, the revenue from new products, and the number
    of distinct new clients (segment "new") with at least one won deal (a
    client with three open deals brings one bonus). The condition results
    are held fixed (default: all met).

    - When the plan pays no extra on the seller's open deals (no new-product
      rate or no new-product deal, and no new-client bonus or no new-client
      deal), total pay is a non-decreasing function of S (module
      docstring), so its q-quantile is pay at the q-quantile of S, exactly.
    - Otherwise the extras are random together with S: pay's quantiles come
      from ``draws`` seeded joint draws of every deal's outcome (a Monte
      Carlo; the quantile levels are off by about √(q(1 − q)/draws), 0.2
      percentage points at P10 with the default). A deal without a chance
      (pᵢ = 0) brings no extra: a seller whose every extra has none is
      exact, as above. The sellers' draws share their uniforms (see
      :func:`_joint_draws`): each seller's quantiles read only its own.

    Parameters
    ----------
    plan : CompensationPlan
    deals : pandas.DataFrame
        Canonical deal table; only open deals are used. ``product``,
        ``segment`` and ``client_id`` are optional (without them there are
        no new-product or new-client extras, and each deal is its own client).
    targets : mapping or Series seller → revenue target for the next period
    probabilities : pandas.Series
        Win probability of each open deal, on the deals' index: for a pay
        period, the probability of being won within it
        (:func:`funnel_model.period.period_win_probabilities`, as the Forecast
        page's plan for a period counts it) from :func:`forecast_probabilities`.
    months : float
        Length of the next period in months.
    conditions : pandas.DataFrame, optional
        As in :func:`pay_from_actuals`.
    close_by : date-like, optional
        End of the next period: only open deals expected to close before it
        count (overdue ones included, as they may still close; deals without
        an expected close date are kept). None: the whole pipeline. The
        Compensation page passes per-period probabilities instead.
    quantiles : tuple of float
        Probabilities of the quantiles reported.
    columns : DealColumns
    draws : int
        Joint draws per seller when the extras are random.
    seed : int
        Seed of the draws.
    memo : callable, optional
        ``memo(key, build)`` returns ``build()`` or the value it returned
        before for an equal ``key`` (a tuple of a name, numbers and arrays
        holding everything the value depends on). What does not depend on
        the plan's pay rules (each seller's revenue distribution, joint
        draws and chance of reaching the target) goes through it, so that
        two plans, or a plan edited, share it; the figures are the same with
        or without it.

    Returns
    -------
    pandas.DataFrame
        One row per seller and quantile: ``seller``, ``q``, ``revenue`` (the
        q-quantile of S), ``attainment`` (of that revenue), ``total`` (the
        q-quantile of total pay); plus ``p_threshold`` (P(S reaches the
        threshold)), ``p_target`` (P(S ≥ target)) and ``expected`` (the mean
        of S, Σ aᵢpᵢ) per seller.
    """
    from funnel_model.forecast import revenue_distribution

    c = columns
    targets = pd.Series(targets, dtype=float)
    targets.index = targets.index.astype(str)
    keep = (deals[c.status] == OPEN) & deals[c.owner].notna()
    if close_by is not None and c.expected_close_at in deals:
        expected = deals[c.expected_close_at]
        keep &= expected.isna() | (expected < pd.Timestamp(close_by))
    open_deals = deals[keep]
    probs = pd.Series(probabilities, dtype=float).reindex(open_deals.index)
    if probs.isna().any():
        raise ParameterError(
            "error.parameter", name="probabilities", rule="one per open deal", value=int(probs.isna().sum())
        )
    v = plan.variable
    amounts = open_deals[c.amount].fillna(0.0).to_numpy(dtype=float)
    p = probs.to_numpy(dtype=float)
    none = np.zeros(len(open_deals), dtype=bool)
    new_product = is_new_product(open_deals[c.product], plan).to_numpy() if c.product in open_deals else none
    new_client = (open_deals[c.segment] == "new").to_numpy(dtype=bool) if c.segment in open_deals else none
    new_product = new_product & (v.new_product_rate > 0)
    new_client = new_client & (v.new_client_bonus > 0)
    client = pd.factorize(_client_key(open_deals, c))[0]
    # each open deal's seller as a position in ``targets`` (-1: a seller without a target, left out)
    seller_of = targets.index.get_indexer(open_deals[c.owner].astype(str))
    unmet = _unmet_table(conditions, targets.index)
    qs = np.asarray(quantiles, dtype=float)
    memo = memo or (lambda key, build: build())
    groups = [np.flatnonzero(seller_of == i) for i in range(len(targets))]
    dists = memo(
        ("pay_distribution.revenue", amounts, p, seller_of, len(targets)),
        lambda: [revenue_distribution(amounts[g], p[g]) for g in groups],
    )
    # a deal that cannot be won brings no extra and needs no draw
    winnable = p > 0
    extras = (new_product | new_client) & winnable
    drawn = [i for i, g in enumerate(groups) if extras[g].any()]

    def draw() -> list:
        live = [g[winnable[g]] for g in (groups[i] for i in drawn)]
        sellers = [(amounts[g], p[g], new_product[g], new_client[g], client[g]) for g in live]
        joint = dict(zip(drawn, _joint_draws(np.random.default_rng(seed), draws, sellers), strict=True))
        return [joint.get(i) for i in range(len(groups))]

    joint = memo(
        ("pay_distribution.draws", seed, draws, amounts, p, seller_of, len(targets), new_product, new_client, client),
        draw,
    )
    # the chance of reaching the target is the same for every plan: far in the upper tail it is a lattice of
    # its own (exponential tilting, a tenth of a second a seller), so it is shared through the memo as well
    reach = memo(
        ("pay_distribution.p_target", amounts, p, seller_of, len(targets), targets.to_numpy()),
        lambda: [float(dists[i].prob_at_least(targets.iloc[i])) for i in range(len(targets))],
    )
    # every seller at once: one row of quantiles (and of draws) per seller, the targets and conditions as columns
    n = len(targets)
    target = targets.to_numpy(dtype=float)[:, None]
    unmet_all = {k: v_[:, None] for k, v_ in unmet.items()}
    revenue = np.array([dists[i].quantile(qs) for i in range(n)], dtype=float).reshape(n, len(qs))
    pay = total_pay(plan, revenue, target, unmet=unmet_all, months=months)
    total = pay["total"]
    drawn = [i for i in range(n) if joint[i] is not None]
    if drawn:
        revenues, new_revenue, new_clients = (np.array([joint[i][k] for i in drawn]) for k in range(3))
        paid = total_pay(
            plan,
            revenues,
            target[drawn],
            new_revenue=new_revenue,
            new_clients=new_clients,
            unmet={k: v_[drawn] for k, v_ in unmet_all.items()},
            months=months,
        )["total"]
        total[drawn] = np.quantile(paid, qs, axis=1, method="inverted_cdf").T
    thresholds = v.threshold * target[:, 0]
    per_seller = {
        "p_threshold": [float(dists[i].prob_at_least(thresholds[i])) if thresholds[i] > 0 else 1.0 for i in range(n)],
        "p_target": reach,
        "expected": [float(amounts[g] @ p[g]) for g in groups],
    }
    out = pd.DataFrame(
        {
            "seller": np.repeat(targets.index.to_numpy(dtype=object), len(qs)),
            "q": np.tile(qs, n),
            "revenue": revenue.ravel(),
            "attainment": pay["attainment"].ravel(),
            "total": total.ravel(),
        }
        | {k: np.repeat(np.asarray(x, dtype=float), len(qs)) for k, x in per_seller.items()}
    )
    return out


def _client_key(deals: pd.DataFrame, c: DealColumns) -> pd.Series:
    """Who a deal is for: its client id, or the deal itself when the client is unknown."""
    deal = deals[c.deal_id].astype(str) if c.deal_id in deals else pd.Series(deals.index.astype(str), deals.index)
    client = deals[c.client] if c.client in deals else pd.Series(pd.NA, index=deals.index)
    return client.astype("str").where(client.notna(), "deal:" + deal)


def _draw_order(new_client: np.ndarray, client: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The order of a seller's deals in the joint draws, and how many new clients have an r-th deal.

    New clients' deals come first, rank by rank: every new client's first deal
    (the clients with most deals first, so those with an r-th deal are a
    prefix), then every second deal, and so on; the other deals after them.
    A client is won when any of its deals is, so a draw folds rank r into the
    first ``sizes[r]`` columns by a maximum over whole column blocks, and
    counts the new clients won in the first ``sizes[0]`` columns.
    """
    deals = np.flatnonzero(new_client)
    deals = deals[np.argsort(client[deals], kind="stable")]
    starts = np.flatnonzero(np.diff(client[deals], prepend=-1))
    counts = np.diff(np.append(starts, len(deals)))
    largest = np.argsort(-counts, kind="stable")
    starts, counts = starts[largest], counts[largest]
    top = int(counts.max()) if len(counts) else 0
    ranks = [deals[starts[counts > r] + r] for r in range(top)]
    sizes = np.array([len(r) for r in ranks], dtype=int)
    order = np.concatenate([*ranks, np.flatnonzero(~new_client)]).astype(int)
    return order, sizes


DRAW_BLOCK = 64  # columns of uniforms per generator: a deal's uniforms depend only on its column


def _joint_draws(rng, draws, sellers, chunk=None):
    """Seeded joint draws of (revenue, new-product revenue, new clients won) per seller, each an array of ``draws``.

    ``sellers`` holds one tuple ``(amounts, p, new_product, new_client,
    client)`` per seller (``client``: client codes, equal code, same client).
    The sellers share the uniforms: with the seller's deals in
    :func:`_draw_order`, its deal j is won in draw d when the
    (d·W + j mod W)-th float32 uniform of ``rng.spawn``'s child j // W
    (W = :data:`DRAW_BLOCK` columns) is below ``p[j]`` as a float32 (within
    2⁻²⁴ of p), whatever ``chunk`` and the other sellers' deals: a seller's
    draws do not move when another seller's pipeline changes. Each seller's
    draws are independent draws of its deals' outcomes, which is all its pay
    quantiles read; no figure adds sellers up draw by draw, so sharing the
    uniforms (generating them was most of the cost, once per seller) changes
    nothing a seller's figures depend on. The chunk (rows of draws at a time) only keeps
    the working matrices in the processor's cache: about 128 rows of 1,000
    deals, more rows of fewer deals.
    """
    m = max((len(s[0]) for s in sellers), default=0)
    if chunk is None:
        chunk = max(16, (1 << 17) // max(m, 1) // 16 * 16)
    plans = []
    for amounts, p, new_product, new_client, client in sellers:
        order, sizes = _draw_order(np.asarray(new_client, dtype=bool), np.asarray(client))
        a = np.asarray(amounts, dtype=float)[order]
        weights = np.column_stack([a, np.where(np.asarray(new_product, dtype=bool)[order], a, 0.0)])
        plans.append((np.asarray(p, dtype=np.float32)[order], weights, sizes, np.empty((draws, 3))))
    blocks = rng.spawn(-(-m // DRAW_BLOCK))
    uniform = np.empty((min(chunk, draws), len(blocks) * DRAW_BLOCK), dtype=np.float32)
    block = np.empty((min(chunk, draws), DRAW_BLOCK), dtype=np.float32)
    won = np.empty((min(chunk, draws), m))
    for s in range(0, draws, chunk):
        k = min(chunk, draws - s)
        for b, generator in enumerate(blocks):
            uniform[:k, b * DRAW_BLOCK : (b + 1) * DRAW_BLOCK] = generator.random(out=block[:k], dtype=np.float32)
        u = uniform[:k]
        for p, weights, sizes, out in plans:
            # the wins (1.0 or 0.0) of the seller's first columns, written in place chunk after chunk
            wins = np.less(u[:, : len(p)], p, out=won[:k, : len(p)])
            out[s : s + k, :2] = wins @ weights
            if len(sizes):
                start = sizes[0]
                for size in sizes[1:]:
                    np.maximum(wins[:, :size], wins[:, start : start + size], out=wins[:, :size])
                    start += size
                out[s : s + k, 2] = wins[:, : sizes[0]].sum(axis=1)
            else:
                out[s : s + k, 2] = 0.0
    return [tuple(out.T) for *_, out in plans]


# --------------------------------------------------------------------------- company and law


def company_totals(pay: pd.DataFrame) -> dict[str, float]:
    """Company figures from a :func:`pay_from_actuals` table.

    Returns ``revenue``, ``fixed``, ``variable``, ``penalty``, ``total`` and
    ``cost_of_sales`` (total pay over won revenue; NaN without revenue).
    """
    sums = {k: float(pay[k].sum()) for k in ("revenue", "fixed", "variable", "penalty", "total")}
    sums["cost_of_sales"] = sums["total"] / sums["revenue"] if sums["revenue"] > 0 else float("nan")
    return sums


def compare_plans(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """:func:`company_totals` of several plans on the same data, one row per plan."""
    return pd.DataFrame({name: company_totals(table) for name, table in tables.items()}).T


@dataclass(frozen=True)
class LawWarning:
    """A plan or a seller's pay that Russian labour law may not allow.

    ``kind`` is "over_limit" (a disciplinary cut above 20 % of monthly pay)
    or "from_base" (the base itself is cut); ``seller`` is None for the plan's
    worst case; ``share`` is the cut over one month's pay (over one month's
    base for "from_base"); ``attainment`` where the worst case happens.
    """

    kind: str
    plan: str
    share: float
    seller: str | None = None
    attainment: float | None = None

    def message(self, lang: str) -> str:
        """The warning, citing ТК РФ ст. 192 and ст. 135, in ``lang``."""
        who = self.seller if self.seller is not None else t("compensation.law.worst_case", lang)
        return t(
            f"compensation.law.{self.kind}",
            lang,
            plan=self.plan,
            who=who,
            share=percent(self.share, lang, 0),
            limit=percent(DISCIPLINARY_CUT_LIMIT, lang, 0),
        )


def labour_law_warnings(
    plan: CompensationPlan, pay: pd.DataFrame | None = None, months: float = 1.0
) -> list[LawWarning]:
    """What the plan may take that ТК РФ ст. 192 and ст. 135 (144-ФЗ) do not allow.

    The plan's worst case: every condition unmet, at the attainment (0 to
    past the last edge) where the cut is the largest share of pay, for the
    plan's default target over one month (the law limits the cut of a
    month's pay). With a :func:`pay_from_actuals` table over a period of
    ``months`` months, each seller whose cut exceeds the limit of one
    month's pay (``cut_share``: the period's deductions are taken at once)
    or reaches the base; the base cut is a share of one month's base.
    """
    warnings: list[LawWarning] = []
    unmet = {d.condition: True for d in plan.penalty.deductions}
    if unmet:
        grid = np.unique(np.concatenate([np.linspace(0.0, plan.edges[-1] + 1.0, 801), plan.edges]))
        worst = total_pay(plan, grid * plan.target, plan.target, unmet=unmet, months=1.0)
        i = int(np.argmax(worst["cut_share"]))
        if worst["cut_share"][i] > DISCIPLINARY_CUT_LIMIT + 1e-12:
            warnings.append(
                LawWarning("over_limit", plan.name, float(worst["cut_share"][i]), attainment=float(grid[i]))
            )
        j = int(np.argmax(worst["base_cut"]))
        if worst["base_cut"][j] > 0:
            share = float(worst["base_cut"][j] / worst["fixed"][j]) if worst["fixed"][j] > 0 else 0.0
            warnings.append(LawWarning("from_base", plan.name, share, attainment=float(grid[j])))
    if pay is not None:
        for seller, row in pay.iterrows():  # one row per seller: a handful, not per deal
            if row["cut_share"] > DISCIPLINARY_CUT_LIMIT + 1e-12:
                warnings.append(LawWarning("over_limit", plan.name, float(row["cut_share"]), seller=str(seller)))
            if row["base_cut"] > 0:
                monthly_base = row["fixed"] / months
                share = float(row["base_cut"] / monthly_base) if monthly_base > 0 else 0.0
                warnings.append(LawWarning("from_base", plan.name, share, seller=str(seller)))
    return warnings


# --------------------------------------------------------------------------- presets

PRESETS = ("mix_50_50", "fixed_heavy", "cliff")


def preset(name: str, lang: str = "en") -> CompensationPlan:
    """A starting plan, with condition names in ``lang``.

    - ``mix_50_50``: base = target bonus; 50 % threshold, accelerators ×1.5
      above 100 % and ×2 above 130 %, capped at 200 %; marginal tiers.
    - ``fixed_heavy``: a large base and a small linear bonus capped at 150 %.
    - ``cliff``: a small base and a commission on revenue paid only from
      90 % of plan, retroactively higher from 100 %.
    """
    conditions = (
        Condition(t("compensation.preset.reports", lang), t("compensation.preset.reports_measure", lang)),
        Condition(t("compensation.preset.crm", lang), t("compensation.preset.crm_measure", lang)),
    )
    reports, crm = (c.name for c in conditions)
    markers = ("новинка", "new")
    if name == "mix_50_50":
        return CompensationPlan(
            name=t("compensation.preset.mix_50_50", lang),
            fixed=FixedPart(60_000.0, conditions),
            variable=VariablePart(
                basis=Basis.TARGET_BONUS,
                target_bonus=60_000.0,
                threshold=0.5,
                tiers=(Tier(0.0, 1.0), Tier(1.0, 1.5), Tier(1.3, 2.0)),
                mode=TierMode.MARGINAL,
                cap=2.0,
                new_product_rate=0.02,
                new_product_markers=markers,
                new_client_bonus=5_000.0,
            ),
            penalty=PenaltyPart(
                (Deduction(reports, DeductionKind.BONUS_SHARE, 0.10), Deduction(crm, DeductionKind.AMOUNT, 5_000.0))
            ),
        )
    if name == "fixed_heavy":
        return CompensationPlan(
            name=t("compensation.preset.fixed_heavy", lang),
            fixed=FixedPart(100_000.0, conditions),
            variable=VariablePart(
                basis=Basis.TARGET_BONUS,
                target_bonus=20_000.0,
                threshold=0.0,
                tiers=(Tier(0.0, 1.0),),
                mode=TierMode.MARGINAL,
                cap=1.5,
                new_product_rate=0.01,
                new_product_markers=markers,
                new_client_bonus=3_000.0,
            ),
            penalty=PenaltyPart(
                (Deduction(reports, DeductionKind.BONUS_SHARE, 0.10), Deduction(crm, DeductionKind.BONUS_SHARE, 0.10))
            ),
        )
    if name == "cliff":
        return CompensationPlan(
            name=t("compensation.preset.cliff", lang),
            fixed=FixedPart(40_000.0, conditions),
            variable=VariablePart(
                basis=Basis.REVENUE,
                threshold=0.9,
                tiers=(Tier(0.0, 0.08), Tier(1.0, 0.10)),
                mode=TierMode.RETROACTIVE,
                cap=None,
                new_product_rate=0.02,
                new_product_markers=markers,
                new_client_bonus=5_000.0,
            ),
            penalty=PenaltyPart(
                (Deduction(reports, DeductionKind.BONUS_SHARE, 0.15), Deduction(crm, DeductionKind.AMOUNT, 5_000.0))
            ),
        )
    raise CompensationPlanError("compensation.error.unknown_preset", name=name, known=", ".join(PRESETS))
