"""Uploads a page change interrupts: delivered where Streamlit would drop them, named when they never arrive.

How Streamlit 1.67 uploads a file: the uploader asks the server for an upload address (a
``FileURLsRequest`` on the websocket; the upload manager's ``get_upload_urls`` makes a file id),
the server answers on the websocket (``file_urls_response``), and the browser then PUTs the file
to ``/_stcore/upload_file/<session>/<file id>``. The uploader does not stop its PUT when a page
change removes it (``FileUploader.tsx``: its ``AbortController`` is used by ``deleteFile`` only;
the component has no unmount clean-up), so a file whose PUT has begun arrives, and
:func:`ui.data.lost_uploads` names it.

The answer, though, could be lost: when a run starts, the server empties the session's message
queue of everything but lifecycle messages (``AppSession._clear_queue`` on ``SCRIPT_STARTED``,
``ForwardMsgQueue.clear(retain_lifecycle_msgs=True)``), and an answer not yet sent when the page
change's run started went with it. The browser then waits for it for ever: no PUT, no file, no
trace in the session. With the request and the page change reaching the server together (a
Playwright websocket route holding the request back until the page change), 12 page changes in 22
lost their upload this way; none in 16 with :func:`_clear`.

Three internals of Streamlit 1.67 are replaced or extended here; re-check them on an upgrade:

- ``ForwardMsgQueue.clear`` keeps unsent ``file_urls_response`` messages when it keeps lifecycle
  messages (:func:`_clear`), so the browser always gets its upload address and sends the file.
- The runtime's ``MemoryUploadedFileManager`` becomes an :class:`UploadLedger`, which also
  remembers, per session, each upload address it gave until its file arrives or the session ends.
- ``PathSecurityMiddleware.__call__`` (the first middleware every request passes) notes which
  uploads are being received (:func:`_call`), so that a large file still arriving is not called lost.

An upload asked for more than :data:`UPLOAD_START_S` ago that neither arrived nor is being
received did not finish (the PUT failed or never started): :meth:`UploadLedger.unfinished` names
it, once.
"""

from __future__ import annotations

import functools
import threading
import time

from streamlit import runtime
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.web.server.starlette.starlette_path_security_middleware import PathSecurityMiddleware

__all__ = ["UPLOAD_START_S", "UploadLedger", "keep_uploads"]

# from the address asked to the PUT's first bytes: the answer's way to the browser and the PUT's back,
# a few tenths of a second, seconds on a loaded server
UPLOAD_START_S = 5.0
# (session id, file id) of the PUTs under way, kept on Streamlit's class: a reload of this module (a source
# change while developing) must not forget a PUT that began before it
if not hasattr(PathSecurityMiddleware, "_funnel_receiving"):
    PathSecurityMiddleware._funnel_receiving = (set(), threading.Lock())
_receiving, _receiving_lock = PathSecurityMiddleware._funnel_receiving


class UploadLedger(MemoryUploadedFileManager):
    """Streamlit's upload manager that also remembers the uploads it was asked for until their files arrive.

    :func:`keep_uploads` turns the runtime's manager into one, its files kept.
    """

    def __init__(self, upload_endpoint: str) -> None:
        super().__init__(upload_endpoint)
        self._adopt()

    def _adopt(self) -> None:
        # {session id: {file id: (file name, monotonic time asked)}}
        self.__dict__.setdefault("asked", {})

    def get_upload_urls(self, session_id, file_names):
        infos = super().get_upload_urls(session_id, file_names)
        with self._lock:
            mine = self.asked.setdefault(session_id, {})
            for info, name in zip(infos, file_names, strict=True):
                mine[info.file_id] = (name, time.monotonic())
        return infos

    def add_file(self, session_id, file) -> None:
        super().add_file(session_id, file)
        with self._lock:
            self.asked.get(session_id, {}).pop(file.file_id, None)

    def remove_session_files(self, session_id: str) -> None:
        super().remove_session_files(session_id)  # called when the session shuts down
        with self._lock:
            self.asked.pop(session_id, None)

    def unfinished(self, session_id: str, now: float | None = None) -> list[tuple[str, str]]:
        """(file id, name) of the uploads of ``session_id`` that did not finish; each is given once.

        An upload did not finish when its address was asked for at least :data:`UPLOAD_START_S` before
        ``now`` (the monotonic clock by default), its file has not arrived and no PUT of it is under way.
        """
        now = time.monotonic() if now is None else now
        with _receiving_lock:
            receiving = {file_id for session, file_id in _receiving if session == session_id}
        with self._lock:
            mine = self.asked.get(session_id, {})
            gone = [
                (file_id, name)
                for file_id, (name, at) in mine.items()
                if now - at >= UPLOAD_START_S and file_id not in receiving
            ]
            for file_id, _ in gone:
                del mine[file_id]
        return gone


def _original(method):
    """Streamlit's own ``method``, also when this module is imported again (Streamlit reloads a changed module)."""
    return getattr(method, "__wrapped__", method)


@functools.wraps(_original(ForwardMsgQueue.clear))
def _clear(self: ForwardMsgQueue, retain_lifecycle_msgs: bool = False, fragment_ids_this_run=None) -> None:
    """Streamlit's clear, with the unsent answers to upload requests kept when lifecycle messages are:
    they answer the browser, not the run being replaced."""
    answers = [m for m in self._queue if m.WhichOneof("type") == "file_urls_response"] if retain_lifecycle_msgs else []
    _clear.__wrapped__(self, retain_lifecycle_msgs=retain_lifecycle_msgs, fragment_ids_this_run=fragment_ids_this_run)
    kept = {id(m) for m in self._queue}  # a fragment's run keeps them itself
    self._queue.extend(m for m in answers if id(m) not in kept)


@functools.wraps(_original(PathSecurityMiddleware.__call__))
async def _call(self: PathSecurityMiddleware, scope, receive, send) -> None:
    """Streamlit's first middleware, noting each upload's PUT while it is under way."""
    path = scope.get("path", "") if scope["type"] == "http" and scope.get("method") == "PUT" else ""
    ids = tuple(path[len(self._safe_path_prefix) :].split("/")) if path.startswith(self._safe_path_prefix) else ()
    if len(ids) != 2:
        await _call.__wrapped__(self, scope, receive, send)
        return
    with _receiving_lock:
        _receiving.add(ids)
    try:
        await _call.__wrapped__(self, scope, receive, send)
    finally:
        with _receiving_lock:
            _receiving.discard(ids)


def keep_uploads() -> UploadLedger | None:
    """Deliver every upload address and remember the uploads asked for (see the module's docstring).

    Idempotent: the app calls it on every run. Returns the server's ledger; None without a server
    (AppTest, bare mode) or with another upload manager than Streamlit's in-memory one.
    """
    ForwardMsgQueue.clear = _clear
    PathSecurityMiddleware.__call__ = _call
    manager = runtime.get_instance().uploaded_file_mgr if runtime.exists() else None
    # Streamlit's own class, or this module's from before a reload
    if type(manager) is MemoryUploadedFileManager or type(manager).__name__ == UploadLedger.__name__:
        UploadLedger._adopt(manager)  # its records first: a request may come in at any moment
        manager.__class__ = UploadLedger  # the same object: the sessions and the upload route hold it
    return manager if isinstance(manager, UploadLedger) else None
