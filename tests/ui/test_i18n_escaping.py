"""``tr`` escapes the user's text in its parameters at the root, once."""

from __future__ import annotations

from funnel_model.errors import DealImportError
from tests.hostile import LINK
from ui import i18n


def test_string_parameters_are_escaped_numbers_and_messages_are_not(monkeypatch):
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    shown = i18n.tr("app.deals_loaded", n=3, source=LINK)
    assert shown == r"3 deals · \[Verify your account\]\(http\://evil.example\)"
    # a translated message passed on as a parameter is not escaped twice
    assert i18n.tr("page.not_built", what=i18n.md(LINK)) == f"This page is not built yet. It will show: {i18n.md(LINK)}"
    assert i18n.tr_text("app.deals_loaded", n=3, source=LINK) == f"3 deals · {LINK}"


def test_error_messages_escape_the_file_values_they_quote(monkeypatch):
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    err = DealImportError("app.deals_loaded", n=1, source=LINK)
    assert "](" not in i18n.error_text(err).replace("\\]\\(", "")
    assert str(err) == f"1 deals · {LINK}"
