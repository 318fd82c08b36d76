"""The Funnels page opens with one sentence per funnel: recent win rate, its change, the step to work on."""

from __future__ import annotations

import pytest

from funnel_model import derive_segments, read_deals
from funnel_model.formatting import number, percent, signed
from funnel_model.i18n import t
from funnel_model.period import recent_change
from tests.pages import apptest
from tests.pages.test_forecast_page import DATA


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_one_sentence_per_funnel_with_the_numbers(lang):
    at = apptest.open_page("pages/funnels.py", lang)
    lines = next(m.value for m in at.markdown if m.value.startswith("- ")).split("\n")
    deals = read_deals(DATA / "demo_deals.csv").deals
    deals["segment"] = derive_segments(deals)
    changes = recent_change(deals, days=90)
    assert len(lines) == len(changes) == 3
    # the retention funnel (active clients) is the second panel, in segment order
    row = changes[changes["segment"] == "active"].iloc[0]
    text = t(
        "headline.rate",
        lang,
        funnel="X",
        won=number(row["won_now"], lang),
        closed=number(row["closed_now"], lang),
        days=90,
        rate=percent(row["rate_now"], lang, 0),
        change=f"{signed(100 * row['change'], lang, 1)} {t('headline.pp', lang)}",
    ).split("**X**", 1)[1]
    assert text in lines[1]
    assert t("headline.todo", lang).split("{")[0] in lines[1]
    assert "«КП» → «Согласование»" in lines[1] if lang == "ru" else "“КП” → “Согласование”" in lines[1]
