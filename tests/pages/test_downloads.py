"""Every table download goes through the one export writer: hostile names never reach a file live."""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pytest

from funnel_model.export import FORMULA_PREFIXES
from funnel_model.i18n import t
from tests.conftest import ROOT
from tests.pages.apptest import assert_clean, open_page

SELLERS = ('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-1+2", "\t=1", "\r=2")
QUOTE = '"'
CLIENTS = ("=1+1", "@x", "+y", "-z", "ok", "ok")
# six won deals (one per hostile seller) and a row with a formula as its amount (repaired, listed as a problem)
ROWS = [
    f'{i + 1},"{client}",Won,won,{100_000 * (i + 1)},"{seller.replace(QUOTE, QUOTE * 2)}",'
    f"2024-0{i + 1}-02,2024-0{i + 2}-01"
    for i, (seller, client) in enumerate(zip(SELLERS, CLIENTS, strict=True))
]
HOSTILE_CSV = "\r\n".join(
    [
        "deal_id,client_id,stage,status,amount,owner,created_at,closed_at",
        *ROWS,
        '7,"=HYPERLINK(""http://evil"")",Proposal,open,=SUM(1+1),Иванов,2024-01-04,',
    ]
).encode("utf-8")


def cells(name: str, data: bytes) -> list[str]:
    """Every text cell of a downloaded table file (CSV in either language, or XLSX)."""
    if name.endswith(".csv"):
        text = data.decode("utf-8-sig")
        sep = ";" if text.split("\r\n", 1)[0].count(";") else ","
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, header=None)
        return [v for v in frame.to_numpy().ravel() if v]
    book = openpyxl.load_workbook(io.BytesIO(data))
    out = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (name, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    out.append(cell.value)
    return out


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_hostile_names_reach_every_download_as_text(saved, made, lang):
    at = open_page("pages/data.py", lang)
    at.file_uploader(key="data.upload").upload("hostile.csv", HOSTILE_CSV, "text/csv").run()
    assert_clean(at)
    assert at.session_state["_dataset_memo"][1].source == "upload"
    at.switch_page("pages/compensation.py")
    at.run()
    assert_clean(at)
    files = saved | made  # written with the page, or when their button is clicked
    expected = {"import_problems.csv", "import_problems.xlsx", "pay.csv", "pay.xlsx"}
    assert expected <= set(files), sorted(files)
    for name in expected:
        texts = cells(name, files[name])
        live = [t for t in texts if t.startswith(FORMULA_PREFIXES)]
        assert not live, (name, live)
        if name.startswith("pay"):  # the sellers are there, as text
            for seller in SELLERS:
                assert "'" + seller.strip() in texts, (name, seller)  # the importer trims spaces
        else:
            assert "'=SUM(1+1)" in texts, name


def test_pages_hand_out_tables_only_through_the_export_writer():
    """A download button outside ui/downloads.py may offer JSON, images, HTML or a project, never a table."""
    for path in [*sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]:
        if path.name == "downloads.py":
            continue
        source = path.read_text(encoding="utf-8")
        for call in re.finditer(r"download_button\((.*?)\n\s*\)", source, flags=re.S):
            assert "text/csv" not in call.group(1) and "spreadsheet" not in call.group(1), (path.name, call.group(0))
        assert "to_csv(" not in source and "to_excel(" not in source, path.name


@pytest.mark.parametrize(
    ("page", "charts"),
    [
        ("pages/rejection.py", ("rejection_first_deal", "rejection_streaks", "rejection_month")),
        ("pages/compensation.py", ("pay_breakdown", "pay_curves", "pay_forecast")),
    ],
)
def test_charts_offer_png_and_svg(page, charts):
    at = open_page(page, "ru")
    keys = {b.key for b in at.get("download_button")}
    for chart in charts:
        assert {f"{chart}.png", f"{chart}.svg"} <= keys, (chart, sorted(keys))


@pytest.mark.parametrize("page", ["funnels", "forecast", "clients", "rejection", "compensation"])
def test_every_chart_on_a_page_offers_png_and_svg(page):
    at = open_page(f"pages/{page}.py", "ru")
    charts = at.get("vega_lite_chart")
    keys = [b.key for b in at.get("download_button")]
    png = [k for k in keys if k.endswith(".png")]
    svg = [k for k in keys if k.endswith(".svg")]
    assert charts and len(png) == len(svg) == len(charts), (len(charts), png, svg)
    assert {k.removesuffix(".png") for k in png} == {k.removesuffix(".svg") for k in svg}  # in pairs


def test_a_chart_file_is_titled_and_writes_months_the_russian_way(made):
    at = open_page("pages/forecast.py", "ru")
    assert_clean(at)
    svg = made["forecast_months.svg"].decode("utf-8")
    assert t("forecast.months_title", "ru") in svg
    assert re.search(r">\d{2}\.\d{4}<", svg), "months read ММ.ГГГГ"
    assert not re.search(r">\d{4}-\d{2}<", svg)
    png = made["forecast_months.png"]
    assert png.startswith(b"\x89PNG") and len(png) > 5_000
