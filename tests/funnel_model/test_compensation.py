"""Compensation plans: every boundary of the pay curve pinned by hand-computed values."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from funnel_model import compensation as comp
from funnel_model.compensation import (
    Basis,
    CompensationPlan,
    Condition,
    Deduction,
    DeductionKind,
    FixedPart,
    PenaltyPart,
    Tier,
    TierMode,
    VariablePart,
)
from funnel_model.errors import CompensationPlanError, ParameterError
from funnel_model.period import period_win_probabilities
from funnel_model.schema import conform

REPORTS, CRM = "Reports", "CRM"


def make_plan(
    mode=TierMode.MARGINAL,
    *,
    threshold=0.5,
    tiers=((0.0, 1.0), (1.0, 1.5), (1.2, 2.0)),
    cap=None,
    basis=Basis.TARGET_BONUS,
    target_bonus=100.0,
    base=1000.0,
    deductions=(),
    from_base=False,
    new_product_rate=0.0,
    new_client_bonus=0.0,
    markers=(),
    target=1000.0,
):
    return CompensationPlan(
        name="T",
        fixed=FixedPart(base, (Condition(REPORTS, "late reports"), Condition(CRM, "breaches"))),
        variable=VariablePart(
            basis=basis,
            target_bonus=target_bonus,
            threshold=threshold,
            tiers=tuple(Tier(s, r) for s, r in tiers),
            mode=mode,
            cap=cap,
            new_product_rate=new_product_rate,
            new_product_markers=markers,
            new_client_bonus=new_client_bonus,
        ),
        penalty=PenaltyPart(tuple(Deduction(c, k, v) for c, k, v in deductions), from_base=from_base),
        target=target,
    )


# --------------------------------------------------------------------------- the pay curve


@pytest.mark.parametrize(
    ("attainment", "expected"),
    [
        (0.0, 0.0),
        (0.4999, 0.0),  # just below the threshold: nothing
        (0.5, 50.0),  # at the threshold: the first tier from zero (a cliff)
        (0.9, 90.0),
        (1.0, 100.0),  # 100 %: the whole target bonus
        (1.1, 115.0),  # 100 + 0.1 × 1.5 × 100
        (1.2, 130.0),  # tier edge: 100 + 0.2 × 150
        (1.5, 190.0),  # 130 + 0.3 × 2 × 100
    ],
)
def test_marginal_tiers_pay_each_slice_at_its_own_rate(attainment, expected):
    assert comp.attainment_pay(make_plan(), attainment) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("attainment", "expected"),
    [
        (0.4999, 0.0),
        (0.5, 50.0),
        (0.99, 99.0),
        (1.0, 150.0),  # reaching 100 % lifts the whole amount to 1.5
        (1.19, 178.5),
        (1.2, 240.0),  # 1.2 × 2 × 100
        (1.5, 300.0),
    ],
)
def test_retroactive_tiers_pay_the_whole_amount_at_the_reached_rate(attainment, expected):
    assert comp.attainment_pay(make_plan(TierMode.RETROACTIVE), attainment) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(("mode", "at_cap"), [(TierMode.MARGINAL, 190.0), (TierMode.RETROACTIVE, 300.0)])
def test_cap_freezes_plan_pay(mode, at_cap):
    plan = make_plan(mode, cap=1.5)
    pay = comp.attainment_pay(plan, [1.4999, 1.5, 1.5001, 3.0])
    assert pay[1] == pytest.approx(at_cap)
    assert pay[2] == pay[3] == pay[1]
    assert pay[0] < pay[1]


def test_revenue_basis_rates_are_shares_of_revenue():
    plan = make_plan(basis=Basis.REVENUE, tiers=((0.0, 0.05), (1.0, 0.08)), threshold=0.0)
    # marginal: 5 % of the first 1000, 8 % of the next 500
    assert comp.attainment_pay(plan, 1.5, target=1000.0) == pytest.approx(50.0 + 40.0)
    retro = make_plan(TierMode.RETROACTIVE, basis=Basis.REVENUE, tiers=((0.0, 0.05), (1.0, 0.08)), threshold=0.0)
    assert comp.attainment_pay(retro, 1.5, target=1000.0) == pytest.approx(120.0)


def test_a_first_tier_after_zero_pays_nothing_below_it():
    plan = make_plan(threshold=0.0, tiers=((0.5, 1.0), (1.0, 2.0)))
    assert comp.attainment_pay(plan, [0.4, 0.5, 1.0, 1.1]) == pytest.approx([0.0, 0.0, 50.0, 70.0])


def test_target_bonus_scales_with_the_months_of_the_period():
    assert comp.attainment_pay(make_plan(), 1.0, months=3) == pytest.approx(300.0)


def test_revenue_summed_with_round_off_still_meets_the_plan_exactly():
    plan = make_plan(TierMode.RETROACTIVE)
    revenue = sum([0.1] * 10)  # 0.9999999999999999
    assert revenue < 1.0
    pay = comp.total_pay(plan, revenue, 1.0)
    assert pay["plan_pay"] == pytest.approx(150.0)


# --------------------------------------------------------------------------- penalties


def test_penalties_come_out_of_the_variable_part():
    plan = make_plan(
        deductions=((REPORTS, DeductionKind.AMOUNT, 30.0), (CRM, DeductionKind.BONUS_SHARE, 0.5)),
    )
    pay = comp.total_pay(
        plan, [1000.0, 1000.0, 1000.0], 1000.0, unmet={REPORTS: [True, False, True], CRM: [True, True, False]}
    )
    # bonus 100: both unmet 30 + 50; CRM only 50; reports only 30
    assert pay["penalty"] == pytest.approx([80.0, 50.0, 30.0])
    assert pay["total"] == pytest.approx([1020.0, 1050.0, 1070.0])
    assert pay["fixed"] == pytest.approx([1000.0] * 3)


def test_a_penalty_larger_than_the_bonus_floors_the_variable_part_at_zero_and_leaves_the_base():
    plan = make_plan(deductions=((REPORTS, DeductionKind.AMOUNT, 500.0),))
    pay = comp.total_pay(plan, [1000.0, 0.0], 1000.0, unmet={REPORTS: True})
    assert pay["deduction"] == pytest.approx([500.0, 500.0])
    assert pay["penalty"] == pytest.approx([100.0, 0.0])
    assert pay["total"] == pytest.approx([1000.0, 1000.0])
    assert pay["base_cut"] == pytest.approx([0.0, 0.0])


def test_from_base_lets_deductions_reach_the_base_and_is_warned():
    plan = make_plan(deductions=((REPORTS, DeductionKind.AMOUNT, 500.0),), from_base=True)
    pay = comp.total_pay(plan, 1000.0, 1000.0, unmet={REPORTS: True})
    assert pay["penalty"] == pytest.approx(500.0)
    assert pay["total"] == pytest.approx(600.0)
    assert pay["base_cut"] == pytest.approx(400.0)
    kinds = {w.kind for w in comp.labour_law_warnings(plan)}
    assert "from_base" in kinds


def test_zero_revenue_pays_the_base_only():
    for mode in TierMode:
        pay = comp.total_pay(make_plan(mode, threshold=0.0), 0.0, 1000.0)
        assert pay["variable"] == 0.0
        assert pay["total"] == 1000.0


# --------------------------------------------------------------------------- labour law


def test_a_plan_that_can_cut_more_than_20_percent_is_warned_in_both_languages():
    plan = make_plan(base=100.0, deductions=((REPORTS, DeductionKind.BONUS_SHARE, 0.3),))
    warnings = comp.labour_law_warnings(plan)
    assert [w.kind for w in warnings] == ["over_limit"]
    w = warnings[0]
    # worst case at the grid's end, 220 %: bonus 100 + 0.2 × 150 + 1.0 × 200 = 330, cut 0.3 × 330 = 99 of 430
    assert w.share == pytest.approx(99 / 430)
    en, ru = w.message("en"), w.message("ru")
    assert "art. 135" in en and "144-FZ" in en and "art. 192" in en
    assert "ст. 135" in ru and "144-ФЗ" in ru and "ст. 192" in ru
    assert "cut 23 % of the monthly pay, more than 20 %" in en
    assert "на 23 %, больше 20 %" in ru


def test_the_20_percent_limit_is_exclusive():
    # base 400, bonus 100 at 100 %: a 100 deduction is exactly 20 % of 500 → lawful
    plan = make_plan(
        base=400.0, threshold=0.0, tiers=((0.0, 1.0),), cap=1.0, deductions=((REPORTS, DeductionKind.AMOUNT, 100.0),)
    )
    assert comp.labour_law_warnings(plan) == []
    harsher = make_plan(
        base=399.0, threshold=0.0, tiers=((0.0, 1.0),), cap=1.0, deductions=((REPORTS, DeductionKind.AMOUNT, 100.0),)
    )
    assert [w.kind for w in comp.labour_law_warnings(harsher)] == ["over_limit"]


@pytest.mark.parametrize("name", comp.PRESETS)
def test_presets_are_lawful(name):
    assert comp.labour_law_warnings(comp.preset(name, "ru")) == []


def test_sellers_whose_actual_cut_is_over_the_limit_are_named():
    plan = make_plan(base=100.0, deductions=((REPORTS, DeductionKind.BONUS_SHARE, 0.5),))
    pay = pd.DataFrame(
        comp.total_pay(plan, [1000.0, 1000.0], 1000.0, unmet={REPORTS: [True, False]}), index=["Ann", "Bob"]
    )
    sellers = [w.seller for w in comp.labour_law_warnings(plan, pay) if w.seller is not None]
    assert sellers == ["Ann"]  # 50 of 200 = 25 %


def test_over_several_months_the_cut_is_checked_against_one_months_pay():
    # base 1000 and bonus 100 a month; a late report costs 250 once in the quarter
    plan = make_plan(threshold=0.0, tiers=((0.0, 1.0),), deductions=((REPORTS, DeductionKind.AMOUNT, 250.0),))
    pay = pd.DataFrame(comp.total_pay(plan, 3000.0, 3000.0, unmet={REPORTS: True}, months=3), index=["Ann"])
    assert pay.loc["Ann", "penalty"] == 250.0
    # 250 of a month's 1100, not of the quarter's 3300 (7.6 %, which would pass)
    assert pay.loc["Ann", "cut_share"] == pytest.approx(250 / 1100)
    warnings = comp.labour_law_warnings(plan, pay, months=3)
    # the plan's own worst month cuts at most its bonus: 200 of 1200 at 200 %
    assert [(w.kind, w.seller) for w in warnings] == [("over_limit", "Ann")]
    assert warnings[0].share == pytest.approx(250 / 1100)


def test_over_several_months_the_base_cut_is_a_share_of_one_months_base():
    plan = make_plan(deductions=((REPORTS, DeductionKind.AMOUNT, 1500.0),), from_base=True)
    pay = pd.DataFrame(comp.total_pay(plan, 0.0, 3000.0, unmet={REPORTS: True}, months=3), index=["Ann"])
    assert pay.loc["Ann", ["penalty", "base_cut", "total"]].tolist() == [1500.0, 1500.0, 1500.0]
    by_seller = [w for w in comp.labour_law_warnings(plan, pay, months=3) if w.seller == "Ann"]
    assert [(w.kind, w.share) for w in by_seller] == [("over_limit", 1.5), ("from_base", 1.5)]
    assert "150 %" in by_seller[1].message("ru")


# --------------------------------------------------------------------------- JSON and validation


@pytest.mark.parametrize("name", comp.PRESETS)
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_json_round_trip(name, lang):
    plan = comp.preset(name, lang)
    text = plan.to_json()
    assert CompensationPlan.from_json(text) == plan
    assert CompensationPlan.from_json(text.encode("utf-8")) == plan


def test_json_round_trip_of_every_field():
    plan = make_plan(
        TierMode.RETROACTIVE,
        cap=1.8,
        basis=Basis.REVENUE,
        deductions=((REPORTS, DeductionKind.BONUS_SHARE, 0.1), (CRM, DeductionKind.AMOUNT, 7.0)),
        from_base=True,
        new_product_rate=0.03,
        new_client_bonus=11.0,
        markers=("новинка",),
    )
    assert CompensationPlan.from_json(plan.to_json()) == plan


def _edited(path, value):
    data = json.loads(comp.preset("mix_50_50").to_json())
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return json.dumps(data)


@pytest.mark.parametrize(
    ("text", "key", "names"),
    [
        ("{not json", "compensation.error.bad_json", ""),
        ("[1, 2]", "compensation.error.not_plan", "name"),
        (json.dumps({"name": "x"}), "compensation.error.missing_field", "fixed"),
        (_edited(("fixed",), 5), "compensation.error.not_object", "fixed"),
        (_edited(("variable", "tiers"), {"start": 0}), "compensation.error.not_list", "variable.tiers"),
        (_edited(("variable", "tiers"), [{"rate": 1}]), "compensation.error.missing_field", "variable.tiers[1].start"),
        (_edited(("penalty", "from_base"), "false"), "compensation.error.not_boolean", "penalty.from_base"),
        (_edited(("penalty", "from_base"), 0), "compensation.error.not_boolean", "penalty.from_base"),
        (
            _edited(
                ("penalty", "deductions"),
                [
                    {"condition": "Timely reports", "kind": "bonus_share", "value": 0.8},
                    {"condition": "CRM standards", "kind": "bonus_share", "value": 0.8},
                ],
            ),
            "compensation.error.share_sum",
            "160 %",
        ),
        (_edited(("fixed", "base"), -5), "compensation.error.negative", "fixed.base"),
        (_edited(("fixed", "base"), "lots"), "compensation.error.not_number", "fixed.base"),
        (_edited(("variable", "mode"), "progressive"), "compensation.error.bad_choice", "variable.mode"),
        (_edited(("variable", "tiers"), []), "compensation.error.no_tiers", ""),
        (
            _edited(("variable", "tiers"), [{"start": 0, "rate": 1}, {"start": 0, "rate": 2}]),
            "compensation.error.tier_order",
            "2",
        ),
        (_edited(("variable", "cap"), 0.4), "compensation.error.cap_below_threshold", "0.4"),
        (
            _edited(("penalty", "deductions"), [{"condition": "Dress code", "kind": "amount", "value": 1}]),
            "compensation.error.unknown_condition",
            "Dress code",
        ),
        (
            _edited(("penalty", "deductions"), [{"condition": "Timely reports", "kind": "bonus_share", "value": 10}]),
            "compensation.error.share_range",
            "Timely reports",
        ),
    ],
)
def test_invalid_plans_are_rejected_with_a_message_naming_the_field(text, key, names):
    with pytest.raises(CompensationPlanError) as info:
        CompensationPlan.from_json(text)
    assert info.value.key == key
    for lang in ("en", "ru"):
        assert names in info.value.message(lang)


@pytest.mark.parametrize("value", [True, False])
def test_from_base_reads_json_booleans(value):
    plan = CompensationPlan.from_json(_edited(("penalty", "from_base"), value))
    assert plan.penalty.from_base is value


def test_a_string_false_does_not_turn_on_deductions_from_the_base():
    with pytest.raises(CompensationPlanError) as info:
        CompensationPlan.from_json(_edited(("penalty", "from_base"), "false"))
    assert info.value.message("en") == (
        "Plan field penalty.from_base: “false” is not true or false. Write true or false without quotes."
    )


def test_broken_json_is_explained_in_russian_with_the_technical_detail_last():
    with pytest.raises(CompensationPlanError) as info:
        CompensationPlan.from_json("{oops")
    ru = info.value.message("ru")
    text, detail = ru.split("Техническая подробность: ")
    assert text.startswith("Файл системы мотивации — не корректный JSON (строка 1, позиция 2).")
    assert detail == "Expecting property name enclosed in double quotes"  # json's own words, marked and last
    assert "Expecting" not in text


def test_share_deductions_may_take_the_whole_bonus_but_no_more():
    both = ((REPORTS, DeductionKind.BONUS_SHARE, 0.6), (CRM, DeductionKind.BONUS_SHARE, 0.4))
    pay = comp.total_pay(make_plan(deductions=both), 1000.0, 1000.0, unmet={REPORTS: True, CRM: True})
    assert pay["penalty"] == pytest.approx(100.0)
    with pytest.raises(CompensationPlanError) as info:
        # with from_base, 0.8 + 0.8 made total pay fall as revenue rose: 42 000 → 24 000 → 0
        make_plan(
            deductions=((REPORTS, DeductionKind.BONUS_SHARE, 0.8), (CRM, DeductionKind.BONUS_SHARE, 0.8)),
            from_base=True,
        )
    assert info.value.key == "compensation.error.share_sum"
    assert "160 %" in info.value.message("ru")


def test_retroactive_rates_must_not_fall():
    with pytest.raises(CompensationPlanError) as info:
        make_plan(TierMode.RETROACTIVE, tiers=((0.0, 2.0), (1.0, 1.0)))
    assert info.value.key == "compensation.error.retroactive_decreasing"
    make_plan(TierMode.MARGINAL, tiers=((0.0, 2.0), (1.0, 1.0)))  # a decelerator is fine when marginal


def test_duplicate_and_empty_conditions_are_rejected():
    with pytest.raises(CompensationPlanError, match="twice"):
        CompensationPlan("x", FixedPart(1.0, (Condition("a"), Condition("a"))), VariablePart())
    with pytest.raises(CompensationPlanError, match="no name"):
        CompensationPlan("x", FixedPart(1.0, (Condition(" "),)), VariablePart())


# --------------------------------------------------------------------------- pay per revenue


def test_pay_per_revenue():
    mix = comp.preset("mix_50_50")
    assert comp.pay_per_revenue(mix, 1.0, target=1_000_000) == pytest.approx(0.06)  # 60 000 per 1 000 000
    assert comp.pay_per_revenue(mix, 0.0) == 0.0  # under the threshold
    assert comp.pay_per_revenue(mix, 0.4) == 0.0
    assert comp.pay_per_revenue(mix, 1.3, target=1_000_000) == pytest.approx(87_000 / 1_300_000)
    cliff = comp.preset("cliff")
    assert comp.pay_per_revenue(cliff, 0.95) == pytest.approx(0.08)
    assert comp.pay_per_revenue(cliff, 1.0) == pytest.approx(0.10)
    linear = make_plan(threshold=0.0, basis=Basis.REVENUE, tiers=((0.0, 0.05),))
    assert comp.pay_per_revenue(linear, 0.0) == pytest.approx(0.05)  # the limit from above
    with pytest.raises(ParameterError):
        comp.pay_per_revenue(mix, -1.0)


# --------------------------------------------------------------------------- actuals


@pytest.fixture
def deals():
    rows = [
        # deal_id, owner, status, amount, closed_at, product, segment, client_id
        ("1", "Ann", "won", 600.0, "2026-01-10", "Cloud (новинка)", "new", "c1"),
        ("2", "Ann", "won", 400.0, "2026-01-20", "Licenses", "new", "c1"),  # same new client
        ("3", "Ann", "won", 5000.0, "2026-02-03", "Licenses", "active", "c2"),  # after the period
        ("4", "Ann", "lost", 300.0, "2026-01-15", "Licenses", "new", "c3"),
        ("5", "Ann", "open", 700.0, None, "Licenses", "new", "c4"),
        ("6", "Bob", "won", 300.0, "2026-01-31 23:59", "Renewal support", "active", "c5"),  # "new" inside a word
        ("7", "Bob", "won", 200.0, "2026-02-01 00:00", "NEW: analytics", "new", "c6"),  # end is excluded
        ("8", "Cat", "lost", 900.0, "2026-01-05", "Licenses", "new", "c7"),
    ]
    frame = pd.DataFrame(
        rows, columns=["deal_id", "owner", "status", "amount", "closed_at", "product", "segment", "client_id"]
    )
    frame["stage"] = frame["status"]
    frame["closed_at"] = pd.to_datetime(frame["closed_at"], format="ISO8601")
    return conform(frame)


TARGETS = {"Ann": 1000.0, "Bob": 600.0, "Cat": 500.0, "Zed": 800.0}


def extras_plan(**kw):
    return make_plan(new_product_rate=0.1, new_client_bonus=20.0, markers=("новинка", "new"), **kw)


def test_seller_actuals(deals):
    got = comp.seller_actuals(deals, extras_plan(), "2026-01-01", "2026-02-01", sellers=list(TARGETS))
    assert got.loc["Ann"].to_dict() == {"revenue": 1000.0, "new_revenue": 600.0, "new_clients": 1.0, "deals_won": 2.0}
    assert got.loc["Bob"].to_dict() == {"revenue": 300.0, "new_revenue": 0.0, "new_clients": 0.0, "deals_won": 1.0}
    assert got.loc["Zed"].to_dict() == {"revenue": 0.0, "new_revenue": 0.0, "new_clients": 0.0, "deals_won": 0.0}


def _actuals_oracle(deals, plan, start, end, sellers):
    """Won revenue, new-product revenue and distinct new clients per seller, a group-by on the table's text columns."""
    won = deals[(deals["status"] == "won") & (deals["closed_at"] >= start) & (deals["closed_at"] < end)]
    won = won[won["owner"].notna()]
    amount = won["amount"].fillna(0.0)
    new = comp.is_new_product(won["product"], plan)
    client = won["client_id"].astype("str").where(won["client_id"].notna(), "deal:" + won["deal_id"].astype(str))
    frame = pd.DataFrame(
        {
            "seller": won["owner"].astype(str),
            "revenue": amount,
            "new_revenue": amount.where(new, 0.0),
            "client": client.where(won["segment"] == "new"),
        }
    )
    grouped = frame.groupby("seller")
    out = pd.DataFrame(
        {
            "revenue": grouped["revenue"].sum(),
            "new_revenue": grouped["new_revenue"].sum(),
            "new_clients": grouped["client"].nunique().astype(float),
            "deals_won": grouped["revenue"].size().astype(float),
        }
    )
    return out.reindex(pd.Index(sellers, name="seller"), fill_value=0.0).astype(float)


