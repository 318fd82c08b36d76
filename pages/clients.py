"""Clients page: the client base month by month, channels, loss reasons, stuck deals, with drill-down.

Thin: every number comes from funnel_model.client_views; this file lays out,
translates and keeps the channel spend in the session.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from funnel_model.charts.clients import flows_chart, pareto_chart, revenue_chart, sources_chart, states_chart
from funnel_model.client_views import ClientViews, client_views
from funnel_model.clients import client_states
from funnel_model.formatting import number, percent
from funnel_model.losses import NO_REASON, loss_breakdown, loss_pareto
from funnel_model.prepared import PreparedDataset
from funnel_model.schema import SEGMENTS
from funnel_model.sources import NO_SOURCE, source_label, with_spend
from ui import data
from ui.charts import show_chart
from ui.downloads import download_table
from ui.drill import selected_row, show_deals
from ui.fit import fitted
from ui.formats import date, money
from ui.guard import guarded
from ui.i18n import lang, md, tr, tr_text
from ui.specs import chart_spec
from ui.tables import show_table

SPEND_KEY = "clients.channel_spend"  # {source: money spent}, JSON-able: saved with a scenario
SPEND_EDITOR = "clients.spend_editor"
ALL = "__all__"
LEVEL = 0.95
MIN_CLOSED = 20  # closed deals a source needs to be named the best
MAX_STUCK_SHOWN = 200  # stuck deals in the grid, largest amounts first (thousands cost a second a rerun); files: all


def compute(prepared: PreparedDataset, key: str, dormancy: float) -> ClientViews:
    """The page's numbers for one dataset and window, kept per session under the dataset's ``key`` (the object
    itself: a cache's copy cost 70 ms a rerun at 100,000 deals)."""
    return data.session_memo(
        "clients.views",
        (key, dormancy),
        lambda: client_views(prepared.deals, prepared.history, prepared.config, dormancy_days=dormancy, level=LEVEL),
        keep=2,
        progress=tr("clients.progress"),  # a second at 100,000 deals
    )


def _kept(name: str, key: object, build):
    """``build()`` once per dataset, UI language and ``key``: a rerun that changed none of them shows the
    tables it showed (translating and pivoting them again cost half of a rerun)."""
    return data.session_memo(f"clients.{name}", (data.current().key, lang(), key), build)


def _n(x: float) -> str:
    return number(x, lang())


def _pct(x: float) -> str:
    return percent(x, lang(), 0)


def _columns(names: dict[str, str], *, pinned: str, short: tuple[str, ...] = ()) -> dict:
    """Column settings of a wide table: its naming column stays in view when the table scrolls sideways,
    long headers are shortened (the full name in the header's tooltip)."""
    config = {names[c]: st.column_config.Column(tr(f"clients.short.{c}"), help=names[c]) for c in short}
    config[names[pinned]] = st.column_config.Column(pinned=True)
    return config


def _state(s: str) -> str:
    return tr(f"segment.{s}")


def _source_name(s: str) -> str:
    return tr("clients.no_source") if s == NO_SOURCE else s


def _reason_name(s: str) -> str:
    return tr("clients.no_reason") if s == NO_REASON else s


def _rate_text(row) -> str:
    if not row.clients:
        return tr("clients.rate_unknown")
    return tr(
        "clients.rate_text",
        rate=_pct(row.rate),
        low=_pct(row.low),
        high=_pct(row.high),
        k=_n(row.moved),
        n=_n(row.clients),
    )


def _headline(views: ClientViews, dormancy: int) -> None:
    last = views.base.iloc[-1]
    kept = views.retention.set_index("measure").loc["active_kept"]
    st.markdown(
        tr(
            "clients.headline",
            date=date(views.as_of),
            days=_n(dormancy),
            active=_n(last["active"]),
            dormant=_n(last["dormant"]),
            new=_n(last["new"]),
            first_win=_n(views.year["first_win"]),
            reactivated=_n(views.year["reactivated"]),
            fell=_n(views.year["fell_dormant"]),
            kept=_pct(kept["rate"]) if kept["clients"] else "—",
        )
    )
    st.caption(tr("clients.window", days=_n(dormancy)))
    left_out = views.base.attrs["without_client"] + views.base.attrs["without_date"]
    if left_out:
        st.info(
            tr(
                "clients.left_out",
                no_client=_n(views.base.attrs["without_client"]),
                no_date=_n(views.base.attrs["without_date"]),
            )
        )


def _base_section(views: ClientViews, deals: pd.DataFrame, dormancy: int) -> None:
    base = views.base
    labels = {
        "month": tr("clients.label.month"),
        "clients": tr("clients.label.clients"),
        "state": tr("clients.label.state"),
        "flow": tr("clients.label.flow"),
        "revenue": tr("clients.label.revenue"),
        **{s: _state(s) for s in SEGMENTS},
        **{f: tr(f"clients.col.{f}") for f in ("first_win", "reactivated", "fell_dormant")},
    }
    st.subheader(tr("clients.section.states"))
    show_chart(
        chart_spec(states_chart, base, labels, lang()),
        "client_states",
        title=tr_text("clients.section.states"),
        key="clients.states_chart",
        width="stretch",
    )
    st.subheader(tr("clients.section.flows"))
    show_chart(
        chart_spec(flows_chart, base, labels, lang()),
        "client_flows",
        title=tr_text("clients.section.flows"),
        key="clients.flows_chart",
        width="stretch",
    )
    st.subheader(tr("clients.section.revenue"))
    year = views.year
    total = year["revenue"]
    st.markdown(
        tr(
            "clients.revenue_sentence",
            total=money(total),
            new=_pct(year["revenue_new"] / total) if total else "—",
            active=_pct(year["revenue_active"] / total) if total else "—",
            dormant=_pct(year["revenue_dormant"] / total) if total else "—",
        )
    )
    show_chart(
        chart_spec(revenue_chart, base, labels, lang()),
        "client_revenue",
        title=tr_text("clients.section.revenue"),
        key="clients.revenue_chart",
        width="stretch",
    )
    st.subheader(tr("clients.section.retention"))
    columns = st.columns(3)
    for column, row in zip(columns, views.retention.itertuples(index=False), strict=True):
        column.metric(
            tr(f"clients.short.{row.measure}"),
            _pct(row.rate) if row.clients else "—",
            help=tr(f"clients.measure.{row.measure}"),
        )
        column.caption(_rate_text(row))
        column.caption(tr("clients.measure_revenue", amount=money(row.revenue)))
    st.subheader(tr("clients.section.months"))
    st.caption(tr("clients.months_caption"))
    columns = ["month", "new", "active", "dormant", "new_clients", "first_win", "reactivated", "fell_dormant"]
    columns += ["wins", "revenue", "revenue_new", "revenue_active", "revenue_dormant"]  # the total in view at 1440 px
    names = {c: tr(f"clients.col.{c}") for c in columns}

    def months_table() -> tuple[pd.DataFrame, pd.DataFrame, dict]:
        table = base.assign(month=base["month"].dt.strftime("%m.%Y" if lang() == "ru" else "%b %Y"))
        shown = table[columns].rename(columns=names)
        short = ("new", "first_win", "reactivated", "fell_dormant")
        widths = fitted(shown, column_config=_columns(names, pinned="month", short=short))
        return table, shown.iloc[::-1].reset_index(drop=True), widths

    table, shown, widths = _kept("months", dormancy, months_table)
    key = "clients.months"
    show_table(
        shown,
        counts=[names[c] for c in columns[1:9]],
        amounts=[names[c] for c in columns[9:]],
        column_config=widths,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    row = selected_row(key)
    if row is not None and row < len(base):
        chosen = base.iloc[len(base) - 1 - row]
        states = client_states(deals, chosen["end"], dormancy)
        mine = deals[deals["client_id"].isin(states.index)]
        mine = mine.assign(client_state=mine["client_id"].map(states["state"]).map(_state))
        st.markdown(tr("clients.month_clients", month=table["month"].iloc[len(base) - 1 - row]))
        counts = states["state"].value_counts()
        st.caption(" · ".join(f"{_state(s)}: {_n(counts.get(s, 0))}" for s in SEGMENTS))
        show_deals(mine.sort_values(["client_id", "created_at"]), tr("clients.deals_behind"), key)


def _on_spend(sources: list[str]) -> None:
    """Keep the edited spend as {source: amount} (JSON-able, for scenarios)."""
    edits = st.session_state[SPEND_EDITOR].get("edited_rows", {})
    spend = dict(st.session_state.get(SPEND_KEY) or {})
    for row, change in edits.items():
        if "spend" in change:
            source = sources[int(row)]
            value = change["spend"]
            if value is None:
                spend.pop(source, None)
            else:
                spend[source] = float(value)
    st.session_state[SPEND_KEY] = spend


def _channels_section(views: ClientViews, deals: pd.DataFrame) -> None:
    if views.sources is None:
        st.info(tr("clients.no_sources"))
        return
    spend = st.session_state.get(SPEND_KEY) or {}
    columns = ["name", "deals", "open", "won", "lost", "win_rate", "low", "high", "revenue", "share_revenue"]
    columns += ["avg_won", "median_days_won", "spend", "cost_per_lead", "cost_per_won", "cost_per_revenue"]
    names = {c: tr(f"clients.col.{'source' if c == 'name' else c}") for c in columns}

    def sources_table() -> tuple:
        summary = with_spend(views.sources, spend)
        summary = summary.assign(name=summary["source"].map(_source_name))
        closed = summary[(summary["won"] + summary["lost"]) > 0]
        # "wins most often" only among sources with enough closed deals to tell
        rated = closed[(closed["won"] + closed["lost"]) >= MIN_CLOSED]
        best = rated.sort_values("win_rate", ascending=False).iloc[0] if len(rated) else None
        top = summary.sort_values("revenue", ascending=False).iloc[0]
        shown = summary[columns].rename(columns=names)
        short = ("avg_won", "median_days_won", "cost_per_won")
        return (
            summary,
            closed,
            best,
            top,
            shown,
            fitted(shown, column_config=_columns(names, pinned="name", short=short)),
        )

    summary, closed, best, top, shown, widths = _kept("sources", sorted(spend.items()), sources_table)
    if best is not None:
        st.markdown(
            tr(
                "clients.channels_sentence",
                best=best["name"],
                rate=_pct(best["win_rate"]),
                top=top["name"],
                share=_pct(top["share_revenue"]),
                n=_n(len(summary)),
            )
        )
    labels = {
        "source": tr("clients.col.source"),
        "win_rate": tr("clients.col.win_rate"),
        "interval": tr("clients.label.interval", level=_pct(LEVEL)),
        "deals": tr("clients.col.deals"),
    }
    show_chart(
        chart_spec(sources_chart, closed, labels, lang()),
        "sources",
        title=tr_text("clients.tab.channels"),
        key="clients.sources_chart",
        width="stretch",
    )
    st.caption(tr("clients.sources_caption", level=_pct(LEVEL)))
    key = "clients.sources"
    show_table(
        shown,
        counts=[names[c] for c in ("deals", "open", "won", "lost")],
        amounts=[names[c] for c in ("revenue", "avg_won", "spend", "cost_per_lead", "cost_per_won")],
        shares=[names[c] for c in ("win_rate", "low", "high", "share_revenue")],
        decimals={names["median_days_won"]: 0, names["cost_per_revenue"]: 3},
        column_config=widths,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    row = selected_row(key)
    if row is not None and row < len(summary):
        source = summary["source"].iloc[row]
        mine = deals[(source_label(deals) == source).to_numpy()]
        show_deals(mine, tr("clients.source_deals", source=_source_name(source), n=_n(len(mine))), key)
    st.markdown(f"**{tr('clients.spend_title')}**")
    st.caption(tr("clients.spend_caption"))
    given = summary[summary["spend"].notna()]
    if len(given):
        won = int(given["won"].sum())
        st.markdown(
            tr(
                "clients.spend_sentence",
                n=_n(len(given)),
                spend=money(given["spend"].sum()),
                won=_n(won),
                per_won=money(given["spend"].sum() / won) if won else "—",
            )
        )
    sources = list(summary["source"])
    editor = pd.DataFrame({"source": summary["name"], "spend": [spend.get(s) for s in sources]}).astype(
        {"spend": "float64"}
    )
    st.data_editor(
        editor,
        column_config={
            "source": st.column_config.TextColumn(tr("clients.col.source"), disabled=True),
            "spend": st.column_config.NumberColumn(
                tr("clients.col.spend"), min_value=0.0, step=1000.0, format="localized"
            ),
        },
        placeholder=tr("clients.spend_blank"),
        hide_index=True,
        key=SPEND_EDITOR,
        on_change=_on_spend,
        args=(sources,),
    )
    with st.expander(tr("clients.section.source_funnels")):

        def funnel_tables() -> list[tuple[str, pd.DataFrame, list]]:
            geo = views.source_funnels
            geo = geo[geo["kind"] == "open"]
            pivot = geo.assign(name=geo["source"].map(_source_name)).pivot_table(
                index=["funnel", "name"], columns="order", values="reached", aggfunc="sum"
            )
            stages = geo.drop_duplicates(["funnel", "order"]).set_index(["funnel", "order"])["stage"]
            tables = []
            for funnel in pivot.index.get_level_values(0).unique():
                part = pivot.loc[funnel].dropna(axis=1, how="all")
                part.columns = [stages[(funnel, o)] for o in part.columns]
                shown = part.reset_index().rename(columns={"name": tr("clients.col.source")})
                tables.append((funnel, shown, list(part.columns)))
            return tables

        for funnel, part, stage_names in _kept("source_funnels", None, funnel_tables):
            st.markdown(f"**{md(funnel)}**")
            show_table(
                part,
                counts=stage_names,
                hide_index=True,
                width="stretch",
                key=f"clients.source_funnel.{funnel}",
            )
        st.caption(tr("clients.source_funnels_caption"))


def _losses_section(views: ClientViews) -> None:
    lost = views.lost
    if not len(lost):
        st.info(tr("clients.no_lost"))
        return
    has_stage = "lost_stage" in lost
    stages = (
        _kept("loss_stages", None, lambda: sorted(lost["lost_stage"].dropna().astype(str).unique()))
        if has_stage
        else []
    )
    cols = st.columns(2)
    everyone = tr_text("clients.all")  # bound now: AppTest calls a format_func again outside the script run
    stage = cols[0].selectbox(
        tr("clients.loss_stage"),
        [ALL, *stages],
        key="clients.loss_stage",
        format_func=lambda s: everyone if s == ALL else s,
    )
    segment = cols[1].selectbox(
        tr("clients.loss_segment"),
        [ALL, *SEGMENTS],
        key="clients.loss_segment",
        format_func={s: everyone if s == ALL else _state(s) for s in (ALL, *SEGMENTS)}.__getitem__,
    )

    def chosen_pareto() -> tuple[pd.DataFrame, pd.DataFrame | None]:
        chosen = lost
        if stage != ALL:
            chosen = chosen[(chosen["lost_stage"] == stage).fillna(False).to_numpy(dtype=bool)]
        if segment != ALL:
            chosen = chosen[(chosen["segment"] == segment).fillna(False).to_numpy(dtype=bool)]
        if not len(chosen):
            return chosen, None
        pareto = loss_pareto(chosen)
        return chosen, pareto.assign(name=pareto["reason"].map(_reason_name))

    # the views are the dataset's: a rerun with the same choices reuses these
    chosen, pareto = _kept("pareto", (stage, segment), chosen_pareto)
    if pareto is None:
        st.info(tr("clients.no_lost"))
        return
    head = pareto.iloc[0]
    covered = int((pareto["cumulative"] < 0.8).sum()) + 1
    st.markdown(
        tr(
            "clients.losses_sentence",
            n=_n(len(chosen)),
            amount=money(pareto["amount"].sum()),
            top=head["name"],
            share=_pct(head["share"]),
            k=_n(min(covered, len(pareto))),
        )
    )
    labels = {
        "reason": tr("clients.col.reason"),
        "deals": tr("clients.col.deals"),
        "amount": tr("clients.col.amount_lost"),
        "cumulative": tr("clients.col.cumulative"),
    }
    show_chart(
        chart_spec(pareto_chart, pareto, labels, lang()),
        "loss_reasons",
        title=tr_text("clients.tab.losses"),
        key="clients.pareto_chart",
        width="stretch",
    )
    columns = ["name", "deals", "share", "cumulative", "amount", "amount_share"]
    names = {c: tr(f"clients.col.{ {'name': 'reason', 'amount': 'amount_lost'}.get(c, c) }") for c in columns}
    key = "clients.pareto"
    show_table(
        pareto[columns].rename(columns=names),
        counts=[names["deals"]],
        amounts=[names["amount"]],
        shares=[names[c] for c in ("share", "cumulative", "amount_share")],
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    row = selected_row(key)
    if row is not None and row < len(pareto):
        reason = pareto["reason"].iloc[row]
        mine = chosen[chosen["reason_group"] == reason]
        show_deals(mine, tr("clients.reason_deals", reason=_reason_name(reason), n=_n(len(mine))), key)
    for by, title in (("lost_stage", "clients.by_stage"), ("segment", "clients.by_segment")):
        with st.expander(tr(title)):

            def breakdown(by: str = by) -> tuple[pd.DataFrame, list]:
                part = loss_breakdown(lost, by)
                if by == "segment":
                    part[by] = part[by].map(lambda s: _state(s) if s in SEGMENTS else s)
                part["reason"] = part["reason"].map(_reason_name)
                wide = part.pivot_table(index="reason", columns=by, values="deals", aggfunc="sum", fill_value=0)
                wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False).index]
                return wide.reset_index().rename(columns={"reason": tr("clients.col.reason")}), list(wide.columns)

            wide, values = _kept(f"losses.{by}", None, breakdown)
            show_table(
                wide,
                counts=values,
                hide_index=True,
                width="stretch",
                key=f"clients.{by}",
            )
    with st.expander(tr("clients.section.grouping")):
        names = {c: tr(f"clients.col.{c}") for c in ("raw", "normalised", "group", "deals")}

        def grouping() -> tuple[pd.DataFrame, int, int]:
            groups = views.reason_groups
            groups = groups.assign(group=groups["group"].map(_reason_name), raw=groups["raw"].map(_reason_name))
            merged = groups.groupby("group")["raw"].transform("size") > 1
            return groups[list(names)].rename(columns=names), int(merged.sum()), groups["group"].nunique()

        shown, merged, group_count = _kept("grouping", None, grouping)
        st.caption(tr("clients.grouping_caption", n=_n(merged), groups=_n(group_count)))
        show_table(
            shown,
            counts=[names["deals"]],
            hide_index=True,
            width="stretch",
            key="clients.grouping",
        )


def _stuck_section(views: ClientViews, deals: pd.DataFrame) -> None:
    stuck = views.stuck
    st.markdown(
        tr(
            "clients.stuck_sentence",
            n=_n(len(stuck)),
            open=_n(stuck.attrs["open"]),
            amount=money(stuck["amount"].sum()),
            stuck=_n(int(stuck["stuck"].sum())),
            overdue=_n(int(stuck["overdue"].sum())),
        )
    )
    st.caption(tr(f"clients.stuck_basis.{stuck.attrs['basis']}"))
    if not len(stuck):
        return
    owners = views.stuck_by_owner
    names = {c: tr(f"clients.col.{c}") for c in ("owner", "deals", "stuck", "overdue", "amount")}
    key = "clients.stuck_owners"
    show_table(
        owners[list(names)].rename(columns=names),
        counts=[names[c] for c in ("deals", "stuck", "overdue")],
        amounts=[names["amount"]],
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    row = selected_row(key)
    chosen = stuck
    if row is not None and row < len(owners):
        owner = owners["owner"].iloc[row]
        chosen = stuck[stuck["owner"].astype("str").fillna("") == owner]
        st.markdown(tr("clients.stuck_of", owner=owner, n=_n(len(chosen))))
    columns = ["deal_id", "client_id", "owner", "funnel", "stage", "amount", "days_in_stage", "usual_days", "stuck"]
    columns += ["expected_close_at", "days_overdue", "overdue"]
    names = {c: tr(f"clients.col.{c}") for c in columns}
    if len(chosen) > MAX_STUCK_SHOWN:
        st.caption(tr("clients.stuck_shown", shown=_n(MAX_STUCK_SHOWN), n=_n(len(chosen))))
    show_table(
        chosen[columns].head(MAX_STUCK_SHOWN).rename(columns=names),
        amounts=[names["amount"]],
        # the limit is a percentile between whole days: "25" beside a stuck "25" would read as a mistake
        decimals={names["days_in_stage"]: 0, names["usual_days"]: 1, names["days_overdue"]: 0},
        column_config={
            **_columns(names, pinned="deal_id", short=("usual_days",)),
            names["expected_close_at"]: st.column_config.DateColumn(
                names["expected_close_at"], format="DD.MM.YYYY" if lang() == "ru" else "D MMM YYYY"
            ),
        },
        hide_index=True,
        width="stretch",
        key="clients.stuck",
        download=False,  # the deals' own buttons below
    )
    download_table(
        chosen[columns].rename(columns=names),
        "stuck_deals",
        "clients.stuck.download",
        labels=(tr("clients.download", n=len(chosen)), tr("clients.download_xlsx", n=len(chosen))),
        formats={names["amount"]: "money"},
        deferred=True,  # thousands of rows: written on the click, not on every first visit
    )


def _method(dormancy: int) -> None:
    with st.expander(tr("clients.how")):
        st.markdown(tr("clients.how_text", days=_n(dormancy), level=_pct(LEVEL)))


st.title(tr("page.clients"))
with guarded():
    dataset = data.current()
    deals = dataset.deals
    if not len(deals):
        st.info(tr("clients.no_deals"))
        st.stop()
    dormancy = int(st.session_state.get(data.DORMANCY_KEY, data.DEFAULT_DORMANCY_DAYS))
    views = compute(dataset.prepared, dataset.key, dormancy)
    if not len(views.base):
        st.info(tr("clients.no_clients"))
    else:
        _headline(views, dormancy)
    tabs = st.tabs([tr(f"clients.tab.{t}") for t in ("base", "channels", "losses", "stuck")])
    with tabs[0]:
        if len(views.base):
            _base_section(views, deals, dormancy)
    with tabs[1]:
        _channels_section(views, deals)
    with tabs[2]:
        _losses_section(views)
    with tabs[3]:
        _stuck_section(views, deals)
    _method(dormancy)
