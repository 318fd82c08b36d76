"""The HTML report: sections chosen, figures from the scenario, every user text escaped, charts inline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from funnel_model.compensation import preset
from funnel_model.config import FunnelConfig, FunnelSpec, StageSpec
from funnel_model.report import build_report, report_sections
from funnel_model.scenario import Scenario, StageProbability
from funnel_model.schema import conform
from funnel_model.segments import derive_segments

EVIL = "<script>alert(1)</script>"
CONFIG = FunnelConfig(
    [FunnelSpec(EVIL, [StageSpec("Встреча", 0.2), StageSpec("<b>КП</b>", 0.5)], won=["Won"], lost=["Lost"])]
)


def deals() -> pd.DataFrame:
    day = pd.Timestamp("2024-01-10")
    rows = []
    for i in range(40):
        stage, status = (("Won", "won"), ("Lost", "lost"), ("Встреча", "open"), ("<b>КП</b>", "open"))[i % 4]
        rows.append(
            {
                "deal_id": str(i),
                "client_id": EVIL if i % 5 == 0 else f"c{i}",
                "funnel": EVIL,
                "stage": stage,
                "status": status,
                "lost_stage": "Встреча" if status == "lost" else None,
                "amount": 100_000.0 + i,
                "owner": EVIL if i % 2 else "=cmd|x",
                "created_at": day + pd.Timedelta(days=i),
                "closed_at": day + pd.Timedelta(days=i + 20) if status != "open" else pd.NaT,
            }
        )
    table = conform(pd.DataFrame(rows))
    table["segment"] = derive_segments(table)
    return table


SCENARIO = Scenario(
    name=EVIL,
    plan_target=1_000_000.0,
    stage_probabilities=(StageProbability(EVIL, "Встреча", 0.35),),
    plans={"a": preset("mix_50_50", "ru"), "b": preset("cliff", "ru")},
)


@pytest.fixture(scope="module")
def report() -> str:
    return build_report(deals(), None, CONFIG, SCENARIO, title=EVIL, client=f"ООО {EVIL}", lang="ru", currency="₽")


def test_no_user_text_reaches_the_html_raw(report):
    assert "<script" not in report.lower()
    assert "<b>КП</b>" not in report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report  # shown as text: title, client, funnel, scenario
    assert report.count("&lt;script&gt;") >= 4


def test_the_report_has_every_section_with_the_scenarios_figures(report):
    for section in ("summary", "funnels", "forecast", "reverse", "clients", "compensation", "assumptions"):
        assert f'<section id="{section}">' in report
    assert "@page { size: A4" in report
    assert "Данные на 07.03.2024" in report  # the last date of the data (deal 37 closed), ДД.ММ.ГГГГ
    assert "35\u00a0%" in report or "35 %" in report  # the what-if rate among the assumptions
    assert "вместо 20 %" in report
    assert "1\u202f000\u202f000 ₽" in report  # the plan, grouped, with the currency


def test_charts_are_inline_svg_that_parses(report):
    svgs = re.findall(r"<svg.*?</svg>", report, flags=re.S)
    assert svgs, "no chart"
    for svg in svgs:
        ET.fromstring(svg)  # well-formed XML
    assert "src=" not in report and 'href="http' not in report  # nothing fetched from outside


def test_only_the_chosen_sections_in_report_order():
    sections = report_sections(deals(), None, CONFIG, SCENARIO, sections=("assumptions", "forecast"), charts=False)
    assert [s.key for s in sections] == ["forecast", "assumptions"]
    forecast = dict(sections[0].table[1:])
    # two open deals groups: 10 at "Встреча" (35 %), 10 at "КП" (50 % configured); expected revenue by hand
    amounts = deals().query("status == 'open'")
    expected = (amounts["amount"] * amounts["stage"].map({"Встреча": 0.35, "<b>КП</b>": 0.5})).sum()
    assert forecast["Expected revenue of the open deals"] == f"{expected:,.0f}".replace(",", "\u202f")
