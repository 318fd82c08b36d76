"""The Clients page in a real browser: headline, the client-base charts, the tabs, a drill-down by row click."""

from __future__ import annotations

from tests.browser.conftest import open_app, wait_for_app, widget


def test_clients_page_renders_and_drills_down(page, app_url, save_screenshot):
    open_app(page, app_url, "clients", lang="en")
    page.get_by_text("Clients at each month's end").first.wait_for()
    main = page.locator('[data-testid="stMain"]')
    assert "105 active clients" in main.locator('[data-testid="stMarkdown"]').first.inner_text()
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.nth(2).wait_for()
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    assert page.locator('[data-testid="stException"]').count() == 0
    save_screenshot(page, "clients")

    page.get_by_role("tab", name="Channels").click()
    page.get_by_text("Spend per channel (optional)").first.wait_for()
    # type a spend into the editor's first row: the costs follow
    editor = widget(page, "clients.spend_editor")
    editor.scroll_into_view_if_needed()
    box = editor.bounding_box()
    page.mouse.dblclick(box["x"] + box["width"] * 0.75, box["y"] + 55)
    # the grid opens its cell editor a moment after the double click: keys typed before it are lost
    page.wait_for_timeout(1000)
    page.keyboard.type("1000000", delay=50)
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.get_by_text("Channels with spend: 1;").first.wait_for()
    page.get_by_role("tab", name="Why deals are lost").click()
    # click the first row's selection cell of the Pareto table: the deals behind it appear
    grid = widget(page, "clients.pareto")
    grid.wait_for()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 55)
    wait_for_app(page)
    page.get_by_text("Deals lost for “Дорого”: 503").first.wait_for()
    page.get_by_text("Download these 503 rows (CSV)").first.wait_for()
    save_screenshot(page, "clients_losses_drill")

    # the stuck deals' file is written when its button is clicked: every stuck deal (98 on the demo) in it
    page.get_by_role("tab", name="Stuck and overdue deals").click()
    button = page.get_by_role("button", name="Download these 98 rows (CSV)")
    button.wait_for()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    lines = info.value.path().read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 98
