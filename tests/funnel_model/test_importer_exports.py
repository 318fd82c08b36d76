"""Every supported CRM export loads with the right deals, statuses and total amount."""

from __future__ import annotations

import pytest

from funnel_model import read_deals
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
