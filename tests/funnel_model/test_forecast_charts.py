"""Forecast charts speak the UI language: amount axes «56 млн» / "56M", tooltips formatted like the page's text."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from funnel_model.charts.forecast import (
    amount_label_expr,
    bands_chart,
    distribution_chart,
    months_chart,
    reverse_funnel_chart,
)

NNBSP = "\u202f"
MONTH_LABELS = dict.fromkeys(["month", "revenue", "pipeline", "new_leads", "source", "band"], "x")


def axes(spec: dict) -> list[dict]:
    """Every axis definition of a (layered) Vega-Lite spec."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("axis"), dict):
                found.append(node["axis"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def data_rows(spec: dict) -> list[dict]:
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


@pytest.mark.parametrize(
    ("lang", "units", "absent"),
    [("ru", ["\u00a0млрд", "\u00a0млн", "\u00a0тыс."], "'M'"), ("en", ["'B'", "'M'", "'K'"], "млн")],
)
def test_amount_axes_use_the_languages_units_not_latin_si_suffixes(lang, units, absent):
    expr = amount_label_expr(lang)
    assert all(u in expr for u in units) and absent not in expr
    # Russian writes a decimal comma: «0,5 млн»
    assert ("replace(" in expr) == (lang == "ru")
    months = pd.DataFrame(
        {"month": ["2026-01"], "pipeline": [1_200_000.0], "new_leads": [500_000.0], "low": [1e6], "high": [2.5e6]}
    )
    spec = months_chart(months, MONTH_LABELS, lang).to_dict()
    revenue_axes = [a for a in axes(spec) if "labelExpr" in a and "datum.value /" in a["labelExpr"]]
    assert revenue_axes and all(a["labelExpr"] == expr for a in revenue_axes)
    assert not any(a.get("format") == "~s" for a in axes(spec))
    shown = {row.get("revenue_text") for row in data_rows(spec)} | {row.get("high_text") for row in data_rows(spec)}
    assert f"1{NNBSP}200{NNBSP}000" in shown and f"2{NNBSP}500{NNBSP}000" in shown


def test_the_distribution_and_bands_charts_format_their_numbers_per_language():
    curves = pd.DataFrame({"mid": [1_500_000.5], "prob": [0.0525], "series": ["a"]})
    spec = distribution_chart(curves, 2e6, dict.fromkeys(["revenue", "probability", "series", "plan"], "x"), "ru")
    spec = spec.to_dict()
    assert {"mid_text": f"1{NNBSP}500{NNBSP}000", "prob_text": "5,25 %"}.items() <= data_rows(spec)[0].items()
    assert any("' %'" in a.get("labelExpr", "") and "replace(" in a["labelExpr"] for a in axes(spec))
    bands = pd.DataFrame({"band": ["b"], "p10": [1e6], "p50": [2e6], "p90": [3.25e6]})
    text = json.dumps(bands_chart(bands, 2e6, dict.fromkeys(["revenue", "band", "plan"], "x"), "en").to_dict())
    assert "3\\u202f250\\u202f000" in text and "млн" not in text and '"~s"' not in text


def test_the_reverse_funnel_shows_whole_deals_and_an_average_with_one_decimal():
    table = pd.DataFrame(
        {"stage": ["Lead"], "order": [1], "needed_mean": [0.92], "needed_conf": [17.0], "actual": [1200.0]}
    )
    labels = dict.fromkeys(["stage", "deals", "series", "needed_mean", "needed_conf", "actual"], "x")
    labels.update(needed_mean="mean", needed_conf="conf", actual="actual")
    spec = reverse_funnel_chart(table, labels, "ru").to_dict()
    bars = [row for row in data_rows(spec) if "what" in row]
    shown = {row["what"]: row["deals_text"] for row in bars}
    assert shown == {"mean": "0,9", "conf": "17", "actual": f"1{NNBSP}200"}
    # the axis reaches past the longest bar, room for its label
    assert [row["deals"] for row in data_rows(spec) if "what" not in row] == [1200.0 * 1.9]
    assert any(a.get("tickMinStep") == 1 for a in axes(spec))
