"""Download buttons for tables: CSV and XLSX through the one export writer.

Every table file the app hands out is written by ``funnel_model.export``,
which neutralises cells a spreadsheet would run as formulas; pages call
``download_table`` rather than ``st.download_button`` with their own bytes.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import pandas as pd
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileKind, MediaFileManager

from funnel_model.export import to_csv, to_xlsx
from ui import data
from ui.data import content_key
from ui.formats import CURRENCIES, CURRENCY_KEY, currency
from ui.i18n import lang, tr

__all__ = [
    "CURRENCIES",
    "CURRENCY_KEY",
    "DOWNLOAD_GRACE_S",
    "XLSX_MIME",
    "currency",
    "download_table",
    "keep_downloads",
    "table_files",
]

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOAD_GRACE_S = 120.0  # a download outlives its last reference this long: longer than any rerun under load


def download_table(
    frame: pd.DataFrame,
    name: str,
    key: str,
    *,
    labels: tuple[str, str] | None = None,
    formats: Mapping[str, str] | None = None,
    sheets: Mapping[str, pd.DataFrame] | None = None,
    container=None,
    deferred: bool = False,
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
    deferred : bool
        Write each file when its button is clicked, not when the page runs: for a table of thousands of
        rows, whose workbook would cost every first visit a second.
    """
    language, sign = lang(), currency()
    csv_label, xlsx_label = labels or (tr("export.csv"), tr("export.xlsx"))
    place = container if container is not None else st.container(horizontal=True)
    book = sheets or {name: frame}
    if deferred:
        csv, xlsx = lambda: to_csv(frame, language), lambda: to_xlsx(book, formats, lang=language, currency=sign)
    else:  # a workbook of a large table takes seconds to write: each file is written once for its content
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


def _remove_orphaned_files(self: MediaFileManager) -> None:
    """Streamlit's cleanup, with downloads kept :data:`DOWNLOAD_GRACE_S` after their last reference.

    Streamlit drops a session's file references when its run starts and, at the end of every run of
    any session, deletes a download found unreferenced twice (a generated chart file at once, the
    click's callable at once). With ten sessions those checks come seconds apart: a button still on
    screen while its own session reruns, or a chart file between its making and the browser's fetch,
    is gone, and the click gets a 404. Media files (images) keep Streamlit's rule.
    """
    since: dict[str, float] = self.__dict__.setdefault("_orphaned_since", {})
    t = time.monotonic()
    with self._lock:
        used = {file_id for files in self._files_by_session_and_coord.values() for file_id in files.values()}
        for file_id in [
            f for f in since if f in used or (f not in self._file_metadata and f not in self._deferred_callables)
        ]:
            del since[file_id]
        for file_id in set(self._file_metadata) - used:
            if self._file_metadata[file_id].kind == MediaFileKind.MEDIA:
                self._delete_file(file_id)
            elif t - since.setdefault(file_id, t) >= DOWNLOAD_GRACE_S:
                self._delete_file(file_id)
                del since[file_id]
        for file_id in set(self._deferred_callables) - used:
            if t - since.setdefault(file_id, t) >= DOWNLOAD_GRACE_S:
                self._drop_deferred_id(file_id)
                del since[file_id]


def keep_downloads() -> None:
    """Make Streamlit keep download files and callables a grace period after their last reference.

    Idempotent: the app calls it on every run. See :func:`_remove_orphaned_files`.
    """
    MediaFileManager.remove_orphaned_files = _remove_orphaned_files


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
