"""Messages of the Clients page (client base, channels, loss reasons, stuck deals): {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "page.clients": {"en": "Clients", "ru": "Клиенты"},
    "clients.no_deals": {"en": "No deals to show.", "ru": "Нет сделок для показа."},
    "clients.progress": {
        "en": "Counting the client base month by month, the channels, the loss reasons and the stuck deals…",
        "ru": "Считаем клиентскую базу по месяцам, каналы, причины проигрышей и зависшие сделки…",
    },
    "clients.no_clients": {
        "en": "No deal has a client and a date, so there is no client base to show.",
        "ru": "Ни у одной сделки нет клиента и даты, поэтому клиентскую базу показать нельзя.",
    },
    "clients.headline": {
        "en": "On {date} you have **{active} active clients** (bought in the last {days} days), **{dormant} "
        "dormant** (last purchase earlier) and **{new} prospects** who have never bought. In the last 12 months "
        "{first_win} prospects won their first deal, {reactivated} dormant clients came back and {fell} active "
        "clients fell dormant; of the clients active {days} days ago, {kept} have bought again since.",
        "ru": "На {date} у вас **{active} действующих клиентов** (покупали за последние {days} дн.), **{dormant} "
        "спящих** (последняя покупка раньше) и **{new} потенциальных клиентов**, ещё ничего не купивших. За "
        "последние 12 месяцев {first_win} новых клиентов совершили первую покупку, {reactivated} спящих "
        "вернулись, а {fell} действующих уснули; из клиентов, действующих {days} дн. назад, с тех пор снова "
        "купили {kept}.",
    },
    "clients.window": {
        "en": "Dormancy window: {days} days (set on the Data page; the same as the segments of the funnels).",
        "ru": "Окно активности: {days} дн. (задаётся на странице «Данные»; то же, что у сегментов воронок).",
    },
    "clients.left_out": {
        "en": "Not in the client base: {no_client} deals without a client, {no_date} deals without any date.",
        "ru": "Не вошли в клиентскую базу: сделок без клиента — {no_client}, сделок без дат — {no_date}.",
    },
    "clients.tab.base": {"en": "Client base", "ru": "Клиентская база"},
    "clients.tab.channels": {"en": "Channels", "ru": "Каналы"},
    "clients.tab.losses": {"en": "Why deals are lost", "ru": "Почему проигрываем"},
    "clients.tab.stuck": {"en": "Stuck and overdue deals", "ru": "Зависшие и просроченные сделки"},
    # client base
    "clients.section.states": {"en": "Clients at each month's end", "ru": "Клиенты на конец каждого месяца"},
    "clients.section.flows": {"en": "How clients moved each month", "ru": "Движение клиентов по месяцам"},
    "clients.section.revenue": {"en": "Revenue by client state", "ru": "Выручка по состоянию клиента"},
    "clients.section.retention": {"en": "Retention", "ru": "Удержание"},
    "clients.section.months": {"en": "Month by month", "ru": "По месяцам"},
    "clients.label.month": {"en": "Month", "ru": "Месяц"},
    "clients.label.clients": {"en": "Clients", "ru": "Клиенты"},
    "clients.label.state": {"en": "Client state", "ru": "Состояние клиента"},
    "clients.label.flow": {"en": "Move", "ru": "Переход"},
    "clients.label.revenue": {"en": "Won revenue", "ru": "Выигранная выручка"},
    "clients.label.interval": {"en": "{level} interval", "ru": "Интервал {level}"},
    "clients.revenue_sentence": {
        "en": "In the last 12 months {total} was won: {new} from new clients' first deals, {active} from active "
        "clients and {dormant} from dormant clients coming back.",
        "ru": "За последние 12 месяцев выиграно {total}: {new} — первые сделки новых клиентов, {active} — "
        "действующие клиенты, {dormant} — вернувшиеся спящие клиенты.",
    },
    "clients.measure.active_kept": {
        "en": "Active clients who bought again within the window",
        "ru": "Действующие клиенты, купившие снова в пределах окна",
    },
    "clients.measure.dormant_reactivated": {
        "en": "Dormant clients reactivated in a year",
        "ru": "Спящие клиенты, вернувшиеся за год",
    },
    "clients.measure.new_won": {
        "en": "Prospects who won a first deal in a year",
        "ru": "Новые клиенты, совершившие первую покупку за год",
    },
    "clients.rate_text": {
        "en": "{k} of {n} clients; 95 % interval {low} – {high}",
        "ru": "{k} из {n} клиентов; 95-% интервал {low} – {high}",
    },
    "clients.rate_unknown": {
        "en": "Not enough history: the data is shorter than the follow-up.",
        "ru": "Мало истории: данные короче периода наблюдения.",
    },
    "clients.measure_revenue": {"en": "Their won revenue: {amount}", "ru": "Их выигранная выручка: {amount}"},
    "clients.months_caption": {
        "en": "Select a month to see its clients and their deals.",
        "ru": "Выберите месяц, чтобы увидеть его клиентов и их сделки.",
    },
    "clients.month_clients": {"en": "Clients at the end of {month}", "ru": "Клиенты на конец {month}"},
    "clients.deals_behind": {"en": "Their deals", "ru": "Их сделки"},
    "clients.col.month": {"en": "Month", "ru": "Месяц"},
    # short headers of wide tables and metric labels (the full name in their tooltip)
    "clients.short.new": {"en": "New", "ru": "Новые"},
    "clients.short.first_win": {"en": "First wins", "ru": "Первые покупки"},
    "clients.short.reactivated": {"en": "Came back", "ru": "Вернулись"},
    "clients.short.fell_dormant": {"en": "Fell dormant", "ru": "Уснули"},
    "clients.short.avg_won": {"en": "Avg won deal", "ru": "Средняя выигр."},
    "clients.short.median_days_won": {"en": "Days to win", "ru": "Дней до выигр."},
    "clients.short.cost_per_won": {"en": "Cost per win", "ru": "Цена выигрыша"},
    "clients.short.usual_days": {"en": "Usual limit, days", "ru": "Обычно не дольше, дн."},
    "clients.short.active_kept": {"en": "Active clients who bought again", "ru": "Действующие: купили снова"},
    "clients.short.dormant_reactivated": {"en": "Dormant clients who came back", "ru": "Спящие: вернулись"},
    "clients.short.new_won": {"en": "Prospects who bought", "ru": "Новые: купили впервые"},
    "clients.spend_blank": {"en": "not entered", "ru": "не указано"},
    "clients.col.new": {"en": "New (never bought)", "ru": "Новые (не покупали)"},
    "clients.col.active": {"en": "Active", "ru": "Действующие"},
    "clients.col.dormant": {"en": "Dormant", "ru": "Спящие"},
    "clients.col.new_clients": {"en": "First deal", "ru": "Первая сделка"},
    "clients.col.first_win": {"en": "First win (new → active)", "ru": "Первая покупка (новый → действующий)"},
    "clients.col.reactivated": {"en": "Reactivated (dormant → active)", "ru": "Вернулись (спящий → действующий)"},
    "clients.col.fell_dormant": {"en": "Fell dormant (active → dormant)", "ru": "Уснули (действующий → спящий)"},
    "clients.col.wins": {"en": "Deals won", "ru": "Выиграно сделок"},
    "clients.col.revenue_new": {"en": "Revenue: new", "ru": "Выручка: новые"},
    "clients.col.revenue_active": {"en": "Revenue: active", "ru": "Выручка: действующие"},
    "clients.col.revenue_dormant": {"en": "Revenue: dormant", "ru": "Выручка: спящие"},
    "clients.col.revenue": {"en": "Revenue", "ru": "Выручка"},
    # channels
    "clients.no_sources": {
        "en": "This export has no lead source column (Source, utm_source, «Источник»), so the channels cannot be "
        "compared. Map a column to “source” on the Data page to see them.",
        "ru": "В этой выгрузке нет столбца с источником сделки (Source, utm_source, «Источник»), поэтому каналы "
        "сравнить нельзя. Сопоставьте столбец с полем «источник» на странице «Данные».",
    },
    "clients.no_source": {"en": "(no source)", "ru": "(без источника)"},
    "clients.channels_sentence": {
        "en": "Of {n} lead sources, **{best}** brings the deals that win most often ({rate} of closed deals); "
        "**{top}** brings the most revenue ({share} of won revenue).",
        "ru": "Из {n} источников сделок чаще всего выигрываются сделки из **{best}** ({rate} закрытых сделок); "
        "больше всего выручки приносит **{top}** ({share} выигранной выручки).",
    },
    "clients.sources_caption": {
        "en": "Win rate = won / (won + lost) per source; the line is its {level} Wilson interval. "
        "Select a row of the table to see the source's deals.",
        "ru": "Доля выигранных = выиграно / (выиграно + проиграно) по источнику; линия — {level} интервал Уилсона. "
        "Выберите строку таблицы, чтобы увидеть сделки источника.",
    },
    "clients.source_deals": {"en": "Deals from {source}: {n}", "ru": "Сделки из источника «{source}»: {n}"},
    "clients.spend_title": {"en": "Spend per channel (optional)", "ru": "Затраты на канал (необязательно)"},
    "clients.spend_caption": {
        "en": "Enter what each channel cost over the same period as the deals: the table above then shows the cost "
        "per lead, per won deal and per unit of revenue. The spend is saved with the scenario.",
        "ru": "Введите, сколько стоил каждый канал за тот же период, что и сделки: таблица выше покажет стоимость "
        "сделки, выигранной сделки и рубля выручки. Затраты сохраняются вместе со сценарием.",
    },
    "clients.spend_sentence": {
        "en": "Channels with spend: {n}; {spend} in all, for {won} won deals ({per_won} per won deal).",
        "ru": "Затраты введены для каналов: {n}; всего {spend} на {won} выигранных сделок ({per_won} на выигранную "
        "сделку).",
    },
    "clients.section.source_funnels": {
        "en": "The funnel of each source (deals that reached each stage)",
        "ru": "Воронка каждого источника (сделок дошло до этапа)",
    },
    "clients.source_funnels_caption": {
        "en": "Reached stages are counted as on the Funnels page.",
        "ru": "Пройденные этапы считаются так же, как на странице «Воронки».",
    },
    "clients.col.source": {"en": "Source", "ru": "Источник"},
    "clients.col.deals": {"en": "Deals", "ru": "Сделки"},
    "clients.col.open": {"en": "Open", "ru": "Открыто"},
    "clients.col.won": {"en": "Won", "ru": "Выиграно"},
    "clients.col.lost": {"en": "Lost", "ru": "Проиграно"},
    "clients.col.win_rate": {"en": "Win rate", "ru": "Доля выигранных"},
    "clients.col.low": {"en": "Low", "ru": "От"},
    "clients.col.high": {"en": "High", "ru": "До"},
    "clients.col.share_revenue": {"en": "Share of revenue", "ru": "Доля выручки"},
    "clients.col.avg_won": {"en": "Average won deal", "ru": "Средняя выигранная сделка"},
    "clients.col.median_days_won": {"en": "Median days to win", "ru": "Медиана дней до выигрыша"},
    "clients.col.spend": {"en": "Spend", "ru": "Затраты"},
    "clients.col.cost_per_lead": {"en": "Cost per deal", "ru": "Стоимость сделки"},
    "clients.col.cost_per_won": {"en": "Cost per won deal", "ru": "Стоимость выигранной сделки"},
    "clients.col.cost_per_revenue": {"en": "Cost per unit of revenue", "ru": "Затраты на рубль выручки"},
    # losses
    "clients.no_lost": {"en": "No lost deals in this selection.", "ru": "В этой выборке нет проигранных сделок."},
    "clients.no_reason": {"en": "(no reason given)", "ru": "(причина не указана)"},
    "clients.all": {"en": "All", "ru": "Все"},
    "clients.loss_stage": {"en": "Lost at stage", "ru": "Этап проигрыша"},
    "clients.loss_segment": {"en": "Client segment", "ru": "Сегмент клиента"},
    "clients.losses_sentence": {
        "en": "{n} deals worth {amount} were lost. The most frequent reason is **{top}** ({share} of them); "
        "{k} reasons explain 80 % of the losses.",
        "ru": "Проиграно {n} сделок на {amount}. Самая частая причина — **{top}** ({share}); "
        "причин, объясняющих 80 % проигрышей: {k}.",
    },
    "clients.reason_deals": {"en": "Deals lost for “{reason}”: {n}", "ru": "Проиграно по причине «{reason}»: {n}"},
    "clients.by_stage": {"en": "Reasons by stage lost at", "ru": "Причины по этапу проигрыша"},
    "clients.by_segment": {"en": "Reasons by client segment", "ru": "Причины по сегменту клиента"},
    "clients.section.grouping": {
        "en": "How the typed reasons were grouped",
        "ru": "Как сгруппированы введённые причины",
    },
    "clients.grouping_caption": {
        "en": "Reasons are compared in lower case, without punctuation and extra spaces; spellings at least 85 % "
        "alike are one reason, named by its most frequent spelling. {n} spellings were merged into {groups} reasons.",
        "ru": "Причины сравниваются в нижнем регистре, без знаков препинания и лишних пробелов; написания, похожие "
        "не менее чем на 85 %, считаются одной причиной и называются самым частым написанием. Объединено "
        "написаний: {n}, причин: {groups}.",
    },
    "clients.col.reason": {"en": "Reason", "ru": "Причина"},
    "clients.col.share": {"en": "Share of lost deals", "ru": "Доля проигранных"},
    "clients.col.cumulative": {"en": "Cumulative share", "ru": "Накопленная доля"},
    "clients.col.amount_lost": {"en": "Amount lost", "ru": "Сумма проигранных"},
    "clients.col.amount_share": {"en": "Share of amount", "ru": "Доля суммы"},
    "clients.col.raw": {"en": "As typed", "ru": "Как введено"},
    "clients.col.normalised": {"en": "Normalised", "ru": "После нормализации"},
    "clients.col.group": {"en": "Reason", "ru": "Причина"},
    # stuck
    "clients.stuck_sentence": {
        "en": "{n} of {open} open deals, worth {amount}, need attention: {stuck} have sat in their stage longer "
        "than 90 % of deals ever do, {overdue} are past their expected close date.",
        "ru": "{n} из {open} открытых сделок на {amount} требуют внимания: {stuck} стоят на своём этапе дольше, "
        "чем 90 % сделок, {overdue} просрочены по ожидаемой дате закрытия.",
    },
    "clients.stuck_basis.history": {
        "en": "Time in stage from the stage history. Select a seller to see only their deals.",
        "ru": "Время на этапе — по истории этапов. Выберите продавца, чтобы увидеть только его сделки.",
    },
    "clients.stuck_basis.age": {
        "en": "No stage history: a deal's age since creation is compared with the ages of the deals that ended at "
        "the same stage. Select a seller to see only their deals.",
        "ru": "Истории этапов нет: возраст сделки с момента создания сравнивается с возрастом сделок, "
        "закончившихся на том же этапе. Выберите продавца, чтобы увидеть только его сделки.",
    },
    "clients.stuck_of": {"en": "Deals of {owner}: {n}", "ru": "Сделки продавца {owner}: {n}"},
    "clients.stuck_shown": {
        "en": "The {shown} largest of {n} deals are shown; all {n} are in the files below.",
        "ru": "Показаны {shown} крупнейших из {n} сделок; все {n} — в файлах ниже.",
    },
    "clients.col.owner": {"en": "Seller", "ru": "Продавец"},
    "clients.col.stuck": {"en": "Stuck", "ru": "Зависла"},
    "clients.col.overdue": {"en": "Overdue", "ru": "Просрочена"},
    "clients.col.amount": {"en": "Amount at risk", "ru": "Сумма под риском"},
    "clients.col.deal_id": {"en": "Deal", "ru": "Сделка"},
    "clients.col.client_id": {"en": "Client", "ru": "Клиент"},
    "clients.col.funnel": {"en": "Funnel", "ru": "Воронка"},
    "clients.col.stage": {"en": "Stage", "ru": "Этап"},
    "clients.col.days_in_stage": {"en": "Days in stage", "ru": "Дней на этапе"},
    "clients.col.usual_days": {"en": "Usual limit, days (90 %)", "ru": "Обычный предел, дней (90 %)"},
    "clients.col.expected_close_at": {"en": "Expected close", "ru": "Ожидаемое закрытие"},
    "clients.col.days_overdue": {"en": "Days overdue", "ru": "Дней просрочки"},
    # drill-down
    "clients.download": {"en": "Download these {n} rows (CSV)", "ru": "Скачать эти строки ({n}, CSV)"},
    "clients.download_xlsx": {"en": "Download these {n} rows (XLSX)", "ru": "Скачать эти строки ({n}, XLSX)"},
    "clients.deal.deal_id": {"en": "Deal", "ru": "Сделка"},
    "clients.deal.client_id": {"en": "Client", "ru": "Клиент"},
    "clients.deal.owner": {"en": "Seller", "ru": "Продавец"},
    "clients.deal.funnel": {"en": "Funnel", "ru": "Воронка"},
    "clients.deal.segment": {"en": "Segment", "ru": "Сегмент"},
    "clients.deal.stage": {"en": "Stage", "ru": "Этап"},
    "clients.deal.status": {"en": "Status", "ru": "Статус"},
    "clients.deal.amount": {"en": "Amount", "ru": "Сумма"},
    "clients.deal.created_at": {"en": "Created", "ru": "Создана"},
    "clients.deal.closed_at": {"en": "Closed", "ru": "Закрыта"},
    "clients.deal.expected_close_at": {"en": "Expected close", "ru": "Ожидаемое закрытие"},
    "clients.deal.source": {"en": "Source", "ru": "Источник"},
    "clients.deal.lost_reason": {"en": "Loss reason", "ru": "Причина проигрыша"},
    "clients.deal.client_state": {"en": "Client state then", "ru": "Состояние клиента тогда"},
    # method
    "clients.how": {"en": "How this is computed", "ru": "Как это посчитано"},
    "clients.how_text": {
        "en": "- **Client states.** At an instant t, only won deals closed before t count (a won deal without a "
        "close date counts from its creation). A client with no win yet is *new*; one whose last win is at most "
        "{days} days old is *active*; older is *dormant*. This is the rule of the deals' segments, so a deal's "
        "segment is its client's state at the deal's creation. A month is read at its end (the current month at "
        "the data's last date).\n"
        "- **Moves.** *First win*: a client's first won deal. *Reactivated*: a win more than {days} days after "
        "the client's previous win. *Fell dormant*: {days} days after a win with no new win in between. "
        "Active at a month's end = active a month earlier + first wins + reactivated − fell dormant.\n"
        "- **Revenue by state**: won deals by the segment of the deal.\n"
        "- **Retention**: active clients one window before the data's last date who won a deal since; clients "
        "dormant at some time in the last year (at its start, or fallen dormant during it) who were reactivated "
        "in it; prospects of the last year who won a first deal. Clients who entered the last two groups late in "
        "the year had less time, so those shares understate a full year. Intervals: Wilson score, {level}.\n"
        "- **Channels**: win rate = won / (won + lost) per lead source, with its {level} Wilson interval; cost "
        "per deal = spend / deals, per won deal = spend / won deals, per unit of revenue = spend / won revenue.\n"
        "- **Loss reasons**: lower case, «ё» as «е», punctuation and extra spaces removed; reasons whose "
        "similarity (difflib ratio) is at least 0.85 are grouped. Pareto: most frequent first, with the running "
        "share.\n"
        "- **Stuck deals**: with stage history, an open deal's time since it entered its current stage against "
        "the 90th percentile of completed stays in that stage (at least 5 stays); without history, the deal's "
        "age against the 90th percentile of the ages of the deals that ended at that stage. *Overdue*: the "
        "expected close date has passed.",
        "ru": "- **Состояния клиентов.** В момент t учитываются только выигранные сделки, закрытые до t "
        "(выигранная сделка без даты закрытия — с даты создания). Клиент без выигрышей — *новый*; последний "
        "выигрыш не старше {days} дн. — *действующий*; старше — *спящий*. Это правило сегментов сделок, поэтому "
        "сегмент сделки совпадает с состоянием её клиента в момент создания сделки. Месяц оценивается на его "
        "конец (текущий — на последнюю дату данных).\n"
        "- **Переходы.** *Первая покупка* — первая выигранная сделка клиента. *Вернулся* — выигрыш более чем "
        "через {days} дн. после предыдущего. *Уснул* — через {days} дн. после выигрыша без нового выигрыша. "
        "Действующие на конец месяца = действующие месяцем раньше + первые покупки + вернувшиеся − уснувшие.\n"
        "- **Выручка по состоянию** — выигранные сделки по сегменту сделки.\n"
        "- **Удержание**: действующие клиенты за одно окно до последней даты данных, купившие с тех пор; "
        "клиенты, бывшие спящими в последний год (на его начало или уснувшие в течение года), вернувшиеся в "
        "нём; новые клиенты последнего года, совершившие первую покупку. У попавших в две последние группы "
        "поздно было меньше времени, поэтому эти доли занижают годовую. Интервалы — Уилсона, {level}.\n"
        "- **Каналы**: доля выигранных = выиграно / (выиграно + проиграно) по источнику, с {level} интервалом "
        "Уилсона; стоимость сделки = затраты / сделки, выигранной сделки = затраты / выигранные сделки, рубля "
        "выручки = затраты / выигранная выручка.\n"
        "- **Причины проигрыша**: нижний регистр, «ё» как «е», без знаков препинания и лишних пробелов; причины "
        "со сходством (difflib ratio) не ниже 0,85 объединяются. Парето: самые частые первыми, с накопленной "
        "долей.\n"
        "- **Зависшие сделки**: при истории этапов — время открытой сделки на текущем этапе против 90-го "
        "процентиля завершённых пребываний на этом этапе (не меньше 5); без истории — возраст сделки против "
        "90-го процентиля возраста сделок, закончившихся на этом этапе. *Просрочена* — ожидаемая дата закрытия "
        "прошла.",
    },
}
