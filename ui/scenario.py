"""Scenarios ↔ this session's state: capture every assumption, apply a saved one, keep several by name.

The one module that knows which session keys hold which assumption (the
pages' widget keys, read from pages/*.py and ui/data.py). Applying a
scenario writes the stored values (the what-if sliders, plans, targets ...)
and drops the widget states the pages rebuild from them, so every page shows
the scenario on its next run.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import streamlit as st

from funnel_model.compensation import CompensationPlan, period_months
from funnel_model.errors import FunnelError
from funnel_model.formatting import money, number, percent
from funnel_model.scenario import FIGURES, PLAN_NAMES, Scenario, StageProbability, key_figures
from funnel_model.schema import SEGMENTS
from ui import data
from ui.formats import CURRENCY_KEY, currency
from ui.i18n import lang, tr
from ui.tables import show_table

__all__ = ["IN_USE_KEY", "SCENARIOS_KEY", "apply", "capture", "keep", "kept", "scenario_panel"]

SCENARIOS_KEY = "scenarios"  # {name: Scenario} kept in this session
# pages/forecast.py
PLAN_KEY, CONFIDENCE_KEY, OWN_KEY = "forecast.plan", "forecast.confidence", "forecast.own"
# ui/period.py: the chosen period ({"kind", "start", "end"} as JSON) and the widgets it is made from
PLAN_PERIOD_KEY, PERIOD_DATES_KEY = "period.setting", "period.dates"
# pages/funnels.py filters (kept only while the page's widgets hold them)
FILTER_KEYS = (
    "funnels.funnel",
    "funnels.seller",
    "funnels.period",
    "funnels.basis",
    "funnels.measure",
    "funnels.min_count",
)
# pages/compensation.py
PLAN_STORE = {"a": "compensation.plan_a", "b": "compensation.plan_b"}
TARGETS, CONDITIONS = "compensation.targets", "compensation.conditions"
PAY_PERIOD = ("compensation.period_from", "compensation.period_to")  # the first and last month's pickers
# pages/rejection.py keeps every setting's last value here
REJECTION_SAVED = "rejection.saved_settings"
# JSON-able values of other pages (marketing moves, channel spend): kept as they are
EXTRA_KEYS: tuple[str, ...] = (
    "moves.list",  # ui/moves.py
    "clients.channel_spend",  # pages/clients.py
    "period.kind",  # ui/period.py, with PERIOD_DATES_KEY (dates kept as ISO text)
    "period.by_date",
    "period.inflow",
    CURRENCY_KEY,  # ui/formats.py: the app's one currency
    "period.commit",
    "period.best_case",
)
EXTRA_WIDGETS = {"moves.list": "moves.editor"}  # an editor's own state, dropped so it shows the applied value


def slider_key(funnel: str, stage: str, part: str = "") -> str:
    """The Forecast page's slider of a stage (pages/forecast.py ``slider_key``)."""
    return f"forecast.p.{funnel}.{part}.{stage}" if part else f"forecast.p.{funnel}.{stage}"


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _json_able(value: object) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def capture(dataset: data.Dataset, name: str = "") -> Scenario:
    """Every assumption of this session on ``dataset`` as a :class:`Scenario` named ``name``."""
    ss = st.session_state
    src = dataset.source
    sliders = []
    for funnel in dataset.config.funnels:
        for stage in funnel.stage_names:
            for part in ("", *SEGMENTS):
                value = ss.get(slider_key(funnel.name, stage, part))
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    sliders.append(StageProbability(funnel.name, stage, float(value) / 100, part))
    filters = {}
    for key in FILTER_KEYS:
        if key in ss:
            value = ss[key]
            value = [_iso(v) for v in value] if isinstance(value, (tuple, list)) else _iso(value)
            if _json_able(value):
                filters[key] = value
    plans = {x: ss[key] for x, key in PLAN_STORE.items() if isinstance(ss.get(key), CompensationPlan)}
    targets_table = ss.get(f"{TARGETS}:saved")
    targets = (
        {str(k): float(v) for k, v in targets_table["target"].items() if pd.notna(v)}
        if isinstance(targets_table, pd.DataFrame) and "target" in targets_table
        else {}
    )
    results = ss.get(f"{CONDITIONS}:saved")
    conditions = (
        {str(seller): {str(c): bool(v) for c, v in row.items()} for seller, row in results.iterrows()}
        if isinstance(results, pd.DataFrame)
        else {}
    )
    pay_period = tuple(ss.get(key) for key in PAY_PERIOD)
    plan_period = _period(ss.get(PLAN_PERIOD_KEY))
    extras = {key: ss[key] for key in EXTRA_KEYS if key in ss and _json_able(ss[key])}
    dates = ss.get(PERIOD_DATES_KEY)
    if isinstance(dates, (tuple, list)) and all(isinstance(d, dt.date) for d in dates):
        extras[PERIOD_DATES_KEY] = [d.isoformat() for d in dates]
    plan = ss.get(PLAN_KEY)
    rejection = {
        k: v for k, v in (ss.get(REJECTION_SAVED) or {}).items() if isinstance(v, (bool, int, float)) and _json_able(v)
    }
    return Scenario(
        name=name,
        config=ss.get(f"config:{src}"),
        stage_probabilities=tuple(sliders),
        own_estimates=bool(ss.get(OWN_KEY, False)),
        dormancy_days=int(ss.get(data.DORMANCY_KEY, data.DEFAULT_DORMANCY_DAYS)),
        funnel_segments=dict(ss.get(f"funnel_segments:{src}") or {}),
        filters=filters,
        plan_target=float(plan) if isinstance(plan, (int, float)) and math.isfinite(plan) else None,
        plan_period=plan_period,
        confidence=int(ss[CONFIDENCE_KEY]) if isinstance(ss.get(CONFIDENCE_KEY), int) else None,
        plans=plans,
        targets=targets,
        conditions=conditions,
        pay_period=pay_period if all(isinstance(m, str) for m in pay_period) else None,
        rejection=rejection,
        extras=extras,
    )


