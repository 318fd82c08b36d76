"""The moves panel on the Forecast page through AppTest: example moves, their effect, switched off, bad rows.

The panel's baseline is the page's own forecast (the sliders, the chosen period), so its figures without
moves are the headline's.
"""

from __future__ import annotations

from functools import cache

import pytest
from streamlit.testing.v1 import AppTest

from funnel_model import derive_segments, read_deals
from funnel_model.forecast_views import deal_probabilities
from funnel_model.formatting import number, short_money
from funnel_model.i18n import t
from funnel_model.moves import Move, example_moves, move_effects
from funnel_model.period import period_bounds, plan_for_period
from tests.pages import apptest
from tests.pages.test_forecast_page import DATA, demo_inputs, sliders_at

PAGE = "pages/forecast.py"


@cache
def demo_deals():
    deals = read_deals(DATA / "demo_deals.csv").deals
    deals["segment"] = derive_segments(deals)
    return deals


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


def effects(at: AppTest, moves: list[Move], stage_p=None):
    """The moves' effect on the page's forecast as it stands in ``at``, computed here without the page."""
    inputs = demo_inputs()
    sp = sliders_at("configured") if stage_p is None else stage_p
    period = period_bounds(at.session_state["period.kind"], inputs.as_of)
    return move_effects(
        inputs,
        moves,
        at.session_state["forecast.plan"],
        confidence=0.9,
        deals=demo_deals(),
        stage_p=sp,
        probabilities=deal_probabilities(inputs, sp),
        period=period,
        inflow_per_month=at.session_state["period.inflow"],
    )


def headline_mean(at: AppTest, lang: str) -> str:
    return next(m.value for m in at.metric if m.label == t("period.tile.mean", lang))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_demo_starts_with_the_example_moves_and_shows_their_effect_on_the_headlines_forecast(lang):
    at = open_with(None, lang)
    assert at.session_state["moves.list"] == [m.to_dict() for m in example_moves(lang)]
    summary, _ = effects(at, example_moves(lang))
    table = summary_table(at)
    assert table.iloc[0, 1] == number(summary.loc["mean", "baseline"], lang)
    assert table.iloc[0, 2] == number(summary.loc["mean", "moves"], lang)
    assert any(number(summary.loc["mean", "moves"], lang) in m.value for m in at.markdown)
    # one quantity, one value: the baseline is the headline's expected revenue of the period
    inputs = demo_inputs()
    page = plan_for_period(
        inputs,
        demo_deals(),
        deal_probabilities(inputs, sliders_at("configured")),
        period_bounds("this_quarter", inputs.as_of),
        inflow_per_month=at.session_state["period.inflow"],
    )
    assert summary.loc["mean", "baseline"] == page.distribution.mean
    assert headline_mean(at, lang) == f"{short_money(page.distribution.mean, lang)} ₽"


def test_moving_a_slider_moves_the_baseline_with_the_headline():
    at = open_with(None)
    inputs = demo_inputs()
    stages = inputs.stages
    row = stages.loc[stages["open"].idxmax()]
    part = f".{row['part']}" if row["part"] else ""
    at.slider(key=f"forecast.p.{row['funnel']}{part}.{row['stage']}").set_value(95).run()
    apptest.assert_clean(at)
    sp = sliders_at("configured")
    sp[row.name] = 0.95
    summary, _ = effects(at, example_moves(), stage_p=sp)
    before = summary_table(open_with(None)).iloc[0, 1]
    assert summary_table(at).iloc[0, 1] == number(summary.loc["mean", "baseline"], "en") != before
    assert headline_mean(at, "en") == f"{short_money(summary.loc['mean', 'baseline'], 'en')} ₽"


def test_a_cycle_move_changes_the_periods_figures():
    move = Move("Faster contracts", "cycle_length", 0.7, 200_000.0)
    at = open_with([move.to_dict()])
    summary, per_move = effects(at, [move])
    assert summary.loc["mean", "change"] > 0
    table = summary_table(at)
    assert table.iloc[0, 3] == "+" + number(summary.loc["mean", "change"], "en")
    assert per_move.loc[0, "extra_mean"] > 0


def test_switched_off_moves_leave_the_forecast_as_it_was_and_bad_rows_are_reported():
    moves = [{**m.to_dict(), "enabled": False} for m in example_moves()]
    moves.append({"name": "", "kind": "deal_size", "value": 1.2, "enabled": True})
    at = open_with(moves)
    table = summary_table(at)
    assert table.iloc[0, 1] == table.iloc[0, 2]  # expected revenue unchanged
    assert table.iloc[0, 3] == "+0"
    assert any("row 4 is not applied" in w.value for w in at.warning)


def test_a_saved_move_list_is_used_as_it_is():
    move = Move("Discount", "conversion_points", 10.0, 500_000.0, segment="dormant")
    at = open_with([move.to_dict()])
    summary, _ = effects(at, [move])
    table = summary_table(at)
    assert table.iloc[0, 3] == "+" + number(summary.loc["mean", "change"], "en")


def deals_without_close_dates() -> bytes:
    """40 deals with creation dates only (no close-date column): 10 won, 10 lost, 20 open over three stages."""
    rows = ["deal_id,client_id,stage,status,amount,created_at"]
    stages = ["Contact", "Talks", "Contract"]
    for i in range(40):
        status = ("won", "lost", "open", "open")[i % 4]
        stage = "Contract" if status == "won" else stages[i % 3]
        rows.append(f"{100 + i},c{i % 9},{stage},{status},{(i % 7 + 1) * 10000},2024-{i % 12 + 1:02d}-{i % 27 + 1:02d}")
    return ("\n".join(rows) + "\n").encode()


def test_fewer_leads_without_close_dates_lower_the_forecast_without_an_error():
    move = Move("Fewer leads", "lead_volume", 0.5, 0.0)
    at = AppTest.from_file(apptest.APP, default_timeout=180)
    at.session_state["lang"] = "en"
    at.session_state["moves.list"] = [move.to_dict()]
    at.run()
    at.file_uploader(key="data.upload").upload("deals.csv", deals_without_close_dates(), "text/csv").run()
    at.switch_page(PAGE).run()
    apptest.assert_clean(at)  # it said «amounts must be finite and ≥ 0; got -36000.0.»
    assert t("forecast.no_dates", "en") in [i.value for i in at.info]  # the whole pipeline, no period
    baseline, moved, change = (
        int(x.replace("\u202f", "").replace(",", "").replace("−", "-")) for x in summary_table(at).iloc[0, 1:4]
    )
    assert change < 0 and moved == baseline + change
