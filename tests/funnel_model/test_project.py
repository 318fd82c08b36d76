"""Project files: data, mapping and scenarios back exactly; broken, foreign and hostile files refused clearly."""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel_model import load_project, save_project
from funnel_model.compensation import preset
from funnel_model.errors import FunnelError, ProjectError
from funnel_model.project import is_project
from funnel_model.scenario import Scenario, StageProbability
from funnel_model.schema import conform


def deals() -> pd.DataFrame:
    table = conform(
        pd.DataFrame(
            {
                "deal_id": ["1", "2", "3"],
                "client_id": ["ООО «Ромашка»", None, "<script>alert(1)</script>"],
                "stage": ["Переговоры", "Успешно", "Отказ"],
                "status": ["open", "won", "lost"],
                "amount": [1_200_000.5, None, 0.0],
                "created_at": pd.to_datetime(["2024-02-01 10:00", "2024-02-05 00:00", None]),
                "closed_at": pd.to_datetime([None, "2024-03-15", "2024-02-20"]),
            }
        )
    )
    table["Примечание"] = ["срочно", None, "=1+1"]  # an export column kept as it came
    return table


def history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deal_id": pd.Series(["1", "1", "2"], dtype="str"),
            "stage": pd.Series(["Новая", "Переговоры", "Успешно"], dtype="str"),
            "entered_at": pd.to_datetime(["2024-02-01", "2024-02-10", "2024-03-15"]),
        }
    )


SCENARIOS = (
    Scenario(name="Как сейчас", plan_target=76e6, stage_probabilities=(StageProbability("main", "Переговоры", 0.4),)),
    Scenario(name="B", plans={"a": preset("cliff", "ru")}, targets={"Иванов": 3e6}, dormancy_days=180),
)
MAPPING = {"amount": "Бюджет ", "stage": "Этап сделки"}


def test_everything_comes_back_exactly_dtypes_too():
    project = load_project(save_project(deals(), history(), SCENARIOS, MAPPING))
    pd.testing.assert_frame_equal(project.deals, deals(), check_exact=True)
    pd.testing.assert_frame_equal(project.history, history(), check_exact=True)
    assert project.deals.dtypes.equals(deals().dtypes)
    assert project.scenarios == SCENARIOS
    assert project.mapping == MAPPING


def test_the_import_problems_come_back_too():
    problems = pd.DataFrame(
        {"row": [4, 7], "column": ["amount", ""], "value": ["=1+1", ""], "action": ["repaired", "rejected"]}
    ).astype({"row": "int64", "column": "str", "value": "str", "action": "str"})
    project = load_project(save_project(deals(), problems=problems))
    pd.testing.assert_frame_equal(project.problems, problems, check_exact=True)
    assert is_project(save_project(deals())) and not is_project(b"PK\x03\x04 junk") and not is_project(b"a;b")


def test_without_history_scenarios_or_mapping():
    project = load_project(save_project(deals()))
    assert project.history is None and project.scenarios == () and project.mapping is None
    pd.testing.assert_frame_equal(project.deals, deals())


def test_the_same_project_saves_to_the_same_bytes():
    assert save_project(deals(), history(), SCENARIOS, MAPPING) == save_project(deals(), history(), SCENARIOS, MAPPING)


amounts = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))
words = st.one_of(st.none(), st.text(max_size=10))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            words,
            amounts,
            st.datetimes(pd.Timestamp("1970-01-01").to_pydatetime(), pd.Timestamp("2200-01-01").to_pydatetime()),
        ),
        max_size=8,
    )
)
def test_any_deal_table_round_trips(rows):
    table = conform(
        pd.DataFrame(
            {
                "deal_id": [str(i) for i in range(len(rows))],
                "stage": ["s"] * len(rows),
                "owner": [r[0] for r in rows],
                "amount": [r[1] for r in rows],
                "created_at": [r[2] for r in rows],
            }
        )
    )
    pd.testing.assert_frame_equal(load_project(save_project(table)).deals, table, check_exact=True)


def test_a_cut_file_is_refused_at_any_length():
    data = save_project(deals(), history(), SCENARIOS, MAPPING)
    for cut in range(0, len(data), max(1, len(data) // 97)):
        with pytest.raises(ProjectError):
            load_project(data[:cut])


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            # a fixed time: parametrized bytes must be the same on every pytest-xdist worker
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _members(**changes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(save_project(deals(), history(), SCENARIOS, MAPPING))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return members | changes


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"deal_id;stage\n1;x\n", "not a zip"),
        (_zip({"word/document.xml": b"<w/>"}), "not a Funnel project"),
        (_zip(_members(**{"manifest.json": json.dumps({"format": "funnel-project", "version": 9}).encode()})), "9"),
        (_zip(_members(**{"deals.parquet": b"PAR1 not really"})), "deals.parquet"),
        (_zip({k: v for k, v in _members().items() if k != "history.parquet"}), "history.parquet"),
        (
            _zip(_members(**{"scenarios.json": b'[{"format": "funnel-scenario", "version": 1, "dormancy_days": -3}]'})),
            "dormancy_days",
        ),
        (_zip(_members(**{"mapping.json": b"[1, 2]"})), "mapping.json"),
        (_zip(_members(**{"scenarios.json": b"{"})), "scenarios.json"),
    ],
    ids=[
        "not-a-zip",
        "foreign-zip",
        "newer-version",
        "broken-deals",
        "no-history",
        "bad-scenario",
        "bad-mapping",
        "cut-json",
    ],
)
def test_broken_or_foreign_files_name_the_part(data, named):
    with pytest.raises(ProjectError) as info:
        load_project(data)
    assert named in str(info.value)
    assert isinstance(info.value, FunnelError) and info.value.message("ru") != str(info.value)


def test_a_zip_bomb_is_refused_before_inflating():
    bomb = _members(**{"padding.bin": bytes(64 << 20)})  # 64 MiB of zeros packs into ~64 KiB
    with pytest.raises(ProjectError, match="inflate"):
        load_project(_zip(bomb))