def _period(setting: object) -> tuple[str, str] | None:
    """(start, end) of ui/period.py's recorded choice ({"kind", "start", "end"}), else None."""
    try:
        chosen = json.loads(setting) if isinstance(setting, str) else setting
    except json.JSONDecodeError:
        return None
    if isinstance(chosen, dict) and isinstance(chosen.get("start"), str) and isinstance(chosen.get("end"), str):
        return chosen["start"], chosen["end"]
    return None


def _date_or_text(value: object) -> object:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def apply(scenario: Scenario, dataset: data.Dataset) -> None:
    """Make ``scenario`` this session's assumptions on ``dataset`` (pages show it on their next run)."""
    ss = st.session_state
    src = dataset.source
    # data: config, dormancy, funnel → segment (the Data page's widgets are rebuilt from these)
    ss[f"config:{src}"] = scenario.config
    ss.pop("data.config", None)
    data.set_dormancy_days(scenario.dormancy_days)
    ss.pop("data.dormancy", None)
    ss[f"funnel_segments:{src}"] = dict(scenario.funnel_segments) or None
    for key in [k for k in ss if isinstance(k, str) and k.startswith("data.funnel_segment.")]:
        del ss[key]
    # forecast: sliders, plan, confidence, own estimates
    for key in [k for k in ss if isinstance(k, str) and k.startswith("forecast.p.")]:
        del ss[key]
    for s in scenario.stage_probabilities:
        ss[slider_key(s.funnel, s.stage, s.segment)] = round(100 * s.probability)
    ss[OWN_KEY] = scenario.own_estimates
    for key, value in ((PLAN_KEY, scenario.plan_target), (CONFIDENCE_KEY, scenario.confidence)):
        if value is None:
            ss.pop(key, None)
        else:
            ss[key] = value
    # funnels page filters
    for key in FILTER_KEYS:
        ss.pop(key, None)
    for key, value in scenario.filters.items():
        ss[key] = tuple(_date_or_text(v) for v in value) if isinstance(value, list) else _date_or_text(value)
    # compensation: plans (the page reloads its widgets from them), period, targets, condition results
    _apply_pay(scenario, dataset)
    # rejection math: every setting, widget and kept copy
    if scenario.rejection:
        ss[REJECTION_SAVED] = dict(scenario.rejection)
        for key, value in scenario.rejection.items():
            ss[key] = value
    for key, value in scenario.extras.items():
        ss[key] = tuple(_date_or_text(v) for v in value) if key == PERIOD_DATES_KEY else value
        if key in EXTRA_WIDGETS:
            ss.pop(EXTRA_WIDGETS[key], None)


