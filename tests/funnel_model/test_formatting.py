import math

import pandas as pd
import pytest

from funnel_model.formatting import (
    chance,
    currency_of,
    date,
    money,
    number,
    percent,
    read_number,
    short_money,
    signed,
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ru", "1\u202f234\u202f567,50"), ("en", "1\u202f234\u202f567.50")],
)
def test_number_groups_thousands_and_uses_the_language_decimal_mark(lang, expected):
    assert number(1234567.5, lang, 2) == expected


def test_percent_signed_money_and_missing_values():
    assert percent(0.3487, "en") == "34.9 %"
    assert percent(0.3487, "ru") == "34,9 %"
    assert signed(-24, "en") == "\u221224"
    assert signed(42, "ru") == "+42"
    assert money(1_200_000, "ru", "₽") == "1\u202f200\u202f000 ₽"
    assert number(math.nan, "ru") == percent(math.inf, "en") == money(math.nan, "en", "₽") == "—"


@pytest.mark.parametrize(
    ("x", "lang", "expected"),
    [
        (1_234_000, "en", "1.2M"),
        (1_234_000, "ru", "1,2\u00a0млн"),
        (850_000, "en", "850K"),
        (12_340_000, "en", "12.3M"),
        (2_500_000_000, "ru", "2,5\u00a0млрд"),
        (920, "ru", "920"),
    ],
)
def test_short_money(x, lang, expected):
    assert short_money(x, lang) == expected


def test_date_in_each_language():
    assert date(pd.Timestamp("2026-03-31 18:00"), "ru") == "31.03.2026"
    assert date(pd.Timestamp("2026-03-01"), "en") == "1 Mar 2026"
    assert date(pd.NaT, "ru") == "—"


@pytest.mark.parametrize(
    ("share", "lang", "digits", "expected"),
    [
        (0.0, "en", 1, "0.0 %"),
        (1.0, "en", 1, "100.0 %"),
        (1.0, "ru", 0, "100 %"),
        (0.3487, "en", 1, "34.9 %"),
        (0.3487, "ru", 0, "35 %"),
        (0.0003, "en", 1, "< 0.1 %"),  # 1 in 3 333: never "0.0 %"
        (1e-12, "ru", 1, "< 0,1 %"),
        (0.001, "en", 1, "0.1 %"),
        (0.9996, "en", 1, "> 99.9 %"),  # never "100.0 %" for a chance that is not certain
        (0.004, "en", 0, "< 1 %"),
        (0.995, "en", 0, "> 99 %"),
        (math.nan, "en", 1, "—"),
    ],
)
def test_chance_never_shows_zero_or_hundred_unless_exact(share, lang, digits, expected):
    assert chance(share, lang, digits) == expected


def test_dates_are_written_the_languages_way():
    import datetime as dt

    import pandas as pd

    from funnel_model.formatting import date

    assert date(dt.date(2025, 3, 1), "ru") == "01.03.2025"
    assert date(pd.Timestamp("2025-03-31 17:00"), "en") == "31 Mar 2025"
    assert date(None, "ru") == date(pd.NaT, "en") == "—"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["1 200 000 руб.", "Иван"], "₽"),
        (["1 200 000 ₽"], "₽"),
        (["$1,200.50", "$300", "1 000 руб."], "$"),  # the sign named most often
        (["1.200,50 €", "EUR 30"], "€"),
        (["Привлечение", "Квалификация", 5_730_000.0], "₽"),  # a Russian export names no sign: rubles
        (["Acquisition", "Qualification", None], ""),
        (["Rubber gloves"], ""),  # "rub" only as a word
    ],
)
def test_currency_of_reads_the_exports_sign_else_its_language(cells, expected):
    assert currency_of(cells) == expected


def test_currency_of_falls_back_to_the_default():
    assert currency_of(["Sales"], default="£") == "£"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("76 000 000", "ru", 76e6),
        ("76\u202f000\u202f000", "ru", 76e6),  # as the app writes it (narrow no-break space)
        ("76\u00a0000\u00a0000 ₽", "ru", 76e6),
        ("76.000.000", "ru", 76e6),
        ("1 234,5", "ru", 1234.5),
        ("1.500", "ru", 1500.0),  # one dot before three digits groups them
        ("1.5", "ru", 1.5),  # a decimal point typed in Russian
        ("1,500", "ru", 1.5),  # the Russian decimal comma
        ("1 500 руб.", "ru", 1500.0),
        ("€ 1.500,00", "ru", 1500.0),
        ("−5 000", "ru", -5000.0),
        ("76,000,000", "en", 76e6),
        ("76 000 000", "en", 76e6),
        ("76,000,000.50", "en", 76_000_000.5),
        ("$1,500", "en", 1500.0),
        ("1,500", "en", 1500.0),
        ("1,5", "en", 1.5),
        ("76e6", "en", 76e6),
        (" 42 ", "en", 42.0),
    ],
)
def test_read_number_reads_amounts_as_people_type_them(text, lang, expected):
    assert read_number(text, lang) == expected


@pytest.mark.parametrize("text", ["", "abc", "много", "76 млн", "12.34.5", "1,2,3", "1e400", "nan", "inf", "--5", "5-"])
def test_read_number_refuses_what_is_not_a_number(text):
    assert read_number(text, "ru") is None
    assert read_number(text, "en") is None


def test_read_number_rejects_the_other_languages_grouping():
    assert read_number("76,000,000", "ru") is None  # commas are decimals in Russian: not a number
    assert read_number("76.000.000", "en") is None


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("x", [0.0, 7.0, 1234.5, 76e6, 1_000_000_000.25])
def test_read_number_reads_back_what_number_writes(x, lang):
    assert read_number(number(x, lang, 2), lang) == x
