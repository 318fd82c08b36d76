"""The demo generator: determinism, byte-for-byte shipped files, and the facts the app relies on."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from funnel_model.demo import (
    DEMO_FILES,
    LOST_STAGE,
    OPTIMISTIC_SELLER,
    WON_STAGE,
    amocrm_export,
    generate_demo,
    main,
    write_demo_files,
)
from funnel_model.importer import read_deals
from funnel_model.schema import DEAL_COLUMN_NAMES, HISTORY_COLUMNS
from funnel_model.segments import derive_segments

DATA = Path(__file__).resolve().parents[2] / "data"
FUNNEL_SEGMENT = {"Привлечение": "new", "Развитие": "active", "Реактивация": "dormant"}


@pytest.fixture(scope="module")
def demo():
    return generate_demo()


def test_same_seed_gives_identical_frames_and_another_seed_does_not(demo):
    deals, history, config = demo
    again = generate_demo()
    pd.testing.assert_frame_equal(deals, again[0])
    pd.testing.assert_frame_equal(history, again[1])
    assert config == again[2]
    other = generate_demo(seed=1)[0]
    assert len(other) != len(deals) or not other["amount"].equals(deals["amount"])


def test_shipped_files_are_regenerated_byte_for_byte(tmp_path):
    paths = write_demo_files(tmp_path)
    assert [p.name for p in paths] == list(DEMO_FILES)
    for name in DEMO_FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_command_writes_the_files_into_the_folder_given(tmp_path, capsys):
    assert main([str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(DEMO_FILES)
    assert "demo_deals.csv" in capsys.readouterr().out
    assert main([]) == 2


def test_shape_of_the_data(demo):
    deals, history, config = demo
    assert list(deals.columns) == list(DEAL_COLUMN_NAMES)
    assert list(history.columns) == list(HISTORY_COLUMNS)
    assert 2_500 <= len(deals) <= 4_000
    assert deals["deal_id"].is_unique
    assert deals["owner"].nunique() == 8
    assert 120 <= deals["client_id"].nunique() <= 200
    assert config.names == list(FUNNEL_SEGMENT)
    assert set(deals["funnel"]) == set(FUNNEL_SEGMENT)
    assert deals["segment"].isna().all()  # left for the app to derive
    span = deals["created_at"].max() - deals["created_at"].min()
    assert pd.Timedelta(days=700) < span <= pd.Timedelta(days=730)
    assert deals["created_at"].max() < pd.Timestamp("2026-11-01")
    assert (deals["amount"] > 0).all()
    assert deals["probability"].between(0, 1).all()
    # different deal sizes per funnel
    medians = deals.groupby("funnel")["amount"].median()
    assert medians["Привлечение"] > medians["Развитие"]
    assert deals["product"].str.contains("новинка").any()


def test_open_deals_at_every_open_stage_of_every_funnel(demo):
    deals, _, config = demo
    open_deals = deals[deals["status"] == "open"]
    for funnel in config.funnels:
        here = open_deals[open_deals["funnel"] == funnel.name]
        assert set(here["stage"]) == set(funnel.stage_names), funnel.name
        assert funnel.won == [WON_STAGE] and funnel.lost == [LOST_STAGE]
    assert open_deals["closed_at"].isna().all()
    assert open_deals["expected_close_at"].notna().all()
    assert open_deals["lost_stage"].isna().all()


def test_closed_deals_carry_their_outcome(demo):
    deals, _, config = demo
    won = deals[deals["status"] == "won"]
    lost = deals[deals["status"] == "lost"]
    assert (won["stage"] == WON_STAGE).all() and (lost["stage"] == LOST_STAGE).all()
    assert won["closed_at"].notna().all() and lost["closed_at"].notna().all()
    assert (deals["closed_at"].dropna() >= deals.loc[deals["closed_at"].notna(), "created_at"]).all()
    assert won["lost_stage"].isna().all() and won["lost_reason"].isna().all()
    assert lost["lost_reason"].notna().all()
    for funnel in config.funnels:
        here = lost[lost["funnel"] == funnel.name]
        assert here["lost_stage"].notna().all()
        assert here["lost_stage"].isin(funnel.stage_names).all(), funnel.name
    assert len(won) > 300 and len(lost) > 1_000


def test_history_is_consistent_with_the_deals(demo):
    deals, history, config = demo
    assert set(history["deal_id"]) == set(deals["deal_id"])
    ordered = history.sort_values(["deal_id", "entered_at"], kind="stable")
    assert ordered.index.equals(history.sort_values("deal_id", kind="stable").index)  # entries already in time order
    by_deal = deals.set_index("deal_id")
    first = ordered.groupby("deal_id").first()
    last = ordered.groupby("deal_id").last()
    # every deal starts at its funnel's first stage when it is created, ends at its current stage
    first_stage = by_deal["funnel"].map({f.name: f.stage_names[0] for f in config.funnels})
    assert (first["stage"] == first_stage.reindex(first.index)).all()
    assert (first["entered_at"] == by_deal["created_at"].reindex(first.index)).all()
    assert (last["stage"] == by_deal["stage"].reindex(last.index)).all()
    closed = by_deal[by_deal["status"] != "open"]
    assert (last.loc[closed.index, "entered_at"] == closed["closed_at"]).all()
    won_ids = by_deal.index[by_deal["status"] == "won"]
    assert (last.loc[won_ids, "stage"] == WON_STAGE).all()
    # stage names belong to the deal's funnel; entries are strictly increasing in time
    allowed = {f.name: {*f.stage_names, *f.won, *f.lost} for f in config.funnels}
    funnel_of = history["deal_id"].map(by_deal["funnel"])
    assert all(stage in allowed[f] for stage, f in zip(history["stage"], funnel_of, strict=True))
    assert (ordered.groupby("deal_id")["entered_at"].diff().dropna() > pd.Timedelta(0)).all()
    assert history["entered_at"].max() < pd.Timestamp("2026-11-01")


def test_some_deals_skip_a_stage_and_a_few_move_back(demo):
    deals, history, config = demo
    order = {(f.name, s): i for f in config.funnels for i, s in enumerate(f.stage_names)}
    funnel_of = history["deal_id"].map(deals.set_index("deal_id")["funnel"])
    pos = pd.Series([order.get(k, np.nan) for k in zip(funnel_of, history["stage"], strict=True)], index=history.index)
    step = pos.groupby(history["deal_id"]).diff().dropna()
    assert (step >= 2).sum() > 50  # skipped a stage
    assert 10 < (step < 0).sum() < 0.05 * len(deals)  # stepped back


def test_optimistic_seller_stands_out_and_the_others_are_calibrated(demo):
    deals, _, _ = demo
    closed = deals[deals["status"] != "open"]
    per_seller = closed.assign(won=closed["status"] == "won").groupby("owner")
    gap = per_seller["probability"].mean() - per_seller["won"].mean()
    assert gap[OPTIMISTIC_SELLER] > 0.15
    assert gap.drop(OPTIMISTIC_SELLER).abs().max() < 0.08
    assert per_seller.size().min() > 200
    # sellers differ in skill
    rates = per_seller["won"].mean()
    assert rates.max() - rates.min() > 0.3


def test_each_deal_sits_in_the_funnel_of_its_clients_segment(demo):
    deals, _, _ = demo
    derived = derive_segments(deals)
    assert (derived == deals["funnel"].map(FUNNEL_SEGMENT)).mean() > 0.98
    assert derived.value_counts().min() > 150  # every segment has real volume


def test_config_probabilities_follow_the_simulated_truth(demo):
    deals, _, config = demo
    for funnel in config.funnels:
        probs = [s.probability for s in funnel.stages]
        assert probs == sorted(probs), funnel.name  # later stages are closer to a win
        here = deals[(deals["funnel"] == funnel.name) & (deals["status"] != "open")]
        observed = (here["status"] == "won").mean()
        assert abs(probs[0] - observed) < 0.08, funnel.name
    rates = {f.name: f.stages[0].probability for f in config.funnels}
    assert rates["Развитие"] > rates["Реактивация"] > rates["Привлечение"]


def test_amocrm_file_is_a_windows_1251_export_of_the_same_deals(demo):
    deals, _, _ = demo
    raw = (DATA / "demo_amocrm.csv").read_bytes()
    assert raw.count(b"\r\n") == len(deals) + 1
    table = pd.read_csv(io.BytesIO(raw), sep=";", encoding="cp1251", dtype=str, keep_default_na=False)
    assert list(table.columns[:10]) == [
        "ID",
        "Название сделки",
        "Бюджет ",
        "Ответственный",
        "Дата создания сделки",
        "Дата закрытия",
        "Этап сделки",
        "Воронка",
        "Компания",
        "Источник",
    ]
    assert table["ID"].tolist() == deals["deal_id"].tolist()
    assert (table["Дата закрытия"] == "не закрыта").sum() == (deals["status"] == "open").sum()
    amounts = table["Бюджет "].str.replace(" ", "").astype(float)
    assert amounts.sum() == deals["amount"].sum()
    assert table["Бюджет "].str.fullmatch(r"\d{1,3}( \d{3})*").all()
    created = pd.to_datetime(table["Дата создания сделки"], format="%d.%m.%Y %H:%M:%S")
    assert (created.to_numpy() == deals["created_at"].to_numpy()).all()
    assert table.equals(amocrm_export(deals).astype(str))


def _summary(frame: pd.DataFrame) -> tuple:
    counts = frame["status"].value_counts()
    return len(frame), counts.get("won", 0), counts.get("lost", 0), counts.get("open", 0), frame["amount"].sum()


@pytest.mark.parametrize("name", ["demo_deals.csv", "demo_amocrm.csv"])
def test_importer_reads_the_shipped_files_back(demo, name):
    imported = read_deals(DATA / name).deals
    assert _summary(imported) == pytest.approx(_summary(demo[0]))
