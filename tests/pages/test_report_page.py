"""The Report page through AppTest: scenarios kept, saved, changed and loaded back; a bad file changes nothing."""

from __future__ import annotations

import json
from collections import ChainMap

import pytest
from streamlit.testing.v1 import AppTest

from funnel_model.scenario import CONFIDENCE_RANGE, MAX_DORMANCY_DAYS
from tests.pages.apptest import assert_clean, open_page, type_money

REPORT, FORECAST, COMPENSATION = "pages/report.py", "pages/forecast.py", "pages/compensation.py"


@pytest.fixture
def saved(saved, made):
    """Every file a download button offers, stored with the page or made on a click (the PDF), by file name."""
    return ChainMap(saved, made)


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert_clean(at)
    return at


def first_slider(at: AppTest):
    return next(s for s in at.slider if str(s.key).startswith("forecast.p."))


def test_save_change_load_restores_the_assumptions(saved):
    at = open_page(FORECAST)
    slider = first_slider(at)
    key = slider.key
    slider.set_value(77).run()
    type_money(at, "forecast.plan", 12_345_000.0)
    assert_clean(at)
    go(at, REPORT)
    file = saved["scenario.json"]  # the page offers the session's scenario afresh on every run
    scenario = json.loads(file)
    assert scenario["plan_target"] == 12_345_000.0
    assert any(s["probability"] == 0.77 for s in scenario["stage_probabilities"])

    go(at, FORECAST)
    at.slider(key=key).set_value(5).run()
    type_money(at, "forecast.plan", 1_000.0)
    go(at, REPORT)
    at.file_uploader(key="scenario.upload").upload("scenario.json", file, "application/json").run()
    assert_clean(at)
    assert any("now in use" in s.value for s in at.success)
    go(at, FORECAST)
    assert at.slider(key=key).value == 77
    assert at.session_state["forecast.plan"] == 12_345_000.0


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b'{"format": "funnel-scenario", "version": 1, "plan_target": "lots"}', "plan_target"),
        (b'{"format": "funnel-scenario", "version": 7}', "version 7"),
        (b'{"format": "funnel-scenario", "vers', "line 1"),
        (b'{"format": "funnel-scenario", "version": 1, "confidence": 150}', "confidence"),
        (b'{"format": "funnel-scenario", "version": 1, "dormancy_days": 100000}', "dormancy_days"),
        (b'{"format": "funnel-scenario", "version": 1, "pay_period": ["2024-13", "2024-14"]}', "pay_period"),
        (b'{"format": "funnel-scenario", "version": 1, "targets": {"Anna": -100}}', "targets.Anna"),
    ],
)
def test_a_bad_scenario_file_is_named_and_changes_nothing(content, named):
    at = open_page(FORECAST)
    slider = first_slider(at)
    key = slider.key
    slider.set_value(33).run()
    go(at, REPORT)
    at.file_uploader(key="scenario.upload").upload("bad.json", content, "application/json").run()
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # the field name is escaped for Markdown
    assert any(named in text and "stays as it was" in text for text in shown), shown
    go(at, FORECAST)
    assert at.slider(key=key).value == 33


def test_kept_scenarios_are_compared_side_by_side():
    at = open_page(REPORT)
    at.button(key="scenario.keep").click().run()
    go(at, FORECAST)
    type_money(at, "forecast.plan", 1.5e8)  # twice the expected revenue: out of reach
    go(at, REPORT)
    table = at.dataframe[0].value.set_index("Figure")
    assert list(table.columns) == ["As now", "Scenario 1"]
    assert table.loc["Chance to reach the plan", "As now"] == "0.0 %"
    assert table.loc["Chance to reach the plan", "Scenario 1"] != "0.0 %"
    # the same pipeline: the revenue figures agree
    assert table.loc["P50 (median)", "As now"] == table.loc["P50 (median)", "Scenario 1"]


def test_a_project_file_restores_the_whole_session_in_a_new_one(saved):
    from funnel_model import load_project
    from tests.pages.test_downloads import HOSTILE_CSV

    at = open_page("pages/data.py")
    at.file_uploader(key="data.upload").upload("hostile.csv", HOSTILE_CSV, "text/csv").run()
    assert_clean(at)
    before = at.session_state["_dataset_memo"][1]
    go(at, FORECAST)
    slider = first_slider(at)
    key = slider.key
    slider.set_value(61).run()
    go(at, REPORT)
    at.text_input(key="scenario.name").set_value("Осторожный").run()
    at.button(key="scenario.keep").click().run()
    file = saved["funnel_project.zip"]
    project = load_project(file)
    assert [s.name for s in project.scenarios] == ["", "Осторожный"]
    assert len(project.problems) == 1  # the formula amount, repaired

    fresh = open_page(REPORT)
    fresh.file_uploader(key="project.upload").upload("client.zip", file, "application/zip").run()
    assert_clean(fresh)
    assert any("is open" in s.value for s in fresh.success)
    after = fresh.session_state["_dataset_memo"][1]
    import pandas as pd

    pd.testing.assert_frame_equal(after.deals, before.deals, check_exact=True)
    pd.testing.assert_frame_equal(after.problems, before.problems, check_exact=True)
    assert after.config == before.config and after.mapping == before.mapping
    assert list(fresh.session_state["scenarios"]) == ["Осторожный"]
    go(fresh, FORECAST)
    assert fresh.slider(key=key).value == 61


