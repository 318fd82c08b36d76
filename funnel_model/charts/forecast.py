"""Altair charts of the Forecast & plan page.

Builders take already-translated labels and the UI language and return
``alt.Chart`` objects; they never touch streamlit. Figures read as
:mod:`funnel_model.formatting` writes them: amount axes say «56 млн» /
"56M" (Vega draws them, from an expression built here per language), and
tooltips carry text that module formatted.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import altair as alt
import numpy as np
import pandas as pd

from funnel_model.formatting import number, percent

__all__ = [
    "amount_label_expr",
    "bands_chart",
    "distribution_chart",
    "months_chart",
    "percent_label_expr",
    "reverse_funnel_chart",
]

_WHATIF, _BASE, _PLAN, _NEW = "#3b78b0", "#9a9a9a", "#c9403f", "#a1d99b"
# the suffixes of funnel_model.formatting.short_money
_SHORT = {
    "en": ((1e9, "B"), (1e6, "M"), (1e3, "K")),
    "ru": ((1e9, "\u00a0млрд"), (1e6, "\u00a0млн"), (1e3, "\u00a0тыс.")),
}


def _decimal(expr: str, lang: str) -> str:
    """A Vega string expression with the language's decimal mark."""
    return f"replace({expr}, '.', ',')" if lang == "ru" else expr


def amount_label_expr(lang: str) -> str:
    """Vega ``labelExpr`` for an amount axis: «56 млн», «100 тыс.», «0,5 млн» in Russian; "56M", "100K" in English.

    Each tick takes the largest unit it reaches, with up to three significant
    digits, as :func:`funnel_model.formatting.short_money` writes amounts.
    """
    value = "datum.value"
    expr = _decimal(f"format({value}, '.3~r')", lang)
    for size, suffix in reversed(_SHORT.get(lang, _SHORT["en"])):
        scaled = _decimal(f"format({value} / {size:.0f}, '.3~r')", lang)
        expr = f"abs({value}) >= {size:.0f} ? {scaled} + '{suffix}' : {expr}"
    return expr


def percent_label_expr(lang: str) -> str:
    """Vega ``labelExpr`` for a share axis: "25 %", «2,5 %»."""
    return _decimal("format(datum.value * 100, '.3~r')", lang) + " + ' %'"


def _count_label_expr() -> str:
    """Vega ``labelExpr`` for a count axis: thousands grouped as funnel_model.formatting.number does."""
    return "replace(format(datum.value, ',.0f'), regexp(',', 'g'), '\u202f')"


def _amount_axis(lang: str) -> alt.Axis:
    return alt.Axis(labelExpr=amount_label_expr(lang))


def _texts(frame: pd.DataFrame, columns, lang: str, kind=number) -> pd.DataFrame:
    """``frame`` with a ``<column>_text`` column per column, for tooltips."""
    return frame.assign(**{f"{c}_text": frame[c].map(lambda x: kind(x, lang)) for c in columns})


def distribution_chart(
    curves: pd.DataFrame, plan: float, labels: Mapping[str, str], lang: str = "en", *, height: int = 260
) -> alt.LayerChart:
    """Probability per revenue bin of one or more distributions, with the plan line.

    Parameters
    ----------
    curves : DataFrame
        ``mid`` (bin centre), ``prob`` and ``series`` (legend label).
    plan : float
        Revenue plan, drawn as a vertical rule.
    labels : mapping
        ``revenue``, ``probability``, ``series``, ``plan`` (translated).
    lang : str
        UI language of the numbers.
    """
    frames, draw, _ = _distribution_split(curves, plan, labels, lang, height=height)
    return draw(*frames)


def _distribution_split(curves: pd.DataFrame, plan: float, labels: Mapping[str, str], lang: str = "en", *, height=260):
    """:func:`distribution_chart` as its data (the curves, the plan line) and what draws it (see ``split``)."""
    curves = _texts(curves, ["mid"], lang)
    curves["prob_text"] = curves["prob"].map(lambda x: percent(x, lang, 2))
    rule = pd.DataFrame({"plan": [plan], "text": [labels["plan"]]})
    shape = (dict(labels), lang, height)
    return (curves, rule), partial(_distribution_drawn, labels=dict(labels), lang=lang, height=height), shape


