"""The Clients page through AppTest on the demo: the model's numbers shown, both languages, drill-down, spend."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from funnel_model import derive_segments, read_deals, read_stage_history
from funnel_model.client_views import client_views
from funnel_model.formatting import number
from tests.pages import apptest

PAGE = "pages/clients.py"
DATA = Path(__file__).resolve().parents[2] / "data"


@cache
def demo():
    deals = read_deals(DATA / "demo_deals.csv").deals
    deals["segment"] = derive_segments(deals)
    history = read_stage_history(DATA / "demo_stage_history.csv")
    return deals, client_views(deals, history)


def table(at: AppTest, key: str):
    """A selectable table by its key (AppTest knows the keys of selectable tables only)."""
    for frame in at.dataframe:
        if frame.key == key:
            return frame.value
    raise AssertionError(f"no table with key {key}")


def with_column(at: AppTest, column: str):
    """The shown tables that have ``column``."""
    return [f.value for f in at.dataframe if column in f.value.columns]


def drilled(at: AppTest):
    """The drill-down table (the deals behind a selection): the one table with a "Loss reason" column."""
    (frame,) = with_column(at, "Loss reason")
    return frame


def select(at: AppTest, key: str, row: int) -> AppTest:
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    apptest.assert_clean(at)
    return at


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_headline_and_tables_carry_the_model_numbers(lang):
    _, views = demo()
    at = apptest.open_page(PAGE, lang)
    assert at.title[0].value == ("Clients" if lang == "en" else "Клиенты")
    last = views.base.iloc[-1]
    headline = at.markdown[0].value
    for figure in (last["active"], last["dormant"], last["new"], views.year["first_win"], views.year["reactivated"]):
        assert number(figure, lang) in headline
    assert "31.10.2026" in headline if lang == "ru" else "31 Oct 2026" in headline
    assert "window" not in headline and "окн" not in headline  # plain words: the days, not the jargon
    months = table(at, "clients.months")
    assert len(months) == len(views.base)
    assert months.iloc[0, 1:4].tolist() == [last["new"], last["active"], last["dormant"]]  # newest month first
    sources = table(at, "clients.sources")
    assert sources.iloc[:, 1].tolist() == views.sources["deals"].tolist()
    metrics = [m.value for m in at.metric]
    assert metrics[0] == f"{number(100 * views.retention['rate'].iloc[0], lang)} %"
    pareto = table(at, "clients.pareto")
    assert pareto.iloc[:, 1].tolist() == [503, 441, 315, 265, 239, 189, 132]
    owners = table(at, "clients.stuck_owners")
    assert owners.iloc[:, 4].sum() == pytest.approx(views.stuck["amount"].sum())
    assert len(at.get("vega_lite_chart")) == 5
    # every shown text is translated: no message key leaks onto the page
    texts = [e.value for e in (*at.markdown, *at.caption, *at.info, *at.subheader)]
    assert not [t for t in texts if t.startswith("clients.")]


def test_selecting_a_source_shows_its_deals_with_a_download():
    deals, views = demo()
    at = select(apptest.open_page(PAGE), "clients.sources", 1)
    source = views.sources["source"].iloc[1]
    shown = drilled(at)
    assert len(shown) == int((deals["source"] == source).sum())
    assert set(shown["Source"]) == {source}
    assert any(b.label.startswith("Download these") for b in at.get("download_button"))


def test_selecting_a_month_lists_its_clients_deals():
    _, views = demo()
    at = select(apptest.open_page(PAGE), "clients.months", 0)
    last = views.base.iloc[-1]
    caption = next(c.value for c in at.caption if c.value.startswith("New prospects"))
    assert caption == " · ".join(
        f"{name}: {number(last[s], 'en')}"
        for name, s in (("New prospects", "new"), ("Active clients", "active"), ("Dormant clients", "dormant"))
    )
    assert drilled(at)["Client"].nunique() == last["clients"]


def test_selecting_a_loss_reason_and_a_seller():
    _, views = demo()
    at = select(apptest.open_page(PAGE), "clients.pareto", 0)
    lost = drilled(at)
    assert len(lost) == 503 and set(lost["Loss reason"]) == {"Дорого"}
    owner = views.stuck_by_owner["owner"].iloc[0]
    at = select(at, "clients.stuck_owners", 0)
    (stuck,) = with_column(at, "Days in stage")
    assert set(stuck["Seller"]) == {owner}
    assert len(stuck) == views.stuck_by_owner["deals"].iloc[0]


def test_loss_filters_narrow_the_pareto():
    deals, _ = demo()
    at = apptest.open_page(PAGE)
    at.selectbox(key="clients.loss_segment").set_value("dormant").run()
    apptest.assert_clean(at)
    lost = deals[(deals["status"] == "lost") & (deals["segment"] == "dormant")]
    assert table(at, "clients.pareto").iloc[:, 1].sum() == len(lost)


def test_channel_spend_from_the_session_gives_costs():
    _, views = demo()
    at = AppTest.from_file(apptest.APP, default_timeout=120)
    at.session_state["lang"] = "en"
    source = views.sources["source"].iloc[0]
    at.session_state["clients.channel_spend"] = {source: 1_000_000.0}  # as a saved scenario would restore it
    at.run()
    at.switch_page(PAGE).run()
    apptest.assert_clean(at)
    sources = table(at, "clients.sources")
    row = sources[sources["Source"] == source].iloc[0]
    won = views.sources["won"].iloc[0]
    assert row["Spend"] == 1_000_000.0
    assert row["Cost per won deal"] == pytest.approx(1_000_000.0 / won)
    assert row["Cost per deal"] == pytest.approx(1_000_000.0 / views.sources["deals"].iloc[0])
    sentence = next(m.value for m in at.markdown if m.value.startswith("Channels with spend"))
    assert f"for {number(won, 'en')} won deals ({number(1_000_000.0 / won, 'en')} ₽ per won deal)" in sentence


def test_an_export_without_sources_says_so_and_hides_the_channels():
    at = apptest.open_page("pages/data.py")
    csv = (
        "deal_id,client_id,stage,status,amount,created_at,closed_at\n"
        "1,A,Won,won,100,2024-01-01,2024-01-10\n"
        "2,A,Lost,lost,50,2024-03-01,2024-03-05\n"
        "3,B,Offer,open,70,2024-02-01,\n"
    )
    at.file_uploader(key="data.upload").upload("plain.csv", csv.encode(), "text/csv").run()
    at.switch_page(PAGE).run()
    apptest.assert_clean(at)
    assert any("no lead source column" in i.value for i in at.info)
    assert not [f for f in at.dataframe if f.key == "clients.sources"]


def test_a_long_stuck_list_shows_its_largest_deals_and_offers_all_in_the_files(made):
    import pandas as pd

    from funnel_model.stuck import stuck_deals

    deals = pd.read_csv(DATA / "demo_deals.csv")
    history = pd.read_csv(DATA / "demo_stage_history.csv")
    copies = 3  # the demo has 98 stuck deals: three copies pass the 200 shown
    step = 10 ** len(str(deals["deal_id"].max()))
    deals = pd.concat(
        [
            deals.assign(deal_id=deals["deal_id"] + i * step, client_id=deals["client_id"] + f" #{i}")
            for i in range(copies)
        ]
    )
    history = pd.concat([history.assign(deal_id=history["deal_id"] + i * step) for i in range(copies)])
    deals_csv, history_csv = deals.to_csv(index=False).encode(), history.to_csv(index=False).encode()
    imported = read_deals(deals_csv, name="deals.csv").deals
    stuck = stuck_deals(imported, read_stage_history(history_csv, name="history.csv"))
    assert len(stuck) > 200

    at = AppTest.from_file(apptest.APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["upload"] = {"name": "deals.csv", "data": deals_csv, "digest": f"stuck-{hash(deals_csv)}"}
    at.session_state["history_upload"] = {
        "name": "history.csv",
        "data": history_csv,
        "digest": f"h-{hash(history_csv)}",
    }
    at.session_state["source"] = "upload"
    at.run()
    at.switch_page(PAGE).run()
    apptest.assert_clean(at)
    (shown,) = with_column(at, "Days in stage")
    assert len(shown) == 200
    assert shown["Amount at risk"].tolist() == stuck["amount"].head(200).tolist()  # the largest, largest first
    n = number(len(stuck), "en")
    assert f"The 200 largest of {n} deals are shown; all {n} are in the files below." in [c.value for c in at.caption]
    labels = [b.label for b in at.get("download_button")]
    assert f"Download these {len(stuck)} rows (CSV)" in labels
    # the files are written on the click, every stuck deal in them
    rows = pd.read_csv(io.BytesIO(made["stuck_deals.csv"]), encoding="utf-8-sig")
    assert rows["Amount at risk"].tolist() == stuck["amount"].tolist()
    sheet = pd.read_excel(io.BytesIO(made["stuck_deals.xlsx"]))
    assert sheet["Amount at risk"].tolist() == stuck["amount"].tolist()
