"""Messages of exports, scenarios, the project file and chart downloads: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "export.csv": {"en": "Download CSV", "ru": "Скачать CSV"},
    "export.xlsx": {"en": "Download XLSX", "ru": "Скачать XLSX"},
    "scenario.error.json": {
        "en": "The scenario file is not readable JSON (line {line}, column {column}: {detail}). It may be cut short: "
        "save the scenario again and load the new file.",
        "ru": "Файл сценария — не читаемый JSON (строка {line}, столбец {column}: {detail}). Возможно, он обрезан: "
        "сохраните сценарий заново и загрузите новый файл.",
    },
    "scenario.error.format": {
        "en": "This is not a Funnel scenario file (its “format” is {found}). Load a file saved with “Save scenario”.",
        "ru": "Это не файл сценария Funnel (поле «format»: {found}). Загрузите файл, сохранённый кнопкой "
        "«Сохранить сценарий».",
    },
    "scenario.error.version": {
        "en": "The scenario file is of version {found}; this app reads version {expected}. "
        "Save the scenario again from the app version that made it.",
        "ru": "Файл сценария версии {found}, а приложение читает версию {expected}. "
        "Сохраните сценарий заново в той версии приложения, где он создан.",
    },
    "scenario.error.missing": {
        "en": "The scenario's field “{field}” is missing. Fix the file or save it again.",
        "ru": "В сценарии нет поля «{field}». Исправьте файл или сохраните сценарий заново.",
    },
    "scenario.error.unknown_field": {
        "en": "The scenario file has fields this app does not know: {field}. It may come from another version.",
        "ru": "В файле сценария есть неизвестные поля: {field}. Возможно, он из другой версии приложения.",
    },
    "scenario.error.part": {
        "en": "The scenario's “{field}” cannot be loaded: {detail}",
        "ru": "Не удаётся загрузить «{field}» из сценария: {detail}",
    },
    "scenario.error.not_finite": {
        "en": "The scenario holds a number that is not finite and cannot be saved ({detail}).",
        "ru": "В сценарии есть бесконечное или неопределённое число, его нельзя сохранить ({detail}).",
    },
}

# "the field should be ...": one message per kind of value, so the expectation is in the reader's language
_EXPECTED = {
    "object": ("an object {{...}}", "объект {{...}}"),
    "text": ("text", "текст"),
    "flag": ("true or false", "true или false"),
    "int": ("a whole number ≥ {low}", "целое число ≥ {low}"),
    "number": ("a number", "число"),
    "range": ("a number from {low} to {high}", "число от {low} до {high}"),
    "at_least": ("a number ≥ {low}", "число ≥ {low}"),
    "pair": ("two texts [first, last]", "два текста [начало, конец]"),
    "plan": ("plan “a” or “b”", "план «a» или «b»"),
    "list": ("a list [...]", "список [...]"),
    "json": ("a JSON value", "значение JSON"),
}
for _kind, (_en, _ru) in _EXPECTED.items():
    MESSAGES[f"scenario.error.field.{_kind}"] = {
        "en": f"The scenario's field “{{field}}” should be {_en}, but it is {{found}}. Fix the file or save it again.",
        "ru": f"Поле сценария «{{field}}» должно быть: {_ru}, а в файле {{found}}. Исправьте файл или сохраните "
        "сценарий заново.",
    }
