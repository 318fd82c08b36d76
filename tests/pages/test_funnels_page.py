"""The Funnels page through AppTest on the demo data: numbers shown, filters, toggles, adopt, languages."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from funnel_model import derive_segments, read_deals, read_stage_history
from funnel_model.calibration import calibrate
from funnel_model.config import FunnelConfig
from funnel_model.formatting import number, percent, short_money
from funnel_model.geometry import funnel_geometry, stage_win_rates
from tests.pages import apptest

PAGE = "pages/funnels.py"
ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
DATA = ROOT / "data"


@cache
def demo():
    """The demo exactly as the app loads it, computed here without the page."""
    deals = read_deals(DATA / "demo_deals.csv").deals
    deals["segment"] = derive_segments(deals)
    history = read_stage_history(DATA / "demo_stage_history.csv")
    config = FunnelConfig.from_json((DATA / "demo_config.json").read_text(encoding="utf-8"))
    return deals, history, config


def open_page(lang: str = "en") -> AppTest:
    return apptest.open_page(PAGE, lang)


check = apptest.assert_clean


def table(at: AppTest, *first_columns: str):
    """The shown table whose columns start with ``first_columns``."""
    for frame in at.dataframe:
        if list(frame.value.columns)[: len(first_columns)] == list(first_columns):
            return frame.value
    raise AssertionError(f"no table starting with {first_columns}")


def funnel_bars(at: AppTest) -> list:
    """The data of each funnel chart (the charts whose data has bar labels), left to right."""
    frames = []
    for chart in at.get("vega_lite_chart"):
        for ds in chart.proto.datasets:
            frame = pa.ipc.open_stream(ds.data.data).read_pandas()
            if "label" in frame.columns:
                frames.append(frame)
    return frames


def chart_titles(at: AppTest) -> list[tuple[str, str]]:
    """(title, subtitle) of each chart that has a title."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    return [(s["title"]["text"], s["title"].get("subtitle", "")) for s in specs if isinstance(s.get("title"), dict)]


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def funnel_labels(at: AppTest) -> list[list[str]]:
    return [list(frame["label"]) for frame in funnel_bars(at)]


def test_demo_renders_three_funnels_with_the_model_numbers():
    at = open_page()
    deals, history, config = demo()
    expected = funnel_geometry(deals, config, history)
    shown = table(at, "Funnel", "Segment")
    assert shown["Reached"].tolist() == expected["reached"].tolist()
    np.testing.assert_allclose(shown["% of first"], expected["cumulative_conversion"])
    # the segment named once, the same way everywhere on the page
    assert sorted(set(shown["Segment"])) == [
        "Attraction (new prospects)",
        "Reactivation (dormant clients)",
        "Retention (active clients)",
    ]
    # three side-by-side funnels, the first bar of each labelled with its reached count and 100 %
    labels = funnel_labels(at)
    assert len(labels) == 3
    firsts = expected[expected["order"] == 1].set_index("segment")["reached"]
    assert [lab[0].split(" · ")[0] for lab in labels] == [number(firsts[s], "en") for s in ("new", "active", "dormant")]
    assert all(lab[0].endswith("100 %") for lab in labels)  # funnel_model.formatting, not a local format
    # semantics stated, bottleneck named per funnel
    captions = " ".join(c.value for c in at.caption)
    n = number(len(deals), "en")
    assert f"stage history (deals with history: {n} of {n};" in captions
    assert "Lost deals with no known loss stage: 0" in captions
    sentences = [m.value.replace("\\", "") for m in at.markdown if "bottleneck" in m.value]  # as read: names escaped
    assert len(sentences) == 3 and sentences[0].startswith(
        "Attraction (new prospects) · Привлечение: the bottleneck is"
    )


def test_over_optimistic_seller_stands_out():
    at = open_page()
    deals, history, config = demo()
    expected = calibrate(deals, config, history, level=0.95, min_count=20)
    assert expected.over_optimistic == ["Игорь Волков"]
    assert len(at.warning) == 1 and "Игорь Волков" in at.warning[0].value
    sellers = table(at, "Seller", "Stated by", "Closed")
    assert sellers["Seller"].iloc[0] == "Игорь Волков"  # sorted first
    assert sellers["Stated by"].iloc[0] == "seller"  # flagged on his own estimates
    assert sellers["Flag"].iloc[0] == "over-optimistic" and (sellers["Flag"].iloc[1:] != "over-optimistic").all()
    assert at.metric[0].value == f"{expected.brier:.3f}"


