"""infer_config: stage order and default probabilities, each rule on a small hand-made table."""

from __future__ import annotations

import pandas as pd
import pytest

from funnel_model import infer_config
from funnel_model.config import DEFAULT_FUNNEL
from funnel_model.schema import conform


def _deals(rows, **extra):
    """rows: (stage, status[, lost_stage[, probability[, funnel]]])"""
    cols = ["stage", "status", "lost_stage", "probability", "funnel"]
    frame = pd.DataFrame([list(r) + [None] * (5 - len(r)) for r in rows], columns=cols)
    frame.insert(0, "deal_id", [str(i) for i in range(len(frame))])
    for k, v in extra.items():
        frame[k] = v
    return conform(frame)


def test_template_order_and_template_probabilities():
    deals = _deals(
        [("Contract Sent", "open"), ("Appointment Scheduled", "open"), ("Closed Won", "won"), ("Closed Lost", "lost")]
    )
    spec = infer_config(deals).funnel(DEFAULT_FUNNEL)
    assert spec.name == DEFAULT_FUNNEL
    assert spec.stage_names == ["Appointment Scheduled", "Contract Sent"]
    assert [s.probability for s in spec.stages] == [0.2, 0.9]
    assert spec.won == ["Closed Won"] and spec.lost == ["Closed Lost"]


def test_history_order_by_median_entry_position():
    deals = _deals([("C", "open"), ("A", "open"), ("B", "open"), ("W", "won")])
    history = pd.DataFrame(
        {
            "deal_id": ["0", "0", "0", "1", "2", "2", "3", "3", "3", "3"],
            "stage": ["A", "B", "C", "A", "A", "B", "A", "B", "C", "W"],
            "entered_at": pd.to_datetime([f"2024-01-0{d}" for d in (1, 2, 3, 1, 1, 2, 1, 2, 3, 4)]),
        }
    )
    assert infer_config(deals, history).funnels[0].stage_names == ["A", "B", "C"]
    assert infer_config(deals).funnels[0].stage_names == ["C", "A", "B"]  # no history: first appearance


def test_probability_order_and_median_stated_probability():
    deals = _deals(
        [
            ("Late", "open", None, 0.8),
            ("Early", "open", None, 0.1),
            ("Early", "open", None, 0.3),
            ("Mid", "open", None, 0.5),
        ]
    )
    spec = infer_config(deals).funnels[0]
    assert spec.stage_names == ["Early", "Mid", "Late"]
    assert [s.probability for s in spec.stages] == [0.2, 0.5, 0.8]


def test_empirical_win_share_with_snapshot_semantics():
    # 2 won (reached A, B, C); lost: 2 at A, 1 at B, 1 at C.
    rows = [("A", "open"), ("B", "open"), ("C", "open")]
    rows += [("Won", "won")] * 2 + [("Lost", "lost", "A")] * 2 + [("Lost", "lost", "B"), ("Lost", "lost", "C")]
    spec = infer_config(_deals(rows)).funnels[0]
    assert spec.stage_names == ["A", "B", "C"]
    assert [s.probability for s in spec.stages] == pytest.approx([2 / 6, 2 / 4, 2 / 3], abs=1e-4)


def test_evenly_spaced_without_any_evidence():
    rows = [("A", "open"), ("B", "open"), ("C", "open"), ("Won", "won"), ("Lost", "lost")]
    spec = infer_config(_deals(rows)).funnels[0]
    assert [s.probability for s in spec.stages] == [0.25, 0.5, 0.75]


def test_one_spec_per_funnel_in_order_of_appearance():
    rows = [
        ("A", "open", None, None, "Retention"),
        ("X", "open", None, None, "New"),
        ("B", "open", None, None, "Retention"),
    ]
    config = infer_config(_deals(rows))
    assert config.names == ["Retention", "New"]
    assert config.funnel("Retention").stage_names == ["A", "B"]
    assert config.funnel("New").stage_names == ["X"]
