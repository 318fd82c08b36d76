"""The Compensation page in a real browser on the demo data."""

from __future__ import annotations

from tests.browser.conftest import open_app, wait_for_app, widget


def _metric(page, label: str) -> float:
    """A money metric as funnel_model.formatting writes it: thousands grouped by a narrow no-break space."""
    box = page.get_by_test_id("stMetric").filter(has_text=label).first
    text = box.get_by_test_id("stMetricValue").inner_text()
    assert "," not in text, text
    return float(text.replace("\u202f", "").replace(" ", ""))


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
    assert page.get_by_role("button", name="Download pay table (CSV)").count() == 1
    assert page.get_by_role("button", name="Download pay table (XLSX)").count() == 1
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_test_id("stAlertContentError").count() == 0
    save_screenshot(page, "compensation")

    # plan A's base +10 000 → the company's total pay +10 000 per seller
    sellers = 8  # the demo's sales team
    page.get_by_role("tab", name="Fixed part").first.click()
    base = widget(page, "compensation.a.base").locator("input")
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
