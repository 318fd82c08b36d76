"""Messages of exports, scenarios, the project file and chart downloads: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "export.csv": {"en": "Download CSV", "ru": "Скачать CSV"},
    "export.xlsx": {"en": "Download XLSX", "ru": "Скачать XLSX"},
}
