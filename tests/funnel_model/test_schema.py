import pandas as pd

from funnel_model.schema import DEAL_COLUMN_NAMES, conform


def test_conform_adds_missing_columns_types_them_and_keeps_extras_after():
    raw = pd.DataFrame({"stage": ["A"], "amount": ["12.5"], "created_at": ["2026-01-02"], "Custom": ["x"]})
    deals = conform(raw)
    assert tuple(deals.columns) == (*DEAL_COLUMN_NAMES, "Custom")
    assert deals.loc[0, "amount"] == 12.5
    assert deals.loc[0, "created_at"] == pd.Timestamp("2026-01-02")
    assert deals["deal_id"].isna().all()
    assert str(deals["created_at"].dtype) == "datetime64[ns]"


def test_an_empty_frame_conforms_to_the_whole_schema():
    assert tuple(conform(pd.DataFrame(index=range(3))).columns) == DEAL_COLUMN_NAMES
