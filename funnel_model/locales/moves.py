"""Messages of the moves (offers and marketing levers) on the Forecast page: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "moves.title": {"en": "Offers and marketing moves", "ru": "Предложения и маркетинговые ходы"},
    "moves.intro": {
        "en": "A move acts on a funnel, a client segment and/or a stage (blank: everywhere) and changes the "
        "stage's win probability, the deal size, the lead volume or the cycle length, at a cost. Its effect is "
        "measured on {what}, at the sliders' probabilities above. Switch moves on and off, add rows, or delete them.",
        "ru": "Ход действует на воронку, сегмент клиентов и/или этап (пусто — везде) и меняет вероятность "
        "выигрыша с этапа, размер сделки, поток лидов или длину цикла — за свою цену. Его эффект считается на "
        "{what} при вероятностях ползунков выше. Включайте и выключайте ходы, добавляйте и удаляйте строки.",
    },
    "moves.intro_period": {
        "en": "the revenue of the chosen period ({dates})",
        "ru": "выручке выбранного периода ({dates})",
    },
    "moves.intro_all": {
        "en": "everything the open deals will bring, whenever they close",
        "ru": "всём, что принесут открытые сделки, когда бы они ни закрылись",
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
    "moves.col.extra_p10": {"en": "Extra revenue, pessimistic", "ru": "Доп. выручка, пессимистично"},
    "moves.col.extra_p90": {"en": "Extra revenue, optimistic", "ru": "Доп. выручка, оптимистично"},
    "moves.col.return_mean": {"en": "Revenue per unit of cost", "ru": "Выручка на рубль затрат"},
    "moves.col.return_p10": {"en": "Per unit of cost, pessimistic", "ru": "На рубль затрат, пессимистично"},
    "moves.col.return_p90": {"en": "Per unit of cost, optimistic", "ru": "На рубль затрат, оптимистично"},
    "moves.metric.mean": {"en": "Expected revenue", "ru": "Ожидаемая выручка"},
    "moves.metric.p10": {
        "en": "Revenue, pessimistic (1 in 10 worse)",
        "ru": "Выручка, пессимистично (1 из 10 хуже)",
    },
    "moves.metric.p90": {
        "en": "Revenue, optimistic (1 in 10 better)",
        "ru": "Выручка, оптимистично (1 из 10 лучше)",
    },
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
        "and what each unit of its cost brings back, with a pessimistic and an optimistic figure (1 in 10 worse, "
        "1 in 10 better).",
        "ru": "Дополнительная выручка каждого хода по сравнению с прогнозом без ходов (и выключенных — как если бы "
        "их включили) и сколько приносит каждый рубль его стоимости, пессимистично и оптимистично (1 из 10 хуже, "
        "1 из 10 лучше).",
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
        "en": "- The baseline is the forecast above: the sliders' probabilities (each deal's own where you chose "
        "so) and, with a period chosen, the revenue won in that period with its lead inflow and expected-date "
        "setting. The figures without moves are those of the page's headline.\n"
        "- A conversion move changes the win probability of the open deals at its stages (and of the stages, for "
        "the plan); the forecast is then recomputed exactly as with the sliders.\n"
        "- A deal-size move multiplies the amounts of the open deals it reaches and of the deals the plan still "
        "needs.\n"
        "- A lead-volume move multiplies the leads of its funnel/segment: the period's new-lead inflow grows by "
        "(factor − 1) × their share of the leads of the last year. Without dates (no period) it adds (factor − 1) "
        "× their leads per month for {months} months at the first stage's win probability and the average won "
        "deal size.\n"
        "- A cycle-length move multiplies the time to close (0.8 = 20 % shorter): the time each open deal it "
        "reaches still needs, and the whole cycle of new leads. It is the period forecast recomputed with every "
        "close time of the history and every reached deal's age multiplied by the factor; the chance to win does "
        "not change, so for a period that starts now a shorter cycle brings more of the pipeline into it and a "
        "longer one less (for a later period it can go either way: a shorter cycle also closes deals before it).\n"
        "- New leads are pooled over funnels and segments in the period forecast: a deal-size or cycle move "
        "reaches them only when it acts everywhere (no funnel, segment or stage).\n"
        "- Each move's own extra revenue gives a deal whose chance (in the period) rises from p to p′ its amount "
        "with probability p′ − p (the same luck with and without the move), a deal whose chance falls loses it "
        "with probability p − p′, plus the change in new-lead wins (compound Poisson); the pessimistic and "
        "optimistic figures are the P10 and P90 of this sum. Revenue "
        "per unit of cost = extra revenue / cost.\n"
        "- Leads needed: the plan's reverse funnel per funnel, for what the plan still needs, on average and with "
        "{confidence} confidence.",
        "ru": "- База — прогноз выше: вероятности ползунков (или собственные вероятности сделок, если так выбрано) "
        "и, если выбран период, выручка, выигранная в этом периоде, с его потоком лидов и настройкой ожидаемых "
        "дат. Цифры без ходов — те же, что в заголовке страницы.\n"
        "- Ход по конверсии меняет вероятность выигрыша открытых сделок на своих этапах (и самих этапов — для "
        "плана); прогноз затем пересчитывается так же, как при движении ползунков.\n"
        "- Ход по размеру сделки умножает суммы открытых сделок, до которых дотягивается, и сделок, которые ещё "
        "нужны для плана.\n"
        "- Ход по потоку лидов умножает лиды своей воронки/сегмента: поток новых лидов периода растёт на "
        "(множитель − 1) × их долю в лидах последнего года. Без дат (без периода) он добавляет (множитель − 1) × "
        "их лидов в месяц на {months} мес. с вероятностью первого этапа и средним размером выигранной сделки.\n"
        "- Ход по длине цикла умножает время до закрытия (0,8 — на 20 % короче): время, которое ещё нужно каждой "
        "открытой сделке, до которой он дотягивается, и весь цикл новых лидов. Это прогноз периода, пересчитанный "
        "с каждым сроком закрытия в истории и возрастом каждой такой сделки, умноженными на множитель; шанс "
        "выигрыша не меняется, поэтому в период, который начинается сейчас, короткий цикл приносит больше воронки, "
        "а длинный — меньше (в более поздний период — как выйдет: короткий цикл закрывает сделки и до него).\n"
        "- Новые лиды в прогнозе периода общие для всех воронок и сегментов: ход по размеру сделки или длине "
        "цикла действует на них, только если он действует везде (без воронки, сегмента и этапа).\n"
        "- Собственная доп. выручка хода: сделка, чей шанс (в периоде) вырос с p до p′, приносит свою сумму с "
        "вероятностью p′ − p (одна и та же удача с ходом и без), сделка, чей шанс упал, теряет её с вероятностью "
        "p − p′, плюс изменение выигрышей новых лидов (сложное пуассоновское); пессимистичная и оптимистичная "
        "цифры — P10 и P90 этой суммы. Выручка "
        "на рубль затрат = доп. выручка / стоимость.\n"
        "- Нужно лидов: обратная воронка плана по каждой воронке — на то, что плану ещё нужно, в среднем и с "
        "уверенностью {confidence}.",
    },
}
