"""The move editor and the moves' effect on the forecast: one self-contained panel for the Forecast page.

Session keys (JSON-able, so a scenario can save and load them):

- ``moves.list``: the moves as a list of :meth:`funnel_model.moves.Move.to_dict`
  dicts, in order, each with ``enabled``; rows the user left incomplete stay
  in the list and are reported, not applied. The demo starts with
  :func:`funnel_model.moves.example_moves`.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import streamlit as st

from funnel_model.config import FunnelConfig
from funnel_model.errors import FunnelError
from funnel_model.formatting import chance, number, percent, signed
from funnel_model.moves import KINDS, Move, example_moves, move_effects
from funnel_model.period import Period
from funnel_model.prepared import PreparedDataset
from funnel_model.schema import SEGMENTS
from ui import data
from ui.fit import fitted
from ui.formats import money
from ui.guard import guarded
from ui.i18n import error_text, lang, tr
from ui.period import period_dates
from ui.tables import show_table

MOVES_KEY = "moves.list"
EDITOR_KEY = "moves.editor"
COLUMNS = ("enabled", "name", "funnel", "segment", "stage", "kind", "value", "cost")
HORIZON_MONTHS = 3  # the whole-pipeline forecast's lead horizon (no dates to time a period)


@data.view_cache(max_entries=16)
def _effects(
    _prepared: PreparedDataset,
    key: str,
    moves_json: str,
    plan: float,
    baseline: tuple[np.ndarray, np.ndarray],
    period: tuple[str, str, str] | None,
    inflow: float | None,
    by_date: bool,
    confidence: float,
    _forecast=None,
    _funnels: pd.DataFrame | None = None,
    _memo: dict | None = None,
):
    """The moves' effects on the session's prepared dataset (cached under its ``key``: the deals are not hashed).

    ``_forecast`` and ``_funnels``: the page's own baseline forecast and plan, which the other arguments
    determine (so they are not hashed), reused rather than computed again; ``_memo`` the page's kept
    results (plans per group, each move's own effect), which change no figure.
    """
    moves = [Move.from_dict(d) for d in json.loads(moves_json)]
    chosen = Period(pd.Timestamp(period[1]), pd.Timestamp(period[2]), period[0]) if period else None
    return move_effects(
        _prepared.forecast,
        moves,
        plan,
        confidence=confidence,
        deals=_prepared.deals,
        horizon_months=HORIZON_MONTHS,
        stage_p=baseline[0],
        probabilities=baseline[1],
        period=chosen,
        inflow_per_month=inflow,
        by_expected_date=by_date,
        base_forecast=_forecast,
        base_funnels=_funnels,
        memo=_memo,
    )


def _rows() -> list[dict]:
    if MOVES_KEY not in st.session_state:
        st.session_state[MOVES_KEY] = [m.to_dict() for m in example_moves(lang())] if data.source() == "demo" else []
    return st.session_state[MOVES_KEY]


def _on_edit() -> None:
    """Apply the editor's changes (edits, added and deleted rows) to the stored list."""
    state = st.session_state[EDITOR_KEY]
    rows = [dict(r) for r in st.session_state.get(MOVES_KEY, [])]
    for index, change in state.get("edited_rows", {}).items():
        rows[int(index)].update(change)
    rows += [{"enabled": True, **added} for added in state.get("added_rows", [])]
    deleted = {int(i) for i in state.get("deleted_rows", [])}
    st.session_state[MOVES_KEY] = [r for i, r in enumerate(rows) if i not in deleted]


def _valid(rows: list[dict]) -> tuple[list[Move], list[tuple[int, str]]]:
    moves, rejected = [], []
    for i, row in enumerate(rows, start=1):
        try:
            moves.append(Move.from_dict(row))
        except FunnelError as err:
            rejected.append((i, error_text(err)))
        except (TypeError, ValueError) as err:
            rejected.append((i, str(err)))
    return moves, rejected


def _editor(config: FunnelConfig) -> list[dict]:
    rows = _rows()
    frame = pd.DataFrame([{c: r.get(c) for c in COLUMNS} for r in rows], columns=list(COLUMNS))
    frame = frame.astype({"value": "float64", "cost": "float64"}).astype({"enabled": "bool"})
    stages = sorted({s for f in config.funnels for s in f.stage_names})
    st.data_editor(
        frame,
        column_config={
            # widths that keep every column, value and cost included, in view at 1440 px (about 1000 px of content)
            "enabled": st.column_config.CheckboxColumn(tr("moves.col.enabled"), default=True, width=50),
            "name": st.column_config.TextColumn(tr("moves.col.name"), required=True, width=220),
            "funnel": st.column_config.SelectboxColumn(tr("moves.col.funnel"), options=list(config.names), width=90),
            "segment": st.column_config.SelectboxColumn(
                tr("moves.col.segment"),
                options=list(SEGMENTS),
                format_func=lambda s: tr(f"segment.{s}"),
                width=140,
            ),
            "stage": st.column_config.SelectboxColumn(tr("moves.col.stage"), options=stages, width=80),
            "kind": st.column_config.SelectboxColumn(
                tr("moves.col.kind"),
                options=list(KINDS),
                required=True,
                format_func=lambda k: tr(f"moves.kind.{k}"),
                width=170,
            ),
            "value": st.column_config.NumberColumn(
                tr("moves.col.value"), required=True, help=tr("moves.value_help"), width=80
            ),
            "cost": st.column_config.NumberColumn(
                tr("moves.col.cost"), min_value=0.0, default=0.0, format="localized", width=90
            ),
        },
        num_rows="dynamic",
        placeholder=tr("moves.everywhere"),
        hide_index=True,
        width="stretch",
        key=EDITOR_KEY,
        on_change=_on_edit,
    )
    return rows


def _cell(metric: str, column: str, x: float) -> str:
    if metric in ("p_plan", "cost_share"):
        return percent(x, lang(), 1) if column != "change" else f"{signed(100 * x, lang(), 1)} {tr('moves.points')}"
    return signed(x, lang()) if column == "change" else number(x, lang())


def _summary(summary: pd.DataFrame, plan: float) -> None:
    metrics = ["mean", "p10", "p90", "p_plan", "leads_mean", "leads_conf", "cost", "cost_share"]
    shown = pd.DataFrame(
        {tr("moves.col.metric"): [tr(f"moves.metric.{m}", plan=number(plan, lang())) for m in metrics]}
    )
    for column in ("baseline", "moves", "change"):
        shown[tr(f"moves.col.{column}")] = [_cell(m, column, summary.loc[m, column]) for m in metrics]
    show_table(shown, hide_index=True, width="stretch", column_config=fitted(shown), key="moves.summary")


def panel(
    prepared: PreparedDataset,
    key: str,
    plan: float | None,
    *,
    stage_p,
    probabilities,
    period: Period | None = None,
    inflow: float | None = None,
    by_date: bool = False,
    confidence: float = 0.9,
    forecast=None,
    funnels: pd.DataFrame | None = None,
    memo: dict | None = None,
) -> None:
    """The Forecast page's moves section: editor, effect beside the baseline, return on cost.

    The baseline is the page's own forecast: the sliders' ``stage_p`` and
    per-deal ``probabilities``, and the chosen ``period`` with its lead
    ``inflow`` and expected-date setting (None: the whole open pipeline).
    ``forecast`` and ``funnels``: that forecast (the period's, or the whole
    pipeline's distribution) and its plan per funnel, when the page has them,
    and ``memo`` its kept results (see
    :func:`funnel_model.moves.move_effects`).
    """
    with guarded():
        st.subheader(tr("moves.title"))
        what = tr("moves.intro_period", dates=period_dates(period)) if period else tr("moves.intro_all")
        st.caption(tr("moves.intro", what=what))
        deals, config = prepared.deals, prepared.config
        rows = _editor(config)
        moves, rejected = _valid(rows)
        for i, reason in rejected:
            st.warning(tr("moves.rejected", row=i, reason=reason))
        if not moves:
            st.info(tr("moves.none"))
            return
        if not (deals["status"] == "open").any():
            st.info(tr("moves.no_open"))
            return
        plan = float(plan or 0.0)
        summary, per_move = _effects(
            prepared,
            key,
            json.dumps([m.to_dict() for m in moves], ensure_ascii=False),
            plan,
            (np.asarray(stage_p, dtype=float), np.asarray(probabilities, dtype=float)),
            (period.kind, period.start.isoformat(), period.end.isoformat()) if period else None,
            inflow,
            bool(by_date),
            float(confidence),
            forecast,
            funnels,
            memo,
        )
        on = [m for m in moves if m.enabled]
        st.markdown(
            tr(
                "moves.sentence",
                n=number(len(on), lang()),
                base=money(summary.loc["mean", "baseline"]),
                moved=money(summary.loc["mean", "moves"]),
                change=signed(summary.loc["mean", "change"], lang()),
                cost=money(summary.loc["cost", "moves"]),
                plan=money(plan),
                p_base=chance(summary.loc["p_plan", "baseline"], lang()),
                p_moved=chance(summary.loc["p_plan", "moves"], lang()),
            )
        )
        _summary(summary, plan)
        st.markdown(f"**{tr('moves.per_move')}**")
        # what each move changes is in the editor above: the table keeps to its figures, so it fits the page
        table = per_move.drop(columns="kind").assign(
            enabled=per_move["enabled"].map(lambda e: tr("moves.on") if e else tr("moves.off")),
        )
        names = {c: tr(f"moves.col.{c}") for c in table.columns}
        shown = table.rename(columns=names)
        show_table(
            shown,
            amounts=[names[c] for c in ("cost", "extra_mean", "extra_p10", "extra_p90")],
            decimals={names[c]: 2 for c in ("return_mean", "return_p10", "return_p90")},
            # the move's name stays in view when the wide table scrolls sideways
            column_config=fitted(shown, column_config={names["name"]: st.column_config.Column(pinned=True)}),
            hide_index=True,
            width="stretch",
            key="moves.per_move",
        )
        st.caption(tr("moves.per_move_caption"))
        with st.expander(tr("moves.how")):
            st.markdown(tr("moves.how_text", months=HORIZON_MONTHS, confidence=percent(confidence, lang(), 0)))
