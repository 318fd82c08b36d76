"""The plan for a period on the Forecast & plan page (AppTest, demo data): headline, tiles, backtest, breakdown."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from funnel_model import derive_segments, read_deals
from funnel_model.forecast_views import deal_probabilities
from funnel_model.formatting import date, percent, short_money
from funnel_model.i18n import t
from funnel_model.period import backtest, compare_periods, period_bounds, plan_for_period
from tests.pages import apptest
from tests.pages.test_forecast_page import APP, DATA, NO_WIN_HEADER, NO_WIN_ROWS, demo_inputs, sliders_at

PAGE = "pages/forecast.py"


@cache
def demo_deals():
    deals = read_deals(DATA / "demo_deals.csv").deals
    deals["segment"] = derive_segments(deals)
    return deals


def expected_forecast(kind: str):
    """The period's forecast at the configured sliders, computed here without the page."""
    inputs = demo_inputs()
    p = deal_probabilities(inputs, sliders_at("configured"))
    return plan_for_period(inputs, demo_deals(), p, period_bounds(kind, inputs.as_of))


def headline(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("#### "))


def tiles(at, lang: str) -> dict[str, str]:
    """The period's four tiles: the first metrics (the whole-pipeline rows below share their names)."""
    labels = {t(f"period.tile.{k}", lang): k for k in ("mean", "p10", "p90", "p_plan")}
    return {labels[m.label]: m.value for m in list(at.metric)[:4]}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_headline_and_tiles_carry_the_period_forecast(lang):
    at = apptest.open_page(PAGE, lang)
    f = expected_forecast("this_quarter")
    plan = at.session_state["forecast.plan"]
    s = f.summary(plan)
    text = headline(at)
    end = date(f.period.end, lang)
    assert end == ("31.12.2026" if lang == "ru" else "31 Dec 2026")
    assert end in text and "₽" in text
    assert f"{short_money(s['p10'], lang)}–{short_money(s['p90'], lang)} ₽" in text
    shown = tiles(at, lang)
    assert shown["mean"] == f"{short_money(s['mean'], lang)} ₽"
    assert shown["p10"] == f"{short_money(s['p10'], lang)} ₽"
    assert shown["p90"] == f"{short_money(s['p90'], lang)} ₽"
    assert at.session_state["period.setting"] == {"kind": "this_quarter", "start": "2026-10-01", "end": "2026-12-31"}
    # the already won part of the quarter: October's wins
    deals = demo_deals()
    october = (deals["status"] == "won") & (deals["closed_at"] >= "2026-10-01")
    assert f.already == pytest.approx(float(deals.loc[october, "amount"].sum()))


def test_a_plan_out_of_reach_says_the_wins_and_leads_needed_and_a_next_month_period_moves_the_date():
    at = apptest.open_page(PAGE, "en")
    at.selectbox(key="period.kind").set_value("next_month").run()
    apptest.assert_clean(at)
    f = expected_forecast("next_month")
    assert "30 Nov 2026" in headline(at)
    assert at.session_state["period.setting"]["start"] == "2026-11-01"
    plan = round(f.summary(0)["p90"] * 1.5, -6)
    apptest.type_money(at, "forecast.plan", plan)
    apptest.assert_clean(at)
    text = headline(at)
    s = f.summary(plan)
    assert s["p_plan"] < 0.01
    assert f"the {short_money(plan, 'en')} ₽ plan has a < 1 % chance" in text
    assert "For 90 % you need wins beyond the open deals: about " in text and " new leads in the period." in text
    assert tiles(at, "en")["p_plan"] == "< 1 %"
    # nothing already won in November: the reverse funnel works on the whole plan
    assert f.already == 0 and f.before > 0


def replay_past(at) -> None:
    """Ask for the past periods' replays (they run only then)."""
    at.toggle(key="period.past").set_value(True).run()
    apptest.assert_clean(at)


def test_backtest_sentence_counts_the_months_inside_the_band():
    at = apptest.open_page(PAGE, "ru")
    backtest_title = t("period.backtest.title", "ru")
    # a first visit does not wait for the replays: the section says what they show and runs them when asked
    assert t("period.past.intro", "ru") in [m.value for m in at.markdown]
    assert backtest_title not in [h.value for h in at.subheader]
    replay_past(at)
    assert backtest_title in [h.value for h in at.subheader]
    deals = demo_deals()
    bt = backtest(deals, as_of=demo_inputs().as_of, months=12)
    n, k = len(bt), int(bt["inside"].sum())
    sentence = t(
        "period.backtest.sentence",
        "ru",
        n=n,
        k=k,
        share=percent(k / n, "ru", 0),
        above=int((bt["actual"] > bt["mean"]).sum()),
    )
    assert sentence in [m.value for m in at.markdown]


def test_breakdown_tables_add_up_to_the_open_deals_expected_in_the_period():
    at = apptest.open_page(PAGE, "en")
    f = expected_forecast("this_quarter")
    a = demo_inputs().open_deals["amount"].to_numpy()
    total = float(a @ f.within)
    frames = {next(iter(df.value.columns)): df.value for df in at.dataframe}
    by_funnel = frames["Funnel"]
    assert by_funnel["Expected in the period"].sum() == pytest.approx(total, rel=1e-9)
    assert frames["Seller"]["Expected in the period"].sum() == pytest.approx(total, rel=1e-9)
    cats = frames["Category"]
    assert cats["Open deals"].sum() == int((f.within > 0).sum())
    commit_before = int(cats["Open deals"].iloc[0])
    at.slider(key="period.commit").set_value(30).run()
    apptest.assert_clean(at)
    cats = {next(iter(df.value.columns)): df.value for df in at.dataframe}["Category"]
    assert int(cats["Open deals"].iloc[0]) == int((f.within >= 0.3).sum()) >= commit_before
    # the comparison's rows: this quarter, the previous one and a year ago
    replay_past(at)
    compare = {next(iter(df.value.columns)): df.value for df in at.dataframe}["Period"]
    expected = compare_periods(demo_deals(), f.period, as_of=demo_inputs().as_of)
    assert compare["Won"].tolist() == expected["won"].tolist()
    np.testing.assert_allclose(compare["Revenue won"], expected["revenue"])


def test_a_young_account_with_a_sure_period_names_one_figure_not_a_range():
    """9 deals, one won on 10.03.2024 (the data's last day), no open deal old enough to close by the quarter's end."""
    won = "209;И;150 000;Иванов;20.02.2024;10.03.2024;Успешно реализовано;Продажи"
    content = ("\r\n".join([NO_WIN_HEADER, *NO_WIN_ROWS, won]) + "\r\n").encode("cp1251")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "ru"
    at.run()
    at.file_uploader(key="data.upload").upload("amo.csv", content, "text/csv").run()
    at.switch_page(PAGE)
    at.run()
    apptest.assert_clean(at)
    text = headline(at)
    assert text.startswith("#### К 31.03.2024 вы скорее всего выиграете 150\u00a0тыс. ₽; план ")
    assert tiles(at, "ru")["p10"] == tiles(at, "ru")["p90"] == "150\u00a0тыс. ₽"
