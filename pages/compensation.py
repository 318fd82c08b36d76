"""Placeholder until this page is built: says what it will show."""

import streamlit as st

from ui.i18n import tr

st.title(tr("page.compensation"))
st.info(tr("page.not_built", what=tr("compensation.will_show")))
