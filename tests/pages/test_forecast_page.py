"""The Forecast & plan page through AppTest on the demo data: metrics follow sliders and the plan, both languages."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from funnel_model import derive_segments, leads_needed, read_deals, read_stage_history, revenue_distribution
from funnel_model.config import FunnelConfig, FunnelSpec, StageSpec
from funnel_model.forecast_views import deal_probabilities, prepare_forecast, slider_percent, slider_probabilities
from funnel_model.formatting import number
from funnel_model.i18n import t
from tests.pages import apptest

PAGE = "pages/forecast.py"
ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DATA = ROOT / "data"
GROWTH = "Развитие"  # the demo's retention funnel, the largest share of won revenue


@cache
def demo_inputs():
    """The demo as the app loads it, computed here without the page."""
    deals = read_deals(DATA / "demo_deals.csv").deals
    deals["segment"] = derive_segments(deals)
    config = FunnelConfig.from_json((DATA / "demo_config.json").read_text(encoding="utf-8"))
    return prepare_forecast(deals, config, read_stage_history(DATA / "demo_stage_history.csv"))


def sliders_at(column: str) -> np.ndarray:
    """Stage probabilities of the integer-percent sliders set to ``column``: a slider where "use history"
    or "reset" put it stands for the exact rate (forecast_views.slider_probabilities)."""
    stages = demo_inputs().stages
    return slider_probabilities(stages, slider_percent(stages[column]))


def open_page(lang: str = "en") -> AppTest:
    return apptest.open_page(PAGE, lang)


check = apptest.assert_clean


def stat_tiles(at: AppTest) -> list:
    """The what-if and historical metrics, after the period's four tiles (tested in test_period_page.py)."""
    shown = list(at.metric)
    return shown[4:] if len(shown) == 12 else shown  # no period without dates: only the two rows


STATS = ("mean", "p10", "p90", "p_plan")


def metrics(at: AppTest) -> tuple[dict[str, str], dict[str, str]]:
    """(what-if, historical) metric values by metric (``STATS``); the what-if row comes first."""
    shown = stat_tiles(at)
    half = len(shown) // 2
    assert half == 4, [m.label for m in shown]
    names = {t(f"forecast.{k}", lang): k for k in STATS for lang in ("en", "ru")}
    return {names[m.label]: m.value for m in shown[:half]}, {names[m.label]: m.value for m in shown[half:]}


def amount(text: str) -> float:
    """A shown amount: the demo's figures are in millions ("88.8", "88,8" in Russian)."""
    return float(text.replace("\u202f", "").replace(",", ".")) * 1e6


def percent(text: str) -> float:
    text = text.replace("%", "").replace("<", "").replace(">", "").replace(",", ".").strip()
    return float(text) / 100


def test_english_page_shows_the_demo_forecast_beside_the_historical_rates():
    at = open_page("en")
    assert at.title[0].value == "Forecast & plan"
    whatif, hist = metrics(at)
    assert sum(m.value.endswith("amounts in millions ₽") for m in at.markdown) == 2
    inputs = demo_inputs()
    a = inputs.open_deals["amount"].to_numpy()
    configured = revenue_distribution(a, deal_probabilities(inputs, sliders_at("configured")))
    historical = revenue_distribution(a, deal_probabilities(inputs, inputs.stages["rate"]))
    assert amount(whatif["mean"]) == pytest.approx(configured.mean, rel=0.006)
    assert amount(hist["mean"]) == pytest.approx(historical.mean, rel=0.006)
    plan = at.session_state["forecast.plan"]
    assert percent(hist["p_plan"]) == pytest.approx(historical.prob_at_least(plan), abs=0.0006)
    assert percent(whatif["p_plan"]) == pytest.approx(configured.prob_at_least(plan), abs=0.0006)
    assert amount(hist["p10"]) < amount(hist["mean"]) < amount(hist["p90"])
    # one slider per configured stage, labelled with the historical rate
    stages = inputs.stages
    assert len([s for s in at.slider if s.key.startswith("forecast.p.")]) == len(stages)
    label = at.slider(key=f"forecast.p.{GROWTH}.Согласование").label
    assert "hist." in label and "%" in label
    # the raw counts beside the rate, and the rate inside its own interval
    row = stages.set_index(["funnel", "stage"]).loc[(GROWTH, "Согласование")]
    assert f"won {number(row['won'], 'en')} of {number(row['won'] + row['lost'], 'en')})" in label
    assert row["low"] <= row["rate"] <= row["high"]
    assert at.slider(key=f"forecast.p.{GROWTH}.Согласование").value == round(
        100 * stages.set_index(["funnel", "stage"]).loc[(GROWTH, "Согласование"), "configured"]
    )
    # the method, the bands' why and the close-time estimator: in the "How this is computed" expanders
    how = " ".join(m.value for e in at.expander if e.label == t("period.how", "en") for m in e.markdown)
    assert "wider" in how and "Aalen–Johansen" in how and "lattice" in how.lower()


