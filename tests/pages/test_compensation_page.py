"""The Compensation page through Streamlit's AppTest, on the demo data."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from funnel_model.compensation import CompensationPlan
from tests.conftest import ROOT

PAGE = "pages/compensation.py"


def open_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def pay_table(at: AppTest, columns=("Plan", "Seller", "Target", "Total")):
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError("no pay table on the page")


def rows(df, plan: str):
    return df[df["Plan"] == plan].set_index("Seller")


@pytest.fixture(scope="module")
def english():
    return open_page("en")


def test_the_page_shows_a_pay_row_per_seller_and_plan(english):
    at = english
    df = pay_table(at)
    sellers = sorted(at.session_state["compensation.targets:saved"].index)
    assert len(df) == 2 * len(sellers)
    a, b = rows(df, "Plan A"), rows(df, "Plan B")
    assert sorted(a.index) == sellers
    # the presets: 50/50 (base 60 000) and mostly fixed (base 100 000), one month
    assert (a["Fixed"] == 60_000).all() and (b["Fixed"] == 100_000).all()
    # total = fixed + variable − penalty, and nothing is negative
    for part in (a, b):
        assert part["Total"].to_numpy() == pytest.approx(
            (part["Fixed"] + part["Variable"] - part["Penalty"]).to_numpy()
        )
        assert (part["Variable"] >= 0).all()
    # the company metrics add the table up
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total pay · A"] == f"{a['Total'].sum():,.0f}"
    revenue = a["Won revenue"].sum()
    assert metrics["Cost of sales · B"] == f"{b['Total'].sum() / revenue:.1%}"
    # plan A is shared with the rejection-math page
    plan = at.session_state["compensation.plan_a"]
    assert isinstance(plan, CompensationPlan) and plan.fixed.base == 60_000


def test_download_buttons_are_offered(english):
    labels = [el.proto.label for el in english.get("download_button")]
    assert "Download pay table (CSV)" in labels
    assert "Download pay table (XLSX)" in labels


def test_changing_plan_a_changes_the_pay_table_accordingly():
    at = open_page("en")
    before = pay_table(at)
    at.number_input(key="compensation.a.base").set_value(70_000.0).run()
    at.number_input(key="compensation.a.target_bonus").set_value(120_000.0).run()
    assert not at.exception
    after = pay_table(at)
    a0, a1 = rows(before, "Plan A"), rows(after, "Plan A")
    assert (a1["Fixed"] == 70_000).all()
    # plan pay is proportional to the target bonus on a target-bonus basis
    assert a1["Plan bonus"].to_numpy() == pytest.approx(2 * a0["Plan bonus"].to_numpy())
    assert (a1["Total"] - a0["Total"]).to_numpy() == pytest.approx(
        (10_000 + a0["Plan bonus"]).to_numpy()  # conditions all met: no penalty
    )
    # plan B is untouched
    assert rows(after, "Plan B").equals(rows(before, "Plan B"))
    assert at.session_state["compensation.plan_a"].fixed.base == 70_000


def test_a_preset_replaces_the_plan_and_deductions_from_the_base_are_warned():
    at = open_page("en")
    at.selectbox(key="compensation.b.preset").set_value("cliff").run()
    assert not at.exception
    assert at.number_input(key="compensation.b.base").value == 40_000
    assert (rows(pay_table(at), "Plan B")["Fixed"] == 40_000).all()
    assert not any("144-FZ" in w.value for w in at.warning)
    at.checkbox(key="compensation.a.from_base").check().run()
    texts = [w.value for w in at.warning]
    assert any("144-FZ" in t and "art. 192" in t and "base salary" in t for t in texts), texts


def test_russian_renders():
    at = open_page("ru")
    assert at.title[0].value == "Мотивация"
    df = pay_table(at, ("План", "Продавец", "План продаж", "Итого"))
    assert set(df["План"]) == {"План A", "План B"}
    labels = [el.proto.label for el in at.get("download_button")]
    assert "Скачать таблицу выплат (XLSX)" in labels


def test_plan_edits_survive_a_visit_to_another_page():
    at = open_page("en")
    at.number_input(key="compensation.a.base").set_value(65_000.0).run()
    at.switch_page("pages/rejection.py")
    at.run()
    assert not at.exception
    assert at.session_state["compensation.plan_a"].fixed.base == 65_000  # what the rejection page reads
    at.switch_page(PAGE)
    at.run()
    assert at.number_input(key="compensation.a.base").value == 65_000
    assert (rows(pay_table(at), "Plan A")["Fixed"] == 65_000).all()


def test_a_three_month_period_pays_three_bases():
    at = open_page("en")
    options = at.select_slider(key="compensation.period").options
    at.select_slider(key="compensation.period").set_range(options[-3], options[-1]).run()
    assert not at.exception
    df = pay_table(at)
    assert (rows(df, "Plan A")["Fixed"] == 3 * 60_000).all()
    assert (rows(df, "Plan B")["Fixed"] == 3 * 100_000).all()
