"""Real-browser smoke test: the Data page on the demo data, then in Russian."""

from __future__ import annotations

from funnel_model import read_deals
from funnel_model.formatting import number
from tests.browser.conftest import ROOT, choose_option, open_app, save_screenshot, wait_for_app, widget


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
    # counts grouped like the total amount: "3 339"
    assert _metric(page, "Deals") == number(n, "en")
    assert _metric(page, "Won") == number((deals["status"] == "won").sum(), "en")
    assert widget(page, "lang").is_visible()
    page.locator('[data-testid="stSidebar"]').get_by_text(f"{number(n, 'en')} deals").wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0

    # one funnel's deals all made dormant: the choice sticks and nothing breaks
    funnel_box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Привлечение", exact=True))
    assert funnel_box.get_by_role("combobox").input_value() == "From client history"
    funnel_box.get_by_role("combobox").click()
    page.get_by_role("option", name="Dormant clients", exact=True).click()
    wait_for_app(page)
    assert funnel_box.get_by_role("combobox").input_value() == "Dormant clients"
    assert page.locator('[data-testid="stException"]').count() == 0

    choose_option(page, "lang", "Русский")
    page.get_by_role("heading", name="Данные").first.wait_for()
    assert _metric(page, "Сделки") == number(n, "ru")
    page.locator('[data-testid="stSidebar"]').get_by_text(f"Сделок: {number(n, 'ru')}").wait_for()
    page.get_by_text("Настройка воронок").first.wait_for()
    # the funnel's segment choice is kept and shown in Russian
    funnel_box = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("Привлечение", exact=True))
    assert funnel_box.get_by_role("combobox").input_value() == "Спящие клиенты"
    # the data source control still shows its choice, relabelled
    assert widget(page, "source").get_by_role("radio", checked=True).inner_text().strip() == "Демо-данные"
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    save_screenshot(page, "data_page")


def test_uploading_an_amocrm_export_in_the_browser(page, app_url, tmp_path):
    header = "ID;Этап сделки;Бюджет ;Воронка;Компания"
    rows = [
        "1;Успешно реализовано;1 000;Продажи;А",
        "2;Переговоры;2 000;Продажи;Б",
        "3;Закрыто и не реализовано;3 000;Продажи;В",
    ]
    export = tmp_path / "amo.csv"
    export.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode("cp1251"))

    open_app(page, app_url, lang="en")
    widget(page, "data.upload").locator('input[type="file"]').set_input_files(str(export))
    wait_for_app(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("3 deals · amo.csv").wait_for()
    assert _metric(page, "Deals") == "3"
    assert (_metric(page, "Won"), _metric(page, "Lost"), _metric(page, "Open")) == ("1", "1", "1")
    page.get_by_text("Using your file \u201camo.csv\u201d.").wait_for()
    assert widget(page, "source").get_by_role("radio", checked=True).inner_text().strip() == "My upload"
    assert page.locator('[data-testid="stException"]').count() == 0
    save_screenshot(page, "data_page_upload")
