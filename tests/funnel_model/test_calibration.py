"""Calibration: Wilson intervals, Brier score, stated against observed (own estimates vs configured rates)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from funnel_model import calibration, stats
from funnel_model.calibration import (
    brier_score,
    calibrate,
    calibration_table,
    crm_closing_values,
    stage_calibration,
    stated_probabilities,
)
from funnel_model.config import FunnelConfig, FunnelSpec, StageSpec
from funnel_model.errors import ParameterError
from funnel_model.geometry import stage_win_rates
from funnel_model.schema import conform
from funnel_model.stats import wilson_interval

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


def test_calibration_uses_the_one_shared_wilson_interval():
    assert calibration.wilson_interval is stats.wilson_interval
    assert "wilson_interval" in stats.__all__ and "wilson_interval" not in calibration.__all__


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
    # counted, so the page can say why no deal carries the seller's own estimate
    result = calibrate(deals, CONFIG, min_count=1)
    assert (result.crm_closing, result.own_estimates) == (2, 0)
    assert crm_closing_values(pd.Series([1.0, 0.0, np.nan, 1.0])) == 3
    assert crm_closing_values(pd.Series([1.0, 0.0, 0.7])) == 0  # a real estimate among them: all are estimates
    assert crm_closing_values(pd.Series([np.nan])) == 0
    mixed = _deals([("1", "Won", "won", None, "x"), ("2", "Lost", "lost", "A", "x")], probability=[0.8, 0.0])
    assert calibrate(mixed, CONFIG, min_count=1).crm_closing == 0


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
    assert table["source"].tolist() == ["deal", "deal"]
    x, y = table.iloc[0], table.iloc[1]
    assert (x["n"], x["wins"], x["expected"]) == (40, 10, pytest.approx(32.0))
    assert x["oe"] == pytest.approx(10 / 32)
    assert x["observed"] == 0.25 and x["flag"] == "over"
    assert x["brier"] == pytest.approx((10 * 0.2**2 + 30 * 0.8**2) / 40)
    assert y["flag"] == "" and y["oe"] == pytest.approx(1.0)
    result = calibrate(deals, CONFIG, min_count=20)
    assert result.over_optimistic == ["x"]
    assert result.deals == 80 and result.own_estimates == 80 and result.below_configured == []
    assert result.brier == pytest.approx((10 * 0.04 + 30 * 0.64 + 20 * 0.25 + 20 * 0.25) / 80)
    # below the minimum count nobody is flagged, however far off
    assert calibrate(deals, CONFIG, min_count=41).over_optimistic == []


def _team(own_x: int):
    """x: 40 closed deals, 10 won; the first ``own_x`` carry x's own 0.8. y: 40 closed, 20 won, no estimates.

    Deals without an estimate are judged against the first stage's configured 0.2.
    """
    rows, probs = [], []
    for i in range(80):
        owner = "x" if i < 40 else "y"
        won = (i < 10) or (40 <= i < 60)
        rows.append((str(i), "Won" if won else "Lost", "won" if won else "lost", None if won else "A", owner))
        probs.append(0.8 if i < own_x else np.nan)
    return _deals(rows, probability=probs)


def test_a_seller_who_stated_nothing_is_never_called_over_optimistic():
    # x and y stated nothing: every deal is compared with the configured 0.2
    deals = _team(own_x=0)
    for i in range(40):  # x now wins 2 of 40: far below the configured 20 %
        deals.loc[i, ["stage", "status", "lost_stage"]] = ("Won", "won", None) if i < 2 else ("Lost", "lost", "A")
    result = calibrate(deals, CONFIG, min_count=20)
    assert result.own_estimates == 0 and result.over_optimistic == []
    table = result.by_owner.set_index("owner")
    assert table["source"].tolist() == ["config", "config"]
    # x: Wilson 95 % of 2/40 is [0.0138, 0.165]; 0.165 + 0.05 < 0.2 is false -> within the margin: no flag
    assert table.loc["x", "low"] == pytest.approx(0.013821, abs=1e-6)
    assert table.loc["x", "high"] == pytest.approx(0.165039, abs=1e-6) and table.loc["x", "flag"] == ""
    # y: 20 of 40, Wilson low 0.352 - 0.05 > 0.2 -> wins above the configured rate, worded as such
    assert table.loc["y", "flag"] == "above" and table.loc["y", "expected"] == pytest.approx(8.0)
    # all-lost x: 0 of 40, high 0.0876 + 0.05 < 0.2 -> "below" the configured rate, still not "over"
    deals.loc[:1, ["stage", "status", "lost_stage"]] = ("Lost", "lost", "A")
    result = calibrate(deals, CONFIG, min_count=20)
    assert result.over_optimistic == [] and result.below_configured == ["x"]
    assert result.by_owner.iloc[0][["owner", "source", "flag"]].tolist() == ["x", "config", "below"]


def test_own_estimates_are_flagged_only_above_the_minimum_count():
    # x states 0.8 on 15 deals (3 won: 20 %), below the minimum of 20 own estimates: no flag
    deals = _team(own_x=15)
    table = calibration_table(stated_probabilities(deals, CONFIG), "owner", level=0.95, min_count=20)
    mine = table[table["owner"] == "x"].set_index("source")
    assert mine.loc["deal", "n"] == 15 and mine.loc["deal", "wins"] == 10  # deals 0-9 are the wins
    assert mine.loc["config", "n"] == 25 and mine.loc["config", "wins"] == 0
    assert mine.loc["deal", "flag"] == "" and not mine.loc["deal", "reliable"]
    assert calibrate(deals, CONFIG, min_count=20).over_optimistic == []
    # with 40 own estimates (10 won) x is over-optimistic on their own numbers
    result = calibrate(_team(own_x=40), CONFIG, min_count=20)
    assert result.over_optimistic == ["x"] and result.own_estimates == 40


def test_stage_calibration_uses_the_stage_table_rule():
    # one rule for a flagged stage: the stage table's exact binomial test at the configured probability
    deals = _deals(
        [(str(i), "Won", "won", None, "x") for i in range(10)]
        + [(str(i), "Lost", "lost", "A", "x") for i in range(10, 34)]
    )
    rates = stage_win_rates(deals, CONFIG, min_count=1, level=0.9)
    table = stage_calibration(rates, min_count=1)
    np.testing.assert_allclose(table["low"], rates["low"])
    np.testing.assert_allclose(table["high"], rates["high"])
    # A: 10 of 34 at 0.2, exact two-sided p = 0.15: no flag. B: 10 of 10 at 0.6, p = 0.6^10 + P(X ≤ 1) = 0.0077
    assert sps.binomtest(10, 34, 0.2).pvalue > 0.05
    assert sps.binomtest(10, 10, 0.6).pvalue == pytest.approx(0.6**10 + 0.4**10 + 10 * 0.6 * 0.4**9)
    assert rates["outside"].tolist() == [False, True]
    assert table["flag"].tolist() == ["", "under"]
    assert (table["flag"] != "").tolist() == rates["outside"].tolist()
    # 6 of 6 at 0.6 happens 4.7 % of the time (p = 0.088): the old interval rule flagged it, the test does not
    assert not stage_win_rates(deals.iloc[[0, 1, 2, 3, 4, 5, *range(10, 34)]], CONFIG, min_count=1)["outside"][1]


def test_stage_calibration_leaves_out_stages_whose_rate_is_unknown():
    deals = _deals([("1", "Won", "won", None, "x"), ("2", "Lost", "lost", None, "x"), ("3", "Lost", "lost", "A", "x")])
    rates = stage_win_rates(deals, CONFIG, min_count=1)
    assert rates["identifiable"].tolist() == [True, False]
    table = stage_calibration(rates, min_count=1)
    assert table["stage"].tolist() == ["A"] and table["n"].tolist() == [3]


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
    rates = stage_win_rates(deals, CONFIG, min_count=1, level=0.95)
    table = stage_calibration(rates, min_count=1)
    assert table["n"].tolist() == [5, 3]
    assert table["wins"].tolist() == [2, 2]
    np.testing.assert_allclose(table["stated"], [0.2, 0.6])
    np.testing.assert_allclose(table["expected"], [1.0, 1.8])
    np.testing.assert_allclose(table["observed"], [0.4, 2 / 3])
    np.testing.assert_allclose(table["brier"], [(2 * 0.64 + 3 * 0.04) / 5, (2 * 0.16 + 1 * 0.36) / 3])
    np.testing.assert_allclose(table["low"], rates["low"])  # the stage table's interval
    np.testing.assert_allclose(table["high"], rates["high"])


def test_well_calibrated_sellers_are_rarely_flagged():
    # 300 seeded teams of eight sellers, 60 closed deals each: 30 carry the seller's own estimate (drawn from
    # 5-95 %) and are won with exactly that chance, 30 have none and are won at the configured 20 %.
    # Target: the chance that anyone in a team is flagged (family-wise) ≤ 5 %; one interval per seller
    # without the Bonferroni widening flags far more teams.
    rng = np.random.default_rng(21)
    teams, sellers, per = 300, 8, 30
    flagged_teams = unadjusted_teams = 0
    for _ in range(teams):
        own = rng.uniform(0.05, 0.95, size=(sellers, per))
        stated = np.concatenate([own, np.full((sellers, per), 0.2)], axis=1)
        table = pd.DataFrame(
            {
                "owner": np.repeat([f"s{j}" for j in range(sellers)], 2 * per),
                "stated": stated.ravel(),
                "source": np.tile(["deal"] * per + ["config"] * per, sellers),
                "won": (rng.random(stated.shape) < stated).astype(np.int64).ravel(),
            }
        )
        result = calibration_table(table, "owner", level=0.95, min_count=20, margin=0.0)
        flagged_teams += (result["flag"] != "").any()
        off = (result["high"] < result["stated"]) | (result["low"] > result["stated"])
        unadjusted_teams += off.any()
    assert flagged_teams / teams <= 0.05
    assert unadjusted_teams / teams > 0.15


def test_wilson_interval_with_no_trials_is_nan_without_a_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for k in (0, 3, [0, 2, 5]):
            low, high = wilson_interval(k, 0)
            assert np.isnan(low).all() and np.isnan(high).all()
        low, high = wilson_interval([3, 2], [0, 4], np.float32(0.95))
    assert np.isnan(low[0]) and low[1] == pytest.approx(wilson_interval(2, 4)[0])


def test_holm_against_hand_values():
    # Holm (1979): sorted 0.01, 0.02, 0.03, 0.04 scaled by 4, 3, 2, 1 and made monotone; NaN is not tested
    np.testing.assert_allclose(stats.holm([0.03, 0.01, np.nan, 0.04, 0.02]), [0.06, 0.04, np.nan, 0.06, 0.06])
    assert np.isnan(stats.holm([np.nan])).all()
