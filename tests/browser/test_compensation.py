"""The Compensation page in a real browser on the demo data."""

from __future__ import annotations

import io

import openpyxl

from tests.browser.conftest import open_app, wait_for_app, widget


def _metric(page, label: str) -> float:
    """A money metric as funnel_model.formatting writes it: thousands grouped by a narrow no-break space,
    the currency sign after the number."""
    box = page.get_by_test_id("stMetric").filter(has_text=label).first
    text = box.get_by_test_id("stMetricValue").inner_text()
    assert "," not in text, text
    return float(text.replace("\u202f", "").replace(" ", "").removesuffix("₽"))


def test_compensation_page_renders_the_pay_table(page, app_url, save_screenshot):
    # The root first: a fresh server whose first request is a page URL serves
    # pages/ in Streamlit's legacy mode without app.py (reported to the lead).
    open_app(page, app_url, "", lang="en")
    open_app(page, app_url, "compensation", lang="en")
    assert "Language" in page.get_by_test_id("stSidebar").inner_text()

    # both plans' editors, the targets and the conditions tables are there
    for key in ("compensation.a.preset", "compensation.b.preset", "compensation.targets", "compensation.conditions"):
        assert widget(page, key).count() == 1, key

    # the pay table (a canvas grid) with the column headers, and the company figures
    table = widget(page, "compensation.pay_table")
    table.wait_for()
    assert table.get_by_test_id("stDataFrame").count() == 1
    total_a = _metric(page, "Total pay · A")
    assert total_a > 0
    assert page.get_by_test_id("stMetric").filter(has_text="Cost of sales · B").count() == 1

    # stacked bars, pay curves and the forecast band drew
    assert page.get_by_test_id("stVegaLiteChart").count() >= 3

    # downloads are offered
    sellers = 8  # the demo's sales team
    assert page.get_by_role("button", name="Download pay table (CSV)").count() == 1
    assert page.get_by_role("button", name="Download pay table (XLSX)").count() == 1
    with page.expect_download(timeout=60_000) as info:  # the workbook is written on the click
        page.get_by_role("button", name="Download pay table (XLSX)").click()
    book = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes()))  # the saved file has no suffix
    assert book.sheetnames == ["pay", "company"] and book["pay"].max_row == 1 + 2 * sellers
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_test_id("stAlertContentError").count() == 0
    save_screenshot(page, "compensation")

    # plan A's base +10 000 → the company's total pay +10 000 per seller
    page.get_by_role("tab", name="Fixed part").first.click()
    base = widget(page, "compensation.a.base.text").locator("input")
    base.fill("70000")
    base.press("Enter")
    wait_for_app(page)
    assert _metric(page, "Total pay · A") == total_a + sellers * 10_000


def test_compensation_page_in_russian_writes_numbers_the_russian_way(page, app_url, save_screenshot):
    open_app(page, app_url, "", lang="ru")
    open_app(page, app_url, "compensation", lang="ru")
    widget(page, "compensation.pay_table").wait_for()
    cost = page.get_by_test_id("stMetric").filter(has_text="Стоимость продаж · B").first
    assert "п. п." in cost.inner_text() and " pp" not in cost.inner_text()
    assert "," in cost.get_by_test_id("stMetricValue").inner_text()  # decimal comma
    assert page.get_by_test_id("stException").count() == 0
    save_screenshot(page, "compensation_ru")


def test_a_bitrix_export_of_one_month_in_the_browser(page, app_url, save_screenshot, tmp_path):
    """No close-date column, one month of deals: the pay table is filled, the substitute dates are counted,
    and the period is written out instead of a collapsed slider."""
    from tests.pages.test_compensation_page import BITRIX_ROWS, bitrix_csv

    export = tmp_path / "bitrix.csv"
    export.write_bytes(bitrix_csv(BITRIX_ROWS))
    open_app(page, app_url, lang="en")
    widget(page, "data.upload").locator('input[type="file"]').set_input_files(str(export))
    wait_for_app(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("deals · bitrix.csv").wait_for()
    # within the same session (a goto would start a new one, without the upload)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Compensation").click()
    wait_for_app(page)
    widget(page, "compensation.pay_table").wait_for()
    assert page.get_by_text("Period: 2025-03 (the only month in the data).").is_visible()
    assert widget(page, "compensation.period_from").count() == 0
    assert page.get_by_text("dated by “Expected close”: 1.").count() == 1
    assert _metric(page, "Total pay · A") > 2 * 60_000  # two bases and the new-client bonuses
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_test_id("stAlertContentError").count() == 0
    save_screenshot(page, "compensation_bitrix")
