"""Messages of the data area: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {}
MESSAGES.update(
    {
        "config.unknown_stage": {
            "en": "Stage “{stage}” is not in the config of funnel “{funnel}”. Add it in the funnel config table.",
            "ru": "Этапа «{stage}» нет в настройке воронки «{funnel}». Добавьте его в таблицу настройки воронки.",
        },
        "config.unknown_funnel": {
            "en": "Funnel “{funnel}” is not in the funnel config. Add its stages in the funnel config table.",
            "ru": "Воронки «{funnel}» нет в настройке. Добавьте её этапы в таблицу настройки воронок.",
        },
        "config.duplicate_funnel": {
            "en": "Funnel “{funnel}” appears twice in the config; keep one.",
            "ru": "Воронка «{funnel}» указана в настройке дважды; оставьте одну.",
        },
        "config.duplicate_stage": {
            "en": "In funnel “{funnel}” the stage name(s) {stage} appear more than once; each stage must be listed once.",
            "ru": "В воронке «{funnel}» этап(ы) {stage} указаны несколько раз; каждый этап должен быть указан один раз.",
        },
        "config.bad_probability": {
            "en": "Stage “{stage}” of funnel “{funnel}”: probability {value} is not between 0 and 1. "
            "Enter a share such as 0.4.",
            "ru": "Этап «{stage}» воронки «{funnel}»: вероятность {value} не от 0 до 1. Введите долю, например 0.4.",
        },
        "config.table_columns": {
            "en": "The funnel config table lacks the column(s) {columns}.",
            "ru": "В таблице настройки воронок нет столбцов: {columns}.",
        },
        "config.bad_kind": {
            "en": "Funnel “{funnel}”: stage kind “{kind}” is unknown; use open, won or lost.",
            "ru": "Воронка «{funnel}»: тип этапа «{kind}» неизвестен; используйте open, won или lost.",
        },
        "config.bad_json": {
            "en": "This funnel config file cannot be read: the app reads the JSON file saved with "
            "“Download config (JSON)” on the Data page. Save the config there again and load that file. "
            "(Technical detail: {detail})",
            "ru": "Этот файл настройки воронок не читается: приложение читает JSON-файл, сохранённый кнопкой "
            "«Скачать настройку (JSON)» на странице «Данные». Сохраните настройку там заново и загрузите этот файл. "
            "(Техническая подробность: {detail})",
        },
    }
)
MESSAGES.update(
    {
        "data.intro": {
            "en": "Upload a deal export from your CRM (amoCRM, Bitrix24, HubSpot, Pipedrive, Salesforce, Odoo or any table with a stage column). Check the column mapping and the funnel config below: every other page uses them for this browser session only.",
            "ru": "Загрузите выгрузку сделок из CRM (amoCRM, Битрикс24, HubSpot, Pipedrive, Salesforce, Odoo или любую таблицу со столбцом этапа). Проверьте ниже сопоставление столбцов и настройку воронок: все остальные страницы используют их только в этой сессии браузера.",
        },
        "data.upload.label": {
            "en": "CRM deal export (CSV, XLSX, XLS; packed as .csv.gz or .zip; Parquet)",
            "ru": "Выгрузка сделок из CRM (CSV, XLSX, XLS; в архиве .csv.gz или .zip; Parquet)",
        },
        "data.upload.limit": {
            "en": "Up to {mb} MB per file. A larger file is refused: pack it as .zip or .csv.gz (a CSV shrinks several times), or export a shorter period or fewer columns.",
            "ru": "До {mb} МБ на файл. Файл больше не принимается: запакуйте его в .zip или .csv.gz (CSV сжимается в несколько раз) или выгрузите более короткий период или меньше столбцов.",
        },
        "data.upload.reading": {
            "en": "Reading “{name}” ({mb} MB): unpacking, reading the cells, parsing amounts and dates, inferring the funnels…",
            "ru": "Читаем «{name}» ({mb} МБ): распаковка, чтение ячеек, разбор сумм и дат, восстановление воронок…",
        },
        "data.upload.read": {
            "en": "Read “{name}” in {seconds} s.",
            "ru": "Файл «{name}» прочитан за {seconds} с.",
        },
        "data.upload.not_read": {
            "en": "“{name}” was not taken: see the message below.",
            "ru": "Файл «{name}» не принят: см. сообщение ниже.",
        },
        "data.upload.using": {"en": "Using your file “{name}”.", "ru": "Используется ваш файл «{name}»."},
        "data.upload.using_demo": {
            "en": "Showing the demo data. Upload your export to work with it.",
            "ru": "Показаны демо-данные. Загрузите свою выгрузку, чтобы работать с ней.",
        },
        "data.upload.rejected": {
            "en": "File “{name}” was not loaded; the data in use did not change.",
            "ru": "Файл «{name}» не загружен; используемые данные не изменились.",
        },
        "data.pending.stage": {
            "en": "Which column of this file holds the deal stage?",
            "ru": "В каком столбце этого файла этап сделки?",
        },
        "data.pending.use": {"en": "Use this column", "ru": "Использовать этот столбец"},
        "data.pending.discard": {"en": "Discard “{name}”", "ru": "Отказаться от «{name}»"},
        "data.history.label": {
            "en": "Stage history (optional): deal id, stage, date the stage was entered",
            "ru": "История этапов (необязательно): ID сделки, этап, дата перехода на этап",
        },
        "data.history.using": {"en": "Stage history entries: {n}.", "ru": "Переходов в истории этапов: {n}."},
        "data.history.demo": {
            "en": "The demo data comes with its stage history. Upload a history file after uploading your deals.",
            "ru": "К демо-данным приложена история этапов. Файл истории можно загрузить после выгрузки сделок.",
        },
        "data.summary.header": {"en": "Summary", "ru": "Сводка"},
        "data.metric.deals": {"en": "Deals", "ru": "Сделки"},
        "data.metric.won": {"en": "Won", "ru": "Выиграно"},
        "data.metric.lost": {"en": "Lost", "ru": "Проиграно"},
        "data.metric.open": {"en": "Open", "ru": "Открыто"},
        "data.metric.amount": {"en": "Total amount", "ru": "Общая сумма"},
        "data.summary.by_funnel": {"en": "By funnel", "ru": "По воронкам"},
        "data.summary.by_segment": {"en": "By client segment", "ru": "По сегментам клиентов"},
        "data.col.funnel": {"en": "Funnel", "ru": "Воронка"},
        "data.col.segment": {"en": "Segment", "ru": "Сегмент"},
        "data.col.deals": {"en": "Deals", "ru": "Сделки"},
        "data.col.won": {"en": "Won", "ru": "Выиграно"},
        "data.col.lost": {"en": "Lost", "ru": "Проиграно"},
        "data.col.open": {"en": "Open", "ru": "Открыто"},
        "data.col.amount": {"en": "Amount", "ru": "Сумма"},
        "data.no_funnel": {"en": "(no funnel)", "ru": "(без воронки)"},
        "data.dormancy.label": {"en": "Dormancy window, days", "ru": "Окно «спящего» клиента, дней"},
        "data.dormancy.help": {
            "en": "A deal's client is new if it never won a deal before, active if its last won deal is within this many days, dormant if older.",
            "ru": "Клиент сделки новый, если до неё у него не было выигранных сделок; действующий, если последняя выигранная сделка была не раньше, чем столько дней назад; спящий, если раньше.",
        },
        "data.segments.header": {"en": "Segment per funnel", "ru": "Сегмент по воронкам"},
        "data.segments.caption": {
            "en": "“From client history” gives each deal its segment from the client's won deals and the dormancy window. Choose a segment to give it to every deal of a funnel (a CRM with one pipeline per client type); a segment column in the file still wins.",
            "ru": "«По истории клиента» — сегмент каждой сделки определяется по выигранным сделкам клиента и окну «спящего» клиента. Выберите сегмент, чтобы присвоить его всем сделкам воронки (если в CRM своя воронка на каждый тип клиентов); столбец сегмента в файле всё равно главнее.",
        },
        "data.segments.auto": {"en": "From client history", "ru": "По истории клиента"},
        "data.mapping.header": {"en": "Column mapping", "ru": "Сопоставление столбцов"},
        "data.mapping.caption": {
            "en": "Which column of your file feeds each field of the deal table. Change a choice, then press “Apply mapping”.",
            "ru": "Какой столбец вашего файла заполняет каждое поле таблицы сделок. Измените выбор и нажмите «Применить сопоставление».",
        },
        "data.mapping.demo": {
            "en": "The demo data is already in the app's format, so its mapping is fixed. Upload your export to edit the mapping.",
            "ru": "Демо-данные уже в формате приложения, их сопоставление не меняется. Загрузите свою выгрузку, чтобы изменить сопоставление.",
        },
        "data.mapping.field": {"en": "Field", "ru": "Поле"},
        "data.mapping.source": {"en": "Column of your file", "ru": "Столбец вашего файла"},
        "data.mapping.apply": {"en": "Apply mapping", "ru": "Применить сопоставление"},
        "data.mapping.reset": {"en": "Back to the detected mapping", "ru": "Вернуть найденное сопоставление"},
        "data.mapping.unmapped": {
            "en": "Columns kept as they are, not mapped to a field: {columns}",
            "ru": "Столбцы сохранены как есть, без сопоставления с полем: {columns}",
        },
        "data.mapping.all_mapped": {
            "en": "Every column of the file is mapped to a field.",
            "ru": "Все столбцы файла сопоставлены с полями.",
        },
        "data.mapping.none": {"en": "not mapped", "ru": "не выбрано"},
        "data.mapping.no_stage": {
            "en": "No column is mapped to the field “Stage”: choose the column with the deal stage in the table above.",
            "ru": "Полю «Этап» не сопоставлен ни один столбец: выберите в таблице выше столбец с этапом сделки.",
        },
        "data.mapping.failed": {
            "en": "This mapping cannot be used; the previous one is kept.",
            "ru": "Это сопоставление применить нельзя; оставлено прежнее.",
        },
        "data.field.deal_id": {"en": "Deal id", "ru": "ID сделки"},
        "data.field.client_id": {"en": "Client", "ru": "Клиент"},
        "data.field.funnel": {"en": "Funnel (pipeline)", "ru": "Воронка"},
        "data.field.segment": {"en": "Client segment", "ru": "Сегмент клиента"},
        "data.field.stage": {"en": "Stage", "ru": "Этап"},
        "data.field.status": {"en": "Status (won / lost / open)", "ru": "Статус (выиграна / проиграна / открыта)"},
        "data.field.lost_stage": {"en": "Stage the deal was lost at", "ru": "Этап, на котором сделка проиграна"},
        "data.field.amount": {"en": "Amount", "ru": "Сумма"},
        "data.field.owner": {"en": "Salesperson", "ru": "Ответственный"},
        "data.field.created_at": {"en": "Created", "ru": "Дата создания"},
        "data.field.closed_at": {"en": "Closed", "ru": "Дата закрытия"},
        "data.field.expected_close_at": {"en": "Expected close", "ru": "Плановая дата закрытия"},
        "data.field.probability": {"en": "Seller's probability", "ru": "Вероятность (оценка продавца)"},
        "data.field.product": {"en": "Product", "ru": "Продукт"},
        "data.field.source": {"en": "Lead source", "ru": "Источник"},
        "data.field.lost_reason": {"en": "Loss reason", "ru": "Причина отказа"},
        "data.config.header": {"en": "Funnel config", "ru": "Настройка воронок"},
        "data.config.caption": {
            "en": "Per funnel: the open stages in order with a default win probability (0–1), and which stages mean won and lost. Edit the table (rows can be added and deleted), then press “Apply config”.",
            "ru": "Для каждой воронки: открытые этапы по порядку с вероятностью выигрыша по умолчанию (0–1) и этапы, означающие выигрыш и проигрыш. Измените таблицу (строки можно добавлять и удалять) и нажмите «Применить настройку».",
        },
        "data.config.edited": {
            "en": "You are using an edited funnel config. “Back to the inferred config” undoes the edits.",
            "ru": "Используется изменённая настройка воронок. «Вернуть найденную настройку» отменяет изменения.",
        },
        "data.config.col.funnel": {"en": "Funnel", "ru": "Воронка"},
        "data.config.col.order": {"en": "Order", "ru": "Порядок"},
        "data.config.col.stage": {"en": "Stage", "ru": "Этап"},
        "data.config.col.kind": {"en": "Kind", "ru": "Тип"},
        "data.config.col.probability": {"en": "Win probability", "ru": "Вероятность выигрыша"},
        "data.config.kind.open": {"en": "open stage", "ru": "открытый этап"},
        "data.config.kind.won": {"en": "won", "ru": "выигрыш"},
        "data.config.kind.lost": {"en": "lost", "ru": "проигрыш"},
        "data.config.apply": {"en": "Apply config", "ru": "Применить настройку"},
        "data.config.reset": {"en": "Back to the inferred config", "ru": "Вернуть найденную настройку"},
        "data.config.download": {"en": "Download config (JSON)", "ru": "Скачать настройку (JSON)"},
        "data.config.upload": {"en": "Load a saved config (JSON)", "ru": "Загрузить сохранённую настройку (JSON)"},
        "data.config.loaded": {"en": "Config “{name}” loaded.", "ru": "Настройка «{name}» загружена."},
        "data.config.not_in_config": {
            "en": "Deals in a funnel or stage the config does not list: {n} ({pairs}). Add these stages to the table.",
            "ru": "Сделок в воронке или на этапе, которых нет в настройке: {n} ({pairs}). Добавьте эти этапы в таблицу.",
        },
        "data.preview.header": {
            "en": "Deal table (first {n} of {total} rows)",
            "ru": "Таблица сделок (первые {n} из {total} строк)",
        },
        "data.problems.header": {"en": "Problems found while reading", "ru": "Проблемы при чтении"},
        "data.problems.none": {
            "en": "No row was rejected or repaired.",
            "ru": "Ни одна строка не отклонена и не исправлена.",
        },
        "data.problems.deals.rejected": {"en": "Rows rejected", "ru": "Строк отклонено"},
        "data.problems.deals.repaired": {"en": "Rows repaired", "ru": "Строк исправлено"},
        "data.problems.deals.warning": {"en": "Warnings", "ru": "Предупреждения"},
        "data.problems.history.rejected": {"en": "History rows rejected", "ru": "Строк истории отклонено"},
        "data.problems.history.repaired": {"en": "History rows repaired", "ru": "Строк истории исправлено"},
        "data.problems.history.warning": {"en": "History warnings", "ru": "Предупреждения по истории"},
        "data.problems.file.deals": {"en": "Deals file", "ru": "Файл сделок"},
        "data.problems.file.history": {"en": "Stage history file", "ru": "Файл истории этапов"},
        "data.problems.col.file": {"en": "File", "ru": "Файл"},
        "data.problems.by_reason": {"en": "By reason", "ru": "По причинам"},
        "data.problems.col.action": {"en": "What was done", "ru": "Что сделано"},
        "data.problems.col.count": {"en": "Rows", "ru": "Строк"},
        "data.problems.col.example": {"en": "Reason (first case)", "ru": "Причина (первый случай)"},
        "data.problems.all": {"en": "Every problem, row by row ({n})", "ru": "Все проблемы по строкам ({n})"},
        "data.problems.download": {"en": "Download the problems (CSV)", "ru": "Скачать список проблем (CSV)"},
        "data.problems.download_xlsx": {"en": "Download the problems (XLSX)", "ru": "Скачать список проблем (XLSX)"},
    }
)
