"""Messages of exports, scenarios, the project file and chart downloads: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "export.csv": {"en": "Download CSV", "ru": "Скачать CSV"},
    "export.xlsx": {"en": "Download XLSX", "ru": "Скачать XLSX"},
    "export.currency": {"en": "Currency", "ru": "Валюта"},
    "export.no_currency": {"en": "none", "ru": "без знака"},
    "money.bad": {
        "en": "“{text}” is not an amount: type digits, grouped if you like (76,000,000 or 76 000 000). "
        "Still using {last}.",
        "ru": "«{text}» — не сумма: введите цифры, можно с пробелами между разрядами (76 000 000). "
        "Пока действует {last}.",
    },
    "export.currency_help": {
        "en": "The sign written after amounts on every page, in the report and in XLSX downloads.",
        "ru": "Знак после сумм на всех страницах, в отчёте и в скачиваемых XLSX.",
    },
    "scenario.error.json": {
        "en": "The scenario file is not readable JSON (line {line}, column {column}: {detail}). It may be cut short: "
        "save the scenario again and load the new file.",
        "ru": "Файл сценария — не читаемый JSON (строка {line}, столбец {column}: {detail}). Возможно, он обрезан: "
        "сохраните сценарий заново и загрузите новый файл.",
    },
    "scenario.error.too_complex": {
        "en": "The scenario file is nested too deeply or holds a number too long to read. "
        "Save the scenario again and load the new file.",
        "ru": "В файле сценария слишком глубокая вложенность или слишком длинное число, его не прочитать. "
        "Сохраните сценарий заново и загрузите новый файл.",
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
    "scenario.header": {"en": "Scenarios", "ru": "Сценарии"},
    "scenario.intro": {
        "en": "A scenario is every assumption you changed: funnel settings, what-if rates, plan, pay plans with "
        "targets, rejection-math settings. Keep several here, compare two, save one to a file and load it later.",
        "ru": "Сценарий — все изменённые вами допущения: настройка воронок, ставки «что если», план, планы "
        "мотивации с планами продаж, настройки математики отказов. Сохраните несколько, сравните два, "
        "выгрузите в файл и загрузите позже.",
    },
    "scenario.default_name": {"en": "Scenario {n}", "ru": "Сценарий {n}"},
    "scenario.name": {"en": "Scenario name", "ru": "Название сценария"},
    "scenario.keep": {"en": "Keep as named", "ru": "Запомнить"},
    "scenario.save": {"en": "Save scenario (JSON)", "ru": "Сохранить сценарий (JSON)"},
    "scenario.load": {"en": "Load a scenario (JSON)", "ru": "Загрузить сценарий (JSON)"},
    "scenario.load_failed": {
        "en": "The scenario was not loaded; everything stays as it was. {reason}",
        "ru": "Сценарий не загружен, всё осталось как было. {reason}",
    },
    "scenario.loaded": {
        "en": "Scenario “{name}” is now in use on every page.",
        "ru": "Сценарий «{name}» применён на всех страницах.",
    },
    "scenario.none_kept": {
        "en": "No scenario kept yet: name the current assumptions and press “Keep as named”.",
        "ru": "Сохранённых сценариев пока нет: назовите текущие допущения и нажмите «Запомнить».",
    },
    "scenario.kept": {"en": "Kept scenarios", "ru": "Сохранённые сценарии"},
    "scenario.apply": {"en": "Use this one", "ru": "Применить"},
    "scenario.compare": {"en": "Two scenarios side by side", "ru": "Два сценария рядом"},
    "scenario.compare_one": {"en": "First", "ru": "Первый"},
    "scenario.compare_two": {"en": "Second", "ru": "Второй"},
    "scenario.current": {"en": "As now", "ru": "Как сейчас"},
    "scenario.figure": {"en": "Figure", "ru": "Показатель"},
    "scenario.figure.mean": {"en": "Expected revenue of the open deals", "ru": "Ожидаемая выручка открытых сделок"},
    "scenario.figure.p10": {"en": "P10 (bad case)", "ru": "P10 (плохой случай)"},
    "scenario.figure.p50": {"en": "P50 (median)", "ru": "P50 (медиана)"},
    "scenario.figure.p90": {"en": "P90 (good case)", "ru": "P90 (хороший случай)"},
    "scenario.figure.p_plan": {"en": "Chance to reach the plan", "ru": "Вероятность выполнить план"},
    "scenario.figure.leads": {"en": "New leads needed (average)", "ru": "Нужно новых лидов (в среднем)"},
    "scenario.figure.cost_of_sales_a": {"en": "Cost of sales, plan A", "ru": "Стоимость продаж, план A"},
    "scenario.figure.cost_of_sales_b": {"en": "Cost of sales, plan B", "ru": "Стоимость продаж, план B"},
    "scenario.compare_note": {
        "en": "Both on the same data. Cost of sales needs the scenario's pay plans, targets and pay period "
        "(visit Compensation before keeping it); “—” where it has none.",
        "ru": "Оба на одних данных. Для стоимости продаж нужны планы мотивации, планы продаж и период выплат "
        "сценария (откройте «Мотивацию» перед сохранением); «—», если их нет.",
    },
    "project.error.not_zip": {
        "en": "This is not a Funnel project file (not a zip archive, or cut short: {detail}). "
        "Save the project again and open the new file.",
        "ru": "Это не файл проекта Funnel (не zip-архив или файл обрезан: {detail}). "
        "Сохраните проект заново и откройте новый файл.",
    },
    "project.error.foreign": {
        "en": "This zip is not a Funnel project (no Funnel manifest.json inside). Open a file saved with "
        "“Save project”.",
        "ru": "Этот zip — не проект Funnel (внутри нет manifest.json Funnel). Откройте файл, сохранённый кнопкой "
        "«Сохранить проект».",
    },
    "project.error.version": {
        "en": "The project file is of version {found}; this app reads version {expected}. "
        "Save it again from the app version that made it.",
        "ru": "Файл проекта версии {found}, а приложение читает версию {expected}. "
        "Сохраните его заново в той версии приложения, где он создан.",
    },
    "project.error.missing": {
        "en": "The project file has no “{part}”; it is damaged. Save the project again.",
        "ru": "В файле проекта нет части «{part}», он повреждён. Сохраните проект заново.",
    },
    "project.error.part": {
        "en": "The project's part “{part}” cannot be read ({detail}). The file is damaged or was edited; "
        "save the project again.",
        "ru": "Не удаётся прочитать часть проекта «{part}» ({detail}). Файл повреждён или изменён вручную; "
        "сохраните проект заново.",
    },
    "project.error.rows": {
        "en": "The project's part “{part}” holds {found} rows, its manifest says {expected}. "
        "The file is damaged; save the project again.",
        "ru": "В части проекта «{part}» строк: {found}, а в описании: {expected}. "
        "Файл повреждён; сохраните проект заново.",
    },
    "project.error.too_large": {
        "en": "The project file would inflate to {size} bytes, more than a project can hold; it was not opened.",
        "ru": "Файл проекта распаковался бы в {size} байт — больше, чем бывает у проекта; он не открыт.",
    },
    "project.header": {"en": "Project file", "ru": "Файл проекта"},
    "project.intro": {
        "en": "One file with the data, the column mapping, the import problems and every scenario: keep each "
        "client's work on your computer and open it here to continue exactly where you left off.",
        "ru": "Один файл с данными, сопоставлением столбцов, проблемами импорта и всеми сценариями: храните работу "
        "по каждому клиенту у себя и открывайте здесь, чтобы продолжить ровно с того же места.",
    },
    "project.save": {"en": "Save project", "ru": "Сохранить проект"},
    "project.open": {"en": "Open a project file", "ru": "Открыть файл проекта"},
    "project.open_failed": {
        "en": "The project was not opened; the data and settings in use stay as they were. {reason}",
        "ru": "Проект не открыт, данные и настройки остались прежними. {reason}",
    },
    "project.opened": {
        "en": "Project “{name}” is open: its data, mapping and scenarios are in use on every page.",
        "ru": "Проект «{name}» открыт: его данные, сопоставление и сценарии применены на всех страницах.",
    },
    "chart.png": {"en": "PNG", "ru": "PNG"},
    "rejection.data.show_names": {"en": "Show sellers' names", "ru": "Показать имена продавцов"},
    "rejection.data.alias": {"en": "Seller {i}", "ru": "Продавец {i}"},
    "chart.svg": {"en": "SVG", "ru": "SVG"},
    "chart.subtitle": {
        "en": "Data as of {as_of} · scenario: {scenario}",
        "ru": "Данные на {as_of} · сценарий: {scenario}",
    },
}

# "the field should be ...": one message per kind of value, so the expectation is in the reader's language
_EXPECTED = {
    "object": ("an object {{...}}", "объект {{...}}"),
    "text": ("text", "текст"),
    "flag": ("true or false", "true или false"),
    "int": ("a whole number ≥ {low}", "целое число ≥ {low}"),
    "int_range": ("a whole number from {low} to {high}", "целое число от {low} до {high}"),
    "dates": (
        "two dates [first, last] written YYYY-MM-DD, the first not after the last",
        "две даты [начало, конец] в виде ГГГГ-ММ-ДД, начало не позже конца",
    ),
    "months": (
        "two months [first, last] written YYYY-MM, the first not after the last",
        "два месяца [первый, последний] в виде ГГГГ-ММ, первый не позже последнего",
    ),
    "choice": ("one of: {options}", "одно из: {options}"),
    "number": ("a number", "число"),
    "range": ("a number from {low} to {high}", "число от {low} до {high}"),
    "at_least": ("a number ≥ {low}", "число ≥ {low}"),
    "pair": ("two texts [first, last]", "два текста [начало, конец]"),
    "plan": ("plan “a” or “b”", "план «a» или «b»"),
    "list": ("a list [...]", "список [...]"),
    "json": ("a JSON value", "значение JSON"),
    "nested": ("a value nested at most {depth} levels deep", "значение с вложенностью не глубже {depth} уровней"),
}
for _kind, (_en, _ru) in _EXPECTED.items():
    MESSAGES[f"scenario.error.field.{_kind}"] = {
        "en": f"The scenario's field “{{field}}” should be {_en}, but it is {{found}}. Fix the file or save it again.",
        "ru": f"Поле сценария «{{field}}» должно быть: {_ru}, а в файле {{found}}. Исправьте файл или сохраните "
        "сценарий заново.",
    }