def test_seller_actuals_from_the_prepared_won_deals_are_the_tables_group_by():
    # cents that round in floats, missing amounts, products, clients and close dates, a new client with
    # deals on both sides of a period's end, owners without a won deal, a seller asked for who owns nothing
    rng = np.random.default_rng(5)
    n = 400
    frame = pd.DataFrame(
        {
            "deal_id": [f"d{i}" for i in range(n)],
            "owner": rng.choice(["Ann", "Bob", "Cat", "Dan", None], n, p=[0.3, 0.3, 0.2, 0.1, 0.1]),
            "status": rng.choice(["won", "lost", "open"], n, p=[0.6, 0.3, 0.1]),
            "amount": np.where(rng.random(n) < 0.05, np.nan, np.round(rng.uniform(0.0, 9999.99, n), 2)),
            "closed_at": pd.Timestamp("2025-11-01") + pd.to_timedelta(rng.integers(0, 120 * 24, n), unit="h"),
            "product": rng.choice(["Cloud (новинка)", "Licenses", "NEW: analytics", "Renewal", None], n),
            "segment": rng.choice(["new", "active", "dormant"], n),
            "client_id": rng.choice([f"c{i}" for i in range(40)] + [None], n),
        }
    )
    frame.loc[rng.random(n) < 0.05, "closed_at"] = pd.NaT
    frame.loc[frame["owner"] == "Dan", "status"] = "lost"
    frame["stage"] = frame["status"]
    deals = conform(frame)
    won = comp.won_deals(deals)
    assert won.sellers == ("Ann", "Bob", "Cat", "Dan")
    sellers = ["Ann", "Bob", "Cat", "Dan", "Zed"]
    for plan in (extras_plan(), make_plan(markers=("Licenses",))):
        for start, end in (("2025-12-01", "2026-01-01"), ("2025-11-01", "2026-03-01"), ("2026-02-10", "2026-02-11")):
            want = _actuals_oracle(deals, plan, pd.Timestamp(start), pd.Timestamp(end), sellers)
            for source in (deals, won):
                got = comp.seller_actuals(source, plan, start, end, sellers=sellers)
                pd.testing.assert_frame_equal(got, want, check_exact=True)
            pay = comp.pay_from_actuals(plan, won, dict.fromkeys(sellers, 5000.0), start, end)
            pd.testing.assert_frame_equal(
                pay, comp.pay_from_actuals(plan, deals, dict.fromkeys(sellers, 5000.0), start, end)
            )
    assert comp.seller_actuals(won, extras_plan(), "2025-12-01", "2026-01-01").index.tolist() == list(won.sellers)
    # straight from the table only the period's won deals are prepared, and every owner is still reported
    within = comp.won_deals(deals, within=("2025-12-01", "2026-01-01"))
    assert within.sellers == won.sellers and len(within.amount) < len(won.amount)
    assert comp.seller_actuals(deals, extras_plan(), "2025-12-01", "2026-01-01").index.tolist() == list(won.sellers)
    # products read as their own text, as is_new_product reads them: 1, 1.0 and True are three names
    odd = deals.head(3).assign(status="won", owner="Ann", closed_at=pd.Timestamp("2026-01-05"), amount=100.0)
    odd["product"] = pd.Series([1, 1.0, True], dtype=object, index=odd.index)
    listed = CompensationPlan("x", FixedPart(0.0), VariablePart(new_products=("1",)))
    assert (
        comp.seller_actuals(comp.won_deals(odd), listed, "2026-01-01", "2026-02-01").loc["Ann", "new_revenue"] == 100.0
    )
    # the targets' history: each owner's won revenue over the twelve months before the end, Dan none
    lookback = deals[
        (deals["status"] == "won") & (deals["closed_at"] >= "2025-02-01") & (deals["closed_at"] < "2026-02-01")
    ]
    by_owner = lookback.groupby("owner")["amount"].sum().reindex(list(won.sellers), fill_value=0.0)
    assert comp._lookback_revenue(won, "2026-02-01", 12).to_numpy().tobytes() == by_owner.to_numpy().tobytes()
    pd.testing.assert_series_equal(
        comp.default_targets(won, "2026-02-01", 1), comp.default_targets(deals, "2026-02-01", 1)
    )
    assert comp.sellers_without_history(won, "2026-02-01") == ["Dan"]
    assert comp.sellers_without_history(deals, "2025-11-01") == list(won.sellers)


