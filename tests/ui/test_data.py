"""ui.data: an uploaded deal file with its stage history is prepared once, its funnel config from both files."""

from __future__ import annotations

import hashlib

from streamlit.testing.v1 import AppTest

from tests.pages import apptest
from tests.pages.conftest import _apptest_runs_app_py_every_time  # noqa: F401  (every run executes app.py)
from ui import data

# Alpha → Beta → Gamma; the deal file shows Alpha only as the loss stage of two lost deals
DEALS = b"""deal_id,funnel,stage,status,lost_stage,amount,owner,created_at,closed_at
d1,F,Beta,open,,100,Ann,2024-03-01,
d2,F,Gamma,open,,200,Ann,2024-01-01,
d3,F,Lost,lost,Alpha,300,Bob,2024-02-01,2024-02-10
d4,F,Lost,lost,Alpha,400,Bob,2024-02-02,2024-02-12
d5,F,Won,won,,500,Ann,2024-01-05,2024-02-20
d6,F,Beta,open,,600,Bob,2024-03-05,
"""
HISTORY = b"""deal_id,stage,entered_at
d1,Alpha,2024-03-01
d1,Beta,2024-03-02
d2,Alpha,2024-01-01
d2,Beta,2024-01-10
d2,Gamma,2024-01-20
d3,Alpha,2024-02-01
d4,Alpha,2024-02-02
d5,Alpha,2024-01-05
d5,Beta,2024-01-06
d5,Gamma,2024-01-07
d6,Alpha,2024-03-05
d6,Beta,2024-03-06
"""


def _upload(at: AppTest, key: str, name: str, payload: bytes) -> None:
    at.session_state[key] = {"name": name, "data": payload, "digest": hashlib.sha256(payload).hexdigest()}


def test_config_of_an_upload_with_history_orders_stages_by_the_history():
    at = AppTest.from_file(apptest.APP, default_timeout=120)
    at.session_state["lang"] = "en"
    _upload(at, data.UPLOAD_KEY, "deals.csv", DEALS)
    _upload(at, data.HISTORY_UPLOAD_KEY, "history.csv", HISTORY)
    at.session_state[data.SOURCE_KEY] = "upload"
    at.run()
    at.switch_page("pages/funnels.py").run()
    apptest.assert_clean(at)
    rates = next(f.value for f in at.dataframe if list(f.value.columns)[:3] == ["Funnel", "Stage", "Won"])
    # the deals alone would put Alpha second (after Beta); the history shows every deal entering it first
    assert rates["Stage"].tolist() == ["Alpha", "Beta", "Gamma"]
    # Alpha reached by all 6 deals; the two lost there count as its only losses
    assert rates["Won"].tolist() == [1, 1, 1] and rates["Lost"].tolist() == [2, 0, 0]


