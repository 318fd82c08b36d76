"""Every page with a hostile export: no exception, and the user's text never renders as live Markdown."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Element

from tests.hostile import FILE_NAME, LINK, hostile_deals_csv, live_markdown
from tests.pages.apptest import APP

PAGES = (
    "pages/data.py",
    "pages/funnels.py",
    "pages/clients.py",
    "pages/forecast.py",
    "pages/compensation.py",
    "pages/rejection.py",
    "pages/report.py",
)
# proto fields the browser renders as Markdown
MARKDOWN_FIELDS = ("body", "label", "help", "caption", "placeholder")


def shown_markdown(node) -> list[str]:
    """Every text of the element tree under ``node`` that the browser renders as Markdown."""
    texts = []
    if isinstance(node, Block):
        label = getattr(node, "label", None)  # expanders, tabs, popovers
        if isinstance(label, str):
            texts.append(label)
        for child in node.children.values():
            texts += shown_markdown(child)
        return texts
    if isinstance(node, Element):
        proto = node.proto
        if type(node).__name__ == "Html" or getattr(proto, "allow_html", False):  # the app's own CSS only
            assert "evil" not in proto.body, proto.body
            return texts
        for field in MARKDOWN_FIELDS:
            value = getattr(proto, field, None)
            if isinstance(value, str):
                texts.append(value)
        if type(node).__name__ in ("Radio", "ButtonGroup"):  # their options render Markdown too
            texts += [getattr(o, "content", o) for o in proto.options]
    return texts


def hostile_upload(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["lang"] = lang
    at.run()
    at.file_uploader(key="data.upload").upload(FILE_NAME, hostile_deals_csv(), "text/csv").run()
    assert not at.exception, at.exception
    assert at.session_state["source"] == "upload"
    return at


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_page_shows_hostile_names_as_text(lang):
    at = hostile_upload(lang)
    seen = set()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])  # ui.guard turns a crash into an error
        texts = shown_markdown(at._tree)
        live = {text[:120]: live_markdown(text) for text in texts if live_markdown(text)}
        assert not live, (page, live)
        seen.update(texts)
    # the names were shown, escaped, not left out: the link stage is a slider label on the forecast page
    assert any(r"\[Verify your account\]\(http\://evil.example\)" in text for text in seen)
    assert LINK not in "".join(seen)


def test_rows_repaired_counts_rows_not_cells():
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    text = "deal_id,stage,amount,created_at\n1,Talks,abc,someday\n2,Talks,100,2024-01-02\n"
    at.file_uploader(key="data.upload").upload("two.csv", text.encode(), "text/csv").run()
    shown = {m.label: m.value for m in at.metric}
    assert shown["Rows repaired"] == "1"  # one row, two repaired cells
    assert len(at.session_state["_dataset_memo"][1].problems) == 2


def test_an_upload_whose_reading_a_page_change_interrupted_is_taken_on_the_next_page():
    # the uploader's callback stashes the file first; a page change may stop it before the file is read
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["data.stash"] = {"data.upload": ("late.csv", b"deal_id,stage\n1,Talks\n2,Won\n3,Lost\n")}
    at.run()
    at.switch_page("pages/funnels.py").run()
    assert not at.exception, at.exception
    assert at.session_state["source"] == "upload"
    assert "3 deals · late.csv" in [c.value for c in at.sidebar.caption]
    assert not at.session_state["data.stash"]
