"""The plan for a period on the Forecast & plan page: picker, headline, tiles, backtest, breakdown, comparison.

Numbers come from :mod:`funnel_model.period`; this module lays them out.
The expensive replays (backtest, period comparison) are cached per session
on their inputs. The chosen period sits in ``st.session_state[PERIOD_KEY]``
as JSON ({"kind", "start", "end"}) for scenarios to save.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from funnel_model.charts.period import backtest_chart
from funnel_model.formatting import chance, month, number, percent, short_money
from funnel_model.period import (
    PERIOD_KINDS,
    Period,
    PeriodForecast,
    backtest,
    compare_periods,
    forecast_categories,
    open_deals_of,
    period_bounds,
    period_breakdown,
    plan_for_period,
    risky_deals,
)
from ui import data
from ui.charts import show_chart
from ui.fit import FULL, HALF, fitted
from ui.formats import currency, currency_picker, date
from ui.i18n import lang, tr, tr_text
from ui.specs import chart_spec
from ui.tables import show_table

__all__ = [
    "PERIOD_KEY",
    "backtest_section",
    "breakdown_section",
    "comparison_section",
    "forecast",
    "headline",
    "money",
    "past_section",
    "period_dates",
    "picker",
    "settings",
]

PERIOD_KEY = "period.setting"  # {"kind", "start", "end"}: what scenarios save
KIND_KEY = "period.kind"
DATES_KEY = "period.dates"
BY_DATE_KEY = "period.by_date"
INFLOW_KEY = "period.inflow"
COMMIT_KEY = "period.commit"
BEST_KEY = "period.best_case"
PAST_KEY = "period.past"  # the replays of past periods, run when the reader asks
DEFAULT_KIND = "this_quarter"
KEEP = "session"
TOP_DEALS = 10


def money(x: float) -> str:
    """A short amount with the currency: "69.2M ₽", «69,2 млн ₽»."""
    text = short_money(x, lang())
    return f"{text} {currency()}".strip() if text != "—" else text


def _chance(x: float) -> str:
    """A chance in whole percents, by the app's one rule (never "0 %" or "100 %" unless exact)."""
    return chance(x, lang(), 0)


def period_dates(period: Period) -> str:
    """ "01.10.2026 – 31.12.2026" in the UI language."""
    return f"{date(period.start)} – {date(period.end)}"


def _pinned(column: str) -> dict:
    """Keep a table's naming column in view when the rest scrolls at a narrow width."""
    return {column: st.column_config.Column(pinned=True)}


def picker(as_of: pd.Timestamp) -> Period:
    """The period selector (and the dates of a custom one); records the choice under :data:`PERIOD_KEY`."""
    st.session_state.setdefault(KIND_KEY, DEFAULT_KIND)
    kind = st.selectbox(
        tr("period.kind"),
        PERIOD_KINDS,
        # labels bound now: AppTest calls a format_func again outside the script run
        format_func={k: tr_text(f"period.kind.{k}") for k in PERIOD_KINDS}.__getitem__,
        key=KIND_KEY,
        help=tr("period.kind_help", as_of=date(as_of)),
        persist_state=KEEP,
    )
    start = end = None
    if kind == "custom":
        default = period_bounds("this_month", as_of)
        st.session_state.setdefault(DATES_KEY, (default.start.date(), default.end.date()))
        chosen = st.date_input(
            tr("period.dates"),
            key=DATES_KEY,
            format="DD.MM.YYYY" if lang() == "ru" else "YYYY-MM-DD",
            persist_state=KEEP,
        )
        chosen = tuple(chosen) if isinstance(chosen, (tuple, list)) else (chosen,)
        start = chosen[0] if chosen else default.start
        end = chosen[1] if len(chosen) > 1 else start  # a range still being picked: its first day
    period = period_bounds(kind, as_of, start, end)
    st.session_state[PERIOD_KEY] = period.to_json()
    return period


def settings(history_inflow: float) -> tuple[bool, float]:
    """The period's assumptions (expected dates, inflow, currency); returns (by expected date, inflow a month)."""
    st.session_state.setdefault(INFLOW_KEY, round(float(history_inflow), 1))
    with st.expander(tr("period.settings")):
        by_date = st.checkbox(tr("period.by_date"), key=BY_DATE_KEY, help=tr("period.by_date_help"), persist_state=KEEP)
        inflow = st.number_input(
            tr("period.inflow"),
            min_value=0.0,
            step=1.0,
            format="%.1f",
            key=INFLOW_KEY,
            help=tr("period.inflow_help", history=number(history_inflow, lang(), 1)),
            persist_state=KEEP,
        )
        currency_picker()
    return bool(by_date), float(inflow)


