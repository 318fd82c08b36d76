"""Altair charts of the rejection page, built to be read from the back of a room.

Few marks, big fonts, one highlighted idea per chart. Every label arrives
already translated; nothing here knows the language.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from funnel_model.charts.forecast import percent_label_expr

__all__ = [
    "DEAL_COLOR",
    "FONT_SIZE",
    "REJECTION_COLOR",
    "ROOM_FONT_SIZE",
    "attempts_chart",
    "month_strip",
    "sellers_chart",
    "sequence_strip",
    "streak_chart",
]

DEAL_COLOR = "#2e7d32"
REJECTION_COLOR = "#c9ccd1"
ACCENT = "#d84315"
MUTED = "#90a4ae"
FONT_SIZE = 16
ROOM_FONT_SIZE = 28  # presenter mode: axis labels legible from the back of a room on a 1920×1080 screen
# Streamlit fits the whole chart (axes and legend included) into its height,
# so row charts add this much room for them on top of the rows themselves.
AXES_AND_LEGEND = 130


def _big(chart: alt.Chart, font_size: int) -> alt.Chart:
    return chart.configure_axis(labelFontSize=font_size, titleFontSize=font_size).configure_legend(
        labelFontSize=font_size,
        titleFontSize=font_size,
        orient="bottom",
        labelLimit=500,
        symbolSize=100 * (font_size / FONT_SIZE) ** 2,
    )


def _grown(size: int, font_size: int) -> int:
    """A height in pixels grown with the font (by half its growth), so larger labels do not squeeze the marks.

    Half, not all: a presenter's chart must still fit a 1080-pixel screen under its headline numbers.
    """
    return round(size * max(1.0, (1 + font_size / FONT_SIZE) / 2))


def attempts_chart(
    distribution: pd.DataFrame,
    within: int,
    *,
    x_title: str,
    y_title: str,
    inside_label: str,
    outside_label: str,
    font_size: int = FONT_SIZE,
    lang: str = "en",
) -> alt.Chart:
    """Bars of P(first deal at attempt k), the first ``within`` attempts highlighted.

    Parameters
    ----------
    distribution : pandas.DataFrame
        ``attempt`` and ``probability`` columns
        (:func:`funnel_model.rejection.attempts_distribution`).
    within : int
        Attempts needed for the wanted confidence; bars up to it are coloured.
    x_title, y_title : str
        Axis titles.
    inside_label, outside_label : str
        Legend labels of the highlighted and the other bars.
    font_size : int, default FONT_SIZE
        Size of axis, legend and mark labels; :data:`ROOM_FONT_SIZE` in presenter mode.
    """
    data = distribution.assign(
        part=np.where(distribution["attempt"] <= within, inside_label, outside_label),
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("attempt:O", title=x_title, axis=alt.Axis(labelAngle=0, values=_tick_values(len(data)))),
            y=alt.Y("probability:Q", title=y_title, axis=alt.Axis(labelExpr=percent_label_expr(lang))),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(domain=[inside_label, outside_label], range=[DEAL_COLOR, MUTED]),
            ),
            tooltip=[
                alt.Tooltip("attempt:O", title=x_title),
                alt.Tooltip("probability:Q", title=y_title, format=".1%"),
            ],
        )
    )
    return _big(bars.properties(height=_grown(360, font_size)), font_size)


def _tick_values(count: int) -> list[int]:
    step = max(1, int(np.ceil(count / 15)))
    return list(range(step, count + 1, step)) if step > 1 else list(range(1, count + 1))


def streak_chart(
    pmf: np.ndarray,
    threshold: int,
    expected: float,
    *,
    x_title: str,
    y_title: str,
    at_least_label: str,
    below_label: str,
    expected_label: str,
    font_size: int = FONT_SIZE,
    lang: str = "en",
) -> alt.Chart:
    """Bars of P(longest rejection run = k); runs of ``threshold`` or more highlighted.

    Only the part of the distribution that carries probability is drawn, so
    long months do not shrink the bars to slivers.

    Parameters
    ----------
    pmf : numpy.ndarray
        P(longest run = k), k = 0..n.
    threshold : int
        Runs of this length or more are coloured.
    expected : float
        Expected longest run, drawn as a vertical rule.
    x_title, y_title : str
        Axis titles.
    at_least_label, below_label : str
        Legend labels of the highlighted and the other bars.
    expected_label : str
        Text next to the rule.
    font_size : int, default FONT_SIZE
        Size of axis, legend and mark labels; :data:`ROOM_FONT_SIZE` in presenter mode.
    """
    cumulative = np.cumsum(pmf)
    keep = np.flatnonzero((cumulative > 0.0005) & (cumulative - pmf < 0.9995))
    first, last = (int(keep[0]), int(keep[-1])) if keep.size else (0, len(pmf) - 1)
    first, last = min(first, threshold), max(last, min(threshold, len(pmf) - 1))
    k = np.arange(first, last + 1)
    data = pd.DataFrame(
        {
            "run": k,
            # a band around each whole number, so bars are wide on a numeric axis that also holds the mean
            "start": k - 0.42,
            "end": k + 0.42,
            "probability": pmf[first : last + 1],
            "part": np.where(k >= threshold, at_least_label, below_label),
        }
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("start:Q", title=x_title, scale=alt.Scale(domain=[first - 0.5, last + 0.5], nice=False)),
            x2="end:Q",
            y=alt.Y("probability:Q", title=y_title, axis=alt.Axis(labelExpr=percent_label_expr(lang))),
            y2=alt.datum(0),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(domain=[at_least_label, below_label], range=[ACCENT, MUTED]),
            ),
            tooltip=[
                alt.Tooltip("run:Q", title=x_title),
                alt.Tooltip("probability:Q", title=y_title, format=".1%"),
            ],
        )
    )
    rule_data = pd.DataFrame({"run": [expected], "label": [expected_label]})
    rule = alt.Chart(rule_data).mark_rule(color="black", strokeDash=[6, 4], size=2).encode(x="run:Q")
    text = (
        alt.Chart(rule_data)
        .mark_text(align="left", dx=6, dy=-8, fontSize=font_size, color="black")
        .encode(x="run:Q", y=alt.value(0), text="label:N")
    )
    return _big(alt.layer(bars, rule, text).properties(height=_grown(360, font_size)), font_size)


def month_strip(
    outcomes: np.ndarray,
    row_labels: list[str],
    *,
    deal_label: str,
    rejection_label: str,
    x_title: str,
    font_size: int = FONT_SIZE,
) -> alt.Chart:
    """One row of squares per seller, one square per attempt: deal or rejection.

    Parameters
    ----------
    outcomes : numpy.ndarray
        Bool array (sellers, attempts), True for a deal
        (:func:`funnel_model.rejection.simulate_month`).
    row_labels : list of str
        A label per seller (name and summary), top to bottom.
    deal_label, rejection_label : str
        Legend labels.
    x_title : str
        Title of the attempt axis.
    font_size : int, default FONT_SIZE
        Size of axis, legend and mark labels; :data:`ROOM_FONT_SIZE` in presenter mode.
    """
    sellers, attempts = outcomes.shape
    data = pd.DataFrame(
        {
            "seller": np.repeat(row_labels, attempts),
            "attempt": np.tile(np.arange(1, attempts + 1), sellers),
            "outcome": np.where(outcomes.ravel(), deal_label, rejection_label),
        }
    )
    strip = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=1 if attempts <= 120 else 0)
        .encode(
            x=alt.X("attempt:O", title=x_title, axis=alt.Axis(labelAngle=0, values=_tick_values(attempts))),
            y=alt.Y("seller:N", title=None, sort=list(row_labels), axis=alt.Axis(labelLimit=400)),
            color=alt.Color(
                "outcome:N",
                title=None,
                scale=alt.Scale(domain=[deal_label, rejection_label], range=[DEAL_COLOR, REJECTION_COLOR]),
            ),
            tooltip=[alt.Tooltip("seller:N", title=" "), alt.Tooltip("attempt:O"), alt.Tooltip("outcome:N", title=" ")],
        )
        .properties(height=_grown(44 * sellers + AXES_AND_LEGEND, font_size))
    )
    return _big(strip, font_size)


def sequence_strip(
    outcomes: np.ndarray,
    longest: tuple[int, int],
    *,
    per_row: int = 50,
    deal_label: str,
    rejection_label: str,
    longest_label: str,
    x_title: str,
    font_size: int = FONT_SIZE,
) -> alt.Chart:
    """One seller's real deals in time order, ``per_row`` to a row, the longest losing run marked.

    Parameters
    ----------
    outcomes : numpy.ndarray
        Bool array, True for a won deal, in time order.
    longest : (int, int)
        Slice of the longest run (:func:`funnel_model.rejection.longest_run_span`).
    per_row : int, default 50
        Deals per row.
    deal_label, rejection_label, longest_label : str
        Legend labels of a won deal, a lost deal and a lost deal in the longest run.
    x_title : str
        Title of the position axis.
    font_size : int, default FONT_SIZE
        Size of axis, legend and mark labels; :data:`ROOM_FONT_SIZE` in presenter mode.
    """
    index = np.arange(outcomes.size)
    in_longest = (index >= longest[0]) & (index < longest[1])
    row_start = index // per_row * per_row
    data = pd.DataFrame(
        {
            "row": [f"{s + 1}–{min(s + per_row, outcomes.size)}" for s in row_start],
            "position": index % per_row + 1,
            "number": index + 1,
            "outcome": np.where(outcomes, deal_label, np.where(in_longest, longest_label, rejection_label)),
        }
    )
    rows = list(dict.fromkeys(data["row"]))
    strip = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("position:O", title=x_title, axis=alt.Axis(labelAngle=0, values=_tick_values(per_row))),
            y=alt.Y("row:N", title=None, sort=rows),
            color=alt.Color(
                "outcome:N",
                title=None,
                scale=alt.Scale(
                    domain=[deal_label, rejection_label, longest_label], range=[DEAL_COLOR, REJECTION_COLOR, ACCENT]
                ),
            ),
            tooltip=[alt.Tooltip("number:Q", title="#"), alt.Tooltip("outcome:N", title=" ")],
        )
        .properties(height=_grown(36 * len(rows) + AXES_AND_LEGEND, font_size))
    )
    return _big(strip, font_size)


def sellers_chart(
    table: pd.DataFrame,
    *,
    x_title: str,
    range_label: str,
    observed_label: str,
    flag_labels: dict[str, str],
    font_size: int = FONT_SIZE,
) -> alt.Chart:
    """Each seller's real longest rejection run against the range expected at their own funnel rates.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`funnel_model.rejection.seller_streaks` output.
    x_title : str
        Title of the run-length axis.
    range_label, observed_label : str
        Tooltip titles of the expected range and the observed run.
    flag_labels : dict
        Legend label of each flag ("long", "short", "typical").
    font_size : int, default FONT_SIZE
        Size of axis, legend and mark labels; :data:`ROOM_FONT_SIZE` in presenter mode.
    """
    # the seller's overall close rate next to the name, so the room sees why ranges differ
    label = table["owner"] + " · " + (100 * table["rate"]).round().astype(int).astype(str) + " %"
    data = table.assign(
        label=label,
        flag_label=table["flag"].map(flag_labels),
        range=table["low"].astype(str) + "–" + table["high"].astype(str),
    )
    y = alt.Y("label:N", title=None, sort=list(label), axis=alt.Axis(labelLimit=360))
    span = (
        alt.Chart(data)
        .mark_bar(height=14, color=REJECTION_COLOR, cornerRadius=7)
        .encode(x=alt.X("low:Q", title=x_title), x2="high:Q", y=y, tooltip=[alt.Tooltip("range:N", title=range_label)])
    )
    points = (
        alt.Chart(data)
        .mark_circle(size=260, opacity=1)
        .encode(
            x="longest_run:Q",
            y=y,
            color=alt.Color(
                "flag_label:N",
                title=None,
                scale=alt.Scale(
                    domain=[flag_labels["long"], flag_labels["typical"], flag_labels["short"]],
                    range=[ACCENT, DEAL_COLOR, "#1565c0"],
                ),
            ),
            tooltip=[
                alt.Tooltip("owner:N", title=" "),
                alt.Tooltip("longest_run:Q", title=observed_label),
                alt.Tooltip("range:N", title=range_label),
            ],
        )
    )
    return _big(
        alt.layer(span, points).properties(height=_grown(40 * len(data) + AXES_AND_LEGEND, font_size)), font_size
    )
