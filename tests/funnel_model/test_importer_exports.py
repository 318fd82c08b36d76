"""Every supported CRM export loads with the right deals, statuses and total amount."""

from __future__ import annotations

import pandas as pd
import pytest

from funnel_model import read_deals
from funnel_model.schema import DEAL_COLUMN_NAMES
from tests.funnel_model import exports


@pytest.fixture(params=sorted(exports.BUILDERS))
def export(request, tmp_path):
    return exports.BUILDERS[request.param](tmp_path)


def test_export_loads_with_correct_counts_and_amount(export):
    result = read_deals(export.path)
    deals = result.deals
    assert len(deals) == export.n
    assert (deals["status"] == "won").sum() == export.won
    assert (deals["status"] == "lost").sum() == export.lost
    assert (deals["status"] == "open").sum() == export.open
    assert deals["amount"].sum() == pytest.approx(export.amount, abs=0.005)
    assert deals["deal_id"].is_unique
    rejected = (result.problems["action"] == "rejected").sum()
    assert rejected == export.rejected
    assert not (result.problems["action"] == "repaired").any(), result.problems
    for canonical, header in export.mapping.items():
        assert result.mapping[canonical] == header
    if export.stages:
        assert result.config.funnels[0].stage_names == export.stages


def test_unknown_columns_are_kept_under_their_headers(export):
    result = read_deals(export.path)
    mapped = set(result.mapping.values())
    kept = [h for h in result.source_columns if h not in mapped]
    assert all(h in result.deals.columns for h in kept)
    assert kept or set(result.source_columns) <= set(DEAL_COLUMN_NAMES)
    assert list(result.deals.columns[: len(DEAL_COLUMN_NAMES)]) == list(DEAL_COLUMN_NAMES)


def test_amocrm_details(tmp_path):
    for build in (exports.amocrm_csv, exports.amocrm_xlsx):
        deals = read_deals(build(tmp_path).path).deals
        assert deals["deal_id"].iloc[0] == "31000"
        assert deals["client_id"].iloc[0] == "ООО Север"
        assert deals["Компания (2)"].iloc[0] == "ООО Север (контакт)"
        assert deals.loc[deals["status"] == "open", "closed_at"].isna().all()  # «не закрыта»
        assert deals.loc[deals["status"] != "open", "closed_at"].notna().all()
        assert deals["created_at"].iloc[0] == pd.Timestamp("2024-01-15 10:30")
        assert set(deals["funnel"]) == {"Продажи", "Повторные продажи"}
        assert deals["source"].iloc[1] == "Выставка"


def test_bitrix24_details(tmp_path):
    for build in (exports.bitrix24_csv, exports.bitrix24_html_xls):
        result = read_deals(build(tmp_path).path)
        deals = result.deals
        assert deals["deal_id"].tolist()[:2] == ["row-2", "row-3"]
        assert deals["probability"].tolist()[:2] == pytest.approx([0.1, 0.3])
        assert deals["expected_close_at"].iloc[0] == pd.Timestamp("2024-03-15")
        assert set(deals["funnel"]) == {"Общее"}
        assert result.problems["reason"].tolist() == ["importer.no_deal_id"]


def test_hubspot_close_date_of_an_open_deal_is_the_expected_close(tmp_path):
    deals = read_deals(exports.hubspot_csv(tmp_path).path).deals
    open_ = deals["status"] == "open"
    assert deals.loc[open_, "closed_at"].isna().all() and deals.loc[open_, "expected_close_at"].notna().all()
    assert deals.loc[~open_, "closed_at"].notna().all()
    assert deals.loc[deals["status"] == "lost", "lost_reason"].tolist() == ["Цена", "Нет бюджета", "Конкурент"]
    assert deals["source"].iloc[0] == "Сайт"


def test_pipedrive_status_closes_deals_at_their_last_stage(tmp_path):
    result = read_deals(exports.pipedrive_csv(tmp_path).path)
    lost = result.deals.loc[result.deals["status"] == "lost"]
    assert lost["lost_stage"].tolist() == ["Contact Made", "Qualified", "Demo Scheduled"]
    assert set(lost["stage"]) == {"lost"}
    spec = result.config.funnels[0]
    assert spec.won == ["won"] and spec.lost == ["lost"]
    # Empirical P(won | reached): 4 won reached every stage; lost at stages 1, 0, 2 (0-based).
    assert [s.probability for s in spec.stages] == pytest.approx([4 / 7, 4 / 6, 4 / 5, 1.0], abs=1e-4)


def test_salesforce_footer_rows_are_listed(tmp_path):
    result = read_deals(exports.salesforce_csv(tmp_path).path)
    rejected = result.problems.loc[result.problems["action"] == "rejected"]
    assert rejected["row"].tolist() == [15, 17, 19]
    assert rejected["value"].iloc[0] == "Grand Totals (12 records)"
    assert result.deals["created_at"].iloc[0] == pd.Timestamp("2024-01-15")
