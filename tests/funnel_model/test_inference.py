"""infer_config's snapshot order (rule 4) and its one implementation serving importer, geometry and calibration."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import funnel_model
from funnel_model import calibration, geometry, importer, inference
from funnel_model.config import DEFAULT_FUNNEL, FunnelConfig
from funnel_model.demo import generate_demo
from funnel_model.inference import _mann_whitney_z, infer_config, snapshot_order
from funnel_model.schema import conform

DATA = Path(__file__).resolve().parents[2] / "data"
AS_OF = pd.Timestamp("2025-01-31")


def _deals(rows) -> pd.DataFrame:
    """rows: (stage, status, lost_stage, created_at, closed_at)"""
    frame = pd.DataFrame(rows, columns=["stage", "status", "lost_stage", "created_at", "closed_at"])
    frame.insert(0, "deal_id", [str(i) for i in range(len(frame))])
    return conform(frame.astype({"created_at": "datetime64[ns]", "closed_at": "datetime64[ns]"}))


def _tau(got: list[str], truth: list[str]) -> float:
    return stats.kendalltau([truth.index(x) for x in got], range(len(got))).statistic


def test_one_inference_serves_importer_geometry_and_calibration():
    assert importer.infer_config is inference.infer_config
    assert funnel_model.infer_config is inference.infer_config
    assert geometry.infer_config is inference.infer_config
    assert calibration.infer_config is inference.infer_config


def test_amocrm_demo_open_stage_order_matches_the_generator_config_exactly():
    # The export has no loss stage, no probability and no history, and its stages match no
    # CRM template: the order comes from the snapshot rule alone. A perfect match is
    # reached on this file (seeded), so the test asks for it rather than a Kendall tau.
    result = importer.read_deals(DATA / "demo_amocrm.csv")
    assert not {"lost_stage", "probability"} & set(result.mapping)
    assert result.deals["lost_stage"].isna().all() and result.deals["probability"].isna().all()
    truth = FunnelConfig.from_json((DATA / "demo_config.json").read_text(encoding="utf-8"))
    assert sorted(result.config.names) == sorted(truth.names)
    for spec in truth.funnels:
        assert result.config.funnel(spec.name).stage_names == spec.stage_names, spec.name


def test_canonical_demo_order_from_loss_stages_without_probabilities():
    deals = importer.read_deals(DATA / "demo_deals.csv").deals.drop(columns=["probability"])
    truth = FunnelConfig.from_json((DATA / "demo_config.json").read_text(encoding="utf-8"))
    config = infer_config(deals)
    for spec in truth.funnels:
        assert config.funnel(spec.name).stage_names == spec.stage_names, spec.name


def test_simulated_exports_of_other_seeds():
    # Other seeds of the demo generator, as the amoCRM export sees them (no loss stage, no
    # probability). Over seeds 1-40 the blind order was exact for 105 of 120 funnels and the
    # rest one adjacent swap off (tau 2/3 in a 4-stage funnel), so a perfect match is not
    # guaranteed: tau >= 0.8 is asked of these seeds. With the loss stage known it is exact.
    taus = []
    for seed in (1, 2, 3):
        deals, _, truth = generate_demo(seed=seed)
        blind = infer_config(deals.drop(columns=["probability"]).assign(lost_stage=None))
        informed = infer_config(deals.drop(columns=["probability"]))
        for spec in truth.funnels:
            taus.append(_tau(blind.funnel(spec.name).stage_names, spec.stage_names))
            assert informed.funnel(spec.name).stage_names == spec.stage_names, (seed, spec.name)
    assert min(taus) >= 0.8


def test_older_deals_sit_at_later_stages():
    # Equal counts (2 per stage): only the ages speak. Ages at A: 1, 3 days; B: 10, 20; C: 30, 40.
    ages = {"C": (30, 40), "A": (1, 3), "B": (10, 20)}
    rows = [(s, "open", None, AS_OF - pd.Timedelta(days=d), None) for s, ds in ages.items() for d in ds]
    rows.append(("Won", "won", None, AS_OF - pd.Timedelta(days=60), AS_OF))
    spec = infer_config(_deals(rows)).funnels[0]
    assert spec.stage_names == ["A", "B", "C"]
    assert spec.won == ["Won"]


def test_counts_break_an_age_tie_and_lost_deals_are_placed_at_their_loss_stage():
    day = pd.Timedelta(days=1)
    # X and Y: same ages (5 days) -> the age statistic is 0; X holds 3 deals, Y 1: X first.
    rows = [("Y", "open", None, AS_OF - 5 * day, None)] + [("X", "open", None, AS_OF - 5 * day, None)] * 3
    # Z has no open deal: two deals lost there after 50 days place it last.
    rows += [("Lost", "lost", "Z", AS_OF - 60 * day, AS_OF - 10 * day)] * 2
    assert infer_config(_deals(rows)).funnels[0].stage_names == ["X", "Y", "Z"]


def test_snapshot_order_statistic_by_hand():
    # Ages A: [1, 2], B: [2, 5]. U(B > A) = #(B > A) + ½ #(B = A) = 3 + ½ = 3.5 of 4,
    # z = (3.5 − 2) / √(2·2·5/12) = 1.1619; counts equal. B after A.
    assert _mann_whitney_z(np.array([2.0, 5.0]), np.array([1.0, 2.0])) == pytest.approx(1.5 / np.sqrt(20 / 12))
    stage = pd.Series(["B", "A", "B", "A"])
    age = pd.Series([2.0, 1.0, 5.0, 2.0])
    assert snapshot_order(["B", "A"], stage, age) == ["A", "B"]
    # Count evidence alone (weight ½, no ages): 1 deal at B, 9 at A: B after A.
    assert snapshot_order(["B", "A"], pd.Series(["B"] + ["A"] * 9), pd.Series([np.nan] * 10)) == ["A", "B"]


@settings(max_examples=40, deadline=None)
@given(
    x=st.lists(st.integers(0, 30), min_size=1, max_size=12),
    y=st.lists(st.integers(0, 30), min_size=1, max_size=12),
)
def test_mann_whitney_z_matches_scipy_u(x, y):
    u = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic").statistic  # U of x
    nx, ny = len(x), len(y)
    expected = (u - nx * ny / 2) / np.sqrt(nx * ny * (nx + ny + 1) / 12)
    assert _mann_whitney_z(np.array(x, float), np.sort(np.array(y, float))) == pytest.approx(expected, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(counts=st.lists(st.integers(0, 50), min_size=2, max_size=8))
def test_count_evidence_alone_orders_by_decreasing_count(counts):
    names = [f"S{i}" for i in range(len(counts))]
    stage = pd.Series(np.repeat(names, counts))
    order = snapshot_order(names, stage, pd.Series(np.nan, index=stage.index))
    placed = dict(zip(names, counts, strict=True))
    assert sorted(order) == sorted(names)
    assert all(placed[a] >= placed[b] for a, b in itertools.pairwise(order))


def test_known_template_wins_over_snapshot_evidence():
    # HubSpot stages whose ages and counts say the reverse of the template order.
    day = pd.Timedelta(days=1)
    rows = [("Appointment Scheduled", "open", None, AS_OF - 90 * day, None)]
    rows += [("Contract Sent", "open", None, AS_OF - 2 * day, None)] * 5
    rows += [("Closed Won", "won", None, AS_OF - 30 * day, AS_OF)]
    spec = infer_config(_deals(rows)).funnel(DEFAULT_FUNNEL)
    assert spec.stage_names == ["Appointment Scheduled", "Contract Sent"]
    assert [s.probability for s in spec.stages] == [0.2, 0.9]


def test_status_from_stage_names_when_the_column_is_missing():
    rows = [("Новая", None, None, None, None), ("Сделка успешна", None, None, None, None)]
    rows.append(("Сделка провалена", None, None, None, None))
    deals = _deals(rows).drop(columns=["status"])
    spec = infer_config(deals).funnels[0]
    assert (spec.stage_names, spec.won, spec.lost) == (["Новая"], ["Сделка успешна"], ["Сделка провалена"])


def test_geometry_without_config_uses_the_importer_inference():
    result = importer.read_deals(DATA / "demo_amocrm.csv")
    inferred = geometry.funnel_geometry(result.deals, None, by=())
    given_config = geometry.funnel_geometry(result.deals, result.config, by=())
    pd.testing.assert_frame_equal(inferred, given_config)
