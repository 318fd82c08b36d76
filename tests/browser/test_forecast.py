"""The Forecast & plan page in a real browser: stage sliders (per segment too) moved by keyboard change the chance
to make the plan."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from funnel_model.i18n import t
from tests.browser.conftest import choose_option, open_app, wait_for_app, widget
from tests.pages.test_forecast_page import PIPELINE, STAGES, no_win_csv, one_pipeline_csv

P_PLAN, P_PLAN_RU = t("forecast.p_plan", "en"), t("forecast.p_plan", "ru")  # "Chance to make the plan"


def _p_plan(page) -> str:
    """The what-if chance for all open deals: after the period's tile, before the historical rates' one."""
    metric = page.get_by_test_id("stMetric").filter(has_text=P_PLAN).nth(1)
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def test_slider_moves_p_plan(page, app_url, save_screenshot):
    # a deep link runs as a bare pages/ script until a session has run app.py's st.navigation
    open_app(page, app_url, lang="en")
    page.goto(f"{app_url}/forecast?lang=en")
    wait_for_app(page)
    page.get_by_test_id("stMetric").filter(has_text=P_PLAN).first.wait_for()
    before = _p_plan(page)

    # the first funnel's expander is open: its first stage slider, moved to 100 % from the keyboard
    thumb = page.get_by_role("slider").first
    start = int(thumb.input_value())
    thumb.focus()
    thumb.press("End")
    wait_for_app(page)
    assert int(page.get_by_role("slider").first.input_value()) == 100 > start

    after = _p_plan(page)
    assert after != before
    assert float(after.rstrip(" %")) > float(before.rstrip(" %"))
    save_screenshot(page, "forecast")


def test_russian_page(page, app_url, save_screenshot):
    open_app(page, app_url, lang="ru")
    page.goto(f"{app_url}/forecast?lang=ru")
    wait_for_app(page)
    metric = page.get_by_test_id("stMetric").filter(has_text=P_PLAN_RU).first
    metric.wait_for()
    assert "%" in metric.get_by_test_id("stMetricValue").inner_text()
    assert page.get_by_text("План в обратную сторону").is_visible()
    save_screenshot(page, "forecast_ru")


def test_one_pipeline_with_two_segments_in_the_browser(page, app_url, save_screenshot, tmp_path):
    """An uploaded amoCRM pipeline of new and active clients: one slider group per segment, each moves the chance."""
    export = tmp_path / "amo.csv"
    export.write_bytes(one_pipeline_csv())
    open_app(page, app_url, lang="en")
    widget(page, "data.upload").locator('input[type="file"]').set_input_files(str(export))
    wait_for_app(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("deals · amo.csv").wait_for()
    # within the same session (a goto would start a new one, without the upload)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Forecast & plan").click()
    wait_for_app(page)
    page.get_by_test_id("stMetric").filter(has_text=P_PLAN).first.wait_for()
    new = page.get_by_test_id("stExpander").filter(has_text=f"{PIPELINE} · New prospects")
    active = page.get_by_test_id("stExpander").filter(has_text=f"{PIPELINE} · Active clients")
    assert new.count() == 1 and active.count() == 1
    assert widget(page, f"forecast.reset.{PIPELINE}.active").count() == 1
    before = _p_plan(page)

    # the active clients' expander is closed: open it and move its last stage to 100 %
    active.locator("summary").click()
    thumb = widget(page, f"forecast.p.{PIPELINE}.active.{STAGES[2]}").get_by_role("slider")
    thumb.focus()
    thumb.press("End")
    wait_for_app(page)
    assert int(thumb.input_value()) == 100
    after = _p_plan(page)
    assert float(after.rstrip(" %")) > float(before.rstrip(" %"))
    assert page.locator('[data-testid="stException"]').count() == 0
    save_screenshot(page, "forecast_segments")


def test_an_export_with_no_won_deal_in_russian(page, app_url, save_screenshot, tmp_path):
    """8 deals, none won: the distribution shows, the plan and the close months say why they cannot, in Russian."""
    export = tmp_path / "amo.csv"
    export.write_bytes(no_win_csv())
    open_app(page, app_url, lang="ru")
    widget(page, "data.upload").locator('input[type="file"]').set_input_files(str(export))
    wait_for_app(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Прогноз и план").click()
    wait_for_app(page)
    page.get_by_test_id("stMetric").filter(has_text=P_PLAN_RU).first.wait_for()
    # the period plan and the close months may both say it
    assert page.get_by_text(t("forecast.plan_no_won", "ru")).first.is_visible()
    assert page.get_by_text(t("forecast.months_no_won", "ru")).first.is_visible()
    assert page.get_by_text("deal_sizes").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    save_screenshot(page, "forecast_no_won_ru")


def test_the_period_headline_reads_in_both_languages(page, app_url, save_screenshot):
    """The plan for a period opens the page with one sentence; picking next month moves its date."""
    open_app(page, app_url, lang="en")
    page.goto(f"{app_url}/forecast?lang=en")
    wait_for_app(page)
    heading = page.get_by_role("heading", name=re.compile(r"^By 31 Dec 2026 you will most likely win "))
    heading.wait_for()
    text = heading.inner_text()
    assert re.search(r"win [\d.]+[MK]?–[\d.]+[MK]? ₽; the [\d.]+[MK]? ₽ plan has a [<>]? ?\d+ % chance\.", text), text
    # the period's tile, then the same name on the whole pipeline's what-if and historical rows (the heading
    # comes first: under load the rows below it may still be arriving)
    expect(page.get_by_test_id("stMetric").filter(has_text=P_PLAN)).to_have_count(3)
    choose_option(page, "period.kind", "Next month")
    page.get_by_role("heading", name=re.compile(r"^By 30 Nov 2026 ")).wait_for()
    save_screenshot(page, "forecast_period")

    open_app(page, app_url, lang="ru")
    page.goto(f"{app_url}/forecast?lang=ru")
    wait_for_app(page)
    ru = page.get_by_role("heading", name=re.compile(r"^К 31\.12\.2026 вы скорее всего выиграете "))
    ru.wait_for()
    assert "₽" in ru.inner_text() and "вероятностью" in ru.inner_text()