def test_pay_from_actuals(deals):
    pay = comp.pay_from_actuals(extras_plan(), deals, TARGETS, "2026-01-01", "2026-02-01")
    # Ann: 100 % → 100, new services 10 % × 600 = 60, one new client 20
    assert pay.loc["Ann", ["plan_pay", "new_product_pay", "new_client_pay", "total"]].tolist() == pytest.approx(
        [100.0, 60.0, 20.0, 1180.0]
    )
    # Bob: exactly at the 50 % threshold → 50
    assert pay.loc["Bob", ["attainment", "plan_pay", "total"]].tolist() == pytest.approx([0.5, 50.0, 1050.0])
    # Cat has only lost deals, Zed no deals at all: the base
    assert pay.loc[["Cat", "Zed"], "total"].tolist() == [1000.0, 1000.0]
    assert list(pay.index) == list(TARGETS)


def test_pay_from_actuals_applies_condition_results(deals):
    plan = extras_plan(deductions=((REPORTS, DeductionKind.BONUS_SHARE, 0.5), (CRM, DeductionKind.AMOUNT, 500.0)))
    conditions = pd.DataFrame({REPORTS: [False, True], CRM: [True, False]}, index=["Ann", "Bob"])
    pay = comp.pay_from_actuals(plan, deals, TARGETS, "2026-01-01", "2026-02-01", conditions=conditions)
    assert pay.loc["Ann", "penalty"] == pytest.approx(90.0)  # half of 180
    assert pay.loc["Bob", ["penalty", "total"]].tolist() == pytest.approx([50.0, 1000.0])  # 500 > bonus 50
    assert pay.loc["Cat", "penalty"] == 0.0  # not in the table: met


