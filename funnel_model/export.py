"""The one writer of every table file the app hands out (CSV and XLSX).

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula (and a leading tab or carriage return can hide one), so a deal named
``=HYPERLINK("http://…")`` in a CRM export would become a live link, or
worse, in the client's Excel. Every text cell and header that begins so gets
a leading apostrophe; numbers, dates and booleans stay what they are.

CSV follows the UI language: Russian Excel expects ``;`` between fields and a
decimal comma, and both languages get UTF-8 with a BOM (Excel's own
"CSV UTF-8") so Cyrillic names open right. XLSX cells carry number formats
(money with its currency, percents, dates) while staying numbers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "neutralise", "safe_frame", "to_csv", "to_xlsx"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_CSV = {"ru": {"sep": ";", "decimal": ","}, "en": {"sep": ",", "decimal": "."}}
_DATE = {"ru": ("%d.%m.%Y", "DD.MM.YYYY"), "en": ("%Y-%m-%d", "YYYY-MM-DD")}
_DATETIME = {"ru": ("%d.%m.%Y %H:%M", "DD.MM.YYYY HH:MM"), "en": ("%Y-%m-%d %H:%M", "YYYY-MM-DD HH:MM")}
_NUMBER_FORMATS = {"count": "#,##0", "number": "#,##0.00", "percent": "0.0%"}
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def neutralise(value: object) -> object:
    """``value`` with a leading apostrophe when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _is_text(column: pd.Series) -> bool:
    return not (
        pd.api.types.is_numeric_dtype(column)
        or pd.api.types.is_bool_dtype(column)
        or pd.api.types.is_datetime64_any_dtype(column)
        or isinstance(column.dtype, pd.PeriodDtype)
    )


def safe_frame(frame: pd.DataFrame, *, index: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and headers cannot run as formulas.

    Parameters
    ----------
    frame : DataFrame
        Any table; numeric, boolean and date columns are kept as they are.
    index : bool
        Keep the index as the first column(s) (reset into columns first).

    Returns
    -------
    DataFrame
        Same shape and order, a plain RangeIndex, headers as neutralised text.
    """
    out = frame.reset_index() if index else frame.reset_index(drop=True)
    out = out.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if _is_text(column):
            out.isetitem(position, column.astype(object).map(neutralise))
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def _dates_as_text(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Date columns written as the language writes dates (time only where a value has one)."""
    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if pd.api.types.is_datetime64_any_dtype(column):
            values = column.dt.tz_localize(None) if column.dt.tz is not None else column
            has_time = bool((values.dropna() != values.dropna().dt.normalize()).any())
            pattern = (_DATETIME if has_time else _DATE)[lang if lang in _DATE else "en"][0]
            out.isetitem(position, values.dt.strftime(pattern).astype(object).where(values.notna(), None))
    return out


def _excel_dates(column: pd.Series) -> pd.Series:
    """Excel refuses tz-aware datetimes; days without a time go as dates (the date format, not date-time)."""
    values = column.dt.tz_localize(None) if column.dt.tz is not None else column
    known = values.dropna()
    if (known == known.dt.normalize()).all():
        return values.dt.date.astype(object).where(values.notna(), None)
    return values


def to_csv(frame: pd.DataFrame, lang: str, *, index: bool = False) -> bytes:
    """``frame`` as CSV bytes that Excel in ``lang`` opens right, formulas neutralised.

    Parameters
    ----------
    frame : DataFrame
        The table to write.
    lang : {"ru", "en"}
        Russian: ``;`` separator, decimal comma, dates ДД.ММ.ГГГГ; English:
        ``,`` separator, decimal point, ISO dates. Both UTF-8 with a BOM.
    index : bool
        Write the index as leading column(s).

    Returns
    -------
    bytes
    """
    options = _CSV.get(lang, _CSV["en"])
    table = _dates_as_text(safe_frame(frame, index=index), lang)
    # CRLF rows (RFC 4180): the writer then quotes a lone CR inside a cell, which readers would split on
    return table.to_csv(index=False, lineterminator="\r\n", **options).encode("utf-8-sig")


def to_xlsx(
    frames: pd.DataFrame | Mapping[str, pd.DataFrame],
    formats: Mapping[str, str] | None = None,
    *,
    lang: str = "en",
    currency: str = "",
    index: bool = False,
) -> bytes:
    """One workbook of one or more tables, formulas neutralised, numbers formatted.

    Parameters
    ----------
    frames : DataFrame or {sheet name: DataFrame}
        A single table goes on a sheet named "data".
    formats : {column header: kind}, optional
        ``"money"`` (grouped, with ``currency``), ``"percent"`` (a share 0.253
        shown as 25.3%), ``"count"`` (grouped whole number), ``"number"``
        (two decimals). Date columns are formatted by ``lang`` without being
        listed. A header absent from a sheet is ignored.
    lang : {"ru", "en"}
        Date format: ДД.ММ.ГГГГ in Russian, ISO in English (Excel shows
        number grouping by the reader's own locale).
    currency : str
        Sign written after money amounts ("₽", "$"); none when empty.
    index : bool
        Write each frame's index as leading column(s).

    Returns
    -------
    bytes
        An .xlsx file.
    """
    sheets = {"data": frames} if isinstance(frames, pd.DataFrame) else dict(frames)
    formats = dict(formats or {})
    date_format, datetime_format = (_DATE.get(lang, _DATE["en"])[1], _DATETIME.get(lang, _DATETIME["en"])[1])
    money = '#,##0 "' + currency.replace('"', "") + '"' if currency else "#,##0"
    buffer = io.BytesIO()
    with pd.ExcelWriter(
        buffer,
        engine="xlsxwriter",
        date_format=date_format,
        datetime_format=datetime_format,
        # text stays text even where the neutralising rules would not catch it (a URL, say)
        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}},
    ) as writer:
        book = writer.book
        styles = {kind: book.add_format({"num_format": code}) for kind, code in _NUMBER_FORMATS.items()}
        styles["money"] = book.add_format({"num_format": money})
        for name, frame in sheets.items():
            table = safe_frame(frame, index=index)
            for position in range(table.shape[1]):
                column = table.iloc[:, position]
                if pd.api.types.is_datetime64_any_dtype(column):
                    table.isetitem(position, _excel_dates(column))
            # a sheet name never runs as a formula; Excel only forbids some characters and the length
            sheet_name = re.sub(r"[\[\]:*?/\\]", "_", str(name)).strip("'")[:31] or "data"
            table.to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            originals = [str(c) for c in (frame.reset_index() if index else frame).columns]
            for position, header in enumerate(originals):
                values = table.iloc[:, position]
                longest = max([len(str(table.columns[position]))] + [len(str(v)) for v in values.head(200)])
                width = min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH)
                kind = formats.get(header)
                sheet.set_column(position, position, width, styles.get(kind) if kind else None)
    return buffer.getvalue()
