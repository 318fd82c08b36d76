"""Data page: upload a CRM export, check the mapping, the funnel config and the problems.

Every choice made here goes through ``ui.data`` into this browser session's
state, so the other pages see it and no other session does.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st
from pandas.api.types import is_numeric_dtype

from funnel_model import FunnelConfig
from funnel_model.errors import FunnelError
from funnel_model.formatting import MISSING, number, percent
from funnel_model.i18n import t
from funnel_model.importer import problems_report
from funnel_model.schema import DEAL_COLUMN_NAMES, LOST, OPEN, SEGMENTS, STATUSES, WON
from ui import data
from ui.downloads import download_table
from ui.formats import date, money
from ui.guard import guarded
from ui.i18n import error_text, lang, md, tr
from ui.project import project_panel
from ui.tables import show_table

PREVIEW_ROWS = 200
# what read_deals reads; ".gz" because a browser sees "deals.csv.gz" as a .gz file
UPLOAD_TYPES = ["csv", "txt", "xlsx", "xls", "gz", "zip", "parquet"]
REFUSED_KEY = data.REFUSED_KEY
CONFIG_LOADED_KEY = "data.config_loaded"  # name of a config file just loaded, shown once
PENDING_KEY = data.PENDING_KEY
MAPPING_FOR_KEY = "data.mapping_for"  # which upload the mapping editor's edits belong to
SEGMENT_CHOICES = ("auto", *SEGMENTS)  # per funnel: derived from history, or one segment for all its deals
# the mapping editor's "no column" choice, in either language (an edit may outlive a language switch)
NOT_MAPPED = frozenset(t("data.mapping.none", language) for language in ("en", "ru"))


def _quoted(text: str) -> str:
    """``text`` in the quotes of the UI language."""
    return f"«{text}»" if lang() == "ru" else f"\u201c{text}\u201d"


def _on_table_upload(key: str) -> None:
    """Keep a new deal or history file first, then check it before it replaces what every page uses."""
    file = data.uploaded(key)
    if file is None:
        return
    payload = file.getvalue()
    data.stash_upload(key, file.file_id, file.name, payload)
    # read under a status that says what is happening (a million deals take seconds)
    with st.status(tr("data.upload.reading", name=file.name, mb=number(len(payload) / 1e6, lang(), 1))) as status:
        started = time.perf_counter()
        data.take_uploads()
        if key in st.session_state.get(REFUSED_KEY, {}) or (key == "data.upload" and PENDING_KEY in st.session_state):
            status.update(label=tr("data.upload.not_read", name=file.name), state="error")
        else:
            seconds = number(time.perf_counter() - started, lang(), 1)
            status.update(label=tr("data.upload.read", name=file.name, seconds=seconds), state="complete")


def _on_upload(key: str, check, store) -> None:
    """Check a new file before it replaces what every page uses; a bad file is refused, with the reason."""
    file = data.uploaded(key)
    if file is None:
        return
    try:
        check(file.name, file.getvalue())
    except FunnelError as err:
        st.session_state.setdefault(REFUSED_KEY, {})[key] = (file.name, err)
        return
    store(file.name, file.getvalue())


def _use_pending(stage_header: str) -> None:
    pending = st.session_state[PENDING_KEY]
    mapping = {"stage": stage_header}
    try:
        data.validate_upload(pending["name"], pending["data"], mapping)
    except FunnelError as err:
        pending["error"] = err
        return
    data.store_upload(pending["name"], pending["data"])
    data.set_mapping(mapping)
    st.session_state.pop(PENDING_KEY)


def _pending_upload() -> None:
    """A file waiting for its stage column: the message, a choice of column, and a way out."""
    pending = st.session_state.get(PENDING_KEY)
    if not pending:
        return
    st.error(error_text(pending["error"]))
    choice = st.selectbox(
        tr("data.pending.stage"),
        pending["headers"],
        index=None,
        key="data.pending_stage",
        placeholder=tr("widget.choose"),
    )
    use, discard = st.columns(2)
    # a callback, because storing the upload flips the sidebar's source control, already drawn in this run
    use.button(
        tr("data.pending.use"),
        key="data.pending_use",
        type="primary",
        disabled=choice is None,
        on_click=_use_pending,
        args=(choice,),
    )
    if discard.button(tr("data.pending.discard", name=pending["name"]), key="data.pending_discard"):
        st.session_state.pop(PENDING_KEY)
        st.rerun()


def _check_config(name: str, payload: bytes) -> None:
    FunnelConfig.from_json(payload)


def _load_config(name: str, payload: bytes) -> None:
    data.set_config(FunnelConfig.from_json(payload))
    st.session_state[CONFIG_LOADED_KEY] = name


def _show_refusal(key: str) -> None:
    refused = st.session_state.get(REFUSED_KEY, {}).pop(key, None)
    if refused:
        name, err = refused
        st.error(f"{error_text(err)}\n\n{tr('data.upload.rejected', name=name)}")


def _on_dormancy() -> None:
    data.set_dormancy_days(st.session_state["data.dormancy"])


def _status_counts(deals: pd.DataFrame, by: str, missing: str) -> pd.DataFrame:
    """Deals, won/lost/open counts and amount per value of ``by``."""
    keys = deals[by].astype("object").where(deals[by].notna(), missing)
    counts = pd.crosstab(keys, deals["status"]).reindex(columns=list(STATUSES), fill_value=0)
    table = pd.DataFrame(
        {
            tr("data.col.deals"): counts.sum(axis=1),
            tr("data.col.won"): counts[WON],
            tr("data.col.lost"): counts[LOST],
            tr("data.col.open"): counts[OPEN],
            tr("data.col.amount"): deals["amount"].groupby(keys).sum().round().astype("int64"),
        }
    )
    return table.rename_axis(tr(f"data.col.{by}"))


def _uploaders(dataset: data.Dataset) -> None:
    limit_mb = st.get_option("server.maxUploadSize")
    left, right = st.columns(2)
    with left:
        st.file_uploader(
            tr("data.upload.label"),
            type=UPLOAD_TYPES,
            key="data.upload",
            on_change=_on_table_upload,
            args=("data.upload",),
            help=tr("data.upload.limit", mb=limit_mb),
        )
        st.caption(tr("data.upload.limit", mb=limit_mb))
    with right:
        st.file_uploader(
            tr("data.history.label"),
            type=UPLOAD_TYPES,
            key="data.history_upload",
            on_change=_on_table_upload,
            args=("data.history_upload",),
            disabled=dataset.source != "upload",
        )
        if dataset.source != "upload":
            st.caption(tr("data.history.demo"))
        if dataset.history is not None:
            st.caption(tr("data.history.using", n=number(len(dataset.history), lang())))
    _show_refusal("data.upload")
    _pending_upload()
    _show_refusal("data.history_upload")
    if dataset.source == "upload":
        st.success(tr("data.upload.using", name=dataset.label))
    else:
        st.info(tr("data.upload.using_demo"))


def _summary(dataset: data.Dataset) -> None:
    deals = dataset.deals
    st.subheader(tr("data.summary.header"))
    counts = data.session_memo("data.status_counts", dataset.key, lambda: deals["status"].value_counts())
    cols = st.columns([1, 1, 1, 1, 2])  # the amount needs room for a ten-digit number
    cols[0].metric(tr("data.metric.deals"), number(len(deals), lang()))
    cols[1].metric(tr("data.metric.won"), number(counts.get(WON, 0), lang()))
    cols[2].metric(tr("data.metric.lost"), number(counts.get(LOST, 0), lang()))
    cols[3].metric(tr("data.metric.open"), number(counts.get(OPEN, 0), lang()))
    cols[4].metric(tr("data.metric.amount"), money(deals["amount"].sum()))
    st.number_input(
        tr("data.dormancy.label"),
        min_value=1,
        max_value=3650,
        step=30,
        value=int(st.session_state.get(data.DORMANCY_KEY, data.DEFAULT_DORMANCY_DAYS)),
        key="data.dormancy",
        on_change=_on_dormancy,
        help=tr("data.dormancy.help"),
    )
    _funnel_segments(dataset)
    formats = {
        "counts": [tr(f"data.col.{c}") for c in ("deals", "won", "lost", "open")],
        "amounts": [tr("data.col.amount")],
        "width": "stretch",
        "column_config": {"_index": st.column_config.Column(width="medium")},
    }
    st.markdown(f"**{tr('data.summary.by_funnel')}**")
    by_funnel = data.session_memo(
        "data.by_funnel", (dataset.key, lang()), lambda: _status_counts(deals, "funnel", tr("data.no_funnel"))
    )
    show_table(by_funnel, download="deals_by_funnel", **formats)
    st.markdown(f"**{tr('data.summary.by_segment')}**")
    table = data.session_memo("data.by_segment", dataset.key, lambda: _status_counts(deals, "segment", MISSING)).copy()
    table.index = [tr(f"segment.{s}") if s in SEGMENTS else s for s in table.index]
    show_table(table.rename_axis(tr("data.col.segment")), download="deals_by_segment", **formats)


def _segment_key(funnel: str) -> str:
    # the language is part of the key: streamlit keeps showing a selectbox's old option
    # text when only its format_func changes, so a language switch makes a new widget
    return f"data.funnel_segment.{lang()}.{funnel}"


def _on_funnel_segment(funnels: list[str]) -> None:
    chosen = {f: st.session_state.get(_segment_key(f), "auto") for f in funnels}
    data.set_funnel_segments({f: s for f, s in chosen.items() if s != "auto"})


def _funnel_segments(dataset: data.Dataset) -> None:
    """Per funnel: segments derived from client history, or one segment for every deal of it."""
    funnels = data.session_memo(
        "data.funnels", dataset.key, lambda: sorted(dataset.deals["funnel"].dropna().astype("str").unique())
    )
    if not funnels:
        return
    chosen = dataset.funnel_segments or {}
    st.markdown(f"**{tr('data.segments.header')}**")
    st.caption(tr("data.segments.caption"))
    # labels bound now: a format_func that translates later may run outside this session
    labels = {s: tr("data.segments.auto") if s == "auto" else tr(f"segment.{s}") for s in SEGMENT_CHOICES}
    cols = st.columns(min(3, len(funnels)))
    for i, funnel in enumerate(funnels):
        current = chosen.get(funnel, "auto")
        # a funnel's name is the user's text: shown as typed, never as markdown
        cols[i % len(cols)].selectbox(
            md(funnel),
            SEGMENT_CHOICES,
            index=SEGMENT_CHOICES.index(current) if current in SEGMENT_CHOICES else 0,
            format_func=labels.__getitem__,
            key=_segment_key(funnel),
            on_change=_on_funnel_segment,
            args=(funnels,),
        )


def _mapping(dataset: data.Dataset) -> None:
    st.subheader(tr("data.mapping.header"))
    uploaded = dataset.source == "upload"
    st.caption(tr("data.mapping.caption") if uploaded else tr("data.mapping.demo"))
    source_columns = list(dict.fromkeys(str(c) for c in dataset.source_columns))
    # edits of the editor belong to one file: a new file starts from its detected mapping
    if st.session_state.get(MAPPING_FOR_KEY) != dataset.label:
        st.session_state.pop("data.mapping", None)
        st.session_state[MAPPING_FOR_KEY] = dataset.label
    not_mapped = tr("data.mapping.none")
    # an unmapped field shows a word, not an empty cell read as "None"
    table = pd.DataFrame(
        {
            "field": list(DEAL_COLUMN_NAMES),
            "source": [dataset.mapping.get(c) or not_mapped for c in DEAL_COLUMN_NAMES],
        }
    )
    edited = st.data_editor(
        table,
        key="data.mapping",
        hide_index=True,
        width="stretch",
        height="content",  # all sixteen fields at once, no inner scrolling
        disabled=not uploaded,
        column_config={
            "field": st.column_config.SelectboxColumn(
                tr("data.mapping.field"),
                options=list(DEAL_COLUMN_NAMES),
                format_func=lambda c: f"{tr(f'data.field.{c}')} ({c})",
                disabled=True,
            ),
            "source": st.column_config.SelectboxColumn(
                tr("data.mapping.source"), options=[not_mapped, *source_columns]
            ),
        },
    )
    unmapped = [c for c in source_columns if c not in set(dataset.mapping.values())]
    if unmapped:
        st.caption(tr("data.mapping.unmapped", columns=", ".join(_quoted(c) for c in unmapped)))
    else:
        st.caption(tr("data.mapping.all_mapped"))
    if not uploaded:
        return
    apply, reset = st.columns(2)
    if apply.button(tr("data.mapping.apply"), key="data.mapping_apply", type="primary"):
        # every field is sent: None unmaps a column the detector had mapped
        mapping = {
            r.field: r.source if isinstance(r.source, str) and r.source and r.source not in NOT_MAPPED else None
            for r in edited.itertuples()
        }
        before = dict(dataset.mapping)
        data.set_mapping(mapping)
        try:
            data.current()
        except FunnelError as err:
            data.set_mapping(before)  # keep the app usable: the mapping that worked stays
            # the importer's own message points at the stage picker of a new upload, not at this table
            message = tr("data.mapping.no_stage") if err.key == "importer.no_stage_column" else error_text(err)
            st.error(f"{message}\n\n{tr('data.mapping.failed')}")
        else:
            st.session_state.pop("data.mapping", None)
            st.rerun()
    if reset.button(tr("data.mapping.reset"), key="data.mapping_reset"):
        data.set_mapping(None)
        st.session_state.pop("data.mapping", None)
        st.rerun()


def _config(dataset: data.Dataset) -> None:
    st.subheader(tr("data.config.header"))
    st.caption(tr("data.config.caption"))
    config = dataset.config
    if config != dataset.inferred_config:
        st.info(tr("data.config.edited"))
    kinds = ("open", "won", "lost")
    table = config.stage_table()
    # won/lost stages have no order: as text, the editor shows "—" there instead of "None"
    table["order"] = table["order"].astype("string").fillna(MISSING)
    edited = st.data_editor(
        table,
        key="data.config",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "funnel": st.column_config.TextColumn(tr("data.config.col.funnel"), required=True),
            "order": st.column_config.TextColumn(tr("data.config.col.order"), validate=rf"^(\d*|{MISSING})$"),
            "stage": st.column_config.TextColumn(tr("data.config.col.stage"), required=True),
            "kind": st.column_config.SelectboxColumn(
                tr("data.config.col.kind"),
                options=kinds,
                format_func=lambda k: tr(f"data.config.kind.{k}"),
                required=True,
                default="open",
            ),
            "probability": st.column_config.NumberColumn(
                tr("data.config.col.probability"), min_value=0.0, max_value=1.0, step=0.01, format="%.2f"
            ),
        },
    )
    missing = data.session_memo("data.outside", dataset.key, lambda: _deals_outside(dataset.deals, config))
    if missing is not None:
        n, pairs = missing
        st.warning(tr("data.config.not_in_config", n=number(n, lang()), pairs=pairs))
    apply, reset, download = st.columns(3)
    if apply.button(tr("data.config.apply"), key="data.config_apply", type="primary"):
        try:
            orders = pd.to_numeric(edited["order"], errors="coerce")  # "—" and blanks: no order
            data.set_config(FunnelConfig.from_stage_table(edited.assign(order=orders)))
        except FunnelError as err:
            st.error(error_text(err))
        else:
            st.session_state.pop("data.config", None)
            st.rerun()
    if reset.button(tr("data.config.reset"), key="data.config_reset"):
        data.set_config(None)
        st.session_state.pop("data.config", None)
        st.rerun()
    download.download_button(
        tr("data.config.download"),
        data=config.to_json().encode("utf-8"),
        file_name="funnel_config.json",
        mime="application/json",
        key="data.config_download",
        on_click="ignore",
    )
    st.file_uploader(
        tr("data.config.upload"),
        type=["json"],
        key="data.config_upload",
        on_change=_on_upload,
        args=("data.config_upload", _check_config, _load_config),
    )
    _show_refusal("data.config_upload")
    loaded = st.session_state.pop(CONFIG_LOADED_KEY, None)
    if loaded:
        st.success(tr("data.config.loaded", name=loaded))


def _deals_outside(deals: pd.DataFrame, config: FunnelConfig) -> tuple[int, str] | None:
    """How many deals sit in a (funnel, stage) the config does not list, and the commonest such pairs."""
    listed = pd.MultiIndex.from_tuples(
        [(f.name, s) for f in config.funnels for s in [*f.stage_names, *f.won, *f.lost]], names=["funnel", "stage"]
    )
    single = config.funnels[0].name if len(config.funnels) == 1 else None
    pairs = pd.DataFrame(
        {"funnel": deals["funnel"].astype("object").where(deals["funnel"].notna(), single), "stage": deals["stage"]}
    )
    outside = pairs[~pd.MultiIndex.from_frame(pairs).isin(listed)]
    if outside.empty:
        return None
    counts = outside.value_counts(dropna=False)
    top = counts.head(5)
    shown = ", ".join(f"{f} / {s} ({k})" for (f, s), k in top.items())
    return len(outside), shown + (" …" if len(counts) > len(top) else "")


def _preview(dataset: data.Dataset) -> None:
    deals = dataset.deals
    n = min(PREVIEW_ROWS, len(deals))
    st.subheader(tr("data.preview.header", n=number(n, lang()), total=number(len(deals), lang())))
    labels = {c: st.column_config.Column(tr(f"data.field.{c}"), help=c) for c in DEAL_COLUMN_NAMES}
    shown = _readable(deals.head(n))
    show_table(
        shown,
        amounts=[c for c in ["amount"] if is_numeric_dtype(shown[c])],
        shares=[c for c in ["probability"] if is_numeric_dtype(shown[c])],
        width="stretch",
        hide_index=True,
        key="data.preview",
        column_config=labels,
    )


def _readable(deals: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``deals`` to show: status and segment codes in words, dates as the UI language writes them.

    The deal table itself stays canonical; only this shown copy changes.
    """
    shown = deals.copy()
    statuses = {s: tr(f"status.{s}") for s in STATUSES}
    segments = {s: tr(f"segment.{s}") for s in SEGMENTS}
    shown["status"] = shown["status"].map(lambda s: statuses.get(s, s))
    shown["segment"] = shown["segment"].map(lambda s: segments.get(s, s))
    for column in shown.select_dtypes("datetime").columns:
        shown[column] = shown[column].map(date)
    # a column with a gap becomes text: the browser draws an empty number cell as "None" whatever the Styler says
    language = lang()
    for column, digits, as_percent in (("amount", 0, False), ("probability", 1, True)):
        if shown[column].isna().any():
            shown[column] = [
                percent(x, language, digits) if as_percent else number(x, language, digits) for x in shown[column]
            ]
    return _no_gaps(shown)