def test_funnel_and_seller_filters_narrow_the_numbers():
    at = open_page()
    deals, history, config = demo()
    at.selectbox(key="funnels.funnel").set_value("Привлечение").run()
    check(at)
    shown = table(at, "Funnel", "Segment")
    assert set(shown["Funnel"]) == {"Привлечение"}
    assert len(funnel_labels(at)) == 1
    assert any(c.value == "Retention (active clients): no deals in this selection." for c in at.caption)
    seller = "Анна Смирнова"
    at.selectbox(key="funnels.seller").set_value(seller).run()
    check(at)
    mine = deals[(deals["funnel"] == "Привлечение") & (deals["owner"] == seller)]
    expected = funnel_geometry(mine, config, history)
    assert table(at, "Funnel", "Segment")["Reached"].tolist() == expected["reached"].tolist()
    # stage win rates stay the team's: the seller filter does not narrow them
    rates = stage_win_rates(deals[deals["funnel"] == "Привлечение"], config, history, min_count=20)
    assert table(at, "Funnel", "Stage", "Won")["Won"].tolist() == rates["won"].tolist()


def test_period_filter_counts_only_deals_created_in_it():
    at = open_page()
    deals, history, config = demo()
    start, end = dt.date(2025, 1, 1), dt.date(2025, 6, 30)
    at.date_input(key="funnels.period").set_value((start, end)).run()
    check(at)
    created = deals["created_at"]
    inside = deals[(created >= "2025-01-01") & (created < "2025-07-01")]
    expected = funnel_geometry(inside, config, history)
    assert table(at, "Funnel", "Segment")["Reached"].tolist() == expected["reached"].tolist()


def test_toggles_switch_conversion_basis_and_bar_measure():
    at = open_page()
    deals, history, config = demo()
    geo = funnel_geometry(deals, config, history)
    new = geo[geo["segment"] == "new"]
    before = funnel_labels(at)[0]
    assert before[1].endswith(percent(new["settled_conversion"].iloc[1], "en", 0))
    at.radio(key="funnels.basis").set_value("first").run()
    check(at)
    after = funnel_labels(at)[0]
    assert after[2].endswith(percent(new["cumulative_conversion"].iloc[2], "en", 0))
    assert after[2] != before[2]
    assert any("(% of first)" in c.value for c in at.caption)
    at.radio(key="funnels.measure").set_value("money").run()
    check(at)
    bars = funnel_bars(at)[0]
    np.testing.assert_allclose(bars["right"] * 2, new["amount"].to_numpy())


def test_adopt_button_writes_empirical_rates_into_the_config():
    at = open_page()
    deals, history, config = demo()
    rates = stage_win_rates(deals, config, history, min_count=20, level=0.9)
    at.button(key="funnels.adopt").click().run()
    check(at)
    adopted = at.session_state["config:demo"]
    assert isinstance(adopted, FunnelConfig)
    got = {(f.name, s.name): s.probability for f in adopted.funnels for s in f.stages}
    want = {(f, s): round(r, 3) for f, s, r in zip(rates["funnel"], rates["stage"], rates["rate"], strict=True)}
    assert got == pytest.approx(want)
    assert any("empirical rates" in s.value for s in at.success)
    # the rates table now shows the adopted probabilities as configured
    shown = table(at, "Funnel", "Stage", "Won")
    adopted_column = [want[key] for key in zip(rates["funnel"], rates["stage"], strict=True)]
    np.testing.assert_allclose(shown["Configured"], adopted_column)


