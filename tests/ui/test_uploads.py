"""ui.uploads: an upload a page change interrupts gets its address, and is named once if it never arrives.

Streamlit 1.67 empties a session's message queue of all but lifecycle messages when a run starts:
the answer to the uploader's request for an upload address went with it, and the browser never sent
the file. The upload manager now remembers each address it gave until the file arrives; an upload
asked for long enough ago, neither arrived nor under way, did not finish.
"""

from __future__ import annotations

import asyncio
import concurrent.futures

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec
from streamlit.web.server.starlette.starlette_path_security_middleware import PathSecurityMiddleware

from funnel_model.i18n import t
from tests.pages import apptest
from tests.pages.conftest import _apptest_runs_app_py_every_time  # noqa: F401  (every run executes app.py)
from tests.ui.fakes import Clock
from ui import data, uploads
from ui.uploads import UPLOAD_START_S, UploadLedger, keep_uploads

ENDPOINT = "/_stcore/upload_file"


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(uploads.time, "monotonic", clock)
    return clock


@pytest.fixture
def patched():
    """Streamlit's queue and middleware with this module's changes, restored afterwards."""
    clear, call = ForwardMsgQueue.clear, PathSecurityMiddleware.__call__
    keep_uploads()
    yield
    ForwardMsgQueue.clear, PathSecurityMiddleware.__call__ = clear, call


def _answer() -> ForwardMsg:
    msg = ForwardMsg()
    msg.file_urls_response.response_id = "request-1"
    msg.file_urls_response.file_urls.add(file_id="f1", upload_url=f"{ENDPOINT}/s/f1")
    return msg


@pytest.mark.parametrize("fragments", [None, ["fragment-1"]])
def test_a_run_starting_keeps_the_unsent_answer_to_an_upload_request(patched, fragments):
    queue = ForwardMsgQueue()
    queue.enqueue(_answer())
    delta = ForwardMsg()
    delta.delta.new_element.markdown.body = "old page"
    delta.delta.fragment_id = "fragment-1"
    delta.metadata.delta_path[:] = [0, 0]
    queue.enqueue(delta)
    queue.clear(retain_lifecycle_msgs=True, fragment_ids_this_run=fragments)  # AppSession._clear_queue
    assert [m.WhichOneof("type") for m in queue._queue] == ["file_urls_response"]
    assert queue.flush()[0].file_urls_response.file_urls[0].file_id == "f1"
    assert not queue._queue  # sent once, then gone


def test_an_upload_asked_for_and_never_arrived_is_named_once_after_the_start_time(clock):
    ledger = UploadLedger(ENDPOINT)
    (info,) = ledger.get_upload_urls("s", ["late.csv"])
    assert info.upload_url == f"{ENDPOINT}/s/{info.file_id}"
    clock.now += UPLOAD_START_S - 0.1
    assert ledger.unfinished("s") == []  # the browser may not have begun its PUT yet
    clock.now += 0.1
    assert ledger.unfinished("s") == [(info.file_id, "late.csv")]
    assert ledger.unfinished("s") == []
    assert ledger.unfinished("another session") == []


def test_an_upload_that_arrived_is_never_named_nor_remembered(clock):
    ledger = UploadLedger(ENDPOINT)
    arrived, lost = ledger.get_upload_urls("s", ["deals.csv", "history.csv"])
    ledger.add_file("s", UploadedFileRec(arrived.file_id, "deals.csv", "text/csv", b"deal_id\n1\n"))
    ledger.remove_file("s", arrived.file_id)  # the uploader replaced it
    clock.now += 60
    assert ledger.unfinished("s") == [(lost.file_id, "history.csv")]
    assert ledger.asked == {"s": {}}


def test_an_upload_still_arriving_is_not_named_until_its_put_has_ended(clock, patched):
    ledger = UploadLedger(ENDPOINT)
    (info,) = ledger.get_upload_urls("s", ["big.csv"])
    clock.now += 60
    middleware = PathSecurityMiddleware(app=None)
    seen: list[list] = []

    async def put_that_fails(scope, receive, send) -> None:  # a large file on a slow line, then a cut
        seen.append(ledger.unfinished("s"))
        raise ConnectionError

    middleware.app = put_that_fails
    scope = {"type": "http", "method": "PUT", "path": f"{ENDPOINT}/s/{info.file_id}"}
    # in a thread of its own: in a worker that ran the browser tests, Playwright's loop runs in this one
    with pytest.raises(ConnectionError), concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, middleware(scope, None, None)).result()
    assert seen == [[]]
    assert ledger.unfinished("s") == [(info.file_id, "big.csv")]


def test_a_session_that_ends_forgets_its_uploads(clock):
    ledger = UploadLedger(ENDPOINT)
    ledger.get_upload_urls("s", ["late.csv"])
    ledger.get_upload_urls("t", ["other.csv"])
    ledger.remove_session_files("s")  # AppSession.shutdown
    assert list(ledger.asked) == ["t"]


def test_the_servers_upload_manager_becomes_a_ledger_with_its_files(monkeypatch, patched):
    manager = MemoryUploadedFileManager(ENDPOINT)
    manager.add_file("s", UploadedFileRec("f0", "deals.csv", "text/csv", b"x"))

    class Runtime:
        uploaded_file_mgr = manager

    monkeypatch.setattr(uploads.runtime, "exists", lambda: True)
    monkeypatch.setattr(uploads.runtime, "get_instance", lambda: Runtime)
    assert keep_uploads() is manager
    assert isinstance(manager, UploadLedger) and keep_uploads() is manager
    assert manager.get_files("s", ["f0"])[0].data == b"x"
    manager.get_upload_urls("s", ["late.csv"])
    assert [name for name, _ in manager.asked["s"].values()] == ["late.csv"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_sidebar_says_an_upload_did_not_finish_once_off_the_data_page_and_the_data_stay_demo(
    monkeypatch, clock, lang
):
    ledger = UploadLedger(ENDPOINT)
    monkeypatch.setattr(data, "_upload_manager", lambda: (ledger, "s"))
    at = apptest.open_page("pages/data.py", lang)
    ledger.get_upload_urls("s", ["late.csv", "plan.json"])  # the Data page's upload, and the Report page's
    at.switch_page("pages/funnels.py").run()
    message = t("app.upload_unfinished", lang, name="late.csv")
    assert message not in [w.value for w in at.sidebar.warning]  # asked for a moment ago: maybe still coming
    clock.now += UPLOAD_START_S
    at.run()
    at.run()
    assert [w.value for w in at.sidebar.warning] == [message]  # named once, kept until back on Data
    assert at.sidebar.caption[-1].value.endswith(t("app.source.demo", lang))
    assert ledger.asked == {"s": {}}
    at.switch_page("pages/data.py").run()
    at.switch_page("pages/funnels.py").run()
    assert not at.sidebar.warning


def test_an_upload_cancelled_or_failed_on_the_data_page_is_not_named_later(monkeypatch, clock):
    # on the Data page the uploader shows its own cancel (✕ stops the PUT) or failure: no later warning
    ledger = UploadLedger(ENDPOINT)
    monkeypatch.setattr(data, "_upload_manager", lambda: (ledger, "s"))
    at = apptest.open_page("pages/data.py", "en")
    ledger.get_upload_urls("s", ["wrong.csv"])
    clock.now += UPLOAD_START_S
    at.run()  # still on the Data page
    at.switch_page("pages/funnels.py").run()
    assert not at.sidebar.warning
    assert ledger.asked == {"s": {}}
