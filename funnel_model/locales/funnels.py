"""Messages of the funnels area: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "funnels.will_show": {
        "en": "the three funnels (attraction, retention, reactivation) per client segment, conversion per stage, stage win rates and calibration of stated probabilities.",
        "ru": "три воронки (привлечение, удержание, реактивация) по сегментам клиентов, конверсия по этапам, вероятность выигрыша с каждого этапа и калибровка заявленных вероятностей.",
    },
}
