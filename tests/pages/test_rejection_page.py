"""The Rejection math page through AppTest: numbers shown, slider effects, URL settings, languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Expander

from funnel_model import compensation, read_deals
from funnel_model.charts.rejection import FONT_SIZE, ROOM_FONT_SIZE
from funnel_model.i18n import t
from funnel_model.rejection import contact_value, seller_streaks

PAGE = "pages/rejection.py"
ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def open_page(lang: str = "en", params: dict[str, str] | None = None, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    # The first run is in English on purpose: the sidebar's source radio formats its options with tr(),
    # which AppTest re-evaluates outside the script run (in the default language) on the next run.
    at.session_state["lang"] = "en"
    for key, value in (state or {}).items():
        at.session_state[key] = value
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.session_state["lang"] = lang
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_renders_the_big_numbers_for_ten_percent_and_ten_attempts():
    at = open_page(params={"p": "0.1", "n": "10"})
    shown = metrics(at)
    assert shown["No deal in 10 attempts"] == "34.9 %"
    assert shown["Attempts per deal"] == "10"
    assert shown["Attempts for a 90 % chance"] == "22"
    # the deal value in the app's currency: the demo is a Russian export, so rubles
    assert shown["One contact is worth"] == "10\u202f000 ₽"
    assert shown["Chance A is better"] == "70.7 %"
    assert shown["Attempts to tell apart"] == "214"  # for Fisher's exact test, the verdict's (199 was the z-test's)
    # a sentence under every big number
    assert any("9 sellers out of 10" in c.value for c in at.caption)
    # no visit to Compensation yet: plan A's default (50/50, 6 % of revenue at target) pays from a contact
    assert shown["Pay per contact"] == "600 ₽"


def test_a_tiny_chance_of_no_deal_is_never_shown_as_zero():
    # 0.8^50 = 1.4e-5: the caption says one seller in about 70 000, the big number must not say 0.0 %
    at = open_page(params={"p": "0.2", "n": "50"})
    assert metrics(at)["No deal in 50 attempts"] == "< 0.1 %"
    assert any("one seller in 70\u202f065" in c.value for c in at.caption)


def test_a_higher_close_rate_means_fewer_attempts_and_shorter_runs():
    at = open_page(params={"p": "0.1", "n": "30"})
    before = metrics(at)
    at.slider(key="rejection.p").set_value(0.3).run()
    assert not at.exception
    after = metrics(at)

    def number(text: str) -> float:
        # "< 0.1 %" (0.7^30 = 0.002 %) reads as its bound: still below the 4.2 % before
        return float(text.replace("\u202f", "").replace(" %", "").replace(",", ".").removeprefix("< "))

    assert number(after["No deal in 30 attempts"]) < number(before["No deal in 30 attempts"])
    assert number(after["Attempts per deal"]) < number(before["Attempts per deal"])
    key = "Longest run, on average"
    assert number(after[key]) < number(before[key])
    assert at.query_params["p"] == "0.3"


def test_settings_come_from_the_url_and_go_back_into_it():
    params = {"p": "0.25", "n": "40", "k": "7", "value": "50000", "wins_a": "30", "n_a": "100"}
    params |= {"wins_b": "10", "n_b": "100", "seed": "42", "sellers": "3"}
    at = open_page(params=params)
    assert at.slider(key="rejection.p").value == pytest.approx(0.25)
    assert at.slider(key="rejection.n").value == 40
    assert at.slider(key="rejection.k").value == 7
    assert at.slider(key="rejection.sellers").value == 3
    assert at.session_state["rejection.value"] == 50_000
    assert at.number_input(key="rejection.wins_a").value == 30
    assert at.number_input(key="rejection.seed").value == 42
    assert not at.toggle(key="rejection.presenter").value
    shown = metrics(at)
    assert shown["One contact is worth"] == "12\u202f500 ₽"
    assert "No deal in 40 attempts" in shown
    # 30/100 against 10/100 is a real difference
    assert any("Seller A is better" in s.value for s in at.success)
    # a change is written back to the URL
    at.slider(key="rejection.n").set_value(60).run()
    assert at.query_params["n"] == "60"
    assert at.query_params["p"] == "0.25"


def test_settings_survive_a_visit_to_another_page():
    at = open_page(params={"p": "0.3", "seed": "9"})
    at.slider(key="rejection.n").set_value(80).run()
    at.switch_page("pages/forecast.py")
    at.run()
    at.query_params.clear()  # as the browser does on a page switch
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert at.slider(key="rejection.p").value == pytest.approx(0.3)
    assert at.slider(key="rejection.n").value == 80
    assert at.number_input(key="rejection.seed").value == 9


def test_bad_url_values_fall_back_or_are_clamped():
    at = open_page(params={"p": "abc", "n": "100000", "seed": "-3"})
    assert at.slider(key="rejection.p").value == pytest.approx(0.1)
    assert at.slider(key="rejection.n").value == 500
    assert at.number_input(key="rejection.seed").value == 0


@pytest.mark.parametrize("bad", ["inf", "-inf", "1e400", "nan"])
def test_infinite_or_overflowing_url_values_fall_back_to_the_defaults(bad):
    at = open_page(params={"value": bad, "n": bad, "p": bad, "seed": bad})
    assert at.session_state["rejection.value"] == 100_000
    assert at.slider(key="rejection.n").value == 50
    assert at.slider(key="rejection.p").value == pytest.approx(0.1)
    assert at.number_input(key="rejection.seed").value == 1
    assert metrics(at)["One contact is worth"] == "10\u202f000 ₽"
    assert at.query_params["value"] == "100000"


def test_two_of_ten_against_one_of_ten_reads_not_enough_evidence():
    at = open_page()
    verdicts = [i.value for i in at.info]
    assert "#### Not enough evidence: 2 of 10 against 1 of 10 could easily be luck." in verdicts
    assert not at.success  # no "seller A is better" either
    assert metrics(at)["Exact test, p-value"] == "1.00"


NEAR_MISS = {"wins_a": "20", "n_a": "100", "wins_b": "10", "n_b": "100"}


@pytest.mark.parametrize(
    ("lang", "verdict", "more", "interval", "p_value"),
    [
        (
            "en",
            "#### Suggestive, not yet conclusive: 20 of 100 against 10 of 100 points to seller A",
            "about 114.",  # 214 attempts each for the exact test, 100 made
            "+0.01 … +20",
            "0.07",
        ),
        (
            "ru",
            "#### Есть намёк, но это ещё не доказано: 20 из 100 против 10 из 100 говорит в пользу продавца A",
            "около 114.",
            "+0,01 … +20",
            "0,07",
        ),
    ],
)
def test_a_near_miss_reads_suggestive_with_the_attempts_that_would_settle_it(lang, verdict, more, interval, p_value):
    at = open_page(lang=lang, params=NEAR_MISS)
    boxes = [w.value for w in at.warning]
    assert len(boxes) == 1 and boxes[0].startswith(verdict) and boxes[0].endswith(more), boxes
    assert not at.success  # not "seller A is better"
    assert not [i.value for i in at.info if "####" in i.value]  # nor "not enough evidence"
    shown = metrics(at)
    # the low bound is 0.0149 points: shown with decimals, never as "+0"
    assert shown[t("rejection.ab.interval", lang)] == interval
    assert shown[t("rejection.ab.test", lang)] == p_value
    assert shown[t("rejection.ab.prob", lang)] == ("97.5 %" if lang == "en" else "97,5 %")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_two_of_ten_against_one_of_ten_is_not_enough_in_both_languages(lang):
    at = open_page(lang=lang)
    expected = t(
        "rejection.ab.verdict.not_enough",
        lang,
        a=t("rejection.ab.record", lang, wins=2, n=10),
        b=t("rejection.ab.record", lang, wins=1, n=10),
    )
    assert f"#### {expected}" in [i.value for i in at.info]
    assert not at.warning and not at.success
    # interval bounds of whole points stay whole
    assert metrics(at)[t("rejection.ab.interval", lang)] == "−24 … +42"


def test_english_text_uses_english_quotes_and_the_toggle_label_is_short():
    at = open_page(params={"p": "0.1"})
    intro = next(m.value for m in at.markdown if m.value.startswith("#### At a close rate"))
    assert "end in “no”" in intro and "«" not in intro
    assert any("“no” included" in c.value for c in at.caption)
    assert at.toggle(key="rejection.presenter").label == "Presenter"
    ru = open_page(lang="ru")
    assert ru.toggle(key="rejection.presenter").label == "Для зала"


def test_russian():
    at = open_page(lang="ru", params={"p": "0.1", "n": "10"})
    shown = metrics(at)
    assert shown["Ни одной сделки за 10 попыток"] == "34,9 %"
    assert shown["Шанс, что A лучше"] == "70,7 %"
    assert any(i.value.startswith("#### Недостаточно данных: 2 из 10 против 1 из 10") for i in at.info)
    assert at.title[0].value == "Математика отказов"


def test_presenter_mode_hides_the_controls_but_keeps_the_settings():
    params = {"presenter": "1", "section": "4", "p": "0.2", "wins_a": "30", "n_a": "100", "wins_b": "10", "n_b": "100"}
    at = open_page(params=params)
    assert at.toggle(key="rejection.presenter").value
    assert at.slider(key="rejection.p").value == pytest.approx(0.2)
    for hidden in ("rejection.seed", "rejection.value", "rejection.wins_a"):
        with pytest.raises(KeyError):
            at.number_input(key=hidden)
    assert any("Seller A is better" in s.value for s in at.success)
    # the sidebar is hidden by a constant style block
    assert any("stSidebar" in h.proto.body for h in at.html)
    # leaving presenter mode brings the inputs back with the same values
    at.toggle(key="rejection.presenter").set_value(False).run()
    assert at.number_input(key="rejection.wins_a").value == 30
    assert at.query_params["presenter"] == "0"


def test_new_month_button_changes_the_seed_and_the_url():
    at = open_page(params={"seed": "7"})
    before = at.get("vega_lite_chart")[2].proto.datasets[0].data.data
    at.button(key="rejection.new_month").click().run()
    assert at.number_input(key="rejection.seed").value == 8
    assert at.query_params["seed"] == "8"
    assert at.get("vega_lite_chart")[2].proto.datasets[0].data.data != before


def test_pay_per_contact_is_shown_when_a_compensation_plan_exists():
    plan = compensation.preset("mix_50_50", "en")
    at = open_page(params={"p": "0.1", "value": "100000"}, state={"compensation.plan_a": plan})
    expected = contact_value(100_000, 0.1) * compensation.pay_per_revenue(plan, attainment=1.0)
    shown = metrics(at)["Pay per contact"]
    assert shown.endswith(" ₽")  # the demo is a Russian export: rubles, as on every page
    assert float(shown.removesuffix(" ₽").replace("\u202f", "")) == pytest.approx(expected, abs=0.01)


def test_sellers_from_the_demo_data_are_set_against_their_own_rate():
    at = open_page()
    summary = [m.value for m in at.markdown if "Longer run than expected" in m.value]
    assert summary, [m.value for m in at.markdown]
    table = at.dataframe[0].value
    assert list(table.columns)[:4] == ["Seller", "Closed deals", "Won", "Close rate"]
    assert (table["Closed deals"] >= 10).all()
    assert set(table["Verdict"]) <= {"longer than expected", "as expected", "shorter than expected"}
    long_runs = int((table["Verdict"] == "longer than expected").sum())
    assert summary[0].startswith(
        f"#### Longer run than expected at their own rates: {long_runs} of {len(table)} sellers."
    )
    # the range is each seller's, at their own rate in each deal's funnel
    assert any("The range accounts for each seller's mix of funnels" in c.value for c in at.caption)
    expected = seller_streaks(read_deals(ROOT / "data" / "demo_deals.csv").deals).set_index("owner")
    shown_range = table.set_index("Seller")["Expected range"]
    assert shown_range.to_dict() == {o: f"{r.low}–{r.high}" for o, r in expected.iterrows()}
    # one seller's real record: pick the last one in the table, the caption gives their own figures
    picker = at.selectbox(key="rejection.seller")
    assert picker.options == table["Seller"].tolist()
    last = table.iloc[-1]
    picker.set_value(last["Seller"]).run()
    assert not at.exception
    sentence = next(c.value for c in at.caption if c.value.startswith("Won "))
    assert sentence.startswith(f"Won {last['Won']} of {last['Closed deals']} closed deals")
    assert f"Longest run of lost deals: {last['Longest run of lost']};" in sentence


def test_pay_per_contact_shows_before_any_visit_to_compensation():
    from funnel_model.compensation import pay_per_revenue, preset
    from funnel_model.formatting import money
    from tests.pages.apptest import APP, assert_clean

    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"], at.session_state["currency"] = "en", "$"  # the app's currency, chosen elsewhere
    at.run()
    at.switch_page("pages/rejection.py").run()
    assert_clean(at)
    shown = {m.label: m.value for m in at.metric}
    value, p = at.session_state["rejection.value"], at.slider(key="rejection.p").value
    rate = pay_per_revenue(preset("mix_50_50", "en"), attainment=1.0)
    assert shown["Pay per contact"] == money(value * p * rate, "en", "$", digits=0 if value * p * rate >= 100 else 2)
    assert shown["One contact is worth"] == money(value * p, "en", "$")


def test_presenter_mode_hides_sellers_names_unless_shown():
    real = open_page()
    names = list(real.selectbox(key="rejection.seller").options)
    assert names and not any(n.startswith("Seller ") for n in names)
    room = open_page(params={"presenter": "1", "section": "6"})
    assert list(room.selectbox(key="rejection.seller").options) == [f"Seller {i + 1}" for i in range(len(names))]
    charts = [c.proto.SerializeToString() for c in room.get("vega_lite_chart")]  # spec and data
    assert any(b"Seller 1" in chart for chart in charts)
    assert not any(name.encode() in chart for chart in charts for name in names)
    # the presenter shows them; the link keeps the choice
    room.toggle(key="rejection.names").set_value(True).run()
    assert list(room.selectbox(key="rejection.seller").options) == names
    assert room.query_params["names"] == ["1"] or room.query_params["names"] == "1"


SECTION_HEADERS = [
    "rejection.attempts.header",
    "rejection.streak.header",
    "rejection.contact.header",
    "rejection.ab.header",
    "rejection.month.header",
    "rejection.data.header",
]


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_presenter_mode_shows_one_section_per_screen_with_next_and_previous(lang):
    at = open_page(lang=lang, params={"presenter": "1"})
    assert headers(at) == [t("rejection.attempts.header", lang)]
    assert at.button(key="rejection.previous").disabled
    assert at.button(key="rejection.previous").label == t("rejection.previous", lang)
    assert any(m.value == f"**1 / 6** · {t('rejection.attempts.header', lang)}" for m in at.markdown)
    for step, key in enumerate(SECTION_HEADERS[1:], start=2):
        at.button(key="rejection.next").click().run()
        assert not at.exception and not at.error
        assert headers(at) == [t(key, lang)], step
        assert at.query_params["section"] == str(step)
    assert at.button(key="rejection.next").disabled
    at.button(key="rejection.previous").click().run()
    assert headers(at) == [t("rejection.month.header", lang)]
    assert at.query_params["section"] == "5"
    # the settings of sections not on screen stay in the link
    assert at.query_params["p"] == "0.1" and at.query_params["presenter"] == "1"


def test_outside_presenter_mode_every_section_is_on_the_page():
    at = open_page(params={"section": "3"})
    assert headers(at) == [t(key, "en") for key in SECTION_HEADERS]
    with pytest.raises(KeyError):
        at.button(key="rejection.next")


@pytest.mark.parametrize(("section", "shown"), [("4", 4), ("99", 6), ("0", 1), ("abc", 1), ("-inf", 1)])
def test_the_link_keeps_the_presenters_place(section, shown):
    at = open_page(params={"presenter": "1", "section": section, "k": "7", "n": "40"})
    assert headers(at) == [t(SECTION_HEADERS[shown - 1], "en")]
    assert at.query_params["section"] == str(shown)
    # the streak section's slider comes back from the link when its screen is reached
    while headers(at) != [t("rejection.streak.header", "en")]:
        at.button(key="rejection.previous" if shown > 2 else "rejection.next").click().run()
    assert at.slider(key="rejection.k").value == 7


def outside_expanders(node) -> str:
    """The protobuf text of every element under ``node`` that is not inside an expander."""
    if isinstance(node, Expander):
        return ""
    children = getattr(node, "children", None)
    if children:
        return "".join(outside_expanders(child) for child in children.values())
    return str(getattr(node, "proto", ""))


TEST_NAMES = ("p-value", "p-знач", "fisher", "фишер", "newcombe", "ньюкомб", "prior", "априор", "power", "мощност")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_presenter_mode_says_plain_words_and_keeps_test_names_in_the_expander(lang):
    at = open_page(lang=lang, params={"presenter": "1"} | NEAR_MISS)
    for _ in SECTION_HEADERS:
        visible = outside_expanders(at.main).lower()
        assert not [name for name in TEST_NAMES if name in visible], headers(at)
        if not at.button(key="rejection.next").disabled:
            at.button(key="rejection.next").click().run()
    # the luck-or-skill screen: plain words on screen, the p-value and the methods behind "How this is computed"
    at.button(key="rejection.previous").click().run()
    at.button(key="rejection.previous").click().run()
    assert headers(at) == [t("rejection.ab.header", lang)]
    (how,) = at.expander
    assert how.label == t("rejection.how", lang)
    assert [m.label for m in how.metric] == [t("rejection.ab.test", lang)]
    assert how.metric[0].value == ("0.07" if lang == "en" else "0,07")
    assert "Newcombe" in how.markdown[0].value or "Ньюкомба" in how.markdown[0].value
    assert t("rejection.ab.test", lang) not in [m.label for m in at.main.metric if m not in how.metric]


def chart_font_sizes(at: AppTest) -> set[int]:
    import json

    sizes = set()
    for chart in at.get("vega_lite_chart"):
        config = json.loads(chart.proto.spec)["config"]
        sizes |= {config["axis"]["labelFontSize"], config["axis"]["titleFontSize"], config["legend"]["labelFontSize"]}
    return sizes


def test_presenter_mode_draws_charts_in_large_type():
    assert chart_font_sizes(open_page()) == {FONT_SIZE}
    room = open_page(params={"presenter": "1", "section": "2"})
    assert chart_font_sizes(room) == {ROOM_FONT_SIZE}
    # the headline numbers are set large by a constant style block, in presenter mode only
    css = [h.proto.body for h in room.html]
    assert any("stMetricValue" in body and "4.5rem" in body for body in css)