def forecast(inputs, deals: pd.DataFrame, p: np.ndarray, period: Period, inflow: float, by_date: bool):
    """:func:`~funnel_model.period.plan_for_period` of the session's dataset, kept for these chances and settings.

    A rerun that moved none of them (another widget, a page revisit) shows the kept forecast.
    """
    key = (data.current().key, data.content_key(p), period.to_json(), float(inflow), bool(by_date))
    return data.session_memo(
        "period.forecast",
        key,
        lambda: plan_for_period(inputs, deals, p, period, inflow_per_month=inflow, by_expected_date=by_date),
        keep=2,
        progress=tr("progress.forecast"),
    )


def _need(funnels: pd.DataFrame | None) -> tuple[float, float]:
    """Wins and leads needed at the confidence, summed over the plan's funnels (NaN when unknown)."""
    if funnels is None or funnels.empty:
        return math.nan, math.nan
    return float(funnels["wins_conf"].sum()), float(funnels["leads_conf"].sum(min_count=len(funnels)))


def headline(forecast: PeriodForecast, plan: float, funnels: pd.DataFrame | None, confidence: float) -> None:
    """One sentence with the numbers, the parts of the figure, four tiles and the method."""
    s = forecast.summary(plan)
    end = date(forecast.period.end)
    conf = percent(confidence, lang(), 0)
    low = short_money(s["p10"], lang())
    span = money(s["p90"]) if low == short_money(s["p90"], lang()) else f"{low}–{money(s['p90'])}"
    if plan > 0:
        text = tr("period.headline", end=end, span=span, plan=money(plan), chance=_chance(s["p_plan"]))
        wins, leads = _need(funnels)
        if s["p_plan"] >= confidence:
            text += " " + tr("period.headline_covered", conf=conf)
        elif math.isfinite(wins) and wins > 0 and math.isfinite(leads):
            text += " " + tr(
                "period.headline_need",
                conf=conf,
                wins=number(math.ceil(wins), lang()),
                leads=number(math.ceil(leads), lang()),
            )
    else:
        text = tr("period.headline_no_plan", end=end, span=span)
    st.markdown(f"#### {text}")
    tiles = st.columns(4)
    for col, key, value in zip(
        tiles,
        ("mean", "p10", "p90", "p_plan"),
        (money(s["mean"]), money(s["p10"]), money(s["p90"]), _chance(s["p_plan"])),
        strict=True,
    ):
        col.metric(tr(f"period.tile.{key}"), value, help=tr(f"period.tile.{key}_help"))
    parts = tr(
        "period.parts",
        already=money(forecast.already),
        pipeline=money(forecast.pipeline.mean),
        new=money(forecast.new.mean),
        wins=number(forecast.new_wins, lang(), 1),
        inflow=number(forecast.inflow_per_month, lang(), 1),
        later=money(forecast.later),
    )
    if forecast.before > 0:
        parts += " " + tr("period.parts_before", before=money(forecast.before))
    st.caption(parts)
    with st.expander(tr("period.how")):
        st.markdown(tr("period.how.forecast"))


def _backtest_for(deals: pd.DataFrame, as_of: pd.Timestamp, months: int) -> pd.DataFrame:
    # kept on the dataset's key: hashing the deal table on every rerun cost more than the page itself
    key = (data.current().key, as_of, months)

    def replay() -> pd.DataFrame:
        with st.spinner(tr("period.backtest.progress")):  # seconds at 100,000 deals: say what it is doing
            return backtest(deals, as_of=as_of, months=months)

    return data.session_memo("period.backtest", key, replay)


def past_section(deals: pd.DataFrame, period: Period, as_of: pd.Timestamp) -> None:
    """How the forecast did before: the period against past ones and the backtest, replayed when asked.

    The replays cost seconds on a large file: a first visit does not wait for them, and once run they
    are kept for the session.
    """
    st.subheader(tr("period.past.title"))
    st.markdown(tr("period.past.intro"))
    if st.toggle(tr("period.past.show"), key=PAST_KEY, help=tr("period.past.help"), persist_state=KEEP):
        comparison_section(deals, period, as_of)
        backtest_section(deals, as_of)


