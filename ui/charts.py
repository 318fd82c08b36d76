"""Altair charts built once per content: a rerun shows the kept Vega-Lite spec.

Building an Altair chart (encodings, type inference, schema checks) costs
tens of milliseconds per chart, and a page shows a dozen: most of a rerun
that changed nothing. :func:`chart_spec` keys the finished spec on a digest
of the builder's arguments (frames hashed by content), so a chart whose data
did not change is not rebuilt, and any change in its data or labels is a new
key: a kept spec can never be stale. The spec is the one ``st.altair_chart``
would send (Streamlit's own conversion: its theme handling, data as Arrow);
show it with ``st.vega_lite_chart``.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

MAX_SPECS = 64  # per session: every chart of every page, a few states each
_STORE = "_chart_specs"


def _feed(digest, value: object) -> None:
    """Add ``value`` to ``digest`` by content."""
    if isinstance(value, pd.DataFrame):
        digest.update(repr((list(value.columns), [str(t) for t in value.dtypes], value.shape)).encode())
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, pd.Series):
        digest.update(repr((value.name, str(value.dtype), len(value))).encode())
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, np.ndarray):
        digest.update(repr((value.dtype.str, value.shape)).encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__}[{len(value)}]".encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, Mapping):
        digest.update(f"map[{len(value)}]".encode())
        for k in sorted(value, key=repr):
            _feed(digest, k)
            _feed(digest, value[k])
    else:
        digest.update(f"{type(value).__name__}:{value!r};".encode())


def chart_spec(build: Callable[..., object], *args: object, **kwargs: object) -> dict:
    """The Vega-Lite spec of ``build(*args, **kwargs)``, built once per session for these arguments.

    Parameters
    ----------
    build : callable
        An Altair chart builder of ``funnel_model.charts``.
    *args, **kwargs
        Its arguments; frames, arrays, lists and mappings are compared by content.

    Returns
    -------
    dict
        For ``st.vega_lite_chart`` (which copies it before use).
    """
    digest = hashlib.blake2b(f"{build.__module__}.{build.__qualname__}".encode(), digest_size=20)
    _feed(digest, args)
    _feed(digest, kwargs)
    key = digest.hexdigest()
    specs: OrderedDict[str, dict] = st.session_state.setdefault(_STORE, OrderedDict())
    spec = specs.get(key)
    if spec is None:
        spec = _convert_altair_to_vega_lite_spec(build(*args, **kwargs))
        specs[key] = spec
        while len(specs) > MAX_SPECS:
            specs.popitem(last=False)
    else:
        specs.move_to_end(key)
    return spec
