"""ui.memory: a session Streamlit drops is shut down and what it held becomes unreachable."""

from __future__ import annotations

import gc
import platform
import threading
import weakref

from streamlit.runtime.fragment import MemoryFragmentStorage
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.session_manager import SessionInfo
from streamlit.runtime.state import SessionState

from ui import memory
from ui.memory import SessionReleaser, trim_heap


class Payload:
    """Stands for a session's upload and parsed data (weak-referenceable, unlike bytes)."""


class FakeSession:
    """An AppSession's parts the release touches: its id, state, fragments, message queue and shutdown."""

    def __init__(self, session_id: str) -> None:
        self.id = session_id
        self.session_state = SessionState()
        self._fragment_storage = MemoryFragmentStorage()
        self.shutdowns = 0

    def shutdown(self) -> None:
        self.shutdowns += 1

    def flush_browser_queue(self) -> list:
        return []


class FakeManager:
    """The session manager's parts the release reads: active sessions, the stored ones, the storage lock."""

    def __init__(self, storage: MemorySessionStorage) -> None:
        self.active: set[str] = set()
        self._storage = storage
        self._storage_lock = threading.Lock()

    def is_active_session(self, session_id: str) -> bool:
        return session_id in self.active

    def list_sessions(self) -> list:
        return self._storage.list()


def _setup(ttl: float = 120.0):
    clock = [0.0]
    storage = MemorySessionStorage(ttl_seconds=ttl)
    storage._cache._timer = lambda: clock[0]
    manager = FakeManager(storage)
    releaser = SessionReleaser(manager, storage, MediaFileManager(MemoryMediaFileStorage("/media")))
    return clock, storage, manager, releaser


def _disconnected(storage: MemorySessionStorage, session_id: str) -> tuple[FakeSession, weakref.ref]:
    session = FakeSession(session_id)
    payload = Payload()
    session.session_state["upload"] = {"name": "deals.csv", "data": payload}
    storage.save(SessionInfo(client=None, session=session))
    return session, weakref.ref(payload)


def test_a_session_past_its_ttl_is_shut_down_and_its_data_becomes_unreachable():
    clock, storage, _, releaser = _setup()
    session, payload = _disconnected(storage, "a")
    assert releaser.tick() is False  # within the TTL: kept for a reconnect, nothing let go
    assert session.shutdowns == 0 and payload() is not None
    clock[0] = 121.0
    releaser.tick()  # expired: shut down now (a run of it may still be stopping)
    assert session.shutdowns == 1
    assert storage.get("a") is None
    assert releaser.tick() is True  # a tick later its state is emptied, even if something still holds it
    assert "upload" not in session.session_state
    gc.collect()
    assert payload() is None


def test_a_session_that_reconnected_is_left_alone_when_the_storage_lets_it_go():
    _, storage, manager, releaser = _setup()
    session, payload = _disconnected(storage, "b")
    manager.active.add("b")  # the browser came back: Streamlit makes it active, then deletes it from storage
    storage.delete("b")
    releaser.tick()
    releaser.tick()
    assert session.shutdowns == 0
    assert session.session_state["upload"]["data"] is payload()


def test_a_session_evicted_from_a_full_storage_is_shut_down_too():
    _, storage, _, releaser = _setup()
    storage._cache._maxsize = 1
    first, payload = _disconnected(storage, "c")
    _disconnected(storage, "d")  # the storage keeps one: "c" goes
    assert first.shutdowns == 1
    releaser.tick()
    assert "upload" not in first.session_state
    gc.collect()
    assert payload() is None


def test_the_heap_is_trimmed_through_glibc_where_the_server_runs_on_it():
    if platform.libc_ver()[0] == "glibc":
        assert memory._TRIM is not None
    else:
        assert trim_heap() is False


def test_glibc_takes_the_fixed_mmap_threshold_and_the_arena_cap():
    assert memory.tune_allocator() is (platform.libc_ver()[0] == "glibc")
