"""The Clients page's chart builders: the data they draw and the labels they carry."""

from __future__ import annotations

import pandas as pd

from funnel_model.charts.clients import flows_chart, pareto_chart, revenue_chart, sources_chart, states_chart

BASE = pd.DataFrame(
    {
        "month": pd.to_datetime(["2024-01-01", "2024-02-01"]),
        "new": [1, 2],
        "active": [3, 4],
        "dormant": [0, 1],
        "first_win": [3, 1],
        "reactivated": [0, 1],
        "fell_dormant": [0, 2],
        "revenue_new": [350.0, 0.0],
        "revenue_active": [0.0, 1200.5],
        "revenue_dormant": [0.0, 70.0],
    }
)
LABELS = {
    "month": "Month",
    "clients": "Clients",
    "state": "State",
    "flow": "Move",
    "revenue": "Revenue",
    "new": "New",
    "active": "Active",
    "dormant": "Dormant",
    "first_win": "First win",
    "reactivated": "Back",
    "fell_dormant": "Fell asleep",
}


def drawn(chart) -> pd.DataFrame:
    """The data of a chart, or of its first layer when the layers hold it."""
    return chart.data if isinstance(chart.data, pd.DataFrame) else chart.layer[0].data


def test_states_chart_stacks_the_three_states_per_month():
    data = states_chart(BASE, LABELS, "ru").data
    assert len(data) == 6
    feb = data[data["month"] == pd.Timestamp("2024-02-01")].set_index("name")["value"].to_dict()
    assert feb == {"New": 2, "Active": 4, "Dormant": 1}
    assert set(data["month_text"]) == {"01.2024", "02.2024"}


def test_flows_chart_draws_falling_dormant_below_zero():
    data = flows_chart(BASE, LABELS, "en").data.set_index(["month", "name"])["value"]
    assert data[(pd.Timestamp("2024-02-01"), "Fell asleep")] == -2
    assert data[(pd.Timestamp("2024-02-01"), "Back")] == 1
    tips = flows_chart(BASE, LABELS, "en").data
    assert tips.loc[tips["name"] == "Fell asleep", "value_text"].tolist() == ["0", "2"]  # a count, not "−2"


def test_revenue_chart_names_each_state_and_formats_amounts():
    data = revenue_chart(BASE, LABELS, "ru").data
    row = data[(data["name"] == "Active") & (data["month"] == pd.Timestamp("2024-02-01"))].iloc[0]
    assert row["value"] == 1200.5 and row["value_text"] == "1\u202f200"


def test_sources_and_pareto_charts_carry_formatted_tooltips():
    summary = pd.DataFrame({"name": ["A", "B"], "win_rate": [0.5, 0.25], "low": [0.3, 0.1], "high": [0.7, 0.5]})
    summary["deals"] = [10, 4000]
    layer = sources_chart(summary, {"source": "S", "win_rate": "W", "interval": "I", "deals": "D"}, "ru")
    data = drawn(layer)
    assert data["rate_text"].tolist() == ["50,0 %", "25,0 %"]
    assert data["deals_text"].tolist() == ["10", "4\u202f000"]
    pareto = pd.DataFrame({"name": ["x", "y"], "deals": [3, 1], "amount": [35.0, 300.0], "cumulative": [0.75, 1.0]})
    chart = pareto_chart(pareto, {"reason": "R", "deals": "D", "amount": "A", "cumulative": "C"}, "en")
    bars = drawn(chart)
    assert bars["cumulative_text"].tolist() == ["75.0 %", "100.0 %"]


def test_month_axes_speak_the_ui_language_and_share_axes_write_percent_as_the_app_does():
    for build in (states_chart, flows_chart):
        ru = build(BASE, LABELS, "ru").to_dict()["encoding"]["x"]["axis"]["labelExpr"]
        assert "'янв'" in ru and "'дек'" in ru and "Jan" not in ru
        assert "'Jan'" in build(BASE, LABELS, "en").to_dict()["encoding"]["x"]["axis"]["labelExpr"]
    assert set(flows_chart(BASE, LABELS, "en").data["month_text"]) == {"Jan 2024", "Feb 2024"}
    summary = pd.DataFrame({"name": ["A"], "win_rate": [0.5], "low": [0.4], "high": [0.6], "deals": [10]})
    spec = sources_chart(summary, {"source": "S", "win_rate": "W", "interval": "I", "deals": "D"}, "ru").to_dict()
    assert "' %'" in spec["layer"][0]["encoding"]["x"]["axis"]["labelExpr"]
