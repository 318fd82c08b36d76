"""Messages of the compensation area: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "compensation.will_show": {
        "en": "two compensation plans side by side: fixed, variable and penalty parts, pay per seller from actuals and from the forecast, and the cost of sales.",
        "ru": "две системы мотивации рядом: оклад, переменная часть и депремирование, выплаты каждому продавцу по факту и по прогнозу, стоимость продаж.",
    },
}
