"""Compensation: two plans side by side on the same sellers and the same data.

Plan A and plan B are edited from presets; each seller's target and
condition results are tables. The page shows pay from actuals, the pay curves,
next period's pay from each seller's forecast (deal probabilities as the
Forecast page computes them: stage rates by default, sellers' own estimates
or the Forecast page's what-if rates when ticked) and the company's cost of
sales, and stores plan A in ``st.session_state["compensation.plan_a"]`` for
the rejection-math page.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from funnel_model import compensation as comp
from funnel_model.charts.compensation import pay_breakdown_chart, pay_curve_chart, pay_forecast_chart
from funnel_model.errors import CompensationPlanError
from funnel_model.forecast_views import slider_probabilities
from funnel_model.formatting import date, number, percent, signed
from funnel_model.period import Period, period_win_probabilities
from funnel_model.schema import WON
from ui import data
from ui import period as period_ui
from ui.charts import show_chart
from ui.downloads import download_table
from ui.formats import money, money_input
from ui.guard import guarded
from ui.i18n import error_text, lang, md, tr, tr_text
from ui.specs import chart_spec
from ui.tables import show_table

PLANS = ("a", "b")
DEFAULT_PRESET = {"a": "mix_50_50", "b": "fixed_heavy"}
STORE = {"a": "compensation.plan_a", "b": "compensation.plan_b"}
PLAN_LABEL = {"a": "compensation.plan_a", "b": "compensation.plan_b"}
SCALARS = (
    "base",
    "basis",
    "target_bonus",
    "threshold",
    "mode",
    "use_cap",
    "cap",
    "new_product_rate",
    "markers",
    "new_products",
    "new_client_bonus",
    "from_base",
)
PAY_COLUMNS = (
    "target",
    "revenue",
    "attainment",
    "new_revenue",
    "new_clients",
    "fixed",
    "plan_pay",
    "new_product_pay",
    "new_client_pay",
    "variable",
    "penalty",
    "total",
    "cut_share",
)
EDIT_MONEY = "%.0f"  # editable cells: no thousands separator rather than an English one in Russian
SHARE_COLUMNS = ("attainment", "cut_share", "p_threshold", "p_target")
COUNT_COLUMNS = ("new_clients",)
PERIOD_FROM, PERIOD_TO = "compensation.period_from", "compensation.period_to"
LOOKBACK_MONTHS = 12  # default targets: the sellers' average over this many months before the period
DEFAULT_MONTHLY_TARGET = 1_000_000.0  # a placeholder target when no seller has any won revenue to go by
OWN_KEY = "compensation.own"
WHATIF_KEY = "compensation.whatif"
ss = st.session_state


# --------------------------------------------------------------------------- plan <-> widgets


def _prefix(x: str) -> str:
    return f"compensation.{x}"


def _widget_values(plan: comp.CompensationPlan) -> dict[str, object]:
    """Widget values showing ``plan`` (percentages shown as 0..100)."""
    v = plan.variable
    return {
        "base": float(plan.fixed.base),
        "basis": v.basis.value,
        "target_bonus": float(v.target_bonus),
        "threshold": v.threshold * 100,
        "mode": v.mode.value,
        "use_cap": v.cap is not None,
        "cap": (v.cap if v.cap is not None else 2.0) * 100,
        "new_product_rate": v.new_product_rate * 100,
        "markers": ", ".join(v.new_product_markers),
        "new_products": list(v.new_products),
        "new_client_bonus": float(v.new_client_bonus),
        "from_base": plan.penalty.from_base,
    }


def _tiers_table(plan: comp.CompensationPlan) -> pd.DataFrame:
    tiers = plan.variable.tiers
    return pd.DataFrame({"start": [t.start * 100 for t in tiers], "rate": [t.rate for t in tiers]}, dtype=float)


def _conditions_table(plan: comp.CompensationPlan) -> pd.DataFrame:
    by_condition = {d.condition: d for d in plan.penalty.deductions}
    rows = []
    for c in plan.fixed.conditions:
        d = by_condition.get(c.name)
        kind = d.kind.value if d else comp.DeductionKind.AMOUNT.value
        value = 0.0 if d is None else d.value * (100 if d.kind == comp.DeductionKind.BONUS_SHARE else 1)
        rows.append((c.name, c.measure, kind, value))
    table = pd.DataFrame(rows, columns=["condition", "measure", "kind", "value"])
    return table.astype({"condition": "str", "measure": "str", "kind": "str", "value": "float64"})


def _load_into_widgets(x: str, plan: comp.CompensationPlan) -> None:
    """Make the widgets of plan ``x`` show ``plan`` (callbacks and first visit only)."""
    p = _prefix(x)
    for name, value in _widget_values(plan).items():
        ss[f"{p}.{name}"] = value
    ss[STORE[x]] = plan
    for editor in ("tiers", "conditions"):
        ss.pop(f"{p}.{editor}", None)
        ss.pop(f"{p}.{editor}:saved", None)


def _apply_preset(x: str) -> None:
    _load_into_widgets(x, comp.preset(ss[f"{_prefix(x)}.preset"], lang()))


def _load_uploaded(x: str) -> None:
    """Put an uploaded plan file into the widgets of plan ``x``, or keep its error to show."""
    p = _prefix(x)
    upload = data.uploaded(f"{p}.upload")
    ss.pop(f"{p}.upload_error", None)
    if upload is None:
        return
    try:
        plan = comp.CompensationPlan.from_json(upload.getvalue())
    except CompensationPlanError as err:
        ss[f"{p}.upload_error"] = err
        return
    _load_into_widgets(x, plan)


def _plan_from_widgets(x: str, tiers: pd.DataFrame, conditions: pd.DataFrame, target: float) -> comp.CompensationPlan:
    p = _prefix(x)
    w = {name: ss[f"{p}.{name}"] for name in SCALARS}
    tiers = tiers.dropna(how="all").sort_values("start", kind="stable")
    conditions = conditions.replace("", np.nan).dropna(how="all")
    names = conditions["condition"].fillna("").astype(str).str.strip()
    deductions = []
    for name, row in zip(names, conditions.itertuples(), strict=True):
        value = float(row.value) if pd.notna(row.value) else 0.0
        if value > 0 and name:
            kind = comp.DeductionKind(row.kind if pd.notna(row.kind) else "amount")
            deductions.append(
                comp.Deduction(name, kind, value / 100 if kind == comp.DeductionKind.BONUS_SHARE else value)
            )
    measures = conditions["measure"].where(conditions["measure"].notna(), "").astype(str)
    return comp.CompensationPlan(
        name=x.upper(),
        fixed=comp.FixedPart(
            float(w["base"] or 0.0),
            tuple(comp.Condition(n, m) for n, m in zip(names, measures, strict=True)),
        ),
        variable=comp.VariablePart(
            basis=comp.Basis(w["basis"]),
            target_bonus=float(w["target_bonus"] or 0.0),
            threshold=float(w["threshold"] or 0.0) / 100,
            tiers=tuple(
                comp.Tier(float(s) / 100, float(r)) for s, r in zip(tiers["start"], tiers["rate"], strict=True)
            ),
            mode=comp.TierMode(w["mode"]),
            cap=float(w["cap"]) / 100 if w["use_cap"] and w["cap"] is not None else None,
            new_product_rate=float(w["new_product_rate"] or 0.0) / 100,
            new_product_markers=tuple(m.strip() for m in str(w["markers"] or "").split(",") if m.strip()),
            new_products=tuple(w["new_products"] or ()),
            new_client_bonus=float(w["new_client_bonus"] or 0.0),
        ),
        penalty=comp.PenaltyPart(tuple(deductions), from_base=bool(w["from_base"])),
        target=target,
    )


def _editor(key: str, make_base, sig=None, **kwargs) -> pd.DataFrame:
    """A data editor whose edits survive a page switch.

    Streamlit drops a widget's state when its page is left; the last edited
    table is kept under ``<key>:saved`` and becomes the editor's data on the
    next visit. A new ``sig`` (other sellers, other columns) starts afresh.
    """
    base_key, sig_key, saved_key = f"{key}:base", f"{key}:sig", f"{key}:saved"
    if ss.get(sig_key) != sig:
        ss.pop(key, None)
        ss.pop(saved_key, None)
    if key not in ss or base_key not in ss:
        saved = ss.get(saved_key)
        ss[base_key] = saved if saved is not None else make_base()
    ss[sig_key] = sig
    edited = st.data_editor(ss[base_key], key=key, **kwargs)
    ss[saved_key] = edited
    return edited


def _plan_editor(x: str, products: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Widgets of plan ``x``; returns the tiers and conditions tables as edited.

    ``products`` are the data's product names, offered as new services.
    """
    p = _prefix(x)
    if STORE[x] not in ss or f"{p}.base" not in ss:
        stored = ss.get(STORE[x]) or comp.preset(DEFAULT_PRESET[x], lang())
        _load_into_widgets(x, stored)
        ss.setdefault(f"{p}.preset", DEFAULT_PRESET[x])
    keep = {"persist_state": "session"}
    st.subheader(tr(PLAN_LABEL[x]))
    st.selectbox(
        tr("compensation.preset"),
        comp.PRESETS,
        key=f"{p}.preset",
        format_func={name: tr_text(f"compensation.preset.{name}") for name in comp.PRESETS}.__getitem__,
        on_change=_apply_preset,
        args=(x,),
        **keep,
    )
    with st.expander(tr("compensation.load_plan")):
        st.file_uploader(
            tr("compensation.load_plan"),
            type=["json"],
            key=f"{p}.upload",
            on_change=_load_uploaded,
            args=(x,),
            label_visibility="collapsed",
        )
    if f"{p}.upload_error" in ss:
        st.error(error_text(ss[f"{p}.upload_error"]))
    variable_tab, fixed_tab = st.tabs([tr("compensation.variable_part"), tr("compensation.fixed_part")])
    with variable_tab:
        st.radio(
            tr("compensation.basis"),
            [b.value for b in comp.Basis],
            key=f"{p}.basis",
            format_func={b.value: tr_text(f"compensation.basis.{b.value}") for b in comp.Basis}.__getitem__,
            **keep,
        )
        money_input(tr("compensation.target_bonus"), f"{p}.target_bonus")
        st.number_input(
            tr("compensation.threshold"),
            min_value=0.0,
            step=5.0,
            key=f"{p}.threshold",
            format="%.1f",
            help=tr("compensation.threshold_help"),
            **keep,
        )
        st.radio(
            tr("compensation.mode"),
            [m.value for m in comp.TierMode],
            key=f"{p}.mode",
            format_func={m.value: tr_text(f"compensation.mode.{m.value}") for m in comp.TierMode}.__getitem__,
            **keep,
        )
        st.caption(tr("compensation.tiers"))
        tiers = _editor(
            f"{p}.tiers",
            lambda: _tiers_table(ss[STORE[x]]),
            num_rows="dynamic",
            hide_index=True,
            column_config={
                "start": st.column_config.NumberColumn(tr("compensation.tier_start"), min_value=0.0, format="%.0f %%"),
                "rate": st.column_config.NumberColumn(
                    tr("compensation.tier_rate"), min_value=0.0, format="%.3f", help=tr("compensation.tier_rate_help")
                ),
            },
        )
        cap_on = st.checkbox(tr("compensation.use_cap"), key=f"{p}.use_cap", **keep)
        st.number_input(
            tr("compensation.cap"), min_value=1.0, step=10.0, key=f"{p}.cap", format="%.1f", disabled=not cap_on, **keep
        )
        st.number_input(
            tr("compensation.new_product_rate"),
            min_value=0.0,
            step=0.5,
            key=f"{p}.new_product_rate",
            format="%.1f",
            **keep,
        )
        st.text_input(tr("compensation.new_product_markers"), key=f"{p}.markers", **keep)
        chosen = list(ss.get(f"{p}.new_products") or [])
        st.multiselect(
            tr("compensation.new_products"),
            sorted(set(products) | set(chosen)),  # a loaded plan may name products this data lacks
            key=f"{p}.new_products",
            placeholder=tr("widget.choose"),
            **keep,
        )
        money_input(tr("compensation.new_client_bonus"), f"{p}.new_client_bonus")
    with fixed_tab:
        money_input(tr("compensation.base"), f"{p}.base")
        st.caption(tr("compensation.penalty_part"))
        conditions = _editor(
            f"{p}.conditions",
            lambda: _conditions_table(ss[STORE[x]]),
            num_rows="dynamic",
            hide_index=True,
            column_config={
                "condition": st.column_config.TextColumn(tr("compensation.condition")),
                "measure": st.column_config.TextColumn(tr("compensation.measure")),
                "kind": st.column_config.SelectboxColumn(
                    tr("compensation.deduction_kind"),
                    options=[k.value for k in comp.DeductionKind],
                    format_func=lambda k: tr(f"compensation.kind.{k}"),
                    default=comp.DeductionKind.AMOUNT.value,
                ),
                "value": st.column_config.NumberColumn(
                    tr("compensation.deduction_value"), min_value=0.0, default=0.0, format=EDIT_MONEY
                ),
            },
        )
        st.checkbox(tr("compensation.from_base"), key=f"{p}.from_base", **keep)
    return tiers, conditions


