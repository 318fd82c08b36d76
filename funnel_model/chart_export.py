"""Charts as files: PNG and SVG of a Vega-Lite spec with a title, the data's as-of date and the scenario's name.

Pure; vl-convert renders the spec offline (no browser). Numbers and dates in
the file follow the UI language (Vega's ru-RU / en-US locales); charts that
stretch to their container get a fixed width, since a file has none.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["EXPORT_WIDTH", "chart_png", "chart_svg", "export_spec"]

EXPORT_WIDTH = 900  # px of a "container"-wide chart in a file: a slide's content width
_LOCALES = {"ru": "ru-RU", "en": "en-US"}


def _fixed_width(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: EXPORT_WIDTH if k == "width" and v == "container" else _fixed_width(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_fixed_width(v) for v in node]
    return node


def _inline_datasets(spec: dict) -> dict:
    """Datasets held as Arrow bytes (a spec Streamlit converted, see ui/specs.py) as the JSON rows a file needs."""
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict) or not any(isinstance(v, bytes) for v in datasets.values()):
        return spec
    import altair as alt
    import pyarrow as pa

    rows = {}
    for name, data in datasets.items():
        if isinstance(data, bytes):
            frame = pa.ipc.open_stream(data).read_pandas()
            # ISO dates and None for NaN, as Altair writes a chart's rows
            data = alt.utils.sanitize_pandas_dataframe(frame).to_dict("records")
        rows[name] = data
    return {**spec, "datasets": rows}


def export_spec(chart: object, title: str, subtitle: str = "") -> dict:
    """The chart's Vega-Lite spec (from an Altair chart or a spec dict) titled for a file.

    Parameters
    ----------
    chart : altair chart or dict
        A spec dict may be Streamlit's (``ui.specs.chart_spec``), with Arrow datasets.
    title : str
        Top title; the chart's own title, if any, stays below as part of the chart.
    subtitle : str
        A line under the title (as-of date, scenario).
    """
    if isinstance(chart, dict):
        spec = copy.deepcopy(chart)
    else:
        import altair as alt

        with alt.data_transformers.disable_max_rows():  # a file holds every row the page shows
            spec = chart.to_dict()
    spec = _fixed_width(_inline_datasets(spec))
    own = spec.get("title")
    if own:  # keep the chart's own title as a second subtitle line
        own_text = own.get("text") if isinstance(own, dict) else own
        own_lines = own_text if isinstance(own_text, list) else [own_text]
        subtitle_lines = [*map(str, own_lines), subtitle] if subtitle else list(map(str, own_lines))
    else:
        subtitle_lines = [subtitle] if subtitle else []
    spec["title"] = {"text": title, "subtitle": subtitle_lines, "anchor": "start", "fontSize": 16}
    return spec


def chart_svg(spec: dict, lang: str = "en") -> str:
    """SVG text of a Vega-Lite spec, numbers and dates in ``lang``."""
    import vl_convert

    locale = _LOCALES.get(lang, "en-US")
    return vl_convert.vegalite_to_svg(spec, format_locale=locale, time_format_locale=locale)


def chart_png(spec: dict, lang: str = "en", scale: float = 2.0) -> bytes:
    """PNG bytes of a Vega-Lite spec at ``scale`` (2: sharp on a projector and in print)."""
    import vl_convert

    locale = _LOCALES.get(lang, "en-US")
    return vl_convert.vegalite_to_png(spec, scale=scale, format_locale=locale, time_format_locale=locale)