def _apply_pay(scenario: Scenario, dataset: data.Dataset) -> None:
    ss = st.session_state
    for x in PLAN_NAMES:
        plan = scenario.plans.get(x)
        if plan is None:
            continue
        ss[PLAN_STORE[x]] = plan
        ss.pop(f"compensation.{x}.base", None)  # the page then loads every widget of the plan from the store
    if scenario.pay_period is not None:
        ss.update(zip(PAY_PERIOD, scenario.pay_period, strict=True))
    sellers = tuple(sorted(dataset.deals["owner"].dropna().astype(str).unique()))
    if scenario.targets and scenario.pay_period is not None:
        first, last = scenario.pay_period
        months = period_months(pd.Period(first, "M").start_time, (pd.Period(last, "M") + 1).start_time)
        table = pd.DataFrame({"target": pd.Series(dict(scenario.targets), dtype=float)}).reindex(list(sellers))
        table.index.name = "seller"
        _store_editor(TARGETS, table, (sellers, months, first))
    if scenario.conditions:
        names = tuple(dict.fromkeys(c.name for plan in scenario.plans.values() for c in plan.fixed.conditions))
        table = pd.DataFrame.from_dict({s: dict(m) for s, m in scenario.conditions.items()}, orient="index")
        table = table.reindex(index=list(sellers), columns=list(names)).fillna(True).astype(bool)
        table.index.name = "seller"
        _store_editor(CONDITIONS, table, (sellers, names))


def _store_editor(key: str, table: pd.DataFrame, sig: tuple) -> None:
    """What pages/compensation.py ``_editor`` keeps of a table, so its next run shows ``table``."""
    ss = st.session_state
    ss.pop(key, None)
    ss.pop(f"{key}:base", None)
    ss[f"{key}:saved"] = table
    ss[f"{key}:sig"] = sig


def kept() -> dict[str, Scenario]:
    """The scenarios kept in this session, by name."""
    return st.session_state.setdefault(SCENARIOS_KEY, {})


def keep(scenario: Scenario) -> None:
    """Keep ``scenario`` under its name (replacing one of the same name)."""
    kept()[scenario.name] = scenario


# ------------------------------------------------------------------ the panel

NAME_KEY, UPLOAD_KEY, ERROR_KEY, LOADED_KEY = "scenario.name", "scenario.upload", "scenario.error", "scenario.loaded"
IN_USE_KEY = "scenario.in_use"  # the name of the scenario last kept, loaded or applied (the report shows it)
CURRENT = "\0current"  # the comparison's "as now" choice; no kept name can be it


def _on_upload(dataset: data.Dataset) -> None:
    """Load the uploaded scenario; on any error keep it to show and leave the session as it was."""
    ss = st.session_state
    ss.pop(ERROR_KEY, None)
    file = data.uploaded(UPLOAD_KEY)
    if file is None:
        return
    try:
        scenario = Scenario.from_json(file.getvalue())
    except FunnelError as err:
        ss[ERROR_KEY] = err
        return
    apply(scenario, dataset)
    keep(scenario)
    ss[LOADED_KEY] = ss[IN_USE_KEY] = scenario.name or file.name


def _on_keep(dataset: data.Dataset) -> None:
    name = str(st.session_state.get(NAME_KEY) or "").strip() or tr("scenario.default_name", n=len(kept()) + 1)
    keep(capture(dataset, name))
    st.session_state[IN_USE_KEY] = name
    st.session_state[NAME_KEY] = tr("scenario.default_name", n=len(kept()) + 1)


