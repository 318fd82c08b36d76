"""Forecast & plan page: revenue distribution of the open pipeline, what-if per stage, close months, reverse funnel.

Thin: numbers come from funnel_model.forecast_views. The slow part (stage
rates, close timing) is cached per session; the slider panel and everything
it drives rerun as one fragment.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
import pandas as pd
import streamlit as st

from funnel_model.charts.forecast import (
    bands_chart,
    distribution_chart,
    months_chart,
    reverse_funnel_chart,
)
from funnel_model.forecast import RevenueDistribution, revenue_distribution
from funnel_model.forecast_views import (
    ForecastInputs,
    deal_probabilities,
    forecast_summary,
    month_forecast,
    month_new_leads,
    months_blocker,
    plan_blocker,
    plan_by_funnel,
    rate_uncertainty,
    slider_percent,
    slider_probabilities,
)
from funnel_model.formatting import chance, month, number
from funnel_model.prepared import PreparedDataset
from funnel_model.schema import SEGMENTS
from ui import data
from ui import period as period_view
from ui.charts import show_chart
from ui.formats import currency, money, money_input
from ui.guard import guarded
from ui.i18n import lang, md, tr, tr_text
from ui.moves import panel as moves_panel
from ui.specs import chart_spec

PLAN_KEY = "forecast.plan"
CONFIDENCE_KEY = "forecast.confidence"
OWN_KEY = "forecast.own"
PLAN_MEMO_KEY = "forecast.plan_memo"  # the last reverse funnel, shared by the headline and the plan section
KEPT_KEY = "forecast.kept"  # plans per slider group and moves' own effects, kept while their inputs stay put
MAX_KEPT = 64
METRICS = ("mean", "p10", "p90", "p_plan")  # the tiles: the period headline's four
KEEP = "session"  # assumptions survive a visit to another page


def slider_key(funnel: str, stage: str, part: str = "") -> str:
    """A stage slider; a funnel split by client segment keys each segment's sliders apart."""
    return f"forecast.p.{funnel}.{part}.{stage}" if part else f"forecast.p.{funnel}.{stage}"


def _baseline(inputs: ForecastInputs):
    """Historical-rate distribution, the band with uncertain rates, and the default plan."""
    p = deal_probabilities(inputs, inputs.stages["rate"].to_numpy())
    dist = revenue_distribution(inputs.open_deals["amount"].to_numpy(), p)
    uncertain = rate_uncertainty(inputs)
    median = dist.quantile(0.5)
    plan = float(f"{median:.2g}") if median > 0 else 0.0
    return dist, uncertain, plan


def _pct(x: float) -> str:
    """A chance, never a misleading 0.0 % or 100.0 % for one that is only close (the app's one rule)."""
    return chance(x, lang())


def format_amount(x: float) -> str:
    """An amount with the session's currency."""
    return money(x)


def _count(x: float) -> str:
    return "∞" if not np.isfinite(x) else number(math.ceil(x - 1e-9), lang())


def _average(x: float) -> str:
    """An average count or rate: one decimal below 10 (0.5 a month is not 0), whole above."""
    if not np.isfinite(x):
        return "∞"
    return number(x, lang(), 1 if abs(x) < 10 and x != round(x) else 0)


def _segment(seg: object) -> str:
    return tr(f"segment.{seg}") if seg in SEGMENTS else "—"


def _reset(stages: pd.DataFrame, column: str) -> None:
    for row, value in zip(stages.itertuples(), slider_percent(stages[column]), strict=True):
        st.session_state[slider_key(row.funnel, row.stage, row.part)] = int(value)


def _slider(row, split: bool) -> int:
    """One stage's slider, labelled with its historical rate; returns its value in percent."""
    rate = f"{100 * row.rate:.0f} %"
    if not row.known:  # lost deals without a loss stage: the history cannot tell this stage's rate
        label = tr("forecast.slider_label_unknown", stage=row.stage, n=row.open)
        help_text = tr("forecast.slider_help_unknown", configured=_pct(row.configured))
    elif row.borrowed:  # few closed deals of this segment: say the rate leans on the whole funnel's
        label = tr("forecast.slider_label_borrowed", stage=row.stage, n=row.open, rate=rate, closed=row.won + row.lost)
        help_text = tr(
            "forecast.slider_help_borrowed",
            won=row.won,
            lost=row.lost,
            funnel_rate=_pct(row.funnel_rate),
            configured=_pct(row.configured),
        )
    else:
        low, high = f"{100 * row.low:.0f}", f"{100 * row.high:.0f}"
        won, closed = number(row.won, lang()), number(row.won + row.lost, lang())
        label = tr(
            "forecast.slider_label",
            stage=row.stage,
            n=row.open,
            rate=rate,
            low=low,
            high=high,
            won=won,
            closed=closed,
        )
        counts = "forecast.slider_help_segment" if split else "forecast.slider_help"
        help_text = tr(counts, won=row.won, lost=row.lost, configured=_pct(row.configured))
    value = st.slider(
        label,
        min_value=0,
        max_value=100,
        step=1,
        format="%d %%",
        key=slider_key(row.funnel, row.stage, row.part),
        persist_state=KEEP,
        help=help_text,
    )
    return value