def test_moving_a_slider_up_raises_p_plan_and_the_plan_moves_it_the_right_way():
    at = open_page("en")
    before, _ = metrics(at)
    key = f"forecast.p.{GROWTH}.Согласование"
    at.slider(key=key).set_value(100).run()
    check(at)
    after, hist = metrics(at)
    assert percent(after["p_plan"]) > percent(before["p_plan"]) + 0.05
    assert amount(after["mean"]) > amount(before["mean"])
    # the historical baseline does not follow the sliders
    assert hist == metrics(open_page("en"))[1]
    # the delta beside each what-if figure points the right way (st.metric reads an ASCII sign)
    at.slider(key=key).set_value(0).run()
    lowered = {m.label: m for m in stat_tiles(at)[:4]}
    assert all(m.delta.startswith("-") for m in lowered.values()), [m.delta for m in lowered.values()]
    at.slider(key=key).set_value(100).run()

    plan = at.session_state["forecast.plan"]
    apptest.type_money(at, "forecast.plan", plan * 1.1)
    check(at)
    higher, _ = metrics(at)
    assert percent(higher["p_plan"]) < percent(after["p_plan"])
    apptest.type_money(at, "forecast.plan", 0.0)
    assert metrics(at)[0]["p_plan"] == "100.0 %"

    at.button(key="forecast.reset").click().run()
    check(at)
    assert at.slider(key=key).value == round(
        100 * demo_inputs().stages.set_index(["funnel", "stage"]).loc[(GROWTH, "Согласование"), "configured"]
    )


def test_own_probabilities_and_historical_button():
    at = open_page("en")
    at.checkbox(key="forecast.own").check().run()
    check(at)
    inputs = demo_inputs()
    a = inputs.open_deals["amount"].to_numpy()
    own = deal_probabilities(inputs, sliders_at("configured"), own=True)
    assert amount(metrics(at)[0]["mean"]) == pytest.approx(float(a @ own), rel=0.006)
    at.checkbox(key="forecast.own").uncheck().run()
    at.button(key="forecast.use_history").click().run()
    check(at)
    whatif, hist = metrics(at)
    # the what-if now sits on the (rounded) historical rates, so it matches the baseline
    assert amount(whatif["mean"]) == pytest.approx(float(a @ deal_probabilities(inputs, sliders_at("rate"))), rel=0.006)
    assert amount(whatif["mean"]) == pytest.approx(amount(hist["mean"]), rel=0.01)


def test_confidence_raises_the_leads_needed():
    at = open_page("en")
    apptest.type_money(at, "forecast.plan", 300_000_000.0)

    def leads_text():
        return [c.value for c in at.caption if c.value.startswith("Plan ")]

    low = leads_text()
    at.slider(key="forecast.confidence").set_value(99).run()
    check(at)
    high = leads_text()
    assert len(low) == len(demo_inputs().groups) and low != high  # one reverse funnel per slider group
    assert all("at 99 %" in text for text in high)


def test_russian_page_renders():
    at = open_page("ru")
    assert at.title[0].value == "Прогноз и план"
    whatif, _ = metrics(at)
    assert "," in whatif["mean"] and "," in whatif["p_plan"]
    assert t("forecast.p_plan", "ru") in [m.label for m in stat_tiles(at)]
    assert any(m.value.endswith("суммы в миллионах ₽") for m in at.markdown)
    assert any("ист." in s.label for s in at.slider)
    assert any(sh.value == "План в обратную сторону" for sh in at.subheader)


def test_assumptions_survive_a_visit_to_another_page():
    at = open_page("en")
    key = f"forecast.p.{GROWTH}.Договор"
    at.slider(key=key).set_value(20).run()
    apptest.type_money(at, "forecast.plan", 50_000_000.0)
    moved = metrics(at)[0]
    at.switch_page("pages/rejection.py")
    at.run()
    at.switch_page(PAGE)
    at.run()
    check(at)
    assert at.slider(key=key).value == 20
    assert at.session_state["forecast.plan"] == 50_000_000.0
    assert metrics(at)[0] == moved


