"""Altair charts of the Clients page: client states, their monthly moves, revenue per state,
win rate per lead source and the loss-reason Pareto.

Builders take translated labels and the UI language and return ``alt.Chart``
objects; they never touch streamlit. Tooltips carry text written by
:mod:`funnel_model.formatting`.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from funnel_model.charts.forecast import amount_label_expr, percent_label_expr
from funnel_model.formatting import number, percent

__all__ = ["flows_chart", "pareto_chart", "revenue_chart", "sources_chart", "states_chart"]

# one colour per client state, the same on every chart of the page
STATE_COLOURS = {"new": "#9ecae1", "active": "#3b78b0", "dormant": "#c9a03f"}
FLOW_COLOURS = {"first_win": "#3b78b0", "reactivated": "#58a55c", "fell_dormant": "#c9403f"}


_MONTHS = {
    "ru": ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def _month_text(months: pd.Series, lang: str) -> pd.Series:
    return months.dt.strftime("%m.%Y" if lang == "ru" else "%b %Y")


def _month_x(title: str, lang: str) -> alt.X:
    """The month axis: one band per month, labelled "янв 2026" / "Jan 2026" (Vega's own names are English)."""
    names = ", ".join(f"'{m}'" for m in _MONTHS.get(lang, _MONTHS["en"]))
    label = f"[{names}][month(datum.value)] + ' ' + year(datum.value)"
    return alt.X("yearmonth(month):O", title=title, axis=alt.Axis(labelExpr=label, labelAngle=0, labelOverlap=True))


def _long(base: pd.DataFrame, columns: Mapping[str, str], lang: str, *, money: bool = False) -> pd.DataFrame:
    """``base`` melted to one row per month and column, with translated names and formatted values."""
    long = base.melt(id_vars=["month"], value_vars=list(columns), var_name="key", value_name="value")
    long["name"] = long["key"].map(columns)
    long["month_text"] = _month_text(long["month"], lang)
    long["value_text"] = long["value"].map(lambda x: number(abs(x), lang))
    long["order"] = long["key"].map({k: i for i, k in enumerate(columns)})
    return long


def states_chart(base: pd.DataFrame, labels: Mapping[str, str], lang: str = "en", *, height: int = 280) -> alt.Chart:
    """Clients at each month's end, stacked by state.

    Parameters
    ----------
    base : DataFrame
        :func:`funnel_model.clients.client_base`.
    labels : mapping
        ``month``, ``clients``, ``state`` and one name per state (``new``,
        ``active``, ``dormant``).
    """
    names = {s: labels[s] for s in STATE_COLOURS}
    long = _long(base, names, lang)
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=_month_x(labels["month"], lang),
            y=alt.Y("value:Q", title=labels["clients"], stack="zero"),
            color=alt.Color(
                "name:N",
                title=labels["state"],
                scale=alt.Scale(domain=list(names.values()), range=list(STATE_COLOURS.values())),
                sort=list(names.values()),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("month_text:N", title=labels["month"]),
                alt.Tooltip("name:N", title=labels["state"]),
                alt.Tooltip("value_text:N", title=labels["clients"]),
            ],
        )
        .properties(height=height)
    )


def flows_chart(base: pd.DataFrame, labels: Mapping[str, str], lang: str = "en", *, height: int = 260) -> alt.Chart:
    """The month's moves: first wins and reactivations up, clients falling dormant down.

    Parameters
    ----------
    base : DataFrame
        :func:`funnel_model.clients.client_base`.
    labels : mapping
        ``month``, ``clients``, ``flow``, ``first_win``, ``reactivated``,
        ``fell_dormant``.
    """
    names = {k: labels[k] for k in FLOW_COLOURS}
    signed = base.assign(fell_dormant=-base["fell_dormant"])
    long = _long(signed, names, lang)
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=_month_x(labels["month"], lang),
            y=alt.Y("value:Q", title=labels["clients"], stack="zero"),
            color=alt.Color(
                "name:N",
                title=labels["flow"],
                scale=alt.Scale(domain=list(names.values()), range=list(FLOW_COLOURS.values())),
                legend=alt.Legend(orient="top", labelLimit=320),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("month_text:N", title=labels["month"]),
                alt.Tooltip("name:N", title=labels["flow"]),
                alt.Tooltip("value_text:N", title=labels["clients"]),
            ],
        )
        .properties(height=height)
    )


