"""Messages of the importer: file-level errors and row problems."""

MESSAGES: dict[str, dict[str, str]] = {
    # file-level errors (DealImportError)
    "importer.file_not_found": {
        "en": "File “{name}” cannot be opened. Check the path and that the file exists.",
        "ru": "Файл «{name}» не открывается. Проверьте путь и что файл существует.",
    },
    "importer.bad_source": {
        "en": "Cannot read deals from a {kind}. Pass a file path, bytes or an uploaded file.",
        "ru": "Нельзя прочитать сделки из объекта {kind}. Передайте путь к файлу, байты или загруженный файл.",
    },
    "importer.empty_file": {
        "en": "File “{name}” is empty. Export the deals from your CRM again (CSV or XLSX) and upload that file.",
        "ru": "Файл «{name}» пуст. Выгрузите сделки из CRM заново (CSV или XLSX) и загрузите этот файл.",
    },
    "importer.no_data_rows": {
        "en": "File “{name}” has a header row but no deals under it. Export the deals with their rows.",
        "ru": "В файле «{name}» есть строка заголовков, но нет ни одной сделки. Выгрузите сделки вместе со строками.",
    },
    "importer.binary_file": {
        "en": "File “{name}” is not a table but a {kind} file. Upload the CRM export as CSV or XLSX.",
        "ru": "Файл «{name}» — не таблица, а файл {kind}. Загрузите выгрузку из CRM в формате CSV или XLSX.",
    },
    "importer.legacy_xls": {
        "en": "File “{name}” is an old binary Excel 97–2003 workbook. Open it in Excel and save as .xlsx or .csv, then upload that.",
        "ru": "Файл «{name}» — старая книга Excel 97–2003. Откройте его в Excel и сохраните как .xlsx или .csv, затем загрузите.",
    },
    "importer.bad_xlsx": {
        "en": "File “{name}” looks like an Excel workbook but is damaged or not a workbook. Open it in Excel and save it again as .xlsx, or export CSV. (Technical detail: {detail})",
        "ru": "Файл «{name}» похож на книгу Excel, но повреждён или не является книгой. Откройте его в Excel и пересохраните как .xlsx или выгрузите CSV. (Техническая подробность: {detail})",
    },
    "importer.too_large_unpacked": {
        "en": "File “{name}” unpacks to more than {limit} MB, more than a deal export can be. Export a shorter period or fewer columns, or upload the file as it came from the CRM.",
        "ru": "Файл «{name}» распаковывается больше чем в {limit} МБ — больше, чем бывает выгрузка сделок. Выгрузите более короткий период или меньше столбцов либо загрузите файл в том виде, в каком его дала CRM.",
    },
    "importer.too_many_columns": {
        "en": "File “{name}” has {n} columns; a deal export has far fewer (at most {limit} are read). Export only the deals' fields, or check that the file is a deal table.",
        "ru": "В файле «{name}» {n} столбцов; в выгрузке сделок их гораздо меньше (читается не больше {limit}). Выгрузите только поля сделок или проверьте, что это таблица сделок.",
    },
    "importer.too_many_cells": {
        "en": "Workbook “{name}” holds more than {limit} cells ({rows} rows at most are read). Export a shorter period or fewer columns, or save it as CSV.",
        "ru": "В книге «{name}» больше {limit} ячеек (читается не больше {rows} строк). Выгрузите более короткий период или меньше столбцов либо сохраните её в CSV.",
    },
    "importer.bad_archive": {
        "en": "File “{name}” is a damaged {kind} archive. Pack the export again or upload it unpacked.",
        "ru": "Файл «{name}» — повреждённый архив {kind}. Запакуйте выгрузку заново или загрузите её без архива.",
    },
    "importer.zip_members": {
        "en": "Archive “{name}” must hold exactly one CSV, XLSX or Parquet file; it holds: {members}. Pack only the deal export.",
        "ru": "В архиве «{name}» должен быть ровно один файл CSV, XLSX или Parquet, а в нём: {members}. Запакуйте только выгрузку сделок.",
    },
    "importer.bad_parquet": {
        "en": "File “{name}” looks like Parquet but cannot be read as a table. Export it again, or export CSV. (Technical detail: {detail})",
        "ru": "Файл «{name}» похож на Parquet, но не читается как таблица. Выгрузите его заново или выгрузите CSV. (Техническая подробность: {detail})",
    },
    "importer.bad_html": {
        "en": "File “{name}” is a web page without a table of deals. Export the deals from your CRM as CSV or XLSX.",
        "ru": "Файл «{name}» — веб-страница без таблицы сделок. Выгрузите сделки из CRM в CSV или XLSX.",
    },
    "importer.encoding": {
        "en": "File “{name}” is in a text encoding that cannot be recognised (neither UTF-8 nor Windows-1251). Save it as CSV UTF-8 and upload again.",
        "ru": "Не удалось распознать кодировку файла «{name}» (ни UTF-8, ни Windows-1251). Сохраните его как CSV UTF-8 и загрузите снова.",
    },
    "importer.encoding_garbled": {
        "en": "The column names of file “{name}” read as garbled text ({columns}): the file is in an encoding other than UTF-8 or Windows-1251 (KOI8-R, DOS 866, …). Open it in Excel or a text editor, save it as CSV UTF-8 and upload again.",
        "ru": "Названия столбцов файла «{name}» читаются как бессмыслица ({columns}): файл записан не в UTF-8 и не в Windows-1251 (KOI8-R, DOS 866, …). Откройте его в Excel или текстовом редакторе, сохраните как CSV UTF-8 и загрузите снова.",
    },
    "importer.bad_csv": {
        "en": "File “{name}” cannot be split into a CSV table: a quote or a cell breaks the layout. Export it from the CRM again or save it from Excel as CSV. (Technical detail: {detail})",
        "ru": "Файл «{name}» не разбирается как таблица CSV: кавычка или ячейка нарушает структуру. Выгрузите его из CRM заново или сохраните из Excel как CSV. (Техническая подробность: {detail})",
    },
    "importer.no_stage_column": {
        "en": "File “{name}” has no column with the deal stage. Columns found: {columns}. Pick the stage column in the list below (or rename that column to “stage” in the file).",
        "ru": "В файле «{name}» нет столбца с этапом сделки. Найдены столбцы: {columns}. Выберите столбец этапа в списке ниже (или переименуйте этот столбец в файле в «stage»).",
    },
    "importer.mapping_unknown_header": {
        "en": "The mapping sends “{canonical}” to column “{header}”, which file “{name}” does not have. Choose one of: {columns}.",
        "ru": "В сопоставлении поле «{canonical}» указано как столбец «{header}», которого нет в файле «{name}». Выберите один из: {columns}.",
    },
    "importer.mapping_unknown_field": {
        "en": "The mapping names “{canonical}”, which is not a field of the deal table. Use one of: {fields}.",
        "ru": "В сопоставлении указано поле «{canonical}», которого нет в таблице сделок. Используйте одно из: {fields}.",
    },
    "importer.history_columns": {
        "en": "Stage history file “{name}” lacks the column(s) {missing}. It needs a deal id, a stage and a date of entering the stage; columns found: {columns}.",
        "ru": "В файле истории этапов «{name}» нет столбцов: {missing}. Нужны ID сделки, этап и дата перехода на этап; найдены столбцы: {columns}.",
    },
    "importer.history_no_rows": {
        "en": "Stage history file “{name}” has no row with a deal id, a stage and a readable date. Check the date column (DD.MM.YYYY or ISO).",
        "ru": "В файле истории этапов «{name}» нет ни одной строки с ID сделки, этапом и читаемой датой. Проверьте столбец дат (ДД.ММ.ГГГГ или ISO).",
    },
    # row problems (reasons in DealImport.problems)
    "importer.row.preamble": {
        "en": "A line above the table header, not a deal: “{value}”.",
        "ru": "Строка над заголовком таблицы, не сделка: «{value}».",
    },
    "importer.row.not_data": {
        "en": "Not a deal (a report footer or a note): “{value}”; skipped.",
        "ru": "Не сделка (итог или примечание отчёта): «{value}»; пропущено.",
    },
    "importer.row.too_many_fields": {
        "en": "The row has more cells than the header, so its values do not line up with the columns; skipped. Check for an unquoted delimiter in “{value}”.",
        "ru": "В строке больше ячеек, чем в заголовке, и значения не совпадают со столбцами; строка пропущена. Проверьте разделитель без кавычек в «{value}».",
    },
    "importer.row.no_stage": {
        "en": "No stage in column “{column}”; the deal is skipped. Fill in its stage in the CRM and export again.",
        "ru": "Не указан этап в столбце «{column}»; сделка пропущена. Заполните этап в CRM и выгрузите снова.",
    },
    "importer.row.bad_amount": {
        "en": "Amount “{value}” in column “{column}” is not a number; the deal is kept without an amount.",
        "ru": "Сумма «{value}» в столбце «{column}» — не число; сделка оставлена без суммы.",
    },
    "importer.row.negative_amount": {
        "en": "Amount “{value}” in column “{column}” is negative; the deal is kept without an amount.",
        "ru": "Сумма «{value}» в столбце «{column}» отрицательная; сделка оставлена без суммы.",
    },
    "importer.row.invisible_chars": {
        "en": "“{value}” in column “{column}” held invisible characters (a right-to-left override or zero-width marks) that change how it reads; they were removed.",
        "ru": "«{value}» в столбце «{column}» содержало невидимые символы (смену направления письма или символы нулевой ширины), искажающие текст; они удалены.",
    },
    "importer.row.invisible_header": {
        "en": "The column name “{value}” held invisible characters (a right-to-left override or zero-width marks) that change how it reads; they were removed.",
        "ru": "Название столбца «{value}» содержало невидимые символы (смену направления письма или символы нулевой ширины), искажающие текст; они удалены.",
    },
    "importer.row.absurd_amount": {
        "en": "Amount “{value}” in column “{column}” is beyond any deal (over a trillion): an account or phone number in the wrong column? The deal is kept without an amount.",
        "ru": "Сумма «{value}» в столбце «{column}» больше любой сделки (свыше триллиона): номер счёта или телефона не в том столбце? Сделка оставлена без суммы.",
    },
    "importer.row.no_stage_closed": {
        "en": "No stage in column “{column}”, but the status closes the deal: it is kept in its funnel's closing stage “{value}”.",
        "ru": "Не указан этап в столбце «{column}», но статус закрывает сделку: она оставлена на завершающем этапе своей воронки «{value}».",
    },
    "importer.row.bad_date": {
        "en": "Date “{value}” in column “{column}” cannot be read (use DD.MM.YYYY or YYYY-MM-DD); the deal is kept without this date.",
        "ru": "Дата «{value}» в столбце «{column}» не читается (используйте ДД.ММ.ГГГГ или ГГГГ-ММ-ДД); сделка оставлена без этой даты.",
    },
    "importer.row.bad_probability": {
        "en": "Probability “{value}” in column “{column}” is not a share 0–1 or a percent 0–100; the deal is kept without it.",
        "ru": "Вероятность «{value}» в столбце «{column}» — не доля 0–1 и не процент 0–100; сделка оставлена без неё.",
    },
    "importer.row.probability_not_share": {
        "en": "Probability “{value}” in column “{column}”: most of the column is shares 0–1, and this value could be a percent or a typo; the deal is kept without it. Write it as a share (0.05) or with a % sign.",
        "ru": "Вероятность «{value}» в столбце «{column}»: почти весь столбец — доли 0–1, а это значение может быть и процентом, и опечаткой; сделка оставлена без неё. Запишите её долей (0,05) или со знаком %.",
    },
    "importer.row.probability_not_percent": {
        "en": "Probability “{value}” in column “{column}”: most of the column is percents 0–100, and this value could be a share or a fraction of a percent; the deal is kept without it. Write it as a percent (40 or 40%).",
        "ru": "Вероятность «{value}» в столбце «{column}»: почти весь столбец — проценты 0–100, а это значение может быть и долей, и долей процента; сделка оставлена без неё. Запишите её в процентах (40 или 40%).",
    },
    "importer.row.unknown_status": {
        "en": "Status “{value}” in column “{column}” is not won, lost or open; the status is taken from the stage.",
        "ru": "Статус «{value}» в столбце «{column}» — не «выиграна», «проиграна» или «открыта»; статус взят по этапу.",
    },
    "importer.row.duplicate_row": {
        "en": "An exact copy of an earlier row (deal “{value}”); skipped.",
        "ru": "Точная копия строки выше (сделка «{value}»); пропущена.",
    },
    "importer.row.duplicate_id": {
        "en": "Deal id “{value}” in column “{column}” is already used by an earlier row with other data; this deal gets the id with a suffix (-2, -3, …).",
        "ru": "ID сделки «{value}» в столбце «{column}» уже есть в строке выше с другими данными; сделке присвоен ID с суффиксом (-2, -3, …).",
    },
    "importer.row.missing_id": {
        "en": "No deal id in column “{column}”; the id is made from the row number.",
        "ru": "Нет ID сделки в столбце «{column}»; ID составлен из номера строки.",
    },
    "importer.no_deal_id": {
        "en": "The file has no deal id column; ids are made from row numbers (row-2, row-3, …).",
        "ru": "В файле нет столбца с ID сделки; ID составлены из номеров строк (row-2, row-3, …).",
    },
    "importer.encoding_mismatch": {
        "en": "The file is marked as UTF-8 but is in Windows-1251; it was read as Windows-1251.",
        "ru": "Файл помечен как UTF-8, но записан в Windows-1251; он прочитан как Windows-1251.",
    },
    "importer.row.cp1251_undefined": {
        "en": "This line holds a byte that Windows-1251 does not define (0x98); it was read as “\ufffd”. Check the names in it.",
        "ru": "В этой строке есть байт, которого нет в кодировке Windows-1251 (0x98); он прочитан как «\ufffd». Проверьте названия в ней.",
    },
    "importer.row.cp1251_line": {
        "en": "This line is in Windows-1251 while the rest of the file is UTF-8; it was read as Windows-1251. Check its names, and re-save the file as CSV UTF-8 to avoid this.",
        "ru": "Эта строка записана в Windows-1251, а остальной файл — в UTF-8; она прочитана как Windows-1251. Проверьте названия в ней; чтобы избежать этого, пересохраните файл как CSV UTF-8.",
    },
    "importer.encoding_guessed": {
        "en": "The file is neither UTF-8 nor Windows-1251; its encoding was recognised as “{value}”. Check that names read correctly, or re-save the file as CSV UTF-8.",
        "ru": "Файл записан не в UTF-8 и не в Windows-1251; его кодировка распознана как «{value}». Проверьте, что названия читаются правильно, или пересохраните файл как CSV UTF-8.",
    },
    "importer.row.history_no_id": {
        "en": "No deal id in column “{column}”; this stage history row is skipped.",
        "ru": "Нет ID сделки в столбце «{column}»; строка истории этапов пропущена.",
    },
    "importer.row.history_no_stage": {
        "en": "No stage in column “{column}”; this stage history row is skipped.",
        "ru": "Нет этапа в столбце «{column}»; строка истории этапов пропущена.",
    },
    "importer.row.history_bad_date": {
        "en": "Date “{value}” in column “{column}” is missing or cannot be read (use DD.MM.YYYY or YYYY-MM-DD); this stage history row is skipped.",
        "ru": "Дата «{value}» в столбце «{column}» не указана или не читается (используйте ДД.ММ.ГГГГ или ГГГГ-ММ-ДД); строка истории этапов пропущена.",
    },
    # problems report
    "importer.report.row": {"en": "Row", "ru": "Строка"},
    "importer.report.column": {"en": "Column", "ru": "Столбец"},
    "importer.report.value": {"en": "Value", "ru": "Значение"},
    "importer.report.action": {"en": "Action", "ru": "Действие"},
    "importer.report.reason": {"en": "Reason", "ru": "Причина"},
    "importer.action.rejected": {"en": "rejected", "ru": "отклонена"},
    "importer.action.repaired": {"en": "repaired", "ru": "исправлена"},
    "importer.action.warning": {"en": "warning", "ru": "предупреждение"},
}
