"""Save the session as one project file, and open one: data, mapping, problems and every scenario."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st

from funnel_model.errors import FunnelError
from funnel_model.project import load_project, save_project
from ui import data
from ui.i18n import lang, tr
from ui.scenario import apply, capture, kept

__all__ = ["open_project", "project_bytes", "project_panel"]

UPLOAD_KEY, ERROR_KEY, OPENED_KEY = "project.upload", "project.error", "project.opened"


def project_bytes(dataset: data.Dataset) -> Callable[[], bytes]:
    """The session as a project file, written when called: the deals as imported, the assumptions in use first,
    then the kept ones. The session is read now; only the writing is deferred (to the download's click)."""
    imported, history = data.imported()
    current = capture(dataset)
    if current.config is None:  # the config in use travels with the project, even the demo's own
        current = replace(current, config=dataset.config)
    scenarios = (current, *kept().values())
    return lambda: save_project(
        imported.deals, history, scenarios, mapping=imported.mapping, problems=imported.problems
    )


def open_project(name: str, content: bytes) -> None:
    """Make a project file the session: its data as the upload, its first scenario in use, the rest kept.

    Raises the project's ``FunnelError`` before anything changes.
    """
    project = load_project(content)
    data.store_project(name, content)
    dataset = data.current()
    if project.scenarios:
        apply(project.scenarios[0], dataset)
    kept().clear()
    kept().update({s.name: s for s in project.scenarios[1:]})


def _on_upload() -> None:
    ss = st.session_state
    ss.pop(ERROR_KEY, None)
    file = data.uploaded(UPLOAD_KEY)
    if file is None:
        return
    try:
        open_project(file.name, file.getvalue())
    except FunnelError as err:
        ss[ERROR_KEY] = err
        return
    ss[OPENED_KEY] = file.name


def project_panel(dataset: data.Dataset, key: str = "project") -> None:
    """Save-project and open-project controls with their messages; ``key`` keeps two placements apart."""
    ss = st.session_state
    st.subheader(tr("project.header"))
    st.caption(tr("project.intro"))
    save_col, open_col = st.columns(2)
    save_col.download_button(
        tr("project.save"),
        project_bytes(dataset),
        file_name="funnel_project.zip",
        mime="application/zip",
        key=f"{key}.save",
        on_click="ignore",
    )
    open_col.file_uploader(tr("project.open"), type=["zip"], key=UPLOAD_KEY, on_change=_on_upload)
    error = ss.get(ERROR_KEY)
    if error is not None:
        st.error(tr("project.open_failed", reason=error.message(lang())))
    opened = ss.pop(OPENED_KEY, None)
    if opened:
        st.success(tr("project.opened", name=opened))