def _sliders(inputs: ForecastInputs) -> np.ndarray:
    """One slider per group (funnel, or funnel × segment) and stage, in percent; the probabilities in stage order."""
    stages = inputs.stages
    for row, value in zip(stages.itertuples(), slider_percent(stages["configured"]), strict=True):
        st.session_state.setdefault(slider_key(row.funnel, row.stage, row.part), int(value))
    st.subheader(tr("forecast.sliders"), help=tr("forecast.sliders_help"))
    left, right = st.columns(2)
    left.button(tr("forecast.reset"), key="forecast.reset", on_click=_reset, args=(stages, "configured"))
    right.button(tr("forecast.use_history"), key="forecast.use_history", on_click=_reset, args=(stages, "rate"))
    st.checkbox(tr("forecast.own"), key=OWN_KEY, help=tr("forecast.own_help"), persist_state=KEEP)
    values = np.zeros(len(stages))
    for i, group in enumerate(inputs.groups.itertuples()):
        rows = stages[(stages["funnel"] == group.funnel) & (stages["part"] == group.part)]
        label = tr("forecast.funnel_label", funnel=group.funnel, segment=_segment(group.segment), n=group.open)
        with st.expander(label, expanded=i == 0):
            if group.split:  # one funnel, several segments: each group resets on its own too
                one, two = st.columns(2)
                key = f"{group.funnel}.{group.part}"
                one.button(
                    tr("forecast.reset_group"),
                    key=f"forecast.reset.{key}",
                    on_click=_reset,
                    args=(rows, "configured"),
                    help=tr("forecast.reset_group_help"),
                )
                two.button(
                    tr("forecast.use_history_group"),
                    key=f"forecast.use_history.{key}",
                    on_click=_reset,
                    args=(rows, "rate"),
                    help=tr("forecast.use_history_group_help"),
                )
            for row in rows.itertuples():
                values[row.Index] = _slider(row, group.split)
    return slider_probabilities(stages, values)