def test_a_target_of_zero_is_an_error(deals):
    with pytest.raises(ParameterError) as info:
        comp.pay_from_actuals(extras_plan(), deals, {"Ann": 0.0}, "2026-01-01", "2026-02-01")
    assert "Ann" in info.value.message("ru")


def test_period_months():
    assert comp.period_months("2026-01-01", "2026-04-01") == 3.0
    assert comp.period_months("2026-01-15", "2026-01-30") == pytest.approx(15 / 30.4375)


def test_is_new_product_matches_whole_words_and_listed_names():
    products = pd.Series(["Облачный сервис (новинка)", "Renewal", "NEW: BI", "Licenses", None, "Licenses X"])
    plan = make_plan(markers=("новинка", "new"))
    assert comp.is_new_product(products, plan).tolist() == [True, False, True, False, False, False]
    listed = CompensationPlan("x", FixedPart(0.0), VariablePart(new_products=("Licenses X",)))
    assert comp.is_new_product(products, listed).tolist() == [False, False, False, False, False, True]


def test_is_new_product_reads_each_value_as_its_own_text():
    # 1, 1.0 and True hash alike: each must still be judged by its own text
    products = pd.Series([1, 1.0, True, "1"], dtype=object)
    listed = CompensationPlan("x", FixedPart(0.0), VariablePart(new_products=("1",)))
    assert comp.is_new_product(products, listed).tolist() == [True, False, False, True]


def test_default_targets_round_up_the_monthly_average(deals):
    got = comp.default_targets(deals, end="2026-03-01", months=1, lookback_months=2)
    # Ann: (1000 + 5000) / 2 = 3000; Bob: 500 / 2 = 250; Cat nothing → median of the others 1625 → 1700
    assert got.to_dict() == {"Ann": 3000.0, "Bob": 250.0, "Cat": 1700.0}


def test_default_targets_fall_back_and_say_for_whom(deals):
    assert comp.sellers_without_history(deals, end="2026-03-01", lookback_months=2) == ["Cat"]
    # before any won deal nobody has history: every target is the placeholder × months
    early = comp.default_targets(deals, end="2026-01-01", months=2, default_monthly=500.0)
    assert early.to_dict() == {"Ann": 1000.0, "Bob": 1000.0, "Cat": 1000.0}
    assert comp.sellers_without_history(deals, end="2026-01-01") == ["Ann", "Bob", "Cat"]


def bitrix_like():
    """Won deals as a Bitrix24 export gives them: no close date; expected close and creation dates."""
    frame = pd.DataFrame(
        {
            "deal_id": ["1", "2", "3", "4", "5"],
            "owner": ["Ann", "Ann", "Bob", "Bob", "Bob"],
            "status": ["won", "won", "won", "lost", "won"],
            "amount": [100.0, 200.0, 300.0, 400.0, 500.0],
            "created_at": pd.to_datetime(["2025-02-20", "2025-02-25", "2025-03-01", "2025-03-02", None]),
            "expected_close_at": pd.to_datetime(["2025-03-10", None, None, "2025-03-20", None]),
            "closed_at": pd.to_datetime([None, None, "2025-03-15", None, None]),
        }
    )
    frame["stage"] = frame["status"]
    return conform(frame)


def test_won_deals_without_a_close_date_take_the_expected_then_the_creation_date():
    deals = bitrix_like()
    dated, counts = comp.date_won_deals(deals)
    assert counts == {"expected_close_at": 1, "created_at": 1, "undated": 1}
    assert dated["closed_at"].tolist()[:4] == [
        pd.Timestamp("2025-03-10"),  # expected close date
        pd.Timestamp("2025-02-25"),  # creation date
        pd.Timestamp("2025-03-15"),  # its own close date kept
        pd.NaT,  # lost deals are not dated
    ]
    assert pd.isna(dated["closed_at"].iloc[4])  # no date at all
    assert deals["closed_at"].isna().sum() == 4  # the input is untouched
    pay = comp.pay_from_actuals(make_plan(), dated, {"Ann": 1000.0, "Bob": 1000.0}, "2025-03-01", "2025-04-01")
    assert pay["revenue"].to_dict() == {"Ann": 100.0, "Bob": 300.0}


def test_the_period_comes_from_won_close_dates_or_without_wins_from_every_date():
    dated, _ = comp.date_won_deals(bitrix_like())
    assert sorted(comp.period_dates(dated)) == [pd.Timestamp(d) for d in ("2025-02-25", "2025-03-10", "2025-03-15")]
    lost = bitrix_like().assign(status="lost")
    assert sorted(comp.period_dates(lost)) == sorted(
        pd.to_datetime(["2025-02-20", "2025-02-25", "2025-03-01", "2025-03-02", "2025-03-15"])
    )
    # with no won deal, pay from actuals is the base alone
    pay = comp.pay_from_actuals(make_plan(base=700.0), lost, {"Ann": 1000.0, "Bob": 1000.0}, "2025-03-01", "2025-04-01")
    assert pay["total"].tolist() == [700.0, 700.0] and (pay["variable"] == 0).all()


def test_company_totals_and_comparison(deals):
    a = comp.pay_from_actuals(extras_plan(), deals, TARGETS, "2026-01-01", "2026-02-01")
    b = comp.pay_from_actuals(make_plan(base=500.0), deals, TARGETS, "2026-01-01", "2026-02-01")
    totals = comp.company_totals(a)
    assert totals["revenue"] == 1300.0
    assert totals["total"] == pytest.approx(1180 + 1050 + 1000 + 1000)
    assert totals["cost_of_sales"] == pytest.approx(4230 / 1300)
    table = comp.compare_plans({"A": a, "B": b})
    assert table.loc["B", "total"] == pytest.approx(600 + 550 + 500 + 500)
    assert list(table.index) == ["A", "B"]


