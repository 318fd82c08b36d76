"""Download buttons for tables: CSV and XLSX through the one export writer.

Every table file the app hands out is written by ``funnel_model.export``,
which neutralises cells a spreadsheet would run as formulas; pages call
``download_table`` rather than ``st.download_button`` with their own bytes.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from funnel_model.export import to_csv, to_xlsx
from ui import data
from ui.data import content_key
from ui.formats import CURRENCIES, CURRENCY_KEY, currency
from ui.i18n import lang, tr

__all__ = ["CURRENCIES", "CURRENCY_KEY", "XLSX_MIME", "currency", "download_table", "table_files"]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_table(
    frame: pd.DataFrame,
    name: str,
    key: str,
    *,
    labels: tuple[str, str] | None = None,
    formats: Mapping[str, str] | None = None,
    sheets: Mapping[str, pd.DataFrame] | None = None,
    container=None,
) -> None:
    """CSV and XLSX download buttons for ``frame``, side by side.

    Parameters
    ----------
    frame : DataFrame
        The table as shown (headers in the UI language); the CSV holds it.
    name : str
        File name without extension ("pay" → pay.csv, pay.xlsx).
    key : str
        Widget key stem: the buttons are ``{key}_csv`` and ``{key}_xlsx``.
    labels : (csv label, xlsx label), optional
        Button texts; "Download CSV" / "Download XLSX" by default.
    formats : {header: "money" | "percent" | "count" | "number"}, optional
        XLSX number formats (see ``funnel_model.export.to_xlsx``).
    sheets : {sheet: DataFrame}, optional
        The workbook's sheets when it holds more than ``frame`` (which then
        should be one of them); ``{name: frame}`` by default.
    container : optional
        Where to put the buttons; a new horizontal container by default.
    """
    language, sign = lang(), currency()
    csv_label, xlsx_label = labels or (tr("export.csv"), tr("export.xlsx"))
    place = container if container is not None else st.container(horizontal=True)
    # a workbook of a large table takes seconds to write: each file is written once for its content
    book = sheets or {name: frame}
    csv = data.session_memo(f"download.{key}.csv", content_key(frame, language), lambda: to_csv(frame, language))
    xlsx = data.session_memo(
        f"download.{key}.xlsx",
        content_key(book, dict(formats or {}), language, sign),
        lambda: to_xlsx(book, formats, lang=language, currency=sign),
    )
    place.download_button(
        csv_label,
        csv,
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    place.download_button(
        xlsx_label,
        xlsx,
        file_name=f"{name}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
    )


def table_files(
    frame: pd.DataFrame, name: str, key: str, *, formats: Mapping[str, str] | None = None, index: bool = False
) -> None:
    """Small CSV and XLSX buttons under a shown table, written by the export writer only when clicked.

    The grid's own "Download as CSV" is off (``client.disableDataExport`` in
    .streamlit/config.toml): it would bypass the writer (no formula
    neutralising, no Russian ``;`` and decimal comma). The buttons are
    ``{key}.csv`` and ``{key}.xlsx``; ``formats`` and ``index`` as for
    :func:`funnel_model.export.to_xlsx`.
    """
    language, sign = lang(), currency()
    place = st.container(horizontal=True)
    place.download_button(
        tr("export.csv"),
        lambda: to_csv(frame, language, index=index),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}.csv",
        on_click="ignore",
        type="tertiary",
        icon=":material/download:",
    )
    place.download_button(
        tr("export.xlsx"),
        lambda: to_xlsx({name: frame}, formats, lang=language, currency=sign, index=index),
        file_name=f"{name}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}.xlsx",
        on_click="ignore",
        type="tertiary",
        icon=":material/table:",
    )
