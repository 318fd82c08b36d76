"""Messages of the plan for a period (Forecast & plan page top): {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "period.title": {"en": "The plan for a period", "ru": "План на период"},
    "period.kind": {"en": "Period", "ru": "Период"},
    "period.kind_help": {
        "en": "Calendar periods count from the data's last date ({as_of}).",
        "ru": "Календарные периоды отсчитываются от последней даты в данных ({as_of}).",
    },
    "period.kind.this_month": {"en": "This month", "ru": "Этот месяц"},
    "period.kind.next_month": {"en": "Next month", "ru": "Следующий месяц"},
    "period.kind.this_quarter": {"en": "This quarter", "ru": "Этот квартал"},
    "period.kind.this_year": {"en": "This year", "ru": "Этот год"},
    "period.kind.custom": {"en": "Dates…", "ru": "Даты…"},
    "period.dates": {"en": "From – to", "ru": "С – по"},
    "period.settings": {"en": "Period assumptions", "ru": "Допущения периода"},
    "period.by_date": {
        "en": "Time deals by the sellers' expected close dates",
        "ru": "Срок сделок — по ожидаемой дате закрытия от продавцов",
    },
    "period.by_date_help": {
        "en": "A deal with an expected close date from today on counts in the period when the date falls in it. Deals without a date, or with one already past, are timed by history.",
        "ru": "Сделка с ожидаемой датой закрытия не раньше сегодняшней считается в периоде, если дата в него попадает. Сделки без даты или с уже прошедшей датой — по срокам из истории.",
    },
    "period.inflow": {"en": "New deals a month", "ru": "Новых сделок в месяц"},
    "period.inflow_help": {
        "en": "Leads that become deals each month; the history's figure is {history} (the last 12 months).",
        "ru": "Сколько новых сделок появляется в месяц; по истории — {history} (последние 12 месяцев).",
    },
    "period.headline": {
        "en": "By {end} you will most likely win {span}; the {plan} plan has a {chance} chance.",
        "ru": "К {end} вы скорее всего выиграете {span}; план {plan} выполнится с вероятностью {chance}.",
    },
    "period.headline_no_plan": {
        "en": "By {end} you will most likely win {span}.",
        "ru": "К {end} вы скорее всего выиграете {span}.",
    },
    "period.headline_need": {
        "en": "For {conf} you need wins beyond the open deals: about {wins}, which takes about {leads} new leads in the period.",
        "ru": "Для {conf} нужны выигрыши сверх открытых сделок: около {wins}, а для них — около {leads} новых лидов за период.",
    },
    "period.headline_covered": {
        "en": "That is at least {conf}: the open deals and the usual inflow of new deals should do it.",
        "ru": "Это не меньше {conf}: открытых сделок и обычного притока новых должно хватить.",
    },
    "period.parts": {
        "en": "Already won in the period: {already}. Open deals expected to be won in it: {pipeline}. New deals created and won in it: {new} (about {wins} wins at {inflow} new deals a month). Expected after the period, not counted: {later}.",
        "ru": "Уже выиграно в периоде: {already}. Открытые сделки, которые ожидаются выигранными в нём: {pipeline}. Новые сделки, созданные и выигранные в нём: {new} (около {wins} выигрышей при {inflow} новых сделок в месяц). Ожидается после периода, не учтено: {later}.",
    },
    "period.parts_before": {
        "en": "Expected between the data's last date and the period's start, not counted: {before}.",
        "ru": "Ожидается между последней датой в данных и началом периода, не учтено: {before}.",
    },
    "period.tile.mean": {"en": "Expected", "ru": "Ожидаемо"},
    "period.tile.mean_help": {
        "en": "The average over all the ways the period can go.",
        "ru": "Среднее по всем вариантам того, как может пройти период.",
    },
    "period.tile.p10": {"en": "Pessimistic (1 in 10 worse)", "ru": "Пессимистично (1 из 10 хуже)"},
    "period.tile.p10_help": {
        "en": "Only 1 time in 10 would the period bring less (P10).",
        "ru": "Только в 1 случае из 10 период принесёт меньше (P10).",
    },
    "period.tile.p90": {"en": "Optimistic (1 in 10 better)", "ru": "Оптимистично (1 из 10 лучше)"},
    "period.tile.p90_help": {
        "en": "Only 1 time in 10 would the period bring more (P90).",
        "ru": "Только в 1 случае из 10 период принесёт больше (P90).",
    },
    "period.tile.p_plan": {"en": "Chance to make the plan", "ru": "Шанс выполнить план"},
    "period.tile.p_plan_help": {
        "en": "The share of the ways the period can go in which it brings at least the plan.",
        "ru": "Доля вариантов хода периода, в которых он приносит не меньше плана.",
    },
    "period.how": {"en": "How this is computed", "ru": "Как это считается"},
    "period.how.forecast": {
        "en": "Revenue of the period = revenue already won in it + open deals won in it + deals from new leads created and won in it.\n\n"
        "- **Open deals.** Deal i (amount aᵢ, win probability pᵢ from the sliders, age a today) is won in the period with probability qᵢ = pᵢ · (CIF_won(a + e) − CIF_won(a + s)) / (CIF_won(∞) − CIF_won(a)): its win, if it comes, is spread over time like the remaining wins of past deals of its age. CIF_won is the Aalen–Johansen cumulative incidence of a win (won and lost compete; open deals are censored); s and e are the period's start and end in days from today. With the expected-date option, a deal with an expected close date from today on is placed by it.\n"
        "- **New leads.** Deals arrive at the inflow rate r (a Poisson stream); one created c days before the period's end is won by then with probability CIF_won(c). The number of such wins is Poisson with mean λ = r · ∫ CIF_won(u) du, each bringing an amount drawn from past won amounts (compound Poisson, computed by FFT on a lattice).\n"
        "- **Sum.** The parts are independent: the open deals' revenue is a sum of Bernoulli amounts (lattice convolution, or the saddlepoint approximation for large pipelines), convolved with the new leads' distribution on one grid. P10/P90: 1 in 10 below / above; the chance to make the plan is P(revenue ≥ plan).\n"
        "- **Wins and leads needed.** The plan minus what is already won, split between funnels by their share of past won revenue; for each, the new wins that with the open deals' luck in the period and the spread of deal sizes reach it with the chosen confidence, and the leads that bring those wins (negative binomial).\n\n"
        "Caveats: deals are taken as independent (one stage's rate being off moves many deals together: see the band with uncertain rates below); the leads needed assume a new lead is won at its first stage's rate, some of those wins may close after the period; the inflow is the last 12 months' average.",
        "ru": "Выручка периода = уже выигранное в нём + открытые сделки, выигранные в нём, + сделки из новых лидов, созданные и выигранные в нём.\n\n"
        "- **Открытые сделки.** Сделка i (сумма aᵢ, вероятность выигрыша pᵢ с ползунков, возраст a сегодня) выигрывается в периоде с вероятностью qᵢ = pᵢ · (CIF_won(a + e) − CIF_won(a + s)) / (CIF_won(∞) − CIF_won(a)): её выигрыш, если он будет, распределён во времени как оставшиеся выигрыши прошлых сделок того же возраста. CIF_won — накопленная частота выигрыша по Аалену–Йохансену (выигрыш и проигрыш конкурируют, открытые сделки цензурированы); s и e — начало и конец периода в днях от сегодня. С опцией ожидаемых дат сделка с ожидаемой датой закрытия не раньше сегодняшней ставится по ней.\n"
        "- **Новые лиды.** Сделки приходят с интенсивностью r (пуассоновский поток); созданная за c дней до конца периода выигрывается к нему с вероятностью CIF_won(c). Число таких выигрышей — пуассоновское со средним λ = r · ∫ CIF_won(u) du, каждый приносит сумму, взятую из прошлых выигранных сумм (сложное пуассоновское распределение, считается через БПФ на решётке).\n"
        "- **Сумма.** Части независимы: выручка открытых сделок — сумма бернуллиевских сумм (свёртка на решётке или седловая аппроксимация для больших воронок), она сворачивается с распределением новых лидов на одной сетке. P10/P90: в 1 случае из 10 ниже / выше; шанс выполнить план — P(выручка ≥ план).\n"
        "- **Нужные выигрыши и лиды.** План за вычетом уже выигранного делится между воронками по их доле в выигранной ранее выручке; для каждой — сколько новых выигрышей с учётом удачи открытых сделок в периоде и разброса чеков дают план с выбранной уверенностью, и сколько лидов дают эти выигрыши (отрицательное биномиальное).\n\n"
        "Оговорки: сделки считаются независимыми (если доля выигрыша этапа ошибочна, сдвигаются сразу многие сделки — см. полосу с неопределёнными долями ниже); нужные лиды считаются по доле выигрыша первого этапа, часть этих выигрышей может закрыться после периода; приток — среднее за последние 12 месяцев.",
    },
    "period.plan_caption": {
        "en": "For {dates}: the open deals count with their chance to be won in the period, and what is already won in it ({already}) comes off the plan.",
        "ru": "За период {dates}: открытые сделки учитываются с вероятностью выигрыша в этом периоде, а уже выигранное в нём ({already}) вычитается из плана.",
    },
    "period.compare.progress": {
        "en": "Replaying the forecast for the previous period and a year ago…",
        "ru": "Повторяем прогноз для прошлого периода и того же периода год назад…",
    },
    # past periods, replayed when asked
    "period.past.title": {
        "en": "How the forecast did before",
        "ru": "Как прогноз работал раньше",
    },
    "period.past.intro": {
        "en": "This period set against the previous one and a year ago, and the forecast made on the first day of each of the last 12 months set against what was then won: how far its figures can be trusted.",
        "ru": "Этот период рядом с предыдущим и тем же периодом год назад, и прогноз, сделанный на первое число каждого из последних 12 месяцев, рядом с тем, что было выиграно на самом деле: насколько можно доверять его цифрам.",
    },
    "period.past.show": {
        "en": "Replay the past periods",
        "ru": "Повторить прогноз за прошлые периоды",
    },
    "period.past.help": {
        "en": "Rebuilds the forecast from the data known on each past date: a few seconds on a large file, then kept while you work.",
        "ru": "Заново строит прогноз по данным, известным на каждую прошлую дату: несколько секунд на большом файле, потом результат сохраняется на время работы.",
    },
    # backtest
    "period.backtest.progress": {
        "en": "Replaying the forecast on the first day of each past month, against what was won…",
        "ru": "Повторяем прогноз на первое число каждого прошлого месяца и сверяем с фактом…",
    },
    "period.backtest.title": {
        "en": "Forecast against actual, past months",
        "ru": "Прогноз против факта за прошлые месяцы",
    },
    "period.backtest.sentence": {
        "en": "Replayed on the first day of each of the last {n} months, the actual revenue fell inside the forecast's likely range (pessimistic to optimistic) in {k} of {n} months ({share}); a well-set range holds it in about 8 months of 10. Actual beat the expected figure in {above} of {n} months.",
        "ru": "Если повторить прогноз на первое число каждого из последних {n} месяцев, фактическая выручка попала в его вероятный диапазон (от пессимистичного до оптимистичного) в {k} из {n} месяцев ({share}); хорошо настроенный диапазон удерживает её примерно в 8 месяцах из 10. Факт был выше ожидаемого в {above} из {n} месяцев.",
    },
    "period.backtest.none": {
        "en": "Not enough history to replay past months: a month needs deals closed, some won, before it.",
        "ru": "Истории недостаточно, чтобы повторить прогноз за прошлые месяцы: до месяца должны быть закрытые сделки, среди них выигранные.",
    },
    "period.backtest.how": {
        "en": "For each past month, the data is cut at 00:00 on its first day: only deals created before then, and a deal closed later counts as open. From that alone, for each funnel and client segment with at least 30 closed deals (the others together): the close timing (Aalen–Johansen), the inflow of new deals (the 12 months before) and past won amounts; each open deal's chance is P(won | still open at its age) from its group's fit, because a deal table does not say which stage a deal was at back then. Groups are kept apart because they win at different rates and paces and their mix drifts as the client base grows: pooled, the replay would be biased low. The month's forecast is then computed as above and set against the revenue actually won in the month. If the range were right, about 8 months in 10 would fall inside it; fewer means the model is too sure (or biased: compare how often actual beats the expected figure, about half is right).",
        "ru": "Для каждого прошлого месяца данные обрезаются на 00:00 его первого числа: только сделки, созданные до этого, а сделка, закрытая позже, считается открытой. Только по ним, для каждой воронки и сегмента клиентов, где не меньше 30 закрытых сделок (остальные — вместе): сроки закрытия (Аален–Йохансен), приток новых сделок (12 месяцев до того) и прошлые выигранные суммы; шанс каждой открытой сделки — P(выигрыш | ещё открыта в своём возрасте) по оценке её группы, потому что таблица сделок не говорит, на каком этапе сделка была тогда. Группы считаются отдельно, потому что выигрывают с разной долей и скоростью, а их смесь меняется по мере роста клиентской базы: вместе повтор был бы смещён вниз. Затем прогноз месяца считается как выше и сравнивается с фактически выигранной в месяце выручкой. Если диапазон верен, в него попадают примерно 8 месяцев из 10; меньше — модель слишком уверена (или смещена: сравните, как часто факт выше ожидаемого, верно — примерно в половине).",
    },
    "period.axis.month": {"en": "Month", "ru": "Месяц"},
    "period.axis.revenue": {"en": "Revenue won", "ru": "Выигранная выручка"},
    "period.axis.band": {"en": "Likely range", "ru": "Вероятный диапазон"},
    "period.series.mean": {"en": "Expected", "ru": "Ожидаемо"},
    "period.series.actual": {"en": "Actually won", "ru": "Выиграно фактически"},
    "period.series.inside": {"en": "Actual inside the range", "ru": "Факт в диапазоне"},
    "period.series.outside": {"en": "Actual outside the range", "ru": "Факт вне диапазона"},
    # breakdown
    "period.breakdown.title": {"en": "Where the period's revenue comes from", "ru": "Откуда берётся выручка периода"},
    "period.breakdown.intro": {
        "en": "Open deals expected to be won in the period: {expected} in all. The largest part comes from {top_funnel} ({top_share}).",
        "ru": "Открытые сделки, которые ожидаются выигранными в периоде: всего {expected}. Больше всего даёт {top_funnel} ({top_share}).",
    },
    "period.breakdown.by_funnel": {"en": "By funnel", "ru": "По воронкам"},
    "period.breakdown.by_owner": {"en": "By seller", "ru": "По продавцам"},
    "period.col.funnel": {"en": "Funnel", "ru": "Воронка"},
    "period.col.owner": {"en": "Seller", "ru": "Продавец"},
    "period.col.deals": {"en": "Open deals", "ru": "Открытых сделок"},
    "period.col.expected": {"en": "Expected in the period", "ru": "Ожидается в периоде"},
    "period.col.sd": {"en": "Spread (± 1 sd)", "ru": "Разброс (± 1 ст. откл.)"},
    "period.col.share": {"en": "Share of expected", "ru": "Доля ожидаемого"},
    "period.deals.title": {"en": "The deals that decide the period", "ru": "Сделки, которые решают период"},
    "period.deals.intro": {
        "en": "The {top} deals with the most expected revenue in the period and the {top} with the most risk (the largest spread a²q(1−q): a big amount with a chance near a half).",
        "ru": "{top} сделок с наибольшей ожидаемой выручкой в периоде и {top} с наибольшим риском (наибольший разброс a²q(1−q): крупная сумма с шансом около половины).",
    },
    "period.col.deal": {"en": "Deal", "ru": "Сделка"},
    "period.col.client": {"en": "Client", "ru": "Клиент"},
    "period.col.stage": {"en": "Stage", "ru": "Этап"},
    "period.col.amount": {"en": "Amount", "ru": "Сумма"},
    "period.col.within": {"en": "Chance in the period", "ru": "Шанс в периоде"},
    "period.col.risk": {"en": "Share of risk", "ru": "Доля риска"},
    "period.categories.title": {"en": "Forecast categories", "ru": "Категории прогноза"},
    "period.categories.sentence": {
        "en": "Commit: deals with at least {commit} chance to be won in the period; best case: {best} up to {commit}; pipeline: the rest with any chance.",
        "ru": "Commit (обязательство): сделки с шансом выигрыша в периоде от {commit}; best case (лучший случай): от {best} до {commit}; pipeline (воронка): остальные с ненулевым шансом.",
    },
    "period.commit": {"en": "Commit from", "ru": "Commit от"},
    "period.best_case": {"en": "Best case from", "ru": "Best case от"},
    "period.category.commit": {"en": "Commit", "ru": "Commit (обязательство)"},
    "period.category.best_case": {"en": "Best case", "ru": "Best case (лучший случай)"},
    "period.category.pipeline": {"en": "Pipeline", "ru": "Pipeline (воронка)"},
    "period.col.category": {"en": "Category", "ru": "Категория"},
    "period.col.cumulative": {
        "en": "If these and the surer ones are all won",
        "ru": "Если выиграть эти и более надёжные",
    },
    "period.breakdown.how": {
        "en": "qᵢ is a deal's chance to be won within the period (its win probability times the share of its win timing that falls in the period). Expected revenue is Σ aᵢqᵢ; the spread is √Σ aᵢ²qᵢ(1−qᵢ), the standard deviation of a sum of independent deals; a deal's share of risk is its aᵢ²qᵢ(1−qᵢ) over the total. Categories sort deals by qᵢ against the two thresholds; the amounts are what they bring if all are won.",
        "ru": "qᵢ — шанс сделки быть выигранной в периоде (вероятность выигрыша, умноженная на долю её сроков, попадающую в период). Ожидаемая выручка — Σ aᵢqᵢ; разброс — √Σ aᵢ²qᵢ(1−qᵢ), стандартное отклонение суммы независимых сделок; доля риска сделки — её aᵢ²qᵢ(1−qᵢ) от общей суммы. Категории делят сделки по qᵢ двумя порогами; суммы — сколько они дадут, если все выиграны.",
    },
    # comparison
    "period.compare.title": {
        "en": "This period against the previous one and a year ago",
        "ru": "Этот период против предыдущего и того же год назад",
    },
    "period.compare.sentence": {
        "en": "Win rate of the deals closed: {this} in this period, {previous} in the previous one, {year_ago} a year ago.",
        "ru": "Доля выигранных среди закрытых сделок: {this} в этом периоде, {previous} в предыдущем, {year_ago} год назад.",
    },
    "period.compare.which.this": {"en": "This period", "ru": "Этот период"},
    "period.compare.which.previous": {"en": "Previous", "ru": "Предыдущий"},
    "period.compare.which.year_ago": {"en": "A year ago", "ru": "Год назад"},
    "period.compare.so_far": {"en": "{dates} (so far)", "ru": "{dates} (пока)"},
    "period.col.period": {"en": "Period", "ru": "Период"},
    "period.col.dates": {"en": "Dates", "ru": "Даты"},
    "period.col.created": {"en": "Deals created", "ru": "Создано сделок"},
    "period.col.won": {"en": "Won", "ru": "Выиграно"},
    "period.col.lost": {"en": "Lost", "ru": "Проиграно"},
    "period.col.win_rate": {"en": "Win rate of closed", "ru": "Доля выигрыша закрытых"},
    "period.col.revenue": {"en": "Revenue won", "ru": "Выигранная выручка"},
    "period.col.forecast": {"en": "Forecast on its first day", "ru": "Прогноз на первый день"},
    "period.col.low": {"en": "Pessimistic then", "ru": "Пессимистично тогда"},
    "period.col.high": {"en": "Optimistic then", "ru": "Оптимистично тогда"},
    "period.compare.how": {
        "en": "Counts: deals created in the period, and deals closed in it (won or lost); the win rate is won over closed. Revenue won is the amount of deals closed won in the period. The forecast on its first day is the backtest's replay (data cut at 00:00 on the first day, chances from the deals' ages); none for a period that has not begun or has no win before it.",
        "ru": "Счёт: сделки, созданные в периоде, и сделки, закрытые в нём (выигранные или проигранные); доля выигрыша — выигранные среди закрытых. Выигранная выручка — сумма сделок, закрытых выигрышем в периоде. Прогноз на первый день — повтор из бэктеста (данные обрезаны на 00:00 первого дня, шансы — по возрасту сделок); его нет для периода, который ещё не начался или до которого не было выигрышей.",
    },
    # the Funnels page's headline: one sentence per funnel
    "headline.title": {"en": "What is happening", "ru": "Что происходит"},
    "headline.rate": {
        "en": "**{funnel}**: {won} of {closed} deals closed in the last {days} days were won ({rate}; {change} against the {days} days before).",
        "ru": "**{funnel}**: из {closed} сделок, закрытых за последние {days} дней, выиграно {won} ({rate}; {change} к предыдущим {days} дням).",
    },
    "headline.rate_nobase": {
        "en": "**{funnel}**: {won} of {closed} deals closed in the last {days} days were won ({rate}); none closed in the {days} days before to compare with.",
        "ru": "**{funnel}**: из {closed} сделок, закрытых за последние {days} дней, выиграно {won} ({rate}); в предыдущие {days} дней закрытых не было, сравнить не с чем.",
    },
    "headline.quiet": {
        "en": "**{funnel}**: no deal closed in the last {days} days.",
        "ru": "**{funnel}**: за последние {days} дней не закрыто ни одной сделки.",
    },
    "headline.todo": {
        "en": "To do: lift the weakest step, “{previous}” → “{stage}”, where {pct} of deals go on.",
        "ru": "Что делать: поднять самый слабый шаг «{previous}» → «{stage}», где дальше проходят {pct} сделок.",
    },
    "headline.todo_falling": {
        "en": "The win rate is falling: start with the weakest step, “{previous}” → “{stage}”, where {pct} of deals go on.",
        "ru": "Доля выигрыша падает: начните с самого слабого шага «{previous}» → «{stage}», где дальше проходят {pct} сделок.",
    },
    "headline.todo_none": {
        "en": "No step has enough closed deals yet to name the weakest one.",
        "ru": "Ни на одном шаге пока недостаточно закрытых сделок, чтобы назвать самый слабый.",
    },
    "headline.todo_unknown": {
        "en": "Lost deals carry no loss stage, so the weakest step cannot be named: record where deals are lost.",
        "ru": "У проигранных сделок не указан этап проигрыша, поэтому самый слабый шаг не назвать: записывайте, где сделки теряются.",
    },
    "headline.pp": {"en": "pp", "ru": "п.п."},
    "headline.how": {
        "en": "Win rate: deals closed won over all deals closed (won or lost) in the window, per funnel and client segment, for all sellers; the change is in percentage points against the window before. The weakest step is the step with the lowest settled conversion (deals still sitting at the stage before it are left out), among steps with enough deals; the same step the conversion section below names.",
        "ru": "Доля выигрыша: выигранные среди всех закрытых (выигранных и проигранных) сделок за окно, по воронке и сегменту клиентов, по всем продавцам; изменение — в процентных пунктах к предыдущему окну. Самый слабый шаг — шаг с наименьшей устоявшейся конверсией (сделки, ещё стоящие на предыдущем этапе, не учитываются) среди шагов с достаточным числом сделок; тот же шаг, что назван в разделе о конверсии ниже.",
    },
    # the Compensation page's period: first and last month
    "compensation.period_from": {"en": "From month (close date)", "ru": "С месяца (дата закрытия)"},
    "compensation.period_to": {"en": "To month, inclusive", "ru": "По месяц включительно"},
    "period.all_open_note": {
        "en": "Below: all open deals, whenever they close (not only in the period), with the chance that they alone bring the plan.",
        "ru": "Ниже: все открытые сделки, когда бы они ни закрылись (не только в периоде), и вероятность, что они одни дадут план.",
    },
}