def test_a_view_of_the_demo_is_built_once_for_sessions_arriving_together():
    import threading
    import time

    from ui import data

    built, got = [], []

    def build():
        built.append(1)
        time.sleep(0.2)  # every session arrives while the first builds
        return object()

    threads = [
        threading.Thread(target=lambda: got.append(data._shared_memo("test.view", ("demo", 1), build)))
        for _ in range(5)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1 and len({id(v) for v in got}) == 1 and len(got) == 5
    assert data._shared_memo("test.view", ("demo", 2), object) is not got[0]  # other settings: another view


def test_sessions_on_the_demo_share_its_prepared_dataset():
    from tests.pages.apptest import open_page

    one, two = open_page("pages/forecast.py"), open_page("pages/forecast.py", lang="ru")
    assert one.session_state["_prepared_memo"][1] is two.session_state["_prepared_memo"][1]


def _memo_page():
    import streamlit as st

    from ui import data

    calls = st.session_state.setdefault("calls", [])
    key = st.session_state["key"]
    st.session_state["value"] = data.session_memo("t", key, lambda: calls.append(key) or f"v{key}", keep=2)


def test_session_memo_builds_once_per_key_and_keeps_the_last_ones():
    from ui import data

    at = AppTest.from_function(_memo_page)
    # a client's data: the demo's views are shared between sessions instead
    at.session_state[data.SOURCE_KEY], at.session_state[data.UPLOAD_KEY] = "upload", ("deals.csv", b"")
    for key in (1, 1, 2, 1, 3, 2, 1):
        at.session_state["key"] = key
        at.run()
        assert not at.exception
        assert at.session_state["value"] == f"v{key}"
    # 1 and 2 both kept; 3 pushed out 2 (1 was used after 2), so 2 and then 1 are built again
    assert at.session_state["calls"] == [1, 2, 3, 2, 1]


def test_content_key_is_equal_for_equal_content_and_differs_for_any_change():
    import numpy as np
    import pandas as pd

    def frame(first: int = 0) -> pd.DataFrame:
        """Three rows; ``first`` rows more at the top."""
        rows = pd.DataFrame(
            {
                "seller": ["Анна", None, "Bob"],
                "amount": [1.5, np.nan, 3.0],
                "deals": [1, 2, 3],
                "won": [True, False, True],
                "day": pd.to_datetime(["2024-01-01", None, "2024-03-01"]),
                "zoned": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]).tz_localize("Europe/Moscow"),
                "kind": pd.Categorical(["a", "b", "a"]),
                "note": pd.Series(["x", 1, None], dtype=object),
            }
        )
        if not first:
            return rows
        # built in one go, as a page's table is: its Arrow columns are one buffer each, not a concatenation
        return pd.DataFrame({c: [*rows[c].iloc[:1]] * first + [*rows[c]] for c in rows}).astype(rows.dtypes)

    base = data.content_key(frame())
    assert data.content_key(frame()) == base  # another object, the same content
    # the same rows as a slice of a longer table (Arrow data at an offset, numpy views)
    assert data.content_key(frame(first=2).iloc[2:]) == data.content_key(frame().set_axis(pd.RangeIndex(2, 5)))
    assert data.content_key(frame()[frame()["deals"] > 0]) == base  # no missing value: with or without a mask
    assert data.content_key(pd.concat([frame().iloc[:1], frame().iloc[1:]], ignore_index=True)) == base  # chunks

    def changed(column: str, values) -> str:
        f = frame()
        f[column] = values
        return data.content_key(f)

    utc = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]).tz_localize("UTC")
    keys = [
        changed("seller", ["Анна", "", "Bob"]),  # a missing text is not an empty one
        changed("seller", ["Анна", None, "Bib"]),
        changed("amount", [1.5, 0.0, 3.0]),
        changed("deals", [1, 2, 4]),
        changed("won", [True, True, True]),
        changed("day", pd.to_datetime(["2024-01-01", "2024-01-02", "2024-03-01"])),
        changed("zoned", utc),  # the same wall times in another zone
        changed("kind", pd.Categorical(["a", "b", "b"])),
        changed("note", pd.Series(["x", 2, None], dtype=object)),
        data.content_key(frame().rename(columns={"deals": "Deals"})),
        data.content_key(frame().set_axis([0, 1, 5])),  # another index
        data.content_key(frame().astype({"deals": "float64"})),  # another dtype, equal numbers
    ]
    assert base not in keys
    assert len(set(keys)) == len(keys)
    # lists of plain values: their types and order count
    lists = [["a", "b"], ["b", "a"], ("a", "b"), [1, 2], ["1", "2"], [1.0, 2], [True, 2], [None, 2], [["a", "b"]]]
    assert len({data.content_key(v) for v in lists}) == len(lists)
    assert data.content_key(["color: red", ""]) == data.content_key(["color: red", ""])
    # a Series and a frame of one column are not the same thing either
    assert data.content_key(frame()["amount"]) != data.content_key(frame()[["amount"]])


def test_an_uploader_whose_file_the_server_let_go_holds_nothing(monkeypatch):
    # a file named and let go by lost_uploads: Streamlit hands the uploader's callback a DeletedFile
    from streamlit.runtime.uploaded_file_manager import DeletedFile, UploadedFileRec
    from streamlit.runtime.uploaded_file_manager import UploadedFile as Uploaded

    kept = Uploaded(UploadedFileRec("f1", "deals.csv", "text/csv", b"deal_id\n1\n"), None)
    monkeypatch.setattr(data.st, "session_state", {"gone": DeletedFile("f0"), "kept": kept})
    assert data.uploaded("gone") is None and data.uploaded("missing") is None
    assert data.uploaded("kept").getvalue() == b"deal_id\n1\n"
