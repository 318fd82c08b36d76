import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest


def _page():
    import pandas as pd

    from ui.tables import show_table

    frame = pd.DataFrame({"amount": [1_115_218_000.0, None], "share": [0.2533, 0.1], "seller": ["Анна", None]})
    show_table(frame, amounts=["amount"], shares=["share"], hide_index=True)


@pytest.mark.parametrize(
    ("lang", "share", "amount"),
    [
        ("ru", ["25,3 %", "10,0 %"], "1\u202f115\u202f218\u202f000 ₽"),
        ("en", ["25.3 %", "10.0 %"], "1\u202f115\u202f218\u202f000 ₽"),
    ],
)
def test_shown_numbers_follow_the_ui_language_and_values_stay_numeric(lang, share, amount):
    at = AppTest.from_function(_page)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    table = at.dataframe[0]
    assert table.value["amount"].iloc[0] == 1_115_218_000.0  # the data underneath is unchanged
    shown = pa.ipc.open_stream(table.proto.arrow_data.styler.display_values).read_pandas()
    assert shown["amount"].tolist() == [amount, "—"]  # the demo export is Russian: ₽ in both languages
    assert shown["share"].tolist() == share
    assert shown["seller"].tolist() == ["Анна", "—"]
    assert table.proto.placeholder == "—"  # what the browser draws for a missing cell


def test_amount_columns_carry_the_chosen_currency():
    at = AppTest.from_function(_page)
    at.session_state["lang"] = "en"
    at.session_state["currency"] = "$"
    at.run()
    shown = pa.ipc.open_stream(at.dataframe[0].proto.arrow_data.styler.display_values).read_pandas()
    assert shown["amount"].tolist() == ["1\u202f115\u202f218\u202f000 $", "—"]


def _keyed_page():
    import pandas as pd

    from ui.tables import show_table

    frame = pd.DataFrame(
        {"Seller": ["=HYPERLINK(1)", "Анна"], "Amount": [1_500_000.5, 20.0], "Rate": [0.25, 0.1], "Deals": [3, 4]}
    )
    show_table(frame, amounts=["Amount"], shares=["Rate"], counts=["Deals"], hide_index=True, key="sellers.table")
    show_table(frame, hide_index=True)  # no key, no name: nothing to call its files
    show_table(frame, hide_index=True, key="own.files", download=False)  # the page offers its own


def test_a_keyed_table_offers_csv_and_xlsx_through_the_export_writer(made):
    import io

    import openpyxl

    at = AppTest.from_function(_keyed_page)
    at.session_state["lang"], at.session_state["currency"] = "ru", "₽"
    at.run()
    assert not at.exception
    keys = sorted(b.key for b in at.get("download_button"))
    assert keys == ["sellers.table.files.csv", "sellers.table.files.xlsx"]
    csv = made["sellers_table.csv"]
    assert csv.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: a Russian Excel reads the Cyrillic
    lines = csv.decode("utf-8-sig").split("\r\n")
    assert lines[:3] == ["Seller;Amount;Rate;Deals", "'=HYPERLINK(1);1500000,5;0,25;3", "Анна;20,0;0,1;4"]
    sheet = openpyxl.load_workbook(io.BytesIO(made["sellers_table.xlsx"])).active
    assert sheet["A2"].value == "'=HYPERLINK(1)" and sheet["A2"].data_type != "f"
    assert sheet["B2"].value == 1_500_000.5 and sheet["B2"].number_format == '#,##0 "₽"'
    assert sheet["C2"].number_format == "0.0%" and sheet["D2"].number_format == "#,##0"


def test_the_grids_own_csv_download_is_switched_off():
    """st.dataframe has no per-table switch; the app-wide option hides the grid's "Download as CSV"."""
    import tomllib

    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


