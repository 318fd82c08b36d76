"""Drill-down: the deals behind a selected row of a table, shown and downloadable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from funnel_model.schema import SEGMENTS, STATUSES
from ui.downloads import download_table
from ui.fit import fitted
from ui.i18n import md, tr
from ui.tables import show_table

DEAL_COLUMNS = (
    "deal_id",
    "client_id",
    "owner",
    "funnel",
    "segment",
    "stage",
    "status",
    "amount",
    "created_at",
    "closed_at",
    "expected_close_at",
    "source",
    "lost_reason",
)


def selected_row(key: str) -> int | None:
    """The position of the row selected in the ``st.dataframe`` with ``key`` (single-row selection), or None."""
    state = st.session_state.get(key)
    rows = state.get("selection", {}).get("rows", []) if state else []
    return int(rows[0]) if rows else None


def show_deals(deals: pd.DataFrame, title: str, key: str) -> None:
    """``deals`` under ``title`` with a CSV download (UTF-8 with BOM, so Excel reads Cyrillic)."""
    st.markdown(f"**{md(title)}**")  # a selected row's name is the user's text
    shown = deals[[c for c in DEAL_COLUMNS if c in deals.columns]]
    words = {c: {v: tr(f"{c}.{v}") for v in values} for c, values in (("segment", SEGMENTS), ("status", STATUSES))}
    shown = shown.assign(**{c: shown[c].map(lambda v, m=m: m.get(v, v)) for c, m in words.items() if c in shown})
    named = shown.rename(columns={c: tr(f"clients.deal.{c}") for c in shown.columns})
    show_table(
        named,
        amounts=[tr("clients.deal.amount")],
        hide_index=True,
        width="stretch",
        column_config=fitted(named, column_config={tr("clients.deal.deal_id"): st.column_config.Column(pinned=True)}),
        key=f"{key}.deals",
        download=False,  # its own buttons below
    )
    download_table(
        shown,
        key,
        f"{key}.download",
        labels=(tr("clients.download", n=len(shown)), tr("clients.download_xlsx", n=len(shown))),
        formats={tr("clients.deal.amount"): "money"},
    )
