"""A scenario: every assumption a user changed, as one typed, versioned object.

The funnel config, the what-if stage probabilities per funnel and segment,
the dormancy window and funnel → segment choices, filters, the plan target
and period, both compensation plans with sellers' targets and condition
results, the rejection-math settings, and room for later pages' values
(marketing moves, channel spend) in ``extras``. ``to_json`` / ``from_json``
round-trip it exactly; a file of another version, a truncated file, a
field of the wrong type or a value outside what the app's controls take
(a confidence of 150 %, a negative target, a period ending before it starts)
raises :class:`ScenarioError` naming the field.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from funnel_model.compensation import CompensationPlan
from funnel_model.config import FunnelConfig
from funnel_model.errors import CompensationPlanError, ConfigError, ScenarioError
from funnel_model.period import PERIOD_KINDS

__all__ = [
    "CONFIDENCE_RANGE",
    "FIGURES",
    "MAX_DORMANCY_DAYS",
    "MAX_MONEY",
    "SCENARIO_FORMAT",
    "SCENARIO_VERSION",
    "Scenario",
    "StageProbability",
    "key_figures",
    "stage_probabilities_for",
]

SCENARIO_FORMAT = "funnel-scenario"
SCENARIO_VERSION = 1
PLAN_NAMES = ("a", "b")
MAX_DEPTH = 32  # nesting of filter and extras values: far above any page's, far below Python's recursion limit
CONFIDENCE_RANGE = (50, 99)  #: percent: the Forecast page's confidence slider
MAX_DORMANCY_DAYS = 3650  #: ten years: the Data page's dormancy input
MAX_MONEY = 10**15  #: a plan or target beyond any company's revenue (a thousand times the importer's largest deal)
# the extras of ui/period.py: the plan period's kind and its custom dates
PERIOD_KIND_EXTRA, PERIOD_DATES_EXTRA = "period.kind", "period.dates"
# ISO text of a date or month of years 1900-2199, inside pandas' Timestamp range
_ISO_DATE = re.compile(r"(19|20|21)\d\d-\d\d-\d\d")
_ISO_MONTH = re.compile(r"(19|20|21)\d\d-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class StageProbability:
    """A what-if win probability (0..1) of one open stage; ``segment`` is "" unless the funnel is split."""

    funnel: str
    stage: str
    probability: float
    segment: str = ""


@dataclass(frozen=True)
class Scenario:
    """Every assumption of one what-if, JSON-able (see the module docstring).

    Attributes
    ----------
    name : str
        The consultant's name for it ("Base", "Aggressive hiring").
    config : FunnelConfig or None
        The edited funnel config; None keeps the inferred one.
    stage_probabilities : tuple of StageProbability
        The Forecast page's sliders.
    own_estimates : bool
        Use the sellers' own deal probabilities where the export has them.
    dormancy_days : int
        Days without a deal after which a client counts as dormant.
    funnel_segments : {funnel: segment}
        Funnels whose deals all get one segment.
    filters : {name: JSON value}
        Page filters (funnel, seller, period, basis ...).
    plan_target : float or None
        Revenue plan of the forecast period.
    plan_period : (start, end) ISO dates or None
        The plan's period, when the Forecast page has one; start not after end.
    confidence : int or None
        Confidence (percent, within :data:`CONFIDENCE_RANGE`) of the leads-needed figure.
    plans : {"a" | "b": CompensationPlan}
        The two pay plans compared.
    targets : {seller: amount}
        Sellers' sales targets of the pay period.
    conditions : {seller: {condition: met}}
        Condition results of the pay period.
    pay_period : (first month, last month) as "YYYY-MM", or None
        The first month not after the last.
    rejection : {setting: number or bool}
        The rejection-math page's settings.
    extras : {name: JSON value}
        Values of other pages (marketing moves, channel spend) kept as given.
    """

    name: str = ""
    config: FunnelConfig | None = None
    stage_probabilities: tuple[StageProbability, ...] = ()
    own_estimates: bool = False
    dormancy_days: int = 365
    funnel_segments: Mapping[str, str] = field(default_factory=dict)
    filters: Mapping[str, Any] = field(default_factory=dict)
    plan_target: float | None = None
    plan_period: tuple[str, str] | None = None
    confidence: int | None = None
    plans: Mapping[str, CompensationPlan] = field(default_factory=dict)
    targets: Mapping[str, float] = field(default_factory=dict)
    conditions: Mapping[str, Mapping[str, bool]] = field(default_factory=dict)
    pay_period: tuple[str, str] | None = None
    rejection: Mapping[str, float | int | bool] = field(default_factory=dict)
    extras: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """A JSON-able dict with the format name and version first."""
        return {
            "format": SCENARIO_FORMAT,
            "version": SCENARIO_VERSION,
            "name": self.name,
            "config": self.config.to_dict() if self.config is not None else None,
            "stage_probabilities": [
                {"funnel": s.funnel, "segment": s.segment, "stage": s.stage, "probability": s.probability}
                for s in self.stage_probabilities
            ],
            "own_estimates": self.own_estimates,
            "dormancy_days": self.dormancy_days,
            "funnel_segments": dict(self.funnel_segments),
            "filters": dict(self.filters),
            "plan_target": self.plan_target,
            "plan_period": list(self.plan_period) if self.plan_period is not None else None,
            "confidence": self.confidence,
            "plans": {x: plan.to_dict() for x, plan in self.plans.items()},
            "targets": dict(self.targets),
            "conditions": {seller: dict(met) for seller, met in self.conditions.items()},
            "pay_period": list(self.pay_period) if self.pay_period is not None else None,
            "rejection": dict(self.rejection),
            "extras": dict(self.extras),
        }

    def to_json(self) -> str:
        """The scenario as JSON text (UTF-8, readable); raises ScenarioError on a non-finite number."""
        try:
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, allow_nan=False)
        except ValueError as exc:
            raise ScenarioError("scenario.error.not_finite", detail=str(exc)) from exc

    @classmethod
    def from_dict(cls, data: object) -> Scenario:
        """Build a scenario from :meth:`to_dict` output, checking every field."""
        data = _object(data, "(top level)")
        if data.get("format") != SCENARIO_FORMAT:
            raise ScenarioError("scenario.error.format", found=_short(data.get("format")))
        version = data.get("version")
        if version != SCENARIO_VERSION:
            raise ScenarioError("scenario.error.version", found=_short(version), expected=SCENARIO_VERSION)
        unknown = sorted(set(data) - {"format", "version", *_FIELDS})
        if unknown:
            raise ScenarioError("scenario.error.unknown_field", field=", ".join(map(str, unknown)))
        values = {name: read(data[name], name) for name, read in _FIELDS.items() if name in data}
        return cls(**values)

    @classmethod
    def from_json(cls, text: str | bytes) -> Scenario:
        """Load a scenario saved by :meth:`to_json`; ScenarioError names what is wrong."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScenarioError("scenario.error.json", line=exc.lineno, column=exc.colno, detail=exc.msg) from exc
        except UnicodeDecodeError as exc:
            raise ScenarioError("scenario.error.json", line=1, column=exc.start + 1, detail="not UTF-8") from exc
        except (ValueError, RecursionError) as exc:
            # json's own limits: an integer of over 4,300 digits, arrays or objects nested ~1,000 deep
            raise ScenarioError("scenario.error.too_complex") from exc
        return cls.from_dict(data)


