"""Chart files: a titled spec with the as-of line, a PNG that is a PNG, an SVG that parses, numbers per language."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import altair as alt
import pandas as pd

from funnel_model.chart_export import EXPORT_WIDTH, chart_png, chart_svg, export_spec


def chart() -> alt.Chart:
    data = pd.DataFrame({"revenue": [1_234_567.0, 2_500_000.0], "stage": ["Встреча", "<b>КП</b>"]})
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(x=alt.X("revenue:Q", axis=alt.Axis(format=",.0f")), y="stage:N")
        .properties(width="container", title="Own title")
    )


def test_the_spec_is_titled_for_a_file_and_gets_a_width():
    spec = export_spec(chart(), "Выручка", "Данные на 31.10.2026 · сценарий: База")
    assert spec["title"]["text"] == "Выручка"
    assert spec["title"]["subtitle"] == ["Own title", "Данные на 31.10.2026 · сценарий: База"]
    assert spec["width"] == EXPORT_WIDTH
    plain = export_spec(chart().to_dict() | {"title": None}, "T")  # a cached spec dict works too
    assert plain["title"]["subtitle"] == []


def test_svg_parses_with_russian_grouping_and_escaped_names():
    svg = chart_svg(export_spec(chart(), "Выручка", "Данные на 31.10.2026"), "ru")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = " ".join(root.itertext())
    assert "Выручка" in text and "Данные на 31.10.2026" in text
    assert "<b>КП</b>" in text  # a name stays text (the XML parser unescaped it)
    assert "2\u00a0500\u00a0000" in text or "2 500 000" in text  # Russian grouping on the axis
    assert "2,500,000" not in text


def test_png_is_a_real_image_twice_the_size():
    png = chart_png(export_spec(chart(), "Revenue"), "en")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 2 * EXPORT_WIDTH and height > 100


def test_a_spec_with_arrow_datasets_is_written_with_its_rows():
    """The specs the pages keep (ui/specs.py) hold their data as Arrow bytes, which a file cannot."""
    import pyarrow as pa

    frame = pd.DataFrame(
        {"month": pd.to_datetime(["2027-01-01", "2027-02-01"]), "revenue": [1_500_000.0, float("nan")]}
    )
    sink = pa.BufferOutputStream()
    table = pa.Table.from_pandas(frame)
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    spec = {
        "data": {"name": "d1"},
        "mark": "bar",
        "encoding": {"x": {"field": "month", "type": "temporal"}, "y": {"field": "revenue", "type": "quantitative"}},
        "datasets": {"d1": sink.getvalue().to_pybytes()},
    }
    out = export_spec(spec, "Выручка")
    assert out["datasets"]["d1"] == [
        {"month": "2027-01-01T00:00:00", "revenue": 1_500_000.0},
        {"month": "2027-02-01T00:00:00", "revenue": None},
    ]
    assert isinstance(spec["datasets"]["d1"], bytes)  # the page's spec is left as it was
    svg = chart_svg(out, "ru")
    ET.fromstring(svg)
    assert "Выручка" in svg


def test_a_chart_beyond_altairs_row_limit_exports():
    """Altair refuses more than 5,000 rows by default; the page shows them all, and so does the file."""
    data = pd.DataFrame({"x": range(6_000), "y": [1.0] * 6_000})
    spec = export_spec(alt.Chart(data).mark_point().encode(x="x:Q", y="y:Q"), "T")
    assert sum(len(rows) for rows in spec["datasets"].values()) == 6_000