def _no_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with "—" in the empty cells of its text columns (the browser would draw them as "None")."""
    text = frame.select_dtypes(exclude="number").columns
    return frame.fillna(dict.fromkeys(text, MISSING))


def _history_name(dataset: data.Dataset) -> str:
    if dataset.source == "upload":
        return st.session_state.get(data.HISTORY_UPLOAD_KEY, {}).get("name", "")
    return data.DEMO_HISTORY.name


def _problems(dataset: data.Dataset) -> None:
    """Rejected and repaired rows of the deals file and of the stage history file, counted per file."""
    st.subheader(tr("data.problems.header"))
    files = [("deals", dataset.label, dataset.problems)]
    if dataset.history_problems is not None:
        files.append(("history", _history_name(dataset), dataset.history_problems))
    files = [(kind, name, p.reset_index(drop=True)) for kind, name, p in files if len(p)]
    if not files:
        st.success(tr("data.problems.none"))
        return
    actions = ("rejected", "repaired", "warning")
    file_col = tr("data.problems.col.file")
    reports, summaries = [], []
    for kind, name, problems in files:
        heading = f"**{tr(f'data.problems.file.{kind}')}**"
        st.markdown(f"{heading} {_quoted(md(name))}" if name else heading)
        counts = problems.drop_duplicates(["row", "action"])["action"].value_counts()  # rows, not cells
        for col, action in zip(st.columns(len(actions)), actions, strict=True):
            col.metric(tr(f"data.problems.{kind}.{action}"), number(counts.get(action, 0), lang()))
        # problems_report keeps the rows in order: Row, Column, Value, Action, Reason (translated)
        report = problems_report(problems, lang())
        report.insert(0, file_col, tr(f"data.problems.file.{kind}"))
        action_text, reason_text = report.columns[4], report.columns[5]
        groups = problems.groupby(["action", "reason"], sort=False)
        first = groups.head(1).index  # first case of each reason, in the same order as groups.size()
        summaries.append(
            pd.DataFrame(
                {
                    file_col: tr(f"data.problems.file.{kind}"),
                    tr("data.problems.col.action"): report.loc[first, action_text].to_numpy(),
                    tr("data.problems.col.count"): groups.size().to_numpy(),
                    tr("data.problems.col.example"): report.loc[first, reason_text].to_numpy(),
                }
            ).sort_values(tr("data.problems.col.count"), ascending=False, kind="stable")
        )
        reports.append(report)
    report = pd.concat(reports, ignore_index=True)
    st.markdown(f"**{tr('data.problems.by_reason')}**")
    show_table(
        pd.concat(summaries, ignore_index=True),
        counts=[tr("data.problems.col.count")],
        width="stretch",
        hide_index=True,
        key="data.problems_by_reason",
    )
    with st.expander(tr("data.problems.all", n=number(len(report), lang()))):
        show_table(_no_gaps(report), width="stretch", hide_index=True, key="data.problems_all", download=False)
    download_table(
        report,
        "import_problems",
        "data.problems_download",
        labels=(tr("data.problems.download"), tr("data.problems.download_xlsx")),
    )


st.title(tr("page.data"))
st.caption(tr("data.intro"))
with guarded():
    dataset = data.current()
    _uploaders(dataset)
    _summary(dataset)
    _mapping(dataset)
    _config(dataset)
    _preview(dataset)
    _problems(dataset)
    project_panel(dataset, key="data.project")
