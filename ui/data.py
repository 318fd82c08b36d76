"""The dataset of this browser session: demo or the user's upload.

A client's data lives only in its session: uploads are parsed by a
``st.cache_data(scope="session")`` function and every choice (mapping, funnel
config, dormancy window) sits in ``st.session_state``. Nothing module-global
holds client data; only the demo, which is the same for everyone, is cached
globally: its dataset and every view of it (:func:`session_memo`,
:func:`view_cache`) are computed once for all sessions showing the demo.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from funnel_model import FunnelConfig, derive_segments, read_deals, read_stage_history
from funnel_model.errors import DealImportError, FunnelError
from funnel_model.formatting import currency_of
from funnel_model.geometry import deal_depth
from funnel_model.importer import DealImport
from funnel_model.inference import infer_config
from funnel_model.parsing import read_table
from funnel_model.prepared import PreparedDataset, prepare
from funnel_model.project import as_import, is_project, load_project
from ui.i18n import LANG_KEY, tr
from ui.uploads import UploadLedger

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEMO_DEALS = DATA_DIR / "demo_deals.csv"
DEMO_HISTORY = DATA_DIR / "demo_stage_history.csv"
DEMO_CONFIG = DATA_DIR / "demo_config.json"

SOURCE_KEY = "source"
UPLOAD_KEY = "upload"  # {"name": str, "data": bytes, "digest": str}
HISTORY_UPLOAD_KEY = "history_upload"
DORMANCY_KEY = "dormancy_days"
STASH_KEY = "data.stash"  # {uploader key: (file name, bytes)}: taken from its uploader, not yet read
REFUSED_KEY = "data.refused"  # {uploader key: (file name, FunnelError)}, shown once beside that uploader
PENDING_KEY = "data.pending"  # a deal file with no recognised stage column, waiting for the user to name it
SEEN_UPLOADS_KEY = "data.seen_uploads"  # ids of the uploaded files an uploader took (or that were reported lost)
UNFINISHED_KEY = "data.unfinished_uploads"  # ids of the uploads reported as not finished
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls", ".gz", ".parquet")  # a project .zip has its own uploader
DEFAULT_DORMANCY_DAYS = 365
T = TypeVar("T")


@dataclass(frozen=True)
class Dataset:
    """Everything the pages need about the session's data.

    ``deals`` is the canonical table with ``segment`` filled; ``history`` is
    the stage history or None; ``config`` is the user's edited funnel config
    if any, else the inferred one (from the deals and the history together).
    ``prepared`` holds these same deals, history and config with everything
    the views share (depth, stage rates, forecast inputs); pages read from it.
    ``key`` names the data and settings: equal keys, equal dataset (for caches).
    """

    source: str
    label: str
    deals: pd.DataFrame
    history: pd.DataFrame | None
    config: FunnelConfig
    problems: pd.DataFrame
    mapping: dict[str, str]
    inferred_config: FunnelConfig
    source_columns: tuple[str, ...] = ()  # headers as found in the file, for the mapping editor
    history_problems: pd.DataFrame | None = None  # rows of the stage history file left out or noted
    funnel_segments: dict[str, str] | None = None  # the user's funnel → segment choices
    prepared: PreparedDataset | None = None
    key: str = ""
    currency: str = ""  # the sign the export names, "₽" for a Russian one (ui.formats.currency's default)


@st.cache_data(show_spinner=False)
def _demo_import():
    imported = read_deals(DEMO_DEALS)
    if DEMO_CONFIG.exists():  # the generator's own funnels beat the inferred ones
        imported = replace(imported, config=FunnelConfig.from_json(DEMO_CONFIG.read_text(encoding="utf-8")))
    return imported, read_stage_history(DEMO_HISTORY)


@st.cache_data(show_spinner=False, scope="session", max_entries=4)
def _upload_import(data: bytes, name: str, mapping_json: str | None):
    if is_project(data):  # a project file holds the deals as imported (see store_project)
        return as_import(load_project(data))
    mapping = json.loads(mapping_json) if mapping_json else None
    return read_deals(data, mapping=mapping, name=name)


@st.cache_data(show_spinner=False, scope="session", max_entries=2)
def _history_import(data: bytes, name: str):
    if is_project(data):
        return load_project(data).history
    return read_stage_history(data, name=name)


def store_project(name: str, data: bytes) -> None:
    """Make a project file's deals and stage history the session's upload (raises ProjectError first)."""
    project = load_project(data)
    store_upload(name, data)
    if project.history is not None:
        store_history_upload(name, data)
    else:
        st.session_state.pop(HISTORY_UPLOAD_KEY, None)


def imported() -> tuple[DealImport, pd.DataFrame | None]:
    """The session's deals as imported (segments as in the file, not derived) and its stage history."""
    if source() == "upload":
        upload = st.session_state[UPLOAD_KEY]
        mapping = st.session_state.get("mapping:upload")
        mapping_json = json.dumps(mapping, sort_keys=True, ensure_ascii=False) if mapping else None
        hist = st.session_state.get(HISTORY_UPLOAD_KEY)
        # kept on the files' digests: the parse caches would hash every byte of the files on each call
        files = (upload["digest"], upload["name"], mapping_json, hist and hist["digest"], hist and hist["name"])
        return session_memo(
            "data.imported",
            files,
            lambda: (
                _upload_import(upload["data"], upload["name"], mapping_json),
                _history_import(hist["data"], hist["name"]) if hist else None,
            ),
        )
    return _demo_import()


