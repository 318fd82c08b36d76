"""Funnel: the router. Sidebar with language and data source; pages in pages/."""

from __future__ import annotations

import streamlit as st

from funnel_model.formatting import number
from funnel_model.i18n import LANGUAGES
from ui import data
from ui.downloads import keep_downloads
from ui.guard import guarded
from ui.i18n import LANG_KEY, lang, tr
from ui.memory import release_closed_sessions
from ui.uploads import keep_uploads

st.set_page_config(page_title="Funnel", page_icon=":material/filter_alt:", layout="wide")
keep_downloads()
keep_uploads()
release_closed_sessions()

PAGES = (
    ("pages/data.py", "page.data", "data", ":material/upload_file:"),
    ("pages/funnels.py", "page.funnels", "funnels", ":material/filter_alt:"),
    ("pages/clients.py", "page.clients", "clients", ":material/groups:"),
    ("pages/forecast.py", "page.forecast", "forecast", ":material/trending_up:"),
    ("pages/compensation.py", "page.compensation", "compensation", ":material/payments:"),
    ("pages/rejection.py", "page.rejection", "rejection", ":material/sports_score:"),
    ("pages/report.py", "page.report", "report", ":material/description:"),
)
LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}
UPLOAD_NOTES_KEY = "app.upload_notes"  # {file name: message key} of the uploads that were not taken


def _deals_loaded() -> str:
    """The sidebar's deal count. A function: Streamlit keeps the last run's globals (``__main__``) after
    the session has closed, and they must not hold its data."""
    dataset = data.current()
    label = tr("app.source.demo") if dataset.source == "demo" else dataset.label
    return tr("app.deals_loaded", n=number(len(dataset.deals), lang()), source=label)


lang()  # fix the session's language before the first widget reads it
navigation = st.navigation(
    [
        st.Page(path, title=tr(key), url_path=url, icon=icon, default=i == 0)
        for i, (path, key, url, icon) in enumerate(PAGES)
    ]
)
data.take_uploads()  # a file whose reading a page change interrupted; before the source control is drawn

with st.sidebar:
    # persist_state: kept when a run drops the widget as stale (a page change whose request carried no
    # sidebar widget states, seen under load), not reset to the browser's language and the demo
    st.selectbox(
        tr("app.language"), LANGUAGES, key=LANG_KEY, format_func=LANGUAGE_NAMES.__getitem__, persist_state="session"
    )
    # kept in the address (a page change drops it): a session the server starts afresh, after a
    # reconnect under load or a reload, comes back in the chosen language, not the browser's
    st.query_params[LANG_KEY] = lang()
    has_upload = data.UPLOAD_KEY in st.session_state
    # a segmented control, not st.radio: after a language switch the browser shows no radio option selected
    st.session_state.setdefault(data.SOURCE_KEY, "demo")
    st.segmented_control(
        tr("app.data_source"),
        ("demo", "upload"),
        key=data.SOURCE_KEY,
        required=True,
        persist_state="session",
        # labels fixed now, not looked up later: AppTest calls format_func again outside the script run
        format_func={s: tr(f"app.source.{s}") for s in ("demo", "upload")}.__getitem__,
    )
    if st.session_state[data.SOURCE_KEY] == "upload" and not has_upload:
        st.caption(tr("app.source.no_upload"))
    if navigation.title != tr("page.data"):  # the Data page's uploaders take their files themselves
        notes = st.session_state.setdefault(UPLOAD_NOTES_KEY, {})
        notes.update((name, "app.upload_lost") for name in data.lost_uploads())
        notes.update((name, "app.upload_unfinished") for name in data.unfinished_uploads())
    for name, message in st.session_state.get(UPLOAD_NOTES_KEY, {}).items():  # until the user is back on Data
        st.warning(tr(message, name=name))
    if navigation.title == tr("page.data"):
        st.session_state.pop(UPLOAD_NOTES_KEY, None)
        data.settle_uploads()
    with guarded():
        st.caption(_deals_loaded())

navigation.run()
