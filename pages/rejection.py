"""Placeholder until this page is built: says what it will show."""

import streamlit as st

from ui.i18n import tr

st.title(tr("page.rejection"))
st.info(tr("page.not_built", what=tr("rejection.will_show")))