def revenue_chart(base: pd.DataFrame, labels: Mapping[str, str], lang: str = "en", *, height: int = 260) -> alt.Chart:
    """Won revenue per month, stacked by the deal's client state (segment).

    Parameters
    ----------
    base : DataFrame
        :func:`funnel_model.clients.client_base`.
    labels : mapping
        ``month``, ``revenue``, ``state`` and one name per state.
    """
    names = {f"revenue_{s}": labels[s] for s in STATE_COLOURS}
    long = _long(base, names, lang)
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=_month_x(labels["month"], lang),
            y=alt.Y("value:Q", title=labels["revenue"], stack="zero", axis=alt.Axis(labelExpr=amount_label_expr(lang))),
            color=alt.Color(
                "name:N",
                title=labels["state"],
                scale=alt.Scale(domain=list(names.values()), range=list(STATE_COLOURS.values())),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("month_text:N", title=labels["month"]),
                alt.Tooltip("name:N", title=labels["state"]),
                alt.Tooltip("value_text:N", title=labels["revenue"]),
            ],
        )
        .properties(height=height)
    )


def sources_chart(summary: pd.DataFrame, labels: Mapping[str, str], lang: str = "en") -> alt.LayerChart:
    """Win rate per lead source with its interval, best first.

    Parameters
    ----------
    summary : DataFrame
        :func:`funnel_model.sources.source_summary` with ``name`` (the
        source as shown).
    labels : mapping
        ``source``, ``win_rate``, ``interval``, ``deals``.
    """
    frame = summary.assign(
        rate_text=summary["win_rate"].map(lambda x: percent(x, lang)),
        interval_text=[
            f"{percent(lo, lang)} – {percent(hi, lang)}" for lo, hi in zip(summary["low"], summary["high"], strict=True)
        ],
        deals_text=summary["deals"].map(lambda x: number(x, lang)),
    )
    order = list(frame.sort_values("win_rate", ascending=False)["name"])
    base = alt.Chart(frame).encode(y=alt.Y("name:N", title=labels["source"], sort=order, axis=alt.Axis(labelLimit=240)))
    tips = [
        alt.Tooltip("name:N", title=labels["source"]),
        alt.Tooltip("rate_text:N", title=labels["win_rate"]),
        alt.Tooltip("interval_text:N", title=labels["interval"]),
        alt.Tooltip("deals_text:N", title=labels["deals"]),
    ]
    axis = alt.Axis(labelExpr=percent_label_expr(lang), title=labels["win_rate"])
    rule = base.mark_rule(color="#7a9cc6", size=3).encode(x=alt.X("low:Q", axis=axis), x2="high:Q", tooltip=tips)
    dot = base.mark_point(filled=True, size=90, color="#1f3b57").encode(x="win_rate:Q", tooltip=tips)
    return (rule + dot).properties(height=28 * len(frame) + 40)


def pareto_chart(pareto: pd.DataFrame, labels: Mapping[str, str], lang: str = "en", *, height: int = 300):
    """Lost deals per reason, most frequent first, with the cumulative share as a line.

    Parameters
    ----------
    pareto : DataFrame
        :func:`funnel_model.losses.loss_pareto` with ``name`` (the reason as
        shown).
    labels : mapping
        ``reason``, ``deals``, ``amount``, ``cumulative``.
    """
    frame = pareto.assign(
        deals_text=pareto["deals"].map(lambda x: number(x, lang)),
        amount_text=pareto["amount"].map(lambda x: number(x, lang)),
        cumulative_text=pareto["cumulative"].map(lambda x: percent(x, lang)),
    )
    order = list(frame["name"])
    tips = [
        alt.Tooltip("name:N", title=labels["reason"]),
        alt.Tooltip("deals_text:N", title=labels["deals"]),
        alt.Tooltip("amount_text:N", title=labels["amount"]),
        alt.Tooltip("cumulative_text:N", title=labels["cumulative"]),
    ]
    base = alt.Chart(frame).encode(
        # level labels while the reasons fit side by side, slanted beyond
        x=alt.X(
            "name:N",
            title=labels["reason"],
            sort=order,
            axis=alt.Axis(labelAngle=0 if len(frame) <= 8 else -30, labelLimit=200 if len(frame) > 8 else 150),
        )
    )
    bars = base.mark_bar(color="#c9403f").encode(y=alt.Y("deals:Q", title=labels["deals"]), tooltip=tips)
    line = base.mark_line(point=True, color="#1f3b57").encode(
        y=alt.Y(
            "cumulative:Q",
            title=labels["cumulative"],
            axis=alt.Axis(labelExpr=percent_label_expr(lang)),
            scale=alt.Scale(domain=[0, 1]),
        ),
        tooltip=tips,
    )
    return alt.layer(bars, line).resolve_scale(y="independent").properties(height=height)
