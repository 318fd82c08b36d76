"""Altair charts of the Forecast & plan page.

Builders take already-translated labels and return ``alt.Chart`` objects;
they never touch streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

__all__ = [
    "bands_chart",
    "distribution_chart",
    "months_chart",
    "reverse_funnel_chart",
]

_WHATIF, _BASE, _PLAN, _NEW = "#3b78b0", "#9a9a9a", "#c9403f", "#a1d99b"


def distribution_chart(
    curves: pd.DataFrame, plan: float, labels: Mapping[str, str], *, height: int = 260
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
    """
    colors = alt.Scale(range=[_WHATIF, _BASE])
    lines = (
        alt.Chart(curves)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("mid:Q", title=labels["revenue"], axis=alt.Axis(format="~s")),
            y=alt.Y("prob:Q", title=labels["probability"], axis=alt.Axis(format="%")),
            color=alt.Color(
                "series:N", title=labels["series"], scale=colors, sort=None, legend=alt.Legend(orient="top")
            ),
            tooltip=[
                alt.Tooltip("series:N", title=labels["series"]),
                alt.Tooltip("mid:Q", title=labels["revenue"], format=",.0f"),
                alt.Tooltip("prob:Q", title=labels["probability"], format=".2%"),
            ],
        )
    )
    rule = alt.Chart(pd.DataFrame({"plan": [plan], "text": [labels["plan"]]}))
    plan_rule = rule.mark_rule(color=_PLAN, strokeDash=[6, 3], size=2).encode(x="plan:Q")
    plan_text = rule.mark_text(color=_PLAN, align="left", dx=4, dy=-6, baseline="top").encode(
        x="plan:Q", y=alt.value(0), text="text:N"
    )
    return (lines + plan_rule + plan_text).properties(height=height)


def bands_chart(bands: pd.DataFrame, plan: float, labels: Mapping[str, str], *, height: int = 120) -> alt.LayerChart:
    """P10–P90 bars with the median marked, one row per band, and the plan line.

    Parameters
    ----------
    bands : DataFrame
        ``band`` (translated name), ``p10``, ``p50``, ``p90``.
    labels : mapping
        ``revenue``, ``band``, ``plan``.
    """
    base = alt.Chart(bands).encode(y=alt.Y("band:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)))
    tips = [alt.Tooltip(c + ":Q", title=c.upper(), format=",.0f") for c in ("p10", "p50", "p90")]
    bar = base.mark_bar(size=18, color=_WHATIF, opacity=0.45).encode(
        x=alt.X("p10:Q", title=labels["revenue"], axis=alt.Axis(format="~s"), scale=alt.Scale(zero=False)),
        x2="p90:Q",
        tooltip=[alt.Tooltip("band:N", title=labels["band"]), *tips],
    )
    mid = base.mark_tick(color="#1f3b57", thickness=3, size=22).encode(x="p50:Q", tooltip=tips)
    plan_rule = (
        alt.Chart(pd.DataFrame({"plan": [plan]}))
        .mark_rule(color=_PLAN, strokeDash=[6, 3], size=2)
        .encode(x="plan:Q", tooltip=[alt.Tooltip("plan:Q", title=labels["plan"], format=",.0f")])
    )
    return (bar + mid + plan_rule).properties(height=height)


def months_chart(months: pd.DataFrame, labels: Mapping[str, str], *, height: int = 280) -> alt.LayerChart:
    """Expected revenue per close month: open pipeline and new leads stacked, P10–P90 whiskers.

    Parameters
    ----------
    months : DataFrame
        ``month`` (label text, in order), ``pipeline``, ``new_leads``,
        ``total``, ``low``, ``high`` (band of the total).
    labels : mapping
        ``month``, ``revenue``, ``pipeline``, ``new_leads``, ``source``,
        ``band``.
    """
    long = months.melt(id_vars=["month"], value_vars=["pipeline", "new_leads"], var_name="part", value_name="revenue")
    long["part"] = long["part"].map({"pipeline": labels["pipeline"], "new_leads": labels["new_leads"]})
    order = list(months["month"])
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("month:N", title=labels["month"], sort=order, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("revenue:Q", title=labels["revenue"], stack="zero", axis=alt.Axis(format="~s")),
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
                alt.Tooltip("revenue:Q", title=labels["revenue"], format=",.0f"),
            ],
        )
    )
    whiskers = (
        alt.Chart(months)
        .mark_rule(color="#1f3b57", size=1.5)
        .encode(
            x=alt.X("month:N", sort=order),
            y="low:Q",
            y2="high:Q",
            tooltip=[
                alt.Tooltip("month:N", title=labels["month"]),
                alt.Tooltip("low:Q", title=labels["band"] + " P10", format=",.0f"),
                alt.Tooltip("high:Q", title=labels["band"] + " P90", format=",.0f"),
            ],
        )
    )
    return (bars + whiskers).properties(height=height)


def reverse_funnel_chart(table: pd.DataFrame, labels: Mapping[str, str], *, bar_step: int = 13) -> alt.Chart:
    """The plan's funnel beside the actual one: deals per stage, three bars each.

    Parameters
    ----------
    table : DataFrame
        One funnel's rows of ``plan_by_funnel``: ``stage``, ``order``,
        ``needed_mean``, ``needed_conf``, ``actual``.
    labels : mapping
        ``stage``, ``deals``, ``series``, ``needed_mean``, ``needed_conf``,
        ``actual``.
    """
    names = {"needed_mean": labels["needed_mean"], "needed_conf": labels["needed_conf"], "actual": labels["actual"]}
    long = table.melt(id_vars=["stage", "order"], value_vars=list(names), var_name="what", value_name="deals")
    long = long[np.isfinite(long["deals"].astype(float))]
    long["what"] = long["what"].map(names)
    stages = list(table.sort_values("order")["stage"])
    domain = list(names.values())
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("stage:N", title=labels["stage"], sort=stages),
            x=alt.X("deals:Q", title=labels["deals"]),
            yOffset=alt.YOffset("what:N", sort=domain),
            color=alt.Color(
                "what:N",
                title=labels["series"],
                scale=alt.Scale(domain=domain, range=["#9ecae9", _WHATIF, "#e07b1a"]),
                legend=alt.Legend(orient="bottom", direction="vertical", title=None, labelLimit=0),
            ),
            tooltip=[
                alt.Tooltip("stage:N", title=labels["stage"]),
                alt.Tooltip("what:N", title=labels["series"]),
                alt.Tooltip("deals:Q", title=labels["deals"], format=",.0f"),
            ],
        )
        # with yOffset the height is set per bar, so every stage gets room for its three bars
        .properties(height=alt.Step(bar_step))
    )