def backtest_section(deals: pd.DataFrame, as_of: pd.Timestamp, months: int = 12) -> None:
    """Forecast against actual for the last ``months`` months: one figure, a chart, the method."""
    st.subheader(tr("period.backtest.title"))
    table = _backtest_for(deals, as_of, months)
    if table.empty:
        st.info(tr("period.backtest.none"))
        return
    n, k = len(table), int(table["inside"].sum())
    above = int((table["actual"] > table["mean"]).sum())
    st.markdown(tr("period.backtest.sentence", n=n, k=k, share=percent(k / n, lang(), 0), above=above))
    shown = table.assign(month=table["month"].map(lambda m: month(m, lang())))
    labels = {
        "month": tr("period.axis.month"),
        "revenue": tr("period.axis.revenue"),
        "band": tr("period.axis.band"),
        "mean": tr("period.series.mean"),
        "actual": tr("period.series.actual"),
        "inside": tr("period.series.inside"),
        "outside": tr("period.series.outside"),
    }
    show_chart(
        chart_spec(backtest_chart, shown, labels, lang()),
        "backtest",
        title=tr_text("period.backtest.title"),
        width="stretch",
    )
    with st.expander(tr("period.how")):
        st.markdown(tr("period.backtest.how"))


def breakdown_section(forecast: PeriodForecast, deals: pd.DataFrame) -> None:
    """The period's open-deal revenue by funnel, by seller, by deal, and the forecast categories."""
    st.subheader(tr("period.breakdown.title"))
    q = forecast.within
    parts = _breakdown(deals, q)
    by_funnel = parts["funnel"]
    if by_funnel["expected"].sum() > 0:
        st.markdown(
            tr(
                "period.breakdown.intro",
                expected=money(float(by_funnel["expected"].sum())),
                top_funnel=by_funnel["funnel"].iloc[0],
                top_share=percent(float(by_funnel["share"].iloc[0]), lang(), 0),
            )
        )
    columns = {
        "deals": tr("period.col.deals"),
        "expected": tr("period.col.expected"),
        "sd": tr("period.col.sd"),
        "share": tr("period.col.share"),
    }
    left, right = st.columns(2)
    for col, by, title in ((left, "funnel", "by_funnel"), (right, "owner", "by_owner")):
        if by not in parts:
            continue
        with col:
            st.markdown(f"**{tr(f'period.breakdown.{title}')}**")
            table = parts[by].rename(columns={by: tr(f"period.col.{by}"), **columns})
            show_table(
                table,
                amounts=[columns["expected"], columns["sd"]],
                counts=[columns["deals"]],
                shares=[columns["share"]],
                share_decimals=0,
                hide_index=True,
                column_config=fitted(table, HALF, _pinned(tr(f"period.col.{by}"))),
                key=f"period.table.{by}",
            )
    st.markdown(f"**{tr('period.deals.title')}**")
    st.caption(tr("period.deals.intro", top=TOP_DEALS))
    risky = parts["risky"]
    names = {
        "deal_id": tr("period.col.deal"),
        "client_id": tr("period.col.client"),
        "funnel": tr("period.col.funnel"),
        "stage": tr("period.col.stage"),
        "owner": tr("period.col.owner"),
        "amount": tr("period.col.amount"),
        "within": tr("period.col.within"),
        "expected": tr("period.col.expected"),
        "risk_share": tr("period.col.risk"),
    }
    kept = [c for c in names if c in risky.columns]
    shown = risky[kept].rename(columns=names)
    show_table(
        shown,
        amounts=[names["amount"], names["expected"]],
        shares=[names["within"], names["risk_share"]],
        share_decimals=0,
        hide_index=True,
        column_config=fitted(shown, FULL, _pinned(names["deal_id"])),
        key="period.table.deals",
    )
    _categories(parts["amounts"], q)
    with st.expander(tr("period.how")):
        st.markdown(tr("period.breakdown.how"))