def _changing_page():
    import pandas as pd
    import streamlit as st

    from ui.tables import show_table

    frame = pd.DataFrame({"amount": [st.session_state.get("amount", 1000.0)], "share": [0.5]})
    show_table(frame, amounts=["amount"], shares=["share"], hide_index=True)
    frame.loc[0, "share"] = 0.9  # the caller's frame changes after it was shown: the kept table must not


def test_a_kept_table_follows_its_content_and_not_later_edits_of_the_frame():
    at = AppTest.from_function(_changing_page)
    at.session_state["lang"] = "en"
    shown = []
    for amount in (1000.0, 2000.0, 1000.0):
        at.session_state["amount"] = amount
        at.run()
        assert not at.exception
        display = pa.ipc.open_stream(at.dataframe[0].proto.arrow_data.styler.display_values).read_pandas()
        value = at.dataframe[0].value.iloc[0]
        shown.append((value["amount"], value["share"], display["amount"].iloc[0], display["share"].iloc[0]))
    amounts = ["1\u202f000 ₽", "2\u202f000 ₽", "1\u202f000 ₽"]
    assert shown == [(a, 0.5, text, "50.0 %") for a, text in zip((1000.0, 2000.0, 1000.0), amounts, strict=True)]


@pytest.mark.parametrize("hide_index", [True, False])
def test_cell_texts_are_those_streamlit_itself_would_send(hide_index):
    """ui.tables makes the table of shown texts a column at a time: the same Arrow table as Streamlit's own."""
    import numpy as np
    import pandas as pd
    from streamlit.elements.lib import pandas_styler_utils

    from ui import tables

    frame = pd.DataFrame(
        {
            "Seller": ["Анна", None, "Bob", "Анна"],
            "Amount": [1_115_218_000.0, np.nan, 0.5, -20.0],
            "Rate": [0.2533, 0.1, np.nan, 1.0],
            "Deals": [3, 4, 0, 12_000],
            "Reliable": [True, False, True, True],
            "Day": pd.to_datetime(["2024-01-05", None, "2024-03-01", "2024-12-31"]),
        },
        index=[10, 11, 12, 14] if not hide_index else None,
    )
    red = ["color: red", "", "", "color: red"]
    styler = tables._styled(frame, "ru", "₽", ("Amount",), ("Deals",), ("Rate",), {}, 1, {"Deals": red})
    styler._compute()
    styles = styler._translate(False, False)
    ours = tables._display_values(styler.data, styles)
    theirs = pandas_styler_utils._use_display_values.__wrapped__(styler.data, styles)
    assert ours["Amount"].tolist()[:2] == ["1\u202f115\u202f218\u202f000 ₽", "—"]
    assert pa.Table.from_pandas(ours).equals(pa.Table.from_pandas(theirs), check_metadata=True)
    # the Styler gave no text for some cells (here: none at all): Streamlit's own way, the same answer
    assert tables._display_values(styler.data, {"body": []}).equals(
        pandas_styler_utils._use_display_values.__wrapped__(styler.data, {"body": []})
    )


def _highlighted_page():
    import pandas as pd

    from ui.tables import show_table

    frame = pd.DataFrame({"Seller": ["Анна", "Bob", "Ivan"], "Deals": [3, 4, 5], "Rate": [0.25, 0.1, 0.5]})
    grey = ["color: #9e9e9e", "", "color: #9e9e9e"]
    show_table(frame, counts=["Deals"], shares=["Rate"], cell_css={"Seller": grey, "Rate": grey}, hide_index=True)


def test_highlights_reach_exactly_the_cells_they_name():
    import re

    at = AppTest.from_function(_highlighted_page)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    rules = at.dataframe[0].proto.arrow_data.styler.styles
    styled = {(int(r), int(c)) for r, c in re.findall(r"_row(\d+)_col(\d+)", rules)}
    assert styled == {(0, 0), (2, 0), (0, 2), (2, 2)}  # rows 1 and 3 of Seller and Rate; Deals never
    assert rules.count("color: #9e9e9e") == rules.count("{")
