"""Messages of the forecast area: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "forecast.will_show": {
        "en": "the revenue forecast for a period with a pessimistic and an optimistic figure and the chance of meeting the plan, what-if sliders per stage, revenue by close month, and the leads the plan needs.",
        "ru": "прогноз выручки на период с пессимистичной и оптимистичной оценкой и шансом выполнить план, ползунки «что если» по этапам, выручка по месяцам закрытия и сколько лидов нужно для плана.",
    },
    "forecast.intro": {
        "en": "Open deals: {n}. Their revenue: each is won with the probability of its stage (the sliders) or lost. What-if is set beside the stages' historical win rates.",
        "ru": "Открытых сделок: {n}. Их выручка: каждая выигрывается с вероятностью своего этапа (ползунки) или проигрывается. Сценарий «что если» сравнивается с историческими долями выигрыша этапов.",
    },
    "forecast.no_deals": {
        "en": "No deals loaded: upload a CRM export on the Data page or choose the demo data.",
        "ru": "Сделки не загружены: загрузите выгрузку из CRM на странице «Данные» или выберите демо-данные.",
    },
    "forecast.no_open": {
        "en": "There are no open deals: the pipeline brings nothing, the whole plan must come from new leads (see the plan below).",
        "ru": "Открытых сделок нет: воронка ничего не принесёт, весь план придётся делать на новых лидах (см. план ниже).",
    },
    "forecast.no_stages": {
        "en": "The funnel config has no open stages, so there is nothing to put a probability on. Edit the config on the Data page.",
        "ru": "В настройке воронок нет открытых этапов — вероятности ставить не на что. Отредактируйте настройку на странице «Данные».",
    },
    "forecast.plan": {"en": "Revenue plan for the period", "ru": "План выручки на период"},
    "forecast.plan_help": {
        "en": "The revenue to reach in the chosen period; the chance to make the plan is the chance of at least this much.",
        "ru": "Выручка, которую нужно получить за выбранный период; шанс выполнить план — вероятность получить не меньше.",
    },
    "forecast.sliders": {"en": "Win probability per stage", "ru": "Вероятность выигрыша по этапам"},
    "forecast.sliders_help": {
        "en": "Defaults come from the funnel config; each label shows the stage's historical win rate with its 90 % interval and the closed deals it comes from (the configured probability counts as one more deal, so a stage with few closed deals stays near it). Where one funnel's open deals belong to several client segments (new, active, dormant clients in one CRM pipeline), each segment has its own sliders and its own historical rates.",
        "ru": "По умолчанию — из настройки воронок; в подписи — историческая доля выигрыша этапа, её 90-процентный интервал и закрытые сделки, по которым она посчитана (вероятность из настройки весит как ещё одна сделка, поэтому у этапа с малым числом закрытых сделок оценка остаётся рядом с ней). Если открытые сделки одной воронки относятся к разным сегментам клиентов (новые, действующие, спящие в одной воронке CRM), у каждого сегмента свои ползунки и свои исторические доли.",
    },
    "forecast.funnel_label": {
        "en": "{funnel} · {segment} · open deals: {n}",
        "ru": "{funnel} · {segment} · открытых сделок: {n}",
    },
    "forecast.slider_label": {
        "en": "{stage} ({n} open) · hist. {rate} ({low}–{high} %; won {won} of {closed})",
        "ru": "{stage} ({n} откр.) · ист. {rate} ({low}–{high} %; выиграно {won} из {closed})",
    },
    "forecast.slider_help": {
        "en": "{won} won and {lost} lost among closed deals that reached this stage; config: {configured}.",
        "ru": "Среди закрытых сделок, дошедших до этапа: выиграно {won}, проиграно {lost}; в настройке: {configured}.",
    },
    "forecast.reset": {"en": "Reset to config", "ru": "Как в настройке"},
    "forecast.slider_label_borrowed": {
        "en": "{stage} ({n} open) · hist. {rate}, partly the funnel's (segment: {closed} closed)",
        "ru": "{stage} ({n} откр.) · ист. {rate}, отчасти по воронке (в сегменте закрыто {closed})",
    },
    "forecast.slider_label_unknown": {
        "en": "{stage} ({n} open) · hist. unknown",
        "ru": "{stage} ({n} откр.) · ист. неизвестна",
    },
    "forecast.slider_help_unknown": {
        "en": "The file does not say at which stage lost deals were lost, so the history cannot tell the win rate from this stage (only from the first one, which every deal reached). The slider and the historical baseline use the config's {configured}. Map a loss-stage column or add the stage history on the Data page.",
        "ru": "В файле не сказано, на каком этапе проиграны сделки, поэтому по истории нельзя узнать долю выигрыша с этого этапа (только с первого — его прошли все сделки). Ползунок и исторический вариант берут значение из настройки: {configured}. Сопоставьте колонку с этапом проигрыша или добавьте историю этапов на странице «Данные».",
    },
    "forecast.slider_help_segment": {
        "en": "{won} won and {lost} lost among this segment's closed deals that reached this stage; config: {configured}.",
        "ru": "Среди закрытых сделок этого сегмента, дошедших до этапа: выиграно {won}, проиграно {lost}; в настройке: {configured}.",
    },
    "forecast.slider_help_borrowed": {
        "en": "Only {won} won and {lost} lost among this segment's closed deals that reached this stage, too few for a rate of its own: the missing observations are filled with the whole funnel's rate ({funnel_rate}). Config: {configured}.",
        "ru": "Среди закрытых сделок этого сегмента, дошедших до этапа, выиграно лишь {won} и проиграно {lost} — слишком мало для собственной доли: недостающие наблюдения дополнены долей всей воронки ({funnel_rate}). В настройке: {configured}.",
    },
    "forecast.reset_group": {"en": "Reset", "ru": "Сброс"},
    "forecast.reset_group_help": {
        "en": "This segment's sliders back to the funnel config; the other segments keep theirs.",
        "ru": "Вернуть ползунки этого сегмента к настройке воронки; у других сегментов они не меняются.",
    },
    "forecast.use_history_group": {"en": "History", "ru": "История"},
    "forecast.use_history_group_help": {
        "en": "This segment's sliders to its historical win rates; the other segments keep theirs.",
        "ru": "Поставить ползунки этого сегмента на его исторические доли выигрыша; у других сегментов они не меняются.",
    },
    "forecast.use_history": {"en": "Use history", "ru": "По истории"},
    "forecast.own": {"en": "Sellers' own probabilities", "ru": "Вероятности продавцов"},
    "forecast.own_help": {
        "en": "Use each deal's own probability where the seller set one, instead of its stage's slider.",
        "ru": "Брать вероятность, которую продавец поставил сделке, где она есть, вместо ползунка её этапа.",
    },
    "forecast.unit.k": {"en": "thousands", "ru": "тысячах"},
    "forecast.unit.m": {"en": "millions", "ru": "миллионах"},
    "forecast.unit.b": {"en": "billions", "ru": "миллиардах"},
    "forecast.axis.plan_series": {"en": "Deals", "ru": "Сделки"},
    "forecast.whatif": {"en": "What-if (sliders)", "ru": "Что если (ползунки)"},
    "forecast.baseline": {"en": "Historical rates", "ru": "Исторические доли"},
    "forecast.mean": {
        "en": "Expected",
        "ru": "Ожидаемо",
    },
    "forecast.p10": {
        "en": "Pessimistic (1 in 10 worse)",
        "ru": "Пессимистично (1 из 10 хуже)",
    },
    "forecast.p90": {
        "en": "Optimistic (1 in 10 better)",
        "ru": "Оптимистично (1 из 10 лучше)",
    },
    "forecast.p_plan": {
        "en": "Chance to make the plan",
        "ru": "Шанс выполнить план",
    },
    "forecast.mean_help": {
        "en": "Expected revenue: the sum of amount × win probability over the open deals.",
        "ru": "Ожидаемая выручка: сумма «сумма сделки × вероятность выигрыша» по открытым сделкам.",
    },
    "forecast.p10_help": {
        "en": "Pessimistic: a 90 % chance of at least this much.",
        "ru": "Пессимистично: с вероятностью 90 % выручка будет не меньше.",
    },
    "forecast.p90_help": {
        "en": "Optimistic: only a 10 % chance of more.",
        "ru": "Оптимистично: больше — лишь с вероятностью 10 %.",
    },
    "forecast.amounts_in": {"en": "amounts in {unit}", "ru": "суммы в {unit}"},
    "forecast.pp": {"en": "pp", "ru": "п. п."},
    "forecast.p_plan_help": {
        "en": "Chance that the open deals bring at least the plan.",
        "ru": "Вероятность, что открытые сделки принесут не меньше плана.",
    },
    "forecast.plan_how": {
        "en": "On average: the gap over the mean deal size and the stage's win rate. At the confidence: the new wins that, with the pipeline's luck and the spread of deal sizes, cover the plan in that share of scenarios, and the deals at each stage that bring those wins with the same confidence (Monte Carlo, negative binomial).",
        "ru": "В среднем: недостающая выручка делится на средний чек и на долю выигрыша этапа. С уверенностью: столько новых выигрышей, чтобы с учётом удачи открытых сделок и разброса чеков план выполнялся в этой доле сценариев, и столько сделок на каждом этапе, чтобы они дали эти выигрыши с той же уверенностью (Монте-Карло, отрицательное биномиальное).",
    },
    "forecast.months_how": {
        "en": "When deals close is estimated from history with the Aalen–Johansen estimator (won and lost compete, open deals count as still running), for each open deal given its age; new leads arrive at the last 12 months' rate and convert as before. Whiskers: P10–P90 of the month's revenue, open deals and new leads together.",
        "ru": "Когда закроются сделки, оценено по истории методом Аалена — Йохансена (выигрыш и проигрыш конкурируют, открытые сделки учтены как незавершённые) для каждой открытой сделки с учётом её возраста; новые лиды приходят с темпом последних 12 месяцев и конвертируются как раньше. Усы — P10–P90 выручки месяца, открытые сделки и новые лиды вместе.",
    },
    "forecast.how_tiles": {
        "en": "Expected is E[S], the sum of amount × win probability over the open deals; pessimistic and optimistic are P10 and P90 of the revenue S (1 in 10 below, 1 in 10 above); the chance to make the plan is P(S ≥ plan). Both bands are P10–P90.",
        "ru": "Ожидаемо — E[S], сумма «сумма × вероятность выигрыша» по открытым сделкам; пессимистично и оптимистично — P10 и P90 выручки S (в 1 случае из 10 ниже, в 1 из 10 выше); шанс выполнить план — P(S ≥ план). Оба диапазона — P10–P90.",
    },
    "forecast.bands_sentence": {
        "en": "At the historical rates, 8 times in 10 the open deals bring {independent} if each deal is won or lost on its own; allowing that the stages' win rates themselves may be off, {uncertain}.",
        "ru": "При исторических долях в 8 случаях из 10 открытые сделки принесут {independent}, если каждая сделка выигрывается или проигрывается сама по себе; с учётом того, что сами доли выигрыша этапов могут быть неточны, — {uncertain}.",
    },
    "forecast.all_sentence": {
        "en": "With the sliders as set, the open deals will most likely bring {span} in all (expected {mean}); the chance that they alone make the {plan} plan is {chance}. At the historical rates: expected {base_mean}, a {base_chance} chance.",
        "ru": "При ползунках как сейчас открытые сделки, скорее всего, принесут всего {span} (ожидаемо {mean}); шанс, что одни они дадут план {plan}, — {chance}. При исторических долях: ожидаемо {base_mean}, шанс {base_chance}.",
    },
    "forecast.all_title": {
        "en": "Everything the open deals can bring, whenever they close",
        "ru": "Всё, что могут принести открытые сделки, когда бы они ни закрылись",
    },
    "forecast.method.exact": {
        "en": "Exact: every outcome of every deal counted on a lattice.",
        "ru": "Точно: все исходы всех сделок посчитаны на решётке.",
    },
    "forecast.method.lattice": {
        "en": "Lattice convolution with amounts rounded to a grid step of {step}; the mean is exact, quantiles from P1 to P99 are within ±{error} (a guaranteed bound, not an estimate).",
        "ru": "Свёртка на решётке, суммы округлены до шага {step}; среднее точное, квантили от P1 до P99 — в пределах ±{error} (гарантированная граница, а не оценка).",
    },
    "forecast.method.saddlepoint": {
        "en": "Saddlepoint approximation (the pipeline is large); quantiles from P1 to P99 are within ±{error} (a guaranteed bound from the Berry–Esseen theorem; the approximation is usually much closer).",
        "ru": "Седловая аппроксимация (воронка большая); квантили от P1 до P99 — в пределах ±{error} (гарантированная граница по теореме Берри — Эссеена; обычно аппроксимация гораздо точнее).",
    },
    "forecast.method.point": {
        "en": "No uncertainty: every deal is certain (probability 0 or 1) or has no amount.",
        "ru": "Неопределённости нет: у всех сделок вероятность 0 или 1 либо нет суммы.",
    },
    "forecast.dist_title": {"en": "Distribution of pipeline revenue", "ru": "Распределение выручки воронки"},
    "forecast.axis.revenue": {"en": "Revenue", "ru": "Выручка"},
    "forecast.axis.probability": {"en": "Probability", "ru": "Вероятность"},
    "forecast.axis.series": {"en": "Rates", "ru": "Вероятности"},
    "forecast.axis.band": {"en": "Band", "ru": "Диапазон"},
    "forecast.plan_line": {"en": "plan", "ru": "план"},
    "forecast.bands_title": {
        "en": "How sure: the likely range, two ways",
        "ru": "Насколько уверенно: вероятный диапазон двумя способами",
    },
    "forecast.band.independent": {"en": "Deals independent", "ru": "Сделки независимы"},
    "forecast.band.uncertain": {"en": "Stage rates uncertain", "ru": "Доли этапов неточны"},
    "forecast.bands_why": {
        "en": "The second band is wider because a stage's true win rate is known only from a limited history: if it is really lower, all the deals at that stage fail together, and such shared luck does not average out over many deals the way independent deals do. Here each stage's rate (each segment's, where a funnel's sliders are split by segment) is drawn from a Beta distribution centred on the historical rate used above and as wide as the number of its closed deals leaves it (with no closed deal, centred on the configured probability), and then each deal's outcome is drawn.",
        "ru": "Второй диапазон шире, потому что истинная доля выигрыша этапа известна лишь по ограниченной истории: если на деле она ниже, то проваливаются сразу все сделки этого этапа, и такое общее везение или невезение не усредняется на многих сделках, как у независимых сделок. Здесь доля каждого этапа (каждого сегмента, если ползунки воронки разделены по сегментам) берётся из бета-распределения с центром в исторической доле, использованной выше, и шириной, которую оставляет число его закрытых сделок (без закрытых сделок — с центром в настроенной вероятности), а затем разыгрывается исход каждой сделки.",
    },
    "forecast.months_title": {"en": "Revenue by close month", "ru": "Выручка по месяцам закрытия"},
    "forecast.months_note": {
        "en": "Over the {n} months shown, the open deals and new leads ({inflow} new deals a month) are expected to bring {total}; the biggest month is {top_month} with {top}. {later} of the open deals is expected to close after that. Each whisker holds 8 of 10 outcomes of its month.",
        "ru": "За показанные {n} мес. открытые сделки и новые лиды (новых сделок в месяц: {inflow}) ожидаемо принесут {total}; больше всего — за месяц {top_month}: {top}. Ещё {later} открытых сделок ожидается позже. Каждый «ус» вмещает 8 из 10 исходов своего месяца.",
    },
    "forecast.no_dates": {
        "en": "The deals have no usable creation and close dates, so the timing of closes cannot be estimated.",
        "ru": "У сделок нет пригодных дат создания и закрытия, поэтому время закрытия оценить нельзя.",
    },
    "forecast.axis.month": {"en": "Month", "ru": "Месяц"},
    "forecast.axis.source": {"en": "From", "ru": "Откуда"},
    "forecast.month.pipeline": {"en": "Open deals", "ru": "Открытые сделки"},
    "forecast.month.new": {"en": "New leads", "ru": "Новые лиды"},
    "forecast.plan_title": {"en": "The plan worked backwards", "ru": "План в обратную сторону"},
    "forecast.confidence": {"en": "Confidence", "ru": "Уверенность"},
    "forecast.confidence_help": {
        "en": 'The least chance of meeting the plan that the counts "at confidence" give (deal sizes vary, wins are random). They also bring the wins shown with this confidence, so they often give more: the chance they really give is stated under each funnel.',
        "ru": "Наименьшая вероятность выполнить план, которую дают количества «с уверенностью» (суммы сделок разные, выигрыши случайны). Они же с этой уверенностью дают показанное число выигрышей, поэтому часто дают и больше: настоящая вероятность указана под каждой воронкой.",
    },
    "forecast.plan_note": {
        "en": "The plan is split between funnels, and within a funnel between its client segments, by their share of past won revenue; each part's open deals bring some of it, the rest must come from new deals. Bars: deals that must reach each stage, beside the open deals now at that stage or later.",
        "ru": "План делится между воронками, а внутри воронки — между сегментами клиентов, по их доле в выигранной ранее выручке; часть дадут открытые сделки этой части, остальное — новые сделки. Столбцы: сколько сделок должно дойти до каждого этапа, рядом — открытые сделки на этом этапе или дальше.",
    },
    "forecast.plan_funnel": {
        "en": "Plan {target}; open deals bring {pipeline} on average; left for new deals: {gap}. On average, new wins needed: {wins_mean}; leads: {leads_mean}. At {conf}: in {conf} of scenarios the open deals plus this many new wins cover the plan: {wins_conf}; leads that bring that many wins at {conf}: {leads_conf} (with them the plan is met in {chance} of scenarios).",
        "ru": "План {target}; открытые сделки дадут в среднем {pipeline}; остаётся на новые сделки: {gap}. В среднем нужно новых выигрышей: {wins_mean}; лидов: {leads_mean}. При уверенности {conf}: новых выигрышей, с которыми открытые сделки покрывают план в {conf} сценариев: {wins_conf}; лидов, которые дают столько выигрышей с уверенностью {conf}: {leads_conf} (с ними план выполняется в {chance} сценариев).",
    },
    "forecast.plan_no_won": {
        "en": "The plan cannot be worked backwards: the data has no won deal with an amount, so there is no deal size to turn the revenue plan into wins and leads. Upload a longer period (more history) that includes won deals, or check on the Data page that the amount column is mapped.",
        "ru": "План нельзя разложить в обратную сторону: в данных нет выигранных сделок с суммой, поэтому неоткуда взять средний чек, чтобы пересчитать план выручки в выигрыши и лиды. Загрузите выгрузку за больший период (с историей выигранных сделок) или проверьте на странице «Данные», что колонка суммы сопоставлена.",
    },
    "forecast.plan_no_closed": {
        "en": "The plan cannot be worked backwards: no deal in the data has closed yet, so there is neither a deal size nor a win rate to go by. Upload a longer period (more history) that includes won and lost deals.",
        "ru": "План нельзя разложить в обратную сторону: ни одна сделка в данных ещё не закрыта, поэтому нет ни среднего чека, ни доли выигрыша. Загрузите выгрузку за больший период (с историей выигранных и проигранных сделок).",
    },
    "forecast.months_no_won": {
        "en": "No deal in the data has been won yet, so when the open deals will be won cannot be estimated from history. Upload a longer period (more history) that includes won deals.",
        "ru": "В данных пока нет ни одной выигранной сделки, поэтому по истории нельзя оценить, когда будут выиграны открытые сделки. Загрузите выгрузку за больший период (с историей выигранных сделок).",
    },
    "forecast.months_no_closed": {
        "en": "No deal in the data has closed yet, so when the open deals will close cannot be estimated from history. Upload a longer period (more history) that includes closed deals.",
        "ru": "Ни одна сделка в данных ещё не закрыта, поэтому по истории нельзя оценить, когда закроются открытые сделки. Загрузите выгрузку за больший период (с историей закрытых сделок).",
    },
    "forecast.series.needed_mean": {"en": "Needed, on average", "ru": "Нужно в среднем"},
    "forecast.series.needed_conf": {"en": "Needed at {conf}", "ru": "Нужно при {conf}"},
    "forecast.series.actual": {"en": "Open now, at or past the stage", "ru": "Открыто сейчас на этапе и дальше"},
    "forecast.axis.stage": {"en": "Stage", "ru": "Этап"},
    "forecast.axis.deals": {"en": "Deals", "ru": "Сделки"},
    "forecast.unreachable": {
        "en": "cannot be reached: a stage has a win probability of 0",
        "ru": "недостижимо: у этапа вероятность выигрыша 0",
    },
}
