"""Percent axes in the language's format: «25 %» with a decimal comma in Russian, on every chart that has one."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from funnel_model.charts.forecast import percent_label_expr
from funnel_model.charts.funnels import seller_chart
from funnel_model.charts.rejection import attempts_chart


def label_exprs(chart) -> list[str]:
    spec = json.dumps(chart.to_dict(validate=False), ensure_ascii=False)
    return [e.replace('\\"', '"') for e in _exprs(json.loads(spec))]


def _exprs(node) -> list[str]:
    if isinstance(node, dict):
        own = [node["labelExpr"]] if "labelExpr" in node else []
        return own + [e for v in node.values() for e in _exprs(v)]
    if isinstance(node, list):
        return [e for v in node for e in _exprs(v)]
    return []


@pytest.mark.parametrize(("lang", "comma"), [("ru", True), ("en", False)])
def test_the_percent_label_expression_writes_the_languages_percent(lang, comma):
    expr = percent_label_expr(lang)
    assert expr.endswith("' %'")  # a space before the sign, as funnel_model.formatting.percent
    assert ("replace(" in expr) is comma  # «2,5 %» in Russian


def test_funnel_and_rejection_charts_use_it_in_russian():
    sellers = pd.DataFrame(
        {
            "owner": ["Анна", "Борис"],
            "win_rate": [0.25, 0.4],
            "low": [0.2, 0.3],
            "high": [0.3, 0.5],
            "rank": [2, 1],
            "team_rate": [0.33, 0.33],
            "vs_team": ["below", "above"],
        }
    )
    labels = {"win_rate": "Конверсия", "seller": "Продавец", "team": "Команда", "deals": "Сделки"}
    chart = seller_chart(sellers, labels=labels, lang="ru")
    assert percent_label_expr("ru") in label_exprs(chart)
    dist = pd.DataFrame({"attempt": np.arange(1, 6), "probability": [0.1, 0.09, 0.081, 0.073, 0.066]})
    chart = attempts_chart(dist, 3, x_title="x", y_title="y", inside_label="in", outside_label="out", lang="ru")
    assert percent_label_expr("ru") in label_exprs(chart)
