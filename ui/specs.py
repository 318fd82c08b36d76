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

A chart that a slider redraws with new numbers keeps its shape: the same
marks, encodings, labels, only other rows. A builder that says how its data
and its shape part (a ``split`` attribute, see :func:`chart_spec`) is built
once per shape; a new state of its data is filled into that spec, as
Streamlit names and stores data (Arrow bytes under their digest), instead of
building the chart again (a tenth of the time).
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable
from functools import partial

import streamlit as st
from altair.utils import schemapi
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec, _to_arrow_dataset

from ui.data import content_key, session_memo, source

MAX_SPECS = 64  # per session: every chart of every page, a few states each
_STORE = "_chart_specs"
_SHAPES = "_chart_shapes"


@functools.cache
def _converter(classes: tuple[type, ...]) -> schemapi._FromDict:
    return schemapi._FromDict(classes)


def _from_dict(cls, dct, validate: bool = True):
    """Altair's ``SchemaBase.from_dict``, its table of schema classes made once for the same classes."""
    if validate:
        cls.validate(dct)
    return _converter(tuple(cls._default_wrapper_classes())).from_dict(dct, cls)


schemapi.SchemaBase.from_dict = classmethod(_from_dict)


def _converted(chart) -> dict:
    """The spec ``st.altair_chart`` would send for ``chart``, without the schema check.

    The builders' tests validate their specs against the Vega-Lite schema; checking each new state here
    again cost a third of building it (set on the instance: Altair would take it for a property).
    """
    object.__setattr__(chart, "to_dict", partial(chart.to_dict, validate=False))
    return _convert_altair_to_vega_lite_spec(chart)


def _renamed(node, names: dict[str, str]):
    """``node`` (a spec) with every reference to a dataset named in ``names`` pointing to its new name."""
    if isinstance(node, dict):
        data = node.get("data")
        out = {k: _renamed(v, names) for k, v in node.items() if k != "data"}
        if data is not None:
            out["data"] = {**data, "name": names[data["name"]]} if isinstance(data, dict) and "name" in data else data
        return out
    if isinstance(node, list):
        return [_renamed(v, names) for v in node]
    return node


def _filled(shape: tuple[dict, list[str]], frames: tuple) -> dict:
    """The shape's spec with ``frames`` as its data, named as Streamlit names them (digest of the Arrow bytes)."""
    spec, names = shape
    datasets: dict[str, object] = {}
    new_names = [_to_arrow_dataset(frame, datasets)["name"] for frame in frames]
    out = _renamed({k: v for k, v in spec.items() if k != "datasets"}, dict(zip(names, new_names, strict=True)))
    out["datasets"] = datasets
    return out


def _shape_of(draw: Callable[..., object], frames: tuple) -> tuple[dict, list[str]] | None:
    """The spec ``draw(*frames)`` with its frames' dataset names, or None when new frames could not be filled in:
    only a spec whose every dataset is one of the frames, each under its own name, can take new ones."""
    spec = _converted(draw(*frames))
    names = [_to_arrow_dataset(frame, {})["name"] for frame in frames]
    datasets = spec.get("datasets", {})
    return (spec, names) if len(set(names)) == len(names) == len(datasets) and set(names) == set(datasets) else None


def _shaped(build: Callable[..., object], args: tuple, kwargs: dict) -> dict:
    """``build``'s spec from the spec of its shape, drawn once per shape (see :func:`chart_spec`)."""
    frames, draw, shape = build.split(*args, **kwargs)
    columns = [(list(frame.columns), [str(t) for t in frame.dtypes]) for frame in frames]
    key = content_key(f"{build.__module__}.{build.__qualname__}", shape, columns)

    shape_spec = _kept("chart_shape", _SHAPES, key, lambda: _shape_of(draw, frames))
    return _converted(draw(*frames)) if shape_spec is None else _filled(shape_spec, frames)


def _kept(name: str, store: str, key: str, build: Callable[[], object]):
    """``build()`` once for ``key``: the demo's for every session (the shared memo), an upload's in the
    session's ``store``, its ``MAX_SPECS`` most recent kept."""
    if source() == "demo":  # the demo's charts are the same for every session: built once for all
        return session_memo(name, key, build)
    kept: OrderedDict[str, object] = st.session_state.setdefault(store, OrderedDict())
    if key in kept:
        kept.move_to_end(key)
        return kept[key]
    value = kept[key] = build()
    while len(kept) > MAX_SPECS:
        kept.popitem(last=False)
    return value


def chart_spec(build: Callable[..., object], *args: object, **kwargs: object) -> dict:
    """The Vega-Lite spec of ``build(*args, **kwargs)``, built once per session for these arguments.

    Parameters
    ----------
    build : callable
        An Altair chart builder of ``funnel_model.charts``. One with a
        ``split`` attribute, ``build.split(*args, **kwargs) -> (frames, draw,
        shape)`` with ``draw(*frames)`` the chart ``build`` makes, reading the
        frames only as the charts' data, and ``shape`` everything else the
        chart depends on: new frames of the same columns and shape are
        filled into the spec drawn for that shape.
    *args, **kwargs
        Its arguments; frames, arrays, lists and mappings are compared by content.

    Returns
    -------
    dict
        For ``st.vega_lite_chart`` (which copies it before use).
    """
    key = content_key(f"{build.__module__}.{build.__qualname__}", args, kwargs)

    def spec_of() -> dict:
        if hasattr(build, "split"):
            return _shaped(build, args, kwargs)
        return _converted(build(*args, **kwargs))

    return _kept("chart_spec", _STORE, key, spec_of)