# --------------------------------------------------------------------------- pay distribution

AMOUNTS = np.array([300.0, 500.0, 900.0, 1300.0])
PROBS = np.array([0.79, 0.19, 0.65, 0.3])


def _pipeline():
    rows = [(str(i), "Ann", "open", a, p) for i, (a, p) in enumerate(zip(AMOUNTS, PROBS, strict=True))]
    frame = pd.DataFrame(rows, columns=["deal_id", "owner", "status", "amount", "probability"])
    frame["stage"] = "proposal"
    return conform(frame)


def _exact_quantile(values, weights, q):
    order = np.argsort(values, kind="stable")
    cdf = np.cumsum(weights[order])
    return values[order][np.searchsorted(cdf, q - 1e-12)]


@pytest.mark.parametrize("mode", list(TierMode))
def test_pay_quantiles_are_pay_at_revenue_quantiles(mode):
    plan = make_plan(mode, threshold=0.8, cap=1.6, deductions=((REPORTS, DeductionKind.BONUS_SHARE, 0.2),))
    target = 1500.0
    conditions = pd.DataFrame({REPORTS: [False, True]}, index=["Ann", "Zed"])
    deals = _pipeline()
    probabilities = pd.Series(PROBS, index=deals.index)
    got = comp.pay_distribution(plan, deals, {"Ann": target, "Zed": 900.0}, probabilities, conditions=conditions)
    ann = got[got["seller"] == "Ann"].set_index("q")

    # independent: every one of the 16 outcomes of the four deals
    outcomes = np.array(list(itertools.product([0, 1], repeat=4)))
    weights = np.prod(np.where(outcomes == 1, PROBS, 1 - PROBS), axis=1)
    revenue = outcomes @ AMOUNTS
    pay = comp.total_pay(plan, revenue, target, unmet={REPORTS: True})["total"]
    cdf_revenue = np.cumsum(weights[np.argsort(revenue)])
    assert np.min(np.abs(cdf_revenue[:, None] - np.array([0.1, 0.5, 0.9]))) > 0.02  # no quantile near a CDF step
    for q in (0.1, 0.5, 0.9):
        assert ann.loc[q, "total"] == pytest.approx(_exact_quantile(pay, weights, q))
        assert ann.loc[q, "revenue"] == pytest.approx(_exact_quantile(revenue, weights, q))

    # and against a seeded Monte Carlo of pay itself
    rng = np.random.default_rng(20261127)
    wins = rng.random((200_000, 4)) < PROBS
    simulated = comp.total_pay(plan, wins @ AMOUNTS, target, unmet={REPORTS: True})["total"]
    mc = np.quantile(simulated, [0.1, 0.5, 0.9], method="inverted_cdf")
    assert ann["total"].to_numpy() == pytest.approx(mc)
    assert ann["p_target"].iloc[0] == pytest.approx(weights[revenue >= target].sum())
    assert ann["p_threshold"].iloc[0] == pytest.approx(weights[revenue >= 0.8 * target].sum())

    zed = got[got["seller"] == "Zed"]  # no open deals: the base at every quantile
    assert zed["total"].tolist() == [1000.0] * 3


def _config(probability=0.3, later=0.6):
    from funnel_model.config import FunnelConfig, FunnelSpec, StageSpec

    stages = [StageSpec("proposal", probability), StageSpec("contract", later)]
    return FunnelConfig([FunnelSpec("main", stages, won=["won"], lost=["lost"])])


def test_deal_probabilities_are_the_stage_rates_unless_own_estimates_are_asked_for():
    deals = _pipeline()  # four open deals at "proposal", own estimates 0.79, 0.19, 0.65, 0.3
    deals.loc[3, "stage"] = "contract"
    deals.loc[2, "probability"] = np.nan
    config = _config()
    stage = comp.forecast_probabilities(deals, config)
    assert stage.tolist() == pytest.approx([0.3, 0.3, 0.3, 0.6])  # the config's, not the sellers'
    assert list(stage.index) == list(deals.index)
    own = comp.forecast_probabilities(deals, config, own=True)
    assert own.tolist() == pytest.approx([0.79, 0.19, 0.3, 0.3])  # own where there is one
    whatif = comp.forecast_probabilities(deals, config, stage_p=[0.5, 0.9])  # the Forecast page's sliders
    assert whatif.tolist() == pytest.approx([0.5, 0.5, 0.5, 0.9])


def test_deal_probabilities_match_the_forecast_module():
    from funnel_model.forecast_views import deal_probabilities, prepare_forecast

    deals = _pipeline()
    deals.loc[3, "stage"] = "contract"
    inputs = prepare_forecast(deals, _config())
    for own in (False, True):
        expected = deal_probabilities(inputs, inputs.stages["configured"].to_numpy(), own=own)
        assert comp.forecast_probabilities(deals, _config(), own=own).to_numpy() == pytest.approx(expected)


def test_pay_distribution_uses_the_given_probabilities_and_respects_close_by():
    deals = _pipeline()
    deals["expected_close_at"] = pd.to_datetime(["2026-01-10", "2026-03-10", None, "2025-12-01"])
    plan = make_plan(threshold=0.0)
    sure = comp.forecast_probabilities(deals, _config(probability=1.0))
    got = comp.pay_distribution(plan, deals, {"Ann": 10_000.0}, sure, close_by="2026-02-01")
    # every kept deal is certain; the March deal is left out: 300 + 900 + 1300
    assert got["revenue"].tolist() == [2500.0] * 3
    with pytest.raises(ParameterError):
        comp.pay_distribution(plan, deals, {"Ann": 10_000.0}, sure.iloc[:2])


