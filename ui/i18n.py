"""The UI language of this session, and ``tr`` to translate in it."""

from __future__ import annotations

import streamlit as st

from funnel_model.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

LANG_KEY = "lang"


def initial_language() -> str:
    """The language a new session starts in: ?lang=, else the browser's."""
    asked = st.query_params.get(LANG_KEY)
    if asked in LANGUAGES:
        return asked
    locale = (st.context.locale or "").lower()
    return "ru" if locale.startswith(("ru", "uk", "be", "kk")) else DEFAULT_LANGUAGE


def lang() -> str:
    """The current UI language ("ru" or "en")."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = initial_language()
    return st.session_state[LANG_KEY]


def tr(key: str, /, **params: object) -> str:
    """Translate ``key`` into the current UI language."""
    return t(key, lang(), **params)