def _scale(value: float) -> tuple[float, str]:
    """One unit for every metric (from the baseline's E[S]), so the figures stay short."""
    for size, unit in ((1e9, "b"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return size, tr(f"forecast.unit.{unit}")
    return 1.0, ""


def _digits(rows: tuple[dict[str, float], ...], size: float) -> int:
    """One precision for every amount of the metric rows, from the largest: "0" beside "260", never "0.00"."""
    largest = max(abs(row[m]) for row in rows for m in METRICS if m != "p_plan") / size
    return 0 if largest >= 100 else 1 if largest >= 10 else 2


def _metrics(whatif: dict[str, float], base: dict[str, float]) -> None:
    size, unit = _scale(base["mean"])
    digits = _digits((whatif, base), size)
    unit = " ".join(part for part in (unit, currency()) if part)  # «млн ₽»
    suffix = f" · {tr('forecast.amounts_in', unit=unit)}" if unit else ""
    pp = tr("forecast.pp")
    for title, numbers, other in ((tr("forecast.whatif"), whatif, base), (tr("forecast.baseline"), base, None)):
        st.markdown(f"**{title}**{suffix}")
        cols = st.columns(len(METRICS))
        for col, m in zip(cols, METRICS, strict=True):
            shown = _pct(numbers[m]) if m == "p_plan" else number(numbers[m] / size, lang(), digits)
            delta = None
            if other is not None:
                diff = numbers[m] - other[m]
                sign = "+" if diff >= 0 else "-"  # ASCII: st.metric reads the arrow's direction from it
                if m == "p_plan":
                    delta = f"{sign}{number(abs(100 * diff), lang(), 1)} {pp}"
                else:
                    delta = f"{sign}{number(abs(diff) / size, lang(), digits)}"
            col.metric(tr(f"forecast.{m}"), shown, delta, help=tr(f"forecast.{m}_help"))


def _method_note(dist: RevenueDistribution) -> str:
    return tr(f"forecast.method.{dist.method}", step=format_amount(dist.step), error=format_amount(dist.error))


def _span(low: float, high: float) -> str:
    """ "69–83M ₽": one currency sign for both ends."""
    text = period_view.money(high)
    first = period_view.money(low).removesuffix(currency()).strip()
    return text if first == text.removesuffix(currency()).strip() else f"{first}–{text}"


def _all_open_sentence(whatif: dict[str, float], base: dict[str, float], plan: float) -> None:
    """The whole-pipeline section's opening: what every open deal can bring, in words and numbers."""
    st.subheader(tr("forecast.all_title"))
    st.markdown(
        tr(
            "forecast.all_sentence",
            span=_span(whatif["p10"], whatif["p90"]),
            mean=period_view.money(whatif["mean"]),
            plan=period_view.money(plan),
            chance=_pct(whatif["p_plan"]),
            base_mean=period_view.money(base["mean"]),
            base_chance=_pct(base["p_plan"]),
        )
    )


def _how_all(whatif: RevenueDistribution) -> None:
    """The whole-pipeline section's method: the tiles' definitions, the computation, why the second band is wider."""
    with st.expander(tr("period.how")):
        parts = [tr("forecast.how_tiles"), _method_note(whatif) if whatif.method != "mixture" else ""]
        st.markdown("\n\n".join([*filter(None, parts), tr("forecast.bands_why")]))


def _distribution(whatif: RevenueDistribution, base: RevenueDistribution, plan: float) -> None:
    st.subheader(tr("forecast.dist_title"))
    curves = []
    for name, dist in ((tr("forecast.whatif"), whatif), (tr("forecast.baseline"), base)):
        frame = dist.histogram(bins=60)
        frame["series"] = name
        curves.append(frame)
    labels = {
        "revenue": tr("forecast.axis.revenue"),
        "probability": tr("forecast.axis.probability"),
        "series": tr("forecast.axis.series"),
        "plan": tr("forecast.plan_line"),
    }
    show_chart(
        chart_spec(distribution_chart, pd.concat(curves, ignore_index=True), plan, labels, lang()),
        "forecast_distribution",
        title=tr_text("forecast.dist_title"),
        width="stretch",
    )


def _bands(base: RevenueDistribution, uncertain: RevenueDistribution, plan: float) -> None:
    st.subheader(tr("forecast.bands_title"))
    rows = []
    for key, dist in (("independent", base), ("uncertain", uncertain)):
        p10, p50, p90 = dist.quantile([0.1, 0.5, 0.9])
        rows.append({"band": tr(f"forecast.band.{key}"), "p10": p10, "p50": p50, "p90": p90})
    st.markdown(
        tr(
            "forecast.bands_sentence",
            independent=_span(rows[0]["p10"], rows[0]["p90"]),
            uncertain=_span(rows[1]["p10"], rows[1]["p90"]),
        )
    )
    labels = {
        "revenue": tr("forecast.axis.revenue"),
        "band": tr("forecast.axis.band"),
        "plan": tr("forecast.plan_line"),
    }
    show_chart(
        chart_spec(bands_chart, pd.DataFrame(rows), plan, labels, lang()),
        "forecast_bands",
        title=tr_text("forecast.bands_title"),
        width="stretch",
    )


def _months(inputs: ForecastInputs, p: np.ndarray, key: str) -> None:
    st.subheader(tr("forecast.months_title"))
    blocker = months_blocker(inputs)
    if blocker is not None:
        st.info(tr(blocker))
        return
    # the new leads' draws do not move with the sliders: made once per dataset
    leads = data.session_memo("forecast.month_leads", key, lambda: month_new_leads(inputs))
    months = data.session_memo(
        "forecast.months",
        (key, data.content_key(p)),
        lambda: month_forecast(inputs, p, new_leads=leads),
        progress=tr("progress.forecast"),
    )
    later = months["month"].isna()
    shown = months[~later].copy()
    shown["month"] = shown["month"].map(lambda m: month(m, lang()))
    # band of the month's total: quantiles of pipeline plus new leads, not sums of the parts' quantiles
    shown["low"] = shown["total_low"]
    shown["high"] = shown["total_high"]
    labels = {
        "month": tr("forecast.axis.month"),
        "revenue": tr("forecast.axis.revenue"),
        "pipeline": tr("forecast.month.pipeline"),
        "new_leads": tr("forecast.month.new"),
        "source": tr("forecast.axis.source"),
        "band": tr("forecast.axis.band"),
    }
    top = shown["total"].idxmax()
    st.markdown(
        tr(
            "forecast.months_note",
            n=len(shown),
            inflow=_average(inputs.inflow_per_month),
            total=period_view.money(float(shown["total"].sum())),
            top_month=month(months.loc[top, "month"], lang()),
            top=period_view.money(float(shown.loc[top, "total"])),
            later=period_view.money(float(months.loc[later, "pipeline"].sum())),
        )
    )
    show_chart(
        chart_spec(months_chart, shown, labels, lang()),
        "forecast_months",
        title=tr_text("forecast.months_title"),
        width="stretch",
    )
    with st.expander(tr("period.how")):
        st.markdown(tr("forecast.months_how"))


def _plan(inputs: ForecastInputs, stage_p: np.ndarray, p: np.ndarray, plan: float, note: str = "") -> None:
    st.subheader(tr("forecast.plan_title"))
    blocker = plan_blocker(inputs)
    if blocker is not None:  # no deal size to turn revenue into wins
        st.info(tr(blocker))
        return
    if note:
        st.caption(note)
    confidence = st.slider(
        tr("forecast.confidence"),
        50,
        99,
        90,
        format="%d %%",
        key=CONFIDENCE_KEY,
        help=tr("forecast.confidence_help"),
        persist_state=KEEP,
    )
    conf = f"{confidence} %"
    stages, funnels = _plan_tables(inputs, stage_p, p, plan, confidence / 100)
    st.caption(tr("forecast.plan_note"))
    with st.expander(tr("period.how")):
        st.markdown(tr("forecast.plan_how"))
    labels = {
        "stage": tr("forecast.axis.stage"),
        "deals": tr("forecast.axis.deals"),
        "series": tr("forecast.axis.plan_series"),
        "needed_mean": tr("forecast.series.needed_mean"),
        "needed_conf": tr("forecast.series.needed_conf", conf=conf),
        "actual": tr("forecast.series.actual"),
    }
    for i, row in enumerate(funnels.itertuples()):
        table = stages[(stages["funnel"] == row.funnel) & (stages["part"] == row.part)]
        text, chart = st.columns([1, 2], gap="large")
        text.markdown(f"**{md(row.funnel)}** · {_segment(row.segment)}")
        text.caption(
            tr(
                "forecast.plan_funnel",
                target=format_amount(row.target),
                pipeline=format_amount(row.pipeline),
                gap=format_amount(row.gap),
                wins_mean=_average(row.wins_mean),
                wins_conf=_count(row.wins_conf),
                leads_mean=_average(row.leads_mean),
                leads_conf=_count(row.leads_conf),
                conf=conf,
                chance=_pct(row.chance_conf),
            )
        )
        show_chart(
            chart_spec(reverse_funnel_chart, table, labels, lang()),
            f"reverse_funnel_{row.funnel}_{row.segment}",
            title=f"{tr_text('forecast.plan_title')} · {row.funnel} · {_segment(row.segment)}",
            key=f"forecast.reverse.{i}",
            place=chart,
            width="stretch",
        )


def _plan_tables(inputs: ForecastInputs, stage_p: np.ndarray, p: np.ndarray, target: float, confidence: float):
    """:func:`plan_by_funnel`, computed once per rerun for the headline and the reverse funnel (kept per session).

    Each group's plan is kept too: a slider moves one group, and only that group is planned again.
    """
    key = (id(inputs), np.asarray(stage_p).tobytes(), np.asarray(p).tobytes(), float(target), float(confidence))
    memo = st.session_state.get(PLAN_MEMO_KEY)
    if memo is None or memo[0] != key:
        with st.spinner(tr("progress.forecast")):  # seconds at 100,000 deals
            memo = (key, plan_by_funnel(inputs, stage_p, p, target, confidence, memo=_kept()))
        st.session_state[PLAN_MEMO_KEY] = memo
    return memo[1]


def _kept() -> dict:
    """The dataset's kept results under digests of their inputs (each slider group's plan, each move's own
    effect): a slider recomputes only what it reaches. The oldest go when it is full.

    Kept with the dataset's views: the demo's for every session (a digest names exactly what a result was
    computed from, so another session's results are its own too), an upload's for its session.
    """
    kept = data.session_memo(KEPT_KEY, data.current().key, OrderedDict)
    while len(kept) > MAX_KEPT:
        kept.pop(next(iter(kept)), None)  # the oldest first; another session may take the same one
    return kept


def _period_top(inputs: ForecastInputs, deals: pd.DataFrame, stage_p: np.ndarray, p: np.ndarray, plan: float):
    """The period picker, the headline sentence and its tiles; the period's forecast, or None without timing."""
    st.subheader(tr("period.title"))
    blocker = months_blocker(inputs)
    if blocker is not None:
        st.info(tr(blocker))
        return None
    choose, assume = st.columns([1, 1])
    with choose:
        chosen = period_view.picker(inputs.as_of)
    with assume:
        by_date, inflow = period_view.settings(inputs.inflow_per_month)
    forecast = period_view.forecast(inputs, deals, p, chosen, inflow, by_date)
    confidence = st.session_state.get(CONFIDENCE_KEY, 90) / 100
    funnels = None
    if plan_blocker(inputs) is None and plan > forecast.already:
        _, funnels = _plan_tables(inputs, stage_p, forecast.within, plan - forecast.already, confidence)
    period_view.headline(forecast, plan, funnels, confidence)
    return forecast


@st.fragment
def panel(prepared: PreparedDataset, key: str) -> None:
    """Everything the plan and the sliders drive; reruns alone when they move."""
    with guarded():
        deals = prepared.deals
        with st.spinner(tr("progress.forecast")):  # shown only while a new dataset is prepared
            inputs = prepared.forecast
            base, uncertain, default_plan = data.session_memo("forecast.baseline", key, lambda: _baseline(inputs))
        st.session_state.setdefault(PLAN_KEY, default_plan)
        plan = money_input(tr("forecast.plan"), PLAN_KEY, help=tr("forecast.plan_help"))
        top = st.container()  # the period's headline, written once the sliders below are read
        left, right = st.columns([1, 2], gap="large")
        with left:
            stage_p = _sliders(inputs)
        p = deal_probabilities(inputs, stage_p, own=bool(st.session_state.get(OWN_KEY)))
        whatif = data.session_memo(
            "forecast.whatif",
            (key, data.content_key(p)),
            lambda: revenue_distribution(inputs.open_deals["amount"].to_numpy(), p),
            progress=tr("progress.forecast"),
        )
        with top:
            period = _period_top(inputs, deals, stage_p, p, plan)
        with right:
            numbers, historical = forecast_summary(whatif, plan), forecast_summary(base, plan)
            _all_open_sentence(numbers, historical, plan)
            if period is not None:  # the period's tiles above are the plan's; these count every open deal
                st.caption(tr("period.all_open_note"))
            _metrics(numbers, historical)
            _distribution(whatif, base, plan)
            _bands(base, uncertain, plan)
            _how_all(whatif)
        _months(inputs, p, key)
        if period is None:
            _plan(inputs, stage_p, p, plan)
            _moves(prepared, key, plan, stage_p, p, None, whatif)
            return
        target = max(plan - period.already, 0.0)
        note = tr(
            "period.plan_caption",
            dates=period_view.period_dates(period.period),
            already=period_view.money(period.already),
        )
        _plan(inputs, stage_p, period.within, target, note)
        period_view.breakdown_section(period, deals)
        period_view.past_section(deals, period.period, inputs.as_of)
        _moves(prepared, key, plan, stage_p, p, period, whatif)


def _moves(
    prepared: PreparedDataset, key: str, plan: float, stage_p: np.ndarray, p: np.ndarray, period, whatif
) -> None:
    """The moves, set against this page's forecast: the sliders' probabilities and the chosen period.

    The page's forecast and plan (kept by their memos) are handed over, not computed again.
    """
    inputs, confidence = prepared.forecast, st.session_state.get(CONFIDENCE_KEY, 90) / 100
    within, target = (p, plan) if period is None else (period.within, plan - period.already)
    funnels = None
    if plan_blocker(inputs) is None and target > 0:
        _, funnels = _plan_tables(inputs, stage_p, within, target, confidence)
    moves_panel(
        prepared,
        key,
        plan,
        stage_p=stage_p,
        probabilities=p,
        period=period.period if period is not None else None,
        inflow=period.inflow_per_month if period is not None else None,
        by_date=bool(st.session_state.get(period_view.BY_DATE_KEY)),
        confidence=confidence,
        forecast=whatif if period is None else period,
        funnels=funnels,
        memo=_kept(),
    )


st.title(tr("page.forecast"))
with guarded():
    dataset = data.current()
    if dataset.deals.empty:
        st.info(tr("forecast.no_deals"))
        st.stop()
    if not any(f.stages for f in dataset.config.funnels):
        st.info(tr("forecast.no_stages"))
        st.stop()
    n_open = int((dataset.deals["status"] == "open").sum())
    st.caption(tr("forecast.intro", n=n_open))
    if n_open == 0:
        st.info(tr("forecast.no_open"))
panel(dataset.prepared, dataset.key)
