"""read_deals / read_stage_history on the canonical format and the shipped demo files."""

from __future__ import annotations

import pandas as pd
import pytest

from funnel_model import DealImport, detect_mapping, infer_config, read_deals, read_stage_history
from funnel_model.schema import DEAL_COLUMN_NAMES
from tests.conftest import ROOT

DATA = ROOT / "data"

CANONICAL = (
    "deal_id,client_id,funnel,stage,status,amount,owner,created_at,closed_at,probability,lost_stage,note\n"
    "1,A,main,Переговоры,open,1000.5,Ivan,2024-01-02,,0.4,,x\n"
    "2,B,main,Успешно реализовано,won,2000,Ivan,2024-01-03,2024-02-01,,,y\n"
    "3,C,main,Закрыто и не реализовано,lost,300,Olga,2024-01-04 10:30:00,2024-02-01,,Переговоры,\n"
)


def test_canonical_headers_map_by_identity_and_values_are_typed():
    result = read_deals(CANONICAL.encode(), name="deals.csv")
    assert isinstance(result, DealImport)
    deals = result.deals
    assert list(deals.columns) == [*DEAL_COLUMN_NAMES, "note"]
    assert deals["deal_id"].tolist() == ["1", "2", "3"]
    assert deals["status"].tolist() == ["open", "won", "lost"]
    assert deals["amount"].sum() == pytest.approx(3300.5)
    assert deals["created_at"].iloc[2] == pd.Timestamp("2024-01-04 10:30")
    assert deals["closed_at"].isna().iloc[0]
    assert deals["probability"].iloc[0] == pytest.approx(0.4)
    assert deals["note"].tolist()[:2] == ["x", "y"]
    assert {c: result.mapping[c] for c in result.mapping} == {c: c for c in result.mapping}
    assert result.problems.empty
    assert list(result.problems.columns) == ["row", "column", "value", "action", "reason"]
    spec = result.config.funnel("main")
    assert spec.stage_names == ["Переговоры"] and spec.won == ["Успешно реализовано"]
    assert spec.lost == ["Закрыто и не реализовано"]


def test_demo_deals_and_history_load():
    result = read_deals(DATA / "demo_deals.csv")
    raw = pd.read_csv(DATA / "demo_deals.csv", dtype=str)
    deals = result.deals
    assert len(deals) == len(raw)
    assert deals["status"].value_counts().to_dict() == raw["status"].value_counts().to_dict()
    assert deals["amount"].sum() == pytest.approx(pd.to_numeric(raw["amount"]).sum())
    assert result.problems.empty
    assert set(result.config.names) == set(raw["funnel"].unique())

    history = read_stage_history(DATA / "demo_stage_history.csv")
    assert list(history.columns) == ["deal_id", "stage", "entered_at"]
    assert str(history["entered_at"].dtype) == "datetime64[ns]"
    assert len(history) == len(pd.read_csv(DATA / "demo_stage_history.csv"))
    ordered = history.sort_values(["deal_id", "entered_at"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(history, ordered, check_like=False)
    config = infer_config(deals, history)
    assert set(config.names) == set(raw["funnel"].unique())


def test_demo_amocrm_export_matches_the_canonical_demo():
    canonical = read_deals(DATA / "demo_deals.csv").deals
    amo = read_deals(DATA / "demo_amocrm.csv").deals
    assert len(amo) == len(canonical)
    assert amo["status"].value_counts().to_dict() == canonical["status"].value_counts().to_dict()
    assert amo["amount"].sum() == pytest.approx(canonical["amount"].sum())


def test_detect_mapping_on_mixed_headers():
    headers = ["ID", "Название сделки", "Бюджет", "Этап сделки", "Компания", "Компания (2)", "Deal owner"]
    assert detect_mapping(headers) == {
        "deal_id": "ID",
        "client_id": "Компания",
        "stage": "Этап сделки",
        "amount": "Бюджет",
        "owner": "Deal owner",
    }
