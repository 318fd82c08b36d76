"""The Funnels page in presenter mode (``?presenter=1``): one funnel per screen, large type, the place in the link."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from funnel_model.i18n import t
from tests.pages.apptest import APP, assert_clean

PAGE = "pages/funnels.py"
KINDS = ["new", "active", "dormant"]  # the demo's three funnels, in page order


def open_room(lang: str = "en", section: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    # first run in English: the sidebar radio's options are re-formatted outside the run in the default language
    at.session_state["lang"] = "en"
    at.query_params["presenter"] = "1"
    if section is not None:
        at.query_params["section"] = section
    at.run()
    at.session_state["lang"] = lang
    at.switch_page(PAGE)
    at.run()
    assert_clean(at)
    return at


def room_chart(at: AppTest) -> dict:
    (chart,) = at.get("vega_lite_chart")  # one funnel on screen, nothing else
    return json.loads(chart.proto.spec)


def test_one_funnel_per_screen_with_next_and_previous():
    at = open_room()
    titles = []
    for step in range(1, 4):
        spec = room_chart(at)
        titles.append(spec["title"]["text"])
        assert at.query_params["section"] == str(step)
        assert any(m.value.startswith(f"**{step} / 3**") for m in at.markdown)
        if step < 3:
            at.button(key="funnels.next").click().run()
            assert_clean(at)
    assert titles == [t(f"funnels.kind.{kind}", "en") for kind in KINDS]
    assert at.button(key="funnels.next").disabled
    at.button(key="funnels.previous").click().run()
    assert room_chart(at)["title"]["text"] == t("funnels.kind.active", "en")
    assert at.query_params["section"] == "2"
    # the rest of the page (sellers' tables, calibration) is not on a presenter's screen
    assert not at.dataframe


def test_russian_presenter_screens():
    # AppTest re-formats the filters' selectboxes in English between runs, so a click in Russian
    # would fail on the test side: each screen is opened from its link instead
    for step, kind in enumerate(KINDS, start=1):
        at = open_room("ru", section=str(step))
        assert room_chart(at)["title"]["text"] == t(f"funnels.kind.{kind}", "ru")
        assert at.button(key="funnels.next").label == "Дальше →"
        assert at.button(key="funnels.previous").label == "← Назад"
        assert at.expander[0].label == "Фильтры"
        headline = next(m.value for m in at.markdown if m.value.startswith("#### "))
        assert t(f"funnels.kind.{kind}", "ru") in headline.replace("\\", "")  # Markdown escapes drawn away


@pytest.mark.parametrize(("section", "shown"), [("3", 2), ("9", 2), ("abc", 0), ("0", 0)])
def test_the_link_keeps_the_presenters_funnel(section, shown):
    at = open_room(section=section)
    assert room_chart(at)["title"]["text"] == t(f"funnels.kind.{KINDS[shown]}", "en")
    assert at.query_params["section"] == str(shown + 1)


def test_presenter_mode_is_large_type_without_the_sidebar():
    spec = room_chart(open_room())
    sizes = {layer["mark"]["fontSize"] for layer in spec["layer"] if layer["mark"]["type"] == "text"}
    assert sizes == {26}
    assert spec["title"]["fontSize"] >= 26
    at = open_room()
    assert any("stSidebar" in h.proto.body for h in at.html)
    # the filters are still at hand, folded away
    (filters,) = at.expander
    assert filters.label == "Filters"
    assert filters.selectbox(key="funnels.seller").label == "Seller"
