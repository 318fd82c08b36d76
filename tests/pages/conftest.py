"""AppTest setup shared by the page tests.

Streamlit 1.67's AppTest resets ``PagesManager.uses_pages_directory`` before
every run; because this project has a ``pages/`` folder, every run after the
first then takes the legacy multipage (v1) path and executes only the current
page's file, not app.py: the sidebar (language, data source) disappears and its
widget state is dropped. The real server sets the flag to False once
``st.navigation`` runs; the fixture below does the same for AppTest, so every
run executes app.py like ``streamlit run`` does.
"""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager


class _NavigationPagesManager(PagesManager):
    def __init__(self, *args, **kwargs) -> None:
        PagesManager.uses_pages_directory = False  # the app routes with st.navigation
        super().__init__(*args, **kwargs)


@pytest.fixture(autouse=True)
def _apptest_runs_app_py_every_time(monkeypatch):
    monkeypatch.setattr("streamlit.testing.v1.app_test.PagesManager", _NavigationPagesManager)
    yield
    PagesManager.uses_pages_directory = None