# One CRM pipeline holding both new prospects and repeat clients (the usual amoCRM/Bitrix24 set-up).
PIPELINE = "Продажи"
STAGES = ["Первичный контакт", "Переговоры", "Согласование договора"]  # amoCRM's own stage names
WON_STAGE, LOST_STAGE = "Успешно реализовано", "Закрыто и не реализовано"
ONE_PIPELINE = FunnelConfig(
    [
        FunnelSpec(
            PIPELINE, [StageSpec(s, p) for s, p in zip(STAGES, (0.2, 0.4, 0.6), strict=True)], [WON_STAGE], [LOST_STAGE]
        )
    ]
)


def one_pipeline_csv() -> bytes:
    """An amoCRM-style export: 40 prospects (1 in 4 won), repeats of the 10 buyers (8 won), open deals of both.

    No segment column: the segments come from each client's history (a repeat buyer is an active client).
    """
    rows = []

    def add(deal, client, stage, created, closed=None, lost_at="", amount=100_000):
        closed_text = f"{closed:%d.%m.%Y}" if closed is not None else ""
        rows.append([deal, client, PIPELINE, stage, amount, f"{created:%d.%m.%Y}", closed_text, lost_at])

    for i in range(40):
        created = pd.Timestamp("2025-01-06") + pd.Timedelta(days=3 * i)
        won = i % 4 == 0
        closed = created + pd.Timedelta(days=30)
        add(f"N{i}", f"C{i:02d}", WON_STAGE if won else LOST_STAGE, created, closed, "" if won else STAGES[i % 3])
    for j, i in enumerate(range(0, 40, 4)):
        created = pd.Timestamp("2025-07-01") + pd.Timedelta(days=5 * j)
        won = j < 8
        closed = created + pd.Timedelta(days=20)
        add(f"R{j}", f"C{i:02d}", WON_STAGE if won else LOST_STAGE, created, closed, "" if won else STAGES[2], 300_000)
    for j in range(12):
        add(f"ON{j}", f"P{j:02d}", STAGES[j % 3], pd.Timestamp("2025-11-01") + pd.Timedelta(days=j))
    for j, i in enumerate(range(0, 40, 4)):
        add(f"OA{j}", f"C{i:02d}", STAGES[j % 3], pd.Timestamp("2025-11-15") + pd.Timedelta(days=j), amount=300_000)
    header = ["ID", "Компания", "Воронка", "Этап сделки", "Бюджет", "Дата создания", "Дата закрытия", "Этап проигрыша"]
    return pd.DataFrame(rows, columns=header).to_csv(index=False, sep=";").encode("utf-8")


