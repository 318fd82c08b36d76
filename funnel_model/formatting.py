"""Numbers as people write them in each UI language.

One place for the whole app, so a figure reads the same on every page and
chart: Russian «1 234 567,5», English "1 234 567.5" (a narrow no-break
space groups thousands in both, as SI and GOST both allow), percents with a
space before the sign, and short money figures «1,2 млн» / "1.2M".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable

__all__ = [
    "chance",
    "currency_of",
    "date",
    "money",
    "month",
    "number",
    "percent",
    "read_number",
    "short_money",
    "signed",
]

_GROUP = "\u202f"  # narrow no-break space
_SHORT = {
    "en": ((1e9, "B"), (1e6, "M"), (1e3, "K")),
    "ru": ((1e9, "\u00a0млрд"), (1e6, "\u00a0млн"), (1e3, "\u00a0тыс.")),
}
MISSING = "—"
# a sign or word in an export's cells, and the sign it stands for (₽ first: «руб.» is the usual Russian CRM's)
_NAMED = (
    ("₽", re.compile(r"₽|\bруб|\brub\b", re.I)),
    ("$", re.compile(r"\$|\busd\b", re.I)),
    ("€", re.compile(r"€|\beur\b", re.I)),
    ("₸", re.compile(r"₸|\bkzt\b|\bтенге", re.I)),
    ("£", re.compile(r"£|\bgbp\b", re.I)),
)
_CYRILLIC = re.compile(r"[а-яё]", re.I)
# what a typed amount may carry around its digits: a currency sign or word, spaces of any width, a minus sign
_SIGN_TYPED = r"(?:[₽$€₸£]|руб\.?|р\.|rub|usd|eur|kzt|gbp|br)"
_TYPED_CURRENCY = re.compile(rf"^{_SIGN_TYPED}|{_SIGN_TYPED}$", re.I)
_TYPED_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_MARKS = {"ru": (".", ","), "en": (",", ".")}  # (group mark, decimal mark) a user may type besides spaces


def number(x: float, lang: str, digits: int = 0) -> str:
    """``x`` with ``digits`` decimals, thousands grouped; "—" when missing."""
    if x is None or not math.isfinite(x):
        return MISSING
    text = f"{x:,.{digits}f}".replace(",", _GROUP)
    text = text.replace("-", "\u2212")  # a true minus sign
    return text.replace(".", ",") if lang == "ru" else text


def percent(share: float, lang: str, digits: int = 1) -> str:
    """A share (0.349) as a percent ("34.9 %")."""
    if share is None or not math.isfinite(share):
        return MISSING
    return f"{number(100 * share, lang, digits)} %"


def chance(share: float, lang: str, digits: int = 1) -> str:
    """A probability as a percent that never reads 0 or 100 when it is neither.

    The one precision rule for chances on every page: ``digits`` decimals,
    except that a chance above 0 but below the smallest step shown reads
    "< 0.1 %" (with one decimal), and one below 1 but above the largest step
    "> 99.9 %"; only exactly 0 and 1 read "0.0 %" and "100.0 %". So a chance of
    0.003 % beside "one seller in 30 000" is never printed "0.0 %".
    """
    if share is None or not math.isfinite(share):
        return MISSING
    if share <= 0 or share >= 1:
        return percent(min(max(share, 0.0), 1.0), lang, digits)
    step = 10.0**-digits / 100  # the smallest share the percent shows
    if share < step:
        return f"< {percent(step, lang, digits)}"
    if share > 1 - step:
        return f"> {percent(1 - step, lang, digits)}"
    return percent(share, lang, digits)


def signed(x: float, lang: str, digits: int = 0) -> str:
    """``x`` with its sign always shown: "+42", "−24"."""
    if x is None or not math.isfinite(x):
        return MISSING
    return ("+" if x >= 0 else "") + number(x, lang, digits)


def money(x: float, lang: str, currency: str = "", digits: int = 0) -> str:
    """An amount with an optional currency sign after it: "1 200 000 ₽"."""
    text = number(x, lang, digits)
    return f"{text} {currency}" if currency and text != MISSING else text


def short_money(x: float, lang: str) -> str:
    """A short figure for chart labels: "1.2M" / «1,2 млн», "850K" / «850 тыс.»."""
    if x is None or not math.isfinite(x):
        return MISSING
    for size, suffix in _SHORT.get(lang, _SHORT["en"]):
        if abs(x) >= size:
            scaled = x / size
            return number(scaled, lang, 1 if abs(scaled) < 100 else 0) + suffix
    return number(x, lang, 0)


def date(day: dt.date | dt.datetime | None, lang: str) -> str:
    """The one way to write a day: «31.03.2025» (ДД.ММ.ГГГГ) in Russian, "31 Mar 2025" in English; "—" if missing."""
    if day is None or day != day:  # None, NaT
        return MISSING
    return day.strftime("%d.%m.%Y") if lang == "ru" else f"{day.day} {day.strftime('%b %Y')}"


def month(day: dt.date | dt.datetime | None, lang: str) -> str:
    """The one way to write a month: «01.2027» (ММ.ГГГГ) in Russian, "Jan 2027" in English; "—" if missing."""
    if day is None or day != day:  # None, NaT
        return MISSING
    return day.strftime("%m.%Y") if lang == "ru" else day.strftime("%b %Y")


def currency_of(texts: Iterable[object], default: str = "", *, by_language: bool = True) -> str:
    """The currency an export names: a sign or word in its cells («₽», «руб», "$", "€"...).

    Parameters
    ----------
    texts : iterable
        Cells of the export (amount cells as written, names, stages); non-text cells are skipped.
    default : str
        The sign when the cells name none and are not in Russian.
    by_language : bool
        Take Cyrillic text for rubles when no sign is named (False: only a named sign counts).

    Returns
    -------
    str
        The sign named most often; else "₽" for an export in Russian (Cyrillic text) when ``by_language``;
        else ``default``.
    """
    counts = dict.fromkeys((sign for sign, _ in _NAMED), 0)
    cyrillic = False
    for cell in texts:
        if not isinstance(cell, str):
            continue
        for sign, pattern in _NAMED:
            counts[sign] += bool(pattern.search(cell))
        cyrillic = cyrillic or bool(_CYRILLIC.search(cell))
    named = max(counts, key=counts.get)
    if counts[named]:
        return named
    return "₽" if cyrillic and by_language else default


def read_number(text: str, lang: str) -> float | None:
    """A number as a user types it in ``lang``; None when it is not one.

    Spaces of any kind group thousands in both languages («76 000 000»,
    "76 000 000"); besides, Russian groups with dots and writes a decimal
    comma («76.000.000», «1 234,5») and English groups with commas
    ("76,000,000.50"). The other language's decimal mark is read as one when
    it cannot be a group mark («1.5» in Russian, "1,5" in English), and a
    single mark before three digits groups them («1.500» is 1500 in Russian,
    "1,500" in English). A currency sign or word before or after the digits is
    dropped («76 000 000 ₽», "$1,500").
    """
    body = _TYPED_SPACES.sub("", str(text)).replace("\u2212", "-").replace("\u2013", "-")
    body = _TYPED_CURRENCY.sub("", body, count=2)
    sign = -1.0 if body.startswith("-") else 1.0
    body = body[1:] if body[:1] in "+-" else body
    group, decimal = _MARKS["ru" if lang == "ru" else "en"]
    g, d = re.escape(group), re.escape(decimal)
    if re.fullmatch(rf"\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?", body):  # grouped by threes
        body = body.replace(group, "").replace(decimal, ".")
    elif re.fullmatch(rf"\d*[{g}{d}]\d+|\d+[{g}{d}]?", body):  # one mark, not before exactly three digits
        body = body.replace(group, ".").replace(decimal, ".")
    elif not re.fullmatch(r"\d+(?:\.\d+)?e[+-]?\d+", body, re.I):  # "76e6" reads the same in both
        return None
    value = sign * float(body)
    return value if math.isfinite(value) else None
