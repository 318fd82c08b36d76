"""Messages shared by the app shell and every page."""

MESSAGES: dict[str, dict[str, str]] = {
    "app.title": {"en": "Funnel", "ru": "Воронка"},
    "app.language": {"en": "Language", "ru": "Язык"},
    "app.data_source": {"en": "Data", "ru": "Данные"},
    "app.source.demo": {"en": "Demo data", "ru": "Демо-данные"},
    "app.source.upload": {"en": "My upload", "ru": "Моя выгрузка"},
    "app.source.no_upload": {
        "en": "Nothing uploaded yet: upload your CRM export on the Data page.",
        "ru": "Файл ещё не загружен: загрузите выгрузку из CRM на странице «Данные».",
    },
    "app.upload_lost": {
        "en": "The file “{name}” finished uploading after you left the Data page and was not taken: the data in use has not changed. Upload it again on the Data page.",
        "ru": "Файл «{name}» догрузился, когда вы уже ушли со страницы «Данные», и не был принят: данные не изменились. Загрузите его снова на странице «Данные».",
    },
    "app.upload_unfinished": {
        "en": "The upload of “{name}” did not finish when you left the Data page: the data in use has not changed. Upload it again on the Data page.",
        "ru": "Загрузка файла «{name}» не завершилась, когда вы ушли со страницы «Данные»: данные не изменились. Загрузите его снова на странице «Данные».",
    },
    "app.deals_loaded": {
        "en": "{n} deals · {source}",
        "ru": "Сделок: {n} · {source}",
    },
    "page.data": {"en": "Data", "ru": "Данные"},
    "page.funnels": {"en": "Funnels", "ru": "Воронки"},
    "page.forecast": {"en": "Forecast & plan", "ru": "Прогноз и план"},
    "page.compensation": {"en": "Compensation", "ru": "Мотивация"},
    "page.rejection": {"en": "Rejection math", "ru": "Математика отказов"},
    "page.report": {"en": "Report", "ru": "Отчёт"},
    "page.not_built": {
        "en": "This page is not built yet. It will show: {what}",
        "ru": "Эта страница ещё не готова. Здесь будет: {what}",
    },
    "widget.choose": {"en": "Choose…", "ru": "Выберите…"},
    "progress.data": {
        "en": "Preparing the data: segments, funnel config, the stages each deal reached…",
        "ru": "Готовим данные: сегменты, настройки воронок, этапы, до которых дошла каждая сделка…",
    },
    "progress.funnels": {
        "en": "Computing the funnels, sellers, stage win rates and calibration…",
        "ru": "Считаем воронки, продавцов, конверсию этапов в выигрыш и калибровку…",
    },
    "progress.forecast": {
        "en": "Preparing the forecast: stage rates, close timing, the revenue distribution…",
        "ru": "Готовим прогноз: конверсия этапов, сроки закрытия, распределение выручки…",
    },
    "segment.new": {"en": "New prospects", "ru": "Новые клиенты"},
    "segment.active": {"en": "Active clients", "ru": "Действующие клиенты"},
    "segment.dormant": {"en": "Dormant clients", "ru": "Спящие клиенты"},
    "funnel_kind.new": {"en": "Attraction", "ru": "Привлечение"},
    "funnel_kind.active": {"en": "Retention", "ru": "Удержание"},
    "funnel_kind.dormant": {"en": "Reactivation", "ru": "Реактивация"},
    "status.open": {"en": "open", "ru": "открыта"},
    "status.won": {"en": "won", "ru": "выиграна"},
    "status.lost": {"en": "lost", "ru": "проиграна"},
    "error.unexpected": {
        "en": "Something went wrong while computing this view ({kind}). "
        "Your data is unchanged; please report this with the file you used.",
        "ru": "При расчёте этой страницы произошла ошибка ({kind}). "
        "Данные не изменены; сообщите нам об этом и приложите файл.",
    },
    "error.parameter": {
        "en": "{name} must be {rule}; got {value}.",
        "ru": "{name}: значение должно быть {rule}; получено {value}.",
    },
}
