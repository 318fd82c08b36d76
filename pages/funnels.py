"""Funnels page: the three funnels per client segment, sellers, time, stage win rates, calibration.

Thin: every number comes from funnel_model; this file filters, lays out and
translates. The computation of one filter choice is cached per session.
With ``?presenter=1`` it shows one funnel per screen in large type, next and
previous, the screen kept in the URL (``?section=2``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st

from funnel_model.charts.funnels import calibration_chart, comparison_chart, funnel_panel, seller_chart
from funnel_model.config import FunnelConfig
from funnel_model.formatting import number, percent
from funnel_model.funnel_views import FunnelViews, deals_behind, funnel_views
from funnel_model.geometry import DEFAULT_MIN_COUNT, with_empirical_probabilities
from funnel_model.prepared import RATE_LEVEL, PreparedDataset
from funnel_model.schema import SEGMENTS
from ui import data, headlines
from ui.charts import show_chart
from ui.drill import selected_row, show_deals
from ui.fit import FULL, HALF, fitted
from ui.guard import guarded
from ui.i18n import lang, md, tr, tr_text
from ui.specs import chart_spec
from ui.tables import show_table

ALL = "__all__"
WILSON_LEVEL = 0.95  # per-seller calibration intervals
ADOPTED_KEY = "funnels._adopted"
BAR_HEIGHT = 56  # pixels per funnel stage: its name and numbers on white above a thinner bar
COMPARE_HEIGHT = 340  # the shapes chart (its legend is beside it)
CALIBRATION_HEIGHT = 400  # stated against observed, legend not included
TITLE_HEIGHT = 50  # the panel's title and subtitle, so the stages keep their BAR_HEIGHT
ROOM_FONT_SIZE = 26  # presenter mode: stage names and numbers legible from the back of a room
ROOM_BAR_HEIGHT = 100
SECTION_KEY = "funnels.section"
# Constant CSS only: never any user text in here.
ROOM_CSS = """<style>
section[data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMarkdownContainer"] p { font-size: 1.6rem; }
[data-testid="stCaptionContainer"] p { font-size: 1.3rem !important; }
</style>"""


@data.view_cache(max_entries=16)
def compute(
    _prepared: PreparedDataset,
    key: str,
    funnel: str,
    seller: str,
    period: tuple[dt.date, dt.date] | None,
    min_count: int,
) -> FunnelViews:
    """The page's numbers for one filter choice, from the session's prepared dataset (cached per
    session under the dataset's ``key``: the deal table itself is never hashed)."""
    shared = min_count == _prepared.min_count and _prepared.level == RATE_LEVEL
    return funnel_views(
        _prepared.deals,
        _prepared.history,
        _prepared.config,
        funnel=None if funnel == ALL else funnel,
        seller=None if seller == ALL else seller,
        period=period,
        min_count=min_count,
        rate_level=RATE_LEVEL,
        wilson_level=WILSON_LEVEL,
        depth=_prepared.depth,
        rates=_prepared.rates if shared else None,
    )


def _pct(x: float, digits: int = 0) -> str:
    return percent(x, lang(), digits)


def _n(x: float) -> str:
    """A count as the UI language writes it (thousands grouped by a narrow no-break space)."""
    return number(x, lang())


def _segment_name(segment: object) -> str:
    """The funnel of a client segment, named with its segment: "Attraction (new prospects)"."""
    return tr(f"funnels.kind.{segment}") if segment in SEGMENTS else str(segment)


def _pipeline(segment: object, funnel: object) -> str:
    """The CRM pipeline's name, or "" when it only repeats the segment's funnel ("Привлечение")."""
    name = str(funnel)
    if segment in SEGMENTS and name.strip().casefold() == tr(f"funnel_kind.{segment}").casefold():
        return ""
    return name


def _title(segment: object, funnel: object) -> str:
    pipeline = _pipeline(segment, funnel)
    kind = _segment_name(segment)
    return tr_text("funnels.panel_title", kind=kind, funnel=pipeline) if pipeline else kind


def _translated(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[columns].set_axis([tr(f"funnels.col.{c}") for c in columns], axis=1)


def _show(frame: pd.DataFrame, columns: list[str], *, counts=(), amounts=(), shares=(), decimals=None, **kwargs):
    """``frame[columns]`` with translated headers through ``ui.tables.show_table``."""
    name = {c: tr(f"funnels.col.{c}") for c in columns}
    css = kwargs.pop("cell_css", None)
    shown = _translated(frame, columns)
    kwargs["column_config"] = fitted(shown, kwargs.pop("room", FULL), kwargs.get("column_config"))
    show_table(
        shown,
        counts=[name[c] for c in counts],
        amounts=[name[c] for c in amounts],
        shares=[name[c] for c in shares],
        decimals={name[c]: d for c, d in (decimals or {}).items()},
        cell_css={name[c]: v for c, v in css.items()} if css else None,
        **kwargs,
    )


def _panels(geo: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """(segment, title, rows) per funnel and segment with deals, in segment order."""
    first = geo[geo["order"] == 1]
    groups = first.loc[first["reached"] > 0, ["funnel", "segment"]]
    rank = {s: i for i, s in enumerate(SEGMENTS)}
    groups = sorted(groups.itertuples(index=False), key=lambda g: (rank.get(g.segment, len(rank)), str(g.funnel)))
    panels = []
    for g in groups:
        same_segment = geo["segment"].isna() if pd.isna(g.segment) else geo["segment"] == g.segment
        rows = geo[(geo["funnel"] == g.funnel) & same_segment]
        panels.append((g.segment, _title(g.segment, g.funnel), rows))
    return panels


def _kept_panels(dataset: data.Dataset, choice: tuple, result: FunnelViews) -> list[tuple[str, str, pd.DataFrame]]:
    """:func:`_panels` of one filter choice (``compute``'s arguments), once per choice and language: a rerun
    that changed nothing finds them (the headline and the funnels both draw them)."""
    return data.session_memo("funnels.panels", (dataset.key, *choice, lang()), lambda: _panels(result.geometry))


def _choices(deals: pd.DataFrame) -> tuple[list[str], tuple[dt.date, dt.date] | None]:
    """The sellers and the creation-date range the filters offer."""
    sellers = sorted(deals["owner"].dropna().astype(str).unique()) if "owner" in deals else []
    created = deals["created_at"].dropna()
    return sellers, (created.min().date(), created.max().date()) if len(created) else None


def _show_filters(dataset: data.Dataset):
    deals, config = dataset.deals, dataset.config
    sellers, dates = data.session_memo("funnels.choices", dataset.key, lambda: _choices(deals))
    cols = st.columns([1, 1, 1.4])
    everyone = tr_text("funnels.all")  # bound now: AppTest calls a format_func again outside the script run
    funnel = cols[0].selectbox(
        tr("funnels.funnel"),
        [ALL, *config.names],
        key="funnels.funnel",
        format_func=lambda f: everyone if f == ALL else f,
    )
    seller = cols[1].selectbox(
        tr("funnels.seller"),
        [ALL, *sellers],
        key="funnels.seller",
        format_func=lambda s: everyone if s == ALL else s,
    )
    period = None
    if dates is not None:
        lo, hi = dates
        chosen = cols[2].date_input(tr("funnels.period"), (lo, hi), min_value=lo, max_value=hi, key="funnels.period")
        # The full range is no filter: deals without a creation date stay in.
        if isinstance(chosen, (tuple, list)) and len(chosen) == 2 and (chosen[0], chosen[1]) != (lo, hi):
            period = (chosen[0], chosen[1])
    toggles = st.columns([1, 1, 1.4])
    basis = toggles[0].radio(
        tr("funnels.basis"),
        ["previous", "first"],
        key="funnels.basis",
        horizontal=True,
        format_func={b: tr_text(f"funnels.basis.{b}") for b in ("previous", "first")}.__getitem__,
    )
    measure = toggles[1].radio(
        tr("funnels.measure"),
        ["count", "money"],
        key="funnels.measure",
        horizontal=True,
        format_func={m: tr_text(f"funnels.measure.{m}") for m in ("count", "money")}.__getitem__,
    )
    min_count = toggles[2].number_input(
        tr("funnels.min_count"), min_value=1, max_value=10_000, value=DEFAULT_MIN_COUNT, step=5, key="funnels.min_count"
    )
    return funnel, seller, period, basis, measure, int(min_count)


def _show_semantics(result: FunnelViews) -> None:
    summary = result.summary
    if summary.semantics == "history":
        st.caption(tr("funnels.semantics.history", n=_n(summary.from_history), total=_n(summary.deals)))
    else:
        st.caption(tr("funnels.semantics.snapshot"))
    if summary.lost_unknown:
        st.caption(tr("funnels.lost_unknown", n=_n(summary.lost_unknown)))
    else:
        st.caption(tr("funnels.lost_unknown_none"))
    if summary.unmatched:
        st.warning(tr("funnels.unmatched", n=_n(summary.unmatched)))
    if summary.history_orphans:
        st.warning(tr("funnels.history_orphans", n=_n(summary.history_orphans)))
    if result.undated_excluded:
        st.info(tr("funnels.undated_excluded", n=_n(result.undated_excluded)))


def _show_funnels(result: FunnelViews, panels: list, basis: str, measure: str, min_count: int) -> None:
    st.subheader(tr("funnels.section.funnels"))
    geo = result.geometry
    labels = {
        k: tr(f"funnels.label.{k}") for k in ("stage", "reached", "amount", "from_previous", "from_first", "open")
    }
    present = {seg for seg, _, _ in panels}
    for seg in SEGMENTS:
        if seg not in present:
            st.caption(tr("funnels.segment_empty", kind=_segment_name(seg)))
    if panels:
        for i, (column, (segment, title, rows)) in enumerate(zip(st.columns(len(panels)), panels, strict=True)):
            kind, pipeline = _segment_name(segment), _pipeline(segment, rows["funnel"].iloc[0])
            if not rows["reliable"].iloc[0]:
                few = tr("funnels.unreliable", n=_n(rows["reached"].iloc[0]))
                pipeline = f"{pipeline} · {few}" if pipeline else few
            chart = chart_spec(
                funnel_panel,
                kind,
                rows,
                subtitle=pipeline,
                measure=measure,
                basis=basis,
                labels=labels,
                lang=lang(),
                colour=i,
                stage_height=BAR_HEIGHT,
            )
            show_chart(
                chart,
                f"funnel_{segment}",
                title=f"{tr_text('funnels.section.funnels')} · {title}",
                key=f"funnels.chart.{i}",
                place=column,
                width="stretch",
                height=BAR_HEIGHT * len(rows) + TITLE_HEIGHT,
            )
        st.caption(tr("funnels.chart_caption", basis=tr(f"funnels.basis.{basis}")))
        if (geo["lost_unknown"] > 0).any():
            st.caption(tr("funnels.chart_bounds"))
    with st.expander(tr("funnels.section.table")):
        table = geo.copy()
        table["segment"] = table["segment"].map(_segment_name)
        # as on the bars: no step conversion past the first stage where lost deals have no loss stage
        table.loc[(table["lost_unknown"] > 0) & (table["order"] > 1), "settled_conversion"] = np.nan
        columns = ["funnel", "segment", "stage", "reached", "amount", "open", "current", "won", "lost"]
        columns += ["settled_conversion", "cumulative_conversion", "win_rate", "reliable"]
        columns += ["lower_bound"] if table["lower_bound"].any() else []
        _show(
            table,
            columns,
            room=FULL - 40,  # the expander's own padding
            counts=["reached", "open", "current", "won", "lost"],
            amounts=["amount"],
            shares=["settled_conversion", "cumulative_conversion", "win_rate"],
            hide_index=True,
            width="stretch",
            key="funnels.table",
        )
        st.caption(tr("funnels.table_caption", n=_n(min_count)))


def _show_drill(dataset: data.Dataset, result: FunnelViews, filters: tuple) -> None:
    """The funnels' rows, one per stage: select one to see (and download) the deals it counts."""
    funnel, seller, period = filters
    geo = result.geometry.reset_index(drop=True)
    if geo.empty:
        return
    st.markdown(f"**{tr('funnels.drill.title')}**")
    st.caption(tr("funnels.drill.caption"))
    table = geo.assign(segment=geo["segment"].map(_segment_name))
    key = "funnels.drill"
    _show(
        table,
        ["funnel", "segment", "stage", "reached", "open", "won", "lost"],
        counts=["reached", "open", "won", "lost"],
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    row = selected_row(key)
    if row is None or row >= len(geo):
        return
    chosen = geo.iloc[row]
    prepared = dataset.prepared
    mine = deals_behind(
        prepared.deals,
        prepared.history,
        prepared.config,
        chosen,
        funnel=None if funnel == ALL else funnel,
        seller=None if seller == ALL else seller,
        period=period,
        depth=prepared.depth,
    )
    title = _title(chosen["segment"], chosen["funnel"])
    show_deals(mine, tr("funnels.drill.deals", funnel=title, stage=chosen["stage"], n=_n(len(mine))), key)


def _show_comparison(result: FunnelViews, panels: list, basis: str) -> None:
    st.subheader(tr("funnels.section.compare"))
    if not panels:
        return
    labels = {k: tr(f"funnels.label.{k}") for k in ("step", "funnel", "stage", "from_first", "from_previous")}
    # a funnel whose conversions are unknown (lost deals with no loss stage) has no shape to compare
    known = [(t, rows) for _, t, rows in panels if not (rows["lost_unknown"] > 0).any()]
    left_off = [t for _, t, rows in panels if (rows["lost_unknown"] > 0).any()]
    if known:
        chart = chart_spec(comparison_chart, known, basis=basis, labels=labels, lang=lang())
        # the legend sits beside the plot: the height is the plot's
        show_chart(
            chart,
            "funnel_shapes",
            title=tr_text("funnels.section.compare"),
            key="funnels.compare",
            width="stretch",
            height=COMPARE_HEIGHT,
        )
    if left_off:
        st.caption(tr("funnels.compare_left_off", funnels="; ".join(left_off)))
    found = result.bottlenecks
    titles = {(rows["funnel"].iloc[0], seg): t for seg, t, rows in panels}
    for row in found.itertuples(index=False):
        title = titles.get((row.funnel, row.segment))
        if title is None:
            continue
        if row.lost_unknown:
            st.markdown(tr("funnels.bottleneck_unknown", funnel=title, n=_n(row.lost_unknown)))
            continue
        key = "funnels.bottleneck" if row.reliable else "funnels.bottleneck_unreliable"
        st.markdown(tr(key, funnel=title, stage=row.stage, previous=row.previous, pct=_pct(row.conversion)))


def _show_sellers(result: FunnelViews, min_count: int) -> None:
    st.subheader(tr("funnels.section.sellers"))
    sellers = result.sellers
    if not len(sellers):
        return
    st.caption(tr("funnels.sellers_caption", level=_pct(RATE_LEVEL)))
    if not sellers["reliable"].all():
        st.caption(tr("funnels.sellers_unreliable", n=_n(min_count)))
    labels = {k: tr(f"funnels.label.{k}") for k in ("win_rate", "team", "seller")}
    names = list(dict.fromkeys(sellers["funnel"]))
    unknown = set(result.rates.loc[result.rates["lost_unknown"] > 0, "funnel"])
    for j, (tab, name) in enumerate(zip(st.tabs([md(n) for n in names]), names, strict=True)):
        with tab:
            mine = sellers[sellers["funnel"] == name].copy()
            show_chart(
                chart_spec(seller_chart, mine, labels=labels, lang=lang()),
                f"sellers_{name}",
                title=f"{tr_text('funnels.section.sellers')} · {name}",
                key=f"funnels.sellers_chart.{j}",
                width="stretch",
                height=28 * len(mine) + 50,
            )
            mine["vs_team"] = mine["vs_team"].map(lambda v: tr(f"funnels.vs.{v}") if v else "")
            # 1 won of 1 closed is no "100 %": below the minimum count only the interval is shown
            few = ~mine["reliable"].to_numpy(dtype=bool)
            mine["win_rate"] = mine["win_rate"].where(~few, np.nan)
            if name in unknown:  # lost deals of unknown stage may have reached the last stage: not known
                mine[["last_stage", "reach_last"]] = np.nan
            columns = ["rank", "owner", "deals", "last_stage", "reach_last", "won", "lost", "open", "win_rate"]
            columns += ["low", "high", "team_rate", "vs_team", "reliable"]
            grey = ["color: #9e9e9e" if f else "" for f in few]
            _show(
                mine,
                columns,
                counts=["deals", "last_stage", "won", "lost", "open"],
                shares=["reach_last", "win_rate", "low", "high", "team_rate"],
                cell_css={c: grey for c in columns},
                hide_index=True,
                width="stretch",
                key=f"funnels.sellers.{name}",
            )


def _show_time(result: FunnelViews) -> None:
    st.subheader(tr("funnels.section.time"))
    st.caption(tr("funnels.cycle_caption"))
    cycle = result.cycle.copy()
    cycle["segment"] = cycle["segment"].map(_segment_name)
    _show(
        cycle,
        ["segment", "closed", "median_days", "median_days_won", "median_days_lost"],
        counts=["closed"],
        decimals={"median_days": 1, "median_days_won": 1, "median_days_lost": 1},
        hide_index=True,
        key="funnels.cycle",
    )
    durations = result.durations
    if durations is None:
        st.info(tr("funnels.no_history"))
        return
    st.caption(tr("funnels.durations_caption"))
    durations = durations.rename(columns={"deals": "closed"})
    _show(
        durations,
        ["funnel", "stage", "closed", "median_days"],
        counts=["closed"],
        decimals={"median_days": 1},
        hide_index=True,
        key="funnels.durations",
    )


def _show_rates(result: FunnelViews, config: FunnelConfig, min_count: int) -> None:
    st.subheader(tr("funnels.section.rates"))
    rates = result.rates.copy()
    st.caption(tr("funnels.rates_caption", level=_pct(RATE_LEVEL), n=_n(min_count)))
    unknown = ~rates["identifiable"].to_numpy(dtype=bool)
    rates["note"] = [
        tr("funnels.rate_unknown", n=_n(n)) if blank else ""
        for blank, n in zip(unknown, rates["lost_unknown"], strict=True)
    ]
    if unknown.any():
        per_funnel = rates.loc[unknown].drop_duplicates("funnel")
        for row in per_funnel.itertuples(index=False):
            st.warning(tr("funnels.rates_unknown", funnel=row.funnel, n=_n(row.lost_unknown)))
    columns = ["funnel", "stage", "won", "lost", "n", "observed", "rate", "low", "high", "configured", "outside"]
    columns += ["pooled", "note"]
    flagged = rates["outside"].to_numpy(dtype=bool)
    _show(
        rates,
        columns,
        counts=["won", "lost", "n"],
        shares=["observed", "rate", "low", "high", "configured"],
        cell_css={"configured": ["background-color: #fde2e1" if f else "" for f in flagged]},
        hide_index=True,
        width="stretch",
        key="funnels.rates",
    )
    st.caption(tr("funnels.outside_count", n=_n(flagged.sum()), level=_pct(RATE_LEVEL), min=_n(min_count)))
    adoptable = int(np.isfinite(rates["rate"].to_numpy(dtype=float)).sum())
    if unknown.any():
        st.caption(tr("funnels.adopt_partial", n=_n(adoptable), kept=_n(unknown.sum())))
    if st.button(tr("funnels.adopt"), key="funnels.adopt", disabled=adoptable == 0):
        data.set_config(with_empirical_probabilities(config, rates))
        st.session_state[ADOPTED_KEY] = (adoptable, int(unknown.sum()))
        st.rerun()
    adopted = st.session_state.pop(ADOPTED_KEY, None)
    if adopted:
        st.success(tr("funnels.adopted", n=_n(adopted[0])))
        if adopted[1]:
            st.info(tr("funnels.adopted_kept", kept=_n(adopted[1])))


def _flag_labels() -> dict[str, str]:
    return {f"flag_{f or 'none'}": tr(f"funnels.flag.{f or 'none'}") for f in ("over", "under", "below", "above", "")}


def _cal_height(table: pd.DataFrame) -> int:
    """The calibration plot plus its legend, one line per flag (the configured ones only when present)."""
    entries = 5 if table["flag"].isin(["below", "above"]).any() else 3
    return CALIBRATION_HEIGHT + 30 * entries


def _show_calibration(result: FunnelViews, min_count: int) -> None:
    st.subheader(tr("funnels.section.calibration"))
    cal = result.calibration
    st.metric(tr("funnels.brier"), number(cal.brier, lang(), 3))
    st.caption(tr("funnels.calibration_caption", n=_n(cal.deals), own=_n(cal.own_estimates)))
    if cal.crm_closing:
        st.caption(tr("funnels.calibration_crm", n=_n(cal.crm_closing)))
    by_owner = cal.by_owner
    if cal.over_optimistic:
        worst = by_owner[by_owner["flag"] == "over"]
        st.warning(
            tr(
                "funnels.over_optimistic",
                names=", ".join(cal.over_optimistic),
                oe=", ".join(number(x, lang(), 2) for x in worst["oe"]),
            ),
            icon="⚠️",
        )
    elif cal.own_estimates:
        st.caption(tr("funnels.calibration_ok"))
    if cal.below_configured:
        below = by_owner[by_owner["flag"] == "below"]
        st.info(
            tr(
                "funnels.below_configured",
                names=", ".join(cal.below_configured),
                oe=", ".join(number(x, lang(), 2) for x in below["oe"]),
            )
        )
    labels = {
        "stated": tr("funnels.label.stated"),
        "observed": tr("funnels.label.observed"),
        "n": tr("funnels.label.n"),
        "name": tr("funnels.label.name"),
        **_flag_labels(),
    }
    # the verdict and the figures it rests on first: in a half-width column the rest may scroll
    columns = ["n", "flag", "stated", "observed", "oe", "low", "high", "expected", "wins", "brier", "reliable"]
    formats = {
        "counts": ["n", "wins"],
        "shares": ["stated", "observed", "low", "high"],
        "decimals": {"expected": 1, "oe": 2, "brier": 3},
    }
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{tr('funnels.by_seller')}**")
        st.caption(tr("funnels.by_seller_caption", level=_pct(WILSON_LEVEL), n=_n(min_count)))
        table = by_owner.copy()
        table["source"] = table["source"].map(lambda v: tr(f"funnels.source.{v}"))
        both = by_owner["owner"].duplicated(keep=False).to_numpy()
        table["chart_name"] = np.where(both, table["owner"] + " · " + table["source"], table["owner"])
        show_chart(
            chart_spec(calibration_chart, table, name="chart_name", labels=labels, lang=lang()),
            "calibration_by_seller",
            title=f"{tr_text('funnels.section.calibration')} · {tr_text('funnels.by_seller')}",
            key="funnels.cal_seller_chart",
            width="stretch",
            height=_cal_height(table),
        )
        over = (table["flag"] == "over").to_numpy()
        table["flag"] = table["flag"].map(lambda f: tr(f"funnels.flag.{f or 'none'}"))
        shown = ["owner", "source", *columns]
        red = ["background-color: #fde2e1; font-weight: bold" if o else "" for o in over]
        _show(
            table,
            shown,
            **formats,
            cell_css={c: red for c in shown},
            hide_index=True,
            width="stretch",
            column_config={tr("funnels.col.owner"): st.column_config.Column(pinned=True)},
            room=HALF,
            key="funnels.cal_seller",
        )
    with right:
        st.markdown(f"**{tr('funnels.by_stage')}**")
        st.caption(tr("funnels.by_stage_caption", level=_pct(RATE_LEVEL), min=_n(min_count)))
        by_stage = cal.by_stage
        show_chart(
            chart_spec(calibration_chart, by_stage, name="stage", labels=labels, lang=lang()),
            "calibration_by_stage",
            title=f"{tr_text('funnels.section.calibration')} · {tr_text('funnels.by_stage')}",
            key="funnels.cal_stage_chart",
            width="stretch",
            height=_cal_height(by_stage),
        )
        table = by_stage.copy()
        table["flag"] = table["flag"].map(lambda f: tr(f"funnels.flag.{f or 'none'}"))
        _show(
            table,
            ["stage", "funnel", *columns],
            **formats,
            hide_index=True,
            width="stretch",
            column_config={tr("funnels.col.stage"): st.column_config.Column(pinned=True)},
            room=HALF,
            key="funnels.cal_stage",
        )


def _presenter() -> bool:
    return st.query_params.get("presenter", "").strip().lower() in ("1", "true", "yes", "on")


def _turn(step: int, total: int) -> None:
    st.session_state[SECTION_KEY] = min(max(st.session_state[SECTION_KEY] + step, 1), total)


def _show_room(result: FunnelViews, panels: list, deals: pd.DataFrame, basis: str, measure: str) -> None:
    """Presenter mode: one funnel per screen in large type, its headline above, next and previous."""
    if not panels:
        return
    if SECTION_KEY not in st.session_state:  # first run: the link's place, unreadable or out of range reads as 1
        raw = st.query_params.get("section", "1")
        st.session_state[SECTION_KEY] = int(raw) if raw.isdigit() else 1
    at = min(max(st.session_state[SECTION_KEY], 1), len(panels))
    st.session_state[SECTION_KEY] = at
    st.query_params["section"] = str(at)
    back, where, forward = st.columns([1, 4, 1], vertical_alignment="center")
    back.button(
        tr("funnels.previous"),
        on_click=_turn,
        args=(-1, len(panels)),
        disabled=at <= 1,
        key="funnels.previous",
        width="stretch",
    )
    segment, title, rows = panels[at - 1]
    where.markdown(tr("funnels.where", at=at, total=len(panels), title=title), text_alignment="center")
    forward.button(
        tr("funnels.next"),
        on_click=_turn,
        args=(1, len(panels)),
        disabled=at >= len(panels),
        key="funnels.next",
        width="stretch",
    )
    st.markdown(f"#### {headlines.lines(result, deals, [panels[at - 1]])[0]}")
    labels = {
        k: tr(f"funnels.label.{k}") for k in ("stage", "reached", "amount", "from_previous", "from_first", "open")
    }
    pipeline = _pipeline(segment, rows["funnel"].iloc[0])
    chart = funnel_panel(
        _segment_name(segment),
        rows,
        subtitle=pipeline,
        measure=measure,
        basis=basis,
        labels=labels,
        lang=lang(),
        colour=at - 1,
        stage_height=ROOM_BAR_HEIGHT,
        font_size=ROOM_FONT_SIZE,
    )
    show_chart(
        chart,
        f"funnel_{segment}",
        title=_title(segment, rows["funnel"].iloc[0]),
        key="funnels.room",
        width="stretch",
        height=ROOM_BAR_HEIGHT * len(rows) + 2 * TITLE_HEIGHT,
    )
    st.caption(tr("funnels.chart_caption", basis=tr(f"funnels.basis.{basis}")))


st.title(tr("page.funnels"))
presenter = _presenter()
if presenter:
    st.html(ROOM_CSS)
with guarded():
    dataset = data.current()
    deals = dataset.deals
    if not len(deals):
        st.info(tr("funnels.no_deals"))
        st.stop()
    with st.expander(tr("funnels.filters")) if presenter else st.container():
        funnel, seller, period, basis, measure, min_count = _show_filters(dataset)
    with st.spinner(tr("progress.funnels")):  # shown only while a new filter choice is computed
        result = compute(dataset.prepared, dataset.key, funnel, seller, period, min_count)
    if not result.deals:
        st.info(tr("funnels.no_deals"))
        if result.undated_excluded:
            st.info(tr("funnels.undated_excluded", n=_n(result.undated_excluded)))
        st.stop()
    choice = (funnel, seller, period, min_count)
    panels = _kept_panels(dataset, choice, result)
    if presenter:
        _show_room(result, panels, deals, basis, measure)
        st.stop()
    headlines.show(result, deals, panels, key=(dataset.key, *choice))
    _show_semantics(result)
    _show_funnels(result, panels, basis, measure, min_count)
    _show_drill(dataset, result, (funnel, seller, period))
    _show_comparison(result, panels, basis)
    _show_sellers(result, min_count)
    _show_time(result)
    _show_rates(result, dataset.config, min_count)
    _show_calibration(result, min_count)