def source() -> str:
    """ "demo" or "upload" (only once something was uploaded)."""
    chosen = st.session_state.get(SOURCE_KEY, "demo")
    return "upload" if chosen == "upload" and UPLOAD_KEY in st.session_state else "demo"


def store_upload(name: str, data: bytes) -> None:
    """Make ``data`` the session's deal file and switch the source to it."""
    digest = hashlib.sha256(data).hexdigest()
    previous = st.session_state.get(UPLOAD_KEY)
    if previous is None or previous["digest"] != digest:
        st.session_state[UPLOAD_KEY] = {"name": name, "data": data, "digest": digest}
        for key in ("mapping:upload", "config:upload", "funnel_segments:upload"):
            st.session_state.pop(key, None)
    st.session_state[SOURCE_KEY] = "upload"


def validate_upload(name: str, data: bytes, mapping: dict[str, str] | None = None) -> None:
    """Raise the importer's domain error if ``data`` cannot be read as deals (with ``mapping``).

    The parse is cached, so storing the file afterwards costs nothing more.
    """
    _upload_import(data, name, json.dumps(mapping, sort_keys=True, ensure_ascii=False) if mapping else None)


def validate_history_upload(name: str, data: bytes) -> None:
    """Raise the importer's domain error if ``data`` cannot be read as stage history."""
    _history_import(data, name)


def store_history_upload(name: str, data: bytes) -> None:
    """Attach a stage-history file to the uploaded deals."""
    digest = hashlib.sha256(data).hexdigest()
    st.session_state[HISTORY_UPLOAD_KEY] = {"name": name, "data": data, "digest": digest}


def stash_upload(key: str, file_id: str, name: str, payload: bytes) -> None:
    """Keep a file its uploader (``key``) has just received, before reading it.

    Reading a large file takes seconds; a page change meanwhile stops the uploader's callback at
    its next step. The stashed file is then read by the next run, on whatever page the user is
    (``take_uploads`` in app.py), so it is never lost.
    """
    note_upload(file_id)
    st.session_state.setdefault(STASH_KEY, {})[key] = (name, payload)


def take_uploads() -> None:
    """Read every stashed deal or history file: use it, or keep the reason it was refused."""
    for key in list(st.session_state.get(STASH_KEY, {})):
        name, payload = st.session_state[STASH_KEY][key]
        check, store = (
            (validate_upload, store_upload) if key == "data.upload" else (validate_history_upload, store_history_upload)
        )
        if key == "data.upload":
            st.session_state.pop(PENDING_KEY, None)
        try:
            check(name, payload)
        except DealImportError as err:
            if key == "data.upload" and err.key == "importer.no_stage_column":
                # readable, but the stage column has an unknown name: the Data page lets the user point at it
                headers = read_table(payload, name).headers
                st.session_state[PENDING_KEY] = {"name": name, "data": payload, "headers": headers, "error": err}
            else:
                st.session_state.setdefault(REFUSED_KEY, {})[key] = (name, err)
        except FunnelError as err:
            st.session_state.setdefault(REFUSED_KEY, {})[key] = (name, err)
        else:
            store(name, payload)
        del st.session_state[STASH_KEY][key]


def note_upload(file_id: str) -> None:
    """Remember that an uploader took the uploaded file ``file_id`` (kept or refused, with the reason)."""
    st.session_state.setdefault(SEEN_UPLOADS_KEY, set()).add(file_id)


def _upload_manager():
    """The server's upload manager and this run's session id; (None, "") without a server (AppTest)."""
    ctx = get_script_run_ctx()
    if ctx is None or not runtime.exists():
        return None, ""
    return runtime.get_instance().uploaded_file_mgr, ctx.session_id


