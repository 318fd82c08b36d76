"""The Rejection math page in a real browser, in presenter mode from a shared link."""

from __future__ import annotations

from tests.browser.conftest import open_app, wait_for_app, widget


def test_presenter_mode_from_a_link(page, app_url, save_screenshot):
    # Streamlit runs a deep link as a bare pages/ script (multipage v1) until some session has run
    # app.py's st.navigation in this server process; open the app once so the link gets the real app.
    open_app(page, app_url, lang="en")
    page.goto(f"{app_url}/rejection?presenter=1&p=0.1&n=30&lang=en")
    wait_for_app(page)

    # a big number is on screen: P(no deal in 30 attempts at 10 %) = 0.9^30 = 4.2 %
    no_deal = page.get_by_test_id("stMetric").filter(has_text="No deal in 30 attempts")
    no_deal.wait_for()
    assert "4.2 %" in no_deal.inner_text()
    value_box = no_deal.get_by_test_id("stMetricValue").bounding_box()
    assert value_box is not None and value_box["height"] >= 50  # readable from the back row

    # the sidebar and the room-irrelevant controls are gone, the rate and attempts stay
    assert page.get_by_test_id("stSidebar").is_hidden()
    assert widget(page, "rejection.seed").count() == 0
    assert widget(page, "rejection.wins_a").count() == 0
    assert widget(page, "rejection.p").is_visible()

    # the settings stay in the URL for sharing
    assert "p=0.1" in page.url and "n=30" in page.url and "presenter=1" in page.url

    save_screenshot(page, "rejection_presenter")


def test_russian_view_with_a_near_miss(page, app_url, save_screenshot):
    open_app(page, app_url, lang="ru")
    page.goto(f"{app_url}/rejection?p=0.1&n=30&wins_a=20&n_a=100&wins_b=10&n_b=100&lang=ru")
    wait_for_app(page)
    # the toggle's label is whole, not cut to «Режим презент…»
    toggle = widget(page, "rejection.presenter")
    toggle.get_by_text("Для зала", exact=True).wait_for()
    label = toggle.get_by_text("Для зала", exact=True)
    assert label.evaluate("e => e.scrollWidth <= e.clientWidth")
    page.get_by_text("Есть намёк, но это ещё не доказано").first.wait_for()
    interval = page.get_by_test_id("stMetric").filter(has_text="A − B")
    assert "+0,01 … +20" in interval.inner_text()
    # shown whole, not cut to "+0,01 … …"
    shown = interval.get_by_test_id("stMetricValue").locator("div").first
    assert shown.evaluate("e => e.scrollWidth <= e.clientWidth")
    save_screenshot(page, "rejection_ru")


INNERMOST_FONT_PX = """e => {
  while (e.firstElementChild) e = e.firstElementChild;
  return parseFloat(getComputedStyle(e).fontSize);
}"""


def test_presenter_mode_reads_from_the_back_of_a_room(page, app_url, save_screenshot):
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_app(page, app_url, lang="en")
    page.goto(f"{app_url}/rejection?presenter=1&section=1&p=0.1&n=30&lang=en")
    wait_for_app(page)
    value = page.get_by_test_id("stMetric").filter(has_text="Attempts per deal").get_by_test_id("stMetricValue")
    value.wait_for()
    # the digits themselves (the innermost element), 4.5rem: about 70 px, several times body text
    assert value.evaluate(INNERMOST_FONT_PX) >= 60
    label = page.get_by_test_id("stMetric").filter(has_text="Attempts per deal").get_by_test_id("stMetricLabel")
    assert label.evaluate(INNERMOST_FONT_PX) >= 24
    # one section on screen
    assert page.get_by_test_id("stHeading").filter(has_text="Runs of rejections").count() == 0
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.wait_for()
    save_screenshot(page, "rejection_presenter_1920", whole_page=False)

    # next: the link now names the section, so a reload keeps the presenter's place
    widget(page, "rejection.next").get_by_role("button").click()
    wait_for_app(page)
    page.get_by_test_id("stHeading").filter(has_text="Runs of rejections").first.wait_for()
    assert "section=2" in page.url
    page.reload()
    wait_for_app(page)
    page.get_by_test_id("stHeading").filter(has_text="Runs of rejections").first.wait_for()
    assert page.get_by_test_id("stHeading").filter(has_text="Attempts until a deal").count() == 0
    save_screenshot(page, "rejection_presenter_1920_runs", whole_page=False)
