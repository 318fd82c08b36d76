"""The session's formats: one currency for the whole app, amounts and days in the UI language.

Pages format money and dates through these helpers, so the currency the user
chose (₽ by default in Russian) follows every amount, on every page, in the
report and in XLSX downloads alike.
"""

from __future__ import annotations

import streamlit as st

from funnel_model import formatting as fmt
from funnel_model.errors import FunnelError
from ui import data
from ui.i18n import lang, tr

__all__ = ["CURRENCIES", "CURRENCY_KEY", "currency", "currency_picker", "date", "money"]

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
