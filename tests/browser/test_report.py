"""Browser: the report downloads as valid, escaped HTML with the funnels; a chart downloads as PNG and SVG."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

from tests.browser.conftest import open_app, wait_for_app, widget

EVIL = "<script>alert(1)</script>"


def test_the_report_and_a_chart_download_valid(page, app_url, save_screenshot):
    open_app(page, app_url, "report", lang="en")
    client = widget(page, "report.client").locator("input")
    client.fill(f"ACME {EVIL}")
    client.press("Enter")
    wait_for_app(page)
    widget(page, "report.make").locator("button").click()
    wait_for_app(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the report (HTML)").click()
    html = info.value.path().read_text(encoding="utf-8")
    assert '<section id="funnels">' in html and "The funnels and their bottlenecks" in html
    assert "<svg" in html
    assert "<script" not in html.lower() and "ACME &lt;script&gt;" in html
    assert page.get_by_test_id("stException").count() == 0
    save_screenshot(page, "report")

    open_app(page, app_url, "rejection", lang="ru")
    with page.expect_download(timeout=60_000) as info:
        widget(page, "rejection_first_deal.png").locator("button").click()
    png = info.value.path().read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 1000 and height >= 200
    with page.expect_download(timeout=60_000) as info:
        widget(page, "rejection_first_deal.svg").locator("button").click()
    svg = ET.fromstring(info.value.path().read_bytes())
    text = " ".join(svg.itertext())
    assert "Данные на" in text and "сценарий" in text


def test_the_report_pdf_a_forecast_chart_and_a_table_download_through_the_app(page, app_url):
    open_app(page, app_url, "report", lang="ru")
    widget(page, "report.make").locator("button").click()
    wait_for_app(page)
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Скачать отчёт (PDF)").click()
    pdf = info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]

    # a chart the page keeps as a spec with Arrow data: the file carries its rows, months as ММ.ГГГГ
    open_app(page, app_url, "forecast", lang="ru")
    with page.expect_download(timeout=60_000) as info:
        widget(page, "forecast_months.svg").locator("button").click()
    svg = ET.fromstring(info.value.path().read_bytes())
    text = " ".join(svg.itertext())
    assert "Выручка по месяцам закрытия" in text
    assert re.search(r"\b\d{2}\.\d{4}\b", text)

    # a table: the grid's own "Download as CSV" is gone, the app's CSV (Russian Excel's) is there
    open_app(page, app_url, "", lang="ru")
    table = page.get_by_test_id("stDataFrame").last  # the deals' preview
    table.wait_for()
    table.hover()
    page.get_by_test_id("stElementToolbar").last.wait_for(state="attached")  # the grid's toolbar is drawn
    assert page.get_by_role("button", name=re.compile("Download as CSV")).count() == 0
    with page.expect_download(timeout=60_000) as info:
        widget(page, "data.preview.files.csv").locator("button").click()
    csv = info.value.path().read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and b";" in csv.split(b"\r\n", 1)[0]