def _distribution_drawn(curves: pd.DataFrame, rule: pd.DataFrame, *, labels, lang: str, height: int) -> alt.LayerChart:
    colors = alt.Scale(range=[_WHATIF, _BASE])
    lines = (
        alt.Chart(curves)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("mid:Q", title=labels["revenue"], axis=_amount_axis(lang)),
            y=alt.Y("prob:Q", title=labels["probability"], axis=alt.Axis(labelExpr=percent_label_expr(lang))),
            color=alt.Color(
                "series:N", title=labels["series"], scale=colors, sort=None, legend=alt.Legend(orient="top")
            ),
            tooltip=[
                alt.Tooltip("series:N", title=labels["series"]),
                alt.Tooltip("mid_text:N", title=labels["revenue"]),
                alt.Tooltip("prob_text:N", title=labels["probability"]),
            ],
        )
    )
    rule = alt.Chart(rule)
    plan_rule = rule.mark_rule(color=_PLAN, strokeDash=[6, 3], size=2).encode(x="plan:Q")
    plan_text = rule.mark_text(color=_PLAN, align="left", dx=4, dy=-6, baseline="top").encode(
        x="plan:Q", y=alt.value(0), text="text:N"
    )
    return (lines + plan_rule + plan_text).properties(height=height)


distribution_chart.split = _distribution_split


