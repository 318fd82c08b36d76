"""The UI language of this session, and ``tr`` to translate in it.

Streamlit renders labels, captions, help texts and messages as Markdown, and the parameters of a
message are often the user's own text (a stage, funnel, seller, column or file name). ``tr``
therefore escapes every string parameter, so the user's text shows exactly as typed and never as a
link or an image; ``tr_text`` is for places that do not render Markdown (charts, tables, file names).
"""

from __future__ import annotations

import streamlit as st

from funnel_model.errors import FunnelError
from funnel_model.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from funnel_model.text import md_escape

LANG_KEY = "lang"


def initial_language() -> str:
    """The language a new session starts in: ?lang=, else the browser's.

    app.py keeps ?lang= in the address, so a session that the server had to start afresh
    (a reconnect under load, a reload) comes back in the language the user chose.
    """
    asked = st.query_params.get(LANG_KEY)
    if asked in LANGUAGES:
        return asked
    locale = (st.context.locale or "").lower()
    return "ru" if locale.startswith(("ru", "uk", "be", "kk")) else DEFAULT_LANGUAGE


def lang() -> str:
    """The current UI language ("ru" or "en")."""
    language = st.session_state.get(LANG_KEY)  # one look: a page asks hundreds of times a run
    if language is None:
        language = st.session_state[LANG_KEY] = initial_language()
    return language


class Markdown(str):
    """Text that is already safe Markdown: ``tr`` does not escape it again when it is a parameter."""

    __slots__ = ()


def md(text: object) -> Markdown:
    """The user's ``text`` escaped for a Markdown context (a label, caption or message of its own)."""
    return text if isinstance(text, Markdown) else Markdown(md_escape(text))


def tr(key: str, /, **params: object) -> Markdown:
    """Translate ``key`` into the current UI language, for a Markdown context.

    String parameters are escaped (see ``md``); numbers and already-translated messages are not.
    """
    return Markdown(t(key, lang(), **{k: md(v) if isinstance(v, str) else v for k, v in params.items()}))


def tr_text(key: str, /, **params: object) -> str:
    """Translate ``key`` with its parameters as they are, for places that show plain text (charts, tables)."""
    return t(key, lang(), **params)


def error_text(err: FunnelError) -> Markdown:
    """A domain error's message in the UI language, its parameters (file, column, value) escaped."""
    return tr(err.key, **err.params)