def uploaded(key: str):
    """The file uploader ``key`` holds, or None: also when the server has let its file go.

    A file that reached the server after the user left the Data page is named and let go by
    :func:`lost_uploads`; the uploader's value may still point at it, and Streamlit then hands its
    callback a ``DeletedFile`` with no content.
    """
    file = st.session_state.get(key)
    return file if hasattr(file, "getvalue") else None


def lost_uploads() -> list[str]:
    """Names of table files that reached the server but no uploader took; each is named once.

    A file whose upload ends after the user has left the Data page arrives with no uploader to
    take it: the page would stay on the old data and say nothing. Call this where the uploader is
    not drawn (on the Data page the uploader takes its file itself). A file already named by
    :func:`unfinished_uploads` (its PUT began late, on a loaded server) is let go without a word.
    """
    manager, session_id = _upload_manager()
    stored = getattr(manager, "file_storage", {}).get(session_id, {})
    seen = st.session_state.setdefault(SEEN_UPLOADS_KEY, set())
    told = st.session_state.get(UNFINISHED_KEY, set())
    late = [f for f in list(stored.values()) if f.file_id not in seen and f.name.lower().endswith(TABLE_SUFFIXES)]
    seen.update(f.file_id for f in late)
    for f in late:  # nothing will read it: its memory goes back now, not when the session ends
        manager.remove_file(session_id, f.file_id)
    return [f.name for f in late if f.file_id not in told]


def unfinished_uploads() -> list[str]:
    """Names of table files whose upload began but will not reach the server; each is named once.

    A page change could leave an upload without its address, and a PUT can fail with no uploader
    left to show it: the file never arrives and the session keeps no trace of it but the server's
    record of the address it gave (:class:`ui.uploads.UploadLedger`). Call this where the uploader
    is not drawn, as :func:`lost_uploads`.
    """
    manager, session_id = _upload_manager()
    if not isinstance(manager, UploadLedger):
        return []
    gone = [
        (file_id, name) for file_id, name in manager.unfinished(session_id) if name.lower().endswith(TABLE_SUFFIXES)
    ]
    st.session_state.setdefault(UNFINISHED_KEY, set()).update(file_id for file_id, _ in gone)
    return [name for _, name in gone]


def settle_uploads() -> None:
    """Forget the uploads asked for on the Data page that ended without a file: call it there.

    There the uploader shows its own cancel (the user's ✕ stops the PUT) or failure; only an upload
    left behind by a page change is named later (:func:`unfinished_uploads`).
    """
    manager, session_id = _upload_manager()
    if isinstance(manager, UploadLedger):
        manager.unfinished(session_id)


def set_mapping(mapping: dict[str, str] | None) -> None:
    """Use ``mapping`` (canonical column → source header) for the upload."""
    st.session_state["mapping:upload"] = mapping
    st.session_state.pop("config:upload", None)


def set_config(config: FunnelConfig | None) -> None:
    """Use ``config`` for the current source; None returns to the inferred one."""
    st.session_state[f"config:{source()}"] = config


def set_funnel_segments(mapping: dict[str, str] | None) -> None:
    """Give every deal of a funnel one segment ({funnel: "new" | "active" | "dormant"}) for the
    current source; funnels left out, or None, keep the derived segments."""
    st.session_state[f"funnel_segments:{source()}"] = dict(mapping) if mapping else None


def set_dormancy_days(days: int) -> None:
    st.session_state[DORMANCY_KEY] = int(days)


def _build(src, upload, mapping_json, hist_upload, dormancy, funnel_segments) -> Dataset:
    """The session's dataset before any config edit: imported, segmented and prepared."""
    if upload:
        imported = _upload_import(upload["data"], upload["name"], mapping_json)
        history = _history_import(hist_upload["data"], hist_upload["name"]) if hist_upload else None
        label = upload["name"]
    else:
        imported, history = _demo_import()
        label = "demo"
    deals = imported.deals.copy()
    deals["segment"] = derive_segments(deals, dormancy_days=dormancy, funnel_segments=funnel_segments)
    # a stage seen in the history orders the funnel too: the deals alone may only show it as a loss stage;
    # neither the config nor the depth depends on the segments, so a new dormancy window reuses them
    files = (src, upload and upload["digest"], mapping_json, hist_upload and hist_upload["digest"])
    config = session_memo(
        "data.inferred_config",
        files,
        lambda: infer_config(imported.deals, history) if upload and history is not None else imported.config,
    )
    depth = session_memo("data.depth", (files, config.to_json()), lambda: deal_depth(deals, config, history))
    return Dataset(
        source=src,
        label=label,
        deals=deals,
        history=history,
        config=config,
        problems=imported.problems,
        mapping=dict(imported.mapping),
        inferred_config=config,
        source_columns=tuple(imported.source_columns),
        history_problems=history.attrs.get("problems") if history is not None else None,
        funnel_segments=funnel_segments,
        prepared=prepare(deals, history, config, depth=depth),
        currency=imported.currency or currency_of(deals.select_dtypes(exclude="number").head(500).to_numpy().ravel()),
    )


