"""The Funnels page in a real browser: three funnels drawn, the over-optimistic seller visible."""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import open_app, wait_for_app, widget

ROOT = Path(__file__).resolve().parents[2]


def test_three_funnels_render(page, app_url, save_screenshot):
    open_app(page, app_url, "funnels", lang="en")
    page.get_by_text("The three funnels").first.wait_for()
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.wait_for()
    # three funnels side by side, titled by segment and pipeline, on one row
    titles = ("Attraction (new prospects)", "Retention (active clients)", "Reactivation (dormant clients)")
    boxes = []
    for i, title in enumerate(titles):
        charts.nth(i).get_by_text(title, exact=True).first.wait_for()
        boxes.append(charts.nth(i).bounding_box())
    assert all(b is not None and b["width"] > 150 and b["height"] > 150 for b in boxes)
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert abs(boxes[0]["y"] - boxes[2]["y"]) < 5
    warning = page.get_by_test_id("stAlert").filter(has_text="Over-optimistic")
    assert "Игорь Волков" in warning.inner_text()
    assert page.get_by_text("the bottleneck is").count() == 3
    # one rule for a flagged stage (an exact test against the configured probability), named on the page
    page.get_by_text("contradict the configured probability").first.wait_for()
    save_screenshot(page, "funnels")

    widget(page, "funnels.basis").get_by_text("% of first").click()
    wait_for_app(page)
    page.get_by_text("(% of first)").first.wait_for()


def test_amocrm_export_without_loss_stages_in_russian(page, app_url, save_screenshot):
    """Lost deals of unknown stage: "≥ n" and "—" on the bars, no shapes chart, the segment named once."""
    open_app(page, app_url, lang="ru")
    widget(page, "data.upload").locator('input[type="file"]').set_input_files(str(ROOT / "data" / "demo_amocrm.csv"))
    wait_for_app(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("demo_amocrm.csv").first.wait_for()
    # within the same session (a goto would start a new one, without the upload)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Воронки").click()
    wait_for_app(page)
    page.get_by_text("Три воронки").first.wait_for()
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.get_by_text("Привлечение (новые клиенты)", exact=True).first.wait_for()
    assert charts.first.get_by_text("Привлечение", exact=True).count() == 0  # no «Привлечение · Привлечение»
    assert page.get_by_text("Не показаны на графике:").count() == 1
    assert page.get_by_text("Сравнение форм воронок").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    save_screenshot(page, "funnels_amocrm_ru")


def test_presenter_mode_one_funnel_per_screen(page, app_url, save_screenshot):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_app(page, app_url, lang="en")
    page.goto(f"{app_url}/funnels?presenter=1&section=2&lang=en")
    wait_for_app(page)
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.get_by_text("Retention (active clients)", exact=True).first.wait_for()
    assert charts.count() == 1
    assert page.get_by_test_id("stSidebar").is_hidden()
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 1200 and box["y"] + box["height"] <= 1080 + 200
    save_screenshot(page, "funnels_presenter_1920", whole_page=False)
    widget(page, "funnels.next").get_by_role("button").click()
    wait_for_app(page)
    charts.first.get_by_text("Reactivation (dormant clients)", exact=True).first.wait_for()
    assert "section=3" in page.url
