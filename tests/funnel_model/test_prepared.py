"""The prepared dataset: config from deals and history, and every shared view equal to its direct computation."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt

from funnel_model.forecast_views import prepare_forecast
from funnel_model.geometry import deal_depth, funnel_geometry, stage_win_rates
from funnel_model.inference import infer_config
from funnel_model.prepared import prepare
from funnel_model.schema import conform

# Alpha → Beta → Gamma; in the deal table Alpha appears only as the loss stage of two lost deals
DEALS = conform(
    pd.DataFrame(
        {
            "deal_id": ["d1", "d2", "d3", "d4", "d5", "d6"],
            "stage": ["Beta", "Gamma", "Lost", "Lost", "Won", "Beta"],
            "status": ["open", "open", "lost", "lost", "won", "open"],
            "lost_stage": [None, None, "Alpha", "Alpha", None, None],
            "funnel": "F",
            "segment": ["new", "new", "new", "active", "new", "active"],
            "amount": [100.0, 200.0, 300.0, 400.0, 500.0, 600.0],
            "created_at": pd.to_datetime(
                ["2024-03-01", "2024-01-01", "2024-02-01", "2024-02-02", "2024-01-05", "2024-03-05"]
            ),
            "closed_at": pd.to_datetime([None, None, "2024-02-10", "2024-02-12", "2024-02-20", None]),
        }
    )
)
HISTORY = pd.DataFrame(
    {
        "deal_id": ["d1", "d1", "d2", "d2", "d2", "d3", "d4", "d5", "d5", "d5", "d6", "d6", "gone"],
        "stage": [
            "Alpha",
            "Beta",
            "Alpha",
            "Beta",
            "Gamma",
            "Alpha",
            "Alpha",
            "Alpha",
            "Beta",
            "Gamma",
            "Alpha",
            "Beta",
            "Alpha",
        ],
        "entered_at": pd.to_datetime(
            [
                "2024-03-01",
                "2024-03-02",
                "2024-01-01",
                "2024-01-10",
                "2024-01-20",
                "2024-02-01",
                "2024-02-02",
                "2024-01-05",
                "2024-01-06",
                "2024-01-07",
                "2024-03-05",
                "2024-03-06",
                "2024-01-01",
            ]
        ),
    }
)


def test_config_is_inferred_from_deals_and_history():
    # the deals alone put the loss-only stage after Beta; the history shows every deal entering it first
    assert infer_config(DEALS).funnels[0].stage_names == ["Beta", "Alpha", "Gamma"]
    prepared = prepare(DEALS, HISTORY)
    assert prepared.config.funnels[0].stage_names == ["Alpha", "Beta", "Gamma"]
    assert prepared.config == infer_config(DEALS, HISTORY)


def test_a_given_config_is_kept():
    config = infer_config(DEALS)
    assert prepare(DEALS, HISTORY, config).config is config


def test_shared_views_equal_their_direct_computation():
    prepared = prepare(DEALS, HISTORY)
    config = prepared.config
    pdt.assert_frame_equal(prepared.depth, deal_depth(DEALS, config, HISTORY))
    # history depth: d1 and d6 entered Beta (2), d2 Gamma (3), the lost ones stopped at Alpha (1), the won one all 3
    assert prepared.depth["depth"].tolist() == [2, 3, 1, 1, 3, 2]
    assert prepared.history_orphans == 1
    pdt.assert_frame_equal(prepared.rates, stage_win_rates(DEALS, config, HISTORY))
    # the notebook signatures still give the same numbers with the config left to inference
    pdt.assert_frame_equal(stage_win_rates(DEALS, history=HISTORY), prepared.rates)
    pdt.assert_frame_equal(
        funnel_geometry(DEALS, history=HISTORY, by=("funnel",)),
        funnel_geometry(DEALS, config, HISTORY, by=("funnel",), depth=prepared.depth),
    )
    direct = prepare_forecast(DEALS, config, HISTORY)
    pdt.assert_frame_equal(prepared.forecast.stages, direct.stages)
    pdt.assert_frame_equal(prepared.forecast.open_deals, direct.open_deals)
    assert prepared.forecast is prepared.forecast  # computed once


def test_with_config_recomputes_the_depth():
    prepared = prepare(DEALS, HISTORY)
    assert prepared.with_config(prepared.config) is prepared
    other = prepared.with_config(infer_config(DEALS))  # Beta first: the lost deals' Alpha is now stage 2
    pdt.assert_frame_equal(other.depth, deal_depth(DEALS, infer_config(DEALS), HISTORY))
    assert other.depth["depth"].tolist() != prepared.depth["depth"].tolist()
