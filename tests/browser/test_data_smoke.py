"""Real-browser smoke test: the Data page on the demo data, then in Russian."""

from __future__ import annotations

from funnel_model import read_deals
from tests.browser.conftest import ROOT, choose_option, open_app, save_screenshot, widget


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)
    )
    return metric.first.locator('[data-testid="stMetricValue"]').inner_text()


def test_data_page_shows_the_demo_deals_and_switches_to_russian(page, app_url):
    deals = read_deals(ROOT / "data" / "demo_deals.csv").deals
    n = len(deals)

    open_app(page, app_url, lang="en")
    assert page.locator("h1").first.inner_text().strip() == "Data"
    assert _metric(page, "Deals") == str(n)
    assert _metric(page, "Won") == str(int((deals["status"] == "won").sum()))
    assert widget(page, "lang").is_visible()
    page.locator('[data-testid="stSidebar"]').get_by_text(f"{n} deals").wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0

    choose_option(page, "lang", "Русский")
    page.get_by_role("heading", name="Данные").first.wait_for()
    assert _metric(page, "Сделки") == str(n)
    page.locator('[data-testid="stSidebar"]').get_by_text(f"Сделок: {n}").wait_for()
    page.get_by_text("Настройка воронок").first.wait_for()
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    save_screenshot(page, "data_page")
