import pandas as pd
import pytest

from funnel_model.config import FunnelConfig, FunnelSpec, StageSpec
from funnel_model.errors import ConfigError


@pytest.fixture
def config():
    return FunnelConfig(
        [
            FunnelSpec(
                "Продажи", [StageSpec("Встреча", 0.2), StageSpec("КП", 0.5)], ["Успешно реализовано"], ["Закрыто"]
            ),
            FunnelSpec("Upsell", [StageSpec("Call", 0.6)], ["Won"], ["Lost"]),
        ]
    )


def test_json_and_table_round_trips_keep_everything(config):
    assert FunnelConfig.from_json(config.to_json()) == config
    assert FunnelConfig.from_stage_table(config.stage_table()) == config
    assert "Успешно реализовано" in config.to_json()  # readable, not \\u-escaped


def test_stage_table_reorders_open_stages_by_the_order_column(config):
    table = config.stage_table()
    table.loc[(table.stage == "Встреча"), "order"] = 3
    edited = FunnelConfig.from_stage_table(table)
    assert edited.funnel("Продажи").stage_names == ["КП", "Встреча"]


def test_probability_of_terminal_and_open_stages(config):
    sales = config.funnel("Продажи")
    assert sales.probability("КП") == 0.5
    assert sales.probability("Успешно реализовано") == 1.0
    assert sales.probability("Закрыто") == 0.0
    with pytest.raises(ConfigError) as err:
        sales.probability("Нет такого")
    assert "Нет такого" in err.value.message("ru")


def test_missing_funnel_name_means_the_only_funnel():
    only = FunnelConfig([FunnelSpec("main", [StageSpec("a", 0.1)])])
    assert only.funnel(None).name == "main"
    assert only.funnel(float("nan")).name == "main"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{", "cannot be read"),
        ("[]", "top level"),
        ('{"funnels": [{"stages": []}]}', "name"),
        ('{"funnels": [{"name": "a", "stages": [{"name": "x", "probability": 1.5}]}]}', "between 0 and 1"),
        ('{"funnels": [{"name": "a"}, {"name": "a"}]}', "twice"),
        ('{"funnels": [{"name": "a", "stages": [{"name": "x", "probability": 0.1}], "won": ["x"]}]}', "more than once"),
    ],
)
def test_bad_config_files_get_a_clear_error(text, fragment):
    with pytest.raises(ConfigError) as err:
        FunnelConfig.from_json(text)
    assert fragment in str(err.value)


def test_table_with_unknown_kind_is_rejected(config):
    table = config.stage_table()
    table.loc[0, "kind"] = "maybe"
    with pytest.raises(ConfigError, match="maybe"):
        FunnelConfig.from_stage_table(table)


def test_stage_table_columns(config):
    table = config.stage_table()
    assert list(table.columns) == ["funnel", "order", "stage", "kind", "probability"]
    assert table["order"].tolist()[:2] == [1, 2]
    assert pd.isna(table["order"].iloc[2])


@pytest.mark.parametrize("text", ['{"funnels": ' + "1" * 5000 + "}", "[" * 5000 + "]" * 5000])
def test_json_past_the_parsers_limits_is_a_config_error(text):
    with pytest.raises(ConfigError):
        FunnelConfig.from_json(text)
