"""Report: a one-page report of the current scenario, the scenarios themselves (keep, save, load, compare)
and the project file."""

import streamlit as st

from ui import data
from ui.guard import guarded
from ui.i18n import tr
from ui.project import project_panel
from ui.report import report_builder
from ui.scenario import scenario_panel

st.title(tr("page.report"))
with guarded():
    dataset = data.current()
    report_builder(dataset)
    scenario_panel(dataset)
    project_panel(dataset)