# --------------------------------------------------------------------------- computations


@data.view_cache(max_entries=8)
def _forecast(
    plan_json: str,
    key: str,
    _deals: pd.DataFrame,
    targets: pd.Series,
    probabilities: pd.Series,
    months: float,
    conditions,
):
    """Pay forecast of one plan, cached per session under the dataset's ``key`` (the deal table is not hashed)."""
    plan = comp.CompensationPlan.from_json(plan_json)
    return comp.pay_distribution(
        plan, _deals, targets, probabilities, months=months, conditions=conditions, memo=_outcomes_memo
    )


def _outcomes_memo(key: tuple, build):
    """The pay forecast's plan-free part (revenue distributions, joint draws: seconds at 100,000 deals),
    shared by both plans and kept for a plan's edits and the period before."""
    return data.session_memo(f"compensation.{key[0]}", data.content_key(key), build, keep=2)


def _forecast_page_rates(stages: pd.DataFrame) -> np.ndarray | None:
    """The Forecast page's what-if stage probabilities, if its sliders are in the session.

    The keys are the Forecast page's slider keys (``slider_key`` in
    pages/forecast.py), in percent; None unless every stage has one.
    """
    keys = [
        f"forecast.p.{row.funnel}.{row.part}.{row.stage}" if row.part else f"forecast.p.{row.funnel}.{row.stage}"
        for row in stages.itertuples()
    ]
    if not keys or any(ss.get(k) is None for k in keys):
        return None
    return slider_probabilities(stages, [ss[k] for k in keys])


