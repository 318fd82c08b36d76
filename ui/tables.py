"""Tables shown with numbers written the way the UI language writes them.

``st.dataframe`` formats numbers by the browser's locale, so a Russian page in
an English browser showed «1,115,218,000» and «25.33%». A pandas Styler sets
the shown text per column while the data underneath stays numeric (sorting
and AppTest values are unchanged); missing values show as "—", never "None".

Writing every cell's text costs milliseconds per table, and a page reruns on
every click: the styled table is kept per session for its content, formats
and language. ``st.dataframe`` turns a Styler into its message anew on every
run (cell styles, every cell's text as a string table, both as Arrow: 5 ms a
table, half of a Funnels rerun that changed nothing); a kept table is turned
once and its finished message reused (:func:`_marshall_kept`).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from enum import Enum

import pandas as pd
import streamlit as st
import streamlit.elements.arrow as st_arrow
from pandas.io.formats.style import Styler
from streamlit import dataframe_util
from streamlit.elements.lib import pandas_styler_utils
from streamlit.elements.lib.pandas_styler_utils import marshall_styler

from funnel_model.formatting import MISSING, money, number, percent
from funnel_model.formatting import date as fmt_date
from ui.data import content_key
from ui.downloads import table_files
from ui.formats import currency
from ui.i18n import lang

MAX_TABLES = 64  # per session: every table of every page, a few states each
_STORE = "_styled_tables"


_MARSHALLED = "_funnel_marshalled"  # on a kept Styler: its finished message (Streamlit's ArrowData.styler)
_ARROW = "_funnel_arrow"  # on a kept table's frame: its Arrow bytes


def _kept(styler: Styler) -> Styler:
    """``styler`` marked to be turned into Streamlit's message once (its frame too): see :func:`_marshall_kept`.

    Its data and formats never change after it is built (it is kept under a key of both, with a
    copy of the caller's frame), so the first message stays right.
    """
    setattr(styler, _MARSHALLED, None)
    object.__setattr__(styler.data, _ARROW, None)  # pandas' own __setattr__ would look for a column
    return styler


def _marshall_kept(proto, styler, default_uuid: str) -> None:
    """Streamlit's ``marshall_styler``, the message of a kept Styler made on its first showing only.

    The message depends on the Styler alone: its uuid is set when it is built (pandas draws one),
    so ``default_uuid`` (the element's place) is never used and a moved table stays right.
    """
    if not hasattr(styler, _MARSHALLED):
        marshall_styler(proto, styler, default_uuid)
        return
    done = getattr(styler, _MARSHALLED)
    if done is None:
        marshall_styler(proto, styler, default_uuid)
        done = type(proto.styler)()
        done.CopyFrom(proto.styler)
        setattr(styler, _MARSHALLED, done)
    else:
        proto.styler.CopyFrom(done)


def _arrow_bytes_kept(df: pd.DataFrame, **kwargs: object) -> bytes:
    """Streamlit's ``convert_pandas_df_to_arrow_bytes``, a kept table's frame serialised once."""
    done = vars(df).get(_ARROW, False) if not kwargs else False  # not getattr: a column may have any name
    if done:
        return done
    result = _arrow_bytes(df, **kwargs)
    if done is None:
        object.__setattr__(df, _ARROW, result)
    return result


_CELL = re.compile(r"row(\d+)_col(\d+)")


def _display_values(df: pd.DataFrame, styles: Mapping[str, object]) -> pd.DataFrame:
    """Streamlit's ``_use_display_values`` (every cell's shown text, as a table of strings), a column at a time.

    Streamlit writes the texts into a string copy of the table through a positional pandas
    assignment per column (most of the cost of showing a new table); here each column is made at
    once from its texts. Where the Styler did not give a text for every cell, Streamlit's own.
    """
    rows, columns = df.shape
    texts: list[list[str | None]] = [[None] * rows for _ in range(columns)]
    given = 0
    for row in styles.get("body", []):
        for cell in row:
            found = _CELL.match(cell.get("id") or "")
            if found:
                value = cell.get("display_value")
                texts[int(found[2])][int(found[1])] = str(value.value if isinstance(value, Enum) else value)
                given += 1
    if not rows or not columns or given != rows * columns:
        return _use_display_values(df, styles)
    shown = pd.DataFrame({i: pd.array(t, dtype="str") for i, t in enumerate(texts)})
    shown.index, shown.columns = df.index, df.columns  # as they are, repeated labels too
    return shown


# st.dataframe makes a Styler's message and its frame's bytes through these two module names; any other
# table passes through unchanged (the original kept: a reloaded module must not wrap its own wrapper)
_arrow_bytes = getattr(dataframe_util.convert_pandas_df_to_arrow_bytes, "__wrapped__", None)
_arrow_bytes = _arrow_bytes_kept.__wrapped__ = _arrow_bytes or dataframe_util.convert_pandas_df_to_arrow_bytes
_use_display_values = getattr(pandas_styler_utils._use_display_values, "__wrapped__", None)
_use_display_values = _display_values.__wrapped__ = _use_display_values or pandas_styler_utils._use_display_values
st_arrow.marshall_styler = _marshall_kept
pandas_styler_utils._use_display_values = _display_values
dataframe_util.convert_pandas_df_to_arrow_bytes = _arrow_bytes_kept


def show_table(
    frame: pd.DataFrame,
    *,
    amounts: Iterable[str] = (),
    counts: Iterable[str] = (),
    shares: Iterable[str] = (),
    decimals: Mapping[str, int] | None = None,
    share_decimals: int = 1,
    cell_css: Mapping[str, Iterable[str]] | None = None,
    download: str | bool = True,
    **dataframe_kwargs: object,
) -> None:
    """``st.dataframe(frame)`` with per-column number formats in the UI language.

    Parameters
    ----------
    frame : DataFrame
        The table; its values stay as they are.
    amounts : column names
        Money: whole numbers with grouped thousands and the session's currency.
    counts : column names
        Shown as whole numbers with grouped thousands.
    shares : column names
        Fractions (0.2533) shown as percents ("25.3 %").
    decimals : {column: digits}
        Other numeric columns shown with that many decimals.
    cell_css : {column: CSS per row}, optional
        Highlights (e.g. a flagged row in red); "" leaves a cell plain.
    download : str or bool
        The table as CSV and XLSX files through the export writer (``ui.downloads.table_files``): named
        after the table's ``key`` when True, this file name when a string; False when the page offers
        its own files of the table.
    **dataframe_kwargs
        Passed to ``st.dataframe`` (``hide_index``, ``column_config``, ``key``...).
    """
    language, sign = lang(), currency()
    amounts, counts, shares = list(amounts), list(counts), list(shares)  # read twice: the grid and the files
    formats = (tuple(amounts), tuple(counts), tuple(shares), dict(decimals or {}), share_decimals)
    css = {c: list(rows) for c, rows in (cell_css or {}).items()}
    kept = content_key(frame, formats, css, language, sign)
    tables: OrderedDict[str, Styler] = st.session_state.setdefault(_STORE, OrderedDict())
    styler = tables.get(kept)
    if styler is None:  # kept with a copy: the caller may change its frame after this
        styler = tables[kept] = _styled(frame.copy(), language, sign, *formats, css)
        while len(tables) > MAX_TABLES:
            tables.popitem(last=False)
    else:
        tables.move_to_end(kept)
    # the grid draws missing cells itself ("None" unless told), whatever the Styler says
    dataframe_kwargs.setdefault("placeholder", MISSING)
    st.dataframe(styler, **dataframe_kwargs)
    key = dataframe_kwargs.get("key")
    if download is False or (download is True and not key):
        return
    name = download if isinstance(download, str) else re.sub(r"\W+", "_", str(key)).strip("_")
    kinds = {"money": amounts, "count": counts, "percent": shares, "number": (decimals or {})}
    index = not dataframe_kwargs.get("hide_index") and not isinstance(frame.index, pd.RangeIndex)
    table_files(
        frame,
        name,
        f"{key or name}.files",
        formats={column: kind for kind, columns in kinds.items() for column in columns},
        index=index,
    )


def _styled(frame, language, sign, amounts, counts, shares, decimals, share_decimals, cell_css) -> Styler:
    formats: dict[str, object] = {}
    for column in amounts:
        formats[column] = lambda x: money(x, language, sign)
    for column in counts:
        formats[column] = lambda x: number(x, language)
    for column in shares:
        formats[column] = lambda x: percent(x, language, share_decimals)
    for column in frame.select_dtypes("datetime").columns:  # a day as the language writes it, never ISO
        formats[column] = lambda x: fmt_date(x, language)
    for column, digits in (decimals or {}).items():
        formats[column] = lambda x, digits=digits: number(x, language, digits)
    present = {c: f for c, f in formats.items() if c in frame.columns}
    styler = frame.style.format(na_rep=MISSING).format(present, na_rep=MISSING)
    if cell_css:  # one step for all highlighted columns: pandas slices the table for each step
        shown = pd.DataFrame(cell_css, index=frame.index)
        styler = styler.apply(lambda _: shown, axis=None, subset=list(cell_css))
    return _kept(styler)
