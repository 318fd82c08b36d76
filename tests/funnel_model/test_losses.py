"""Loss reasons: normalisation, grouping of near-duplicates, Pareto and breakdown by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from funnel_model.errors import ParameterError
from funnel_model.losses import NO_REASON, group_reasons, loss_breakdown, loss_pareto, lost_deals, normalise_reason
from funnel_model.schema import conform


def test_normalise_reason():
    assert normalise_reason("  Дорого!! ") == "дорого"
    assert normalise_reason("Ещё  не\tрешили...") == "еще не решили"
    assert normalise_reason("Chose a competitor (X)") == "chose a competitor x"
    assert normalise_reason(None) == NO_REASON
    assert normalise_reason(float("nan")) == NO_REASON


def test_near_duplicates_group_under_the_commonest_spelling():
    reasons = pd.Series(
        [
            *("Дорого", "дорого!", " Дорого "),
            *("Выбрали конкурента", "выбрали конкурентов", "Выбрали конкурента"),
            *(None, "", "Нет бюджета", "Нет ответа"),
        ]
    )
    groups = group_reasons(reasons)
    name = dict(zip(groups["raw"], groups["group"], strict=True))
    assert name["дорого!"] == name["Дорого"] == "Дорого"
    assert name["выбрали конкурентов"] == "Выбрали конкурента"
    assert name["Нет бюджета"] == "Нет бюджета" and name["Нет ответа"] == "Нет ответа"  # similar words, other reason
    assert name[NO_REASON] == NO_REASON
    assert groups.groupby("group")["deals"].sum().to_dict() == {
        "Дорого": 3,
        "Выбрали конкурента": 3,
        NO_REASON: 2,
        "Нет бюджета": 1,
        "Нет ответа": 1,
    }
    # similarity 1: only the same normalised text
    strict = group_reasons(reasons, similarity=1.0)
    assert dict(zip(strict["raw"], strict["group"], strict=True))["выбрали конкурентов"] == "выбрали конкурентов"
    with pytest.raises(ParameterError):
        group_reasons(reasons, similarity=1.5)


def test_pareto_and_breakdown_by_hand():
    deals = conform(
        pd.DataFrame(
            {
                "deal_id": list("abcdef"),
                "stage": "Lost",
                "status": ["lost", "lost", "lost", "lost", "won", "lost"],
                "lost_stage": ["Demo", "Demo", "Offer", "Offer", None, "Demo"],
                "segment": ["new", "new", "active", "new", "new", "active"],
                "amount": [10.0, 20.0, 300.0, 5.0, 999.0, None],
                "lost_reason": ["Price", "price!", "Competitor", "Price", None, None],
            }
        )
    )
    lost = lost_deals(deals)
    assert len(lost) == 5
    pareto = loss_pareto(lost)
    assert pareto["reason"].tolist() == ["Price", "Competitor", NO_REASON]
    assert pareto["deals"].tolist() == [3, 1, 1]
    assert pareto["amount"].tolist() == [35.0, 300.0, 0.0]
    assert pareto["cumulative"].tolist() == pytest.approx([0.6, 0.8, 1.0])
    by_stage = loss_breakdown(lost, "lost_stage")
    demo = by_stage[by_stage["lost_stage"] == "Demo"].set_index("reason")
    assert demo["deals"].to_dict() == {"Price": 2, NO_REASON: 1}
    assert demo.loc["Price", "share"] == pytest.approx(2 / 3)
    by_segment = loss_breakdown(lost, "segment").set_index(["segment", "reason"])
    assert by_segment.loc[("active", "Competitor"), "amount"] == 300.0
