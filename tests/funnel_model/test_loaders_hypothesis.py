"""Property: whatever a scenario or project file holds, it loads or raises a domain error; a valid one round-trips.

For ``Scenario.from_json`` (arbitrary text, arbitrary JSON, a valid scenario with one value replaced by a wrong
or absurd one, cut files) and ``load_project`` (arbitrary bytes, a valid project damaged or cut, zips of random
members): only ``FunnelError`` subclasses escape. The CI run tries about 2,000 files in about 20 s;
``FUNNEL_FUZZ_SCALE=10`` multiplies every test's examples for the long run described in the README.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from funnel_model import load_project, save_project
from funnel_model.errors import FunnelError, ProjectError, ScenarioError
from funnel_model.period import PERIOD_KINDS
from funnel_model.scenario import CONFIDENCE_RANGE, MAX_DORMANCY_DAYS, MAX_MONEY, Scenario
from tests.funnel_model.test_project import MAPPING, SCENARIOS, deals, history
from tests.funnel_model.test_scenario import scenarios

SCALE = int(os.environ.get("FUNNEL_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    """``examples`` cases per CI run, ``SCALE`` times as many in the long run."""
    return settings(max_examples=examples * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


DEEP = "[" * 5000 + "]" * 5000  # beyond json's own nesting limit
HUGE = 10**400  # an integer no float holds
ABSURD = st.one_of(
    st.sampled_from(
        [None, True, False, 0, -1, HUGE, -HUGE, 1e308, -1e308, "", "x", "2024-13", [], {}, [None], {"": 0}, 49]
    )
    # just past the bounds of a confidence, a dormancy window, a target, a date, a period
    | st.sampled_from([100, 3651, 1e16, 0.5, "2024-02-30", ["2024-05", "2024-04"], ["2024-05-01", "2024-04-30"]]),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.just(json.loads("[" * 40 + "]" * 40)),  # deeper than a filter value may be, shallow enough for json
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from([HUGE, 1e308]) | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
SCENARIO_KEYS = ["format", "version", "name", "config", "plans", "targets", "filters", "dormancy_days", "confidence"]


def _within_bounds(scenario: Scenario) -> None:
    """What a loaded scenario hands the pages lies within what their controls take."""
    low, high = CONFIDENCE_RANGE
    assert scenario.confidence is None or low <= scenario.confidence <= high
    assert 1 <= scenario.dormancy_days <= MAX_DORMANCY_DAYS
    assert all(0 <= s.probability <= 1 for s in scenario.stage_probabilities)
    money = [scenario.plan_target or 0, *scenario.targets.values()]
    assert all(0 <= m <= MAX_MONEY for m in money)
    for pair, parse in ((scenario.plan_period, dt.date.fromisoformat), (scenario.pay_period, pd.Period)):
        assert pair is None or parse(pair[0]) <= parse(pair[1])
    assert all(isinstance(v, bool) or v >= 0 for v in scenario.rejection.values())
    assert scenario.extras.get("period.kind", "custom") in PERIOD_KINDS


def _loads_or_domain_error(text: str | bytes) -> Scenario | None:
    try:
        scenario = Scenario.from_json(text)
    except FunnelError:
        return None
    _within_bounds(scenario)
    try:
        saved = scenario.to_json()
    except ScenarioError:
        return scenario
    assert Scenario.from_json(saved) == scenario
    return scenario


@fuzz(400)
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200)))
@example(DEEP)
@example("1" * 5000)  # over Python's 4,300-digit limit of integer parsing: a ValueError before the fix
@example(b"\xff\xfe{")
def test_arbitrary_text_raises_only_domain_errors(text):
    _loads_or_domain_error(text)


@fuzz(300)
@given(JSON, st.booleans())
@example({"format": "funnel-scenario", "version": 1, "targets": {"a": HUGE}}, False)  # OverflowError before the fix
@example({"format": "funnel-scenario", "version": 1, "filters": {"a": json.loads("[" * 100 + "]" * 100)}}, False)
@example(
    {
        "format": "funnel-scenario",
        "version": 1,
        "config": {"funnels": [{"name": "f", "stages": [{"name": "s", "probability": HUGE}]}]},
    },
    False,
)  # OverflowError in FunnelConfig before the fix
def test_arbitrary_json_raises_only_domain_errors(value, as_scenario):
    if as_scenario and isinstance(value, dict):
        value = {"format": "funnel-scenario", "version": 1} | {k: v for k, v in value.items() if k in SCENARIO_KEYS}
    _loads_or_domain_error(json.dumps(value))


def _paths(value: object, path: tuple = ()) -> list[tuple]:
    """Every place in a JSON value, as a path of keys and indices."""
    places = [path]
    if isinstance(value, dict):
        places += [p for k, v in value.items() for p in _paths(v, (*path, k))]
    elif isinstance(value, list):
        places += [p for i, v in enumerate(value) for p in _paths(v, (*path, i))]
    return places


def _replace(value: object, path: tuple, new: object) -> object:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replace(value[path[0]], path[1:], new)
    return copy


@fuzz(200)
@given(scenarios, st.data())
def test_a_valid_scenario_with_one_wrong_value_loads_or_names_it(scenario, data):
    saved = json.loads(scenario.to_json())
    path = data.draw(st.sampled_from(_paths(saved)[1:]))
    _loads_or_domain_error(json.dumps(_replace(saved, path, data.draw(ABSURD))))


@fuzz(100)
@given(scenarios, st.data())
def test_a_cut_or_damaged_scenario_loads_or_raises_a_domain_error(scenario, data):
    text = bytearray(scenario.to_json().encode("utf-8"))
    for _ in range(data.draw(st.integers(0, 3))):
        text[data.draw(st.integers(0, len(text) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(text)))
    _loads_or_domain_error(bytes(text[:cut]))


# ------------------------------------------------------------------ project files

VALID = save_project(deals(), history(), SCENARIOS, MAPPING)
with zipfile.ZipFile(io.BytesIO(VALID)) as _archive:
    MEMBERS = {name: _archive.read(name) for name in _archive.namelist()}


def _load_or_domain_error(data: bytes) -> None:
    try:
        project = load_project(data)
    except FunnelError:
        return
    assert isinstance(project.deals, pd.DataFrame)
    assert all(isinstance(s, Scenario) for s in project.scenarios)


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@fuzz(400)
@given(st.binary(max_size=2000))
@example(b"PK\x05\x06" + bytes(18))  # an empty zip
def test_arbitrary_bytes_raise_only_project_errors(data):
    _load_or_domain_error(data)


@fuzz(300)
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), max_size=4), st.integers(0, len(VALID)))
def test_a_damaged_or_cut_project_raises_only_domain_errors(damage, cut):
    data = bytearray(VALID)
    for at, byte in damage:
        data[at] = byte
    _load_or_domain_error(bytes(data[:cut]))


MEMBER_CONTENT = st.one_of(
    st.sampled_from(list(MEMBERS.values())),
    st.binary(max_size=200),
    JSON.map(lambda v: json.dumps(v).encode()),
    st.sampled_from([DEEP.encode(), b"1" * 5000, b"[" + b"1" * 5000 + b"]"]),
)


@fuzz(300)
@given(
    st.lists(st.tuples(st.sampled_from([*MEMBERS, "x.bin"]), MEMBER_CONTENT), max_size=7, unique_by=lambda m: m[0]),
    st.dictionaries(st.sampled_from(["deals", "history", "problems", "scenarios", "version", "files"]), ABSURD),
)
@example([("manifest.json", MEMBERS["manifest.json"]), ("scenarios.json", DEEP.encode())], {})
@example([("manifest.json", b"1" * 5000)], {})  # ValueError before the fix
def test_zips_of_random_members_raise_only_domain_errors(members, manifest_changes):
    if manifest_changes:
        manifest = json.loads(MEMBERS["manifest.json"]) | manifest_changes
        members = [("manifest.json", json.dumps(manifest).encode()), *(m for m in members if m[0] != "manifest.json")]
    _load_or_domain_error(_zip(members))


@fuzz(30)
@given(st.lists(scenarios, max_size=3))
def test_a_valid_project_round_trips(saved):
    try:
        data = save_project(deals(), history(), saved, MAPPING)
    except ScenarioError:  # a scenario with a number JSON cannot hold is refused when saving
        return
    project = load_project(data)
    assert project.scenarios == tuple(saved)
    assert project.mapping == MAPPING
    pd.testing.assert_frame_equal(project.deals, deals(), check_exact=True)
    pd.testing.assert_frame_equal(project.history, history(), check_exact=True)


def test_a_number_too_long_to_read_names_the_part():
    members = [
        (name, b"[" + b"1" * 5000 + b"]" if name == "scenarios.json" else body) for name, body in MEMBERS.items()
    ]
    with pytest.raises(ProjectError, match=r"scenarios\.json"):
        load_project(_zip(members))
    with pytest.raises(ScenarioError) as info:
        Scenario.from_json("1" * 5000)
    assert "too long" in str(info.value) and info.value.message("ru") != str(info.value)
