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


def edit(at: AppTest, key: str, edited_rows: dict) -> None:
    """Seed a keyed data editor's edit state, as a user's cell edits would."""
    at.session_state[key] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception


def test_an_unmet_condition_deducts_from_the_bonus_only():
    at = open_page("en")
    before = pay_table(at)
    seller = sorted(rows(before, "Plan A").index)[0]
    edit(at, "compensation.conditions", {0: {"Timely reports": False}})
    after = pay_table(at)
    for plan in ("Plan A", "Plan B"):  # both presets deduct 10 % of the bonus for late reports
        row = rows(after, plan).loc[seller]
        assert row["Penalty"] == pytest.approx(0.10 * row["Variable"])
        assert row["Total"] == pytest.approx(rows(before, plan).loc[seller, "Total"] - row["Penalty"])
        assert row["Fixed"] == rows(before, plan).loc[seller, "Fixed"]
        others = rows(after, plan).drop(index=seller)
        assert (others["Penalty"] == 0).all()


def test_a_higher_accelerator_pays_more_above_the_plan_only():
    at = open_page("en")
    before = rows(pay_table(at), "Plan A")
    edit(at, "compensation.a.tiers", {1: {"rate": 3.0}})  # 100-130 %: ×3 instead of ×1.5
    after = rows(pay_table(at), "Plan A")
    bonus = 60_000
    for seller, row in before.iterrows():
        a = row["Attainment"]
        extra = bonus * 1.5 * (min(a, 1.3) - 1.0) if a > 1.0 else 0.0
        assert after.loc[seller, "Plan bonus"] == pytest.approx(row["Plan bonus"] + extra), seller
    assert at.session_state["compensation.plan_a"].variable.tiers[1].rate == 3.0


def test_a_seller_target_sets_the_attainment():
    at = open_page("en")
    seller = sorted(rows(pay_table(at), "Plan A").index)[0]
    edit(at, "compensation.targets", {0: {"target": 2_000_000.0}})
    row = rows(pay_table(at), "Plan A").loc[seller]
    assert row["Target"] == 2_000_000
    assert row["Attainment"] == pytest.approx(row["Won revenue"] / 2_000_000)


def test_a_harsh_deduction_warns_naming_the_seller():
    at = open_page("en")
    seller = sorted(rows(pay_table(at), "Plan A").index)[0]
    edit(at, "compensation.a.conditions", {0: {"value": 100.0}})  # late reports cost the whole bonus
    edit(at, "compensation.conditions", {0: {"Timely reports": False}})
    texts = [w.value for w in at.warning]
    assert any(f"Plan «A», {seller}:" in t and "art. 135" in t for t in texts), texts
    assert any("the worst case" in t for t in texts), texts
    row = rows(pay_table(at), "Plan A").loc[seller]
    assert row["Penalty"] == pytest.approx(row["Variable"]) and row["Total"] == row["Fixed"]


def test_a_saved_plan_loads_back_and_a_broken_file_is_explained():
    from funnel_model.compensation import preset

    at = open_page("en")
    at.file_uploader(key="compensation.a.upload").set_value(
        ("plan.json", preset("cliff").to_json().encode("utf-8"), "application/json")
    ).run()
    assert not at.exception
    assert at.number_input(key="compensation.a.base").value == 40_000
    assert at.radio(key="compensation.a.mode").value == "retroactive"
    assert (rows(pay_table(at), "Plan A")["Fixed"] == 40_000).all()
    at.file_uploader(key="compensation.b.upload").set_value(("bad.json", b"{oops", "application/json")).run()
    assert not at.exception
    assert any("cannot be read" in e.value for e in at.error)
    assert len(pay_table(at)) > 0  # the rest of the page still works


def test_products_chosen_by_name_count_as_new_services():
    import pandas as pd

    from funnel_model import read_deals

    at = open_page("en")
    product = "Лицензии 1С"  # a demo product without the «новинка» marker
    before = rows(pay_table(at), "Plan A")
    at.multiselect(key="compensation.a.new_products").select(product).run()
    assert not at.exception
    after = rows(pay_table(at), "Plan A")
    first, last = at.select_slider(key="compensation.period").value
    deals = read_deals(ROOT / "data" / "demo_deals.csv").deals
    start, end = pd.Period(first, "M").start_time, (pd.Period(last, "M") + 1).start_time
    won = deals[
        (deals["status"] == "won")
        & (deals["product"] == product)
        & (deals["closed_at"] >= start)
        & (deals["closed_at"] < end)
    ]
    extra = won.groupby("owner")["amount"].sum().reindex(before.index, fill_value=0.0)
    assert extra.sum() > 0
    assert after["New-service revenue"].to_numpy() == pytest.approx((before["New-service revenue"] + extra).to_numpy())
    # the 50/50 preset pays 2 % on new services
    assert (after["New-service bonus"] - before["New-service bonus"]).to_numpy() == pytest.approx(
        0.02 * extra.to_numpy()
    )