def test_russian_page():
    at = open_page("ru")
    assert at.title[0].value == "Воронки"
    assert any("Завышает вероятности: Игорь Волков" in w.value for w in at.warning)
    assert json.dumps([m.value for m in at.markdown], ensure_ascii=False).count("узкое место") == 3
    # bar numbers in Russian from funnel_model.formatting: «1 234 · 56,7 млн · 100 %»
    deals, history, config = demo()
    geo = funnel_geometry(deals, config, history)
    first = geo[(geo["segment"] == "new") & (geo["order"] == 1)].iloc[0]
    label = funnel_labels(at)[0][0]
    assert label == f"{number(first['reached'], 'ru')} · {short_money(first['amount'], 'ru')} · 100 %"
    assert label.split(" · ")[1].endswith(("\u00a0тыс.", "\u00a0млн", "\u00a0млрд"))  # e.g. «1,1 млрд»
    # tables written the Russian way through ui.tables.show_table: «13,4 %», «1 556», "—" for unknown
    rates = next(f for f in at.dataframe if list(f.value.columns)[:3] == ["Воронка", "Этап", "Выиграно"])
    shown = pa.ipc.open_stream(rates.proto.arrow_data.styler.display_values).read_pandas()
    observed = rates.value["Факт"].iloc[0]
    assert shown["Факт"].iloc[0] == percent(observed, "ru", 1) and "," in shown["Факт"].iloc[0]
    assert shown["Закрыто"].iloc[0] == number(rates.value["Закрыто"].iloc[0], "ru")


UPLOAD = """deal_id,funnel,stage,status,lost_stage,owner,created_at,amount
1,Sales,Lead,open,,Ann,2025-01-10,100
2,Sales,Offer,open,,Ann,2025-01-11,200
3,Sales,Won,won,,Bob,2025-01-12,300
4,Sales,Lost,lost,Offer,Bob,2025-01-13,400
5,Sales,Lost,lost,,Ann,2025-01-14,500
6,Sales,Lost,lost,,Bob,2025-01-15,600
"""


def test_snapshot_semantics_and_lost_without_stage_are_stated_for_an_upload():
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    data = UPLOAD.encode()
    at.session_state["upload"] = {"name": "deals.csv", "data": data, "digest": "funnels-test"}
    at.session_state["source"] = "upload"
    at.run()
    at.switch_page(PAGE)
    at.run()
    check(at)
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Reached stages come from the deal table (no stage history)") for c in captions)
    assert any(
        c.startswith("Lost deals with no known loss stage: 2 (counted at the first stage only") for c in captions
    )
    shown = table(at, "Funnel", "Segment")
    assert shown["Reached"].iloc[0] == 6  # every deal at the first stage, the two without a loss stage included
    assert not shown["Reliable"].any()  # six deals are below the minimum count of 20
    assert ("Attraction (new prospects)", "Sales · Deals: 6 — too few, not reliable") in chart_titles(at)
    # the seller table does not call 1 won of 2 closed a 50 % fact: below the minimum count the rate is "—"
    sellers = table(at, "Rank", "Seller")
    assert sellers["Won"].tolist() == [1, 0] and not sellers["Reliable"].any()
    assert sellers["Win rate"].isna().all() and sellers["Low"].notna().all()
    assert any(c.startswith("Win rate shows “—” for sellers with fewer than 20 closed deals") for c in captions)


