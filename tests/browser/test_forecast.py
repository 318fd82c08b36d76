"""The Forecast & plan page in a real browser: a stage slider moved with the keyboard changes P(plan)."""

from __future__ import annotations

from tests.browser.conftest import open_app, wait_for_app


def _p_plan(page) -> str:
    """The what-if P(plan) value (the first of the two P(plan) metrics)."""
    metric = page.get_by_test_id("stMetric").filter(has_text="P(plan)").first
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def test_slider_moves_p_plan(page, app_url, save_screenshot):
    # a deep link runs as a bare pages/ script until a session has run app.py's st.navigation
    open_app(page, app_url, lang="en")
    page.goto(f"{app_url}/forecast?lang=en")
    wait_for_app(page)
    page.get_by_test_id("stMetric").filter(has_text="P(plan)").first.wait_for()
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
    metric = page.get_by_test_id("stMetric").filter(has_text="P(план)").first
    metric.wait_for()
    assert "%" in metric.get_by_test_id("stMetricValue").inner_text()
    assert page.get_by_text("План в обратную сторону").is_visible()
    save_screenshot(page, "forecast_ru")