def _show(table: pd.DataFrame, labels: dict[str, str], **kwargs) -> None:
    """``table`` with headers ``labels`` through ``ui.tables.show_table``: numbers written as
    the UI language writes them, the cells still numbers (columns sort as numbers)."""
    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    show_table(
        table.rename(columns=labels),
        amounts=[labels.get(c, c) for c in numeric if c not in SHARE_COLUMNS and c not in COUNT_COLUMNS],
        counts=[labels.get(c, c) for c in numeric if c in COUNT_COLUMNS],
        shares=[labels.get(c, c) for c in numeric if c in SHARE_COLUMNS or c == "cost_of_sales"],
        **kwargs,
    )


def _pay_labels() -> dict[str, str]:
    """The pay table's column headers in the UI language."""
    return {"plan": tr("compensation.plan"), "seller": tr("compensation.seller")} | {
        c: tr(f"compensation.col.{c}") for c in PAY_COLUMNS
    }


def _xlsx_formats(table: pd.DataFrame, labels: dict[str, str]) -> dict[str, str]:
    """XLSX number formats of ``table``'s numeric columns under their shown headers."""

    def kind(column: str) -> str:
        if column in SHARE_COLUMNS or column == "cost_of_sales":
            return "percent"
        return "count" if column in COUNT_COLUMNS else "money"

    numeric = [c for c in table.columns if pd.api.types.is_numeric_dtype(table[c])]
    return {labels.get(c, c): kind(c) for c in numeric}


