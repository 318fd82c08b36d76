"""Messages of the rejection area: {key: {"en": ..., "ru": ...}}."""

MESSAGES: dict[str, dict[str, str]] = {
    "rejection.will_show": {
        "en": "the trainer's view of «nine rejections out of ten»: attempts per deal, rejection streaks, luck or skill.",
        "ru": "взгляд тренера на «девять отказов из десяти»: попытки на сделку, серии отказов, удача или мастерство.",
    },
}