def bands_chart(
    bands: pd.DataFrame, plan: float, labels: Mapping[str, str], lang: str = "en", *, height: int = 120
) -> alt.LayerChart:
    """P10–P90 bars with the median marked, one row per band, and the plan line.

    Parameters
    ----------
    bands : DataFrame
        ``band`` (translated name), ``p10``, ``p50``, ``p90``.
    labels : mapping
        ``revenue``, ``band``, ``plan``.
    lang : str
        UI language of the numbers.
    """
    bands = _texts(bands, ["p10", "p50", "p90"], lang)
    base = alt.Chart(bands).encode(y=alt.Y("band:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)))
    tips = [alt.Tooltip(f"{c}_text:N", title=c.upper()) for c in ("p10", "p50", "p90")]
    bar = base.mark_bar(size=18, color=_WHATIF, opacity=0.45).encode(
        x=alt.X("p10:Q", title=labels["revenue"], axis=_amount_axis(lang), scale=alt.Scale(zero=False)),
        x2="p90:Q",
        tooltip=[alt.Tooltip("band:N", title=labels["band"]), *tips],
    )
    mid = base.mark_tick(color="#1f3b57", thickness=3, size=22).encode(x="p50:Q", tooltip=tips)
    plan_rule = (
        alt.Chart(pd.DataFrame({"plan": [plan], "plan_text": [number(plan, lang)]}))
        .mark_rule(color=_PLAN, strokeDash=[6, 3], size=2)
        .encode(x="plan:Q", tooltip=[alt.Tooltip("plan_text:N", title=labels["plan"])])
    )
    return (bar + mid + plan_rule).properties(height=height)


def months_chart(
    months: pd.DataFrame, labels: Mapping[str, str], lang: str = "en", *, height: int = 280
) -> alt.LayerChart:
    """Expected revenue per close month: open pipeline and new leads stacked, P10–P90 whiskers.

    Parameters
    ----------
    months : DataFrame
        ``month`` (label text, in order), ``pipeline``, ``new_leads``,
        ``total``, ``low``, ``high`` (band of the total).
    labels : mapping
        ``month``, ``revenue``, ``pipeline``, ``new_leads``, ``source``,
        ``band``.
    lang : str
        UI language of the numbers.
    """
    frames, draw, _ = _months_split(months, labels, lang, height=height)
    return draw(*frames)


def _months_split(months: pd.DataFrame, labels: Mapping[str, str], lang: str = "en", *, height: int = 280):
    """:func:`months_chart` as its data (the bars, the whiskers) and what draws it (see ``split``)."""
    long = months.melt(id_vars=["month"], value_vars=["pipeline", "new_leads"], var_name="part", value_name="revenue")
    long["part"] = long["part"].map({"pipeline": labels["pipeline"], "new_leads": labels["new_leads"]})
    long = _texts(long, ["revenue"], lang)
    whiskers = _texts(months[["month", "low", "high"]], ["low", "high"], lang)
    order = list(months["month"])
    shape = (dict(labels), lang, order, height)
    return (long, whiskers), partial(_months_drawn, labels=dict(labels), lang=lang, order=order, height=height), shape


def _months_drawn(
    long: pd.DataFrame, whiskers: pd.DataFrame, *, labels, lang: str, order: list, height: int
) -> alt.LayerChart:
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("month:N", title=labels["month"], sort=order, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("revenue:Q", title=labels["revenue"], stack="zero", axis=_amount_axis(lang)),
            color=alt.Color(
                "part:N",
                title=labels["source"],
                scale=alt.Scale(domain=[labels["pipeline"], labels["new_leads"]], range=[_WHATIF, _NEW]),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("part:N", sort="descending"),
            tooltip=[
                alt.Tooltip("month:N", title=labels["month"]),
                alt.Tooltip("part:N", title=labels["source"]),
                alt.Tooltip("revenue_text:N", title=labels["revenue"]),
            ],
        )
    )
    whiskers = (
        alt.Chart(whiskers)
        .mark_rule(color="#1f3b57", size=1.5)
        .encode(
            x=alt.X("month:N", sort=order),
            y="low:Q",
            y2="high:Q",
            tooltip=[
                alt.Tooltip("month:N", title=labels["month"]),
                alt.Tooltip("low_text:N", title=labels["band"] + " P10"),
                alt.Tooltip("high_text:N", title=labels["band"] + " P90"),
            ],
        )
    )
    return (bars + whiskers).properties(height=height)


months_chart.split = _months_split


def reverse_funnel_chart(
    table: pd.DataFrame, labels: Mapping[str, str], lang: str = "en", *, bar_step: int = 13
) -> alt.LayerChart:
    """The plan's funnel beside the actual one: deals per stage, three bars each, each labelled at its end.

    Parameters
    ----------
    table : DataFrame
        One funnel's rows of ``plan_by_funnel``: ``stage``, ``order``,
        ``needed_mean``, ``needed_conf``, ``actual``.
    labels : mapping
        ``stage``, ``deals``, ``series``, ``needed_mean``, ``needed_conf``,
        ``actual``.
    lang : str
        UI language of the numbers.
    """
    frames, draw, _ = _reverse_funnel_split(table, labels, lang, bar_step=bar_step)
    return draw(*frames)


def _reverse_funnel_split(table: pd.DataFrame, labels: Mapping[str, str], lang: str = "en", *, bar_step: int = 13):
    """:func:`reverse_funnel_chart` as its data (the bars, the room right of them) and what draws it."""
    names = {"needed_mean": labels["needed_mean"], "needed_conf": labels["needed_conf"], "actual": labels["actual"]}
    long = table.melt(id_vars=["stage", "order"], value_vars=list(names), var_name="what", value_name="deals")
    long = long[np.isfinite(long["deals"].astype(float))]
    long["what"] = long["what"].map(names)
    # an average below 10 deals keeps a decimal (0.9 on average is not 1)
    long["deals_text"] = (
        long["deals"].map(lambda x: number(x, lang, 1 if 0 < x < 10 and x != round(x) else 0)).astype(str)
    )
    # each bar says what it is at its end: no legend to look up
    long["label"] = long["deals_text"] + " · " + long["what"]
    # room right of the longest bar for its label: an unseen point there, so the axis follows the data
    room = pd.DataFrame({"deals": [max(float(long["deals"].max()) if len(long) else 0.0, 1.0) * 1.9]})
    stages = list(table.sort_values("order")["stage"])
    shape = (dict(labels), lang, stages, bar_step)
    draw = partial(
        _reverse_funnel_drawn, labels=dict(labels), domain=list(names.values()), stages=stages, bar_step=bar_step
    )
    return (long, room), draw, shape


def _reverse_funnel_drawn(
    long: pd.DataFrame, room: pd.DataFrame, *, labels, domain: list, stages: list, bar_step: int
) -> alt.LayerChart:
    y = alt.Y("stage:N", title=labels["stage"], sort=stages)
    offset = alt.YOffset("what:N", sort=domain)
    x = alt.X(
        "deals:Q",
        title=labels["deals"],
        axis=alt.Axis(labelExpr=_count_label_expr(), tickMinStep=1),
    )
    tips = [
        alt.Tooltip("stage:N", title=labels["stage"]),
        alt.Tooltip("what:N", title=labels["series"]),
        alt.Tooltip("deals_text:N", title=labels["deals"]),
    ]
    base = alt.Chart(long)
    bars = base.mark_bar().encode(
        y=y,
        x=x,
        yOffset=offset,
        color=alt.Color(
            "what:N",
            title=labels["series"],
            scale=alt.Scale(domain=domain, range=["#9ecae9", _WHATIF, "#e07b1a"]),
            legend=None,
        ),
        tooltip=tips,
    )
    # the label tells what its bar does (Streamlit's theme would give it the raw field names)
    text = base.mark_text(align="left", baseline="middle", dx=3, fontSize=10, color="#333").encode(
        y=y, x="deals:Q", yOffset=offset, text="label:N", tooltip=tips
    )
    # no tooltip: Streamlit's theme gives every mark one, and Vega finds a mark however transparent
    space = alt.Chart(room).mark_point(opacity=0, aria=False, tooltip=None).encode(x="deals:Q")
    # with yOffset the height is set per bar, so every stage gets room for its three bars
    return (bars + text + space).properties(height=alt.Step(bar_step))


reverse_funnel_chart.split = _reverse_funnel_split
