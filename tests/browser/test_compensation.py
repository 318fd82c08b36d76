"""The Compensation page in a real browser on the demo data."""

from __future__ import annotations

from tests.browser.conftest import open_app, widget


def test_compensation_page_renders_the_pay_table(page, app_url, save_screenshot):
    open_app(page, app_url, "compensation", lang="en")

    # both plans' editors, the targets and the conditions tables are there
    for key in ("compensation.a.base", "compensation.b.base", "compensation.targets", "compensation.conditions"):
        assert widget(page, key).count() == 1, key

    # the pay table has a row per seller and plan, with the Total column
    table = widget(page, "compensation.pay_table")
    table.wait_for()
    assert table.get_by_test_id("stDataFrameResizable").count() == 1 or table.locator("canvas").count() >= 1
    page.get_by_text("Total pay · A").first.wait_for()
    assert page.get_by_text("Cost of sales · B").count() >= 1

    # charts drew (Vega renders into a canvas or an svg)
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 3

    # downloads are offered
    assert page.get_by_role("button", name="Download pay table (CSV)").count() == 1
    assert page.get_by_role("button", name="Download pay table (XLSX)").count() == 1

    # no error box and no exception on the page
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_test_id("stAlertContentError").count() == 0

    save_screenshot(page, "compensation")
