"""Altair charts of the plan for a period: the backtest and the period's distribution.

Builders take already-translated labels and the UI language and return
``alt.Chart`` objects; they never touch streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from funnel_model.charts.forecast import amount_label_expr
from funnel_model.formatting import short_money

__all__ = ["backtest_chart"]

_BAND, _INSIDE, _OUTSIDE, _PLAN = "#9ecae9", "#1f3b57", "#c9403f", "#c9403f"


def backtest_chart(
    table: pd.DataFrame, labels: Mapping[str, str], lang: str = "en", *, height: int = 260
) -> alt.LayerChart:
    """Forecast band of each past month against what was won in it.

    Parameters
    ----------
    table : DataFrame
        :func:`~funnel_model.period.backtest` rows with ``month`` as label
        text (in order): ``low``, ``mean``, ``high``, ``actual``, ``inside``.
    labels : mapping
        ``month``, ``revenue``, ``band``, ``mean``, ``actual``, ``inside``,
        ``outside`` (the last two name the points' two colours).
    lang : str
        UI language of the numbers.
    """
    frame = table.assign(
        result=table["inside"].map({True: labels["inside"], False: labels["outside"]}),
        **{f"{c}_text": table[c].map(lambda x: short_money(x, lang)) for c in ("low", "mean", "high", "actual")},
    )
    order = list(frame["month"])
    x = alt.X("month:N", title=labels["month"], sort=order, axis=alt.Axis(labelAngle=0))
    tooltip = [
        alt.Tooltip("month:N", title=labels["month"]),
        alt.Tooltip("low_text:N", title=f"{labels['band']} P10"),
        alt.Tooltip("high_text:N", title=f"{labels['band']} P90"),
        alt.Tooltip("mean_text:N", title=labels["mean"]),
        alt.Tooltip("actual_text:N", title=labels["actual"]),
    ]
    base = alt.Chart(frame)
    band = base.mark_bar(color=_BAND, size=18, opacity=0.8).encode(
        x=x,
        y=alt.Y("low:Q", title=labels["revenue"], axis=alt.Axis(labelExpr=amount_label_expr(lang))),
        y2="high:Q",
        tooltip=tooltip,
    )
    mean = base.mark_tick(color="#3b78b0", thickness=2, size=18).encode(x=x, y="mean:Q", tooltip=tooltip)
    actual = base.mark_point(filled=True, size=80, opacity=1).encode(
        x=x,
        y="actual:Q",
        color=alt.Color(
            "result:N",
            scale=alt.Scale(domain=[labels["inside"], labels["outside"]], range=[_INSIDE, _OUTSIDE]),
            legend=alt.Legend(orient="right", title=None, labelLimit=0),
        ),
        shape=alt.Shape(
            "result:N",
            scale=alt.Scale(domain=[labels["inside"], labels["outside"]], range=["circle", "diamond"]),
            legend=None,
        ),
        tooltip=tooltip,
    )
    return (band + mean + actual).properties(height=height)
