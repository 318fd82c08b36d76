"""The Funnels page's headline: one sentence per funnel on what is happening and what to do.

What happens: the win rate of deals closed in the last window against the
window before (:func:`funnel_model.period.recent_change`); what to do: the
weakest step (the page's bottleneck, :func:`funnel_model.geometry.bottlenecks`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from funnel_model.formatting import number, percent, signed
from funnel_model.funnel_views import FunnelViews
from funnel_model.period import recent_change
from ui import data
from ui.i18n import lang, tr

__all__ = ["FALLING", "WINDOW_DAYS", "lines", "show"]

WINDOW_DAYS = 90
FALLING = -0.05  # a drop of 5 percentage points or more reads as "falling"


def _same(frame: pd.DataFrame, funnel: object, segment: object) -> pd.DataFrame:
    seg = frame["segment"].isna() if pd.isna(segment) else frame["segment"] == segment
    return frame[(frame["funnel"] == funnel) & seg]


def sentence(title: str, change: pd.Series | None, bottleneck: pd.Series | None, days: int = WINDOW_DAYS) -> str:
    """The headline of one funnel: its recent win rate and its change, then the step to work on."""
    lg = lang()
    if change is None or change["closed_now"] == 0:
        text = tr("headline.quiet", funnel=title, days=days)
    else:
        params = {
            "funnel": title,
            "won": number(change["won_now"], lg),
            "closed": number(change["closed_now"], lg),
            "days": days,
            "rate": percent(change["rate_now"], lg, 0),
        }
        if change["closed_before"] > 0:
            pp = f"{signed(100 * change['change'], lg, 1)} {tr('headline.pp')}"
            text = tr("headline.rate", change=pp, **params)
        else:
            text = tr("headline.rate_nobase", **params)
    if bottleneck is None or (not bottleneck["lost_unknown"] and pd.isna(bottleneck["stage"])):
        todo = tr("headline.todo_none")
    elif bottleneck["lost_unknown"]:
        todo = tr("headline.todo_unknown")
    elif not bottleneck["reliable"]:
        todo = tr("headline.todo_none")
    else:
        falling = change is not None and change["closed_before"] > 0 and change["change"] <= FALLING
        todo = tr(
            "headline.todo_falling" if falling else "headline.todo",
            previous=bottleneck["previous"],
            stage=bottleneck["stage"],
            pct=percent(bottleneck["conversion"], lg, 0),
        )
    return f"{text} {todo}"


def _changes(deals: pd.DataFrame, days: int) -> pd.DataFrame:
    """:func:`recent_change` of ``deals``; kept on the dataset's key when they are the session's deals."""
    dataset = data.current()
    if deals is dataset.deals:
        return data.session_memo("headlines.changes", (dataset.key, days), lambda: recent_change(deals, days=days))
    return recent_change(deals, days=days)


def lines(result: FunnelViews, deals: pd.DataFrame, panels: list, days: int = WINDOW_DAYS) -> list[str]:
    """The headline sentence of each funnel panel ((segment, title, rows) in page order)."""
    changes = _changes(deals, days)
    found = []
    for segment, title, rows in panels:
        funnel = rows["funnel"].iloc[0]
        c = _same(changes, funnel, segment) if len(changes) else changes
        b = _same(result.bottlenecks, funnel, segment) if len(result.bottlenecks) else result.bottlenecks
        found.append(sentence(title, c.iloc[0] if len(c) else None, b.iloc[0] if len(b) else None, days))
    return found


def show(result: FunnelViews, deals: pd.DataFrame, panels: list, days: int = WINDOW_DAYS, key: object = None) -> None:
    """One line per funnel panel ((segment, title, rows) in page order) and the method.

    ``key``: what ``result`` and ``panels`` were made from (the dataset's key and the filter choice);
    when given, the lines are written once per key and language, not on every rerun.
    """
    if not panels:
        return
    st.subheader(tr("headline.title"))
    if key is None:
        found = lines(result, deals, panels, days)
    else:
        found = data.session_memo("headlines.lines", (key, days, lang()), lambda: lines(result, deals, panels, days))
    st.markdown("\n".join(f"- {line}" for line in found))
    with st.expander(tr("period.how")):
        st.markdown(tr("headline.how"))
