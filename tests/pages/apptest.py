"""Open a page of the app in AppTest the way a user reaches it: app.py first, then the page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")  # AppTest resolves relative paths against the calling test file


def assert_clean(at: AppTest) -> None:
    """No exception and no error message on the page."""
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def open_page(page: str, lang: str = "en") -> AppTest:
    """Run app.py in ``lang``, switch to ``page`` (e.g. "pages/funnels.py") and check it rendered cleanly."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(page)
    at.run()
    assert_clean(at)
    return at


def type_money(at: AppTest, key: str, amount: float | str) -> AppTest:
    """Type ``amount`` into the money input kept under ``key`` (ui.formats.money_input) and rerun."""
    text = amount if isinstance(amount, str) else f"{amount:.2f}"
    at.text_input(key=f"{key}.text").input(text).run()
    return at
