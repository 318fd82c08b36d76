"""ui.specs: Altair's reading of dict encodings, its class table kept, gives what Altair's own gives."""

from __future__ import annotations

import altair as alt
import pandas as pd
from altair.utils import schemapi

from ui import specs


def _altairs_own(cls, dct):
    return schemapi._FromDict(cls._default_wrapper_classes()).from_dict(dct, cls)


def test_a_dict_encoding_becomes_the_same_objects_as_with_altairs_own_table():
    cases = [
        (alt.X, {"field": "amount", "type": "quantitative", "axis": {"format": ",.0f", "title": "Сумма"}}),
        (alt.Color, {"field": "flag", "type": "nominal", "scale": {"domain": ["a", "b"], "range": ["red", "grey"]}}),
        (alt.Tooltip, {"field": "owner", "type": "nominal", "title": "Продавец"}),
        (alt.Y, {"field": "stage", "type": "ordinal", "sort": ["Квалификация", "Встреча"]}),
    ]
    for cls, dct in cases:
        ours, theirs = cls.from_dict(dct), _altairs_own(cls, dct)
        assert type(ours) is type(theirs) is cls
        assert ours.to_dict() == theirs.to_dict() == dct
        assert [type(getattr(ours, k)) for k in dct] == [type(getattr(theirs, k)) for k in dct]


def test_a_chart_built_from_dicts_has_the_spec_altair_would_write():
    frame = pd.DataFrame({"stage": ["A", "B"], "reached": [10, 4]})
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x={"field": "reached", "type": "quantitative", "title": "Дошли"},
            y={"field": "stage", "type": "nominal", "sort": None},
            tooltip=[{"field": "reached", "type": "quantitative", "format": ","}],
        )
    )
    spec = chart.to_dict()
    assert spec["encoding"]["x"] == {"field": "reached", "type": "quantitative", "title": "Дошли"}
    assert spec["encoding"]["tooltip"] == [{"field": "reached", "type": "quantitative", "format": ","}]
    assert alt.Chart.from_dict(spec).to_dict() == spec  # and back: a chart again, the same spec
    assert specs._converter.cache_info().currsize >= 1  # the class table was kept, not rebuilt per call