def _month_name(label: str) -> str:
    """A "2026-10" month as the UI language writes it: «10.2026», "Oct 2026"."""
    month = pd.Period(label, "M")
    return month.strftime("%m.%Y") if lang() == "ru" else month.strftime("%b %Y")


def _period_months(labels: list[str], default: str) -> tuple[str, str]:
    """First and last month of the pay period: two pickers, so one month never reads "2026-10 2026-10"."""
    one, two = st.columns(2)
    names = {m: _month_name(m) for m in labels}  # bound now: AppTest calls a format_func again outside the run
    ss.setdefault(PERIOD_FROM, default)
    first = one.selectbox(
        tr("compensation.period_from"), labels, key=PERIOD_FROM, format_func=names.__getitem__, persist_state="session"
    )
    later = labels[labels.index(first) :]
    if ss.get(PERIOD_TO) not in later:
        ss[PERIOD_TO] = first
    last = two.selectbox(
        tr("compensation.period_to"), later, key=PERIOD_TO, format_func=names.__getitem__, persist_state="session"
    )
    return first, last


def _delta(text: str) -> str:
    """Streamlit reads a delta as negative only from an ASCII minus; formatting writes a true minus."""
    return "-" + text[1:] if text.startswith("\u2212") else text


# --------------------------------------------------------------------------- page

