"""Altair charts of the Funnels page: real funnels, their shapes, calibration.

Builders take already-translated titles and axis labels, so they know
nothing of languages, and return ``alt.Chart`` objects; they never touch
streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from funnel_model.charts.forecast import percent_label_expr
from funnel_model.formatting import MISSING, number, percent, short_money

__all__ = [
    "calibration_chart",
    "comparison_chart",
    "funnel_panel",
    "seller_chart",
]

_LINES = ("#3b78b0", "#3f9b3a", "#e07b1a", "#8a5a9e", "#2f9c95", "#c9403f")
_PALETTE = ("#9ecae9", "#a1d99b", "#fdb97d", "#d4b9da", "#a6dcd8", "#f4a6a6")


def funnel_panel(
    title: str,
    rows: pd.DataFrame,
    *,
    subtitle: str | None = None,
    measure: str = "count",
    basis: str = "previous",
    labels: Mapping[str, str],
    lang: str = "en",
    colour: int = 0,
    width: int | str = "container",
    stage_height: int = 56,
    font_size: int = 12,
) -> alt.LayerChart:
    """One real funnel: centred bars narrowing stage by stage.

    Parameters
    ----------
    title : str
        Panel title (e.g. "Attraction").
    subtitle : str, optional
        Second title line (e.g. the CRM pipeline).
    rows : DataFrame
        Rows of :func:`funnel_model.geometry.funnel_geometry` for one group
        (its stages and the won row).
    measure : {"count", "money"}
        Bar width from ``reached`` or from ``amount``.
    basis : {"previous", "first"}
        The conversion printed on each bar: from the previous stage or from
        the first. Where lost deals have no known loss stage
        (``lost_unknown``), conversions from the previous stage past the first
        show "—" and counts that are only lower bounds (``lower_bound``)
        "≥ n".
    labels : mapping
        Translated words: "stage", "reached", "amount", "from_previous",
        "from_first", "open".
    lang : str
        UI language of the numbers on the bars (:mod:`funnel_model.formatting`:
        "1.2M" / «1,2 млн», "34 %").
    colour : int
        Index into the palette, so side-by-side funnels differ.
    width : int or "container"
        Pixels, or the width of the element it is shown in.
    stage_height : int, default 56
        Pixels per stage.
    font_size : int, default 12
        Size of the stage names and numbers (the title a little larger); larger in presenter mode.
    """
    rows = rows.sort_values("order")
    lower = rows["lower_bound"].to_numpy(dtype=bool) if "lower_bound" in rows else np.zeros(len(rows), dtype=bool)
    # Lost deals of unknown loss stage: later counts are lower bounds, no step conversion past the first is known.
    unknown = bool((rows["lost_unknown"] > 0).any()) if "lost_unknown" in rows else False
    data = pd.DataFrame(
        {
            "stage": rows["stage"].astype(str).to_numpy(),
            "order": rows["order"].to_numpy(),
            "reached": rows["reached"].to_numpy(),
            "amount": rows["amount"].to_numpy(dtype=float),
            "open": rows["open"].to_numpy(),
            # the settled step (open deals still at the previous stage left out): the bottleneck's figure too
            "from_previous": rows["settled_conversion"].to_numpy(dtype=float),
            "from_first": rows["cumulative_conversion"].to_numpy(dtype=float),
        }
    )
    if unknown:
        data.loc[data["order"] > 1, "from_previous"] = np.nan
    value = data["amount"] if measure == "money" else data["reached"].astype(float)
    data["left"] = -value / 2.0
    data["right"] = value / 2.0

    def bound(texts):  # "≥ 794" where only a lower bound is known
        return [f"≥ {t}" if low and t != MISSING else t for t, low in zip(texts, lower, strict=True)]

    conv = data["from_first"] if basis == "first" else data["from_previous"]
    reached_text = bound([number(r, lang) for r in data["reached"]])
    amount_text = bound([short_money(a, lang) for a in data["amount"]])
    conv_text = [percent(c, lang, 0) for c in conv]
    conv_text = bound(conv_text) if basis == "first" else conv_text
    data["label"] = [" · ".join(parts) for parts in zip(reached_text, amount_text, conv_text, strict=True)]
    data["reached_text"] = reached_text
    data["open_text"] = [number(r, lang) for r in data["open"]]
    data["amount_text"] = amount_text
    data["from_previous_text"] = [percent(c, lang, 1) for c in data["from_previous"]]
    data["from_first_text"] = bound([percent(c, lang, 1) for c in data["from_first"]])
    # Each stage takes one unit of y: its name and numbers on white at the top, a thinner bar below,
    # so the labels never straddle a narrow bar's edge.
    data["bar_top"] = data["order"] - 0.38
    data["bar_bottom"] = data["order"] - 0.06
    half = float(np.nanmax(value)) / 2.0 if len(value) and np.nanmax(value) > 0 else 1.0
    n = max(len(data), 1)
    y_scale = alt.Scale(domain=[0, n], reverse=True, nice=False, zero=False)
    tooltip = [
        alt.Tooltip("stage:N", title=labels["stage"]),
        alt.Tooltip("reached_text:N", title=labels["reached"]),
        alt.Tooltip("amount_text:N", title=labels["amount"]),
        alt.Tooltip("from_previous_text:N", title=labels["from_previous"]),
        alt.Tooltip("from_first_text:N", title=labels["from_first"]),
        alt.Tooltip("open_text:N", title=labels["open"]),
    ]
    base = alt.Chart(data)
    bars = base.mark_bar(color=_PALETTE[colour % len(_PALETTE)], stroke=_LINES[colour % len(_LINES)]).encode(
        x=alt.X("left:Q", scale=alt.Scale(domain=[-half, half]), axis=None),
        x2="right:Q",
        y=alt.Y("bar_top:Q", scale=y_scale, axis=None),
        y2="bar_bottom:Q",
        tooltip=tooltip,
    )
    # both lines sit just above their own bar, whatever height the chart gets
    over_bar = alt.Y("bar_top:Q", scale=y_scale, axis=None)
    names = base.mark_text(
        fontSize=font_size, fontWeight="bold", color="#1a1a1a", baseline="bottom", dy=-(font_size + 5)
    ).encode(x=alt.datum(0), y=over_bar, text="stage:N", tooltip=tooltip)
    numbers = base.mark_text(fontSize=font_size, color="#333333", baseline="bottom", dy=-3).encode(
        x=alt.datum(0), y=over_bar, text="label:N", tooltip=tooltip
    )
    heading = alt.TitleParams(
        title,
        subtitle=subtitle or "",
        anchor="middle",
        fontSize=round(font_size * 13 / 12),  # Vega-Lite's 13 beside the default 12
        subtitleFontSize=round(font_size * 11 / 12),
    )
    return alt.layer(bars, names, numbers).properties(
        title=heading, width=width, height=max(stage_height * len(data), stage_height)
    )


def comparison_chart(
    panels: Sequence[tuple[str, pd.DataFrame]],
    *,
    basis: str = "first",
    labels: Mapping[str, str],
    lang: str = "en",
    width: int | str = "container",
    height: int = 280,
) -> alt.Chart:
    """The shapes of several funnels on one normalised chart.

    x is the step number (1 = first stage, last = won), y the conversion from
    the first stage (``basis="first"``) or from the previous one. Pass only
    funnels whose conversions are identifiable (no ``lost_unknown``).
    """
    frames = []
    column = "cumulative_conversion" if basis == "first" else "settled_conversion"
    for title, rows in panels:
        rows = rows.sort_values("order")
        frames.append(
            pd.DataFrame(
                {
                    "funnel": title,
                    "step": rows["order"].to_numpy(),
                    "stage": rows["stage"].astype(str).to_numpy(),
                    "value": rows[column].to_numpy(dtype=float),
                }
            )
        )
    data = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["funnel", "step", "stage", "value"])
    )
    y_title = labels["from_first"] if basis == "first" else labels["from_previous"]
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("step:O", title=labels["step"], axis=alt.Axis(labelAngle=0, labelFontSize=12)),
            y=alt.Y(
                "value:Q",
                title=y_title,
                axis=alt.Axis(labelExpr=percent_label_expr(lang), tickCount=5, labelFontSize=12),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color(
                "funnel:N",
                title=None,
                sort=[title for title, _ in panels],
                scale=alt.Scale(range=list(_LINES)),
                # beside the plot, full names: "Retention (active clients) · Развитие" must not be cut
                legend=alt.Legend(orient="right", direction="vertical", labelLimit=0, labelFontSize=12),
            ),
            tooltip=[
                alt.Tooltip("funnel:N", title=labels["funnel"]),
                alt.Tooltip("stage:N", title=labels["stage"]),
                alt.Tooltip("value:Q", title=y_title, format=".1%"),
            ],
        )
        .properties(width=width, height=height)
    )


def calibration_chart(
    table: pd.DataFrame,
    *,
    name: str,
    labels: Mapping[str, str],
    lang: str = "en",
    width: int | str = "container",
    height: int = 360,
) -> alt.LayerChart:
    """Stated against observed with Wilson intervals and the diagonal.

    Parameters
    ----------
    table : DataFrame
        :func:`funnel_model.calibration.calibration_table` (or
        ``stage_calibration``) output.
    name : str
        Column naming each point (e.g. "owner" or "stage").
    labels : mapping
        "stated", "observed", "flag_over", "flag_under", "flag_none", "n",
        "name"; "flag_below" and "flag_above" when the table has rows of
        configured probabilities (a ``source`` column with "config").
    """
    data = table.dropna(subset=["observed"]).copy()
    data["name"] = data[name].astype(str)
    names = {"over": labels["flag_over"], "under": labels["flag_under"]}
    colours = ["#d62728", "#1f77b4"]
    if "flag_below" in labels and (data["flag"].isin(["below", "above"])).any():
        names |= {"below": labels["flag_below"], "above": labels["flag_above"]}
        colours += ["#e07b1a", "#2f9c95"]
    names[""] = labels["flag_none"]
    colours.append("#7f7f7f")
    data["flag_text"] = data["flag"].map(names)
    colour = alt.Color(
        "flag_text:N",
        title=None,
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=0),  # whole words, half-width column
        scale=alt.Scale(domain=list(names.values()), range=colours),
    )
    x = alt.X(
        "stated:Q",
        title=labels["stated"],
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(labelExpr=percent_label_expr(lang)),
    )
    y = alt.Y(
        "observed:Q",
        title=labels["observed"],
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(labelExpr=percent_label_expr(lang)),
    )
    diagonal = (
        alt.Chart(pd.DataFrame({"a": [0.0, 1.0]})).mark_line(color="#999", strokeDash=[4, 4]).encode(x="a:Q", y="a:Q")
    )
    base = alt.Chart(data)
    bars = base.mark_rule(strokeWidth=2).encode(x=x, y=alt.Y("low:Q"), y2="high:Q", color=colour)
    points = base.mark_circle(size=90, opacity=1).encode(
        x=x,
        y=y,
        color=colour,
        tooltip=[
            alt.Tooltip("name:N", title=labels["name"]),
            alt.Tooltip("n:Q", title=labels["n"]),
            alt.Tooltip("stated:Q", title=labels["stated"], format=".1%"),
            alt.Tooltip("observed:Q", title=labels["observed"], format=".1%"),
            alt.Tooltip("low:Q", format=".1%"),
            alt.Tooltip("high:Q", format=".1%"),
        ],
    )
    # only flagged points get a name on the plot (the rest are in the tooltip and the table), and a label that
    # would land on an earlier one steps down a line
    flagged = data[data["flag"] != ""].sort_values(["observed", "stated"], ascending=[False, True]).copy()
    placed: list[tuple[float, float]] = []
    label_y = []
    for sx, sy in zip(flagged["stated"].astype(float), flagged["observed"].astype(float), strict=True):
        y_at = sy
        while any(abs(sx - px) < 0.15 and abs(y_at - py) < 0.035 for px, py in placed):
            y_at -= 0.035
        placed.append((sx, y_at))
        label_y.append(y_at)
    flagged["label_y"] = label_y
    text = (
        alt.Chart(flagged)
        .mark_text(align="left", dx=7, fontSize=11)
        .encode(x=x, y=alt.Y("label_y:Q"), text="name:N", color=colour)
    )
    return alt.layer(diagonal, bars, points, text).properties(width=width, height=height)


def seller_chart(
    sellers: pd.DataFrame,
    *,
    labels: Mapping[str, str],
    lang: str = "en",
    width: int | str = "container",
) -> alt.LayerChart:
    """Each seller's win rate with its interval against the team's rate (a rule).

    ``sellers`` is :func:`funnel_model.geometry.seller_comparison` for one
    funnel; labels: "win_rate", "team", "seller". Sellers with too few closed
    deals (``reliable`` False) get a hollow grey point: only the interval
    means something there.
    """
    data = sellers.copy()
    order = list(data.sort_values("rank")["owner"].astype(str))
    y = alt.Y("owner:N", sort=order, title=None)
    x = alt.X("win_rate:Q", title=labels["win_rate"], axis=alt.Axis(labelExpr=percent_label_expr(lang)))
    colour = alt.Color(
        "vs_team:N",
        legend=None,
        scale=alt.Scale(domain=["above", "below", ""], range=["#2ca02c", "#d62728", "#7f7f7f"]),
    )
    base = alt.Chart(data)
    rules = base.mark_rule(strokeWidth=2).encode(y=y, x=alt.X("low:Q"), x2="high:Q", color=colour)
    tooltip = [
        alt.Tooltip("owner:N", title=labels["seller"]),
        alt.Tooltip("win_rate:Q", title=labels["win_rate"], format=".1%"),
        alt.Tooltip("low:Q", format=".1%"),
        alt.Tooltip("high:Q", format=".1%"),
    ]
    reliable = data["reliable"].astype(bool) if "reliable" in data else pd.Series(True, index=data.index)
    solid = (
        alt.Chart(data[reliable.to_numpy()])
        .mark_circle(size=80, opacity=1)
        .encode(y=y, x=x, color=colour, tooltip=tooltip)
    )
    hollow = (
        alt.Chart(data[~reliable.to_numpy()])
        .mark_point(size=80, filled=False, color="#9e9e9e", strokeWidth=1.5)
        .encode(y=y, x=x, tooltip=tooltip)
    )
    team = float(data["team_rate"].iloc[0]) if len(data) else float("nan")
    rule = (
        alt.Chart(pd.DataFrame({"team": [team]}))
        .mark_rule(color="#333", strokeDash=[4, 4])
        .encode(x="team:Q", tooltip=[alt.Tooltip("team:Q", title=labels["team"], format=".1%")])
    )
    return alt.layer(rules, solid, hollow, rule).properties(width=width, height=max(28 * len(data), 60))