def _dated_pipeline():
    """A small history (won and lost with dates) and five open deals of two sellers, one with an expected date."""
    rows = [
        ("h1", "Ann", "won", 100.0, "2025-09-01", "2025-09-20", None),
        ("h2", "Bob", "won", 200.0, "2025-09-15", "2025-11-10", None),
        ("h3", "Ann", "lost", 300.0, "2025-10-01", "2025-10-12", None),
        ("h4", "Bob", "won", 400.0, "2025-10-20", "2025-12-05", None),
        ("h5", "Ann", "won", 150.0, "2025-11-01", "2025-11-25", None),
        ("h6", "Bob", "lost", 250.0, "2025-11-10", "2026-01-02", None),
        ("o1", "Ann", "open", 1000.0, "2025-12-01", None, "2026-02-10"),
        ("o2", "Ann", "open", 700.0, "2026-01-05", None, None),
        ("o3", "Bob", "open", 1300.0, "2025-12-20", None, "2026-04-01"),
        ("o4", "Bob", "open", 500.0, "2026-01-10", None, None),
        ("o5", "Bob", "open", 900.0, "2025-11-20", None, "2026-01-05"),  # expected date already past
    ]
    columns = ["deal_id", "owner", "status", "amount", "created_at", "closed_at", "expected_close_at"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["stage"] = np.where(frame["status"] == "open", "proposal", frame["status"])
    frame.loc[frame["deal_id"].isin(["o3", "o4"]), "stage"] = "contract"
    for column in ("created_at", "closed_at", "expected_close_at"):
        frame[column] = pd.to_datetime(frame[column])
    return conform(frame)


@pytest.mark.parametrize("by_date", [False, True])
def test_the_pay_forecasts_expected_open_revenue_is_the_period_plans(by_date):
    from funnel_model.forecast_views import prepare_forecast
    from funnel_model.period import Period, plan_for_period

    deals = _dated_pipeline()
    config = _config()
    inputs = prepare_forecast(deals, config)
    start, end = comp.next_period(deals, 1)
    assert (start, end) == (pd.Timestamp("2026-02-01"), pd.Timestamp("2026-03-01"))
    period = Period(start, end - pd.Timedelta(days=1), "next_month")
    p = comp.forecast_probabilities(deals, config, inputs=inputs)
    q = period_win_probabilities(inputs, deals, p.to_numpy(), period, by_expected_date=by_date)
    assert 0 < q.sum() < p.sum()  # part of the open deals' wins falls outside February
    if by_date:  # o1 is expected in February: all of its win counts; o3 in April: none of it
        assert q[[6, 8]].tolist() == pytest.approx([p[6], 0.0])
    pay = comp.pay_distribution(make_plan(threshold=0.0), deals, {"Ann": 1000.0, "Bob": 1000.0}, q)
    plan = plan_for_period(inputs, deals, p.to_numpy(), period, by_expected_date=by_date)
    shown = pay.drop_duplicates("seller")["expected"].sum()
    assert shown == pytest.approx(plan.pipeline.mean, rel=1e-9, abs=0.0)
    assert shown == pytest.approx(float(deals.loc[q.index, "amount"] @ q), rel=1e-12)


@pytest.fixture(scope="module")
def demo():
    from funnel_model import read_deals
    from funnel_model.config import FunnelConfig
    from tests.conftest import ROOT

    deals = read_deals(ROOT / "data" / "demo_deals.csv").deals
    config = FunnelConfig.from_json((ROOT / "data" / "demo_config.json").read_text(encoding="utf-8"))
    return deals, config


def test_an_optimistic_sellers_pay_forecast_uses_the_stage_rates_by_default(demo):
    from funnel_model.forecast import revenue_distribution

    deals, config = demo
    igor = "Игорь Волков"  # the Funnels page flags him: his open deals average 0.70 stated, 0.50 by stage
    mine = (deals["status"] == "open") & (deals["owner"] == igor)
    stage = comp.forecast_probabilities(deals, config)
    own = comp.forecast_probabilities(deals, config, own=True)
    assert stage[mine[mine].index].mean() == pytest.approx(14.59 / 29)
    assert own[mine[mine].index].mean() == pytest.approx(20.2 / 29)
    plan = comp.preset("mix_50_50")
    targets = {igor: 3_000_000.0}
    dist = comp.pay_distribution(plan, deals, targets, stage)
    by_stage = revenue_distribution(
        deals.loc[mine, "amount"].fillna(0.0).to_numpy(), stage[mine[mine].index].to_numpy()
    )
    assert dist["revenue"].tolist() == pytest.approx(by_stage.quantile([0.1, 0.5, 0.9]))
    optimistic = comp.pay_distribution(plan, deals, targets, own)
    assert optimistic.set_index("q").loc[0.5, "revenue"] > dist.set_index("q").loc[0.5, "revenue"]


@st.composite
def deductions(draw):
    """A deduction per condition, an amount or a share; shares together at most the whole bonus."""
    out, left = [], 1.0
    for condition in (REPORTS, CRM):
        if draw(st.booleans()):
            share = draw(st.floats(0.0, left))
            left -= share
            out.append((condition, DeductionKind.BONUS_SHARE, share))
        else:
            out.append((condition, DeductionKind.AMOUNT, draw(st.floats(0.0, 3000.0))))
    return tuple(out)


@settings(max_examples=80, deadline=None)
@given(
    starts=st.lists(st.floats(0.0, 2.0), min_size=1, max_size=4, unique=True),
    rates=st.lists(st.floats(0.0, 3.0), min_size=4, max_size=4),
    threshold=st.floats(0.0, 1.5),
    mode=st.sampled_from(list(TierMode)),
    cap=st.one_of(st.none(), st.floats(1.6, 3.0)),
    cuts=deductions(),
    from_base=st.booleans(),
    unmet=st.tuples(st.booleans(), st.booleans()),
    months=st.sampled_from([1.0, 3.0]),
)
def test_total_pay_never_falls_when_revenue_grows(starts, rates, threshold, mode, cap, cuts, from_base, unmet, months):
    starts = sorted(starts)
    rates = rates[: len(starts)]
    if mode == TierMode.RETROACTIVE:
        rates = sorted(rates)
    plan = make_plan(
        mode,
        threshold=threshold,
        tiers=tuple(zip(starts, rates, strict=True)),
        cap=cap,
        deductions=cuts,
        from_base=from_base,
        new_product_rate=0.1,
    )
    revenue = np.linspace(0.0, 4000.0, 2001)
    unmet = {REPORTS: unmet[0], CRM: unmet[1]}
    pay = comp.total_pay(plan, revenue, 1000.0, new_revenue=50.0, unmet=unmet, months=months)["total"]
    assert np.all(np.diff(pay) >= -1e-9)
    assert np.all(pay >= 0.0)


# --------------------------------------------------------------------------- what the page shows


def test_close_months_and_the_default_month():
    dates = pd.Series(pd.to_datetime(["2026-01-15", "2026-03-25", None]))
    assert [str(m) for m in comp.close_months(dates)] == ["2026-01", "2026-02", "2026-03"]
    assert str(comp.default_month(dates)) == "2026-03"  # 25 March is within March's last 7 days
    dates.iloc[1] = pd.Timestamp("2026-03-24 12:00")
    assert str(comp.default_month(dates)) == "2026-02"  # March not yet covered: February
    assert str(comp.default_month(dates, grace_days=8)) == "2026-03"
    assert str(comp.default_month(pd.Series(pd.to_datetime(["2026-03-02"])))) == "2026-03"  # the only month


def test_next_period_starts_after_the_datas_last_month():
    deals = pd.DataFrame(
        {
            "closed_at": pd.to_datetime(["2026-02-10", None]),
            "created_at": pd.to_datetime(["2026-01-05", "2026-03-04"]),
        }
    )
    assert comp.next_period(deals, 1) == (pd.Timestamp("2026-04-01"), pd.Timestamp("2026-05-01"))
    assert comp.next_period(deals, 3) == (pd.Timestamp("2026-04-01"), pd.Timestamp("2026-07-01"))
    assert comp.next_period(deals, 0.4)[1] == pd.Timestamp("2026-05-01")  # at least a month
    # no close date at all (a Bitrix24 export of open and lost deals): the creation dates decide
    undated = deals.assign(closed_at=pd.NaT)
    assert comp.next_period(undated, 1) == (pd.Timestamp("2026-04-01"), pd.Timestamp("2026-05-01"))


def test_reference_target_and_curve_positions():
    assert comp.reference_target(pd.Series([0.0, 1000.0, 3000.0, 2000.0]), 1) == 2000.0
    assert comp.reference_target(pd.Series([0.0]), 3, default_monthly=500.0) == 1500.0
    plan = make_plan()  # base 1000, bonus 100: 50 at 50 %, 100 at 100 %, 130 at 120 %
    pay = pd.DataFrame({"attainment": [0.5, 1.2, 4.0], "total": [1.0, 2.0, 3.0]}, index=["Ann", "Bob", "Cat"])
    got = comp.curve_positions(plan, pay, target=1000.0, months=1, upto=2.0)
    assert got["seller"].tolist() == ["Ann", "Bob", "Cat"]
    assert got["attainment"].tolist() == [0.5, 1.2, 2.0]  # Cat drawn at the curve's end
    assert got["pay"].tolist() == pytest.approx([1050.0, 1130.0, 1000 + 130 + 0.8 * 200])
    assert got["actual"].tolist() == [1.0, 2.0, 3.0]
    # two months: the base twice, the target bonus twice
    assert comp.curve_positions(plan, pay.iloc[:1], 2000.0, months=2)["pay"].tolist() == pytest.approx([2100.0])
    assert comp.curve_extent([plan], [0.5, 1.2]) == pytest.approx(1.5)  # last edge 1.2 + 0.3
    assert comp.curve_extent([plan], [0.5, 1.9]) == pytest.approx(2.0)
    assert comp.curve_extent([plan], [9.0]) == 3.0


def test_pay_parts_stack_to_the_total():
    plan = make_plan(deductions=((REPORTS, DeductionKind.AMOUNT, 30.0),))
    pay = pd.DataFrame(comp.total_pay(plan, [1000.0], 1000.0, unmet={REPORTS: True}), index=["Ann"])
    parts = comp.pay_parts(pay)
    assert parts.to_dict("list") == {
        "seller": ["Ann"] * 3,
        "part": ["fixed", "variable", "penalty"],
        "amount": [1000.0, 70.0, -30.0],
    }


def test_forecast_bands_one_row_per_seller():
    dist = pd.DataFrame(
        {
            "seller": ["Ann"] * 3,
            "q": [0.1, 0.5, 0.9],
            "revenue": [0.0, 500.0, 900.0],
            "attainment": [0.0, 0.5, 0.9],
            "total": [1000.0, 1050.0, 1090.0],
            "p_threshold": 0.6,
            "p_target": 0.2,
        }
    )
    got = comp.forecast_bands(dist)
    assert got.to_dict("records") == [
        {
            "seller": "Ann",
            "p10": 1000.0,
            "p50": 1050.0,
            "p90": 1090.0,
            "revenue_p50": 500.0,
            "p_threshold": 0.6,
            "p_target": 0.2,
        }
    ]


# --------------------------------------------------------------------------- charts


def test_chart_builders_encode_plans_and_parts():
    from funnel_model.charts.compensation import pay_breakdown_chart, pay_curve_chart, pay_forecast_chart

    labels = {
        k: k.title() for k in ("seller", "plan", "part", "amount", "attainment", "pay", "actual", "p10", "p50", "p90")
    }
    parts = pd.DataFrame(
        {"seller": ["Ann"] * 3, "plan": ["A"] * 3, "part": ["F", "V", "P"], "amount": [1000.0, 80.0, -20.0]}
    )
    bars = pay_breakdown_chart(parts, labels, ("F", "V", "P"), "ru").to_dict()
    assert bars["encoding"]["xOffset"]["field"] == "plan"
    assert bars["encoding"]["color"]["scale"]["domain"] == ["F", "V", "P"]
    # figures as funnel_model.formatting writes them in Russian: narrow no-break space, true minus
    rows = next(iter(bars["datasets"].values()))
    assert [r["amount_text"] for r in rows] == ["1\u202f000", "80", "\u221220"]
    assert (
        "\\u202f" in bars["encoding"]["y"]["axis"]["labelExpr"]
        or "\u202f" in bars["encoding"]["y"]["axis"]["labelExpr"]
    )

    plan = make_plan()
    curve = comp.pay_curve(plan, upto=2.0).assign(plan="A")
    # a cliff draws as a vertical step: the grid holds the threshold and a point just below it
    below = curve[curve["attainment"] < 0.5]["pay"].iloc[-1]
    at = curve[curve["attainment"] == 0.5]["pay"].iloc[0]
    assert (below, at) == (1000.0, 1050.0)
    points = pd.DataFrame({"plan": ["A"], "seller": ["Ann"], "attainment": [1.0], "pay": [1100.0], "actual": [1080.0]})
    layered = pay_curve_chart(curve, points, labels, "ru").to_dict()
    assert [layer["mark"]["type"] for layer in layered["layer"]] == ["line", "point"]
    tips = {t["field"] for t in layered["layer"][1]["encoding"]["tooltip"]}
    assert {"attainment_text", "pay_text", "actual_text"} <= tips
    seller_rows = [r for rows in layered["datasets"].values() for r in rows if "seller" in r]
    assert (seller_rows[0]["attainment_text"], seller_rows[0]["actual_text"]) == ("100 %", "1\u202f080")

    bands = pd.DataFrame({"seller": ["Ann"], "plan": ["A"], "p10": [1000.0], "p50": [1050.5], "p90": [1190.0]})
    forecast = pay_forecast_chart(bands, labels, "en").to_dict()
    assert forecast["layer"][0]["encoding"]["x2"]["field"] == "p90"
    band_rows = next(iter(forecast["datasets"].values()))
    assert band_rows[0]["p50_text"] == "1\u202f050"


def _extras_pipeline(with_product=True):
    rows = [
        # deal, client, segment, product, amount, probability
        ("1", "C1", "new", "Neo X", 1000.0, 0.59),
        ("2", "C1", "new", "Classic", 400.0, 0.78),
        ("3", "C2", "new", "Neo Y", 700.0, 0.27),
        ("4", "C3", "active", "Classic", 300.0, 0.25),
        ("5", "C1", "new", "Classic", 900.0, 0.24),
    ]
    frame = pd.DataFrame(rows, columns=["deal_id", "client_id", "segment", "product", "amount", "probability"])
    frame["owner"] = "Ann"
    frame["status"] = "open"
    frame["stage"] = "proposal"
    if not with_product:
        frame = frame.drop(columns="product")
    return conform(frame)


def _enumerated_pay(plan, deals, target, new_product, new_client_deals):
    """Every one of the 2^n outcomes: pay (extras counted per distinct new client) and its probability."""
    a = deals["amount"].to_numpy(dtype=float)
    p = deals["probability"].to_numpy(dtype=float)
    clients = deals["client_id"].to_numpy()
    outcomes = np.array(list(itertools.product([0, 1], repeat=len(a))), dtype=bool)
    weights = np.prod(np.where(outcomes, p, 1 - p), axis=1)
    revenue = outcomes @ a
    new_revenue = outcomes @ np.where(new_product, a, 0.0)
    new_clients = np.array([len(set(clients[row & new_client_deals])) for row in outcomes], dtype=float)
    pay = comp.total_pay(plan, revenue, target, new_revenue=new_revenue, new_clients=new_clients)["total"]
    return pay, weights


def test_pay_forecast_draws_the_extras_with_revenue_and_pays_a_new_client_once():
    plan = make_plan(threshold=0.5, new_product_rate=0.1, new_client_bonus=150.0, markers=("Neo",))
    deals = _extras_pipeline()
    target = 1500.0
    got = comp.pay_distribution(plan, deals, {"Ann": target}, deals["probability"]).set_index("q")
    new_product = np.array([True, False, True, False, False])
    new_client = deals["segment"].to_numpy() == "new"
    pay, weights = _enumerated_pay(plan, deals, target, new_product, new_client)
    order = np.argsort(pay, kind="stable")
    cdf = np.cumsum(weights[order])
    assert np.min(np.abs(cdf[:, None] - np.array([0.1, 0.5, 0.9]))) > 0.03  # no quantile near a CDF step
    for q in (0.1, 0.5, 0.9):
        assert got.loc[q, "total"] == pytest.approx(_exact_quantile(pay, weights, q))
    # three open deals of client C1: at most one bonus for it, so never more than two bonuses in all
    most = comp.total_pay(plan, 3300.0, target, new_revenue=1700.0, new_clients=2.0)["total"]
    assert got["total"].max() <= most


def test_pay_forecast_works_without_a_product_column():
    plan = make_plan(threshold=0.5, new_product_rate=0.1, new_client_bonus=0.0, markers=("Neo",))
    deals = _extras_pipeline(with_product=False)
    got = comp.pay_distribution(plan, deals, {"Ann": 1500.0}, deals["probability"]).set_index("q")
    # no product column: no new-product revenue, so pay is pay at the revenue quantiles, exactly
    for q in (0.1, 0.5, 0.9):
        assert got.loc[q, "total"] == pytest.approx(comp.total_pay(plan, got.loc[q, "revenue"], 1500.0)["total"])


def _one_chunk_draws(rng, draws, sellers):
    """The joint draws written plainly: every uniform at once (the sellers share them, float32, a block of
    DRAW_BLOCK columns per spawned generator), a seller's deals in their draw order, each new client won when
    any of its deals is (one reduction over every new client's deals). The oracle of the cache-sized chunks
    and the folded ranks."""
    m = max(len(s[0]) for s in sellers)
    blocks = rng.spawn(-(-m // comp.DRAW_BLOCK))
    uniform = np.hstack([g.random((draws, comp.DRAW_BLOCK), dtype=np.float32) for g in blocks])
    out = []
    for amounts, p, new_product, new_client, client in sellers:
        order, _ = comp._draw_order(new_client, client)
        won = uniform[:, : len(p)] < p[order].astype(np.float32)
        a, codes, is_new = amounts[order], client[order], new_client[order]
        deals = np.flatnonzero(is_new)
        deals = deals[np.argsort(codes[deals], kind="stable")]
        starts = np.flatnonzero(np.diff(codes[deals], prepend=-1))
        clients = np.logical_or.reduceat(won[:, deals], starts, axis=1).sum(axis=1) if len(deals) else np.zeros(draws)
        wins = won.astype(float)
        out.append((wins @ a, wins @ np.where(new_product[order], a, 0.0), clients.astype(float)))
    return out


def _assert_draws_equal(got, want):
    for (revenue, new_revenue, clients), (r, n, c) in zip(got, want, strict=True):
        # sums of cents: BLAS may add a product's terms in another order, a last-digit difference at most
        np.testing.assert_allclose(revenue, r, rtol=1e-13, atol=0)
        np.testing.assert_allclose(new_revenue, n, rtol=1e-13, atol=0)
        assert clients.tobytes() == c.tobytes()


def _seller_draw_inputs():
    # amounts in cents, certain and hopeless deals, clients with one, two and three deals, a new client's
    # deal that is not new-product, a client in two segments
    amounts = np.array([1234.57, 99.99, 0.01, 500.0, 3333.33, 12.5, 700.1, 0.0, 250.25, 8000.08])
    p = np.array([0.37, 1.0, 0.0, 0.5, 0.91, 0.13, 0.66, 0.4, 0.29, 0.05])
    new_product = np.array([1, 0, 1, 1, 0, 0, 1, 0, 1, 0], dtype=bool)
    new_client = np.array([1, 1, 0, 1, 1, 1, 0, 1, 1, 0], dtype=bool)
    client = pd.factorize(np.array(["A", "B", "A", "C", "A", "D", "E", "C", "F", "F"]))[0]
    return amounts, p, new_product, new_client, client


def test_the_draw_order_puts_new_clients_deals_first_rank_by_rank():
    new_client = np.array([1, 1, 0, 1, 1, 1, 0, 1, 1, 0], dtype=bool)
    client = np.array([0, 1, 0, 2, 0, 3, 4, 2, 5, 5])  # A: deals 0, 4 (2 is not new); C: 3, 7; B, D, F: one each
    order, sizes = comp._draw_order(new_client, client)
    assert order.tolist() == [0, 3, 1, 5, 8, 4, 7, 2, 6, 9]
    assert sizes.tolist() == [5, 2]  # five new clients, two of them with a second deal
    assert comp._draw_order(np.zeros(3, dtype=bool), np.arange(3))[1].tolist() == []


@pytest.mark.parametrize("chunk", [256, 7, 5000])
def test_joint_draws_match_the_plainly_written_oracle(chunk):
    seller = _seller_draw_inputs()
    want = _one_chunk_draws(np.random.default_rng([7, 3]), 3001, [seller])
    got = comp._joint_draws(np.random.default_rng([7, 3]), 3001, [seller], chunk=chunk)
    _assert_draws_equal(got, want)
    assert set(np.unique(got[0][2])) <= {0.0, 1.0, 2.0, 3.0, 4.0, 5.0}  # A, B, C, D, F: five new clients at most


def test_joint_draws_count_clients_of_many_deals_once_as_the_oracle_does():
    # clients of one to six deals (some not new, some new-client deals not new-product), in no order; a second
    # seller of fewer deals shares the uniforms, a third has no new client at all
    rng = np.random.default_rng(11)
    sizes = [1, 6, 2, 1, 3, 5, 2, 4, 1, 3]
    client = rng.permutation(np.repeat(np.arange(len(sizes)), sizes))
    n = len(client)
    amounts = np.round(rng.uniform(0.0, 5000.0, n), 2)
    p = rng.choice([0.0, 0.05, 0.3, 0.5, 0.8, 1.0], n)
    new_product = rng.random(n) < 0.4
    new_client = rng.random(n) < 0.8
    sellers = [
        (amounts, p, new_product, new_client, client),
        _seller_draw_inputs(),
        (amounts[:6], p[:6], new_product[:6], np.zeros(6, dtype=bool), client[:6]),
    ]
    want = _one_chunk_draws(np.random.default_rng([2, 9]), 2501, sellers)
    for chunk in (16, 128, 3000):
        _assert_draws_equal(comp._joint_draws(np.random.default_rng([2, 9]), 2501, sellers, chunk=chunk), want)


def test_a_sellers_draws_do_not_move_when_another_sellers_pipeline_grows():
    ann = _seller_draw_inputs()
    bob = tuple(np.tile(x, 3) for x in _seller_draw_inputs())
    bigger = tuple(np.tile(x, 20) for x in _seller_draw_inputs())  # 200 deals: more blocks of uniforms
    alone = comp._joint_draws(np.random.default_rng(5), 1000, [ann, bob])[0]
    beside = comp._joint_draws(np.random.default_rng(5), 1000, [ann, bigger])[0]
    for before, after in zip(alone, beside, strict=True):
        assert before.tobytes() == after.tobytes()


def test_sellers_sharing_the_uniforms_each_get_their_own_exact_pay_quantiles():
    # two sellers whose deals take the same uniforms: each seller's quantiles are still its own distribution's
    plan = make_plan(threshold=0.5, new_product_rate=0.1, new_client_bonus=150.0, markers=("Neo",))
    ann = _extras_pipeline()
    bob = _extras_pipeline().assign(owner="Bob", deal_id=list("abcde"), client_id=["D1", "D2", "D1", "D3", "D4"])
    bob["probability"] = [0.35, 0.62, 0.41, 0.8, 0.17]
    bob["amount"] = [800.0, 300.0, 1100.0, 200.0, 650.0]
    deals = pd.concat([ann, bob], ignore_index=True)
    targets = {"Ann": 1500.0, "Bob": 1200.0}
    got = comp.pay_distribution(plan, deals, targets, deals["probability"]).set_index(["seller", "q"])
    new_product = deals["product"].str.startswith("Neo").to_numpy()
    new_client = deals["segment"].to_numpy() == "new"
    for seller, target in targets.items():
        mine = (deals["owner"] == seller).to_numpy()
        pay, weights = _enumerated_pay(plan, deals[mine], target, new_product[mine], new_client[mine])
        for q in (0.1, 0.5, 0.9):
            # the drawn q-quantile x is the exact one's to within the draws' error: P(pay < x) ≤ q + ε ≤ P(pay ≤ x) + 2ε
            x, eps = got.loc[(seller, q), "total"], 4.0 * math.sqrt(q * (1 - q) / 20_000)
            assert weights[pay < x - 1e-9].sum() <= q + eps
            assert weights[pay <= x + 1e-9].sum() >= q - eps


def test_a_new_client_deal_that_cannot_be_won_leaves_pay_exact():
    # the only new-client deal has no chance in the period: no extra can happen, pay is pay at revenue quantiles
    plan = make_plan(threshold=0.5, new_product_rate=0.0, new_client_bonus=150.0)
    deals = _extras_pipeline()
    deals["segment"] = ["active", "active", "new", "active", "active"]
    p = deals["probability"].where(deals["segment"] != "new", 0.0)
    drawn = []

    def memo(key, build):
        value = build()
        if key[0] == "pay_distribution.draws":
            drawn.append(value)
        return value

    got = comp.pay_distribution(plan, deals, {"Ann": 1500.0}, p, memo=memo).set_index("q")
    assert drawn == [[None]]
    for q in (0.1, 0.5, 0.9):
        assert got.loc[q, "total"] == comp.total_pay(plan, got.loc[q, "revenue"], 1500.0)["total"]


def test_the_pay_forecasts_plan_free_part_is_computed_once_for_both_plans():
    deals = pd.concat([_extras_pipeline(), _extras_pipeline().assign(owner="Bob", deal_id=list("abcde"))])
    deals = deals.reset_index(drop=True)
    targets = {"Ann": 1500.0, "Bob": 900.0, "Zed": 800.0}
    probabilities = deals["probability"]
    one = make_plan(threshold=0.5, new_product_rate=0.1, new_client_bonus=150.0, markers=("Neo",))
    other = make_plan(threshold=0.8, new_product_rate=0.3, new_client_bonus=90.0, markers=("Neo",), base=700.0)
    kept, builds = {}, []

    def memo(key, build):
        name = key[0]
        digest = (name, repr([np.asarray(k).tobytes() if isinstance(k, np.ndarray) else k for k in key]))
        if digest not in kept:
            builds.append(name)
            kept[digest] = build()
        return kept[digest]

    for plan in (one, other):
        alone = comp.pay_distribution(plan, deals, targets, probabilities)
        pd.testing.assert_frame_equal(comp.pay_distribution(plan, deals, targets, probabilities, memo=memo), alone)
    plan_free = ["pay_distribution.revenue", "pay_distribution.draws", "pay_distribution.p_target"]
    assert builds == plan_free
    # other new products: other joint draws, the same revenue distributions and chances of the targets
    classic = make_plan(threshold=0.5, new_product_rate=0.1, new_client_bonus=150.0, markers=("Classic",))
    comp.pay_distribution(classic, deals, targets, probabilities, memo=memo)
    assert builds == [*plan_free, "pay_distribution.draws"]
    # other targets: their chances only
    comp.pay_distribution(one, deals, {**targets, "Ann": 1600.0}, probabilities, memo=memo)
    assert builds[4:] == ["pay_distribution.p_target"]
    # other probabilities (another period): all again
    comp.pay_distribution(one, deals, targets, probabilities * 0.5, memo=memo)
    assert builds[5:] == plan_free


@pytest.mark.parametrize("text", ['{"name": ' + "1" * 5000 + "}", "[" * 5000 + "]" * 5000])
def test_plan_json_past_the_parsers_limits_is_a_plan_error(text):
    with pytest.raises(CompensationPlanError):
        CompensationPlan.from_json(text)
