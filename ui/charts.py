"""``show_chart``: a chart on the page with PNG and SVG downloads titled for a slide.

Accepts an Altair chart or a (cached) Vega-Lite spec dict. The files are
rendered only when a button is pressed (deferred download data), so showing
a chart costs no more than before.
"""

from __future__ import annotations

import functools
import re

import pandas as pd
import streamlit as st

from funnel_model.chart_export import chart_png, chart_svg, export_spec
from funnel_model.formatting import date
from funnel_model.report import charts_available
from ui import data
from ui.i18n import lang, tr, tr_text
from ui.scenario import IN_USE_KEY

__all__ = ["show_chart"]


def _last_day(deals: pd.DataFrame) -> object:
    return max((d for d in (deals["created_at"].max(), deals["closed_at"].max()) if pd.notna(d)), default=None)


def _as_of() -> str:
    dataset = data.current()  # one look at the dates per dataset, however many charts a page shows
    return date(data.session_memo("chart.as_of", dataset.key, lambda: _last_day(dataset.deals)), lang())


@functools.cache
def _files_possible() -> bool:
    """Whether the PNG and SVG files can be made: asked once, not on disk for every chart of every run."""
    return charts_available()


def _file_name(name: str) -> str:
    return re.sub(r"[^\w\-]+", "_", name, flags=re.UNICODE).strip("_") or "chart"


def show_chart(
    chart: object, name: str, *, title: str | None = None, key: str | None = None, place=st, **kwargs
) -> None:
    """Show ``chart`` (Altair chart or Vega-Lite spec dict) and offer it as PNG and SVG.

    Parameters
    ----------
    chart : altair chart or dict
    name : str
        File name stem ("forecast_distribution").
    title : str, optional
        The files' title (UI language); ``name`` when not given.
    key : str, optional
        Key of the chart element; the buttons use ``{key or name}.png`` / ``.svg``.
    place : container, optional
        Where the chart and its buttons go (a column); the page by default.
    **kwargs
        Passed to ``st.altair_chart`` / ``st.vega_lite_chart`` (``width``, ``height`` ...).
    """
    if isinstance(chart, dict):
        place.vega_lite_chart(chart, key=key, **kwargs)
    else:
        place.altair_chart(chart, key=key, **kwargs)
    if not _files_possible():
        return
    language = lang()
    scenario = st.session_state.get(IN_USE_KEY) or tr_text("scenario.current")
    subtitle = tr_text("chart.subtitle", as_of=_as_of(), scenario=scenario)  # plain text: a file, not Markdown
    heading = title or name
    stem, base = _file_name(name), key or name
    buttons = place.container(horizontal=True)
    buttons.download_button(
        tr("chart.png"),
        lambda: chart_png(export_spec(chart, heading, subtitle), language),  # built on a click only
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"{base}.png",
        on_click="ignore",
        type="tertiary",
        icon=":material/image:",
    )
    buttons.download_button(
        tr("chart.svg"),
        lambda: chart_svg(export_spec(chart, heading, subtitle), language).encode("utf-8"),
        file_name=f"{stem}.svg",
        mime="image/svg+xml",
        key=f"{base}.svg",
        on_click="ignore",
        type="tertiary",
        icon=":material/download:",
    )
