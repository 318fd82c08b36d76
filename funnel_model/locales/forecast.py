"""Messages of the forecast area: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "forecast.will_show": {
        "en": "the revenue forecast with P10/P50/P90 and the chance of meeting the plan, what-if sliders per stage, revenue by close month, and the leads the plan needs.",
        "ru": "прогноз выручки с P10/P50/P90 и вероятностью выполнить план, ползунки «что если» по этапам, выручка по месяцам закрытия и сколько лидов нужно для плана.",
    },
}