def _on_apply(dataset: data.Dataset, name: str) -> None:
    apply(kept()[name], dataset)
    st.session_state[LOADED_KEY] = st.session_state[IN_USE_KEY] = name


@st.cache_data(scope="session", show_spinner=False, max_entries=16)
def _figures(deals: pd.DataFrame, history: pd.DataFrame | None, config_json: str, scenario_json: str):
    from funnel_model.config import FunnelConfig

    return key_figures(deals, history, FunnelConfig.from_json(config_json), Scenario.from_json(scenario_json))


def figures(dataset: data.Dataset, scenario: Scenario) -> dict[str, float]:
    """``key_figures`` of ``scenario`` on the session's data (cached per session)."""
    return _figures(dataset.deals, dataset.history, dataset.inferred_config.to_json(), scenario.to_json())


def _shown(figure: str, value: float) -> str:
    if figure in ("p_plan", "cost_of_sales_a", "cost_of_sales_b"):
        return percent(value, lang())
    if figure == "leads":
        return number(value, lang(), 1 if 0 < abs(value) < 10 else 0)
    return money(value, lang(), currency())


def scenario_panel(dataset: data.Dataset) -> None:
    """Save, load, keep and compare scenarios (every assumption of the session)."""
    ss = st.session_state
    st.header(tr("scenario.header"))
    st.caption(tr("scenario.intro"))
    ss.setdefault(NAME_KEY, tr("scenario.default_name", n=len(kept()) + 1))
    name_col, keep_col = st.columns([3, 1], vertical_alignment="bottom")
    name_col.text_input(tr("scenario.name"), key=NAME_KEY, max_chars=80)
    keep_col.button(tr("scenario.keep"), key="scenario.keep", on_click=_on_keep, args=(dataset,), width="stretch")
    current = capture(dataset, str(ss.get(NAME_KEY) or "").strip())
    save_col, load_col = st.columns(2)
    save_col.download_button(
        tr("scenario.save"),
        current.to_json().encode("utf-8"),
        file_name="scenario.json",
        mime="application/json",
        key="scenario.save",
        on_click="ignore",
    )
    load_col.file_uploader(tr("scenario.load"), type=["json"], key=UPLOAD_KEY, on_change=_on_upload, args=(dataset,))
    error = ss.get(ERROR_KEY)
    if error is not None:
        st.error(tr("scenario.load_failed", reason=error.message(lang())))
    loaded = ss.pop(LOADED_KEY, None)
    if loaded:
        st.success(tr("scenario.loaded", name=loaded))
    names = list(kept())
    if not names:
        st.info(tr("scenario.none_kept"))
        return
    pick_col, apply_col = st.columns([3, 1], vertical_alignment="bottom")
    chosen = pick_col.selectbox(tr("scenario.kept"), names, key="scenario.pick")
    apply_col.button(
        tr("scenario.apply"), key="scenario.apply", on_click=_on_apply, args=(dataset, chosen), width="stretch"
    )
    _comparison(dataset, current, names)


def _comparison(dataset: data.Dataset, current: Scenario, names: list[str]) -> None:
    st.subheader(tr("scenario.compare"))
    choices = [CURRENT, *names]
    label = {CURRENT: tr("scenario.current")} | {n: n for n in names}
    left, right = st.columns(2)
    one = left.selectbox(tr("scenario.compare_one"), choices, key="scenario.compare_one", format_func=label.get)
    two = right.selectbox(
        tr("scenario.compare_two"),
        choices,
        index=min(1, len(choices) - 1),
        key="scenario.compare_two",
        format_func=label.get,
    )
    pair = [current if c == CURRENT else kept()[c] for c in (one, two)]
    values = [figures(dataset, s) for s in pair]
    rows = [
        {
            tr("scenario.figure"): tr(f"scenario.figure.{f}"),
            label[one]: _shown(f, values[0][f]),
            label[two] + (" " if one == two else ""): _shown(f, values[1][f]),
        }
        for f in FIGURES
    ]
    show_table(pd.DataFrame(rows), hide_index=True, width="stretch", key="scenario.comparison")
    st.caption(tr("scenario.compare_note"))