def current() -> Dataset:
    """The session's dataset, prepared for every view; raises the importer's domain errors.

    Parsing is cached; the finished dataset (with segments, the config from
    deals and history, and its :class:`~funnel_model.prepared.PreparedDataset`)
    is memoised in the session under a key of everything it depends on, so a
    rerun that changed none of them costs nothing.
    """
    src = source()
    dormancy = st.session_state.get(DORMANCY_KEY, DEFAULT_DORMANCY_DAYS)
    upload = st.session_state.get(UPLOAD_KEY) if src == "upload" else None
    mapping = st.session_state.get("mapping:upload") if upload else None
    mapping_json = json.dumps(mapping, sort_keys=True, ensure_ascii=False) if mapping else None
    hist_upload = st.session_state.get(HISTORY_UPLOAD_KEY) if upload else None
    funnel_segments = st.session_state.get(f"funnel_segments:{src}") or None
    key = (
        src,
        upload and upload["digest"],
        mapping_json,
        hist_upload and hist_upload["digest"],
        dormancy,
        json.dumps(funnel_segments, sort_keys=True, ensure_ascii=False) if funnel_segments else None,
    )
    memo = st.session_state.get("_dataset_memo")
    if memo is None or memo[0] != key:
        with st.spinner(tr("progress.data")):
            build = functools.partial(_build, src, upload, mapping_json, hist_upload, dormancy, funnel_segments)
            # the demo's (its deals, forecast inputs, rates) is built once for every session
            base = _shared_memo("data.dataset", key, build) if src == "demo" else build()
            st.session_state["_dataset_memo"] = memo = (key, base)
    base = memo[1]
    edited = st.session_state.get(f"config:{src}")
    config = edited if edited is not None else base.config
    prepared_memo = st.session_state.get("_prepared_memo")
    # a config is replaced, never edited in place (set_config): the same object under the same key is the
    # same dataset, and a page asks a dozen times a rerun (writing the config out costs a millisecond)
    if prepared_memo is not None and prepared_memo[2] == key and prepared_memo[3] is config:
        return prepared_memo[1]
    full_key = hashlib.sha256(json.dumps([key, config.to_json()], ensure_ascii=False).encode()).hexdigest()
    if prepared_memo is None or prepared_memo[0] != full_key:

        def with_config() -> Dataset:
            return replace(base, config=config, prepared=base.prepared.with_config(config), key=full_key)

        dataset = _shared_memo("data.prepared", full_key, with_config) if src == "demo" else with_config()
    else:
        dataset = prepared_memo[1]
    st.session_state["_prepared_memo"] = (full_key, dataset, key, config)
    return dataset


MAX_SHARED = 512  # views and chart specs of the demo kept for every session: each page's, two languages, a few settings
_shared: OrderedDict[str, object] = OrderedDict()
_shared_lock = threading.Lock()
_building: dict[str, threading.Lock] = {}


def _shared_memo(name: str, key: object, build: Callable[[], T]) -> T:
    """``build()`` once for all sessions: ten sessions arriving at once on a page wait for the first."""
    k = content_key(name, key)
    with _shared_lock:
        if k in _shared:
            _shared.move_to_end(k)
            return _shared[k]
        lock = _building.setdefault(k, threading.Lock())
    with lock:
        try:
            with _shared_lock:
                if k in _shared:
                    return _shared[k]
            value = build()
            with _shared_lock:
                _shared[k] = value
                while len(_shared) > MAX_SHARED:
                    _shared.popitem(last=False)
        finally:
            with _shared_lock:
                _building.pop(k, None)
    return value


