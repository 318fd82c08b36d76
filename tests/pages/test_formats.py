"""The app's formats through AppTest: one currency on every page, chosen once, saved with the scenario."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from funnel_model.formatting import number
from funnel_model.i18n import t
from tests.pages.apptest import APP, assert_clean, open_page, type_money
from tests.pages.test_report_page import go, saved  # noqa: F401 (a fixture)

FORECAST, COMPENSATION, CLIENTS, REPORT = (
    "pages/forecast.py",
    "pages/compensation.py",
    "pages/clients.py",
    "pages/report.py",
)


def texts(at) -> list[str]:
    """Captions, markdown and metrics as read: markdown's escapes («\\$» keeps "$" from starting a formula) dropped."""
    return [e.value.replace("\\", "") for e in (*at.markdown, *at.caption)] + [m.value for m in at.metric]


def opened(page: str, currency: str | None = None) -> AppTest:
    """``page`` in Russian, the session's currency set beforehand as the selectbox would set it."""
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
    tiles = [m.value for m in at.metric if m.label in amounts][:3]  # the period's; the rows below share the names
    assert len(tiles) == 3 and all(v.endswith(" ₽") for v in tiles), tiles


def test_the_currency_chosen_is_the_one_on_every_page():
    at = opened(FORECAST, "$")
    assert at.selectbox(key="currency").value == "$"  # the one setting, not a second one
    amounts = {t(f"period.tile.{k}", "ru") for k in ("mean", "p10", "p90")}
    tiles = [m.value for m in at.metric if m.label in amounts][:3]  # the period's; the rows below share the names
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


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
PAGES = ("data", "funnels", "clients", "forecast", "compensation", "rejection", "report")


def shown_strings(node) -> list[str]:
    """Every text a user reads in ``node``'s tree: widget labels and values, captions, table cells as shown."""
    if hasattr(node, "children") and not hasattr(node, "proto"):
        return [s for child in node.children.values() for s in shown_strings(child)]
    out = [s for child in getattr(node, "children", {}).values() for s in shown_strings(child)]
    kind = getattr(node, "type", "")
    if kind in ("date_input", "arrow_vega_lite_chart", "vega_lite_chart"):  # the widget's value, the chart's data
        return [*out, getattr(node, "label", "")]
    if kind == "dataframe":  # the cells as the Styler shows them (dates underneath stay datetimes)
        styler = node.proto.arrow_data.styler
        if styler.display_values:
            shown = pa.ipc.open_stream(styler.display_values).read_pandas()
            out += [str(v) for v in shown.to_numpy().ravel()]
        return out
    proto = getattr(node, "proto", None)
    return out + ([str(proto)] if proto is not None else [])


