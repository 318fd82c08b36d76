"""Messages of the funnels area: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "funnels.will_show": {
        "en": "the three funnels (attraction, retention, reactivation) per client segment, conversion per stage, stage win rates and calibration of stated probabilities.",
        "ru": "три воронки (привлечение, удержание, реактивация) по сегментам клиентов, конверсия по этапам, вероятность выигрыша с каждого этапа и калибровка заявленных вероятностей.",
    },
    # filters and toggles
    "funnels.funnel": {"en": "Funnel (CRM pipeline)", "ru": "Воронка (направление в CRM)"},
    "funnels.seller": {"en": "Seller", "ru": "Продавец"},
    "funnels.period": {"en": "Deals created between", "ru": "Сделки, созданные в период"},
    "funnels.all": {"en": "All", "ru": "Все"},
    "funnels.basis": {"en": "Conversion", "ru": "Конверсия"},
    "funnels.basis.previous": {"en": "% of previous", "ru": "% от предыдущего"},
    "funnels.basis.first": {"en": "% of first", "ru": "% от первого"},
    "funnels.measure": {"en": "Bar width", "ru": "Ширина полос"},
    "funnels.measure.count": {"en": "Deals", "ru": "Сделки"},
    "funnels.measure.money": {"en": "Money", "ru": "Деньги"},
    "funnels.min_count": {"en": "Minimum count for a reliable rate", "ru": "Минимум сделок для надёжной оценки"},
    "funnels.no_deals": {"en": "No deals match these filters.", "ru": "Под эти фильтры не попала ни одна сделка."},
    # semantics
    "funnels.semantics.history": {
        "en": "Reached stages come from stage history (deals with history: {n} of {total}; the rest from the deal table). A deal reached a stage if it ever entered it or a later one.",
        "ru": "Пройденные этапы взяты из истории этапов (сделок с историей: {n} из {total}; остальные — из таблицы сделок). Сделка прошла этап, если когда-либо была на нём или дальше.",
    },
    "funnels.semantics.snapshot": {
        "en": "Reached stages come from the deal table (no stage history): open deals reached their current stage, won deals every stage, lost deals the stage they were lost at.",
        "ru": "Пройденные этапы взяты из таблицы сделок (истории этапов нет): открытые сделки прошли текущий этап, выигранные — все этапы, проигранные — этап, на котором проиграны.",
    },
    "funnels.lost_unknown": {
        "en": "Lost deals with no known loss stage: {n} (counted at the first stage only, so later stages' counts are lower bounds and their win rates and step conversions are unknown).",
        "ru": "Проигранных сделок без известного этапа проигрыша: {n} (учтены только на первом этапе, поэтому числа на следующих этапах — оценки снизу, а вероятность выигрыша и конверсия между ними неизвестны).",
    },
    "funnels.lost_unknown_none": {
        "en": "Lost deals with no known loss stage: 0.",
        "ru": "Проигранных сделок без известного этапа проигрыша: 0.",
    },
    # funnels
    "funnels.section.funnels": {"en": "The three funnels", "ru": "Три воронки"},
    "funnels.filters": {"en": "Filters", "ru": "Фильтры"},
    "funnels.previous": {"en": "← Previous", "ru": "← Назад"},
    "funnels.next": {"en": "Next →", "ru": "Дальше →"},
    "funnels.where": {"en": "**{at} / {total}** · {title}", "ru": "**{at} / {total}** · {title}"},
    "funnels.panel_title": {"en": "{kind} · {funnel}", "ru": "{kind} · {funnel}"},
    "funnels.segment_empty": {"en": "{kind}: no deals in this selection.", "ru": "{kind}: в выборке нет сделок."},
    "funnels.chart_caption": {
        "en": "Each bar: deals reached · amount · conversion ({basis}). The last bar is the deals won. Hover for details.",
        "ru": "Каждая полоса: дошло сделок · сумма · конверсия ({basis}). Последняя полоса — выигранные сделки. Подробности — при наведении.",
    },
    "funnels.label.stage": {"en": "Stage", "ru": "Этап"},
    "funnels.label.reached": {"en": "Deals reached", "ru": "Дошло сделок"},
    "funnels.label.amount": {"en": "Amount", "ru": "Сумма"},
    "funnels.label.from_previous": {"en": "From previous stage", "ru": "От предыдущего этапа"},
    "funnels.label.from_first": {"en": "From first stage", "ru": "От первого этапа"},
    "funnels.label.open": {"en": "Still open", "ru": "Ещё открыто"},
    "funnels.label.step": {
        "en": "Step (1 = first stage, last = won)",
        "ru": "Шаг (1 — первый этап, последний — выигрыш)",
    },
    "funnels.label.funnel": {"en": "Funnel", "ru": "Воронка"},
    "funnels.label.win_rate": {"en": "Win rate", "ru": "Доля выигранных"},
    "funnels.label.team": {"en": "Team", "ru": "Команда"},
    "funnels.label.seller": {"en": "Seller", "ru": "Продавец"},
    "funnels.label.stated": {"en": "Stated probability", "ru": "Заявленная вероятность"},
    "funnels.label.observed": {"en": "Observed win share", "ru": "Фактическая доля выигрышей"},
    "funnels.label.name": {"en": "Name", "ru": "Имя"},
    "funnels.label.n": {"en": "Closed deals", "ru": "Закрытых сделок"},
    "funnels.section.table": {"en": "Stage by stage", "ru": "По этапам"},
    "funnels.table_caption": {
        "en": "“Still open” are deals that reached the stage and are not closed yet; “now at stage” sit there today. Rows with fewer than {n} deals are not reliable.",
        "ru": "«Ещё открыто» — сделки, дошедшие до этапа и ещё не закрытые; «сейчас на этапе» — находятся на нём сегодня. Строки, где сделок меньше {n}, ненадёжны.",
    },
    "funnels.col.funnel": {"en": "Funnel", "ru": "Воронка"},
    "funnels.col.segment": {"en": "Segment", "ru": "Сегмент"},
    "funnels.col.stage": {"en": "Stage", "ru": "Этап"},
    "funnels.col.reached": {"en": "Reached", "ru": "Дошло"},
    "funnels.col.amount": {"en": "Amount", "ru": "Сумма"},
    "funnels.col.open": {"en": "Still open", "ru": "Ещё открыто"},
    "funnels.col.current": {"en": "Now at stage", "ru": "Сейчас на этапе"},
    "funnels.col.won": {"en": "Won", "ru": "Выиграно"},
    "funnels.col.lost": {"en": "Lost", "ru": "Проиграно"},
    "funnels.col.settled_conversion": {"en": "% of previous", "ru": "% от предыдущего"},
    "funnels.col.cumulative_conversion": {"en": "% of first", "ru": "% от первого"},
    "funnels.col.win_rate": {"en": "Win rate", "ru": "Доля выигрышей"},
    "funnels.col.reliable": {"en": "Reliable", "ru": "Надёжно"},
    # comparison and bottlenecks
    "funnels.section.compare": {"en": "Shapes compared", "ru": "Сравнение форм воронок"},
    "funnels.bottleneck": {
        "en": "{funnel}: the bottleneck is “{stage}” — only {pct} of the deals that left “{previous}” got there.",
        "ru": "{funnel}: узкое место — «{stage}»: туда дошли лишь {pct} сделок, ушедших с этапа «{previous}».",
    },
    "funnels.bottleneck_unreliable": {
        "en": "{funnel}: too few deals to name a bottleneck reliably; the lowest step is “{stage}” ({pct}).",
        "ru": "{funnel}: слишком мало сделок, чтобы надёжно назвать узкое место; самый низкий переход — «{stage}» ({pct}).",
    },
    # sellers
    "funnels.section.sellers": {"en": "Sellers against the team", "ru": "Продавцы и команда"},
    "funnels.sellers_caption": {
        "en": "Win rate (won of closed deals) with a {level} interval; the dashed line is the team. Green: reliably above the rest of the team, red: reliably below (Fisher's exact test, Holm-corrected across the sellers: with equal sellers, any flag at all appears in at most 5 % of teams).",
        "ru": "Доля выигранных (от закрытых сделок) с интервалом {level}; пунктир — команда. Зелёный: надёжно выше остальной команды, красный: надёжно ниже (точный тест Фишера с поправкой Холма на число продавцов: при равных продавцах хоть одна отметка появляется не более чем в 5 % команд).",
    },
    "funnels.col.owner": {"en": "Seller", "ru": "Продавец"},
    "funnels.col.deals": {"en": "Deals", "ru": "Сделок"},
    "funnels.col.last_stage": {"en": "Reached last stage", "ru": "Дошли до последнего этапа"},
    "funnels.col.reach_last": {"en": "% reaching last stage", "ru": "% дошедших до последнего этапа"},
    "funnels.col.low": {"en": "Low", "ru": "Нижняя граница"},
    "funnels.col.high": {"en": "High", "ru": "Верхняя граница"},
    "funnels.col.team_rate": {"en": "Team", "ru": "Команда"},
    "funnels.col.vs_team": {"en": "Against team", "ru": "Относительно команды"},
    "funnels.col.rank": {"en": "Rank", "ru": "Место"},
    "funnels.vs.above": {"en": "above", "ru": "выше"},
    "funnels.vs.below": {"en": "below", "ru": "ниже"},
    # time
    "funnels.section.time": {"en": "Time", "ru": "Сроки"},
    "funnels.cycle_caption": {
        "en": "Median days from creation to close, per segment.",
        "ru": "Медиана дней от создания до закрытия, по сегментам.",
    },
    "funnels.col.closed": {"en": "Closed deals", "ru": "Закрыто сделок"},
    "funnels.col.median_days": {"en": "Median days", "ru": "Медиана, дней"},
    "funnels.col.median_days_won": {"en": "Median days, won", "ru": "Медиана, дней (выигранные)"},
    "funnels.col.median_days_lost": {"en": "Median days, lost", "ru": "Медиана, дней (проигранные)"},
    "funnels.durations_caption": {
        "en": "Median days in each stage, from stage history (the current stage of a still-open deal is left out).",
        "ru": "Медиана дней на каждом этапе по истории этапов (текущий этап открытой сделки не учитывается).",
    },
    "funnels.no_history": {
        "en": "No stage history: time in each stage needs it (upload it on the Data page).",
        "ru": "Нет истории этапов: без неё время на этапах не посчитать (загрузите её на странице «Данные»).",
    },
    # stage win rates
    "funnels.section.rates": {"en": "Stage win rates", "ru": "Вероятность выигрыша по этапам"},
    "funnels.rates_caption": {
        "en": "P(won | reached stage) among closed deals: won and lost are the raw counts; the rate is each stage's own share with the configured probability worth one more deal, with its {level} interval. Below {n} closed deals the rate still leans noticeably on the configured probability.",
        "ru": "P(выигрыш | дошла до этапа) по закрытым сделкам: выиграно и проиграно — фактические количества; оценка — собственная доля этапа, где вероятность из настройки весит как одна сделка, с интервалом {level}. Если закрытых сделок меньше {n}, оценка ещё заметно опирается на настройку.",
    },
    "funnels.outside_count": {
        "en": "Stages whose counts contradict the configured probability: {n} (at least {min} closed deals and an exact binomial test below 5 %: a correctly configured stage is flagged at most 5 % of the time). The calibration by stage below uses the same rule.",
        "ru": "Этапов, где факт противоречит вероятности из настройки: {n} (не меньше {min} закрытых сделок и точный биномиальный тест ниже 5 %: верно настроенный этап отмечается не чаще чем в 5 % случаев). Калибровка по этапам ниже использует то же правило.",
    },
    "funnels.col.note": {"en": "Note", "ru": "Примечание"},
    "funnels.col.n": {"en": "Closed", "ru": "Закрыто"},
    "funnels.col.observed": {"en": "Observed", "ru": "Факт"},
    "funnels.col.rate": {"en": "Rate to use", "ru": "Оценка"},
    "funnels.col.configured": {"en": "Configured", "ru": "В настройке"},
    "funnels.col.outside": {"en": "Config contradicted", "ru": "Настройка не подтверждается"},
    "funnels.col.pooled": {"en": "Few deals (leans on config)", "ru": "Мало сделок (опора на настройку)"},
    "funnels.adopt": {
        "en": "Adopt empirical rates into the funnel config",
        "ru": "Взять эмпирические вероятности в настройку воронок",
    },
    # calibration
    "funnels.section.calibration": {
        "en": "Calibration of stated probabilities",
        "ru": "Калибровка заявленных вероятностей",
    },
    "funnels.brier": {
        "en": "Brier score (0 is perfect, 0.25 is a coin)",
        "ru": "Оценка Брайера (0 — идеально, 0,25 — монетка)",
    },
    "funnels.by_seller_caption": {
        "en": "Wilson {level} intervals. A seller is flagged when the closed deals with their own probability are at least {n} and the whole interval, widened for the number of rows judged together (Bonferroni: {level} for all of them at once), lies more than 5 points below (or above) the stated mean; rows of configured probabilities say only whether wins are below or above the configured rate.",
        "ru": "Интервалы Уилсона {level}. Продавец отмечается, если закрытых сделок с его собственной вероятностью не меньше {n} и весь интервал, расширенный на число одновременно проверяемых строк (поправка Бонферрони: {level} сразу для всех), лежит более чем на 5 пунктов ниже (или выше) заявленного среднего; строки с вероятностью из настройки говорят лишь, ниже или выше настройки фактические выигрыши.",
    },
    "funnels.by_stage_caption": {
        "en": "Same rule as the stage win rates table: flagged when the stage has at least {min} closed deals and an exact binomial test at the configured probability gives p below 5 %; the interval is the stage's {level} interval.",
        "ru": "То же правило, что в таблице вероятностей по этапам: отметка, если у этапа не меньше {min} закрытых сделок и точный биномиальный тест при вероятности из настройки даёт p ниже 5 %; интервал — интервал {level} этапа.",
    },
    "funnels.over_optimistic": {
        "en": "Over-optimistic: {names}. Stated chances are well above the deals actually won (observed/expected {oe}).",
        "ru": "Завышает вероятности: {names}. Заявленные шансы заметно выше фактически выигранного (факт/ожидание {oe}).",
    },
    "funnels.calibration_ok": {
        "en": "No seller's own stated probabilities are significantly off.",
        "ru": "Ни у одного продавца собственные заявленные вероятности существенно не расходятся с фактом.",
    },
    "funnels.below_configured": {
        "en": "Wins below the configured rate: {names} (observed/expected {oe}). These deals carry no probability of the seller's own; the comparison is with the funnel config.",
        "ru": "Выигрышей меньше, чем по настройке: {names} (факт/ожидание {oe}). У этих сделок нет вероятности, указанной продавцом; сравнение — с настройкой воронки.",
    },
    "funnels.col.source": {"en": "Stated by", "ru": "Чья вероятность"},
    "funnels.source.deal": {"en": "seller", "ru": "продавца"},
    "funnels.source.config": {"en": "config", "ru": "из настройки"},
    "funnels.by_seller": {"en": "By seller", "ru": "По продавцам"},
    "funnels.by_stage": {"en": "By stage (configured probability)", "ru": "По этапам (вероятность из настройки)"},
    "funnels.col.stated": {"en": "Stated", "ru": "Заявлено"},
    "funnels.col.expected": {"en": "Expected wins", "ru": "Ожидалось выигрышей"},
    "funnels.col.wins": {"en": "Wins", "ru": "Выиграно"},
    "funnels.col.oe": {"en": "Observed / expected", "ru": "Факт / ожидание"},
    "funnels.col.brier": {"en": "Brier", "ru": "Брайер"},
    "funnels.col.flag": {"en": "Flag", "ru": "Отметка"},
    "funnels.flag.over": {"en": "over-optimistic", "ru": "завышает"},
    "funnels.flag.under": {"en": "under-confident", "ru": "занижает"},
    "funnels.flag.below": {"en": "wins below the configured rate", "ru": "выигрышей меньше настройки"},
    "funnels.flag.above": {"en": "wins above the configured rate", "ru": "выигрышей больше настройки"},
    "funnels.flag.none": {"en": "in line", "ru": "в норме"},
    "funnels.unreliable": {
        "en": "Deals: {n} — too few, not reliable",
        "ru": "Сделок: {n} — мало, ненадёжно",
    },
    "funnels.bottleneck_unknown": {
        "en": "{funnel}: no bottleneck can be named — the conversion between stages is unknown (lost deals with no loss stage: {n}). Upload stage history or map a loss-stage column on the Data page.",
        "ru": "{funnel}: узкое место назвать нельзя — конверсия между этапами неизвестна (проигранных сделок без этапа проигрыша: {n}). Загрузите историю этапов или укажите столбец с этапом проигрыша на странице «Данные».",
    },
    "funnels.rates_unknown": {
        "en": "{funnel}: win rates after the first stage are unknown (lost deals with no loss stage: {n}). Upload stage history or map a loss-stage column on the Data page.",
        "ru": "{funnel}: вероятность выигрыша после первого этапа неизвестна (проигранных сделок без этапа проигрыша: {n}). Загрузите историю этапов или укажите столбец с этапом проигрыша на странице «Данные».",
    },
    "funnels.rate_unknown": {
        "en": "unknown (lost deals with no loss stage: {n}) — upload stage history or map a loss-stage column",
        "ru": "неизвестно (проигранных сделок без этапа проигрыша: {n}) — загрузите историю этапов или укажите столбец с этапом проигрыша",
    },
    "funnels.adopt_partial": {
        "en": "Known rates to adopt: {n}. Stages with an unknown rate, which keep their configured probability: {kept}.",
        "ru": "Известных оценок, которые будут взяты: {n}. Этапов с неизвестной оценкой (сохранят вероятность из настройки): {kept}.",
    },
    "funnels.adopted": {
        "en": "The funnel config now uses the empirical rates (stages: {n}); the forecast uses them too.",
        "ru": "Настройка воронок теперь использует эмпирические вероятности (этапов: {n}); прогноз тоже.",
    },
    "funnels.adopted_kept": {
        "en": "Stages with an unknown rate that kept their configured probability: {kept}.",
        "ru": "Этапов с неизвестной оценкой, сохранивших вероятность из настройки: {kept}.",
    },
    "funnels.history_orphans": {
        "en": "Stage history rows of deals that are not in the deal file (not used): {n}.",
        "ru": "Строк истории этапов, относящихся к сделкам, которых нет в файле сделок: {n}; они не использованы.",
    },
    "funnels.undated_excluded": {
        "en": "Deals with no creation date, left out by the period filter: {n}. Choose the full period to include them.",
        "ru": "Сделок без даты создания: {n}; фильтр по периоду их не включает. Выберите весь период, чтобы учесть их.",
    },
    "funnels.unmatched": {
        "en": "Deals at a stage or in a funnel missing from the funnel config, left out: {n}. Edit the config on the Data page.",
        "ru": "Сделок на этапе или в воронке, которых нет в настройке воронок (не учтены): {n}. Исправьте настройку на странице «Данные».",
    },
    "funnels.calibration_caption": {
        "en": "Closed deals: {n}; with the seller's own probability: {own}. The rest are compared with the configured probability of the first stage (in separate rows).",
        "ru": "Закрытых сделок: {n}; с вероятностью, указанной продавцом: {own}. Остальные сравниваются с вероятностью первого этапа из настройки (отдельными строками).",
    },
    "funnels.calibration_crm": {
        "en": "Closed deals whose probability is only the CRM's 0 % or 100 %: {n}. The CRM sets 0 % when a deal is lost and 100 % when it is won; that is the outcome, not the seller's estimate, so these values are ignored and the deals are compared with the configured probability.",
        "ru": "Закрытых сделок, у которых вероятность — только 0 % или 100 % из CRM: {n}. CRM ставит 0 %, когда сделка проиграна, и 100 %, когда выиграна; это итог, а не оценка продавца, поэтому эти значения не учитываются и сделки сравниваются с вероятностью из настройки.",
    },
    "funnels.compare_left_off": {
        "en": "Not on this chart: {funnels} — the conversion between stages is unknown there (lost deals with no known loss stage).",
        "ru": "Не показаны на графике: {funnels} — конверсия между этапами там неизвестна (есть проигранные сделки без этапа проигрыша).",
    },
    "funnels.sellers_unreliable": {
        "en": "Win rate shows “—” for sellers with fewer than {n} closed deals (hollow grey points on the chart): too few to be reliable; the interval shows how uncertain it is.",
        "ru": "Доля выигранных показана как «—» у продавцов, у которых закрытых сделок меньше {n} (пустые серые точки на графике): это ненадёжно; интервал показывает, насколько велика неопределённость.",
    },
    "funnels.col.lower_bound": {
        "en": "Count is a lower bound",
        "ru": "Число — оценка снизу",
    },
    "funnels.kind.new": {
        "en": "Attraction (new prospects)",
        "ru": "Привлечение (новые клиенты)",
    },
    "funnels.kind.active": {
        "en": "Retention (active clients)",
        "ru": "Удержание (действующие клиенты)",
    },
    "funnels.kind.dormant": {
        "en": "Reactivation (dormant clients)",
        "ru": "Реактивация (спящие клиенты)",
    },
    "funnels.chart_bounds": {
        "en": "“≥ n”: at least n deals reached the stage (lost deals with no loss stage may have got that far too); “—”: the conversion from the previous stage is unknown.",
        "ru": "«≥ n»: этап прошли не меньше n сделок (проигранные сделки без этапа проигрыша тоже могли до него дойти); «—»: конверсия от предыдущего этапа неизвестна.",
    },
    "funnels.drill.title": {
        "en": "The deals behind a stage",
        "ru": "Сделки за этапом",
    },
    "funnels.drill.caption": {
        "en": "Select a stage's row to see the deals counted there (they reached it: entered it or a later stage) and download them.",
        "ru": "Выберите строку этапа, чтобы увидеть сделки, которые в нём посчитаны (дошли до него: вошли в него или в более поздний этап), и скачать их.",
    },
    "funnels.drill.deals": {
        "en": "{funnel} · {stage}: {n} deals",
        "ru": "{funnel} · {stage}: сделок — {n}",
    },
}