def session_memo(name: str, key: object, build: Callable[[], T], keep: int = 1, progress: str | None = None) -> T:
    """``build()`` once per session for ``key``: the last ``keep`` values of each ``name`` are kept.

    For views of the prepared dataset that a rerun would otherwise recompute
    (``key`` holds the dataset's key and every setting they depend on). The
    value is the object itself, not a copy: treat it as read-only. ``keep`` > 1
    for a view the user switches between (a period and the one before).
    ``progress``: what a spinner says while ``build`` runs (seconds on large data).
    """

    def built() -> T:
        with st.spinner(progress) if progress else nullcontext():
            return build()

    if source() == "demo":  # views may hold translated text: each language its own
        return _shared_memo(name, (key, st.session_state.get(LANG_KEY)), built)
    memo = st.session_state.setdefault("_view_memo", {})
    held = memo.setdefault(name, [])
    for i, (seen, value) in enumerate(held):
        if seen == key:
            held.append(held.pop(i))  # most recent last
            return value
    value = built()
    held.append((key, value))
    del held[: max(len(held) - keep, 0)]
    return value


_PLAIN_KINDS = "biufcmM"  # numpy dtypes whose bytes are their values (not object pointers)
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain_arrow(kind: pa.DataType) -> bool:
    return pa.types.is_primitive(kind) or pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _feed_column(digest, column: pd.Series) -> None:
    """Add one column's values to ``digest``: their memory where that is the values, else pandas' hash.

    A page rerun keys a few dozen small tables and charts: pandas' per-value hash was a fifth of it.
    An Arrow column of plain values is fed as the buffers of one array (chunks joined, a slice
    copied to offset 0, no validity buffer when nothing is missing), a numpy one of plain values
    as its bytes; anything else (objects, categories, time zones, nested Arrow data) through
    ``hash_pandas_object``. Equal content in another memory layout at worst misses a cache.
    """
    chunks = getattr(column.array, "_pa_array", None)
    if chunks is not None and _plain_arrow(chunks.type):
        # one array at offset 0 whatever the chunks: a cached view comes back from pickling as one chunk
        array = chunks.chunk(0) if chunks.num_chunks == 1 else chunks.combine_chunks()
        array = pa.concat_arrays([array]) if array.offset else array
        validity, *buffers = array.buffers()
        digest.update(f"arrow:{array.type}[{len(array)},{array.null_count}]".encode())
        for buffer in [validity if array.null_count else None, *buffers]:
            digest.update(b"-" if buffer is None else buffer)
        return
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in _PLAIN_KINDS:
        digest.update(np.ascontiguousarray(column.to_numpy()).tobytes())
        return
    digest.update(pd.util.hash_pandas_object(column, index=False).to_numpy().tobytes())


def _feed_index(digest, index: pd.Index) -> None:
    if isinstance(index, pd.RangeIndex):
        digest.update(f"range:{index.start},{index.stop},{index.step}".encode())
    else:
        digest.update(repr((list(index.names), str(index.dtype))).encode())
        digest.update(pd.util.hash_pandas_object(index).to_numpy().tobytes())


def _feed(digest, value: object) -> None:
    """Add ``value`` to ``digest`` by content."""
    if isinstance(value, pd.DataFrame):
        digest.update(repr((list(value.columns), [str(t) for t in value.dtypes], value.shape)).encode())
        _feed_index(digest, value.index)
        for _, column in value.items():
            _feed_column(digest, column)
    elif isinstance(value, pd.Series):
        digest.update(repr((value.name, str(value.dtype), len(value))).encode())
        _feed_index(digest, value.index)
        _feed_column(digest, value)
    elif isinstance(value, np.ndarray):
        digest.update(repr((value.dtype.str, value.shape)).encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, (list, tuple)) and all(type(item) in _SCALARS for item in value):
        # a table's CSS per row, a list of names: written out at once (repr tells these types and values apart)
        digest.update(f"{type(value).__name__}:{value!r};".encode())
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


def view_cache(max_entries: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """``st.cache_data`` for a view of the session's dataset: per session on a client's data, shared by
    every session on the demo (the same figures for everyone, computed once).

    Parameters
    ----------
    max_entries : int
        Entries kept per session; the demo's shared cache keeps four times as many (several settings).
    """

    def wrap(func: Callable[..., T]) -> Callable[..., T]:
        own = st.cache_data(scope="session", show_spinner=False, max_entries=max_entries)(func)
        shared = st.cache_data(show_spinner=False, max_entries=4 * max_entries)(func)

        @functools.wraps(func)
        def cached(*args, **kwargs):
            return (shared if source() == "demo" else own)(*args, **kwargs)

        return cached

    return wrap


def content_key(*values: object) -> str:
    """A digest of ``values`` by content (frames, arrays, lists, mappings, scalars), for memo keys."""
    digest = hashlib.blake2b(digest_size=20)
    _feed(digest, values)
    return digest.hexdigest()
