"""Scenarios: lossless JSON round trip over generated scenarios; clear errors naming the field."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel_model.compensation import PRESETS, preset
from funnel_model.config import FunnelConfig, FunnelSpec, StageSpec
from funnel_model.errors import FunnelError, ScenarioError
from funnel_model.period import PERIOD_KINDS
from funnel_model.scenario import MAX_DORMANCY_DAYS, SCENARIO_VERSION, Scenario, StageProbability

texts = st.text(max_size=12)
amounts = st.floats(min_value=0, max_value=1e12, allow_nan=False)
shares = st.floats(min_value=0, max_value=1, allow_nan=False)
days = st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31))
date_pairs = st.tuples(days, days).map(lambda d: tuple(x.isoformat() for x in sorted(d)))
month_pairs = st.tuples(days, days).map(lambda d: tuple(x.strftime("%Y-%m") for x in sorted(d)))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def configs(draw):
    names = draw(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=3, unique=True))
    funnels = []
    for name in names:
        stages = draw(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=5, unique=True))
        open_stages, won, lost = stages[:-2] or stages[:1], stages[-2:-1], stages[-1:]
        if len(stages) < 3:
            won, lost = [], []
        funnels.append(FunnelSpec(name, [StageSpec(s, draw(shares)) for s in open_stages], won=won, lost=lost))
    return FunnelConfig(funnels)


@st.composite
def plans(draw):
    plan = preset(draw(st.sampled_from(PRESETS)), draw(st.sampled_from(["en", "ru"])))
    fixed = dataclasses.replace(plan.fixed, base=draw(amounts))
    return dataclasses.replace(plan, fixed=fixed, target=draw(st.floats(min_value=1, max_value=1e12)))


scenarios = st.builds(
    Scenario,
    name=texts,
    config=st.none() | configs(),
    stage_probabilities=st.lists(
        st.builds(StageProbability, funnel=texts, stage=texts, probability=shares, segment=texts), max_size=6
    ).map(tuple),
    own_estimates=st.booleans(),
    dormancy_days=st.integers(1, MAX_DORMANCY_DAYS),
    funnel_segments=st.dictionaries(texts, st.sampled_from(["new", "active", "dormant"]), max_size=3),
    filters=st.dictionaries(texts, json_values, max_size=4),
    plan_target=st.none() | amounts,
    plan_period=st.none() | date_pairs,
    confidence=st.none() | st.integers(50, 99),
    plans=st.dictionaries(st.sampled_from(["a", "b"]), plans(), max_size=2),
    targets=st.dictionaries(texts, amounts, max_size=4),
    conditions=st.dictionaries(texts, st.dictionaries(texts, st.booleans(), max_size=3), max_size=3),
    pay_period=st.none() | month_pairs,
    rejection=st.dictionaries(
        texts, st.booleans() | st.integers(0, 1000) | st.floats(min_value=0, allow_infinity=False), max_size=5
    ),
    extras=st.dictionaries(texts, json_values, max_size=3)
    | st.fixed_dictionaries({"period.kind": st.sampled_from(PERIOD_KINDS), "period.dates": date_pairs.map(list)}),
)


@settings(max_examples=100, deadline=None)
@given(scenarios)
def test_a_scenario_survives_json_exactly(scenario):
    back = Scenario.from_json(scenario.to_json())
    assert back == scenario
    assert back.to_json() == scenario.to_json()


@settings(max_examples=100, deadline=None)
@given(scenarios, st.data())
def test_a_truncated_file_is_refused_with_a_domain_error(scenario, data):
    text = scenario.to_json().encode("utf-8")
    cut = data.draw(st.integers(0, len(text) - 1))
    with pytest.raises(FunnelError):
        Scenario.from_json(text[:cut])


def saved(**changes) -> str:
    data = Scenario(name="Base", plans={"a": preset("mix_50_50")}).to_dict() | changes
    return json.dumps(data)


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"version": SCENARIO_VERSION + 1}, str(SCENARIO_VERSION + 1)),
        ({"format": "something-else"}, "something-else"),
        ({"dormancy_days": "365"}, "dormancy_days"),
        ({"dormancy_days": 0}, "dormancy_days"),
        ({"plan_target": -5}, "plan_target"),
        ({"plan_target": True}, "plan_target"),
        ({"own_estimates": 1}, "own_estimates"),
        ({"plan_period": ["2024-01-01"]}, "plan_period"),
        ({"stage_probabilities": [{"funnel": "f", "stage": "s", "probability": 1.5}]}, "stage_probabilities[0]"),
        ({"stage_probabilities": [{"funnel": "f", "probability": 0.5}]}, "stage_probabilities[0].stage"),
        ({"targets": {"Иванов": "много"}}, "targets.Иванов"),
        ({"conditions": {"Иванов": {"CRM": "yes"}}}, "conditions.Иванов.CRM"),
        ({"plans": {"c": {}}}, "plans.c"),
        ({"plans": {"a": {"name": "A"}}}, "plans.a"),
        ({"config": {"funnels": [{"name": "f", "stages": [{"name": "s", "probability": 7}]}]}}, "config"),
        ({"colour": "red"}, "colour"),
        ({"confidence": 150}, "confidence"),
        ({"confidence": 0}, "confidence"),
        ({"confidence": 0.9}, "confidence"),
        ({"confidence": 49}, "confidence"),
        ({"confidence": 100}, "confidence"),
        ({"dormancy_days": 3651}, "dormancy_days"),
        ({"dormancy_days": 10**30}, "dormancy_days"),
        ({"dormancy_days": 30.0}, "dormancy_days"),
        ({"plan_target": 1e300}, "plan_target"),
        ({"targets": {"Иванов": -1}}, "targets.Иванов"),
        ({"targets": {"Иванов": 1e16}}, "targets.Иванов"),
        ({"plan_period": ["2024-03-31", "2024-01-01"]}, "plan_period"),
        ({"plan_period": ["2024-02-30", "2024-03-01"]}, "plan_period"),
        ({"plan_period": ["01.02.2024", "2024-03-01"]}, "plan_period"),
        ({"plan_period": ["0001-01-01", "2024-03-01"]}, "plan_period"),
        ({"plan_period": ["2024-01-01", "99999-01-01"]}, "plan_period"),
        ({"pay_period": ["2024-13", "2024-12"]}, "pay_period"),
        ({"pay_period": ["2024-05", "2024-04"]}, "pay_period"),
        ({"pay_period": ["2024-5", "2024-06"]}, "pay_period"),
        ({"pay_period": ["2024-05-01", "2024-06"]}, "pay_period"),
        ({"stage_probabilities": [{"funnel": "f", "stage": "s", "probability": -0.01}]}, "stage_probabilities[0]"),
        ({"rejection": {"rejection.p": -0.5}}, "rejection.rejection.p"),
        ({"rejection": {"rejection.n": -3}}, "rejection.rejection.n"),
        ({"extras": {"period.kind": "forever"}}, "extras.period.kind"),
        ({"extras": {"period.dates": ["2024-05-01", "2024-04-01"]}}, "extras.period.dates"),
        ({"extras": {"period.dates": "2024-05-01"}}, "extras.period.dates"),
    ],
)
def test_a_bad_field_is_named_in_both_languages(changes, named):
    with pytest.raises(ScenarioError) as info:
        Scenario.from_json(saved(**changes))
    assert named in str(info.value)
    assert named in info.value.message("ru") and info.value.message("ru") != str(info.value)


@pytest.mark.parametrize(
    ("changes", "en", "ru"),
    [
        ({"confidence": 100}, "from 50 to 99", "от 50 до 99"),
        ({"dormancy_days": 3651}, "from 1 to 3650", "от 1 до 3650"),
        ({"pay_period": ["2024-05", "2024-04"]}, "YYYY-MM, the first not after the last", "ГГГГ-ММ, первый не позже"),
    ],
)
def test_an_out_of_range_value_is_refused_saying_what_the_field_takes(changes, en, ru):
    with pytest.raises(ScenarioError) as info:
        Scenario.from_json(saved(**changes))
    assert en in str(info.value) and ru in info.value.message("ru")


@pytest.mark.parametrize(
    "changes",
    [
        {"confidence": 50, "dormancy_days": 3650, "plan_target": 0, "targets": {"Иванов": 10**15}},
        {"confidence": 99, "dormancy_days": 1, "plan_period": ["2024-01-01", "2024-01-01"]},
        {"pay_period": ["2023-12", "2024-01"], "plan_period": ["2024-02-28", "2024-02-29"]},
        {"extras": {"period.kind": "custom", "period.dates": ["2024-01-01", "2024-03-31"]}},
    ],
)
def test_values_at_the_edges_of_what_the_pages_take_load(changes):
    scenario = Scenario.from_json(saved(**changes))
    assert {k: getattr(scenario, k) for k in changes if k != "extras"} == {
        k: tuple(v) if isinstance(v, list) else v for k, v in changes.items() if k != "extras"
    }


@pytest.mark.parametrize("text", [b"", b"\xff\xfe", b"[1, 2]", b"null", b'"scenario"', b"{"])
def test_not_a_scenario_at_all(text):
    with pytest.raises(ScenarioError):
        Scenario.from_json(text)


def test_a_scenario_that_cannot_be_written_says_so():
    with pytest.raises(ScenarioError):
        Scenario(plan_target=float("inf")).to_json()


def test_key_figures_use_the_scenarios_rates_and_fall_back_to_the_config():
    import pandas as pd

    from funnel_model.scenario import key_figures
    from funnel_model.schema import conform

    config = FunnelConfig([FunnelSpec("f", [StageSpec("a", 0.2), StageSpec("b", 0.5)], won=["won"], lost=["lost"])])
    day = pd.Timestamp("2024-01-01")
    deals = pd.DataFrame(
        {
            "deal_id": ["1", "2", "3", "4"],
            "client_id": ["c1", "c2", "c3", "c4"],
            "funnel": "f",
            "stage": ["a", "b", "won", "lost"],
            "status": ["open", "open", "won", "lost"],
            "amount": [100.0, 300.0, 50.0, 70.0],
            "owner": "x",
            "created_at": [day] * 4,
            "closed_at": [pd.NaT, pd.NaT, day, day],
        }
    )
    deals = conform(deals)
    # own rates for stage a only; b keeps its configured 0.5: each open deal wins with its stage's chance
    scenario = Scenario(stage_probabilities=(StageProbability("f", "a", 0.4),), plan_target=400.0)
    figures = key_figures(deals, None, config, scenario)
    assert figures["mean"] == pytest.approx(0.4 * 100 + 0.5 * 300)
    assert figures["p_plan"] == pytest.approx(0.4 * 0.5)  # both must win to reach 400
    # none 0.3, a only 0.2, b only 0.3, both 0.2: CDF 0.3 at 0, 0.5 at 100, 0.8 at 300, 1 at 400
    assert (figures["p10"], figures["p50"], figures["p90"]) == pytest.approx((0.0, 100.0, 400.0))
    assert np.isnan(figures["cost_of_sales_a"])  # no pay plan in the scenario