def _breakdown(deals: pd.DataFrame, q: np.ndarray) -> dict:
    """The breakdown's tables for these chances in the period, kept until they move (reruns do not redo them)."""

    def build() -> dict:
        # the open deals do not move with the chances: picked out once per dataset
        open_ = data.session_memo("period.open_deals", data.current().key, lambda: open_deals_of(deals))
        parts = {by: period_breakdown(open_, q, by) for by in ("funnel", "owner") if by in open_.columns}
        parts["risky"] = risky_deals(open_, q, top=TOP_DEALS)
        parts["amounts"] = open_["amount"].fillna(0.0).to_numpy(dtype=float)
        return parts

    return data.session_memo("period.breakdown", (data.current().key, data.content_key(q)), build, keep=2)


def _categories(amounts: np.ndarray, q: np.ndarray) -> None:
    st.markdown(f"**{tr('period.categories.title')}**")
    one, two = st.columns(2)
    commit = one.slider(tr("period.commit"), 10, 100, 70, step=5, format="%d %%", key=COMMIT_KEY, persist_state=KEEP)
    best = two.slider(tr("period.best_case"), 5, 95, 40, step=5, format="%d %%", key=BEST_KEY, persist_state=KEEP)
    best = min(best, commit)
    st.caption(
        tr(
            "period.categories.sentence",
            commit=percent(commit / 100, lang(), 0),
            best=percent(best / 100, lang(), 0),
        )
    )
    cats = forecast_categories(amounts, q, commit=commit / 100, best_case=best / 100)
    cats["category"] = cats["category"].map(lambda c: tr(f"period.category.{c}"))
    names = {
        "category": tr("period.col.category"),
        "deals": tr("period.col.deals"),
        "amount": tr("period.col.amount"),
        "expected": tr("period.col.expected"),
        "cumulative": tr("period.col.cumulative"),
    }
    shown = cats.rename(columns=names)
    show_table(
        shown,
        amounts=[names["amount"], names["expected"], names["cumulative"]],
        counts=[names["deals"]],
        hide_index=True,
        column_config=fitted(shown, FULL),
        key="period.table.categories",
    )


def _compare_for(deals: pd.DataFrame, period_json: tuple[str, str, str], as_of: pd.Timestamp) -> pd.DataFrame:
    kind, start, end = period_json
    period = Period(pd.Timestamp(start), pd.Timestamp(end), kind)
    key = (data.current().key, period_json, as_of)

    def replay() -> pd.DataFrame:
        with st.spinner(tr("period.compare.progress")):
            return compare_periods(deals, period, as_of=as_of)

    return data.session_memo("period.compare", key, replay, keep=8)


def comparison_section(deals: pd.DataFrame, period: Period, as_of: pd.Timestamp) -> None:
    """This period, the previous one and a year ago: conversion, revenue, what the model said on each first day."""
    st.subheader(tr("period.compare.title"))
    key = (period.kind, period.start.isoformat(), period.end.isoformat())
    table = _compare_for(deals, key, as_of)
    rates = {row.which: percent(row.win_rate, lang(), 0) for row in table.itertuples()}
    st.markdown(tr("period.compare.sentence", **rates))
    shown = pd.DataFrame(
        {
            tr("period.col.period"): table["which"].map(lambda w: tr(f"period.compare.which.{w}")),
            tr("period.col.dates"): [
                period_dates(Period(r.start, r.end))
                if r.complete
                else tr("period.compare.so_far", dates=period_dates(Period(r.start, r.end)))
                for r in table.itertuples()
            ],
            tr("period.col.created"): table["created"],
            tr("period.col.won"): table["won"],
            tr("period.col.lost"): table["lost"],
            tr("period.col.win_rate"): table["win_rate"],
            tr("period.col.revenue"): table["revenue"],
            tr("period.col.forecast"): table["forecast"],
            tr("period.col.low"): table["forecast_low"],
            tr("period.col.high"): table["forecast_high"],
        }
    )
    show_table(
        shown,
        amounts=[tr(f"period.col.{c}") for c in ("revenue", "forecast", "low", "high")],
        counts=[tr(f"period.col.{c}") for c in ("created", "won", "lost")],
        shares=[tr("period.col.win_rate")],
        share_decimals=0,
        hide_index=True,
        column_config=fitted(shown, FULL, _pinned(tr("period.col.period"))),
        key="period.table.compare",
    )
    with st.expander(tr("period.how")):
        st.markdown(tr("period.compare.how"))