@pytest.mark.parametrize("page", PAGES)
def test_no_iso_date_on_a_russian_page(page):
    at = opened(f"pages/{page}.py")
    texts = shown_strings(at._tree)
    found = sorted({m for text in texts for m in ISO_DAY.findall(text)})
    assert not found, found
    if page in ("clients", "forecast"):  # pages that write days do so as ДД.ММ.ГГГГ
        assert any(re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", text) for text in texts)


def test_the_plan_is_typed_and_shown_grouped_in_russian():
    at = opened(FORECAST)
    box = at.text_input(key="forecast.plan.text")
    assert box.value == number(at.session_state["forecast.plan"], "ru")  # grouped, not "76000000"
    type_money(at, "forecast.plan", "76 000 000")
    assert_clean(at)
    assert at.session_state["forecast.plan"] == 76_000_000.0
    assert at.text_input(key="forecast.plan.text").value == "76\u202f000\u202f000"
    type_money(at, "forecast.plan", "1.500.000 ₽")
    assert at.session_state["forecast.plan"] == 1_500_000.0


def test_the_plan_is_typed_with_commas_in_english():
    at = open_page(FORECAST)
    type_money(at, "forecast.plan", "76,000,000")
    assert_clean(at)
    assert at.session_state["forecast.plan"] == 76_000_000.0
    assert at.text_input(key="forecast.plan.text").value == number(76e6, "en")


@pytest.mark.parametrize("junk", ["lots", "12.34.5", "-5 000"])
def test_junk_in_a_money_input_is_named_and_the_last_amount_kept(junk):
    at = opened(FORECAST)
    type_money(at, "forecast.plan", "50 000 000")
    tiles = [m.value for m in at.metric]
    type_money(at, "forecast.plan", junk)
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # the user's text is escaped for Markdown
    assert shown == [t("money.bad", "ru", text=junk, last="50\u202f000\u202f000")]
    assert at.session_state["forecast.plan"] == 50_000_000.0
    assert at.text_input(key="forecast.plan.text").value == junk  # the user's text stays to be fixed
    assert [m.value for m in at.metric] == tiles  # the page still shows the last good plan
    type_money(at, "forecast.plan", "60 000 000")
    assert not at.error
    assert at.session_state["forecast.plan"] == 60_000_000.0


def test_money_inputs_of_compensation_and_rejection_read_grouped_amounts():
    at = opened(COMPENSATION)
    assert at.text_input(key="compensation.a.base.text").value == number(at.session_state["compensation.a.base"], "ru")
    type_money(at, "compensation.a.base", "70 000")
    type_money(at, "compensation.a.target_bonus", "120 000")
    type_money(at, "compensation.b.new_client_bonus", "5 000")
    assert_clean(at)
    plan_a, plan_b = at.session_state["compensation.plan_a"], at.session_state["compensation.plan_b"]
    assert (plan_a.fixed.base, plan_a.variable.target_bonus) == (70_000.0, 120_000.0)
    assert plan_b.variable.new_client_bonus == 5_000.0
    at = go(at, "pages/rejection.py")
    type_money(at, "rejection.value", "250 000")
    assert_clean(at)
    assert at.session_state["rejection.value"] == 250_000.0


def test_a_loaded_scenario_shows_its_plan_in_the_box(saved):  # noqa: F811
    at = opened(FORECAST)
    type_money(at, "forecast.plan", "12 345 000")
    go(at, REPORT)
    file = saved["scenario.json"]
    go(at, FORECAST)
    type_money(at, "forecast.plan", "1 000")
    go(at, REPORT)
    at.file_uploader(key="scenario.upload").upload("scenario.json", file, "application/json").run()
    go(at, FORECAST)
    assert at.session_state["forecast.plan"] == 12_345_000.0
    assert at.text_input(key="forecast.plan.text").value == "12\u202f345\u202f000"


def test_the_exports_currency_from_its_amount_cells_is_the_sessions_default():
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "ru"
    at.run()
    go(at, "pages/data.py")
    export = "\n".join(
        [
            "deal_id,stage,status,amount,created_at",
            '1,Proposal,open,"$1,500",2025-01-02',
            '2,Proposal,open,"$2,500",2025-01-03',
        ]
    )
    at.file_uploader(key="data.upload").upload("deals.csv", export.encode(), "text/csv").run()
    assert not at.exception
    amount = next(m.value for m in at.metric if m.label == t("data.metric.amount", "ru"))
    assert amount == "4\u202f000 $"  # in a Russian UI, yet the export's dollars
    at.session_state["currency"] = "€"  # the user's choice wins
    at.run()
    amount = next(m.value for m in at.metric if m.label == t("data.metric.amount", "ru"))
    assert amount == "4\u202f000 €"


@pytest.mark.parametrize("stored", [float("nan"), "lots", None])
def test_a_money_value_no_input_could_make_falls_back_to_its_default(stored):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "ru"
    at.run()
    at.session_state["rejection.value"] = stored
    go(at, "pages/rejection.py")
    # the setting's own default, as a scenario's out-of-range value gets (not a silent zero)
    assert at.session_state["rejection.value"] == 100_000.0
    assert at.text_input(key="rejection.value.text").value == "100\u202f000"
