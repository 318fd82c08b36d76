"""The currency an export writes in its amount cells becomes the import's currency; the amounts stay numbers."""

from __future__ import annotations

import pytest

from funnel_model import read_deals


def export(*amounts: str) -> bytes:
    rows = [f'{i + 1},Proposal,open,"{a}"' for i, a in enumerate(amounts)]
    return "\n".join(["deal_id,stage,status,amount", *rows]).encode("utf-8")


@pytest.mark.parametrize(
    ("amounts", "currency", "values"),
    [
        (("1 500 ₽", "2 000 ₽"), "₽", [1500.0, 2000.0]),
        (("1 500 руб.", "300 р."), "₽", [1500.0, 300.0]),
        (("$1,500", "$2,000.50"), "$", [1500.0, 2000.5]),
        (("€ 1.500,00", "€ 20,50"), "€", [1500.0, 20.5]),
        (("$100", "$200", "€300"), "$", [100.0, 200.0, 300.0]),  # the sign written most often
        (("1500", "2000"), "", [1500.0, 2000.0]),
        (("1 500 тыс.",), "", [None]),  # Cyrillic but no currency: not guessed from the amounts
    ],
)
def test_the_amount_cells_name_the_currency(amounts, currency, values):
    imported = read_deals(export(*amounts), name="deals.csv")
    assert imported.currency == currency
    got = imported.deals["amount"].tolist()
    assert [None if v != v else v for v in got] == values


def test_an_export_without_amounts_names_no_currency():
    imported = read_deals(b"deal_id,stage\n1,Proposal\n", name="deals.csv")
    assert imported.currency == ""
