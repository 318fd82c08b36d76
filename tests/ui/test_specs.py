"""ui.specs: Altair's reading of dict encodings, its class table kept, gives what Altair's own gives."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
from altair.utils import schemapi

from funnel_model.charts.forecast import distribution_chart, months_chart, reverse_funnel_chart
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


def _spec_from_its_shape(build, first: tuple, second: tuple) -> dict:
    """``build(*second)`` as chart_spec makes it from the spec drawn for ``build(*first)``'s shape."""
    frames, draw, shape = build.split(*first)
    new_frames, _, new_shape = build.split(*second)
    assert new_shape == shape
    return specs._filled(specs._shape_of(draw, frames), new_frames)


def test_a_slider_chart_filled_with_new_numbers_is_the_chart_built_anew():
    rng = np.random.default_rng(7)
    labels = {"revenue": "Выручка", "probability": "Вероятность", "series": "Ряд", "plan": "План"}

    def curves(n: int) -> pd.DataFrame:
        return pd.DataFrame(
            {"mid": np.sort(rng.uniform(0, 9e7, n)), "prob": rng.dirichlet(np.ones(n)), "series": ["Что если"] * n}
        )

    for lang in ("ru", "en"):
        first, second = (curves(60), 5e7, labels, lang), (curves(60), 6.1e7, labels, lang)
        filled = _spec_from_its_shape(distribution_chart, first, second)
        assert filled == specs._converted(distribution_chart(*second))
        assert len(filled["datasets"]) == 2  # the curves and the plan line, each its own

    month_labels = dict.fromkeys(["month", "revenue", "pipeline", "new_leads", "source", "band"], "м")
    months = [f"{m:02d}.2027" for m in range(1, 13)]

    def month_rows() -> pd.DataFrame:
        pipeline, new = rng.uniform(0, 5e6, 12), rng.uniform(0, 1e6, 12)
        total = pipeline + new
        return pd.DataFrame(
            {
                "month": months,
                "pipeline": pipeline,
                "new_leads": new,
                "total": total,
                "low": total * 0.7,
                "high": total * 1.3,
            }
        )

    first, second = (month_rows(), month_labels, "ru"), (month_rows(), month_labels, "ru")
    assert _spec_from_its_shape(months_chart, first, second) == specs._converted(months_chart(*second))

    funnel_labels = {"stage": "Этап", "deals": "Сделки", "series": "Ряд"}
    funnel_labels |= {"needed_mean": "в среднем", "needed_conf": "с уверенностью", "actual": "есть"}

    def plan_rows() -> pd.DataFrame:
        needed = rng.uniform(0, 400, 3)
        return pd.DataFrame(
            {
                "stage": ["Лид", "Встреча", "КП"],
                "order": [1, 2, 3],
                "needed_mean": needed,
                "needed_conf": needed * 1.4,
                "actual": [120.0, np.nan, 7.0],
            }
        )

    first, second = (plan_rows(), funnel_labels, "ru"), (plan_rows(), funnel_labels, "ru")
    filled = _spec_from_its_shape(reverse_funnel_chart, first, second)
    assert filled == specs._converted(reverse_funnel_chart(*second))


def test_a_chart_whose_two_datasets_are_equal_is_drawn_anew_each_time():
    # two datasets of one name could not be told apart when new frames come
    curves = pd.DataFrame({"mid": [1.0, 2.0], "prob": [0.5, 0.5], "series": ["a", "a"]})
    frames, draw, _ = distribution_chart.split(
        curves, 1.5, dict.fromkeys(["revenue", "probability", "series", "plan"], "x")
    )
    assert specs._shape_of(draw, frames) is not None
    assert specs._shape_of(draw, (frames[1], frames[1])) is None
