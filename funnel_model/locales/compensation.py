"""Messages of the compensation area: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    # ---- plan errors: what, where, and the fix
    "compensation.error.bad_json": {
        "en": "The compensation plan file is not valid JSON (line {line}, column {column}). Save the plan again from the Compensation page, or fix the file there. Technical detail: {detail}",
        "ru": "Файл системы мотивации — не корректный JSON (строка {line}, позиция {column}). Сохраните план заново на странице «Мотивация» или исправьте файл в этом месте. Техническая подробность: {detail}",
    },
    "compensation.error.bad_encoding": {
        "en": "The compensation plan file is not UTF-8 text. Save the plan again from the Compensation page, or save the file as UTF-8. Technical detail: {detail}",
        "ru": "Файл системы мотивации — не текст в кодировке UTF-8. Сохраните план заново на странице «Мотивация» или сохраните файл в UTF-8. Техническая подробность: {detail}",
    },
    "compensation.error.not_plan": {
        "en": "The file holds JSON, but not a compensation plan: a plan is an object with “name”, “fixed” and “variable”. Save the plan again from the Compensation page.",
        "ru": "В файле JSON, но не система мотивации: план — это объект с полями «name», «fixed» и «variable». Сохраните план заново на странице «Мотивация».",
    },
    "compensation.error.missing_field": {
        "en": "The compensation plan file has no field {field}. Add it, or save the plan again from the Compensation page.",
        "ru": "В файле системы мотивации нет поля {field}. Добавьте его или сохраните план заново на странице «Мотивация».",
    },
    "compensation.error.not_object": {
        "en": "Plan field {field} must be a JSON object {{…}}. Fix it, or save the plan again from the Compensation page.",
        "ru": "Поле плана {field} должно быть объектом JSON {{…}}. Исправьте его или сохраните план заново на странице «Мотивация».",
    },
    "compensation.error.not_list": {
        "en": "Plan field {field} must be a JSON list […]. Fix it, or save the plan again from the Compensation page.",
        "ru": "Поле плана {field} должно быть списком JSON […]. Исправьте его или сохраните план заново на странице «Мотивация».",
    },
    "compensation.error.not_boolean": {
        "en": "Plan field {field}: “{value}” is not true or false. Write true or false without quotes.",
        "ru": "Поле плана {field}: «{value}» — не true и не false. Напишите true или false без кавычек.",
    },
    "compensation.error.share_sum": {
        "en": "Plan “{plan}”: the deductions set as a share of the bonus add up to {total} %, more than the whole bonus. Lower them so that together they take at most 100 %.",
        "ru": "План «{plan}»: депремирование в долях премии в сумме составляет {total} %, больше всей премии. Уменьшите доли, чтобы вместе они были не больше 100 %.",
    },
    "compensation.error.not_number": {
        "en": "Plan field {field}: “{value}” is not a number. Enter a number.",
        "ru": "Поле плана {field}: «{value}» — не число. Введите число.",
    },
    "compensation.error.bad_choice": {
        "en": "Plan field {field}: “{value}” is not allowed. Use one of: {choices}.",
        "ru": "Поле плана {field}: значение «{value}» недопустимо. Возможные значения: {choices}.",
    },
    "compensation.error.negative": {
        "en": "Plan “{plan}”, field {field}: {value} is negative. Enter zero or more.",
        "ru": "План «{plan}», поле {field}: значение {value} отрицательное. Введите ноль или больше.",
    },
    "compensation.error.zero_target": {
        "en": "Plan “{plan}”: the default monthly revenue target is zero. Enter a target above zero.",
        "ru": "План «{plan}»: план продаж по умолчанию равен нулю. Введите план больше нуля.",
    },
    "compensation.error.no_tiers": {
        "en": "Plan “{plan}” has no tiers on its pay curve. Add at least one tier (e.g. from 0 % at rate 1).",
        "ru": "В плане «{plan}» нет ни одной ступени шкалы. Добавьте хотя бы одну (например, от 0 % со ставкой 1).",
    },
    "compensation.error.tier_order": {
        "en": "Plan “{plan}”, tier {n} starts at {start}, not after the previous tier ({previous}). List tiers in increasing order of attainment, each start different.",
        "ru": "План «{plan}», ступень {n} начинается с {start}, не выше предыдущей ({previous}). Перечислите ступени по возрастанию выполнения плана, без повторов.",
    },
    "compensation.error.retroactive_decreasing": {
        "en": "Plan “{plan}”, tier {n}: rate {rate} is below the previous tier's {previous}. Retroactive tiers pay the whole amount at the reached rate, so a lower rate would cut pay when the seller sells more. Make the rates non-decreasing, or choose marginal tiers.",
        "ru": "План «{plan}», ступень {n}: ставка {rate} ниже ставки предыдущей ступени ({previous}). При ретроактивной шкале вся сумма оплачивается по достигнутой ставке, и продавец, продав больше, получил бы меньше. Сделайте ставки неубывающими или выберите прогрессивную (маржинальную) шкалу.",
    },
    "compensation.error.cap_below_threshold": {
        "en": "Plan “{plan}”: the cap ({cap}) is not above the threshold ({threshold}), so nothing could ever be paid. Raise the cap or lower the threshold.",
        "ru": "План «{plan}»: ограничение ({cap}) не выше порога ({threshold}), премия не выплачивалась бы никогда. Поднимите ограничение или снизьте порог.",
    },
    "compensation.error.empty_condition": {
        "en": "Plan “{plan}”: a fixed-part condition has no name. Name it (e.g. “Timely reports”) or delete the row.",
        "ru": "План «{plan}»: у условия оклада нет названия. Назовите его (например, «Своевременные отчёты») или удалите строку.",
    },
    "compensation.error.duplicate_condition": {
        "en": "Plan “{plan}”: the condition “{condition}” is listed twice. Give each condition its own name.",
        "ru": "План «{plan}»: условие «{condition}» указано дважды. Дайте каждому условию своё название.",
    },
    "compensation.error.unknown_condition": {
        "en": "Plan “{plan}”: a deduction refers to the condition “{condition}”, which the fixed part does not list (it lists: {known}). Add the condition or fix its name.",
        "ru": "План «{plan}»: депремирование ссылается на условие «{condition}», которого нет среди условий оклада ({known}). Добавьте условие или исправьте название.",
    },
    "compensation.error.share_range": {
        "en": "Plan “{plan}”, deduction for “{condition}”: a share of the bonus must be between 0 and 100 %; got {value}. Enter a percentage up to 100.",
        "ru": "План «{plan}», депремирование за «{condition}»: доля премии должна быть от 0 до 100 %; получено {value}. Введите процент не больше 100.",
    },
    "compensation.error.unknown_preset": {
        "en": "There is no plan preset “{name}”. Choose one of: {known}.",
        "ru": "Шаблона плана «{name}» нет. Выберите один из: {known}.",
    },
    "compensation.error.target": {
        "en": "A revenue target is {value}; targets must be above zero. Enter each seller's target for the period.",
        "ru": "План продаж равен {value}; план должен быть больше нуля. Введите план каждого продавца на период.",
    },
    "compensation.error.seller_target": {
        "en": "The revenue target of {seller} is {value}. Enter a target above zero in the targets table.",
        "ru": "План продаж продавца {seller} равен {value}. Введите план больше нуля в таблице планов.",
    },
    # ---- labour law
    "compensation.law.worst_case": {
        "en": "the worst case (every condition unmet)",
        "ru": "в худшем случае (все условия не выполнены)",
    },
    "compensation.law.over_limit": {
        "en": "Plan “{plan}”, {who}: deductions would cut {share} of the monthly pay, more than {limit}. Under ТК РФ art. 135 (as amended by Federal Law 144-FZ) a cut for a disciplinary offence may not exceed {limit} of monthly pay, and art. 192 does not allow fines. Reduce the deductions if the plan is for employees in Russia; the choice is yours.",
        "ru": "План «{plan}», {who}: депремирование сократит месячный заработок на {share}, больше {limit}. По ст. 135 ТК РФ (в редакции 144-ФЗ) снижение заработной платы за дисциплинарный проступок не может превышать {limit} месячного заработка, а ст. 192 ТК РФ не предусматривает штрафов. Уменьшите депремирование, если план для работников в России; решение за вами.",
    },
    "compensation.law.from_base": {
        "en": "Plan “{plan}”, {who}: deductions would take {share} of the base salary. ТК РФ art. 192 allows no fines, and art. 135 (as amended by Federal Law 144-FZ) does not allow cutting the base for a disciplinary offence: a penalty may only reduce the bonus. Untick “deductions may reach the base” if the plan is for employees in Russia; the choice is yours.",
        "ru": "План «{plan}», {who}: депремирование заберёт {share} оклада. Ст. 192 ТК РФ не предусматривает штрафов, а ст. 135 ТК РФ (в редакции 144-ФЗ) не допускает снижения оклада за дисциплинарный проступок: взыскание может уменьшить только премию. Снимите флажок «вычеты из оклада», если план для работников в России; решение за вами.",
    },
    # ---- presets
    "compensation.preset.mix_50_50": {"en": "50/50 with accelerators", "ru": "50/50 с ускорителями"},
    "compensation.preset.fixed_heavy": {"en": "Mostly fixed", "ru": "В основном оклад"},
    "compensation.preset.cliff": {"en": "Commission with a cliff", "ru": "Процент с порогом"},
    "compensation.preset.reports": {"en": "Timely reports", "ru": "Своевременные отчёты"},
    "compensation.preset.reports_measure": {
        "en": "weekly pipeline report in the CRM by Monday 10:00; late reports this month",
        "ru": "еженедельный отчёт по воронке в CRM до 10:00 понедельника; опоздания за месяц",
    },
    "compensation.preset.crm": {"en": "CRM standards", "ru": "Стандарты CRM"},
    "compensation.preset.crm_measure": {
        "en": "every deal has a stage, amount and next step; breaches found in the monthly audit",
        "ru": "у каждой сделки есть этап, сумма и следующий шаг; нарушения по ежемесячной проверке",
    },
    # ---- page
    "compensation.intro": {
        "en": "Fixed part for reports and standards, variable part for the plan, new services and new clients, and deductions when the conditions are not met. Edit two plans and compare them on the same sellers.",
        "ru": "Оклад — за отчётность и стандарты, переменная часть — за выполнение плана, продажи новых услуг и новых клиентов, депремирование — за невыполнение условий. Настройте два плана и сравните их на одних и тех же продавцах.",
    },
    "compensation.no_sellers": {
        "en": "The data has no deal owners, so there is nobody to pay. Map the “{owner}” field on the Data page.",
        "ru": "В данных нет ответственных за сделки, поэтому некому начислять. Укажите поле «{owner}» на странице «Данные».",
    },
    "compensation.no_dates": {
        "en": "No won deal has a date (“{closed}”, “{expected}” or “{created}”), so no pay period can be chosen. Map one of these fields on the Data page.",
        "ru": "Ни у одной выигранной сделки нет даты («{closed}», «{expected}» или «{created}»), поэтому период выплат выбрать нельзя. Укажите одно из этих полей на странице «Данные».",
    },
    "compensation.no_deal_dates": {
        "en": "No deal has a date (“{closed}” or “{created}”), so no pay period can be chosen. Map one of these fields on the Data page.",
        "ru": "Ни у одной сделки нет даты («{closed}» или «{created}»), поэтому период выплат выбрать нельзя. Укажите одно из этих полей на странице «Данные».",
    },
    "compensation.no_won": {
        "en": "The data has no won deals, so pay from actuals is the base alone (no variable part). The plans, targets, pay curves and the forecast from open deals still work; the period is chosen from the deals' creation and close dates.",
        "ru": "В данных нет выигранных сделок, поэтому выплаты по факту — только оклад (переменная часть равна нулю). Планы, планы продаж, шкалы оплаты и прогноз по открытым сделкам доступны; период выбирается по датам создания и закрытия сделок.",
    },
    "compensation.dated_by_expected": {
        "en": "Won deals without a “{closed}” date, dated by “{expected}”: {count}.",
        "ru": "Выигранных сделок без поля «{closed}», датированных по полю «{expected}»: {count}.",
    },
    "compensation.dated_by_created": {
        "en": "Won deals without a “{closed}” or “{expected}” date, dated by “{created}”: {count}.",
        "ru": "Выигранных сделок без полей «{closed}» и «{expected}», датированных по полю «{created}»: {count}.",
    },
    "compensation.undated": {
        "en": "Won deals with no “{closed}”, “{expected}” or “{created}” date, left out of pay: {count}.",
        "ru": "Выигранных сделок без полей «{closed}», «{expected}» и «{created}», не учтённых в выплатах: {count}.",
    },
    "compensation.dated_note": {
        "en": "Pay is counted by close date; these deals' dates are a substitute, so check the period's revenue.",
        "ru": "Выплаты считаются по дате закрытия; даты этих сделок — замена, поэтому проверьте выручку периода.",
    },
    "compensation.plan_a": {"en": "Plan A", "ru": "План A"},
    "compensation.plan_b": {"en": "Plan B", "ru": "План B"},
    "compensation.preset": {"en": "Start from", "ru": "Шаблон"},
    "compensation.fixed_part": {"en": "Fixed part", "ru": "Оклад"},
    "compensation.variable_part": {"en": "Variable part", "ru": "Переменная часть"},
    "compensation.penalty_part": {"en": "Conditions and deductions", "ru": "Условия и депремирование"},
    "compensation.base": {"en": "Monthly base", "ru": "Оклад в месяц"},
    "compensation.basis": {"en": "Tier rates apply to", "ru": "Ставки шкалы начисляются на"},
    "compensation.basis.revenue": {"en": "revenue (rate = share of revenue)", "ru": "выручку (ставка — доля выручки)"},
    "compensation.basis.target_bonus": {
        "en": "target bonus (rate 1 = the whole bonus at 100 %)",
        "ru": "целевую премию (ставка 1 — вся премия при 100 %)",
    },
    "compensation.target_bonus": {"en": "Monthly target bonus", "ru": "Целевая премия в месяц"},
    "compensation.threshold": {"en": "Threshold, % of plan", "ru": "Порог, % плана"},
    "compensation.threshold_help": {
        "en": "Below this attainment no plan bonus is paid; at it, payment starts.",
        "ru": "Ниже этого выполнения плана премия не начисляется; начиная с него — начисляется.",
    },
    "compensation.mode": {"en": "Tiers", "ru": "Шкала"},
    "compensation.mode.marginal": {
        "en": "marginal: each slice at its own rate",
        "ru": "прогрессивная: каждая часть по своей ставке",
    },
    "compensation.mode.retroactive": {
        "en": "retroactive: the whole amount at the reached tier's rate",
        "ru": "ретроактивная: вся сумма по ставке достигнутой ступени",
    },
    "compensation.tiers": {"en": "Pay curve tiers", "ru": "Ступени шкалы"},
    "compensation.tier_start": {"en": "From, % of plan", "ru": "От, % плана"},
    "compensation.tier_rate": {"en": "Rate", "ru": "Ставка"},
    "compensation.tier_rate_help": {
        "en": "Revenue basis: share of revenue (0.05 = 5 %). Target-bonus basis: target bonuses per 100 % of plan (1.5 = accelerator ×1.5).",
        "ru": "От выручки: доля выручки (0,05 = 5 %). От целевой премии: сколько целевых премий за 100 % плана (1,5 — ускоритель ×1,5).",
    },
    "compensation.use_cap": {"en": "Cap the plan bonus", "ru": "Ограничить премию"},
    "compensation.cap": {"en": "Cap, % of plan", "ru": "Ограничение, % плана"},
    "compensation.new_product_rate": {"en": "New services: % of their revenue", "ru": "Новые услуги: % от их выручки"},
    "compensation.new_product_markers": {
        "en": "New services are products whose name has the word (comma-separated)",
        "ru": "Новые услуги — продукты, в названии которых есть слово (через запятую)",
    },
    "compensation.new_products": {
        "en": "…and these products (by name)",
        "ru": "…и эти продукты (по названию)",
    },
    "compensation.new_client_bonus": {"en": "Bonus per new client", "ru": "Премия за нового клиента"},
    "compensation.condition": {"en": "Condition", "ru": "Условие"},
    "compensation.measure": {"en": "How it is measured", "ru": "Как измеряется"},
    "compensation.deduction_kind": {"en": "Deduction", "ru": "Депремирование"},
    "compensation.deduction_value": {"en": "Amount or % of bonus", "ru": "Сумма или % премии"},
    "compensation.kind.amount": {"en": "amount", "ru": "сумма"},
    "compensation.kind.bonus_share": {"en": "% of bonus", "ru": "% премии"},
    "compensation.from_base": {
        "en": "Deductions may reach the base (not allowed in Russia)",
        "ru": "Вычеты из оклада (в России запрещено)",
    },
    "compensation.period": {"en": "Period (months of close date)", "ru": "Период (месяцы закрытия сделок)"},
    "compensation.period_caption": {
        "en": "Months: {months}, {start} – {end}. Base and target bonus are paid per month; deductions per unmet condition in the period.",
        "ru": "Месяцев: {months}, {start} – {end}. Оклад и целевая премия — за каждый месяц; депремирование — за каждое невыполненное условие за период.",
    },
    "compensation.targets": {"en": "Sellers' revenue targets for the period", "ru": "Планы продаж на период"},
    "compensation.period_single": {
        "en": "Period: {month} (the only month in the data).",
        "ru": "Период: {month} (единственный месяц в данных).",
    },
    "compensation.targets_help": {
        "en": "Start: each seller's average monthly won revenue over the previous {lookback} months × the period's months.",
        "ru": "Начальные значения: средняя месячная выручка продавца за предыдущие {lookback} мес. × число месяцев периода.",
    },
    "compensation.targets_fallback_median": {
        "en": "Sellers with no won revenue in the previous {lookback} months start at the median of the others' targets. Such sellers: {count}.",
        "ru": "Продавцам без выручки за предыдущие {lookback} мес. начальный план — медиана планов остальных. Таких продавцов: {count}.",
    },
    "compensation.targets_fallback_fixed": {
        "en": "No seller has won revenue in the {lookback} months before the period, so every target starts at {amount} per month, a placeholder: enter the real targets.",
        "ru": "Ни у одного продавца нет выручки за {lookback} мес. до периода, поэтому начальный план каждого — {amount} в месяц, условное значение: введите настоящие планы.",
    },
    "compensation.conditions": {
        "en": "Fixed-part conditions met in the period (untick what was not met)",
        "ru": "Выполнение условий оклада за период (снимите отметку, если не выполнено)",
    },
    "compensation.seller": {"en": "Seller", "ru": "Продавец"},
    "compensation.plan": {"en": "Plan", "ru": "План"},
    "compensation.col.target": {"en": "Target", "ru": "План продаж"},
    "compensation.col.revenue": {"en": "Won revenue", "ru": "Выручка"},
    "compensation.col.attainment": {"en": "Attainment", "ru": "Выполнение"},
    "compensation.col.new_revenue": {"en": "New-service revenue", "ru": "Выручка новых услуг"},
    "compensation.col.new_clients": {"en": "New clients", "ru": "Новые клиенты"},
    "compensation.col.fixed": {"en": "Fixed", "ru": "Оклад"},
    "compensation.col.plan_pay": {"en": "Plan bonus", "ru": "Премия за план"},
    "compensation.col.new_product_pay": {"en": "New-service bonus", "ru": "Премия за новые услуги"},
    "compensation.col.new_client_pay": {"en": "New-client bonus", "ru": "Премия за новых клиентов"},
    "compensation.col.variable": {"en": "Variable", "ru": "Переменная часть"},
    "compensation.col.penalty": {"en": "Penalty", "ru": "Депремирование"},
    "compensation.col.total": {"en": "Total", "ru": "Итого"},
    "compensation.col.cut_share": {"en": "Cut, % of monthly pay", "ru": "Снижение, % месячного заработка"},
    "compensation.pay_actuals": {"en": "Pay from actuals", "ru": "Выплаты по факту"},
    "compensation.pay_curves": {"en": "Pay curves", "ru": "Шкалы оплаты"},
    "compensation.curve_caption": {
        "en": "Base + plan bonus against attainment for a target of {target}; sellers are placed by their attainment. Marginal or retroactive tiers as chosen: {modes}.",
        "ru": "Оклад + премия за план в зависимости от выполнения, для плана продаж {target}; продавцы отмечены по своему выполнению. Шкалы: {modes}.",
    },
    "compensation.part.fixed": {"en": "Fixed", "ru": "Оклад"},
    "compensation.part.variable": {"en": "Variable (after penalty)", "ru": "Переменная часть (после депремирования)"},
    "compensation.part.penalty": {"en": "Penalty", "ru": "Депремирование"},
    "compensation.part": {"en": "Part of pay", "ru": "Часть выплаты"},
    "compensation.pay": {"en": "Pay", "ru": "Выплата"},
    "compensation.forecast": {
        "en": "Next period's pay from each seller's forecast",
        "ru": "Выплаты в следующем периоде по прогнозу продавца",
    },
    "compensation.forecast_progress": {
        "en": "Forecasting each seller's pay for the next period: revenue distributions of the open deals…",
        "ru": "Прогнозируем выплаты продавцов в следующем периоде: распределения выручки открытых сделок…",
    },
    "compensation.forecast_caption": {
        "en": "Revenue of each seller's open deals won within the next period, {start} – {end}, with the same targets and conditions: each open deal counts with its chance of being won in the period, its win probability times the share of its win that falls in the period ({timing}), as the Forecast & plan page counts a period; in all, open deals expected to be won in it: {expected}. Win probabilities: {source}. Pay never falls when revenue grows, so without new-service or new-client bonuses the pay quantiles are the pay at the revenue quantiles, exactly; where such bonuses apply, pay is drawn together with the deals' outcomes (20,000 seeded draws; a new client brings one bonus however many of its deals are won).",
        "ru": "Выручка открытых сделок продавца, выигранных в следующем периоде, {start} – {end}, с теми же планами и условиями: каждая открытая сделка учитывается с вероятностью быть выигранной именно в этом периоде — вероятность выигрыша, умноженная на долю выигрыша, приходящуюся на период ({timing}), так же, как период считает страница «Прогноз и план»; всего открытые сделки, которые ожидаются выигранными в нём: {expected}. Вероятности выигрыша: {source}. Выплата не убывает с ростом выручки, поэтому без премий за новые услуги и новых клиентов квантили выплат — это в точности выплаты при квантилях выручки; где такие премии есть, выплата разыгрывается вместе с исходами сделок (20 000 испытаний с фиксированным зерном; новый клиент приносит одну премию, сколько бы его сделок ни было выиграно).",
    },
    "compensation.timing.history": {
        "en": "when deals of that age were won in the history",
        "ru": "по тому, когда в истории выигрывались сделки того же возраста",
    },
    "compensation.timing.by_date": {
        "en": "by the sellers' expected close dates where set on or after today, as chosen on the Forecast & plan page, else when deals of that age were won in the history",
        "ru": "по ожидаемым датам закрытия продавцов, где они не раньше сегодняшнего дня, как выбрано на странице «Прогноз и план», иначе по тому, когда в истории выигрывались сделки того же возраста",
    },
    "compensation.source.stages": {
        "en": "the stage probabilities of the funnel settings, as on the Forecast & plan page by default",
        "ru": "вероятности этапов из настроек воронки, как на странице «Прогноз и план» по умолчанию",
    },
    "compensation.source.stages_own": {
        "en": "the seller's own estimate where the deal has one, else the stage probability of the funnel settings",
        "ru": "оценка продавца, если она есть у сделки, иначе вероятность этапа из настроек воронки",
    },
    "compensation.source.whatif": {
        "en": "the what-if stage probabilities set on the Forecast & plan page",
        "ru": "вероятности этапов, заданные на странице «Прогноз и план» («что если»)",
    },
    "compensation.source.whatif_own": {
        "en": "the seller's own estimate where the deal has one, else the what-if stage probability set on the Forecast & plan page",
        "ru": "оценка продавца, если она есть у сделки, иначе вероятность этапа, заданная на странице «Прогноз и план»",
    },
    "compensation.own": {
        "en": "Use sellers' own probabilities",
        "ru": "Учитывать вероятности, указанные продавцами",
    },
    "compensation.own_help": {
        "en": "Each deal's own win probability from the CRM where it has one, instead of its stage's. Sellers tend to be optimistic: the Funnels page compares their estimates with what actually closed.",
        "ru": "Вероятность выигрыша из CRM, указанная в сделке, вместо вероятности её этапа. Продавцы склонны к оптимизму: на странице «Воронки» их оценки сравниваются с фактическими результатами.",
    },
    "compensation.whatif": {
        "en": "Use the Forecast & plan page's what-if rates",
        "ru": "Использовать вероятности со страницы «Прогноз»",
    },
    "compensation.whatif_help": {
        "en": "The stage probabilities as set with the sliders on the Forecast & plan page, instead of those of the funnel settings.",
        "ru": "Вероятности этапов, выставленные ползунками на странице «Прогноз и план», вместо вероятностей из настроек воронки.",
    },
    "compensation.pp": {"en": "{value} pp", "ru": "{value} п. п."},
    "compensation.col.p_threshold": {"en": "P(bonus threshold)", "ru": "P(порог премии)"},
    "compensation.col.p_target": {"en": "P(plan met)", "ru": "P(план выполнен)"},
    "compensation.col.pay_p10": {"en": "Pay P10", "ru": "Выплата P10"},
    "compensation.col.pay_p50": {"en": "Pay P50", "ru": "Выплата P50"},
    "compensation.col.pay_p90": {"en": "Pay P90", "ru": "Выплата P90"},
    "compensation.col.revenue_p50": {"en": "Revenue P50", "ru": "Выручка P50"},
    "compensation.company": {"en": "Company: plan A vs plan B", "ru": "Компания: план A и план B"},
    "compensation.total_pay": {"en": "Total pay", "ru": "Фонд оплаты"},
    "compensation.cost_of_sales": {"en": "Cost of sales", "ru": "Стоимость продаж"},
    "compensation.cost_of_sales_help": {
        "en": "Total pay of the sellers over their won revenue in the period.",
        "ru": "Фонд оплаты продавцов, делённый на их выручку за период.",
    },
    "compensation.metric.revenue": {"en": "Won revenue", "ru": "Выручка"},
    "compensation.metric.fixed": {"en": "Fixed", "ru": "Оклады"},
    "compensation.metric.variable": {"en": "Variable", "ru": "Переменная часть"},
    "compensation.metric.penalty": {"en": "Penalties", "ru": "Депремирование"},
    "compensation.metric.total": {"en": "Total pay", "ru": "Фонд оплаты"},
    "compensation.metric.cost_of_sales": {"en": "Cost of sales", "ru": "Стоимость продаж"},
    "compensation.download_csv": {"en": "Download pay table (CSV)", "ru": "Скачать таблицу выплат (CSV)"},
    "compensation.download_xlsx": {"en": "Download pay table (XLSX)", "ru": "Скачать таблицу выплат (XLSX)"},
    "compensation.download_plan": {"en": "Save plan (JSON)", "ru": "Сохранить план (JSON)"},
    "compensation.load_plan": {"en": "Load a saved plan (JSON)", "ru": "Загрузить сохранённый план (JSON)"},
    "compensation.no_warnings": {
        "en": "Neither plan cuts more than {limit} of pay or touches the base (ТК РФ art. 135, 192).",
        "ru": "Ни один план не снижает заработок больше чем на {limit} и не затрагивает оклад (ст. 135, 192 ТК РФ).",
    },
}
