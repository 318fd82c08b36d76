"""Memory of closed sessions given back: what a session held is released when Streamlit drops it.

Streamlit keeps a disconnected session ``server.disconnectedSessionTTL`` seconds (120 by default)
so that a browser which lost its connection can resume it. When that time is up, Streamlit 1.67
only forgets the session: it is not shut down, so the files its uploaders received stay in the
upload manager and its download files stay referenced for the life of the server, and the
forgetting itself happens only when some other session disconnects. Its server loop also keeps the
last session it served in a local variable while no one is connected. With uploads of a few MB,
ten sessions left several hundred MB behind for good (bench/bench_memory.py).

:func:`release_closed_sessions` makes the server shut down every session its session storage
drops (expired, or evicted when the storage is full), as it does for a session closed at once,
checks for expired sessions every :data:`REAP_INTERVAL_S` seconds, empties the dropped sessions,
and then hands the freed memory back to the system (:func:`trim_heap`). What the allocators still
keep afterwards is reused by the next sessions.

Measured (bench/bench_memory.py's flow, 6 sessions, 3 uploading 60,000 deals, two rounds): once the
sessions were gone, what Python objects, Arrow and pandas held was back at its idle level (glibc's
bytes in use 88.5 MB idle, 89.3 MB after; Arrow 2.2 MB both), yet the server stayed 89 MB above
idle and 30 MB more after a second round: glibc held 145 MB of freed heap that ``malloc_trim`` could
not return, because glibc raises its mmap threshold after each large free (up to 32 MB), so the
sessions' arrays were carved out of its heaps between small long-lived objects and left them
fragmented, and each script thread got an arena of its own. :func:`tune_allocator` fixes the
threshold at 128 KiB (a freed array goes back to the system at once) and caps the arenas at 2: the
server ends 26 MB above idle, 3 MB more after a second round. That rest is Python's own 1 MiB arenas
(92 idle, 113 after, 118 after round 2: an arena is freed only once all its objects are) and glibc's
free heap (21 MB idle, 38 after): a plateau the next sessions reuse.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import threading
from collections.abc import Callable

import pyarrow as pa
from streamlit import runtime
from streamlit.runtime.memory_session_storage import MemorySessionStorage

__all__ = ["REAP_INTERVAL_S", "SessionReleaser", "release_closed_sessions", "trim_heap", "tune_allocator"]

REAP_INTERVAL_S = 10.0  # expired sessions are shut down at most this long after their TTL
_LOGGER = logging.getLogger(__name__)
_lock = threading.Lock()
# glibc mallopt parameters: arrays above the threshold are mmapped and unmapped when freed; the
# threshold set explicitly is no longer raised by glibc; few arenas, so few heaps to fragment
_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8
MMAP_THRESHOLD = 128 * 1024
ARENA_MAX = 2


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None on other C libraries (musl, macOS, Windows)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


_TRIM = _malloc_trim()


def tune_allocator() -> bool:
    """Make glibc give a freed array back to the system at once and share its heaps between threads
    (see the module's docstring for the figures). True if glibc took both settings; False elsewhere.

    Set at run time (``mallopt``), so that ``streamlit run app.py`` needs no environment variable:
    it applies to every allocation from then on.
    """
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_ARENA_MAX, ARENA_MAX))


def _arrow_pools() -> list[pa.MemoryPool]:
    """Arrow's pools that may hold freed pages: the default one and jemalloc (imports use it, see
    ``funnel_model.parsing.import_allocator``)."""
    pools = [pa.default_memory_pool()]
    if "jemalloc" in pa.supported_memory_backends():
        pools.append(pa.jemalloc_memory_pool())
    return pools


def trim_heap() -> bool:
    """Collect unreachable cycles, then return free memory to the system: Arrow's pools' unused pages and
    glibc's free heap (each thread's arena). True if glibc gave some back.

    Costly (tens of ms): for the moments sessions have gone, not for every run.
    """
    gc.collect()
    for pool in _arrow_pools():
        pool.release_unused()
    return bool(_TRIM is not None and _TRIM(0))


def _empty(session) -> None:
    """Let go of everything a shut-down session held: state, widgets' callbacks, fragments, queued messages."""
    state = session.session_state
    state.clear()
    # widgets' format functions and callbacks reach the page's module globals (its dataset)
    state._new_widget_state.widget_metadata.clear()
    session._fragment_storage.clear()
    session.flush_browser_queue()


class SessionReleaser:
    """Shuts down each session ``storage`` drops and, at each :meth:`tick`, lets go of what it held.

    Parameters
    ----------
    manager : streamlit.runtime.websocket_session_manager.WebsocketSessionManager
        The server's session manager (its active sessions and its storage lock).
    storage : MemorySessionStorage
        Where the manager keeps disconnected sessions; every session it removes comes through here,
        and one that is active again (a reconnect) is left alone.
    media : streamlit.runtime.media_file_manager.MediaFileManager
        The download files, whose orphans :func:`ui.downloads.keep_downloads` removes after a grace.
    """

    def __init__(self, manager, storage: MemorySessionStorage, media) -> None:
        self._manager, self._storage, self._media = manager, storage, media
        self._dropped: list = []  # sessions shut down since the last tick
        self._held = self._count()
        storage._cache._on_remove = self._on_remove

    def _count(self) -> tuple[int, int]:
        return len(self._manager.list_sessions()), len(self._media._file_metadata)

    def _on_remove(self, session_id: str, info) -> None:
        if not self._manager.is_active_session(session_id):
            info.session.shutdown()  # idempotent: a session closed at once is shut down by Streamlit too
            self._dropped.append(info.session)

    def tick(self) -> bool:
        """Empty the sessions dropped since the last tick, drop the expired ones, remove orphaned downloads,
        and give the memory back if anything was let go (then True)."""
        # Streamlit's server loop keeps the last session it sent messages to in a local variable while no
        # session is connected: a dropped session is emptied (its uploads, parsed data, views) a tick after
        # its shutdown, once no run of it can be going
        released = bool(self._dropped)
        for session in self._dropped:
            _empty(session)
        self._dropped.clear()
        with self._manager._storage_lock:
            self._storage._cache.expire()  # each expired session goes through _on_remove
        self._media.remove_orphaned_files()  # downloads of closed sessions, once past their grace
        held, self._held = self._held, self._count()
        released = released or self._held[0] < held[0] or self._held[1] < held[1]
        if released:
            trim_heap()
        return released


def release_closed_sessions() -> None:
    """Shut down the sessions Streamlit drops and return their memory to the system (once per server).

    The app calls it on every run; only the first call of a server does anything. Without a server
    (AppTest, bare mode) or with another session storage than Streamlit's in-memory one, it does nothing.
    """
    if not runtime.exists():
        return
    rt = runtime.get_instance()
    manager = getattr(rt, "_session_mgr", None)
    storage = getattr(manager, "_session_storage", None)
    if not isinstance(storage, MemorySessionStorage):
        return
    with _lock:
        if rt.__dict__.get("_funnel_releases"):
            return
        rt.__dict__["_funnel_releases"] = True
    tune_allocator()
    loop = rt._get_async_objs().eventloop

    def tick(releaser: SessionReleaser) -> None:
        try:
            releaser.tick()
        except Exception:  # never let the release stop the server's loop
            _LOGGER.exception("releasing closed sessions failed")
        loop.call_later(REAP_INTERVAL_S, tick, releaser)

    # on the server's event loop, where Streamlit itself touches the session storage
    loop.call_soon_threadsafe(
        lambda: loop.call_later(REAP_INTERVAL_S, tick, SessionReleaser(manager, storage, rt.media_file_mgr))
    )
