"""The Forecast & plan page through AppTest on the demo data: metrics follow sliders and the plan, both languages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from funnel_model import derive_segments, read_deals, read_stage_history, revenue_distribution
from funnel_model.config import FunnelConfig
from funnel_model.forecast_views import deal_probabilities, prepare_forecast

PAGE = "pages/forecast.py"
ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DATA = ROOT / "data"
GROWTH = "Развитие"  # the demo's retention funnel, the largest share of won revenue


@cache
def demo_inputs():
    """The demo as the app loads it, computed here without the page."""
    deals = read_deals(DATA / "demo_deals.csv").deals
    deals["segment"] = derive_segments(deals)
    config = FunnelConfig.from_json((DATA / "demo_config.json").read_text(encoding="utf-8"))
    return prepare_forecast(deals, config, read_stage_history(DATA / "demo_stage_history.csv"))


def sliders_at(column: str) -> np.ndarray:
    """Stage probabilities as the integer-percent sliders hold them."""
    return np.round(100 * demo_inputs().stages[column].to_numpy()) / 100


def open_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    at.session_state["lang"] = lang
    at.switch_page(PAGE)
    at.run()
    check(at)
    return at


def check(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def metrics(at: AppTest) -> tuple[dict[str, str], dict[str, str]]:
    """(what-if, historical) metric values by label; the what-if row comes first."""
    shown = list(at.metric)
    half = len(shown) // 2
    assert half == 5, [m.label for m in shown]
    return {m.label: m.value for m in shown[:half]}, {m.label: m.value for m in shown[half:]}


def amount(text: str) -> float:
    """A shown amount: the demo's figures are in millions ("88.8", "88,8" in Russian)."""
    return float(text.replace("\u202f", "").replace(",", ".")) * 1e6


def percent(text: str) -> float:
    text = text.replace("%", "").replace("<", "").replace(">", "").replace(",", ".").strip()
    return float(text) / 100


def test_english_page_shows_the_demo_forecast_beside_the_historical_rates():
    at = open_page("en")
    assert at.title[0].value == "Forecast & plan"
    whatif, hist = metrics(at)
    assert sum(m.value.endswith("amounts in millions") for m in at.markdown) == 2
    inputs = demo_inputs()
    a = inputs.open_deals["amount"].to_numpy()
    configured = revenue_distribution(a, deal_probabilities(inputs, sliders_at("configured")))
    historical = revenue_distribution(a, deal_probabilities(inputs, inputs.stages["rate"]))
    assert amount(whatif["E[S]"]) == pytest.approx(configured.mean, rel=0.006)
    assert amount(hist["E[S]"]) == pytest.approx(historical.mean, rel=0.006)
    plan = at.number_input(key="forecast.plan").value
    assert percent(hist["P(plan)"]) == pytest.approx(historical.prob_at_least(plan), abs=0.0006)
    assert percent(whatif["P(plan)"]) == pytest.approx(configured.prob_at_least(plan), abs=0.0006)
    assert amount(hist["P10"]) < amount(hist["P50"]) < amount(hist["P90"])
    # one slider per configured stage, labelled with the historical rate
    stages = inputs.stages
    assert len([s for s in at.slider if s.key.startswith("forecast.p.")]) == len(stages)
    label = at.slider(key=f"forecast.p.{GROWTH}.Согласование").label
    assert "hist." in label and "%" in label
    assert at.slider(key=f"forecast.p.{GROWTH}.Согласование").value == round(
        100 * stages.set_index(["funnel", "stage"]).loc[(GROWTH, "Согласование"), "configured"]
    )
    captions = " ".join(c.value for c in at.caption)
    assert "wider" in captions and "Aalen–Johansen" in captions


def test_moving_a_slider_up_raises_p_plan_and_the_plan_moves_it_the_right_way():
    at = open_page("en")
    before, _ = metrics(at)
    key = f"forecast.p.{GROWTH}.Согласование"
    at.slider(key=key).set_value(100).run()
    check(at)
    after, hist = metrics(at)
    assert percent(after["P(plan)"]) > percent(before["P(plan)"]) + 0.05
    assert amount(after["E[S]"]) > amount(before["E[S]"])
    # the historical baseline does not follow the sliders
    assert hist == metrics(open_page("en"))[1]

    plan = at.number_input(key="forecast.plan").value
    at.number_input(key="forecast.plan").set_value(plan * 1.1).run()
    check(at)
    higher, _ = metrics(at)
    assert percent(higher["P(plan)"]) < percent(after["P(plan)"])
    at.number_input(key="forecast.plan").set_value(0.0).run()
    assert metrics(at)[0]["P(plan)"] == "100.0 %"

    at.button(key="forecast.reset").click().run()
    check(at)
    assert at.slider(key=key).value == round(
        100 * demo_inputs().stages.set_index(["funnel", "stage"]).loc[(GROWTH, "Согласование"), "configured"]
    )


def test_own_probabilities_and_historical_button():
    at = open_page("en")
    at.checkbox(key="forecast.own").check().run()
    check(at)
    inputs = demo_inputs()
    a = inputs.open_deals["amount"].to_numpy()
    own = deal_probabilities(inputs, sliders_at("configured"), own=True)
    assert amount(metrics(at)[0]["E[S]"]) == pytest.approx(float(a @ own), rel=0.006)
    at.checkbox(key="forecast.own").uncheck().run()
    at.button(key="forecast.use_history").click().run()
    check(at)
    whatif, hist = metrics(at)
    # the what-if now sits on the (rounded) historical rates, so it matches the baseline
    assert amount(whatif["E[S]"]) == pytest.approx(float(a @ deal_probabilities(inputs, sliders_at("rate"))), rel=0.006)
    assert amount(whatif["E[S]"]) == pytest.approx(amount(hist["E[S]"]), rel=0.01)


def test_confidence_raises_the_leads_needed():
    at = open_page("en")
    at.number_input(key="forecast.plan").set_value(300_000_000.0).run()

    def leads_text():
        return [c.value for c in at.caption if c.value.startswith("Plan ")]

    low = leads_text()
    at.slider(key="forecast.confidence").set_value(99).run()
    check(at)
    high = leads_text()
    assert len(low) == len(demo_inputs().stages["funnel"].unique()) and low != high
    assert all("at 99 %" in text for text in high)


def test_russian_page_renders():
    at = open_page("ru")
    assert at.title[0].value == "Прогноз и план"
    whatif, _ = metrics(at)
    assert "P(план)" in whatif and "," in whatif["E[S]"] and "," in whatif["P(план)"]
    assert any(m.value.endswith("суммы в миллионах") for m in at.markdown)
    assert any("ист." in s.label for s in at.slider)
    assert any(sh.value == "План в обратную сторону" for sh in at.subheader)


def test_assumptions_survive_a_visit_to_another_page():
    at = open_page("en")
    key = f"forecast.p.{GROWTH}.Договор"
    at.slider(key=key).set_value(20).run()
    at.number_input(key="forecast.plan").set_value(50_000_000.0).run()
    moved = metrics(at)[0]
    at.switch_page("pages/rejection.py")
    at.run()
    at.switch_page(PAGE)
    at.run()
    check(at)
    assert at.slider(key=key).value == 20
    assert at.number_input(key="forecast.plan").value == 50_000_000.0
    assert metrics(at)[0] == moved