def open_upload(deals: bytes, name: str = "deals.csv", history: bytes | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = lang
    at.session_state["upload"] = {"name": name, "data": deals, "digest": f"funnels-{len(deals)}-{hash(deals)}"}
    if history is not None:
        at.session_state["history_upload"] = {"name": "history.csv", "data": history, "digest": f"h-{hash(history)}"}
    at.session_state["source"] = "upload"
    at.run()
    at.switch_page(PAGE)
    at.run()
    check(at)
    return at


@cache
def amocrm():
    imported = read_deals(DATA / "demo_amocrm.csv")
    return imported.deals, imported.config


def test_amocrm_export_without_loss_stages_shows_no_rate_past_the_first_stage():
    at = open_upload((DATA / "demo_amocrm.csv").read_bytes(), "demo_amocrm.csv")
    deals, config = amocrm()
    assert int((deals["status"] == "lost").sum()) == 2084 and deals["lost_stage"].isna().all()
    rates = table(at, "Funnel", "Stage", "Won")
    first = rates.groupby("Funnel", sort=False).head(1).index
    later = rates.index.difference(first)
    # the first stage keeps its rate (208 won of 1,556 in Привлечение); later stages: no rate, a clear note
    assert rates.loc[first[0], "Observed"] == pytest.approx(208 / 1556)
    assert rates.loc[later, ["Observed", "Rate to use", "Low", "High"]].isna().all().all()
    assert not rates.loc[later, "Config contradicted"].any()
    lost_by_funnel = deals[deals["status"] == "lost"].groupby("funnel").size()
    for row in rates.loc[later].itertuples():
        n = number(lost_by_funnel[row.Funnel], "en")
        assert (
            row.Note
            == f"unknown (lost deals with no loss stage: {n}) — upload stage history or map a loss-stage column"
        )
    warnings = [w.value for w in at.warning]
    assert any(
        w.startswith(
            "Привлечение: win rates after the first stage are unknown (lost deals with no loss stage: 1\u202f348)"
        )
        for w in warnings
    )
    # only identifiable stages can be flagged: Развитие's first stage (configured 0.2 against 743 of 1,358 won)
    outside = rates.loc[rates["Config contradicted"], "Stage"].tolist()
    assert outside == ["Потребность"]
    assert any(
        c.value.startswith("Stages whose counts contradict the configured probability: 1 (at least") for c in at.caption
    )
    # no bottleneck is named: the step out of the first stage only looked worst because every loss lands there
    sentences = [m.value.replace("\\", "") for m in at.markdown if "bottleneck" in m.value]  # as read: names escaped
    assert len(sentences) == 3 and all("no bottleneck can be named" in s for s in sentences)
    assert any("(lost deals with no loss stage: 1\u202f348)" in s for s in sentences)
    # adopt: the three known first-stage rates, every other stage keeps its configured probability
    assert any(
        c.value == "Known rates to adopt: 3. Stages with an unknown rate, which keep their configured probability: 11."
        for c in at.caption
    )
    at.button(key="funnels.adopt").click().run()
    check(at)
    adopted = at.session_state["config:upload"]
    got = {(f.name, s.name): s.probability for f in adopted.funnels for s in f.stages}
    before = {(f.name, s.name): s.probability for f in config.funnels for s in f.stages}
    expected = dict(before)
    expected[("Привлечение", "Квалификация")] = round(208 / 1556, 3)
    expected[("Развитие", "Потребность")] = round(743 / 1358, 3)
    expected[("Реактивация", "Контакт")] = round(31 / 152, 3)
    assert got == pytest.approx(expected)
    assert 1.0 not in got.values()
    assert any(s.value.startswith("The funnel config now uses the empirical rates (stages: 3)") for s in at.success)
    assert any(i.value == "Stages with an unknown rate that kept their configured probability: 11." for i in at.info)


def test_sellers_without_own_estimates_are_compared_with_the_config_not_called_over_optimistic():
    at = open_upload((DATA / "demo_amocrm.csv").read_bytes(), "demo_amocrm.csv")
    assert not [w.value for w in at.warning if "Over-optimistic" in w.value]
    captions = " ".join(c.value for c in at.caption)
    assert "Closed deals: 3\u202f066; with the seller's own probability: 0." in captions  # 982 won + 2,084 lost
    sellers = table(at, "Seller", "Stated by", "Closed")
    assert set(sellers["Stated by"]) == {"config"}
    assert "over-optimistic" not in set(sellers["Flag"])
    flagged = sellers.loc[sellers["Flag"] != "in line", ["Seller", "Flag"]]
    assert set(flagged["Flag"]) == {"wins above the configured rate"}  # 42 %-52 % won against 14 %-20 % configured
    assert set(flagged["Seller"]) == {"Елена Попова", "Дмитрий Кузнецов", "Анна Смирнова"}


UNDATED = """deal_id,funnel,stage,status,lost_stage,owner,created_at,amount
1,Sales,Lead,open,,Ann,2025-01-10,100
2,Sales,Offer,open,,Ann,2025-03-11,200
3,Sales,Won,won,,Bob,2025-05-12,300
4,Sales,Lost,lost,Offer,Bob,,400
5,Sales,Won,won,,Ann,,500
"""


def test_deals_without_a_creation_date_count_until_the_period_is_narrowed():
    at = open_upload(UNDATED.encode())
    shown = table(at, "Funnel", "Segment")
    # stages as inferred from these five deals (Offer, Lead, Won); undated deals 4 and 5 are counted
    assert shown["Stage"].tolist() == ["Offer", "Lead", "Won"]
    assert shown["Reached"].tolist() == [5, 3, 2]
    assert not [i.value for i in at.info if "no creation date" in i.value]
    at.date_input(key="funnels.period").set_value((dt.date(2025, 1, 10), dt.date(2025, 3, 31))).run()
    check(at)
    assert table(at, "Funnel", "Segment")["Reached"].tolist() == [2, 1, 0]
    notes = [i.value for i in at.info if "no creation date" in i.value]
    assert notes == [
        "Deals with no creation date, left out by the period filter: 2. Choose the full period to include them."
    ]


HISTORY_WITH_ORPHANS = """deal_id,stage,entered_at
1,Lead,2025-01-10
2,Lead,2025-03-11
2,Offer,2025-03-12
3,Lead,2025-05-12
3,Offer,2025-05-13
3,Won,2025-05-20
77,Lead,2025-02-01
78,Lead,2025-02-02
78,Offer,2025-02-03
"""


def test_history_rows_of_deals_missing_from_the_deal_file_are_counted():
    at = open_upload(UNDATED.encode(), history=HISTORY_WITH_ORPHANS.encode())
    warnings = [w.value for w in at.warning]
    assert "Stage history rows of deals that are not in the deal file (not used): 3." in warnings


def test_russian_segment_named_once_when_the_pipeline_has_its_name():
    at = open_page("ru")
    titles = chart_titles(at)
    # the demo's pipelines «Привлечение», «Развитие», «Реактивация»: no «Привлечение · Привлечение»
    assert titles[:3] == [
        ("Привлечение (новые клиенты)", ""),
        ("Удержание (действующие клиенты)", "Развитие"),
        ("Реактивация (спящие клиенты)", ""),
    ]
    sentences = [m.value.replace("\\", "") for m in at.markdown if "узкое место" in m.value]
    assert [x.split(":")[0] for x in sentences] == [
        "Привлечение (новые клиенты)",
        "Удержание (действующие клиенты) · Развитие",
        "Реактивация (спящие клиенты)",
    ]
    shown = table(at, "Воронка", "Сегмент")
    assert set(shown["Сегмент"]) == {t for t, _ in titles[:3]}
    # the comparison legend shows whole names
    compare = [s for s in chart_specs(at) if s.get("mark", {}).get("type") == "line"]
    assert len(compare) == 1 and compare[0]["encoding"]["color"]["legend"]["labelLimit"] == 0


def test_amocrm_export_shows_no_step_conversion_where_it_is_unknown():
    at = open_upload((DATA / "demo_amocrm.csv").read_bytes(), "demo_amocrm.csv")
    bars = funnel_bars(at)
    assert len(bars) == 3
    for frame in bars:
        label = frame["label"].tolist()
        # first stage: exact count and 100 %; later open stages: "≥ n" and "—"; the won bar: exact count, "—"
        assert not label[0].startswith("≥") and label[0].endswith("· 100 %")
        assert all(x.startswith("≥ ") and x.endswith("· —") for x in label[1:-1])
        assert not label[-1].startswith("≥") and label[-1].endswith("· —")
        assert "%" not in " ".join(label[1:])
    first = bars[0]
    assert first["label"].iloc[-1].startswith(number(208, "en") + " · ")  # 208 won in Привлечение
    # the stage table agrees: no step conversion past the first stage, later counts marked as lower bounds
    shown = table(at, "Funnel", "Segment")
    later = shown.groupby("Funnel", sort=False).cumcount() > 0
    assert shown.loc[later, "% of previous"].isna().all() and (shown.loc[~later, "% of previous"] == 1.0).all()
    won_row = shown.groupby("Funnel", sort=False).cumcount(ascending=False) == 0
    bound = shown["Count is a lower bound"]
    assert bound[later & ~won_row].all() and not bound[~later | won_row].any() and bound.sum() == 11
    # the shapes chart leaves all three out and says why
    assert not [s for s in chart_specs(at) if s.get("mark", {}).get("type") == "line"]
    notes = [c.value for c in at.caption if c.value.startswith("Not on this chart:")]
    assert len(notes) == 1 and notes[0].count("·") == 3
    assert any(c.value.startswith("“≥ n”: at least n deals reached the stage") for c in at.caption)
    # the sellers' reach of the last stage is unknown too; missing cells drawn as "—", not "None"
    sellers = table(at, "Rank", "Seller")
    assert sellers["% reaching last stage"].isna().all() and sellers["Won"].sum() > 0
    assert {frame.proto.placeholder for frame in at.dataframe} == {"—"}


def test_basis_first_marks_later_stages_as_lower_bounds():
    at = open_upload((DATA / "demo_amocrm.csv").read_bytes(), "demo_amocrm.csv")
    at.radio(key="funnels.basis").set_value("first").run()
    check(at)
    label = funnel_bars(at)[0]["label"].tolist()
    assert all(x.startswith("≥ ") and x.split(" · ")[-1].startswith("≥ ") for x in label[1:-1])
    assert label[-1].endswith(percent(208 / 1556, "en", 0)) and not label[-1].startswith("≥")


CRM_PROBABILITY = """deal_id,funnel,stage,status,lost_stage,owner,created_at,amount,probability
1,Sales,Lead,open,,Ann,2025-01-10,100,0.3
2,Sales,Offer,open,,Ann,2025-01-11,200,0.6
3,Sales,Won,won,,Bob,2025-01-12,300,1
4,Sales,Lost,lost,Offer,Bob,2025-01-13,400,0
5,Sales,Lost,lost,Lead,Ann,2025-01-14,500,0
6,Sales,Won,won,,Bob,2025-01-15,600,1
"""


def test_crm_closing_probabilities_are_explained():
    at = open_upload(CRM_PROBABILITY.encode())
    captions = [c.value for c in at.caption]
    assert "Closed deals: 4; with the seller's own probability: 0." in " ".join(captions)
    assert any(
        c.startswith("Closed deals whose probability is only the CRM's 0 % or 100 %: 4. The CRM sets 0 %")
        for c in captions
    )
    ru = open_upload(CRM_PROBABILITY.encode(), lang="ru")
    assert any(
        c.value.startswith("Закрытых сделок, у которых вероятность — только 0 % или 100 % из CRM: 4.")
        for c in ru.caption
    )


@pytest.mark.parametrize(("lang", "pick"), [("en", "first"), ("ru", "middle"), ("en", "won")])
def test_selecting_a_stage_shows_exactly_the_deals_counted_there(lang, pick):
    from funnel_model.geometry import deal_depth
    from funnel_model.i18n import t

    deals, history, config = demo()
    geo = funnel_geometry(deals, config, history, by=("funnel", "segment"))
    rows = {
        "first": geo.index[geo["order"] == 1][0],
        "middle": geo.index[(geo["order"] == 3) & (geo["kind"] == "open")][-1],
        "won": geo.index[geo["kind"] == "won"][1],
    }
    row = geo.loc[rows[pick]]
    at = open_page(lang)
    at.session_state["funnels.drill"] = {"selection": {"rows": [int(rows[pick])], "columns": [], "cells": []}}
    at.run()
    check(at)
    # oracle: the deals of the row's funnel and segment whose deepest stage is this one or later (won: won)
    depth = deal_depth(deals, config, history)
    mine = (depth["funnel"] == row["funnel"]) & (deals["segment"] == row["segment"]) & ~depth["unmatched"]
    mine &= (depth["status"] == "won") if row["kind"] == "won" else (depth["depth"] >= row["order"])
    expected = set(deals.loc[mine, "deal_id"].astype(str))
    assert len(expected) == row["reached"] > 0
    id_column = t("clients.deal.deal_id", lang)
    (shown,) = [f.value for f in at.dataframe if id_column in f.value.columns]
    assert set(shown[id_column].astype(str)) == expected
    assert len(shown) == row["reached"]
    # downloadable through the app's export
    assert any(str(row["reached"]) in b.label for b in at.get("download_button"))
