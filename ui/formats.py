"""The session's formats: one currency for the whole app, amounts and days in the UI language.

Pages format money and dates through these helpers, so the currency the user
chose (₽ by default in Russian) follows every amount, on every page, in the
report and in XLSX downloads alike.
"""

from __future__ import annotations

import math

import streamlit as st

from funnel_model import formatting as fmt
from funnel_model.errors import FunnelError
from ui import data
from ui.i18n import lang, tr

__all__ = ["CURRENCIES", "CURRENCY_KEY", "currency", "currency_picker", "date", "money", "money_input"]

CURRENCY_KEY = "currency"
DEFAULT_CURRENCY = {"ru": "₽", "en": ""}
CURRENCIES = ("₽", "$", "€", "₸", "Br", "£", "")  # "" writes amounts without a sign


def currency() -> str:
    """The currency sign the user chose, else the one the data's export names, else the language's (₽ in Russian)."""
    chosen = st.session_state.get(CURRENCY_KEY)
    if chosen is not None:
        return chosen
    try:
        named = data.current().currency  # memoised in the session: no second import
    except FunnelError:  # no readable data yet: the page shows why
        named = ""
    return named or DEFAULT_CURRENCY.get(lang(), "")


def currency_picker(place=st) -> str:
    """The app's one currency selector (Forecast settings, Report); returns the sign chosen."""
    st.session_state.setdefault(CURRENCY_KEY, currency())
    return place.selectbox(
        tr("export.currency"),
        CURRENCIES,
        key=CURRENCY_KEY,
        format_func=lambda c: c or tr("export.no_currency"),
        help=tr("export.currency_help"),
        persist_state="session",
    )


def money(x: float, digits: int = 0) -> str:
    """An amount in the UI language with the session's currency: «1 200 000 ₽»."""
    return fmt.money(x, lang(), currency(), digits)


def date(day) -> str:
    """A calendar day in the UI language: «31.03.2026» in Russian."""
    return fmt.date(day, lang())


def _typed(x: float) -> str:
    """An amount as its input shows it: grouped like every figure of the app, decimals only when it has them."""
    return fmt.number(x, lang(), 0 if float(x).is_integer() else 2)


def _read_typed(key: str, min_value: float) -> None:
    """on_change of a money input: the text read into ``key``, or kept aside as an error with ``key`` unchanged."""
    ss = st.session_state
    text = ss[f"{key}.text"]
    x = fmt.read_number(text, lang())
    if x is None or x < min_value:
        ss[f"{key}.error"] = text
        return
    ss[key] = ss[f"{key}.shown"] = x
    ss[f"{key}.text"] = _typed(x)
    ss.pop(f"{key}.error", None)


def money_input(label: str, key: str, *, min_value: float = 0.0, place=st, **kwargs) -> float:
    """An amount typed as people write it («76 000 000», "76,000,000"), shown grouped; returns the amount.

    ``st.session_state[key]`` holds the amount as a float, as a number input's
    key would, so scenarios, links and other pages read and set it there; the
    text box is ``<key>.text``. Text that is not an amount (or is below
    ``min_value``) shows an error under the box and leaves the amount as it was.
    ``kwargs`` go to ``st.text_input`` (help, disabled ...).
    """
    ss = st.session_state
    text_key, shown_key, error_key = f"{key}.text", f"{key}.shown", f"{key}.error"
    value = ss.setdefault(key, min_value)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        ss[key] = value = min_value  # a value no input could have made (a hand-edited link or file)
    value = float(value)
    if text_key not in ss or ss.get(shown_key) != value:  # first draw, or the amount set elsewhere (a scenario ...)
        ss[text_key] = _typed(value)
        ss[shown_key] = value
        ss.pop(error_key, None)
    place.text_input(label, key=text_key, on_change=_read_typed, args=(key, min_value), **kwargs)
    if error_key in ss:
        place.error(tr("money.bad", text=ss[error_key], last=_typed(value)))
    return value
