"""Charts of the compensation page: pay per seller, pay curves, pay forecast.

Builders take tidy frames, already-translated labels and the UI language;
they never touch streamlit. Figures read as :mod:`funnel_model.formatting`
writes them: tooltips carry text it formatted, and money axes group
thousands with its narrow no-break space.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from funnel_model.charts.forecast import percent_label_expr
from funnel_model.formatting import money, percent

__all__ = ["pay_breakdown_chart", "pay_curve_chart", "pay_forecast_chart"]

# axis labels are drawn by Vega: group thousands as funnel_model.formatting.number does
_MONEY_AXIS = "replace(format(datum.value, ',.0f'), regexp(',', 'g'), '\u202f')"


def _money_axis() -> alt.Axis:
    return alt.Axis(labelExpr=_MONEY_AXIS)


def _texts(frame: pd.DataFrame, columns, lang: str, kind=money) -> pd.DataFrame:
    """``frame`` with a ``<column>_text`` column per money column, for tooltips."""
    return frame.assign(**{f"{c}_text": frame[c].map(lambda x: kind(x, lang)) for c in columns})


PART_COLORS = ("#4c78a8", "#59a14f", "#e15759")  # fixed, variable, penalty
PLAN_COLORS = ("#1f5fa8", "#f28e2b")  # plan A, plan B: apart even in grey print


def pay_breakdown_chart(
    parts: pd.DataFrame, labels: Mapping[str, str], parts_order: tuple[str, ...], lang: str = "en"
) -> alt.Chart:
    """Stacked bars per seller, one bar per plan side by side.

    Parameters
    ----------
    parts : pandas.DataFrame
        Columns ``seller``, ``plan``, ``part`` (translated), ``amount``;
        penalties negative so they hang below zero.
    labels : mapping
        ``seller``, ``plan``, ``part``, ``amount`` axis titles.
    parts_order : tuple of str
        Translated part names in stacking and legend order.
    lang : str
        UI language of the figures.
    """
    order = {p: i for i, p in enumerate(parts_order)}
    data = _texts(parts.assign(order=parts["part"].map(order)), ["amount"], lang)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "seller:N", title=labels["seller"], axis=alt.Axis(labelAngle=-30, labelOverlap=False, labelLimit=160)
            ),
            xOffset=alt.XOffset("plan:N", title=labels["plan"]),
            y=alt.Y("sum(amount):Q", title=labels["amount"], stack="zero", axis=_money_axis()),
            color=alt.Color(
                "part:N",
                title=labels["part"],
                legend=alt.Legend(labelLimit=260),
                scale=alt.Scale(domain=list(parts_order), range=list(PART_COLORS[: len(parts_order)])),
            ),
            order=alt.Order("order:Q"),
            opacity=alt.Opacity("plan:N", title=labels["plan"], scale=alt.Scale(range=[1.0, 0.55])),
            tooltip=[
                alt.Tooltip("seller:N", title=labels["seller"]),
                alt.Tooltip("plan:N", title=labels["plan"]),
                alt.Tooltip("part:N", title=labels["part"]),
                alt.Tooltip("amount_text:N", title=labels["amount"]),
            ],
        )
        .properties(height=340)
    )


def pay_curve_chart(
    curves: pd.DataFrame, sellers: pd.DataFrame, labels: Mapping[str, str], lang: str = "en"
) -> alt.LayerChart:
    """Pay against attainment, one line per plan, each seller marked on it.

    Parameters
    ----------
    curves : pandas.DataFrame
        ``plan``, ``attainment`` (1.0 = 100 %), ``pay``.
    sellers : pandas.DataFrame
        ``plan``, ``seller``, ``attainment``, ``pay`` (on the curve) and
        ``actual`` (the seller's actual total pay, for the tooltip).
    labels : mapping
        ``attainment``, ``pay``, ``plan``, ``seller``, ``actual`` titles.
    lang : str
        UI language of the figures.
    """
    x = alt.X("attainment:Q", title=labels["attainment"], axis=alt.Axis(labelExpr=percent_label_expr(lang)))
    y = alt.Y("pay:Q", title=labels["pay"], axis=_money_axis())
    sellers = _texts(sellers, ["pay", "actual"], lang)
    sellers = _texts(sellers, ["attainment"], lang, kind=lambda x, lang: percent(x, lang, 0))
    color = alt.Color("plan:N", title=labels["plan"], scale=alt.Scale(range=list(PLAN_COLORS)))
    lines = alt.Chart(curves).mark_line(strokeWidth=2.5).encode(x=x, y=y, color=color)
    points = (
        alt.Chart(sellers)
        .mark_point(size=90, filled=True, stroke="white", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            color=color,
            tooltip=[
                alt.Tooltip("seller:N", title=labels["seller"]),
                alt.Tooltip("plan:N", title=labels["plan"]),
                alt.Tooltip("attainment_text:N", title=labels["attainment"]),
                alt.Tooltip("pay_text:N", title=labels["pay"]),
                alt.Tooltip("actual_text:N", title=labels["actual"]),
            ],
        )
    )
    return alt.layer(lines, points).properties(height=360)


def pay_forecast_chart(bands: pd.DataFrame, labels: Mapping[str, str], lang: str = "en") -> alt.LayerChart:
    """P10–P90 of next period's pay per seller and plan, with the P50 marked.

    Parameters
    ----------
    bands : pandas.DataFrame
        ``seller``, ``plan``, ``p10``, ``p50``, ``p90``.
    labels : mapping
        ``seller``, ``plan``, ``pay``, ``p10``, ``p50``, ``p90`` titles.
    lang : str
        UI language of the figures.
    """
    base = alt.Chart(_texts(bands, ["p10", "p50", "p90"], lang)).encode(
        y=alt.Y("seller:N", title=labels["seller"]),
        yOffset=alt.YOffset("plan:N"),
        color=alt.Color("plan:N", title=labels["plan"], scale=alt.Scale(range=list(PLAN_COLORS))),
    )
    tooltip = [
        alt.Tooltip("seller:N", title=labels["seller"]),
        alt.Tooltip("plan:N", title=labels["plan"]),
        alt.Tooltip("p10_text:N", title=labels["p10"]),
        alt.Tooltip("p50_text:N", title=labels["p50"]),
        alt.Tooltip("p90_text:N", title=labels["p90"]),
    ]
    band = base.mark_bar(height=8, opacity=0.45).encode(
        x=alt.X("p10:Q", title=labels["pay"], axis=_money_axis()), x2="p90:Q", tooltip=tooltip
    )
    median = base.mark_tick(thickness=3, size=16).encode(x="p50:Q", tooltip=tooltip)
    return alt.layer(band, median).properties(height=alt.Step(14))
