"""Downloads outlive other sessions' cleanups: a click during a rerun under load finds its file.

Streamlit drops a session's file references when its run starts and, at the end of every session's
run, deletes unreferenced downloads. With several sessions those cleanups come seconds apart, so
these tests play them in order on one file manager: session A shows a button, A starts a rerun,
B's runs end twice, A's user clicks.
"""

from __future__ import annotations

import pytest
from streamlit.runtime import media_file_manager
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.pages.apptest import open_page
from tests.ui.fakes import Clock
from ui import downloads
from ui.downloads import DOWNLOAD_GRACE_S, keep_downloads


@pytest.fixture
def manager(monkeypatch):
    """A file manager with the app's cleanup, sessions "a" and "b", and a clock the test moves."""
    original = MediaFileManager.remove_orphaned_files
    keep_downloads()
    clock = Clock()
    monkeypatch.setattr(downloads.time, "monotonic", clock)
    session = {"id": "a"}
    monkeypatch.setattr(media_file_manager, "_get_session_id", lambda: session["id"])
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    manager.session, manager.clock = session, clock
    yield manager
    MediaFileManager.remove_orphaned_files = original


def _others_runs_end(manager: MediaFileManager, times: int = 2) -> None:
    manager.session["id"] = "b"
    manager.add(b"b's chart", "image/png", "b.1")  # session b is alive and rendering
    for _ in range(times):
        manager.remove_orphaned_files()
    manager.session["id"] = "a"


def _served(manager: MediaFileManager, url: str) -> bytes | None:
    file = manager.read_file(url.rsplit("/", 1)[-1].split(".")[0])
    return None if file is None else file.content


def test_a_shown_download_survives_other_sessions_cleanups_while_its_session_reruns(manager):
    url = manager.add(b"deal_id,stage\n1,Won\n", "text/csv", "a.5", "deals.csv", is_for_static_download=True)
    manager.clear_session_refs("a")  # a's rerun starts; the button is still on a's screen
    _others_runs_end(manager)
    assert _served(manager, url) == b"deal_id,stage\n1,Won\n"


def test_a_chart_made_on_click_is_kept_until_the_browser_fetches_it(manager):
    file_id = manager.add_deferred(lambda: b"<svg/>", "image/svg+xml", "a.7", "chart.svg")
    manager.clear_session_refs("a")
    _others_runs_end(manager)  # before the fix the click's callable was dropped here
    url = manager.execute_deferred(file_id)
    _others_runs_end(manager)  # and the made file here, between the click and the fetch
    assert _served(manager, url) == b"<svg/>"


def test_an_orphaned_download_is_released_after_the_grace_period(manager):
    url = manager.add(b"pay", "text/csv", "a.5", "pay.csv", is_for_static_download=True)
    file_id = manager.add_deferred(lambda: b"png", "image/png", "a.8", "chart.png")
    manager.clear_session_refs("a")  # the session ended
    _others_runs_end(manager, 1)
    manager.clock.now += DOWNLOAD_GRACE_S
    _others_runs_end(manager, 1)
    assert _served(manager, url) is None
    assert file_id not in manager._deferred_callables
    assert manager._orphaned_since == {}


def test_a_download_shown_again_is_not_counted_as_orphaned(manager):
    url = manager.add(b"pay", "text/csv", "a.5", "pay.csv", is_for_static_download=True)
    manager.clear_session_refs("a")
    _others_runs_end(manager, 1)
    manager.add(b"pay", "text/csv", "a.5", "pay.csv", is_for_static_download=True)  # a's rerun shows it again
    manager.clock.now += DOWNLOAD_GRACE_S
    _others_runs_end(manager, 1)
    assert _served(manager, url) == b"pay"


def test_images_keep_streamlits_rule(manager):
    url = manager.add(b"img", "image/png", "a.3")
    manager.clear_session_refs("a")
    _others_runs_end(manager, 1)
    assert _served(manager, url) is None


def test_the_app_installs_the_grace_period(monkeypatch):
    monkeypatch.setattr(MediaFileManager, "remove_orphaned_files", lambda self: None)  # as if never installed
    open_page("pages/data.py")
    assert MediaFileManager.remove_orphaned_files is downloads._remove_orphaned_files
