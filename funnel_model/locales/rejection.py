"""Messages of the rejection area: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "rejection.will_show": {
        "en": "the trainer's view of “nine rejections out of ten”: attempts per deal, rejection streaks, luck or skill.",
        "ru": "взгляд тренера на «девять отказов из десяти»: попытки на сделку, серии отказов, удача или мастерство.",
    },
    # errors raised by funnel_model.rejection
    "rejection.error.p": {
        "en": "{name} is a probability and must be between 0 and 1 (for 10 % enter 0.1); got {value}.",
        "ru": "{name} — вероятность, она должна быть от 0 до 1 (для 10 % введите 0.1); получено {value}.",
    },
    "rejection.error.p_positive": {
        "en": "{name} must be above 0 and at most 1 (for 10 % enter 0.1); got {value}. With a rate of 0 no deal ever comes.",
        "ru": "{name} должна быть больше 0 и не больше 1 (для 10 % введите 0.1); получено {value}. При нулевой конверсии сделки не будет никогда.",
    },
    "rejection.error.count": {
        "en": "{name} is a count and must be a whole number of at least {minimum}; got {value}.",
        "ru": "{name} — это количество, нужно целое число не меньше {minimum}; получено {value}.",
    },
    "rejection.error.wins": {
        "en": "Seller {who} has {wins} deals out of {n} attempts: deals cannot exceed attempts. Enter at most {n} deals or more attempts.",
        "ru": "У продавца {who} сделок {wins} из {n} попыток: сделок не может быть больше, чем попыток. Введите не больше {n} сделок или больше попыток.",
    },
    "rejection.error.confidence": {
        "en": "A 100 % chance of a deal is never reached when some attempts fail; choose a confidence below 1 (got {value}).",
        "ru": "Стопроцентной уверенности в сделке не бывает, если часть попыток неудачна; выберите уверенность меньше 1 (получено {value}).",
    },
    "rejection.error.deal_value": {
        "en": "The deal value must be a number of 0 or more; got {value}.",
        "ru": "Сумма сделки должна быть числом не меньше 0; получено {value}.",
    },
    "rejection.error.prior_deals": {
        "en": "The weight of the team's rate is a number of deals, 0 or more; got {value}.",
        "ru": "Вес конверсии команды — число сделок, 0 или больше; получено {value}.",
    },
    "rejection.error.rates_length": {
        "en": "One close rate per attempt is needed: {n} attempts but {size} rates. Give a single rate or exactly {n}.",
        "ru": "Нужна одна конверсия на каждую попытку: попыток {n}, а конверсий {size}. Укажите одну конверсию или ровно {n}.",
    },
    # page: controls
    "rejection.presenter": {"en": "Presenter", "ru": "Для зала"},
    "rejection.previous": {"en": "← Previous", "ru": "← Назад"},
    "rejection.next": {"en": "Next →", "ru": "Дальше →"},
    "rejection.where": {"en": "**{at} / {total}** · {title}", "ru": "**{at} / {total}** · {title}"},
    "rejection.how": {"en": "How this is computed", "ru": "Как это посчитано"},
    "rejection.p": {"en": "Close rate", "ru": "Конверсия в сделку"},
    "rejection.n": {"en": "Attempts (e.g. a month of calls)", "ru": "Попыток (например, звонки за месяц)"},
    "rejection.intro": {
        "en": "At a close rate of {p}, about {rejections} of every 10 attempts end in “no”. That is the normal result: every rejection brings the next deal closer.",
        "ru": "При конверсии {p} примерно {rejections} из каждых 10 попыток заканчиваются «нет». Это нормальный результат: каждый отказ приближает следующую сделку.",
    },
    # attempts until a deal
    "rejection.attempts.header": {"en": "Attempts until a deal", "ru": "Сколько попыток до сделки"},
    "rejection.per_deal": {"en": "Attempts per deal", "ru": "Попыток на одну сделку"},
    "rejection.per_deal.sentence": {
        "en": "On average one deal comes every {value} attempts.",
        "ru": "В среднем одна сделка приходится на {value} попыток.",
    },
    "rejection.no_deal": {"en": "No deal in {n} attempts", "ru": "Ни одной сделки за {n} попыток"},
    "rejection.no_deal.sentence": {
        "en": "It happens to about one seller in {one_in} at this rate, through no fault of their own.",
        "ru": "Так бывает примерно у одного продавца из {one_in} при такой конверсии, и это не его вина.",
    },
    "rejection.for_90": {"en": "Attempts for a 90 % chance", "ru": "Попыток для 90 % шанса"},
    "rejection.for_90.sentence": {
        "en": "After {value} attempts, 9 sellers out of 10 have at least one deal.",
        "ru": "После {value} попыток у 9 продавцов из 10 есть хотя бы одна сделка.",
    },
    "rejection.chart.attempt": {"en": "Attempt", "ru": "Попытка"},
    "rejection.chart.first_deal_here": {"en": "Chance of the first deal", "ru": "Шанс первой сделки"},
    "rejection.chart.within": {"en": "within {k} attempts (90 %)", "ru": "за {k} попыток (90 %)"},
    "rejection.chart.later": {"en": "later", "ru": "позже"},
    # streaks
    "rejection.streak.header": {"en": "Runs of rejections", "ru": "Серии отказов"},
    "rejection.k": {"en": "Run of rejections in a row", "ru": "Отказов подряд"},
    "rejection.streak.expected": {"en": "Longest run, on average", "ru": "Самая длинная серия, в среднем"},
    "rejection.streak.expected.sentence": {
        "en": "A typical seller meets about {value} rejections in a row somewhere in {n} attempts.",
        "ru": "Обычный продавец где-то за {n} попыток встречает около {value} отказов подряд.",
    },
    "rejection.streak.at_least": {"en": "A run of {k} or more", "ru": "Серия из {k} и более"},
    "rejection.streak.at_least.sentence": {
        "en": "A run of {k} rejections in a row happens to {share} of sellers at this rate within {n} attempts.",
        "ru": "Серия из {k} отказов подряд случается у {share} продавцов с такой конверсией за {n} попыток.",
    },
    "rejection.chart.run": {"en": "Longest run of rejections", "ru": "Самая длинная серия отказов"},
    "rejection.chart.share_of_sellers": {"en": "Share of sellers", "ru": "Доля продавцов"},
    "rejection.chart.at_least": {"en": "{k} or more", "ru": "{k} и более"},
    "rejection.chart.below": {"en": "fewer than {k}", "ru": "меньше {k}"},
    "rejection.chart.expected": {"en": "average {value}", "ru": "в среднем {value}"},
    # value of a contact
    "rejection.contact.header": {"en": "What one contact is worth", "ru": "Сколько стоит один контакт"},
    "rejection.value": {
        "en": "Average deal value (in your data's currency)",
        "ru": "Средняя сумма сделки (в валюте ваших данных)",
    },
    "rejection.contact": {"en": "One contact is worth", "ru": "Один контакт стоит"},
    "rejection.contact.sentence": {
        "en": "Each contact, “no” included, earns {value} toward the next deal ({deal} × {p}).",
        "ru": "Каждый контакт, даже с ответом «нет», приносит {value} в счёт следующей сделки ({deal} × {p}).",
    },
    "rejection.pay": {"en": "Pay per contact", "ru": "Заработок с контакта"},
    "rejection.pay.sentence": {
        "en": "Under the compensation plan in use, each contact adds {value} to the seller's pay.",
        "ru": "По действующей системе мотивации каждый контакт добавляет {value} к заработку продавца.",
    },
    # luck or skill
    "rejection.ab.header": {"en": "Luck or skill?", "ru": "Удача или мастерство?"},
    "rejection.ab.wins": {"en": "Seller {who}: deals", "ru": "Продавец {who}: сделок"},
    "rejection.ab.n": {"en": "Seller {who}: attempts", "ru": "Продавец {who}: попыток"},
    "rejection.ab.wins_over_n": {
        "en": "A seller cannot have more deals than attempts: lower the deals or raise the attempts.",
        "ru": "Сделок не может быть больше, чем попыток: уменьшите число сделок или увеличьте число попыток.",
    },
    "rejection.ab.record": {"en": "{wins} of {n}", "ru": "{wins} из {n}"},
    "rejection.ab.verdict.not_enough": {
        "en": "Not enough evidence: {a} against {b} could easily be luck.",
        "ru": "Недостаточно данных: {a} против {b} легко может быть случайностью.",
    },
    "rejection.ab.verdict.a_suggestive": {
        "en": "Suggestive, not yet conclusive: {a} against {b} points to seller A, but luck can still explain it. "
        "More attempts each seller needs to settle it: about {more}.",
        "ru": "Есть намёк, но это ещё не доказано: {a} против {b} говорит в пользу продавца A, но это ещё может быть "
        "удачей. Сколько ещё попыток нужно каждому продавцу, чтобы убедиться: около {more}.",
    },
    "rejection.ab.verdict.b_suggestive": {
        "en": "Suggestive, not yet conclusive: {a} against {b} points to seller B, but luck can still explain it. "
        "More attempts each seller needs to settle it: about {more}.",
        "ru": "Есть намёк, но это ещё не доказано: {a} против {b} говорит в пользу продавца B, но это ещё может быть "
        "удачей. Сколько ещё попыток нужно каждому продавцу, чтобы убедиться: около {more}.",
    },
    "rejection.ab.verdict.a_better": {
        "en": "Seller A is better: luck alone rarely gives {a} against {b}.",
        "ru": "Продавец A сильнее: одна удача редко даёт {a} против {b}.",
    },
    "rejection.ab.verdict.b_better": {
        "en": "Seller B is better: luck alone rarely gives {a} against {b}.",
        "ru": "Продавец B сильнее: одна удача редко даёт {a} против {b}.",
    },
    "rejection.ab.prob": {"en": "Chance A is better", "ru": "Шанс, что A лучше"},
    "rejection.ab.prob.sentence": {
        "en": "The chance that A's close rate is really higher, given these records alone.",
        "ru": "Вероятность, что конверсия A действительно выше, с учётом только этих результатов.",
    },
    "rejection.ab.interval": {"en": "A − B, points", "ru": "A − B, п. п."},
    "rejection.ab.interval.sentence": {
        "en": "The true difference in close rate, in percentage points, is very likely in this range.",
        "ru": "Настоящая разница в конверсии, в процентных пунктах, почти наверняка в этих пределах.",
    },
    "rejection.ab.test": {"en": "Exact test, p-value", "ru": "Точный тест, p-значение"},
    "rejection.ab.test.sentence": {
        "en": "Fisher's exact test. Below 0.05 would mean luck alone is an unlikely explanation.",
        "ru": "Точный тест Фишера. Значение ниже 0,05 означало бы, что одной удачей это не объяснить.",
    },
    "rejection.ab.needed": {"en": "Attempts to tell apart", "ru": "Попыток, чтобы различить"},
    "rejection.ab.needed.sentence": {
        "en": "Attempts each seller needs before a close rate of {a} can be told from {b} with confidence.",
        "ru": "Столько попыток нужно каждому продавцу, чтобы уверенно отличить конверсию {a} от {b}.",
    },
    "rejection.ab.method": {
        "en": "- **Chance A is better**: the probability that A's true close rate is above B's, from the two records alone "
        "(Bayesian, uniform Beta(1, 1) prior for each rate).\n"
        "- **A − B**: the 95 % interval for the difference of the two close rates (Newcombe's hybrid score interval).\n"
        "- **Exact test**: Fisher's exact test, two-sided. A p-value below 0.05 means luck alone is an unlikely "
        "explanation (“better”); below 0.10, or a chance of 95 % or more that one seller is better, is suggestive.\n"
        "- **Attempts to tell apart**: attempts each seller needs for Fisher's exact test to tell the two close rates "
        "apart at 5 % significance with 80 % power.",
        "ru": "- **Шанс, что A лучше**: вероятность, что настоящая конверсия A выше, чем у B, только по этим двум "
        "результатам (байесовская оценка, равномерное априорное распределение Beta(1, 1) для каждой конверсии).\n"
        "- **A − B**: 95-процентный интервал для разницы двух конверсий (гибридный интервал Ньюкомба).\n"
        "- **Точный тест**: двусторонний точный тест Фишера. p-значение ниже 0,05 означает, что одной удачей это "
        "объяснить трудно («сильнее»); ниже 0,10 или шанс 95 % и больше, что один продавец лучше, — намёк.\n"
        "- **Попыток, чтобы различить**: столько попыток нужно каждому продавцу, чтобы точный тест Фишера различил две "
        "конверсии при уровне значимости 5 % и мощности 80 %.",
    },
    "rejection.ab.needed.equal": {
        "en": "Equal rates: no number of attempts tells them apart.",
        "ru": "Конверсии равны: никакое число попыток их не различит.",
    },
    # simulated month
    "rejection.month.header": {"en": "A month of equal sellers", "ru": "Месяц равных продавцов"},
    "rejection.sellers": {"en": "Sellers", "ru": "Продавцов"},
    "rejection.seed": {"en": "Seed (same seed, same month)", "ru": "Зерно (то же зерно — тот же месяц)"},
    "rejection.new_month": {"en": "New month", "ru": "Новый месяц"},
    "rejection.month.sentence": {
        "en": "{sellers} sellers with the same close rate of {p}, {n} attempts each: same skill, very different months.",
        "ru": "Продавцов: {sellers}, у всех одна конверсия {p}, по {n} попыток: одинаковое мастерство, очень разные месяцы.",
    },
    "rejection.month.row": {
        "en": "Seller {i} · deals: {deals} · longest run: {run}",
        "ru": "Продавец {i} · сделок: {deals} · серия: {run}",
    },
    "rejection.month.deal": {"en": "deal", "ru": "сделка"},
    "rejection.month.rejection": {"en": "rejection", "ru": "отказ"},
    # sellers in the data
    "rejection.data.header": {"en": "Sellers in your data", "ru": "Продавцы в ваших данных"},
    "rejection.data.none": {
        "en": "No seller has {min} or more closed deals with a known owner, so there is nothing to compare yet.",
        "ru": "Ни у одного продавца нет {min} и более закрытых сделок с указанным ответственным — сравнивать пока нечего.",
    },
    "rejection.data.summary": {
        "en": "Longer run than expected at their own rates: {long} of {total} sellers. Unusually short: {short}.",
        "ru": "Серия отказов длиннее ожидаемой при их конверсиях: {long} из {total} продавцов. Необычно короткая: {short}.",
    },
    "rejection.data.explain": {
        "en": "Each seller's closed deals in the order they were opened. The bar is the range (5–95 %) of the longest run of lost deals expected by chance, the dot is the real longest run. A dot right of the bar is bad luck or worth a look. The range accounts for each seller's mix of funnels: each deal counts at the seller's own close rate in that deal's funnel.",
        "ru": "Закрытые сделки каждого продавца в порядке их открытия. Полоса — диапазон (5–95 %) самой длинной серии проигранных сделок, ожидаемый по случайности, точка — настоящая самая длинная серия. Точка правее полосы — невезение или повод разобраться. Диапазон учитывает, в каких воронках работает продавец: каждая сделка считается с его собственной конверсией в её воронке.",
    },
    "rejection.data.axis": {"en": "Longest run of lost deals", "ru": "Самая длинная серия проигранных сделок"},
    "rejection.data.range": {"en": "Expected range (5–95 %)", "ru": "Ожидаемый диапазон (5–95 %)"},
    "rejection.data.observed": {"en": "Real longest run", "ru": "Настоящая серия"},
    "rejection.data.flag.long": {"en": "longer than expected", "ru": "длиннее ожидаемой"},
    "rejection.data.flag.typical": {"en": "as expected", "ru": "как ожидается"},
    "rejection.data.flag.short": {"en": "shorter than expected", "ru": "короче ожидаемой"},
    "rejection.data.sequence": {"en": "One seller, deal by deal", "ru": "Один продавец, сделка за сделкой"},
    "rejection.data.seller": {"en": "Seller", "ru": "Продавец"},
    "rejection.data.sequence.sentence": {
        "en": "Won {wins} of {attempts} closed deals ({rate}). Longest run of lost deals: {run}; expected at their rate in each funnel: {low}–{high}. A run this long or longer happens to {share} of sellers with these rates and this mix of funnels.",
        "ru": "Выиграно {wins} из {attempts} закрытых сделок ({rate}). Самая длинная серия проигрышей: {run}; ожидается при его конверсии в каждой воронке: {low}–{high}. Серия такой длины или длиннее бывает у {share} продавцов с такими конверсиями и таким набором воронок.",
    },
    "rejection.data.won": {"en": "won", "ru": "выиграна"},
    "rejection.data.lost": {"en": "lost", "ru": "проиграна"},
    "rejection.data.longest": {"en": "lost, in the longest run", "ru": "проиграна, в самой длинной серии"},
    "rejection.data.position": {"en": "Deal in the row", "ru": "Сделка в ряду"},
    "rejection.data.col.owner": {"en": "Seller", "ru": "Продавец"},
    "rejection.data.col.attempts": {"en": "Closed deals", "ru": "Закрыто сделок"},
    "rejection.data.col.wins": {"en": "Won", "ru": "Выиграно"},
    "rejection.data.col.rate": {"en": "Close rate", "ru": "Конверсия"},
    "rejection.data.col.run": {"en": "Longest run of lost", "ru": "Самая длинная серия проигрышей"},
    "rejection.data.col.range": {"en": "Expected range", "ru": "Ожидаемый диапазон"},
    "rejection.data.col.p": {"en": "Chance of a run this long or longer", "ru": "Шанс серии такой длины или длиннее"},
    "rejection.data.col.flag": {"en": "Verdict", "ru": "Вывод"},
}