def test_one_pipeline_with_two_segments_gets_a_slider_group_per_segment():
    content = one_pipeline_csv()
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    at.file_uploader(key="data.upload").upload("amo.csv", content, "text/csv").run()
    check(at)
    at.session_state["config:upload"] = ONE_PIPELINE  # the stage order as the user confirms it on the Data page
    at.switch_page(PAGE)
    at.run()
    check(at)

    deals = read_deals(content, name="amo.csv").deals
    deals["segment"] = derive_segments(deals)
    inputs = prepare_forecast(deals, ONE_PIPELINE)
    assert list(inputs.groups["segment"]) == ["new", "active"]
    assert inputs.inflow_per_month == 6  # 72 deals created in the last 12 months: a whole rate shows whole
    assert "(6 new deals a month)" in " ".join(m.value for m in at.markdown)
    # two groups of sliders, labelled with the segment, each with its own historical rates
    labels = [e.label for e in at.expander]
    assert f"{PIPELINE} · New prospects · open deals: 12" in labels
    assert f"{PIPELINE} · Active clients · open deals: 10" in labels
    new_key, active_key = (f"forecast.p.{PIPELINE}.{seg}.{STAGES[2]}" for seg in ("new", "active"))
    assert len([s for s in at.slider if s.key.startswith("forecast.p.")]) == 2 * len(STAGES)
    rates = inputs.stages.set_index(["part", "stage"])["rate"]
    assert rates[("active", STAGES[2])] > rates[("new", STAGES[2])] + 0.1  # repeat clients close better
    assert f"hist. {100 * rates[('new', STAGES[2])]:.0f} %" in at.slider(key=new_key).label
    assert f"hist. {100 * rates[('active', STAGES[2])]:.0f} %" in at.slider(key=active_key).label
    # the historical baseline sums the segments' own rates
    a = inputs.open_deals["amount"].to_numpy()
    _, hist = metrics(at)
    assert amount(hist["mean"]) == pytest.approx(a @ deal_probabilities(inputs, inputs.stages["rate"]), rel=0.006)
    # the reverse funnel per segment
    assert sum(c.value.startswith("Plan ") for c in at.caption) == 2
    assert {f"**{PIPELINE}** · New prospects", f"**{PIPELINE}** · Active clients"} <= {m.value for m in at.markdown}

    # moving the active clients' contract slider raises P(plan); the new prospects' sliders stay
    before, _ = metrics(at)
    at.slider(key=active_key).set_value(100).run()
    check(at)
    after, _ = metrics(at)
    assert percent(after["p_plan"]) > percent(before["p_plan"]) + 0.05
    assert at.slider(key=new_key).value == 60
    stage_p = np.round(100 * inputs.stages["configured"].to_numpy()) / 100
    moved = stage_p.copy()
    moved[(inputs.stages["part"] == "active") & (inputs.stages["stage"] == STAGES[2])] = 1.0
    assert amount(after["mean"]) == pytest.approx(a @ deal_probabilities(inputs, moved), rel=0.006)

    # the same stage of the other segment moves P(plan) the other way
    at.slider(key=new_key).set_value(0).run()
    check(at)
    assert percent(metrics(at)[0]["p_plan"]) < percent(after["p_plan"])

    # a segment's reset leaves the other segment alone; the global reset takes both back
    at.button(key=f"forecast.reset.{PIPELINE}.active").click().run()
    check(at)
    assert at.slider(key=active_key).value == 60 and at.slider(key=new_key).value == 0
    at.button(key=f"forecast.use_history.{PIPELINE}.new").click().run()
    assert at.slider(key=new_key).value == round(100 * rates[("new", STAGES[2])])
    assert at.slider(key=active_key).value == 60
    at.button(key="forecast.reset").click().run()
    check(at)
    assert at.slider(key=new_key).value == 60 and at.slider(key=active_key).value == 60
    assert metrics(at)[0] == before


def decimals(text: str) -> int:
    """Digits after the decimal mark of a shown figure ("88.8" → 1, «260» → 0)."""
    mark = "," if "," in text else "."
    return len(text.split(mark)[1]) if mark in text else 0


def test_the_metric_rows_share_one_precision():
    at = open_page("en")
    whatif, hist = metrics(at)
    shown = [row[m] for row in (whatif, hist) for m in ("mean", "p10", "p90")]
    assert len({decimals(x) for x in shown}) == 1, shown


def test_the_leads_at_the_confidence_bring_the_wins_at_the_confidence():
    """The sentence chains: the leads shown at 90 % give at least the wins shown at 90 % with 90 % confidence."""
    at = open_page("en")
    inputs = demo_inputs()
    first = inputs.stages.groupby(["funnel", "part"], sort=False)["configured"].first().round(2)
    texts = [c.value for c in at.caption if c.value.startswith("Plan ")]
    assert len(texts) == len(inputs.groups)
    pattern = r"cover the plan: ([\d\u202f]+); leads that bring that many wins at 90 %: ([\d\u202f]+) \(with them"
    chained = 0
    for text, group in zip(texts, inputs.groups.itertuples(), strict=True):
        found = re.search(pattern, text)
        assert found, text
        wins, leads = (int(g.replace("\u202f", "")) for g in found.groups())
        assert leads >= leads_needed(wins, float(first[(group.funnel, group.part)]), 0.9), text
        chained += wins > 0
    assert chained  # the demo's default plan needs new wins in at least one funnel


