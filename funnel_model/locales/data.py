"""Messages of the data area: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {}
MESSAGES.update(
    {
        "config.unknown_stage": {
            "en": "Stage «{stage}» is not in the config of funnel «{funnel}». Add it in the funnel config table.",
            "ru": "Этапа «{stage}» нет в настройке воронки «{funnel}». Добавьте его в таблицу настройки воронки.",
        },
        "config.unknown_funnel": {
            "en": "Funnel «{funnel}» is not in the funnel config. Add its stages in the funnel config table.",
            "ru": "Воронки «{funnel}» нет в настройке. Добавьте её этапы в таблицу настройки воронок.",
        },
        "config.duplicate_funnel": {
            "en": "Funnel «{funnel}» appears twice in the config; keep one.",
            "ru": "Воронка «{funnel}» указана в настройке дважды; оставьте одну.",
        },
        "config.duplicate_stage": {
            "en": "In funnel «{funnel}» the stage name(s) {stage} appear more than once; each stage must be listed once.",
            "ru": "В воронке «{funnel}» этап(ы) {stage} указаны несколько раз; каждый этап должен быть указан один раз.",
        },
        "config.bad_probability": {
            "en": "Stage «{stage}» of funnel «{funnel}»: probability {value} is not between 0 and 1. "
            "Enter a share such as 0.4.",
            "ru": "Этап «{stage}» воронки «{funnel}»: вероятность {value} не от 0 до 1. Введите долю, например 0.4.",
        },
        "config.table_columns": {
            "en": "The funnel config table lacks the column(s) {columns}.",
            "ru": "В таблице настройки воронок нет столбцов: {columns}.",
        },
        "config.bad_kind": {
            "en": "Funnel «{funnel}»: stage kind «{kind}» is unknown; use open, won or lost.",
            "ru": "Воронка «{funnel}»: тип этапа «{kind}» неизвестен; используйте open, won или lost.",
        },
        "config.bad_json": {
            "en": "The funnel config file cannot be read ({detail}). Save the config again from the Data page.",
            "ru": "Файл настройки воронок не читается ({detail}). Сохраните настройку заново на странице «Данные».",
        },
    }
)
