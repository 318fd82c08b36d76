"""The Funnels page in a real browser: three funnels drawn, the over-optimistic seller visible."""

from __future__ import annotations

from tests.browser.conftest import open_app, wait_for_app, widget


def test_three_funnels_render(page, app_url, save_screenshot):
    open_app(page, app_url, "funnels", lang="en")
    page.get_by_text("The three funnels").first.wait_for()
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.wait_for()
    # three funnels side by side, titled by segment and pipeline, on one row
    titles = ("Attraction", "Retention", "Reactivation")
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
    # one rule for "configured outside the interval", named on the page
    page.get_by_text("outside the 90 % Beta interval").first.wait_for()
    save_screenshot(page, "funnels")

    widget(page, "funnels.basis").get_by_text("% of first").click()
    wait_for_app(page)
    page.get_by_text("(% of first)").first.wait_for()
