"""At 1440 × 900 no table of the Forecast, Funnels and Clients pages hides its key columns off the right edge.

The grid draws on a canvas; its accessible header row lists only the columns it has drawn (those in view), so a
key column's header there means the column is on screen. The Forecast page's tables fit whole.
"""

from __future__ import annotations

from tests.browser.conftest import open_app, wait_for_app, widget

VIEWPORT = {"width": 1440, "height": 900}
TABLES_JS = """
() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
  .filter(df => df.getBoundingClientRect().width > 0)
  .map(df => {
    const scroller = df.querySelector('.dvn-scroller');
    return {
      heads: [...df.querySelectorAll('[role="columnheader"]')].map(h => h.textContent.trim()),
      scroll: scroller ? scroller.scrollWidth : 0,
      client: scroller ? scroller.clientWidth : 0,
      right: df.getBoundingClientRect().right,
    };
  })
"""
# a table's first headers → the columns a reader needs in view (its name, the figures it is about)
KEY_COLUMNS = {
    "forecast": {
        ("Funnel", "Open deals"): ["Funnel", "Open deals", "Expected in the period", "Share of expected"],
        ("Seller", "Open deals"): ["Seller", "Open deals", "Expected in the period", "Share of expected"],
        ("Deal", "Client"): ["Deal", "Amount", "Chance in the period", "Expected in the period", "Share of risk"],
        ("Category", "Open deals"): ["Category", "Amount", "Expected in the period"],
        ("Period", "Dates"): ["Period", "Revenue won", "Forecast on its first day", "Pessimistic then"],
        ("Figure", "Without moves"): ["Figure", "Without moves", "With the moves switched on", "Change"],
        ("Move", "On"): ["Move", "Cost", "Extra revenue, expected", "Revenue per unit of cost"],
    },
    "funnels": {
        ("Funnel", "Segment"): ["Funnel", "Segment", "Stage", "Reached", "Won", "Lost"],
        ("Rank", "Seller"): ["Seller", "Deals", "Won", "Lost", "Win rate"],
        ("Funnel", "Stage", "Won"): ["Funnel", "Stage", "Won", "Lost", "Observed", "Rate to use"],
    },
    "clients": {
        ("Month", "New"): ["Month", "New", "Active", "Dormant", "Revenue"],
    },
}


def _tables(page) -> list[dict]:
    page.wait_for_timeout(1000)  # the grids lay out after the run
    return page.evaluate(TABLES_JS)


def test_key_columns_are_in_view_at_1440(page, app_url, save_screenshot):
    page.set_viewport_size(VIEWPORT)
    open_app(page, app_url, lang="en")
    for name, wanted in KEY_COLUMNS.items():
        page.goto(f"{app_url}/{name}?lang=en")
        wait_for_app(page)
        if name == "forecast":  # the past periods' tables are shown once the reader asks for them
            widget(page, "period.past").get_by_text("Replay the past periods", exact=True).click()
            wait_for_app(page)
        tables = _tables(page)
        found = {key: t for t in tables for key in wanted if tuple(t["heads"][: len(key)]) == key}
        assert set(found) == set(wanted), (name, [t["heads"][:3] for t in tables])
        for first, table in found.items():
            assert table["right"] <= VIEWPORT["width"], (name, table)
            drawn = table["heads"]
            overflow = table["scroll"] > table["client"] + 1
            # a table that scrolls may show its last drawn column only in part: key columns come before it
            in_view = drawn[:-1] if overflow else drawn
            missing = [c for c in wanted[first] if c not in in_view]
            assert not missing, (name, missing, table)
            if name == "forecast":
                assert not overflow, (name, table)
        save_screenshot(page, f"layout_1440_{name}")