# ------------------------------------------------------------------ field readers


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fail(name: str, expected: str, value: object, **bounds: object) -> ScenarioError:
    """``expected`` is a kind of value (a key of the "scenario.error.field.*" messages)."""
    return ScenarioError(f"scenario.error.field.{expected}", field=name, found=_short(value), **bounds)


def _object(value: object, name: str) -> dict:
    if not isinstance(value, dict):
        raise _fail(name, "object", value)
    return value


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise _fail(name, "text", value)
    return value


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(name, "flag", value)
    return value


def _int(value: object, name: str, low: int | None = None, high: int | None = None) -> int:
    if high is not None and not isinstance(value, bool) and isinstance(value, int) and value > high:
        raise _fail(name, "int_range", value, low=low, high=high)
    if isinstance(value, bool) or not isinstance(value, int) or (low is not None and value < low):
        if high is not None:
            raise _fail(name, "int_range", value, low=low, high=high)
        raise _fail(name, "int", value, low=low if low is not None else "−∞")
    return value


def _float(value: object, name: str, low: float | None = None, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
        raise _fail(name, "number", value)
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            raise _fail(name, "at_least", value, low=low)
        raise _fail(name, "range", value, low=low, high=high)
    return float(value)


def _finite(value: int | float) -> bool:
    """False for inf, NaN and an integer beyond the float range (``math.isfinite`` raises on those)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _optional(read: Callable[[object, str], Any]) -> Callable[[object, str], Any]:
    return lambda value, name: None if value is None else read(value, name)


def _pair(value: object, name: str) -> tuple[str, str]:
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, str) for v in value):
        raise _fail(name, "pair", value)
    return value[0], value[1]


def _dates(value: object, name: str) -> tuple[str, str]:
    """Two ISO dates "YYYY-MM-DD", the first not after the second."""
    first, last = _pair(value, name)
    try:
        if not (_ISO_DATE.fullmatch(first) and _ISO_DATE.fullmatch(last)):
            raise ValueError(value)
        ordered = dt.date.fromisoformat(first) <= dt.date.fromisoformat(last)
    except ValueError:
        raise _fail(name, "dates", value) from None
    if not ordered:
        raise _fail(name, "dates", value)
    return first, last


def _months(value: object, name: str) -> tuple[str, str]:
    """Two months "YYYY-MM", the first not after the second (ISO text sorts as the calendar does)."""
    first, last = _pair(value, name)
    if not (_ISO_MONTH.fullmatch(first) and _ISO_MONTH.fullmatch(last)) or first > last:
        raise _fail(name, "months", value)
    return first, last


def _money(value: object, name: str) -> float:
    return _float(value, name, 0, MAX_MONEY)


def _extras(value: object, name: str) -> dict:
    """Other pages' values as given; the plan period's kind and custom dates must be ones the page takes."""
    extras = _mapping(_json_value)(value, name)
    if PERIOD_KIND_EXTRA in extras and extras[PERIOD_KIND_EXTRA] not in PERIOD_KINDS:
        raise _fail(f"{name}.{PERIOD_KIND_EXTRA}", "choice", extras[PERIOD_KIND_EXTRA], options=", ".join(PERIOD_KINDS))
    if PERIOD_DATES_EXTRA in extras:
        _dates(extras[PERIOD_DATES_EXTRA], f"{name}.{PERIOD_DATES_EXTRA}")
    return extras


def _json_value(value: object, name: str, depth: int = 0) -> object:
    """Any JSON value nested at most :data:`MAX_DEPTH` levels, numbers finite."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return _float(value, name)
    if isinstance(value, (list, dict)) and depth >= MAX_DEPTH:
        raise _fail(name, "nested", "[...]" if isinstance(value, list) else "{...}", depth=MAX_DEPTH)
    if isinstance(value, list):
        return [_json_value(v, f"{name}[{i}]", depth + 1) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {_text(k, name): _json_value(v, f"{name}.{k}", depth + 1) for k, v in value.items()}
    raise _fail(name, "json", value)


def _mapping(read_value: Callable[[object, str], Any]) -> Callable[[object, str], dict]:
    def read(value: object, name: str) -> dict:
        return {key: read_value(v, f"{name}.{key}") for key, v in _object(value, name).items()}

    return read


def _config(value: object, name: str) -> FunnelConfig | None:
    if value is None:
        return None
    try:
        return FunnelConfig.from_dict(_object(value, name))
    except ConfigError as exc:
        raise ScenarioError("scenario.error.part", field=name, detail=str(exc)) from exc


def _plans(value: object, name: str) -> dict[str, CompensationPlan]:
    plans = {}
    for key, plan in _object(value, name).items():
        if key not in PLAN_NAMES:
            raise _fail(f"{name}.{key}", "plan", key)
        try:
            plans[key] = CompensationPlan.from_dict(_object(plan, f"{name}.{key}"))
        except CompensationPlanError as exc:
            raise ScenarioError("scenario.error.part", field=f"{name}.{key}", detail=str(exc)) from exc
    return plans


def _stage_probabilities(value: object, name: str) -> tuple[StageProbability, ...]:
    if not isinstance(value, list):
        raise _fail(name, "list", value)
    out = []
    for i, item in enumerate(value):
        where = f"{name}[{i}]"
        item = _object(item, where)
        for key in ("funnel", "stage", "probability"):
            if key not in item:
                raise ScenarioError("scenario.error.missing", field=f"{where}.{key}")
        out.append(
            StageProbability(
                funnel=_text(item["funnel"], f"{where}.funnel"),
                stage=_text(item["stage"], f"{where}.stage"),
                probability=_float(item["probability"], f"{where}.probability", 0.0, 1.0),
                segment=_text(item.get("segment", ""), f"{where}.segment"),
            )
        )
    return tuple(out)


def _setting(value: object, name: str) -> float | int | bool:
    """A rejection-math setting: a flag or a number ≥ 0 (counts, a rate, a deal's value, a seed)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _int(value, name, 0)
    return _float(value, name, 0.0)


_FIELDS: dict[str, Callable[[object, str], Any]] = {
    "name": _text,
    "config": _config,
    "stage_probabilities": _stage_probabilities,
    "own_estimates": _flag,
    "dormancy_days": lambda v, n: _int(v, n, 1, MAX_DORMANCY_DAYS),
    "funnel_segments": _mapping(_text),
    "filters": _mapping(_json_value),
    "plan_target": _optional(_money),
    "plan_period": _optional(_dates),
    "confidence": _optional(lambda v, n: _int(v, n, *CONFIDENCE_RANGE)),
    "plans": _plans,
    "targets": _mapping(_money),
    "conditions": _mapping(_mapping(_flag)),
    "pay_period": _optional(_months),
    "rejection": _mapping(_setting),
    "extras": _extras,
}


# ------------------------------------------------------------------ a scenario's key figures

FIGURES = ("mean", "p10", "p50", "p90", "p_plan", "leads", "cost_of_sales_a", "cost_of_sales_b")


def stage_probabilities_for(stages, scenario: Scenario) -> np.ndarray:
    """The scenario's what-if probability of each row of a forecast's stage table.

    A row takes the scenario's value for its funnel, segment part and stage;
    else the value for the funnel as a whole (segment ""), as saved before the
    funnel was split by segment; else its configured probability.

    Parameters
    ----------
    stages : DataFrame
        ``ForecastInputs.stages`` (columns ``funnel``, ``part``, ``stage``, ``configured``).
    scenario : Scenario
    """
    chosen = {(s.funnel, s.segment, s.stage): s.probability for s in scenario.stage_probabilities}
    values = []
    for row in stages.itertuples():
        funnel, part, stage = str(row.funnel), str(row.part), str(row.stage)
        values.append(chosen.get((funnel, part, stage), chosen.get((funnel, "", stage), float(row.configured))))
    return np.array(values, dtype=float)


def key_figures(
    deals: pd.DataFrame,
    history: pd.DataFrame | None,
    config: FunnelConfig,
    scenario: Scenario,
    *,
    default_plan: float | None = None,
    default_confidence: int = 90,
) -> dict[str, float]:
    """The figures two scenarios are compared by, on the same deals.

    Parameters
    ----------
    deals : DataFrame
        Canonical deals; segments are derived again with the scenario's
        dormancy window and funnel → segment choices.
    history : DataFrame or None
        Stage history.
    config : FunnelConfig
        Used where the scenario keeps no config of its own.
    scenario : Scenario
    default_plan : float, optional
        Used where the scenario has no plan target; by default the Forecast
        page's: the median revenue at historical rates, to two digits.
    default_confidence : int
        Used where the scenario has no confidence.

    Returns
    -------
    dict
        ``mean``, ``p10``, ``p50``, ``p90`` (revenue of the open pipeline),
        ``p_plan`` (chance of reaching the plan), ``leads`` (new leads needed
        on average to close the gap to the plan, NaN when the data cannot
        tell), ``cost_of_sales_a`` / ``_b`` (pay over won revenue of the pay
        period under each plan, NaN without plan, targets or period).
    """
    from funnel_model.compensation import company_totals, date_won_deals, pay_from_actuals, period_months
    from funnel_model.forecast import revenue_distribution
    from funnel_model.forecast_views import (
        deal_probabilities,
        forecast_summary,
        plan_blocker,
        plan_by_funnel,
        prepare_forecast,
    )
    from funnel_model.segments import derive_segments

    deals = deals.assign(
        segment=derive_segments(
            deals, dormancy_days=scenario.dormancy_days, funnel_segments=dict(scenario.funnel_segments) or None
        )
    )
    inputs = prepare_forecast(deals, scenario.config or config, history)
    stage_p = stage_probabilities_for(inputs.stages, scenario)
    p = deal_probabilities(inputs, stage_p, own=scenario.own_estimates)
    dist = revenue_distribution(inputs.open_deals["amount"].to_numpy(), p)
    plan = scenario.plan_target if scenario.plan_target is not None else default_plan
    if plan is None:
        median = revenue_distribution(
            inputs.open_deals["amount"].to_numpy(), deal_probabilities(inputs, inputs.stages["rate"].to_numpy())
        ).quantile(0.5)
        plan = float(f"{median:.2g}") if median > 0 else 0.0
    figures = dict(forecast_summary(dist, plan))
    figures["leads"] = math.nan
    if plan_blocker(inputs) is None:
        confidence = (scenario.confidence or default_confidence) / 100
        _, funnels = plan_by_funnel(inputs, stage_p, p, plan, confidence)
        figures["leads"] = float(funnels["leads_mean"].sum())
    for x in PLAN_NAMES:
        figures[f"cost_of_sales_{x}"] = math.nan
        plan_x = scenario.plans.get(x)
        if plan_x is None or not scenario.targets or scenario.pay_period is None:
            continue
        start = pd.Period(scenario.pay_period[0], "M").start_time
        end = (pd.Period(scenario.pay_period[1], "M") + 1).start_time
        conditions = pd.DataFrame.from_dict(
            {seller: dict(met) for seller, met in scenario.conditions.items()}, orient="index"
        )
        pay = pay_from_actuals(
            plan_x,
            date_won_deals(deals)[0],
            pd.Series(dict(scenario.targets), dtype=float),
            start,
            end,
            conditions=conditions if not conditions.empty else None,
            months=period_months(start, end),
        )
        figures[f"cost_of_sales_{x}"] = company_totals(pay)["cost_of_sales"]
    return {k: float(figures[k]) for k in FIGURES}
