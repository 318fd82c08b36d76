"""Plain words first: outside the "How this is computed" expanders no page names a method.

Every text a user reads without opening an expander (titles, sentences, captions, notes, tile labels and
values) is scanned for the statistician's words (E[S], P10/P50/P90, Beta, lattice, Aalen–Johansen, Monte
Carlo, saddlepoint) in both languages. Inside the method expanders they are welcome.
"""

from __future__ import annotations

import re

import pytest

from funnel_model.i18n import t
from tests.pages import apptest

METHOD = re.compile(
    r"E\[S\]|\bP(?:10|50|90)\b|\bBeta\b|Бета|lattice|решётк|решетк|Aalen|Аален|Monte[- ]Carlo|Монте[- ]Карло"
    r"|saddlepoint|седлов",
    re.IGNORECASE,
)
HOW = ("period.how", "moves.how", "clients.how", "rejection.how")  # the method expanders
TEXTS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success", "text")
PAGES = ("forecast", "funnels", "clients", "compensation", "rejection")


def visible_texts(at) -> list[str]:
    """What reads on the page without opening a method expander: texts, and each tile's label and value."""
    hidden = {t(key, lang) for key in HOW for lang in ("en", "ru")}
    inside = set()
    for expander in at.expander:
        if expander.label in hidden:
            inside |= {id(e) for kind in (*TEXTS, "metric") for e in getattr(expander, kind)}
    out = [e.value for kind in TEXTS for e in getattr(at, kind) if id(e) not in inside]
    out += [f"{m.label} {m.value}" for m in at.metric if id(m) not in inside]
    return [str(text) for text in out]


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("page", PAGES)
def test_no_method_names_outside_the_how_this_is_computed_expanders(page, lang):
    at = apptest.open_page(f"pages/{page}.py", lang)
    texts = visible_texts(at)
    assert len(texts) > 5  # the scan saw the page
    offending = [text for text in texts if METHOD.search(text)]
    assert not offending, offending