# An amoCRM export (Windows-1251, «;») of a young account: nothing won yet, 3 lost, 5 open.
NO_WIN_HEADER = "ID;Название сделки;Бюджет ;Ответственный;Дата создания сделки;Дата закрытия;Этап сделки;Воронка"
NO_WIN_ROWS = [
    "201;А;100 000;Иванов;01.02.2024;20.02.2024;Закрыто и не реализовано;Продажи",
    "202;Б;50 000;Петров;03.02.2024;25.02.2024;Закрыто и не реализовано;Продажи",
    "203;В;70 000;Петров;05.02.2024;01.03.2024;Закрыто и не реализовано;Продажи",
    "204;Г;120 000;Иванов;10.02.2024;не закрыта;Первичный контакт;Продажи",
    "205;Д;80 000;Иванов;12.02.2024;не закрыта;Переговоры;Продажи",
    "206;Е;200 000;Петров;14.02.2024;не закрыта;Переговоры;Продажи",
    "207;Ж;90 000;Иванов;16.02.2024;не закрыта;Первичный контакт;Продажи",
    "208;З;60 000;Петров;18.02.2024;не закрыта;Согласование договора;Продажи",
]


def no_win_csv() -> bytes:
    return ("\r\n".join([NO_WIN_HEADER, *NO_WIN_ROWS]) + "\r\n").encode("cp1251")


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_an_export_with_no_won_deal_says_why_there_is_no_plan_and_no_close_months(lang):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    at.file_uploader(key="data.upload").upload("amo.csv", no_win_csv(), "text/csv").run()
    check(at)
    at.switch_page(PAGE)
    at.run()
    check(at)  # no exception, no st.error (it said «deal_sizes: значение должно быть at least one amount > 0»)
    infos = [i.value for i in at.info]
    assert t("forecast.intro", lang, n=5) in [c.value for c in at.caption]  # "Open deals: 5", no plural to agree
    assert t("forecast.plan_no_won", lang) in infos
    assert t("forecast.months_no_won", lang) in infos
    assert not any("deal_sizes" in c.value or "после горизонта" in c.value.lower() for c in at.caption)
    assert not any(c.value.startswith(t("forecast.plan_funnel", lang)[:4]) for c in at.caption)
    # the pipeline's distribution still works: 5 open deals, 600 000 in all, amounts in thousands
    whatif, hist = metrics(at)
    amounts = [row[m] for row in (whatif, hist) for m in ("mean", "p10", "p90")]
    assert all(0 <= float(x.replace("\u202f", "").replace(",", ".")) <= 600 for x in amounts), amounts
    assert len({decimals(x) for x in amounts}) == 1, amounts
    deals = read_deals(no_win_csv(), name="amo.csv").deals
    assert (deals["status"] == "won").sum() == 0 and (deals["status"] == "lost").sum() == 3
    # two charts (distribution, bands), no close-month chart with an empty axis, no reverse funnel
    assert len(at.get("vega_lite_chart")) == 2
    if lang == "ru":
        assert t("forecast.plan_no_won", "ru").startswith("План нельзя разложить в обратную сторону")


def test_a_young_account_with_one_win_shows_a_fractional_inflow_and_a_plan():
    won = "209;И;150 000;Иванов;20.02.2024;10.03.2024;Успешно реализовано;Продажи"
    content = ("\r\n".join([NO_WIN_HEADER, *NO_WIN_ROWS, won]) + "\r\n").encode("cp1251")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "ru"
    at.run()
    at.file_uploader(key="data.upload").upload("amo.csv", content, "text/csv").run()
    at.switch_page(PAGE)
    at.run()
    check(at)
    # 9 deals created in the 12 months to 10.03.2024: 0.75 a month, shown with one decimal (it read «0 в месяц»)
    assert "(новых сделок в месяц: 0,8)" in " ".join(m.value for m in at.markdown)
    assert t("forecast.plan_no_won", "ru") not in [i.value for i in at.info]
    assert any(c.value.startswith("План ") and "лидов" in c.value for c in at.caption)
    assert len(at.get("vega_lite_chart")) == 4  # distribution, bands, close months, one reverse funnel


def test_an_export_with_no_closed_deal_says_so():
    content = ("\r\n".join([NO_WIN_HEADER, *NO_WIN_ROWS[3:]]) + "\r\n").encode("cp1251")  # the 5 open deals
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    at.file_uploader(key="data.upload").upload("amo.csv", content, "text/csv").run()
    at.switch_page(PAGE)
    at.run()
    check(at)
    infos = [i.value for i in at.info]
    assert t("forecast.plan_no_closed", "en") in infos and t("forecast.months_no_closed", "en") in infos
    whatif, hist = metrics(at)
    assert whatif["mean"] == hist["mean"]  # no history: the baseline falls back to the configured rates
