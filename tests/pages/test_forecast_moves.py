"""The moves panel on the Forecast page through AppTest: example moves, their effect, switched off, bad rows."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from funnel_model import derive_segments, read_deals
from funnel_model.config import FunnelConfig
from funnel_model.forecast_views import prepare_forecast
from funnel_model.formatting import number
from funnel_model.moves import Move, example_moves, move_effects
from tests.pages import apptest

PAGE = "pages/forecast.py"
DATA = Path(__file__).resolve().parents[2] / "data"


@cache
def demo():
    deals = read_deals(DATA / "demo_deals.csv").deals
    deals["segment"] = derive_segments(deals)
    config = FunnelConfig.from_json((DATA / "demo_config.json").read_text(encoding="utf-8"))
    return deals, prepare_forecast(deals, config)


def summary_table(at: AppTest):
    for frame in at.dataframe:
        if frame.value.columns[0] in ("Figure", "Показатель"):
            return frame.value
    raise AssertionError("no moves summary")


def open_with(moves: list[dict] | None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(apptest.APP, default_timeout=180)
    at.session_state["lang"] = lang
    if moves is not None:
        at.session_state["moves.list"] = moves  # as a saved scenario would restore them
    at.run()
    at.switch_page(PAGE).run()
    apptest.assert_clean(at)
    return at


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_demo_starts_with_the_example_moves_and_shows_their_effect(lang):
    deals, inputs = demo()
    at = open_with(None, lang)
    assert at.session_state["moves.list"] == [m.to_dict() for m in example_moves(lang)]
    plan = at.session_state["forecast.plan"]
    summary, _ = move_effects(inputs, example_moves(lang), plan, confidence=0.9, deals=deals, horizon_months=3)
    table = summary_table(at)
    assert table.iloc[0, 1] == number(summary.loc["mean", "baseline"], lang)
    assert table.iloc[0, 2] == number(summary.loc["mean", "moves"], lang)
    assert any(number(summary.loc["mean", "moves"], lang) in m.value for m in at.markdown)


def test_switched_off_moves_leave_the_forecast_as_it_was_and_bad_rows_are_reported():
    moves = [{**m.to_dict(), "enabled": False} for m in example_moves()]
    moves.append({"name": "", "kind": "deal_size", "value": 1.2, "enabled": True})
    at = open_with(moves)
    table = summary_table(at)
    assert table.iloc[0, 1] == table.iloc[0, 2]  # expected revenue unchanged
    assert table.iloc[0, 3] == "+0"
    assert any("row 4 is not applied" in w.value for w in at.warning)


def test_a_saved_move_list_is_used_as_it_is():
    deals, inputs = demo()
    move = Move("Discount", "conversion_points", 10.0, 500_000.0, segment="dormant")
    at = open_with([move.to_dict()])
    plan = at.session_state["forecast.plan"]
    summary, _ = move_effects(inputs, [move], plan, deals=deals)
    table = summary_table(at)
    assert table.iloc[0, 3] == "+" + number(summary.loc["mean", "change"], "en")
