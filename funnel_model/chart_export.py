"""Charts as files: PNG and SVG of a Vega-Lite spec with a title, the data's as-of date and the scenario's name.

Pure; vl-convert renders the spec offline (no browser). Numbers and dates in
the file follow the UI language (Vega's ru-RU / en-US locales); charts that
stretch to their container get a fixed width, since a file has none.
"""

from __future__ import annotations

import copy
import json
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


def _values(dataset: Any) -> Any:
    """A dataset as Vega reads it: Streamlit's specs carry theirs as Arrow IPC bytes, a file needs rows."""
    if not isinstance(dataset, bytes):
        return dataset
    import pyarrow as pa

    frame = pa.ipc.open_stream(dataset).read_pandas()
    return json.loads(frame.to_json(orient="records", date_format="iso"))


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
    if isinstance(spec.get("datasets"), dict):
        spec["datasets"] = {name: _values(rows) for name, rows in spec["datasets"].items()}
    spec = _fixed_width(spec)
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
