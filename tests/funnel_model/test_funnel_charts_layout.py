"""Funnels charts that a director can read at 1440 px: calibration labels never overlap, the shapes legend beside."""

from __future__ import annotations

import itertools

import pandas as pd

from funnel_model.charts.funnels import calibration_chart, comparison_chart

LABELS = {
    "stated": "Stated",
    "observed": "Observed",
    "flag_over": "Over-optimistic",
    "flag_under": "Under",
    "flag_none": "OK",
    "n": "n",
    "name": "Seller",
}


def test_calibration_labels_only_flagged_points_and_steps_apart_those_that_would_collide():
    table = pd.DataFrame(
        {
            "owner": ["Ann", "Bob", "Cid", "Dan", "Eve"],
            "stated": [0.50, 0.52, 0.54, 0.30, 0.80],
            "observed": [0.20, 0.21, 0.20, 0.31, 0.79],
            "low": [0.1] * 5,
            "high": [0.4] * 5,
            "n": [40] * 5,
            "flag": ["over", "over", "over", "", ""],
        }
    )
    spec = calibration_chart(table, name="owner", labels=LABELS).to_dict()
    text = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    rows = spec["datasets"][text["data"]["name"]]
    assert sorted(r["name"] for r in rows) == ["Ann", "Bob", "Cid"]  # Dan and Eve are fine: no label
    ys = sorted(r["label_y"] for r in rows)
    # three labels within a few points of each other: each a line (0.035) below the one above
    assert all(b - a >= 0.035 - 1e-9 for a, b in itertools.pairwise(ys))


def test_shapes_compared_legend_beside_with_level_tick_labels():
    rows = pd.DataFrame(
        {"order": [1, 2, 3], "stage": ["Lead", "Meeting", "Won"], "cumulative_conversion": [1.0, 0.5, 0.2]}
    )
    labels = {"step": "Step", "from_first": "% of first", "from_previous": "% of previous", "funnel": "F", "stage": "S"}
    spec = comparison_chart([("Retention (active clients) · Развитие", rows)], labels=labels).to_dict()
    enc = spec["encoding"]
    assert enc["color"]["legend"]["orient"] == "right" and enc["color"]["legend"]["labelLimit"] == 0
    assert enc["x"]["axis"]["labelAngle"] == 0
    assert enc["y"]["axis"]["tickCount"] == 5
