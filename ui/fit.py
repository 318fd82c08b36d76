"""Column widths that keep a table inside its place on a 1440-px screen.

``st.dataframe`` sizes each column to its header and values, so a table of a
dozen columns ran past the right edge and hid its last figures behind a
sideways scroll. :func:`fitted` gives every column a pixel width: its numbers
always fit, and long headers (shown in full on hover), then long texts, give
way until the table fits the width it has. A table whose numbers alone are
wider still scrolls, its first (pinned) column and first figures in view.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import streamlit as st

__all__ = ["FULL", "HALF", "fitted"]

FULL = 920  # px a full-width table has in the main area at 1440 px with the sidebar open (978), less a margin
HALF = 450  # one of two side-by-side columns (480), less a margin
CHAR = 7.0  # px per character of the grid's 14-px font (digits are 7 px, a grouping space less)
PAD = 18  # the cell's padding (8 px a side) and a little air
MIN, MAX = 48, 300
TEXT = 110  # a long text column's width when the table cannot fit otherwise


def _text_width(value: object) -> int:
    """Characters a shown value takes (numbers as the tables write them: grouped, with a unit)."""
    if isinstance(value, bool) or value is None:
        return 4
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return 1
        return len(f"{abs(value):,.0f}") + 2 if abs(value) >= 1 else 7  # a sign or a currency besides
    return len(str(value))


def fitted(frame: pd.DataFrame, total: int = FULL, column_config: Mapping[str, object] | None = None) -> dict:
    """``column_config`` for ``frame`` with a width for every column, the sum within ``total`` px where it can be.

    Parameters
    ----------
    frame : DataFrame
        The table as shown (its column names are the headers).
    total : int
        Pixels the table has (:data:`FULL` or :data:`HALF`).
    column_config : mapping, optional
        Settings already chosen (pinned columns, formats); kept, with the width added.

    Returns
    -------
    dict
        For ``st.dataframe(column_config=...)``; headers that give way show in full as the column's tooltip.
    """
    values, heads, texts = {}, {}, []
    for column, sample in frame.head(200).items():  # one pass, values as Python scalars: a page fits a dozen tables
        longest = max((_text_width(v) for v in sample.tolist()), default=1)
        values[column] = min(max(longest * CHAR + PAD, MIN), MAX)
        heads[column] = min(max(len(str(column)) * CHAR + PAD, MIN), MAX)
        if not pd.api.types.is_numeric_dtype(sample):
            texts.append(column)
    need = {c: max(values[c], heads[c]) for c in frame.columns}
    if sum(values.values()) > total:  # still too wide: long texts give way too (numbers never do)
        for column in texts:
            values[column] = min(values[column], TEXT)
    floor = sum(values.values())
    excess = sum(need.values()) - floor
    ratio = 1.0 if sum(need.values()) <= total or excess <= 0 else max((total - floor) / excess, 0.0)
    out = dict(column_config or {})
    for column in frame.columns:
        width = int(values[column] + ratio * (need[column] - values[column]))
        config = out.get(column)
        config = dict(config) if isinstance(config, Mapping) else dict(st.column_config.Column())
        config["width"] = width
        if width < heads[column] and not config.get("help"):
            config["help"] = str(column)  # the header gave way: the whole of it on hover
        out[column] = config
    return out
