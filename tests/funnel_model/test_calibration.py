"""Calibration: Wilson intervals, Brier score, stated against observed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from funnel_model.calibration import (
    brier_score,
    calibrate,
    calibration_table,
    stage_calibration,
    stated_probabilities,
    wilson_interval,
)
from funnel_model.config import FunnelConfig, FunnelSpec, StageSpec
from funnel_model.errors import ParameterError
from funnel_model.geometry import stage_win_rates
from funnel_model.schema import conform

CONFIG = FunnelConfig([FunnelSpec("main", [StageSpec("A", 0.2), StageSpec("B", 0.6)], won=["Won"], lost=["Lost"])])


def test_wilson_interval_hand_values():
    # 3 of 10 at 95 %: p = 0.3, z = 1.959964; centre (0.3 + z²/20) / (1 + z²/10) = 0.355507,
    # half-width z·sqrt(0.021 + z²/400) / (1 + z²/10) = 0.247715
    low, high = wilson_interval(3, 10, 0.95)
    assert float(low) == pytest.approx(0.107791, abs=1e-6)
    assert float(high) == pytest.approx(0.603222, abs=1e-6)
    low, high = wilson_interval([0, 5], [5, 5], 0.95)
    assert low[0] == 0.0 and high[1] == 1.0
    assert high[0] == pytest.approx(0.434482, abs=1e-6)  # z²/(5 + z²)
    low, high = wilson_interval(0, 0)
    assert np.isnan(low) and np.isnan(high)
    with pytest.raises(ParameterError):
        wilson_interval(1, 2, level=0)


def test_brier_score_by_hand():
    assert brier_score([0.8, 0.3, 0.5], [1, 0, 0]) == pytest.approx((0.04 + 0.09 + 0.25) / 3)
    assert brier_score([0.5, 0.5], [1, 0]) == 0.25
    assert np.isnan(brier_score([], []))


def _deals(rows, probability=None) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["deal_id", "stage", "status", "lost_stage", "owner"])
    if probability is not None:
        frame["probability"] = probability
    return conform(frame)


def test_stated_probability_is_own_estimate_else_first_stage_config():
    deals = _deals(
        [
            ("1", "Won", "won", None, "x"),
            ("2", "Lost", "lost", "B", "x"),
            ("3", "A", "open", None, "y"),
            ("4", "Lost", "lost", "A", "y"),
        ],
        probability=[0.9, np.nan, 0.5, 0.4],
    )
    table = stated_probabilities(deals, CONFIG)
    assert table.index.tolist() == [0, 1, 3]  # the open deal is not judged
    assert table["stated"].tolist() == [0.9, 0.2, 0.4]
    assert table["source"].tolist() == ["deal", "config", "deal"]
    assert table["won"].tolist() == [1, 0, 0]


def test_crm_zero_one_probabilities_on_closed_deals_are_ignored():
    deals = _deals([("1", "Won", "won", None, "x"), ("2", "Lost", "lost", "A", "x")], probability=[1.0, 0.0])
    table = stated_probabilities(deals, CONFIG)
    assert table["stated"].tolist() == [0.2, 0.2]
    assert (table["source"] == "config").all()


def test_over_optimistic_seller_is_flagged_and_sorted_first():
    # x states 80 % on 40 deals and wins 10; y states 50 % and wins 20 of 40
    rows, probs = [], []
    for i in range(80):
        owner = "x" if i < 40 else "y"
        won = (i < 10) or (40 <= i < 60)
        rows.append((str(i), "Won" if won else "Lost", "won" if won else "lost", None if won else "A", owner))
        probs.append(0.8 if owner == "x" else 0.5)
    deals = _deals(rows, probability=probs)
    table = calibration_table(stated_probabilities(deals, CONFIG), "owner", level=0.95, min_count=20)
    assert table["owner"].tolist() == ["x", "y"]
    x, y = table.iloc[0], table.iloc[1]
    assert (x["n"], x["wins"], x["expected"]) == (40, 10, pytest.approx(32.0))
    assert x["oe"] == pytest.approx(10 / 32)
    assert x["observed"] == 0.25 and x["flag"] == "over"
    assert x["brier"] == pytest.approx((10 * 0.2**2 + 30 * 0.8**2) / 40)
    assert y["flag"] == "" and y["oe"] == pytest.approx(1.0)
    result = calibrate(deals, CONFIG, min_count=20)
    assert result.over_optimistic == ["x"]
    assert result.deals == 80 and result.own_estimates == 80
    assert result.brier == pytest.approx((10 * 0.04 + 30 * 0.64 + 20 * 0.25 + 20 * 0.25) / 80)
    # below the minimum count nobody is flagged, however far off
    assert calibrate(deals, CONFIG, min_count=41).over_optimistic == []


def test_stage_calibration_from_win_counts():
    deals = _deals(
        [
            ("1", "Won", "won", None, "x"),
            ("2", "Won", "won", None, "x"),
            ("3", "Lost", "lost", "A", "x"),
            ("4", "Lost", "lost", "A", "x"),
            ("5", "Lost", "lost", "B", "x"),
        ]
    )
    table = stage_calibration(stage_win_rates(deals, CONFIG, min_count=1), level=0.95, min_count=1)
    assert table["n"].tolist() == [5, 3]
    assert table["wins"].tolist() == [2, 2]
    np.testing.assert_allclose(table["stated"], [0.2, 0.6])
    np.testing.assert_allclose(table["expected"], [1.0, 1.8])
    np.testing.assert_allclose(table["observed"], [0.4, 2 / 3])
    np.testing.assert_allclose(table["brier"], [(2 * 0.64 + 3 * 0.04) / 5, (2 * 0.16 + 1 * 0.36) / 3])
    low, high = wilson_interval([2, 2], [5, 3], 0.95)
    np.testing.assert_allclose(table["low"], low)
    np.testing.assert_allclose(table["high"], high)