def test_a_broken_project_file_changes_nothing():
    at = open_page(REPORT)
    at.file_uploader(key="project.upload").upload("x.zip", b"PK\x03\x04 cut short", "application/zip").run()
    assert not at.exception
    assert any("not opened" in e.value and "not a zip" in e.value for e in at.error), [e.value for e in at.error]
    assert at.session_state["_dataset_memo"][1].source == "demo"


def test_the_report_is_made_in_russian_with_hostile_names_escaped(saved):
    from tests.pages.test_downloads import HOSTILE_CSV

    evil = b"<script>alert(1)</script>"
    at = open_page("pages/data.py", "ru")
    at.file_uploader(key="data.upload").upload("evil.csv", HOSTILE_CSV.replace(b"Proposal", evil), "text/csv").run()
    assert_clean(at)
    go(at, REPORT)
    at.text_input(key="report.client").set_value("ООО <script>alert(1)</script>").run()
    at.button(key="report.make").click().run()
    assert_clean(at)
    html = saved["funnel_report.html"].decode("utf-8")
    assert "<script" not in html.lower()
    assert "ООО &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<section id="funnels">' in html and "Воронки и их узкие места" in html
    assert "<svg" in html
    assert " ₽</td>" in html  # the Russian default currency on amounts
    at.selectbox(key="currency").set_value("$").run()
    at.button(key="report.make").click().run()
    assert " $</td>" in saved["funnel_report.html"].decode("utf-8")


def test_the_forecast_period_travels_with_the_scenario(saved):
    at = open_page(FORECAST)
    at.selectbox(key="period.kind").set_value("next_month").run()
    assert_clean(at)
    go(at, REPORT)
    file = saved["scenario.json"]
    scenario = json.loads(file)
    assert scenario["extras"]["period.kind"] == "next_month" and scenario["plan_period"] is not None
    go(at, FORECAST)
    at.selectbox(key="period.kind").set_value("this_year").run()
    go(at, REPORT)
    at.file_uploader(key="scenario.upload").upload("scenario.json", file, "application/json").run()
    go(at, FORECAST)
    assert at.selectbox(key="period.kind").value == "next_month"


def test_the_scenarios_bounds_are_the_controls_bounds():
    at = open_page(FORECAST)
    confidence = at.slider(key="forecast.confidence")
    assert (confidence.min, confidence.max) == CONFIDENCE_RANGE
    go(at, "pages/data.py")
    assert at.number_input(key="data.dormancy").max == MAX_DORMANCY_DAYS


def test_the_pay_period_travels_with_the_scenario(saved):
    at = open_page(COMPENSATION)
    last = len(at.selectbox(key="compensation.period_from").options) - 1
    at.selectbox(key="compensation.period_from").select_index(last - 2).run()
    at.selectbox(key="compensation.period_to").select_index(1).run()  # the pickers' second month: one after the first
    chosen = [at.selectbox(key=f"compensation.period_{end}").value for end in ("from", "to")]
    go(at, REPORT)
    file = saved["scenario.json"]
    assert json.loads(file)["pay_period"] == chosen
    go(at, COMPENSATION)
    at.selectbox(key="compensation.period_from").select_index(0).run()
    go(at, REPORT)
    at.file_uploader(key="scenario.upload").upload("scenario.json", file, "application/json").run()
    go(at, COMPENSATION)
    assert [at.selectbox(key=f"compensation.period_{end}").value for end in ("from", "to")] == chosen


def test_a_rejection_setting_beyond_its_control_is_brought_within_it():
    scenario = {"format": "funnel-scenario", "version": 1, "rejection": {"rejection.p": 5.0, "rejection.n": 50.7}}
    at = open_page(REPORT)
    at.file_uploader(key="scenario.upload").upload("s.json", json.dumps(scenario).encode(), "application/json").run()
    go(at, "pages/rejection.py")
    assert at.slider(key="rejection.p").value == 0.9
    assert at.slider(key="rejection.n").value == 51


def test_the_report_downloads_as_pdf_too(saved):
    import io

    import pypdf

    at = open_page(REPORT, "ru")
    at.text_input(key="report.title").set_value("Отчёт для ООО «Ромашка»").run()
    at.button(key="report.make").click().run()
    assert_clean(at)
    assert "report.download_pdf" in [b.key for b in at.get("download_button")]
    pdf = saved["funnel_report.pdf"]
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert text.startswith("Отчёт для ООО «Ромашка»")
    assert "Воронки и их узкие места" in text
    assert sum(len(page.images) for page in reader.pages) >= 3  # the funnels' charts