st.title(tr("page.compensation"))
st.caption(tr("compensation.intro"))

with guarded():
    dataset = data.current()
    sellers = data.session_memo(
        "compensation.sellers", dataset.key, lambda: sorted(dataset.deals["owner"].dropna().astype(str).unique())
    )
    if not sellers:
        st.info(tr("compensation.no_sellers", owner=tr("data.field.owner")))
        st.stop()
    # pay counts won deals by close date; exports without one (Bitrix24) get a substitute, stated below
    deals, dated_by = data.session_memo("compensation.dated", dataset.key, lambda: comp.date_won_deals(dataset.deals))
    fields = {
        "closed": tr("data.field.closed_at"),
        "expected": tr("data.field.expected_close_at"),
        "created": tr("data.field.created_at"),
    }
    has_won = bool((deals["status"] == WON).any())
    if not has_won:
        st.info(tr("compensation.no_won"))
    dates = data.session_memo("compensation.dates", dataset.key, lambda: comp.period_dates(deals))
    # the won deals as arrays once per dataset: each period and plan then reads them, not the table
    won = data.session_memo("compensation.won", dataset.key, lambda: comp.won_deals(deals))
    if dates.empty:
        st.info(tr("compensation.no_dates" if has_won else "compensation.no_deal_dates", **fields))
        st.stop()

    products = data.session_memo(
        "compensation.products", dataset.key, lambda: sorted(deals["product"].dropna().astype(str).unique())
    )
    columns = st.columns(2, gap="large")
    edited = {}
    for x, column in zip(PLANS, columns, strict=True):
        with column:
            edited[x] = _plan_editor(x, products)

    st.divider()
    labels = [str(m) for m in comp.close_months(dates)]
    for key in (PERIOD_FROM, PERIOD_TO):
        if key in ss and ss[key] not in labels:
            del ss[key]  # months of another dataset
    if len(labels) == 1:  # one month: say it, no control to pick it
        first = last = labels[0]
        st.markdown(tr("compensation.period_single", month=first))
    else:
        first, last = _period_months(labels, str(comp.default_month(dates)))
    start = pd.Period(first, "M").start_time
    end = (pd.Period(last, "M") + 1).start_time
    months = comp.period_months(start, end)
    st.caption(
        tr(
            "compensation.period_caption",
            months=number(months, lang(), 0 if months == round(months) else 1),
            start=date(start, lang()),
            end=date(end - pd.Timedelta(days=1), lang()),
        )
    )
    note_keys = {
        "expected_close_at": "compensation.dated_by_expected",
        "created_at": "compensation.dated_by_created",
        "undated": "compensation.undated",
    }
    notes = [tr(note_keys[source], count=n, **fields) for source, n in dated_by.items() if n]
    if notes:
        st.info("  \n".join([*notes, tr("compensation.dated_note")]), icon="📅")

    left, right = st.columns([2, 3], gap="large")
    with left:
        st.markdown(f"**{tr('compensation.targets')}**")
        targets_table = _editor(
            "compensation.targets",
            lambda: comp.default_targets(
                won, start, months, LOOKBACK_MONTHS, default_monthly=DEFAULT_MONTHLY_TARGET
            ).to_frame(),
            sig=(tuple(sellers), months, first),
            column_config={
                "_index": st.column_config.TextColumn(tr("compensation.seller"), disabled=True),
                "target": st.column_config.NumberColumn(
                    tr("compensation.col.target"), min_value=0.0, format=EDIT_MONEY
                ),
            },
        )
        st.caption(tr("compensation.targets_help", lookback=LOOKBACK_MONTHS))
        without = data.session_memo(
            "compensation.without",
            (dataset.key, start),
            lambda: comp.sellers_without_history(won, start, LOOKBACK_MONTHS),
        )
        if len(without) == len(sellers):
            amount = money(DEFAULT_MONTHLY_TARGET)
            st.caption(tr("compensation.targets_fallback_fixed", lookback=LOOKBACK_MONTHS, amount=amount))
        elif without:
            st.caption(tr("compensation.targets_fallback_median", lookback=LOOKBACK_MONTHS, count=len(without)))
    targets = targets_table["target"].astype(float)
    # the typical seller's target: the pay curves are drawn for it, and it is
    # plan A's default target for the rejection-math page
    reference = comp.reference_target(targets, months)
    plans = {x: _plan_from_widgets(x, *edited[x], target=reference / months) for x in PLANS}
    ss[STORE["a"]], ss[STORE["b"]] = plans["a"], plans["b"]

    condition_names = list(dict.fromkeys(c.name for plan in plans.values() for c in plan.fixed.conditions))
    with right:
        st.markdown(f"**{tr('compensation.conditions')}**")
        results = _editor(
            "compensation.conditions",
            lambda: pd.DataFrame(True, index=pd.Index(sellers, name="seller"), columns=condition_names),
            sig=(tuple(sellers), tuple(condition_names)),
            column_config={"_index": st.column_config.TextColumn(tr("compensation.seller"), disabled=True)}
            | {name: st.column_config.CheckboxColumn(name) for name in condition_names},
        )

    pay = {
        x: data.session_memo(
            f"compensation.pay.{x}",
            (dataset.key, plans[x].to_json(), data.content_key(targets, results), start, end, months),
            lambda x=x: comp.pay_from_actuals(plans[x], won, targets, start, end, conditions=results, months=months),
        )
        for x in PLANS
    }
    names = {x: tr(PLAN_LABEL[x]) for x in PLANS}
    long = pd.concat([pay[x][list(PAY_COLUMNS)].reset_index().assign(plan=names[x]) for x in PLANS], ignore_index=True)[
        ["plan", "seller", *PAY_COLUMNS]
    ]

    # ---- labour law
    warnings = [w for x in PLANS for w in comp.labour_law_warnings(plans[x], pay[x], months)]
    for w in warnings:
        # the seller's name is the user's text: escaped, the message itself is Markdown
        shown = replace(w, seller=md(w.seller)) if w.seller is not None else w
        st.warning(shown.message(lang()), icon="⚖️")
    if not warnings:
        st.caption(tr("compensation.no_warnings", limit=percent(comp.DISCIPLINARY_CUT_LIMIT, lang(), 0)))

    # ---- company
    st.header(tr("compensation.company"))
    company = comp.compare_plans({names[x]: pay[x] for x in PLANS})
    a, b = (company.loc[names[x]] for x in PLANS)
    m = st.columns(4)
    m[0].metric(f"{tr('compensation.total_pay')} · A", money(a["total"]))
    m[1].metric(
        f"{tr('compensation.total_pay')} · B",
        money(b["total"]),
        delta=_delta(signed(b["total"] - a["total"], lang())),
        delta_color="inverse",
    )
    m[2].metric(
        f"{tr('compensation.cost_of_sales')} · A",
        percent(a["cost_of_sales"], lang()),
        help=tr("compensation.cost_of_sales_help"),
    )
    both = np.isfinite(a["cost_of_sales"]) and np.isfinite(b["cost_of_sales"])
    m[3].metric(
        f"{tr('compensation.cost_of_sales')} · B",
        percent(b["cost_of_sales"], lang()),
        delta=_delta(tr("compensation.pp", value=signed(100 * (b["cost_of_sales"] - a["cost_of_sales"]), lang(), 1)))
        if both
        else None,
        delta_color="inverse",
        help=tr("compensation.cost_of_sales_help"),
    )
    company_labels = {c: tr(f"compensation.metric.{c}") for c in company.columns}
    company_shown = company.rename(columns=company_labels)
    _show(company, company_labels, key="compensation.company_table")

    # ---- per seller
    st.header(tr("compensation.pay_actuals"))
    part_names = {k: tr(f"compensation.part.{k}") for k in ("fixed", "variable", "penalty")}
    parts = pd.concat(
        [comp.pay_parts(pay[x]).assign(plan=names[x]) for x in PLANS],
        ignore_index=True,
    )
    parts["part"] = parts["part"].map(part_names)
    chart_labels = {
        "seller": tr("compensation.seller"),
        "plan": tr("compensation.plan"),
        "part": tr("compensation.part"),
        "amount": tr("compensation.pay"),
    }
    show_chart(
        chart_spec(pay_breakdown_chart, parts, chart_labels, tuple(part_names.values()), lang()),
        width="stretch",
        name="pay_breakdown",
        title=tr("compensation.pay_actuals"),
    )
    pay_labels = _pay_labels()
    shown = long.rename(columns=pay_labels)
    with st.container(key="compensation.pay_table"):
        _show(long, pay_labels, hide_index=True)

    download_table(
        shown,
        "pay",
        "compensation.download",
        labels=(tr("compensation.download_csv"), tr("compensation.download_xlsx")),
        formats=_xlsx_formats(long, pay_labels) | _xlsx_formats(company, company_labels),
        sheets={"pay": shown, "company": company_shown.rename_axis(tr("compensation.plan")).reset_index()},
        deferred=True,  # a workbook costs tens of milliseconds: written on the click, not on every period change
    )

    # ---- pay curves
    st.header(tr("compensation.pay_curves"))
    upto = comp.curve_extent(plans.values(), long["attainment"])
    curves = pd.concat(
        [comp.pay_curve(plans[x], target=reference, months=months, upto=upto).assign(plan=names[x]) for x in PLANS],
        ignore_index=True,
    )
    points = pd.concat(
        [comp.curve_positions(plans[x], pay[x], reference, months, upto).assign(plan=names[x]) for x in PLANS],
        ignore_index=True,
    )
    curve_labels = {
        "attainment": tr("compensation.col.attainment"),
        "pay": tr("compensation.pay"),
        "plan": tr("compensation.plan"),
        "seller": tr("compensation.seller"),
        "actual": tr("compensation.col.total"),
    }
    show_chart(
        chart_spec(pay_curve_chart, curves, points, curve_labels, lang()),
        width="stretch",
        name="pay_curves",
        title=tr("compensation.pay_curves"),
    )
    modes = "; ".join(f"{names[x]}: {tr(f'compensation.mode.{plans[x].variable.mode.value}')}" for x in PLANS)
    st.caption(tr("compensation.curve_caption", target=money(reference), modes=modes))

    # ---- next period from the forecast
    st.header(tr("compensation.forecast"))
    next_start, next_end = comp.next_period(deals, months)
    # the forecast reads open deals only: the undated deals as imported, as the Forecast page has them
    inputs = dataset.prepared.forecast
    whatif = _forecast_page_rates(inputs.stages)
    choices = st.columns(2)
    own = choices[0].checkbox(
        tr("compensation.own"), key=OWN_KEY, help=tr("compensation.own_help"), persist_state="session"
    )
    use_whatif = whatif is not None and choices[1].checkbox(
        tr("compensation.whatif"), key=WHATIF_KEY, help=tr("compensation.whatif_help"), persist_state="session"
    )
    stage_p = whatif if use_whatif else None
    # won within the pay period, counted as the Forecast page's plan for that period counts it
    by_date = bool(st.session_state.get(period_ui.BY_DATE_KEY, False))
    probabilities = data.session_memo(
        "compensation.probabilities",
        (dataset.key, None if stage_p is None else tuple(stage_p), own, next_start, next_end, by_date),
        lambda: period_win_probabilities(
            inputs,
            dataset.deals,
            comp.forecast_probabilities(
                dataset.deals, dataset.config, stage_p=stage_p, own=own, inputs=inputs
            ).to_numpy(),
            Period(next_start, next_end - pd.Timedelta(days=1)),
            by_expected_date=by_date,
        ),
        keep=2,
    )
    # seconds at 100,000 deals; kept per settings after (a rerun with no change hashes its inputs once)
    bands = data.session_memo(
        "compensation.bands",
        (
            dataset.key,
            tuple(plans[x].to_json() for x in PLANS),
            tuple(names.values()),
            data.content_key(targets, results, probabilities),
            months,
        ),
        lambda: pd.concat(
            [
                comp.forecast_bands(
                    _forecast(plans[x].to_json(), dataset.key, deals, targets, probabilities, months, results)
                ).assign(plan=names[x])
                for x in PLANS
            ],
            ignore_index=True,
        ),
        keep=2,
        progress=tr("compensation.forecast_progress"),
    )
    source = "whatif" if use_whatif else "stages"
    st.caption(
        tr(
            "compensation.forecast_caption",
            start=date(next_start, lang()),
            end=date(next_end - pd.Timedelta(days=1), lang()),
            # the same short amount with currency as the Forecast page's "open deals" part
            expected=period_ui.money(float(bands.loc[bands["plan"] == names[PLANS[0]], "expected"].sum())),
            timing=tr(f"compensation.timing.{'by_date' if by_date else 'history'}"),
            source=tr(f"compensation.source.{source}{'_own' if own else ''}"),
        )
    )
    band_labels = {
        "seller": tr("compensation.seller"),
        "plan": tr("compensation.plan"),
        "pay": tr("compensation.pay"),
        "p10": "P10",
        "p50": "P50",
        "p90": "P90",
    }
    show_chart(
        chart_spec(pay_forecast_chart, bands, band_labels, lang()),
        width="stretch",
        name="pay_forecast",
        title=tr("compensation.forecast"),
    )
    forecast_cols = {
        "plan": tr("compensation.plan"),
        "seller": tr("compensation.seller"),
        "revenue_p50": tr("compensation.col.revenue_p50"),
        "p10": tr("compensation.col.pay_p10"),
        "p50": tr("compensation.col.pay_p50"),
        "p90": tr("compensation.col.pay_p90"),
        "p_threshold": tr("compensation.col.p_threshold"),
        "p_target": tr("compensation.col.p_target"),
    }
    _show(bands[list(forecast_cols)], forecast_cols, hide_index=True, key="compensation.forecast_table")

    # ---- save the plans
    saves = st.container(horizontal=True)
    for x in PLANS:
        saves.download_button(
            f"{tr('compensation.download_plan')} · {x.upper()}",
            plans[x].to_json().encode("utf-8"),
            file_name=f"plan_{x}.json",
            mime="application/json",
            key=f"{_prefix(x)}.download",
        )
