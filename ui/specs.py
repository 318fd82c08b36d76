"""Altair chart specs built once per content: a rerun shows the kept Vega-Lite spec.

Building an Altair chart (encodings, type inference, schema checks) costs
tens of milliseconds per chart, and a page shows a dozen: most of a rerun
that changed nothing. :func:`chart_spec` keys the finished spec on a digest
of the builder's arguments (frames hashed by content), so a chart whose data
did not change is not rebuilt, and any change in its data or labels is a new
key: a kept spec can never be stale. The spec is the one ``st.altair_chart``
would send (Streamlit's own conversion: its theme handling, data as Arrow),
without the schema check (the builders' tests make it); show it with
``st.vega_lite_chart``.

Building a chart is mostly Altair reading its encodings: each one given as a
dict goes through ``SchemaBase.from_dict``, which hashes the JSON of all six
hundred schema classes anew on every call (a third of building a chart).
:func:`_from_dict` keeps that table for the same classes (every chart of every page).
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from functools import partial

import streamlit as st
from altair.utils import schemapi
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from ui.data import content_key, session_memo, source

MAX_SPECS = 64  # per session: every chart of every page, a few states each
_STORE = "_chart_specs"


@functools.cache
def _converter(classes: tuple[type, ...]) -> schemapi._FromDict:
    return schemapi._FromDict(classes)


def _from_dict(cls, dct, validate: bool = True):
    """Altair's ``SchemaBase.from_dict``, its table of schema classes made once for the same classes."""
    if validate:
        cls.validate(dct)
    return _converter(tuple(cls._default_wrapper_classes())).from_dict(dct, cls)


schemapi.SchemaBase.from_dict = classmethod(_from_dict)


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
    key = content_key(f"{build.__module__}.{build.__qualname__}", args, kwargs)

    def spec_of() -> dict:
        chart = build(*args, **kwargs)
        # the builders' tests validate their specs against the Vega-Lite schema; checking each new state
        # here again cost a third of building it (set on the instance: Altair would take it for a property)
        object.__setattr__(chart, "to_dict", partial(chart.to_dict, validate=False))
        return _convert_altair_to_vega_lite_spec(chart)

    if source() == "demo":  # the demo's charts are the same for every session: built once for all
        return session_memo("chart_spec", key, spec_of)
    specs: OrderedDict[str, dict] = st.session_state.setdefault(_STORE, OrderedDict())
    spec = specs.get(key)
    if spec is None:
        spec = specs[key] = spec_of()
        while len(specs) > MAX_SPECS:
            specs.popitem(last=False)
    else:
        specs.move_to_end(key)
    return spec
