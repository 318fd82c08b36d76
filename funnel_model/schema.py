"""The canonical deal table: column names, dtypes and which are required.

Every importer ends here and every analysis starts here. This module is the
one place that knows the schema.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

__all__ = [
    "DEAL_COLUMNS",
    "DEAL_COLUMN_NAMES",
    "HISTORY_COLUMNS",
    "LOST",
    "OPEN",
    "REQUIRED_COLUMNS",
    "SEGMENTS",
    "STATUSES",
    "WON",
    "Column",
    "conform",
]

OPEN, WON, LOST = "open", "won", "lost"
STATUSES = (OPEN, WON, LOST)
SEGMENTS = ("new", "active", "dormant")


@dataclass(frozen=True)
class Column:
    """One canonical column.

    Attributes
    ----------
    name : str
        Canonical name.
    kind : {"str", "float", "datetime"}
        Logical type; :func:`conform` turns it into a pandas dtype.
    required : bool
        The import fails without it.
    """

    name: str
    kind: str
    required: bool = False


DEAL_COLUMNS: tuple[Column, ...] = (
    Column("deal_id", "str", required=True),
    Column("client_id", "str"),
    Column("funnel", "str"),
    Column("segment", "str"),
    Column("stage", "str", required=True),
    Column("status", "str"),
    Column("lost_stage", "str"),
    Column("amount", "float"),
    Column("owner", "str"),
    Column("created_at", "datetime"),
    Column("closed_at", "datetime"),
    Column("expected_close_at", "datetime"),
    Column("probability", "float"),
    Column("product", "str"),
    Column("source", "str"),
    Column("lost_reason", "str"),
)
DEAL_COLUMN_NAMES = tuple(c.name for c in DEAL_COLUMNS)
# deal_id may be generated from the row number, so only the stage is truly
# required from the file; deal_id is required in the finished table.
REQUIRED_COLUMNS = tuple(c.name for c in DEAL_COLUMNS if c.required)
HISTORY_COLUMNS = ("deal_id", "stage", "entered_at")

_DTYPES = {"str": "str", "float": "float64", "datetime": "datetime64[ns]"}


def _as_kind(series: pd.Series, kind: str) -> pd.Series:
    if kind == "datetime":
        return pd.to_datetime(series).astype("datetime64[ns]")
    return series.astype(_DTYPES[kind])


def conform(deals: pd.DataFrame) -> pd.DataFrame:
    """Return ``deals`` with every canonical column present, in order, typed.

    Missing canonical columns are added empty; extra columns (unknown export
    columns the user wants kept) follow the canonical ones unchanged.
    """
    out = pd.DataFrame(index=deals.index)
    for col in DEAL_COLUMNS:
        if col.name in deals.columns:
            out[col.name] = _as_kind(deals[col.name], col.kind)
        else:
            # Arrow's all-null text: pandas spreads a missing scalar over a million rows by a take
            empty = pa.nulls(len(deals), pa.large_string()) if col.kind == "str" else None
            out[col.name] = pd.Series(empty, index=deals.index, dtype=_DTYPES[col.kind])
    extras = [c for c in deals.columns if c not in DEAL_COLUMN_NAMES]
    return pd.concat([out, deals[extras]], axis=1) if extras else out
