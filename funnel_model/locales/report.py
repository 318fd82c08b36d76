"""Messages of the report area: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "report.intro": {
        "en": "A one-page report of the scenario in use, for the client: pick the sections, name the client, "
        "preview it below and download it as one HTML file that prints to A4.",
        "ru": "Одностраничный отчёт по текущему сценарию для клиента: выберите разделы, укажите клиента, "
        "посмотрите ниже и скачайте одним HTML-файлом, который печатается на A4.",
    },
    "report.builder": {"en": "The report", "ru": "Отчёт"},
    "report.title_label": {"en": "Title", "ru": "Заголовок"},
    "report.default_title": {
        "en": "Sales funnel: where we are and what it takes",
        "ru": "Воронка продаж: где мы и что нужно для плана",
    },
    "report.client_label": {"en": "Client", "ru": "Клиент"},
    "report.sections_label": {"en": "Sections", "ru": "Разделы"},
    "report.download_html": {"en": "Download the report (HTML)", "ru": "Скачать отчёт (HTML)"},
    "report.download_pdf": {"en": "Download the report (PDF)", "ru": "Скачать отчёт (PDF)"},
    "report.print_hint": {
        "en": "For a PDF, open the HTML file in a browser and print it to PDF (A4 is set).",
        "ru": "Для PDF откройте HTML-файл в браузере и напечатайте в PDF (формат A4 уже задан).",
    },
    "report.no_charts": {
        "en": "Charts are left out: the chart converter (vl-convert) is not installed on this server.",
        "ru": "Графиков нет: на сервере не установлен конвертер графиков (vl-convert).",
    },
    "report.preview": {"en": "Preview", "ru": "Предпросмотр"},
    "report.make": {"en": "Make the report", "ru": "Собрать отчёт"},
    "report.making": {"en": "Making the report and its charts…", "ru": "Собираю отчёт и графики…"},
    "report.stale": {
        "en": "The settings changed since this report was made: press “Make the report” again to bring it up to date.",
        "ru": "Настройки изменились после сборки отчёта: нажмите «Собрать отчёт» ещё раз, чтобы обновить его.",
    },
    "report.section.summary": {"en": "In short", "ru": "Коротко"},
    "report.section.funnels": {"en": "The funnels and their bottlenecks", "ru": "Воронки и их узкие места"},
    "report.section.forecast": {"en": "Forecast of the open deals", "ru": "Прогноз по открытым сделкам"},
    "report.section.reverse": {
        "en": "What the plan takes (reverse funnel)",
        "ru": "Что нужно для плана (обратная воронка)",
    },
    "report.section.clients": {"en": "Client base", "ru": "Клиентская база"},
    "report.section.compensation": {"en": "Compensation", "ru": "Мотивация"},
    "report.section.assumptions": {"en": "Key assumptions", "ru": "Ключевые допущения"},
    "report.summary.text": {
        "en": "The open deals will most likely bring {p50} (between {p10} and {p90} in eight cases out of ten). "
        "The chance to reach the plan of {plan} is {p_plan}; closing the gap takes about {leads} new leads.",
        "ru": "Открытые сделки скорее всего принесут {p50} (от {p10} до {p90} в восьми случаях из десяти). "
        "Вероятность выполнить план {plan} — {p_plan}; чтобы закрыть разрыв, нужно около {leads} новых лидов.",
    },
    "report.funnels.text": {
        "en": "Deals analysed: {n}. The bottleneck is the step where the most deals fail to go on.",
        "ru": "Проанализировано сделок: {n}. Узкое место — шаг, на котором отсеивается больше всего сделок.",
    },
    "report.funnels.line": {
        "en": "{funnel}, {segment}: {neck}.",
        "ru": "{funnel}, {segment}: {neck}.",
    },
    "report.bottleneck": {
        "en": "{previous} → {stage} ({conversion} go on)",
        "ru": "{previous} → {stage} (проходит {conversion})",
    },
    "report.forecast.text": {
        "en": "Expected revenue of the open deals: {mean}; eight cases out of ten between {p10} and {p90}. "
        "Chance to reach the plan of {plan}: {p_plan}.",
        "ru": "Ожидаемая выручка открытых сделок: {mean}; в восьми случаях из десяти — от {p10} до {p90}. "
        "Вероятность выполнить план {plan}: {p_plan}.",
    },
    "report.plan": {"en": "Plan", "ru": "План"},
    "report.reverse.text": {
        "en": "To close the gap between the plan and what the open deals bring, about {leads} new leads are needed "
        "on average, split by funnel below.",
        "ru": "Чтобы закрыть разрыв между планом и тем, что принесут открытые сделки, нужно в среднем около "
        "{leads} новых лидов; по воронкам — ниже.",
    },
    "report.reverse.none": {
        "en": "The data has no won deal with an amount, so the leads the plan takes cannot be counted.",
        "ru": "В данных нет выигранных сделок с суммой, поэтому нельзя посчитать, сколько лидов нужно для плана.",
    },
    "report.clients.text": {
        "en": "Now {active} clients buy (active), {dormant} have gone quiet (dormant) and {new} have not bought yet "
        "(new); below, month by month over the last twelve months.",
        "ru": "Сейчас покупают {active} клиентов (действующие), {dormant} затихли (спящие), {new} ещё не купили "
        "(новые); ниже — по месяцам за последние двенадцать месяцев.",
    },
    "report.col.month": {"en": "Month", "ru": "Месяц"},
    "report.col.clients_new": {"en": "New", "ru": "Новые"},
    "report.col.clients_active": {"en": "Active", "ru": "Действующие"},
    "report.col.clients_dormant": {"en": "Dormant", "ru": "Спящие"},
    "report.col.clients_clients": {"en": "All clients", "ru": "Всего клиентов"},
    "report.compensation.text": {
        "en": "The two pay plans compared on the same sellers ({sellers} with targets) and the same won deals.",
        "ru": "Два плана мотивации на одних и тех же продавцах (с планом продаж: {sellers}) и сделках.",
    },
    "report.compensation.none": {
        "en": "No pay plan in this scenario: open the Compensation page before keeping it.",
        "ru": "В сценарии нет планов мотивации: откройте страницу «Мотивация» перед сохранением сценария.",
    },
    "report.assumptions.text": {
        "en": "What this report takes as given; the stage rates listed differ from the funnel settings.",
        "ru": "Что принято в отчёте за данность; перечисленные ставки этапов отличаются от настройки воронок.",
    },
    "report.col.funnel": {"en": "Funnel", "ru": "Воронка"},
    "report.col.segment": {"en": "Clients", "ru": "Клиенты"},
    "report.col.deals": {"en": "Deals", "ru": "Сделок"},
    "report.col.win_rate": {"en": "Won", "ru": "Выиграно"},
    "report.col.bottleneck": {"en": "Bottleneck", "ru": "Узкое место"},
    "report.col.figure": {"en": "Figure", "ru": "Показатель"},
    "report.col.value": {"en": "Value", "ru": "Значение"},
    "report.col.gap": {"en": "Gap to plan", "ru": "Разрыв до плана"},
    "report.col.wins": {"en": "Wins needed", "ru": "Нужно побед"},
    "report.col.leads": {"en": "Leads needed", "ru": "Нужно лидов"},
    "report.col.plan": {"en": "Plan", "ru": "План"},
    "report.col.base": {"en": "Base", "ru": "Оклад"},
    "report.col.target_bonus": {"en": "Target bonus", "ru": "Целевая премия"},
    "report.col.cost_of_sales": {"en": "Cost of sales", "ru": "Стоимость продаж"},
    "report.col.assumption": {"en": "Assumption", "ru": "Допущение"},
    "report.assume.dormancy": {"en": "A client is dormant after", "ru": "Клиент считается спящим через"},
    "report.days": {"en": "{n} days without a deal", "ru": "{n} дн. без сделок"},
    "report.assume.period": {"en": "Plan period", "ru": "Период плана"},
    "report.assume.confidence": {"en": "Confidence of the leads count", "ru": "Надёжность расчёта лидов"},
    "report.assume.own": {"en": "Sellers' own deal probabilities", "ru": "Вероятности сделок от продавцов"},
    "report.assume.funnel_segment": {
        "en": "Every deal of “{funnel}” counts as",
        "ru": "Все сделки «{funnel}» считаются",
    },
    "report.assume.stage": {
        "en": "Chance to win from “{stage}” ({funnel})",
        "ru": "Шанс выиграть с этапа «{stage}» ({funnel})",
    },
    "report.instead": {"en": "instead of", "ru": "вместо"},
    "report.yes": {"en": "yes", "ru": "да"},
    "report.no": {"en": "no", "ru": "нет"},
    "report.meta": {
        "en": "Data as of {as_of} · scenario: {scenario}",
        "ru": "Данные на {as_of} · сценарий: {scenario}",
    },
    "report.footer": {
        "en": "Made with Funnel. Forecasts are probabilities from the CRM's history, not promises.",
        "ru": "Сделано в Funnel. Прогнозы — вероятности по истории CRM, а не обещания.",
    },
}
