"""Messages of the moves (offers and marketing levers) on the Forecast page: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "moves.title": {"en": "Offers and marketing moves", "ru": "Предложения и маркетинговые ходы"},
    "moves.intro": {
        "en": "A move acts on a funnel, a client segment and/or a stage (blank: everywhere) and changes the "
        "stage's win probability, the deal size, the lead volume (extra leads over the next {months} months) or "
        "the cycle length, at a cost. Switch moves on and off, add rows, or delete them.",
        "ru": "Ход действует на воронку, сегмент клиентов и/или этап (пусто — везде) и меняет вероятность "
        "выигрыша с этапа, размер сделки, поток лидов (дополнительные лиды за следующие {months} мес.) или "
        "длину цикла — за свою цену. Включайте и выключайте ходы, добавляйте и удаляйте строки.",
    },
    "moves.value_help": {
        "en": "Conversion in points: +5 means five percentage points more. Everything else is a factor: 1.2 means "
        "20 % more, 0.8 means 20 % less.",
        "ru": "Конверсия в пунктах: +5 — на пять процентных пунктов больше. Остальное — множитель: 1,2 — на 20 % "
        "больше, 0,8 — на 20 % меньше.",
    },
    "moves.example.reactivation": {"en": "Reactivation discount 10 %", "ru": "Скидка 10 % за возвращение"},
    "moves.example.demo_day": {"en": "Demo day for new prospects", "ru": "День демонстраций для новых клиентов"},
    "moves.example.upsell": {"en": "Upsell offer for active clients", "ru": "Допродажа действующим клиентам"},
    "moves.everywhere": {"en": "all", "ru": "все"},
    "moves.kind.conversion_points": {"en": "Stage conversion, points", "ru": "Конверсия этапа, п. п."},
    "moves.kind.conversion_factor": {"en": "Stage conversion, factor", "ru": "Конверсия этапа, множитель"},
    "moves.kind.lead_volume": {"en": "Lead volume, factor", "ru": "Поток лидов, множитель"},
    "moves.kind.deal_size": {"en": "Deal size, factor", "ru": "Размер сделки, множитель"},
    "moves.kind.cycle_length": {"en": "Cycle length, factor", "ru": "Длина цикла, множитель"},
    "moves.col.enabled": {"en": "On", "ru": "Вкл."},
    "moves.col.name": {"en": "Move", "ru": "Ход"},
    "moves.col.funnel": {"en": "Funnel", "ru": "Воронка"},
    "moves.col.segment": {"en": "Segment", "ru": "Сегмент"},
    "moves.col.stage": {"en": "Stage", "ru": "Этап"},
    "moves.col.kind": {"en": "Changes", "ru": "Что меняет"},
    "moves.col.value": {"en": "By", "ru": "На сколько"},
    "moves.col.cost": {"en": "Cost", "ru": "Стоимость"},
    "moves.col.metric": {"en": "Figure", "ru": "Показатель"},
    "moves.col.baseline": {"en": "Without moves", "ru": "Без ходов"},
    "moves.col.moves": {"en": "With the moves switched on", "ru": "С включёнными ходами"},
    "moves.col.change": {"en": "Change", "ru": "Изменение"},
    "moves.col.extra_mean": {"en": "Extra revenue, expected", "ru": "Доп. выручка, ожидаемая"},
    "moves.col.extra_p10": {"en": "Extra revenue, P10", "ru": "Доп. выручка, P10"},
    "moves.col.extra_p90": {"en": "Extra revenue, P90", "ru": "Доп. выручка, P90"},
    "moves.col.return_mean": {"en": "Revenue per unit of cost", "ru": "Выручка на рубль затрат"},
    "moves.col.return_p10": {"en": "Per unit of cost, P10", "ru": "На рубль затрат, P10"},
    "moves.col.return_p90": {"en": "Per unit of cost, P90", "ru": "На рубль затрат, P90"},
    "moves.metric.mean": {"en": "Expected revenue", "ru": "Ожидаемая выручка"},
    "moves.metric.p10": {"en": "Revenue, P10 (pessimistic)", "ru": "Выручка, P10 (пессимистично)"},
    "moves.metric.p90": {"en": "Revenue, P90 (optimistic)", "ru": "Выручка, P90 (оптимистично)"},
    "moves.metric.p_plan": {"en": "Chance to meet the plan of {plan}", "ru": "Шанс выполнить план {plan}"},
    "moves.metric.leads_mean": {"en": "Leads the plan needs, on average", "ru": "Лидов нужно для плана, в среднем"},
    "moves.metric.leads_conf": {
        "en": "Leads the plan needs, with confidence",
        "ru": "Лидов нужно для плана, с уверенностью",
    },
    "moves.metric.cost": {"en": "Cost of the moves", "ru": "Стоимость ходов"},
    "moves.metric.cost_share": {
        "en": "Cost per unit of expected revenue",
        "ru": "Затраты на рубль ожидаемой выручки",
    },
    "moves.points": {"en": "pp", "ru": "п. п."},
    "moves.on": {"en": "on", "ru": "вкл."},
    "moves.off": {"en": "off", "ru": "выкл."},
    "moves.sentence": {
        "en": "With the {n} moves switched on, the expected revenue goes from {base} to {moved} ({change}) for "
        "{cost}; the chance of meeting the plan of {plan} goes from {p_base} to {p_moved}.",
        "ru": "С включёнными ходами ({n}) ожидаемая выручка меняется с {base} до {moved} ({change}) при затратах "
        "{cost}; шанс выполнить план {plan} — с {p_base} до {p_moved}.",
    },
    "moves.per_move": {"en": "Each move on its own", "ru": "Каждый ход сам по себе"},
    "moves.per_move_caption": {
        "en": "Each move's own extra revenue against the forecast without moves (switched-off moves too, as if on), "
        "and what each unit of its cost brings back, with the P10–P90 band.",
        "ru": "Дополнительная выручка каждого хода по сравнению с прогнозом без ходов (и выключенных — как если бы "
        "их включили) и сколько приносит каждый рубль его стоимости, с полосой P10–P90.",
    },
    "moves.rejected": {
        "en": "Move row {row} is not applied: {reason}",
        "ru": "Ход в строке {row} не применён: {reason}",
    },
    "moves.none": {
        "en": "No move yet: add a row to the table to see its effect on the forecast.",
        "ru": "Ходов пока нет: добавьте строку в таблицу, чтобы увидеть их влияние на прогноз.",
    },
    "moves.no_open": {
        "en": "There are no open deals, so the moves have nothing to act on.",
        "ru": "Открытых сделок нет, поэтому ходам не на что влиять.",
    },
    "moves.how": {"en": "How the moves are computed", "ru": "Как считаются ходы"},
    "moves.how_text": {
        "en": "- The baseline is the forecast at the historical stage win rates (the sliders' starting point).\n"
        "- A conversion move changes the win probability of its stages; every open deal there gets it. The "
        "forecast is then recomputed exactly as with the sliders.\n"
        "- A deal-size move multiplies the amounts of the open deals it reaches and of the deals the plan still "
        "needs.\n"
        "- A lead-volume move adds (factor − 1) × the leads per month of its funnel/segment over the last year, "
        "for {months} months; they enter the first stage at its win probability with the average won deal size.\n"
        "- A cycle-length move changes when deals close, not whether they win: the totals here do not change.\n"
        "- Each move's own extra revenue gives a deal whose probability rises from p to p′ its amount with "
        "probability p′ − p (the same luck with and without the move); P10 and P90 are that distribution's. "
        "Revenue per unit of cost = extra revenue / cost.\n"
        "- Leads needed: the plan's reverse funnel per funnel, on average and with {confidence} confidence.",
        "ru": "- База — прогноз при исторических вероятностях этапов (исходное положение ползунков).\n"
        "- Ход по конверсии меняет вероятность выигрыша со своих этапов; её получают все открытые сделки на них. "
        "Прогноз затем пересчитывается так же, как при движении ползунков.\n"
        "- Ход по размеру сделки умножает суммы открытых сделок, до которых дотягивается, и сделок, которые ещё "
        "нужны для плана.\n"
        "- Ход по потоку лидов добавляет (множитель − 1) × лидов в месяц своей воронки/сегмента за последний год "
        "на {months} мес.; они входят в первый этап с его вероятностью выигрыша и средним размером выигранной "
        "сделки.\n"
        "- Ход по длине цикла меняет, когда сделки закрываются, а не выигрываются ли они: итоги здесь не "
        "меняются.\n"
        "- Собственная доп. выручка хода: сделка, чья вероятность выросла с p до p′, приносит свою сумму с "
        "вероятностью p′ − p (одна и та же удача с ходом и без); P10 и P90 — этого распределения. Выручка на "
        "рубль затрат = доп. выручка / стоимость.\n"
        "- Нужно лидов: обратная воронка плана по каждой воронке, в среднем и с уверенностью {confidence}.",
    },
}
