"""The Compensation page through Streamlit's AppTest, on the demo data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from funnel_model.compensation import CompensationPlan
from funnel_model.formatting import money, percent
from tests.conftest import ROOT
from tests.pages import apptest

PAGE = "pages/compensation.py"


def open_page(lang: str = "en") -> AppTest:
    return apptest.open_page(PAGE, lang)


def pay_table(at: AppTest, columns=("Plan", "Seller", "Target", "Total")):
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError("no pay table on the page")


def displayed(at: AppTest, column: str):
    """The cells as the grid shows them (the Styler's display values) of the table with ``column``."""
    import pyarrow as pa

    for frame in at.dataframe:
        if column in frame.value.columns:
            values = pa.ipc.open_stream(frame.proto.arrow_data.styler.display_values).read_pandas()
            values.columns = frame.value.columns
            return values
    raise AssertionError(f"no table with {column}")


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
    assert metrics["Total pay · A"] == money(a["Total"].sum(), "en", "₽")  # the demo is in rubles
    revenue = a["Won revenue"].sum()
    assert metrics["Cost of sales · B"] == percent(b["Total"].sum() / revenue, "en")
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
    apptest.type_money(at, "compensation.a.base", 70_000.0)
    apptest.type_money(at, "compensation.a.target_bonus", 120_000.0)
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
    assert at.session_state["compensation.b.base"] == 40_000
    assert (rows(pay_table(at), "Plan B")["Fixed"] == 40_000).all()
    assert not any("144-FZ" in w.value for w in at.warning)
    at.checkbox(key="compensation.a.from_base").check().run()
    texts = [w.value for w in at.warning]
    assert any("144-FZ" in t and "art. 192" in t and "base salary" in t for t in texts), texts


def test_russian_renders_with_russian_numbers():
    at = open_page("ru")
    assert at.title[0].value == "Мотивация"
    df = pay_table(at, ("План", "Продавец", "План продаж", "Итого"))
    assert set(df["План"]) == {"План A", "План B"}
    labels = [el.proto.label for el in at.get("download_button")]
    assert "Скачать таблицу выплат (XLSX)" in labels
    a, b = (df[df["План"] == f"План {x}"] for x in "AB")
    metrics = {m.label: m for m in at.metric}
    total = metrics["Фонд оплаты · A"].value
    assert total == money(a["Итого"].sum(), "ru", "₽") and "\u202f" in total and "," not in total
    revenue = a["Выручка"].sum()
    share_a, share_b = a["Итого"].sum() / revenue, b["Итого"].sum() / revenue
    cost = metrics["Стоимость продаж · B"]
    assert cost.value == percent(share_b, "ru") and "," in cost.value  # decimal comma: «12,3 %»
    points = f"{abs(100 * (share_b - share_a)):.1f}".replace(".", ",")
    sign = "+" if share_b >= share_a else "-"
    assert cost.proto.delta == f"{sign}{points} п. п."  # a translated unit, not " pp"
    # the table's cells are numbers; the grid shows them as funnel_model.formatting writes them
    shown = displayed(at, "Итого")
    assert shown["Итого"].tolist() == [money(x, "ru", "₽") for x in df["Итого"]]
    assert shown["Выполнение"].iloc[0] == percent(df["Выполнение"].iloc[0], "ru")


def test_the_pay_table_download_keeps_numbers_as_numbers(made):
    import io

    at = open_page("ru")
    saved = made  # written when the button is clicked
    df = pay_table(at, ("План", "Продавец", "План продаж", "Итого"))
    # the Russian CSV is what a Russian Excel opens: «;» between fields, decimal comma
    csv = pd.read_csv(io.BytesIO(saved["pay.csv"]), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(csv.columns) == list(df.columns)
    for column in ("Итого", "Выполнение", "План продаж"):  # not «1 234 567» or «25,3 %» text
        assert pd.api.types.is_float_dtype(csv[column]), column
        assert csv[column].to_numpy() == pytest.approx(df[column].to_numpy())
    xlsx = pd.read_excel(io.BytesIO(saved["pay.xlsx"]), sheet_name="pay")
    assert xlsx["Итого"].to_numpy() == pytest.approx(df["Итого"].to_numpy())


def test_plan_edits_survive_a_visit_to_another_page():
    at = open_page("en")
    apptest.type_money(at, "compensation.a.base", 65_000.0)
    at.switch_page("pages/rejection.py")
    at.run()
    assert not at.exception
    assert at.session_state["compensation.plan_a"].fixed.base == 65_000  # what the rejection page reads
    at.switch_page(PAGE)
    at.run()
    assert at.session_state["compensation.a.base"] == 65_000
    assert (rows(pay_table(at), "Plan A")["Fixed"] == 65_000).all()


def test_a_three_month_period_pays_three_bases():
    at = open_page("en")
    options = at.selectbox(key="compensation.period_from").options
    at.selectbox(key="compensation.period_from").set_value(options[-3]).run()
    at.selectbox(key="compensation.period_to").set_value(options[-1]).run()
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
    assert any(f"Plan “A”, {seller}:" in t and "art. 135" in t for t in texts), texts
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
    assert at.session_state["compensation.a.base"] == 40_000
    assert at.radio(key="compensation.a.mode").value == "retroactive"
    assert (rows(pay_table(at), "Plan A")["Fixed"] == 40_000).all()
    at.file_uploader(key="compensation.b.upload").set_value(("bad.json", b"{oops", "application/json")).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors == [
        "The compensation plan file is not valid JSON (line 1, column 2). Save the plan again from the Compensation "
        "page, or fix the file there. Technical detail: Expecting property name enclosed in double quotes"
    ]
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
    first = at.selectbox(key="compensation.period_from").value
    last = at.selectbox(key="compensation.period_to").value
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


# --------------------------------------------------------------------------- the pay forecast's probabilities


def _open_deals_next_period():
    """The demo's open deals, their stage probabilities, and the page's per-period chances for given probabilities.

    The forecast counts each open deal with its chance of being won within the next pay period, as the Forecast
    page's plan for that period counts it (history timing unless its expected-date setting is on).
    """
    from funnel_model import read_deals
    from funnel_model.compensation import next_period
    from funnel_model.config import FunnelConfig
    from funnel_model.forecast_views import prepare_forecast
    from funnel_model.period import Period, period_win_probabilities

    deals = read_deals(ROOT / "data" / "demo_deals.csv").deals
    config = FunnelConfig.from_json((ROOT / "data" / "demo_config.json").read_text(encoding="utf-8"))
    start, end = next_period(deals, 1)
    inputs = prepare_forecast(deals, config)
    kept = deals[deals["status"] == "open"]
    table = config.stage_table()
    by_stage = table[table["kind"] == "open"].set_index(["funnel", "stage"])["probability"]
    stage_p = by_stage.reindex(pd.MultiIndex.from_frame(kept[["funnel", "stage"]].astype(object))).to_numpy()
    period = Period(start, end - pd.Timedelta(days=1))

    def within(p):
        return period_win_probabilities(inputs, deals, p, period).to_numpy()

    return kept, stage_p, within


def forecast_table(at: AppTest, plan: str = "Plan A"):
    for frame in at.dataframe:
        if "Revenue P50" in frame.value.columns:
            df = frame.value
            return df[df["Plan"] == plan].set_index("Seller")
    raise AssertionError("no forecast table")


def test_the_pay_forecast_uses_stage_rates_unless_sellers_estimates_are_ticked():
    from funnel_model.forecast import revenue_distribution

    at = open_page("en")
    kept, stage_p, within = _open_deals_next_period()
    igor = "Игорь Волков"  # stated 0.70 on average, 0.50 by the stage config
    mine = (kept["owner"] == igor).to_numpy()
    amounts = kept["amount"].fillna(0.0).to_numpy()[mine]
    by_stage = revenue_distribution(amounts, within(stage_p)[mine]).quantile(0.5)
    own_p = kept["probability"].to_numpy()
    by_own = revenue_distribution(amounts, within(np.where(np.isnan(own_p), stage_p, own_p))[mine]).quantile(0.5)
    assert by_own > 1.2 * by_stage
    assert forecast_table(at).loc[igor, "Revenue P50"] == pytest.approx(by_stage)
    assert not at.checkbox(key="compensation.own").value
    at.checkbox(key="compensation.own").check().run()
    assert not at.exception
    assert forecast_table(at).loc[igor, "Revenue P50"] == pytest.approx(by_own)
    assert any("seller's own estimate" in c.value for c in at.caption)


def test_the_what_if_option_appears_after_the_forecast_page_and_applies_its_sliders():
    from funnel_model.forecast import revenue_distribution

    at = open_page("en")
    assert "compensation.whatif" not in [c.key for c in at.checkbox]  # the Forecast page not visited yet
    before = forecast_table(at)
    at.switch_page("pages/forecast.py")
    at.run()
    for slider in at.slider:
        if slider.key and slider.key.startswith("forecast.p."):
            slider.set_value(100)  # every open deal certain
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert forecast_table(at)["Revenue P50"].equals(before["Revenue P50"])  # offered, not imposed
    at.checkbox(key="compensation.whatif").check().run()
    assert not at.exception
    kept, _, within = _open_deals_next_period()
    q = within(np.ones(len(kept)))  # every open deal certain: won in the period with its timing share
    owner = kept["owner"].to_numpy()
    amounts = kept["amount"].fillna(0.0).to_numpy()
    certain = [revenue_distribution(amounts[owner == s], q[owner == s]).quantile(0.5) for s in before.index]
    assert forecast_table(at)["Revenue P50"].to_numpy() == pytest.approx(certain)
    assert any("what-if stage probabilities set on the Forecast & plan page" in c.value for c in at.caption)


def test_share_deductions_above_the_whole_bonus_are_refused_with_the_fix():
    at = open_page("en")
    edit(at, "compensation.a.conditions", {0: {"value": 80.0}, 1: {"kind": "bonus_share", "value": 80.0}})
    errors = [e.value for e in at.error]
    assert errors == [
        "Plan “A”: the deductions set as a share of the bonus add up to 160 %, more than the whole bonus. "
        "Lower them so that together they take at most 100 %."
    ]


# --------------------------------------------------------------------------- uploads: Bitrix24, no won deals

BITRIX_HEADER = [
    "ID",
    "Название",
    "Стадия сделки",
    "Сумма",
    "Ответственный",
    "Дата создания",
    "Предполагаемая дата закрытия",
]
BITRIX_ROWS = [
    ["1", "Поставка", "Сделка успешна", "100000", "Иванов", "03.03.2025 10:00:00", "20.03.2025"],
    ["2", "Сервис", "Сделка успешна", "250000", "Петров", "05.03.2025 11:00:00", ""],  # dated by creation
    ["3", "Монтаж", "Сделка провалена", "50000", "Петров", "06.03.2025 09:00:00", "25.03.2025"],
    ["4", "Аудит", "Подготовка документов", "70000", "Иванов", "07.03.2025 12:00:00", "30.03.2025"],
    ["5", "Лицензии", "Сделка успешна", "30000", "Петров", "", ""],  # no date at all: left out, counted
]


def bitrix_csv(rows) -> bytes:
    """A Bitrix24 deals export: UTF-8 with a BOM, every cell quoted, «;»-separated, no close-date column."""
    lines = [";".join(f'"{cell}"' for cell in row) for row in [BITRIX_HEADER, *rows]]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def open_with_upload(content: bytes, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.file_uploader(key="data.upload").upload("bitrix.csv", content, "text/csv").run()
    assert not at.exception, at.exception
    assert at.session_state["source"] == "upload"
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def test_a_bitrix_export_without_close_dates_is_paid_by_expected_then_creation_dates():
    at = open_with_upload(bitrix_csv(BITRIX_ROWS))
    df = pay_table(at)
    a = rows(df, "Plan A")
    assert a["Won revenue"].to_dict() == {"Иванов": 100_000.0, "Петров": 250_000.0}
    assert (a["Fixed"] == 60_000).all()
    assert (a["Total"] == a["Fixed"] + a["Variable"] - a["Penalty"]).all()
    infos = [i.value for i in at.info]
    assert not any("no period can be chosen" in text for text in infos), infos
    note = next(text for text in infos if "dated by" in text)
    assert "Won deals without a “Closed” date, dated by “Expected close”: 1." in note
    assert "Won deals without a “Closed” or “Expected close” date, dated by “Created”: 1." in note
    assert "Won deals with no “Closed”, “Expected close” or “Created” date, left out of pay: 1." in note
    # one month of data: the period as text, no collapsed slider
    assert "compensation.period_from" not in [s.key for s in at.selectbox]
    assert "Period: 2025-03 (the only month in the data)." in [m.value for m in at.markdown]
    assert any(c.value.startswith("Months: 1, 1 Mar 2025 – 31 Mar 2025.") for c in at.caption)
    # nobody sold before March: every target is the placeholder, and the caption says so
    assert (a["Target"] == 1_000_000).all()
    captions = [c.value for c in at.caption]
    assert any(
        "No seller has won revenue in the 12 months before the period" in c and "1\u202f000\u202f000" in c
        for c in captions
    ), captions


def test_a_bitrix_export_in_russian_counts_the_substitute_dates():
    at = open_with_upload(bitrix_csv(BITRIX_ROWS), lang="ru")
    note = next(i.value for i in at.info if "датированных" in i.value)
    assert "Выигранных сделок без поля «Дата закрытия», датированных по полю «Плановая дата закрытия»: 1." in note
    assert "Период: 2025-03 (единственный месяц в данных)." in [m.value for m in at.markdown]
    assert any("01.03.2025 – 31.03.2025" in c.value for c in at.caption)  # ДД.ММ.ГГГГ in Russian


def test_an_export_without_won_deals_pays_the_base_and_says_why():
    lost = [[*row[:2], "Сделка провалена" if row[2] == "Сделка успешна" else row[2], *row[3:]] for row in BITRIX_ROWS]
    at = open_with_upload(bitrix_csv(lost))
    infos = [i.value for i in at.info]
    assert any(text.startswith("The data has no won deals, so pay from actuals is the base alone") for text in infos)
    assert not any("close date" in text.lower() and "map" in text.lower() for text in infos), infos
    df = pay_table(at)
    for plan, base in (("Plan A", 60_000), ("Plan B", 100_000)):
        part = rows(df, plan)
        assert sorted(part.index) == ["Иванов", "Петров"]
        assert (part["Won revenue"] == 0).all() and (part["Variable"] == 0).all()
        assert (part["Total"] == base).all()
    # the rest of the page is still there: targets, pay curves and the forecast of the open deal
    assert len(at.session_state["compensation.targets:saved"]) == 2
    assert at.session_state["compensation.plan_a"].fixed.base == 60_000
    assert forecast_table(at).loc["Иванов", "Revenue P50"] >= 0


def test_one_month_period_names_it_once_per_picker(english):
    """From and to are two pickers: the default one-month period never reads "2026-10 2026-10" on one control."""
    first, last = english.selectbox(key="compensation.period_from"), english.selectbox(key="compensation.period_to")
    assert first.value == last.value == "2026-10"
    assert first.options[-1] == "Oct 2026" and last.options == ["Oct 2026"]  # the last month never before the first


def test_the_period_caption_counts_months_without_plural_guesswork(english):
    assert any(c.value.startswith("Months: 1, ") for c in english.caption)


def test_russian_selectboxes_are_set_like_english_ones():
    """A preset and the pay period picked on the Russian page (their options are shown translated)."""
    from funnel_model.compensation import preset

    at = open_page("ru")
    at.selectbox(key="compensation.a.preset").set_value("cliff").run()
    apptest.assert_clean(at)
    assert at.session_state["compensation.a.base"] == preset("cliff", "ru").fixed.base
    chosen, cliff = at.session_state["compensation.plan_a"].variable, preset("cliff", "ru").variable
    assert (chosen.basis, chosen.target_bonus, chosen.threshold) == (cliff.basis, cliff.target_bonus, cliff.threshold)
    months = at.selectbox(key="compensation.period_from").options  # as shown: «01.2025»
    assert months[0] == "01.2025"
    at.selectbox(key="compensation.period_from").select_index(0).run()
    apptest.assert_clean(at)
    assert at.session_state["compensation.period_from"] == "2025-01"
    table = pay_table(at, ("План", "Продавец", "План продаж", "Итого"))
    assert len(table) > 0
