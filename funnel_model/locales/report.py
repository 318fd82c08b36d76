"""Messages of the report area: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "report.will_show": {
        "en": "a one-page report of the funnels, forecast and plan, with charts to download, and scenario save and load.",
        "ru": "одностраничный отчёт по воронкам, прогнозу и плану, графики для скачивания, сохранение и загрузка сценария.",
    },
}
