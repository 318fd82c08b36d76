"""The app's formats through AppTest: one currency on every page, chosen once, saved with the scenario."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from funnel_model.i18n import t
from tests.pages.apptest import APP, assert_clean, open_page
from tests.pages.test_report_page import go, saved  # noqa: F401 (a fixture)

FORECAST, COMPENSATION, CLIENTS, REPORT = (
    "pages/forecast.py",
    "pages/compensation.py",
    "pages/clients.py",
    "pages/report.py",
)


def texts(at) -> list[str]:
    return [e.value for e in (*at.markdown, *at.caption)] + [m.value for m in at.metric]


def opened(page: str, currency: str | None = None) -> AppTest:
    """``page`` in Russian, the session's currency set beforehand as the selectbox would set it.

    (AppTest cannot rerun a Russian page whose selectboxes translate their options, so no widget is changed here.)
    """
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "ru"
    if currency is not None:
        at.session_state["currency"] = currency
    at.run()
    return go(at, page)


def test_a_russian_export_is_in_rubles_by_default():
    at = opened(FORECAST)
    assert at.selectbox(key="currency").value == "₽"
    amounts = {t(f"period.tile.{k}", "ru") for k in ("mean", "p10", "p90")}
    tiles = [m.value for m in at.metric if m.label in amounts]
    assert len(tiles) == 3 and all(v.endswith(" ₽") for v in tiles), tiles


def test_the_currency_chosen_is_the_one_on_every_page():
    at = opened(FORECAST, "$")
    assert at.selectbox(key="currency").value == "$"  # the one setting, not a second one
    amounts = {t(f"period.tile.{k}", "ru") for k in ("mean", "p10", "p90")}
    tiles = [m.value for m in at.metric if m.label in amounts]
    assert len(tiles) == 3 and all(v.endswith(" $") for v in tiles), tiles
    at = opened(COMPENSATION, "$")
    pay = [m.value for m in at.metric if m.label.startswith(t("compensation.total_pay", "ru"))]
    assert pay and all(v.endswith(" $") for v in pay), pay
    at = opened(CLIENTS, "$")
    assert any(" $" in text for text in texts(at))
    assert not any(" ₽" in text for text in texts(at))
    at = opened(REPORT, "$")
    assert at.selectbox(key="currency").value == "$"


def test_the_currency_is_saved_with_the_scenario(saved):  # noqa: F811
    at = open_page(REPORT)
    at.selectbox(key="currency").set_value("€").run()
    assert_clean(at)
    assert json.loads(saved["scenario.json"])["extras"]["currency"] == "€"
