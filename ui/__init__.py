"""Streamlit glue shared by app.py and the pages: language, data, errors.

Kept apart from ``funnel_model`` so the domain package never imports
streamlit.
"""

from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

# Until app.py has run once in a server process, Streamlit routes a deep link
# (/rejection?...) through its legacy pages/ router, which runs the page file
# alone: no sidebar, no layout. The first page run to import ui says the app
# routes with st.navigation and reruns, so app.py runs and routes the link.
if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
    import streamlit as st

    PagesManager.uses_pages_directory = False
    st.rerun()
