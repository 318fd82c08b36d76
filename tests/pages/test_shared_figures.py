"""One quantity, one value: the Funnels, Forecast and Compensation pages of one session show the same figures."""

from __future__ import annotations

import json
import re

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from funnel_model.i18n import t
from tests.pages import apptest

check = apptest.assert_clean


def funnel_bars(at: AppTest) -> dict[str, object]:
    """Each funnel chart's data (stage, label) by its title ("Attraction (new prospects) · Привлечение")."""
    panels = {}
    for chart in at.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec).get("title")
        for ds in chart.proto.datasets:
            frame = pa.ipc.open_stream(ds.data.data).read_pandas()
            if "label" in frame.columns and isinstance(title, dict):
                name = " · ".join(x for x in (title["text"], title.get("subtitle", "")) if x)
                panels[name] = frame
    return panels


def test_bottleneck_sentence_quotes_the_bar_of_its_stage():
    at = apptest.open_page("pages/funnels.py")
    # the sentences are markdown with the user's names escaped ("Attraction \\(new prospects\\)")
    sentences = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown if "the bottleneck is" in m.value]
    assert len(sentences) == 3
    bars = funnel_bars(at)
    for sentence in sentences:
        funnel, stage, pct = re.match(r"(.+): the bottleneck is “(.+?)” — only (.+?) of the deals", sentence).groups()
        # the bar of that stage prints the same conversion from the previous stage ("deals · amount · 53 %")
        frame = bars[funnel]
        shown = [lab.split(" · ")[-1] for s, lab in zip(frame["stage"], frame["label"], strict=True) if s == stage]
        assert shown == [pct], (sentence, shown)


def _metrics(at: AppTest) -> tuple[dict[str, str], dict[str, str]]:
    """(what-if, historical) metric rows by label, the period's four headline tiles (the first, same names) left out."""
    tiles = {t(f"forecast.{k}", "en") for k in ("mean", "p10", "p90", "p_plan")}
    shown = [m for m in at.metric if m.label in tiles][4:]
    assert len(shown) == 8, [m.label for m in at.metric]
    return {m.label: m.value for m in shown[:4]}, {m.label: m.value for m in shown[4:]}


def test_forecast_what_if_on_historical_rates_equals_the_baseline_and_the_funnels_rates():
    at = apptest.open_page("pages/funnels.py")
    rates = next(f.value for f in at.dataframe if list(f.value.columns)[:3] == ["Funnel", "Stage", "Won"])
    at.switch_page("pages/forecast.py").run()
    check(at)
    whatif, base = _metrics(at)
    assert whatif != base  # the sliders start at the configured probabilities
    at.button(key="forecast.use_history").click().run()
    check(at)
    whatif, base = _metrics(at)
    assert whatif == base and len(base) == 4
    # each slider is labelled with, and set to, the Funnels page's stage win rate (the demo's funnels have one
    # segment each, so one slider per funnel and stage: key forecast.p.<funnel>.<stage>)
    table = {(f, st): r for f, st, r in zip(rates["Funnel"], rates["Stage"], rates["Rate to use"], strict=True)}
    seen = 0
    for slider in at.slider:
        if not (slider.key or "").startswith("forecast.p."):
            continue
        funnel, stage = slider.key.removeprefix("forecast.p.").split(".", 1)
        percent = round(100 * table[(funnel, stage)])
        assert f"· hist. {percent} %" in slider.label and slider.value == percent, (slider.label, percent)
        seen += 1
    assert seen >= 5


def _open_deals_part(at: AppTest, lang: str, start: str) -> str:
    """The amount after ``start`` up to the sentence's full stop in the first caption holding ``start``."""
    for caption in at.caption:
        if start in caption.value:
            return caption.value.split(start, 1)[1].split(". ", 1)[0].rstrip(".")
    raise AssertionError(f"no caption with {start!r}")


def test_the_pay_forecast_counts_the_open_deals_of_the_next_month_as_the_forecast_page_does():
    from funnel_model.compensation import next_period
    from funnel_model.forecast_views import deal_probabilities
    from funnel_model.formatting import short_money
    from funnel_model.period import period_bounds, plan_for_period
    from tests.pages.test_forecast_page import demo_inputs, sliders_at
    from tests.pages.test_period_page import demo_deals

    # the demo's pay period is one month, the one after the data's last: the Forecast page's "next month"
    at = apptest.open_page("pages/forecast.py")
    at.selectbox(key="period.kind").set_value("next_month").run()
    check(at)
    inputs = demo_inputs()
    period = period_bounds("next_month", inputs.as_of)
    assert (period.start, period.stop) == next_period(demo_deals(), 1)
    for by_date in (False, True):
        at.checkbox(key="period.by_date").set_value(by_date).run()
        check(at)
        forecast = plan_for_period(
            inputs, demo_deals(), deal_probabilities(inputs, sliders_at("configured")), period, by_expected_date=by_date
        )
        figure = f"{short_money(forecast.pipeline.mean, 'en')} ₽"
        assert _open_deals_part(at, "en", "Open deals expected to be won in it: ") == figure
        at.switch_page("pages/compensation.py")
        at.run()
        check(at)
        assert _open_deals_part(at, "en", "in all, open deals expected to be won in it: ") == figure
        at.switch_page("pages/forecast.py")
        at.run()
