"""Show errors as messages on the page, never as tracebacks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from funnel_model.errors import FunnelError
from ui.i18n import error_text, tr

log = logging.getLogger("funnel")


@contextmanager
def guarded() -> Iterator[None]:
    """Run a block; a domain error becomes ``st.error`` and stops the page.

    Anything else is a bug: it is logged with its traceback on the server and
    the user sees a short apology, not the traceback.
    """
    try:
        yield
    except FunnelError as err:
        st.error(error_text(err))
        st.stop()
    except ScriptControlException:
        raise  # st.stop / st.rerun travel as exceptions
    except Exception as err:  # last line of defence for the page
        log.exception("unexpected error while rendering a page")
        st.error(tr("error.unexpected", kind=type(err).__name__))
        st.stop()
